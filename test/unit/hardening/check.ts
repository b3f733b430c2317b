// Shared checks for the hardening and property tests: run every request at an offset, and assert
// that every range an answer carries lies inside the document.
import * as assert from 'node:assert/strict';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, CompletionList, Diagnostic, Hover, Range } from 'vscode-languageserver-types';
import { DEFAULT_SETTINGS, type LanguageService } from '../../../server/src/service';

export function timed<T>(fn: () => T): { ms: number; value: T } {
  const t = performance.now();
  const value = fn();
  return { ms: performance.now() - t, value };
}

/** The range is well-formed and within the text: start <= end <= end of document, in UTF-16 offsets. */
export function assertInside(doc: TextDocument, r: Range, what: string): void {
  const len = doc.getText().length;
  const s = doc.offsetAt(r.start);
  const e = doc.offsetAt(r.end);
  // offsetAt clamps; compare back so an out-of-range line/character is caught too.
  assert.deepEqual(doc.positionAt(s), r.start, `${what}: start ${JSON.stringify(r.start)} is outside the document`);
  assert.deepEqual(doc.positionAt(e), r.end, `${what}: end ${JSON.stringify(r.end)} is outside the document`);
  assert.ok(s <= e && e <= len, `${what}: bad range ${JSON.stringify(r)}`);
}

export interface Answers {
  completion: CompletionList;
  hover: Hover | null;
  diagnostics: Diagnostic[];
  actions: CodeAction[];
}

/** Completion, hover, diagnostics and code actions at `offset`; asserts every range is inside the document. */
export function everyRequest(service: LanguageService, doc: TextDocument, offset: number): Answers {
  const pos = doc.positionAt(offset);
  const completion = service.doComplete(doc, pos, DEFAULT_SETTINGS);
  for (const item of completion.items) {
    const te = item.textEdit;
    if (te && 'range' in te) assertInside(doc, te.range, `completion ${item.label}`);
    if (te && 'insert' in te) {
      assertInside(doc, te.insert, `completion ${item.label} insert`);
      assertInside(doc, te.replace, `completion ${item.label} replace`);
    }
    for (const a of item.additionalTextEdits ?? []) assertInside(doc, a.range, `completion ${item.label} additional edit`);
  }
  const hover = service.doHover(doc, pos, DEFAULT_SETTINGS);
  if (hover?.range) assertInside(doc, hover.range, 'hover');
  const diagnostics = service.doValidation(doc, DEFAULT_SETTINGS);
  const near = diagnostics.filter((d) => doc.offsetAt(d.range.start) <= offset && offset <= doc.offsetAt(d.range.end));
  const actions = service.doCodeActions(doc, near);
  for (const a of actions) {
    for (const edits of Object.values(a.edit?.changes ?? {})) for (const e of edits) assertInside(doc, e.range, `code action ${a.title}`);
  }
  return { completion, hover, diagnostics, actions };
}
