// Translation of a PCRE2 regex AST (byte mode, nmap's options) into a JavaScript RegExp over
// binary strings (one char per byte). The JS pattern uses no `i`, `m`, `s` or `u` flag: every flag
// PCRE2 resolved (the parser stores it on each node) is written out explicitly, so the JS engine's
// own Unicode case folding and line terminators never come into play.
//
// PCRE2 constructs without a JS equivalent are emulated:
// - atomic groups and possessive quantifiers: `(?=(X))\N` (a lookahead is atomic in JS; the
//   back-reference consumes what it matched). N is an extra JS group, so PCRE2's group numbers are
//   mapped to JS group indexes (`groupMap`);
// - `$`, `\Z` (also before a final newline), `\A`, `\z`, `\G` (the start offset, always 0 for nmap);
// - \R (atomic), \h \v \s \N, POSIX classes, caseless letters as two-byte classes.
// Anything whose JS behaviour would differ from PCRE2 is reported by findUnsupported() and the
// translation is not used: a silent wrong answer is worse than "cannot test".

import type { Unsupported } from './api';
import type { Group, Node, RegexAst } from './ast';
import { walk } from './ast';
import { charTypeSet, classSet, emitSet, foldAscii, hasAsciiLetter, invert, jsByte, rangeSet, union, emptySet } from './translate-sets';
import type { ByteSet } from './translate-sets';

export const UNSUPPORTED_MESSAGE = 'nmap accepts this; the editor cannot test it';

export interface Translation {
  /** JS pattern source; use with flags `d` (indices). */
  source: string;
  /** groupMap[n] = JS group indexes standing for PCRE2 group n (several only under (?|…)). */
  groupMap: number[][];
  groupCount: number;
}

function unsupported(node: { start: number; end: number }, what: string): Unsupported {
  return { offset: node.start, length: Math.max(1, node.end - node.start), message: `${UNSUPPORTED_MESSAGE}: ${what}` };
}

/** Smallest number of bytes a node can match (0 for assertions; back-references count 0). */
export function minLength(node: Node): number {
  switch (node.type) {
    case 'literal': case 'dot': case 'class': return 1;
    case 'charType': return node.kind === 'R' || node.kind === 'X' || node.kind === 'C' || node.kind === 'N' || charTypeSet(node.kind) ? 1 : 0;
    case 'sequence': return node.items.reduce((a, n) => a + minLength(n), 0);
    case 'alternation': return Math.min(...node.alternatives.map(minLength));
    case 'quantified': return node.min === 0 ? 0 : node.min * minLength(node.body);
    case 'group':
      return node.kind === 'capture' || node.kind === 'nonCapture' || node.kind === 'atomic' || node.kind === 'flags' || node.kind === 'branchReset'
        ? minLength(node.body) : 0;
    case 'conditional': return Math.min(minLength(node.yes), node.no ? minLength(node.no) : 0);
    default: return 0;
  }
}

function containsCapture(node: Node): boolean {
  let found = false;
  walk(node, (n) => { if (n.type === 'group' && n.kind === 'capture') found = true; });
  return found;
}

/** Every byte a node could consume (an over-approximation), for caseless back-reference checks. */
function possibleBytes(node: Node): ByteSet {
  let s = emptySet();
  walk(node, (n) => {
    if (n.type === 'literal') { s[n.byte] = 1; if (n.caseless) s = foldAscii(s); }
    else if (n.type === 'class') s = union(s, classSet(n));
    else if (n.type === 'dot' || n.type === 'backref' || n.type === 'subroutine') s = invert(emptySet());
    else if (n.type === 'charType') s = union(s, charTypeSet(n.kind) ?? invert(emptySet()));
  });
  return s;
}

/**
 * Groups certainly set after `node` matched, given those set before. Used to find back-references
 * that may meet an unset group: PCRE2 fails them, JS lets them match the empty string.
 */
