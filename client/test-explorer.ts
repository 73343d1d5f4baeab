// Capture files and fingerprints of the workspace in VS Code's Test Explorer. Running them asks
// the server to replay each case through the detection engine against the probes file (the active
// editor's, else the `nsp.probesFile` setting, else any open probes document) — `nsp test`'s logic.

import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';

interface ListedCase {
  uri: string;
  name: string;
  line: number;
}

interface Result {
  name: string;
  uri: string;
  passed: boolean;
  failures: string[];
  summary: string;
}

export function registerCaptureTests(context: vscode.ExtensionContext, client: LanguageClient, languageId: string): { refresh(): Promise<void> } {
  const ctrl = vscode.tests.createTestController('nspCaptures', 'nsp captures');
  context.subscriptions.push(ctrl);

  const refresh = async () => {
    let cases: ListedCase[];
    try {
      cases = await client.sendRequest<ListedCase[]>('nsp/listCaptures');
    } catch {
      return; // The server is not up yet; the reload after start lists them.
    }
    const files = new Map<string, vscode.TestItem>();
    for (const c of cases) {
      let file = files.get(c.uri);
      if (!file) {
        const uri = vscode.Uri.parse(c.uri);
        file = ctrl.createTestItem(c.uri, vscode.workspace.asRelativePath(uri), uri);
        files.set(c.uri, file);
      }
      const item = ctrl.createTestItem(`${c.uri}#${c.name}`, c.name, vscode.Uri.parse(c.uri));
      item.range = new vscode.Range(c.line, 0, c.line, 0);
      file.children.add(item);
    }
    ctrl.items.replace([...files.values()]);
  };
  ctrl.resolveHandler = async (item) => {
    if (!item) await refresh();
  };
  ctrl.refreshHandler = async () => {
    await refresh();
  };

  const probesDocument = async (): Promise<vscode.TextDocument | undefined> => {
    const active = vscode.window.activeTextEditor?.document;
    if (active?.languageId === languageId) return active;
    const configured = vscode.workspace.getConfiguration('nsp').get<string>('probesFile');
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    if (configured) return vscode.workspace.openTextDocument(folder ? vscode.Uri.joinPath(folder, configured) : vscode.Uri.file(configured));
    return vscode.workspace.textDocuments.find((d) => d.languageId === languageId);
  };

  ctrl.createRunProfile('Run', vscode.TestRunProfileKind.Run, async (request, token) => {
    const run = ctrl.createTestRun(request);
    const wanted: vscode.TestItem[] = [];
    const collect = (item: vscode.TestItem) => (item.children.size ? item.children.forEach(collect) : wanted.push(item));
    (request.include ?? [...iterate(ctrl.items)]).forEach(collect);
    const doc = await probesDocument();
    if (!doc) {
      for (const t of wanted) run.errored(t, new vscode.TestMessage('Open an nmap-service-probes file (or set nsp.probesFile) to run captures against.'));
      run.end();
      return;
    }
    for (const t of wanted) run.started(t);
    const results = await client.sendRequest<Result[]>('nsp/testAgainstCaptures', { uri: doc.uri.toString() }, token);
    const byId = new Map(results.map((r) => [`${r.uri}#${r.name}`, r]));
    for (const t of wanted) {
      const r = byId.get(t.id);
      if (!r) run.skipped(t);
      else if (r.passed) {
        run.appendOutput(`${r.name}: ${r.summary}\r\n`, undefined, t);
        run.passed(t);
      } else run.failed(t, new vscode.TestMessage(`${r.summary}\n${r.failures.join('\n')}`));
    }
    run.end();
  }, true);

  return { refresh };
}

function iterate(items: vscode.TestItemCollection): vscode.TestItem[] {
  const out: vscode.TestItem[] = [];
  items.forEach((i) => out.push(i));
  return out;
}
