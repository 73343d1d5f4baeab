// The probe database: what nmap's AllProbes holds after parse_nmap_service_probe_file() and
// AllProbes::compileFallbacks(), built from the grammar's AST instead of from raw lines.
//
// Lines nmap would refuse (it calls fatal() and stops) are skipped here and reported in
// `problems`: the engine must keep working on a half-typed file; engine/check reports them properly.
// Regexes are compiled lazily, on the first response that reaches a line, and cached on the line.

import type { MatchDirective, Probe, ProbesFile, PortRange, VersionFieldName } from '../grammar/ast';
import { toBinaryString } from '../grammar/line-index';
import type { CompileResult, Pcre2Version, RegexOptions } from '../regex/api';
// The regex layer's conservative "cannot match" tests, read from the pattern text without compiling
// it: the anchored literal prefix (the sweep's prefix table key) and the walk of the pattern's rest
// (the same selection regex/sweep.ts's Sweeper makes, proven equal to trying every pattern), with
// literal runs every match holds checked first, as the Sweeper does (a native indexOf is cheaper
// than the walk).
import { anchoredFirstByte, anchoredPrefix, anchoredPrefixEnd, asciiLower, prefilterOf, PREFIX_MAX, requiredRun, setSweepSubject, sweepMayMatch, sweepMayMatchFrom } from '../regex/index';

export type Protocol = 'TCP' | 'UDP';
export type Tunnel = 'none' | 'ssl';

/** nmap's DEFAULT_SERVICEWAITMS and DEFAULT_TCPWRAPPEDMS (service_scan.h). */
export const DEFAULT_TOTALWAITMS = 5000;
export const DEFAULT_TCPWRAPPEDMS = 2000;
/** ServiceProbe's constructor: "should almost never have to be relied upon". */
export const DEFAULT_RARITY = 5;
/** MAXFALLBACKS (service_scan.h). */
export const MAXFALLBACKS = 20;

export type CompileFn = (pattern: string, options: RegexOptions) => CompileResult;

/** The templates of one match line, as nmap's ServiceProbeMatch::InitMatch keeps them. */
export interface VersionTemplates {
  /** Binary strings (the UTF-8 bytes of the file's text). A later p/…/ replaces an earlier one. */
  p?: string;
  v?: string;
  i?: string;
  h?: string;
  o?: string;
  d?: string;
  /** Every cpe:/…/ template, "cpe:/" included, in line order. */
  cpe: string[];
}

export interface DbMatch {
  directive: MatchDirective;
  service: string;
  soft: boolean;
  /** The pattern as a binary string (what PCRE2 in byte mode sees). */
  pattern: string;
  caseless: boolean;
  dotall: boolean;
  /** 1-based line number, as nmap's deflineno. */
  line: number;
  templates: VersionTemplates;
  /** Cached compile result; undefined until first used. */
  compiled?: CompileResult;
  /**
   * The bytes every match starts with (regex/'s anchoredPrefix; ASCII-lowercased under caseless),
   * null when the pattern has none (no leading `^`, a top-level `|`, …); undefined until first used.
   */
  prefix?: string | null;
  /** Where the prefix's text ends in the pattern (the walk of the rest starts there). */
  prefixEnd?: number;
  /**
   * Literal runs every match holds (ASCII-lowercased under caseless): after the prefix
   * (regex/'s requiredRun) or, for a line without one, the prefilter's literals; read on first use.
   */
  runs?: string[];
}

