// Accepting an ssl key's completion with its default choices must not write what the linter then reports: on every
// line, in a global `ssl = { }`, no key's default snippet raises an Error or a Warning.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { findValue, sslKeys } from '../../server/src/service/catalog';
import { PROSODY_LINES } from '../../server/src/service/catalog/versions';
import { applyItem, complete, service } from '../helpers/cursor';

let n = 0;

describe('default ssl key snippets', () => {
  for (const line of PROSODY_LINES) {
    it(`raise no Error or Warning in a global ssl table on ${line}`, () => {
      const { doc, items } = complete('ssl = { | }', line);
      const keys = items.filter((i) => sslKeys.some((k) => k.name === i.label));
      assert.ok(keys.length >= 10, `${keys.length} keys offered on ${line}`);
      const serious = (text: string): string[] =>
        service
          .doValidation(TextDocument.create(`file:///snippet-keys/${++n}/prosody.cfg.lua`, 'prosody', 1, text), { prosodyVersion: line })
          .filter((x) => x.severity === DiagnosticSeverity.Error || x.severity === DiagnosticSeverity.Warning)
          .map((x) => `${String(x.code)}: ${x.message}`);
      // What the empty table already gets (0.10/0.11: no `protocol`, so the default "tlsv1+") is not the snippet's doing.
      const before = new Set(serious('ssl = {  }'));
      for (const item of keys) {
        const text = applyItem(doc, item);
        assert.deepEqual(serious(text).filter((x) => !before.has(x)), [], `${line}: ${text}`);
      }
    });
  }

  it('on 0.9, whose user list replaces the default one, a flag list starts from every default flag that does something', () => {
    const { doc, items } = complete('ssl = { | }', '0.9');
    for (const key of sslKeys.filter((k) => k.merge === 'set' && Array.isArray(k.defaults['0.9']))) {
      const item = items.find((i) => i.label === key.name);
      assert.ok(item, key.name);
      const text = applyItem(doc, item);
      for (const flag of key.defaults['0.9'] as readonly string[]) {
        if (key.values && findValue(key.values, flag)?.noop) continue;
        assert.ok(text.includes(JSON.stringify(flag)), `${key.name} on 0.9 drops ${flag}: ${text}`);
      }
    }
  });
});
