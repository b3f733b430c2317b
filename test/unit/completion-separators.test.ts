// Lua tables need `;` or `,` between fields (a line break is not one): an item accepted inside a table
// must leave valid Lua, whatever stands before and after the cursor. Each case parses the result.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import * as luaparse from 'luaparse';
import { completeAndApply } from '../helpers/cursor';

function parses(text: string): boolean {
  try {
    luaparse.parse(text, { luaVersion: '5.2' });
    return true;
  } catch {
    return false;
  }
}

describe('completion in the options table of a table-form section', () => {
  it('adds the separator after the value on the line above', () => {
    const out = completeAndApply('VirtualHost "x" {\n  c2s_require_encryption = true\n  |\n}\n', 'ssl');
    assert.match(out, /^VirtualHost "x" \{\n  c2s_require_encryption = true;\n  ssl = \{[^]*\}\n\}\n$/);
    assert.ok(parses(out), out);
  });

  it('adds one when only the name is replaced too (an `=` follows)', () => {
    const out = completeAndApply('Component "c" "muc" {\n  modules_enabled = { "x" }\n  ss| = {}\n}\n', 'ssl');
    assert.equal(out, 'Component "c" "muc" {\n  modules_enabled = { "x" };\n  ssl = {}\n}\n');
  });

  it('adds the separator after the item when a field follows it', () => {
    const out = completeAndApply('VirtualHost "x" {\n  |\n  c2s_require_encryption = true\n}\n', 'ssl');
    assert.ok(parses(out), out);
    const same = completeAndApply('VirtualHost "x" { |c2s_require_encryption = true }\n', 's2s_require_encryption');
    assert.equal(same, 'VirtualHost "x" { s2s_require_encryption = true; c2s_require_encryption = true }\n');
  });

  it('adds nothing after a separator, before `}`, and keeps CRLF', () => {
    assert.equal(completeAndApply('VirtualHost "x" { s2s_require_encryption = true; | }', 'c2s_require_encryption'), 'VirtualHost "x" { s2s_require_encryption = true; c2s_require_encryption = true }');
    const out = completeAndApply('VirtualHost "x" {\r\n  s2s_require_encryption = true\r\n  |\r\n}\r\n', 'c2s_require_encryption');
    assert.equal(out, 'VirtualHost "x" {\r\n  s2s_require_encryption = true;\r\n  c2s_require_encryption = true\r\n}\r\n');
  });

  it('adds none where the section is not a table (plain header, statements)', () => {
    assert.equal(completeAndApply('VirtualHost "x"\n  s2s_require_encryption = true\n  |\n', 'c2s_require_encryption'), 'VirtualHost "x"\n  s2s_require_encryption = true\n  c2s_require_encryption = true\n');
    assert.equal(completeAndApply('s2s_require_encryption = true\n|c2s_ssl = {}\n', 'tls_profile').startsWith('s2s_require_encryption = true\ntls_profile = "'), true);
    assert.ok(!completeAndApply('s2s_require_encryption = true\n|c2s_ssl = {}\n', 'tls_profile').includes(';'));
  });
});

describe('completion of ssl-table keys before an existing field', () => {
  it('separates the new key from a key right after the cursor on the same line', () => {
    const out = completeAndApply('ssl = {\n  key = "a.key"\n  |certificate = "x"\n}', 'protocol');
    assert.match(out, /^ssl = \{\n  key = "a.key";\n  protocol = "[^"\n]*"; certificate = "x"\n\}$/);
    assert.ok(parses(out), out);
  });

  it('separates it from a field on a later line', () => {
    const out = completeAndApply('ssl = {\n  key = "a.key";\n  |\n  certificate = "a.crt";\n}\n', 'protocol');
    assert.match(out, /^ssl = \{\n  key = "a.key";\n  protocol = "[^"\n]*";\n  certificate = "a.crt";\n\}\n$/);
  });

  it('adds nothing before `}`, `,` or `;`, nor when only renaming', () => {
    assert.match(completeAndApply('ssl = { | }', 'protocol'), /^ssl = \{ protocol = "[^"]*" \}$/);
    assert.match(completeAndApply('ssl = { |, key = "k" }', 'protocol'), /^ssl = \{ protocol = "[^"]*", key = "k" \}$/);
    assert.equal(completeAndApply('ssl = { protoc| = "tlsv1_2+" key = "k" }', 'protocol'), 'ssl = { protocol = "tlsv1_2+" key = "k" }');
  });
});
