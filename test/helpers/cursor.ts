// Cursor-marker helpers: write a document with `|` where the cursor is, run a feature, and compare
// the whole text after applying an item's edits (catches range bugs that label checks miss).

import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CompletionItem, TextEdit } from 'vscode-languageserver-types';
import { createLanguageService, type LanguageService, type ServiceSettings } from '../../server/src/service';
import type { ProsodyLine } from '../../server/src/service/catalog/versions';

export const service: LanguageService = createLanguageService();
let counter = 0;

export function docWithCursor(marked: string, marker = '|'): { doc: TextDocument; offset: number } {
  const offset = marked.indexOf(marker);
  if (offset < 0) throw new Error('no cursor marker in test text');
  const text = marked.slice(0, offset) + marked.slice(offset + marker.length);
  return { doc: TextDocument.create(`file:///test/${++counter}/prosody.cfg.lua`, 'prosody', 1, text), offset };
}

export function settings(line: ProsodyLine = '13.0'): ServiceSettings {
  return { prosodyVersion: line };
}

export function complete(marked: string, line?: ProsodyLine, marker?: string): { doc: TextDocument; items: CompletionItem[] } {
  const { doc, offset } = docWithCursor(marked, marker);
  return { doc, items: service.doComplete(doc, doc.positionAt(offset), settings(line)).items };
}

export function labels(marked: string, line?: ProsodyLine): string[] {
  return complete(marked, line).items.map((i) => i.label);
}

/** Snippet syntax → the text a user sees after accepting with defaults: ${1:x} → x, ${1|a,b|} → a, $1 → ''. */
export function stripSnippet(s: string): string {
  let prev;
  do {
    prev = s;
    s = s.replace(/\$\{\d+\|([^,|}]*)[^}]*\|\}/g, '$1').replace(/\$\{\d+:([^{}]*)\}/g, '$1').replace(/\$\{\d+\}/g, '').replace(/\$\d+/g, '');
  } while (s !== prev);
  return s;
}

/** Applies a completion item (main edit + additional edits) and returns the new text. */
export function applyItem(doc: TextDocument, item: CompletionItem): string {
  const edits: TextEdit[] = [];
  const main = item.textEdit;
  if (!main || !('range' in main)) throw new Error(`item ${item.label} has no plain textEdit`);
  edits.push({ range: main.range, newText: item.insertTextFormat === 2 ? stripSnippet(main.newText) : main.newText });
  for (const e of item.additionalTextEdits ?? []) edits.push(e);
  return TextDocument.applyEdits(doc, edits);
}

/** Completes at the marker, picks the item with `label`, applies it, returns the resulting text. */
export function completeAndApply(marked: string, label: string, line?: ProsodyLine): string {
  const { doc, items } = complete(marked, line);
  const item = items.find((i) => i.label === label);
  if (!item) throw new Error(`no completion '${label}' at marker; got: ${items.map((i) => i.label).join(', ') || '(none)'}`);
  return applyItem(doc, item);
}

export function hoverText(marked: string, line?: ProsodyLine): string | undefined {
  const { doc, offset } = docWithCursor(marked);
  const h = service.doHover(doc, doc.positionAt(offset), settings(line));
  if (!h) return undefined;
  const c = h.contents as { value: string };
  return c.value;
}
