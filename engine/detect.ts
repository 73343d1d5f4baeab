// Version detection on recorded responses: the decisions of nmap's ServiceNFO state machine
// (service_scan.cc: servicescan_read_handler, processMatch, nextProbe, scanThroughTunnel,
// end_svcprobe, processResults) replayed over the bytes a service gave to each probe.
//
// Only what changes the verdict is mirrored. Timing is reduced to what a recording can say: a
// probe with bytes got them within its wait (one read, matched once on the whole response), a
// probe without bytes timed out (UDP, and the NULL probe unless told it was closed) or was closed
// at once (TCP, as the replay responder does).

import type { DbProbe, ProbeDb, Protocol, Tunnel } from './probe-db';
import { isExcluded } from './probe-db';
import type { LineHit, RegexIssue } from './match';
import { matchResponse, testProbe } from './match';
import { DEFAULT_INTENSITY, ProbeCursor, udpPayloadProbes } from './probe-order';
import type { SoftState } from './probe-order';
import type { MatchFields, VersionFields } from './versioninfo';
import { displayFields } from './versioninfo';

export interface RecordedResponse {
  /** Probe name as in the probes file (and in a fingerprint's %r(NAME,…)). */
  probe: string;
  /** The bytes as a binary string (one char per byte). */
  bytes: string;
}

export type NmapFlavour = 'head' | '7.93';

export interface DetectOptions {
  port: number;
  protocol: Protocol;
  /** 'ssl' when the responses were recorded inside TLS (a fingerprint's %T=SSL). */
  tunnel?: Tunnel;
  /** --version-intensity 0–9, default 7. */
  intensity?: number;
  /** --allports: ignore the file's Exclude directive. */
  allports?: boolean;
  /**
   * What the NULL probe met when it got no bytes: silence until its wait ran out (default; rules
   * tcpwrapped out), a close within its tcpwrappedms ('closed' → tcpwrapped at once), or a close
   * after it ('closed-late': nmap moves on, and says tcpwrapped at the end if no probe ever gets
   * a byte or times out — what a replay that closes silent connections produces).
   */
  nullProbe?: 'silent' | 'closed' | 'closed-late';
  /**
   * Whose rules: 'head' (default) or Debian's '7.93', which predates matching the UDP port scan's
   * payload response (nmap commit 2fcfac932), DTLS tunnelling (84e2e9be5) and two template
   * changes (versioninfo.ts TemplateRules).
   */
  nmap?: NmapFlavour;
  /** Responses recorded inside TLS, used if "ssl" is hard-matched outside it (nmap rescans). */
  tlsResponses?: Iterable<RecordedResponse>;
}

export type VerdictState = 'hard' | 'soft' | 'tcpwrapped' | 'nomatch' | 'excluded';

export interface TrailStep {
  /** The probe sent ("port scan" for the UDP payload response). */
  probe: string;
  tunnel: Tunnel;
  /** Bytes recorded for it; 0 when none. */
  bytes: number;
  outcome: 'no-response' | 'nomatch' | 'soft' | 'hard' | 'soft-ignored' | 'closed';
  service?: string;
  line?: number;
  /** The probe whose line matched (itself, a fallback, or NULL). */
  fallback?: string;
  linesTried: number;
  issues: RegexIssue[];
}

export interface Verdict extends VersionFields {
  /** nmap's service name; null when nothing matched (nmap then names the port from its table). */
  service: string | null;
  soft: boolean;
  /** The probe whose response gave the last recorded match, or null. */
  probe: string | null;
  fallback: string | null;
  /** 1-based line of that match in the probes file, or null. */
  line: number | null;
  state: VerdictState;
  tunnel: Tunnel;
  /** The deciding match's groups as binary strings (index 0 = whole match), null when unset. */
  captures: (string | null)[];
  trail: TrailStep[];
  /** Where the answer may differ from nmap's (regex limits, untestable constructs, failed templates). */
  warnings: string[];
}

const EMPTY_FIELDS: MatchFields = {
  product: null,
  version: null,
  info: null,
  hostname: null,
  ostype: null,
  devicetype: null,
  cpeA: null,
  cpeH: null,
  cpeO: null,
};

function toMap(responses: Iterable<RecordedResponse>): Map<string, string> {
  const map = new Map<string, string>();
  for (const r of responses) if (!map.has(r.probe)) map.set(r.probe, r.bytes);
  return map;
}