export interface DbProbe {
  name: string;
  protocol: Protocol;
  /** The probe string after cstring_unescape, a binary string ("" for the NULL probe). */
  payload: string;
  isNull: boolean;
  /** The `no-payload` flag: never sent as a UDP port-scan payload. */
  notForPayload: boolean;
  ports: Set<number>;
  /** `ports` in file order with duplicates, as nmap's probableports vector (payload order). */
  portList: number[];
  sslports: Set<number>;
  rarity: number;
  totalwaitms: number;
  tcpwrappedms: number;
  matches: DbMatch[];
  /** Service names of its match/softmatch lines, first appearance order (detectedServices). */
  detectedServices: Set<string>;
  /** Compiled fallbacks: itself, the fallback directive's probes, then NULL for TCP. */
  fallbacks: DbProbe[];
  /** 1-based line of the Probe directive. */
  line: number;
  ast: Probe;
  /** The candidate index (candidateLines), built on first use. */
  candidates?: CandidateIndex;
}

/** Per probe: its lines grouped by the byte their matches start with (see candidateLines). */
interface CandidateIndex {
  /** Per byte, the lines whose matches start with it (both cases for a caseless letter), ascending. */
  byFirst: (number[] | undefined)[];
  /** Lines with no known first byte: candidates for every subject, ascending. */
  anywhere: number[];
  /** Per byte, the merged list handed out (built on the first subject starting with that byte). */
  buckets: (Int32Array | undefined)[];
}

export interface ProbeDb {
  /** Every non-NULL probe in file order (AllProbes::probes). */
  probes: DbProbe[];
  nullProbe?: DbProbe;
  excludeSeen: boolean;
  excludeTcp: Set<number>;
  excludeUdp: Set<number>;
  /** Things nmap would refuse and that we skipped, with 1-based lines. */
  problems: string[];
  compile: CompileFn;
  pcre2Version?: Pcre2Version;
}

export interface ProbeDbOptions {
  /** The regex layer's compile(); injected so the engine stays testable on its own. */
  compile: CompileFn;
  pcre2Version?: Pcre2Version;
}

function addRanges(ranges: PortRange[], into: number[]): void {
  for (const r of ranges) {
    if (!(r.start >= 0 && r.end <= 65535 && r.start <= r.end)) continue;
    for (let p = r.start; p <= r.end; p++) into.push(p);
  }
}

function templatesOf(m: MatchDirective): VersionTemplates {
  const t: VersionTemplates = { cpe: [] };
  for (const f of m.versionInfo) {
    const name: VersionFieldName | undefined = f.name;
    if (!name) continue;
    const value = toBinaryString(f.field.value);
    // next_template() keeps "cpe:/" in front of a cpe template's text.
    if (name === 'cpe') t.cpe.push('cpe:/' + value);
    else t[name] = value;
  }
  return t;
}

export { templatesOf as versionTemplatesOf };

/**
 * A DbMatch as buildProbeDb makes it. Its version templates are read from the AST on first use:
 * nmap prepares them while loading, but only a line that matches ever needs them, and a live scan
 * of a banner service meets one line out of thousands.
 */
class MatchLine implements DbMatch {
  readonly soft: boolean;
  readonly caseless: boolean;
  readonly dotall: boolean;
  readonly line: number;
  compiled?: CompileResult;
  prefix?: string | null;
  prefixEnd?: number;
  runs?: string[];
  private versionTemplates?: VersionTemplates;
  constructor(
    readonly directive: MatchDirective,
    readonly service: string,
    readonly pattern: string,
  ) {
    this.soft = directive.soft;
    this.caseless = directive.caseless;
    this.dotall = directive.dotall;
    this.line = directive.line + 1;
  }
  get templates(): VersionTemplates {
    return (this.versionTemplates ??= templatesOf(this.directive));
  }
}

