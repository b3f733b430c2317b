// Quick fixes: the edits a rule computed when it found the problem (carried in diagnostic.data),
// plus "disable for this line" for every rule, which inserts a suppression comment above the line (not offered
// where the line begins inside a multi-line string, where the comment would become part of the string).

import type { TextDocument } from 'vscode-languageserver-textdocument';
import { CodeActionKind, type CodeAction, type Diagnostic, type TextEdit } from 'vscode-languageserver-types';
import { DIAGNOSTIC_SOURCE } from './diagnostics';
import { alreadyApplied, spanHolds, type FixSpan } from './fixSpan';
import { joinableDirectiveEnd } from './suppression';
import type { ConfigDocument } from './model/document';
import { tokenAt } from './model/tokenize';

interface FixData {
  readonly fixes?: ReadonlyArray<{ readonly title: string; readonly preferred?: boolean; readonly edits: TextEdit[] }>;
  readonly span?: FixSpan;
  /** The places the fixes depend on (Finding.dependsOn, diagnostics.ts fixData). */
  readonly also?: readonly FixSpan[];
}

export function doCodeActions(doc: TextDocument, model: ConfigDocument, diagnostics: readonly Diagnostic[]): CodeAction[] {
  const actions: CodeAction[] = [];
  const disabled = new Set<string>();
  for (const d of diagnostics) {
    if (d.source !== DIAGNOSTIC_SOURCE || typeof d.code !== 'string') continue;
    const data = d.data as FixData | undefined;
    // Computed for a text that has changed since (a diagnostic from before the last edit): its edits would land
    // in the wrong place, or a place it depends on is gone. The fixes come back with the next diagnostics.
    const current = !data?.span || (spanHolds(doc, data.span) && (data.also ?? []).every((x) => spanHolds(doc, x)));
    for (const fix of current ? (data?.fixes ?? []) : []) {
      if (alreadyApplied(doc, fix.edits)) continue;
      actions.push({ title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [d], isPreferred: fix.preferred || undefined, edit: { changes: { [doc.uri]: fix.edits } } });
    }
    const key = `${d.code}@${d.range.start.line}`;
    // The comment goes above the marker's line (clients move markers with edits), but only a line this text has (a
    // reviewer: a stale or forged diagnostic put it at line 1e9, or after lines since deleted).
    const line = d.range.start.line;
    const onText = Number.isInteger(line) && line >= 0 && line < doc.lineCount;
    if (onText && d.code !== 'syntax-error' && !disabled.has(key) && !startsInsideToken(doc, model, line)) {
      disabled.add(key);
      actions.push({ title: `Disable ${d.code} for this line`, kind: CodeActionKind.QuickFix, diagnostics: [d], edit: { changes: { [doc.uri]: [disableLineEdit(doc, d.range.start.line, d.code)] } } });
    }
  }
  return actions;
}

/**
 * The line begins inside a string or comment opened on an earlier line (`[[` … `]]`): a comment inserted there
 * would become part of the string, so no "disable for this line" is offered for it.
 */
function startsInsideToken(doc: TextDocument, model: ConfigDocument, line: number): boolean {
  if (line === 0) return false;
  const start = doc.offsetAt({ line, character: 0 });
  const { tokens } = model.outline;
  const i = tokenAt(tokens, start);
  return i >= 0 && tokens.start(i) < start;
}

/** `-- prosody-ssl: disable-next-line <id>` above the line, with the line's own indentation and line ending. */
function disableLineEdit(doc: TextDocument, line: number, rule: string): TextEdit {
  const text = doc.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } });
  const indent = /^[ \t]*/.exec(text)![0];
  // The last line has no ending of its own: the one before it then says what this file uses.
  const before = line > 0 ? doc.getText({ start: { line: line - 1, character: 0 }, end: { line, character: 0 } }) : '';
  // A directive above already names rules for this line: the id joins its list (one comment, not a stack of them).
  const end = joinableDirectiveEnd(before);
  if (end !== undefined) {
    const at = { line: line - 1, character: end };
    return { range: { start: at, end: at }, newText: `, ${rule}` };
  }
  const eol = lineEnding(text) ?? lineEnding(before) ?? '\n';
  return { range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: `${indent}-- prosody-ssl: disable-next-line ${rule}${eol}` };
}

function lineEnding(lineText: string): string | undefined {
  return /(\r\n|\r|\n)$/.exec(lineText)?.[1];
}
