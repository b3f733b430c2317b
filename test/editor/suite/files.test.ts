// File layer in a real editor: a certificate path is a document link to the file, and a missing relative key
// file gets a file-missing diagnostic. The material is made with openssl in the temp workspace copy.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { activateExtension, diagnosticsWhen, untilProvided, workspaceFile } from './util';

const CONFIG = 'ssl = {\n\tcertificate = "certs/example.org.crt";\n\tkey = "certs/missing.key";\n}\n';

suite('files', () => {
  suiteSetup(async () => {
    await activateExtension();
    const dir = workspaceFile('filecheck/certs').fsPath;
    fs.mkdirSync(dir, { recursive: true });
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'example.org.key', '-out', 'example.org.crt', '-subj', '/CN=example.org', '-days', '90'], { cwd: dir, stdio: 'ignore' });
    fs.rmSync(`${dir}/example.org.key`);
    fs.writeFileSync(workspaceFile('filecheck/prosody.cfg.lua').fsPath, CONFIG);
  });

  test('certificate path is a document link to the file; a missing relative key is a file diagnostic', async () => {
    const uri = workspaceFile('filecheck/prosody.cfg.lua');
    const missing = diagnosticsWhen(uri, (ds) => ds.some((d) => codeOf(d) === 'file-missing'), 'file-missing diagnostic');
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    assert.equal(doc.languageId, 'prosody');

    const link = await untilProvided(
      () => vscode.commands.executeCommand<vscode.DocumentLink[]>('vscode.executeLinkProvider', uri),
      (links) => links?.find((l) => doc.getText(l.range) === 'certs/example.org.crt'),
      'document link on the certificate path',
    );
    assert.equal(link.target?.fsPath, workspaceFile('filecheck/certs/example.org.crt').fsPath);
    assert.ok(fs.existsSync(link.target!.fsPath), 'the link points at the generated certificate');

    const fileDiags = (await missing).filter((d) => codeOf(d) === 'file-missing');
    assert.equal(fileDiags.length, 1, 'only the key is missing');
    assert.equal(doc.getText(fileDiags[0]!.range), '"certs/missing.key"');
    assert.equal(fileDiags[0]!.severity, vscode.DiagnosticSeverity.Warning);
  });
});

function codeOf(d: vscode.Diagnostic): string | undefined {
  const c = d.code;
  return typeof c === 'object' && c !== null ? String(c.value) : c === undefined ? undefined : String(c);
}
