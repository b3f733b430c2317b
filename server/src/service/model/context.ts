// What the cursor is on, read from the tolerant outline so it works in any text: an option name at
// statement level, a key inside a TLS table, a value (in a string or not), or a list item/flag.
// Completion and hover are both built on this.

import { getOption, getSslKey, isSslTableOption } from '../catalog';
import type { Token, TokenList } from './tokenize';
import { endsValue, isBracketedKeyTyped, longBracketAt, nextSignificant, prevSignificant, tokenAt, tokenBefore } from './tokenize';
import { INCLUDE_WORDS, SECTION_WORDS } from './sectionWords';
import { frameAt, sectionAt, type Outline, type OutlineFrame, type SectionKind } from './structure';
import { perPortIn } from './tls';
import type { Range } from './values';

/** Where a TLS-related table sits: which option holds it and which ssl key (if any) it is the value of. */
export interface TableContext {
  readonly frame: OutlineFrame;
  /** Top-level option the table belongs to (`ssl`, `c2s_ssl`, `https_ssl`, …). */
  readonly option: string;
  /** The table is an ssl-type table (keys are SslKeys): the option's own table or a per-port/interface sub-table. */
  readonly isSslTable: boolean;
  /** The table is the value of this ssl key (e.g. `options`, `verify`, `curveslist`). */
  readonly sslKey?: string;
  /** Per-port or per-interface sub-table key, if the ssl table is one. */
  readonly sub?: string;
  /** The sub-table's key is a number (`[5223] = { … }`), which 13.0's sslconfig throws on. */
  readonly subIsNumber?: boolean;
}

export interface StringSlot {
  readonly token: Token;
  /**
   * Content range, to be replaced by a value completion. In an unclosed string (whose content runs to the line's
   * or the text's end) it ends with the run of characters at the cursor, so `"tlsv1| }` keeps its ` }`.
   */
  readonly contentRange: Range;
  readonly closed: boolean;
  /** What closes the string when it is not closed (`"`, `'`, `]==]`); '' when it is. */
  readonly closing: string;
}

/** The slot of string token `t` for a cursor at `offset`. */
function stringSlot(text: string, t: Token, offset: number): StringSlot | undefined {
  const open = text.charAt(t.start);
  const long = open === '[' ? longBracketAt(text, t.start) : undefined;
  const closing = long ? long.close : open;
  if (offset < t.contentStart) {
    // Inside `[[` itself, or after it and before the line break Lua skips there (the value starts on the next
    // line). A range from there would not hold the cursor, as LSP requires (a reviewer); inserting at the cursor
    // would join the value to the next line's text, or split the opener (a second reviewer). Only an unclosed
    // string right after its opener takes the value at the cursor, closed.
    if (t.closed || !long || offset < long.contentStart) return undefined;
    return { token: t, contentRange: [offset, offset], closed: false, closing };
  }
  let end = offset;
  while (end < t.contentEnd && !/[\s,;{}()]/.test(text[end]!)) end++;
  if (t.closed && !(end < t.contentEnd && misPaired(text, t, end))) return { token: t, contentRange: [t.contentStart, t.contentEnd], closed: true, closing: '' };
  return { token: t, contentRange: [t.contentStart, end], closed: false, closing };
}

/**
 * A quoted string being typed whose quote was paired with the next one on the line: `"tls|, ciphers = "HIGH" }`
 * reads as the string `tls, ciphers = ` followed by `HIGH`. Replacing its whole content would delete what the user
 * wrote after the cursor (a reviewer), so it is completed as the unclosed string it is. Told by what follows the
 * word at the cursor (`rest` from `end`): a name right after the closing quote (never valid Lua), or an assignment
 * or a comment inside.
 */
