// The regex layer's facade: everything outside regex/ imports from here (types from ./api).

export * from './api';
export { analyze, parsePattern } from './analyze';
// compile.ts registers the translator's unsupported-construct hook with analyze(); exporting it
// from the facade makes every user of regex/ get the same verdicts (NSP205 included), whatever
// else it happened to import first.
export { compile } from './compile';
export { explainAt } from './explain';
export { regexTokens } from './tokens';
export type { RegexToken, RegexTokenKind } from './tokens';
export type { RegexAst, Node } from './ast';
export type { ParseResult } from './parse';
export type { CompiledDetail } from './compile';
export { prefilterOf, asciiLower } from './sweep-index';
export type { Prefilter } from './sweep-index';
// The sweep's candidate tests, for engine/probe-db.ts's per-probe candidate selection: the anchored
// literal prefix (what every match starts with; `anchoredPrefixEnd` is where its text ended, a live
// binding set by each call), its first byte alone (read from the pattern's first characters) and
// the "cannot match" walk of the rest of a pattern (setSubject first), and the literal run every
// match holds after the prefix (requiredRun).
export {
  anchoredPrefix,
  prefixEnd as anchoredPrefixEnd,
  firstByte as anchoredFirstByte,
  PREFIX_MAX,
  setSubject as setSweepSubject,
  mayMatch as sweepMayMatch,
  mayMatchFrom as sweepMayMatchFrom,
  requiredRun,
} from './sweep-filter';
export { Sweeper } from './sweep';
export type { SweepEntry, SweepHit } from './sweep';
