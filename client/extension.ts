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
import { liveLensTitle, scanArgs, splitTarget, type LiveKind } from './live-args';
import { renderCaptures, renderScan, type CaptureResultJson, type ScanJson } from './results-model';
import { ResultsView } from './results-view';
import { registerCaptureTests } from './test-explorer';

const LANGUAGE_ID = 'nmap-service-probes';
const REQUEST_TEST_CAPTURES = 'nsp/testAgainstCaptures';
const REQUEST_RELOAD_CAPTURES = 'nsp/reloadCaptures';
const REQUEST_LIST_CAPTURES = 'nsp/listCaptures';

interface LensArgs {
  uri: string;
  line: number;
  probe: string;
  protocol: 'TCP' | 'UDP';
  service?: string;
}

type CaptureTestResult = CaptureResultJson;

let client: LanguageClient | undefined;
let output: vscode.OutputChannel | undefined;
let resultsView: ResultsView;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel('nsp');
  context.subscriptions.push(output);
  resultsView = ResultsView.register(context);
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
    middleware: {
      // With a target remembered, the live lenses name it and run on it; on each Probe line a
      // "Change target…" lens follows "Version scan".
      provideCodeLenses: async (document, token, next) => {
        const lenses = await next(document, token);
        const target = context.workspaceState.get<string>(TARGET_KEY);
        if (!lenses || !target) return lenses;
        const out: vscode.CodeLens[] = [];
        for (const lens of lenses) {
          const title = lens.command && liveLensTitle(lens.command.command, target);
          if (lens.command && title) lens.command.title = title;
          out.push(lens);
          if (lens.command?.command === 'nsp.versionScan') out.push(new vscode.CodeLens(lens.range, { title: 'Change target…', command: 'nsp.setTarget' }));
        }
        return out;
      },
    },
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
    vscode.commands.registerCommand('nsp.setTarget', () => askTarget(context)),
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
  const c = client;
  const asked = raw?.uri ? args.line : undefined;
  let results: CaptureTestResult[];
  let listed: { uri: string; name: string; line: number }[] = [];
  try {
    [results, listed] = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'nsp: testing against captures…', cancellable: true },
      (_p, token) =>
        Promise.all([
          c.sendRequest<CaptureTestResult[]>(REQUEST_TEST_CAPTURES, { uri: args.uri, line: asked }, token),
          c.sendRequest<{ uri: string; name: string; line: number }[]>(REQUEST_LIST_CAPTURES, undefined, token).catch(() => []),
        ]),
    );
  } catch (e) {
    if (!(e instanceof Error && /cancel/i.test(e.message))) void vscode.window.showErrorMessage(`nsp: ${(e as Error).message}`);
    return;
  }
  const caseLines = new Map(listed.map((l) => [`${l.uri}#${l.name}`, l.line + 1]));
  const rendered = renderCaptures(results, {
    line: asked === undefined ? undefined : asked + 1,
    probesName: vscode.workspace.asRelativePath(vscode.Uri.parse(args.uri)),
    fileName: (u) => vscode.workspace.asRelativePath(vscode.Uri.parse(u)),
    caseLine: (r) => caseLines.get(`${r.uri}#${r.name}`),
  });
  output?.appendLine(rendered.text);
  await resultsView.show(asked === undefined ? 'Captures' : `Captures at line ${asked + 1}`, rendered, args.uri);
}

const TITLES: Record<LiveKind, string> = {
  testLive: 'Test live',
  runProbe: 'Run probe',
  versionScan: 'Version scan',
  verifyWithNmap: 'Verify with nmap',
};

