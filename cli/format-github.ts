// `--format github`: GitHub Actions workflow commands, which the runner turns into annotations on
// the pull request's diff. One command per diagnostic:
//
//   ::error file=nmap-service-probes,line=12,col=5,endLine=12,endColumn=9,title=NSP101::unknown directive
//
// GitHub reads `%`, CR and LF as escapes in the message, and additionally `:` and `,` in property
// values (they separate the properties); each must be written as its %XX form or the command is
// cut short. Information and hints become `::notice`.

import type { FileResult } from './format';
import { summaryLine } from './format';
import type { Severity } from '../grammar/diagnostic';

const COMMAND: Record<Severity, string> = { error: 'error', warning: 'warning', information: 'notice', hint: 'notice' };

export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function formatGithub(results: readonly FileResult[]): string {
  const out: string[] = [];
  for (const r of results) {
    for (const f of r.findings) {
      const props = [
        `file=${escapeProperty(r.path)}`,
        `line=${f.line}`,
        `col=${f.column}`,
        `endLine=${f.endLine}`,
        `endColumn=${f.endColumn}`,
        `title=${escapeProperty(f.code)}`,
      ].join(',');
      out.push(`::${COMMAND[f.severity]} ${props}::${escapeData(f.message)}`);
    }
  }
  // A plain line is only logged by the runner; it is the same summary the text format ends with.
  out.push(summaryLine(results));
  return out.join('\n') + '\n';
}
