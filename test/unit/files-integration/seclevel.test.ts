// What the ciphers in force ask of the certificate's key and the DH parameters: key-below-seclevel (a `@SECLEVEL`
// asking more bits of security than the key gives: Prosody starts, every handshake fails, "ee key too small" on a
// reviewer's 0.12.3 and 13.0.1 with an RSA-2048 host at @SECLEVEL=3), dhparam-weak at a level, and
// ciphers-need-other-key. Real keys: tls/good.crt is RSA 2048, ec.crt an EC P-256 key.
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { material } from '../files/material';
import { checkFiles, editedChecks, onlyOne } from './fixture';

const RULE = 'key-below-seclevel';
const RSA = 'certificate = "tls/good.crt", key = "tls/good.key"';

async function found(text: string): Promise<Array<{ text: string; message: string }>> {
  return (await checkFiles(text)).filter((s) => s.code === RULE);
}

test('an RSA-2048 certificate under @SECLEVEL=3 is reported at its path, saying what it gives and what to use', async () => {
  const f = onlyOne(await checkFiles(`ssl = { ${RSA}, ciphers = "ECDHE+AESGCM:@SECLEVEL=3" }\n`), RULE);
  assert.equal(f.text, '"tls/good.crt"');
  assert.match(f.message, /^The ciphers in force here set `@SECLEVEL=3`, at which OpenSSL asks 128 bits of security of the server's key; this certificate's RSA key of 2048 bits gives 112\. Prosody starts, but every handshake with it fails \("ee key too small"/);
  assert.match(f.message, /an RSA key of 3072 bits or an EC key \(P-256\), or a lower level\.$/);
  // Only the clients' connections at that level: the server-to-server ones keep working (a reviewer's 0.12.3).
  const c2s = onlyOne(await checkFiles(`ssl = { ${RSA} }\nc2s_ssl = { ciphers = "HIGH:!aNULL:@SECLEVEL=3" }\n`), RULE);
  assert.match(c2s.message, /every client handshake with it fails \(the other connections keep a lower level\)/);
  // The level may come from the global table while the certificate is the host's.
  const host = onlyOne(await checkFiles(`ssl = { ciphers = "HIGH:@SECLEVEL=3" }\nVirtualHost "example.com"\n  ssl = { ${RSA} }\n`), RULE);
  assert.equal(host.text, '"tls/good.crt"');
});

test('a host that raises the level over a certificate it takes from above is reported on that certificate, naming the host', async () => {
  // A reviewer's 0.12.3: a global RSA-2048 certificate, a host's own c2s_ssl at @SECLEVEL=3: alert 80 for its clients, s2s fine.
  const f = onlyOne(await checkFiles(`ssl = { ${RSA} }\nVirtualHost "example.com"\n  c2s_ssl = { ciphers = "HIGH:!aNULL:@SECLEVEL=3" }\n`), RULE);
  assert.equal(f.text, '"tls/good.crt"');
  assert.match(f.message, /^"example\.com" takes this certificate, and the ciphers in force for it set `@SECLEVEL=3` in its own tables, .*RSA key of 2048 bits gives 112\. Prosody starts, but every client handshake with "example\.com" fails \(the other connections keep a lower level\) \("ee key too small"/);
  assert.deepEqual(f.d.relatedInformation?.map((r) => r.message), ['example.com sets @SECLEVEL=3']);
  // Both kinds of connection through the host's own `ssl`; a subdomain taking its parent's certificate.
  const all = onlyOne(await checkFiles(`ssl = { ${RSA} }\nVirtualHost "example.com"\n  ssl = { ciphers = "HIGH:@SECLEVEL=3" }\n`), RULE);
  assert.match(all.message, /every handshake with "example\.com" fails \("ee key/);
  // A host whose clients get its own EC pair: only its server-to-server handshakes fail (review 142, real 0.12.3).
  const ecPair = `certificate = ${JSON.stringify(material().file('ec.crt'))}, key = ${JSON.stringify(material().file('ec.key'))}`;
  const s2sOnly = onlyOne(await checkFiles(`ssl = { ${RSA} }\nVirtualHost "example.com"\n  ssl = { ciphers = "HIGH:@SECLEVEL=3" }\n  c2s_ssl = { ${ecPair} }\n`), RULE);
  assert.match(s2sOnly.message, /Prosody starts, but every server-to-server handshake with "example\.com" fails \("ee key too small"/);
  const child = onlyOne(await checkFiles(`VirtualHost "example.com"\n  ssl = { ${RSA} }\nVirtualHost "sub.example.com"\n  c2s_ssl = { ciphers = "HIGH:@SECLEVEL=3" }\n`), RULE);
  assert.match(child.message, /^"sub\.example\.com" takes this certificate/);
  // A host at a level the key meets, or one with its own certificate, stays quiet.
  assert.deepEqual(await found(`ssl = { ${RSA} }\nVirtualHost "example.com"\n  c2s_ssl = { ciphers = "HIGH:@SECLEVEL=2" }\n`), []);
  const ec = JSON.stringify(material().file('ec.crt'));
  const eckey = JSON.stringify(material().file('ec.key'));
  assert.deepEqual(await found(`ssl = { ${RSA} }\nVirtualHost "example.com"\n  c2s_ssl = { certificate = ${ec}, key = ${eckey}, ciphers = "HIGH:@SECLEVEL=3" }\n`), []);
});

test('LuaSec\'s certificates list in force (0.10+) may serve what one certificate\'s key cannot: no key-kind finding there', async () => {
  // A reviewer's 0.12.3 and 13.0.1: an RSA certificate with an ECDSA pair in the list negotiated ECDHE-ECDSA suites, at
  // @SECLEVEL=3 too.
  const ec = JSON.stringify(material().file('ec.crt'));
  const eckey = JSON.stringify(material().file('ec.key'));
  const list = `certificates = { { certificate = ${ec}; key = ${eckey} } }`;
  // (Review 142: a real 0.11.9 on LuaSec 1.0 and 1.2 served the list too.)
  for (const line of ['0.11', '0.12', '13.0'] as const) {
    const codes = async (ciphers: string): Promise<string[]> => (await checkFiles(`ssl = { ${RSA}, ${list}, ciphers = "${ciphers}" }\n`, { settings: { prosodyVersion: line } })).map((x) => x.code).filter((c) => c === RULE || c === 'ciphers-need-other-key');
    assert.deepEqual(await codes('ECDHE-ECDSA-AES128-GCM-SHA256'), [], line);
    assert.deepEqual(await codes('ECDHE+AESGCM:@SECLEVEL=3'), [], line);
  }
  // Without the list the RSA certificate alone decides; beside a list, the single pair's own files are not judged at
  // all (an expired one was never served: review 142).
  assert.equal((await checkFiles(`ssl = { ${RSA}, ciphers = "ECDHE-ECDSA-AES128-GCM-SHA256" }\n`)).filter((x) => x.code === 'ciphers-need-other-key').length, 1);
  const expired = `certificate = ${JSON.stringify(material().file('expired.crt'))}, key = ${JSON.stringify(material().file('rsa.key'))}`;
  assert.deepEqual((await checkFiles(`ssl = { ${expired}, ${list} }\n`)).filter((x) => x.code === 'cert-expired' || x.code === 'key-cert-mismatch').map((x) => x.code), []);
  assert.deepEqual((await checkFiles(`ssl = { ${expired} }\n`)).filter((x) => x.code === 'cert-expired' || x.code === 'key-cert-mismatch').map((x) => x.code).sort(), ['cert-expired', 'key-cert-mismatch']);
});

test('the CA certificates a chain file sends are held to the level too ("ca key too small")', async () => {
  // Review 141, real 0.12.3 and 13.0.1: an EC or RSA-4096 leaf under an RSA-2048 intermediate at @SECLEVEL=3, alert 80.
  const m = material();
  const ecChain = `certificate = ${JSON.stringify(m.file('ecfullchain.pem'))}, key = ${JSON.stringify(m.file('ecleaf.key'))}`;
  const f = onlyOne(await checkFiles(`ssl = { ${ecChain}, ciphers = "ECDHE+AESGCM:@SECLEVEL=3" }\n`), RULE);
  assert.match(f.message, /asks 128 bits of security of every certificate the server sends\. This certificate's own key meets it, but Prosody starts and every handshake with it fails \("ca key too small"/);
  assert.match(f.message, /"Test Root CA", whose RSA key of 2048 bits gives 112, is below that level too/);
  assert.deepEqual(await found(`ssl = { ${ecChain}, ciphers = "ECDHE+AESGCM:@SECLEVEL=2" }\n`), []);
  // A host raising the level over that chain from the global `ssl` (review 142, real 0.12.3 and 13.0.1: alert 80 on c2s).
  const raised = onlyOne(await checkFiles(`ssl = { ${ecChain} }\nVirtualHost "ecchain.example"\n  c2s_ssl = { ciphers = "ECDHE+AESGCM:@SECLEVEL=3" }\n`), RULE);
  assert.match(raised.message, /^"ecchain\.example" takes this certificate, .* every certificate the server sends\. This certificate's own key meets it, .*"ca key too small".*"Test Root CA", whose RSA key of 2048 bits gives 112/);
  // A weak leaf under a weak CA: the advice says a stronger key alone does not help.
  const both = onlyOne(await checkFiles(`ssl = { certificate = ${JSON.stringify(m.file('fullchain.pem'))}, key = ${JSON.stringify(m.file('leaf.key'))}, ciphers = "HIGH:@SECLEVEL=3" }\n`), RULE);
  assert.match(both.message, /RSA key of 2048 bits gives 112.*a stronger server key alone does not help/);
});

test('an EC P-256 key passes level 3 and not level 4; levels the key meets, and none set, stay quiet', async () => {
  const ec = material().file('ec.crt');
  const eckey = material().file('ec.key');
  assert.deepEqual(await found(`ssl = { certificate = ${JSON.stringify(ec)}, key = ${JSON.stringify(eckey)}, ciphers = "HIGH:@SECLEVEL=3" }\n`), []);
  const four = await found(`ssl = { certificate = ${JSON.stringify(ec)}, key = ${JSON.stringify(eckey)}, ciphers = "ECDHE+AESGCM:@SECLEVEL=4" }\n`);
  assert.equal(four.length, 1);
  assert.match(four[0]!.message, /EC key of 256 bits gives 128.*"no shared cipher" in Prosody's log.*an EC key on P-384 or stronger/);
  for (const ciphers of ['"HIGH:@SECLEVEL=2"', '"HIGH"', '{ "HIGH", "@SECLEVEL=1" }']) {
    assert.deepEqual(await found(`ssl = { ${RSA}, ciphers = ${ciphers} }\n`), [], ciphers);
  }
  // A host writing a lower level over the global one: its own certificate is judged by its own ciphers.
  assert.deepEqual(await found(`ssl = { ciphers = "HIGH:@SECLEVEL=3" }\nVirtualHost "example.com"\n  ssl = { ${RSA}, ciphers = "HIGH:@SECLEVEL=2" }\n`), []);
});

test('an edit that raises the level in the ciphers runs the file checks again', async () => {
  const { first, edit } = await editedChecks('seclevel-memo.cfg.lua', `ssl = { ${RSA}, ciphers = "HIGH" }\n`, RULE);
  assert.deepEqual(first, []);
  assert.equal((await edit('"HIGH"', '"HIGH:@SECLEVEL=3"')).length, 1);
});

// A reviewer's 0.12.3: DHE suites at @SECLEVEL=3 with 2048-bit parameters, "dh key too small" on every TLS 1.2 handshake.
test('DH parameters under the bits the @SECLEVEL asks are dhparam-weak', async () => {
  const dh = material().file('ffdhe2048.pem');
  const f = onlyOne(await checkFiles(`ssl = { ${RSA}, dhparam = ${JSON.stringify(dh)}, ciphers = "DHE-RSA-AES256-GCM-SHA384:@SECLEVEL=3" }\n`), 'dhparam-weak');
  assert.match(f.message, /`@SECLEVEL=3`, at which OpenSSL asks 128 bits of security of DH parameters; 2048 bits give 112, so every DHE handshake fails \("dh key too small"\)/);
  // Only the clients' where only c2s_ssl raises the level (a reviewer's 0.12.3: s2s still took DHE); nothing where no DHE
  // suite can be chosen (ECDHE only, or TLS 1.3 only).
  const c2s = onlyOne(await checkFiles(`ssl = { ${RSA}, dhparam = ${JSON.stringify(dh)} }\nc2s_ssl = { ciphers = "HIGH:!aNULL:@SECLEVEL=3" }\n`), 'dhparam-weak');
  assert.match(c2s.message, /every client DHE handshake fails/);
  for (const extra of ['ciphers = "ECDHE+AESGCM:@SECLEVEL=3"', 'protocol = "tlsv1_3", ciphers = "HIGH:@SECLEVEL=3"']) {
    assert.deepEqual((await checkFiles(`ssl = { ${RSA}, dhparam = ${JSON.stringify(dh)}, ${extra} }\n`)).filter((x) => x.code === 'dhparam-weak'), [], extra);
  }
  assert.deepEqual((await checkFiles(`ssl = { ${RSA}, dhparam = ${JSON.stringify(dh)}, ciphers = "DHE-RSA-AES256-GCM-SHA384" }\n`)).filter((x) => x.code === 'dhparam-weak'), []);
});

// A TLS 1.2 suite names the key it signs with (a reviewer's 0.12.3: an ECDSA-only list beside an RSA certificate, "no
// shared cipher" on TLS 1.2 while TLS 1.3 connected).
test('ciphers whose TLS 1.2 suites all need another kind of key than the certificate\'s', async () => {
  const ec = JSON.stringify(material().file('ec.crt'));
  const eckey = JSON.stringify(material().file('ec.key'));
  const rsa = onlyOne(await checkFiles(`ssl = { ${RSA}, ciphers = "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305" }\n`), 'ciphers-need-other-key');
  assert.equal(rsa.text, '"tls/good.crt"');
  assert.match(rsa.message, /\(such as ECDHE-ECDSA-AES256-GCM-SHA384\) needs a certificate of another kind than this one, whose key is RSA: TLS 1\.2 handshakes find no suite \("no shared cipher"\), and only TLS 1\.3 clients and servers connect/);
  const ecdsa = onlyOne(await checkFiles(`ssl = { certificate = ${ec}, key = ${eckey}, protocol = "tlsv1_2", ciphers = "ECDHE-RSA-AES256-GCM-SHA384" }\n`), 'ciphers-need-other-key');
  assert.doesNotMatch(ecdsa.message, /only TLS 1\.3/);
  const quiet = [
    `ssl = { ${RSA}, ciphers = "ECDHE+AESGCM" }\n`,
    `ssl = { certificate = ${ec}, key = ${eckey}, ciphers = "ECDHE+AESGCM:ECDHE+CHACHA20" }\n`,
    `ssl = { ${RSA}, protocol = "tlsv1_3", ciphers = "ECDHE-ECDSA-AES256-GCM-SHA384" }\n`,
  ];
  for (const text of quiet) assert.deepEqual((await checkFiles(text)).filter((x) => x.code === 'ciphers-need-other-key'), [], text);
});

test('an edit that opens TLS 1.2 runs the file checks again; typing in the protocol otherwise does not', async () => {
  const { first, edit } = await editedChecks('suites-memo.cfg.lua', `ssl = { ${RSA}, protocol = "tlsv1_3", ciphers = "ECDHE-ECDSA-AES256-GCM-SHA384" }\n`, 'ciphers-need-other-key');
  assert.deepEqual(first, []);
  assert.equal((await edit('"tlsv1_3"', '"tlsv1_2+"')).length, 1);
  assert.equal((await edit('"tlsv1_2+"', '"tlsv1_2+x"')).length, 1);
  assert.deepEqual(await edit('"tlsv1_2+x"', '"tlsv1_3+"'), []);
});
