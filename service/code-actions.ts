// Quick fixes for diagnostics whose fix is clear. Each fix is computed from the tree at the
// diagnostic's place (and from its `data` when the check provided one), so it does not depend on
// the wording of a message: remove a duplicate port, merge a second ports line into the first,
// rewrite an octal trap `\0N` as `\0\x3N`, clamp a rarity into 1–9, add a missing closing
// delimiter, and replace an unknown fallback with the nearest probe name.

import {
  CodeActionKind,
  type CodeAction,
  type Diagnostic as LspDiagnostic,
  type Range,
  type TextEdit,
} from 'vscode-languageserver-types';
import type { DelimitedField, Directive, PortsDirective, Probe, ProbesFile, Span } from '../grammar/ast';
import { directiveOnLine, probeAt, toRange, type AnalyzedDocument } from './document';
import type { DiagnosticData } from './validate';

export function doCodeActions(doc: AnalyzedDocument, range: Range, diagnostics: LspDiagnostic[]): CodeAction[] {
  const out: CodeAction[] = [];
  const pf = doc.parse.file;
  for (const diag of diagnostics) {
    const span = spanOf(doc, diag);
    const d = directiveOnLine(pf, diag.range.start.line);
    if (!d) continue;
    const data = (diag.data as DiagnosticData | undefined)?.data;
    const fixes = [
      duplicatePort(doc, d, span),
      mergePorts(doc, d, span),
      octalTrap(doc, d, span, data),
      clampRarity(doc, d),
      closeDelimiter(doc, d, span),
      unknownFallback(doc, d, span, data),
    ];
    for (const f of fixes) if (f) out.push({ ...f, kind: CodeActionKind.QuickFix, diagnostics: [diag], isPreferred: true });
  }
  void range;
  return out;
}

type Fix = Omit<CodeAction, 'kind' | 'diagnostics'> | undefined;

function spanOf(doc: AnalyzedDocument, diag: LspDiagnostic): Span {
  const data = diag.data as DiagnosticData | undefined;
  if (data && typeof data.start === 'number' && typeof data.end === 'number') return { start: data.start, end: data.end };
  const li = doc.parse.file.lineIndex;
  return { start: li.offsetAt(diag.range.start), end: li.offsetAt(diag.range.end) };
}

function edit(doc: AnalyzedDocument, title: string, edits: { span: Span; text: string }[]): Fix {
  const changes: TextEdit[] = edits.map((e) => ({ range: toRange(doc, e.span), newText: e.text }));
  return { title, edit: { changes: { [doc.uri]: changes } } };
}

function overlaps(a: Span, b: Span): boolean {
  return a.start < b.end && b.start < a.end;
}

/** A port range that repeats a port already covered on the same ports line or an earlier one. */
function duplicatePort(doc: AnalyzedDocument, d: Directive, span: Span): Fix {
  if (d.kind !== 'ports' && d.kind !== 'sslports' && d.kind !== 'Exclude') return undefined;
  const idx = d.ranges.findIndex((r) => overlaps(r.span, span) || (r.span.start === span.start && span.end === span.start));
  if (idx < 0) return undefined;
  const r = d.ranges[idx];
  const earlier = d.ranges.slice(0, idx).some((o) => o.protocol === r.protocol && o.start <= r.start && r.end <= o.end);
  const probe = d.kind === 'Exclude' ? undefined : probeAt(doc.parse.file, d.span.start);
  const inOther = probe?.[d.kind as 'ports' | 'sslports'].some(
    (other) => other !== d && other.line < d.line && other.ranges.some((o) => o.start <= r.start && r.end <= o.end),
  );
  if (!earlier && !inOther) return undefined;
  return edit(doc, `Remove duplicate port ${r.start === r.end ? r.start : `${r.start}-${r.end}`}`, [{ span: removalSpan(doc.text, d.ranges.map((x) => x.span), idx), text: '' }]);
}

/** The span to delete to remove list item `idx` with one of its separating commas. */
export function removalSpan(text: string, items: Span[], idx: number): Span {
  const item = items[idx];
  if (idx + 1 < items.length) return { start: item.start, end: items[idx + 1].start };
  if (idx > 0) return { start: items[idx - 1].end, end: item.end };
  return item;
}

