// Folding: one range per probe block, and one per run of two or more comment lines.

import { FoldingRangeKind, type FoldingRange } from 'vscode-languageserver-types';
import type { AnalyzedDocument } from './document';

export function getFoldingRanges(doc: AnalyzedDocument): FoldingRange[] {
  const pf = doc.parse.file;
  const li = pf.lineIndex;
  const out: FoldingRange[] = [];
  for (const p of pf.probes) {
    const start = p.directive.line;
    const end = li.lineOf(Math.max(p.span.start, p.span.end - 1));
    if (end > start) out.push({ startLine: start, endLine: end });
  }
  let runStart = -1;
  let prev = -2;
  for (const c of pf.comments) {
    const line = li.lineOf(c.start);
    if (line !== prev + 1) {
      if (runStart >= 0 && prev > runStart) out.push({ startLine: runStart, endLine: prev, kind: FoldingRangeKind.Comment });
      runStart = line;
    }
    prev = line;
  }
  if (runStart >= 0 && prev > runStart) out.push({ startLine: runStart, endLine: prev, kind: FoldingRangeKind.Comment });
  return out.sort((a, b) => a.startLine - b.startLine);
}
