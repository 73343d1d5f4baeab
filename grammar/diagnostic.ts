// The one diagnostic shape every pure layer returns. Positions are UTF-16 offsets into the
// document; service/ turns them into LSP ranges and cli/ into 1-based line:column.

import type { Span } from './ast';

export type Severity = 'error' | 'warning' | 'information' | 'hint';

export interface RelatedInfo {
  span: Span;
  message: string;
}

export interface Diagnostic {
  /** Stable code, e.g. "NSP101". The table of codes is in diagnostic-codes.ts. */
  code: string;
  severity: Severity;
  message: string;
  span: Span;
  related?: RelatedInfo[];
  /** Facts a quick fix needs (the replacement text, the other port, …). */
  data?: Record<string, unknown>;
}
