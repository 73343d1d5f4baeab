// The engine's rows for `npm run bench` (see bench/run.ts and bench/README.md):
// - judging a fingerprint of 10 responses that nothing matches, with the latest probes file loaded
//   (the worst case: every line of every probe a response reaches is tried) — target ≤ 50 ms median;
// - loading: parse + probe database + every prefilter and regex compiled (what nmap does at start).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from '../grammar/index';
import { compile } from '../regex/compile';
import { buildProbeDb, prepareProbeDb } from '../engine/probe-db';
import { detect } from '../engine/detect';
import type { RecordedResponse } from '../engine/detect';
import type { BenchContext, BenchRow } from './run';
import { median, min, timeOnce, timeWarm } from './check-bench';

/** Ten TCP probes nmap sends early to an unlisted port, each given bytes nothing matches. */
export function unmatchedResponses(samples: string[]): RecordedResponse[] {
  const probes = ['NULL', 'GenericLines', 'GetRequest', 'HTTPOptions', 'RTSPRequest', 'RPCCheck', 'DNSVersionBindReqTCP', 'DNSStatusRequestTCP', 'Help', 'SSLSessionReq'];
  const random = samples.find((s) => s.length >= 4096) ?? 'x'.repeat(4096);
  // Different first bytes so the first-byte prefilter does not rule out the same lines each time.
  return probes.map((probe, i) => ({ probe, bytes: random.slice(i * 37, i * 37 + 1024) }));
}

/** The same, each response starting with a byte many patterns start with ("H", NUL, "S", "2", …). */
export function unmatchedCommonFirstBytes(samples: string[]): RecordedResponse[] {
  const firsts = ['H', '\0', 'S', '2', '\x16', '<', '+', 'R', '\x05', '{'];
  return unmatchedResponses(samples).map((r, i) => ({ probe: r.probe, bytes: firsts[i] + r.bytes.slice(1) }));
}

export async function benchRows(ctx: BenchContext): Promise<BenchRow[]> {
  const reps = ctx.quick ? 7 : 21;
  const load = () => {
    const db = buildProbeDb(parse(ctx.probesText).file, { compile });
    prepareProbeDb(db);
    return db;
  };
  const loadSample = timeOnce(load);
  const db = load();
  // The context gives the samples' paths.
  const responses = unmatchedResponses(ctx.samples.map((s) => (s.length < 4096 && !s.includes('\0') ? readFileSync(s).toString('latin1') : s)));
  const port = 31337;
  const probe = detect(db, responses, { port, protocol: 'TCP', intensity: 9 });
  const lines = probe.trail.reduce((n, s) => n + s.linesTried, 0);
  const samples = timeWarm(() => detect(db, responses, { port, protocol: 'TCP', intensity: 9 }), reps, 5);
  const wall = samples.map((s) => s.wallMs);
  const common = unmatchedCommonFirstBytes(ctx.samples.map((s) => (s.length < 4096 && !s.includes('\0') ? readFileSync(s).toString('latin1') : s)));
  const commonVerdict = detect(db, common, { port, protocol: 'TCP', intensity: 9 });
  const wall2 = timeWarm(() => detect(db, common, { port, protocol: 'TCP', intensity: 9 }), reps, 5).map((s) => s.wallMs);
  return [
    {
      measure: 'engine: judge 10 unmatched responses starting with common first bytes',
      unit: 'ms',
      ours: { median: median(wall2), min: min(wall2) },
      target: { kind: 'absolute', max: 50 },
      note: commonVerdict.service === null ? 'verdict: no match, as intended' : `unexpected verdict ${commonVerdict.service}`,
    },
    {
      measure: `engine: judge 10 unmatched responses (${lines} line tries, latest file loaded)`,
      unit: 'ms',
      ours: { median: median(wall), min: min(wall) },
      target: { kind: 'absolute', max: 50 },
      note: probe.service === null ? 'verdict: no match, as intended' : `unexpected verdict ${probe.service}`,
    },
    {
      measure: 'engine: load (parse + probe db + compile every regex), first in process',
      unit: 'ms',
      ours: { median: loadSample.wallMs, min: loadSample.wallMs },
      note: 'one cold sample',
    },
  ];
}

// Standalone: `npx tsx bench/engine-bench.ts` prints the rows as JSON.
if (require.main === module) {
  const shared = join(__dirname, '..', '..', 'shared');
  const probesPath = join(shared, 'corpus', 'nmap-service-probes');
  const samples = ['random-4k.bin', 'http-400.bin'].map((f) => join(shared, 'anchors', 'samples', f));
  void benchRows({ quick: false, root: join(__dirname, '..'), probesPath, probesText: readFileSync(probesPath, 'utf8'), samples, pcre2: new Map(), tmp: '' }).then((rows) =>
    console.log(JSON.stringify(rows, null, 1)),
  );
}
