// `nsp check` as users and CI run it: the built bundle `node dist/nsp.js` as a real process, with
// real exit codes, real stdin, and no stack traces on stderr.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CORPUS, EXAMPLE, ROOT } from './check-support';
import { sarifProblems } from './check-sarif-schema';

const BUNDLE = join(ROOT, 'dist', 'nsp.js');

/** Newest modification time of the sources the CLI bundle is made of. */
function newestSource(): number {
  let newest = 0;
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts')) newest = Math.max(newest, statSync(p).mtimeMs);
    }
  };
  for (const d of ['cli', 'grammar', 'regex', 'engine', 'service', 'prober']) if (existsSync(join(ROOT, d))) walk(join(ROOT, d));
  return newest;
}

function run(args: string[], input?: string | Buffer) {
  const r = spawnSync(process.execPath, [BUNDLE, ...args], { cwd: ROOT, input, encoding: 'utf8', timeout: 60_000 });
  if (r.error) throw r.error;
  return r;
}

describe('nsp check as a process (dist/nsp.js)', function () {
  this.timeout(120_000);
  let tmp = '';

  before(() => {
    // `npm test` builds first; a direct mocha run rebuilds when the bundle is missing or stale.
    if (!existsSync(BUNDLE) || statSync(BUNDLE).mtimeMs < newestSource()) {
      const b = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
      assert.equal(b.status, 0, b.stderr);
    }
    tmp = mkdtempSync(join(tmpdir(), 'nsp-check-proc-'));
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('exit 0 and a summary on the corpus file', () => {
    const r = run(['check', CORPUS]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^1 file checked: 0 errors/m);
    assert.equal(r.stderr, '');
  });

  it('runs as a program through its shell launcher, which drops NODE_EXTRA_CA_CERTS, with arguments, stdin and exit status intact', () => {
    // Node reads NODE_EXTRA_CA_CERTS at start-up and warns when the file is missing: the warning
    // shows that `node dist/nsp.js` loaded it and that the launcher did not.
    const env = { ...process.env, NODE_EXTRA_CA_CERTS: join(tmp, 'no-such-ca.pem') };
    const viaNode = spawnSync(process.execPath, [BUNDLE, '--version'], { env, encoding: 'utf8', timeout: 60_000 });
    assert.match(viaNode.stderr, /extra certs/);
    const direct = spawnSync(BUNDLE, ['check', '--format', 'json', '--stdin-filename', 'a file with spaces', '-'], { env, input: readFileSync(EXAMPLE), encoding: 'utf8', timeout: 60_000 });
    assert.equal(direct.stderr, '');
    assert.equal(direct.status, 1);
    assert.equal(JSON.parse(direct.stdout).files[0].path, 'a file with spaces');
    const usage = spawnSync(BUNDLE, ['check', '--no-such-option'], { env, encoding: 'utf8', timeout: 60_000 });
    assert.equal(usage.status, 2);
  });

  it('exit 1 with file:line:col diagnostics on the example', () => {
    const r = run(['check', 'examples/nmap-service-probes.example']);
    assert.equal(r.status, 1);
    assert.match(r.stdout, /^examples\/nmap-service-probes\.example:\d+:\d+: error NSP\d{3} /m);
    assert.equal(r.stderr, '');
  });

  it('reads standard input', () => {
    const r = run(['check', '--format', 'json', '-'], readFileSync(EXAMPLE));
    assert.equal(r.status, 1);
    const out = JSON.parse(r.stdout);
    assert.equal(out.files[0].path, '<stdin>');
    assert.ok(out.files[0].diagnostics.length > 0);
  });

  it('every format prints and exits 1 on the example', () => {
    for (const format of ['text', 'json', 'sarif', 'github']) {
      const r = run(['check', '--format', format, EXAMPLE]);
      assert.equal(r.status, 1, `${format}: ${r.stderr}`);
      if (format === 'sarif') assert.deepEqual(sarifProblems(JSON.parse(r.stdout)), []);
      if (format === 'json') assert.ok(JSON.parse(r.stdout).files);
      if (format === 'github') assert.match(r.stdout, /^::error file=/m);
    }
  });

  it('exit 2 without a stack trace for a missing file, an unreadable file, and bad usage', () => {
    const cases: [string[], RegExp][] = [
      [['check', join(tmp, 'missing')], /cannot read '.*missing': no such file or directory/],
      [['check', '--format', 'yaml', EXAMPLE], /unknown format 'yaml'/],
      [['check'], /no file given/],
    ];
    // (A file nobody may read is tested in-process: CI runs as root, who can read any file.)
    for (const [args, why] of cases) {
      const r = run(args);
      assert.equal(r.status, 2, args.join(' '));
      assert.match(r.stderr, why);
      assert.doesNotMatch(r.stderr, /\n\s+at /);
    }
  });

  it('writes a megabyte of findings whole through a pipe, and stops quietly when the reader goes away (| head)', () => {
    const many = join(tmp, 'many-findings');
    writeFileSync(many, 'Probe TCP NULL q||\n' + 'match x m|a*|\n'.repeat(5000));
    const whole = spawnSync(process.execPath, [BUNDLE, 'check', '--format', 'json', many], { encoding: 'utf8', timeout: 60_000, maxBuffer: 64 << 20 });
    assert.equal(whole.status, 1);
    assert.ok(whole.stdout.length > 1_000_000);
    assert.equal((JSON.parse(whole.stdout) as { files: { diagnostics: unknown[] }[] }).files[0].diagnostics.length, 5000);
    // The reader closes the pipe after one line: no EPIPE stack trace, the exit status still says "errors".
    const err = join(tmp, 'stderr');
    const r = spawnSync('sh', ['-c', `"$0" "$1" check "$2" 2>"$3" | head -n 1 >/dev/null`, process.execPath, BUNDLE, many, err], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 0);
    assert.equal(readFileSync(err, 'utf8'), '');
    const status = spawnSync('bash', ['-c', `set -o pipefail; "$0" "$1" check "$2" 2>/dev/null | head -n 1 >/dev/null`, process.execPath, BUNDLE, many], { timeout: 60_000 });
    assert.equal(status.status, 1);
  });

  it('--help exits 0', () => {
    const r = run(['check', '--help']);
    assert.equal(r.status, 0);
    assert.match(r.stdout, /usage: nsp check/);
  });
});
