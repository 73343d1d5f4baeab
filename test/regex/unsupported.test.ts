// findUnsupported() (regex/translate.ts) answers in one walk over the tree, and analyze() skips the
// tree altogether when the quick scan (regex/fast-validate.ts) says the pattern holds nothing the
// translator could report (`mayBeUnsupported` false). Both are speed changes only: the lists must be
// exactly what the earlier five-walk implementation gave (kept below as the reference) and what the
// full parser route gives, on every corpus pattern and a large seeded mutated corpus, in 10.42 and
// 10.47. The corner cases at the end check, against pcre2test, that the one construct the quick
// subset can hold really is one JS gets wrong, and that the quick flag covers it.
import { strict as assert } from 'node:assert';
import type { Unsupported } from '../../regex/api';
import type { Group, Node, RegexAst } from '../../regex/ast';
import { corpusPatterns, dedupe, INSERTS, mutate, rng, type Pat } from '../support/pattern-mutations';
import { walk } from '../../regex/ast';
import { analyze, analyzeFull } from '../../regex/analyze';
import { quickAnalyze } from '../../regex/fast-validate';
import { parse } from '../../regex/parse';
// Registers findUnsupported() as analyze()'s unsupported hook.
import '../../regex/compile';
import { findUnsupported, minLength, translate, UNSUPPORTED_MESSAGE } from '../../regex/translate';
import { charTypeSet, classSet, emptySet, foldAscii, hasAsciiLetter, invert, union } from '../../regex/translate-sets';
import type { ByteSet } from '../../regex/translate-sets';
import { pcre2Batch } from '../support/pcre2test';

// ---- The reference: findUnsupported() as it was before the single-walk rewrite (commit 5a67b48).

function refUnsupported(node: { start: number; end: number }, what: string): Unsupported {
  return { offset: node.start, length: Math.max(1, node.end - node.start), message: `${UNSUPPORTED_MESSAGE}: ${what}` };
}

function containsCapture(node: Node): boolean {
  let found = false;
  walk(node, (n) => { if (n.type === 'group' && n.kind === 'capture') found = true; });
  return found;
}

function possibleBytes(node: Node): ByteSet {
  let s = emptySet();
  walk(node, (n) => {
    if (n.type === 'literal') { s[n.byte] = 1; if (n.caseless) s = foldAscii(s); }
    else if (n.type === 'class') s = union(s, classSet(n));
    else if (n.type === 'dot' || n.type === 'backref' || n.type === 'subroutine') s = invert(emptySet());
    else if (n.type === 'charType') s = union(s, charTypeSet(n.kind) ?? invert(emptySet()));
  });
  return s;
}

function setAfter(node: Node, before: Set<number>, out: Unsupported[]): Set<number> {
  switch (node.type) {
    case 'sequence': {
      let s = before;
      for (const it of node.items) s = setAfter(it, s, out);
      return s;
    }
    case 'alternation': {
      const sets = node.alternatives.map((a) => setAfter(a, before, out));
      return new Set([...sets[0]].filter((g) => sets.every((s) => s.has(g))));
    }
    case 'quantified': {
      const inner = setAfter(node.body, before, out);
      if (node.max !== 1 && containsCapture(node.body)) {
        const bodySet = setAfter(node.body, new Set(), []);
        let allSet = true;
        walk(node.body, (n) => { if (n.type === 'group' && n.kind === 'capture' && !bodySet.has(n.number!)) allSet = false; });
        if (!allSet || minLength(node.body) === 0) {
          out.push(refUnsupported(node, 'a repeated group with captures that some repetition may skip'));
        }
      }
      return node.min === 0 ? before : inner;
    }
    case 'group': {
      if (node.kind === 'negativeLookahead' || node.kind === 'negativeLookbehind') {
        setAfter(node.body, before, out);
        return before;
      }
      const inner = setAfter(node.body, before, out);
      if (node.kind === 'capture') return new Set([...inner, node.number!]);
      return inner;
    }
    case 'conditional': {
      const a = setAfter(node.yes, before, out);
      const b = node.no ? setAfter(node.no, before, out) : before;
      return new Set([...a].filter((g) => b.has(g)));
    }
    case 'backref':
      if (!before.has(node.number)) out.push(refUnsupported(node, 'a back-reference to a group that may be unset here'));
      return before;
    default:
      return before;
  }
}

