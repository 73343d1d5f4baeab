// compile(): pattern → CompiledRegex (regex/api.ts). Parses like pcre2_compile with nmap's options,
// refuses what PCRE2 refuses (same code, message, offset), and otherwise translates to a JS RegExp
// that is built lazily on the first exec: most of the 12,000 patterns of a file are never run.

import type { CompileResult, CompiledRegex, MatchOutcome, RegexAnalysis, RegexOptions } from './api';
import type { RegexAst } from './ast';
import { parse } from './parse';
import { mustMatchChar, setUnsupportedHook } from './analyze';
import { findUnsupported, translate } from './translate';
import type { Translation } from './translate';
import { execRegExp, isRisky } from './match';
import { quickAnalyze } from './fast-validate';
import { translateFast } from './translate-fast';

export interface CompiledDetail extends CompiledRegex {
  readonly ast: RegexAst;
  /** Null when the pattern is unsupported. */
  translation(): Translation | null;
  /** Nested unbounded repetition: run it through a bounded runner at the edges. */
  readonly risky: boolean;
}

class Compiled implements CompiledDetail {
  private re: RegExp | null = null;
  private tr: Translation | null | undefined;
  private riskyMemo: boolean | undefined;
  constructor(readonly ast: RegexAst, readonly analysis: RegexAnalysis) {}
  /** Computed on first read, like the translation: only a caller about to run the pattern asks. */
  get risky(): boolean {
    return (this.riskyMemo ??= isRisky(this.ast.root));
  }
  translation(): Translation | null {
    if (this.tr === undefined) this.tr = this.analysis.unsupported.length ? null : translate(this.ast);
    return this.tr;
  }
  exec(subject: string): MatchOutcome {
    const t = this.translation();
    if (!t) return { kind: 'unsupported', message: this.analysis.unsupported[0].message };
    try {
      this.re ??= new RegExp(t.source, 'd');
      return execRegExp(this.re, t.groupMap, subject);
    } catch (e) {
      // V8 refuses only what we failed to foresee (or runs out of stack on huge inputs): say so.
      return { kind: 'unsupported', message: `${this.analysis.unsupported[0]?.message ?? 'the editor cannot test this pattern'} (${(e as Error).message})` };
    }
  }
}

// analyze() (regex/analyze.ts) fills RegexAnalysis.unsupported through this hook, so every user of
// the regex layer that loads compile() sees the same list.
setUnsupportedHook((ast) => findUnsupported(ast));

/** The same analysis analyze() gives, from an already parsed tree. */
export function analysisOf(ast: RegexAst, octalTraps: RegexAnalysis['octalTraps']): RegexAnalysis {
  return { ok: true, groupCount: ast.groupCount, matchesEmpty: !mustMatchChar(ast.root), octalTraps, unsupported: findUnsupported(ast) };
}

export function compile(pattern: string, options: RegexOptions): CompileResult {
  const parsed = parse(pattern, options);
  if (!parsed.ast) return parsed.error ?? { ok: false, code: 0, message: 'unparsable pattern', offset: 0 };
  return new Compiled(parsed.ast, analysisOf(parsed.ast, parsed.octalTraps));
}

export function compileDetailed(pattern: string, options: RegexOptions): CompiledDetail | CompileResult {
  return compile(pattern, options);
}

/**
 * A pattern compiled by the quick route: fast-validate.ts's verdict and translate-fast.ts's text,
 * no tree. Without groups the RegExp needs no `d` flag (the match's own index and length give
 * group 0), which spares V8 the offsets array on every match.
 */
class QuickCompiled implements CompiledRegex {
  private re: RegExp | null = null;
  constructor(readonly analysis: RegexAnalysis, private readonly t: Translation) {}
  exec(subject: string): MatchOutcome {
    const t = this.t;
    try {
      if (t.groupCount === 0) {
        const re = (this.re ??= new RegExp(t.source));
        const m = re.exec(subject);
        return m ? { kind: 'match', captures: [[m.index, m.index + m[0].length]] } : { kind: 'nomatch' };
      }
      this.re ??= new RegExp(t.source, 'd');
      return execRegExp(this.re, t.groupMap, subject);
    } catch (e) {
      return { kind: 'unsupported', message: `the editor cannot test this pattern (${(e as Error).message})` };
    }
  }
}

/**
 * compile() for callers that only run the pattern (the sweep): patterns that fast-validate.ts finds
 * valid with nothing unsupported and that translate-fast.ts reads skip the parser's tree and the
 * analysis walks (same verdict, same JavaScript source, which the tests check); every other pattern
 * goes through compile(). The result has no tree (not a CompiledDetail).
 */
export function compileForRun(pattern: string, options: RegexOptions): CompileResult {
  const quick = quickAnalyze(pattern);
  if (quick !== null && !quick.mayBeUnsupported) {
    const t = translateFast(pattern, options.caseless, options.dotall, quick.groupCount);
    if (t !== null) {
      return new QuickCompiled({ ok: true, groupCount: quick.groupCount, matchesEmpty: quick.matchesEmpty, octalTraps: quick.octalTraps, unsupported: [] }, t);
    }
  }
  return compile(pattern, options);
}
