// The replay responder: a loopback server that plays a recorded service back to a scanner, so
// the real nmap can be pointed at a fingerprint or capture without the original host.
//
// What nmap recorded decides what we send (service_scan.cc, servicescan_read_handler and
// startNextProbe):
// - TCP, a client that stays silent (`bannerDelayMs`) is in the NULL probe: it gets the NULL
//   probe's response. With none, silence: a close during the NULL probe before its tcpwrappedms
//   would make nmap call the port "tcpwrapped".
// - nmap reuses the NULL probe's connection for the next probe without clearing its buffer, and a
//   probe on a fresh connection also reads the banner first; so every recorded response already
//   starts with the banner. A client that speaks at once gets the recording whole; on a
//   connection where the banner went out already, only the rest.
// - For the bytes a client sends, the response recorded for the probe whose probe string they
//   are, then a close (nmap takes the end of the stream as "this probe is done"). Bytes that are
//   no probe string, or a probe with nothing recorded: close at once.
// - Speed, without changing what nmap concludes: if the client stays silent after the banner we
//   close after `nullGraceMs` (nmap records the banner as the NULL response and reconnects, as it
//   would after its 6 s wait); with no banner we close after `nullSilenceMs`, which is past
//   tcpwrappedms, so nmap moves on to the next probe instead of waiting out the NULL probe.
// - UDP: a datagram equal to a probe string is answered with that probe's recorded response.
// - TLS (`tls`): the service is behind a TLS layer with the given certificate; the plain
//   connection stays silent, as a TLS server does, and the replay runs inside the tunnel.
// Binds only to 127.0.0.1 or ::1.

import type * as net from 'node:net';
import type * as tls from 'node:tls';
import type { CaptureCase } from '../engine/capture';
import { nodeDgram, nodeNet, nodeTls } from './node-modules';
import type { ProbePayload } from './replay-probes';

export type ReplayHost = '127.0.0.1' | '::1';

export interface ReplayOptions {
  replay: CaptureCase;
  /** Probe strings of the probes file, to recognise what the client sends. */
  probes: ProbePayload[];
  port: number;
  host?: ReplayHost;
  /** PEM certificate and key; required when the case is TLS. */
  tls?: { cert: string | Buffer; key: string | Buffer };
  /** Close a silent connection without a NULL response after this long (0: never). Default 3500. */
  nullSilenceMs?: number;
  /** Close after the NULL response if the client says nothing for this long (0: never). Default 500. */
  nullGraceMs?: number;
  /** How long a new connection waits for the client to speak before sending the NULL response. Default 250. */
  bannerDelayMs?: number;
  /** Called for each thing the server does; for `--verbose` and for tests. */
  onEvent?: (e: ReplayEvent) => void;
}

export type ReplayEvent =
  | { kind: 'connect'; tls: boolean }
  | { kind: 'banner'; bytes: number }
  | { kind: 'probe'; probe: string; answered: boolean; bytes: number; from?: { address: string; port: number } }
  | { kind: 'unknown'; bytes: number; from?: { address: string; port: number } }
  | { kind: 'silence-close' };

export interface ReplayServer {
  host: ReplayHost;
  port: number;
  close(): Promise<void>;
}

const PREFIX_WAIT_MS = 300;

export async function startReplayServer(options: ReplayOptions): Promise<ReplayServer> {
  const host = options.host ?? '127.0.0.1';
  if (host !== '127.0.0.1' && host !== '::1') throw new Error('the replay server binds only to 127.0.0.1 or ::1');
  const c = options.replay;
  const recorded = new Map(c.responses.map((r) => [r.probe, r.bytes]));
  const probes = options.probes.filter((p) => p.protocol === c.protocol && p.payload.length > 0);
  const emit = options.onEvent ?? (() => {});
  return c.protocol === 'UDP'
    ? startUdp(options, host, recorded, probes, emit)
    : startTcp(options, host, recorded, probes, emit);
}

/** The probe whose string is exactly `data`; among equal strings, the first with a recording. */
function identify(data: string, probes: ProbePayload[], recorded: Map<string, string>): ProbePayload | undefined {
  const same = probes.filter((p) => p.payload === data);
  return same.find((p) => recorded.has(p.name)) ?? same[0];
}

