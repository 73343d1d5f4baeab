// `nsp check`'s first look at a file, in WebAssembly (cli/quick-judge/assembly, built to
// dist/quick-judge.wasm by esbuild.mjs): one pass over the file's bytes finds every match/softmatch
// pattern as check-worker.ts's scanPatterns() does and
// - judges it with a port of the regex layer's quick scan (regex/fast-validate.ts) that only ever
//   answers "valid, N capture groups, nothing to report";
// - reads the line's fields as the grammar's usual-field path does, for parse() (MatchFieldHints);
// - says whether those version fields certainly draw no semantic finding.
// parse() and checkDocument take these by place (MatchFieldHints, engine/check's JudgedPatterns)
// and handle every pattern, line or field they do not cover as usual, so this only saves time: it
// never decides an error or a warning, and the tree is the same without it
// (test/cli/quick-judge.test.ts).
//
// Why: in a fresh process the regex layer's JavaScript runs cold (interpreted, then compiled while
// it runs): judging nmap's 12,171 patterns took 55–90 ms of a ~250 ms `nsp check`, reading the
// version fields ~20 ms more. The WebAssembly module is compiled before it runs: the same pass
// takes about 10 ms.
//
// Whatever goes wrong (no .wasm beside the bundle, a file that is not UTF-8, so that byte and
// character offsets part ways), the answer is undefined and the check judges every pattern itself.
import { readFileSync } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { join } from 'node:path';
import type { JudgedPatternsData } from '../engine/check/judged-patterns';
import type { MatchFieldHints } from '../grammar/index';
import type { Pcre2Version } from '../regex/index';

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
  judge(
    src: number, len: number, starts: number, ends: number, flags: number, verdicts: number, cap: number, clean: number,
    lineStarts: number, fieldFirst: number, fieldCounts: number, fields: number, fieldRoom: number,
  ): number;
  fieldsUsed(): number;
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

/** What the pass found: verdicts for checkDocument (JudgedPatterns), and match lines' fields for parse(). */
export interface QuickJudgement {
  patterns: JudgedPatternsData;
  fields: MatchFieldHints;
}

/**
 * The pass over the file whose bytes are `bytes` (the text parse() and checkDocument see is their
 * UTF-8 decoding), or undefined when this route is not available. `paths` replaces where the module
 * is looked for (tests).
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
  const clean = flags + cap;
  const lineStarts = (clean + cap + 3) & ~3;
  const fieldFirst = lineStarts + 4 * cap;
  const fieldCounts = fieldFirst + 4 * cap;
  const fields = fieldCounts + 4 * cap;
  // A field is at least 4 bytes ("p//" and whitespace).
  const fieldRoom = Math.floor(len / 4) + 16;
  let heap: Uint8Array;
  try {
    heap = reserve(wasm, fields + 16 * fieldRoom);
  } catch {
    return undefined; // no room for a file this large: judge in JavaScript
  }
  heap.set(bytes, src);
  heap.fill(0, src + len, src + len + PADDING);
  const count = wasm.judge(src, len, starts, ends, flags, verdicts, cap, clean, lineStarts, fieldFirst, fieldCounts, fields, fieldRoom);
  const buffer = wasm.memory.buffer;
  return {
    patterns: {
      version,
      starts: new Int32Array(buffer, starts, count).slice(),
      ends: new Int32Array(buffer, ends, count).slice(),
      flags: new Uint8Array(buffer, flags, count).slice(),
      groups: new Int32Array(buffer, verdicts, count).slice(),
      templatesClean: new Uint8Array(buffer, clean, count).slice(),
      details: [],
    },
    fields: {
      lineStarts: new Int32Array(buffer, lineStarts, count).slice(),
      first: new Int32Array(buffer, fieldFirst, count).slice(),
      counts: new Int32Array(buffer, fieldCounts, count).slice(),
      fields: new Int32Array(buffer, fields, 4 * wasm.fieldsUsed()).slice(),
    },
  };
}
