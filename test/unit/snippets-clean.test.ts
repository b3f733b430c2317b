// Every snippet, expanded as a user accepting its defaults gets it, must raise no diagnostic at all (Prosody 13.0).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { createLanguageService } from '../../server/src/service';
import { expandSnippet, readSnippets } from '../helpers/snippets';

const service = createLanguageService();
const snippets = readSnippets();

test('there are snippets to check', () => {
  assert.ok(snippets.length >= 3, `${snippets.length} snippets`);
});

for (const s of snippets) {
  test(`snippet "${s.name}" gets no diagnostics`, () => {
    const text = expandSnippet(s.body);
    const doc = TextDocument.create(`file:///snippets/${encodeURIComponent(s.name)}/prosody.cfg.lua`, 'prosody', 1, text);
    const diags = service.doValidation(doc, { prosodyVersion: '13.0' });
    assert.deepEqual(diags.map((d) => `${String(d.code)} @${JSON.stringify(doc.getText(d.range))}: ${String(d.message)}`), [], text);
  });
}
