// Shared by the `nsp check` tests: an in-process CliIo, the example file's MISTAKE annotations, and
// nmap as the reference for whether a probes file loads.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { CliIo } from '../../cli/io';
import { main } from '../../cli/main';

export const ROOT = resolve(__dirname, '..', '..');
export const CORPUS = resolve(ROOT, '..', 'shared', 'corpus', 'nmap-service-probes');
export const EXAMPLE = join(ROOT, 'examples', 'nmap-service-probes.example');

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `nsp ARGS…` in-process. Files are read from disk; "-" reads `stdin`. */
export async function nsp(args: string[], stdin: Uint8Array = new Uint8Array()): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    readFile: async (p) => (p === '-' ? Buffer.from(stdin) : readFileSync(p)),
    env: {},
    cwd: ROOT,
  };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

/** One deliberate mistake of the example file: its comment and the line (1-based) it explains. */
export interface Mistake {
  title: string;
  line: number;
}

/** Each "# MISTAKE (title): …" comment explains the next line that is not a comment. */
export function exampleMistakes(text: string): Mistake[] {
  const lines = text.split('\n');
  const out: Mistake[] = [];
  lines.forEach((l, i) => {
    const m = /^# MISTAKE \(([^)]+)\)/.exec(l);
    if (!m) return;
    let j = i + 1;
    while (j < lines.length && (lines[j].startsWith('#') || lines[j].trim() === '')) j++;
    out.push({ title: m[1], line: j + 1 });
  });
  return out;
}

/** The example with the given mistake lines (1-based) left out. */
export function withoutLines(text: string, drop: readonly number[]): string {
  return text
    .split('\n')
    .filter((_, i) => !drop.includes(i + 1))
    .join('\n');
}

/**
 * Asks nmap (Debian's 7.93, PCRE 8.39) whether it loads a probes file: nmap reads and compiles the
 * whole file before scanning, even with no port open, and quits with a message when it refuses.
 */
export function nmapLoads(text: string): { ok: boolean; message: string } {
  const dir = mkdtempSync(join(tmpdir(), 'nsp-check-nmap-'));
  try {
    const file = join(dir, 'nmap-service-probes');
    writeFileSync(file, text);
    const r = spawnSync('nmap', ['-sV', '--version-intensity', '0', '-p', '1', '-Pn', '-n', '127.0.0.1', '--versiondb', file], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    if (r.error) throw r.error;
    const out = `${r.stdout}\n${r.stderr}`;
    const refused = /QUITTING|illegal|Parse error|Unknown fallback|fatal/i.test(out);
    const loaded = /Nmap done/.test(out);
    return { ok: loaded && !refused, message: out.trim().split('\n').slice(-3).join(' / ') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
