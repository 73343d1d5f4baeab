// The scan state machine against scripted loopback servers: nmap's timing rules (NULL banner wait,
// connection reuse after NULL, tcpwrappedms, 4096-byte rule), softmatch narrowing, TLS restart,
// UDP, cancellation, and the transcript/fingerprint material.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { openNullConnection, scanService } from '../../prober/scan';
import { nodeTransport } from '../../prober/node-transport';
import type { Transport } from '../../prober/transport';
import { resolveTarget } from '../../prober/target';
import type * as tls from 'node:tls';
import { fakeDb } from './fake-db';
import { freePort, selfSignedCert, tcpServer, udpServer, type Loopback } from './loopback';

const NULL = {
  name: 'NULL',
  totalwaitms: 300,
  tcpwrappedms: 200,
  lines: [
    { service: 'ssh', pattern: '^SSH-2\\.0-Test_([\\d.]+)\\r\\n', p: 'TestSSH', v: '$1', cpe: ['cpe:/a:test:ssh:$1'], line: 10 },
    { service: 'ftp', pattern: '^220 FTP ready\\r\\n', soft: true, line: 11 },
  ],
};
const HELLO = {
  name: 'Hello',
  payload: 'HELLO\r\n',
  lines: [{ service: 'hello', pattern: '^(?:220 [^\\r]*\\r\\n)?HI ([\\w.]+)\\r\\n', p: 'Hello server', v: '$1', line: 20 }],
};
const QUIT = { name: 'Quit', payload: 'QUIT\r\n', lines: [{ service: 'ftp', pattern: 'BYE', p: 'ByeFTP', line: 30 }] };
const OTHER = { name: 'Other', payload: 'OTHER\r\n', lines: [{ service: 'other', pattern: 'OTHER-OK', line: 40 }] };

