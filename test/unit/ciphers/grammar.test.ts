// Grammar of OpenSSL cipher strings as implemented by the evaluator (no openssl needed; the differential
// test in test/oracle compares against the real binary).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateCipherString, SUITES } from '../../../server/src/service/ciphers';

const names = (s: string | readonly string[]): string[] => evaluateCipherString(s).suites.map((x) => x.name);
const has = (list: string[], n: string): boolean => list.includes(n);

test('no prefix appends in internal order; already-present suites stay where they are', () => {
  const a = names('AES128-SHA:kRSA');
  assert.equal(a[0], 'AES128-SHA');
  assert.equal(a.filter((n) => n === 'AES128-SHA').length, 1);
  assert.ok(a.length > 5 && a.every((n) => SUITES.find((s) => s.name === n)!.kx === 'RSA'));
});

test('"!" kills for good, "-" removes but lets later words add back', () => {
  assert.ok(!has(names('!aNULL:ALL'), 'ADH-AES128-SHA'));
  assert.ok(has(names('-aNULL:ALL'), 'ADH-AES128-SHA'));
  assert.ok(!has(names('ALL:-aNULL'), 'ADH-AES128-SHA'));
  // '-' parks removed suites at the head, so re-adding them puts them back in their old relative order
  const readded = names('ALL:-AES:AES');
  const aes = readded.filter((n) => n.includes('AES') && !n.includes('ARIA') && !n.includes('CAMELLIA'));
  assert.deepEqual(readded.slice(-aes.length), aes);
});

test('"+" prefix moves present suites to the end and adds nothing', () => {
  const base = names('ECDHE-RSA-AES128-SHA:AES128-SHA:ECDHE-RSA-AES256-SHA');
  assert.deepEqual(names('ECDHE-RSA-AES128-SHA:AES128-SHA:ECDHE-RSA-AES256-SHA:+kRSA'), [base[0], base[2], base[1]]);
  assert.deepEqual(names('AES128-SHA:+ECDHE'), ['AES128-SHA']);
});

test('"+" between words is AND; an empty combination is dropped and reported', () => {
  const both = names('kECDHE+aECDSA+AESGCM');
  assert.deepEqual(both, ['ECDHE-ECDSA-AES256-GCM-SHA384', 'ECDHE-ECDSA-AES128-GCM-SHA256']);
  const r = evaluateCipherString('AES128-SHA+ECDHE:AES256-SHA');
  assert.deepEqual(r.suites.map((s) => s.name), ['AES256-SHA']);
  assert.equal(r.steps[0]!.emptyCombination, true);
  // a suite name in a combination ignores nothing but its own version: AES128-SHA is an SSLv3 suite
  assert.deepEqual(names('AES128-SHA+HIGH'), ['AES128-SHA']);
  assert.equal(evaluateCipherString('AES128-SHA+TLSv1.2').error, 'no-cipher-match');
  // strength classes AND together: HIGH+FIPS is empty in OpenSSL
  assert.equal(evaluateCipherString('HIGH+FIPS').error, 'no-cipher-match');
});

test('@STRENGTH is a stable sort of the current list by key bits', () => {
  const sorted = evaluateCipherString('AES128-SHA:AES256-SHA:CAMELLIA128-SHA:ECDHE-RSA-CHACHA20-POLY1305:@STRENGTH').suites;
  assert.deepEqual(sorted.map((s) => s.name), ['AES256-SHA', 'ECDHE-RSA-CHACHA20-POLY1305', 'AES128-SHA', 'CAMELLIA128-SHA']);
  // Prosody 0.9.0's string: @STRENGTH glued to the previous word still works
  const r = evaluateCipherString('HIGH:!DSS:!aNULL@STRENGTH');
  const bits = r.suites.map((s) => s.encBits);
  assert.deepEqual(bits, [...bits].sort((a, b) => b - a));
  assert.ok(!r.suites.some((s) => s.au === 'DSS' || s.au === 'None'));
});

