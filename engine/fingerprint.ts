// Service fingerprints: the `SF-Port…` blocks nmap prints for a service it could not name, read
// and written in nmap's exact format.
//
// The writer mirrors ServiceNFO::addToServiceFingerprint, addServiceChar and
// getServiceFingerprint in nmap's service_scan.cc: a header `SF-Port<n>-<TCP|UDP>:V=…[%T=SSL]%I=…
// %D=m/d%Time=<hex>%P=…`, then one `%r(<probe>,<hex length>,"<escaped bytes>")` per response, a
// line break with an `SF:` prefix whenever the running length reaches 74 modulo 75, and a final
// `;` that is never wrapped. The reader accepts that text anywhere in a larger document (nmap's
// normal output, a write-up, several fingerprints pasted together), the same text inside an XML
// `servicefp="…"` attribute, and the lossy `fingerprint-strings` block of nmap's normal output.
// Pure: no IO, never throws on user input; every problem is a diagnostic with a span.

import type { Span } from '../grammar/ast';
import type { Diagnostic } from '../grammar/diagnostic';
import { parseFingerprintStrings } from './fingerprint-strings';
import { decodeXmlAttribute, type MappedText } from './fingerprint-text';

export interface FingerprintResponse {
  /** Probe name as printed (`NULL`, `GetRequest`, …). */
  probe: string;
  /** How many bytes nmap received: the hex field, which counts bytes nmap did not print. */
  length: number;
  /** The bytes shown, one char per byte (binary string). */
  bytes: string;
  /** True when nmap printed fewer bytes than it received (its 900-byte cap, or a lossy form). */
  truncated: boolean;
  /** Where the `%r(…)` entry (or the fingerprint-strings group) is in the document. */
  span: Span;
}

export interface Fingerprint {
  port: number;
  protocol: 'TCP' | 'UDP';
  /** `ssl` when the header has `T=SSL`: the responses came through a TLS tunnel. */
  tunnel?: 'ssl';
  /** Header fields in the order written: V, T, I, D, Time, P, … (values as printed). */
  fields: Record<string, string>;
  responses: FingerprintResponse[];
  /**
   * `service-fingerprint`: the exact `SF-Port…` text (bytes are exact up to nmap's truncation).
   * `fingerprint-strings`: nmap's readable strings block; bytes are only the printable runs,
   * joined by CRLF, so matching them is an approximation.
   */
  form: 'service-fingerprint' | 'fingerprint-strings';
  span: Span;
}

export interface FingerprintParseResult {
  fingerprints: Fingerprint[];
  diagnostics: Diagnostic[];
}

/** Diagnostic codes of the fingerprint reader (NSP4xx: captured-bytes inputs). */
export const FINGERPRINT_CODES = {
  none: 'NSP401',
  header: 'NSP402',
  response: 'NSP403',
  escape: 'NSP404',
  length: 'NSP405',
  unterminated: 'NSP406',
  trailing: 'NSP407',
  lossy: 'NSP408',
} as const;

/** nmap's limits: bytes printed per response, and the length after which responses are dropped. */
export interface FingerprintLimits {
  /** 900 normally, 1300 when nmap runs with -d. */
  maxResponseBytes: number;
  /** 2200 normally, 10000 with -d: once the text is longer, later responses are not added. */
  maxLength: number;
}

export const NMAP_LIMITS: FingerprintLimits = { maxResponseBytes: 900, maxLength: 2200 };
export const NMAP_DEBUG_LIMITS: FingerprintLimits = { maxResponseBytes: 1300, maxLength: 10000 };

const WRAP_AT = 74;

