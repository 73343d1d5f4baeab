// The probe database: what nmap's AllProbes holds after parse_nmap_service_probe_file() and
// AllProbes::compileFallbacks(), built from the grammar's AST instead of from raw lines.
//
// Lines nmap would refuse (it calls fatal() and stops) are skipped here and reported in
// `problems`: the engine must keep working on a half-typed file; engine/check reports them properly.
// Regexes are compiled lazily, on the first response that reaches a line, and cached on the line.

import type { MatchDirective, Probe, ProbesFile, PortRange, VersionFieldName } from '../grammar/ast';
import { toBinaryString } from '../grammar/line-index';
import type { CompileResult, Pcre2Version, RegexOptions } from '../regex/api';
// The sweep prefilter is not (yet) re-exported by regex/index.ts; it is the regex layer's own
// conservative "cannot match" test, read from the pattern text without compiling it.
import { prefilterOf } from '../regex/index';
import type { Prefilter } from '../regex/index';

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
  /** Cached prefilter (first byte, required literals); undefined until first used. */
  prefilter?: Prefilter;
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
  /** Per first byte of a subject, the indexes of the lines that may match it, in file order. */
  buckets?: Int32Array[];
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
    probe.matches.push({
      directive: m,
      service: m.service,
      soft: m.soft,
      pattern: toBinaryString(m.pattern.value),
      caseless: m.caseless,
      dotall: m.dotall,
      line: m.line + 1,
      templates: templatesOf(m),
    });
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
 * Does at once what is otherwise done on first use: every line's prefilter and compiled regex (nmap
 * compiles every pattern while loading the file). Returns how many lines PCRE2 refuses.
 */
export function prepareProbeDb(db: ProbeDb): number {
  let refused = 0;
  for (const p of db.nullProbe ? [db.nullProbe, ...db.probes] : db.probes) {
    for (const m of p.matches) {
      m.prefilter ??= prefilterOf(m.pattern, m.caseless);
      const r = compiledRegex(db, m);
      if ('ok' in r && r.ok === false) refused++;
    }
    candidateLines(p, 0);
  }
  return refused;
}

/**
 * Indexes (into probe.matches, ascending) of the lines the prefilter's first-byte test cannot rule
 * out for a subject starting with `firstByte`. Built once per probe, on first use.
 */
export function candidateLines(probe: DbProbe, firstByte: number): Int32Array {
  if (!probe.buckets) {
    const lists: number[][] = Array.from({ length: 256 }, () => []);
    probe.matches.forEach((m, i) => {
      const f = (m.prefilter ??= prefilterOf(m.pattern, m.caseless));
      for (let b = 0; b < 256; b++) if (!f.first || f.first[b]) lists[b].push(i);
    });
    probe.buckets = lists.map((l) => Int32Array.from(l));
  }
  return probe.buckets[firstByte & 0xff];
}

/**
 * False when the line's regex certainly cannot match `subject` (the regex layer's conservative
 * prefilter: the first byte of an anchored pattern, literal runs every match contains). A pure
 * speed-up: when it says true the regex still decides.
 */
export function mayMatch(m: DbMatch, subject: string, lowered: () => string): boolean {
  const f = (m.prefilter ??= prefilterOf(m.pattern, m.caseless));
  if (f.first && (subject.length === 0 || !f.first[subject.charCodeAt(0) & 0xff])) return false;
  if (f.literals.length) {
    const hay = f.caseless ? lowered() : subject;
    for (const lit of f.literals) if (!hay.includes(lit)) return false;
  }
  return true;
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
