// Hover: what nmap does with the thing under the cursor. Directives and versioninfo fields are
// described from the vocabulary table; probe strings show their decoded bytes; regex tokens are
// explained by the regex layer; `$N` shows its group; ports show their nmap-services names; a
// fallback name shows the probe it names.

import { MarkupKind, type Hover, type Position } from 'vscode-languageserver-types';
import type { MatchDirective, Probe, ProbeDirective } from '../grammar/ast';
import type { Pcre2Version } from '../regex/api';
import { escapeBytes, hexDump, probeEscapeAt } from './bytes';
import { probesByName, toOffset, toRange, type AnalyzedDocument } from './document';
import { NMAP_LINE_LIMIT, overLineLimit } from './line-limit';
import { locate, type Target } from './locate';
import { capturingGroups, groupReferences } from './regex-groups';
import { explainAt, groupCount, patternByteOffset } from './regex-info';
import { servicesFor, type ServicesTable } from './services-table';
import {
  CPE_PARTS,
  DEVICE_TYPES,
  DIRECTIVE_BY_KEYWORD,
  OTHER_KEYWORDS,
  PROBE_STRING_ESCAPES,
  REGEX_FLAGS,
  TEMPLATE_HELPERS,
  VERSION_FIELD_BY_LETTERS,
} from './vocabulary';

export interface HoverContext {
  services?: ServicesTable;
  pcre2Version?: Pcre2Version;
}

export function doHover(doc: AnalyzedDocument, position: Position, ctx: HoverContext = {}): Hover | null {
  const pf = doc.parse.file;
  const offset = toOffset(doc, position);
  const t = locate(pf, offset);
  if (!t) return null;
  // nmap refuses the whole line before reading it; say so instead of analysing megabytes of it.
  const md = overLineLimit(t.directive) ? overLongHover(doc, t.directive.line) : hoverText(doc, t, offset, ctx);
  if (!md) return null;
  return { contents: { kind: MarkupKind.Markdown, value: md }, range: toRange(doc, t.span) };
}

function hoverText(doc: AnalyzedDocument, t: Target, offset: number, ctx: HoverContext): string | undefined {
  switch (t.kind) {
    case 'keyword':
      return directiveDoc(t.directive.kind === 'unknown' ? '' : t.directive.kind, t.directive);
    case 'protocol':
      return `**${t.directive.protocol ?? 'protocol'}** — the probe is sent over ${t.directive.protocol === 'UDP' ? 'UDP (one datagram)' : 'a TCP connection'}. nmap accepts \`${OTHER_KEYWORDS.protocols.join('` or `')}\`.`;
    case 'probeName':
      return probeSummary(probeOf(doc, t.directive));
    case 'noPayload':
      return '`no-payload`: nmap takes this UDP probe\'s payload from its payload database (nmap-payloads) instead of the probe string.';
    case 'probeString':
      return probeStringHover(t.directive, t.field.value, t.index);
    case 'service':
      return serviceHover(doc, t.directive.service);
    case 'pattern':
      return patternHover(t.directive, t.index, ctx.pcre2Version);
    case 'patternFlags':
      return REGEX_FLAGS.filter((f) => t.field.flags.includes(f.flag))
        .map((f) => `\`${f.flag}\` — ${f.doc}`)
        .join('\n\n') || `Unknown regex flags \`${t.field.flags}\`: nmap accepts only \`i\` and \`s\`.`;
    case 'fieldLetters': {
      const info = VERSION_FIELD_BY_LETTERS.get(t.field.name ?? '');
      return info ? `**${info.opener}…/** — ${info.label}\n\n${info.doc}` : `Unknown versioninfo field \`${t.field.field.letters}\`.`;
    }
    case 'fieldFlags':
      return t.field.name === 'cpe'
        ? '`a` after a cpe field: nmap reads it as part of the field and ignores it.'
        : `Flags \`${t.field.field.flags}\` after a versioninfo field.`;
    case 'fieldValue':
      return fieldValueHover(t.directive, t.field.name, t.field.field.value, t.index, ctx.pcre2Version);
    case 'port':
      return portHover(doc, t.directive, t.range, ctx.services);
    case 'number':
      return numberHover(t.directive.kind, t.directive.value);
    case 'fallbackName': {
      const owner = probeOfOffset(doc, offset);
      const candidates = probesByName(doc.parse.file).get(t.name) ?? [];
      const target = candidates.find((p) => p.directive.protocol === owner?.directive.protocol) ?? candidates[0];
      return target ? probeSummary(target) : `No probe named \`${t.name}\` in this file: nmap refuses an unknown fallback.`;
    }
  }
}

