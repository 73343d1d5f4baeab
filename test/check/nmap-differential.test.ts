// Differential test against the real reference: Debian's nmap 7.93 (/usr/bin/nmap, installed by
// .ci/apt-packages.txt). A small file is cut from the latest corpus in ../shared; each case injects
// ONE error into it, nmap loads the file (`-sV -p 1 --versiondb FILE`) and names the line it
// refuses; our first error must be on that line. Where today's nmap (HEAD) and 7.93 differ, the
// case says so and asserts both facts: 7.93 accepts, and we report what HEAD refuses.

import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strict as assert } from 'node:assert';
import { checkDocument } from '../../engine/check/index';

const CORPUS = join(__dirname, '../../../shared/corpus/nmap-service-probes');
const NMAP = '/usr/bin/nmap';

/** The latest corpus' header, the NULL probe with its first matches, and two HTTP probe headers. */
function baseFile(): string[] {
  const all = readFileSync(CORPUS, 'utf8').split('\n');
  const at = (prefix: string): number => all.findIndex((l) => l.startsWith(prefix));
  const nul = at('Probe TCP NULL ');
  const get = at('Probe TCP GetRequest ');
  const opt = at('Probe TCP HTTPOptions ');
  return [...all.slice(0, nul + 40), ...all.slice(get, get + 12), ...all.slice(opt, opt + 12), ''];
}

interface NmapOutcome {
  refused: boolean;
  line?: number;
  output: string;
}

function runNmap(dir: string, file: string): Promise<NmapOutcome> {
  return new Promise((resolve) => {
    execFile(NMAP, ['-sV', '-p', '1', '-Pn', '-n', '127.0.0.1', '--versiondb', file, '--datadir', dir], { timeout: 30000 }, (_err, stdout, stderr) => {
      const output = `${stdout}\n${stderr}`;
      const refused = /QUITTING!/.test(output) || !/Nmap done/.test(output);
      const m = /line (\d+)/.exec(output);
      resolve({ refused, line: m ? Number(m[1]) : undefined, output });
    });
  });
}

interface Case {
  name: string;
  /** Returns the new file and the 1-based line of the injected error. */
  inject: (lines: string[]) => { lines: string[]; line: number };
  /** nmap 7.93 names no line for this refusal; match its message instead. */
  message?: RegExp;
  /** HEAD refuses but 7.93 accepts: the code we must report on the injected line. */
  headOnly?: string;
}

/** Insert `text` after the first line starting with `after`. */
const insertAfter = (after: string, text: string) => (lines: string[]) => {
  const i = lines.findIndex((l) => l.startsWith(after));
  return { lines: [...lines.slice(0, i + 1), text, ...lines.slice(i + 1)], line: i + 2 };
};
/** Replace the first line starting with `prefix`. */
const replace = (prefix: string, text: string) => (lines: string[]) => {
  const i = lines.findIndex((l) => l.startsWith(prefix));
  return { lines: [...lines.slice(0, i), text, ...lines.slice(i + 1)], line: i + 1 };
};

