// Small helpers shared by the TLS rules: the current config (never a stale one), the live fields of a
// table, flag names written as a string / list / map, did-you-mean, and text edits that remove an entry.

import type { DiagnosticSeverity } from 'vscode-languageserver-types';
import { compareVersions, findValue, getOption, getSslKey, getValueSet, lineInRange, NEWEST_RELEASE, netServices, optionOnLine, readPerHostForSni, shapeAllowed, SNI_CERTIFICATE_ONLY, SNI_PER_HOST, splitServiceOption, sslKeyReadOn, type CatalogValue, type ConfigOption, type NetService, type ProsodyLine, type ValueSetId } from '../catalog';
import { effectiveEntry, effectiveKeyFlags, entryString, entryStrings, opaqueLayer, type EffectiveEntry, type LayerContext } from '../model/layering';
import { evaluateInput } from '../ciphers/inDocument';
import type { EvaluateResult } from '../ciphers/evaluate';
import type { ParsedConfig, Setting } from '../model/parse';
import { inForce, overriddenLater, setTrue, setUnconditionally, settingLines, sslFields, tlsTables, type TlsTable } from '../model/tls';
import { portList } from '../model/ports';
import { lineStartBefore, sectionAt, type Outline } from '../model/structure';
import { longBracketAt } from '../model/tokenize';
import type { LuaValue, Range, TableField } from '../model/values';
import type { Finding, Fix, RuleContext } from './types';

/** The parsed config, only when it belongs to this very text (a stale last-good parse has stale ranges). */
export function currentConfig(ctx: RuleContext): ParsedConfig | undefined {
  return ctx.model.configIsCurrent ? ctx.model.config : undefined;
}

/** True when Prosody reads the option only from the global section, so under a host or component it does nothing. */
export function ignoredUnder(opt: ConfigOption | undefined, kind: 'host' | 'component'): boolean {
  return opt !== undefined && !opt.scopes.includes(kind) && opt.scopes.length === 1 && opt.scopes[0] === 'global';
}

/**
 * True when the line in force reads this table at all: not an option newer than the line (0.9 has no `c2s_ssl`,
 * 0.11 no `c2s_direct_tls_ssl`), and not a global-only table under a host (a service's table only from 0.12, for
 * SNI). option-too-new and global-option-in-host report such tables; what is inside them cannot take effect.
 */
export function tableReadOn(config: ParsedConfig, t: TlsTable, line: ProsodyLine): boolean {
  // A later line of the same name replaces the whole table (table-replaced says so): nothing in it is read.
  if (overriddenLater(config, t.setting)) return false;
  const opt = getOption(t.option);
  if (!opt) return true;
  if (!optionOnLine(opt.name, line)) return false;
  if (t.section === 0) return true;
  if (readPerHostForSni(opt, t.option)) return lineInRange(line, SNI_PER_HOST);
  return !ignoredUnder(opt, config.sections[t.section]!.kind === 'host' ? 'host' : 'component');
}

// Views per line of the tables, built once per table and line (the same parsed chunk serves every line), and the
// list per config and line (every rule asks for it).
const views = new WeakMap<TlsTable, Map<ProsodyLine, TlsTable>>();
const readLists = new WeakMap<ParsedConfig, Map<ProsodyLine, TlsTable[]>>();

/**
 * The TLS tables the line in force reads, each showing only the keys that line hands to LuaSec: what the rules
 * judge. Keys a line does not read are reported by unknown-ssl-key, the tables by option-too-new and
 * global-option-in-host.
 */
export function readTables(config: ParsedConfig, line: ProsodyLine): readonly TlsTable[] {
  let byLine = readLists.get(config);
  if (!byLine) readLists.set(config, (byLine = new Map()));
  let list = byLine.get(line);
  if (!list) byLine.set(line, (list = listReadTables(config, line)));
  return list;
}

function listReadTables(config: ParsedConfig, line: ProsodyLine): TlsTable[] {
  const out: TlsTable[] = [];
  for (const t of tlsTables(config)) {
    if (!tableReadOn(config, t, line)) continue;
    if (t.table.fields.every((f) => sslKeyReadOn(f.key, line))) {
      out.push(t);
      continue;
    }
    let byLine = views.get(t);
    if (!byLine) views.set(t, (byLine = new Map()));
    let view = byLine.get(line);
    if (!view) byLine.set(line, (view = { ...t, table: { ...t.table, fields: t.table.fields.filter((f) => sslKeyReadOn(f.key, line)) } }));
    out.push(view);
  }
  return out;
}

/** Fields of a TLS table that take effect: per-port sub-tables excluded, and only the last of duplicate keys. */
// Every rule asks for the live fields of every table: compute them once per table (tlsTables is memoised per config).
const liveCache = new WeakMap<TlsTable, { list: TableField[]; byKey: Map<string | number, TableField> }>();

function live(t: TlsTable): { list: TableField[]; byKey: Map<string | number, TableField> } {
  let r = liveCache.get(t);
  if (!r) {
    const byKey = new Map<string | number, TableField>();
    // The last assignment wins, as in Lua; one of `nil` leaves the key out (a reviewer's instrumented 0.12.3 run:
    // `mode = "client", mode = nil` gave the context Prosody's own mode).
    for (const f of sslFields(t)) {
      if (f.value.kind === 'nil') byKey.delete(f.key);
      else byKey.set(f.key, f);
    }
    const list = sslFields(t).filter((f) => byKey.get(f.key) === f);
    r = { list, byKey };
    liveCache.set(t, r);
  }
  return r;
}

export function liveFields(t: TlsTable): TableField[] {
  return live(t).list;
}

export function liveField(t: TlsTable, key: string): TableField | undefined {
  return live(t).byKey.get(key);
}

