// Functions Prosody's config loader provides besides VirtualHost/Component/Include (facts §1: 13.0's
// core/configmanager.lua). Earlier releases look every other global name up in Lua's own globals, so a
// call to one of these there is a call to nil: Lua stops, and Prosody does not start.
import type { Doc, VersionRange } from './types';

export interface ConfigFunction {
  readonly name: string;
  readonly prosody: VersionRange;
  readonly doc: Doc;
}

const LINK = 'https://prosody.im/doc/configure';

export const configFunctions: readonly ConfigFunction[] = [
  { name: 'FileContents', prosody: { since: '13.0.0' }, doc: { summary: 'The whole text of a file, read when Prosody loads its config.', link: LINK } },
  { name: 'FileLine', prosody: { since: '13.0.0' }, doc: { summary: 'The first line of a file (a password kept out of the config file, say), read when Prosody loads its config.', link: LINK } },
  { name: 'FileLines', prosody: { since: '13.0.0' }, doc: { summary: 'The lines of a file as a list, read when Prosody loads its config.', link: LINK } },
  { name: 'Credential', prosody: { since: '13.0.0' }, doc: { summary: 'A secret from the directory systemd (or another service manager) names in `$CREDENTIALS_DIRECTORY`, read when Prosody loads its config.', link: LINK } },
];
