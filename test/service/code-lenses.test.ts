// "Test against captures (N)": N counts the captures whose responses the engine tested against a
// line. The reference for "tested against" is behavioural and independent of the trail walk in
// service/code-lenses.ts: a line was tested against a capture exactly when replacing the line with
// one that matches any byte (`m|.|s`) makes that capture's verdict come from that line. Checked
// for every (capture, line) pair on two small files and on sampled lines of the real corpus.

import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { captureFromFingerprint, parseCaptures, type CaptureCase } from '../../engine/capture';
import { detect } from '../../engine/detect';
import { parseFingerprints } from '../../engine/fingerprint';
import { buildProbeDb, type ProbeDb } from '../../engine/probe-db';
import { parse } from '../../grammar/index';
import { compile } from '../../regex/index';
import { reachedLines } from '../../service/code-lenses';
import { getLanguageService } from '../../service/index';
import { CORPUS } from './check';

const TEST = path.join(__dirname, '..');
const SHARED = path.join(TEST, '..', '..', 'shared');
const dbOf = (text: string): ProbeDb => buildProbeDb(parse(text).file, { compile });
const verdict = (db: ProbeDb, c: CaptureCase) => detect(db, c.responses, { port: c.port, protocol: c.protocol, tunnel: c.tls ? 'ssl' : 'none', intensity: c.intensity });
const matchLines = (text: string) =>
  text.split('\n').flatMap((l, i) => (/^(soft)?match /.test(l) ? [i + 1] : []));

/** True when a line matching any byte at `line` (1-based) decides the capture. */
function decidesWhenMatchingAll(text: string, line: number, c: CaptureCase): boolean {
  const lines = text.split('\n');
  lines[line - 1] = 'match nsp-reach-probe m|.|s';
  return verdict(dbOf(lines.join('\n')), c).line === line;
}

function fingerprintCase(file: string): CaptureCase {
  const fp = parseFingerprints(readFileSync(path.join(SHARED, 'fingerprints', file), 'latin1')).fingerprints[0];
  return captureFromFingerprint(fp, file);
}

