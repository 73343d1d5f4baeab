// Differential proof of the JS translation against real PCRE2 (Debian's pcre2test, 10.42, nmap's
// options and limits): every pattern of every corpus file against a subject built to match it and
// two near misses; match/no-match and every capture offset must agree, except for patterns the
// translation reports as unsupported (counted; none today).
import { strict as assert } from 'node:assert';
import { compile } from '../../regex/compile';
import type { CompiledDetail } from '../../regex/compile';
import { corpusPatterns } from '../../bench/regex-corpus';
import { pcre2Batch, pcre2Version } from '../support/pcre2test';
import { compareOutcome, generate, mutate, rng } from './match-subjects';
import { BoundedRunner } from '../../cli/commands/regex-bounded';

describe('regex match: corpus patterns vs pcre2test', function () {
  this.timeout(240_000);
  before(function () {
    assert.ok(pcre2Version(), 'pcre2test (Debian package pcre2-utils) must be installed');
  });
  for (const file of ['nmap-service-probes', 'nmap-service-probes-7.93', 'nmap-service-probes-7.90']) {
    it(`${file}: built subjects and near misses agree 100%`, async () => {
      const pats = corpusPatterns(file);
      // The older files repeat most patterns of the latest one; test each distinct pattern once.
      const seen = new Set<string>();
      const cases: { re: CompiledDetail; line: number; pattern: string; caseless: boolean; dotall: boolean; subjects: string[] }[] = [];
      let unsupported = 0;
      for (const p of pats) {
        const key = `${p.caseless}${p.dotall}${p.pattern}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const re = compile(p.pattern, p) as CompiledDetail;
        assert.ok('exec' in re, `line ${p.line} does not compile`);
        if (re.analysis.unsupported.length) { unsupported++; continue; }
        const r = rng(p.line * 7919 + p.pattern.length);
        const good = generate(re.ast, r);
        cases.push({ re, line: p.line, pattern: p.pattern, caseless: p.caseless, dotall: p.dotall, subjects: [good, mutate(good, r), mutate(mutate(good, r), r)] });
      }
      const verdicts = pcre2Batch(cases);
      const bad: string[] = [];
      let pairs = 0;
      let matched = 0;
      let limits = 0;
      // Risky patterns (nested unbounded repetition) run in a worker with a time limit, as the CLI does.
      const runner = new BoundedRunner(2000);
      try {
        for (let k = 0; k < verdicts.length; k++) {
          const v = verdicts[k];
          const c = cases[k];
          assert.ok(v.compiled, `pcre2 refuses line ${c.line}`);
          for (let j = 0; j < v.matches.length; j++) {
            const m = v.matches[j];
            pairs++;
            if (m.matched) matched++;
            const ours = await runner.exec(c.re, c.subjects[j]);
            if (ours.kind === 'limit' || m.limit) limits++;
            const d = compareOutcome(ours, m);
            if (d) bad.push(`line ${c.line} m|${c.pattern}| subject ${JSON.stringify(c.subjects[j])}: ${d}`);
          }
        }
      } finally {
        await runner.close();
      }
      console.log(`      ${file}: ${cases.length} patterns, ${pairs} subjects, ${matched} matched in PCRE2, ${limits} hit a limit (either side), ${unsupported} unsupported`);
      assert.equal(unsupported, 0, 'no corpus pattern is expected to be unsupported');
      assert.ok(matched > pairs / 3, `the generator should build mostly matching subjects (${matched}/${pairs})`);
      assert.deepEqual(bad.slice(0, 20), [], `${bad.length} of ${pairs} disagree`);
    });
  }
});
