// The replay server on loopback, driven by a plain client (no nmap): what it sends for silence,
// for a probe string, for a probe with nothing recorded and for other bytes; UDP and TLS.

import { strict as assert } from 'node:assert';
import * as dgram from 'node:dgram';
import { readFileSync } from 'node:fs';
import * as net from 'node:net';
import { resolve } from 'node:path';
import * as tls from 'node:tls';
import type { CaptureCase } from '../../engine/capture';
import { makeSelfSignedCert } from '../../prober/replay-cert';
import { readProbePayloads, type ProbePayload } from '../../prober/replay-probes';
import { startReplayServer, type ReplayServer } from '../../prober/replay-server';

const CORPUS = resolve(__dirname, '../../../shared/corpus/nmap-service-probes');
let probes: ProbePayload[];
const payload = (name: string, proto = 'TCP') => probes.find((p) => p.name === name && p.protocol === proto)!.payload;

function kase(protocol: 'TCP' | 'UDP', responses: Record<string, string>, tlsOn = false): CaptureCase {
  const s = { start: 0, end: 0 };
  return { name: 't', port: 0, protocol, tls: tlsOn, responses: Object.entries(responses).map(([probe, bytes]) => ({ probe, bytes, span: s })), expect: {}, expectSpans: {}, span: s, nameSpan: s };
}

/** Connects, optionally writes, and collects everything until the server closes (or 5 s). */
function talk(port: number, send?: string, secure = false): Promise<{ data: string; ms: number }> {
  return new Promise((ok, fail) => {
    const t0 = Date.now();
    let data = '';
    const s: net.Socket = secure ? tls.connect({ port, host: '127.0.0.1', rejectUnauthorized: false }) : net.connect(port, '127.0.0.1');
    const timer = setTimeout(() => { s.destroy(); fail(new Error('no close within 5 s')); }, 5000);
    s.on(secure ? 'secureConnect' : 'connect', () => { if (send) s.write(Buffer.from(send, 'latin1')); });
    s.on('data', (d: Buffer) => (data += d.toString('latin1')));
    s.on('close', () => { clearTimeout(timer); ok({ data, ms: Date.now() - t0 }); });
    s.on('error', () => {});
  });
}

describe('prober/replay-server', function () {
  this.timeout(30_000);
  let server: ReplayServer | undefined;
  before(function () {
    this.timeout(60_000);
    probes = readProbePayloads(readFileSync(CORPUS, 'utf8'));
  });
  afterEach(async () => { await server?.close(); server = undefined; });

  it('reads the probe strings of the corpus file', () => {
    assert.equal(probes.length, 187);
    assert.equal(payload('GetRequest'), 'GET / HTTP/1.0\r\n\r\n');
    assert.equal(payload('DNSStatusRequest', 'UDP'), '\0\0\x10\0\0\0\0\0\0\0\0\0');
  });

  it('TCP with a banner: silence gets the banner, then a close; a probe gets its recording whole', async () => {
    const banner = '220 hello\r\n';
    server = await startReplayServer({ replay: kase('TCP', { NULL: banner, GenericLines: banner + '500 what\r\n' }), probes, port: 0, nullGraceMs: 200 });
    const silent = await talk(server.port);
    assert.equal(silent.data, banner);
    const probed = await talk(server.port, payload('GenericLines'));
    assert.equal(probed.data, banner + '500 what\r\n');
    const unrecorded = await talk(server.port, payload('GetRequest'));
    assert.equal(unrecorded.data, '');
    assert.ok(unrecorded.ms < 1000);
    const junk = await talk(server.port, 'not a probe string at all');
    assert.equal(junk.data, '');
  });

  it('TCP without a banner: silent during the NULL probe, closing only after nullSilenceMs', async () => {
    server = await startReplayServer({ replay: kase('TCP', { GetRequest: 'HTTP/1.0 200 OK\r\n\r\n' }), probes, port: 0, nullSilenceMs: 1200 });
    const silent = await talk(server.port);
    assert.equal(silent.data, '');
    assert.ok(silent.ms >= 1100, `closed after ${silent.ms} ms`);
    assert.equal((await talk(server.port, payload('GetRequest'))).data, 'HTTP/1.0 200 OK\r\n\r\n');
  });

  it('a probe string split over two writes is still recognised', async () => {
    server = await startReplayServer({ replay: kase('TCP', { GetRequest: 'ok' }), probes, port: 0 });
    const got = await new Promise<string>((ok) => {
      let data = '';
      const s = net.connect(server!.port, '127.0.0.1', () => {
        s.write('GET / HT');
        setTimeout(() => s.write('TP/1.0\r\n\r\n'), 50);
      });
      s.on('data', (d: Buffer) => (data += d.toString('latin1')));
      s.on('close', () => ok(data));
    });
    assert.equal(got, 'ok');
  });

  it('UDP: answers a datagram that is a recorded probe string, ignores others', async () => {
    const answer = '\0\0\x90\x04' + '\0'.repeat(8);
    server = await startReplayServer({ replay: kase('UDP', { DNSStatusRequest: answer }), probes, port: 0 });
    const sock = dgram.createSocket('udp4');
    const replies: string[] = [];
    sock.on('message', (m) => replies.push(m.toString('latin1')));
    await new Promise<void>((ok) => sock.bind(0, '127.0.0.1', () => ok()));
    sock.send(Buffer.from(payload('DNSVersionBindReq', 'UDP'), 'latin1'), server.port, '127.0.0.1');
    sock.send(Buffer.from(payload('DNSStatusRequest', 'UDP'), 'latin1'), server.port, '127.0.0.1');
    await new Promise((r) => setTimeout(r, 300));
    sock.close();
    assert.deepEqual(replies, [answer]);
  });

  it('TLS: the replay runs inside the tunnel', async () => {
    const pem = await makeSelfSignedCert();
    server = await startReplayServer({ replay: kase('TCP', { GetRequest: 'HTTP/1.1 200 OK\r\n\r\n' }, true), probes, port: 0, tls: pem });
    assert.equal((await talk(server.port, payload('GetRequest'), true)).data, 'HTTP/1.1 200 OK\r\n\r\n');
  });

  it('refuses to bind anywhere but loopback', async () => {
    await assert.rejects(startReplayServer({ replay: kase('TCP', {}), probes, port: 0, host: '0.0.0.0' as '127.0.0.1' }), /127\.0\.0\.1 or ::1/);
  });
});
