// `npm run bench [-- --quick]`: runs nsp's benchmarks and the reference anchors of
// ../shared/anchors in the same session, and prints ONE markdown table: measure, our median and
// min, the anchor's median and min, the ratio of medians, the target, pass or fail.
//
// The machine is a shared 2-core VM whose load changes by 2-3× within minutes, so anchors run here,
// interleaved with our own measurement where the two can alternate, and targets that are ratios are
// judged on this run's ratio only. What each row means is in bench/README.md.
//
// Other areas add rows by writing bench/regex-bench.ts or bench/engine-bench.ts exporting
// `benchRows(context: BenchContext): Promise<BenchRow[]>`; a missing one is skipped with a note.

import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadSubjects, median, min, timeWarm, type Sample } from './check-bench';
import { PatternJudge } from '../cli/parallel-analysis';
import { checkBytes } from '../cli/commands/check';
import { checkDocument } from '../engine/check/index';

// ---------- the table every benchmark contributes to ----------

export interface Figure {
  median: number;
  min: number;
}

export interface BenchRow {
  measure: string;
  unit: 'ms' | 'MB';
  ours?: Figure;
  /** The reference measured in this run; `name` says which (shown in the measure column). */
  anchor?: Figure & { name: string };
  /** `max` on our median (absolute), or on ours ÷ anchor (ratio, medians). */
  target?: { kind: 'absolute' | 'ratio'; max: number };
  note?: string;
}

/** What bench/regex-bench.ts and bench/engine-bench.ts receive. */
export interface BenchContext {
  quick: boolean;
  root: string;
  /** ../shared/corpus/nmap-service-probes and its text. */
  probesPath: string;
  probesText: string;
  /** The anchor sample responses (../shared/anchors/samples/*.bin). */
  samples: string[];
  /** libpcre2 figures of this run (pcre2_anchor.c), keyed by its labels, e.g. "compile all (pcre2_compile)". */
  pcre2: Map<string, { wall: Figure; cpu: Figure }>;
  /** A scratch directory, removed after the run. */
  tmp: string;
}

// ---------- helpers ----------

const root = resolve(__dirname, '..');
const shared = resolve(root, '..', 'shared');
const anchors = join(shared, 'anchors');
const probesPath = join(shared, 'corpus', 'nmap-service-probes');

function fig(xs: number[]): Figure {
  return { median: median(xs), min: min(xs) };
}

function log(s: string): void {
  process.stderr.write(s + '\n');
}

function run(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string } = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 512 << 20, timeout: 300_000, ...opts });
  if (r.error) throw new Error(`${cmd}: ${r.error.message}`);
  return r;
}

function has(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).status === 0;
}

// ---------- anchors ----------

/** libpcre2: compile all patterns like nmap, match every sample (pcre2_anchor.c). */
function pcre2Anchor(tmp: string, samples: string[], quick: boolean): BenchContext['pcre2'] {
  const out = new Map<string, { wall: Figure; cpu: Figure }>();
  const exe = join(tmp, 'pcre2_anchor');
  const cc = run('cc', ['-O2', '-o', exe, join(anchors, 'pcre2', 'pcre2_anchor.c'), '-lpcre2-8']);
  if (cc.status !== 0) {
    log(`pcre2 anchor: build failed (is libpcre2-dev installed?)\n${cc.stderr}`);
    return out;
  }
  const r = run(exe, [probesPath, '--reps', quick ? '3' : '9', ...samples]);
  for (const line of r.stdout.split('\n')) {
    const m = /^(.+?)\s+wall min\s+([\d.]+) med\s+([\d.]+) ms \| cpu min\s+([\d.]+) med\s+([\d.]+) ms/.exec(line);
    if (m) {
      out.set(m[1].trim(), {
        wall: { min: +m[2], median: +m[3] },
        cpu: { min: +m[4], median: +m[5] },
      });
    }
  }
  return out;
}