function overLongHover(doc: AnalyzedDocument, line: number): string {
  const li = doc.lineIndex;
  const start = li.lineStarts[line];
  const end = line + 1 < li.lineStarts.length ? li.lineStarts[line + 1] - 1 : doc.text.length;
  return `This line is ${(end - start).toLocaleString('en-US')} characters long: nmap's line buffer holds ${NMAP_LINE_LIMIT} bytes, so nmap refuses it before reading it, and nsp does not analyse it further (NSP122).`;
}

function directiveDoc(keyword: string, d: { kind: string }): string | undefined {
  const info = DIRECTIVE_BY_KEYWORD.get(keyword);
  if (!info) return d.kind === 'unknown' ? 'Unknown directive: nmap refuses this line.' : undefined;
  const lines = [`**${info.keyword}**`, '```\n' + info.syntax + '\n```', info.doc];
  if (info.values) lines.push(`Allowed values: ${info.values}`);
  if (info.defaultValue) lines.push(`Default: \`${info.defaultValue}\``);
  return lines.join('\n\n');
}

function probeOf(doc: AnalyzedDocument, d: ProbeDirective): Probe | undefined {
  return doc.parse.file.probes.find((p) => p.directive === d);
}

function probeOfOffset(doc: AnalyzedDocument, offset: number): Probe | undefined {
  let found: Probe | undefined;
  for (const p of doc.parse.file.probes) {
    if (p.directive.span.start <= offset) found = p;
    else break;
  }
  return found;
}

export function probeSummary(p: Probe | undefined): string | undefined {
  if (!p) return undefined;
  const d = p.directive;
  const soft = p.matches.filter((m) => m.soft).length;
  const rarity = p.rarity[0]?.value;
  const lines = [
    `**Probe ${d.protocol ?? '?'} ${d.name}** (line ${d.line + 1})`,
    d.payload !== undefined
      ? d.payload.length
        ? `Sends ${d.payload.length} byte${d.payload.length === 1 ? '' : 's'}: \`${escapeBytes(d.payload, 120)}\``
        : 'Sends nothing: waits for the service to speak first.'
      : 'Probe string could not be decoded.',
    `${p.matches.length - soft} match, ${soft} softmatch lines; rarity ${rarity ?? '5 (default)'}` +
      (p.fallback.length ? `; fallback ${p.fallback[0].names.map((n) => n.name).join(', ')}` : ''),
  ];
  return lines.join('\n\n');
}

function probeStringHover(d: ProbeDirective, value: string, index: number): string {
  const esc = probeEscapeAt(value, index);
  const out: string[] = [];
  if (esc) {
    const known = PROBE_STRING_ESCAPES.find((e) => e.escape === esc.text);
    out.push(
      esc.byte === undefined
        ? `\`${esc.text}\`: not an escape nmap understands (bad probe string escaping).`
        : `\`${esc.text}\` = byte 0x${esc.byte.toString(16).padStart(2, '0')}${known ? ` (${known.doc})` : ''}`,
    );
  }
  if (d.payload !== undefined) {
    out.push(`**Probe string** — ${d.payload.length} byte${d.payload.length === 1 ? '' : 's'}`);
    if (d.payload.length) out.push('```\n' + hexDump(d.payload) + '\n```');
  } else out.push('The probe string has bad escaping; nmap refuses it.');
  return out.join('\n\n');
}

function serviceHover(doc: AnalyzedDocument, service: string): string {
  let hard = 0;
  let soft = 0;
  for (const p of doc.parse.file.probes)
    for (const m of p.matches) {
      if (m.service !== service) continue;
      if (m.soft) soft++;
      else hard++;
    }
  return `**Service \`${service}\`** — named by ${hard} match and ${soft} softmatch lines in this file.`;
}

function patternHover(m: MatchDirective, index: number, version?: Pcre2Version): string | undefined {
  if (!m.pattern) return undefined;
  const value = m.pattern.value;
  const i = Math.max(0, Math.min(index, value.length - 1));
  const explained = index >= 0 && index < value.length ? explainAt(m, patternByteOffset(m, i), version) : undefined;
  const groups = groupCount(m, version);
  const head = `**Pattern** (PCRE2${m.caseless ? ', caseless' : ''}${m.dotall ? ', dotall' : ''}) — ${groups === undefined ? 'PCRE2 refuses it' : `${groups} capturing group${groups === 1 ? '' : 's'}`}`;
  return explained ? `${explained}\n\n---\n${head}` : head;
}

