// The sweep filter (regex/sweep-filter.ts) may only rule out a pattern that cannot match. Its
// anchored walk keeps a set of positions (quantified one-byte items, optional groups, alternatives,
// `$`, positive lookaheads), so this file holds it to the real matcher where it says "cannot":
// 1. every distinct pattern of the three corpus files against subjects built to match it, their
//    near misses and their tails: whenever the pattern matches (or hits a limit, or cannot be
//    tested), mayMatch() and mayMatchFrom() after the anchored prefix say "may"; the filter must
//    also rule out a good share of the subjects that do not match, or it would be doing nothing;
// 2. small cases, each judged by the compiled pattern as well as by the expectation written here.
// The translation the judging uses is itself held to pcre2test by match-corpus.test.ts.
import { strict as assert } from 'node:assert';
import { compile } from '../../regex/compile';
import type { CompiledDetail } from '../../regex/compile';
import { anchoredPrefix, asciiLower, classMembers, floatingRun, LEAD_BITS, LEAD_FIRST_BITS, leadFirst, leadProbe, mayMatch, mayMatchFrom, prefixEnd, PREFIX_MAX, requiredRuns, runText, setSubject } from '../../regex/sweep-filter';
import { corpusPatterns } from '../../bench/regex-corpus';
import { BoundedRunner } from '../../cli/commands/regex-bounded';
import { generate, mutate, rng } from './match-subjects';

const PREFIX = new Uint8Array(PREFIX_MAX);

/**
 * The filter's entries for one pattern and subject: mayMatch; the literal runs the sweep's index
 * requires (every run requiredRuns() reads after the prefix, or floatingRun() for a pattern without
 * one: each must be in the subject, after the prefix); and, when the subject holds the anchored
 * prefix, mayMatchFrom after it and the lead byte test the index makes there (leadProbe(): null when
 * the pattern has none).
 */
function filterSays(pattern: string, caseless: boolean, dotall: boolean, subject: string): { whole: boolean; fromPrefix: boolean | null; lead: boolean | null; runs: boolean } {
  setSubject(subject);
  const whole = mayMatch(pattern, caseless, dotall);
  let fromPrefix: boolean | null = null;
  let lead: boolean | null = null;
  const hay = caseless ? asciiLower(subject) : subject;
  let runs = true;
  const n = anchoredPrefix(pattern, caseless, PREFIX, 0);
  if (n < 0) {
    const r = floatingRun(pattern, caseless, 96, 10);
    runs = r === '' || hay.includes(r);
  } else {
    const end = prefixEnd;
    const count = requiredRuns(pattern, caseless, end, 96);
    for (let k = 0; k < count; k++) if (hay.indexOf(runText(k), n) < 0) runs = false;
    const head = caseless ? asciiLower(subject.slice(0, n)) : subject.slice(0, n);
    let holds = head.length === n;
    for (let k = 0; holds && k < n; k++) holds = head.charCodeAt(k) === PREFIX[k];
    if (holds) {
      setSubject(subject);
      fromPrefix = mayMatchFrom(pattern, caseless, dotall, end, n);
      const distance = leadProbe(pattern, caseless, dotall, end);
      if (distance >= 0) {
        const holds = (at: number, bits: Int32Array): boolean => {
          const b = subject.charCodeAt(n + at);
          return n + at < subject.length && ((bits[b >> 5] >>> (b & 31)) & 1) === 1;
        };
        lead = holds(distance, LEAD_BITS) && (leadFirst < 0 || holds(leadFirst, LEAD_FIRST_BITS));
      }
    }
  }
  setSubject('');
  return { whole, fromPrefix, lead, runs };
}

