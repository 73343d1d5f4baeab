// The real Transport, on Node's net, tls and dgram. This file and nmap-verify.ts (which runs the
// nmap binary) are the only places in nsp that touch the network.
import type * as net from 'node:net';
import type * as tls from 'node:tls';
import { nodeDgram, nodeNet, nodeTls } from './node-modules';
import type { Connection, ConnectOptions, ConnectResult, Endpoint, ReadEvent, Transport } from './transport';

type Final = Extract<ReadEvent, { kind: 'eof' | 'error' | 'aborted' }>;

/**
 * Buffers what a socket delivers until the scan asks for it, like nsock's read queue: data first,
 * then the final event (close or error), which stays final for every later read.
 */
class Inbox {
  private chunks: Buffer[] = [];
  private final: Final | undefined;
  private waiter: ((e: ReadEvent) => void) | undefined;
  private received = 0;

  constructor(
    private readonly maxBytes: number,
    private readonly onFull: () => void,
  ) {}

  push(data: Buffer): void {
    if (this.final) return;
    const room = this.maxBytes - this.received;
    if (room <= 0) return;
    const kept = data.length > room ? data.subarray(0, room) : data;
    this.received += kept.length;
    if (this.received >= this.maxBytes) this.onFull();
    this.lastAt = performance.now();
    this.deliver({ kind: 'data', data: Buffer.from(kept), at: this.lastAt });
  }

  end(event: Final): void {
    if (this.final) return;
    this.final = { ...event, at: performance.now() };
    if (this.waiter) this.deliver(this.final);
  }

  /** When the newest buffered chunk arrived (the read that returns them all reports this time). */
  private lastAt = 0;

  private deliver(event: ReadEvent): void {
    const w = this.waiter;
    if (w && (event.kind !== 'data' || this.chunks.length === 0)) {
      this.waiter = undefined;
      w(event);
    } else if (event.kind === 'data') {
      this.chunks.push(event.data);
    }
  }

  read(timeoutMs: number): Promise<ReadEvent> {
    if (this.chunks.length > 0) {
      const data = Buffer.concat(this.chunks);
      this.chunks = [];
      return Promise.resolve({ kind: 'data', data, at: this.lastAt });
    }
    if (this.final) return Promise.resolve(this.final);
    return new Promise((resolve) => {
      // A deadline that fires late because the process was busy must not beat bytes that are
      // already waiting: let one poll phase run (setImmediate) before declaring the timeout.
      const timer = setTimeout(
        () =>
          setImmediate(() => {
            if (this.waiter !== waiter) return;
            this.waiter = undefined;
            resolve({ kind: 'timeout' });
          }),
        Math.max(0, timeoutMs),
      );
      const waiter = (e: ReadEvent) => {
        clearTimeout(timer);
        resolve(e);
      };
      this.waiter = waiter;
    });
  }
}

function errorCode(e: unknown): string {
  const code = (e as NodeJS.ErrnoException)?.code;
  return typeof code === 'string' ? code : 'EIO';
}

