// Differential test: every fingerprint in ../shared/fingerprints is replayed by our replay server
// and scanned by Debian's nmap 7.93 (`-sV --version-all --allports`, empty script.db, the latest
// corpus file); nmap's verdict is compared with what the latest nmap said for the same replay
// (../shared/fingerprints/ORACLE-nmap-latest.tsv). Where they differ the cause is listed in
// KNOWN_DIFFERENCES below with its reason; an unlisted difference, or a listed one that no longer
// differs, fails. Runs are cached in test-output/nmap-cache (keyed by every input).

import { strict as assert } from 'node:assert';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { captureFromFingerprint, type CaptureCase } from '../../engine/capture';
import { parseFingerprints } from '../../engine/fingerprint';
import type { ReplayHost } from '../../prober/replay-server';
import { makeSelfSignedCert, runNmapOnCase, type NmapRunResult } from '../support/nmap-run';

const SHARED = resolve(__dirname, '../../../shared');
const FP_DIR = join(SHARED, 'fingerprints');
const PROBES = join(SHARED, 'corpus/nmap-service-probes');
const SERVICES = join(SHARED, 'corpus/nmap-services');
const REPORT = resolve(__dirname, '../../test-output/nmap-replay-report.tsv');
const CONCURRENCY = 6;

const FIELDS = ['name', 'method', 'product', 'version', 'extrainfo', 'hostname', 'ostype', 'devicetype', 'cpe', 'tunnel'] as const;
type Field = (typeof FIELDS)[number];
type Row = Record<Field, string>;

/** file → the fields where nmap 7.93 on our replay differs from the oracle, and why. */
const KNOWN_DIFFERENCES: Record<string, { fields: Partial<Row>; why: string }> = {};

interface Job {
  file: string;
  c: CaptureCase;
  oracle: Row;
  result?: NmapRunResult;
  error?: string;
  retries?: number;
  /** Earlier runs of this job in which nmap reported no port at all (killed at its time limit, or failed). */
  noVerdict?: string[];
}

/** Runs of one job that may end without any verdict before the job is reported as such. */
const NO_VERDICT_TRIES = 3;

function describeRun(r: NmapRunResult): string {
  const err = r.stderr.trim().split('\n').slice(-2).join(' | ');
  return `rc ${r.rc ?? 'killed'} after ${r.seconds} s${err ? `, stderr: ${err}` : ''}`;
}

function rowOf(v: NmapRunResult['verdict']): Row {
  return {
    name: v.name ?? '', method: v.method ?? '', product: v.product ?? '', version: v.version ?? '',
    extrainfo: v.extrainfo ?? '', hostname: v.hostname ?? '', ostype: v.ostype ?? '',
    devicetype: v.devicetype ?? '', cpe: v.cpe.join(' '), tunnel: v.tunnel ?? '',
  };
}

async function loadJobs(): Promise<Job[]> {
  const tsv = (await readFile(join(FP_DIR, 'ORACLE-nmap-latest.tsv'), 'utf8')).trimEnd().split('\n');
  const head = tsv[0].split('\t');
  const oracle = new Map<string, Row>();
  for (const line of tsv.slice(1)) {
    const cells = line.split('\t');
    const rec = Object.fromEntries(head.map((h, i) => [h, cells[i] ?? '']));
    oracle.set(rec.file, Object.fromEntries(FIELDS.map((f) => [f, rec[f]])) as Row);
  }
  const jobs: Job[] = [];
  for (const file of (await readdir(FP_DIR)).filter((f) => f.endsWith('.sf')).sort()) {
    const { fingerprints } = parseFingerprints(await readFile(join(FP_DIR, file), 'latin1'));
    assert.equal(fingerprints.length, 1, file);
    jobs.push({ file, c: captureFromFingerprint(fingerprints[0], file), oracle: oracle.get(file)! });
  }
  return jobs;
}

