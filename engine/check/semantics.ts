// NSP3xx (and NSP203): file semantics that nmap either refuses after reading every line
// (compileFallbacks, the NULL-probe assertion) or accepts although the result is surely not what
// the author meant. Each check names the nmap function whose behaviour it reasons about.

import type { DelimitedField, MatchDirective, PortRange, PortsDirective, Probe, ProbesFile, Span } from '../../grammar/ast';
import type { Reporter } from '../../grammar/build-ast';
import { nmapLineCut, type LineIndex } from '../../grammar/line-index';
import { scanTemplate, ZERO_GROUP } from './templates';

/** MAXFALLBACKS (service_scan.h) is 20, but compileFallbacks stops at i == MAXFALLBACKS-1 with i starting at 1. */
export const MAX_FALLBACK_NAMES = 17;

function lineNo(file: ProbesFile, span: Span): number {
  return file.lineIndex.lineOf(span.start) + 1;
}

export function checkSemantics(file: ProbesFile, groups: Map<MatchDirective, number>, out: Reporter): void {
  // parse_nmap_service_probe_file: the first probe whose string is empty becomes the NULL probe;
  // a second one trips assert(!AP->nullProbe) and nmap aborts.
  let nullProbe: Probe | undefined;
  const seen = new Map<string, Probe>();
  for (const p of file.probes) {
    const d = p.directive;
    if (d.payload === '') {
      if (nullProbe) out.report('NSP313', d.probeString?.span ?? d.nameSpan, `A second probe with an empty probe string: nmap treats every empty probe as the NULL probe and aborts on the second (the first is ${nullProbe.directive.name}, line ${lineNo(file, nullProbe.directive.span)}).`);
      else nullProbe = p;
    }
    if (d.protocol && d.name) {
      const key = `${d.protocol} ${d.name}`;
      const first = seen.get(key);
      if (first) {
        out.report('NSP304', d.nameSpan, `Probe ${d.protocol} ${d.name} is already defined on line ${lineNo(file, first.directive.span)}; fallbacks will always find the first one.`, { first: first.directive.nameSpan });
      } else seen.set(key, p);
    }
  }
  const excluded = excludedPorts(file);
  for (const p of file.probes) {
    const d = p.directive;
    const isNull = p === nullProbe;
    // setRarity: a probe without rarity gets 5; the NULL probe is always sent, so it needs none.
    if (!isNull && p.rarity.length === 0 && d.protocol) out.report('NSP308', d.keywordSpan, `Probe ${d.name} has no rarity line, so nmap gives it rarity 5. Say which intensity should send it: add "rarity N" (1 common … 9 rare).`);
    if (d.noPayloadSpan && d.protocol === 'TCP') out.report('NSP309', d.noPayloadSpan, 'no-payload only keeps a UDP probe out of nmap\'s UDP scan payloads (payload.cc); it has no effect on a TCP probe.');
    for (const list of [p.ports, p.sslports]) {
      for (const extra of list.slice(1)) {
        out.report('NSP302', extra.keywordSpan, `A second ${extra.kind} line in probe ${d.name}: nmap adds its ports to those of line ${lineNo(file, list[0].span)}. Merge them into one line.`);
      }
      duplicatePorts(file, list, out);
      if (d.protocol) excludedInPorts(list, excluded[d.protocol], out);
    }
    for (const list of [p.rarity, p.totalwaitms, p.tcpwrappedms, p.fallback]) {
      for (const extra of list.slice(0, -1)) {
        out.report('NSP312', extra.keywordSpan, `Probe ${d.name} has another ${extra.kind} line later (line ${lineNo(file, list[list.length - 1].span)}): nmap keeps only the last one, so this one has no effect.`);
      }
    }
    for (const m of p.matches) checkMatch(file.text, file.lineIndex, m, groups.get(m), out);
  }
  checkFallbacks(file, nullProbe, out);
}

/** compileFallbacks with getProbeByName: only the last fallback line of a probe counts. */
function checkFallbacks(file: ProbesFile, nullProbe: Probe | undefined, out: Reporter): void {
  for (const p of file.probes) {
    if (p === nullProbe || !p.directive.protocol) continue; // nmap never compiles the NULL probe's fallbacks
    const line = p.fallback[p.fallback.length - 1];
    if (!line) continue;
    line.names.forEach((n, k) => {
      if (k >= MAX_FALLBACK_NAMES) {
        if (k === MAX_FALLBACK_NAMES) out.report('NSP311', n.span, `Too many fallbacks: nmap allows at most ${MAX_FALLBACK_NAMES} names (MAXFALLBACKS exceeded).`);
        return;
      }
      const found = probeByName(file, nullProbe, n.name, p.directive.protocol!);
      if (!found) {
        const udpNull = nullProbe && nullProbe.directive.name === n.name && p.directive.protocol === 'UDP';
        out.report('NSP301', n.span, udpNull
          ? `A UDP probe cannot fall back to the NULL probe ${n.name}: nmap looks it up only for TCP probes and refuses the file.`
          : `Unknown fallback probe ${JSON.stringify(n.name)}: no probe has that name, and nmap refuses the file.`);
      } else if (found === p) {
        out.report('NSP310', n.span, `Probe ${n.name} falls back to itself: nmap already tries a probe's own matches first, so this adds nothing.`);
      }
    });
  }
}

