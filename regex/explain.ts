// explainAt(): hover text for the regex construct at a byte offset — what it means under nmap's
// options here (flags in force included) and the bytes any escape stands for.

import type { RegexOptions } from './api';
import type { Node, ClassItem } from './ast';
import { parse } from './parse';

const TYPE_TEXT: Record<string, string> = {
  d: 'a decimal digit 0-9', D: 'any byte but a digit', w: 'a word byte: ASCII letter, digit or _',
  W: 'any byte but a word byte', s: 'a white-space byte: \\t \\n \\v \\f \\r or space', S: 'any byte but white space',
  h: 'a horizontal space: \\t, space or \\xa0', H: 'any byte but horizontal space',
  v: 'a vertical space: \\n \\v \\f \\r or \\x85', V: 'any byte but vertical space',
  R: 'a newline sequence: \\r\\n, \\n, \\v, \\f, \\r or \\x85', N: 'any byte but \\n', X: 'an extended grapheme cluster', C: 'exactly one byte',
};

function byteText(b: number): string {
  const hex = `\\x${b.toString(16).padStart(2, '0')}`;
  return b >= 0x20 && b < 0x7f ? `"${String.fromCharCode(b)}" (${hex})` : hex;
}

function classItem(i: ClassItem): string {
  switch (i.type) {
    case 'byte': return byteText(i.byte);
    case 'range': return `${byteText(i.from.byte)}-${byteText(i.to.byte)}`;
    case 'escape': return `\\${i.kind}`;
    case 'posix': return `[:${i.negated ? '^' : ''}${i.name}:]`;
  }
}

function describe(n: Node): string {
  switch (n.type) {
    case 'literal': return `Literal byte ${byteText(n.byte)}${n.form !== 'raw' ? `, written as an escape (${n.form})` : ''}${n.caseless && /[a-z]/i.test(String.fromCharCode(n.byte)) ? '; either case (caseless)' : ''}.`;
    case 'dot': return n.dotall ? 'Any byte, newline included (dotall).' : 'Any byte except \\n (add the `s` flag to include it).';
    case 'anchor': return ({ '^': 'Start of the subject.', '$': 'End of the subject, or before a final \\n.', A: 'Start of the subject.', Z: 'End of the subject, or before a final \\n.', z: 'Very end of the subject.', G: 'The position where matching started.' } as Record<string, string>)[n.kind] + (n.multiline ? ' (multiline: also at line breaks)' : '');
    case 'wordBoundary': return n.negated ? 'Not at a word boundary.' : 'A word boundary (between \\w and \\W or an end).';
    case 'charType': return `Matches ${TYPE_TEXT[n.kind] ?? n.kind} (PCRE2's C tables, ASCII only).`;
    case 'class': return `${n.negated ? 'Any byte not in' : 'One byte from'} the set ${n.items.map(classItem).join(' ')}${n.caseless ? ' (caseless)' : ''}.`;
    case 'quantified': {
      const count = n.max === null ? `${n.min} or more times` : n.min === n.max ? `exactly ${n.min} times` : `${n.min} to ${n.max} times`;
      const mode = n.mode === 'greedy' ? 'as many as possible' : n.mode === 'lazy' ? 'as few as possible (lazy)' : 'as many as possible, never giving any back (possessive)';
      return `Repeat the previous item ${count}, ${mode}.`;
    }
    case 'group': {
      const k: Record<string, string> = {
        capture: `Capturing group ${n.number}${n.name ? ` named "${n.name}"` : ''} ($${n.number} in version fields).`,
        nonCapture: 'Non-capturing group.', atomic: 'Atomic group: once it matches, the engine never backtracks into it.',
        lookahead: 'Lookahead: what follows must match; consumes nothing.', negativeLookahead: 'Negative lookahead: what follows must not match.',
        lookbehind: 'Lookbehind: what precedes must match.', negativeLookbehind: 'Negative lookbehind: what precedes must not match.',
        branchReset: 'Branch reset: each alternative numbers its groups from the same number.',
        flags: `Group with options (?${n.flags?.text}) in force inside it.`,
        nonAtomicLookahead: 'Non-atomic lookahead.', nonAtomicLookbehind: 'Non-atomic lookbehind.',
      };
      return k[n.kind];
    }
    case 'flagSet': return `Option setting (?${n.flags.text}): applies from here to the end of the enclosing group.`;
    case 'backref': return `Backreference to group ${n.number}${n.name ? ` ("${n.name}")` : ''}: the same bytes it captured${n.caseless ? ', either case' : ''}.`;
    case 'subroutine': return n.number === 0 ? 'Recursion into the whole pattern.' : `Subroutine call of group ${n.number}.`;
    case 'conditional': return 'Conditional group: the first branch if the condition holds, else the second.';
    case 'keep': return '\\K: forget what matched so far; $0 starts here.';
    case 'verb': return `Backtracking control verb (*${n.name}${n.arg !== undefined ? ':' + n.arg : ''}).`;
    case 'callout': return 'Callout (ignored by nmap).';
    case 'sequence': case 'alternation': return '';
  }
}

/** Hover text for the token at `byteOffset`, or null when there is none (or the pattern is invalid). */
export function explainAt(pattern: string, options: RegexOptions, byteOffset: number): string | null {
  const r = parse(pattern, options);
  if (r.ast === null) return r.error ? `PCRE2 refuses this pattern: ${r.error.message} (at byte ${r.error.offset}).` : null;
  for (const t of r.ast.trivia) {
    if (byteOffset >= t.start && byteOffset < t.end) {
      return t.kind === 'quoteStart' ? '\\Q: everything up to \\E is literal.' : t.kind === 'quoteEnd' ? '\\E: end of a \\Q…\\E literal run.' : 'Comment: ignored.';
    }
  }
  let best: Node | null = null;
  const visit = (n: Node): void => {
    if (byteOffset < n.start || byteOffset >= n.end) return;
    if (n.type !== 'sequence' && n.type !== 'alternation') best = n;
    switch (n.type) {
      case 'sequence': n.items.forEach(visit); break;
      case 'alternation': n.alternatives.forEach(visit); break;
      case 'quantified': if (byteOffset < n.quantStart) visit(n.body); break;
      case 'group': visit(n.body); break;
      case 'conditional':
        if (n.condition.kind === 'assert') visit(n.condition.assertion);
        visit(n.yes); if (n.no) visit(n.no);
        break;
      default: break;
    }
  };
  visit(r.ast.root);
  return best === null ? null : describe(best);
}
