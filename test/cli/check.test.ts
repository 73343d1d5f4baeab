// `nsp check` in-process through main(): usage and exit codes, every format on real files, stdin,
// unreadable files, and the real references — nmap loading the same files, pcre2test judging the
// same pattern.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { CORPUS, EXAMPLE, exampleMistakes, nmapLoads, nsp, withoutLines } from './check-support';
import { sarifProblems } from './check-sarif-schema';
import { main } from '../../cli/main';

const NO_STACK = /\n\s+at .+\(.*:\d+:\d+\)/;
const exampleText = readFileSync(EXAMPLE, 'utf8');
const mistakes = exampleMistakes(exampleText);

interface JsonOut {
  files: {
    path: string;
    diagnostics: { line: number; column: number; endLine: number; endColumn: number; severity: string; code: string; message: string }[];
  }[];
}

async function json(args: string[], stdin?: Uint8Array): Promise<JsonOut> {
  const r = await nsp(['check', '--format', 'json', ...args], stdin);
  assert.equal(r.stderr, '');
  return JSON.parse(r.stdout) as JsonOut;
}

describe('nsp check: usage', () => {
  it('--help prints the usage and exits 0', async () => {
    const r = await nsp(['check', '--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^usage: nsp check/);
    assert.match(r.stdout, /--format/);
    assert.match(r.stdout, /--pcre2-version/);
  });

  for (const [args, why] of [
    [[], /no file given/],
    [['--format', 'xml', EXAMPLE], /unknown format 'xml'/],
    [['--format'], /--format needs a value/],
    [['--pcre2-version', '10.40', EXAMPLE], /unsupported PCRE2 version '10.40'/],
    [['--frobnicate', EXAMPLE], /unknown option '--frobnicate'/],
    [['-', '-'], /only once/],
  ] as [string[], RegExp][]) {
    it(`exits 2 with a clear message: nsp check ${args.join(' ')}`, async () => {
      const r = await nsp(['check', ...args]);
      assert.equal(r.code, 2);
      assert.match(r.stderr, why);
      assert.doesNotMatch(r.stderr, NO_STACK);
      assert.equal(r.stdout, '');
    });
  }

  it('an unreadable file exits 2 and names the file, while the other files are still checked', async () => {
    const r = await nsp(['check', '/nonexistent/nmap-service-probes', EXAMPLE]);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, "nsp check: cannot read '/nonexistent/nmap-service-probes': no such file or directory\n");
    assert.match(r.stdout, /nmap-service-probes\.example:\d+:\d+: error /);
    assert.match(r.stdout, /1 file checked: [1-9]\d* errors?/);
  });

  it('a file it may not read gets "permission denied", the error code not Node\'s wording', async () => {
    let stderr = '';
    const err = Object.assign(new Error("EACCES: permission denied, open 'secret'"), { code: 'EACCES' });
    const code = await main(['check', 'secret'], {
      stdout: () => undefined,
      stderr: (t) => void (stderr += t),
      readFile: async () => Promise.reject(err),
      env: {},
      cwd: '/',
    });
    assert.equal(code, 2);
    assert.equal(stderr, "nsp check: cannot read 'secret': permission denied\n");
  });

  it('a directory is unreadable too', async () => {
    const r = await nsp(['check', '/tmp']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /cannot read '\/tmp': is a directory/);
  });
});

describe('nsp check: the corpus file (nmap latest)', function () {
  this.timeout(60_000);

  it('has zero errors, exits 0, and nmap loads it too', async () => {
    const out = await json([CORPUS]);
    const errors = out.files[0].diagnostics.filter((d) => d.severity === 'error');
    assert.deepEqual(errors, []);
    const r = await nsp(['check', CORPUS]);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^1 file checked: 0 errors, \d+ warnings?/m);
    const ref = nmapLoads(readFileSync(CORPUS, 'utf8'));
    assert.ok(ref.ok, ref.message);
  });
});

