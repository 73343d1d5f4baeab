// The server in-process over two PassThrough streams: each handler answers from the cached
// analysis, diagnostics follow edits, cancellation and failures give empty answers, never a crash.

import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CodeLens, CompletionList, Hover } from 'vscode-languageserver-types';
import { CancellationTokenSource } from 'vscode-jsonrpc/node';
import { getLanguageService } from '../../service/index';
import { inProcess, type TestClient } from './lsp-harness';

const FIXTURE = ['Probe TCP NULL q||', 'match ftp m|^220 (\\S+) FTP| p/Acme/ v/$1/', 'match ftp m|^221 (| p/broken/', ''].join('\n');

describe('language server (in-process)', function () {
  this.timeout(30000);
  let client: TestClient;
  let dir: string;
  const uri = 'file:///ws/nmap-service-probes';

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'nsp-server-'));
    client = inProcess();
    await client.initialize(null);
  });
  afterEach(async () => {
    await client.shutdown();
    rmSync(dir, { recursive: true, force: true });
  });

  it('publishes diagnostics on open and after an edit, for that version', async () => {
    const first = await client.open(uri, FIXTURE);
    const broken = first.filter((d) => d.range.start.line === 2);
    assert.ok(broken.length >= 1, 'the unclosed group on line 3 is reported');
    assert.match(String(broken[0].code), /^NSP2\d\d$/);
    // Fix line 3: the diagnostics for version 2 no longer mention it.
    const after = await client.change(uri, [{ range: { start: { line: 2, character: 17 }, end: { line: 2, character: 18 } }, text: '(x)' }]);
    assert.deepEqual(after.filter((d) => d.range.start.line === 2), []);
  });

  it('answers hover, completion and code lenses', async () => {
    await client.open(uri, FIXTURE);
    const hover = await client.request<Hover>('textDocument/hover', { textDocument: { uri }, position: { line: 1, character: 38 } });
    assert.match(JSON.stringify(hover.contents), /capturing group 1/);
    const list = await client.request<CompletionList>('textDocument/completion', { textDocument: { uri }, position: { line: 3, character: 0 } });
    assert.ok(list.items.some((i) => i.label === 'match'));
    const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
    assert.equal(lenses.length, 2 + 2 * 2);
  });

  it('reads nmap-services beside the probes file for port hovers', async () => {
    writeFileSync(path.join(dir, 'nmap-services'), 'ftp\t21/tcp\t0.197667\n');
    const local = pathToFileURL(path.join(dir, 'nmap-service-probes')).toString();
    await client.open(local, 'Probe TCP NULL q||\nports 21\n');
    const hover = await client.request<Hover>('textDocument/hover', { textDocument: { uri: local }, position: { line: 1, character: 7 } });
    assert.match(JSON.stringify(hover.contents), /21\/tcp: ftp/);
  });

  it('survives binary junk and a 10 MB line', async () => {
    const junk = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)).toString('latin1');
    const d1 = await client.open('file:///ws/junk.nsp', junk);
    assert.ok(Array.isArray(d1));
    const long = 'match x m|' + 'a'.repeat(10 * 1024 * 1024) + '|\n';
    const d2 = await client.open('file:///ws/long.nsp', 'Probe TCP NULL q||\n' + long);
    assert.ok(Array.isArray(d2));
    const h = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri: 'file:///ws/long.nsp' }, position: { line: 1, character: 5_000_000 } });
    assert.ok(h === null || typeof h === 'object');
  });

  it('runs capture tests from workspace files through the engine', async () => {
    const sf = readFileSync(path.join(__dirname, '..', '..', '..', 'shared', 'fingerprints', '003-port21-tcp.sf'), 'utf8');
    writeFileSync(path.join(dir, 'ftp.sf'), sf);
    const c2 = inProcess();
    try {
      await c2.initialize(pathToFileURL(dir).toString());
      const n = await c2.request<number>('nsp/reloadCaptures', {});
      assert.equal(n, 1);
      const listed = await c2.request<{ name: string; line: number }[]>('nsp/listCaptures', {});
      // The fingerprint starts after the file's 7 "# " header lines.
      assert.deepEqual(listed.map((c) => [c.name, c.line]), [['ftp', 7]]);
      const corpus = readFileSync(path.join(__dirname, '..', '..', '..', 'shared', 'corpus', 'nmap-service-probes'), 'utf8');
      const cu = pathToFileURL(path.join(dir, 'nmap-service-probes')).toString();
      await c2.open(cu, corpus);
      // ORACLE-nmap-latest.tsv: nmap named 003-port21-tcp.sf "ftp" from line 1399, via RTSPRequest.
      const results = await c2.request<{ name: string; service: string; line: number; reachedLine: boolean }[]>('nsp/testAgainstCaptures', { uri: cu, line: 1398 });
      assert.equal(results.length, 1);
      assert.equal(results[0].service, 'ftp');
      assert.equal(results[0].line, 1399);
      assert.equal(results[0].reachedLine, true);
      // The capture lens comes unresolved (replaying captures is not free); resolving titles it.
      const lenses = await c2.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: cu } });
      const onLine = lenses.find((l) => l.range.start.line === 1398 && !l.command);
      assert.ok(onLine, 'an unresolved capture lens on line 1399');
      const resolved = await c2.request<CodeLens>('codeLens/resolve', onLine);
      assert.equal(resolved.command?.command, 'nsp.testAgainstCaptures');
      assert.equal(resolved.command?.title, 'Test against captures (1): 1 passed');
    } finally {
      await c2.shutdown();
    }
  });
});

