// LSP wiring only. Each handler: get the document → its cached analysis (uri + version) → one
// language-service call inside runSafe. Diagnostics are pushed on open at once and on change after
// a short debounce, and only for the version they were computed from.

import {
  CodeActionKind,
  TextDocuments,
  TextDocumentSyncKind,
  type Connection,
  type InitializeResult,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  getLanguageService,
  captureKindOf,
  parseNmapServices,
  SEMANTIC_TOKENS_LEGEND,
  type CaptureSource,
  type AnalyzedDocument,
  type CaptureSummary,
  type LanguageService,
} from '../service/index';
import type { Pcre2Version } from '../regex/api';
import { findServicesText, type DataFileSystem } from './data-files';
import { runSafe } from './run-safe';

export interface RuntimeEnvironment extends DataFileSystem {
  timer: {
    setTimeout(cb: () => void, ms: number): { dispose(): void };
  };
  /** Files under the workspace roots that may hold captures or fingerprints (bounded walk). */
  listCaptureFiles?(roots: string[]): Promise<string[]>;
  /** Replaces the language service (tests use it to make a feature throw). */
  languageService?: LanguageService;
  /** Debounce for diagnostics after a change, in ms (default 150). */
  validationDelay?: number;
}

/** What the client may send in initializationOptions and in the `nsp` settings section. */
export interface ServerSettings {
  pcre2Version?: Pcre2Version;
  nmapPath?: string;
  /** Explicit nmap-services file; otherwise found beside the probes file or in nmap's data dir. */
  servicesFile?: string;
  /** Debounce of diagnostics after a change, in ms (default: the runtime's, 150). */
  validationDelay?: number;
}

export const NOTIFICATION_CAPTURES = 'nsp/captures';
export const REQUEST_TEST_CAPTURES = 'nsp/testAgainstCaptures';
export const REQUEST_RELOAD_CAPTURES = 'nsp/reloadCaptures';
export const REQUEST_LIST_CAPTURES = 'nsp/listCaptures';

