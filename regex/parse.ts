// PCRE2 pattern parser (byte mode, no UTF): pattern binary string → RegexAst, or PCRE2's error.
// Stub signature; the implementation follows.

import type { RegexCompileError, RegexOptions, OctalTrap } from './api';
import type { RegexAst } from './ast';

export interface ParseResult {
  /** The tree; null when PCRE2 refuses the pattern. */
  ast: RegexAst | null;
  /** PCRE2's verdict when it refuses the pattern (code, message, offset exactly as pcre2_compile). */
  error: RegexCompileError | null;
  octalTraps: OctalTrap[];
}

/** Parse `pattern` (a binary string) as pcre2_compile would with nmap's options. Never throws. */
export function parse(pattern: string, options: RegexOptions): ParseResult {
  void pattern;
  void options;
  return { ast: null, error: { ok: false, code: 0, message: 'not implemented', offset: 0 }, octalTraps: [] };
}
