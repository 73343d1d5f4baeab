// The parser's `mayBeUnsupported` (regex/parse.ts, RegexAst) lets findUnsupported() answer `[]`
// without walking the tree. It is a speed change only, so it must be conservative: whenever it is
// false, the full walk (run here with the flag removed) reports nothing. unsupported.test.ts holds
// findUnsupported() itself to the reference implementation on the same kind of corpus.
import { strict as assert } from 'node:assert';
import { corpusPatterns, dedupe, INSERTS, mutate } from '../support/pattern-mutations';
import { parse } from '../../regex/parse';
import { findUnsupported } from '../../regex/unsupported';

describe('regex parser hint: mayBeUnsupported is false only when findUnsupported() finds nothing', function () {
  this.timeout(300_000);
  const corpus = dedupe(corpusPatterns());
  const pats = dedupe([...corpus, ...mutate(corpus, 20000, 23, INSERTS), ...mutate(corpus, 10000, 29, INSERTS, 5)]);

  it('on every corpus pattern and 30,000 mutations (10.42 and 10.47), and skips the walk for most corpus patterns', () => {
    let skipped = 0;
    let corpusSkipped = 0;
    let trees = 0;
    for (const version of ['10.42', '10.47'] as const) {
      pats.forEach((p, i) => {
        const ast = parse(p.pattern, { caseless: p.caseless, dotall: p.dotall, version }).ast;
        if (!ast) return;
        trees++;
        assert.equal(typeof ast.mayBeUnsupported, 'boolean');
        if (ast.mayBeUnsupported) return;
        skipped++;
        if (i < corpus.length) corpusSkipped++;
        assert.deepEqual(findUnsupported({ ...ast, mayBeUnsupported: undefined }), [], `${version} ${p.pattern}`);
      });
    }
    assert.ok(trees > 40000, `${trees} trees`);
    assert.ok(skipped > 0.9 * trees * 0.5, `${skipped} of ${trees} skipped`);
    assert.ok(corpusSkipped > 0.95 * corpus.length * 2, `${corpusSkipped} of ${corpus.length * 2} corpus trees skipped`);
  });

  it('is true for each construct findUnsupported() reports on', () => {
    const cases = ['(a)\\1', '(?<n>a)\\k<n>', '(a)(?1)', '(?R)', 'a\\Kb', '(*UTF)a', '(*COMMIT)a', 'a(*ACCEPT)',
      '\\X', '(*napla:a)b', '(?*a)b', '(?<*a)b', '(?(1)a|b)(x)', '(?(?=a)a|b)', '(a)+', '(?:(a)|b)*',
      '(x(y)?){2}', '((a))*', '(?|(a)|(b))+'];
    for (const c of cases) {
      const ast = parse(c, { caseless: false, dotall: false }).ast;
      assert.ok(ast, c);
      assert.equal(ast.mayBeUnsupported, true, c);
    }
    for (const c of ['abc', '(a)b*', '(?:ab)+', '(a)?', '(?:a)*(b)', '[a-z]+\\d{2,}', '(*FAIL)|a', 'a(?=(b))c']) {
      assert.equal(parse(c, { caseless: false, dotall: false }).ast?.mayBeUnsupported, false, c);
    }
  });
});
