// One fixture per NSP1xx code under test/fixtures/grammar/: parse() must produce exactly the
// diagnostics written under the lines (see test/support/expect-diagnostics.ts).

import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { strict as assert } from 'node:assert';
import { parse, DIAGNOSTIC_CODES } from '../../grammar/index';
import { expectDiagnostics } from '../support/expect-diagnostics';
import { readFileSync } from 'node:fs';

const dir = join(__dirname, '../fixtures/grammar');
const files = readdirSync(dir).filter((f) => f.endsWith('.probes')).sort();

describe('grammar fixtures', () => {
  for (const f of files) {
    it(f, () => expectDiagnostics(join(dir, f), (text) => parse(text).diagnostics));
  }

  it('every NSP1xx code but the internal NSP126 has a fixture that shows it', () => {
    const shown = new Set(files.flatMap((f) => [...readFileSync(join(dir, f), 'utf8').matchAll(/\[(NSP1\d\d)\]/g)].map((m) => m[1])));
    const missing = Object.keys(DIAGNOSTIC_CODES).filter((c) => c.startsWith('NSP1') && c !== 'NSP126' && !shown.has(c));
    assert.deepEqual(missing, []);
  });
});
