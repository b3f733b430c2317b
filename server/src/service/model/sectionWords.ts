// The words that open a section in Prosody's config, with the aliases its config loader defines
// (core/configmanager.lua: `env.Host, env.host = env.VirtualHost, env.VirtualHost`, `env.component = env.Component`,
// `env.include = env.Include`).
import { tokenize, type Token } from './tokenize';

export type SectionKind = 'global' | 'host' | 'component';

/** Section word → the kind of section it opens; in the order the grammar lists them. */
export const SECTION_WORDS: ReadonlyMap<string, Exclude<SectionKind, 'global'>> = new Map([
  ['VirtualHost', 'host'],
  ['Host', 'host'],
  ['host', 'host'],
  ['Component', 'component'],
  ['component', 'component'],
]);

/** `Include "file"` and its alias: a statement that names another config file. */
export const INCLUDE_WORDS: ReadonlySet<string> = new Set(['Include', 'include']);

const LENGTHS: ReadonlySet<number> = new Set([...SECTION_WORDS.keys()].map((w) => w.length));
// An array to scan: iterating the map allocates an entry per step, and this runs for every name the scanners meet.
const ENTRIES: ReadonlyArray<readonly [string, Exclude<SectionKind, 'global'>]> = [...SECTION_WORDS];

/** The section word written at `start`..`end` of `text`, compared in place (no slice). */
export function sectionWordAt(text: string, start: number, end: number): Exclude<SectionKind, 'global'> | undefined {
  const len = end - start;
  if (!LENGTHS.has(len)) return undefined;
  for (let i = 0; i < ENTRIES.length; i++) {
    const [word, kind] = ENTRIES[i]!;
    if (word.length === len && text.startsWith(word, start)) return kind;
  }
  return undefined;
}

/** A lower-case alias (`host`, `component`) is also a common variable name; the canonical words are not. */
export function isLowerCaseAlias(word: string): boolean {
  return SECTION_WORDS.has(word) && word[0] === word[0]!.toLowerCase();
}

/**
 * `VirtualHost "*"` names no host: Prosody's config loader sets the options after it in the section it calls "*",
 * the global one (configmanager.lua: `__currenthost` is the nameprepped name, and "*" is global). It is the only way
 * back to global scope in the plain form.
 */
export function isGlobalHeader(kind: SectionKind, name: string | undefined): boolean {
  return kind === 'host' && name === '*';
}

/**
 * Where one of these words is used as a global name in a config's text (not `x.Include`, `x:Include`), with the
 * significant tokens after it: read from the tokens, not parsed, so a text mid-edit still counts, and a use inside a
 * comment (a line or a `--[[ … ]]` block) or a string does not.
 */
export function wordUses(text: string, words: ReadonlySet<string>): Array<{ readonly next?: Token; readonly after?: Token }> {
  const tokens = tokenize(text).filter((t) => t.kind !== 'comment');
  const out: Array<{ next?: Token; after?: Token }> = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind !== 'name' || !words.has(t.value)) continue;
    const before = tokens[i - 1];
    if (before?.kind === 'symbol' && (before.value === '.' || before.value === ':')) continue;
    out.push({ next: tokens[i + 1], after: tokens[i + 2] });
  }
  return out;
}

/**
 * The `Include "path"` / `Include("path")` calls (or its lowercase alias) in a config's text, each with its literal path
 * (null where the path is computed).
 */
export function includeCalls(text: string): Array<string | null> {
  return wordUses(text, INCLUDE_WORDS).map(({ next, after }) => {
    const arg = next?.kind === 'symbol' && next.value === '(' ? after : next;
    return arg?.kind === 'string' && arg.closed ? arg.value : null;
  });
}
