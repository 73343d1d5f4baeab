// The one vocabulary of the nmap-service-probes language: directives, versioninfo fields, template
// helpers, flags and escapes, with their documentation. Completion, hover and the TextMate grammar
// generator (syntaxes/generate.ts) all read this table, so a word is described in exactly one place.
//
// The facts come from nmap's reader (`parse_nmap_service_probe_file`, `ServiceProbe::setProbeDetails`,
// `ServiceProbeMatch::InitMatch`) and its template substitution (`dotmplsubst`, `substargs`).

/** Where a directive may appear. */
export type DirectiveScope = 'top' | 'probe';

export interface DirectiveInfo {
  keyword: string;
  /** Syntax line shown in hover and completion details. */
  syntax: string;
  /** Snippet inserted by completion (LSP snippet syntax). */
  snippet: string;
  /** 'top': before the first Probe (Exclude) or anywhere (Probe); 'probe': inside a Probe block. */
  scope: DirectiveScope | 'any';
  /** At most one per probe block (nmap refuses a second one). */
  oncePerProbe: boolean;
  doc: string;
  values?: string;
  defaultValue?: string;
}

export const DIRECTIVES: readonly DirectiveInfo[] = [
  {
    keyword: 'Exclude',
    syntax: 'Exclude <port specification>',
    snippet: 'Exclude ${1:T:9100-9107}',
    scope: 'top',
    oncePerProbe: false,
    doc:
      'Ports that version detection never probes (unless `--allports` is given). nmap reads it only ' +
      'before the first Probe line, and only once.',
    values: 'Comma-separated ports or ranges, optionally qualified with `T:` (TCP), `U:` (UDP) or `S:` (SCTP).',
  },
  {
    keyword: 'Probe',
    syntax: 'Probe <TCP|UDP> <name> q|<probe string>| [no-payload]',
    snippet: 'Probe ${1|TCP,UDP|} ${2:Name} q|${3}|',
    scope: 'any',
    oncePerProbe: false,
    doc:
      'Starts a probe block: the bytes nmap sends after connecting, and everything up to the next ' +
      'Probe line (ports, rarity, fallback, match lines) belongs to this probe. The NULL probe ' +
      '(`q||`) sends nothing and only waits for a banner.',
    values:
      'Protocol `TCP` or `UDP`; a unique name; the probe string in `q|…|` with C-style escapes ' +
      '(`\\r \\n \\t \\0 \\xHH \\\\`). `no-payload` marks a UDP probe whose payload nmap takes from ' +
      'its payload database instead.',
  },
  {
    keyword: 'match',
    syntax: 'match <service> m|<pattern>|[i][s] [<versioninfo>…]',
    snippet: 'match ${1:service} m|^${2}|${3}',
    scope: 'probe',
    oncePerProbe: false,
    doc:
      'A hard match: when the PCRE2 pattern matches the response to this probe, nmap names the ' +
      'service and stops probing. The versioninfo fields may use `$1…$9` and the helpers `$P()`, ' +
      '`$SUBST()` and `$I()`.',
  },
  {
    keyword: 'softmatch',
    syntax: 'softmatch <service> m|<pattern>|[i][s]',
    snippet: 'softmatch ${1:service} m|^${2}|${3}',
    scope: 'probe',
    oncePerProbe: false,
    doc:
      'A soft match: the service is named, but nmap keeps probing with only the probes that can ' +
      'match that service, hoping for a hard match with version details.',
  },
  {
    keyword: 'ports',
    syntax: 'ports <port list>',
    snippet: 'ports ${1:80}',
    scope: 'probe',
    oncePerProbe: true,
    doc:
      'Ports on which this probe is likely to succeed. On these ports the probe is tried even when ' +
      'its rarity is above the intensity, and it is sent earlier.',
    values: 'Comma-separated ports and ranges (`80,443,8000-8010`).',
  },
  {
    keyword: 'sslports',
    syntax: 'sslports <port list>',
    snippet: 'sslports ${1:443}',
    scope: 'probe',
    oncePerProbe: true,
    doc: 'Like `ports`, but for services found inside an SSL/TLS tunnel.',
    values: 'Comma-separated ports and ranges.',
  },
  {
    keyword: 'rarity',
    syntax: 'rarity <1-9>',
    snippet: 'rarity ${1|1,2,3,4,5,6,7,8,9|}',
    scope: 'probe',
    oncePerProbe: false,
    doc:
      'How rarely this probe is expected to return anything useful. nmap sends a probe only when ' +
      'its rarity is at most the version intensity (`--version-intensity`, default 7), unless the ' +
      'port is in its ports list.',
    values: 'An integer from 1 to 9; nmap refuses anything else.',
    defaultValue: '5',
  },
  {
    keyword: 'totalwaitms',
    syntax: 'totalwaitms <milliseconds>',
    snippet: 'totalwaitms ${1:5000}',
    scope: 'probe',
    oncePerProbe: false,
    doc: 'How long nmap waits for the whole response to this probe before giving up on it.',
    values: 'Milliseconds from 100 to 300000.',
    defaultValue: '5000',
  },
  {
    keyword: 'tcpwrappedms',
    syntax: 'tcpwrappedms <milliseconds>',
    snippet: 'tcpwrappedms ${1:2000}',
    scope: 'probe',
    oncePerProbe: false,
    doc:
      'For the NULL probe: a connection the server closes within this time without sending data ' +
      'is reported as `tcpwrapped`.',
    values: 'Milliseconds from 100 to 300000.',
    defaultValue: '2000',
  },
  {
    keyword: 'fallback',
    syntax: 'fallback <probe name>[,<probe name>…]',
    snippet: 'fallback ${1:GetRequest}',
    scope: 'probe',
    oncePerProbe: true,
    doc:
      "When no match of this probe matches, nmap tries the match lines of these probes (in order) " +
      'against the same response, then those of the NULL probe (TCP only).',
    values: 'Comma-separated names of probes defined in the file (at most 20).',
  },
];

