// A validate-only scan for the common shape of nmap's patterns: one left-to-right pass over the
// pattern's char codes that builds no tree and allocates (almost) nothing, and that gives the same
// answer analyze() would give from the full parser — group count, compile_branch()'s
// "matches empty" and the octal traps — for the subset of PCRE2 it understands: literal bytes and
// their escapes, `.`, `^ $ \A \Z \z \G \b \B`, classes without POSIX names, `\d \w \s \h \v` and
// their negations, capturing groups, `(?:` `(?>` `(?=` `(?!`, alternation and quantifiers.
//
// It never refuses a pattern itself: anything outside that subset, and anything that might be an
// error (PCRE2's code and offset depend on parse_regex()'s exact order), returns null and the
// caller falls back to the full parser (parse.ts + check.ts). So a verdict can only come from
// here when the pattern is valid, and the full parser stays the one source of error verdicts.
// Every rule below mirrors a branch of Parser (parse.ts); test/regex/compile-differential.test.ts holds
// the two to the same answers on every corpus pattern and a mutated corpus. `nsp check` runs a
// port of this scan in WebAssembly (cli/quick-judge/assembly/index.ts, quickGroups): change both;
// test/cli/quick-judge.test.ts holds the port to this scan's answers.

import type { OctalTrap } from './api';
import { MAX_PATTERN_SIZE } from './compiled-size';
import { braceMayBeRepeat, posixSyntaxEnd } from './pcre2-lookahead';

export interface QuickAnalysis {
  groupCount: number;
  matchesEmpty: boolean;
  octalTraps: OctalTrap[];
  /**
   * Conservative: false only when unsupported.ts's findUnsupported() certainly reports nothing, so
   * analyze() can answer `unsupported: []` without a tree. Within this subset the only construct
   * it can report is a group holding captures under a quantifier whose maximum is not 1
   * (`(?:(a)|b)+`, `(x(y)?){2}` …: PCRE2 keeps captures across iterations, JS clears them), so this
   * is true whenever such a quantifier follows a group (of any kind) that contains a capture.
   */
  mayBeUnsupported: boolean;
}

// Longer patterns, and repeat counts PCRE2 refuses (ERR5 above MAX_REPEAT_COUNT), go to the full
// parser. "Regular expression is too large" (ERR20) is ruled out by an upper bound on the
// compiled length kept during the scan (see `size` below; the exact rule is compiled-size.ts).
const MAX_QUICK_LENGTH = 4096;
const MAX_QUICK_REPEAT = 65535;
const MAX_QUICK_DEPTH = 200;

const NO_TRAPS: OctalTrap[] = [];

