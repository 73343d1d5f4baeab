// Our live scanner against real nmap on the same replayed services: a sample of the TCP
// fingerprints in ../shared/fingerprints is played back by the fingerprints helper's replay server
// on loopback (on the port the oracle was scanned on) and scanned by prober/scan.ts over real
// sockets with `--version-all --allports`, as ORACLE-nmap-latest.tsv was made; every field must
// equal what the real latest nmap reported for the same replay. UDP is left out: nmap HEAD
// matches its UDP port scan's payload reply first, a stage a live version scan here does not have.
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { captureFromFingerprint, type CaptureCase } from '../../engine/capture';
import { parseFingerprints } from '../../engine/fingerprint';
import { stagedProbes } from '../../prober/load-probes';
import { nodeTransport } from '../../prober/node-transport';
import { readProbePayloads } from '../../prober/replay-probes';
import { makeSelfSignedCert } from '../../prober/replay-cert';
import { startReplayServer, type ReplayHost } from '../../prober/replay-server';
import type { ScanResult } from '../../prober/result';
import { openNullConnection, scanService } from '../../prober/scan';

const SHARED = resolve(__dirname, '../../../shared');
const FP_DIR = join(SHARED, 'fingerprints');
const PROBES = join(SHARED, 'corpus/nmap-service-probes');
/** Every STRIDE-th TCP fingerprint (sorted by file name), so the test stays under a minute; NSP_ORACLE_STRIDE=1 runs all. */
const STRIDE = Number(process.env.NSP_ORACLE_STRIDE ?? 5);
const CONCURRENCY = 8;

const FIELDS = ['name', 'method', 'tunnel', 'product', 'version', 'extrainfo', 'hostname', 'ostype', 'devicetype', 'cpe'] as const;
type Row = Record<(typeof FIELDS)[number], string>;

interface Job {
  file: string;
  c: CaptureCase;
  port: number;
  oracle: Row;
  result?: ScanResult;
  error?: string;
  retries?: number;
}

/** Our result in the oracle's columns (nmap's XML: name, method, tunnel, …). */
function rowOf(r: ScanResult): Row {
  const v = r.verdict;
  const named = r.status === 'identified' || r.status === 'softmatched';
  const name = r.status === 'tcpwrapped' ? 'tcpwrapped' : named && v ? v.service.replace(/^ssl\//, '') : '';
  return {
    name,
    method: name ? 'probed' : 'table',
    // After an ssl match nmap reports the tunnel even when nothing inside it matched.
    tunnel: r.tunnel === 'ssl' ? 'ssl' : '',
    product: (named && v?.product) || '',
    version: (named && v?.version) || '',
    extrainfo: (named && v?.info) || '',
    hostname: (named && v?.hostname) || '',
    ostype: (named && v?.ostype) || '',
    devicetype: (named && v?.devicetype) || '',
    cpe: named && v ? v.cpe.join(' ') : '',
  };
}

function loadJobs(): Job[] {
  const tsv = readFileSync(join(FP_DIR, 'ORACLE-nmap-latest.tsv'), 'utf8').trimEnd().split('\n');
  const head = tsv[0].split('\t');
  const oracle = new Map<string, Record<string, string>>();
  for (const line of tsv.slice(1)) {
    const cells = line.split('\t');
    oracle.set(cells[0], Object.fromEntries(head.map((h, i) => [h, cells[i] ?? ''])));
  }
  const tcp = readdirSync(FP_DIR).filter((f) => f.endsWith('-tcp.sf') || /-tcp-/.test(f)).sort();
  const jobs: Job[] = [];
  tcp.forEach((file, i) => {
    if (i % STRIDE !== 0) return;
    const rec = oracle.get(file);
    if (!rec || rec.proto !== 'TCP') return;
    const { fingerprints } = parseFingerprints(readFileSync(join(FP_DIR, file), 'latin1'));
    const c = captureFromFingerprint(fingerprints[0], file);
    // The oracle names only the service; nmap's table guess (method=table) is not a detection.
    const o = Object.fromEntries(FIELDS.map((f) => [f, rec[f] ?? ''])) as Row;
    if (o.method === 'table') o.name = '';
    jobs.push({ file, c, port: Number(rec.scan_port), oracle: o });
  });
  return jobs;
}

describe("prober live scan vs the latest nmap on replayed fingerprints (a sample of ../shared/fingerprints)", function () {
  this.timeout(240_000);
  const jobs = loadJobs();

  before(async () => {
    const text = readFileSync(PROBES, 'utf8');
    const staged = stagedProbes(text);
    const db = staged.full().db;
    const probes = readProbePayloads(text);
    const tls = await makeSelfSignedCert();
    const hosts: ReplayHost[] = ['127.0.0.1', '::1'];
    const busy = new Set<string>();
    const pending = [...jobs];
    const worker = async () => {
      while (pending.length) {
        const i = pending.findIndex((j) => hosts.some((h) => !busy.has(`${h}/${j.port}`)));
        if (i < 0) {
          await new Promise((r) => setTimeout(r, 100));
          continue;
        }
        const job = pending.splice(i, 1)[0];
        const free = hosts.filter((h) => !busy.has(`${h}/${job.port}`));
        const host = free[(job.retries ?? 0) % free.length];
        busy.add(`${host}/${job.port}`);
        try {
          const server = await startReplayServer({ replay: job.c, probes, port: job.port, host, tls: job.c.tls ? tls : undefined });
          try {
            const endpoint = { address: host, port: job.port };
            job.result = await scanService({
              db,
              nullDb: staged.head?.db,
              // As `nsp scan` does: the NULL probe's connection opened before the scan starts.
              nullConnection: await openNullConnection({ transport: nodeTransport, endpoint }),
              transport: nodeTransport,
              endpoint,
              host,
              protocol: 'TCP',
              intensity: 9,
              allPorts: true,
            });
          } finally {
            await server.close();
          }
        } catch (e) {
          job.error = String(e);
          // Another program holds that port on this address (another test's server): try the
          // other address, then wait and try again, a bounded number of times.
          if (/EADDRINUSE/.test(job.error) && (job.retries = (job.retries ?? 0) + 1) <= 20) {
            job.error = undefined;
            pending.push(job);
            await new Promise((r) => setTimeout(r, 1000));
          }
        } finally {
          busy.delete(`${host}/${job.port}`);
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  });

  it('samples enough fingerprints, TLS ones included', () => {
    assert.ok(jobs.length >= 25, `${jobs.length} jobs`);
    assert.ok(jobs.some((j) => j.c.tls), 'no TLS fingerprint in the sample');
  });

  it('every sampled fingerprint: the same verdict as the latest nmap on every field', () => {
    const problems: string[] = [];
    for (const j of jobs) {
      if (!j.result) {
        problems.push(`${j.file}: scan did not run: ${j.error}`);
        continue;
      }
      const got = rowOf(j.result);
      const diff = FIELDS.filter((f) => got[f] !== j.oracle[f]).map((f) => `${f}: ours '${got[f]}' vs nmap '${j.oracle[f]}'`);
      if (diff.length) problems.push(`${j.file} (${j.result.status}): ${diff.join('; ')}`);
    }
    console.log(`      live scan agrees with the latest nmap on ${jobs.length - problems.length}/${jobs.length} sampled fingerprints (${jobs.filter((j) => j.c.tls).length} through TLS)`);
    assert.deepEqual(problems, []);
  });
});
