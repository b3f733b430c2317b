// LuaSec's `certificates` list (several certificate/key pairs, e.g. RSA and ECDSA) in place of a single
// `certificate`: Prosody 0.12.3 starts and serves every pair (checked with Debian's prosody and LuaSec 1.2),
// 0.10/0.11 refuse a server context without `certificate`, and 0.9 never passes the list on.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { test } from 'node:test';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import type { ProsodyLine } from '../../../server/src/service/catalog';
import { nodeFileSystem, type FileSystem } from '../../../server/src/service/files';
import { checkFiles, configDir, env, onlyOne } from './fixture';
import { material } from '../files/material';

function dual(): string {
  const c = configDir();
  return `ssl = { certificates = { { certificate = "${c.file('tls/good.crt')}", key = "${c.file('tls/good.key')}" }, { certificate = "${c.file('tls/wrong.crt')}", key = "${c.file('tls/wrong.key')}" } } }\nVirtualHost "localhost"\n`;
}

const noCert = async (text: string, line: ProsodyLine) => (await checkFiles(text, { settings: { prosodyVersion: line } })).filter((s) => s.code === 'host-no-certificate');

test('a certificates list in force gives the host its certificates on 0.12 and 13.0: no host-no-certificate', async () => {
  for (const line of ['0.12', '13.0'] as const) assert.deepEqual(await noCert(dual(), line), [], line);
  // The same on a host's own table, and through c2s_ssl.
  const c = configDir();
  const own = `VirtualHost "localhost"\n  ssl = { certificates = { { certificate = "${c.file('tls/good.crt')}", key = "${c.file('tls/good.key')}" } } }\n`;
  assert.deepEqual(await noCert(own, '0.12'), []);
  // Without the list (or with an empty one) the host still has no certificate.
  onlyOne(await checkFiles('VirtualHost "localhost"\n'), 'host-no-certificate');
  onlyOne(await checkFiles('ssl = { certificates = {} }\nVirtualHost "localhost"\n'), 'host-no-certificate');
});

test('0.10/0.11 demand a single certificate besides the list: the finding says so and what to add', async () => {
  for (const line of ['0.10', '0.11'] as const) {
    const [f] = await noCert(dual(), line);
    assert.ok(f, line);
    assert.equal(f.severity, DiagnosticSeverity.Warning);
    // certmanager asks for the certificate first (a reviewer's 0.11.9 log: "No certificate present …").
    assert.match(f.message, /\("No certificate present in SSL\/TLS configuration for localhost", or with a certificate and no key "No key present …"\)/);
    assert.match(f.message, /Also set `certificate` and `key`/);
    assert.ok(f.d.relatedInformation?.some((r) => r.message === 'the certificates list in force'));
  }
  // A pair found by the automatic lookup satisfies 0.11 (LuaSec then serves the list).
  assert.deepEqual(await noCert(dual().replace('localhost', 'example.com'), '0.11'), []);
});

test('0.9 ignores the list: the finding says why and what to write', async () => {
  const [f] = await noCert(dual(), '0.9');
  assert.ok(f);
  assert.match(f.message, /only `certificate` and `key`.*`certificates` list in force is ignored/);
});

test('host-no-certificate says what to write', async () => {
  const f = onlyOne(await checkFiles('VirtualHost "localhost"\n'), 'host-no-certificate');
  assert.match(f.message, /Set `certificate` and `key` in an ssl table for the host, or put the pair at one of the paths looked at/);
  const old = onlyOne(await checkFiles('VirtualHost "localhost"\n', { settings: { prosodyVersion: '0.9' } }), 'host-no-certificate');
  assert.match(old.message, /Set `certificate` and `key` in an ssl table/);
});

test('a certificates directory that is not there is said to be missing once, not also "could not be listed" (a reviewer)', async () => {
  const text = 'certificates = "/no/such/dir"\nVirtualHost "localhost"\n';
  const auto = onlyOne(await checkFiles(text), 'host-no-certificate');
  assert.doesNotMatch(auto.message, /could not be listed/);
  assert.match(auto.message, /is not on this machine/);
  // Written relative to the config's folder in a config deployed here (a certificate it names is on this machine):
  // missing here as on the server (review 141: the host got no TLS on a real 0.12.3 and 13.0.1), a Warning.
  const deployed = 'certificates = "no-such-dir"\nVirtualHost "example.com"\n  ssl = { certificate = "tls/good.crt"; key = "tls/good.key" }\nVirtualHost "localhost"\n';
  const relative = onlyOne(await checkFiles(deployed), 'host-no-certificate');
  assert.equal(relative.severity, DiagnosticSeverity.Warning);
  assert.match(relative.message, /The certificates directory no-such-dir\/ does not exist\./);
  assert.doesNotMatch(relative.message, /not on this machine/);
  // A copy without any of its files (a repository): only noted, as the default folder is (review 142's corpus run).
  assert.equal(onlyOne(await checkFiles('certificates = "no-such-dir"\nVirtualHost "localhost"\n'), 'host-no-certificate').severity, DiagnosticSeverity.Information);
  const strict = onlyOne(await checkFiles(text, { settings: { checkFiles: 'strict' } }), 'host-no-certificate');
  assert.doesNotMatch(strict.message, /could not be listed/);
  assert.match(strict.message, /The certificates directory \/no\/such\/dir\/ does not exist\./);
});

