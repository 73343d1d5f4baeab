// Probe order, fallbacks and exclusion, on hand-made files; expectations follow
// ServiceNFO::nextProbe and AllProbes::compileFallbacks in nmap's service_scan.cc.
import { strict as assert } from 'node:assert';
import { probeOrder, udpPayloadProbes } from '../../engine/probe-order';
import { db } from './support/hand-made';

const FILE = db(
  [
    { name: 'NULL' },
    { name: 'A', payload: 'a', ports: [[80, 80]], rarity: 1, matches: [{ service: 'http', pattern: '^HTTP' }] },
    { name: 'B', payload: 'b', rarity: 8, matches: [{ service: 'ftp', pattern: '^220' }] },
    { name: 'C', payload: 'c', sslports: [[443, 443]], rarity: 3, matches: [{ service: 'http', pattern: '^x' }] },
    { name: 'D', payload: 'd', fallback: ['A', 'U1'], matches: [] },
    { name: 'U1', protocol: 'UDP', payload: 'u', ports: [[53, 53]], rarity: 1, matches: [{ service: 'domain', pattern: '^d' }] },
    { name: 'U2', protocol: 'UDP', payload: 'v', ports: [[53, 53]], rarity: 9, noPayload: true, fallback: ['U1'] },
    { name: 'U3', protocol: 'UDP', payload: 'w', rarity: 9 },
  ],
  [
    { protocol: 'T', start: 9100, end: 9101 },
    { start: 9102, end: 9102 },
    { protocol: 'U', start: 7, end: 7 },
  ],
);
const names = (ps: { name: string }[]) => ps.map((p) => p.name);

describe('engine/probe-order', () => {
  it('TCP: NULL first, then probes listing the port, then the rest by rarity', () => {
    assert.deepEqual(names(probeOrder(FILE, { port: 80, protocol: 'TCP', tunnel: 'none', intensity: 7 })), ['NULL', 'A', 'C', 'D']);
    assert.deepEqual(names(probeOrder(FILE, { port: 81, protocol: 'TCP', tunnel: 'none', intensity: 7 })), ['NULL', 'A', 'C', 'D']);
    assert.deepEqual(names(probeOrder(FILE, { port: 81, protocol: 'TCP', tunnel: 'none', intensity: 9 })), ['NULL', 'A', 'B', 'C', 'D']);
    // Intensity 0 still sends the probes that list the port.
    assert.deepEqual(names(probeOrder(FILE, { port: 80, protocol: 'TCP', tunnel: 'none', intensity: 0 })), ['NULL', 'A']);
    assert.deepEqual(names(probeOrder(FILE, { port: 81, protocol: 'TCP', tunnel: 'none', intensity: 2 })), ['NULL', 'A']);
  });

  it('inside TLS the first round uses sslports instead of ports', () => {
    assert.deepEqual(names(probeOrder(FILE, { port: 443, protocol: 'TCP', tunnel: 'ssl', intensity: 2 })), ['NULL', 'C', 'A']);
    assert.deepEqual(names(probeOrder(FILE, { port: 80, protocol: 'TCP', tunnel: 'ssl', intensity: 0 })), ['NULL']);
  });

  it('UDP: no NULL probe, UDP probes only; no-payload does not change the order', () => {
    assert.deepEqual(names(probeOrder(FILE, { port: 53, protocol: 'UDP', tunnel: 'none', intensity: 7 })), ['U1', 'U2']);
    assert.deepEqual(names(probeOrder(FILE, { port: 54, protocol: 'UDP', tunnel: 'none', intensity: 9 })), ['U1', 'U2', 'U3']);
    assert.deepEqual(names(udpPayloadProbes(FILE, 53)), ['U1']);
  });

  it('after a softmatch: only probes that can name the service, without a rarity check, unless intensity 9', () => {
    assert.deepEqual(names(probeOrder(FILE, { port: 81, protocol: 'TCP', tunnel: 'none', intensity: 0 }, { softmatched: 'ftp' })), ['NULL', 'B']);
    assert.deepEqual(names(probeOrder(FILE, { port: 81, protocol: 'TCP', tunnel: 'none', intensity: 7 }, { softmatched: 'http' })), ['NULL', 'A', 'C']);
    assert.deepEqual(names(probeOrder(FILE, { port: 81, protocol: 'TCP', tunnel: 'none', intensity: 9 }, { softmatched: 'http' })), ['NULL', 'A', 'B', 'C', 'D']);
  });

  it('Exclude: T: and U: qualifiers hold until the next one; unqualified ports count for both', () => {
    const t = (port: number, protocol: 'TCP' | 'UDP', allports = false) =>
      probeOrder(FILE, { port, protocol, tunnel: 'none', intensity: 7 }, { allports }).length;
    assert.equal(t(9100, 'TCP'), 0);
    assert.equal(t(9101, 'TCP'), 0);
    assert.equal(t(9102, 'TCP'), 0);
    assert.equal(t(9100, 'UDP') > 0, true);
    assert.equal(t(7, 'UDP'), 0);
    assert.equal(t(7, 'TCP') > 0, true);
    assert.equal(t(9100, 'TCP', true) > 0, true);
  });

  it('compiles fallbacks: itself, the directive in order (same protocol first), then NULL for TCP', () => {
    const by = (n: string) => [FILE.nullProbe!, ...FILE.probes].find((p) => p.name === n)!;
    assert.deepEqual(names(by('NULL').fallbacks), ['NULL']);
    assert.deepEqual(names(by('A').fallbacks), ['A', 'NULL']);
    // A TCP probe may fall back to a UDP probe when no TCP probe has that name.
    assert.deepEqual(names(by('D').fallbacks), ['D', 'A', 'U1', 'NULL']);
    assert.deepEqual(names(by('U1').fallbacks), ['U1']);
    assert.deepEqual(names(by('U2').fallbacks), ['U2', 'U1']);
    assert.deepEqual([...by('C').detectedServices], ['http']);
    assert.equal(by('D').rarity, 5);
  });
});
