// Proof against real services: Debian's sshd, nginx (HTTP and HTTPS), vsftpd, exim4, redis and
// dnsmasq (UDP) on 127.0.0.1. For each, `nsp scan --verify-with-nmap --format json` runs our scan
// and Debian's nmap -sV (empty script.db, same probes file, same port) side by side; the test
// requires both to name the service from a probe line and to agree on service, product, version,
// info, hostname, ostype, devicetype and cpe. A daemon that is not installed fails its test.
import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import { runScan } from '../../cli/commands/scan';
import type { CliIo } from '../../cli/io';
import { nodeTransport } from '../../prober/node-transport';
import { DAEMON_KINDS, startDaemon, type Daemon, type DaemonKind } from '../support/daemons';

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

async function nspScan(d: Daemon, probes: string): Promise<Outcome> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    readFile: (p) => import('node:fs/promises').then((fs) => fs.readFile(p)),
    env: process.env,
    cwd: process.cwd(),
  };
  const args = [`127.0.0.1:${d.port}`, '--probes', probes, '--format', 'json', '--verify-with-nmap', '--max-time', '120'];
  if (d.protocol === 'UDP') args.push('--udp');
  const code = await runScan(args, io, nodeTransport);
  return { code, json: stdout ? JSON.parse(stdout) : undefined, stderr };
}

function describeAgainst(label: string, probes: string) {
  describe(`prober live: nsp scan vs nmap -sV on real daemons (${label})`, function () {
    this.timeout(180_000);
    const daemons = new Map<DaemonKind, Daemon>();
    const startErrors = new Map<DaemonKind, Error>();
    const outcomes = new Map<DaemonKind, Promise<Outcome>>();

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
      for (const [kind, d] of daemons) outcomes.set(kind, nspScan(d, probes));
      await Promise.allSettled(outcomes.values());
    });

    after(async () => {
      await Promise.all([...daemons.values()].map((d) => d.stop()));
    });

    for (const kind of DAEMON_KINDS) {
      it(`${kind}: same verdict as nmap`, async () => {
        const err = startErrors.get(kind);
        if (err) throw err;
        const o = await outcomes.get(kind)!;
        assert.ok(o.json, `nsp scan printed no JSON (exit ${o.code}): ${o.stderr}`);
        const j = o.json;
        assert.ok(j.nmap && !j.nmap.error, `nmap did not run: ${j.nmap?.error}`);
        assert.equal(j.nmap.method, 'probed', `nmap did not name ${kind} from a probe line: ${JSON.stringify(j.nmap)}`);
        assert.equal(j.nmap.service, EXPECTED[kind], 'nmap names the service as expected');
        assert.equal(j.service, EXPECTED[kind], `nsp: ${j.status} ${JSON.stringify(j.transcript)}`);
        assert.deepEqual(j.nmap.differences, [], `nsp and nmap differ: ${JSON.stringify(j.nmap.differences)}`);
        assert.equal(o.code, 0);
      });
    }
  });
}

describeAgainst('latest corpus', LATEST);
describeAgainst("Debian nmap 7.93's own file", DEBIAN);
