// The "unknown service" sweep: one response against every match/softmatch pattern of a file, in
// file order, without stopping at the first hit (what an editor shows for a captured reply that
// nmap could not name). From a cold engine the cost is dominated by compiling RegExps (and by our
// own not-yet-optimised code), so the sweep does as little per pattern as it can:
// 1. load (new Sweeper): a trie of the patterns' anchored literal prefixes (regex/sweep-trie.ts),
//    the analogue of the start data pcre2_compile() computes for every pattern;
// 2. per subject: one walk down the trie keeps only the patterns whose whole prefix the subject
//    starts with (the others are ruled out without being looked at), plus the few patterns with no
//    usable prefix; of those, a pattern with a lead byte test (one byte at a fixed place after its
//    prefix, trie.slotLead) is dropped when the subject's byte there is not in its set;
// 3. for each of those, regex/sweep-filter.ts walks the rest of the pattern text against the
//    subject (fixed-position checks while anchored, then literal runs): "cannot match" or "may";
// 4. the survivors, sorted into file order, are compiled lazily (cached) and run; compileForRun()
//    skips the parser's tree for the ~94% of patterns fast-validate.ts and translate-fast.ts read.
// Results are identical to trying every pattern (fullSweep), which the tests check.

import type { CompiledRegex, MatchOutcome, Pcre2Version } from './api';
import { compile, compileForRun } from './compile';
import { asciiLower, mayMatch, mayMatchFrom, setSubject } from './sweep-filter';
import { PrefixTrie } from './sweep-trie';

export interface SweepEntry {
  /** The pattern as a binary string. */
  pattern: string;
  caseless: boolean;
  dotall: boolean;
}

/** A pattern that did not simply fail to match: a match, a limit, or an untestable pattern. */
export interface SweepHit {
  /** Index into the entries given to the Sweeper (file order). */
  index: number;
  outcome: Exclude<MatchOutcome, { kind: 'nomatch' }>;
}

/**
 * The byte pairs of the (ASCII-lowercased) subject, one bit per pair: a required run whose
 * lowercased pairs are not all here cannot occur in the subject, whatever its case rule. One table,
 * reused (the sweep is synchronous).
 */
const PAIRS = new Int32Array(2048);
/** The words of PAIRS the last subject set (PAIRS is cleared word by word, not all 8 KB: a short banner sets a few dozen). */
const PAIR_WORDS = new Int32Array(2048);
let pairWords = 0;
function subjectPairs(lowered: string): Int32Array {
  const t = PAIRS;
  for (let k = 0; k < pairWords; k++) t[PAIR_WORDS[k]] = 0;
  pairWords = 0;
  t[0] = 1; // pair 0: what a pattern without a run has for its pairs
  PAIR_WORDS[pairWords++] = 0;
  let prev = lowered.length ? lowered.charCodeAt(0) : 0;
  for (let k = 1; k < lowered.length; k++) {
    const c = lowered.charCodeAt(k);
    const g = (prev << 8) | c;
    const w = g >> 5;
    if (t[w] === 0) PAIR_WORDS[pairWords++] = w;
    t[w] |= 1 << (g & 31);
    prev = c;
  }
  return t;
}
const hasPair = (t: Int32Array, g: number): boolean => (t[g >> 5] & (1 << (g & 31))) !== 0;

export class Sweeper {
  private readonly trie: PrefixTrie;
  /** Scratch for one sweep's candidates (at most every entry once). */
  private readonly scratch: Int32Array;
  private readonly compiled: (CompiledRegex | null | undefined)[];
  /** fullSweep()'s own cache: the full route (parser tree, translate.ts), the reference. */
  private full: (CompiledRegex | null | undefined)[] | null = null;

  constructor(readonly entries: readonly SweepEntry[], readonly version?: Pcre2Version) {
    this.compiled = new Array(entries.length);
    this.trie = new PrefixTrie(entries);
    this.scratch = new Int32Array(entries.length);
  }

