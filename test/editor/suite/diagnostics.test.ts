// Broken Lua gets a syntax-error diagnostic from the server, and fixing the text clears it.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, diagnosticsWhen, workspaceFile } from './util';

const ours = (d: vscode.Diagnostic): boolean => d.source === 'prosody-ssl';
const isError = (d: vscode.Diagnostic): boolean => ours(d) && d.severity === vscode.DiagnosticSeverity.Error;

suite('diagnostics', () => {
  suiteSetup(activateExtension);

  test('an unclosed ssl table is reported as an error, and closing it clears the report', async () => {
    const uri = workspaceFile('conf.d/broken.cfg.lua');
    const reported = diagnosticsWhen(uri, (ds) => ds.some(isError), 'syntax error diagnostic');
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    assert.equal(doc.languageId, 'prosody');
    const errors = (await reported).filter(isError);
    assert.ok(errors.length >= 1);
    for (const e of errors) {
      assert.ok(e.message.trim().length > 0, 'error has a message');
      assert.ok(e.range.start.line < doc.lineCount, 'error range lies inside the document');
    }

    // Close the table; the syntax error must go away (other, semantic findings may remain).
    const messages = new Set(errors.map((e) => e.message));
    const cleared = diagnosticsWhen(uri, (ds) => !ds.some((d) => isError(d) && messages.has(d.message)), 'syntax error cleared');
    const edit = new vscode.WorkspaceEdit();
    edit.insert(uri, doc.lineAt(doc.lineCount - 1).range.end, '\n\t}\n');
    assert.equal(await vscode.workspace.applyEdit(edit), true);
    await cleared;
  });
});
