// `nsp regex test`: run one nmap pattern on bytes, as nmap's PCRE2 would (byte mode, i/s flags,
// nmap's limits standing as a time limit for risky patterns), and print the verdict, every group
// and — given a whole match line — the versioninfo nmap would produce. `--jsonl` answers one JSON
// object per input line for scripts and the oracle tests.
//
// Exit codes: 0 matched, 1 no match (also "match limit exceeded", which nmap treats as no match),
// 2 usage, unreadable input, a pattern PCRE2 refuses, or one the editor cannot test.

import type { CliIo, Command } from '../io';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE } from '../io';
import type { MatchOutcome, Pcre2Version } from '../../regex/api';
import { DEFAULT_PCRE2_VERSION } from '../../regex/api';
import { compile } from '../../regex/index';
import type { CompiledDetail } from '../../regex/index';
import { parse as parseProbes, toBinaryString } from '../../grammar/index';
import type { MatchDirective } from '../../grammar/ast';
import { applyVersionInfo } from '../../engine/versioninfo';
import { BoundedRunner } from './regex-bounded';

const USAGE = `usage: nsp regex test PATTERN (--hex HEX | --text STR | --file F) [options]
       nsp regex test --jsonl < requests.jsonl

PATTERN is m<d>regex<d>[flags] as in a probes file (flags: i, s), or a whole
"match …"/"softmatch …" line, in which case the versioninfo is printed too.

options:
      --hex HEX             the subject as hex bytes (spaces allowed)
      --text STR            the subject as text (its UTF-8 bytes)
      --file F              the subject is the bytes of file F ("-": standard input)
      --pcre2-version VER   10.47 (default, nmap 7.99+) or 10.42 (Debian 12)
      --timeout-ms N        time limit for patterns with nested repetition (default 1000)
      --jsonl               read {"pattern":"m|…|s","subjectHex":"…"} lines on stdin and write
                            {"ok":true,"groups":N,"matchesEmpty":B,"matched":B,"captures":[hex|null…]}
                            or {"ok":false,"offset":N,"message":"…"} lines
  -h, --help                show this help

exit: 0 matched, 1 no match or match limit exceeded, 2 usage, bad pattern, or untestable pattern
`;

interface PatternSpec { pattern: string; caseless: boolean; dotall: boolean; line?: MatchDirective }

/** `m<d>…<d>flags` (binary string) → pattern and flags, reading it as nmap's InitMatch() does. */
export function parseMField(field: string): PatternSpec | string {
  if (field[0] !== 'm' || field.length < 2) return 'a pattern is written m<delimiter>regex<delimiter>[flags], e.g. m|^SSH-|';
  const d = field[1];
  const end = field.indexOf(d, 2);
  if (end < 0) return `missing closing delimiter '${d}'`;
  const flags = field.slice(end + 1);
  if (!/^[is]*$/.test(flags)) return `unknown flag letters '${flags}' (nmap knows i and s)`;
  return { pattern: field.slice(2, end), caseless: flags.includes('i'), dotall: flags.includes('s') };
}

function patternFrom(arg: string): PatternSpec | string {
  if (/^(soft)?match /.test(arg)) {
    const { file } = parseProbes(`Probe TCP NULL q||\n${arg}\n`);
    const line = file.probes[0]?.matches[0];
    if (!line?.pattern) return 'cannot read a pattern in that match line';
    return { pattern: toBinaryString(line.pattern.value), caseless: line.caseless, dotall: line.dotall, line };
  }
  return parseMField(toBinaryString(arg));
}

const hexOf = (s: string): string => Buffer.from(s, 'latin1').toString('hex');

/** Bytes as nmap prints them in fingerprints: printable ASCII, the rest as \xhh. */
function show(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out += c === 0x5c ? '\\\\' : c === 0x22 ? '\\"' : c >= 0x20 && c < 0x7f ? s[i] : '\\x' + c.toString(16).padStart(2, '0');
  }
  return `"${out}"`;
}

