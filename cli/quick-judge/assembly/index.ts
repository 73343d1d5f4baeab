// AssemblyScript, compiled to dist/quick-judge.wasm by esbuild.mjs (not TypeScript: tsc and eslint
// skip this folder). `nsp check`'s first pass over a file's bytes: it finds every match/softmatch
// pattern the way check-worker.ts's scanPatterns() does, and
// - judges each with a port of regex/fast-validate.ts's quickAnalyze() that answers only "valid,
//   N capture groups, nothing to report"; anything else, and anything the port does not follow,
//   is -1 ("judge it in JavaScript");
// - turns each line that certainly draws no diagnostic at all (a clean pattern, and lineClean())
//   into a comment, in its copy of the bytes, so that nsp check does not parse it.
//
// Why WebAssembly: a fresh `nsp check` runs the JavaScript cold (interpreted, then compiled while
// it runs), three times slower than warm; this module is compiled before it runs. It never decides
// a refusal or a finding: JavaScript judges every pattern given -1 with the full regex layer and
// parses and checks every line not turned into a comment. test/cli/quick-judge.test.ts holds
// every verdict here to analyze()'s, and nsp check's diagnostics with this pass to those without,
// on the corpus and on mutated corpora.
//
// Every rule of quickGroups() mirrors a line of quickAnalyze() (same names), and every rule of
// lineClean() one of grammar/tokens.ts's scanField(), build-ast.ts's matchDirective() or
// checkMatch(); keep them in step.

// The file's bytes (valid UTF-8, as the caller checks) at `src`, `len` bytes, followed by 16 zero
// bytes; the outputs are arrays of `cap` entries, one per pattern: UTF-16 offsets of its first
// character and one past its last, its flag bits (1: `i`, 2: `s`) and the verdict (the capture-group
// count, or -1). The lines made comments are changed in place in those bytes.

const MAX_QUICK_LENGTH: i32 = 4096;
const MAX_QUICK_REPEAT: i32 = 65535;
const MAX_QUICK_DEPTH: i32 = 200;
const MAX_PATTERN_SIZE: f64 = 65536;

// The group stack (quickAnalyze's stackKind … stackSize), in static memory below __heap_base.
const STACK_KIND = memory.data(4 * (MAX_QUICK_DEPTH + 1));
const STACK_ALL = memory.data(4 * (MAX_QUICK_DEPTH + 1));
const STACK_CUR = memory.data(4 * (MAX_QUICK_DEPTH + 1));
const STACK_GROUPS = memory.data(4 * (MAX_QUICK_DEPTH + 1));
const STACK_SIZE = memory.data(8 * (MAX_QUICK_DEPTH + 1), 8);

// PLAIN_RUN's complement: 1 for each byte parse_regex() treats as special outside a class.
const SPECIAL = memory.data(256);
for (let i = 0; i < 12; i++) store<u8>(SPECIAL + <usize>load<u8>(memory.data<u8>([92, 94, 36, 46, 42, 43, 63, 123, 91, 40, 41, 124]) + <usize>i), 1);

// The same set 16 bytes at a time, by the two nibbles of each byte: the special bytes are
// $ ( ) * + . (0x2_), ? (0x3_), [ \ ^ (0x5_) and { | (0x7_). HIGH gives each of those high nibbles
// a bit, LOW gives each low nibble the bits of the high nibbles it is special with.
const HIGH = i8x16(0, 0, 1, 2, 0, 4, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0);
const LOW = i8x16(0, 0, 0, 0, 1, 0, 0, 0, 1, 1, 1, 1 | 4 | 8, 4 | 8, 0, 1 | 4, 2);

/** A bit for each of the 16 bytes of `v` that is special. */
@inline function specialBytes(v: v128): i32 {
  const lo = i8x16.swizzle(LOW, v128.and(v, i8x16.splat(0x0f)));
  const hi = i8x16.swizzle(HIGH, i8x16.shr_u(v, 4));
  return i8x16.bitmask(v128.not(i8x16.eq(v128.and(lo, hi), i8x16.splat(0))));
}

