// The verdict state machine on hand-made files: first line wins within a probe, fallbacks,
// the NULL-probe cheat, softmatch narrowing and merging, tcpwrapped, SSL, the UDP port-scan
// response. Expectations follow servicescan_read_handler/processMatch/scanThroughTunnel.
import { strict as assert } from 'node:assert';
import { detect } from '../../engine/detect';
import { db } from './support/hand-made';

const FILE = db([
  {
    name: 'NULL',
    matches: [
      { service: 'ftp', pattern: '^220 ', soft: true, fields: [['p', 'generic ftpd']] },
      { service: 'ssh', pattern: '^SSH-([\\d.]+)-OpenSSH_(\\S+)', fields: [['p', 'OpenSSH'], ['v', '$2'], ['i', 'protocol $1'], ['cpe', 'a:openbsd:openssh:$2']] },
      { service: 'ssh', pattern: '^SSH-', soft: true },
    ],
  },
  {
    name: 'GetRequest',
    payload: 'GET / HTTP/1.0\r\n\r\n',
    ports: [[80, 80]],
    rarity: 1,
    matches: [
      { service: 'http', pattern: '^HTTP/1\\.[01] \\d+.*\\r\\nServer: Apache', soft: true, flags: 's', fields: [['p', 'Apache httpd'], ['cpe', 'a:apache:http_server']] },
      { service: 'http', pattern: '^HTTP/1\\.[01] \\d+.*\\r\\nServer: Apache/([\\d.]+)', flags: 's', fields: [['p', 'Apache httpd'], ['v', '$1']] },
      { service: 'http', pattern: '^HTTP/1\\.[01] \\d+.*\\r\\nServer: nginx', flags: 's', fields: [['v', 'x']] },
    ],
  },
  {
    name: 'FTPHelp',
    payload: 'HELP\r\n',
    rarity: 3,
    matches: [{ service: 'ftp', pattern: '^214 vsftpd ([\\d.]+)', fields: [['v', '$1']] }],
  },
  { name: 'SSLSessionReq', payload: '\x16\x03', rarity: 1, matches: [{ service: 'ssl', pattern: '^\\x16\\x03' }] },
  { name: 'Other', payload: 'o', rarity: 2, fallback: ['GetRequest'], matches: [{ service: 'foo', pattern: '^FOO' }, { service: 'http', pattern: '^NEVER' }] },
  { name: 'DNS', protocol: 'UDP', payload: 'q', ports: [[53, 53]], rarity: 1, matches: [{ service: 'domain', pattern: '^D', soft: true }] },
  { name: 'DNS2', protocol: 'UDP', payload: 'r', rarity: 1, matches: [{ service: 'domain', pattern: '^DNS2 (\\w+)', fields: [['p', '$1']] }] },
  { name: 'DTLS', protocol: 'UDP', payload: 't', rarity: 1, matches: [{ service: 'dtls', pattern: '^DTLS' }] },
]);

const tcp = (port = 80, intensity = 7) => ({ port, protocol: 'TCP' as const, intensity });
const r = (probe: string, bytes: string) => ({ probe, bytes });