/** AllProbes::getProbeByName: the NULL probe for TCP, then the same protocol, then any protocol. */
function probeByName(file: ProbesFile, nullProbe: Probe | undefined, name: string, protocol: 'TCP' | 'UDP'): Probe | undefined {
  if (protocol === 'TCP' && nullProbe && nullProbe.directive.name === name) return nullProbe;
  const named = file.probes.filter((q) => q !== nullProbe && q.directive.name === name && q.directive.protocol);
  return named.find((q) => q.directive.protocol === protocol) ?? named[0];
}

/**
 * The lowest port of `r` that one of `earlier` also covers, and the first of `earlier` (in file
 * order) that covers it — what a port-by-port table filled in file order would say, computed on
 * the ranges so that `ports 32768-65535` costs one comparison, not 32,768 table entries.
 */
function firstOverlap(r: PortRange, earlier: readonly PortRange[]): { port: number; other: PortRange } | undefined {
  let port = Infinity;
  for (const q of earlier) {
    if (q.start <= q.end && q.start <= r.end && q.end >= r.start) port = Math.min(port, Math.max(q.start, r.start));
  }
  if (port === Infinity) return undefined;
  const other = earlier.find((q) => q.start <= port && port <= q.end)!;
  return { port, other };
}

function duplicatePorts(file: ProbesFile, list: PortsDirective[], out: Reporter): void {
  const earlier: PortRange[] = [];
  for (const d of list) {
    for (const r of d.ranges) {
      if (r.start > r.end) continue; // a reversed range lists no port (NSP119 says so)
      const hit = firstOverlap(r, earlier);
      earlier.push(r);
      if (hit !== undefined) {
        const clash = hit.port;
        const other = hit.other;
        const what = r.start === r.end ? `Port ${clash} is` : `Port ${clash} of this range is`;
        out.report('NSP303', r.span, `${what} already listed (${other.start === other.end ? 'line' : `range ${other.start}-${other.end}, line`} ${lineNo(file, other.span)}).`, { other: other.span });
      }
    }
  }
}

/** getpts applies an Exclude port without a T:/U: qualifier to every protocol scanned. */
function excludedPorts(file: ProbesFile): Record<'TCP' | 'UDP', PortRange[]> {
  const out: Record<'TCP' | 'UDP', PortRange[]> = { TCP: [], UDP: [] };
  for (const r of file.exclude?.ranges ?? []) {
    if (r.protocol !== 'U' && r.protocol !== 'S') out.TCP.push(r);
    if (r.protocol !== 'T' && r.protocol !== 'S') out.UDP.push(r);
  }
  return out;
}

function excludedInPorts(list: PortsDirective[], excluded: readonly PortRange[], out: Reporter): void {
  if (excluded.length === 0) return;
  for (const d of list) {
    for (const r of d.ranges) {
      if (r.start > r.end) continue;
      const hit = firstOverlap(r, excluded);
      if (hit !== undefined) {
        out.report('NSP305', r.span, `Port ${hit.port} is removed by Exclude: nmap runs version detection on it only with --allports, so this entry matters only then.`);
      }
    }
  }
}

/** The bit of a version field letter in checkMatch's set of letters met so far. */
const LETTER_BIT: Partial<Record<string, number>> = { p: 1, v: 2, i: 4, h: 8, o: 16, d: 32 };

/**
 * InitMatch's template loop and getVersionStr's substitutions, checked statically. `nsp check`'s
 * WebAssembly pass (cli/quick-judge/assembly/index.ts, lineClean) skips the lines where this
 * certainly reports nothing, by these same rules: change both. It runs for
 * every match line, so it reads each field's spans (built on read, see grammar/nodes.ts) only when
 * it reports something or needs an offset.
 */
