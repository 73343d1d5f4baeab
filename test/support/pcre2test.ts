// A batch driver for Debian's `pcre2test` (package pcre2-utils, PCRE2 10.42): the reference our
// differential tests compare against. One process compiles many patterns and matches many subjects,
// so a test pays the process start once.
//
// Patterns and subjects are binary strings (one char per byte). Patterns go in with the `hex`
// modifier and subjects as `\xhh` escapes, so any byte (newline, the delimiter, NUL in a subject)
// survives. Capture offsets are recovered from `allaftertext`: pcre2test prints each capture's text
// and the text after it, escaping non-printing bytes as `\xhh`; the printed form of a suffix of the
// subject is strictly longer the earlier it starts, so its length pins the byte offset exactly even
// when the subject itself contains a backslash followed by "x80".
//
// Matching uses nmap's limits by default (service_scan.cc, ServiceProbeMatch::InitMatch():
// match 50000, depth 1000, heap 10240 KiB); pcre2test uses the interpreter (no JIT) like nmap.
import { spawnSync } from 'node:child_process';

export interface Pcre2Case {
  /** The pattern as a binary string (exactly the bytes between nmap's delimiters). */
  pattern: string;
  caseless?: boolean;
  dotall?: boolean;
  /** Subjects (binary strings) to match against the pattern when it compiles. */
  subjects?: string[];
}

export interface Pcre2Match {
  matched: boolean;
  /** pcre2_match returned a match/depth/heap limit error (nmap treats it as no match). */
  limit: boolean;
  /** Negative PCRE2 error code of a failed match other than "no match" (e.g. -47 match limit). */
  errorCode?: number;
  message?: string;
  /** [start, end) byte offsets of group 0..groupCount; null when unset. Empty when not matched. */
  captures: ([number, number] | null)[];
}

export interface Pcre2Verdict {
  compiled: boolean;
  /** pcre2_compile's error number and offset (bytes of the pattern), when not compiled. */
  errorCode?: number;
  errorOffset?: number;
  message?: string;
  /** From the `info` modifier, when compiled. */
  groupCount?: number;
  /** PCRE2_INFO_MATCHEMPTY ("May match empty string"). */
  matchesEmpty?: boolean;
  /** One per subject, in order; empty when the pattern did not compile. */
  matches: Pcre2Match[];
}

export interface Pcre2Options {
  /** Apply nmap's match/depth/heap limits (default true). */
  nmapLimits?: boolean;
  /** The program to run (default `pcre2test`). */
  binary?: string;
  /** Kill the process after this long (default 300 s). */
  timeoutMs?: number;
}

export const NMAP_MATCH_LIMIT = 50000;
export const NMAP_DEPTH_LIMIT = 1000;
export const NMAP_HEAP_LIMIT_KIB = 10240;

const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

function patternLine(c: Pcre2Case): string {
  const hex: string[] = [];
  for (let i = 0; i < c.pattern.length; i++) hex.push(HEX[c.pattern.charCodeAt(i) & 0xff]);
  const mods = ['hex', 'info'];
  if (c.caseless) mods.push('caseless');
  if (c.dotall) mods.push('dotall');
  return `/${hex.join(' ')}/${mods.join(',')}`;
}

function subjectLine(s: string): string {
  // A lone backslash at the end of a line is ignored: that is how pcre2test takes an empty subject.
  if (s.length === 0) return '\\';
  let out = '';
  for (let i = 0; i < s.length; i++) out += '\\x' + HEX[s.charCodeAt(i) & 0xff];
  return out;
}

/** How pcre2test prints a byte in byte mode: printable ASCII as is, everything else as \xhh. */
function printedByte(b: number): string {
  return b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '\\x' + HEX[b];
}

/** Byte offset of the start of the suffix of `s` whose printed form is `printed`. */
function suffixStart(s: string, printed: string): number {
  // suffixLen[i] = printed length of s[i..]; decreasing strictly, so the length identifies i.
  let len = 0;
  for (let i = s.length; i >= 0; i--) {
    if (len === printed.length) {
      if (printedRange(s, i, s.length) === printed) return i;
      break;
    }
    if (i > 0) len += printedByte(s.charCodeAt(i - 1)).length;
  }
  throw new Error(`pcre2test driver: cannot place after-text ${JSON.stringify(printed.slice(0, 40))}`);
}

function printedRange(s: string, from: number, to: number): string {
  let out = '';
  for (let i = from; i < to; i++) out += printedByte(s.charCodeAt(i));
  return out;
}

/** Byte offset where the capture ending at `end` with printed text `printed` starts. */
function captureStart(s: string, end: number, printed: string): number {
  let len = 0;
  for (let i = end; i >= 0; i--) {
    if (len === printed.length) {
      if (printedRange(s, i, end) === printed) return i;
      break;
    }
    if (i > 0) len += printedByte(s.charCodeAt(i - 1)).length;
  }
  throw new Error(`pcre2test driver: cannot place capture ${JSON.stringify(printed.slice(0, 40))}`);
}

