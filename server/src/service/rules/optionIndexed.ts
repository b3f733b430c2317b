// An option indexed as if the config could read it back: `ssl.protocol = "tlsv1_3"`, `ssl.c2s.protocol = …`,
// `modules_enabled:append { … }`. Before 13.0 the config loader looks every name it is asked for up in Lua's own
// globals (core/configmanager.lua: `rawget(_G, k)`), so an option is nil there and Lua stops: a reviewer's 0.11.9
// ("attempt to index global 'ssl' (a nil value)") and 0.12.3 ("attempt to index a nil value (global 'ssl')") did not
// start. 13.0 hands back what the same section set above (rawget_option: a host does not see the global value), a
// table as a proxy that knows `:append`, `:value()` and `:values()` only: a write to a key of it changes nothing
// (13.0.1 still served TLS 1.2 after `ssl.protocol = "tlsv1_3"`), and any other key read from it stops the loader
// ("Unknown config option operation: 'c2s'"); where the section set nothing it is nil, as before 13.0. Read from the
// tokens, as config functions are: only statements at the top level of a chunk (one that surely runs), never inside a
// block or a function, besides an `if <option> then` block.
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { getNetService, getOption, lineInRange, LUA_STATE_GLOBALS } from '../catalog';
import { PROSODY_OPTION_NAMES } from '../catalog/prosodyOptions';
import { ChunkMemo, ownCopy } from '../model/chunkMemo';
import type { ConfigDocument } from '../model/document';
import { declaredLocals, hostDeclaresLocal, isLocalAt } from '../model/locals';
import { scanTokens } from '../model/tokenize';
import { currentConfig, luaGlobalError } from './helpers';
import type { ParsedConfig } from '../model/parse';
import { includeCalls } from '../model/sectionWords';
import { nameprepped } from '../model/hostName';
import type { Finding, Rule, RuleContext } from './types';

interface Use {
  readonly name: string;
  /** `.`, `[` or `:`. */
  readonly op: string;
  /** The key or method after `.`/`:` (undefined after `[`). */
  readonly key?: string;
  /** After `[`: the text of a literal key (`"protocol"`), as written. */
  readonly bracket?: string;
  /** How many keys are looked up or written after the name (`ssl.c2s.protocol`: 2). */
  readonly depth: number;
  /** An assignment target (`ssl.protocol = …`, `ssl["protocol"], x = …`): its last key is written, not read. */
  readonly write: boolean;
  /** Inside `if name then … end` (no else): the block runs only where the option reads back as something. */
  readonly guarded: boolean;
  /** Offsets of the name and of `name.key`, from the start of the text scanned. */
  readonly start: number;
  readonly end: number;
}

const NONE: readonly Use[] = [];
const OPENS = new Set(['if', 'do', 'function', 'repeat']);
const CLOSES = new Set(['end', 'until']);
/** The methods 13.0's option proxy has (config_option_proxy_mt). */
const PROXY_METHODS = new Set(['append', 'value', 'values']);
/** Words after which a statement starts (an assignment's targets may follow). */
const STATEMENT_BEFORE = new Set(['then', 'do', 'else', 'end']);
/** Words after which an expression follows, never a statement. */
const EXPRESSION_BEFORE = new Set(['and', 'or', 'not', 'in', 'local', 'return', 'function', 'until', 'if', 'elseif', 'while', 'for']);

const isOption = (name: string): boolean => !LUA_STATE_GLOBALS.has(name) && (PROSODY_OPTION_NAMES.has(name) || getOption(name) !== undefined);

/**
 * A name followed by `.`, `:` or `[`, not inside a quoted string's word (`"mail.example.org"`): only a chunk with such
 * an option name is tokenized (most have none, and typing tokenized the edited chunk on every keystroke).
 */
