// An option indexed as if the config could read it back: `ssl.protocol = "tlsv1_3"`, `ssl.c2s.protocol = …`,
// `modules_enabled:append { … }`. Before 13.0 the config loader looks every name it is asked for up in Lua's own
// globals (core/configmanager.lua: `rawget(_G, k)`), so an option is nil there and Lua stops: a reviewer's 0.11.9
// ("attempt to index global 'ssl' (a nil value)") and 0.12.3 ("attempt to index a nil value (global 'ssl')") did not
// start. 13.0 answers with a proxy that knows `:append`, `:value()` and `:values()` only: a write to a key of it
// changes nothing (13.0.1 still served TLS 1.2 after `ssl.protocol = "tlsv1_3"`), and any other key read from it
// stops the loader ("Unknown config option operation: 'c2s'"). Read from the tokens, as config functions are: only
// statements at the top level of a chunk (one that surely runs), never inside a block or a function.
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { getOption, lineInRange, LUA_STATE_GLOBALS } from '../catalog';
import { PROSODY_OPTION_NAMES } from '../catalog/prosodyOptions';
import type { ChunkEntry } from '../model/chunkedParse';
import type { ConfigDocument } from '../model/document';
import { declaredLocals, hostDeclaresLocal, isLocalAt } from '../model/locals';
import { scanTokens } from '../model/tokenize';
import { luaGlobalError } from './helpers';
import type { Finding, Rule, RuleContext } from './types';

interface Use {
  readonly name: string;
  /** `.`, `[` or `:`. */
  readonly op: string;
  /** The key or method after `.`/`:` (undefined after `[`). */
  readonly key?: string;
  /** `x.k = …`: the key is written, not read (and nothing is indexed past it). */
  readonly write: boolean;
  /** Inside `if name then … end` (no else): the block runs only where the option is set, which is never before 13.0. */
  readonly guarded: boolean;
  /** Offsets of the name and of the whole `name.key`, from the start of the text scanned. */
  readonly start: number;
  readonly end: number;
}

const NONE: readonly Use[] = [];
const OPENS = new Set(['if', 'do', 'function', 'repeat']);
const CLOSES = new Set(['end', 'until']);
/** The methods 13.0's option proxy has (config_option_proxy_mt). */
const PROXY_METHODS = new Set(['append', 'value', 'values']);

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
  const out: Use[] = [];
  // The blocks open at each token, with the name an `if <name> then` tests (until its `else`/`elseif`).
  const blocks: Array<string | undefined> = [];
  for (let i = 0; i < tokens.length; i++) {
    const kind = tokens.kind(i);
    if (kind !== 'name') continue;
    const raw = tokens.raw(i);
    if (OPENS.has(raw)) {
      const tested = raw === 'if' && i + 2 < tokens.length && tokens.kind(i + 1) === 'name' && tokens.raw(i + 2) === 'then' ? tokens.raw(i + 1) : undefined;
      blocks.push(tested);
      if (tested) i += 2;
      continue;
    }
    if (CLOSES.has(raw)) blocks.pop();
    else if ((raw === 'else' || raw === 'elseif') && blocks.length) blocks[blocks.length - 1] = undefined;
    const guarded = blocks.length === 1 && blocks[0] === raw;
    if ((blocks.length > 0 && !guarded) || i + 1 >= tokens.length || tokens.kind(i + 1) !== 'symbol') continue;
    const op = tokens.raw(i + 1);
    if (op !== '.' && op !== '[' && op !== ':') continue;
    const before = i > 0 && tokens.kind(i - 1) === 'symbol' ? tokens.raw(i - 1) : '';
    if (before === '.' || before === ':' || !isOption(raw)) continue;
    const key = op !== '[' && i + 2 < tokens.length && tokens.kind(i + 2) === 'name' ? tokens.raw(i + 2) : undefined;
    const after = key !== undefined && i + 3 < tokens.length && tokens.kind(i + 3) === 'symbol' ? tokens.raw(i + 3) : '';
    out.push({ name: raw, op, key, write: op === '.' && after === '=', guarded, start: tokens.start(i), end: key !== undefined ? tokens.end(i + 2) : tokens.end(i + 1) });
  }
  return out.length ? out : NONE;
}

