// Prosody's own cipher settings (facts §1.1 and the tls_profile presets) evaluated by the engine.
// Expected values are OpenSSL 3.0 output recorded in the facts file (expansions.*).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classify, evaluateCipherString } from '../../../server/src/service/ciphers';

const names = (s: string | readonly string[]): string[] => evaluateCipherString(s).suites.map((x) => x.name);

const INTERMEDIATE = [
  'ECDHE-ECDSA-AES128-GCM-SHA256', 'ECDHE-RSA-AES128-GCM-SHA256', 'ECDHE-ECDSA-AES256-GCM-SHA384', 'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305', 'ECDHE-RSA-CHACHA20-POLY1305', 'DHE-RSA-AES128-GCM-SHA256', 'DHE-RSA-AES256-GCM-SHA384',
  'DHE-RSA-CHACHA20-POLY1305',
];
const OLD_EXTRA = [
  'ECDHE-ECDSA-AES128-SHA256', 'ECDHE-RSA-AES128-SHA256', 'ECDHE-ECDSA-AES128-SHA', 'ECDHE-RSA-AES128-SHA',
  'ECDHE-ECDSA-AES256-SHA384', 'ECDHE-RSA-AES256-SHA384', 'ECDHE-ECDSA-AES256-SHA', 'ECDHE-RSA-AES256-SHA',
  'DHE-RSA-AES128-SHA256', 'DHE-RSA-AES256-SHA256', 'AES128-GCM-SHA256', 'AES256-GCM-SHA384', 'AES128-SHA256',
  'AES256-SHA256', 'AES128-SHA', 'AES256-SHA', 'DES-CBC3-SHA',
];

test('Prosody 0.11.6+ default: 71 suites, ECDHE first, then DHE, then the rest', () => {
  const r = evaluateCipherString('HIGH+kEECDH:HIGH+kEDH:HIGH:!PSK:!SRP:!3DES:!aNULL');
  assert.equal(r.suites.length, 71);
  assert.deepEqual(r.unknownWords, []);
  const kx = r.suites.map((s) => s.kx);
  assert.equal(kx.lastIndexOf('ECDH') + 1, kx.indexOf('DH'));
  assert.equal(kx.lastIndexOf('DH') + 1, kx.indexOf('RSA'));
  assert.equal(r.suites[0]!.name, 'ECDHE-ECDSA-AES256-GCM-SHA384');
  assert.equal(r.suites.at(-1)!.name, 'CAMELLIA128-SHA');
  assert.equal(r.suites.filter((s) => classify(s).staticRsa).length, 16);
});

test('Prosody 0.9.2-0.11.5 default: same 71 suites with DHE before ECDHE', () => {
  const old = names('HIGH+kEDH:HIGH+kEECDH:HIGH:!PSK:!SRP:!3DES:!aNULL');
  const cur = names('HIGH+kEECDH:HIGH+kEDH:HIGH:!PSK:!SRP:!3DES:!aNULL');
  assert.deepEqual([...old].sort(), [...cur].sort());
  assert.equal(old[0], 'DHE-DSS-AES256-GCM-SHA384');
  // the list form Prosody 0.12 uses internally is the same string joined with ':'
  assert.deepEqual(names(['HIGH+kEDH', 'HIGH+kEECDH', 'HIGH', '!PSK', '!SRP', '!3DES', '!aNULL']), old);
});

test('tls_profile intermediate: all 9 suites, in the order given', () => {
  const r = evaluateCipherString(INTERMEDIATE);
  assert.deepEqual(r.suites.map((s) => s.name), INTERMEDIATE);
  assert.ok(r.suites.every((s) => classify(s).forwardSecrecy && classify(s).weak.length === 0));
});

test('tls_profile old: DES-CBC3-SHA is silently dropped on OpenSSL 3, the other 25 stay in order', () => {
  const r = evaluateCipherString([...INTERMEDIATE, ...OLD_EXTRA]);
  assert.deepEqual(r.suites.map((s) => s.name), [...INTERMEDIATE, ...OLD_EXTRA].filter((n) => n !== 'DES-CBC3-SHA'));
  assert.deepEqual(r.unknownWords.map((w) => [w.word, w.part]), [['DES-CBC3-SHA', 25]]);
});

test('tls_profile modern uses DEFAULT (57 suites, DHE-RSA-AES256-GCM-SHA384 third)', () => {
  const d = names('DEFAULT');
  assert.equal(d.length, 57);
  assert.deepEqual(d.slice(0, 3), ['ECDHE-ECDSA-AES256-GCM-SHA384', 'ECDHE-RSA-AES256-GCM-SHA384', 'DHE-RSA-AES256-GCM-SHA384']);
  assert.deepEqual(d.slice(-2), ['PSK-AES128-CBC-SHA256', 'PSK-AES128-CBC-SHA']);
});

test('facts: availability counts on OpenSSL 3.0', () => {
  const counts: Record<string, number> = {
    'ALL:!aNULL': 125, ALL: 137, COMPLEMENTOFALL: 18, COMPLEMENTOFDEFAULT: 80, HIGH: 137, MEDIUM: 0, LOW: 0, EXPORT: 0,
    eNULL: 18, aNULL: 13, RC4: 0, '3DES': 0, MD5: 1, SHA1: 44, CAMELLIA: 28, PSK: 60, SRP: 6, kRSA: 19, kEDH: 39,
    EDH: 29, EECDH: 28, aRSA: 64, aECDSA: 16, AES: 86, AESGCM: 18, CHACHA20: 7, SHA256: 33, SHA384: 16, TLSv1: 36,
    'TLSv1.2': 86, SSLv3: 33, ARIA: 16, CBC: 76, FIPS: 60, SUITEB128: 2, 'ALL:eNULL:@SECLEVEL=0': 155, 'HIGH:bogus': 137,
  };
  for (const [s, n] of Object.entries(counts)) assert.equal(names(s).length, n, s);
});
