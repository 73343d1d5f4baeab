// Tokens → AST, with the syntax diagnostics (NSP1xx). The parser (parser.ts) hands over each line's
// tokens as it recognises the line (Chevrotain's embedded actions: no CST is built). Each check
// mirrors the nmap function named in its comment (service_scan.cc unless said otherwise) and
// reports what nmap refuses as an error on the offending token. Where nmap stops at its first error, a Probe line here also reports only
// its first one (later ones would be consequences); match lines report one per field, so one bad
// field does not hide another.

import type { IToken } from './chevrotain';
import type {
  DelimitedField, Directive, ExcludeDirective, FallbackDirective, MatchDirective, NumberDirective, PortRange,
  PortsDirective, Probe, ProbeDirective, ProbesFile, Span, UnknownDirective,
} from './ast';
import type { Diagnostic } from './diagnostic';
import { DIAGNOSTIC_CODES, type DiagnosticCode } from './diagnostic-codes';
import { nmapLineCut, type LineIndex } from './line-index';
import { atoi, cstringUnescape, readExclude, readPortList, splitFallbacks, strtol, type ReadProblem, type ReadRange } from './nmap-readers';
import { isAlpha, isSpace } from './char-class';
import { MatchNode, type FieldNode } from './nodes';
import * as T from './tokens';
import { tokenEnd as end } from './tokens';

export class Reporter {
  readonly diagnostics: Diagnostic[] = [];
  report(code: DiagnosticCode, span: Span, message: string, data?: Record<string, unknown>): void {
    const d: Diagnostic = { code, severity: DIAGNOSTIC_CODES[code].severity, message, span };
    if (data) d.data = data;
    this.diagnostics.push(d);
  }
}

const sp = (start: number, end: number): Span => ({ start, end });
const tokSpan = (t: IToken): Span => sp(t.startOffset, end(t));

/** Quote a piece of the file for a message, shortened and with control characters made visible. */
export function quote(s: string): string {
  const short = s.length > 40 ? s.slice(0, 37) + '…' : s;
  return '"' + short.replace(/[\x00-\x1f\x7f]/g, (c) => '\\x' + c.charCodeAt(0).toString(16).padStart(2, '0')) + '"';
}

const DIRECTIVES = ['Probe', 'match', 'softmatch', 'ports', 'sslports', 'rarity', 'totalwaitms', 'tcpwrappedms', 'fallback', 'Exclude'];
export class AstBuilder {
  private probe: Probe | undefined;
  private seenProbe = false;
  private lineCursor = 0;
  /** The next entry of T.fieldIssues that a field may own (fields are visited in file order). */
  private issueCursor = 0;
  readonly file: ProbesFile;

  constructor(private readonly text: string, private readonly index: LineIndex, private readonly out: Reporter) {
    this.file = { text, lineIndex: index, directives: [], probes: [], comments: [] };
  }

  /** 0-based line of an offset; lines are visited in order, so a moving cursor beats a search. */
  private lineOf(offset: number): number {
    const starts = this.index.lineStarts;
    while (this.lineCursor + 1 < starts.length && starts[this.lineCursor + 1] <= offset) this.lineCursor++;
    return this.lineCursor;
  }

  /** Called once after the last line. */
  finish(): ProbesFile {
    if (this.probe) this.closeProbe();
    return this.file;
  }

