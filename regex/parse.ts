// PCRE2 pattern parser (byte mode, no UTF): pattern binary string → RegexAst, or PCRE2's error.
//
// It follows the order in which pcre2_compile() looks at a pattern, because the error offsets
// depend on it: first parse_regex() (one left-to-right scan, most syntax errors, at the scan
// position), then check_lookbehinds() (lookbehind lengths), then compile_regex() (references to
// missing groups, conditional branch counts, \K in lookarounds, size). The second and third
// phases live in check.ts and work on the tree built here. Where 10.42 and 10.47 differ (mostly
// error offsets one byte apart, `{,n}`, spaces in braces, bare `\x`, name length), `v47` selects.

import type { RegexCompileError, RegexOptions, OctalTrap } from './api';
import type {
  Node, LiteralForm, CharClass, ClassItem, ClassByte, GroupKind, FlagChanges,
  Quantified, RegexAst, Trivia, CaptureInfo, Condition, CharTypeKind, ClassEscapeKind,
} from './ast';
import * as nodes from './ast';
import { errorMessage } from './errors';
import { checkCompiled } from './check';
import { knownProperty } from './unicode-properties';
import { posixSyntaxEnd } from './pcre2-lookahead';

// The node factories, bound once. A CommonJS loader (tsx, which bench/ uses for its area modules)
// turns every use of a named import into a call of a getter on the other module's exports object,
// which V8 does not inline once that object has many exports (ast.ts has ~20); the literal loop
// would pay one per pattern byte.
const {
  alternationNode, anchorNode, backrefNode, calloutNode, charTypeNode, classNode, conditionalNode, dotNode,
  flagSetNode, groupNode, keepNode, literalNode, quantifiedNode, sequenceNode, subroutineNode, verbNode,
  wordBoundaryNode,
} = nodes;

export interface ParseResult {
  /** The tree; null when PCRE2 refuses the pattern. */
  ast: RegexAst | null;
  /** PCRE2's verdict when it refuses the pattern (code, message, offset exactly as pcre2_compile). */
  error: RegexCompileError | null;
  octalTraps: OctalTrap[];
}

/** Pending references, checked against the final group count (compile_regex's ERR15). */
export interface PendingRef {
  kind: 'number' | 'name' | 'recurseName' | 'condNumber' | 'condName';
  number: number;
  name?: string;
  /** PCRE2's recorded error offset for this reference. */
  offset: number;
  node: { number: number };
}

const C_BS = 92, C_LP = 40, C_RP = 41, C_LB = 91, C_RB = 93, C_LC = 123, C_RC = 125;
const C_Q = 63, C_STAR = 42, C_PLUS = 43, C_BAR = 124, C_DOT = 46, C_CARET = 94, C_DOLLAR = 36;
const C_MINUS = 45, C_COLON = 58, C_HASH = 35, C_LT = 60, C_GT = 62, C_EQ = 61, C_BANG = 33;
const C_APOS = 39, C_COMMA = 44, C_SPACE = 32, C_TAB = 9;

// Bytes that may start something other than a literal outside a class (parse_regex()'s switch).
const SPECIAL = new Uint8Array(128);
for (const ch of '\\^$.*+?{[(|)') SPECIAL[ch.charCodeAt(0)] = 1;

const MAX_REPEAT = 65535;
const MAX_GROUP = 65535;

