// A quick fix's edits are computed for one version of the text and carried in diagnostic.data; a client may
// ask for code actions with diagnostics from before its last edit (VS Code keeps the markers moving, not the
// edits inside data). The fix records a hash of the text it spans, and is offered only while that text is still
// where it was: an edit above it or inside it changes what is there.

import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Range as LspRange } from 'vscode-languageserver-types';

export interface FixSpan {
  readonly range: LspRange;
  readonly hash: number;
}

/** FNV-1a over UTF-16 code units, with the length: enough to tell "the same text" from an edit, not a digest. */
function textHash(text: string): number {
  let h = 0x811c9dc5 ^ text.length;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** The span from `start` to `end` (offsets) of this version. */
export function fixSpan(doc: TextDocument, start: number, end: number): FixSpan {
  return { range: { start: doc.positionAt(start), end: doc.positionAt(end) }, hash: textHash(doc.getText().slice(start, end)) };
}

/** Whether the text a fix was computed on is still at its place in `doc`. */
export function spanHolds(doc: TextDocument, span: FixSpan): boolean {
  return textHash(doc.getText(span.range)) === span.hash;
}
