// Section headers as Prosody's config loader (core/configmanager.lua) reads them: the aliases `Host`,
// `host` (VirtualHost) and `component` (Component), whose settings belong to that section in the model,
// the outline, the chunk splitter, completion and the rules; and the table form.
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { createLanguageService, DEFAULT_SETTINGS } from '../../server/src/service';
import { splitChunks } from '../../server/src/service/model/chunks';
import { parseConfig } from '../../server/src/service/model/parse';
import { buildOutline } from '../../server/src/service/model/structure';
import { Session } from './wholeText';

const TEXT = ['ssl = { protocol = "tlsv1_2+" }', 'Host "a.example"', '\ttls_profile = "old"', 'host "b.example"', '\tc2s_ssl = { protocol = "tlsv1" }', 'component "c.example" "muc"', '\tssl = { protocol = "sslv3" }', ''].join('\n');

test('Host, host and component open sections in the parsed model and the outline', () => {
  const parsed = parseConfig(TEXT);
  assert.ok(parsed.ok);
  assert.deepEqual(
    parsed.config.sections.map((s) => [s.kind, s.name, s.module]),
    [['global', undefined, undefined], ['host', 'a.example', undefined], ['host', 'b.example', undefined], ['component', 'c.example', 'muc']],
  );
  assert.deepEqual(
    parsed.config.settings.map((s) => [s.name, s.section]),
    [['ssl', 0], ['tls_profile', 1], ['c2s_ssl', 2], ['ssl', 3]],
  );
  assert.deepEqual(
    buildOutline(TEXT).sections.map((s) => [s.kind, s.name]),
    [['global', undefined], ['host', 'a.example'], ['host', 'b.example'], ['component', 'c.example']],
  );
  assert.equal(splitChunks(TEXT).length, 4, 'each alias starts a chunk');
});

test('rules see the settings after an alias as that section\'s', () => {
  const doc = TextDocument.create('file:///alias.cfg.lua', 'prosody', 1, TEXT);
  const diags = createLanguageService().doValidation(doc, DEFAULT_SETTINGS);
  const at = (code: string): number[] => diags.filter((d) => d.code === code).map((d) => d.range.start.line);
  assert.deepEqual(at('global-option-in-host'), [2], 'tls_profile under Host "a.example" is a global-only option');
  assert.ok(at('unsafe-protocol').includes(4), 'the host\'s own c2s_ssl pins TLS 1.0');
  new Session('file:///alias-session.cfg.lua').check(TEXT, 'aliases, whole-text reference');
});

test('completion after an alias offers host options, not global-only ones', () => {
  const text = 'Host "a.example"\n\t\n';
  const doc = TextDocument.create('file:///alias-complete.cfg.lua', 'prosody', 1, text);
  const labels = createLanguageService().doComplete(doc, { line: 1, character: 1 }, DEFAULT_SETTINGS).items.map((i) => i.label);
  assert.ok(labels.includes('ssl'), 'ssl is offered in a host');
  assert.ok(!labels.includes('tls_profile'), 'a global-only option is not offered in a host');
});

// The table form sets its options on that section and returns to global scope (configmanager.lua:
// `rawset(env, "__currenthost", "*") -- Return to global scope`).
const TABLE_FORM = [
  'VirtualHost "a.example" { c2s_ssl = { protocol = "tlsv1" }; ["tls_profile"] = "old" }',
  'Component "c.example" "muc" { ssl = { protocol = "sslv3" } }',
  'tls_profile = "intermediate"',
  'VirtualHost("d.example")({ enabled = true })',
  'ssl_compression = true',
  '',
].join('\n');

test('the table form: options belong to that section, and settings after it are global again', () => {
  const parsed = parseConfig(TABLE_FORM);
  assert.ok(parsed.ok);
  assert.deepEqual(
    parsed.config.sections.map((s) => [s.kind, s.name, s.module]),
    [['global', undefined, undefined], ['host', 'a.example', undefined], ['component', 'c.example', 'muc'], ['host', 'd.example', undefined]],
  );
  assert.deepEqual(
    parsed.config.settings.map((s) => [s.name, s.section]),
    [['c2s_ssl', 1], ['tls_profile', 1], ['ssl', 2], ['tls_profile', 0], ['enabled', 3], ['ssl_compression', 0]],
  );
});