  /** One directive, in file order: file-level bookkeeping and the probe it belongs to. */
  private add(d: Directive): void {
    this.file.directives.push(d);
    if (d.kind === 'Probe') return;
    if (d.kind === 'Exclude') {
      if (this.seenProbe) this.out.report('NSP103', d.keywordSpan, 'Exclude must come before the first Probe: nmap refuses it here. Move it to the top of the file.');
      else if (this.file.exclude) this.out.report('NSP104', d.keywordSpan, 'nmap allows only one Exclude directive. Merge the two port lists into one line.', { first: this.file.exclude.span });
      else this.file.exclude = d;
      if (!this.probe) return;
    } else if (!this.probe) {
      // parse_nmap_service_probe_file: before the first Probe only Exclude, comments and "\n" lines.
      if (d.kind !== 'unknown') {
        this.out.report('NSP102', d.keywordSpan, `"${this.text.slice(d.keywordSpan.start, d.keywordSpan.end)}" comes before the first Probe: nmap expects every line before it to be a comment, a blank line, Exclude or Probe.`);
      }
      return;
    }
    const p = this.probe;
    if (!p) return;
    p.directives.push(d);
    switch (d.kind) {
      case 'match':
      case 'softmatch':
        d.probe = p;
        p.matches.push(d);
        break;
      case 'ports': p.ports.push(d); break;
      case 'sslports': p.sslports.push(d); break;
      case 'rarity': p.rarity.push(d); break;
      case 'totalwaitms': p.totalwaitms.push(d); break;
      case 'tcpwrappedms': p.tcpwrappedms.push(d); break;
      case 'fallback': p.fallback.push(d); break;
    }
  }

  private base(keyword: IToken, kwLength: number): { line: number; span: Span; keywordSpan: Span } {
    const line = this.lineOf(keyword.startOffset);
    return {
      line,
      span: sp(this.index.lineStarts[line], this.index.lineEnd(line)),
      keywordSpan: sp(keyword.startOffset, keyword.startOffset + kwLength),
    };
  }

  private closeProbe(): void {
    const p = this.probe!;
    const lastD = p.directives.length ? p.directives[p.directives.length - 1] : p.directive;
    p.span = sp(p.directive.span.start, lastD.span.end);
  }

  /** setProbeDetails. nmap stops at the first problem, and so does this (one error per Probe line). */
  probeLine(kw: IToken): void {
    const p = kw.payload as T.ProbeLinePayload;
    this.add(this.probeDirective(kw, p.protocol, p.name, p.probeString, p.words));
  }

