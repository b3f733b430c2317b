// A version that does not parse (a quote or a `{` not yet closed while typing) shows its syntax error and the last
// parsed version's findings on the lines the edit left alone, rules' and file checks' alike; before, it showed the
// syntax error alone, so every other squiggle vanished and came back as the user typed (a real-editor review).
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic } from 'vscode-languageserver-types';
import { URI } from 'vscode-uri';
import { createLanguageService, DEFAULT_SETTINGS } from '../../server/src/service';
import { Session } from './wholeText';
import { configDir, env, SETTINGS } from './files-integration/fixture';

const URI_ = 'file:///broken/prosody.cfg.lua';
const TEXT = [
  'VirtualHost "a.example"', // 0
  '  ssl = { protocol = "tlsv1" }', // 1
  'VirtualHost "b.example"', // 2
  '  ssl = {', // 3
  '    protocol = "tlsv1_1";', // 4
  '  }', // 5
  'VirtualHost "c.example"', // 6
  '  ssl = { protocol = "tlsv1" }', // 7
  '',
].join('\n');

const found = (ds: readonly Diagnostic[]): string[] => ds.map((d) => `${String(d.code)}@${d.range.start.line}:${d.range.start.character}`).sort();

describe('a version with a syntax error', () => {
  it('keeps the findings of the lines the edit left alone, moved with the lines inserted above them', () => {
    const service = createLanguageService();
    const v1 = service.doValidation(TextDocument.create(URI_, 'prosody', 1, TEXT), DEFAULT_SETTINGS);
    assert.deepEqual(found(v1), ['unsafe-protocol@1:21', 'unsafe-protocol@4:15', 'unsafe-protocol@7:21']);
    // b's table loses its `}` and gains a line: a's finding stays, c's moves down one line, b's own (not on an
    // edited line) stays; the syntax error is Lua's.
    const broken = TEXT.replace('  }\n', '  -- typing\n  ssl_x = 1\n');
    const v2 = service.doValidation(TextDocument.create(URI_, 'prosody', 2, broken), DEFAULT_SETTINGS);
    const syntax = v2.filter((d) => d.code === 'syntax-error');
    assert.equal(syntax.length, 1);
    assert.deepEqual(found(v2.filter((d) => d.code !== 'syntax-error')), ['unsafe-protocol@1:21', 'unsafe-protocol@4:15', 'unsafe-protocol@8:21']);
    // The moved finding's quick fix moved with it.
    const fix = (v2.find((d) => d.range.start.line === 8)!.data as { fixes: Array<{ edits: Array<{ range: { start: { line: number } } }> }> }).fixes[0]!;
    assert.equal(fix.edits[0]!.range.start.line, 8);
  });

  it('drops a finding on a line the edit changed', () => {
    const service = createLanguageService();
    service.doValidation(TextDocument.create(URI_, 'prosody', 1, TEXT), DEFAULT_SETTINGS);
    const v2 = service.doValidation(TextDocument.create(URI_, 'prosody', 2, TEXT.replace('protocol = "tlsv1_1";', 'protocol = "tlsv1_1;')), DEFAULT_SETTINGS);
    assert.deepEqual(found(v2.filter((d) => d.code !== 'syntax-error')), ['unsafe-protocol@1:21', 'unsafe-protocol@7:21']);
  });

  it('has only its syntax error when no version parsed before, or the rule levels changed since', () => {
    const broken = TEXT.replace('  }\n', '');
    const fresh = createLanguageService().doValidation(TextDocument.create(URI_, 'prosody', 1, broken), DEFAULT_SETTINGS);
    assert.deepEqual(fresh.map((d) => d.code), ['syntax-error']);
    const service = createLanguageService();
    service.doValidation(TextDocument.create(URI_, 'prosody', 1, TEXT), DEFAULT_SETTINGS);
    const other = service.doValidation(TextDocument.create(URI_, 'prosody', 2, broken), { ...DEFAULT_SETTINGS, rules: { 'unsafe-protocol': 'error' } });
    assert.deepEqual(other.map((d) => d.code), ['syntax-error']);
  });

  it('matches the whole-text run again once the error is mended, through a sequence of typing', () => {
    const s = new Session(URI_);
    s.check(TEXT, 'start');
    let text = TEXT;
    // Typing a new host's table one piece at a time: most of these versions do not parse.
    const typed = ['VirtualHost "d.example"\n', '  ssl = {', ' protocol = "', 'tlsv1', '"', ' }', '\n'];
    for (const piece of typed) {
      text += piece;
      s.check(text, `typed ${JSON.stringify(piece)}`);
    }
    const last = s.check(text.replace('VirtualHost "a.example"\n  ssl = { protocol = "tlsv1" }\n', ''), 'a deleted');
    assert.ok(last.some((d) => d.code === 'unsafe-protocol' && d.range.start.line === 7));
  });

  it('keeps the file checks’ findings too', async () => {
    const service = createLanguageService();
    const uri = URI.file(path.join(configDir().root, 'prosody.cfg.lua')).toString();
    const text = ['VirtualHost "x.example"', '  ssl = { certificate = "tls/missing.crt"; key = "tls/good.key" }', 'VirtualHost "y.example"', '  ssl = { protocol = "tlsv1_2+" }', ''].join('\n');
    const v1 = await service.doFileValidation(TextDocument.create(uri, 'prosody', 1, text), SETTINGS, env());
    const before = found(v1);
    assert.ok(before.some((d) => d.startsWith('file-missing@1:')), before.join(' '));
    const broken = text.replace('"tlsv1_2+" }', '"tlsv1_2+ }');
    const v2 = await service.doFileValidation(TextDocument.create(uri, 'prosody', 2, broken), SETTINGS, env());
    assert.deepEqual(found(v2), before);
    // A fresh service has nothing to carry.
    assert.deepEqual(await createLanguageService().doFileValidation(TextDocument.create(uri, 'prosody', 1, broken), SETTINGS, env()), []);
  });
});
