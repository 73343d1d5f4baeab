// The public contract of regex/. Everything else in the project uses these types only
// (through regex/index.ts), never the parser's internals.
//
// Patterns and subjects are *binary strings*: one char per byte (0x00–0xFF). A pattern taken from
// the UTF-8 probes file must be converted with toBinaryString() first, because PCRE2 in byte mode
// sees a raw "é" as the two bytes C3 A9. All offsets in this API are byte offsets into the pattern.

export type Pcre2Version = '10.42' | '10.47';

/** nmap's version when none is chosen: the PCRE2 that nmap 7.99+ bundles. */
export const DEFAULT_PCRE2_VERSION: Pcre2Version = '10.47';

export interface RegexOptions {
  /** PCRE2_CASELESS: the `i` flag. */
  caseless: boolean;
  /** PCRE2_DOTALL: the `s` flag. */
  dotall: boolean;
  version?: Pcre2Version;
}

/** A pattern PCRE2 refuses: its error code, message and offset exactly as pcre2_compile gives them. */
export interface RegexCompileError {
  ok: false;
  /** PCRE2's error number (e.g. 114 "missing closing parenthesis"). */
  code: number;
  message: string;
  /** PCRE2's error offset, in bytes of the pattern. */
  offset: number;
}

/** Something nmap accepts but the JavaScript translation cannot reproduce faithfully. */
export interface Unsupported {
  offset: number;
  length: number;
  message: string;
}

/** A `\0` followed by an octal digit: PCRE2 reads `\00` as one NUL, not NUL + "0". */
export interface OctalTrap {
  offset: number;
  length: number;
  /** The bytes PCRE2 reads, as a binary string. */
  reads: string;
}

export interface RegexAnalysis {
  ok: true;
  /** Number of capturing groups (what `$N` may refer to). */
  groupCount: number;
  /** PCRE2_INFO_MATCHEMPTY: the pattern can match the empty string (nmap refuses it). */
  matchesEmpty: boolean;
  octalTraps: OctalTrap[];
  /** Constructs the JS translation cannot run; empty when the pattern is fully testable. */
  unsupported: Unsupported[];
}

export type AnalyzeResult = RegexAnalysis | RegexCompileError;

/** Outcome of one bounded match. Captures are [start, end) byte offsets, null for unset groups. */
export type MatchOutcome =
  | { kind: 'match'; captures: ([number, number] | null)[] }
  | { kind: 'nomatch' }
  /** nmap's match/depth/heap limits (or our step budget standing for them) were hit: nmap treats it as no match. */
  | { kind: 'limit' }
  /** The pattern uses something we cannot emulate; see RegexAnalysis.unsupported. */
  | { kind: 'unsupported'; message: string };

export interface CompiledRegex {
  readonly analysis: RegexAnalysis;
  /** Match like pcre2_match(…, startoffset 0, options 0) under nmap's limits. Never throws. */
  exec(subject: string): MatchOutcome;
}

export type CompileResult = CompiledRegex | RegexCompileError;
