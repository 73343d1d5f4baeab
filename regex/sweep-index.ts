// A cheap, conservative prefilter read straight from a pattern's text (no parse, no compile), used by
// engine/probe-db.ts (the sweep itself now uses regex/sweep-filter.ts). Originally for
// the "unknown service" sweep. 99% of nmap's patterns start with `^` and 96% with a literal byte,
// so the byte a subject starts with rules most of them out; literal runs the pattern cannot match
// without ("Server: Apache") rule out most of the rest.
//
// Conservative means: whenever the scanner meets something whose meaning it does not fully know
// (inline options, \Q, verbs, back-references, `{` forms that PCRE2 versions read differently, a
// top-level `|`), it gives up and the pattern is always a candidate. A prefilter may only ever say
// "cannot match" when PCRE2 would agree; test/regex/sweep.test.ts checks the indexed sweep against
// the full one.

export interface Prefilter {
  /** Anchored patterns: the bytes the subject's first byte must be one of; null = any. */
  first: Uint8Array | null;
  /** Byte strings every match contains (ASCII-lowercased when `caseless`). */
  literals: string[];
  caseless: boolean;
}

const NONE = (caseless: boolean): Prefilter => ({ first: null, literals: [], caseless });

const isAlnum = (c: number): boolean => (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
const isHex = (c: string): boolean => /^[0-9a-fA-F]$/.test(c);
const lower = (b: number): number => (b >= 0x41 && b <= 0x5a ? b + 0x20 : b);

/** Index just past the class starting at `i` (`[`), or -1. */
function skipClass(p: string, i: number): number {
  let j = i + 1;
  if (p[j] === '^') j++;
  if (p[j] === ']') j++; // a leading ] is literal
  while (j < p.length) {
    const c = p[j];
    if (c === '\\') { j += 2; continue; }
    if (c === '[' && p[j + 1] === ':') {
      const k = p.indexOf(':]', j + 2);
      if (k > 0 && /^\^?[a-z]+$/.test(p.slice(j + 2, k))) { j = k + 2; continue; }
    }
    if (c === ']') return j + 1;
    j++;
  }
  return -1;
}

/** Index just past the group starting at `i` (`(`), or -1. */
function skipGroup(p: string, i: number): number {
  let depth = 0;
  let j = i;
  while (j < p.length) {
    const c = p[j];
    if (c === '\\') { j += 2; continue; }
    if (c === '[') { j = skipClass(p, j); if (j < 0) return -1; continue; }
    if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return j + 1;
    j++;
  }
  return -1;
}

interface Item { byte: number; min: number; max: number } // byte -1: not a literal; -2: zero-width

/** The prefilter for one pattern (a binary string) compiled with or without PCRE2_CASELESS. */
export function prefilterOf(p: string, caseless: boolean): Prefilter {
  if (p.includes('\\Q') || p.includes('(*') || p.includes('(?#')) return NONE(caseless);
  for (let k = p.indexOf('(?'); k >= 0; k = p.indexOf('(?', k + 2)) {
    const c = p[k + 2];
    const ok = c === ':' || c === '=' || c === '!' || c === '>' || c === '<' || (c === 'P' && p[k + 3] === '<');
    if (!ok) return NONE(caseless); // even after a backslash: being wrong here costs only speed
  }
  let i = 0;
  let anchored = false;
  if (p[0] === '^') { anchored = true; i = 1; }
  else if (p.startsWith('\\A') || p.startsWith('\\G')) { anchored = true; i = 2; }
  const items: Item[] = [];
  while (i < p.length) {
    const c = p[i];
    let byte = -1;
    if (c === '|' || c === ')' || c === '*' || c === '+' || c === '?' || c === '{') return NONE(caseless);
    if (c === '(') { i = skipGroup(p, i); if (i < 0) return NONE(caseless); }
    else if (c === '[') { i = skipClass(p, i); if (i < 0) return NONE(caseless); }
    else if (c === '.') i++;
    else if (c === '^' || c === '$') { byte = -2; i++; }
    else if (c === '\\') {
      const d = p[i + 1];
      if (d === undefined) return NONE(caseless);
      const dc = d.charCodeAt(0);
      if (!isAlnum(dc)) { byte = dc; i += 2; }
      else if ('dwsDWSNhvHVR'.includes(d)) i += 2;
      else if ('bBAzZG'.includes(d)) { byte = -2; i += 2; }
      else if (d === 'r') { byte = 0x0d; i += 2; }
      else if (d === 'n') { byte = 0x0a; i += 2; }
      else if (d === 't') { byte = 0x09; i += 2; }
      else if (d === 'f') { byte = 0x0c; i += 2; }
      else if (d === 'e') { byte = 0x1b; i += 2; }
      else if (d === 'a') { byte = 0x07; i += 2; }
      else if (d === 'x' && isHex(p[i + 2] ?? '') && isHex(p[i + 3] ?? '')) { byte = parseInt(p.slice(i + 2, i + 4), 16); i += 4; }
      else if (d === '0' && !/[0-7]/.test(p[i + 2] ?? '')) { byte = 0; i += 2; }
      else return NONE(caseless);
    } else { byte = c.charCodeAt(0); i++; }
    // The quantifier, if any. `{` forms other than {n}, {n,} and {n,m} differ between versions.
    let min = 1;
    let max = 1;
    const q = p[i];
    if (q === '*' || q === '+' || q === '?') {
      min = q === '+' ? 1 : 0;
      max = q === '?' ? 1 : Infinity;
      i++;
    } else if (q === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(p.slice(i, i + 16));
      if (!m) return NONE(caseless);
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
      i += m[0].length;
    }
    if (q === '*' || q === '+' || q === '?' || q === '{') {
      if (p[i] === '?' || p[i] === '+') i++;
      if (p[i] === '*' || p[i] === '+' || p[i] === '?' || p[i] === '{') return NONE(caseless);
    }
    if (byte === -2 && (min !== 1 || max !== 1)) return NONE(caseless);
    items.push({ byte, min, max });
  }
  const fold = (b: number): number => (caseless ? lower(b) : b);
  let first: Uint8Array | null = null;
  if (anchored) {
    for (const it of items) {
      if (it.byte === -2) continue;
      if (it.byte >= 0 && it.min >= 1) {
        first = new Uint8Array(256);
        first[it.byte] = 1;
        if (caseless && lower(it.byte) >= 0x61 && lower(it.byte) <= 0x7a) first[lower(it.byte)] = first[lower(it.byte) - 0x20] = 1;
      }
      break;
    }
  }
  const runs: string[] = [];
  let run = '';
  for (const it of items) {
    if (it.byte >= 0 && it.min >= 1) {
      run += String.fromCharCode(fold(it.byte)).repeat(it.min);
      if (it.max !== it.min) { runs.push(run); run = String.fromCharCode(fold(it.byte)); }
    } else { runs.push(run); run = ''; }
  }
  runs.push(run);
  const literals = runs.filter((r) => r.length >= 2).sort((a, b) => b.length - a.length).slice(0, 2);
  return { first, literals, caseless };
}

/** ASCII-only lowercase of a binary string (PCRE2's caseless pairs only ASCII letters). */
export function asciiLower(s: string): string {
  return s.replace(/[A-Z]+/g, (m) => m.toLowerCase());
}
