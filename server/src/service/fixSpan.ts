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

/**
 * Whether these edits (one fix's, in the coordinates of the text they were made for) have been applied to `doc`
 * already: each new text stands where it would land. The span can still hold then, when the edit inserts at its
 * edge or renames to a longer name, and a client asking with the diagnostics of before the fix, as it may until
 * the next publication, got it again (a reviewer: a second `Add "no_sslv3"` gave `{ "no_sslv3"  "no_sslv3" }`, a
 * syntax error; `https_portss`). Removals say nothing here: the span tells those.
 */
export function alreadyApplied(doc: TextDocument, edits: ReadonlyArray<{ readonly range: LspRange; readonly newText: string }>): boolean {
  const text = doc.getText();
  const sorted = edits.map((e) => ({ s: doc.offsetAt(e.range.start), t: doc.offsetAt(e.range.end), n: e.newText })).sort((a, b) => a.s - b.s);
  let delta = 0;
  let inserts = 0;
  for (const { s, t, n } of sorted) {
    if (n) {
      inserts++;
      if (text.slice(s + delta, s + delta + n.length) !== n) return false;
      // A replacement can read as done only where its new text begins with what it replaces (a longer name): else
      // the text it replaces is still there, which the span vouches for (a reviewer: `tls_profiles` → `tls_profile`
      // and ` = ` → ` ` were never offered, their new text already standing at the start).
      if (t > s && !n.startsWith(text.slice(s + delta, t + delta))) return false;
    }
    delta += n.length - (t - s);
  }
  return inserts > 0;
}
