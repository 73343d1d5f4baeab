// The "unknown service" sweep: one response against every match/softmatch pattern of a file, in
// file order, without stopping at the first hit (what an editor shows for a captured reply that
// nmap could not name). From a cold engine the cost is dominated by compiling RegExps, so the
// sweep compiles nothing it can rule out: a first-byte bucket index over anchored patterns, then
// literal runs every match must contain (regex/sweep-index.ts), and only then a lazy compile.
// Results are identical to trying every pattern (fullSweep), which the tests check.

import type { CompiledRegex, MatchOutcome, Pcre2Version } from './api';
import { compile } from './compile';
import { asciiLower, prefilterOf } from './sweep-index';
import type { Prefilter } from './sweep-index';

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

export class Sweeper {
  private readonly filters: Prefilter[];
  /** buckets[b] = entries whose match may start with byte b (anchored) or anywhere, in order. */
  private readonly buckets: Int32Array[];
  /** Entries an empty subject could match (not anchored to a first byte). */
  private readonly anyFirst: Int32Array;
  private readonly compiled: (CompiledRegex | null | undefined)[];

  constructor(readonly entries: readonly SweepEntry[], readonly version?: Pcre2Version) {
    this.filters = entries.map((e) => prefilterOf(e.pattern, e.caseless));
    this.compiled = new Array(entries.length);
    const lists: number[][] = Array.from({ length: 256 }, () => []);
    const any: number[] = [];
    this.filters.forEach((f, i) => {
      if (!f.first) { any.push(i); for (const l of lists) l.push(i); return; }
      for (let b = 0; b < 256; b++) if (f.first[b]) lists[b].push(i);
    });
    this.buckets = lists.map((l) => Int32Array.from(l));
    this.anyFirst = Int32Array.from(any);
  }

  /** Indexes of the entries the prefilter cannot rule out for this subject, in file order. */
  candidates(subject: string): number[] {
    const list = subject.length ? this.buckets[subject.charCodeAt(0) & 0xff] : this.anyFirst;
    let lowered: string | undefined;
    const out: number[] = [];
    for (let k = 0; k < list.length; k++) {
      const i = list[k];
      const f = this.filters[i];
      let ok = true;
      for (const lit of f.literals) {
        const hay = f.caseless ? (lowered ??= asciiLower(subject)) : subject;
        if (!hay.includes(lit)) { ok = false; break; }
      }
      if (ok) out.push(i);
    }
    return out;
  }

  private regex(i: number): CompiledRegex | null {
    let c = this.compiled[i];
    if (c === undefined) {
      const e = this.entries[i];
      const r = compile(e.pattern, { caseless: e.caseless, dotall: e.dotall, version: this.version });
      c = this.compiled[i] = 'exec' in r ? r : null;
    }
    return c;
  }

  private run(indexes: Iterable<number>, subject: string): SweepHit[] {
    const hits: SweepHit[] = [];
    for (const i of indexes) {
      const re = this.regex(i);
      if (!re) continue; // PCRE2 refuses it: nmap would not even load the file
      const outcome = re.exec(subject);
      if (outcome.kind !== 'nomatch') hits.push({ index: i, outcome });
    }
    return hits;
  }

  /** Every pattern against the subject, using the index. */
  sweep(subject: string): SweepHit[] {
    return this.run(this.candidates(subject), subject);
  }

  /** Every pattern against the subject, no index (the reference the index must agree with). */
  fullSweep(subject: string): SweepHit[] {
    return this.run(this.entries.keys(), subject);
  }
}
