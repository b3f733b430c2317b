// String literals decoded by our tokenizer and model, held to what Lua 5.4 itself makes of them:
// escapes, escaped line breaks in every line-end style, \z, decimal escapes, long brackets. Lua runs
// for real (scripts/setup-test-deps.sh installs lua5.4); a missing interpreter fails the test.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { parseConfig } from '../../server/src/service/model/parse';
import { decodeStringLiteral } from '../../server/src/service/model/tokenize';

const LITERALS = [
  '"plain"',
  "'single'",
  '"tab\\tnew\\nquote\\"back\\\\"',
  '"a\\\nb"',
  '"a\\\r\nb"',
  '"a\\\n\rb"',
  '"a\\\rb"',
  '"z\\z   \n\t  continued"',
  '"dec\\65\\066\\0677"',
  '"hex\\x41\\x62\\x7e"',
  '"utf8 bytes \\195\\169t\\xC3\\xA9"',
  '"utf\\u{48}\\u{E9}\\u{1F600}"',
  '"nbsp\\z\u00a0x"',
  '"tab\\z\t\v\fy"',
  '"bell\\a\\b\\f\\v"',
  '[[long]]',
  '[[\nfirst newline dropped]]',
  '[[\r\nCRLF dropped]]',
  '[[\rCR dropped]]',
  '[[\n\rLFCR dropped]]',
  '[[\n\nonly one newline dropped]]',
  '[==[with ]] inside]==]',
  '"\u00e9t\u00e9 \ud83d\ude00"',
];

test('string literals decode as Lua 5.4 decodes them', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'prosody-ssl-strings-'));
  try {
    // One assignment per literal; Lua prints the byte values of each decoded string, one line each.
    const config = LITERALS.map((l, i) => `s${i} = ${l}`).join('\n') + '\n';
    const probe = LITERALS.map((_, i) => `io.write(table.concat({string.byte(s${i}, 1, -1)}, ","), "\\n")`).join('\n');
    const file = path.join(dir, 'probe.lua');
    writeFileSync(file, config + probe + '\n');
    const r = spawnSync('lua5.4', [file], { encoding: 'utf8' });
    assert.equal(r.error, undefined, 'lua5.4 is required (scripts/setup-test-deps.sh installs it)');
    assert.equal(r.status, 0, r.stderr);
    const luaBytes = r.stdout.split('\n').slice(0, LITERALS.length);
    const parsed = parseConfig(config);
    assert.ok(parsed.ok, 'the probe config parses');
    LITERALS.forEach((literal, i) => {
      // Lua strings are bytes; ours are UTF-16 text read from UTF-8 source: compare as UTF-8 bytes.
      const bytes = (s: string): string => [...Buffer.from(s, 'utf8')].join(',');
      assert.equal(bytes(decodeStringLiteral(literal)!), luaBytes[i], `decoding ${JSON.stringify(literal)}`);
      const setting = parsed.config.settings.find((s) => s.name === `s${i}`)!;
      assert.equal(setting.value.kind === 'string' && bytes(setting.value.value), luaBytes[i], `model value of ${JSON.stringify(literal)}`);
      // A long string has no escapes: its content range covers exactly the value (quick fixes edit there).
      if (literal.startsWith('[') && setting.value.kind === 'string') assert.equal(config.slice(...setting.value.contentRange), setting.value.value, `content range of ${JSON.stringify(literal)}`);
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
