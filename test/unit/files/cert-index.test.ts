// Cost and reuse of the certificate-directory index behind Prosody's automatic lookup: one walk per directory per
// check run (not per host), reuse across runs while the tree is unchanged, a bound on one walk (a half-typed
// `certificates = "/"` must not stat the whole disk, nor claim a host has no certificate), and early stops.
import { describe, it, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-types';
import { URI } from 'vscode-uri';
import { FileCache, indexCertificates, nodeFileSystem, type FileSystem } from '../../../server/src/service/files';
import { doFileValidation } from '../../../server/src/service/fileChecks';
import type { FileEnv } from '../../../server/src/service/fileEnv';
import { buildDocument } from '../../../server/src/service/model/document';
import { Material, material } from './material';

let m: Material;
let root: string;

before(() => {
  m = material();
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'prosody-ssl-index-'));
});
after(() => fs.rmSync(root, { recursive: true, force: true }));

/** The real file system, counting calls by kind (and by path for readdir). */
function counting(): { fs: FileSystem; calls: { stat: number; readdir: number; read: number }; listed: string[] } {
  const calls = { stat: 0, readdir: 0, read: 0 };
  const listed: string[] = [];
  return {
    calls,
    listed,
    fs: {
      stat: (p) => (calls.stat++, nodeFileSystem.stat(p)),
      lstat: (p) => (calls.stat++, nodeFileSystem.lstat(p)),
      readdir: (p) => (calls.readdir++, listed.push(p), nodeFileSystem.readdir(p)),
      readBounded: (p, n) => (calls.read++, nodeFileSystem.readBounded(p, n)),
    },
  };
}

let n = 0;
/** A config dir: prosody.cfg.lua with `text`, and `files` (relative path → material name, or "" for an empty file). */
function configDir(text: string, files: Record<string, string> = {}): { dir: string; run: (env: FileEnv) => Promise<Diagnostic[]> } {
  const dir = path.join(root, `cfg${n++}`);
  fs.mkdirSync(dir, { recursive: true });
  for (const [rel, src] of Object.entries(files)) {
    const full = path.join(dir, rel);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    if (src === '') fs.writeFileSync(full, '');
    else fs.copyFileSync(m.file(src), full);
  }
  const file = path.join(dir, 'prosody.cfg.lua');
  fs.writeFileSync(file, text);
  const uri = URI.file(file).toString();
  return {
    dir,
    run: (env) => doFileValidation(TextDocument.create(uri, 'prosody', 1, text), buildDocument(uri, 1, text), { prosodyVersion: '13.0' }, env),
  };
}

const hosts = (count: number): string => Array.from({ length: count }, (_, i) => `VirtualHost "h${i}.test"\n`).join('');
const noCert = (ds: Diagnostic[]): Array<Diagnostic & { message: string }> => ds.filter((d): d is Diagnostic & { message: string } => d.code === 'host-no-certificate' && typeof d.message === 'string');

