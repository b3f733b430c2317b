import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classify, describeWord, findSuite, legacyInfo, LEGACY_SUITES, SUITES, TLS13_SUITES } from '../../../server/src/service/ciphers';

const suite = (n: string) => { const s = findSuite(n); assert.ok(s, n); return s; };

test('forward secrecy: (EC)DHE and TLS 1.3 yes, static RSA and plain PSK no', () => {
  assert.equal(classify(suite('ECDHE-RSA-AES128-GCM-SHA256')).forwardSecrecy, true);
  assert.equal(classify(suite('DHE-RSA-AES256-SHA')).forwardSecrecy, true);
  assert.equal(classify(suite('TLS_AES_128_GCM_SHA256')).forwardSecrecy, true);
  assert.equal(classify(suite('AES128-SHA')).forwardSecrecy, false);
  assert.equal(classify(suite('AES128-SHA')).staticRsa, true);
  assert.equal(classify(suite('PSK-AES128-CBC-SHA')).forwardSecrecy, false);
  assert.equal(classify(suite('ECDHE-RSA-AES128-GCM-SHA256')).aead, true);
  assert.equal(classify(suite('ECDHE-RSA-AES128-SHA')).aead, false);
});

test('weak reasons on available suites', () => {
  assert.deepEqual(classify(suite('NULL-MD5')).weak, ['NULL', 'MD5']);
  assert.deepEqual(classify(suite('ADH-AES128-SHA')).weak, ['anonymous']);
  assert.deepEqual(classify(suite('AECDH-NULL-SHA')).weak, ['NULL', 'anonymous']);
  const strong = SUITES.filter((s) => classify(s).weak.length === 0);
  assert.equal(strong.length, SUITES.length - 18 - 12); // 18 eNULL, 12 more anonymous
  assert.ok(TLS13_SUITES.every((s) => classify(s).weak.length === 0));
});

test('legacy suites are explained and classified, never part of the live table', () => {
  const names = new Set(SUITES.map((s) => s.name));
  assert.ok(LEGACY_SUITES.every((s) => s.legacy && !names.has(s.name)));
  assert.deepEqual(classify(legacyInfo('RC4-MD5')!.suite!).weak, ['RC4', 'MD5']);
  assert.deepEqual(classify(legacyInfo('EXP-DES-CBC-SHA')!.suite!).weak, ['EXPORT', 'DES']);
  assert.deepEqual(classify(legacyInfo('DES-CBC3-SHA')!.suite!).weak, ['3DES']);
  assert.equal(classify(legacyInfo('ECDH-RSA-AES128-SHA')!.suite!).forwardSecrecy, false);
  assert.match(legacyInfo('RC4')!.reason, /RC4/);
  assert.equal(legacyInfo('HIGH'), undefined);
});

test('describeWord separates live aliases, aliases this OpenSSL ignores, and junk', () => {
  assert.equal(describeWord('HIGH').kind, 'alias');
  assert.equal(describeWord('RC4').kind, 'unavailable-alias');
  assert.equal(describeWord('AES128-SHA').kind, 'suite');
  assert.equal(describeWord('@STRENGTH').kind, 'special');
  assert.equal(describeWord('bogus').kind, 'unknown');
});
