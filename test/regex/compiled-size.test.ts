// "Regular expression is too large" (ERR20) against Debian's pcre2test (PCRE2 10.42): nested
// repeated groups multiply the compiled length (regex/compiled-size.ts). A seeded set of
// nested-repeat patterns must get pcre2test's verdict, code and offset from analyze() (quick scan
// first, then the full parser) and from the full parser alone, and, where PCRE2 compiles them,
// exactly the code size pcre2test's `memory` modifier prints (the pre-compile length plus OP_END).
import { strict as assert } from 'node:assert';
import { analyze, analyzeFull } from '../../regex/analyze';
import { quickAnalyze } from '../../regex/fast-validate';
import { compiledLength, MAX_PATTERN_SIZE } from '../../regex/compiled-size';
import { parse } from '../../regex/parse';
import { pcre2Batch } from '../support/pcre2test';
// A deterministic generator, so a failure names a pattern that stays put.
import { rng } from '../support/pattern-mutations';

const BODIES = ['a', 'abc', '[a-z]', '[ab]', '[aA]', '[kK]', '[^a]', '[\\s\\S]', '\\d', '.', '\\w+', 'a{3}', 'b{2,7}', '[0-9]{1,3}',
  'x*?', 'a|b', 'ab|cd|e', '\\d{2}|x', '(?=a)b', '\\bz'];
const OPEN = ['(', '(?:', '(?>', '(?:', '(', '(?='];

function count(r: () => number): number {
  const x = r();
  return x < 0.5 ? 1 + Math.floor(r() * 12) : x < 0.85 ? 10 + Math.floor(r() * 60) : 50 + Math.floor(r() * 151);
}

function quantifier(r: () => number): string {
  const k = r();
  let q: string;
  if (k < 0.45) q = `{${count(r)}}`;
  else if (k < 0.7) { const a = count(r) - 1; q = `{${a},${a + count(r)}}`; }
  else if (k < 0.8) q = `{${count(r)},}`;
  else q = ['*', '+', '?'][Math.floor(r() * 3)];
  const m = r();
  return q + (m < 0.1 ? '?' : m < 0.2 ? '+' : '');
}

/** Depth 1–4 nests of repeated groups around one body, plus a little context. */
function generate(n: number, seed: number): string[] {
  const r = rng(seed);
  const out = new Set<string>();
  while (out.size < n) {
    let p = BODIES[Math.floor(r() * BODIES.length)];
    const depth = 1 + Math.floor(r() * 4);
    for (let d = 0; d < depth; d++) {
      const open = OPEN[Math.floor(r() * OPEN.length)];
      const inner = r() < 0.15 ? `${p}|q` : r() < 0.15 ? `x${p}` : p;
      p = `${open}${inner})${quantifier(r)}`;
    }
    if (r() < 0.2) p = `^${p}\\r\\n`;
    out.add(p);
  }
  return [...out];
}

// Patterns placed on and around the limit: a group of length 10 ((?:a{5}): brackets 6, OP_EXACT 4)
// repeated 6553 times is 65,536 units with the outer brackets, exactly MAX_PATTERN_SIZE, which only
// pcre2_compile()'s final check refuses (10.47 reports offset 0 there, 10.42 the pattern length).
const BOUNDARY = [
  '(?:a{5}){6552}', '(?:a{5}){6553}', '(?:a{5}){6552}a', '(?:a{5}){6552}abc', '(?:a{5}){6552}ab',
  '(?:[ab]){1680}', '(?:[ab]){1681}', '(?:[ab]){0,1679}', '(?:[ab]){0,1680}', '([ab]){1600,1630}', '([ab]){1600,}',
  // The copy arithmetic overflowing (39,999 copies of 59,996 units) rather than a length passing the limit.
  '(?:(?:a{5}){5999}){40000}', '((?:\\d{2}){40}){40}', '((?:\\d{2}){41}){41}', '(?:(?:a|b){100}){100}', '(?:(?:a|b){60}){60}',
];