/** A second `ports` (or `sslports`) line of a probe: move its ports onto the first line. */
function mergePorts(doc: AnalyzedDocument, d: Directive, span: Span): Fix {
  if (d.kind !== 'ports' && d.kind !== 'sslports') return undefined;
  const probe = probeAt(doc.parse.file, d.span.start);
  const lines: PortsDirective[] = probe ? probe[d.kind] : [];
  if (lines.length < 2 || lines[0] === d || !overlaps(d.span, { start: span.start, end: Math.max(span.end, span.start + 1) })) return undefined;
  const first = lines[0];
  const known = (p: number) => first.ranges.some((o) => o.start <= p && p <= o.end);
  const added = d.ranges.filter((r) => !(known(r.start) && known(r.end))).map((r) => doc.text.slice(r.span.start, r.span.end));
  const lastFirst = first.ranges[first.ranges.length - 1];
  const insertAt = lastFirst ? lastFirst.span.end : first.span.end;
  const lineStarts = doc.parse.file.lineIndex.lineStarts;
  const wholeLine = { start: lineStarts[d.line], end: lineStarts[d.line + 1] ?? doc.text.length };
  const edits = [{ span: wholeLine, text: '' }];
  if (added.length) edits.unshift({ span: { start: insertAt, end: insertAt }, text: (lastFirst ? ',' : ' ') + added.join(',') });
  return edit(doc, `Merge into the ${d.kind} line ${first.line + 1}`, edits);
}

/** `\0` followed by octal digits reads as one octal escape in PCRE2; spell the digits as hex. */
function octalTrap(doc: AnalyzedDocument, d: Directive, span: Span, data?: Record<string, unknown>): Fix {
  if ((d.kind !== 'match' && d.kind !== 'softmatch') || !d.pattern) return undefined;
  const value = d.pattern.value;
  const base = d.pattern.valueSpan.start;
  const re = /\\0([0-7]{1,2})/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(value))) {
    // Count the backslashes before: `\\0` is an escaped backslash followed by "0".
    let bs = 0;
    for (let k = m.index - 1; k >= 0 && value[k] === '\\'; k--) bs++;
    if (bs % 2) continue;
    const at: Span = { start: base + m.index, end: base + m.index + m[0].length };
    if (!overlaps(at, { start: span.start, end: Math.max(span.end, span.start + 1) })) continue;
    const replacement =
      typeof data?.replacement === 'string' ? data.replacement : '\\0' + [...m[1]].map((c) => '\\x3' + c).join('');
    return edit(doc, `Rewrite ${m[0]} as ${replacement} (NUL followed by "${m[1]}")`, [{ span: at, text: replacement }]);
  }
  return undefined;
}

function clampRarity(doc: AnalyzedDocument, d: Directive): Fix {
  if (d.kind !== 'rarity' || d.value === undefined || (d.value >= 1 && d.value <= 9)) return undefined;
  const v = d.value < 1 ? 1 : 9;
  return edit(doc, `Set rarity to ${v}`, [{ span: d.valueSpan, text: String(v) }]);
}

function closeDelimiter(doc: AnalyzedDocument, d: Directive, span: Span): Fix {
  const fields: DelimitedField[] = [];
  if (d.kind === 'Probe' && d.probeString) fields.push(d.probeString);
  if (d.kind === 'match' || d.kind === 'softmatch') {
    if (d.pattern) fields.push(d.pattern);
    for (const vf of d.versionInfo) fields.push(vf.field);
  }
  const f = fields.find((x) => !x.closed && x.delimiter && overlaps(x.span, { start: span.start, end: Math.max(span.end, span.start + 1) }));
  if (!f) return undefined;
  // Trailing blanks stay outside the field: nmap's fields never end in the line's trailing space.
  let end = f.valueSpan.end;
  while (end > f.valueSpan.start && /\s/.test(doc.text[end - 1])) end--;
  return edit(doc, `Add the closing delimiter ${f.delimiter}`, [{ span: { start: end, end }, text: f.delimiter }]);
}

function unknownFallback(doc: AnalyzedDocument, d: Directive, span: Span, data?: Record<string, unknown>): Fix {
  if (d.kind !== 'fallback') return undefined;
  const pf: ProbesFile = doc.parse.file;
  const owner = probeAt(pf, d.span.start);
  const n = d.names.find((x) => overlaps(x.span, { start: span.start, end: Math.max(span.end, span.start + 1) }));
  if (!n) return undefined;
  const candidates = pf.probes.filter(
    (p: Probe) => p !== owner && (!owner?.directive.protocol || !p.directive.protocol || p.directive.protocol === owner.directive.protocol),
  );
  if (candidates.some((p) => p.directive.name === n.name)) return undefined;
  const suggested = typeof data?.suggestion === 'string' ? data.suggestion : nearest(n.name, candidates.map((p) => p.directive.name));
  if (!suggested) return undefined;
  return edit(doc, `Replace with probe ${suggested}`, [{ span: n.span, text: suggested }]);
}

export function nearest(word: string, names: string[]): string | undefined {
  let best: string | undefined;
  let bestScore = Infinity;
  for (const name of names) {
    const s = distance(word.toLowerCase(), name.toLowerCase());
    if (s < bestScore) {
      best = name;
      bestScore = s;
    }
  }
  return best !== undefined && bestScore <= Math.max(2, Math.floor(word.length / 2)) ? best : undefined;
}

function distance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length];
}
