// Document symbols: one per VirtualHost / Component section (with its settings as children), so
// the Outline view and breadcrumbs work in configs with hundreds of hosts. Sections come from the
// tolerant outline, so they exist while the file does not parse; settings come from the parse.

import type { TextDocument } from 'vscode-languageserver-textdocument';
import { SymbolKind, type DocumentSymbol } from 'vscode-languageserver-types';
import { getOption } from './catalog';
import type { ConfigDocument } from './model/document';
import type { Setting } from './model/parse';
import { sectionAt } from './model/structure';
import { shownName } from './model/secrets';
import { renderValue } from './model/values';

/**
 * How many symbols one answer holds at most, as VS Code's JSON server caps its outline (`json.maxItemsComputed`):
 * a 5 MB config of 31 000 hosts answered 16 MB of JSON on every pause in typing (a reviewer).
 */
export const SYMBOL_LIMIT = 5000;

export interface SymbolsContext {
  readonly resultLimit?: number;
  /** Called when the answer was cut at the limit. */
  readonly onResultLimitExceeded?: (uri: string) => void;
}

/**
 * Sections and global settings first, then each section's settings while the limit allows, so a cut answer still
 * lists every host it can (the JSON server fills its outline breadth-first for the same reason).
 */
export function doDocumentSymbols(doc: TextDocument, model: ConfigDocument, context: SymbolsContext = {}): DocumentSymbol[] {
  const limit = context.resultLimit ?? SYMBOL_LIMIT;
  let budget = limit;
  const text = model.text;
  const sections = model.outline.sections;
  const pos = (o: number) => doc.positionAt(o);
  // Settings as their chunks last placed them: each offset read from one is moved by its section's shift.
  const placed = model.configIsCurrent ? model.placed : undefined;
  const settings = placed?.config.settings ?? [];
  // Group settings by the outline section they stand in, in one pass.
  const bySection = new Map<number, Array<{ s: Setting; d: number }>>();
  for (const s of settings) {
    const d = placed!.shift(s.section);
    const idx = sectionAt(model.outline, s.range[0] + d);
    const list = bySection.get(idx);
    if (list) list.push({ s, d });
    else bySection.set(idx, [{ s, d }]);
  }
  const children = (idx: number): DocumentSymbol[] =>
    (bySection.get(idx) ?? []).slice(0, Math.max(0, budget)).map(({ s, d }) => {
        budget--;
        const opt = getOption(s.name);
        return {
          name: s.name,
          detail: renderValue(s.value, 60, s.name),
          kind: opt?.kind === 'ssl-table' ? SymbolKind.Struct : s.value.kind === 'table' ? SymbolKind.Array : SymbolKind.Property,
          range: { start: pos(s.range[0] + d), end: pos(s.range[1] + d) },
          selectionRange: { start: pos(s.nameRange[0] + d), end: pos(s.nameRange[1] + d) },
        };
      });

  const out: DocumentSymbol[] = children(0);
  const hosts: Array<[DocumentSymbol, number]> = [];
  for (let i = 1; i < sections.length && budget > 0; i++) {
    budget--;
    const sec = sections[i]!;
    // A table-form section ends with its options; what follows is global again.
    const end = sec.globalFrom ?? (i + 1 < sections.length ? trimEnd(text, sections[i + 1]!.start) : text.length);
    out.push({
      // VS Code rejects the whole answer for one symbol with an empty name (`VirtualHost ""` while it is typed).
      name: sec.name === undefined ? '(computed name)' : sec.name.trim() === '' ? '(empty name)' : shownName(sec.name),
      detail: sec.kind === 'host' ? 'VirtualHost' : `Component${sec.module ? ` (${shownName(sec.module)})` : ''}`,
      kind: sec.kind === 'host' ? SymbolKind.Namespace : SymbolKind.Module,
      range: { start: pos(sec.start), end: pos(Math.max(end, sec.headerEnd)) },
      selectionRange: { start: pos(sec.start), end: pos(sec.headerEnd) },
      children: [],
    });
    hosts.push([out[out.length - 1]!, i]);
  }
  for (const [sym, i] of hosts) sym.children = children(i);
  if (settings.length + sections.length - 1 > limit) context.onResultLimitExceeded?.(doc.uri);
  return out;
}

/** The end of the last non-blank text before `offset`, so a section's range does not swallow blank lines. */
function trimEnd(text: string, offset: number): number {
  let i = offset;
  while (i > 0 && /\s/.test(text[i - 1]!)) i--;
  return i;
}
