// A bounded cache of regex/'s verdicts, for a caller that checks the same document again and again
// (the editor re-checks after every edit, and an edit changes a line or two of 12,000 patterns).
// Opt-in through CheckOptions.analysisCache: a benchmark or a one-shot `nsp check` must see the
// real cost of judging every pattern, so nothing is cached behind their backs.
//
// Entries are keyed by PCRE2 version, nmap's flags and the pattern's bytes, and hold plain copies:
// neither keys nor values may keep an old document's text alive (a pattern sliced from the text
// would). Eviction is first in, first out, through a Map's insertion order.
//
// A verdict's `unsupported` list depends on whether the regex translator has registered its hook
// (regex/compile.ts does so when it is loaded); a process loads its modules before it checks
// anything, so one cache never sees both states.

import type { AnalyzeResult } from '../../regex/api';

export class AnalysisCache {
  /** One map per PCRE2 version and flag pair, keyed by the pattern: no key to build per lookup. */
  private readonly maps = new Map<string, Map<string, AnalyzeResult>>();
  private count = 0;

  /** `limit`: how many verdicts to keep; the default holds every pattern of nmap's file twice. */
  constructor(readonly limit = 32768) {}

  get size(): number {
    return this.count;
  }

  clear(): void {
    this.maps.clear();
    this.count = 0;
  }

  /**
   * The cached verdict, or `compute()`'s (then kept). When full, the oldest verdict of the same
   * version and flags makes room (first in, first out: refreshing on every hit would cost more
   * than the rare re-judging it saves).
   */
  get(version: string, caseless: boolean, dotall: boolean, pattern: string, compute: () => AnalyzeResult): AnalyzeResult {
    const map = this.mapOf(version, caseless, dotall);
    const hit = map.get(pattern);
    if (hit !== undefined) return hit;
    return this.keep(map, pattern, compute());
  }

  private mapOf(version: string, caseless: boolean, dotall: boolean): Map<string, AnalyzeResult> {
    const flags = version + (caseless ? 'i' : '') + (dotall ? 's' : '');
    let map = this.maps.get(flags);
    if (map === undefined) this.maps.set(flags, (map = new Map()));
    return map;
  }

  /** The pattern and verdict may share memory with a document, so keep copies of both. */
  private keep(map: Map<string, AnalyzeResult>, pattern: string, r: AnalyzeResult): AnalyzeResult {
    const kept: AnalyzeResult = r.ok
      ? { ok: true, groupCount: r.groupCount, matchesEmpty: r.matchesEmpty, octalTraps: r.octalTraps.map((t) => ({ ...t })), unsupported: r.unsupported.map((u) => ({ ...u })) }
      : { ok: false, code: r.code, message: r.message, offset: r.offset };
    if (this.count >= this.limit) {
      const fullest = map.size > 0 ? map : [...this.maps.values()].find((m) => m.size > 0)!;
      fullest.delete(fullest.keys().next().value as string);
      this.count--;
    }
    map.set(ownCopy(pattern), kept);
    this.count++;
    return kept;
  }
}

/**
 * A flat copy of a string of bytes (binary string), sharing nothing with the document text it was
 * cut from. String operations in V8 may return slices or ropes over their input; a round trip
 * through bytes does not.
 */
function ownCopy(s: string): string {
  return Buffer.from(s, 'latin1').toString('latin1');
}
