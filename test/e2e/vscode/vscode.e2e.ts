// The extension in a real VS Code: code-server 4.100.3 (VS Code 1.100.3, installed under /tmp by
// ../shared/vscode-e2e's recipe) with our .vsix installed, driven by Debian's headless Chromium
// through playwright-core. Checks in the page that the language is recognised, a diagnostic
// squiggle appears, a hover shows, the code lenses render, and "Test against captures" shows a
// result. Every wait polls for a condition with a timeout; screenshots go to test-output/vscode-e2e.
//
// Run: npm run test:e2e (installs code-server and playwright-core into /tmp when missing).

import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ROOT, SHARED } from '../build';

// The callbacks given to page.waitForFunction run in the browser; these names exist only there.
declare const document: { querySelector(s: string): { textContent: string | null } | null; querySelectorAll(s: string): ArrayLike<{ className: string }> & Iterable<{ className: string }> };
declare function getComputedStyle(e: unknown): { opacity: string };

const RECIPE = path.join(SHARED, 'vscode-e2e');
const CS_APP = process.env.NSP_CS_APP ?? '/tmp/cs/app';
const CS_BIN = path.join(CS_APP, 'node_modules', '.bin', 'code-server');
const TOOLS = process.env.NSP_CS_TOOLS ?? '/tmp/cs/tools';
const PW = path.join(TOOLS, 'node_modules', 'playwright-core');
const SHOTS = path.join(ROOT, 'test-output', 'vscode-e2e');
const STEP = 90_000;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

function ensureTools(): void {
  if (!existsSync(CS_BIN)) execFileSync('bash', [path.join(RECIPE, 'install-code-server.sh'), CS_APP], { stdio: 'inherit', timeout: 1_200_000 });
  if (!existsSync(PW)) {
    mkdirSync(TOOLS, { recursive: true });
    execFileSync('npm', ['install', '--prefix', TOOLS, '--ignore-scripts', '--no-audit', '--no-fund', 'playwright-core@1.65.1'], { stdio: 'inherit', timeout: 300_000 });
  }
}

