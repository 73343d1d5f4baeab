// The end-to-end tests run the bundled server, as an editor would: build it once per test run.

import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';

export const ROOT = path.join(__dirname, '..', '..');
export const SERVER = path.join(ROOT, 'dist', 'server.js');
export const SHARED = path.join(ROOT, '..', 'shared');

let built = false;
export function buildServer(): string {
  if (!built) {
    execFileSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT, stdio: 'pipe', timeout: 120000 });
    built = true;
  }
  if (!existsSync(SERVER)) throw new Error(`${SERVER} was not built`);
  return SERVER;
}
