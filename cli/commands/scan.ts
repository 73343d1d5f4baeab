// `nsp scan HOST:PORT`: a live version scan (or one probe) against the target the user typed,
// with the probes file given (or found as nmap finds it), optionally checked against nmap itself.
// The network side is prober/; this file only reads arguments and prints.
import { escapeResponse, writeFingerprint } from '../../engine/fingerprint';
import { runNmap, compareVerdicts, type FieldDifference, type NmapRun } from '../../prober/nmap-verify';
import { nullProbeLeads, stagedProbes, type LoadedProbes } from '../../prober/load-probes';
import { nodeTransport } from '../../prober/node-transport';
import type { ProbeExchange, ScanResult, Verdict } from '../../prober/result';
import { openNullConnection, scanService, type EarlyConnection } from '../../prober/scan';
import { runSingleProbe, type SingleProbeResult } from '../../prober/single-probe';
import { parseTarget, resolveTarget } from '../../prober/target';
import type { Transport } from '../../prober/transport';
import type { CliIo, Command } from '../io';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, UsageError } from '../io';
import { decode } from '../format-input';
import { loadProbesFile } from './match';

const USAGE = `usage: nsp scan HOST:PORT [options]

Sends nmap's probes to one port, as nmap -sV does, and names the service. Traffic goes only to
HOST:PORT (write IPv6 as [::1]:22); only probe bytes are written.

  --udp                 scan a UDP port (default TCP)
  --probe NAME          send only this probe; test its lines, its fallbacks and NULL's
  --intensity N         --version-intensity 0-9 (default 7; 9 = --version-all)
  --probes FILE         the nmap-service-probes file (default: found as nmap finds it)
  --datadir DIR         look for nmap-service-probes in DIR first
  --allports            probe even a port the file's Exclude directive covers
  --ssl                 start inside TLS (as if the ssl probe had matched)
  --max-time SECONDS    give up after this long (default 600)
  --verify-with-nmap    also run nmap -sV on the same port with the same probes file, compare
  --nmap PATH           the nmap binary for --verify-with-nmap (default: nmap on PATH)
  --format text|json    output (default text)

exit status: 0 the service was named (match or softmatch; with --verify-with-nmap, and nmap
agrees), 1 it was not (no match, no answer, tcpwrapped, closed, excluded) or nmap disagrees,
2 usage error, unreadable probes file, unresolvable or unreachable target, nmap failed to run.
`;

interface ScanArgs {
  target: string;
  udp: boolean;
  probe?: string;
  intensity: number;
  probes?: string;
  datadir?: string;
  allports: boolean;
  ssl: boolean;
  maxTimeMs: number;
  verify: boolean;
  nmapPath?: string;
  format: 'text' | 'json';
}

function parseArgs(args: string[]): ScanArgs | 'help' {
  const out: Partial<ScanArgs> = { udp: false, intensity: 7, allports: false, ssl: false, maxTimeMs: 600_000, verify: false, format: 'text' };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const value = () => {
      const v = args[++i];
      if (v === undefined) throw new UsageError(`${a} needs a value`);
      return v;
    };
    if (a === '--help' || a === '-h') return 'help';
    else if (a === '--udp') out.udp = true;
    else if (a === '--probe') out.probe = value();
    else if (a === '--intensity') {
      const v = value();
      if (!/^\d$/.test(v)) throw new UsageError(`--intensity is 0-9, not "${v}"`);
      out.intensity = Number(v);
    } else if (a === '--probes') out.probes = value();
    else if (a === '--datadir') out.datadir = value();
    else if (a === '--allports') out.allports = true;
    else if (a === '--ssl') out.ssl = true;
    else if (a === '--max-time') {
      const v = value();
      if (!/^\d+(\.\d+)?$/.test(v) || Number(v) <= 0) throw new UsageError(`--max-time takes seconds, not "${v}"`);
      out.maxTimeMs = Number(v) * 1000;
    } else if (a === '--verify-with-nmap') out.verify = true;
    else if (a === '--nmap') out.nmapPath = value();
    else if (a === '--format') {
      const v = value();
      if (v !== 'text' && v !== 'json') throw new UsageError(`--format is "text" or "json", not "${v}"`);
      out.format = v;
    } else if (a.startsWith('-')) throw new UsageError(`unknown option ${a}`);
    else if (out.target) throw new UsageError(`one target only (got "${out.target}" and "${a}")`);
    else out.target = a;
  }
  if (!out.target) throw new UsageError('give the target as HOST:PORT');
  if (out.ssl && out.udp) throw new UsageError('--ssl is for TCP (nmap does not tunnel UDP through TLS here)');
  if (out.verify && out.probe !== undefined) throw new UsageError('--verify-with-nmap compares whole scans; nmap has no single-probe mode, so it cannot go with --probe');
  return out as ScanArgs;
}

