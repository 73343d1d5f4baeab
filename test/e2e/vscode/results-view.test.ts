// The results view's text (client/results-model.ts) rendered from what the real commands produce:
// the bundled CLI run with the lenses' command lines (client/live-args.ts, `--format json`)
// against banner servers on 127.0.0.1, nmap 7.93 for "Verify with nmap", and the language
// server's capture results. The VS Code side (links, lenses, clipboard) is checked in
// vscode.e2e.ts; this checks what the text says and where its links point.

import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import * as path from 'node:path';
import { scanArgs, type LiveKind } from '../../../client/live-args';
import { hexDump, renderCaptures, renderScan, unescapeNmap, type RenderedResult, type ScanJson } from '../../../client/results-model';
import { escapeResponse, parseFingerprints } from '../../../engine/fingerprint';
import { buildServer, ROOT, SHARED } from '../build';

const FIXTURE = path.join(ROOT, 'test', 'fixtures', 'e2e', 'vscode-workspace.nsp');
const CORPUS = path.join(SHARED, 'corpus', 'nmap-service-probes');
const SSH_BANNER = 'SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n';

function run(argv: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'dist', 'nsp.js'), ...argv], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const t = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.on('close', (code) => {
      clearTimeout(t);
      resolve({ code, stdout, stderr });
    });
  });
}

const sockets = new Set<Socket>();
async function banner(text: string): Promise<Server> {
  const s = createServer((c) => {
    sockets.add(c);
    c.on('close', () => sockets.delete(c));
    c.on('error', () => undefined);
    c.write(text);
  });
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return s;
}

const portOf = (s: Server) => (s.address() as { port: number }).port;
const lineOf = (r: RenderedResult, re: RegExp) => r.text.split('\n').findIndex((l) => re.test(l));
const linkText = (r: RenderedResult, i: number) => r.text.split('\n')[r.links[i].line].slice(r.links[i].start, r.links[i].end);

