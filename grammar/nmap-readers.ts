// Small readers that mirror, character by character, the C functions nmap applies to the
// arguments of a directive. Each works on the argument as nmap's C string sees it: the line's
// content plus the "\n" that fgets() keeps (absent on a last line without one), because several
// of nmap's quirks depend on that newline (`ports 80,` is refused with it and accepted without).
// Offsets in results are relative to the start of the argument.

import { isAlnum, isDigit, isLower, isSpace, isXDigit } from './char-class';
import { toBinaryString } from './line-index';

export interface ReadProblem {
  /** Which check failed, for the diagnostic table in build-ast.ts. */
  kind: 'syntax' | 'range' | 'reversed' | 'protocol' | 'bracket';
  message: string;
  start: number;
  end: number;
}

export interface ReadRange {
  protocol?: 'T' | 'U' | 'S' | 'P';
  start: number;
  end: number;
  from: number;
  to: number;
}

const LONG_MAX = (1n << 63n) - 1n;
const LONG_MIN = -(1n << 63n);

/** strtol(s + i, &end, 10): skips whitespace, reads a sign and digits, clamps like glibc. */
export function strtol(s: string, i: number): { value: bigint; start: number; end: number } {
  let p = i;
  while (p < s.length && isSpace(s.charCodeAt(p))) p++;
  const signAt = p;
  let neg = false;
  if (s[p] === '+' || s[p] === '-') {
    neg = s[p] === '-';
    p++;
  }
  const digits = p;
  while (p < s.length && isDigit(s.charCodeAt(p))) p++;
  if (p === digits) return { value: 0n, start: i, end: i };
  let v = BigInt(s.slice(digits, p));
  if (neg) v = -v;
  if (v > LONG_MAX) v = LONG_MAX;
  if (v < LONG_MIN) v = LONG_MIN;
  return { value: v, start: signAt, end: p };
}

/** atoi(): strtol truncated to a C int, as glibc does it. */
export function atoi(s: string, i: number): { value: number; start: number; end: number } {
  const r = strtol(s, i);
  return { value: Number(BigInt.asIntN(32, r.value)), start: r.start, end: r.end };
}

/**
 * strtol(s + i, &end, 10) where s[i] is a digit, as the port readers call it: no whitespace or
 * sign to skip, so the number starts at i. As a double: exact up to 15 digits, and anything longer
 * is far above any port limit, which is all the readers ask of it (they quote the text, not the
 * value, when it is too large). Cheaper than strtol's BigInt for the thousands of ports of a file.
 */
function readDigits(s: string, i: number): { value: number; start: number; end: number } {
  let p = i;
  let value = 0;
  for (let c = s.charCodeAt(p); isDigit(c); c = s.charCodeAt(++p)) value = value * 10 + (c - 48);
  return { value, start: i, end: p };
}

const PORTLIST_EXAMPLE = 'write ports as a comma-separated list of ports and ranges, like "21-25,53,80"';

/** ServiceProbe::setPortVector: the argument of `ports` and `sslports`. Stops at the first problem, as nmap does. */
export function readPortList(s: string): { ranges: ReadRange[]; problem?: ReadProblem } {
  const ranges: ReadRange[] = [];
  const syntax = (at: number): { ranges: ReadRange[]; problem: ReadProblem } => {
    const end = wordEnd(s, at);
    const what = at >= s.length || s[at] === '\n' ? 'end of the line' : `"${s.slice(at, end)}"`;
    return { ranges, problem: { kind: 'syntax', message: `Unexpected ${what} in the port list: ${PORTLIST_EXAMPLE}.`, start: at, end } };
  };
  let i = 0;
  do {
    while (i < s.length && isSpace(s.charCodeAt(i))) i++;
    const from = i;
    if (!isDigit(s.charCodeAt(i))) return syntax(i);
    const a = readDigits(s, i);
    if (a.value > 65535) return { ranges, problem: { kind: 'range', message: `Port ${s.slice(a.start, a.end)} is above 65535.`, start: a.start, end: a.end } };
    i = a.end;
    while (i < s.length && isSpace(s.charCodeAt(i))) i++;
    let b = a;
    if (i >= s.length || s[i] === ',') {
      // a single port
    } else if (s[i] === '-') {
      i++;
      if (!isDigit(s.charCodeAt(i))) return syntax(i);
      b = readDigits(s, i);
      if (b.value > 65535) return { ranges, problem: { kind: 'range', message: `Port ${s.slice(b.start, b.end)} is above 65535.`, start: b.start, end: b.end } };
      if (b.value < a.value) {
        return { ranges, problem: { kind: 'reversed', message: `The range ${a.value}-${b.value} is reversed: nmap refuses it. Write ${b.value}-${a.value}.`, start: from, end: b.end } };
      }
      i = b.end;
    } else return syntax(i);
    ranges.push({ start: Number(a.value), end: Number(b.value), from, to: b.end });
    while (i < s.length && isSpace(s.charCodeAt(i))) i++;
    if (i < s.length && s[i] !== ',') return syntax(i);
    if (s[i] === ',') i++;
  } while (i < s.length);
  return { ranges };
}

