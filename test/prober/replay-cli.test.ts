// `nsp replay` as a real process: prints its port, serves the fingerprint, stops on SIGTERM.

import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import * as net from 'node:net';
import { resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');
const FP = resolve(ROOT, '../shared/fingerprints/068-port2222-tcp.sf');
const PROBES = resolve(ROOT, '../shared/corpus/nmap-service-probes');

describe('nsp replay (process)', function () {
  this.timeout(60_000);

  it('serves a fingerprint\'s NULL response on the port it prints, exits 0 on SIGTERM', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'cli/main.ts', 'replay', FP, '--port', '0', '--probes', PROBES], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    const kill = setTimeout(() => child.kill('SIGKILL'), 50_000);
    try {
      const port = await new Promise<number>((ok, fail) => {
        let out = '';
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          if (out.includes('\n')) ok(Number(out.trim()));
        });
        child.on('exit', (code) => fail(new Error(`exited ${code} before serving`)));
      });
      assert.ok(port > 0);
      const banner = await new Promise<string>((ok) => {
        let data = '';
        const s = net.connect(port, '127.0.0.1');
        s.on('data', (d: Buffer) => (data += d.toString('latin1')));
        s.on('close', () => ok(data));
      });
      assert.equal(banner, 'SSH-2.0-SSH Server - Banana Studio\r\n');
      const code = await new Promise<number | null>((ok) => {
        child.on('exit', (c) => ok(c));
        child.kill('SIGTERM');
      });
      assert.equal(code, 0);
    } finally {
      clearTimeout(kill);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it('says what is wrong with a file that is neither a fingerprint nor a capture', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'cli/main.ts', 'replay', PROBES, '--probes', PROBES], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((ok) => child.on('exit', ok));
    assert.equal(code, 2);
    assert.match(err, /neither a fingerprint nor a capture file/);
  });
});
