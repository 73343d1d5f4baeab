// The regex syntax tree: what PCRE2 (byte mode, no UTF) reads in one pattern.
//
// Every node carries `start`/`end`: a half-open range of *byte* offsets into the pattern binary
// string (one char per byte). Flag-dependent meaning is resolved at parse time and stored on the
// node (`caseless` on literals/classes/backrefs, `dotall` on dot, `multiline` on ^ and $, the
// effective greediness of quantifiers after (?U)), so a consumer never has to track (?i) scopes.
//
// Things that do not affect matching — (?#…) comments, the \Q and \E markers, whitespace and
// #-comments under (?x) — are not nodes; they are listed in `RegexAst.trivia`.

export interface NodeBase {
  /** Byte offset of the first byte of this construct in the pattern. */
  start: number;
  /** Byte offset just past the construct. */
  end: number;
}

export type Node =
  | Alternation
  | Sequence
  | Literal
  | Dot
  | Anchor
  | WordBoundary
  | CharType
  | CharClass
  | Quantified
  | Group
  | FlagSet
  | Backref
  | Subroutine
  | Conditional
  | Keep
  | Verb
  | Callout;

/** `a|b|c`: two or more alternatives (each usually a Sequence). */
export interface Alternation extends NodeBase {
  type: 'alternation';
  alternatives: Node[];
}

/** Items matched one after another. An empty sequence matches the empty string. */
export interface Sequence extends NodeBase {
  type: 'sequence';
  items: Node[];
}

/**
 * How a literal byte was written:
 * raw `a`; escaped punctuation `\.`; named escape `\n \t \r \f \a \e`; control `\cX`;
 * octal `\012` / `\0`; octal braces `\o{12}`; hex `\x0d` (0–2 digits); hex braces `\x{d}`;
 * quoted: inside `\Q…\E`.
 */
export type LiteralForm =
  | 'raw'
  | 'escaped'
  | 'named'
  | 'control'
  | 'octal'
  | 'octalBrace'
  | 'hex'
  | 'hexBrace'
  | 'quoted';

/** One byte (0x00–0xFF). */
export interface Literal extends NodeBase {
  type: 'literal';
  byte: number;
  form: LiteralForm;
  /** (?i) or the `i` flag is in force here: ASCII letters match either case. */
  caseless: boolean;
}

/** `.`: any byte but \n, or any byte when dotall is in force. */
export interface Dot extends NodeBase {
  type: 'dot';
  dotall: boolean;
}

/**
 * `^` `$` `\A` `\Z` `\z` `\G`. `multiline` is only true under (?m) (nmap never sets it, but a
 * pattern may): then ^ and $ also match at internal newlines.
 */
export interface Anchor extends NodeBase {
  type: 'anchor';
  kind: '^' | '$' | 'A' | 'Z' | 'z' | 'G';
  multiline: boolean;
}

/** `\b` (negated false) or `\B` (negated true). */
export interface WordBoundary extends NodeBase {
  type: 'wordBoundary';
  negated: boolean;
}

/** Escapes that stand for a set of bytes outside a class (plus \R \X \C \N, which are special). */
export type CharTypeKind =
  | 'd' | 'D' | 'w' | 'W' | 's' | 'S' | 'h' | 'H' | 'v' | 'V'
  /** \R: any newline sequence (\r\n, \n, \x0b, \x0c, \r, \x85); may consume two bytes, never backtracks into \r\n. */
  | 'R'
  /** \N: any byte but \n, regardless of dotall. */
  | 'N'
  /** \X: an extended grapheme cluster (in byte mode: one byte, or \r\n, plus following marks). */
  | 'X'
  /** \C: one code unit, i.e. one byte. */
  | 'C';

export interface CharType extends NodeBase {
  type: 'charType';
  kind: CharTypeKind;
}

export type ClassEscapeKind = 'd' | 'D' | 'w' | 'W' | 's' | 'S' | 'h' | 'H' | 'v' | 'V';

/** A single byte inside a class, with how it was written (as for Literal). */
export interface ClassByte extends NodeBase {
  type: 'byte';
  byte: number;
  form: LiteralForm;
}

export interface ClassRange extends NodeBase {
  type: 'range';
  from: ClassByte;
  to: ClassByte;
}

export interface ClassEscape extends NodeBase {
  type: 'escape';
  kind: ClassEscapeKind;
}

/** `[:alpha:]` or `[:^alpha:]`. */
export interface ClassPosix extends NodeBase {
  type: 'posix';
  name: string;
  negated: boolean;
}

