// `nsp check`'s WebAssembly pass (cli/quick-judge.ts, cli/quick-judge/assembly): it may only save
// time. These tests hold that it finds the patterns the grammar finds, at the same UTF-16 places
// with the same flags (as the second thread's scan does), that every verdict it gives is the regex
// layer's own (valid, that many groups, nothing to report), that it answers exactly as the
// JavaScript quick scan it ports on the corpus and a mutated corpus, and that the built CLI prints
// the same diagnostics with and without it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CORPUS, ROOT } from './check-support';
import { scanPatterns } from '../../cli/check-worker';
import { judgeQuickly, quickGroupsOf, QUICK_JUDGE_PATHS } from '../../cli/quick-judge';
import { parse } from '../../grammar/index';
import { toBinaryString } from '../../grammar/line-index';
import { analyze, type Pcre2Version } from '../../regex/index';
import { quickAnalyze } from '../../regex/fast-validate';
import { corpusPatterns, dedupe, mutate, rng } from '../support/pattern-mutations';
import { JudgedPatterns } from '../../engine/check/index';
import { checkBytes, diagnose } from '../../cli/commands/check';

const FILES = ['nmap-service-probes', 'nmap-service-probes-7.93', 'nmap-service-probes-7.90'].map((f) => join(CORPUS, '..', f));
const WASM = join(ROOT, 'dist', 'quick-judge.wasm');
const BUNDLE_FILES = ['nsp.js', 'nsp-cli.js', 'nsp-cli.js.cache', 'check-worker.js'];

/** quickAnalyze() narrowed to the module's one answer: the group count of a clean verdict, else -1. */
function narrowed(pattern: string): number {
  const q = quickAnalyze(pattern);
  return q && !q.mayBeUnsupported && !q.matchesEmpty && q.octalTraps.length === 0 ? q.groupCount : -1;
}

/** A clean verdict of the regex layer (what JudgedPatterns hands out for a count >= 0), or -1. */
function cleanGroups(pattern: string, caseless: boolean, dotall: boolean, version: Pcre2Version): number {
  const r = analyze(pattern, { caseless, dotall, version });
  return r.ok && !r.matchesEmpty && r.octalTraps.length === 0 && r.unsupported.length === 0 ? r.groupCount : -1;
}

/** The entries of a judgement as "start-end flags verdict" lines, beside scanPatterns() on the text. */
function entries(bytes: Buffer): { wasm: string[]; scanned: string[]; verdicts: number[]; patterns: string[] } {
  const judged = judgeQuickly(bytes, '10.47')?.patterns;
  assert.ok(judged, 'no judgement: is dist/quick-judge.wasm built?');
  const text = bytes.toString('utf8');
  const found = scanPatterns(text);
  const wasm = [...judged.starts].map((s, k) => `${s}-${judged.ends[k]} ${judged.flags[k]}`);
  const scanned = found.map((p) => `${p.start}-${p.end} ${(p.caseless ? 1 : 0) | (p.dotall ? 2 : 0)}`);
  return { wasm, scanned, verdicts: [...judged.groups], patterns: found.map((p) => p.pattern) };
}

/** The numbers of the lines that differ between the text and the pass's text (the lines it made comments). */
function commented(text: string, passed: string): number[] {
  const lines = text.split('\n');
  return passed.split('\n').flatMap((l, n) => (l === lines[n] ? [] : [n]));
}

