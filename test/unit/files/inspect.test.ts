import { describe, it, before } from 'node:test';
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  certCoversHost,
  inspectCertificate,
  inspectDhParams,
  inspectKey,
  keyMatchesCert,
  matchCertName,
  CertificateInfo,
  splitSubjectAltName,
} from '../../../server/src/service/files';
import { execFileSync } from 'node:child_process';
import { keyLines, Material, material } from './material';

function asn1Integers(file: string): string[] {
  const out = execFileSync('openssl', ['asn1parse', '-in', m.file(file)], { encoding: 'utf8' });
  return [...out.matchAll(/prim: INTEGER\s+:([0-9A-F]+)/g)].map((x) => x[1]);
}
function hexBits(hex: string): number {
  return hex.replace(/^0+/, '').length === 0 ? 0 : BigInt('0x' + hex).toString(2).length;
}

let m: Material;
const results: unknown[] = [];
/** Records every result so the last test can check none of them carries key material. */
function keep<T>(r: T): T {
  results.push(r);
  return r;
}
function cert2(text: string): CertificateInfo {
  const r = keep(inspectCertificate(text));
  assert.ok(r.ok, r.ok ? '' : r.error);
  return r;
}
function cert(name: string, now?: Date): CertificateInfo {
  const r = keep(inspectCertificate(m.read(name), now));
  assert.ok(r.ok, r.ok ? '' : r.error);
  return r;
}

before(() => {
  m = material();
});

describe('inspectCertificate', () => {
  it('reads an RSA 2048 certificate with SANs', () => {
    const c = cert('rsa.crt');
    assert.equal(c.subjectCN, 'example.com');
    assert.deepEqual(c.dnsNames, ['example.com', 'conference.example.com']);
    assert.equal(c.keyType, 'rsa');
    assert.equal(c.keyBits, 2048);
    assert.equal(c.expired, false);
    assert.equal(c.selfSigned, true);
    assert.equal(c.chainLength, 1);
    assert.match(c.fingerprint256, /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    assert.ok(c.daysLeft >= 88 && c.daysLeft <= 90, String(c.daysLeft));
    assert.equal(new Date(c.validTo).getTime() - new Date(c.validFrom).getTime(), 90 * 86400000);
  });

  it('reports a certificate whose validity ended in 2020 as expired', () => {
    const c = cert('expired.crt');
    assert.equal(c.validFrom, '2020-01-01T00:00:00.000Z');
    assert.equal(c.validTo, '2020-02-01T00:00:00.000Z');
    assert.equal(c.expired, true);
    assert.ok(c.daysLeft < -365);
  });

  it('uses the injected clock: a 1-day certificate is expired 2 days later and not yet valid a day before', () => {
    const now = new Date();
    assert.equal(cert('short.crt', now).expired, false);
    const later = cert('short.crt', new Date(now.getTime() + 2 * 86400000));
    assert.equal(later.expired, true);
    assert.ok(later.daysLeft < 0);
    assert.equal(cert('short.crt', new Date(now.getTime() - 86400000)).notYetValid, true);
  });

  it('gives key type and size for 1024-bit RSA, P-256 and Ed25519', () => {
    assert.equal(cert('rsa1024.crt').keyBits, 1024);
    const ec = cert('ec.crt');
    assert.equal(ec.keyType, 'ec');
    assert.equal(ec.curve, 'prime256v1');
    assert.equal(ec.keyBits, 256);
    assert.equal(cert('ed.crt').keyType, 'ed25519');
  });

  it('counts a chain and checks its order', () => {
    const c = cert('fullchain.pem');
    assert.equal(c.chainLength, 2);
    assert.equal(c.subjectCN, 'chain.example');
    assert.equal(c.chain[1].subjectCN, 'Test Root CA');
    assert.equal(c.chain[1].isCA, true);
    assert.equal(c.selfSigned, false);
    assert.equal(c.chainOrderOk, true);
    const bad = cert('badchain.pem');
    assert.equal(bad.chainLength, 2);
    assert.equal(bad.subjectCN, 'Test Root CA');
    assert.equal(bad.chainOrderOk, false);
  });

  it('reads PEM armour with blanks after the dashes, and a TRUSTED CERTIFICATE (openssl x509 -trustout), as OpenSSL does', () => {
    const trailing = m.read('rsa.crt').toString().replace(/-----\n/g, '-----  \t\n');
    assert.equal(cert2(trailing).subjectCN, 'example.com');
    const trusted = execFileSync('openssl', ['x509', '-in', m.file('rsa.crt'), '-trustout', '-addtrust', 'serverAuth'], { encoding: 'utf8' });
    assert.match(trusted, /BEGIN TRUSTED CERTIFICATE/);
    assert.equal(cert2(trusted).subjectCN, 'example.com');
    const key = inspectKey(m.read('rsa.key').toString().replace(/-----\n/g, '----- \n'));
    assert.ok(key.ok, key.ok ? '' : key.error);
  });

  it('reads XMPP SANs and notes a combined certificate+key file', () => {
    const x = cert('xmpp.crt');
    assert.deepEqual(x.xmppAddrs, ['xmpp.example']);
    assert.deepEqual(x.srvNames, ['_xmpp-client.chat.xmpp.example']);
    assert.equal(cert('combined.pem').containsPrivateKey, true);
    assert.equal(cert('rsa.crt').containsPrivateKey, false);
  });

  it('fails cleanly on a key file, DH params, garbage and a corrupted certificate', () => {
    const k = keep(inspectCertificate(m.read('rsa.key')));
    assert.equal(k.ok, false);
    assert.match(k.ok ? '' : k.error, /no certificate found.*a private key/);
    assert.equal(keep(inspectCertificate(m.read('dh1024.pem'))).ok, false);
    assert.equal(keep(inspectCertificate('hello')).ok, false);
    const pem = m.read('rsa.crt').toString().replace(/^(.{20})./m, '$1!');
    const broken = inspectCertificate(pem.replace(/\n[A-Za-z0-9+/]{64}\n/, '\nAAAA\n'));
    assert.equal(broken.ok, false);
  });

  it('never throws on arbitrary input', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.uint8Array({ maxLength: 300 }).map((a) => a as Uint8Array)), (input) => {
        const wrapped = typeof input === 'string' ? `-----BEGIN CERTIFICATE-----\n${input}\n-----END CERTIFICATE-----\n` : input;
        for (const r of [inspectCertificate(input), inspectCertificate(wrapped), inspectKey(input), inspectDhParams(input), inspectDhParams(wrapped)]) {
          assert.equal(typeof r.ok, 'boolean');
        }
        assert.ok(['match', 'mismatch', 'needs-password', 'error'].includes(keyMatchesCert(input, wrapped).kind));
      }),
      { numRuns: 300 },
    );
  });
});

