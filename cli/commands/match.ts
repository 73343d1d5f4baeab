// `nsp match`: nmap's verdict for recorded responses (a service fingerprint or a capture file),
// computed offline by the engine against a probes file.
//
// Without --probes the probes file is looked up where nmap looks for its data files
// (nmap_fetchfile_sub in nmap.cc): --datadir, $NMAPDIR, ~/.nmap, the directory of the nmap
// executable and its ../share/nmap, then the usual install directories.

import { delimiter, dirname, join } from 'node:path';
import { nodeFsPromises, nodeOs } from '../../prober/node-modules';
import { parse } from '../../grammar';
import { compile } from '../../regex/index';
import type { ProbeDb } from '../../engine/probe-db';
import { buildProbeDb } from '../../engine/probe-db';
import type { DetectOptions, NmapFlavour, RecordedResponse, Verdict } from '../../engine/detect';
import { detect } from '../../engine/detect';
import { parseFingerprints } from '../../engine/fingerprint';
import type { CaptureCase } from '../../engine/capture';
import { parseCaptures } from '../../engine/capture';
import type { CliIo, Command } from '../io';
import { EXIT_OK, EXIT_USAGE, UsageError } from '../io';
import { decode } from '../format-input';

const USAGE = `usage: nsp match (--fingerprint FILE | --captures FILE) [options]

Reports what nmap's version detection concludes from recorded responses, offline.

  --fingerprint FILE   nmap service fingerprint(s) (SF-Port… blocks, XML servicefp, or
                       fingerprint-strings); "-" reads standard input
  --captures FILE      an nsp capture file (every case is judged)
  --probes FILE        the nmap-service-probes file (default: found as nmap finds it)
  --datadir DIR        look for nmap-service-probes in DIR first (nmap's --datadir)
  --port N             judge as if on port N (default: the recorded port)
  --intensity N        --version-intensity 0-9 (default 7; 9 = --version-all)
  --allports           ignore the file's Exclude directive (nmap's --allports)
  --nmap head|7.93     whose engine rules to follow (default head)
  --format text|json   output (json: one object per fingerprint or case, one per line)
`;

/** One thing to judge: a fingerprint or a capture case, as detect() takes it. */
export interface MatchInput {
  label: string;
  responses: RecordedResponse[];
  options: DetectOptions;
}

export interface MatchArgs {
  fingerprint?: string;
  captures?: string;
  probes?: string;
  datadir?: string;
  port?: number;
  intensity?: number;
  allports: boolean;
  nmap: NmapFlavour;
  format: 'text' | 'json';
}

function intArg(name: string, v: string | undefined, min: number, max: number): number {
  if (v === undefined || !/^\d+$/.test(v) || Number(v) < min || Number(v) > max) {
    throw new UsageError(`${name} needs a whole number from ${min} to ${max}`);
  }
  return Number(v);
}

export function parseMatchArgs(args: string[]): MatchArgs {
  const out: MatchArgs = { allports: false, nmap: 'head', format: 'text' };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const value = () => {
      const v = args[++i];
      if (v === undefined) throw new UsageError(`${a} needs a value`);
      return v;
    };
    if (a === '--fingerprint') out.fingerprint = value();
    else if (a === '--captures') out.captures = value();
    else if (a === '--probes') out.probes = value();
    else if (a === '--datadir') out.datadir = value();
    else if (a === '--port') out.port = intArg(a, value(), 0, 65535);
    else if (a === '--intensity') out.intensity = intArg(a, value(), 0, 9);
    else if (a === '--allports') out.allports = true;
    else if (a === '--nmap') {
      const v = value();
      if (v !== 'head' && v !== '7.93') throw new UsageError(`--nmap is "head" or "7.93", not "${v}"`);
      out.nmap = v;
    } else if (a === '--format') {
      const v = value();
      if (v !== 'text' && v !== 'json') throw new UsageError(`--format is "text" or "json", not "${v}"`);
      out.format = v;
    } else throw new UsageError(`unknown option '${a}'`);
  }
  if (!out.fingerprint === !out.captures) throw new UsageError('give exactly one of --fingerprint FILE and --captures FILE');
  return out;
}

