// Parses a config with luaparse into the config model: sections, settings and their values, and
// the TLS tables among them. luaparse fails fast on the first syntax error; we record that error
// and the caller falls back to the tolerant outline (and the last good model) for everything else.

import * as luaparse from 'luaparse';
import type * as ast from 'luaparse';
import { decodeStringLiteral, longBracketAt, tokenize } from './tokenize';
import type { LuaValue, Range } from './values';
import { BooleanNode, exact, ExpressionNode, FieldNode, NilNode, NumberNode, SectionNode, SettingNode, StringNode, TableNode, type ValueNode } from './nodes';
import { isGlobalHeader, SECTION_WORDS, type SectionKind } from './sectionWords';
import { hasTemplatePlaceholder } from './templates';
import { isSecretName, shownString } from './secrets';
import { lineEndAfter, lineStartBefore } from './structure';
import { sharedTables } from './sharedTables';

export interface Section {
  readonly kind: SectionKind;
  readonly name?: string;
  readonly module?: string;
  /** The header call (`VirtualHost "x"`); [0,0] for the global section. */
  readonly range: Range;
}

export interface Setting {
  readonly name: string;
  readonly nameRange: Range;
  readonly value: LuaValue;
  /** The whole assignment statement. */
  readonly range: Range;
  readonly section: number;
  /** Written inside `if`/`do`/loops: may or may not take effect. */
  readonly conditional: boolean;
}

export interface SyntaxProblem {
  readonly message: string;
  readonly range: Range;
  /** 'syntax' for a Lua error, 'too-deep' when nesting exhausted the parser's stack. */
  readonly kind: 'syntax' | 'too-deep';
}

export interface ParsedConfig {
  readonly sections: readonly Section[];
  readonly settings: readonly Setting[];
  /**
   * Stands for the global section's settings: configs with the same one hold the same global setting objects (the
   * versions of a document whose global chunk is unchanged), so what is worked out of those alone is kept with it
   * across versions (layering's base layers). Absent: this config alone.
   */
  readonly global?: object;
}

/** `config` with its `global` key (set apart from the content: tests compare configs, and it is an identity). */
export function withGlobalKey<T extends ParsedConfig>(config: T, key: object | undefined): T {
  if (key) Object.defineProperty(config, 'global', { value: key, enumerable: false });
  return config;
}

export type ParseResult = { ok: true; config: ParsedConfig } | { ok: false; error: SyntaxProblem };

export function parseConfig(text: string): ParseResult {
  const chunk = parseLua(text);
  if ('error' in chunk) return { ok: false, error: toProblem(text, chunk.error) };
  const { sections, settings } = walkChunk(chunk, 0, 1);
  return { ok: true, config: { sections: [GLOBAL_SECTION, ...sections], settings } };
}

export const GLOBAL_SECTION: Section = Object.freeze({ kind: 'global', range: [0, 0] as Range });

/** The settings and section headers of one piece of a config, parsed on its own (see chunks.ts). */
export interface ChunkConfig {
  /** The headers written in this piece. */
  readonly sections: readonly SectionNode[];
  /** Section indexes count from `base`: `base - 1` is the section in force where the piece starts. */
  readonly settings: readonly SettingNode[];
  readonly base: number;
  /** Offset of the piece in the document its ranges belong to. */
  readonly offset: number;
  /** Its last top-level statement is `return`: only valid as the very end of a file. */
  readonly endsWithReturn: boolean;
  /** It has a top-level label: luaparse checks labels and gotos across the whole block, so not per chunk. */
  readonly hasLabel: boolean;
  /**
   * Its scope does not follow from its own headers alone: it has settings before its first header (the
   * line it was cut at is no header to the model, e.g. `VirtualHost.x = …`), or a header that returns to
   * global scope (`VirtualHost "x" { … }`). Such a chunk can be neither moved nor judged apart from the
   * others, so a document with one after its first chunk is parsed and checked whole.
   */
  readonly entangled: boolean;
  /**
   * It declares a table literal in a top-level `local` (sharedTables.ts): options in later chunks may be given it, and
   * only a parse of the whole text sees both, so such a config is parsed whole.
   */
  readonly sharesTables: boolean;
}

