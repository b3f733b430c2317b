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

  it('never gives a symbol an empty name (VS Code rejects the whole outline for one)', () => {
    const s = symbols('VirtualHost ""\nVirtualHost "  "\nVirtualHost [[\n]]\nComponent (name) "muc"\n');
    assert.deepEqual(s.map((x) => x.name), ['(empty name)', '(empty name)', '(empty name)', '(computed name)']);
  });

  it('still lists the sections while the file does not parse', () => {
    const s = symbols('VirtualHost "a.example"\n  ssl = {\nVirtualHost "b.example"\n');
    assert.deepEqual(s.map((x) => x.name), ['a.example', 'b.example']);
  });
});
