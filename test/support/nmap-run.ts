// Runs Debian's real nmap (`nmap -sV`) against a replay server on loopback and reads its verdict
// from the XML output. This is the reference the engine and the replay server are checked against.
//
// - A temporary --datadir holds the probes file under test (as nmap-service-probes), the
//   nmap-services table to use, and an EMPTY scripts/script.db, so no NSE "version" script refines
//   what the probes file alone yields (see ../shared/README.md).
// - Results are cached in test-output/nmap-cache/, keyed by a hash of every input (the capture,
//   the probes file, nmap-services, nmap's version and the flags), so a second run costs nothing.
// - Every run has a hard time limit; the nmap process is killed on expiry, and the replay server
//   is closed in all cases.

import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { CaptureCase } from '../../engine/capture';
import { captureFromFingerprint, writeCaptures } from '../../engine/capture';
import { parseFingerprints } from '../../engine/fingerprint';
import { readProbePayloads } from '../../prober/replay-probes';
import { startReplayServer, type ReplayEvent, type ReplayHost } from '../../prober/replay-server';
import { makeSelfSignedCert } from '../../prober/replay-cert';

export { makeSelfSignedCert };

export const NMAP = '/usr/bin/nmap';

export interface NmapVerdict {
  state: string | null;
  name: string | null;
  /** `probed` or `table` (nmap only guessed from the port number). */
  method: string | null;
  conf: string | null;
  product: string | null;
  version: string | null;
  extrainfo: string | null;
  hostname: string | null;
  ostype: string | null;
  devicetype: string | null;
  tunnel: string | null;
  cpe: string[];
  /** The fingerprint nmap printed, unwrapped as in the XML attribute; null when it printed none. */
  servicefp: string | null;
}

export interface NmapRunOptions {
  /** The probes file nmap reads. */
  probesPath: string;
  /** nmap-services for the datadir; default Debian's. */
  servicesPath?: string;
  host?: ReplayHost;
  /** Default: --version-all --allports, as the oracle in ../shared/fingerprints was made. */
  extraArgs?: string[];
  timeoutMs?: number;
  /** PEM pair for TLS cases (see makeSelfSignedCert). */
  tls?: { cert: string; key: string };
  /** UDP on 127.0.0.1: refuse unanswered probes with ICMP (needs root; default true). */
  udpRefuse?: boolean;
  /** Cache directory; null disables the cache. */
  cacheDir?: string | null;
}

export interface NmapRunResult {
  verdict: NmapVerdict;
  /** What the replay server saw, in order (empty when the result came from the cache). */
  events: ReplayEvent[];
  seconds: number;
  cached: boolean;
  rc: number | null;
  stderr: string;
}

const DEFAULT_ARGS = ['--version-all', '--allports'];
/** Names the rule deciding which UDP datagrams are refused; part of the cache key. */
const UDP_REFUSAL_RULE = 'icmp-except-portscan-magic+16';
const PROJECT = resolve(__dirname, '../..');
let nmapVersion: Promise<string> | undefined;

export function nmapVersionLine(): Promise<string> {
  nmapVersion ??= new Promise((ok) =>
    execFile(NMAP, ['--version'], (_e, out) => ok(String(out).split('\n')[0] ?? 'unknown')),
  );
  return nmapVersion;
}