  private probeDirective(kw: IToken, proto: IToken | undefined, nameTok: IToken | undefined, str: IToken | undefined, words: IToken[]): ProbeDirective {
    const b = this.base(kw, 5);
    const d: ProbeDirective = { kind: 'Probe', line: b.line, span: b.span, keywordSpan: b.keywordSpan, name: '', nameSpan: sp(kw.startOffset + 6, kw.startOffset + 6) };
    if (this.probe) this.closeProbe();
    this.probe = { directive: d, span: d.span, matches: [], ports: [], sslports: [], rarity: [], totalwaitms: [], tcpwrappedms: [], fallback: [], directives: [] };
    this.file.probes.push(this.probe);
    this.seenProbe = true;
    let failed = false;
    const fail = (code: DiagnosticCode, span: Span, message: string, data?: Record<string, unknown>): void => {
      if (!failed) this.out.report(code, span, message, data);
      failed = true;
    };
    if (!proto) fail('NSP105', d.keywordSpan, 'Probe needs a protocol, a name and a probe string, like "Probe TCP GetRequest q|GET / HTTP/1.0\\r\\n\\r\\n|".');
    else {
      const pp = proto.payload as T.ProtocolPayload;
      if (pp.protocol) {
        d.protocol = pp.protocol;
        d.protocolSpan = sp(proto.startOffset, proto.startOffset + 3);
      } else {
        const word = proto.image.trimEnd();
        fail('NSP105', sp(proto.startOffset, proto.startOffset + Math.max(1, word.length)),
          `Invalid protocol ${quote(word || proto.image)}: nmap reads exactly "TCP " or "UDP " (upper case, one space) after "Probe ".`);
      }
    }
    if (nameTok) {
      const np = nameTok.payload as T.NamePayload;
      d.name = this.text.slice(nameTok.startOffset, np.nameEnd);
      d.nameSpan = sp(nameTok.startOffset, np.nameEnd);
      const shown = d.nameSpan.end > d.nameSpan.start ? d.nameSpan : tokSpan(nameTok);
      if (np.bad) fail('NSP106', shown, `Bad probe name ${quote(d.name || nameTok.image)}: it must follow the protocol after exactly one space and start with a letter or a digit.`);
      else if (np.noSpace) fail('NSP107', shown, 'Nothing follows the probe name: nmap needs a space and then the probe string, like q|…|.');
    } else if (proto) fail('NSP106', tokSpan(proto), 'The probe needs a name after the protocol, then a probe string: "Probe TCP Name q|…|".');
    const notQ = str?.tokenType === T.NotProbeString ? str : undefined;
    if (notQ) fail('NSP107', tokSpan(notQ), `The probe string must begin with "q" and a delimiter, like q|…|; found ${quote(notQ.image)}.`);
    const ps = str?.tokenType === T.ProbeString ? str : undefined;
    if (ps) {
      const field = ps.payload as DelimitedField;
      d.probeString = field;
      if (!field.closed) {
        fail('NSP108', sp(ps.startOffset, field.valueSpan.start),
          field.delimiter ? `The probe string has no closing ${quote(field.delimiter)} on this line.` : 'The probe string needs a delimiter after "q", like q|…|.');
      } else {
        const r = cstringUnescape(field.value);
        if ('bytes' in r) d.payload = r.bytes;
        else {
          const p = r.problem;
          const note = p.acceptedBy793 ? ' (nmap 7.93 accepted it; nmap refuses it since 2026)' : '';
          fail('NSP109', sp(field.valueSpan.start + p.start, field.valueSpan.start + p.end), p.message + note, { acceptedBy793: p.acceptedBy793 });
        }
      }
    }
    // The optional flags after the probe string: nmap looks for a word starting with
    // "no-payload" and stops there; any other word is skipped without a word.
    // On a line too long for nmap's buffer (NSP122), the words past its end get nothing of their own.
    const cut = words.length ? nmapLineCut(this.text, b.span.start, b.span.end) : 0;
    for (const w of words) {
      if (!ps || failed || w.startOffset >= cut) break;
      if (!d.noPayloadSpan && w.image.startsWith('no-payload')) {
        d.noPayloadSpan = sp(w.startOffset, w.startOffset + 10);
        continue;
      }
      const why = w.image.startsWith('source=')
        ? ' ("source=" belonged to the old nmap-payloads file; service_scan.cc never reads it, so the probe goes out from an ordinary source port)'
        : '';
      this.out.report('NSP124', tokSpan(w), `nmap ignores ${quote(w.image)} here: the only word it reads after the probe string is "no-payload"${why}.`);
    }
    return d;
  }

  /** The problems next_template() stops at, for one field. Returns true when it reported one. */
  private fieldProblem(f: FieldNode, what: string): boolean {
    const start = f.start;
    const issues = T.fieldIssues;
    let c = this.issueCursor;
    while (c < issues.length && issues[c].offset < start) c++;
    this.issueCursor = c;
    if (c === issues.length || issues[c].offset !== start) return false;
    const issue = issues[c];
    const valueStart = f.valueSpan.start;
    const valueEnd = f.valueSpan.end;
    const flagsEnd = f.flagsSpan.end;
    switch (issue.problem) {
      case 'bare-word': {
        const word = this.text.slice(start, issue.textEnd);
        this.out.report('NSP114', sp(start, issue.textEnd), `${quote(word)} is a bare word: nmap expects a field such as p/…/ here, with a delimiter right after its letter.`);
        return true;
      }
      case 'cpe-delimiter':
        this.out.report('NSP115', sp(start, Math.min(issue.lettersEnd + 1, issue.textEnd)),
          `Today's nmap needs "cpe:/" with a slash (cpe delimiter not '/'); write cpe:/…/ instead of ${quote(this.text.slice(start, issue.lettersEnd + 1))}.`);
        return true;
      case 'unclosed':
        this.out.report('NSP108', sp(start, valueStart),
          `The ${what} has no closing ${quote(f.delimiter)} on this line` +
            (f.letters.length === 3 && f.letters !== 'cpe' ? ` (nmap reads ${quote(f.letters)} as the field's letters and ${quote(f.delimiter)} as its delimiter).` : '.'));
        return true;
      case 'no-newline':
        this.out.report('NSP116', sp(f.span.end - Math.max(1, f.flags.length), f.span.end),
          'nmap needs whitespace after the last field of a line, and this line ends the file: add a newline at the end of the file.');
        return true;
      case 'flags-too-long': {
        const after = this.text.charCodeAt(flagsEnd);
        const tooMany = flagsEnd - (valueEnd + 1) === 3 && isAlpha(after);
        const span = sp(valueEnd + 1, Math.max(issue.textEnd, valueEnd + 2));
        this.out.report('NSP116', span, tooMany
          ? 'nmap reads at most 3 flag letters after a field ("flags too long").'
          : `nmap needs whitespace after the closing ${quote(f.delimiter)}${f.flags ? ' and its flags' : ''}; found ${quote(this.text[flagsEnd] ?? '')}. Separate fields with a space.`);
        return true;
      }
    }
  }