function misPaired(text: string, t: Token, end: number): boolean {
  const open = text.charAt(t.start);
  if (open !== '"' && open !== "'") return false;
  if (/\w/.test(text.charAt(t.end))) return true;
  return /(^|[\s,;{])[A-Za-z_]\w*\s*=(?!=)|--/.test(text.slice(end, t.contentEnd));
}

export type CursorContext =
  | { readonly kind: 'none' }
  | { readonly kind: 'option-name'; readonly section: SectionKind; readonly word: Range; readonly hasEquals: boolean; readonly assigned: ReadonlySet<string> }
  | { readonly kind: 'option-value'; readonly option: string; readonly section: SectionKind; readonly word: Range; readonly inString?: StringSlot; readonly nameRange: Range }
  | { readonly kind: 'table-key'; readonly table: TableContext; readonly word: Range; readonly hasEquals: boolean; readonly present: ReadonlySet<string>; readonly separatorAfter?: number }
  | { readonly kind: 'table-value'; readonly table: TableContext; readonly key: string; readonly keyRange: Range; readonly word: Range; readonly inString?: StringSlot }
  | { readonly kind: 'table-item'; readonly table: TableContext; readonly word: Range; readonly inString?: StringSlot; readonly present: ReadonlySet<string>; readonly mapStyle: boolean };

// Words after which a statement starts (`end`, `true`, `false` and `nil` also end a value: endsValue).
const STATEMENT_KEYWORDS = new Set(['then', 'do', 'else', 'repeat']);
const HEADER_WORDS: ReadonlySet<string> = new Set([...SECTION_WORDS.keys(), ...INCLUDE_WORDS]);

export function cursorContext(outline: Outline, offset: number): CursorContext {
  const { tokens, text } = outline;
  offset = Math.max(0, Math.min(offset, text.length));
  const at = tokenAt(tokens, offset);
  const atTok = at >= 0 ? tokens.at(at) : undefined;
  const ending = tokenBefore(tokens, offset);
  const endTok = ending >= 0 ? tokens.at(ending) : undefined;

  // Comments: inside, or right at the end of a line comment (or an unclosed long one).
  if (atTok?.kind === 'comment' && offset > atTok.start) return { kind: 'none' };
  if (endTok?.kind === 'comment' && endTok.end === offset) {
    const long = /^--\[=*\[/.test(text.slice(endTok.start, endTok.start + 12));
    if (!long || !endTok.closed) return { kind: 'none' };
  }

  // The token the user is "in": a string (cursor inside its delimiters) or a word being typed.
  let slot: StringSlot | undefined;
  let wordTok: Token | undefined;
  let anchorIndex: number; // token index in `tokens` of the token the context hangs on
  if (atTok?.kind === 'string' && offset > atTok.start) {
    slot = stringSlot(text, atTok, offset);
    if (!slot) return { kind: 'none' };
    anchorIndex = at;
  } else if (endTok?.kind === 'string' && !endTok.closed && endTok.end === offset) {
    slot = stringSlot(text, endTok, offset);
    if (!slot) return { kind: 'none' };
    anchorIndex = ending;
  } else if (endTok?.kind === 'name' && endTok.end === offset) {
    wordTok = endTok;
    anchorIndex = ending;
  } else if (atTok?.kind === 'name' && offset > atTok.start) {
    wordTok = atTok;
    anchorIndex = at;
  } else {
    anchorIndex = -1;
  }

  // Significant token before the anchor (or before the cursor when there is none).
  const before = prevSignificant(tokens, anchorIndex >= 0 ? anchorIndex : ending + 1);
  const word: Range = slot ? slot.contentRange : wordTok ? [wordTok.start, wordTok.end] : [offset, offset];
  const frame = frameAt(outline, slot ? slot.token.start : wordTok ? wordTok.start : offset);

  if (!frame) return statementContext(outline, offset, before, word, slot, wordTok ? anchorIndex : -1);
  if (frame.sectionOptions !== undefined) return optionsContext(outline, frame, frame.sectionOptions, before, word, slot, wordTok ? anchorIndex : -1);

  const table = tableContext(outline, frame);
  if (!table) return { kind: 'none' };
  const b = before >= 0 ? tokens.at(before)! : undefined;
  const isSep = b?.kind === 'symbol' && (b.value === '{' || b.value === ',' || b.value === ';');

  if (b?.kind === 'symbol' && b.value === '=') {
    const keyTok = prevSignificant(tokens, before);
    const k = keyTok >= 0 ? tokens.at(keyTok)! : undefined;
    if (k?.kind !== 'name') return { kind: 'none' };
    // In an ssl table: the key's value; in a flag table (`options = { no_ticket = | }`): a boolean.
    return { kind: 'table-value', table, key: k.value, keyRange: [k.start, k.end], word, inString: slot };
  }

  const present = new Set<string>();
  for (const f of frame.fields) if (!wordTok || f.start !== wordTok.start) present.add(f.name);
  const hasEquals = wordTok ? nextSignificantIs(tokens, anchorIndex, '=') : false;

  if (table.isSslTable) {
    if (slot) return { kind: 'none' };
    if (isSep) return { kind: 'table-key', table, word, hasEquals, present };
    // A value already ends the previous entry on an earlier line: the user forgot a separator.
    if (b && endsValue(tokens, before) && hasNewlineBetween(text, b.end, word[0])) {
      return { kind: 'table-key', table, word, hasEquals, present, separatorAfter: b.end };
    }
    return { kind: 'none' };
  }

  if (table.sslKey) {
    for (const it of frame.items) if (!slot || it.start !== slot.token.start) present.add(it.value);
    const mapStyle = frame.fields.length > 0 && frame.items.length === 0;
    if (isSep || (slot && b?.kind === 'symbol' && b.value === '{')) return { kind: 'table-item', table, word, inString: slot, present, mapStyle };
    // A bracketed key of a flag map (`{ ["no_tic|"] = true }`): the flag's name goes in the string.
    if (slot && isBracketedKeyTyped(tokens, anchorIndex)) return { kind: 'table-item', table, word, inString: slot, present, mapStyle: false };
  }
  return { kind: 'none' };
}

function statementContext(outline: Outline, offset: number, before: number, word: Range, slot: StringSlot | undefined, wordIndex: number): CursorContext {
  const { tokens } = outline;
  const wordTok = wordIndex >= 0 ? tokens.at(wordIndex) : undefined;
  const section = outline.sections[sectionAt(outline, word[0])]!.kind;
  const b = before >= 0 ? tokens.at(before)! : undefined;
  if (b?.kind === 'symbol' && b.value === '=') {
    const nameIdx = prevSignificant(tokens, before);
    const n = nameIdx >= 0 ? tokens.at(nameIdx)! : undefined;
    const assigned = n && outline.assignments.find((a) => a.start === n.start);
    if (!n || n.kind !== 'name' || !assigned) return { kind: 'none' };
    return { kind: 'option-value', option: n.value, section, word, inString: slot, nameRange: [n.start, n.end] };
  }
  if (slot) return { kind: 'none' };
  // Statement start: nothing before, the previous statement ended with a value, or a `;` ended it.
  const okStart = !b || endsValue(tokens, before) || (b.kind === 'symbol' && b.value === ';') || (b.kind === 'name' && STATEMENT_KEYWORDS.has(b.value));
  if (!okStart) return { kind: 'none' };
  // (`local |`, `function |`, `return |` are no statement start: endsValue.) `VirtualHost |` on the same line neither.
  if (b?.kind === 'name' && HEADER_WORDS.has(b.value) && !hasNewlineBetween(outline.text, b.end, word[0])) return { kind: 'none' };
  // After a value on the same line, a string or a symbol other than `;` next means the expression goes on
  // (`Component "c"| "muc"`, `t["x"|]`, `f("x"|)`): a statement there would split it.
  if (b && !hasNewlineBetween(outline.text, b.end, word[0])) {
    const n = nextSignificant(tokens, wordIndex >= 0 ? wordIndex : tokenBefore(tokens, word[1]));
    const next = n >= 0 ? tokens.at(n)! : undefined;
    if (next && !hasNewlineBetween(outline.text, word[1], next.start) && (next.kind === 'string' || (next.kind === 'symbol' && next.value !== ';'))) return { kind: 'none' };
  }
  const assigned = new Set<string>();
  const sectionIndex = sectionAt(outline, offset);
  for (const a of outline.assignments) if (a.section === sectionIndex && (!wordTok || a.start !== wordTok.start)) assigned.add(a.name);
  const hasEquals = wordTok ? nextSignificantIs(tokens, wordIndex, '=') : false;
  return { kind: 'option-name', section, word, hasEquals, assigned };
}

/** Inside the options table of `VirtualHost "x" { … }`: its keys are options of that section, as statements are. */
function optionsContext(outline: Outline, frame: OutlineFrame, section: number, before: number, word: Range, slot: StringSlot | undefined, wordIndex: number): CursorContext {
  const { tokens } = outline;
  const kind = outline.sections[section]!.kind;
  const b = before >= 0 ? tokens.at(before)! : undefined;
  if (b?.kind === 'symbol' && b.value === '=') {
    const n = tokens.at(prevSignificant(tokens, before));
    if (n?.kind !== 'name' || !frame.fields.some((f) => f.start === n.start)) return { kind: 'none' };
    return { kind: 'option-value', option: n.value, section: kind, word, inString: slot, nameRange: [n.start, n.end] };
  }
  if (slot) return { kind: 'none' };
  const isSep = b?.kind === 'symbol' && (b.value === '{' || b.value === ',' || b.value === ';');
  if (!isSep && !(b && endsValue(tokens, before) && hasNewlineBetween(outline.text, b.end, word[0]))) return { kind: 'none' };
  const assigned = new Set<string>();
  for (const f of frame.fields) if (f.start !== word[0]) assigned.add(f.name);
  const hasEquals = wordIndex >= 0 ? nextSignificantIs(tokens, wordIndex, '=') : false;
  return { kind: 'option-name', section: kind, word, hasEquals, assigned };
}

/** Classifies a table by walking up to the top-level option that holds it. */
export function tableContext(outline: Outline, frame: OutlineFrame): TableContext | undefined {
  let chain: OutlineFrame[] = [];
  for (let f: OutlineFrame | undefined = frame; f; f = f.parent) chain.unshift(f);
  // In `VirtualHost "x" { ssl = { … } }` the option is a key of the header's options table.
  const options = chain[0]!.sectionOptions !== undefined ? chain[0] : undefined;
  if (options) chain = chain.slice(1);
  const top = chain[0];
  if (!top?.key || top.eqIndex === undefined) return undefined;
  const declared = options ? options.fields.some((f) => f.eqIndex === top.eqIndex) : outline.assignments.some((a) => a.eqIndex === top.eqIndex);
  if (!declared) return undefined;
  const option = top.key;
  if (!isSslTableOption(option)) return { frame, option, isSslTable: false };
  // Per-port tables only in the global table (see perPortIn); under a host `[5223] = { … }` is no ssl table.
  const perPort = perPortIn(getOption(option), sectionAt(outline, top.start));
  // Walk down: [option table] → optional [port/interface] → ssl key tables.
  let i = 1;
  let sub: string | undefined;
  let subIsNumber: boolean | undefined;
  // `["options"] = { … }` is the options key written another way, not an interface (model/tls.ts isSubTable).
  if (chain.length > 1 && perPort && chain[1]!.bracketKey !== undefined && !getSslKey(chain[1]!.bracketKey)) {
    sub = chain[1]!.bracketKey;
    // `[` key `]` `=` `{`: the key is two significant tokens before the `=`.
    const { tokens } = outline;
    const key = chain[1]!.eqIndex === undefined ? -1 : prevSignificant(tokens, prevSignificant(tokens, chain[1]!.eqIndex));
    subIsNumber = key >= 0 && tokens.kind(key) === 'number';
    i = 2;
  }
  if (chain.length === i) return { frame, option, isSslTable: true, sub, subIsNumber };
  const keyFrame = chain[i]!;
  if (chain.length === i + 1 && keyFrame.key && getSslKey(keyFrame.key)) return { frame, option, isSslTable: false, sslKey: keyFrame.key, sub, subIsNumber };
  return { frame, option, isSslTable: false, sub, subIsNumber };
}

function nextSignificantIs(tokens: TokenList, index: number, sym: string): boolean {
  return tokens.isSymbol(nextSignificant(tokens, index), sym);
}

function hasNewlineBetween(text: string, a: number, b: number): boolean {
  return /[\r\n]/.test(text.slice(a, Math.max(a, b)));
}