/* eslint-disable @typescript-eslint/no-explicit-any -- playwright-core is loaded from /tmp, untyped here. */
describe('the extension in VS Code (code-server + headless Chromium)', function () {
  this.timeout(1_500_000);
  let csRoot: string;
  let ws: string;
  let context: any;
  let page: any;
  let port: number;
  let step = 0;
  const shot = async (name: string) => {
    step++;
    await page.screenshot({ path: path.join(SHOTS, `${String(step).padStart(2, '0')}-${name}.png`) });
  };

  before(async () => {
    ensureTools();
    execFileSync('npm', ['run', 'package'], { cwd: ROOT, stdio: 'pipe', timeout: 300_000 });
    rmSync(SHOTS, { recursive: true, force: true });
    mkdirSync(SHOTS, { recursive: true });
    csRoot = mkdtempSync(path.join(tmpdir(), 'nsp-e2e-cs-'));
    ws = path.join(csRoot, 'ws');
    mkdirSync(ws, { recursive: true });
    copyFileSync(path.join(ROOT, 'test', 'fixtures', 'e2e', 'vscode-workspace.nsp'), path.join(ws, 'nmap-service-probes'));
    copyFileSync(path.join(SHARED, 'fingerprints', '003-port21-tcp.sf'), path.join(ws, 'proftpd.sf'));
    port = await freePort();
    const started = spawnSync('bash', [path.join(RECIPE, 'start-code-server.sh'), ws], {
      env: { ...process.env, CS_BIN, CS_ROOT: csRoot, CS_PORT: String(port), CS_VSIX: path.join(ROOT, 'nsp.vsix') },
      encoding: 'utf8',
      timeout: 180_000,
    });
    assert.equal(started.status, 0, `code-server did not start: ${started.stdout}\n${started.stderr}`);
    const { chromium } = createRequire(__filename)(PW);
    context = await chromium.launchPersistentContext(mkdtempSync(path.join(csRoot, 'chromium-')), {
      executablePath: '/usr/bin/chromium',
      headless: true,
      viewport: { width: 1400, height: 900 },
      args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(STEP);
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(ws)}`, { waitUntil: 'domcontentloaded' });
    await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ state: 'visible' });
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+P');
    await page.locator('.quick-input-widget input').waitFor({ state: 'visible' });
    await page.keyboard.type('nmap-service-probes', { delay: 20 });
    await page.locator('.quick-input-list .monaco-list-row[aria-label^="nmap-service-probes,"]').first().waitFor({ state: 'visible' });
    await page.keyboard.press('Enter');
    await page.locator('.tabs-container .tab.active[aria-label^="nmap-service-probes"]').first().waitFor({ state: 'visible' });
  });

  after(async () => {
    try {
      await context?.close();
    } finally {
      if (csRoot) {
        spawnSync('bash', [path.join(RECIPE, 'stop-code-server.sh')], { env: { ...process.env, CS_ROOT: csRoot }, timeout: 60_000 });
        const log = path.join(csRoot, 'code-server.log');
        if (existsSync(log)) {
          mkdirSync(SHOTS, { recursive: true });
          copyFileSync(log, path.join(SHOTS, 'code-server.log'));
        }
        rmSync(csRoot, { recursive: true, force: true });
      }
    }
  });

  it('recognises the language and colours the file with our grammar', async () => {
    const mode = page.locator('.statusbar-item[id="status.editor.mode"]');
    await page.waitForFunction(() => document.querySelector('.statusbar-item[id="status.editor.mode"]')?.textContent?.includes('Nmap Service Probes'));
    assert.match(await mode.textContent(), /Nmap Service Probes/);
    // TextMate colours: directives, names, patterns and versioninfo get distinct token classes.
    await page.waitForFunction(() => new Set([...document.querySelectorAll('.view-lines span span')].map((e) => e.className)).size >= 5);
    await shot('language');
  });

  it('shows a diagnostic squiggle, and its message in the hover', async () => {
    await page.locator('.monaco-editor .squiggly-error').first().waitFor({ state: 'attached' });
    await shot('squiggle');
    // The squiggle is under the value of `rarity 12`; its hover holds our text and the diagnostic.
    const word = page.locator('.view-line span span', { hasText: /^12$/ }).first();
    await word.hover();
    const hover = page.locator('.monaco-hover:not(.hidden)').filter({ hasText: 'intensity' }).first();
    await hover.waitFor({ state: 'visible' });
    await page.waitForFunction(() => /NSP\d{3}/.test(document.querySelector('.monaco-hover:not(.hidden)')?.textContent ?? ''));
    const text = (await hover.textContent()) as string;
    assert.match(text, /rarity 12: sent when `?--version-intensity`? is 12 or more/);
    assert.match(text, /NSP\d{3}/);
    await shot('hover');
    await page.keyboard.press('Escape');
  });

  it('renders the code lenses', async () => {
    await page.locator('.codelens-decoration a', { hasText: 'Test against captures (1)' }).first().waitFor({ state: 'visible' });
    await page.locator('.codelens-decoration a', { hasText: 'Run probe against' }).first().waitFor({ state: 'visible' });
    await shot('lenses');
  });

  it('runs "Test against captures" and shows the result', async () => {
    // The last lens is the one on the ProFTPD match line, which the fingerprint's RTSPRequest reply reaches.
    await page.locator('.codelens-decoration a', { hasText: 'Test against captures (1)' }).last().click();
    const toast = page.locator('.notifications-toasts .notification-list-item', { hasText: 'decided here' }).first();
    await toast.waitFor({ state: 'visible' });
    const text = (await toast.textContent()) as string;
    assert.match(text, /Captures at line 10: 1 of 1 decided here, 1 passed, 0 failed/);
    // Toasts fade in: wait until the progress toast has gone and the result is fully opaque.
    await page.locator('.notifications-toasts .notification-list-item', { hasText: 'testing against captures' }).waitFor({ state: 'detached' });
    await page.waitForFunction(() => [...document.querySelectorAll('.notifications-toasts .notification-toast')].every((e) => getComputedStyle(e).opacity === '1'));
    await shot('captures-result');
  });

  it('lists the workspace fingerprint in the Test Explorer and runs it', async () => {
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+Shift+P');
    await page.locator('.quick-input-widget input').waitFor({ state: 'visible' });
    await page.keyboard.type('Testing: Focus on Test Explorer View', { delay: 10 });
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Focus on Test Explorer View' }).first().waitFor({ state: 'visible' });
    await page.keyboard.press('Enter');
    const file = page.locator('.test-explorer .monaco-list-row', { hasText: 'proftpd.sf' }).first();
    await file.waitFor({ state: 'visible' });
    await page.keyboard.press('Control+Shift+P');
    await page.locator('.quick-input-widget input').waitFor({ state: 'visible' });
    await page.keyboard.type('Test: Run All Tests', { delay: 10 });
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Run All Tests' }).first().waitFor({ state: 'visible' });
    await page.keyboard.press('Enter');
    await page.locator('.test-explorer .monaco-list-row .codicon-testing-passed-icon').first().waitFor({ state: 'visible' });
    await shot('test-explorer');
  });
});
