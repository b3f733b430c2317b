// Completion inside an `ssl = { }` table comes from our language server (not snippets, not words).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, labelOf, openFixture, positionOf, untilProvided } from './util';

function complete(doc: vscode.TextDocument, at: vscode.Position): Thenable<vscode.CompletionList> {
  return vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, at);
}

/** Items that only the server can have produced: not snippets, and with a detail text. */
function serverItem(list: vscode.CompletionList, label: string): vscode.CompletionItem | undefined {
  return list.items.find(
    (i) => labelOf(i) === label && i.kind !== vscode.CompletionItemKind.Snippet && typeof i.detail === 'string' && i.detail.trim() !== '',
  );
}

suite('completion', () => {
  suiteSetup(activateExtension);

  test('ssl table keys protocol and certificate are offered with server detail', async () => {
    const doc = await openFixture('prosody.cfg.lua');
    // The empty line after `ciphers = ...;` inside the global ssl table.
    const line = positionOf(doc, 'ciphers =').line + 1;
    assert.equal(doc.lineAt(line).text.trim(), '', 'fixture: expected an empty line inside the ssl table');
    const at = new vscode.Position(line, doc.lineAt(line).text.length);
    const list = await untilProvided(
      () => complete(doc, at),
      (l) => (serverItem(l, 'protocol') ? l : undefined),
      'completion of `protocol` inside ssl = { }',
    );
    const protocol = serverItem(list, 'protocol');
    const certificate = serverItem(list, 'certificate');
    assert.ok(protocol, 'protocol item with detail');
    assert.ok(certificate, `certificate item with detail among ${list.items.map(labelOf).join(', ')}`);
    assert.notEqual(protocol.detail, certificate.detail, 'each key has its own detail text');
  });

  test('ssl keys are not offered outside the ssl table', async () => {
    const doc = await openFixture('prosody.cfg.lua');
    // Wait until the server answers inside the table, so an empty answer below cannot mean "not started yet".
    const inside = positionOf(doc, 'ciphers =');
    await untilProvided(
      () => complete(doc, inside),
      (l) => (l.items.length > 0 ? l : undefined),
      'any completion inside ssl = { }',
    );
    // Start of the `admins = ...` line: top level of the file.
    const top = positionOf(doc, 'admins =');
    const list = await complete(doc, top);
    assert.equal(serverItem(list, 'certificate'), undefined, 'certificate is an ssl-table key, not a top-level setting');
    assert.equal(serverItem(list, 'protocol'), undefined, 'protocol is an ssl-table key, not a top-level setting');
  });

  test('values inside a string: protocols replace exactly the string content', async () => {
    const doc = await openFixture('prosody.cfg.lua');
    // Inside "tlsv1_2+" of the host's ssl table, right after the opening quote.
    const at = positionOf(doc, '"tlsv1_2+"', 1);
    const list = await untilProvided(
      () => complete(doc, at),
      (l) => (serverItem(l, 'tlsv1_3') ? l : undefined),
      'completion of protocol values inside the string',
    );
    const item = serverItem(list, 'tlsv1_3')!;
    const range = item.range instanceof vscode.Range ? item.range : item.range?.replacing;
    assert.ok(range, 'the item carries its own range');
    assert.equal(doc.getText(range), 'tlsv1_2+', 'the edit replaces the whole string content, not the quotes');
    assert.ok(!serverItem(list, 'certificate'), 'keys are not offered inside a value string');
  });
});