const CASES: Case[] = [
  { name: 'unknown directive', inject: insertAfter('match ', 'frobnicate 1') },
  { name: 'directive with a tab after the keyword', inject: insertAfter('match ', 'match\tssh m|^SSH-|') },
  { name: 'directive not at column 0', inject: insertAfter('match ', ' match ssh m|^SSH-|') },
  { name: 'CRLF blank line ("\\r" alone)', inject: insertAfter('match ', '\r') },
  { name: 'line of spaces', inject: insertAfter('match ', '   ') },
  { name: 'match before the first Probe', inject: insertAfter('Exclude ', 'match ssh m|^SSH-|') },
  { name: 'Exclude after a Probe', inject: insertAfter('rarity ', 'Exclude T:80'), message: /Exclude directive must precede all Probes/ },
  { name: 'second Exclude', inject: insertAfter('Exclude ', 'Exclude T:80'), message: /Only 1 Exclude directive/ },
  { name: 'bad protocol', inject: replace('Probe TCP GetRequest', 'Probe tcp GetRequest q|GET / HTTP/1.0\\r\\n\\r\\n|') },
  { name: 'bad probe name', inject: replace('Probe TCP GetRequest', 'Probe TCP -GetRequest q|GET / HTTP/1.0\\r\\n\\r\\n|') },
  { name: 'nothing after the probe name', inject: replace('Probe TCP GetRequest', 'Probe TCP GetRequest') },
  { name: 'probe string not starting with q', inject: replace('Probe TCP GetRequest', 'Probe TCP GetRequest Q|GET / HTTP/1.0\\r\\n\\r\\n|') },
  { name: 'unclosed probe string', inject: replace('Probe TCP GetRequest', 'Probe TCP GetRequest q|GET / HTTP/1.0\\r\\n\\r\\n') },
  { name: 'bad \\x escape in a probe string', inject: replace('Probe TCP GetRequest', 'Probe TCP GetRequest q|GET / HTTP/1.0\\r\\n\\x4g|') },
  { name: 'match without a service name', inject: insertAfter('match ', 'match ssh') },
  { name: 'match without m', inject: insertAfter('match ', 'match ssh p|^SSH-|') },
  { name: 'regex flag other than i and s', inject: insertAfter('match ', 'match ssh m|^SSH-|k') },
  { name: 'unknown version field', inject: insertAfter('match ', 'match ssh m|^SSH-| x/y/') },
  { name: 'bare word', inject: insertAfter('match ', 'match ssh m|^SSH-| p/OpenSSH/ v') },
  { name: 'unclosed version field', inject: insertAfter('match ', 'match ssh m|^SSH-| p/OpenSSH') },
  { name: 'unclosed pattern', inject: insertAfter('match ', 'match ssh m|^SSH-') },
  { name: 'ports syntax', inject: insertAfter('Probe TCP GetRequest', 'ports 21,,22') },
  { name: 'port above 65535', inject: insertAfter('Probe TCP GetRequest', 'ports 80,65536') },
  { name: 'reversed port range', inject: insertAfter('Probe TCP GetRequest', 'sslports 25-21') },
  { name: 'rarity 0', inject: insertAfter('Probe TCP GetRequest', 'rarity 0') },
  { name: 'rarity not a number', inject: insertAfter('Probe TCP GetRequest', 'rarity high') },
  { name: 'totalwaitms too small', inject: insertAfter('Probe TCP GetRequest', 'totalwaitms 50') },
  { name: 'tcpwrappedms too large', inject: insertAfter('Probe TCP NULL', 'tcpwrappedms 400000') },
  { name: 'invalid regex', inject: insertAfter('match ', 'match ssh m|^SSH-(\\d|') },
  { name: 'unknown fallback', inject: replace('fallback GetRequest', 'fallback GetRequst'), message: /Unknown fallback specified in Probe HTTPOptions: 'GetRequst'/ },
  // Where today's nmap and 7.93 differ (../shared/README.md): 7.93 accepts these.
  { name: 'cpe:|…| (HEAD: cpe delimiter not /)', inject: insertAfter('match ', 'match ssh m|^SSH-| cpe:|a:openbsd:openssh|'), headOnly: 'NSP115' },
  { name: 'pattern matching the empty string', inject: insertAfter('match ', 'match ssh m|^(SSH-)?|'), headOnly: 'NSP202' },
  { name: '\\a in a probe string', inject: replace('Probe TCP GetRequest', 'Probe TCP GetRequest q|GET / HTTP/1.0\\r\\n\\a|'), headOnly: 'NSP109' },
];

describe('differential: nmap 7.93 refuses each injected error on the line we name', function () {
  this.timeout(120000);
  let dir: string;
  const base = baseFile();

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'nsp-nmapdiff-'));
    mkdirSync(join(dir, 'scripts'));
    writeFileSync(join(dir, 'scripts', 'script.db'), '');
    copyFileSync('/usr/share/nmap/nmap-services', join(dir, 'nmap-services'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('the base file cut from the latest corpus is accepted by nmap 7.93 and has no error for us', async () => {
    const file = join(dir, 'base');
    writeFileSync(file, base.join('\n'));
    const nmap = await runNmap(dir, file);
    assert.equal(nmap.refused, false, nmap.output);
    assert.deepEqual(checkDocument(base.join('\n')).diagnostics.filter((d) => d.severity === 'error'), []);
  });

  CASES.forEach((c, k) => {
    it(c.name, async () => {
      const { lines, line } = c.inject(base);
      const text = lines.join('\n');
      const file = join(dir, `case-${k}`);
      writeFileSync(file, text);
      const nmap = await runNmap(dir, file);
      const r = checkDocument(text);
      const errors = r.diagnostics.filter((d) => d.severity === 'error');
      assert.ok(errors.length > 0, 'we report no error');
      const first = errors[0];
      const ourLine = r.parse.file.lineIndex.lineOf(first.span.start) + 1;
      if (c.headOnly) {
        assert.equal(nmap.refused, false, `nmap 7.93 was expected to accept this:\n${nmap.output}`);
        assert.equal(first.code, c.headOnly);
        assert.equal(ourLine, line);
        return;
      }
      assert.equal(nmap.refused, true, `nmap 7.93 accepted the file:\n${nmap.output}`);
      if (c.message) {
        assert.match(nmap.output, c.message);
        assert.equal(ourLine, line, `${first.code} ${first.message}`);
      } else {
        assert.equal(nmap.line, line, `nmap named another line than the injected one:\n${nmap.output}`);
        assert.equal(ourLine, nmap.line, `our first error: ${first.code} ${first.message}`);
      }
    });
  });
});
