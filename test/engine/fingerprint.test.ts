// The fingerprint reader and writer against the 163 real fingerprints in ../shared/fingerprints
// (as nmap 7.01–7.98 printed them) and nmap's writer rules (service_scan.cc,
// addToServiceFingerprint).

import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  escapeResponse,
  NMAP_DEBUG_LIMITS,
  parseFingerprints,
  writeFingerprint,
  type Fingerprint,
} from '../../engine/fingerprint';

const DIR = resolve(__dirname, '../../../shared/fingerprints');
const FILES = readdirSync(DIR).filter((f) => f.endsWith('.sf')).sort();
const read = (f: string) => readFileSync(join(DIR, f), 'latin1');
/** The fingerprint text of a file: everything but its `# ` header lines. */
const body = (text: string) => text.split('\n').filter((l) => !l.startsWith('#') && l !== '').join('\n');
const header = (text: string, key: string) => new RegExp(`^# ${key}: (.*)$`, 'm').exec(text)?.[1] ?? '';
/** The three files whose header says their lines were re-indented by us (prefix removed). */
const REPAIRED = FILES.filter((f) => /prefixed by/.test(read(f)));

function withoutSpans(fps: Fingerprint[]) {
  return fps.map(({ span: _s, responses, ...rest }) => ({ ...rest, responses: responses.map(({ span: _r, ...r }) => r) }));
}

describe('engine/fingerprint: the real fingerprints', () => {
  it('there are 163 files, 3 of them lightly repaired', () => {
    assert.equal(FILES.length, 163);
    assert.equal(REPAIRED.length, 3);
  });

  it('each file reads as one fingerprint with no diagnostics, matching its header', () => {
    for (const f of FILES) {
      const text = read(f);
      const { fingerprints, diagnostics } = parseFingerprints(text);
      assert.deepEqual(diagnostics, [], f);
      assert.equal(fingerprints.length, 1, f);
      const fp = fingerprints[0];
      const m = /^(\d+)-port(\d+)-(tcp|udp)\.sf$/.exec(f)!;
      assert.equal(fp.port, Number(m[2]), f);
      assert.equal(fp.protocol, m[3].toUpperCase(), f);
      const fields = header(text, 'header_fields');
      assert.equal(Object.entries(fp.fields).map(([k, v]) => `${k}=${v}`).join(' '), fields, f);
      assert.equal(fp.responses.map((r) => r.probe).join(','), header(text, 'probes'), f);
      const [, declared, shown] = /declared_total=(\d+) shown_total=(\d+)/.exec(header(text, 'response_bytes'))!;
      assert.equal(fp.responses.reduce((n, r) => n + r.length, 0), Number(declared), f);
      assert.equal(fp.responses.reduce((n, r) => n + r.bytes.length, 0), Number(shown), f);
      assert.equal(fp.responses.some((r) => r.truncated), declared !== shown, f);
    }
  });

  it('the 15 fingerprints taken through TLS have T=SSL right after V and tunnel ssl', () => {
    const ssl = FILES.map((f) => parseFingerprints(read(f)).fingerprints[0]).filter((fp) => fp.tunnel === 'ssl');
    assert.equal(ssl.length, 15);
    for (const fp of ssl) assert.deepEqual(Object.keys(fp.fields).slice(0, 3), ['V', 'T', 'I']);
  });

  it('nmap prints at most 900 bytes of a response (the truncated ones show exactly 900)', () => {
    let truncated = 0;
    for (const f of FILES) {
      for (const r of parseFingerprints(read(f)).fingerprints[0].responses) {
        assert.ok(r.bytes.length <= 900, f);
        if (r.truncated) {
          truncated++;
          assert.equal(r.bytes.length, 900, `${f} ${r.probe}`);
        }
      }
    }
    assert.ok(truncated > 30);
  });

  it('write(parse(x)) reproduces every file byte for byte (the 3 repaired ones too, as repaired)', () => {
    const differing = FILES.filter((f) => writeFingerprint(parseFingerprints(read(f)).fingerprints[0]) !== body(read(f)));
    assert.deepEqual(differing, []);
  });

  it('parse(write(parse(x))) is parse(x)', () => {
    for (const f of FILES) {
      const first = parseFingerprints(read(f)).fingerprints;
      const again = parseFingerprints(writeFingerprint(first[0]));
      assert.deepEqual(again.diagnostics, [], f);
      assert.deepEqual(withoutSpans(again.fingerprints), withoutSpans(first), f);
    }
  });

  it('reads the repaired files as they were before repair (indented lines)', () => {
    for (const f of REPAIRED) {
      const indented = body(read(f)).split('\n').map((l) => '      ' + l).join('\n');
      assert.deepEqual(withoutSpans(parseFingerprints(indented).fingerprints), withoutSpans(parseFingerprints(read(f)).fingerprints), f);
    }
  });

  it('reads several fingerprints pasted together, with nmap\'s separator and CRLF line ends', () => {
    const picks = [FILES[0], FILES[40], FILES[FILES.length - 1]];
    const sep = '\n==============NEXT SERVICE FINGERPRINT (SUBMIT INDIVIDUALLY)==============\n';
    const text = picks.map((f) => body(read(f))).join(sep).replace(/\n/g, '\r\n');
    const { fingerprints, diagnostics } = parseFingerprints(text);
    assert.deepEqual(diagnostics, []);
    assert.deepEqual(
      withoutSpans(fingerprints),
      picks.map((f) => withoutSpans(parseFingerprints(read(f)).fingerprints)[0]),
    );
    // Spans point into the pasted text: each starts at its SF-Port.
    for (const fp of fingerprints) assert.ok(text.startsWith('SF-Port', fp.span.start));
  });

  it('reads the servicefp attribute of nmap\'s XML output', () => {
    const sf = body(read(FILES[5]));
    const attr = sf.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/\n/g, '&#xa;');
    const xml = `<port protocol="tcp" portid="21"><state state="open"/><service name="ftp" servicefp="${attr}" method="probed" conf="10"/></port>`;
    const { fingerprints, diagnostics } = parseFingerprints(xml);
    assert.deepEqual(diagnostics, []);
    assert.deepEqual(withoutSpans(fingerprints), withoutSpans(parseFingerprints(sf).fingerprints));
  });
});

