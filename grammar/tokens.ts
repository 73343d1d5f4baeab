// The lexer: one Chevrotain lexer over the whole file, one tokenize() call per document.
//
// nmap's reader (parse_nmap_service_probe_file in service_scan.cc) is line based: it takes each
// line with fgets and classifies it with prefix tests such as strncmp(line, "match ", 6). The
// lexer's one mode mirrors that classification at column 0, and every line is one token up to
// and including its newline: a custom pattern for each directive reads the whole line and carries
// its pieces as the token's payload (the fields of a match line, the pieces of a Probe line, the
// keyword of an argument line). Delimited fields (`q|…|`, `m|…|si`, `p/…/`, `cpe:/…/a`) need
// custom code anyway, because their delimiter is any character and their end depends on it,
// which a regular expression cannot say.
//
// The mode ends in a catch-all token (UnknownLine), so the lexer never reports an error of its
// own: what nmap refuses is decided in build-ast.ts, with nmap's reasons.
//
// Speed (Chevrotain's performance guide): every custom pattern declares `start_chars_hint`, so
// the mode keeps the first-character optimisation (a test builds the lexer with
// `ensureOptimizations` so that losing it fails); blank lines are skipped tokens; one token per
// line means the lexer takes one step per line and the parser one token, and the match line's
// payload is already the AST's list of fields, so nothing is built twice. (Earlier this lexer had
// a mode per kind of line, with a token per piece: building it, with a catch-all token per mode,
// cost more at the first parse than lexing the few Probe and argument lines it served.)

import { createToken, Lexer, type IToken, type TokenType } from './chevrotain';
import { contentEnd, isAlnum, isAlpha, isSpace } from './char-class';
import { FieldNode } from './nodes';

type Matcher = (text: string, offset: number, tokens: IToken[]) => RegExpExecArray | null;

/**
 * What a custom pattern returns: the image plus a payload. Chevrotain reads both right after the
 * call and keeps neither array, so one array is reused for every match instead of one per token.
 */
const result = [''] as unknown as RegExpExecArray & { payload?: unknown };

function hit(text: string, from: number, to: number, payload?: unknown): RegExpExecArray {
  result[0] = text.slice(from, to);
  result.payload = payload;
  return result;
}

/** A match whose image is a known constant (a keyword): no slice of the text to allocate. */
function constant(image: string, payload?: unknown): RegExpExecArray {
  result[0] = image;
  result.payload = payload;
  return result;
}

/**
 * A `start_chars_hint` that admits every character: one code per bucket of Chevrotain's
 * first-character table (codes below 256 each have their own entry, the rest share one per 255).
 * Catch-all patterns need it, or their whole mode loses the first-character optimisation.
 */
const ANY_CHAR: number[] = (() => {
  const out: number[] = [];
  for (let c = 0; c < 256; c++) out.push(c);
  // Above 255 a code's bucket is 255 + floor(c / 255): bucket 255 + k starts at 255k (256 for k = 1).
  // (Computed per bucket, not by walking all 65,536 codes, which cost milliseconds at start-up.)
  for (let k = 1; 255 * k < 65536; k++) out.push(Math.max(256, 255 * k));
  return out;
})();

