// Rendering bytes for hovers: a hex dump with a printable column, like `xxd`, and a C-style
// escaped form like the one nmap prints in fingerprints.

/** Hex dump of a binary string (one char per byte), 16 bytes per row, capped at `maxBytes`. */
export function hexDump(bytes: string, maxBytes = 256): string {
  const n = Math.min(bytes.length, maxBytes);
  const rows: string[] = [];
  for (let off = 0; off < n; off += 16) {
    const hex: string[] = [];
    let text = '';
    for (let i = off; i < Math.min(off + 16, n); i++) {
      const b = bytes.charCodeAt(i) & 0xff;
      hex.push(b.toString(16).padStart(2, '0'));
      text += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.';
    }
    rows.push(`${off.toString(16).padStart(4, '0')}  ${hex.join(' ').padEnd(47)}  ${text}`);
  }
  if (bytes.length > n) rows.push(`… ${bytes.length - n} more bytes`);
  return rows.join('\n');
}

/** C-style escaped text of a binary string (`\r\n`, `\x00`), the way nmap prints responses. */
export function escapeBytes(bytes: string, maxBytes = 512): string {
  let out = '';
  const n = Math.min(bytes.length, maxBytes);
  for (let i = 0; i < n; i++) {
    const b = bytes.charCodeAt(i) & 0xff;
    if (b === 0x0d) out += '\\r';
    else if (b === 0x0a) out += '\\n';
    else if (b === 0x09) out += '\\t';
    else if (b === 0x5c) out += '\\\\';
    else if (b >= 0x20 && b < 0x7f) out += String.fromCharCode(b);
    else out += '\\x' + b.toString(16).padStart(2, '0');
  }
  return bytes.length > n ? out + '…' : out;
}

/**
 * The escape sequence of a probe string that covers `index` (an index into the field's text), with
 * the byte it stands for, following nmap's `cstring_unescape`. Undefined when `index` is not in an
 * escape.
 */
export function probeEscapeAt(
  value: string,
  index: number,
): { start: number; end: number; byte?: number; text: string } | undefined {
  let i = 0;
  while (i < value.length) {
    if (value[i] !== '\\') {
      i++;
      continue;
    }
    const start = i;
    const c = value[i + 1];
    let end = i + 2;
    let byte: number | undefined;
    if (c === undefined) end = i + 1;
    else if (c === 'x') {
      const hex = /^[0-9a-fA-F]{1,2}/.exec(value.slice(i + 2, i + 4));
      if (hex) {
        byte = parseInt(hex[0], 16);
        end = i + 2 + hex[0].length;
      }
    } else {
      const simple: Record<string, number> = { '0': 0, a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 92 };
      byte = simple[c];
      if (byte === undefined) byte = c.charCodeAt(0) < 0x80 ? c.charCodeAt(0) : undefined;
    }
    if (index >= start && index < end) return { start, end, byte, text: value.slice(start, end) };
    i = end;
  }
  return undefined;
}