  /** ServiceProbeMatch::InitMatch with next_template. `kw` is the whole line (see tokens.ts). */
  matchLine(kw: IToken): void {
    this.add(this.matchDirective(kw, kw.payload as FieldNode[] | undefined ?? []));
  }

  private matchDirective(kw: IToken, fields: FieldNode[]): MatchDirective {
    const soft = kw.tokenType === T.KwSoftmatch;
    const kwEnd = kw.startOffset + (soft ? 10 : 6);
    // The token runs to the end of the line's content, plus the "\n" when there is one.
    let stop = end(kw);
    if (this.text.charCodeAt(stop - 1) === 10) stop--;
    const line = this.lineOf(kw.startOffset);
    const d = new MatchNode(soft ? 'softmatch' : 'match', soft, line, this.index.lineStarts[line], this.index.lineEnd(line));
    if (kwEnd < stop && this.text.charCodeAt(kwEnd) !== 32) {
      // InitMatch: the name runs to the first space; when there is none, nothing can follow it.
      // With fields on the line, a space ends the name within it; without, search only the line.
      let svcEnd = fields.length ? this.text.indexOf(' ', kwEnd) : kwEnd;
      if (!fields.length) while (svcEnd < stop && this.text.charCodeAt(svcEnd) !== 32) svcEnd++;
      d.service = this.text.slice(kwEnd, svcEnd);
      if (svcEnd === stop) {
        const tab = d.service.includes('\t') ? ' (a tab does not count)' : '';
        this.out.report('NSP110', sp(kwEnd, svcEnd), `nmap needs a space after the service name${tab}, then the pattern m|…|.`);
        return d;
      }
    } else if (!isSpaceAt(this.text, kwEnd)) {
      this.out.report('NSP110', d.keywordSpan, `${d.kind} needs a service name and a pattern, like "match ssh m|^SSH-|".`);
      return d;
    }
    if (fields.length === 0) {
      this.out.report('NSP111', d.serviceSpan.end > d.serviceSpan.start ? d.serviceSpan : d.keywordSpan, 'The service name must be followed by a pattern m<delimiter>…<delimiter>, like m|^220 |.');
      return d;
    }
    // A version field's node is its own VersionField: the token's list of fields, without the
    // pattern, is the list of version fields.
    const f = fields.shift()!;
    d.versionInfo = fields;
    if (this.fieldProblem(f, 'pattern')) {
      if (f.letters === 'm') d.pattern = f;
    } else if (f.letters !== 'm') {
      const span = f.letters ? f.lettersSpan : sp(f.start, f.start + 1);
      this.out.report('NSP111', span, `The pattern must begin with "m" and a delimiter, like m|…|; found ${quote(f.letters || f.delimiter)}.`);
    } else {
      d.pattern = f;
      const flags = f.flags;
      for (let j = 0; j < flags.length; j++) {
        const flag = flags[j];
        if (flag === 'i') d.caseless = true;
        else if (flag === 's') d.dotall = true;
        else {
          this.out.report('NSP112', sp(f.flagsSpan.start + j, f.flagsSpan.start + j + 1), `Unknown regex flag ${quote(flag)}: nmap accepts only i (ignore case) and s (dot matches newline).`);
          break;
        }
      }
    }
    // On a line too long for nmap's buffer (NSP122), the fields past its end get nothing of their
    // own: nmap refuses the line anyway, and a huge line of tiny fields would get one per field.
    const cut = nmapLineCut(this.text, this.index.lineStarts[line], stop);
    for (const v of fields) {
      if (v.start >= cut) break;
      const name = v.name;
      if (this.fieldProblem(v, name === 'cpe' ? 'cpe' : 'version field')) continue;
      if (!name) {
        const span = v.letters ? v.lettersSpan : sp(v.start, v.start + 1);
        this.out.report('NSP113', span, `Unknown version field ${quote(v.letters)}: nmap knows p (product), v (version), i (info), h (hostname), o (OS), d (device type) and cpe:.`);
      }
    }
    return d;
  }