describe('nsp check: the example file', function () {
  this.timeout(120_000);

  it('has the mistakes its comments announce, one diagnostic or more on each such line', async () => {
    assert.ok(mistakes.length >= 8, `found ${mistakes.length} MISTAKE comments`);
    const out = await json([EXAMPLE]);
    const lines = new Set(out.files[0].diagnostics.map((d) => d.line));
    for (const m of mistakes) assert.ok(lines.has(m.line), `no diagnostic on line ${m.line} (${m.title})`);
  });

  it('exits 1 because it has errors', async () => {
    const r = await nsp(['check', EXAMPLE]);
    assert.equal(r.code, 1);
  });

  it('without its mistakes has no error, and nmap loads it', async () => {
    const clean = withoutLines(exampleText, mistakes.map((m) => m.line));
    const out = await json(['-'], Buffer.from(clean));
    assert.deepEqual(out.files[0].diagnostics.filter((d) => d.severity === 'error'), []);
    const ref = nmapLoads(clean);
    assert.ok(ref.ok, ref.message);
  });

  // One file per mistake (the others left out), judged by nsp and by nmap 7.93: an error from nsp
  // must be a file nmap refuses, a warning one it loads. Today's nmap (PCRE2, 2026) also refuses a
  // pattern that can match the empty string, which 7.93 still loads: nsp follows today's nmap.
  for (const m of mistakes) {
    it(`agrees with nmap on the "${m.title}" mistake`, async () => {
      const text = withoutLines(exampleText, mistakes.filter((o) => o !== m).map((o) => o.line));
      const lineNo = text.split('\n').indexOf(exampleText.split('\n')[m.line - 1]) + 1;
      const out = await json(['-'], Buffer.from(text));
      const here = out.files[0].diagnostics.filter((d) => d.line === lineNo);
      assert.ok(here.length > 0, `no diagnostic on line ${lineNo}`);
      const nspRefuses = out.files[0].diagnostics.some((d) => d.severity === 'error');
      const ref = nmapLoads(text);
      if (m.title === 'matches empty') {
        assert.ok(nspRefuses, 'today nmap refuses a pattern that matches the empty string');
        assert.ok(ref.ok, `nmap 7.93 still loads it: ${ref.message}`);
      } else {
        assert.equal(nspRefuses, !ref.ok, `nsp ${nspRefuses ? 'refuses' : 'accepts'}, nmap says: ${ref.message}`);
      }
    });
  }
});

describe('nsp check: formats agree on the example', function () {
  this.timeout(60_000);

  it('text: one file:line:col line per diagnostic of the json output, then the summary', async () => {
    const out = await json([EXAMPLE]);
    const r = await nsp(['check', EXAMPLE]);
    const lines = r.stdout.trimEnd().split('\n');
    const summary = lines.pop();
    const diagLines = lines.filter((l) => !/: note: /.test(l));
    assert.deepEqual(
      diagLines,
      out.files[0].diagnostics.map((d) => `${EXAMPLE}:${d.line}:${d.column}: ${d.severity} ${d.code} ${d.message.replace(/\r?\n/g, ' ')}`),
    );
    const errors = out.files[0].diagnostics.filter((d) => d.severity === 'error').length;
    const warnings = out.files[0].diagnostics.filter((d) => d.severity === 'warning').length;
    assert.match(summary ?? '', new RegExp(`^1 file checked: ${errors} errors?, ${warnings} warnings?`));
  });

  it('json: 1-based positions inside the file, codes NSPnnn', async () => {
    const out = await json([EXAMPLE]);
    const lineLengths = exampleText.split('\n').map((l) => [...l].length);
    for (const d of out.files[0].diagnostics) {
      assert.match(d.code, /^NSP\d{3}$/);
      assert.ok(['error', 'warning', 'information', 'hint'].includes(d.severity));
      assert.ok(d.line >= 1 && d.line <= lineLengths.length, JSON.stringify(d));
      assert.ok(d.column >= 1 && d.column <= lineLengths[d.line - 1] + 1, JSON.stringify(d));
      assert.ok(d.endLine > d.line || (d.endLine === d.line && d.endColumn >= d.column), JSON.stringify(d));
    }
  });

  it('json: the column of the broken regex diagnostic points into the pattern, not at the line start', async () => {
    const m = mistakes.find((x) => x.title === 'broken regex');
    assert.ok(m);
    const d = (await json([EXAMPLE])).files[0].diagnostics.find((x) => x.line === m.line && x.severity === 'error');
    assert.ok(d);
    const lineText = exampleText.split('\n')[m.line - 1];
    assert.ok(d.column > lineText.indexOf('m|'), `column ${d.column} is before the pattern`);
  });

  it('sarif: valid SARIF 2.1.0 with a rule for every code and a result for every diagnostic', async () => {
    const out = await json([EXAMPLE]);
    const r = await nsp(['check', '--format', 'sarif', EXAMPLE]);
    assert.equal(r.code, 1);
    const log = JSON.parse(r.stdout);
    assert.deepEqual(sarifProblems(log), []);
    const codes = [...new Set(out.files[0].diagnostics.map((d) => d.code))].sort();
    assert.deepEqual(log.runs[0].tool.driver.rules.map((x: { id: string }) => x.id), codes);
    assert.equal(log.runs[0].results.length, out.files[0].diagnostics.length);
    const first = out.files[0].diagnostics[0];
    assert.deepEqual(log.runs[0].results[0].locations[0].physicalLocation.region, {
      startLine: first.line,
      startColumn: first.column,
      endLine: first.endLine,
      endColumn: first.endColumn,
    });
  });

  it('github: one workflow command per diagnostic', async () => {
    const out = await json([EXAMPLE]);
    const r = await nsp(['check', '--format', 'github', EXAMPLE]);
    assert.equal(r.code, 1);
    const cmds = r.stdout.split('\n').filter((l) => l.startsWith('::'));
    assert.equal(cmds.length, out.files[0].diagnostics.length);
    const d = out.files[0].diagnostics[0];
    const kind = d.severity === 'error' ? 'error' : d.severity === 'warning' ? 'warning' : 'notice';
    assert.ok(cmds[0].startsWith(`::${kind} file=`), cmds[0]);
    assert.ok(cmds[0].includes(`,line=${d.line},col=${d.column},endLine=${d.endLine},endColumn=${d.endColumn},title=${d.code}::`), cmds[0]);
  });
});

