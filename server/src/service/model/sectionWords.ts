// The words that open a section in Prosody's config, with the aliases its config loader defines
// (core/configmanager.lua: `env.Host, env.host = env.VirtualHost, env.VirtualHost`, `env.component = env.Component`).

export type SectionKind = 'global' | 'host' | 'component';

/** Section word → the kind of section it opens; in the order the grammar lists them. */
export const SECTION_WORDS: ReadonlyMap<string, Exclude<SectionKind, 'global'>> = new Map([
  ['VirtualHost', 'host'],
  ['Host', 'host'],
  ['host', 'host'],
  ['Component', 'component'],
  ['component', 'component'],
]);

/** The section word written at `start`..`end` of `text`, compared in place (no slice). */
export function sectionWordAt(text: string, start: number, end: number): Exclude<SectionKind, 'global'> | undefined {
  const len = end - start;
  if (len !== 4 && len !== 9 && len !== 11) return undefined;
  for (const [word, kind] of SECTION_WORDS) if (word.length === len && text.startsWith(word, start)) return kind;
  return undefined;
}
