// The language service facade: every editor feature as a plain function of an analysed document
// and a position, returning LSP types. No IO, no clock, no connection: the server (or a test, or
// the CLI) hands in text and data (nmap-services, capture summaries) and gets values back.

import type {
  CodeAction,
  CodeLens,
  CompletionList,
  Diagnostic,
  DocumentLink,
  DocumentSymbol,
  FoldingRange,
  Hover,
  Location,
  Position,
  Range,
  SemanticTokens,
  SymbolInformation,
} from 'vscode-languageserver-types';
import type { Diagnostic as NspDiagnostic } from '../grammar/diagnostic';
import { parse } from '../grammar/index';
import { checkText } from './check-adapter';
import { IncrementalChecker } from './incremental';
import { LineIndex } from '../grammar/line-index';
import type { ParseResult } from '../grammar/ast';
import type { Pcre2Version } from '../regex/api';
import { doCodeActions } from './code-actions';
import { computeReach, computeReachInSlices, getCodeLenses, isCaptureLensData, resolveCaptureLens, type CaptureSummary, type ReachTable } from './code-lenses';
import {
  buildDb,
  compareExpect,
  loadCaptures,
  summarizeCaptures,
  testAgainstCaptures,
  type CaptureSource,
  type CaptureTestResult,
  type LoadedCase,
} from './captures';
import { doComplete } from './completion';
import type { AnalyzedDocument } from './document';
import { getFoldingRanges } from './folding';
import { doHover } from './hover';
import { findDocumentLinks } from './links';
import { findDefinition, findReferences } from './navigation';
import { getSemanticTokens } from './semantic-tokens';
import { parseNmapServices, type ServicesTable } from './services-table';
import { findDocumentSymbols, findWorkspaceSymbols } from './symbols';
import { doValidation } from './validate';

export type { AnalyzedDocument } from './document';
export type { CaptureSummary } from './code-lenses';
export { COMMANDS } from './code-lenses';
export { captureKindOf, type CaptureSource, type CaptureTestResult } from './captures';
export { SEMANTIC_TOKENS_LEGEND } from './semantic-tokens';
export { parseNmapServices, type ServicesTable } from './services-table';

export interface LanguageServiceOptions {
  /** The PCRE2 whose verdicts the checks follow (nmap HEAD bundles 10.47, Debian's 7.93 uses 10.42). */
  pcre2Version?: Pcre2Version;
  /** nmap-services, already parsed (see parseNmapServices). */
  services?: ServicesTable;
  /** Captures and fingerprints of the workspace, for the "Test against captures (N)" lenses. */
  captures?: CaptureSummary[];
}

export interface LanguageService {
  configure(options: Partial<LanguageServiceOptions>): void;
  /**
   * Parses and checks one text. Never throws. Successive versions of one uri are checked
   * incrementally (only changed probe blocks); `forget` drops that state.
   */
  analyze(uri: string, version: number, text: string): AnalyzedDocument;
  forget(uri: string): void;
  doValidation(doc: AnalyzedDocument): Diagnostic[];
  doHover(doc: AnalyzedDocument, position: Position): Hover | null;
  doComplete(doc: AnalyzedDocument, position: Position): CompletionList;
  findDocumentSymbols(doc: AnalyzedDocument): DocumentSymbol[];
  findWorkspaceSymbols(docs: Iterable<AnalyzedDocument>, query: string): SymbolInformation[];
  findDefinition(doc: AnalyzedDocument, position: Position): Location[];
  findReferences(doc: AnalyzedDocument, position: Position, includeDeclaration?: boolean): Location[];
  getFoldingRanges(doc: AnalyzedDocument): FoldingRange[];
  getSemanticTokens(doc: AnalyzedDocument, range?: Range): SemanticTokens;
  findDocumentLinks(doc: AnalyzedDocument): DocumentLink[];
  doCodeActions(doc: AnalyzedDocument, range: Range, diagnostics: Diagnostic[]): CodeAction[];
  getCodeLenses(doc: AnalyzedDocument): CodeLens[];
  /**
   * Fills in a "Test against captures" lens getCodeLenses left without a command: replays the
   * captures (once per document text and capture set) and titles it with the exact counts.
   */
  resolveCodeLens(doc: AnalyzedDocument, lens: CodeLens): CodeLens;
  /**
   * resolveCodeLens for a server: the replay runs in short slices between other requests, and
   * concurrent calls for the same text share one replay. `stale()` says the document has changed
   * since (the replay then stops, and the lens gets the title without counts).
   */
  resolveCodeLensInSlices(doc: AnalyzedDocument, lens: CodeLens, stale: () => boolean): Promise<CodeLens>;
  /** Replaces the workspace's capture files and fingerprints (text read by the caller). */
  setCaptureSources(sources: CaptureSource[]): number;
  /** The loaded capture cases, for a test explorer (uri, name, span of the case). */
  listCaptures(): { uri: string; name: string; start: number; end: number }[];
  /** Replays every capture against the document; with `line`, checks that this line decides. */
  testAgainstCaptures(doc: AnalyzedDocument, line?: number): CaptureTestResult[];
}

