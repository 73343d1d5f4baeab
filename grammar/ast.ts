// The syntax tree of an nmap-service-probes file.
//
// Every position is a half-open range of UTF-16 offsets into the document text (`Span`).
// `LineIndex` (line-index.ts) turns an offset into a 0-based line / UTF-16 column, or into a byte
// offset of the file's UTF-8 encoding, which is what nmap and PCRE2 count in.
//
// The tree is built for tools, not only for nmap: it keeps what nmap would refuse (so that every
// line gets its diagnostics), the raw text of every delimited field, and the decoded bytes where
// the meaning is bytes (probe strings). Matches and directives link back to their probe.
//
// The parser builds delimited fields and match lines as classes (nodes.ts) whose spans (and a
// field's value, flags, closed and name, read from the text) are getters:
// each read returns a fresh Span, so compare spans by value and do not assign to them.

import type { Diagnostic } from './diagnostic';
import type { LineIndex } from './line-index';

/** Half-open range of UTF-16 offsets into the document text. */
export interface Span {
  start: number;
  end: number;
}

/**
 * A delimited field: `q|…|`, `m|…|si`, `p/…/`, `cpe:/…/a`.
 * `letters` is what precedes the opening delimiter ("q", "m", "p", "cpe:" is stored as "cpe").
 */
export interface DelimitedField {
  letters: string;
  lettersSpan: Span;
  /** The delimiter character; "" when the line ends right after the letters. */
  delimiter: string;
  /** Text between the delimiters, exactly as written (UTF-16 string). */
  value: string;
  valueSpan: Span;
  /** valueSpan's start and end, read without building a Span (the checks read them for every field). */
  readonly valueStart: number;
  readonly valueEnd: number;
  /** False when the closing delimiter is missing (then value runs to the end of the line). */
  closed: boolean;
  /** Letters right after the closing delimiter (regex flags, the cpe `a`); "" when none. */
  flags: string;
  flagsSpan: Span;
  /** The whole field from its letters to the end of its flags. */
  span: Span;
}

export type LineKind =
  | 'blank'
  | 'comment'
  | 'Exclude'
  | 'Probe'
  | 'match'
  | 'softmatch'
  | 'ports'
  | 'sslports'
  | 'rarity'
  | 'totalwaitms'
  | 'tcpwrappedms'
  | 'fallback'
  | 'unknown';

interface DirectiveBase {
  /** 0-based line number. */
  line: number;
  /** The whole line, without its line terminator. */
  span: Span;
  /** The directive's keyword ("match", "ports", …). */
  keywordSpan: Span;
}

/** A port or an inclusive range of ports, as written in ports/sslports/Exclude. */
export interface PortRange {
  /** Protocol qualifier from an Exclude spec (`T:`, `U:`, `S:`), if any. */
  protocol?: 'T' | 'U' | 'S';
  start: number;
  end: number;
  span: Span;
}

export interface ExcludeDirective extends DirectiveBase {
  kind: 'Exclude';
  ranges: PortRange[];
}

export interface ProbeDirective extends DirectiveBase {
  kind: 'Probe';
  /** Undefined when the protocol is missing or not TCP/UDP (a diagnostic says so). */
  protocol?: 'TCP' | 'UDP';
  protocolSpan?: Span;
  name: string;
  nameSpan: Span;
  probeString?: DelimitedField;
  /**
   * The probe string's bytes after nmap's C-style unescaping (cstring_unescape), as a binary
   * string: one char per byte, 0x00–0xFF. Undefined when the escaping is bad.
   */
  payload?: string;
  noPayloadSpan?: Span;
}

export type VersionFieldName = 'p' | 'v' | 'i' | 'h' | 'o' | 'd' | 'cpe';

export interface VersionField {
  /** Undefined for an unknown field letter (a diagnostic says so). */
  name?: VersionFieldName;
  field: DelimitedField;
}

export interface MatchDirective extends DirectiveBase {
  kind: 'match' | 'softmatch';
  soft: boolean;
  service: string;
  serviceSpan: Span;
  /** The `m<d>…<d>flags` field; undefined when missing. */
  pattern?: DelimitedField;
  caseless: boolean;
  dotall: boolean;
  versionInfo: VersionField[];
  /** The probe this line belongs to (undefined only before the first Probe). */
  probe?: Probe;
}

export interface PortsDirective extends DirectiveBase {
  kind: 'ports' | 'sslports';
  ranges: PortRange[];
}

export interface NumberDirective extends DirectiveBase {
  kind: 'rarity' | 'totalwaitms' | 'tcpwrappedms';
  /** The value as nmap reads it (atoi/strtol of the text); undefined when there is no number. */
  value?: number;
  valueSpan: Span;
}

export interface FallbackDirective extends DirectiveBase {
  kind: 'fallback';
  names: { name: string; span: Span }[];
}

export interface UnknownDirective extends DirectiveBase {
  kind: 'unknown';
}

export type Directive =
  | ExcludeDirective
  | ProbeDirective
  | MatchDirective
  | PortsDirective
  | NumberDirective
  | FallbackDirective
  | UnknownDirective;

/** A Probe line and every directive up to the next Probe. */
export interface Probe {
  directive: ProbeDirective;
  /** Probe line to the last line of its block (for folding and outline). */
  span: Span;
  matches: MatchDirective[];
  ports: PortsDirective[];
  sslports: PortsDirective[];
  rarity: NumberDirective[];
  totalwaitms: NumberDirective[];
  tcpwrappedms: NumberDirective[];
  fallback: FallbackDirective[];
  /** All directives of the block after the Probe line, in file order. */
  directives: Directive[];
}

export interface ProbesFile {
  text: string;
  lineIndex: LineIndex;
  /** Every non-blank, non-comment line, in file order. */
  directives: Directive[];
  exclude?: ExcludeDirective;
  probes: Probe[];
  /** Spans of comment lines. */
  comments: Span[];
}

export interface ParseResult {
  file: ProbesFile;
  /** Syntax diagnostics (grammar/ only). Semantic and regex checks live in engine/check. */
  diagnostics: Diagnostic[];
}
