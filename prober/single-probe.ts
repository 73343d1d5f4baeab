// Single-probe mode: send one chosen probe (the one under the editor's cursor) on a fresh
// connection and test the reply as servicescan_read_handler would — the probe's own lines, then
// its fallbacks, then the NULL probe's lines for TCP (the "NULL cheat": a banner that arrives with
// any reply is still recognised). No probe order, no tunnel switch: exactly one exchange.
import { matchResponse } from '../engine/match';
import type { DbProbe, ProbeDb, Protocol } from '../engine/probe-db';
import { DEFAULT_CONNECT_SSL_TIMEOUT, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_BYTES, READ_MORE_LIMIT } from './scan';
import type { ProbeExchange, Verdict } from './result';
import { verdictOf } from './result';
import type { Endpoint, Transport } from './transport';

export interface SingleProbeOptions {
  db: ProbeDb;
  probe: DbProbe;
  transport: Transport;
  endpoint: Endpoint;
  tls?: boolean;
  signal?: AbortSignal;
  maxBytes?: number;
}

export interface SingleProbeResult {
  exchange: ProbeExchange;
  /** The first hard match, or else the first softmatch seen while reading. */
  verdict: Verdict | null;
  /** Which list the deciding line came from: the probe itself, a named fallback, or NULL. */
  matchedVia: 'probe' | 'fallback' | 'null' | null;
  untestable: { line: number; message: string }[];
  note?: string;
}

export async function runSingleProbe(o: SingleProbeOptions): Promise<SingleProbeResult> {
  const { probe, transport } = o;
  const protocol: Protocol = probe.protocol;
  const tls = o.tls === true && protocol === 'TCP';
  const exchange: ProbeExchange = {
    probe: probe.name,
    protocol,
    tunnel: tls ? 'ssl' : 'none',
    connection: 0,
    reusedConnection: false,
    startedAtMs: 0,
    sent: Buffer.from(probe.payload, 'latin1'),
    received: Buffer.alloc(0),
    chunks: [],
    durationMs: 0,
    end: 'timeout',
  };
  const untestable = new Map<number, string>();
  const done = (verdict: Verdict | null, via: SingleProbeResult['matchedVia'], note?: string): SingleProbeResult => ({
    exchange,
    verdict,
    matchedVia: via,
    untestable: [...untestable].map(([line, message]) => ({ line, message })),
    note,
  });
  const t0 = transport.now();
  const options = {
    tls,
    timeoutMs: tls ? DEFAULT_CONNECT_SSL_TIMEOUT : DEFAULT_CONNECT_TIMEOUT,
    maxBytes: o.maxBytes ?? DEFAULT_MAX_BYTES,
    signal: o.signal,
  };
  const c = protocol === 'TCP' ? await transport.connectTcp(o.endpoint, options) : await transport.openUdp(o.endpoint, options);
  exchange.connectMs = transport.now() - t0;
  if (!c.ok) {
    exchange.end = 'connect-failed';
    exchange.errorCode = c.code;
    return done(null, null, `cannot connect: ${c.message}`);
  }
  const conn = c.connection;
  exchange.connection = 1;
  exchange.tls = conn.tlsInfo;
  try {
    const start = transport.now();
    exchange.startedAtMs = start - t0;
    if (!probe.isNull) {
      const w = await conn.write(exchange.sent);
      if (!w.ok) {
        exchange.end = 'write-failed';
        exchange.errorCode = w.code;
        return done(null, null, `sending failed: ${w.message}`);
      }
    }
    let soft: { v: Verdict; via: SingleProbeResult['matchedVia'] } | undefined;
    for (;;) {
      const ev = await conn.read(Math.max(0, probe.totalwaitms - (transport.now() - start)));
      exchange.durationMs = transport.now() - start;
      if (ev.kind !== 'data') {
        exchange.end = ev.kind === 'error' ? 'error' : ev.kind;
        if (ev.kind === 'error') exchange.errorCode = ev.code;
        break;
      }
      exchange.chunks.push({ atMs: exchange.durationMs, bytes: ev.data });
      exchange.received = Buffer.concat([exchange.received, ev.data]);
      const m0 = transport.now();
      const r = matchResponse(o.db, probe, exchange.received.toString('latin1'));
      exchange.matchMs = (exchange.matchMs ?? 0) + (transport.now() - m0);
      for (const u of r.issues) untestable.set(u.line, `${u.kind}: ${u.message}`);
      if (r.hit) {
        const v = verdictOf(r.hit, probe.name);
        const via = r.hit.fallback === probe ? 'probe' : r.hit.fallback.isNull ? 'null' : 'fallback';
        exchange.match = v;
        if (!v.soft) {
          exchange.end = 'hardmatch';
          return done(v, via);
        }
        soft ??= { v, via };
      }
      if (exchange.received.length >= READ_MORE_LIMIT) {
        exchange.end = 'byte-cap';
        break;
      }
    }
    return done(soft?.v ?? null, soft?.via ?? null, exchange.received.length === 0 ? 'no reply' : undefined);
  } finally {
    conn.close();
  }
}
