// Offsets ↔ lines/columns ↔ UTF-8 byte offsets for one document text.
// Lines end at "\n"; a "\r" before it belongs to the line terminator (CRLF files).

export interface LineCol {
  /** 0-based line. */
  line: number;
  /** 0-based UTF-16 column. */
  character: number;
}

export class LineIndex {
  /** UTF-16 offset at which each line starts. */
  readonly lineStarts: number[];
  private byteStarts: number[] | undefined;

  constructor(readonly text: string) {
    const starts = [0];
    let i = text.indexOf('\n');
    while (i !== -1) {
      starts.push(i + 1);
      i = text.indexOf('\n', i + 1);
    }
    this.lineStarts = starts;
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  /** The line containing `offset` (binary search). */
  lineOf(offset: number): number {
    const starts = this.lineStarts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  positionAt(offset: number): LineCol {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    const line = this.lineOf(clamped);
    return { line, character: clamped - this.lineStarts[line] };
  }

  offsetAt(pos: LineCol): number {
    if (pos.line >= this.lineStarts.length) return this.text.length;
    const start = this.lineStarts[Math.max(0, pos.line)];
    const end = this.lineEnd(pos.line);
    return Math.min(start + Math.max(0, pos.character), end);
  }

  /** Offset of the end of a line's content (before "\r\n" or "\n"). */
  lineEnd(line: number): number {
    const next = line + 1 < this.lineStarts.length ? this.lineStarts[line + 1] - 1 : this.text.length;
    return next > this.lineStarts[line] && this.text.charCodeAt(next - 1) === 13 && next < this.text.length
      ? next - 1
      : next;
  }

  lineText(line: number): string {
    return this.text.slice(this.lineStarts[line], this.lineEnd(line));
  }

  /** Byte offset (in the UTF-8 encoding of the text) of a UTF-16 offset. */
  byteOffsetAt(offset: number): number {
    const line = this.lineOf(offset);
    if (!this.byteStarts) this.byteStarts = computeByteStarts(this.text, this.lineStarts);
    return this.byteStarts[line] + utf8Length(this.text, this.lineStarts[line], offset);
  }
}

function computeByteStarts(text: string, lineStarts: number[]): number[] {
  const out = new Array<number>(lineStarts.length);
  out[0] = 0;
  for (let l = 1; l < lineStarts.length; l++) {
    out[l] = out[l - 1] + utf8Length(text, lineStarts[l - 1], lineStarts[l]);
  }
  return out;
}

/**
 * nmap's line buffer: `char line[8192]` read with fgets() (parse_nmap_service_probe_file), so a
 * line of 8191 bytes or more (newline excluded) does not fit. nmap 7.93 had 2048.
 */
export const NMAP_LINE_LIMIT = 8191;

/**
 * Where a line's content text[start, end) stops fitting nmap's buffer: the first offset whose
 * UTF-8 byte offset from `start` reaches NMAP_LINE_LIMIT, or `end` when the whole line fits.
 * Checks report nothing of their own after it: NSP122 already says nmap refuses the line, and a
 * huge line of tiny fields would otherwise get one warning per field.
 */
export function nmapLineCut(text: string, start: number, end: number): number {
  // A UTF-16 unit is at most 3 UTF-8 bytes: shorter lines cannot reach the limit.
  if ((end - start) * 3 < NMAP_LINE_LIMIT) return end;
  let n = 0;
  for (let i = start; i < end; i++) {
    if (n >= NMAP_LINE_LIMIT) return i;
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < end && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i++;
    } else n += 3;
  }
  return end;
}

/** UTF-8 length of text[from, to). Lone surrogates count as 3 bytes (U+FFFD). */
export function utf8Length(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < to) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n += 4;
        i++;
      } else n += 3;
    } else n += 3;
  }
  return n;
}

/** The UTF-8 bytes of a string as a binary string (one char per byte). */
export function toBinaryString(text: string): string {
  // Pure ASCII (nearly every pattern) needs no conversion. The regular expression engine makes
  // that test in native code, which matters when it runs for every pattern of a file in a fresh
  // process, before the JIT has compiled a loop of our own.
  return NON_ASCII.test(text) ? Buffer.from(text, 'utf8').toString('latin1') : text;
}

const NON_ASCII = /[^\x00-\x7f]/;
