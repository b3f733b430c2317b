// UI smoke test: the packaged extension (prosody-ssl.vsix), installed into a fresh code-server, used like a person
// would in the real workbench through headless chromium: completion in an ssl table, hover on a key, a syntax error
// in the Problems panel. Saves screenshots for the README to images/. Prints `ui: N passed, N failed`.
// Env: PROSODY_SSL_VSIX (default ./prosody-ssl.vsix), PROSODY_SSL_SCREENSHOTS (default ./images).
import { cpSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  codeServerCli,
  createRun,
  findCodeServer,
  launchBrowser,
  removeRun,
  startCodeServer,
} from '../editor/code-server-host.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
const vsix = resolve(process.env.PROSODY_SSL_VSIX || join(root, 'prosody-ssl.vsix'));
const shots = resolve(process.env.PROSODY_SSL_SCREENSHOTS || join(root, 'images'));
const EXTENSION_ID = 'prosody-ssl.prosody-ssl';

const failureShots = join(root, 'test-results');
const results = [];
let currentPage;
async function check(name, fn) {
  const started = Date.now();
  try {
    await fn();
    results.push({ name, ok: true });
    console.log(`  ok   ${name} (${Date.now() - started} ms)`);
  } catch (err) {
    results.push({ name, ok: false });
    console.log(`  FAIL ${name} (${Date.now() - started} ms)\n       ${String(err?.message ?? err).split('\n').join('\n       ')}`);
    // What the workbench showed at the failure (test-results/ is git-ignored).
    if (currentPage && !currentPage.isClosed()) {
      mkdirSync(failureShots, { recursive: true });
      const file = join(failureShots, `ui-failure-${results.length}.png`);
      await currentPage.screenshot({ path: file }).then(() => console.log(`       screenshot: ${file}`), () => undefined);
    }
  }
}
function assert(cond, message) {
  if (!cond) throw new Error(message);
}
const delay = (ms) => new Promise((r) => setTimeout(r, ms));

/** Ctrl+P, the file name, its row; resolves when its tab is the active one. */
async function openFile(page, relative) {
  const name = relative.split('/').pop();
  const input = page.locator('.quick-input-widget input');
  // Quick open searches asynchronously (the first search starts the file searcher, slow on a busy machine) and may
  // still list the previous search's rows: wait for this file's row, asking again if it does not come.
  const row = page.locator(`.quick-input-list .monaco-list-row[aria-label*="${name}"]`).first();
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('Control+P');
    await input.waitFor({ state: 'visible', timeout: 15_000 });
    await input.fill(relative);
    try {
      await row.waitFor({ timeout: 15_000 });
      break;
    } catch (err) {
      await page.keyboard.press('Escape');
      if (attempt >= 4) throw err;
    }
  }
  await row.click();
  await page.locator(`.tab.active[aria-label^="${name}"]`).waitFor({ timeout: 15_000 });
  await page.locator('.editor-instance .view-lines').first().waitFor({ timeout: 15_000 });
}

/** Moves the cursor to a 1-based line through quick open's `:line`. */
async function goToLine(page, line) {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 15_000 });
  await input.fill(`:${line}`);
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 15_000 });
}

/** Screen rectangle of the first occurrence of `word` in the active editor's visible lines. */
async function wordBox(page, word) {
  return page.evaluate((w) => {
    const lines = document.querySelector('.editor-instance .view-lines');
    if (!lines) return null;
    const walker = document.createTreeWalker(lines, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const i = (node.textContent ?? '').indexOf(w);
      if (i < 0) continue;
      const range = document.createRange();
      range.setStart(node, i);
      range.setEnd(node, i + w.length);
      const r = range.getBoundingClientRect();
      return { x: r.x, y: r.y, width: r.width, height: r.height };
    }
    return null;
  }, word);
}

async function completionCheck(page) {
  await openFile(page, 'prosody.cfg.lua');
  // Line 14 is the empty line inside the global `ssl = { ... }` table of the fixture.
  await goToLine(page, 14);
  await page.keyboard.type('\tpro');
  const rows = page.locator('.suggest-widget.visible .monaco-list-row');
  let labels = [];
  // The server starts asynchronously after the file opens: ask again until it answers (10 × 3 s).
  for (let attempt = 0; attempt < 10; attempt++) {
    await page.keyboard.press('Control+Space');
    try {
      await rows.first().waitFor({ state: 'visible', timeout: 3_000 });
      labels = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
      if (labels.some((l) => /^protocol\b/.test(l) && !/snippet/i.test(l))) break;
    } catch {
      // no widget yet
    }
    await page.keyboard.press('Escape');
  }
  console.log(`       suggest rows: ${JSON.stringify(labels)}`);
  const protocol = labels.find((l) => /^protocol\b/.test(l) && !/snippet/i.test(l));
  assert(protocol, `no 'protocol' row in the suggest widget: ${JSON.stringify(labels)}`);
  // Show the details pane so the screenshot includes the server's documentation.
  const details = page.locator('.suggest-details-container .suggest-details');
  if (!(await details.isVisible())) await page.keyboard.press('Control+Space');
  await delay(300);
  await page.screenshot({ path: join(shots, 'screenshot-completion.png') });
  await page.keyboard.press('Escape');
  // Take the typed text back so the file is valid again for the next checks (autoSave is off: disk is untouched).
  await page.keyboard.press('Control+Z');
}

