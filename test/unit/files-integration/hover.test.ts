// File hover over real openssl material: certificate details checked against openssl's own output, key
// details, and no key material or password ever in the text.
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { doFileHover } from '../../../server/src/service/fileHover';
import { keyLines, material } from '../files/material';
import { configDir, denyingFs, env, offsetIn, opensslFingerprint, SETTINGS } from './fixture';

async function hoverAt(relative: string, text: string, needle: string, e = env()): Promise<string | undefined> {
  const { doc, model } = configDir().doc(relative, text);
  const h = await doFileHover(doc, model, offsetIn(text, needle), SETTINGS, e);
  if (!h) return undefined;
  const c = h.contents as { value: string };
  return c.value;
}

function assertNoSecrets(md: string): void {
  assert.ok(!md.includes('PRIVATE KEY'), 'no PEM label of a key');
  assert.ok(!md.includes('secret'), 'never the password');
  for (const line of keyLines(material())) assert.ok(!md.includes(line.slice(0, 40)), 'no key bytes');
}

test('certificate hover: subject, SANs, issuer, validity with days left, key, SHA-256 fingerprint, host covered', async () => {
  const text = 'VirtualHost "conference.example.com"\n  ssl = { certificate = "tls/good.crt"; key = "tls/good.key" }\n';
  const md = await hoverAt('prosody.cfg.lua', text, '"tls/good.crt"');
  assert.ok(md);
  assert.match(md, /CN=example\.com/);
  assert.match(md, /`example\.com`, `conference\.example\.com`/);
  assert.match(md, /Issuer: `CN=example\.com` \(self-signed\)/);
  const days = Number(/(\d+) days left/.exec(md)?.[1]);
  assert.ok(days >= 88 && days <= 90, `about 90 days left, got ${days}`);
  assert.match(md, /RSA 2048 bits/);
  assert.ok(md.includes(opensslFingerprint(configDir().file('tls/good.crt'))), 'fingerprint equals openssl x509 -fingerprint -sha256');
  assert.match(md, /Covers `conference\.example\.com` \(via `conference\.example\.com`\)/);
  assert.ok(md.includes(configDir().file('tls/good.crt')));
  assertNoSecrets(md);
});

test('certificate hover on the global ssl lists each VirtualHost it serves, covered or not', async () => {
  const text = 'ssl = { certificate = "tls/wrong.crt" }\nVirtualHost "example.com"\nVirtualHost "www.other.org"\nVirtualHost "own.example"\n  ssl = { certificate = "tls/good.crt" }\n';
  const md = await hoverAt('prosody.cfg.lua', text, '"tls/wrong.crt"');
  assert.ok(md);
  assert.match(md, /\*\*Does not cover `example\.com`\*\*/);
  assert.match(md, /Covers `www\.other\.org`/);
  assert.ok(!md.includes('own.example'), 'a host with its own certificate is not listed');
});

test('expired certificate hover says how long ago', async () => {
  const md = await hoverAt('prosody.cfg.lua', 'ssl = { certificate = "tls/expired.crt" }\n', 'tls/expired');
  assert.match(md!, /2020-01-01 to 2020-02-01, \*\*expired \d+ days ago\*\*/);
});

test('key hover: type, size, not encrypted, matches the certificate beside it; mismatch is shown', async () => {
  const good = await hoverAt('prosody.cfg.lua', 'ssl = { certificate = "tls/good.crt"; key = "tls/good.key" }\n', '"tls/good.key"');
  assert.ok(good);
  assert.match(good, /Type: RSA 2048 bits/);
  assert.match(good, /Encrypted: no/);
  assert.match(good, /Certificate `tls\/good\.crt`: matches/);
  assertNoSecrets(good);
  const bad = await hoverAt('prosody.cfg.lua', 'ssl = { certificate = "tls/good.crt"; key = "tls/other.key" }\n', '"tls/other.key"');
  assert.match(bad!, /Certificate `tls\/good\.crt`: \*\*does not match\*\*/);
});

