// Every file finding says what goes wrong and what to write instead; none shows a password or key material.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { test } from 'node:test';
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
