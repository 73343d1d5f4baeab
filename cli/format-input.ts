// The input side of `nsp check`: the bytes of a file become the text every layer works on.
//
// Files are decoded as UTF-8, as editors and the language server see them. nmap itself reads bytes,
// so a file that is not valid UTF-8 must still be checked rather than refused: each bad byte becomes
// U+FFFD, and one warning (the CLI's own code, NSP001) points at the first bad byte, because checks
// of a pattern on that line see the replacement character and not nmap's byte.

import { isUtf8 } from 'node:buffer';
import type { Diagnostic } from '../grammar/diagnostic';

/** The CLI's own code: the input is not UTF-8, which only a reader of bytes can notice. */
export const INVALID_UTF8_CODE = 'NSP001';

// ignoreBOM keeps a byte-order mark in the text: nmap would read it as part of the first line.
const UTF8 = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

/** The text of `bytes` as UTF-8, a bad byte as U+FFFD, a byte-order mark kept: the one decoding every check sees. */
export function decodeUtf8(bytes: Uint8Array): string {
  return UTF8.decode(bytes);
}

/**
 * Decodes the file as UTF-8, as editors do. nmap itself reads bytes, so a file that is not UTF-8 is
 * still checked (each bad byte becomes U+FFFD) and gets one warning at the first bad byte: checks
 * of patterns on such lines see the replacement character, not nmap's byte.
 */
export function decode(bytes: Uint8Array): { text: string; warning?: Diagnostic } {
  const text = decodeUtf8(bytes);
  if (isUtf8(bytes)) return { text };
  const bad = firstInvalidUtf8(bytes);
  const offset = decodeUtf8(bytes.subarray(0, bad)).length;
  let count = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 0xfffd) count++;
  const hex = bytes[bad].toString(16).toUpperCase().padStart(2, '0');
  return {
    text,
    warning: {
      code: INVALID_UTF8_CODE,
      severity: 'warning',
      message:
        `the file is not valid UTF-8 (first bad byte 0x${hex} at byte offset ${bad}; ` +
        `${count} replacement character${count === 1 ? '' : 's'} in the decoded text). ` +
        'nsp checks the text with U+FFFD in place of bad bytes, while nmap reads the raw bytes; write such bytes as \\xHH escapes',
      span: { start: offset, end: offset + 1 },
    },
  };
}

/** Byte offset of the first byte that does not start or continue a valid UTF-8 sequence. */
function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i];
    let need: number;
    let min: number;
    if (c < 0x80) {
      i++;
      continue;
    } else if (c >= 0xc2 && c <= 0xdf) [need, min] = [1, 0x80];
    else if (c >= 0xe0 && c <= 0xef) [need, min] = [2, 0x800];
    else if (c >= 0xf0 && c <= 0xf4) [need, min] = [3, 0x10000];
    else return i;
    let cp = c & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const d = b[i + k];
      if (d === undefined || (d & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (d & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return b.length;
}
