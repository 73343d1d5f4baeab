// The capture format: fixtures made from real fingerprints with the latest nmap's verdicts,
// round trips, and diagnostics with spans.

import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { captureFromFingerprint, parseCaptures, writeCaptures, type CaptureCase } from '../../engine/capture';
import { parseFingerprints } from '../../engine/fingerprint';

const FIX = resolve(__dirname, '../fixtures/captures');
const SHARED = resolve(__dirname, '../../../shared/fingerprints');
const fixtures = readdirSync(FIX).filter((f) => f.endsWith('.captures'));
const strip = (cases: CaptureCase[]) => cases.map(({ span: _a, nameSpan: _b, expectSpans: _c, responses, ...c }) => ({ ...c, responses: responses.map(({ span: _d, ...r }) => r) }));

describe('engine/capture', () => {
  it('fixtures parse cleanly; responses are their fingerprints\' and expectations the oracle\'s', () => {
    const oracle = readFileSync(join(SHARED, 'ORACLE-nmap-latest.tsv'), 'utf8').trimEnd().split('\n');
    const head = oracle[0].split('\t');
    const rows = new Map(oracle.slice(1).map((l) => { const c = l.split('\t'); return [c[0], Object.fromEntries(head.map((h, i) => [h, c[i] ?? '']))]; }));
    let n = 0;
    for (const f of fixtures) {
      const text = readFileSync(join(FIX, f), 'latin1');
      const { cases, diagnostics } = parseCaptures(text);
      assert.deepEqual(diagnostics, [], f);
      const sources = /^# Generated from \.\.\/shared\/fingerprints \(([^)]*)\)/m.exec(text)![1].split(', ');
      assert.equal(cases.length, sources.length, f);
      cases.forEach((c, i) => {
        const fp = parseFingerprints(readFileSync(join(SHARED, sources[i]), 'latin1')).fingerprints[0];
        assert.deepEqual(strip([c])[0].responses, strip([captureFromFingerprint(fp)])[0].responses, c.name);
        assert.equal(c.tls, fp.tunnel === 'ssl');
        const r = rows.get(sources[i])!;
        assert.equal(c.expect.service, r.method === 'probed' ? r.name : null, c.name);
        assert.equal(c.expect.product ?? '', r.product, c.name);
        assert.equal(c.expect.version ?? '', r.version, c.name);
        assert.equal(c.expect.info ?? '', r.extrainfo, c.name);
        assert.equal((c.expect.cpe ?? []).join(' '), r.cpe, c.name);
        n++;
      });
    }
    assert.ok(n >= 7);
  });

  it('parse(write(cases)) gives the cases back, for every real fingerprint', () => {
    const cases = readdirSync(SHARED).filter((f) => f.endsWith('.sf')).map((f) =>
      captureFromFingerprint(parseFingerprints(readFileSync(join(SHARED, f), 'latin1')).fingerprints[0], f));
    const back = parseCaptures(writeCaptures(cases));
    assert.deepEqual(back.diagnostics, []);
    assert.deepEqual(strip(back.cases), strip(cases));
  });

  it('reads hex responses, quoted values, no-match and repeated response lines', () => {
    const text = 'case a\nport 7/udp\ntls no\nintensity 9\nresponse X hex:00ff41\nresponse X "\\r\\n"\nexpect no-match\n' +
      'case b\nport 443/tcp\ntls yes\nresponse GetRequest "é"\nexpect product "  two  spaces "\nexpect cpe cpe:/a:x:y cpe:/o:z:w\nexpect soft yes\n';
    const { cases, diagnostics } = parseCaptures(text);
    assert.deepEqual(diagnostics, []);
    assert.deepEqual(strip(cases), [
      { name: 'a', port: 7, protocol: 'UDP', tls: false, intensity: 9, responses: [{ probe: 'X', bytes: '\x00\xffA\r\n' }], expect: { service: null } },
      { name: 'b', port: 443, protocol: 'TCP', tls: true, responses: [{ probe: 'GetRequest', bytes: '\xc3\xa9' }],
        expect: { product: '  two  spaces ', cpe: ['cpe:/a:x:y', 'cpe:/o:z:w'], soft: true } },
    ]);
  });

  it('reports problems at their place and never throws', () => {
    const text = 'port 1/tcp\ncase x\nport 99999/tcp\nresponse NULL hex:abc\nresponse NULL "a\\q"\nfrobnicate\nexpect colour blue\ncase x\nport 1/tcp\nresponse N "x\n';
    const { diagnostics } = parseCaptures(text);
    const at = diagnostics.map((d) => `${d.code} ${text.slice(d.span.start, d.span.end)}`);
    assert.deepEqual(at, [
      'NSP425 port',
      'NSP421 99999/tcp',
      'NSP422 hex:abc',
      'NSP422 \\q',
      'NSP420 frobnicate',
      'NSP421 colour',
      'NSP424 x',
      'NSP423 x',
      'NSP422 x',
    ]);
    for (let cut = 0; cut < text.length; cut += 3) parseCaptures(text.slice(cut) + text.slice(0, cut));
  });
});
