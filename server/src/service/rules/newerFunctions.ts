// Calls to config functions the Prosody line in force does not have (`FileLine()`, `Credential()`, …, which
// came in 13.0). Before 13.0 the loader looks any other global up in Lua's own globals, so the call is a call
// to nil: Lua stops with "attempt to call a nil value" and Prosody does not start (checked with Debian's
// 0.12.3 prosodyctl). Read from the text, not the settings: a call often sits in a `local` the model does
// not keep. Each chunk is scanned once while its text is unchanged, and only when it names such a function.
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { compareVersions, configFunctions, getConfigFunction, lineInRange, SSL_PATH_KEYS } from '../catalog';
import type { ChunkEntry } from '../model/chunkedParse';
import type { ConfigDocument } from '../model/document';
import { scanTokens } from '../model/tokenize';
import { versionHint } from './helpers';
import type { Finding, Rule, RuleContext } from './types';

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
  /** Names the text declares `local` (`local FileLine = …`, `local function FileLine`): the file's own. */
  readonly locals: readonly string[];
  /** Names read without a call (`if FileLine then`, `FileLine and FileLine(…)`): the file tests for them. */
  readonly tested: readonly string[];
}

const NOTHING: Mentions = { calls: [], locals: [], tested: [] };

function mentionsIn(text: string): Mentions {
  if (!MENTION.test(text)) return NOTHING;
  const tokens = scanTokens(text);
  const locals = new Set<string>();
  const tested = new Set<string>();
  const calls: Call[] = [];
  for (let i = 0; i < tokens.length; i++) {
    if (tokens.kind(i) !== 'name') continue;
    const name = tokens.raw(i);
    if (name === 'local') {
      for (let j = i + 1; j < tokens.length && (tokens.kind(j) === 'name' || tokens.raw(j) === ','); j++) if (tokens.kind(j) === 'name') locals.add(tokens.raw(j));
      continue;
    }
    if (!getConfigFunction(name)) continue;
    const before = i > 0 && tokens.kind(i - 1) === 'symbol' ? tokens.raw(i - 1) : '';
    if (before === '.' || before === ':') continue;
    const next = i + 1 < tokens.length ? tokens.kind(i + 1) : undefined;
    if (next === 'string' || (next === 'symbol' && (tokens.raw(i + 1) === '(' || tokens.raw(i + 1) === '{'))) calls.push({ name, start: tokens.start(i), end: tokens.end(i) });
    else if (next !== 'symbol' || tokens.raw(i + 1) !== '=') tested.add(name);
  }
  return { calls, locals: [...locals], tested: [...tested] };
}

// Per parsed chunk, offsets from the chunk's start: typing re-scans only the chunk it changed.
const perChunk = new WeakMap<ChunkEntry, Mentions>();

/** The mentions of each piece of this version's text: per parsed chunk (cached), else the whole text. */
function piecesOf(model: ConfigDocument): Array<{ m: Mentions; at: number }> {
  if (!model.parts) return [{ m: mentionsIn(model.text), at: 0 }];
  const pieces: Array<{ m: Mentions; at: number }> = [];
  for (const p of model.parts) {
    let m = perChunk.get(p.entry);
    if (!m) perChunk.set(p.entry, (m = mentionsIn(model.text.slice(p.start, p.end))));
    if (m !== NOTHING) pieces.push({ m, at: p.start });
  }
  return pieces;
}

/** The file declares a `local` of this name somewhere (hover then says nothing of the loader's function). */
export function declaresLocal(model: ConfigDocument, name: string): boolean {
  return piecesOf(model).some(({ m }) => m.locals.includes(name));
}

/**
 * The calls to report: a `local` of the name anywhere in the file is the file's own function (Lua scopes a top-level
 * local over every section), and a name the file tests for (`FileLine and FileLine(…)`, `if Credential then`) is
 * written for loaders with and without it.
 */
function allCalls(ctx: RuleContext): Array<{ call: Call; at: number }> {
  if (!ctx.model.configIsCurrent) return [];
  const pieces = piecesOf(ctx.model);
  const skip = new Set(pieces.flatMap(({ m }) => [...m.locals, ...m.tested]));
  return pieces.flatMap(({ m, at }) => m.calls.filter((c) => !skip.has(c.name)).map((call) => ({ call, at })));
}

function newerFunctionCalls(ctx: RuleContext): Finding[] {
  const text = ctx.doc.getText();
  return allCalls(ctx).flatMap(({ call, at }) => {
    const since = getConfigFunction(call.name)!.prosody.since!;
    if (lineInRange(ctx.line, { since })) return [];
    const start = at + call.start;
    // The key the call's value is for, when written on the same line (`dhparam = FileContents(…)`).
    const key = /([A-Za-z_]\w*)\s*=\s*$/.exec(text.slice(Math.max(0, start - 200), start).split(/[\r\n]/).at(-1)!)?.[1];
    return [{
      range: [start, at + call.end],
      message: `\`${call.name}()\` came in Prosody ${since}; Prosody ${ctx.line} has no such function: when Prosody's config loader reaches this call it fails ("attempt to call a nil value") and Prosody does not start. ${instead(call.name, key)} ${versionHint(ctx, since)}`,
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
    id: 'function-too-new', category: 'invalid', severity: DiagnosticSeverity.Error,
    // Lines before the newest of them; each call is still judged by its own function's release.
    prosody: { removed: configFunctions.map((f) => f.prosody.since!).sort(compareVersions).at(-1)! },
    title: 'Config function the Prosody line in force does not have',
    description: `${configFunctions.map((f) => `\`${f.name}()\` (from ${f.prosody.since})`).join(', ')} are functions of newer config loaders. Earlier releases have no such functions: a call stops the config from loading, so Prosody does not start. A \`local\` of the same name in the file is the file's own, and a name the file tests for (\`FileLine and FileLine(…)\`, \`if Credential then\`) is written for both kinds of loader: neither is reported.`,
    check: newerFunctionCalls,
  },
];
