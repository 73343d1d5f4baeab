// The one place the service asks for a document's diagnostics: engine/check's checkDocument
// (syntax, regex and file semantics, one per place).

import type { ParseResult } from '../grammar/ast';
import type { Diagnostic } from '../grammar/diagnostic';
import { checkDocument } from '../engine/check/index';
import type { Pcre2Version } from '../regex/api';

export function checkText(text: string, options: { pcre2Version?: Pcre2Version }): { parse: ParseResult; diagnostics: Diagnostic[] } {
  return checkDocument(text, { pcre2Version: options.pcre2Version });
}