describe('language server when a feature throws', function () {
  this.timeout(30000);
  it('logs the error, answers empty, and keeps answering other requests', async () => {
    const service = getLanguageService();
    service.doHover = () => {
      throw new Error('hover exploded on purpose');
    };
    const client = inProcess({ languageService: service });
    try {
      await client.initialize(null);
      const uri = 'file:///ws/t.nsp';
      await client.open(uri, FIXTURE);
      const hover = await client.request('textDocument/hover', { textDocument: { uri }, position: { line: 1, character: 2 } });
      assert.equal(hover, null);
      assert.ok(client.logs.some((l) => l.includes('hover exploded on purpose')));
      const symbols = await client.request<unknown[]>('textDocument/documentSymbol', { textDocument: { uri } });
      assert.equal(symbols.length, 1);
      const again = await client.request('textDocument/hover', { textDocument: { uri }, position: { line: 1, character: 2 } });
      assert.equal(again, null);
    } finally {
      await client.shutdown();
    }
  });

  it('answers a cancelled request with RequestCancelled', async () => {
    const client = inProcess();
    try {
      await client.initialize(null);
      const uri = 'file:///ws/c.nsp';
      await client.open(uri, FIXTURE);
      const cts = new CancellationTokenSource();
      const p = client.conn.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 1, character: 2 } }, cts.token);
      cts.cancel();
      await assert.rejects(p, (e: { code?: number }) => e.code === -32800);
    } finally {
      await client.shutdown();
    }
  });
});

describe('language server semantic tokens', function () {
  this.timeout(30000);
  it('serves the tokens of a range, and advertises no whole-file tokens', async () => {
    const client = inProcess();
    try {
      const init = (await client.initialize(null)) as { capabilities: { semanticTokensProvider: { full: boolean; range: boolean; legend: { tokenTypes: string[] } } } };
      assert.deepEqual([init.capabilities.semanticTokensProvider.full, init.capabilities.semanticTokensProvider.range], [false, true]);
      const uri = 'file:///ws/s.nsp';
      await client.open(uri, FIXTURE);
      const r = await client.request<{ data: number[] }>('textDocument/semanticTokens/range', { textDocument: { uri }, range: { start: { line: 1, character: 0 }, end: { line: 1, character: 80 } } });
      const types = init.capabilities.semanticTokensProvider.legend.tokenTypes;
      // `match ftp m|^220 (\S+) FTP| …`: the first token is the anchor `^` at column 12.
      assert.deepEqual(r.data.slice(0, 3), [1, 12, 1]);
      assert.equal(types[r.data[3]], 'operator');
    } finally {
      await client.shutdown();
    }
  });
});
