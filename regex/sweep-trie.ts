// The sweep's candidate selection: the patterns' anchored literal prefixes, built once per pattern
// set (load work, like the start data pcre2_compile() computes), walked once per subject.
// Each pattern's prefix is `^` then its literal bytes up to the first atom that is not a plain
// literal or is quantified (regex/sweep-filter.ts anchoredPrefix()). The distinct prefixes are kept
// sorted (a "sorted prefix table", equivalent to a trie: the prefixes sharing the subject's first k
// bytes form one contiguous range, narrowed by two binary searches per subject byte); the patterns
// whose prefix is exactly the first k bytes of the subject are the range's first entry when its
// length is k. Every other prefixed pattern is ruled out without being looked at. Caseless
// patterns have their own table, their prefixes ASCII-lowercased and walked with the lowercased
// subject (PCRE2's caseless pairs in byte mode are only ASCII letters). Patterns without a usable
// prefix (no leading `^`, a top-level `|`, an unclear scan) form one list that is a candidate for
// every subject. The table is built with native string operations (Map, sort), so building it
// costs little even before our code is optimised.

import { anchoredPrefix, asciiLower, floatingRun, LEAD_BITS, LEAD_FIRST_BITS, leadFirst, leadProbe, prefixEnd, prefixPlainEnd, prefixPlainText, PREFIX_MAX, requiredRun, requiredRuns, RUN_CAP, runBytes, runHash, runLength } from './sweep-filter';

export interface PrefixedEntry {
  pattern: string;
  caseless: boolean;
  /** DOTALL (`s`): read by the lead byte sets, where `.` then also takes a newline. */
  dotall?: boolean;
}