describe('splitSubjectAltName', () => {
  it('splits Node’s format, including quoted values and othernames', () => {
    assert.deepEqual(splitSubjectAltName('DNS:a.example, DNS:"b, c", IP Address:1.2.3.4, othername:XmppAddr:x@y'), [
      ['DNS', 'a.example'],
      ['DNS', 'b, c'],
      ['IP Address', '1.2.3.4'],
      ['othername:XmppAddr', 'x@y'],
    ]);
  });
});

describe('certCoversHost', () => {
  it('matches SAN names, case-insensitively and ignoring a trailing dot', () => {
    const c = cert('rsa.crt');
    assert.equal(certCoversHost(c, 'example.com'), true);
    assert.equal(certCoversHost(c, 'Conference.Example.COM.'), true);
    assert.equal(certCoversHost(c, 'upload.example.com'), false);
    assert.equal(certCoversHost(cert('wronghost.crt'), 'example.com'), false);
  });

  it('applies wildcards to exactly one left-most label', () => {
    const w = cert('wildcard.crt');
    assert.equal(matchCertName(w, 'chat.example.net'), '*.example.net');
    assert.equal(certCoversHost(w, 'example.net'), false);
    assert.equal(certCoversHost(w, 'a.b.example.net'), false);
  });

  it('falls back to the CN only without DNS SANs', () => {
    const c = cert('cnonly.crt');
    assert.deepEqual(c.dnsNames, []);
    assert.equal(certCoversHost(c, 'cnonly.example'), true);
    assert.equal(certCoversHost({ dnsNames: ['a.example'], subjectCN: 'b.example' }, 'b.example'), false);
  });

  it('takes an xmppAddr naming the bare domain and an _xmpp-client/_xmpp-server SRVName, as Prosody does', () => {
    assert.equal(matchCertName(cert('xmpponly.crt'), 'xmpp-only.example'), 'xmpp-only.example');
    assert.equal(certCoversHost(cert('xmpponly.crt'), 'nothing'), false, 'the CN is not read beside XMPP names');
    assert.equal(matchCertName(cert('srvonly.crt'), 'srv-only.example'), '_xmpp-server.srv-only.example');
    assert.equal(matchCertName(cert('xmpp.crt'), 'chat.xmpp.example'), '_xmpp-client.chat.xmpp.example');
    // Per service, as verify_identity: an SRVName for its own service only; HTTPS reads neither kind.
    assert.equal(matchCertName(cert('srvonly.crt'), 'srv-only.example', 'xmpp-server'), '_xmpp-server.srv-only.example');
    assert.equal(matchCertName(cert('srvonly.crt'), 'srv-only.example', 'xmpp-client'), undefined);
    assert.equal(matchCertName(cert('xmpponly.crt'), 'xmpp-only.example', 'xmpp-client'), 'xmpp-only.example');
    assert.equal(matchCertName(cert('xmpponly.crt'), 'xmpp-only.example', 'https'), undefined);
    assert.equal(matchCertName(cert('rsa.crt'), 'example.com', 'https'), 'example.com');
    assert.equal(certCoversHost({ dnsNames: [], xmppAddrs: ['user@a.example'], srvNames: ['_imap.a.example'] }, 'a.example'), false);
  });

  it('rejects partial-label and too-broad wildcards', () => {
    assert.equal(certCoversHost({ dnsNames: ['f*.example.com'] }, 'foo.example.com'), false);
    assert.equal(certCoversHost({ dnsNames: ['*.com'] }, 'example.com'), false);
    assert.equal(certCoversHost({ dnsNames: ['*.example.com'] }, '.example.com'), false);
  });
});