function fieldValueHover(
  m: MatchDirective,
  name: string | undefined,
  value: string,
  index: number,
  version?: Pcre2Version,
): string | undefined {
  for (const ref of groupReferences(value)) {
    if (index >= ref.index && index <= ref.index + ref.length) {
      const groups = m.pattern ? capturingGroups(m.pattern.value) : [];
      const count = groupCount(m, version) ?? groups.length;
      if (ref.group < 1 || ref.group > count)
        return `\`$${ref.group}\` — the pattern has only ${count} capturing group${count === 1 ? '' : 's'}; nmap substitutes nothing.`;
      const g = groups[ref.group - 1];
      return `\`$${ref.group}\` — capturing group ${ref.group}` + (g && m.pattern ? `: \`${m.pattern.value.slice(g.start, g.end)}\`` : '');
    }
  }
  for (const h of TEMPLATE_HELPERS) {
    const at = value.lastIndexOf(h.name + '(', index);
    if (at !== -1 && index <= value.indexOf(')', at) + 1 && index >= at && index < at + h.name.length + 1)
      return `**${h.syntax}**\n\n${h.doc}`;
  }
  if (name === 'd') {
    return DEVICE_TYPES.includes(value)
      ? `Device type \`${value}\` — one of nmap's device types.`
      : `\`${value}\` is not one of nmap's device types: ${DEVICE_TYPES.join(', ')}.`;
  }
  if (name === 'cpe') {
    const parts = value.split(':');
    const part = CPE_PARTS.find((p) => p.part === parts[0]);
    const names = ['part', 'vendor', 'product', 'version', 'update', 'edition', 'language'];
    return [`**cpe:/${value}**`, ...parts.map((v, i) => `- ${names[i] ?? 'component'}: \`${v}\`${i === 0 && part ? ` (${part.doc})` : ''}`)].join('\n');
  }
  const info = VERSION_FIELD_BY_LETTERS.get(name ?? '');
  return info ? `**${info.opener}…/** — ${info.label}\n\n${info.doc}` : undefined;
}

function portHover(
  doc: AnalyzedDocument,
  d: { kind: string; line: number },
  r: { start: number; end: number; protocol?: 'T' | 'U' | 'S' },
  services?: ServicesTable,
): string {
  let proto: 'tcp' | 'udp' | 'sctp' = 'tcp';
  if (r.protocol) proto = r.protocol === 'U' ? 'udp' : r.protocol === 'S' ? 'sctp' : 'tcp';
  else if (d.kind !== 'Exclude') {
    const probe = probeOfOffset(doc, doc.parse.file.lineIndex.lineStarts[d.line]);
    if (probe?.directive.protocol === 'UDP') proto = 'udp';
  }
  const label = r.start === r.end ? `${r.start}/${proto}` : `${r.start}-${r.end}/${proto}`;
  if (!services) return `**${label}** — no nmap-services file found (beside the probes file or in nmap's data directory).`;
  const lines: string[] = [];
  const last = Math.min(r.end, r.start + 15);
  for (let p = r.start; p <= last; p++) {
    const names = servicesFor(services, p, proto);
    if (names.length) lines.push(`- ${p}/${proto}: ${names.join(', ')}`);
  }
  if (r.end > last) lines.push(`- … ${r.end - last} more ports`);
  return `**${label}** in nmap-services\n\n${lines.length ? lines.join('\n') : 'no service listed'}`;
}

function numberHover(kind: string, value: number | undefined): string | undefined {
  const info = DIRECTIVE_BY_KEYWORD.get(kind);
  if (!info) return undefined;
  if (kind === 'rarity' && value !== undefined)
    return `rarity ${value}: sent when \`--version-intensity\` is ${value} or more (the default intensity is 7)${value < 1 || value > 9 ? ' — nmap refuses values outside 1–9' : ''}.`;
  if (value !== undefined) return `${kind} ${value} ms = ${(value / 1000).toFixed(value % 1000 ? 3 : 0)} s. ${info.values ?? ''} Default: ${info.defaultValue} ms.`;
  return info.doc;
}