test('a certificates option naming a file is said to be a file, a Warning, and the index says what it left out and why', async () => {
  // (With a key beside it, Prosody's find_cert takes the file itself for every host: tls/junk.crt has none.)
  const file = onlyOne(await checkFiles('certificates = "tls/junk.crt"\nVirtualHost "chat.example"\n', { settings: { prosodyVersion: '0.12' } }), 'host-no-certificate');
  assert.match(file.message, /`certificates` names a file, tls\/junk\.crt, not a directory of certificates\./);
  assert.doesNotMatch(file.message, /not on this machine|could not be listed/);
  assert.equal(file.severity, DiagnosticSeverity.Warning);
  // tls/ holds certificates Prosody's index leaves out: an expired one, a .crt with no key beside it.
  const left = onlyOne(await checkFiles('certificates = "tls"\nVirtualHost "old.example"\n', { settings: { prosodyVersion: '0.12' } }), 'host-no-certificate');
  assert.match(left.message, /it left out .*tls\/expired\.crt \(expired\)/);
});

test('a lookup candidate this user may not stat proves no miss: Information that says so (0.10/0.11 have no index to fall back on)', async () => {
  // Debian's /etc/prosody/certs is root:prosody 0750: an editing user gets EACCES where Prosody finds the pair.
  const c = configDir();
  const closed = c.file('certs');
  const fsys: FileSystem = {
    ...nodeFileSystem,
    stat: async (p) => {
      if (p.startsWith(`${closed}/`)) throw Object.assign(new Error(`EACCES: permission denied, stat '${p}'`), { code: 'EACCES' });
      return nodeFileSystem.stat(p);
    },
  };
  const text = 'VirtualHost "example.com"\n';
  const f = onlyOne(await checkFiles(text, { e: env({}, fsys), settings: { prosodyVersion: '0.11' } }), 'host-no-certificate');
  assert.equal(f.severity, DiagnosticSeverity.Information);
  assert.match(f.message, /This user may not look at certs\/example\.com\.crt; Prosody, running as another user, may find the pair there/);
  // Allowed to look, the lookup finds certs/example.com.crt + .key: nothing to say.
  assert.deepEqual((await checkFiles(text, { settings: { prosodyVersion: '0.11' } })).filter((s) => s.code === 'host-no-certificate'), []);
});

test('the index: a key this user may not stat, or an entry it may not follow, proves no miss; a dangling link does (a reviewer)', async () => {
  const c = configDir();
  const dir = c.file('idx-certs');
  fs.mkdirSync(dir, { recursive: true });
  fs.copyFileSync(c.file('tls/good.crt'), `${dir}/mycert.crt`);
  const denied = new Set([`${dir}/mycert.key`, `${dir}/mysite`]);
  const fsys: FileSystem = {
    ...nodeFileSystem,
    stat: async (p) => {
      if (denied.has(p)) throw Object.assign(new Error(`EACCES: permission denied, stat '${p}'`), { code: 'EACCES' });
      return nodeFileSystem.stat(p);
    },
  };
  fs.rmSync(`${dir}/mysite`, { force: true });
  fs.symlinkSync('/nonexistent/dir', `${dir}/mysite`);
  const text = 'certificates = "idx-certs"\nVirtualHost "example.com"\n';
  // The key behind a closed directory (and the link): Information, the index "not finished".
  const closed = onlyOne(await checkFiles(text, { e: env({}, fsys), settings: { prosodyVersion: '0.12' } }), 'host-no-certificate');
  assert.equal(closed.severity, DiagnosticSeverity.Information);
  assert.match(closed.message, /could not be looked at by this user/);
  // Open to this user, the dangling link and the missing key are what Prosody sees too: a Warning.
  fs.rmSync(`${dir}/mycert.crt`);
  fs.symlinkSync('/nonexistent/old.crt', `${dir}/old.crt`);
  const open = onlyOne(await checkFiles(text, { settings: { prosodyVersion: '0.12' } }), 'host-no-certificate');
  assert.equal(open.severity, DiagnosticSeverity.Warning);
  assert.doesNotMatch(open.message, /not finished/);
});

