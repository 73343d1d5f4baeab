// Code lenses: on each match/softmatch line "Test against captures (N)" and "Test live…"; on each
// Probe line "Run probe against…" and "Version scan…". The commands are implemented by the client
// (and the CLI's logic); the service only says where they go and how many captures reach a line.
//
// A capture's response to probe P reaches the match lines of P, then of P's fallbacks, then (for
// TCP) of the NULL probe — the order nmap's `ServiceNFO` walks in `servicescan_read_handler`.

import type { CodeLens } from 'vscode-languageserver-types';
import type { Probe, ProbesFile } from '../grammar/ast';
import { probesByName, toRange, type AnalyzedDocument } from './document';

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

export interface LensContext {
  captures?: CaptureSummary[];
}

/** For each probe name, how many captures have a response that reaches its match lines. */
export function reachingCounts(pf: ProbesFile, captures: CaptureSummary[]): Map<Probe, number> {
  const byName = probesByName(pf);
  const find = (name: string, proto: string) => (byName.get(name) ?? []).find((p) => (p.directive.protocol ?? 'TCP') === proto);
  const counts = new Map<Probe, number>();
  for (const c of captures) {
    const reached = new Set<Probe>();
    for (const name of c.probes) {
      const p = find(name, c.protocol);
      if (!p) continue;
      reached.add(p);
      for (const f of p.fallback) for (const n of f.names) {
        const q = find(n.name, c.protocol);
        if (q) reached.add(q);
      }
      if (c.protocol === 'TCP') {
        const nul = find('NULL', 'TCP');
        if (nul) reached.add(nul);
      }
    }
    for (const p of reached) counts.set(p, (counts.get(p) ?? 0) + 1);
  }
  return counts;
}

export function getCodeLenses(doc: AnalyzedDocument, ctx: LensContext = {}): CodeLens[] {
  const pf = doc.parse.file;
  const counts = reachingCounts(pf, ctx.captures ?? []);
  const out: CodeLens[] = [];
  for (const p of pf.probes) {
    const d = p.directive;
    const r = toRange(doc, d.keywordSpan);
    const probeArgs = { uri: doc.uri, line: d.line, probe: d.name, protocol: d.protocol ?? 'TCP' };
    out.push({ range: r, command: { title: 'Run probe against…', command: COMMANDS.runProbe, arguments: [probeArgs] } });
    out.push({ range: r, command: { title: 'Version scan…', command: COMMANDS.versionScan, arguments: [probeArgs] } });
    const n = counts.get(p) ?? 0;
    for (const m of p.matches) {
      const mr = toRange(doc, m.keywordSpan);
      const args = { uri: doc.uri, line: m.line, probe: d.name, protocol: d.protocol ?? 'TCP', service: m.service };
      out.push({ range: mr, command: { title: `Test against captures (${n})`, command: COMMANDS.testAgainstCaptures, arguments: [args] } });
      out.push({ range: mr, command: { title: 'Test live…', command: COMMANDS.testLive, arguments: [args] } });
    }
  }
  return out;
}
