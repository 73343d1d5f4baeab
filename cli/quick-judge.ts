// `nsp check`'s first look at a file, in WebAssembly (cli/quick-judge/assembly, built to
// dist/quick-judge.wasm by esbuild.mjs): one pass over the file's bytes finds every match/softmatch
// pattern as check-worker.ts's scanPatterns() does and
// - judges it with a port of the regex layer's quick scan (regex/fast-validate.ts) that only ever
//   answers "valid, N capture groups, nothing to report";
// - turns each match line that certainly draws no diagnostic at all into a comment (its first
//   byte becomes `#`): a clean pattern, fields the grammar reads the usual way with nothing for
//   it or the semantic checks to report, after the first Probe line. Nothing else depends on such
//   a line (engine/check's file-level checks read only probes, ports, rarity, fallbacks and
//   Exclude), so the text with those comments has exactly the diagnostics of the file itself, at
//   the same offsets, and the parse skips them.
// checkDocument takes the verdicts by place (engine/check's JudgedPatterns) and judges every
// other pattern itself. So this only saves time: it never decides an error or a warning
// (test/cli/quick-judge.test.ts compares nsp check with and without it).
//
// Why: in a fresh process the JavaScript runs cold (interpreted, then compiled while it runs):
// judging nmap's 12,171 patterns took 55–90 ms of a ~250 ms `nsp check`, and parsing and checking
// its 12,171 match lines most of the rest. The WebAssembly module is compiled before it runs: the
// pass takes about 10 ms, and 11,988 of those lines need no parse.
//
// Whatever goes wrong (no .wasm beside the bundle, a file that is not UTF-8, so that byte and
// character offsets part ways), the answer is undefined and the check does everything itself.
import { readFileSync } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { join } from 'node:path';
import type { JudgedPatternsData } from '../engine/check/judged-patterns';
import type { Pcre2Version } from '../regex/index';
import { decodeUtf8 } from './format-input';

// The few WebAssembly APIs used here (TypeScript's ES2022 library does not describe them).
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}
const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

interface QuickJudgeExports {
  memory: WasmMemory;
  heapBase(): number;
  quickGroups(pattern: number, length: number): number;
  judge(src: number, len: number, starts: number, ends: number, flags: number, verdicts: number, cap: number): number;
}

/** Where the module is: beside the CLI bundle in dist/, or in dist/ when running from source (tests). */
export const QUICK_JUDGE_PATHS = [join(__dirname, 'quick-judge.wasm'), join(__dirname, '..', 'dist', 'quick-judge.wasm')];

/** The instance per list of paths (one, but for tests); null when none loads. */
const instances = new Map<string, QuickJudgeExports | null>();

function load(paths: readonly string[]): QuickJudgeExports | null {
  for (const path of paths) {
    let bytes: Buffer;
    try {
      bytes = readFileSync(path);
    } catch {
      continue;
    }
    try {
      return new wasmApi.Instance(new wasmApi.Module(bytes), {}).exports as QuickJudgeExports;
    } catch {
      return null; // a damaged module: judge in JavaScript
    }
  }
  return null;
}

function instance(paths: readonly string[]): QuickJudgeExports | null {
  const key = paths.join('\0');
  let wasm = instances.get(key);
  if (wasm === undefined) instances.set(key, (wasm = load(paths)));
  return wasm;
}

/** Makes room for `bytes` bytes from heapBase() and returns the whole memory as bytes. */
function reserve(wasm: QuickJudgeExports, bytes: number): Uint8Array {
  const memory = wasm.memory;
  if (bytes > memory.buffer.byteLength) memory.grow(Math.ceil((bytes - memory.buffer.byteLength) / 65536));
  return new Uint8Array(memory.buffer);
}

/**
 * The module's verdict on one pattern (a binary string): its capture-group count when it is valid
 * with nothing to report, -1 when JavaScript must judge it; undefined without the module. For tests.
 */
export function quickGroupsOf(pattern: string, paths: readonly string[] = QUICK_JUDGE_PATHS): number | undefined {
  const wasm = instance(paths);
  if (!wasm) return undefined;
  const at = wasm.heapBase();
  reserve(wasm, at + pattern.length).set(Buffer.from(pattern, 'latin1'), at);
  return wasm.quickGroups(at, pattern.length);
}

/** The scans read 16 bytes at a time; this many zero bytes follow the file. */
const PADDING = 16;

/** What the pass found. */
export interface QuickJudgement {
  /** The file's text (its UTF-8 decoding) with every line the pass found clean made a comment. */
  text: string;
  /** Verdicts on the patterns, for checkDocument (JudgedPatterns). */
  patterns: JudgedPatternsData;
}

/**
 * The pass over the file whose bytes are `bytes`, or undefined when this route is not available.
 * `paths` replaces where the module is looked for (tests).
 */
export function judgeQuickly(bytes: Uint8Array, version: Pcre2Version, paths: readonly string[] = QUICK_JUDGE_PATHS): QuickJudgement | undefined {
  const wasm = instance(paths);
  // Offsets are counted in UTF-16 units of the decoded text only for valid UTF-8; a file with bad
  // bytes (U+FFFD in the text) is judged in JavaScript. So is a file above 2 GB (32-bit offsets).
  if (!wasm || bytes.length > 0x7fff0000 || !isUtf8(bytes)) return undefined;
  const len = bytes.length;
  // A match line is at least 11 bytes ("match a m||") plus its newline.
  const cap = Math.floor(len / 8) + 16;
  const src = (wasm.heapBase() + 15) & ~15;
  const starts = (src + len + PADDING + 15) & ~15;
  const ends = starts + 4 * cap;
  const verdicts = ends + 4 * cap;
  const flags = verdicts + 4 * cap;
  let heap: Uint8Array;
  try {
    heap = reserve(wasm, flags + cap);
  } catch {
    return undefined; // no room for a file this large: judge in JavaScript
  }
  heap.set(bytes, src);
  heap.fill(0, src + len, src + len + PADDING);
  const count = wasm.judge(src, len, starts, ends, flags, verdicts, cap);
  const buffer = wasm.memory.buffer;
  return {
    text: decodeUtf8(new Uint8Array(buffer, src, len)),
    patterns: {
      version,
      starts: new Int32Array(buffer, starts, count).slice(),
      ends: new Int32Array(buffer, ends, count).slice(),
      flags: new Uint8Array(buffer, flags, count).slice(),
      groups: new Int32Array(buffer, verdicts, count).slice(),
      details: [],
    },
  };
}
