// Starts and stops a throw-away code-server (the real VS Code workbench, served to a headless chromium).
// Used by the editor-suite adapter (code-server-adapter.mjs) and the UI test (test/ui/ui.test.mjs).
// Every run gets its own temp folder for user data, extensions, XDG dirs and the browser profile,
// so nothing is written to $HOME or the clone, and runs never see each other's state.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';

export const CHROMIUM = process.env.PROSODY_SSL_CHROMIUM || '/usr/bin/chromium';

/** Cache folder written by scripts/e2e-setup.sh. */
export function e2eCacheDir() {
  return process.env.PROSODY_SSL_E2E_CACHE || join(homedir(), '.cache', 'prosody-ssl-e2e');
}

/** The code-server launcher to use, or undefined when none is installed. */
export function findCodeServer() {
  const fromEnv = process.env.PROSODY_SSL_CODE_SERVER;
  if (fromEnv) return fromEnv;
  const cached = join(e2eCacheDir(), 'current', 'bin', 'code-server');
  return existsSync(cached) ? cached : undefined;
}

// Workbench settings that keep tests honest: no auto-save writing typed text to disk, no word-based
// suggestions that could satisfy a completion check without our language server, no gallery/telemetry.
const SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'files.autoSave': 'off',
  'editor.wordBasedSuggestions': 'off',
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'security.workspace.trust.enabled': false,
  // Less start-up work on small CI machines: no chat/agent features, no experiments.
  'chat.disableAIFeatures': true,
  'workbench.enableExperiments': false,
  // Screenshots for the README: no empty secondary side bar next to the editor.
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
};

/** Creates the per-run temp folder and the environment code-server and chromium run with. */
export function createRun(prefix = 'prosody-ssl-cs-') {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const sub = (name) => {
    const p = join(dir, name);
    mkdirSync(p, { recursive: true });
    return p;
  };
  const userDataDir = sub('user-data');
  const extensionsDir = sub('extensions');
  sub('user-data/User');
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify(SETTINGS, null, 2));
  const env = {
    ...process.env,
    HOME: sub('home'),
    XDG_CONFIG_HOME: sub('config'),
    XDG_DATA_HOME: sub('data'),
    XDG_CACHE_HOME: sub('cache'),
    TMPDIR: sub('tmp'),
    // '{}' = no extension gallery at all, so neither server nor workbench try to reach Open VSX.
    EXTENSIONS_GALLERY: '{}',
  };
  delete env.PASSWORD;
  delete env.HASHED_PASSWORD;
  const remove = owe(() => {
    if (process.env.PROSODY_SSL_KEEP_RUN) console.error(`kept ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  });
  return { dir, userDataDir, extensionsDir, browserProfile: sub('browser'), env, logFile: join(dir, 'code-server.log'), remove };
}

export function removeRun(run) {
  return run.remove();
}

function csArgs(run) {
  return ['--user-data-dir', run.userDataDir, '--extensions-dir', run.extensionsDir];
}

/** Runs a one-shot code-server CLI command (e.g. --install-extension) and returns its output. */
export function codeServerCli(codeServer, run, args, timeoutMs = 120_000) {
  return new Promise((resolve, reject) => {
    const child = spawn(codeServer, [...csArgs(run), ...args], { env: run.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`code-server ${args.join(' ')} exited with ${code}:\n${out}`));
    });
  });
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** PIDs whose process group is `pgid` (code-server and everything it forked: extension host, our LS, ...). */
function groupMembers(pgid) {
  const pids = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // Fields after the ")" that ends the command name: state ppid pgrp ...
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) === pgid && fields[0] !== 'Z') pids.push(Number(name));
    } catch {
      // process ended while we looked
    }
  }
  return pids;
}

const delay = (ms) => new Promise((r) => setTimeout(r, ms));

// Cleanups still owed (browser, code-server, temp folder). code-server runs in its own process group, so a
// SIGTERM from `timeout` or Ctrl+C would not reach it: on those signals we run every cleanup (newest first, waiting
// for ones already under way), then exit. Each cleanup runs once, whoever asks first.
const cleanups = [];
function owe(cleanup) {
  let running;
  const once = () => (running ??= Promise.resolve().then(cleanup));
  cleanups.push(once);
  return once;
}
for (const [sig, code] of [['SIGTERM', 143], ['SIGINT', 130], ['SIGHUP', 129]]) {
  process.once(sig, async () => {
    console.error(`received ${sig}: stopping browser and code-server`);
    for (const once of [...cleanups].reverse()) {
      try {
        await once();
      } catch {
        // keep cleaning up the rest
      }
    }
    process.exit(code);
  });
}

async function waitHealthy(url, child, deadlineMs) {
  const end = Date.now() + deadlineMs;
  while (Date.now() < end) {
    if (child.exitCode !== null) return false;
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) return true;
    } catch {
      // not listening yet
    }
    await delay(200);
  }
  return false;
}

/**
 * Starts code-server on a free loopback port in its own process group.
 * The smoke-test-driver option makes the built workbench honour the `payload` URL parameter
 * (extensionDevelopmentPath / extensionTestsPath), which is how the vscode-API suite gets in.
 */
export async function startCodeServer(codeServer, run) {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const log = [];
    const child = spawn(
      codeServer,
      [
        ...csArgs(run),
        '--bind-addr', `127.0.0.1:${port}`,
        '--auth', 'none',
        '--disable-telemetry',
        '--disable-update-check',
        '--disable-workspace-trust',
        '--disable-getting-started-override',
        '--ignore-last-opened',
        '--vscode-option', 'enable-smoke-test-driver',
      ],
      { env: run.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
    );
    const collect = (d) => log.push(String(d));
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const stop = owe(() => stopGroup(child, () => writeFileSync(run.logFile, log.join(''))));
    let healthy = false;
    try {
      healthy = await waitHealthy(url, child, 30_000);
    } catch (err) {
      await stop();
      throw err;
    }
    if (healthy) {
      return { port, url, pid: child.pid, stop, log: () => log.join('') };
    }
    await stop();
    // A lost race for the port is the only expected cause; anything else repeats and is reported.
    if (attempt >= 3) throw new Error(`code-server did not become healthy:\n${log.join('')}`);
  }
}

/** SIGTERM the whole group, wait until every member has exited, SIGKILL what remains after 10 s. */
async function stopGroup(child, onDone) {
  const pgid = child.pid;
  const signal = (sig) => {
    try {
      process.kill(-pgid, sig);
    } catch {
      // group already gone
    }
  };
  signal('SIGTERM');
  const end = Date.now() + 10_000;
  while (groupMembers(pgid).length > 0 && Date.now() < end) await delay(100);
  if (groupMembers(pgid).length > 0) {
    signal('SIGKILL');
    const killEnd = Date.now() + 5_000;
    while (groupMembers(pgid).length > 0 && Date.now() < killEnd) await delay(100);
    const left = groupMembers(pgid);
    if (left.length > 0) console.error(`code-server processes still present after SIGKILL: ${left.join(' ')}`);
  }
  onDone();
}

/** Headless Debian chromium through playwright-core, with a throw-away profile. */
export async function launchBrowser(run) {
  const { chromium } = await import('playwright-core');
  const context = await chromium.launchPersistentContext(run.browserProfile, {
    executablePath: CHROMIUM,
    headless: true,
    // Our own signal handlers close the browser (see owe()).
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
    env: run.env,
    viewport: { width: 1400, height: 900 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const originalClose = context.close.bind(context);
  const close = owe(() => originalClose().catch(() => undefined));
  context.close = close;
  return context;
}
