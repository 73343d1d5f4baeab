// `nsp check` with NSP_CHECK_THREADS=2 on a large file uses two threads: a worker thread
// (cli/check-worker.ts, bundled as dist/check-worker.js) judges the file's patterns while this
// thread parses it, and checkDocument takes its verdicts by each pattern's place in the text
// (engine/check's JudgedPatterns). Judging the patterns is about half the work of a check, and
// nothing in it depends on the parse. One worker serves every file of a run.
//
// It is not the default. Measured on the 2-core machine CI runs on, interleaved, a whole
// `nsp check` of nmap's file took ~235 ms on one thread and ~260 ms with the worker (three files:
// ~405 against ~465 ms): the worker starts a second V8 isolate and runs its code cold, and the two
// threads take the cores V8's optimising compiler and garbage collector would otherwise use. In a
// process whose code is already warm the worker does save time (bench: "… on a 2nd thread").
//
// Whatever goes wrong with the worker (no bundle beside this one, as under tsx in the tests; a
// crash; a reply that never comes), the check still runs whole on this thread: the worker only
// saves time, it never decides a verdict the main thread would not have reached.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import type { Pcre2Version } from '../regex/index';
import { JudgedPatterns } from '../engine/check/index';
import type { AnalysisReply, AnalysisRequest } from './check-worker';
import { nodeWorkerThreads } from '../prober/node-modules';

/** Below this size a second thread costs more to start (~20 ms) than it saves. */
export const PARALLEL_MIN_CHARS = 256 * 1024;

/** How long to wait for the worker's verdicts after the parse before judging the patterns here. */
const WAIT_MS = 10_000;

export interface PendingAnalysis {
  /** The worker's verdicts, or undefined when it failed (then judge everything here). */
  result(): Promise<JudgedPatterns | undefined>;
}

const NONE: PendingAnalysis = { result: async () => undefined };

export class PatternJudge {
  private worker: Worker | null = null;
  private failed = false;
  private queue: Promise<unknown> = Promise.resolve();
  private inFlight = 0;

  /**
   * `script`: the worker bundle (by default the one esbuild puts beside this bundle); `minChars`:
   * the size below which a file is judged on the main thread.
   */
  constructor(
    readonly script = join(__dirname, 'check-worker.js'),
    readonly minChars = PARALLEL_MIN_CHARS,
  ) {}

  /** Starts judging `text`'s patterns on the second thread; collect with result() after parsing. */
  start(text: string, version: Pcre2Version): PendingAnalysis {
    if (text.length < this.minChars || this.failed) return NONE;
    const worker = this.worker ?? this.spawn();
    if (!worker) return NONE;
    const request: AnalysisRequest = { text, version };
    // One request at a time: replies come back in order, each to the call that asked. With none
    // in flight the request is posted now, not from a promise callback: the caller parses
    // synchronously next, and a callback would run only after the parse, leaving nothing to overlap.
    const ask = (): Promise<AnalysisReply | undefined> => this.ask(worker, request);
    const reply = (this.inFlight === 0 ? ask() : this.queue.then(ask)).finally(() => this.inFlight--);
    this.inFlight++;
    this.queue = reply;
    return {
      result: async () => {
        const r = await reply;
        return r && r.version === version ? new JudgedPatterns(r) : undefined;
      },
    };
  }

  /** Ends the thread (it is unref'd, so a forgotten close never keeps the process alive). */
  close(): void {
    void this.worker?.terminate();
    this.worker = null;
  }

  private spawn(): Worker | null {
    if (!existsSync(this.script)) {
      this.failed = true;
      return null;
    }
    try {
      // Loaded here, not at the top: most commands never start a thread.
      const w = new (nodeWorkerThreads().Worker)(this.script);
      w.unref();
      this.worker = w;
      return w;
    } catch {
      this.failed = true;
      return null;
    }
  }

  private ask(worker: Worker, request: AnalysisRequest): Promise<AnalysisReply | undefined> {
    if (this.worker !== worker) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const finish = (r: AnalysisReply | undefined): void => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onFailure);
        worker.off('exit', onFailure);
        if (!r) {
          // A crashed or silent worker is not asked again in this run.
          this.failed = true;
          this.close();
        }
        resolve(r);
      };
      const onMessage = (r: AnalysisReply): void => finish(r);
      const onFailure = (): void => finish(undefined);
      const timer = setTimeout(onFailure, WAIT_MS);
      timer.unref();
      worker.on('message', onMessage);
      worker.once('error', onFailure);
      worker.once('exit', onFailure);
      worker.postMessage(request);
    });
  }
}
