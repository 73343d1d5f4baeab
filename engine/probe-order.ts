// The order in which nmap sends probes to one port: a step-by-step copy of
// ServiceNFO::nextProbe() (service_scan.cc), plus the port-scan payload list of payload.cc.
//
// nmap decides the next probe only when the previous one is over, looking at the softmatch state
// *at that moment* and continuing from its current position in the probe list. ProbeCursor keeps
// the same state (phase + position) so detect.ts can change the softmatch state between probes.

import type { DbProbe, ProbeDb, Protocol, Tunnel } from './probe-db';
import { isExcluded, portIsProbable } from './probe-db';

/** nmap's default --version-intensity. */
export const DEFAULT_INTENSITY = 7;

export interface Target {
  port: number;
  protocol: Protocol;
  tunnel: Tunnel;
  /** --version-intensity, 0–9 (--version-light is 2, --version-all is 9). */
  intensity: number;
}

type Phase = 'initial' | 'null' | 'matching' | 'nonmatching' | 'finished';

/** The softmatch state nextProbe() reads: softMatchFound and probe_matched. */
export interface SoftState {
  softMatchFound: boolean;
  service: string | null;
}

export class ProbeCursor {
  private phase: Phase = 'initial';
  private index = 0;

  constructor(
    private readonly db: ProbeDb,
    private readonly target: Target,
  ) {}

  /** resetProbes(): back to the start, as after "ssl" was detected. */
  reset(): void {
    this.phase = 'initial';
    this.index = 0;
  }

  /** ServiceNFO::nextProbe(): the next probe to send, or undefined when nmap is finished. */
  next(soft: SoftState): DbProbe | undefined {
    const { db, target } = this;
    const { port, protocol, tunnel, intensity } = target;
    let dropdown = false;
    if (this.phase === 'initial') {
      this.phase = 'null';
      // The NULL probe only works with TCP.
      if (protocol === 'TCP' && db.nullProbe) return db.nullProbe;
    }
    if (this.phase === 'null') {
      this.phase = 'matching';
      dropdown = true;
      this.index = 0;
    }
    const possible = (p: DbProbe): boolean =>
      intensity >= 9 || (soft.service !== null && p.detectedServices.has(soft.service));
    if (this.phase === 'matching') {
      if (!dropdown && this.index < db.probes.length) this.index++;
      while (this.index < db.probes.length) {
        const p = db.probes[this.index];
        // First round: only probes that list this port (sslports inside TLS); after a softmatch
        // only those that can name the softmatched service, unless --version-all.
        if (p.protocol === protocol && portIsProbable(p, tunnel, port) && (!soft.softMatchFound || possible(p))) {
          return p;
        }
        this.index++;
      }
      this.phase = 'nonmatching';
      dropdown = true;
      this.index = 0;
    }
    if (this.phase === 'nonmatching') {
      if (!dropdown && this.index < db.probes.length) this.index++;
      while (this.index < db.probes.length) {
        const p = db.probes[this.index];
        // Second round: the others; without a softmatch the rarity must be within the intensity,
        // with one there is no rarity check at all, only the service check.
        if (
          p.protocol === protocol &&
          !portIsProbable(p, tunnel, port) &&
          ((!soft.softMatchFound && p.rarity <= intensity) || (soft.softMatchFound && possible(p)))
        ) {
          return p;
        }
        this.index++;
      }
      this.phase = 'finished';
    }
    return undefined;
  }
}

/**
 * The probes nmap sends to a port when nothing matches (no softmatch ever happens), in order.
 * With `softmatched`, the order nmap follows when that service was softmatched before the first
 * probe (for UDP, by the port scan's payload response). Excluded ports get no probes unless
 * `allports` (--allports).
 */
export function probeOrder(
  db: ProbeDb,
  target: Target,
  options: { softmatched?: string; allports?: boolean } = {},
): DbProbe[] {
  if (!options.allports && isExcluded(db, target.port, target.protocol)) return [];
  const cursor = new ProbeCursor(db, target);
  const soft: SoftState = { softMatchFound: options.softmatched !== undefined, service: options.softmatched ?? null };
  const out: DbProbe[] = [];
  for (let p = cursor.next(soft); p; p = cursor.next(soft)) out.push(p);
  return out;
}

/**
 * payload.cc init_payloads(): the UDP probes whose probe string the UDP port scan sends to this
 * port (those listing it in `ports`, without `no-payload`), in file order. Their fallbacks are
 * what payload_service_match() tries on a port-scan response.
 */
export function udpPayloadProbes(db: ProbeDb, port: number): DbProbe[] {
  return db.probes.filter((p) => p.protocol === 'UDP' && !p.notForPayload && p.portList.includes(port));
}
