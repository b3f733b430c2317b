// Passwords and other secrets written in a config must never come back out: not in a hover (the effective
// settings table renders every layered value), the outline (symbol details render values), a diagnostic
// message (wrong-type messages render the value) or a quick fix. Every request is made at every offset of a
// config holding secrets in each place they occur, with and without the version's layering in play.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { createLanguageService, type ProsodyLine } from '../../server/src/service';
import { isSecretName, looksLikeKeyMaterial, safeText } from '../../server/src/service/model/secrets';

const BODY = 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQDZ12345678abcdefXYZ';
const SECRETS = ['pw-string-1', '31415926', 'comp-secret-2', 'ldap-pw-3', 'sql-pw-4', 'turn-secret-5', 'host-pw-6', 'map-pw-7', 'typo-pw-8', 'cap-key-9', 'reg-key-10', 'half-typed-11', BODY.slice(0, 12), BODY.slice(-12)];

const config = [
  'component_secret = "comp-secret-2"',
  'ldap_password = "ldap-pw-3"',
  'sql = { driver = "PostgreSQL", password = "sql-pw-4" }',
  'turn_external_secret = "turn-secret-5"',
  'ssl = { key = "k.pem"; certificate = "c.pem"; password = "pw-string-1" }',
  'VirtualHost "a.example"',
  '  ssl = { key = "a.key"; certificate = "a.crt"; password = 31415926 }',
  'VirtualHost "b.example"',
  '  c2s_ssl = { password = "host-pw-6" }',
  '  s2s_ssl = { password = { x = "map-pw-7" } }',
  'VirtualHost "c.example"',
  `  ssl = { certificate = "c.crt"; key = [[\n-----BEGIN PRIVATE KEY-----\n${BODY}\n-----END PRIVATE KEY-----]]; pasword = "typo-pw-8" }`,
  `  https_ssl = { certificate = "${BODY}" }`,
  '  captcha_options = { recaptcha_private_key = "cap-key-9" }',
  '  oauth2_registration_key = "reg-key-10"',
  'VirtualHost "d.example"',
  `  ssl = { certificate = "d.crt"; key = [[\n${BODY}\n-----END PRIVATE KEY-----\n]] }`,
  `  c2s_ssl = { key = "${BODY.slice(0, 64)} ${BODY.slice(0, 64)} ${BODY}" }`,
  '  component_ecret = "half-typed-11"',
  'Component "conference.a.example" "muc"',
  '  ssl = { protocol = "tlsv1_2+" }',
  '',
].join('\n');

const service = createLanguageService();

for (const line of ['0.9', '0.12', '13.0'] as ProsodyLine[]) {
  test(`no request shows a secret (${line})`, () => {
    const doc = TextDocument.create(`file:///secrets/${line}/prosody.cfg.lua`, 'prosody', 1, config);
    const settings = { prosodyVersion: line, checkFiles: 'off' as const };
    const diagnostics = service.doValidation(doc, settings);
    assert.ok(diagnostics.some((d) => d.code === 'ssl-value-type'), 'the wrong-typed passwords are reported');
    // Prosody 0.9 has no c2s_ssl and reads https_ssl only globally: what is pasted there is never loaded, so only
    // the key in c2s_ssl is reported there, as exposed (the certificate's base64 is no secret).
    assert.equal(diagnostics.filter((d) => d.code === 'key-material-in-path').length, line === '0.9' ? 3 : 4, 'the pasted keys and certificate are reported');
    const seen: unknown[] = [diagnostics, service.doCodeActions(doc, diagnostics), service.doDocumentSymbols(doc)];
    let hovers = 0;
    for (let offset = 0; offset <= config.length; offset++) {
      const pos = doc.positionAt(offset);
      const hover = service.doHover(doc, pos, settings);
      if (hover) hovers++;
      seen.push(hover, service.doComplete(doc, pos, settings));
    }
    assert.ok(hovers > 100, `hovers answered (${hovers})`);
    const all = JSON.stringify(seen);
    assert.ok(all.includes('Effective c2s settings') && all.includes('(hidden)'), 'the effective settings were rendered, with the password hidden');
    for (const secret of SECRETS) assert.ok(!all.includes(secret), `${secret} leaked`);
  });
}