// Per parsed chunk, offsets from the chunk's start: typing re-scans only the chunk it changed.
const perChunk = new WeakMap<ChunkEntry, readonly Use[]>();

function allUses(model: ConfigDocument): Array<{ use: Use; at: number }> {
  if (!model.parts) return usesIn(model.text).map((use) => ({ use, at: 0 }));
  const out: Array<{ use: Use; at: number }> = [];
  for (const p of model.parts) {
    let uses = perChunk.get(p.entry);
    if (!uses) perChunk.set(p.entry, (uses = usesIn(model.text.slice(p.start, p.end))));
    for (const use of uses) out.push({ use, at: p.start });
  }
  return out;
}

const SINCE = { since: '13.0.0' };
const LUASEC_GLOBAL_LINES: ReadonlySet<string> = new Set(['0.9', '0.10']);

/** `writes`: the 13.0 writes to the stand-in (option-write-ignored); else what stops the loader (option-indexed). */
function indexFindings(ctx: RuleContext, writes: boolean): Finding[] {
  if (!ctx.model.configIsCurrent) return [];
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
    if (!proxies) {
      // The test is false where options are never handed back: the block never runs.
      if (writes || use.guarded) continue;
      const how = use.op === ':' && use.key !== undefined && PROXY_METHODS.has(use.key) ? ` \`:${use.key}\` on an option is Prosody 13.0's; here write the whole value (\`${use.name} = { … }\`).` : ` Write the key inside the table (\`${use.name} = { …, ${use.key ?? 'key'} = … }\`), or build the table in a \`local\` first and assign that.`;
      out.push({ range, message: `${written} reads the option \`${use.name}\` back, but Prosody ${ctx.line}'s config loader never hands options back: \`${use.name}\` is nil here, so Lua stops ("${luaGlobalError(ctx.line, 'index', use.name)}") and Prosody does not start.${how}` });
      continue;
    }
    if (use.op === ':' && use.key !== undefined && PROXY_METHODS.has(use.key)) continue;
    if (use.write !== writes) continue;
    if (writes) {
      out.push({
        range,
        message: `${written} changes nothing${use.guarded ? ` (this block runs where \`${use.name}\` is set)` : ''}: Prosody 13.0 hands the option \`${use.name}\` back as a stand-in that knows only \`:append\`, \`:value()\` and \`:values()\`, and the key is written to that stand-in, not to the option (where \`${use.name}\` is not set to a table above, the line fails instead). Write the key inside the table, or merge it in: \`${use.name}:append { ${use.key} = … }\`.`,
      });
      continue;
    }
    const what = use.key !== undefined && use.op === '.' ? `'${use.key}'` : use.key !== undefined ? `'${use.key}'` : 'the key';
    out.push({ range, message: `${written} stops Prosody 13.0's config loader${use.guarded ? ` where \`${use.name}\` is set (the only time this block runs)` : ''}: it hands the option \`${use.name}\` back as a stand-in that knows only \`:append\`, \`:value()\` and \`:values()\`, so reading ${what} from it fails ("Unknown config option operation: ${what}") and Prosody does not start (where \`${use.name}\` is not set above, it is nil and the line fails all the same). Write the value inside the table, or keep the table in a \`local\` and read that.` });
  }
  return out;
}

export const optionIndexedRules: readonly Rule[] = [
  {
    id: 'option-indexed', category: 'invalid', severity: DiagnosticSeverity.Error, stopsLoader: true,
    title: 'An option indexed as a table in the config (`ssl.protocol = …`, `ssl:append`)',
    description: 'The config loader does not hand options back as the tables they were set to. Before 13.0 an option read in the config is nil (the loader looks names up in Lua\'s globals), so `ssl.protocol = "tlsv1_3"`, `ssl.c2s.protocol = …` or `modules_enabled:append { … }` stops Lua with "attempt to index a nil value" and Prosody does not start. 13.0 hands back a stand-in that knows only `:append`, `:value()` and `:values()`: a key written to it changes nothing (`option-write-ignored`), and a key read from it stops the loader ("Unknown config option operation"). Only statements at the top level are judged (not inside `if`, loops or functions), besides an `if ssl then … end` that tests the option itself (on 13.0 it runs wherever the option is set; before 13.0 never), and a `local` of the name declared above is the file\'s own.',
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
