// A live scan compiles regexes lazily as replies reach their lines; for a banner late in the NULL
// probe that is thousands of compiles before the answer. Almost every line starts with `^` and
// some literal bytes (`^SSH-2\.0-`), and a reply that does not start with them cannot match, so
// this wrapper answers "no match" from the literal prefix alone and compiles the real regex only
// when the prefix fits. The prefix is read conservatively: any construct whose meaning is not a
// plain byte stops it, so the filter never rejects a subject the regex would accept.
import type { CompiledRegex, CompileResult, MatchOutcome, RegexAnalysis, RegexOptions } from '../regex/api';

const META = new Set(['\\', '^', '$', '.', '[', '|', '(', ')', '?', '*', '+', '{']);
const QUANTIFIERS = new Set(['?', '*', '+', '{']);

/**
 * The bytes every match must start with, for a pattern anchored by a leading `^` (PCRE2 without
 * multiline: the start of the subject). Empty when there is none worth checking.
 */
export function literalPrefix(pattern: string): string {
  if (pattern[0] !== '^' || !anchoredThroughout(pattern)) return '';
  let out = '';
  let i = 1;
  while (i < pattern.length) {
    const c = pattern[i];
    let byte: string | undefined;
    let next = i + 1;
    if (c === '\\') {
      const e = pattern[i + 1];
      if (e === undefined) break;
      if (e === 'r') byte = '\r';
      else if (e === 'n') byte = '\n';
      else if (e === 't') byte = '\t';
      else if (e === 'x' && /^[0-9a-fA-F]{2}$/.test(pattern.slice(i + 2, i + 4)) && pattern[i + 4] !== undefined) {
        byte = String.fromCharCode(parseInt(pattern.slice(i + 2, i + 4), 16));
        next = i + 4;
      } else if (/[!-/:-@[-`{-~]/.test(e)) byte = e; // an escaped ASCII punctuation mark is itself
      else break; // \d, \s, \0, \b, \Q … : not a plain byte
      if (byte === undefined) break;
      next = e === 'x' ? next : i + 2;
    } else if (META.has(c)) break;
    else {
      const code = c.charCodeAt(0);
      if (code < 0x20 || code > 0x7e) break; // keep to printable ASCII (no case-table questions)
      byte = c;
    }
    // A quantifier makes the last atom optional or repeated: it is not part of the prefix.
    if (QUANTIFIERS.has(pattern[next])) break;
    out += byte;
    i = next;
  }
  return out;
}

/**
 * True when the leading `^` anchors every match: no `|` outside groups and classes (`^a|b` finds
 * "b" anywhere), and no construct that could change how the rest is read (`(?x)`, verbs `(*…)`).
 */
function anchoredThroughout(pattern: string): boolean {
  if (pattern.includes('(?x') || pattern.includes('(*') || pattern.includes('(?|')) return false;
  let depth = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      if (pattern[i + 1] === 'Q') {
        const end = pattern.indexOf('\\E', i + 2);
        if (end < 0) return true; // literal to the end: no alternation possible
        i = end + 1;
      } else i++;
    } else if (c === '[') {
      // A class: `]` right after `[` or `[^` is literal; `[:alpha:]` names end with `:]`.
      let j = i + 1;
      if (pattern[j] === '^') j++;
      if (pattern[j] === ']') j++;
      for (; j < pattern.length && pattern[j] !== ']'; j++) {
        if (pattern[j] === '\\') j++;
        else if (pattern[j] === '[' && pattern[j + 1] === ':') {
          const close = pattern.indexOf(':]', j + 2);
          if (close > 0) j = close + 1;
        }
      }
      i = j;
    } else if (c === '(') depth++;
    else if (c === ')') depth = Math.max(0, depth - 1);
    else if (c === '|' && depth === 0) return false;
  }
  return true;
}

function startsWith(subject: string, prefix: string, caseless: boolean): boolean {
  if (subject.length < prefix.length) return false;
  if (!caseless) return subject.startsWith(prefix);
  for (let i = 0; i < prefix.length; i++) {
    const a = subject.charCodeAt(i);
    const b = prefix.charCodeAt(i);
    if (a === b) continue;
    // PCRE2's default character tables fold ASCII letters only.
    const la = a >= 0x41 && a <= 0x5a ? a + 32 : a;
    const lb = b >= 0x41 && b <= 0x5a ? b + 32 : b;
    if (la !== lb || la < 0x61 || la > 0x7a) return false;
  }
  return true;
}

class PrefixFiltered implements CompiledRegex {
  private real?: CompileResult;
  constructor(
    private readonly pattern: string,
    private readonly options: RegexOptions,
    private readonly prefix: string,
    private readonly compileFn: (p: string, o: RegexOptions) => CompileResult,
  ) {}

  private compiled(): CompileResult {
    this.real ??= this.compileFn(this.pattern, this.options);
    return this.real;
  }

  get analysis(): RegexAnalysis {
    const r = this.compiled();
    if ('exec' in r) return r.analysis;
    return { ok: true, groupCount: 0, matchesEmpty: false, octalTraps: [], unsupported: [] };
  }

  exec(subject: string): MatchOutcome {
    if (!startsWith(subject, this.prefix, this.options.caseless)) return { kind: 'nomatch' };
    const r = this.compiled();
    if ('exec' in r) return r.exec(subject);
    // nmap would have refused the file for this line; say so instead of pretending it ran.
    return { kind: 'unsupported', message: `does not compile: ${r.message}` };
  }
}

/** Wraps a compile function so anchored patterns are compiled only when a reply could match. */
export function prefixFilteredCompile(compileFn: (p: string, o: RegexOptions) => CompileResult) {
  return (pattern: string, options: RegexOptions): CompileResult => {
    const prefix = literalPrefix(pattern);
    if (prefix.length < 2) return compileFn(pattern, options);
    return new PrefixFiltered(pattern, options, prefix, compileFn);
  };
}
