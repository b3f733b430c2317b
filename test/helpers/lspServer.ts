// Starts the bundled server (`node dist/server.js --stdio`, with the Node flags VS Code starts it with) and a real JSON-RPC client on its pipes,
// collecting what it publishes and logs, for the protocol tests.
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import type { PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { SERVER_EXEC_ARGV } from '../../server/src/launchFlags';

export const SERVER = path.resolve(__dirname, '../../..', 'dist', 'server.js');

export interface ServerUnderTest {
  readonly proc: ChildProcess;
  readonly conn: MessageConnection;
  readonly published: PublishDiagnosticsParams[];
  readonly logs: string[];
  readonly stderr: () => string;
  readonly exited: () => boolean;
  readonly initializeResult: unknown;
  /** Resolves once a publish for this uri and version has arrived. */
  waitForDiagnostics(uri: string, version: number, timeoutMs?: number): Promise<PublishDiagnosticsParams>;
  stop(): Promise<void>;
}

/** `setup` adds the client's own handlers (they replace the defaults here) before the connection starts. */
export async function startServer(initializationOptions: unknown = { prosodyVersion: '13.0' }, capabilities: unknown = {}, setup?: (conn: MessageConnection) => void): Promise<ServerUnderTest> {
  const proc = spawn(process.execPath, [...SERVER_EXEC_ARGV, SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  let exited = false;
  proc.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  proc.on('exit', () => (exited = true));
  const conn = createMessageConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
  const published: PublishDiagnosticsParams[] = [];
  const logs: string[] = [];
  const waiters: Array<() => void> = [];
  conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
    published.push(p);
    waiters.splice(0).forEach((w) => w());
  });
  conn.onNotification('window/logMessage', (p: { message: string }) => {
    logs.push(p.message);
  });
  conn.onNotification('window/showMessage', (p: { message: string }) => {
    logs.push(p.message);
  });
  conn.onRequest('workspace/configuration', () => []);
  setup?.(conn);
  conn.listen();
  const initializeResult = await conn.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities, initializationOptions });
  await conn.sendNotification('initialized', {});

  return {
    proc,
    conn,
    published,
    logs,
    stderr: () => stderr,
    exited: () => exited,
    initializeResult,
    async waitForDiagnostics(uri, version, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const got = published.find((d) => d.uri === uri && d.version === version);
        if (got) return got;
        if (Date.now() > deadline) throw new Error(`no diagnostics for ${uri} v${version}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 500);
        });
      }
    },
    async stop() {
      try {
        await conn.sendRequest('shutdown');
        await conn.sendNotification('exit');
      } catch {
        /* already gone */
      }
      conn.dispose();
      proc.kill();
    },
  };
}