function buildProbe(ast: Probe, file: ProbesFile, problems: string[]): DbProbe | undefined {
  const d = ast.directive;
  const line = d.line + 1;
  if (!d.protocol) {
    problems.push(`line ${line}: probe '${d.name}' has no TCP/UDP protocol; skipped`);
    return undefined;
  }
  if (d.payload === undefined) {
    problems.push(`line ${line}: probe '${d.name}' has a bad probe string; skipped`);
    return undefined;
  }
  const portList: number[] = [];
  for (const p of ast.ports) addRanges(p.ranges, portList);
  const ssl: number[] = [];
  for (const p of ast.sslports) addRanges(p.ranges, ssl);
  const last = <T>(xs: T[]): T | undefined => (xs.length ? xs[xs.length - 1] : undefined);
  const rarity = last(ast.rarity)?.value;
  const wait = last(ast.totalwaitms)?.value;
  const wrapped = last(ast.tcpwrappedms)?.value;
  const probe: DbProbe = {
    name: d.name,
    protocol: d.protocol,
    payload: d.payload,
    isNull: d.payload.length === 0,
    notForPayload: d.noPayloadSpan !== undefined,
    ports: new Set(portList),
    portList,
    sslports: new Set(ssl),
    rarity: rarity !== undefined && rarity >= 1 && rarity <= 9 ? rarity : DEFAULT_RARITY,
    totalwaitms: wait !== undefined && wait >= 100 && wait <= 300000 ? wait : DEFAULT_TOTALWAITMS,
    tcpwrappedms: wrapped !== undefined && wrapped >= 100 && wrapped <= 300000 ? wrapped : DEFAULT_TCPWRAPPEDMS,
    matches: [],
    detectedServices: new Set(),
    fallbacks: [],
    line,
    ast,
  };
  for (const m of ast.matches) {
    if (!m.pattern || !m.service) {
      problems.push(`line ${m.line + 1}: match line without service or pattern; skipped`);
      continue;
    }
    probe.matches.push(new MatchLine(m, m.service, toBinaryString(m.pattern.value)));
    probe.detectedServices.add(m.service);
  }
  void file;
  return probe;
}

/** AllProbes::getProbeByName: same protocol first, then any protocol; NULL only for TCP. */
function probeByName(db: ProbeDb, name: string, protocol: Protocol): DbProbe | undefined {
  if (protocol === 'TCP' && db.nullProbe && db.nullProbe.name === name) return db.nullProbe;
  return db.probes.find((p) => p.protocol === protocol && p.name === name) ?? db.probes.find((p) => p.name === name);
}

/** AllProbes::compileFallbacks. */
function compileFallbacks(db: ProbeDb): void {
  if (db.nullProbe) db.nullProbe.fallbacks = [db.nullProbe];
  for (const probe of db.probes) {
    const chain: DbProbe[] = [probe];
    const directive = probe.ast.fallback.length ? probe.ast.fallback[probe.ast.fallback.length - 1] : undefined;
    if (directive) {
      for (const { name } of directive.names) {
        // nmap stops at MAXFALLBACKS-1 entries and refuses the file; we keep what fits.
        if (chain.length >= MAXFALLBACKS - 1) {
          db.problems.push(`line ${directive.line + 1}: more than ${MAXFALLBACKS - 2} fallbacks; the rest ignored`);
          break;
        }
        const target = probeByName(db, name, probe.protocol);
        if (!target) {
          db.problems.push(`line ${directive.line + 1}: unknown fallback '${name}' in probe ${probe.name}; ignored`);
          continue;
        }
        chain.push(target);
      }
    }
    if (probe.protocol === 'TCP' && db.nullProbe) chain.push(db.nullProbe);
    probe.fallbacks = chain;
  }
}

