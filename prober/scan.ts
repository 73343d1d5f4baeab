// A version scan of one port, as nmap's service_scan.cc runs it for one ServiceNFO: the NULL probe
// listens for a banner on the first connection, the next probe reuses that connection, every later
// probe gets a fresh one; each probe reads until its totalwaitms runs out, the peer closes, 4096
// bytes arrived without a match, or a line hard-matches. A hard `ssl` match restarts the scan
// inside TLS (scanThroughTunnel). All IO goes through the Transport, so tests can script it.
import { matchResponse, type LineHit } from '../engine/match';
import { displayFields, type MatchFields } from '../engine/versioninfo';
import type { DbProbe, ProbeDb, Protocol, Tunnel } from '../engine/probe-db';
import { isExcluded } from '../engine/probe-db';
import { DEFAULT_INTENSITY, ProbeCursor } from '../engine/probe-order';
import type { FingerprintResponse, ProbeExchange, ScanResult, ScanStatus, Verdict } from './result';
import { verdictOf } from './result';
import type { Connection, ConnectResult, Endpoint, ReadEvent, Transport } from './transport';

const EMPTY_FIELDS: MatchFields = {
  product: null, version: null, info: null, hostname: null, ostype: null, devicetype: null, cpeA: null, cpeH: null, cpeO: null,
};

/** nmap's service_scan.h: connect deadline, and connect + handshake deadline through SSL. */
export const DEFAULT_CONNECT_TIMEOUT = 5000;
export const DEFAULT_CONNECT_SSL_TIMEOUT = 8000;
/** servicescan_read_handler keeps reading a non-matching reply only while it is under 4096 bytes. */
export const READ_MORE_LIMIT = 4096;
/** Our own hard cap on what one connection may buffer (nmap's reads stop near 4096 + one chunk). */
export const DEFAULT_MAX_BYTES = 16384;

export interface ScanOptions {
  /** The probes: a database, or a loader called only when the scan needs more than `nullDb`. */
  db: ProbeDb | (() => ProbeDb);
  /**
   * Optional: a database holding only the file's head up to its second Probe line (Exclude and
   * the NULL probe). A TCP scan starts with it, so a banner service is named without reading the
   * rest of the file; see load-probes.ts for when a head is safe to use.
   */
  nullDb?: ProbeDb;
  transport: Transport;
  endpoint: Endpoint;
  /** What the user typed, for the report. */
  host: string;
  protocol: Protocol;
  intensity?: number;
  /** Probe ports the Exclude directive covers (nmap's --allports). */
  allPorts?: boolean;
  /** Start inside TLS at once, as if the ssl probe had already matched. */
  tls?: boolean;
  signal?: AbortSignal;
  maxBytes?: number;
  connectTimeoutMs?: number;
  tlsConnectTimeoutMs?: number;
  /** Called after each probe's exchange, for live progress. */
  onExchange?: (exchange: ProbeExchange) => void;
  /**
   * A plain TCP connection opened for the NULL probe before the probes were loaded
   * (`openNullConnection`), so the banner's wait overlaps the parse. The scan uses it as its first
   * connection when that is the NULL probe's outside TLS, and closes it unused otherwise. The
   * caller must have checked the file's Exclude directive first (load-probes.ts nullProbeLeads).
   */
  nullConnection?: EarlyConnection;
}

/** A connect started ahead of the scan: when it started, and its outcome with when it completed. */
export interface EarlyConnection {
  startedAt: number;
  result: Promise<{ connect: ConnectResult; at: number }>;
}

/**
 * Starts the TCP connect the NULL probe will listen on, with the options the scan would use for
 * it (nmap's DEFAULT_CONNECT_TIMEOUT, our byte cap), before the probes database exists. nmap
 * connects only after loading its file; the only difference this makes is that the banner's
 * network time is spent while we parse, and the NULL probe's clock starts at the connect, as
 * nmap's does.
 */
export async function openNullConnection(
  o: Pick<ScanOptions, 'transport' | 'endpoint' | 'signal' | 'maxBytes' | 'connectTimeoutMs'>,
): Promise<EarlyConnection> {
  const startedAt = o.transport.now();
  const result = o.transport
    .connectTcp(o.endpoint, {
      tls: false,
      timeoutMs: o.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT,
      maxBytes: o.maxBytes ?? DEFAULT_MAX_BYTES,
      signal: o.signal,
    })
    .then((connect) => ({ connect, at: o.transport.now() }));
  // Node's net.connect issues the connect(2) call for an IP address on the next tick: let it go
  // out before the caller starts its long synchronous parse, or nothing would overlap.
  await new Promise((resolve) => setImmediate(resolve));
  return { startedAt, result };
}

