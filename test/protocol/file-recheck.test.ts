// A certificate outside the workspace (or behind a symlink) changes on disk and no watcher says so: the server's
// timed re-check of open documents must publish the new file diagnostics within a few seconds, for the same version,
// and stay quiet while nothing changes.
import { strict as assert } from 'node:assert';
import { copyFileSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { URI } from 'vscode-uri';
import { startServer, type ServerUnderTest } from '../helpers/lspServer';
import { material } from '../unit/files/material';

describe('certificates changed on disk without a watcher event', () => {
  let server: ServerUnderTest | undefined;
  const dirs: string[] = [];
  after(async () => {
    await server?.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  /** A valid pair for example.com in a folder of its own (a `live/` outside the workspace), and a config folder. */
  function liveCertificate(): { m: ReturnType<typeof material>; outside: string; config: string } {
    const m = material();
    const outside = mkdtempSync(path.join(tmpdir(), 'prosody-ssl-live-'));
    const config = mkdtempSync(path.join(tmpdir(), 'prosody-ssl-cfg-'));
    dirs.push(outside, config);
    copyFileSync(m.file('rsa.crt'), path.join(outside, 'cert.pem'));
    copyFileSync(m.file('rsa.key'), path.join(outside, 'key.pem'));
    return { m, outside, config };
  }

  it('a renewed certificate behind a symlink is checked again and reported, once', async () => {
    const { m, outside, config } = liveCertificate();
    symlinkSync(path.join(outside, 'cert.pem'), path.join(config, 'link.crt'));
    symlinkSync(path.join(outside, 'key.pem'), path.join(config, 'link.key'));
    server = await startServer();
    const uri = URI.file(path.join(config, 'prosody.cfg.lua')).toString();
    const text = 'VirtualHost "example.com"\n  ssl = { certificate = "link.crt"; key = "link.key" }\n';
    await server.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'prosody', version: 1, text } });
    const first = await server.waitForDiagnostics(uri, 1);
    assert.deepEqual(first.diagnostics.filter((d) => d.source === 'prosody-ssl' && /^cert-|^key-/.test(String(d.code))), [], JSON.stringify(first.diagnostics));
    const before = server.published.filter((p) => p.uri === uri).length;
    // Renewed badly: the target is replaced by an expired certificate (the link itself does not change).
    copyFileSync(m.file('expired.crt'), path.join(outside, 'cert.pem'));
    const deadline = Date.now() + 15_000;
    let seen: string[] = [];
    while (Date.now() < deadline) {
      const mine = server.published.filter((p) => p.uri === uri);
      seen = mine.at(-1)!.diagnostics.map((d) => String(d.code));
      if (mine.length > before && seen.includes('cert-expired')) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    assert.ok(seen.includes('cert-expired'), `published: ${seen.join(', ')}`);
    assert.equal(server.published.filter((p) => p.uri === uri).at(-1)!.version, 1, 'for the version the editor has');
    // Nothing changes any more: no further publication over the next round.
    const count = server.published.filter((p) => p.uri === uri).length;
    await new Promise((r) => setTimeout(r, 6_000));
    assert.equal(server.published.filter((p) => p.uri === uri).length, count, 'an unchanged answer is not published again');
  });

  it('a client that pulls diagnostics (VS Code) is asked to refresh, and its next pull has the new verdict', async () => {
    const { m, outside, config } = liveCertificate();
    let refreshes = 0;
    const pulling = await startServer({ prosodyVersion: '13.0' }, { textDocument: { diagnostic: {} }, workspace: { diagnostics: { refreshSupport: true } } }, (conn) =>
      conn.onRequest('workspace/diagnostic/refresh', () => {
        refreshes++;
        return null;
      }),
    );
    try {
      const uri = URI.file(path.join(config, 'prosody.cfg.lua')).toString();
      const text = `VirtualHost "example.com"\n  ssl = { certificate = "${path.join(outside, 'cert.pem')}"; key = "${path.join(outside, 'key.pem')}" }\n`;
      await pulling.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'prosody', version: 1, text } });
      const pull = async (): Promise<string[]> => (await pulling.conn.sendRequest<{ items: Array<{ code?: unknown }> }>('textDocument/diagnostic', { textDocument: { uri } })).items.map((d) => String(d.code));
      assert.ok(!(await pull()).includes('cert-expired'));
      const before = refreshes;
      copyFileSync(m.file('expired.crt'), path.join(outside, 'cert.pem'));
      const deadline = Date.now() + 15_000;
      while (refreshes === before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
      assert.ok(refreshes > before, 'the server asked the client to pull again');
      assert.ok((await pull()).includes('cert-expired'));
    } finally {
      await pulling.stop();
    }
  });
});