function setAfter(node: Node, before: Set<number>, out: Unsupported[]): Set<number> {
  switch (node.type) {
    case 'sequence': {
      let s = before;
      for (const it of node.items) s = setAfter(it, s, out);
      return s;
    }
    case 'alternation': {
      const sets = node.alternatives.map((a) => setAfter(a, before, out));
      return new Set([...sets[0]].filter((g) => sets.every((s) => s.has(g))));
    }
    case 'quantified': {
      const inner = setAfter(node.body, before, out);
      if (node.max !== 1 && containsCapture(node.body)) {
        // JS clears a repeated group's captures at each iteration and refuses empty iterations;
        // PCRE2 keeps the last value any iteration set. They agree only when every iteration
        // sets every capture inside and no iteration can be empty.
        const bodySet = setAfter(node.body, new Set(), []);
        let allSet = true;
        walk(node.body, (n) => { if (n.type === 'group' && n.kind === 'capture' && !bodySet.has(n.number!)) allSet = false; });
        if (!allSet || minLength(node.body) === 0) {
          out.push(unsupported(node, 'a repeated group with captures that some repetition may skip'));
        }
      }
      return node.min === 0 ? before : inner;
    }
    case 'group': {
      if (node.kind === 'negativeLookahead' || node.kind === 'negativeLookbehind') {
        setAfter(node.body, before, out);
        return before;
      }
      const inner = setAfter(node.body, before, out);
      if (node.kind === 'capture') return new Set([...inner, node.number!]);
      return inner;
    }
    case 'conditional': {
      const a = setAfter(node.yes, before, out);
      const b = node.no ? setAfter(node.no, before, out) : before;
      return new Set([...a].filter((g) => b.has(g)));
    }
    case 'backref':
      if (!before.has(node.number)) out.push(unsupported(node, 'a back-reference to a group that may be unset here'));
      return before;
    default:
      return before;
  }
}

/**
 * What the JS translation cannot reproduce, with byte offsets into the pattern. regex-parse's
 * analyze() puts this list into RegexAnalysis.unsupported.
 */
export function findUnsupported(ast: RegexAst): Unsupported[] {
  const out: Unsupported[] = [];
  const groups = new Map<number, Group>();
  walk(ast.root, (n) => { if (n.type === 'group' && n.kind === 'capture' && n.number !== undefined && !groups.has(n.number)) groups.set(n.number, n); });
  walk(ast.root, (n) => {
    switch (n.type) {
      case 'subroutine': out.push(unsupported(n, 'recursion and subroutine calls')); break;
      case 'keep': out.push(unsupported(n, '\\K (match start reset)')); break;
      case 'verb':
        if (n.name !== 'FAIL' && n.name !== 'F') out.push(unsupported(n, `the (*${n.name}) verb`));
        break;
      case 'conditional':
        if (n.condition.kind !== 'assert') out.push(unsupported(n, 'a conditional group'));
        break;
      case 'charType':
        if (n.kind === 'X') out.push(unsupported(n, '\\X (extended grapheme cluster)'));
        break;
      case 'anchor':
        break;
      case 'group':
        if (n.kind === 'nonAtomicLookahead' || n.kind === 'nonAtomicLookbehind') out.push(unsupported(n, 'a non-atomic assertion'));
        break;
      case 'backref': {
        const g = groups.get(n.number);
        if ((ast.names.get(n.name ?? '')?.length ?? 0) > 1) out.push(unsupported(n, 'a back-reference to a duplicated group name'));
        else if (n.caseless && (!g || hasAsciiLetter(possibleBytes(g.body)))) out.push(unsupported(n, 'a caseless back-reference'));
        break;
      }
      default: break;
    }
  });
  // Branch-reset groups share numbers, which JS cannot: back-references to them are unsupported.
  const shared = new Set<number>();
  const seen = new Set<number>();
  walk(ast.root, (n) => {
    if (n.type === 'group' && n.kind === 'capture' && n.number !== undefined) {
      if (seen.has(n.number)) shared.add(n.number);
      seen.add(n.number);
    }
  });
  walk(ast.root, (n) => { if (n.type === 'backref' && shared.has(n.number)) out.push(unsupported(n, 'a back-reference into a branch-reset group')); });
  setAfter(ast.root, new Set(), out);
  out.sort((a, b) => a.offset - b.offset);
  return out.filter((u, i) => i === 0 || u.offset !== out[i - 1].offset || u.message !== out[i - 1].message);
}

const NEWLINE = rangeSet([[0x0a, 0x0a]]);

