// unsafe-protocol says what OpenSSL 3 does with TLS 1.0/1.1: it refuses them below security level 0 (a reviewer's
// runs on Debian 12, OpenSSL 3.0: "no suitable signature algorithm"), so the note goes wherever the ciphers in force
// do not say @SECLEVEL=0, and nowhere they do (a system openssl.cnf may lower it too: the note says so).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { createLanguageService, type ProsodyLine } from '../../../server/src/service';

const service = createLanguageService();
let n = 0;
const messages = (text: string, line: ProsodyLine = '0.12'): string[] =>
  service
    .doValidation(TextDocument.create(`file:///openssl3/${++n}/prosody.cfg.lua`, 'prosody', 1, text), { prosodyVersion: line })
    .filter((d) => d.code === 'unsafe-protocol')
    .map((d) => String(d.message));

test('allowed old versions: OpenSSL 3 refuses them unless the ciphers in force say @SECLEVEL=0', () => {
  // (With ciphers that have TLS 1.0 suites: the 0.12+ default preset's are TLS 1.2 suites only.)
  const [allowed] = messages('ssl = { protocol = "tlsv1+", ciphers = "HIGH" }\n');
  assert.match(allowed!, /\(OpenSSL 3\.0 and later refuse TLS 1\.0 and 1\.1 unless OpenSSL's security level is 0 \(`@SECLEVEL=0` in the ciphers in force, or in the system's openssl\.cnf\); older OpenSSL releases negotiate them\.\)$/);
  const [profile] = messages('tls_profile = "old"\n');
  assert.match(profile!, /older OpenSSL releases negotiate them\.\)$/);
  const [pinned] = messages('ssl = { protocol = "tlsv1", ciphers = "HIGH" }\n', '13.0');
  assert.match(pinned!, /\(With OpenSSL 3\.0 and later no handshake completes at all unless OpenSSL's security level is 0 \(`@SECLEVEL=0` in the ciphers in force, or in the system's openssl\.cnf\)\.\)$/);
});

test('no note where the ciphers in force lower the level, its own or layered, nor for SSL 3.0', () => {
  for (const text of ['ssl = { protocol = "tlsv1+", ciphers = "DEFAULT:@SECLEVEL=0" }\n', 'ssl = { ciphers = "HIGH:@SECLEVEL=0" }\nVirtualHost "a.example"\n  ssl = { protocol = "tlsv1_1+" }\n']) {
    const found = messages(text);
    assert.equal(found.length, 1, text);
    assert.doesNotMatch(found[0]!, /OpenSSL 3/, text);
  }
  assert.doesNotMatch(messages('ssl = { protocol = "sslv3" }\n', '0.10')[0]!, /OpenSSL 3/);
  // Nor on the preset's finding or a `false` entry that switches a version back on (a reviewer: the note suggested a
  // refusal that a level-0 server does not make).
  const profile = messages('tls_profile = "old"\nssl = { ciphers = "DEFAULT:@SECLEVEL=0" }\n');
  assert.equal(profile.length, 1);
  assert.doesNotMatch(profile[0]!, /OpenSSL 3/);
  const back = messages('ssl = { protocol = "tlsv1+", ciphers = "DEFAULT:@SECLEVEL=0", options = { "no_tlsv1", "no_tlsv1_1" } }\nVirtualHost "a.example"\n  ssl = { options = { no_tlsv1 = false } }\n');
  assert.equal(back.length, 1, back.join(' | '));
  assert.match(back[0]!, /back on/);
  assert.doesNotMatch(back[0]!, /OpenSSL 3/);
});
