// A syntax error's place and words depend on the text alone, not on what was parsed before it: luaparse keeps
// its last token between parses and quotes it when it cannot lex the first token of a text.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import * as path from 'node:path';
import { test } from 'node:test';
import { parseConfig } from '../../server/src/service/model/parse';

const LEADING_SYMBOL = '-- Prosody config\n-- more\n\n@x = 1\nssl = { protocol = "tlsv1_2+" }\n';

function problem(text: string): { message: string; range: readonly number[] } {
  const r = parseConfig(text);
  assert.ok(!r.ok, 'must not parse');
  return { message: r.error.message, range: r.error.range };
}

test('an unlexable first token is reported where it is, the same after any earlier parse', () => {
  const want = { message: "Lua syntax error: unexpected symbol near '@'", range: [LEADING_SYMBOL.indexOf('@'), LEADING_SYMBOL.indexOf('@') + 1] };
  assert.deepEqual(problem(LEADING_SYMBOL), want);
  parseConfig('admins = { "a@example.org" }\nVirtualHost "a.example"\nssl = { key = "secret-looking/path.key" }\n');
  assert.deepEqual(problem(LEADING_SYMBOL), want);
  problem('x = = 1');
  assert.deepEqual(problem(LEADING_SYMBOL), want);
  // An emoji is named whole, not as half a surrogate pair.
  assert.equal(problem('😀 = 1\n').message, "Lua syntax error: unexpected symbol near '😀'");
});

test('the first parse of a process reports the same (luaparse had no token to quote yet)', () => {
  const module = path.resolve(__dirname, '../../server/src/service/model/parse.js');
  const script = `const { parseConfig } = require(${JSON.stringify(module)}); process.stdout.write(JSON.stringify(parseConfig(process.env.CONFIG_TEXT).error));`;
  const first = JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8', env: { ...process.env, CONFIG_TEXT: LEADING_SYMBOL } })) as { message: string; range: number[] };
  assert.equal(first.message, "Lua syntax error: unexpected symbol near '@'");
  assert.deepEqual(first.range, [LEADING_SYMBOL.indexOf('@'), LEADING_SYMBOL.indexOf('@') + 1]);
});

test('syntax errors name strings without quoting them: a password must not reach CLI output or CI logs', () => {
  for (const text of ['ssl = {\n  key = "k.key";\n  password = "hunter2secret\n}\n', 'ssl = { password = "a" "hunter2secret" }\n', "ssl = { password = 'hunter2secret' 'x' }\n", 'ssl = { password = [[hunter2secret]] [[x]] }\n']) {
    const { message } = problem(text);
    assert.doesNotMatch(message, /hunter2secret/, JSON.stringify(text));
    assert.match(message, /^Lua syntax error: /);
  }
  // Other tokens are still named.
  assert.match(problem('ssl = { protocol = "x" = }\n').message, /near '='|'='/);
});

test('after a secret\'s key, words are not quoted either: a password with a quote in it, or without quotes', () => {
  for (const text of ['ssl = { password = "hunter2" secretpart }\n', "ssl = { password = 'hunter2's secretpart' }\n", 'ssl = { key = "a"; password = 4711 secretpart }\n', 'component_secret = abc secretpart\n', 'ssl = { password = "a=b"secretpart }\n', 'ssl = { key = "a", ["password"] = abc secretpart }\n', 'ssl = { passphrase = "x" secretpart }\n', 'sql = {\n  password =\n    hunter2 secretpart\n}\n', 'sql = { password = "a",\r\n hunter2 secretpart }\n', 'ssl = { password = "secretpart\\999" }\n', 'ssl = {\n  password =\n\n  -- set by the deploy script\n\n  hunter2 secretpart\n}\n', 'ssl = {\r\n  password =\r\n\r\n\r\n  hunter2 secretpart\r\n}\r\n']) {
    const { message } = problem(text);
    assert.doesNotMatch(message, /secretpart/, JSON.stringify(text));
    assert.match(message, /^Lua syntax error: /);
  }
  assert.match(problem('ssl = { password = "hunter2" secretpart }\n').message, /near this value/);
  // The end of the file is named as such, not as a value.
  assert.match(problem('password = "x"\nComponent "a" "b" c\n').message, /near '<eof>'/);
  // Elsewhere the word is named, as Lua would.
  assert.match(problem('ssl = { protocol = "x" secretpart }\n').message, /near 'secretpart'/);
});

