// The AST's most numerous nodes as classes: delimited fields (about 50,000 in the corpus) and
// match lines (about 12,000). They implement the interfaces of ast.ts, but keep their offsets as
// plain number fields and build the `Span` objects only when a consumer reads one (prototype
// getters). A parse of the corpus then allocates one object per field instead of five, and the
// garbage collector, which copies every surviving object of a parse at least once, has that much
// less to copy.
//
// A span read from these nodes is a fresh object at each read: compare spans by value, and
// assign a whole span (the setters keep it) rather than changing one inside.

import type { DelimitedField, MatchDirective, Probe, Span, VersionField } from './ast';

export class FieldNode implements DelimitedField {
  constructor(
    public letters: string,
    public delimiter: string,
    public value: string,
    public closed: boolean,
    public flags: string,
    /** Where the letters start: the field's start. */
    public start: number,
    private valueStart: number,
    private valueEnd: number,
    /** End of the flags (their start when the field is not closed). */
    private flagsEnd: number,
    /** End of the whole field. */
    private end: number,
  ) {}

  get lettersSpan(): Span {
    return { start: this.start, end: this.start + this.letters.length };
  }
  set lettersSpan(s: Span) {
    // Only the start is stored; the end follows from the letters.
    this.start = s.start;
  }

  get valueSpan(): Span {
    return { start: this.valueStart, end: this.valueEnd };
  }
  set valueSpan(s: Span) {
    this.valueStart = s.start;
    this.valueEnd = s.end;
  }

  get flagsSpan(): Span {
    return { start: this.closed ? this.valueEnd + 1 : this.valueEnd, end: this.flagsEnd };
  }
  set flagsSpan(s: Span) {
    this.flagsEnd = s.end;
  }

  get span(): Span {
    return { start: this.start, end: this.end };
  }
  set span(s: Span) {
    this.start = s.start;
    this.end = s.end;
  }
}

export class MatchNode implements MatchDirective {
  pattern: FieldNode | DelimitedField | undefined = undefined;
  caseless = false;
  dotall = false;
  service = '';
  versionInfo: VersionField[] = [];
  probe: Probe | undefined = undefined;
  private serviceStart: number;
  private serviceEnd: number;

  constructor(
    public kind: 'match' | 'softmatch',
    public soft: boolean,
    public line: number,
    private lineStart: number,
    private lineEnd: number,
    /** The keyword's start; its length follows from `soft`. */
    private keywordStart: number,
    /** Where the service name would start: right after the keyword's space. */
    serviceAt: number,
  ) {
    this.serviceStart = this.serviceEnd = serviceAt;
  }

  get span(): Span {
    return { start: this.lineStart, end: this.lineEnd };
  }
  set span(s: Span) {
    this.lineStart = s.start;
    this.lineEnd = s.end;
  }

  get keywordSpan(): Span {
    return { start: this.keywordStart, end: this.keywordStart + (this.soft ? 9 : 5) };
  }
  set keywordSpan(s: Span) {
    this.keywordStart = s.start;
  }

  get serviceSpan(): Span {
    return { start: this.serviceStart, end: this.serviceEnd };
  }
  set serviceSpan(s: Span) {
    this.setService(s.start, s.end);
  }

  /** The service name's range, without building a span. */
  setService(start: number, end: number): void {
    this.serviceStart = start;
    this.serviceEnd = end;
  }
}
