// nmap refuses a line that does not fit its line buffer (8191 bytes, `parse_nmap_service_probe_file`)
// before it compiles anything on it, and the grammar reports such a line once (NSP122). The editor
// features follow nmap: they do not analyse an over-long line further (no regex analysis, no
// semantic tokens, no detailed hover), so a 10 MB line costs one diagnostic, not seconds of work.

import type { Span } from '../grammar/ast';
import { NMAP_LINE_LIMIT } from '../grammar/index';

export { NMAP_LINE_LIMIT };

/**
 * True when a directive's line is too long for nmap. Counted in UTF-16 units, the rule engine/check
 * uses before compiling a pattern: a line of that many units has at least that many bytes. Lines
 * that pass this test but exceed the limit in bytes are shorter than 8191 units, so analysing them
 * stays cheap.
 */
export function overLineLimit(d: { span: Span }): boolean {
  return d.span.end - d.span.start >= NMAP_LINE_LIMIT;
}