export type ClassItem = ClassByte | ClassRange | ClassEscape | ClassPosix;

/** `[…]` / `[^…]`. */
export interface CharClass extends NodeBase {
  type: 'class';
  negated: boolean;
  items: ClassItem[];
  caseless: boolean;
}

export type QuantifierMode = 'greedy' | 'lazy' | 'possessive';

/** `x*`, `x+?`, `x{2,4}+` … `max` null means unbounded. */
export interface Quantified extends NodeBase {
  type: 'quantified';
  body: Node;
  min: number;
  max: number | null;
  /** The effective mode (after (?U) swapped greedy and lazy). */
  mode: QuantifierMode;
  /** Offset of the quantifier itself (`*`, `{2,4}`, …); it ends at `end`. */
  quantStart: number;
}

export type GroupKind =
  | 'capture'
  | 'nonCapture'
  | 'atomic'
  | 'lookahead'
  | 'negativeLookahead'
  | 'lookbehind'
  | 'negativeLookbehind'
  | 'branchReset'
  /** `(?i:…)`: non-capturing, with a flag change scoped to the group. */
  | 'flags'
  /** `(*napla:…)` / `(?*…)`: non-atomic positive lookahead (PCRE2 ≥ 10.34). */
  | 'nonAtomicLookahead'
  | 'nonAtomicLookbehind';

/** Flag letters PCRE2 accepts in (?…) settings, resolved to on/off changes. */
export interface FlagChanges {
  /** Letters as written, e.g. "i-s" or "^i". */
  text: string;
  caseless?: boolean;
  dotall?: boolean;
  multiline?: boolean;
  extended?: boolean;
  extendedMore?: boolean;
  noAutoCapture?: boolean;
  ungreedy?: boolean;
  dupNames?: boolean;
  /** (?^…) reset imnrsx to off before applying the rest. */
  reset?: boolean;
}

export interface Group extends NodeBase {
  type: 'group';
  kind: GroupKind;
  body: Node;
  /** Capture number (1-based) for kind 'capture'. */
  number?: number;
  /** Group name for named captures `(?<n>…)` `(?'n'…)` `(?P<n>…)`. */
  name?: string;
  /** For kind 'flags'. */
  flags?: FlagChanges;
}

/** Standalone `(?i)` / `(?-s)`: applies from here to the end of the enclosing group (or pattern). */
export interface FlagSet extends NodeBase {
  type: 'flagSet';
  flags: FlagChanges;
  /** Byte offset where the scope ends (the enclosing group's `)` or the pattern end). */
  scopeEnd: number;
}

export type BackrefForm = 'digits' | 'g' | 'gBrace' | 'gRelative' | 'kName' | 'PName' | 'gName';

/** `\1` `\g{2}` `\g{-1}` `\g1` `\k<n>` `\k'n'` `\k{n}` `(?P=n)` `\g{n}`. */
export interface Backref extends NodeBase {
  type: 'backref';
  /** Resolved absolute group number (for a name: the first group with that name). */
  number: number;
  name?: string;
  form: BackrefForm;
  caseless: boolean;
}

/** `(?R)` `(?1)` `(?+1)` `(?-1)` `(?&n)` `(?P>n)` `\g<n>` `\g'1'`: call a group as a subroutine. */
export interface Subroutine extends NodeBase {
  type: 'subroutine';
  /** Resolved absolute group number; 0 = the whole pattern. */
  number: number;
  name?: string;
}

export type Condition =
  | { kind: 'group'; number: number; name?: string; start: number; end: number }
  | { kind: 'recursion'; number: number | null; name?: string; start: number; end: number }
  | { kind: 'define'; start: number; end: number }
  | { kind: 'version'; text: string; start: number; end: number }
  | { kind: 'assert'; assertion: Group; start: number; end: number }
  | { kind: 'callout'; callout: Callout; assertion: Group; start: number; end: number };

/** `(?(cond)yes|no)`. */
export interface Conditional extends NodeBase {
  type: 'conditional';
  condition: Condition;
  yes: Node;
  no: Node | null;
  /** How many top-level branches the group had (PCRE2 refuses more than two; check.ts). */
  branchCount?: number;
}

/** `\K`: reset the reported match start. */
export interface Keep extends NodeBase {
  type: 'keep';
}

/** `(*ACCEPT)` `(*FAIL)` `(*MARK:x)` `(*COMMIT)` …, and leading option settings like `(*UCP)`. */
export interface Verb extends NodeBase {
  type: 'verb';
  name: string;
  arg?: string;
}

