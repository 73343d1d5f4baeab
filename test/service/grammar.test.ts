// The TextMate grammar is generated from the vocabulary table: the committed JSON must be what the
// generator writes today, and its top-level rules must claim every line of the real corpus.

import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { GRAMMAR_FILE, grammarText } from '../../syntaxes/generate';
import { DIRECTIVES } from '../../service/vocabulary';
import { CORPUS } from './check';

type Rule = { match?: string; begin?: string; patterns?: Rule[]; include?: string };

describe('TextMate grammar (syntaxes/)', () => {
  const grammar = JSON.parse(readFileSync(GRAMMAR_FILE, 'utf8')) as { patterns: Rule[]; repository: Record<string, Rule> };

  it('is up to date with service/vocabulary.ts (run `npm run build:grammar`)', () => {
    assert.equal(readFileSync(GRAMMAR_FILE, 'utf8'), grammarText());
  });

  it('claims every non-blank line of the corpus with one top-level rule', () => {
    const rules = grammar.patterns.map((p) => grammar.repository[p.include!.slice(1)]).map((r) => new RegExp(r.begin ?? r.match!));
    const lines = readFileSync(path.join(CORPUS, 'nmap-service-probes'), 'utf8').split('\n');
    const unclaimed = lines.filter((l) => l.trim() && !rules.some((re) => re.test(l)));
    assert.deepEqual(unclaimed.slice(0, 5), []);
  });

  it('knows every directive of the vocabulary', () => {
    const rules = grammar.patterns.map((p) => grammar.repository[p.include!.slice(1)]).map((r) => new RegExp(r.begin ?? r.match!));
    for (const d of DIRECTIVES) assert.ok(rules.some((re) => re.test(`${d.keyword} x`)), d.keyword);
  });

  it('colours inside a pattern: a regex rule set with classes, groups and quantifiers', () => {
    const regex = grammar.repository.regex.patterns!;
    const group = new RegExp(regex.find((r) => r.match?.includes('\\(\\?'))!.match!);
    assert.equal(group.exec('(?:abc)')?.[0], '(?:');
    const quant = new RegExp(regex.find((r) => r.match?.includes('quantifier') || r.match?.startsWith('[*+?]'))!.match!);
    assert.equal(quant.exec('a{2,5}?')?.[0], '{2,5}?');
  });
});
