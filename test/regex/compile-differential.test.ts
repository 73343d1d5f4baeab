// Differential test against Debian's pcre2test (PCRE2 10.42): every match/softmatch pattern of
// every probes file in ../shared/corpus, and a seeded mutated corpus built from them, must get the
// same compile verdict (and error code/offset) from our parser as from libpcre2.
import { strict as assert } from 'node:assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze, analyzeFull } from '../../regex/analyze';
import { quickAnalyze } from '../../regex/fast-validate';
// Registers the translator's unsupported-construct hook, which the quick-scan test below relies on.
import '../../regex/compile';
import { pcre2Batch, type Pcre2Case } from '../support/pcre2test';
import { corpusPatterns, dedupe, mutate, type Pat } from '../support/pattern-mutations';

interface Row { pat: Pat; ours: string; theirs: string; verdictAgrees: boolean; offsetAgrees: boolean }

function compare(pats: Pat[]): Row[] {
  const cases: Pcre2Case[] = pats.map((p) => ({ pattern: p.pattern, caseless: p.caseless, dotall: p.dotall }));
  const ref = pcre2Batch(cases, { timeoutMs: 120000 });
  return pats.map((p, i) => {
    const a = analyze(p.pattern, { caseless: p.caseless, dotall: p.dotall, version: '10.42' });
    const t = ref[i];
    const ours = a.ok ? `ok groups=${a.groupCount} empty=${a.matchesEmpty}` : `error ${a.code} at ${a.offset}: ${a.message}`;
    const theirs = t.compiled ? `ok groups=${t.groupCount} empty=${t.matchesEmpty}` : `error ${t.errorCode} at ${t.errorOffset}: ${t.message}`;
    const verdictAgrees = a.ok === t.compiled && (a.ok || a.code === t.errorCode);
    return { pat: p, ours, theirs, verdictAgrees, offsetAgrees: verdictAgrees && ours === theirs };
  });
}

function report(name: string, rows: Row[]): string {
  const bad = rows.filter((r) => !r.offsetAgrees);
  mkdirSync(join(__dirname, '../../test-output'), { recursive: true });
  const file = join(__dirname, '../../test-output', name);
  const esc = (s: string): string => JSON.stringify(s);
  writeFileSync(file, ['flags\tpattern\tours\tpcre2test', ...bad.map((r) =>
    `${r.pat.caseless ? 'i' : ''}${r.pat.dotall ? 's' : ''}\t${esc(r.pat.pattern)}\t${r.ours}\t${r.theirs}`)].join('\n') + '\n', 'latin1');
  return file;
}

describe('regex compile verdicts vs pcre2test 10.42', function () {
  this.timeout(180000);
  const corpus = dedupe(corpusPatterns());

  it('agrees 100% on every corpus pattern (verdict, code, offset, group count, match-empty)', () => {
    assert.ok(corpus.length > 10000, `only ${corpus.length} corpus patterns found`);
    const rows = compare(corpus);
    const file = report('regex-corpus-report.tsv', rows);
    const bad = rows.filter((r) => !r.offsetAgrees);
    console.log(`      corpus: ${rows.length} distinct patterns, ${bad.length} disagreements (${file})`);
    assert.deepEqual(bad.slice(0, 5).map((r) => [r.pat.pattern, r.ours, r.theirs]), []);
  });

  it('agrees on a seeded mutated corpus (verdicts ≥ 99.9%, offsets ≥ 99%)', () => {
    const mutated = dedupe(mutate(corpus, 6000, 20260801));
    const rows = compare(mutated);
    const file = report('regex-mutation-report.tsv', rows);
    const verdict = rows.filter((r) => r.verdictAgrees).length / rows.length;
    const offsets = rows.filter((r) => r.offsetAgrees).length / rows.length;
    const errors = rows.filter((r) => !r.theirs.startsWith('ok')).length;
    console.log(`      mutated: ${rows.length} patterns (${errors} refused by PCRE2); verdicts ${(verdict * 100).toFixed(2)}%, ` +
      `offsets+details ${(offsets * 100).toFixed(2)}% (${file})`);
    assert.ok(rows.length >= 5000);
    assert.ok(verdict >= 0.999, `verdict agreement ${verdict}`);
    assert.ok(offsets >= 0.99, `offset agreement ${offsets}`);
  });

  // analyze() answers most patterns from the validate-only scan (regex/fast-validate.ts) and falls
  // back to the full parser for the rest; the two must give the same analysis on everything the
  // scan accepts, in both versions. Mutations are cheap here (no pcre2test), so use many.
  it('gives the same analysis from the quick scan as from the full parser (corpus + 60,000 mutations, 10.42 and 10.47)', () => {
    const pats = [...corpus, ...dedupe(mutate(corpus, 60000, 7))];
    let quick = 0;
    const bad: string[] = [];
    for (const version of ['10.42', '10.47'] as const) {
      for (const p of pats) {
        const opts = { caseless: p.caseless, dotall: p.dotall, version };
        const q = quickAnalyze(p.pattern);
        if (q === null) continue;
        quick++;
        const full = analyzeFull(p.pattern, opts);
        // With compile.ts loaded the translator's hook is registered: analyze() must give the same
        // `unsupported` list (computed lazily from a tree) as the full path.
        const quickWay = analyze(p.pattern, opts);
        const got = quickWay.ok ? { ok: true, groupCount: q.groupCount, matchesEmpty: q.matchesEmpty, octalTraps: q.octalTraps, unsupported: quickWay.unsupported } : quickWay;
        const want = full.ok ? { ok: true, groupCount: full.groupCount, matchesEmpty: full.matchesEmpty, octalTraps: full.octalTraps, unsupported: full.unsupported } : full;
        if (JSON.stringify(got) !== JSON.stringify(want)) bad.push(`${version} ${JSON.stringify(p.pattern)}: quick ${JSON.stringify(got)} full ${JSON.stringify(want)}`);
      }
    }
    console.log(`      quick scan answered ${quick} of ${pats.length * 2} analyses; ${bad.length} differ from the full parser`);
    assert.ok(quick > corpus.length * 2 * 0.95, `the quick scan answered only ${quick}`);
    assert.deepEqual(bad.slice(0, 5), []);
  });
});

