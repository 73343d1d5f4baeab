// analyze(): PCRE2's verdict on one pattern plus what nmap cares about (group count, whether it
// can match the empty string, octal traps). The translator (regex-run) fills `unsupported`
// through setUnsupportedHook(), so that this file does not depend on it.

import type { AnalyzeResult, RegexOptions, Unsupported } from './api';
import type { Node, RegexAst } from './ast';
import { parse, type ParseResult } from './parse';
import { quickAnalyze } from './fast-validate';

/** Parse with nmap's options; returns the tree (null on error) and PCRE2's error. */
export function parsePattern(pattern: string, options: RegexOptions): ParseResult {
  return parse(pattern, options);
}

type UnsupportedHook = (ast: RegexAst, pattern: string, options: RegexOptions) => Unsupported[];
let unsupportedHook: UnsupportedHook | null = null;

/** The translator registers here the constructs it cannot run (kept out of this file's imports). */
export function setUnsupportedHook(hook: UnsupportedHook | null): void {
  unsupportedHook = hook;
}

/**
 * PCRE2's verdict with nmap's options. Most of nmap's patterns are answered by the validate-only
 * scan of fast-validate.ts; the rest (and every refused pattern) by the full parser. When the
 * translator has registered its hook, `unsupported` is `[]` outright when the quick scan finds
 * nothing the hook could report; otherwise it needs the tree and is computed on first read, so a
 * caller that only wants the verdict never pays for a tree.
 */
export function analyze(pattern: string, options: RegexOptions): AnalyzeResult {
  const quick = quickAnalyze(pattern);
  if (quick !== null) {
    const hook = unsupportedHook;
    // The registered hook is unsupported.ts's findUnsupported(): the quick scan knows, for its
    // subset, when that cannot report anything (tested in test/regex/unsupported.test.ts).
    if (hook === null || !quick.mayBeUnsupported) {
      return { ok: true, groupCount: quick.groupCount, matchesEmpty: quick.matchesEmpty, octalTraps: quick.octalTraps, unsupported: [] };
    }
    let list: Unsupported[] | null = null;
    return {
      ok: true, groupCount: quick.groupCount, matchesEmpty: quick.matchesEmpty, octalTraps: quick.octalTraps,
      get unsupported(): Unsupported[] {
        if (list === null) {
          const ast = parse(pattern, options).ast;
          list = ast ? hook(ast, pattern, options) : [];
        }
        return list;
      },
    };
  }
  return analyzeFull(pattern, options);
}

/** analyze() through the full parser only (the reference the quick scan is tested against). */
export function analyzeFull(pattern: string, options: RegexOptions): AnalyzeResult {
  const r = parse(pattern, options);
  if (r.error !== null || r.ast === null) return r.error ?? { ok: false, code: 189, message: 'internal error', offset: 0 };
  return {
    ok: true,
    groupCount: r.ast.groupCount,
    matchesEmpty: !mustMatchChar(r.ast.root),
    octalTraps: r.octalTraps,
    unsupported: unsupportedHook ? unsupportedHook(r.ast, pattern, options) : [],
  };
}

/**
 * PCRE2_INFO_MATCHEMPTY, computed as compile_branch() does: a branch "matches a character" when
 * one of its items does — a literal, dot, class or character-type escape, a capturing /
 * non-capturing / atomic group all of whose branches do, a conditional with two such branches,
 * or any of these repeated at least once. Assertions, anchors, backreferences, recursions and
 * verbs never count, and nothing after (*ACCEPT) does. The pattern matches empty unless every
 * top-level branch matches a character. (This is PCRE2's rule, not a full emptiness proof:
 * `(?=a)` or `\1` alone count as "can match empty" exactly as PCRE2 says.)
 */
export function mustMatchChar(n: Node): boolean {
  if (n.type === 'alternation') {
    for (const a of n.alternatives) if (!branchMatches(a)) return false;
    return true;
  }
  return branchMatches(n);
}

// Items after (*ACCEPT) never count, and once an item matches a character nothing later can undo
// it: the scan stops at the first of the two.
function branchMatches(n: Node): boolean {
  if (n.type !== 'sequence') return !(n.type === 'verb' && n.name === 'ACCEPT') && itemMatches(n);
  for (const it of n.items) {
    if (it.type === 'verb' && it.name === 'ACCEPT') return false;
    if (itemMatches(it)) return true;
  }
  return false;
}

function itemMatches(n: Node): boolean {
  switch (n.type) {
    case 'literal': case 'dot': case 'class': return true;
    case 'charType': return true;
    case 'group':
      if (n.kind === 'capture' || n.kind === 'nonCapture' || n.kind === 'atomic' || n.kind === 'flags' || n.kind === 'branchReset') {
        return mustMatchChar(n.body);
      }
      return false;
    case 'conditional':
      return n.no !== null && branchMatches(n.yes) && branchMatches(n.no);
    case 'quantified':
      return n.min > 0 && n.max !== 0 && itemMatches(n.body);
    case 'sequence': case 'alternation':
      return mustMatchChar(n);
    default:
      return false;
  }
}
