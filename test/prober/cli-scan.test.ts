// `nsp scan` in-process, with a small real probes file (parsed by the grammar) and loopback
// servers: argument errors and exit codes, the JSON shape, single-probe mode with fallbacks and
// the NULL cheat, the fingerprint, and verification when nmap is absent.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runScan } from '../../cli/commands/scan';
import type { CliIo } from '../../cli/io';
import { parseFingerprints } from '../../engine/fingerprint';
import { nodeTransport } from '../../prober/node-transport';
import { parseTarget } from '../../prober/target';
import { freePort, tcpServer, type Loopback } from './loopback';

const PROBES = `# a tiny probes file for the CLI tests
Probe TCP NULL q||
totalwaitms 300
tcpwrappedms 200
match ssh m|^SSH-2\\.0-Test_([\\d.]+)\\r\\n| p/TestSSH/ v/$1/ cpe:/a:test:testssh:$1/
Probe TCP Hello q|HELLO\\r\\n|
rarity 1
totalwaitms 300
match hello m|^HI ([\\w.]+)| p/Hello server/ v/$1/
Probe TCP Other q|OTHER\\r\\n|
rarity 1
totalwaitms 300
fallback Hello
match other m|^OTHER-OK|
`;

let dir: string;
let probesPath: string;
const servers: Loopback[] = [];
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'nsp-scan-cli-'));
  probesPath = join(dir, 'probes');
  writeFileSync(probesPath, PROBES);
});
after(() => rmSync(dir, { recursive: true, force: true }));
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function serve(...args: Parameters<typeof tcpServer>): Promise<Loopback> {
  const s = await tcpServer(...args);
  servers.push(s);
  return s;
}

async function nsp(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), readFile: (p) => readFile(p), env: {}, cwd: dir };
  const code = await runScan(args, io, nodeTransport);
  return { code, stdout, stderr };
}

describe('prober target syntax', () => {
  it('reads HOST:PORT, [IPv6]:PORT and refuses the rest with a reason', () => {
    assert.deepEqual(parseTarget('localhost:22'), { ok: true, target: { host: 'localhost', port: 22 } });
    assert.deepEqual(parseTarget('[::1]:8443'), { ok: true, target: { host: '::1', port: 8443 } });
    assert.match((parseTarget('::1:22') as { message: string }).message, /brackets: \[::1\]:22/);
    assert.match((parseTarget('127.0.0.1') as { message: string }).message, /no port/);
    assert.match((parseTarget('h:70000') as { message: string }).message, /outside 1–65535/);
    assert.match((parseTarget('[nothost]:1') as { message: string }).message, /not an IPv6 address/);
  });
});

