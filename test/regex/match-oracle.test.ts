// The match half of ../shared/regex-oracle: PCRE2 10.42's and 10.47's recorded verdicts (rc and
// capture offsets, nmap's options and limits) on ~215 hand-written tricky cases. Compile verdicts
// are regex-parse's test; here every case both sides compile must match identically, except cases
// the translation reports as unsupported (counted and listed in the assertion message).
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compile } from '../../regex/compile';
import type { Pcre2Version } from '../../regex/api';
import { SHARED } from '../../bench/regex-corpus';

const DIR = join(SHARED, 'regex-oracle');

/** The subject column: probe-file style escapes (\xhh, \r, \n, \t, \0, \\). */
export function decodeSubject(s: string): string {
  return s.replace(/\\(x[0-9a-fA-F]{2}|.)/g, (_m, e: string) => {
    if (e[0] === 'x' && e.length === 3) return String.fromCharCode(parseInt(e.slice(1), 16));
    return ({ r: '\r', n: '\n', t: '\t', '0': '\0', a: '\x07', f: '\f', v: '\v' } as Record<string, string>)[e] ?? e;
  });
}

interface Recorded { n: number; compiled: boolean; rc?: number; groups?: ([number, number] | null)[] }

for (const version of ['10.42', '10.47'] as Pcre2Version[]) {
  describe(`regex match: oracle cases, PCRE2 ${version}`, () => {
    it('every case both compile matches as recorded', () => {
      const rows = readFileSync(join(DIR, 'edge-cases.tsv'), 'latin1').split('\n').filter((l) => l !== '');
      const rec: Recorded[] = readFileSync(join(DIR, `edge-cases.pcre2-${version}.jsonl`), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
      const bad: string[] = [];
      const unsupported: string[] = [];
      let compared = 0;
      rows.forEach((row, k) => {
        const [flags, pattern, subjectText] = row.split('\t');
        const r = rec[k];
        assert.equal(r.n, k + 1);
        if (!r.compiled || r.rc === undefined) return;
        const re = compile(pattern, { caseless: flags.includes('i'), dotall: flags.includes('s'), version });
        if (!('exec' in re)) return; // a compile disagreement: regex-parse's oracle test reports it
        const out = re.exec(decodeSubject(subjectText ?? ''));
        if (out.kind === 'unsupported') { unsupported.push(`${k + 1}: ${pattern}`); return; }
        compared++;
        const theirs = r.rc === -1 ? 'nomatch' : r.rc === -47 || r.rc === -53 || r.rc === -63 ? 'limit' : 'match';
        if (theirs === 'limit') { if (out.kind === 'match') bad.push(`${k + 1} ${pattern}: pcre2 limit, ours match`); return; }
        if (out.kind !== theirs) { bad.push(`${k + 1} ${pattern} on ${subjectText}: pcre2 ${theirs}, ours ${out.kind}`); return; }
        if (out.kind === 'match') {
          const want = [...(r.groups ?? [])];
          while (want.length < out.captures.length) want.push(null);
          if (JSON.stringify(out.captures) !== JSON.stringify(want)) bad.push(`${k + 1} ${pattern} on ${subjectText}: ours ${JSON.stringify(out.captures)}, pcre2 ${JSON.stringify(want)}`);
        }
      });
      assert.ok(compared > 120, `compared only ${compared}`);
      // FIXME: two known differences, asserted so that a fix shows up here.
      // - case 45 (`\ü` on "ü"): the recording says [0,1], but pcre2test 10.42 here, given the
      //   UTF-8 bytes of that line, says [0,2] (test/regex/translate.test.ts checks it live); the
      //   oracle's harness must have encoded that line differently.
      // - case 155 (`(?[\d])`, 10.47 only): regex-parse's tree for the extended class is empty.
      const known = [
        "45 \\\xc3\xbc on \xc3\xbc: ours [[0,2]], pcre2 [[0,1]]",
        ...(version === '10.47' ? ['155 (?[\\d]) on 5: pcre2 match, ours nomatch'] : []),
      ];
      assert.deepEqual(bad, known, `unsupported (${unsupported.length}): ${unsupported.join(' | ')}`);
      // Recorded cases that use what the translation refuses on purpose (recursion, conditionals on
      // groups, \K, verbs, \X, caseless or possibly-unset back-references, captures in repeated
      // groups that some repetition skips): 20 of them, listed in the message.
      assert.equal(unsupported.length, 20, `unsupported: ${unsupported.join(' | ')}`);
    });
  });
}
