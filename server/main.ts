// The `nsp-language-server` executable (bundled to dist/server.js). `--stdio` (or --node-ipc /
// --socket) selects the transport, as vscode-languageserver reads it from the command line.

import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { readdir, readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { startServer, type RuntimeEnvironment } from './server';

export { startServer } from './server';
export type { RuntimeEnvironment, ServerSettings } from './server';

export const nodeRuntime: RuntimeEnvironment = {
  timer: {
    setTimeout(cb, ms) {
      const h = setTimeout(cb, ms);
      return { dispose: () => clearTimeout(h) };
    },
  },
  async listCaptureFiles(roots) {
    // A bounded walk: editors open big trees, and captures are small files near the probes file.
    const out: string[] = [];
    const skip = new Set(['node_modules', '.git', 'dist', 'out', '.tmp', 'test-output']);
    const walk = async (dir: string, depth: number) => {
      if (depth > 6 || out.length >= 2000) return;
      let entries;
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch {
        return;
      }
      for (const e of entries) {
        if (e.isDirectory()) {
          if (!skip.has(e.name) && !e.name.startsWith('.')) await walk(path.join(dir, e.name), depth + 1);
        } else if (/\.(captures?|nspcap|sf)$/i.test(e.name)) out.push(path.join(dir, e.name));
      }
    };
    for (const r of roots) await walk(r, 0);
    return out;
  },
  async readText(file) {
    try {
      return await readFile(file, 'utf8');
    } catch {
      return undefined;
    }
  },
};

if (require.main === module) {
  if (process.argv.includes('--version')) {
    process.stdout.write('nsp-language-server 0.1.0\n');
  } else {
    // A bug must never take the editor's server down: log and keep serving.
    process.on('uncaughtException', (e) => process.stderr.write(`nsp-language-server: uncaught ${e?.stack ?? e}\n`));
    // The server lives as long as the editor, and each edit of a large document leaves its
    // previous text behind (a flat copy of the whole document: 5 MB for nmap's file, which holds
    // characters above U+00FF). V8 by default lets the old generation grow to several times what
    // is alive before it collects, so a burst of edits took the process to 200-250 MB, nearly all
    // of it old texts. Collecting once the old generation is 1.5 times what the last collection
    // kept bounds that: over the bench's 30 edits, four runs peaked at 142-149 MB instead of
    // 217-222, with edit, hover and open times within the runs' noise (bench row "LSP: server
    // memory"; at 100 % the peak was 157-184 MB). Set only here, in the executable: the setting
    // is process-wide, and the test harness imports this module.
    setFlagsFromString('--heap-growing-percent=50');
    startServer(createConnection(ProposedFeatures.all), nodeRuntime);
  }
}