/** The Node line-splitter floor (tokenize_floor.mjs), warm directives-str. */
function tokenizerAnchor(quick: boolean): Figure | undefined {
  const r = run(process.execPath, ['--expose-gc', join(anchors, 'node', 'tokenize_floor.mjs'), probesPath, '--reps', quick ? '7' : '21']);
  const m = /^directives-str\s+cold\s+[\d.]+ ms \| min\s+([\d.]+) med\s+([\d.]+) ms/m.exec(r.stdout);
  return m ? { min: +m[1], median: +m[2] } : undefined;
}

/** Builds the LD_PRELOAD shim that times nmap's fopen..fclose of its probes file. */
function buildNmapShim(tmp: string): string | undefined {
  if (!has('nmap')) return undefined;
  const so = join(tmp, 'probe_load_timer.so');
  const cc = run('cc', ['-O2', '-shared', '-fPIC', '-o', so, join(anchors, 'nmap', 'probe_load_timer.c'), '-ldl']);
  if (cc.status !== 0) {
    log(`nmap shim: build failed\n${cc.stderr}`);
    return undefined;
  }
  return so;
}

const NMAP_ARGS = ['-sV', '-p', '1', '127.0.0.1', '--versiondb', probesPath];

/** One nmap run under the shim: its own load + compile time of the file (wall, thread CPU). */
function nmapLoadOnce(shim: string): Sample | undefined {
  const r = run('nmap', NMAP_ARGS, { env: { ...process.env, LD_PRELOAD: shim } });
  const m = /probe-load wall_ms=([\d.]+) cpu_ms=([\d.]+)/.exec(r.stderr);
  return m ? { wallMs: +m[1], cpuMs: +m[2] } : undefined;
}