export const DIRECTIVE_BY_KEYWORD = new Map(DIRECTIVES.map((d) => [d.keyword, d]));

export interface VersionFieldInfo {
  /** The letters before the delimiter ("cpe" for `cpe:/…/`). */
  letters: string;
  /** Text that starts the field ("p/", "cpe:/"). */
  opener: string;
  label: string;
  snippet: string;
  doc: string;
}

export const VERSION_FIELDS: readonly VersionFieldInfo[] = [
  { letters: 'p', opener: 'p/', label: 'vendor and product name', snippet: 'p/${1:product}/', doc: 'The vendor and product name, e.g. `Apache httpd`.' },
  { letters: 'v', opener: 'v/', label: 'version', snippet: 'v/${1:\\$1}/', doc: 'The application version "number", often `$1` from a capture.' },
  { letters: 'i', opener: 'i/', label: 'extra information', snippet: 'i/${1:info}/', doc: 'Extra information: protocol versions, modes, anything useful that is not the version.' },
  { letters: 'h', opener: 'h/', label: 'hostname', snippet: 'h/${1:\\$1}/', doc: 'The hostname the service reports, if any.' },
  { letters: 'o', opener: 'o/', label: 'operating system', snippet: 'o/${1:Linux}/', doc: 'The operating system the service runs on.' },
  { letters: 'd', opener: 'd/', label: 'device type', snippet: 'd/${1|general purpose,router,switch,WAP,printer,webcam,firewall,media device|}/', doc: "The device type, one of nmap's device types (as in OS detection)." },
  {
    letters: 'cpe',
    opener: 'cpe:/',
    label: 'CPE name',
    snippet: 'cpe:/${1|a,h,o|}:${2:vendor}:${3:product}/',
    doc:
      'A Common Platform Enumeration name without the `cpe:/` prefix: `part:vendor:product:version…`, ' +
      'where part is `a` (application), `h` (hardware) or `o` (operating system). The `a` flag after ' +
      'the closing delimiter marks it as an application CPE (nmap accepts and ignores it). May appear ' +
      'several times.',
  },
];