/** Parses `source` as the piece of a document starting at `offset`; undefined when it does not parse alone. */
export function parseChunk(source: string, offset: number, base: number): ChunkConfig | undefined {
  const chunk = parseLua(source);
  if ('error' in chunk) return undefined;
  const { sections, settings, returnsToGlobal, sharesTables } = walkChunk(chunk, offset, base);
  const last = chunk.body[chunk.body.length - 1];
  return {
    sections,
    settings,
    base,
    offset,
    endsWithReturn: last?.type === 'ReturnStatement',
    hasLabel: chunk.body.some((st) => st.type === 'LabelStatement'),
    entangled: returnsToGlobal || settings.some((st) => st.section < base),
    sharesTables,
  };
}

const LUAPARSE_OPTIONS = { ranges: true, luaVersion: '5.3', comments: false, scope: false, locations: false } as const;

// luaparse keeps its last token between parses and quotes it ("near …") when it cannot lex a character; when
// that character is the first token of a text, the token is a previous parse's (a slice of another text at
// stale offsets), and before any parse there is none and luaparse throws a TypeError instead. One empty parse
// gives it a token; toProblem then names the character itself.
luaparse.parse('', LUAPARSE_OPTIONS);

/**
 * A leading BOM is its own syntax-error (Prosody refuses it), and so is a `#` first line after it: read past both,
 * blanked to the same length so offsets stay, to judge the rest (luaparse skips a `#` line only at offset 0).
 */
function luaSource(text: string): string {
  const source = withoutAttribs(text);
  if (source.charCodeAt(0) !== 0xfeff) return source;
  const end = source.charCodeAt(1) === 35 ? source.search(/[\r\n]|$/) : 1;
  return ' '.repeat(end) + source.slice(end);
}

/**
 * Lua 5.4's attributes of a local (`local tls <const> = { … }`), blanked to the same length: luaparse knows Lua 5.3
 * at most, and Prosody runs on 5.4 (Debian 12's starts with lua5.4), where they are valid (a reviewer: a config that
 * loaded was said not to).
 */
function withoutAttribs(text: string): string {
  if (!text.includes('<')) return text;
  return text.replace(/(\blocal\s+(?:[A-Za-z_]\w*\s*(?:<\s*(?:const|close)\s*>)?\s*,\s*)*[A-Za-z_]\w*\s*)(<\s*(?:const|close)\s*>)/g, (_m, head: string, attrib: string) => head + ' '.repeat(attrib.length))
    .replace(/(\blocal\s+[A-Za-z_]\w*\s*)(<\s*(?:const|close)\s*>)(\s*,)/g, (_m, head: string, attrib: string, comma: string) => head + ' '.repeat(attrib.length) + comma);
}

function parseLua(text: string): ast.Chunk | { error: unknown } {
  try {
    return luaparse.parse(luaSource(text), LUAPARSE_OPTIONS);
  } catch (error) {
    return { error };
  }
}

/**
 * Sections and settings of a parsed chunk, with ranges moved by `offset`. Sections found here are
 * numbered from `base`; settings before the first of them belong to section `base - 1`. The table
 * form (`VirtualHost "x" { … }`) sets its options on that section and returns to global scope, as
 * Prosody's config loader does, so settings after it are global (section 0).
 */