async function isExecutable(path: string): Promise<boolean> {
  try {
    const { access, constants } = nodeFsPromises();
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Candidate paths for an nmap data file, in nmap_fetchfile_sub's order. */
export async function nmapDataFileCandidates(io: CliIo, file: string, datadir?: string): Promise<string[]> {
  const out: string[] = [];
  if (datadir) out.push(join(datadir, file));
  if (io.env.NMAPDIR) out.push(join(io.env.NMAPDIR, file));
  const home = io.env.HOME || nodeOs().homedir();
  if (home) out.push(join(home, '.nmap', file));
  for (const dir of (io.env.PATH ?? '').split(delimiter)) {
    if (dir && (await isExecutable(join(dir, 'nmap')))) {
      out.push(join(dir, file), join(dir, '..', 'share', 'nmap', file));
      break;
    }
  }
  // NMAPDATADIR: /usr/local/share/nmap for a source build, /usr/share/nmap for distributions.
  out.push(join('/usr/local/share/nmap', file), join('/usr/share/nmap', file));
  return out;
}

/** Reads the probes file: the one given, or the first readable candidate nmap would use. */
export async function loadProbesFile(io: CliIo, probes?: string, datadir?: string): Promise<{ path: string; bytes: Buffer }> {
  if (probes) {
    try {
      return { path: probes, bytes: await io.readFile(probes) };
    } catch (e) {
      throw new UsageError(`cannot read probes file ${probes}: ${(e as Error).message}`);
    }
  }
  const candidates = await nmapDataFileCandidates(io, 'nmap-service-probes', datadir);
  for (const path of candidates) {
    try {
      return { path, bytes: await io.readFile(path) };
    } catch {
      // not there; nmap tries the next place too
    }
  }
  throw new UsageError(`cannot find nmap-service-probes (looked in ${candidates.map(dirname).join(', ')}); give --probes FILE`);
}

/** Parses the probes file into the engine's database; prints problems nmap would stop on. */
export function probeDbFromBytes(bytes: Buffer, io: CliIo, path: string): ProbeDb {
  const { text, warning } = decode(bytes);
  if (warning) io.stderr(`nsp: ${path}: ${warning.message}\n`);
  const { file } = parse(text);
  const db = buildProbeDb(file, { compile });
  for (const p of db.problems.slice(0, 5)) io.stderr(`nsp: ${path}: ${p}\n`);
  if (db.problems.length > 5) io.stderr(`nsp: ${path}: … and ${db.problems.length - 5} more problems nmap would refuse\n`);
  return db;
}

/** Groups a case's responses by probe, concatenating repeated ones (the capture format's rule). */
export function caseResponses(c: CaptureCase): RecordedResponse[] {
  const map = new Map<string, string>();
  for (const r of c.responses) map.set(r.probe, (map.get(r.probe) ?? '') + r.bytes);
  return [...map].map(([probe, bytes]) => ({ probe, bytes }));
}

export async function readInputs(io: CliIo, a: MatchArgs): Promise<MatchInput[]> {
  const path = (a.fingerprint ?? a.captures)!;
  let bytes: Buffer;
  try {
    bytes = await io.readFile(path);
  } catch (e) {
    throw new UsageError(`cannot read ${path}: ${(e as Error).message}`);
  }
  const text = bytes.toString('latin1');
  const common = { intensity: a.intensity, allports: a.allports, nmap: a.nmap };
  if (a.fingerprint) {
    const { fingerprints, diagnostics } = parseFingerprints(text);
    if (fingerprints.length === 0) {
      throw new UsageError(`${path}: no service fingerprint found${diagnostics[0] ? ` (${diagnostics[0].message})` : ''}`);
    }
    return fingerprints.map((fp, i) => ({
      label: `${path}${fingerprints.length > 1 ? `#${i + 1}` : ''}`,
      responses: fp.responses.map((r) => ({ probe: r.probe, bytes: r.bytes })),
      options: { ...common, port: a.port ?? fp.port, protocol: fp.protocol, tunnel: fp.tunnel ?? 'none' },
    }));
  }
  const { cases, diagnostics } = parseCaptures(bytes.toString('utf8'));
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) throw new UsageError(`${path}: ${errors[0].message}`);
  if (cases.length === 0) throw new UsageError(`${path}: no capture case found`);
  return cases.map((c) => ({
    label: c.name,
    responses: caseResponses(c),
    options: {
      ...common,
      intensity: a.intensity ?? c.intensity,
      port: a.port ?? c.port,
      protocol: c.protocol,
      tunnel: c.tls ? 'ssl' : 'none',
    },
  }));
}

/** The JSON shape of a verdict: exactly these keys, null for an absent field. */
export function verdictJson(v: Verdict): Record<string, unknown> {
  return {
    service: v.service,
    product: v.product,
    version: v.version,
    info: v.info,
    hostname: v.hostname,
    ostype: v.ostype,
    devicetype: v.devicetype,
    cpe: v.cpe,
    soft: v.soft,
    probe: v.probe,
    line: v.line,
  };
}

export function verdictText(label: string, v: Verdict, port: number, protocol: string): string {
  const where = `${label} (${port}/${protocol.toLowerCase()}${v.tunnel === 'ssl' ? ', ssl' : ''})`;
  const lines: string[] = [];
  if (v.state === 'nomatch') lines.push(`${where}: no match (nmap names the port from its services table)`);
  else if (v.state === 'excluded') lines.push(`${where}: excluded from version detection by the Exclude directive`);
  else if (v.state === 'tcpwrapped') lines.push(`${where}: tcpwrapped`);
  else lines.push(`${where}: ${v.service} (${v.soft ? 'softmatch' : 'match'}, probe ${v.probe}, line ${v.line})`);
  const fields: [string, string | null][] = [
    ['product', v.product],
    ['version', v.version],
    ['info', v.info],
    ['hostname', v.hostname],
    ['ostype', v.ostype],
    ['devicetype', v.devicetype],
  ];
  for (const [k, value] of fields) if (value !== null) lines.push(`  ${k}: ${value}`);
  for (const c of v.cpe) lines.push(`  cpe: ${c}`);
  for (const w of v.warnings) lines.push(`  warning: ${w}`);
  return lines.join('\n') + '\n';
}

export const command: Command = {
  name: 'match',
  summary: "nmap's verdict for a fingerprint or capture, offline",
  usage: USAGE,
  async run(args, io) {
    if (args.includes('--help') || args.includes('-h')) {
      io.stdout(USAGE);
      return EXIT_OK;
    }
    try {
      const a = parseMatchArgs(args);
      const inputs = await readInputs(io, a);
      const { path, bytes } = await loadProbesFile(io, a.probes, a.datadir);
      const db = probeDbFromBytes(bytes, io, path);
      for (const input of inputs) {
        const v = detect(db, input.responses, input.options);
        if (a.format === 'json') io.stdout(JSON.stringify(verdictJson(v)) + '\n');
        else io.stdout(verdictText(input.label, v, input.options.port, input.options.protocol));
      }
      return EXIT_OK;
    } catch (e) {
      if (e instanceof UsageError) {
        io.stderr(`nsp match: ${e.message}\n`);
        return EXIT_USAGE;
      }
      io.stderr(`nsp match: ${(e as Error)?.message ?? String(e)}\n`);
      return EXIT_USAGE;
    }
  },
};