/** Printable bytes as nmap's fingerprint escapes them, so the transcript reads like a %r(…). */
const show = (b: Buffer) => escapeResponse(b.toString('latin1'));

function exchangeJson(e: ProbeExchange) {
  return {
    probe: e.probe,
    protocol: e.protocol,
    tunnel: e.tunnel,
    connection: e.connection,
    reusedConnection: e.reusedConnection,
    startedAtMs: Math.round(e.startedAtMs),
    connectMs: e.connectMs === undefined ? null : Math.round(e.connectMs),
    durationMs: Math.round(e.durationMs),
    matchMs: Math.round(e.matchMs ?? 0),
    end: e.end,
    error: e.errorCode ?? null,
    sentBytes: e.sent.length,
    sent: show(e.sent),
    receivedBytes: e.received.length,
    received: show(e.received),
    chunks: e.chunks.map((c) => ({ atMs: Math.round(c.atMs), bytes: c.bytes.length })),
    match: e.match ? { service: e.match.service, soft: e.match.soft, line: e.match.line, fallback: e.match.fallback } : null,
    tls: e.tls ?? null,
  };
}

function verdictJson(v: Verdict | null, status: string) {
  return {
    service: v?.service ?? (status === 'tcpwrapped' ? 'tcpwrapped' : null),
    product: v?.product ?? null,
    version: v?.version ?? null,
    info: v?.info ?? null,
    hostname: v?.hostname ?? null,
    ostype: v?.ostype ?? null,
    devicetype: v?.devicetype ?? null,
    cpe: v?.cpe ?? [],
    soft: v?.soft ?? false,
    probe: v?.probe ?? null,
    line: v?.line ?? null,
  };
}

/** The service fingerprint nmap would print for an unrecognised service, via the engine's writer. */
export function fingerprintOf(r: ScanResult): string | null {
  if (r.fingerprintResponses.length === 0) return null;
  const d = r.startedAt;
  const fields: Record<string, string> = { V: 'nsp-0.1.0' };
  if (r.tunnel === 'ssl') fields.T = 'SSL';
  Object.assign(fields, {
    I: String(r.intensity),
    D: `${d.getMonth() + 1}/${d.getDate()}`,
    Time: Math.floor(d.getTime() / 1000).toString(16).toUpperCase(),
    P: `${process.arch}-${process.platform}`,
  });
  return writeFingerprint({
    port: r.target.port,
    protocol: r.target.protocol,
    tunnel: r.tunnel === 'ssl' ? 'ssl' : undefined,
    fields,
    responses: r.fingerprintResponses.map((f) => ({
      probe: f.probe,
      length: f.response.length,
      bytes: f.response.toString('latin1'),
      truncated: false,
      span: { start: 0, end: 0 },
    })),
    form: 'service-fingerprint',
    span: { start: 0, end: 0 },
  });
}

type Named = Pick<Verdict, 'product' | 'version' | 'info'> & { service: string };

function verdictLine(v: Named | null): string {
  if (!v) return '(nothing named)';
  const version = [v.product, v.version, v.info ? `(${v.info})` : null].filter(Boolean).join(' ');
  return `${v.service}${version ? '  ' + version : ''}`;
}

function transcriptText(t: ProbeExchange[]): string[] {
  return t.map((e) => {
    const conn = e.connection ? `conn ${e.connection}${e.reusedConnection ? ' (reused)' : ''}` : 'no conn';
    const got = `${e.received.length} B in ${Math.round(e.durationMs)} ms`;
    const tail = e.received.length ? `  "${show(e.received.subarray(0, 60))}${e.received.length > 60 ? '…' : ''}"` : '';
    return `  ${e.tunnel === 'ssl' ? 'ssl/' : ''}${e.probe.padEnd(22)} ${conn.padEnd(16)} sent ${e.sent.length} B, got ${got}, ${e.end}${e.errorCode ? ' ' + e.errorCode : ''}${tail}`;
  });
}

