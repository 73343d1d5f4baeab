// The checks pcre2_compile() makes after parse_regex(): check_lookbehinds() (is every lookbehind
// of fixed length in 10.42, of bounded length in 10.47) and then compile_regex(), which refuses
// references to groups that do not exist, conditionals with too many branches, \K inside a
// lookaround, and patterns whose compiled form would be too large. Also resolves group names.

import type { Node, Group } from './ast';
import type { PendingRef } from './parse';
import { sizeError } from './compiled-size';

export interface CheckError { code: number; offset: number }

interface ParserView {
  refs: PendingRef[];
  names: Map<string, number[]>;
  bracount: number;
  hasLookbehind: boolean;
  sawGroupRepeat: boolean;
  sawKeep: boolean;
}

/** Branch length limits [min, max]; max null = unbounded; NaN-free. */
type Len = [number, number | null];

const MAX_VAR_LOOKBEHIND = 255;

export function checkCompiled(ast: { root: Node; groupCount: number }, parser: ParserView, pattern: string, v47: boolean): CheckError | null {
  const patternLength = pattern.length;
  // Fast path: nothing to resolve, no lookbehind, no group repeated more than once (most of
  // nmap's patterns). Without such a repeat no construct compiles to more than 16 code units a
  // pattern byte (a two-byte class `[ab]` is 33 units for 4 bytes; a repeated single item costs a
  // few units whatever its count), so a pattern under 4096 bytes stays under MAX_PATTERN_SIZE.
  if (parser.refs.length === 0 && !parser.hasLookbehind && !parser.sawGroupRepeat && patternLength < 4096) {
    return parser.sawKeep && hasKeepInLookaround(ast.root, false) ? { code: 199, offset: patternLength } : null;
  }
  const refByNode = new Map<object, PendingRef>();
  for (const r of parser.refs) refByNode.set(r.node, r);
  // Resolve names first (the compiler knows every name before it compiles).
  for (const r of parser.refs) {
    if (r.name !== undefined) {
      const nums = parser.names.get(r.name);
      r.number = nums ? nums[0] : -1;
      r.node.number = nums ? nums[0] : 0;
    }
  }
  const groups = new Map<number, Group>();
  collectGroups(ast.root, groups);

  if (parser.hasLookbehind) {
    const err = checkLookbehinds(ast.root, groups, v47, new Set());
    if (err) return err;
  }
  const err = compileCheck(ast.root, parser, refByNode, false, patternLength, v47);
  if (err) return err;
  // pcre2_compile() refuses a pattern whose pre-compile length plus the final OP_END passes
  // MAX_PATTERN_SIZE (compiled-size.ts). 10.42 reports the pattern's length as the offset
  // (cb.erroroffset); 10.47's compile_branch() and final check set offset 0, except when the
  // repeat arithmetic overflows first (no offset set: the pattern's length).
  const size = sizeError(ast.root, pattern, v47);
  if (size !== null) return { code: 120, offset: v47 && size === 'size' ? 0 : patternLength };
  return null;
}

function hasKeepInLookaround(n: Node, inLook: boolean): boolean {
  switch (n.type) {
    case 'keep': return inLook;
    case 'group': {
      const look = n.kind !== 'capture' && n.kind !== 'nonCapture' && n.kind !== 'atomic' && n.kind !== 'flags' && n.kind !== 'branchReset';
      return hasKeepInLookaround(n.body, inLook || look);
    }
    case 'alternation': return n.alternatives.some((a) => hasKeepInLookaround(a, inLook));
    case 'sequence': return n.items.some((a) => hasKeepInLookaround(a, inLook));
    case 'quantified': return hasKeepInLookaround(n.body, inLook);
    case 'conditional':
      return (n.condition.kind === 'assert' && hasKeepInLookaround(n.condition.assertion, inLook)) ||
        hasKeepInLookaround(n.yes, inLook) || (n.no !== null && hasKeepInLookaround(n.no, inLook));
    default: return false;
  }
}

