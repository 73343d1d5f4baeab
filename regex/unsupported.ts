// What the JS translation of a PCRE2 tree (translate.ts) cannot reproduce: findUnsupported() walks
// the tree once and lists every construct whose JS behaviour would differ from PCRE2's, so the
// editor says "cannot test" instead of giving a silent wrong answer. compile.ts registers it as
// analyze()'s unsupported hook.

import type { Unsupported } from './api';
import type { Backref, Conditional, Group, Node, RegexAst } from './ast';
import { walk } from './ast';
import { charTypeSet, classSet, emptySet, foldAscii, hasAsciiLetter, invert, union } from './translate-sets';
import type { ByteSet } from './translate-sets';

export const UNSUPPORTED_MESSAGE = 'nmap accepts this; the editor cannot test it';

function unsupported(node: { start: number; end: number }, what: string): Unsupported {
  return { offset: node.start, length: Math.max(1, node.end - node.start), message: `${UNSUPPORTED_MESSAGE}: ${what}` };
}

/** Smallest number of bytes a node can match (0 for assertions; back-references count 0). */
export function minLength(node: Node): number {
  switch (node.type) {
    case 'literal': case 'dot': case 'class': return 1;
    case 'charType': return node.kind === 'R' || node.kind === 'X' || node.kind === 'C' || node.kind === 'N' || charTypeSet(node.kind) ? 1 : 0;
    case 'sequence': return node.items.reduce((a, n) => a + minLength(n), 0);
    case 'alternation': return Math.min(...node.alternatives.map(minLength));
    case 'quantified': return node.min === 0 ? 0 : node.min * minLength(node.body);
    case 'group':
      return node.kind === 'capture' || node.kind === 'nonCapture' || node.kind === 'atomic' || node.kind === 'flags' || node.kind === 'branchReset'
        ? minLength(node.body) : 0;
    case 'conditional': return Math.min(minLength(node.yes), node.no ? minLength(node.no) : 0);
    default: return 0;
  }
}

/** Every byte a node could consume (an over-approximation), for caseless back-reference checks. */
function possibleBytes(node: Node): ByteSet {
  let s = emptySet();
  walk(node, (n) => {
    if (n.type === 'literal') { s[n.byte] = 1; if (n.caseless) s = foldAscii(s); }
    else if (n.type === 'class') s = union(s, classSet(n));
    else if (n.type === 'dot' || n.type === 'backref' || n.type === 'subroutine') s = invert(emptySet());
    else if (n.type === 'charType') s = union(s, charTypeSet(n.kind) ?? invert(emptySet()));
  });
  return s;
}

const REPEATED_CAPTURES = 'a repeated group with captures that some repetition may skip';
const MAYBE_UNSET = 'a back-reference to a group that may be unset here';

/**
 * The state of findUnsupported()'s single walk over the tree. Reports come in three lists, kept
 * in the order the checks were historically run (constructs in walk order, back-references into
 * branch-reset groups, then the "certainly set" checks), because the final sort is stable and
 * duplicates are only dropped when adjacent.
 *
 * "Certainly set" groups (a back-reference to a group that may be unset fails in PCRE2 but matches
 * empty in JS) are tracked as counts per group number plus a trail of the increments, so leaving an
 * alternative, an optional repeat or a negative assertion is an undo to a trail mark, and what a
 * sub-tree certainly sets is the trail segment it added.
 */
class UnsupportedWalk {
  /** Constructs reported in walk order; back-references are resolved after the walk. */
  readonly direct: (Unsupported | Backref)[] = [];
  /** Every back-reference, in walk order. */
  readonly backrefs: Backref[] = [];
  /** Repeated-capture and maybe-unset reports, in the order the set analysis meets them. */
  readonly late: Unsupported[] = [];
  /** First capture group of each number (walk order), for caseless back-references. */
  readonly firstGroup: (Group | undefined)[] = [];
  /** Capture numbers met twice (branch reset): JS cannot share a number. */
  readonly shared: boolean[] = [];
  /** Capture numbers in walk order (-1 for a capture without one), for repeated-group bodies. */
  readonly caps: number[] = [];
  /** How many times each group number is on the trail: > 0 means certainly set here. */
  readonly marks: Int32Array;
  readonly trail: number[] = [];