describe('engine/fingerprint: nmap\'s writer rules', () => {
  const fp = (bytes: string, length = bytes.length): Fingerprint => ({
    port: 7, protocol: 'TCP', fields: { V: '7.93', I: '7', D: '1/2', Time: 'AB', P: 'x86_64-pc-linux-gnu' },
    responses: [{ probe: 'NULL', length, bytes, truncated: length > bytes.length, span: { start: 0, end: 0 } }],
    form: 'service-fingerprint', span: { start: 0, end: 0 },
  });

  it('escapes as addToServiceFingerprint: \\0 unless a digit follows, \\ before regex punctuation, \\xHH otherwise', () => {
    assert.equal(escapeResponse('\0a\x001\0'), '\\0a\\x001\\0');
    assert.equal(escapeResponse('\\?"[]().*+$^|'), '\\\\\\?\\"\\[\\]\\(\\)\\.\\*\\+\\$\\^\\|');
    assert.equal(escapeResponse("!#%&',-/:;<=>@_`{}~"), "!#%&',-/:;<=>@_`{}~");
    assert.equal(escapeResponse(' \r\n\t\x7f\x80\xff'), '\\x20\\r\\n\\t\\x7f\\x80\\xff');
  });

  it('wraps every 74 characters with an SF: prefix and never wraps the final ;', () => {
    const text = writeFingerprint(fp('A'.repeat(1000)));
    const lines = text.split('\n');
    for (const l of lines.slice(0, -1)) assert.equal(l.length, 74);
    for (const l of lines.slice(1)) assert.ok(l.startsWith('SF:'));
    assert.ok(lines[lines.length - 1].endsWith('")') || lines[lines.length - 1].endsWith(';'));
  });

  it('prints at most 900 bytes (1300 with -d) and keeps the received length in hex', () => {
    const long = fp('B'.repeat(1200), 0x1234);
    const normal = parseFingerprints(writeFingerprint(long)).fingerprints[0].responses[0];
    assert.deepEqual([normal.length, normal.bytes.length, normal.truncated], [0x1234, 900, true]);
    assert.match(writeFingerprint(long), /%r\(NULL,1234,"/);
    const debug = parseFingerprints(writeFingerprint(long, NMAP_DEBUG_LIMITS)).fingerprints[0].responses[0];
    assert.equal(debug.bytes.length, 1200);
  });

  it('adds no response once the text is longer than 2200 characters', () => {
    const many = fp('C'.repeat(900));
    many.responses = ['GetRequest', 'HTTPOptions', 'RTSPRequest', 'Help'].map((probe) => ({ ...many.responses[0], probe }));
    const back = parseFingerprints(writeFingerprint(many)).fingerprints[0];
    // After three 900-byte responses the text is past 2200, so the fourth is dropped.
    assert.deepEqual(back.responses.map((r) => r.probe), ['GetRequest', 'HTTPOptions', 'RTSPRequest']);
  });
});

describe('engine/fingerprint: damaged input', () => {
  const sample = body(read(FILES[10]));

  it('reports a cut-off fingerprint and keeps the complete responses', () => {
    const cut = sample.slice(0, sample.lastIndexOf('%r('));
    const text = cut + '%r(Help,1';
    const { fingerprints, diagnostics } = parseFingerprints(text);
    assert.equal(fingerprints.length, 1);
    assert.equal(fingerprints[0].responses.length, parseFingerprints(sample).fingerprints[0].responses.length - 1);
    assert.deepEqual(diagnostics.map((d) => d.code), ['NSP403']);
    assert.equal(text.slice(diagnostics[0].span.start, diagnostics[0].span.end), '%r(');
  });

  it('reports a bad escape at its place', () => {
    const bad = 'SF-Port9-TCP:V=7.93%I=7%D=1/1%Time=1%P=x%r(NULL,3,"a\\qb");';
    const { diagnostics } = parseFingerprints(bad);
    assert.deepEqual(diagnostics.map((d) => [d.code, bad.slice(d.span.start, d.span.end)]), [['NSP404', '\\q']]);
  });

  it('reports text with no fingerprint', () => {
    assert.deepEqual(parseFingerprints('hello\nworld').diagnostics.map((d) => d.code), ['NSP401']);
  });

  it('never throws on damaged slices of real fingerprints', () => {
    for (const f of FILES.slice(0, 40)) {
      const t = read(f);
      for (let cut = 0; cut < t.length; cut += 37) {
        const r = parseFingerprints(t.slice(cut) + t.slice(0, cut / 2));
        for (const d of r.diagnostics) assert.ok(d.span.start <= d.span.end && d.span.end <= t.length * 2, f);
      }
    }
  });
});

describe('engine/fingerprint: the fingerprint-strings block of normal output', () => {
  // The layout of nmap's normal output for fingerprint-strings.nse (stdnse output table).
  const normal = [
    '3000/tcp open  ssl/ppp?',
    '| fingerprint-strings: ',
    '|   GenericLines, Help: ',
    '|     HTTP/1.1 400 Bad Request',
    '|     Connection: close',
    '|   GetRequest: ',
    '|     HTTP/1.0 200 OK',
    '|_    Content-Length: 0',
    '5000/udp open  unknown',
  ].join('\n');

  it('groups probes and rebuilds each response as its lines joined by CRLF, marked lossy', () => {
    const { fingerprints, diagnostics } = parseFingerprints(normal);
    assert.deepEqual(diagnostics.map((d) => [d.code, d.severity]), [['NSP408', 'information']]);
    assert.equal(fingerprints.length, 1);
    const fp = fingerprints[0];
    assert.deepEqual([fp.port, fp.protocol, fp.tunnel, fp.form], [3000, 'TCP', 'ssl', 'fingerprint-strings']);
    assert.deepEqual(
      fp.responses.map((r) => [r.probe, r.bytes, r.truncated]),
      [
        ['GenericLines', 'HTTP/1.1 400 Bad Request\r\nConnection: close', true],
        ['Help', 'HTTP/1.1 400 Bad Request\r\nConnection: close', true],
        ['GetRequest', 'HTTP/1.0 200 OK\r\nContent-Length: 0', true],
      ],
    );
  });

  it('prefers the exact SF-Port fingerprint for the same port when both are shown', () => {
    const sf = 'SF-Port3000-TCP:V=7.93%T=SSL%I=7%D=1/1%Time=1%P=x%r(GetRequest,2,"ok");';
    const { fingerprints, diagnostics } = parseFingerprints(normal + '\n' + sf + '\n');
    assert.deepEqual(diagnostics, []);
    assert.deepEqual(fingerprints.map((f) => f.form), ['service-fingerprint']);
  });
});