const servers: Loopback[] = [];
async function serve(...args: Parameters<typeof tcpServer>): Promise<Loopback> {
  const s = await tcpServer(...args);
  servers.push(s);
  return s;
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

function scan(db: ReturnType<typeof fakeDb>, port: number, extra: Partial<Parameters<typeof scanService>[0]> = {}) {
  return scanService({
    db,
    transport: nodeTransport,
    endpoint: { address: '127.0.0.1', port },
    host: '127.0.0.1',
    protocol: 'TCP',
    ...extra,
  });
}

describe('prober scan (TCP)', () => {
  it('names a service from its banner during the NULL probe, on one connection, before totalwaitms', async () => {
    const s = await serve((sock) => sock.write('SSH-2.0-Test_1.5\r\n'));
    const r = await scan(fakeDb(NULL, [HELLO]), s.port);
    assert.equal(r.status, 'identified');
    assert.deepEqual(
      { service: r.verdict?.service, product: r.verdict?.product, version: r.verdict?.version, cpe: r.verdict?.cpe, line: r.verdict?.line },
      { service: 'ssh', product: 'TestSSH', version: '1.5', cpe: ['cpe:/a:test:ssh:1.5'], line: 10 },
    );
    assert.equal(r.transcript.length, 1);
    assert.equal(r.transcript[0].end, 'hardmatch');
    assert.ok(r.transcript[0].durationMs < 250, `matched after ${r.transcript[0].durationMs} ms`);
    assert.equal(s.connections, 1);
    assert.equal(s.received[0].length, 0, 'nothing is written during the NULL probe');
  });

  it('after a silent NULL probe sends the next probe on the same connection', async () => {
    const s = await serve((sock) => sock.on('data', (d) => String(d) === 'HELLO\r\n' && sock.write('HI 2.0\r\n')));
    const r = await scan(fakeDb(NULL, [HELLO]), s.port);
    assert.equal(r.status, 'identified');
    assert.equal(r.verdict?.service, 'hello');
    assert.equal(r.verdict?.version, '2.0');
    assert.equal(s.connections, 1);
    assert.deepEqual(r.transcript.map((e) => [e.probe, e.connection, e.reusedConnection, e.end]), [
      ['NULL', 1, false, 'timeout'],
      ['Hello', 1, true, 'hardmatch'],
    ]);
    assert.ok(r.transcript[0].durationMs >= 290, 'the NULL probe waited its totalwaitms');
    assert.equal(s.received[0].toString('latin1'), 'HELLO\r\n');
  });

  it("keeps the NULL probe's banner at the front of the next probe's reply (nextProbe(false))", async () => {
    const s = await serve((sock) => {
      sock.write('220 welcome\r\n');
      sock.on('data', () => sock.write('HI 3.1\r\n'));
    });
    const r = await scan(fakeDb(NULL, [HELLO]), s.port);
    assert.equal(r.verdict?.version, '3.1');
    assert.equal(r.transcript[1].received.toString('latin1'), '220 welcome\r\nHI 3.1\r\n');
  });

  it('opens a fresh connection for each probe after the first, and ends at the first hard match', async () => {
    const s = await serve((sock) => sock.on('data', (d) => (String(d) === 'OTHER\r\n' ? sock.end('OTHER-OK') : sock.end('nope'))));
    const r = await scan(fakeDb(NULL, [HELLO, QUIT, OTHER, { ...HELLO, name: 'Never' }]), s.port);
    assert.equal(r.status, 'identified');
    assert.equal(r.verdict?.service, 'other');
    assert.deepEqual(r.transcript.map((e) => [e.probe, e.connection, e.end]), [
      ['NULL', 1, 'timeout'],
      ['Hello', 1, 'eof'],
      ['Quit', 2, 'eof'],
      ['Other', 3, 'hardmatch'],
    ]);
    assert.equal(s.connections, 3);
    assert.deepEqual(s.received.map((b) => b.toString('latin1')), ['HELLO\r\n', 'QUIT\r\n', 'OTHER\r\n']);
  });

  it('reports tcpwrapped when the peer closes silently within tcpwrappedms of the NULL probe', async () => {
    const s = await serve((sock) => sock.end());
    const r = await scan(fakeDb(NULL, [HELLO]), s.port);
    assert.equal(r.status, 'tcpwrapped');
    assert.equal(r.transcript.length, 1);
    assert.equal(r.transcript[0].end, 'tcpwrapped');
  });

  it('end_svcprobe: a service that only ever closes silently is tcpwrapped even past tcpwrappedms', async () => {
    const s = await serve((sock, i) => (i === 0 ? setTimeout(() => sock.end(), 250) : sock.end()));
    const r = await scan(fakeDb(NULL, [HELLO]), s.port);
    assert.equal(r.status, 'tcpwrapped');
    assert.deepEqual(r.transcript.map((e) => e.end), ['eof', 'eof']);
  });

  it('is not tcpwrapped when the NULL close comes after tcpwrappedms and a later probe answers', async () => {
    const s = await serve((sock, i) => (i === 0 ? setTimeout(() => sock.end(), 250) : sock.on('data', () => sock.write('HI 1.0\r\n'))));
    const r = await scan(fakeDb(NULL, [HELLO]), s.port);
    assert.equal(r.status, 'identified');
    assert.equal(r.transcript[0].end, 'eof');
    assert.equal(r.transcript[1].connection, 2, 'after EOF the next probe gets a new connection');
  });

  it('after a softmatch only tries probes that can name that service', async () => {
    const s = await serve((sock) => {
      sock.write('220 FTP ready\r\n');
      sock.on('data', (d) => String(d) === 'QUIT\r\n' && sock.end('BYE'));
    });
    const r = await scan(fakeDb(NULL, [HELLO, OTHER, QUIT]), s.port);
    assert.equal(r.status, 'identified');
    assert.equal(r.verdict?.product, 'ByeFTP');
    // Hello and Other cannot name ftp, so after NULL's softmatch nextProbe skips them.
    assert.deepEqual(r.transcript.map((e) => e.probe), ['NULL', 'Quit']);
    assert.equal(r.transcript[0].match?.soft, true);
  });

  it("a hard match keeps the softmatch's fields it does not fill itself (processMatch's Strncpy)", async () => {
    const SOFT_NULL = { ...NULL, lines: [{ service: 'ftp', pattern: '^220 ', soft: true, p: 'SoftFTP', i: 'from softmatch', line: 12 }] };
    const s = await serve((sock) => {
      sock.write('220 hi\r\n');
      sock.on('data', (d) => String(d) === 'QUIT\r\n' && sock.end('BYE'));
    });
    const r = await scan(fakeDb(SOFT_NULL, [{ ...QUIT, lines: [{ service: 'ftp', pattern: 'BYE', v: '9', line: 31 }] }]), s.port);
    assert.equal(r.status, 'identified');
    assert.deepEqual([r.verdict?.product, r.verdict?.version, r.verdict?.info, r.verdict?.line, r.verdict?.soft], ['SoftFTP', '9', 'from softmatch', 31, false]);
  });

  it('stops reading a non-matching reply at 4096 bytes (the byte cap) and records it for the fingerprint', async () => {
    const s = await serve((sock) => sock.write(Buffer.alloc(10000, 0x41)));
    const r = await scan(fakeDb({ ...NULL, totalwaitms: 2000 }, []), s.port, { maxBytes: 8192 });
    assert.equal(r.status, 'unrecognized');
    assert.equal(r.transcript[0].end, 'byte-cap');
    assert.ok(r.transcript[0].received.length >= 4096 && r.transcript[0].received.length <= 8192);
    assert.ok(r.transcript[0].durationMs < 1500, 'did not wait out totalwaitms');
    assert.equal(r.fingerprintResponses[0].probe, 'NULL');
  });

  it('reports unrecognized with the responses nmap would fingerprint', async () => {
    const s = await serve((sock) => {
      sock.write('WHO?\r\n');
      sock.on('data', () => sock.end('what\r\n'));
    });
    const r = await scan(fakeDb(NULL, [HELLO, QUIT]), s.port);
    assert.equal(r.status, 'unrecognized');
    assert.equal(r.verdict, null);
    assert.deepEqual(r.fingerprintResponses.map((f) => [f.probe, f.response.toString('latin1')]), [
      ['NULL', 'WHO?\r\n'],
      ['Hello', 'WHO?\r\nwhat\r\n'],
      ['Quit', 'WHO?\r\nwhat\r\n'],
    ]);
  });

  it('says closed for a refused connection and unreachable for a connect timeout', async () => {
    const port = await freePort();
    const r = await scan(fakeDb(NULL, [HELLO]), port);
    assert.equal(r.status, 'closed');
    assert.match(r.note ?? '', /refused/);
    const silent: Transport = {
      ...nodeTransport,
      connectTcp: async (_e, o) => {
        await new Promise((res) => setTimeout(res, Math.min(o.timeoutMs, 20)));
        return { ok: false, code: 'ETIMEDOUT', message: `no connection within ${o.timeoutMs} ms` };
      },
    };
    const u = await scan(fakeDb(NULL, [HELLO]), 9, { transport: silent });
    assert.equal(u.status, 'unreachable');
    assert.match(u.note ?? '', /5000 ms/, 'uses nmap DEFAULT_CONNECT_TIMEOUT');
  });

  it('is cancelled by an AbortSignal during the NULL probe', async () => {
    const s = await serve(() => undefined);
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 50);
    const r = await scan(fakeDb({ ...NULL, totalwaitms: 5000 }, [HELLO]), s.port, { signal: ac.signal });
    assert.equal(r.status, 'aborted');
    assert.ok(r.elapsedMs < 1000);
  });

  it('works over IPv6 loopback', async () => {
    const s = await serve((sock) => sock.write('SSH-2.0-Test_6\r\n'), '::1');
    const r = await scanService({
      db: fakeDb(NULL, []),
      transport: nodeTransport,
      endpoint: { address: '::1', port: s.port },
      host: '::1',
      protocol: 'TCP',
    });
    assert.equal(r.verdict?.version, '6');
  });

  it('redoes the scan inside TLS after a hard ssl match and reports ssl/<service>', async () => {
    const { key, cert } = selfSignedCert();
    // A TLS server: plain bytes get a TLS alert back; inside TLS it greets with a banner.
    const s = await serve((sock) => sock.write('SSH-2.0-Test_9\r\n'), '127.0.0.1', { key, cert });
    const SSL = {
      name: 'SSLProbe',
      payload: '\x16\x03\x01\x00\x05hello',
      ports: [s.port],
      lines: [{ service: 'ssl', pattern: '^\\x15\\x03[\\x00-\\x04]', line: 50 }],
    };
    const r = await scan(fakeDb(NULL, [SSL]), s.port);
    assert.equal(r.status, 'identified', JSON.stringify(r.transcript.map((e) => [e.probe, e.end, e.received.toString('hex')])));
    assert.equal(r.tunnel, 'ssl');
    assert.equal(r.verdict?.service, 'ssl/ssh');
    assert.deepEqual(r.transcript.map((e) => [e.probe, e.tunnel]), [
      ['NULL', 'none'],
      ['SSLProbe', 'none'],
      ['NULL', 'ssl'],
    ]);
    assert.ok(r.transcript[2].tls?.protocol, 'the TLS exchange records the negotiated protocol');
  });
});

