// engine/check: every diagnostic of a probes file — syntax (grammar/), regex (NSP2xx through
// regex/) and file semantics (NSP3xx) — sorted by position, one per place. Pure: no IO, no clock,
// never throws on user input.

import type { Diagnostic, ParseResult } from '../../grammar/index';
import { parse } from '../../grammar/index';
import { Reporter } from '../../grammar/build-ast';
import type { MatchDirective } from '../../grammar/ast';
import { DEFAULT_PCRE2_VERSION, type Pcre2Version } from '../../regex/api';
import { checkPatterns } from './regex-checks';
import { AnalysisCache } from './analysis-cache';
import { JudgedPatterns, flagBits, type JudgedPatternsData } from './judged-patterns';

export { AnalysisCache, JudgedPatterns, flagBits, type JudgedPatternsData };
import { checkSemantics } from './semantics';

export interface CheckOptions {
  /** The PCRE2 whose rules judge the patterns: 10.42 (Debian's libpcre2) or 10.47 (nmap 7.99+). */
  pcre2Version?: Pcre2Version;
  /**
   * Reuse regex verdicts across calls (the editor's re-check after an edit). Off unless given, so
   * that one-shot checks and benchmarks pay for judging every pattern.
   */
  analysisCache?: AnalysisCache;
  /** The parse of exactly `text`, when the caller already has it (nsp check parses while a second thread judges the patterns). */
  parsed?: ParseResult;
  /** Verdicts on exactly `text`'s patterns judged on another thread; a pattern without one is judged here. */
  judged?: JudgedPatterns;
}

export interface CheckResult {
  parse: ParseResult;
  diagnostics: Diagnostic[];
}

const RANK = { error: 0, warning: 1, information: 2, hint: 3 } as const;

export function checkDocument(text: string, options: CheckOptions = {}): CheckResult {
  const parsed = options.parsed ?? parse(text);
  const out = new Reporter();
  try {
    let groups = new Map<MatchDirective, number>();
    try {
      groups = checkPatterns(parsed.file, options.pcre2Version ?? DEFAULT_PCRE2_VERSION, out, options.analysisCache, options.judged);
    } catch (e) {
      out.report('NSP205', { start: 0, end: Math.min(1, text.length) }, `The regex checks failed internally and were skipped; please report it: ${String(e)}`);
    }
    checkSemantics(parsed.file, groups, out);
  } catch (e) {
    out.report('NSP126', { start: 0, end: Math.min(1, text.length) }, `Internal error in the file checks, please report it: ${String(e)}`);
  }
  return { parse: parsed, diagnostics: onePerPlace([...parsed.diagnostics, ...out.diagnostics]) };
}

/** Sort by position; where two diagnostics cover exactly the same range, keep the most severe. */
function onePerPlace(all: Diagnostic[]): Diagnostic[] {
  all.sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end || RANK[a.severity] - RANK[b.severity] || a.code.localeCompare(b.code));
  const out: Diagnostic[] = [];
  for (const d of all) {
    const prev = out[out.length - 1];
    if (prev && prev.span.start === d.span.start && prev.span.end === d.span.end) continue;
    out.push(d);
  }
  return out;
}