function streamConnection(socket: net.Socket, options: ConnectOptions): Connection {
  const inbox = new Inbox(options.maxBytes, () => socket.pause());
  let closed = false;
  socket.on('data', (d: Buffer) => inbox.push(d));
  socket.on('end', () => inbox.end({ kind: 'eof' }));
  socket.on('close', () => inbox.end({ kind: 'eof' }));
  socket.on('error', (e) => inbox.end({ kind: 'error', code: errorCode(e), message: e.message }));
  const onAbort = () => {
    inbox.end({ kind: 'aborted' });
    socket.destroy();
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const conn: Connection = {
    write(data) {
      return new Promise((resolve) => {
        if (closed || socket.destroyed) {
          resolve({ ok: false, code: 'EPIPE', message: 'connection already closed' });
          return;
        }
        socket.write(data, (err) =>
          resolve(err ? { ok: false, code: errorCode(err), message: err.message } : { ok: true }),
        );
      });
    },
    read: (ms) => inbox.read(ms),
    close() {
      if (closed) return;
      closed = true;
      options.signal?.removeEventListener('abort', onAbort);
      socket.destroy();
    },
  };
  if (options.tls) {
    const tlsSocket = socket as tls.TLSSocket;
    conn.tlsInfo = { protocol: tlsSocket.getProtocol(), cipher: tlsSocket.getCipher()?.name ?? null };
  }
  return conn;
}

/**
 * Opens a TCP (or TLS) connection with nmap's connect deadline: DEFAULT_CONNECT_TIMEOUT for TCP,
 * DEFAULT_CONNECT_SSL_TIMEOUT for connect plus handshake (the caller passes them in).
 */
function connectStream(endpoint: Endpoint, options: ConnectOptions): Promise<ConnectResult> {
  return new Promise((resolve) => {
    if (options.signal?.aborted) {
      resolve({ ok: false, code: 'ABORTED', message: 'scan cancelled' });
      return;
    }
    let settled = false;
    let socket: net.Socket;
    const finish = (r: ConnectResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      if (!r.ok) socket.destroy();
      resolve(r);
    };
    const onAbort = () => finish({ ok: false, code: 'ABORTED', message: 'scan cancelled' });
    // As in Inbox.read: give a connect that completed while the process was busy one poll phase.
    const timer = setTimeout(
      () => setImmediate(() => finish({ ok: false, code: 'ETIMEDOUT', message: `no connection within ${options.timeoutMs} ms` })),
      options.timeoutMs,
    );
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const ready = () => finish({ ok: true, connection: streamConnection(socket, options) });
    if (options.tls) {
      // nmap's nsock accepts any certificate and old protocols: it wants to see the service, not
      // to judge it. SNI only for names, as an IP literal is not a valid server name.
      socket = nodeTls().connect({
        host: endpoint.address,
        port: endpoint.port,
        servername: endpoint.hostname && nodeNet().isIP(endpoint.hostname) === 0 ? endpoint.hostname : undefined,
        rejectUnauthorized: false,
        minVersion: 'TLSv1',
        ciphers: 'ALL:@SECLEVEL=0',
      });
      socket.once('secureConnect', ready);
    } else {
      socket = nodeNet().connect({ host: endpoint.address, port: endpoint.port });
      socket.once('connect', ready);
    }
    socket.setNoDelay(true);
    socket.once('error', (e) => finish({ ok: false, code: errorCode(e), message: e.message }));
  });
}

/** A UDP socket connected to the target, so ICMP port-unreachable comes back as ECONNREFUSED. */
function openUdp(endpoint: Endpoint, options: ConnectOptions): Promise<ConnectResult> {
  return new Promise((resolve) => {
    if (options.signal?.aborted) {
      resolve({ ok: false, code: 'ABORTED', message: 'scan cancelled' });
      return;
    }
    const socket = nodeDgram().createSocket(nodeNet().isIPv6(endpoint.address) ? 'udp6' : 'udp4');
    let closed = false;
    const close = () => {
      if (closed) return;
      closed = true;
      options.signal?.removeEventListener('abort', onAbort);
      socket.close();
    };
    const inbox = new Inbox(options.maxBytes, () => undefined);
    const onAbort = () => {
      inbox.end({ kind: 'aborted' });
      close();
    };
    socket.on('message', (msg) => inbox.push(msg));
    socket.on('error', (e) => inbox.end({ kind: 'error', code: errorCode(e), message: e.message }));
    socket.once('error', (e) => {
      if (!connected) {
        close();
        resolve({ ok: false, code: errorCode(e), message: e.message });
      }
    });
    let connected = false;
    options.signal?.addEventListener('abort', onAbort, { once: true });
    socket.connect(endpoint.port, endpoint.address, () => {
      connected = true;
      resolve({
        ok: true,
        connection: {
          write: (data) =>
            new Promise((res) => {
              if (closed) return res({ ok: false, code: 'EBADF', message: 'socket closed' });
              socket.send(data, (err) =>
                res(err ? { ok: false, code: errorCode(err), message: err.message } : { ok: true }),
              );
            }),
          read: (ms) => inbox.read(ms),
          close,
        },
      });
    });
  });
}

export const nodeTransport: Transport = {
  connectTcp: connectStream,
  openUdp,
  now: () => performance.now(),
};