/** `(?C)` `(?C12)` `(?C"text")`. */
export interface Callout extends NodeBase {
  type: 'callout';
  number?: number;
  text?: string;
}

/** Bytes that carry no matching meaning, for highlighting and hover. */
export interface Trivia extends NodeBase {
  kind: 'comment' | 'quoteStart' | 'quoteEnd' | 'whitespace' | 'extendedComment';
}

export interface CaptureInfo {
  number: number;
  name?: string;
  start: number;
  end: number;
}

export interface RegexAst {
  root: Node;
  /** Number of capturing groups (highest group number). */
  groupCount: number;
  /** Every capturing group in order of its opening parenthesis. */
  captures: CaptureInfo[];
  /** Group names to numbers (several numbers only under (?J) or (?|…)). */
  names: Map<string, number[]>;
  trivia: Trivia[];
  /**
   * Set by the parser: false when the tree holds none of the constructs findUnsupported()
   * (unsupported.ts) reports on, which then answers without a walk; absent means "walk".
   */
  mayBeUnsupported?: boolean;
}

// Runtime shapes. Every walk over a tree reads `type` on nodes of all kinds at the same place in
// its code; V8 keeps such a read cheap while that place has seen at most four hidden classes and
// turns it into a hash-table lookup beyond that ("megamorphic"), which made the walks over nmap's
// ~97-node patterns cost more than parsing them. So the parser builds every node from one of four
// classes with a fixed field list (a field a kind does not use is undefined): literals (92% of
// the nodes of nmap's patterns, kept small), the containers (sequence, alternation, quantified,
// group, conditional), the other atoms, and the rare rest. The interfaces above stay the
// contract; these factories are the only way parse.ts makes nodes.

class LiteralShape {
  declare type: string; declare start: number; declare end: number;
  declare byte: number; declare form: LiteralForm; declare caseless: boolean;
  constructor(byte: number, form: LiteralForm, caseless: boolean, start: number, end: number) {
    this.type = 'literal'; this.start = start; this.end = end;
    this.byte = byte; this.form = form; this.caseless = caseless;
  }
}

class ContainerShape {
  declare type: string; declare start: number; declare end: number;
  declare items: Node[] | undefined; declare alternatives: Node[] | undefined; declare body: Node | undefined;
  declare min: number | undefined; declare max: number | null | undefined; declare mode: QuantifierMode | undefined;
  declare quantStart: number | undefined; declare kind: GroupKind | undefined; declare number: number | undefined;
  declare name: string | undefined; declare flags: FlagChanges | undefined; declare condition: Condition | undefined;
  declare yes: Node | undefined; declare no: Node | null | undefined; declare branchCount: number | undefined;
  constructor(type: string, start: number, end: number) {
    this.type = type; this.start = start; this.end = end;
    this.items = undefined; this.alternatives = undefined; this.body = undefined;
    this.min = undefined; this.max = undefined; this.mode = undefined; this.quantStart = undefined;
    this.kind = undefined; this.number = undefined; this.name = undefined; this.flags = undefined;
    this.condition = undefined; this.yes = undefined; this.no = undefined; this.branchCount = undefined;
  }
}

class AtomShape {
  declare type: string; declare start: number; declare end: number;
  declare kind: string | undefined; declare dotall: boolean | undefined; declare multiline: boolean | undefined;
  declare negated: boolean | undefined; declare items: ClassItem[] | undefined; declare caseless: boolean | undefined;
  constructor(type: string, start: number, end: number) {
    this.type = type; this.start = start; this.end = end;
    this.kind = undefined; this.dotall = undefined; this.multiline = undefined;
    this.negated = undefined; this.items = undefined; this.caseless = undefined;
  }
}

class RareShape {
  declare type: string; declare start: number; declare end: number;
  declare number: number | undefined; declare name: string | undefined; declare form: BackrefForm | undefined;
  declare caseless: boolean | undefined; declare flags: FlagChanges | undefined; declare scopeEnd: number | undefined;
  declare arg: string | undefined; declare text: string | undefined;
  constructor(type: string, start: number, end: number) {
    this.type = type; this.start = start; this.end = end;
    this.number = undefined; this.name = undefined; this.form = undefined; this.caseless = undefined;
    this.flags = undefined; this.scopeEnd = undefined; this.arg = undefined; this.text = undefined;
  }
}