/** requiredRun()'s bounds here: the characters read after the prefix, and a run long enough to stop at. */
const RUN_SCAN = 96;
const RUN_GOOD = 10;
/** The farthest distance from the prefix's end a lead byte test may look (it fits 8 bits). */
const LEAD_MAX = 32;
/** Inline options that switch extended mode on. */
const EXTENDED = /\(\?[\^a-zA-Z-]*x/;

/** Prefixes shared by at least this many patterns get the run that tells them apart (see the constructor); fewer, the longest. */
const RUN_PICK_MIN = 8;

/**
 * The id of the set `bits` among the distinct sets kept so far (`sets`, 8 words each; `ids`
 * by a hash of the words), adding it when new.
 */
function leadSetId(bits: Int32Array, ids: Map<number, number>, sets: number[]): number {
  let h = 0;
  for (let w = 0; w < 8; w++) h = Math.imul(h ^ bits[w], 0x9e3779b1) + w;
  const known = ids.get(h);
  const same = (id: number): boolean => {
    for (let w = 0; w < 8; w++) if (sets[8 * id + w] !== bits[w]) return false;
    return true;
  };
  if (known !== undefined && same(known)) return known;
  // A new set (or, rarely, another set with the same hash: look for it among all).
  const count = sets.length / 8;
  if (known !== undefined) for (let id = 0; id < count; id++) if (same(id)) return id;
  for (let w = 0; w < 8; w++) sets.push(bits[w]);
  if (known === undefined) ids.set(h, count);
  return count;
}

/** Runs shorter than this are common in responses (`\r\n`, `: `) and are picked only when alone. */
const RUN_DISTINCT = 4;

/** A copy of `a` at least `size` long. */
function grow(a: Int32Array, size: number): Int32Array {
  const b = new Int32Array(Math.max(size, 2 * a.length));
  b.set(a);
  return b;
}

/** One-byte strings (a picked run is built from its bytes). */
const CHAR: string[] = [];
for (let b = 0; b < 256; b++) CHAR.push(String.fromCharCode(b));

/** One sorted table of distinct prefixes and, per prefix, its entries in file order. */
class PrefixTable {
  readonly keys: string[];
  /** Entries with prefix keys[r]: list[start[r] ..< start[r + 1]]. */
  readonly start: Int32Array;
  readonly list: Int32Array;

  /** `base`: the slot of list[0] (collect() writes slots: base + index into list). */
  constructor(keyOf: string[], idOf: Int32Array, members: Int32Array, count: number, readonly base: number) {
    const sorted = keyOf.slice().sort();
    const rankOfId = new Int32Array(keyOf.length);
    const ids = new Map<string, number>();
    for (let id = 0; id < keyOf.length; id++) ids.set(keyOf[id], id);
    for (let r = 0; r < sorted.length; r++) rankOfId[ids.get(sorted[r]) as number] = r;
    const start = new Int32Array(sorted.length + 1);
    for (let k = 0; k < count; k++) start[rankOfId[idOf[members[k]]] + 1]++;
    for (let r = 0; r < sorted.length; r++) start[r + 1] += start[r];
    const fill = start.slice(0, sorted.length);
    const list = new Int32Array(count);
    for (let k = 0; k < count; k++) { const i = members[k]; list[fill[rankOfId[idOf[i]]]++] = i; }
    this.keys = sorted;
    this.start = start;
    this.list = list;
  }

  /** First index in [lo, hi) whose key's code unit at k is >= c (all keys there are longer than k). */
  private bound(lo: number, hi: number, k: number, c: number): number {
    const keys = this.keys;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (keys[mid].charCodeAt(k) < c) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Appends to out (from at) the slots of the entries whose prefix the subject starts with; returns the end. */
  collect(subject: string, fold: boolean, out: Int32Array, at: number): number {
    const keys = this.keys;
    const start = this.start;
    const base = this.base;
    const n = subject.length;
    let lo = 0;
    let hi = keys.length;
    for (let k = 0; lo < hi; k++) {
      if (keys[lo].length === k) {
        for (let j = start[lo], e = start[lo + 1]; j < e; j++) out[at++] = base + j;
        lo++;
      }
      if (k >= n || lo >= hi) break;
      let c = subject.charCodeAt(k);
      if (fold && c >= 0x41 && c <= 0x5a) c += 0x20;
      lo = this.bound(lo, hi, k, c);
      hi = this.bound(lo, hi, k, c + 1);
    }
    return at;
  }
}

export class PrefixTrie {
  /** Per entry: the index in the pattern text where its prefix ends (-1: no prefix). */
  readonly textEnd: Int32Array;
  /** Per entry: the prefix length in bytes (the subject offset the rest of the pattern starts at). */
  readonly depth: Int32Array;
  /**
   * Per entry: a literal run every match holds after its prefix ('' when none is known; ASCII-
   * lowercased under caseless), the analogue of PCRE2's required code unit, found once at load.
   */
  readonly run: string[];
  /** Entries without a prefix, in file order. */
  readonly rest: Int32Array;
  /**
   * The rest's runs and four byte pairs of each (ASCII-lowercased, as `hi << 8 | lo`: its first, two
   * spread inside it and its last; pair 0 when the run is ''), in the rest's order (restGrams[4k ..<
   * 4k+4] for rest[k]): read together, not one entry's cache line each.
   */
  readonly restRun: string[];
  readonly restGrams: Int32Array;
  /**
   * The prefixed entries by slot: the exact table's list, then the caseless one's, so that the
   * entries one prefix reaches have neighbouring slots. collect() gives slots; the per-slot copies
   * of the runs' pairs (as restGrams), depth and textEnd are read in that order, so a sweep reading the grams of a few
   * hundred reached entries walks one small stretch of memory instead of one cache line per entry.
   */
  readonly slotEntry: Int32Array;
  readonly slotGrams: Int32Array;
  readonly slotDepth: Int32Array;
  readonly slotTextEnd: Int32Array;
  readonly slotRun: string[];
  /**
   * Per slot, a test of one subject byte that every match passes (sweep-filter.ts leadProbe()):
   * -1 when there is none, else `set << 8 | distance`: the byte at slotDepth + distance must be in
   * leadSets[8 * set ..< 8 * set + 8] (one bit per byte). Rules out most patterns whose prefix is
   * empty or ends at a class (`^.\0\0`, `^[A-Z][a-z]`, `^\d{3} `) without reading their text.
   */
  readonly slotLead: Int32Array;
  /** Per slot, a second such test, on the first of those items when slotLead chose another (-1: none). */
  readonly slotLead2: Int32Array;
  /** The distinct byte sets of slotLead and slotLead2, 8 words each. */
  readonly leadSets: Int32Array;
  /** The first caseless slot (the slots before it are the exact table's). */
  readonly foldBase: number;
  private readonly exact: PrefixTable;
  private readonly caseless: PrefixTable;
  /** Distinct prefixes (both tables). */
  readonly nodes: number;

  constructor(entries: readonly PrefixedEntry[]) {
    const n = entries.length;
    const textEnd = new Int32Array(n);
    const depth = new Int32Array(n);
    const run: string[] = new Array(n);
    const bytes = new Uint8Array(PREFIX_MAX);
    // Prefix strings, interned: idOf[i] indexes keyOf (one id space per table).
    const idOf = new Int32Array(n);
    const exactKeys: string[] = [];
    const foldKeys: string[] = [];
    const exactIds = new Map<string, number>();
    const foldIds = new Map<string, number>();
    const exactMembers = new Int32Array(n);
    const foldMembers = new Int32Array(n);
    let ne = 0;
    let nf = 0;
    let restCount = 0;
    for (let i = 0; i < n; i++) {
      const e = entries[i];
      run[i] = '';
      const len = anchoredPrefix(e.pattern, e.caseless, bytes, 0, false);
      depth[i] = len;
      if (len < 0) { textEnd[i] = -1; restCount++; continue; }
      textEnd[i] = prefixEnd;
      let key: string;
      // The fast path's part as a string, then any bytes the slower loop read after it.
      key = e.caseless ? asciiLower(prefixPlainText) : prefixPlainText;
      if (prefixPlainEnd !== prefixEnd) for (let k = key.length; k < len; k++) key += String.fromCharCode(bytes[k]);
      const ids = e.caseless ? foldIds : exactIds;
      const keys = e.caseless ? foldKeys : exactKeys;
      let id = ids.get(key);
      if (id === undefined) { id = keys.length; ids.set(key, id); keys.push(key); }
      idOf[i] = id;
      if (e.caseless) foldMembers[nf++] = i;
      else exactMembers[ne++] = i;
    }
    const rest = new Int32Array(restCount);
    for (let i = 0, r = 0; i < n; i++) if (depth[i] < 0) rest[r++] = i;
    this.exact = new PrefixTable(exactKeys, idOf, exactMembers, ne, 0);
    this.caseless = new PrefixTable(foldKeys, idOf, foldMembers, nf, ne);
    // A literal run a pattern's matches must hold after its prefix (anywhere, without one): one
    // native indexOf then rules out most patterns a subject reaches before the walk of
    // sweep-filter.ts has to read them. Computed for the patterns without a prefix, with the empty
    // prefix, or sharing theirs with another (about two thirds): a pattern alone at its prefix is
    // reached only by a subject holding that whole (usually long) prefix, where a run adds little
    // (measured on the anchor samples) and the load would pay a third more. Extended mode (`(?x)`)
    // could hide a `)` or `|` in a comment, so such patterns get none.
    // Where RUN_PICK_MIN or more patterns share a prefix, each gets, among its required runs, the
    // one the fewest of them also require (of those of at least RUN_DISTINCT bytes; the longest on
    // a tie): `-OpenSSH_` is in most of the `^SSH-` patterns and tells them apart from nothing,
    // ` FreeBSD-` in a few. Fewer sharers: the longest run.
    // The runs of one group of patterns sharing a prefix (see below), reused from group to group.
    let groupHash: Int32Array = new Int32Array(1024);
    let groupLength: Int32Array = new Int32Array(1024);
    let groupStart: Int32Array = new Int32Array(1024);
    let groupBytes = new Uint8Array(16384);
    const memberRuns = new Int32Array(n + 1);
    /** Per slot: its prefix is empty or shared by RUN_PICK_MIN or more (only such slots get a lead byte test). */
    const reachedOften = new Uint8Array(ne + nf);
    const shared = new Map<number, number>();
    for (const t of [this.exact, this.caseless]) {
      for (let r = 0; r < t.keys.length; r++) {
        const from = t.start[r];
        const to = t.start[r + 1];
        if (to - from < 2 && t.keys[r].length !== 0) continue;
        if (to - from >= RUN_PICK_MIN || t.keys[r].length === 0) for (let j = from; j < to; j++) reachedOften[t.base + j] = 1;
        if (to - from < RUN_PICK_MIN) {
          // Few neighbours: the longest run (the scan stops at a RUN_GOOD-byte one).
          for (let j = from; j < to; j++) {
            const i = t.list[j];
            const p = entries[i].pattern;
            if (p.indexOf('(?') >= 0 && EXTENDED.test(p)) continue;
            run[i] = requiredRun(p, entries[i].caseless, textEnd[i], RUN_SCAN, RUN_GOOD);
          }
          continue;
        }
        // Each pattern's runs are read once into the group's buffer (hashes, lengths, bytes) while
        // counting how many patterns of the prefix hold each run; then each picks its own.
        shared.clear();
        let runs = 0;
        let used = 0;
        for (let j = from; j < to; j++) {
          memberRuns[j - from] = runs;
          const i = t.list[j];
          const p = entries[i].pattern;
          if (p.indexOf('(?') >= 0 && EXTENDED.test(p)) continue;
          const count = requiredRuns(p, entries[i].caseless, textEnd[i], RUN_SCAN);
          if (runs + count > groupHash.length) { groupHash = grow(groupHash, runs + count); groupLength = grow(groupLength, runs + count); groupStart = grow(groupStart, runs + count); }
          for (let k = 0; k < count; k++) {
            const h = runHash[k];
            const length = runLength[k];
            let again = false;
            for (let q = 0; q < k && !again; q++) again = runHash[q] === h;
            if (!again) shared.set(h, (shared.get(h) ?? 0) + 1);
            if (used + length > groupBytes.length) { const b = new Uint8Array(2 * (used + length)); b.set(groupBytes); groupBytes = b; }
            groupBytes.set(runBytes.subarray(k * RUN_CAP, k * RUN_CAP + length), used);
            groupHash[runs] = h;
            groupLength[runs] = length;
            groupStart[runs] = used;
            used += length;
            runs++;
          }
        }
        memberRuns[to - from] = runs;
        for (let j = from; j < to; j++) {
          let best = -1;
          let bestLong = false;
          let bestShared = 0;
          for (let k = memberRuns[j - from]; k < memberRuns[j - from + 1]; k++) {
            const length = groupLength[k];
            const long = length >= RUN_DISTINCT;
            const holders = shared.get(groupHash[k]) ?? 0;
            const better = best < 0 || (long !== bestLong ? long : long ? holders < bestShared || (holders === bestShared && length > groupLength[best]) : length > groupLength[best]);
            if (better) { best = k; bestLong = long; bestShared = holders; }
          }
          if (best < 0) continue;
          let text = '';
          for (let b = groupStart[best], e = b + groupLength[best]; b < e; b++) text += CHAR[groupBytes[b]];
          run[t.list[j]] = text;
        }
      }
    }
    for (let k = 0; k < rest.length; k++) {
      const i = rest[k];
      const p = entries[i].pattern;
      if (p.indexOf('(?') >= 0 && EXTENDED.test(p)) continue;
      run[i] = floatingRun(p, entries[i].caseless, RUN_SCAN, RUN_GOOD);
    }
    const grams = new Int32Array(n * 4);
    for (let i = 0; i < n; i++) {
      const r = run[i];
      const last = r.length - 2;
      if (last < 0) continue;
      // Pairs at 0, a third, two thirds and the end, ASCII-lowercased (written out: this runs once
      // per pattern before V8 optimises anything).
      for (let q = 0; q < 4; q++) {
        const k = q === 0 ? 0 : q === 3 ? last : ((q * last) / 3) | 0;
        let a = r.charCodeAt(k);
        let b = r.charCodeAt(k + 1);
        if (a >= 0x41 && a <= 0x5a) a += 0x20;
        if (b >= 0x41 && b <= 0x5a) b += 0x20;
        grams[4 * i + q] = (a << 8) | b;
      }
    }
    const slots = ne + nf;
    const slotEntry = new Int32Array(slots);
    slotEntry.set(this.exact.list, 0);
    slotEntry.set(this.caseless.list, ne);
    const slotGrams = new Int32Array(slots * 4);
    const slotDepth = new Int32Array(slots);
    const slotTextEnd = new Int32Array(slots);
    const slotRun: string[] = new Array(slots);
    const slotLead = new Int32Array(slots);
    const slotLead2 = new Int32Array(slots).fill(-1);
    const setIds = new Map<number, number>();
    const sets: number[] = [];
    for (let t = 0; t < slots; t++) {
      const i = slotEntry[t];
      slotGrams.set(grams.subarray(4 * i, 4 * i + 4), 4 * t);
      slotDepth[t] = depth[i];
      slotTextEnd[t] = textEnd[i];
      slotRun[t] = run[i];
      const e = entries[i];
      // A pattern alone at a non-empty prefix, or among a few, is reached only by subjects holding
      // all of it: a lead test would rarely rule it out, and the load would pay for it.
      const distance = reachedOften[t] ? leadProbe(e.pattern, e.caseless, e.dotall === true, textEnd[i], LEAD_MAX) : -1;
      if (distance < 0) { slotLead[t] = -1; continue; }
      slotLead[t] = (leadSetId(LEAD_BITS, setIds, sets) << 8) | distance;
      if (leadFirst >= 0) slotLead2[t] = (leadSetId(LEAD_FIRST_BITS, setIds, sets) << 8) | leadFirst;
    }
    this.slotLead = slotLead;
    this.slotLead2 = slotLead2;
    this.leadSets = Int32Array.from(sets);
    this.slotRun = slotRun;
    this.foldBase = ne;
    this.slotEntry = slotEntry;
    this.slotGrams = slotGrams;
    this.slotDepth = slotDepth;
    this.slotTextEnd = slotTextEnd;
    this.textEnd = textEnd;
    this.depth = depth;
    this.run = run;
    this.rest = rest;
    this.restRun = Array.from(rest, (i) => run[i]);
    this.restGrams = new Int32Array(rest.length * 4);
    for (let k = 0; k < rest.length; k++) this.restGrams.set(grams.subarray(4 * rest[k], 4 * rest[k] + 4), 4 * k);
    this.nodes = exactKeys.length + foldKeys.length;
  }

  /**
   * Writes to `out` (from index `at`) the slots (see slotEntry) of the entries whose whole prefix
   * the subject starts with, both tables, prefix by prefix (file order within a prefix, not
   * across); returns the new end index.
   */
  collect(subject: string, out: Int32Array, at: number): number {
    return this.caseless.collect(subject, true, out, this.exact.collect(subject, false, out, at));
  }
}
