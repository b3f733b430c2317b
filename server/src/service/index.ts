// The Prosody TLS language service: plain functions over a per-version model. No editor or
// connection code lives here; the LSP server and the CLI are thin adapters over this.

import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, CompletionList, Diagnostic, Hover, Position } from 'vscode-languageserver-types';
import { doCodeActions } from './codeActions';
import { DEFAULT_LINE } from './catalog/versions';
import type { ServiceSettings } from './settings';
import { doComplete } from './completion';
import { doValidation } from './diagnostics';
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
  /** Forget a closed document. */
  forget(uri: string): void;
}

export function createLanguageService(): LanguageService {
  const cache = new ModelCache();
  return {
    getModel: (doc) => cache.get(doc),
    doComplete: (doc, pos, s = DEFAULT_SETTINGS) => doComplete(doc, cache.get(doc), doc.offsetAt(pos), s.prosodyVersion),
    doHover: (doc, pos, s = DEFAULT_SETTINGS) => doHover(doc, cache.get(doc), doc.offsetAt(pos), s.prosodyVersion),
    doValidation: (doc, s = DEFAULT_SETTINGS) => doValidation(doc, cache.get(doc), s),
    doCodeActions: (doc, diagnostics) => doCodeActions(doc, diagnostics),
    forget: (uri) => cache.remove(uri),
  };
}

export type { ProsodyLine } from './catalog/versions';
export type { ConfigDocument } from './model/document';
