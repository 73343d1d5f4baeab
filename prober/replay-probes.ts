// The probe strings a replay server must recognise: each `Probe <TCP|UDP> <name> q|…|` line of a
// probes file with its payload unescaped as nmap's cstring_unescape does (utils.cc).
//
// FIXME: switch to grammar's parse() (ProbeDirective.payload) once grammar/index.ts exists; this
// small reader only exists so the replay server does not wait for it. It is deliberately lenient:
// a line it cannot read is skipped, since nmap itself is the judge of the file in a replay.

export interface ProbePayload {
  protocol: 'TCP' | 'UDP';
  name: string;
  /** Binary string (one char per byte). */
  payload: string;
}

const PROBE_LINE = /^Probe +(TCP|UDP) +(\S+) +q(.)(.*)$/;

/** `text` is the file as a binary string (read as latin1), so raw non-ASCII stays bytes. */
export function readProbePayloads(text: string): ProbePayload[] {
  const out: ProbePayload[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const m = PROBE_LINE.exec(line);
    if (!m) continue;
    const close = m[4].indexOf(m[3]);
    if (close === -1) continue;
    const payload = unescapeProbeString(m[4].slice(0, close));
    if (payload !== undefined) out.push({ protocol: m[1] as 'TCP' | 'UDP', name: m[2], payload });
  }
  return out;
}

/** cstring_unescape: \\ \0 \n \r \t \xHH (and \a \b \f \v, which nmap 7.93 still accepted). */
export function unescapeProbeString(s: string): string | undefined {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    if (s[i] !== '\\') {
      out += s[i];
      continue;
    }
    const e = s[++i];
    const simple: Record<string, string> = { '\\': '\\', '0': '\0', n: '\n', r: '\r', t: '\t', a: '\x07', b: '\b', f: '\f', v: '\v' };
    if (e in simple) out += simple[e];
    else if (e === 'x' && /^[0-9a-fA-F]{2}$/.test(s.slice(i + 1, i + 3))) {
      out += String.fromCharCode(parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else return undefined;
  }
  return out;
}