/** Builds the database. Never throws: what nmap would refuse is skipped and listed in `problems`. */
export function buildProbeDb(file: ProbesFile, options: ProbeDbOptions): ProbeDb {
  const db: ProbeDb = {
    probes: [],
    excludeSeen: false,
    excludeTcp: new Set(),
    excludeUdp: new Set(),
    problems: [],
    compile: options.compile,
    pcre2Version: options.pcre2Version,
  };
  if (file.exclude) {
    db.excludeSeen = true;
    // getpts(): a T:/U:/S: qualifier holds until the next one; unqualified ports count for every
    // protocol being scanned, which for a port under version detection is its own protocol.
    let current: 'T' | 'U' | 'S' | undefined;
    for (const r of file.exclude.ranges) {
      if (r.protocol) current = r.protocol;
      const ports: number[] = [];
      addRanges([r], ports);
      for (const p of ports) {
        if (current === undefined || current === 'T') db.excludeTcp.add(p);
        if (current === undefined || current === 'U') db.excludeUdp.add(p);
      }
    }
  }
  for (const ast of file.probes) {
    const probe = buildProbe(ast, file, db.problems);
    if (!probe) continue;
    if (probe.isNull) {
      // nmap asserts there is only one NULL probe; a second one would abort it.
      if (db.nullProbe) {
        db.problems.push(`line ${probe.line}: a second NULL probe; ignored`);
        continue;
      }
      db.nullProbe = probe;
    } else db.probes.push(probe);
  }
  compileFallbacks(db);
  return db;
}

/** The compiled regex of a line, compiled on first use and cached (nmap compiles at load). */
export function compiledRegex(db: ProbeDb, m: DbMatch): CompileResult {
  if (!m.compiled) {
    m.compiled = db.compile(m.pattern, { caseless: m.caseless, dotall: m.dotall, version: db.pcre2Version });
  }
  return m.compiled;
}

/**
 * Does at once what is otherwise done on first use: every probe's candidate index and every line's
 * compiled regex (nmap compiles every pattern while loading the file). Returns how many lines PCRE2
 * refuses.
 */
export function prepareProbeDb(db: ProbeDb): number {
  let refused = 0;
  for (const p of db.nullProbe ? [db.nullProbe, ...db.probes] : db.probes) {
    indexOf(p);
    for (const m of p.matches) {
      const r = compiledRegex(db, m);
      if ('ok' in r && r.ok === false) refused++;
    }
  }
  return refused;
}

// Scratch for anchoredPrefix (it writes the prefix's bytes here).
const prefixBytes = new Uint8Array(PREFIX_MAX);

/** Reads (once) the line's anchored literal prefix; returns it, null when it has none. */
function prefixOf(m: DbMatch): string | null {
  if (m.prefix !== undefined) return m.prefix;
  const n = anchoredPrefix(m.pattern, m.caseless, prefixBytes, 0);
  if (n < 0) return (m.prefix = null);
  m.prefixEnd = anchoredPrefixEnd;
  let prefix = '';
  for (let k = 0; k < n; k++) prefix += String.fromCharCode(prefixBytes[k]);
  return (m.prefix = prefix);
}

/**
 * The probe's candidate index: its lines grouped by the byte every match starts with, read from the
 * pattern's first characters only (`^` and a literal that is not made optional; none when the
 * pattern holds a `|`) — a cheap, cold-start friendly first step of what pcre2_compile's start data
 * holds. mayMatch() reads the whole anchored prefix later, for the lines a reply actually reaches.
 */
function indexOf(probe: DbProbe): CandidateIndex {
  if (probe.candidates) return probe.candidates;
  const byFirst: (number[] | undefined)[] = new Array(256);
  const anywhere: number[] = [];
  const matches = probe.matches;
  for (let i = 0; i < matches.length; i++) {
    const m = matches[i];
    let b = anchoredFirstByte(m.pattern);
    if (b < 0) {
      anywhere.push(i);
      continue;
    }
    // Under caseless a letter stands for both its cases.
    if (m.caseless && ((b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a))) {
      b |= 0x20;
      (byFirst[b - 0x20] ??= []).push(i);
    }
    (byFirst[b] ??= []).push(i);
  }
  return (probe.candidates = { byFirst, anywhere, buckets: new Array(256) });
}

/** Two ascending lists merged into one ascending Int32Array. */
function merged(a: readonly number[], b: readonly number[]): Int32Array {
  const out = new Int32Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) out[k++] = a[i] < b[j] ? a[i++] : b[j++];
  while (i < a.length) out[k++] = a[i++];
  while (j < b.length) out[k++] = b[j++];
  return out;
}