function referenceFindUnsupported(ast: RegexAst): Unsupported[] {
  const out: Unsupported[] = [];
  const groups = new Map<number, Group>();
  walk(ast.root, (n) => { if (n.type === 'group' && n.kind === 'capture' && n.number !== undefined && !groups.has(n.number)) groups.set(n.number, n); });
  walk(ast.root, (n) => {
    switch (n.type) {
      case 'subroutine': out.push(refUnsupported(n, 'recursion and subroutine calls')); break;
      case 'keep': out.push(refUnsupported(n, '\\K (match start reset)')); break;
      case 'verb':
        if (n.name !== 'FAIL' && n.name !== 'F') out.push(refUnsupported(n, `the (*${n.name}) verb`));
        break;
      case 'conditional':
        if (n.condition.kind !== 'assert') out.push(refUnsupported(n, 'a conditional group'));
        break;
      case 'charType':
        if (n.kind === 'X') out.push(refUnsupported(n, '\\X (extended grapheme cluster)'));
        break;
      case 'group':
        if (n.kind === 'nonAtomicLookahead' || n.kind === 'nonAtomicLookbehind') out.push(refUnsupported(n, 'a non-atomic assertion'));
        break;
      case 'backref': {
        const g = groups.get(n.number);
        if ((ast.names.get(n.name ?? '')?.length ?? 0) > 1) out.push(refUnsupported(n, 'a back-reference to a duplicated group name'));
        else if (n.caseless && (!g || hasAsciiLetter(possibleBytes(g.body)))) out.push(refUnsupported(n, 'a caseless back-reference'));
        break;
      }
      default: break;
    }
  });
  const shared = new Set<number>();
  const seen = new Set<number>();
  walk(ast.root, (n) => {
    if (n.type === 'group' && n.kind === 'capture' && n.number !== undefined) {
      if (seen.has(n.number)) shared.add(n.number);
      seen.add(n.number);
    }
  });
  walk(ast.root, (n) => { if (n.type === 'backref' && shared.has(n.number)) out.push(refUnsupported(n, 'a back-reference into a branch-reset group')); });
  setAfter(ast.root, new Set(), out);
  out.sort((a, b) => a.offset - b.offset);
  return out.filter((u, i) => i === 0 || u.offset !== out[i - 1].offset || u.message !== out[i - 1].message);
}

// ---- Patterns: the corpus and seeded mutations (test/support/pattern-mutations.ts), plus built ones.

// More of what findUnsupported() looks for: repeated groups, captures, verbs, recursion, \X,
// non-atomic assertions, conditions and duplicated names.
const UNSUPPORTED_INSERTS = [...INSERTS, ')*', ')+', '){2}', '){0,3}', '){2,}', ')?', '(a)', '()', '(?:(a)|b)', '(b?)',
  '(?1)', '(?R)', '(?&n)', '\\g<1>', '(*COMMIT)', '(*ACCEPT)', '(*SKIP)', '(*napla:', '(?*', '\\X', '(?(R)', '(?(<n>)',
  '(?(?=a)', '(?J)', '(?<n>x)', '\\k<n>', '(?i)\\1', '\\g{1}', '(?|(a)|(b))',
  '(?J)(?<n>a)|(?<n>b)\\k<n>', '(?J:(?<d>x)(?<d>y))\\k<d>'];

/**
 * Random small patterns built from groups, alternations, repeats, assertions, conditions and
 * back-references, nested a few deep: the "certainly set" analysis is all about how these combine,
 * which corpus mutations reach only now and then. Many are refused (a reference to a missing group,
 * a variable-length lookbehind); only those with a tree are compared.
 */
