// The names a config declares `local` (`local base = { … }`, `local function pick()`): the file's own variables,
// not Prosody's options or the config loader's functions. Read from the tokens, not the AST: chunks are parsed
// on their own, and a top-level local of the global chunk is in scope in every section below it. A name is the
// file's own from its first declaration on (above it, Lua reads the global: a call to `FileLine` there is the
// loader's); scoping inside blocks is not followed (a local of one `if` counts to the end of the file), which errs
// towards "the file's own".
import { ChunkMemo, ownCopy } from './chunkMemo';
import type { ConfigDocument } from './document';
import { scanTokens } from './tokenize';

/** Each name declared `local`, and the offset of its first declaration. */
export type Locals = ReadonlyMap<string, number>;

const NONE: Locals = new Map();

function localsIn(text: string): Locals {
  if (!/\blocal\b/.test(text)) return NONE;
  const tokens = scanTokens(text);
  const out = new Map<string, number>();
  for (let i = 0; i < tokens.length; i++) {
    if (tokens.kind(i) !== 'name' || tokens.raw(i) !== 'local') continue;
    let j = i + 1;
    if (j < tokens.length && tokens.raw(j) === 'function') j++;
    for (; j < tokens.length && (tokens.kind(j) === 'name' || tokens.raw(j) === ','); j++) {
      // (An own copy of the name: a slice would keep the version's whole text alive with the chunk's answer.)
      if (tokens.kind(j) === 'name' && !out.has(tokens.raw(j))) out.set(ownCopy(tokens.raw(j)), tokens.start(i));
    }
  }
  return out.size ? out : NONE;
}

// Per parsed chunk, relative to the chunk: typing re-scans only the chunk it changed.
const perChunk = new ChunkMemo<Locals>(localsIn);
const perModel = new WeakMap<ConfigDocument, Locals>();

/** Every name the document declares `local`, with where it is first declared. */
export function declaredLocals(model: ConfigDocument): Locals {
  let all = perModel.get(model);
  if (all) return all;
  if (!model.parts) all = localsIn(model.text);
  else {
    // Most configs declare none: then no map is built.
    let names: Map<string, number> | undefined;
    for (const p of model.parts) {
      const m = perChunk.of(p, model.text);
      for (const [n, at] of m) if (!(names ??= new Map()).has(n)) names.set(n, p.start + at);
    }
    all = names ?? NONE;
  }
  perModel.set(model, all);
  return all;
}

/** The name is the file's own `local` at `offset` (declared above it). */
export function isLocalAt(locals: Locals, name: string, offset: number): boolean {
  const at = locals.get(name);
  return at !== undefined && at < offset;
}

/** Whether a chunk below the global one declares a local: its names are then the file's own in the chunks after it. */
export function hostDeclaresLocal(model: ConfigDocument): boolean {
  return !!model.parts && perChunk.some(model.parts, model.text, (m) => m.size > 0, 1);
}
