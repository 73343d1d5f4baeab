// Measurements of `nsp check`'s own work (issue 2): parse, every diagnostic, memory. bench/run.ts
// calls the in-process functions and starts this file as a child process for what needs a fresh
// V8 (the cold first parse) or a clean heap (memory):
//
//   node --import tsx bench/check-bench.ts --cold  PROBES   → {"parseMs":…,"checkMs":…}
//   node --expose-gc --import tsx bench/check-bench.ts --memory PROBES → {"parseHeapMB":…,…}

import { readFileSync } from 'node:fs';
import { parse } from '../grammar/index';
import { checkDocument } from '../engine/check';

export interface Subjects {
  parse: (text: string) => { diagnostics: unknown[] };
  checkDocument: (text: string, options?: { pcre2Version?: '10.42' | '10.47' }) => { diagnostics: unknown[] };
}

/** grammar's parse and engine's checkDocument: the two entry points the rows measure. */
export async function loadSubjects(): Promise<Subjects> {
  return { parse, checkDocument };
}

export interface Sample {
  wallMs: number;
  cpuMs: number;
}

const gc = (globalThis as { gc?: () => void }).gc;

/**
 * Times one call: wall clock and this process's CPU time (user + system). No collection is forced
 * before it: a forced full gc() shrinks V8's young generation, and the next call then pays for
 * growing it back (2-4× the steady-state time of a check, measured). Warm reps therefore run as a
 * long-lived process runs them, each paying for the garbage of the calls before it in turn.
 */
export function timeOnce(fn: () => unknown): Sample {
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  fn();
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const cpu = process.cpuUsage(cpu0);
  return { wallMs, cpuMs: (cpu.user + cpu.system) / 1000 };
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n === 0 ? NaN : n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

export function min(xs: readonly number[]): number {
  return xs.length ? Math.min(...xs) : NaN;
}

/** Warm timing: `warmups` untimed calls, then `reps` timed ones, back to back. */
export function timeWarm(fn: () => unknown, reps: number, warmups = 3): Sample[] {
  for (let i = 0; i < warmups; i++) fn();
  const out: Sample[] = [];
  for (let i = 0; i < reps; i++) out.push(timeOnce(fn));
  return out;
}

async function coldChild(path: string): Promise<void> {
  const text = readFileSync(path, 'utf8');
  const s = await loadSubjects();
  // First call of each in a fresh process: V8 has not optimised anything yet.
  const parse = timeOnce(() => s.parse(text));
  const check = timeOnce(() => s.checkDocument(text));
  process.stdout.write(JSON.stringify({ parseMs: parse.wallMs, checkMs: check.wallMs }) + '\n');
}

async function memoryChild(path: string): Promise<void> {
  if (!gc) throw new Error('run with --expose-gc');
  const text = readFileSync(path, 'utf8');
  const s = await loadSubjects();
  // Warm the code once so that compiled code and lazily built tables are not counted as the file's.
  s.parse(text);
  s.checkDocument(text);
  const MB = 1024 * 1024;
  gc();
  gc();
  const base = process.memoryUsage();
  const parsed = s.parse(text);
  gc();
  gc();
  const afterParse = process.memoryUsage();
  const checked = s.checkDocument(text);
  gc();
  gc();
  const afterCheck = process.memoryUsage();
  // Keep both results alive until after the last measurement.
  const alive = parsed.diagnostics.length + checked.diagnostics.length;
  process.stdout.write(
    JSON.stringify({
      parseHeapMB: (afterParse.heapUsed - base.heapUsed) / MB,
      parseExternalMB: (afterParse.external + afterParse.arrayBuffers - base.external - base.arrayBuffers) / MB,
      checkHeapMB: (afterCheck.heapUsed - afterParse.heapUsed) / MB,
      rssMB: afterCheck.rss / MB,
      maxRssMB: process.resourceUsage().maxRSS / 1024,
      alive,
    }) + '\n',
  );
}

// bench/run.ts imports this file and esbuild bundles both into one module, where require.main ===
// module holds too: the script name tells the child runs apart.
if (require.main === module && /check-bench\.[cm]?[jt]s$/.test(process.argv[1] ?? '')) {
  const [mode, path] = process.argv.slice(2);
  const job = mode === '--cold' ? coldChild(path) : mode === '--memory' ? memoryChild(path) : undefined;
  if (!job) {
    process.stderr.write('usage: check-bench.ts --cold|--memory PROBES_FILE\n');
    process.exitCode = 2;
  } else {
    job.catch((e) => {
      process.stderr.write(`check-bench: ${(e as Error).message}\n`);
      process.exitCode = 1;
    });
  }
}
