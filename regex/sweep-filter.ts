// The sweep's exact-but-incomplete test "can this pattern match this subject at all?", read straight
// from the pattern text (no parse, no compile, no allocation in the common case). It walks the
// pattern's top-level sequence the way a matcher would, but only as far as it is sure of every
// construct, and only derives necessary conditions:
// - while the pattern is anchored (`^`, `\A`, `\G` first), the walk keeps the SET of positions a
//   match can have reached (up to 31 neighbouring positions, as a bit mask): each one-byte item
//   (literals under caseless, `.`/`\N`, `\d \w \s \h \v` and their negations, character classes),
//   quantified or not, moves every position over the bytes it can take (`[\d.]+` from 4 in
//   "SSH-2.0-…" gives 5, 6 and 7), `$ \Z \z` keep the positions they allow, a positive lookahead
//   keeps the positions its content can match from, an optional group or a group of alternatives
//   gives the union of its ways through; lazy, possessive and atomic forms are read as plain greedy
//   ones, which can only keep more positions;
// - when the set would spread wider, or an item of unknown width comes (a back-reference, a
//   repeated group), the walk goes on floating: literal runs every match must contain are looked
//   for with indexOf from the lowest position the set had; and since a one-byte item after a run
//   starts where the run ends, the walk goes anchored again on the ends of the run's occurrences
//   when they lie within the set's width (reanchor());
// - alternation (top level or in a group) is an OR over the alternatives; while floating, optional
//   items are skipped and repeated items count only their minimum; other lookarounds are skipped.
// Whenever it meets something it does not fully know (inline options, \Q, verbs, conditionals,
// recursion, `{` that PCRE2 10.42 and 10.47 read differently, octal/back-reference ambiguity, POSIX
// names it does not list), it stops and answers "may match". So "false" always means PCRE2 (with
// nmap's options: only CASELESS and DOTALL) cannot match; "true" decides nothing. Byte sets follow
// PCRE2's default C tables (the same ones regex/translate-sets.ts uses). test/regex/sweep.test.ts
// holds the result to the full sweep and to pcre2test.

const FAIL = 0;
const OK = 1;
const STOP = 2;

// One walk's state, module-level so the walk allocates nothing.
let P = '';
let PL = 0;
/** The pattern's code unit at i, or -1 past its end (never read out of bounds: V8 deoptimises). */
const pc = (i: number): number => (i < PL ? P.charCodeAt(i) : -1);
let S = '';
let lowered: string | null = null;
let CL = false;
let DA = false;
let anchored = false;
// While anchored: the positions a match can be at, as `pos` (the lowest) and `mask` (bit k: pos + k;
// bit 0 always set, at most WIDE bits).
let pos = 0;
let mask = 1;
let floor = 0;
const WIDE = 31;
/** Scratch: whether the current atom holds the subject byte at pos + k (step()). */
const HOLDS = new Int8Array(1024);
// The pending literal run of the floating part (bytes, ASCII-lowercased under caseless): only its
// first RUN_CAP bytes are kept, which are as required as the whole. `budget` bounds the searches
// one pattern may cost; past it the walk stops ("may match").
export const RUN_CAP = 48;
const RB = new Uint8Array(RUN_CAP);
let RL = 0;
let budget = 0;
/** Literal searches one walk may make (a dozen alternatives of literal text fit). */
const SEARCHES = 16;
/** One-byte strings, to find a run's first byte with the native indexOf. */
const CHAR: string[] = [];
for (let b = 0; b < 256; b++) CHAR.push(String.fromCharCode(b));
let atStart = true;
// The atom just decoded by atom(): its kind, byte (LIT) or set letter (SET), class start (CLS).
const LIT = 1, SET = 2, CLS = 3, DOT = 4, ZW = 5, START = 6, VAR = 7, BAD = 8, END = 9, ENDZ = 10;
let aKind = 0;
let aVal = 0;
let aEnd = 0;
let qMin = 1;
let qMax = 1;
let qEnd = 0;

const lowerByte = (b: number): number => (b >= 0x41 && b <= 0x5a ? b + 0x20 : b);
const flip = (b: number): number => (b >= 0x41 && b <= 0x5a ? b + 0x20 : b >= 0x61 && b <= 0x7a ? b - 0x20 : b);
const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
const isAlnum = (c: number): boolean => isDigit(c) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
const hexVal = (c: number): number => (isDigit(c) ? c - 0x30 : c >= 0x41 && c <= 0x46 ? c - 0x37 : c >= 0x61 && c <= 0x66 ? c - 0x57 : -1);

/** ASCII-only lowercase of a binary string (PCRE2's caseless pairs only ASCII letters). */
export function asciiLower(s: string): string {
  return s.replace(/[A-Z]+/g, (m) => m.toLowerCase());
}

/** `\d \D \w \W \s \S \h \H \v \V \N` by PCRE2's default tables; -1 for a letter it does not know. */
function inEscapeSet(letter: number, b: number): number {
  switch (letter) {
    case 0x64: return isDigit(b) ? 1 : 0; // d
    case 0x44: return isDigit(b) ? 0 : 1;
    case 0x77: return isAlnum(b) || b === 0x5f ? 1 : 0; // w
    case 0x57: return isAlnum(b) || b === 0x5f ? 0 : 1;
    case 0x73: return (b >= 0x09 && b <= 0x0d) || b === 0x20 ? 1 : 0; // s
    case 0x53: return (b >= 0x09 && b <= 0x0d) || b === 0x20 ? 0 : 1;
    case 0x68: return b === 0x09 || b === 0x20 || b === 0xa0 ? 1 : 0; // h
    case 0x48: return b === 0x09 || b === 0x20 || b === 0xa0 ? 0 : 1;
    case 0x76: return (b >= 0x0a && b <= 0x0d) || b === 0x85 ? 1 : 0; // v
    case 0x56: return (b >= 0x0a && b <= 0x0d) || b === 0x85 ? 0 : 1;
    case 0x4e: return b === 0x0a ? 0 : 1; // N
    default: return -1;
  }
}

/** POSIX class by name (text between `[:` and `:]`), C locale; -1 when not listed. */
function inPosix(name: string, b: number): number {
  switch (name) {
    case 'alpha': return (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) ? 1 : 0;
    case 'digit': return isDigit(b) ? 1 : 0;
    case 'alnum': return isAlnum(b) ? 1 : 0;
    case 'upper': return b >= 0x41 && b <= 0x5a ? 1 : 0;
    case 'lower': return b >= 0x61 && b <= 0x7a ? 1 : 0;
    case 'xdigit': return hexVal(b) >= 0 ? 1 : 0;
    case 'space': return (b >= 0x09 && b <= 0x0d) || b === 0x20 ? 1 : 0;
    case 'blank': return b === 0x09 || b === 0x20 ? 1 : 0;
    case 'punct': return (b >= 0x21 && b <= 0x2f) || (b >= 0x3a && b <= 0x40) || (b >= 0x5b && b <= 0x60) || (b >= 0x7b && b <= 0x7e) ? 1 : 0;
    case 'print': return b >= 0x20 && b <= 0x7e ? 1 : 0;
    case 'graph': return b >= 0x21 && b <= 0x7e ? 1 : 0;
    case 'cntrl': return b < 0x20 || b === 0x7f ? 1 : 0;
    case 'word': return isAlnum(b) || b === 0x5f ? 1 : 0;
    default: return -1;
  }
}

