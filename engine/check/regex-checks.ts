// NSP2xx: each match pattern judged by the regex layer with PCRE2's rules (what nmap's
// InitMatch does with pcre2_compile and PCRE2_INFO_MATCHEMPTY), plus the octal trap and the
// constructs the JavaScript translation cannot test. All wiring to regex/ is in this file.

import type { MatchDirective, ProbesFile, Span } from '../../grammar/ast';
import { toBinaryString } from '../../grammar/line-index';
import { NMAP_LINE_LIMIT } from '../../grammar/index';
import { analyze, type Pcre2Version } from '../../regex/index';
import type { Reporter } from '../../grammar/build-ast';
import type { AnalysisCache } from './analysis-cache';
import type { JudgedPatterns } from './judged-patterns';

/** UTF-16 offset inside `value` of byte offset `byte` of its UTF-8 encoding. */
export function byteToUtf16(value: string, byte: number): number {
  let b = 0;
  for (let i = 0; i < value.length; i++) {
    if (b >= byte) return i;
    const c = value.charCodeAt(i);
    if (c < 0x80) b += 1;
    else if (c < 0x800) b += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < value.length) {
      b += 4;
      i++;
    } else b += 3;
  }
  return value.length;
}

function at(base: number, value: string, byte: number, length: number): Span {
  const start = base + byteToUtf16(value, byte);
  const end = base + byteToUtf16(value, byte + Math.max(1, length));
  return { start, end: Math.max(end, start + 1) };
}

/**
 * Returns the capture-group count of every pattern PCRE2 accepts, for the `$N` checks. `judged`:
 * verdicts reached elsewhere on this very text (used when its version is `version`).
 */
export function checkPatterns(file: ProbesFile, version: Pcre2Version, out: Reporter, cache?: AnalysisCache, judged?: JudgedPatterns): Map<MatchDirective, number> {
  const groups = new Map<MatchDirective, number>();
  const known = judged?.version === version ? judged : undefined;
  const lines = file.lineIndex;
  for (const d of file.directives) {
    if (d.kind !== 'match' && d.kind !== 'softmatch') continue;
    const f = d.pattern;
    if (!f || !f.closed) continue;
    // nmap refuses over-long lines before it compiles anything; a 10 MB pattern is not worth compiling.
    if (lines.lineEnd(d.line) - lines.lineStarts[d.line] >= NMAP_LINE_LIMIT) continue;
    const base = f.valueStart;
    const valueEnd = f.valueEnd;
    // The bytes are made only when something needs them: judging here, or placing an error.
    let bytes: string | undefined;
    let r = known?.verdictAt(base, valueEnd, d.caseless, d.dotall);
    if (r === undefined) {
      const b = (bytes = toBinaryString(f.value));
      const options = { caseless: d.caseless, dotall: d.dotall, version };
      r = cache ? cache.get(version, d.caseless, d.dotall, b, () => analyze(b, options)) : analyze(b, options);
    }
    if (!r.ok) {
      bytes ??= toBinaryString(f.value);
      const span = r.offset >= bytes.length ? { start: valueEnd, end: valueEnd + 1 } : at(base, f.value, r.offset, 1);
      out.report('NSP201', span, `Invalid regular expression: ${r.message} (PCRE2 error ${r.code} at offset ${r.offset}). nmap refuses the file.`, { pcre2Code: r.code, offset: r.offset });
      continue;
    }
    groups.set(d, r.groupCount);
    if (r.matchesEmpty) {
      out.report('NSP202', valueEnd > base ? f.valueSpan : f.span,
        'This pattern can match the empty string, so it would match any reply: nmap refuses it since 2026 ("pattern matches zero-length string"); nmap 7.93 accepted it. Anchor it or require at least one character.');
    }
    for (const t of r.octalTraps) {
      const reads = [...t.reads].map((c) => '\\x' + c.charCodeAt(0).toString(16).padStart(2, '0')).join('');
      out.report('NSP204', at(base, f.value, t.offset, t.length),
        `PCRE2 reads this as the octal escape ${reads}, not a NUL byte followed by a digit. Write \\x00 and then the digit if that is what you mean.`, { reads: t.reads });
    }
    for (const u of r.unsupported) {
      out.report('NSP205', at(base, f.value, u.offset, u.length), `nsp cannot test this construct faithfully (nmap can): ${u.message}`);
    }
  }
  return groups;
}
