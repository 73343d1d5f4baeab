// Versioninfo templates: p/…/ v/…/ i/…/ h/…/ o/…/ d/…/ cpe:/…/ filled from a match's captures,
// exactly as nmap's ServiceProbeMatch::getVersionStr → dotmplsubst → substvar →
// getsubstcommandargs do it (service_scan.cc), with nmap's buffer sizes, and then as
// PortList::setServiceProbeResults → cstringSanityCheck (portlist.cc) shows the result.
//
// Everything works on binary strings (one char per byte) because nmap works on bytes. A template
// that fails (unknown $command, bad arguments, an unset or missing group, a result too long for
// its buffer) leaves its field empty — nmap prints a warning and drops the field, it does not
// drop the match.

import type { MatchDirective } from '../grammar/ast';
import type { VersionTemplates } from './probe-db';
import { versionTemplatesOf } from './probe-db';

/** SERVICE_FIELD_LEN, SERVICE_EXTRA_LEN, SERVICE_TYPE_LEN (service_scan.cc). */
export const SERVICE_FIELD_LEN = 80;
export const SERVICE_EXTRA_LEN = 256;
export const SERVICE_TYPE_LEN = 32;
/** SUBSTARGS_MAX_ARGS, SUBSTARGS_STRLEN. */
const SUBSTARGS_MAX_ARGS = 5;
const SUBSTARGS_STRLEN = 128;

/** [start, end) byte offsets per group; index 0 is the whole match; null for an unset group. */
export type Captures = readonly (readonly [number, number] | null)[];

/** MatchDetails: the fields a match yields, as binary strings; null when empty. */
export interface MatchFields {
  product: string | null;
  version: string | null;
  info: string | null;
  hostname: string | null;
  ostype: string | null;
  devicetype: string | null;
  cpeA: string | null;
  cpeH: string | null;
  cpeO: string | null;
}

export interface TemplateFailure {
  field: 'p' | 'v' | 'i' | 'h' | 'o' | 'd' | 'cpe';
  template: string;
  reason: string;
}

/** C's isspace() in the "C" locale. */
function isSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d);
}
/** C's isprint() in the "C" locale. */
function isPrint(c: number): boolean {
  return c >= 0x20 && c <= 0x7e;
}
function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/**
 * Template rules that changed after Debian's nmap 7.93: HEAD's cstring_unescape knows only
 * \\ \0 \n \r \t \xHH (commit 49a85f9c3, 2026) where 7.93 also took \a \b \f \v and copied any
 * other escaped non-alphanumeric byte; HEAD keeps a $P/$SUBST/$I group number in a u8 (257 is
 * group 1) where 7.93 kept an int.
 */
export type TemplateRules = 'head' | '7.93';

/** nmap's cstring_unescape (utils.cc): \\ \0 \n \r \t \xHH only (HEAD); anything else fails. */
export function cstringUnescape(s: string, rules: TemplateRules = 'head'): string | null {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (ch !== '\\') {
      out += ch;
      continue;
    }
    const e = s[++i];
    if (e === '\\') out += '\\';
    else if (e === '0') out += '\0';
    else if (e === 'n') out += '\n';
    else if (e === 'r') out += '\r';
    else if (e === 't') out += '\t';
    else if (e === 'x') {
      const hex = s.slice(i + 1, i + 3);
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) return null;
      out += String.fromCharCode(parseInt(hex, 16));
      i += 2;
    } else if (rules === '7.93' && e !== undefined && 'abfv'.includes(e)) out += { a: '\x07', b: '\b', f: '\f', v: '\v' }[e as 'a'];
    else if (rules === '7.93' && e !== undefined && !/[0-9A-Za-z]/.test(e)) out += e;
    else return null;
  }
  return out;
}

type Arg = { kind: 'int'; value: number } | { kind: 'string'; value: string };

