// Verdicts on a document's patterns judged elsewhere (`nsp check`'s second thread), looked up by
// where each pattern sits in the text rather than by its bytes: the same text, the same offsets and
// the same flags mean the same pattern, so no pattern string is copied across threads, hashed or
// compared. checkPatterns asks in file order, so a cursor finds each one in constant time.
//
// Only ever a shortcut: a pattern with no entry here (the other thread read its line differently)
// is judged by the caller as usual.

import type { AnalyzeResult, Pcre2Version } from '../../regex/api';

/** What the judging side sends, in file order; the typed arrays travel without copying. */
export interface JudgedPatternsData {
  version: Pcre2Version;
  /** UTF-16 offsets in the document of the first character of each pattern, and one past its last. */
  starts: Int32Array;
  ends: Int32Array;
  /** Bit 1: caseless (`i`), bit 2: dotall (`s`). */
  flags: Uint8Array;
  /** The capture-group count of a clean verdict (valid, no finding); -1: the verdict is in `details`. */
  groups: Int32Array;
  details: { index: number; verdict: AnalyzeResult }[];
}

// The verdict of every clean entry with a given group count: one shared frozen object per count,
// since checkPatterns asks for some 12,000 of them per check of nmap's file and only reads them.
const NONE: readonly never[] = Object.freeze([]);
const CLEAN: AnalyzeResult[] = [];
function cleanVerdict(groupCount: number): AnalyzeResult {
  return (CLEAN[groupCount] ??= Object.freeze({ ok: true, groupCount, matchesEmpty: false, octalTraps: NONE as never[], unsupported: NONE as never[] }));
}

export const flagBits = (caseless: boolean, dotall: boolean): number => (caseless ? 1 : 0) | (dotall ? 2 : 0);

export class JudgedPatterns {
  private cursor = 0;
  private readonly details: Map<number, AnalyzeResult>;

  constructor(readonly data: JudgedPatternsData) {
    this.details = new Map(data.details.map((d) => [d.index, d.verdict]));
  }

  get version(): Pcre2Version {
    return this.data.version;
  }

  get size(): number {
    return this.data.starts.length;
  }

  /** The verdict on the pattern at [start, end) with these flags, if it was judged (a clean one is shared and frozen). */
  verdictAt(start: number, end: number, caseless: boolean, dotall: boolean): AnalyzeResult | undefined {
    const { starts, ends, flags, groups } = this.data;
    const n = starts.length;
    let k = this.cursor;
    if (k > 0 && (k >= n || starts[k - 1] >= start)) {
      // Asked out of order: find the first entry at or after `start`.
      let lo = 0;
      let hi = n;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (starts[mid] < start) lo = mid + 1;
        else hi = mid;
      }
      k = lo;
    }
    while (k < n && starts[k] < start) k++;
    this.cursor = k;
    if (k >= n || starts[k] !== start || ends[k] !== end || flags[k] !== flagBits(caseless, dotall)) return undefined;
    this.cursor = k + 1;
    const g = groups[k];
    return g >= 0 ? cleanVerdict(g) : this.details.get(k);
  }
}