/** Reads every fingerprint in `text`, in document order. Never throws. */
export function parseFingerprints(text: string): FingerprintParseResult {
  const fingerprints: Fingerprint[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const block of findSfBlocks(text)) {
    const fp = parseSfBody(block, diagnostics);
    if (fp) fingerprints.push(fp);
  }
  // XML output carries the same text, entity-encoded, in the <service servicefp="…"> attribute.
  const attr = /\bservicefp="([^"]*)"/g;
  for (let m = attr.exec(text); m; m = attr.exec(text)) {
    const decoded = decodeXmlAttribute(text, m.index + m[0].indexOf('"') + 1, m[1].length);
    for (const block of findSfBlocks(decoded.text)) {
      const fp = parseSfBody(remap(block, decoded), diagnostics);
      if (fp) fingerprints.push(fp);
    }
  }
  // nmap's normal output shows both forms for one port; the exact one wins.
  const exact = new Set(fingerprints.map((f) => `${f.port}/${f.protocol}`));
  const strings = parseFingerprintStrings(text);
  for (const fp of strings.fingerprints) {
    if (!exact.has(`${fp.port}/${fp.protocol}`)) fingerprints.push(fp);
  }
  for (const d of strings.diagnostics) {
    const owner = strings.fingerprints.find((f) => f.span.start === d.span.start);
    if (!owner || !exact.has(`${owner.port}/${owner.protocol}`)) diagnostics.push(d);
  }
  fingerprints.sort((a, b) => a.span.start - b.span.start);
  if (fingerprints.length === 0 && diagnostics.length === 0) {
    diagnostics.push({
      code: FINGERPRINT_CODES.none,
      severity: 'error',
      message: 'no service fingerprint found (expected a line starting with SF-Port…)',
      span: { start: 0, end: Math.min(text.length, firstLineEnd(text)) },
    });
  }
  return { fingerprints, diagnostics };
}

function firstLineEnd(text: string): number {
  const nl = text.indexOf('\n');
  return nl === -1 ? text.length : nl;
}

/**
 * Finds each `SF-Port…` line and the `SF:` lines that continue it, and joins them into the one
 * logical string nmap built before wrapping, remembering where each char came from.
 */
function findSfBlocks(text: string): MappedText[] {
  const blocks: MappedText[] = [];
  const lines = splitLines(text);
  let current: { chars: string[]; offsets: number[]; end: number } | undefined;
  const flush = () => {
    if (current) {
      current.offsets.push(current.end);
      blocks.push({ text: current.chars.join(''), offsets: current.offsets });
    }
    current = undefined;
  };
  for (const { start, end } of lines) {
    let i = start;
    while (i < end && (text[i] === ' ' || text[i] === '\t')) i++;
    let j = end;
    while (j > i && (text[j - 1] === ' ' || text[j - 1] === '\t' || text[j - 1] === '\r')) j--;
    if (text.startsWith('SF-Port', i)) {
      flush();
      current = { chars: [], offsets: [], end: j };
    } else if (current && text.startsWith('SF:', i)) {
      i += 3;
      current.end = j;
    } else {
      flush();
      continue;
    }
    for (let k = i; k < j; k++) {
      current.chars.push(text[k]);
      current.offsets.push(k);
    }
  }
  flush();
  return blocks;
}

function splitLines(text: string): Span[] {
  const out: Span[] = [];
  let start = 0;
  for (;;) {
    const nl = text.indexOf('\n', start);
    if (nl === -1) {
      out.push({ start, end: text.length });
      return out;
    }
    out.push({ start, end: nl });
    start = nl + 1;
  }
}

/** Maps a block found inside decoded XML text back to offsets of the original document. */
function remap(block: MappedText, outer: MappedText): MappedText {
  return { text: block.text, offsets: block.offsets.map((o) => outer.offsets[o]) };
}

