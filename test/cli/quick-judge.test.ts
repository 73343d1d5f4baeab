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
import { parse, type DelimitedField, type MatchFieldHints } from '../../grammar/index';
import { toBinaryString } from '../../grammar/line-index';
import { analyze, type Pcre2Version } from '../../regex/index';
import { quickAnalyze } from '../../regex/fast-validate';
import { corpusPatterns, dedupe, mutate, rng } from '../support/pattern-mutations';
import { checkDocument, JudgedPatterns } from '../../engine/check/index';

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

/** Every match line of a parse, with each field's letters, delimiter and offsets, as one comparable list. */
function matchTree(p: ReturnType<typeof parse>): string[] {
  const field = (f: DelimitedField | undefined): string =>
    f ? `${f.letters}|${f.delimiter}|${f.span.start}|${f.valueStart}|${f.valueEnd}|${f.span.end}|${f.closed}|${f.flags}` : '-';
  return p.file.directives.map((d) =>
    d.kind === 'match' || d.kind === 'softmatch'
      ? `${d.line} ${d.kind} ${JSON.stringify(d.service)} ${field(d.pattern)} ${d.caseless}${d.dotall} ${d.versionInfo.map((v) => `${v.name ?? '?'}=${field(v.field)}`).join(' ')}`
      : `${d.line} ${d.kind}`,
  );
}

/**
 * The pass's fields of each match line it describes, beside the fields the grammar's own scan
 * finds there (start, delimiter, closing delimiter, end); returns how many lines were described.
 */
function sameFields(text: string, hints: MatchFieldHints): number {
  const scanned = new Map<number, number[]>();
  for (const d of parse(text).file.directives) {
    if ((d.kind !== 'match' && d.kind !== 'softmatch') || !d.pattern) continue;
    const fields = [d.pattern, ...d.versionInfo.map((v) => v.field)];
    scanned.set(d.span.start, fields.flatMap((f) => [f.span.start, f.valueStart - 1, f.valueEnd, f.span.end]));
  }
  let described = 0;
  hints.lineStarts.forEach((start, k) => {
    const n = hints.counts[k];
    if (n <= 0) return;
    described++;
    assert.deepEqual([...hints.fields.subarray(4 * hints.first[k], 4 * (hints.first[k] + n))], scanned.get(start), `line at ${start}`);
  });
  return described;
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
    // Its fields are the grammar's, in UTF-16 offsets, on the non-ASCII lines too.
    assert.equal(sameFields(text, quick.fields), 4);
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

  it('builds the same tree from its fields as the grammar\'s own scan, and marks a line\'s version fields clean only where the semantic checks find nothing: corpus and 3 × 4,000 mutated lines', () => {
    // Edits aimed at what checkMatch reads: `$` substitutions, group numbers, duplicate and
    // flagged fields, cpe shapes, field syntax, whitespace, NUL and non-ASCII bytes, the service name.
    const edits = ['$', '$0', '$1', '$3', '$9', '$P(1)', '$SUBST(1,"a","b")', '$I(1,">")', ' p/x/', ' v/1/', ' i/$2/', 'i', 'a', 's',
      ' cpe:/a:b:c/', ' cpe:/x:y/', ' cpe:/a:$1/', ' cpe:/a:$4:x/a', ' cpe:/a::/', ' cpe:/a:b c/', ' cpe:/$1:b/', ' cpe|a:b|', ' cpe:/a:b/s',
      '\t', ':', '/', '|', ' ', '\u00e9', '\0', '\r', ' d/$1/a', ' h/h/ h/h/', ' o/\u{1f600}/', ' x/y/', ' pp/q/'];
    const corpus = readFileSync(FILES[0], 'utf8').split('\n');
    const texts = [corpus.join('\n')];
    for (const seed of [1, 2, 3]) {
      const r = rng(seed);
      const lines = corpus.slice();
      let mutated = 0;
      for (let n = 0; n < lines.length && mutated < 4000; n++) {
        const line = lines[n];
        if (!/^(soft)?match /.test(line) || r() < 0.5) continue;
        const m = /^(?:soft)?match \S+ m(.)/.exec(line);
        const close = m ? line.indexOf(m[1], m[0].length) : -1;
        if (close < 0) continue;
        let rest = line.slice(close + 1);
        for (let e = 1 + Math.floor(r() * 2); e > 0; e--) {
          const at = Math.floor(r() * (rest.length + 1));
          rest = r() < 0.2 && rest.length ? rest.slice(0, at) + rest.slice(at + 1) : rest.slice(0, at) + edits[Math.floor(r() * edits.length)] + rest.slice(at);
        }
        lines[n] = line.slice(0, close + 1) + rest;
        // Now and then an empty service name (NSP316, which a clean line still gets).
        if (r() < 0.02) lines[n] = lines[n].replace(/^((?:soft)?match )\S+/, '$1');
        mutated++;
      }
      texts.push(lines.join('\n'));
    }
    const seen = new Set<string>();
    for (const text of texts) {
      const quick = judgeQuickly(Buffer.from(text, 'utf8'), '10.47');
      assert.ok(quick?.patterns.templatesClean);
      const judged = quick.patterns;
      const clean = judged.templatesClean!.reduce((a, b) => a + b, 0);
      assert.ok(clean > 0.5 * judged.starts.length, `only ${clean} clean lines`);
      const hinted = sameFields(text, quick.fields);
      assert.ok(hinted > 0.75 * judged.starts.length, `fields of only ${hinted} lines`);
      // The tree: every match line's fields, built from the pass's offsets or scanned, and the parse's diagnostics.
      const parsed = parse(text);
      const fromHints = parse(text, quick.fields);
      assert.deepEqual(matchTree(fromHints), matchTree(parsed));
      assert.deepEqual(fromHints.diagnostics, parsed.diagnostics);
      const fast = checkDocument(text, { parsed: fromHints, judged: new JudgedPatterns(judged) }).diagnostics;
      const slow = checkDocument(text, { parsed }).diagnostics;
      assert.deepEqual(fast, slow);
      for (const d of slow) seen.add(d.code);
    }
    // The mutations drew every finding the skipped checks can make.
    for (const code of ['NSP203', 'NSP306', 'NSP307', 'NSP314', 'NSP315', 'NSP316']) assert.ok(seen.has(code), `${code} never drawn`);
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
