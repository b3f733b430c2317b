// Calls to config functions the Prosody line in force does not have (`FileLine()`, `Credential()`, …, which
// came in 13.0). Before 13.0 the loader looks any other global up in Lua's own globals, so the call is a call
// to nil: Lua stops with "attempt to call a nil value" and Prosody does not start (checked with Debian's
// 0.12.3 prosodyctl). Read from the text, not the settings: a call often sits in a `local` the model does
// not keep. Each chunk is scanned once while its text is unchanged, and only when it names such a function.
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { compareVersions, configFunctions, getConfigFunction, lineInRange, SSL_PATH_KEYS } from '../catalog';
import { ChunkMemo } from '../model/chunkMemo';
import type { ConfigDocument } from '../model/document';
import { declaredLocals, hostDeclaresLocal, isLocalAt } from '../model/locals';
import { scanTokens } from '../model/tokenize';
import { luaGlobalError, versionHint } from './helpers';
import type { Finding, Rule, RuleContext } from './types';
import type { Range } from '../model/values';

interface Call {
  readonly name: string;
  /** Offsets of the name, from the start of the text scanned. */
  readonly start: number;
  readonly end: number;
}

const MENTION = new RegExp(`\\b(?:${configFunctions.map((f) => f.name).join('|')})\\b`);

/** What a piece of text says about the catalog's config functions. */
interface Mentions {
  /** Calls: a name not after `.`/`:`, followed by `(`, a string or a table. */
  readonly calls: readonly Call[];
  /** Names read without a call (`if FileLine then`, `FileLine and FileLine(…)`): the file tests for them. */
  readonly tested: readonly string[];
}

const NOTHING: Mentions = { calls: [], tested: [] };

function mentionsIn(text: string): Mentions {
  if (!MENTION.test(text)) return NOTHING;
  const tokens = scanTokens(text);
  const tested = new Set<string>();
  const calls: Call[] = [];
  for (let i = 0; i < tokens.length; i++) {
    if (tokens.kind(i) !== 'name') continue;
    const name = tokens.raw(i);
    const fn = getConfigFunction(name);
    if (!fn) continue;
    const before = i > 0 && tokens.kind(i - 1) === 'symbol' ? tokens.raw(i - 1) : '';
    if (before === '.' || before === ':') continue;
    const next = i + 1 < tokens.length ? tokens.kind(i + 1) : undefined;
    const opens = next === 'symbol' ? tokens.raw(i + 1) : '';
    // A use: a call of a function, an index of the table.
    const used = fn.table ? opens === '.' || opens === '[' || opens === ':' : next === 'string' || opens === '(' || opens === '{';
    // (The catalog's own string for the name, not a slice of the text: see ChunkMemo.)
    if (used) calls.push({ name: fn.name, start: tokens.start(i), end: tokens.end(i) });
    else if (next !== 'symbol' || tokens.raw(i + 1) !== '=') tested.add(fn.name);
  }
  return { calls, tested: [...tested] };
}

// Per parsed chunk, offsets from the chunk's start: typing re-scans only the chunk it changed.
const perChunk = new ChunkMemo<Mentions>(mentionsIn);

/** The mentions of each piece of this version's text: per parsed chunk (cached), else the whole text. */
function piecesOf(model: ConfigDocument): Array<{ m: Mentions; at: number }> {
  if (!model.parts) return [{ m: mentionsIn(model.text), at: 0 }];
  const pieces: Array<{ m: Mentions; at: number }> = [];
  for (const p of model.parts) {
    const m = perChunk.of(p, model.text);
    if (m !== NOTHING) pieces.push({ m, at: p.start });
  }
  return pieces;
}

/** The name is the file's own `local` at `offset` (hover then says nothing of the loader's function). */
export function declaresLocal(model: ConfigDocument, name: string, offset: number): boolean {
  return isLocalAt(declaredLocals(model), name, offset);
}

/**
 * The calls to report: a `local` of the name declared above the call is the file's own function (Lua scopes a
 * top-level local over every section below it; above it, the name is the loader's), and a name the file tests for
 * (`FileLine and FileLine(…)`, `if Credential then`) is written for loaders with and without it.
 */
