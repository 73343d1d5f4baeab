// `nsp check FILE…`: every diagnostic of one or more nmap-service-probes files, for people (text),
// scripts (json), code scanning (sarif) and GitHub Actions annotations (github).
//
// Exit codes: 0 when no file has an error (warnings do not fail a check), 1 when one does, 2 on bad
// usage or a file that cannot be read. The other files are still checked and printed when one
// cannot be read, so that one typo in a CI script does not hide the rest.

import type { Command, CliIo } from '../io';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE } from '../io';
import { checkDocument } from '../../engine/check';
import type { Diagnostic } from '../../grammar/diagnostic';
import type { LineIndex } from '../../grammar/line-index';
import type { FileResult, FormatName } from '../format';
import { FORMAT_NAMES, Positioner, toFindings } from '../format';
import { formatText } from '../format-text';
import { formatJson } from '../format-json';
import { formatSarif } from '../format-sarif';
import { formatGithub } from '../format-github';
import { decode } from '../format-input';
import { PatternJudge } from '../parallel-analysis';
import { judgeQuickly } from '../quick-judge';
import { JudgedPatterns } from '../../engine/check/index';
import { parse } from '../../grammar/index';
import { DEFAULT_PCRE2_VERSION } from '../../regex/index';

const PCRE2_VERSIONS = ['10.42', '10.47'] as const;
type Pcre2Version = (typeof PCRE2_VERSIONS)[number];

const USAGE = `usage: nsp check [options] FILE…

Checks nmap-service-probes files and prints every diagnostic: what nmap refuses to load (errors)
and what it accepts but is probably wrong (warnings). Use "-" to read standard input.

options:
  -f, --format FORMAT       text (default) | json | sarif | github
      --pcre2-version VER   judge patterns as PCRE2 VER does: 10.47 (default, today's nmap)
                            or 10.42 (Debian 12's libpcre2)
      --stdin-filename NAME the name to print for "-" (default: <stdin>)
  -h, --help                show this help

output:
  text    FILE:LINE:COL: SEVERITY CODE MESSAGE, then a summary line
  json    {"files":[{"path","diagnostics":[{"line","column","endLine","endColumn",
          "severity","code","message"}]}]}
  sarif   SARIF 2.1.0, for GitHub code scanning (upload-sarif)
  github  ::error/::warning/::notice workflow commands that annotate a pull request
Lines and columns are 1-based; columns count characters; end columns are exclusive.

environment: NSP_CHECK_THREADS=2 judges the patterns of a large file on a second thread while
             the main one parses it (by default one thread does everything: on a 2-core
             machine the second thread made a whole \`nsp check\` slower, both threads
             starting cold and taking the cores V8 compiles and collects garbage on)

exit status: 0 no errors (warnings allowed), 1 errors found, 2 bad usage or unreadable file
`;

interface Options {
  format: FormatName;
  pcre2Version?: Pcre2Version;
  stdinName: string;
  files: string[];
  help: boolean;
}

class ArgError extends Error {}

function parseArgs(args: string[]): Options {
  const opts: Options = { format: 'text', stdinName: '<stdin>', files: [], help: false };
  let onlyFiles = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (onlyFiles || arg === '-' || !arg.startsWith('-')) {
      opts.files.push(arg);
      continue;
    }
    if (arg === '--') {
      onlyFiles = true;
      continue;
    }
    if (arg === '-h' || arg === '--help') {
      opts.help = true;
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    const takeValue = (): string => {
      if (name !== arg) return arg.slice(eq + 1);
      if (i + 1 >= args.length) throw new ArgError(`option ${name} needs a value`);
      return args[++i];
    };
    switch (name) {
      case '-f':
      case '--format': {
        const v = takeValue();
        if (!(FORMAT_NAMES as string[]).includes(v)) {
          throw new ArgError(`unknown format '${v}' (choose ${FORMAT_NAMES.join(', ')})`);
        }
        opts.format = v as FormatName;
        break;
      }
      case '--pcre2-version': {
        const v = takeValue();
        if (!(PCRE2_VERSIONS as readonly string[]).includes(v)) {
          throw new ArgError(`unsupported PCRE2 version '${v}' (choose ${PCRE2_VERSIONS.join(' or ')})`);
        }
        opts.pcre2Version = v as Pcre2Version;
        break;
      }
      case '--stdin-filename':
        opts.stdinName = takeValue();
        break;
      default:
        throw new ArgError(`unknown option '${arg}'`);
    }
  }
  if (opts.files.filter((f) => f === '-').length > 1) throw new ArgError('standard input ("-") can be read only once');
  return opts;
}

