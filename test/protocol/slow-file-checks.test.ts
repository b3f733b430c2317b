// Protocol tests: a config whose file checks take seconds (a thousand hosts, each naming its own certificate
// and key, which are read, parsed and compared on every run) against the real bundled server. Typing must not
// pile runs up, a cancelled pull must be answered at once, and the rules must not wait for the files.
import { strict as assert } from 'node:assert';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CancellationTokenSource, type MessageConnection } from 'vscode-jsonrpc/node';
import type { Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { URI } from 'vscode-uri';
import { startServer, type ServerUnderTest } from '../helpers/lspServer';
import { material } from '../unit/files/material';

const HOSTS = 1000;
let root: string;
let text: string;

before(() => {
  const m = material();
  root = mkdtempSync(path.join(tmpdir(), 'prosody-ssl-slow-'));
  mkdirSync(path.join(root, 'certs'));
  // First line: a rule finding (sslv3 is refused by every line), independent of the files.
  const lines = ['ssl = { protocol = "sslv3" }', ''];
  for (let i = 0; i < HOSTS; i++) {
    // example.com's certificate for h<i>.test: a cert-host-mismatch per host, found only by reading the file.
    copyFileSync(m.file('rsa.crt'), path.join(root, 'certs', `h${i}.crt`));
    copyFileSync(m.file('rsa.key'), path.join(root, 'certs', `h${i}.key`));
    lines.push(`VirtualHost "h${i}.test"`, `  ssl = { certificate = "certs/h${i}.crt"; key = "certs/h${i}.key" }`);
  }
  text = lines.join('\n') + '\n';
});
after(() => rmSync(root, { recursive: true, force: true }));

let docs = 0;
/** A fresh document (its own uri) holding the slow config. */
function newUri(): string {
  const file = path.join(root, `c${docs++}`, 'prosody.cfg.lua');
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  // Its certificate paths are relative to its own directory: point it at the shared certs.
  rmSync(path.join(path.dirname(file), 'certs'), { force: true });
  symlinkSync(path.join(root, 'certs'), path.join(path.dirname(file), 'certs'));
  return URI.file(file).toString();
}

const fileCodes = (ds: readonly Diagnostic[]): number => ds.filter((d) => d.code === 'cert-host-mismatch').length;
const ruleCodes = (ds: readonly Diagnostic[]): number => ds.filter((d) => d.range.start.line === 0 && d.code !== 'cert-host-mismatch').length;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, get: () => T | undefined, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = get();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(20);
  }
}

