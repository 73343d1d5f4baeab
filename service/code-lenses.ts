// Code lenses: on each match/softmatch line "Test against captures (N)" and "Test live…"; on each
// Probe line "Run probe against…" and "Version scan…". The commands are implemented by the client
// (and the CLI's logic); the service only says where they go and how many captures reach a line.
//
// N is exact: every capture of the workspace is replayed through the engine (engine/detect, as
// `nsp test` does) and a line counts a capture when the engine tested one of its responses against
// that line — the lines of the answered probe, then of its fallbacks, then NULL's, in the order
// nmap's `servicescan_read_handler` walks them, up to and including the line that matched. Once
// known, the title also says how many captures this line decides and whether they meet their
// `expect` lines. Replaying costs a few ms per capture, so the lens is resolved lazily
// (codeLens/resolve: only lenses on screen) and the table is cached per document text and
// capture set; until then the lens carries no command.

import type { CodeLens } from 'vscode-languageserver-types';
import type { CaptureCase } from '../engine/capture';
import { detect, type Verdict } from '../engine/detect';
import type { DbProbe, ProbeDb } from '../engine/probe-db';
import { udpPayloadProbes } from '../engine/probe-order';
import { toRange, type AnalyzedDocument } from './document';

export const COMMANDS = {
  testAgainstCaptures: 'nsp.testAgainstCaptures',
  testLive: 'nsp.testLive',
  runProbe: 'nsp.runProbe',
  versionScan: 'nsp.versionScan',
} as const;

/** What the server knows about one capture file or fingerprint of the workspace. */
export interface CaptureSummary {
  id: string;
  protocol: 'TCP' | 'UDP';
  /** Names of the probes the capture holds a response for. */
  probes: string[];
}

/** Per 1-based line: captures whose responses were tested against it, and those it decided. */
export interface LineReach {
  reached: number;
  decided: number;
  /** Of the decided ones: meeting every `expect` line of the case. */
  passed: number;
  failed: number;
}

export type ReachTable = Map<number, LineReach>;

export interface LensContext {
  /** How many captures the workspace has (0: every count is known to be 0). */
  captureCount?: number;
  /** The reach table of this document's text, when already computed. */
  reach?: ReachTable;
}

/** Data of an unresolved "Test against captures" lens, for codeLens/resolve. */
export interface CaptureLensData {
  kind: 'nsp.captures';
  uri: string;
  /** 1-based line of the match line. */
  line: number;
}

/**
 * The lines (1-based) the engine tested a capture's responses against, from the verdict's trail:
 * for each answered probe, its fallback chain (itself, fallbacks, NULL) up to the line that
 * matched, or all of it when none did (engine/match's matchResponse order).
 */
export function reachedLines(db: ProbeDb, v: Verdict, port: number, protocol: 'TCP' | 'UDP'): Set<number> {
  const lines = new Set<number>();
  const walk = (chain: DbProbe[], stopAt: number | undefined): boolean => {
    for (const fb of chain) {
      for (const m of fb.matches) {
        lines.add(m.line);
        if (m.line === stopAt) return true;
      }
    }
    return false;
  };
  for (const step of v.trail) {
    if (step.bytes === 0 || step.outcome === 'no-response' || step.outcome === 'closed') continue;
    const stopAt = step.outcome === 'nomatch' ? undefined : step.line;
    if (step.probe === 'port scan') {
      // The UDP port scan's payload reply goes through every payload probe's chain (detect.ts).
      for (const p of udpPayloadProbes(db, port)) if (walk(p.fallbacks, stopAt)) break;
      continue;
    }
    const probe = step.probe === db.nullProbe?.name && protocol === 'TCP' ? db.nullProbe : db.probes.find((p) => p.name === step.probe && p.protocol === protocol);
    if (probe) walk(probe.fallbacks, stopAt);
  }
  return lines;
}

/**
 * Replays every case against `db` and counts, per line, the captures that reached it and the ones
 * it decided. `failuresOf` is the comparison `nsp test` makes (service/captures compareExpect).
 */
export function computeReach(
  db: ProbeDb,
  cases: CaptureCase[],
  failuresOf: (c: CaptureCase, v: Verdict) => string[],
): ReachTable {
  const table: ReachTable = new Map();
  for (const c of cases) replayInto(table, db, c, failuresOf);
  return table;
}

/**
 * computeReach in slices of about `sliceMs` (15 by default) with a turn of the event loop between
 * them, so that a server answers other requests while a large capture set is replayed (with a
 * fresh database every pattern compiles on first use: ~5 ms a capture). Resolves undefined, having
 * stopped early, when `stale()` says the answer is no longer wanted.
 */
