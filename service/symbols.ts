// Outline (probes → their match lines) and workspace symbols (probes and services across every
// open document).

import { SymbolKind, type DocumentSymbol, type SymbolInformation } from 'vscode-languageserver-types';
import { toRange, type AnalyzedDocument } from './document';

export function findDocumentSymbols(doc: AnalyzedDocument): DocumentSymbol[] {
  const pf = doc.parse.file;
  const out: DocumentSymbol[] = [];
  if (pf.exclude) {
    out.push({
      name: 'Exclude',
      kind: SymbolKind.Property,
      range: toRange(doc, pf.exclude.span),
      selectionRange: toRange(doc, pf.exclude.keywordSpan),
    });
  }
  for (const p of pf.probes) {
    const d = p.directive;
    out.push({
      name: d.name || '(unnamed probe)',
      detail: `Probe ${d.protocol ?? ''}`.trim(),
      kind: SymbolKind.Module,
      range: toRange(doc, p.span),
      selectionRange: toRange(doc, d.nameSpan.end > d.nameSpan.start ? d.nameSpan : d.keywordSpan),
      children: p.matches.map((m) => ({
        name: m.service || '(no service)',
        detail: m.soft ? 'softmatch' : 'match',
        kind: m.soft ? SymbolKind.Event : SymbolKind.Function,
        range: toRange(doc, m.span),
        selectionRange: toRange(doc, m.serviceSpan.end > m.serviceSpan.start ? m.serviceSpan : m.keywordSpan),
      })),
    });
  }
  return out;
}

/** Probes whose name, and services whose name, contain the query (case-insensitive). */
export function findWorkspaceSymbols(docs: Iterable<AnalyzedDocument>, query: string, limit = 500): SymbolInformation[] {
  const q = query.toLowerCase();
  const out: SymbolInformation[] = [];
  for (const doc of docs) {
    for (const p of doc.parse.file.probes) {
      const d = p.directive;
      if (d.name.toLowerCase().includes(q))
        out.push({ name: d.name, kind: SymbolKind.Module, containerName: `Probe ${d.protocol ?? ''}`.trim(), location: { uri: doc.uri, range: toRange(doc, d.nameSpan) } });
      if (out.length >= limit) return out;
    }
    const seen = new Set<string>();
    for (const p of doc.parse.file.probes)
      for (const m of p.matches) {
        if (!m.service || seen.has(m.service) || !m.service.toLowerCase().includes(q)) continue;
        seen.add(m.service);
        out.push({ name: m.service, kind: SymbolKind.Function, containerName: p.directive.name, location: { uri: doc.uri, range: toRange(doc, m.serviceSpan) } });
        if (out.length >= limit) return out;
      }
  }
  return out;
}
