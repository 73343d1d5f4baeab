// The probes the scan sends come from the text the user is editing (an unsaved buffer is fine):
// grammar's parse, then the engine's probe database with the regex layer's compile. Nothing is
// compiled here: the engine compiles a line only when a reply passes its candidate selection
// (engine/probe-db.ts candidateLines + mayMatch: anchored literal prefix, then the sweep's walk).
import { parse } from '../grammar/index';
import { buildProbeDb, isExcluded, type ProbeDb } from '../engine/probe-db';
import { compile } from '../regex/index';

export interface LoadedProbes {
  db: ProbeDb;
  /** Syntax errors nmap would refuse the file for, as "line N: message" (1-based). */
  errors: string[];
  /** Lines the engine skipped (what nmap would refuse while loading). */
  problems: string[];
}

export function loadProbes(text: string): LoadedProbes {
  const { file, diagnostics } = parse(text);
  const errors = diagnostics
    .filter((d) => d.severity === 'error')
    .map((d) => `line ${file.lineIndex.positionAt(d.span.start).line + 1}: ${d.message}`);
  const db = buildProbeDb(file, { compile });
  return { db, errors, problems: db.problems };
}

export interface StagedProbes {
  /** The head of the file (Exclude + the NULL probe), when it can stand in for the whole file. */
  head?: LoadedProbes;
  /** The whole file, loaded on first call. */
  full(): LoadedProbes;
}

/**
 * Splits the load so a banner service is named after reading only the NULL probe's block. The
 * head is used only when the file's first probe is the NULL probe and no Exclude line follows it
 * (nmap reads Exclude wherever it is; the head must then hold it); otherwise only `full` is set.
 */
export function stagedProbes(text: string): StagedProbes {
  let loaded: LoadedProbes | undefined;
  const full = () => (loaded ??= loadProbes(text));
  const probeLine = /^[ \t]*Probe[ \t]/gm;
  const first = probeLine.exec(text);
  const second = first ? probeLine.exec(text) : null;
  if (!first || !second) return { full };
  const cut = second.index;
  if (/^[ \t]*Exclude[ \t]/m.test(text.slice(cut))) return { full };
  const head = loadProbes(text.slice(0, cut));
  if (!head.db.nullProbe || head.db.probes.length > 0) return { full };
  return { head, full };
}

/**
 * True when a TCP scan of `port` starts with the NULL probe on a connection nmap would open: the
 * file's first probe is the NULL probe and its Exclude directive (which nmap honours only before
 * the first Probe line) does not cover the port, or `allPorts`. Read from the file's preamble and
 * first Probe line alone, through the same parse and database as the whole file, so the scan can
 * connect before the NULL probe's block is parsed.
 */
export function nullProbeLeads(text: string, port: number, allPorts: boolean): boolean {
  const first = /^[ \t]*Probe[ \t][^\n]*/m.exec(text);
  if (!first) return false;
  const { db } = loadProbes(text.slice(0, first.index + first[0].length));
  return db.nullProbe !== undefined && db.probes.length === 0 && (allPorts || !isExcluded(db, port, 'TCP'));
}
