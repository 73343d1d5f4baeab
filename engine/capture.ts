// Capture files: our own small text format for keeping recorded responses and the verdict we
// expect next to a probes file, so `nsp test` can check them in CI and the editor can show each
// case as a test. The format is described in engine/README.md ("Capture files"). One directive
// per line, so every diagnostic points at a line and a word:
//
//   case vsftpd-banner
//   port 21/tcp
//   response NULL "220 (vsFTPd 3.0.3)\r\n"
//   expect service ftp
//   expect product vsftpd
//
// Pure: no IO, never throws; problems are diagnostics (NSP42x) with spans.

import type { Span } from '../grammar/ast';
import type { Diagnostic } from '../grammar/diagnostic';
import type { Fingerprint } from './fingerprint';

/** The verdict fields a case can pin down; only the fields given are checked. */
export interface CaptureExpect {
  /** `null` (written `expect no-match`) means nmap names nothing. */
  service?: string | null;
  product?: string;
  version?: string;
  info?: string;
  hostname?: string;
  ostype?: string;
  devicetype?: string;
  cpe?: string[];
  soft?: boolean;
  probe?: string;
}

export interface CaptureResponse {
  probe: string;
  /** Binary string (one char per byte). */
  bytes: string;
  span: Span;
}

export interface CaptureCase {
  name: string;
  port: number;
  protocol: 'TCP' | 'UDP';
  tls: boolean;
  /** Probe intensity for this case (nmap's --version-intensity); absent means the default 7. */
  intensity?: number;
  /** In the order given; several `response` lines for one probe are concatenated. */
  responses: CaptureResponse[];
  expect: CaptureExpect;
  /** Span of each `expect` line by field, for the editor's test markers. */
  expectSpans: Partial<Record<keyof CaptureExpect, Span>>;
  span: Span;
  nameSpan: Span;
}

export interface CaptureParseResult {
  cases: CaptureCase[];
  diagnostics: Diagnostic[];
}

export const CAPTURE_CODES = {
  directive: 'NSP420',
  value: 'NSP421',
  string: 'NSP422',
  duplicate: 'NSP423',
  missing: 'NSP424',
  outside: 'NSP425',
} as const;

const TEXT_FIELDS = ['product', 'version', 'info', 'hostname', 'ostype', 'devicetype', 'probe'] as const;

export function parseCaptures(text: string): CaptureParseResult {
  const cases: CaptureCase[] = [];
  const diagnostics: Diagnostic[] = [];
  const err = (code: string, message: string, span: Span, severity: Diagnostic['severity'] = 'error') =>
    diagnostics.push({ code, severity, message, span });
  let current: (CaptureCase & { portSeen: boolean }) | undefined;
  const finish = () => {
    if (current && !current.portSeen) {
      err(CAPTURE_CODES.missing, `case ${current.name} has no 'port N/tcp' line`, current.nameSpan);
    }
    if (current && current.responses.length === 0) {
      err(CAPTURE_CODES.missing, `case ${current.name} has no response`, current.nameSpan, 'warning');
    }
    if (current) cases.push(stripPortSeen(current));
    current = undefined;
  };
  let start = 0;
  while (start <= text.length) {
    const nl = text.indexOf('\n', start);
    const lineEnd = nl === -1 ? text.length : nl;
    const end = lineEnd > start && text[lineEnd - 1] === '\r' ? lineEnd - 1 : lineEnd;
    const line = text.slice(start, end);
    const words = tokenize(line, start);
    if (words.length > 0 && !words[0].text.startsWith('#')) {
      const [head, ...args] = words;
      const lineSpan = { start: start + line.search(/\S/), end };
      if (head.text === 'case') {
        finish();
        const name = args[0];
        if (!name) err(CAPTURE_CODES.value, "'case' needs a name", head.span);
        current = {
          name: name?.text ?? '',
          port: 0,
          protocol: 'TCP',
          tls: false,
          responses: [],
          expect: {},
          expectSpans: {},
          span: lineSpan,
          nameSpan: name?.span ?? head.span,
          portSeen: false,
        };
        if (name && cases.some((c) => c.name === name.text)) {
          err(CAPTURE_CODES.duplicate, `a case named ${name.text} already exists in this file`, name.span);
        }
      } else if (!current) {
        err(CAPTURE_CODES.outside, `'${head.text}' before the first 'case NAME' line`, head.span);
      } else {
        current.span.end = end;
        directive(current, head, args, lineSpan, err);
      }
    }
    if (nl === -1) break;
    start = nl + 1;
  }
  finish();
  return { cases, diagnostics };
}

