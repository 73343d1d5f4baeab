// grammar/: parse(text) → { file, diagnostics }. Never throws, whatever the input.

import type { ParseResult, ProbesFile } from './ast';
import { AstBuilder, Reporter } from './build-ast';
import { releaseContentCache } from './char-class';
import { LineIndex, NMAP_LINE_LIMIT, utf8Length } from './line-index';
import { ProbesParser } from './parser';
import { commentEnd, createProbesLexer, resetFieldIssues, tokenEnd as end } from './tokens';

export type * from './ast';
export type { Diagnostic, Severity } from './diagnostic';
export { DIAGNOSTIC_CODES, type DiagnosticCode } from './diagnostic-codes';
export { LineIndex, NMAP_LINE_LIMIT, nmapLineCut, toBinaryString } from './line-index';


/**
 * The one lexer and parser, built at the first parse rather than at load, so that a process that
 * only imports grammar/ (or parses nothing) does not pay Chevrotain's grammar analysis.
 */
let machine: { lexer: ReturnType<typeof createProbesLexer>; parser: ProbesParser } | undefined;

export function parse(text: string): ParseResult {
  const out = new Reporter();
  const index = new LineIndex(text);
  let file: ProbesFile;
  try {
    machine ??= { lexer: createProbesLexer(), parser: new ProbesParser() };
    resetFieldIssues();
    const lexed = machine.lexer.tokenize(text);
    const builder = new AstBuilder(text, index, out);
    const errors = machine.parser.parseInto(lexed.tokens, builder);
    for (const e of errors) {
      const t = e.token;
      const start = t.startOffset >= 0 && !Number.isNaN(t.startOffset) ? t.startOffset : text.length;
      out.report('NSP126', { start, end: Math.max(start, end(t)) }, `Unexpected text: ${e.message}`);
    }
    file = builder.finish();
    for (const c of lexed.groups.comments ?? []) file.comments.push({ start: c.startOffset, end: commentEnd(text, c) });
    for (const n of lexed.groups.nul ?? []) {
      const line = index.lineOf(n.startOffset);
      if (text.charCodeAt(index.lineStarts[line]) === 35) continue; // nmap never reads past a comment's "#"
      out.report('NSP123', { start: n.startOffset, end: n.startOffset + 1 }, 'NUL byte: nmap reads each line as a C string and ignores everything from here to the end of the line.');
    }
  } catch (e) {
    // A bug of ours must not take the editor down: report it where the user can see it.
    file = { text, lineIndex: index, directives: [], probes: [], comments: [] };
    out.report('NSP126', { start: 0, end: Math.min(text.length, 1) }, `Internal parser error, please report it: ${String(e)}`);
  } finally {
    releaseContentCache();
    resetFieldIssues();
  }
  checkLineLengths(text, index, out);
  out.diagnostics.sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
  return { file, diagnostics: out.diagnostics };
}

function checkLineLengths(text: string, index: LineIndex, out: Reporter): void {
  const starts = index.lineStarts;
  for (let l = 0; l < starts.length; l++) {
    const start = starts[l];
    const end = l + 1 < starts.length ? starts[l + 1] - 1 : text.length;
    // A UTF-16 unit is at most 3 UTF-8 bytes: shorter lines cannot reach the limit.
    if ((end - start) * 3 < NMAP_LINE_LIMIT) continue;
    const bytes = utf8Length(text, start, end);
    if (bytes < NMAP_LINE_LIMIT) continue;
    out.report('NSP122', { start, end: Math.min(end, start + 1) }, `This line is ${bytes} bytes long; nmap's line buffer holds ${NMAP_LINE_LIMIT} (nmap 7.93's held 2047). Split the pattern or shorten it.`, { bytes });
  }
}
