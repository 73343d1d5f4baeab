// Running a translated pattern: exec with PCRE2's capture numbering, and a static estimate of
// catastrophic backtracking.
//
// Bounding: a JavaScript RegExp cannot be interrupted and has no step budget, so regex/ (pure, no
// clock) cannot enforce nmap's match limit itself. It does two things instead: `isRisky()` flags
// patterns with nested unbounded repetition (the shape behind PCRE2's "match limit exceeded"), and
// `workerPlan()` turns a compiled pattern into plain data that an edge (cli/, server/) runs in a
// worker_threads Worker with a time limit (see cli/commands/regex.ts, runBounded()), answering
// {kind:'limit'} when the time runs out — nmap, past its limits, treats the line as not matching.

import type { MatchOutcome } from './api';
import type { Node } from './ast';
import { walk } from './ast';
import type { Translation } from './translate';

/** Indexes of the JS RegExp result → PCRE2 captures ([start, end) or null). */
export function capturesFrom(m: RegExpExecArray, groupMap: number[][]): ([number, number] | null)[] {
  const ind = m.indices!;
  const out: ([number, number] | null)[] = [];
  for (let n = 0; n < groupMap.length; n++) {
    let v: [number, number] | null = null;
    for (const j of groupMap[n]) {
      const p = ind[j];
      if (p) { v = [p[0], p[1]]; break; }
    }
    out.push(v);
  }
  return out;
}

export function execRegExp(re: RegExp, groupMap: number[][], subject: string): MatchOutcome {
  re.lastIndex = 0;
  const m = re.exec(subject);
  return m ? { kind: 'match', captures: capturesFrom(m, groupMap) } : { kind: 'nomatch' };
}

function unboundedInside(node: Node): boolean {
  let found = false;
  walk(node, (n) => { if (n.type === 'quantified' && (n.max === null || n.max > 16) && n.mode !== 'possessive') found = true; });
  return found;
}

/**
 * True when a repetition contains another unbounded repetition (`(a+)+`, `(\w+\s?)*`, `(.*x)*`):
 * such patterns can backtrack exponentially. Atomic groups and possessive quantifiers are safe.
 */
export function isRisky(root: Node): boolean {
  let risky = false;
  const visit = (n: Node, atomic: boolean): void => {
    if (risky) return;
    if (n.type === 'quantified') {
      if (!atomic && n.mode !== 'possessive' && (n.max === null || n.max > 16) && unboundedInside(n.body)) { risky = true; return; }
      visit(n.body, atomic || n.mode === 'possessive');
      return;
    }
    if (n.type === 'group') { visit(n.body, atomic || n.kind === 'atomic'); return; }
    if (n.type === 'sequence') { for (const i of n.items) visit(i, atomic); return; }
    if (n.type === 'alternation') { for (const i of n.alternatives) visit(i, atomic); return; }
    if (n.type === 'conditional') { visit(n.yes, atomic); if (n.no) visit(n.no, atomic); }
  };
  visit(root, false);
  return risky;
}

/** Plain data for running one match elsewhere (a Worker): no functions, structured-clone safe. */
export interface WorkerPlan {
  source: string;
  flags: string;
  groupMap: number[][];
  subject: string;
}

export function workerPlan(t: Translation, subject: string): WorkerPlan {
  return { source: t.source, flags: 'd', groupMap: t.groupMap, subject };
}

/**
 * The body of a worker that runs a WorkerPlan: self-contained JavaScript (it imports nothing), to
 * be started with `new Worker(WORKER_SOURCE, { eval: true, workerData: plan })`. It posts a
 * MatchOutcome.
 */
export const WORKER_SOURCE = `
const { parentPort, workerData: p } = require('node:worker_threads');
const re = new RegExp(p.source, p.flags);
const m = re.exec(p.subject);
if (!m) parentPort.postMessage({ kind: 'nomatch' });
else {
  const caps = p.groupMap.map((js) => { for (const j of js) { const v = m.indices[j]; if (v) return [v[0], v[1]]; } return null; });
  parentPort.postMessage({ kind: 'match', captures: caps });
}
`;