function stripPortSeen(c: CaptureCase & { portSeen: boolean }): CaptureCase {
  const { portSeen: _seen, ...rest } = c;
  return rest;
}

interface Word {
  text: string;
  span: Span;
  /** The decoded bytes of a quoted word; undefined when the word was not quoted. */
  quoted?: string;
  bad?: { message: string; span: Span };
}

/** Splits a line on blanks; a double-quoted word runs to its closing quote and is unescaped. */
function tokenize(line: string, base: number): Word[] {
  const words: Word[] = [];
  let i = 0;
  while (i < line.length) {
    if (line[i] === ' ' || line[i] === '\t') {
      i++;
      continue;
    }
    const from = i;
    if (line[i] === '"') {
      const r = unescapeQuoted(line, i + 1, base);
      words.push({ text: line.slice(from, r.end), span: { start: base + from, end: base + r.end }, quoted: r.bytes, bad: r.bad });
      i = r.end;
    } else {
      while (i < line.length && line[i] !== ' ' && line[i] !== '\t') i++;
      words.push({ text: line.slice(from, i), span: { start: base + from, end: base + i } });
    }
  }
  return words;
}

/** C-style escapes as in probe strings (\\ \" \0 \r \n \t \xHH); raw text stands for its UTF-8 bytes. */
function unescapeQuoted(line: string, i: number, base: number): { bytes: string; end: number; bad?: Word['bad'] } {
  let out = '';
  let bad: Word['bad'];
  const simple: Record<string, string> = { '\\': '\\', '"': '"', '0': '\0', r: '\r', n: '\n', t: '\t' };
  while (i < line.length && line[i] !== '"') {
    if (line[i] === '\\') {
      const e = line[i + 1];
      if (e !== undefined && e in simple) {
        out += simple[e];
        i += 2;
      } else if (e === 'x' && /^[0-9a-fA-F]{2}$/.test(line.slice(i + 2, i + 4))) {
        out += String.fromCharCode(parseInt(line.slice(i + 2, i + 4), 16));
        i += 4;
      } else {
        bad ??= { message: `unknown escape '\\${e ?? ''}' (use \\\\ \\" \\0 \\r \\n \\t or \\xHH)`, span: { start: base + i, end: base + Math.min(line.length, i + 2) } };
        i += 2;
      }
    } else {
      const cp = line.codePointAt(i)!;
      const ch = String.fromCodePoint(cp);
      out += cp < 0x80 ? ch : utf8Bytes(ch);
      i += ch.length;
    }
  }
  if (line[i] !== '"') {
    bad ??= { message: 'string is not closed by "', span: { start: base + i - 1, end: base + i } };
    return { bytes: out, end: i, bad };
  }
  return { bytes: out, end: i + 1, bad };
}

function utf8Bytes(ch: string): string {
  const cp = ch.codePointAt(0)!;
  const bytes =
    cp < 0x800
      ? [0xc0 | (cp >> 6), 0x80 | (cp & 63)]
      : cp < 0x10000
        ? [0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63)]
        : [0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 63), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63)];
  return String.fromCharCode(...bytes);
}

type Report = (code: string, message: string, span: Span, severity?: Diagnostic['severity']) => void;

