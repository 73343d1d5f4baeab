// What is under the cursor: the directive of the line and the part of it that holds the offset.
// Hover, completion, definition and references all start from this one classification.

import type {
  Directive,
  DelimitedField,
  FallbackDirective,
  MatchDirective,
  NumberDirective,
  PortRange,
  PortsDirective,
  ExcludeDirective,
  ProbeDirective,
  ProbesFile,
  Span,
  VersionField,
} from '../grammar/ast';
import { contains, directiveAt } from './document';

export type Target =
  | { kind: 'keyword'; directive: Directive; span: Span }
  | { kind: 'protocol'; directive: ProbeDirective; span: Span }
  | { kind: 'probeName'; directive: ProbeDirective; span: Span }
  | { kind: 'probeString'; directive: ProbeDirective; field: DelimitedField; index: number; span: Span }
  | { kind: 'noPayload'; directive: ProbeDirective; span: Span }
  | { kind: 'service'; directive: MatchDirective; span: Span }
  | { kind: 'pattern'; directive: MatchDirective; field: DelimitedField; index: number; span: Span }
  | { kind: 'patternFlags'; directive: MatchDirective; field: DelimitedField; span: Span }
  | { kind: 'fieldLetters'; directive: MatchDirective; field: VersionField; span: Span }
  | { kind: 'fieldValue'; directive: MatchDirective; field: VersionField; index: number; span: Span }
  | { kind: 'fieldFlags'; directive: MatchDirective; field: VersionField; span: Span }
  | { kind: 'port'; directive: PortsDirective | ExcludeDirective; range: PortRange; span: Span }
  | { kind: 'number'; directive: NumberDirective; span: Span }
  | { kind: 'fallbackName'; directive: FallbackDirective; name: string; span: Span };

export function locate(pf: ProbesFile, offset: number): Target | undefined {
  const d = directiveAt(pf, offset);
  if (!d || offset < d.span.start || offset > d.span.end) return undefined;
  if (contains(d.keywordSpan, offset)) return { kind: 'keyword', directive: d, span: d.keywordSpan };
  switch (d.kind) {
    case 'Probe':
      if (d.protocolSpan && contains(d.protocolSpan, offset)) return { kind: 'protocol', directive: d, span: d.protocolSpan };
      if (contains(d.nameSpan, offset)) return { kind: 'probeName', directive: d, span: d.nameSpan };
      if (d.probeString && inField(d.probeString, offset)) {
        const f = d.probeString;
        return { kind: 'probeString', directive: d, field: f, index: offset - f.valueSpan.start, span: f.span };
      }
      if (d.noPayloadSpan && contains(d.noPayloadSpan, offset)) return { kind: 'noPayload', directive: d, span: d.noPayloadSpan };
      return undefined;
    case 'match':
    case 'softmatch': {
      if (contains(d.serviceSpan, offset)) return { kind: 'service', directive: d, span: d.serviceSpan };
      const p = d.pattern;
      if (p) {
        if (p.flags && contains(p.flagsSpan, offset) && offset > p.valueSpan.end)
          return { kind: 'patternFlags', directive: d, field: p, span: p.flagsSpan };
        if (inField(p, offset)) return { kind: 'pattern', directive: d, field: p, index: offset - p.valueSpan.start, span: p.span };
      }
      for (const vf of d.versionInfo) {
        const f = vf.field;
        if (!contains(f.span, offset)) continue;
        if (offset < f.valueSpan.start) return { kind: 'fieldLetters', directive: d, field: vf, span: f.lettersSpan };
        if (f.flags && offset > f.valueSpan.end) return { kind: 'fieldFlags', directive: d, field: vf, span: f.flagsSpan };
        return { kind: 'fieldValue', directive: d, field: vf, index: offset - f.valueSpan.start, span: f.valueSpan };
      }
      return undefined;
    }
    case 'ports':
    case 'sslports':
    case 'Exclude':
      for (const r of d.ranges) if (contains(r.span, offset)) return { kind: 'port', directive: d, range: r, span: r.span };
      return undefined;
    case 'rarity':
    case 'totalwaitms':
    case 'tcpwrappedms':
      if (contains(d.valueSpan, offset)) return { kind: 'number', directive: d, span: d.valueSpan };
      return undefined;
    case 'fallback':
      for (const n of d.names) if (contains(n.span, offset)) return { kind: 'fallbackName', directive: d, name: n.name, span: n.span };
      return undefined;
    default:
      return undefined;
  }
}

function inField(f: DelimitedField, offset: number): boolean {
  return offset >= f.valueSpan.start - 1 && offset <= f.valueSpan.end + (f.closed ? 1 : 0);
}