test('a key pasted without quotes is never quoted back from its body (a reviewer: 27 characters of an RSA key, bytes of an EC scalar)', () => {
  const keys = [
    generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ type: 'sec1', format: 'pem' }).toString(),
    generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  ];
  let checked = 0;
  for (const pem of keys) {
    const body = pem.split('\n').filter((l) => l && !l.startsWith('-----'));
    for (const text of [`admins = {}\n${pem}`, `ssl = {\n  key = \n${pem}}\n`, `ssl = {\n  key = ${pem.replace(/\n/g, '\r\n')}}\r\n`, `ssl = { key = \n${body.join('\n')}\n}\n`, `ssl = { key = ${body.join('')} }\n`, `ssl = { key = ${body[0]} x }\n`]) {
      const r = parseConfig(text);
      // (A one-line body can read as an expression: `MC4C…+…/…` is names, `+` and `/`.)
      if (r.ok) continue;
      const { message } = r.error;
      checked++;
      const quoted = [...message.matchAll(/'([^']*)'/g)].map((m) => m[1]!).filter((q) => q.length > 1 && q !== '<eof>');
      for (const q of quoted) assert.ok(!body.some((l) => l.includes(q)), `${JSON.stringify(message)} quotes the key`);
      assert.match(message, /^Lua syntax error: /);
    }
  }
  assert.ok(checked >= 8, `only ${checked} texts failed to parse`);
  // One character that cannot be lexed after a secret's key is the secret's too.
  assert.equal(problem('ssl = { password = "Sec\u{1F600}"Tail\u{1F600}" }\n').message, 'Lua syntax error: unexpected symbol near this value');
  // An armour line in a comment hides nothing on an ordinary line below it (a reviewer).
  assert.match(problem('-- certificates start with -----BEGIN CERTIFICATE-----\nssl = { protocol = "tlsv1_2+" certificate = "/x" }\n').message, /near 'certificate'/);
  // Nor does a long path in a string, on its own or below such a comment (a reviewer).
  assert.match(problem('c2s_ssl = { certificate = "/srv/Prosody/certificates/LetsEncrypt2024/fullchain.pem" key = "/a" }\n').message, /near 'key'/);
  assert.match(problem('-- paste the new -----BEGIN CERTIFICATE----- block here\nssl = { certificate = "/etc/prosody/Certs2024/host.crt" key = "x" }\n').message, /near 'key'/);
  // A long word alone on its line is not taken for key material.
  assert.match(problem('ssl = {}\nmodulesenabledlist\n').message, /near '<eof>'|modulesenabledlist/);
});

test('looking back for a secret\'s key stops at the start of the text, past blank and comment lines', () => {
  for (const text of ['\nx = = 1\n', '\r\n\r\nx = = 1\n', '\r\rx = = 1', '-- a\n\n  \nx = = 1\n']) assert.match(problem(text).message, /<expression> expected near '='/, JSON.stringify(text));
});

test('an unfinished string is underlined from its opening quote, not on the line after it', () => {
  const text = 'ssl = {\n  password = "hunter2;\n  key = "a.key";\n}\n';
  const { range } = problem(text);
  assert.equal(text.slice(range[0], range[1]), '"hunter2;');
  // The next line may begin with the same text: the range is still the string's own.
  for (const [t, want] of [["x = 'a\n'a\n", [4, 6]], ["x = '\n'\n", [4, 5]], ["x = 'a\n'a", [4, 6]]] as const) {
    assert.deepEqual(problem(t).range, want, JSON.stringify(t));
  }
});

test('a bad escape is underlined from its backslash, as the message quotes it', () => {
  // luaparse stops after the backslash for some escapes and after the whole escape for others.
  for (const [t, want] of [
    ['x = "a\\qb"\n', '\\q'],
    ['x = "a\\300"\n', '\\300'],
    ["x = 'a\\9999'\n", '\\999'],
    ['x = "a\\u123"\n', '\\u1'],
    ['x = "a\\u{110000}"\n', '\\u{110000}'],
    ['ssl = {\r\n  key = "C:\\prosody\\certs\\a.key";\r\n}\r\n', '\\p'],
  ] as const) {
    const { message, range } = problem(t);
    assert.equal(t.slice(range[0], range[1]), want, JSON.stringify(t));
    assert.ok(message.includes(`'${want}'`), message);
  }
  // Inside a password the escape is underlined, never quoted.
  const secret = 'ssl = { password = "hunter\\999" }\n';
  const p = problem(secret);
  assert.equal(secret.slice(p.range[0], p.range[1]), '\\999');
  assert.doesNotMatch(p.message, /999|hunter/);
});