test('a certificates directory this user may not stat is not called missing (a reviewer)', async () => {
  const c = configDir();
  const closed = c.file('secret');
  fs.mkdirSync(`${closed}/certs`, { recursive: true });
  const deny = (p: string): void => {
    if (p === closed || p.startsWith(`${closed}/`)) throw Object.assign(new Error(`EACCES: permission denied, stat '${p}'`), { code: 'EACCES' });
  };
  const fsys: FileSystem = { ...nodeFileSystem, stat: async (p) => (deny(p), nodeFileSystem.stat(p)), readdir: async (p) => (deny(p), nodeFileSystem.readdir(p)) };
  const text = 'certificates = "secret/certs"\nVirtualHost "example.com"\n';
  for (const checkFiles_ of ['auto', 'strict'] as const) {
    const f = onlyOne(await checkFiles(text, { e: env({}, fsys), settings: { prosodyVersion: '0.12', checkFiles: checkFiles_ } }), 'host-no-certificate');
    assert.doesNotMatch(f.message, /does not exist|not on this machine/, checkFiles_);
    assert.equal(f.severity, DiagnosticSeverity.Information, checkFiles_);
  }
});

// Review 141: real 0.12.3 and 13.0.1 logged "Error initialising for example.test: private key does not match public
// key" for a list pair whose key was another certificate's, and the host got no TLS.
test('the files of LuaSec\'s certificates list are read: a key that is not its certificate\'s, an expired one, a missing one', async () => {
  const m = material();
  const q = (name: string): string => JSON.stringify(m.file(name));
  const good = `certificate = ${q('rsa.crt')}; key = ${q('rsa.key')}`;
  const list = (pair: string): string => `VirtualHost "example.com"\n  ssl = { ${good}; certificates = { { ${pair} } } }\n`;
  for (const line of ['0.11', '0.12', '13.0'] as const) {
    const seen = await checkFiles(list(`certificate = ${q('ec.crt')}; key = ${q('rsa.key')}`), { settings: { prosodyVersion: line } });
    const mismatch = onlyOne(seen, 'key-cert-mismatch');
    assert.equal(mismatch.text, q('rsa.key'));
    assert.match(mismatch.message, /does not belong to the certificate beside it in the `certificates` list: LuaSec fails \("private key does not match public key"\)/);
  }
  assert.equal((await checkFiles(list(`certificate = ${q('expired.crt')}; key = ${q('expired.key')}`))).filter((s) => s.code === 'cert-expired').length, 1);
  // A list certificate signed with SHA-1 by a CA: OpenSSL 3.0 refuses to load it ("ca md too weak").
  const weak = onlyOne(await checkFiles(list(`certificate = ${q('sha1leaf.crt')}; key = ${q('leaf.key')}`)), 'cert-weak-signature');
  assert.equal(weak.text, q('sha1leaf.crt'));
  assert.deepEqual((await checkFiles(list(`certificate = ${q('ec.crt')}; key = ${q('ec.key')}`))).filter((s) => s.code !== 'cert-host-mismatch').map((s) => s.code), []);
  const missing = list('certificate = "/nonexistent/list.crt"; key = "/nonexistent/list.key"');
  assert.deepEqual((await checkFiles(missing)).filter((s) => s.code === 'file-missing'), [], 'auto: an absolute path may exist on the server');
  assert.equal((await checkFiles(missing, { settings: { checkFiles: 'strict' } })).filter((s) => s.code === 'file-missing').length, 2);
  // Prosody resolves none of the list's paths (LuaSec opens them from its working directory): relative ones are not read;
  // 0.9 hands LuaSec the single pair alone.
  assert.deepEqual((await checkFiles(list('certificate = "tls/good.crt"; key = "tls/other.key"'))).filter((s) => s.code === 'key-cert-mismatch'), []);
  assert.deepEqual((await checkFiles(list(`certificate = ${q('ec.crt')}; key = ${q('rsa.key')}`), { settings: { prosodyVersion: '0.9' } })).filter((s) => s.code === 'key-cert-mismatch' && s.text === q('rsa.key') && s.d.range.start.line === 1 && s.message.includes('`certificates` list')), []);
});
