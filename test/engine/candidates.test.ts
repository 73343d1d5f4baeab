// Candidate selection (engine/probe-db.ts candidateLines + mayMatch) is a pure speed-up: it may
// only skip lines whose regex cannot match. Checked here against trying every line: every response
// of ../shared/fingerprints, for the probe it names and that probe's fallbacks (NULL included for
// TCP), on the latest corpus — every line whose regex does anything but fail (match, limit,
// untestable) must be selected, and the first line testProbe reports must be the first line that
// matches when all are run. Each reply is also tried cut short, as a live scan sees it.
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from '../../grammar';
import { anchoredFirstByte, anchoredPrefix, compile, PREFIX_MAX, Sweeper } from '../../regex/index';
import type { CompiledRegex } from '../../regex/index';
import { buildProbeDb, candidateLines, compiledRegex, mayMatch } from '../../engine/probe-db';
import type { DbMatch, DbProbe, ProbeDb } from '../../engine/probe-db';
import { testProbe } from '../../engine/match';
import { parseFingerprints } from '../../engine/fingerprint';

const SHARED = join(__dirname, '../../../shared');

/** The lines candidate selection keeps for a subject, in file order. */
function selected(probe: DbProbe, subject: string): number[] {
  const lines = subject.length ? Array.from(candidateLines(probe, subject.charCodeAt(0))) : probe.matches.map((_, i) => i);
  return lines.filter((i) => mayMatch(probe.matches[i], subject));
}

/** Every line run, no selection: the indexes whose regex does not simply fail, and the first match. */
function everyLine(db: ProbeDb, probe: DbProbe, subject: string): { active: number[]; first: number } {
  const active: number[] = [];
  let first = -1;
  probe.matches.forEach((m, i) => {
    const r = compiledRegex(db, m);
    if (!('exec' in r)) return;
    const kind = (r as CompiledRegex).exec(subject).kind;
    if (kind === 'nomatch') return;
    active.push(i);
    if (kind === 'match' && first < 0) first = i;
  });
  return { active, first };
}

function tinyDb(text: string): ProbeDb {
  return buildProbeDb(parse(text).file, { compile, pcre2Version: '10.42' });
}

