// `.prosody-ssl.json` and the editor's settings share one reader (parseSettingsObject): the same spellings pass, the
// same problems are named.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { getRule, rules } from '../../server/src/service/rules';
import { parseSettingsObject, parseSettingsText } from '../../server/src/service/settingsFile';

test('a release or "13" names its line, as --prosody-version and the version comment do', () => {
  for (const [given, line] of [['0.12.4', '0.12'], ['13', '13.0'], ['13.0.1', '13.0'], ['0.9', '0.9']] as const) {
    const r = parseSettingsText(JSON.stringify({ prosodyVersion: given }), 's.json');
    assert.ok(r.ok);
    assert.equal(r.settings.prosodyVersion, line, given);
    assert.deepEqual(r.warnings, []);
  }
  const bad = parseSettingsText(JSON.stringify({ prosodyVersion: '0.8' }), 's.json');
  assert.ok(bad.ok && bad.settings.prosodyVersion === undefined);
  assert.match(bad.warnings.join('\n'), /s\.json: "prosodyVersion" must be one of .*got "0\.8"/);
});

test('the editor section is not warned about its other fields; unknown rule ids are, and kept', () => {
  const r = parseSettingsObject({ trace: { server: 'off' }, rules: { 'protocol-exact-tls12': 'off', 'unsafe-protocol': 'loud' } }, 'prosodySsl settings', false);
  assert.deepEqual(r.warnings, [
    'prosodySsl settings: unknown rule "protocol-exact-tls12"',
    'prosodySsl settings: rule "unsafe-protocol": severity must be one of error, warning, information, hint, off; got "loud"',
  ]);
  assert.deepEqual(r.settings.rules, { 'protocol-exact-tls12': 'off' });
  const file = parseSettingsText(JSON.stringify({ trace: 1 }), 'f.json');
  assert.ok(file.ok);
  assert.match(file.warnings.join('\n'), /f\.json: unknown field "trace"/, 'a settings file is');
});

test('the rule ids in the rules setting\'s own example are real rules', () => {
  const pkg = JSON.parse(readFileSync(path.join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as { contributes: { configuration: { properties: Record<string, { markdownDescription?: string }> } } };
  const text = pkg.contributes.configuration.properties['prosodySsl.rules']!.markdownDescription!;
  const ids = [...text.matchAll(/"([a-z0-9-]+)": "(?:error|warning|information|hint|off)"/g)].map((m) => m[1]!);
  assert.ok(ids.length >= 2, text);
  for (const id of ids) assert.ok(getRule(id), `${id} is a rule`);
});

test('the rules setting\'s schema names every rule id, so VS Code completes them and marks a misspelt one (a reviewer)', () => {
  const pkg = JSON.parse(readFileSync(path.join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as { contributes: { configuration: { properties: Record<string, { propertyNames?: { enum?: string[] } }> } } };
  // Written by scripts/generate-rules-reference.ts (npm run generate) from the rule table.
  assert.deepEqual(pkg.contributes.configuration.properties['prosodySsl.rules']!.propertyNames?.enum, rules.map((r) => r.id));
});