function walkChunk(chunk: ast.Chunk, offset: number, base: number): { sections: readonly SectionNode[]; settings: readonly SettingNode[]; returnsToGlobal: boolean; sharesTables: boolean } {
  const sections: SectionNode[] = [];
  const settings: SettingNode[] = [];
  let current = base - 1;
  let returnsToGlobal = false;
  const at = at0(offset);
  const shared = sharedTables(chunk);
  walkBlock(chunk.body, false);
  return { sections: exact(sections), settings: exact(settings), returnsToGlobal, sharesTables: shared.size > 0 };

  function setting(name: string, key: ast.Node, value: ast.Expression, whole: ast.Node, conditional: boolean): SettingNode {
    // A shared table literal (sharedTables.ts): judged where it is written, for each option it is assigned to.
    const local = value.type === 'Identifier' ? shared.get(value.name) : undefined;
    const v = local && at.start(value) - offset >= local.after ? toTable(local.table, at) : toValue(value, at);
    return new SettingNode(name, at.start(key), at.end(key), v, at.start(whole), at.end(whole), current, conditional);
  }

  /** The options of the table form (`VirtualHost "x" { … }`), set on the section in force. */
  function headerOptions(header: Header, conditional: boolean): void {
    for (const f of header.options?.fields ?? []) {
      if (f.type === 'TableValue') continue;
      const name = f.type === 'TableKeyString' ? f.key.name : stringOf(f.key);
      if (name !== undefined) settings.push(setting(name, f.key, f.value, f, conditional));
    }
  }

  function walkBlock(body: readonly ast.Statement[], conditional: boolean): void {
    for (const st of body) {
      switch (st.type) {
        case 'AssignmentStatement':
          st.variables.forEach((v, i) => {
            const init = st.init[i];
            if (v.type !== 'Identifier' || !init) return;
            settings.push(setting(v.name, v, init, st, conditional));
          });
          break;
        case 'CallStatement': {
          const header = sectionHeader(st.expression);
          if (!header) break;
          if (isGlobalHeader(header.kind, header.name)) {
            // Back to global scope: the section Prosody calls "*" (a chunk starting here is entangled, so checked whole).
            current = 0;
            returnsToGlobal = true;
            headerOptions(header, conditional);
            break;
          }
          sections.push(new SectionNode(header.kind, header.name, header.module, at.start(st), at.end(st)));
          current = base + sections.length - 1;
          if (!header.returnsToGlobal) break;
          headerOptions(header, conditional);
          current = 0;
          returnsToGlobal = true;
          break;
        }
        case 'IfStatement':
          for (const clause of st.clauses) walkBlock(clause.body, true);
          break;
        case 'DoStatement':
          walkBlock(st.body, conditional);
          break;
        case 'WhileStatement':
        case 'RepeatStatement':
        case 'ForNumericStatement':
        case 'ForGenericStatement':
          walkBlock(st.body, true);
          break;
        default:
          break;
      }
    }
  }
}

interface Header {
  readonly kind: SectionKind;
  readonly name?: string;
  readonly module?: string;
  /**
   * The header is called once more (`VirtualHost "x" { … }`, `Component "x" "mod" { … }`): Prosody sets
   * those options on the section and returns to global scope (configmanager.lua), whatever the argument.
   */
  readonly returnsToGlobal: boolean;
  /** The options, when written as a table constructor. */
  readonly options?: ast.TableConstructorExpression;
}

function sectionHeader(e: ast.Expression): Header | undefined {
  // The first argument of each call, innermost first: Component "x" "muc" { … } nests three calls.
  const args: Array<ast.Expression | undefined> = [];
  let cur: ast.Expression = e;
  for (;;) {
    if (cur.type === 'StringCallExpression') args.unshift(cur.argument);
    else if (cur.type === 'TableCallExpression') args.unshift(cur.arguments);
    else if (cur.type === 'CallExpression') args.unshift(cur.arguments[0]);
    else break;
    cur = cur.base;
  }
  const kind = cur.type === 'Identifier' ? SECTION_WORDS.get(cur.name) : undefined;
  if (!kind || args.length === 0) return undefined;
  const name = args[0] ? stringOf(args[0]) : undefined;
  // Component's second call takes a module name when given a string; any other call is the options.
  const module = kind === 'component' && args[1] ? stringOf(args[1]) : undefined;
  // The header's own calls: the name, and a Component's module; any call after them is the options.
  const own = module !== undefined ? 2 : 1;
  const options = args[own];
  return { kind, name, module, returnsToGlobal: args.length > own, options: options?.type === 'TableConstructorExpression' ? options : undefined };
}

function stringOf(e: ast.Expression): string | undefined {
  return e.type === 'StringLiteral' ? decodeString(e.raw) : undefined;
}

/** luaparse leaves `value` null in its default encoding mode; decode the raw text as our tokenizer does. */
function decodeString(raw: string): string {
  return decodeStringLiteral(raw) ?? raw;
}

