// The certificate the automatic lookup finds for a host that names none is checked like a named one (a reviewer:
// with `prosodyctl cert import`, the usual 0.12/13.0 setup, an expired or wrong certificate went unreported while
// 13.0.1's `prosodyctl check certs` said "Certificate has expired" and Prosody served it).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { material } from '../files/material';
import { checkFiles } from './fixture';

function certsDir(): string {
  const m = material();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prosody-ssl-found-'));
  const pair = (from: string, name: string): void => {
    fs.copyFileSync(m.file(`${from}.crt`), path.join(dir, `${name}.crt`));
    fs.copyFileSync(m.file(`${from}.key`), path.join(dir, `${name}.key`));
  };
  pair('expired', 'old.example'); // January 2020: the index leaves it out, the lookup by name finds it
  pair('wronghost', 'mismatch.example'); // a certificate for other.org under this host's name
  pair('rsa', 'example.com'); // right, and valid
  // A valid server certificate whose intermediate expired in 2020.
  fs.copyFileSync(m.file('stalechain.pem'), path.join(dir, 'stale.example.crt'));
  fs.copyFileSync(m.file('staleleaf.key'), path.join(dir, 'stale.example.key'));
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('an expired or wrong certificate found automatically is reported on the host, on every line with a lookup', async () => {
  const dir = certsDir();
  const text = `certificates = "${dir}"\nVirtualHost "old.example"\nVirtualHost "mismatch.example"\nVirtualHost "example.com"\n`;
  for (const line of ['0.11', '0.12', '13.0'] as const) {
    const seen = await checkFiles(text, { settings: { prosodyVersion: line } });
    const expired = seen.filter((s) => s.code === 'cert-expired');
    assert.deepEqual(expired.map((s) => s.text), ['VirtualHost "old.example"'], line);
    assert.equal(expired[0]!.severity, DiagnosticSeverity.Error);
    assert.match(expired[0]!.message, /^The certificate Prosody finds for "old\.example" automatically, ".*old\.example\.crt", expired on 2020-02-01/);
    const wrong = seen.filter((s) => s.code === 'cert-host-mismatch');
    assert.deepEqual(wrong.map((s) => s.text), ['VirtualHost "mismatch.example"'], line);
    assert.match(wrong[0]!.message, /is for other\.org, www\.other\.org, not for "mismatch\.example"/);
    // The right one gives nothing; none of them is "no certificate".
    assert.deepEqual(seen.filter((s) => s.code === 'host-no-certificate'), [], line);
  }
});

test('a certificate found automatically that is signed with SHA-1 is cert-weak-signature on the host', async () => {
  const dir = certsDir();
  // Signed with SHA-1 by a CA (OpenSSL 3.0 refuses to load it).
  fs.copyFileSync(material().file('sha1leaf.crt'), path.join(dir, 'chain.example.crt'));
  fs.copyFileSync(material().file('leaf.key'), path.join(dir, 'chain.example.key'));
  const seen = await checkFiles(`certificates = "${dir}"\nVirtualHost "chain.example"\n`, { settings: { prosodyVersion: '0.12' } });
  const weak = seen.filter((s) => s.code === 'cert-weak-signature');
  assert.deepEqual(weak.map((s) => s.text), ['VirtualHost "chain.example"']);
  assert.equal(weak[0]!.severity, DiagnosticSeverity.Error);
  assert.match(weak[0]!.message, /^The certificate Prosody finds for "chain\.example" automatically, ".*chain\.example\.crt": it is signed with SHA-1, .*"error loading certificate \(ca md too weak\)"/);
});

test('a stale intermediate in the file found automatically is a Warning on the host', async () => {
  const dir = certsDir();
  const seen = await checkFiles(`certificates = "${dir}"\nVirtualHost "stale.example"\n`, { settings: { prosodyVersion: '13.0' } });
  const stale = seen.filter((s) => s.code === 'cert-expired');
  assert.deepEqual(stale.map((s) => s.text), ['VirtualHost "stale.example"']);
  assert.equal(stale[0]!.severity, DiagnosticSeverity.Warning);
  assert.match(stale[0]!.message, /^The file Prosody finds for "stale\.example" automatically, ".*stale\.example\.crt", holds, after the server certificate, one that expired on 2020-02-01/);
});

test('a certificate-like file in the certificates directory that OpenSSL cannot load stops 0.12 (its index reads every one)', async () => {
  const dir = certsDir();
  // What index_certs reads: a .crt, the exact first line, a key beside it; the body is no certificate.
  fs.writeFileSync(path.join(dir, 'broken.crt'), '-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n');
  fs.writeFileSync(path.join(dir, 'broken.key'), '');
  // Without the key beside it, or with a good first certificate, index_certs never loads a bad one: not reported.
  fs.writeFileSync(path.join(dir, 'nokey.crt'), '-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n');
  const m = material();
  fs.writeFileSync(path.join(dir, 'second.crt'), `${fs.readFileSync(m.file('rsa.crt'), 'utf8')}-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n`);
  fs.copyFileSync(m.file('rsa.key'), path.join(dir, 'second.key'));
  // Even when every host names its own certificate: Prosody builds the index for every context.
  const text = `certificates = "${dir}"\nVirtualHost "example.com"\n\tssl = { certificate = "${dir}/example.com.crt"; key = "${dir}/example.com.key" }\n`;
  // 13.0's index_certs loads it the same way, with no test of the result (a reviewer's 13.0.1 stopped at
  // certmanager.lua:105, "attempt to index a nil value (local 'cert')").
  for (const line of ['0.12', '13.0'] as const) {
    const seen = await checkFiles(text, { settings: { prosodyVersion: line } });
    const fatal = seen.filter((s) => s.code === 'file-content-invalid');
    assert.deepEqual(fatal.map((s) => s.text), [`"${dir}"`], line);
    assert.match(fatal[0]!.message, new RegExp(`broken\\.crt in the certificates directory .* Prosody ${line.replace('.', '\\.')} indexes .* does not start`));
    assert.equal(fatal[0]!.severity, DiagnosticSeverity.Error);
  }
  // A line without that index (0.11) says nothing.
  assert.deepEqual((await checkFiles(text, { settings: { prosodyVersion: '0.11' } })).filter((s) => s.code === 'file-content-invalid'), []);
});

test('the key paired with a found certificate is checked too: mismatched, encrypted without a password, weak RSA', async () => {
  const m = material();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prosody-ssl-foundkey-'));
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  const put = (crt: string, key: string, name: string): void => {
    fs.copyFileSync(m.file(crt), path.join(dir, `${name}.crt`));
    fs.copyFileSync(m.file(key), path.join(dir, `${name}.key`));
  };
  put('rsa.crt', 'ec.key', 'mismatch.example');
  put('rsa.crt', 'enc-legacy.key', 'locked.example'); // rsa.key encrypted with "secret"
  put('rsa1024.crt', 'rsa1024.key', 'small.example');
  put('rsa.crt', 'rsa.key', 'fine.example');
  const hosts = ['mismatch', 'locked', 'small', 'fine'].map((h) => `VirtualHost "${h}.example"\n`).join('');
  const seen = await checkFiles(`certificates = "${dir}"\n${hosts}`, { settings: { prosodyVersion: '0.12' } });
  const at = (code: string): string[] => seen.filter((s) => s.code === code).map((s) => s.text);
  assert.deepEqual(at('key-cert-mismatch'), ['VirtualHost "mismatch.example"']);
  assert.deepEqual(at('key-encrypted-no-password'), ['VirtualHost "locked.example"']);
  assert.deepEqual(at('key-rsa-weak'), ['VirtualHost "small.example"']);
  assert.match(seen.find((s) => s.code === 'key-cert-mismatch')!.message, /The key Prosody pairs with the certificate it finds for "mismatch\.example", ".*mismatch\.example\.key", does not belong/);
  // The right password in force (global ssl) opens the key, which matches: nothing; a wrong one is said.
  const withPw = (pw: string): Promise<Array<{ code: unknown; text: string }>> => checkFiles(`certificates = "${dir}"\nssl = { password = "${pw}" }\nVirtualHost "locked.example"\n`, { settings: { prosodyVersion: '0.12' } });
  const keyCodes = async (pw: string): Promise<unknown[]> => (await withPw(pw)).map((s) => s.code).filter((c) => c !== 'cert-host-mismatch'); // rsa.crt names example.com
  assert.deepEqual(await keyCodes('secret'), []);
  assert.deepEqual(await keyCodes('nope'), ['key-password-wrong']);
  // A key set in a table in force replaces the found one: the found key is not judged.
  const own = await checkFiles(`certificates = "${dir}"\nVirtualHost "mismatch.example"\n\tssl = { key = "${dir}/fine.example.key" }\n`, { settings: { prosodyVersion: '0.12' } });
  assert.ok(!own.some((s) => s.text === 'VirtualHost "mismatch.example"' && s.code === 'key-cert-mismatch' && /pairs with the certificate it finds/.test(s.message)));
});

// find_cert picks `<host>.crt` because it exists (certmanager.lua); a reviewer's 0.12.3 run of a DER or empty one:
// "Failed to load … Check that the file contains a certificate", the host without TLS, and nothing said here.
test('a certificate found automatically that LuaSec cannot load (DER, empty) is reported on the host', async () => {
  const m = material();
  const dir = certsDir();
  fs.copyFileSync(m.file('rsa.der.crt'), path.join(dir, 'der.example.crt'));
  fs.copyFileSync(m.file('rsa.key'), path.join(dir, 'der.example.key'));
  fs.writeFileSync(path.join(dir, 'empty.example.crt'), '');
  fs.copyFileSync(m.file('rsa.key'), path.join(dir, 'empty.example.key'));
  const seen = await checkFiles(`certificates = "${dir}"\nVirtualHost "der.example"\nVirtualHost "empty.example"\n`, { settings: { prosodyVersion: '0.12' } });
  const invalid = seen.filter((s) => s.code === 'file-content-invalid');
  assert.deepEqual(invalid.map((s) => s.text), ['VirtualHost "der.example"', 'VirtualHost "empty.example"']);
  assert.match(invalid[0]!.message, /^The certificate Prosody finds for "der\.example" automatically, ".*der\.example\.crt", is binary DER, but LuaSec loads PEM only/);
  assert.match(invalid[1]!.message, /^The certificate Prosody finds for "empty\.example" automatically, ".*empty\.example\.crt", holds no certificate LuaSec can load \(/);
  assert.deepEqual(seen.filter((s) => s.code === 'host-no-certificate'), []);
});

test('from 0.12 a host\'s certificate option the certificates index overrides is said to be unread, not judged', async () => {
  const dir = certsDir(); // example.com: a valid pair the index holds
  const other = fs.mkdtempSync(path.join(os.tmpdir(), 'prosody-ssl-other-'));
  process.on('exit', () => fs.rmSync(other, { recursive: true, force: true }));
  const m = material();
  fs.copyFileSync(m.file('expired.crt'), path.join(other, 'host.crt'));
  fs.copyFileSync(m.file('expired.key'), path.join(other, 'host.key'));
  const option = `"${other}/host.crt"`;
  const text = `certificates = "${dir}"\nVirtualHost "example.com"\n  certificate = ${option}\nVirtualHost "sub.example.com"\n  certificate = ${option}\n`;
  for (const line of ['0.12', '13.0'] as const) {
    const seen = await checkFiles(text, { settings: { prosodyVersion: line } });
    const unread = seen.filter((s) => s.code === 'certificate-option-unread');
    // Only example.com's: the index has nothing for sub.example.com (nor a wildcard), so its option is read.
    assert.equal(unread.length, 1, line);
    assert.equal(unread[0]!.text, option);
    assert.match(unread[0]!.message, new RegExp(`^Prosody ${line.replace('.', '\\.')} never reads this: its certificate lookup for "example\\.com" asks the index of .* first and takes .*example\\.com\\.crt`));
    assert.equal(unread[0]!.severity, DiagnosticSeverity.Warning);
    // The expired file is judged where it is read (sub.example.com), not where it is not.
    const lines = seen.filter((s) => s.code === 'cert-expired').map((s) => s.d.range.start.line);
    assert.deepEqual(lines, [4], `${line}: ${JSON.stringify(seen)}`);
  }
  // The option naming the indexed file itself, or the folder holding it: its aim is met, nothing to say (a reviewer).
  for (const same of [`"${dir}/example.com.crt"`, `"${dir}"`]) {
    const seen = await checkFiles(`certificates = "${dir}"\nVirtualHost "example.com"\n  certificate = ${same}\n`, { settings: { prosodyVersion: '0.12' } });
    assert.deepEqual(seen.filter((x) => x.code === 'certificate-option-unread'), [], same);
  }
  // The same through symbolic links (a reviewer's 0.12.3 and 13.0.1 served the option's own file): the indexed
  // certificate a link to the file the option names, or the certificates directory a link to the folder it names.
  const live = fs.mkdtempSync(path.join(os.tmpdir(), 'prosody-ssl-live-'));
  process.on('exit', () => fs.rmSync(live, { recursive: true, force: true }));
  fs.copyFileSync(path.join(dir, 'example.com.crt'), path.join(live, 'fullchain.pem'));
  fs.copyFileSync(path.join(dir, 'example.com.key'), path.join(live, 'privkey.pem'));
  const linked = fs.mkdtempSync(path.join(os.tmpdir(), 'prosody-ssl-linked-'));
  fs.symlinkSync(path.join(live, 'fullchain.pem'), path.join(linked, 'example.com.crt'));
  fs.symlinkSync(path.join(live, 'privkey.pem'), path.join(linked, 'example.com.key'));
  const dirLink = `${linked}-dir`;
  fs.symlinkSync(dir, dirLink);
  process.on('exit', () => fs.rmSync(linked, { recursive: true, force: true }));
  process.on('exit', () => fs.rmSync(dirLink, { force: true }));
  for (const [certificates, option] of [[linked, `${live}/fullchain.pem`], [dirLink, `${dir}/example.com.crt`]]) {
    const seen = await checkFiles(`certificates = "${certificates}"\nVirtualHost "example.com"\n  certificate = "${option}"\n`, { settings: { prosodyVersion: '0.12' } });
    assert.deepEqual(seen.filter((x) => x.code === 'certificate-option-unread'), [], option);
  }
  // 0.11 has no index: the option is what the lookup reads, for both hosts.
  const old = await checkFiles(text, { settings: { prosodyVersion: '0.11' } });
  assert.deepEqual(old.filter((s) => s.code === 'certificate-option-unread'), []);
  assert.deepEqual(old.filter((s) => s.code === 'cert-expired').map((s) => s.d.range.start.line), [2, 4]);
});

// find_service_cert (0.12+) takes any indexed certificate with a DNS name before it reads `<service>_certificate` (a
// reviewer's 0.12.3 and 13.0.1 runs: "Using cert … from index for service c2s_direct_tls port …"; the expired file
// the option named was never served).
test('from 0.12 a <service>_certificate the certificates index overrides is said to be unread, not judged', async () => {
  const dir = certsDir(); // example.com: a valid pair the index holds, under DNS names
  const other = fs.mkdtempSync(path.join(os.tmpdir(), 'prosody-ssl-svc-'));
  process.on('exit', () => fs.rmSync(other, { recursive: true, force: true }));
  const m = material();
  fs.copyFileSync(m.file('expired.crt'), path.join(other, 'svc.crt'));
  fs.copyFileSync(m.file('expired.key'), path.join(other, 'svc.key'));
  const option = `"${other}/svc.crt"`;
  const text = `certificates = "${dir}"\nc2s_direct_tls_ports = { 5223 }\nc2s_direct_tls_certificate = ${option}\nhttps_certificate = ${option}\nVirtualHost "example.com"\n`;
  for (const line of ['0.12', '13.0'] as const) {
    const seen = await checkFiles(text, { settings: { prosodyVersion: line } });
    const unread = seen.filter((s) => s.code === 'certificate-option-unread');
    assert.deepEqual(unread.map((u) => u.d.range.start.line), [2, 3], line);
    assert.match(unread[0]!.message, new RegExp(`^Prosody ${line.replace('.', '\\.')} never reads this: for a service's port its certificate lookup takes a certificate of the index of .* that has a DNS name \\(here .*example\\.com\\.crt.*Remove it: from 0\\.12 the port's hosts get their own indexed certificates through SNI.*name it and its key in the global \`c2s_direct_tls_ssl\` table; every host then gets it there`));
    assert.match(unread[1]!.message, /the global `https_ssl` table/);
    assert.deepEqual(seen.filter((s) => s.code === 'cert-expired'), [], line);
  }
  // Before 0.12 the option is what the lookup reads (0.11 has no c2s_direct_tls: https's alone); an empty index
  // leaves it read on 0.12 too.
  const old = await checkFiles(text, { settings: { prosodyVersion: '0.11' } });
  assert.deepEqual(old.filter((s) => s.code === 'certificate-option-unread'), []);
  assert.deepEqual(old.filter((s) => s.code === 'cert-expired').map((s) => s.d.range.start.line), [3]);
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'prosody-ssl-empty-'));
  process.on('exit', () => fs.rmSync(empty, { recursive: true, force: true }));
  const none = await checkFiles(text.replace(`certificates = "${dir}"`, `certificates = "${empty}"`), { settings: { prosodyVersion: '0.12' } });
  assert.deepEqual(none.filter((s) => s.code === 'certificate-option-unread'), []);
  assert.equal(none.filter((s) => s.code === 'cert-expired').length, 2);
});

