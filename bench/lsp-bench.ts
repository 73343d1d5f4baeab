// The language server over stdio, as an editor sees it: the bundled dist/server.js as a child
// process, the real 2.5 MB corpus. Measures first diagnostics after open, diagnostics after a
// one-line edit (debounce set to 0 so the figure is the server's work, not its wait), hover and
// completion latency, and the server's resident memory. Called by bench/run.ts (benchRows).

import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { TestClient } from '../test/server/lsp-harness';
import type { BenchContext, BenchRow } from './run';

const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.95))];
const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const lo = (xs: number[]) => Math.min(...xs);

function rssMb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

async function withServer<T>(root: string, fn: (c: TestClient, pid: number) => Promise<T>): Promise<T> {
  const child = spawn(process.execPath, [path.join(root, 'dist', 'server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'ignore'] });
  const client = new TestClient(child.stdout!, child.stdin!);
  try {
    await client.initialize(null, { validationDelay: 0 });
    return await fn(client, child.pid!);
  } finally {
    await Promise.race([client.shutdown(true), new Promise((r) => setTimeout(r, 2000))]);
    child.kill();
  }
}

export async function benchRows(ctx: Pick<BenchContext, 'quick' | 'root' | 'probesPath' | 'probesText'>): Promise<BenchRow[]> {
  const text = ctx.probesText;
  const uri = pathToFileURL(ctx.probesPath).toString();
  const opens: number[] = [];
  const edits: number[] = [];
  const hovers: number[] = [];
  const completions: number[] = [];
  let rss = NaN;
  let peak = NaN;
  const runs = ctx.quick ? 2 : 4;
  const lines = text.split('\n');
  const matchLines = lines.map((l, i) => (l.startsWith('match ') ? i : -1)).filter((i) => i >= 0);
  for (let run = 0; run < runs; run++) {
    await withServer(ctx.root, async (c, pid) => {
      let t = performance.now();
      await c.open(uri, text);
      opens.push(performance.now() - t);
      if (run > 0) return;
      // One-line edits spread over the file: insert a character into a versioninfo field.
      const n = ctx.quick ? 10 : 30;
      for (let i = 0; i < n; i++) {
        const line = matchLines[Math.floor(((i + 0.5) * matchLines.length) / n)];
        t = performance.now();
        const end = { line, character: lines[line].length };
        await c.change(uri, [{ range: { start: end, end }, text: ' ' }]);
        lines[line] += ' ';
        edits.push(performance.now() - t);
      }
      for (let i = 0; i < (ctx.quick ? 20 : 60); i++) {
        const line = matchLines[(i * 997) % matchLines.length];
        const character = Math.min(lines[line].length - 1, 8 + ((i * 13) % 40));
        t = performance.now();
        await c.request('textDocument/hover', { textDocument: { uri }, position: { line, character } });
        hovers.push(performance.now() - t);
        t = performance.now();
        await c.request('textDocument/completion', { textDocument: { uri }, position: { line, character: lines[line].length } });
        completions.push(performance.now() - t);
      }
      rss = rssMb(pid, 'VmRSS');
      peak = rssMb(pid, 'VmHWM');
    });
  }
  const row = (measure: string, xs: number[], max: number, note?: string): BenchRow => ({
    measure,
    unit: 'ms',
    ours: { median: measure.includes('p95') ? p95(xs) : med(xs), min: lo(xs) },
    target: { kind: 'absolute', max },
    note,
  });
  return [
    row('LSP: first diagnostics after open (2.5 MB corpus, stdio)', opens, 500, `${opens.length} fresh servers`),
    row('LSP: diagnostics after a one-line edit, p95', edits, 60, `${edits.length} edits; debounce 0 (the editor adds 150 ms by default); median column is p95`),
    row('LSP: hover, p95', hovers, 20, `${hovers.length} requests on match lines; median column is p95`),
    {
      measure: 'LSP: first hover right after the last edit',
      unit: 'ms',
      ours: { median: hovers[0], min: hovers[0] },
      note: 'builds the tree the incremental check skipped (the server does it itself after 400 ms without typing); no target',
    },
    row('LSP: completion, p95', completions, 20, `${completions.length} requests at line ends; median column is p95`),
    { measure: 'LSP: server memory after open + edits (peak RSS)', unit: 'MB', ours: { median: peak, min: rss }, target: { kind: 'absolute', max: 250 }, note: 'min column is RSS at the end' },
  ];
}

if (require.main === module) {
  const root = path.join(__dirname, '..');
  const probesPath = path.join(root, '..', 'shared', 'corpus', 'nmap-service-probes');
  void benchRows({ quick: process.argv.includes('--quick'), root, probesPath, probesText: readFileSync(probesPath, 'utf8') }).then((rows) => {
    for (const r of rows) process.stdout.write(`${r.measure}\t${r.ours?.median.toFixed(1)} ${r.unit}\t(min ${r.ours?.min.toFixed(1)})\ttarget ≤ ${r.target?.max}\t${r.note ?? ''}\n`);
  });
}