describe('engine candidate selection', () => {
  it('keeps a caseless line for either case of its prefix, and a line without a prefix for any byte', () => {
    const db = tinyDb(
      'Probe TCP NULL q||\n' +
        'match a m|^ssh-x|i\n' + // caseless: lowercased prefix, both cases of its first byte
        'match b m|^SSH-x|\n' +
        'match c m|^\\x53SH-y|\n' + // \x53 is "S"
        'match d m/^abc|SSH-x/\n' + // top-level |: no prefix, a candidate for every subject
        'match e m|^[S]SH-x|\n' + // a class first: prefix "", anchored walk decides
        'match f m|SSH-x|\n',
    );
    const p = db.nullProbe!;
    const names = (s: string) => selected(p, s).map((i) => p.matches[i].service);
    assert.deepEqual(names('SSH-x'), ['a', 'b', 'd', 'e', 'f']);
    assert.deepEqual(names('ssh-x'), ['a']);
    assert.deepEqual(names('SSH-y'), ['c']);
    assert.deepEqual(names('xSSH-x'), ['d', 'f']);
    assert.deepEqual(names(''), []);
    for (const s of ['SSH-x', 'ssh-x', 'SSH-y', 'xSSH-x', 'abc', '']) {
      assert.deepEqual(everyLine(db, p, s).active.filter((i) => !selected(p, s).includes(i)), [], s);
    }
  });

  it('is not disturbed by a sweep run between two lines (the walk keeps its subject in module state)', () => {
    const db = tinyDb('Probe TCP NULL q||\nmatch a m|^[A-Z]+ ok$|\nmatch b m|^[X]{2} ok$|\n');
    const p = db.nullProbe!;
    const sweeper = new Sweeper([{ pattern: 'zzz', caseless: false, dotall: false }]);
    assert.equal(mayMatch(p.matches[0], 'AB ok'), true);
    sweeper.sweep('nothing here');
    assert.equal(mayMatch(p.matches[1], 'XX ok'), true);
    assert.equal(mayMatch(p.matches[1], 'ab ok'), false);
  });

  it("buckets by a first byte that always agrees with the sweep's anchored prefix (all three corpus files)", () => {
    // The index reads only the pattern's first characters; the sweep's anchoredPrefix (proven
    // against the full sweep in test/regex) must give a prefix starting with the same byte.
    const out = new Uint8Array(PREFIX_MAX);
    let known = 0;
    const wrong: string[] = [];
    for (const f of ['nmap-service-probes', 'nmap-service-probes-7.93', 'nmap-service-probes-7.90']) {
      const db = buildProbeDb(parse(readFileSync(join(SHARED, 'corpus', f), 'utf8')).file, { compile });
      for (const p of [db.nullProbe!, ...db.probes]) {
        for (const m of p.matches) {
          const b = anchoredFirstByte(m.pattern);
          if (b < 0) continue;
          known++;
          // `^x+…`: the prefix stops before a quantified atom, but x+ starts with x as `^x` does.
          const plus = m.pattern.indexOf('+');
          const pattern = anchoredPrefix(m.pattern, m.caseless, out, 0) < 1 && plus > 1 && plus <= 5 ? m.pattern.slice(0, plus) + m.pattern.slice(plus + 1) : m.pattern;
          const n = anchoredPrefix(pattern, m.caseless, out, 0);
          const want = m.caseless && b >= 0x41 && b <= 0x5a ? b + 0x20 : b;
          if (n < 1 || out[0] !== want) wrong.push(`${f} line ${m.line}: ${m.pattern.slice(0, 40)}`);
        }
      }
    }
    assert.deepEqual(wrong, []);
    assert.ok(known > 30_000, `${known} lines with a first byte`);
  });

  describe('on every fingerprint response, latest corpus (trying every line as the reference)', function () {
    this.timeout(600_000);
    const file = parse(readFileSync(join(SHARED, 'corpus/nmap-service-probes'), 'utf8')).file;
    // Three databases of the same file: the reference (every line compiled and run), one where
    // lines are only selected, never compiled (mayMatch then always walks the pattern, as on a cold
    // start), and one used by testProbe as a scan uses it (lines compiled as replies reach them).
    const db = buildProbeDb(file, { compile, pcre2Version: '10.42' });
    const cold = buildProbeDb(file, { compile, pcre2Version: '10.42' });
    const scan = buildProbeDb(file, { compile, pcre2Version: '10.42' });
    const twin = (other: ProbeDb, p: DbProbe): DbProbe => (p.isNull ? other.nullProbe! : other.probes[db.probes.indexOf(p)]);
    // Distinct (probe, subject) pairs, each probe with its fallbacks as matchResponse walks them.
    const pairs = new Map<DbProbe, Set<string>>();
    let responses = 0;
    const files = readdirSync(join(SHARED, 'fingerprints')).filter((f) => f.endsWith('.sf'));
    for (const f of files) {
      for (const fp of parseFingerprints(readFileSync(join(SHARED, 'fingerprints', f), 'latin1')).fingerprints) {
        for (const r of fp.responses) {
          const probe = r.probe === 'NULL' && fp.protocol === 'TCP' ? db.nullProbe : db.probes.find((p) => p.name === r.probe && p.protocol === fp.protocol);
          assert.ok(probe, `${f}: probe ${r.probe} is in the corpus`);
          responses++;
          for (const fb of probe.fallbacks) {
            let set = pairs.get(fb);
            if (!set) pairs.set(fb, (set = new Set()));
            set.add(r.bytes);
            // A live scan matches after every read, so also the reply cut after each of its first lines
            // and after its first few bytes.
            for (let k = r.bytes.indexOf('\n'), n = 0; k >= 0 && k < r.bytes.length - 1 && n < 8; k = r.bytes.indexOf('\n', k + 1), n++) set.add(r.bytes.slice(0, k + 1));
            for (const n of [1, 2, 3, 5, 8]) if (n < r.bytes.length) set.add(r.bytes.slice(0, n));
          }
        }
      }
    }

    it('reads responses from every fingerprint file', () => {
      assert.equal(files.length, 163);
      assert.ok(responses > 380, `${responses} responses`);
    });

    for (const [probe, subjects] of pairs) {
      it(`${probe.protocol} ${probe.name}: ${subjects.size} responses × ${probe.matches.length} lines`, () => {
        const missed: string[] = [];
        let kept = 0;
        let tried = 0;
        for (const s of subjects) {
          const sel = selected(twin(cold, probe), s);
          const ref = everyLine(db, probe, s);
          const chosen = new Set(sel);
          for (const i of ref.active) if (!chosen.has(i)) missed.push(`line ${probe.matches[i].line} on ${JSON.stringify(s.slice(0, 40))}`);
          const scanProbe = twin(scan, probe);
          const hit = testProbe(scan, scanProbe, s, []);
          assert.equal(hit ? scanProbe.matches.indexOf(hit.match as DbMatch) : -1, ref.first, `first match on ${JSON.stringify(s.slice(0, 40))}`);
          kept += sel.length;
          tried += probe.matches.length;
        }
        assert.deepEqual(missed, []);
        // Not a speed assertion: the selection must actually select (else the test proves little).
        if (probe.matches.length > 100) assert.ok(kept < tried / 4, `${kept} of ${tried} kept`);
        // The cold database really stayed cold (every selection above walked the patterns).
        assert.ok(twin(cold, probe).matches.every((m) => m.compiled === undefined));
      });
    }
  });
});
