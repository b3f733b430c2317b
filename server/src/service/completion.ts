// Completion: option names at statement level (scope-aware), keys inside TLS tables, values inside
// strings, flags inside lists or as map keys. Every item carries the hover's documentation.

import type { TextDocument } from 'vscode-languageserver-textdocument';
import {
  CompletionItemKind,
  CompletionItemTag,
  InsertTextFormat,
  MarkupKind,
  TextEdit,
  type CompletionItem,
  type CompletionList,
  type Range as LspRange,
} from 'vscode-languageserver-types';
import {
  configOptions,
  getOption,
  getSslKey,
  getValueSet,
  deprecatedOn,
  lineInRange,
  sslKeyReadOn,
  netServices,
  groupPrefix,
  curveNameOn,
  judgedAs,
  optionOnLine,
  opensslTooOld,
  optionReadIn,
  readPerHostForSni,
  SNI_PER_HOST,
  shapeAllowed,
  servesClients,
  splitServiceOption,
  sslKeys,
  type CatalogValue,
  type ConfigOption,
  type SslKey,
  type ProsodyLine,
  type Scope,
  type ValueSet,
  type ValueSetId,
} from './catalog';
import { cipherItems, cipherWordRange } from './cipherCompletion';
import { blockSnippetItems } from './blockSnippets';
import { keyDetail, optionDetail, optionMarkdown, sslKeyMarkdown, valueMarkdown } from './docs';
import { cursorContext, type StringSlot, type TableContext } from './model/context';
import { segmentAround } from './model/segments';
import { frameAt, lineEndAfter, sectionAt, type Outline, type OutlineFrame, type SectionKind } from './model/structure';
import { isBracketedKey, isBracketedKeyTyped, nextSignificant, tokenAt, tokenBefore } from './model/tokenize';
import { lineInForce, type ConfigDocument } from './model/document';
import { documentProfile } from './model/layering';
import type { Range } from './model/values';
import { ignoredUnder, sniIgnoredIn } from './rules/helpers';
import { verifyNoneWhy } from './rules/unsafe';

const RETRIGGER = { title: 'Suggest', command: 'editor.action.triggerSuggest' };
/** Detail of a key, or a value of one, that a host's SNI context takes from the port (sni-setting-ignored). */
const FROM_PORT = "the port's value applies for this host (SNI)";


