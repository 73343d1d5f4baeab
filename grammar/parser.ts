// The Chevrotain parser: one instance, built on first use and reused for every document, with
// error recovery on. The grammar is deliberately permissive (each line is a keyword and whatever
// tokens the lexer found on it) because nmap's reasons for refusing a line are positional and are
// checked, with nmap's own words, in build-ast.ts.
//
// It is an EmbeddedActionsParser (Chevrotain's performance guide: no CST when the CST is only an
// intermediate): each line rule hands its tokens to the AstBuilder, which builds the directive
// directly. Line ends are skipped tokens, because every line begins with a token of its own kind.

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
      { ALT: () => this.SUBRULE(this.probeLine) },
      { ALT: () => this.SUBRULE(this.argsLine) },
      { ALT: () => this.unknownLine() },
    ]);
    this.MANY(() => this.OR(alternatives));
  });

  private unknownLine(): void {
    const t = this.CONSUME(T.UnknownLine);
    this.ACTION(() => this.builder!.unknownLine(t));
  }

  /**
   * A match or softmatch line is one token (see tokens.ts), so it needs no rule of its own: the
   * alternative consumes it and hands it to the builder directly, which spares nine lines in ten
   * the cost of a sub-rule invocation. The builder is called outside Chevrotain's recording phase
   * (which is all ACTION does) without a new closure per line.
   */
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

  private readonly args = (): IToken => this.CONSUME(T.Args);

  probeLine = this.RULE('probeLine', () => {
    const kw = this.CONSUME(T.KwProbe);
    const proto = this.OPTION(() => this.CONSUME(T.ProbeProtocol));
    const name = this.OPTION2(() => this.CONSUME(T.ProbeName));
    const str = this.OPTION3(() => this.OR([{ ALT: () => this.CONSUME(T.ProbeString) }, { ALT: () => this.CONSUME(T.NotProbeString) }]));
    const words: IToken[] = [];
    this.MANY(() => {
      words.push(this.CONSUME(T.Word));
    });
    this.ACTION(() => this.builder!.probeLine(kw, proto, name, str, words));
  });

  argsLine = this.RULE('argsLine', () => {
    const kw = this.CONSUME(T.ArgsKeyword);
    const args = this.OPTION(this.args);
    if (!this.RECORDING_PHASE) this.builder!.argsLine(kw, args);
  });
}