// One or more bytes that are a literal wherever they stand outside a class (not one of
// parse_regex()'s special characters).
const PLAIN_RUN = /[^\\^$.*+?{[()|]+/y;

// Per-byte classes for the escape letters outside a class (check_escape's table, ASCII):
// 1 data byte (\a \e \f \n \r \t), 2 character type (\d \D \w \W \s \S \h \H \v \V),
// 3 anchor or word boundary (\A \Z \z \G \b \B), 0 anything else (handled or bail).
const ESC_KIND = new Uint8Array(128);
const ESC_BYTE = new Uint8Array(128);
for (const [ch, b] of [['a', 7], ['e', 27], ['f', 12], ['n', 10], ['r', 13], ['t', 9]] as const) {
  ESC_KIND[ch.charCodeAt(0)] = 1;
  ESC_BYTE[ch.charCodeAt(0)] = b;
}
for (const ch of 'dDwWsShHvV') ESC_KIND[ch.charCodeAt(0)] = 2;
for (const ch of 'AZzGbB') ESC_KIND[ch.charCodeAt(0)] = 3;

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

// Group stack, reused between calls (this module is single-threaded like the rest of regex/).
// kind: 0 capture/non-capture/atomic (counts for "matches a character"), 1 lookaround.
const stackKind = new Int32Array(MAX_QUICK_DEPTH + 1);
const stackAll = new Uint8Array(MAX_QUICK_DEPTH + 1);
const stackCur = new Uint8Array(MAX_QUICK_DEPTH + 1);
// The capture count when the group opened: a group holds a capture when the count grew.
const stackGroups = new Int32Array(MAX_QUICK_DEPTH + 1);
// The enclosing group's size bound when this group opened.
const stackSize = new Float64Array(MAX_QUICK_DEPTH + 1);

/**
 * The analysis of `p` (a binary string) when it lies in the subset above and PCRE2 accepts it;
 * null when the full parser must decide. The subset reads the same in PCRE2 10.42 and 10.47 (where
 * they differ — `{,n}`, spaces in braces, a bare `\x`, error offsets — this scan defers), so it
 * takes no version.
 */
export function quickAnalyze(p: string): QuickAnalysis | null {
  const n = p.length;
  if (n >= MAX_QUICK_LENGTH) return null;
  let pos = 0;
  let groups = 0;
  let depth = 0;
  let traps: OctalTrap[] = NO_TRAPS;
  // Branch state (compile_branch's rule, as analyze.ts's mustMatchChar): `all` = every finished
  // alternative of the current group matches a character; `cur` = the current alternative does so
  // far; `pend` = the last item does (committed once we know no quantifier follows).
  let all = 1;
  let cur = 0;
  let pend = 0;
  // okQuant: the last item can be repeated; afterQuant: a quantifier just ended (`?`/`+` modify it).
  let okQuant = false;
  let afterQuant = false;
  // capGroup: the last item is a group holding a capture; mayBeUnsupported: see QuickAnalysis.
  let capGroup = false;
  let mayBeUnsupported = false;
  // An upper bound on the current group's compiled length in code units, as compile_branch()
  // counts it (compiled-size.ts): at most 2 for each literal, escape, anchor or dot, 3 for `|`,
  // 33 for a class, 8 more for a quantifier on one of those (OP_EXACT + OP_UPTO: the count never
  // matters), 6 for a possessive wrap; a group adds its brackets (8) to its content, and a
  // quantifier on a group copies it: at most k·(L+7)+10 for a group of length L and k =
  // max(1, the maximum, or the minimum+1 when unbounded). Nested counted groups multiply, which
  // is how short patterns such as `((((a){50}){50}){50})` pass PCRE2's limit; the scan defers
  // whenever the bound reaches it. `groupLen` is the bound of a group that just closed.
  let size = 0;
  let groupLen = -1;
  while (pos < n) {
    const start = pos;
    const c = p.charCodeAt(pos++);
    if (afterQuant && (c === 63 || c === 43)) { // ? +: lazy or possessive
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
    let min = -1;
    let max = -1; // -1 = unbounded
    switch (c) {
      case 92: { // backslash
        if (pos >= n) return null;
        const e = p.charCodeAt(pos++);
        if (e < 48 || e > 122) { cur |= pend; pend = 1; okQuant = true; break; }
        const k = ESC_KIND[e];
        if (k === 1 || k === 2) { cur |= pend; pend = 1; okQuant = true; break; }
        if (k === 3) { cur |= pend; pend = 0; break; }
        if (e === 48) { // \0 and up to two more octal digits
          let v = 0;
          let i = 0;
          while (i < 2 && pos < n) {
            const d = p.charCodeAt(pos);
            if (d < 48 || d > 55) break;
            v = v * 8 + d - 48;
            pos++;
            i++;
          }
          if (i > 0) {
            if (traps === NO_TRAPS) traps = [];
            traps.push({ offset: start, length: pos - start, reads: String.fromCharCode(v) });
          }
          cur |= pend; pend = 1; okQuant = true;
          break;
        }
        if (e <= 57) return null; // \1…\9: a back-reference (or a late octal): full parser
        if (e < 65 || (e > 90 && e < 97)) { cur |= pend; pend = 1; okQuant = true; break; }
        if (e === 120) { // \xhh (one or two digits); \x{…} and a bare \x go to the full parser
          if (pos >= n || hexValue(p.charCodeAt(pos)) < 0) return null;
          pos++;
          if (pos < n && hexValue(p.charCodeAt(pos)) >= 0) pos++;
          cur |= pend; pend = 1; okQuant = true;
          break;
        }
        if (e === 99) { // \cX
          if (pos >= n) return null;
          let d = p.charCodeAt(pos);
          if (d >= 97 && d <= 122) d -= 32;
          if (d < 32 || d > 126) return null;
          pos++;
          cur |= pend; pend = 1; okQuant = true;
          break;
        }
        return null;
      }
      case 94: case 36: // ^ $
        cur |= pend; pend = 0;
        break;
      case 46: // .
        cur |= pend; pend = 1; okQuant = true;
        break;
      case 42: min = 0; break; // *
      case 43: min = 1; break; // +
      case 63: min = 0; max = 1; break; // ?
      case 123: { // { : a quantifier only in the strict {n} {n,} {n,m} form; else let the parser judge
        if (pos >= n) { cur |= pend; pend = 1; okQuant = true; break; }
        const d = p.charCodeAt(pos);
        if (d === 44 || d === 32 || d === 9) {
          if (braceMayBeRepeat(p, pos - 1)) return null; // `{,m}` and blanks: a repeat in 10.47 only
          cur |= pend; pend = 1; okQuant = true; break; // `{ color: …`: a literal in both versions
        }
        if (d < 48 || d > 57) { cur |= pend; pend = 1; okQuant = true; break; }
        let q = pos;
        let a = 0;
        while (q < n && p.charCodeAt(q) >= 48 && p.charCodeAt(q) <= 57) { a = a * 10 + p.charCodeAt(q++) - 48; if (a > MAX_QUICK_REPEAT) return null; }
        if (q >= n) return null;
        let b = a;
        if (p.charCodeAt(q) === 44) {
          q++;
          if (q < n && p.charCodeAt(q) === 125) b = -1;
          else {
            if (q >= n || p.charCodeAt(q) < 48 || p.charCodeAt(q) > 57) return null;
            b = 0;
            while (q < n && p.charCodeAt(q) >= 48 && p.charCodeAt(q) <= 57) { b = b * 10 + p.charCodeAt(q++) - 48; if (b > MAX_QUICK_REPEAT) return null; }
            if (b < a) return null;
          }
        }
        if (q >= n || p.charCodeAt(q) !== 125) return null;
        pos = q + 1;
        min = a;
        max = b;
        break;
      }
      case 91: { // [ … ]
        if (pos >= n) return null;
        let d = p.charCodeAt(pos);
        // [: [. [= : PCRE2 refuses POSIX syntax outside a class (the full parser gives the error);
        // without its closing `:]` (`.]`, `=]`) the character is the class's first byte, as in `[.\w-]`.
        if ((d === 58 || d === 46 || d === 61) && posixSyntaxEnd(p, pos) >= 0) return null;
        if (d === 94) { pos++; if (pos >= n) return null; d = p.charCodeAt(pos); }
        if (d === 92) { const e = pos + 1 < n ? p.charCodeAt(pos + 1) : -1; if (e === 69 || e === 81) return null; }
        // rangeState as parse.ts: 0 none, 1 after "x-", 2 after an escaped byte, 3 after a literal byte.
        let rangeState = 0;
        let last = 0;
        let first = true;
        for (;;) {
          if (pos >= n) return null;
          const itemStart = pos;
          const x = p.charCodeAt(pos++);
          if (x === 93 && !first) break;
          first = false;
          let byte = -1;
          let escaped = false;
          if (x === 91) {
            if (pos < n) { const y = p.charCodeAt(pos); if (y === 58 || y === 46 || y === 61) return null; }
            byte = x;
          } else if (x === 45 && rangeState >= 2) {
            rangeState = 1;
            continue;
          } else if (x !== 92) {
            byte = x;
          } else {
            if (pos >= n) return null;
            const e = p.charCodeAt(pos++);
            escaped = true;
            if (e < 48 || e > 122) byte = e;
            else if (ESC_KIND[e] === 1) byte = ESC_BYTE[e];
            else if (ESC_KIND[e] === 2) {
              // A class escape may neither end a range nor start one.
              if (rangeState === 1) return null;
              if (pos < n && p.charCodeAt(pos) === 45 && (pos + 1 >= n || p.charCodeAt(pos + 1) !== 93)) return null;
              rangeState = 0;
              continue;
            } else if (e === 98) byte = 8; // \b is a backspace in a class
            else if (e >= 48 && e <= 55) { // octal, up to three digits
              let v = e - 48;
              let i = 0;
              while (i < 2 && pos < n) {
                const y = p.charCodeAt(pos);
                if (y < 48 || y > 55) break;
                v = v * 8 + y - 48;
                pos++;
                i++;
              }
              if (v > 0xff) return null;
              if (e === 48 && i > 0) {
                if (traps === NO_TRAPS) traps = [];
                traps.push({ offset: itemStart, length: pos - itemStart, reads: String.fromCharCode(v) });
              }
              byte = v;
            } else if (e === 56 || e === 57) byte = e;
            else if (e < 65 || (e > 90 && e < 97)) byte = e;
            else if (e === 120) {
              if (pos >= n) return null;
              let v = hexValue(p.charCodeAt(pos));
              if (v < 0) return null;
              pos++;
              const w = pos < n ? hexValue(p.charCodeAt(pos)) : -1;
              if (w >= 0) { v = v * 16 + w; pos++; }
              byte = v;
            } else if (e === 99) {
              if (pos >= n) return null;
              let y = p.charCodeAt(pos);
              if (y >= 97 && y <= 122) y -= 32;
              if (y < 32 || y > 126) return null;
              pos++;
              byte = y ^ 0x40;
            } else return null;
          }
          if (rangeState === 1) {
            if (last > byte) return null;
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
      case 40: { // (
        if (pos >= n) return null;
        const d = p.charCodeAt(pos);
        if (depth >= MAX_QUICK_DEPTH) return null;
        let kind = 0;
        if (d === 63) {
          if (pos + 1 >= n) return null;
          const e = p.charCodeAt(pos + 1);
          if (e === 58 || e === 62) kind = 0; // (?: (?>
          else if (e === 61 || e === 33) kind = 1; // (?= (?!
          else return null;
          pos += 2;
        } else if (d === 42) return null; // (*VERB), (*pla: …)
        else groups++;
        cur |= pend; pend = 0;
        stackKind[depth] = kind;
        stackGroups[depth] = d === 63 ? groups : groups - 1;
        stackAll[depth] = all;
        stackCur[depth] = cur;
        stackSize[depth] = size;
        size = 0;
        depth++;
        all = 1;
        cur = 0;
        break;
      }
      case 124: // |
        size += 1;
        cur |= pend; pend = 0;
        all &= cur;
        cur = 0;
        break;
      case 41: { // )
        if (depth === 0) return null;
        cur |= pend;
        const matches = all & cur;
        depth--;
        all = stackAll[depth];
        cur = stackCur[depth];
        pend = stackKind[depth] === 0 ? matches : 0;
        okQuant = true;
        capGroup = groups > stackGroups[depth];
        groupLen = size + 8;
        size = stackSize[depth] + groupLen;
        break;
      }
      default: {
        cur |= pend; pend = 1; okQuant = true;
        // The plain bytes after this one change nothing but make `cur` 1: skip them natively
        // (a fresh process runs this loop interpreted for its first thousand patterns).
        PLAIN_RUN.lastIndex = pos;
        if (PLAIN_RUN.test(p)) { cur = 1; size += 2 * (PLAIN_RUN.lastIndex - pos); pos = PLAIN_RUN.lastIndex; }
      }
    }
    if (min >= 0) {
      if (!prevOk) return null;
      if (max !== 1 && prevCapGroup) mayBeUnsupported = true;
      if (min === 0 || max === 0) pend = 0;
      afterQuant = true;
      if (prevGroupLen < 0) size += 8;
      else size += Math.max(1, max >= 0 ? max : min + 1) * (prevGroupLen + 7) + 10 - prevGroupLen;
    }
  }
  if (depth !== 0) return null;
  // The outer brackets; PCRE2 refuses a length of MAX_PATTERN_SIZE or more.
  if (size + 6 >= MAX_PATTERN_SIZE) return null;
  cur |= pend;
  all &= cur;
  return { groupCount: groups, matchesEmpty: all === 0, octalTraps: traps, mayBeUnsupported };
}