test('@SECLEVEL sets the level and does not filter the list; out-of-range is fatal', () => {
  const r = evaluateCipherString('ALL:@SECLEVEL=0');
  assert.equal(r.seclevel, 0);
  assert.equal(r.suites.length, names('ALL').length);
  const bad = evaluateCipherString('ALL:@SECLEVEL=6');
  assert.equal(bad.error, 'invalid-command');
  assert.deepEqual(bad.suites, []);
  assert.equal(bad.malformed[0]!.fatal, true);
  assert.equal(evaluateCipherString('ALL:@FOO').error, 'invalid-command');
});

test('DEFAULT expands only at the very start, and may be followed by more words', () => {
  const d = names('DEFAULT');
  assert.equal(d.length, 57);
  assert.deepEqual(d, names('ALL:!COMPLEMENTOFDEFAULT:!eNULL'));
  assert.deepEqual(names('DEFAULT:!kRSA'), d.filter((n) => SUITES.find((s) => s.name === n)!.kx !== 'RSA'));
  // 'DEFAULT+AES' is DEFAULT then '+AES': the AES suites move behind the ChaCha20 ones
  const chacha = d.filter((n) => n.includes('CHACHA20'));
  assert.equal(chacha.length, 7);
  assert.deepEqual(names('DEFAULT+AES').slice(0, chacha.length), chacha);
  const late = evaluateCipherString('AES128-SHA:DEFAULT');
  assert.deepEqual(late.suites.map((s) => s.name), ['AES128-SHA']);
  assert.deepEqual(late.unknownWords, [{ word: 'DEFAULT', offset: 11, length: 7 }]);
});

test('ALL, COMPLEMENTOFALL and COMPLEMENTOFDEFAULT partition the table', () => {
  const all = names('ALL'), cAll = names('COMPLEMENTOFALL'), cDef = names('COMPLEMENTOFDEFAULT');
  assert.equal(all.length + cAll.length, SUITES.length);
  assert.ok(cAll.every((n) => n.includes('NULL')));
  assert.ok(cDef.every((n) => all.includes(n) || cAll.includes(n)));
  assert.ok(has(cDef, 'ADH-AES128-SHA') && !has(cDef, 'ECDHE-RSA-AES128-GCM-SHA256'));
});

test('separators: colon, comma, space and semicolon; other characters are syntax errors', () => {
  const ref = names('AES128-SHA:AES256-SHA');
  for (const sep of [',', ' ', ';', ': ', ' ,']) assert.deepEqual(names(`AES128-SHA${sep}AES256-SHA`), ref, JSON.stringify(sep));
  const tab = evaluateCipherString('AES128-SHA\tAES256-SHA');
  assert.equal(tab.error, 'invalid-command');
  assert.deepEqual(tab.malformed.map((m) => [m.offset, m.fatal]), [[10, true]]);
  assert.equal(evaluateCipherString('HIGH+').error, 'invalid-command');
  assert.equal(evaluateCipherString('HIGH:!').error, 'invalid-command');
  // after an unknown word OpenSSL skips to the next separator, so junk there is harmless
  assert.deepEqual(names('bogus*(x):AES128-SHA'), ['AES128-SHA']);
  // a prefix right after a word starts a new term
  assert.ok(!has(names('HIGH!aNULL'), 'ADH-AES128-SHA'));
});

test('unknown words are ignored but reported with offsets; unavailable aliases count as unknown', () => {
  const r = evaluateCipherString('HIGH:!RC4:bogus+AES:!MD5');
  assert.deepEqual(r.unknownWords, [{ word: 'RC4', offset: 6, length: 3 }, { word: 'bogus', offset: 10, length: 5 }]);
  assert.ok(r.suites.length > 100);
  assert.equal(evaluateCipherString('RC4').error, 'no-cipher-match');
  assert.equal(evaluateCipherString('').error, 'no-cipher-match');
  assert.deepEqual(evaluateCipherString('TLS_RSA_WITH_AES_128_CBC_SHA').unknownWords.map((w) => w.word), ['TLS_RSA_WITH_AES_128_CBC_SHA']);
});