function nmapText(run: NmapRun, diffs: FieldDifference[] | undefined): string[] {
  if (!run.ok) return [run.reason === 'not-installed' ? `nmap: not checked — ${run.message}` : `nmap: failed — ${run.message}`];
  const v = run.verdict;
  const named = v.method === 'probed' ? verdictLine({ ...v, service: v.service ?? '?' }) : `(no match${v.service ? `; port table says ${v.service}` : ''})`;
  const lines = [`nmap:  ${named}   [state ${v.state}, ${(run.elapsedMs / 1000).toFixed(2)} s]`];
  if (!diffs || diffs.length === 0) lines.push('       agrees with nsp on service, product, version, info, hostname, ostype, devicetype and cpe');
  else for (const d of diffs) lines.push(`  DIFFERS ${d.field}: nsp ${JSON.stringify(d.ours)}, nmap ${JSON.stringify(d.nmap)}`);
  return lines;
}

export const command: Command = {
  name: 'scan',
  summary: 'live version scan of HOST:PORT (or one probe), optionally verified by nmap',
  usage: USAGE,
  async run(args, io) {
    return runScan(args, io, nodeTransport);
  },
};

/** The command with its transport injectable, so tests can run it without sockets. */
export async function runScan(args: string[], io: CliIo, transport: Transport): Promise<number> {
  let a: ScanArgs | 'help';
  try {
    a = parseArgs(args);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.stderr(`nsp scan: ${e.message}\n\n${USAGE}`);
    return EXIT_USAGE;
  }
  if (a === 'help') {
    io.stdout(USAGE);
    return EXIT_OK;
  }
  const spec = parseTarget(a.target);
  if (!spec.ok) {
    io.stderr(`nsp scan: ${spec.message}\n`);
    return EXIT_USAGE;
  }
  let file: { path: string; bytes: Buffer };
  try {
    file = await loadProbesFile(io, a.probes, a.datadir);
  } catch (e) {
    io.stderr(`nsp scan: ${(e as Error).message}\n`);
    return EXIT_USAGE;
  }
  const { text, warning } = decode(file.bytes);
  if (warning) io.stderr(`nsp scan: ${file.path}: ${warning.message}\n`);
  const resolved = await resolveTarget(spec.target);
  if (!resolved.ok) {
    io.stderr(`nsp scan: ${resolved.message}\n`);
    return EXIT_USAGE;
  }
  const endpoint = resolved.endpoint;
  const protocol = a.udp ? 'UDP' : 'TCP';
  const signal = AbortSignal.timeout(a.maxTimeMs);
  // A plain TCP scan whose file starts with the NULL probe connects now, once the file's Exclude
  // line is known not to cover the port: the banner arrives while the NULL probe's block is parsed.
  const early: EarlyConnection | undefined =
    a.probe === undefined && !a.udp && !a.ssl && nullProbeLeads(text, endpoint.port, a.allports)
      ? await openNullConnection({ transport, endpoint, signal })
      : undefined;
  // The NULL probe's block is read first; the rest of the file only if the scan needs it.
  const staged = stagedProbes(text);
  const report = (l: LoadedProbes) => {
    for (const p of [...l.errors, ...l.problems].slice(0, 5)) io.stderr(`nsp scan: ${file.path}: ${p}\n`);
  };
  let fullLoaded: LoadedProbes | undefined;
  const fullDb = () => {
    if (!fullLoaded) {
      fullLoaded = staged.full();
      report(fullLoaded);
    }
    return fullLoaded.db;
  };
  if (staged.head) report(staged.head);
  // nmap runs beside our scan (each opens its own connections), so verification costs no extra time.
  const nmapRun: Promise<NmapRun> | undefined = a.verify
    ? runNmap({ nmapPath: a.nmapPath, probesText: file.bytes, address: endpoint.address, port: endpoint.port, protocol, intensity: a.intensity, allPorts: a.allports, signal })
    : undefined;

  if (a.probe !== undefined) {
    const db = fullDb();
    const probe = a.probe === db.nullProbe?.name ? db.nullProbe : db.probes.find((p) => p.name === a.probe && p.protocol === protocol);
    if (!probe) {
      io.stderr(`nsp scan: no ${protocol} probe named "${a.probe}" in ${file.path}\n`);
      return EXIT_USAGE;
    }
    const r = await runSingleProbe({ db, probe, transport, endpoint, tls: a.ssl, signal });
    return printSingle(io, a, r, spec.target.host, endpoint.port, protocol);
  }

  const r = await scanService({ db: fullDb, nullDb: staged.head?.db, nullConnection: early, transport, endpoint, host: spec.target.host, protocol, intensity: a.intensity, allPorts: a.allports, tls: a.ssl, signal });
  const fingerprint = r.status === 'identified' ? null : fingerprintOf(r);
  const run = nmapRun ? await nmapRun : undefined;
  const diffs = run?.ok ? compareVerdicts(r.verdict, run.verdict) : undefined;
  if (a.format === 'json') {
    io.stdout(
      JSON.stringify({
        ...verdictJson(r.verdict, r.status),
        status: r.status,
        tunnel: r.tunnel,
        target: r.target,
        note: r.note ?? null,
        elapsedMs: Math.round(r.elapsedMs),
        loadMs: Math.round(r.loadMs),
        transcript: r.transcript.map(exchangeJson),
        fingerprint,
        untestable: r.untestable,
        ...(run ? { nmap: run.ok ? { ...run.verdict, argv: run.argv, elapsedMs: Math.round(run.elapsedMs), differences: diffs } : { error: run.message, reason: run.reason } } : {}),
      }) + '\n',
    );
  } else {
    const where = `${spec.target.host}${endpoint.hostname ? ` (${endpoint.address})` : ''} port ${endpoint.port}/${protocol.toLowerCase()}`;
    const lines = [`${where}: ${r.status}${r.note ? ` — ${r.note}` : ''}`];
    if (r.verdict) {
      lines.push(`nsp:   ${verdictLine(r.verdict)}   [${r.verdict.soft ? 'softmatch' : 'match'} line ${r.verdict.line}, probe ${r.verdict.probe}${r.verdict.fallback !== r.verdict.probe ? ` via ${r.verdict.fallback}` : ''}]`);
      for (const [k, v] of [['hostname', r.verdict.hostname], ['ostype', r.verdict.ostype], ['devicetype', r.verdict.devicetype]] as const) if (v) lines.push(`       ${k}: ${v}`);
      for (const c of r.verdict.cpe) lines.push(`       cpe: ${c}`);
    }
    const matching = r.transcript.reduce((n, e) => n + (e.matchMs ?? 0), 0);
    const parts = [`matching ${(matching / 1000).toFixed(2)} s`];
    if (r.loadMs > 0) parts.unshift(`reading the probes after NULL ${(r.loadMs / 1000).toFixed(2)} s`);
    lines.push(`       ${r.transcript.length} probe(s), ${(r.elapsedMs / 1000).toFixed(2)} s (${parts.join(', ')})`);
    if (run) lines.push(...nmapText(run, diffs));
    lines.push('transcript:', ...transcriptText(r.transcript));
    for (const u of r.untestable.slice(0, 5)) lines.push(`warning: line ${u.line} could not be tested as nmap would (${u.message})`);
    if (fingerprint) lines.push('', 'service fingerprint (nmap format):', fingerprint);
    io.stdout(lines.join('\n') + '\n');
  }
  if (run && !run.ok && run.reason === 'failed') return EXIT_USAGE;
  if (r.status === 'unreachable' || r.status === 'aborted') return EXIT_USAGE;
  if (diffs && diffs.length > 0) return EXIT_FINDINGS;
  return r.status === 'identified' || r.status === 'softmatched' ? EXIT_OK : EXIT_FINDINGS;
}

function printSingle(io: CliIo, a: ScanArgs, r: SingleProbeResult, host: string, port: number, protocol: string): number {
  if (a.format === 'json') {
    io.stdout(JSON.stringify({ ...verdictJson(r.verdict, ''), matchedVia: r.matchedVia, note: r.note ?? null, transcript: [exchangeJson(r.exchange)], untestable: r.untestable }) + '\n');
  } else {
    const via = r.matchedVia === 'null' ? " via the NULL probe's lines" : r.matchedVia === 'fallback' ? ` via fallback ${r.verdict?.fallback}` : '';
    const lines = [`${host} port ${port}/${protocol.toLowerCase()}, probe ${r.exchange.probe}: ${r.verdict ? `${verdictLine(r.verdict)}   [${r.verdict.soft ? 'softmatch' : 'match'} line ${r.verdict.line}${via}]` : `no line matched${r.note ? ` (${r.note})` : ''}`}`];
    lines.push('transcript:', ...transcriptText([r.exchange]));
    io.stdout(lines.join('\n') + '\n');
  }
  if (r.exchange.end === 'connect-failed') return EXIT_USAGE;
  return r.verdict ? EXIT_OK : EXIT_FINDINGS;
}
