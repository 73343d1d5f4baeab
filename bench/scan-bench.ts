// The live-scan benchmark: a loopback sshd (banner at once) scanned by `nsp scan` as a whole
// process and by `nmap -sV` (Debian's 7.93, same port, same probes file, empty script.db),
// alternated in the same run. `nsp` is run as users run it: the bin, dist/nsp.js, executed
// itself (its launcher line, then Node), as `npm run build` made it; `node dist/nsp.js` beside
// it for comparison. Target: nsp within 1.5× nmap's median. A cold split (a fresh
// bundled process per round: bare node start, loading the bundle, reading the file, the NULL
// block's parse + database, the first reply's matching) and warm in-process rows show where our
// time goes.
//
// `benchRows(context)` is for bench/run.ts (after `npm run build`); `node --import tsx
// bench/scan-bench.ts` builds and prints the rows on its own.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import * as esbuild from 'esbuild';
import { stagedProbes } from '../prober/load-probes';
import { nodeTransport } from '../prober/node-transport';
import { scanService } from '../prober/scan';
import { startDaemon } from '../test/support/daemons';

export interface ScanBenchRow {
  measure: string;
  unit: 'ms';
  ours?: { median: number; min: number };
  anchor?: { median: number; min: number; name: string };
  target?: { kind: 'absolute' | 'ratio'; max: number };
  note?: string;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const fig = (xs: number[]) => ({ median: median(xs), min: Math.min(...xs) });

/**
 * Wall and CPU (user + system) time of one run, by bash's `time` (children's rusage), so the
 * machine's load — which stretches wall time for both programs — can be told apart from work.
 */
function timeProcess(cmd: string, args: string[]): { wall: number; cpu: number } {
  const quoted = [cmd, ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ');
  const r = spawnSync('bash', ['-c', `TIMEFORMAT='%R %U %S'; time ${quoted} > "$NSP_OUT"`], {
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, NSP_OUT: outFile },
  });
  const out = readFileSync(outFile, 'utf8');
  const times = r.stderr.trim().split('\n').pop()!.split(' ').map(Number);
  if (r.status !== 0 || !/OpenSSH/.test(out) || times.length !== 3) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr || out}`);
  return { wall: times[0] * 1000, cpu: (times[1] + times[2]) * 1000 };
}
let outFile = '';

export async function benchRows(context: { quick: boolean; probesPath?: string; tmp?: string } = { quick: false }): Promise<ScanBenchRow[]> {
  const root = resolve(__dirname, '..');
  const probesPath = context.probesPath ?? resolve(root, '..', 'shared', 'corpus', 'nmap-service-probes');
  const tmp = mkdtempSync(join(context.tmp ?? tmpdir(), 'nsp-scan-bench-'));
  const rounds = context.quick ? 3 : 7;
  // The target row alternates whole processes that take a few hundred ms each; a median of three
  // on this shared machine swings by ±20 %, so even a quick run takes five of each.
  const wholeRounds = context.quick ? 5 : 9;
  outFile = join(tmp, 'out.txt');
  const sshd = await startDaemon('ssh');
  try {
    // The CLI exactly as shipped and installed: the `nsp` bin of package.json.
    const bin = join(root, 'dist', 'nsp.js');
    if (!existsSync(bin)) throw new Error(`${bin} is missing: run \`npm run build\` first (npm run bench does)`);
    const datadir = join(tmp, 'nmap');
    mkdirSync(join(datadir, 'scripts'), { recursive: true });
    writeFileSync(join(datadir, 'scripts', 'script.db'), '');
    writeFileSync(join(datadir, 'nmap-service-probes'), readFileSync(probesPath));
    // The cold split: the same phases the CLI goes through, timed inside a fresh process.
    const split = join(tmp, 'split.js');
    await esbuild.build({
      stdin: {
        contents: `const t0 = performance.now();
const { readFileSync } = require('node:fs');
const { stagedProbes } = require('./prober/load-probes');
const { matchResponse } = require('./engine/match');
const t1 = performance.now();
const text = readFileSync(process.argv[2], 'utf8');
const t2 = performance.now();
const db = stagedProbes(text).head.db;
const t3 = performance.now();
const hit = matchResponse(db, db.nullProbe, process.argv[3]).hit;
const t4 = performance.now();
console.log(JSON.stringify({ start: t0, bundle: t1 - t0, read: t2 - t1, load: t3 - t2, match: t4 - t3, product: hit && hit.fields.product }));`,
        resolveDir: root,
        loader: 'js',
      },
      outfile: split, bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'error',
    });
    const target = `127.0.0.1:${sshd.port}`;
    const nspArgs = ['scan', target, '--probes', probesPath];
    const nmapArgs = ['-sV', '-Pn', '-n', '-p', String(sshd.port), '--datadir', datadir, '--versiondb', join(datadir, 'nmap-service-probes'), '127.0.0.1'];
    // One warm-up each (page cache, nmap's first start), then alternate.
    timeProcess(bin, nspArgs);
    timeProcess('nmap', nmapArgs);
    const bare: { wall: number; cpu: number }[] = [];
    const phases: Record<'bundle' | 'read' | 'load' | 'match', number>[] = [];
    const banner = 'SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10\r\n';
    const ours: { wall: number; cpu: number }[] = [];
    const viaNode: { wall: number; cpu: number }[] = [];
    const theirs: { wall: number; cpu: number }[] = [];
    for (let i = 0; i < wholeRounds; i++) {
      ours.push(timeProcess(bin, nspArgs));
      theirs.push(timeProcess('nmap', nmapArgs));
      viaNode.push(timeProcess(process.execPath, [bin, ...nspArgs]));
    }
    for (let i = 0; i < rounds; i++) {
      bare.push(timeProcess('node', ['-e', 'console.log("OpenSSH")']));
      const r = spawnSync('node', [split, probesPath, banner], { encoding: 'utf8', timeout: 60_000 });
      const p = JSON.parse(r.stdout);
      if (p.product !== 'OpenSSH') throw new Error(`cold split did not name OpenSSH: ${r.stdout}${r.stderr}`);
      phases.push(p);
    }
    const phase = (k: keyof (typeof phases)[number]) => fig(phases.map((p) => p[k]));
    // In-process split, as the CLI runs it: load the NULL probe's block, scan (the rest of the
    // file is never read for a banner service), then the full load for comparison.
    const text = readFileSync(probesPath, 'utf8');
    const loads: number[] = [];
    const scans: number[] = [];
    const fulls: number[] = [];
    for (let i = 0; i < rounds; i++) {
      let t = performance.now();
      const staged = stagedProbes(text);
      loads.push(performance.now() - t);
      t = performance.now();
      const r = await scanService({ db: () => staged.full().db, nullDb: staged.head?.db, transport: nodeTransport, endpoint: { address: '127.0.0.1', port: sshd.port }, host: '127.0.0.1', protocol: 'TCP' });
      scans.push(performance.now() - t);
      t = performance.now();
      staged.full();
      fulls.push(performance.now() - t);
      if (r.verdict?.product !== 'OpenSSH') throw new Error(`in-process scan did not name OpenSSH: ${r.status}`);
    }
    return [
      {
        measure: 'nsp scan loopback sshd (whole process) vs nmap -sV',
        unit: 'ms',
        ours: fig(ours.map((x) => x.wall)),
        anchor: { ...fig(theirs.map((x) => x.wall)), name: 'nmap 7.93 -sV' },
        target: { kind: 'ratio', max: 1.5 },
      },
      {
        measure: 'nsp scan loopback sshd (whole process) vs nmap -sV: CPU time (user + sys)',
        unit: 'ms',
        ours: fig(ours.map((x) => x.cpu)),
        anchor: { ...fig(theirs.map((x) => x.cpu)), name: 'nmap 7.93 -sV' },
        note: 'context for the row above: work done, whatever the load',
      },
      {
        measure: `the same as \`node dist/nsp.js scan\` (no launcher${process.env.NODE_EXTRA_CA_CERTS ? ', NODE_EXTRA_CA_CERTS set: Node loads every root certificate first' : ''})`,
        unit: 'ms',
        ours: fig(viaNode.map((x) => x.wall)),
        anchor: { ...fig(theirs.map((x) => x.wall)), name: 'nmap 7.93 -sV' },
      },
      { measure: 'cold: bare `node -e` start and exit (whole process)', unit: 'ms', ours: fig(bare.map((x) => x.wall)), note: 'the floor: Node itself' },
      { measure: 'cold: loading the bundle (probes, engine, regex, grammar modules)', unit: 'ms', ours: phase('bundle'), note: 'fresh process, after Node started' },
      { measure: 'cold: reading the probes file', unit: 'ms', ours: phase('read') },
      { measure: "cold: the NULL probe's block: grammar parse + probe database", unit: 'ms', ours: phase('load') },
      { measure: "cold: the banner against NULL's lines (candidate selection, compile, match)", unit: 'ms', ours: phase('match') },
      { measure: "nsp scan in-process (warm after round 1, as in an editor): load the NULL probe's block", unit: 'ms', ours: fig(loads), note: 'a long-lived process pays no cold start' },
      { measure: 'nsp scan in-process: the scan itself (fresh db each round: regexes compile on first use)', unit: 'ms', ours: fig(scans), note: 'with the row above: a warm scan' },
      { measure: 'nsp scan in-process: the rest of the file, not needed here (for comparison)', unit: 'ms', ours: fig(fulls), note: 'not part of the row above' },
    ];
  } finally {
    await sshd.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const built = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: resolve(__dirname, '..'), stdio: 'inherit' });
  if (built.status !== 0) throw new Error('npm run build failed');
  benchRows({ quick: process.argv.includes('--quick') }).then(
    (rows) => {
      console.log('| measure | ours median (min) | anchor median (min) | ratio | target |');
      console.log('|---|---|---|---|---|');
      for (const r of rows) {
        const o = r.ours ? `${r.ours.median.toFixed(0)} (${r.ours.min.toFixed(0)}) ms` : '';
        const a = r.anchor ? `${r.anchor.name}: ${r.anchor.median.toFixed(0)} (${r.anchor.min.toFixed(0)}) ms` : '';
        const ratio = r.ours && r.anchor ? (r.ours.median / r.anchor.median).toFixed(2) + '×' : '';
        const target = r.target ? `≤ ${r.target.max}×${r.ours && r.anchor ? (r.ours.median / r.anchor.median <= r.target.max ? ' pass' : ' FAIL') : ''}` : (r.note ?? '');
        console.log(`| ${r.measure} | ${o} | ${a} | ${ratio} | ${target} |`);
      }
    },
    (e) => {
      console.error(e);
      process.exitCode = 1;
    },
  );
}
