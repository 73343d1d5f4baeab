// emitSet() (regex/translate-sets.ts) writes a byte set as the JavaScript fragment every
// translation uses. Each set here is checked by what the fragment matches — all 256 one-byte
// subjects through a real RegExp, exactly the members — and by its form: the smaller side of the
// set, ranges in byte order, as a reading of the set one byte at a time writes it.
import { strict as assert } from 'node:assert';
import { emitSet, jsByte } from '../../regex/translate-sets';

/** The set read one byte at a time: the form emitSet must keep. */
function byByte(s: Uint8Array): string {
  let count = 0;
  for (let i = 0; i < 256; i++) count += s[i];
  if (count === 0) return '(?!)';
  if (count === 256) return '[^]';
  if (count === 1) return jsByte(s.indexOf(1));
  const want = count > 128 ? 0 : 1;
  let out = want ? '[' : '[^';
  for (let i = 0; i < 256; i++) {
    if (s[i] !== want) continue;
    let j = i;
    while (j + 1 < 256 && s[j + 1] === want) j++;
    out += jsByte(i) + (j > i + 1 ? '-' + jsByte(j) : j === i + 1 ? jsByte(j) : '');
    i = j;
  }
  return out + ']';
}

function setOf(members: Iterable<number>): Uint8Array {
  const s = new Uint8Array(256);
  for (const b of members) s[b] = 1;
  return s;
}

/** A deterministic generator (no Math.random: a failure must be reproducible). */
function lcg(seed: number): () => number {
  let x = seed >>> 0;
  return () => (x = (Math.imul(x, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

function check(s: Uint8Array): void {
  const text = emitSet(s);
  assert.equal(text, byByte(s), `form of ${text}`);
  const re = new RegExp(`^${text}$`);
  for (let b = 0; b < 256; b++) assert.equal(re.test(String.fromCharCode(b)), s[b] === 1, `byte 0x${b.toString(16)} in ${text}`);
}

describe('regex emitSet: byte sets written as JavaScript', () => {
  it('edge sets: empty, full, one byte, each end, 128 and 129 members, alternating bytes', () => {
    const all = Array.from({ length: 256 }, (_, b) => b);
    for (const members of [
      [], all, [0], [255], [0x41], [0, 255], [0, 1], [254, 255], [0x2d], [0x5c, 0x5d, 0x5e],
      all.slice(0, 128), all.slice(0, 129), all.slice(128), all.slice(127), all.filter((b) => b % 2 === 0),
      all.filter((b) => b % 2 === 1), all.filter((b) => b !== 0x0a), all.filter((b) => b !== 0 && b !== 255),
    ]) check(setOf(members));
  });

  it('5,000 random sets of every density, and runs of every length', () => {
    const rnd = lcg(7);
    for (let k = 0; k < 5000; k++) {
      const density = rnd();
      const s = new Uint8Array(256);
      if (k % 2) {
        for (let b = 0; b < 256; b++) s[b] = rnd() < density ? 1 : 0;
      } else {
        // A few runs, as real classes have ([A-Za-z0-9_], [^\r\n], …).
        for (let r = Math.floor(rnd() * 6); r >= 0; r--) {
          const lo = Math.floor(rnd() * 256);
          const hi = Math.min(255, lo + Math.floor(rnd() * rnd() * 256));
          s.fill(1, lo, hi + 1);
        }
        if (rnd() < 0.3) for (let b = 0; b < 256; b++) s[b] ^= 1;
      }
      check(s);
    }
  });
});
