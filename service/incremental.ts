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

function contentBoundary(text: string, from: number, to: number): boolean {
  let h = to - from;
  // A few characters spread over the line are enough to pick boundaries by content.
  for (let k = 0; k < 8 && from + k * 7 < to; k++) h = (h * 31 + text.charCodeAt(from + k * 7)) | 0;
  return ((h >>> 3) % CHUNK_SPREAD) === 0;
}
const NAMES_A_LINE = /\bline \d/;

/**
 * Splits the text into chunks (each ending with its newline) and lists its structural lines, the
 * lines every chunk's check must see.
 */
export function splitBlocks(text: string): { blocks: Block[]; headers: string[] } {
  const blocks: Block[] = [];
  const headers: string[] = [];
  let blockStart = 0;
  let blockLine = 0;
  let line = 0;
  let pos = 0;
  while (pos <= text.length) {
    const nl = text.indexOf('\n', pos);
    const end = nl === -1 ? text.length : nl;
    const head = text.slice(pos, Math.min(end, pos + 10));
    const local = LOCAL.test(head) && !(head.length === 10 && /^\s*$/.test(head));
    if (!local) headers.push(text.slice(pos, end));
    const boundary = pos > blockStart && (HEADER.test(head) || (local && head[0] === 'm' && contentBoundary(text, pos, end)));
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
  return { blocks, headers };
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
    const { blocks, headers } = splitBlocks(text);
    if (headers.join('\n') !== this.signature) return undefined;
    const out: Diagnostic[] = [];
    const fresh = new Map<string, Cached>();
    let lines: string[] | undefined;
    this.lastRechecked = 0;
    for (const b of blocks) {
      const hit = this.cache.get(b.text) ?? fresh.get(b.text);
      if (hit && (hit.startLine === b.startLine || hit.movable)) {
        out.push(...shift(hit.diagnostics, b.start - hit.start));
        fresh.set(b.text, hit);
        continue;
      }
      lines ??= text.split('\n');
      const diagnostics = this.checkBlock(lines, b);
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
  private checkBlock(lines: string[], b: Block): Diagnostic[] {
    const compact = this.checkIn(lines, b, false);
    return compact.some((d) => NAMES_A_LINE.test(d.message)) ? this.checkIn(lines, b, true) : compact;
  }

  private checkIn(lines: string[], b: Block, keepLineNumbers: boolean): Diagnostic[] {
    const last = b.startLine + b.lineCount;
    // The chunk's probe: from the last Probe line at or before the chunk to the next Probe line.
    let probeStart = b.startLine;
    while (probeStart > 0 && !lines[probeStart].startsWith('Probe')) probeStart--;
    const parts: string[] = [];
    let miniStart = 0;
    let offset = 0;
    let inOwnProbe = false;
    for (let l = 0; l < lines.length; l++) {
      const line = lines[l];
      if (l === b.startLine) miniStart = offset;
      const header = HEADER.test(line);
      if (header && line.startsWith('Probe')) inOwnProbe = l === probeStart;
      const keep = (l >= b.startLine && l < last) || header || (inOwnProbe && !isLocal(line));
      if (keep || keepLineNumbers) {
        const t = keep ? line : '';
        parts.push(t);
        offset += t.length + 1;
      }
    }
    const mini = parts.join('\n');
    const miniEnd = miniStart + b.text.length;
    const mine = this.check(mini).filter((d) => d.span.start >= miniStart && (d.span.start < miniEnd || (d.span.start === miniEnd && miniEnd === mini.length)));
    return shift(mine, b.start - miniStart);
  }
}

function isLocal(line: string): boolean {
  const head = line.slice(0, 10);
  return LOCAL.test(head) && !(head.length === 10 && /^\s*$/.test(head));
}

export type { Pcre2Version };