/** Document offsets of luaparse nodes: it sets `range` on every node when asked to (its type declarations omit it). */
interface Offsets {
  start(n: ast.Node): number;
  end(n: ast.Node): number;
}

function at0(offset: number): Offsets {
  const r = (n: ast.Node): [number, number] | undefined => (n as { range?: [number, number] }).range;
  return { start: (n) => (r(n)?.[0] ?? 0) + offset, end: (n) => (r(n)?.[1] ?? 0) + offset };
}

function toValue(e: ast.Expression, at: Offsets): ValueNode {
  const s = at.start(e);
  const t = at.end(e);
  switch (e.type) {
    case 'StringLiteral': {
      const value = decodeString(e.raw);
      if (hasTemplatePlaceholder(value)) return new ExpressionNode('template placeholder', s, t, shownString(value));
      const [open, close] = delimiters(e.raw);
      return new StringNode(value, s, t, open, close);
    }
    case 'NumericLiteral':
      return new NumberNode(e.value, e.raw, s, t);
    case 'BooleanLiteral':
      return new BooleanNode(e.value, s, t);
    case 'NilLiteral':
      return new NilNode(s, t);
    case 'UnaryExpression':
      if (e.operator === '-' && e.argument.type === 'NumericLiteral') return new NumberNode(-e.argument.value, '-' + e.argument.raw, s, t);
      return new ExpressionNode('expression', s, t);
    case 'TableConstructorExpression':
      return toTable(e, at);
    case 'FunctionDeclaration':
      return new ExpressionNode('function', s, t);
    case 'CallExpression':
    case 'StringCallExpression':
    case 'TableCallExpression':
      return new ExpressionNode('call', s, t);
    case 'BinaryExpression':
      return new ExpressionNode(e.operator === '..' ? 'concatenation' : 'expression', s, t);
    case 'Identifier':
    case 'MemberExpression':
    case 'IndexExpression':
      return new ExpressionNode('variable', s, t);
    default:
      return new ExpressionNode('expression', s, t);
  }
}

/**
 * Lengths of a string literal's opening and closing delimiters: a quote each, or a long bracket (`[==[` … `]==]`)
 * whose content also skips one line break right after the opening bracket.
 */
function delimiters(raw: string): [open: number, close: number] {
  const long = longBracketAt(raw, 0);
  return long ? [long.valueStart, raw.length - long.contentEnd] : [1, 1];
}

function toTable(e: ast.TableConstructorExpression, at: Offsets): TableNode {
  const items: ValueNode[] = [];
  let fields: FieldNode[] = [];
  let numbered: Map<number, FieldNode> | undefined;
  for (const f of e.fields) {
    if (f.type === 'TableValue') items.push(toValue(f.value, at));
    else if (f.type === 'TableKeyString') fields.push(new FieldNode(f.key.name, at.start(f.key), at.end(f.key), false, toValue(f.value, at), at.start(f), at.end(f)));
    else {
      const k = f.key;
      const key = k.type === 'StringLiteral' ? decodeString(k.raw) : k.type === 'NumericLiteral' ? k.value : undefined;
      const [open, close] = k.type === 'StringLiteral' ? delimiters(k.raw) : [0, 0];
      if (key === undefined) continue;
      const field = new FieldNode(key, at.start(k), at.end(k), true, toValue(f.value, at), at.start(f), at.end(f), open, close);
      fields.push(field);
      if (typeof key === 'number' && field.value instanceof StringNode) (numbered ??= new Map()).set(key, field);
    }
  }
  if (numbered) {
    // `[n] = "x"` continuing the positional entries is a list entry to Lua (ipairs, table.concat and # read it), so
    // `ciphers = { [1] = "HIGH", [2] = "!aNULL" }` is the list it looks like. Its range spans the key: a fix that
    // removes the entry removes `[n] =` with it. (Keys the positional entries also fill are theirs: Lua sets those last.)
    for (let f = numbered.get(items.length + 1); f; f = numbered.get(items.length + 1)) {
      const v = f.value as StringNode;
      const [open, close] = [v.contentRange[0] - f.start, v.end - v.contentRange[1]];
      items.push(new StringNode(v.value, f.start, v.end, open, close));
    }
    // Every `[k]` the list now covers is gone from the table's keys: joined, or overwritten (an earlier duplicate).
    const n = items.length;
    fields = fields.filter((f) => !(typeof f.key === 'number' && Number.isInteger(f.key) && f.key >= 1 && f.key <= n));
  }
  return new TableNode(exact(items), exact(fields), at.start(e), at.end(e));
}

