// Completion: what may be typed at the cursor. The line's prefix is scanned the way nmap's
// `ServiceProbeMatch::InitMatch` and `getNextTemplateField`-style readers walk a match line, so a
// half-typed line (the usual case while typing) still gets the right proposals.

import {
  CompletionItemKind,
  InsertTextFormat,
  type CompletionItem,
  type CompletionList,
  type Position,
} from 'vscode-languageserver-types';
import type { MatchDirective, Probe, ProbesFile } from '../grammar/ast';
import type { Pcre2Version } from '../regex/api';
import { directiveOnLine, probeAt, toOffset, type AnalyzedDocument } from './document';
import { capturingGroups } from './regex-groups';
import { groupCount } from './regex-info';
import { DEVICE_TYPES, DIRECTIVES, TEMPLATE_HELPERS, VERSION_FIELDS } from './vocabulary';

export interface CompletionContext {
  pcre2Version?: Pcre2Version;
}

/** Where on a match line the cursor is, from its text before the cursor. */
type MatchState =
  | { at: 'service' }
  | { at: 'pattern' }
  | { at: 'between'; present: string[] }
  | { at: 'value'; letters: string; valueSoFar: string };

export function scanMatchPrefix(prefix: string): MatchState | undefined {
  const head = /^(match|softmatch)(\s+)(\S*)/.exec(prefix);
  if (!head) return undefined;
  let i = head[0].length;
  if (i === prefix.length) return head[3] === '' && head[2].length ? { at: 'service' } : head[3] ? { at: 'service' } : undefined;
  while (prefix[i] === ' ' || prefix[i] === '\t') i++;
  if (prefix[i] !== 'm') return i === prefix.length ? { at: 'pattern' } : undefined;
  const delim = prefix[i + 1];
  if (delim === undefined) return { at: 'pattern' };
  const close = prefix.indexOf(delim, i + 2);
  if (close === -1) return { at: 'pattern' };
  i = close + 1;
  while (i < prefix.length && /[a-z]/i.test(prefix[i])) i++;
  const present: string[] = [];
  for (;;) {
    while (prefix[i] === ' ' || prefix[i] === '\t') i++;
    if (i >= prefix.length) return { at: 'between', present };
    const lm = /^(cpe:|[a-z])/i.exec(prefix.slice(i));
    if (!lm) return undefined;
    const letters = lm[1] === 'cpe:' ? 'cpe' : lm[1];
    const d = prefix[i + lm[1].length];
    if (d === undefined) return { at: 'between', present };
    const valueStart = i + lm[1].length + 1;
    const end = prefix.indexOf(d, valueStart);
    if (end === -1) return { at: 'value', letters, valueSoFar: prefix.slice(valueStart) };
    present.push(letters);
    i = end + 1;
    while (i < prefix.length && /[a-z]/i.test(prefix[i])) i++;
    if (i >= prefix.length) return { at: 'between', present: present.slice() };
  }
}