test('what is key material: PEM, or base64 of one DER element (whole or cut short); long path names are not', () => {
  assert.ok(looksLikeKeyMaterial('-----BEGIN PRIVATE KEY-----\nMIIE'));
  assert.ok(looksLikeKeyMaterial(BODY), 'a body cut short');
  // An Ed25519 PKCS#8 key is exactly 48 bytes: 0x30 0x2e and 46 more.
  assert.ok(looksLikeKeyMaterial('MC4CAQAwBQYDK2VwBCIEIHusuMmeJnZ/zkPJKSz4XMLa3uY79kGWZgXbHhPMCyWx'));
  assert.ok(!looksLikeKeyMaterial('MC4CAQAwBQYDK2VwBCIEIHusuMmeJnZ/zkPJKSz4XMLa3uY79kGWZgXbHhPMCyWxAAAA'), 'trailing data after the element');
  // Layout inside a long string: indented lines and the indented `]]`.
  assert.ok(looksLikeKeyMaterial(`\n\t\t${BODY.slice(0, 40)}\n\t\t${BODY.slice(40)}\n\t\t`));
  assert.ok(looksLikeKeyMaterial('MC4CAQAwBQYDK2VwBCIEIHusuMmeJnZ/zkPJKSz4XMLa3uY79kGWZgXbHhPMCyWx '), 'a trailing space');
  // A paste that lost its BEGIN line, a damaged header, a body whose line breaks became spaces.
  assert.ok(looksLikeKeyMaterial(`${BODY}\n-----END PRIVATE KEY-----\n`), 'the END line alone');
  assert.ok(looksLikeKeyMaterial('----BEGIN PRIVATE KEY-----\nMIIE'), 'four dashes');
  assert.ok(looksLikeKeyMaterial(`${BODY.slice(0, 64)} ${BODY.slice(0, 64)} ${BODY.slice(0, 20)}`), 'lines joined by spaces');
  assert.ok(!looksLikeKeyMaterial(`MIIC ${BODY.slice(4, 64)}`), 'a short word, then a space: a path');
  for (const p of ['MEGA Sync/Backups/Prosody Configuration/Certificates/Live/ExampleOrgAndMore', 'certs/LetsEncryptAuthorityX3CrossSignedByIdenTrustDSTRootCAX3Certificate2021', 'MyCertificates/ProsodyServerCertificateFullChainWithIntermediates2024', '/etc/prosody/certs/example.com.crt']) assert.ok(!looksLikeKeyMaterial(p), p);
});

test('which names hold secrets', () => {
  // Broad on purpose (misspellings too): hiding a harmless value costs little.
  for (const n of ['password', 'component_secret', 'ldap_password', 'turncredentials_secret', 'auth_token', 'PASSWORD', 'oauth2_client_secret', 'pass', 'pasword', 'passwrod', 'adminpassword', 'db_pwd', 'ldap_pw', 'recaptcha_private_key', 'oauth2_registration_key', 'passphrase', 'keypass', 'psk', 'push_appserver_fcm_key', 'component_ecret', 'assword', 'ldap_assword', 'assphrase', 'secrt', 'passwrd']) assert.ok(isSecretName(n), n);
  for (const n of ['key', 'certificate', 's2s_secure_auth', 'dhparam', 'allow_unencrypted_plain_auth', 'cafile', 'protocol', 'ciphers', 'options', 'verify', 'turncredentials_host', 'oauth2_access_token_ttl', 'vapid_public_key', 5281]) assert.ok(!isSecretName(n), String(n));
});