/** A flag name as written: a string value, a list item, or a map key (`on` = its boolean, or true). */
export interface NameRef {
  readonly name: string;
  /** Where the name is written: the string's content, or the map key. */
  readonly range: Range;
  /** The whole entry (list item or `key = value`), for removal. */
  readonly entry: Range;
  readonly form: 'string' | 'item' | 'key';
  readonly on: boolean;
  /** Map entry whose value is not a boolean literal. */
  readonly badMapValue?: LuaValue;
  /**
   * The flag the entry switches, as util/sslconfig reads it (setEntries): the name, except for a map entry whose
   * value is a string, which is a list item there (`x = "no_tlsv1"` switches no_tlsv1).
   */
  readonly flag: string;
}

/** Names in a string / list / map value; numbers in lists count as names (LuaSec reports them as such). */
export function nameRefs(v: LuaValue): NameRef[] {
  if (v.kind === 'string') return [{ name: v.value, flag: v.value, range: v.contentRange, entry: v.range, form: 'string', on: true }];
  if (v.kind !== 'table') return [];
  const out: NameRef[] = [];
  for (const i of v.items) {
    if (i.kind === 'string') out.push({ name: i.value, flag: i.value, range: i.contentRange, entry: i.range, form: 'item', on: true });
    else if (i.kind === 'number') out.push({ name: i.raw, flag: i.raw, range: i.range, entry: i.range, form: 'item', on: true });
  }
  for (const f of v.fields) {
    if (typeof f.key !== 'string') continue;
    const on = f.value.kind === 'boolean' ? f.value.value : true;
    const badMapValue = f.value.kind === 'boolean' || f.value.kind === 'expression' ? undefined : f.value;
    out.push({ name: f.key, flag: f.value.kind === 'string' ? f.value.value : f.key, range: f.keyContentRange, entry: f.range, form: 'key', on, badMapValue });
  }
  return out;
}

/**
 * The flag names of `key`'s value that reach LuaSec on this line, switched on: not a `name = false` entry, nor a map
 * entry whose value is not a boolean, nor a `name = true` entry before the line reads the map form (0.9 hands the
 * table to LuaSec as it is, and LuaSec reads only its list part).
 */
export function flagsHanded(v: LuaValue, key: string, line: ProsodyLine): NameRef[] {
  const k = getSslKey(key);
  const maps = !k || shapeAllowed(k, 'map', line) === 'yes';
  return nameRefs(v).filter((r) => r.on && !r.badMapValue && (maps || r.form !== 'key'));
}

/** Levenshtein distance, small inputs only. */
export function distance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length]!;
}

/** The closest candidate (case-insensitive first, then by edit distance), or undefined when none is near. */
export function closest(name: string, candidates: readonly string[], ranks?: ReadonlyMap<string, number>): string | undefined {
  const lower = name.toLowerCase().trim();
  const exact = candidates.find((c) => c.toLowerCase() === lower);
  if (exact) return exact;
  if (!lower) return undefined;
  const limit = lower.length <= 3 ? 1 : lower.length <= 8 ? 2 : 3;
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    // The distance is at least the difference in length: a long word (a pasted key body) costs nothing.
    if (Math.abs(c.length - lower.length) > limit) continue;
    const d = distance(lower, c.toLowerCase());
    const better = d < bestD || (d === bestD && best !== undefined && (ranks?.get(c) ?? 50) < (ranks?.get(best) ?? 50));
    if (d <= limit && better) {
      best = c;
      bestD = d;
    }
  }
  return best;
}

/** Names of a value set, for did-you-mean. */
export function setNames(id: ValueSetId): string[] {
  return getValueSet(id)?.values.map((v) => v.name) ?? [];
}

export function setRanks(id: ValueSetId): Map<string, number> {
  return new Map((getValueSet(id)?.values ?? []).map((v) => [v.name, v.rank ?? 50]));
}

/** "a, b and c". */
export function andList(items: readonly string[]): string {
  return items.length > 1 ? `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}` : items.join('');
}