function toProblem(text: string, e: unknown): SyntaxProblem {
  if (e instanceof RangeError) {
    return { kind: 'too-deep', message: 'The file is nested too deeply to analyse (the parser ran out of stack). Prosody\'s Lua would reject it too.', range: [0, Math.min(text.length, firstLineEnd(text))] };
  }
  const err = e as { message?: string; index?: number };
  const index = typeof err.index === 'number' ? Math.min(Math.max(err.index, 0), text.length) : 0;
  // luaparse's message starts with "[line:col] "; the editor shows the position already.
  const message = String(err.message ?? e).replace(/^\[\d+:\d+\]\s*/, '');
  // An unfinished string is reported where luaparse gave up (the next line); it is underlined from its quote,
  // since the message no longer quotes it (ownWording).
  const unfinished = /^unfinished string near '([^]+)'$/.exec(message)?.[1];
  // luaparse quotes the string up to the character before the one it stopped at.
  const quoted = unfinished !== undefined ? index - 1 - unfinished.length : -1;
  const opened = quoted >= 0 && text.startsWith(unfinished!, quoted) ? quoted : -1;
  const range: Range = opened >= 0 ? [opened, Math.min(index, opened + firstLineEnd(text.slice(opened)))] : (escapeAt(text, message, index) ?? [index, tokenEndAt(text, index)]);
  return { kind: 'syntax', message: `Lua syntax error: ${ownWording(message, text, index)}`, range };
}

/**
 * A bad escape (`"\q"`, `"\300"`, `"\u123"`) is quoted from its backslash, but luaparse stops after the
 * backslash or after the whole escape: the squiggle covers the escape as quoted, found just before the stop.
 */
function escapeAt(text: string, message: string, index: number): Range | undefined {
  const quoted = / near '(\\[^]*)'$/.exec(message)?.[1];
  if (!quoted) return undefined;
  const at = text.lastIndexOf(quoted, index);
  return at >= 0 && at >= index - quoted.length ? [at, at + quoted.length] : undefined;
}

/**
 * luaparse's message in words that depend on this text alone and quote no string. luaparse quotes the tokens
 * around an error: the "near" of a character it cannot lex at a text's start is a previous parse's token, and a
 * string token may hold a `password` (an unclosed one runs to the end of the line; the CLI's output lands in CI
 * logs). Strings are named, not quoted; the range shows them.
 */
