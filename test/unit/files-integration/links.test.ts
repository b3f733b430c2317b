// Document links: every path a config names resolves as Prosody resolves it, and becomes a file: URI.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { URI } from 'vscode-uri';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { doDocumentLinks, expandInclude, globMatcher } from '../../../server/src/service/links';
import { configDir, env } from './fixture';

function linkMap(doc: { getText(r?: unknown): string }, links: Awaited<ReturnType<typeof doDocumentLinks>>): Map<string, string> {
  return new Map(links.map((l) => [doc.getText(l.range), URI.parse(l.target!).fsPath]));
}

test('ssl keys, certificates, Include and host certificate become links resolved against the config directory', async () => {
  const c = configDir();
  const text = [
    'certificates = "certs"',
    'Include "conf.d/extra.cfg.lua"',
    'ssl = {',
    '  certificate = "tls/good.crt";',
    '  key = "./tls/good.key";',
    '  cafile = "/etc/ssl/certs/ca-certificates.crt";',
    '  capath = "/etc/ssl/certs";',
    '  dhparam = "tls/ffdhe2048.pem";',
    '  password = "not a path";',
    '}',
    'VirtualHost "example.com"',
    '  certificate = "tls/good.crt"',
    '',
  ].join('\n');
  const { doc, model } = c.doc('prosody.cfg.lua', text);
  const links = await doDocumentLinks(doc, model, env());
  const map = linkMap(doc, links);
  assert.equal(map.get('certs'), c.file('certs'));
  assert.equal(map.get('conf.d/extra.cfg.lua'), c.file('conf.d/extra.cfg.lua'));
  assert.equal(map.get('./tls/good.key'), c.file('tls/good.key'), 'one leading ./ is dropped, as Prosody does');
  assert.equal(map.get('/etc/ssl/certs/ca-certificates.crt'), '/etc/ssl/certs/ca-certificates.crt');
  assert.equal(map.get('/etc/ssl/certs'), '/etc/ssl/certs');
  assert.equal(map.get('tls/ffdhe2048.pem'), c.file('tls/ffdhe2048.pem'));
  assert.ok(!map.has('not a path'), 'password is not a path');
  // certificate appears twice (ssl table and host option): two links, same target.
  const certLinks = links.filter((l) => doc.getText(l.range) === 'tls/good.crt');
  assert.equal(certLinks.length, 2);
  for (const l of certLinks) assert.equal(URI.parse(l.target!).fsPath, c.file('tls/good.crt'));
  assert.equal(links.length, 8);
  // The range is the text between the quotes.
  const first = links.find((l) => doc.getText(l.range) === 'certs')!;
  assert.equal(doc.offsetAt(first.range.start), text.indexOf('"certs"') + 1);
});

test('a long-string path links exactly its value, after the line break Lua drops', async () => {
  const c = configDir();
  const text = 'Include [[\nconf.d/extra.cfg.lua]]\nssl = { certificate = [==[\r\ntls/good.crt]==] }\n';
  const { doc, model } = c.doc('prosody.cfg.lua', text);
  const links = await doDocumentLinks(doc, model, env());
  assert.deepEqual(links.map((l) => doc.getText(l.range)).sort(), ['conf.d/extra.cfg.lua', 'tls/good.crt']);
  for (const l of links) assert.equal(l.range.start.line, l.range.end.line, 'one line');
});

test('a file in conf.d resolves ssl paths against the main config directory, Include against its own directory', async () => {
  const c = configDir();
  const text = 'VirtualHost "example.com"\n  ssl = { certificate = "tls/good.crt" }\nInclude "more.cfg.lua"\n';
  const { doc, model } = c.doc('conf.d/host.cfg.lua', text);
  const map = linkMap(doc, await doDocumentLinks(doc, model, env()));
  assert.equal(map.get('tls/good.crt'), c.file('tls/good.crt'));
  assert.equal(map.get('more.cfg.lua'), c.file('conf.d/more.cfg.lua'));
});