describe('inspectKey', () => {
  it('describes unencrypted RSA (PKCS#8 and PKCS#1), EC and Ed25519 keys', () => {
    const r = keep(inspectKey(m.read('rsa.key')));
    assert.ok(r.ok);
    assert.deepEqual([r.format, r.keyType, r.keyBits, r.encrypted], ['pkcs8', 'rsa', 2048, false]);
    const p1 = keep(inspectKey(m.read('rsa-pkcs1.key')));
    assert.ok(p1.ok);
    assert.deepEqual([p1.format, p1.keyType, p1.keyBits], ['pkcs1-rsa', 'rsa', 2048]);
    const ec = keep(inspectKey(m.read('ec.key')));
    assert.ok(ec.ok);
    assert.deepEqual([ec.keyType, ec.curve], ['ec', 'prime256v1']);
    const ed = keep(inspectKey(m.read('ed.key')));
    assert.ok(ed.ok);
    assert.equal(ed.keyType, 'ed25519');
    const small = keep(inspectKey(m.read('rsa1024.key')));
    assert.ok(small.ok);
    assert.equal(small.keyBits, 1024);
  });

  it('detects encryption without a password and decrypts only when given one', () => {
    const e = keep(inspectKey(m.read('enc.key')));
    assert.ok(e.ok);
    assert.equal(e.encrypted, true);
    assert.equal(e.format, 'pkcs8-encrypted');
    assert.equal(e.keyType, undefined); // unknown without decrypting
    assert.equal(e.passwordAccepted, undefined);
    const right = keep(inspectKey(m.read('enc.key'), 'secret'));
    assert.ok(right.ok);
    assert.deepEqual([right.passwordAccepted, right.keyType, right.keyBits], [true, 'rsa', 2048]);
    const wrong = keep(inspectKey(m.read('enc.key'), 'nope'));
    assert.ok(wrong.ok);
    assert.equal(wrong.passwordAccepted, false);
  });

  it('detects legacy Proc-Type encryption and names the key type from the label', () => {
    const e = keep(inspectKey(m.read('enc-legacy.key')));
    assert.ok(e.ok);
    assert.deepEqual([e.encrypted, e.format, e.keyType], [true, 'pkcs1-rsa', 'rsa']);
  });

  it('reports a certificate passed as a key, and finds the key in a combined file', () => {
    const c = keep(inspectKey(m.read('rsa.crt')));
    assert.equal(c.ok, false);
    assert.match(c.ok ? '' : c.error, /no private key found.*a certificate/);
    const both = keep(inspectKey(m.read('combined.pem')));
    assert.ok(both.ok);
    assert.equal(both.containsCertificate, true);
  });
});

