// Subjects for the differential match tests: one built from a pattern's tree so that it should
// match (choices made by a seeded generator, so the tests are repeatable), and near misses made by
// mutating it. Whether they really match is for PCRE2 to say; the test only compares verdicts.
import type { Node, RegexAst } from '../../regex/ast';
import { charTypeSet, classSet, foldAscii, rangeSet } from '../../regex/translate-sets';
import type { ByteSet } from '../../regex/translate-sets';
import type { MatchOutcome } from '../../regex/api';
import type { Pcre2Match } from '../support/pcre2test';

export function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    return s / 0x100000000;
  };
}

function pick(set: ByteSet, r: () => number): string {
  const members: number[] = [];
  const printable: number[] = [];
  for (let b = 0; b < 256; b++) if (set[b]) { members.push(b); if (b >= 0x20 && b < 0x7f) printable.push(b); }
  const from = printable.length && r() < 0.8 ? printable : members;
  return from.length ? String.fromCharCode(from[Math.floor(r() * from.length)]) : '';
}

export function generate(ast: RegexAst, r: () => number): string {
  const groups = new Map<number, string>();
  const gen = (n: Node, depth: number): string => {
    switch (n.type) {
      case 'literal': {
        const s = n.caseless ? foldAscii(rangeSet([[n.byte, n.byte]])) : rangeSet([[n.byte, n.byte]]);
        return pick(s, r);
      }
      case 'dot': return pick(n.dotall ? rangeSet([[0, 255]]) : rangeSet([[0, 9], [11, 255]]), r);
      case 'class': return pick(classSet(n), r);
      case 'charType': {
        if (n.kind === 'R') return r() < 0.5 ? '\r\n' : '\n';
        const s = charTypeSet(n.kind);
        return s ? pick(s, r) : 'x';
      }
      case 'sequence': return n.items.map((i) => gen(i, depth)).join('');
      case 'alternation': return gen(n.alternatives[Math.floor(r() * n.alternatives.length)], depth);
      case 'quantified': {
        const extra = n.max === null ? Math.floor(r() * 3) : Math.floor(r() * (Math.min(n.max, n.min + 3) - n.min + 1));
        const count = depth > 6 ? n.min : n.min + extra;
        let out = '';
        for (let i = 0; i < Math.min(count, 300); i++) out += gen(n.body, depth + 1);
        return out;
      }
      case 'group': {
        if (n.kind.includes('look')) return '';
        const s = gen(n.body, depth);
        if (n.kind === 'capture' && n.number !== undefined) groups.set(n.number, s);
        return s;
      }
      case 'backref': return groups.get(n.number) ?? '';
      case 'anchor': return n.kind === '$' && r() < 0.2 ? '\n' : '';
      case 'conditional': return gen(r() < 0.5 ? n.yes : n.no ?? n.yes, depth);
      default: return '';
    }
  };
  return gen(ast.root, 0);
}

/** Small edits of a subject: drop, double, change a byte, cut the end, add a newline or a prefix. */
export function mutate(s: string, r: () => number): string {
  const i = Math.floor(r() * Math.max(1, s.length));
  switch (Math.floor(r() * 7)) {
    case 0: return s.slice(0, i) + s.slice(i + 1);
    case 1: return s.slice(0, i) + s[i] + s.slice(i);
    case 2: return s.slice(0, i) + String.fromCharCode(Math.floor(r() * 256)) + s.slice(i + 1);
    case 3: return s.slice(0, i);
    case 4: return s + '\n';
    case 5: return 'x' + s;
    default: return s.slice(0, i) + (s[i] ?? '').replace(/[a-z]/, (c) => c.toUpperCase()) + s.slice(i + 1);
  }
}

/** "" when the verdicts agree, else a readable difference. */
export function compareOutcome(ours: MatchOutcome, theirs: Pcre2Match): string {
  if (theirs.limit) return ours.kind === 'match' ? `pcre2: limit, ours: match` : '';
  if (ours.kind === 'limit') return theirs.matched ? 'ours: limit, pcre2: match' : '';
  if (ours.kind === 'unsupported') return 'unsupported';
  if (ours.kind === 'nomatch') return theirs.matched ? `pcre2 matched ${JSON.stringify(theirs.captures)}, ours did not` : '';
  if (!theirs.matched) return `ours matched ${JSON.stringify(ours.captures)}, pcre2 did not`;
  const a = JSON.stringify(ours.captures);
  const b = JSON.stringify(theirs.captures);
  return a === b ? '' : `captures differ: ours ${a}, pcre2 ${b}`;
}

