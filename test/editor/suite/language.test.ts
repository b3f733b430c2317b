// The manifest's language contribution reaches a real editor: file names and patterns map to `prosody`.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { SERVER_EXEC_ARGV } from '../../../server/src/launchFlags';
import { activateExtension, EXTENSION_ID, openFixture, positionOf, untilProvided } from './util';

/** The running language servers VS Code started (`… dist/server.js --node-ipc`), by process id: their command lines. */
function servers(): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const argv = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
      if (argv.some((a) => /dist\/server\.js$/.test(a)) && argv.includes('--node-ipc')) found.set(pid, argv);
    } catch {
      // the process ended meanwhile
    }
  }
  return found;
}

const serverProcesses = (): string[][] => [...servers().values()];

suite('language id', () => {
  test('prosody.cfg.lua from the workspace opens as prosody', async () => {
    const doc = await openFixture('prosody.cfg.lua');
    assert.equal(doc.languageId, 'prosody');
  });

  test('conf.d/*.cfg.lua matches the file-name pattern', async () => {
    const doc = await openFixture('conf.d/broken.cfg.lua');
    assert.equal(doc.languageId, 'prosody');
  });

  test('the extension activates for a prosody document', async () => {
    await openFixture('prosody.cfg.lua');
    await activateExtension();
    assert.equal(vscode.extensions.getExtension(EXTENSION_ID)?.isActive, true);
  });

  test('the language server process runs with the memory flags the client passes', async () => {
    const doc = await openFixture('prosody.cfg.lua');
    await activateExtension();
    // Once hover answers, the server process is up.
    const at = positionOf(doc, 'protocol =', 3);
    await untilProvided(
      () => vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, at),
      (h) => (h.length > 0 ? h : undefined),
      'hover on protocol',
    );
    const servers = serverProcesses();
    assert.ok(servers.length > 0, 'no process runs dist/server.js --node-ipc');
    for (const argv of servers) {
      const script = argv.findIndex((a) => /dist\/server\.js$/.test(a));
      for (const flag of SERVER_EXEC_ARGV) assert.ok(argv.slice(0, script).includes(flag), `${flag} missing before the script in ${argv.join(' ')}`);
    }
  });

  test('the version status follows the active file: its version comment, or the setting', async () => {
    await openFixture('prosody.cfg.lua');
    const ext = vscode.extensions.getExtension<{ versionStatus(): { text: string; detail?: string; command?: string } }>(EXTENSION_ID);
    assert.ok(ext);
    const api = await ext.activate();
    const shows = async (text: string, detail: RegExp): Promise<void> => {
      const deadline = Date.now() + 60_000;
      for (;;) {
        const s = api.versionStatus();
        if (s.text === text && detail.test(s.detail ?? '')) return;
        if (Date.now() > deadline) assert.fail(`status ${JSON.stringify(s)}, expected ${text} ${detail}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    await openFixture('conf.d/old.cfg.lua');
    await shows('Prosody 0.9', /version comment/);
    // The setting changes nothing for a file whose comment names the version: no link to it (a reviewer).
    assert.equal(api.versionStatus().command, undefined);
    // Back to a file checked before: its own version at once, not the last file's.
    await openFixture('prosody.cfg.lua');
    await shows('Prosody 13.0', /prosodySsl\.prosodyVersion setting/);
    assert.equal(api.versionStatus().command, 'workbench.action.openSettings');
    await openFixture('conf.d/old.cfg.lua');
    await shows('Prosody 0.9', /version comment/);
  });

  test('Prosody TLS: Restart Language Server starts a new server process, which answers', async () => {
    const doc = await openFixture('prosody.cfg.lua');
    await activateExtension();
    const at = positionOf(doc, 'protocol =', 3);
    const hover = (): Thenable<vscode.Hover[]> => vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, at);
    await untilProvided(hover, (h) => (h.length > 0 ? h : undefined), 'hover before the restart');
    const before = new Set(servers().keys());
    assert.ok((await vscode.commands.getCommands(true)).includes('prosodySsl.restartServer'));
    await vscode.commands.executeCommand('prosodySsl.restartServer');
    await untilProvided(
      async () => [...servers().keys()].filter((pid) => !before.has(pid)),
      (fresh) => (fresh.length > 0 ? fresh : undefined),
      'a new server process',
    );
    await untilProvided(hover, (h) => (h.length > 0 ? h : undefined), 'hover after the restart');
  });
});
