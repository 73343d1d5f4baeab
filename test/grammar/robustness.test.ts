// parse() never throws and stays sane on hostile input: binary junk, a 10 MB line, CRLF line
// ends, a file with no Probe. Every diagnostic must lie inside the text.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { strict as assert } from 'node:assert';
import { parse } from '../../grammar/index';
import { checkDocument } from '../../engine/check/index';
import type { Diagnostic } from '../../grammar/diagnostic';

function sane(text: string, diagnostics: Diagnostic[]): void {
  for (const d of diagnostics) {
    assert.ok(d.span.start >= 0 && d.span.start <= d.span.end && d.span.end <= text.length + 1, `${d.code} span ${d.span.start}-${d.span.end}`);
    assert.match(d.code, /^NSP[123]\d\d$/);
    assert.notEqual(d.code, 'NSP126', d.message);
  }
}

/** A small deterministic generator, so a failure can be replayed. */
function junk(seed: number, length: number): string {
  let x = seed;
  let s = '';
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    s += String.fromCharCode((x >>> 16) & 0xff);
  }
  return s;
}

describe('grammar robustness', function () {
  this.timeout(60000);

  it('binary junk: no throw, diagnostics inside the text', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const text = junk(seed, 5000);
      sane(text, checkDocument(text).diagnostics);
    }
  });

  it('binary junk spliced into real lines', () => {
    const lines = readFileSync(join(__dirname, '../../../shared/corpus/nmap-service-probes'), 'utf8').split('\n').slice(0, 400);
    for (let seed = 1; seed <= 10; seed++) {
      const text = lines.map((l, i) => (i % 7 === seed % 7 ? l.slice(0, 20) + junk(seed * 31 + i, 12) + l.slice(20) : l)).join('\n');
      sane(text, checkDocument(text).diagnostics);
    }
  });

  it('a 10 MB line: one NSP122 on it, no throw', () => {
    const text = 'Probe TCP NULL q||\nmatch x m|' + 'a'.repeat(10 * 1024 * 1024) + '|\n';
    const r = parse(text);
    sane(text, r.diagnostics);
    assert.deepEqual(r.diagnostics.map((d) => d.code), ['NSP122']);
    const c = checkDocument(text);
    assert.deepEqual(c.diagnostics.map((d) => d.code), ['NSP122']);
  });

  it('a huge line of tiny fields or words: nothing reported past nmap\'s 8191-byte buffer but NSP122', () => {
    const lines = [
      'match x m|a| ' + 'p/a/ '.repeat(200000), // NSP314 per repeated field
      'match x m|a| ' + 'zz/a/ '.repeat(200000), // NSP113 per unknown field
      'match x m|a| ' + 'p/é/ '.repeat(200000), // NSP314 again, with two bytes per é
    ];
    for (const line of lines) {
      const text = 'Probe TCP NULL q||\n' + line + '\n';
      const lineStart = text.indexOf('\n') + 1;
      const c = checkDocument(text);
      sane(text, c.diagnostics);
      assert.equal(c.diagnostics.filter((d) => d.code === 'NSP122').length, 1);
      const others = c.diagnostics.filter((d) => d.code !== 'NSP122');
      assert.ok(others.length > 100, `${others.length} diagnostics: the part that fits is still checked`);
      for (const d of others) assert.ok(Buffer.byteLength(text.slice(lineStart, d.span.start)) < 8191, `${d.code} at byte ${Buffer.byteLength(text.slice(lineStart, d.span.start))}`);
    }
    const probe = 'Probe TCP NULL q|| ' + 'a '.repeat(200000) + '\n';
    const p = checkDocument(probe).diagnostics;
    assert.ok(p.length > 100 && p.every((d) => d.code === 'NSP122' || d.span.start < 8191), `${p.length} diagnostics on the Probe line`);
  });

  it('CRLF: nmap reads every line fine except the blank ones, which are "\\r" to it', () => {
    const lf = readFileSync(join(__dirname, '../../../shared/corpus/nmap-service-probes'), 'utf8');
    const text = lf.replace(/\n/g, '\r\n');
    const r = parse(text);
    sane(text, r.diagnostics);
    const lines = lf.split('\n');
    const firstProbe = lines.findIndex((l) => l.startsWith('Probe '));
    const blank = lines.flatMap((l, i) => (l === '' && i < lines.length - 1 ? [i] : []));
    const expected = blank.map((i) => [i, i < firstProbe ? 'NSP102' : 'NSP101']);
    assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error').map((d) => [r.file.lineIndex.lineOf(d.span.start), d.code]), expected);
    assert.equal(r.file.probes.length, (lf.match(/^Probe /gm) ?? []).length);
  });

  it('no Probe at all: comments alone are fine; a match is before the first Probe', () => {
    assert.deepEqual(parse('# only a comment\n\n').diagnostics, []);
    assert.deepEqual(parse('').diagnostics, []);
    const r = parse('# x\nmatch ssh m|^SSH-|\n');
    assert.deepEqual(r.diagnostics.map((d) => d.code), ['NSP102']);
    assert.equal(r.file.probes.length, 0);
  });

  it('decodes probe strings with cstring_unescape and links matches to their probe', () => {
    const r = parse('Probe TCP X q|a\\0\\x41\\r\\n\\\\é|\nmatch x m|^a|\n');
    const p = r.file.probes[0];
    assert.equal(p.directive.payload, 'a\0A\r\n\\\xc3\xa9');
    assert.equal(p.matches[0].probe, p);
    assert.equal(p.matches[0].pattern?.value, '^a');
  });
});
