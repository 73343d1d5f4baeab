// Semantic tokens for the parts of regex patterns (from the regex layer's token kinds) and for
// `$N` / helpers in versioninfo. The TextMate grammar colours the rest; these add what only a real
// PCRE2 parser knows (where a class ends, what `\0` reads as).

import type { SemanticTokens } from 'vscode-languageserver-types';
import type { Pcre2Version } from '../regex/api';
import type { AnalyzedDocument } from './document';
import { groupReferences } from './regex-groups';
import { byteToIndexMapper, tokensOf } from './regex-info';
import { overLineLimit } from './line-limit';

export const SEMANTIC_TOKEN_TYPES = [
  'regexp', 'operator', 'keyword', 'string', 'number', 'variable', 'comment', 'function', 'enumMember', 'parameter',
] as const;
export const SEMANTIC_TOKEN_MODIFIERS: string[] = [];
export const SEMANTIC_TOKENS_LEGEND = { tokenTypes: [...SEMANTIC_TOKEN_TYPES], tokenModifiers: SEMANTIC_TOKEN_MODIFIERS };

type TokenType = (typeof SEMANTIC_TOKEN_TYPES)[number];

/** Maps a regex-layer token kind to a token type; kinds are matched by their name's words. */
export function tokenTypeOfKind(kind: string): TokenType {
  const k = kind.toLowerCase();
  if (k.includes('comment')) return 'comment';
  if (k.includes('backref') || k.includes('subroutine')) return 'variable';
  if (k.includes('quant')) return 'number';
  if (k.includes('class') || k.includes('type') || k.includes('posix')) return 'enumMember';
  if (k.includes('group') || k.includes('paren') || k.includes('lookaround') || k.includes('verb') || k.includes('flag') || k.includes('condition')) return 'keyword';
  if (k.includes('anchor') || k.includes('boundary') || k.includes('alternation') || k.includes('dot') || k.includes('keep')) return 'operator';
  if (k.includes('escape') || k.includes('octal') || k.includes('hex')) return 'string';
  return 'regexp';
}

export function getSemanticTokens(
  doc: AnalyzedDocument,
  version?: Pcre2Version,
  lines?: { start: number; end: number },
): SemanticTokens {
  const data: number[] = [];
  const li = doc.parse.file.lineIndex;
  let prevLine = 0;
  let prevChar = 0;
  const push = (line: number, char: number, length: number, type: TokenType) => {
    if (length <= 0) return;
    const dl = line - prevLine;
    data.push(dl, dl === 0 ? char - prevChar : char, length, SEMANTIC_TOKEN_TYPES.indexOf(type), 0);
    prevLine = line;
    prevChar = char;
  };
  for (const p of doc.parse.file.probes) {
    for (const m of p.matches) {
      if (lines && (m.line < lines.start || m.line > lines.end)) continue;
      // nmap refuses an over-long line unread (NSP122); colouring megabytes of it helps nobody.
      if (overLineLimit(m)) continue;
      const lineStart = li.lineStarts[m.line];
      if (m.pattern) {
        const value = m.pattern.value;
        const base = m.pattern.valueSpan.start - lineStart;
        const toks = tokensOf(m, version).slice().sort((a, b) => a.offset - b.offset);
        const indexOf = byteToIndexMapper(value);
        let lastEnd = 0;
        for (const t of toks) {
          const from = indexOf(t.offset);
          const to = indexOf(t.offset + t.length);
          if (from < lastEnd) continue; // overlapping tokens are not allowed in LSP
          push(m.line, base + from, to - from, tokenTypeOfKind(t.kind));
          lastEnd = to;
        }
      }
      for (const vf of m.versionInfo) {
        const base = vf.field.valueSpan.start - lineStart;
        for (const ref of groupReferences(vf.field.value)) push(m.line, base + ref.index, ref.length, 'variable');
      }
    }
  }
  return { data };
}
