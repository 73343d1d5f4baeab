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

// dist/nsp.js is both a shell script and the CLI bundle. Run as a program, /bin/sh reads line 2
// (to JavaScript a string and a comment): it drops NODE_EXTRA_CA_CERTS and runs node on the same
// file. Node 20 parses every root certificate at start-up when that variable is set (~50 ms of a
// ~80 ms start on machines that set it), and nsp never verifies a certificate: nmap does not, and
// the prober's TLS runs with rejectUnauthorized false. `node dist/nsp.js` (Windows) skips line 2.
const NSP_LAUNCHER = [
  '#!/bin/sh',
  "':' //; unset NODE_EXTRA_CA_CERTS; exec node \"$0\" \"$@\"",
].join('\n');

const entries = [
  { entryPoints: ['cli/main.ts'], outfile: 'dist/nsp.js', banner: { js: NSP_LAUNCHER } },
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
