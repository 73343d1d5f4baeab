// Finding nmap's data beside a probes file: nmap-services next to the file, else in nmap's data
// directory (the directory of the configured nmap binary's ../share/nmap, then the usual install
// places). All file access goes through the Runtime so tests can replace it.

import * as path from 'node:path';

export interface DataFileSystem {
  readText(file: string): Promise<string | undefined>;
}

export const NMAP_DATA_DIRS = ['/usr/share/nmap', '/usr/local/share/nmap', '/opt/homebrew/share/nmap'];

export function candidateServicesFiles(probesFile: string | undefined, nmapPath?: string): string[] {
  const out: string[] = [];
  if (probesFile) out.push(path.join(path.dirname(probesFile), 'nmap-services'));
  if (nmapPath) out.push(path.join(path.dirname(nmapPath), '..', 'share', 'nmap', 'nmap-services'));
  for (const d of NMAP_DATA_DIRS) out.push(path.join(d, 'nmap-services'));
  return out;
}

export async function findServicesText(
  fs: DataFileSystem,
  probesFile: string | undefined,
  nmapPath?: string,
): Promise<{ file: string; text: string } | undefined> {
  for (const f of candidateServicesFiles(probesFile, nmapPath)) {
    const text = await fs.readText(f);
    if (text !== undefined) return { file: f, text };
  }
  return undefined;
}
