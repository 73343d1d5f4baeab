// "Test against captures": the workspace's capture files and service fingerprints, replayed
// through the detection engine against the document as it is in the editor (unsaved edits
// included). The server reads the files; this module only parses text and runs the engine.

import type { CaptureCase, CaptureExpect } from '../engine/capture';
import { captureFromFingerprint, parseCaptures } from '../engine/capture';
import { detect, type Verdict } from '../engine/detect';
import { parseFingerprints } from '../engine/fingerprint';
import { buildProbeDb, type ProbeDb } from '../engine/probe-db';
import type { Span } from '../grammar/ast';
import type { Pcre2Version } from '../regex/api';
import { compile } from '../regex/index';
import type { CaptureSummary } from './code-lenses';
import type { AnalyzedDocument } from './document';

export interface CaptureSource {
  uri: string;
  text: string;
  /** 'captures' for our capture format, 'fingerprints' for nmap's SF-Port… text. */
  kind: 'captures' | 'fingerprints';
}

export interface LoadedCase {
  uri: string;
  case: CaptureCase;
}

export function captureKindOf(path: string): CaptureSource['kind'] | undefined {
  if (/\.(captures?|nspcap)$/i.test(path)) return 'captures';
  if (/\.(sf|fp|fingerprint)$/i.test(path)) return 'fingerprints';
  return undefined;
}

export function loadCaptures(sources: CaptureSource[]): LoadedCase[] {
  const out: LoadedCase[] = [];
  for (const s of sources) {
    try {
      if (s.kind === 'captures') for (const c of parseCaptures(s.text).cases) out.push({ uri: s.uri, case: c });
      else {
        const name = s.uri.replace(/^.*\//, '').replace(/\.[^.]*$/, '');
        parseFingerprints(s.text).fingerprints.forEach((fp, i, all) =>
          out.push({ uri: s.uri, case: captureFromFingerprint(fp, all.length > 1 ? `${name}#${i + 1}` : name) }),
        );
      }
    } catch {
      // A reader bug on one file must not hide the others.
    }
  }
  return out;
}

export function summarizeCaptures(cases: LoadedCase[]): CaptureSummary[] {
  return cases.map((c) => ({
    id: `${c.uri}#${c.case.name}`,
    protocol: c.case.protocol,
    probes: [...new Set(c.case.responses.map((r) => r.probe))],
  }));
}

export interface CaptureTestResult {
  name: string;
  uri: string;
  span: Span;
  /** The verdict's 1-based line in the document, if a line matched. */
  line: number | null;
  /** True when the verdict came from the line asked about (or no line was asked about). */
  reachedLine: boolean;
  /** Expectations of the case that the verdict does not meet ("product: wanted X, got Y"). */
  failures: string[];
  passed: boolean;
  service: string | null;
  summary: string;
  warnings: string[];
}

export function buildDb(doc: AnalyzedDocument, pcre2Version?: Pcre2Version): ProbeDb {
  return buildProbeDb(doc.parse.file, { compile, pcre2Version });
}

/**
 * Runs every case against the document. With `line` (0-based), a case passes when its verdict
 * comes from that line and meets its expectations; without, when it meets its expectations.
 */
export function testAgainstCaptures(
  doc: AnalyzedDocument,
  cases: LoadedCase[],
  line?: number,
  pcre2Version?: Pcre2Version,
): CaptureTestResult[] {
  const db = buildDb(doc, pcre2Version);
  const out: CaptureTestResult[] = [];
  for (const { uri, case: c } of cases) {
    let v: Verdict;
    try {
      v = detect(db, c.responses, { port: c.port, protocol: c.protocol, tunnel: c.tls ? 'ssl' : 'none', intensity: c.intensity });
    } catch (e) {
      out.push({ name: c.name, uri, span: c.nameSpan, line: null, reachedLine: false, failures: [`engine error: ${(e as Error).message}`], passed: false, service: null, summary: 'error', warnings: [] });
      continue;
    }
    const failures = compareExpect(c.expect, v);
    const reachedLine = line === undefined || v.line === line + 1;
    out.push({
      name: c.name,
      uri,
      span: c.nameSpan,
      line: v.line,
      reachedLine,
      failures,
      passed: reachedLine && failures.length === 0,
      service: v.service,
      summary: describeVerdict(v),
      warnings: v.warnings,
    });
  }
  return out;
}

export function compareExpect(e: CaptureExpect, v: Verdict): string[] {
  const f: string[] = [];
  const check = (field: string, want: string | null | undefined, got: string | null) => {
    if (want !== undefined && want !== got) f.push(`${field}: wanted ${want === null ? 'no match' : JSON.stringify(want)}, got ${got === null ? 'nothing' : JSON.stringify(got)}`);
  };
  check('service', e.service, v.service);
  check('product', e.product, v.product);
  check('version', e.version, v.version);
  check('info', e.info, v.info);
  check('hostname', e.hostname, v.hostname);
  check('ostype', e.ostype, v.ostype);
  check('devicetype', e.devicetype, v.devicetype);
  check('probe', e.probe, v.probe);
  if (e.soft !== undefined && e.soft !== v.soft) f.push(`soft: wanted ${e.soft ? 'yes' : 'no'}, got ${v.soft ? 'yes' : 'no'}`);
  if (e.cpe !== undefined && e.cpe.join(' ') !== v.cpe.join(' ')) f.push(`cpe: wanted ${e.cpe.join(' ')}, got ${v.cpe.join(' ') || 'none'}`);
  return f;
}

export function describeVerdict(v: Verdict): string {
  if (!v.service) return v.state === 'tcpwrapped' ? 'tcpwrapped' : 'no match';
  const parts = [v.service + (v.soft ? ' (soft)' : '')];
  if (v.product) parts.push(v.product);
  if (v.version) parts.push(v.version);
  if (v.info) parts.push(`(${v.info})`);
  if (v.line) parts.push(`— line ${v.line} via ${v.probe ?? '?'}${v.fallback && v.fallback !== v.probe ? ` → ${v.fallback}` : ''}`);
  return parts.join(' ');
}
