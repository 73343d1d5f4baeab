// The command lines the VS Code lenses run ("Test live…", "Run probe against…", "Version scan…")
// are accepted by the real CLI and name a service on loopback: a tiny FTP-like banner server on
// 127.0.0.1, the bundled dist/nsp.js, the real corpus as the (unsaved-buffer) probes file.

import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import * as path from 'node:path';
import { scanArgs, splitTarget } from '../../client/live-args';
import { buildServer, ROOT, SHARED } from './build';

function run(argv: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'dist', 'nsp.js'), ...argv], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const t = setTimeout(() => child.kill('SIGKILL'), 60000);
    child.on('close', (code) => {
      clearTimeout(t);
      resolve({ code, out });
    });
  });
}

describe('live probing command lines (client/live-args.ts) against the real CLI', function () {
  this.timeout(120000);
  let server: Server;
  let port: number;
  before(async () => {
    buildServer();
    server = createServer((s) => {
      s.on('error', () => undefined);
      s.write('220 ProFTPD 1.3.5 Server (Debian) [127.0.0.1]\r\n');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as { port: number }).port;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  it('splits targets as the input box accepts them', () => {
    assert.deepEqual(splitTarget('127.0.0.1:8080'), ['127.0.0.1', '8080']);
    assert.deepEqual(splitTarget('[::1]:21'), ['::1', '21']);
    assert.equal(splitTarget('localhost'), undefined);
  });

  for (const kind of ['testLive', 'versionScan'] as const) {
    it(`${kind}: nsp scan names the banner ftp (ProFTPD)`, async () => {
      const argv = scanArgs(kind, { host: '127.0.0.1', port: String(port), probesFile: path.join(SHARED, 'corpus', 'nmap-service-probes'), intensity: 7, probe: 'NULL', protocol: 'TCP', maxTimeSeconds: 60 });
      const { code, out } = await run(argv);
      assert.equal(code, 0, out);
      assert.match(out, /ftp/);
      assert.match(out, /ProFTPD/);
    });
  }
});