/** C's strtol(s, &end, 0) on s[from…]: returns the value and the end index (from when no digits). */
function strtol0(s: string, from: number): { value: number; end: number } {
  let i = from;
  while (i < s.length && isSpace(s.charCodeAt(i))) i++;
  let sign = 1;
  if (s[i] === '+' || s[i] === '-') {
    if (s[i] === '-') sign = -1;
    i++;
  }
  let base = 10;
  if (s[i] === '0' && (s[i + 1] === 'x' || s[i + 1] === 'X') && /[0-9a-fA-F]/.test(s[i + 2] ?? '')) {
    base = 16;
    i += 2;
  } else if (s[i] === '0') base = 8;
  const digits = base === 16 ? /[0-9a-fA-F]/ : base === 8 ? /[0-7]/ : /[0-9]/;
  const start = i;
  let value = 0;
  while (i < s.length && digits.test(s[i])) {
    value = value * base + parseInt(s[i], base);
    i++;
  }
  if (i === start) return { value: 0, end: from };
  // (int) strtol(): the long is truncated to 32 bits.
  return { value: (sign * value) | 0, end: i };
}

/** getsubstcommandargs(): the arguments of $CMD(…) starting right after "(". */
function parseArgs(s: string, from: number, rules: TemplateRules): { args: Arg[]; end: number } | null {
  const args: Arg[] = [];
  let p = from;
  while (p < s.length && s[p] !== ')') {
    while (p < s.length && isSpace(s.charCodeAt(p))) p++;
    if (s[p] === ')') break;
    if (s[p] === '"') {
      if (args.length === SUBSTARGS_MAX_ARGS) return null;
      let raw = '';
      // A quote ends the string unless a backslash precedes it — but "\\" before it does not count.
      for (;;) {
        p++;
        if (s[p] === '"' && (s[p - 1] !== '\\' || s[p - 2] === '\\')) break;
        if (raw.length >= SUBSTARGS_STRLEN - 1) return null;
        if (p >= s.length) break;
        raw += s[p];
      }
      const value = cstringUnescape(raw, rules);
      if (value === null) return null;
      args.push({ kind: 'string', value });
      p++;
    } else {
      const { value, end } = strtol0(s, p);
      if (end <= p) return null;
      args.push({ kind: 'int', value });
      p = end;
    }
    // strpbrk(",)"): skip to the next comma or closing parenthesis.
    let q = p;
    while (q < s.length && s[q] !== ',' && s[q] !== ')') q++;
    if (q >= s.length) return null;
    p = s[q] === ',' ? q + 1 : q;
  }
  if (s[p] === ')') p++;
  return { args, end: p };
}

/**
 * substvar(): expands the variable starting at tmpl[at] === "$". Returns the text (a C string:
 * cut at its first NUL, as strlen() would) and the index after the variable, or a failure reason.
 */
function substVar(
  tmpl: string,
  at: number,
  subject: string,
  captures: Captures,
  rules: TemplateRules,
): { text: string; end: number } | { error: string } {
  let p = at + 1;
  let command = '';
  let subnum = 0;
  let args: Arg[] = [];
  if (!isDigit(tmpl.charCodeAt(p))) {
    const paren = tmpl.indexOf('(', p);
    if (paren < 0) return { error: `'$' is not followed by a digit or a command` };
    const len = paren - p;
    if (len === 0 || len >= 16) return { error: `bad command name after '$'` };
    command = tmpl.slice(p, paren);
    const parsed = parseArgs(tmpl, paren + 1, rules);
    if (!parsed || parsed.args.length === 0) return { error: `bad arguments to $${command}()` };
    args = parsed.args;
    p = parsed.end;
  } else {
    subnum = tmpl.charCodeAt(p) - 0x30;
    p++;
  }
  // HEAD: `u8 subnum = int_args[0]` keeps the low byte; 7.93 kept the int.
  const num = (n: number) => (rules === 'head' ? n & 0xff : n);
  // pcre2_get_ovector_count(): one pair per group plus the whole match.
  const nummatches = captures.length;
  const group = (n: number): [number, number] | string => {
    if (n > 9 || n <= 0) return `group ${n} is not 1–9`;
    if (n >= nummatches) return `group ${n} does not exist`;
    const c = captures[n];
    if (!c) return `group ${n} is unset`;
    return [c[0], c[1]];
  };
  let text = '';
  if (command === '') {
    const g = group(subnum);
    if (typeof g === 'string') return { error: g };
    text = subject.slice(g[0], g[1]);
  } else if (command === 'P') {
    if (args.length !== 1 || args[0].kind !== 'int') return { error: '$P() takes one group number' };
    // subnum is a u8 in nmap: the int is truncated to its low byte.
    const g = group(num(args[0].value));
    if (typeof g === 'string') return { error: g };
    // Only printable bytes: collapses "W\0O\0R\0K\0" into "WORK".
    for (let i = g[0]; i < g[1]; i++) if (isPrint(subject.charCodeAt(i))) text += subject[i];
  } else if (command === 'SUBST') {
    if (args.length !== 3 || args[0].kind !== 'int' || args[1].kind !== 'string' || args[2].kind !== 'string') {
      return { error: '$SUBST() takes a group number and two strings' };
    }
    const g = group(num(args[0].value));
    if (typeof g === 'string') return { error: g };
    const find = args[1].value;
    const repl = args[2].value;
    // memcmp() of the find string at every position (it may read past the capture; an empty find
    // string matches everywhere and advances by nothing — nmap would loop forever, so we copy).
    for (let i = g[0]; i < g[1]; ) {
      if (find.length > 0 && subject.startsWith(find, i)) {
        text += repl;
        i += find.length;
      } else {
        text += subject[i];
        i++;
      }
    }
  } else if (command === 'I') {
    if (args.length !== 2 || args[0].kind !== 'int' || args[1].kind !== 'string' || args[1].value.length !== 1) {
      return { error: `$I() takes a group number and "<" or ">"` };
    }
    const g = group(num(args[0].value));
    if (typeof g === 'string') return { error: g };
    if (g[1] - g[0] > 8) return { error: '$I() of more than 8 bytes' };
    let val = 0n;
    if (args[1].value === '>') {
      for (let i = g[0]; i < g[1]; i++) val = (val << 8n) + BigInt(subject.charCodeAt(i));
    } else if (args[1].value === '<') {
      for (let i = g[1]; i > g[0]; i--) val = (val << 8n) + BigInt(subject.charCodeAt(i - 1));
    } else return { error: `$I() endianness must be "<" or ">"` };
    text = val.toString();
  } else return { error: `unknown command $${command}()` };
  const nul = text.indexOf('\0');
  return { text: nul >= 0 ? text.slice(0, nul) : text, end: p };
}

