// What a long-lived server keeps between keystrokes: a new version that parses must not hold on to the
// previous version's config (with a large config that doubled the live model: every chunk an edit moved
// was kept twice). Checked for real with V8's collector, not by looking at fields.
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { generateConfig } from '../../bench/generate';
import { ModelCache } from '../../server/src/service/model/document';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

/** Lets pending finalisations run, then collects everything unreachable. */
async function collect(): Promise<void> {
  for (let i = 0; i < 3; i++) {
    await new Promise((r) => setImmediate(r));
    gc();
  }
}

test('a version that parses does not keep the previous version’s config alive', async () => {
  const cache = new ModelCache();
  const text = generateConfig(400);
  let doc = TextDocument.create('file:///retention/prosody.cfg.lua', 'prosody', 1, text);
  const weak = (() => {
    const first = cache.get(doc);
    assert.ok(first.configIsCurrent);
    return new WeakRef(first.config!);
  })();
  // An edit near the top moves every chunk after it; the new version assembles its own config.
  const at = doc.positionAt(text.indexOf('protocol = "') + 12);
  doc = TextDocument.update(doc, [{ range: { start: at, end: at }, text: 'x' }], 2);
  const second = cache.get(doc);
  assert.ok(second.configIsCurrent);
  assert.ok(second.config!.settings.length > 0);
  await collect();
  assert.equal(weak.deref(), undefined, 'the first version’s config is still reachable');
});

test('a version that does not parse keeps the last good config it falls back on', async () => {
  const cache = new ModelCache();
  const text = generateConfig(100);
  let doc = TextDocument.create('file:///retention/broken.cfg.lua', 'prosody', 1, text);
  const good = cache.get(doc).config!;
  doc = TextDocument.update(doc, [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: 'ssl = {\n' }], 2);
  const broken = cache.get(doc);
  assert.equal(broken.configIsCurrent, false);
  assert.equal(broken.config, good);
});

test('edits in many hosts keep no older version’s whole text alive', async () => {
  const cache = new ModelCache();
  const text = generateConfig(3000);
  let doc = TextDocument.create('file:///retention/many.cfg.lua', 'prosody', 1, text);
  cache.get(doc);
  await collect();
  const before = process.memoryUsage().heapUsed;
  // One keystroke in each of 40 hosts: each re-parses one chunk, whose values are cut from that version's text.
  const hosts = [...text.matchAll(/^VirtualHost /gm)].map((m) => m.index);
  assert.ok(hosts.length > 40);
  for (let k = 0; k < 40; k++) {
    const current = doc.getText();
    const at = current.indexOf('protocol = "', current.indexOf('\nVirtualHost ', hosts[k]! + 1)) + 12;
    doc = TextDocument.update(doc, [{ range: { start: doc.positionAt(at), end: doc.positionAt(at) }, text: 'x' }], doc.version + 1);
    assert.ok(cache.get(doc).configIsCurrent);
  }
  await collect();
  const grown = process.memoryUsage().heapUsed - before;
  // Each retained version would cost a whole text (40 of them); the edited chunks are a small part of one,
  // the rest is the new version's own text and what the run compiled.
  assert.ok(grown < 10 * text.length, `the heap grew by ${grown} bytes for a ${text.length}-byte text`);
});

// A reviewer: a request for a closed document built its model after the document was opened again, and the new
// text (versions start over at 1) was answered from the old one's model.
test('the same version with another text is another model', () => {
  const cache = new ModelCache();
  const uri = 'file:///retention/reopened.cfg.lua';
  const old = cache.get(TextDocument.create(uri, 'prosody', 1, 'VirtualHost "h0.example"\n'));
  const reopened = cache.get(TextDocument.create(uri, 'prosody', 1, 'ssl = { protocol = "tlsv1_2+" }\n'));
  assert.notEqual(reopened, old);
  assert.equal(reopened.text, 'ssl = { protocol = "tlsv1_2+" }\n');
  const doc = TextDocument.create(uri, 'prosody', 1, 'ssl = { protocol = "tlsv1_2+" }\n');
  assert.equal(cache.get(doc), cache.get(doc), 'an unchanged version is not built again');
});
