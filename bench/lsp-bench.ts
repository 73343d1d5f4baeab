// The language server over stdio, as an editor sees it: the bundled dist/server.js as a child
// process, the real 2.5 MB corpus. Measures first diagnostics after open, diagnostics after a
// one-line edit (debounce set to 0 so the figure is the server's work, not its wait), hover and
// completion latency, and the server's resident memory; then documents no editor should choke on
// (a 10 MB line, 5 MB of junk, 200,000 lines, a 2 MB pattern): first diagnostics after open, and a
// hover on a small file sent right behind the open (how long the server is busy with the big one).
// Called by bench/run.ts (benchRows).

import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { hostileInputs } from '../test/server/hostile-inputs';
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
  const hostile: BenchRow[] = [];
  const small = 'file:///bench/small.nsp';
  const smallText = 'Probe TCP NULL q||\nmatch ftp m|^220 (\\w+)| p/$1/\n';
  for (const input of hostileInputs()) {
    const opened: number[] = [];
    const behind: number[] = [];
    for (let run = 0; run < (ctx.quick ? 1 : 3); run++) {
      await withServer(ctx.root, async (c) => {
        await c.open(small, smallText);
        const uri = `file:///bench/${input.name.replace(/\W+/g, '-')}.nsp`;
        const t = performance.now();
        const diagnostics = c.open(uri, input.text);
        const hover = c.request('textDocument/hover', { textDocument: { uri: small }, position: { line: 1, character: smallText.split('\n')[1].indexOf('$1') } });
        await hover;
        behind.push(performance.now() - t);
        await diagnostics;
        opened.push(performance.now() - t);
      });
    }
    hostile.push(row(`LSP: open ${input.name} → first diagnostics`, opened, 2000, `${opened.length} fresh server${opened.length === 1 ? '' : 's'}; ${(input.text.length / 1048576).toFixed(1)} M characters`));
    hostile.push({
      measure: `LSP: hover on a small file sent right behind that open`,
      unit: 'ms',
      ours: { median: med(behind), min: lo(behind) },
      target: { kind: 'absolute', max: 2000 },
      note: 'the server answers in order; this is how long the big document keeps it busy',
    });
  }
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
    ...hostile,
  ];
}

if (require.main === module) {
  const root = path.join(__dirname, '..');
  const probesPath = path.join(root, '..', 'shared', 'corpus', 'nmap-service-probes');
  void benchRows({ quick: process.argv.includes('--quick'), root, probesPath, probesText: readFileSync(probesPath, 'utf8') }).then((rows) => {
    for (const r of rows) process.stdout.write(`${r.measure}\t${r.ours?.median.toFixed(1)} ${r.unit}\t(min ${r.ours?.min.toFixed(1)})\ttarget ≤ ${r.target?.max}\t${r.note ?? ''}\n`);
  });
}