/** A short reason for a failed read, without Node's "ENOENT: …, open 'x'" decoration. */
function readFailure(e: unknown): string {
  const err = e as NodeJS.ErrnoException | undefined;
  switch (err?.code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    case 'ENOTDIR':
      return 'a component of the path is not a directory';
    default:
      return err?.message ?? String(e);
  }
}

/**
 * Parse + every check of one document, deduplicated (the parse's own diagnostics may be repeated).
 * With a judge, a large file's patterns are judged on its second thread while this one parses;
 * `judged`: verdicts already reached on this text. Either way the rest are judged by checkDocument.
 */
export async function diagnose(text: string, pcre2Version: Pcre2Version | undefined, judge?: PatternJudge, judged?: JudgedPatterns): Promise<{ diagnostics: Diagnostic[]; lineIndex?: LineIndex }> {
  const pending = judge?.start(text, pcre2Version ?? DEFAULT_PCRE2_VERSION);
  const parsed = parse(text);
  judged ??= await pending?.result();
  const result = checkDocument(text, { pcre2Version, parsed, judged });
  const seen = new Set<string>();
  const diagnostics: Diagnostic[] = [];
  for (const d of [...result.parse.diagnostics, ...result.diagnostics]) {
    const key = `${d.span.start}:${d.span.end}:${d.code}:${d.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    diagnostics.push(d);
  }
  return { diagnostics, lineIndex: result.parse.file?.lineIndex };
}

/**
 * Every diagnostic of a file given as bytes, as `nsp check` reports them, and the text they are
 * placed in. Without a judge (the default), the WebAssembly pass (quick-judge.ts) goes first: the
 * text is then the file's with the lines it found clean made comments (same offsets, same
 * diagnostics), and most verdicts on the patterns are its own. Else, or when that pass is not
 * available, the bytes are decoded as they are and everything is checked here.
 */
export async function checkBytes(bytes: Uint8Array, pcre2Version: Pcre2Version | undefined, judge?: PatternJudge): Promise<{ diagnostics: Diagnostic[]; text: string; lineIndex?: LineIndex }> {
  const quick = judge ? undefined : judgeQuickly(bytes, pcre2Version ?? DEFAULT_PCRE2_VERSION);
  if (quick) return { ...(await diagnose(quick.text, pcre2Version, undefined, new JudgedPatterns(quick.patterns))), text: quick.text };
  const { text, warning } = decode(bytes);
  const result = await diagnose(text, pcre2Version, judge);
  if (warning) result.diagnostics.push(warning);
  return { ...result, text };
}

export async function checkFiles(opts: Options, io: CliIo): Promise<{ results: FileResult[]; unreadable: number }> {
  const results: FileResult[] = [];
  let unreadable = 0;
  const judge = io.env.NSP_CHECK_THREADS === '2' ? new PatternJudge() : undefined;
  try {
    for (const file of opts.files) {
      const path = file === '-' ? opts.stdinName : file;
      let bytes: Buffer;
      try {
        bytes = await io.readFile(file);
      } catch (e) {
        io.stderr(`nsp check: cannot read '${path}': ${readFailure(e)}\n`);
        unreadable++;
        continue;
      }
      const { diagnostics, text, lineIndex } = await checkBytes(bytes, opts.pcre2Version, judge);
      results.push({ path, findings: toFindings(diagnostics, new Positioner(text, lineIndex)) });
    }
  } finally {
    judge?.close();
  }
  return { results, unreadable };
}

const FORMATTERS: Record<FormatName, (r: FileResult[]) => string> = {
  text: formatText,
  json: formatJson,
  sarif: formatSarif,
  github: formatGithub,
};

export const command: Command = {
  name: 'check',
  summary: 'report every error and warning in nmap-service-probes files',
  usage: USAGE,
  async run(args, io) {
    let opts: Options;
    try {
      opts = parseArgs(args);
    } catch (e) {
      if (!(e instanceof ArgError)) throw e;
      io.stderr(`nsp check: ${e.message}\nrun 'nsp check --help' for usage\n`);
      return EXIT_USAGE;
    }
    if (opts.help) {
      io.stdout(USAGE);
      return EXIT_OK;
    }
    if (opts.files.length === 0) {
      io.stderr(`nsp check: no file given (use "-" for standard input)\nrun 'nsp check --help' for usage\n`);
      return EXIT_USAGE;
    }
    const { results, unreadable } = await checkFiles(opts, io);
    io.stdout(FORMATTERS[opts.format](results));
    if (unreadable > 0) return EXIT_USAGE;
    return results.some((r) => r.findings.some((f) => f.severity === 'error')) ? EXIT_FINDINGS : EXIT_OK;
  },
};
