// Matching one response within one probe: ServiceProbeMatch::testMatch (one line),
// ServiceProbe::testMatch (the first line of a probe that matches, soft or hard) and the
// fallback walk of servicescan_read_handler (the probe itself, its fallbacks, then NULL for TCP).
//
// A regex that hits nmap's match limits counts as no match, as pcre2_match's error does in nmap.
// A construct the regex layer cannot run is also treated as no match, but reported, because
// there the answer may differ from nmap's.

import type { DbMatch, DbProbe, ProbeDb } from './probe-db';
import { candidateLines, compiledRegex, mayMatch } from './probe-db';
import { asciiLower } from '../regex/index';
import type { Captures, MatchFields, TemplateFailure, TemplateRules } from './versioninfo';
import { versionFields } from './versioninfo';

export interface LineHit {
  match: DbMatch;
  /** The probe whose line matched (the fallback nmap names in --version-trace). */
  fallback: DbProbe;
  captures: Captures;
  fields: MatchFields;
  failures: TemplateFailure[];
}

/** A line whose result we could not compute faithfully. */
export interface RegexIssue {
  line: number;
  kind: 'compile-error' | 'limit' | 'unsupported';
  message: string;
}

export interface ProbeMatchResult {
  hit?: LineHit;
  /** Lines tried, for the trail (one count per fallback probe tried). */
  linesTried: number;
  issues: RegexIssue[];
}

/** ServiceProbeMatch::testMatch: runs one line's regex and fills its templates. */
export function testLine(
  db: ProbeDb,
  m: DbMatch,
  subject: string,
  issues: RegexIssue[],
  lowered: () => string = () => asciiLower(subject),
  rules: TemplateRules = 'head',
): { captures: Captures; fields: MatchFields; failures: TemplateFailure[] } | undefined {
  if (!mayMatch(m, subject, lowered)) return undefined;
  const re = compiledRegex(db, m);
  if ('ok' in re && re.ok === false) {
    // nmap would have refused the whole file at load time; the line can never match.
    issues.push({ line: m.line, kind: 'compile-error', message: re.message });
    return undefined;
  }
  const compiled = re as Exclude<typeof re, { ok: false }>;
  const outcome = compiled.exec(subject);
  if (outcome.kind === 'nomatch') return undefined;
  if (outcome.kind === 'limit') {
    issues.push({ line: m.line, kind: 'limit', message: 'match limit reached (nmap: PCRE2 error, treated as no match)' });
    return undefined;
  }
  if (outcome.kind === 'unsupported') {
    issues.push({ line: m.line, kind: 'unsupported', message: outcome.message });
    return undefined;
  }
  // The ovector has one pair per group plus the whole match, whatever the match set.
  const want = compiled.analysis.groupCount + 1;
  const captures: ([number, number] | null)[] = [];
  for (let i = 0; i < want; i++) {
    const c = outcome.captures[i];
    captures.push(c ? [c[0], c[1]] : null);
  }
  const { fields, failures } = versionFields(m.templates, captures, subject, rules);
  return { captures, fields, failures };
}

/** ServiceProbe::testMatch(buf, len, 0): the first line of `probe` that matches, soft or hard. */
export function testProbe(
  db: ProbeDb,
  probe: DbProbe,
  subject: string,
  issues: RegexIssue[],
  rules: TemplateRules = 'head',
): LineHit | undefined {
  let low: string | undefined;
  const lowered = () => (low ??= asciiLower(subject));
  // Only the lines whose first-byte test admits this subject, still in file order.
  const lines = subject.length ? candidateLines(probe, subject.charCodeAt(0)) : undefined;
  const count = lines ? lines.length : probe.matches.length;
  for (let k = 0; k < count; k++) {
    const m = probe.matches[lines ? lines[k] : k];
    const r = testLine(db, m, subject, issues, lowered, rules);
    if (r) return { match: m, fallback: probe, ...r };
  }
  return undefined;
}

/**
 * servicescan_read_handler's loop: the response to `probe` is tried against the probe's own
 * lines, then each fallback's, then (TCP) the NULL probe's; the first line that matches ends it.
 */
export function matchResponse(db: ProbeDb, probe: DbProbe, subject: string, rules: TemplateRules = 'head'): ProbeMatchResult {
  const issues: RegexIssue[] = [];
  let linesTried = 0;
  for (const fb of probe.fallbacks) {
    const hit = testProbe(db, fb, subject, issues, rules);
    if (hit) {
      linesTried += fb.matches.indexOf(hit.match) + 1;
      return { hit, linesTried, issues };
    }
    linesTried += fb.matches.length;
  }
  return { linesTried, issues };
}