/** When a read event happened: its arrival time if the transport knows it, else now. */
function eventTime(ev: ReadEvent, now: number): number {
  return 'at' in ev && ev.at !== undefined ? Math.min(ev.at, now) : now;
}

type PassEnd =
  | { kind: 'hard' }
  | { kind: 'restart-ssl' }
  | { kind: 'exhausted' }
  | { kind: 'stop'; status: ScanStatus; note?: string };

class ServiceScan {
  tunnel: Tunnel;
  /** ServiceNFO::probe_matched, softMatchFound and the *_matched fields processMatch fills. */
  matched: string | null = null;
  softMatchFound = false;
  fields: MatchFields = { ...EMPTY_FIELDS };
  /** The match that set `matched` last, for the verdict's probe and line. */
  last?: { hit: LineHit; probe: string };
  tcpwrapPossible = true;
  fingerprint: FingerprintResponse[] = [];
  transcript: ProbeExchange[] = [];
  untestable = new Map<number, string>();
  connections = 0;
  readonly t0: number;
  readonly intensity: number;

  /** The early NULL connection, until the first connection takes it (or the scan ends). */
  private early?: EarlyConnection;
  /** When the newest connection finished connecting: the first probe on it starts its clock then. */
  private connectedAt = 0;

  constructor(private readonly o: ScanOptions) {
    this.tunnel = o.tls ? 'ssl' : 'none';
    this.early = o.nullConnection;
    const now = o.transport.now();
    this.t0 = this.early ? Math.min(this.early.startedAt, now) : now;
    this.intensity = o.intensity ?? DEFAULT_INTENSITY;
  }

  /** Closes the early connection if the scan did not use it. */
  private dropEarly(): void {
    const e = this.early;
    this.early = undefined;
    if (e) void e.result.then(({ connect }) => connect.ok && connect.connection.close());
  }

  private full?: ProbeDb;
  private loadMs = 0;

  /** The whole file's database: given, or built on first need from the loader. */
  private fullDb(): ProbeDb {
    if (!this.full) {
      const t = this.o.transport.now();
      this.full = typeof this.o.db === 'function' ? this.o.db() : this.o.db;
      this.loadMs = this.o.transport.now() - t;
    }
    return this.full;
  }

  private elapsed(): number {
    return this.o.transport.now() - this.t0;
  }

  /** ServiceNFO::addToServiceFingerprint, minus the formatting (engine/fingerprint.ts does that). */
  private addToFingerprint(probe: string, response: Buffer): void {
    if (response.length > 0) this.fingerprint.push({ probe, response });
  }

  /**
   * processMatch: true for a new hard match. A softmatch after any match is ignored; a match
   * replaces only the fields it fills (nmap's Strncpy only when non-NULL), so a hard match keeps
   * a softmatch's product when it has none of its own.
   */
  private processMatch(hit: LineHit, probe: string): boolean {
    if (hit.match.soft && this.matched !== null) return false;
    this.matched = hit.match.service;
    this.tcpwrapPossible = false;
    for (const k of Object.keys(hit.fields) as (keyof MatchFields)[]) if (hit.fields[k] !== null) this.fields[k] = hit.fields[k];
    this.softMatchFound = hit.match.soft;
    this.last = { hit, probe };
    return !hit.match.soft;
  }

