// Configs rendered by templating tools hold placeholders inside strings; until rendered, such a value is
// unknown, so no value rule may judge it and no fix may rewrite it. Each placeholder is paired with a literal
// that the same rule does report, so the test fails if the rule went quiet for another reason.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { createLanguageService } from '../../server/src/service';
import { hasTemplatePlaceholder } from '../../server/src/service/model/templates';

const service = createLanguageService();
let n = 0;
const codes = (text: string): string[] =>
  service.doValidation(TextDocument.create(`file:///tpl/${++n}/prosody.cfg.lua`, 'prosody', 1, text), { prosodyVersion: '13.0', checkFiles: 'off' }).map((d) => String(d.code));

const pairs: Array<[placeholder: string, literal: string, rule: string]> = [
  ['ssl = { ciphers = "{{ prosody_ssl_ciphers }}" }', 'ssl = { ciphers = "{ prosody_ssl_ciphers }" }', 'cipher-selects-nothing'],
  ['tls_profile = "{{ tls_profile }}"', 'tls_profile = "tls_profile"', 'unknown-tls-profile'],
  ['ssl = { options = { "{% if x %}no_ticket{% endif %}" } }', 'ssl = { options = { "if x no_ticket" } }', 'unknown-flag'],
  ['ssl = { verify = "__VERIFY__" }', 'ssl = { verify = "VERIFY" }', 'unknown-flag'],
  ['ssl = { protocol = "<%= @protocol %>" }', 'ssl = { protocol = "@protocol" }', 'invalid-protocol'],
  ['ssl = { curveslist = "${CURVES}" }', 'ssl = { curveslist = "CURVES" }', 'unknown-curve'],
];

for (const [placeholder, literal, rule] of pairs) {
  test(`a placeholder is not judged: ${placeholder}`, () => {
    assert.ok(codes(literal + '\n').includes(rule), `${rule} reports the literal`);
    assert.deepEqual(codes(placeholder + '\n'), []);
  });
}

test('what counts as a placeholder', () => {
  for (const s of ['{{ x }}', 'a{{x}}b', '{%- if y -%}', '<%= z %>', '${A}', '/etc/__DOMAIN__/x.pem']) assert.ok(hasTemplatePlaceholder(s), s);
  // Prosody values that merely look alike: cipher strings, paths with $ or braces, Lua-ish names.
  for (const s of ['HIGH:!aNULL:@STRENGTH', '$HOME/cert.pem', '{domain}.crt', '__init', 'no_ticket', '__x__', '{ }']) assert.ok(!hasTemplatePlaceholder(s), s);
});

test('the outline shows a templated string as written (it is unknown to the rules, not secret)', () => {
  const doc = TextDocument.create(`file:///tpl/${++n}/prosody.cfg.lua`, 'prosody', 1, 'main_muc = "conference.{{ hote }}"\ncomponent_secret = "{{ secret }}"\n');
  const details = service.doDocumentSymbols(doc).map((s) => s.detail);
  assert.deepEqual(details, ['"conference.{{ hote }}"', '(hidden)']);
});
