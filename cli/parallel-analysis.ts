// `nsp check` on a large file uses both cores: a worker thread (cli/check-worker.ts, bundled as
// dist/check-worker.js) judges the file's patterns while this thread parses it, and its verdicts
// seed the AnalysisCache engine/check consults. Judging the patterns is about half the work of a
// check, and nothing in it depends on the parse.
//
// Whatever goes wrong with the worker (no bundle beside this one, as under tsx in the tests; a
// crash; a reply that never comes), the check still runs whole on this thread: the worker only
// saves time, it never decides a verdict the main thread would not have reached.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Pcre2Version, AnalyzeResult } from '../regex/index';
import { AnalysisCache } from '../engine/check/index';
import type { AnalysisReply, AnalysisRequest } from './check-worker';

/** Below this size a second thread costs more to start (~20 ms) than it saves. */
export const PARALLEL_MIN_CHARS = 256 * 1024;

/** How long to wait for the worker's verdicts after the parse before judging the patterns here. */
const WAIT_MS = 10_000;

export interface PendingAnalysis {
  /** The seeded cache, or undefined when the worker failed (then judge everything here). */
  result(): Promise<AnalysisCache | undefined>;
}

const NONE: PendingAnalysis = { result: async () => undefined };

/**
 * Starts judging `text`'s patterns on a second thread. `script` is the worker bundle (by default
 * the one esbuild puts beside this bundle); `minChars` the size below which it is not worth it.
 */
export function startAnalysis(text: string, version: Pcre2Version, script = join(__dirname, 'check-worker.js'), minChars = PARALLEL_MIN_CHARS): PendingAnalysis {
  if (text.length < minChars || !existsSync(script)) return NONE;
  // Loaded here, not at the top: most commands never start a thread.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Worker } = require('node:worker_threads') as typeof import('node:worker_threads');
  let worker: import('node:worker_threads').Worker;
  try {
    worker = new Worker(script);
  } catch {
    return NONE;
  }
  const reply = new Promise<AnalysisReply | undefined>((resolve) => {
    const timer = setTimeout(() => finish(undefined), WAIT_MS);
    timer.unref();
    function finish(r: AnalysisReply | undefined): void {
      clearTimeout(timer);
      worker.removeAllListeners();
      void worker.terminate();
      resolve(r);
    }
    worker.once('message', (r: AnalysisReply) => finish(r));
    worker.once('error', () => finish(undefined));
    worker.once('exit', () => finish(undefined));
  });
  const request: AnalysisRequest = { text, version };
  worker.postMessage(request);
  return {
    async result() {
      const r = await reply;
      if (!r) return undefined;
      const cache = new AnalysisCache(Math.max(32768, r.patterns.length));
      for (let i = 0; i < r.patterns.length; i++) {
        const v = r.verdicts[i];
        const verdict: AnalyzeResult = typeof v === 'number' ? { ok: true, groupCount: v, matchesEmpty: false, octalTraps: [], unsupported: [] } : v;
        const flags = r.flags[i];
        cache.put(version, flags.includes('i'), flags.includes('s'), r.patterns[i], verdict);
      }
      return cache;
    },
  };
}