function nested(count: number, seed: number): Pat[] {
  const r = rng(seed);
  const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)];
  const gen = (depth: number): string => {
    if (depth <= 0 || r() < 0.25) return pick(['a', 'b', '', '\\1', '\\2', '\\3', '(a)', '(b?)', 'x', '\\d']);
    const x = (): string => gen(depth - 1);
    switch (Math.floor(r() * 14)) {
      case 0: return `(${x()})`;
      case 1: return `(?:${x()}|${x()})`;
      case 2: return `(?:${x()})${pick(['*', '+', '?', '{2}', '{0,2}', '{1,}', '*?', '++', '{0}', '{1}'])}`;
      case 3: return `(${x()})${pick(['*', '+', '?', '{2}', '{0,3}'])}`;
      case 4: return `(?=${x()})${pick(['', '*', '+', '{2}'])}`;
      case 5: return `(?!${x()})${pick(['', '?', '{0,2}'])}`;
      case 6: return `(?<!(${pick(['a', 'b', 'ab'])}))`;
      case 7: return `(?(1)${x()}|${x()})`;
      case 8: return `(?(?=${x()})${x()}|${x()})`;
      case 9: return `(?|${x()}|${x()})`;
      case 10: return `(?>${x()})`;
      case 11: return `${x()}|${x()}`;
      default: return `${x()}${x()}`;
    }
  };
  const out: Pat[] = [];
  while (out.length < count) out.push({ pattern: gen(4) + 'z' + gen(2), caseless: r() < 0.3, dotall: false });
  return out;
}

const VERSIONS = ['10.42', '10.47'] as const;

