// Benchmark of the regex layer against ../shared/anchors (run them in the same session and quote
// ratios). Exported for the project's bench runner: regexBench() returns rows; run this file
// directly to print them.
//
// Rows (times in ms, one entry per repetition):
// - `regex: validate all`: parse + analyse every match/softmatch pattern of the latest corpus
//   (compile() without building a RegExp), in-process; the first rep is the coldest.
// - `regex: index build`: the sweep prefilter over all patterns (new Sweeper), in-process.
// - `regex: cold sweep <sample>`: a fresh child process per rep builds the Sweeper and sweeps the
//   sample once: index + parse/translate/new RegExp of candidates + exec; no RegExp existed before
//   (V8's RegExp cache is per process, so in-process reps would not be cold). Timed inside the child.
// - `regex: warm sweep <sample>`: the same Sweeper sweeping the sample again (everything compiled).
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { corpusPatterns, SHARED } from './regex-corpus';
import { compile } from '../regex/compile';
import { analyze } from '../regex/analyze';
import { Sweeper } from '../regex/sweep';

export interface RegexBenchRow {
  name: string;
  /** Milliseconds, one per repetition. */
  ms: number[];
  /** What a row counts, e.g. hits, candidates. */
  note?: string;
}

const SAMPLES = join(SHARED, 'anchors', 'samples');

function coldChild(sample: string): { ms: number; hits: number; candidates: number } {
  const entries = corpusPatterns();
  const subject = readFileSync(join(SAMPLES, sample), 'latin1');
  const t0 = performance.now();
  const sw = new Sweeper(entries);
  const hits = sw.sweep(subject);
  const ms = performance.now() - t0;
  return { ms, hits: hits.length, candidates: sw.candidates(subject).length };
}

export async function regexBench(options: { reps?: number; coldReps?: number } = {}): Promise<RegexBenchRow[]> {
  const reps = options.reps ?? 7;
  const coldReps = options.coldReps ?? 5;
  const rows: RegexBenchRow[] = [];
  const entries = corpusPatterns();
  const validate: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    for (const e of entries) compile(e.pattern, e);
    validate.push(performance.now() - t0);
  }
  rows.push({ name: `regex: validate all (${entries.length} patterns)`, ms: validate });
  // analyze(): the verdict, group count, match-empty and octal traps only — what the checks need
  // (answered by regex/fast-validate.ts without a tree for most patterns). With compile() loaded
  // the translator's hook is registered, so `unsupported` would be computed on first read; it is
  // not read here. Compare with libpcre2's "compile all" in the same run.
  const analyzeMs: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    for (const e of entries) analyze(e.pattern, { caseless: e.caseless, dotall: e.dotall });
    analyzeMs.push(performance.now() - t0);
  }
  rows.push({ name: `regex: analyze all, verdicts only (${entries.length} patterns)`, ms: analyzeMs });
  const index: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    new Sweeper(entries);
    index.push(performance.now() - t0);
  }
  rows.push({ name: 'regex: index build', ms: index });
  for (const sample of readdirSync(SAMPLES).filter((f) => f.endsWith('.bin')).sort()) {
    const cold: number[] = [];
    let note = '';
    for (let r = 0; r < coldReps; r++) {
      const child = spawnSync(process.execPath, ['--import', 'tsx', __filename, '--cold-child', sample], { encoding: 'utf8', timeout: 120_000, cwd: join(__dirname, '..') });
      const res = JSON.parse(child.stdout.trim().split('\n').pop() ?? '{}') as { ms: number; hits: number; candidates: number };
      cold.push(res.ms);
      note = `${res.hits} hits, ${res.candidates} candidates compiled`;
    }
    rows.push({ name: `regex: cold sweep ${sample}`, ms: cold, note });
    const sw = new Sweeper(entries);
    const subject = readFileSync(join(SAMPLES, sample), 'latin1');
    sw.sweep(subject);
    const warm: number[] = [];
    for (let r = 0; r < reps; r++) {
      const t0 = performance.now();
      sw.sweep(subject);
      warm.push(performance.now() - t0);
    }
    rows.push({ name: `regex: warm sweep ${sample}`, ms: warm });
  }
  return rows;
}

function fmt(rows: RegexBenchRow[]): string {
  const lines = ['| measure | min | median | note |', '| --- | --- | --- | --- |'];
  for (const r of rows) {
    const s = [...r.ms].sort((a, b) => a - b);
    lines.push(`| ${r.name} | ${s[0].toFixed(2)} ms | ${s[Math.floor(s.length / 2)].toFixed(2)} ms | ${r.note ?? ''} |`);
  }
  return lines.join('\n');
}

if (require.main === module) {
  const k = process.argv.indexOf('--cold-child');
  if (k >= 0) {
    process.stdout.write(JSON.stringify(coldChild(process.argv[k + 1])) + '\n');
  } else {
    regexBench().then((rows) => console.log(fmt(rows)));
  }
}
