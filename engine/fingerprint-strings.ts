// The `fingerprint-strings` block of nmap's normal output (NSE script fingerprint-strings.nse):
//
//   3000/tcp open  ppp?
//   | fingerprint-strings:
//   |   GenericLines, Help:
//   |     HTTP/1.1 400 Bad Request
//   |_    Connection: close
//
// The script keeps only runs of at least four printable characters, collapses blanks and groups
// probes with identical strings, so the bytes cannot be recovered. We rebuild each response as its
// lines joined by CRLF (what most line-based services send) and mark it truncated; a diagnostic
// of severity "information" says the bytes are approximate.

import type { Span } from '../grammar/ast';
import type { Diagnostic } from '../grammar/diagnostic';
import { toBinaryString } from '../grammar/line-index';
import type { Fingerprint, FingerprintResponse } from './fingerprint';

/** Same values as FINGERPRINT_CODES in fingerprint.ts (kept here to avoid an import cycle). */
const CODE_HEADER = 'NSP402';
const CODE_LOSSY = 'NSP408';

const PORT_LINE = /^(\d{1,5})\/(tcp|udp)\s+\S+\s+(\S+)/;
const BLOCK_START = /^\|\s*fingerprint-strings:\s*$/;

export function parseFingerprintStrings(text: string): { fingerprints: Fingerprint[]; diagnostics: Diagnostic[] } {
  const fingerprints: Fingerprint[] = [];
  const diagnostics: Diagnostic[] = [];
  const lines: Span[] = [];
  for (let start = 0; start <= text.length; ) {
    const nl = text.indexOf('\n', start);
    const end = nl === -1 ? text.length : nl;
    lines.push({ start, end: end > start && text[end - 1] === '\r' ? end - 1 : end });
    if (nl === -1) break;
    start = nl + 1;
  }
  let port: { port: number; protocol: 'TCP' | 'UDP'; ssl: boolean } | undefined;
  for (let n = 0; n < lines.length; n++) {
    const line = text.slice(lines[n].start, lines[n].end);
    const p = PORT_LINE.exec(line);
    if (p) {
      port = { port: Number(p[1]), protocol: p[2].toUpperCase() as 'TCP' | 'UDP', ssl: p[3].startsWith('ssl/') };
      continue;
    }
    if (!BLOCK_START.test(line)) continue;
    const blockStart = lines[n].start;
    const groups: { probes: string[]; lines: string[]; span: Span }[] = [];
    let m = n + 1;
    for (; m < lines.length; m++) {
      const l = text.slice(lines[m].start, lines[m].end);
      if (!l.startsWith('|')) break;
      const closing = l.startsWith('|_');
      const label = /^\|   (\S[^:]*):\s*$/.exec(l);
      if (label && !closing) {
        groups.push({ probes: label[1].split(', '), lines: [], span: { ...lines[m] } });
      } else if (groups.length > 0 && (l.startsWith('|     ') || l.startsWith('|_    '))) {
        const g = groups[groups.length - 1];
        g.lines.push(l.slice(6));
        g.span.end = lines[m].end;
      } else break;
      if (closing) {
        m++;
        break;
      }
    }
    const span = { start: blockStart, end: lines[Math.max(n, m - 1)].end };
    if (!port) {
      diagnostics.push({
        code: CODE_HEADER,
        severity: 'error',
        message: 'fingerprint-strings block without a "PORT/tcp open SERVICE" line before it',
        span: { start: blockStart, end: lines[n].end },
      });
      continue;
    }
    const responses: FingerprintResponse[] = [];
    for (const g of groups) {
      const bytes = toBinaryString(g.lines.join('\r\n'));
      for (const probe of g.probes) {
        responses.push({ probe, length: bytes.length, bytes, truncated: true, span: g.span });
      }
    }
    fingerprints.push({
      port: port.port,
      protocol: port.protocol,
      ...(port.ssl ? { tunnel: 'ssl' as const } : {}),
      fields: {},
      responses,
      form: 'fingerprint-strings',
      span,
    });
    diagnostics.push({
      code: CODE_LOSSY,
      severity: 'information',
      message:
        'fingerprint-strings shows only the printable runs of each response; the bytes are approximate (lines joined by CRLF)',
      span: { start: blockStart, end: lines[n].end },
    });
    n = m - 1;
  }
  return { fingerprints, diagnostics };
}
