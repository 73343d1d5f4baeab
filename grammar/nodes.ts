// The AST's most numerous nodes as classes: delimited fields (about 50,000 in the corpus) and
// match lines (about 12,000). They implement the interfaces of ast.ts, but keep only what cannot be
// derived (the strings and one or two offsets) and build each `Span` when a consumer reads it
// (prototype getters). The garbage collector copies every object that is still alive when it
// runs, and during a parse nearly all of them are (the tree is the result), so the parse costs
// about as much collection time as the bytes it keeps: one small object per field instead of five
// larger ones roughly halves both.
//
// A span read from these nodes is a fresh object at each read and cannot be assigned: compare
// spans by value, and build a new node rather than moving one.

import type { DelimitedField, MatchDirective, Probe, Span, VersionField, VersionFieldName } from './ast';

/**
 * A delimited field. A version field is its own `VersionField` too (`field` is the node itself and
 * `name` its field name), so the list of a match line's version fields needs no wrapper objects.
 * It keeps offsets into the document text and reads `value` and `flags` from the text when asked:
 * a parse builds about 50,000 fields and most of their values are read once, by one check, or
 * never (the editor asks for the few it shows), so a slice per field made at parse time only cost
 * time and memory the collector had to copy.
 */
export class FieldNode implements DelimitedField, VersionField {
  constructor(
    /** The document text the offsets point into. */
    private readonly text: string,
    readonly letters: string,
    readonly delimiter: string,
    /** Where the letters, and so the field, start. */
    readonly start: number,
    readonly valueStart: number,
    readonly valueEnd: number,
    /** Where the field ends: after its flags when closed, else at valueEnd. */
    readonly end: number,
  ) {}

  get field(): DelimitedField {
    return this;
  }

  /** The version field the letters name; undefined for other letters (and for "m"). */
  get name(): VersionFieldName | undefined {
    return versionFieldName(this.letters);
  }

  get closed(): boolean {
    return this.end > this.valueEnd;
  }

  get value(): string {
    return this.text.slice(this.valueStart, this.valueEnd);
  }

  get flags(): string {
    const from = this.valueEnd + 1;
    const n = this.end - from;
    return n <= 0 ? '' : n === 1 ? this.text[from] : this.text.slice(from, this.end);
  }

  get lettersSpan(): Span {
    return { start: this.start, end: this.start + this.letters.length };
  }

  get valueSpan(): Span {
    return { start: this.valueStart, end: this.valueEnd };
  }

  get flagsSpan(): Span {
    return this.end > this.valueEnd ? { start: this.valueEnd + 1, end: this.end } : { start: this.valueEnd, end: this.valueEnd };
  }

  get span(): Span {
    return { start: this.start, end: this.end };
  }
}

/** The version field a field's letters name (p, v, i, h, o, d, cpe), if any. */
export function versionFieldName(letters: string): VersionFieldName | undefined {
  switch (letters) {
    case 'p': case 'v': case 'i': case 'h': case 'o': case 'd': case 'cpe':
      return letters;
    default:
      return undefined;
  }
}

export class MatchNode implements MatchDirective {
  pattern: DelimitedField | undefined = undefined;
  caseless = false;
  dotall = false;
  /** The service name; it starts right after the keyword's space. */
  service = '';
  versionInfo: VersionField[] = [];
  probe: Probe | undefined = undefined;

  constructor(
    readonly kind: 'match' | 'softmatch',
    readonly soft: boolean,
    readonly line: number,
    /** The line's start, which is where its keyword starts. */
    private readonly lineStart: number,
    /** The line's end, before its terminator. */
    private readonly lineEnd: number,
  ) {}

  get span(): Span {
    return { start: this.lineStart, end: this.lineEnd };
  }

  get keywordSpan(): Span {
    return { start: this.lineStart, end: this.lineStart + (this.soft ? 9 : 5) };
  }

  get serviceSpan(): Span {
    const start = this.lineStart + (this.soft ? 10 : 6);
    return { start, end: start + this.service.length };
  }
}
