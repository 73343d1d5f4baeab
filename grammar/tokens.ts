// The lexer: one Chevrotain multi-mode lexer over the whole file.
//
// nmap's reader (parse_nmap_service_probe_file in service_scan.cc) is line based: it takes each
// line with fgets and classifies it with prefix tests such as strncmp(line, "match ", 6). The root
// mode mirrors that classification at column 0; each directive keyword pushes a mode for the rest
// of its line, and the newline pops it. Delimited fields (`q|…|`, `m|…|si`, `p/…/`, `cpe:/…/a`)
// are custom token patterns carrying a payload, because their delimiter is any character and
// their end depends on it, which a regular expression cannot say.
//
// Every mode ends in a catch-all token, so the lexer never reports an error of its own: what
// nmap refuses is decided in build-ast.ts, with nmap's reasons.

import { createToken, Lexer, type IToken, type TokenType } from './chevrotain';
import { contentEnd, isAlnum, isAlpha, isSpace } from './char-class';

type Matcher = (text: string, offset: number, tokens: IToken[]) => RegExpExecArray | null;

/** What a custom pattern returns: the image plus a payload, as Chevrotain's custom patterns do. */
function hit(text: string, from: number, to: number, payload?: unknown): RegExpExecArray {
  const r = [text.slice(from, to)] as unknown as RegExpExecArray & { payload?: unknown };
  if (payload !== undefined) r.payload = payload;
  return r;
}

function custom(name: string, exec: Matcher, extra: Partial<Parameters<typeof createToken>[0]> = {}): TokenType {
  return createToken({ name, pattern: { exec }, line_breaks: false, ...extra });
}

/**
 * End offset (exclusive) of a token. With positionTracking "onlyOffset" Chevrotain fills only
 * startOffset, so every end is computed here, in one place.
 */
export function tokenEnd(t: IToken): number {
  return t.startOffset + t.image.length;
}

function last(tokens: IToken[]): IToken | undefined {
  return tokens.length ? tokens[tokens.length - 1] : undefined;
}

// ---------------------------------------------------------------------------------------------
// Payloads

/** What nmap would refuse in one delimited field (next_template / setProbeDetails). */
export type FieldProblem =
  /** Letters followed by whitespace or the end of the line: no delimiter at all. */
  | 'bare-word'
  /** `cpe:` not followed by `/` (HEAD nmap refuses; 7.93 accepted any delimiter). */
  | 'cpe-delimiter'
  /** No closing delimiter on the line. */
  | 'unclosed'
  /** More than 3 flag letters, or something other than whitespace right after the flags. */
  | 'flags-too-long'
  /** The last field of the file, with no newline after it: nmap needs whitespace there. */
  | 'no-newline';

export interface FieldPayload {
  /** Up to 3 ASCII letters before the delimiter ("cpe" for `cpe:/`). */
  letters: string;
  /** Offset just after the letters (after the ":" of `cpe:`). */
  lettersEnd: number;
  delimiter: string;
  valueStart: number;
  valueEnd: number;
  closed: boolean;
  /** Flags are [valueEnd + 1, flagsEnd) when closed. */
  flagsEnd: number;
  problem?: FieldProblem;
}

export interface ProtocolPayload {
  protocol?: 'TCP' | 'UDP';
}

export interface NamePayload {
  /** The name itself ends here (the token also holds the one space after it). */
  nameEnd: number;
  /** The name does not start with a letter or digit (setProbeDetails: "bad probe name"). */
  bad: boolean;
  /** No space after the name: nothing can follow it on the line. */
  noSpace: boolean;
}

// ---------------------------------------------------------------------------------------------
// Scanners shared by the custom patterns

/**
 * One template field as next_template() reads it (HEAD): up to 3 letters, then either `cpe:/` or
 * any one delimiter character, the text up to the next occurrence of that character on the line,
 * then up to 3 letters of flags, which must be followed by whitespace.
 * Precondition: text[offset] is not whitespace and offset < stop.
 */