  /** `kwTok` is the whole line (see tokens.ts); its payload is the keyword. */
  argsLine(kwTok: IToken): void {
    this.add(this.argsDirective(kwTok));
  }

  private argsDirective(kwTok: IToken): Directive {
    const word = kwTok.payload as string;
    const b = this.base(kwTok, word.length);
    const argStart = kwTok.startOffset + word.length + 1;
    // The token runs to the end of the line's content, plus the "\n" when there is one.
    let argEnd = end(kwTok);
    if (this.text.charCodeAt(argEnd - 1) === 10) argEnd--;
    const args = argEnd > argStart;
    // The argument as nmap's C string holds it: with the newline fgets() kept.
    const s = this.text.slice(argStart, argEnd) + (this.text.charCodeAt(argEnd) === 10 ? '\n' : '');
    // A span inside the argument; an empty one (a problem at the end of the line) falls back to the keyword.
    const rel = (start: number, end: number): Span => {
      const e = Math.min(argStart + end, argEnd);
      if (e > argStart + start) return sp(argStart + start, e);
      // At the end of the line: show the argument's last visible character ("ports 21," → ",").
      let last = argEnd;
      while (last > argStart && isSpace(this.text.charCodeAt(last - 1))) last--;
      return last > argStart ? sp(last - 1, last) : b.keywordSpan;
    };
    switch (word) {
      case 'ports':
      case 'sslports': {
        const r = readPortList(s);
        const d: PortsDirective = { kind: word, ...b, ranges: r.ranges.map((x) => this.range(x, argStart)) };
        if (r.problem) this.portProblem(r.problem, rel);
        return d;
      }
      case 'Exclude': {
        const r = readExclude(s);
        const d: ExcludeDirective = { kind: 'Exclude', ...b, ranges: r.ranges.map((x) => this.range(x, argStart)) };
        if (r.problem) this.portProblem(r.problem, rel);
        return d;
      }
      case 'fallback': {
        const d: FallbackDirective = {
          kind: 'fallback', ...b,
          names: splitFallbacks(s).map((n) => ({ name: n.name, span: sp(argStart + n.start, argStart + n.end) })),
        };
        return d;
      }
      default: {
        // setRarity uses atoi(); totalwaitms and tcpwrappedms use strtol(). Both read a leading
        // number and ignore what follows it, so "rarity 3x" is rarity 3.
        const kind = word as NumberDirective['kind'];
        const n = kind === 'rarity' ? atoi(s, 0) : strtol(s, 0);
        const value = Number(n.value);
        const hasNumber = n.end > n.start;
        const valueSpan = hasNumber ? rel(n.start, n.end) : args ? rel(firstNonSpace(s), s.replace(/\s+$/, '').length) : b.keywordSpan;
        const d: NumberDirective = { kind, ...b, valueSpan };
        if (hasNumber) d.value = value;
        if (kind === 'rarity' && (value < 1 || value > 9)) {
          this.out.report('NSP120', valueSpan, hasNumber ? `rarity ${value} is out of range: nmap accepts an integer from 1 (common) to 9 (rare).` : 'rarity needs an integer from 1 to 9.');
        } else if (kind !== 'rarity' && (value < 100 || value > 300000)) {
          this.out.report('NSP121', valueSpan, hasNumber ? `${kind} ${value} is out of range: nmap accepts 100 to 300000 milliseconds.` : `${kind} needs a number of milliseconds from 100 to 300000.`);
        } else {
          const rest = firstNonSpace(s, n.end);
          if (rest < s.length && s[rest] !== '\n') {
            this.out.report('NSP124', rel(rest, s.replace(/\s+$/, '').length), `nmap reads ${kind} ${value} and ignores ${quote(s.slice(rest).trim())}.`);
          }
        }
        return d;
      }
    }
  }

