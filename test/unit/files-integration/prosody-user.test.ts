// A checker running as root reads every file; Prosody, running as its own user, may not (a key left root's alone).
// Asked for real with setpriv, as that user: these tests need root, as CI runs them (as root on a fresh machine).
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { createLanguageService } from '../../../server/src/service';
import { FileCache, nodeFileSystem, type FileSystem } from '../../../server/src/service/files';
import { material } from '../files/material';

const root = process.getuid?.() === 0;

/** A deployed-looking config folder that user `prosody` (Debian's package, which CI installs) can enter, with a root-only key. */
function deployed(config: string): { file: string; key: string } {
  const m = material();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prosody-ssl-user-'));
  fs.chmodSync(dir, 0o755);
  fs.mkdirSync(path.join(dir, 'tls'), { mode: 0o755 });
  fs.copyFileSync(m.file('rsa.crt'), path.join(dir, 'tls/a.crt'));
  fs.copyFileSync(m.file('rsa.key'), path.join(dir, 'tls/a.key'));
  fs.chmodSync(path.join(dir, 'tls/a.crt'), 0o644);
  fs.chmodSync(path.join(dir, 'tls/a.key'), 0o600);
  const file = path.join(dir, 'prosody.cfg.lua');
  fs.writeFileSync(file, config);
  fs.chmodSync(file, 0o644);
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  return { file, key: path.join(dir, 'tls/a.key') };
}

const CONFIG = 'VirtualHost "example.com"\n  ssl = { certificate = "tls/a.crt", key = "tls/a.key" }\n';
const prosodyGid = (): number => Number(execFileSync('id', ['-g', 'prosody'], { encoding: 'utf8' }).trim());

async function unreadable(file: string, text: string, version = 1, service = createLanguageService(), fileCache = new FileCache()): Promise<string[]> {
  const doc = TextDocument.create(URI.file(file).toString(), 'prosody', version, text);
  const diags = await service.doFileValidation(doc, { prosodyVersion: '13.0' }, { fileCache, trusted: true, workspaceFolders: [] });
  return diags.filter((d) => d.code === 'file-unreadable').map((d) => `${text.slice(doc.offsetAt(d.range.start), doc.offsetAt(d.range.end))}: ${d.message}`);
}

test('a key the user Prosody runs as cannot read is a Warning, asked as that user, naming what stops it', { skip: !root && 'needs root (CI runs as root)' }, async () => {
  const { file, key } = deployed(CONFIG);
  const seen = await unreadable(file, CONFIG);
  assert.equal(seen.length, 1, seen.join('\n'));
  assert.match(seen[0]!, /^"tls\/a\.key": Key file "tls\/a\.key" is readable here, but not by the user Prosody runs as, "prosody" \(checked as that user\): LuaSec fails with "error loading private key"/);
  assert.match(seen[0]!, /The file itself is closed to that user: let it read the file, e\.g\. `chgrp prosody \S+\/tls\/a\.key && chmod g\+r/);
  assert.match(seen[0]!, /prosodyctl --root cert import <their folder>` and remove this path/);
  // Readable by Prosody's group: nothing to say.
  fs.chownSync(key, 0, prosodyGid());
  fs.chmodSync(key, 0o640);
  assert.deepEqual(await unreadable(file, CONFIG), []);
  // A folder on the way that lets the user not through (certbot's live/ and archive/) is named instead.
  const other = deployed(CONFIG);
  fs.chmodSync(path.dirname(other.key), 0o700);
  const dir = await unreadable(other.file, CONFIG);
  assert.equal(dir.length, 2, dir.join('\n'));
  assert.match(dir[0]!, /The folder "\S+\/tls" does not let that user through: give it search \(x\) permission/);
});

test('an edit that keeps the findings still asks again whether Prosody can read the file', { skip: !root && 'needs root (CI runs as root)' }, async () => {
  const { file, key } = deployed(CONFIG);
  const service = createLanguageService();
  assert.equal((await unreadable(file, CONFIG, 1, service)).length, 1);
  fs.chmodSync(key, 0o640);
  fs.chownSync(key, 0, prosodyGid());
  // A comment changes nothing the file checks read: the findings would be kept, but the answer changed.
  assert.deepEqual(await unreadable(file, `-- a comment\n${CONFIG}`, 2, service), []);
});

test('not asked for a config that user cannot read (a copy), nor where the user is not known from this file', { skip: !root && 'needs root (CI runs as root)' }, async () => {
  const hidden = deployed(CONFIG);
  fs.chmodSync(hidden.file, 0o600);
  assert.deepEqual(await unreadable(hidden.file, CONFIG), []);
  // prosodyctl switches to prosody_user/prosody_group, a systemd unit's User= does not; an Include may set them.
  for (const head of ['run_as_root = true\n', 'prosody_user = "xmpp"\n', 'prosody_group = "ssl-cert"\n', 'Include "conf.d/*.cfg.lua"\n']) {
    const text = head + CONFIG;
    assert.deepEqual(await unreadable(deployed(text).file, text), [], head);
  }
});

