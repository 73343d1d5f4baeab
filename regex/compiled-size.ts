// The length pcre2_compile() computes in its pre-compile pass (compile_regex() / compile_branch()
// called with a length pointer), in 8-bit code units with LINK_SIZE 2, as Debian's and nmap's
// libpcre2-8 are built. PCRE2 refuses a pattern with ERR20 ("regular expression is too large")
// when that length plus one (the final OP_END) passes MAX_PATTERN_SIZE = 65536.
//
// The pass never writes out repeated groups: a group's length is accumulated on its own, and a
// quantifier on it adds the copies arithmetically ((n-1)·L for a fixed count, n·(L+7)-6 for the
// optional copies, each with a BRAZERO and nesting brackets), so nested counted groups multiply:
// `((((a){50}){50}){50})` is 1.27 million units, `(?:(?:(?:a{50}){50}){50})` only 25,313, since a
// quantifier on a single character (OP_EXACT / OP_UPTO …) costs a few units whatever its count.
// The rules below follow compile_branch() of PCRE2 10.42 and 10.47 item by item; they are exact
// for literals, classes, character types, anchors, groups of every kind, alternation, back
// references and quantifiers on any of these (test/regex/compiled-size.test.ts holds them to
// pcre2test), and close estimates for the rare rest (callouts, verbs, conditions, recursion).

import type { CharClass, Conditional, Group, Node, Quantified } from './ast';
import { classSet } from './translate-sets';

/** MAX_PATTERN_SIZE for LINK_SIZE 2 (pcre2_internal.h). */
export const MAX_PATTERN_SIZE = 65536;

const LINK = 2;
const IMM2 = 2;
/** A group's brackets: OP_BRA/OP_KET with their links. */
const BRACKETS = 2 + 2 * LINK;

/** OFLOW_MAX (pcre2_compile.c): the repeat arithmetic refuses a length that would pass it. */
const OFLOW_MAX = 2147483647 - 20;

interface Ctx {
  pattern: string; v47: boolean; openCaptures: number;
  /** The running length of the group being compiled when the current item started. */
  acc: number;
  /** The first ERR20 compile_branch() would raise, in its order: an item taking a group past the limit, or the repeat arithmetic overflowing. */
  first: 'size' | 'overflow' | null;
}

/**
 * The pre-compile length of the whole pattern: compile_regex() on the outer OP_BRA group (not
 * counting the final OP_END). PCRE2 refuses the pattern when this is 65536 or more.
 */
export function compiledLength(root: Node, pattern: string, v47: boolean): number {
  return regexLength(root, 0, false, newCtx(pattern, v47));
}

/**
 * ERR20 as pcre2_compile() raises it, or null. 'overflow': the repeat arithmetic overflowed
 * before any group's length passed the limit (both versions then report the pattern's length as
 * the offset); 'size': the length passed the limit (10.42 reports the pattern's length, 10.47
 * offset 0, set by compile_branch() and by the final check alike).
 */
export function sizeError(root: Node, pattern: string, v47: boolean): 'size' | 'overflow' | null {
  const ctx = newCtx(pattern, v47);
  const len = regexLength(root, 0, false, ctx);
  if (ctx.first !== null) return ctx.first;
  return len + 1 > MAX_PATTERN_SIZE ? 'size' : null;
}

function newCtx(pattern: string, v47: boolean): Ctx {
  return { pattern, v47, openCaptures: 0, acc: 0, first: null };
}

// compile_regex(): the brackets and any code units after the opening one (a group number, a
// condition), each branch, an OP_ALT per extra branch, and OP_REVERSE per lookbehind branch.
// compile_branch() adds each item to the group's running length and checks it against the limit
// before the next item.
function regexLength(body: Node, skipUnits: number, lookbehind: boolean, ctx: Ctx): number {
  const branches = body.type === 'alternation' ? body.alternatives : [body];
  let len = BRACKETS + skipUnits;
  for (let i = 0; i < branches.length; i++) {
    if (i > 0) len += 1 + LINK;
    if (lookbehind) len += reverseLength(branches[i], ctx);
    const b = branches[i];
    if (b.type === 'sequence') for (const it of b.items) len = addItem(len, it, ctx);
    else len = addItem(len, b, ctx);
  }
  return len;
}

function addItem(acc: number, n: Node, ctx: Ctx): number {
  ctx.acc = acc;
  const len = acc + itemLength(n, ctx);
  if (len > MAX_PATTERN_SIZE && ctx.first === null) ctx.first = 'size';
  return len;
}

function branchLength(n: Node, ctx: Ctx): number {
  if (n.type !== 'sequence') return itemLength(n, ctx);
  let len = 0;
  for (const it of n.items) len += itemLength(it, ctx);
  return len;
}