/** Parses one unwrapped `SF-Port…;` string. Returns undefined when even the header is unusable. */
function parseSfBody(block: MappedText, diagnostics: Diagnostic[]): Fingerprint | undefined {
  const s = block.text;
  // A span of logical chars [from, to) in document offsets; a wrapped span covers the SF: prefixes.
  const at = (from: number, to: number): Span => {
    const a = Math.max(0, Math.min(from, s.length));
    const b = Math.max(a, Math.min(to, s.length));
    return { start: block.offsets[a], end: b > a ? block.offsets[b - 1] + 1 : block.offsets[a] };
  };
  const whole = at(0, s.length);
  const head = /^SF-Port(\d{1,5})-(TCP|UDP):/.exec(s);
  if (!head || Number(head[1]) > 65535) {
    diagnostics.push({
      code: FINGERPRINT_CODES.header,
      severity: 'error',
      message: 'malformed fingerprint header: expected SF-Port<port>-TCP: or SF-Port<port>-UDP:',
      span: at(0, Math.min(s.length, (head?.[0].length ?? 0) || s.search(/:|$/))),
    });
    return undefined;
  }
  const fp: Fingerprint = {
    port: Number(head[1]),
    protocol: head[2] as 'TCP' | 'UDP',
    fields: {},
    responses: [],
    form: 'service-fingerprint',
    span: whole,
  };
  let i = head[0].length;
  // Header fields: key=value separated by '%', up to the first %r( or the final ';'.
  while (i < s.length && s[i] !== ';' && !s.startsWith('r(', i)) {
    const field = /^([A-Za-z]+)=([^%;]*)/.exec(s.slice(i, i + 200));
    if (!field) {
      diagnostics.push({
        code: FINGERPRINT_CODES.header,
        severity: 'error',
        message: 'malformed fingerprint header field: expected NAME=value',
        span: at(i, Math.min(s.length, i + 1)),
      });
      return fp;
    }
    fp.fields[field[1]] = field[2];
    i += field[0].length;
    if (s[i] === '%') i++;
  }
  if (fp.fields.T === 'SSL') fp.tunnel = 'ssl';
  while (s.startsWith('r(', i)) {
    const next = parseResponse(s, i, at, diagnostics);
    if (!next) return fp;
    fp.responses.push(next.response);
    i = next.end;
    if (s[i] === '%' && s.startsWith('r(', i + 1)) i++;
  }
  if (i >= s.length) {
    diagnostics.push({
      code: FINGERPRINT_CODES.unterminated,
      severity: 'warning',
      message: "fingerprint does not end with ';' (nmap always ends one so): it may be cut short",
      span: at(Math.max(0, s.length - 1), s.length),
    });
  } else if (s[i] !== ';') {
    diagnostics.push({
      code: FINGERPRINT_CODES.response,
      severity: 'error',
      message: "expected %r(…) or the final ';'",
      span: at(i, i + 1),
    });
  } else if (i + 1 < s.length) {
    diagnostics.push({
      code: FINGERPRINT_CODES.trailing,
      severity: 'warning',
      message: "text after the fingerprint's final ';' is not part of it",
      span: at(i + 1, s.length),
    });
  }
  return fp;
}