  async openConnection(exchange: ProbeExchange, probe: DbProbe): Promise<Connection | PassEnd> {
    const { transport, endpoint, protocol } = this.o;
    const tls = this.tunnel === 'ssl';
    // The early connection is this scan's first, plain TCP, and only for the NULL probe.
    const early = this.connections === 0 && !tls && protocol === 'TCP' && probe.isNull ? this.early : undefined;
    if (early) this.early = undefined;
    else this.dropEarly();
    const started = early ? early.startedAt : transport.now();
    const options = {
      tls,
      timeoutMs: tls
        ? (this.o.tlsConnectTimeoutMs ?? DEFAULT_CONNECT_SSL_TIMEOUT)
        : (this.o.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT),
      maxBytes: this.o.maxBytes ?? DEFAULT_MAX_BYTES,
      signal: this.o.signal,
    };
    let r: ConnectResult;
    if (early) ({ connect: r, at: this.connectedAt } = await early.result);
    else {
      r = protocol === 'TCP' ? await transport.connectTcp(endpoint, options) : await transport.openUdp(endpoint, options);
      this.connectedAt = transport.now();
    }
    exchange.connectMs = this.connectedAt - started;
    if (r.ok) {
      this.connections++;
      exchange.connection = this.connections;
      exchange.tls = r.connection.tlsInfo;
      return r.connection;
    }
    exchange.end = 'connect-failed';
    exchange.errorCode = r.code;
    this.record(exchange);
    if (r.code === 'ABORTED') return { kind: 'stop', status: 'aborted' };
    const where = `${this.o.host} port ${endpoint.port}/${protocol.toLowerCase()}`;
    if (this.connections === 0 && r.code === 'ECONNREFUSED')
      return { kind: 'stop', status: 'closed', note: `${where} refused the connection` };
    if (this.connections === 0)
      return { kind: 'stop', status: 'unreachable', note: `cannot connect to ${where}: ${r.message}` };
    // nmap's servicescan_connect_handler: a failed connect mid-scan abandons the service.
    return { kind: 'stop', status: 'incomplete', note: `connection ${this.connections + 1} failed${tls ? ' (TLS)' : ''}: ${r.message}` };
  }

  private record(exchange: ProbeExchange): void {
    this.transcript.push(exchange);
    this.o.onExchange?.(exchange);
  }

  /** One pass over the probe order in the current tunnel (the loop of startNextProbe calls). */
  async pass(): Promise<PassEnd> {
    const { transport, endpoint, protocol } = this.o;
    const ctx = { protocol, port: endpoint.port, tunnel: this.tunnel, intensity: this.intensity };
    const softState = () => ({ softMatchFound: this.softMatchFound, service: this.matched });
    // With a NULL-only head database, the NULL probe runs before the rest of the file is read;
    // the full database (and nmap's cursor over it) is built only if the scan goes on.
    const head = protocol === 'TCP' ? this.o.nullDb : undefined;
    let cursor: ProbeCursor | undefined;
    let db: ProbeDb;
    let probe: DbProbe | undefined;
    if (head?.nullProbe) {
      db = head;
      probe = head.nullProbe;
    } else {
      db = this.fullDb();
      cursor = new ProbeCursor(db, ctx);
      probe = cursor.next(softState());
    }
    let conn: Connection | undefined;
    let carried: Buffer = Buffer.alloc(0);
    let reused = false;
    const advance = (): DbProbe | undefined => {
      if (cursor) return cursor.next(softState());
      db = this.fullDb();
      cursor = new ProbeCursor(db, ctx);
      const first = cursor.next(softState());
      return first?.isNull ? cursor.next(softState()) : first;
    };
    try {
      for (; probe; probe = advance()) {
        const exchange = this.newExchange(probe, reused);
        let start: number;
        if (!conn) {
          const c = await this.openConnection(exchange, probe);
          if (!('read' in c)) return c;
          conn = c;
          start = this.connectedAt;
        } else {
          exchange.connection = this.connections;
          start = transport.now();
        }
        exchange.startedAtMs = start - this.t0;
        if (!probe.isNull) {
          const w = await conn.write(Buffer.from(probe.payload, 'latin1'));
          if (!w.ok) {
            // servicescan_write_handler gives up on the service when a write fails.
            exchange.end = 'write-failed';
            exchange.errorCode = w.code;
            this.record(exchange);
            return { kind: 'stop', status: 'incomplete', note: `sending probe ${probe.name} failed: ${w.message}` };
          }
        }
        let response = carried;
        carried = Buffer.alloc(0);
        reused = false;
        const outcome = await this.readReply(db, conn, probe, exchange, start, response);
        response = exchange.received;
        this.record(exchange);
        if (outcome === 'hard') {
          conn.close();
          conn = undefined;
          if (this.scanThroughTunnel()) return { kind: 'restart-ssl' };
          return { kind: 'hard' };
        }
        if (outcome === 'stop-aborted') return { kind: 'stop', status: 'aborted' };
        if (outcome === 'stop-tcpwrapped') return { kind: 'stop', status: 'tcpwrapped' };
        if (outcome === 'stop-closed') return { kind: 'stop', status: 'closed', note: 'the port answered with ICMP port unreachable' };
        if (outcome === 'stop-error')
          return { kind: 'stop', status: 'incomplete', note: `read error ${exchange.errorCode} during probe ${probe.name}` };
        if (outcome === 'next-same' && probe.isNull) {
          // startNextProbe(alwaysrestart=false) after NULL: same connection, and the banner stays
          // at the front of the next probe's reply (nextProbe(false) keeps currentresp).
          carried = response;
          reused = true;
        } else {
          conn.close();
          conn = undefined;
        }
      }
      return { kind: 'exhausted' };
    } finally {
      conn?.close();
    }
  }

