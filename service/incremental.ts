// Incremental diagnostics: after an edit, only the chunks of lines whose text changed are checked
// again. The file is cut into chunks at every Probe line and at lines chosen by their own content
// (so inserting a line moves no boundary elsewhere); a chunk averages a few dozen lines, which
// matters because the NULL and GetRequest probes hold thousands of match lines each.
//
// A chunk is checked inside a "skeleton" of the file: every structural line (anything but match,
// softmatch, comment and blank lines) kept verbatim at its own line number, every other line
// emptied. The checks that look beyond one line (fallback names, duplicate probes and ports, the
// NULL probe, Exclude, the probe a match belongs to) and the line numbers they print therefore see
// what they would see in the whole file; match lines are judged one by one. A chunk's cached
// diagnostics are reused at a new position (spans shifted) unless one names a line number, which a
// move would change. When a structural line changes, the whole file is checked again.

import type { Diagnostic } from '../grammar/diagnostic';
import type { Pcre2Version } from '../regex/api';

export interface Block {
  start: number;
  end: number;
  startLine: number;
  lineCount: number;
  text: string;
}

export type CheckFn = (text: string) => Diagnostic[];

const HEADER = /^(Probe|Exclude)\b/;
/** Lines judged on their own: their chunk can be checked without the rest of the file. */
const LOCAL = /^(match|softmatch)\s|^\s*(#|$)/;
/** About one line in CHUNK_SPREAD starts a chunk (besides Probe lines). */
const CHUNK_SPREAD = 48;
/**
 * A chunk that no content boundary ends (a run of identical or look-alike lines) is cut after this
 * many lines or characters anyway: checking one chunk again must stay cheap whatever the file.
 */
const MAX_CHUNK_LINES = 1000;
const MAX_CHUNK_CHARS = 128 * 1024;

function contentBoundary(text: string, from: number, to: number): boolean {
  // FNV-1a over the length and up to 24 characters spread over the line, then a final mix, so that
  // lines differing only in a few characters (generated files) still spread their boundaries.
  const n = to - from;
  const step = Math.max(1, Math.floor(n / 24));
  let h = Math.imul(2166136261 ^ n, 16777619);
  for (let i = from; i < to && i < from + step * 24; i += step) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return (h >>> 0) % CHUNK_SPREAD === 0;
}
const NAMES_A_LINE = /\bline \d/;

/**
 * Splits the text into chunks (each ending with its newline) and lists its structural lines, the
 * lines every chunk's check must see.
 */
export function splitBlocks(text: string): { blocks: Block[]; headers: string[]; headerLines: number[] } {
  const blocks: Block[] = [];
  const headers: string[] = [];
  const headerLines: number[] = [];
  let blockStart = 0;
  let blockLine = 0;
  let line = 0;
  let pos = 0;
  while (pos <= text.length) {
    const nl = text.indexOf('\n', pos);
    const end = nl === -1 ? text.length : nl;
    const head = text.slice(pos, Math.min(end, pos + 10));
    const local = LOCAL.test(head) && !(head.length === 10 && /^\s*$/.test(head));
    if (!local) {
      headers.push(text.slice(pos, end));
      headerLines.push(line);
    }
    const boundary =
      pos > blockStart &&
      (HEADER.test(head) ||
        (local && (head[0] === 'm' || head[0] === 's') && contentBoundary(text, pos, end)) ||
        line - blockLine >= MAX_CHUNK_LINES ||
        pos - blockStart >= MAX_CHUNK_CHARS);
    if (boundary) {
      blocks.push({ start: blockStart, end: pos, startLine: blockLine, lineCount: line - blockLine, text: text.slice(blockStart, pos) });
      blockStart = pos;
      blockLine = line;
    }
    line++;
    if (nl === -1) break;
    pos = nl + 1;
  }
  blocks.push({ start: blockStart, end: text.length, startLine: blockLine, lineCount: line - blockLine, text: text.slice(blockStart) });
  return { blocks, headers, headerLines };
}

interface Cached {
  diagnostics: Diagnostic[];
  /** Where the block was when checked. */
  start: number;
  startLine: number;
  movable: boolean;
}

function shift(ds: Diagnostic[], delta: number): Diagnostic[] {
  if (delta === 0) return ds;
  const mv = (s: { start: number; end: number }) => ({ start: s.start + delta, end: s.end + delta });
  return ds.map((d) => ({ ...d, span: mv(d.span), related: d.related?.map((r) => ({ ...r, span: mv(r.span) })) }));
}

export class IncrementalChecker {
  private signature = '';
  private cache = new Map<string, Cached>();
  /** Blocks checked on their own during the last update (for tests and the benchmark). */
  lastRechecked = 0;

  constructor(private readonly check: CheckFn) {}

  /** Seeds the cache from a whole-file check of `text`. */
  seed(text: string, all: Diagnostic[]): void {
    const { blocks, headers } = splitBlocks(text);
    this.signature = headers.join('\n');
    this.cache.clear();
    let i = 0;
    const per: Diagnostic[][] = blocks.map(() => []);
    for (const d of all) {
      while (i + 1 < blocks.length && d.span.start >= blocks[i + 1].start) i++;
      // Diagnostics arrive sorted by start; a stray earlier one goes to the first block.
      per[i].push(d);
    }
    blocks.forEach((b, k) => this.remember(b, per[k]));
  }

  private remember(b: Block, diagnostics: Diagnostic[]): void {
    this.cache.set(b.text, { diagnostics, start: b.start, startLine: b.startLine, movable: !diagnostics.some((d) => NAMES_A_LINE.test(d.message)) });
  }

  /**
   * Diagnostics of `text`, reusing cached blocks. Returns undefined when a Probe/Exclude line
   * changed (then the caller checks the whole file and seeds again).
   */
  update(text: string): Diagnostic[] | undefined {
    const { blocks, headers, headerLines } = splitBlocks(text);
    if (headers.join('\n') !== this.signature) return undefined;
    const out: Diagnostic[] = [];
    const fresh = new Map<string, Cached>();
    const file: Skeleton = { headers, headerLines, lineCount: blocks[blocks.length - 1].startLine + blocks[blocks.length - 1].lineCount };
    this.lastRechecked = 0;
    for (const b of blocks) {
      const hit = this.cache.get(b.text) ?? fresh.get(b.text);
      if (hit && (hit.startLine === b.startLine || hit.movable)) {
        out.push(...shift(hit.diagnostics, b.start - hit.start));
        fresh.set(b.text, hit);
        continue;
      }
      const diagnostics = this.checkBlock(file, b);
      this.lastRechecked++;
      fresh.set(b.text, { diagnostics, start: b.start, startLine: b.startLine, movable: !diagnostics.some((d) => NAMES_A_LINE.test(d.message)) });
      out.push(...diagnostics);
    }
    this.cache = fresh;
    return out;
  }

  /**
   * Checks one chunk inside a skeleton of the file and maps its diagnostics back. The compact
   * skeleton keeps every Probe and Exclude line and the structural lines of the chunk's own probe;
   * when a diagnostic then names a line number, the chunk is checked again in a skeleton that
   * keeps every line number (emptied lines instead of removed ones), so the message is exact.
   */
  private checkBlock(file: Skeleton, b: Block): Diagnostic[] {
    const compact = this.checkIn(file, b, false);
    return compact.some((d) => NAMES_A_LINE.test(d.message)) ? this.checkIn(file, b, true) : compact;
  }

  /**
   * Builds the skeleton from the structural lines and the chunk's own lines only, so one chunk
   * costs its size plus the number of structural lines, never a walk over every line of the file.
   */
  private checkIn(file: Skeleton, b: Block, keepLineNumbers: boolean): Diagnostic[] {
    const last = b.startLine + b.lineCount;
    const { headers, headerLines } = file;
    // The chunk's probe: the last Probe line at or before the chunk (line 0 when there is none).
    // Probe lines are never local, so they are all among the structural lines.
    let probeStart = 0;
    for (let k = 0; k < headerLines.length && headerLines[k] <= b.startLine; k++) if (headers[k].startsWith('Probe')) probeStart = headerLines[k];
    const parts: string[] = [];
    let offset = 0;
    let next = 0;
    let inOwnProbe = false;
    const emit = (l: number, line: string, inChunk: boolean) => {
      const header = HEADER.test(line);
      if (header && line.startsWith('Probe')) inOwnProbe = l === probeStart;
      // Outside the chunk only structural lines come here: kept when a header or in the chunk's probe.
      if (!(inChunk || header || inOwnProbe)) return;
      if (keepLineNumbers && l > next) {
        // The emptied lines in between, as one part: (l - next) more line breaks.
        parts.push('\n'.repeat(l - next - 1));
        offset += l - next;
      }
      parts.push(line);
      offset += line.length + 1;
      next = l + 1;
    };
    let k = 0;
    for (; k < headerLines.length && headerLines[k] < b.startLine; k++) emit(headerLines[k], headers[k], false);
    if (keepLineNumbers && b.startLine > next) {
      parts.push('\n'.repeat(b.startLine - next - 1));
      offset += b.startLine - next;
      next = b.startLine;
    }
    const miniStart = offset;
    const own = b.text.split('\n');
    for (let l = b.startLine; l < last; l++) emit(l, own[l - b.startLine] ?? '', true);
    while (k < headerLines.length && headerLines[k] < last) k++;
    for (; k < headerLines.length; k++) emit(headerLines[k], headers[k], false);
    if (keepLineNumbers && file.lineCount > next) parts.push('\n'.repeat(file.lineCount - next - 1));
    const mini = parts.join('\n');
    const miniEnd = miniStart + b.text.length;
    const mine = this.check(mini).filter((d) => d.span.start >= miniStart && (d.span.start < miniEnd || (d.span.start === miniEnd && miniEnd === mini.length)));
    return shift(mine, b.start - miniStart);
  }
}

/** The structural lines of the file with their line numbers, and its number of lines. */
interface Skeleton {
  headers: string[];
  headerLines: number[];
  lineCount: number;
}

export type { Pcre2Version };
