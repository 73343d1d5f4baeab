// The table of diagnostic codes. A code never changes meaning once published; retired codes stay
// listed. NSP1xx: what nmap's line reader refuses (grammar/); NSP2xx: regular expressions and the
// templates that use their groups (engine/check); NSP3xx: file semantics (engine/check).

import type { Severity } from './diagnostic';

export interface CodeInfo {
  severity: Severity;
  /** One line: what the code means. */
  title: string;
}

export const DIAGNOSTIC_CODES = {
  NSP101: { severity: 'error', title: 'Unknown directive inside a probe (nmap: "unknown directive").' },
  NSP102: { severity: 'error', title: 'A line before the first Probe that is not Exclude, a comment or a blank line.' },
  NSP103: { severity: 'error', title: 'Exclude after the first Probe.' },
  NSP104: { severity: 'error', title: 'A second Exclude directive.' },
  NSP105: { severity: 'error', title: 'Probe protocol is not "TCP " or "UDP ".' },
  NSP106: { severity: 'error', title: 'Bad probe name: must start with a letter or digit and be followed by a space.' },
  NSP107: { severity: 'error', title: 'Probe string missing or not starting with "q".' },
  NSP108: { severity: 'error', title: 'Missing closing delimiter (probe string, pattern, version field or cpe).' },
  NSP109: { severity: 'error', title: 'Bad escape in a probe string (only \\\\ \\0 \\n \\r \\t \\xHH).' },
  NSP110: { severity: 'error', title: 'match/softmatch without a service name followed by a space.' },
  NSP111: { severity: 'error', title: 'match/softmatch without an m<d>…<d> pattern.' },
  NSP112: { severity: 'error', title: 'Regex flag other than i and s.' },
  NSP113: { severity: 'error', title: 'Unknown version field (only p v i h o d cpe:).' },
  NSP114: { severity: 'error', title: 'Bare word where a delimited field is expected.' },
  NSP115: { severity: 'error', title: 'cpe: not followed by "/" (today\'s nmap refuses cpe:|…|).' },
  NSP116: { severity: 'error', title: 'More than 3 flag letters, or no whitespace after a field (also: last line without a newline).' },
  NSP117: { severity: 'error', title: 'Port list syntax (ports, sslports, Exclude).' },
  NSP118: { severity: 'error', title: 'Port above 65535.' },
  NSP119: { severity: 'error', title: 'Reversed port range.' },
  NSP120: { severity: 'error', title: 'rarity is not an integer from 1 to 9.' },
  NSP121: { severity: 'error', title: 'totalwaitms/tcpwrappedms outside 100–300000.' },
  NSP122: { severity: 'error', title: 'Line longer than nmap\'s line buffer (8191 bytes).' },
  NSP123: { severity: 'warning', title: 'NUL byte: nmap ignores the rest of the line.' },
  NSP124: { severity: 'warning', title: 'Text nmap reads past and ignores.' },
  NSP125: { severity: 'error', title: 'Exclude protocol qualifier or bracket nmap refuses.' },
  NSP126: { severity: 'error', title: 'Unexpected token (a parser error that no specific check explains).' },

  NSP201: { severity: 'error', title: 'Invalid regular expression (PCRE2\'s message and offset).' },
  NSP202: { severity: 'error', title: 'Pattern can match the empty string (today\'s nmap refuses it).' },
  NSP203: { severity: 'warning', title: '$N / $P(N) / $SUBST(N,…) / $I(N,…) names a group the pattern does not have.' },
  NSP204: { severity: 'warning', title: 'Octal trap: \\0 followed by an octal digit is one character, not NUL + digit.' },
  NSP205: { severity: 'information', title: 'Construct the regex engine cannot test faithfully.' },

  NSP301: { severity: 'error', title: 'fallback names a probe that does not exist.' },
  NSP302: { severity: 'warning', title: 'A second ports or sslports directive in one probe.' },
  NSP303: { severity: 'warning', title: 'A port listed twice or covered by two ranges.' },
  NSP304: { severity: 'warning', title: 'Two probes with the same name and protocol.' },
  NSP305: { severity: 'warning', title: 'A port in ports that Exclude removes.' },
  NSP306: { severity: 'warning', title: 'Malformed $ substitution in a version field ($P(), $SUBST(), $I(), $N).' },
  NSP307: { severity: 'warning', title: 'cpe is not cpe:/[aho]:vendor:product….' },
  NSP308: { severity: 'warning', title: 'Probe without rarity.' },
  NSP309: { severity: 'warning', title: 'no-payload on a TCP probe (it only concerns UDP payloads).' },
  NSP310: { severity: 'warning', title: 'fallback to the probe itself.' },
  NSP311: { severity: 'error', title: 'More fallbacks than nmap\'s MAXFALLBACKS allows.' },
  NSP312: { severity: 'warning', title: 'A second fallback/rarity/totalwaitms/tcpwrappedms line: only the last one counts.' },
  NSP313: { severity: 'error', title: 'A second probe with an empty probe string (nmap aborts).' },
  NSP314: { severity: 'warning', title: 'A version field given twice in one match: only the last one counts.' },
  NSP315: { severity: 'warning', title: 'Flags on a version field that nmap ignores.' },
  NSP316: { severity: 'warning', title: 'Empty service name.' },
} as const satisfies Record<string, CodeInfo>;

export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;