export function scanField(text: string, offset: number, stop: number): [number, FieldPayload] {
  let i = offset;
  while (i < offset + 3 && i < stop && isAlpha(text.charCodeAt(i))) i++;
  const letters = text.slice(offset, i);
  let d = i;
  let problem: FieldProblem | undefined;
  let lettersEnd = i;
  if (letters === 'cpe' && text.charCodeAt(i) === 58 /* : */ && i < stop) {
    d = i + 1;
    lettersEnd = d;
    if (d >= stop || isSpace(text.charCodeAt(d))) {
      return [d, { letters, lettersEnd, delimiter: '', valueStart: d, valueEnd: d, closed: false, flagsEnd: d, problem: 'cpe-delimiter' }];
    }
    // Recover as nmap 7.93 did (any delimiter after "cpe:"), but remember HEAD refuses it.
    if (text.charCodeAt(d) !== 47 /* / */) problem = 'cpe-delimiter';
  } else if (d >= stop || isSpace(text.charCodeAt(d))) {
    return [i, { letters, lettersEnd, delimiter: '', valueStart: i, valueEnd: i, closed: false, flagsEnd: i, problem: 'bare-word' }];
  }
  const delimiter = text[d];
  const dc = text.charCodeAt(d);
  let close = d + 1;
  while (close < stop && text.charCodeAt(close) !== dc) close++;
  if (close >= stop) {
    return [stop, { letters, lettersEnd, delimiter, valueStart: d + 1, valueEnd: stop, closed: false, flagsEnd: stop, problem: problem ?? 'unclosed' }];
  }
  let f = close + 1;
  while (f < close + 4 && f < stop && isAlpha(text.charCodeAt(f))) f++;
  let tokenEnd = f;
  if (f >= text.length) problem ??= 'no-newline';
  else if (!isSpace(text.charCodeAt(f))) {
    problem ??= 'flags-too-long';
    // Recover at the next whitespace, so the following fields are read as nmap 7.93 would.
    while (tokenEnd < stop && !isSpace(text.charCodeAt(tokenEnd))) tokenEnd++;
  }
  return [tokenEnd, { letters, lettersEnd, delimiter, valueStart: d + 1, valueEnd: close, closed: true, flagsEnd: f, problem }];
}

function untilSpace(text: string, from: number, stop: number): number {
  let i = from;
  while (i < stop && !isSpace(text.charCodeAt(i))) i++;
  return i === from ? Math.min(from + 1, stop) : i;
}

// ---------------------------------------------------------------------------------------------
// Tokens of every mode

/** A "\n" at the start of a line: a blank line, or the end of a comment or unknown line. */
export const RootNewline = createToken({ name: 'RootNewline', pattern: /\n/, line_breaks: true });
/** The "\n" ending a directive line; pops back to the root mode. */
export const NewlineEnd = createToken({ name: 'NewlineEnd', pattern: /\n/, line_breaks: true, pop_mode: true });

/** Text from a NUL byte to the end of its line: nmap's C strings end at the NUL, so it never sees it. */
export const NulTail = custom(
  'NulTail',
  (text, offset) => {
    if (text.charCodeAt(offset) !== 0) return null;
    const nl = text.indexOf('\n', offset);
    return hit(text, offset, nl === -1 ? text.length : nl);
  },
  { group: 'nul' },
);

export const Comment = custom(
  'Comment',
  (text, offset) => (text.charCodeAt(offset) === 35 /* # */ ? hit(text, offset, contentEnd(text, offset)) : null),
  { group: 'comments' },
);

/** A line nmap does not recognise (including "\r" alone and lines of spaces: nmap's only blank line is "\n"). */
export const UnknownLine = custom('UnknownLine', (text, offset) => {
  const stop = contentEnd(text, offset);
  return stop > offset ? hit(text, offset, stop) : null;
});

/**
 * A directive keyword at column 0, followed by the single space nmap's strncmp() prefix includes.
 * The token's image holds that space; the keyword span is the word alone.
 */
function keyword(word: string, mode: string): TokenType {
  const prefix = word + ' ';
  return custom(`Kw${word[0].toUpperCase()}${word.slice(1)}`, (text, offset) =>
    text.startsWith(prefix, offset) ? hit(text, offset, offset + prefix.length) : null,
    { push_mode: mode },
  );
}

export const KwProbe = keyword('Probe', 'probe');
export const KwMatch = keyword('match', 'match');
export const KwSoftmatch = keyword('softmatch', 'match');
export const KwPorts = keyword('ports', 'args');
export const KwSslports = keyword('sslports', 'args');
export const KwRarity = keyword('rarity', 'args');
export const KwTotalwaitms = keyword('totalwaitms', 'args');
export const KwTcpwrappedms = keyword('tcpwrappedms', 'args');
export const KwFallback = keyword('fallback', 'args');
export const KwExclude = keyword('Exclude', 'args');

/** Whitespace inside a line (never "\n"). */
export const Spaces = createToken({ name: 'Spaces', pattern: /[ \t\r\v\f]+/, group: Lexer.SKIPPED });

// Probe mode: setProbeDetails reads "TCP " or "UDP ", a name up to the first space, then q<d>…<d>.

export const ProbeProtocol = custom('ProbeProtocol', (text, offset, tokens) => {
  if (last(tokens)?.tokenType !== KwProbe) return null;
  if (text.startsWith('TCP ', offset)) return hit(text, offset, offset + 4, { protocol: 'TCP' } satisfies ProtocolPayload);
  if (text.startsWith('UDP ', offset)) return hit(text, offset, offset + 4, { protocol: 'UDP' } satisfies ProtocolPayload);
  const stop = contentEnd(text, offset);
  let to = untilSpace(text, offset, stop);
  if (to < stop && text.charCodeAt(to) === 32) to++;
  return hit(text, offset, to, {} satisfies ProtocolPayload);
});

