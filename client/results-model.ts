// What the results view shows, as plain text plus the places in it that link somewhere. Kept free
// of the vscode API so a test can render the real CLI's JSON (`nsp scan --format json`) and the
// server's capture results without an editor. results-view.ts puts the text in a read-only
// document and turns the links into DocumentLinks and code lenses.

/** The seven version fields and the deciding line, as `nsp scan --format json` prints them. */
export interface VerdictJson {
  service: string | null;
  product: string | null;
  version: string | null;
  info: string | null;
  hostname: string | null;
  ostype: string | null;
  devicetype: string | null;
  cpe: string[];
  soft: boolean;
  probe: string | null;
  line: number | null;
}

/** One probe's exchange (cli/commands/scan.ts exchangeJson). Bytes are nmap-escaped strings. */
export interface ExchangeJson {
  probe: string;
  protocol: string;
  tunnel: string;
  connection: number;
  reusedConnection: boolean;
  startedAtMs: number;
  connectMs: number | null;
  durationMs: number;
  matchMs: number;
  end: string;
  error: string | null;
  sentBytes: number;
  sent: string;
  receivedBytes: number;
  received: string;
  chunks: { atMs: number; bytes: number }[];
  match: { service: string; soft: boolean; line: number; fallback: string } | null;
}

export interface NmapJson extends Partial<Omit<VerdictJson, 'soft' | 'probe' | 'line'>> {
  error?: string;
  reason?: string;
  state?: string;
  method?: string | null;
  elapsedMs?: number;
  differences?: { field: string; ours: string | null; nmap: string | null }[];
}

/** `nsp scan --format json`: a whole scan, or one probe (`--probe`, which has matchedVia). */
export interface ScanJson extends VerdictJson {
  status?: string;
  matchedVia?: string;
  note: string | null;
  elapsedMs?: number;
  transcript: ExchangeJson[];
  fingerprint?: string | null;
  untestable: { line: number; message: string }[];
  nmap?: NmapJson;
}

/** The server's answer to nsp/testAgainstCaptures, one per capture case. */
export interface CaptureResultJson {
  name: string;
  uri: string;
  line: number | null;
  reachedLine: boolean;
  failures: string[];
  passed: boolean;
  service: string | null;
  summary: string;
  warnings?: string[];
}

/** Where a link goes: a line of the probes document, or a line of another file. */
export type LinkTarget = { kind: 'probes'; line: number } | { kind: 'file'; uri: string; line: number };

export interface ResultLink {
  /** 0-based line and columns of the link text in the rendered document. */
  line: number;
  start: number;
  end: number;
  target: LinkTarget;
}

export interface RenderedResult {
  text: string;
  links: ResultLink[];
  /** 1-based line of the probes document that decided, if one did. */
  matchedLine: number | null;
  /** nmap's service fingerprint, for the Copy action, when something answered and nothing matched. */
  fingerprint: string | null;
}

const FIELDS = ['service', 'product', 'version', 'info', 'hostname', 'ostype', 'devicetype', 'cpe'] as const;

class Writer {
  lines: string[] = [];
  links: ResultLink[] = [];
  add(text = ''): void {
    this.lines.push(text);
  }
  /** Adds `before + label + after` with `label` linked to `target`. */
  link(before: string, label: string, target: LinkTarget, after = ''): void {
    this.links.push({ line: this.lines.length, start: before.length, end: before.length + label.length, target });
    this.lines.push(before + label + after);
  }
}