describe('code lenses: captures reaching a line', function () {
  this.timeout(60000);

  for (const [name, probesFile, cases] of [
    ['mini-probes × mini.captures', path.join(TEST, 'fixtures', 'engine', 'mini-probes'), () => parseCaptures(readFileSync(path.join(TEST, 'fixtures', 'engine', 'mini.captures'), 'utf8')).cases],
    ['the e2e workspace × a ProFTPD fingerprint', path.join(TEST, 'fixtures', 'e2e', 'vscode-workspace.nsp'), () => [fingerprintCase('003-port21-tcp.sf')]],
  ] as const) {
    it(`counts exactly the lines each capture was tested against (${name}, every line)`, () => {
      const text = readFileSync(probesFile, 'utf8');
      const db = dbOf(text);
      let reachedPairs = 0;
      for (const c of cases()) {
        const reached = reachedLines(db, verdict(db, c), c.port, c.protocol);
        for (const line of matchLines(text)) {
          assert.equal(reached.has(line), decidesWhenMatchingAll(text, line, c), `${c.name}, line ${line}`);
          if (reached.has(line)) reachedPairs++;
        }
      }
      assert.ok(reachedPairs > 0);
    });
  }

  it('agrees with the match-all reference on sampled lines of the real corpus', () => {
    const text = readFileSync(path.join(CORPUS, 'nmap-service-probes'), 'utf8');
    const db = dbOf(text);
    const all = matchLines(text);
    const cases = [fingerprintCase('003-port21-tcp.sf'), ...parseCaptures(readFileSync(path.join(TEST, 'fixtures', 'captures', 'banners.captures'), 'utf8')).cases.slice(0, 2)];
    let checked = 0;
    for (const c of cases) {
      const v = verdict(db, c);
      assert.ok(v.line, `${c.name} is named by some line`);
      const at = all.indexOf(v.line!);
      const reached = reachedLines(db, v, c.port, c.protocol);
      // The deciding line, its neighbours, and the first NULL line.
      for (const line of new Set([v.line!, all[at - 1], all[at + 1], all[0]])) {
        assert.equal(reached.has(line), decidesWhenMatchingAll(text, line, c), `${c.name}, line ${line}`);
        checked++;
      }
    }
    assert.ok(checked >= 9);
  });

  it('titles lenses lazily: unresolved until asked, then the count and how the decided captures fared', () => {
    const ls = getLanguageService();
    const text = readFileSync(path.join(TEST, 'fixtures', 'engine', 'mini-probes'), 'utf8');
    ls.setCaptureSources([{ uri: 'file:///ws/mini.captures', text: readFileSync(path.join(TEST, 'fixtures', 'engine', 'mini.captures'), 'utf8'), kind: 'captures' }]);
    const doc = ls.analyze('file:///ws/nmap-service-probes', 1, text);
    const lenses = ls.getCodeLenses(doc);
    const captureLenses = lenses.filter((l) => !l.command);
    assert.equal(captureLenses.length, 3, 'one unresolved capture lens per match line');
    const titles = captureLenses.map((l) => [l.range.start.line + 1, ls.resolveCodeLens(doc, l).command?.title]);
    // vsftpd-banner: its NULL reply is decided by line 4 (so line 5 is never tried) and meets its
    // expectations. nginx-wrong-on-purpose: its GetRequest reply is decided by line 10 before the
    // NULL fallback is reached; it expects version 9.9.9.
    assert.deepEqual(titles, [
      [4, 'Test against captures (1): 1 passed'],
      [5, 'Test against captures (0)'],
      [10, 'Test against captures (1): 1 failed'],
    ]);
    // Resolved once, the table is cached for this text: a new lens request comes resolved.
    assert.equal(ls.getCodeLenses(doc).filter((l) => !l.command).length, 0);
    const edited = ls.analyze('file:///ws/nmap-service-probes', 2, text + '\n');
    assert.equal(ls.getCodeLenses(edited).filter((l) => !l.command).length, 3);
  });

  it('resolves in slices for a server: the same titles, other work runs meanwhile, one shared replay, an edit stops it', async () => {
    const text = readFileSync(path.join(CORPUS, 'nmap-service-probes'), 'utf8');
    const dir = path.join(SHARED, 'fingerprints');
    const sources = readdirSync(dir)
      .filter((f) => f.endsWith('.sf'))
      .map((f) => ({ uri: `file:///ws/${f}`, text: readFileSync(path.join(dir, f), 'utf8'), kind: 'fingerprints' as const }));
    const lensesOf = (ls: ReturnType<typeof getLanguageService>, doc: ReturnType<ReturnType<typeof getLanguageService>['analyze']>) =>
      ls.getCodeLenses(doc).filter((l) => !l.command);

    // The reference: the one-piece resolve of a separate service.
    const ref = getLanguageService();
    assert.ok(ref.setCaptureSources(sources) > 100);
    const refDoc = ref.analyze('file:///ws/nmap-service-probes', 1, text);
    const all = lensesOf(ref, refDoc);
    const allTitles = all.map((l) => ref.resolveCodeLens(refDoc, l).command?.title ?? '');
    // Every line that decides a fingerprint, and every 97th other one.
    const picked = all.map((_, k) => k).filter((k) => /passed|failed/.test(allTitles[k]) || k % 97 === 0);
    const sample = picked.map((k) => all[k]);
    const expected = picked.map((k) => allTitles[k]);
    assert.ok(expected.filter((t) => /passed|failed/.test(t)).length > 20, 'lines decide fingerprints');

    const ls = getLanguageService();
    ls.setCaptureSources(sources);
    // An edit before the replay ends: the replay stops and the lens gets the title without counts.
    const old = ls.analyze('file:///ws/nmap-service-probes', 1, text);
    let edited = false;
    const stopped = ls.resolveCodeLensInSlices(old, sample[0], () => edited);
    edited = true;
    assert.match((await stopped).command?.title ?? '', /^Test against captures \(\d+\)$/);
    assert.equal(lensesOf(ls, old).length, all.length, 'a stopped replay caches nothing');

    const doc = ls.analyze('file:///ws/nmap-service-probes', 2, text);
    let ticks = 0;
    let done = false;
    const ticker = (): void => {
      if (done) return;
      ticks++;
      setImmediate(ticker);
    };
    setImmediate(ticker);
    // Every lens asked at once, as an editor does for the lenses on screen.
    const titles = (await Promise.all(sample.map((l) => ls.resolveCodeLensInSlices(doc, l, () => false)))).map((l) => l.command?.title);
    done = true;
    assert.deepEqual(titles, expected);
    assert.ok(ticks >= 2, `the event loop turned ${ticks} times during the replay`);
    // The shared replay is cached: every lens now comes resolved.
    assert.equal(lensesOf(ls, doc).length, 0);
  });

  it('with no captures, every lens is resolved at once with 0', () => {
    const ls = getLanguageService();
    const doc = ls.analyze('file:///ws/p', 1, readFileSync(path.join(TEST, 'fixtures', 'engine', 'mini-probes'), 'utf8'));
    const titles = ls.getCodeLenses(doc).filter((l) => l.command?.command === 'nsp.testAgainstCaptures').map((l) => l.command!.title);
    assert.deepEqual(titles, ['Test against captures (0)', 'Test against captures (0)', 'Test against captures (0)']);
  });
});
