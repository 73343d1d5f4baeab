// The shapes a scan returns: the verdict, a per-probe transcript and the raw material of nmap's
// service fingerprint. Plain data, so the CLI can print it and the editor can show it.
import type { LineHit } from '../engine/match';
import type { Protocol, Tunnel } from '../engine/probe-db';
import { displayFields } from '../engine/versioninfo';
import type { VersionFields } from '../engine/versioninfo';

/** One matching line's verdict, as `nsp match` prints it (null for absent fields). */
export interface Verdict extends VersionFields {
  service: string;
  soft: boolean;
  /** The probe that was sent and whose reply matched (as `nsp match` and engine/detect name it). */
  probe: string;
  /** The probe whose lines held the matching line: the probe itself, a fallback, or NULL. */
  fallback: string;
  /** 1-based line number of the match/softmatch line. */
  line: number;
}

/** The verdict of one line hit, fields cut and cleaned as nmap prints them. */
export function verdictOf(hit: LineHit, sentProbe: string): Verdict {
  return {
    service: hit.match.service,
    ...displayFields(hit.fields),
    soft: hit.match.soft,
    probe: sentProbe,
    fallback: hit.fallback.name,
    line: hit.match.line,
  };
}

/** How one probe's exchange ended (the nsock event nmap's servicescan_read_handler got last). */
export type ExchangeEnd =
  | 'hardmatch'
  | 'timeout'
  | 'eof'
  | 'error'
  | 'byte-cap'
  | 'aborted'
  | 'tcpwrapped'
  | 'connect-failed'
  | 'write-failed';

export interface ReceivedChunk {
  /** Milliseconds since the probe was sent (or, for NULL, since the connection opened). */
  atMs: number;
  bytes: Buffer;
}

export interface ProbeExchange {
  probe: string;
  protocol: Protocol;
  tunnel: Tunnel;
  /** Which connection (1-based) carried it; the probe after NULL reuses NULL's connection. */
  connection: number;
  reusedConnection: boolean;
  /** Milliseconds from the start of the scan to the moment the probe was sent. */
  startedAtMs: number;
  /** Connect time in ms for a fresh connection (TLS: connect plus handshake). */
  connectMs?: number;
  sent: Buffer;
  /** Everything read while this probe was current (after NULL: the banner is included, as in nmap). */
  received: Buffer;
  chunks: ReceivedChunk[];
  /** Milliseconds from sending to the last read event (network time; matching not included). */
  durationMs: number;
  /** Milliseconds spent matching this probe's reply against the lines (CPU, not network). */
  matchMs?: number;
  end: ExchangeEnd;
  /** Socket error code for `error`, `connect-failed`, `write-failed`. */
  errorCode?: string;
  /** The line that matched while this probe was current (soft or hard). */
  match?: Verdict;
  tls?: { protocol: string | null; cipher: string | null };
}

/**
 * `identified`: a hard match. `softmatched`: only a softmatch. `unrecognized`: something answered
 * but no line matched. `tcpwrapped`: nmap's rule for a peer that closes at once. `no-answer`:
 * nothing ever came back (the usual UDP outcome). `closed`: connection refused (ICMP unreachable on
 * UDP). `unreachable`: the first connection failed otherwise. `incomplete`: a later connection or
 * write failed (nmap's PROBESTATE_INCOMPLETE). `excluded`: the Exclude directive covers the port.
 */
export type ScanStatus =
  | 'identified'
  | 'softmatched'
  | 'unrecognized'
  | 'tcpwrapped'
  | 'no-answer'
  | 'closed'
  | 'unreachable'
  | 'incomplete'
  | 'excluded'
  | 'aborted';

/** One `%r(probe,…)` entry of nmap's service fingerprint, before formatting. */
export interface FingerprintResponse {
  probe: string;
  response: Buffer;
}

export interface ScanResult {
  target: { host: string; address: string; port: number; protocol: Protocol };
  status: ScanStatus;
  /** The verdict with the tunnel folded into the service name (`ssl/http`), or null. */
  verdict: Verdict | null;
  tunnel: Tunnel;
  transcript: ProbeExchange[];
  /** What nmap's addToServiceFingerprint would have recorded, in order; kept for unmatched scans. */
  fingerprintResponses: FingerprintResponse[];
  /** Lines nmap would have tried that we could not emulate, deduplicated. */
  untestable: { line: number; message: string }[];
  /** A sentence for humans when the status needs one (the error, the reason). */
  note?: string;
  intensity: number;
  startedAt: Date;
  elapsedMs: number;
  /** Part of elapsedMs spent reading the rest of the probes file when the NULL block was not enough. */
  loadMs: number;
}
