// The second thread of `nsp check` (cli/parallel-analysis.ts starts it): while the main thread
// parses a large file, this one judges its patterns with the regex layer and sends the verdicts
// back by place in the text (engine/check/judged-patterns.ts). It finds the patterns with a cheap line scan that
// mirrors how nmap's reader takes a match line apart (service_scan.cc, ServiceProbeMatch::InitMatch:
// `match`/`softmatch`, a service name, then `m`, a delimiter, the pattern up to the same delimiter,
// and flag letters). The scan needs to be right only most of the time: the main thread judges itself
// every pattern it finds no verdict for, so a line read differently here costs time, never a verdict.
import { parentPort } from 'node:worker_threads';
import { analyze, type Pcre2Version } from '../regex/index';
import { toBinaryString } from '../grammar/line-index';
import { flagBits, type JudgedPatternsData } from '../engine/check/judged-patterns';

export interface AnalysisRequest {
  text: string;
  version: Pcre2Version;
}

/** The verdicts, by where each pattern sits in the text (engine/check/judged-patterns.ts). */
export type AnalysisReply = JudgedPatternsData;

export interface ScannedPattern {
  /** The pattern as bytes (binary string). */
  pattern: string;
  caseless: boolean;
  dotall: boolean;
  /** UTF-16 offsets in the text of its first character and one past its last (before the closing delimiter). */
  start: number;
  end: number;
}

/** Pattern bytes, place and flags of every match/softmatch line nmap would read as one. */
export function scanPatterns(text: string): ScannedPattern[] {
  const out: ScannedPattern[] = [];
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const c = text.charCodeAt(start);
    if (c === 0x6d /* m */ || c === 0x73 /* s */) {
      let i = text.startsWith('match ', start) ? start + 6 : text.startsWith('softmatch ', start) ? start + 10 : -1;
      if (i > 0) {
        while (i < end && (text[i] === ' ' || text[i] === '\t')) i++;
        while (i < end && text[i] !== ' ' && text[i] !== '\t') i++;
        while (i < end && (text[i] === ' ' || text[i] === '\t')) i++;
        if (text[i] === 'm' && i + 1 < end) {
          const close = text.indexOf(text[i + 1], i + 2);
          if (close > 0 && close < end) {
            let caseless = false;
            let dotall = false;
            for (let f = close + 1; f < end; f++) {
              const ch = text[f];
              if (ch === 'i') caseless = true;
              else if (ch === 's') dotall = true;
              else break;
            }
            out.push({ pattern: toBinaryString(text.slice(i + 2, close)), caseless, dotall, start: i + 2, end: close });
          }
        }
      }
    }
    start = end + 1;
  }
  return out;
}

export function analyzeAll(request: AnalysisRequest): AnalysisReply {
  const found = scanPatterns(request.text);
  const n = found.length;
  const reply: AnalysisReply = {
    version: request.version,
    starts: new Int32Array(n),
    ends: new Int32Array(n),
    flags: new Uint8Array(n),
    groups: new Int32Array(n),
    details: [],
  };
  for (let k = 0; k < n; k++) {
    const p = found[k];
    const r = analyze(p.pattern, { caseless: p.caseless, dotall: p.dotall, version: request.version });
    reply.starts[k] = p.start;
    reply.ends[k] = p.end;
    reply.flags[k] = flagBits(p.caseless, p.dotall);
    const clean = r.ok && !r.matchesEmpty && r.octalTraps.length === 0 && r.unsupported.length === 0;
    reply.groups[k] = clean ? r.groupCount : -1;
    if (!clean) reply.details.push({ index: k, verdict: r });
  }
  return reply;
}

if (parentPort) {
  const port = parentPort;
  port.on('message', (request: AnalysisRequest) => {
    const reply = analyzeAll(request);
    // The typed arrays move to the main thread instead of being copied.
    port.postMessage(reply, [reply.starts, reply.ends, reply.flags, reply.groups].map((a) => a.buffer as ArrayBuffer));
  });
}