describe('keyMatchesCert', () => {
  it('tells matching from mismatched keys', () => {
    assert.equal(keep(keyMatchesCert(m.read('rsa.key'), m.read('rsa.crt'))).kind, 'match');
    assert.equal(keep(keyMatchesCert(m.read('other.key'), m.read('rsa.crt'))).kind, 'mismatch');
    assert.equal(keep(keyMatchesCert(m.read('ec.key'), m.read('rsa.crt'))).kind, 'mismatch');
    assert.equal(keep(keyMatchesCert(m.read('ec.key'), m.read('ec.crt'))).kind, 'match');
    assert.equal(keep(keyMatchesCert(m.read('leaf.key'), m.read('fullchain.pem'))).kind, 'match');
    assert.equal(keep(keyMatchesCert(m.read('combined.pem'), m.read('combined.pem'))).kind, 'match');
  });

  it('needs the password for an encrypted key, and compares once given', () => {
    // enc.key is an unrelated key; enc-legacy.key is rsa.key encrypted.
    assert.deepEqual(keep(keyMatchesCert(m.read('enc-legacy.key'), m.read('rsa.crt'))), { kind: 'needs-password', passwordGiven: false });
    assert.deepEqual(keep(keyMatchesCert(m.read('enc-legacy.key'), m.read('rsa.crt'), 'bad')), { kind: 'needs-password', passwordGiven: true });
    assert.equal(keep(keyMatchesCert(m.read('enc-legacy.key'), m.read('rsa.crt'), 'secret')).kind, 'match');
    assert.equal(keep(keyMatchesCert(m.read('enc.key'), m.read('rsa.crt'), 'secret')).kind, 'mismatch');
  });

  it('returns an error for swapped arguments', () => {
    assert.equal(keep(keyMatchesCert(m.read('rsa.crt'), m.read('rsa.key'))).kind, 'error');
  });
});

describe('inspectDhParams', () => {
  it('reads PKCS#3 parameters from PEM and DER', () => {
    for (const f of ['dh1024.pem', 'dh1024.der']) {
      const d = inspectDhParams(m.read(f));
      assert.ok(d.ok, d.ok ? '' : d.error);
      assert.deepEqual([d.format, d.primeBits, d.generator, d.subgroupBits], ['pkcs3', 1024, 2, undefined]);
    }
  });

  it('reads the X9.42 form written by -dsaparam, for 1024 and 2048 bits, agreeing with openssl asn1parse', () => {
    for (const [f, bits] of [['dh1024-dsa.pem', 1024], ['dh2048-dsa.pem', 2048]] as const) {
      const d = inspectDhParams(m.read(f));
      assert.ok(d.ok, d.ok ? '' : d.error);
      assert.equal(d.format, 'x9.42');
      assert.equal(d.primeBits, bits);
      // Independent oracle: OpenSSL's own ASN.1 dump gives p, g, q as hex.
      const ints = asn1Integers(f);
      assert.equal(d.primeBits, hexBits(ints[0]));
      assert.equal(d.generatorBits, hexBits(ints[1]));
      assert.equal(d.subgroupBits, hexBits(ints[2]));
      assert.ok(d.generatorBits > 512); // DSA-style generator, not 2
      assert.equal(d.generator, undefined);
    }
  });

  it('recognises RFC 7919 ffdhe2048, also as literal PEM text from a Prosody 13 config', () => {
    const d = inspectDhParams(m.read('ffdhe2048.pem').toString());
    assert.ok(d.ok);
    assert.deepEqual([d.primeBits, d.namedGroup, d.generator], [2048, 'ffdhe2048', 2]);
    const two = inspectDhParams(m.read('dh2048-dsa.pem'));
    assert.ok(two.ok);
    assert.equal(two.namedGroup, undefined);
  });

  it('rejects truncated, negative and non-DH input with an error', () => {
    const good = m.read('dh1024.der');
    const cut = inspectDhParams(`-----BEGIN DH PARAMETERS-----\n${good.subarray(0, 40).toString('base64')}\n-----END DH PARAMETERS-----\n`);
    assert.equal(cut.ok, false);
    const neg = Buffer.from([0x30, 0x06, 0x02, 0x01, 0x80, 0x02, 0x01, 0x02]);
    const n = inspectDhParams(neg);
    assert.equal(n.ok, false);
    assert.match(n.ok ? '' : n.error, /negative/);
    assert.equal(inspectDhParams(m.read('rsa.crt')).ok, false);
    const huge = inspectDhParams(Buffer.from([0x30, 0x84, 0xff, 0xff, 0xff, 0xff, 0x02]));
    assert.equal(huge.ok, false);
  });
});

describe('private key material', () => {
  it('appears in no result', () => {
    const lines = keyLines(m);
    assert.ok(lines.length > 20);
    assert.ok(results.length > 20);
    for (const r of results) {
      const text = JSON.stringify(r);
      assert.ok(!text.includes('PRIVATE KEY'), text);
      assert.ok(!text.includes('-----BEGIN'), text);
      for (const line of lines) assert.ok(!text.includes(line.slice(0, 32)), 'key bytes leaked');
    }
  });
});
