// Settings as editors other than VS Code send them (initialization options), and where the version in force comes
// from: what a user reads in the status bar must name the place that set it.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { URI } from 'vscode-uri';
import type { PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { startServer, type ServerUnderTest } from '../helpers/lspServer';

interface Status {
  uri: string;
  prosodyVersion: string;
  source: string;
  settingsFile?: string;
  mainFile?: string;
}

async function serverWithStatus(initializationOptions: unknown): Promise<{ server: ServerUnderTest; status: (uri: string) => Promise<Status> }> {
  const seen: Status[] = [];
  const server = await startServer(initializationOptions, {}, (conn) => conn.onNotification('prosodySsl/status', (p: Status) => void seen.push(p)));
  const status = async (uri: string): Promise<Status> => {
    for (let i = 0; i < 100; i++) {
      const s = seen.find((x) => x.uri === uri);
      if (s) return s;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`no status for ${uri}`);
  };
  return { server, status };
}

describe('settings from the client', () => {
  const servers: ServerUnderTest[] = [];
  const dirs: string[] = [];
  after(async () => {
    for (const s of servers) await s.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('takes a release or "13" for the Prosody version, as the CLI does, and logs an unknown rule id once', async () => {
    const { server, status } = await serverWithStatus({ prosodyVersion: '0.12.4', rules: { 'protocol-exact-tls12': 'off', 'unsafe-protocol': 'off' } });
    servers.push(server);
    const uri = 'file:///tmp/proto-settings/a/prosody.cfg.lua';
    await server.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'prosody', version: 1, text: 'ssl = { protocol = "tlsv1" }\n' } });
    const p = await server.waitForDiagnostics(uri, 1);
    assert.deepEqual(await status(uri), { uri, prosodyVersion: '0.12', source: 'setting' });
    assert.equal(p.diagnostics.filter((d) => d.code === 'unsafe-protocol').length, 0, 'the known rule id is honoured');
    assert.equal(server.logs.filter((l) => l.includes('unknown rule "protocol-exact-tls12"')).length, 1, server.logs.join('\n'));

    const { server: s13, status: status13 } = await serverWithStatus({ prosodyVersion: '13' });
    servers.push(s13);
    await s13.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'prosody', version: 1, text: 'ssl = {}\n' } });
    assert.equal((await status13(uri)).prosodyVersion, '13.0');

    const { server: bad, status: statusBad } = await serverWithStatus({ prosodyVersion: '0.8' });
    servers.push(bad);
    await bad.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'prosody', version: 1, text: 'ssl = {}\n' } });
    assert.equal((await statusBad(uri)).prosodyVersion, '13.0', 'a line we do not know leaves the default');
    assert.ok(bad.logs.some((l) => /"prosodyVersion" must be one of .*got "0\.8"/.test(l)), bad.logs.join('\n'));
  });

  it('says when the version comes from a .prosody-ssl.json, and which one', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'prosody-ssl-status-'));
    dirs.push(dir);
    const settingsFile = path.join(dir, '.prosody-ssl.json');
    writeFileSync(settingsFile, JSON.stringify({ prosodyVersion: '0.11' }));
    const { server, status } = await serverWithStatus({ prosodyVersion: '13.0' });
    servers.push(server);
    const uri = URI.file(path.join(dir, 'prosody.cfg.lua')).toString();
    await server.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'prosody', version: 1, text: 'ssl = {}\n' } });
    assert.deepEqual(await status(uri), { uri, prosodyVersion: '0.11', source: 'file', settingsFile });
    const commented = URI.file(path.join(dir, 'other.cfg.lua')).toString();
    await server.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: commented, languageId: 'prosody', version: 1, text: '-- prosody-ssl: version=0.10\nssl = {}\n' } });
    assert.deepEqual(await status(commented), { uri: commented, prosodyVersion: '0.10', source: 'directive' }, 'the comment in the file wins');
  });

  // Review 151: a 0.12 server's conf.d file was judged as 13.0, the main file's comment not reaching it.
  it('takes the version comment of the main config for a file it includes, over a .prosody-ssl.json; the file\'s own comment still wins', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'prosody-ssl-main-'));
    dirs.push(dir);
    const mainFile = path.join(dir, 'prosody.cfg.lua');
    writeFileSync(mainFile, '-- prosody-ssl: version=0.12\nInclude "conf.d/*.cfg.lua"\n');
    writeFileSync(path.join(dir, '.prosody-ssl.json'), JSON.stringify({ prosodyVersion: '0.11' }));
    const { server, status } = await serverWithStatus({ prosodyVersion: '13.0' });
    servers.push(server);
    const uri = URI.file(path.join(dir, 'conf.d', 'a.cfg.lua')).toString();
    // 13.0's verifyext default lacks lsec_continue (verify-peer-no-continue); 0.12's has it.
    await server.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'prosody', version: 1, text: 'VirtualHost "a.example"\n  ssl = { verify = "peer" }\n' } });
    const p = await server.waitForDiagnostics(uri, 1);
    assert.deepEqual(await status(uri), { uri, prosodyVersion: '0.12', source: 'main', mainFile });
    assert.deepEqual(p.diagnostics.filter((d) => d.code === 'verify-peer-no-continue'), []);
    const own = URI.file(path.join(dir, 'conf.d', 'b.cfg.lua')).toString();
    await server.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: own, languageId: 'prosody', version: 1, text: '-- prosody-ssl: version=13.0\nssl = {}\n' } });
    assert.deepEqual(await status(own), { uri: own, prosodyVersion: '13.0', source: 'directive' });
  });

  // A reviewer: with a trailing comma the editor fell back to user settings, said only in the Output panel.
  it('shows a .prosody-ssl.json it cannot use as an Error on that file, where the JSON breaks, and clears it once fixed', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'prosody-ssl-badjson-'));
    dirs.push(dir);
    const settingsFile = path.join(dir, '.prosody-ssl.json');
    writeFileSync(settingsFile, '{\n  "prosodyVersion": "0.11",\n}\n');
    const fileUri = URI.file(settingsFile).toString();
    const onFile: PublishDiagnosticsParams[] = [];
    const server = await startServer({ prosodyVersion: '13.0' }, {}, (conn) => conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => void (p.uri === fileUri && onFile.push(p))));
    servers.push(server);
    const latest = async (want: (p: PublishDiagnosticsParams) => boolean): Promise<PublishDiagnosticsParams> => {
      for (let i = 0; i < 200; i++) {
        const p = onFile.at(-1);
        if (p && want(p)) return p;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`not published: ${JSON.stringify(onFile)}`);
    };
    const uri = URI.file(path.join(dir, 'prosody.cfg.lua')).toString();
    await server.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'prosody', version: 1, text: 'ssl = {}\n' } });
    const bad = await latest((p) => p.diagnostics.length > 0);
    assert.equal(bad.diagnostics.length, 1);
    assert.equal(bad.diagnostics[0]!.severity, 1);
    assert.match(String(bad.diagnostics[0]!.message), /^not valid JSON .* None of its settings apply until it is fixed: the editor's settings are used instead\.$/);
    assert.deepEqual(bad.diagnostics[0]!.range.start, { line: 2, character: 0 }, 'where the parser stopped (the closing brace after the comma)');
    // Said once, however many configs it applies to.
    await server.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: URI.file(path.join(dir, 'b.cfg.lua')).toString(), languageId: 'prosody', version: 1, text: 'ssl = {}\n' } });
    await new Promise((r) => setTimeout(r, 600));
    assert.equal(onFile.length, 1, JSON.stringify(onFile));
    // Fixed: its diagnostics are cleared.
    writeFileSync(settingsFile, JSON.stringify({ prosodyVersion: '0.11' }));
    await server.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: fileUri, type: 2 }] });
    await latest((p) => p.diagnostics.length === 0);
  });
});
