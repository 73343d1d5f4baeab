// Where each capturing group of a pattern is, so `$N` can show the group it names. A small
// bracket scanner that knows PCRE2's escapes, character classes, `\Q…\E`, comments and which
// `(?…` forms capture; the regex layer stays the authority on validity and the group count.

import type { Span } from '../grammar/ast';

/** Spans (indexes into `pattern`) of capturing groups 1…N, in PCRE2's numbering order. */
export function capturingGroups(pattern: string): Span[] {
  const groups: Span[] = [];
  const stack: (number | -1)[] = [];
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i];
    if (c === '\\') {
      if (pattern[i + 1] === 'Q') {
        const e = pattern.indexOf('\\E', i + 2);
        i = e === -1 ? pattern.length : e + 2;
      } else i += 2;
      continue;
    }
    if (c === '[') {
      i = skipClass(pattern, i);
      continue;
    }
    if (c === '(') {
      if (pattern[i + 1] === '?' && pattern[i + 2] === '#') {
        const e = pattern.indexOf(')', i);
        i = e === -1 ? pattern.length : e + 1;
        continue;
      }
      if (isCapturing(pattern, i)) {
        stack.push(groups.length);
        groups.push({ start: i, end: pattern.length });
      } else stack.push(-1);
      i++;
      continue;
    }
    if (c === ')') {
      const g = stack.pop();
      if (g !== undefined && g !== -1) groups[g].end = i + 1;
    }
    i++;
  }
  return groups;
}

function isCapturing(p: string, i: number): boolean {
  if (p[i + 1] === '*') return false;
  if (p[i + 1] !== '?') return true;
  const rest = p.slice(i + 2, i + 4);
  return (rest[0] === '<' && rest[1] !== '=' && rest[1] !== '!') || rest[0] === "'" || rest === 'P<';
}

function skipClass(p: string, i: number): number {
  let j = i + 1;
  if (p[j] === '^') j++;
  if (p[j] === ']') j++;
  while (j < p.length) {
    if (p[j] === '\\') j += 2;
    else if (p[j] === '[' && p[j + 1] === ':') {
      const e = p.indexOf(':]', j + 2);
      j = e === -1 ? j + 1 : e + 2;
    } else if (p[j] === ']') return j + 1;
    else j++;
  }
  return p.length;
}

/** `$N` references in a versioninfo value: index into the value, the group number, and length. */
export function groupReferences(value: string): { index: number; length: number; group: number }[] {
  const out: { index: number; length: number; group: number }[] = [];
  const re = /\$(\d)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(value))) out.push({ index: m.index, length: 2, group: Number(m[1]) });
  // Helpers name their group as their first argument: $P(3), $SUBST(2,…), $I(1,…).
  const helper = /\$(P|SUBST|I)\((\d+)/g;
  while ((m = helper.exec(value))) {
    const argAt = m.index + m[0].length - m[2].length;
    out.push({ index: argAt, length: m[2].length, group: Number(m[2]) });
  }
  return out.sort((a, b) => a.index - b.index);
}
