// The "unknown service" sweep: one response against every match/softmatch pattern of a file, in
// file order, without stopping at the first hit (what an editor shows for a captured reply that
// nmap could not name). From a cold engine the cost is dominated by compiling RegExps, so the
// sweep compiles nothing it can rule out:
// 1. a first-byte index built from the first few characters of each pattern (`^` then a literal
//    or one-byte escape; no `|` anywhere), as 256 ranges of one Int32Array plus the list of
//    patterns with no known first byte, both in file order and merged per sweep;
// 2. for each candidate, regex/sweep-filter.ts walks the pattern text against the subject (fixed-
//    position checks while anchored, then literal runs) and answers "cannot match" or "may match";
// 3. only then a lazy compile (cached), and the real exec.
// Results are identical to trying every pattern (fullSweep), which the tests check.

import type { CompiledRegex, MatchOutcome, Pcre2Version } from './api';
import { compile } from './compile';
import { firstByte, mayMatch, setSubject } from './sweep-filter';

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
  /** Entries with a known first byte, grouped by byte: bucket b is order[start[b] .. start[b+1]). */
  private readonly order: Int32Array;
  private readonly start: Int32Array;
  /** Entries with no known first byte (they are candidates for every subject), in file order. */
  private readonly anyFirst: Int32Array;
  private readonly compiled: (CompiledRegex | null | undefined)[];

  constructor(readonly entries: readonly SweepEntry[], readonly version?: Pcre2Version) {
    const n = entries.length;
    this.compiled = new Array(n);
    // key: the first byte, or 256 + b for a caseless letter (both cases), or -1.
    const keys = new Int16Array(n);
    const count = new Int32Array(257);
    let any = 0;
    for (let i = 0; i < n; i++) {
      const e = entries[i];
      let b = firstByte(e.pattern);
      if (b < 0) { any++; keys[i] = -1; continue; }
      const l = b | 0x20;
      if (e.caseless && l >= 0x61 && l <= 0x7a) {
        count[l - 0x20]++; count[l]++;
        b = 256 + l;
      } else count[b]++;
      keys[i] = b;
    }
    const start = new Int32Array(257);
    for (let b = 0; b < 256; b++) start[b + 1] = start[b] + count[b];
    const fill = start.slice(0, 256);
    const order = new Int32Array(start[256]);
    const anyFirst = new Int32Array(any);
    let a = 0;
    for (let i = 0; i < n; i++) {
      const k = keys[i];
      if (k < 0) anyFirst[a++] = i;
      else if (k >= 256) { order[fill[k - 256 - 0x20]++] = i; order[fill[k - 256]++] = i; }
      else order[fill[k]++] = i;
    }
    this.order = order;
    this.start = start;
    this.anyFirst = anyFirst;
  }

  /** Calls f with the indexes the first-byte index leaves for this subject, in file order. */
  private each(subject: string, f: (i: number) => void): void {
    const any = this.anyFirst;
    let a = 0;
    if (subject.length) {
      const b = subject.charCodeAt(0) & 0xff;
      const order = this.order;
      const end = this.start[b + 1];
      for (let k = this.start[b]; k < end; k++) {
        const i = order[k];
        while (a < any.length && any[a] < i) f(any[a++]);
        f(i);
      }
    }
    while (a < any.length) f(any[a++]);
  }

  /** Indexes of the entries the prefilter cannot rule out for this subject, in file order. */
  candidates(subject: string): number[] {
    const out: number[] = [];
    setSubject(subject);
    const entries = this.entries;
    this.each(subject, (i) => {
      const e = entries[i];
      if (mayMatch(e.pattern, e.caseless, e.dotall)) out.push(i);
    });
    setSubject('');
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

  /** Every pattern against the subject, using the index and the filter. */
  sweep(subject: string): SweepHit[] {
    return this.run(this.candidates(subject), subject);
  }

  /** Every pattern against the subject, no index (the reference the index must agree with). */
  fullSweep(subject: string): SweepHit[] {
    return this.run(this.entries.keys(), subject);
  }
}