// Every kind of item under every quantifier form, alone and inside a repeated group: the sizes
// of single items (OP_EXACT/OP_UPTO …, OP_CRRANGE …, one-byte and case-pair classes, \p) and of
// the rarer constructs the length is summed over.
const ATOMS = ['a', '\\x41', '[a]', '[^a]', '[aA]', '[Aa]', '[sS]', '[kK]', '[ab]', '[^ab]', '[\\d]', '[\\s\\S]', '\\d', '\\W',
  '\\pL', '\\p{Lu}', '[\\pL]', '[\\pLa\\PN]', '.', '\\R', '\\h', '\\N', '(a)\\1', '(a)(?1)', '(a)(?(1)b|c)', '(?(?=a)ab)',
  '(?C1)a', '(?C"x")b', '(*MARK:ab)c', '((a(*ACCEPT)))', '(?<=ab|c)', '(?<!a)b', 'a\\Kb', '(?=a)', '(?i)ab', '(?i:a|b)', '(?|(a)|(b))'];
const QUANTS = ['', '*', '+', '?', '{0}', '{1}', '{2}', '{0,1}', '{0,2}', '{0,7}', '{1,2}', '{1,5}', '{2,3}', '{2,9}', '{3,}', '{1,}', '{0,}'];

function singles(): string[] {
  const out: string[] = [];
  for (const a of ATOMS) {
    for (const q of QUANTS) {
      for (const m of q === '' ? [''] : ['', '?', '+']) {
        out.push(`${a}${q}${m}`, `(?:${a}${q}${m}){3}`, `x(${a}${q}${m}|y){0,4}`);
      }
    }
  }
  return out;
}

interface Verdict { ok: boolean; code?: number; offset?: number }

const V42 = { caseless: false, dotall: false, version: '10.42' } as const;
const V47 = { caseless: false, dotall: false, version: '10.47' } as const;

// The pre-compile length is what the limit applies to; pcre2test's `memory` shows the length
// really used, which is smaller where the first pass over-counts (an item under {0} stays
// counted). So each pattern P is probed at the limit instead: `(?:P)` followed by filler of known
// length (`(?:a{5})` is 10 units, `.` is 1) so that our length for the whole is exactly 65,535
// (PCRE2 must accept it) and 65,536 (PCRE2 must refuse it with ERR20). Both hold only if our
// length for P is PCRE2's, unit for unit.
function probes(p: string, length: number): [string, string] | null {
  const fixed = 6 + length; // the outer brackets and (?:P), whose length is P's own
  const fill = (total: number): string => {
    const rest = total - fixed;
    const groups = Math.floor(rest / 10) - 1;
    return `(?:${p})(?:a{5}){${groups}}${'.'.repeat(rest - 10 * groups)}`;
  };
  if (MAX_PATTERN_SIZE - 1 - fixed < 30) return null;
  return [fill(MAX_PATTERN_SIZE - 1), fill(MAX_PATTERN_SIZE)];
}

