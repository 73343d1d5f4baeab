// The VS Code extension: starts nsp-language-server (dist/server.js) and implements the commands
// behind the code lenses. Everything about the language is in the server; this file only asks for
// targets, shows progress and presents results. Command and request names are spelled here again
// (the client imports nothing of ours by design); server/server.ts and service/code-lenses.ts
// hold the other side.

import * as vscode from 'vscode';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { scanArgs, splitTarget, type LiveKind } from './live-args';
import { registerCaptureTests } from './test-explorer';

const LANGUAGE_ID = 'nmap-service-probes';
const REQUEST_TEST_CAPTURES = 'nsp/testAgainstCaptures';
const REQUEST_RELOAD_CAPTURES = 'nsp/reloadCaptures';

interface LensArgs {
  uri: string;
  line: number;
  probe: string;
  protocol: 'TCP' | 'UDP';
  service?: string;
}

interface CaptureTestResult {
  name: string;
  uri: string;
  line: number | null;
  reachedLine: boolean;
  failures: string[];
  passed: boolean;
  service: string | null;
  summary: string;
}

let client: LanguageClient | undefined;
let output: vscode.OutputChannel | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel('nsp');
  context.subscriptions.push(output);
  const serverModule = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const config = vscode.workspace.getConfiguration('nsp');
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ language: LANGUAGE_ID }],
    synchronize: {
      configurationSection: 'nsp',
      fileEvents: vscode.workspace.createFileSystemWatcher('**/*.{captures,capture,nspcap,sf}'),
    },
    initializationOptions: {
      pcre2Version: config.get<string>('pcre2Version'),
      nmapPath: config.get<string>('nmapPath'),
      servicesFile: config.get<string>('servicesFile') || undefined,
    },
    outputChannel: output,
  };
  client = new LanguageClient('nsp', 'Nmap Service Probes', serverOptions, clientOptions);
  const tests = registerCaptureTests(context, client, LANGUAGE_ID);

  context.subscriptions.push(
    vscode.commands.registerCommand('nsp.testAgainstCaptures', (args?: LensArgs) => testAgainstCaptures(args)),
    vscode.commands.registerCommand('nsp.reloadCaptures', async () => {
      const n = await client?.sendRequest<number>(REQUEST_RELOAD_CAPTURES);
      await tests.refresh();
      void vscode.window.showInformationMessage(`nsp: ${n ?? 0} captures loaded.`);
    }),
    vscode.commands.registerCommand('nsp.testLive', (args?: LensArgs) => live(context, 'testLive', args)),
    vscode.commands.registerCommand('nsp.runProbe', (args?: LensArgs) => live(context, 'runProbe', args)),
    vscode.commands.registerCommand('nsp.versionScan', (args?: LensArgs) => live(context, 'versionScan', args)),
    vscode.commands.registerCommand('nsp.verifyWithNmap', (args?: LensArgs) => live(context, 'verifyWithNmap', args)),
  );
  await client.start();
  // The server loads captures right after initialisation; list them once it has.
  void client.sendRequest<number>(REQUEST_RELOAD_CAPTURES).then(() => tests.refresh(), () => undefined);
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}

function argsOrActive(args?: LensArgs): LensArgs | undefined {
  if (args?.uri) return args;
  const ed = vscode.window.activeTextEditor;
  if (!ed || ed.document.languageId !== LANGUAGE_ID) return undefined;
  return { uri: ed.document.uri.toString(), line: ed.selection.active.line, probe: '', protocol: 'TCP' };
}

