// Stands in for the VS Code executable that @vscode/test-electron's runTests() launches, where no desktop
// VS Code can be downloaded. It accepts the same command line (--extensionDevelopmentPath=, --extensionTestsPath=,
// a folder to open; profile and sandbox flags are ignored because every run gets fresh dirs), runs the suite in
// code-server's extension host through the workbench `payload` URL parameter, and exits with the suite's code.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { format } from 'node:util';
import { createRun, findCodeServer, launchBrowser, removeRun, startCodeServer } from './code-server-host.mjs';

const TIMEOUT_MS = Number(process.env.PROSODY_SSL_EDITOR_TIMEOUT_MS || 180_000);

function parseArgs(argv) {
  const devPaths = [];
  let testsPath;
  let folder;
  for (const arg of argv) {
    if (arg.startsWith('--extensionDevelopmentPath=')) devPaths.push(resolve(arg.slice(arg.indexOf('=') + 1)));
    else if (arg.startsWith('--extensionTestsPath=')) testsPath = resolve(arg.slice(arg.indexOf('=') + 1));
    else if (!arg.startsWith('-') && folder === undefined) folder = resolve(arg);
  }
  return { devPaths, testsPath, folder };
}

async function main() {
  const { devPaths, testsPath, folder } = parseArgs(process.argv.slice(2));
  if (!testsPath || devPaths.length === 0) {
    console.error('code-server-adapter: need --extensionDevelopmentPath= and --extensionTestsPath=');
    return 2;
  }
  const codeServer = findCodeServer();
  if (!codeServer) {
    console.error('code-server-adapter: no code-server; run scripts/e2e-setup.sh or set PROSODY_SSL_CODE_SERVER');
    return 2;
  }
  const run = createRun();
  const started = Date.now();
  const verbose = Boolean(process.env.PROSODY_SSL_VERBOSE);
  const workbenchLog = [];
  const workspace = folder && existsSync(folder) ? folder : run.dir;
  let server;
  let browser;
  let code = 1;
  try {
    server = await startCodeServer(codeServer, run);
    // The workbench resolves these URIs on the remote (code-server) side, i.e. our local file system.
    const remote = (p) => `vscode-remote://127.0.0.1:${server.port}${p}`;
    const payload = [
      ...devPaths.map((p) => ['extensionDevelopmentPath', remote(p)]),
      ['extensionTestsPath', remote(testsPath)],
    ];
    browser = await launchBrowser(run);
    const page = browser.pages()[0] ?? (await browser.newPage());
    let settle;
    const exited = new Promise((r) => (settle = r));
    // The workbench calls these when the suite logs and when its run() promise settles.
    // The workbench's own chatter comes through here too: keep it, print it only on failure or when asked.
    await page.exposeFunction('codeAutomationLog', (type, args) => {
      const text = format(...(Array.isArray(args) ? args : [args]));
      const line = `[${((Date.now() - started) / 1000).toFixed(1)}s ${type}] ${text}`;
      workbenchLog.push(line);
      if (verbose) console.log(line);
    });
    await page.exposeFunction('codeAutomationExit', (exitCode) => settle(Number(exitCode)));
    const url =
      `${server.url}/?folder=${encodeURIComponent(workspace)}` + `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    await page.goto(url);
    let timer;
    const timeout = new Promise((r) => {
      timer = setTimeout(() => r('timeout'), TIMEOUT_MS);
    });
    const result = await Promise.race([exited, timeout]);
    clearTimeout(timer);
    if (result === 'timeout') {
      console.error(`code-server-adapter: suite did not finish within ${TIMEOUT_MS} ms`);
      code = 1;
    } else {
      code = result;
    }
  } catch (err) {
    console.error('code-server-adapter:', err instanceof Error ? err.stack : err);
    code = 1;
  } finally {
    await browser?.close().catch(() => undefined);
    await server?.stop();
    if (code !== 0 && !verbose) console.error(`workbench log:\n${workbenchLog.join('\n')}`);
    if (code !== 0 && server) console.error(`code-server log tail:\n${server.log().split('\n').slice(-30).join('\n')}`);
    console.error(`code-server-adapter: exit ${code} after ${((Date.now() - started) / 1000).toFixed(1)} s`);
    removeRun(run);
  }
  return code;
}

process.exitCode = await main();