export async function computeReachInSlices(
  db: ProbeDb,
  cases: CaptureCase[],
  failuresOf: (c: CaptureCase, v: Verdict) => string[],
  stale: () => boolean,
  sliceMs = 15,
): Promise<ReachTable | undefined> {
  const table: ReachTable = new Map();
  let sliceEnd = Date.now() + sliceMs;
  for (const c of cases) {
    if (Date.now() >= sliceEnd) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (stale()) return undefined;
      sliceEnd = Date.now() + sliceMs;
    }
    replayInto(table, db, c, failuresOf);
  }
  return table;
}

function replayInto(table: ReachTable, db: ProbeDb, c: CaptureCase, failuresOf: (c: CaptureCase, v: Verdict) => string[]): void {
  const at = (line: number) => {
    let r = table.get(line);
    if (!r) table.set(line, (r = { reached: 0, decided: 0, passed: 0, failed: 0 }));
    return r;
  };
  let v: Verdict;
  try {
    v = detect(db, c.responses, { port: c.port, protocol: c.protocol, tunnel: c.tls ? 'ssl' : 'none', intensity: c.intensity });
  } catch {
    return; // An engine bug on one capture must not hide the others; "Test against captures" reports it.
  }
  for (const line of reachedLines(db, v, c.port, c.protocol)) at(line).reached++;
  if (v.line !== null && v.service !== null) {
    const r = at(v.line);
    r.decided++;
    if (failuresOf(c, v).length === 0) r.passed++;
    else r.failed++;
  }
}

/** "Test against captures (N)", and once a line decides captures, how they fared. */
export function captureLensTitle(r: LineReach | undefined): string {
  const n = r?.reached ?? 0;
  if (!r || r.decided === 0) return `Test against captures (${n})`;
  const parts = [];
  if (r.passed) parts.push(`${r.passed} passed`);
  if (r.failed) parts.push(`${r.failed} failed`);
  return `Test against captures (${n}): ${parts.join(', ')}`;
}

export function getCodeLenses(doc: AnalyzedDocument, ctx: LensContext = {}): CodeLens[] {
  const pf = doc.parse.file;
  // With no captures every count is 0 and known; otherwise it is known once the table is.
  const known = !ctx.captureCount ? new Map<number, LineReach>() : ctx.reach;
  const out: CodeLens[] = [];
  for (const p of pf.probes) {
    const d = p.directive;
    const r = toRange(doc, d.keywordSpan);
    const probeArgs = { uri: doc.uri, line: d.line, probe: d.name, protocol: d.protocol ?? 'TCP' };
    out.push({ range: r, command: { title: 'Run probe against…', command: COMMANDS.runProbe, arguments: [probeArgs] } });
    out.push({ range: r, command: { title: 'Version scan…', command: COMMANDS.versionScan, arguments: [probeArgs] } });
    for (const m of p.matches) {
      const mr = toRange(doc, m.keywordSpan);
      const args = { uri: doc.uri, line: m.line, probe: d.name, protocol: d.protocol ?? 'TCP', service: m.service };
      if (known) out.push({ range: mr, command: captureCommand(known.get(m.line + 1), args) });
      else out.push({ range: mr, data: { kind: 'nsp.captures', uri: doc.uri, line: m.line + 1 } satisfies CaptureLensData });
      out.push({ range: mr, command: { title: 'Test live…', command: COMMANDS.testLive, arguments: [args] } });
    }
  }
  return out;
}

/** Fills in an unresolved capture lens from the document's reach table. */
export function resolveCaptureLens(doc: AnalyzedDocument, lens: CodeLens, reach: ReachTable): CodeLens {
  const data = lens.data as CaptureLensData | undefined;
  if (data?.kind !== 'nsp.captures') return lens;
  const pf = doc.parse.file;
  const line0 = data.line - 1;
  const probe = pf.probes.find((p) => p.matches.some((m) => m.line === line0));
  const m = probe?.matches.find((x) => x.line === line0);
  const args = { uri: doc.uri, line: line0, probe: probe?.directive.name ?? '', protocol: probe?.directive.protocol ?? 'TCP', service: m?.service };
  return { range: lens.range, command: captureCommand(reach.get(data.line), args) };
}

function captureCommand(r: LineReach | undefined, args: object) {
  return { title: captureLensTitle(r), command: COMMANDS.testAgainstCaptures, arguments: [args] };
}

/** True when `data` belongs to a lens getCodeLenses left unresolved. */
export function isCaptureLensData(data: unknown): data is CaptureLensData {
  return typeof data === 'object' && data !== null && (data as CaptureLensData).kind === 'nsp.captures';
}
