// Translation of a PCRE2 regex AST (byte mode, nmap's options) into a JavaScript RegExp over
// binary strings (one char per byte). The JS pattern uses no `i`, `m`, `s` or `u` flag: every flag
// PCRE2 resolved (the parser stores it on each node) is written out explicitly, so the JS engine's
// own Unicode case folding and line terminators never come into play.
//
// PCRE2 constructs without a JS equivalent are emulated:
// - atomic groups and possessive quantifiers: `(?=(X))\N` (a lookahead is atomic in JS; the
//   back-reference consumes what it matched). N is an extra JS group, so PCRE2's group numbers are
//   mapped to JS group indexes (`groupMap`);
// - `$`, `\Z` (also before a final newline), `\A`, `\z`, `\G` (the start offset, always 0 for nmap);
// - \R (atomic), \h \v \s \N, POSIX classes, caseless letters as two-byte classes.
// Anything whose JS behaviour would differ from PCRE2 is reported by findUnsupported() and the
// translation is not used: a silent wrong answer is worse than "cannot test".

import type { Group, Node, RegexAst } from './ast';
import { charTypeSet, classSet, emitSet, foldAscii, hasAsciiLetter, invert, jsByte, rangeSet } from './translate-sets';

// findUnsupported() lives in unsupported.ts; re-exported for existing importers.
export { findUnsupported, minLength, UNSUPPORTED_MESSAGE } from './unsupported';

export interface Translation {
  /** JS pattern source; use with flags `d` (indices). */
  source: string;
  /** groupMap[n] = JS group indexes standing for PCRE2 group n (several only under (?|…)). */
  groupMap: number[][];
  groupCount: number;
}

const NEWLINE = rangeSet([[0x0a, 0x0a]]);

/** The JS pattern for a PCRE2 AST. Only meaningful when findUnsupported(ast) is empty. */
export function translate(ast: RegexAst): Translation {
  const groupMap: number[][] = Array.from({ length: ast.groupCount + 1 }, () => []);
  groupMap[0] = [0];
  let js = 0;
  const atomic = (inner: () => string): string => {
    const n = ++js;
    const body = inner();
    return `(?=(${body}))\\${n}(?:)`;
  };
  const emit = (node: Node): string => {
    switch (node.type) {
      case 'sequence': return node.items.map(emit).join('');
      case 'alternation': return node.alternatives.map(emit).join('|');
      case 'literal':
        return node.caseless && hasAsciiLetter(rangeSet([[node.byte, node.byte]]))
          ? emitSet(foldAscii(rangeSet([[node.byte, node.byte]])))
          : jsByte(node.byte);
      case 'dot': return node.dotall ? '[^]' : emitSet(invert(NEWLINE));
      case 'class': return emitSet(classSet(node));
      case 'charType': {
        if (node.kind === 'R') return atomic(() => '\\x0d\\x0a|[\\x0a-\\x0d\\x85]');
        const s = charTypeSet(node.kind);
        return s ? emitSet(s) : '(?!)';
      }
      case 'anchor':
        switch (node.kind) {
          case '^': return node.multiline ? '(?:^|(?<=\\x0a)(?!$))' : '^';
          case '$': return node.multiline ? '(?=\\x0a|$)' : '(?=\\x0a?$)';
          case 'A': case 'G': return '^';
          case 'Z': return '(?=\\x0a?$)';
          case 'z': return '$';
        }
        return '';
      case 'wordBoundary': return node.negated ? '\\B' : '\\b';
      case 'quantified': {
        const q = node.max === null ? (node.min === 0 ? '*' : node.min === 1 ? '+' : `{${node.min},}`)
          : node.min === node.max ? (node.min === 1 ? '' : `{${node.min}}`)
          : node.min === 0 && node.max === 1 ? '?' : `{${node.min},${node.max}}`;
        const body = node.body;
        // An assertion repeated is the assertion at most once (PCRE2 caps its repeat at 1).
        if (body.type === 'group' && /look/.test(body.kind)) {
          return node.min === 0 ? '' : emit(body);
        }
        if (node.mode === 'possessive') return atomic(() => `(?:${emit(body)})${q}`);
        return `(?:${emit(body)})${q}${node.mode === 'lazy' && q !== '' ? '?' : ''}`;
      }
      case 'group':
        switch (node.kind) {
          case 'capture': {
            const n = ++js;
            groupMap[node.number!].push(n);
            return `(${emit(node.body)})`;
          }
          case 'nonCapture': case 'flags': case 'branchReset': return `(?:${emit(node.body)})`;
          case 'atomic': return atomic(() => emit(node.body));
          case 'lookahead': return `(?=${emit(node.body)})`;
          case 'negativeLookahead': return `(?!${emit(node.body)})`;
          case 'lookbehind': return `(?<=${emit(node.body)})`;
          case 'negativeLookbehind': return `(?<!${emit(node.body)})`;
          default: return '(?!)';
        }
      case 'backref': {
        const target = groupMap[node.number]?.[0];
        return target === undefined ? '(?!)' : `\\${target}(?:)`;
      }
      case 'conditional': {
        if (node.condition.kind !== 'assert') return '(?!)';
        const a = node.condition.assertion;
        const yes = emit(node.yes);
        const positive = emit(a);
        const negated = a.kind === 'lookahead' ? `(?!${emitBodyAgain(a)})` : a.kind === 'negativeLookahead' ? `(?=${emitBodyAgain(a)})`
          : a.kind === 'lookbehind' ? `(?<!${emitBodyAgain(a)})` : `(?<=${emitBodyAgain(a)})`;
        const no = node.no ? emit(node.no) : '';
        return `(?:${positive}${yes}|${negated}${no})`;
      }
      case 'verb': return node.name === 'FAIL' || node.name === 'F' ? '(?!)' : '';
      default:
        // flagSet (resolved on nodes), callouts (ignored without a callout function, as in nmap).
        return '';
    }
  };
  // The negated copy of a condition must not create JS groups of its own numbering PCRE2 groups.
  const emitBodyAgain = (g: Group): string => {
    const saved = js;
    const savedMap = groupMap.map((a) => a.slice());
    const s = emit(g.body).replace(/\((?!\?)/g, '(?:');
    js = saved;
    groupMap.splice(0, groupMap.length, ...savedMap);
    return s;
  };
  const source = emit(ast.root);
  return { source, groupMap, groupCount: ast.groupCount };
}