  constructor(groupCount: number) {
    this.marks = new Int32Array(groupCount + 1);
  }

  private mark(n: number): void {
    if (n >= 0 && n < this.marks.length) {
      this.marks[n]++;
      this.trail.push(n);
    }
  }

  private undo(to: number): void {
    const t = this.trail;
    for (let k = t.length - 1; k >= to; k--) this.marks[t[k]]--;
    t.length = to;
  }

  /** True when group n is on the trail segment from `from` on. */
  private setSince(from: number, n: number): boolean {
    const t = this.trail;
    for (let k = from; k < t.length; k++) if (t[k] === n) return true;
    return false;
  }

  /**
   * Visits `node` (pre-order, as ast.ts's walk does, condition assertions included) and returns
   * minLength(node). With `track`, it also runs the "certainly set" analysis, which (like PCRE2's
   * own notion of a group being set) does not look into a conditional's condition.
   */
  visit(node: Node, track: boolean): number {
    switch (node.type) {
      case 'literal': case 'dot': case 'class': return 1;
      case 'charType':
        // Every character type (\\d … \\V, \\R, \\N, \\X, \\C) consumes at least one byte.
        if (node.kind === 'X') this.direct.push(unsupported(node, '\\X (extended grapheme cluster)'));
        return 1;
      case 'sequence': {
        let sum = 0;
        for (const it of node.items) sum += this.visit(it, track);
        return sum;
      }
      case 'alternation': return this.alternation(node.alternatives, track);
      case 'quantified': {
        const c0 = this.caps.length;
        const t0 = this.trail.length;
        const inner = this.visit(node.body, track);
        if (track) {
          // JS clears a repeated group's captures at each iteration and refuses empty iterations;
          // PCRE2 keeps the last value any iteration set. They agree only when every iteration
          // sets every capture inside and no iteration can be empty.
          if (node.max !== 1 && this.caps.length > c0) {
            let allSet = true;
            for (let k = c0; k < this.caps.length && allSet; k++) if (!this.setSince(t0, this.caps[k])) allSet = false;
            if (!allSet || inner === 0) this.late.push(unsupported(node, REPEATED_CAPTURES));
          }
          if (node.min === 0) this.undo(t0);
        }
        return node.min === 0 ? 0 : node.min * inner;
      }
      case 'group': return this.group(node, track);
      case 'conditional': return this.conditional(node, track);
      case 'backref':
        this.direct.push(node);
        this.backrefs.push(node);
        if (track && !(node.number >= 0 && node.number < this.marks.length && this.marks[node.number] > 0)) {
          this.late.push(unsupported(node, MAYBE_UNSET));
        }
        return 0;
      case 'subroutine':
        this.direct.push(unsupported(node, 'recursion and subroutine calls'));
        return 0;
      case 'keep':
        this.direct.push(unsupported(node, '\\K (match start reset)'));
        return 0;
      case 'verb':
        if (node.name !== 'FAIL' && node.name !== 'F') this.direct.push(unsupported(node, `the (*${node.name}) verb`));
        return 0;
      default:
        return 0;
    }
  }

  /** A group is certainly set after an alternation when every alternative sets it. */
  private alternation(alternatives: Node[], track: boolean): number {
    let min = Infinity;
    if (!track) {
      for (const a of alternatives) min = Math.min(min, this.visit(a, false));
      return min;
    }
    const t0 = this.trail.length;
    let common: number[] | null = null;
    for (const a of alternatives) {
      min = Math.min(min, this.visit(a, true));
      const added = this.trail.slice(t0);
      this.undo(t0);
      common = common === null ? dedupe(added) : common.filter((g) => added.includes(g));
    }
    for (const g of common ?? []) this.mark(g);
    return min;
  }