/** nmap's fingerprint escapes (engine/fingerprint escapeResponse) back to bytes, one char per byte. */
export function unescapeNmap(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    if (s[i] !== '\\' || i + 1 >= s.length) {
      out += s[i];
      continue;
    }
    const c = s[++i];
    if (c === '0') out += '\0';
    else if (c === 'r') out += '\r';
    else if (c === 'n') out += '\n';
    else if (c === 't') out += '\t';
    else if (c === 'x' && /^[0-9a-fA-F]{2}$/.test(s.slice(i + 1, i + 3))) {
      out += String.fromCharCode(parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else out += c;
  }
  return out;
}

/** Classic hex dump rows: offset, 16 bytes in hex, and the printable text. */
export function hexDump(bytes: string, indent = '      '): string[] {
  const rows: string[] = [];
  for (let at = 0; at < bytes.length; at += 16) {
    const chunk = bytes.slice(at, at + 16);
    const hex = [...chunk].map((c) => c.charCodeAt(0).toString(16).padStart(2, '0'));
    const left = hex.slice(0, 8).join(' ');
    const right = hex.slice(8).join(' ');
    const text = [...chunk].map((c) => (c.charCodeAt(0) >= 0x20 && c.charCodeAt(0) < 0x7f ? c : '.')).join('');
    rows.push(`${indent}${at.toString(16).padStart(4, '0')}  ${left.padEnd(23)}  ${right.padEnd(23)}  |${text}|`);
  }
  return rows;
}

const show = (v: string | null | undefined) => (v === null || v === undefined || v === '' ? '—' : v);

export interface ScanMeta {
  /** "Test live", "Version scan", … */
  title: string;
  target: string;
  probesName: string;
  /** What the CLI wrote to stderr (warnings about the file), shown under the header. */
  stderr?: string;
}

/** The results view of one live command (`nsp scan --format json`). */
export function renderScan(j: ScanJson, meta: ScanMeta): RenderedResult {
  const w = new Writer();
  w.add(`nsp — ${meta.title} ${meta.target}`);
  const status = j.status ?? (j.service ? 'matched' : 'no line matched');
  const elapsed = j.elapsedMs !== undefined ? `, ${(j.elapsedMs / 1000).toFixed(2)} s` : '';
  w.add(`status: ${status}${j.note ? ` — ${j.note}` : ''}   (${j.transcript.length} probe(s)${elapsed}; probes file: ${meta.probesName})`);
  for (const l of [...new Set((meta.stderr ?? '').split('\n').filter(Boolean))].slice(0, 5)) w.add(`warning: ${l.replace(/^nsp scan: /, '')}`);
  w.add();
  w.add('Verdict');
  if (!j.service) w.add('  (no line matched)');
  for (const f of FIELDS) w.add(`  ${f.padEnd(11)} ${f === 'cpe' ? show(j.cpe.join(' ')) : show(j[f])}`);
  if (j.line !== null) {
    const via = j.matchedVia === 'null' ? " (via the NULL probe's lines)" : j.matchedVia === 'fallback' ? ' (via a fallback)' : '';
    w.link(`  ${'matched'.padEnd(11)} `, `line ${j.line}`, { kind: 'probes', line: j.line }, `  ${j.soft ? 'softmatch' : 'match'}, probe ${j.probe ?? '?'}${via}`);
  }
  if (j.nmap) renderNmap(w, j, j.nmap);
  w.add();
  w.add('Transcript');
  j.transcript.forEach((e, i) => renderExchange(w, e, i));
  for (const u of j.untestable.slice(0, 10)) w.link('warning: ', `line ${u.line}`, { kind: 'probes', line: u.line }, ` could not be tested as nmap would (${u.message})`);
  const fingerprint = j.fingerprint ?? null;
  if (fingerprint) {
    w.add();
    w.add('Service fingerprint (nothing matched; "Copy fingerprint" above puts it on the clipboard)');
    for (const l of fingerprint.split('\n')) w.add(l);
  }
  return { text: w.lines.join('\n') + '\n', links: w.links, matchedLine: j.line, fingerprint };
}

/** nmap's verdict beside ours; every field nmap's comparison found different is flagged. */
function renderNmap(w: Writer, ours: ScanJson, n: NmapJson): void {
  w.add();
  if (n.error) {
    w.add(`nmap: not compared — ${n.error}`);
    return;
  }
  const differing = new Map((n.differences ?? []).map((d) => [d.field, d]));
  w.add(`nmap verdict beside ours (state ${show(n.state)}, ${n.method === 'probed' ? 'named by a probe line' : 'named from the port table only'}, ${((n.elapsedMs ?? 0) / 1000).toFixed(2)} s)`);
  w.add(`    ${'field'.padEnd(11)} ${'nsp'.padEnd(34)} nmap`);
  for (const f of FIELDS) {
    const a = f === 'cpe' ? ours.cpe.join(' ') : ours[f];
    const b = f === 'cpe' ? (n.cpe ?? []).join(' ') : n[f];
    const mark = differing.has(f) ? '≠ ' : '  ';
    w.add(`  ${mark}${f.padEnd(11)} ${show(a).padEnd(34)} ${show(b)}`);
  }
  w.add(differing.size ? `  ${differing.size} field(s) differ: ${[...differing.keys()].join(', ')}` : '  nmap agrees on every field');
}

function renderExchange(w: Writer, e: ExchangeJson, i: number): void {
  const conn = `connection ${e.connection}${e.reusedConnection ? ' (reused)' : ''}`;
  const connect = e.connectMs !== null ? `, connect ${e.connectMs} ms` : '';
  w.add(`  ${i + 1}. ${e.tunnel === 'ssl' ? 'ssl/' : ''}${e.probe}  ${e.protocol}, ${conn}${connect}, at +${e.startedAtMs} ms`);
  w.add(`     ended: ${e.end}${e.error ? ` (${e.error})` : ''}; waited ${e.durationMs} ms, matching took ${e.matchMs} ms`);
  if (e.chunks.length) w.add(`     reads: ${e.chunks.map((c) => `+${c.atMs} ms ${c.bytes} B`).join(', ')}`);
  if (e.match) {
    w.link('     matched: ', `line ${e.match.line}`, { kind: 'probes', line: e.match.line }, ` (${e.match.soft ? 'softmatch' : 'match'} ${e.match.service}${e.match.fallback !== e.probe ? `, lines of ${e.match.fallback}` : ''})`);
  }
  w.add(`     sent ${e.sentBytes} B${e.sentBytes ? ':' : ''}`);
  for (const r of hexDump(unescapeNmap(e.sent))) w.add(r);
  w.add(`     received ${e.receivedBytes} B${e.receivedBytes ? ':' : ''}`);
  for (const r of hexDump(unescapeNmap(e.received))) w.add(r);
}

export interface CapturesMeta {
  /** 1-based line asked about, if the lens of a line was used. */
  line?: number;
  probesName: string;
  /** workspace-relative name of a capture file uri. */
  fileName(uri: string): string;
  /** 1-based line of the case in its capture file, when known. */
  caseLine?(r: CaptureResultJson): number | undefined;
}

/** The results view of "Test against captures". */
export function renderCaptures(results: CaptureResultJson[], meta: CapturesMeta): RenderedResult {
  const w = new Writer();
  const reached = results.filter((r) => r.reachedLine);
  const failed = reached.filter((r) => !r.passed);
  const where = meta.line !== undefined ? ` at line ${meta.line}` : '';
  w.add(`nsp — Test against captures${where} of ${meta.probesName}`);
  if (!results.length) w.add('No capture files (*.captures) or fingerprints (*.sf) in this workspace.');
  else w.add(`Captures${where}: ${reached.length} of ${results.length} decided here, ${reached.length - failed.length} passed, ${failed.length} failed.`);
  for (const r of results) {
    w.add();
    const mark = !r.reachedLine ? '·' : r.passed ? '✓' : '✗';
    const state = !r.reachedLine ? 'decided elsewhere' : r.passed ? 'passed' : 'failed';
    w.link(`${mark} `, r.name, { kind: 'file', uri: r.uri, line: meta.caseLine?.(r) ?? 1 }, `  (${meta.fileName(r.uri)}) — ${state}`);
    w.add(`    verdict   ${r.summary}`);
    if (r.line !== null) w.link(`    matched   `, `line ${r.line}`, { kind: 'probes', line: r.line });
    for (const f of r.failures) w.add(`    expected  ${f}`);
    for (const x of (r.warnings ?? []).slice(0, 3)) w.add(`    warning   ${x}`);
  }
  const decided = results.find((r) => r.reachedLine && r.line !== null);
  return { text: w.lines.join('\n') + '\n', links: w.links, matchedLine: meta.line ?? decided?.line ?? null, fingerprint: null };
}
