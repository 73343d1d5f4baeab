// Production builds the lexer and parser with Chevrotain's definition checks skipped (they cost
// start-up time and the definition is fixed). This test builds them with every check on and with
// `ensureOptimizations`, so a token or mode change that Chevrotain would reject, or that silently
// drops a mode out of the first-character optimisation (a custom pattern without
// start_chars_hint), fails here instead of making every parse slower.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { strict as assert } from 'node:assert';
import { createProbesLexer } from '../../grammar/tokens';
import { ProbesParser } from '../../grammar/parser';

describe('grammar: Chevrotain definition', () => {
  it('the lexer passes every definition check and every mode keeps the first-character optimisation', () => {
    const lexer = createProbesLexer({ validate: true });
    assert.deepEqual(lexer.lexerDefinitionErrors, []);
    const modes = (lexer as unknown as { canModeBeOptimized: Record<string, boolean> }).canModeBeOptimized;
    assert.deepEqual(Object.keys(modes).sort(), ['root']);
    for (const [mode, optimised] of Object.entries(modes)) assert.equal(optimised, true, mode);
  });

  it('the parser passes Chevrotain grammar validation (performSelfAnalysis with checks on)', () => {
    assert.doesNotThrow(() => new ProbesParser({ validate: true }));
  });

  it('the validated and the production lexer read the corpus into the same tokens', () => {
    const text = readFileSync(join(__dirname, '../../../shared/corpus/nmap-service-probes'), 'utf8');
    const summary = (r: ReturnType<ReturnType<typeof createProbesLexer>['tokenize']>): string[] =>
      r.tokens.map((t) => `${t.tokenType.name}@${t.startOffset}+${t.image.length}`);
    const a = createProbesLexer({ validate: true }).tokenize(text);
    const b = createProbesLexer().tokenize(text);
    assert.deepEqual(a.errors, []);
    assert.ok(a.tokens.length > 5000);
    assert.deepEqual(summary(a), summary(b));
  });
});
