// The sweep: every response of ../shared/fingerprints against every pattern of the latest corpus.
// 1. The indexed sweep (first-byte buckets + literal prefilter + lazy compile) gives exactly the
//    hits of trying every pattern (fullSweep), on every distinct response.
// 2. Its verdicts agree with pcre2test: every candidate pair (match/no-match and all captures), and
//    for the 25 shortest responses every one of the 12,171 patterns, which also checks that the
//    prefilter never rules out a pattern PCRE2 would match.
import { strict as assert } from 'node:assert';
import { corpusPatterns, fingerprintResponses } from '../../bench/regex-corpus';
import { Sweeper } from '../../regex/sweep';
import type { CompiledDetail } from '../../regex/compile';
import { compile } from '../../regex/compile';
import { pcre2Batch } from '../support/pcre2test';
import { BoundedRunner } from '../../cli/commands/regex-bounded';
import { compareOutcome } from './match-subjects';

describe('regex sweep: fingerprint responses against the latest corpus', function () {
  this.timeout(300_000);
  const pats = corpusPatterns();
  const subjects = fingerprintResponses();
  const sweeper = new Sweeper(pats);

  it('reads the fingerprints', () => {
    assert.ok(subjects.length > 300, `${subjects.length} distinct responses`);
  });

  it('the indexed sweep equals the full sweep on every response', () => {
    let hits = 0;
    for (const s of subjects) {
      const a = sweeper.sweep(s);
      const b = sweeper.fullSweep(s);
      assert.deepEqual(a, b, `response ${JSON.stringify(s.slice(0, 60))}`);
      hits += a.length;
    }
    assert.ok(hits > 300, `${hits} hits`);
  });

  it('agrees with pcre2test on every candidate pair and on every pair of the shortest responses', async () => {
    const compiled = pats.map((p) => compile(p.pattern, p) as CompiledDetail);
    const byPattern: string[][] = pats.map(() => []);
    const shortest = [...subjects].sort((a, b) => a.length - b.length).slice(0, 25);
    const exhaustive = new Set(shortest);
    for (const s of subjects) {
      if (exhaustive.has(s)) continue;
      for (const i of sweeper.candidates(s)) byPattern[i].push(s);
    }
    for (const list of byPattern) list.push(...shortest);
    const verdicts = pcre2Batch(pats.map((p, i) => ({ ...p, subjects: byPattern[i] })));
    const runner = new BoundedRunner(2000);
    const bad: string[] = [];
    let pairs = 0;
    let matched = 0;
    try {
      for (let i = 0; i < pats.length; i++) {
        const v = verdicts[i];
        for (let j = 0; j < v.matches.length; j++) {
          pairs++;
          if (v.matches[j].matched) matched++;
          const d = compareOutcome(await runner.exec(compiled[i], byPattern[i][j]), v.matches[j]);
          if (d) bad.push(`line ${pats[i].line}: ${d} on ${JSON.stringify(byPattern[i][j].slice(0, 80))}`);
        }
      }
    } finally {
      await runner.close();
    }
    console.log(`      ${pairs} pairs compared with pcre2test, ${matched} matches`);
    assert.ok(matched > 300);
    assert.deepEqual(bad.slice(0, 20), [], `${bad.length} of ${pairs} disagree`);
  });
});
