// Go to definition and find references: a fallback name ↔ its Probe line, and a service name ↔
// every match/softmatch line naming it. nmap looks fallbacks up by name within the same protocol
// (`ServiceProbe::setFallback` callers in `AllProbes::compileFallbacks`), and so do we.

import type { Location, Position } from 'vscode-languageserver-types';
import type { Probe, ProbesFile, Span } from '../grammar/ast';
import { probeAt, probesByName, toOffset, toRange, type AnalyzedDocument } from './document';
import { locate } from './locate';

function probeNamed(pf: ProbesFile, name: string, owner: Probe | undefined): Probe | undefined {
  const list = probesByName(pf).get(name) ?? [];
  return list.find((p) => p.directive.protocol === owner?.directive.protocol) ?? list[0];
}

export function findDefinition(doc: AnalyzedDocument, position: Position): Location[] {
  const pf = doc.parse.file;
  const offset = toOffset(doc, position);
  const t = locate(pf, offset);
  if (!t) return [];
  if (t.kind === 'fallbackName') {
    const p = probeNamed(pf, t.name, probeAt(pf, offset));
    return p ? [{ uri: doc.uri, range: toRange(doc, p.directive.nameSpan) }] : [];
  }
  if (t.kind === 'service') {
    // The first line naming the service stands for its definition.
    const first = serviceSpans(pf, t.directive.service)[0];
    return first ? [{ uri: doc.uri, range: toRange(doc, first) }] : [];
  }
  return [];
}

export function findReferences(doc: AnalyzedDocument, position: Position, includeDeclaration = true): Location[] {
  const pf = doc.parse.file;
  const offset = toOffset(doc, position);
  const t = locate(pf, offset);
  if (!t) return [];
  let spans: Span[] = [];
  if (t.kind === 'service') spans = serviceSpans(pf, t.directive.service);
  else if (t.kind === 'fallbackName' || t.kind === 'probeName') {
    const name = t.kind === 'fallbackName' ? t.name : t.directive.name;
    const target = t.kind === 'probeName' ? pf.probes.find((p) => p.directive === t.directive) : probeNamed(pf, name, probeAt(pf, offset));
    if (target && includeDeclaration) spans.push(target.directive.nameSpan);
    for (const p of pf.probes) {
      if (target?.directive.protocol && p.directive.protocol && p.directive.protocol !== target.directive.protocol) continue;
      for (const f of p.fallback) for (const n of f.names) if (n.name === name) spans.push(n.span);
    }
  }
  return spans.map((s) => ({ uri: doc.uri, range: toRange(doc, s) }));
}

function serviceSpans(pf: ProbesFile, service: string): Span[] {
  const out: Span[] = [];
  for (const p of pf.probes) for (const m of p.matches) if (m.service === service) out.push(m.serviceSpan);
  return out;
}
