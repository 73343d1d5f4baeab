// The sweep's prefix trie at its boundaries: the trie-selected sweep must give exactly the hits of
// trying every pattern (fullSweep) on every distinct response of ../shared/fingerprints and
// ../shared/anchors/samples, and on synthetic responses built from the corpus patterns themselves:
// each pattern's anchored literal prefix cut short, cut mid-escape (a prefix decoded from `\x41`
// or `\r` stops at the byte), case-flipped (caseless patterns are walked in a second, lowercased table),
// with a byte changed or extended with random bytes, the empty response, and subjects generated
// from a pattern's tree so that they match (then truncated and case-flipped), so that the sweep
// has hits to lose.
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseFingerprints } from '../../engine/fingerprint';
import { corpusPatterns, SHARED } from '../../bench/regex-corpus';
import { Sweeper } from '../../regex/sweep';
import { PrefixTrie } from '../../regex/sweep-trie';
import { parse } from '../../regex/parse';
import { generate, rng } from './match-subjects';

function realResponses(): string[] {
  const all: string[] = [];
  const fp = join(SHARED, 'fingerprints');
  for (const f of readdirSync(fp).filter((n) => n.endsWith('.sf')).sort()) {
    for (const x of parseFingerprints(readFileSync(join(fp, f), 'latin1')).fingerprints) for (const r of x.responses) all.push(r.bytes);
  }
  const samples = join(SHARED, 'anchors', 'samples');
  for (const f of readdirSync(samples).filter((n) => n.endsWith('.bin')).sort()) all.push(readFileSync(join(samples, f), 'latin1'));
  return [...new Set(all)];
}

const flipCase = (s: string, r: () => number): string =>
  s.replace(/[A-Za-z]/g, (c) => (r() < 0.5 ? c : c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase()));

function randomBytes(n: number, r: () => number): string {
  let s = '';
  for (let k = 0; k < n; k++) s += String.fromCharCode(r() < 0.7 ? 0x20 + Math.floor(r() * 95) : Math.floor(r() * 256));
  return s;
}

/** Synthetic responses from the corpus: prefixes and tree-generated subjects, mutated. */
function synthetic(pats: ReturnType<typeof corpusPatterns>, trie: PrefixTrie, count: number): string[] {
  const r = rng(0x5eed7);
  const out = new Set<string>(['', '\n', '\r\n', 'H', 'h', '\x00', '\xff']);
  while (out.size < count) {
    const i = Math.floor(r() * pats.length);
    const p = pats[i];
    const end = trie.textEnd[i];
    let base: string;
    if (r() < 0.6 && end >= 0) {
      // The prefix text decoded by PCRE2's rules for these simple escapes: take the subject bytes
      // from a generated match, whose first depth[i] bytes are exactly the prefix.
      const parsed = parse(p.pattern, p);
      if (!parsed.ast) continue;
      const full = generate(parsed.ast, r);
      const d = trie.depth[i];
      const cut = Math.floor(r() * (d + 2));
      switch (Math.floor(r() * 5)) {
        case 0: base = full.slice(0, cut); break; // the prefix cut short (or just past it)
        case 1: base = flipCase(full.slice(0, d), r) + randomBytes(Math.floor(r() * 8), r); break;
        case 2: { // one byte of the prefix changed
          const k = Math.floor(r() * Math.max(d, 1));
          base = full.slice(0, k) + String.fromCharCode(Math.floor(r() * 256)) + full.slice(k + 1);
          break;
        }
        case 3: base = full.slice(0, d); break; // exactly the prefix
        default: base = full.slice(0, d) + full.slice(d, d + Math.floor(r() * 40));
      }
    } else {
      const parsed = parse(p.pattern, p);
      if (!parsed.ast) continue;
      const full = generate(parsed.ast, r);
      const k = Math.floor(r() * 4);
      base = k === 0 ? full : k === 1 ? flipCase(full, r) : k === 2 ? full.slice(0, Math.floor(r() * full.length)) : full + randomBytes(4, r);
    }
    out.add(base);
  }
  return [...out];
}

/**
 * Patterns whose prefix stopped just before a quantified literal (`^ab?c`, `^a\x00*`, `^a{2}`): the
 * quantified byte must not join the prefix. Several generated subjects each (the generator picks
 * 0..3 extra repetitions), so that the quantifier's minimum is exercised. One such pattern in four
 * (about 400), to keep the test near 20 seconds.
 */