function wordEnd(s: string, at: number): number {
  let e = at;
  while (e < s.length && !isSpace(s.charCodeAt(e)) && s[e] !== ',') e++;
  return e === at ? Math.min(at + 1, Math.max(at, s.replace(/\n$/, '').length)) : e;
}

const EXCLUDE_EXAMPLE = 'write it like "T:9100-9107,U:30000-"';

/**
 * getpts_aux (scan_lists.cc), which reads `Exclude`. Ports from service-name masks (`http*`)
 * need nmap-services and are skipped here, without a diagnostic.
 */
export function readExclude(s: string): { ranges: ReadRange[]; problem?: ReadProblem } {
  const ranges: ReadRange[] = [];
  let protocol: ReadRange['protocol'];
  let problem: ReadProblem | undefined;
  const fail = (kind: ReadProblem['kind'], message: string, start: number, end = wordEnd(s, start)): false => {
    problem = { kind, message, start, end };
    return false;
  };
  // Returns the index after the list, or false on the first problem.
  const list = (i: number, nested: boolean): number | false => {
    do {
      while (i < s.length && isSpace(s.charCodeAt(i))) i++;
      if (s[i + 1] === ':' && i < s.length) {
        const c = s[i];
        if (c === 'T' || c === 'U' || c === 'S' || c === 'P') protocol = c;
        else return fail('protocol', `Unknown protocol "${c}:" in Exclude: use T: (TCP), U: (UDP), S: (SCTP) or P: (IP protocols).`, i, i + 2);
        i += 2;
        continue;
      }
      const from = i;
      let start: number;
      const limit = protocol === 'P' ? 255 : 65535;
      const c = s.charCodeAt(i);
      if (s[i] === '[') {
        if (nested) return fail('bracket', 'Brackets cannot be nested in a port list.', i, i + 1);
        const r = list(i + 1, true);
        if (r === false) return false;
        i = r;
        while (i < s.length && s[i] !== ']') i++;
        if (s[i] === ']') i++;
        if (s[i] === ',') i++;
        continue;
      } else if (s[i] === ']') {
        if (!nested) return fail('bracket', 'Unexpected "]" in the port list.', i, i + 1);
        return i;
      } else if (s[i] === '-') {
        start = protocol === 'P' ? 0 : 1;
      } else if (isDigit(c)) {
        const a = readDigits(s, i);
        if (a.value > limit) return fail('range', `Port ${s.slice(a.start, a.end)} is above ${limit}.`, a.start, a.end);
        start = a.value;
        i = a.end;
        while (i < s.length && isSpace(s.charCodeAt(i))) i++;
      } else if (isLower(c) || s[i] === '*' || s[i] === '?') {
        while (i < s.length && !isSpace(s.charCodeAt(i)) && s[i] !== ',' && s[i] !== ']') i++;
        if (i < s.length && s[i] !== ']') i++;
        continue;
      } else return fail('syntax', `Unexpected ${i >= s.length || s[i] === '\n' ? 'end of the line' : `"${s[i]}"`} in Exclude: ${EXCLUDE_EXAMPLE}.`, i);
      let end = start;
      if (i >= s.length || s[i] === ',' || s[i] === ']') {
        // a single port
      } else if (s[i] === '-') {
        i++;
        if (i >= s.length || s[i] === ',' || s[i] === ']' || s[i] === '\n') {
          // nmap reads "-" up to the end of the line as "up to the last port".
          end = limit;
          if (s[i] === '\n') i++;
        } else if (isDigit(s.charCodeAt(i))) {
          const b = readDigits(s, i);
          if (b.value > limit) return fail('range', `Port ${s.slice(b.start, b.end)} is above ${limit}.`, b.start, b.end);
          end = b.value;
          i = b.end;
        } else return fail('syntax', `Unexpected "${s[i]}" in Exclude: ${EXCLUDE_EXAMPLE}.`, i);
        if (end < start) return fail('reversed', `The range ${start}-${end} is reversed: nmap refuses it. Write ${end}-${start}.`, from, i);
      } else return fail('syntax', `Unexpected "${s[i]}" in Exclude: ${EXCLUDE_EXAMPLE}.`, i);
      if (protocol !== 'P') ranges.push({ protocol, start: Number(start), end: Number(end), from, to: i });
      while (i < s.length && isSpace(s.charCodeAt(i))) i++;
      if (s[i] === ']') {
        if (!nested) return fail('bracket', 'Unexpected "]" in the port list.', i, i + 1);
        return i;
      }
      if (i < s.length && s[i] !== ',') return fail('syntax', `Unexpected "${s[i]}" in Exclude: ${EXCLUDE_EXAMPLE}.`, i);
      if (s[i] === ',') i++;
    } while (i < s.length);
    return i;
  };
  list(0, false);
  return { ranges, problem };
}

