// The language server never crashes and never hangs, whatever the document: the bundled
// dist/server.js as a child process over stdio, fed a 10 MB line, 5 MB of binary junk, 200,000
// short lines and a 2 MB pattern, then every request an editor sends. Each wait is bounded (20 s):
// this asserts "answers at all", never a speed (bench/lsp-bench.ts measures the speed).

import { strict as assert } from 'node:assert';
import { spawn, type ChildProcess } from 'node:child_process';
import type { Diagnostic, Hover } from 'vscode-languageserver-types';
import { buildServer } from '../e2e/build';
import { hostileInputs } from './hostile-inputs';
import { TestClient } from './lsp-harness';

const WAIT_MS = 20000;
const NSP122 = 'NSP122';

/** Resolves with the request's answer, or with its error response; rejects only when none came. */
function answered<T>(p: Promise<T>, what: string): Promise<{ result?: T; error?: { code: number; message: string } }> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`${what}: no answer within ${WAIT_MS} ms`)), WAIT_MS);
    p.then(
      (result) => (clearTimeout(t), resolve({ result })),
      (e: { code: number; message: string }) => (clearTimeout(t), resolve({ error: { code: e.code, message: e.message } })),
    );
  });
}

describe('language server on hostile input (dist/server.js over stdio)', function () {
  this.timeout(180000);
  let child: ChildProcess;
  let client: TestClient;
  let exited: number | null | undefined;
  const small = 'file:///hostile/small.nsp';
  const smallText = 'Probe TCP NULL q||\nmatch ftp m|^220 (\\w+)| p/$1/\n';

  before(async () => {
    const server = buildServer();
    child = spawn(process.execPath, [server, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    child.stderr!.resume();
    child.on('exit', (code) => (exited = code));
    client = new TestClient(child.stdout!, child.stdin!);
    await client.initialize(null, { validationDelay: 0 });
    await client.open(small, smallText);
  });
  after(async () => {
    await Promise.race([client.shutdown(true), new Promise((r) => setTimeout(r, 3000))]);
    child.kill();
  });

  const hoverSmall = () =>
    answered(client.request<Hover>('textDocument/hover', { textDocument: { uri: small }, position: { line: 1, character: smallText.split('\n')[1].indexOf('$1') } }), 'hover on the small file');

  for (const input of hostileInputs()) {
    it(`${input.name}: every request is answered, NSP122 where due, the server lives`, async () => {
      const uri = `file:///hostile/${input.name.replace(/\W+/g, '-')}.nsp`;
      const textDocument = { uri };
      // A request that arrives while the server checks the big document is answered too.
      const opened = client.open(uri, input.text);
      const meanwhile = hoverSmall();
      const diags: Diagnostic[] = await opened;
      const other = await meanwhile;
      assert.match(JSON.stringify(other.result?.contents), /capturing group 1/, 'the small file\'s hover while the big one is checked');
      const long = diags.filter((d) => d.code === NSP122);
      if (input.longLine !== undefined) {
        assert.deepEqual(long.map((d) => d.range.start.line), [input.longLine], 'one NSP122 on the long line');
        assert.match(long[0].message, /nmap's line buffer holds 8191/);
      } else assert.deepEqual(long, [], 'no line of this input is over the limit');
      assert.ok(diags.every((d) => d.message.length <= 1000), 'messages are cut, never megabytes long');

      const at = input.at;
      const edited = await client.change(uri, [{ range: { start: at, end: at }, text: 'z' }]);
      assert.equal(edited.filter((d) => d.code === NSP122).length, input.longLine === undefined ? 0 : 1, 'NSP122 after the edit');

      const requests: [string, object][] = [
        ['textDocument/hover', { textDocument, position: at }],
        ['textDocument/completion', { textDocument, position: at }],
        ['textDocument/semanticTokens/full', { textDocument }],
        ['textDocument/semanticTokens/range', { textDocument, range: { start: { line: 0, character: 0 }, end: { line: at.line + 50, character: 0 } } }],
        ['textDocument/documentSymbol', { textDocument }],
        ['textDocument/foldingRange', { textDocument }],
        ['textDocument/codeLens', { textDocument }],
      ];
      for (const [method, params] of requests) {
        const r = await answered(client.request(method, params), method);
        if (method === 'textDocument/semanticTokens/full') {
          // The server announces range tokens only (whole-file tokens of the corpus cost seconds):
          // the answer is JSON-RPC's "method not found", promptly.
          assert.equal(r.error?.code, -32601, `${method}: ${JSON.stringify(r.error)}`);
        } else assert.equal(r.error, undefined, `${method} answered with an error: ${JSON.stringify(r.error)}`);
      }
      if (input.longLine !== undefined) {
        const r = await answered(client.request<Hover>('textDocument/hover', { textDocument, position: at }), 'hover on the long line');
        assert.match(JSON.stringify(r.result?.contents), /nmap refuses it/, 'the hover says why the line is not analysed');
      }

      // Still alive: the process runs and answers, and no feature threw on the way.
      assert.equal(exited, undefined, 'the server process has not exited');
      assert.match(JSON.stringify((await hoverSmall()).result?.contents), /capturing group 1/);
      assert.deepEqual(client.logs.filter((l) => /failed/.test(l)), [], 'no handler failed');
      await client.conn.sendNotification('textDocument/didClose', { textDocument });
    });
  }
});