function directive(c: CaptureCase & { portSeen: boolean }, head: Word, args: Word[], lineSpan: Span, err: Report): void {
  const need = (n: number, what: string): boolean => {
    if (args.length >= n) return true;
    err(CAPTURE_CODES.value, `'${head.text}' needs ${what}`, head.span);
    return false;
  };
  switch (head.text) {
    case 'port': {
      if (!need(1, 'a port such as 21/tcp')) return;
      const m = /^(\d{1,5})\/(tcp|udp)$/i.exec(args[0].text);
      if (!m || Number(m[1]) > 65535) return void err(CAPTURE_CODES.value, 'expected PORT/tcp or PORT/udp', args[0].span);
      c.port = Number(m[1]);
      c.protocol = m[2].toUpperCase() as 'TCP' | 'UDP';
      c.portSeen = true;
      return;
    }
    case 'tls': {
      const v = args[0]?.text ?? 'yes';
      if (v !== 'yes' && v !== 'no') return void err(CAPTURE_CODES.value, "expected 'tls yes' or 'tls no'", args[0].span);
      c.tls = v === 'yes';
      return;
    }
    case 'intensity': {
      if (!need(1, 'a number 0-9')) return;
      if (!/^[0-9]$/.test(args[0].text)) return void err(CAPTURE_CODES.value, 'intensity is 0-9', args[0].span);
      c.intensity = Number(args[0].text);
      return;
    }
    case 'response': {
      if (!need(2, 'a probe name and "escaped text" or hex:…')) return;
      const bytes = responseBytes(args[1], err);
      if (bytes === undefined) return;
      const prior = c.responses.find((r) => r.probe === args[0].text);
      if (prior) {
        prior.bytes += bytes;
        prior.span = { start: prior.span.start, end: lineSpan.end };
      } else c.responses.push({ probe: args[0].text, bytes, span: lineSpan });
      if (args.length > 2) err(CAPTURE_CODES.value, 'one value per response line (add another response line to continue)', args[2].span);
      return;
    }
    case 'expect':
      return expectDirective(c, args, head, lineSpan, err);
    default:
      err(CAPTURE_CODES.directive, `unknown directive '${head.text}' (case, port, tls, intensity, response, expect)`, head.span);
  }
}

function responseBytes(w: Word, err: Report): string | undefined {
  if (w.quoted !== undefined) {
    if (w.bad) err(CAPTURE_CODES.string, w.bad.message, w.bad.span);
    return w.quoted;
  }
  const hex = /^hex:([0-9a-fA-F]*)$/.exec(w.text);
  if (!hex || hex[1].length % 2) {
    err(CAPTURE_CODES.string, 'a response is "escaped text" or hex:HHHH… (an even number of digits)', w.span);
    return undefined;
  }
  let out = '';
  for (let i = 0; i < hex[1].length; i += 2) out += String.fromCharCode(parseInt(hex[1].slice(i, i + 2), 16));
  return out;
}

function expectDirective(c: CaptureCase, args: Word[], head: Word, lineSpan: Span, err: Report): void {
  const field = args[0];
  if (!field) return void err(CAPTURE_CODES.value, "'expect' needs a field: service, product, version, info, hostname, ostype, devicetype, cpe, soft, probe or no-match", head.span);
  const value = args.slice(1);
  // A value is the rest of the line; a quoted value keeps its blanks exactly.
  const text = value.length === 1 && value[0].quoted !== undefined ? value[0].quoted : value.map((w) => w.text).join(' ');
  const seen = (k: keyof CaptureExpect) => {
    if (c.expectSpans[k] && k !== 'cpe') err(CAPTURE_CODES.duplicate, `'expect ${k}' is given twice in this case`, field.span, 'warning');
    c.expectSpans[k] = lineSpan;
  };
  if (field.text === 'no-match') {
    seen('service');
    c.expect.service = null;
  } else if (field.text === 'service' || (TEXT_FIELDS as readonly string[]).includes(field.text)) {
    if (value.length === 0) return void err(CAPTURE_CODES.value, `'expect ${field.text}' needs a value`, field.span);
    const k = field.text as (typeof TEXT_FIELDS)[number] | 'service';
    seen(k);
    c.expect[k] = text;
  } else if (field.text === 'cpe') {
    if (value.length === 0) return void err(CAPTURE_CODES.value, "'expect cpe' needs a cpe:/… value", field.span);
    seen('cpe');
    (c.expect.cpe ??= []).push(...value.map((w) => w.quoted ?? w.text));
  } else if (field.text === 'soft') {
    if (text !== 'yes' && text !== 'no') return void err(CAPTURE_CODES.value, "expected 'expect soft yes' or 'expect soft no'", value[0]?.span ?? field.span);
    seen('soft');
    c.expect.soft = text === 'yes';
  } else {
    err(CAPTURE_CODES.value, `unknown expect field '${field.text}'`, field.span);
  }
}