describe('prober scan (the NULL connection opened before the probes are loaded)', () => {
  // What the CLI does: connect, then spend a while parsing (here: busy-waiting), then scan.
  const busy = (ms: number) => {
    const end = Date.now() + ms;
    while (Date.now() < end);
  };
  const early = (port: number) => openNullConnection({ transport: nodeTransport, endpoint: { address: '127.0.0.1', port } });
  const shape = (r: Awaited<ReturnType<typeof scanService>>) => ({
    status: r.status,
    verdict: r.verdict,
    transcript: r.transcript.map((e) => [e.probe, e.connection, e.reusedConnection, e.end, e.received.toString('latin1')]),
  });

  it('names a banner service on that one connection, with the same result as connecting after the load', async () => {
    const s = await serve((sock) => sock.write('SSH-2.0-Test_1.5\r\n'));
    const plain = await scan(fakeDb(NULL, [HELLO]), s.port);
    const nullConnection = await early(s.port);
    busy(150);
    const r = await scan(fakeDb(NULL, [HELLO]), s.port, { nullConnection });
    assert.deepEqual(shape(r), shape(plain));
    assert.equal(r.status, 'identified');
    assert.equal(s.connections, 2, 'one connection per scan');
    assert.deepEqual(s.received.map((b) => b.length), [0, 0]);
    assert.ok(r.elapsedMs >= 150, 'the scan is timed from its connect');
  });

  it('has the connection established before the caller blocks (the kernel sees it while we parse)', async () => {
    const s = await serve((sock) => sock.write('SSH-2.0-Test_2\r\n'));
    const nullConnection = await early(s.port);
    // Synchronously from here on, as the CLI's parse is: only the kernel can move. Look for the
    // connection in /proc/net/tcp (local 127.0.0.1 → remote port, state 01 ESTABLISHED).
    const remote = `0100007F:${s.port.toString(16).toUpperCase().padStart(4, '0')} 01`;
    const until = Date.now() + 2000;
    let seen = false;
    while (!seen && Date.now() < until) seen = readFileSync('/proc/net/tcp', 'utf8').includes(remote);
    assert.ok(seen, 'the connect(2) call went out before openNullConnection returned');
    const r = await scan(fakeDb(NULL, [HELLO]), s.port, { nullConnection });
    assert.equal(r.verdict?.version, '2');
  });

  it("starts the NULL probe's clock when the connection is seen, then reuses it for the next probe", async () => {
    const s = await serve((sock) => sock.on('data', (d) => String(d) === 'HELLO\r\n' && sock.write('HI 2.0\r\n')));
    const nullConnection = await early(s.port);
    busy(150);
    const r = await scan(fakeDb(NULL, [HELLO]), s.port, { nullConnection });
    assert.deepEqual(shape(r).transcript, [
      ['NULL', 1, false, 'timeout', ''],
      ['Hello', 1, true, 'hardmatch', 'HI 2.0\r\n'],
    ]);
    assert.ok(r.transcript[0].durationMs >= 290, `the NULL probe waited its totalwaitms (${r.transcript[0].durationMs} ms)`);
    assert.equal(s.connections, 1);
    assert.deepEqual(s.received.map(String), ['HELLO\r\n']);
  });

  it('is tcpwrapped as before when the peer closes silently while the probes load', async () => {
    const s = await serve((sock) => sock.end());
    const nullConnection = await early(s.port);
    busy(100);
    const r = await scan(fakeDb(NULL, [HELLO]), s.port, { nullConnection });
    assert.equal(r.status, 'tcpwrapped');
    assert.deepEqual(shape(r).transcript, [['NULL', 1, false, 'tcpwrapped', '']]);
  });

  it('is closed, with the same note, when the early connect is refused', async () => {
    const port = await freePort();
    const r = await scan(fakeDb(NULL, [HELLO]), port, { nullConnection: await early(port) });
    assert.equal(r.status, 'closed');
    assert.match(r.note ?? '', /refused the connection/);
  });

  it('closes it unused when the scan does not start with the NULL probe in plain TCP', async () => {
    const s = await serve((sock) => sock.on('data', (d) => String(d) === 'HELLO\r\n' && sock.write('HI 3\r\n')));
    const nullConnection = await early(s.port);
    const r = await scan(fakeDb(undefined, [HELLO]), s.port, { nullConnection });
    assert.equal(r.status, 'identified');
    assert.deepEqual(shape(r).transcript, [['Hello', 1, false, 'hardmatch', 'HI 3\r\n']]);
    await new Promise((ok) => setTimeout(ok, 50));
    assert.equal(s.connections, 2);
    assert.deepEqual(s.received.map(String), ['', 'HELLO\r\n'], 'nothing written on the unused connection');
  });
});