function isDigit(c: number): boolean { return c >= 48 && c <= 57; }
function xdigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}
/** C-locale isspace(): \t \n \v \f \r and space. */
function isSpace(c: number): boolean { return c === 32 || (c >= 9 && c <= 13); }
function isWord(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

// Escape letters (check_escape's `escapes` table, ASCII): a positive number is a data byte,
// a string names a special escape, undefined means "needs more work" (handled in a switch).
const ESCAPE_TABLE: (number | string | undefined)[] = new Array(128);
for (const [ch, v] of Object.entries({
  A: 'A', B: 'B', C: 'C', D: 'D', E: 'E', G: 'G', H: 'H', K: 'K', N: 'N', P: 'P', Q: 'Q', R: 'R',
  S: 'S', V: 'V', W: 'W', X: 'X', Z: 'Z', b: 'b', d: 'd', h: 'h', k: 'k', p: 'p', s: 's', v: 'v',
  w: 'w', z: 'z', a: 7, e: 27, f: 12, n: 10, r: 13, t: 9,
} as Record<string, number | string>)) ESCAPE_TABLE[ch.charCodeAt(0)] = v;

// \d \D \w \W \s \S \h \H \v \V: character types with nothing more to read.
const CHAR_TYPES = new Uint8Array(128);
for (const ch of 'dDwWsShHvV') CHAR_TYPES[ch.charCodeAt(0)] = 1;

const POSIX_NAMES = ['alpha', 'lower', 'upper', 'alnum', 'ascii', 'blank', 'cntrl', 'digit',
  'graph', 'print', 'punct', 'space', 'word', 'xdigit'];

const VERBS: Record<string, number> = {
  // name → has_arg: +1 required, 0 optional, -1 none (the verbs table of pcre2_compile.c)
  '': 1, MARK: 1, ACCEPT: -1, F: -1, FAIL: -1, COMMIT: 0, PRUNE: 0, SKIP: 0, THEN: 0,
};
const ALPHA_ASSERTIONS: Record<string, GroupKind | 'scriptRun' | 'atomicScriptRun'> = {
  pla: 'lookahead', plb: 'lookbehind', napla: 'nonAtomicLookahead', naplb: 'nonAtomicLookbehind',
  nla: 'negativeLookahead', nlb: 'negativeLookbehind', positive_lookahead: 'lookahead',
  positive_lookbehind: 'lookbehind', non_atomic_positive_lookahead: 'nonAtomicLookahead',
  non_atomic_positive_lookbehind: 'nonAtomicLookbehind', negative_lookahead: 'negativeLookahead',
  negative_lookbehind: 'negativeLookbehind', atomic: 'atomic', sr: 'scriptRun', asr: 'atomicScriptRun',
  script_run: 'scriptRun', atomic_script_run: 'atomicScriptRun',
};

/** Options tracked while scanning (PARSE_TRACKED_OPTIONS plus what the tree needs). */
interface Flags {
  caseless: boolean; dotall: boolean; multiline: boolean; extended: boolean; extendedMore: boolean;
  noAutoCapture: boolean; ungreedy: boolean; dupNames: boolean;
}

interface Frame {
  kind: GroupKind | 'root' | 'conditional';
  start: number;
  alts: Node[][];
  altStarts: number[];
  items: Node[];
  saved: Flags;
  number?: number;
  name?: string;
  flags?: FlagChanges;
  /** Branch reset (?|…): bracount at the start and the highest number reached. */
  reset: boolean;
  resetGroup: number;
  maxGroup: number;
  /** This group is the assertion of a conditional (closing it must not allow a quantifier). */
  condAssert: boolean;
  condition?: Condition;
  /** For conditionals whose condition is an assertion: waiting for it. */
  awaitingAssert?: boolean;
  /** Offset PCRE2 reports for lookbehind / conditional errors. */
  offset: number;
  flagSets: { scopeEnd: number }[];
  /** captures.length when the group opened: it holds a capture when that grew. */
  capturesAtOpen: number;
}

function copyFlags(f: Flags): Flags {
  return {
    caseless: f.caseless, dotall: f.dotall, multiline: f.multiline, extended: f.extended,
    extendedMore: f.extendedMore, noAutoCapture: f.noAutoCapture, ungreedy: f.ungreedy, dupNames: f.dupNames,
  };
}

/** A branch's items as one node: the item itself when there is one, else a sequence. */
function sequenceOf(items: Node[], start: number, end: number): Node {
  return items.length === 1 ? items[0] : sequenceNode(items, start, end);
}

class ParseError {
  constructor(public code: number, public offset: number) {}
}

export class Parser {
  readonly p: string;
  readonly n: number;
  readonly v47: boolean;
  pos = 0;
  flags: Flags;
  bracount = 0;
  names = new Map<string, number[]>();
  nameList: { name: string; number: number }[] = [];
  captures: CaptureInfo[] = [];
  trivia: Trivia[] = [];
  refs: PendingRef[] = [];
  octalTraps: OctalTrap[] = [];
  /** First-occurrence offsets of \1…\9 (small_ref_offset). */
  smallRefOffset: number[] = [];
  stack: Frame[] = [];
  frame: Frame;
  inEscQ = false;
  okQuant = false;
  lastQuant: Quantified | null = null;
  expectCondAssert = 0;
  hasLookbehind = false;
  sawGroupRepeat = false;
  sawKeep = false;
  /**
   * False while the tree holds nothing findUnsupported() (unsupported.ts) can report: no
   * back-reference, subroutine call, \K, verb other than (*FAIL), \X, conditional group or
   * non-atomic assertion, and no group holding a capture under a quantifier whose maximum is not
   * 1. Then it answers `[]` without walking the tree (RegexAst.mayBeUnsupported).
   */
  mayBeUnsupported = false;
  /** The group closeParen() pushed last, and whether it holds a capture (for quantifier()). */
  lastGroup: Node | null = null;
  lastGroupHasCapture = false;

  constructor(pattern: string, options: RegexOptions) {
    this.p = pattern;
    this.n = pattern.length;
    this.v47 = (options.version ?? '10.47') !== '10.42';
    this.flags = {
      caseless: options.caseless, dotall: options.dotall, multiline: false, extended: false,
      extendedMore: false, noAutoCapture: false, ungreedy: false, dupNames: false,
    };
    this.frame = this.newFrame('root', 0, 0);
  }

  newFrame(kind: Frame['kind'], start: number, offset: number): Frame {
    return {
      kind, start, alts: [], altStarts: [start], items: [], saved: copyFlags(this.flags), reset: false,
      resetGroup: 0, maxGroup: 0, condAssert: false, offset, flagSets: [], capturesAtOpen: this.captures.length,
    };
  }

  c(i: number): number { return i < this.n ? this.p.charCodeAt(i) : -1; }

  fail(code: number, offset: number): never { throw new ParseError(code, offset); }

  push(node: Node): void { this.frame.items.push(node); }

  /** push() for a node findUnsupported() may report on (see mayBeUnsupported). */
  pushReported(node: Node): void {
    this.frame.items.push(node);
    this.mayBeUnsupported = true;
  }

  /** Start-of-pattern (*UTF) (*UCP) (*CR) (*LIMIT_MATCH=n) … settings (pcre2_compile's pso_list). */
  skipStartOptions(): void {
    const p = this.p;
    for (;;) {
      if (!(p.charCodeAt(this.pos) === C_LP && p.charCodeAt(this.pos + 1) === C_STAR)) return;
      const m = /^\(\*(UTF|UCP|NOTEMPTY_ATSTART|NOTEMPTY|NO_AUTO_POSSESS|NO_DOTSTAR_ANCHOR|NO_JIT|NO_START_OPT|CASELESS_RESTRICT|TURKISH_CASING|CR|LF|CRLF|ANY|NUL|ANYCRLF|BSR_ANYCRLF|BSR_UNICODE)\)/.exec(p.slice(this.pos, this.pos + 30));
      if (m) {
        this.pushReported(verbNode(m[1], undefined, this.pos, this.pos + m[0].length));
        this.pos += m[0].length;
        continue;
      }
      const l = /^\(\*(LIMIT_HEAP|LIMIT_MATCH|LIMIT_DEPTH|LIMIT_RECURSION)=/.exec(p.slice(this.pos, this.pos + 20));
      if (!l) return;
      let q = this.pos + l[0].length;
      if (!isDigit(this.c(q))) this.fail(160, q);
      let v = 0;
      while (isDigit(this.c(q))) {
        v = v * 10 + this.c(q++) - 48;
        if (v > 429496729) this.fail(160, q);
      }
      if (this.c(q) !== C_RP) this.fail(160, q);
      this.pushReported(verbNode(l[1], String(v), this.pos, q + 1));
      this.pos = q + 1;
    }
  }

  parse(): Node {
    this.skipStartOptions();
    const n = this.n;
    while (this.pos < n) {
      const thisPos = this.pos;
      const c = this.p.charCodeAt(this.pos++);
      if (this.inEscQ) {
        if (c === C_BS && this.c(this.pos) === 69 /* E */) {
          this.inEscQ = false;
          this.trivia.push({ kind: 'quoteEnd', start: thisPos, end: this.pos + 1 });
          this.pos++;
        } else {
          if (this.expectCondAssert > 0) this.fail(128, thisPos);
          this.literal(c, 'quoted', thisPos);
          this.lastQuant = null;
        }
        continue;
      }
      // \Q and \E leave the quantifier state alone, so A\Q\E+ is A+.
      if (c === C_BS && this.pos < n) {
        const d = this.p.charCodeAt(this.pos);
        if (d === 81 || d === 69) {
          this.inEscQ = d === 81;
          this.trivia.push({ kind: d === 81 ? 'quoteStart' : 'quoteEnd', start: thisPos, end: this.pos + 1 });
          this.pos++;
          continue;
        }
      }
      if (this.flags.extended) {
        if (isSpace(c)) { this.trivia.push({ kind: 'whitespace', start: thisPos, end: this.pos }); continue; }
        if (c === C_HASH) {
          while (this.pos < n && this.p.charCodeAt(this.pos) !== 10) this.pos++;
          if (this.pos < n) this.pos++;
          this.trivia.push({ kind: 'extendedComment', start: thisPos, end: this.pos });
          continue;
        }
      }
      if (c === C_LP && this.c(this.pos) === C_Q && this.c(this.pos + 1) === C_HASH) {
        this.pos++;
        while (++this.pos < n && this.p.charCodeAt(this.pos) !== C_RP);
        if (this.pos >= n) this.fail(118, this.pos);
        this.pos++;
        this.trivia.push({ kind: 'comment', start: thisPos, end: this.pos });
        continue;
      }
      if (this.expectCondAssert > 0) {
        let ok = c === C_LP && n - this.pos >= 3 && (this.c(this.pos) === C_Q || this.c(this.pos) === C_STAR);
        if (ok) {
          const d1 = this.c(this.pos + 1);
          if (this.c(this.pos) === C_STAR) ok = d1 >= 97 && d1 <= 122;
          else if (d1 === 67 /* C */) ok = this.expectCondAssert === 2;
          else if (d1 === C_EQ || d1 === C_BANG) ok = true;
          else if (d1 === C_LT) ok = this.c(this.pos + 2) === C_EQ || this.c(this.pos + 2) === C_BANG;
          else ok = false;
        }
        if (!ok) this.fail(128, this.pos - 1);
      }
      const prevExpect = this.expectCondAssert;
      this.expectCondAssert = 0;
      const prevOk = this.okQuant;
      const prevQuant = this.lastQuant;
      this.okQuant = false;
      this.lastQuant = null;
      if (prevQuant !== null && (c === C_Q || c === C_PLUS)) {
        if (c === C_PLUS) prevQuant.mode = 'possessive';
        else prevQuant.mode = this.flags.ungreedy ? 'greedy' : 'lazy';
        prevQuant.end = this.pos;
        continue;
      }
      switch (c) {
        case C_BS: this.escape(thisPos); break;
        case C_CARET:
          this.push(anchorNode('^', this.flags.multiline, thisPos, this.pos));
          break;
        case C_DOLLAR:
          this.push(anchorNode('$', this.flags.multiline, thisPos, this.pos));
          break;
        case C_DOT:
          this.push(dotNode(this.flags.dotall, thisPos, this.pos));
          this.okQuant = true;
          break;
        case C_STAR: this.quantifier(thisPos, 0, null, prevOk); break;
        case C_PLUS: this.quantifier(thisPos, 1, null, prevOk); break;
        case C_Q: this.quantifier(thisPos, 0, 1, prevOk); break;
        case C_LC: {
          const r = this.readRepeat(this.pos);
          if (r === null) { this.literal(c, 'raw', thisPos); break; }
          this.pos = r.end;
          this.quantifier(thisPos, r.min, r.max, prevOk);
          break;
        }
        case C_LB: this.charClass(thisPos); break;
        case C_LP: this.openParen(thisPos, prevExpect); break;
        case C_BAR: this.alternative(thisPos); break;
        case C_RP: this.closeParen(thisPos); break;
        default: this.literalRun(c, thisPos);
      }
    }
    if (this.stack.length > 0) this.fail(114, this.pos);
    return this.finishFrame(this.frame, this.n);
  }

  /**
   * A raw literal byte and the plain bytes after it. Nearly every node of nmap's patterns is such
   * a byte, so they skip the main loop's per-character checks: a byte that is not one of
   * parse_regex()'s special characters (and, under (?x), not white space or `#`) is a literal
   * whatever precedes it, and a quantifier after the run still applies to its last byte.
   */
  literalRun(byte: number, start: number): void {
    const items = this.frame.items;
    const caseless = this.flags.caseless;
    const p = this.p;
    const n = this.n;
    let q = this.pos;
    items.push(literalNode(byte, 'raw', caseless, start, q));
    if (!this.flags.extended) {
      while (q < n) {
        const d = p.charCodeAt(q);
        if (d < 128 && SPECIAL[d] === 1) break;
        items.push(literalNode(d, 'raw', caseless, q, q + 1));
        q++;
      }
      this.pos = q;
    }
    this.okQuant = true;
  }

  literal(byte: number, form: LiteralForm, start: number): void {
    this.push(literalNode(byte, form, this.flags.caseless, start, this.pos));
    this.okQuant = true;
  }

  quantifier(start: number, min: number, max: number | null, prevOk: boolean): void {
    if (!prevOk) this.fail(109, this.v47 ? this.pos : this.pos - 1);
    const items = this.frame.items;
    const body = items[items.length - 1];
    // A group (or recursion) repeated more than once is copied in the compiled code: check.ts
    // then computes the compiled length (ERR20).
    if ((min > 1 || (max !== null && max > 1)) && (body.type === 'group' || body.type === 'conditional' || body.type === 'subroutine')) this.sawGroupRepeat = true;
    const q: Quantified = quantifiedNode(body, min, max, this.flags.ungreedy ? 'lazy' : 'greedy', start, body.start, this.pos);
    items[items.length - 1] = q;
    this.lastQuant = q;
    // A repeated group with captures: JS and PCRE2 may disagree on what the captures hold.
    if (max !== 1 && !this.mayBeUnsupported && (body.type === 'group' || body.type === 'conditional')) {
      this.mayBeUnsupported = body !== this.lastGroup || this.lastGroupHasCapture;
    }
  }

  /** read_repeat_counts(): {n} {n,} {n,m} (and in 10.47 {,m} and spaces). null = not a quantifier. */
  readRepeat(from: number): { min: number; max: number | null; end: number } | null {
    if (!this.v47) {
      let q = from;
      let comma = false;
      for (;; q++) {
        const d = this.c(q);
        if (d < 0) return null;
        if (isDigit(d)) continue;
        if (d === C_RC) break;
        if (d === C_COMMA) { if (comma) return null; comma = true; } else return null;
      }
      q = from;
      const min = this.readCount(q);
      q = this.numEnd;
      if (min < 0) return null; // `{,…}` is not a quantifier in 10.42
      if (this.c(q) === C_RC) return { min, max: min, end: q + 1 };
      q++;
      if (this.c(q) === C_RC) return { min, max: null, end: q + 1 };
      const max = this.readCount(q);
      q = this.numEnd;
      if (max < min) this.fail(104, q);
      return { min, max, end: q + 1 };
    }
    let q = from;
    q = this.skipBlanks(q);
    let pp = q;
    let hadMin = false;
    if (isDigit(this.c(pp))) { hadMin = true; while (isDigit(this.c(++pp))); }
    pp = this.skipBlanks(pp);
    if (pp >= this.n) return null;
    if (this.c(pp) === C_RC) {
      if (!hadMin) return null;
    } else {
      if (this.c(pp++) !== C_COMMA) return null;
      pp = this.skipBlanks(pp);
      if (pp >= this.n) return null;
      if (isDigit(this.c(pp))) { while (isDigit(this.c(++pp))); } else if (!hadMin) return null;
      pp = this.skipBlanks(pp);
      if (this.c(pp) !== C_RC) return null;
    }
    let min = 0;
    let max: number | null = null;
    if (!isDigit(this.c(q))) {
      q = this.skipBlanks(q + 1);
      max = this.readCount(q);
      q = this.numEnd;
    } else {
      min = this.readCount(q);
      q = this.skipBlanks(this.numEnd);
      if (this.c(q) === C_RC) max = min;
      else {
        q = this.skipBlanks(q + 1);
        if (isDigit(this.c(q))) {
          max = this.readCount(q);
          q = this.numEnd;
          if (max < min) this.fail(104, q);
        }
      }
    }
    q = this.skipBlanks(q);
    return { min, max, end: q + 1 };
  }

  /** 10.47's read_repeat_counts() skips spaces and tabs around the numbers. */
  skipBlanks(i: number): number {
    while (this.c(i) === C_SPACE || this.c(i) === C_TAB) i++;
    return i;
  }

  numEnd = 0;
  /** read_number() for repeat counts: −1 if no digits; ERR5 when over 65535. Sets numEnd. */
  readCount(q: number): number {
    if (!isDigit(this.c(q))) { this.numEnd = q; return -1; }
    let v = 0;
    while (isDigit(this.c(q))) {
      v = v * 10 + this.c(q++) - 48;
      if (v > MAX_REPEAT) {
        if (this.v47) while (isDigit(this.c(q))) q++;
        this.fail(105, q);
      }
    }
    this.numEnd = q;
    return v;
  }

  /**
   * read_number() with an optional sign relative to the current group count. Returns null when
   * there are no digits; throws PCRE2's errors. Sets numEnd.
   */
  readSigned(q: number, allowSign: number, maxError: number): number | null {
    let sign = 0;
    let maxValue = MAX_GROUP;
    if (allowSign >= 0) {
      if (this.c(q) === C_PLUS) { sign = 1; maxValue -= allowSign; q++; } else if (this.c(q) === C_MINUS) { sign = -1; q++; }
    }
    if (!isDigit(this.c(q))) { this.numEnd = q; return null; }
    let v = 0;
    while (isDigit(this.c(q))) {
      v = v * 10 + this.c(q++) - 48;
      if (v > maxValue) {
        if (this.v47) while (isDigit(this.c(q))) q++;
        this.fail(maxError, q);
      }
    }
    if (allowSign >= 0 && sign !== 0) {
      if (v === 0) this.fail(126, q);
      if (sign > 0) v += allowSign;
      else if (v > allowSign) this.fail(115, q);
      else v = allowSign + 1 - v;
    }
    this.numEnd = q;
    return v;
  }

  /** readSigned() through a local pointer: check_escape reports its errors at `reportAt`. */
  readSignedAt(q: number, reportAt: number): number | null {
    try {
      return this.readSigned(q, this.bracount, 161);
    } catch (e) {
      if (e instanceof ParseError) e.offset = reportAt;
      throw e;
    }
  }

  /**
   * read_name(): `ptr` is at the character before the name (the opening delimiter or `*`).
   * For group names, the terminator must follow. Returns the name; sets numEnd past it.
   */
  readName(at: number, terminator: number, isGroup: boolean): string {
    let q = at + 1;
    if (q >= this.n) this.fail(isGroup ? 162 : 160, q);
    const nameStart = q;
    if (isGroup && isDigit(this.c(q))) this.fail(144, this.v47 ? q + 1 : q);
    while (q < this.n && isWord(this.p.charCodeAt(q))) q++;
    if (q - nameStart > (this.v47 ? 128 : 32)) this.fail(148, q);
    if (isGroup) {
      if (q === nameStart) this.fail(162, q);
      if (this.c(q) !== terminator) this.fail(142, q);
      q++;
    }
    this.numEnd = q;
    return this.p.slice(nameStart, isGroup ? q - 1 : q);
  }

  /** Outside a class: \ at thisPos. */
  escape(start: number): void {
    // The common escapes (punctuation, \r \n \t …, \d \s \w …) answered as check_escape()
    // would, without building its result; readEscape() has the rest.
    const c = this.pos < this.n ? this.p.charCodeAt(this.pos) : -1;
    if (c >= 0) {
      if (c < 48 || c > 122 || (c > 57 && c < 65) || (c > 90 && c < 97)) {
        this.pos++;
        this.literal(c, 'escaped', start);
        return;
      }
      const t = ESCAPE_TABLE[c];
      if (typeof t === 'number') {
        this.pos++;
        this.literal(t, 'named', start);
        return;
      }
      if (CHAR_TYPES[c] === 1) {
        this.pos++;
        this.push(charTypeNode(t as CharTypeKind, start, this.pos));
        this.okQuant = true;
        return;
      }
    }
    const e = this.readEscape(start, false);
    const end = this.pos;
    switch (e.kind) {
      case 'byte':
        this.literal(e.byte, e.form, start);
        return;
      case 'backref': {
        const node = backrefNode(e.number, undefined, e.form, this.flags.caseless, start, end);
        this.mayBeUnsupported = true;
        const offset = this.v47 ? end : end - 1;
        if (e.number < 10) {
          if (this.smallRefOffset[e.number] === undefined) this.smallRefOffset[e.number] = offset;
          this.refs.push({ kind: 'number', number: e.number, offset: this.smallRefOffset[e.number], node });
        } else this.refs.push({ kind: 'number', number: e.number, offset, node });
        this.push(node);
        this.okQuant = true;
        return;
      }
      case 'type': {
        const k = e.type;
        if (k === 'A' || k === 'Z' || k === 'z' || k === 'G') {
          this.push(anchorNode(k, false, start, end));
        } else if (k === 'b' || k === 'B') {
          this.push(wordBoundaryNode(k === 'B', start, end));
        } else if (k === 'K') {
          this.sawKeep = true;
          this.pushReported(keepNode(start, end));
        } else if (k === 'p' || k === 'P') {
          this.unicodeProperty(start, k === 'P');
        } else if (k === 'g' || k === 'k') {
          this.namedRef(start, k);
        } else {
          this.push(charTypeNode(k as CharTypeKind, start, end));
          if (k === 'X') this.mayBeUnsupported = true;
          this.okQuant = true;
        }
        return;
      }
    }
  }

  /** \p{…} / \P{…} / \pL: Unicode properties work in byte mode on code points 0–255. */
  unicodeProperty(start: number, negated: boolean): void {
    this.readProperty();
    this.push(charTypeNode(negated ? 'W' : 'w', start, this.pos));
    this.okQuant = true;
  }

  /**
   * get_ucp(): `pos` is just after \p or \P. A malformed property is ERR46, an unknown name ERR47,
   * both at the scan position; the name is folded as PCRE2 folds it (lower case, "_", "-" and
   * white space dropped, a leading "^" negates). 10.47 allows "^" after white space and refuses
   * bytes outside "&"…"z" as malformed; 10.42 takes them into the name (then unknown).
   */
  readProperty(): void {
    const p = this.p;
    const n = this.n;
    const v47 = this.v47;
    let q = this.pos;
    if (q >= n) this.fail(146, q);
    let c = p.charCodeAt(q++);
    let name = '';
    let separator = -1;
    if (c === C_LC) {
      if (q >= n) this.fail(146, q);
      let negated = false;
      if (!v47 && p.charCodeAt(q) === C_CARET) { negated = true; q++; }
      for (let i = 0; i < 49; i++) {
        for (;;) {
          if (q >= n) this.fail(146, q);
          c = p.charCodeAt(q++);
          if (c === 95 || c === C_MINUS || isSpace(c)) continue;
          if (v47 && i === 0 && !negated && c === C_CARET) { negated = true; continue; }
          break;
        }
        if (c === 0) this.fail(146, q);
        if (c === C_RC) break;
        if (v47 && (c < 38 || c > 122)) this.fail(146, q);
        if (c >= 65 && c <= 90) c |= 0x20;
        if ((c === C_COLON || c === C_EQ) && separator < 0) separator = i;
        name += String.fromCharCode(c);
      }
      if (c !== C_RC) this.fail(146, q);
    } else if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) {
      name = String.fromCharCode(c | 0x20);
    } else this.fail(146, q);
    this.pos = q;
    if (!knownProperty(name, separator, v47)) this.fail(147, q);
  }

  /** \g<…> \g'…' (subroutine calls), \g{name} \k{…} \k<…> \k'…' (named backreferences). */
  namedRef(start: number, k: 'g' | 'k'): void {
    const d = this.c(this.pos);
    if (d !== C_LC && d !== C_LT && d !== C_APOS) this.fail(k === 'g' ? 157 : 169, this.pos);
    const term = d === C_LT ? C_GT : d === C_APOS ? C_APOS : C_RC;
    if (k === 'g' && term !== C_RC) {
      const num = this.readSignedAt(this.pos + 1, this.pos);
      if (num !== null) {
        const q = this.numEnd;
        if (this.c(q) !== term) this.fail(157, q);
        this.pos = q;
        this.recursion(start, num);
        return;
      }
    }
    const name = this.readName(this.pos, term, true);
    const nameOffset = this.pos + 1;
    this.pos = this.numEnd;
    if (k === 'k' || term === C_RC) {
      const node = backrefNode(0, name, k === 'k' ? 'kName' : 'gName', this.flags.caseless, start, this.pos);
      this.mayBeUnsupported = true;
      this.refs.push({ kind: 'name', number: 0, name, offset: nameOffset, node });
      this.push(node);
    } else {
      const node = subroutineNode(0, name, start, this.pos);
      this.mayBeUnsupported = true;
      this.refs.push({ kind: 'recurseName', number: 0, name, offset: nameOffset, node });
      this.push(node);
    }
    this.okQuant = true;
  }

  /** SET_RECURSION: `pos` is at the closing delimiter. */
  recursion(start: number, number: number): void {
    const offset = this.pos;
    this.pos++;
    const node = subroutineNode(number, undefined, start, this.pos);
    this.mayBeUnsupported = true;
    this.refs.push({ kind: 'number', number, offset, node });
    this.push(node);
    this.okQuant = true;
  }

  /**
   * check_escape(): `pos` is just after the backslash at `start`. Returns a data byte, a
   * backreference number or a special escape letter; throws PCRE2's error.
   */
  readEscape(start: number, inClass: boolean):
    | { kind: 'byte'; byte: number; form: LiteralForm }
    | { kind: 'backref'; number: number; form: 'digits' | 'g' | 'gBrace' | 'gRelative' }
    | { kind: 'type'; type: string } {
    const v47 = this.v47;
    if (this.pos >= this.n) this.fail(101, this.pos);
    const c = this.p.charCodeAt(this.pos++);
    if (c < 48 || c > 122) return { kind: 'byte', byte: c, form: 'escaped' };
    const t = ESCAPE_TABLE[c];
    if (typeof t === 'number') return { kind: 'byte', byte: t, form: 'named' };
    if (typeof t === 'string') {
      if (t === 'N' && this.c(this.pos) === C_LC) {
        let q = this.pos + 1;
        if (v47) while (this.c(q) === C_SPACE || this.c(q) === C_TAB) q++;
        if (this.n - q > 1 && this.c(q) === 85 && this.c(q + 1) === C_PLUS) {
          if (v47) {
            q += 2;
            while (xdigit(this.c(q)) >= 0) q++;
            while (this.c(q) === C_SPACE || this.c(q) === C_TAB) q++;
            if (this.c(q) === C_RC) q++;
            this.fail(193, q);
          }
          this.fail(193, this.pos);
        }
        if (v47 && inClass) this.fail(137, this.pos + 1);
        const saved = this.pos;
        const r = this.readRepeat(q);
        this.pos = saved;
        if (r === null) this.fail(137, v47 ? this.pos + 1 : this.pos);
      }
      return { kind: 'type', type: t };
    }
    if (c < 65 || (c > 90 && c < 97)) {
      if (isDigit(c)) return this.digitEscape(c, start, inClass);
      return { kind: 'byte', byte: c, form: 'escaped' };
    }
    switch (c) {
      case 70: case 108: case 76: case 117: case 85: // F l L u U
        this.fail(137, this.pos);
      case 103: { // g
        if (inClass) return { kind: 'byte', byte: c, form: 'escaped' };
        if (this.pos >= this.n) this.fail(157, this.pos);
        const d = this.c(this.pos);
        if (d === C_LT || d === C_APOS) return { kind: 'type', type: 'g' };
        let s: number | null;
        let form: 'g' | 'gBrace' | 'gRelative' = 'g';
        if (d === C_LC) {
          let q = this.pos + 1;
          if (v47) while (this.c(q) === C_SPACE || this.c(q) === C_TAB) q++;
          s = this.readSignedAt(q, this.pos);
          if (s === null) return { kind: 'type', type: 'k' };
          q = this.numEnd;
          if (v47) while (this.c(q) === C_SPACE || this.c(q) === C_TAB) q++;
          if (this.c(q) !== C_RC) this.fail(v47 ? 219 : 157, v47 ? q : this.pos);
          form = 'gBrace';
          this.pos = q + 1;
        } else {
          s = this.readSigned(this.pos, this.bracount, 161);
          if (s === null) this.fail(157, this.pos);
          if (d === C_MINUS || d === C_PLUS) form = 'gRelative';
          this.pos = this.numEnd;
        }
        if (s <= 0) this.fail(115, this.pos);
        return { kind: 'backref', number: s, form };
      }
      case 111: { // o
        if (this.c(this.pos) !== C_LC) this.fail(155, this.pos);
        this.pos++;
        if (v47) while (this.c(this.pos) === C_SPACE || this.c(this.pos) === C_TAB) this.pos++;
        if (this.pos >= this.n || this.c(this.pos) === C_RC) this.fail(178, this.pos);
        let v = 0;
        let overflow = false;
        while (this.c(this.pos) >= 48 && this.c(this.pos) <= 55) {
          const cc = this.p.charCodeAt(this.pos++);
          if (v === 0 && cc === 48) continue;
          v = v * 8 + cc - 48;
          if (v > 0xff) { overflow = true; break; }
        }
        if (v47) while (this.c(this.pos) === C_SPACE || this.c(this.pos) === C_TAB) this.pos++;
        if (overflow) {
          while (this.c(this.pos) >= 48 && this.c(this.pos) <= 55) this.pos++;
          this.fail(134, this.pos);
        }
        if (this.c(this.pos) === C_RC) { this.pos++; return { kind: 'byte', byte: v, form: 'octalBrace' }; }
        this.fail(164, v47 ? this.pos + 1 : this.pos);
      }
      case 120: { // x
        if (this.c(this.pos) === C_LC) {
          this.pos++;
          if (v47) while (this.c(this.pos) === C_SPACE || this.c(this.pos) === C_TAB) this.pos++;
          if (this.pos >= this.n || this.c(this.pos) === C_RC) this.fail(178, this.pos);
          let v = 0;
          let overflow = false;
          let cc: number;
          while ((cc = xdigit(this.c(this.pos))) >= 0) {
            this.pos++;
            if (v === 0 && cc === 0) continue;
            v = v * 16 + cc;
            if (v > 0xff) { overflow = true; break; }
          }
          if (v47) while (this.c(this.pos) === C_SPACE || this.c(this.pos) === C_TAB) this.pos++;
          if (overflow) {
            while (xdigit(this.c(this.pos)) >= 0) this.pos++;
            this.fail(134, this.pos);
          }
          if (this.c(this.pos) === C_RC) { this.pos++; return { kind: 'byte', byte: v, form: 'hexBrace' }; }
          this.fail(167, v47 ? this.pos + 1 : this.pos);
        }
        let cc = xdigit(this.c(this.pos));
        if (cc < 0) {
          if (v47) this.fail(178, this.pos);
          return { kind: 'byte', byte: 0, form: 'hex' };
        }
        this.pos++;
        let v = cc;
        cc = xdigit(this.c(this.pos));
        if (cc >= 0) { this.pos++; v = v * 16 + cc; }
        return { kind: 'byte', byte: v, form: 'hex' };
      }
      case 99: { // c
        if (this.pos >= this.n) this.fail(102, this.pos);
        let d = this.p.charCodeAt(this.pos);
        if (d >= 97 && d <= 122) d -= 32;
        if (d < 32 || d > 126) this.fail(168, v47 ? this.pos + 1 : this.pos);
        this.pos++;
        return { kind: 'byte', byte: d ^ 0x40, form: 'control' };
      }
      default:
        this.fail(103, v47 ? this.pos : this.pos - 1);
    }
  }

  /** \1…\9, \0…: backreference outside a class when PCRE2 says so, else octal (or literal 8/9). */
  digitEscape(c: number, start: number, inClass: boolean):
    | { kind: 'byte'; byte: number; form: LiteralForm }
    | { kind: 'backref'; number: number; form: 'digits' } {
    if (c !== 48 && !inClass) {
      const old = this.pos;
      let q = old - 1;
      let s = 0;
      let big = false;
      while (isDigit(this.c(q))) {
        s = s * 10 + this.c(q++) - 48;
        if (s > (this.v47 ? MAX_GROUP : 214748363)) { big = true; break; }
      }
      if (big && this.v47) { while (isDigit(this.c(q))) q++; }
      if (big || s < 10 || c >= 56 || s <= this.bracount) {
        this.pos = q;
        if (big || s > MAX_GROUP) this.fail(161, q);
        return { kind: 'backref', number: s, form: 'digits' };
      }
      this.pos = old;
    }
    if (c >= 56) return { kind: 'byte', byte: c, form: 'escaped' };
    let v = c - 48;
    let i = 0;
    while (i++ < 2 && this.c(this.pos) >= 48 && this.c(this.pos) <= 55) v = v * 8 + this.p.charCodeAt(this.pos++) - 48;
    if (v > 0xff) this.fail(151, this.pos);
    if (c === 48 && this.pos - start > 2) {
      this.octalTraps.push({ offset: start, length: this.pos - start, reads: String.fromCharCode(v) });
    }
    return { kind: 'byte', byte: v, form: 'octal' };
  }

  /** check_posix_syntax(): at `[` followed by : . or =; returns the offset of the closing terminator or −1. */
  posixEnd(q: number): number {
    return posixSyntaxEnd(this.p, q);
  }

  charClass(start: number): void {
    const v47 = this.v47;
    const n = this.n;
    this.okQuant = true;
    if (this.p.startsWith('[:<:]]', this.pos) || this.p.startsWith('[:>:]]', this.pos)) {
      // [[:<:]] and [[:>:]]: start and end of word, \b(?=\w) and \b(?<=\w).
      this.pos += 6;
      this.push(wordBoundaryNode(false, start, this.pos));
      return;
    }
    const d0 = this.c(this.pos);
    if (d0 === C_COLON || d0 === C_DOT || d0 === C_EQ) {
      const te = this.posixEnd(this.pos);
      if (te >= 0) this.fail(d0 === C_COLON ? 112 : 113, v47 ? te + 2 : this.pos - 1);
    }
    let negated = false;
    let c = -1;
    while (this.pos < n) {
      c = this.p.charCodeAt(this.pos++);
      if (c === C_BS) {
        if (this.c(this.pos) === 69) this.pos++;
        else if (this.p.startsWith('Q\\E', this.pos)) this.pos += 3;
        else break;
      } else if (this.flags.extendedMore && (c === C_SPACE || c === C_TAB)) continue;
      else if (!negated && c === C_CARET) negated = true;
      else break;
    }
    if (this.pos >= n && c !== C_RB && !(c === C_BS)) {
      // Ran out inside the prologue (e.g. "[" or "[^"): the loop below reports ERR6.
    }
    const items: ClassItem[] = [];
    const cls: CharClass = classNode(negated, items, this.flags.caseless, start, start);
    // RANGE_NO 0, RANGE_STARTED 1, RANGE_OK_ESCAPED 2, RANGE_OK_LITERAL 3 (and 10.47's forbid state 4).
    let rangeState = 0;
    let rangeDashPos = 0;
    let itemStart = this.pos - 1;
    if (c < 0 || (this.pos >= n && c !== C_RB && c !== C_BS && c < 0)) this.fail(106, this.pos);
    for (;;) {
      let literal = -1;
      let form: LiteralForm = 'raw';
      if (this.inEscQ) {
        if (c === C_BS && this.c(this.pos) === 69) {
          this.inEscQ = false;
          this.trivia.push({ kind: 'quoteEnd', start: this.pos - 1, end: this.pos + 1 });
          this.pos++;
        } else { literal = c; form = 'quoted'; }
      } else if (this.flags.extendedMore && (c === C_SPACE || c === C_TAB)) {
        // ignored
      } else if (c === C_LB && n - this.pos >= 3 && (this.c(this.pos) === C_COLON || this.c(this.pos) === C_DOT || this.c(this.pos) === C_EQ) && this.posixEnd(this.pos) >= 0) {
        const te = this.posixEnd(this.pos);
        if (rangeState === 1) this.fail(150, v47 ? te + 2 : this.pos);
        if (this.c(this.pos) !== C_COLON) this.fail(113, v47 ? te + 2 : this.pos - 1);
        let q = this.pos + 1;
        let pneg = false;
        if (this.c(q) === C_CARET) { pneg = true; q++; }
        const name = this.p.slice(q, te);
        const idx = POSIX_NAMES.indexOf(name);
        if (idx < 0) this.fail(130, v47 ? te + 2 : q);
        this.pos = te + 2;
        if (!v47 && this.pos < n - 1 && this.c(this.pos) === C_MINUS && this.c(this.pos + 1) !== C_RB) this.fail(150, this.pos);
        items.push({ type: 'posix', name, negated: pneg, start: itemStart, end: this.pos });
        rangeState = v47 ? 4 : 0;
      } else if (c === C_MINUS && rangeState >= 2 && rangeState !== 4) {
        rangeDashPos = this.pos - 1;
        rangeState = 1;
      } else if (c === C_MINUS && rangeState === 4) {
        // 10.47: a hyphen after a class escape or POSIX class may not start a range.
        if (this.pos < n && this.c(this.pos) !== C_RB) this.fail(150, this.pos);
        literal = c;
      } else if (c !== C_BS) {
        literal = c;
      } else {
        const escStart = this.pos - 1;
        const e = this.readEscapeInClass(escStart, rangeState);
        if (e === null) {
          // \Q or \E handled inside
        } else if (e.kind === 'byte') {
          literal = e.byte;
          form = e.form;
          if (rangeState !== 1) rangeState = 0; // char_is_literal = FALSE below
        } else {
          if (rangeState === 1) this.fail(150, this.pos);
          const k = e.type as ClassEscapeKind;
          items.push({ type: 'escape', kind: k, start: escStart, end: this.pos });
          if (v47) rangeState = 4;
          else {
            rangeState = 0;
            if (this.pos < n - 1 && this.c(this.pos) === C_MINUS && this.c(this.pos + 1) !== C_RB) this.fail(150, this.pos);
          }
        }
        if (literal >= 0) {
          this.classLiteral(items, literal, form, itemStart, rangeState, rangeDashPos, false);
          rangeState = this.nextRangeState;
        }
        literal = -1;
      }
      if (literal >= 0) {
        this.classLiteral(items, literal, form, itemStart, rangeState, rangeDashPos, true);
        rangeState = this.nextRangeState;
      }
      // CLASS_CONTINUE
      if (this.pos >= n) this.fail(106, this.pos);
      itemStart = this.pos;
      c = this.p.charCodeAt(this.pos++);
      if (c === C_RB && !this.inEscQ) break;
    }
    if (rangeState === 1) {
      items.push({ type: 'byte', byte: C_MINUS, form: 'raw', start: rangeDashPos, end: rangeDashPos + 1 });
    }
    cls.end = this.pos;
    this.push(cls);
  }

  nextRangeState = 0;
  classLiteral(items: ClassItem[], byte: number, form: LiteralForm, start: number, rangeState: number, dashPos: number, isLiteral: boolean): void {
    const node: ClassByte = { type: 'byte', byte, form, start, end: this.pos };
    if (rangeState === 1) {
      const from = items[items.length - 1] as ClassByte;
      if (from.byte > byte) this.fail(108, this.v47 ? this.pos : this.pos - 1);
      items[items.length - 1] = { type: 'range', from, to: node, start: from.start, end: this.pos };
      void dashPos;
      this.nextRangeState = 0;
    } else {
      items.push(node);
      this.nextRangeState = isLiteral ? 3 : 2;
    }
  }

  /**
   * An escape inside a class; null for \Q / \E (state updated here). The order of the checks is
   * parse_regex()'s: in 10.42 a started range refuses every escape but a data byte (ERR50) before
   * \N, \p or an invalid escape is looked at; 10.47 judges the escape first (\k is a literal "k"
   * there) and leaves ERR50 to the caller, after a \p{…} has been read.
   */
  readEscapeInClass(start: number, rangeState: number): { kind: 'byte'; byte: number; form: LiteralForm } | { kind: 'type'; type: string } | null {
    const e = this.readEscape(start, true);
    if (e.kind === 'backref') return { kind: 'byte', byte: e.number, form: 'octal' }; // unreachable in class
    if (e.kind === 'byte') return e;
    const t = e.type;
    if (t === 'b') return { kind: 'byte', byte: 8, form: 'named' };
    if (t === 'k' && this.v47) return { kind: 'byte', byte: 107, form: 'escaped' };
    if (t === 'Q') { this.inEscQ = true; this.trivia.push({ kind: 'quoteStart', start, end: this.pos }); return null; }
    if (t === 'E') return null;
    if (t === 'B' || t === 'R' || t === 'X') this.fail(107, this.v47 ? this.pos : this.pos - 1);
    if (!this.v47 && rangeState === 1) this.fail(150, this.pos);
    if (t === 'N') this.fail(171, this.pos);
    if ('dDsSwWhHvV'.includes(t)) return e;
    if (t === 'p' || t === 'P') {
      this.readProperty();
      return { kind: 'type', type: t === 'P' ? 'W' : 'w' };
    }
    this.fail(107, this.v47 ? this.pos : this.pos - 1);
  }

  alternative(at: number): void {
    const f = this.frame;
    if (f.reset) {
      if (this.bracount > f.maxGroup) f.maxGroup = this.bracount;
      this.bracount = f.resetGroup;
    }
    f.alts.push(f.items);
    f.altStarts.push(at + 1);
    f.items = [];
  }

  openGroup(kind: Frame['kind'], start: number, offset = start): Frame {
    const f = this.newFrame(kind, start, offset);
    this.stack.push(this.frame);
    this.frame = f;
    return f;
  }

  openParen(start: number, prevExpect: number): void {
    const p = this.p;
    const n = this.n;
    if (this.pos >= n) this.fail(114, this.pos);
    const d = p.charCodeAt(this.pos);
    if (d !== C_Q) {
      if (d !== C_STAR) {
        if (!this.flags.noAutoCapture) {
          this.bracount++;
          const f = this.openGroup('capture', start);
          f.number = this.bracount;
          this.captures.push({ number: this.bracount, start, end: start });
        } else this.openGroup('nonCapture', start);
        return;
      }
      if (n - this.pos <= 1 || p.charCodeAt(this.pos + 1) === C_RP) {
        // "(*)" : a literal "(" followed by a quantifier that has nothing to repeat.
        this.okQuant = false;
        return;
      }
      const c1 = p.charCodeAt(this.pos + 1);
      if (c1 >= 97 && c1 <= 122) {
        const name = this.readName(this.pos, 0, false);
        this.pos = this.numEnd;
        if (this.c(this.pos) !== C_COLON) this.fail(195, this.pos);
        const kind = Object.prototype.hasOwnProperty.call(ALPHA_ASSERTIONS, name) ? ALPHA_ASSERTIONS[name] : undefined;
        if (kind === undefined) this.fail(195, this.pos);
        const isAssert = kind === 'lookahead' || kind === 'lookbehind' || kind === 'negativeLookahead' || kind === 'negativeLookbehind';
        if (prevExpect > 0 && !isAssert) this.fail(kind === 'nonAtomicLookahead' || kind === 'nonAtomicLookbehind' ? 198 : 128, this.pos);
        this.pos++;
        if (kind === 'scriptRun' || kind === 'atomicScriptRun') {
          this.openGroup(kind === 'atomicScriptRun' ? 'atomic' : 'nonCapture', start);
          return;
        }
        const f = this.openGroup(kind, start);
        if (kind === 'lookbehind' || kind === 'negativeLookbehind' || kind === 'nonAtomicLookbehind') this.hasLookbehind = true;
        if (prevExpect > 0) f.condAssert = true;
        return;
      }
      // (*VERB) or (*VERB:NAME)
      const name = this.readName(this.pos, 0, false);
      this.pos = this.numEnd;
      if (this.pos >= n || (this.c(this.pos) !== C_COLON && this.c(this.pos) !== C_RP)) this.fail(160, this.pos);
      const hasArg = Object.prototype.hasOwnProperty.call(VERBS, name) ? VERBS[name] : undefined;
      if (hasArg === undefined) this.fail(160, this.pos);
      if (this.c(this.pos) === C_COLON && this.c(this.pos + 1) === C_RP) this.pos++;
      if (hasArg > 0 && this.c(this.pos) !== C_COLON) this.fail(166, this.pos);
      const verbName = name === '' ? 'MARK' : name === 'F' ? 'FAIL' : name;
      if (this.p.charCodeAt(this.pos++) === C_COLON) {
        const argStart = this.pos;
        while (this.pos < n && this.p.charCodeAt(this.pos) !== C_RP) this.pos++;
        if (this.pos >= n) this.fail(160, this.pos);
        if (this.pos - argStart > 255) this.fail(176, this.pos);
        const arg = p.slice(argStart, this.pos);
        this.pos++;
        this.push(verbNode(verbName, arg, start, this.pos));
      } else {
        this.push(verbNode(verbName, undefined, start, this.pos));
      }
      if (verbName !== 'FAIL') this.mayBeUnsupported = true;
      this.okQuant = verbName === 'ACCEPT';
      return;
    }
    // (?…
    if (++this.pos >= n) this.fail(114, this.pos);
    const e = p.charCodeAt(this.pos);
    switch (e) {
      case C_BAR: {
        const f = this.openGroup('branchReset', start);
        f.reset = true;
        f.resetGroup = this.bracount;
        f.maxGroup = this.bracount;
        this.pos++;
        return;
      }
      case 80: { // P
        if (++this.pos >= n) this.fail(114, this.pos);
        const g = this.c(this.pos);
        if (g === C_LT) { this.defineName(start, C_GT); return; }
        if (g === C_GT) { this.recurseByName(start); return; }
        if (g !== C_EQ) this.fail(141, this.pos);
        const name = this.readName(this.pos, C_RP, true);
        const nameOffset = this.pos + 1;
        this.pos = this.numEnd;
        const node = backrefNode(0, name, 'PName', this.flags.caseless, start, this.pos);
        this.mayBeUnsupported = true;
        this.refs.push({ kind: 'name', number: 0, name, offset: nameOffset, node });
        this.push(node);
        this.okQuant = true;
        return;
      }
      case 82: // R
        this.pos++;
        if (this.c(this.pos) !== C_RP) this.fail(158, this.pos);
        this.recursion(start, 0);
        return;
      case C_PLUS:
        if (n - this.pos < 2 || !isDigit(this.c(this.pos + 1))) this.fail(129, this.pos);
        this.recursionByNumber(start);
        return;
      case 48: case 49: case 50: case 51: case 52: case 53: case 54: case 55: case 56: case 57:
        this.recursionByNumber(start);
        return;
      case 38: // &
        this.recurseByName(start);
        return;
      case 67: // C
        this.callout(start, prevExpect);
        return;
      case C_LP:
        this.conditional(start);
        return;
      case C_GT:
        this.openGroup('atomic', start);
        this.pos++;
        return;
      case C_EQ: case C_STAR: case C_BANG: {
        const f = this.openGroup(e === C_EQ ? 'lookahead' : e === C_BANG ? 'negativeLookahead' : 'nonAtomicLookahead', start);
        if (prevExpect > 0) f.condAssert = true;
        this.pos++;
        return;
      }
      case C_LT: {
        const g = this.c(this.pos + 1);
        if (n - this.pos <= 1 || (g !== C_EQ && g !== C_BANG && g !== C_STAR)) { this.defineName(start, C_GT); return; }
        const f = this.openGroup(g === C_EQ ? 'lookbehind' : g === C_BANG ? 'negativeLookbehind' : 'nonAtomicLookbehind', start);
        if (prevExpect > 0) f.condAssert = true;
        this.hasLookbehind = true;
        this.pos += 2;
        return;
      }
      case C_APOS:
        this.defineName(start, C_APOS);
        return;
      case C_LB:
        if (this.v47) { this.perlExtendedClass(start); return; }
        break;
      default:
        break;
    }
    if (e === C_MINUS && n - this.pos > 1 && isDigit(this.c(this.pos + 1))) { this.recursionByNumber(start); return; }
    this.optionSetting(start);
  }

  /** 10.47's (?[…]) extended class: accepted as a class; only its outline is checked. */
  perlExtendedClass(start: number): void {
    let depth = 0;
    let q = this.pos;
    for (; q < this.n; q++) {
      const d = this.p.charCodeAt(q);
      if (d === C_BS) { q++; continue; }
      if (d === C_LB) depth++;
      else if (d === C_RB) { depth--; if (depth === 0 && this.c(q + 1) === C_RP) break; }
    }
    if (q >= this.n) this.fail(114, this.n);
    this.pos = q + 2;
    this.push(classNode(false, [], this.flags.caseless, start, this.pos));
    this.okQuant = true;
  }

  optionSetting(start: number): void {
    const f = this.openGroup('flags', start);
    const p = this.p;
    const old = copyFlags(this.flags);
    const fl = this.flags;
    const changes: FlagChanges = { text: '' };
    let hyphenOk = true;
    let on = true;
    const textStart = this.pos;
    if (this.c(this.pos) === C_CARET) {
      fl.caseless = fl.multiline = fl.noAutoCapture = fl.dotall = fl.extended = fl.extendedMore = false;
      changes.reset = true;
      hyphenOk = false;
      this.pos++;
    }
    let setExt = 0;
    let unsetExt = false;
    while (this.pos < this.n && p.charCodeAt(this.pos) !== C_RP && p.charCodeAt(this.pos) !== C_COLON) {
      const ch = p.charCodeAt(this.pos++);
      switch (ch) {
        case C_MINUS:
          if (!hyphenOk) this.fail(194, this.v47 ? this.pos : this.pos - 1);
          on = false;
          hyphenOk = false;
          break;
        case 74: changes.dupNames = on; break; // J
        case 105: changes.caseless = on; break;
        case 109: changes.multiline = on; break;
        case 110: changes.noAutoCapture = on; break;
        case 115: changes.dotall = on; break;
        case 85: changes.ungreedy = on; break;
        case 120:
          changes.extended = on;
          if (on) setExt = 1; else unsetExt = true;
          if (this.c(this.pos) === 120) { changes.extendedMore = on; if (on) setExt = 2; this.pos++; }
          break;
        case 97: // a (10.47: ASCII restrictions; no effect in byte mode without UCP)
          if (!this.v47) this.fail(111, this.pos - 1);
          if ('DPSTW'.includes(p[this.pos] ?? '')) this.pos++;
          break;
        case 114: // r (10.47: caseless restrict)
          if (!this.v47) this.fail(111, this.pos - 1);
          break;
        default:
          this.fail(111, this.v47 ? this.pos : this.pos - 1);
      }
    }
    changes.text = p.slice(textStart, this.pos);
    if (setExt === 1 || unsetExt) changes.extendedMore = changes.extendedMore ?? (unsetExt ? false : false);
    if (changes.dupNames !== undefined) fl.dupNames = changes.dupNames;
    if (changes.caseless !== undefined) fl.caseless = changes.caseless;
    if (changes.multiline !== undefined) fl.multiline = changes.multiline;
    if (changes.noAutoCapture !== undefined) fl.noAutoCapture = changes.noAutoCapture;
    if (changes.dotall !== undefined) fl.dotall = changes.dotall;
    if (changes.ungreedy !== undefined) fl.ungreedy = changes.ungreedy;
    if (changes.extended !== undefined) fl.extended = changes.extended;
    if (setExt === 1 || unsetExt) fl.extendedMore = false;
    if (setExt === 2) fl.extendedMore = true;
    if (this.pos >= this.n) this.fail(114, this.pos);
    if (p.charCodeAt(this.pos++) === C_RP) {
      // Standalone (?i): not a group; the change lasts to the end of the enclosing group.
      this.frame = this.stack.pop() as Frame;
      const node = flagSetNode(changes, -1, start, this.pos);
      this.frame.flagSets.push(node);
      this.push(node);
      void old;
      return;
    }
    f.flags = changes;
    f.saved = old;
  }

  recursionByNumber(start: number): void {
    const signed = !isDigit(this.c(this.pos));
    const v = this.readSigned(this.pos, signed ? this.bracount : -1, 161);
    if (v === null) this.fail(129, this.pos);
    this.pos = this.numEnd;
    if (v < 0) this.fail(115, this.v47 ? this.pos : this.pos - 1);
    if (this.c(this.pos) !== C_RP) this.fail(114, this.pos);
    this.recursion(start, v);
  }

  recurseByName(start: number): void {
    const name = this.readName(this.pos, C_RP, true);
    const nameOffset = this.pos + 1;
    this.pos = this.numEnd;
    const node = subroutineNode(0, name, start, this.pos);
    this.mayBeUnsupported = true;
    this.refs.push({ kind: 'recurseName', number: 0, name, offset: nameOffset, node });
    this.push(node);
    this.okQuant = true;
  }

  defineName(start: number, terminator: number): void {
    const name = this.readName(this.pos, terminator, true);
    this.pos = this.numEnd;
    this.bracount++;
    const num = this.bracount;
    const f = this.openGroup('capture', start);
    f.number = num;
    f.name = name;
    let found = false;
    for (const g of this.nameList) {
      if (g.name === name) {
        if (g.number === num) { found = true; break; }
        if (!this.flags.dupNames) this.fail(143, this.pos);
      } else if (g.number === num) this.fail(165, this.pos);
    }
    if (!found) {
      this.nameList.push({ name, number: num });
      const list = this.names.get(name);
      if (list) list.push(num); else this.names.set(name, [num]);
    }
    this.captures.push({ number: num, name, start, end: start });
  }

  callout(start: number, prevExpect: number): void {
    if (++this.pos >= this.n) this.fail(114, this.pos);
    this.expectCondAssert = prevExpect - 1;
    const d = this.c(this.pos);
    let number: number | undefined;
    let text: string | undefined;
    if (d !== C_RP && !isDigit(d)) {
      const delims = '`\'"^%#${';
      const ends = '`\'"^%#$}';
      const i = delims.indexOf(String.fromCharCode(d));
      if (i < 0) this.fail(182, this.pos);
      const endDelim = ends.charCodeAt(i);
      const s = this.pos;
      for (;;) {
        if (++this.pos >= this.n) this.fail(181, s);
        if (this.c(this.pos) === endDelim && (++this.pos >= this.n || this.c(this.pos) !== endDelim)) break;
      }
      text = this.p.slice(s + 1, this.pos - 1);
    } else {
      let v = 0;
      while (isDigit(this.c(this.pos))) {
        v = v * 10 + this.c(this.pos++) - 48;
        if (v > 255) this.fail(138, this.pos);
      }
      number = v;
    }
    if (this.c(this.pos) !== C_RP) this.fail(139, this.pos);
    this.pos++;
    this.push(calloutNode(number, text, start, this.pos));
  }

  conditional(start: number): void {
    const p = this.p;
    if (++this.pos >= this.n) this.fail(114, this.pos);
    const f = this.openGroup('conditional', start);
    const d = this.c(this.pos);
    if (d === C_Q || d === C_STAR) {
      this.pos--;
      this.expectCondAssert = 2;
      f.awaitingAssert = true;
      return;
    }
    const condStart = this.pos - 1;
    const num = this.readSigned(this.pos, this.bracount, 161);
    if (num !== null) {
      this.pos = this.numEnd;
      if (num <= 0) this.fail(115, this.pos);
      const cond = { kind: 'group' as const, number: num, start: condStart, end: this.pos + 1 };
      this.refs.push({ kind: 'condNumber', number: num, offset: this.pos - 2, node: cond });
      f.condition = cond;
    } else if (this.n - this.pos >= 10 && p.startsWith('VERSION', this.pos) && this.c(this.pos + 7) !== C_RP) {
      const vs = this.pos;
      this.pos += 7;
      if (this.c(this.pos) === C_GT) this.pos++;
      if (this.c(this.pos) !== C_EQ || (this.pos++, !isDigit(this.c(this.pos)))) this.fail(179, this.pos);
      let major = 0;
      while (isDigit(this.c(this.pos))) { major = major * 10 + this.c(this.pos++) - 48; if (major > 1000) this.fail(179, this.pos); }
      if (this.pos >= this.n) this.fail(179, this.pos);
      if (this.c(this.pos) === C_DOT) {
        if (++this.pos >= this.n || !isDigit(this.c(this.pos))) this.fail(179, this.pos);
        this.pos++;
        if (this.pos >= this.n) this.fail(179, this.pos);
        if (isDigit(this.c(this.pos))) this.pos++;
        if (this.c(this.pos) !== C_RP) this.fail(179, this.pos);
      }
      f.condition = { kind: 'version', text: p.slice(vs, this.pos), start: condStart, end: this.pos + 1 };
    } else {
      let term: number;
      let rAmp = false;
      if (d === 82 && this.c(this.pos + 1) === 38) { term = C_RP; rAmp = true; this.pos++; }
      else if (d === C_LT) term = C_GT;
      else if (d === C_APOS) term = C_APOS;
      else { term = C_RP; this.pos--; }
      const name = this.readName(this.pos, term, true);
      const nameOffset = this.pos + 1;
      this.pos = this.numEnd;
      if (rAmp) {
        const cond = { kind: 'recursion' as const, number: 0 as number | null, name, start: condStart, end: this.pos };
        this.refs.push({ kind: 'recurseName', number: 0, name, offset: nameOffset, node: cond as { number: number } });
        f.condition = cond;
        this.pos--;
      } else if (term === C_RP) {
        if (name === 'DEFINE') f.condition = { kind: 'define', start: condStart, end: this.pos };
        else if (/^R\d*$/.test(name)) f.condition = { kind: 'recursion', number: name.length > 1 ? Number(name.slice(1)) : null, start: condStart, end: this.pos };
        else {
          const cond = { kind: 'group' as const, number: 0, name, start: condStart, end: this.pos };
          this.refs.push({ kind: 'condName', number: 0, name, offset: nameOffset, node: cond });
          f.condition = cond;
        }
        this.pos--;
      } else {
        const cond = { kind: 'group' as const, number: 0, name, start: condStart, end: this.pos + 1 };
        this.refs.push({ kind: 'condName', number: 0, name, offset: nameOffset, node: cond });
        f.condition = cond;
      }
    }
    if (this.c(this.pos) !== C_RP) this.fail(124, this.pos);
    this.pos++;
  }

  closeParen(at: number): void {
    this.okQuant = true;
    if (this.stack.length === 0) this.fail(122, this.v47 ? this.pos : this.pos - 1);
    const f = this.frame;
    this.frame = this.stack.pop() as Frame;
    this.flags = f.saved;
    if (f.reset && f.maxGroup > this.bracount) this.bracount = f.maxGroup;
    if (f.reset) {
      if (this.bracount < f.maxGroup) this.bracount = f.maxGroup;
    }
    const body = this.finishFrame(f, at);
    const end = this.pos;
    for (const fs of f.flagSets) fs.scopeEnd = at;
    if (f.kind === 'conditional') {
      this.mayBeUnsupported = true;
      this.push(conditionalNode(
        f.condition as Condition,
        body.type === 'alternation' ? body.alternatives[0] : body,
        body.type === 'alternation' ? body.alternatives[1] ?? null : null,
        body.type === 'alternation' ? body.alternatives.length : 1,
        f.start, end,
      ));
      return;
    }
    const g = groupNode(f.kind as GroupKind, body, f.start, end, f.number, f.name, f.flags);
    if (f.kind === 'nonAtomicLookahead' || f.kind === 'nonAtomicLookbehind') this.mayBeUnsupported = true;
    this.lastGroup = g;
    this.lastGroupHasCapture = this.captures.length > f.capturesAtOpen;
    if (f.number !== undefined) {
      const cap = this.captures.find((x) => x.number === f.number && x.start === f.start);
      if (cap) cap.end = end;
    }
    const parent = this.frame;
    if (parent.kind === 'conditional' && parent.awaitingAssert && f.condAssert) {
      parent.awaitingAssert = false;
      parent.condition = { kind: 'assert', assertion: g, start: g.start, end };
      this.okQuant = false;
      return;
    }
    this.push(g);
  }

  finishFrame(f: Frame, end: number): Node {
    const lastStart = f.altStarts[f.altStarts.length - 1];
    if (f.alts.length === 0) return sequenceOf(f.items, lastStart, end);
    const alternatives: Node[] = [];
    for (let i = 0; i < f.alts.length; i++) alternatives.push(sequenceOf(f.alts[i], f.altStarts[i], f.altStarts[i + 1] - 1));
    alternatives.push(sequenceOf(f.items, lastStart, end));
    return alternationNode(alternatives, f.altStarts[0], end);
  }
}

/** Parse `pattern` (a binary string) as pcre2_compile would with nmap's options. Never throws. */
export function parse(pattern: string, options: RegexOptions): ParseResult {
  const version = options.version ?? '10.47';
  const parser = new Parser(pattern, options);
  let root: Node;
  try {
    root = parser.parse();
  } catch (e) {
    if (e instanceof ParseError) {
      return { ast: null, error: { ok: false, code: e.code, message: errorMessage(e.code, version), offset: e.offset }, octalTraps: parser.octalTraps };
    }
    // A bug in this parser must not take the editor down: report it as PCRE2's internal error.
    return { ast: null, error: { ok: false, code: 189, message: `internal error in nsp's regex parser: ${String(e)}`, offset: 0 }, octalTraps: [] };
  }
  const ast: RegexAst = {
    root, groupCount: parser.bracount, captures: parser.captures, names: parser.names, trivia: parser.trivia,
    mayBeUnsupported: parser.mayBeUnsupported,
  };
  const err = checkCompiled(ast, parser, pattern, parser.v47);
  if (err !== null) {
    return { ast: null, error: { ok: false, code: err.code, message: errorMessage(err.code, version), offset: err.offset }, octalTraps: parser.octalTraps };
  }
  return { ast, error: null, octalTraps: parser.octalTraps };
}
