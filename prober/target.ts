// Reading the target the user typed: `HOST:PORT`, `[IPv6]:PORT`, a bare IPv6 literal with the port
// after its last colon is refused (ambiguous). Names are resolved once, here, so every probe goes
// to the same address the user saw in the report.
import { nodeDns, nodeNet } from './node-modules';
import type { Endpoint } from './transport';

export interface TargetSpec {
  host: string;
  port: number;
}

export type TargetParse = { ok: true; target: TargetSpec } | { ok: false; message: string };

export function parseTarget(text: string): TargetParse {
  let host: string;
  let portText: string;
  const bracket = /^\[([^\]]+)\]:(\d+)$/.exec(text);
  if (bracket) {
    host = bracket[1];
    portText = bracket[2];
    if (nodeNet().isIP(host) !== 6) return { ok: false, message: `'${host}' inside brackets is not an IPv6 address` };
  } else {
    const colon = text.lastIndexOf(':');
    if (colon <= 0) return { ok: false, message: `'${text}' has no port: write HOST:PORT (or [IPv6]:PORT)` };
    host = text.slice(0, colon);
    portText = text.slice(colon + 1);
    if (host.includes(':')) return { ok: false, message: `write an IPv6 address in brackets: [${host}]:${portText}` };
  }
  if (!/^\d+$/.test(portText)) return { ok: false, message: `'${portText}' is not a port number` };
  const port = Number(portText);
  if (port < 1 || port > 65535) return { ok: false, message: `port ${port} is outside 1–65535` };
  if (host === '') return { ok: false, message: 'the host is empty' };
  return { ok: true, target: { host, port } };
}

export type ResolveResult = { ok: true; endpoint: Endpoint } | { ok: false; message: string };

/** Resolves a host name (IP literals pass through); the first address the resolver gives wins. */
export async function resolveTarget(spec: TargetSpec): Promise<ResolveResult> {
  if (nodeNet().isIP(spec.host)) return { ok: true, endpoint: { address: spec.host, port: spec.port } };
  try {
    const { address } = await nodeDns().lookup(spec.host);
    return { ok: true, endpoint: { address, port: spec.port, hostname: spec.host } };
  } catch (e) {
    return { ok: false, message: `cannot resolve '${spec.host}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` };
  }
}
