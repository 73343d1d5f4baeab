// Tiny scripted servers on 127.0.0.1 / ::1 for the prober's tests. Each records what it received,
// so tests can assert that nothing but probe bytes was written.
import * as dgram from 'node:dgram';
import * as net from 'node:net';
import * as tls from 'node:tls';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Loopback {
  port: number;
  /** Bytes received on each accepted connection (or each datagram for UDP), in order. */
  received: Buffer[];
  connections: number;
  close(): Promise<void>;
}

export type TcpScript = (socket: net.Socket, index: number, received: () => Buffer) => void;

export function tcpServer(script: TcpScript, host = '127.0.0.1', tlsOptions?: tls.TlsOptions): Promise<Loopback> {
  return new Promise((resolve, reject) => {
    const received: Buffer[] = [];
    const sockets = new Set<net.Socket>();
    const state = { connections: 0 };
    const onSocket = (socket: net.Socket) => {
      const index = state.connections++;
      received[index] = Buffer.alloc(0);
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => undefined);
      socket.on('data', (d: Buffer) => (received[index] = Buffer.concat([received[index], d])));
      script(socket, index, () => received[index]);
    };
    const server = tlsOptions ? tls.createServer(tlsOptions, onSocket) : net.createServer(onSocket);
    server.on('error', reject);
    server.listen(0, host, () => {
      const port = (server.address() as net.AddressInfo).port;
      resolve({
        port,
        received,
        get connections() {
          return state.connections;
        },
        close: () =>
          new Promise<void>((r) => {
            for (const s of sockets) s.destroy();
            server.close(() => r());
          }),
      });
    });
  });
}

export function udpServer(reply: (msg: Buffer) => Buffer | undefined): Promise<Loopback> {
  return new Promise((resolve) => {
    const received: Buffer[] = [];
    const socket = dgram.createSocket('udp4');
    socket.on('message', (msg, rinfo) => {
      received.push(msg);
      const r = reply(msg);
      if (r) socket.send(r, rinfo.port, rinfo.address);
    });
    socket.bind(0, '127.0.0.1', () => {
      resolve({
        port: socket.address().port,
        received,
        connections: 0,
        close: () => new Promise<void>((r) => socket.close(() => r())),
      });
    });
  });
}

/** A throwaway self-signed certificate made with Debian's openssl (listed in .ci/apt-packages.txt). */
export function selfSignedCert(): { key: Buffer; cert: Buffer } {
  const dir = mkdtempSync(join(tmpdir(), 'nsp-cert-'));
  try {
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=localhost',
      '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
    ], { stdio: 'ignore', timeout: 20000 });
    return { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A port on 127.0.0.1 that nothing listens on (bound, then released). */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}
