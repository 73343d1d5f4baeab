// A hand-built ProbeDb for the prober's state-machine tests: a few probes with tiny totalwaitms so
// nmap's timing rules can be exercised in milliseconds. Regexes run on JavaScript's RegExp (the
// tests' patterns are plain), so these tests depend on neither the grammar nor the regex layer.
import type { CompileResult, RegexOptions } from '../../regex/api';
import type { DbMatch, DbProbe, ProbeDb, Protocol } from '../../engine/probe-db';

export interface FakeLine {
  service: string;
  /** A JavaScript regex source applied to the binary-string reply. */
  pattern: string;
  soft?: boolean;
  p?: string;
  v?: string;
  i?: string;
  cpe?: string[];
  line: number;
}

export interface FakeProbe {
  name: string;
  protocol?: Protocol;
  payload?: string;
  ports?: number[];
  sslports?: number[];
  rarity?: number;
  totalwaitms?: number;
  tcpwrappedms?: number;
  fallback?: string[];
  lines?: FakeLine[];
}

function jsCompile(pattern: string, options: RegexOptions): CompileResult {
  const re = new RegExp(pattern, 'd' + (options.caseless ? 'i' : '') + (options.dotall ? 's' : ''));
  const groupCount = new RegExp(pattern + '|').exec('')!.length - 1;
  return {
    analysis: { ok: true, groupCount, matchesEmpty: false, octalTraps: [], unsupported: [] },
    exec(subject) {
      const m = re.exec(subject);
      if (!m) return { kind: 'nomatch' };
      return { kind: 'match', captures: [...(m.indices ?? [])].map((c) => (c ? [c[0], c[1]] : null)) };
    },
  };
}

function makeProbe(f: FakeProbe): DbProbe {
  const matches: DbMatch[] = (f.lines ?? []).map((l) => ({
    directive: undefined as never,
    service: l.service,
    soft: l.soft ?? false,
    pattern: l.pattern,
    caseless: false,
    dotall: true,
    line: l.line,
    templates: { p: l.p, v: l.v, i: l.i, cpe: l.cpe ?? [] },
  }));
  return {
    name: f.name,
    protocol: f.protocol ?? 'TCP',
    payload: f.payload ?? '',
    isNull: (f.payload ?? '') === '',
    notForPayload: false,
    ports: new Set(f.ports ?? []),
    portList: f.ports ?? [],
    sslports: new Set(f.sslports ?? []),
    rarity: f.rarity ?? 1,
    totalwaitms: f.totalwaitms ?? 300,
    tcpwrappedms: f.tcpwrappedms ?? 200,
    matches,
    detectedServices: new Set(matches.map((m) => m.service)),
    fallbacks: [],
    line: 1,
    ast: undefined as never,
  };
}

/** Builds the db; fallbacks are compiled as AllProbes::compileFallbacks does. */
export function fakeDb(nullProbe: FakeProbe | undefined, probes: FakeProbe[]): ProbeDb {
  const db: ProbeDb = {
    probes: probes.map(makeProbe),
    nullProbe: nullProbe ? makeProbe({ ...nullProbe, payload: '' }) : undefined,
    excludeSeen: false,
    excludeTcp: new Set(),
    excludeUdp: new Set(),
    problems: [],
    compile: jsCompile,
  };
  if (db.nullProbe) db.nullProbe.fallbacks = [db.nullProbe];
  probes.forEach((f, i) => {
    const p = db.probes[i];
    p.fallbacks = [p, ...(f.fallback ?? []).map((n) => db.probes.find((q) => q.name === n)!)];
    if (p.protocol === 'TCP' && db.nullProbe) p.fallbacks.push(db.nullProbe);
  });
  return db;
}