async function hoverCheck(page) {
  await openFile(page, 'prosody.cfg.lua');
  const hover = page.locator('.monaco-hover-content').first();
  let text = '';
  for (let attempt = 0; attempt < 10 && !/certificate/i.test(text); attempt++) {
    const box = await wordBox(page, 'certificate');
    assert(box, 'the word certificate is not visible in the editor');
    await page.mouse.move(5, 5); // leave and re-enter so the hover is asked for again
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    try {
      await hover.waitFor({ state: 'visible', timeout: 3_000 });
      text = (await hover.innerText()).trim();
    } catch {
      // server not ready yet
    }
  }
  console.log(`       hover: ${JSON.stringify(text.slice(0, 160))}`);
  assert(/certificate/i.test(text), `hover does not mention certificate: ${JSON.stringify(text)}`);
  await page.screenshot({ path: join(shots, 'screenshot-hover.png') });
  await page.mouse.move(5, 5);
}

async function problemsCheck(page) {
  await openFile(page, 'conf.d/broken.cfg.lua');
  await page.keyboard.press('Control+Shift+M');
  const panel = page.locator('.markers-panel');
  await panel.waitFor({ state: 'visible', timeout: 15_000 });
  const rows = panel.locator('.monaco-list-row');
  let labels = [];
  const end = Date.now() + 60_000;
  while (Date.now() < end) {
    labels = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? e.textContent ?? ''));
    if (labels.some((l) => /error/i.test(l) && /prosody-ssl/i.test(l))) break;
    await delay(500);
  }
  console.log(`       problems rows: ${JSON.stringify(labels)}`);
  assert(
    labels.some((l) => /error/i.test(l) && /prosody-ssl/i.test(l)),
    `no prosody-ssl error in the Problems panel: ${JSON.stringify(labels)}`,
  );
  await page.screenshot({ path: join(shots, 'screenshot-problems.png') });
}

async function main() {
  const codeServer = findCodeServer();
  if (!codeServer) throw new Error('no code-server; run scripts/e2e-setup.sh or set PROSODY_SSL_CODE_SERVER');
  if (!existsSync(vsix)) throw new Error(`${vsix} is missing; run \`npm run package\` first`);
  mkdirSync(shots, { recursive: true });
  const run = createRun('prosody-ssl-ui-');
  const workspace = join(run.dir, 'workspace');
  cpSync(join(here, 'fixtures', 'workspace'), workspace, { recursive: true });
  let server;
  let browser;
  try {
    await check('vsix installs into a fresh extensions dir', async () => {
      await codeServerCli(codeServer, run, ['--install-extension', vsix]);
      const list = await codeServerCli(codeServer, run, ['--list-extensions', '--show-versions']);
      assert(list.includes(`${EXTENSION_ID}@`), `not listed after install: ${list.trim()}`);
    });
    server = await startCodeServer(codeServer, run);
    browser = await launchBrowser(run);
    const page = browser.pages()[0] ?? (await browser.newPage());
    currentPage = page;
    await check('workbench opens the workspace', async () => {
      await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}`);
      await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
      // The explorer listing the fixture file means the folder is open and read.
      await page.locator('.explorer-folders-view .monaco-list-row[aria-label*="prosody.cfg.lua"]').first().waitFor({ timeout: 60_000 });
    });
    await check('prosody.cfg.lua is shown as Prosody Config', async () => {
      await openFile(page, 'prosody.cfg.lua');
      const mode = page.locator('[id="status.editor.mode"]');
      await mode.waitFor({ timeout: 15_000 });
      const text = (await mode.innerText()).trim();
      assert(/prosody/i.test(text), `status bar language is ${JSON.stringify(text)}`);
    });
    await check('completion offers protocol inside ssl = { }', () => completionCheck(page));
    await check('hover on certificate shows its documentation', () => hoverCheck(page));
    await check('Problems panel lists the syntax error', () => problemsCheck(page));
  } catch (err) {
    results.push({ name: 'setup', ok: false });
    console.log(`  FAIL setup: ${err?.stack ?? err}`);
  } finally {
    await browser?.close().catch(() => undefined);
    await server?.stop();
    if (results.some((r) => !r.ok) && server) console.log(`code-server log tail:\n${server.log().split('\n').slice(-20).join('\n')}`);
    removeRun(run);
  }
}

try {
  await main();
} catch (err) {
  results.push({ name: 'prerequisites', ok: false });
  console.log(`  FAIL ${err?.message ?? err}`);
}
const passed = results.filter((r) => r.ok).length;
const failed = results.length - passed;
console.log(`ui: ${passed} passed, ${failed} failed`);
process.exitCode = failed > 0 || passed === 0 ? 1 : 0;
