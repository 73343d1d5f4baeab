// Every case of ../shared/regex-oracle (recorded by real PCRE2 10.42 and 10.47 with nmap's
// options): our compile verdict, error code, offset and message must agree exactly.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../../regex/index';

const DIR = join(__dirname, '../../../shared/regex-oracle');
const lines = readFileSync(join(DIR, 'edge-cases.tsv'), 'latin1').split('\n').filter((l) => l.length > 0);

for (const version of ['10.42', '10.47'] as const) {
  describe(`regex oracle: compile side vs recorded PCRE2 ${version}`, () => {
    const recorded = readFileSync(join(DIR, `edge-cases.pcre2-${version}.jsonl`), 'utf8').split('\n').filter(Boolean)
      .map((l) => JSON.parse(l) as { n: number; compiled: boolean; errorCode?: number; errorOffset?: number; errorMessage?: string });
    it('has one recorded verdict per case', () => assert.equal(recorded.length, lines.length));
    lines.forEach((line, i) => {
      const [flags, pattern] = line.split('\t');
      const want = recorded[i];
      it(`#${i + 1} ${flags} ${pattern}`, () => {
        const r = analyze(pattern, { caseless: flags.includes('i'), dotall: flags.includes('s'), version });
        const got = r.ok ? { compiled: true } : { compiled: false, errorCode: r.code, errorOffset: r.offset, errorMessage: r.message };
        const exp = want.compiled ? { compiled: true } :
          { compiled: false, errorCode: want.errorCode, errorOffset: want.errorOffset, errorMessage: want.errorMessage };
        assert.deepEqual(got, exp);
      });
    });
  });
}
