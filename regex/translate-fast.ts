// A one-pass translation straight from the pattern text, for the common shape of nmap's patterns,
// giving exactly the JavaScript source and group map that translate(parse(p)) gives (the test holds
// the two to string equality on every corpus pattern and a mutated corpus). It exists for the cold
// "unknown service" sweep: there each candidate is compiled once, by code that has not run before
// in the process, and the full route (the parser's tree, the analysis walks, byte sets of 256 flags
// per literal) costs about a millisecond a pattern before V8 optimises any of it. This pass builds
// no tree and allocates only the output strings.
//
// It never decides validity: the caller must first have PCRE2's verdict "valid, nothing
// unsupported" from fast-validate.ts (quickAnalyze). It answers null, and the caller takes the full
// route, for anything outside its subset: inline options, \Q…\E, back-references and octal
// escapes, named groups, lookbehinds, \R \X \C \N{…} \p, POSIX classes, `{` that is not a plain
// quantifier, quantified assertions, possessive quantifiers on groups, verbs, conditionals.

import type { Translation } from './translate';
import { charTypeSet, emitSet, escapeSet, foldAscii, invert, jsByte, rangeSet } from './translate-sets';
import type { ByteSet } from './translate-sets';
import { braceMayBeRepeat } from './pcre2-lookahead';

