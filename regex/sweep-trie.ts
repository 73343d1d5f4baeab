// The sweep's candidate selection: a trie of the patterns' anchored literal prefixes, built once per
// pattern set (load work, like the start data pcre2_compile() computes), walked once per subject.
// Each pattern's prefix is `^` then its literal bytes up to the first atom that is not a plain
// literal or is quantified (regex/sweep-filter.ts anchoredPrefix()). The subject is walked down the
// trie one byte per step (an open-addressing hash of (node, byte) edges in one Int32Array, O(1) per
// step); the patterns whose prefix ends at a visited node are exactly those whose whole prefix the
// subject holds at offset 0, and every other prefixed pattern is ruled out without being looked at.
// Caseless patterns live under a second root, their prefixes ASCII-lowercased and walked with the
// lowercased subject byte (PCRE2's caseless pairs in byte mode are only ASCII letters). Patterns
// without a usable prefix (no leading `^`, a top-level `|`, an unclear scan) form one list that is
// a candidate for every subject. Lists are in file order; the caller filters and sorts.

import { anchoredPrefix, prefixEnd, PREFIX_MAX, requiredRun } from './sweep-filter';

export interface PrefixedEntry {
  pattern: string;
  caseless: boolean;
}

const EXACT_ROOT = 0;
const CASELESS_ROOT = 1;
/** A node where at least this many prefixes end gets its patterns' required runs computed. */
const CROWDED = 8;

export class PrefixTrie {
  /** Per entry: the index in the pattern text where its prefix ends (-1: no prefix). */
  readonly textEnd: Int32Array;
  /** Per entry: the prefix length in bytes (the subject offset the rest of the pattern starts at). */
  readonly depth: Int32Array;
  /**
   * Per entry: a literal run every match holds after its prefix ('' when none is known; ASCII-
   * lowercased under caseless), the analogue of PCRE2's required code unit, found once at load.
   */
  readonly run: string[];
  /** Entries without a prefix, in file order. */
  readonly rest: Int32Array;
  /** Edge hash: key (node * 256 + byte + 1, 0 = empty slot) and child node. */
  private readonly keys: Int32Array;
  private readonly child: Int32Array;
  private readonly mask: number;
  private readonly shift: number;
  /** Entries whose prefix ends at node v: list[start[v] ..< start[v + 1]], in file order. */
  private readonly start: Int32Array;
  private readonly list: Int32Array;
  readonly nodes: number;