test('encrypted key hover: says encrypted, whether a password is set and decrypts it, never the password', async () => {
  const none = await hoverAt('prosody.cfg.lua', 'ssl = { certificate = "tls/good.crt"; key = "tls/enc.key" }\n', '"tls/enc.key"');
  assert.match(none!, /Encrypted: yes — \*\*no `password` is set\*\*/);
  assert.match(none!, /cannot be compared \(encrypted\)/);
  // PKCS#8 hides the algorithm too until decrypted (a reviewer read "unknown type"); with the password it is shown.
  const pkcs8 = await hoverAt('prosody.cfg.lua', 'ssl = { key = "tls/enc8.key" }\n', '"tls/enc8.key"');
  assert.match(pkcs8!, /Type: not shown until the key is decrypted/);
  assert.match((await hoverAt('prosody.cfg.lua', 'ssl = { key = "tls/enc8.key"; password = "secret" }\n', '"tls/enc8.key"'))!, /Type: RSA 2048 bits/);
  const right = await hoverAt('prosody.cfg.lua', 'ssl = { certificate = "tls/good.crt"; key = "tls/enc.key"; password = "secret" }\n', '"tls/enc.key"');
  assert.match(right!, /Encrypted: yes — the `password` set decrypts it/);
  assert.match(right!, /Type: RSA 2048 bits/);
  assert.match(right!, /: matches/);
  assertNoSecrets(right!);
  const wrong = await hoverAt('prosody.cfg.lua', 'ssl = { certificate = "tls/good.crt"; key = "tls/enc.key"; password = "wrong-one" }\n', '"tls/enc.key"');
  assert.match(wrong!, /does not decrypt it/);
  assert.ok(!wrong!.includes('wrong-one'));
});

test('DH parameter hover gives the prime size and names a well-known group', async () => {
  const weak = await hoverAt('prosody.cfg.lua', 'ssl = { dhparam = "tls/dh1024.pem" }\n', 'dh1024');
  assert.match(weak!, /Prime: \*\*1024 bits\*\* \(too weak/);
  const named = await hoverAt('prosody.cfg.lua', 'ssl = { dhparam = "tls/ffdhe2048.pem" }\n', 'ffdhe2048');
  assert.match(named!, /2048 bits/);
  assert.match(named!, /ffdhe2048/);
});

test('a DER certificate, key or DH file: the hover says Prosody cannot use it as it is, as the diagnostic does', async () => {
  for (const [text, needle] of [
    ['ssl = { certificate = "tls/good.der.crt"; key = "tls/good.key" }\n', 'good.der.crt'],
    ['ssl = { certificate = "tls/good.crt"; key = "tls/good.der.key" }\n', 'good.der.key'],
    ['ssl = { dhparam = "tls/dh1024.der" }\n', 'dh1024.der'],
  ] as const) {
    assert.match((await hoverAt('prosody.cfg.lua', text, needle)) ?? '', /Binary DER\*\*: LuaSec reads PEM only/, needle);
  }
  assert.doesNotMatch((await hoverAt('prosody.cfg.lua', 'ssl = { certificate = "tls/good.crt" }\n', 'good.crt')) ?? '', /DER/);
});

test('missing, absolute-missing, permission-denied and Restricted Mode paths explain why nothing is shown', async () => {
  const missing = await hoverAt('prosody.cfg.lua', 'ssl = { certificate = "tls/nope.crt" }\n', 'nope');
  assert.match(missing!, /_Not found\._/);
  const absolute = await hoverAt('prosody.cfg.lua', 'ssl = { certificate = "/nonexistent/prosody/x.crt" }\n', 'nonexistent');
  assert.match(absolute!, /Not found on this machine/);
  const key = configDir().file('tls/good.key');
  const denied = await hoverAt('prosody.cfg.lua', 'ssl = { key = "tls/good.key" }\n', 'good.key', env({}, denyingFs([key])));
  assert.match(denied!, /Permission denied, cannot check/);
  const restricted = await hoverAt('prosody.cfg.lua', `ssl = { certificate = "${configDir().file('tls/good.crt')}" }\n`, 'good.crt', env({ trusted: false, workspaceFolders: ['/nonexistent-workspace'] }));
  assert.match(restricted!, /Restricted Mode/);
  assert.ok(!restricted!.includes('Subject'));
  const inside = await hoverAt('prosody.cfg.lua', 'ssl = { certificate = "tls/good.crt" }\n', 'good.crt', env({ trusted: false, workspaceFolders: [configDir().root] }));
  assert.match(inside!, /Subject/, 'inside the workspace it is read even in Restricted Mode');
});

test('no file hover outside path strings', async () => {
  const text = 'ssl = { certificate = "tls/good.crt"; protocol = "tlsv1_2+" }\n';
  assert.equal(await hoverAt('prosody.cfg.lua', text, 'tlsv1_2+'), undefined);
  assert.equal(await hoverAt('prosody.cfg.lua', text, 'certificate ='), undefined);
});

test('an Include path with template placeholders is said to be unchecked, not missing', async () => {
  const md = await hoverAt('prosody.cfg.lua', 'Include "conf.d/{{ inventory_hostname }}.cfg.lua"\n', 'inventory');
  assert.ok(md);
  assert.match(md, /template placeholders/);
  assert.ok(!/Not found/.test(md));
  // A literal missing path still says so.
  assert.match((await hoverAt('prosody.cfg.lua', 'Include "conf.d/absent.cfg.lua"\n', 'absent'))!, /Not found/);
});