describe('compiled size (ERR20) vs pcre2test 10.42', function () {
  this.timeout(60000);
  const patterns = [...generate(600, 20260901), ...BOUNDARY, ...singles()];

  it('gives pcre2test\'s verdict, code and offset on nested repeated groups, by analyze() and by the full parser', () => {
    const ref = pcre2Batch(patterns.map((pattern) => ({ pattern })), { timeoutMs: 60000 });
    const bad: string[] = [];
    let refused = 0;
    for (let i = 0; i < patterns.length; i++) {
      const t = ref[i];
      const want: Verdict = t.compiled ? { ok: true } : { ok: false, code: t.errorCode, offset: t.errorOffset };
      if (!t.compiled) refused++;
      for (const [way, a] of [['analyze', analyze(patterns[i], V42)], ['full', analyzeFull(patterns[i], V42)]] as const) {
        const got: Verdict = a.ok ? { ok: true } : { ok: false, code: a.code, offset: a.offset };
        if (JSON.stringify(got) !== JSON.stringify(want)) bad.push(`${way} ${patterns[i]}: ours ${JSON.stringify(got)} pcre2test ${JSON.stringify(want)}`);
      }
    }
    const tooLarge = ref.filter((t) => t.errorCode === 120).length;
    console.log(`      ${patterns.length} patterns: ${refused} refused by pcre2test (${tooLarge} as too large); ${bad.length} disagreements`);
    assert.ok(tooLarge > 50 && tooLarge < patterns.length - 50, `the set should straddle the limit (${tooLarge} too large)`);
    assert.deepEqual(bad.slice(0, 20), []);
  });

  it('computes PCRE2\'s pre-compile length exactly: every compiled pattern probed at the limit', () => {
    const ref = pcre2Batch(patterns.map((pattern) => ({ pattern })), { timeoutMs: 60000 });
    const cases: { pattern: string; of: string; limit: boolean }[] = [];
    for (let i = 0; i < patterns.length; i++) {
      if (!ref[i].compiled) continue;
      const r = parse(patterns[i], V42);
      assert.ok(r.ast, patterns[i]);
      const pr = probes(patterns[i], compiledLength(r.ast.root, patterns[i], false));
      if (pr === null) continue;
      cases.push({ pattern: pr[0], of: patterns[i], limit: false }, { pattern: pr[1], of: patterns[i], limit: true });
    }
    const got = pcre2Batch(cases.map((c) => ({ pattern: c.pattern })), { timeoutMs: 60000 });
    const bad: string[] = [];
    for (let i = 0; i < cases.length; i++) {
      const c = cases[i];
      const ok = c.limit ? !got[i].compiled && got[i].errorCode === 120 && got[i].errorOffset === c.pattern.length : got[i].compiled;
      if (!ok) bad.push(`${c.of}: padded to ${c.limit ? 65536 : 65535} units by our count, pcre2test ${got[i].compiled ? 'compiles it' : `error ${got[i].errorCode}`}`);
    }
    console.log(`      ${cases.length / 2} compiled patterns probed at the limit, ${bad.length} probes disagree`);
    assert.ok(cases.length > 2000);
    assert.deepEqual(bad.slice(0, 20), []);
  });

  // 10.47 (not in CI) computes the same lengths for these constructs (same compile_branch()
  // arithmetic) except that a class matching every byte is OP_ALLANY (one unit, repeated like a
  // character type), and its length checks set offset 0 (10.42: the pattern's length), except
  // when the repeat arithmetic overflows first (no offset set: the pattern's length in both).
  it('follows 10.47\'s source where it differs: [\\s\\S] is OP_ALLANY; offset 0 unless the arithmetic overflows', () => {
    const size = (p: string, v47: boolean): number => {
      const r = parse(p, v47 ? V47 : V42);
      assert.ok(r.ast, p);
      return compiledLength(r.ast.root, p, v47);
    };
    assert.equal(size('[\\s\\S]{9}', false), 6 + 33 + 5);
    assert.equal(size('[\\s\\S]{9}', true), 6 + 4);
    const exact = '(?:a{5}){6553}';
    const e47 = analyzeFull(exact, V47);
    assert.ok(!e47.ok && e47.code === 120 && e47.offset === 0);
    const e42 = analyzeFull(exact, V42);
    assert.ok(!e42.ok && e42.code === 120 && e42.offset === exact.length);
    for (const over of ['(?:a{5}){6553}a', '((((a){50}){50}){50})']) {
      const v = analyzeFull(over, V47);
      assert.ok(!v.ok && v.code === 120 && v.offset === 0, over);
    }
    const overflow = '(?:(?:a{5}){5999}){40000}';
    const o = analyzeFull(overflow, V47);
    assert.ok(!o.ok && o.code === 120 && o.offset === overflow.length);
  });

  it('lets the quick scan answer only when no size error is possible', () => {
    let answered = 0;
    for (const p of patterns) {
      const q = quickAnalyze(p);
      if (q === null) continue;
      answered++;
      for (const opts of [V42, V47]) assert.ok(analyzeFull(p, opts).ok, `quick scan answered for ${p}, which PCRE2 ${opts.version} refuses`);
    }
    console.log(`      the quick scan answered ${answered} of ${patterns.length}`);
    assert.ok(answered > 100);
  });
});