function collectGroups(n: Node, out: Map<number, Group>): void {
  switch (n.type) {
    case 'group':
      if (n.number !== undefined && !out.has(n.number)) out.set(n.number, n);
      collectGroups(n.body, out);
      break;
    case 'alternation': for (const a of n.alternatives) collectGroups(a, out); break;
    case 'sequence': for (const a of n.items) collectGroups(a, out); break;
    case 'quantified': collectGroups(n.body, out); break;
    case 'conditional':
      if (n.condition.kind === 'assert') collectGroups(n.condition.assertion, out);
      collectGroups(n.yes, out);
      if (n.no) collectGroups(n.no, out);
      break;
    default: break;
  }
}

function compileCheck(n: Node, parser: ParserView, refs: Map<object, PendingRef>, inLookaround: boolean, patLen: number, v47: boolean): CheckError | null {
  switch (n.type) {
    case 'backref':
    case 'subroutine': {
      const r = refs.get(n);
      if (r && (r.number < 0 || r.number > parser.bracount)) return { code: 115, offset: r.offset };
      return null;
    }
    case 'keep':
      return inLookaround ? { code: 199, offset: patLen } : null;
    case 'group': {
      const look = n.kind !== 'capture' && n.kind !== 'nonCapture' && n.kind !== 'atomic' && n.kind !== 'flags' && n.kind !== 'branchReset';
      return compileCheck(n.body, parser, refs, inLookaround || look, patLen, v47);
    }
    case 'alternation':
      for (const a of n.alternatives) { const e = compileCheck(a, parser, refs, inLookaround, patLen, v47); if (e) return e; }
      return null;
    case 'sequence':
      for (const a of n.items) { const e = compileCheck(a, parser, refs, inLookaround, patLen, v47); if (e) return e; }
      return null;
    case 'quantified':
      return compileCheck(n.body, parser, refs, inLookaround, patLen, v47);
    case 'conditional': {
      const cond = n.condition;
      if (cond.kind === 'group' || cond.kind === 'recursion') {
        const r = refs.get(cond);
        if (r && (r.number < 0 || r.number > parser.bracount)) return { code: 115, offset: r.offset };
      }
      if (cond.kind === 'assert') {
        const e = compileCheck(cond.assertion, parser, refs, inLookaround, patLen, v47);
        if (e) return e;
      }
      let e = compileCheck(n.yes, parser, refs, inLookaround, patLen, v47);
      if (e) return e;
      if (n.no) { e = compileCheck(n.no, parser, refs, inLookaround, patLen, v47); if (e) return e; }
      const branches = n.branchCount ?? 1;
      if (cond.kind === 'define' && branches > 1) return { code: 154, offset: cond.start + 1 };
      if (cond.kind !== 'define' && branches > 2) return { code: 127, offset: condOffset(n, refs) };
      return null;
    }
    default:
      return null;
  }
}

// compile_branch() reports ERR27 at whatever offset it last read from the parsed pattern: the
// name for a named condition, just inside "(?(" for R and DEFINE, and 0 otherwise (observed).
function condOffset(n: Node & { type: 'conditional' }, refs: Map<object, PendingRef>): number {
  const c = n.condition;
  if (c.kind === 'group' && c.name !== undefined) return refs.get(c)?.offset ?? 0;
  if (c.kind === 'recursion' || c.kind === 'version') return c.start + 1;
  return 0;
}

