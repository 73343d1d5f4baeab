// The sweep's quick compile route (regex/compile.ts compileForRun: fast-validate.ts's verdict, then
// translate-fast.ts) against the full route (parse.ts's tree, unsupported.ts, translate.ts): for
// every pattern the quick route takes, the full parser must accept it with nothing unsupported and
// translate.ts must write exactly the same JavaScript source and group map. Checked on every
// pattern of the three corpus files and on 60,000 seeded mutations of them, and the quick route
// must take most corpus patterns (it is what makes the cold sweep cheap).
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SHARED } from '../../bench/regex-corpus';
import { corpusPatterns, dedupe, mutate } from '../support/pattern-mutations';
import type { Pat } from '../support/pattern-mutations';
import { quickAnalyze } from '../../regex/fast-validate';
import { translateFast } from '../../regex/translate-fast';
import { findUnsupported, translate } from '../../regex/translate';
import { parse } from '../../regex/parse';
import { compileForRun, compile } from '../../regex/compile';

function check(set: Pat[]): { quick: number; taken: number; wrong: string[] } {
  let quick = 0;
  let taken = 0;
  const wrong: string[] = [];
  for (const p of set) {
    const q = quickAnalyze(p.pattern);
    if (!q || q.mayBeUnsupported) continue;
    quick++;
    const f = translateFast(p.pattern, p.caseless, p.dotall, q.groupCount);
    if (!f) continue;
    taken++;
    for (const version of ['10.42', '10.47'] as const) {
      const r = parse(p.pattern, { caseless: p.caseless, dotall: p.dotall, version });
      if (!r.ast) { wrong.push(`${version} refuses ${JSON.stringify(p)}`); continue; }
      if (findUnsupported(r.ast).length) { wrong.push(`${version} unsupported ${JSON.stringify(p)}`); continue; }
      const t = translate(r.ast);
      if (t.source !== f.source || JSON.stringify(t.groupMap) !== JSON.stringify(f.groupMap) || t.groupCount !== f.groupCount) {
        wrong.push(`${version} ${JSON.stringify(p)}\n  full ${t.source} ${JSON.stringify(t.groupMap)}\n  fast ${f.source} ${JSON.stringify(f.groupMap)}`);
      }
    }
  }
  return { quick, taken, wrong };
}

describe('regex translate-fast: the quick route writes what translate.ts writes', function () {
  this.timeout(300_000);
  const pats = dedupe(corpusPatterns());

  it('every corpus pattern it takes: same source and group map in 10.42 and 10.47', () => {
    const r = check(pats);
    assert.deepEqual(r.wrong.slice(0, 5), []);
    // Most of the corpus goes the quick route (measured: 11,551 of 12,344 distinct patterns).
    assert.ok(r.taken > pats.length * 0.9, `${r.taken} of ${pats.length}`);
  });

  it('60,000 seeded mutations: same source and group map wherever it answers', () => {
    const r = check(mutate(pats, 60_000, 7));
    assert.deepEqual(r.wrong.slice(0, 5), []);
    assert.ok(r.taken > 20_000, `${r.taken} taken`);
  });

  it('hand-picked shapes at its edges: answers only where translate.ts agrees', () => {
    const cases: [string, boolean, boolean][] = [
      ['^a++b', false, false], ['^(?>ab|a)c', false, false], ['x{2,}?y{0,1}z{1}', true, false],
      ['[]a-]', false, false], ['[^]\\d-]', true, false], ['[\\x41-\\x5a]', true, false], ['[--z]', false, false],
      ['a{', false, false], ['a{x}', false, false], ['a{,3}', false, false], ['a{ 3}', false, false], ['\\{1}', false, false],
      ['.\\N$\\Z\\z\\A\\G\\b\\B', true, true], ['\\0\\00\\x4\\x41\\e\\a\\f', true, false], ['(?=a)b(?!c)', false, false],
      ['(a)?(b|c)(?:d)', false, false], ['\\sA\\S\\h\\H\\v\\V\\w\\W\\d\\D', true, false], ['\\é[\\é]', false, false],
      ['[.\\w-]+', false, false], ['[=a]b', true, false], ['[:a]', false, false], ['BODY { color:#fff }', true, false],
      ['a{,b', false, false], ['a{ , x}', false, false], ['{ a', false, false], ['a{ }', false, true],
    ];
    const r = check(cases.map(([pattern, caseless, dotall]) => ({ pattern, caseless, dotall })));
    assert.deepEqual(r.wrong, []);
    assert.ok(r.taken >= 20, `${r.taken} taken`);
  });

  it('compileForRun runs like compile: every corpus pattern on the anchor samples (captures included)', () => {
    const dir = join(SHARED, 'anchors', 'samples');
    const subjects = readdirSync(dir).filter((f) => f.endsWith('.bin')).map((f) => readFileSync(join(dir, f), 'latin1'));
    let matched = 0;
    for (const p of pats) {
      const a = compileForRun(p.pattern, p);
      const b = compile(p.pattern, p);
      assert.equal('exec' in a, 'exec' in b, p.pattern);
      if (!('exec' in a) || !('exec' in b)) continue;
      for (const s of subjects) {
        const x = a.exec(s);
        assert.deepEqual(x, b.exec(s), `${p.pattern} on ${JSON.stringify(s)}`);
        if (x.kind === 'match') matched++;
      }
    }
    assert.ok(matched >= 10, `${matched} matches`);
  });
});