  private range(r: ReadRange, base: number): PortRange {
    const out: PortRange = { start: r.start, end: r.end, span: sp(base + r.from, base + r.to) };
    if (r.protocol && r.protocol !== 'P') out.protocol = r.protocol;
    return out;
  }

  private portProblem(p: ReadProblem, at: (s: number, e: number) => Span): void {
    const code: DiagnosticCode = p.kind === 'range' ? 'NSP118' : p.kind === 'reversed' ? 'NSP119' : p.kind === 'syntax' ? 'NSP117' : 'NSP125';
    this.out.report(code, at(p.start, p.end), p.message);
  }

  unknownLine(t: IToken): void {
    this.add(this.unknownDirective(t));
  }

  private unknownDirective(t: IToken): UnknownDirective {
    const line = this.lineOf(t.startOffset);
    const start = t.startOffset;
    const text = t.image;
    const first = firstNonSpace(text);
    let keywordSpan: Span;
    let message: string;
    if (first === text.length) {
      keywordSpan = tokSpan(t);
      message = text === '\r'
        ? 'This line holds only "\\r": nmap treats only an empty line as blank, so a CRLF blank line is an unknown directive to it. Save the file with LF line ends.'
        : 'This line holds only whitespace: nmap treats only an empty line as blank. Delete the spaces.';
    } else if (first > 0) {
      keywordSpan = sp(start, start + first);
      message = 'nmap reads a directive only at the start of a line: remove the leading whitespace.';
    } else {
      let end = 0;
      while (end < text.length && !isSpace(text.charCodeAt(end))) end++;
      keywordSpan = sp(start, start + end);
      const w = text.slice(0, end);
      const exact = DIRECTIVES.find((k) => k === w);
      const other = DIRECTIVES.find((k) => k.toLowerCase() === w.toLowerCase());
      if (exact) message = `nmap needs exactly one space after "${exact}"` + (end < text.length ? ` (found ${quote(text[end])}).` : ' and then its arguments.');
      else if (other) message = `Unknown directive ${quote(w)}: directives are case-sensitive; did you mean "${other}"?`;
      else message = `Unknown directive ${quote(w)}: nmap knows ${DIRECTIVES.join(', ')} and # comments.`;
    }
    if (this.probe) this.out.report('NSP101', keywordSpan, message);
    else this.out.report('NSP102', keywordSpan, `${message} (Before the first Probe only Exclude, comments and blank lines are allowed.)`);
    return { kind: 'unknown', line, span: sp(this.index.lineStarts[line], this.index.lineEnd(line)), keywordSpan };
  }
}

function isSpaceAt(text: string, i: number): boolean {
  return text.charCodeAt(i) === 32;
}

function firstNonSpace(s: string, from = 0): number {
  let i = from;
  while (i < s.length && isSpace(s.charCodeAt(i))) i++;
  return i;
}