/** The ServiceNFO fields that reach the verdict. */
class ServiceState {
  matched: string | null = null;
  softMatchFound = false;
  fields: MatchFields = { ...EMPTY_FIELDS };
  tcpwrapPossible = true;
  tunnel: Tunnel;
  last?: { hit: LineHit; probe: string; fallback: string; subject: string };
  warnings: string[] = [];

  constructor(tunnel: Tunnel) {
    this.tunnel = tunnel;
  }

  get soft(): SoftState {
    return { softMatchFound: this.softMatchFound, service: this.matched };
  }

  /** processMatch(): true for a new hard match; a softmatch after another match is ignored. */
  process(hit: LineHit, probeName: string, subject: string): 'hard' | 'soft' | 'soft-ignored' {
    if (hit.match.soft && this.matched !== null) {
      if (this.matched !== hit.match.service) {
        this.warnings.push(
          `line ${hit.match.line}: softmatched ${hit.match.service} after ${this.matched}; nmap ignores the second value`,
        );
      }
      return 'soft-ignored';
    }
    this.matched = hit.match.service;
    this.tcpwrapPossible = false;
    // Only the fields this match fills replace the earlier ones (Strncpy only when non-NULL), so
    // a hard match keeps a softmatch's product when it has none of its own.
    const f = hit.fields;
    for (const k of Object.keys(f) as (keyof MatchFields)[]) if (f[k] !== null) this.fields[k] = f[k];
    this.softMatchFound = hit.match.soft;
    this.last = { hit, probe: probeName, fallback: hit.fallback.name, subject };
    for (const fail of hit.failures) {
      this.warnings.push(`line ${hit.match.line}: template ${fail.field} failed (${fail.reason}); nmap drops the field`);
    }
    return hit.match.soft ? 'soft' : 'hard';
  }

  /** scanThroughTunnel(): true when nmap starts over inside TLS/DTLS. */
  throughTunnel(protocol: Protocol, flavour: NmapFlavour): boolean {
    if (this.matched && this.matched.startsWith('ssl/')) {
      this.tunnel = 'ssl';
      this.matched = this.matched.slice(4);
      return false;
    }
    if (this.tunnel !== 'none') return false;
    const tunnels = flavour === '7.93' ? (protocol === 'TCP' ? ['ssl'] : []) : ['ssl', 'dtls'];
    if (!this.matched || !tunnels.includes(this.matched)) return false;
    this.tunnel = 'ssl';
    this.matched = null;
    this.fields = { ...EMPTY_FIELDS };
    this.softMatchFound = false;
    this.last = undefined;
    return true;
  }
}

function verdictOf(s: ServiceState, state: VerdictState, trail: TrailStep[], warnings: string[]): Verdict {
  const shown = state === 'hard' || state === 'soft' || state === 'tcpwrapped';
  const d = displayFields(shown ? s.fields : EMPTY_FIELDS);
  const last = shown ? s.last : undefined;
  let service: string | null = null;
  if (state === 'hard' || state === 'soft') service = s.matched;
  // setServiceProbeResults: a tcpwrapped port without a name is "tcpwrapped".
  else if (state === 'tcpwrapped') service = s.matched ?? 'tcpwrapped';
  return {
    service,
    ...d,
    // remove_excluded_ports() reports this text as the product of an excluded port.
    product: state === 'excluded' ? 'Excluded from version scan' : d.product,
    soft: state === 'soft',
    probe: last?.probe ?? null,
    fallback: last?.fallback ?? null,
    line: last?.hit.match.line ?? null,
    state,
    tunnel: s.tunnel,
    captures: last ? last.hit.captures.map((c) => (c ? last.subject.slice(c[0], c[1]) : null)) : [],
    trail,
    warnings: [...s.warnings, ...warnings],
  };
}

