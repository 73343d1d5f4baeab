// The literal-prefix filter must never reject a reply the real regex accepts. Unit cases for the
// constructs that end a prefix, then a differential run: every response of the shared real-world
// fingerprints against every line of the latest corpus's NULL probe (the lines every TCP reply
// meets), filtered versus unfiltered compile, must give the same outcome.
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from '../../grammar/index';
import { buildProbeDb } from '../../engine/probe-db';
import { parseFingerprints } from '../../engine/fingerprint';
import { compile } from '../../regex/compile';
import { literalPrefix, prefixFilteredCompile } from '../../prober/prefix-filter';

describe('prober prefix filter', () => {
  it('reads only the bytes every match must start with', () => {
    const cases: [string, string][] = [
      ['^SSH-2\\.0-OpenSSH_(\\d)', 'SSH-2.0-OpenSSH_'],
      ['^\\x16\\x03[\\x00-\\x03]', '\x16\x03'],
      ['^220 \\r\\n', '220 \r\n'],
      ['^ab?c', 'a'], // b is optional: only "a" is certain
      ['^ab*', 'a'],
      ['^a{2}', ''],
      ['^abc|def', ''], // top-level alternation: "def" may match anywhere
      ['^ab(?:c|d)', 'ab'], // alternation inside a group keeps the anchor
      ['^ab[|]c', 'ab'],
      ['^ab\\|c', 'ab|c'],
      ['^\\QHTTP\\E', ''],
      ['^\\d+', ''],
      ['^\\0a', ''],
      ['HTTP/1', ''],
      ['^(?i)http', ''],
      ['^HTTP\\x{41}', 'HTTP'],
      ['^caf\xc3\xa9', 'caf'],
    ];
    for (const [pattern, prefix] of cases) assert.equal(literalPrefix(pattern), prefix, pattern);
  });

  it('caseless lines compare ASCII letters only without case', () => {
    const re = prefixFilteredCompile(compile)('^hello (\\w+)', { caseless: true, dotall: false });
    assert.ok('exec' in re);
    assert.equal(re.exec('HeLLo World').kind, 'match');
    assert.equal(re.exec('HELLX World').kind, 'nomatch');
  });

  it("agrees with the unfiltered regex on real fingerprints' responses against the NULL probe's lines", function () {
    this.timeout(120_000);
    const dir = '../shared/fingerprints';
    const subjects = new Set<string>();
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.sf'))) {
      for (const fp of parseFingerprints(readFileSync(join(dir, f), 'latin1')).fingerprints) for (const r of fp.responses) subjects.add(r.bytes);
    }
    assert.ok(subjects.size > 300, `only ${subjects.size} responses`);
    const { file } = parse(readFileSync('../shared/corpus/nmap-service-probes', 'utf8'));
    const lines = buildProbeDb(file, { compile }).nullProbe!.matches;
    const filtered = prefixFilteredCompile(compile);
    let checked = 0;
    let skippedByFilter = 0;
    for (const m of lines) {
      const opts = { caseless: m.caseless, dotall: m.dotall };
      const real = compile(m.pattern, opts);
      const fast = filtered(m.pattern, opts);
      if (!('exec' in real) || !('exec' in fast)) continue;
      const prefix = literalPrefix(m.pattern);
      for (const s of subjects) {
        const f = fast.exec(s).kind;
        // Only the filter's "no" can differ from the real regex; its "yes" runs the real regex.
        if (prefix.length >= 2 && f === 'nomatch') {
          skippedByFilter++;
          assert.equal(real.exec(s).kind, 'nomatch', `line ${m.line} /${m.pattern}/ on ${JSON.stringify(s.slice(0, 80))}`);
        }
        checked++;
      }
    }
    assert.ok(skippedByFilter > checked / 2, `the filter decided only ${skippedByFilter} of ${checked}`);
  });
});
