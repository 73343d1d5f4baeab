// The Chevrotain parser: one instance, built once and reused for every document, with error
// recovery on. The grammar is deliberately permissive (each line is a keyword and whatever tokens
// the lexer found on it) because nmap's reasons for refusing a line are positional and are
// checked, with nmap's own words, in build-ast.ts. The CST it builds has one `line` node per
// directive line, in file order.

import { CstParser, type CstNode, type IToken } from './chevrotain';
import * as T from './tokens';

class ProbesParser extends CstParser {
  constructor() {
    super(T.allTokens, { recoveryEnabled: true, maxLookahead: 1 });
    this.performSelfAnalysis();
  }

  file = this.RULE('file', () => {
    this.MANY(() => {
      this.OR([{ ALT: () => this.CONSUME(T.RootNewline) }, { ALT: () => this.SUBRULE(this.line) }]);
    });
  });

  line = this.RULE('line', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.probeLine) },
      { ALT: () => this.SUBRULE(this.matchLine) },
      { ALT: () => this.SUBRULE(this.argsLine) },
      { ALT: () => this.CONSUME(T.UnknownLine) },
    ]);
  });

  probeLine = this.RULE('probeLine', () => {
    this.CONSUME(T.KwProbe);
    this.OPTION(() => this.CONSUME(T.ProbeProtocol));
    this.OPTION2(() => this.CONSUME(T.ProbeName));
    this.OPTION3(() => {
      this.OR([{ ALT: () => this.CONSUME(T.ProbeString) }, { ALT: () => this.CONSUME(T.NotProbeString) }]);
    });
    this.MANY(() => this.CONSUME(T.Word));
    this.OPTION4(() => this.CONSUME(T.NewlineEnd));
  });

  matchLine = this.RULE('matchLine', () => {
    this.OR([{ ALT: () => this.CONSUME(T.KwMatch) }, { ALT: () => this.CONSUME(T.KwSoftmatch) }]);
    this.OPTION(() => this.CONSUME(T.ServiceName));
    this.MANY(() => this.CONSUME(T.Field));
    this.OPTION2(() => this.CONSUME(T.NewlineEnd));
  });

  argsLine = this.RULE('argsLine', () => {
    this.OR([
      { ALT: () => this.CONSUME(T.KwPorts) },
      { ALT: () => this.CONSUME(T.KwSslports) },
      { ALT: () => this.CONSUME(T.KwRarity) },
      { ALT: () => this.CONSUME(T.KwTotalwaitms) },
      { ALT: () => this.CONSUME(T.KwTcpwrappedms) },
      { ALT: () => this.CONSUME(T.KwFallback) },
      { ALT: () => this.CONSUME(T.KwExclude) },
    ]);
    this.OPTION(() => this.CONSUME(T.Args));
    this.OPTION2(() => this.CONSUME(T.NewlineEnd));
  });
}

/** The one parser instance (Chevrotain's advice: build once, reuse by resetting `input`). */
export const probesParser = new ProbesParser();

export interface LineCst extends CstNode {
  children: {
    probeLine?: CstNode[];
    matchLine?: CstNode[];
    argsLine?: CstNode[];
    UnknownLine?: IToken[];
  };
}

export interface FileCst extends CstNode {
  children: { line?: LineCst[]; RootNewline?: IToken[] };
}