/** A Lua string literal for a plain name. */
export function luaString(s: string): string {
  return '"' + s.replace(/\\/g, '\\\\').replace(/"/g, '\\"') + '"';
}

/** The first offset at or after `i` that is neither blank (line breaks included) nor inside a comment. */
function afterBlanksAndComments(text: string, i: number): number {
  for (;;) {
    while (i < text.length && /[ \t\r\n]/.test(text[i]!)) i++;
    if (!text.startsWith('--', i)) return i;
    const long = longBracketAt(text, i + 2);
    if (long) i = long.end;
    else while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
  }
}

/** `--` between the start of the line holding `i` and `i`: the character may sit in a comment. */
function dashesBefore(text: string, i: number): boolean {
  return text.slice(lineStartBefore(text, i), i).includes('--');
}

/**
 * The text of one more list entry after `items`: positional, unless the list continues with `[n] = "x"` keys (a
 * positional entry would then be index 1 again and replace the first item).
 */
export function nextListEntry(text: string, items: ReadonlyArray<{ readonly range: Range }>, value: string): string {
  return items.some((i) => text[i.range[0]] === '[') ? `[${items.length + 1}] = ${value}` : value;
}

/** Range that removes an entry together with one neighbouring separator, and its line when it stands alone. */
export function removalRange(text: string, entry: Range): Range {
  let [s, e] = entry;
  // The separator after the entry may sit on a later line (comma-first style) or after a comment: it goes too,
  // with the comment (a stray separator left behind is a syntax error). Else the one before it, across line breaks.
  const j = afterBlanksAndComments(text, e);
  if (text[j] === ',' || text[j] === ';') {
    e = j + 1;
    while (e < text.length && (text[e] === ' ' || text[e] === '\t')) e++;
  } else {
    // The last entry: the separator before it would be a harmless trailing one, so it goes only when surely code
    // (not the end of a comment on an earlier line; a trailing separator is valid Lua).
    let i = s - 1;
    let crossed = false;
    for (; i >= 0 && /[ \t\r\n]/.test(text[i]!); i--) if (text[i] === '\n' || text[i] === '\r') crossed = true;
    if ((text[i] === ',' || text[i] === ';') && (!crossed || !dashesBefore(text, i))) s = i;
  }
  // The entry (and its separator) alone on its line: take the whole line, with its line end (LF, CRLF or CR).
  // Scanned outward over blanks only: walking to the line's ends cost the line's length per entry (seconds for
  // thousands of findings on one long line).
  const isBreak = (i: number): boolean => text[i] === '\n' || text[i] === '\r';
  const blank = (i: number): boolean => text[i] === ' ' || text[i] === '\t';
  let lineStart = s;
  while (lineStart > 0 && blank(lineStart - 1)) lineStart--;
  let lineEnd = e;
  while (lineEnd < text.length && blank(lineEnd)) lineEnd++;
  // The table's only entry, on one line (emptiedBraces).
  if (text[lineStart - 1] === '{' && text[lineEnd] === '}') return [lineStart, lineEnd];
  if ((lineStart === 0 || isBreak(lineStart - 1)) && lineEnd < text.length && isBreak(lineEnd)) {
    return withBlankNeighbour(text, lineStart, lineEnd + (text.startsWith('\r\n', lineEnd) ? 2 : 1));
  }
  return [s, e];
}

/**
 * A whole line `[a, b)` to remove, widened by one blank line around it where the removal would leave two blank lines
 * in a row (the line sat between blank lines) or a blank line at the end of the file (a reviewer's sweep of every
 * quick fix found both).
 */
function withBlankNeighbour(text: string, a: number, b: number): Range {
  const blankTo = (i: number): number | undefined => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++;
    if (text.startsWith('\r\n', i)) return i + 2;
    return text[i] === '\n' || text[i] === '\r' ? i + 1 : undefined;
  };
  // The line above, when blank: scanned back over its line end and blanks only (a long line above costs nothing).
  let above: number | undefined;
  if (a > 0) {
    let i = text.startsWith('\r\n', a - 2) ? a - 2 : a - 1;
    while (i > 0 && (text[i - 1] === ' ' || text[i - 1] === '\t')) i--;
    if (i > 0 && text[i - 1] !== '\n' && text[i - 1] !== '\r') return [a, b];
    above = i;
  }
  if (b === text.length) return above === undefined ? [a, b] : [above, b];
  const below = blankTo(b);
  return below !== undefined ? [a, below] : [a, b];
}

/**
 * The edit that writes a new entry right after `after`, an entry of the same table, in the table's layout: on a line
 * of its own with the same indentation when `after` starts its line, else on the same line. The separator after
 * `after` (or the table's, or `,`) goes between them, so whatever followed still has one. A line comment after
 * `after` stays on its line: the new line goes below it (a reviewer: `verify = "peer"; -- ask clients` had the
 * comment moved onto the new `verifyext` line).
 */
