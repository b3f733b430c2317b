// The names a config declares `local` (`local base = { … }`, `local function pick()`): the file's own variables,
// not Prosody's options or the config loader's functions. Read from the tokens, not the AST: chunks are parsed
// on their own, and a top-level local of the global chunk is in scope in every section below it. Scoping inside
// blocks is not followed (a local of one `if` counts everywhere), which errs towards "the file's own".
import type { ChunkEntry } from './chunkedParse';
import type { ConfigDocument } from './document';
import { scanTokens } from './tokenize';

const NONE: ReadonlySet<string> = new Set();

function localsIn(text: string): ReadonlySet<string> {
  if (!/\blocal\b/.test(text)) return NONE;
  const tokens = scanTokens(text);
  const out = new Set<string>();
  for (let i = 0; i < tokens.length; i++) {
    if (tokens.kind(i) !== 'name' || tokens.raw(i) !== 'local') continue;
    let j = i + 1;
    if (j < tokens.length && tokens.raw(j) === 'function') j++;
    for (; j < tokens.length && (tokens.kind(j) === 'name' || tokens.raw(j) === ','); j++) if (tokens.kind(j) === 'name') out.add(tokens.raw(j));
  }
  return out.size ? out : NONE;
}

// Per parsed chunk: typing re-scans only the chunk it changed.
const perChunk = new WeakMap<ChunkEntry, ReadonlySet<string>>();
const perModel = new WeakMap<ConfigDocument, ReadonlySet<string>>();

/** Every name the document declares `local` anywhere. */
export function declaredLocals(model: ConfigDocument): ReadonlySet<string> {
  let all = perModel.get(model);
  if (all) return all;
  // Most configs declare none: no chunk is looked at (a slice of each would copy the whole text).
  if (!/\blocal\b/.test(model.text)) all = NONE;
  else if (!model.parts) all = localsIn(model.text);
  else {
    const names = new Set<string>();
    for (const p of model.parts) {
      let m = perChunk.get(p.entry);
      if (!m) perChunk.set(p.entry, (m = localsIn(model.text.slice(p.start, p.end))));
      for (const n of m) names.add(n);
    }
    all = names;
  }
  perModel.set(model, all);
  return all;
}
