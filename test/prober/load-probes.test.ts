// The staged load: the NULL probe's block may stand in for the file only when it is the first
// probe and no Exclude line comes after it; the live scan then reads the rest only if needed.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { stagedProbes } from '../../prober/load-probes';

const NULL_FIRST = 'Exclude T:9100\nProbe TCP NULL q||\nmatch a m|^a|\nProbe TCP B q|b|\nmatch b m|^b|\n';

describe('prober staged probes load', () => {
  it('uses the head when NULL is the first probe, with its Exclude and line numbers', () => {
    const s = stagedProbes(NULL_FIRST);
    assert.ok(s.head);
    assert.equal(s.head.db.nullProbe?.matches[0].line, 3);
    assert.equal(s.head.db.probes.length, 0);
    assert.ok(s.head.db.excludeTcp.has(9100));
    assert.equal(s.full().db.probes[0].name, 'B');
  });

  it('does not use a head when an Exclude follows the NULL block, or NULL is not first', () => {
    assert.equal(stagedProbes('Probe TCP NULL q||\nProbe TCP B q|b|\nExclude 1\n').head, undefined);
    assert.equal(stagedProbes('Probe TCP B q|b|\nProbe TCP NULL q||\n').head, undefined);
    assert.equal(stagedProbes('Probe TCP NULL q||\nmatch a m|^a|\n').head, undefined);
  });

  it("on the real corpus the head is the NULL probe's block and agrees with the full load", () => {
    const text = readFileSync('../shared/corpus/nmap-service-probes', 'utf8');
    const s = stagedProbes(text);
    assert.ok(s.head);
    const full = s.full().db.nullProbe!;
    const head = s.head.db.nullProbe!;
    assert.deepEqual(
      head.matches.map((m) => [m.line, m.service, m.pattern]),
      full.matches.map((m) => [m.line, m.service, m.pattern]),
    );
    assert.deepEqual([head.totalwaitms, head.tcpwrappedms], [full.totalwaitms, full.tcpwrappedms]);
  });
});