describe('prober scan (host names and TLS SNI)', () => {
  it('resolves a host name once, scans that address, and sends it as the TLS server name', async () => {
    const r = await resolveTarget({ host: 'localhost', port: 1 });
    assert.ok(r.ok, 'localhost resolves');
    assert.equal(r.endpoint.hostname, 'localhost');
    assert.match(r.endpoint.address, /^(127\.0\.0\.1|::1)$/);
    const { key, cert } = selfSignedCert();
    const names: (string | false | null)[] = [];
    const s = await serve(
      (sock) => {
        names.push((sock as tls.TLSSocket).servername);
        sock.write('SSH-2.0-Test_5\r\n');
      },
      r.endpoint.address,
      { key, cert },
    );
    const byName = await scanService({
      db: fakeDb(NULL, []),
      transport: nodeTransport,
      endpoint: { ...r.endpoint, port: s.port },
      host: 'localhost',
      protocol: 'TCP',
      tls: true,
    });
    assert.equal(byName.verdict?.service, 'ssl/ssh');
    const byIp = await scan(fakeDb(NULL, []), s.port, { tls: true, endpoint: { address: r.endpoint.address, port: s.port } });
    assert.equal(byIp.verdict?.service, 'ssl/ssh');
    assert.deepEqual(names, ['localhost', false], 'SNI for the name, none for an IP literal');
  });
});

