// One fixture per NSP2xx/NSP3xx code under test/fixtures/check/: checkDocument() must produce
// exactly the diagnostics written under the lines (see test/support/expect-diagnostics.ts).

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { strict as assert } from 'node:assert';
import { checkDocument } from '../../engine/check/index';
import { DIAGNOSTIC_CODES } from '../../grammar/index';
import { expectDiagnostics } from '../support/expect-diagnostics';

const dir = join(__dirname, '../fixtures/check');
const files = readdirSync(dir).filter((f) => f.endsWith('.probes')).sort();

describe('check fixtures', () => {
  for (const f of files) {
    it(f, () => expectDiagnostics(join(dir, f), (text) => checkDocument(text).diagnostics));
  }

  it('every NSP2xx and NSP3xx code has a fixture that shows it (NSP205 only where the regex layer reports one)', () => {
    const shown = new Set(files.flatMap((f) => [...readFileSync(join(dir, f), 'utf8').matchAll(/\[(NSP[23]\d\d)\]/g)].map((m) => m[1])));
    const missing = Object.keys(DIAGNOSTIC_CODES).filter((c) => /^NSP[23]/.test(c) && c !== 'NSP205' && !shown.has(c));
    assert.deepEqual(missing, []);
  });
});