  /** Fills the scratch with the entries the filter cannot rule out, in file order; returns how many. */
  private select(subject: string): number {
    const trie = this.trie;
    const out = this.scratch;
    const entries = this.entries;
    const rest = trie.rest;
    const restRun = trie.restRun;
    const restGrams = trie.restGrams;
    const slotEntry = trie.slotEntry;
    const slotGrams = trie.slotGrams;
    const slotDepth = trie.slotDepth;
    const slotTextEnd = trie.slotTextEnd;
    const slotRun = trie.slotRun;
    const foldBase = trie.foldBase;
    const slotLead = trie.slotLead;
    const slotLead2 = trie.slotLead2;
    const leadSets = trie.leadSets;
    const n = subject.length;
    const lowered = asciiLower(subject);
    const seen = subjectPairs(lowered);
    setSubject(subject);
    // Prefix matches first (written at the front), then filtered in place: the required literal
    // run (four of its byte pairs looked up in the subject's pair table, then native indexOf), then
    // the walk of the pattern's rest.
    const found = trie.collect(subject, out, 0);
    let kept = 0;
    for (let k = 0; k < found; k++) {
      const t = out[k]; // a slot: neighbouring reached entries have neighbouring grams
      const lead = slotLead[t];
      if (lead >= 0) {
        // One subject byte every match holds at a known place (its prefix's end + a distance),
        // and maybe a second.
        let at = slotDepth[t] + (lead & 0xff);
        if (at >= n) continue;
        let b = subject.charCodeAt(at);
        if ((leadSets[((lead >> 8) << 3) + (b >> 5)] & (1 << (b & 31))) === 0) continue;
        const second = slotLead2[t];
        if (second >= 0) {
          at = slotDepth[t] + (second & 0xff); // nearer than the first place: inside the subject
          b = subject.charCodeAt(at);
          if ((leadSets[((second >> 8) << 3) + (b >> 5)] & (1 << (b & 31))) === 0) continue;
        }
      }
      const g = t << 2;
      // Four pair lookups written out (a call each would cost more than the test before V8
      // optimises this loop); a pattern without a run has pair 0, which every table holds.
      let x = slotGrams[g];
      if ((seen[x >> 5] & (1 << (x & 31))) === 0) continue;
      x = slotGrams[g + 1];
      if ((seen[x >> 5] & (1 << (x & 31))) === 0) continue;
      x = slotGrams[g + 2];
      if ((seen[x >> 5] & (1 << (x & 31))) === 0) continue;
      x = slotGrams[g + 3];
      if ((seen[x >> 5] & (1 << (x & 31))) === 0) continue;
      const r = slotRun[t];
      if (r.length !== 0 && (t >= foldBase ? lowered : subject).indexOf(r, slotDepth[t]) < 0) continue;
      const i = slotEntry[t];
      const e = entries[i];
      if (mayMatchFrom(e.pattern, e.caseless, e.dotall, slotTextEnd[t], slotDepth[t])) out[kept++] = i;
    }
    for (let k = 0; k < rest.length; k++) {
      const r = restRun[k];
      if (r.length !== 0) {
        const g = k << 2;
        if (!hasPair(seen, restGrams[g]) || !hasPair(seen, restGrams[g + 1]) || !hasPair(seen, restGrams[g + 2]) || !hasPair(seen, restGrams[g + 3])) continue;
      }
      const i = rest[k];
      const e = entries[i];
      if (r.length !== 0 && (e.caseless ? lowered : subject).indexOf(r) < 0) continue;
      if (mayMatch(e.pattern, e.caseless, e.dotall)) out[kept++] = i;
    }
    setSubject('');
    out.subarray(0, kept).sort();
    return kept;
  }

  /** Indexes of the entries the prefilter cannot rule out for this subject, in file order. */
  candidates(subject: string): number[] {
    const n = this.select(subject);
    return Array.from(this.scratch.subarray(0, n));
  }

  private regex(i: number): CompiledRegex | null {
    let c = this.compiled[i];
    if (c === undefined) {
      const e = this.entries[i];
      const r = compileForRun(e.pattern, { caseless: e.caseless, dotall: e.dotall, version: this.version });
      c = this.compiled[i] = 'exec' in r ? r : null;
    }
    return c;
  }

  /** Every pattern against the subject, using the index and the filter. */
  sweep(subject: string): SweepHit[] {
    const n = this.select(subject);
    const hits: SweepHit[] = [];
    const out = this.scratch;
    for (let k = 0; k < n; k++) {
      const i = out[k];
      const re = this.regex(i);
      if (!re) continue; // PCRE2 refuses it: nmap would not even load the file
      const outcome = re.exec(subject);
      if (outcome.kind !== 'nomatch') hits.push({ index: i, outcome });
    }
    return hits;
  }

  /**
   * Every pattern against the subject, no index and no quick route: each compiled by compile()
   * (the parser's tree, translate.ts). The reference the indexed sweep must agree with.
   */
  fullSweep(subject: string): SweepHit[] {
    const full = (this.full ??= new Array(this.entries.length));
    const hits: SweepHit[] = [];
    for (let i = 0; i < this.entries.length; i++) {
      let re = full[i];
      if (re === undefined) {
        const e = this.entries[i];
        const r = compile(e.pattern, { caseless: e.caseless, dotall: e.dotall, version: this.version });
        re = full[i] = 'exec' in r ? r : null;
      }
      if (!re) continue;
      const outcome = re.exec(subject);
      if (outcome.kind !== 'nomatch') hits.push({ index: i, outcome });
    }
    return hits;
  }
}