export function literalNode(byte: number, form: LiteralForm, caseless: boolean, start: number, end: number): Literal {
  return new LiteralShape(byte, form, caseless, start, end) as Literal;
}
export function sequenceNode(items: Node[], start: number, end: number): Sequence {
  const n = new ContainerShape('sequence', start, end);
  n.items = items;
  return n as unknown as Sequence;
}
export function alternationNode(alternatives: Node[], start: number, end: number): Alternation {
  const n = new ContainerShape('alternation', start, end);
  n.alternatives = alternatives;
  return n as unknown as Alternation;
}
export function quantifiedNode(body: Node, min: number, max: number | null, mode: QuantifierMode, quantStart: number, start: number, end: number): Quantified {
  const n = new ContainerShape('quantified', start, end);
  n.body = body; n.min = min; n.max = max; n.mode = mode; n.quantStart = quantStart;
  return n as unknown as Quantified;
}
export function groupNode(kind: GroupKind, body: Node, start: number, end: number, number?: number, name?: string, flags?: FlagChanges): Group {
  const n = new ContainerShape('group', start, end);
  n.kind = kind; n.body = body; n.number = number; n.name = name; n.flags = flags;
  return n as unknown as Group;
}
export function conditionalNode(condition: Condition, yes: Node, no: Node | null, branchCount: number, start: number, end: number): Conditional {
  const n = new ContainerShape('conditional', start, end);
  n.condition = condition; n.yes = yes; n.no = no; n.branchCount = branchCount;
  return n as unknown as Conditional;
}
export function dotNode(dotall: boolean, start: number, end: number): Dot {
  const n = new AtomShape('dot', start, end);
  n.dotall = dotall;
  return n as unknown as Dot;
}
export function anchorNode(kind: Anchor['kind'], multiline: boolean, start: number, end: number): Anchor {
  const n = new AtomShape('anchor', start, end);
  n.kind = kind; n.multiline = multiline;
  return n as unknown as Anchor;
}
export function wordBoundaryNode(negated: boolean, start: number, end: number): WordBoundary {
  const n = new AtomShape('wordBoundary', start, end);
  n.negated = negated;
  return n as unknown as WordBoundary;
}
export function charTypeNode(kind: CharTypeKind, start: number, end: number): CharType {
  const n = new AtomShape('charType', start, end);
  n.kind = kind;
  return n as unknown as CharType;
}
export function classNode(negated: boolean, items: ClassItem[], caseless: boolean, start: number, end: number): CharClass {
  const n = new AtomShape('class', start, end);
  n.negated = negated; n.items = items; n.caseless = caseless;
  return n as unknown as CharClass;
}
export function keepNode(start: number, end: number): Keep {
  return new AtomShape('keep', start, end) as unknown as Keep;
}
export function backrefNode(number: number, name: string | undefined, form: BackrefForm, caseless: boolean, start: number, end: number): Backref {
  const n = new RareShape('backref', start, end);
  n.number = number; n.name = name; n.form = form; n.caseless = caseless;
  return n as unknown as Backref;
}
export function subroutineNode(number: number, name: string | undefined, start: number, end: number): Subroutine {
  const n = new RareShape('subroutine', start, end);
  n.number = number; n.name = name;
  return n as unknown as Subroutine;
}
export function flagSetNode(flags: FlagChanges, scopeEnd: number, start: number, end: number): FlagSet {
  const n = new RareShape('flagSet', start, end);
  n.flags = flags; n.scopeEnd = scopeEnd;
  return n as unknown as FlagSet;
}
export function verbNode(name: string, arg: string | undefined, start: number, end: number): Verb {
  const n = new RareShape('verb', start, end);
  n.name = name; n.arg = arg;
  return n as unknown as Verb;
}
export function calloutNode(number: number | undefined, text: string | undefined, start: number, end: number): Callout {
  const n = new RareShape('callout', start, end);
  n.number = number; n.text = text;
  return n as unknown as Callout;
}

/** Walk every node depth-first (pre-order), including condition assertions. */
export function walk(node: Node, visit: (n: Node) => void): void {
  visit(node);
  switch (node.type) {
    case 'alternation':
      for (const a of node.alternatives) walk(a, visit);
      break;
    case 'sequence':
      for (const a of node.items) walk(a, visit);
      break;
    case 'quantified':
    case 'group':
      walk(node.body, visit);
      break;
    case 'conditional':
      if (node.condition.kind === 'assert' || node.condition.kind === 'callout') walk(node.condition.assertion, visit);
      walk(node.yes, visit);
      if (node.no) walk(node.no, visit);
      break;
    default:
      break;
  }
}
