// Prosody's config loader defines `Host` and `host` as VirtualHost, and `component` as Component
// (core/configmanager.lua). Settings after them belong to that section, in the model, the outline,
// the chunk splitter, completion and the rules, exactly as after the canonical words.
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { createLanguageService, DEFAULT_SETTINGS } from '../../server/src/service';
import { splitChunks } from '../../server/src/service/model/chunks';
import { parseConfig } from '../../server/src/service/model/parse';
import { buildOutline } from '../../server/src/service/model/structure';
import { Session } from './wholeText';

const TEXT = ['ssl = { protocol = "tlsv1_2+" }', 'Host "a.example"', '\ttls_profile = "old"', 'host "b.example"', '\tc2s_ssl = { protocol = "tlsv1+" }', 'component "c.example" "muc"', '\tssl = { protocol = "sslv3" }', ''].join('\n');

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
  assert.ok(at('unsafe-protocol').includes(4), 'the host\'s own c2s_ssl allows TLS 1.0');
  new Session('file:///alias-session.cfg.lua').check(TEXT, 'aliases, whole-text reference');
});

test('completion after an alias offers host options, not global-only ones', () => {
  const text = 'Host "a.example"\n\t\n';
  const doc = TextDocument.create('file:///alias-complete.cfg.lua', 'prosody', 1, text);
  const labels = createLanguageService().doComplete(doc, { line: 1, character: 1 }, DEFAULT_SETTINGS).items.map((i) => i.label);
  assert.ok(labels.includes('ssl'), 'ssl is offered in a host');
  assert.ok(!labels.includes('tls_profile'), 'a global-only option is not offered in a host');
});