async function startTcp(
  o: ReplayOptions,
  host: ReplayHost,
  recorded: Map<string, string>,
  probes: ProbePayload[],
  emit: (e: ReplayEvent) => void,
): Promise<ReplayServer> {
  const banner = recorded.get('NULL') ?? '';
  const silenceMs = o.nullSilenceMs ?? 3500;
  const graceMs = o.nullGraceMs ?? 500;
  const bannerDelayMs = o.bannerDelayMs ?? 250;
  const sockets = new Set<net.Socket>();

  const session = (s: net.Socket | tls.TLSSocket, isTls: boolean) => {
    emit({ kind: 'connect', tls: isTls });
    let buf = '';
    let done = false;
    let timer: NodeJS.Timeout | undefined;
    const finish = (data?: string) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (data) s.write(Buffer.from(data, 'latin1'));
      s.end();
      // A peer that never reads must not keep us open.
      setTimeout(() => s.destroy(), 2000).unref();
    };
    const arm = (ms: number, why: () => void) => {
      clearTimeout(timer);
      if (ms > 0) timer = setTimeout(why, ms);
    };
    let bannerSent = false;
    if (banner) {
      // Wait briefly: nmap writes a probe as soon as a fresh connection is up, and its recorded
      // response already holds the banner; only a client that stays silent is in the NULL probe.
      arm(bannerDelayMs, () => {
        s.write(Buffer.from(banner, 'latin1'));
        bannerSent = true;
        emit({ kind: 'banner', bytes: banner.length });
        arm(graceMs, () => {
          emit({ kind: 'silence-close' });
          finish();
        });
      });
    } else {
      arm(silenceMs, () => {
        emit({ kind: 'silence-close' });
        finish();
      });
    }
    s.on('data', (chunk: Buffer) => {
      if (done) return;
      buf += chunk.toString('latin1');
      const probe = identify(buf, probes, recorded);
      if (probe) {
        const answer = recorded.get(probe.name);
        emit({ kind: 'probe', probe: probe.name, answered: answer !== undefined, bytes: answer?.length ?? 0 });
        // If the banner went out already, a recording that starts with it gets only the rest.
        finish(answer !== undefined && bannerSent && answer.startsWith(banner) ? answer.slice(banner.length) : answer);
      } else if (probes.some((p) => p.payload.length > buf.length && p.payload.startsWith(buf))) {
        arm(PREFIX_WAIT_MS, () => {
          emit({ kind: 'unknown', bytes: buf.length });
          finish();
        });
      } else {
        emit({ kind: 'unknown', bytes: buf.length });
        finish();
      }
    });
    s.on('error', () => s.destroy());
    s.on('close', () => clearTimeout(timer));
  };

  let server: net.Server;
  if (o.replay.tls) {
    if (!o.tls) throw new Error('this case was recorded through TLS: a certificate and key are needed');
    server = nodeTls().createServer({ cert: o.tls.cert, key: o.tls.key }, (s) => session(s, true));
    // The plain connection: silent like any TLS server; closed after nullSilenceMs if the client
    // never starts a handshake, so nmap's plain NULL probe moves on quickly.
    server.on('connection', (raw: net.Socket) => {
      sockets.add(raw);
      raw.on('close', () => sockets.delete(raw));
      if (silenceMs > 0) {
        const t = setTimeout(() => {
          if (raw.bytesRead === 0) raw.destroy();
        }, silenceMs);
        raw.on('close', () => clearTimeout(t));
      }
    });
    server.on('tlsClientError', (_e, s) => s.destroy());
  } else {
    server = nodeNet().createServer((s) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      session(s, false);
    });
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port: o.port, exclusive: true }, () => resolve());
  });
  server.on('error', () => {});
  const port = (server.address() as net.AddressInfo).port;
  return {
    host,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

async function startUdp(
  o: ReplayOptions,
  host: ReplayHost,
  recorded: Map<string, string>,
  probes: ProbePayload[],
  emit: (e: ReplayEvent) => void,
): Promise<ReplayServer> {
  const sock = nodeDgram().createSocket({ type: host === '::1' ? 'udp6' : 'udp4' });
  sock.on('message', (msg, rinfo) => {
    const from = { address: rinfo.address, port: rinfo.port };
    const probe = identify(msg.toString('latin1'), probes, recorded);
    if (!probe) return emit({ kind: 'unknown', bytes: msg.length, from });
    const answer = recorded.get(probe.name);
    emit({ kind: 'probe', probe: probe.name, answered: answer !== undefined, bytes: answer?.length ?? 0, from });
    if (answer !== undefined) sock.send(Buffer.from(answer, 'latin1'), rinfo.port, rinfo.address);
  });
  sock.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    sock.once('error', reject);
    sock.bind({ address: host, port: o.port, exclusive: true }, () => resolve());
  });
  return {
    host,
    port: sock.address().port,
    close: () => new Promise<void>((resolve) => sock.close(() => resolve())),
  };
}