function parseHex(text: string): string | null {
  const h = text.replace(/\s+/g, '');
  return /^([0-9a-fA-F]{2})*$/.test(h) ? Buffer.from(h, 'hex').toString('latin1') : null;
}

async function runOne(spec: PatternSpec, re: CompiledDetail, subject: string, runner: BoundedRunner): Promise<MatchOutcome> {
  void spec;
  return runner.exec(re, subject);
}

async function jsonl(io: CliIo, version: Pcre2Version, runner: BoundedRunner): Promise<number> {
  const input = (await io.readFile('-')).toString('utf8');
  for (const raw of input.split('\n')) {
    const line = raw.trim();
    if (!line) continue;
    let req: { pattern?: unknown; subjectHex?: unknown };
    try {
      req = JSON.parse(line);
    } catch {
      io.stdout(JSON.stringify({ ok: false, offset: -1, message: 'not a JSON object' }) + '\n');
      continue;
    }
    if (typeof req.pattern !== 'string') {
      io.stdout(JSON.stringify({ ok: false, offset: -1, message: 'missing "pattern"' }) + '\n');
      continue;
    }
    const spec = parseMField(toBinaryString(req.pattern));
    if (typeof spec === 'string') {
      io.stdout(JSON.stringify({ ok: false, offset: -1, message: spec }) + '\n');
      continue;
    }
    const re = compile(spec.pattern, { caseless: spec.caseless, dotall: spec.dotall, version });
    if (!('exec' in re)) {
      io.stdout(JSON.stringify({ ok: false, code: re.code, offset: re.offset, message: re.message }) + '\n');
      continue;
    }
    const a = re.analysis;
    const out: Record<string, unknown> = { ok: true, groups: a.groupCount, matchesEmpty: a.matchesEmpty };
    if (a.unsupported.length) out.unsupported = a.unsupported.map((u) => ({ offset: u.offset, message: u.message }));
    if (typeof req.subjectHex === 'string') {
      const subject = parseHex(req.subjectHex);
      if (subject === null) {
        io.stdout(JSON.stringify({ ok: false, offset: -1, message: 'subjectHex is not hex' }) + '\n');
        continue;
      }
      const r = await runOne(spec, re as CompiledDetail, subject, runner);
      out.matched = r.kind === 'match' ? true : r.kind === 'unsupported' ? null : false;
      if (r.kind === 'limit') out.limit = true;
      out.captures = r.kind === 'match' ? r.captures.map((c) => (c ? hexOf(subject.slice(c[0], c[1])) : null)) : [];
    }
    io.stdout(JSON.stringify(out) + '\n');
  }
  return EXIT_OK;
}