test('a wildcard Include links to the first match of its one-level glob; dot files are skipped', async () => {
  const c = configDir();
  fs.writeFileSync(c.file('conf.d/b.cfg.lua'), '');
  fs.writeFileSync(c.file('conf.d/a.cfg.lua'), '');
  fs.writeFileSync(c.file('conf.d/.hidden.cfg.lua'), '');
  fs.writeFileSync(c.file('conf.d/notes.txt'), '');
  const text = 'Include("conf.d/*.cfg.lua")\ninclude "conf.d/?.cfg.lua"\nInclude "nothing/*.lua"\n';
  const { doc, model } = c.doc('prosody.cfg.lua', text);
  const links = await doDocumentLinks(doc, model, env());
  assert.equal(links.length, 3);
  assert.equal(URI.parse(links[0]!.target!).fsPath, c.file('conf.d/a.cfg.lua'));
  assert.match(links[0]!.tooltip!, /files match/);
  assert.equal(URI.parse(links[1]!.target!).fsPath, c.file('conf.d/a.cfg.lua'));
  assert.equal(URI.parse(links[2]!.target!).fsPath, c.file('nothing'), 'no match: the directory');
  const expanded = await expandInclude(c.file('conf.d/*.cfg.lua'));
  assert.deepEqual(expanded.files.map((f) => path.basename(f)).filter((f) => f !== 'host.cfg.lua' && f !== 'extra.cfg.lua' && f !== 'more.cfg.lua'), ['a.cfg.lua', 'b.cfg.lua']);
  assert.ok(!expanded.files.some((f) => f.includes('.hidden')));
});

test('glob matcher: * spans any characters, ? exactly one, other characters are literal', () => {
  assert.equal(globMatcher('*.cfg.lua')('x.cfg.lua'), true);
  assert.equal(globMatcher('*.cfg.lua')('xcfgalua'), false);
  assert.equal(globMatcher('?.lua')('ab.lua'), false);
  assert.equal(globMatcher('a+b(*).lua')('a+b(1).lua'), true);
});

test('no links for an untitled document, and none from a config that does not parse', async () => {
  const c = configDir();
  const { model } = c.doc('prosody.cfg.lua', 'ssl = { certificate = "tls/good.crt" }\n');
  const { TextDocument } = await import('vscode-languageserver-textdocument');
  const untitled = TextDocument.create('untitled:Untitled-1', 'prosody', 1, model.text);
  assert.deepEqual(await doDocumentLinks(untitled, model, env()), []);
  const broken = c.doc('prosody.cfg.lua', 'ssl = { certificate = "tls/good.crt"\n');
  assert.deepEqual(await doDocumentLinks(broken.doc, broken.model, env()), []);
});

test('a path no URI can name (a lone surrogate) loses its own link only', async () => {
  const c = configDir();
  const { doc, model } = c.doc('prosody.cfg.lua', 'ssl = { key = "tls/good.key"; certificate = "\uD800.crt" }\n');
  const map = linkMap(doc, await doDocumentLinks(doc, model, env()));
  assert.equal(map.get('tls/good.key'), c.file('tls/good.key'));
  assert.equal(map.size, 1);
});

test('a links request cancelled while it runs stops and answers nothing (VS Code asks again after each keystroke)', async () => {
  const c = configDir();
  const { doc, model } = c.doc('prosody.cfg.lua', 'ssl = { certificate = "tls/good.crt"; key = "tls/good.key" }\n');
  assert.equal((await doDocumentLinks(doc, model, env())).length, 2);
  let asked = 0;
  // Cancelled once the paths are known: no link is built.
  assert.deepEqual(await doDocumentLinks(doc, model, { ...env(), cancelled: () => ++asked > 1 }), []);
  assert.ok(asked >= 2);
});

test('a long links run gives the event loop turns, so a cancellation sent meanwhile stops it (a reviewer: it never did)', async () => {
  const c = configDir();
  const text = Array.from({ length: 1500 }, (_, i) => `VirtualHost "h${i}.example"\n  ssl = { certificate = "tls/h${i}.crt"; key = "tls/h${i}.key" }\n`).join('');
  const { doc, model } = c.doc('prosody.cfg.lua', text);
  assert.equal((await doDocumentLinks(doc, model, env())).length, 3000);
  // The cancellation arrives on the event loop once the run has started, as $/cancelRequest does.
  let scheduled = false;
  let flag = false;
  const cancelled = (): boolean => {
    if (!scheduled) {
      scheduled = true;
      setImmediate(() => (flag = true));
    }
    return flag;
  };
  assert.deepEqual(await doDocumentLinks(doc, model, { ...env(), cancelled }), []);
});

test('a links run whose document is edited meanwhile answers nothing rather than misplaced links (a reviewer)', async () => {
  const c = configDir();
  const text = Array.from({ length: 1500 }, (_, i) => `VirtualHost "h${i}.example"\n  ssl = { certificate = "tls/h${i}.crt"; key = "tls/h${i}.key" }\n`).join('');
  const { doc, model } = c.doc('prosody.cfg.lua', text);
  // The server's TextDocuments updates the same object in place when a didChange is read during the run.
  const live = TextDocument.create(doc.uri, 'prosody', 1, text);
  setImmediate(() => TextDocument.update(live, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '-- comment\n' }], 2));
  assert.deepEqual(await doDocumentLinks(live, model, env()), []);
});
