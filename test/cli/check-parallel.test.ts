// `nsp check` judges a large file's patterns on a second thread (cli/parallel-analysis.ts and
// cli/check-worker.ts). The thread may only save time: these tests hold that its line scan finds the
// patterns the grammar finds, at the same places, that the verdicts it sends equal the regex layer's on the main thread,
// and that the built CLI prints exactly the same diagnostics with and without it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CORPUS, ROOT } from './check-support';
import { scanPatterns } from '../../cli/check-worker';
import { PatternJudge } from '../../cli/parallel-analysis';
import { parse } from '../../grammar/index';
import type { MatchDirective } from '../../grammar/ast';
import { toBinaryString } from '../../grammar/line-index';
import { analyze, type AnalyzeResult } from '../../regex/index';

const FILES = ['nmap-service-probes', 'nmap-service-probes-7.93', 'nmap-service-probes-7.90'].map((f) => join(CORPUS, '..', f));
const WORKER = join(ROOT, 'dist', 'check-worker.js');
const BUNDLE = join(ROOT, 'dist', 'nsp.js');

/** The corpus file plus one probe whose patterns draw every regex diagnostic there is. */
function withRegexMistakes(): string {
  return (
    readFileSync(CORPUS, 'utf8') +
    [
      '',
      'Probe TCP ParallelCheck q|x|',
      'rarity 9',
      'match broken m|^(abc| p/unclosed group/',
      'match empty m|^a*$|',
      'match octal m|^\\001\\002\\003\\00ab|',
      'match caseless m|^ABC(\\d+)|i p/x/ v/$2/',
      'softmatch dotall m|^xyz.(.)|s',
      'match bad-class m|^[z-a]|',
      'match utf8 m|^caf\u00e9 (\\w+)| p/$1/',
      'match untestable m=^(?:(a)|b)+x= p/$1/',
      '',
    ].join('\n')
  );
}

function grammarPatterns(text: string): string[] {
  const out: string[] = [];
  for (const d of parse(text).file.directives) {
    if ((d.kind === 'match' || d.kind === 'softmatch') && d.pattern?.closed) out.push(`${d.pattern.valueSpan.start}-${d.pattern.valueSpan.end} ${d.caseless ? 'i' : ''}${d.dotall ? 's' : ''} ${toBinaryString(d.pattern.value)}`);
  }
  return out;
}