async function test(args: string[], io: CliIo): Promise<number> {
  let version: Pcre2Version = DEFAULT_PCRE2_VERSION;
  let timeoutMs = 1000;
  let subject: string | undefined;
  let patternArg: string | undefined;
  let useJsonl = false;
  const sources: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const value = (): string => {
      const v = args[++i];
      if (v === undefined) throw new UsageErr(`${a} needs a value`);
      return v;
    };
    if (a === '-h' || a === '--help') { io.stdout(USAGE); return EXIT_OK; }
    else if (a === '--jsonl') useJsonl = true;
    else if (a === '--pcre2-version') {
      const v = value();
      if (v !== '10.42' && v !== '10.47') throw new UsageErr(`--pcre2-version is 10.42 or 10.47, not '${v}'`);
      version = v;
    } else if (a === '--timeout-ms') {
      timeoutMs = Number(value());
      if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new UsageErr('--timeout-ms needs a positive number');
    } else if (a === '--hex') {
      const s = parseHex(value());
      if (s === null) throw new UsageErr('--hex needs pairs of hex digits');
      subject = s; sources.push(a);
    } else if (a === '--text') { subject = toBinaryString(value()); sources.push(a); }
    else if (a === '--file') {
      const f = value();
      try {
        subject = (await io.readFile(f)).toString('latin1');
      } catch (e) {
        throw new UsageErr(`cannot read ${f}: ${(e as Error).message}`);
      }
      sources.push(a);
    } else if (a.startsWith('--')) throw new UsageErr(`unknown option ${a}`);
    else if (patternArg === undefined) patternArg = a;
    else throw new UsageErr(`unexpected argument '${a}'`);
  }
  const runner = new BoundedRunner(timeoutMs);
  try {
    if (useJsonl) {
      if (patternArg !== undefined || sources.length) throw new UsageErr('--jsonl takes its patterns and subjects on stdin');
      return await jsonl(io, version, runner);
    }
    if (patternArg === undefined) throw new UsageErr('missing PATTERN');
    if (sources.length !== 1 || subject === undefined) throw new UsageErr('give exactly one of --hex, --text, --file');
    const spec = patternFrom(patternArg);
    if (typeof spec === 'string') throw new UsageErr(spec);
    const re = compile(spec.pattern, { caseless: spec.caseless, dotall: spec.dotall, version });
    if (!('exec' in re)) {
      io.stderr(`nsp regex: PCRE2 ${version} refuses this pattern: error ${re.code} at byte ${re.offset}: ${re.message}\n`);
      return EXIT_USAGE;
    }
    const r = await runOne(spec, re as CompiledDetail, subject, runner);
    if (r.kind === 'unsupported') {
      const u = re.analysis.unsupported[0];
      io.stderr(`nsp regex: ${u ? `byte ${u.offset}: ${u.message}` : r.message}\n`);
      return EXIT_USAGE;
    }
    if (r.kind === 'limit') {
      io.stdout('no match: match limit exceeded (nmap treats this as no match)\n');
      return EXIT_FINDINGS;
    }
    if (r.kind === 'nomatch') {
      io.stdout('no match\n');
      return EXIT_FINDINGS;
    }
    io.stdout(`matched (${re.analysis.groupCount} group${re.analysis.groupCount === 1 ? '' : 's'})\n`);
    r.captures.forEach((c, n) => {
      io.stdout(c ? `  $${n} [${c[0]},${c[1]}) ${show(subject!.slice(c[0], c[1]))}\n` : `  $${n} unset\n`);
    });
    if (spec.line) {
      const v = applyVersionInfo(spec.line, r.captures, subject);
      const fields: [string, string | null][] = [['product', v.product], ['version', v.version], ['info', v.info],
        ['hostname', v.hostname], ['ostype', v.ostype], ['devicetype', v.devicetype]];
      io.stdout(`service: ${spec.line.service}${spec.line.soft ? ' (softmatch)' : ''}\n`);
      for (const [k, val] of fields) if (val !== null) io.stdout(`  ${k}: ${val}\n`);
      for (const c of v.cpe) io.stdout(`  cpe: ${c}\n`);
      for (const f of v.failures) io.stdout(`  (not filled: ${JSON.stringify(f)})\n`);
    }
    return EXIT_OK;
  } finally {
    await runner.close();
  }
}

class UsageErr extends Error {}

export const command: Command = {
  name: 'regex',
  summary: 'test one pattern on bytes as nmap\'s PCRE2 would',
  usage: USAGE,
  async run(args, io) {
    const [sub, ...rest] = args;
    if (sub === '-h' || sub === '--help' || sub === undefined) {
      (sub ? io.stdout : io.stderr)(USAGE);
      return sub ? EXIT_OK : EXIT_USAGE;
    }
    if (sub !== 'test') {
      io.stderr(`nsp regex: unknown subcommand '${sub}'\n\n${USAGE}`);
      return EXIT_USAGE;
    }
    try {
      return await test(rest, io);
    } catch (e) {
      if (e instanceof UsageErr) {
        io.stderr(`nsp regex: ${e.message}\n`);
        return EXIT_USAGE;
      }
      io.stderr(`nsp regex: ${(e as Error)?.message ?? String(e)}\n`);
      return EXIT_USAGE;
    }
  },
};