export function doComplete(doc: TextDocument, model: ConfigDocument, offset: number, setting: ProsodyLine): CompletionList {
  const line = lineInForce(model, setting);
  const profile = documentProfile(model);
  const ctx = cursorContext(model.outline, offset);
  const range = (r: Range): LspRange => ({ start: doc.positionAt(r[0]), end: doc.positionAt(r[1]) });
  const items: CompletionItem[] = [];

  switch (ctx.kind) {
    case 'none': {
      // A snippet prefix typed whole (`ssl-global`): Lua reads `ssl - global`, so there is no option name here, but
      // a block snippet is still what is being typed.
      const text = doc.getText();
      const typed = /(?:^|\n)[ \t]*([a-z][a-z0-9]*(?:-[a-z0-9]*)+)$/.exec(text.slice(Math.max(0, offset - 200), offset))?.[1];
      if (!typed) break;
      const start = offset - typed.length;
      const head = cursorContext(model.outline, start + typed.indexOf('-'));
      if (head.kind === 'option-name' && frameAt(model.outline, start)?.sectionOptions === undefined) {
        items.push(...blockSnippetItems(line, head.section, range([start, offset]), head.assigned, '', head.section === 'global' ? globalValueOf(model) : undefined));
      }
      break;
    }
    case 'option-name': {
      const scope: Scope = ctx.section;
      // The options of `VirtualHost "x" { … }` are table fields: they need separators, statements do not.
      const frame = frameAt(model.outline, ctx.word[0]);
      const seps = frame?.sectionOptions !== undefined ? fieldSeparators(model.outline, frame, ctx.word) : undefined;
      // A statement completed right before another one on the same line (cursor at the start of an existing line):
      // end the new one with a line break, or the value would run into the next name (`falses2s_secure_auth`).
      const glued = !ctx.hasEquals && !seps?.after && /^[\p{L}\p{N}_"'\[{]/u.test(doc.getText().slice(ctx.word[1], ctx.word[1] + 1)) ? '\n' : '';
      for (const opt of allOptions()) {
        if (ctx.assigned.has(opt.name) || !readInSection(opt, scope, line)) continue;
        const insert = ctx.hasEquals ? opt.name : `${opt.name} = ${opt.snippet}${seps?.after ?? ''}${glued}`;
        items.push({
          label: opt.name,
          kind: opt.kind === 'ssl-table' ? CompletionItemKind.Struct : CompletionItemKind.Property,
          detail: optionDetail(opt, line),
          documentation: { kind: MarkupKind.Markdown, value: optionMarkdown(opt, line) },
          tags: deprecatedOn(opt.deprecated, line) ? [CompletionItemTag.Deprecated] : undefined,
          sortText: sortKey(deprecatedOn(opt.deprecated, line) ? 95 : (opt.rank ?? 50), opt.name),
          textEdit: TextEdit.replace(range(ctx.word), insert),
          insertTextFormat: ctx.hasEquals ? InsertTextFormat.PlainText : InsertTextFormat.Snippet,
          additionalTextEdits: seps?.before !== undefined ? [TextEdit.insert(doc.positionAt(seps.before), ';')] : undefined,
          command: !ctx.hasEquals && opt.snippet.includes('"$1"') ? RETRIGGER : undefined,
        });
      }
      // Blocks written as statements (not `VirtualHost "x" { … }` fields): the top-of-config ones outside any section.
      if (!seps && !ctx.hasEquals) items.push(...blockSnippetItems(line, scope, range(ctx.word), ctx.assigned, glued, scope === 'global' ? globalValueOf(model) : undefined));
      break;
    }
    case 'option-value': {
      const opt = getOption(ctx.option);
      // Inside an option the line lacks (`c2s_ssl` on 0.9, `tls_server_end_point_hash` before 13.0) every key and
      // value would do nothing, as option-too-new says: none is offered.
      if (!opt || !optionOnLine(opt.name, line)) break;
      if (opt.values) items.push(...valueItems(doc, getValueSet(opt.values), line, ctx.inString, ctx.word));
      else if (opt.kind === 'boolean' && !ctx.inString) {
        const d = opt.defaults?.[line];
        items.push(...booleanItems(range(ctx.word), opt.unsafeValue, typeof d === 'boolean' ? d : undefined));
      }
      break;
    }
    case 'table-key': {
      if (!tableReadHere(model.outline, ctx.table, line)) break;
      // A field right after the cursor (`|certificate = "x"`) needs a separator after the new key.
      const after = ctx.hasEquals ? '' : fieldSeparators(model.outline, ctx.table.frame, ctx.word).after;
      // The connections the table reaches: the shapes a key takes (client contexts) and its default (s2s) depend on them.
      const reach = getOption(ctx.table.option)?.contexts;
      for (const key of sslKeys) {
        if (ctx.present.has(key.name) || key.notOffered) continue;
        if (!sslKeyReadOn(key.name, line)) continue;
        const snippet = key.snippetOn?.[line] ?? key.snippet;
        const insert = ctx.hasEquals ? key.name : `${key.name} = ${snippet}${after}`;
        // `curve` where Prosody sets a default `curveslist` (0.10+): LuaSec ignores it, and curve-ignored says so.
        const over = key.ignoredUnder;
        const ignored = over !== undefined && (ctx.present.has(over) || (getSslKey(over)?.defaults[line] ?? null) !== null);
        const fromPort = sniIgnoredIn(model.outline, ctx.table, key.name, line);
        const dead = deprecatedOn(key.deprecated, line) || ignored || fromPort;
        const why = fromPort ? ` · ${FROM_PORT}` : ignored ? ` · ignored while \`${over}\` is in force` : '';
        items.push({
          label: key.name,
          kind: CompletionItemKind.Property,
          detail: `${keyDetail(key, line, profile, reach)}${why}`,
          documentation: { kind: MarkupKind.Markdown, value: sslKeyMarkdown(key, line, profile, reach) },
          tags: dead ? [CompletionItemTag.Deprecated] : undefined,
          sortText: sortKey(dead ? 95 : (key.rank ?? 50), key.name),
          textEdit: TextEdit.replace(range(ctx.word), insert),
          insertTextFormat: ctx.hasEquals ? InsertTextFormat.PlainText : InsertTextFormat.Snippet,
          additionalTextEdits: ctx.separatorAfter !== undefined ? [TextEdit.insert(doc.positionAt(ctx.separatorAfter), ';')] : undefined,
          command: !ctx.hasEquals && snippet.includes('"$1"') ? RETRIGGER : undefined,
        });
      }
      break;
    }
    case 'table-value': {
      if (!tableReadHere(model.outline, ctx.table, line)) break;
      if (!ctx.table.isSslTable) {
        // `options = { no_ticket = | }`: map flags take booleans, on a line that reads a map there (0.9 does not).
        const flags = ctx.table.sslKey ? getSslKey(ctx.table.sslKey) : undefined;
        if (flags && sslKeyReadOn(flags.name, line) && shapeOn(flags, 'map', line) && !ctx.inString) items.push(...booleanItems(range(ctx.word)));
        break;
      }
      const key = getSslKey(ctx.key);
      if (!key || !sslKeyReadOn(key.name, line)) break; // a key this line never hands to LuaSec
      const weakens = verifyNoneWeakens(model.outline, ctx.table, key.name, line);
      const fromPort = sniIgnoredIn(model.outline, ctx.table, key.name, line);
      if (key.name === 'ciphers' && ctx.inString) {
        const word = cipherWordRange(doc.getText(), ...ctx.inString.contentRange, offset);
        items.push(...cipherItems(doc, word, doc.getText().slice(ctx.inString.contentRange[0], word[0]).trim() === ''));
      } else if (key.name === 'ciphers') {
        items.push(...cipherItems(doc, ctx.word, true, { quoted: true }));
      } else if (key.values && !key.shapes.includes('string')) {
        // A key that takes a list (alpn, dane): a bare name would be a string, which LuaSec refuses or ignores, so
        // names go in as a one-item list; inside a string there is nothing valid to offer.
        if (!ctx.inString) {
          items.push(...valueItems(doc, getValueSet(key.values), line, undefined, ctx.word, { asList: true }));
          if (key.shapes.includes('boolean')) items.push(...booleanItems(range(ctx.word)));
        }
      } else if (key.values) {
        const set = getValueSet(key.values);
        if (ctx.inString && key.merge === 'replace-joined') {
          // A ':'-joined value (curveslist, ciphersuites): complete the name around the cursor, but not one already
          // in the string (OpenSSL refuses a group twice, "unknown elliptic curve"), nor after a separator
          // OpenSSL does not split at.
          const seg = joinedSegment(doc.getText(), ...ctx.inString.contentRange, offset);
          if (seg) items.push(...valueItems(doc, set, line, ctx.inString, seg.word, { filter: notIn(seg.others), fromPort }));
        } else items.push(...valueItems(doc, set, line, ctx.inString, ctx.word, { weakens, fromPort }));
      } else if (key.shapes.includes('boolean') && !ctx.inString) {
        items.push(...booleanItems(range(ctx.word)));
      }
      break;
    }
    case 'table-item': {
      if (!tableReadHere(model.outline, ctx.table, line)) break;
      const key = ctx.table.sslKey ? getSslKey(ctx.table.sslKey) : undefined;
      if (!key || !sslKeyReadOn(key.name, line)) break; // a key this line never hands to LuaSec (curveslist on 0.9)
      const { tokens } = model.outline;
      // A flag map's `["no_ticket"] = true` key is a map entry; anything else here is a list item.
      const inKey = ctx.inString !== undefined && isBracketedKeyTyped(tokens, tokenAt(tokens, ctx.inString.token.start));
      // Prosody joins some lists only from a later release (ciphersuites 0.12, ciphers 0.10), LuaSec reads a flag
      // map only from 0.10: where the line refuses or ignores the shape, nothing written there would count.
      if (!shapeOn(key, inKey ? 'map' : 'list', line) && !(ctx.mapStyle && !ctx.inString && shapeOn(key, 'map', line))) break;
      if (key.name === 'ciphers' && ctx.inString) {
        items.push(...cipherItems(doc, cipherWordRange(doc.getText(), ...ctx.inString.contentRange, offset), false));
        break;
      }
      if (key.name === 'ciphers') {
        const after = fieldSeparators(model.outline, ctx.table.frame, ctx.word).after;
        items.push(...cipherItems(doc, ctx.word, ctx.table.frame.items.length === 0, { quoted: true, skip: ctx.present, after }));
        break;
      }
      const set = key.values ? getValueSet(key.values as ValueSetId) : undefined;
      if (!set) break;
      // `["no_ticket"] = true` is the map entry `no_ticket = true` spelt another way.
      const bracketed = bracketedKeys(model.outline, ctx.table.frame, ctx.inString?.token.start);
      const fresh = notIn([...ctx.present, ...bracketed]);
      // A map where the line reads none (0.9): its entries are dropped, so list items are what can still count.
      const mapStyle = (ctx.mapStyle || (bracketed.length > 0 && ctx.table.frame.items.length === 0)) && shapeOn(key, 'map', line);
      // `verify = { "none" }` alone is what verify-none-s2s reports; next to another flag it is not.
      const weakens = [...ctx.present].every((n) => n === 'none') ? verifyNoneWeakens(model.outline, ctx.table, key.name, line) : undefined;
      const fromPort = sniIgnoredIn(model.outline, ctx.table, key.name, line);
      const after = ctx.inString ? '' : fieldSeparators(model.outline, ctx.table.frame, ctx.word).after;
      if (mapStyle && !ctx.inString) {
        for (const v of set.values.filter(fresh)) {
          const item = valueItem(set, v, line, false, fromPort);
          if (!item) continue;
          items.push({ ...item, textEdit: TextEdit.replace(range(ctx.word), `${v.name} = true${after}`) });
        }
      } else {
        const list = valueItems(doc, set, line, ctx.inString, ctx.word, { filter: fresh, weakens, fromPort });
        items.push(...(after ? list.map((it) => ({ ...it, textEdit: { ...(it.textEdit as TextEdit), newText: (it.textEdit as TextEdit).newText + after } })) : list));
      }
      break;
    }
  }
  const all = (ctx.kind === 'table-value' || ctx.kind === 'option-value') && !ctx.inString ? beforeValue(doc, model.outline, ctx.word, items) : items;
  return { isIncomplete: false, items: onCursorLine(doc, offset, all) };
}

/**
 * LSP wants each completion edit on the cursor's line: the word of a value written over several lines
 * (`ciphers = [[` … `]]`) is cut at that line's ends (a reviewer: clients may drop edits that span lines).
 */
function onCursorLine(doc: TextDocument, offset: number, items: CompletionItem[]): CompletionItem[] {
  const cursor = doc.positionAt(offset);
  const spans = (it: CompletionItem): boolean => !!it.textEdit && 'range' in it.textEdit && it.textEdit.range.start.line !== it.textEdit.range.end.line;
  if (!items.some(spans)) return items;
  const lineEnd = doc.positionAt(lineEndAfter(doc.getText(), offset));
  return items.map((it) => {
    if (!spans(it)) return it;
    const { range, newText } = it.textEdit as TextEdit;
    const start = range.start.line < cursor.line ? { line: cursor.line, character: 0 } : range.start;
    return { ...it, textEdit: { range: { start, end: range.end.line > cursor.line ? lineEnd : range.end }, newText } };
  });
}

/**
 * A value completed with the cursor right before the value already written (`protocol = |"tlsv1_2+"`) replaces it:
 * inserted in front, the two would run together (`"tlsv1_3+""tlsv1_2+"`). In front of a table nothing fits.
 */
function beforeValue(doc: TextDocument, outline: Outline, word: Range, items: CompletionItem[]): CompletionItem[] {
  const { tokens } = outline;
  const n = nextSignificant(tokens, tokenBefore(tokens, word[1]));
  if (n < 0 || tokens.start(n) !== word[1]) return items;
  const kind = tokens.kind(n);
  if (kind === 'symbol') return tokens.isSymbol(n, '{') ? [] : items;
  if (kind !== 'string' && kind !== 'name' && kind !== 'number') return items;
  const end = doc.positionAt(tokens.end(n));
  return items.map((it) => (it.textEdit && 'range' in it.textEdit ? { ...it, textEdit: { ...it.textEdit, range: { start: it.textEdit.range.start, end } } } : it));
}

const FIELD_SEPARATORS = new Set(['{', ',', ';']);

/**
 * Lua needs `;` or `,` between the fields of a table (a line break is not one). For a field inserted at `word`
 * in `frame`: `before`, where to add one after the field ending on an earlier line (when the context accepted
 * the cursor there, that field ends with a value); `after`, what to append when another field follows.
 */
function fieldSeparators(outline: Outline, frame: OutlineFrame, word: Range): { before?: number; after: string } {
  const { tokens, text } = outline;
  let b = tokenBefore(tokens, word[0]);
  while (b >= 0 && tokens.kind(b) === 'comment') b--;
  const prev = b >= 0 ? tokens.at(b)! : undefined;
  const before = prev && prev.start > frame.start && !(prev.kind === 'symbol' && FIELD_SEPARATORS.has(prev.value)) && /[\r\n]/.test(text.slice(prev.end, word[0])) ? prev.end : undefined;
  const n = nextSignificant(tokens, tokenBefore(tokens, word[1]));
  const next = n >= 0 ? tokens.at(n)! : undefined;
  const startsField = next !== undefined && next.start < frame.end && (next.kind !== 'symbol' || next.value === '[' || next.value === '{');
  const after = !startsField ? '' : /[\r\n]/.test(text.slice(word[1], next.start)) ? ';' : '; ';
  return { before, after };
}

/** The `["x"] = …` keys written directly in `frame` (not in tables nested in it), but the one whose string starts at `editing`. */
function bracketedKeys(outline: Outline, frame: OutlineFrame, editing?: number): string[] {
  const { tokens } = outline;
  const out: string[] = [];
  let depth = 0;
  for (let i = frame.openIndex + 1; i < tokens.length && tokens.start(i) < frame.end; i++) {
    if (tokens.isSymbol(i, '{')) depth++;
    else if (tokens.isSymbol(i, '}')) depth--;
    else if (depth === 0 && tokens.kind(i) === 'string' && tokens.start(i) !== editing && isBracketedKey(tokens, i)) out.push(tokens.at(i)!.value);
  }
  return out;
}

function allOptions(): ConfigOption[] {
  const seen = new Set(configOptions.map((o) => o.name));
  const out = [...configOptions];
  // The <service>_ssl / _ports / _interfaces / _certificate of TLS services are options too (certmanager reads
  // the certificate by the service's own name, `multiplex_ssl_certificate`, not by its option prefix).
  for (const svc of netServices) {
    if (!svc.encrypted) continue;
    for (const suffix of ['_ssl', '_ports', '_interfaces', '_certificate']) {
      const name = (suffix === '_certificate' ? (svc.name ?? svc.prefix) : svc.prefix) + suffix;
      const opt = getOption(name);
      if (opt && !seen.has(name)) {
        seen.add(name);
        out.push(opt);
      }
    }
  }
  return out;
}

/**
 * Whether the line reads the option written in this section. A service's ssl table (`https_ssl`,
 * `c2s_direct_tls_ssl`, …) is read per host from 0.12 only, where portmanager's add_sni_host builds each host's SNI
 * context from it (global-option-in-host says so); before that only the global one is.
 */
function readInSection(opt: ConfigOption, section: SectionKind, line: ProsodyLine): boolean {
  if (section === 'global' || !readPerHostForSni(opt, opt.name)) return optionReadIn(opt, section, line);
  // A Component takes no client connections (c2s_ssl is not offered there either): not the client services' tables.
  const split = splitServiceOption(opt.name);
  if (section === 'component' && split && servesClients(split.service)) return false;
  return optionOnLine(opt.name, line) && lineInRange(line, SNI_PER_HOST);
}

/**
 * Whether the line reads the TLS table at the cursor where it is written, as the rules judge it (tableReadOn):
 * inside a table the line lacks there (`c2s_ssl` on 0.9, a host's `https_ssl` before 0.12, a host's
 * `client_https_ssl`) every key and value would do nothing, as option-too-new and global-option-in-host say.
 */
function tableReadHere(outline: Outline, table: TableContext, line: ProsodyLine): boolean {
  // 13.0 has no per-port tables: its sslconfig throws on the number key (ssl-value-type), so nothing there counts.
  if (table.subIsNumber && line === '13.0') return false;
  const opt = getOption(table.option);
  if (!opt) return true;
  const section = outline.sections[sectionAt(outline, table.frame.start)]!.kind;
  if (section === 'global' || readPerHostForSni(opt, opt.name)) return readInSection(opt, section, line);
  return optionOnLine(opt.name, line) && !ignoredUnder(opt, section);
}

/** Whether the line takes this shape for the key, as the type rules judge a written value. */
function shapeOn(key: SslKey, shape: 'list' | 'map', line: ProsodyLine): boolean {
  return shapeAllowed(judgedAs(key, line, false), shape, line) === 'yes';
}

/** Values none of whose spellings (name or alias) is among `names`: one group is one group however it is written. */
function notIn(names: Iterable<string>): (v: CatalogValue) => boolean {
  const taken = new Set(names);
  return (v) => !taken.has(v.name) && !(v.aliases ?? []).some((a) => taken.has(a));
}

/**
 * The name at the cursor in a ':'-joined list (curveslist, ciphersuites) and the names around it. OpenSSL splits
 * these at ':' only, trimming blanks around a name (CONF_parse_list): after a ',', ';' or a blank inside the
 * name there is nothing valid to complete (undefined). Cipher strings split at more; they never come here.
 */
function joinedSegment(text: string, cs: number, ce: number, offset: number): { word: Range; others: string[] } | undefined {
  const [a, b] = segmentAround(text, cs, ce, offset, /:/);
  let s = a;
  while (s < offset && /\s/.test(text[s]!)) s++;
  if (/[,;\s]/.test(text.slice(s, offset))) return undefined;
  let e = Math.max(s, offset);
  while (e < b && !/[,;\s]/.test(text[e]!)) e++;
  // OpenSSL 3.3+ also writes `?name`, `-name` and `a/b` tuples: the names are what is taken.
  const names = (t: string): string[] => t.split(/[:/]/).map((n) => groupPrefix(n.trim()).name).filter(Boolean);
  return { word: [s, e], others: [...names(text.slice(cs, a)), ...names(text.slice(b, ce))] };
}

/**
 * For `verify` values: "none" weakens security exactly where verify-none-s2s reports it (the rule's own test,
 * from the table's option, section and port), so it is ranked and marked like other unsafe values.
 */
function verifyNoneWeakens(outline: Outline, table: TableContext, key: string, line: ProsodyLine): ((v: CatalogValue) => boolean) | undefined {
  if (key !== 'verify') return undefined;
  const why = verifyNoneWhy({ option: table.option, section: sectionAt(outline, table.frame.start), sub: table.sub }, line);
  return why === undefined ? undefined : (v) => v.name === 'none';
}

function sortKey(rank: number, name: string): string {
  return `${String(Math.max(0, Math.min(99, rank))).padStart(2, '0')}_${name}`;
}

/**
 * `weakens`: the value weakens security where it is being written, although the catalog does not say so everywhere.
 * `fromPort`: the key is one a host's SNI context takes from the port, so no value written here weakens or does
 * anything (sni-setting-ignored), and none is marked so.
 */
function valueItem(set: ValueSet, v: CatalogValue, line: ProsodyLine, weakens = false, fromPort = false): CompletionItem | undefined {
  if (v.prosody && !lineInRange(line, v.prosody)) return undefined;
  if (v.luasec?.removed || v.notOffered) return undefined;
  const deprecated = deprecatedOn(v.deprecated, line);
  const unsafe = !fromPort && (v.unsafe !== undefined || weakens);
  const noop = !fromPort && v.noop;
  const newer = opensslTooOld(v, line);
  const rank = unsafe ? 90 : deprecated ? 95 : noop || newer ? 80 : (v.rank ?? 50);
  return {
    label: v.name,
    kind: CompletionItemKind.EnumMember,
    detail: fromPort ? `${set.noun} · ${FROM_PORT}` : unsafe ? `${set.noun} · weakens security` : noop ? `${set.noun} · no effect on OpenSSL 3` : newer ? `${set.noun} · needs OpenSSL ${newer}` : set.noun,
    documentation: { kind: MarkupKind.Markdown, value: valueMarkdown(set, v, line) },
    tags: deprecated || noop ? [CompletionItemTag.Deprecated] : undefined,
    sortText: sortKey(rank, v.name),
  };
}

/**
 * Items for a value set. Inside a string they replace exactly the string's content (or the segment
 * for ':'-joined lists); outside a string they insert a quoted value.
 */
function valueItems(
  doc: TextDocument,
  set: ValueSet | undefined,
  line: ProsodyLine,
  slot: StringSlot | undefined,
  word: Range,
  opts: {
    readonly filter?: (v: CatalogValue) => boolean;
    /** Outside a string: insert `{ "name" }` (for keys that take a list only). */
    readonly asList?: boolean;
    /** Values that weaken security here (see valueItem). */
    readonly weakens?: (v: CatalogValue) => boolean;
    /** The key is the port's for this host's SNI context (see valueItem). */
    readonly fromPort?: boolean;
  } = {},
): CompletionItem[] {
  const { filter = () => true, asList = false, weakens, fromPort } = opts;
  if (!set) return [];
  const out: CompletionItem[] = [];
  const r: LspRange = { start: doc.positionAt(word[0]), end: doc.positionAt(word[1]) };
  // An unclosed string is closed after the last piece only, not after a segment of a ':'-joined list.
  const closing = slot && word[1] === slot.contentRange[1] ? slot.closing : '';
  for (const v of set.values) {
    if (!filter(v)) continue;
    const item = valueItem(set, v, line, weakens?.(v), fromPort);
    if (!item) continue;
    // Aliases (P-256 for prime256v1) are offered as items of their own: both spellings are common.
    // 0.9's LuaSec takes for `curve` only the names of its fixed table (catalog/curves.ts).
    const names = [v.name, ...(v.aliases ?? [])].filter((n) => set.id !== 'curve' || curveNameOn(n, line));
    for (const name of names) {
      const it = name === v.name ? item : { ...item, label: name, detail: `${item.detail} · same as ${v.name}`, sortText: `${item.sortText}~` };
      if (slot) {
        out.push({ ...it, textEdit: TextEdit.replace(r, name + closing) });
      } else {
        out.push({ ...it, filterText: name, textEdit: TextEdit.replace(r, asList ? `{ ${JSON.stringify(name)} }` : JSON.stringify(name)) });
      }
    }
  }
  return out;
}

/**
 * `unsafe`: the option's catalog fact (insecure-setting reports that value): it comes last and says why.
 * Otherwise, with the option's default known, the other value comes first (writing the default changes nothing).
 */
function booleanItems(r: LspRange, unsafe?: ConfigOption['unsafeValue'], byDefault?: boolean): CompletionItem[] {
  return [true, false].map((b) => {
    const item: CompletionItem = { label: String(b), kind: CompletionItemKind.Keyword, textEdit: TextEdit.replace(r, String(b)) };
    if (!unsafe) return byDefault === undefined ? item : b === byDefault ? { ...item, detail: 'default', sortText: sortKey(60, item.label) } : { ...item, sortText: sortKey(40, item.label) };
    if (b !== unsafe.value) return { ...item, sortText: sortKey(50, item.label) };
    return { ...item, detail: 'weakens security', documentation: { kind: MarkupKind.Markdown, value: `⚠ ${unsafe.why} ${unsafe.instead}` }, sortText: sortKey(90, item.label) };
  });
}

/** A global option's value as written, when it is one token (`true`, `"modern"`): the last assignment's. */
function globalValueOf(model: ConfigDocument): (name: string) => string | undefined {
  const { tokens, assignments, text } = model.outline;
  return (name) => {
    const a = assignments.filter((x) => x.section === 0 && x.name === name).at(-1);
    if (!a) return undefined;
    const v = nextSignificant(tokens, a.eqIndex);
    const t = v >= 0 ? tokens.at(v) : undefined;
    const after = t ? nextSignificant(tokens, v) : -1;
    const next = after >= 0 ? tokens.at(after) : undefined;
    // Only a value that ends its statement: `x = a .. b` or `x = f()` is computed.
    if (!t || (next && next.kind === 'symbol' && !['}', ';', ','].includes(next.value) && !/\n/.test(text.slice(t.end, next.start)))) return undefined;
    return text.slice(t.start, t.end);
  };
}
