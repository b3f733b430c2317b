// File diagnostics, links, symbols and file hovers read a version's settings where their chunks were last
// placed (chunks an edit moved are not copied) and move the ranges they report. After every edit of a
// sequence they must equal what a fresh service gives for the same text, and the moved path must really run.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { createLanguageService, type LanguageService } from '../../../server/src/service';
import { configDir, env, SETTINGS } from './fixture';

const START = [
  '-- global',
  'ssl = { certificate = "tls/good.crt"; key = "tls/good.key"; password = "wrong" }',
  'certificates = "certs"',
  'VirtualHost "example.com"',
  'VirtualHost "old.example"',
  '  ssl = { certificate = "tls/expired.crt"; key = "tls/expired.key" }',
  'VirtualHost "wrong.example"',
  '  ssl = { certificate = "tls/wrong.crt"; key = "tls/other.key" }',
  'VirtualHost "enc.example"',
  '  ssl = { certificate = "tls/good.crt"; key = "tls/enc.key"; password = "nope" }',
  'VirtualHost "enc8.example"',
  '  c2s_ssl = { certificate = "tls/good.crt"; key = "tls/enc.key" }',
  'VirtualHost "nocert.example"',
  '  s2s_ssl = { dhparam = "tls/dh1024.pem" }',
  'Component "conference.example.com" "muc"',
  '  ssl = { certificate = "/nonexistent/prosody/a.crt"; key = "tls/missing.key" }',
  '',
].join('\n');

/** Edits as (find, replace-with) on the current text; each is one keystroke-sized or line-sized change. */
const EDITS: ReadonlyArray<readonly [string, string]> = [
  ['-- global', '-- global settings'], // the global chunk grows: every host chunk moves
  ['"tls/expired.key" }', '"tls/expired.key"; verify = "peer" }'], // later chunks move along the line
  ['VirtualHost "wrong.example"\n', 'VirtualHost "wrong.example"\n  -- a note\n'], // later chunks move down a line
  ['"tls/enc.key"; password = "nope"', '"tls/enc.key"; password = "nop"'],
  ['VirtualHost "enc8.example"', 'VirtualHost "new.example"\nVirtualHost "enc8.example"'], // section indexes shift
  ['VirtualHost "new.example"\n', ''],
  ['"tls/missing.key"', '"tls/good.key"'],
  ['-- global settings\n', ''], // every chunk moves up
  ['  s2s_ssl = { dhparam = "tls/dh1024.pem" }', '  s2s_ssl = { dhparam = "tls/ffdhe2048.pem" }'],
];

async function answers(service: LanguageService, doc: TextDocument): Promise<string> {
  const e = env();
  service.doValidation(doc, SETTINGS);
  const files = await service.doFileValidation(doc, SETTINGS, e);
  const links = await service.doDocumentLinks(doc, e);
  const symbols = service.doDocumentSymbols(doc);
  const text = doc.getText();
  const hovers: unknown[] = [];
  for (let i = text.indexOf('"'); i >= 0; i = text.indexOf('"', text.indexOf('"', i + 1) + 1)) {
    hovers.push(await service.doFileHover(doc, doc.positionAt(i + 2), SETTINGS, e));
  }
  const sorted = (xs: readonly unknown[]): string[] => xs.map((x) => JSON.stringify(x)).sort();
  return JSON.stringify({ files: sorted(files), links: sorted(links), symbols, hovers });
}

test('after each edit, file diagnostics, links, symbols and file hovers equal a fresh service’s', async () => {
  const root = configDir().root;
  const uri = URI.file(path.join(root, 'prosody.cfg.lua')).toString();
  const service = createLanguageService();
  let doc = TextDocument.create(uri, 'prosody', 1, START);
  await answers(service, doc);
  let moved = 0;
  for (const [find, replace] of EDITS) {
    const text = doc.getText();
    const at = text.indexOf(find);
    assert.ok(at >= 0, `the text holds ${JSON.stringify(find)}`);
    doc = TextDocument.update(doc, [{ range: { start: doc.positionAt(at), end: doc.positionAt(at + find.length) }, text: replace }], doc.version + 1);
    const got = await answers(service, doc);
    const fresh = await answers(createLanguageService(), TextDocument.create(uri, 'prosody', 1, doc.getText()));
    assert.equal(got, fresh, `after replacing ${JSON.stringify(find)}`);
    const placed = service.getModel(doc).placed!;
    const sections = placed.config.sections.length;
    if ([...Array(sections).keys()].some((s) => placed.shift(s) !== 0)) moved++;
  }
  assert.ok(moved >= 3, `only ${moved} versions read moved chunks: the test would not test them`);
  // The findings the config was written for are there (a guard against comparing two empty answers).
  const final = JSON.parse(await answers(service, doc)) as { files: string[] };
  for (const code of ['cert-host-mismatch', 'cert-expired', 'key-cert-mismatch', 'key-password-wrong', 'file-missing']) {
    assert.ok(final.files.some((d) => d.includes(`"code":"${code}"`)), `${code} among ${final.files.length} diagnostics`);
  }
  // Related locations in other chunks: the host a global certificate does not cover, the global password.
  assert.ok(final.files.some((d) => d.includes('nocert.example uses this certificate')));
  assert.ok(final.files.some((d) => d.includes('the password setting')));
});

test('text above a table-form first header deleted: global settings after it are placed right (server request order)', async () => {
  const uri = URI.file(path.join(configDir().root, 'prosody.cfg.lua')).toString();
  const start = '-- top\nVirtualHost "a.example" { ssl = { certificate = "tls/good.crt" } }\nssl = { certificate = "tls/wrong.crt", key = "tls/other.key" }\n';
  const service = createLanguageService();
  let doc = TextDocument.create(uri, 'prosody', 1, start);
  await answers(service, doc);
  doc = TextDocument.update(doc, [{ range: { start: { line: 0, character: 0 }, end: { line: 1, character: 0 } }, text: '' }], 2);
  // VS Code asks for symbols and links at once; validation runs after the debounce.
  const symbols = service.doDocumentSymbols(doc);
  const links = await service.doDocumentLinks(doc, env());
  const fresh = createLanguageService();
  const again = TextDocument.create(uri, 'prosody', 1, doc.getText());
  assert.deepEqual(symbols, fresh.doDocumentSymbols(again));
  assert.deepEqual(links, await fresh.doDocumentLinks(again, env()));
  assert.equal(await answers(service, doc), await answers(fresh, again));
});
