// The one place the service asks for a document's diagnostics. Until engine/check lands this is
// the grammar's parse alone (syntax diagnostics only).
// FIXME: switch to engine/check's checkDocument (all diagnostics) as soon as it exists.

import type { ParseResult } from '../grammar/ast';
import type { Diagnostic } from '../grammar/diagnostic';
import { parse } from '../grammar/index';
import type { Pcre2Version } from '../regex/api';

export function checkText(text: string, _options: { pcre2Version?: Pcre2Version }): { parse: ParseResult; diagnostics: Diagnostic[] } {
  const p = parse(text);
  return { parse: p, diagnostics: p.diagnostics };
}
