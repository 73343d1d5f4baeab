// One bundle per process: the CLI, the language server, and the VS Code client.
import * as esbuild from 'esbuild';
import { chmodSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  logLevel: 'warning',
  minify: process.argv.includes('--minify'),
};

// dist/nsp.js is both a shell script and the CLI's launcher (cli/launch.ts), which loads the CLI
// bundle dist/nsp-cli.js with the V8 code cache made below. Run as a program, /bin/sh reads line 2
// (to JavaScript a string and a comment): it drops NODE_EXTRA_CA_CERTS and runs node on the same
// file. Node 20 parses every root certificate at start-up when that variable is set (~50 ms of a
// ~80 ms start on machines that set it), and nsp never verifies a certificate: nmap does not, and
// the prober's TLS runs with rejectUnauthorized false. `node dist/nsp.js` (Windows) skips line 2.
const NSP_LAUNCHER = [
  '#!/bin/sh',
  "':' //; unset NODE_EXTRA_CA_CERTS; exec node \"$0\" \"$@\"",
].join('\n');

const entries = [
  { entryPoints: ['cli/launch.ts'], outfile: 'dist/nsp.js', banner: { js: NSP_LAUNCHER } },
  { entryPoints: ['cli/main.ts'], outfile: 'dist/nsp-cli.js' },
  // nsp check's second thread (cli/parallel-analysis.ts finds it beside dist/nsp-cli.js).
  { entryPoints: ['cli/check-worker.ts'], outfile: 'dist/check-worker.js' },
  { entryPoints: ['server/main.ts'], outfile: 'dist/server.js', banner: { js: '#!/usr/bin/env node' } },
  { entryPoints: ['client/extension.ts'], outfile: 'dist/client.js', external: ['vscode'] },
];

const { existsSync } = await import('node:fs');

// nsp check's WebAssembly pass (cli/quick-judge.ts loads dist/quick-judge.wasm beside the CLI
// bundle), compiled from AssemblyScript. SIMD is part of WebAssembly in every Node nsp supports.
// A failure fails the build: without the module the CLI is still right, only slower, but the
// build must not ship that silently.
{
  const asc = (await import('assemblyscript/asc')).default;
  const { error, stderr } = await asc.main([
    'cli/quick-judge/assembly/index.ts', '--outFile', 'dist/quick-judge.wasm',
    '-O3', '--enable', 'simd', '--runtime', 'stub', '--noAssert', '--use', 'abort=',
  ]);
  if (error) {
    console.error(stderr.toString());
    throw error;
  }
}
await Promise.all(
  entries
    .filter((e) => existsSync(e.entryPoints[0]))
    .map((e) => esbuild.build({ ...common, ...e })),
);
for (const f of ['dist/nsp.js', 'dist/server.js']) if (existsSync(f)) chmodSync(f, 0o755);

// The CLI's code cache (cli/launch.ts): the built-in example checked once by the new bundle, with
// the V8 flags a plain `node` has (NODE_OPTIONS could add some, and V8 refuses a cache made under
// other flags). Without it the CLI still works, only a little slower to start: a failure is a
// warning here (the tests run the CLI itself).
const CACHE = 'dist/nsp-cli.js.cache';
rmSync(CACHE, { force: true });
if (existsSync('dist/nsp-cli.js')) {
  const env = { ...process.env, NSP_WRITE_CODE_CACHE: '1' };
  delete env.NODE_OPTIONS;
  const r = spawnSync(process.execPath, ['dist/nsp.js', 'check', 'examples/nmap-service-probes.example'], { env, encoding: 'utf8', timeout: 120_000 });
  if (!existsSync(CACHE)) console.warn(`warning: no code cache for the CLI (exit ${r.status}): ${(r.stderr || r.error?.message || '').trim()}`);
}
