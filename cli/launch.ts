// dist/nsp.js: the `nsp` program. It loads the CLI bundle (dist/nsp-cli.js, built from
// cli/main.ts) with a V8 code cache made at build time (esbuild.mjs runs the built-in example
// once with NSP_WRITE_CODE_CACHE=1). The cache holds the bytecode of every function that run
// needed, so a fresh process neither parses the 700 KB bundle nor compiles those functions again:
// about a tenth of a whole `nsp check` of nmap's file.
//
// The cache is only ever a shortcut. It is used when its header holds the SHA-1 of the very bundle
// text being loaded followed by V8's data (V8 itself checks only the text's length, and in a
// release build not the data's checksum); V8 then refuses it on its own when it was made by
// another Node or V8, or with other V8 flags (NODE_OPTIONS). Absent, stale, damaged or refused,
// the bundle is compiled from its text as any module is, with the same behaviour.
// The launcher never writes outside the build (dist/ may be read-only once installed).
//
// It also caps how much bytecode TurboFan inlines into one optimised function (V8's
// --max-inlined-bytecode-size-cumulative, 920 by default, here 300). An `nsp` process lives for a
// fraction of a second and spends most of it in functions V8 optimises while they run: with less
// inlined, each optimising compile ends sooner and takes less of the second core, which the
// collector needs too. Measured on nmap's file, 15 runs each, interleaved: a whole `nsp check` took
// 243 ms instead of 276 (median); 200 and 400 did worse than 300, and a warm check in one process
// is as fast with it as without. Set before the bundle is compiled, so the code cache is made
// (esbuild.mjs runs this launcher) and used under the same flags. V8 also checks Node's own code
// cache against the flags, so the built-in modules loaded after this point (fs/promises, net, os)
// compile from source, a few milliseconds; setting the flag only once the CLI had started (and
// making the cache without it) measured no better: 248 against 239 ms, median of 40 runs.
//
// And it keeps WebAssembly on V8's baseline compiler (--liftoff-only): `nsp check`'s one pass in
// WebAssembly (cli/quick-judge.ts) runs once, and V8's default tiering adds a budget check to every
// loop of the baseline code to decide when to optimise, which made that pass 10.4 ms instead of
// 6.3 (median of 11 fresh processes each).
import { createHash } from 'node:crypto';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Script } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import { wrap } from 'node:module';

const CLI = join(__dirname, 'nsp-cli.js');
const CACHE = `${CLI}.cache`;
/** Header: a tag, the SHA-1 (hex) of the bundle text then V8's data, a newline; then that data. */
const TAG = 'nsp-code-cache-1 ';
const HEADER_LENGTH = TAG.length + 40 + 1;

export type CacheState = 'absent' | 'stale' | 'accepted' | 'rejected';

const digest = (source: string, data: Buffer): string => createHash('sha1').update(source).update(data).digest('hex');

function readCache(source: string): { data?: Buffer; state: CacheState } {
  let file: Buffer;
  try {
    file = readFileSync(CACHE);
  } catch {
    return { state: 'absent' };
  }
  const data = file.subarray(HEADER_LENGTH);
  if (file.length <= HEADER_LENGTH || file.toString('latin1', 0, HEADER_LENGTH) !== `${TAG}${digest(source, data)}\n`) return { state: 'stale' };
  return { data, state: 'accepted' };
}

const LAUNCH_V8_FLAGS = '--max-inlined-bytecode-size-cumulative=300 --liftoff-only';

function launch(): void {
  setFlagsFromString(LAUNCH_V8_FLAGS);
  let source: string;
  try {
    source = readFileSync(CLI, 'utf8');
  } catch (e) {
    process.stderr.write(`nsp: cannot load ${CLI}: ${(e as Error).message} (npm run build makes it)\n`);
    process.exitCode = 2;
    return;
  }
  const writing = process.env.NSP_WRITE_CODE_CACHE === '1';
  const cached = writing ? { state: 'absent' as CacheState } : readCache(source);
  const script = new Script(wrap(source), { filename: CLI, cachedData: cached.data });
  const state: CacheState = cached.data && script.cachedDataRejected ? 'rejected' : cached.state;
  if (process.env.NSP_TRACE_CODE_CACHE === '1') process.stderr.write(`nsp: code cache ${state}\n`);
  if (writing) {
    // After the run, so that the cache holds every function the run compiled.
    // Written whole under another name, then renamed: a reader never sees half a cache. A
    // failure (a read-only dist/) leaves no cache, which only costs start-up time.
    process.once('exit', () => {
      const tmp = `${CACHE}.${process.pid}.tmp`;
      try {
        const data = script.createCachedData();
        writeFileSync(tmp, Buffer.concat([Buffer.from(`${TAG}${digest(source, data)}\n`, 'latin1'), data]));
        renameSync(tmp, CACHE);
      } catch (e) {
        rmSync(tmp, { force: true });
        process.stderr.write(`nsp: no code cache written: ${(e as Error).message}\n`);
      }
    });
  }
  // The bundle runs as this module: its `require.main === module` test holds, and its own
  // __dirname (where it finds dist/check-worker.js) is this one.
  const run = script.runInThisContext() as (exports: unknown, req: NodeRequire, mod: NodeModule, filename: string, dirname: string) => void;
  run.call(module.exports, module.exports, require, module, CLI, __dirname);
}

launch();
