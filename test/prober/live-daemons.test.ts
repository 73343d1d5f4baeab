// Proof against real services: Debian's sshd, nginx (HTTP and HTTPS), vsftpd, exim4, redis and
// dnsmasq (UDP) on 127.0.0.1. For each, `nsp scan --format json` and Debian's `nmap -sV` (empty
// script.db, same probes file, same port; its XML read by test/support/nmap-run.ts's parser, not
// by ours) run side by side; both must name the service from a probe line and agree on service,
// product, version, info, hostname, ostype, devicetype and cpe. A daemon that is not installed
// fails its test. One more test checks `--verify-with-nmap` end to end on sshd.
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runScan } from '../../cli/commands/scan';
import type { CliIo } from '../../cli/io';
import { nodeTransport } from '../../prober/node-transport';
import { DAEMON_KINDS, startDaemon, type Daemon, type DaemonKind } from '../support/daemons';
import { NMAP, parseNmapXml, type NmapVerdict } from '../support/nmap-run';

const LATEST = '../shared/corpus/nmap-service-probes';
const DEBIAN = '/usr/share/nmap/nmap-service-probes';

/** The service each daemon must be named as (so that two equal failures cannot pass). */
const EXPECTED: Record<DaemonKind, string> = {
  ssh: 'ssh',
  http: 'http',
  https: 'ssl/http',
  ftp: 'ftp',
  smtp: 'smtp',
  redis: 'redis',
  dns: 'domain',
};

interface Outcome {
  code: number;
  json?: Record<string, unknown> & {
    service: string | null;
    status: string;
    nmap?: { method: string | null; service: string | null; differences?: unknown[]; error?: string };
  };
  stderr: string;
}

async function nspScan(d: Daemon, probes: string, ...extra: string[]): Promise<Outcome> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    readFile: (p) => import('node:fs/promises').then((fs) => fs.readFile(p)),
    env: process.env,
    cwd: process.cwd(),
  };
  const args = [`127.0.0.1:${d.port}`, '--probes', probes, '--format', 'json', '--max-time', '120', ...extra];
  if (d.protocol === 'UDP') args.push('--udp');
  const code = await runScan(args, io, nodeTransport);
  return { code, json: stdout ? JSON.parse(stdout) : undefined, stderr };
}

/** Debian's nmap -sV on the daemon's port, with only the probes file deciding (no NSE). */
function nmapScan(d: Daemon, probes: string): Promise<NmapVerdict> {
  const dir = mkdtempSync(join(tmpdir(), 'nsp-live-nmap-'));
  mkdirSync(join(dir, 'scripts'));
  writeFileSync(join(dir, 'scripts', 'script.db'), '');
  writeFileSync(join(dir, 'nmap-service-probes'), readFileSync(probes));
  const args = ['-sV', '-Pn', '-n', '-p', String(d.port), ...(d.protocol === 'UDP' ? ['-sU'] : []),
    '--datadir', dir, '--versiondb', join(dir, 'nmap-service-probes'), '-oX', '-', '127.0.0.1'];
  return new Promise((resolve, reject) => {
    execFile(NMAP, args, { timeout: 120_000 }, (err, stdout, stderr) => {
      rmSync(dir, { recursive: true, force: true });
      if (err) reject(new Error(`nmap ${args.join(' ')}: ${err.message}\n${stderr}`));
      else resolve(parseNmapXml(stdout, d.port, d.protocol));
    });
  });
}

/** nmap's verdict in nsp's terms: the tunnel folded into the name, as `nsp scan` prints it. */
function asNsp(v: NmapVerdict) {
  return {
    service: v.name && v.tunnel === 'ssl' ? `ssl/${v.name}` : v.name,
    product: v.product,
    version: v.version,
    info: v.extrainfo,
    hostname: v.hostname,
    ostype: v.ostype,
    devicetype: v.devicetype,
    cpe: v.cpe,
  };
}

function describeAgainst(label: string, probes: string) {
  describe(`prober live: nsp scan vs nmap -sV on real daemons (${label})`, function () {
    this.timeout(180_000);
    const daemons = new Map<DaemonKind, Daemon>();
    const startErrors = new Map<DaemonKind, Error>();
    const outcomes = new Map<DaemonKind, Promise<[Outcome, NmapVerdict]>>();

    before(async function () {
      assert.ok(existsSync(probes), `${probes} is missing`);
      await Promise.all(
        DAEMON_KINDS.map(async (kind) => {
          try {
            daemons.set(kind, await startDaemon(kind));
          } catch (e) {
            startErrors.set(kind, e as Error);
          }
        }),
      );
      // All scans at once: each one mostly waits (nmap's NULL probe listens for 6 s).
      for (const [kind, d] of daemons) outcomes.set(kind, Promise.all([nspScan(d, probes), nmapScan(d, probes)]));
      await Promise.allSettled(outcomes.values());
    });

    after(async () => {
      await Promise.all([...daemons.values()].map((d) => d.stop()));
    });

    for (const kind of DAEMON_KINDS) {
      it(`${kind}: same verdict as nmap`, async () => {
        const err = startErrors.get(kind);
        if (err) throw err;
        const [o, nmap] = await outcomes.get(kind)!;
        assert.ok(o.json, `nsp scan printed no JSON (exit ${o.code}): ${o.stderr}`);
        const j = o.json;
        assert.equal(nmap.method, 'probed', `nmap did not name ${kind} from a probe line: ${JSON.stringify(nmap)}`);
        assert.equal(asNsp(nmap).service, EXPECTED[kind], 'nmap names the service as expected');
        assert.equal(j.service, EXPECTED[kind], `nsp: ${j.status} ${JSON.stringify(j.transcript)}`);
        const ours = { service: j.service, product: j.product, version: j.version, info: j.info, hostname: j.hostname, ostype: j.ostype, devicetype: j.devicetype, cpe: j.cpe };
        assert.deepEqual(ours, asNsp(nmap));
        assert.equal(o.code, 0);
      });
    }

    it('--verify-with-nmap on sshd: nmap runs beside the scan and agrees', async () => {
      const d = daemons.get('ssh');
      if (!d) throw startErrors.get('ssh');
      const o = await nspScan(d, probes, '--verify-with-nmap');
      assert.equal(o.code, 0, o.stderr);
      assert.equal(o.json?.nmap?.method, 'probed');
      assert.deepEqual(o.json?.nmap?.differences, []);
      assert.equal(o.json?.nmap?.service, 'ssh');
    });
  });
}

describeAgainst('latest corpus', LATEST);
describeAgainst("Debian nmap 7.93's own file", DEBIAN);
