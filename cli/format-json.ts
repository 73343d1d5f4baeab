// `--format json`: a stable, documented shape for scripts. Lines and columns are 1-based; the
// column counts characters, and endColumn is exclusive (see format.ts).
//
//   {"files":[{"path":"…","diagnostics":[{"line","column","endLine","endColumn","severity","code","message"}]}]}

import type { FileResult } from './format';

export function formatJson(results: readonly FileResult[]): string {
  const files = results.map((r) => ({
    path: r.path,
    diagnostics: r.findings.map((f) => ({
      line: f.line,
      column: f.column,
      endLine: f.endLine,
      endColumn: f.endColumn,
      severity: f.severity,
      code: f.code,
      message: f.message,
    })),
  }));
  return JSON.stringify({ files }) + '\n';
}
