// Block snippets come from completion. Those that belong at the top of a config (a global ssl table, direct TLS, the hardened defaults) are offered
// by completion there only, and only where the Prosody line has every option they write; VS Code's static snippets
// were offered inside hosts too, where they raised our own global-option-in-host (a reviewer in a real VS Code).
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { createLanguageService } from '../../server/src/service';
import type { ProsodyLine } from '../../server/src/service/catalog/versions';
import { complete } from '../helpers/cursor';
import { readSnippetFile, REPO_ROOT, expandSnippet } from '../helpers/snippets';
import * as path from 'node:path';

function labelsAt(text: string, line: ProsodyLine = '13.0'): { labels: string[]; items: ReturnType<ReturnType<typeof createLanguageService>['doComplete']>['items'] } {
  const at = text.indexOf('|');
  const doc = TextDocument.create('file:///g/prosody.cfg.lua', 'prosody', 1, text.replace('|', ''));
  const items = createLanguageService().doComplete(doc, doc.positionAt(at), { prosodyVersion: line }).items;
  return { labels: items.map((i) => i.label), items };
}

test('at the top of the config: offered, as snippets that expand to what the file holds', () => {
  const { labels, items } = labelsAt('admins = {}\ntls|\n');
  for (const p of ['ssl-global', 'direct-tls', 'tls-hardened']) assert.ok(labels.includes(p), `${p} in ${labels.join(', ')}`);
  const hardened = items.find((i) => i.label === 'tls-hardened')!;
  const file = readSnippetFile(path.join(REPO_ROOT, 'snippets/global-only.json')).find((s) => s.prefixes.includes('tls-hardened'))!;
  assert.equal((hardened.textEdit as { newText: string }).newText, file.body);
  assert.match(String((hardened.documentation as { value: string }).value), /tls_profile = "intermediate"/, 'the documentation shows the block with its defaults');
  assert.ok(expandSnippet(file.body).includes('s2s_secure_auth = true'));
  const ssl = items.find((i) => i.label === 'ssl-global')!;
  assert.match(String((ssl.documentation as { value: string }).value), /key = "\/etc\/prosody\/certs\/example\.com\.key";/, 'a repeated placeholder shows its default too');
});

test('inside a VirtualHost or a Component: not offered', () => {
  for (const text of ['VirtualHost "a.example"\n  tls|\n', 'Component "c.example" "muc"\n  |\n', 'VirtualHost "a.example" {\n  |\n}\n']) {
    const { labels } = labelsAt(text);
    for (const p of ['ssl-global', 'direct-tls', 'tls-hardened']) assert.ok(!labels.includes(p), `${p} offered in ${JSON.stringify(text)}`);
  }
});

test('only where the line has every option the block writes (tls_profile and direct TLS came in 0.12)', () => {
  const { labels } = labelsAt('tls|\n', '0.11');
  assert.ok(labels.includes('ssl-global'));
  assert.ok(!labels.includes('tls-hardened') && !labels.includes('direct-tls'), labels.join(', '));
});

test('not where the global section already sets an option the block writes: a second table would replace the first whole', () => {
  const ssl = 'ssl = {\n\tprotocol = "tlsv1_2+";\n}\n';
  for (const cursor of ['tls|\n', 'ssl-gl|\n']) {
    const { labels } = labelsAt(`${ssl}${cursor}`);
    assert.ok(!labels.includes('ssl-global'), `${cursor}: ${labels.join(', ')}`);
    assert.ok(labels.includes('tls-hardened') && labels.includes('direct-tls'), labels.join(', '));
  }
  // One-line options the section sets already are left out of the block (Prosody's sample config sets two of them).
  const profiled = labelsAt('tls_profile = "modern"\nc2s_require_encryption = true\ntls|\n').items.find((i) => i.label === 'tls-hardened');
  assert.ok(profiled, 'offered with the options left that the section does not set');
  assert.equal((profiled.textEdit as { newText: string }).newText, 's2s_require_encryption = true\ns2s_secure_auth = true\n$0');
  assert.match((profiled.documentation as { value: string }).value, /Leaves out `tls_profile`, `c2s_require_encryption`, which this config sets already/);
  const all = 'tls_profile = "modern"\nc2s_require_encryption = true\ns2s_require_encryption = true\ns2s_secure_auth = true\n';
  assert.ok(!labelsAt(`${all}tls|\n`).labels.includes('tls-hardened'), 'nothing left to add');
  // Set to another value, it is not left out under a "hardened" label (Prosody's sample: `s2s_secure_auth = false`).
  for (const weaker of ['s2s_secure_auth = false\n', 'tls_profile = "old"\n', 'c2s_require_encryption = os.getenv("X") == "1"\n']) {
    assert.ok(!labelsAt(`${weaker}tls|\n`).labels.includes('tls-hardened'), weaker);
  }
  // A host's own ssl is another section's.
  assert.ok(labelsAt('tls|\nVirtualHost "a.example"\n  ssl = {}\n').labels.includes('ssl-global'));
});