async function testAgainstCaptures(raw?: LensArgs): Promise<void> {
  let args = argsOrActive(raw);
  const configured = vscode.workspace.getConfiguration('nsp').get<string>('probesFile');
  if (!args && configured) {
    // No probes file in the editor: the configured one (opened, so the server analyses it).
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const uri = path.isAbsolute(configured) || !folder ? vscode.Uri.file(configured) : vscode.Uri.joinPath(folder, configured);
    const doc = await vscode.workspace.openTextDocument(uri);
    if (doc.languageId !== LANGUAGE_ID) await vscode.languages.setTextDocumentLanguage(doc, LANGUAGE_ID);
    args = { uri: doc.uri.toString(), line: 0, probe: '', protocol: 'TCP' };
  }
  if (!args || !client) return;
  const results = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'nsp: testing against captures…', cancellable: true },
    (_p, token) => client!.sendRequest<CaptureTestResult[]>(REQUEST_TEST_CAPTURES, { uri: args.uri, line: raw?.uri ? args.line : undefined }, token),
  );
  const reached = results.filter((r) => r.reachedLine);
  const failed = reached.filter((r) => !r.passed);
  const where = raw?.uri ? ` at line ${args.line + 1}` : '';
  output?.appendLine(`Test against captures${where}: ${results.length} captures, ${reached.length} decided here, ${failed.length} failing`);
  for (const r of results) {
    const mark = !r.reachedLine ? '·' : r.passed ? '✓' : '✗';
    output?.appendLine(`  ${mark} ${r.name}: ${r.summary}${r.failures.length ? ' — ' + r.failures.join('; ') : ''}  (${r.uri})`);
  }
  const message = results.length
    ? `Captures${where}: ${reached.length} of ${results.length} decided here, ${reached.length - failed.length} passed, ${failed.length} failed.`
    : 'Captures: no capture files or fingerprints in this workspace.';
  const pick = await vscode.window.showInformationMessage(message, 'Show details');
  if (pick !== 'Show details') return;
  const chosen = await vscode.window.showQuickPick(
    results.map((r) => ({
      label: `${!r.reachedLine ? '$(circle-outline)' : r.passed ? '$(pass)' : '$(error)'} ${r.name}`,
      description: r.summary,
      detail: r.failures.join('; ') || undefined,
      result: r,
    })),
    { placeHolder: 'Open the line that matched' },
  );
  if (chosen?.result.line) {
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(args.uri));
    const pos = new vscode.Position(chosen.result.line - 1, 0);
    await vscode.window.showTextDocument(doc, { selection: new vscode.Range(pos, pos) });
  }
}

/** Live probing runs the bundled CLI as a child process on the unsaved buffer's text. */
async function live(context: vscode.ExtensionContext, kind: LiveKind, raw?: LensArgs): Promise<void> {
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showWarningMessage('nsp: live probing is disabled in untrusted workspaces.');
    return;
  }
  const args = argsOrActive(raw);
  if (!args) return;
  const key = 'nsp.lastTarget';
  const target = await vscode.window.showInputBox({
    title: 'Target (host:port)',
    value: context.workspaceState.get<string>(key) ?? '127.0.0.1:80',
    validateInput: (v) => (splitTarget(v) ? undefined : 'host:port, e.g. 127.0.0.1:8080 or [::1]:8080'),
  });
  if (!target) return;
  await context.workspaceState.update(key, target.trim());
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(args.uri));
  const dir = mkdtempSync(path.join(tmpdir(), 'nsp-'));
  const probesFile = path.join(dir, 'nmap-service-probes');
  writeFileSync(probesFile, doc.getText());
  const cfg = vscode.workspace.getConfiguration('nsp');
  const [host, port] = splitTarget(target)!;
  const command = process.execPath;
  const argv = [
    context.asAbsolutePath(path.join('dist', 'nsp.js')),
    ...scanArgs(kind, {
      host,
      port,
      probesFile,
      intensity: cfg.get<number>('intensity', 7),
      probe: args.probe || undefined,
      protocol: args.protocol,
      nmapPath: cfg.get<string>('nmapPath') || 'nmap',
      maxTimeSeconds: cfg.get<number>('maxTimeSeconds', 600),
    }),
  ];
  try {
    const text = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `nsp: ${kind} ${target}…`, cancellable: true },
      // The extension host's executable may be Electron: ELECTRON_RUN_AS_NODE makes it plain Node.
      (_p, token) => runProcess(command, argv, token, { ELECTRON_RUN_AS_NODE: '1' }),
    );
    const result = await vscode.workspace.openTextDocument({ content: `$ ${[path.basename(command), ...argv].join(' ')}\n\n${text}`, language: 'plaintext' });
    await vscode.window.showTextDocument(result, { viewColumn: vscode.ViewColumn.Beside, preview: true });
  } catch (e) {
    void vscode.window.showErrorMessage(`nsp: ${(e as Error).message}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function runProcess(command: string, argv: string[], token: vscode.CancellationToken, env: Record<string, string | undefined>): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, argv, { env: { ...process.env, ...env } });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const sub = token.onCancellationRequested(() => child.kill());
    child.on('error', (e) => {
      sub.dispose();
      reject(e);
    });
    child.on('close', (code, signal) => {
      sub.dispose();
      resolve(out + (signal ? `\n(cancelled)\n` : `\n(exit ${code})\n`));
    });
  });
}
