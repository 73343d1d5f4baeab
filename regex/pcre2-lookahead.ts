// Two look-aheads of pcre2_compile.c that decide what a character means, shared by the full parser
// (parse.ts) and the quick routes (fast-validate.ts, translate-fast.ts) so that they cannot drift.

// check_posix_syntax(): after a `[` followed by `:`, `.` or `=`, PCRE2 looks ahead for that same
// character followed by `]`. If it finds one before any `]` (or `[` plus that character), the text
// is POSIX syntax (`[:alpha:]`, `[.ch.]`, `[=e=]`); otherwise the `[` is an ordinary class opener
// or, inside a class, a byte.

/** Offset of the closing terminator when `p` at `q` (the `:`, `.` or `=`) starts POSIX syntax; else −1. */
export function posixSyntaxEnd(p: string, q: number): number {
  const n = p.length;
  const term = p.charCodeAt(q++);
  for (; n - q >= 2; q++) {
    const d = p.charCodeAt(q);
    const e = p.charCodeAt(q + 1);
    if (d === 0x5c && (e === 0x5d || e === 0x5c)) q++; // \] and \\ are skipped
    else if ((d === 0x5b && e === term) || d === 0x5d) return -1;
    else if (d === term && e === 0x5d) return q;
  }
  return -1;
}

/**
 * False when the `{` at `i` is a literal byte under both PCRE2 versions nsp follows: 10.42 reads a
 * repeat only as `{n}`, `{n,}` or `{n,m}`, and 10.47's read_repeat_counts() also takes blanks
 * (space, tab) inside the braces and `{,m}`, but always needs a digit. True when a digit follows
 * the blanks and an optional comma: the brace may be a repeat, and only the full parser (which
 * knows the version) can say.
 */
export function braceMayBeRepeat(p: string, i: number): boolean {
  let q = i + 1;
  let c = p.charCodeAt(q);
  while (c === 0x20 || c === 0x09) c = p.charCodeAt(++q);
  if (c === 0x2c) {
    c = p.charCodeAt(++q);
    while (c === 0x20 || c === 0x09) c = p.charCodeAt(++q);
  }
  return c >= 0x30 && c <= 0x39;
}