/** A case holding a fingerprint's responses, to replay it or to pin its verdict down later. */
export function captureFromFingerprint(fp: Fingerprint, name = `port${fp.port}-${fp.protocol.toLowerCase()}`): CaptureCase {
  const responses: CaptureResponse[] = [];
  for (const r of fp.responses) {
    const prior = responses.find((x) => x.probe === r.probe);
    // nmap lists a probe once; if a pasted text repeats one, the first recording wins.
    if (!prior) responses.push({ probe: r.probe, bytes: r.bytes, span: r.span });
  }
  return {
    name,
    port: fp.port,
    protocol: fp.protocol,
    tls: fp.tunnel === 'ssl',
    responses,
    expect: {},
    expectSpans: {},
    span: fp.span,
    nameSpan: { start: fp.span.start, end: fp.span.start },
  };
}

/** Writes cases in the capture format (responses as escaped text, 72 bytes per line). */
export function writeCaptures(cases: CaptureCase[]): string {
  const out: string[] = [];
  for (const c of cases) {
    if (out.length) out.push('');
    out.push(`case ${c.name}`, `port ${c.port}/${c.protocol.toLowerCase()}`);
    if (c.tls) out.push('tls yes');
    if (c.intensity !== undefined) out.push(`intensity ${c.intensity}`);
    for (const r of c.responses) {
      if (r.bytes.length === 0) out.push(`response ${r.probe} ""`);
      for (let i = 0; i < r.bytes.length; i += 72) out.push(`response ${r.probe} "${escapeQuoted(r.bytes.slice(i, i + 72))}"`);
    }
    const e = c.expect;
    if (e.service === null) out.push('expect no-match');
    else if (e.service !== undefined) out.push(`expect service ${quoteIfNeeded(e.service)}`);
    for (const k of TEXT_FIELDS) if (e[k] !== undefined) out.push(`expect ${k} ${quoteIfNeeded(e[k]!)}`);
    for (const cpe of e.cpe ?? []) out.push(`expect cpe ${quoteIfNeeded(cpe)}`);
    if (e.soft !== undefined) out.push(`expect soft ${e.soft ? 'yes' : 'no'}`);
  }
  return out.join('\n') + '\n';
}

function escapeQuoted(bytes: string): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes.charCodeAt(i);
    if (c === 0x5c) s += '\\\\';
    else if (c === 0x22) s += '\\"';
    else if (c === 13) s += '\\r';
    else if (c === 10) s += '\\n';
    else if (c === 9) s += '\\t';
    else if (c >= 0x20 && c < 0x7f) s += bytes[i];
    else s += '\\x' + c.toString(16).padStart(2, '0');
  }
  return s;
}

/** Values are bytes as text; quote them when blanks at the ends or non-ASCII would be lost. */
function quoteIfNeeded(v: string): string {
  return /^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/.test(v) && !v.startsWith('"') && !/ {2}/.test(v) ? v : `"${escapeQuoted(v)}"`;
}