describe('nsp check: stdin and encodings', () => {
  it('reads "-" from standard input, named <stdin> or by --stdin-filename', async () => {
    const bytes = readFileSync(EXAMPLE);
    const a = await json(['-'], bytes);
    assert.equal(a.files[0].path, '<stdin>');
    const b = await json(['--stdin-filename', 'probes/x', '-'], bytes);
    assert.equal(b.files[0].path, 'probes/x');
    const c = await json([EXAMPLE]);
    assert.deepEqual(a.files[0].diagnostics, c.files[0].diagnostics);
  });

  it('an empty input is checked without crashing', async () => {
    const r = await nsp(['check', '-'], new Uint8Array());
    assert.ok(r.code === 0 || r.code === 1);
    assert.match(r.stdout, /1 file checked/);
  });

  it('invalid UTF-8 is checked, with one NSP001 warning at the first bad byte', async () => {
    const bytes = Buffer.concat([Buffer.from('Probe TCP NULL q||\nmatch x m|^A'), Buffer.from([0xff]), Buffer.from('B| p/x/\n')]);
    const out = await json(['-'], bytes);
    const w = out.files[0].diagnostics.filter((d) => d.code === 'NSP001');
    assert.equal(w.length, 1);
    assert.deepEqual([w[0].line, w[0].column, w[0].severity], [2, 13, 'warning']);
  });

  it('CRLF line ends give the same positions as LF', async () => {
    // Blank lines are left out: nmap reads a blank CRLF line as an unknown directive (next test).
    const noBlank = exampleText.split('\n').filter((l) => l.trim() !== '').join('\n');
    const lf = await json(['-'], Buffer.from(noBlank));
    const crlf = await json(['-'], Buffer.from(noBlank.replace(/\n/g, '\r\n')));
    const pos = (o: JsonOut) => o.files[0].diagnostics.map((d) => `${d.line}:${d.column}-${d.endLine}:${d.endColumn} ${d.code}`);
    assert.ok(pos(lf).length > 5);
    assert.deepEqual(pos(crlf), pos(lf));
  });

  it('a blank line in a CRLF file is an error, because nmap refuses it', async () => {
    const text = 'Probe TCP NULL q||\r\n\r\nmatch x m|^A| p/x/\r\n';
    const ref = nmapLoads(text);
    assert.ok(!ref.ok, ref.message);
    assert.match(ref.message, /line 2/);
    const out = await json(['-'], Buffer.from(text));
    const errors = out.files[0].diagnostics.filter((d) => d.severity === 'error');
    assert.deepEqual(errors.map((d) => d.line), [2]);
  });

  it('several files are reported in the order given, each under its own path', async () => {
    const out = await json([EXAMPLE, CORPUS]);
    assert.deepEqual(out.files.map((f) => f.path), [EXAMPLE, CORPUS]);
  });
});

describe('nsp check --pcre2-version', function () {
  this.timeout(30_000);
  // A variable-length lookbehind: PCRE2 10.42 refuses it, 10.43 and later accept it.
  const PATTERN = '(?<=a{1,3})x';
  const file = `Probe TCP NULL q||\nmatch demo m|${PATTERN}| p/demo/\n`;

  it('judges a pattern by the chosen PCRE2 version, as pcre2test 10.42 does', async () => {
    const ref = spawnSync('pcre2test', [], { input: `/${PATTERN}/\n`, encoding: 'utf8', timeout: 10_000 });
    assert.match(ref.stdout, /PCRE2 version 10\.42/);
    assert.match(ref.stdout, /Failed: error 125 at offset 0: lookbehind assertion is not fixed length/);
    const old = await json(['--pcre2-version', '10.42', '-'], Buffer.from(file));
    const errs42 = old.files[0].diagnostics.filter((d) => d.line === 2 && d.severity === 'error');
    assert.equal(errs42.length, 1, JSON.stringify(old));
    assert.match(errs42[0].message, /lookbehind/);
    const now = await json(['--pcre2-version', '10.47', '-'], Buffer.from(file));
    assert.deepEqual(now.files[0].diagnostics.filter((d) => d.line === 2 && d.severity === 'error'), []);
    const dflt = await json(['-'], Buffer.from(file));
    assert.deepEqual(dflt.files[0].diagnostics, now.files[0].diagnostics, 'the default is 10.47');
  });
});