// A host key with no certificate in force is layered over what the lookup found (a reviewer's 0.12.3 and 13.0.1:
// the index's certificate beside the key of the host's `ssl`, "private key does not match public key").
test('a host key with no certificate in force must belong to the certificate the lookup finds', async () => {
  const dir = certsDir(); // example.com: the index's pair
  const m = material();
  const text = (key: string): string => `certificates = "${dir}"\nVirtualHost "example.com"\n  ssl = { key = "${key}" }\n`;
  for (const line of ['0.12', '13.0'] as const) {
    const seen = (await checkFiles(text(m.file('other.key')), { settings: { prosodyVersion: line } })).filter((s) => s.code === 'key-cert-mismatch');
    assert.equal(seen.length, 1, line);
    assert.match(seen[0]!.message, /^No table in force for "example\.com" names a certificate, so Prosody takes the one its automatic lookup finds, .*example\.com\.crt, and puts this key in place of that certificate's own: this key does not belong to it/);
    assert.deepEqual((await checkFiles(text(`${dir}/example.com.key`), { settings: { prosodyVersion: line } })).filter((s) => s.code === 'key-cert-mismatch'), [], line);
  }
  // A certificate in force beside it (the global one): the usual pairing judges it, not the lookup's.
  const paired = await checkFiles(`certificates = "${dir}"\nssl = { certificate = "${m.file('rsa.crt')}" }\nVirtualHost "example.com"\n  ssl = { key = "${m.file('rsa.key')}" }\n`, { settings: { prosodyVersion: '0.12' } });
  assert.deepEqual(paired.filter((s) => s.code === 'key-cert-mismatch'), []);
});

// find_host_cert asks `certificate` of the host, and the config answers with the global value where the host sets none
// (a reviewer's 0.11.9 served it to every host: "Selecting certificate …alt/example.test.crt … for other.test").
test('a global certificate option is judged for every host that takes it', async () => {
  const m = material();
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'prosody-ssl-noidx-'));
  process.on('exit', () => fs.rmSync(empty, { recursive: true, force: true }));
  const text = (certs: string): string => `certificates = "${certs}"\ncertificate = "${m.file('rsa.crt')}"\nVirtualHost "example.com"\nVirtualHost "other.example"\nVirtualHost "own.example"\n  ssl = { certificate = "${m.file('rsa.crt')}", key = "${m.file('rsa.key')}" }\n`;
  for (const line of ['0.11', '0.12'] as const) {
    const seen = (await checkFiles(text(empty), { settings: { prosodyVersion: line } })).filter((s) => s.code === 'cert-host-mismatch' && s.d.range.start.line === 1);
    assert.deepEqual(seen.map((s) => /not for "([^"]+)"/.exec(s.message)?.[1]), ['other.example'], line);
  }
  // From 0.12 a host the index serves never reaches the option: only the others are judged.
  const dir = certsDir(); // example.com indexed
  const indexed = (await checkFiles(text(dir).replace('VirtualHost "other.example"\n', '').replace(`certificate = "${m.file('rsa.crt')}"\nVirtualHost`, `certificate = "${m.file('wronghost.crt')}"\nVirtualHost`), { settings: { prosodyVersion: '0.12' } })).filter((s) => s.code === 'cert-host-mismatch' && s.d.range.start.line === 1);
  assert.deepEqual(indexed, []);
  // (On 0.11, which has no index, example.com does take that certificate.)
  const old = (await checkFiles(text(dir).replace('VirtualHost "other.example"\n', '').replace(`certificate = "${m.file('rsa.crt')}"\nVirtualHost`, `certificate = "${m.file('wronghost.crt')}"\nVirtualHost`), { settings: { prosodyVersion: '0.11' } })).filter((s) => s.code === 'cert-host-mismatch' && s.d.range.start.line === 1);
  assert.deepEqual(old.map((s) => /not for "([^"]+)"/.exec(s.message)?.[1]), ['example.com']);
});

