// regexTokens(): byte ranges of a pattern by kind, for semantic highlighting. Built from the tree
// when PCRE2 accepts the pattern; a pattern it refuses gets a lexical approximation instead.

import type { RegexOptions } from './api';
import type { Node } from './ast';
import { parse } from './parse';

export type RegexTokenKind =
  | 'literal' | 'escape' | 'class' | 'quantifier' | 'group' | 'anchor' | 'backref' | 'flag' | 'comment';

export interface RegexToken { offset: number; length: number; kind: RegexTokenKind }

export function regexTokens(pattern: string, options: RegexOptions): RegexToken[] {
  const r = parse(pattern, options);
  const out: RegexToken[] = [];
  if (r.ast === null) return lexical(pattern);
  const add = (start: number, end: number, kind: RegexTokenKind): void => {
    if (end > start) out.push({ offset: start, length: end - start, kind });
  };
  const visit = (n: Node): void => {
    switch (n.type) {
      case 'literal': add(n.start, n.end, n.form === 'raw' || n.form === 'quoted' ? 'literal' : 'escape'); break;
      case 'dot': case 'charType': add(n.start, n.end, 'escape'); break;
      case 'class': add(n.start, n.end, 'class'); break;
      case 'anchor': case 'wordBoundary': case 'keep': add(n.start, n.end, 'anchor'); break;
      case 'backref': case 'subroutine': add(n.start, n.end, 'backref'); break;
      case 'flagSet': add(n.start, n.end, 'flag'); break;
      case 'verb': case 'callout': add(n.start, n.end, 'flag'); break;
      case 'quantified': visit(n.body); add(n.quantStart, n.end, 'quantifier'); break;
      case 'sequence': for (const i of n.items) visit(i); break;
      case 'alternation':
        n.alternatives.forEach((a, i) => { visit(a); if (i > 0) add(a.start - 1, a.start, 'group'); });
        break;
      case 'group': {
        // The opening "(", "(?:", "(?<name>" … up to the body, and the closing ")".
        const bodyStart = n.body.start;
        add(n.start, Math.max(n.start + 1, bodyStart), 'group');
        visit(n.body);
        add(n.end - 1, n.end, 'group');
        break;
      }
      case 'conditional':
        add(n.start, n.yes.start, 'group');
        if (n.condition.kind === 'assert') visit(n.condition.assertion);
        visit(n.yes);
        if (n.no) visit(n.no);
        add(n.end - 1, n.end, 'group');
        break;
    }
  };
  visit(r.ast.root);
  for (const t of r.ast.trivia) add(t.start, t.end, t.kind === 'whitespace' ? 'literal' : t.kind === 'comment' || t.kind === 'extendedComment' ? 'comment' : 'escape');
  out.sort((a, b) => a.offset - b.offset);
  return out;
}

function lexical(p: string): RegexToken[] {
  const out: RegexToken[] = [];
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '\\') { out.push({ offset: i, length: Math.min(2, p.length - i), kind: 'escape' }); i++; }
    else if ('()|'.includes(c)) out.push({ offset: i, length: 1, kind: 'group' });
    else if ('*+?{}'.includes(c)) out.push({ offset: i, length: 1, kind: 'quantifier' });
    else if ('^$'.includes(c)) out.push({ offset: i, length: 1, kind: 'anchor' });
    else if ('[]'.includes(c)) out.push({ offset: i, length: 1, kind: 'class' });
    else out.push({ offset: i, length: 1, kind: 'literal' });
  }
  return out;
}
