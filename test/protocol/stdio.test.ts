// Protocol tests: spawn the bundled server (`node dist/server.js --stdio`) and talk LSP to it with a
// real JSON-RPC client, as any editor would.
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import { startServer, type ServerUnderTest } from '../helpers/lspServer';
import { after, before, describe, it } from 'node:test';
import type { MessageConnection } from 'vscode-jsonrpc/node';
import type { CompletionList, DocumentSymbol, Hover, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { SYMBOL_LIMIT } from '../../server/src/service';


describe('language server over stdio', () => {
  let server: ServerUnderTest;
  let conn: MessageConnection;

  before(async () => {
    server = await startServer();
    conn = server.conn;
    const init = server.initializeResult as { capabilities: { completionProvider?: { triggerCharacters?: string[] }; hoverProvider?: boolean } };
    assert.ok(init.capabilities.completionProvider, 'server declares completion');
    assert.ok(init.capabilities.completionProvider.triggerCharacters?.includes('"'));
    assert.equal(init.capabilities.hoverProvider, true);
  });

  after(() => server.stop());

  const waitForDiagnostics = (uri: string, version: number): Promise<PublishDiagnosticsParams> => server.waitForDiagnostics(uri, version);

  it('publishes a syntax error with the right range for a broken file', async () => {
    const uri = 'file:///tmp/proto/broken/prosody.cfg.lua';
    const text = 'ssl = {\n  protocol = ;\n}\n';
    await conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'prosody', version: 1, text } });
    const p = await waitForDiagnostics(uri, 1);
    const syntax = p.diagnostics.find((d) => d.code === 'syntax-error');
    assert.ok(syntax, JSON.stringify(p.diagnostics));
    assert.deepEqual(syntax.range, { start: { line: 1, character: 13 }, end: { line: 1, character: 14 } });
    assert.equal(syntax.source, 'prosody-ssl');
  });

  it('re-validates after an incremental change and clears the error', async () => {
    const uri = 'file:///tmp/proto/broken/prosody.cfg.lua';
    await conn.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [{ range: { start: { line: 1, character: 13 }, end: { line: 1, character: 13 } }, text: '"tlsv1_2+"' }],
    });
    const p = await waitForDiagnostics(uri, 2);
    assert.equal(p.diagnostics.filter((d) => d.code === 'syntax-error').length, 0);
  });

  it('completes ssl keys and values', async () => {
    const uri = 'file:///tmp/proto/ok/prosody.cfg.lua';
    const text = 'ssl = {\n  \n}\nVirtualHost "example.com"\n  ssl = { protocol = "" }\n';
    await conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'prosody', version: 1, text } });
    const keys = await conn.sendRequest<CompletionList>('textDocument/completion', { textDocument: { uri }, position: { line: 1, character: 2 } });
    const labels = keys.items.map((i) => i.label);
    assert.ok(labels.includes('protocol') && labels.includes('certificate') && labels.includes('key'), labels.join(','));
    const values = await conn.sendRequest<CompletionList>('textDocument/completion', { textDocument: { uri }, position: { line: 4, character: 22 } });
    const v = values.items.find((i) => i.label === 'tlsv1_2+');
    assert.ok(v, 'tlsv1_2+ offered inside the string');
    assert.deepEqual((v.textEdit as { range: unknown }).range, { start: { line: 4, character: 22 }, end: { line: 4, character: 22 } });
  });

  it('answers hover with markdown', async () => {
    const uri = 'file:///tmp/proto/ok/prosody.cfg.lua';
    const h = await conn.sendRequest<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line: 4, character: 11 } });
    assert.ok(h);
    const md = (h.contents as { kind: string; value: string });
    assert.equal(md.kind, 'markdown');
    assert.match(md.value, /\*\*protocol\*\*/);
  });

  it('honours a .prosody-ssl.json beside the config (rule severities, Prosody version)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'prosody-ssl-settings-'));
    writeFileSync(path.join(dir, '.prosody-ssl.json'), JSON.stringify({ rules: { 'unsafe-protocol': 'off' } }));
    mkdirSync(path.join(dir, 'other'));
    const text = 'ssl = { protocol = "tlsv1" }\n';
    const quiet = URI.file(path.join(dir, 'prosody.cfg.lua')).toString();
    await conn.sendNotification('textDocument/didOpen', { textDocument: { uri: quiet, languageId: 'prosody', version: 1, text } });
    const q = await waitForDiagnostics(quiet, 1);
    assert.equal(q.diagnostics.filter((d) => d.code === 'unsafe-protocol').length, 0, JSON.stringify(q.diagnostics));
    // Same text elsewhere, with no settings file on the way up: the rule fires.
    const outside = mkdtempSync(path.join(tmpdir(), 'prosody-ssl-nosettings-'));
    const loud = URI.file(path.join(outside, 'prosody.cfg.lua')).toString();
    await conn.sendNotification('textDocument/didOpen', { textDocument: { uri: loud, languageId: 'prosody', version: 1, text } });
    const l = await waitForDiagnostics(loud, 1);
    assert.equal(l.diagnostics.filter((d) => d.code === 'unsafe-protocol').length, 1, JSON.stringify(l.diagnostics));
    rmSync(dir, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });

  it('survives a request for a position past the end and a document it never saw', async () => {
    const uri = 'file:///tmp/proto/ok/prosody.cfg.lua';
    const r = await conn.sendRequest<CompletionList | null>('textDocument/completion', { textDocument: { uri }, position: { line: 999, character: 999 } });
    assert.ok(r === null || Array.isArray(r.items));
    const none = await conn.sendRequest<Hover | null>('textDocument/hover', { textDocument: { uri: 'file:///nope.lua' }, position: { line: 0, character: 0 } });
    assert.equal(none, null);
  });

  it('caps the outline of a file with more hosts than the limit, and says so once in the log', async () => {
    const uri = 'file:///tmp/proto/many/prosody.cfg.lua';
    const text = Array.from({ length: SYMBOL_LIMIT + 10 }, (_, i) => `VirtualHost "h${i}.example"\n`).join('');
    await conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'prosody', version: 1, text } });
    for (let i = 0; i < 2; i++) {
      const r = await conn.sendRequest<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
      assert.equal(r.length, SYMBOL_LIMIT);
      assert.equal(r.at(-1)!.name, `h${SYMBOL_LIMIT - 1}.example`);
    }
    assert.equal(server.logs.filter((l) => l.includes(`the outline of ${uri} lists its first ${SYMBOL_LIMIT} entries`)).length, 1, server.logs.join('\n'));
    await conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
  });
});
