// The bundled server under bad input and churn, over stdio: it stays up after pathological
// documents, keeps answering other documents, honours cancellation, never publishes diagnostics
// for a version the client has moved past, and logs nothing that contains key material.
import { strict as assert } from 'node:assert';
import { generateKeyPairSync } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CancellationTokenSource, type MessageConnection } from 'vscode-jsonrpc/node';
import type { CompletionList, Hover, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { URI } from 'vscode-uri';
import { startServer, type ServerUnderTest } from '../helpers/lspServer';


describe('language server hardening over stdio', () => {
  let server: ServerUnderTest;
  let conn: MessageConnection;
  let published: PublishDiagnosticsParams[];
  let logs: string[];

  before(async () => {
    server = await startServer();
    ({ conn, published, logs } = server);
  });

  after(() => server.stop());

  async function waitFor(pred: () => boolean, ms = 20_000): Promise<void> {
    const end = Date.now() + ms;
    while (!pred()) {
      if (Date.now() > end) throw new Error('timed out');
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  const open = (uri: string, text: string, version = 1): Promise<void> => conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'prosody', version, text } });

  async function stillServes(): Promise<void> {
    const uri = `file:///tmp/hardening/ok-${Math.random()}/prosody.cfg.lua`;
    await open(uri, 'ssl = {\n  protocol = "tlsv1_2+";\n}\n');
    const t = Date.now();
    const list = await conn.sendRequest<CompletionList>('textDocument/completion', { textDocument: { uri }, position: { line: 1, character: 14 } });
    assert.ok(list.items.some((i) => i.label === 'tlsv1_3'), 'completion answers after a bad document');
    assert.ok(Date.now() - t < 10_000);
    assert.equal(server.exited(), false, 'the server process is still running');
  }

  it('stays up after pathological documents and keeps answering', async () => {
    const bad = [
      'ssl = ' + '{'.repeat(100_000) + '}'.repeat(100_000),
      'ssl = { options = { ' + '"no_ticket", '.repeat(60_000) + '} }',
      '\uFEFF\0\0ssl = { protocol = "\uD800\0" }\r\n\rVirtualHost "\uDC00"\n',
      'ssl = { protocol = "' + 'x'.repeat(1 << 20),
    ];
    for (const [i, text] of bad.entries()) {
      const uri = `file:///tmp/hardening/bad-${i}/prosody.cfg.lua`;
      await open(uri, text);
      const hover = await conn.sendRequest<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 2 } });
      assert.ok(hover === null || typeof hover === 'object');
      // A position far outside the document is clamped, not an error.
      await conn.sendRequest('textDocument/completion', { textDocument: { uri }, position: { line: 99_999, character: 99_999 } });
      await waitFor(() => published.some((p) => p.uri === uri));
      for (const p of published.filter((x) => x.uri === uri)) {
        for (const d of p.diagnostics) assert.ok(d.range.start.line >= 0 && d.range.end.line <= text.split(/\r\n|\r|\n/).length);
      }
    }
    const deep = published.find((p) => p.uri.includes('bad-0'))!;
    assert.ok(deep.diagnostics.some((d) => /nested too deeply/.test(String(d.message))), 'the too-deep parse is reported as such');
    await stillServes();
  });

  it('honours cancellation: a cancelled request gets no result', async () => {
    const uri = 'file:///tmp/hardening/cancel/prosody.cfg.lua';
    await open(uri, 'ssl = {\n  protocol = "";\n}\n');
    // A new, large version: the completion must first build its model (hundreds of ms), so the cancel
    // sent right behind the request has certainly arrived by the time the server checks for it.
    const big = 'ssl = {\n  protocol = "";\n}\n' + 'VirtualHost "h.example"\n  ssl = { key = "k.key"; certificate = "c.crt" }\n'.repeat(15000);
    await conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: big }] });
    const source = new CancellationTokenSource();
    const pending = conn.sendRequest<CompletionList | null>('textDocument/completion', { textDocument: { uri }, position: { line: 1, character: 14 } }, source.token);
    source.cancel();
    let result: CompletionList | null | undefined;
    try {
      result = await pending;
    } catch (e) {
      assert.equal((e as { code?: number }).code, -32800, `cancelled, not failed: ${String(e)}`);
      result = null;
    }
    assert.equal(result, null, 'the server dropped the cancelled completion');
    // The same request uncancelled answers.
    const list = await conn.sendRequest<CompletionList>('textDocument/completion', { textDocument: { uri }, position: { line: 1, character: 14 } });
    assert.ok(list.items.length > 0);
  });

  it('never publishes diagnostics for a version the client has moved past', async () => {
    const uri = 'file:///tmp/hardening/stale/prosody.cfg.lua';
    await open(uri, 'ssl = { protocol = "tlsv1" }\n');
    await waitFor(() => published.some((p) => p.uri === uri && p.version === 1));
    // A burst of changes faster than the debounce: only the last version may be published.
    for (let v = 2; v <= 8; v++) {
      await conn.sendNotification('textDocument/didChange', {
        textDocument: { uri, version: v },
        contentChanges: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: v % 2 ? ' ' : '-- x\n' }],
      });
    }
    await waitFor(() => published.some((p) => p.uri === uri && p.version === 8));
    await new Promise((r) => setTimeout(r, 600));
    const versions = published.filter((p) => p.uri === uri).map((p) => p.version);
    assert.deepEqual(
      versions.filter((v) => v !== 1 && v !== 8),
      [],
      `stale versions published: ${versions.join(',')}`,
    );
    const last = published.filter((p) => p.uri === uri).pop()!;
    assert.equal(last.version, 8);
    // The final text ('-- x' lines + the protocol) still has the tlsv1 finding, on the right line.
    const text = '-- x\n'.repeat(4) + '   ssl = { protocol = "tlsv1" }\n';
    const line = text.split('\n').findIndex((l) => l.includes('tlsv1'));
    assert.ok(last.diagnostics.every((d) => d.range.start.line === line), JSON.stringify(last.diagnostics.map((d) => d.range)));
  });

  // A reviewer: closed while its first check ran and opened again (versions start over at 1) with other text,
  // the document got the closed text's 752 findings last, most of them past its end.
  it('a document closed and opened again never gets the closed text\'s diagnostics', async () => {
    const uri = 'file:///tmp/hardening/reopen/prosody.cfg.lua';
    const big = Array.from({ length: 300 }, (_, i) => `VirtualHost "h${i}.example"\n  ssl = { protocol = "sslv3", ciphers = "RC4" }\n`).join('');
    await open(uri, big);
    await new Promise((r) => setTimeout(r, 20));
    const from = published.length;
    await conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
    await new Promise((r) => setTimeout(r, 50));
    const small = 'ssl = { protocol = "tlsv1_2+" }\n';
    await open(uri, small);
    await new Promise((r) => setTimeout(r, 3000));
    // The big text may still be published before the server reads the close (a busy machine: its check was running);
    // the close's own empty, unversioned publication marks where the server saw it. Nothing after that is stale.
    const since = published.slice(from).filter((p) => p.uri === uri);
    let closed = -1;
    since.forEach((p, i) => {
      if (p.version === undefined && p.diagnostics.length === 0) closed = i;
    });
    assert.ok(closed >= 0, 'the close cleared the diagnostics');
    const after = since.slice(closed + 1);
    assert.ok(after.length > 0, 'the reopened document was checked');
    for (const p of after) assert.ok(p.diagnostics.every((d) => d.range.start.line <= 1), `${p.diagnostics.length} findings past the end of a one-line text`);
  });

  it('logs and publishes nothing that contains key material', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prosody-ssl-proto-key-'));
    try {
      const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
      const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
      fs.writeFileSync(path.join(dir, 'host.key'), pem);
      // The key is named as a certificate too, and written inline (a pasted key) in another table.
      const text = `ssl = { key = "host.key"; certificate = "host.key" }\nVirtualHost "x"\n  ssl = { key = [[${pem}]]; certificate = "/dev/zero" }\n`;
      const file = path.join(dir, 'prosody.cfg.lua');
      fs.writeFileSync(file, text);
      const uri = URI.file(file).toString();
      await open(uri, text);
      await waitFor(() => published.some((p) => p.uri === uri));
      await new Promise((r) => setTimeout(r, 1500)); // file diagnostics arrive asynchronously
      for (const line of [0, 2]) {
        for (const character of [10, 16, 30, 45]) {
          const h = await conn.sendRequest<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line, character } });
          if (h) logs.push(JSON.stringify(h));
        }
      }
      const pieces = pem.split('\n').filter((l) => l.length > 16 && !l.startsWith('-----')).map((l) => l.slice(4, 24));
      const out = [server.stderr(), ...logs, ...published.filter((p) => p.uri === uri).map((p) => JSON.stringify(p))].join('\n');
      for (const piece of pieces) assert.ok(!out.includes(piece), 'key material in server output');
      // Diagnostics may point at the inline key, but their messages never quote it.
      const messages = published.filter((p) => p.uri === uri).flatMap((p) => p.diagnostics.map((d) => String(d.message)));
      assert.ok(messages.every((m) => !/PRIVATE KEY-----/.test(m)));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    await stillServes();
  });
});
