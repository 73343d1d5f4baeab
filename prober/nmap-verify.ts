// "Verify with nmap": run the real nmap -sV against the same port with the probes text the user is
// editing (written to a temporary --datadir, with an empty scripts/script.db so no NSE version
// script refines the answer), read its XML verdict, and compare it field by field with ours.
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { nodeChildProcess, nodeFsPromises, nodeNet, nodeOs } from './node-modules';
import type { Protocol } from '../engine/probe-db';
import type { Verdict } from './result';
import type { VersionFields } from '../engine/versioninfo';

export interface NmapVerdict extends VersionFields {
  /** nmap's port state (`open`, `closed`, `open|filtered`, …). */
  state: string;
  /** Service name with the tunnel folded in (`ssl/http`), as our verdict prints it. */
  service: string | null;
  /** `probed` (a probe line decided), `table` (a guess from nmap-services), or null. */
  method: string | null;
  servicefp: string | null;
}

export type NmapRun =
  | { ok: true; verdict: NmapVerdict; argv: string[]; elapsedMs: number }
  | { ok: false; reason: 'not-installed' | 'failed'; message: string; argv?: string[] };

export interface NmapRunOptions {
  /** The nmap binary (default: `nmap` on PATH, else /usr/bin/nmap). */
  nmapPath?: string;
  /** The probes file text to hand nmap (the unsaved buffer), written as bytes. */
  probesText: string | Buffer;
  address: string;
  port: number;
  protocol: Protocol;
  intensity: number;
  allPorts?: boolean;
  timeoutMs?: number;
  signal?: AbortSignal;
}

/**
 * The nmap to run: a path as given (relative to the working directory), a bare command name (the
 * setting's default "nmap", or "nmap-dev") looked up on PATH as a shell would, or "nmap" on PATH.
 */
export function findNmap(explicit?: string, path = process.env.PATH ?? '/usr/bin'): string | undefined {
  if (explicit && /[\\/]/.test(explicit)) return existsSync(explicit) ? explicit : undefined;
  const name = explicit || 'nmap';
  for (const dir of path.split(delimiter)) {
    const p = join(dir, name);
    if (dir && existsSync(p)) return p;
  }
  return undefined;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (m, e: string) => {
    if (e[0] === '#') return String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
    return ENTITIES[e] ?? m;
  });
}

function attrs(tag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of tag.matchAll(/([\w:-]+)="([^"]*)"/g)) out[m[1]] = decode(m[2]);
  return out;
}

/** Reads the verdict for one port out of nmap's -oX output. */
export function parseNmapXml(xml: string, port: number, protocol: Protocol): NmapVerdict | undefined {
  const portRe = new RegExp(`<port protocol="${protocol.toLowerCase()}" portid="${port}">([\\s\\S]*?)</port>`);
  const m = portRe.exec(xml);
  if (!m) return undefined;
  const body = m[1];
  const state = attrs(/<state [^>]*>/.exec(body)?.[0] ?? '').state ?? 'unknown';
  const serviceTag = /<service [^>]*?\/?>/.exec(body)?.[0];
  const a = serviceTag ? attrs(serviceTag) : {};
  const cpe = [...body.matchAll(/<cpe>([^<]*)<\/cpe>/g)].map((c) => decode(c[1]));
  const name = a.name ?? null;
  return {
    state,
    service: name && a.tunnel === 'ssl' ? `ssl/${name}` : name,
    method: a.method ?? null,
    product: a.product ?? null,
    version: a.version ?? null,
    info: a.extrainfo ?? null,
    hostname: a.hostname ?? null,
    ostype: a.ostype ?? null,
    devicetype: a.devicetype ?? null,
    cpe,
    servicefp: a.servicefp ?? null,
  };
}

export async function runNmap(o: NmapRunOptions): Promise<NmapRun> {
  const nmap = findNmap(o.nmapPath);
  if (!nmap) {
    return { ok: false, reason: 'not-installed', message: o.nmapPath ? `nmap not found at ${o.nmapPath}` : 'nmap is not installed (not on PATH)' };
  }
  const { mkdtemp, mkdir, rm, writeFile } = nodeFsPromises();
  const dir = await mkdtemp(join(nodeOs().tmpdir(), 'nsp-nmap-'));
  try {
    await mkdir(join(dir, 'scripts'));
    await writeFile(join(dir, 'scripts', 'script.db'), '');
    const probes = join(dir, 'nmap-service-probes');
    await writeFile(probes, o.probesText);
    const argv = ['-sV', '-Pn', '-n', '-p', String(o.port), '--version-intensity', String(o.intensity)];
    if (o.protocol === 'UDP') argv.push('-sU');
    if (o.allPorts) argv.push('--allports');
    if (nodeNet().isIPv6(o.address)) argv.push('-6');
    argv.push('--datadir', dir, '--versiondb', probes, '-oX', '-', o.address);
    const started = performance.now();
    const r = await run(nmap, argv, o.timeoutMs ?? 300_000, o.signal);
    const elapsedMs = performance.now() - started;
    if (r.code !== 0) {
      return { ok: false, reason: 'failed', message: `nmap exited with ${r.code}: ${r.stderr.trim().split('\n').slice(-3).join(' / ')}`, argv };
    }
    const verdict = parseNmapXml(r.stdout, o.port, o.protocol);
    if (!verdict) return { ok: false, reason: 'failed', message: `nmap's XML has no entry for port ${o.port}`, argv };
    return { ok: true, verdict, argv, elapsedMs };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function run(cmd: string, argv: string[], timeoutMs: number, signal?: AbortSignal): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = nodeChildProcess().spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const kill = () => child.kill('SIGKILL');
    const timer = setTimeout(() => {
      stderr += `\n(nsp stopped nmap after ${timeoutMs} ms)`;
      kill();
    }, timeoutMs);
    signal?.addEventListener('abort', kill, { once: true });
    child.on('error', (e) => {
      stderr += e.message;
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', kill);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}

export interface FieldDifference {
  field: 'service' | 'product' | 'version' | 'info' | 'hostname' | 'ostype' | 'devicetype' | 'cpe';
  ours: string | null;
  nmap: string | null;
}

/**
 * Compares our verdict with nmap's. A name nmap only guessed from its port table (`method=table`)
 * is not a detection, so it is compared as "no service".
 */
export function compareVerdicts(ours: Verdict | null, theirs: NmapVerdict): FieldDifference[] {
  const probed = theirs.method === 'probed';
  const t = {
    service: probed ? theirs.service : null,
    product: theirs.product,
    version: theirs.version,
    info: theirs.info,
    hostname: theirs.hostname,
    ostype: theirs.ostype,
    devicetype: theirs.devicetype,
    cpe: theirs.cpe.join(' ') || null,
  };
  const o = {
    service: ours?.service ?? null,
    product: ours?.product ?? null,
    version: ours?.version ?? null,
    info: ours?.info ?? null,
    hostname: ours?.hostname ?? null,
    ostype: ours?.ostype ?? null,
    devicetype: ours?.devicetype ?? null,
    cpe: ours?.cpe.join(' ') || null,
  };
  const out: FieldDifference[] = [];
  for (const field of Object.keys(t) as FieldDifference['field'][]) {
    if (o[field] !== t[field]) out.push({ field, ours: o[field], nmap: t[field] });
  }
  return out;
}
