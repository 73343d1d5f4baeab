// dist/nsp.js, the launcher (cli/launch.ts): it loads the CLI bundle with the V8 code cache the
// build made, and behaves exactly the same when that cache is absent, stale, damaged or refused.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXAMPLE, ROOT } from './check-support';

const DIST = join(ROOT, 'dist');
const FILES = ['nsp.js', 'nsp-cli.js', 'nsp-cli.js.cache', 'check-worker.js', 'quick-judge.wasm'];

/** `node DIR/nsp.js ARGS` with the launcher's trace on: its exit status, output, and what it said of the cache. */
function run(dir: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [join(dir, 'nsp.js'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, NODE_OPTIONS: '', ...env, NSP_TRACE_CODE_CACHE: '1' },
  });
  if (r.error) throw r.error;
  const trace = /^nsp: code cache (\w+)\n/m.exec(r.stderr);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr.replace(/^nsp: code cache \w+\n/m, ''), cache: trace?.[1] };
}

describe('the nsp launcher and its code cache (dist/nsp.js)', function () {
  this.timeout(180_000);
  let tmp = '';
  let copy = '';
  const args = ['check', '--format', 'json', EXAMPLE];
  let reference: ReturnType<typeof run>;

  before(() => {
    // Always built afresh: the cache must be the one this build made for this bundle.
    const b = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    assert.equal(b.status, 0, b.stderr);
    assert.equal(b.stderr, '', 'the build warns when it could not make the cache');
    tmp = mkdtempSync(join(tmpdir(), 'nsp-launch-'));
    copy = join(tmp, 'dist');
    mkdirSync(copy);
    for (const f of FILES) copyFileSync(join(DIST, f), join(copy, f));
    reference = run(DIST, args);
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('the build makes a cache that V8 accepts, and the CLI runs with it', () => {
    assert.ok(existsSync(join(DIST, 'nsp-cli.js.cache')));
    assert.equal(reference.cache, 'accepted');
    assert.equal(reference.status, 1);
    assert.equal(reference.stderr, '');
    assert.ok(JSON.parse(reference.stdout).files[0].diagnostics.length > 5);
    // Also from stdin, another command, and a usage error: exit statuses pass through.
    const version = run(DIST, ['--version']);
    assert.equal(version.status, 0);
    assert.match(version.stdout, /^nsp \d/);
    assert.equal(run(DIST, ['check', '--no-such-option']).status, 2);
  });

  it('a cache refused by V8 (other V8 flags) falls back to compiling the bundle, same output', () => {
    const r = run(copy, args, { NODE_OPTIONS: '--max-semi-space-size=32' });
    assert.equal(r.cache, 'rejected');
    assert.deepEqual({ ...r, cache: '' }, { ...reference, cache: '' });
  });

  it('a cache made for another bundle text, even of the same length, is not used', () => {
    // The same number of characters, one changed inside a comment: V8 alone would take the cache.
    const cli = join(copy, 'nsp-cli.js');
    const text = readFileSync(cli, 'utf8');
    const at = text.indexOf('// cli/main.ts');
    assert.ok(at > 0);
    writeFileSync(cli, `${text.slice(0, at)}// cli/main.tS${text.slice(at + '// cli/main.ts'.length)}`);
    const r = run(copy, args);
    assert.equal(r.cache, 'stale');
    assert.deepEqual({ ...r, cache: '' }, { ...reference, cache: '' });
    copyFileSync(join(DIST, 'nsp-cli.js'), cli);
  });

  it('a damaged cache (one byte of V8 data changed, or cut short) is not used', () => {
    const cache = join(copy, 'nsp-cli.js.cache');
    const good = readFileSync(cache);
    const flipped = Buffer.from(good);
    flipped[flipped.length - 100] ^= 0xff;
    writeFileSync(cache, flipped);
    const r = run(copy, args);
    assert.equal(r.cache, 'stale');
    assert.deepEqual({ ...r, cache: '' }, { ...reference, cache: '' });
    writeFileSync(cache, good.subarray(0, 30));
    assert.equal(run(copy, args).cache, 'stale');
    writeFileSync(cache, good);
    assert.equal(run(copy, args).cache, 'accepted');
  });

  it('no cache at all: the same output, and nothing is written beside the bundle', () => {
    rmSync(join(copy, 'nsp-cli.js.cache'));
    const r = run(copy, args);
    assert.equal(r.cache, 'absent');
    assert.deepEqual({ ...r, cache: '' }, { ...reference, cache: '' });
    assert.equal(existsSync(join(copy, 'nsp-cli.js.cache')), false);
    appendFileSync(join(copy, 'nsp-cli.js'), '\n');
    assert.equal(run(copy, args).cache, 'absent');
  });

  it('without the CLI bundle beside it: one line on stderr and exit status 2, no stack trace', () => {
    rmSync(join(copy, 'nsp-cli.js'));
    const r = run(copy, args);
    assert.equal(r.status, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^nsp: cannot load .*nsp-cli\.js: .*npm run build makes it\)\n$/);
  });
});