// The fragments translate() writes, computed once by the same functions it uses.
const LIT: string[] = [];
const LIT_FOLD: string[] = [];
for (let b = 0; b < 256; b++) {
  LIT.push(jsByte(b));
  const letter = (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7a;
  LIT_FOLD.push(letter ? emitSet(foldAscii(rangeSet([[b, b]]))) : jsByte(b));
}
/** \d \D \w \W \s \S \h \H \v \V \N outside a class, by escape letter. */
const TYPE: (string | undefined)[] = new Array(128);
for (const k of ['d', 'D', 'w', 'W', 's', 'S', 'h', 'H', 'v', 'V', 'N'] as const) TYPE[k.charCodeAt(0)] = emitSet(charTypeSet(k) as ByteSet);
const DOT = emitSet(invert(rangeSet([[0x0a, 0x0a]])));
const END = '(?=\\x0a?$)';
/** Set escapes inside a class, by letter. */
// (each as 64 words of 4 byte flags, so that charClass() ORs a word at a time)
const CLASS_ESC_WORDS: (Uint32Array | undefined)[] = new Array(128);
for (const k of ['d', 'D', 'w', 'W', 's', 'S', 'h', 'H', 'v', 'V'] as const) CLASS_ESC_WORDS[k.charCodeAt(0)] = new Uint32Array(escapeSet(k).slice().buffer, 0, 64);

// One translation's state (module-level: the pass allocates no closures).
let P = '';
let N = 0;
let I = 0;
let CL = false;
let DA = false;
let js = 0;
let cap = 0;
let bad = false;
let map: number[][] = [];
/** Where the last escape read by escape() ends. */
let escEnd = 0;
const SCRATCH = new Uint8Array(256);
/** SCRATCH as 64 words: a class is built with native fills and word operations, not byte loops (it is often written by code V8 has not optimised yet). */
const SCRATCH_WORDS = new Uint32Array(SCRATCH.buffer, 0, 64);
/** Classes already written, by flag and text (nmap's files repeat a few dozen classes thousands of times). */
const classCache = new Map<string, string>();

/** Empties the class cache (a benchmark measuring a cold engine in a running process calls it). */
export function forgetTranslatedClasses(): void {
  classCache.clear();
}

const pc = (i: number): number => (i < N ? P.charCodeAt(i) : -1);
const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
const hexVal = (c: number): number => (isDigit(c) ? c - 0x30 : c >= 0x41 && c <= 0x46 ? c - 0x37 : c >= 0x61 && c <= 0x66 ? c - 0x57 : -1);

/**
 * The single byte an escape at i (`\`) stands for, or -1 when it is not one this pass reads
 * (sets, assertions, references, octal, \x{…}, \c, anything unsure). Sets escEnd.
 */
function escape(i: number, inClass: boolean): number {
  const d = pc(i + 1);
  escEnd = i + 2;
  if (d < 0) return -1;
  if (!((d >= 0x30 && d <= 0x39) || (d >= 0x41 && d <= 0x5a) || (d >= 0x61 && d <= 0x7a))) return d;
  switch (d) {
    case 0x6e: return 0x0a; // n
    case 0x72: return 0x0d; // r
    case 0x74: return 0x09; // t
    case 0x66: return 0x0c; // f
    case 0x65: return 0x1b; // e
    case 0x61: return 0x07; // a
    case 0x62: return inClass ? 0x08 : -1; // b: backspace in a class
    case 0x30: return isDigit(pc(i + 2)) ? -1 : 0; // \0 alone; \0NN is octal
    case 0x78: { // \xH, \xHH
      const h1 = hexVal(pc(i + 2));
      if (h1 < 0) return -1;
      const h2 = hexVal(pc(i + 3));
      if (h2 < 0) { escEnd = i + 3; return h1; }
      escEnd = i + 4;
      return h1 * 16 + h2;
    }
    default: return -1;
  }
}

/** The class at I (`[`) as translate() writes it; advances I. */
function charClass(): string {
  const start = I;
  // The text up to the first `]` that can close it, looked up first: a hit was written from the
  // same text, read in full then (so where this quick scan stops cannot change the answer).
  let e = I + 1;
  if (pc(e) === 0x5e) e++;
  if (pc(e) === 0x5d) e++;
  for (;;) {
    const c = pc(e);
    if (c < 0 || c === 0x5d) break;
    e += c === 0x5c ? 2 : 1;
  }
  if (e < N) {
    const hit = classCache.get((CL ? 'i' : 'c') + P.slice(start, e + 1));
    if (hit !== undefined) { I = e + 1; return hit; }
  }
  let j = I + 1;
  const s = SCRATCH;
  s.fill(0);
  let neg = false;
  if (pc(j) === 0x5e) { neg = true; j++; }
  let first = true;
  for (;;) {
    const c = pc(j);
    if (c < 0) { bad = true; return ''; }
    if (c === 0x5d && !first) { j++; break; }
    first = false;
    let lo: number;
    if (c === 0x5c) {
      lo = escape(j, true);
      if (lo < 0) {
        const d = pc(j + 1);
        const set = d >= 0 && d < 128 ? CLASS_ESC_WORDS[d] : undefined;
        if (set === undefined) { bad = true; return ''; }
        j += 2;
        if (pc(j) === 0x2d && pc(j + 1) !== 0x5d) { bad = true; return ''; }
        const w = SCRATCH_WORDS;
        for (let k = 0; k < 64; k++) w[k] |= set[k];
        continue;
      }
      j = escEnd;
    } else if (c === 0x5b) {
      const d = pc(j + 1);
      if (d === 0x3a || d === 0x2e || d === 0x3d) { bad = true; return ''; } // POSIX names, collating
      lo = c;
      j++;
    } else {
      lo = c;
      j++;
    }
    let hi = lo;
    if (pc(j) === 0x2d && pc(j + 1) !== 0x5d && j + 1 < N) {
      const e = pc(j + 1);
      if (e === 0x5c) {
        hi = escape(j + 1, true);
        if (hi < 0) { bad = true; return ''; }
        j = escEnd;
      } else {
        if (e === 0x5b) { bad = true; return ''; }
        hi = e;
        j += 2;
      }
      if (hi < lo) { bad = true; return ''; }
    }
    s.fill(1, lo, hi + 1);
  }
  I = j;
  const key = (CL ? 'i' : 'c') + P.slice(start, j);
  let set: ByteSet = s;
  if (CL) set = foldAscii(set);
  if (neg) {
    if (set === s) {
      const w = SCRATCH_WORDS;
      for (let k = 0; k < 64; k++) w[k] ^= 0x01010101;
    } else set = invert(set);
  }
  const out = emitSet(set);
  classCache.set(key, out);
  return out;
}

/** Reads a quantifier at I; returns its JS text ('' for {1}), null when none, sets bad when unsure. */
let qMin = 0;
let qMax = 0;
function quantifier(): string | null {
  const c = pc(I);
  if (c === 0x2a) { qMin = 0; qMax = -1; I++; }
  else if (c === 0x2b) { qMin = 1; qMax = -1; I++; }
  else if (c === 0x3f) { qMin = 0; qMax = 1; I++; }
  else if (c === 0x7b) {
    let j = I + 1;
    let n = 0;
    const d0 = j;
    while (isDigit(pc(j))) n = n * 10 + pc(j++) - 0x30;
    if (j === d0) {
      const d = pc(j);
      if ((d === 0x2c || d === 0x20 || d === 0x09) && braceMayBeRepeat(P, I)) bad = true; // 10.47 reads {,n} and blanks
      return null; // a literal `{`
    }
    qMin = n;
    if (pc(j) === 0x7d) { qMax = n; }
    else if (pc(j) === 0x2c) {
      j++;
      const m0 = j;
      let m = 0;
      while (isDigit(pc(j))) m = m * 10 + pc(j++) - 0x30;
      if (pc(j) !== 0x7d) { bad = true; return null; }
      qMax = j === m0 ? -1 : m;
    } else { bad = true; return null; }
    I = j + 1;
  } else return null;
  return qMax < 0 ? (qMin === 0 ? '*' : qMin === 1 ? '+' : `{${qMin},}`)
    : qMin === qMax ? (qMin === 1 ? '' : `{${qMin}}`)
    : qMin === 0 && qMax === 1 ? '?' : `{${qMin},${qMax}}`;
}

/** Alternatives up to the `)` closing the current group (or the end): translate()'s text. */
function alternatives(): string {
  let out = sequence();
  while (!bad && pc(I) === 0x7c) {
    I++;
    out += '|' + sequence();
  }
  return out;
}

/** One group at I (`(`), without its quantifier. */
function group(): string {
  const c1 = pc(I + 1);
  if (c1 === 0x2a) { bad = true; return ''; }
  if (c1 !== 0x3f) {
    const n = ++js;
    map[++cap] = [n];
    I++;
    const body = alternatives();
    if (pc(I) !== 0x29) { bad = true; return ''; }
    I++;
    return `(${body})`;
  }
  const c2 = pc(I + 2);
  I += 3;
  if (c2 === 0x3a) {
    const body = alternatives();
    if (pc(I) !== 0x29) { bad = true; return ''; }
    I++;
    return `(?:${body})`;
  }
  if (c2 === 0x3e) {
    const n = ++js;
    const body = alternatives();
    if (pc(I) !== 0x29) { bad = true; return ''; }
    I++;
    return `(?=(${body}))\\${n}(?:)`;
  }
  if (c2 === 0x3d || c2 === 0x21) {
    const body = alternatives();
    if (pc(I) !== 0x29) { bad = true; return ''; }
    I++;
    return c2 === 0x3d ? `(?=${body})` : `(?!${body})`;
  }
  bad = true;
  return '';
}

/** Items up to `|`, `)` or the end. */
function sequence(): string {
  let out = '';
  while (!bad && I < N) {
    const c = P.charCodeAt(I);
    if (c === 0x7c || c === 0x29) break;
    let atom: string;
    // 0: a consuming atom; 1: an assertion (not quantifiable here); 2: a group.
    let kind = 0;
    if (c === 0x28) {
      // A lookahead is an assertion (not quantifiable here); read before its body resets groupKind.
      kind = pc(I + 1) === 0x3f && (pc(I + 2) === 0x3d || pc(I + 2) === 0x21) ? 1 : 2;
      atom = group();
      if (bad) return '';
    } else if (c === 0x5b) {
      atom = charClass();
      if (bad) return '';
    } else if (c === 0x5c) {
      const b = escape(I, false);
      if (b >= 0) { atom = CL ? LIT_FOLD[b] : LIT[b]; I = escEnd; }
      else {
        const d = pc(I + 1);
        const t = d >= 0 && d < 128 ? TYPE[d] : undefined;
        if (t !== undefined && !(d === 0x4e && pc(I + 2) === 0x7b)) atom = t;
        else {
          kind = 1;
          if (d === 0x41 || d === 0x47) atom = '^';
          else if (d === 0x5a) atom = END;
          else if (d === 0x7a) atom = '$';
          else if (d === 0x62) atom = '\\b';
          else if (d === 0x42) atom = '\\B';
          else { bad = true; return ''; }
        }
        I += 2;
      }
    } else if (c === 0x2e) { atom = DA ? '[^]' : DOT; I++; }
    else if (c === 0x5e) { atom = '^'; kind = 1; I++; }
    else if (c === 0x24) { atom = END; kind = 1; I++; }
    else if (c === 0x2a || c === 0x2b || c === 0x3f) { bad = true; return ''; }
    else if (c === 0x7b) {
      const d = pc(I + 1);
      if (isDigit(d) || ((d === 0x2c || d === 0x20 || d === 0x09) && braceMayBeRepeat(P, I))) { bad = true; return ''; }
      atom = LIT[c];
      I++;
    } else { atom = CL ? LIT_FOLD[c] : LIT[c]; I++; }
    const q = quantifier();
    if (bad) return '';
    if (q === null) { out += atom; continue; }
    if (kind === 1) { bad = true; return ''; }
    const m = pc(I);
    if (m === 0x2b) { // possessive: an atomic group around the repetition
      if (kind === 2) { bad = true; return ''; }
      I++;
      const n = ++js;
      out += `(?=((?:${atom})${q}))\\${n}(?:)`;
    } else if (m === 0x3f) {
      I++;
      out += `(?:${atom})${q}${q !== '' ? '?' : ''}`;
    } else out += `(?:${atom})${q}`;
    const n2 = pc(I);
    if (n2 === 0x2a || n2 === 0x2b || n2 === 0x3f || (n2 === 0x7b && isDigit(pc(I + 1)))) { bad = true; return ''; }
  }
  return out;
}

/**
 * translate(parse(pattern)) for a pattern quickAnalyze() found valid with nothing unsupported and
 * `groupCount` groups; null when the pattern is outside this pass's subset.
 */
export function translateFast(pattern: string, caseless: boolean, dotall: boolean, groupCount: number): Translation | null {
  P = pattern;
  N = pattern.length;
  I = 0;
  CL = caseless;
  DA = dotall;
  js = 0;
  cap = 0;
  bad = false;
  map = new Array(groupCount + 1);
  map[0] = [0];
  const source = alternatives();
  const ok = !bad && I === N && cap === groupCount;
  P = '';
  if (!ok) return null;
  return { source, groupMap: map, groupCount };
}
