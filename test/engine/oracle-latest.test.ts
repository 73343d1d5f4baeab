// The engine against the latest nmap's recorded verdicts (../shared/fingerprints/
// ORACLE-nmap-latest.tsv: nmap 7.991SVN at HEAD db4aefd, PCRE2 10.42, `-sV --version-all
// --allports`, each fingerprint replayed on its original port). No nmap run needed: every field,
// the tunnel, and the probe and line that decided must agree.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from '../../grammar';
import { compile } from '../../regex/compile';
import { buildProbeDb, prepareProbeDb } from '../../engine/probe-db';
import type { ProbeDb } from '../../engine/probe-db';
import { detect } from '../../engine/detect';
import { parseFingerprints } from '../../engine/fingerprint';

const SHARED = join(__dirname, '../../../shared');
const rows = readFileSync(join(SHARED, 'fingerprints/ORACLE-nmap-latest.tsv'), 'utf8').trimEnd().split('\n').map((l) => l.split('\t'));
const header = rows.shift()!;
const oracle = rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ''])));

describe('engine agrees with the latest nmap (ORACLE-nmap-latest.tsv)', function () {
  this.timeout(120_000);
  let db: ProbeDb;
  before(() => {
    db = buildProbeDb(parse(readFileSync(join(SHARED, 'corpus/nmap-service-probes'), 'utf8')).file, { compile, pcre2Version: '10.42' });
    prepareProbeDb(db);
  });

  it('covers every fingerprint, TCP and UDP, with and without TLS', () => {
    assert.equal(oracle.length, 163);
    assert.ok(oracle.some((o) => o.proto === 'UDP') && oracle.some((o) => o.tunnel === 'ssl'));
  });

  for (const o of oracle) {
    it(`${o.file} (${o.proto}${o.ssl_fp === 'yes' ? '/ssl' : ''}): ${o.method === 'probed' ? o.name : 'no match'}`, () => {
      const fp = parseFingerprints(readFileSync(join(SHARED, 'fingerprints', o.file), 'latin1')).fingerprints[Number(o.index)];
      const v = detect(db, fp.responses, {
        port: Number(o.scan_port),
        protocol: fp.protocol,
        tunnel: fp.tunnel ?? 'none',
        intensity: 9, // --version-all
        allports: true,
      });
      const want = {
        service: o.method === 'probed' ? o.name : null,
        product: o.product || null,
        version: o.version || null,
        info: o.extrainfo || null,
        hostname: o.hostname || null,
        ostype: o.ostype || null,
        devicetype: o.devicetype || null,
        cpe: o.cpe ? o.cpe.split(' ') : [],
        soft: o.match_kind === 'soft',
        tunnel: o.tunnel || 'none',
        probe: o.match_probe || null,
        fallback: o.match_fallback || null,
        line: o.match_line ? Number(o.match_line) : null,
      };
      const got = {
        service: v.service, product: v.product, version: v.version, info: v.info, hostname: v.hostname,
        ostype: v.ostype, devicetype: v.devicetype, cpe: v.cpe, soft: v.soft, tunnel: v.tunnel,
        probe: v.probe, fallback: v.fallback, line: v.line,
      };
      assert.deepEqual(got, want);
    });
  }
});