function parseMatch(subject: string, lines: string[]): Pcre2Match {
  const first = lines[0] ?? '';
  if (first === 'No match') return { matched: false, limit: false, captures: [] };
  const fail = /^Failed: error (-?\d+): (.*)$/.exec(first);
  if (fail) {
    const code = Number(fail[1]);
    // -47 match limit, -53 depth limit, -63 heap limit.
    const limit = code === -47 || code === -53 || code === -63;
    return { matched: false, limit, errorCode: code, message: fail[2], captures: [] };
  }
  const captures: ([number, number] | null)[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = /^ *(\d+): (.*)$/.exec(lines[i]);
    if (!m) continue;
    const n = Number(m[1]);
    const after = /^ *(\d+)\+ (.*)$/.exec(lines[i + 1] ?? '');
    while (captures.length < n) captures.push(null);
    if (after && Number(after[1]) === n) {
      const end = suffixStart(subject, after[2]);
      captures[n] = [captureStart(subject, end, m[2]), end];
      i++;
    } else {
      captures[n] = null; // printed as <unset>, with no after-text line
    }
  }
  if (captures.length === 0) throw new Error(`pcre2test driver: unexpected output ${JSON.stringify(lines)}`);
  return { matched: true, limit: false, captures };
}

function parseCompile(lines: string[]): Omit<Pcre2Verdict, 'matches'> {
  for (const l of lines) {
    const m = /^Failed: error (\d+) at offset (\d+): (.*)$/.exec(l);
    if (m) return { compiled: false, errorCode: Number(m[1]), errorOffset: Number(m[2]), message: m[3] };
  }
  let groupCount = 0;
  let matchesEmpty = false;
  for (const l of lines) {
    const g = /^Capture group count = (\d+)$/.exec(l);
    if (g) groupCount = Number(g[1]);
    if (l === 'May match empty string') matchesEmpty = true;
  }
  return { compiled: true, groupCount, matchesEmpty };
}

/**
 * Compile every case and match its subjects in one pcre2test process. Synchronous: it is a test
 * helper. Throws if pcre2test is missing or its output cannot be understood (a test should fail
 * loudly then, not compare against garbage).
 */
export function pcre2Batch(cases: Pcre2Case[], options: Pcre2Options = {}): Pcre2Verdict[] {
  const input: string[] = [];
  const limits = options.nmapLimits === false ? '' :
    `,match_limit=${NMAP_MATCH_LIMIT},depth_limit=${NMAP_DEPTH_LIMIT},heap_limit=${NMAP_HEAP_LIMIT_KIB}`;
  input.push(`#subject allaftertext,allcaptures${limits}`);
  const header = input.length;
  for (const c of cases) {
    input.push(patternLine(c));
    for (const s of c.subjects ?? []) input.push(subjectLine(s));
    input.push('');
  }
  const res = spawnSync(options.binary ?? 'pcre2test', ['-q'], {
    input: input.join('\n') + '\n',
    encoding: 'latin1',
    maxBuffer: 1 << 30,
    timeout: options.timeoutMs ?? 300_000,
  });
  if (res.error) throw new Error(`pcre2test: ${res.error.message}`);
  const out = res.stdout.split('\n');
  if (out.length && out[out.length - 1] === '') out.pop();
  // Walk the output: each input line is echoed, followed by what pcre2test said about it.
  let p = 0;
  const expect = (line: string): void => {
    if (out[p] !== line) {
      throw new Error(`pcre2test driver: expected echo ${JSON.stringify(line.slice(0, 80))} at output line ${p}, got ${JSON.stringify((out[p] ?? '<eof>').slice(0, 80))}; stderr: ${res.stderr.slice(0, 200)}`);
    }
    p++;
  };
  const until = (next: string | undefined): string[] => {
    const got: string[] = [];
    while (p < out.length && out[p] !== next) got.push(out[p++]);
    return got;
  };
  for (let i = 0; i < header; i++) { expect(input[i]); until(input[i + 1]); }
  let k = header;
  const verdicts: Pcre2Verdict[] = [];
  for (const c of cases) {
    const subjects = c.subjects ?? [];
    expect(input[k]);
    const compileLines = until(input[k + 1]);
    const verdict: Pcre2Verdict = { ...parseCompile(compileLines), matches: [] };
    k++;
    for (const s of subjects) {
      expect(input[k]);
      const lines = until(input[k + 1]);
      // After a failed compile pcre2test skips the subject lines silently.
      if (verdict.compiled) {
        try {
          verdict.matches.push(parseMatch(s, lines));
        } catch (e) {
          throw new Error(`${(e as Error).message} (pattern ${JSON.stringify(c.pattern)}, subject ${JSON.stringify(s)}, output ${JSON.stringify(lines)})`);
        }
      }
      k++;
    }
    expect(input[k]); // the blank line ending the subjects
    until(input[k + 1]);
    k++;
    verdicts.push(verdict);
  }
  return verdicts;
}

/** Whether pcre2test can be run here (tests use it to fail with a clear message). */
export function pcre2Version(binary = 'pcre2test'): string | null {
  const r = spawnSync(binary, ['-C'], { encoding: 'utf8', timeout: 10_000 });
  const m = /PCRE2 version (\S+)/.exec(r.stdout ?? '');
  return r.status === 0 && m ? m[1] : null;
}