/** The JS pattern for a PCRE2 AST. Only meaningful when findUnsupported(ast) is empty. */
export function translate(ast: RegexAst): Translation {
  const groupMap: number[][] = Array.from({ length: ast.groupCount + 1 }, () => []);
  groupMap[0] = [0];
  let js = 0;
  const atomic = (inner: () => string): string => {
    const n = ++js;
    const body = inner();
    return `(?=(${body}))\\${n}(?:)`;
  };
  const emit = (node: Node): string => {
    switch (node.type) {
      case 'sequence': return node.items.map(emit).join('');
      case 'alternation': return node.alternatives.map(emit).join('|');
      case 'literal':
        return node.caseless && hasAsciiLetter(rangeSet([[node.byte, node.byte]]))
          ? emitSet(foldAscii(rangeSet([[node.byte, node.byte]])))
          : jsByte(node.byte);
      case 'dot': return node.dotall ? '[^]' : emitSet(invert(NEWLINE));
      case 'class': return emitSet(classSet(node));
      case 'charType': {
        if (node.kind === 'R') return atomic(() => '\\x0d\\x0a|[\\x0a-\\x0d\\x85]');
        const s = charTypeSet(node.kind);
        return s ? emitSet(s) : '(?!)';
      }
      case 'anchor':
        switch (node.kind) {
          case '^': return node.multiline ? '(?:^|(?<=\\x0a)(?!$))' : '^';
          case '$': return node.multiline ? '(?=\\x0a|$)' : '(?=\\x0a?$)';
          case 'A': case 'G': return '^';
          case 'Z': return '(?=\\x0a?$)';
          case 'z': return '$';
        }
        return '';
      case 'wordBoundary': return node.negated ? '\\B' : '\\b';
      case 'quantified': {
        const q = node.max === null ? (node.min === 0 ? '*' : node.min === 1 ? '+' : `{${node.min},}`)
          : node.min === node.max ? (node.min === 1 ? '' : `{${node.min}}`)
          : node.min === 0 && node.max === 1 ? '?' : `{${node.min},${node.max}}`;
        const body = node.body;
        // An assertion repeated is the assertion at most once (PCRE2 caps its repeat at 1).
        if (body.type === 'group' && /look/.test(body.kind)) {
          return node.min === 0 ? '' : emit(body);
        }
        if (node.mode === 'possessive') return atomic(() => `(?:${emit(body)})${q}`);
        return `(?:${emit(body)})${q}${node.mode === 'lazy' && q !== '' ? '?' : ''}`;
      }
      case 'group':
        switch (node.kind) {
          case 'capture': {
            const n = ++js;
            groupMap[node.number!].push(n);
            return `(${emit(node.body)})`;
          }
          case 'nonCapture': case 'flags': case 'branchReset': return `(?:${emit(node.body)})`;
          case 'atomic': return atomic(() => emit(node.body));
          case 'lookahead': return `(?=${emit(node.body)})`;
          case 'negativeLookahead': return `(?!${emit(node.body)})`;
          case 'lookbehind': return `(?<=${emit(node.body)})`;
          case 'negativeLookbehind': return `(?<!${emit(node.body)})`;
          default: return '(?!)';
        }
      case 'backref': {
        const target = groupMap[node.number]?.[0];
        return target === undefined ? '(?!)' : `\\${target}(?:)`;
      }
      case 'conditional': {
        if (node.condition.kind !== 'assert') return '(?!)';
        const a = node.condition.assertion;
        const yes = emit(node.yes);
        const positive = emit(a);
        const negated = a.kind === 'lookahead' ? `(?!${emitBodyAgain(a)})` : a.kind === 'negativeLookahead' ? `(?=${emitBodyAgain(a)})`
          : a.kind === 'lookbehind' ? `(?<!${emitBodyAgain(a)})` : `(?<=${emitBodyAgain(a)})`;
        const no = node.no ? emit(node.no) : '';
        return `(?:${positive}${yes}|${negated}${no})`;
      }
      case 'verb': return node.name === 'FAIL' || node.name === 'F' ? '(?!)' : '';
      default:
        // flagSet (resolved on nodes), callouts (ignored without a callout function, as in nmap).
        return '';
    }
  };
  // The negated copy of a condition must not create JS groups of its own numbering PCRE2 groups.
  const emitBodyAgain = (g: Group): string => {
    const saved = js;
    const savedMap = groupMap.map((a) => a.slice());
    const s = emit(g.body).replace(/\((?!\?)/g, '(?:');
    js = saved;
    groupMap.splice(0, groupMap.length, ...savedMap);
    return s;
  };
  const source = emit(ast.root);
  return { source, groupMap, groupCount: ast.groupCount };
}