/** Runs nmap against a replay of one capture case (its port and protocol, on loopback). */
export async function runNmapOnCase(c: CaptureCase, o: NmapRunOptions): Promise<NmapRunResult> {
  const args = o.extraArgs ?? DEFAULT_ARGS;
  const probesText = await readFile(o.probesPath, 'utf8');
  const servicesPath = o.servicesPath ?? '/usr/share/nmap/nmap-services';
  const services = await readFile(servicesPath, 'latin1');
  // The payloads the replay server recognises are part of the key: they come from grammar's
  // parse(), so a change there (or a half-edited checkout) must not reuse older results.
  const payloads = readProbePayloads(probesText);
  if (!payloads.some((p) => p.name === 'GetRequest')) throw new Error(`${o.probesPath}: no probe strings read (is grammar/ broken?)`);
  const key = createHash('sha256')
    .update(JSON.stringify(payloads))
    .update(JSON.stringify([writeCaptures([c]), c.tls, await nmapVersionLine(), args, o.host ?? '127.0.0.1', c.protocol === 'UDP' && o.udpRefuse !== false ? UDP_REFUSAL_RULE : false]))
    .update(probesText)
    .update(services)
    .digest('hex')
    .slice(0, 32);
  const cacheDir = o.cacheDir === undefined ? join(PROJECT, 'test-output', 'nmap-cache') : o.cacheDir;
  if (cacheDir) {
    try {
      const hit = JSON.parse(await readFile(join(cacheDir, key + '.json'), 'utf8'));
      return { ...hit, events: [], cached: true };
    } catch {
      // not cached yet
    }
  }
  const started = Date.now();
  const events: ReplayEvent[] = [];
  // UDP: nmap 7.93 waits 5 s for every probe nothing answers (84 probes at --version-all). An
  // ICMP port-unreachable makes it move on at once through the same startNextProbe path. The
  // port scan's own datagrams (the first source port seen) are never refused: that would make the
  // port "closed". nmap's port scan sends try N from source port magic_port + N (see
  // scan_engine.cc), so ports just above the first one seen are the port scan's too.
  const icmp = c.protocol === 'UDP' && (o.host ?? '127.0.0.1') === '127.0.0.1' && o.udpRefuse !== false
    ? spawn('python3', [join(__dirname, 'icmp-unreachable.py')], { stdio: ['pipe', 'ignore', 'ignore'] })
    : undefined;
  icmp?.on('error', () => {});
  icmp?.stdin?.on('error', () => {});
  let scanPort: number | undefined;
  const server = await startReplayServer({
    replay: c,
    probes: payloads,
    port: c.port,
    host: o.host,
    tls: o.tls,
    onEvent: (e) => {
      events.push(e);
      if (!icmp || (e.kind !== 'probe' && e.kind !== 'unknown') || !e.from) return;
      scanPort ??= e.from.port;
      const portScan = e.from.port >= scanPort && e.from.port - scanPort < 16;
      if (!portScan && !(e.kind === 'probe' && e.answered)) icmp.stdin?.write(`${e.from.port} ${c.port} 0\n`);
    },
  });
  const dir = await mkdtemp(join(tmpdir(), 'nsp-nmap-'));
  try {
    await mkdir(join(dir, 'scripts'));
    await writeFile(join(dir, 'scripts', 'script.db'), '');
    await symlink(resolve(o.probesPath), join(dir, 'nmap-service-probes'));
    await symlink(resolve(servicesPath), join(dir, 'nmap-services'));
    const v6 = server.host === '::1';
    const argv = [
      '-sV',
      ...(c.protocol === 'UDP' ? ['-sU'] : []),
      '-Pn',
      '-n',
      ...(v6 ? ['-6'] : []),
      '--datadir',
      dir,
      '-p',
      `${c.protocol === 'UDP' ? 'U' : 'T'}:${c.port}`,
      ...args,
      '-oX',
      '-',
      server.host,
    ];
    const run = await spawnBounded(NMAP, argv, o.timeoutMs ?? 120_000);
    const verdict = parseNmapXml(run.stdout, c.port, c.protocol);
    const result = { verdict, seconds: (Date.now() - started) / 1000, rc: run.rc, stderr: run.stderr };
    if (cacheDir && run.rc === 0 && verdict.state !== null) {
      await mkdir(cacheDir, { recursive: true });
      await writeFile(join(cacheDir, key + '.json'), JSON.stringify(result, null, 1));
    }
    return { ...result, events, cached: false };
  } finally {
    icmp?.kill();
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/** Reads a fingerprint file (its first fingerprint) and runs nmap on its replay. */
export async function runNmapOnReplay(fpPath: string, probesPath: string, o: Partial<NmapRunOptions> = {}): Promise<NmapRunResult> {
  const { fingerprints, diagnostics } = parseFingerprints(await readFile(fpPath, 'latin1'));
  if (fingerprints.length === 0) throw new Error(`${fpPath}: ${diagnostics[0]?.message ?? 'no fingerprint'}`);
  const c = captureFromFingerprint(fingerprints[0]);
  if (c.tls && !o.tls) o = { ...o, tls: await makeSelfSignedCert() };
  return runNmapOnCase(c, { ...o, probesPath });
}

function spawnBounded(cmd: string, argv: string[], timeoutMs: number): Promise<{ stdout: string; stderr: string; rc: number | null }> {
  return new Promise((ok) => {
    const child = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('latin1')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('latin1')));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      ok({ stdout, stderr: stderr + String(e), rc: null });
    });
    child.on('close', (rc) => {
      clearTimeout(timer);
      ok({ stdout, stderr, rc });
    });
  });
}

/** The verdict for one port in nmap's -oX output. */
export function parseNmapXml(xml: string, port: number, protocol: 'TCP' | 'UDP'): NmapVerdict {
  const verdict: NmapVerdict = {
    state: null, name: null, method: null, conf: null, product: null, version: null, extrainfo: null,
    hostname: null, ostype: null, devicetype: null, tunnel: null, cpe: [], servicefp: null,
  };
  const portRe = new RegExp(`<port protocol="${protocol.toLowerCase()}" portid="${port}">([\\s\\S]*?)</port>`);
  const body = portRe.exec(xml)?.[1];
  if (!body) return verdict;
  verdict.state = /<state state="([^"]*)"/.exec(body)?.[1] ?? null;
  const svc = /<service ([^>]*?)\/?>/.exec(body);
  if (svc) {
    const attrs = new Map<string, string>();
    for (const m of svc[1].matchAll(/(\w+)="([^"]*)"/g)) attrs.set(m[1], xmlUnescape(m[2]));
    const get = (k: string) => attrs.get(k) ?? null;
    Object.assign(verdict, {
      name: get('name'), method: get('method'), conf: get('conf'), product: get('product'),
      version: get('version'), extrainfo: get('extrainfo'), hostname: get('hostname'),
      ostype: get('ostype'), devicetype: get('devicetype'), tunnel: get('tunnel'), servicefp: get('servicefp'),
    });
  }
  verdict.cpe = [...body.matchAll(/<cpe>([^<]*)<\/cpe>/g)].map((m) => xmlUnescape(m[1]));
  return verdict;
}

function xmlUnescape(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);/g, (_m, e: string) =>
    e[0] === '#'
      ? String.fromCharCode(e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10))
      : ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" } as Record<string, string>)[e],
  );
}