/** What a replay of the captures was made for. */
interface ReplayJob {
  text: string;
  cases: LoadedCase[];
  pcre2: string | undefined;
}

export function getLanguageService(initial: LanguageServiceOptions = {}): LanguageService {
  const options: LanguageServiceOptions = { ...initial };
  let cases: LoadedCase[] = [];
  let sourcesKey = '';
  // The reach table of the last document text the lenses were resolved for (see code-lenses.ts).
  let reach: (ReplayJob & { table: ReachTable }) | undefined;
  /** A replay (done or under way) answers for `doc` when it was of this text, these captures and this PCRE2. */
  const isCurrent = (job: ReplayJob, doc: AnalyzedDocument): boolean =>
    job.cases === cases && job.pcre2 === options.pcre2Version && job.text === doc.text;
  const reachFor = (doc: AnalyzedDocument, compute: boolean): ReachTable | undefined => {
    if (reach && isCurrent(reach, doc)) return reach.table;
    if (!compute) return undefined;
    const table = computeReach(buildDb(doc, options.pcre2Version), cases.map((c) => c.case), (c, v) => compareExpect(c.expect, v));
    reach = { text: doc.text, cases, pcre2: options.pcre2Version, table };
    return table;
  };
  // The replay under way for resolveCodeLensInSlices, shared by the lenses resolved meanwhile.
  let replaying: (ReplayJob & { table: Promise<ReachTable | undefined> }) | undefined;
  const reachInSlices = (doc: AnalyzedDocument, stale: () => boolean): Promise<ReachTable | undefined> => {
    const known = reachFor(doc, false);
    if (known) return Promise.resolve(known);
    if (replaying && isCurrent(replaying, doc)) return replaying.table;
    const job: ReplayJob = { text: doc.text, cases, pcre2: options.pcre2Version };
    const stop = (): boolean => stale() || replaying?.table !== table;
    const table: Promise<ReachTable | undefined> = computeReachInSlices(buildDb(doc, options.pcre2Version), cases.map((c) => c.case), (c, v) => compareExpect(c.expect, v), stop)
      // A replay that failed is forgotten like a finished one: the next resolve starts afresh.
      .catch(() => undefined)
      .then((t) => {
        if (t && cases === job.cases && options.pcre2Version === job.pcre2) reach = { ...job, table: t };
        if (replaying?.table === table) replaying = undefined;
        return t;
      });
    replaying = { ...job, table };
    return table;
  };
  const incremental = new Map<string, IncrementalChecker>();
  return {
    configure(o) {
      if (o.pcre2Version !== undefined && o.pcre2Version !== options.pcre2Version) incremental.clear();
      Object.assign(options, o);
    },
    analyze(uri, version, text) {
      const checker = incremental.get(uri);
      if (checker) {
        try {
          const diagnostics = checker.update(text);
          if (diagnostics) return lazyDocument(uri, version, text, diagnostics);
        } catch {
          // Fall through to a whole-file check.
        }
      }
      const doc = analyzeText(uri, version, text, options.pcre2Version);
      const next = checker ?? new IncrementalChecker((t) => checkText(t, { pcre2Version: options.pcre2Version }).diagnostics);
      next.seed(text, doc.diagnostics);
      incremental.set(uri, next);
      return doc;
    },
    forget(uri) {
      incremental.delete(uri);
    },
    doValidation: (doc) => doValidation(doc),
    doHover: (doc, pos) => doHover(doc, pos, { services: options.services, pcre2Version: options.pcre2Version }),
    doComplete: (doc, pos) => doComplete(doc, pos, { pcre2Version: options.pcre2Version }),
    findDocumentSymbols,
    findWorkspaceSymbols,
    findDefinition,
    findReferences,
    getFoldingRanges,
    getSemanticTokens: (doc, range) =>
      getSemanticTokens(doc, options.pcre2Version, range ? { start: range.start.line, end: range.end.line } : undefined),
    findDocumentLinks,
    doCodeActions,
    getCodeLenses: (doc) => getCodeLenses(doc, { captureCount: cases.length, reach: reachFor(doc, false) }),
    resolveCodeLens: (doc, lens) => (isCaptureLensData(lens.data) ? resolveCaptureLens(doc, lens, reachFor(doc, true)!) : lens),
    async resolveCodeLensInSlices(doc, lens, stale) {
      if (!isCaptureLensData(lens.data)) return lens;
      return resolveCaptureLens(doc, lens, (await reachInSlices(doc, stale)) ?? new Map());
    },
    setCaptureSources(sources) {
      // Same files, same contents: keep the cases (and the lenses' cached reach table).
      const key = JSON.stringify(sources.map((s) => [s.uri, s.kind, s.text]));
      if (key === sourcesKey) return cases.length;
      sourcesKey = key;
      cases = loadCaptures(sources);
      options.captures = summarizeCaptures(cases);
      return cases.length;
    },
    testAgainstCaptures: (doc, line) => testAgainstCaptures(doc, cases, line, options.pcre2Version),
    listCaptures: () => cases.map((c) => ({ uri: c.uri, name: c.case.name, start: c.case.nameSpan.start, end: c.case.nameSpan.end })),
  };
}

