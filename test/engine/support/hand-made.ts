// Small hand-made probes-file ASTs and a JavaScript-RegExp stand-in for regex/, so the engine's
// own decisions (order, fallbacks, soft/hard, templates) are tested without the other layers.
// Only simple patterns go through the stand-in: no PCRE2-only syntax.

import type { MatchDirective, Probe, ProbeDirective, ProbesFile, VersionField, VersionFieldName } from '../../../grammar/ast';
import { LineIndex } from '../../../grammar/line-index';
import type { CompileResult, RegexOptions } from '../../../regex/api';
import type { ProbeDb } from '../../../engine/probe-db';
import { buildProbeDb } from '../../../engine/probe-db';

const S = { start: 0, end: 0 };

export interface MatchSpec {
  service: string;
  pattern: string;
  soft?: boolean;
  flags?: string;
  fields?: [VersionFieldName, string][];
}

export interface ProbeSpec {
  name: string;
  protocol?: 'TCP' | 'UDP';
  payload?: string;
  ports?: [number, number][];
  sslports?: [number, number][];
  rarity?: number;
  fallback?: string[];
  noPayload?: boolean;
  matches?: MatchSpec[];
}

let lineNo = 0;

function field(letters: string, value: string, flags = '') {
  return { letters, lettersSpan: S, delimiter: '|', value, valueSpan: S, valueStart: S.start, valueEnd: S.end, closed: true, flags, flagsSpan: S, span: S };
}

function ranges(rs: [number, number][] | undefined) {
  return (rs ?? []).map(([start, end]) => ({ start, end, span: S }));
}

export function probe(spec: ProbeSpec): Probe {
  const directive: ProbeDirective = {
    kind: 'Probe',
    line: lineNo++,
    span: S,
    keywordSpan: S,
    protocol: spec.protocol ?? 'TCP',
    name: spec.name,
    nameSpan: S,
    probeString: field('q', spec.payload ?? ''),
    payload: spec.payload ?? '',
    noPayloadSpan: spec.noPayload ? S : undefined,
  };
  const p: Probe = {
    directive,
    span: S,
    matches: [],
    ports: spec.ports ? [{ kind: 'ports', line: lineNo++, span: S, keywordSpan: S, ranges: ranges(spec.ports) }] : [],
    sslports: spec.sslports ? [{ kind: 'sslports', line: lineNo++, span: S, keywordSpan: S, ranges: ranges(spec.sslports) }] : [],
    rarity: spec.rarity !== undefined ? [{ kind: 'rarity', line: lineNo++, span: S, keywordSpan: S, value: spec.rarity, valueSpan: S }] : [],
    totalwaitms: [],
    tcpwrappedms: [],
    fallback: spec.fallback
      ? [{ kind: 'fallback', line: lineNo++, span: S, keywordSpan: S, names: spec.fallback.map((name) => ({ name, span: S })) }]
      : [],
    directives: [],
  };
  for (const m of spec.matches ?? []) {
    const flags = m.flags ?? '';
    const versionInfo: VersionField[] = (m.fields ?? []).map(([name, value]) => ({ name, field: field(name, value) }));
    const md: MatchDirective = {
      kind: m.soft ? 'softmatch' : 'match',
      line: lineNo++,
      span: S,
      keywordSpan: S,
      soft: !!m.soft,
      service: m.service,
      serviceSpan: S,
      pattern: field('m', m.pattern, flags),
      caseless: flags.includes('i'),
      dotall: flags.includes('s'),
      versionInfo,
      probe: p,
    };
    p.matches.push(md);
  }
  return p;
}

export function file(probes: Probe[], exclude?: { protocol?: 'T' | 'U'; start: number; end: number }[]): ProbesFile {
  return {
    text: '',
    lineIndex: new LineIndex(''),
    directives: [],
    probes,
    comments: [],
    exclude: exclude
      ? { kind: 'Exclude', line: 0, span: S, keywordSpan: S, ranges: exclude.map((r) => ({ ...r, span: S })) }
      : undefined,
  };
}

/** A stand-in for regex/compile: JavaScript RegExp over binary strings, simple patterns only. */
export function jsCompile(pattern: string, options: RegexOptions): CompileResult {
  const flags = 'd' + (options.caseless ? 'i' : '') + (options.dotall ? 's' : '');
  const re = new RegExp(pattern, flags);
  const groupCount = new RegExp(pattern + '|', flags).exec('')!.length - 1;
  return {
    analysis: { ok: true, groupCount, matchesEmpty: false, octalTraps: [], unsupported: [] },
    exec(subject: string) {
      re.lastIndex = 0;
      const m = re.exec(subject);
      if (!m) return { kind: 'nomatch' };
      return { kind: 'match', captures: m.indices!.map((x) => (x ? [x[0], x[1]] : null)) as ([number, number] | null)[] };
    },
  };
}

export function db(probes: ProbeSpec[], exclude?: { protocol?: 'T' | 'U'; start: number; end: number }[]): ProbeDb {
  return buildProbeDb(file(probes.map(probe), exclude), { compile: jsCompile });
}