describe('nsp check: the WebAssembly pass that judges most patterns first', function () {
  this.timeout(300_000);

  before(() => {
    if (!existsSync(WASM) || !existsSync(join(ROOT, 'dist', 'nsp.js'))) {
      const b = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT, encoding: 'utf8', timeout: 180_000 });
      assert.equal(b.status, 0, b.stderr);
    }
  });

  for (const file of FILES) {
    it(`finds every pattern of ${file.split('/').pop()} where the line scan does, and each verdict is the regex layer's`, () => {
      const { wasm, scanned, verdicts, patterns } = entries(readFileSync(file));
      assert.deepEqual(wasm, scanned);
      let judged = 0;
      verdicts.forEach((g, k) => {
        if (g < 0) return;
        judged++;
        for (const version of ['10.42', '10.47'] as const) assert.equal(g, cleanGroups(patterns[k], false, false, version), patterns[k]);
      });
      // The point of the pass: nearly every pattern of nmap's files is answered by it.
      assert.ok(judged > 0.99 * verdicts.length, `only ${judged} of ${verdicts.length} judged`);
    });
  }

  it('answers exactly as the JavaScript quick scan it ports, on every corpus pattern and 30,000 mutations of them', () => {
    const base = dedupe(corpusPatterns());
    // Corners the mutations rarely reach: anchors that match no character, `\Q`/`\E` opening a
    // class, POSIX-like class openers, braces, escapes at the end.
    const corners = ['^\\b', '(?:\\b|a)', '\\Bx|\\A', '[\\Q]\\E]x', '[\\E]x', '[^\\Qa]', '[.a.]', '[.a]x', '[:x]', 'a{2,5,}', 'a{ 2}', 'x{,', 'a\\', '[a', 'a\\c',
      '\\c\x01', '[\\c\x01]', '[\\x4g]', '\\x{41}', '[\\d-z]', '[a-\\d]', '[\\w-.]', '[\\400]', '[\\377]x', '(?=a)x', '(?!a)', '(?>a|b)', '((a)|b)+c', '(a){2}', '(a)?x', '(a)*x'];
    const pats = [...corners.map((pattern) => ({ pattern, caseless: false, dotall: false })), ...base, ...mutate(base, 20000, 0x5eed), ...mutate(base, 10000, 0xbeef, undefined, 4)];
    let clean = 0;
    let differs = 0;
    for (const p of pats) {
      const got = quickGroupsOf(p.pattern);
      const want = narrowed(p.pattern);
      if (got !== want && differs++ < 5) assert.equal(got, want, JSON.stringify(p.pattern));
      if (got !== undefined && got >= 0) {
        clean++;
        assert.equal(got, cleanGroups(p.pattern, p.caseless, p.dotall, '10.47'), JSON.stringify(p.pattern));
      }
    }
    assert.equal(differs, 0);
    assert.ok(clean > 10000, `only ${clean} clean verdicts`);
  });

  it('defers every pattern with something to report, and judges the corners of its subset as PCRE2 does', () => {
    // Each defers: an octal trap, a pattern that can match empty, a back-reference, a capture in a
    // repeated group (JavaScript clears it, PCRE2 keeps it), an error, a version-dependent brace.
    for (const p of ['^\\00a', '^[\\012]', 'a*', '^(?:a|)', '(a)\\1', '^(?:(a)|b)+', '^(a', '^[z-a]', 'a{,3}', '(?<=a)b', '^a{65536}']) {
      assert.equal(quickGroupsOf(p), -1, p);
    }
    const cases: [string, number][] = [['^a', 0], ['^(a)(b(c))', 3], ['^\\0a', 0], ['^[\\w.-]+(x)?', 1], ['^a{2,5}?b', 0], ['(?:a|b(c))', 1], ['^x{ y', 0], ['^\\x41\\cA\\n', 0]];
    for (const [p, g] of cases) {
      assert.equal(quickGroupsOf(p), g, p);
      assert.equal(cleanGroups(p, false, false, '10.47'), g, p);
    }
  });

  it('places patterns in UTF-16 offsets across a byte-order mark, CRLF, tabs, and 2-, 3- and 4-byte characters', () => {
    const text = [
      '\ufeff# caf\u00e9 \u20ac \u{1f600}',
      'Probe TCP NULL q||',
      'match caf\u00e9 m|^caf\u00e9 (\\w+)| p/\u{1f600}/',
      'match x \tm=^\u20ac\u{1f600}(a)=si p/$1/\r',
      'softmatch \u{1f600}  m/^[\u00e9]x/ i/\u20ac/',
      'match bad m\u00e9abc\u00e9',
      'match y m|^\u{1f600}|is',
      'match tail m|^z(1)|',
    ].join('\n');
    const bytes = Buffer.from(text, 'utf8');
    const { wasm, scanned, verdicts } = entries(bytes);
    assert.deepEqual(wasm, scanned.filter((_, k) => k !== 3), 'the non-ASCII delimiter is the one pattern left out');
    assert.deepEqual(verdicts, [1, 1, 0, 0, 1]);
    // The same places the grammar gives, and the verdicts checkDocument would look up there.
    const quick = judgeQuickly(bytes, '10.47')!;
    // The clean lines become comments, the rest of the text unchanged: the café line, the CRLF
    // line with flags s and i, the softmatch named by an emoji, and the y line. Not the line with
    // a non-ASCII delimiter, nor the last one (it ends the file without whitespace after its last
    // field, nmap's "no newline" problem).
    const lines = text.split('\n');
    const blankedLines = commented(text, quick.text);
    assert.deepEqual(blankedLines, [2, 3, 4, 6]);
    for (const n of blankedLines) assert.equal(quick.text.split('\n')[n], '#' + lines[n].slice(1));
    assert.equal(quick.text.length, text.length);
    const judged = new JudgedPatterns(quick.patterns);
    let found = 0;
    for (const d of parse(text).file.directives) {
      if ((d.kind !== 'match' && d.kind !== 'softmatch') || !d.pattern?.closed) continue;
      const v = judged.verdictAt(d.pattern.valueSpan.start, d.pattern.valueSpan.end, d.caseless, d.dotall);
      if (d.pattern.delimiter === '\u00e9') assert.equal(v, undefined);
      else {
        found++;
        assert.deepEqual(v, analyze(toBinaryString(d.pattern.value), { caseless: d.caseless, dotall: d.dotall, version: '10.47' }));
      }
    }
    assert.equal(found, 5);
  });

  it('ends a pattern, a line or the file at any place in a 16-byte block', () => {
    for (let pad = 0; pad < 20; pad++) {
      const text = `${'#'.repeat(pad)}\nmatch a m|${'b'.repeat(pad)}(c)|`;
      const { wasm, scanned, verdicts } = entries(Buffer.from(text));
      assert.deepEqual(wasm, scanned, `pad ${pad}`);
      assert.deepEqual(verdicts, [1]);
      // Whatever the module's memory held before, the bytes past the file read as zeros.
      assert.deepEqual(entries(Buffer.from(`match a m|${'x'.repeat(pad)}`)).wasm, []);
    }
  });

  it('nsp check finds exactly the diagnostics of the file itself: the corpus files, CRLF, matches before the first Probe, and 3 × 4,000 mutated lines', async () => {
    // Edits anywhere on a match line, aimed at what the grammar, the regex checks and checkMatch
    // read: keyword and service, pattern syntax and flags, field syntax, `$` substitutions and
    // group numbers, duplicate and flagged fields, cpe shapes, whitespace, NUL and non-ASCII bytes.
    const edits = ['$', '$0', '$1', '$3', '$9', '$P(1)', '$SUBST(1,"a","b")', '$I(1,">")', ' p/x/', ' v/1/', ' i/$2/', 'i', 'a', 's', 'x',
      ' cpe:/a:b:c/', ' cpe:/x:y/', ' cpe:/a:$1/', ' cpe:/a:$4:x/a', ' cpe:/a::/', ' cpe:/a:b c/', ' cpe:/$1:b/', ' cpe|a:b|', ' cpe:/a:b/s',
      '\t', ':', '/', '|', ' ', '  ', '\u00e9', '\0', '\r', ' d/$1/a', ' h/h/ h/h/', ' o/\u{1f600}/', ' x/y/', ' pp/q/',
      '(', ')', '*', '(a)', '\\1', '\\0', '\\01', '[', '{2}', '(?=', '(?<=a)', 'm', '#'];
    const corpus = readFileSync(FILES[0], 'utf8').split('\n');
    const firstProbe = corpus.findIndex((l) => l.startsWith('Probe '));
    const texts = FILES.map((f) => readFileSync(f, 'utf8'));
    texts.push(corpus.join('\r\n'));
    // Match lines before the first Probe (nmap refuses them), and one very long clean line.
    const early = corpus.filter((l) => l.startsWith('match ')).slice(0, 3);
    texts.push([...corpus.slice(0, firstProbe), ...early, ...corpus.slice(firstProbe), `match long m|^a| p/${'x'.repeat(9000)}/`, ''].join('\n'));
    for (const seed of [1, 2, 3]) {
      const r = rng(seed);
      const lines = corpus.slice();
      let mutated = 0;
      for (let n = 0; n < lines.length && mutated < 4000; n++) {
        let line = lines[n];
        if (!/^(soft)?match /.test(line) || r() < 0.5) continue;
        for (let e = 1 + Math.floor(r() * 2); e > 0; e--) {
          const at = Math.floor(r() * (line.length + 1));
          line = r() < 0.2 && line.length ? line.slice(0, at) + line.slice(at + 1) : line.slice(0, at) + edits[Math.floor(r() * edits.length)] + line.slice(at);
        }
        // Now and then no service name (two spaces after the keyword: NSP316).
        if (r() < 0.02) line = line.replace(/^((?:soft)?match )\S+/, '$1');
        lines[n] = line;
        mutated++;
      }
      texts.push(lines.join('\n'));
    }
    const seen = new Set<string>();
    for (const [n, text] of texts.entries()) {
      const bytes = Buffer.from(text, 'utf8');
      const quick = judgeQuickly(bytes, '10.47');
      assert.ok(quick, `no pass on text ${n}`);
      const matchLines = text.split('\n').filter((l) => /^(soft)?match /.test(l)).length;
      const blanked = commented(text, quick.text).length;
      assert.ok(blanked > 0.5 * matchLines, `text ${n}: only ${blanked} of ${matchLines} match lines need no parse`);
      const fast = await checkBytes(bytes, '10.47');
      const slow = await diagnose(text, '10.47');
      assert.equal(fast.text, quick.text);
      assert.deepEqual(fast.diagnostics, slow.diagnostics, `text ${n}`);
      for (const d of slow.diagnostics) seen.add(d.code);
    }
    assert.ok(commented(texts[0], judgeQuickly(Buffer.from(texts[0]), '10.47')!.text).length > 11000);
    // The texts drew every finding a match line can have.
    const codes = ['NSP102', 'NSP108', 'NSP110', 'NSP111', 'NSP112', 'NSP113', 'NSP114', 'NSP115', 'NSP116', 'NSP122', 'NSP123',
      'NSP201', 'NSP202', 'NSP203', 'NSP204', 'NSP205', 'NSP306', 'NSP307', 'NSP314', 'NSP315', 'NSP316'];
    for (const code of codes) assert.ok(seen.has(code), `${code} never drawn`);
  });

  it('gives no answer for a file that is not UTF-8, or without the module', () => {
    assert.equal(judgeQuickly(Buffer.from([0x6d, 0x61, 0xff, 0x0a]), '10.47'), undefined);
    assert.equal(judgeQuickly(Buffer.from('match a m|b|\n'), '10.47', [join(ROOT, 'dist', 'no-such.wasm')]), undefined);
    assert.ok(QUICK_JUDGE_PATHS.some((p) => existsSync(p)));
  });

  it('the built CLI prints the same diagnostics with and without it (corpus files and a file full of mistakes)', () => {
    const tmp = mkdtempSync(join(tmpdir(), 'nsp-quick-judge-'));
    try {
      const bare = join(tmp, 'bin');
      spawnSync('mkdir', [bare]);
      for (const f of BUNDLE_FILES) if (existsSync(join(ROOT, 'dist', f))) copyFileSync(join(ROOT, 'dist', f), join(bare, f));
      const mistakes = join(tmp, 'nmap-service-probes');
      writeFileSync(mistakes, readFileSync(join(ROOT, 'examples', 'nmap-service-probes.example'), 'utf8') + '\nmatch utf8 m|^caf\u00e9 (\\w+)| p/$2/\nmatch empty m|a*|\n');
      for (const version of ['10.47', '10.42']) {
        const args = ['check', '--format', 'json', '--pcre2-version', version, mistakes, ...FILES];
        const withIt = spawnSync(process.execPath, [join(ROOT, 'dist', 'nsp.js'), ...args], { encoding: 'utf8', timeout: 120_000 });
        const without = spawnSync(process.execPath, [join(bare, 'nsp.js'), ...args], { encoding: 'utf8', timeout: 120_000 });
        assert.equal(withIt.stderr, '');
        assert.equal(withIt.status, 1);
        assert.equal(without.status, 1);
        assert.equal(withIt.stdout, without.stdout);
        const codes = new Set((JSON.parse(withIt.stdout) as { files: { diagnostics: { code: string }[] }[] }).files[0].diagnostics.map((d) => d.code));
        for (const code of ['NSP201', 'NSP202', 'NSP203', 'NSP204']) assert.ok(codes.has(code), `${code} missing`);
      }
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