describe('certificate index: one walk per directory per run', () => {
  it('ten hosts without a certificate share one index build of certs/ (each directory listed once)', async () => {
    const c = configDir(`certificates = "certs"\n${hosts(10)}`, {
      'certs/example.com.crt': 'rsa.crt',
      'certs/example.com.key': 'rsa.key',
      'certs/live/ec.example/fullchain.pem': 'ec.crt',
      'certs/live/ec.example/privkey.pem': 'ec.key',
    });
    const f = counting();
    const ds = await c.run({ fileCache: new FileCache({ fs: f.fs }), fs: f.fs, trusted: true, workspaceFolders: [] });
    assert.equal(noCert(ds).length, 10);
    // certs/, certs/live/, certs/live/ec.example/: listed once each, not once per host.
    assert.deepEqual([...f.listed].sort(), [`${c.dir}/certs`, `${c.dir}/certs/live`, `${c.dir}/certs/live/ec.example`]);
    assert.match(noCert(ds)[0]!.message, /holds 2 usable certificates, none for this name/);
  });

  it('a later run reuses the index while the tree is unchanged, and walks again once a file is added', async () => {
    const c = configDir(`certificates = "certs"\n${hosts(3)}VirtualHost "ec.example"\n`, {
      'certs/sub/example.com.crt': 'rsa.crt',
      'certs/sub/example.com.key': 'rsa.key',
    });
    const f = counting();
    const env: FileEnv = { fileCache: new FileCache({ fs: f.fs }), fs: f.fs, trusted: true, workspaceFolders: [] };
    assert.equal(noCert(await c.run(env)).length, 4);
    assert.equal(f.calls.readdir, 2);
    // Nothing changed: no listing at all (the directories' mtimes are compared instead).
    assert.equal(noCert(await c.run(env)).length, 4);
    assert.equal(f.calls.readdir, 2);
    // A certificate for ec.example appears in the sub-folder: its directory's mtime changes, the index is rebuilt.
    fs.copyFileSync(m.file('ec.key'), path.join(c.dir, 'certs/sub/ec.key'));
    fs.copyFileSync(m.file('ec.crt'), path.join(c.dir, 'certs/sub/ec.crt'));
    const after = noCert(await c.run(env));
    assert.equal(after.length, 3);
    assert.ok(!after.some((d) => d.message.includes('"ec.example"')));
    assert.ok(f.calls.readdir > 2);
  });

  it('a scan that met something it could not look at is never reused (a reviewer: stale "no certificate" for good)', async () => {
    // A dangling link that later points at a directory holding the certificate: certs/'s mtime never changes.
    const c = configDir(`certificates = "certs"\nVirtualHost "ec.example"\n`, { 'certs/.keep': '' });
    fs.symlinkSync(path.join(c.dir, 'later'), path.join(c.dir, 'certs/live'));
    const f = counting();
    const env: FileEnv = { fileCache: new FileCache({ fs: f.fs }), fs: f.fs, trusted: true, workspaceFolders: [] };
    assert.equal(noCert(await c.run(env)).length, 1);
    fs.mkdirSync(path.join(c.dir, 'later'));
    fs.copyFileSync(m.file('ec.crt'), path.join(c.dir, 'later/ec.crt'));
    fs.copyFileSync(m.file('ec.key'), path.join(c.dir, 'later/ec.key'));
    assert.equal(noCert(await c.run(env)).length, 0, 'the link now leads to the certificate');
    // A certificate that could not be read (remembered as a failure for a moment, in the shared cache) is read again
    // once that memory lapses, though nothing in certs/ changed since.
    let now = 0;
    const c2 = configDir(`certificates = "certs"\nVirtualHost "ec.example"\n`, { 'certs/ec.key': 'ec.key' });
    fs.symlinkSync(path.join(c2.dir, 'target.crt'), path.join(c2.dir, 'certs/ec.crt'));
    const env2: FileEnv = { fileCache: new FileCache({ now: () => now }), trusted: true, workspaceFolders: [] };
    assert.equal(noCert(await c2.run(env2)).length, 1);
    fs.copyFileSync(m.file('ec.crt'), path.join(c2.dir, 'target.crt'));
    now = 10_000;
    assert.equal(noCert(await c2.run(env2)).length, 0);
  });

  it('a certificate replaced in place (same directory entries) is read again', async () => {
    const c = configDir(`certificates = "certs"\nVirtualHost "ec.example"\n`, { 'certs/x.crt': 'rsa.crt', 'certs/x.key': 'ec.key' });
    const env: FileEnv = { fileCache: new FileCache(), trusted: true, workspaceFolders: [] };
    assert.equal(noCert(await c.run(env)).length, 1);
    // Same name, new content and size: the directory's entries do not change, the file's mtime and size do.
    fs.writeFileSync(path.join(c.dir, 'certs/x.crt'), m.read('ec.crt'));
    assert.equal(noCert(await c.run(env)).length, 0);
  });
});