function allCalls(ctx: RuleContext): Array<{ call: Call; at: number }> {
  if (!ctx.model.configIsCurrent) return [];
  const pieces = piecesOf(ctx.model);
  if (!pieces.length) return [];
  const locals = declaredLocals(ctx.model);
  const tested = new Set(pieces.flatMap(({ m }) => m.tested));
  return pieces.flatMap(({ m, at }) => m.calls.filter((c) => !tested.has(c.name) && !isLocalAt(locals, c.name, at + c.start)).map((call) => ({ call, at })));
}

/** A chunk below the global one tests a name or declares a local: that reaches calls in other chunks. */
function readsOtherChunks(model: ConfigDocument): boolean {
  return hostDeclaresLocal(model) || (!!model.parts && perChunk.some(model.parts, model.text, (m) => m.tested.length > 0, 1));
}

function newerFunctionCalls(ctx: RuleContext): Finding[] {
  const text = ctx.doc.getText();
  return allCalls(ctx).flatMap(({ call, at }): Finding[] => {
    const fn = getConfigFunction(call.name)!;
    const since = fn.prosody.since!;
    if (lineInRange(ctx.line, { since })) return [];
    const start = at + call.start;
    if (fn.table) {
      // Before 13.0 the config reads Lua's globals directly (`os.getenv`): dropping the prefix is the fix.
      const dotted = text[at + call.end] === '.';
      return [{
        range: [start, at + call.end],
        message: `\`${call.name}\` came in Prosody ${since}; Prosody ${ctx.line} has no such name: when its config loader reaches this line it fails ("${luaGlobalError(ctx.line, 'index', call.name)}") and Prosody does not start. ${dotted ? `Leave out \`${call.name}.\`: before ${since} the config reads Lua's globals directly (\`os.getenv(…)\`).` : 'Read Lua\'s globals directly instead (`os.getenv(…)`).'} ${versionHint(ctx, since)}`,
        ...(dotted ? { fixes: [{ title: `Remove the ${call.name}. prefix`, preferred: true, edits: [{ range: [start, at + call.end + 1] as Range, newText: '' }] }] } : {}),
      }];
    }
    // The key the call's value is for, when written on the same line (`dhparam = FileContents(…)`).
    const key = /([A-Za-z_]\w*)\s*=\s*$/.exec(text.slice(Math.max(0, start - 200), start).split(/[\r\n]/).at(-1)!)?.[1];
    return [{
      range: [start, at + call.end],
      message: `\`${call.name}()\` came in Prosody ${since}; Prosody ${ctx.line} has no such function: when Prosody's config loader reaches this call it fails ("${luaGlobalError(ctx.line, 'call', call.name)}") and Prosody does not start. ${instead(call.name, key)} ${versionHint(ctx, since)}`,
    }];
  });
}

function instead(name: string, key: string | undefined): string {
  if (name === 'FileLines') return 'Write the list in the config instead.';
  // A file key takes the path: Prosody and LuaSec read the file themselves (only 13.0 takes a literal dhparam).
  if (key !== undefined && SSL_PATH_KEYS.has(key)) return `Give \`${key}\` the file's path instead (\`${key} = "/path/to/file"\`): Prosody reads the file itself.`;
  return 'Write the value in the config instead (keep the file readable only by Prosody), or for a key\'s passphrase use a key without one.';
}

export const newerFunctionRules: readonly Rule[] = [
  {
    id: 'function-too-new', category: 'invalid', severity: DiagnosticSeverity.Error, stopsLoader: true,
    // Lines before the newest of them; each call is still judged by its own function's release.
    prosody: { removed: configFunctions.map((f) => f.prosody.since!).sort(compareVersions).at(-1)! },
    title: 'Config function the Prosody line in force does not have',
    description: `${configFunctions.map((f) => `\`${f.name}${f.table ? '' : '()'}\` (from ${f.prosody.since})`).join(', ')} belong to newer config loaders. Earlier releases have no such names: a call (or, for the \`Lua\` table, an index) stops the config from loading, so Prosody does not start. A \`local\` of the same name declared above the call is the file's own (below it, the name is still the loader's), and a name the file tests for (\`FileLine and FileLine(…)\`, \`if Credential then\`) is written for both kinds of loader: neither is reported.`,
    readsOtherChunks,
    check: newerFunctionCalls,
  },
];
