// The regex layer seen from the editor: group counts, token explanations and token kinds for one
// match line's pattern. Results are cached per (pattern text, flags, version) so that hovering or
// completing on a line never re-analyses a pattern the document already had.

import type { MatchDirective } from '../grammar/ast';
import { toBinaryString, utf8Length } from '../grammar/line-index';
import type { Pcre2Version, RegexOptions } from '../regex/api';
import { analyze, explainAt as explainToken, regexTokens } from '../regex/index';
import { overLineLimit } from './line-limit';

export interface RegexToken {
  offset: number;
  length: number;
  kind: string;
}

const MAX_CACHE = 5000;
const analysisCache = new Map<string, ReturnType<typeof analyze>>();
const tokenCache = new Map<string, RegexToken[]>();

function optionsOf(m: MatchDirective, version?: Pcre2Version): RegexOptions {
  return { caseless: m.caseless, dotall: m.dotall, version };
}

function keyOf(pattern: string, o: RegexOptions): string {
  return `${o.caseless ? 'i' : ''}${o.dotall ? 's' : ''}:${o.version ?? ''}:${pattern}`;
}

function remember<V>(cache: Map<string, V>, key: string, make: () => V): V {
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const value = make();
  if (cache.size >= MAX_CACHE) cache.delete(cache.keys().next().value as string);
  cache.set(key, value);
  return value;
}

/**
 * Number of capturing groups of a match line's pattern; undefined when PCRE2 refuses it or the line
 * is too long for nmap (then nothing on it is analysed, see line-limit.ts).
 */
export function groupCount(m: MatchDirective, version?: Pcre2Version): number | undefined {
  if (!m.pattern || overLineLimit(m)) return undefined;
  const pattern = toBinaryString(m.pattern.value);
  const o = optionsOf(m, version);
  try {
    const r = remember(analysisCache, keyOf(pattern, o), () => analyze(pattern, o));
    return r.ok ? r.groupCount : undefined;
  } catch {
    return undefined;
  }
}

/** Byte offset into the pattern of a UTF-16 index into the field's text. */
export function patternByteOffset(m: MatchDirective, index: number): number {
  return m.pattern ? utf8Length(m.pattern.value, 0, index) : 0;
}

/**
 * Maps byte offsets of a pattern to UTF-16 indexes of its text. Most patterns are ASCII, where the
 * two are equal; otherwise a table is built once per pattern (a scan per token would be quadratic).
 */
export function byteToIndexMapper(value: string): (byteOffset: number) => number {
  if (!/[^\x00-\x7f]/.test(value)) return (b) => Math.min(b, value.length);
  const table: number[] = [];
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    const pair = c >= 0xd800 && c <= 0xdbff && i + 1 < value.length;
    const n = utf8Length(value, i, pair ? i + 2 : i + 1);
    for (let k = 0; k < n; k++) table.push(i);
    if (pair) i++;
  }
  return (b) => (b < table.length ? table[b] : value.length);
}

/** UTF-16 index into the field's text of a byte offset into the pattern. */
export function patternIndexOfByte(value: string, byteOffset: number): number {
  let bytes = 0;
  for (let i = 0; i < value.length; i++) {
    if (bytes >= byteOffset) return i;
    bytes += utf8Length(value, i, i + 1);
    const c = value.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) i++;
  }
  return value.length;
}

/** Explanation (markdown) of the regex token at a byte offset of the pattern. */
export function explainAt(m: MatchDirective, byteOffset: number, version?: Pcre2Version): string | undefined {
  if (!m.pattern || overLineLimit(m)) return undefined;
  try {
    return renderExplanation(explainToken(toBinaryString(m.pattern.value), optionsOf(m, version), byteOffset));
  } catch {
    return undefined;
  }
}

/** Token kinds of a pattern for semantic highlighting, byte offsets into the pattern. */
export function tokensOf(m: MatchDirective, version?: Pcre2Version): RegexToken[] {
  if (!m.pattern || overLineLimit(m)) return [];
  const pattern = toBinaryString(m.pattern.value);
  const o = optionsOf(m, version);
  try {
    return remember(tokenCache, keyOf(pattern, o), () => [...regexTokens(pattern, o)]);
  } catch {
    return [];
  }
}

// The regex layer's explanation is rendered defensively: a string is used as is, an object by its
// text-like fields, so a change of detail there cannot break hovers.
function renderExplanation(r: unknown): string | undefined {
  if (r == null) return undefined;
  if (typeof r === 'string') return r;
  if (typeof r !== 'object') return String(r);
  const o = r as Record<string, unknown>;
  const parts: string[] = [];
  for (const k of ['title', 'summary', 'text', 'markdown', 'description', 'explanation', 'message']) {
    if (typeof o[k] === 'string' && o[k]) parts.push(o[k] as string);
  }
  return parts.length ? parts.join('\n\n') : undefined;
}
