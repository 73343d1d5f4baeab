// One analysed document: the parse and every diagnostic of one text, bound to a uri and version.
// The server caches one of these per (uri, version); every feature reads it and never reparses.

import type { ParseResult, ProbesFile, Directive, Probe, Span } from '../grammar/ast';
import type { Diagnostic } from '../grammar/diagnostic';
import type { Range, Position } from 'vscode-languageserver-types';
import type { LineIndex } from '../grammar/line-index';

export interface AnalyzedDocument {
  uri: string;
  version: number;
  text: string;
  /** Offsets ↔ positions of `text`; available without the parse. */
  lineIndex: LineIndex;
  /** The tree of `text` (after an incremental check it is built on first use). */
  readonly parse: ParseResult;
  /** All diagnostics: syntax, regex and file semantics (engine/check). */
  diagnostics: Diagnostic[];
}

export function file(doc: AnalyzedDocument): ProbesFile {
  return doc.parse.file;
}

export function toRange(doc: AnalyzedDocument, span: Span): Range {
  const li = doc.lineIndex;
  return { start: li.positionAt(span.start), end: li.positionAt(span.end) };
}

export function toOffset(doc: AnalyzedDocument, pos: Position): number {
  return doc.lineIndex.offsetAt(pos);
}

export function contains(span: Span | undefined, offset: number): boolean {
  return !!span && span.start <= offset && offset <= span.end;
}

/** The directive on the line holding `offset`, found by binary search over file order. */
export function directiveAt(pf: ProbesFile, offset: number): Directive | undefined {
  const line = pf.lineIndex.lineOf(offset);
  return directiveOnLine(pf, line);
}

export function directiveOnLine(pf: ProbesFile, line: number): Directive | undefined {
  const ds = pf.directives;
  let lo = 0;
  let hi = ds.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const l = ds[mid].line;
    if (l === line) return ds[mid];
    if (l < line) lo = mid + 1;
    else hi = mid - 1;
  }
  return undefined;
}

/** The probe block holding `offset` (its Probe line through its last directive). */
export function probeAt(pf: ProbesFile, offset: number): Probe | undefined {
  const ps = pf.probes;
  let lo = 0;
  let hi = ps.length - 1;
  let found: Probe | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (ps[mid].directive.span.start <= offset) {
      found = ps[mid];
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

export function probesByName(pf: ProbesFile): Map<string, Probe[]> {
  const map = new Map<string, Probe[]>();
  for (const p of pf.probes) {
    const list = map.get(p.directive.name);
    if (list) list.push(p);
    else map.set(p.directive.name, [p]);
  }
  return map;
}