  private newExchange(probe: DbProbe, reused: boolean): ProbeExchange {
    return {
      probe: probe.name,
      protocol: probe.protocol,
      tunnel: this.tunnel,
      connection: 0,
      reusedConnection: reused,
      startedAtMs: this.elapsed(),
      sent: Buffer.from(probe.payload, 'latin1'),
      received: Buffer.alloc(0),
      chunks: [],
      durationMs: 0,
      end: 'timeout',
    };
  }

  /** servicescan_read_handler for one probe: returns how the probe ended. */
  private async readReply(
    db: ProbeDb,
    conn: Connection,
    probe: DbProbe,
    exchange: ProbeExchange,
    start: number,
    initial: Buffer,
  ): Promise<'hard' | 'next-same' | 'next-new' | 'stop-aborted' | 'stop-tcpwrapped' | 'stop-closed' | 'stop-error'> {
    const { transport } = this.o;
    let response = initial;
    exchange.received = response;
    for (;;) {
      const left = Math.max(0, probe.totalwaitms - (transport.now() - start));
      const ev = await conn.read(left);
      // Network time only: when the event reached the socket (it may have waited in the buffer
      // while the process was busy), never before this probe started.
      const used = Math.max(0, eventTime(ev, transport.now()) - start);
      exchange.durationMs = used;
      if (ev.kind === 'data') {
        this.tcpwrapPossible = false;
        exchange.chunks.push({ atMs: used, bytes: ev.data });
        response = Buffer.concat([response, ev.data]);
        exchange.received = response;
        const m0 = transport.now();
        const attempt = matchResponse(db, probe, response.toString('latin1'));
        exchange.matchMs = (exchange.matchMs ?? 0) + (transport.now() - m0);
        for (const u of attempt.issues) this.untestable.set(u.line, `${u.kind}: ${u.message}`);
        if (attempt.hit) {
          exchange.match = verdictOf(attempt.hit, probe.name);
          if (this.processMatch(attempt.hit, probe.name)) {
            exchange.end = 'hardmatch';
            return 'hard';
          }
        }
        if (probe.totalwaitms - (transport.now() - start) > 0 && response.length < READ_MORE_LIMIT) continue;
        exchange.end = response.length >= READ_MORE_LIMIT ? 'byte-cap' : 'timeout';
        this.addToFingerprint(probe.name, response);
        return 'next-same';
      }
      if (ev.kind === 'timeout') {
        this.tcpwrapPossible = false;
        exchange.end = 'timeout';
        this.addToFingerprint(probe.name, response);
        return 'next-same';
      }
      if (ev.kind === 'aborted') {
        exchange.end = 'aborted';
        return 'stop-aborted';
      }
      if (ev.kind === 'eof') {
        exchange.end = 'eof';
        if (response.length > 0) {
          this.addToFingerprint(probe.name, response);
          this.tcpwrapPossible = false;
        }
        // The tcpwrapped rule: the peer closed during NULL, silently, within tcpwrappedms.
        if (this.tcpwrapPossible && probe.isNull && response.length === 0 && used < probe.tcpwrappedms) {
          exchange.end = 'tcpwrapped';
          return 'stop-tcpwrapped';
        }
        return 'next-new';
      }
      exchange.end = 'error';
      exchange.errorCode = ev.code;
      if (probe.protocol === 'UDP' && ev.code === 'ECONNREFUSED') return 'stop-closed';
      if (ev.code === 'ECONNRESET' || ev.code === 'ECONNREFUSED' || ev.code === 'ECONNABORTED') {
        if (this.tcpwrapPossible && probe.isNull && used < probe.tcpwrappedms) {
          exchange.end = 'tcpwrapped';
          return 'stop-tcpwrapped';
        }
        return 'next-new';
      }
      if (['EPIPE', 'EIO', 'ENETRESET', 'EPROTO', 'EMSGSIZE', 'EOPNOTSUPP', 'ENOPROTOOPT'].includes(ev.code)) return 'next-new';
      // TLS alerts and other errors surface from Node with ERR_SSL_* codes; nsock maps them to EIO.
      if (ev.code.startsWith('ERR_SSL') || ev.code.startsWith('ERR_TLS')) return 'next-new';
      this.tcpwrapPossible = false;
      return 'stop-error';
    }
  }

