// The one place grammar/ loads Chevrotain.
//
// Chevrotain 11 is an ES module whose entry imports its sibling packages (@chevrotain/utils, …),
// which export only an "import" condition. Our tests run TypeScript through tsx as CommonJS, and
// tsx's CommonJS resolver fails on those inner imports (ERR_PACKAGE_PATH_NOT_EXPORTED), although
// plain Node and esbuild load the package fine. The package also ships one self-contained bundle,
// lib/chevrotain.mjs, with no imports at all; loading that file sidesteps the problem everywhere
// (tsx, Node's require(esm), esbuild) and keeps the package's own type declarations.

import type * as Chevrotain from 'chevrotain';
// @ts-expect-error: the bundle file has no declarations of its own; its types are the package's.
import * as bundle from '../node_modules/chevrotain/lib/chevrotain.mjs';

const chevrotain = bundle as typeof Chevrotain;

export const { createToken, Lexer, EmbeddedActionsParser, EOF } = chevrotain;
export type { IOrAlt, IToken, TokenType, ILexingResult, IRecognitionException } from 'chevrotain';
