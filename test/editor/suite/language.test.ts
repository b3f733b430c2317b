// The manifest's language contribution reaches a real editor: file names and patterns map to `prosody`.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, EXTENSION_ID, openFixture } from './util';

suite('language id', () => {
  test('prosody.cfg.lua from the workspace opens as prosody', async () => {
    const doc = await openFixture('prosody.cfg.lua');
    assert.equal(doc.languageId, 'prosody');
  });

  test('conf.d/*.cfg.lua matches the file-name pattern', async () => {
    const doc = await openFixture('conf.d/broken.cfg.lua');
    assert.equal(doc.languageId, 'prosody');
  });

  test('the extension activates for a prosody document', async () => {
    await openFixture('prosody.cfg.lua');
    await activateExtension();
    assert.equal(vscode.extensions.getExtension(EXTENSION_ID)?.isActive, true);
  });
});