// The repeat code's guard: a copy count times a length that would overflow the running total.
function checkDelta(acc: number, delta: number, ctx: Ctx): void {
  if (ctx.first === null && (delta > 2147483647 || OFLOW_MAX - acc < delta)) ctx.first = 'overflow';
}

// OP_REVERSE with its length (10.47: OP_VREVERSE with two for a variable-length branch); none
// for a branch that matches nothing.
function reverseLength(branch: Node, ctx: Ctx): number {
  const [lo, hi] = widthOf(branch);
  if (hi === 0) return 0;
  return ctx.v47 && lo !== hi ? 1 + 2 * IMM2 : 1 + IMM2;
}

function itemLength(n: Node, ctx: Ctx): number {
  switch (n.type) {
    case 'literal': return 2; // OP_CHAR / OP_CHARI and the byte
    case 'dot': case 'anchor': case 'wordBoundary': case 'keep': return 1;
    case 'charType': return isProperty(n, ctx) ? 3 : 1; // \p: OP_PROP, type, value
    case 'class': return classLength(n, ctx);
    case 'flagSet': return 0;
    case 'backref': return 1 + IMM2;
    case 'subroutine': return 1 + LINK;
    // OP_CALLOUT: link fields and the number; OP_CALLOUT_STR: four link fields, the delimiter,
    // the string and a zero.
    case 'callout': return n.text === undefined ? 2 + 2 * LINK : 1 + 4 * LINK + 1 + n.text.length + 1;
    case 'verb': return verbLength(n.name, n.arg, ctx);
    case 'group': return groupLength(n, ctx);
    case 'conditional': return conditionalLength(n, ctx);
    case 'quantified': return quantifiedLength(n, ctx);
    case 'sequence': case 'alternation': return branchLength(n, ctx);
    default: return 1;
  }
}

function isProperty(n: { start: number }, ctx: Ctx): boolean {
  const c = ctx.pattern.charCodeAt(n.start + 1);
  return ctx.pattern.charCodeAt(n.start) === 92 && (c === 112 || c === 80);
}

const START_OPTIONS = new Set(['UTF', 'UCP', 'NOTEMPTY_ATSTART', 'NOTEMPTY', 'NO_AUTO_POSSESS', 'NO_DOTSTAR_ANCHOR', 'NO_JIT',
  'NO_START_OPT', 'CASELESS_RESTRICT', 'TURKISH_CASING', 'CR', 'LF', 'CRLF', 'ANY', 'NUL', 'ANYCRLF', 'BSR_ANYCRLF',
  'BSR_UNICODE', 'LIMIT_HEAP', 'LIMIT_MATCH', 'LIMIT_DEPTH', 'LIMIT_RECURSION']);

function verbLength(name: string, arg: string | undefined, ctx: Ctx): number {
  // Start-of-pattern settings compile to nothing.
  if (START_OPTIONS.has(name)) return 0;
  // (*ACCEPT) first closes the captures open around it (OP_CLOSE and the number each).
  if (name === 'ACCEPT') return 1 + ctx.openCaptures * (1 + IMM2);
  // A verb with a name: the opcode, the name's length, the name and a zero.
  return arg === undefined ? 1 : 3 + arg.length;
}

// compile_branch(), META_CLASS: a positive class of one byte is that literal (OP_CHAR), a negated
// one OP_NOT; a positive class of a letter and its other case is one caseless literal (not for k
// and s, which have a third case in Unicode, UCD_CASESET); 10.47 compiles a class matching every
// byte as OP_ALLANY; anything else is OP_CLASS / OP_NCLASS and a 32-byte map, or OP_XCLASS when
// it holds \p (the map, then each property).
function classLength(n: CharClass, ctx: Ctx): number {
  return classShape(n, ctx).length;
}

interface Shape { length: number; single: 'char' | 'type' | null }

function classShape(n: CharClass, ctx: Ctx): Shape {
  const items = n.items;
  if (items.length === 1 && items[0].type === 'byte') return { length: 2, single: 'char' };
  if (!n.negated && items.length === 2 && items[0].type === 'byte' && items[1].type === 'byte') {
    const c = items[0].byte;
    const lower = c | 0x20;
    if (lower >= 97 && lower <= 122 && lower !== 107 && lower !== 115 && items[1].byte === (c ^ 0x20)) return { length: 2, single: 'char' };
  }
  let props = 0;
  for (const it of items) if (it.type === 'escape' && isProperty(it, ctx)) props++;
  // OP_XCLASS: its link, a flags unit, the map only when something but properties is listed,
  // each property (XCL_PROP / XCL_NOTPROP, type, value) and XCL_END.
  if (props > 0) return { length: 1 + LINK + 1 + (props < items.length ? 32 : 0) + 3 * props + 1, single: null };
  if (ctx.v47 && classSet(n).every((b) => b === 1)) return { length: 1, single: 'type' };
  return { length: 33, single: null };
}

