// Incremental diagnostics must equal a whole-file check of the same text: edits to the real
// corpus, each compared with engine/check's checkDocument on the edited text.

import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { checkDocument } from '../../engine/check/index';
import type { Diagnostic } from '../../grammar/diagnostic';
import { IncrementalChecker, splitBlocks } from '../../service/incremental';
import { getLanguageService } from '../../service/index';
import { CORPUS } from './check';

const render = (ds: Diagnostic[]) => ds.map((d) => `${d.span.start}-${d.span.end} ${d.code} ${d.message}`);

function replaceLine(text: string, find: (l: string) => boolean, make: (l: string) => string | null, nth = 0): string {
  const lines = text.split('\n');
  const i = lines.map((l, k) => (find(l) ? k : -1)).filter((k) => k >= 0)[nth];
  assert.ok(i !== undefined, 'line to edit exists');
  const r = make(lines[i]);
  if (r === null) lines.splice(i, 1);
  else lines[i] = r;
  return lines.join('\n');
}

describe('incremental diagnostics', function () {
  this.timeout(120000);
  const original = readFileSync(path.join(CORPUS, 'nmap-service-probes'), 'utf8');

  it('cuts the corpus into chunks that cover every character, with a chunk starting at each of its 187 Probe lines', () => {
    const { blocks } = splitBlocks(original);
    assert.equal(blocks.map((b) => b.text).join(''), original);
    assert.equal(blocks.filter((b) => b.text.startsWith('Probe ')).length, 187);
    assert.ok(blocks.length > 300, `${blocks.length} chunks: the big probes are cut too`);
    // Inserting a line changes one chunk only: boundaries are chosen by content, not by count.
    const lines = original.split('\n');
    lines.splice(2000, 0, 'match x m|^inserted|');
    const after = new Set(splitBlocks(lines.join('\n')).blocks.map((b) => b.text));
    assert.ok(blocks.filter((b) => !after.has(b.text)).length <= 1);
  });

  const edits: [string, (t: string) => string][] = [
    ['break a regex in the middle of the file', (t) => replaceLine(t, (l) => l.startsWith('match http '), (l) => l.replace('m|', 'm|(('), 40)],
    ['add a duplicate port (structural line)', (t) => replaceLine(t, (l) => l.startsWith('ports '), (l) => l + ',80', 7)],
    ['rarity out of range (structural line)', (t) => replaceLine(t, (l) => l === 'rarity 8', () => 'rarity 12', 3)],
    ['insert a line near the top (everything below moves)', (t) => replaceLine(t, (l) => l.startsWith('match '), (l) => `${l}\nmatch x m|^\\0001| p/$2/`, 5)],
    ['delete a match line', (t) => replaceLine(t, (l) => l.startsWith('softmatch '), () => null, 10)],
    ['rename a probe (structural line)', (t) => replaceLine(t, (l) => l.startsWith('Probe TCP GetRequest'), (l) => l.replace('GetRequest', 'GetRequestX'))],
  ];

  it('equals a whole-file check after each of a series of edits', () => {
    const checker = new IncrementalChecker((t) => checkDocument(t).diagnostics);
    checker.seed(original, checkDocument(original).diagnostics);
    let text = original;
    let incremental = 0;
    for (const [what, edit] of edits) {
      text = edit(text);
      const full = checkDocument(text).diagnostics;
      const inc = checker.update(text);
      if (inc === undefined) {
        assert.match(what, /structural/, `${what}: only structural lines need a whole-file check`);
        checker.seed(text, full);
        continue;
      }
      assert.ok(checker.lastRechecked <= 2 || what.includes('moves'), `${what}: rechecked ${checker.lastRechecked} blocks`);
      assert.deepEqual(render(inc), render(full), what);
      incremental++;
    }
    assert.equal(incremental, 3, 'the three match-line edits were served incrementally');
  });

  it('the language service serves successive versions incrementally with the same answers', () => {
    const ls = getLanguageService();
    const uri = 'file:///c/nmap-service-probes';
    ls.analyze(uri, 1, original);
    const edited = edits[0][1](original);
    const doc = ls.analyze(uri, 2, edited);
    assert.deepEqual(render(doc.diagnostics), render(checkDocument(edited).diagnostics));
    // The tree is built on first use and is the edited text's.
    assert.equal(doc.parse.file.text, edited);
  });
  it('bounds every chunk, even in a probe of 20,000 look-alike lines (one recheck stays small)', () => {
    const lines = ['Probe TCP NULL q||'];
    for (let i = 0; i < 20000; i++) lines.push(i % 2 ? `match s${i % 97} m|^ab${i}| p/x/` : `softmatch t m|^x${i}|`);
    const same = Array.from({ length: 5000 }, () => 'match same m|^same| p/x/');
    for (const text of [lines.join('\n'), ['Probe TCP NULL q||', ...same].join('\n')]) {
      const { blocks } = splitBlocks(text);
      assert.equal(blocks.map((b) => b.text).join(''), text);
      const largest = Math.max(...blocks.map((b) => b.lineCount));
      assert.ok(largest <= 1000, `largest chunk ${largest} lines`);
    }
  });

  it('equals a whole-file check after random edits of a file whose messages name line numbers', () => {
    // NSP302 (second ports line) and NSP312 (two rarity lines) print a line number, so chunks holding
    // those lines are checked in the skeleton that keeps every line number.
    let seed = 7;
    const rnd = (n: number) => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) % n);
    const lines = ['# header', 'Probe TCP NULL q||', 'ports 21'];
    for (let i = 0; i < 600; i++) {
      if (i === 300) lines.push('ports 80');
      if (i === 450) lines.push('rarity 3', 'rarity 4');
      lines.push(i % 7 === 0 ? `softmatch s${i} m|^s${i}|` : i % 11 === 0 ? '# note' : `match m${i % 13} m|^(x)${i}| p/$${1 + (i % 3)}/`);
    }
    lines.push('Probe TCP Other q|x|', 'rarity 5', 'fallback NULL', 'match o m|^o| p/o/', 'rarity 6');
    let text = lines.join('\n') + '\n';
    const checker = new IncrementalChecker((t) => checkDocument(t).diagnostics);
    checker.seed(text, checkDocument(text).diagnostics);
    for (let step = 0; step < 25; step++) {
      const ls = text.split('\n');
      const candidates = ls.map((l, k) => (/^(match|softmatch) /.test(l) ? k : -1)).filter((k) => k >= 0);
      const at = candidates[rnd(candidates.length)];
      const kind = rnd(3);
      if (kind === 0) ls[at] = ls[at].replace('m|^', 'm|(');
      else if (kind === 1) ls.splice(at, 0, `match new${step} m|^n| p/$2/`);
      else ls.splice(at, 1);
      text = ls.join('\n');
      const inc = checker.update(text);
      assert.ok(inc, `step ${step}: only match lines changed, so the update is incremental`);
      assert.deepEqual(render(inc), render(checkDocument(text).diagnostics), `step ${step}`);
    }
    assert.ok(render(checkDocument(text).diagnostics).some((d) => /NSP302 .*line \d/.test(d)), 'a message names a line');
  });
});