/** Where the caller may put its data: the first byte past this module's static memory. */
export function heapBase(): usize {
  return __heap_base;
}

// ESC_KIND: 1 data byte (\a \e \f \n \r \t), 2 character type, 3 anchor or word boundary, 0 else.
@inline function escKind(e: i32): i32 {
  switch (e) {
    case 97: case 101: case 102: case 110: case 114: case 116: return 1;
    case 100: case 68: case 119: case 87: case 115: case 83: case 104: case 72: case 118: case 86: return 2;
    case 65: case 90: case 122: case 71: case 98: case 66: return 3;
  }
  return 0;
}

@inline function hexValue(c: i32): i32 {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

// The byte at q of the pattern, or -1 past its end (charCodeAt's NaN compares false the same way).
@inline function at(p: usize, n: i32, q: i32): i32 {
  return q < n ? <i32>load<u8>(p + <usize>q) : -1;
}

// pcre2-lookahead.ts's posixSyntaxEnd(), as a yes/no.
function isPosixSyntax(p: usize, n: i32, q: i32): bool {
  const term = at(p, n, q++);
  for (; n - q >= 2; q++) {
    const d = at(p, n, q);
    const e = at(p, n, q + 1);
    if (d == 0x5c && (e == 0x5d || e == 0x5c)) q++;
    else if ((d == 0x5b && e == term) || d == 0x5d) return false;
    else if (d == term && e == 0x5d) return true;
  }
  return false;
}

// pcre2-lookahead.ts's braceMayBeRepeat().
function braceMayBeRepeat(p: usize, n: i32, i: i32): bool {
  let q = i + 1;
  let c = at(p, n, q);
  while (c == 0x20 || c == 0x09) c = at(p, n, ++q);
  if (c == 0x2c) {
    c = at(p, n, ++q);
    while (c == 0x20 || c == 0x09) c = at(p, n, ++q);
  }
  return c >= 0x30 && c <= 0x39;
}

/**
 * quickAnalyze() of the `n` bytes at `p`, narrowed to one answer: the group count when it finds
 * the pattern valid, unable to match the empty string, without octal traps and without anything
 * findUnsupported() could report; else -1.
 */
export function quickGroups(p: usize, n: i32): i32 {
  if (n >= MAX_QUICK_LENGTH) return -1;
  let pos: i32 = 0;
  let groups: i32 = 0;
  let depth: i32 = 0;
  let all: i32 = 1;
  let cur: i32 = 0;
  let pend: i32 = 0;
  let okQuant = false;
  let afterQuant = false;
  let capGroup = false;
  let size: f64 = 0;
  let groupLen: f64 = -1;
  while (pos < n) {
    const start = pos;
    const c = at(p, n, pos++);
    if (afterQuant && (c == 63 || c == 43)) {
      afterQuant = false;
      size += 6;
      continue;
    }
    size += 2;
    const prevOk = okQuant;
    const prevCapGroup = capGroup;
    const prevGroupLen = groupLen;
    okQuant = false;
    capGroup = false;
    groupLen = -1;
    afterQuant = false;
    let min: i32 = -1;
    let max: i32 = -1;
    switch (c) {
      case 92: {
        if (pos >= n) return -1;
        const e = at(p, n, pos++);
        if (e < 48 || e > 122) { cur |= pend; pend = 1; okQuant = true; break; }
        const k = escKind(e);
        if (k == 1 || k == 2) { cur |= pend; pend = 1; okQuant = true; break; }
        if (k == 3) { cur |= pend; pend = 0; break; }
        if (e == 48) {
          // \0 followed by an octal digit is an octal trap (a finding): leave it to JavaScript.
          const d = at(p, n, pos);
          if (d >= 48 && d <= 55) return -1;
          cur |= pend; pend = 1; okQuant = true;
          break;
        }
        if (e <= 57) return -1;
        if (e < 65 || (e > 90 && e < 97)) { cur |= pend; pend = 1; okQuant = true; break; }
        if (e == 120) {
          if (pos >= n || hexValue(at(p, n, pos)) < 0) return -1;
          pos++;
          if (pos < n && hexValue(at(p, n, pos)) >= 0) pos++;
          cur |= pend; pend = 1; okQuant = true;
          break;
        }
        if (e == 99) {
          if (pos >= n) return -1;
          let d = at(p, n, pos);
          if (d >= 97 && d <= 122) d -= 32;
          if (d < 32 || d > 126) return -1;
          pos++;
          cur |= pend; pend = 1; okQuant = true;
          break;
        }
        return -1;
      }
      case 94: case 36:
        cur |= pend; pend = 0;
        break;
      case 46:
        cur |= pend; pend = 1; okQuant = true;
        break;
      case 42: min = 0; break;
      case 43: min = 1; break;
      case 63: min = 0; max = 1; break;
      case 123: {
        if (pos >= n) { cur |= pend; pend = 1; okQuant = true; break; }
        const d = at(p, n, pos);
        if (d == 44 || d == 32 || d == 9) {
          if (braceMayBeRepeat(p, n, pos - 1)) return -1;
          cur |= pend; pend = 1; okQuant = true; break;
        }
        if (d < 48 || d > 57) { cur |= pend; pend = 1; okQuant = true; break; }
        let q = pos;
        let a: i32 = 0;
        while (q < n && at(p, n, q) >= 48 && at(p, n, q) <= 57) { a = a * 10 + at(p, n, q++) - 48; if (a > MAX_QUICK_REPEAT) return -1; }
        if (q >= n) return -1;
        let b = a;
        if (at(p, n, q) == 44) {
          q++;
          if (q < n && at(p, n, q) == 125) b = -1;
          else {
            if (q >= n || at(p, n, q) < 48 || at(p, n, q) > 57) return -1;
            b = 0;
            while (q < n && at(p, n, q) >= 48 && at(p, n, q) <= 57) { b = b * 10 + at(p, n, q++) - 48; if (b > MAX_QUICK_REPEAT) return -1; }
            if (b < a) return -1;
          }
        }
        if (q >= n || at(p, n, q) != 125) return -1;
        pos = q + 1;
        min = a;
        max = b;
        break;
      }
      case 91: {
        if (pos >= n) return -1;
        let d = at(p, n, pos);
        if ((d == 58 || d == 46 || d == 61) && isPosixSyntax(p, n, pos)) return -1;
        if (d == 94) { pos++; if (pos >= n) return -1; d = at(p, n, pos); }
        if (d == 92) { const e = pos + 1 < n ? at(p, n, pos + 1) : -1; if (e == 69 || e == 81) return -1; }
        let rangeState: i32 = 0;
        let last: i32 = 0;
        let first = true;
        for (;;) {
          if (pos >= n) return -1;
          const x = at(p, n, pos++);
          if (x == 93 && !first) break;
          first = false;
          let byte: i32 = -1;
          let escaped = false;
          if (x == 91) {
            if (pos < n) { const y = at(p, n, pos); if (y == 58 || y == 46 || y == 61) return -1; }
            byte = x;
          } else if (x == 45 && rangeState >= 2) {
            rangeState = 1;
            continue;
          } else if (x != 92) {
            byte = x;
          } else {
            if (pos >= n) return -1;
            const e = at(p, n, pos++);
            escaped = true;
            const k = e < 48 || e > 122 ? 0 : escKind(e);
            if (e < 48 || e > 122) byte = e;
            else if (k == 1) byte = e == 97 ? 7 : e == 101 ? 27 : e == 102 ? 12 : e == 110 ? 10 : e == 114 ? 13 : 9;
            else if (k == 2) {
              if (rangeState == 1) return -1;
              if (pos < n && at(p, n, pos) == 45 && (pos + 1 >= n || at(p, n, pos + 1) != 93)) return -1;
              rangeState = 0;
              continue;
            } else if (e == 98) byte = 8;
            else if (e >= 48 && e <= 55) {
              let v = e - 48;
              let i = 0;
              while (i < 2 && pos < n) {
                const y = at(p, n, pos);
                if (y < 48 || y > 55) break;
                v = v * 8 + y - 48;
                pos++;
                i++;
              }
              if (v > 0xff) return -1;
              if (e == 48 && i > 0) return -1; // an octal trap
              byte = v;
            } else if (e == 56 || e == 57) byte = e;
            else if (e < 65 || (e > 90 && e < 97)) byte = e;
            else if (e == 120) {
              if (pos >= n) return -1;
              let v = hexValue(at(p, n, pos));
              if (v < 0) return -1;
              pos++;
              const w = pos < n ? hexValue(at(p, n, pos)) : -1;
              if (w >= 0) { v = v * 16 + w; pos++; }
              byte = v;
            } else if (e == 99) {
              if (pos >= n) return -1;
              let y = at(p, n, pos);
              if (y >= 97 && y <= 122) y -= 32;
              if (y < 32 || y > 126) return -1;
              pos++;
              byte = y ^ 0x40;
            } else return -1;
          }
          if (rangeState == 1) {
            if (last > byte) return -1;
            rangeState = 0;
          } else {
            last = byte;
            rangeState = escaped ? 2 : 3;
          }
        }
        cur |= pend; pend = 1; okQuant = true;
        size += 31;
        break;
      }
      case 40: {
        if (pos >= n) return -1;
        const d = at(p, n, pos);
        if (depth >= MAX_QUICK_DEPTH) return -1;
        let kind: i32 = 0;
        if (d == 63) {
          if (pos + 1 >= n) return -1;
          const e = at(p, n, pos + 1);
          if (e == 58 || e == 62) kind = 0;
          else if (e == 61 || e == 33) kind = 1;
          else return -1;
          pos += 2;
        } else if (d == 42) return -1;
        else groups++;
        cur |= pend; pend = 0;
        const slot = <usize>depth << 2;
        store<i32>(STACK_KIND + slot, kind);
        store<i32>(STACK_GROUPS + slot, d == 63 ? groups : groups - 1);
        store<i32>(STACK_ALL + slot, all);
        store<i32>(STACK_CUR + slot, cur);
        store<f64>(STACK_SIZE + (<usize>depth << 3), size);
        size = 0;
        depth++;
        all = 1;
        cur = 0;
        break;
      }
      case 124:
        size += 1;
        cur |= pend; pend = 0;
        all &= cur;
        cur = 0;
        break;
      case 41: {
        if (depth == 0) return -1;
        cur |= pend;
        const matches = all & cur;
        depth--;
        const slot = <usize>depth << 2;
        all = load<i32>(STACK_ALL + slot);
        cur = load<i32>(STACK_CUR + slot);
        pend = load<i32>(STACK_KIND + slot) == 0 ? matches : 0;
        okQuant = true;
        capGroup = groups > load<i32>(STACK_GROUPS + slot);
        groupLen = size + 8;
        size = load<f64>(STACK_SIZE + (<usize>depth << 3)) + groupLen;
        break;
      }
      default: {
        cur |= pend; pend = 1; okQuant = true;
        // PLAIN_RUN: the plain bytes after this one only make `cur` 1.
        let q = pos;
        while (q + 16 <= n) {
          const m = specialBytes(v128.load(p + <usize>q));
          if (m != 0) {
            q += ctz(m);
            break;
          }
          q += 16;
        }
        while (q < n && load<u8>(SPECIAL + <usize>load<u8>(p + <usize>q)) == 0) q++;
        if (q > pos) { cur = 1; size += <f64>(2 * (q - pos)); pos = q; }
      }
    }
    if (min >= 0) {
      if (!prevOk) return -1;
      // mayBeUnsupported: a finding findUnsupported() may report.
      if (max != 1 && prevCapGroup) return -1;
      if (min == 0 || max == 0) pend = 0;
      afterQuant = true;
      if (prevGroupLen < 0) size += 8;
      else size += Math.max(1, max >= 0 ? <f64>max : <f64>(min + 1)) * (prevGroupLen + 7) + 10 - prevGroupLen;
    }
  }
  if (depth != 0) return -1;
  if (size + 6 >= MAX_PATTERN_SIZE) return -1;
  cur |= pend;
  all &= cur;
  return all == 0 ? -1 : groups;
}

// UTF-16 code units of the valid UTF-8 bytes [from, to): one per byte that starts a character, and
// a second for a four-byte one (a surrogate pair).
function utf16Units(src: usize, from: i32, to: i32): i32 {
  let units = 0;
  for (let i = from; i < to; i++) {
    const b = <i32>load<u8>(src + <usize>i);
    units += i32((b & 0xc0) != 0x80) + i32(b >= 0xf0);
  }
  return units;
}

@inline function isBlank(b: i32): bool {
  return b == 0x20 || b == 0x09;
}

// The scans below read 16 bytes at a time: the caller leaves 16 zero bytes after the file.

/** The first `needle` byte in [from, to), or `to`. */
function findByte(src: usize, from: i32, to: i32, needle: v128): i32 {
  for (let q = from; q < to; q += 16) {
    const m = i8x16.bitmask(i8x16.eq(v128.load(src + <usize>q), needle));
    if (m != 0) return min(q + ctz(m), to);
  }
  return to;
}

// Set by lineEnd(): whether the line has a byte above 0x7f (then its UTF-16 offsets are counted),
// and whether it has a NUL byte (where nmap's C string, and the grammar's line, end).
let lineHigh = false;
let lineNul = false;

/** The offset of the newline ending the line at `start`, or `len`. */
function lineEnd(src: usize, start: i32, len: i32): i32 {
  const nl = i8x16.splat(10);
  const zero = i8x16.splat(0);
  let high = 0;
  let nul = 0;
  for (let q = start; q < len; q += 16) {
    const v = v128.load(src + <usize>q);
    const m = i8x16.bitmask(i8x16.eq(v, nl));
    const h = i8x16.bitmask(v);
    // Bytes past the file are zeros, so NULs count only up to `len`.
    const z = i8x16.bitmask(i8x16.eq(v, zero)) & (len - q >= 16 ? 0xffff : (1 << (len - q)) - 1);
    if (m != 0) {
      const below = (1 << ctz(m)) - 1;
      lineHigh = (high | (h & below)) != 0;
      lineNul = (nul | (z & below)) != 0;
      return min(q + ctz(m), len);
    }
    high |= h;
    nul |= z;
  }
  lineHigh = high != 0;
  lineNul = nul != 0;
  return len;
}

// grammar/char-class.ts's isSpace() and isAlpha().
@inline function isSpace(b: i32): bool {
  return b == 0x20 || (b >= 9 && b <= 13);
}
@inline function isAlpha(b: i32): bool {
  return (b >= 65 && b <= 90) || (b >= 97 && b <= 122);
}

/** NMAP_LINE_LIMIT (grammar/line-index.ts): a line this long or longer is left to JavaScript. */
const LINE_LIMIT: i32 = 8191;

/**
 * Whether the match line [start, end) (no NUL in it, after the first Probe line) whose pattern
 * field starts at `m` certainly draws no diagnostic beyond its pattern's, given the pattern's group
 * count (-1: unknown):
 * - from the grammar (grammar/tokens.ts, build-ast.ts): a service name (to the first space), then
 *   fields that scanField()'s usual path reads (one letter or `cpe:/`, an ASCII delimiter closed on
 *   the line, up to 3 flag letters, whitespace), the pattern's flags only `i` and `s`, a line
 *   shorter than nmap's buffer;
 * - from engine/check/semantics.ts's checkMatch(): version fields p v i h o d (each once, no flags)
 *   or cpe (flag `a` at most, a value shaped a|h|o:vendor[:…]), every `$` followed by a group
 *   number from 1 to the pattern's count.
 * Anything else, however harmless, is left to JavaScript.
 */
function lineClean(src: usize, start: i32, kwEnd: i32, m: i32, end: i32, groups: i32, len: i32): bool {
  if (end - start >= LINE_LIMIT - 1) return false;
  // The service name runs to the first space (an empty one draws a warning), then whitespace.
  let o = kwEnd;
  if (o >= end || load<u8>(src + <usize>o) == 0x20) return false;
  while (o < end && load<u8>(src + <usize>o) != 0x20) o++;
  while (o < end && isSpace(<i32>load<u8>(src + <usize>o))) o++;
  if (o != m) return false;
  let seen = 0;
  let first = true;
  while (o < end) {
    const c0 = <i32>load<u8>(src + <usize>o);
    let d: i32;
    let cpe = false;
    if (c0 == 0x63 && end - o >= 5 && load<u32>(src + <usize>o) == 0x3a657063 && load<u8>(src + <usize>o + 4) == 0x2f) {
      d = o + 4; // "cpe:/"
      cpe = true;
    } else if (isAlpha(c0) && (o + 1 >= len || !isAlpha(<i32>load<u8>(src + <usize>o + 1)))) d = o + 1;
    else return false;
    if (d >= end) return false;
    const dc = <i32>load<u8>(src + <usize>d);
    if (isSpace(dc) || dc >= 0x80) return false;
    const close = findByte(src, d + 1, end, i8x16.splat(<u8>dc));
    if (close >= end) return false;
    let f = close + 1;
    while (f < close + 4 && f < end && isAlpha(<i32>load<u8>(src + <usize>f))) f++;
    if (f >= len || !isSpace(<i32>load<u8>(src + <usize>f))) return false;
    const flagCount = f - close - 1;
    if (first) {
      first = false;
      // The pattern: build-ast.ts refuses any flag but i and s.
      for (let k = close + 1; k < f; k++) {
        const flag = load<u8>(src + <usize>k);
        if (flag != 0x69 && flag != 0x73) return false;
      }
    } else if (cpe) {
      if (flagCount > 1 || (flagCount == 1 && load<u8>(src + <usize>close + 1) != 0x61)) return false;
      if (!cpeShaped(src, d + 1, close, groups)) return false;
    } else {
      const bit = c0 == 0x70 ? 1 : c0 == 0x76 ? 2 : c0 == 0x69 ? 4 : c0 == 0x68 ? 8 : c0 == 0x6f ? 16 : c0 == 0x64 ? 32 : 0;
      if (bit == 0 || (seen & bit) != 0 || flagCount > 0) return false;
      seen |= bit;
      for (let j = d + 1; j < close; j++) {
        if (load<u8>(src + <usize>j) != 0x24) continue;
        const g = j + 1 < close ? <i32>load<u8>(src + <usize>j + 1) - 48 : -1;
        if (g < 1 || g > 9 || g > groups) return false;
        j++;
      }
    }
    o = f;
    while (o < end && isSpace(<i32>load<u8>(src + <usize>o))) o++;
  }
  return true;
}

/**
 * checkCpe()'s shape /^[aho]:[^:\s]+(:\S*)?$/ for the ASCII bytes [from, to), where checkCpe
 * reads each `$N` as one letter; each `$` must be such a group number from 1 to `groups`.
 */
function cpeShaped(src: usize, from: i32, to: i32, groups: i32): bool {
  if (to - from < 3) return false;
  const part = <i32>load<u8>(src + <usize>from);
  if ((part != 0x61 && part != 0x68 && part != 0x6f) || load<u8>(src + <usize>from + 1) != 0x3a) return false;
  let vendor = 0;
  let colon = false;
  for (let j = from + 2; j < to; j++) {
    const b = <i32>load<u8>(src + <usize>j);
    if (isSpace(b) || b >= 0x80) return false;
    if (b == 0x24) {
      const g = j + 1 < to ? <i32>load<u8>(src + <usize>j + 1) - 48 : -1;
      if (g < 1 || g > 9 || g > groups) return false;
      j++;
    } else if (b == 0x3a && !colon) {
      if (vendor == 0) return false;
      colon = true;
      continue;
    }
    if (!colon) vendor++;
  }
  return vendor > 0;
}

/**
 * Every match/softmatch line of the `len` bytes at `src`, read as scanPatterns() reads them, with
 * its verdict; returns the number of entries written (at most `cap`; a pattern whose delimiter is
 * not ASCII is skipped, as JavaScript judges it anyway). A line whose pattern is clean (a verdict
 * >= 0) and that lineClean() finds clean draws no diagnostic at all: its first byte is overwritten
 * with `#`, making it a comment that nsp check need not parse.
 */
export function judge(src: usize, len: i32, starts: usize, ends: usize, flags: usize, verdicts: usize, cap: i32): i32 {
  let count = 0;
  let start = 0;
  // The UTF-16 offset of byte `start`.
  let units = 0;
  // A line starting "Probe " came before (build-ast.ts: a match line before the first Probe is an error).
  let afterProbe = false;
  while (start < len && count < cap) {
    const end = lineEnd(src, start, len);
    const high = lineHigh;
    const nul = lineNul;
    const c = <i32>load<u8>(src + <usize>start);
    let i = -1;
    // "match ", "softmatch " and "Probe ", compared as little-endian loads of their bytes.
    if (c == 0x6d && end - start >= 6 && load<u32>(src + <usize>start) == 0x6374616d && load<u16>(src + <usize>start + 4) == 0x2068) {
      i = start + 6;
    } else if (c == 0x73 && end - start >= 10 && load<u64>(src + <usize>start) == 0x6374616d74666f73 && load<u16>(src + <usize>start + 8) == 0x2068) {
      i = start + 10;
    } else if (c == 0x50 && end - start >= 6 && load<u32>(src + <usize>start) == 0x626f7250 && load<u16>(src + <usize>start + 4) == 0x2065) {
      afterProbe = true;
    }
    const kwEnd = i;
    if (i > 0) {
      while (i < end && isBlank(<i32>load<u8>(src + <usize>i))) i++;
      while (i < end && !isBlank(<i32>load<u8>(src + <usize>i))) i++;
      while (i < end && isBlank(<i32>load<u8>(src + <usize>i))) i++;
      if (i < end && load<u8>(src + <usize>i) == 0x6d && i + 1 < end) {
        const delim = load<u8>(src + <usize>i + 1);
        const close = findByte(src, i + 2, end, i8x16.splat(delim));
        if (delim < 0x80 && close < end) {
          let f = 0;
          for (let k = close + 1; k < end; k++) {
            const ch = load<u8>(src + <usize>k);
            if (ch == 0x69) f |= 1;
            else if (ch == 0x73) f |= 2;
            else break;
          }
          const first = units + (high ? utf16Units(src, start, i + 2) : i + 2 - start);
          const slot = <usize>count << 2;
          store<i32>(starts + slot, first);
          store<i32>(ends + slot, first + (high ? utf16Units(src, i + 2, close) : close - i - 2));
          store<u8>(flags + <usize>count, <u8>f);
          const groups = quickGroups(src + <usize>(i + 2), close - i - 2);
          store<i32>(verdicts + slot, groups);
          const blank = afterProbe && !nul && groups >= 0 && lineClean(src, start, kwEnd, i, end, groups, len);
          if (blank) store<u8>(src + <usize>start, 0x23);
          count++;
        }
      }
    }
    units += (high ? utf16Units(src, start, end) : end - start) + 1;
    start = end + 1;
  }
  return count;
}
