// What clients other than VS Code do, over stdio against the bundled server: edits whose range lies past the
// end (Neovim appends at `(lineCount, 0)`), error answers to server requests, initialization options with
// `workspace/configuration`, and settings that change while a validation is under way.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { ResponseError } from 'vscode-jsonrpc/node';
import type { PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { startServer } from '../helpers/lspServer';

const URI_ = 'file:///quirks/prosody.cfg.lua';

function open(conn: { sendNotification(method: string, params: unknown): Promise<void> }, text: string, uri = URI_): Promise<void> {
  return conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'prosody', version: 1, text } });
}

const codes = (p: PublishDiagnosticsParams): string[] => p.diagnostics.map((d) => String(d.code));

describe('client quirks', () => {
  it('an edit range past the end of the document appends, and later edits land where the client meant', async () => {
    const server = await startServer();
    try {
      await open(server.conn, 'admins = {}\n');
      await server.conn.sendNotification('textDocument/didChange', { textDocument: { uri: URI_, version: 2 }, contentChanges: [{ range: { start: { line: 5, character: 0 }, end: { line: 6, character: 0 } }, text: 'ssl = { protocol = "sslv3" }\n' }] });
      const v2 = await server.waitForDiagnostics(URI_, 2);
      const bad = v2.diagnostics.find((d) => d.code === 'invalid-protocol');
      assert.deepEqual(bad?.range, { start: { line: 1, character: 19 }, end: { line: 1, character: 26 } });
      await server.conn.sendNotification('textDocument/didChange', { textDocument: { uri: URI_, version: 3 }, contentChanges: [{ range: bad!.range, text: '"tlsv1_2+"' }] });
      assert.deepEqual(codes(await server.waitForDiagnostics(URI_, 3)), []);
    } finally {
      await server.stop();
    }
  });

  it('error answers to registration and refresh requests do not take the server down', async () => {
    const refuse = (): never => {
      throw new ResponseError(-32601, 'not supported by this client');
    };
    const capabilities = {
      workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true }, didChangeWatchedFiles: { dynamicRegistration: true }, diagnostics: { refreshSupport: true } },
      textDocument: { diagnostic: {} },
    };
    const server = await startServer({ prosodyVersion: '13.0' }, capabilities, (conn) => {
      conn.onRequest('client/registerCapability', refuse);
      conn.onRequest('workspace/diagnostic/refresh', refuse);
    });
    try {
      await open(server.conn, 'ssl = { protocol = "sslv3" }\n');
      await server.conn.sendNotification('workspace/didChangeConfiguration', { settings: {} });
      await server.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: 'file:///quirks/a.key', type: 2 }] });
      const report = (await server.conn.sendRequest('textDocument/diagnostic', { textDocument: { uri: URI_ } })) as { items: Array<{ code: string }> };
      assert.ok(report.items.some((d) => d.code === 'invalid-protocol'));
      assert.equal(server.exited(), false, server.stderr());
    } finally {
      await server.stop();
    }
  });

  it('initialization options hold when the client answers workspace/configuration with nothing (Neovim, Helix)', async () => {
    const server = await startServer({ prosodyVersion: '0.9', rules: { 'insecure-setting': 'off' } }, { workspace: { configuration: true } }, (conn) => {
      conn.onRequest('workspace/configuration', () => [null]);
    });
    try {
      await open(server.conn, 'c2s_require_encryption = false\ntls_profile = "modern"\n');
      const got = await server.waitForDiagnostics(URI_, 1);
      assert.ok(!codes(got).includes('insecure-setting'), codes(got).join());
      assert.ok(codes(got).includes('option-too-new'), 'the 0.9 line from the initialization options is in force');
    } finally {
      await server.stop();
    }
  });

  it('pushed settings: a key the client drops goes back to its initialization value, not the previous push', async () => {
    const server = await startServer({ prosodyVersion: '13.0' });
    try {
      await open(server.conn, 'ssl = { protocol = "sslv3" }\n');
      assert.ok(codes(await server.waitForDiagnostics(URI_, 1)).length > 0);
      const publishes = (): number => server.published.filter((p) => p.uri === URI_).length;
      const push = async (settings: unknown): Promise<PublishDiagnosticsParams> => {
        const before = publishes();
        await server.conn.sendNotification('workspace/didChangeConfiguration', { settings: { prosodySsl: settings } });
        for (let i = 0; i < 100 && publishes() === before; i++) await new Promise((r) => setTimeout(r, 50));
        return server.published.filter((p) => p.uri === URI_).at(-1)!;
      };
      assert.deepEqual(codes(await push({ validate: false })), []);
      assert.ok(codes(await push({})).includes('invalid-protocol'), 'validate is on again');
      assert.ok(!codes(await push({ rules: { 'invalid-protocol': 'off' } })).includes('invalid-protocol'));
      assert.ok(codes(await push({})).includes('invalid-protocol'), 'the rule level is gone again');
    } finally {
      await server.stop();
    }
  });

  it('settings pushed by a client whose workspace/configuration answers nothing are used', async () => {
    const server = await startServer({ prosodyVersion: '13.0' }, { workspace: { configuration: true } }, (conn) => {
      conn.onRequest('workspace/configuration', () => [null]);
    });
    try {
      await open(server.conn, 'ssl = { protocol = "sslv3" }\n');
      assert.ok(codes(await server.waitForDiagnostics(URI_, 1)).length > 0);
      const before = server.published.length;
      await server.conn.sendNotification('workspace/didChangeConfiguration', { settings: { prosodySsl: { validate: false } } });
      for (let i = 0; i < 100 && server.published.length === before; i++) await new Promise((r) => setTimeout(r, 50));
      assert.deepEqual(codes(server.published.at(-1)!), []);
    } finally {
      await server.stop();
    }
  });

  it('a validation started with settings the client has since replaced does not publish', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let asked = 0;
    let secondAsked!: () => void;
    const second = new Promise<void>((resolve) => (secondAsked = resolve));
    const server = await startServer({ prosodyVersion: '13.0' }, { workspace: { configuration: true } }, (conn) => {
      conn.onRequest('workspace/configuration', async () => {
        asked++;
        if (asked === 1) {
          await held; // the first answer, with the old settings, comes last
          return [{ rules: {} }];
        }
        secondAsked();
        return [{ rules: { 'insecure-setting': 'off' } }];
      });
    });
    try {
      await open(server.conn, 'c2s_require_encryption = false\n');
      await new Promise((r) => setTimeout(r, 50));
      await server.conn.sendNotification('workspace/didChangeConfiguration', { settings: {} });
      await second;
      const fresh = await server.waitForDiagnostics(URI_, 1);
      assert.deepEqual(codes(fresh), []);
      release();
      // The held validation resumes now; give it time to publish if it (wrongly) would.
      await new Promise((r) => setTimeout(r, 600));
      const last = server.published.filter((p) => p.uri === URI_).at(-1)!;
      assert.deepEqual(codes(last), [], 'the old settings must not come back');
    } finally {
      await server.stop();
    }
  });
});
