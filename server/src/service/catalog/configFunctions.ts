// Functions (and the `Lua` table) Prosody's config loader provides besides VirtualHost/Component/Include (facts
// §1: 13.0's core/configmanager.lua). Earlier releases look every other global name up in Lua's own globals, so a
// call to one of these there is a call to nil: Lua stops, and Prosody does not start.
import type { Doc, VersionRange } from './types';

export interface ConfigFunction {
  readonly name: string;
  readonly prosody: VersionRange;
  readonly doc: Doc;
  /** A table the loader provides (used as `Lua.os.getenv(…)`), not a function. */
  readonly table?: true;
}

const LINK = 'https://prosody.im/doc/configure';

export const configFunctions: readonly ConfigFunction[] = [
  { name: 'FileContents', prosody: { since: '13.0.0' }, doc: { summary: 'The whole text of a file, its final line break included, read when Prosody loads its config (for a password, `FileLine` drops the line break).', link: LINK } },
  { name: 'FileLine', prosody: { since: '13.0.0' }, doc: { summary: 'The first line of a file (a password kept out of the config file, say), read when Prosody loads its config.', link: LINK } },
  { name: 'FileLines', prosody: { since: '13.0.0' }, doc: { summary: 'The lines of a file as a list, read when Prosody loads its config.', link: LINK } },
  { name: 'Credential', prosody: { since: '13.0.0' }, doc: { summary: 'A secret from the directory systemd (or another service manager) names in `$CREDENTIALS_DIRECTORY`, read whole (a final line break included) when Prosody loads its config.', link: LINK } },
  // 13.0's loader answers `Lua` with Lua's globals and warns about other direct uses of them; before, `Lua` is nil.
  { name: 'Lua', table: true, prosody: { since: '13.0.0' }, doc: { summary: 'Lua\'s own globals (`Lua.os.getenv("HOME")`); 13.0 warns about using them without `Lua.`.', link: LINK } },
];

/**
 * Names that are globals of Prosody's Lua state, which the loader hands back from `_G` on every line: Lua's libraries,
 * and `log` and `prosody`, which Prosody sets itself (util/startup.lua, `_G.log = …`). Some are option names too
 * (`log`, `debug`): read in the config, they are the globals, never the options.
 */
export const LUA_STATE_GLOBALS: ReadonlySet<string> = new Set(['debug', 'log', 'prosody', 'string', 'table', 'os', 'io', 'math', 'utf8', 'coroutine', 'package']);
