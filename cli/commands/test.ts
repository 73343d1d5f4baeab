// `nsp test CAPTURES…`: runs capture-file cases through the engine and compares each verdict with
// the case's `expect` lines. Only the fields a case names are checked.

import type { CaptureCase, CaptureExpect } from '../../engine/capture';
import { parseCaptures } from '../../engine/capture';
import type { Verdict } from '../../engine/detect';
import { detect } from '../../engine/detect';
import type { CliIo, Command } from '../io';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, UsageError } from '../io';
import { caseResponses, loadProbesFile, probeDbFromBytes } from './match';

const USAGE = `usage: nsp test CAPTURES… [--probes FILE] [--datadir DIR]

Runs every case of the capture files and compares the verdict with its expect lines.
Exit status: 0 all passed, 1 a case failed, 2 usage or unreadable file.
`;

/** The differences between a case's expectations and a verdict, one line each. */
export function compareExpect(expect: CaptureExpect, v: Verdict): string[] {
  const diffs: string[] = [];
  const show = (x: unknown) => (x === null || x === undefined ? 'nothing' : JSON.stringify(x));
  for (const key of Object.keys(expect) as (keyof CaptureExpect)[]) {
    const want = expect[key];
    if (want === undefined) continue;
    const got = key === 'cpe' ? v.cpe : v[key];
    const same = key === 'cpe' ? JSON.stringify(want) === JSON.stringify(got) : want === got;
    if (!same) diffs.push(`${key}: expected ${show(want)}, got ${show(got)}`);
  }
  return diffs;
}

function judge(c: CaptureCase, db: Parameters<typeof detect>[0]): Verdict {
  return detect(db, caseResponses(c), {
    port: c.port,
    protocol: c.protocol,
    tunnel: c.tls ? 'ssl' : 'none',
    intensity: c.intensity,
  });
}

export const command: Command = {
  name: 'test',
  summary: 'run capture-file cases and check their expected verdicts',
  usage: USAGE,
  async run(args, io: CliIo) {
    if (args.includes('--help') || args.includes('-h')) {
      io.stdout(USAGE);
      return EXIT_OK;
    }
    try {
      const files: string[] = [];
      let probes: string | undefined;
      let datadir: string | undefined;
      for (let i = 0; i < args.length; i++) {
        const a = args[i];
        if (a === '--probes' || a === '--datadir') {
          const v = args[++i];
          if (v === undefined) throw new UsageError(`${a} needs a value`);
          if (a === '--probes') probes = v;
          else datadir = v;
        } else if (a.startsWith('--')) throw new UsageError(`unknown option '${a}'`);
        else files.push(a);
      }
      if (files.length === 0) throw new UsageError('give at least one capture file');
      const suites: { file: string; cases: CaptureCase[] }[] = [];
      for (const file of files) {
        let text: string;
        try {
          text = (await io.readFile(file)).toString('utf8');
        } catch (e) {
          throw new UsageError(`cannot read ${file}: ${(e as Error).message}`);
        }
        const { cases, diagnostics } = parseCaptures(text);
        const errors = diagnostics.filter((d) => d.severity === 'error');
        if (errors.length) throw new UsageError(`${file}: ${errors[0].message}`);
        suites.push({ file, cases });
      }
      const { path, bytes } = await loadProbesFile(io, probes, datadir);
      const db = probeDbFromBytes(bytes, io, path);
      let passed = 0;
      let failed = 0;
      for (const { file, cases } of suites) {
        for (const c of cases) {
          const v = judge(c, db);
          const diffs = compareExpect(c.expect, v);
          if (Object.keys(c.expect).length === 0) diffs.push('the case has no expect lines');
          if (diffs.length === 0) {
            passed++;
            io.stdout(`PASS ${file}: ${c.name}\n`);
          } else {
            failed++;
            io.stdout(`FAIL ${file}: ${c.name}\n`);
            for (const d of diffs) io.stdout(`  ${d}\n`);
            const last = v.trail.filter((t) => t.outcome !== 'no-response').map((t) => `${t.probe}:${t.outcome}${t.line ? `@${t.line}` : ''}`);
            if (last.length) io.stdout(`  probes answered: ${last.join(' ')}\n`);
          }
        }
      }
      io.stdout(`${passed} passed, ${failed} failed\n`);
      return failed ? EXIT_FINDINGS : EXIT_OK;
    } catch (e) {
      io.stderr(`nsp test: ${(e as Error)?.message ?? String(e)}\n`);
      return EXIT_USAGE;
    }
  },
};