describe('regex sweep filter: "cannot match" is always right', function () {
  this.timeout(300_000);

  it('never rules out a match: every corpus pattern against built subjects, near misses and tails', async () => {
    const seen = new Set<string>();
    const bad: string[] = [];
    let matched = 0;
    let missed = 0;
    let ruledOut = 0;
    let leadTested = 0;
    let leadRuledOut = 0;
    let runsRuledOut = 0;
    const runner = new BoundedRunner(2000);
    try {
      for (const file of ['nmap-service-probes', 'nmap-service-probes-7.93', 'nmap-service-probes-7.90']) {
        for (const p of corpusPatterns(file)) {
          const key = `${p.caseless}${p.dotall}${p.pattern}`;
          if (seen.has(key)) continue;
          seen.add(key);
          const re = compile(p.pattern, p) as CompiledDetail;
          if (!('exec' in re) || re.analysis.unsupported.length) continue;
          const r = rng(p.line * 104729 + p.pattern.length);
          const subjects: string[] = [];
          for (let k = 0; k < 3; k++) {
            const good = generate(re.ast, r);
            subjects.push(good, mutate(good, r), `${good}\r\n`, `${good} trailing text`, good.slice(0, good.length >> 1));
          }
          for (const s of subjects) {
            const outcome = re.risky ? await runner.exec(re, s) : re.exec(s);
            const says = filterSays(p.pattern, p.caseless, p.dotall, s);
            if (says.lead !== null) leadTested++;
            if (outcome.kind === 'nomatch') {
              missed++;
              if (!says.whole) ruledOut++;
              if (says.lead === false) leadRuledOut++;
              if (!says.runs) runsRuledOut++;
              continue;
            }
            matched++;
            if (!says.whole || says.fromPrefix === false || says.lead === false || !says.runs) {
              bad.push(`${file}:${p.line} m|${p.pattern}|${p.caseless ? 'i' : ''}${p.dotall ? 's' : ''} on ${JSON.stringify(s)}: ${outcome.kind}, filter ${JSON.stringify(says)}`);
            }
          }
        }
      }
    } finally {
      await runner.close();
    }
    console.log(`      ${seen.size} patterns; ${matched} subjects matched, all kept; ${ruledOut} of ${missed} non-matching ruled out; the lead byte test applied to ${leadTested} subjects and ruled out ${leadRuledOut}; the required runs ruled out ${runsRuledOut}`);
    assert.deepEqual(bad.slice(0, 20), [], `${bad.length} matches ruled out`);
    assert.ok(matched > 50_000, `${matched} matching subjects`);
    assert.ok(ruledOut > missed / 2, `only ${ruledOut} of ${missed} non-matching subjects ruled out`);
    assert.ok(leadRuledOut > 500, `the lead byte test ruled out only ${leadRuledOut}`);
  });

  it('reads every distinct corpus class as the real matcher does, byte by byte (both case rules)', () => {
    let read = 0;
    let unsure = 0;
    const bad: string[] = [];
    const seen = new Set<string>();
    for (const file of ['nmap-service-probes', 'nmap-service-probes-7.93', 'nmap-service-probes-7.90']) {
      for (const p of corpusPatterns(file)) {
        for (let at = p.pattern.indexOf('['); at >= 0; at = p.pattern.indexOf('[', at + 1)) {
          for (const caseless of [false, true]) {
            const bits = classMembers(p.pattern, at, caseless);
            if (bits === null) { unsure++; continue; }
            // The class alone, judged by the translation (held to pcre2test by match-corpus.test.ts).
            const text = p.pattern.slice(at, p.pattern.indexOf(']', at + 2) + 1);
            const key = `${caseless}${text}`;
            if (seen.has(key)) continue;
            seen.add(key);
            const re = compile(`^${text}$`, { caseless, dotall: true }) as CompiledDetail;
            if (!('exec' in re) || re.analysis.unsupported.length) continue; // `]` inside: not the whole class
            read++;
            for (let b = 0; b < 256; b++) {
              const real = re.exec(String.fromCharCode(b)).kind === 'match' ? 1 : 0;
              if (real !== bits[b]) { bad.push(`${file}:${p.line} ${caseless ? 'caseless ' : ''}${JSON.stringify(text)} byte ${b}: matcher ${real}, walk ${bits[b]}`); break; }
            }
          }
        }
      }
    }
    console.log(`      ${read} distinct classes compared on all 256 bytes, ${unsure} readings left unsure (the walk then stops)`);
    assert.deepEqual(bad.slice(0, 10), [], `${bad.length} differ`);
    assert.ok(read > 300, `${read} classes read`);
  });

  // [pattern, flags, subject, may match]: "false" rows are what the position sets prove.
  const CASES: [string, string, string, boolean][] = [
    // a repeated class ends where the next byte cannot continue it
    ['^SSH-([\\d.]+)-(\\d+\\.\\d+\\.[-.\\w]+)', '', 'SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n', false],
    ['^SSH-([\\d.]+)-(\\d+\\.\\d+\\.[-.\\w]+)', '', 'SSH-2.0-1.2.x\r\n', true],
    ['^SSH-([\\d.]+)-OpenSSH[_-]([\\w.]+)\\s*\\r?\\n', 'i', 'SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n', false],
    ['^SSH-([\\d.]+)-OpenSSH[_-]([\\w.]+)\\s*\\r?\\n', 'i', 'ssh-1.99-openssh-9.2p1  \r\n', true],
    // an optional byte: both positions are kept
    ['^SSH-2\\.0-OpenSSH\\r?\\n', '', 'SSH-2.0-OpenSSH_9.2p1\r\n', false],
    ['^SSH-2\\.0-OpenSSH\\r?\\n', '', 'SSH-2.0-OpenSSH\n', true],
    ['^SSH-2\\.0-OpenSSH\\r?\\n', '', 'SSH-2.0-OpenSSH\r\n', true],
    // `$` after a run: the end, or just before a final newline
    ['^SSH-([\\d.]+)-OpenSSH\\r?\\n$', '', 'SSH-2.0-OpenSSH\r\n', true],
    ['^SSH-([\\d.]+)-OpenSSH\\r?\\n$', '', 'SSH-2.0-OpenSSH\r\nmore', false],
    ['^ab+$', '', 'abbb\n', true],
    ['^ab+$', '', 'abbb\nx', false],
    ['^ab+\\z', '', 'abbb\n', false],
    // positive lookahead: positions it cannot match from are dropped
    ['^SSH-([\\d.]+)-(?=[\\w._-]{5,15}\\r?\\n$)', '', 'SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n', false],
    ['^SSH-([\\d.]+)-(?=[\\w._-]{5,15}\\r?\\n$)', '', 'SSH-2.0-dropbear_2022\r\n', true],
    ['^a(?=b|cd)..x', '', 'acdx', true],
    ['^a(?=b|cd)..x', '', 'acex', false],
    // negative lookahead and lookbehind narrow nothing (but never rule out)
    ['^a(?!b)\\w', '', 'ac', true],
    ['^ab(?<=b)c', '', 'abc', true],
    // alternatives and optional groups: the union of their ways through
    ['^a(?:b|bc)d', '', 'abcd', true],
    ['^a(?:b|bc)d', '', 'abd', true],
    ['^a(?:b|bc)d', '', 'abed', false],
    ['^a(?:bc)?d', '', 'ad', true],
    ['^a(?:bc)?d', '', 'abcd', true],
    ['^a(?:bc)?d', '', 'abd', false],
    ['^(?:220-.*\\r\\n)?220 ([\\w._-]+) ESMTP', '', '220-a\r\n220 mx ESMTP', true],
    ['^(?:220-.*\\r\\n)?220 ([\\w._-]+) ESMTP', '', '220 mx SMTP', false],
    // lazy, possessive and atomic forms are read as greedy ones: never ruled out wrongly
    ['^a.*?b$', '', 'axxb\n', true],
    ['^a[ab]*+c', '', 'aabc', true],
    ['^a(?>x+)y', '', 'axxy', true],
    ['^a{2,3}b', '', 'aab', true],
    ['^a{2,3}b', '', 'ab', false],
    ['^a{2,3}b', '', 'aaaab', false],
    // a set wider than the walk keeps goes on floating, still exact about required text
    [`^.*x`, 's', `${'y'.repeat(200)}x`, true],
    [`^.*xz`, '', `${'y'.repeat(200)}x`, false],
    ['^\\w+ \\([\\w-]+\\)\\r\\n$', '', '220 mail.example.com ESMTP Postfix (Debian/GNU)\r\n', false],
    // more bytes required than the subject has
    ['^.{128}[\\x52-\\x7F]...$', 's', 'short', false],
    ['^.{12}x', 's', `${'.'.repeat(12)}x`, true],
    // floating, a one-byte item starts where the literal run before it ends: the walk goes anchored
    // on the ends of the run's occurrences
    ['^220 (.*) ([\\w._-]+) ESMTP Postfix \\(([\\w._-]+)\\)\\r\\n', '', '220 mail.example.com ESMTP Postfix (Debian/GNU)\r\n', false],
    ['^220 (.*) ([\\w._-]+) ESMTP Postfix \\(([\\w._-]+)\\)\\r\\n', '', '220 a b ESMTP Postfix (x)\r\n', true],
    // (subjects longer than the 31 positions the set keeps, so that `.*` goes floating)
    [`^a.*bc[0-9]`, '', `a${'x'.repeat(40)}bcz bc1`, true],
    [`^a.*bc[0-9]`, '', `a${'x'.repeat(40)}bcz bcz`, false],
    [`^a.*BC[0-9]`, 'i', `a${'x'.repeat(40)}bcz bC1`, true],
    [`^.*x[0-9]`, '', `x${'-'.repeat(40)}x1`, true],
    [`^.*ab?c`, '', `${'z'.repeat(40)}ac`, true],
    [`^.*ab?c`, '', `${'z'.repeat(40)}ad`, false],
    // the lead byte test of a group takes every alternative's first bytes (a newline from `\n`
    // even when a later alternative is `.`)
    ['^(?:\\n|.)x', '', '\nx', true],
    ['^(?:ab|cd)e', '', 'xde', false],
    // caseless classes and literals inside the set walk
    ['^x[a-c]+Y', 'i', 'XCAby', true],
    ['^x[a-c]+Y', 'i', 'XCAbz', false],
  ];
  for (const [pattern, flags, subject, expected] of CASES) {
    it(`m|${pattern}|${flags} on ${JSON.stringify(subject.length > 40 ? `${subject.slice(0, 37)}...` : subject)}: ${expected ? 'may match' : 'cannot'}`, () => {
      const opts = { caseless: flags.includes('i'), dotall: flags.includes('s') };
      const re = compile(pattern, opts) as CompiledDetail;
      assert.ok('exec' in re, 'compiles');
      const real = re.exec(subject).kind !== 'nomatch';
      // The expectation is for the filter; the real verdict keeps it honest: "cannot" must be true.
      if (!expected) assert.equal(real, false, 'the pattern really matches: the expectation is wrong');
      const says = filterSays(pattern, opts.caseless, opts.dotall, subject);
      assert.equal(says.whole, expected, 'mayMatch');
      if (says.fromPrefix !== null) assert.equal(says.fromPrefix, expected, 'mayMatchFrom after the prefix');
      if (real) assert.notEqual(says.lead, false, 'the lead byte test rules out a match');
      if (real) assert.ok(says.runs, 'a required run is not in the subject');
    });
  }
});