function quantifiedBoundary(pats: ReturnType<typeof corpusPatterns>, trie: PrefixTrie): string[] {
  const r = rng(0xb0a7d);
  const out = new Set<string>();
  let seen = 0;
  for (let i = 0; i < pats.length; i++) {
    const end = trie.textEnd[i];
    if (end < 0) continue;
    const p = pats[i].pattern;
    const after = p.charCodeAt(end) === 0x5c ? (p[end + 1] === 'x' ? end + 4 : end + 2) : end + 1;
    if (!/^[*+?{]/.test(p.slice(after, after + 1)) || seen++ % 4 !== 0) continue;
    const parsed = parse(p, pats[i]);
    if (!parsed.ast) continue;
    for (let k = 0; k < 2; k++) out.add(generate(parsed.ast, r));
  }
  return [...out];
}

describe('regex sweep: the prefix trie selects exactly what the full sweep finds', function () {
  this.timeout(600_000);
  const pats = corpusPatterns();
  const sweeper = new Sweeper(pats);
  const trie = new PrefixTrie(pats);

  it('gives most patterns a prefix and keeps the rest as always-candidates', () => {
    let prefixed = 0;
    let caseless = 0;
    for (let i = 0; i < pats.length; i++) {
      if (trie.textEnd[i] >= 0) { prefixed++; if (pats[i].caseless) caseless++; }
      else assert.ok(!pats[i].pattern.startsWith('^') || pats[i].pattern.includes('|'), `line ${pats[i].line} has no prefix`);
    }
    assert.equal(prefixed + trie.rest.length, pats.length);
    assert.ok(prefixed > pats.length * 0.97, `${prefixed} of ${pats.length} prefixed`);
    assert.ok(caseless > 10, `${caseless} caseless prefixed patterns`);
  });

  it('equals the full sweep on every fingerprint response and anchor sample', () => {
    const subjects = realResponses();
    assert.ok(subjects.length > 390, `${subjects.length} distinct responses`);
    let hits = 0;
    for (const s of subjects) {
      const a = sweeper.sweep(s);
      assert.deepEqual(a, sweeper.fullSweep(s), `response ${JSON.stringify(s.slice(0, 60))}`);
      hits += a.length;
    }
    assert.ok(hits > 300, `${hits} hits`);
  });

  it('equals the full sweep on 2,000 responses built from the patterns\' own prefixes', () => {
    const subjects = synthetic(pats, trie, 2000);
    assert.ok(subjects.length >= 2000);
    let hits = 0;
    let caselessHits = 0;
    let prefixOnly = 0;
    for (const s of subjects) {
      const a = sweeper.sweep(s);
      assert.deepEqual(a, sweeper.fullSweep(s), `response ${JSON.stringify(s.slice(0, 80))}`);
      hits += a.length;
      for (const h of a) if (pats[h.index].caseless) caselessHits++;
      if (a.some((h) => trie.depth[h.index] === s.length)) prefixOnly++;
    }
    // The generated subjects must actually reach the boundaries: matches at all, matches of
    // caseless patterns, and matches whose subject ends exactly where the prefix does.
    console.log(`      ${subjects.length} responses, ${hits} hits (${caselessHits} caseless, ${prefixOnly} responses ending at a prefix)`);
    assert.ok(hits > 1000, `${hits} hits`);
    assert.ok(caselessHits > 0, 'no caseless pattern matched');
  });

  it('keeps every pattern whose required run a generated match holds (runs, their byte pairs, unprefixed patterns)', () => {
    // Patterns the run filter (four byte pairs, then indexOf) judges: every unprefixed one with a
    // run and every 24th prefixed one. Each gets two subjects generated from its tree (a match),
    // case-flipped when caseless, after junk bytes when unprefixed; the sweep must equal the full
    // sweep and, where the full sweep says the pattern matches, keep it.
    const r = rng(99);
    let checked = 0;
    let selfHits = 0;
    for (let i = 0; i < pats.length; i++) {
      if (trie.run[i] === '' || (trie.textEnd[i] >= 0 && i % 24 !== 0)) continue;
      const parsed = parse(pats[i].pattern, pats[i]);
      if (!parsed.ast) continue;
      for (let k = 0; k < 2; k++) {
        let s = generate(parsed.ast, r);
        if (pats[i].caseless && k === 1) s = flipCase(s, r);
        if (trie.textEnd[i] < 0) s = 'junk\x00\xff' + s;
        const full = sweeper.fullSweep(s);
        assert.deepEqual(sweeper.sweep(s), full, `line ${pats[i].line} on ${JSON.stringify(s.slice(0, 80))}`);
        checked++;
        if (full.some((h) => h.index === i)) selfHits++;
      }
    }
    console.log(`      ${checked} responses, ${selfHits} matched by the pattern they were built from`);
    assert.ok(checked > 600, `${checked} responses`);
    assert.ok(selfHits > checked / 2, `${selfHits} self hits`);
  });

  it('equals the full sweep where a prefix stops before a quantified literal', () => {
    const subjects = quantifiedBoundary(pats, trie);
    assert.ok(subjects.length > 100, `${subjects.length} responses`);
    let hits = 0;
    for (const s of subjects) {
      const a = sweeper.sweep(s);
      assert.deepEqual(a, sweeper.fullSweep(s), `response ${JSON.stringify(s.slice(0, 80))}`);
      hits += a.length;
    }
    console.log(`      ${subjects.length} responses, ${hits} hits`);
    assert.ok(hits > subjects.length / 2, `${hits} hits`);
  });
});
