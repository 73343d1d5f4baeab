// One bundle per process: the CLI, the language server, and the VS Code client.
import * as esbuild from 'esbuild';
import { chmodSync } from 'node:fs';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  logLevel: 'warning',
  minify: process.argv.includes('--minify'),
};

const entries = [
  { entryPoints: ['cli/main.ts'], outfile: 'dist/nsp.js', banner: { js: '#!/usr/bin/env node' } },
  // nsp check's second thread (cli/parallel-analysis.ts finds it beside dist/nsp.js).
  { entryPoints: ['cli/check-worker.ts'], outfile: 'dist/check-worker.js' },
  { entryPoints: ['server/main.ts'], outfile: 'dist/server.js', banner: { js: '#!/usr/bin/env node' } },
  { entryPoints: ['client/extension.ts'], outfile: 'dist/client.js', external: ['vscode'] },
];

const { existsSync } = await import('node:fs');
await Promise.all(
  entries
    .filter((e) => existsSync(e.entryPoints[0]))
    .map((e) => esbuild.build({ ...common, ...e })),
);
for (const f of ['dist/nsp.js', 'dist/server.js']) if (existsSync(f)) chmodSync(f, 0o755);
