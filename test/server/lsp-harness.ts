// A small LSP client for tests: talks JSON-RPC over any pair of streams (in-process PassThroughs or
// a child process's stdio), opens documents, and waits for diagnostics with a timeout — never a
// fixed sleep.

import { PassThrough, type Readable, type Writable } from 'node:stream';
import {
  createMessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type MessageConnection,
} from 'vscode-jsonrpc/node';
import type { Diagnostic } from 'vscode-languageserver-types';
import type { PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { createConnection } from 'vscode-languageserver/node';
import { startServer, type RuntimeEnvironment } from '../../server/server';
import { nodeRuntime } from '../../server/main';

export class TestClient {
  readonly conn: MessageConnection;
  private diagnostics = new Map<string, PublishDiagnosticsParams>();
  private waiters: { uri: string; version?: number; resolve: (d: Diagnostic[]) => void }[] = [];
  readonly logs: string[] = [];
  private versions = new Map<string, number>();

  /**
   * `parentPid` is what initialize sends as processId. A server in a child process gets ours, so it
   * exits when we do; an in-process server gets null, because vscode-languageserver answers a
   * processId with a 3-second "is my parent alive" interval that would keep mocha from exiting.
   */
  constructor(input: Readable, output: Writable, private readonly parentPid: number | null = process.pid) {
    this.conn = createMessageConnection(new StreamMessageReader(input), new StreamMessageWriter(output));
    this.conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      this.diagnostics.set(p.uri, p);
      for (const w of [...this.waiters]) {
        if (w.uri === p.uri && (w.version === undefined || p.version === w.version)) {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          w.resolve(p.diagnostics);
        }
      }
    });
    this.conn.onNotification('window/logMessage', (p: { message: string }) => this.logs.push(p.message));
    this.conn.onRequest('workspace/configuration', () => []);
    this.conn.onRequest('client/registerCapability', () => null);
    this.conn.onRequest('workspace/codeLens/refresh', () => null);
    this.conn.listen();
  }

  async initialize(rootUri: string | null = null, initializationOptions: object = {}): Promise<unknown> {
    const r = await this.conn.sendRequest('initialize', {
      processId: this.parentPid,
      rootUri,
      workspaceFolders: rootUri ? [{ uri: rootUri, name: 'ws' }] : null,
      capabilities: { workspace: { codeLens: { refreshSupport: true } } },
      initializationOptions,
    });
    await this.conn.sendNotification('initialized', {});
    return r;
  }

  /** Resolves with the next diagnostics for `uri` (at `version` if given); rejects after `ms`. */
  nextDiagnostics(uri: string, version?: number, ms = 20000): Promise<Diagnostic[]> {
    const have = this.diagnostics.get(uri);
    if (have && version !== undefined && have.version === version) return Promise.resolve(have.diagnostics);
    return new Promise((resolve, reject) => {
      const w = { uri, version, resolve: (d: Diagnostic[]) => (clearTimeout(t), resolve(d)) };
      const t = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        reject(new Error(`no diagnostics for ${uri} v${version} within ${ms} ms`));
      }, ms);
      this.waiters.push(w);
    });
  }

  async open(uri: string, text: string, languageId = 'nmap-service-probes'): Promise<Diagnostic[]> {
    this.versions.set(uri, 1);
    const wait = this.nextDiagnostics(uri, 1);
    await this.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
    return wait;
  }

  async change(uri: string, changes: object[]): Promise<Diagnostic[]> {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    const wait = this.nextDiagnostics(uri, version);
    await this.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: changes });
    return wait;
  }

  request<R>(method: string, params: object): Promise<R> {
    return this.conn.sendRequest(method, params) as Promise<R>;
  }

  /** `exit` makes vscode-languageserver end its process: send it only to a child process. */
  async shutdown(exit = false): Promise<void> {
    try {
      await this.conn.sendRequest('shutdown');
      if (exit) await this.conn.sendNotification('exit');
    } catch {
      // The server may already be gone.
    }
    this.conn.dispose();
  }
}

/** A server and a client in this process, joined by two PassThrough streams. */
export function inProcess(runtime: Partial<RuntimeEnvironment> = {}): TestClient {
  const toServer = new PassThrough();
  const toClient = new PassThrough();
  const conn = createConnection(toServer, toClient);
  startServer(conn, { ...nodeRuntime, validationDelay: 20, ...runtime });
  return new TestClient(toClient, toServer, null);
}