function checkMatch(text: string, lines: LineIndex, m: MatchDirective, groupCount: number | undefined, out: Reporter): void {
  if (m.service === '' && m.pattern) out.report('NSP316', m.keywordSpan, 'This match has an empty service name (two spaces after the keyword): nmap accepts it but reports a service with no name.');
  const fields = m.versionInfo;
  if (fields.length === 0) return;
  let seen = 0; // the version field letters met so far, one bit each
  // On a line too long for nmap's buffer (NSP122), the fields past its end get nothing of their
  // own: nmap refuses the line anyway, and a huge line of tiny fields would get one per field.
  const lineEnd = lines.lineEnd(m.line);
  const cut = nmapLineCut(text, lines.lineStarts[m.line], lineEnd);
  for (const vf of fields) {
    const f = vf.field;
    if (cut < lineEnd && f.lettersSpan.start >= cut) break;
    const name = vf.name;
    if (!name || !f.closed) continue;
    if (name !== 'cpe') {
      const bit = LETTER_BIT[name]!;
      if (seen & bit) out.report('NSP314', f.lettersSpan, `The ${name}/…/ field appears twice in this match: nmap keeps only the last one.`);
      else seen |= bit;
      if (f.flags) out.report('NSP315', f.flagsSpan, `nmap ignores flags on a ${name}/…/ field; remove ${JSON.stringify(f.flags)}.`);
    } else {
      if (f.flags && f.flags !== 'a') out.report('NSP315', f.flagsSpan, `The only flag of a cpe: field is "a"; nmap ignores ${JSON.stringify(f.flags)}.`);
      checkCpe(text.charCodeAt(f.lettersSpan.end) === 58 /* : */, f, out);
    }
    const value = f.value;
    const dollar = value.indexOf('$');
    if (dollar === -1) continue;
    if (onlyGroupRefs(value, dollar)) checkGroupRefs(value, dollar, f.valueSpan.start, groupCount, out);
    else {
      const scan = scanTemplate(value, f.valueSpan.start);
      for (const p of scan.problems) out.report('NSP306', p.span, p.message);
      if (groupCount === undefined) continue;
      for (const ref of scan.refs) if (ref.group > groupCount) groupBeyond(ref.group, ref.span, groupCount, out);
    }
  }
}

/** Whether every "$" of a template from `from` on is followed by a digit: the common case, `$1`. */
function onlyGroupRefs(value: string, from: number): boolean {
  for (let i = from; i !== -1; i = value.indexOf('$', i + 2)) {
    const c = value.charCodeAt(i + 1);
    if (!(c >= 48 && c <= 57)) return false;
  }
  return true;
}

/**
 * What scanTemplate reports for a template whose every "$" is followed by a digit, without
 * building its lists: first each `$0` (NSP306), then each group beyond the pattern's (NSP203).
 */
function checkGroupRefs(value: string, from: number, base: number, groupCount: number | undefined, out: Reporter): void {
  for (let i = from; i !== -1; i = value.indexOf('$', i + 2)) {
    if (value.charCodeAt(i + 1) === 48) out.report('NSP306', { start: base + i, end: base + i + 2 }, ZERO_GROUP);
  }
  if (groupCount === undefined || groupCount >= 9) return;
  for (let i = from; i !== -1; i = value.indexOf('$', i + 2)) {
    const n = value.charCodeAt(i + 1) - 48;
    if (n > groupCount) groupBeyond(n, { start: base + i, end: base + i + 2 }, groupCount, out);
  }
}

function groupBeyond(group: number, span: Span, groupCount: number, out: Reporter): void {
  out.report('NSP203', span, groupCount === 0
    ? `The pattern has no capture group, so group ${group} is never set: nmap drops this field.`
    : `The pattern has ${groupCount} capture group${groupCount === 1 ? '' : 's'}, so group ${group} is never set: nmap drops this field.`);
}

/** A CPE 2.2 URI as nmap prints it: cpe:/ part (a, h, o) : vendor [: product …]. */
function checkCpe(colon: boolean, f: DelimitedField, out: Reporter): void {
  const value = f.value;
  if (!colon) {
    // next_template (HEAD) takes "cpe" + any delimiter as a cpe template but keeps only the text
    // between the delimiters, so nmap reports it without the "cpe:/" prefix; nmap 7.93 refused it.
    out.report('NSP307', f.span, `Written without "cpe:", this field makes nmap report ${JSON.stringify(value)} without the "cpe:/" prefix (nmap 7.93 refused it). Write cpe:/${value}/.`);
    return;
  }
  if (f.delimiter !== '/') return; // NSP115 already says so
  // Substitutions are filled in at match time (transform_cpe escapes what they bring): judge the rest.
  const shape = value.includes('$') ? value.replace(/\$[A-Za-z]+\([^)]*\)|\$\d/g, 'x') : value;
  // Empty components (cpe:/a:mysql:mysql::::de) are legal CPE 2.2: only the part and vendor are required.
  if (!/^[aho]:[^:\s]+(:\S*)?$/.test(shape)) {
    const valueSpan = f.valueSpan;
    out.report('NSP307', valueSpan.end > valueSpan.start ? valueSpan : f.span,
      `${JSON.stringify(value)} is not a CPE name nmap can report: write cpe:/PART:VENDOR:PRODUCT…/ with PART a (application), h (hardware) or o (OS).`);
  }
}