/** Runs the jobs, at most CONCURRENCY at once, never two on the same address, port and protocol. */
async function runAll(jobs: Job[]): Promise<void> {
  const tls = await makeSelfSignedCert();
  const hosts: ReplayHost[] = ['127.0.0.1', '::1'];
  const busy = new Set<string>();
  const pending = [...jobs];
  let running = 0;
  await new Promise<void>((done) => {
    const pump = () => {
      if (pending.length === 0 && running === 0) return done();
      while (running < CONCURRENCY) {
        let pick: { i: number; host: ReplayHost } | undefined;
        for (let i = 0; i < pending.length && !pick; i++) {
          // UDP only on 127.0.0.1: the ICMP helper that keeps UDP runs short speaks IPv4.
          for (const host of pending[i].c.protocol === 'UDP' ? hosts.slice(0, 1) : hosts) {
            if (!busy.has(`${host}/${pending[i].c.protocol}/${pending[i].c.port}`)) {
              pick = { i, host };
              break;
            }
          }
        }
        if (!pick) return;
        const job = pending.splice(pick.i, 1)[0];
        const slot = `${pick.host}/${job.c.protocol}/${job.c.port}`;
        busy.add(slot);
        running++;
        runNmapOnCase(job.c, { probesPath: PROBES, servicesPath: SERVICES, host: pick.host, tls, timeoutMs: 150_000 })
          .then(
            (r) => {
              job.result = r;
              // No port in nmap's output at all is not a verdict: nmap was killed at its time
              // limit or failed (a CI run once got this for one UDP case that takes 15 s alone).
              // Run it again; the report says so, and a job that never gives one fails below.
              if (r.verdict.state !== null) return;
              const run = describeRun(r);
              if ((job.noVerdict ??= []).push(run) < NO_VERDICT_TRIES) {
                console.log(`      ${job.file}: nmap gave no verdict (${run}); running it again`);
                pending.push(job);
              }
            },
            (e) => {
              job.error = String(e);
              // Another program on this machine holds the port (a daemon of the live prober
              // tests): try again a little later, on either address.
              if (/EADDRINUSE/.test(job.error) && (job.retries = (job.retries ?? 0) + 1) <= 30) {
                pending.push(job);
                return new Promise((r) => setTimeout(r, 3000));
              }
            },
          )
          .finally(() => {
            busy.delete(slot);
            running--;
            pump();
          });
      }
    };
    pump();
  });
}

describe('replay + nmap 7.93 vs the latest nmap (../shared/fingerprints)', function () {
  this.timeout(600_000);
  const jobs: Job[] = [];

  before(async () => {
    jobs.push(...(await loadJobs()));
    await runAll(jobs);
    const lines = ['file\tagree\t' + FIELDS.map((f) => `${f}\t${f}_oracle`).join('\t') + '\tseconds\tcached'];
    for (const j of jobs) {
      const got = j.result ? rowOf(j.result.verdict) : undefined;
      const agree = got && FIELDS.every((f) => got[f] === j.oracle[f]);
      lines.push(
        [j.file, agree ? 'yes' : 'no', ...FIELDS.flatMap((f) => [got?.[f] ?? j.error ?? '', j.oracle[f]]), j.result?.seconds ?? '', j.result?.cached ?? ''].join('\t'),
      );
    }
    await mkdir(resolve(REPORT, '..'), { recursive: true });
    await writeFile(REPORT, lines.join('\n') + '\n');
    const agreeing = jobs.filter((j) => j.result && FIELDS.every((f) => rowOf(j.result!.verdict)[f] === j.oracle[f])).length;
    console.log(`      nmap 7.93 on replay agrees with the latest nmap on ${agreeing}/${jobs.length} fingerprints (report: ${REPORT})`);
  });

  it('has an oracle row for every fingerprint', () => {
    for (const j of jobs) assert.ok(j.oracle, j.file);
  });

  it('every fingerprint: same verdict as the oracle, or a listed difference with its reason', () => {
    const problems: string[] = [];
    for (const j of jobs) {
      if (!j.result) {
        problems.push(`${j.file}: nmap did not run: ${j.error}`);
        continue;
      }
      if (j.result.verdict.state === null) {
        problems.push(`${j.file}: nmap reported no port in ${j.noVerdict?.length} runs: ${j.noVerdict?.join('; ')}`);
        continue;
      }
      const got = rowOf(j.result.verdict);
      const diff = Object.fromEntries(FIELDS.filter((f) => got[f] !== j.oracle[f]).map((f) => [f, got[f]]));
      const known = KNOWN_DIFFERENCES[j.file];
      const expected = known?.fields ?? {};
      if (JSON.stringify(sortKeys(diff)) !== JSON.stringify(sortKeys(expected))) {
        const detail = FIELDS.filter((f) => got[f] !== j.oracle[f]).map((f) => `${f}: nmap 7.93 '${got[f]}' vs latest '${j.oracle[f]}'`);
        problems.push(`${j.file}: ${detail.join('; ') || 'now agrees, but is listed as a known difference'}`);
      }
    }
    assert.deepEqual(problems, []);
  });
});

function sortKeys(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));
}