describe('prober scan (UDP)', () => {
  const DNS = { name: 'Ask', protocol: 'UDP' as const, payload: 'ASK', lines: [{ service: 'answer', pattern: '^ANSWER (\\d+)', v: '$1', line: 60 }] };
  it('sends UDP probes and names the answer; no NULL probe for UDP', async () => {
    const u = await udpServer((m) => (m.toString() === 'ASK' ? Buffer.from('ANSWER 42') : undefined));
    servers.push(u);
    const r = await scan(fakeDb(NULL, [HELLO, DNS]), u.port, { protocol: 'UDP' });
    assert.equal(r.status, 'identified');
    assert.equal(r.verdict?.version, '42');
    assert.deepEqual(r.transcript.map((e) => e.probe), ['Ask']);
  });

  it('says no-answer when nothing comes back', async () => {
    const u = await udpServer(() => undefined);
    servers.push(u);
    const r = await scan(fakeDb(NULL, [DNS, { ...DNS, name: 'Ask2', payload: 'ASK2' }]), u.port, { protocol: 'UDP' });
    assert.equal(r.status, 'no-answer');
    assert.deepEqual(u.received.map(String), ['ASK', 'ASK2']);
  });

  it('says closed when the port answers ICMP port unreachable', async () => {
    const port = await freePort();
    const r = await scan(fakeDb(NULL, [DNS]), port, { protocol: 'UDP' });
    assert.equal(r.status, 'closed');
  });
});
