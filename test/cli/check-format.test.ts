// The output formats of `nsp check`, driven with hand-made diagnostics so that every position rule
// (1-based, code-point columns, exclusive ends, CRLF) and every escaping rule is pinned down
// independently of what the checks find.
import assert from 'node:assert/strict';
import type { Diagnostic } from '../../grammar/diagnostic';
import { parse } from '../../grammar/index';
import { Positioner, summaryLine, toFindings, type FileResult } from '../../cli/format';
import { formatText } from '../../cli/format-text';
import { formatJson } from '../../cli/format-json';
import { escapeData, escapeProperty, formatGithub } from '../../cli/format-github';
import { artifactLocation, formatSarif } from '../../cli/format-sarif';
import { decode, INVALID_UTF8_CODE } from '../../cli/format-input';
import { sarifProblems } from './check-sarif-schema';

// Line 1 "ab", line 2 "cé😀x" ending in CRLF, line 3 "z". "😀" is two UTF-16 units, one character.
const TEXT = 'ab\ncé😀x\r\nz';
const at = (s: string, nth = 0) => {
  let i = -1;
  for (let k = 0; k <= nth; k++) i = TEXT.indexOf(s, i + 1);
  return i;
};

function diag(start: number, end: number, over: Partial<Diagnostic> = {}): Diagnostic {
  return { code: 'NSP999', severity: 'error', message: 'msg', span: { start, end }, ...over };
}

describe('cli/format: positions', () => {
  const p = new Positioner(TEXT);

  it('gives 1-based lines and columns counted in characters, not UTF-16 units or bytes', () => {
    assert.deepEqual(p.position(0), { line: 1, column: 1 });
    assert.deepEqual(p.position(at('c')), { line: 2, column: 1 });
    // "x" follows c, é and the emoji: three characters, so it is column 4 (bytes would say 8, UTF-16 5).
    assert.deepEqual(p.position(at('x')), { line: 2, column: 4 });
    assert.deepEqual(p.position(at('z')), { line: 3, column: 1 });
  });

  it('uses exclusive ends and shows a range ending after a line break as ending on its own line', () => {
    assert.deepEqual(p.range(at('é'), at('x')), { line: 2, column: 2, endLine: 2, endColumn: 4 });
    // "x\r\n": the range covers the line terminator but is shown as ending after "x".
    assert.deepEqual(p.range(at('x'), at('z')), { line: 2, column: 4, endLine: 2, endColumn: 5 });
    // An empty range (an insertion point) keeps start = end.
    assert.deepEqual(p.range(at('z'), at('z')), { line: 3, column: 1, endLine: 3, endColumn: 1 });
  });

  it('clamps offsets outside the text instead of throwing', () => {
    assert.deepEqual(p.position(-5), { line: 1, column: 1 });
    assert.deepEqual(p.position(10_000), { line: 3, column: 2 });
    assert.deepEqual(p.range(5, 2), { line: 2, column: 3, endLine: 2, endColumn: 3 });
  });

  it('agrees with the line index a parse already built', () => {
    const index = parse(TEXT).file.lineIndex;
    assert.deepEqual(index.lineStarts, [0, 3, 10]);
    assert.equal(TEXT.indexOf('z'), 10);
    assert.deepEqual(new Positioner(TEXT, index).range(at('é'), at('z')), p.range(at('é'), at('z')));
  });

  it('sorts findings by position, then severity and code', () => {
    const f = toFindings(
      [
        diag(at('z'), at('z') + 1, { code: 'NSP2' }),
        diag(0, 1, { code: 'NSP3', severity: 'warning' }),
        diag(0, 1, { code: 'NSP4' }),
      ],
      p,
    );
    assert.deepEqual(
      f.map((x) => `${x.line}:${x.column} ${x.code}`),
      ['1:1 NSP4', '1:1 NSP3', '3:1 NSP2'],
    );
  });
});