/** Live probing runs the bundled CLI as a child process on the unsaved buffer's text. */
async function live(context: vscode.ExtensionContext, kind: LiveKind, raw?: LensArgs): Promise<void> {
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showWarningMessage('nsp: live probing is disabled in untrusted workspaces.');
    return;
  }
  const args = argsOrActive(raw);
  if (!args) return;
  // The target is asked for once per workspace and remembered; the lenses then name it, and
  // "Change target…" (nsp.setTarget) asks again.
  const target = context.workspaceState.get<string>(TARGET_KEY) ?? (await askTarget(context, `${TITLES[kind]}${args.probe ? ` (probe ${args.probe})` : ''}`));
  if (!target) return;
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
      format: 'json',
    }),
  ];
  try {
    const run = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `nsp: ${TITLES[kind]} ${target.trim()}…`, cancellable: true },
      // The extension host's executable may be Electron: ELECTRON_RUN_AS_NODE makes it plain Node.
      (progress, token) => runProcess(command, argv, token, { ELECTRON_RUN_AS_NODE: '1' }, (m) => progress.report({ message: m })),
    );
    output?.appendLine(`$ ${[path.basename(command), ...argv].join(' ')}\n${run.stdout}${run.stderr}(exit ${run.code ?? run.signal})`);
    if (run.signal) {
      void vscode.window.showInformationMessage(`nsp: ${TITLES[kind]} ${target.trim()} cancelled.`);
      return;
    }
    let json: ScanJson;
    try {
      json = JSON.parse(run.stdout) as ScanJson;
    } catch {
      void vscode.window.showErrorMessage(`nsp: ${run.stderr.trim() || `the scan printed no result (exit ${run.code})`}`);
      return;
    }
    const rendered = renderScan(json, {
      title: TITLES[kind] + (kind === 'testLive' || kind === 'runProbe' ? ` (probe ${args.probe || 'all'})` : ''),
      target: target.trim(),
      probesName: vscode.workspace.asRelativePath(doc.uri),
      // The CLI names the temporary copy of the buffer; the user knows it by the document's name.
      stderr: run.stderr.split(probesFile).join(vscode.workspace.asRelativePath(doc.uri)),
    });
    await resultsView.show(`${TITLES[kind]} ${target.trim()}`, rendered, args.uri);
  } catch (e) {
    void vscode.window.showErrorMessage(`nsp: ${(e as Error).message}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const TARGET_KEY = 'nsp.lastTarget';

/** Asks for the live-probing target (pre-filled with the current one) and remembers it for this workspace. */
async function askTarget(context: vscode.ExtensionContext, action?: string): Promise<string | undefined> {
  const target = await vscode.window.showInputBox({
    title: `nsp: ${action ?? 'live probing'} — target host:port`,
    prompt: 'Target (host:port); remembered for this workspace, "Change target…" on a Probe line changes it',
    value: context.workspaceState.get<string>(TARGET_KEY) ?? '127.0.0.1:80',
    ignoreFocusOut: true,
    validateInput: (v) => (splitTarget(v) ? undefined : 'host:port, e.g. 127.0.0.1:8080 or [::1]:8080'),
  });
  if (!target) return undefined;
  await context.workspaceState.update(TARGET_KEY, target.trim());
  refreshLenses();
  return target.trim();
}

/** Asks VS Code for the lenses again (their titles name the target). */
function refreshLenses(): void {
  const feature = client?.getFeature('textDocument/codeLens') as { getAllProviders?(): Iterable<{ onDidChangeCodeLensEmitter: vscode.EventEmitter<void> }> } | undefined;
  for (const p of feature?.getAllProviders?.() ?? []) p.onDidChangeCodeLensEmitter.fire();
}

interface ProcessRun {
  stdout: string;
  stderr: string;
  code: number | null;
  signal: NodeJS.Signals | null;
}

function runProcess(
  command: string,
  argv: string[],
  token: vscode.CancellationToken,
  env: Record<string, string | undefined>,
  report: (message: string) => void,
): Promise<ProcessRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, argv, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const started = Date.now();
    // Progress: the seconds elapsed, so a long NULL-probe wait does not look like a hang.
    const tick = setInterval(() => report(`${Math.round((Date.now() - started) / 1000)} s`), 1000);
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const sub = token.onCancellationRequested(() => child.kill());
    child.on('error', (e) => {
      clearInterval(tick);
      sub.dispose();
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearInterval(tick);
      sub.dispose();
      resolve({ stdout, stderr, code, signal });
    });
  });
}
