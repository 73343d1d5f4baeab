// What every output format of `nsp check` shares: a diagnostic placed at 1-based line:column
// positions, and the per-file result the formatters print.
//
// Inside nsp a position is a UTF-16 offset into the document text (grammar/ast.ts). Only here, at
// the edge, does it become a 1-based line and column. The column counts characters (Unicode code
// points) from the start of the line, as editors show them and as SARIF's `unicodeCodePoints`
// column kind defines them: a tab is one column, "é" is one column, an emoji is one column. Ends
// are exclusive: `endColumn` is the column just after the last character of the range, which is
// what SARIF and LSP mean by an end and what lets an empty range (an insertion point) be shown.

import type { Diagnostic, Severity } from '../grammar/diagnostic';
import { LineIndex } from '../grammar/line-index';

export interface Finding {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: Severity;
  code: string;
  message: string;
  related: RelatedFinding[];
}

export interface RelatedFinding {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  message: string;
}

export interface FileResult {
  /** The path as the user gave it (or the `--stdin-filename`, or "<stdin>"). */
  path: string;
  findings: Finding[];
}

export type FormatName = 'text' | 'json' | 'sarif' | 'github';
export const FORMAT_NAMES: FormatName[] = ['text', 'json', 'sarif', 'github'];

/** Turns UTF-16 offsets of one text into 1-based line and code-point column. */
export class Positioner {
  /** `index` may be given when a parse already built one for this text (ParseResult.file.lineIndex). */
  constructor(
    private readonly text: string,
    private readonly index: LineIndex = new LineIndex(text),
  ) {}

  /** 1-based line and column of a UTF-16 offset (clamped into the text). */
  position(offset: number): { line: number; column: number } {
    const at = Math.max(0, Math.min(Number.isFinite(offset) ? offset : 0, this.text.length));
    const line = this.index.lineOf(at);
    return { line: line + 1, column: codePointsBetween(this.text, this.index.lineStarts[line], at) + 1 };
  }

  /**
   * The 1-based range of a half-open span. A span that ends right after a line break is shown as
   * ending at the end of that line, not at column 1 of the next one.
   */
  range(start: number, end: number): { line: number; column: number; endLine: number; endColumn: number } {
    const s = this.position(start);
    let endAt = Math.max(start, end);
    if (endAt > start) {
      const endLine = this.index.lineOf(Math.min(endAt, this.text.length));
      if (this.index.lineStarts[endLine] === endAt && endLine > 0 && endLine > this.index.lineOf(start)) {
        // Step back over "\n" and a "\r" before it.
        endAt -= 1;
        if (endAt > start && this.text.charCodeAt(endAt - 1) === 13) endAt -= 1;
      }
    }
    const e = this.position(endAt);
    return { line: s.line, column: s.column, endLine: e.line, endColumn: e.column };
  }
}

/** Number of code points in text[from, to): a surrogate pair counts once. */
function codePointsBetween(text: string, from: number, to: number): number {
  let n = to - from;
  for (let i = from; i < to - 1; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, information: 2, hint: 3 };

/** Places diagnostics, in document order (then by severity and code, so output is stable). */
export function toFindings(diagnostics: readonly Diagnostic[], positioner: Positioner): Finding[] {
  const sorted = [...diagnostics].sort(
    (a, b) =>
      a.span.start - b.span.start ||
      a.span.end - b.span.end ||
      SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
      (a.code < b.code ? -1 : a.code > b.code ? 1 : 0),
  );
  return sorted.map((d) => ({
    ...positioner.range(d.span.start, d.span.end),
    severity: d.severity,
    code: d.code,
    message: d.message,
    related: (d.related ?? []).map((r) => ({ ...positioner.range(r.span.start, r.span.end), message: r.message })),
  }));
}

export interface Totals {
  files: number;
  error: number;
  warning: number;
  information: number;
  hint: number;
}

export function totals(results: readonly FileResult[]): Totals {
  const t: Totals = { files: results.length, error: 0, warning: 0, information: 0, hint: 0 };
  for (const r of results) for (const f of r.findings) t[f.severity]++;
  return t;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The closing line of the text and github formats, e.g. "2 files checked: 1 error, 3 warnings". */
export function summaryLine(results: readonly FileResult[]): string {
  const t = totals(results);
  const parts = [plural(t.error, 'error'), plural(t.warning, 'warning')];
  if (t.information) parts.push(`${t.information} info`);
  if (t.hint) parts.push(plural(t.hint, 'hint'));
  return `${plural(t.files, 'file')} checked: ${parts.join(', ')}`;
}