test('a prefix typed whole, hyphen and all, still finds its snippet (Lua would read a subtraction there)', () => {
  for (const typed of ['ssl-g', 'tls-hardened', 'direct-tls']) {
    const { labels, items } = labelsAt(`admins = {}\n${typed}|\n`);
    const prefix = labels.find((l) => l.startsWith(typed));
    assert.ok(prefix, `${typed}: ${labels.join(', ')}`);
    const edit = items.find((i) => i.label === prefix)!.textEdit as { range: { start: { character: number } } };
    assert.equal(edit.range.start.character, 0, 'the whole typed prefix is replaced');
  }
  assert.ok(!labelsAt('VirtualHost "a.example"\n  ssl-g|\n').labels.includes('ssl-global'), 'not inside a host');
  assert.deepEqual(labelsAt('x = 1-g|\n').labels, [], 'not inside an expression');
});

test('the ssl-global snippet does not say Prosody 13 picks the protocol on older lines (a reviewer)', () => {
    for (const line of ['0.9', '0.10', '0.11', '0.12', '13.0'] as const) {
      const item = complete('ssl-gl|', line).items.find((i) => i.label === 'ssl-global');
      const doc = (item?.documentation as { value: string } | undefined)?.value ?? '';
      assert.ok(item, line);
      assert.doesNotMatch(doc, /Prosody 13 picks/, line);
      assert.match(doc, /from Prosody 0\.12 tls_profile picks them/, line);
    }
});

// Review 151 (a real editor): VS Code's static snippets were offered inside `ssl = { … }` and wrote `c2s_ssl = { … }`
// there (which the table does not read), or a VirtualHost inside the global table (a syntax error). They are served
// by completion now, at statement level only, where the section reads what they write.
test('the host, component, c2s_ssl and s2s_ssl blocks: at statement level in any section that reads them, never inside a table', () => {
  const blocks = ['vhost-tls', 'component-tls', 'c2s-tls', 's2s-tls'];
  const has = (text: string, line: ProsodyLine = '13.0'): string[] => labelsAt(text, line).labels.filter((l) => blocks.includes(l));
  assert.deepEqual(has('admins = {}\ntls|\n'), ['virtualhost-tls', 'vhost-tls', 'component-tls', 'c2s-tls', 's2s-tls'].filter((l) => blocks.includes(l)));
  assert.deepEqual(has('VirtualHost "a.example"\n  |\n'), ['vhost-tls', 'component-tls', 'c2s-tls', 's2s-tls']);
  assert.deepEqual(has('Component "c.example" "muc"\n  |\n'), ['vhost-tls', 'component-tls', 's2s-tls'], 'a component takes no client connections');
  for (const inside of ['ssl = { c2s| }\n', 'VirtualHost "a.example"\n  ssl = {\n    |\n  }\n', 'VirtualHost "a.example" {\n  |\n}\n', 'ssl = { protocol = | }\n']) {
    assert.deepEqual(has(inside), [], JSON.stringify(inside));
  }
  assert.deepEqual(has('tls|\n', '0.9'), ['vhost-tls', 'component-tls'], 'c2s_ssl and s2s_ssl came in 0.10');
  assert.deepEqual(has('c2s_ssl = {\n\tprotocol = "tlsv1_2+";\n}\ntls|\n'), ['vhost-tls', 'component-tls', 's2s-tls'], 'a second c2s_ssl would replace the first');
  // The prefix typed whole (Lua reads `vhost - tls`) is still completed, in a host too.
  assert.ok(labelsAt('VirtualHost "a.example"\n  c2s-tls|\n').labels.includes('c2s-tls'));
});
