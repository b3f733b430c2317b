// Hovering an ssl key shows the server's markdown documentation for it.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, hoverText, openFixture, positionOf, untilProvided } from './util';

suite('hover', () => {
  suiteSetup(activateExtension);

  test('hover on the key `protocol` documents it', async () => {
    const doc = await openFixture('prosody.cfg.lua');
    const at = positionOf(doc, 'protocol =', 3); // inside the word
    const hovers = await untilProvided(
      () => vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, at),
      (h) => (hoverText(h).trim() !== '' ? h : undefined),
      'hover on protocol',
    );
    const text = hoverText(hovers);
    assert.match(text, /protocol/i);
    assert.ok(
      hovers.some((h) => h.contents.some((c) => c instanceof vscode.MarkdownString)),
      'hover content is markdown',
    );
    // A range, when given, covers the hovered position.
    const range = hovers.find((h) => h.range)?.range;
    if (range) assert.ok(range.contains(at), `hover range ${JSON.stringify(range)} does not cover the key`);
  });
});
