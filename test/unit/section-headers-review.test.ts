// Adversarial review of the section aliases (`Host`, `host`, `component`) and the table form
// (`VirtualHost "x" { … }`), held to Prosody's core/configmanager.lua: any call on the function a
// VirtualHost header returns (and, for a Component, a call with a non-string or a third call) does
// `rawset(env, "__currenthost", "*")` first, so what follows is global; the options table's string
// keys are set on the section, other keys and positional entries are not options.
import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { createLanguageService, DEFAULT_SETTINGS } from '../../server/src/service';
import { splitChunks } from '../../server/src/service/model/chunks';
import { parseConfig, type ParsedConfig } from '../../server/src/service/model/parse';
import { buildOutline } from '../../server/src/service/model/structure';
import { Session } from './wholeText';

let docs = 0;
const uri = (): string => `file:///section-review/${++docs}/prosody.cfg.lua`;
const docOf = (text: string): TextDocument => TextDocument.create(uri(), 'prosody', 1, text);

function whole(text: string): ParsedConfig {
  const p = parseConfig(text);
  assert.ok(p.ok, `parses: ${JSON.stringify(text)}`);
  return p.config;
}
const placed = (c: ParsedConfig): Array<[string, number]> => c.settings.map((s) => [s.name, s.section]);
const codesAt = (text: string, code: string): number[] =>
  createLanguageService()
    .doValidation(docOf(text), DEFAULT_SETTINGS)
    .filter((d) => d.code === code)
    .map((d) => d.range.start.line);
function completionLabels(text: string, line: number, character: number): string[] {
  return createLanguageService().doComplete(docOf(text), { line, character }, DEFAULT_SETTINGS).items.map((i) => String(i.label));
}

// ------------------------------------------------------------------ bugs the review found (fixed since)

describe('chunked parse after a table form agrees with the whole parse', () => {
  test('a host added above a table-form chunk moves its global settings into that host', () => {
    // The table-form chunk is reused unchanged; moveChunk adds the section shift to every setting,
    // also to the global ones (section 0) that follow the table form.
    const v1 = ['x = 1', 'VirtualHost "a"', 'VirtualHost "b" { enabled = true }', 'tls_profile = "old"', ''].join('\n');
    const v2 = v1.replace('VirtualHost "a"', 'VirtualHost "z"\nVirtualHost "a"');
    assert.deepEqual(placed(whole(v2)).find(([n]) => n === 'tls_profile'), ['tls_profile', 0]);
    const s = new Session(uri());
    s.check(v1, 'before the insert');
    const diags = s.check(v2, 'a host inserted above the table form');
    assert.ok(!diags.some((d) => d.code === 'global-option-in-host'), 'tls_profile is global after the table form');
  });

  test('settings before the first header of the chunk after a table form belong to the global section', () => {
    // `VirtualHost.note = …` starts a chunk but is no header; the chunk's first settings get `base - 1`
    // (host "b"), while the scope in force there is global (the table form returned to it).
    const text = ['x = 1', 'VirtualHost "b" { enabled = true }', 'VirtualHost.note = "n"', 'tls_profile = "old"', ''].join('\n');
    assert.equal(splitChunks(text).length, 3);
    assert.deepEqual(placed(whole(text)), [['x', 0], ['enabled', 1], ['tls_profile', 0]]);
    assert.deepEqual(codesAt(text, 'global-option-in-host'), [], 'no false positive on the global tls_profile');
    new Session(uri()).check(text, 'pre-header settings after a table-form chunk');
  });
});

describe('a header called with options that are not a table constructor still returns to global scope', () => {
  // configmanager.lua: the function a VirtualHost returns sets "__currenthost" to "*" before it looks at
  // its argument; a Component's does the same for a non-string argument and for its third call.
  const cases: Record<string, string> = {
    'VirtualHost("x")(opts)': 'local opts = { enabled = true }\nVirtualHost("x")(opts)\ntls_profile = "intermediate"\n',
    'VirtualHost "x" (opts)': 'local opts = { enabled = true }\nVirtualHost "x" (opts)\ntls_profile = "intermediate"\n',
    'Component "c" "muc" (opts)': 'local opts = { enabled = true }\nComponent "c" "muc" (opts)\ntls_profile = "intermediate"\n',
    'VirtualHost "x" ({ … }, extra)': 'VirtualHost "x" ({ enabled = true }, 1)\ntls_profile = "intermediate"\n',
  };
  for (const [name, text] of Object.entries(cases)) {
    test(name, () => {
      const c = whole(text);
      assert.equal(c.sections.length, 2, 'the header is still a section');
      assert.deepEqual(placed(c).find(([n]) => n === 'tls_profile'), ['tls_profile', 0]);
      assert.deepEqual(codesAt(text, 'global-option-in-host'), [], 'no false positive');
    });
  }
});

describe('the outline returns to global scope after a table form', () => {
  const text = ['VirtualHost "a" { enabled = true }', 'c2s_ssl = { protocol = "tlsv1_2+" }', '', ''].join('\n');

  test('the model has the line after it global', () => {
    assert.deepEqual(placed(whole(text)), [['enabled', 1], ['c2s_ssl', 0]]);
  });

  test('completion on the next line offers global-only options', () => {
    assert.ok(completionLabels(text, 2, 0).includes('tls_profile'), 'tls_profile is valid here (global scope)');
  });

  test('document symbols list the global setting at top level, not under the host', () => {
    const symbols = createLanguageService().doDocumentSymbols(docOf(text));
    const host = symbols.find((s) => s.name === 'a');
    assert.ok(host, 'the host has a symbol');
    assert.deepEqual(host.children?.map((c) => c.name), ['enabled']);
    assert.ok(symbols.some((s) => s.name === 'c2s_ssl'), 'c2s_ssl is a top-level (global) symbol');
  });

  test('hover on the global c2s_ssl describes the global defaults, not VirtualHost "a"', () => {
    const h = createLanguageService().doHover(docOf(text), { line: 1, character: 2 }, DEFAULT_SETTINGS);
    const md = h && typeof h.contents === 'object' && 'value' in h.contents ? h.contents.value : '';
    assert.match(md, /Effective c2s settings/);
    assert.doesNotMatch(md, /VirtualHost "a"/);
  });
});

