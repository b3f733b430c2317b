// Starts the bundled server (`node dist/server.js --stdio`, with the Node flags VS Code starts it with) and a real JSON-RPC client on its pipes,
// collecting what it publishes and logs, for the protocol tests.
import { spawn, type ChildProcess } from 'node:child_process';
import { Writable } from 'node:stream';
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
  /**
   * Holds what the client writes from now on, and `release` hands it to the server in one write: messages sent in
   * between reach the server together, whatever the scheduling of this process (a change right behind a request).
   */
  hold(): void;
  release(): void;
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
  let held: Buffer[] | undefined;
  const gate = new Writable({
    write(chunk: Buffer, _encoding, callback): void {
      if (held) {
        held.push(chunk);
        callback();
      } else proc.stdin!.write(chunk, callback);
    },
  });
  // (The writer listens for errors on the stream it writes to: a server gone mid-write is reported there.)
  proc.stdin!.on('error', (e) => gate.destroy(e));
  const conn = createMessageConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(gate));
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
    hold() {
      held ??= [];
    },
    release() {
      const all = held ? Buffer.concat(held) : undefined;
      held = undefined;
      if (all?.length) proc.stdin!.write(all);
    },
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
