// Reading match/softmatch patterns out of an nmap-service-probes file the way nmap does
// (service_scan.cc, ServiceProbeMatch::InitMatch()): lines starting with "match " or "softmatch "
// at column 0, the service name up to the next space, then m<delim>pattern<delim> and the flag
// letters i and s. The file is read as a binary string so a raw "é" is the two bytes PCRE2 sees.
// Shared by the regex benchmark and the regex tests; it reads ../shared, never copies it.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SweepEntry } from '../regex/sweep';
import { parseFingerprints } from '../engine/fingerprint';

/** ../shared (NSP_SHARED when set: a bundled benchmark child runs from a temp dir). */
export const SHARED = process.env.NSP_SHARED ?? join(__dirname, '..', '..', 'shared');

export interface CorpusPattern extends SweepEntry {
  /** 1-based line number in the file. */
  line: number;
  soft: boolean;
}

/**
 * The one place a CorpusPattern object is made, so that every entry has the same hidden class in
 * V8: entries built another way (a spread copy, say) have another, and code optimised on one kind
 * deoptimises on meeting the other, which a benchmark would then time.
 */
function corpusPattern(pattern: string, caseless: boolean, dotall: boolean, line: number, soft: boolean): CorpusPattern {
  return { pattern, caseless, dotall, line, soft };
}

/** The same entry with another pattern (same object shape as every entry). */
export function withPattern(e: CorpusPattern, pattern: string): CorpusPattern {
  return corpusPattern(pattern, e.caseless, e.dotall, e.line, e.soft);
}

export function patternsOf(binaryText: string): CorpusPattern[] {
  const out: CorpusPattern[] = [];
  const lines = binaryText.split('\n');
  lines.forEach((raw, k) => {
    const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const soft = text.startsWith('softmatch ');
    if (!soft && !text.startsWith('match ')) return;
    const rest = text.slice(soft ? 10 : 6);
    const sp = rest.indexOf(' ');
    if (sp < 0 || rest[sp + 1] !== 'm') return;
    const delim = rest[sp + 2];
    const end = rest.indexOf(delim, sp + 3);
    if (end < 0) return;
    const pattern = rest.slice(sp + 3, end);
    let flags = '';
    for (let j = end + 1; j < rest.length && j < end + 4 && rest[j] !== ' '; j++) flags += rest[j];
    out.push(corpusPattern(pattern, flags.includes('i'), flags.includes('s'), k + 1, soft));
  });
  return out;
}

export function corpusPatterns(file = 'nmap-service-probes'): CorpusPattern[] {
  return patternsOf(readFileSync(join(SHARED, 'corpus', file), 'latin1'));
}

/** Every distinct response of ../shared/fingerprints, files in name order (what `nsp match` over them sweeps). */
export function fingerprintResponses(): string[] {
  const dir = join(SHARED, 'fingerprints');
  const all = new Set<string>();
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.sf')).sort()) {
    for (const fp of parseFingerprints(readFileSync(join(dir, f), 'latin1')).fingerprints) for (const x of fp.responses) all.add(x.bytes);
  }
  return [...all];
}
