// The `nsp scan` command lines behind the live-probing lenses, kept free of the vscode API so a
// test can run them against the real CLI on loopback (test/e2e/live-args.test.ts).

export type LiveKind = 'testLive' | 'runProbe' | 'versionScan' | 'verifyWithNmap';

export interface LiveRequest {
  host: string;
  port: string;
  /** The unsaved buffer, written to a temporary file. */
  probesFile: string;
  intensity: number;
  probe?: string;
  protocol: 'TCP' | 'UDP';
  nmapPath?: string;
  maxTimeSeconds?: number;
  /** `json` for the results view (default: the CLI's text). */
  format?: 'text' | 'json';
}

/** Arguments after `node dist/nsp.js`. */
export function scanArgs(kind: LiveKind, r: LiveRequest): string[] {
  const target = r.host.includes(':') ? `[${r.host}]:${r.port}` : `${r.host}:${r.port}`;
  const argv = ['scan', target, '--probes', r.probesFile, '--intensity', String(r.intensity)];
  if (r.protocol === 'UDP') argv.push('--udp');
  // "Test live" and "Run probe" send only the line's probe (its lines, its fallbacks, NULL's).
  if ((kind === 'testLive' || kind === 'runProbe') && r.probe) argv.push('--probe', r.probe);
  if (kind === 'verifyWithNmap') {
    argv.push('--verify-with-nmap');
    // `nsp scan --nmap` takes a path; for a bare name (the setting's default "nmap") the CLI
    // searches PATH itself.
    if (r.nmapPath && /[\\/]/.test(r.nmapPath)) argv.push('--nmap', r.nmapPath);
  }
  if (r.maxTimeSeconds) argv.push('--max-time', String(r.maxTimeSeconds));
  if (r.format === 'json') argv.push('--format', 'json');
  return argv;
}

/** `host:port`, `[v6]:port` → [host, port]; undefined when it is not one of those. */
export function splitTarget(t: string): [string, string] | undefined {
  const m = /^\[([^\]]+)\]:(\d{1,5})$/.exec(t.trim()) ?? /^([^:\s]+):(\d{1,5})$/.exec(t.trim());
  return m ? [m[1], m[2]] : undefined;
}

/** The live-probing lenses the server sends, by command, and what they say once a target is known. */
const LIVE_LENS_LABELS: Record<string, string> = {
  'nsp.testLive': 'Test live',
  'nsp.runProbe': 'Run probe against',
  'nsp.versionScan': 'Version scan',
};

/**
 * The title a live-probing lens shows when this workspace has a target: the target itself, so the
 * click that sends traffic says where it goes (and no box asks again). Undefined: leave the
 * server's title ("Test live…": the click asks for a target).
 */
export function liveLensTitle(command: string, target: string | undefined): string | undefined {
  const label = LIVE_LENS_LABELS[command];
  return label && target ? `${label} ${target}` : undefined;
}