export function startServer(connection: Connection, runtime: RuntimeEnvironment): void {
  const documents = new TextDocuments(TextDocument);
  const service = runtime.languageService ?? getLanguageService();
  const cache = new Map<string, AnalyzedDocument>();
  const pending = new Map<string, { dispose(): void }>();
  let delay = runtime.validationDelay ?? 150;
  let settings: ServerSettings = {};
  let servicesLookedUp = false;
  let supportsCodeLensRefresh = false;
  let roots: string[] = [];
  const log = { error: (m: string) => connection.console.error(m) };

  const analysisOf = (uri: string): AnalyzedDocument | undefined => {
    const doc = documents.get(uri);
    if (!doc) return undefined;
    const hit = cache.get(uri);
    if (hit && hit.version === doc.version) return hit;
    const analyzed = service.analyze(uri, doc.version, doc.getText());
    cache.set(uri, analyzed);
    return analyzed;
  };

  connection.onInitialize((params): InitializeResult => {
    settings = { ...(params.initializationOptions as ServerSettings | undefined) };
    service.configure({ pcre2Version: settings.pcre2Version });
    if (typeof settings.validationDelay === 'number' && settings.validationDelay >= 0) delay = settings.validationDelay;
    supportsCodeLensRefresh = !!params.capabilities.workspace?.codeLens?.refreshSupport;
    const folders = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
    roots = folders.filter((u) => u.startsWith('file:')).map((u) => fileURLToPath(u));
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        hoverProvider: true,
        completionProvider: { triggerCharacters: ['$', '/', ':', ' ', ','], resolveProvider: false },
        documentSymbolProvider: true,
        workspaceSymbolProvider: true,
        definitionProvider: true,
        referencesProvider: true,
        foldingRangeProvider: true,
        // Range only: the corpus has over a million regex tokens, so whole-file tokens would cost
        // seconds; editors ask for the visible range instead.
        semanticTokensProvider: { legend: SEMANTIC_TOKENS_LEGEND, full: false, range: true },
        documentLinkProvider: { resolveProvider: false },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        codeLensProvider: { resolveProvider: true },
      },
      serverInfo: { name: 'nsp-language-server', version: '0.1.0' },
    };
  });

  connection.onDidChangeConfiguration((change) => {
    const s = (change.settings as { nsp?: ServerSettings } | undefined)?.nsp;
    if (!s) return;
    const versionChanged = s.pcre2Version !== settings.pcre2Version;
    settings = { ...settings, ...s };
    service.configure({ pcre2Version: settings.pcre2Version });
    if (versionChanged) {
      cache.clear();
      for (const d of documents.all()) schedule(d.uri, 0);
    }
  });

  connection.onInitialized(() => {
    void reloadCaptures();
  });
  connection.onDidChangeWatchedFiles(() => {
    void reloadCaptures();
  });
  connection.onRequest(REQUEST_RELOAD_CAPTURES, () => reloadCaptures());
  // Capture cases for the client's Test Explorer: uri, name and the line of the case.
  connection.onRequest(REQUEST_LIST_CAPTURES, async () => {
    const out: { uri: string; name: string; line: number }[] = [];
    const texts = new Map<string, string>();
    for (const c of service.listCaptures()) {
      let text = texts.get(c.uri);
      if (text === undefined) {
        text = (await runtime.readText(fileURLToPath(c.uri))) ?? '';
        texts.set(c.uri, text);
      }
      let line = 0;
      for (let i = text.indexOf('\n'); i !== -1 && i < c.start; i = text.indexOf('\n', i + 1)) line++;
      out.push({ uri: c.uri, name: c.name, line });
    }
    return out;
  });
  connection.onRequest(REQUEST_TEST_CAPTURES, (p: { uri: string; line?: number }, token) =>
    runSafe(log, 'testAgainstCaptures', token, [], () => {
      const a = analysisOf(p.uri);
      return a ? service.testAgainstCaptures(a, typeof p.line === 'number' ? p.line : undefined) : [];
    }),
  );

  async function reloadCaptures(): Promise<number> {
    if (!runtime.listCaptureFiles || !roots.length) return 0;
    try {
      const files = await runtime.listCaptureFiles(roots);
      const sources: CaptureSource[] = [];
      for (const f of files) {
        const kind = captureKindOf(f);
        const text = kind && (await runtime.readText(f));
        if (kind && text !== undefined && text !== '') sources.push({ uri: pathToFileURL(f).toString(), text, kind });
      }
      const n = service.setCaptureSources(sources);
      if (supportsCodeLensRefresh) void connection.sendRequest('workspace/codeLens/refresh').catch(() => undefined);
      return n;
    } catch (e) {
      log.error(`loading captures failed: ${(e as Error)?.message ?? e}`);
      return 0;
    }
  }

  connection.onNotification(NOTIFICATION_CAPTURES, (captures: CaptureSummary[]) => {
    service.configure({ captures: Array.isArray(captures) ? captures : [] });
    if (supportsCodeLensRefresh) void connection.sendRequest('workspace/codeLens/refresh').catch(() => undefined);
  });

  const validate = (uri: string) => {
    pending.delete(uri);
    try {
      const a = analysisOf(uri);
      if (!a) return;
      const diagnostics = service.doValidation(a);
      const current = documents.get(uri);
      if (current && current.version === a.version) {
        void connection.sendDiagnostics({ uri, version: a.version, diagnostics });
        warm(uri, a.version);
      }
    } catch (e) {
      log.error(`validation failed: ${(e as Error)?.stack ?? e}`);
    }
  };

  // After an incremental check the tree is built on first use; build it once typing pauses so the
  // next hover or completion does not pay for it.
  const warming = new Map<string, { dispose(): void }>();
  const warm = (uri: string, version: number) => {
    warming.get(uri)?.dispose();
    warming.set(
      uri,
      runtime.timer.setTimeout(() => {
        warming.delete(uri);
        const a = cache.get(uri);
        if (a && a.version === version && !pending.has(uri)) void a.parse;
      }, 400),
    );
  };

  const schedule = (uri: string, ms: number) => {
    pending.get(uri)?.dispose();
    pending.set(uri, runtime.timer.setTimeout(() => validate(uri), ms));
  };

  documents.onDidOpen((e) => {
    schedule(e.document.uri, 0);
    void loadServices(e.document.uri);
  });
  documents.onDidChangeContent((e) => {
    if (pending.has(e.document.uri) || cache.has(e.document.uri)) schedule(e.document.uri, delay);
  });
  documents.onDidClose((e) => {
    pending.get(e.document.uri)?.dispose();
    pending.delete(e.document.uri);
    cache.delete(e.document.uri);
    warming.get(e.document.uri)?.dispose();
    service.forget(e.document.uri);
    void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });

  async function loadServices(uri: string): Promise<void> {
    if (servicesLookedUp) return;
    servicesLookedUp = true;
    try {
      let probesFile: string | undefined;
      if (uri.startsWith('file:')) probesFile = fileURLToPath(uri);
      const found = settings.servicesFile
        ? await runtime.readText(settings.servicesFile).then((t) => (t === undefined ? undefined : { file: settings.servicesFile!, text: t }))
        : await findServicesText(runtime, probesFile, settings.nmapPath);
      if (found) service.configure({ services: parseNmapServices(found.text) });
    } catch (e) {
      log.error(`reading nmap-services failed: ${(e as Error)?.message ?? e}`);
    }
  }

  connection.onHover((p, token) =>
    runSafe(log, 'hover', token, null, () => {
      const a = analysisOf(p.textDocument.uri);
      return a ? service.doHover(a, p.position) : null;
    }),
  );
  connection.onCompletion((p, token) =>
    runSafe(log, 'completion', token, { isIncomplete: false, items: [] }, () => {
      const a = analysisOf(p.textDocument.uri);
      return a ? service.doComplete(a, p.position) : { isIncomplete: false, items: [] };
    }),
  );
  connection.onDocumentSymbol((p, token) =>
    runSafe(log, 'documentSymbol', token, [], () => {
      const a = analysisOf(p.textDocument.uri);
      return a ? service.findDocumentSymbols(a) : [];
    }),
  );
  connection.onWorkspaceSymbol((p, token) =>
    runSafe(log, 'workspaceSymbol', token, [], () => {
      const all = documents.all().map((d) => analysisOf(d.uri)).filter((a): a is AnalyzedDocument => !!a);
      return service.findWorkspaceSymbols(all, p.query);
    }),
  );
  connection.onDefinition((p, token) =>
    runSafe(log, 'definition', token, [], () => {
      const a = analysisOf(p.textDocument.uri);
      return a ? service.findDefinition(a, p.position) : [];
    }),
  );
  connection.onReferences((p, token) =>
    runSafe(log, 'references', token, [], () => {
      const a = analysisOf(p.textDocument.uri);
      return a ? service.findReferences(a, p.position, p.context.includeDeclaration) : [];
    }),
  );
  connection.onFoldingRanges((p, token) =>
    runSafe(log, 'foldingRange', token, [], () => {
      const a = analysisOf(p.textDocument.uri);
      return a ? service.getFoldingRanges(a) : [];
    }),
  );
  connection.languages.semanticTokens.onRange((p, token) =>
    runSafe(log, 'semanticTokens/range', token, { data: [] }, () => {
      const a = analysisOf(p.textDocument.uri);
      return a ? service.getSemanticTokens(a, p.range) : { data: [] };
    }),
  );
  connection.onDocumentLinks((p, token) =>
    runSafe(log, 'documentLink', token, [], () => {
      const a = analysisOf(p.textDocument.uri);
      return a ? service.findDocumentLinks(a) : [];
    }),
  );
  connection.onCodeAction((p, token) =>
    runSafe(log, 'codeAction', token, [], () => {
      const a = analysisOf(p.textDocument.uri);
      return a ? service.doCodeActions(a, p.range, p.context.diagnostics) : [];
    }),
  );
  connection.onCodeLens((p, token) =>
    runSafe(log, 'codeLens', token, [], () => {
      const a = analysisOf(p.textDocument.uri);
      return a ? service.getCodeLenses(a) : [];
    }),
  );
  // "Test against captures (N)" lenses come unresolved until the captures were replayed against
  // this text; resolving replays them once (cached) for the lenses on screen, in slices so that
  // hover, completion and diagnostics are answered meanwhile. An edit stops a replay under way.
  connection.onCodeLensResolve((lens, token) =>
    runSafe(log, 'codeLens/resolve', token, lens, () => {
      const uri = (lens.data as { uri?: unknown } | undefined)?.uri;
      const a = typeof uri === 'string' ? analysisOf(uri) : undefined;
      if (!a) return lens;
      return service.resolveCodeLensInSlices(a, lens, () => documents.get(a.uri)?.version !== a.version);
    }),
  );

  documents.listen(connection);
  connection.listen();
}
