// Byte sets for the translation: what each class, escape and POSIX name matches in PCRE2's
// default C-locale tables (pcre2_chartables.c.dist), and how a set is written as a JavaScript
// class over binary strings. Checked byte by byte against pcre2test in test/regex/translate.test.ts.
//
// Facts (PCRE2 10.42/10.47, byte mode, no UCP): \s is \t \n \v \f \r and space (no 0x85, no NBSP);
// \h adds 0xA0 to tab and space; \v is \n..\r plus 0x85; \w is [A-Za-z0-9_]; caseless matching
// pairs only ASCII letters (the tables' fcc map), so µ, ÿ, À… stay single.

import type { CharClass, CharTypeKind, ClassEscapeKind } from './ast';

/** 256 flags, one per byte value. */
export type ByteSet = Uint8Array;

export function emptySet(): ByteSet {
  return new Uint8Array(256);
}

export function rangeSet(pairs: [number, number][]): ByteSet {
  const s = emptySet();
  for (const [a, b] of pairs) for (let i = a; i <= b; i++) s[i] = 1;
  return s;
}

export function union(a: ByteSet, b: ByteSet): ByteSet {
  const s = emptySet();
  for (let i = 0; i < 256; i++) s[i] = a[i] | b[i];
  return s;
}

export function invert(a: ByteSet): ByteSet {
  const s = emptySet();
  for (let i = 0; i < 256; i++) s[i] = a[i] ^ 1;
  return s;
}

/** Adds the other case of every ASCII letter, as PCRE2's caseless flag does in byte mode. */
export function foldAscii(a: ByteSet): ByteSet {
  const s = a.slice();
  for (let c = 0x41; c <= 0x5a; c++) {
    if (a[c] || a[c + 0x20]) s[c] = s[c + 0x20] = 1;
  }
  return s;
}

export function hasAsciiLetter(a: ByteSet): boolean {
  for (let c = 0x41; c <= 0x5a; c++) if (a[c] || a[c + 0x20]) return true;
  return false;
}

const DIGIT = rangeSet([[0x30, 0x39]]);
const WORD = rangeSet([[0x30, 0x39], [0x41, 0x5a], [0x61, 0x7a], [0x5f, 0x5f]]);
const SPACE = rangeSet([[0x09, 0x0d], [0x20, 0x20]]);
const HSPACE = rangeSet([[0x09, 0x09], [0x20, 0x20], [0xa0, 0xa0]]);
const VSPACE = rangeSet([[0x0a, 0x0d], [0x85, 0x85]]);

export function escapeSet(kind: ClassEscapeKind): ByteSet {
  switch (kind) {
    case 'd': return DIGIT;
    case 'D': return invert(DIGIT);
    case 'w': return WORD;
    case 'W': return invert(WORD);
    case 's': return SPACE;
    case 'S': return invert(SPACE);
    case 'h': return HSPACE;
    case 'H': return invert(HSPACE);
    case 'v': return VSPACE;
    case 'V': return invert(VSPACE);
  }
}

/** Single-byte sets of the escapes usable outside classes; null for \R \X (not one byte). */
export function charTypeSet(kind: CharTypeKind): ByteSet | null {
  switch (kind) {
    case 'N': return invert(rangeSet([[0x0a, 0x0a]]));
    case 'C': return invert(emptySet());
    case 'R': case 'X': return null;
    default: return escapeSet(kind);
  }
}

const POSIX: Record<string, [number, number][]> = {
  alpha: [[0x41, 0x5a], [0x61, 0x7a]],
  digit: [[0x30, 0x39]],
  alnum: [[0x30, 0x39], [0x41, 0x5a], [0x61, 0x7a]],
  upper: [[0x41, 0x5a]],
  lower: [[0x61, 0x7a]],
  space: [[0x09, 0x0d], [0x20, 0x20]],
  blank: [[0x09, 0x09], [0x20, 0x20]],
  cntrl: [[0x00, 0x1f], [0x7f, 0x7f]],
  graph: [[0x21, 0x7e]],
  print: [[0x20, 0x7e]],
  punct: [[0x21, 0x2f], [0x3a, 0x40], [0x5b, 0x60], [0x7b, 0x7e]],
  xdigit: [[0x30, 0x39], [0x41, 0x46], [0x61, 0x66]],
  word: [[0x30, 0x39], [0x41, 0x5a], [0x61, 0x7a], [0x5f, 0x5f]],
  ascii: [[0x00, 0x7f]],
};

export function posixSet(name: string): ByteSet {
  return rangeSet(POSIX[name] ?? []);
}

/** The bytes a `[…]` class matches: items, then caseless folding, then negation (PCRE2's order). */
export function classSet(node: CharClass): ByteSet {
  let s = emptySet();
  for (const it of node.items) {
    switch (it.type) {
      case 'byte': s[it.byte] = 1; break;
      case 'range': for (let b = it.from.byte; b <= it.to.byte; b++) s[b] = 1; break;
      case 'escape': s = union(s, escapeSet(it.kind)); break;
      case 'posix': {
        // Under caseless, PCRE2 (compile_class) reads [:upper:] and [:lower:] as [:alpha:], so
        // [[:^lower:]] with `i` excludes every letter.
        const name = node.caseless && (it.name === 'upper' || it.name === 'lower') ? 'alpha' : it.name;
        s = union(s, it.negated ? invert(posixSet(name)) : posixSet(name));
        break;
      }
    }
  }
  if (node.caseless) s = foldAscii(s);
  return node.negated ? invert(s) : s;
}

const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

/** One byte as it is safe to write in a JS pattern (in or out of a class, without the u flag). */
export function jsByte(b: number): string {
  if ((b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || b === 0x20) {
    return String.fromCharCode(b);
  }
  return '\\x' + HEX[b];
}

/** Bounds of a set's runs of members, two per run (at most 128 runs in 256 bytes); reused. */
const RUNS = new Int16Array(256);

/**
 * A JS pattern fragment matching exactly one byte of the set: a class (or the one byte, `[^]`,
 * `(?!)`) written as the smaller of the set and its complement, as ranges in byte order. The runs
 * are found with the native indexOf, so a class of a few runs costs a few calls rather than a walk
 * over 256 bytes: the sweep writes classes while a user waits, in code V8 has not optimised yet.
 */
export function emitSet(s: ByteSet): string {
  let n = 0;
  let count = 0;
  let i = s.indexOf(1);
  while (i >= 0) {
    let j = s.indexOf(0, i);
    if (j < 0) j = 256;
    RUNS[n++] = i;
    RUNS[n++] = j - 1;
    count += j - i;
    if (j === 256) break;
    i = s.indexOf(1, j);
  }
  if (count === 0) return '(?!)';
  if (count === 256) return '[^]';
  if (count === 1) return jsByte(RUNS[0]);
  let out: string;
  if (count > 128) {
    // The complement: the gaps between the runs.
    out = '[^';
    let from = 0;
    for (let k = 0; k < n; k += 2) {
      if (RUNS[k] > from) out += emitRange(from, RUNS[k] - 1);
      from = RUNS[k + 1] + 1;
    }
    if (from <= 255) out += emitRange(from, 255);
  } else {
    out = '[';
    for (let k = 0; k < n; k += 2) out += emitRange(RUNS[k], RUNS[k + 1]);
  }
  return out + ']';
}

/** One range of a class: `a`, `ab` or `a-z`. */
function emitRange(lo: number, hi: number): string {
  return hi > lo + 1 ? jsByte(lo) + '-' + jsByte(hi) : hi === lo + 1 ? jsByte(lo) + jsByte(hi) : jsByte(lo);
}
