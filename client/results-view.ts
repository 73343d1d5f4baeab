// The results view: each run of a lens command opens a read-only document (scheme `nsp-result`)
// beside the editor. Its text comes from results-model.ts; the matched lines in it are
// DocumentLinks that reveal the line in the probes document, and code lenses on its first line
// offer "Open matched line N" and, when nothing matched but something answered, "Copy
// fingerprint". A text document rather than a webview: it is searchable, copyable, themed and
// accessible like any editor, and needs no HTML, scripts or content security policy.

import * as vscode from 'vscode';
import type { LinkTarget, RenderedResult } from './results-model';

export const RESULT_SCHEME = 'nsp-result';
const CMD_OPEN_LINE = 'nsp.openProbeLine';
const CMD_COPY_FINGERPRINT = 'nsp.copyFingerprint';
const KEEP = 20;

interface Stored {
  rendered: RenderedResult;
  /** The probes document the results are about. */
  probesUri: string;
}

export class ResultsView implements vscode.TextDocumentContentProvider, vscode.DocumentLinkProvider, vscode.CodeLensProvider {
  private readonly results = new Map<string, Stored>();
  private next = 1;

  static register(context: vscode.ExtensionContext): ResultsView {
    const view = new ResultsView();
    const selector = { scheme: RESULT_SCHEME };
    context.subscriptions.push(
      vscode.workspace.registerTextDocumentContentProvider(RESULT_SCHEME, view),
      vscode.languages.registerDocumentLinkProvider(selector, view),
      vscode.languages.registerCodeLensProvider(selector, view),
      vscode.commands.registerCommand(CMD_OPEN_LINE, (uri: string, line: number) => openLine(uri, line)),
      vscode.commands.registerCommand(CMD_COPY_FINGERPRINT, (resultUri?: string) => view.copyFingerprint(resultUri)),
    );
    return view;
  }

  /** Opens a new results document beside the editor and returns its uri. */
  async show(label: string, rendered: RenderedResult, probesUri: string): Promise<vscode.Uri> {
    const id = this.next++;
    const uri = vscode.Uri.from({ scheme: RESULT_SCHEME, path: `/${label.replace(/[\\/]/g, '_')} #${id}`, query: String(id) });
    this.results.set(uri.toString(), { rendered, probesUri });
    // Old results go once there are many; their tabs then say so.
    for (const k of [...this.results.keys()].slice(0, Math.max(0, this.results.size - KEEP))) this.results.delete(k);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: false, preserveFocus: false });
    return uri;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.results.get(uri.toString())?.rendered.text ?? 'This result is no longer kept; run the command again.\n';
  }

  provideDocumentLinks(doc: vscode.TextDocument): vscode.DocumentLink[] {
    const stored = this.results.get(doc.uri.toString());
    if (!stored) return [];
    return stored.rendered.links.map((l) => {
      const link = new vscode.DocumentLink(new vscode.Range(l.line, l.start, l.line, l.end), commandUri(stored.probesUri, l.target));
      link.tooltip = l.target.kind === 'probes' ? `Reveal line ${l.target.line} of the probes file` : 'Open the capture file';
      return link;
    });
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const stored = this.results.get(doc.uri.toString());
    if (!stored) return [];
    const top = new vscode.Range(0, 0, 0, 0);
    const out: vscode.CodeLens[] = [];
    const line = stored.rendered.matchedLine;
    if (line !== null) out.push(new vscode.CodeLens(top, { title: `Open matched line ${line}`, command: CMD_OPEN_LINE, arguments: [stored.probesUri, line] }));
    if (stored.rendered.fingerprint) out.push(new vscode.CodeLens(top, { title: 'Copy fingerprint', command: CMD_COPY_FINGERPRINT, arguments: [doc.uri.toString()] }));
    return out;
  }

  async copyFingerprint(resultUri?: string): Promise<void> {
    const key = resultUri ?? vscode.window.activeTextEditor?.document.uri.toString() ?? '';
    const fp = this.results.get(key)?.rendered.fingerprint;
    if (!fp) {
      void vscode.window.showWarningMessage('nsp: this result has no service fingerprint.');
      return;
    }
    await vscode.env.clipboard.writeText(fp);
    void vscode.window.showInformationMessage('nsp: service fingerprint copied to the clipboard.');
  }
}

function commandUri(probesUri: string, t: LinkTarget): vscode.Uri {
  const args = t.kind === 'probes' ? [probesUri, t.line] : [t.uri, t.line];
  return vscode.Uri.parse(`command:${CMD_OPEN_LINE}?${encodeURIComponent(JSON.stringify(args))}`);
}

/** Reveals a 1-based line of a document in the first editor group and selects it. */
async function openLine(uri: string, line: number): Promise<void> {
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(uri));
  const at = Math.max(0, Math.min(line - 1, doc.lineCount - 1));
  const range = doc.lineAt(at).range;
  const editor = await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One, selection: range, preview: false });
  editor.revealRange(range, vscode.TextEditorRevealType.InCenter);
}
