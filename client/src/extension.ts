// VS Code client: starts the bundled language server over IPC, shows the Prosody version in force
// in a language status item, and passes settings through. All analysis lives in the server.

import * as path from 'node:path';
import * as vscode from 'vscode';
import { DEFAULT_LINE } from '../../server/src/service/catalog/versions';
import { SERVER_EXEC_ARGV } from '../../server/src/launchFlags';
import { LanguageClient, RevealOutputChannelOn, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';

let client: LanguageClient | undefined;

interface StatusParams {
  readonly uri: string;
  readonly prosodyVersion: string;
  readonly source: 'setting' | 'directive' | 'file';
  /** With source `file`: the .prosody-ssl.json that names the version. */
  readonly settingsFile?: string;
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
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
    synchronize: { configurationSection: 'prosodySsl', fileEvents: [vscode.workspace.createFileSystemWatcher('**/*.{pem,crt,key}'), vscode.workspace.createFileSystemWatcher('**/.prosody-ssl.json')] },
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
  status.command = { title: 'Change', command: 'workbench.action.openSettings', arguments: ['prosodySsl.prosodyVersion'] };
  const showSetting = (): void => {
    status.text = `Prosody ${vscode.workspace.getConfiguration('prosodySsl').get<string>('prosodyVersion') ?? DEFAULT_LINE}`;
    status.detail = 'from the prosodySsl.prosodyVersion setting';
  };
  showSetting();
  context.subscriptions.push(
    status,
    output,
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('prosodySsl.prosodyVersion')) showSetting();
    }),
  );

  await client.start();
  // In Restricted Mode the server reads only workspace files; tell it when the user trusts the workspace.
  context.subscriptions.push(vscode.workspace.onDidGrantWorkspaceTrust(() => void client?.sendNotification('prosodySsl/workspaceTrusted')));
  context.subscriptions.push(
    client.onNotification('prosodySsl/status', (p: StatusParams) => {
      if (vscode.window.activeTextEditor?.document.uri.toString() !== p.uri) return;
      status.text = `Prosody ${p.prosodyVersion}`;
      status.detail =
        p.source === 'directive' ? 'from the prosody-ssl: version comment in this file' : p.source === 'file' ? `from ${p.settingsFile ?? '.prosody-ssl.json'}` : 'from the prosodySsl.prosodyVersion setting';
    }),
  );
}

export async function deactivate(): Promise<void> {
  if (client) await client.stop();
  client = undefined;
}
