// `--format sarif`: a SARIF 2.1.0 log for GitHub code scanning (`github/codeql-action/upload-sarif`)
// and other SARIF viewers. One run; the driver lists a rule per diagnostic code that occurs, and
// every result points at its rule by id and index. Columns are code points (`columnKind`), regions
// are 1-based with an exclusive end column, as SARIF defines them.
//
// Paths given relative to the working directory are written as relative URIs under %SRCROOT%, which
// is how code scanning maps them onto the repository when nsp runs from the checkout's root.
// Absolute paths become file: URIs.

import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { FileResult, Finding } from './format';
import type { Severity } from '../grammar/diagnostic';
import { version } from '../package.json';
import { DIAGNOSTIC_CODES } from '../grammar/diagnostic-codes';
import { INVALID_UTF8_CODE } from './format-input';

type Level = 'error' | 'warning' | 'note';
const LEVEL: Record<Severity, Level> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

/** An artifact URI for a path: relative paths keep their slashes, each segment percent-encoded. */
export function artifactLocation(path: string): { uri: string; uriBaseId?: string } {
  if (isAbsolute(path)) return { uri: pathToFileURL(path).href };
  const segments = path
    .replace(/\\/g, '/')
    .split('/')
    .filter((s, i) => !(s === '.' || (s === '' && i > 0)));
  return { uri: segments.map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' };
}

function region(f: { line: number; column: number; endLine: number; endColumn: number }) {
  return { startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: f.endColumn };
}

/** The one-line meaning of a code, from the table of codes (grammar/diagnostic-codes.ts). */
function ruleTitle(code: string): string {
  if (code === INVALID_UTF8_CODE) return 'The file is not valid UTF-8.';
  const info = (DIAGNOSTIC_CODES as Record<string, { title: string } | undefined>)[code];
  return info?.title ?? `nsp diagnostic ${code}`;
}

export function formatSarif(results: readonly FileResult[]): string {
  // Rules in order of first appearance, sorted by code so two runs on the same files agree.
  const firstSeen = new Map<string, Finding>();
  for (const r of results) for (const f of r.findings) if (!firstSeen.has(f.code)) firstSeen.set(f.code, f);
  const codes = [...firstSeen.keys()].sort();
  const ruleIndex = new Map(codes.map((c, i) => [c, i]));
  const rules = codes.map((code) => ({
    id: code,
    name: code,
    shortDescription: { text: ruleTitle(code) },
    defaultConfiguration: { level: LEVEL[firstSeen.get(code)!.severity] },
  }));

  const sarifResults = results.flatMap((r) =>
    r.findings.map((f) => {
      const location = { physicalLocation: { artifactLocation: artifactLocation(r.path), region: region(f) } };
      const result: Record<string, unknown> = {
        ruleId: f.code,
        ruleIndex: ruleIndex.get(f.code),
        level: LEVEL[f.severity],
        message: { text: f.message },
        locations: [location],
      };
      if (f.related.length) {
        result.relatedLocations = f.related.map((rel, i) => ({
          id: i,
          physicalLocation: { artifactLocation: artifactLocation(r.path), region: region(rel) },
          message: { text: rel.message },
        }));
      }
      return result;
    }),
  );

  const log = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'nsp', version, semanticVersion: version, rules } },
        columnKind: 'unicodeCodePoints',
        results: sarifResults,
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}