export function doComplete(doc: AnalyzedDocument, position: Position, ctx: CompletionContext = {}): CompletionList {
  const pf = doc.parse.file;
  const offset = toOffset(doc, position);
  const lineStart = pf.lineIndex.lineStarts[position.line] ?? 0;
  const prefix = doc.text.slice(lineStart, offset);
  const items: CompletionItem[] = [];
  const list = (): CompletionList => ({ isIncomplete: false, items });

  if (/^[A-Za-z]*$/.test(prefix)) {
    items.push(...directiveItems(pf, offset, position.line));
    return list();
  }
  if (/^#/.test(prefix)) return list();

  const probeHead = /^Probe\s+(\S*)$/.exec(prefix);
  if (probeHead) {
    for (const p of ['TCP', 'UDP']) items.push({ label: p, kind: CompletionItemKind.EnumMember });
    return list();
  }
  if (/^rarity\s+\d*$/.test(prefix)) {
    for (let r = 1; r <= 9; r++) items.push({ label: String(r), kind: CompletionItemKind.Value, sortText: String(r) });
    return list();
  }
  const fb = /^fallback\s+(.*)$/.exec(prefix);
  if (fb) {
    const owner = probeAt(pf, offset);
    const already = new Set(fb[1].split(',').map((s) => s.trim()));
    const seen = new Set<string>();
    for (const p of pf.probes) {
      const d = p.directive;
      if (p === owner || already.has(d.name) || seen.has(d.name)) continue;
      if (owner?.directive.protocol && d.protocol && d.protocol !== owner.directive.protocol) continue;
      seen.add(d.name);
      items.push({ label: d.name, kind: CompletionItemKind.Reference, detail: `Probe ${d.protocol ?? ''} line ${d.line + 1}` });
    }
    return list();
  }

  const state = scanMatchPrefix(prefix);
  if (!state) return list();
  if (state.at === 'service') {
    for (const s of serviceNames(pf)) items.push({ label: s, kind: CompletionItemKind.Value });
  } else if (state.at === 'between') {
    for (const f of VERSION_FIELDS) {
      if (f.letters !== 'cpe' && state.present.includes(f.letters)) continue;
      items.push({
        label: f.opener,
        kind: CompletionItemKind.Field,
        detail: f.label,
        documentation: f.doc,
        insertText: f.snippet,
        insertTextFormat: InsertTextFormat.Snippet,
      });
    }
  } else if (state.at === 'value') {
    const directive = directiveOnLine(pf, position.line);
    const match = directive && (directive.kind === 'match' || directive.kind === 'softmatch') ? directive : undefined;
    items.push(...valueItems(pf, state.letters, state.valueSoFar, match, ctx, position));
  }
  return list();
}

function directiveItems(pf: ProbesFile, offset: number, line: number): CompletionItem[] {
  const probe = probeAt(pf, offset);
  const before = !probe || (probe.directive.line >= line);
  const out: CompletionItem[] = [];
  for (const d of DIRECTIVES) {
    if (before) {
      if (d.scope === 'probe') continue;
      if (d.keyword === 'Exclude' && pf.exclude && pf.exclude.line !== line) continue;
    } else {
      if (d.scope === 'top') continue;
      if (d.oncePerProbe && present(probe, d.keyword, line)) continue;
    }
    out.push({
      label: d.keyword,
      kind: CompletionItemKind.Keyword,
      detail: d.syntax,
      documentation: { kind: 'markdown', value: d.doc },
      insertText: d.snippet,
      insertTextFormat: InsertTextFormat.Snippet,
    });
  }
  return out;
}

function present(p: Probe | undefined, keyword: string, line: number): boolean {
  return !!p && p.directives.some((d) => d.kind === keyword && d.line !== line);
}

function serviceNames(pf: ProbesFile): string[] {
  const set = new Set<string>();
  for (const p of pf.probes) for (const m of p.matches) if (m.service) set.add(m.service);
  return [...set].sort();
}

function valueItems(
  pf: ProbesFile,
  letters: string,
  soFar: string,
  match: MatchDirective | undefined,
  ctx: CompletionContext,
  position: Position,
): CompletionItem[] {
  const out: CompletionItem[] = [];
  if (/\$[A-Z]*$/.test(soFar)) {
    // Replace from the `$` already typed, so accepting `$1` never leaves `$$1`.
    const typed = soFar.length - soFar.lastIndexOf('$');
    const range = { start: { line: position.line, character: position.character - typed }, end: position };
    const count = match ? (groupCount(match, ctx.pcre2Version) ?? (match.pattern ? capturingGroups(match.pattern.value).length : 0)) : 0;
    const groups = match?.pattern ? capturingGroups(match.pattern.value) : [];
    for (let n = 1; n <= Math.min(count, 9); n++) {
      const g = groups[n - 1];
      out.push({
        label: `$${n}`,
        kind: CompletionItemKind.Variable,
        detail: g && match?.pattern ? match.pattern.value.slice(g.start, g.end) : `group ${n}`,
        textEdit: { range, newText: `$${n}` },
        filterText: `$${n}`,
        sortText: `0${n}`,
      });
    }
    for (const h of TEMPLATE_HELPERS) {
      out.push({
        label: h.syntax,
        kind: CompletionItemKind.Function,
        documentation: h.doc,
        textEdit: { range, newText: h.snippet },
        insertTextFormat: InsertTextFormat.Snippet,
        filterText: h.name,
        sortText: `1${h.name}`,
      });
    }
    return out;
  }
  if (letters === 'd') {
    for (const t of DEVICE_TYPES) out.push({ label: t, kind: CompletionItemKind.EnumMember });
    return out;
  }
  if (letters === 'cpe') {
    const parts = soFar.split(':');
    if (parts.length === 1) {
      for (const p of ['a', 'h', 'o']) out.push({ label: p, kind: CompletionItemKind.EnumMember });
    } else if (parts.length === 2) {
      for (const v of cpeValues(pf, (c) => (c[0] === parts[0] ? c[1] : undefined))) out.push({ label: v, kind: CompletionItemKind.Value });
    } else if (parts.length === 3) {
      for (const v of cpeValues(pf, (c) => (c[0] === parts[0] && c[1] === parts[1] ? c[2] : undefined)))
        out.push({ label: v, kind: CompletionItemKind.Value });
    }
  }
  return out;
}

function cpeValues(pf: ProbesFile, pick: (components: string[]) => string | undefined): string[] {
  const set = new Set<string>();
  for (const p of pf.probes)
    for (const m of p.matches)
      for (const vf of m.versionInfo) {
        if (vf.name !== 'cpe') continue;
        const v = pick(vf.field.value.split(':'));
        if (v && !v.includes('$')) set.add(v);
      }
  return [...set].sort();
}
