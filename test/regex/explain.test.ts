import { strict as assert } from 'node:assert';
import { explainAt, regexTokens, analyze } from '../../regex/index';

const opts = { caseless: false, dotall: false };

describe('regex explainAt / regexTokens / analyze extras', () => {
  it('decodes escapes and names constructs at a byte offset', () => {
    assert.match(explainAt('^a\\x0d', opts, 3) ?? '', /Literal byte \\x0d/);
    assert.match(explainAt('(?>ab)', opts, 0) ?? '', /Atomic group/);
    assert.match(explainAt('[^\\0]', opts, 1) ?? '', /Any byte not in the set \\x00/);
    assert.match(explainAt('a{2,4}', opts, 2) ?? '', /2 to 4 times/);
    assert.match(explainAt('(?i)ab', opts, 1) ?? '', /Option setting \(\?i\)/);
    assert.match(explainAt('(?i)ab', opts, 4) ?? '', /either case/);
    assert.match(explainAt('a(', opts, 0) ?? '', /missing closing parenthesis/);
  });

  it('tokens cover groups, escapes, classes and quantifiers', () => {
    const t = regexTokens('^(a\\d+)[x]', opts).map((x) => `${x.offset}:${x.length}:${x.kind}`);
    assert.deepEqual(t, ['0:1:anchor', '1:1:group', '2:1:literal', '3:2:escape', '5:1:quantifier', '6:1:group', '7:3:class']);
  });

  it('reports \\0 followed by an octal digit as an octal trap, and counts groups', () => {
    const r = analyze('^\\012(a)(?:b)(?<n>c)', opts);
    assert.ok(r.ok);
    assert.equal(r.groupCount, 2);
    assert.deepEqual(r.octalTraps, [{ offset: 1, length: 4, reads: '\n' }]);
    assert.deepEqual(r.unsupported, []);
  });
});