test('`_` is no word character: after a known word it is an invalid command, after an unknown one it is skipped with it', () => {
  // Each checked with `openssl ciphers` 3.0.22 (a reviewer's differential run found the engine taking `_` as a letter).
  for (const bad of ['HIGH:_', 'ECDHE+AESGCM:CHACHA20_POLY1305', 'HIGH:AES_X', 'DEFAULT_X', 'HIGH_:!kRSA', 'HIGH:ECDHE_RSA']) {
    assert.equal(evaluateCipherString(bad).error, 'invalid-command', bad);
  }
  for (const [good, same] of [['HIGH:A_B', 'HIGH'], ['HIGH:FOO_BAR', 'HIGH'], ['HIGH:@STRENGTH_X', 'HIGH:@STRENGTH'], ['HIGH:TLS_AES_128_GCM_SHA256', 'HIGH']] as const) {
    assert.equal(evaluateCipherString(good).error, undefined, good);
    assert.deepEqual(evaluateCipherString(good).suites, evaluateCipherString(same).suites, good);
  }
  // The unknown word is shown whole, `_` parts included, as OpenSSL skips them.
  assert.deepEqual(evaluateCipherString('HIGH:FOO_BAR+x').unknownWords.map((w) => w.word), ['FOO_BAR']);
});

test('a Lua list is joined with ":" and positions refer to the list element', () => {
  const r = evaluateCipherString(['HIGH', '!aNULL', 'nope', '!PSK']);
  assert.equal(r.text, 'HIGH:!aNULL:nope:!PSK');
  assert.deepEqual(r.suites, evaluateCipherString('HIGH:!aNULL:!PSK').suites);
  assert.deepEqual(r.unknownWords, [{ word: 'nope', offset: 0, length: 4, part: 2 }]);
  const step = r.steps.find((s) => s.op === 'kill' && s.word === '!PSK')!;
  assert.equal(step.part, 3);
  assert.equal(step.offset, 0);
});

test('SUITEB128 replaces the whole string', () => {
  const r = evaluateCipherString('SUITEB128:AES128-SHA');
  assert.deepEqual(r.suites.map((s) => s.name), ['ECDHE-ECDSA-AES128-GCM-SHA256', 'ECDHE-ECDSA-AES256-GCM-SHA384']);
  assert.equal(r.malformed[0]!.fatal, false);
});

test('steps say what each word did', () => {
  const r = evaluateCipherString('kRSA:!AES128-SHA:+AES256-SHA');
  assert.deepEqual(r.steps.map((s) => [s.op, s.word, s.offset]), [['add', 'kRSA', 0], ['kill', '!AES128-SHA', 5], ['moveToEnd', '+AES256-SHA', 17]]);
  assert.deepEqual(r.steps[1]!.affected, ['AES128-SHA']);
  assert.equal(r.suites.at(-1)!.name, 'AES256-SHA');
});

test('TLS 1.3 suites are separate: default list, or the ciphersuites option', () => {
  const r = evaluateCipherString('HIGH');
  assert.deepEqual(r.tls13.map((s) => s.name), ['TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256', 'TLS_AES_128_GCM_SHA256']);
  assert.ok(r.suites.every((s) => s.protocol !== 'TLSv1.3'));
  const custom = evaluateCipherString('HIGH', { ciphersuites: 'TLS_AES_128_GCM_SHA256: bogus :TLS_AES_128_CCM_SHA256' });
  assert.deepEqual(custom.tls13.map((s) => s.name), ['TLS_AES_128_GCM_SHA256', 'TLS_AES_128_CCM_SHA256']);
  assert.deepEqual(evaluateCipherString('HIGH', { ciphersuites: '' }).tls13, []);
});