test('rules judge table-form options as the section\'s and what follows as global', () => {
  const doc = TextDocument.create('file:///table-form.cfg.lua', 'prosody', 1, TABLE_FORM);
  const diags = createLanguageService().doValidation(doc, DEFAULT_SETTINGS);
  const lines = (code: string): number[] => diags.filter((d) => d.code === code).map((d) => d.range.start.line);
  // Only the tls_profile inside the host's table: ssl_compression after the table form is global again
  // (were it still under the host, it would be reported as a global-only option there).
  assert.deepEqual(lines('global-option-in-host'), [0]);
  assert.ok(lines('unsafe-protocol').includes(0), 'the host\'s c2s_ssl pins TLS 1.0');
  assert.ok(lines('noop-option').includes(4), 'ssl_compression = true is still reported, as a global setting');
  const s = new Session('file:///table-form-session.cfg.lua');
  s.check(TABLE_FORM, 'table form, whole-text reference');
  s.check(TABLE_FORM.replace('"old"', '"modern"'), 'an edit inside the table form');
  s.check(TABLE_FORM.replace('ssl_compression = true', 'ssl_compression = false'), 'an edit in the global settings after it');
});

test('inside a table form\'s options: option names of that section, ssl keys and values, and hover', () => {
  const service = createLanguageService();
  const complete = (text: string, line: number, character: number): string[] =>
    service.doComplete(TextDocument.create(`file:///options-${text.length}-${character}.cfg.lua`, 'prosody', 1, text), { line, character }, DEFAULT_SETTINGS).items.map((i) => String(i.label));

  const names = complete('VirtualHost "a.example" {  }\n', 0, 26);
  assert.ok(names.includes('ssl') && names.includes('c2s_require_encryption'), 'host options are offered');
  assert.ok(!names.includes('tls_profile'), 'a global-only option is not offered in a host\'s options');
  const set = complete('VirtualHost "a.example" { ssl = {}, ;  }\n', 0, 37);
  assert.ok(!set.includes('ssl'), 'an option already in the table is not offered again');

  assert.ok(complete('VirtualHost "a.example" { ssl = {  } }\n', 0, 34).includes('protocol'), 'ssl keys in the nested table');
  assert.ok(complete('VirtualHost "a.example" { ssl = { protocol = "" } }\n', 0, 46).includes('tlsv1_2+'), 'protocol values');
  assert.ok(complete('Component "c.example" "muc" { c2s_require_encryption =  }\n', 0, 55).includes('true'), 'an option\'s value');

  const text = 'VirtualHost "a.example" { c2s_ssl = { protocol = "tlsv1_2+" } }\n';
  const doc = TextDocument.create('file:///options-hover.cfg.lua', 'prosody', 1, text);
  const md = (character: number): string => {
    const h = service.doHover(doc, { line: 0, character }, DEFAULT_SETTINGS);
    return h && typeof h.contents === 'object' && 'value' in h.contents ? h.contents.value : '';
  };
  assert.match(md(28), /c2s_ssl/, 'hover on the option name');
  assert.match(md(40), /protocol/, 'hover on the ssl key inside it');
});

test('host called in a condition is an expression, not a header; called after then, it is a header', () => {
  const kinds = (text: string): string[] => buildOutline(text).sections.map((s) => s.kind);
  assert.deepEqual(kinds('if host("x") then end\nwhile host "y" do end\nrepeat until host "z"\n'), ['global']);
  assert.deepEqual(kinds('if x then host "a" end\n'), ['global', 'host'], 'a conditional header, as the parser counts it');
  const parsed = parseConfig('if x then host "a" end\n');
  assert.ok(parsed.ok && parsed.config.sections.length === 2, 'the model counts it too');
});