/**
 * Parse + every check. If the checks fail on some input (a bug, not the user's fault), the
 * document still gets its parse and the syntax diagnostics, plus one diagnostic saying so.
 */
export function analyzeText(uri: string, version: number, text: string, pcre2Version?: Pcre2Version): AnalyzedDocument {
  try {
    const r = checkText(text, { pcre2Version });
    return { uri, version, text, lineIndex: r.parse.file.lineIndex, parse: r.parse, diagnostics: r.diagnostics };
  } catch (e) {
    const p = safeParse(text);
    const internal: NspDiagnostic = {
      code: 'NSP000',
      severity: 'warning',
      message: `Internal error while checking this file: ${(e as Error)?.message ?? e}`,
      span: { start: 0, end: 0 },
    };
    return { uri, version, text, lineIndex: p.file.lineIndex, parse: p, diagnostics: [...p.diagnostics, internal] };
  }
}

/** A document whose diagnostics are known and whose tree is parsed on first use. */
function lazyDocument(uri: string, version: number, text: string, diagnostics: NspDiagnostic[]): AnalyzedDocument {
  let tree: ParseResult | undefined;
  const lineIndex = new LineIndex(text);
  return {
    uri,
    version,
    text,
    lineIndex,
    diagnostics,
    get parse() {
      tree ??= safeParse(text);
      return tree;
    },
  };
}

/** grammar's parse never throws by contract; if it ever does, features see an empty file. */
function safeParse(text: string): ParseResult {
  try {
    return parse(text);
  } catch {
    return { file: { text, lineIndex: new LineIndex(text), directives: [], probes: [], comments: [] }, diagnostics: [] };
  }
}

export { parseNmapServices as parseServices };