describe('slow file checks, pushed diagnostics', () => {
  let server: ServerUnderTest;
  let conn: MessageConnection;
  before(async () => {
    server = await startServer();
    conn = server.conn;
  });
  after(() => server.stop());

  const publishes = (uri: string, version?: number): PublishDiagnosticsParams[] => server.published.filter((p) => p.uri === uri && (version === undefined || p.version === version));
  const full = (uri: string, version: number): PublishDiagnosticsParams | undefined => publishes(uri, version).find((p) => fileCodes(p.diagnostics) === HOSTS);

  it('publishes the rule diagnostics without waiting for the file checks, then the full set; an edit keeps the file diagnostics shown (moved with their lines)', async () => {
    const uri = newUri();
    const opened = Date.now();
    await conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'prosody', version: 1, text } });
    const first = await until('a first publish', () => publishes(uri, 1)[0], 30_000);
    const firstAt = Date.now() - opened;
    assert.ok(ruleCodes(first.diagnostics) > 0, JSON.stringify(first.diagnostics.slice(0, 3)));
    const v1 = await until('the full set for v1', () => full(uri, 1), 60_000);
    const fullAt = Date.now() - opened;
    // The file checks take seconds here; the rules came well before them.
    assert.ok(fullAt > 1500, `file checks took only ${fullAt} ms: the test config is not slow enough to tell`);
    assert.ok(firstAt < fullAt / 2, `rules published after ${firstAt} ms, the full set after ${fullAt} ms`);
    assert.equal(fileCodes(first.diagnostics), 0, 'nothing to carry over on open');

    // Insert a comment line above everything: the interim publish of v2 carries v1's file diagnostics, one line down.
    await conn.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '-- edited\n' }],
    });
    const interim = await until('a first publish for v2', () => publishes(uri, 2)[0], 30_000);
    assert.equal(fileCodes(interim.diagnostics), HOSTS, 'file diagnostics kept while the files are checked again');
    const lines = (p: PublishDiagnosticsParams): number[] => p.diagnostics.filter((d) => d.code === 'cert-host-mismatch').map((d) => d.range.start.line).sort((a, b) => a - b);
    assert.deepEqual(lines(interim), lines(v1).map((l) => l + 1));
    const v2 = await until('the full set for v2', () => full(uri, 2), 60_000);
    assert.deepEqual(lines(v2), lines(interim));
  });

  it('typing does not pile file-check runs up: ten edits 400 ms apart, the last version is complete within one run', async () => {
    const uri = newUri();
    await conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'prosody', version: 1, text } });
    const t0 = Date.now();
    await until('the full set for v1', () => full(uri, 1), 60_000);
    const oneRun = Date.now() - t0;
    for (let v = 2; v <= 11; v++) {
      await conn.sendNotification('textDocument/didChange', {
        textDocument: { uri, version: v },
        contentChanges: [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: ' ' }],
      });
      await sleep(400);
    }
    const lastEdit = Date.now();
    await until('the full set for v11', () => full(uri, 11), 120_000);
    const took = Date.now() - lastEdit;
    // Superseded runs stop at their next await; without that, ten runs share the CPU and the last ends ~10 runs later.
    assert.ok(took < oneRun * 2 + 2000, `v11 complete ${took} ms after the last edit; one run takes ${oneRun} ms`);
    // No publish for an older version after a newer one.
    const order = publishes(uri).map((p) => p.version ?? 0);
    assert.deepEqual(order, [...order].sort((a, b) => a - b));
  });
});

describe('slow file checks, pulled diagnostics', () => {
  let server: ServerUnderTest;
  before(async () => {
    server = await startServer({ prosodyVersion: '13.0' }, { textDocument: { diagnostic: {} } });
  });
  after(() => server.stop());

  it('a pull cancelled after 100 ms is answered at once with RequestCancelled', async () => {
    const uri = newUri();
    await server.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'prosody', version: 1, text } });
    // An uncancelled pull first, to know how long one run takes.
    const t0 = Date.now();
    const report = await server.conn.sendRequest<{ items: Diagnostic[] }>('textDocument/diagnostic', { textDocument: { uri } });
    const oneRun = Date.now() - t0;
    assert.equal(fileCodes(report.items), HOSTS);
    assert.ok(oneRun > 1000, `one run took only ${oneRun} ms: the test config is not slow enough to tell`);
    // Every certificate changed on disk: the next run reads and parses them all again, as slow as the first (with
    // them unchanged it answers from the file cache in about 100 ms, and the cancel below sometimes came after it).
    const later = new Date(Date.now() + 60_000);
    for (let i = 0; i < HOSTS; i++) utimesSync(path.join(root, 'certs', `h${i}.crt`), later, later);

    const source = new CancellationTokenSource();
    const started = Date.now();
    const answer = server.conn.sendRequest('textDocument/diagnostic', { textDocument: { uri } }, source.token).then(
      () => 'answered',
      (e: { code?: number }) => `error ${e.code}`,
    );
    setTimeout(() => source.cancel(), 100);
    const got = await answer;
    const took = Date.now() - started;
    assert.equal(got, 'error -32800');
    assert.ok(took < Math.min(1000, oneRun / 2), `answered ${took} ms after the request; one run takes ${oneRun} ms`);
  });
});
