// `nsp match` and `nsp test` run in-process with fake streams: output shapes, exit codes, errors
// without stack traces, and the probes file found the way nmap finds its data files.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync, copyFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliIo } from '../../cli/io';
import { command as match, nmapDataFileCandidates } from '../../cli/commands/match';
import { command as testCmd } from '../../cli/commands/test';

const SHARED = join(__dirname, '../../../shared');
const FIX = join(__dirname, '../fixtures/engine');
const LATEST = join(SHARED, 'corpus/nmap-service-probes');

function fakeIo(env: NodeJS.ProcessEnv = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    readFile: (p) => readFile(p),
    env: { PATH: '', HOME: '/nonexistent', ...env },
    cwd: process.cwd(),
  };
  return { io, out: () => out.join(''), err: () => err.join('') };
}

describe('nsp match / nsp test', function () {
  this.timeout(120_000);
  let tmp: string;
  before(() => (tmp = mkdtempSync(join(tmpdir(), 'nsp-engine-cli-'))));
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('prints the verdict as JSON with exactly the documented keys', async () => {
    const t = fakeIo();
    const code = await match.run(['--fingerprint', join(SHARED, 'fingerprints/010-port22-tcp.sf'), '--probes', LATEST, '--format', 'json'], t.io);
    assert.equal(code, 0, t.err());
    const v = JSON.parse(t.out());
    assert.deepEqual(Object.keys(v), ['service', 'product', 'version', 'info', 'hostname', 'ostype', 'devicetype', 'cpe', 'soft', 'probe', 'line']);
    // What the latest nmap reported for this fingerprint (ORACLE-nmap-latest.tsv).
    assert.deepEqual(v, { service: 'ssh', product: null, version: null, info: 'protocol 2.0', hostname: null, ostype: null, devicetype: null, cpe: [], soft: true, probe: 'NULL', line: 3811 });
  });

  it('"service": null when nothing matched', async () => {
    const t = fakeIo();
    assert.equal(await match.run(['--fingerprint', join(SHARED, 'fingerprints/001-port1-tcp.sf'), '--probes', LATEST, '--format', 'json'], t.io), 0);
    assert.equal(JSON.parse(t.out()).service, null);
  });

  it('judges every case of a capture file; text output names probe and line', async () => {
    const t = fakeIo();
    assert.equal(await match.run(['--captures', join(FIX, 'mini.captures'), '--probes', join(FIX, 'mini-probes')], t.io), 0, t.err());
    assert.match(t.out(), /vsftpd-banner \(21\/tcp\): ftp \(match, probe NULL, line 4\)\n  product: vsftpd\n  version: 3\.0\.3\n  cpe: cpe:\/a:vsftpd:vsftpd:3\.0\.3\n/);
    assert.match(t.out(), /nginx-wrong-on-purpose \(80\/tcp\): http \(match, probe GetRequest, line 10\)/);
  });

  it('usage errors and unreadable files exit 2 with one line and no stack trace', async () => {
    for (const args of [[], ['--fingerprint', 'a', '--captures', 'b'], ['--fingerprint', join(tmp, 'missing.sf')], ['--fingerprint', 'x', '--intensity', '12'], ['--bogus']]) {
      const t = fakeIo();
      assert.equal(await match.run(args, t.io), 2, args.join(' '));
      assert.match(t.err(), /^nsp match: [^\n]+\n$/);
      assert.doesNotMatch(t.err(), /\bat .*\.ts:\d+/);
    }
    const t = fakeIo();
    assert.equal(await match.run(['--fingerprint', join(SHARED, 'fingerprints/010-port22-tcp.sf'), '--probes', join(tmp, 'nope')], t.io), 2);
    assert.match(t.err(), /cannot read probes file/);
  });

  it('without --probes, finds nmap-service-probes as nmap_fetchfile does: --datadir, $NMAPDIR, ~/.nmap, …', async () => {
    const nmapdir = join(tmp, 'nmapdir');
    const home = join(tmp, 'home');
    mkdirSync(nmapdir);
    mkdirSync(join(home, '.nmap'), { recursive: true });
    copyFileSync(join(FIX, 'mini-probes'), join(nmapdir, 'nmap-service-probes'));
    const c = await nmapDataFileCandidates(fakeIo({ NMAPDIR: nmapdir, HOME: home }).io, 'nmap-service-probes', '/dd');
    assert.deepEqual(c.slice(0, 3), ['/dd/nmap-service-probes', join(nmapdir, 'nmap-service-probes'), join(home, '.nmap', 'nmap-service-probes')]);
    assert.deepEqual(c.slice(-2), ['/usr/local/share/nmap/nmap-service-probes', '/usr/share/nmap/nmap-service-probes']);
    const t = fakeIo({ NMAPDIR: nmapdir, HOME: home });
    assert.equal(await match.run(['--captures', join(FIX, 'mini.captures'), '--format', 'json'], t.io), 0, t.err());
    assert.equal(JSON.parse(t.out().split('\n')[0]).line, 4); // line 4 exists only in the mini file
  });

  it('nsp test: PASS/FAIL per case with the differing fields, exit 1 on a failure', async () => {
    const t = fakeIo();
    assert.equal(await testCmd.run([join(FIX, 'mini.captures'), '--probes', join(FIX, 'mini-probes')], t.io), 1);
    assert.match(t.out(), /^PASS .*mini\.captures: vsftpd-banner$/m);
    assert.match(t.out(), /^FAIL .*mini\.captures: nginx-wrong-on-purpose\n  version: expected "9\.9\.9", got "1\.2\.3"$/m);
    assert.match(t.out(), /1 passed, 1 failed/);
    const ok = join(tmp, 'ok.captures');
    writeFileSync(ok, 'case a\nport 21/tcp\nresponse NULL "220 hello\\r\\n"\nexpect service ftp\nexpect soft yes\n');
    const u = fakeIo();
    assert.equal(await testCmd.run([ok, '--probes', join(FIX, 'mini-probes')], u.io), 0, u.out() + u.err());
    const w = fakeIo();
    assert.equal(await testCmd.run([join(tmp, 'none.captures'), '--probes', join(FIX, 'mini-probes')], w.io), 2);
  });
});
