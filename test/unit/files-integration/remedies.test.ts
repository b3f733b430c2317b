// Every file finding says what goes wrong and what to write instead; none shows a password or key material.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { checkFiles, configDir, env, onlyOne } from './fixture';

const noSecrets = (message: string): void => {
  assert.ok(!/hunter2|secret/.test(message), message);
  assert.ok(!/-----BEGIN|PRIVATE KEY-----/.test(message), message);
};

test('cert-host-mismatch says who refuses it and what to do', async () => {
  const f = onlyOne(await checkFiles('VirtualHost "example.com"\n  ssl = { certificate = "tls/wrong.crt"; key = "tls/wrong.key" }\n'), 'cert-host-mismatch');
  assert.match(f.message, /not for "example\.com": clients refuse it/);
  assert.match(f.message, /Give "example\.com" a certificate that names it \(here, in its `ssl` table\).*reissued with the name added/);
});

test('cert-host-mismatch names the table that wins: the host\'s own c2s_ssl outranks its ssl; from the global table, its own ssl', async () => {
  const own = onlyOne(await checkFiles('VirtualHost "example.com"\n  c2s_ssl = { certificate = "tls/wrong.crt"; key = "tls/wrong.key" }\n'), 'cert-host-mismatch');
  assert.match(own.message, /names it \(here, in its `c2s_ssl` table\)/);
  assert.doesNotMatch(own.message, /own ssl table/);
  const global = onlyOne(await checkFiles('c2s_ssl = { certificate = "tls/wrong.crt"; key = "tls/wrong.key" }\nVirtualHost "example.com"\n'), 'cert-host-mismatch');
  assert.match(global.message, /names it \(in its own ssl table\)/);
});

test('key-cert-mismatch says how to find the matching key', async () => {
  const f = onlyOne(await checkFiles('VirtualHost "example.com"\n  ssl = { certificate = "tls/good.crt"; key = "tls/other.key" }\n'), 'key-cert-mismatch');
  assert.match(f.message, /Name the key the certificate was issued for/);
  noSecrets(f.message);
});

test('encrypted keys: no password and a wrong one say what to write, without the password', async () => {
  const none = onlyOne(await checkFiles('VirtualHost "example.com"\n  ssl = { certificate = "tls/good.crt"; key = "tls/enc.key" }\n'), 'key-encrypted-no-password');
  assert.match(none.message, /Write `password = "…"` next to the key, or store the key unencrypted/);
  const wrong = onlyOne(await checkFiles('VirtualHost "example.com"\n  ssl = { certificate = "tls/good.crt"; key = "tls/enc.key"; password = "hunter2" }\n'), 'key-password-wrong');
  assert.match(wrong.message, /Set the passphrase the key was encrypted with/);
  noSecrets(none.message);
  noSecrets(wrong.message);
});

test('file-content-invalid names what the setting needs', async () => {
  const c = configDir();
  fs.writeFileSync(c.file('tls/junk.pem'), 'not DH parameters\n');
  const cert = onlyOne(await checkFiles('ssl = { certificate = "tls/junk.crt" }\n'), 'file-content-invalid');
  assert.match(cert.message, /name the PEM file of the certificate/);
  const key = onlyOne(await checkFiles('ssl = { key = "tls/good.crt" }\n'), 'file-content-invalid');
  assert.match(key.message, /name the PEM file of the certificate's private key/);
  const dh = onlyOne(await checkFiles('ssl = { dhparam = "tls/junk.pem" }\n'), 'file-content-invalid');
  assert.match(dh.message, /openssl dhparam -out dh\.pem 2048/);
  const ca = onlyOne(await checkFiles('ssl = { cafile = "tls/junk.crt" }\n'), 'file-content-invalid');
  assert.match(ca.message, /Name a PEM file of CA certificates/);
  for (const f of [cert, key, dh, ca]) noSecrets(f.message);
});

test('cert-expiring and cert-expired say to renew', async () => {
  const soon = onlyOne(await checkFiles('ssl = { certificate = "tls/short.crt"; key = "tls/short.key" }\n'), 'cert-expiring');
  assert.match(soon.message, /Renew it before then/);
  const later = new Date(Date.now() + 80 * 86400_000);
  assert.match(onlyOne(await checkFiles('ssl = { certificate = "tls/good.crt"; key = "tls/good.key" }\n', { e: env({ now: later }) }), 'cert-expiring').message, /Renew it/);
  assert.match(onlyOne(await checkFiles('ssl = { certificate = "tls/expired.crt"; key = "tls/expired.key" }\n'), 'cert-expired').message, /Renew it/);
});

test('a path with its separator or spaces inside the quotes: a warning wherever it is deployed, and the fix takes them out', async () => {
  const text = 'VirtualHost "example.com"\n  ssl = { certificate = "tls/good.crt;"; key = " /nonexistent/prosody/privkey.pem, " }\n';
  const seen = (await checkFiles(text)).filter((s) => s.code === 'file-missing');
  assert.deepEqual(seen.map((s) => [s.text, s.severity]), [['"tls/good.crt;"', 2], ['" /nonexistent/prosody/privkey.pem, "', 2]]);
  const [cert, key] = seen as [typeof seen[0], typeof seen[0]];
  assert.match(cert.message, /does not exist: the ";" at its end is inside the quotes, and Prosody takes it as part of the file name\. .*Write "tls\/good\.crt", with the separator after the closing quote\.$/);
  assert.match(key.message, /spaces at its start and the "," at its end are inside the quotes, and Prosody takes them as part of the file name\..*Write "\/nonexistent\/prosody\/privkey\.pem", with the separator/);
  const fixed = (s: typeof cert): string => {
    const data = s.d.data as { fixes: Array<{ title: string; preferred?: boolean; edits: Array<{ range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string }> }> };
    assert.equal(data.fixes.length, 1);
    assert.equal(data.fixes[0]!.preferred, true);
    return TextDocument.applyEdits(TextDocument.create('file:///x', 'prosody', 1, text), data.fixes[0]!.edits);
  };
  assert.equal(fixed(cert), text.replace('good.crt;"', 'good.crt"'));
  assert.equal(fixed(key), text.replace('" /nonexistent/prosody/privkey.pem, "', '"/nonexistent/prosody/privkey.pem"'));
  // Written with an escape, the value and the text differ: no edit is guessed. A path that exists is not judged.
  const escaped = onlyOne(await checkFiles('ssl = { certificate = "/nonexistent/prosody/cert.pem\\059" }\n'), 'file-missing');
  assert.equal(escaped.severity, 3);
  assert.match(escaped.message, /not found on this machine/);
  assert.deepEqual((await checkFiles('VirtualHost "example.com"\n  ssl = { certificate = "tls/good.crt"; key = "tls/good.key" }\n')).filter((s) => s.code === 'file-missing'), []);
});