function sample(): FileResult[] {
  const p = new Positioner(TEXT);
  return [
    {
      path: 'probes/my file,1.txt',
      findings: toFindings(
        [
          diag(at('é'), at('x'), { code: 'NSP201', message: 'bad regex: 100% wrong, see\nnext line' }),
          diag(at('z'), at('z') + 1, {
            code: 'NSP301',
            severity: 'warning',
            message: 'port 80 listed twice',
            related: [{ span: { start: 0, end: 2 }, message: 'first listed here' }],
          }),
          diag(0, 1, { code: 'NSP302', severity: 'information', message: 'fyi' }),
        ],
        p,
      ),
    },
    { path: '/abs/clean', findings: [] },
  ];
}

describe('cli/format: text', () => {
  it('prints file:line:col: severity code message, related notes, and a summary', () => {
    assert.equal(
      formatText(sample()),
      [
        'probes/my file,1.txt:1:1: information NSP302 fyi',
        'probes/my file,1.txt:2:2: error NSP201 bad regex: 100% wrong, see next line',
        'probes/my file,1.txt:3:1: warning NSP301 port 80 listed twice',
        'probes/my file,1.txt:1:1: note: first listed here',
        '2 files checked: 1 error, 1 warning, 1 info',
        '',
      ].join('\n'),
    );
  });

  it('pluralises the summary', () => {
    assert.equal(summaryLine([{ path: 'a', findings: [] }]), '1 file checked: 0 errors, 0 warnings');
  });
});

describe('cli/format: json', () => {
  it('has exactly the documented shape, 1-based and exclusive ends', () => {
    const out = JSON.parse(formatJson(sample()));
    assert.deepEqual(Object.keys(out), ['files']);
    assert.deepEqual(out.files[1], { path: '/abs/clean', diagnostics: [] });
    assert.deepEqual(out.files[0].diagnostics[1], {
      line: 2,
      column: 2,
      endLine: 2,
      endColumn: 4,
      severity: 'error',
      code: 'NSP201',
      message: 'bad regex: 100% wrong, see\nnext line',
    });
  });
});

describe('cli/format: github', () => {
  it('escapes %, CR and LF in messages, and also : and , in properties', () => {
    assert.equal(escapeData('a%b\r\nc:d,e'), 'a%25b%0D%0Ac:d,e');
    assert.equal(escapeProperty('a%b\r\nc:d,e'), 'a%25b%0D%0Ac%3Ad%2Ce');
  });

  it('writes one workflow command per diagnostic and maps information to notice', () => {
    const lines = formatGithub(sample()).trimEnd().split('\n');
    assert.deepEqual(lines, [
      '::notice file=probes/my file%2C1.txt,line=1,col=1,endLine=1,endColumn=2,title=NSP302::fyi',
      '::error file=probes/my file%2C1.txt,line=2,col=2,endLine=2,endColumn=4,title=NSP201::bad regex: 100%25 wrong, see%0Anext line',
      '::warning file=probes/my file%2C1.txt,line=3,col=1,endLine=3,endColumn=2,title=NSP301::port 80 listed twice',
      '2 files checked: 1 error, 1 warning, 1 info',
    ]);
  });
});

