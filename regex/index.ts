// The regex layer's facade: everything outside regex/ imports from here (types from ./api).

export * from './api';
export { analyze, parsePattern } from './analyze';
export { explainAt } from './explain';
export { regexTokens } from './tokens';
export type { RegexToken, RegexTokenKind } from './tokens';
export type { RegexAst, Node } from './ast';
export type { ParseResult } from './parse';
