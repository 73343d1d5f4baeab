// The second thread of `nsp check` (cli/parallel-analysis.ts starts it): while the main thread
// parses a large file, this one judges its patterns with the regex layer and sends the verdicts
// back, to seed engine/check's AnalysisCache. It finds the patterns with a cheap line scan that
// mirrors how nmap's reader takes a match line apart (service_scan.cc, ServiceProbeMatch::InitMatch:
// `match`/`softmatch`, a service name, then `m`, a delimiter, the pattern up to the same delimiter,
// and flag letters). The scan needs to be right only most of the time: the main thread judges itself
// every pattern it finds no verdict for, so a line read differently here costs time, never a verdict.
import { parentPort } from 'node:worker_threads';
import { analyze, type AnalyzeResult, type Pcre2Version } from '../regex/index';
import { toBinaryString } from '../grammar/line-index';

export interface AnalysisRequest {
  text: string;
  version: Pcre2Version;
}

/** One verdict per distinct pattern; a plain number stands for the common clean verdict. */
export interface AnalysisReply {
  /** The pattern as bytes (binary string), with its flags: "i", "s", "is" or "". */
  patterns: string[];
  flags: string[];
  verdicts: (number | AnalyzeResult)[];
}

/** Pattern bytes and flags of every match/softmatch line nmap would read as one. */
export function scanPatterns(text: string): { pattern: string; caseless: boolean; dotall: boolean }[] {
  const out: { pattern: string; caseless: boolean; dotall: boolean }[] = [];
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
            out.push({ pattern: toBinaryString(text.slice(i + 2, close)), caseless, dotall });
          }
        }
      }
    }
    start = end + 1;
  }
  return out;
}

export function analyzeAll(request: AnalysisRequest): AnalysisReply {
  const reply: AnalysisReply = { patterns: [], flags: [], verdicts: [] };
  const seen = new Set<string>();
  for (const p of scanPatterns(request.text)) {
    const flags = (p.caseless ? 'i' : '') + (p.dotall ? 's' : '');
    const key = flags + '\0' + p.pattern;
    if (seen.has(key)) continue;
    seen.add(key);
    const r = analyze(p.pattern, { caseless: p.caseless, dotall: p.dotall, version: request.version });
    const clean = r.ok && !r.matchesEmpty && r.octalTraps.length === 0 && r.unsupported.length === 0;
    reply.patterns.push(p.pattern);
    reply.flags.push(flags);
    reply.verdicts.push(clean ? r.groupCount : r);
  }
  return reply;
}

if (parentPort) {
  const port = parentPort;
  port.on('message', (request: AnalysisRequest) => {
    port.postMessage(analyzeAll(request));
  });
}
