// The Chevrotain parser: one instance, built on first use and reused for every document, with
// error recovery on. The grammar is deliberately permissive (a file is lines, each one token of
// its kind whose payload holds its pieces) because nmap's reasons for refusing a line are
// positional and are checked, with nmap's own words, in build-ast.ts.
//
// It is an EmbeddedActionsParser (Chevrotain's performance guide: no CST when the CST is only an
// intermediate): each line's alternative hands its token to the AstBuilder, which builds the
// directive directly. Blank lines are skipped tokens.

import { EmbeddedActionsParser, type IOrAlt, type IRecognitionException, type IToken } from './chevrotain';
import type { AstBuilder } from './build-ast';
import * as T from './tokens';

export class ProbesParser extends EmbeddedActionsParser {
  private builder: AstBuilder | undefined;

  constructor(options: T.BuildOptions = {}) {
    super(T.allTokens, { recoveryEnabled: true, maxLookahead: 1, skipValidations: !options.validate });
    this.performSelfAnalysis();
  }

  /** Parse one document's tokens into `builder`; returns the parser's own errors (none expected). */
  parseInto(tokens: IToken[], builder: AstBuilder): IRecognitionException[] {
    this.input = tokens;
    this.builder = builder;
    try {
      this.file();
      return this.errors;
    } finally {
      // Keep no document alive between calls.
      this.builder = undefined;
      this.input = [];
    }
  }

  /**
   * The alternatives of a line, built once: Chevrotain's performance guide advises caching the
   * array given to OR when the rule runs often (here once per line).
   */
  private lineAlternatives: IOrAlt<void>[] | undefined;

  file = this.RULE('file', () => {
    const alternatives = (this.lineAlternatives ??= [
      { ALT: this.matchLines },
      { ALT: this.probeLine },
      { ALT: this.argsLine },
      { ALT: this.unknownLine },
    ]);
    this.MANY(() => this.OR(alternatives));
  });

  // Every line is one token (see tokens.ts), so a line needs no rule of its own: its alternative
  // consumes it and hands it to the builder, outside Chevrotain's recording phase (which is all
  // ACTION does) and without a new closure per line.

  private readonly matchLine = (): void => {
    const kw = this.CONSUME(T.MatchKeyword);
    if (!this.RECORDING_PHASE) this.builder!.matchLine(kw);
  };

  /**
   * A run of match lines in one alternative: the lines of a probe are mostly consecutive match
   * lines (the NULL probe has thousands), and a repetition here costs each one a look-ahead
   * test instead of a pass through the line alternatives (OR) of the file rule.
   */
  private readonly matchLines = (): void => {
    this.AT_LEAST_ONE(this.matchLine);
  };

  private readonly probeLine = (): void => {
    const kw = this.CONSUME(T.KwProbe);
    if (!this.RECORDING_PHASE) this.builder!.probeLine(kw);
  };

  private readonly argsLine = (): void => {
    const kw = this.CONSUME(T.ArgsKeyword);
    if (!this.RECORDING_PHASE) this.builder!.argsLine(kw);
  };

  private readonly unknownLine = (): void => {
    const t = this.CONSUME(T.UnknownLine);
    if (!this.RECORDING_PHASE) this.builder!.unknownLine(t);
  };
}