describe('`host` used as a Lua variable opens no section, in the outline as in the model', () => {
  // With the lower-case alias a common variable name became a section word to the outline; completion,
  // hover and symbols then read a section the model does not have. An alias now has to look like a call.
  const cases: Record<string, string> = {
    'local host, port = …': 'local host, port = "example.com", 5222\n\n',
    'for _, host in …': 'for _, host in ipairs({ "a.example" }) do print(host) end\n\n',
    '… .. host': 'local host = "example.com"\nmuc_name = "conference." .. host\n\n',
  };
  for (const [name, text] of Object.entries(cases)) {
    test(name, () => {
      assert.equal(whole(text).sections.length, 1, 'no section in the model');
      assert.deepEqual(buildOutline(text).sections.map((s) => s.kind), ['global'], 'no section in the outline');
      const lastLine = text.split('\n').length - 1;
      assert.ok(completionLabels(text, lastLine, 0).includes('tls_profile'), 'global options offered after it');
    });
  }
});

// ------------------------------------------------------------------ tricky cases that hold

describe('table-form semantics that agree with configmanager.lua', () => {
  test('Component "x" { opts } without a module: a component with those options, then global', () => {
    const text = 'Component "c.example" { ssl = { protocol = "sslv3" } }\nssl_compression = true\n';
    const c = whole(text);
    assert.deepEqual(c.sections.map((s) => [s.kind, s.name, s.module]), [['global', undefined, undefined], ['component', 'c.example', undefined]]);
    assert.deepEqual(placed(c), [['ssl', 1], ['ssl_compression', 0]]);
    new Session(uri()).check(text, 'component table form without a module');
  });

  test('Component("x", "mod") ignores the second argument, as Component(name) does', () => {
    const c = whole('Component("c.example", "muc")\nssl = {}\n');
    assert.deepEqual(c.sections.map((s) => [s.kind, s.name, s.module]).slice(1), [['component', 'c.example', undefined]]);
    assert.deepEqual(placed(c), [['ssl', 1]]);
  });

  test('only string keys of the options table are options (positional entries and other keys are not)', () => {
    const text = 'host "a.example" { "pos", [1] = 2, [true] = 3, ["c2s_ssl"] = { protocol = "tlsv1" }, enabled = false }\n';
    assert.deepEqual(placed(whole(text)), [['c2s_ssl', 1], ['enabled', 1]]);
    assert.deepEqual(codesAt(text, 'unsafe-protocol'), [0], 'the bracket-keyed c2s_ssl is the host\'s and checked');
  });

  test('a table form inside `if` under a host: its options are conditional, and what follows is global', () => {
    const text = ['x = 1', 'VirtualHost "h"', 'if os.getenv("X") then component "c" "muc" { ssl = { protocol = "tlsv1" } } end', 'tls_profile = "old"', ''].join('\n');
    const c = whole(text);
    assert.deepEqual(c.settings.map((s) => [s.name, s.section, s.conditional]), [['x', 0, false], ['ssl', 2, true], ['tls_profile', 0, false]]);
    assert.equal(splitChunks(text).length, 2, 'a header inside `if` does not split');
    new Session(uri()).check(text, 'table form inside if');
  });

  test('assignments to, fields named and locals called host are no headers anywhere', () => {
    const text = ['local host = "x"', 'host = "y"', 'sql = {', '\thost = "db",', '}', 'VirtualHost "a"', '\tssl = {}', ''].join('\n');
    const c = whole(text);
    assert.deepEqual(c.sections.map((s) => s.kind), ['global', 'host']);
    assert.deepEqual(placed(c), [['host', 0], ['sql', 0], ['ssl', 1]]);
    assert.deepEqual(buildOutline(text).sections.map((s) => s.kind), ['global', 'host'], 'outline agrees');
    new Session(uri()).check(text, 'host as a name');
  });

  test('`host` continuing an expression on the next line is no split point that changes the meaning', () => {
    const text = 'local a = "x"\nname = a ..\nhost "b"\nssl = { protocol = "tlsv1" }\n';
    assert.equal(whole(text).sections.length, 1, 'the call is part of the concatenation');
    new Session(uri()).check(text, 'host inside an expression');
  });

  test('edits that turn a table form into a plain header and back keep the chunked result whole-equal', () => {
    const table = ['x = 1', 'VirtualHost "a"', '\tssl = { protocol = "tlsv1_2+" }', 'Host "b" { enabled = true }', 'tls_profile = "old"', 'component "c" "muc"', '\tssl = { protocol = "tlsv1" }', ''].join('\n');
    const plain = table.replace('Host "b" { enabled = true }', 'Host "b"\n\tenabled = true');
    const s = new Session(uri());
    assert.deepEqual(s.check(table, 'table form').filter((d) => d.code === 'global-option-in-host'), []);
    assert.deepEqual(s.check(plain, 'plain header').filter((d) => d.code === 'global-option-in-host').map((d) => d.range.start.line), [5]);
    s.check(table, 'table form again');
    s.check(table.replace('"c"', '"d"'), 'an edit in the component after it');
  });
});
