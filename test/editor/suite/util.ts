// Shared helpers for the editor suite: fixture documents and waiting on the language server.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'prosody-ssl.prosody-ssl';
/** Generous: the language server starts asynchronously after activation, on a slow 2-core machine. */
export const SERVER_TIMEOUT_MS = 60_000;

export function workspaceFile(relative: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the editor was opened without the fixture workspace folder');
  return vscode.Uri.joinPath(folder.uri, ...relative.split('/'));
}

export async function openFixture(relative: string): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument(workspaceFile(relative));
  await vscode.window.showTextDocument(doc);
  return doc;
}

/** Position just after the first occurrence of `needle` on the line that contains it (plus `offset`). */
export function positionOf(doc: vscode.TextDocument, needle: string, offset = 0): vscode.Position {
  const index = doc.getText().indexOf(needle);
  assert.ok(index >= 0, `fixture ${doc.uri.path} does not contain ${JSON.stringify(needle)}`);
  return doc.positionAt(index + offset);
}

export async function activateExtension(): Promise<void> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not loaded`);
  await ext.activate();
}

/**
 * Asks a provider command until `accept` returns a value. Needed only because the client registers its
 * providers once the server process has started, and no public event says when that happened.
 */
export async function untilProvided<T, R>(
  ask: () => Thenable<T>,
  accept: (answer: T) => R | undefined,
  what: string,
): Promise<R> {
  const deadline = Date.now() + SERVER_TIMEOUT_MS;
  let last: T | undefined;
  for (;;) {
    last = await ask();
    const ok = accept(last);
    if (ok !== undefined) return ok;
    if (Date.now() > deadline) {
      assert.fail(`${what}: no acceptable answer within ${SERVER_TIMEOUT_MS} ms; last answer: ${describe(last)}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Resolves with the diagnostics of `uri` as soon as they satisfy `accept` (checked now and on every change). */
export function diagnosticsWhen(
  uri: vscode.Uri,
  accept: (diagnostics: readonly vscode.Diagnostic[]) => boolean,
  what: string,
): Promise<readonly vscode.Diagnostic[]> {
  return new Promise((resolve, reject) => {
    const check = (): boolean => {
      const current = vscode.languages.getDiagnostics(uri);
      if (!accept(current)) return false;
      cleanup();
      resolve(current);
      return true;
    };
    const subscription = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === uri.toString())) check();
    });
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`${what}: not seen within ${SERVER_TIMEOUT_MS} ms; now: ${describe(vscode.languages.getDiagnostics(uri))}`));
    }, SERVER_TIMEOUT_MS);
    function cleanup(): void {
      clearTimeout(timer);
      subscription.dispose();
    }
    check();
  });
}

export function labelOf(item: vscode.CompletionItem): string {
  return typeof item.label === 'string' ? item.label : item.label.label;
}

export function hoverText(hovers: readonly vscode.Hover[]): string {
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : c.value))
    .join('\n');
}

function describe(value: unknown): string {
  const text = JSON.stringify(value, (_k, v: unknown) => v, 0) ?? String(value);
  return text.length > 600 ? `${text.slice(0, 600)}…` : text;
}
