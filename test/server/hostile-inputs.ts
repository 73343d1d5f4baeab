// Documents no editor should choke on, shared by test/server/hostile-input.test.ts (answers at all)
// and bench/lsp-bench.ts (how fast): a 10 MB line, 5 MB of binary junk, 200,000 short lines and a
// 2 MB pattern inside a match line. The long lines are over nmap's 8191-byte line buffer.

/** Deterministic pseudo-random bytes (a linear congruential generator), so a failure can be replayed. */
function junk(size: number, seed: number): Buffer {
  const b = Buffer.alloc(size);
  let s = seed >>> 0;
  for (let i = 0; i < size; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    b[i] = s >>> 24;
  }
  return b;
}

export interface HostileInput {
  name: string;
  text: string;
  /** Line of the long line, when the document has one nmap refuses. */
  longLine?: number;
  /** Where to edit, hover and complete. */
  at: { line: number; character: number };
}

export function hostileInputs(): HostileInput[] {
  const tenMb = 10 * 1024 * 1024;
  const short = ['Probe TCP NULL q||'];
  for (let i = 0; i < 200000; i++) short.push(i % 3 === 0 ? `match s${i % 97} m|^ab${i}| p/$1/` : i % 3 === 1 ? '# note' : `softmatch t m|^x${i}|`);
  const pattern = '(?:ab|c[de]\\x41)+'.repeat(Math.ceil((2 * 1024 * 1024) / 17));
  return [
    { name: 'one 10 MB line', text: 'Probe TCP NULL q||\nmatch x m|' + 'A'.repeat(tenMb) + '| p/x/\n', longLine: 1, at: { line: 1, character: tenMb / 2 } },
    { name: '5 MB of binary junk', text: junk(5 * 1024 * 1024, 42).toString('utf8'), at: { line: 1000, character: 10 } },
    { name: '200,000 short lines', text: short.join('\n') + '\n', at: { line: 100000, character: 12 } },
    { name: 'a 2 MB pattern in a match line', text: 'Probe TCP NULL q||\nmatch x m%^' + pattern + '% p/$1/ i/x/\n', longLine: 1, at: { line: 1, character: 1024 * 1024 } },
  ];
}