function groupLength(g: Group, ctx: Ctx): number {
  const capture = g.kind === 'capture';
  if (capture) ctx.openCaptures++;
  const lookbehind = g.kind === 'lookbehind' || g.kind === 'negativeLookbehind' || g.kind === 'nonAtomicLookbehind';
  const len = regexLength(g.body, capture ? IMM2 : 0, lookbehind, ctx);
  if (capture) ctx.openCaptures--;
  return len;
}

// OP_COND: the condition's code units follow the opening bracket (OP_CREF / OP_RREF and a
// number, OP_FALSE for DEFINE, OP_TRUE/OP_FALSE for VERSION); an assertion condition is
// compiled as the first item of the first branch.
function conditionalLength(n: Conditional, ctx: Ctx): number {
  const c = n.condition;
  let skip = 0;
  let first = 0;
  if (c.kind === 'group' || c.kind === 'recursion') skip = 1 + IMM2;
  else if (c.kind === 'define' || c.kind === 'version') skip = 1;
  else if (c.kind === 'assert') first = groupLength(c.assertion, ctx);
  else first = itemLength(c.callout, ctx) + groupLength(c.assertion, ctx);
  let len = BRACKETS + skip + first + branchLength(n.yes, ctx);
  if (n.no !== null) len += 1 + LINK + branchLength(n.no, ctx);
  return len;
}

const UNLIMITED = -1;

function quantifiedLength(q: Quantified, ctx: Ctx): number {
  const body = q.body;
  const min = q.min;
  const max = q.max === null ? UNLIMITED : q.max;
  const possessive = q.mode === 'possessive';
  switch (body.type) {
    case 'literal': return singleRepeat(2, 1, min, max);
    case 'dot': return singleRepeat(1, 1, min, max) + typeWrap(min, max, possessive);
    case 'charType': { const x = isProperty(body, ctx) ? 3 : 1; return singleRepeat(x, x, min, max) + typeWrap(min, max, possessive); }
    case 'class': {
      const s = classShape(body, ctx);
      if (s.single === 'char') return singleRepeat(2, 1, min, max);
      if (s.single === 'type') return singleRepeat(1, 1, min, max) + typeWrap(min, max, possessive);
      return crRepeat(s.length, min, max, false);
    }
    case 'backref': return crRepeat(1 + IMM2, min, max, possessive);
    case 'group': {
      const acc = ctx.acc;
      const assertion = body.kind !== 'capture' && body.kind !== 'nonCapture' && body.kind !== 'atomic' && body.kind !== 'flags' && body.kind !== 'branchReset';
      return groupRepeat(groupLength(body, ctx), min, max, possessive, assertion, false, acc, ctx);
    }
    case 'conditional': {
      const acc = ctx.acc;
      if (body.condition.kind === 'define') return conditionalLength(body, ctx);
      return groupRepeat(conditionalLength(body, ctx), min, max, possessive, false, true, acc, ctx);
    }
    case 'subroutine': return recursionRepeat(min, max, possessive, ctx.acc, ctx);
    default: return itemLength(body, ctx);
  }
}

// OUTPUT_SINGLE_REPEAT: a repeated character or character type (`x` code units of data: the byte,
// or the type and a property's two values) becomes OP_STAR/OP_QUERY/OP_PLUS (one unit),
// OP_UPTO (three) or OP_EXACT (three) followed by a second opcode for {n,m}. Possessive forms
// have their own opcodes (no extra units). The pass never lets an item shrink ({0} removes it but
// its length stays counted), hence the max with the unrepeated length.
function singleRepeat(base: number, x: number, min: number, max: number): number {
  let len: number;
  if (max === 0) len = base;
  else if (min === 0) len = (max === UNLIMITED || max === 1 ? 1 : 3) + x;
  else if (min === 1) len = max === UNLIMITED ? 1 + x : max === 1 ? base : base + 3 + x;
  else if (max === min) len = 3 + x;
  else len = 3 + x + (max === UNLIMITED || max - min === 1 ? 1 : 3) + x;
  return Math.max(base, len);
}

// A character type repeated {1,m} (m > 1) keeps the type in place before OP_TYPEUPTO; the
// possessive step finds no possessive form for the bare type and wraps both in OP_ONCE brackets.
function typeWrap(min: number, max: number, possessive: boolean): number {
  return possessive && min === 1 && max !== UNLIMITED && max > 1 ? BRACKETS : 0;
}