/** compileFallbacks: strtok(fallbackStr, ",\r\n\t "). Note that "\v" and "\f" are not separators. */
export function splitFallbacks(s: string): { name: string; start: number; end: number }[] {
  const out: { name: string; start: number; end: number }[] = [];
  const re = /[^,\r\n\t ]+/g;
  for (let m = re.exec(s); m; m = re.exec(s)) out.push({ name: m[0], start: m.index, end: m.index + m[0].length });
  return out;
}

export interface UnescapeProblem {
  start: number;
  end: number;
  message: string;
  /** nmap 7.93's cstring_unescape accepted this escape (HEAD refuses it since 2026). */
  acceptedBy793: boolean;
}

/**
 * cstring_unescape (nmap's utils.cc, HEAD): only \\ \0 \n \r \t and \xHH are allowed. Returns the
 * bytes as a binary string (non-ASCII text becomes its UTF-8 bytes, as nmap reads the file as
 * bytes), or the first problem.
 */
export function cstringUnescape(v: string): { bytes: string } | { problem: UnescapeProblem } {
  let out = '';
  let runStart = 0;
  const flush = (to: number): void => {
    if (to > runStart) out += toBytes(v.slice(runStart, to));
  };
  // Jump from backslash to backslash (a probe string can be kilobytes long).
  for (let i = v.indexOf('\\'); i !== -1; i = v.indexOf('\\', i + 1)) {
    flush(i);
    const c = v[i + 1];
    let byte: string;
    let len = 2;
    switch (c) {
      case '\\': byte = '\\'; break;
      case '0': byte = '\0'; break;
      case 'n': byte = '\n'; break;
      case 'r': byte = '\r'; break;
      case 't': byte = '\t'; break;
      case 'x': {
        const h = v.slice(i + 2, i + 4);
        if (h.length < 2 || !isXDigit(h.charCodeAt(0)) || !isXDigit(h.charCodeAt(1))) {
          return { problem: { start: i, end: Math.min(i + 2 + h.length, v.length), message: '"\\x" must be followed by two hexadecimal digits, like \\x0d.', acceptedBy793: false } };
        }
        byte = String.fromCharCode(parseInt(h, 16));
        len = 4;
        break;
      }
      case undefined:
        return { problem: { start: i, end: i + 1, message: 'A backslash cannot end the probe string: write \\\\ for a backslash.', acceptedBy793: false } };
      default: {
        const control = 'abfv'.indexOf(c);
        const old = control >= 0 || !isAlnum(c.charCodeAt(0));
        const hex = control >= 0 ? ` Write \\x${['07', '08', '0c', '0b'][control]} instead.` : '';
        return {
          problem: {
            start: i, end: i + 2,
            message: `nmap does not accept the escape "\\${c}" in a probe string: only \\\\ \\0 \\n \\r \\t and \\xHH are allowed.${hex}`,
            acceptedBy793: old,
          },
        };
      }
    }
    out += byte;
    i += len - 1;
    runStart = i + 1;
  }
  flush(v.length);
  return { bytes: out };
}

function toBytes(s: string): string {
  return toBinaryString(s);
}
