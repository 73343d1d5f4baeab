// The default output of `nsp check`: one line per diagnostic in the shape compilers use, which
// editors, terminals and `grep` already understand, then one summary line.
//
//   probes.txt:12:5: error NSP101 unknown directive 'foo'
//   probes.txt:14:1: note: the first Probe is here        (a related location, when there is one)

import type { FileResult } from './format';
import { summaryLine } from './format';

export function formatText(results: readonly FileResult[]): string {
  const out: string[] = [];
  for (const r of results) {
    for (const f of r.findings) {
      out.push(`${r.path}:${f.line}:${f.column}: ${f.severity} ${f.code} ${oneLine(f.message)}`);
      for (const rel of f.related) out.push(`${r.path}:${rel.line}:${rel.column}: note: ${oneLine(rel.message)}`);
    }
  }
  out.push(summaryLine(results));
  return out.join('\n') + '\n';
}

/** A message is printed on one line so that each output line is one finding. */
function oneLine(message: string): string {
  return message.replace(/\r?\n/g, ' ');
}
