// The Prosody TLS language service: plain functions over a per-version model. No editor or
// connection code lives here; the LSP server and the CLI are thin adapters over this.

import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, CompletionList, Diagnostic, DocumentLink, DocumentSymbol, Hover, Position } from 'vscode-languageserver-types';
import { doDocumentSymbols, type SymbolsContext } from './symbols';
import type { FileEnv } from './fileEnv';
import { doFileValidation, type FileFinding } from './fileChecks';
import { doFileHover } from './fileHover';
import { doDocumentLinks } from './links';
import { doCodeActions } from './codeActions';
import { DEFAULT_LINE } from './catalog/versions';
import type { ServiceSettings } from './settings';
import { doComplete } from './completion';
import { IncrementalValidator } from './incrementalValidation';
import { IncrementalFileChecks } from './incrementalFileChecks';
import { LastParsed } from './carryOver';
import { doHover } from './hover';
import { ModelCache, type ConfigDocument } from './model/document';

export type { ServiceSettings, RuleLevel } from './settings';

export const DEFAULT_SETTINGS: ServiceSettings = { prosodyVersion: DEFAULT_LINE };

export interface LanguageService {
  /** The model of this document version (built once, then cached). */
  getModel(doc: TextDocument): ConfigDocument;
  doComplete(doc: TextDocument, position: Position, settings?: ServiceSettings): CompletionList;
  doHover(doc: TextDocument, position: Position, settings?: ServiceSettings): Hover | null;
  doValidation(doc: TextDocument, settings?: ServiceSettings): Diagnostic[];
  /** Quick fixes for our diagnostics in the request's context. */
  doCodeActions(doc: TextDocument, diagnostics: readonly Diagnostic[]): CodeAction[];
  /** Certificate, key and DH-parameter checks: they read files, so they are asynchronous. */
  doFileValidation(doc: TextDocument, settings: ServiceSettings, env: FileEnv): Promise<Diagnostic[]>;
  /** Hover on a file path: what the certificate or key holds (never key material). */
  doFileHover(doc: TextDocument, position: Position, settings: ServiceSettings, env: FileEnv): Promise<Hover | null>;
  /** VirtualHost / Component sections and their settings, for the Outline view and breadcrumbs (at most SYMBOL_LIMIT). */
  doDocumentSymbols(doc: TextDocument, context?: SymbolsContext): DocumentSymbol[];
  /** Links on key/certificate/… paths and Include globs, resolved as Prosody resolves them. */
  doDocumentLinks(doc: TextDocument, env?: Pick<FileEnv, 'fs' | 'cancelled'>): Promise<DocumentLink[]>;
  /** Forget a closed document. */
  forget(uri: string): void;
}

/** Per open document, dropped with its models: the rule diagnostics and the file findings kept between versions. */
interface Kept {
  readonly rules: IncrementalValidator;
  readonly files: IncrementalFileChecks<FileFinding>;
  readonly filesShown: LastParsed;
}

export function createLanguageService(): LanguageService {
  const kept = new Map<string, Kept>();
  const cache = new ModelCache(64, (uri) => kept.delete(uri));
  const keptFor = (uri: string): Kept => {
    let k = kept.get(uri);
    if (!k) kept.set(uri, (k = { rules: new IncrementalValidator(), files: new IncrementalFileChecks(), filesShown: new LastParsed() }));
    return k;
  };
  const fileValidation = async (doc: TextDocument, settings: ServiceSettings, env: FileEnv): Promise<Diagnostic[]> => {
    const model = cache.get(doc);
    const k = keptFor(doc.uri);
    const own = await doFileValidation(doc, model, settings, env, k.files);
    // The file checks read the config, so a version that does not parse gets the last parsed version's findings.
    const context = JSON.stringify([settings, env.checkFiles ?? null]);
    if (!model.configIsCurrent) return [...own, ...k.filesShown.onto(model.text, context)];
    // A run stopped part way (the document moved on) found only some of them.
    if (!env.cancelled?.()) k.filesShown.remember(model.text, context, own);
    return own;
  };
  return {
    getModel: (doc) => cache.get(doc),
    doComplete: (doc, pos, s = DEFAULT_SETTINGS) => doComplete(doc, cache.get(doc), doc.offsetAt(pos), s.prosodyVersion),
    doHover: (doc, pos, s = DEFAULT_SETTINGS) => doHover(doc, cache.get(doc), doc.offsetAt(pos), s.prosodyVersion),
    doValidation: (doc, s = DEFAULT_SETTINGS) => keptFor(doc.uri).rules.validate(doc, cache.get(doc), s),
    doCodeActions: (doc, diagnostics) => doCodeActions(doc, cache.get(doc), diagnostics),
    doFileValidation: fileValidation,
    doFileHover: (doc, pos, s, env) => doFileHover(doc, cache.get(doc), doc.offsetAt(pos), s, env),
    doDocumentLinks: (doc, env = {}) => doDocumentLinks(doc, cache.get(doc), env),
    doDocumentSymbols: (doc, context) => doDocumentSymbols(doc, cache.get(doc), context),
    forget: (uri) => cache.remove(uri),
  };
}

export type { ProsodyLine } from './catalog/versions';
export { SYMBOL_LIMIT, type SymbolsContext } from './symbols';
export type { ConfigDocument } from './model/document';