export function insertAfterEdit(text: string, after: { readonly range: Range }, entry: string): { range: Range; newText: string } {
  const [start, end] = after.range;
  const lineStart = lineStartBefore(text, start);
  const indent = text.slice(lineStart, start);
  const j = afterBlanksAndComments(text, end);
  const sep = text[j] === ';' || text[j] === ',' ? text[j]! : ',';
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  if (!/^[ \t]*$/.test(indent)) return { range: [end, end], newText: `${sep} ${entry}` };
  const rest = /^[ \t]*([;,])?[ \t]*--(?!\[=*\[)[^\r\n]*/.exec(text.slice(end));
  if (rest) {
    // Rewritten as it was (with the separator it lacked, when it was the last entry), then the new line.
    const own = rest[1];
    return { range: [end, end + rest[0].length], newText: `${own ? '' : sep}${rest[0]}${eol}${indent}${entry}${own ?? ''}` };
  }
  return { range: [end, end], newText: `${sep}${eol}${indent}${entry}` };
}

/** A removal that leaves a one-line table empty, with the blanks inside its braces (`{ "x" }` → `{}`, not `{  }`). */
function emptiedBraces(text: string, s: number, e: number): Range | undefined {
  while (s > 0 && (text[s - 1] === ' ' || text[s - 1] === '\t')) s--;
  while (e < text.length && (text[e] === ' ' || text[e] === '\t')) e++;
  return text[s - 1] === '{' && text[e] === '}' ? [s, e] : undefined;
}

export function removeFix(text: string, entry: Range, title: string, preferred = false): Fix {
  return removeEntriesFix(text, [entry], title, preferred);
}

/**
 * Why Prosody never reads this line, if it does not: a deprecated name whose replacement is set (outside any
 * `if`) here or globally, which mod_tls reads first; or a later line of the same name (outside any `if`).
 * With `readThroughFalse` (a release reading `new or old`) the replacement takes the line's place only when it
 * is set to a true value for sure.
 */
export function whyUnread(config: ParsedConfig, s: Setting, replacement: string | undefined, readThroughFalse = false): 'taken-here' | 'taken-globally' | 'overridden' | undefined {
  const takes = (section: number): boolean => (readThroughFalse ? setTrue(config, section, replacement!) : setUnconditionally(config, section, replacement!));
  if (replacement !== undefined && takes(s.section)) return 'taken-here';
  // Reading through a false value, a host line of the new name inside `if` (false, maybe) leaves it open.
  const openHere = readThroughFalse && settingLines(config, s.section, replacement!).length > 0;
  if (replacement !== undefined && s.section > 0 && !openHere && takes(0)) return 'taken-globally';
  return overriddenLater(config, s) ? 'overridden' : undefined;
}

/** Removes a whole statement-level setting, titled by its name. */
export function removeSettingFix(text: string, s: Setting): Fix {
  return removeFix(text, s.range, `Remove ${s.name}`);
}

/**
 * Removes a key from a TLS table: every entry that writes it, since removing only the live (last) one would
 * bring an earlier duplicate into force. Removals that meet (neighbours share a separator) become one edit.
 */
export function removeKeyFix(text: string, t: TlsTable, key: string | number, title: string, preferred = false): Fix {
  return { title, preferred, edits: keyRemovals(text, t, key).map((range) => ({ range, newText: '' })) };
}

/**
 * Renames the live entry of a key (and may rewrite its value); earlier entries of the same key are removed,
 * or the first of them would come into force under the old name.
 */
export function renameKeyFix(text: string, t: TlsTable, field: TableField, newKey: string, title: string, newValue?: string): Fix {
  // Each earlier entry goes as a removal takes it (its separator; its line when alone there), so a comment between
  // two entries stays (a reviewer: taking everything up to the next entry deleted it). The live entry follows, so
  // each has a separator after it, and no removal reaches the live key.
  const edits: Array<{ range: Range; newText: string }> = keyRemovals(text, t, field.key, (f) => f !== field).map(([s, e]) => ({ range: [s, Math.min(e, field.range[0])] as const, newText: '' }));
  edits.push({ range: field.keyContentRange, newText: newKey });
  if (newValue !== undefined) edits.push({ range: field.value.range, newText: newValue });
  return { title, preferred: true, edits };
}

/** Removal ranges of a key's entries, sorted, neighbours merged (they share a separator). */
function keyRemovals(text: string, t: TlsTable, key: string | number, which: (f: TableField) => boolean = () => true): Range[] {
  return mergedRemovals(text, sslFields(t).filter((f) => f.key === key && which(f)).map((f) => f.range));
}

/**
 * Removes several entries of one table at once. Neighbours (only a separator between) go as one run, so a run that
 * ends the table takes the separator before it rather than leaving one behind.
 */
export function removeEntriesFix(text: string, entries: readonly Range[], title: string, preferred = false): Fix {
  const runs: Array<[number, number]> = [];
  for (const [s, e] of [...entries].sort((a, b) => a[0] - b[0])) {
    const last = runs[runs.length - 1];
    if (last && /^\s*[,;]?\s*$/.test(text.slice(last[1], s))) last[1] = Math.max(last[1], e);
    else runs.push([s, e]);
  }
  return { title, preferred, edits: mergedRemovals(text, runs).map((range) => ({ range, newText: '' })) };
}

function mergedRemovals(text: string, entries: readonly Range[]): Range[] {
  const ranges = entries.map((e) => removalRange(text, e)).sort((a, b) => a[0] - b[0]);
  const merged: Array<[number, number]> = [];
  for (const [s, e] of ranges) {
    const last = merged[merged.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else merged.push([s, e]);
  }
  return merged.map(([s, e]) => emptiedBraces(text, s, e) ?? [s, e]);
}

/**
 * The edit that renames a setting. In a table-form section the name may be a string key
 * (`["require_encryption"] = true`), whose range holds the quotes: a bare name there would be a nil index.
 */
export function renameSettingEdit(text: string, s: Setting, name: string): Fix["edits"][number] {
  const [start, end] = s.nameRange;
  return { range: s.nameRange, newText: text.slice(start, end) === s.name ? name : luaString(name) };
}

/** The preferred fix that renames a setting (renameSettingEdit). */
export function renameSettingFix(text: string, s: Setting, name: string): Fix {
  return { title: `Rename to ${name}`, preferred: true, edits: [renameSettingEdit(text, s, name)] };
}

export function replaceFix(range: Range, newText: string, title: string, preferred = true): Fix {
  return { title, preferred, edits: [{ range, newText }] };
}

// Per config and line: each `protocol`, `options` and `ciphers` field of the tables read, by its entry's start.
const fieldIndex = new WeakMap<readonly TlsTable[], Map<string, { t: TlsTable; f: TableField }>>();

/** The `protocol`, `options` or `ciphers` field of a table read whose entry starts where a range layering reports starts. */
export function fieldAt(config: ParsedConfig, line: ProsodyLine, key: 'protocol' | 'options' | 'ciphers', range: Range | undefined): { t: TlsTable; f: TableField } | undefined {
  if (!range) return undefined;
  const list = readTables(config, line);
  let ix = fieldIndex.get(list);
  if (!ix) {
    ix = new Map();
    for (const t of list) for (const k of ['protocol', 'options', 'ciphers'] as const) {
      const f = liveField(t, k);
      if (f) ix.set(`${k}:${f.range[0]}`, { t, f });
    }
    fieldIndex.set(list, ix);
  }
  return ix.get(`${key}:${range[0]}`);
}

/** Whether an enabled option flag turns the version off (directly or through a shared bit, catalog sharesBitsWith). */
export function flagDisables(flag: string, version: string): boolean {
  const target = `no_${version}`;
  return flag === target || (findValue('options', flag)?.sharesBitsWith?.includes(target) ?? false);
}

/** The SSL/TLS versions LuaSec names (`no_<version>` flags, pinned protocols), oldest first, with their names for people. */
export const SSL_VERSIONS: ReadonlyArray<{ readonly version: string; readonly label: string }> = [
  { version: 'sslv2', label: 'SSL 2.0' },
  { version: 'sslv3', label: 'SSL 3.0' },
  { version: 'tlsv1', label: 'TLS 1.0' },
  { version: 'tlsv1_1', label: 'TLS 1.1' },
  { version: 'tlsv1_2', label: 'TLS 1.2' },
  { version: 'tlsv1_3', label: 'TLS 1.3' },
];

/** A version's name for people (`tlsv1_2` → `TLS 1.2`). */
export function versionLabel(version: string): string {
  return SSL_VERSIONS.find((v) => v.version === version)?.label ?? version;
}

const PLUS_ORDER = SSL_VERSIONS.map((v) => v.version);

/** Versions a `+` form switches off, lowest first (Prosody appends `no_<each lower version>`, facts §2). */
export function impliedOff(protocol: string): Set<string> {
  const m = /^(.*)\+$/.exec(protocol);
  if (!m) return new Set();
  const i = PLUS_ORDER.indexOf(m[1]!);
  return new Set(i < 0 ? [] : PLUS_ORDER.slice(0, i));
}

/** What to write for "TLS 1.2 and newer": `"tlsv1_2+"`, or on 0.9 (no `+` forms, no TLS 1.3 in its LuaSec) `"tlsv1_2"`. */
export function safeProtocol(line: ProsodyLine): string {
  return protocolAccepted(line, 'tlsv1_2+') ? 'tlsv1_2+' : 'tlsv1_2';
}

/** True when the protocol name is accepted by Prosody + current LuaSec on this line. */
export function protocolAccepted(line: ProsodyLine, name: string): boolean {
  const v = findValue('protocol', name);
  if (!v || v.name !== name) return false;
  if (v.prosody && !lineInRange(line, v.prosody)) return false;
  // Removed from LuaSec by 0.8. Prosody 0.11 and later run on it everywhere; 0.9 and 0.10 were commonly paired
  // with LuaSec 0.5–0.7, which still accepted sslv3, so there we cannot say it fails (it is still unsafe).
  const removed = v.luasec?.removed;
  if (removed && compareVersions(removed, '0.8') <= 0 && (compareVersions(removed, '0.8') < 0 || compareVersions(NEWEST_RELEASE[line], '0.11.0') >= 0)) return false;
  return true;
}

export function acceptedProtocols(line: ProsodyLine): string[] {
  return setNames('protocol').filter((n) => protocolAccepted(line, n));
}

/** Shape of a literal value as the catalog names shapes; undefined for expressions and nil. */
export function shapeOf(v: LuaValue): 'string' | 'number' | 'boolean' | 'list' | 'map' | 'mixed' | 'empty' | 'function' | undefined {
  switch (v.kind) {
    case 'string':
    case 'number':
    case 'boolean':
      return v.kind;
    case 'table':
      if (!v.items.length && !v.fields.length) return 'empty';
      if (!v.fields.length) return 'list';
      if (!v.items.length) return 'map';
      return 'mixed';
    case 'expression':
      return v.what === 'function' ? 'function' : undefined;
    default:
      return undefined;
  }
}

/**
 * The names of a `:`-joined string or of a list of such strings (Prosody joins lists with `:`), with their
 * source ranges; undefined when not all literal strings. `separator` must match single characters.
 */
export function joinedList(v: LuaValue, separator: RegExp = /:/): { text: string; parts: JoinedPart[] } | undefined {
  const strings = v.kind === 'string' ? [v] : v.kind === 'table' && !v.fields.length && v.items.every((i) => i.kind === 'string') ? (v.items as Array<Extract<LuaValue, { kind: 'string' }>>) : undefined;
  if (!strings) return undefined;
  const parts: JoinedPart[] = [];
  for (const str of strings) {
    const [cs, ce] = str.contentRange;
    // With escapes in the literal, decoded offsets are not source offsets: each part then points at the
    // whole content, which is fine for a diagnostic but not for an edit.
    const exact = ce - cs === str.value.length;
    let pos = 0;
    for (const p of str.value.split(separator)) {
      parts.push({ name: p, range: exact ? [cs + pos, cs + pos + p.length] : str.contentRange, exact });
      pos += p.length + 1;
    }
  }
  return { text: strings.map((x) => x.value).join(':'), parts };
}

export interface JoinedPart {
  readonly name: string;
  readonly range: Range;
  /** The range is the part's own; false when it is the whole literal's content (see joinedList). */
  readonly exact: boolean;
}

/** Option flags in force for a context: name → on; undefined when a layer is computed at runtime. */
export function effectiveFlags(config: ParsedConfig, section: number, context: LayerContext, line: ProsodyLine, key: 'options' | 'verifyext'): Map<string, boolean> | undefined {
  const flags = effectiveKeyFlags(config, section, context, line, key);
  return flags && new Map(flags);
}

/**
 * The direct-TLS services (those `pick` accepts) whose ports are set globally on the line and that have no
 * `<service>_ssl` of their own: portmanager then builds their ports' context from the global `ssl`.
 */
export function servicesOnGlobalSsl(config: ParsedConfig, line: ProsodyLine, pick: (sv: NetService) => boolean): NetService[] {
  return netServices.filter((sv) => pick(sv) && lineInRange(line, sv.prosody) && portsWritten(config, sv.prefix) && !inForce(config, 0, `${sv.prefix}_ssl`));
}

/** A service's `<prefix>_ports` is set to something other than an empty list (`https_ports = {}` opens no port: review 152). */
export function portsWritten(config: ParsedConfig, prefix: string): boolean {
  const set = inForce(config, 0, `${prefix}_ports`);
  return set !== undefined && portList(set.value).length !== 0;
}

/** Whether clients may connect where the table sits: never to a Component (components do not load mod_c2s). */
export function clientsConnect(config: ParsedConfig, t: Pick<TlsTable, 'section'>): boolean {
  return config.sections[t.section]?.kind !== 'component';
}

/**
 * The layerings a table's settings take part in: both STARTTLS ones for a table both kinds of connection read
 * (`ssl`; only the server one in a Component, which accepts no clients), else its own (contextOf).
 */
export function layerContextsOf(config: ParsedConfig, t: TlsTable): LayerContext[] {
  if (t.sub !== undefined || !t.contexts.includes('c2s') || !t.contexts.includes('s2s')) return [contextOf(t)];
  return clientsConnect(config, t) ? ['c2s', 's2s'] : ['s2s'];
}

/** A value as messages open with it: in code quotes, or said in words when empty (typed `""`, the list still open). */
export function valueText(v: string): string {
  return v === '' ? 'An empty string' : `\`${v}\``;
}

/**
 * A sentence continued after a colon: `Certificate file` → `certificate file`, `Shares its bit` → `shares its bit`;
 * `CA file`, `DH parameters`, `TLS` keep their capitals (a reviewer).
 */
export function lowerFirst(w: string): string {
  return /^[A-Z][a-z]/.test(w) ? w[0]!.toLowerCase() + w.slice(1) : w;
}

/** `<service>_ssl` of a service with TLS from the first byte (not `c2s_ssl`/`s2s_ssl`, STARTTLS tables). */
export function directTlsTable(option: string): boolean {
  const split = splitServiceOption(option);
  return split?.suffix === '_ssl' && split.service.encrypted === true;
}

/**
 * A table Prosody uses for server contexts only: `c2s_ssl` (mod_tls's create_context(host, "server", …)) and a
 * direct-TLS or HTTPS service's (portmanager). `ssl` and `s2s_ssl` also build outgoing (client) contexts.
 */
export function serverOnlyTable(option: string): boolean {
  return option === 'c2s_ssl' || directTlsTable(option);
}

/**
 * The layering a table sits in: `s2s_ssl`'s; a port context for a direct-TLS service's table, the global `ssl`'s
 * `[port]` tables (read by portmanager only) and `client_https_ssl`, which never read `c2s_ssl` (a reviewer's
 * 0.12.3 run: a global `c2s_ssl` curveslist did not reach `https_ssl`); else the client one. A host's own service
 * table is an SNI context (0.12+), which portmanager's add_sni_host layers over the port's settings alone: never
 * `c2s_ssl` nor the host's `ssl`.
 */
export function contextOf(t: TlsTable): LayerContext {
  if (t.option === 's2s_ssl') return 's2s';
  if (directTlsTable(t.option) || (t.section === 0 && (t.option === 'client_https_ssl' || (t.option === 'ssl' && t.sub !== undefined)))) return 'port';
  return 'c2s';
}

/** A host's own direct-TLS table: the SNI context of that host on the service's ports (0.12+). */
export function sniContext(t: Pick<TlsTable, 'option' | 'section'>): boolean {
  return t.section > 0 && directTlsTable(t.option);
}

/** A host's SNI context is built only for a service with ports (portmanager's add_sni_host walks the active ones). */
export function sniServiceListens(config: ParsedConfig, t: Pick<TlsTable, 'option'>): boolean {
  const service = splitServiceOption(t.option)?.service;
  return service !== undefined && (!!service.defaultPorts?.length || inForce(config, 0, `${service.prefix}_ports`) !== undefined);
}

/**
 * What a host's SNI context that cannot be built costs (a reviewer's 0.12.3 runs: a missing `cafile`, `ciphers =
 * "RC4"`): the host only, which clients that name it are then refused (the port's SNI is strict); TLS still works for
 * the others. Undefined for any other table.
 */
export function sniContextLost(config: ParsedConfig, t: Pick<TlsTable, 'option' | 'section'>): string | undefined {
  if (!sniContext(t)) return undefined;
  // The port's SNI is strict (net/server_epoll.lua: `conn:sni(hosts, true)`): a name without a context is refused (a
  // reviewer's 13.0.1 run: alert 112 for the host whose context failed), not served the port's certificate.
  const lost = 'Prosody cannot build this host\'s SNI context ("Error creating TLS context for SNI host"), so clients that name this host are refused (alert unrecognized_name)';
  return sniServiceListens(config, t) ? lost : `no port of \`${t.option}\`'s service is open, so nothing reads this table now; once one is, ${lost}`;
}

/** A key whose value a host's own service table (its SNI context, 0.12+) does not give it (catalog SslKey.sni). */
export function sniIgnored(t: Pick<TlsTable, 'option' | 'section'>, key: string, line: ProsodyLine): boolean {
  if (!sniContext(t)) return false;
  const k = getSslKey(key);
  return k !== undefined && (k.sni === 'port' || (k.sni === undefined && lineInRange(line, SNI_CERTIFICATE_ONLY)));
}

/** sniIgnored for a table of the outline (completion, hover): its section is the one its frame starts in. */
export function sniIgnoredIn(outline: Outline, table: { readonly option: string; readonly frame: { readonly start: number } }, key: string, line: ProsodyLine): boolean {
  return sniIgnored({ option: table.option, section: sectionAt(outline, table.frame.start) }, key, line);
}

const appliedViews = new WeakMap<TlsTable, Map<ProsodyLine, TlsTable>>();
const appliedLists = new WeakMap<readonly TlsTable[], TlsTable[]>();

/**
 * The table as it takes effect: a host's own direct-TLS table (its SNI context) without the keys its context takes
 * from the port (sniIgnored); any other table as it is. The rules that judge what a setting does read this view
 * (appliedTables), so a host's `protocol = "tlsv1+"` that changes nothing is not a weak protocol; those that judge
 * whether LuaSec accepts a value read the table itself, as an invalid value costs the host its context anyway.
 */
export function applied(t: TlsTable, line: ProsodyLine): TlsTable {
  if (!sniContext(t) || !t.table.fields.some((f) => typeof f.key === 'string' && sniIgnored(t, f.key, line))) return t;
  let byLine = appliedViews.get(t);
  if (!byLine) appliedViews.set(t, (byLine = new Map()));
  let view = byLine.get(line);
  if (!view) byLine.set(line, (view = { ...t, table: { ...t.table, fields: t.table.fields.filter((f) => typeof f.key !== 'string' || !sniIgnored(t, f.key, line)) } }));
  return view;
}

/**
 * Whether a table of the global section's direct-TLS and HTTPS services (a `<service>_ssl`, a `[port]` one) writes one
 * of these keys: over the global `ssl` on their ports. Where none does, those ports take what the global `ssl` gives.
 */
export function portTablesWrite(config: ParsedConfig, line: ProsodyLine, keys: readonly string[]): boolean {
  return readTables(config, line).some((o) => o.section === 0 && !(o.option === 'ssl' && o.sub === undefined) && contextOf(o) === 'port' && keys.some((k) => liveField(o, k)));
}

/** readTables, each table as it takes effect (applied); a `[port]` table no direct-TLS service reads is left out. */
export function appliedTables(config: ParsedConfig, line: ProsodyLine): readonly TlsTable[] {
  const read = readTables(config, line);
  let list = appliedLists.get(read);
  if (!list) appliedLists.set(read, (list = read.filter((t) => portTableRead(config, t, line)).map((t) => applied(t, line))));
  return list;
}

/**
 * Whether a global `[port]` table may be read: portmanager's get_port_ssl_ctx reads the global `ssl`'s for every
 * service with TLS from the first byte (direct TLS, `legacy_ssl`, HTTPS) on that port, a `<service>_ssl`'s for that
 * service; mod_tls hands the global `ssl` to STARTTLS whole, and LuaSec ignores its numeric keys (a reviewer's 0.12.3
 * run: `c2s_ports = { 30332 }` with `ssl = { [30332] = { protocol = "tlsv1+" } }` refused TLS 1.0). False only while
 * a service without TLS (c2s, s2s, http, component) holds the port and no such reader lists it; a table for a port
 * nothing opens yet is judged, as a service's whole table is before its port is opened.
 */
function portTableRead(config: ParsedConfig, t: TlsTable, line: ProsodyLine): boolean {
  if (t.section !== 0 || typeof t.sub !== 'number') return true;
  const own = splitServiceOption(t.option)?.service;
  const readers = t.option === 'ssl' ? netServices.filter((sv) => sv.encrypted && lineInRange(line, sv.prosody)) : own?.encrypted ? [own] : undefined;
  if (!readers) return true;
  /** Whether the service listens on the table's port; undefined when unknown (computed, or set inside `if`). */
  const listens = (sv: NetService): boolean | undefined => {
    const ports = servicePorts(config, sv);
    return ports === 'unsure' ? undefined : ports.some((p) => Number(p) === t.sub);
  };
  if (readers.some((sv) => listens(sv) !== false)) return true;
  return !netServices.some((sv) => !sv.encrypted && lineInRange(line, sv.prosody) && listens(sv) === true);
}

/**
 * The ports a service opens, as portmanager reads its global `<service>_ports` (its default ports when unset):
 * 'unsure' when computed or set inside `if`. `asNumbers`: also 'unsure' where a port is written other than as a number,
 * since portmanager looks a `[port]` table up with the port as written (`"5223"` never finds `[5223]`).
 */
export function servicePorts(config: ParsedConfig, sv: NetService, asNumbers = false): string[] | 'unsure' {
  const set = settingLines(config, 0, `${sv.prefix}_ports`).at(-1);
  if (set?.conditional) return 'unsure';
  if (asNumbers && set && (set.value.kind === 'string' || (set.value.kind === 'table' && set.value.items.some((i) => i.kind !== 'number')))) return 'unsure';
  return set ? portList(set.value) : (sv.defaultPorts ?? []).map(String);
}

// Per config and line: the table of each setting, as readTables lists it.
const tableBySetting = new WeakMap<readonly TlsTable[], ReadonlyMap<Setting, TlsTable>>();

/**
 * The tables portmanager layers between a port's base (defaults, preset, global `ssl`: the 'port' layering) and
 * this one, lowest first: a service's `[port]` table sits on the service's table (`<service>_ssl[port]` over
 * `<service>_ssl`, 0.10+), and a host's own service table on the port's settings, which hold the global service
 * table. Undefined when one of them is computed (what it holds is known only at run time).
 */
export function portParents(config: ParsedConfig, t: TlsTable, line: ProsodyLine): readonly TlsTable[] | undefined {
  if (line === '0.9' || t.option === 'ssl' || contextOf(t) !== 'port' || (t.section === 0 && t.sub === undefined)) return [];
  const setting = t.section === 0 ? t.setting : inForce(config, 0, t.option);
  if (!setting) return [];
  if (setting.value.kind !== 'table') return setting.value.kind === 'expression' ? undefined : [];
  const list = readTables(config, line);
  let index = tableBySetting.get(list);
  if (!index) tableBySetting.set(list, (index = new Map(list.filter((o) => o.sub === undefined).map((o) => [o.setting, o]))));
  const parent = index.get(setting);
  return parent ? [parent] : [];
}

/**
 * Flags in force where the table applies: the layering of its section, the tables portmanager puts between (a
 * port's: portParents), then the table's own flags, which a host's SNI context does not use (applied). A port's
 * table is the top layer, so its `false` takes a flag back (util.sslconfig); a STARTTLS table's own flags are in its
 * section's layering already, under tables that may switch the flag on again (a reviewer: a global `ssl`'s
 * `no_tlsv1_1 = false` under a `c2s_ssl` that sets it).
 */
export function flagsFor(config: ParsedConfig, t: TlsTable, line: ProsodyLine, context: LayerContext = contextOf(t)): Map<string, boolean> | undefined {
  const flags = effectiveFlags(config, t.section, context, line, 'options');
  // A STARTTLS table's own flags are in its section's layering already, under a `c2s_ssl`/`s2s_ssl` that may switch
  // one off again (a reviewer: adding them back on top hid a flag a higher layer sets false, and on 0.9 counted map
  // entries LuaSec never reads). A port's context layers the port's tables over the global ones: those go on top.
  if (context !== 'port') return flags;
  const parents = portParents(config, t, line);
  if (!flags || !parents) return undefined;
  for (const table of [...parents, applied(t, line)]) {
    const own = liveField(table, 'options');
    if (!own) continue;
    if (own.value.kind === 'expression') return undefined;
    for (const r of nameRefs(own.value)) {
      // (0.9 hands the table to LuaSec as written, which reads its list part only.)
      if (line === '0.9' && r.form === 'key') continue;
      // A map value that is not a boolean is a list item to util/sslconfig: `x = "no_tlsv1"` switches no_tlsv1 on.
      if (r.badMapValue) {
        if (r.badMapValue.kind === 'string') flags.set(r.flag, true);
      } else if (r.on) flags.set(r.name, true);
      else flags.delete(r.name);
    }
  }
  return flags;
}

/**
 * Option flags written in any TLS table that the catalog marks with `pick` (e.g. `noop`, `unsafe`):
 * one finding per enabled flag, with a fix that removes it. `message` gets the flag and the catalog's text.
 * `keep`: a flag to write instead of this one, when removing it would also give up something it rightly does
 * (`no_dtls_mask` sets `no_tlsv1`'s bit too): that change is the preferred fix, removal the other. `severity`: a flag's
 * own, over the rule's.
 */
export function markedFlagFindings(ctx: RuleContext, pick: (v: CatalogValue, t: TlsTable) => string | undefined, message: (name: string, why: string, instead?: string) => string, keep?: (v: CatalogValue) => string | undefined, severity?: (v: CatalogValue) => DiagnosticSeverity | undefined): Finding[] {
  const config = currentConfig(ctx);
  if (!config) return [];
  const out: Finding[] = [];
  for (const t of appliedTables(config, ctx.line)) {
    const f = liveField(t, 'options');
    if (!f) continue;
    for (const r of flagsHanded(f.value, 'options', ctx.line)) {
      const v = findValue('options', r.name);
      const why = v && v.name === r.name ? pick(v, t) : undefined;
      if (!why) continue;
      const instead = keep?.(v!);
      // Not onto a flag already on, nor onto a map key already written (`no_tlsv1 = false`: Lua keeps the last
      // of two equal keys, so the renamed one would be lost or would undo the other; a reviewer).
      const change = instead && !nameRefs(f.value).some((x) => x.name === instead && (x.on || x.form === 'key')) ? replaceFix(r.range, instead, `Change to ${instead}`) : undefined;
      const level = severity?.(v!);
      out.push({ range: r.range, message: message(r.name, why, change ? instead : undefined), fixes: [...(change ? [change] : []), removeFix(ctx.doc.getText(), r.form === 'string' ? f.range : r.entry, `Remove ${r.name}`, !change)], ...(level !== undefined ? { severity: level } : {}) });
    }
  }
  return out;
}

/**
 * Lua's error for indexing or calling a global of the wrong type, worded as the Lua the line runs on words it: 5.1 and
 * 5.2 up to 0.11 (a reviewer's 0.11.9 run on Lua 5.2: "attempt to index global 'Lua' (a nil value)"), 5.3's suffix
 * form from 0.12 ("attempt to call a nil value (global 'FileLine')", Debian's 0.12.3 on Lua 5.4).
 */
export function luaGlobalError(line: ProsodyLine, what: 'index' | 'call', name: string, type = 'nil'): string {
  return compareVersions(NEWEST_RELEASE[line], '0.12.0') < 0 ? `attempt to ${what} global '${name}' (a ${type} value)` : `attempt to ${what} a ${type} value (global '${name}')`;
}

/** How to tell the checker that the server runs a newer release, worded for where the file sets it. */
export function versionHint(ctx: RuleContext, since: string): string {
  return ctx.model.directive?.line
    ? `(If the server runs ${since} or later, change the \`-- prosody-ssl: version=\` comment at the top of this file.)`
    : `(If the server runs ${since} or later, say so: a \`-- prosody-ssl: version=\` comment at the top of this file, \`prosodyVersion\` in a \`.prosody-ssl.json\` or the editor's settings, or the CLI's \`--prosody-version\`.)`;
}

/** `VirtualHost "a.example"`, `Component "c.example"` (or the kind alone, for a computed name). */
export function sectionTitle(section: { kind: string; name?: string }): string {
  return `${sectionWord(section.kind)}${section.name ? ` "${section.name}"` : ''}`;
}

export const sectionWord = (kind: string): string => (kind === 'host' ? 'VirtualHost' : 'Component');

/** A cipher string, or a list of them (Prosody joins it with ':'); undefined for anything computed. */
export function cipherValue(v: LuaValue): string | string[] | undefined {
  if (v.kind === 'string') return v.value;
  if (v.kind === 'table' && !v.fields.length && v.items.every((i) => i.kind === 'string')) return v.items.map((i) => (i.kind === 'string' ? i.value : ''));
  return undefined;
}

/**
 * The ciphers an effective entry holds: the written field's own value (the rendered one is cut at 80 characters, a
 * reviewer: Mozilla's list written as one string was never found TLS 1.2-only), else the preset's or default's.
 */
export function ciphersOf(config: ParsedConfig, entry: EffectiveEntry | undefined, line: ProsodyLine): string | string[] | undefined {
  if (!entry) return undefined;
  if (entry.range) {
    const at = fieldAt(config, line, 'ciphers', entry.range);
    return at ? cipherValue(at.f.value) : undefined;
  }
  return entryString(entry) ?? entryStrings(entry);
}

/**
 * The security level `@SECLEVEL=n` in the ciphers in force for a section's connections of this kind sets; undefined
 * where they set none (the system's default applies) or cannot be read.
 */
export function cipherSecLevel(config: ParsedConfig, section: number, c: LayerContext, line: ProsodyLine): number | undefined {
  return ciphersInForce(config, section, c, line)?.seclevel;
}

/** The ciphers in force for a section's connections of this kind, evaluated; undefined where a layer is computed. */
export function ciphersInForce(config: ParsedConfig, section: number, c: LayerContext, line: ProsodyLine): EvaluateResult | undefined {
  if (opaqueLayer(config, section, line)) return undefined;
  const ciphers = ciphersOf(config, effectiveEntry(config, section, c, line, 'ciphers'), line);
  return ciphers === undefined ? undefined : evaluateInput(ciphers);
}
