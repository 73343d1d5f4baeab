// C "ctype" character classes in the C locale, as nmap's reader uses them (isspace, isalpha, …).
// nmap reads the file as bytes; for characters above 0x7F every class below is false, which is
// also what glibc's tables say for bytes 0x80–0xFF in the C locale.

/** isspace(): space, \t, \n, \v, \f, \r. */
export function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

/** isalpha(): A–Z, a–z. */
export function isAlpha(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** isdigit(): 0–9. */
export function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** isalnum(). */
export function isAlnum(c: number): boolean {
  return isAlpha(c) || isDigit(c);
}

/** isxdigit(). */
export function isXDigit(c: number): boolean {
  return isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

/** islower(). */
export function isLower(c: number): boolean {
  return c >= 97 && c <= 122;
}

/**
 * End of a line's *content as nmap sees it*: the first "\n" or NUL byte at or after `offset`
 * (nmap handles each line as a C string, so nothing after a NUL exists for it). Cached for the
 * current line because every custom token pattern asks for it, and tokens advance monotonically;
 * for the same reason the next NUL is searched for only once it has been passed, so a file without
 * NUL bytes costs one search for it in all.
 */
let cachedText: string | undefined;
let cachedFrom = -1;
let cachedEnd = -1;
/** The next NUL at or after the last line asked for; text.length when there is none. */
let nextNul = -1;

export function contentEnd(text: string, offset: number): number {
  if (text === cachedText) {
    if (offset >= cachedFrom && offset <= cachedEnd) return cachedEnd;
    if (offset < cachedFrom) nextNul = -1;
  } else {
    cachedText = text;
    nextNul = -1;
  }
  if (nextNul < offset) {
    nextNul = text.indexOf('\0', offset);
    if (nextNul === -1) nextNul = text.length;
  }
  let nl = text.indexOf('\n', offset);
  if (nl === -1) nl = text.length;
  cachedFrom = offset;
  cachedEnd = nl < nextNul ? nl : nextNul;
  return cachedEnd;
}

/** Forget the cached text so a finished document is not kept alive by this module. */
export function releaseContentCache(): void {
  cachedText = undefined;
  cachedFrom = cachedEnd = nextNul = -1;
}