function custom(name: string, exec: Matcher, hint: (string | number)[], extra: Partial<Parameters<typeof createToken>[0]> = {}): TokenType {
  return createToken({ name, pattern: { exec }, start_chars_hint: hint, line_breaks: false, ...extra });
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

/** A problem of one field, kept beside the field (few fields have one). */
export interface FieldIssue {
  /** Where the field starts. */
  offset: number;
  problem: FieldProblem;
  /** Offset just after the letters, after the ":" of `cpe:`. */
  lettersEnd: number;
  /** Where the field's text ends, before the whitespace its token also holds. */
  textEnd: number;
}

/**
 * The problems of the fields of the document being lexed, in the order of their fields (so by
 * offset): the builder walks it with a cursor as it walks the fields, which costs one comparison
 * per field rather than a lookup. Filled by scanField, read by build-ast.ts, cleared by
 * `resetFieldIssues` before each document.
 */
export const fieldIssues: FieldIssue[] = [];

/**
 * For a delimiter that had no closing match on its line: the next offset where that character
 * occurs at all (text.length when nowhere; -1 when not known). Tokens advance monotonically
 * through a document, so a later search for the same delimiter that starts before that offset has
 * the same answer, and a file of unclosed fields costs one pass per distinct delimiter, not one
 * per field. Codes below 256 (all real delimiters) live in an array, the rest in a map.
 */
const nextBeyondLine = new Int32Array(256).fill(-1);
const nextBeyondLineWide = new Map<number, number>();

export function resetFieldIssues(): void {
  fieldIssues.length = 0;
  nextBeyondLine.fill(-1);
  nextBeyondLineWide.clear();
}

function issue(offset: number, problem: FieldProblem, lettersEnd: number, textEnd: number): void {
  fieldIssues.push({ offset, problem, lettersEnd, textEnd });
}

/** The first occurrence of `delimiter` (code `dc`) at or after `from` and before `stop`; -1 when none. */
function findDelimiter(text: string, delimiter: string, dc: number, from: number, stop: number): number {
  const known = dc < 256 ? nextBeyondLine[dc] : nextBeyondLineWide.get(dc) ?? -1;
  if (known >= from) return known >= stop ? -1 : known;
  const at = text.indexOf(delimiter, from);
  if (at === -1 || at >= stop) {
    const next = at === -1 ? text.length : at;
    if (dc < 256) nextBeyondLine[dc] = next;
    else nextBeyondLineWide.set(dc, next);
    return -1;
  }
  return at;
}

/** The letters of a field, without allocating a string for the usual ones. */
function lettersOf(text: string, offset: number, end: number): string {
  if (end === offset + 1) return text[offset];
  if (end === offset + 3 && text.startsWith('cpe', offset)) return 'cpe';
  return text.slice(offset, end);
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


const TCP: ProtocolPayload = Object.freeze({ protocol: 'TCP' });
const UDP: ProtocolPayload = Object.freeze({ protocol: 'UDP' });
const BAD_PROTOCOL: ProtocolPayload = Object.freeze({});

/** The AST node of a field, built in one place. */
function delimitedField(
  text: string, start: number, letters: string, delimiter: string,
  valueStart: number, valueEnd: number, closed: boolean, flagsEnd: number,
): FieldNode {
  return new FieldNode(text, letters, delimiter, start, valueStart, valueEnd, closed ? flagsEnd : valueEnd);
}

// ---------------------------------------------------------------------------------------------
// Scanners shared by the custom patterns

/** Where the last `scanField` call says its token ends (it returns the field itself). */
let scannedEnd = 0;

/**
 * One template field as next_template() reads it (HEAD): up to 3 letters, then either `cpe:/` or
 * any one delimiter character, the text up to the next occurrence of that character on the line,
 * then up to 3 letters of flags, which must be followed by whitespace. Returns the field; the
 * token's end is left in `scannedEnd`, a problem in `fieldIssues`. The token also holds the
 * whitespace after the field (up to the end of the line), which saves the lexer one step per
 * field; the field's own span stops before it.
 * Precondition: text[offset] is not whitespace and offset < stop.
 */
function scanField(text: string, offset: number, stop: number): FieldNode {
  // The usual field (one letter or "cpe:", a delimiter closed on the line, flags, whitespace) is
  // read here with as little code as possible: this runs for every field, so it is the code the
  // JIT compiles first and hardest. Anything else, or any doubt, goes to scanAnyField, which
  // reads every field (the usual ones included) the same way. `nsp check`'s WebAssembly pass
  // (cli/quick-judge/assembly/index.ts, lineClean) reads fields by these same rules: change both.
  const c0 = text.charCodeAt(offset);
  let d: number;
  let letters: string;
  if (c0 === 99 /* c */ && text.startsWith('cpe:/', offset)) {
    d = offset + 4;
    letters = 'cpe';
  } else if (isAlpha(c0) && !isAlpha(text.charCodeAt(offset + 1))) {
    d = offset + 1;
    letters = text[offset];
  } else return scanAnyField(text, offset, stop);
  if (d >= stop) return scanAnyField(text, offset, stop);
  const dc = text.charCodeAt(d);
  if (isSpace(dc)) return scanAnyField(text, offset, stop);
  const close = findDelimiter(text, text[d], dc, d + 1, stop);
  if (close === -1) return scanAnyField(text, offset, stop);
  let f = close + 1;
  while (f < close + 4 && f < stop && isAlpha(text.charCodeAt(f))) f++;
  if (f >= text.length || !isSpace(text.charCodeAt(f))) return scanAnyField(text, offset, stop);
  scannedEnd = skipSpaces(text, f, stop);
  return new FieldNode(text, letters, text[d], offset, d + 1, close, f);
}

/** scanField for any field, with every problem next_template() can meet. */
function scanAnyField(text: string, offset: number, stop: number): FieldNode {
  let i = offset;
  while (i < offset + 3 && i < stop && isAlpha(text.charCodeAt(i))) i++;
  const letters = lettersOf(text, offset, i);
  let d = i;
  let problem: FieldProblem | undefined;
  let lettersEnd = i;
  if (i - offset === 3 && letters === 'cpe' && text.charCodeAt(i) === 58 /* : */ && i < stop) {
    d = i + 1;
    lettersEnd = d;
    if (d >= stop || isSpace(text.charCodeAt(d))) {
      issue(offset, 'cpe-delimiter', lettersEnd, d);
      scannedEnd = skipSpaces(text, d, stop);
      return delimitedField(text, offset, letters, '', d, d, false, d);
    }
    // Recover as nmap 7.93 did (any delimiter after "cpe:"), but remember HEAD refuses it.
    if (text.charCodeAt(d) !== 47 /* / */) problem = 'cpe-delimiter';
  } else if (d >= stop || isSpace(text.charCodeAt(d))) {
    issue(offset, 'bare-word', lettersEnd, i);
    scannedEnd = skipSpaces(text, i, stop);
    return delimitedField(text, offset, letters, '', i, i, false, i);
  }
  const dc = text.charCodeAt(d);
  const delimiter = text[d];
  const close = findDelimiter(text, delimiter, dc, d + 1, stop);
  if (close === -1) {
    issue(offset, problem ?? 'unclosed', lettersEnd, stop);
    scannedEnd = stop;
    return delimitedField(text, offset, letters, delimiter, d + 1, stop, false, stop);
  }
  let f = close + 1;
  while (f < close + 4 && f < stop && isAlpha(text.charCodeAt(f))) f++;
  let textEnd = f;
  if (f >= text.length) problem ??= 'no-newline';
  else if (!isSpace(text.charCodeAt(f))) {
    problem ??= 'flags-too-long';
    // Recover at the next whitespace, so the following fields are read as nmap 7.93 would.
    while (textEnd < stop && !isSpace(text.charCodeAt(textEnd))) textEnd++;
  }
  if (problem !== undefined) issue(offset, problem, lettersEnd, textEnd);
  scannedEnd = skipSpaces(text, textEnd, stop);
  return delimitedField(text, offset, letters, delimiter, d + 1, close, true, f);
}

/** Past the whitespace at `from`, but never past the line's end. */
function skipSpaces(text: string, from: number, stop: number): number {
  let i = from;
  while (i < stop && isSpace(text.charCodeAt(i))) i++;
  return i;
}

function untilSpace(text: string, from: number, stop: number): number {
  let i = from;
  while (i < stop && !isSpace(text.charCodeAt(i))) i++;
  return i === from ? Math.min(from + 1, stop) : i;
}

// ---------------------------------------------------------------------------------------------
// Tokens of every mode

/**
 * A "\n" at the start of a line: a blank line, or the end of a comment or unknown line. The AST
 * keeps no blank lines, so the parser never needs to see it.
 */
export const RootNewline = createToken({ name: 'RootNewline', pattern: '\n', line_breaks: true, group: Lexer.SKIPPED });

/** Text from a NUL byte to the end of its line: nmap's C strings end at the NUL, so it never sees it. */
export const NulTail = custom(
  'NulTail',
  (text, offset) => {
    if (text.charCodeAt(offset) !== 0) return null;
    const nl = text.indexOf('\n', offset);
    return hit(text, offset, nl === -1 ? text.length : nl);
  },
  [0],
  { group: 'nul' },
);

/** A comment line, with the "\n" ending it (one lexer step per line; `commentEnd` leaves it out). */
export const Comment = custom(
  'Comment',
  (text, offset) => {
    if (text.charCodeAt(offset) !== 35 /* # */) return null;
    const stop = contentEnd(text, offset);
    return hit(text, offset, stop < text.length && text.charCodeAt(stop) === 10 ? stop + 1 : stop);
  },
  ['#'],
  { group: 'comments', line_breaks: true },
);

/** Where a comment ends, before the "\n" its token holds. */
export function commentEnd(text: string, t: IToken): number {
  const e = tokenEnd(t);
  return text.charCodeAt(e - 1) === 10 ? e - 1 : e;
}

/** A line nmap does not recognise (including "\r" alone and lines of spaces: nmap's only blank line is "\n"). */
export const UnknownLine = custom('UnknownLine', (text, offset) => {
  const stop = contentEnd(text, offset);
  return stop > offset ? hit(text, offset, stop) : null;
}, ANY_CHAR);

/** Token categories, so the parser consumes "any match keyword" or "any argument keyword" in one step. */
export const MatchKeyword = createToken({ name: 'MatchKeyword', pattern: Lexer.NA });
export const ArgsKeyword = createToken({ name: 'ArgsKeyword', pattern: Lexer.NA });

/**
 * A line of one of the directives whose argument is the rest of the line (ports, sslports,
 * rarity, totalwaitms, tcpwrappedms, fallback, Exclude), as one token: the keyword, the single
 * space nmap's strncmp() prefix includes, the argument up to the end of the line's content, and
 * the "\n" ending it. Its payload is the keyword; build-ast.ts reads the argument from the text
 * with the C function nmap uses (see nmap-readers.ts).
 */
function argsLine(word: string): TokenType {
  const prefix = word + ' ';
  return custom(`Kw${word[0].toUpperCase()}${word.slice(1)}`, (text, offset) => {
    if (!text.startsWith(prefix, offset)) return null;
    return hit(text, offset, lineTokenEnd(text, contentEnd(text, offset)), word);
  }, [word[0]], { categories: [ArgsKeyword], line_breaks: true });
}

/** Where a token that takes a line's content ending at `stop` ends: after its "\n" if it has one. */
function lineTokenEnd(text: string, stop: number): number {
  return stop < text.length && text.charCodeAt(stop) === 10 ? stop + 1 : stop;
}

/**
 * A whole match or softmatch line, as one token: the keyword and its space, the service name up
 * to the first space (InitMatch), then the delimited fields read one after the other as InitMatch's
 * calls to next_template() read them, to the end of the line, and the "\n" ending it (so the lexer
 * takes one step per line). Its payload is the list of the AST's fields (`FieldNode[]`), undefined
 * when there is none; build-ast.ts reads the service name back from the text. Nine lines in ten
 * are match lines, so this one step instead of a mode with four tokens (keyword, name, fields,
 * newline) is most of the lexer's work saved; the fields themselves were already one token.
 */
function matchLine(word: string): TokenType {
  const prefix = word + ' ';
  const kwLength = prefix.length;
  return custom(`Kw${word[0].toUpperCase()}${word.slice(1)}`, (text, offset) => {
    if (!text.startsWith(prefix, offset)) return null;
    const stop = contentEnd(text, offset);
    let i = offset + kwLength;
    let fields: FieldNode[] | undefined;
    if (i < stop) {
      // The service name runs to the first space; a space right after the keyword means none.
      if (text.charCodeAt(i) !== 32) {
        const sp = findDelimiter(text, ' ', 32, i, stop);
        i = sp === -1 ? stop : sp;
      }
      i = skipSpaces(text, i, stop);
      if (i < stop) fields = scanFields(text, i, stop);
    }
    return hit(text, offset, lineTokenEnd(text, stop), fields);
  }, [word[0]], { categories: [MatchKeyword], line_breaks: true });
}

export const KwMatch = matchLine('match');
export const KwSoftmatch = matchLine('softmatch');
export const KwPorts = argsLine('ports');
export const KwSslports = argsLine('sslports');
export const KwRarity = argsLine('rarity');
export const KwTotalwaitms = argsLine('totalwaitms');
export const KwTcpwrappedms = argsLine('tcpwrappedms');
export const KwFallback = argsLine('fallback');
export const KwExclude = argsLine('Exclude');

/** Whitespace inside a line (never "\n"), which separates the pieces of a Probe line. */
const SPACES = /[ \t\r\v\f]+/y;

/**
 * The first space (the byte strchr(…, ' ') finds) in text[from, stop), or -1. Bounded by the line's
 * end on purpose: an unbounded indexOf would scan the rest of the file for every line without a
 * space, which makes a large file of such lines quadratic.
 */
function spaceBefore(text: string, from: number, stop: number): number {
  for (let i = from; i < stop; i++) if (text.charCodeAt(i) === 32) return i;
  return -1;
}

// Probe mode: setProbeDetails reads "TCP " or "UDP ", a name up to the first space, then q<d>…<d>.

export const ProbeProtocol = custom('ProbeProtocol', (text, offset, tokens) => {
  if (last(tokens)?.tokenType !== KwProbe) return null;
  if (text.startsWith('TCP ', offset)) return constant('TCP ', TCP);
  if (text.startsWith('UDP ', offset)) return constant('UDP ', UDP);
  const stop = contentEnd(text, offset);
  let to = untilSpace(text, offset, stop);
  if (to < stop && text.charCodeAt(to) === 32) to++;
  return hit(text, offset, to, BAD_PROTOCOL);
}, ANY_CHAR);

export const ProbeName = custom('ProbeName', (text, offset, tokens) => {
  if (last(tokens)?.tokenType !== ProbeProtocol) return null;
  const stop = contentEnd(text, offset);
  const bad = !isAlnum(text.charCodeAt(offset));
  const sp = spaceBefore(text, offset, stop);
  if (sp === -1) return hit(text, offset, stop, { nameEnd: stop, bad, noSpace: true } satisfies NamePayload);
  if (sp === offset) return hit(text, offset, offset + 1, { nameEnd: offset, bad: true, noSpace: false } satisfies NamePayload);
  return hit(text, offset, sp + 1, { nameEnd: sp, bad, noSpace: false } satisfies NamePayload);
}, ANY_CHAR);

/** The probe string q<d>…<d>; its payload is the AST's DelimitedField (letters "q", no flags). */
export const ProbeString = custom('ProbeString', (text, offset, tokens) => {
  const prev = last(tokens);
  if (prev?.tokenType !== ProbeName || (prev.payload as NamePayload).noSpace) return null;
  const stop = contentEnd(text, offset);
  if (text.charCodeAt(offset) !== 113 /* q */) return null;
  const d = offset + 1;
  if (d >= stop) return hit(text, offset, d, delimitedField(text, offset, 'q', '', d, d, false, d));
  const dc = text.charCodeAt(d);
  let close = d + 1;
  while (close < stop && text.charCodeAt(close) !== dc) close++;
  const closed = close < stop;
  const to = closed ? close + 1 : stop;
  return hit(text, offset, to, delimitedField(text, offset, 'q', text[d], d + 1, closed ? close : stop, closed, to));
}, ['q']);

/** What stands where the probe string should be but does not start with "q". */
export const NotProbeString = custom('NotProbeString', (text, offset, tokens) => {
  const prev = last(tokens);
  if (prev?.tokenType !== ProbeName || (prev.payload as NamePayload).noSpace) return null;
  return hit(text, offset, untilSpace(text, offset, contentEnd(text, offset)));
}, ANY_CHAR);

/** Any other word on a Probe line (nmap looks only for "no-payload" and ignores the rest). */
export const Word = custom('Word', (text, offset) => {
  const stop = contentEnd(text, offset);
  return offset < stop ? hit(text, offset, untilSpace(text, offset, stop)) : null;
}, ANY_CHAR);

/**
 * The delimited fields of a match line from `from` (not whitespace) to the line's end `stop`: a
 * list of exactly as many elements as fields (it becomes the line's list of version fields, and
 * an array grown by push would keep room for 17).
 */
function scanFields(text: string, from: number, stop: number): FieldNode[] {
  let i = from;
  let n = 0;
  while (i < stop) {
    scratchFields[n++] = scanField(text, i, stop);
    i = scannedEnd;
  }
  const fields = scratchFields.slice(0, n);
  scratchFields.fill(undefined as unknown as FieldNode, 0, n);
  return fields;
}

/** Where scanFields collects a line's fields before copying them out. */
const scratchFields: FieldNode[] = [];

/** The pieces of a Probe line after "Probe ", in order (see `KwProbe`). */
export interface ProbeLinePayload {
  protocol?: IToken;
  name?: IToken;
  /** A ProbeString or a NotProbeString. */
  probeString?: IToken;
  words: IToken[];
}

/** The pieces a Probe line can hold, in the order they are tried at each offset. */
const PROBE_PIECES = [ProbeProtocol, ProbeName, ProbeString, NotProbeString];

/**
 * The pieces of a Probe line from `from` to the line's content end `stop`: at each offset the
 * first of ProbeProtocol, ProbeName, ProbeString, NotProbeString that matches, else whitespace
 * (skipped), else a Word, exactly as a lexer mode listing them in that order would read them
 * (each piece's pattern looks at the pieces before it). They are read here, inside the Probe line's
 * token, rather than by a lexer mode of their own: a Probe line is one line in a hundred, and a
 * mode of four catch-all tokens made building the lexer cost more than lexing every Probe line.
 */
function readProbeLine(text: string, keywordStart: number, from: number, stop: number): ProbeLinePayload {
  const pieces = [{ image: 'Probe ', startOffset: keywordStart, tokenType: KwProbe } as IToken];
  const out: ProbeLinePayload = { words: [] };
  let pos = from;
  while (pos < stop) {
    let type: TokenType = Word;
    let m = null as ReturnType<Matcher>;
    for (const t of PROBE_PIECES) {
      m = (t.PATTERN as { exec: Matcher }).exec(text, pos, pieces);
      if (m) {
        type = t;
        break;
      }
    }
    if (!m) {
      SPACES.lastIndex = pos;
      if (SPACES.test(text)) {
        pos = SPACES.lastIndex;
        continue;
      }
      m = (Word.PATTERN as { exec: Matcher }).exec(text, pos, pieces)!;
    }
    const piece = { image: m[0], startOffset: pos, tokenType: type, payload: (m as { payload?: unknown }).payload } as IToken;
    pieces.push(piece);
    pos += piece.image.length;
    if (type === ProbeProtocol) out.protocol = piece;
    else if (type === ProbeName) out.name = piece;
    else if (type === Word) out.words.push(piece);
    else out.probeString = piece;
  }
  return out;
}

/**
 * A Probe line, as one token up to and including its "\n": setProbeDetails reads "TCP " or
 * "UDP ", a name up to the first space, then q<d>…<d> and optional words. Its payload is the
 * line's pieces (`ProbeLinePayload`).
 */
export const KwProbe: TokenType = custom('KwProbe', (text, offset) => {
  if (!text.startsWith('Probe ', offset)) return null;
  const stop = contentEnd(text, offset);
  // The pieces' patterns use the shared result array: read them all before making this one's.
  const payload = readProbeLine(text, offset, offset + 6, stop);
  return hit(text, offset, lineTokenEnd(text, stop), payload);
}, ['P'], { line_breaks: true });

export const lineKeywords = [
  KwProbe, KwMatch, KwSoftmatch, KwPorts, KwSslports, KwRarity, KwTotalwaitms, KwTcpwrappedms, KwFallback, KwExclude,
];

/** The parser's vocabulary: every token type, the two categories included. */
export const allTokens = [
  MatchKeyword, ArgsKeyword, RootNewline, NulTail, Comment, ...lineKeywords, UnknownLine,
];

export interface BuildOptions {
  /**
   * Run Chevrotain's definition checks and insist on the first-character optimisation in every
   * mode. Off in production (the checks cost time at start-up and the definition is fixed); the
   * grammar tests build with it on, so a change that breaks either fails there.
   */
  validate?: boolean;
}

export function createProbesLexer(options: BuildOptions = {}): InstanceType<typeof Lexer> {
  return new Lexer(
    {
      defaultMode: 'root',
      modes: {
        root: [RootNewline, NulTail, Comment, ...lineKeywords, UnknownLine],
      },
    },
    {
      // Lines and columns come from LineIndex; offsets are all the tree needs.
      positionTracking: 'onlyOffset',
      // Every mode has a catch-all, so the lexer itself never reports errors (nmap's do).
      recoveryEnabled: true,
      skipValidations: !options.validate,
      ensureOptimizations: !!options.validate,
    },
  );
}