test('setting who Prosody runs as after the findings were made takes them back (the kept findings are not reused)', { skip: !root && 'needs root (CI runs as root)' }, async () => {
  for (const head of ['run_as_root = true\n', 'prosody_user = "xmpp"\n', 'prosody_group = "ssl-cert"\n']) {
    // A global section in both versions, so that only what it says changes.
    const before = `-- global\n${CONFIG}`;
    const { file } = deployed(before);
    const service = createLanguageService();
    const cache = new FileCache();
    assert.equal((await unreadable(file, before, 1, service, cache)).length, 1);
    assert.deepEqual(await unreadable(file, `-- global\n${head}${CONFIG}`, 2, service, cache), [], head);
  }
});

// Hundreds of hosts name hundreds of files, and each answer runs a process as that user: each file is asked once, a
// few at a time, and the findings still come in the order of the config.
test('each file is asked once, a few at a time, and findings keep the config\'s order', async () => {
  const hosts = Array.from({ length: 20 }, (_, i) => `VirtualHost "h${i}.example"\n  ssl = { certificate = "tls/a.crt", key = "tls/h${i}.key" }\n`).join('');
  const { file, key } = deployed(`${CONFIG}${hosts}`);
  for (let i = 0; i < 20; i++) fs.copyFileSync(key, path.join(path.dirname(key), `h${i}.key`));
  let running = 0;
  let most = 0;
  const asked: string[] = [];
  const fake: FileSystem = {
    ...nodeFileSystem,
    readableAs: async (p) => {
      asked.push(p);
      running++;
      most = Math.max(most, running);
      await new Promise((r) => setTimeout(r, 5));
      running--;
      return p.endsWith('.key') ? 'no' : 'yes';
    },
  };
  const text = `${CONFIG}${hosts}`;
  const doc = TextDocument.create(URI.file(file).toString(), 'prosody', 1, text);
  const diags = await createLanguageService().doFileValidation(doc, { prosodyVersion: '13.0' }, { fileCache: new FileCache({ fs: fake }), fs: fake, trusted: true, workspaceFolders: [] });
  const keys = diags.filter((d) => d.code === 'file-unreadable').map((d) => text.slice(doc.offsetAt(d.range.start), doc.offsetAt(d.range.end)));
  assert.deepEqual(keys, ['"tls/a.key"', ...Array.from({ length: 20 }, (_, i) => `"tls/h${i}.key"`)]);
  assert.equal(asked.filter((p) => p.endsWith('a.crt')).length, 1, 'the shared certificate, once');
  assert.equal(new Set(asked).size, asked.length, 'no file twice');
  assert.ok(most > 1 && most <= 8, `at most 8 at once, more than one: ${most}`);
});

// The usual 0.12/13.0 layout names no file: the lookup finds certs/<host>.crt and .key (a reviewer's 0.12.3 runs: a
// root-only key there, or a root-only certs/ folder, left the host without TLS while nothing was said).
test('the pair the automatic lookup finds is asked about as well, on the host', { skip: !root && 'needs root (CI runs as root)' }, async () => {
  const m = material();
  const text = 'VirtualHost "example.com"\n';
  const withCerts = (keyMode: number, dirMode: number): string => {
    const { file } = deployed(text);
    const dir = path.dirname(file);
    fs.mkdirSync(path.join(dir, 'certs'));
    fs.copyFileSync(m.file('rsa.crt'), path.join(dir, 'certs/example.com.crt'));
    fs.copyFileSync(m.file('rsa.key'), path.join(dir, 'certs/example.com.key'));
    fs.chmodSync(path.join(dir, 'certs/example.com.crt'), 0o644);
    fs.chmodSync(path.join(dir, 'certs/example.com.key'), keyMode);
    fs.chmodSync(path.join(dir, 'certs'), dirMode);
    return file;
  };
  const seen = await unreadable(withCerts(0o600, 0o755), text);
  assert.equal(seen.length, 1, seen.join('\n'));
  assert.match(seen[0]!, /^VirtualHost "example\.com": The key Prosody finds for "example\.com" automatically, "certs\/example\.com\.key", is readable here, but not by the user Prosody runs as, "prosody" \(checked as that user\): Prosody fails to load it .* so the host gets no TLS\. The file itself is closed to that user/);
  // The folder closed instead: said once for the pair, as what it is (review 141, real 0.12.3 and 13.0.1: the lookup
  // fails with "Permission denied" before any file is loaded), with what lets Prosody list it (it indexes that folder).
  const folder = await unreadable(withCerts(0o644, 0o700), text);
  assert.equal(folder.length, 1, folder.join('\n'));
  assert.match(folder[0]!, /^VirtualHost "example\.com": The certificate Prosody finds .*: a folder on the way stops that user, so Prosody's automatic lookup cannot reach the pair \("Permission denied" in its log\) .* The folder "\S+\/certs" does not let that user through: let the user list and enter it, e\.g\. `chgrp prosody \S+\/certs && chmod g\+rx/);
  assert.doesNotMatch(folder[0]!, /fails to load it/);
  assert.deepEqual(await unreadable(withCerts(0o644, 0o755), text), []);
});