describe('regex unsupported constructs: one-walk findUnsupported and the quick-scan shortcut', function () {
  this.timeout(180000);
  const corpus = dedupe(corpusPatterns());
  const pats = dedupe([...corpus, ...mutate(corpus, 30000, 7, INSERTS), ...mutate(corpus, 30000, 11, UNSUPPORTED_INSERTS),
    // Several edits each, for nestings of groups, alternations, repeats and back-references.
    ...mutate(corpus, 20000, 13, UNSUPPORTED_INSERTS, 5)]);
  const built = dedupe(nested(20000, 17));

  it('findUnsupported() equals the earlier five-walk implementation (corpus + 80,000 mutations + 20,000 built patterns, 10.42 and 10.47)', () => {
    assert.ok(corpus.length > 10000 && pats.length > corpus.length + 70000, `${corpus.length} corpus, ${pats.length} in all`);
    let trees = 0;
    let reported = 0;
    const kinds = new Map<string, number>();
    const bad: string[] = [];
    for (const version of VERSIONS) {
      for (const p of [...pats, ...built]) {
        const ast = parse(p.pattern, { caseless: p.caseless, dotall: p.dotall, version }).ast;
        if (!ast) continue;
        trees++;
        const got = findUnsupported(ast);
        const want = referenceFindUnsupported(ast);
        if (want.length) reported++;
        for (const u of want) kinds.set(u.message, (kinds.get(u.message) ?? 0) + 1);
        if (JSON.stringify(got) !== JSON.stringify(want)) bad.push(`${version} ${JSON.stringify(p.pattern)}: got ${JSON.stringify(got)} want ${JSON.stringify(want)}`);
      }
    }
    console.log(`      ${trees} trees, ${reported} with something unsupported; ${[...kinds].map(([m, k]) => `${m.slice(UNSUPPORTED_MESSAGE.length + 2)}: ${k}`).join('; ')}`);
    assert.deepEqual(bad.slice(0, 5), []);
    // Every kind of report must have been exercised, or the comparison proves little.
    const expected = ['recursion and subroutine calls', '\\K (match start reset)', 'the (*COMMIT) verb', 'a conditional group',
      '\\X (extended grapheme cluster)', 'a non-atomic assertion', 'a back-reference to a duplicated group name',
      'a caseless back-reference', 'a back-reference into a branch-reset group', 'a back-reference to a group that may be unset here',
      'a repeated group with captures that some repetition may skip'];
    for (const what of expected) assert.ok((kinds.get(`${UNSUPPORTED_MESSAGE}: ${what}`) ?? 0) > 0, `no mutation exercised "${what}"`);
  });

  it('analyze() gives the full route\'s unsupported list, skipping the tree when the quick scan allows (same patterns, both versions)', () => {
    let quick = 0;
    let flagged = 0;
    let reported = 0;
    const bad: string[] = [];
    for (const version of VERSIONS) {
      for (const p of [...pats, ...built]) {
        const opts = { caseless: p.caseless, dotall: p.dotall, version };
        const q = quickAnalyze(p.pattern);
        const full = analyzeFull(p.pattern, opts);
        const fast = analyze(p.pattern, opts);
        if (q !== null) {
          quick++;
          if (q.mayBeUnsupported) flagged++;
          if (full.ok && full.unsupported.length) {
            reported++;
            // The flag may over-report (it costs a parse), never under-report.
            if (!q.mayBeUnsupported) bad.push(`${version} ${JSON.stringify(p.pattern)}: quick flag false, full ${JSON.stringify(full.unsupported)}`);
          }
        }
        const a = fast.ok ? { ...fast, unsupported: fast.unsupported } : fast;
        if (JSON.stringify(a) !== JSON.stringify(full)) bad.push(`${version} ${JSON.stringify(p.pattern)}: analyze ${JSON.stringify(a)} full ${JSON.stringify(full)}`);
      }
    }
    console.log(`      quick scan answered ${quick} of ${(pats.length + built.length) * 2}; flagged ${flagged} for a tree, ${reported} of them really unsupported`);
    assert.deepEqual(bad.slice(0, 5), []);
    assert.ok(quick > pats.length, `the quick scan answered only ${quick}`);
    assert.ok(reported > 0, 'no pattern of the quick subset was unsupported: the flag went untested');
  });

  it('flags corpus patterns for a tree only rarely (the shortcut is worth having)', () => {
    let flagged = 0;
    let answered = 0;
    for (const p of corpus) {
      const q = quickAnalyze(p.pattern);
      if (q === null) continue;
      answered++;
      if (q.mayBeUnsupported) flagged++;
    }
    console.log(`      ${flagged} of ${answered} quick-scanned distinct corpus patterns need a tree for the unsupported check`);
    assert.ok(flagged < answered * 0.05, `${flagged} of ${answered} flagged`);
  });

  // A repeated group holding captures is the one construct of the quick subset findUnsupported()
  // reports: PCRE2 keeps a capture set by an earlier iteration, JS clears it at each iteration.
  it('repeated groups with captures: pcre2test keeps what JS clears, and the quick flag covers them', () => {
    const cases: { pattern: string; subject: string }[] = [
      { pattern: '(?:(a)|b)+', subject: 'ab' },
      { pattern: '(?:(a)?b)+', subject: 'abb' },
      { pattern: '(?:x(a)|x(b))*', subject: 'xaxb' },
      { pattern: '(?>(a)|b){2}', subject: 'ab' },
      { pattern: '((a)|b)+', subject: 'ab' },
      { pattern: '(?:(?=(a))a|b)+', subject: 'ab' },
    ];
    const ref = pcre2Batch(cases.map((c) => ({ pattern: c.pattern, subjects: [c.subject] })), { timeoutMs: 30000 });
    cases.forEach((c, i) => {
      const q = quickAnalyze(c.pattern);
      assert.ok(q !== null && q.mayBeUnsupported, `${c.pattern}: quick flag`);
      const ast = parse(c.pattern, { caseless: false, dotall: false }).ast!;
      const reported = findUnsupported(ast);
      assert.ok(reported.some((u) => u.message.endsWith('some repetition may skip')), `${c.pattern}: ${JSON.stringify(reported)}`);
      // What the plain translation would answer, against PCRE2: some capture differs.
      const t = translate(ast);
      const js = new RegExp(t.source, 'd').exec(c.subject);
      const m = ref[i].matches[0];
      assert.ok(js && m.matched, `${c.pattern} matches in both`);
      const jsCaps = t.groupMap.map((idx) => (js.indices![idx[0]] ?? null));
      assert.notDeepEqual(jsCaps, m.captures, `${c.pattern}: JS and PCRE2 agree, so the report is needless`);
    });
    // And where every iteration sets every capture and none is empty, JS agrees: nothing reported.
    for (const p of ['(a)+', '(?:(a)b)*', '(a|b){2,}', '((a)(b))+']) {
      assert.deepEqual(findUnsupported(parse(p, { caseless: false, dotall: false }).ast!), [], p);
      assert.equal(quickAnalyze(p)!.mayBeUnsupported, true, p);
    }
    for (const p of ['(a)?', '(a){1}', '(?:ab)+', '(a)(?:b)*', '(?=(a))a']) assert.equal(quickAnalyze(p)!.mayBeUnsupported, false, p);
  });
});
