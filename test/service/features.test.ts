// Service features driven by fixtures under test/fixtures/service: one check helper per feature.

import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { CompletionItem, TextEdit } from 'vscode-languageserver-types';
import { parseNmapServices } from '../../service/index';
import { analyze, CORPUS, expectRendered, loadFixture, type Fixture } from './check';

const services = parseNmapServices(readFileSync(path.join(CORPUS, 'nmap-services'), 'utf8'));

function checkHover(fx: Fixture): void {
  const { ls, doc } = analyze(fx.text, { services });
  for (const c of fx.cursors) {
    const h = ls.doHover(doc, { line: c.line, character: c.character });
    const value = h && typeof h.contents === 'object' && 'value' in h.contents ? h.contents.value : '';
    expectRendered(fx, c, value);
  }
}

function checkCompletion(fx: Fixture): void {
  const { ls, doc } = analyze(fx.text);
  for (const c of fx.cursors) {
    const list = ls.doComplete(doc, { line: c.line, character: c.character });
    // Labels one per line, so `#> $1` cannot be satisfied by `$10` or a documentation string.
    const rendered = '\n' + list.items.map((i: CompletionItem) => i.label).join('\n') + '\n';
    expectRendered(fx, c, rendered, (label) => `\n${label}\n`);
  }
}

function applyEdits(text: string, edits: TextEdit[], doc: ReturnType<typeof analyze>['doc']): string {
  const li = doc.parse.file.lineIndex;
  const spans = edits
    .map((e) => ({ start: li.offsetAt(e.range.start), end: li.offsetAt(e.range.end), text: e.newText }))
    .sort((a, b) => b.start - a.start);
  for (const s of spans) text = text.slice(0, s.start) + s.text + text.slice(s.end);
  return text;
}

function checkCodeActions(fx: Fixture): void {
  const { ls, doc } = analyze(fx.text);
  const diagnostics = ls.doValidation(doc);
  for (const c of fx.cursors) {
    const here = diagnostics.filter((d) => d.range.start.line === c.line);
    const where = `${fx.name}:${c.line + 1}`;
    assert.ok(here.length > 0, `${where}: expected a diagnostic on this line; got none`);
    const range = { start: { line: c.line, character: c.character }, end: { line: c.line, character: c.character } };
    const actions = ls.doCodeActions(doc, range, here);
    assert.ok(actions.length > 0, `${where}: no quick fix for ${here.map((d) => `${d.code} ${d.message}`).join('; ')}`);
    const fix = actions[0];
    const fixed = applyEdits(fx.text, fix.edit?.changes?.[doc.uri] ?? [], doc);
    const fixedLines = fixed.split('\n').filter((l) => !l.startsWith('#'));
    expectRendered(fx, c, fix.title);
    for (const line of c.expect.after) assert.ok(fixedLines.includes(line), `${where}: after "${fix.title}" expected the line ${JSON.stringify(line)}\n--- got:\n${fixedLines.join('\n')}`);
  }
}

describe('service fixtures', () => {
  it('hover', () => checkHover(loadFixture('hover.nsp')));
  it('completion', () => checkCompletion(loadFixture('completion.nsp')));
  it('code actions', () => checkCodeActions(loadFixture('code-actions.nsp')));
});