describe('regex sweep filter: the lead byte test of the sweep index (leadProbe)', () => {
  // [pattern, flags, expected distance after the prefix, expected bytes (as a string) or null]
  // (the first item's test, when another, is pinned below)
  const CASES: [string, string, number, string | null][] = [
    ['^.\\0\\0', '', 1, '\0'],
    ['^[A-Z][a-z]+d', '', 0, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'],
    ['^\\d{3} ', '', 3, ' '],
    ['^.k', 'i', 1, 'Kk'],
    ['^a+b', '', 0, 'a'], // the prefix stops at the quantified `a`; nothing after it sits at a fixed place
    ['^\\bx[yz]', '', 0, 'x'],
    ['^ab?c', '', -1, null], // an optional item first: no fixed place after it
    ['^x(?:y)z', '', 0, 'y'], // a group: the first bytes of its alternatives, then nothing fixed
    ['^(?:ab|cd)e', '', 0, 'ac'],
    ['^(?:ab|[0-2]d)+e', 'i', 0, 'Aa012'],
    ['^(?:ab)?c', '', -1, null], // an optional group
    ['^(?:a|)b', '', -1, null], // an empty alternative
    ['^(?:\\bab|c)', '', -1, null], // an alternative starting with an assertion
    ['^(?=a)b', '', -1, null], // a lookahead
    ['^.(?:Voce|Semel)', '', 1, 'SV'],
    ['^....', 's', -1, null], // every byte
    ['^.', '', 0, null], // every byte but \n
  ];
  for (const [pattern, flags, distance, bytes] of CASES) {
    it(`m|${pattern}|${flags}: ${distance < 0 ? 'none' : `distance ${distance}`}`, () => {
      const caseless = flags.includes('i');
      const dotall = flags.includes('s');
      const n = anchoredPrefix(pattern, caseless, PREFIX, 0);
      assert.ok(n >= 0, 'has an anchored prefix');
      assert.equal(leadProbe(pattern, caseless, dotall, prefixEnd), distance);
      if (distance < 0) return;
      const held = Array.from({ length: 256 }, (_, b) => (LEAD_BITS[b >> 5] >>> (b & 31)) & 1);
      const expected = Array.from({ length: 256 }, (_, b) => (bytes === null ? (b === 0x0a ? 0 : 1) : bytes.includes(String.fromCharCode(b)) ? 1 : 0));
      assert.deepEqual(held, expected);
    });
  }
  it('keeps the first item as a second test when it chose another: ^[A-Z][a-z]{2} x', () => {
    const pattern = '^[A-Z][a-z]{2} x';
    anchoredPrefix(pattern, false, PREFIX, 0);
    assert.equal(leadProbe(pattern, false, false, prefixEnd), 3);
    assert.equal(leadFirst, 0);
    const first = Array.from({ length: 256 }, (_, b) => (LEAD_FIRST_BITS[b >> 5] >>> (b & 31)) & 1);
    assert.deepEqual(first, Array.from({ length: 256 }, (_, b) => (b >= 0x41 && b <= 0x5a ? 1 : 0)));
    assert.equal(leadProbe('^\\d{3} ', false, false, 1), 3);
    assert.equal(leadFirst, 0, 'digits first, then the space');
    assert.equal(leadProbe('^.\\0\\0', false, false, 1), 1);
    assert.equal(leadFirst, 0, '`.` (all but \\n) first');
    assert.equal(leadProbe('^x[yz]', false, false, 1), 0);
    assert.equal(leadFirst, -1, 'the first item is the one chosen');
  });
});