describe('cli/format: sarif', () => {
  it('is a valid SARIF 2.1.0 log that code scanning accepts', () => {
    const log = JSON.parse(formatSarif(sample()));
    assert.deepEqual(sarifProblems(log), []);
    const run = log.runs[0];
    assert.equal(run.tool.driver.name, 'nsp');
    assert.deepEqual(
      run.tool.driver.rules.map((r: { id: string }) => r.id),
      ['NSP201', 'NSP301', 'NSP302'],
    );
    assert.equal(run.columnKind, 'unicodeCodePoints');
    const err = run.results.find((r: { ruleId: string }) => r.ruleId === 'NSP201');
    assert.equal(err.level, 'error');
    assert.deepEqual(err.locations[0].physicalLocation, {
      artifactLocation: { uri: 'probes/my%20file%2C1.txt', uriBaseId: '%SRCROOT%' },
      region: { startLine: 2, startColumn: 2, endLine: 2, endColumn: 4 },
    });
    const warn = run.results.find((r: { ruleId: string }) => r.ruleId === 'NSP301');
    assert.equal(warn.relatedLocations[0].message.text, 'first listed here');
    assert.equal(run.results.find((r: { ruleId: string }) => r.ruleId === 'NSP302').level, 'note');
  });

  it('is valid with no results at all', () => {
    assert.deepEqual(sarifProblems(JSON.parse(formatSarif([{ path: 'x', findings: [] }]))), []);
  });

  it('the validator itself rejects what code scanning rejects', () => {
    const log = JSON.parse(formatSarif(sample()));
    delete log.runs[0].results[0].message;
    log.runs[0].results[1].ruleId = 'NSP000';
    log.runs[0].results[2].locations[0].physicalLocation.region.startLine = 0;
    log.runs[0].extra = true;
    assert.deepEqual(sarifProblems(log), [
      "$.runs[0]: 'extra' is not a run property",
      "$.runs[0].results[0]: missing required 'message'",
      '$.runs[0].results[0].message: expected an object',
      "$.runs[0].results[1].ruleId: NSP000 is not among the driver's rules",
      '$.runs[0].results[1].ruleIndex: does not point at rule NSP000',
      '$.runs[0].results[2].locations[0].physicalLocation.region.startLine: expected an integer >= 1, got 0',
    ]);
  });

  it('writes relative paths as relative URIs and absolute ones as file: URIs', () => {
    assert.deepEqual(artifactLocation('./a/b c.txt'), { uri: 'a/b%20c.txt', uriBaseId: '%SRCROOT%' });
    assert.deepEqual(artifactLocation('nmap-service-probes'), { uri: 'nmap-service-probes', uriBaseId: '%SRCROOT%' });
    assert.deepEqual(artifactLocation('/usr/share/nmap/nmap-service-probes'), {
      uri: 'file:///usr/share/nmap/nmap-service-probes',
    });
  });
});

describe('cli/check: decoding', () => {
  it('decodes UTF-8 and keeps a byte-order mark, which nmap would see', () => {
    const { text, warning } = decode(Buffer.from('\ufeffProbe TCP NULL q||\n# é\n', 'utf8'));
    assert.equal(text, '\ufeffProbe TCP NULL q||\n# é\n');
    assert.equal(warning, undefined);
  });

  it('does not fail on invalid UTF-8: replaces bad bytes and warns at the first one', () => {
    const bytes = Buffer.concat([Buffer.from('# é\nmatch x m|^\\x41', 'utf8'), Buffer.from([0xff, 0xc3]), Buffer.from('|\n')]);
    const { text, warning } = decode(bytes);
    assert.equal(text, '# é\nmatch x m|^\\x41\ufffd\ufffd|\n');
    assert.ok(warning);
    assert.equal(warning.code, INVALID_UTF8_CODE);
    assert.equal(warning.severity, 'warning');
    assert.equal(warning.span.start, text.indexOf('\ufffd'));
    // "# é\n" is 5 bytes (é is two), the match text before the bad byte 15 more.
    assert.match(warning.message, /0xFF at byte offset 20;/);
    assert.match(warning.message, /2 replacement characters/);
  });

  it('finds overlong and surrogate encodings that TextDecoder also refuses', () => {
    for (const bad of [[0xc0, 0x80], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x82]]) {
      const { text, warning } = decode(Buffer.from([0x61, ...bad, 0x62]));
      assert.ok(warning, `bytes ${bad}`);
      assert.equal(warning.span.start, 1);
      assert.ok(text.startsWith('a\ufffd') && text.endsWith('b'));
    }
  });
});