describe('nsp scan (CLI)', function () {
  this.timeout(30_000);

  it('exits 2 with a reason on usage errors', async () => {
    for (const [args, re] of [
      [[], /give the target as HOST:PORT/],
      [['127.0.0.1'], /no port/],
      [['127.0.0.1:1', '--intensity', '12'], /--intensity is 0-9/],
      [['127.0.0.1:1', '--bogus'], /unknown option --bogus/],
      [['127.0.0.1:1', '--probes', '/nonexistent/probes'], /cannot read probes file/],
      [['127.0.0.1:1', '--probe', 'NULL', '--verify-with-nmap'], /cannot go with --probe/],
      [['127.0.0.1:1', '--udp', '--ssl'], /--ssl is for TCP/],
    ] as const) {
      const r = await nsp(...args);
      assert.equal(r.code, 2, `${args.join(' ')} → ${r.code}`);
      assert.match(r.stderr, re);
    }
    const p = await nsp('127.0.0.1:1', '--probes', probesPath, '--probe', 'Nope');
    assert.equal(p.code, 2);
    assert.match(p.stderr, /no TCP probe named "Nope"/);
  });

  it('prints the verdict as `nsp match` does, plus status, transcript and fingerprint; exit 0', async () => {
    const s = await serve((sock) => sock.write('SSH-2.0-Test_4.2\r\n'));
    const r = await nsp(`127.0.0.1:${s.port}`, '--probes', probesPath, '--format', 'json');
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    const { service, product, version, info, hostname, ostype, devicetype, cpe, soft, probe, line } = j;
    assert.deepEqual(
      { service, product, version, info, hostname, ostype, devicetype, cpe, soft, probe, line },
      { service: 'ssh', product: 'TestSSH', version: '4.2', info: null, hostname: null, ostype: null, devicetype: null, cpe: ['cpe:/a:test:testssh:4.2'], soft: false, probe: 'NULL', line: 5 },
    );
    assert.equal(j.status, 'identified');
    assert.equal(j.fingerprint, null);
    assert.deepEqual(j.transcript.map((e: { probe: string; end: string; received: string }) => [e.probe, e.end, e.received]), [
      ['NULL', 'hardmatch', 'SSH-2\\.0-Test_4\\.2\\r\\n'],
    ]);
  });

  it('works on [::1]:PORT', async () => {
    const s = await serve((sock) => sock.write('SSH-2.0-Test_6\r\n'), '::1');
    const r = await nsp(`[::1]:${s.port}`, '--probes', probesPath);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^::1 port \d+\/tcp: identified\nnsp: {3}ssh {2}TestSSH 6 /);
  });

  it('exit 1 with a service fingerprint in nmap format that the engine reads back', async () => {
    const s = await serve((sock) => {
      sock.write('WHO\0?\r\n');
      sock.on('data', () => sock.end('eh\r\n'));
    });
    const r = await nsp(`127.0.0.1:${s.port}`, '--probes', probesPath, '--format', 'json');
    assert.equal(r.code, 1);
    const j = JSON.parse(r.stdout);
    assert.equal(j.status, 'unrecognized');
    assert.equal(j.service, null);
    assert.match(j.fingerprint, new RegExp(`^SF-Port${s.port}-TCP:V=nsp-0\\.1\\.0%I=7%D=\\d+/\\d+%Time=[0-9A-F]+%P=`));
    const back = parseFingerprints(j.fingerprint);
    assert.deepEqual(back.diagnostics, []);
    assert.deepEqual(back.fingerprints[0].responses.map((x) => [x.probe, x.bytes]), [
      ['NULL', 'WHO\0?\r\n'],
      ['Hello', 'WHO\0?\r\neh\r\n'],
      ['Other', 'WHO\0?\r\neh\r\n'],
    ]);
    // Only probe bytes were written: nothing during NULL, then each probe once.
    assert.deepEqual(s.received.map(String), ['HELLO\r\n', 'OTHER\r\n']);
  });

  it("opens no connection to a port the file's Exclude covers, and exactly one for a banner with --allports", async () => {
    const s = await serve((sock) => sock.write('SSH-2.0-Test_5\r\n'));
    const excluding = join(dir, 'probes-exclude');
    writeFileSync(excluding, `Exclude T:${s.port}\n${PROBES.replace(/^#.*\n/, '')}`);
    const r = await nsp(`127.0.0.1:${s.port}`, '--probes', excluding);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /: excluded — port \d+\/tcp is covered by the file's Exclude directive/);
    const all = await nsp(`127.0.0.1:${s.port}`, '--probes', excluding, '--allports', '--format', 'json');
    assert.equal(all.code, 0, all.stderr);
    assert.deepEqual(JSON.parse(all.stdout).transcript.map((e: { probe: string; connection: number; end: string }) => [e.probe, e.connection, e.end]), [['NULL', 1, 'hardmatch']]);
    await new Promise((ok) => setTimeout(ok, 50));
    assert.equal(s.connections, 1, 'the excluded scan connected to nothing; --allports connected once');
  });

  it('exit 1 and "closed" for a port nobody listens on', async () => {
    const r = await nsp(`127.0.0.1:${await freePort()}`, '--probes', probesPath);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /: closed — 127\.0\.0\.1 port \d+\/tcp refused the connection/);
  });

  it('--probe runs one probe and tests its fallbacks and then the NULL probe (the NULL cheat)', async () => {
    const viaFallback = await serve((sock) => sock.on('data', () => sock.write('HI 7\r\n')));
    const a = JSON.parse((await nsp(`127.0.0.1:${viaFallback.port}`, '--probes', probesPath, '--probe', 'Other', '--format', 'json')).stdout);
    assert.deepEqual([a.service, a.version, a.line, a.matchedVia], ['hello', '7', 9, 'fallback']);
    assert.deepEqual(viaFallback.received.map(String), ['OTHER\r\n'], 'exactly one exchange');

    const viaNull = await serve((sock) => sock.on('data', () => sock.write('SSH-2.0-Test_8\r\n')));
    const b = await nsp(`127.0.0.1:${viaNull.port}`, '--probes', probesPath, '--probe', 'Other');
    assert.equal(b.code, 0);
    assert.match(b.stdout, /probe Other: ssh {2}TestSSH 8 {3}\[match line 5 via the NULL probe's lines\]/);
  });

  it('--verify-with-nmap says plainly when nmap is not there, and still reports our verdict', async () => {
    const s = await serve((sock) => sock.write('SSH-2.0-Test_1\r\n'));
    const r = await nsp(`127.0.0.1:${s.port}`, '--probes', probesPath, '--verify-with-nmap', '--nmap', join(dir, 'no-nmap-here'));
    assert.equal(r.code, 0);
    assert.match(r.stdout, /nmap: not checked — nmap not found at .*no-nmap-here/);
  });
});
