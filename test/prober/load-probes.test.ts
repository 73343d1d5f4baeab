// The staged load: the NULL probe's block may stand in for the file only when it is the first
// probe and no Exclude line comes after it; the live scan then reads the rest only if needed.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { isExcluded } from '../../engine/probe-db';
import { loadProbes, nullProbeLeads, stagedProbes } from '../../prober/load-probes';

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

  // The early connect's go-ahead, read from the preamble, must say what the whole file says:
  // a TCP scan starts with the NULL probe (nmap's order puts it first when it is the first probe)
  // and the port is outside the Exclude directive nmap honours.
  const fromWholeFile = (text: string, port: number, allPorts: boolean) => {
    const { db } = loadProbes(text);
    const firstProbeLine = Math.min(...db.probes.map((p) => p.line));
    return db.nullProbe !== undefined && db.nullProbe.line < firstProbeLine && (allPorts || !isExcluded(db, port, 'TCP'));
  };

  it('lets the NULL connection open early exactly when the whole file would start with it on that port', () => {
    const variants = [
      NULL_FIRST,
      'Exclude U:9100\nProbe TCP NULL q||\nProbe TCP B q|b|\n',
      'Exclude 9100,T:22-23\nProbe TCP NULL q||\nProbe TCP B q|b|\n',
      '# comment\n\nExclude T:1-9000,U:9100\nProbe TCP NULL q||\nProbe TCP B q|b|\n',
      // nmap honours only an Exclude before the first Probe (the grammar reports the others).
      'Probe TCP NULL q||\nExclude T:9100\nProbe TCP B q|b|\n',
      'Exclude T:22\nExclude T:9100\nProbe TCP NULL q||\nProbe TCP B q|b|\n',
      'Probe TCP B q|b|\nProbe TCP NULL q||\n',
      'Probe UDP B q|b|\nProbe TCP NULL q||\n',
      'Exclude T:9100\r\nProbe TCP NULL q||\r\nProbe TCP B q|b|\r\n',
    ];
    let early = 0;
    for (const text of variants)
      for (const port of [22, 23, 9100, 9101])
        for (const allPorts of [false, true]) {
          const leads = nullProbeLeads(text, port, allPorts);
          assert.equal(leads, fromWholeFile(text, port, allPorts), `${JSON.stringify(text)} port ${port} allports ${allPorts}`);
          if (leads) early++;
        }
    assert.ok(early > 10 && early < variants.length * 8, `both answers occur (${early})`);
    assert.equal(nullProbeLeads('', 22, true), false);
    assert.equal(nullProbeLeads('Exclude T:22\n', 23, false), false);
  });

  it('on the three corpus files: early for port 22, not for the printer ports Exclude lists unless --allports', () => {
    for (const name of ['nmap-service-probes', 'nmap-service-probes-7.93', 'nmap-service-probes-7.90']) {
      const text = readFileSync(`../shared/corpus/${name}`, 'utf8');
      for (const [port, allPorts, expected] of [[22, false, true], [9100, false, false], [9107, false, false], [9108, false, true], [9100, true, true]] as const) {
        assert.equal(nullProbeLeads(text, port, allPorts), expected, `${name} port ${port} allports ${allPorts}`);
        assert.equal(expected, fromWholeFile(text, port, allPorts));
      }
    }
  });
});
