// Diagnostics: the engine's diagnostics (grammar + regex + semantics) as LSP diagnostics.
// Ranges come from the parse's LineIndex; the original `data` travels with the diagnostic so that
// code actions can build their fix from it without re-running the checks.

import { DiagnosticSeverity, type Diagnostic as LspDiagnostic } from 'vscode-languageserver-types';
import type { Diagnostic, Severity } from '../grammar/diagnostic';
import { toRange, type AnalyzedDocument } from './document';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** What a code action receives back in `Diagnostic.data`. */
export interface DiagnosticData {
  code: string;
  start: number;
  end: number;
  data?: Record<string, unknown>;
}

/**
 * Messages longer than this are cut. The checks quote user text only in short excerpts today; this
 * keeps it so for any future message, since on a 10 MB line one quoted field would otherwise travel
 * to the editor (and into its Problems view) in full.
 */
export const MAX_MESSAGE_LENGTH = 1000;

function clip(message: string): string {
  return message.length > MAX_MESSAGE_LENGTH ? message.slice(0, MAX_MESSAGE_LENGTH - 1) + '…' : message;
}

export function toLspDiagnostic(doc: AnalyzedDocument, d: Diagnostic): LspDiagnostic {
  const out: LspDiagnostic = {
    range: toRange(doc, d.span),
    severity: SEVERITY[d.severity] ?? DiagnosticSeverity.Error,
    code: d.code,
    source: 'nsp',
    message: clip(d.message),
    data: { code: d.code, start: d.span.start, end: d.span.end, data: d.data } satisfies DiagnosticData,
  };
  if (d.related && d.related.length) {
    out.relatedInformation = d.related.map((r) => ({
      location: { uri: doc.uri, range: toRange(doc, r.span) },
      message: clip(r.message),
    }));
  }
  return out;
}

export function doValidation(doc: AnalyzedDocument, maxProblems = 10000): LspDiagnostic[] {
  const list = doc.diagnostics.length > maxProblems ? doc.diagnostics.slice(0, maxProblems) : doc.diagnostics;
  return list.map((d) => toLspDiagnostic(doc, d));
}