/**
 * A single-byte escape at i (`\`): its byte, or -1 (a set, an assertion, anything multi-byte or
 * unsure). Sets escEnd. Shared by atoms and class members; `inClass` reads `\b` as backspace.
 */
let escEnd = 0;
function escByte(i: number, inClass: boolean): number {
  const d = pc(i + 1);
  escEnd = i + 2;
  if (d < 0) return -1; // a trailing backslash
  if (!isAlnum(d)) return d;
  switch (d) {
    case 0x6e: return 0x0a; // n
    case 0x72: return 0x0d; // r
    case 0x74: return 0x09; // t
    case 0x66: return 0x0c; // f
    case 0x65: return 0x1b; // e
    case 0x61: return 0x07; // a
    case 0x62: return inClass ? 0x08 : -1; // b
    case 0x30: { // \0 then up to two more octal digits: only the plain NUL is taken
      const n = pc(i + 2);
      return n >= 0x30 && n <= 0x39 ? -1 : 0;
    }
    case 0x78: { // \xH or \xHH; bare \x and \x{ differ between versions or are rare: unsure
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

/** Index just past the class starting at i (`[`), or -1 when unsure. */
function classEnd(i: number): number {
  let j = i + 1;
  if (pc(j) === 0x5e) j++;
  if (pc(j) === 0x5d) j++;
  for (const n = P.length; j < n; ) {
    const c = pc(j);
    if (c === 0x5c) {
      const d = pc(j + 1);
      if (d === 0x51 || d === 0x45) return -1; // \Q, \E
      j += 2;
    } else if (c === 0x5b) {
      const d = pc(j + 1);
      if (d === 0x3a || d === 0x2e || d === 0x3d) {
        const k = P.indexOf(':]', j + 2);
        if (d !== 0x3a || k < 0 || !/^\^?[a-z]+$/.test(P.slice(j + 2, k))) return -1;
        j = k + 2;
      } else j++;
    } else if (c === 0x5d) return j + 1;
    else j++;
  }
  return -1;
}

/** `\d \D \w \W \s \S \h \H \v \V` as 256-bit sets (8 words), by letter; null for other letters. */
const ESCAPE_BITS: (Int32Array | null)[] = [];
for (let letter = 0; letter < 128; letter++) {
  if (letter === 0x4e || inEscapeSet(letter, 0) < 0) { ESCAPE_BITS.push(null); continue; } // \N: not in a class
  const bits = new Int32Array(8);
  for (let b = 0; b < 256; b++) if (inEscapeSet(letter, b) === 1) bits[b >> 5] |= 1 << (b & 31);
  ESCAPE_BITS.push(bits);
}

/** The class classBits() last read, one bit per byte. */
const CB = new Int32Array(8);
/** Sets bytes lo..hi in CB, a word at a time. */
function addBytes(lo: number, hi: number): void {
  for (let w = lo >> 5; w <= hi >> 5; w++) {
    const from = w === lo >> 5 ? lo & 31 : 0;
    const to = w === hi >> 5 ? hi & 31 : 31;
    CB[w] |= (0xffffffff >>> (31 - to)) & ~((1 << from) - 1);
  }
}
/** addBytes, plus under caseless the other case of every ASCII letter in the range. */
function addRange(lo: number, hi: number): void {
  addBytes(lo, hi);
  if (!CL) return;
  const ul = lo > 0x41 ? lo : 0x41, uh = hi < 0x5a ? hi : 0x5a;
  if (ul <= uh) addBytes(ul + 0x20, uh + 0x20);
  const ll = lo > 0x61 ? lo : 0x61, lh = hi < 0x7a ? hi : 0x7a;
  if (ll <= lh) addBytes(ll - 0x20, lh - 0x20);
}

/**
 * Reads the class at i (`[`, well formed per classEnd) into CB, one bit per byte, by PCRE2's rules
 * with nmap's options (caseless: both cases of each ASCII letter of a range or a POSIX upper/lower
 * class). False when it is unsure of some byte (an escape or POSIX name it does not list, a range
 * with a set or POSIX end, `\N`); CB is then not to be used. The last class read is remembered, so
 * testing it byte by byte (classHas) reads it once.
 */
let cbPattern = '';
let cbAt = -1;
let cbCaseless = false;
let cbSure = false;
function classBits(i: number): boolean {
  if (i === cbAt && P === cbPattern && CL === cbCaseless) return cbSure;
  cbPattern = P;
  cbAt = i;
  cbCaseless = CL;
  cbSure = readClass(i);
  return cbSure;
}

/** Does the class at i hold byte b? 1, 0, or -1 when unsure. */
function classHas(i: number, b: number): number {
  return classBits(i) ? (CB[b >> 5] >>> (b & 31)) & 1 : -1;
}

function readClass(i: number): boolean {
  CB.fill(0);
  let j = i + 1;
  let neg = false;
  if (pc(j) === 0x5e) { neg = true; j++; }
  let first = true;
  for (;;) {
    const c = pc(j);
    if (c < 0) return false;
    if (c === 0x5d && !first) break;
    first = false;
    let lo: number;
    if (c === 0x5b && pc(j + 1) === 0x3a) {
      const k = P.indexOf(':]', j + 2);
      let name = P.slice(j + 2, k);
      const negName = name.charCodeAt(0) === 0x5e;
      if (negName) name = name.slice(1);
      if (CL && negName && (name === 'upper' || name === 'lower')) return false;
      if (inPosix(name, 0) < 0) return false;
      const fold = CL && (name === 'upper' || name === 'lower');
      for (let b = 0; b < 256; b++) {
        const m = inPosix(name, b) || (fold ? inPosix(name, flip(b)) : 0);
        if (m !== (negName ? 1 : 0)) addBytes(b, b);
      }
      j = k + 2;
      if (pc(j) === 0x2d && pc(j + 1) !== 0x5d) return false;
      continue;
    }
    if (c === 0x5c) {
      lo = escByte(j, true);
      if (lo < 0) {
        const d = pc(j + 1);
        const set = d >= 0 && d < 128 ? ESCAPE_BITS[d] : null;
        if (set === null) return false;
        j += 2;
        if (pc(j) === 0x2d && pc(j + 1) !== 0x5d) return false;
        for (let w = 0; w < 8; w++) CB[w] |= set[w];
        continue;
      }
      j = escEnd;
    } else {
      lo = c;
      j++;
    }
    let hi = lo;
    if (pc(j) === 0x2d && pc(j + 1) !== 0x5d && j + 1 < P.length) {
      const e = pc(j + 1);
      if (e === 0x5c) {
        hi = escByte(j + 1, true);
        if (hi < 0) return false;
        j = escEnd;
      } else {
        if (e === 0x5b) { const f = pc(j + 2); if (f === 0x3a || f === 0x2e || f === 0x3d) return false; }
        hi = e;
        j += 2;
      }
      if (hi < lo) return false;
    }
    addRange(lo, hi);
  }
  if (neg) for (let w = 0; w < 8; w++) CB[w] = ~CB[w];
  return true;
}

/** Decodes the atom at i (not `(`): sets aKind, aVal, aEnd. */
function atom(i: number): void {
  const c = pc(i);
  aEnd = i + 1;
  switch (c) {
    case 0x2e: aKind = DOT; return; // .
    case 0x5e: aKind = START; return; // ^
    case 0x24: aKind = END; return; // $
    case 0x5b: { // [
      const e = classEnd(i);
      if (e < 0) { aKind = BAD; return; }
      aKind = CLS; aVal = i; aEnd = e;
      return;
    }
    case 0x7c: case 0x29: case 0x2a: case 0x2b: case 0x3f: aKind = BAD; return; // | ) * + ?
    case 0x7b: { // `{` is a literal unless it might start a quantifier in 10.42 or 10.47
      const n = pc(i + 1);
      if (isDigit(n) || n === 0x2c || n === 0x20 || n === 0x09) { aKind = BAD; return; }
      aKind = LIT; aVal = c;
      return;
    }
    case 0x5c: { // backslash
      const b = escByte(i, false);
      aEnd = escEnd;
      if (b >= 0) { aKind = LIT; aVal = b; return; }
      const d = pc(i + 1);
      aEnd = i + 2;
      if (inEscapeSet(d, 0) >= 0) {
        if (d === 0x4e && pc(i + 2) === 0x7b) { aKind = BAD; return; } // \N{...}
        aKind = SET; aVal = d;
        return;
      }
      if (d === 0x41 || d === 0x47) { aKind = START; return; } // \A \G (start offset is 0)
      if (d === 0x62 || d === 0x42) { aKind = ZW; return; } // \b \B
      if (d === 0x5a || d === 0x7a) { aKind = d === 0x5a ? END : ENDZ; return; } // \Z \z
      // \1..\9 not followed by a digit is always a back-reference: unknown width.
      if (d >= 0x31 && d <= 0x39 && !isDigit(pc(i + 2))) { aKind = VAR; return; }
      if (d === 0x52) { aKind = VAR; return; } // \R: one or two bytes
      aKind = BAD;
      return;
    }
    default:
      aKind = LIT; aVal = c;
  }
}

/** Reads the quantifier at i: sets qMin, qMax, qEnd; false when unsure. */
function quant(i: number): boolean {
  const c = pc(i);
  qMin = 1; qMax = 1; qEnd = i;
  if (c === 0x2a) { qMin = 0; qMax = 0x3fffffff; qEnd = i + 1; }
  else if (c === 0x2b) { qMin = 1; qMax = 0x3fffffff; qEnd = i + 1; }
  else if (c === 0x3f) { qMin = 0; qMax = 1; qEnd = i + 1; }
  else if (c === 0x7b) {
    let j = i + 1;
    let n = 0;
    const d0 = j;
    while (isDigit(pc(j))) n = n * 10 + pc(j++) - 0x30;
    if (j === d0) { const d = pc(j); return !(d === 0x2c || d === 0x20 || d === 0x09); } // a literal `{`
    qMin = n;
    if (pc(j) === 0x7d) { qMax = n; qEnd = j + 1; }
    else if (pc(j) === 0x2c) {
      j++;
      let m = 0;
      const m0 = j;
      while (isDigit(pc(j))) m = m * 10 + pc(j++) - 0x30;
      if (pc(j) !== 0x7d) return false;
      qMax = j === m0 ? 0x3fffffff : m;
      if (qMax < qMin) return false;
      qEnd = j + 1;
    } else return false;
  } else return true;
  const s = pc(qEnd);
  if (s === 0x3f || s === 0x2b) qEnd++;
  const t = pc(qEnd);
  return !(t === 0x2a || t === 0x2b || t === 0x3f || (t === 0x7b && isDigit(pc(qEnd + 1))));
}

/** Checks the pending literal run (floating part) and clears it; sets `stopped` past the budget. */
let stopped = false;
function flush(): boolean {
  const n = RL;
  if (n === 0) return true;
  RL = 0;
  if (--budget < 0) { stopped = true; return true; }
  const hay = CL ? (lowered ??= asciiLower(S)) : S;
  const first = CHAR[RB[0]];
  const last = hay.length - n;
  for (let k = hay.indexOf(first, floor); k >= 0 && k <= last; k = hay.indexOf(first, k + 1)) {
    let j = 1;
    while (j < n && hay.charCodeAt(k + j) === RB[j]) j++;
    if (j === n) return true;
  }
  return false;
}

/**
 * Floating, just before a consuming item: every match holds the pending run (RB) ending right where
 * that item starts (a run's bytes are consecutive literals, each repeated an exact number of times;
 * anything else before the item would have flushed it). So the item starts at the end of one of the
 * run's occurrences from `floor`: none → false; all those ends within WIDE of the lowest → the walk
 * goes anchored on that set (`^220 (.*) ([\w._-]+) ESMTP Postfix \(([\w._-]+)\)` then reads the
 * class and the `)` after the one ` ESMTP Postfix (`); more spread out → it stays floating, as
 * flush() leaves it. A run cut at RUN_CAP is only flushed (its end is not the item's start).
 */
function reanchor(): boolean {
  const n = RL;
  if (n === 0 || n >= RUN_CAP) return flush();
  RL = 0;
  if (--budget < 0) { stopped = true; return true; }
  const hay = CL ? (lowered ??= asciiLower(S)) : S;
  const first = CHAR[RB[0]];
  const last = hay.length - n;
  let lo = -1;
  let m = 0;
  for (let k = hay.indexOf(first, floor); k >= 0 && k <= last; k = hay.indexOf(first, k + 1)) {
    let j = 1;
    while (j < n && hay.charCodeAt(k + j) === RB[j]) j++;
    if (j < n) continue;
    if (lo < 0) { lo = k + n; m = 1; continue; }
    if (k + n - lo >= WIDE) return true; // too spread out: floating, the run is there
    m |= 1 << (k + n - lo);
  }
  if (lo < 0) return false;
  anchored = true;
  pos = lo;
  mask = m;
  return true;
}

/** Leaves the anchored part (position no longer known), or ends the current literal run. */
function unanchor(): boolean {
  if (anchored) { anchored = false; floor = pos; RL = 0; return true; }
  return flush();
}

/** Bits lo..hi (0 <= lo <= hi < WIDE). */
const bitRange = (lo: number, hi: number): number => (0x7fffffff >>> (30 - hi)) & ~((1 << lo) - 1);
/** Index of the lowest set bit of a non-zero mask. */
const lowBit = (m: number): number => 31 - Math.clz32(m & -m);

/** Makes (at, m) the anchored set, shifted so that bit 0 is set; false when m is empty. */
function setPositions(at: number, m: number): boolean {
  if (m === 0) return false;
  const t = lowBit(m);
  pos = at + t;
  mask = m >>> t;
  return true;
}

/**
 * Anchored: moves every position of the set over the one-byte atom just decoded, repeated
 * qMin..qMax times (every count, so lazy and possessive forms are covered). FAIL when no position
 * survives, STOP when the atom is unsure of a byte; goes floating when the new set would be wider
 * than WIDE or a run is longer than it reads.
 */
function step(): number {
  const min = qMin;
  const max = qMax;
  if (mask === 1 && min === 1 && max === 1) { // one position, one byte: the common case
    const h = atomHas(pos);
    if (h <= 0) return h === 0 ? FAIL : STOP;
    pos++;
    return OK;
  }
  const top = 31 - Math.clz32(mask);
  if (pos + min > S.length) return FAIL; // not enough bytes left from any position
  if (top + min + WIDE + 1 > HOLDS.length) { anchored = false; floor = pos + min; RL = 0; return OK; }
  // Bytes to read from pos: enough for every run, or until a run is certainly too long to keep.
  let k = top + max;
  let capped = false;
  const cap = top + min + WIDE + 1;
  if (k > cap) { k = cap; capped = true; }
  const left = S.length - pos;
  if (k > left) { k = left; capped = false; }
  // A class or an escape set as 256 bits (classBits remembers the class it read).
  const bits = aKind === CLS ? (classBits(aVal) ? CB : null) : aKind === SET ? ESCAPE_BITS[aVal] : null;
  if (bits !== null) {
    for (let j = 0; j < k; j++) {
      const b = S.charCodeAt(pos + j);
      HOLDS[j] = (bits[b >> 5] >>> (b & 31)) & 1;
    }
  } else {
    for (let j = 0; j < k; j++) {
      const h = atomHas(pos + j);
      if (h < 0) return STOP;
      HOLDS[j] = h;
    }
  }
  let lo = -1;
  let m = 0;
  for (let b = 0; b <= top; b++) {
    if (((mask >>> b) & 1) === 0) continue;
    const lim = k - b;
    const most = max < lim ? max : lim;
    let j = 0;
    while (j < most && HOLDS[b + j] === 1) j++;
    if (j === lim && capped && j < max) { anchored = false; floor = pos + min; RL = 0; return OK; }
    if (j < min) continue;
    if (lo < 0) lo = b + min;
    const hi = b + j - lo;
    if (hi >= WIDE) { anchored = false; floor = pos + min; RL = 0; return OK; }
    m |= bitRange(b + min - lo, hi);
  }
  return setPositions(pos + lo, m) ? OK : FAIL;
}

/** Anchored: keeps the positions where `$`/`\Z` (the end, or before a final newline) or `\z` holds. */
function endFilter(kind: number): boolean {
  const n = S.length;
  let m = 0;
  if (n >= pos && n - pos < WIDE && ((mask >>> (n - pos)) & 1) !== 0) m |= 1 << (n - pos);
  if (kind === END && n >= 1 && S.charCodeAt(n - 1) === 0x0a) {
    const e = n - 1 - pos;
    if (e >= 0 && e < WIDE && ((mask >>> e) & 1) !== 0) m |= 1 << e;
  }
  return setPositions(pos, m);
}

/** Does the consuming atom hold subject byte at position k? 1, 0, or -1 when unsure. */
function atomHas(k: number): number {
  if (k >= S.length) return 0;
  const b = S.charCodeAt(k);
  switch (aKind) {
    case LIT: return b === aVal || (CL && lowerByte(b) === lowerByte(aVal)) ? 1 : 0;
    case DOT: return DA || b !== 0x0a ? 1 : 0;
    case SET: return inEscapeSet(aVal, b);
    default: return classHas(aVal, b);
  }
}

// Alternatives of the groups being walked, as [start, end) pairs on a stack: groupClose() pushes
// a group's pairs at altTop (altBase, altCount say where); the caller pops them when done.
const ALT = new Int32Array(2048);
let altTop = 0;
let altBase = 0;
let altCount = 0;
function altPush(x: number): boolean {
  if (altBase + altCount >= ALT.length) return false;
  ALT[altBase + altCount++] = x;
  return true;
}

/**
 * Index of the `)` closing the group whose content starts at i (or the end of the pattern when
 * `top`), collecting the `|` positions at its own level into `alts`; -1 when unsure.
 */
function groupClose(i: number, top: boolean): number {
  let depth = 0;
  altBase = altTop;
  altCount = 0;
  altPush(i);
  for (const n = P.length; i < n; ) {
    const c = pc(i);
    if (c === 0x5c) {
      const d = pc(i + 1);
      if (d === 0x51 || d === 0x45) return -1;
      i += 2;
    } else if (c === 0x5b) {
      i = classEnd(i);
      if (i < 0) return -1;
    } else if (c === 0x28) {
      if (pc(i + 1) === 0x3f && pc(i + 2) === 0x23) return -1; // (?# comment
      depth++;
      i++;
    } else if (c === 0x29) {
      if (depth === 0) {
        if (top || !altPush(i)) return -1;
        return i;
      }
      depth--;
      i++;
    } else {
      if (c === 0x7c && depth === 0 && !(altPush(i) && altPush(i + 1))) return -1;
      i++;
    }
  }
  if (!top || !altPush(P.length)) return -1;
  return P.length;
}

/**
 * Alternatives ALT[base ..< base+count] as [start, end) pairs (plus the empty way through when
 * `orNone`, for an optional group): may one match? FAIL/OK/STOP. Anchored, the new set is the
 * union of the alternatives' sets (floating from the lowest position when one of them floats or
 * the union is too wide); floating, the first alternative that may match decides.
 */
function anyAlternative(base: number, count: number, orNone: boolean): number {
  if (!anchored && !flush()) return FAIL; // alternatives start with an empty run
  const sAnch = anchored, sPos = pos, sMask = mask, sFloor = floor, sStart = atStart;
  // The union: uPos/uMask while it is a set; uFloat (the lowest floor) once it floats.
  let uPos = sPos;
  let uMask = orNone ? sMask : 0;
  let uFloat = -1;
  let possible = orNone;
  for (let k = base; k < base + count; k += 2) {
    anchored = sAnch; pos = sPos; mask = sMask; floor = sFloor; RL = 0; atStart = sStart;
    const r = seq(ALT[k], ALT[k + 1]);
    if (r === STOP || stopped) return STOP;
    if (r !== OK || !(anchored || flush())) continue;
    possible = true;
    if (!sAnch) break;
    if (!anchored) {
      if (uFloat < 0 || floor < uFloat) uFloat = floor;
      if (uFloat <= sPos) break; // no way through can end lower
    } else if (uFloat < 0) {
      if (uMask === 0) { uPos = pos; uMask = mask; continue; }
      const lo = pos < uPos ? pos : uPos;
      const a = uPos - lo;
      const b = pos - lo;
      if (a + 31 - Math.clz32(uMask) >= WIDE || b + 31 - Math.clz32(mask) >= WIDE) { uFloat = lo; uMask = 0; continue; }
      uPos = lo;
      uMask = (uMask << a) | (mask << b);
    } else if (pos < uFloat) uFloat = pos;
  }
  RL = 0; atStart = false;
  if (!possible) { anchored = sAnch; pos = sPos; mask = sMask; floor = sFloor; return FAIL; }
  if (!sAnch) { anchored = false; floor = sFloor; return OK; }
  if (uFloat >= 0 || uMask === 0) {
    anchored = false;
    floor = uFloat < 0 || (uMask !== 0 && uPos < uFloat) ? uPos : uFloat;
    return OK;
  }
  anchored = true;
  setPositions(uPos, uMask);
  return OK;
}

/**
 * Anchored: the positive lookahead whose alternatives are ALT[base ..< base+count] keeps the
 * positions from which its content may match (each position walked on its own; the lookahead
 * consumes nothing, so the set is otherwise unchanged).
 */
function lookahead(base: number, count: number): number {
  const sPos = pos, sMask = mask, sFloor = floor, sStart = atStart;
  let keep = 0;
  for (let b = 0; b < WIDE; b++) {
    if (((sMask >>> b) & 1) === 0) continue;
    anchored = true; pos = sPos + b; mask = 1; floor = sFloor; RL = 0; atStart = sStart;
    const r = count === 2 ? seq(ALT[base], ALT[base + 1]) : anyAlternative(base, count, false);
    if (stopped) return STOP;
    if (r === STOP || (r === OK && (anchored || flush()))) keep |= 1 << b;
    if (stopped) return STOP; // flush() may have used up the budget
  }
  anchored = true; floor = sFloor; RL = 0; atStart = false;
  return setPositions(sPos, keep) ? OK : FAIL;
}

/** The group at i (`(`): FAIL/OK/STOP; sets qEnd to the index after it and its quantifier. */
function group(i: number): number {
  let content: number;
  let look = false;
  let ahead = false;
  if (pc(i + 1) === 0x3f) {
    const c = pc(i + 2);
    if (c === 0x3a || c === 0x3e || c === 0x7c) content = i + 3; // (?: (?> (?|
    else if (c === 0x3d || c === 0x21) { content = i + 3; look = true; ahead = c === 0x3d; } // (?= (?!
    else if (c === 0x3c && (pc(i + 3) === 0x3d || pc(i + 3) === 0x21)) { content = i + 4; look = true; }
    else if (c === 0x3c || c === 0x27 || (c === 0x50 && pc(i + 3) === 0x3c)) { // named group
      const close = P.indexOf(c === 0x27 ? "'" : '>', i + 3);
      if (close < 0 || !/^[A-Za-z_]\w*$/.test(P.slice(c === 0x50 ? i + 4 : i + 3, close))) return STOP;
      content = close + 1;
    } else return STOP; // options, conditionals, recursion, callouts, comments
  } else if (pc(i + 1) === 0x2a) return STOP; // (*VERB)
  else content = i + 1;
  const close = groupClose(content, false);
  if (close < 0) return STOP;
  const base = altBase;
  const count = altCount;
  if (!quant(close + 1)) return STOP;
  const after = qEnd;
  let r: number;
  if (look) {
    // Zero width. A positive lookahead, unquantified, narrows the anchored set; any other
    // lookaround's constraints are dropped.
    if (!anchored) return flush() ? OK : FAIL;
    if (!ahead || after !== close + 1) return OK;
    altTop = base + count;
    r = lookahead(base, count);
  } else if (qMin === 0 && !(anchored && qMax === 1)) {
    atStart = false;
    return unanchor() ? OK : FAIL;
  } else {
    altTop = base + count;
    if (qMin === 0) r = anyAlternative(base, count, true); // anchored `(…)?`
    else if (count === 2) {
      const once = qMin === 1 && qMax === 1;
      r = seq(ALT[base], ALT[base + 1]);
      if (r === OK && !once) r = unanchor() ? OK : FAIL;
    } else {
      r = anyAlternative(base, count, false);
      if (r === OK && !(qMin === 1 && qMax === 1)) r = unanchor() ? OK : FAIL;
    }
  }
  altTop = base;
  qEnd = after;
  return r;
}

/** The items in [i, end) (no `|` at this level): FAIL/OK/STOP, state updated. */
function seq(i: number, end: number): number {
  while (i < end) {
    if (pc(i) === 0x28) {
      const r = group(i);
      if (r !== OK) return r;
      i = qEnd;
      continue;
    }
    atom(i);
    const kind = aKind;
    if (kind === BAD) return STOP;
    if (kind === START || kind === ZW || kind === END || kind === ENDZ) {
      const n = pc(aEnd);
      if (n === 0x2a || n === 0x2b || n === 0x3f) return STOP;
      if (n === 0x7b) { const m = pc(aEnd + 1); if (isDigit(m) || m === 0x2c || m === 0x20 || m === 0x09) return STOP; }
      if (kind === START && atStart && !anchored) { anchored = true; pos = 0; mask = 1; }
      else if (anchored && kind >= END) {
        // `$`/`\Z`: the end, or just before a final newline; `\z`: the end (no multiline).
        if (!endFilter(kind)) return FAIL;
      }
      else if (!anchored && !flush()) return FAIL;
      i = aEnd;
      continue;
    }
    atStart = false;
    if (!quant(aEnd)) return STOP;
    i = qEnd;
    if (kind === VAR) {
      if (!unanchor()) return FAIL;
      continue;
    }
    // Floating before a one-byte item: it starts where the pending literal run ends.
    if (!anchored && (kind !== LIT || qMin === 0) && RL !== 0) {
      if (!reanchor()) return FAIL;
      if (stopped) return STOP;
    }
    if (qMin === 0 && !anchored) {
      if (!unanchor()) return FAIL;
      continue;
    }
    if (anchored) {
      const r = step();
      if (r !== OK) return r;
    } else if (kind === LIT) {
      const b = CL ? lowerByte(aVal) : aVal;
      for (let k = 0; k < qMin && RL < RUN_CAP; k++) RB[RL++] = b;
      if (qMax !== qMin || qMin > RUN_CAP) { if (!flush()) return FAIL; }
    } else if (!flush()) return FAIL;
    if (stopped) return STOP;
  }
  return OK;
}

/** Sets the subject the next mayMatch calls test (and forgets its lowered copy). */
export function setSubject(subject: string): void {
  S = subject;
  lowered = null;
}

/**
 * False only when the pattern (a binary string, nmap's options) certainly cannot match the subject
 * given to setSubject().
 */
export function mayMatch(pattern: string, caseless: boolean, dotall: boolean): boolean {
  P = pattern;
  PL = pattern.length;
  CL = caseless;
  DA = dotall;
  anchored = false; pos = 0; mask = 1; floor = 0; RL = 0; atStart = true;
  budget = SEARCHES; stopped = false; altTop = 0;
  let r: number;
  if (pattern.indexOf('|') < 0) r = seq(0, pattern.length);
  else {
    if (groupClose(0, true) < 0) return true;
    altTop = altBase + altCount;
    r = altCount === 2 ? seq(0, pattern.length) : anyAlternative(altBase, altCount, false);
  }
  if (r === STOP || stopped) return true;
  return r === OK && (anchored || flush());
}

/**
 * Like mayMatch, for a pattern whose first `textStart` characters are `^` and literal atoms that
 * the subject is already known to hold at positions 0 ..< `pos` (the sweep's prefix trie checked
 * them). The walk resumes anchored at `pos`; the pattern must have no top-level `|` (anchoredPrefix
 * gives a prefix only then).
 */
export function mayMatchFrom(pattern: string, caseless: boolean, dotall: boolean, textStart: number, at: number): boolean {
  P = pattern;
  PL = pattern.length;
  CL = caseless;
  DA = dotall;
  anchored = true; pos = at; mask = 1; floor = 0; RL = 0; atStart = at === 0;
  budget = SEARCHES; stopped = false; altTop = 0;
  const r = seq(textStart, pattern.length);
  if (r === STOP || stopped) return true;
  return r === OK && (anchored || flush());
}


/** Where the text of the last anchoredPrefix() ended (the index of the first item not in it). */
export let prefixEnd = 0;
/** Where the native fast path of the last anchoredPrefix() stopped (prefixEnd when it read all). */
export let prefixPlainEnd = 0;
/** With writePlain false: the bytes the fast path read, as a string (not case-folded). */
export let prefixPlainText = '';
const SIMPLE_ESCAPE = /\\([\s\S])/g;
const unescapeSimple = (_m: string, c: string): string => (c === 'n' ? '\n' : c === 'r' ? '\r' : c === 't' ? '\t' : c);
/** The longest prefix anchoredPrefix() reads (the rest of a longer one is left to mayMatchFrom). */
export const PREFIX_MAX = 24;
// anchoredPrefix()'s fast path: `^` then up to PREFIX_MAX plain literals, `\` + punctuation and
// `\n \r \t`, each not followed by a quantifier (the loop after it stops at the same places).
const PLAIN_PREFIX = /^\^(?:(?:[^\\^$.[|()?*+{]|\\[^A-Za-z0-9]|\\[nrt])(?![*+?]|\{[\d, \t])){0,24}/; // 24 = PREFIX_MAX

/**
 * The anchored literal prefix of a pattern: `^`, then the literal bytes and one-byte escapes that
 * follow it, stopping before the first atom that is not one, or is quantified (`*`, `+`, `?`, or a
 * `{` PCRE2 10.42 or 10.47 may read as a quantifier), and after PREFIX_MAX bytes. Written to `out`
 * from index `at`
 * (ASCII letters lowercased under caseless); returns its length (0 for `^` followed by anything
 * else) and sets prefixEnd, or returns -1 when the pattern has none a match must start with: no
 * leading `^`, a top-level `|` (or one the scan cannot rule out: `\Q`, comments, extended
 * classes, verbs, x mode).
 */
export function anchoredPrefix(p: string, caseless: boolean, out: Uint8Array, at: number, writePlain = true): number {
  P = p;
  PL = p.length;
  if (pc(0) !== 0x5e) return -1;
  if (p.indexOf('|') >= 0) {
    if (p.indexOf('(?[') >= 0 || p.indexOf('(*') >= 0 || /\(\?[\^a-zA-Z-]*x/.test(p)) return -1;
    altTop = 0;
    if (groupClose(0, true) < 0 || altCount !== 2) return -1;
  }
  // Fast path (native, so cheap before our own code is optimised): the leading plain literals,
  // `\` + punctuation and `\n \r \t`, none followed by a quantifier; the loop below reads on.
  const m = PLAIN_PREFIX.exec(p);
  const plainEnd = m ? m[0].length : 1;
  prefixPlainEnd = plainEnd;
  let i = 1;
  let n = 0;
  if (!writePlain) {
    // The fast path's bytes as a string, decoded natively (no loop of ours before it is optimised).
    let t = p.slice(1, plainEnd);
    if (t.indexOf('\\') >= 0) t = t.replace(SIMPLE_ESCAPE, unescapeSimple);
    prefixPlainText = t;
    n = t.length;
    i = plainEnd;
  }
  while (i < plainEnd) {
    let c = p.charCodeAt(i++);
    if (c === 0x5c) {
      c = p.charCodeAt(i++);
      if (c === 0x6e) c = 0x0a; else if (c === 0x72) c = 0x0d; else if (c === 0x74) c = 0x09;
    }
    out[at + n++] = caseless && c >= 0x41 && c <= 0x5a ? c + 0x20 : c;
  }
  while (n < PREFIX_MAX) {
    const c = pc(i);
    let b: number;
    let next: number;
    if (c < 0) break;
    if (c === 0x5c) {
      b = escByte(i, false);
      if (b < 0) break;
      next = escEnd;
    } else if (c === 0x5e || c === 0x24 || c === 0x2e || c === 0x5b || c === 0x7c || c === 0x28 || c === 0x29 || c === 0x3f || c === 0x2a || c === 0x2b) {
      break;
    } else {
      if (c === 0x7b) { const d = pc(i + 1); if (isDigit(d) || d === 0x2c || d === 0x20 || d === 0x09) break; }
      b = c;
      next = i + 1;
    }
    const q = pc(next);
    if (q === 0x2a || q === 0x2b || q === 0x3f) break;
    if (q === 0x7b) { const d = pc(next + 1); if (isDigit(d) || d === 0x2c || d === 0x20 || d === 0x09) break; }
    out[at + n++] = caseless ? lowerByte(b) : b;
    i = next;
  }
  prefixEnd = i;
  return n;
}

/**
 * The longest literal run every match must contain, read from the top-level items after `from` of a
 * pattern anchoredPrefix() gave a prefix (so no top-level `|`): consecutive literal atoms each
 * required once (a quantified literal adds its required copies and ends the run; any other item
 * ends it; a group repeated at least once with one alternative is read inside, see runScan(); other
 * groups are skipped whole). ASCII-lowercased under caseless; '' when none of at least 2
 * bytes. Only the first `scan` characters (RUN_SCAN by default) are read, and none after a run of
 * `good` bytes (GOOD_RUN) is known (load time stays small; the walk of mayMatchFrom checks the rest). The scan stops at anything that could change how later text reads (inline options, `\Q`,
 * verbs, comments, anything atom() does not know), keeping the runs read before it.
 */
// requiredRun's current and best runs (no strings built until the end).
const RUNB = new Uint8Array(RUN_CAP);
const BESTB = new Uint8Array(RUN_CAP);
let runLen = 0;
let bestLen = 0;
const RUN_SCAN = 64;
const GOOD_RUN = 6;
// What requiredRuns() read: up to MAX_RUNS runs of at least 2 bytes, in pattern order, as bytes
// (runBytes from k * RUN_CAP), lengths and hashes; no strings until runText() is asked for one.
const MAX_RUNS = 32;
let collecting = false;
/** How many runs the last requiredRuns() read. */
export let runCount = 0;
/** Per run of the last requiredRuns(): a hash of its bytes (equal runs, equal hashes). */
export const runHash = new Int32Array(MAX_RUNS);
/** Per run of the last requiredRuns(): its length in bytes. */
export const runLength = new Int32Array(MAX_RUNS);
/** The bytes of the runs of the last requiredRuns(): run k from k * RUN_CAP, runLength[k] of them. */
export const runBytes = new Uint8Array(MAX_RUNS * RUN_CAP);
function endRun(): void {
  if (collecting && runLen >= 2 && runCount < MAX_RUNS) {
    const at = runCount * RUN_CAP;
    let h = runLen;
    for (let k = 0; k < runLen; k++) {
      runBytes[at + k] = RUNB[k];
      h = Math.imul(h ^ RUNB[k], 0x01000193);
    }
    runHash[runCount] = h;
    runLength[runCount] = runLen;
    runCount++;
  }
  if (runLen > bestLen) { for (let k = 0; k < runLen; k++) BESTB[k] = RUNB[k]; bestLen = runLen; }
  runLen = 0;
}

/**
 * Reads every literal run requiredRun() finds in the first `scan` characters after `from` (each one
 * required by every match, as there; at most 32), not only the longest: the sweep's index picks
 * among them the run that tells the patterns sharing a prefix apart best. Returns how many (see
 * runHash, runLength, runText).
 */
export function requiredRuns(p: string, caseless: boolean, from: number, scan: number): number {
  runCount = 0;
  collecting = true;
  try {
    requiredRun(p, caseless, from, scan, RUN_CAP + 1);
  } finally {
    collecting = false;
  }
  return runCount;
}

/** Run k of the last requiredRuns(), as a binary string. */
export function runText(k: number): string {
  let out = '';
  for (let j = 0, at = k * RUN_CAP; j < runLength[k]; j++) out += CHAR[runBytes[at + j]];
  return out;
}

/**
 * requiredRun()'s reading of the items in [i, stop): runs go to RUNB/BESTB (and, for requiredRuns(), runBytes). A group
 * repeated at least once with one alternative (`(…)`, `(?:…)`, `(?>…)`) is read inside too, its
 * runs ended at both of its edges: every match holds its content. Any other group is skipped whole.
 * False when the scan must stop (something it does not know, or `good` reached).
 */
function runScan(i: number, stop: number, caseless: boolean, good: number): boolean {
  while (i < stop && bestLen < good) {
    const c = pc(i);
    if (c === 0x28) {
      endRun();
      const d = pc(i + 1);
      if (d === 0x2a) return false;
      let content = i + 1;
      let plain = true;
      if (d === 0x3f) {
        const e = pc(i + 2);
        if (e === 0x3a || e === 0x3e) content = i + 3;
        else if (e === 0x7c || e === 0x3d || e === 0x21) { content = i + 3; plain = false; }
        else if (e === 0x3c && (pc(i + 3) === 0x3d || pc(i + 3) === 0x21)) { content = i + 4; plain = false; }
        else return false; // options, named groups, conditionals, comments: stop here
      }
      altTop = 0;
      const close = groupClose(content, false);
      if (close < 0 || !quant(close + 1)) return false;
      const after = qEnd;
      if (plain && altCount === 2 && qMin >= 1) {
        if (!runScan(content, close < stop ? close : stop, caseless, good)) return false;
        endRun();
      }
      i = after;
      continue;
    }
    atom(i);
    if (aKind === BAD) return false;
    if (!quant(aEnd)) return false;
    if (aKind === LIT && qMin >= 1) {
      const ch = caseless ? lowerByte(aVal) : aVal;
      for (let k = 0; k < qMin && runLen < RUN_CAP; k++) RUNB[runLen++] = ch;
      if (qMax !== qMin) endRun();
    } else if (aKind === START || aKind === ZW || aKind === END || aKind === ENDZ) {
      if (qEnd !== aEnd) return false; // a quantified assertion: unusual, stop
      // zero width: a run continues across it only if it asserts nothing about bytes, which \b
      // and `$` do; ending the run keeps each run contiguous in every match.
      endRun();
    } else {
      endRun();
    }
    i = qEnd;
  }
  return true;
}

export function requiredRun(p: string, caseless: boolean, from: number, scan = RUN_SCAN, good = GOOD_RUN): string {
  P = p;
  PL = p.length;
  bestLen = 0;
  runLen = 0;
  // Bounded: the first RUN_SCAN characters, or until a run of GOOD_RUN bytes is known.
  runScan(from, from + scan < PL ? from + scan : PL, caseless, good);
  endRun();
  if (bestLen < 2) return '';
  let out = '';
  for (let k = 0; k < bestLen; k++) out += CHAR[BESTB[k]];
  return out;
}

/**
 * requiredRun() for a pattern with no usable prefix (read from its start): '' when the pattern has
 * a top-level `|` (or one the scan cannot rule out), since then no run is required by every match.
 */
export function floatingRun(p: string, caseless: boolean, scan: number, good: number): string {
  if (p.indexOf('|') >= 0) {
    P = p;
    PL = p.length;
    if (p.indexOf('(?[') >= 0 || p.indexOf('(*') >= 0) return '';
    altTop = 0;
    if (groupClose(0, true) < 0 || altCount !== 2) return '';
  }
  return requiredRun(p, caseless, 0, scan, good);
}

/**
 * The byte an anchored match must start with, read from the pattern's first few characters only
 * (`^` then a literal or a one-byte escape not made optional); -1 when there is none or the pattern
 * has a `|` anywhere. Under caseless a letter stands for both cases (the caller buckets both).
 */
export function firstByte(p: string): number {
  P = p;
  PL = p.length;
  if (pc(0) !== 0x5e) return -1;
  const c = pc(1);
  let b: number;
  let next: number;
  if (c === 0x5c) {
    b = escByte(1, false);
    if (b < 0) return -1;
    next = escEnd;
  } else if (c < 0 || c === 0x2e || c === 0x5b || c === 0x28 || c === 0x29 || c === 0x7c || c === 0x2a || c === 0x2b || c === 0x3f || c === 0x5e || c === 0x24) {
    return -1;
  } else {
    b = c;
    next = 2;
    if (c === 0x7b) { const n = pc(2); if (isDigit(n) || n === 0x2c || n === 0x20 || n === 0x09) return -1; }
  }
  const q = pc(next);
  if (q === 0x3f || q === 0x2a) return -1;
  if (q === 0x7b) { const n = pc(next + 1); if (isDigit(n) || n === 0x2c || n === 0x20 || n === 0x09) return -1; }
  if (p.indexOf('|') >= 0) return -1;
  return b;
}

/** The bytes of the item leadProbe() chose, one bit per byte (valid after it returns >= 0). */
export const LEAD_BITS = new Int32Array(8);
/**
 * After leadProbe(): the distance of the first item it read when that is another item than the one
 * it chose (-1 otherwise), and that item's bytes. A second test: the fewest bytes at one place
 * (often a space) and the first byte are different facts (`^[A-Z][a-z]{2} ` needs both).
 */
export let leadFirst = -1;
export const LEAD_FIRST_BITS = new Int32Array(8);
const LB = new Int32Array(8);

/**
 * For an anchored pattern whose walk resumes at `textStart` (after its prefix, as in mayMatchFrom):
 * among the one-byte items that sit at a fixed distance from the prefix's end (literals, `.`,
 * `\d \w \s \h \v` and their negations, classes; each repeated an exact number of times, `\b \B`
 * passed over), the one that admits the fewest bytes. Returns its distance (the subject byte at
 * prefix length + distance must be in LEAD_BITS for any match), or -1 when there is none worth
 * keeping; the first such item, when it is another, is left in leadFirst / LEAD_FIRST_BITS. A group
 * where the fixed places end counts as one item (groupLead()). Stops there, and at an alternation,
 * an assertion or an item of variable width. Load work: the sweep's
 * index reads it once per pattern, and then tests one or two subject bytes instead of walking.
 */
export function leadProbe(pattern: string, caseless: boolean, dotall: boolean, textStart: number, maxDistance = 32): number {
  P = pattern;
  PL = pattern.length;
  CL = caseless;
  DA = dotall;
  let i = textStart;
  let off = 0;
  leadBest = -1;
  leadBestCount = 256;
  leadFirst = -1;
  while (i < PL && off < maxDistance) {
    const c = pc(i);
    if (c === 0x28) {
      // A group matched at least once starts with the first item of one of its alternatives: the
      // union of those items' bytes is a test at this place; no place after it is fixed.
      if (groupLead(i)) leadConsider(off);
      break;
    }
    if (c === 0x7c || c === 0x29) break;
    atom(i);
    const kind = aKind;
    if (kind === ZW) {
      const n = pc(aEnd);
      if (n === 0x2a || n === 0x2b || n === 0x3f || n === 0x7b) break;
      i = aEnd;
      continue;
    }
    if (!quant(aEnd) || qMin === 0) break;
    LB.fill(0);
    if (!addAtomBytes(kind, LB)) break;
    leadConsider(off);
    if (leadBestCount === 1 || qMin !== qMax) break; // one byte cannot be bettered; past a variable count no place is fixed
    off += qMin;
    i = qEnd;
  }
  if (leadFirst === leadBest) leadFirst = -1;
  return leadBest;
}

// leadProbe()'s choice so far: the distance and byte count of the fewest-bytes item.
let leadBest = -1;
let leadBestCount = 256;

/** leadProbe(): the item whose bytes are in LB sits at `off`; keep it as the first, the best, or neither. */
function leadConsider(off: number): void {
  let count = 0;
  for (let w = 0; w < 8; w++) {
    let x = LB[w];
    while (x !== 0) { x &= x - 1; count++; }
  }
  if (count < 256 && leadFirst < 0) { leadFirst = off; LEAD_FIRST_BITS.set(LB); }
  if (count < leadBestCount) { leadBestCount = count; leadBest = off; LEAD_BITS.set(LB); }
}

/**
 * ORs into `out` the bytes the one-byte atom just decoded by atom() takes (a literal under the
 * case rule, `.`, an escape set, a class); false when it is no such atom or the class is unsure.
 */
function addAtomBytes(kind: number, out: Int32Array): boolean {
  if (kind === LIT) {
    out[aVal >> 5] |= 1 << (aVal & 31);
    if (CL) { const f = flip(aVal); out[f >> 5] |= 1 << (f & 31); }
  } else if (kind === DOT) {
    for (let w = 0; w < 8; w++) out[w] |= w === 0 && !DA ? ~(1 << 0x0a) : -1;
  } else if (kind === SET || kind === CLS) {
    const bits = kind === CLS ? (classBits(aVal) ? CB : null) : ESCAPE_BITS[aVal];
    if (bits === null) return false;
    for (let w = 0; w < 8; w++) out[w] |= bits[w];
  } else return false;
  return true;
}

/** groupLead()'s union (LB is only written once the union is whole). */
const LEAD_UNION = new Int32Array(8);

/**
 * For the group at i (`(`, `(?:`, `(?>`, `(?|`, repeated at least once; leadProbe() reads it
 * where its fixed places end): the union of the bytes
 * its alternatives' first items take, in LB; false when some alternative does not start with a
 * one-byte item required at least once (an empty one, a nested group, an assertion, …).
 */
function groupLead(i: number): boolean {
  let content = i + 1;
  if (pc(i + 1) === 0x3f) {
    const d = pc(i + 2);
    if (d !== 0x3a && d !== 0x3e && d !== 0x7c) return false;
    content = i + 3;
  } else if (pc(i + 1) === 0x2a) return false; // (*VERB)
  altTop = 0;
  const close = groupClose(content, false);
  if (close < 0) return false;
  const base = altBase;
  const count = altCount;
  if (!quant(close + 1) || qMin === 0) return false;
  const U = LEAD_UNION;
  U.fill(0);
  for (let k = base; k < base + count; k += 2) {
    const a = ALT[k];
    if (a >= ALT[k + 1] || pc(a) === 0x28) return false;
    atom(a);
    const kind = aKind;
    if (kind !== LIT && kind !== SET && kind !== CLS && kind !== DOT) return false;
    if (!quant(aEnd) || qMin === 0 || !addAtomBytes(kind, U)) return false;
  }
  LB.set(U);
  return true;
}


/**
 * For tests: the class at `at` of `pattern` as the walk reads it, one entry per byte (1, 0), or
 * null when the walk is unsure of it or classEnd() refuses it.
 */
export function classMembers(pattern: string, at: number, caseless: boolean): number[] | null {
  P = pattern;
  PL = pattern.length;
  CL = caseless;
  if (pc(at) !== 0x5b || classEnd(at) < 0 || !classBits(at)) return null;
  return Array.from({ length: 256 }, (_, b) => (CB[b >> 5] >>> (b & 31)) & 1);
}