const INDEXED = /(?:^|[^\w.'"/-])([A-Za-z_]\w*)\s*[.:[]/g;

function mayIndexOption(text: string): boolean {
  for (const m of text.matchAll(INDEXED)) if (isOption(m[1]!)) return true;
  return false;
}

function usesIn(text: string): readonly Use[] {
  if (!mayIndexOption(text)) return NONE;
  const tokens = scanTokens(text);
  const n = tokens.length;
  // The next and previous token that is not a comment.
  const next = (i: number): number => {
    let j = i + 1;
    while (j < n && tokens.kind(j) === 'comment') j++;
    return j;
  };
  const prev = (i: number): number => {
    let j = i - 1;
    while (j >= 0 && tokens.kind(j) === 'comment') j--;
    return j;
  };
  const sym = (i: number, s: string): boolean => i < n && tokens.kind(i) === 'symbol' && tokens.raw(i) === s;
  /** A target `name(.key | [expr])*` from `i`: where it ends and how many keys it takes; undefined when none. */
  const target = (i: number): { end: number; depth: number } | undefined => {
    if (i >= n || tokens.kind(i) !== 'name') return undefined;
    let k = next(i);
    let depth = 0;
    for (;;) {
      if (sym(k, '.') && next(k) < n && tokens.kind(next(k)) === 'name') k = next(next(k));
      else if (sym(k, '[')) {
        let level = 0;
        for (; k < n; k = next(k)) {
          if (sym(k, '[')) level++;
          else if (sym(k, ']') && --level === 0) break;
        }
        k = next(k);
      } else break;
      depth++;
    }
    return { end: k, depth };
  };
  /** Whether a statement may start at `i` (an assignment's targets). */
  const statementAt = (i: number): boolean => {
    const p = prev(i);
    if (p < 0) return true;
    const kind = tokens.kind(p);
    const raw = tokens.raw(p);
    if (kind === 'name') return STATEMENT_BEFORE.has(raw) || !EXPRESSION_BEFORE.has(raw);
    if (kind === 'symbol') return raw === ';' || raw === ')' || raw === '}' || raw === ']';
    return true; // a string or number ends the statement before
  };
  // The assignment targets found so far, by token: how many keys each takes.
  const targets = new Map<number, number>();
  const out: Use[] = [];
  // The blocks open at each token, with the name an `if <name> then` tests (until its `else`/`elseif`).
  const blocks: Array<string | undefined> = [];
  for (let i = 0; i < n; i++) {
    if (tokens.kind(i) !== 'name') continue;
    const raw = tokens.raw(i);
    if (OPENS.has(raw)) {
      const tested = raw === 'if' && tokens.kind(next(i)) === 'name' && tokens.raw(next(next(i))) === 'then' ? tokens.raw(next(i)) : undefined;
      blocks.push(tested);
      if (tested) i = next(next(i));
      continue;
    }
    if (CLOSES.has(raw)) blocks.pop();
    else if ((raw === 'else' || raw === 'elseif') && blocks.length) blocks[blocks.length - 1] = undefined;
    if (!targets.has(i) && statementAt(i)) {
      // `a.b, c[1] = …`: every target of the list is written.
      const list: Array<[number, number]> = [];
      let t = target(i);
      let at = i;
      while (t) {
        list.push([at, t.depth]);
        if (!sym(t.end, ',')) break;
        at = next(t.end);
        t = target(at);
      }
      if (t && sym(t.end, '=')) for (const [k, depth] of list) targets.set(k, depth);
    }
    const guarded = blocks.length === 1 && blocks[0] === raw;
    const opAt = next(i);
    if ((blocks.length > 0 && !guarded) || opAt >= n || tokens.kind(opAt) !== 'symbol') continue;
    const op = tokens.raw(opAt);
    if (op !== '.' && op !== '[' && op !== ':') continue;
    const before = prev(i) >= 0 && tokens.kind(prev(i)) === 'symbol' ? tokens.raw(prev(i)) : '';
    if (before === '.' || before === ':' || !isOption(raw)) continue;
    const keyAt = next(opAt);
    const key = op !== '[' && keyAt < n && tokens.kind(keyAt) === 'name' ? tokens.raw(keyAt) : undefined;
    const write = targets.has(i);
    // `ssl["protocol"]`: the literal between the brackets, when it is one token.
    const bracket = op === '[' && keyAt < n && tokens.kind(keyAt) === 'string' && sym(next(keyAt), ']') ? tokens.raw(keyAt) : undefined;
    // (Own copies of the strings: a slice would keep the version's whole text alive with the chunk's answer.)
    out.push({ name: ownCopy(raw), op, key: key === undefined ? undefined : ownCopy(key), ...(bracket !== undefined ? { bracket: ownCopy(bracket) } : {}), depth: write ? targets.get(i)! : op === ':' ? 1 : (target(i)?.depth ?? 1), write, guarded, start: tokens.start(i), end: key !== undefined ? tokens.end(keyAt) : tokens.end(opAt) });
  }
  return out.length ? out : NONE;
}

// Per parsed chunk, offsets from the chunk's start: typing re-scans only the chunk it changed.
const perChunk = new ChunkMemo<readonly Use[]>(usesIn);

// Per version, once for both rules.
const perModel = new WeakMap<ConfigDocument, Array<{ use: Use; at: number }>>();

function allUses(model: ConfigDocument): Array<{ use: Use; at: number }> {
  let out = perModel.get(model);
  if (out) return out;
  if (!model.parts) out = usesIn(model.text).map((use) => ({ use, at: 0 }));
  else {
    out = [];
    for (const p of model.parts) for (const use of perChunk.of(p, model.text)) out.push({ use, at: p.start });
  }
  perModel.set(model, out);
  return out;
}

const SINCE = { since: '13.0.0' };
const LUASEC_GLOBAL_LINES: ReadonlySet<string> = new Set(['0.9', '0.10']);

/** What a name reads back as on 13.0 where it is used: the section's own value only (rawget_option, configmanager.lua). */
type ReadBack = 'nil' | 'proxy' | 'value' | 'unknown';

function readBackAt(ctx: RuleContext, config: ParsedConfig, name: string, offset: number): { as: ReadBack; section: number } {
  const text = ctx.doc.getText();
  const section = sectionAt(text, config, offset);
  // An Include above may set it, and so may a function the file calls (its assignments go through the loader too):
  // neither is followed here (a reviewer's 13.0.1 loaded both).
  const before = text.slice(0, offset);
  if (/\b[Ii]nclude\b/.test(before) && includeCalls(before).length) return { as: 'unknown', section };
  // The loader keys a section by its name: a host written twice reads back what either part set (a reviewer's 13.0.1).
  const key = sectionKey(config, section);
  if (key === undefined) return { as: 'unknown', section };
  const set = config.settings.filter((x) => x.name === name && x.range[1] <= offset && sectionKey(config, x.section) === key);
  if (!set.length) return { as: /\bfunction\b/.test(text) ? 'unknown' : 'nil', section };
  const last = set.at(-1)!;
  if (set.some((x) => x.conditional) || last.value.kind === 'expression') return { as: 'unknown', section };
  return { as: last.value.kind === 'table' ? 'proxy' : last.value.kind === 'nil' ? 'nil' : 'value', section };
}

/** The name the loader keeps a section's options under: `*` for the global one; undefined for a computed name. */
export function sectionKey(config: ParsedConfig, section: number): string | undefined {
  if (section === 0) return '*';
  const name = config.sections[section]?.name;
  return name === undefined ? undefined : nameprepped(name).toLowerCase();
}

/**
 * The section a statement at `offset` is in, as the loader walks: the last header above it, but the global one again
 * after a table-form header (`VirtualHost "x" { … }`, applied and left) or a `Host "*"` (a reviewer's 13.0.1 runs).
 */
function sectionAt(text: string, config: ParsedConfig, offset: number): number {
  let section = 0;
  for (let i = 1; i < config.sections.length && config.sections[i]!.range[0] <= offset; i++) section = i;
  const header = section > 0 ? config.sections[section]!.range : ([0, 0] as const);
  if (section > 0 && offset >= header[1] && text.slice(header[0], header[1]).includes('{')) return 0;
  return /\b(?:[Vv]irtual[Hh]ost|[Hh]ost)\s*\(?\s*(["'])\*\1/.test(text.slice(header[1], offset)) ? 0 : section;
}

/** The key a use writes, as a table entry would name it (`[…]` keeps its expression, never a made-up name like `key`). */
function keyText(use: Use): string {
  return use.key ?? (use.bracket !== undefined ? `[${use.bracket}]` : '[…]');
}

/** What to write instead of indexing the option (`ssl.c2s.protocol` is `c2s_ssl`'s protocol). */
function instead(use: Use, proxies: boolean): string {
  if (use.op === ':' && use.key !== undefined && PROXY_METHODS.has(use.key)) return `write the whole value (\`${use.name} = { … }\`)${proxies ? '' : `: \`:${use.key}\` on an option is Prosody 13.0's`}`;
  const service = use.name === 'ssl' && use.key !== undefined && use.depth > 1 ? getNetService(use.key) : undefined;
  if (service) return `write the table of those connections (\`${service.prefix}_ssl = { … }\`)`;
  if (use.write && use.depth === 1) return `write the key inside the table (\`${use.name} = { …, ${keyText(use)} = … }\`)`;
  return 'keep the table in a `local` and read that';
}

/** `writes`: the 13.0 writes to the stand-in (option-write-ignored); else what stops the loader (option-indexed). */
function indexFindings(ctx: RuleContext, writes: boolean): Finding[] {
  const config = currentConfig(ctx);
  if (!config) return [];
  const uses = allUses(ctx.model);
  if (!uses.length) return [];
  const locals = declaredLocals(ctx.model);
  const proxies = lineInRange(ctx.line, SINCE);
  if (writes && !proxies) return [];
  const out: Finding[] = [];
  for (const { use, at } of uses) {
    if (isLocalAt(locals, use.name, at + use.start)) continue;
    // Up to 0.10, on Lua 5.1, LuaSec releases that declared themselves with `module("ssl")` left `ssl` a global.
    if (use.name === 'ssl' && LUASEC_GLOBAL_LINES.has(ctx.line)) continue;
    const range: [number, number] = [at + use.start, at + use.end];
    const written = `\`${ctx.doc.getText().slice(range[0], range[1])}\``;
    const nilSaid = (where: string): string => `${written} reads the option \`${use.name}\` back, but ${where}: \`${use.name}\` is nil here, so Lua stops ("${luaGlobalError(ctx.line, 'index', use.name)}") and Prosody does not start. Instead, ${instead(use, proxies)}.`;
    if (!proxies) {
      // The test is false where options are never handed back: the block never runs.
      if (writes || use.guarded) continue;
      out.push({ range, message: nilSaid(`Prosody ${ctx.line}'s config loader never hands options back`) });
      continue;
    }
    const back = readBackAt(ctx, config, use.name, range[0]);
    // A string or number is handed back as it is (`certificate:gsub(…)` works); what is not known is not judged.
    if (back.as === 'value' || back.as === 'unknown') continue;
    if (back.as === 'nil') {
      // An `if name then` block never runs where the name is nil.
      if (writes || use.guarded) continue;
      out.push({ range, message: nilSaid(`Prosody 13.0 hands back only what the same section set above, and ${back.section === 0 ? 'the global section' : `this ${config.sections[back.section]!.kind === 'host' ? 'VirtualHost' : 'Component'}`} sets no \`${use.name}\` before this line`) });
      continue;
    }
    // The stand-in: its methods work; a key written to it is lost; any other key read from it stops the loader.
    const method = use.key !== undefined && use.op !== '[' && PROXY_METHODS.has(use.key);
    if (method && use.depth === 1) continue;
    const lost = use.write && use.depth === 1;
    if (lost !== writes) continue;
    if (lost) {
      out.push({
        range,
        message: `${written} changes nothing${use.guarded ? ` (this block runs where \`${use.name}\` is set)` : ''}: Prosody 13.0 hands the option \`${use.name}\` back as a stand-in that knows only \`:append\`, \`:value()\` and \`:values()\`, and the key is written to that stand-in, not to the option. Write the key inside the table, or merge it in: \`${use.name}:append { ${keyText(use)} = … }\`.`,
      });
      continue;
    }
    const what = use.key !== undefined && use.op !== '[' ? `'${use.key}'` : undefined;
    out.push({ range, message: `${written} stops Prosody 13.0's config loader${use.guarded ? ` where \`${use.name}\` is set (the only time this block runs)` : ''}: it hands the option \`${use.name}\` back as a stand-in that knows only \`:append\`, \`:value()\` and \`:values()\`, so reading ${what ?? 'a key'} from it fails ("Unknown config option operation: ${what ?? '…'}") and Prosody does not start. Instead, ${instead(use, proxies)}.` });
  }
  return out;
}

export const optionIndexedRules: readonly Rule[] = [
  {
    id: 'option-indexed', category: 'invalid', severity: DiagnosticSeverity.Error, stopsLoader: true,
    title: 'An option indexed as a table in the config (`ssl.protocol = …`, `ssl:append`)',
    description: 'The config loader does not hand options back as the tables they were set to. Before 13.0 an option read in the config is nil (the loader looks names up in Lua\'s globals), so `ssl.protocol = "tlsv1_3"`, `ssl.c2s.protocol = …` or `modules_enabled:append { … }` stops Lua with "attempt to index a nil value" and Prosody does not start. 13.0 hands back only what the same section set above the line (a host does not see the global value), so there such a line fails wherever its section has not set the option; where it has set it to a table, 13.0 hands back a stand-in that knows only `:append`, `:value()` and `:values()`: a key written to it changes nothing (`option-write-ignored`), and any other key read from it stops the loader ("Unknown config option operation"). A string is handed back as it is (`certificate:gsub(…)` works on 13.0). Only statements at the top level are judged (not inside `if`, loops or functions), besides an `if ssl then … end` that tests the option itself, and a `local` of the name declared above is the file\'s own.',
    // A `local` in a host reaches the lines below it, in other hosts too.
    readsOtherChunks: hostDeclaresLocal,
    check: (ctx) => indexFindings(ctx, false),
  },
  {
    id: 'option-write-ignored', category: 'invalid', severity: DiagnosticSeverity.Warning, prosody: SINCE,
    title: 'A key written to an option read back (`ssl.protocol = …` on 13.0)',
    description: 'Prosody 13.0 hands an option read back in the config over as a stand-in for `:append`, not its table: `ssl.protocol = "tlsv1_3"` writes the key to that stand-in and the option keeps its value (13.0.1 still served TLS 1.2 after it). Write the key inside the table, or merge it in with `ssl:append { protocol = "tlsv1_3" }`. Before 13.0 the same line stops the loader (`option-indexed`).',
    readsOtherChunks: hostDeclaresLocal,
    check: (ctx) => indexFindings(ctx, true),
  },
];