/** What nmap reports for one port, given the responses recorded for each probe. Never throws. */
export function detect(db: ProbeDb, responses: Iterable<RecordedResponse>, options: DetectOptions): Verdict {
  const flavour = options.nmap ?? 'head';
  const protocol = options.protocol;
  const target = {
    port: options.port,
    protocol,
    tunnel: options.tunnel ?? 'none',
    intensity: Math.max(0, Math.min(9, options.intensity ?? DEFAULT_INTENSITY)),
  };
  let recorded = toMap(responses);
  const s = new ServiceState(target.tunnel);
  const trail: TrailStep[] = [];
  const warnings: string[] = [];
  const noteIssues = (issues: RegexIssue[]) => {
    for (const i of issues) warnings.push(`line ${i.line}: ${i.kind}: ${i.message}`);
  };

  // ServiceGroup's constructor (HEAD): a UDP port scan response to one of the port's payloads is
  // matched against every payload probe's fallbacks before any probe is sent.
  if (protocol === 'UDP' && flavour === 'head' && target.tunnel === 'none') {
    const payloads = udpPayloadProbes(db, target.port);
    const first = payloads.find((p) => (recorded.get(p.name) ?? '').length > 0);
    if (first) {
      const subject = recorded.get(first.name)!;
      const issues: RegexIssue[] = [];
      let hit: LineHit | undefined;
      let linesTried = 0;
      outer: for (const p of payloads) {
        for (const fb of p.fallbacks) {
          hit = testProbe(db, fb, subject, issues, flavour);
          if (hit) break outer;
          linesTried += fb.matches.length;
        }
      }
      noteIssues(issues);
      const step: TrailStep = { probe: 'port scan', tunnel: 'none', bytes: subject.length, outcome: 'nomatch', linesTried, issues };
      trail.push(step);
      if (hit) {
        const r = s.process(hit, 'port scan', subject);
        Object.assign(step, { outcome: r, service: hit.match.service, line: hit.match.line, fallback: 'udp payload' });
        if (s.last) s.last.fallback = 'udp payload';
        if (r === 'hard' && !s.throughTunnel(protocol, flavour)) return verdictOf(s, 'hard', trail, warnings);
      }
    }
  }

  if (!options.allports && isExcluded(db, target.port, protocol)) return verdictOf(s, 'excluded', trail, warnings);

  const cursor = new ProbeCursor(db, target);
  for (let probe: DbProbe | undefined = cursor.next(s.soft); probe; probe = cursor.next(s.soft)) {
    const subject = recorded.get(probe.name) ?? '';
    const step: TrailStep = { probe: probe.name, tunnel: s.tunnel, bytes: subject.length, outcome: 'no-response', linesTried: 0, issues: [] };
    trail.push(step);
    if (subject.length === 0) {
      if (probe.isNull && options.nullProbe === 'closed' && s.tcpwrapPossible) {
        // EOF during the NULL probe, with nothing read, within tcpwrappedms.
        step.outcome = 'closed';
        return verdictOf(s, 'tcpwrapped', trail, warnings);
      }
      // A timeout rules tcpwrapped out; a close does not (nmap tries the next probe).
      if ((probe.isNull && options.nullProbe !== 'closed-late') || protocol === 'UDP') s.tcpwrapPossible = false;
      continue;
    }
    s.tcpwrapPossible = false;
    const result = matchResponse(db, probe, subject, flavour);
    step.linesTried = result.linesTried;
    step.issues = result.issues;
    noteIssues(result.issues);
    if (!result.hit) {
      step.outcome = 'nomatch';
      continue;
    }
    const r = s.process(result.hit, probe.name, subject);
    Object.assign(step, { outcome: r, service: result.hit.match.service, line: result.hit.match.line, fallback: result.hit.fallback.name });
    if (r !== 'hard') continue;
    if (!s.throughTunnel(protocol, flavour)) return verdictOf(s, 'hard', trail, warnings);
    // "ssl" found: nmap starts over inside TLS with sslports. Only a recording made inside TLS
    // can tell what it found there.
    if (!options.tlsResponses) {
      warnings.push(
        `${probe.name} found ${result.hit.match.service} at line ${result.hit.match.line}: nmap would rescan inside TLS, but no responses recorded inside TLS were given`,
      );
      s.matched = result.hit.match.service;
      s.tunnel = 'none';
      s.last = { hit: result.hit, probe: probe.name, fallback: result.hit.fallback.name, subject };
      s.fields = { ...result.hit.fields };
      return verdictOf(s, 'hard', trail, warnings);
    }
    recorded = toMap(options.tlsResponses);
    cursor.reset();
  }
  if (s.tcpwrapPossible) return verdictOf(s, 'tcpwrapped', trail, warnings);
  return verdictOf(s, s.softMatchFound ? 'soft' : 'nomatch', trail, warnings);
}