function ownWording(message: string, text: string, index: number): string {
  // After `password =` (or another secret's key) on the same line, any word may be part of the secret: a
  // password with a quote in it, or one written without quotes. A PEM key pasted without quotes reads as code
  // (its armour lines as comments), so the words around an error there are pieces of the key (a reviewer).
  const hidden = secretBefore(text, index) ? 'this value' : inPastedKey(text, index) ? 'what looks like pasted key material' : undefined;
  const isString = (token: string): boolean => (hidden !== undefined && token !== '<eof>') || /^(["']|\[=*\[)/.test(token);
  const unexpected = /^unexpected (\w+) '([^]*)' near '([^]*)'$/.exec(message);
  if (unexpected) {
    const [, type, found, near] = unexpected;
    // One symbol at `index` (unlexable, or misplaced): Lua's own wording, the character named whole (luaparse
    // cuts at a UTF-16 unit, half an emoji).
    if (type === 'symbol' && [...found!].length === 1 && text.startsWith(found!, index)) return `unexpected symbol near ${hidden ?? `'${String.fromCodePoint(text.codePointAt(index)!)}'`}`;
    return `unexpected ${type}${type === 'string' || isString(found!) ? '' : ` '${found}'`} near ${isString(near!) ? (hidden ?? 'a string') : `'${near}'`}`;
  }
  // "unfinished string near '"…'": the string is the subject already.
  const unfinished = message.startsWith('unfinished ');
  return message.replace(/ near '([^]*)'$/, (all, near: string) => (!isString(near) ? all : unfinished ? '' : ` near ${hidden ?? 'a string'}`));
}

/**
 * True when the error's line holds key material: a run of 40 or more base64 characters (a key pasted after `key =`),
 * or base64 alone (a PEM body line, 16 or more), or any run of 16 or more below a `-----BEGIN` armour line with no
 * `-----END` between them (at most 16 KB back). Runs count only as random base64 looks: mixed case and a digit or
 * `+`/`/`, so a long word is not one, and an armour line in a comment hides nothing on an ordinary line (a reviewer).
 */
function inPastedKey(text: string, index: number): boolean {
  const line = text.slice(lineStartBefore(text, index), lineEndAfter(text, index));
  // Quoted strings are named, never quoted, in the messages: a key inside one is safe, and a long path is no key.
  const code = line.replace(/"(?:[^"\\]|\\.)*"?|'(?:[^'\\]|\\.)*'?/g, '""');
  const runs = (code.match(/[A-Za-z0-9+/]{16,}/g) ?? []).filter((r) => /[0-9+/]/.test(r) && /[a-z]/.test(r) && /[A-Z]/.test(r));
  if (!runs.length) return false;
  if (runs.some((r) => r.length >= 40) || /^[ \t]*[A-Za-z0-9+/]{16,}={0,2}[ \t]*$/.test(code)) return true;
  const before = text.slice(Math.max(0, index - 16384), index);
  const begin = before.lastIndexOf('-----BEGIN');
  return begin >= 0 && !before.includes('-----END', begin);
}

/**
 * True when the last assignment before `index` (on its line or the two written lines above) is to a key whose
 * value is a secret (`password = …`, `["password"] = …`). The text is tokenized, so an `=` inside a string
 * (base64 padding in a password) is not taken for the assignment.
 */
function secretBefore(text: string, index: number): boolean {
  // From the start of the second written line above (`password =` may end a line; blank and comment-only lines
  // between do not count), at most 4 KB back.
  const limit = Math.max(0, index - 4096);
  let from = index;
  for (let lines = 0, first = true; lines < 3 && from > limit; first = false) {
    let end = from;
    if (!first) end -= text[from - 1] === '\n' && text[from - 2] === '\r' ? 2 : 1; // step over the line break
    // A scan bounded by `limit`: lastIndexOf of the line end a file does not use would run to the text's start
    // on every step (seconds on a large file with many blank lines above the error).
    let j = end - 1;
    while (j >= limit && text[j] !== '\n' && text[j] !== '\r') j--;
    from = j + 1;
    if (first || !/^\s*(?:--.*)?$/.test(text.slice(from, end))) lines++;
  }
  const tokens = tokenize(text.slice(Math.max(from, limit), index)).filter((t) => t.kind !== 'comment');
  for (let i = tokens.length - 1; i > 0; i--) {
    const t = tokens[i]!;
    if (t.kind !== 'symbol' || t.value !== '=') continue;
    const key = tokens[i - 1]!.kind === 'symbol' && tokens[i - 1]!.value === ']' ? tokens[i - 2] : tokens[i - 1];
    return key !== undefined && (key.kind === 'name' || key.kind === 'string') && isSecretName(key.value);
  }
  return false;
}

function firstLineEnd(text: string): number {
  const i = text.search(/[\r\n]/);
  return i < 0 ? text.length : i;
}

/** End of the token starting at `index`, so the squiggle covers the offending word; at least one character. */
function tokenEndAt(text: string, index: number): number {
  if (index >= text.length) return text.length;
  const rest = text.slice(index, index + 200);
  const t = tokenize(rest)[0];
  if (t && t.start === 0) {
    const end = index + Math.min(t.end, firstLineEnd(rest));
    return end > index ? end : index + 1;
  }
  return index + 1;
}