const NO_LINES: readonly number[] = [];

/**
 * Indexes (into probe.matches, ascending) of the lines that may match a subject starting with
 * `firstByte`: those whose matches start with that byte, and those whose first byte is not known.
 * Built per probe and per byte on first use, so a scan pays only for the probes and bytes it meets;
 * mayMatch() then tests each of them against the whole subject.
 */
export function candidateLines(probe: DbProbe, firstByte: number): Int32Array {
  const index = indexOf(probe);
  const b = firstByte & 0xff;
  return (index.buckets[b] ??= merged(index.byFirst[b] ?? NO_LINES, index.anywhere));
}

/** Does the subject start with `prefix` (ASCII-lowercased when `caseless`)? */
function startsWithPrefix(subject: string, prefix: string, caseless: boolean): boolean {
  if (!caseless) return subject.startsWith(prefix);
  if (subject.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) {
    let c = subject.charCodeAt(i);
    if (c >= 0x41 && c <= 0x5a) c += 0x20;
    if (c !== prefix.charCodeAt(i)) return false;
  }
  return true;
}

const NO_RUNS: string[] = [];

/** The literal runs every match of the line holds (see DbMatch.runs). */
function runsOf(m: DbMatch, prefix: string | null): string[] {
  if (m.runs) return m.runs;
  if (prefix !== null) {
    const run = requiredRun(m.pattern, m.caseless, m.prefixEnd as number);
    return (m.runs = run ? [run] : NO_RUNS);
  }
  const f = prefilterOf(m.pattern, m.caseless);
  return (m.runs = f.literals.length ? f.literals : NO_RUNS);
}

/**
 * False when the line's regex certainly cannot match `subject`, by the regex layer's sweep tests
 * (what regex/sweep.ts's Sweeper selects): the subject lacks the line's anchored literal prefix, or
 * a literal run every match holds, or (for a line not compiled yet) the walk of the rest of the
 * pattern (fixed-position checks while anchored, then literal runs) rules it out. A pure speed-up: when it says true the regex
 * still decides. `lowered` is the subject ASCII-lowercased (computed once per subject by the caller).
 */
export function mayMatch(m: DbMatch, subject: string, lowered: () => string = () => asciiLower(subject)): boolean {
  const prefix = prefixOf(m);
  if (prefix !== null && prefix.length !== 0 && !startsWithPrefix(subject, prefix, m.caseless)) return false;
  const runs = runsOf(m, prefix);
  if (runs.length !== 0) {
    const hay = m.caseless ? lowered() : subject;
    const from = prefix === null ? 0 : prefix.length;
    for (let k = 0; k < runs.length; k++) if (hay.indexOf(runs[k], from) < 0) return false;
  }
  // The walk of the rest of the pattern only saves a compile: once the line is compiled, the native
  // regex answers faster than our walk would (it fails at once where the walk would say no).
  if (m.compiled) return true;
  // The walk keeps its subject in module state: set it for every call (a sweep may run in between).
  setSweepSubject(subject);
  const may = prefix === null ? sweepMayMatch(m.pattern, m.caseless, m.dotall) : sweepMayMatchFrom(m.pattern, m.caseless, m.dotall, m.prefixEnd as number, prefix.length);
  setSweepSubject('');
  return may;
}

/** AllProbes::isExcluded. */
export function isExcluded(db: ProbeDb, port: number, protocol: Protocol): boolean {
  if (!db.excludeSeen) return false;
  return (protocol === 'TCP' ? db.excludeTcp : db.excludeUdp).has(port);
}

/** ServiceProbe::portIsProbable. */
export function portIsProbable(probe: DbProbe, tunnel: Tunnel, port: number): boolean {
  return (tunnel === 'ssl' ? probe.sslports : probe.ports).has(port);
}
