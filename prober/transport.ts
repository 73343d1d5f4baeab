// The one seam between the prober's logic and the network. The scan state machine (scan.ts) only
// ever talks to a `Transport`; node-transport.ts implements it on Node's net, dgram and tls, and
// tests replace it with scripted fakes. Nothing else in the project opens a socket.

/** Where to send traffic: an address the user typed (already resolved to an IP by target.ts). */
export interface Endpoint {
  /** An IPv4 or IPv6 literal (no brackets). */
  address: string;
  port: number;
  /** The host name the user typed, when it was a name; used for TLS SNI only. */
  hostname?: string;
}

export interface ConnectOptions {
  /** Wrap the connection in TLS (nmap's SERVICE_TUNNEL_SSL). */
  tls: boolean;
  /** Give up connecting (and, for TLS, handshaking) after this many milliseconds. */
  timeoutMs: number;
  /** Hard cap on bytes buffered from the peer; beyond it the connection stops reading. */
  maxBytes: number;
  signal?: AbortSignal;
}

/**
 * What one wait for the peer yields. `at` (on the transport's clock) is when the event reached the
 * socket, when the transport knows: an event that waited in the buffer while the process was busy
 * (parsing the probes file, matching) is then timed as nmap's event loop would have seen it.
 */
export type ReadEvent =
  | { kind: 'data'; data: Buffer; at?: number }
  /** The wait ran out with nothing new. */
  | { kind: 'timeout' }
  /** The peer closed its side (TCP FIN, or TLS close). */
  | { kind: 'eof'; at?: number }
  /** A socket error such as ECONNRESET, or ECONNREFUSED from an ICMP port-unreachable on UDP. */
  | { kind: 'error'; code: string; message: string; at?: number }
  | { kind: 'aborted'; at?: number };

/** An open TCP/TLS stream or a connected UDP socket. */
export interface Connection {
  /** Sends probe bytes; resolves once handed to the kernel, or with the error that prevented it. */
  write(data: Buffer): Promise<{ ok: true } | { ok: false; code: string; message: string }>;
  /**
   * Waits up to `timeoutMs` for the next bytes (a datagram on UDP). Bytes that arrived before the
   * call are returned at once, so no data is lost between reads.
   */
  read(timeoutMs: number): Promise<ReadEvent>;
  /** Closes the socket at once; safe to call twice. */
  close(): void;
  /** TLS only: the negotiated protocol and cipher, for the transcript. */
  tlsInfo?: { protocol: string | null; cipher: string | null };
}

export type ConnectResult =
  | { ok: true; connection: Connection }
  | { ok: false; code: string; message: string };

export interface Transport {
  connectTcp(endpoint: Endpoint, options: ConnectOptions): Promise<ConnectResult>;
  openUdp(endpoint: Endpoint, options: ConnectOptions): Promise<ConnectResult>;
  /** Milliseconds from an arbitrary origin; used for transcripts and nmap's per-probe clocks. */
  now(): number;
}