/** transform_cpe(): escape CPE-reserved characters, spaces to "_", lower-case the rest. */
export function transformCpe(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0) break;
    if (':/?#[]@!$&\'()*+,;=%<>"'.includes(s[i])) out += '%' + c.toString(16).toUpperCase().padStart(2, '0');
    else if (isSpace(c)) out += '_';
    else out += c >= 0x41 && c <= 0x5a ? String.fromCharCode(c + 32) : s[i];
  }
  return out;
}

function trimTrailing(s: string): string {
  let end = s.length;
  while (end > 0 && (isSpace(s.charCodeAt(end - 1)) || s[end - 1] === ',')) end--;
  return s.slice(0, end);
}

/**
 * dotmplsubst(): fills one template into a buffer of `size` bytes (NUL included). Returns the
 * text with trailing whitespace and commas removed, or the reason it failed.
 */
export function fillTemplate(
  tmpl: string,
  subject: string,
  captures: Captures,
  size: number,
  transform?: (s: string) => string,
  rules: TemplateRules = 'head',
): { ok: true; text: string } | { ok: false; reason: string } {
  if (size < 3) return { ok: false, reason: 'buffer too small' };
  const tooLong = { ok: false as const, reason: `longer than ${size - 2} bytes` };
  let dst = '';
  let src = 0;
  while (src < tmpl.length) {
    const dollar = tmpl.indexOf('$', src);
    if (dollar < 0) {
      for (; src < tmpl.length; src++) {
        if (dst.length >= size - 1) return tooLong;
        dst += tmpl[src];
      }
      return { ok: true, text: trimTrailing(dst) };
    }
    const literal = dollar - src;
    if (literal > 0) {
      if (size - dst.length <= literal - 1) return tooLong;
      dst += tmpl.slice(src, dollar);
    }
    const sub = substVar(tmpl, dollar, subject, captures, rules);
    if ('error' in sub) return { ok: false, reason: sub.error };
    const text = transform ? transform(sub.text) : sub.text;
    if (dst.length + text.length >= size - 1) return tooLong;
    dst += text;
    src = sub.end;
  }
  if (dst.length >= size - 1) return tooLong;
  return { ok: true, text: trimTrailing(dst) };
}

/** cpe_get_part() (utils.cc): 'a', 'h' or 'o' after "cpe:/", else undefined. */
export function cpePart(template: string): 'a' | 'h' | 'o' | undefined {
  if (!template.startsWith('cpe:/')) return undefined;
  const part = template[5];
  return part === 'a' || part === 'h' || part === 'o' ? part : undefined;
}