  private group(node: Group, track: boolean): number {
    if (node.kind === 'capture') {
      const n = node.number;
      if (n !== undefined) {
        if (this.firstGroup[n] === undefined) this.firstGroup[n] = node;
        else this.shared[n] = true;
      }
      this.caps.push(n ?? -1);
    } else if (node.kind === 'nonAtomicLookahead' || node.kind === 'nonAtomicLookbehind') {
      this.direct.push(unsupported(node, 'a non-atomic assertion'));
    }
    const t0 = this.trail.length;
    const inner = this.visit(node.body, track);
    if (track) {
      if (node.kind === 'negativeLookahead' || node.kind === 'negativeLookbehind') this.undo(t0);
      else if (node.kind === 'capture' && node.number !== undefined) this.mark(node.number);
    }
    return node.kind === 'capture' || node.kind === 'nonCapture' || node.kind === 'atomic' || node.kind === 'flags' || node.kind === 'branchReset'
      ? inner : 0;
  }

  /** Certainly set after a conditional: set by both branches (a missing "no" branch sets nothing). */
  private conditional(node: Conditional, track: boolean): number {
    if (node.condition.kind !== 'assert') this.direct.push(unsupported(node, 'a conditional group'));
    if (node.condition.kind === 'assert' || node.condition.kind === 'callout') this.visit(node.condition.assertion, false);
    const t0 = this.trail.length;
    const yes = this.visit(node.yes, track);
    if (!track) return Math.min(yes, node.no ? this.visit(node.no, false) : 0);
    const fromYes = this.trail.slice(t0);
    this.undo(t0);
    if (!node.no) return Math.min(yes, 0);
    const no = this.visit(node.no, true);
    const fromNo = this.trail.slice(t0);
    this.undo(t0);
    for (const g of dedupe(fromYes)) if (fromNo.includes(g)) this.mark(g);
    return Math.min(yes, no);
  }
}

function dedupe(a: number[]): number[] {
  return a.filter((g, i) => a.indexOf(g) === i);
}

/**
 * What the JS translation cannot reproduce, with byte offsets into the pattern. regex-parse's
 * analyze() puts this list into RegexAnalysis.unsupported. One walk over the tree collects
 * everything; only back-references need a look at groups found later (forward references).
 *
 * fast-validate.ts's `mayBeUnsupported` must stay true for every pattern of its subset this can
 * report on (there only the repeated-captures check can fire); test/regex/unsupported.test.ts
 * holds the two together.
 */
export function findUnsupported(ast: RegexAst): Unsupported[] {
  if (ast.mayBeUnsupported === false) return [];
  const w = new UnsupportedWalk(ast.groupCount);
  w.visit(ast.root, true);
  if (w.direct.length === 0 && w.late.length === 0) return [];
  const out: Unsupported[] = [];
  for (const d of w.direct) {
    if (!('type' in d)) { out.push(d); continue; }
    const g = w.firstGroup[d.number];
    if ((ast.names.get(d.name ?? '')?.length ?? 0) > 1) out.push(unsupported(d, 'a back-reference to a duplicated group name'));
    else if (d.caseless && (!g || hasAsciiLetter(possibleBytes(g.body)))) out.push(unsupported(d, 'a caseless back-reference'));
  }
  // Branch-reset groups share numbers, which JS cannot: back-references to them are unsupported.
  for (const b of w.backrefs) if (w.shared[b.number]) out.push(unsupported(b, 'a back-reference into a branch-reset group'));
  for (const u of w.late) out.push(u);
  out.sort((a, b) => a.offset - b.offset);
  return out.filter((u, i) => i === 0 || u.offset !== out[i - 1].offset || u.message !== out[i - 1].message);
}