// A reviewer's leak: rules that quote a wrong value back (a protocol, a flag, a curve, a profile) printed a private
// key pasted there, whole, into every output (editor, CLI text/JSON/SARIF). Whatever the rule, nothing of it shows.
test('a key pasted where a name belongs is never quoted back, and no message grows with the value', () => {
  const LINE2 = 'QWxhZGRpbjpvcGVuIHNlc2FtZQQWxhZGRpbjpvcGVuIHNlc2FtZQQWxhZGRpbjpvcGVu';
  const pem = `-----BEGIN PRIVATE KEY-----\n${BODY}\n${LINE2}\n-----END PRIVATE KEY-----`;
  const texts = [
    `VirtualHost "x"\n  ssl = { protocol = [[${pem}]] }\n`,
    `ssl = { options = { [[${pem}]] }; verify = [[${pem}]] }\n`,
    `ssl = { curve = "${BODY} ${LINE2}" }\n`,
    `ssl = { curveslist = [[${pem}]]; ciphersuites = [[${pem}]] }\n`,
    `ssl = { ciphers = [[${pem}]] }\n`,
    `ssl = { ciphers = "${BODY} ${LINE2}" }\n`,
    `tls_profile = [[${pem}]]\n`,
    `ssl = { depth = [[${pem}]]; alpn = "${BODY}" }\n`,
    `tls_server_end_point_hash = [[${pem}]]\n`,
    `ssl = { protocol = "${'x'.repeat(1 << 20)}" }\n`,
  ];
  texts.forEach((text, i) => {
    const doc = TextDocument.create(`file:///quoted/${i}.cfg.lua`, 'prosody', 1, text);
    let reported = 0;
    for (const line of ['0.12', '13.0'] as ProsodyLine[]) {
      const diagnostics = service.doValidation(doc, { prosodyVersion: line, checkFiles: 'off' });
      reported += diagnostics.length;
      const all = JSON.stringify([diagnostics, service.doCodeActions(doc, diagnostics)]);
      for (const part of [BODY.slice(8, 28), LINE2.slice(8, 28), BODY.slice(-16), LINE2.slice(-16)]) assert.ok(!all.includes(part), `case ${i} (${line}) shows ${part}`);
      for (const d of diagnostics) assert.ok(String(d.message).length <= 2000, `case ${i}: a message of ${String(d.message).length} characters`);
    }
    assert.ok(reported > 0, `case ${i} is reported`);
  });
});

test('a key pasted into a ciphers list beside real words is reported once, unquoted; typos beside it still are', () => {
  const pem = `-----BEGIN PRIVATE KEY-----\n${BODY}\n-----END PRIVATE KEY-----`;
  const doc = TextDocument.create('file:///quoted/cipher-list.cfg.lua', 'prosody', 1, `ssl = { ciphers = { "HIGH", [[${pem}]], "HIHG" } }\n`);
  const d = service.doValidation(doc, { prosodyVersion: '0.12', checkFiles: 'off' }).filter((x) => x.code === 'cipher-unknown-word');
  const key = d.filter((x) => /key material/.test(String(x.message)));
  assert.equal(key.length, 1);
  assert.ok(doc.getText(key[0]!.range).startsWith('[[-----BEGIN'));
  assert.ok(d.some((x) => /"HIHG"/.test(String(x.message))), 'the typo beside it');
  assert.ok(!JSON.stringify(d).includes(BODY.slice(8, 28)));
  assert.ok(!d.some((x) => /PRIVATE|BEGIN/.test(String(x.message))), 'no piece of the key quoted as a word');
});