// A class or back reference keeps its code and gets OP_CRSTAR/OP_CRPLUS/OP_CRQUERY (one unit) or
// OP_CRRANGE with two counts (five). A possessive back reference has no OP_CRPOS form here and is
// wrapped in OP_ONCE brackets.
function crRepeat(base: number, min: number, max: number, wrapPossessive: boolean): number {
  if (max === 0 || (min === 1 && max === 1)) return base;
  const simple = (min === 0 && (max === UNLIMITED || max === 1)) || (min === 1 && max === UNLIMITED);
  return base + (simple ? 1 : 1 + 2 * IMM2) + (wrapPossessive ? BRACKETS : 0);
}

// compile_branch()'s repeat of a bracket group of pre-compile length `l` (the case OP_BRA …
// OP_COND), with its own integer arithmetic.
function groupRepeat(l: number, min: number, maxIn: number, possessiveIn: boolean, assertion: boolean, cond: boolean, acc: number, ctx: Ctx): number {
  let max = maxIn;
  let possessive = possessiveIn;
  if (min === 1 && max === 1 && !possessive) return l;
  if (assertion && max === UNLIMITED) max = min + 1;
  let len = l;
  if (min === 0) {
    if (max === 0) return len + 1; // OP_SKIPZERO, no possessive wrapping
    if (max <= 1 || max === UNLIMITED) len += 1; // OP_BRAZERO
    // OP_BRAZERO, OP_BRA and its link, and the matching OP_KET and link that the bracket chain
    // ("while (bralink != NULL)") writes in both passes.
    else len += 2 + LINK + 1 + LINK;
    if (max !== UNLIMITED) max--;
  } else {
    if (min > 1) { checkDelta(acc + len, (min - 1) * l, ctx); len += (min - 1) * l; }
    if (max !== UNLIMITED) max -= min;
  }
  if (max !== UNLIMITED) {
    if (max > 0) { checkDelta(acc + len, max * (l + 1 + BRACKETS) - BRACKETS, ctx); len += max * (l + 1 + BRACKETS) - BRACKETS; }
  } else if (possessive) {
    if (cond) len += BRACKETS; // wrapped in OP_BRAPOS … OP_KETRPOS
    if (min < 2) possessive = false;
  }
  // A possessive repeat not turned into the POS opcodes above is wrapped in OP_ONCE brackets.
  return possessive ? len + BRACKETS : len;
}

// A repeated recursion (OP_RECURSE, 1 + LINK units): copies for the minimum, the rest wrapped in
// OP_BRA brackets and repeated as a group.
function recursionRepeat(minIn: number, maxIn: number, possessive: boolean, acc: number, ctx: Ctx): number {
  let min = minIn;
  let max = maxIn;
  const unit = 1 + LINK;
  if (min === 1 && max === 1 && !possessive) return unit;
  let len = 0;
  if (min > 0 && (min !== 1 || max !== UNLIMITED)) {
    const replicate = min === max ? min - 1 : min;
    len += replicate * unit;
    if (min === max) return unit + len + (possessive ? BRACKETS : 0);
    if (max !== UNLIMITED) max -= min;
    min = 0;
  }
  return len + groupRepeat(unit + BRACKETS, min, max, possessive, false, false, acc + len, ctx);
}

/** [min, max] bytes a branch matches, as far as OP_REVERSE needs it (max null: unbounded). */
function widthOf(n: Node): [number, number | null] {
  switch (n.type) {
    case 'literal': case 'dot': case 'class': case 'charType': return [1, 1];
    case 'sequence': {
      let lo = 0; let hi: number | null = 0;
      for (const it of n.items) { const [a, b] = widthOf(it); lo += a; hi = hi === null || b === null ? null : hi + b; }
      return [lo, hi];
    }
    case 'alternation': {
      let lo = Infinity; let hi: number | null = 0;
      for (const it of n.alternatives) { const [a, b] = widthOf(it); lo = Math.min(lo, a); hi = hi === null || b === null ? null : Math.max(hi, b); }
      return [lo, hi];
    }
    case 'group':
      return n.kind === 'capture' || n.kind === 'nonCapture' || n.kind === 'atomic' || n.kind === 'flags' || n.kind === 'branchReset' ? widthOf(n.body) : [0, 0];
    case 'quantified': {
      const [a, b] = widthOf(n.body);
      return [a * n.min, n.max === null ? (b === 0 ? 0 : null) : b === null ? null : b * n.max];
    }
    case 'backref': case 'subroutine': case 'conditional': return [0, null];
    default: return [0, 0];
  }
}
