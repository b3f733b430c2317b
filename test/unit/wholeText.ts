// The reference the incremental tests hold the service to: one parse and one rule run over the whole
// text, with no chunks and nothing kept from an earlier version.
import * as assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic } from 'vscode-languageserver-types';
import { createLanguageService, DEFAULT_SETTINGS, type LanguageService, type ServiceSettings } from '../../server/src/service';
import { doValidation } from '../../server/src/service/diagnostics';
import { splitChunks } from '../../server/src/service/model/chunks';
import { carryOver } from '../../server/src/service/carryOver';
import { buildDocument, lineInForce } from '../../server/src/service/model/document';
import { parseConfig } from '../../server/src/service/model/parse';

const WHOLE = { parse: (text: string) => ({ result: parseConfig(text) }) };

/** Diagnostics of one parse and one rule run over the whole text, order-free. */
export function reference(uri: string, text: string, settings: ServiceSettings): string[] {
  const doc = TextDocument.create(uri, 'prosody', 1, text);
  return canonical(doValidation(doc, buildDocument(uri, 1, text, undefined, WHOLE), settings));
}

export function canonical(ds: readonly Diagnostic[]): string[] {
  return ds.map((d) => JSON.stringify(d)).sort();
}

/** Feeds versions of one document to one service and holds each answer to the whole-text reference. */
export class Session {
  private version = 0;
  private readonly settings: ServiceSettings;
  private lastParsed?: { text: string; context: string; diagnostics: Diagnostic[] };
  readonly service: LanguageService;

  constructor(
    private readonly uri: string,
    options: { settings?: ServiceSettings; service?: LanguageService } = {},
  ) {
    this.settings = options.settings ?? DEFAULT_SETTINGS;
    this.service = options.service ?? createLanguageService();
  }

  check(text: string, what: string, settings: ServiceSettings = this.settings): Diagnostic[] {
    const doc = TextDocument.create(this.uri, 'prosody', ++this.version, text);
    const got = this.service.doValidation(doc, settings);
    const whole = parseConfig(text);
    const wholeModel = buildDocument(this.uri, 1, text, undefined, WHOLE);
    const expected = doValidation(TextDocument.create(this.uri, 'prosody', 1, text), wholeModel, settings);
    // A version that does not parse also shows the last parsed version's findings that still fit (LastParsed), when
    // it is checked for the same line and rule levels.
    const context = `${lineInForce(wholeModel, settings.prosodyVersion)}\0${JSON.stringify(settings.rules ?? {})}`;
    const last = this.lastParsed;
    if (!whole.ok && last?.context === context) expected.push(...carryOver(last.text, text, last.diagnostics.filter((d) => d.code !== 'syntax-error' && d.code !== 'unknown-version-directive')));
    if (whole.ok) this.lastParsed = { text, context, diagnostics: expected };
    assert.deepEqual(canonical(got), canonical(expected), `${what}: per-chunk diagnostics differ from the whole-text ones`);
    const model = this.service.getModel(doc);
    assert.equal(model.parse.ok, whole.ok, `${what}: chunked and whole parse disagree on validity`);
    if (model.parse.ok && whole.ok) assert.deepEqual(model.parse.config, whole.config, `${what}: chunked parse differs from the whole parse`);
    // Boundaries found by re-scanning only around the edit are the ones a scan of the whole text finds.
    if (model.parts) assert.deepEqual(model.parts.map((p) => [p.start, p.end]), splitChunks(text).map((c) => [c.start, c.end]), `${what}: chunk boundaries`);
    return got;
  }
}