test('hovers never quote a key pasted into tls_profile or ciphers (a reviewer: the "No effective settings" line did)', () => {
  const pem = `-----BEGIN PRIVATE KEY-----\n${BODY}\nQWxhZGRpbjpvcGVuIHNlc2FtZQQWxhZGRpbjpvcGVuIHNlc2FtZQQWxhZGRpbjpvcGVu\n-----END PRIVATE KEY-----`;
  const text = `ssl = { protocol = "tlsv1_2+"; ciphers = [[${pem}]] }\ntls_profile = [[${pem}]]\n`;
  const doc = TextDocument.create('file:///quoted/hover.cfg.lua', 'prosody', 1, text);
  for (const line of ['0.12', '13.0'] as ProsodyLine[]) {
    const seen: unknown[] = [];
    for (let offset = 0; offset <= text.length; offset++) seen.push(service.doHover(doc, doc.positionAt(offset), { prosodyVersion: line, checkFiles: 'off' }));
    const all = JSON.stringify(seen);
    assert.ok(all.includes(line === '0.12' ? 'Prosody 0.12.5 and later create no TLS context' : 'No effective settings'), 'the unknown profile is described');
    for (const part of [BODY.slice(8, 28), 'QWxhZGRpbjpvcGVu']) assert.ok(!all.includes(part), `${line}: ${part} shown`);
  }
});

// A reviewer over stdio: an EC key body pasted as a flag showed whole in the effective-settings table (the merged
// list of defaults and the user's flags was rendered raw), and as a section name or Include in the outline, the
// Include hover and the document links.
test('a key body pasted as a flag, a section name or an Include is never shown by hover, outline or links', async () => {
  const ec = Buffer.concat([Buffer.from([0x30, 0x77, 0x02, 0x01, 0x01, 0x04, 0x20]), Buffer.alloc(32, 0xce), Buffer.alloc(80, 0x5a)]).toString('base64');
  assert.ok(looksLikeKeyMaterial(ec));
  // …and (a second reviewer) as the host name an `ssl` hover heads its table with, and as a table key.
  const text = `ssl = { options = { "${ec}" } }\ns2s_ssl = { verifyext = { "${ec}" } }\nInclude "${ec}"\nVirtualHost "${ec}"\n  ssl = { ["${ec}"] = true, protocol = "tlsv1_2+" }\nComponent "conference.a.example" "${ec}"\nComponent "${ec}" "muc"\n  ssl = { protocol = "tlsv1_2+" }\n`;
  const doc = TextDocument.create('file:///quoted/flags.cfg.lua', 'prosody', 1, text);
  for (const line of ['0.10', '0.12', '13.0'] as ProsodyLine[]) {
    const settings = { prosodyVersion: line, checkFiles: 'off' as const };
    const seen: unknown[] = [service.doDocumentSymbols(doc), await service.doDocumentLinks(doc), service.doValidation(doc, settings)];
    for (let offset = 0; offset <= text.length; offset++) seen.push(service.doHover(doc, doc.positionAt(offset), settings));
    const all = JSON.stringify(seen);
    assert.ok(all.includes('Effective c2s settings'), 'the table was rendered');
    for (const part of [ec.slice(0, 24), ec.slice(40, 64), ec.slice(-24)]) assert.ok(!all.includes(part), `${line}: ${part} shown`);
  }
});

test('safeText: labels stay, bodies go, our own prose is untouched', () => {
  const prose = '`tlsv1_2` pins TLS 1.2: write `"tlsv1_2+"` (HIGH+kEECDH:HIGH+kEDH:HIGH:!PSK:!SRP:!3DES:!aNULL).';
  assert.equal(safeText(prose), prose);
  // A certificate hash is hex, not key material.
  const hash = `\`${'ab12'.repeat(16)}\` is not a hash name.`;
  assert.equal(safeText(hash), hash);
  const shown = safeText(`\`-----BEGIN EC PRIVATE KEY-----\n${BODY}\n-----END EC PRIVATE KEY-----\` is not a curve`);
  assert.match(shown, /BEGIN EC PRIVATE KEY/);
  assert.ok(!shown.includes(BODY.slice(4, 24)));
  assert.ok(!safeText(`${BODY} ${BODY.slice(10)}`).includes(BODY.slice(12, 30)), 'space-joined lines, no armour');
  assert.equal(safeText('y'.repeat(500)).length, 200);
});
