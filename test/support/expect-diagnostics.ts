// Fixture expectations written where they apply: a `#` comment line under the line it describes,
// with carets under the offending columns, then `severity[CODE]: message`:
//
//   Probe tcp NULL q||
//   #     ^^^ error[NSP105]: Invalid protocol "tcp": …
//
// Column 0 is the "#" itself, so a range starting at column 0 shows its first column as "#".
// The helper strips these lines, runs the checker on what is left, renders the actual
// diagnostics the same way and compares the whole text: a missing or an extra diagnostic fails.
// UPDATE_EXPECT=1 rewrites the fixture with what the checker says now (review the diff).

import { readFileSync, writeFileSync } from 'node:fs';
import { strict as assert } from 'node:assert';
import type { Diagnostic } from '../../grammar/diagnostic';
import { LineIndex } from '../../grammar/line-index';

const EXPECTATION = /^#[ ^]*(error|warning|information|hint)\[NSP\d{3}\]: /;

export function isExpectationLine(line: string): boolean {
  return EXPECTATION.test(line);
}

/** The fixture text without its expectation lines: the document the checker sees. */
export function stripExpectations(text: string): string {
  return text.split('\n').filter((l) => !isExpectationLine(l)).join('\n');
}

/** Render diagnostics of `text` as expectation lines under the lines they start on. */
export function renderExpectations(text: string, diagnostics: readonly Diagnostic[]): string {
  const index = new LineIndex(text);
  const byLine = new Map<number, Diagnostic[]>();
  for (const d of diagnostics) {
    const line = index.lineOf(d.span.start);
    (byLine.get(line) ?? byLine.set(line, []).get(line)!).push(d);
  }
  const lines = text.split('\n');
  const out: string[] = [];
  lines.forEach((line, l) => {
    out.push(line);
    for (const d of byLine.get(l) ?? []) {
      const start = d.span.start - index.lineStarts[l];
      const endLine = index.lineOf(Math.max(d.span.start, d.span.end - 1));
      const end = endLine === l ? d.span.end - index.lineStarts[l] : index.lineEnd(l) - index.lineStarts[l];
      const width = Math.max(1, end - start);
      const ruler = (' '.repeat(start) + '^'.repeat(width)).split('');
      ruler[0] = '#';
      const more = endLine !== l ? ` (to line ${endLine + 1})` : '';
      out.push(`${ruler.join('')} ${d.severity}[${d.code}]: ${d.message.replace(/\n/g, ' ')}${more}`);
    }
  });
  return out.join('\n');
}

/**
 * Check one fixture file: `check` gets the fixture without its expectation lines and returns
 * diagnostics. Fails with a readable diff unless the rendered result equals the file.
 */
export function expectDiagnostics(path: string, check: (text: string) => readonly Diagnostic[]): void {
  const fixture = readFileSync(path, 'utf8');
  const text = stripExpectations(fixture);
  const rendered = renderExpectations(text, check(text));
  if (rendered !== fixture && process.env.UPDATE_EXPECT === '1') {
    writeFileSync(path, rendered);
    return;
  }
  assert.equal(rendered, fixture, `${path}: diagnostics differ (run with UPDATE_EXPECT=1 to rewrite, then review the diff)`);
}
