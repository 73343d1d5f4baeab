// Test helpers for the language service: fixtures are probes files with `<|>` cursor markers, and
// each marker's expectations are the `#> ` / `#! ` comment lines right under its line:
//   `#> text`  the rendered answer contains `text`
//   `#! text`  the rendered answer does not contain `text`
//   `#= text`  (code actions) the line reads `text` after applying the first fix
// Because expectation lines start with `#`, a fixture stays a valid probes file.

import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { getLanguageService, type AnalyzedDocument, type LanguageService, type LanguageServiceOptions } from '../../service/index';

export const MARKER = '<|>';
export const FIXTURES = path.join(__dirname, '..', 'fixtures', 'service');
export const CORPUS = path.join(__dirname, '..', '..', '..', 'shared', 'corpus');

export interface Cursor {
  offset: number;
  line: number;
  character: number;
  expect: { contains: string[]; absent: string[]; after: string[] };
}

export interface Fixture {
  name: string;
  text: string;
  cursors: Cursor[];
}

/** Removes every marker; returns the clean text and each marker's position and expectations. */
export function parseFixture(raw: string, name = 'inline'): Fixture {
  const lines = raw.split('\n');
  const cursors: Cursor[] = [];
  const clean: string[] = [];
  let offset = 0;
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i];
    const at = line.indexOf(MARKER);
    if (at !== -1) {
      line = line.slice(0, at) + line.slice(at + MARKER.length);
      assert.equal(line.indexOf(MARKER), -1, `${name}: one marker per line (line ${i + 1})`);
      const expect = { contains: [] as string[], absent: [] as string[], after: [] as string[] };
      for (let j = i + 1; j < lines.length && /^#[>!=] /.test(lines[j]); j++) {
        const body = lines[j].slice(3);
        if (lines[j][1] === '>') expect.contains.push(body);
        else if (lines[j][1] === '!') expect.absent.push(body);
        else expect.after.push(body);
      }
      cursors.push({ offset: offset + at, line: clean.length, character: at, expect });
    }
    clean.push(line);
    offset += line.length + 1;
  }
  return { name, text: clean.join('\n'), cursors };
}

export function loadFixture(file: string): Fixture {
  return parseFixture(readFileSync(path.join(FIXTURES, file), 'utf8'), file);
}

export function analyze(text: string, options: LanguageServiceOptions = {}, uri = 'file:///fixture/nmap-service-probes'): {
  ls: LanguageService;
  doc: AnalyzedDocument;
} {
  const ls = getLanguageService(options);
  return { ls, doc: ls.analyze(uri, 1, text) };
}

/** Checks a rendered answer against one cursor's `#>` and `#!` lines. */
export function expectRendered(fx: Fixture, c: Cursor, rendered: string, wrap: (s: string) => string = (s) => s): void {
  const where = `${fx.name}:${c.line + 1}:${c.character + 1}`;
  assert.ok(c.expect.contains.length + c.expect.absent.length + c.expect.after.length > 0, `${where}: marker without expectations`);
  for (const want of c.expect.contains) assert.ok(rendered.includes(wrap(want)), `${where}: expected to contain ${JSON.stringify(want)}\n--- got:\n${rendered}`);
  for (const not of c.expect.absent) assert.ok(!rendered.includes(wrap(not)), `${where}: expected not to contain ${JSON.stringify(not)}\n--- got:\n${rendered}`);
}