describe('host names as Prosody reads them', () => {
  const env = (fsys: FileSystem = nodeFileSystem): FileEnv => ({ fileCache: new FileCache({ fs: fsys }), fs: fsys, trusted: true, workspaceFolders: [] });

  it('a name written with capitals is nameprepped (lower-cased) before the lookup builds its paths', async () => {
    const c = configDir('VirtualHost "Mixed.Test"\n', { 'certs/mixed.test.crt': 'rsa.crt', 'certs/mixed.test.key': 'rsa.key' });
    assert.deepEqual(noCert(await c.run(env())), []);
  });

  it('VirtualHost "*" is the global section, not a host to find a certificate for (a reviewer: a Warning failing CI)', async () => {
    const c = configDir('VirtualHost "localhost"\n  ssl = { certificate = "/x.pem", key = "/x.key" }\nVirtualHost "*"\n  c2s_require_encryption = true\n', { 'certs/other.crt': 'rsa.crt' });
    assert.deepEqual(noCert(await c.run(env())), []);
  });

  it('a wildcard CN (no SAN) is not indexed, as Prosody\'s idna_to_ascii refuses it; ß folds to ss', async () => {
    const wild = configDir('VirtualHost "a.wild.test"\n', { 'certs/wild.crt': 'wildcn.crt', 'certs/wild.key': 'wildcn.key' });
    assert.equal(noCert(await wild.run(env())).length, 1);
    const folded = configDir('VirtualHost "Straße.test"\n', { 'certs/strasse.test.crt': 'rsa.crt', 'certs/strasse.test.key': 'rsa.key' });
    assert.deepEqual(noCert(await folded.run(env())), []);
  });

  it('one host however its name is written: sections merge and parent domains match by nameprepped name', async () => {
    const twice = configDir('VirtualHost "Example.com"\n  ssl = { certificate = "tls/e.crt", key = "tls/e.key" }\nVirtualHost "example.com"\n  modules_enabled = {}\n', { 'tls/e.crt': 'rsa.crt', 'tls/e.key': 'rsa.key', 'certs/.keep': '' });
    assert.deepEqual(noCert(await twice.run(env())), []);
    const sub = configDir('VirtualHost "example.com"\n  ssl = { certificate = "tls/e.crt", key = "tls/e.key" }\nVirtualHost "Conference.Example.com"\n', { 'tls/e.crt': 'rsa.crt', 'tls/e.key': 'rsa.key', 'certs/.keep': '' });
    assert.deepEqual(noCert(await sub.run(env())), []);
  });

  it('a certificate whose CN is punycode is indexed under it, as Prosody does (CN nameprepped, not decoded)', async () => {
    const c = configDir('VirtualHost "xn--bcher-kva.example"\n', { 'certs/shop.crt': 'idn.crt', 'certs/shop.key': 'idn.key' });
    assert.deepEqual(noCert(await c.run(env())), []);
  });

  it('a host certificate option is still used by the contexts a c2s_ssl certificate does not reach (s2s): checked', async () => {
    // The pair outside the certificates directory: its index has nothing for the host, so the lookup reads the option.
    const c = configDir('c2s_ssl = { certificate = "tls/example.com.crt", key = "tls/example.com.key" }\nVirtualHost "example.com"\n  certificate = "other/wrong.crt"\n', {
      'tls/example.com.crt': 'rsa.crt',
      'tls/example.com.key': 'rsa.key',
      'other/wrong.crt': 'wronghost.crt',
    });
    assert.equal((await c.run(env())).filter((d) => d.code === 'cert-host-mismatch').length, 1);
    // With the pair in certs/, the index answers for the host first: the option is read by no context.
    const indexed = configDir('c2s_ssl = { certificate = "certs/example.com.crt", key = "certs/example.com.key" }\nVirtualHost "example.com"\n  certificate = "other/wrong.crt"\n', {
      'certs/example.com.crt': 'rsa.crt',
      'certs/example.com.key': 'rsa.key',
      'other/wrong.crt': 'wronghost.crt',
    });
    const seen = await indexed.run(env());
    assert.deepEqual(seen.filter((d) => d.code === 'cert-host-mismatch'), []);
    assert.equal(seen.filter((d) => d.code === 'certificate-option-unread').length, 1);
  });

  it('a host certificate option under an ssl table that names a certificate is never used: not checked against the host', async () => {
    const c = configDir('ssl = { certificate = "certs/example.com.crt", key = "certs/example.com.key" }\nVirtualHost "example.com"\n  certificate = "other/wrong.crt"\n', {
      'certs/example.com.crt': 'rsa.crt',
      'certs/example.com.key': 'rsa.key',
      'other/wrong.crt': 'wronghost.crt',
    });
    assert.deepEqual((await c.run(env())).filter((d) => d.code === 'cert-host-mismatch'), []);
  });

  it('a certificates directory this user cannot list (Debian: root:prosody 750) gives Information, not "finds none"', async () => {
    const c = configDir('VirtualHost "ok.test"\n', { 'certs/ok.test.crt': 'rsa.crt', 'certs/ok.test.key': 'rsa.key' });
    const denied = (p: string): boolean => p === path.join(c.dir, 'certs') || p.startsWith(path.join(c.dir, 'certs') + path.sep);
    const eacces = (): Promise<never> => Promise.reject(Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' }));
    const fsys: FileSystem = {
      stat: (p) => (denied(p) && p !== path.join(c.dir, 'certs') ? eacces() : nodeFileSystem.stat(p)),
      lstat: (p) => (denied(p) && p !== path.join(c.dir, 'certs') ? eacces() : nodeFileSystem.lstat(p)),
      readdir: (p) => (denied(p) ? eacces() : nodeFileSystem.readdir(p)),
      readBounded: (p, max) => (denied(p) ? eacces() : nodeFileSystem.readBounded(p, max)),
    };
    const miss = noCert(await c.run(env(fsys)));
    assert.equal(miss.length, 1);
    assert.equal(miss[0]!.severity, DiagnosticSeverity.Information);
    assert.match(miss[0]!.message, /could not be listed/);
  });
});

describe('certificate index: bounded walk', () => {
  let big: string;
  before(() => {
    // 3 levels of 20 × 20 × 8 entries (more than 3,000): a stand-in for `certificates = "/usr"`.
    big = path.join(root, 'big');
    for (let i = 0; i < 20; i++) for (let j = 0; j < 20; j++) {
      const d = path.join(big, `d${i}`, `e${j}`);
      fs.mkdirSync(d, { recursive: true });
      for (let k = 0; k < 8; k++) fs.writeFileSync(path.join(d, `f${k}`), '');
    }
  });

  it('stops after INDEX_MAX_ENTRIES entries and says the index is incomplete', async () => {
    const f = counting();
    const idx = await indexCertificates(big, { fs: f.fs, maxEntries: 500 });
    assert.match(idx.incomplete ?? '', /more than 500 entries/);
    assert.ok(f.calls.stat <= 500 + 20, `stat calls: ${f.calls.stat}`);
    const whole = await indexCertificates(path.join(big, 'd0', 'e0'));
    assert.equal(whole.incomplete, undefined);
  });

  it('a host looked up in a huge tree is not checkable: Information, never a "no certificate" Warning/Error', async () => {
    const c = configDir(`certificates = ${JSON.stringify(big)}\n${hosts(5)}`);
    for (const checkFiles of ['auto', 'strict'] as const) {
      const f = counting();
      const ds = noCert(await c.run({ fileCache: new FileCache({ fs: f.fs }), fs: f.fs, trusted: true, workspaceFolders: [], checkFiles }));
      assert.equal(ds.length, 5);
      for (const d of ds) {
        assert.equal(d.severity, DiagnosticSeverity.Information, `${checkFiles}: ${d.message}`);
        assert.match(d.message, /was not finished .*cannot be checked here/);
      }
      // One bounded walk for all five hosts (the tree holds over 3,000 entries).
      assert.ok(f.calls.stat < 2000 + 100, `${checkFiles}: stat calls ${f.calls.stat}`);
    }
  });
});

describe('file checks stop when cancelled', () => {
  it('a run whose `cancelled` turns true stops its I/O instead of finishing it', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 20; i++) files[`certs/d${i}/c.crt`] = 'rsa.crt';
    const c = configDir(`certificates = "certs"\n${hosts(20)}`, files);
    const full = counting();
    await c.run({ fileCache: new FileCache({ fs: full.fs }), fs: full.fs, trusted: true, workspaceFolders: [] });
    const total = full.calls.stat + full.calls.readdir + full.calls.read;
    const f = counting();
    let stop = false;
    const cancelled = (): boolean => stop;
    // Cancel after the first directory listing, as a keystroke would.
    const fsys: FileSystem = { ...f.fs, readdir: async (p) => ((stop = true), f.fs.readdir(p)) };
    await c.run({ fileCache: new FileCache({ fs: fsys }), fs: fsys, trusted: true, workspaceFolders: [], cancelled });
    const done = f.calls.stat + f.calls.readdir + f.calls.read;
    assert.ok(done < total / 4, `cancelled run did ${done} of ${total} calls`);
  });

  it('a cancelled run does not spoil the index kept for the next run', async () => {
    const c = configDir(`certificates = "certs"\nVirtualHost "example.com"\nVirtualHost "nope.test"\n`, { 'certs/a/x.crt': 'rsa.crt', 'certs/a/x.key': 'rsa.key' });
    const f = counting();
    const cache = new FileCache({ fs: f.fs });
    await c.run({ fileCache: cache, fs: f.fs, trusted: true, workspaceFolders: [] });
    const listings = f.calls.readdir;
    await c.run({ fileCache: cache, fs: f.fs, trusted: true, workspaceFolders: [], cancelled: () => true });
    const ds = noCert(await c.run({ fileCache: cache, fs: f.fs, trusted: true, workspaceFolders: [] }));
    assert.equal(ds.length, 1);
    assert.match(ds[0]!.message, /"nope\.test"/);
    assert.equal(f.calls.readdir, listings);
  });
});