describe('the results view text, from the real commands', function () {
  this.timeout(180_000);
  let ssh: Server;
  let silent: Server;
  before(async () => {
    buildServer();
    ssh = await banner(SSH_BANNER);
    silent = await banner('HELLO nothing here\r\n');
  });
  after(async () => {
    for (const c of sockets) c.destroy();
    await new Promise((r) => ssh.close(r));
    await new Promise((r) => silent.close(r));
  });

  const scan = async (kind: LiveKind, port: number, probesFile: string, probe?: string) => {
    const r = await run(scanArgs(kind, { host: '127.0.0.1', port: String(port), probesFile, intensity: 7, probe, protocol: 'TCP', maxTimeSeconds: 60, format: 'json' }));
    return { ...r, json: JSON.parse(r.stdout) as ScanJson };
  };

  it('Test live (probe NULL): the verdict, a link to the line that matched, the transcript in hex', async () => {
    const { json, stderr } = await scan('testLive', portOf(ssh), FIXTURE, 'NULL');
    const r = renderScan(json, { title: 'Test live', target: `127.0.0.1:${portOf(ssh)}`, probesName: 'nmap-service-probes', stderr });
    const fixtureLines = readFileSync(FIXTURE, 'utf8').split('\n');
    const sshLine = fixtureLines.findIndex((l) => l.startsWith('match ssh')) + 1;
    assert.match(r.text, /^ {2}service {5}ssh$/m);
    assert.match(r.text, /^ {2}product {5}OpenSSH$/m);
    assert.match(r.text, /^ {2}version {5}9\.2p1 Debian 2\+deb12u3$/m);
    assert.match(r.text, /^ {2}info {8}protocol 2\.0$/m);
    assert.match(r.text, /^ {2}ostype {6}Linux$/m);
    assert.match(r.text, /^ {2}cpe {9}cpe:\/a:openbsd:openssh:9\.2p1 cpe:\/o:linux:linux_kernel$/m);
    assert.equal(r.matchedLine, sshLine);
    assert.deepEqual(r.links[0].target, { kind: 'probes', line: sshLine });
    assert.equal(linkText(r, 0), `line ${sshLine}`);
    assert.equal(r.links[0].line, lineOf(r, /^ {2}matched/));
    // The rarity 12 warning the CLI printed reaches the header, once.
    assert.equal(r.text.match(/warning: .*rarity 12 is out of range/g)?.length, 1);
    // Transcript: NULL sent nothing, received the banner, shown as hex and text.
    assert.match(r.text, /1\. NULL {2}TCP, connection 1/);
    assert.match(r.text, /sent 0 B\n/);
    assert.match(r.text, new RegExp(`received ${SSH_BANNER.length} B:`));
    assert.ok(r.text.includes('0000  53 53 48 2d 32 2e 30 2d  4f 70 65 6e 53 53 48 5f  |SSH-2.0-OpenSSH_|'), r.text);
    assert.equal(r.fingerprint, null);
  });

  it('Version scan of a service no line names: the fingerprint nmap would print, for the Copy action', async () => {
    const { json } = await scan('versionScan', portOf(silent), FIXTURE);
    const r = renderScan(json, { title: 'Version scan', target: `127.0.0.1:${portOf(silent)}`, probesName: 'nmap-service-probes' });
    assert.equal(json.status, 'unrecognized');
    assert.match(r.text, /\(no line matched\)/);
    assert.equal(r.matchedLine, null);
    assert.ok(r.fingerprint?.startsWith(`SF-Port${portOf(silent)}-TCP:`), r.fingerprint ?? 'no fingerprint');
    // nmap's own format: the engine's reader finds the banner as the NULL probe's response.
    const fp = parseFingerprints(r.fingerprint!).fingerprints[0];
    assert.deepEqual(fp.responses.map((x) => [x.probe, x.bytes]).slice(0, 1), [['NULL', 'HELLO nothing here\r\n']]);
    assert.ok(r.text.includes(r.fingerprint!));
  });

  it('Verify with nmap: nmap 7.93 beside us, every field nmap\'s comparison found different flagged', async () => {
    const { json } = await scan('verifyWithNmap', portOf(ssh), CORPUS);
    assert.ok(json.nmap && !json.nmap.error, JSON.stringify(json.nmap));
    const r = renderScan(json, { title: 'Verify with nmap', target: `127.0.0.1:${portOf(ssh)}`, probesName: 'nmap-service-probes' });
    // nmap names the banner from the same corpus line: every field agrees, and the table says so.
    assert.deepEqual(json.nmap.differences, []);
    assert.match(r.text, /^ {4}product {5}OpenSSH {28}OpenSSH$/m);
    assert.match(r.text, /nmap agrees on every field/);
    // Where nmap's comparison reports differences, exactly those rows carry the ≠ mark.
    const differing: ScanJson = { ...json, nmap: { ...json.nmap, product: 'Dropbear sshd', differences: [{ field: 'product', ours: 'OpenSSH', nmap: 'Dropbear sshd' }] } };
    const d = renderScan(differing, { title: 'Verify with nmap', target: 'x', probesName: 'p' });
    assert.deepEqual(d.text.split('\n').filter((l) => l.startsWith('  ≠ ')), ['  ≠ product     OpenSSH                            Dropbear sshd']);
    assert.match(d.text, /1 field\(s\) differ: product/);
  });

  it('Test against captures: one entry per capture, linked to the line that decided it and to the capture', () => {
    const r = renderCaptures(
      [{ name: 'proftpd', uri: 'file:///ws/proftpd.sf', line: 12, reachedLine: true, failures: [], passed: true, service: 'ftp', summary: 'ftp ProFTPD (ProFTPD) — line 12 via RTSPRequest' }],
      { line: 12, probesName: 'nmap-service-probes', fileName: () => 'proftpd.sf', caseLine: () => 8 },
    );
    assert.match(r.text, /Captures at line 12: 1 of 1 decided here, 1 passed, 0 failed\./);
    assert.match(r.text, /^✓ proftpd {2}\(proftpd\.sf\) — passed$/m);
    assert.deepEqual(r.links.map((l) => [linkText(r, r.links.indexOf(l)), l.target]), [
      ['proftpd', { kind: 'file', uri: 'file:///ws/proftpd.sf', line: 8 }],
      ['line 12', { kind: 'probes', line: 12 }],
    ]);
  });

  it('reads the transcript escapes back to the bytes the engine escaped', () => {
    const bytes = Array.from({ length: 256 }, (_, i) => String.fromCharCode(i)).join('') + '\0' + '7';
    assert.equal(unescapeNmap(escapeResponse(bytes)), bytes);
    // A short last row keeps the text column where a full row has it.
    const rows = hexDump('0123456789abcdefAB\r\n', '');
    assert.deepEqual(rows.map((r) => r.indexOf('|')), [56, 56]);
    assert.equal(rows[0], '0000  30 31 32 33 34 35 36 37  38 39 61 62 63 64 65 66  |0123456789abcdef|');
    assert.match(rows[1], /^0010  41 42 0d 0a +\|AB\.\.\|$/);
  });
});
