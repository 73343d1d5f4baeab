// Seeded pattern corpora for the regex differential tests: the match/softmatch patterns of every
// probes file in ../shared/corpus, and deterministic mutations of them. Shared by the tests that
// hold our parser to pcre2test and the quick route to the full one.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const CORPUS = join(__dirname, '../../../shared/corpus');

export interface Pat { pattern: string; caseless: boolean; dotall: boolean }

/**
 * The `m<d>…<d>flags` of each match/softmatch line, as nmap's ServiceProbeMatch::InitMatch()
 * reads it (the delimiter is the byte after `m`; the pattern ends at its next occurrence).
 */
export function corpusPatterns(): Pat[] {
  const out: Pat[] = [];
  for (const f of readdirSync(CORPUS).filter((x) => x.startsWith('nmap-service-probes')).sort()) {
    const text = readFileSync(join(CORPUS, f), 'latin1');
    for (const line of text.split('\n')) {
      const m = /^(?:soft)?match\s+\S+\s+m(.)/.exec(line);
      if (!m) continue;
      const d = m[1];
      const start = m.index + m[0].length;
      const end = line.indexOf(d, start);
      if (end < 0) continue;
      let flags = '';
      for (let i = end + 1; i < line.length && (line[i] === 'i' || line[i] === 's'); i++) flags += line[i];
      out.push({ pattern: line.slice(start, end), caseless: flags.includes('i'), dotall: flags.includes('s') });
    }
  }
  return out;
}

export function dedupe(pats: Pat[]): Pat[] {
  const seen = new Set<string>();
  return pats.filter((p) => {
    const k = `${p.caseless ? 1 : 0}${p.dotall ? 1 : 0}${p.pattern}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** A small deterministic PRNG (mulberry32) so the mutated corpus is the same on every run. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const INSERTS = ['(', ')', '[', ']', '{', '}', '*', '+', '?', '|', '\\', '^', '$', '.', '-', '{2}', '{3,1}',
  '{,4}', '{1,}', '(?:', '(?=', '(?<=', '(?!', '(?>', '(?i)', '(?-s)', '(?<n>', '(?P<n>', '\\1', '\\2', '\\g{-1}',
  '\\k<n>', '\\x', '\\x{', '\\x{41}', '\\0', '\\01', '\\8', '\\y', '\\c', '\\Q', '\\E', '[:alpha:]', '[[:foo:]]',
  '\\d', '\\w', '\\s', '\\b', '\\B', '\\R', '\\N', '\\K', '(*FAIL)', '(?#', '(?|', '(?(1)', '\\p{L}', '\\o{', '\\400'];

export function mutate(src: Pat[], count: number, seed: number, inserts: string[] = INSERTS, maxEdits = 2): Pat[] {
  const r = rng(seed);
  const out: Pat[] = [];
  while (out.length < count) {
    const base = src[Math.floor(r() * src.length)];
    let p = base.pattern;
    const edits = 1 + Math.floor(r() * maxEdits);
    for (let e = 0; e < edits; e++) {
      const at = Math.floor(r() * (p.length + 1));
      const kind = r();
      if (kind < 0.3 && p.length > 0) p = p.slice(0, at) + p.slice(at + 1);
      else if (kind < 0.45 && p.length > 0) p = p.slice(0, at) + p.slice(at, at + 1) + p.slice(at);
      else p = p.slice(0, at) + inserts[Math.floor(r() * inserts.length)] + p.slice(at);
    }
    out.push({ pattern: p, caseless: base.caseless, dotall: base.dotall });
  }
  return out;
}
