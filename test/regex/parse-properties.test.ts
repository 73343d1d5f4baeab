// \p / \P property names (get_ucp(): ERR46 malformed, ERR47 unknown) and the order of the checks
// on an escape that ends a class range (ERR50 vs ERR7/ERR71), judged by pcre2test 10.42. 10.47 is
// not installable here: its expectations below follow its source (pcre2_compile.c get_ucp() and
// the class escape switch of parse_regex(), tag pcre2-10.47) and are marked as such.
import { strict as assert } from 'node:assert';
import { analyze } from '../../regex/analyze';
import { pcre2Batch } from '../support/pcre2test';

const CASES = [
  '\\p{L}', '\\pL', '\\pl', '\\p{Foo}', '\\p{{L}', '\\p{ L u }', '\\p{^Lu}', '\\P{^ Lu}', '\\p{ ^Lu}', '\\p{L&}',
  '\\p{Latin}', '\\p{sc:Latin}', '\\p{scx=Grek}', '\\p{sc:L}', '\\p{bc:L}', '\\p{bidiclass:al}', '\\p{xx:L}',
  '\\p{Any}', '\\p{Xan}', '\\p{Xwd}', '\\p{Xsp}', '\\p{Xps}', '\\p{Xuc}', '\\p{Kawi}', '\\p{Garay}', '\\p', '\\p{',
  '\\p{L', '\\p1', '\\p{L\x00}', '\\p{\xe9}', `\\p{${'a'.repeat(49)}}`, `\\p{${'a'.repeat(48)}}`, '[\\p{Foo}]',
  '[a-\\p{L}]', '[a-\\p{Foo}]', '[a-\\N]', '[a-\\k<n>]', '[\\k]', '[a-\\d]', '\\p{Lu}+', '[\\pL-z]', '\\p{L:u}',
  '\\p{Script_Extensions:Latin}', '\\p{ascii}', '\\p{Hex_Digit}', '\\p{Cased}', '\\p{lc}', '\\p{l_}', '\\p{-}',
  '\\p{}', '\\p{^}', 'a\\P{Nd}b',
  // from the seeded mutated corpus: PCRE2 faults the range before it looks at \k (ERR50, not ERR7)
  '^\\n\\nNexia Home Intelligence Bridge Version (\\2[\\w._-]+), \\d+/\\d+/\\d+ \\(Z-Wave ([\\w._-\\k<n>]+)\\)\\r\\n',
  '^\\x01klogind: (All authentication systems disabled; connection refused)\\.\\.\\r\\p{{L}\\n',
];

describe('regex \\p names and class-range escapes vs pcre2test 10.42', function () {
  this.timeout(60000);
  const ref = pcre2Batch(CASES.map((pattern) => ({ pattern })));
  CASES.forEach((pattern, i) => {
    it(JSON.stringify(pattern), () => {
      const a = analyze(pattern, { caseless: false, dotall: false, version: '10.42' });
      const t = ref[i];
      const got = a.ok ? { compiled: true } : { compiled: false, code: a.code, offset: a.offset, message: a.message };
      const want = t.compiled ? { compiled: true } : { compiled: false, code: t.errorCode, offset: t.errorOffset, message: t.message };
      assert.deepEqual(got, want);
    });
  });
});

describe('regex \\p names and class-range escapes in 10.47 (from its source)', () => {
  const v47 = (p: string): string => {
    const a = analyze(p, { caseless: false, dotall: false, version: '10.47' });
    return a.ok ? 'ok' : `${a.code}@${a.offset}`;
  };
  it('knows the Unicode 15/16 scripts 10.42 does not', () => {
    assert.equal(v47('\\p{Kawi}'), 'ok');
    assert.equal(v47('\\p{sc:Garay}'), 'ok');
    assert.equal(v47('\\p{Foo}'), '147@7');
  });
  it('lets "^" follow white space, and calls a byte outside "&"…"z" malformed', () => {
    assert.equal(v47('\\p{ ^Lu}'), 'ok');
    assert.equal(v47('\\p{\xe9}'), '146@4');
  });
  it('reads \\k in a class as "k", and faults a range only after reading the escape', () => {
    assert.equal(v47('[\\k]'), 'ok');
    assert.equal(v47('[a-\\k]'), 'ok');
    assert.equal(v47('[a-\\p{Foo}]'), '147@10');
    assert.equal(v47('[a-\\p{L}]'), '150@8');
    assert.equal(v47('[a-\\N]'), '171@5');
  });
});
