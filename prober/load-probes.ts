// The probes the scan sends come from the text the user is editing (an unsaved buffer is fine):
// grammar's parse, then the engine's probe database with the regex layer's compile.
import { parse } from '../grammar/index';
import { buildProbeDb, type ProbeDb } from '../engine/probe-db';
import { compile } from '../regex/compile';
import { prefixFilteredCompile } from './prefix-filter';

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
  const db = buildProbeDb(file, { compile: prefixFilteredCompile(compile) });
  return { db, errors, problems: db.problems };
}
