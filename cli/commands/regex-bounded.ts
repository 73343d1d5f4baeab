// Bounded matching for the edges (CLI, tests; the server can reuse it): a JavaScript RegExp cannot
// be interrupted, so a risky match runs in a worker_threads Worker that is terminated when its time
// runs out, and the answer is {kind:'limit'} — what nmap does past PCRE2's match limit (the line
// simply does not match). regex/ stays pure: it only supplies the plan (regex/match.ts).
import type { Worker } from 'node:worker_threads';
import type { MatchOutcome } from '../../regex/api';
import type { CompiledDetail } from '../../regex/index';
import { WORKER_SOURCE, workerPlan } from '../../regex/match';
import { nodeWorkerThreads } from '../../prober/node-modules';
import type { WorkerPlan } from '../../regex/match';

/** A loop-forever variant of WORKER_SOURCE: one worker serves many plans until it is terminated. */
const LOOP_SOURCE = `
const { parentPort } = require('node:worker_threads');
parentPort.on('message', (p) => {
  const re = new RegExp(p.source, p.flags);
  const m = re.exec(p.subject);
  if (!m) { parentPort.postMessage({ kind: 'nomatch' }); return; }
  const caps = p.groupMap.map((js) => { for (const j of js) { const v = m.indices[j]; if (v) return [v[0], v[1]]; } return null; });
  parentPort.postMessage({ kind: 'match', captures: caps });
});
`;
void WORKER_SOURCE;

export class BoundedRunner {
  private worker: Worker | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(readonly timeoutMs = 1000) {}

  private start(): Worker {
    // Loaded on first use, not at the top: this file is in the one CLI bundle, and a command that
    // never bounds a match (nsp check) need not load worker_threads at start-up.
    const w = new (nodeWorkerThreads().Worker)(LOOP_SOURCE, { eval: true });
    w.unref();
    this.worker = w;
    return w;
  }

  private runPlan(plan: WorkerPlan): Promise<MatchOutcome> {
    const w = this.worker ?? this.start();
    return new Promise<MatchOutcome>((resolve) => {
      const done = (o: MatchOutcome): void => {
        clearTimeout(timer);
        w.off('message', onMessage);
        w.off('error', onError);
        resolve(o);
      };
      const onMessage = (o: MatchOutcome): void => done(o);
      const onError = (e: Error): void => {
        this.worker = null;
        void w.terminate();
        done({ kind: 'unsupported', message: `the editor cannot test this pattern (${e.message})` });
      };
      const timer = setTimeout(() => {
        this.worker = null;
        void w.terminate();
        done({ kind: 'limit' });
      }, this.timeoutMs);
      w.on('message', onMessage);
      w.on('error', onError);
      w.postMessage(plan);
    });
  }

  /** Match with a time limit when the pattern is risky; directly otherwise. One match at a time. */
  exec(re: CompiledDetail, subject: string): Promise<MatchOutcome> {
    const t = re.translation();
    if (!t || !re.risky) return Promise.resolve(re.exec(subject));
    const next = this.queue.then(() => this.runPlan(workerPlan(t, subject)));
    this.queue = next.catch(() => undefined);
    return next;
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    if (w) await w.terminate();
  }
}
