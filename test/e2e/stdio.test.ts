// End to end over stdio: the bundled dist/server.js as a child process, a JSON-RPC client on its
// pipes, the real corpus file and a fixture. Every wait has a timeout; the child is always killed.

import { strict as assert } from 'node:assert';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CodeLens, CompletionList, Hover } from 'vscode-languageserver-types';
import { TestClient } from '../server/lsp-harness';
import { buildServer, ROOT, SHARED } from './build';

describe('nsp-language-server over stdio (dist/server.js)', function () {
  this.timeout(120000);
  let child: ChildProcess;
  let client: TestClient;
  const corpusPath = path.join(SHARED, 'corpus', 'nmap-service-probes');
  const corpusUri = pathToFileURL(corpusPath).toString();
  const fixturePath = path.join(ROOT, 'test', 'fixtures', 'e2e', 'mistakes.nsp');
  const fixtureUri = pathToFileURL(fixturePath).toString();

  before(async () => {
    const server = buildServer();
    child = spawn(process.execPath, [server, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    client = new TestClient(child.stdout!, child.stdin!);
    await client.initialize(pathToFileURL(path.join(SHARED, 'fingerprints')).toString());
  });
  after(async () => {
    await Promise.race([client.shutdown(true), new Promise((r) => setTimeout(r, 3000))]);
    child.kill();
  });

  it('checks the real corpus: no errors (nmap loads this file)', async () => {
    const diags = await client.open(corpusUri, readFileSync(corpusPath, 'utf8'));
    assert.deepEqual(diags.filter((d) => d.severity === 1).map((d) => `${d.range.start.line + 1}: ${d.code} ${d.message}`), []);
  });

  it('hovers a port of the corpus with its nmap-services names (the file beside it)', async () => {
    const lines = readFileSync(corpusPath, 'utf8').split('\n');
    const line = lines.findIndex((l) => l.startsWith('ports ') && /\b21\b/.test(l));
    const character = lines[line].search(/\b21\b/);
    const hover = await client.request<Hover>('textDocument/hover', { textDocument: { uri: corpusUri }, position: { line, character } });
    assert.match(JSON.stringify(hover.contents), /21\/tcp: ftp/);
  });

  it('reports the fixture\'s mistakes, with hover, completion and lenses', async () => {
    const text = readFileSync(fixturePath, 'utf8');
    const diags = await client.open(fixtureUri, text);
    const lines = text.split('\n');
    const lineOf = (s: string) => lines.findIndex((l) => l.includes(s));
    const at = (s: string) => diags.filter((d) => d.range.start.line === lineOf(s)).map((d) => d.code);
    assert.ok(at('rarity 12').length > 0, 'rarity out of range');
    assert.ok(at('m|^220 (unclosed').length > 0, 'bad pattern');
    const hover = await client.request<Hover>('textDocument/hover', { textDocument: { uri: fixtureUri }, position: { line: lineOf('v/$1/'), character: lines[lineOf('v/$1/')].indexOf('$1') } });
    assert.match(JSON.stringify(hover.contents), /capturing group 1/);
    const list = await client.request<CompletionList>('textDocument/completion', { textDocument: { uri: fixtureUri }, position: { line: lineOf('v/$1/'), character: lines[lineOf('v/$1/')].length } });
    assert.ok(list.items.some((i) => i.label === 'cpe:/'), 'versioninfo fields are offered after the last field');
    const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: fixtureUri } });
    assert.ok(lenses.some((l) => l.command?.title === 'Run probe against…'));
    // The workspace has fingerprints, so the capture lenses come unresolved; resolving one titles it.
    const unresolved = lenses.find((l) => !l.command);
    assert.ok(unresolved, 'an unresolved "Test against captures" lens');
    const resolved = await client.request<CodeLens>('codeLens/resolve', unresolved);
    assert.match(resolved.command?.title ?? '', /^Test against captures \(\d+\)/);
  });

  it('runs the "Test against captures" command request on the corpus with the workspace fingerprints', async () => {
    // The workspace is ../shared/fingerprints; ORACLE-nmap-latest.tsv says nmap named
    // 003-port21-tcp.sf "ftp" from line 1399 of the corpus.
    const results = await client.request<{ name: string; service: string | null; line: number | null }[]>('nsp/testAgainstCaptures', { uri: corpusUri, line: 1398 });
    const r = results.find((x) => x.name === '003-port21-tcp');
    assert.ok(r, `003-port21-tcp among ${results.length} results`);
    assert.equal(r.service, 'ftp');
    assert.equal(r.line, 1399);
  });
});
