// Every snippet, expanded as a user accepting its defaults gets it, must raise no diagnostic at all (Prosody 13.0).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { createLanguageService } from '../../server/src/service';
import * as path from 'node:path';
import { expandSnippet, readSnippetFile, readSnippets, REPO_ROOT, snippetChoices } from '../helpers/snippets';

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

// VS Code offers these anywhere, on every line: each choice, on every line from 0.10 (c2s_ssl and s2s_ssl came then,
// as their descriptions say), must draw no Error or Warning (a reviewer: "tlsv1_3+" is an Error on 0.10). No rule
// judges module names: component-tls's description says http_file_share needs 0.12.
for (const s of readSnippetFile(path.join(REPO_ROOT, 'snippets/statements.json'))) {
  test(`snippet "${s.name}": every choice is clean on 0.10 to 13.0`, () => {
    const picks = [undefined, ...snippetChoices(s.body).flatMap((c) => c.choices.map((choice) => ({ index: c.index, choice })))];
    for (const pick of picks) {
      const text = expandSnippet(s.body, (i, choices) => (pick && i === pick.index ? pick.choice : choices[0] ?? ''));
      for (const line of ['0.10', '0.11', '0.12', '13.0'] as const) {
        const doc = TextDocument.create(`file:///snippets/any/${encodeURIComponent(s.name)}/${line}/prosody.cfg.lua`, 'prosody', 1, text);
        const bad = service.doValidation(doc, { prosodyVersion: line }).filter((d) => d.severity === 1 || d.severity === 2);
        assert.deepEqual(bad.map((d) => `${String(d.code)}: ${String(d.message)}`), [], `${line}: ${text}`);
      }
    }
  });
}