function spawnMs(cmd: string, args: string[], env?: NodeJS.ProcessEnv): number {
  const t0 = process.hrtime.bigint();
  run(cmd, args, { cwd: root, env });
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

// ---------- the run ----------

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  // `--only check,regex,engine,scan,lsp`: just those areas' rows (the check rows are area "check").
  const onlyArg = process.argv.find((a) => a.startsWith('--only='));
  const only = onlyArg ? new Set(onlyArg.slice('--only='.length).split(',')) : undefined;
  const wanted = (area: string): boolean => !only || only.has(area);
  const reps = quick ? 7 : 25;
  if (!existsSync(probesPath)) throw new Error(`${probesPath} is missing (../shared beside the checkout)`);
  const probesText = readFileSync(probesPath, 'utf8');
  const samples = ['http-400.bin', 'ssh-banner.bin', 'smtp-banner.bin', 'random-4k.bin'].map((s) => join(anchors, 'samples', s));
  const tmp = mkdtempSync(join(tmpdir(), 'nsp-bench-'));
  const rows: BenchRow[] = [];
  const notes: string[] = [];

  try {
    const subjects = await loadSubjects();
    const text = probesText;
    if (wanted('check')) {

    log('· parse + format diagnostics (warm) and the Node tokenizer anchor');
    const tok = tokenizerAnchor(quick);
    const parseWarm = timeWarm(() => subjects.parse(text), reps);
    rows.push({
      measure: 'parse + every format diagnostic, warm, in-process',
      unit: 'ms',
      ours: fig(parseWarm.map((s) => s.wallMs)),
      anchor: tok && { ...tok, name: 'Node line splitter (directives-str)' },
      target: { kind: 'absolute', max: 60 },
    });
    rows.push({
      measure: 'the same, CPU time (steadier than wall when the machine is loaded)',
      unit: 'ms',
      ours: fig(parseWarm.map((s) => s.cpuMs)),
    });

    log('· cold first parse / first check (fresh processes)');
    const cold: { parseMs: number; checkMs: number }[] = [];
    for (let i = 0; i < (quick ? 3 : 7); i++) {
      const r = run(process.execPath, ['--import', 'tsx', join(root, 'bench', 'check-bench.ts'), '--cold', probesPath], { cwd: root });
      if (r.status === 0) cold.push(JSON.parse(r.stdout));
      else notes.push(`cold child failed: ${r.stderr.trim().split('\n')[0]}`);
    }
    if (cold.length) {
      rows.push({ measure: 'parse + format diagnostics, cold (first call in a fresh process)', unit: 'ms', ours: fig(cold.map((c) => c.parseMs)) });
    }

    log('· parse + every diagnostic incl. PCRE2 validation, interleaved with nmap load+compile');
    const shim = buildNmapShim(tmp);
    const asCli: Sample[] = [];
    const twoThreads: Sample[] = [];
    const nmap: Sample[] = [];
    const nmapReps = quick ? 5 : 15;
    // The pipeline `nsp check` runs on a file's bytes (cli/commands/check.ts checkBytes()): by
    // default everything on this thread, the WebAssembly pass first (cli/quick-judge.ts: most
    // patterns judged, the lines it finds clean made comments that need no parse), then the
    // decoded text parsed and checked; with NSP_CHECK_THREADS=2 (no WebAssembly pass) the patterns
    // judged on a second thread while this one parses. One worker for the whole run, as for the
    // files of one `nsp check` call, so it is warm like the single-thread figures. Beside them, the
    // editor's path: checkDocument on the text, every line parsed and checked in JavaScript.
    const workerScript = join(root, 'dist', 'check-worker.js');
    const judge = existsSync(workerScript) ? new PatternJudge(workerScript) : undefined;
    if (!judge) notes.push('dist/check-worker.js missing: the two-thread row is skipped (npm run bench builds it)');
    const timeAsync = async (fn: () => Promise<unknown>): Promise<Sample> => {
      const cpu0 = process.cpuUsage();
      const t0 = process.hrtime.bigint();
      await fn();
      const cpu = process.cpuUsage(cpu0);
      return { wallMs: Number(process.hrtime.bigint() - t0) / 1e6, cpuMs: (cpu.user + cpu.system) / 1000 };
    };
    const bytes = readFileSync(probesPath);
    const editorPath: Sample[] = [];
    for (let i = 0; judge && i < 3; i++) await checkBytes(bytes, undefined, judge);
    for (let i = 0; i < 3; i++) {
      await checkBytes(bytes, undefined);
      checkDocument(text);
    }
    for (let i = 0; i < nmapReps; i++) {
      if (shim) {
        const n = nmapLoadOnce(shim);
        if (n) nmap.push(n);
      }
      asCli.push(await timeAsync(() => checkBytes(bytes, undefined)));
      if (judge) twoThreads.push(await timeAsync(() => checkBytes(bytes, undefined, judge)));
      editorPath.push(await timeAsync(async () => checkDocument(text)));
    }
    judge?.close();
    if (shim && nmap.length === 0) notes.push('nmap shim printed nothing: LD_PRELOAD not effective?');
    const nmapWall = nmap.length ? { ...fig(nmap.map((s) => s.wallMs)), name: 'nmap 7.93 load+compile (wall)' } : undefined;
    const nmapCpu = nmap.length ? { ...fig(nmap.map((s) => s.cpuMs)), name: 'nmap 7.93 load+compile (CPU)' } : undefined;
    rows.push({
      measure: 'every diagnostic incl. PCRE2 validation of every pattern, as `nsp check` computes it from the file\'s bytes (checkBytes(), one thread), warm, wall clock',
      unit: 'ms',
      ours: fig(asCli.map((s) => s.wallMs)),
      anchor: nmapWall,
      target: { kind: 'ratio', max: 1.0 },
    });
    rows.push({ measure: 'the same, CPU time', unit: 'ms', ours: fig(asCli.map((s) => s.cpuMs)), anchor: nmapCpu });
    if (twoThreads.length) {
      rows.push({
        measure: 'the same with NSP_CHECK_THREADS=2 (patterns judged on a 2nd thread during the parse), warm, wall clock',
        unit: 'ms',
        ours: fig(twoThreads.map((s) => s.wallMs)),
        anchor: nmapWall,
      });
      rows.push({ measure: 'the same, CPU time of both threads', unit: 'ms', ours: fig(twoThreads.map((s) => s.cpuMs)), anchor: nmapCpu });
    }
    rows.push({
      measure: 'the editor\'s path: parse + every diagnostic of the text in JavaScript (checkDocument, no WebAssembly pass), warm, wall clock',
      unit: 'ms',
      ours: fig(editorPath.map((s) => s.wallMs)),
      anchor: nmapWall,
    });
    if (cold.length) {
      rows.push({
        measure: 'the editor\'s path, cold: parse + every diagnostic (checkDocument, first call in a fresh process)',
        unit: 'ms',
        ours: fig(cold.map((c) => c.checkMs)),
        anchor: nmap.length ? { ...fig(nmap.map((s) => s.wallMs)), name: 'nmap 7.93 load+compile (wall)' } : undefined,
      });
    }

    log('· whole process: nsp check vs nmap -sV -p 1 127.0.0.1 (interleaved)');
    const nsp = join(root, 'dist', 'nsp.js');
    if (!existsSync(nsp)) notes.push('dist/nsp.js missing: run `npm run build` (npm run bench does)');
    else {
      const wholeReps = quick ? 5 : 15;
      const nspMs: number[] = [];
      const viaNodeMs: number[] = [];
      const nmapMs: number[] = [];
      const threadsMs: number[] = [];
      const noCacheMs: number[] = [];
      // `nsp` as users run it: the bin itself (dist/nsp.js starts as a shell launcher, see
      // esbuild.mjs), and, for comparison, `node dist/nsp.js` with this environment as it is, the
      // bin with NSP_CHECK_THREADS=2, and a copy of the bin without its code cache (cli/launch.ts).
      const bare = mkdtempSync(join(tmpdir(), 'nsp-bench-nocache-'));
      for (const f of ['nsp.js', 'nsp-cli.js', 'check-worker.js', 'quick-judge.wasm']) copyFileSync(join(root, 'dist', f), join(bare, f));
      const nspBare = join(bare, 'nsp.js');
      chmodSync(nspBare, 0o755);
      spawnMs(nsp, ['check', probesPath]); // warm the file cache
      for (let i = 0; i < wholeReps; i++) {
        nspMs.push(spawnMs(nsp, ['check', probesPath]));
        if (has('nmap')) nmapMs.push(spawnMs('nmap', NMAP_ARGS));
        viaNodeMs.push(spawnMs(process.execPath, [nsp, 'check', probesPath]));
        threadsMs.push(spawnMs(nsp, ['check', probesPath], { ...process.env, NSP_CHECK_THREADS: '2' }));
        noCacheMs.push(spawnMs(nspBare, ['check', probesPath]));
      }
      rmSync(bare, { recursive: true, force: true });
      const nmapFig = nmapMs.length ? { ...fig(nmapMs), name: '`nmap -sV -p 1 127.0.0.1 --versiondb` same file' } : undefined;
      rows.push({ measure: '`nsp check` on the file, whole process (the `nsp` bin)', unit: 'ms', ours: fig(nspMs), anchor: nmapFig, target: { kind: 'ratio', max: 0.5 } });
      const extraCa = process.env.NODE_EXTRA_CA_CERTS ? ', NODE_EXTRA_CA_CERTS set: Node loads every root certificate first' : '';
      rows.push({ measure: `the same as \`node dist/nsp.js check\` (no launcher${extraCa})`, unit: 'ms', ours: fig(viaNodeMs), anchor: nmapFig });
      rows.push({ measure: 'the same bin with NSP_CHECK_THREADS=2 (patterns judged on a 2nd thread)', unit: 'ms', ours: fig(threadsMs), anchor: nmapFig });
      rows.push({ measure: 'the same bin without its code cache (a copy of dist/ without nsp-cli.js.cache)', unit: 'ms', ours: fig(noCacheMs), anchor: nmapFig });
    }

    log('· memory of the parsed file');
    const mem = run(process.execPath, ['--expose-gc', '--import', 'tsx', join(root, 'bench', 'check-bench.ts'), '--memory', probesPath], { cwd: root });
    if (mem.status === 0) {
      const m = JSON.parse(mem.stdout) as Record<string, number>;
      const one = (x: number): Figure => ({ median: x, min: x });
      rows.push({ measure: 'heap retained by the parsed file (heapUsed delta after gc)', unit: 'MB', ours: one(m.parseHeapMB), target: { kind: 'absolute', max: 60 } });
      rows.push({ measure: 'heap retained by a checkDocument result (it holds its own parse)', unit: 'MB', ours: one(m.checkHeapMB) });
      rows.push({ measure: 'peak RSS of a process that parses and checks the file', unit: 'MB', ours: one(m.maxRssMB) });
    } else notes.push(`memory child failed: ${mem.stderr.trim().split('\n')[0]}`);
    }

    log('· libpcre2 anchors');
    const pcre2 = pcre2Anchor(tmp, samples, quick);
    const ctx: BenchContext = { quick, root, probesPath, probesText, samples, pcre2, tmp };
    for (const name of ['regex-bench', 'engine-bench', 'scan-bench', 'lsp-bench']) {
      if (!wanted(name.replace(/-bench$/, ''))) continue;
      const file = join(root, 'bench', `${name}.ts`);
      if (!existsSync(file)) {
        notes.push(`bench/${name}.ts not present: its rows are skipped`);
        continue;
      }
      log(`· bench/${name}.ts`);
      try {
        type BenchModule = { benchRows?: (c: BenchContext) => Promise<BenchRow[]> };
        // From the bundled runner a .ts module arrives as CommonJS: its exports are on `default`.
        const loaded = (await import(file)) as BenchModule & { default?: BenchModule };
        const mod = typeof loaded.benchRows === 'function' ? loaded : (loaded.default ?? loaded);
        if (typeof mod.benchRows !== 'function') notes.push(`bench/${name}.ts exports no benchRows(context): skipped`);
        else rows.push(...(await mod.benchRows(ctx)));
      } catch (e) {
        notes.push(`bench/${name}.ts failed: ${(e as Error).message.split('\n')[0]}`);
      }
    }
    // The libpcre2 figures themselves, for reference next to the regex rows.
    for (const [label, f] of pcre2) {
      if (/^(compile all|match-all interp)/.test(label)) {
        rows.push({ measure: `libpcre2 ${label}`, unit: 'ms', anchor: { ...f.wall, name: 'libpcre2 10.42' }, note: 'anchor only' });
      }
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }

  const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  process.stdout.write(renderTable(rows));
  process.stdout.write(`\n${quick ? 'quick run' : 'full run'}; node ${process.version}; load average ${load}\n`);
  for (const n of notes) process.stdout.write(`- ${n}\n`);
}

// ---------- the table ----------

function num(x: number | undefined, unit: string): string {
  if (x === undefined || !Number.isFinite(x)) return '—';
  const digits = x >= 100 ? 0 : x >= 10 ? 1 : x >= 1 ? 2 : 3;
  return `${x.toFixed(digits)} ${unit}`;
}

export function verdict(row: BenchRow): { ratio?: number; status: string } {
  const ratio = row.ours && row.anchor ? row.ours.median / row.anchor.median : undefined;
  if (!row.target) return { ratio, status: row.ours ? 'info' : 'anchor' };
  const value = row.target.kind === 'absolute' ? row.ours?.median : ratio;
  if (value === undefined || !Number.isFinite(value)) return { ratio, status: 'not measured' };
  return { ratio, status: value <= row.target.max ? 'PASS' : 'FAIL' };
}

export function renderTable(rows: readonly BenchRow[]): string {
  const head = ['measure', 'ours median', 'ours min', 'anchor median', 'anchor min', 'ratio', 'target', 'result'];
  const lines = [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`];
  for (const r of rows) {
    const v = verdict(r);
    const target = r.target ? (r.target.kind === 'absolute' ? `≤ ${r.target.max} ${r.unit}` : `≤ ${r.target.max.toFixed(1)}×`) : '';
    const measure = r.anchor ? `${r.measure} — vs ${r.anchor.name}` : r.measure;
    lines.push(
      `| ${[
        measure + (r.note ? ` (${r.note})` : ''),
        num(r.ours?.median, r.unit),
        num(r.ours?.min, r.unit),
        num(r.anchor?.median, r.unit),
        num(r.anchor?.min, r.unit),
        v.ratio === undefined ? '—' : `${v.ratio.toFixed(2)}×`,
        target,
        v.status,
      ].join(' | ')} |`,
    );
  }
  return lines.join('\n') + '\n';
}

if (require.main === module) {
  main().catch((e) => {
    process.stderr.write(`bench: ${(e as Error).message}\n`);
    process.exitCode = 1;
  });
}
