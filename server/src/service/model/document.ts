// The config model of one document version: tolerant outline (always), luaparse result, the last
// config that parsed, and the Prosody line in force. Built once per version and shared by every
// request through ModelCache.

import type { TextDocument } from 'vscode-languageserver-textdocument';
import { lineOf, PROSODY_LINES, type ProsodyLine } from '../catalog/versions';
import { ChunkedParser, placeParts, type ConfigPart, type PlacedConfig } from './chunkedParse';
import { GLOBAL_SECTION, withGlobalKey, type ParseResult, type ParsedConfig } from './parse';
import { buildOutline, type Outline } from './structure';
import { longBracketAt, tokenize, type TokenList } from './tokenize';
import type { Range } from './values';

export interface VersionDirective {
  readonly range: Range;
  /** The line named (a release such as `0.12.4` names its line, as for the CLI), when it is one we know. */
  readonly line?: ProsodyLine;
  readonly raw: string;
  /** Why the directive is ignored, for the user, when `raw` names no line we know. */
  readonly problem?: string;
}

export interface ConfigDocument {
  readonly uri: string;
  readonly version: number;
  readonly text: string;
  /** Built on first use: diagnostics of a parsable file never need it, completion and hover do. */
  readonly outline: Outline;
  readonly parse: ParseResult;
  /** This version's config if it parses, else the last one that did (ranges may be stale). */
  readonly config?: ParsedConfig;
  readonly configIsCurrent: boolean;
  readonly directive?: VersionDirective;
  /** The chunks this version parsed in (see chunkedParse.ts), when it parsed. */
  readonly parts?: readonly ConfigPart[];
  /**
   * `config` with the global section's settings only. Completion asks for the tls_profile on every
   * keystroke; reading it here moves at most the first chunk (only when text above the first header was removed).
   */
  readonly globalConfig?: ParsedConfig;
  /**
   * This version's settings without moving chunks (see PlacedConfig), when it parses; offsets read from its
   * nodes need `shift(section)`.
   */
  readonly placed?: PlacedConfig;
  /**
   * The tokens of this version's outline once built, else those an earlier version's outline had: the next
   * version's outline scans only what changed since (see scanTokens).
   */
  readonly knownTokens?: TokenList;
}

// Any word after `version=`, so `version=trunk` or `version=0.12.x` is reported rather than silently ignored.
const DIRECTIVE = /prosody-ssl:\s*version\s*=\s*([0-9A-Za-z._+-]+)/;

/** `lastGood`: the parse of the last version that parsed (its config is assembled only if asked for). */
export function buildDocument(uri: string, version: number, text: string, lastGood?: { readonly config: ParsedConfig }, parser: Pick<ChunkedParser, 'parse'> = new ChunkedParser(), earlierTokens?: TokenList): ConfigDocument {
  const { result: parse, parts } = parser.parse(text);
  // Held only when needed: a version that parses must not keep the previous one's config (and the moved
  // chunk copies it assembled) alive.
  const fallback = parse.ok ? undefined : lastGood;
  let outline: Outline | undefined;
  let earlier = earlierTokens;
  let globalConfig: ParsedConfig | undefined;
  let placed: PlacedConfig | undefined;
  return {
    uri,
    version,
    text,
    get outline() {
      if (!outline) {
        outline = buildOutline(text, earlier);
        earlier = undefined;
      }
      return outline;
    },
    get knownTokens() {
      return outline?.tokens ?? earlier;
    },
    parse,
    // Assembled from the chunks on first use: per-chunk diagnostics never need the whole config.
    get config() {
      return parse.ok ? parse.config : fallback?.config;
    },
    configIsCurrent: parse.ok,
    directive: findDirective(text),
    parts,
    get placed() {
      if (!parse.ok) return undefined;
      return (placed ??= (parts && placeParts(parts)) || { config: parse.config, shift: () => 0 });
    },
    get globalConfig() {
      // With parts, every global setting is in the first chunk (see ChunkConfig.entangled).
      if (!parts) return this.config;
      return (globalConfig ??= withGlobalKey({ sections: [GLOBAL_SECTION], settings: parts[0]!.config.settings.filter((s) => s.section === 0) }, parts[0]!.entry));
    },
  };
}

/** `-- prosody-ssl: version=0.11` in the comments before the first statement. */
export function findDirective(text: string): VersionDirective | undefined {
  // Read only the leading comments: tokenizing the whole file for them would cost as much as the outline, and even
  // looking through it for the word costs a pass over the text on every keystroke.
  const head = leadingComments(text);
  if (!head.includes('prosody-ssl')) return undefined;
  for (const t of tokenize(head)) {
    if (t.kind !== 'comment') return undefined;
    const m = DIRECTIVE.exec(t.value);
    if (m) {
      const start = t.contentStart + m.index;
      const raw = m[1]!;
      const line = lineOf(raw);
      if (line) return { range: [start, start + m[0].length], raw, line };
      const problem = `\`version=${raw}\` names no Prosody release line this extension knows (${PROSODY_LINES.join(', ')}, or a release of one such as 0.12.4): the directive is ignored and the Prosody version setting applies (\`prosodySsl.prosodyVersion\`, or \`--prosody-version\` on the command line).`;
      return { range: [start, start + m[0].length], raw, problem };
    }
  }
  return undefined;
}

/** The text up to the first thing that is neither white space nor a comment (read as the tokenizer reads them). */
function leadingComments(text: string): string {
  let i = 0;
  for (;;) {
    // White space as the tokenizer skips it: anything up to a space, and a BOM.
    while (i < text.length && (text.charCodeAt(i) <= 32 || text.charCodeAt(i) === 0xfeff)) i++;
    if (!text.startsWith('--', i)) return text.slice(0, i);
    const long = longBracketAt(text, i + 2);
    if (long) i = long.end;
    else while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
  }
}

/** The Prosody line in force for a document: its directive, else the user's setting. */
export function lineInForce(doc: ConfigDocument, setting: ProsodyLine): ProsodyLine {
  return doc.directive?.line ?? setting;
}

/** Per-version model cache: per URI the newest model, the last parse that succeeded and the chunk parser. */
export class ModelCache {
  private readonly entries = new Map<string, { doc: ConfigDocument; lastGood?: { readonly config: ParsedConfig }; parser: ChunkedParser }>();

  /** `onForget`: called when a URI's state is dropped (closed, or the oldest of more than `maxEntries`). */
  constructor(
    private readonly maxEntries = 64,
    private readonly onForget?: (uri: string) => void,
  ) {}

  get(doc: TextDocument): ConfigDocument {
    const entry = this.entries.get(doc.uri);
    // The text too: a document closed and opened again starts its versions over, and a request still running for
    // the closed one may build its model after the reopen (a reviewer saw the old text's outline and findings).
    if (entry?.doc.version === doc.version && entry.doc.text === doc.getText()) return entry.doc;
    const parser = entry?.parser ?? new ChunkedParser();
    const built = buildDocument(doc.uri, doc.version, doc.getText(), entry?.lastGood, parser, entry?.doc.knownTokens);
    // Re-inserted so the least recently built URI is the first key.
    this.entries.delete(doc.uri);
    this.entries.set(doc.uri, { doc: built, lastGood: built.parse.ok ? built.parse : entry?.lastGood, parser });
    while (this.entries.size > this.maxEntries) this.remove(this.entries.keys().next().value as string);
    return built;
  }

  remove(uri: string): void {
    this.entries.delete(uri);
    this.onForget?.(uri);
  }
}