/** ServiceProbeMatch::getVersionStr: every template of one line filled from one match. */
export function versionFields(
  templates: VersionTemplates,
  captures: Captures,
  subject: string,
  rules: TemplateRules = 'head',
): { fields: MatchFields; failures: TemplateFailure[] } {
  const failures: TemplateFailure[] = [];
  const fill = (field: TemplateFailure['field'], tmpl: string | undefined, size: number, tr?: (s: string) => string) => {
    if (tmpl === undefined) return null;
    const r = fillTemplate(tmpl, subject, captures, size, tr, rules);
    if (!r.ok) {
      failures.push({ field, template: tmpl, reason: r.reason });
      return null;
    }
    return r.text === '' ? null : r.text;
  };
  const fields: MatchFields = {
    product: fill('p', templates.p, SERVICE_FIELD_LEN),
    version: fill('v', templates.v, SERVICE_FIELD_LEN),
    info: fill('i', templates.i, SERVICE_EXTRA_LEN),
    hostname: fill('h', templates.h, SERVICE_FIELD_LEN),
    ostype: fill('o', templates.o, SERVICE_TYPE_LEN),
    devicetype: fill('d', templates.d, SERVICE_TYPE_LEN),
    cpeA: null,
    cpeH: null,
    cpeO: null,
  };
  // Several cpe templates may share a part: each one overwrites the slot, and a failing one
  // empties it (getVersionStr clears the buffer on failure).
  for (const tmpl of templates.cpe) {
    const part = cpePart(tmpl);
    if (!part) {
      failures.push({ field: 'cpe', template: tmpl, reason: 'unknown cpe part (not a, h or o)' });
      continue;
    }
    const key = part === 'a' ? 'cpeA' : part === 'h' ? 'cpeH' : 'cpeO';
    const r = fillTemplate(tmpl, subject, captures, SERVICE_FIELD_LEN, transformCpe, rules);
    if (!r.ok) {
      failures.push({ field: 'cpe', template: tmpl, reason: r.reason });
      fields[key] = null;
    } else fields[key] = r.text === '' ? null : r.text;
  }
  return { fields, failures };
}

/** cstringSanityCheck (portlist.cc): cut to `len` bytes, non-printable bytes become ".". */
export function sanitizeField(value: string | null, len: number): string | null {
  if (value === null) return null;
  let out = '';
  const n = Math.min(value.length, len);
  for (let i = 0; i < n; i++) out += isPrint(value.charCodeAt(i)) ? value[i] : '.';
  return out;
}

/** The version fields nmap reports for a service (null when absent), in its output order. */
export interface VersionFields {
  product: string | null;
  version: string | null;
  info: string | null;
  hostname: string | null;
  ostype: string | null;
  devicetype: string | null;
  cpe: string[];
}

/** What nmap would show for a match: the fields after setServiceProbeResults(). */
export interface VersionInfo extends VersionFields {
  /** Templates nmap could not fill (their fields are left out, as nmap does). */
  failures: TemplateFailure[];
}

/** The displayed fields of MatchFields, in nmap's order cpe a, h, o. */
export function displayFields(f: MatchFields): Omit<VersionInfo, 'failures'> {
  const cpe: string[] = [];
  for (const c of [f.cpeA, f.cpeH, f.cpeO]) {
    const s = sanitizeField(c, 80);
    if (s !== null && s !== '') cpe.push(s);
  }
  return {
    product: sanitizeField(f.product, 80),
    version: sanitizeField(f.version, 80),
    info: sanitizeField(f.info, 256),
    hostname: sanitizeField(f.hostname, 80),
    ostype: sanitizeField(f.ostype, 32),
    devicetype: sanitizeField(f.devicetype, 32),
    cpe,
  };
}

/**
 * The versioninfo nmap would report if `match` were the deciding line, given the captures of its
 * regex on `subject` (binary strings; captures[0] is the whole match). For `nsp regex test` and
 * hovers. Never throws.
 */
export function applyVersionInfo(
  match: MatchDirective | VersionTemplates,
  captures: Captures,
  subject: string,
): VersionInfo {
  const templates = 'versionInfo' in match ? versionTemplatesOf(match) : match;
  const { fields, failures } = versionFields(templates, captures, subject);
  return { ...displayFields(fields), failures };
}
