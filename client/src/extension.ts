// VS Code client: starts the bundled language server over IPC, shows the Prosody version in force
// in a language status item, and passes settings through. All analysis lives in the server.

import * as path from 'node:path';
import * as vscode from 'vscode';
import { DEFAULT_LINE, lineOf } from '../../server/src/service/catalog/versions';
import { SERVER_EXEC_ARGV } from '../../server/src/launchFlags';
import { LanguageClient, RevealOutputChannelOn, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';

let client: LanguageClient | undefined;

interface StatusParams {
  readonly uri: string;
  readonly prosodyVersion: string;
  readonly source: 'setting' | 'directive' | 'file' | 'main';
  /** With source `file`: the .prosody-ssl.json that names the version. */
  readonly settingsFile?: string;
  /** With source `main`: the main config whose version comment names it (this file is one it Includes). */
  readonly mainFile?: string;
}

/** What the extension exposes to other extensions (and to the editor tests): the version status as shown. */
export interface ProsodySslApi {
  /** `command`: the id the status item's link runs (where the version in force can be changed). */
  versionStatus(): { readonly text: string; readonly detail?: string; readonly command?: string };
}

/** Where the version in force is set, as the status item's link: the setting, the settings file, or (a comment in the file itself) nowhere else. */
function changeCommand(p: StatusParams | undefined): vscode.Command | undefined {
  if (!p || p.source === 'setting') return { title: 'Change', command: 'workbench.action.openSettings', arguments: ['prosodySsl.prosodyVersion'] };
  if (p.source === 'file' && p.settingsFile) return { title: 'Open', command: 'vscode.open', arguments: [vscode.Uri.file(p.settingsFile)] };
  if (p.source === 'main' && p.mainFile) return { title: 'Open', command: 'vscode.open', arguments: [vscode.Uri.file(p.mainFile)] };
  return undefined;
}

export async function activate(context: vscode.ExtensionContext): Promise<ProsodySslApi> {
  const serverModule = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: [...SERVER_EXEC_ARGV] } },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: [...SERVER_EXEC_ARGV, '--nolazy', '--inspect=6012'] } },
  };
  const output = vscode.window.createOutputChannel('Prosody TLS', { log: true });
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'prosody' },
      { scheme: 'untitled', language: 'prosody' },
    ],
    // Certificate/key changes refresh the file diagnostics (the server re-reads them on the next check).
    synchronize: { configurationSection: 'prosodySsl', fileEvents: [vscode.workspace.createFileSystemWatcher('**/*.{pem,crt,key}'), vscode.workspace.createFileSystemWatcher('**/.prosody-ssl.json'), vscode.workspace.createFileSystemWatcher('**/prosody.cfg.lua')] },
    initializationOptions: (() => {
      const c = vscode.workspace.getConfiguration('prosodySsl');
      return { prosodyVersion: c.get('prosodyVersion'), rules: c.get('rules'), validate: c.get('validate'), checkFiles: c.get('checkFiles'), trusted: vscode.workspace.isTrusted };
    })(),
    outputChannel: output,
    revealOutputChannelOn: RevealOutputChannelOn.Never,
    // The default error handler restarts a crashed server (up to 4 times in 3 minutes).
  };
  client = new LanguageClient('prosodySsl', 'Prosody TLS', serverOptions, clientOptions);

  const status = vscode.languages.createLanguageStatusItem('prosodySsl.version', { language: 'prosody' });
  status.name = 'Prosody version';
  status.command = changeCommand(undefined);
  // The last status per document: switching to a file already checked shows its own version, not the last one's.
  const statuses = new Map<string, StatusParams>();
  const showSetting = (): void => {
    // As the server reads it: "13" and "0.12.4" name their line, anything else leaves the default.
    status.text = `Prosody ${lineOf(vscode.workspace.getConfiguration('prosodySsl').get<unknown>('prosodyVersion')) ?? DEFAULT_LINE}`;
    status.detail = 'from the prosodySsl.prosodyVersion setting';
    status.command = changeCommand(undefined);
  };
  showSetting();
  context.subscriptions.push(
    status,
    output,
    vscode.workspace.onDidChangeConfiguration((e) => {
      // The server re-checks every document and sends their statuses again; until then the setting is shown.
      if (!e.affectsConfiguration('prosodySsl.prosodyVersion')) return;
      statuses.clear();
      showSetting();
    }),
  );

  // After the client gives up on a crashing server (five crashes), or the server failed to start, this is the way
  // back without a window reload; registered before the first start, which may fail.
  context.subscriptions.push(
    vscode.commands.registerCommand('prosodySsl.restartServer', async () => {
      if (!client) return;
      // restart() stops first, which a client that is not running refuses ("Client is not running").
      if (client.isRunning()) await client.restart();
      else await client.start();
    }),
  );
  await client.start();
  // In Restricted Mode the server reads only workspace files; tell it when the user trusts the workspace.
  context.subscriptions.push(vscode.workspace.onDidGrantWorkspaceTrust(() => void client?.sendNotification('prosodySsl/workspaceTrusted')));
  const showStatus = (uri: string | undefined): void => {
    const p = uri === undefined ? undefined : statuses.get(uri);
    if (!p) return showSetting();
    status.text = `Prosody ${p.prosodyVersion}`;
    status.detail =
      p.source === 'directive' ? 'from the prosody-ssl: version comment in this file' : p.source === 'main' ? `from the prosody-ssl: version comment in ${p.mainFile ?? 'the main config'}, which includes this file` : p.source === 'file' ? `from ${p.settingsFile ?? '.prosody-ssl.json'}` : 'from the prosodySsl.prosodyVersion setting';
    // The setting changes nothing where a settings file or the file's own comment names the version (a reviewer).
    status.command = changeCommand(p);
  };
  const activeUri = (): string | undefined => vscode.window.activeTextEditor?.document.uri.toString();
  context.subscriptions.push(
    client.onNotification('prosodySsl/status', (p: StatusParams) => {
      statuses.set(p.uri, p);
      if (activeUri() === p.uri) showStatus(p.uri);
    }),
    vscode.window.onDidChangeActiveTextEditor(() => showStatus(activeUri())),
    vscode.workspace.onDidCloseTextDocument((d) => statuses.delete(d.uri.toString())),
  );
  return { versionStatus: () => ({ text: status.text, detail: status.detail, command: status.command?.command }) };
}

export async function deactivate(): Promise<void> {
  if (client) await client.stop();
  client = undefined;
}
