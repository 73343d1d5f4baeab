// Versioninfo templates against the real nmap: one nmap run scans 16 loopback ports, each serving
// a banner that one line of test/fixtures/engine/templates-probes matches on the NULL probe; the
// engine must fill product/version/info/hostname/ostype/devicetype/cpe exactly as nmap did.
// Debian's 7.93 fills templates with the same code as HEAD (dotmplsubst/substvar/transform_cpe),
// except for one thing these cases avoid: a `$N` naming an unset group *before* a set one aborts
// 7.93 (assertion `offstart >= 0` in substvar, PCRE1's -1 offsets) where HEAD drops the field;
// the unit tests cover HEAD's behaviour there. Unset *trailing* groups (t07) behave alike.
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from '../../grammar';
import { compile } from '../../regex/compile';
import { buildProbeDb } from '../../engine/probe-db';
import { detect } from '../../engine/detect';
import { NMAP, parseNmapXml } from '../support/nmap-run';
import type { NmapVerdict } from '../support/nmap-run';

const PROBES = join(__dirname, '../fixtures/engine/templates-probes');
const BANNERS: string[] = [
  'K01 abc 1.2\r\n',
  'K02 W\0O\0R\0K\0\x01!\r\n',
  'K03 1_2_3\r\n',
  'K04 \x01\x02\x03\x04\x05\x06',
  'K05 Foo Bar/2.0 (x)\r\n',
  'K06 ' + 'A'.repeat(79) + '\r\n',
  'K07 b\r\n',
  'K08 ' + 'O'.repeat(30) + '\r\n',
  'K09 \xc3\xa9\x7f\r\n',
  'K10 Hw-1\r\n',
  'K11 ' + 'i'.repeat(254) + '\r\n',
  'K12 ' + 'j'.repeat(255) + '\r\n',
  'K13 x\r\n',
  'K14 x\r\n',
  'K15 Prod OS/2\r\n',
  'K16 \xff\xff\r\n',
];

/** Cases where HEAD's template code differs from 7.93's, and why (engine/versioninfo.ts TemplateRules). */
const EXPECTED_7_93: Record<number, string> = {
  13: '$P(257): HEAD keeps the group number in a u8 (group 1); 7.93 kept an int, so 257 fails',
  14: 'a \\" in a $SUBST string: HEAD\'s cstring_unescape refuses it (49a85f9c3); 7.93 copied any escaped non-alphanumeric byte',
};

function runNmap(args: string[], timeoutMs: number): Promise<string> {
  return new Promise((ok, fail) => {
    const child = spawn(NMAP, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString('latin1')));
    child.stderr.on('data', (d: Buffer) => (err += d.toString('latin1')));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (e) => (clearTimeout(timer), fail(e)));
    child.on('close', (rc) => (clearTimeout(timer), rc === 0 ? ok(out) : fail(new Error(`nmap exited ${rc}: ${err}`))));
  });
}

describe('versioninfo templates agree with the real nmap', function () {
  this.timeout(180_000);
  const servers: net.Server[] = [];
  /** Banner i's port: a free one the kernel gives (a fixed range can be taken by another process). */
  const ports: number[] = [];
  const sockets = new Set<net.Socket>();
  let dir: string;
  let xml: string;

  before(async () => {
    for (let i = 0; i < BANNERS.length; i++) {
      const server = net.createServer((s) => {
        sockets.add(s);
        s.on('close', () => sockets.delete(s));
        s.on('error', () => undefined);
        s.write(Buffer.from(BANNERS[i], 'latin1'));
      });
      await new Promise<void>((ok, fail) => {
        server.once('error', fail);
        server.listen({ host: '127.0.0.1', port: 0, exclusive: true }, () => ok());
      });
      servers.push(server);
      ports.push((server.address() as net.AddressInfo).port);
    }
    dir = mkdtempSync(join(tmpdir(), 'nsp-templates-'));
    mkdirSync(join(dir, 'scripts'));
    writeFileSync(join(dir, 'scripts', 'script.db'), '');
    symlinkSync(PROBES, join(dir, 'nmap-service-probes'));
    symlinkSync('/usr/share/nmap/nmap-services', join(dir, 'nmap-services'));
    xml = await runNmap(['-sV', '-Pn', '-n', '--datadir', dir, '-p', ports.join(','), '-oX', '-', '127.0.0.1'], 150_000);
  });

  after(async () => {
    for (const s of sockets) s.destroy();
    await Promise.all(servers.map((s) => new Promise((ok) => s.close(ok))));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const db = buildProbeDb(parse(readFileSync(PROBES, 'utf8')).file, { compile });

  BANNERS.forEach((banner, i) => {
    it(`t${String(i + 1).padStart(2, '0')}: ${JSON.stringify(banner.slice(0, 24))}`, () => {
      const port = ports[i];
      const n: NmapVerdict = parseNmapXml(xml, port, 'TCP');
      assert.equal(n.method, 'probed', `nmap did not probe port ${port}: ${JSON.stringify(n)}`);
      const judge = (nmap: 'head' | '7.93') => {
        const v = detect(db, [{ probe: 'NULL', bytes: banner }], { port, protocol: 'TCP', nmap });
        return { service: v.service, product: v.product, version: v.version, info: v.info, hostname: v.hostname, ostype: v.ostype, devicetype: v.devicetype, cpe: v.cpe };
      };
      const want = { service: n.name, product: n.product, version: n.version, info: n.extrainfo, hostname: n.hostname, ostype: n.ostype, devicetype: n.devicetype, cpe: n.cpe };
      const head = judge('head');
      if (JSON.stringify(head) === JSON.stringify(want)) return;
      // Only the two template rules HEAD changed after 7.93 may explain a difference.
      assert.ok(EXPECTED_7_93[i + 1], `unexpected difference on t${i + 1}: ${JSON.stringify(head)} vs nmap ${JSON.stringify(want)}`);
      assert.deepEqual(judge('7.93'), want);
      console.log(`        expected 7.93 difference: ${EXPECTED_7_93[i + 1]}; HEAD rules give ${JSON.stringify(head)}`);
    });
  });
});
