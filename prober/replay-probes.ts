// The probe strings a replay server must recognise: each Probe line's name, protocol and payload
// (the probe string after nmap's cstring_unescape), as grammar/ reads them.

import { parse } from '../grammar';

export interface ProbePayload {
  protocol: 'TCP' | 'UDP';
  name: string;
  /** Binary string (one char per byte). */
  payload: string;
}

/** `text` is the probes file as text (UTF-8 decoded), as the grammar takes it. */
export function readProbePayloads(text: string): ProbePayload[] {
  const out: ProbePayload[] = [];
  for (const p of parse(text).file.probes) {
    const d = p.directive;
    if (d.protocol && d.payload !== undefined) out.push({ protocol: d.protocol, name: d.name, payload: d.payload });
  }
  return out;
}