test('a host certificate option naming a .pem without the key: find_cert reads the key from that same file', async () => {
  const m = material();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prosody-ssl-pem-'));
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  fs.copyFileSync(m.file('rsa.crt'), path.join(dir, 'only.pem'));
  fs.writeFileSync(path.join(dir, 'both.pem'), fs.readFileSync(m.file('rsa.crt'), 'utf8') + fs.readFileSync(m.file('rsa.key'), 'utf8'));
  for (const line of ['0.11', '0.12', '13.0'] as const) {
    const only = await checkFiles(`certificates = "${dir}/none"\nVirtualHost "example.com"\n  certificate = "${dir}/only.pem"\n`, { settings: { prosodyVersion: line } });
    const bad = only.filter((s) => s.code === 'file-content-invalid');
    assert.deepEqual(bad.map((s) => s.text), [`"${dir}/only.pem"`], `${line}: ${JSON.stringify(only.map((s) => s.code))}`);
    assert.match(bad[0]!.message, /holds no usable private key .* Prosody reads the key from the certificate's own file when its name ends in neither `\.crt` nor `fullchain\.pem`/);
    // The certificate with its key in one file is what find_cert expects there.
    const both = await checkFiles(`certificates = "${dir}/none"\nVirtualHost "example.com"\n  certificate = "${dir}/both.pem"\n`, { settings: { prosodyVersion: line } });
    assert.deepEqual(both.filter((s) => s.severity === DiagnosticSeverity.Error || s.code === 'key-cert-mismatch'), [], line);
  }
});

test('before 0.12 a <service>_certificate naming a .pem without the key leaves the service without a port', async () => {
  const m = material();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prosody-ssl-svcpem-'));
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  fs.copyFileSync(m.file('rsa.crt'), path.join(dir, 'only.pem'));
  fs.writeFileSync(path.join(dir, 'both.pem'), fs.readFileSync(m.file('rsa.crt'), 'utf8') + fs.readFileSync(m.file('rsa.key'), 'utf8'));
  const text = (file: string): string => `legacy_ssl_ports = { 5223 }\nlegacy_ssl_certificate = "${dir}/${file}"\n`;
  for (const line of ['0.10', '0.11'] as const) {
    const bad = (await checkFiles(text('only.pem'), { settings: { prosodyVersion: line } })).filter((s) => s.code === 'file-content-invalid');
    assert.deepEqual(bad.map((s) => s.text), [`"${dir}/only.pem"`], line);
    assert.match(bad[0]!.message, /takes this service's key from the same file .* so legacy_ssl binds no port \("Activated service 'legacy_ssl' on no ports"\)/);
    assert.deepEqual((await checkFiles(text('both.pem'), { settings: { prosodyVersion: line } })).filter((s) => s.code === 'file-content-invalid'), [], line);
  }
  // From 0.12 the certificates index is asked first: not judged here.
  assert.deepEqual((await checkFiles(text('only.pem'), { settings: { prosodyVersion: '0.12' } })).filter((s) => s.code === 'file-content-invalid'), []);
});

// Review 141 (real 0.12.3 and 13.0.1): a Component takes what the lookup finds for it or a parent domain, for servers.
test('a Component relying on the lookup: none found, or a parent\'s certificate that does not name it, is noted', async () => {
  const dir = certsDir();
  const base = `certificates = "${dir}"\nVirtualHost "example.com"\n`;
  const codes = async (text: string, line: '0.11' | '0.12' | '13.0' = '0.12') =>
    (await checkFiles(text, { settings: { prosodyVersion: line } })).filter((s) => (s.code === 'host-no-certificate' || s.code === 'cert-host-mismatch') && s.text.startsWith('Component'));
  for (const line of ['0.11', '0.12', '13.0'] as const) {
    const none = await codes(`${base}Component "muc.nowhere.test" "muc"\n`, line);
    assert.deepEqual(none.map((s) => [s.code, s.text, s.severity]), [['host-no-certificate', 'Component "muc.nowhere.test" "muc"', DiagnosticSeverity.Information]], line);
    assert.match(none[0]!.message, /No certificate for the Component "muc\.nowhere\.test": .* servers that connect to it get no TLS/);
    const parent = await codes(`${base}Component "upload.example.com" "http_file_share"\n`, line);
    assert.deepEqual(parent.map((s) => [s.code, s.severity]), [['cert-host-mismatch', DiagnosticSeverity.Information]], line);
    assert.match(parent[0]!.message, /not for "upload\.example\.com": remote servers do not authenticate the domain with it/);
  }
  // Named by the parent's certificate, given one in its own table, s2s switched off, or 0.9 (no lookup): nothing.
  for (const text of [
    `${base}Component "conference.example.com" "muc"\n`,
    `${base}Component "muc.nowhere.test" "muc"\n  ssl = { certificate = "${dir}/example.com.crt", key = "${dir}/example.com.key" }\n`,
    `modules_disabled = { "s2s" }\n${base}Component "muc.nowhere.test" "muc"\n`,
  ]) assert.deepEqual(await codes(text), [], text);
  assert.deepEqual((await checkFiles(`${base}Component "muc.nowhere.test" "muc"\n`, { settings: { prosodyVersion: '0.9' } })).filter((s) => s.code === 'host-no-certificate' && s.text.startsWith('Component')), []);
});