  /** scanThroughTunnel: true when an `ssl` hard match means "start again inside TLS". */
  private scanThroughTunnel(): boolean {
    const matched = this.matched;
    if (matched === null) return false;
    if (matched.startsWith('ssl/')) {
      this.tunnel = 'ssl';
      this.matched = matched.slice(4);
      return false;
    }
    if (this.tunnel !== 'none' || matched !== 'ssl' || this.o.protocol !== 'TCP') return false;
    // resetProbes(true): start over inside TLS, forgetting the match and the fingerprint.
    this.tunnel = 'ssl';
    this.matched = null;
    this.softMatchFound = false;
    this.fields = { ...EMPTY_FIELDS };
    this.last = undefined;
    this.fingerprint = [];
    return true;
  }

  async run(): Promise<ScanResult> {
    const { endpoint, protocol } = this.o;
    try {
      return await this.scan(endpoint, protocol);
    } finally {
      this.dropEarly();
    }
  }

  private async scan(endpoint: Endpoint, protocol: Protocol): Promise<ScanResult> {
    const startedAt = new Date();
    let status: ScanStatus;
    let note: string | undefined;
    if (!this.o.allPorts && isExcluded(this.o.nullDb ?? this.fullDb(), endpoint.port, protocol)) {
      status = 'excluded';
      note = `port ${endpoint.port}/${protocol.toLowerCase()} is covered by the file's Exclude directive (use --allports)`;
    } else {
      let end = await this.pass();
      if (end.kind === 'restart-ssl') end = await this.pass();
      if (end.kind === 'hard') status = 'identified';
      else if (end.kind === 'stop') {
        status = end.status;
        note = end.note;
      } else status = 'exhausted' as ScanStatus;
      // end_svcprobe: a service that never showed a sign of life past a quick close is tcpwrapped.
      if (status !== 'identified' && status !== 'aborted' && status !== 'closed' && status !== 'unreachable' && this.tcpwrapPossible && this.transcript.some((e) => e.connection > 0))
        status = 'tcpwrapped';
      if ((status as string) === 'exhausted' || status === 'incomplete') {
        const answered = this.transcript.some((e) => e.received.length > 0);
        if (status !== 'incomplete') status = this.matched !== null ? 'softmatched' : answered ? 'unrecognized' : 'no-answer';
      }
      if (this.transcript.length === 0 && status === 'no-answer')
        note = `no probe was sent: the probes file has none for ${protocol} port ${endpoint.port} at intensity ${this.intensity}`;
    }
    const verdict: Verdict | null =
      this.matched !== null && this.last && status !== 'tcpwrapped'
        ? {
            service: this.tunnel === 'ssl' ? `ssl/${this.matched}` : this.matched,
            ...displayFields(this.fields),
            soft: this.softMatchFound,
            probe: this.last.probe,
            fallback: this.last.hit.fallback.name,
            line: this.last.hit.match.line,
          }
        : null;
    return {
      target: { host: this.o.host, address: endpoint.address, port: endpoint.port, protocol },
      status,
      verdict,
      tunnel: this.tunnel,
      transcript: this.transcript,
      fingerprintResponses: status === 'identified' ? [] : this.fingerprint,
      untestable: [...this.untestable].map(([line, message]) => ({ line, message })),
      note,
      intensity: this.intensity,
      startedAt,
      elapsedMs: this.elapsed(),
      loadMs: this.loadMs,
    };
  }
}

/** Runs a full version scan of one port. Never throws on network trouble: the status says it. */
export function scanService(options: ScanOptions): Promise<ScanResult> {
  return new ServiceScan(options).run();
}
