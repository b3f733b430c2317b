// The config model of one document version: tolerant outline (always), luaparse result, the last
// config that parsed, and the Prosody line in force. Built once per version and shared by every
// request through ModelCache.

import type { TextDocument } from 'vscode-languageserver-textdocument';
import { isProsodyLine, type ProsodyLine } from '../catalog/versions';
import { parseConfig, type ParseResult, type ParsedConfig } from './parse';
import { buildOutline, type Outline } from './structure';
import type { Range } from './values';

export interface VersionDirective {
  readonly range: Range;
  /** The line named, when it is one we know. */
  readonly line?: ProsodyLine;
  readonly raw: string;
}

export interface ConfigDocument {
  readonly uri: string;
  readonly version: number;
  readonly text: string;
  readonly outline: Outline;
  readonly parse: ParseResult;
  /** This version's config if it parses, else the last one that did (ranges may be stale). */
  readonly config?: ParsedConfig;
  readonly configIsCurrent: boolean;
  readonly directive?: VersionDirective;
}

const DIRECTIVE = /prosody-ssl:\s*version\s*=\s*([0-9.]+)/;

export function buildDocument(uri: string, version: number, text: string, lastGood?: ParsedConfig): ConfigDocument {
  const outline = buildOutline(text);
  const parse = parseConfig(text);
  const config = parse.ok ? parse.config : lastGood;
  return { uri, version, text, outline, parse, config, configIsCurrent: parse.ok, directive: findDirective(outline) };
}

/** `-- prosody-ssl: version=0.11` in the comments before the first statement. */
function findDirective(outline: Outline): VersionDirective | undefined {
  for (const t of outline.tokens) {
    if (t.kind !== 'comment') return undefined;
    const m = DIRECTIVE.exec(t.value);
    if (m) {
      const start = t.contentStart + m.index;
      const raw = m[1]!;
      return { range: [start, start + m[0].length], raw, line: isProsodyLine(raw) ? raw : undefined };
    }
  }
  return undefined;
}

/** The Prosody line in force for a document: its directive, else the user's setting. */
export function lineInForce(doc: ConfigDocument, setting: ProsodyLine): ProsodyLine {
  return doc.directive?.line ?? setting;
}

/** Per-version model cache with the last good parse per URI. */
export class ModelCache {
  private readonly docs = new Map<string, ConfigDocument>();
  private readonly lastGood = new Map<string, ParsedConfig>();

  constructor(private readonly maxEntries = 64) {}

  get(doc: TextDocument): ConfigDocument {
    const cached = this.docs.get(doc.uri);
    if (cached && cached.version === doc.version) return cached;
    const built = buildDocument(doc.uri, doc.version, doc.getText(), this.lastGood.get(doc.uri));
    if (built.parse.ok) this.lastGood.set(doc.uri, built.parse.config);
    this.docs.delete(doc.uri);
    this.docs.set(doc.uri, built);
    while (this.docs.size > this.maxEntries) {
      const oldest = this.docs.keys().next().value as string;
      this.docs.delete(oldest);
      this.lastGood.delete(oldest);
    }
    return built;
  }

  remove(uri: string): void {
    this.docs.delete(uri);
    this.lastGood.delete(uri);
  }
}
