// The extension in a real VS Code: code-server 4.100.3 (VS Code 1.100.3, installed under /tmp by
// ../shared/vscode-e2e's recipe) with our .vsix installed, driven by Debian's headless Chromium
// through playwright-core. Checks in the page that the language is recognised, a diagnostic
// squiggle appears, a hover shows, the code lenses render, "Test against captures" opens the results
// view, and the live commands, pointed at banner servers this test runs on 127.0.0.1, show the
// verdict, a link that reveals the matched line, and the service fingerprint with its Copy action;
// the target asked for once is named on the lenses and changed by "Change target…"; a scan of a
// silent service is cancelled from its progress notification.
// Every wait polls for a condition with a timeout; screenshots go to test-output/vscode-e2e.
//
// Run: npm run test:e2e (installs code-server and playwright-core into /tmp when missing).

import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ROOT, SHARED } from '../build';

// The callbacks given to page.waitForFunction run in the browser; these names exist only there.
declare const document: {
  querySelector(s: string): { textContent: string | null } | null;
  querySelectorAll(s: string): ArrayLike<{ className: string; textContent: string | null }> & Iterable<{ className: string; textContent: string | null }>;
};
declare const navigator: { clipboard: { readText(): Promise<string> } };

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

/** Polls `ok` every 100 ms until it holds; fails with `message` after STEP ms. */
async function poll(ok: () => boolean, message: string): Promise<void> {
  const end = Date.now() + STEP;
  while (!ok()) {
    if (Date.now() > end) assert.fail(message);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function ensureTools(): void {
  if (!existsSync(CS_BIN)) execFileSync('bash', [path.join(RECIPE, 'install-code-server.sh'), CS_APP], { stdio: 'inherit', timeout: 1_200_000 });
  if (!existsSync(PW)) {
    mkdirSync(TOOLS, { recursive: true });
    execFileSync('npm', ['install', '--prefix', TOOLS, '--ignore-scripts', '--no-audit', '--no-fund', 'playwright-core@1.65.1'], { stdio: 'inherit', timeout: 300_000 });
  }
}

const SSH_BANNER = 'SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n';

/**
 * A TCP server on 127.0.0.1 that sends `banner` to every connection ('' sends nothing: a service
 * that waits for the client); open() counts the connections still open; close() drops them all.
 */
async function bannerServer(banner: string): Promise<{ server: Server; port: number; open(): number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((c) => {
    sockets.add(c);
    c.on('close', () => sockets.delete(c));
    c.on('error', () => undefined);
    if (banner) c.write(banner);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    server,
    port: (server.address() as { port: number }).port,
    open: () => sockets.size,
    close: () => {
      for (const c of sockets) c.destroy();
      return new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/* eslint-disable @typescript-eslint/no-explicit-any -- playwright-core is loaded from /tmp, untyped here. */
describe('the extension in VS Code (code-server + headless Chromium)', function () {
  this.timeout(1_500_000);
  let csRoot: string;
  let ws: string;
  let context: any;
  let page: any;
  let port: number;
  let ssh: Awaited<ReturnType<typeof bannerServer>>;
  let unknown: Awaited<ReturnType<typeof bannerServer>>;
  let silent: Awaited<ReturnType<typeof bannerServer>>;
  let step = 0;
  /** Waits until the text rendered in some editor matches `re` (editors draw spaces as U+00A0). */
  const editorText = (re: RegExp) =>
    page.waitForFunction(
      (src: string) => {
        const all = [...document.querySelectorAll('.monaco-editor .view-lines')].map((e) => (e.textContent ?? '').replace(/\u00a0/g, ' '));
        return all.some((t) => new RegExp(src).test(t));
      },
      re.source,
    );
  /** Types a target into the live commands' input box; returns what it held before (the remembered one). */
  const enterTarget = async (target: string): Promise<string> => {
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await page.waitForFunction(() => /target host:port/.test(document.querySelector('.quick-input-widget')?.textContent ?? ''));
    const before = (await input.inputValue()) as string;
    await input.fill(target);
    await page.keyboard.press('Enter');
    return before;
  };
  const shot = async (name: string) => {
    step++;
    await page.screenshot({ path: path.join(SHOTS, `${String(step).padStart(2, '0')}-${name}.png`) });
  };

  before(async () => {
    ensureTools();
    ssh = await bannerServer(SSH_BANNER);
    unknown = await bannerServer('HELLO nothing here\r\n');
    silent = await bannerServer('');
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
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: `http://127.0.0.1:${port}` });
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
      await ssh?.close();
      await unknown?.close();
      await silent?.close();
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
    const hover = page.locator('.monaco-hover:not(.hidden)').filter({ hasText: 'intensity' }).first();
    // The editor shows a hover on a mouse move over the word; one move can come before the editor
    // listens (a fresh-clone CI run once waited 90 s for a hover that never opened), so the pointer
    // leaves and comes back until it opens.
    for (let attempt = 1; ; attempt++) {
      await page.mouse.move(0, 0);
      await word.hover();
      try {
        await hover.waitFor({ state: 'visible', timeout: 15_000 });
        break;
      } catch (e) {
        if (attempt === 5) throw e;
      }
    }
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

  it('runs "Test against captures" and shows the result in the results view', async () => {
    // The last such lens is on the ProFTPD match line (12), which the fingerprint's RTSPRequest
    // reply reaches and which decides it; resolved, it says so.
    const lens = page.locator('.codelens-decoration a', { hasText: 'Test against captures (1): 1 passed' }).last();
    await lens.waitFor({ state: 'visible' });
    await lens.click();
    await page.locator('.tabs-container .tab.active', { hasText: 'Captures at line 12' }).first().waitFor({ state: 'visible' });
    await editorText(/Captures at line 12: 1 of 1 decided here, 1 passed, 0 failed\./);
    await editorText(/✓ proftpd {2}\(proftpd\.sf\) — passed/);
    await editorText(/matched {3}line 12/);
    await shot('captures-result');
  });

  it('runs "Test live…" against a banner on 127.0.0.1: verdict, and a link that reveals the matched line', async () => {
    await page.locator('.tabs-container .tab[aria-label^="nmap-service-probes"]').first().click();
    // The second match line of the NULL probe (line 7) is the OpenSSH one.
    await page.locator('.codelens-decoration a', { hasText: 'Test live…' }).nth(1).click();
    await enterTarget(`127.0.0.1:${ssh.port}`);
    await page.locator('.tabs-container .tab.active', { hasText: `Test live 127.0.0.1:${ssh.port}` }).first().waitFor({ state: 'visible' });
    await editorText(/service {5}ssh/);
    await editorText(/product {5}OpenSSH/);
    await editorText(/version {5}9\.2p1 Debian 2\+deb12u3/);
    await editorText(/matched {5}line 7 {2}match, probe NULL/);
    await editorText(/1\. NULL {2}TCP, connection 1/);
    await shot('test-live-result');
    // The link: Ctrl+click reveals line 7 in the probes file.
    const link = page.locator('.monaco-editor .view-lines .detected-link', { hasText: 'line 7' }).first();
    await link.waitFor({ state: 'visible' });
    await link.click({ modifiers: ['Control'] });
    await page.locator('.tabs-container .tab.active[aria-label^="nmap-service-probes"]').first().waitFor({ state: 'visible' });
    await page.waitForFunction(() => /Ln 7,/.test(document.querySelector('.statusbar-item[id="status.editor.selection"]')?.textContent ?? ''));
    await shot('matched-line-revealed');
  });

  it('names the remembered target on the lenses; "Change target…" changes it; "Version scan" of a service no line names: the fingerprint, copied by its Copy action', async () => {
    // The target asked for once is remembered: the live lenses name it and run without asking.
    await page.locator('.codelens-decoration a', { hasText: `Test live 127.0.0.1:${ssh.port}` }).first().waitFor({ state: 'visible' });
    await page.locator('.codelens-decoration a', { hasText: `Version scan 127.0.0.1:${ssh.port}` }).first().waitFor({ state: 'visible' });
    // "Change target…" (on the NULL probe) asks again, pre-filled with the remembered one.
    await page.locator('.codelens-decoration a', { hasText: 'Change target…' }).first().click();
    assert.equal(await enterTarget(`127.0.0.1:${unknown.port}`), `127.0.0.1:${ssh.port}`);
    await page.locator('.codelens-decoration a', { hasText: `Version scan 127.0.0.1:${unknown.port}` }).first().click();
    await page.locator('.tabs-container .tab.active', { hasText: `Version scan 127.0.0.1:${unknown.port}` }).first().waitFor({ state: 'visible' });
    await editorText(/status: unrecognized/);
    await editorText(/\(no line matched\)/);
    const copy = page.locator('.codelens-decoration a', { hasText: 'Copy fingerprint' }).first();
    await copy.waitFor({ state: 'visible' });
    await copy.click();
    await page.locator('.notifications-toasts .notification-list-item', { hasText: 'fingerprint copied' }).first().waitFor({ state: 'visible' });
    const clip = (await page.evaluate(() => navigator.clipboard.readText())) as string;
    assert.match(clip, new RegExp(`^SF-Port${unknown.port}-TCP:`));
    assert.match(clip, /%r\(NULL,/);
    await shot('fingerprint-copied');
  });

  it('cancels a scan from its progress notification: the scan stops and no result opens', async () => {
    // A service that never speaks keeps the scan waiting (the NULL probe's 5 s, then the next
    // probe's), long enough to cancel.
    await page.keyboard.press('Escape');
    await page.locator('.tabs-container .tab[aria-label^="nmap-service-probes"]').first().click();
    await page.locator('.codelens-decoration a', { hasText: 'Change target…' }).first().click();
    await enterTarget(`127.0.0.1:${silent.port}`);
    await page.locator('.codelens-decoration a', { hasText: `Version scan 127.0.0.1:${silent.port}` }).first().click();
    const toast = page.locator('.notifications-toasts .notification-list-item', { hasText: `Version scan 127.0.0.1:${silent.port}` }).first();
    await toast.waitFor({ state: 'visible' });
    // The scan is under way: the silent service has its connection.
    await poll(() => silent.open() > 0, 'the scan never connected');
    await shot('scan-in-progress');
    await toast.locator('.monaco-button', { hasText: 'Cancel' }).first().click();
    await page.locator('.notifications-toasts .notification-list-item', { hasText: `Version scan 127.0.0.1:${silent.port} cancelled.` }).first().waitFor({ state: 'visible' });
    // The scanning process is gone (its connection closed with it) and no result view opened.
    await poll(() => silent.open() === 0, 'the connection stayed open after cancelling');
    assert.equal(await page.locator('.tabs-container .tab', { hasText: `Version scan 127.0.0.1:${silent.port}` }).count(), 0);
    await shot('scan-cancelled');
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