function parseResponse(
  s: string,
  start: number,
  at: (from: number, to: number) => Span,
  diagnostics: Diagnostic[],
): { response: FingerprintResponse; end: number } | undefined {
  const m = /^r\(([^,()"%;]+),([0-9A-Fa-f]+),"/.exec(s.slice(start, start + 300));
  if (!m) {
    diagnostics.push({
      code: FINGERPRINT_CODES.response,
      severity: 'error',
      message: 'malformed response entry: expected %r(<probe>,<hex length>,"…")',
      span: at(start - 1, Math.min(s.length, start + 2)),
    });
    return undefined;
  }
  let i = start + m[0].length;
  const bytes: string[] = [];
  while (i < s.length && s[i] !== '"') {
    if (s[i] !== '\\') {
      bytes.push(s[i]);
      i++;
      continue;
    }
    const e = s[i + 1];
    if (e === 'x' && /^[0-9A-Fa-f]{2}$/.test(s.slice(i + 2, i + 4))) {
      bytes.push(String.fromCharCode(parseInt(s.slice(i + 2, i + 4), 16)));
      i += 4;
    } else if (e !== undefined && e in SIMPLE_ESCAPES) {
      bytes.push(SIMPLE_ESCAPES[e]);
      i += 2;
    } else if (e !== undefined && e !== 'x' && !/[0-9A-Za-z]/.test(e)) {
      bytes.push(e);
      i += 2;
    } else {
      diagnostics.push({
        code: FINGERPRINT_CODES.escape,
        severity: 'error',
        message: `invalid escape '\\${e ?? ''}' in a response (nmap writes \\0 \\r \\n \\t \\xHH and \\ before punctuation)`,
        span: at(i, Math.min(s.length, i + 2)),
      });
      bytes.push(e ?? '');
      i += e === undefined ? 1 : 2;
    }
  }
  if (s[i] !== '"' || s[i + 1] !== ')') {
    diagnostics.push({
      code: FINGERPRINT_CODES.response,
      severity: 'error',
      message: `response to ${m[1]} is not closed by '")'`,
      span: at(start - 1, Math.min(s.length, i + 1)),
    });
    return undefined;
  }
  const shown = bytes.join('');
  const length = parseInt(m[2], 16);
  const span = at(start - 1, i + 2);
  if (length < shown.length) {
    diagnostics.push({
      code: FINGERPRINT_CODES.length,
      severity: 'warning',
      message: `length field ${m[2]} (${length} bytes) is smaller than the ${shown.length} bytes shown`,
      span,
    });
  }
  const response = { probe: m[1], length: Math.max(length, shown.length), bytes: shown, truncated: length > shown.length, span };
  return { response, end: i + 2 };
}

const SIMPLE_ESCAPES: Record<string, string> = { '0': '\0', r: '\r', n: '\n', t: '\t', a: '\x07', b: '\b', f: '\f', v: '\v' };

/** Writes a fingerprint exactly as nmap prints it (including the final `;`, no trailing newline). */
export function writeFingerprint(fp: Fingerprint, limits: FingerprintLimits = NMAP_LIMITS): string {
  const out = new Wrapper();
  const fields = Object.entries(fp.fields).map(([k, v]) => `${k}=${v}`);
  out.add(`SF-Port${fp.port}-${fp.protocol}:${fields.join('%')}`);
  for (const r of fp.responses) {
    if (out.length > limits.maxLength) break;
    out.add(`%r(${r.probe},${Math.max(r.length, r.bytes.length).toString(16).toUpperCase()},"`);
    out.add(escapeResponse(r.bytes.slice(0, limits.maxResponseBytes)));
    out.add('")');
  }
  return out.text() + ';';
}

/** nmap's escaping of response bytes (addToServiceFingerprint), applied to the bytes it prints. */
export function escapeResponse(bytes: string): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes.charCodeAt(i);
    const ch = bytes[i];
    if (isAlnum(c)) out += ch;
    else if (c === 0) {
      // "\0" followed by a digit would read as an octal escape, so nmap spells it \x00 there.
      const next = bytes.charCodeAt(i + 1);
      out += i + 1 < bytes.length && next >= 0x30 && next <= 0x39 ? '\\x00' : '\\0';
    } else if ('\\?"[]().*+$^|'.includes(ch)) out += '\\' + ch;
    else if (c > 0x20 && c < 0x7f) out += ch; // C's ispunct in the "C" locale
    else if (c === 13) out += '\\r';
    else if (c === 10) out += '\\n';
    else if (c === 9) out += '\\t';
    else out += '\\x' + c.toString(16).padStart(2, '0');
  }
  return out;
}

function isAlnum(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

/** addServiceChar: a new line with an `SF:` prefix each time the length reaches 74 mod 75. */
class Wrapper {
  private parts: string[] = [];
  length = 0;
  add(s: string): void {
    for (const ch of s) {
      if (this.length % (WRAP_AT + 1) === WRAP_AT) {
        this.parts.push('\nSF:');
        this.length += 4;
      }
      this.parts.push(ch);
      this.length += 1;
    }
  }
  text(): string {
    return this.parts.join('');
  }
}