export const ProbeName = custom('ProbeName', (text, offset, tokens) => {
  if (last(tokens)?.tokenType !== ProbeProtocol) return null;
  const stop = contentEnd(text, offset);
  const bad = !isAlnum(text.charCodeAt(offset));
  const sp = text.indexOf(' ', offset);
  if (sp === -1 || sp >= stop) return hit(text, offset, stop, { nameEnd: stop, bad, noSpace: true } satisfies NamePayload);
  if (sp === offset) return hit(text, offset, offset + 1, { nameEnd: offset, bad: true, noSpace: false } satisfies NamePayload);
  return hit(text, offset, sp + 1, { nameEnd: sp, bad, noSpace: false } satisfies NamePayload);
});

export const ProbeString = custom('ProbeString', (text, offset, tokens) => {
  const prev = last(tokens);
  if (prev?.tokenType !== ProbeName || (prev.payload as NamePayload).noSpace) return null;
  const stop = contentEnd(text, offset);
  if (text.charCodeAt(offset) !== 113 /* q */) return null;
  const d = offset + 1;
  if (d >= stop) {
    return hit(text, offset, d, { letters: 'q', lettersEnd: d, delimiter: '', valueStart: d, valueEnd: d, closed: false, flagsEnd: d, problem: 'unclosed' } satisfies FieldPayload);
  }
  const dc = text.charCodeAt(d);
  let close = d + 1;
  while (close < stop && text.charCodeAt(close) !== dc) close++;
  const closed = close < stop;
  const to = closed ? close + 1 : stop;
  return hit(text, offset, to, {
    letters: 'q', lettersEnd: d, delimiter: text[d], valueStart: d + 1, valueEnd: closed ? close : stop,
    closed, flagsEnd: to, problem: closed ? undefined : 'unclosed',
  } satisfies FieldPayload);
});

/** What stands where the probe string should be but does not start with "q". */
export const NotProbeString = custom('NotProbeString', (text, offset, tokens) => {
  const prev = last(tokens);
  if (prev?.tokenType !== ProbeName || (prev.payload as NamePayload).noSpace) return null;
  return hit(text, offset, untilSpace(text, offset, contentEnd(text, offset)));
});

/** Any other word on a Probe line (nmap looks only for "no-payload" and ignores the rest). */
export const Word = custom('Word', (text, offset) => {
  const stop = contentEnd(text, offset);
  return offset < stop ? hit(text, offset, untilSpace(text, offset, stop)) : null;
});

// Match mode: InitMatch takes the service name up to the first space, then next_template().

export const ServiceName = custom('ServiceName', (text, offset, tokens) => {
  const prev = last(tokens);
  if (prev === undefined || (prev.tokenType !== KwMatch && prev.tokenType !== KwSoftmatch)) return null;
  if (tokenEnd(prev) !== offset || text.charCodeAt(offset) === 32) return null;
  const stop = contentEnd(text, offset);
  const sp = text.indexOf(' ', offset);
  const noSpace = sp === -1 || sp >= stop;
  return hit(text, offset, noSpace ? stop : sp, { noSpace });
});

export const Field = custom('Field', (text, offset) => {
  const stop = contentEnd(text, offset);
  if (offset >= stop || isSpace(text.charCodeAt(offset))) return null;
  const [to, payload] = scanField(text, offset, stop);
  return hit(text, offset, to, payload);
});

// Args mode: ports, sslports, Exclude, rarity, totalwaitms, tcpwrappedms and fallback take the
// rest of the line as one argument, read by the C function nmap uses (see nmap-readers.ts).

export const Args = custom('Args', (text, offset) => {
  const stop = contentEnd(text, offset);
  return stop > offset ? hit(text, offset, stop) : null;
});

export const lineKeywords = [
  KwProbe, KwMatch, KwSoftmatch, KwPorts, KwSslports, KwRarity, KwTotalwaitms, KwTcpwrappedms, KwFallback, KwExclude,
];

export const allTokens = [
  RootNewline, NewlineEnd, NulTail, Comment, ...lineKeywords, UnknownLine, Spaces,
  ProbeProtocol, ProbeName, ProbeString, NotProbeString, Word, ServiceName, Field, Args,
];

export const probesLexer = new Lexer(
  {
    defaultMode: 'root',
    modes: {
      root: [RootNewline, NulTail, Comment, ...lineKeywords, UnknownLine],
      probe: [NewlineEnd, NulTail, ProbeProtocol, ProbeName, ProbeString, NotProbeString, Spaces, Word],
      match: [NewlineEnd, NulTail, ServiceName, Spaces, Field],
      args: [NewlineEnd, NulTail, Args],
    },
  },
  {
    // Lines and columns come from LineIndex; offsets are all the tree needs.
    positionTracking: 'onlyOffset',
    // Every mode has a catch-all, so the lexer itself never reports errors (nmap's do).
    recoveryEnabled: true,
  },
);
