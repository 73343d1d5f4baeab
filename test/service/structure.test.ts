// Outline, folding, navigation, links, semantic tokens and lenses on a small fixture, and the
// same features on the real corpus file, checked against facts read from the file itself.

import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { SEMANTIC_TOKENS_LEGEND } from '../../service/index';
import { analyze, CORPUS, FIXTURES } from './check';

const fixture = readFileSync(path.join(FIXTURES, 'structure.nsp'), 'utf8');
const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.startsWith(needle));

describe('service structure features', () => {
  const { ls, doc } = analyze(fixture);

  it('outlines probes with their match lines', () => {
    const symbols = ls.findDocumentSymbols(doc);
    assert.deepEqual(
      symbols.map((s) => [s.name, (s.children ?? []).map((c) => `${c.detail} ${c.name}`)]),
      [
        ['Exclude', []],
        ['NULL', ['match ftp', 'softmatch ftp']],
        ['GetRequest', ['match http']],
        ['HTTPOptions', ['match http']],
        ['DNSStatus', ['match dns']],
      ],
    );
  });

  it('folds each probe block and the comment run', () => {
    const folds = ls.getFoldingRanges(doc).map((f) => `${f.startLine}-${f.endLine}${f.kind ? ' ' + f.kind : ''}`);
    assert.deepEqual(folds, ['0-1 comment', '3-6', '8-10', '12-14', '16-18']);
  });

  it('goes from a fallback to its probe, and finds the references of a probe', () => {
    const line = lineOf(fixture, 'fallback GetRequest');
    const defs = ls.findDefinition(doc, { line, character: 12 });
    assert.deepEqual(defs.map((d) => d.range.start), [{ line: lineOf(fixture, 'Probe TCP GetRequest'), character: 10 }]);
    const refs = ls.findReferences(doc, { line: lineOf(fixture, 'Probe TCP GetRequest'), character: 12 }, true);
    // The UDP probe's `fallback GetRequest` names no TCP probe, so it is not a reference.
    assert.deepEqual(refs.map((r) => r.range.start.line), [8, 13]);
  });

  it('finds the references of a service name', () => {
    const refs = ls.findReferences(doc, { line: lineOf(fixture, 'match http m|^HTTP/1\\.1'), character: 7 });
    assert.deepEqual(refs.map((r) => r.range.start.line), [10, 14]);
  });

  it('links cpe fields, except templated ones', () => {
    const links = ls.findDocumentLinks(doc);
    assert.equal(links.length, 1);
    assert.match(links[0].target ?? '', /keyword=cpe%3A%2Fa%3Aacme%3Ahttpd$/);
  });

  it('puts capture and live lenses on match lines and probe lenses on Probe lines', () => {
    const lenses = ls.getCodeLenses(doc);
    const titles = lenses.filter((l) => l.range.start.line === 5).map((l) => l.command?.title);
    assert.deepEqual(titles, ['Test against captures (0)', 'Test live…']);
    assert.deepEqual(lenses.filter((l) => l.range.start.line === 3).map((l) => l.command?.title), ['Run probe against…', 'Version scan…']);
  });

  it('workspace symbols find probes and services', () => {
    const names = ls.findWorkspaceSymbols([doc], 'http').map((s) => s.name);
    assert.deepEqual(names, ['HTTPOptions', 'http']);
  });
});

describe('service on the real corpus', function () {
  this.timeout(60000);
  const text = readFileSync(path.join(CORPUS, 'nmap-service-probes'), 'utf8');
  const { ls, doc } = analyze(text);

  it('outlines 187 probes and 12,171 match/softmatch lines (the figures in shared/README.md)', () => {
    const symbols = ls.findDocumentSymbols(doc).filter((s) => s.name !== 'Exclude');
    assert.equal(symbols.length, 187);
    assert.equal(symbols.reduce((n, s) => n + (s.children?.length ?? 0), 0), 12171);
  });

  it('a fallback leads to the Probe line grep finds', () => {
    const lines = text.split('\n');
    const fb = lines.findIndex((l) => l === 'fallback GetRequest');
    const defs = ls.findDefinition(doc, { line: fb, character: 10 });
    assert.equal(defs.length, 1);
    assert.equal(lines[defs[0].range.start.line], 'Probe TCP GetRequest q|GET / HTTP/1.0\\r\\n\\r\\n|');
  });

  it('semantic tokens are well-formed: sorted, on real match lines, inside the pattern or versioninfo', () => {
    const { data } = ls.getSemanticTokens(doc);
    assert.ok(data.length > 12171 * 5, `only ${data.length / 5} tokens`);
    const lines = text.split('\n');
    let line = 0;
    let char = 0;
    for (let i = 0; i < data.length; i += 5) {
      line += data[i];
      char = data[i] === 0 ? char + data[i + 1] : data[i + 1];
      assert.ok(data[i + 2] > 0 && data[i + 3] < SEMANTIC_TOKENS_LEGEND.tokenTypes.length);
      assert.match(lines[line], /^(soft)?match /);
      assert.ok(char + data[i + 2] <= lines[line].length, `token past the end of line ${line + 1}`);
    }
  });

  it('lenses: two per Probe line and two per match line', () => {
    assert.equal(ls.getCodeLenses(doc).length, 2 * 187 + 2 * 12171);
  });
});