describe('nsp check: the second thread that judges patterns', function () {
  this.timeout(180_000);

  before(() => {
    if (!existsSync(WORKER) || !existsSync(BUNDLE)) {
      const b = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
      assert.equal(b.status, 0, b.stderr);
    }
  });

  for (const file of FILES) {
    it(`its line scan finds exactly the patterns (bytes, place, flags) the grammar finds in ${file.split('/').pop()}`, () => {
      const text = readFileSync(file, 'utf8');
      const scanned = scanPatterns(text).map((p) => `${p.start}-${p.end} ${p.caseless ? 'i' : ''}${p.dotall ? 's' : ''} ${p.pattern}`);
      const parsed = grammarPatterns(text);
      assert.ok(parsed.length > 10000, `only ${parsed.length} patterns parsed`);
      assert.deepEqual(scanned, parsed);
    });
  }

  it('sends, for every pattern, the verdict analyze() gives on the main thread, at its place in the text, for each of several files in turn', async () => {
    const text = withRegexMistakes();
    const judge = new PatternJudge(WORKER);
    const first = judge.start(readFileSync(FILES[1], 'utf8'), '10.42');
    const second = judge.start(text, '10.47');
    const [older, judged] = [await first.result(), await second.result()];
    judge.close();
    assert.ok(older && judged, 'the worker sent no verdicts');
    assert.equal(older.version, '10.42');
    assert.equal(judged.version, '10.47');
    // Every pattern the grammar finds, asked where the grammar puts it (in file order, as
    // checkPatterns asks), has the verdict analyze() reaches here.
    let checked = 0;
    let notClean = 0;
    for (const d of parse(text).file.directives) {
      if ((d.kind !== 'match' && d.kind !== 'softmatch') || !d.pattern?.closed) continue;
      const f = d.pattern;
      const here = analyze(toBinaryString(f.value), { caseless: d.caseless, dotall: d.dotall, version: '10.47' });
      const there: AnalyzeResult | undefined = judged.verdictAt(f.valueSpan.start, f.valueSpan.end, d.caseless, d.dotall);
      assert.ok(there, `no verdict from the worker for line ${d.line + 1}`);
      assert.deepEqual(there, here, `verdicts differ on line ${d.line + 1}`);
      if (!here.ok || here.matchesEmpty || here.octalTraps.length > 0 || here.unsupported.length > 0) notClean++;
      checked++;
    }
    assert.equal(checked, judged.size);
    assert.ok(checked > 10000);
    assert.ok(notClean >= 4, `only ${notClean} patterns with findings: the mistakes fixture lost its point`);
    // Asked out of order, or about another place or other flags, it still answers right or not at all.
    const m = parse(text).file.directives.filter((d): d is MatchDirective => d.kind === 'match' && !!d.pattern?.closed);
    const last = m[m.length - 1];
    const firstM = m[0];
    assert.ok(judged.verdictAt(last.pattern!.valueSpan.start, last.pattern!.valueSpan.end, last.caseless, last.dotall));
    assert.deepEqual(
      judged.verdictAt(firstM.pattern!.valueSpan.start, firstM.pattern!.valueSpan.end, firstM.caseless, firstM.dotall),
      analyze(toBinaryString(firstM.pattern!.value), { caseless: firstM.caseless, dotall: firstM.dotall, version: '10.47' }),
    );
    assert.equal(judged.verdictAt(firstM.pattern!.valueSpan.start, firstM.pattern!.valueSpan.end, !firstM.caseless, firstM.dotall), undefined);
    assert.equal(judged.verdictAt(firstM.pattern!.valueSpan.start + 1, firstM.pattern!.valueSpan.end, firstM.caseless, firstM.dotall), undefined);
  });

  it('is not started for a small file, and a missing worker bundle only means no verdicts from it', async () => {
    const judge = new PatternJudge(WORKER);
    assert.equal(await judge.start('match x m|a|\n', '10.47').result(), undefined);
    judge.close();
    assert.equal(await new PatternJudge(join(ROOT, 'dist', 'no-such-worker.js')).start(withRegexMistakes(), '10.47').result(), undefined);
  });

  it('the built CLI prints the same diagnostics with and without it (corpus files and a file full of regex mistakes)', () => {
    const tmp = mkdtempSync(join(tmpdir(), 'nsp-parallel-'));
    try {
      const mistakes = join(tmp, 'nmap-service-probes');
      writeFileSync(mistakes, withRegexMistakes());
      for (const version of ['10.47', '10.42']) {
        const args = [BUNDLE, 'check', '--format', 'json', '--pcre2-version', version, mistakes, ...FILES];
        const threaded = spawnSync(process.execPath, args, { encoding: 'utf8', timeout: 120_000, env: { ...process.env, NSP_CHECK_THREADS: '2' } });
        const single = spawnSync(process.execPath, args, { encoding: 'utf8', timeout: 120_000, env: { ...process.env, NSP_CHECK_THREADS: '' } });
        assert.equal(threaded.stderr, '');
        assert.equal(threaded.status, 1);
        assert.equal(single.status, 1);
        assert.equal(threaded.stdout, single.stdout);
        const codes = new Set((JSON.parse(threaded.stdout) as { files: { diagnostics: { code: string }[] }[] }).files[0].diagnostics.map((d) => d.code));
        for (const code of ['NSP201', 'NSP202', 'NSP203', 'NSP204', 'NSP205']) assert.ok(codes.has(code), `${code} missing`);
      }
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
