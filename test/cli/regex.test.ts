// `nsp regex test`, in-process through main() and as a real process (dist/nsp.js after the build),
// checked against pcre2test for the verdicts and captures.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../cli/main';
import type { CliIo } from '../../cli/io';
import { pcre2Batch } from '../support/pcre2test';

const ROOT = join(__dirname, '..', '..');

async function run(args: string[], stdin = ''): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = {
    stdout: (t) => { out += t; },
    stderr: (t) => { err += t; },
    readFile: async (p) => { if (p === '-') return Buffer.from(stdin); throw new Error(`ENOENT: ${p}`); },
    env: {},
    cwd: ROOT,
  };
  const code = await main(args, io);
  return { code, out, err };
}

describe('cli: nsp regex test', function () {
  this.timeout(60_000);

  it('prints the groups of a match with offsets, exit 0, as pcre2test places them', async () => {
    const r = await run(['regex', 'test', 'm|^SSH-([\\d.]+)-OpenSSH_(\\S+)(x)?|', '--text', 'SSH-2.0-OpenSSH_8.9p1 Ubuntu']);
    const [v] = pcre2Batch([{ pattern: '^SSH-([\\d.]+)-OpenSSH_(\\S+)(x)?', subjects: ['SSH-2.0-OpenSSH_8.9p1 Ubuntu'] }]);
    const c = v.matches[0].captures;
    assert.equal(r.code, 0);
    assert.equal(r.out, `matched (3 groups)\n  $0 [${c[0]![0]},${c[0]![1]}) "SSH-2.0-OpenSSH_8.9p1"\n  $1 [${c[1]![0]},${c[1]![1]}) "2.0"\n  $2 [${c[2]![0]},${c[2]![1]}) "8.9p1"\n  $3 unset\n`);
  });

  it('prints the versioninfo of a whole match line', async () => {
    const r = await run(['regex', 'test', 'match ssh m|^SSH-([\\d.]+)-OpenSSH_(\\S+)| p/OpenSSH/ v/$2/ i/protocol $1/ cpe:/a:openbsd:openssh:$2/', '--hex', '5353482d322e302d4f70656e5353485f392e300d0a']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /product: OpenSSH\n {2}version: 9\.0\r?\n? {0,2}/);
    assert.match(r.out, /info: protocol 2\.0/);
    assert.match(r.out, /cpe: cpe:\/a:openbsd:openssh:9\.0/);
  });

  it('exit 1 on no match and on the match limit; 2 on a refused pattern or bad usage, without a stack trace', async () => {
    assert.equal((await run(['regex', 'test', 'm|^x|', '--text', 'y'])).code, 1);
    const limit = await run(['regex', 'test', 'm|^(a+)+$|', '--text', 'a'.repeat(40) + 'b', '--timeout-ms', '200']);
    assert.equal(limit.code, 1);
    assert.match(limit.out, /match limit exceeded/);
    const bad = await run(['regex', 'test', 'm|(a|', '--text', 'a']);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /error 114 at byte 2: missing closing parenthesis/);
    for (const args of [['regex'], ['regex', 'test', 'm|a|'], ['regex', 'test', 'm|a|', '--hex', 'zz'], ['regex', 'test', 'x', '--text', 'a'], ['regex', 'frob']]) {
      const r = await run(args);
      assert.equal(r.code, 2, args.join(' '));
      assert.doesNotMatch(r.err, /\n\s+at /, 'no stack trace');
    }
    const un = await run(['regex', 'test', 'm|(a)(?1)|', '--text', 'aa']);
    assert.equal(un.code, 2);
    assert.match(un.err, /nmap accepts this; the editor cannot test it/);
  });

  it('--jsonl answers one object per line; captures and offsets agree with pcre2test', async () => {
    const reqs = [
      { pattern: 'm|^(\\d+) (x)?(y)|', subjectHex: Buffer.from('12 y').toString('hex') },
      { pattern: 'm|^a.b|s', subjectHex: '610a62' },
      { pattern: 'm|^a.b|', subjectHex: '610a62' },
      { pattern: 'm|(a|' },
      { pattern: 'm|^HTTP/1\\.[01] (\\d+)|i', subjectHex: Buffer.from('http/1.1 200').toString('hex') },
    ];
    const r = await run(['regex', 'test', '--jsonl'], reqs.map((q) => JSON.stringify(q)).join('\n') + '\n');
    assert.equal(r.code, 0);
    const lines = r.out.trim().split('\n').map((l) => JSON.parse(l));
    const verdicts = pcre2Batch(reqs.map((q) => {
      const d = q.pattern[1];
      const end = q.pattern.indexOf(d, 2);
      const flags = q.pattern.slice(end + 1);
      return { pattern: q.pattern.slice(2, end), caseless: flags.includes('i'), dotall: flags.includes('s'), subjects: q.subjectHex ? [Buffer.from(q.subjectHex, 'hex').toString('latin1')] : [] };
    }));
    verdicts.forEach((v, k) => {
      const got = lines[k];
      if (!v.compiled) {
        assert.deepEqual(got, { ok: false, code: v.errorCode, offset: v.errorOffset, message: v.message });
        return;
      }
      assert.equal(got.ok, true);
      assert.equal(got.groups, v.groupCount);
      assert.equal(got.matchesEmpty, v.matchesEmpty);
      const m = v.matches[0];
      const subject = Buffer.from(reqs[k].subjectHex!, 'hex').toString('latin1');
      assert.equal(got.matched, m.matched);
      assert.deepEqual(got.captures, m.matched ? m.captures.map((c) => (c ? Buffer.from(subject.slice(c[0], c[1]), 'latin1').toString('hex') : null)) : []);
    });
  });

  it('works as a real process (node dist/nsp.js)', function () {
    const build = spawnSync('npm', ['run', 'build'], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    assert.equal(build.status, 0, build.stderr);
    assert.ok(existsSync(join(ROOT, 'dist', 'nsp.js')));
    const ok = spawnSync('node', ['dist/nsp.js', 'regex', 'test', 'm|^220 (\\S+) ESMTP|', '--hex', '3232302066 6f6f2045534d5450'.replace(' ', '')], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stdout, /\$1 \[4,7\) "foo"/);
    const no = spawnSync('node', ['dist/nsp.js', 'regex', 'test', 'm|^x|', '--text', 'y'], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
    assert.equal(no.status, 1);
    const j = spawnSync('node', ['dist/nsp.js', 'regex', 'test', '--jsonl'], { cwd: ROOT, input: '{"pattern":"m|^a(b)|","subjectHex":"6162"}\n', encoding: 'utf8', timeout: 30_000 });
    assert.equal(j.status, 0);
    assert.deepEqual(JSON.parse(j.stdout), { ok: true, groups: 1, matchesEmpty: false, matched: true, captures: ['6162', '62'] });
  });
});
