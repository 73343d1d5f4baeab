// `nsp replay`: plays a recorded service (a fingerprint or a capture case) back on loopback, so
// the real nmap can be pointed at it without the original host. Runs until SIGINT or SIGTERM.

import type { CaptureCase } from '../../engine/capture';
import { captureFromFingerprint, parseCaptures } from '../../engine/capture';
import { parseFingerprints } from '../../engine/fingerprint';
import { makeSelfSignedCert } from '../../prober/replay-cert';
import { readProbePayloads } from '../../prober/replay-probes';
import { startReplayServer, type ReplayEvent, type ReplayHost } from '../../prober/replay-server';
import type { CliIo, Command } from '../io';
import { EXIT_OK, EXIT_USAGE, UsageError } from '../io';
import { loadProbesFile } from './match';

const USAGE = `usage: nsp replay FILE [options]

Serves the responses recorded in FILE (an nmap service fingerprint, or an nsp capture file) on
loopback, answering each probe nmap sends with what was recorded for it. Ctrl-C stops.

  --port N           port to listen on (default: the recorded port)
  --udp              serve over UDP (default: the recorded protocol)
  --host ADDR        127.0.0.1 (default) or ::1
  --case NAME        which case or fingerprint (default: the first); a fingerprint is named
                     port<N>-<tcp|udp> or by its 1-based position
  --probes FILE      nmap-service-probes used to recognise probes (default: found as nmap finds it)
  --datadir DIR      look for nmap-service-probes in DIR first
  --tls              serve through TLS (default: when the recording was through TLS)
  --cert FILE --key FILE   PEM certificate and key (default: a self-signed one made with openssl)
  --verbose          print each connection and probe
`;

interface ReplayArgs {
  file?: string;
  port?: number;
  udp: boolean;
  host: ReplayHost;
  caseName?: string;
  probes?: string;
  datadir?: string;
  tls: boolean;
  cert?: string;
  key?: string;
  verbose: boolean;
}

function parseArgs(args: string[]): ReplayArgs {
  const a: ReplayArgs = { udp: false, host: '127.0.0.1', tls: false, verbose: false };
  for (let i = 0; i < args.length; i++) {
    const flag = args[i];
    const value = () => {
      const v = args[++i];
      if (v === undefined) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--port': {
        const v = value();
        if (!/^\d+$/.test(v) || Number(v) > 65535) throw new UsageError('--port takes 0-65535');
        a.port = Number(v);
        break;
      }
      case '--udp': a.udp = true; break;
      case '--tls': a.tls = true; break;
      case '--verbose': a.verbose = true; break;
      case '--host': {
        const v = value();
        if (v !== '127.0.0.1' && v !== '::1') throw new UsageError('--host is 127.0.0.1 or ::1 (the replay server serves loopback only)');
        a.host = v;
        break;
      }
      case '--case': a.caseName = value(); break;
      case '--probes': a.probes = value(); break;
      case '--datadir': a.datadir = value(); break;
      case '--cert': a.cert = value(); break;
      case '--key': a.key = value(); break;
      default:
        if (flag.startsWith('-') && flag !== '-') throw new UsageError(`unknown option ${flag}`);
        if (a.file) throw new UsageError('give one FILE');
        a.file = flag;
    }
  }
  if (!a.file) throw new UsageError('give a FILE to replay');
  if (!!a.cert !== !!a.key) throw new UsageError('--cert and --key go together');
  return a;
}

/** The case to replay: from fingerprints if the file has any, else from the capture format. */
export function pickCase(text: string, name?: string): { replay?: CaptureCase; error?: string } {
  const fps = parseFingerprints(text);
  if (fps.fingerprints.length > 0) {
    const cases = fps.fingerprints.map((fp) => captureFromFingerprint(fp));
    const i = name === undefined ? 0 : /^\d+$/.test(name) ? Number(name) - 1 : cases.findIndex((c) => c.name === name);
    if (!cases[i]) return { error: `no fingerprint ${name} (have: ${cases.map((c, k) => `${k + 1}=${c.name}`).join(', ')})` };
    return { replay: cases[i] };
  }
  const caps = parseCaptures(text);
  if (caps.cases.length === 0) {
    const why = caps.diagnostics[0]?.message ?? fps.diagnostics[0]?.message ?? 'nothing to replay';
    return { error: `neither a fingerprint nor a capture file: ${why}` };
  }
  const found = name === undefined ? caps.cases[0] : caps.cases.find((c) => c.name === name);
  if (!found) return { error: `no case ${name} (have: ${caps.cases.map((c) => c.name).join(', ')})` };
  return { replay: found };
}

function describe(e: ReplayEvent): string {
  switch (e.kind) {
    case 'connect': return `connection${e.tls ? ' (TLS)' : ''}`;
    case 'banner': return `  sent the NULL response (${e.bytes} bytes)`;
    case 'probe': return e.answered ? `  ${e.probe}: sent ${e.bytes} bytes, closing` : `  ${e.probe}: nothing recorded, closing`;
    case 'unknown': return `  ${e.bytes} bytes that are no probe string: closing`;
    case 'silence-close': return '  client silent: closing';
  }
}

export const command: Command = {
  name: 'replay',
  summary: 'serve a recorded fingerprint or capture on loopback for nmap',
  usage: USAGE,
  async run(args: string[], io: CliIo): Promise<number> {
    if (args.includes('--help') || args.includes('-h')) {
      io.stdout(USAGE);
      return EXIT_OK;
    }
    let a: ReplayArgs;
    try {
      a = parseArgs(args);
    } catch (e) {
      io.stderr(`nsp replay: ${(e as Error).message}\n\n${USAGE}`);
      return EXIT_USAGE;
    }
    try {
      const text = (await io.readFile(a.file!)).toString('latin1');
      const { replay, error } = pickCase(text, a.caseName);
      if (!replay) throw new UsageError(`${a.file}: ${error}`);
      const probesFile = await loadProbesFile(io, a.probes, a.datadir);
      const probes = readProbePayloads(probesFile.bytes.toString('utf8'));
      const c: CaptureCase = { ...replay, protocol: a.udp ? 'UDP' : replay.protocol, tls: a.tls || replay.tls };
      const pem = c.tls && c.protocol === 'TCP'
        ? a.cert ? { cert: await io.readFile(a.cert), key: await io.readFile(a.key!) } : await makeSelfSignedCert()
        : undefined;
      const server = await startReplayServer({
        replay: c,
        probes,
        port: a.port ?? c.port,
        host: a.host,
        tls: pem,
        onEvent: a.verbose ? (e) => io.stderr(describe(e) + '\n') : undefined,
      });
      const where = server.host === '::1' ? `[::1]:${server.port}` : `${server.host}:${server.port}`;
      io.stderr(
        `nsp replay: serving ${c.name} (${c.responses.map((r) => r.probe).join(', ') || 'no responses'}) on ${where}/${c.protocol.toLowerCase()}${c.tls ? ' through TLS' : ''}; Ctrl-C stops\n`,
      );
      io.stdout(`${server.port}\n`);
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          resolve();
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
      await server.close();
      return EXIT_OK;
    } catch (e) {
      io.stderr(`nsp replay: ${(e as Error).message}\n`);
      return EXIT_USAGE;
    }
  },
};
