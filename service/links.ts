// Document links: each cpe field links to NVD's CPE search for its name, so a reviewer can see
// whether the vendor:product exists in the dictionary.

import type { DocumentLink } from 'vscode-languageserver-types';
import { toRange, type AnalyzedDocument } from './document';

export function findDocumentLinks(doc: AnalyzedDocument): DocumentLink[] {
  const out: DocumentLink[] = [];
  for (const p of doc.parse.file.probes)
    for (const m of p.matches)
      for (const vf of m.versionInfo) {
        if (vf.name !== 'cpe' || !vf.field.value || vf.field.value.includes('$')) continue;
        const keyword = encodeURIComponent(`cpe:/${vf.field.value}`);
        out.push({
          range: toRange(doc, vf.field.valueSpan),
          target: `https://nvd.nist.gov/products/cpe/search/results?namingFormat=2.2&keyword=${keyword}`,
          tooltip: `Look up cpe:/${vf.field.value} in the NVD CPE dictionary`,
        });
      }
  return out;
}
