// Document symbols: sections with their settings, also while the file does not parse.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { SymbolKind } from 'vscode-languageserver-types';
import { service } from '../helpers/cursor';

let n = 0;
const symbols = (text: string) => service.doDocumentSymbols(TextDocument.create(`file:///symbols/${++n}.cfg.lua`, 'prosody', 1, text));

describe('document symbols', () => {
  it('lists global settings, then each VirtualHost and Component with its settings', () => {
    const s = symbols('tls_profile = "modern"\nssl = { protocol = "tlsv1_3" }\n\nVirtualHost "a.example"\n  ssl = { key = "a.key" }\n\nComponent "conf.a.example" "muc"\n  modules_enabled = { "muc_mam" }\n');
    assert.deepEqual(s.map((x) => [x.name, x.kind]), [['tls_profile', SymbolKind.Property], ['ssl', SymbolKind.Struct], ['a.example', SymbolKind.Namespace], ['conf.a.example', SymbolKind.Module]]);
    assert.equal(s[2]!.detail, 'VirtualHost');
    assert.equal(s[3]!.detail, 'Component (muc)');
    assert.deepEqual(s[2]!.children!.map((c) => [c.name, c.detail]), [['ssl', '{ key = "a.key" }']]);
    // The host's range ends at its last setting, not on the blank line before the Component.
    assert.deepEqual(s[2]!.range.end, { line: 4, character: 25 });
  });

  it('cuts a long detail between characters, never inside an emoji (a reviewer saw a lone surrogate)', () => {
    for (let a = 38; a <= 48; a++) {
      const detail = symbols(`ssl = { ciphers = "${'A'.repeat(a)}\u{1F600}\u{1F600}\u{1F600}\u{1F600}" }\n`)[0]!.detail!;
      assert.ok(detail.endsWith('…'), detail);
      assert.ok(!/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(detail), `${a}: ${JSON.stringify(detail)}`);
    }
  });

  it('never gives a symbol an empty name (VS Code rejects the whole outline for one)', () => {
    const s = symbols('VirtualHost ""\nVirtualHost "  "\nVirtualHost [[\n]]\nComponent (name) "muc"\n');
    assert.deepEqual(s.map((x) => x.name), ['(empty name)', '(empty name)', '(empty name)', '(computed name)']);
  });

  it('still lists the sections while the file does not parse', () => {
    const s = symbols('VirtualHost "a.example"\n  ssl = {\nVirtualHost "b.example"\n');
    assert.deepEqual(s.map((x) => x.name), ['a.example', 'b.example']);
  });

  it('holds at most the limit, every host before any host\'s settings, and says when it cut', () => {
    const hosts = Array.from({ length: 8 }, (_, i) => `VirtualHost "h${i}.example"\n  ssl = { key = "k" }\n  c2s_require_encryption = true\n`).join('');
    const doc = TextDocument.create('file:///symbols/limit.cfg.lua', 'prosody', 1, `tls_profile = "modern"\n${hosts}`);
    const cut: string[] = [];
    const s = service.doDocumentSymbols(doc, { resultLimit: 12, onResultLimitExceeded: (u) => cut.push(u) });
    assert.deepEqual(s.map((x) => x.name), ['tls_profile', ...Array.from({ length: 8 }, (_, i) => `h${i}.example`)]);
    const count = (xs: readonly { children?: readonly unknown[] }[]): number => xs.reduce((a, x) => a + 1 + count((x.children ?? []) as never), 0);
    assert.equal(count(s), 12);
    assert.deepEqual(s[1]!.children!.map((c) => c.name), ['ssl', 'c2s_require_encryption']);
    assert.deepEqual(s[2]!.children!.map((c) => c.name), ['ssl']);
    assert.deepEqual(s[3]!.children, []);
    assert.deepEqual(cut, [doc.uri]);
    // Within the limit: everything, and nothing said.
    const all = service.doDocumentSymbols(doc, { resultLimit: 25, onResultLimitExceeded: (u) => cut.push(u) });
    assert.equal(count(all), 25);
    assert.equal(cut.length, 1);
  });
});