function checkLookbehinds(n: Node, groups: Map<number, Group>, v47: boolean, seen: Set<number>): CheckError | null {
  switch (n.type) {
    case 'group': {
      if (n.kind === 'lookbehind' || n.kind === 'negativeLookbehind' || n.kind === 'nonAtomicLookbehind') {
        const branches = n.body.type === 'alternation' ? n.body.alternatives : [n.body];
        for (const b of branches) {
          const len = length(b, groups, new Set());
          if (len === null || len[1] === null) return { code: 125, offset: n.start };
          if (!v47 && len[0] !== len[1]) return { code: 125, offset: n.start };
          if (v47 && len[0] !== len[1] && len[1] > MAX_VAR_LOOKBEHIND) return { code: 200, offset: n.start };
          if (len[1] > 65535) return { code: 187, offset: n.start };
        }
      }
      return checkLookbehinds(n.body, groups, v47, seen);
    }
    case 'alternation':
      for (const a of n.alternatives) { const e = checkLookbehinds(a, groups, v47, seen); if (e) return e; }
      return null;
    case 'sequence':
      for (const a of n.items) { const e = checkLookbehinds(a, groups, v47, seen); if (e) return e; }
      return null;
    case 'quantified':
      return checkLookbehinds(n.body, groups, v47, seen);
    case 'conditional': {
      if (n.condition.kind === 'assert') { const e = checkLookbehinds(n.condition.assertion, groups, v47, seen); if (e) return e; }
      const e = checkLookbehinds(n.yes, groups, v47, seen);
      if (e) return e;
      return n.no ? checkLookbehinds(n.no, groups, v47, seen) : null;
    }
    default:
      return null;
  }
}

/** [min, max] bytes a node consumes; null when PCRE2 cannot bound it inside a lookbehind. */
function length(n: Node, groups: Map<number, Group>, active: Set<number>): Len | null {
  switch (n.type) {
    case 'literal': case 'dot': case 'class': return [1, 1];
    case 'charType':
      if (n.kind === 'R' || n.kind === 'X') return null;
      return [1, 1];
    case 'anchor': case 'wordBoundary': case 'keep': case 'verb': case 'callout': case 'flagSet': return [0, 0];
    case 'sequence': {
      let lo = 0; let hi: number | null = 0;
      for (const it of n.items) {
        const l = length(it, groups, active);
        if (l === null) return null;
        lo += l[0];
        hi = hi === null || l[1] === null ? null : hi + l[1];
      }
      return [lo, hi];
    }
    case 'alternation': {
      let lo = Infinity; let hi: number | null = 0;
      for (const a of n.alternatives) {
        const l = length(a, groups, active);
        if (l === null) return null;
        lo = Math.min(lo, l[0]);
        hi = hi === null || l[1] === null ? null : Math.max(hi, l[1]);
      }
      return [lo, hi];
    }
    case 'group':
      if (n.kind === 'lookahead' || n.kind === 'negativeLookahead' || n.kind === 'lookbehind' || n.kind === 'negativeLookbehind' || n.kind === 'nonAtomicLookahead' || n.kind === 'nonAtomicLookbehind') return [0, 0];
      return length(n.body, groups, active);
    case 'quantified': {
      const l = length(n.body, groups, active);
      if (l === null) return null;
      if (n.max === null) return l[1] === 0 ? [0, 0] : null;
      return [l[0] * n.min, l[1] === null ? null : l[1] * n.max];
    }
    case 'backref': {
      const g = groups.get(n.number);
      if (!g || active.has(n.number)) return null;
      active.add(n.number);
      const l = length(g.body, groups, active);
      active.delete(n.number);
      return l && l[0] === l[1] ? l : null;
    }
    case 'subroutine': {
      const g = groups.get(n.number);
      if (!g || active.has(n.number)) return null;
      active.add(n.number);
      const l = length(g.body, groups, active);
      active.delete(n.number);
      return l;
    }
    case 'conditional': {
      const y = length(n.yes, groups, active);
      const no = n.no ? length(n.no, groups, active) : [0, 0] as Len;
      if (y === null || no === null) return null;
      return [Math.min(y[0], no[0]), y[1] === null || no[1] === null ? null : Math.max(y[1], no[1])];
    }
    default: return null;
  }
}