describe('engine/detect', () => {
  it('a NULL-probe banner: the first matching line wins and fills its templates', () => {
    const v = detect(FILE, [r('NULL', 'SSH-2.0-OpenSSH_8.9p1 Ubuntu\r\n')], tcp(22));
    assert.equal(v.service, 'ssh');
    assert.equal(v.state, 'hard');
    assert.equal(v.product, 'OpenSSH');
    assert.equal(v.version, '8.9p1');
    assert.equal(v.info, 'protocol 2.0');
    assert.deepEqual(v.cpe, ['cpe:/a:openbsd:openssh:8.9p1']);
    assert.equal(v.probe, 'NULL');
    assert.deepEqual(v.captures, ['SSH-2.0-OpenSSH_8.9p1', '2.0', '8.9p1']);
  });

  it('a softmatch line before a hard one in the same probe wins for that probe, then narrows the probes', () => {
    const resp = 'HTTP/1.1 200 OK\r\nServer: Apache/2.4.1\r\n\r\n';
    const v = detect(FILE, [r('GetRequest', resp)], tcp(80));
    // The softmatch is recorded; the later probes that can detect http get the chance to hard-match.
    assert.equal(v.service, 'http');
    assert.equal(v.soft, true);
    assert.equal(v.product, 'Apache httpd');
    assert.deepEqual(v.cpe, ['cpe:/a:apache:http_server']);
    assert.deepEqual(
      v.trail.map((t) => t.probe),
      ['NULL', 'GetRequest', 'Other'],
    );
  });

  it('a hard match after a softmatch keeps the softmatch fields it does not set', () => {
    const v = detect(FILE, [r('GetRequest', 'HTTP/1.1 200 OK\r\nServer: Apache\r\n'), r('Other', 'HTTP/1.0 404 x\r\nServer: nginx\r\n')], tcp(80));
    assert.equal(v.state, 'hard');
    assert.equal(v.version, 'x');
    assert.equal(v.product, 'Apache httpd');
    assert.deepEqual(v.cpe, ['cpe:/a:apache:http_server']);
    assert.equal(v.probe, 'Other');
    assert.equal(v.fallback, 'GetRequest');
  });

  it('fallbacks, then the NULL probe\'s lines for TCP (the NULL probe cheat)', () => {
    const v = detect(FILE, [r('Other', 'SSH-2.0-OpenSSH_7.4\r\n')], tcp(81));
    assert.equal(v.service, 'ssh');
    assert.equal(v.probe, 'Other');
    assert.equal(v.fallback, 'NULL');
  });

  it('a later softmatch of another service is ignored; softmatch narrows even below the intensity', () => {
    const v = detect(FILE, [r('NULL', '220 hi\r\n'), r('FTPHelp', '214 vsftpd 3.0.3\r\n')], tcp(21, 0));
    assert.equal(v.service, 'ftp');
    assert.equal(v.state, 'hard');
    assert.equal(v.version, '3.0.3');
    assert.equal(v.product, 'generic ftpd');
  });

  it('nothing matched: service null; no NULL response closed at once: tcpwrapped', () => {
    const v = detect(FILE, [r('GetRequest', 'garbage')], tcp(80));
    assert.equal(v.service, null);
    assert.equal(v.state, 'nomatch');
    const w = detect(FILE, [], { ...tcp(80), nullProbe: 'closed' });
    assert.equal(w.service, 'tcpwrapped');
    assert.equal(w.state, 'tcpwrapped');
    assert.equal(detect(FILE, [], tcp(80)).state, 'nomatch');
    // A close after tcpwrappedms: nmap goes on, and ends tcpwrapped only if no probe got a byte.
    assert.equal(detect(FILE, [], { ...tcp(80), nullProbe: 'closed-late' }).state, 'tcpwrapped');
    assert.equal(detect(FILE, [r('GetRequest', 'garbage')], { ...tcp(80), nullProbe: 'closed-late' }).state, 'nomatch');
  });

  it('"ssl" found outside TLS: nmap rescans inside TLS with the responses recorded there', () => {
    const v = detect(FILE, [r('SSLSessionReq', '\x16\x03\x01')], {
      ...tcp(443, 7),
      tlsResponses: [r('GetRequest', 'HTTP/1.0 200 OK\r\nServer: nginx\r\n')],
    });
    assert.equal(v.service, 'http');
    assert.equal(v.tunnel, 'ssl');
    const w = detect(FILE, [r('SSLSessionReq', '\x16\x03\x01')], tcp(443, 7));
    assert.equal(w.service, 'ssl');
    assert.equal(w.warnings.length > 0, true);
  });

  it('UDP (HEAD): the port-scan response to a payload is matched first, as "port scan"', () => {
    const v = detect(FILE, [r('DNS', 'DNS2 bind')], { port: 53, protocol: 'UDP' });
    assert.equal(v.probe, 'port scan');
    assert.equal(v.fallback, 'udp payload');
    assert.equal(v.service, 'domain');
    assert.equal(v.soft, true);
    // Debian's 7.93 has no port-scan matching: only the service probes.
    const old = detect(FILE, [r('DNS', 'DNS2 bind'), r('DNS2', 'DNS2 bind')], { port: 53, protocol: 'UDP', nmap: '7.93' });
    assert.equal(old.probe, 'DNS2');
    assert.equal(old.state, 'hard');
    assert.equal(old.product, 'bind');
  });

  it('UDP: "dtls" restarts inside the tunnel in HEAD only', () => {
    const v = detect(FILE, [r('DTLS', 'DTLS')], { port: 9999, protocol: 'UDP', tlsResponses: [r('DNS2', 'DNS2 x')] });
    assert.equal(v.service, 'domain');
    assert.equal(v.tunnel, 'ssl');
    const old = detect(FILE, [r('DTLS', 'DTLS')], { port: 9999, protocol: 'UDP', nmap: '7.93', tlsResponses: [r('DNS2', 'DNS2 x')] });
    assert.equal(old.service, 'dtls');
  });
});