  constructor(entries: readonly PrefixedEntry[]) {
    const n = entries.length;
    const textEnd = new Int32Array(n);
    const depth = new Int32Array(n);
    // One pass reads every prefix into `bytes` (entry i's at off[i] ..< off[i] + depth[i]).
    let bytes = new Uint8Array(n * 16 + PREFIX_MAX);
    const off = new Int32Array(n);
    const run: string[] = new Array(n);
    let total = 0;
    let restCount = 0;
    for (let i = 0; i < n; i++) {
      const e = entries[i];
      if (total + PREFIX_MAX > bytes.length) { const grown = new Uint8Array(bytes.length * 2); grown.set(bytes); bytes = grown; }
      const len = anchoredPrefix(e.pattern, e.caseless, bytes, total);
      off[i] = total;
      depth[i] = len;
      run[i] = '';
      if (len < 0) { textEnd[i] = -1; restCount++; }
      else { textEnd[i] = prefixEnd; total += len; }
    }
    // The edge table, kept at most half full (grown by rehashing: far fewer edges than prefix
    // bytes, since prefixes share their starts).
    let bits = 12;
    while (1 << bits < n * 2 && bits < 20) bits++;
    let cap = 1 << bits;
    let keys = new Int32Array(cap);
    let child = new Int32Array(cap);
    let shift = 32 - bits;
    const terminal = new Int32Array(n);
    const rest = new Int32Array(restCount);
    let nodes = 2;
    let r = 0;
    for (let i = 0; i < n; i++) {
      const len = depth[i];
      if (len < 0) { rest[r++] = i; terminal[i] = -1; continue; }
      let v = entries[i].caseless ? CASELESS_ROOT : EXACT_ROOT;
      for (let k = off[i], end = k + len; k < end; k++) {
        const key = v * 256 + bytes[k] + 1;
        let h = Math.imul(key, 0x9e3779b1) >>> shift;
        let got = keys[h];
        while (got !== key && got !== 0) { h = (h + 1) & (cap - 1); got = keys[h]; }
        if (got === 0) {
          keys[h] = key;
          child[h] = nodes++;
          if ((nodes - 2) * 2 > cap) {
            // Rehash into a table twice the size.
            const oldKeys = keys;
            const oldChild = child;
            bits++; cap <<= 1; shift--;
            keys = new Int32Array(cap);
            child = new Int32Array(cap);
            for (let j = 0; j < oldKeys.length; j++) {
              const kk = oldKeys[j];
              if (kk === 0) continue;
              let hh = Math.imul(kk, 0x9e3779b1) >>> shift;
              while (keys[hh] !== 0) hh = (hh + 1) & (cap - 1);
              keys[hh] = kk;
              child[hh] = oldChild[j];
            }
            v = nodes - 1;
            continue;
          }
        }
        v = child[h];
      }
      terminal[i] = v;
    }
    // Counting sort of the entries by terminal node; iterating in file order keeps each list sorted.
    const start = new Int32Array(nodes + 1);
    for (let i = 0; i < n; i++) if (terminal[i] >= 0) start[terminal[i] + 1]++;
    for (let v = 0; v < nodes; v++) start[v + 1] += start[v];
    const fill = start.slice(0, nodes);
    const list = new Int32Array(start[nodes]);
    for (let i = 0; i < n; i++) if (terminal[i] >= 0) list[fill[terminal[i]]++] = i;
    // Required runs only where many prefixes end at one node (about half the patterns): a pattern
    // alone at its node is collected only when the subject holds its whole (usually long) prefix,
    // and then the text filter alone is cheap enough; this halves the load work.
    for (let v = 0; v < nodes; v++) {
      if (start[v + 1] - start[v] < CROWDED) continue;
      for (let j = start[v]; j < start[v + 1]; j++) {
        const i = list[j];
        run[i] = requiredRun(entries[i].pattern, entries[i].caseless, textEnd[i]);
      }
    }
    this.textEnd = textEnd;
    this.run = run;
    this.depth = depth;
    this.rest = rest;
    this.keys = keys;
    this.child = child;
    this.mask = cap - 1;
    this.shift = shift;
    this.start = start;
    this.list = list;
    this.nodes = nodes;
  }

  private step(v: number, b: number): number {
    const key = v * 256 + b + 1;
    const keys = this.keys;
    const mask = this.mask;
    let h = Math.imul(key, 0x9e3779b1) >>> this.shift;
    for (;;) {
      const k = keys[h];
      if (k === key) return this.child[h];
      if (k === 0) return -1;
      h = (h + 1) & mask;
    }
  }

  /**
   * Writes to `out` (from index `at`) the entries whose whole prefix the subject starts with, both
   * roots, node by node (file order within a node, not across nodes); returns the new end index.
   */
  collect(subject: string, out: Int32Array, at: number): number {
    const start = this.start;
    const list = this.list;
    const n = subject.length;
    for (let root = EXACT_ROOT; root <= CASELESS_ROOT; root++) {
      let v = root;
      for (let k = 0; ; k++) {
        for (let j = start[v], e = start[v + 1]; j < e; j++) out[at++] = list[j];
        if (k >= n) break;
        let b = subject.charCodeAt(k);
        if (b > 0xff) break; // not a binary string: no pattern byte matches it
        if (root === CASELESS_ROOT && b >= 0x41 && b <= 0x5a) b += 0x20;
        v = this.step(v, b);
        if (v < 0) break;
      }
    }
    return at;
  }
}