export const VERSION_FIELD_BY_LETTERS = new Map(VERSION_FIELDS.map((f) => [f.letters, f]));

export interface HelperInfo {
  name: string;
  syntax: string;
  snippet: string;
  doc: string;
}

/** Template helpers in versioninfo, mirroring nmap's `substargs`. */
export const TEMPLATE_HELPERS: readonly HelperInfo[] = [
  {
    name: '$P',
    syntax: '$P(<group>)',
    snippet: '\\$P(${1:1})',
    doc: 'The captured group with unprintable bytes removed (nmap keeps only printable ASCII).',
  },
  {
    name: '$SUBST',
    syntax: '$SUBST(<group>,"<find>","<replace>")',
    snippet: '\\$SUBST(${1:1},"${2:_}","${3:.}")',
    doc: 'The captured group with every occurrence of `find` replaced by `replace`.',
  },
  {
    name: '$I',
    syntax: '$I(<group>,"<" | ">")',
    snippet: '\\$I(${1:1},"${2|>,<|}")',
    doc:
      'The captured group (1 to 8 bytes) read as an unsigned integer and printed in decimal: `">"` ' +
      'big-endian, `"<"` little-endian.',
  },
];

export interface FlagInfo {
  flag: string;
  doc: string;
}

/** Flags after the closing delimiter of `m|…|`. */
export const REGEX_FLAGS: readonly FlagInfo[] = [
  { flag: 'i', doc: 'Caseless matching (PCRE2_CASELESS).' },
  { flag: 's', doc: '`.` also matches a newline (PCRE2_DOTALL).' },
];

/** Keywords that are not directives but have a fixed meaning on some line. */
export const OTHER_KEYWORDS = {
  protocols: ['TCP', 'UDP'],
  noPayload: 'no-payload',
  excludeQualifiers: ['T:', 'U:', 'S:'],
} as const;

/** Escapes nmap's `cstring_unescape` understands in probe strings. */
export const PROBE_STRING_ESCAPES: readonly { escape: string; byte: number; doc: string }[] = [
  { escape: '\\\\', byte: 0x5c, doc: 'a backslash' },
  { escape: '\\0', byte: 0x00, doc: 'a NUL byte' },
  { escape: '\\a', byte: 0x07, doc: 'BEL (refused by nmap since 2026)' },
  { escape: '\\b', byte: 0x08, doc: 'backspace (refused by nmap since 2026)' },
  { escape: '\\f', byte: 0x0c, doc: 'form feed (refused by nmap since 2026)' },
  { escape: '\\n', byte: 0x0a, doc: 'line feed' },
  { escape: '\\r', byte: 0x0d, doc: 'carriage return' },
  { escape: '\\t', byte: 0x09, doc: 'tab' },
  { escape: '\\v', byte: 0x0b, doc: 'vertical tab (refused by nmap since 2026)' },
];

/** nmap's device types (the `d/` field), as used by OS and version detection. */
export const DEVICE_TYPES: readonly string[] = [
  'general purpose', 'bridge', 'broadband router', 'firewall', 'game console', 'hub',
  'load balancer', 'media device', 'PBX', 'PDA', 'phone', 'power-device', 'power-misc', 'printer',
  'print server', 'proxy server', 'remote management', 'router', 'security-misc', 'specialized',
  'storage-misc', 'switch', 'telecom-misc', 'terminal', 'terminal server', 'VoIP adapter',
  'VoIP phone', 'WAP', 'webcam',
];

export const CPE_PARTS: readonly { part: string; doc: string }[] = [
  { part: 'a', doc: 'application' },
  { part: 'h', doc: 'hardware' },
  { part: 'o', doc: 'operating system' },
];
