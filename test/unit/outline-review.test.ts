// Adversarial review of the tolerant outline's table-form handling (globalFrom, sectionOptions, the
// lower-case aliases) as completion, hover and document symbols read it — and of the places that index
// the parsed model's sections by the outline's section numbers (hover's effective-settings table,
// symbols' grouping). The first block holds bugs the review found; the second, tricky cases that hold.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { DocumentSymbol } from 'vscode-languageserver-types';
import { createLanguageService, DEFAULT_SETTINGS } from '../../server/src/service';
import { parseConfig, type ParsedConfig } from '../../server/src/service/model/parse';
import { buildOutline, sectionAt } from '../../server/src/service/model/structure';

const CORPUS = process.env['PROSODY_CORPUS_DIR'] ?? path.resolve(__dirname, '../../../../shared/corpus');

let docs = 0;
const docOf = (text: string, uri = `file:///outline-review/${++docs}/prosody.cfg.lua`, version = 1): TextDocument =>
  TextDocument.create(uri, 'prosody', version, text);

/** `text` with one `|` marking the cursor: the document without it and the cursor's position. */
function at(text: string): { doc: TextDocument; pos: { line: number; character: number } } {
  const i = text.indexOf('|');
  assert.ok(i >= 0, 'the text marks the cursor with |');
  const doc = docOf(text.slice(0, i) + text.slice(i + 1));
  return { doc, pos: doc.positionAt(i) };
}
const complete = (text: string): string[] => {
  const { doc, pos } = at(text);
  return createLanguageService().doComplete(doc, pos, DEFAULT_SETTINGS).items.map((x) => String(x.label));
};
const hoverText = (text: string): string => {
  const { doc, pos } = at(text);
  const h = createLanguageService().doHover(doc, pos, DEFAULT_SETTINGS);
  return h && typeof h.contents === 'object' && 'value' in h.contents ? h.contents.value : '';
};
/** "(where, Prosody …)" and the protocol row of the first effective-settings table of a hover. */
const effective = (md: string): { where?: string; protocol?: string } => ({
  where: /\*\*Effective c2s settings\*\* \(([^,)]*)/.exec(md)?.[1],
  protocol: /\| `protocol` \| `([^`]*)`/.exec(md)?.[1],
});
const symbols = (text: string): DocumentSymbol[] => createLanguageService().doDocumentSymbols(docOf(text));
function whole(text: string): ParsedConfig {
  const p = parseConfig(text);
  assert.ok(p.ok, `parses: ${JSON.stringify(text)}`);
  return p.config;
}
/** Settings whose section in the model differs from the outline's section at the setting's name. */
function disagreements(text: string): Array<[string, number, number]> {
  const outline = buildOutline(text);
  return whole(text)
    .settings.map((s): [string, number, number] => [s.name, s.section, sectionAt(outline, s.nameRange[0])])
    .filter(([, model, out]) => model !== out);
}

// ------------------------------------------------------------------ bugs the review found

describe('a header with a computed name in parentheses is a plain header, not a table form', () => {
  // readHeader stops at `(` when no string follows it (`VirtualHost (domain)`), so `next` is that `(`
  // and the outline takes the name's own parentheses for the options call: its `)` sets globalFrom.
  // The model (one call → no return to global) and Prosody keep the host in force. Real configs do
  // this: corpus 035 (`VirtualHost (domain)`, `Component (domain_muc) "muc"`), 059 Snikket, 079.
  const HOST = 'local domain = "example.com"\nVirtualHost (domain)\n\tssl = { protocol = "tlsv1_2+" }\n\t\n';
  const COMPONENT = 'local muc = "muc.example.com"\nComponent (muc) "muc"\n\tssl = { protocol = "tlsv1_2+" }\n';

  test('outline and model agree on the section of the settings after it', () => {
    assert.deepEqual(disagreements(HOST), []);
    assert.deepEqual(disagreements(COMPONENT), []);
  });

  test('completion under `VirtualHost (domain)` offers host options, not global-only ones', () => {
    const labels = complete(HOST.replace(/\t\n$/, '\t|\n'));
    assert.ok(labels.includes('c2s_ssl'), 'a host option is offered');
    assert.ok(!labels.includes('tls_profile'), 'tls_profile is global-only');
  });

  test('hover on the host\'s ssl shows the host\'s effective settings, not the global defaults', () => {
    const md = hoverText(HOST.replace('\tssl =', '\ts|sl ='));
    assert.notEqual(effective(md).where, 'global defaults');
  });

  test('document symbols put the host\'s ssl under the host', () => {
    const host = symbols(HOST).find((s) => s.name === '(computed name)');
    assert.ok(host, 'the host has a symbol');
    assert.deepEqual(host.children?.map((c) => c.name), ['ssl']);
  });

  test('every setting of every corpus config sits in the same section for the outline and the model', () => {
    const files = fs.readdirSync(CORPUS).filter((f) => f.endsWith('.lua')).sort();
    assert.ok(files.length >= 40, `finds the corpus in ${CORPUS}`);
    const bad: string[] = [];
    for (const f of files) {
      const text = fs.readFileSync(path.join(CORPUS, f), 'utf8');
      if (!parseConfig(text).ok) continue;
      const d = disagreements(text);
      if (d.length) bad.push(`${f}: ${d.length} (first ${JSON.stringify(d[0])})`);
    }
    assert.deepEqual(bad, []);
  });
});

describe('the parenthesised table form `VirtualHost("x")({ … })` has its options marked', () => {
  // The header's own `("x")` pops back to an empty stack while `returning` is already set, so globalFrom
  // lands after `("x")`, before the options; and a `{` inside the options call's `(` is never marked
  // sectionOptions (it is only marked when it is the call's first token). The model takes these options
  // as the host's (parse.ts sectionHeader), as section-headers.test.ts's TABLE_FORM does.
  const TEXT = 'VirtualHost("d.example")({ c2s_ssl = { protocol = "tlsv1+" } })\nssl_compression = true\n';

  test('the options are the host\'s to the outline as to the model', () => {
    assert.deepEqual(disagreements(TEXT), []);
  });

  test('hover on an option key inside it documents the option', () => {
    assert.match(hoverText(TEXT.replace('c2s_ssl', 'c2s_s|sl')), /\*\*c2s_ssl\*\*/);
  });

  test('completion inside the option\'s table offers ssl keys', () => {
    assert.ok(complete(TEXT.replace('"tlsv1+" }', '"tlsv1+", | }')).includes('ciphers'));
    assert.ok(complete('VirtualHost "d.example" ({ c2s_ssl = { | } })\n').includes('protocol'), 'also `VirtualHost "x" ({ … })`');
  });

  test('document symbols put the option under the host and end the host after its options', () => {
    const out = symbols(TEXT);
    const host = out.find((s) => s.name === 'd.example');
    assert.ok(host);
    assert.deepEqual(host.children?.map((c) => c.name), ['c2s_ssl']);
    assert.deepEqual(host.range.end, { line: 0, character: TEXT.indexOf('\n') });
  });
});

describe('a table form whose options are closed by recovery leaves no stale return to global', () => {
  // An unclosed `VirtualHost "x" {` is closed where `VirtualHost "y"` starts a line, but `returning`
  // still points at "x": the next top-level `}` or `)` inside "y" sets x.globalFrom there and `current`
  // back to 0, so later assignments of "y" count as global (structure.ts, the closer branch).
  const TEXT = 'VirtualHost "x" {\n\tenabled = true\nVirtualHost "y"\n\tmodules_enabled = { "tls" }\n\tc2s_ssl = { protocol = "tlsv1_2+" }\n\t\n';

  test('the outline gives "x" no return to global inside "y"', () => {
    const o = buildOutline(TEXT);
    const x = o.sections[1]!;
    const y = o.sections[2]!;
    assert.ok(x.globalFrom === undefined || x.globalFrom <= y.start, `x.globalFrom ${x.globalFrom} is past y's header at ${y.start}`);
    assert.deepEqual(o.assignments.map((a) => [a.name, a.section]), [['modules_enabled', 2], ['c2s_ssl', 2]]);
  });

  test('symbols of "x" and "y" do not overlap', () => {
    const out = symbols(TEXT);
    const x = out.find((s) => s.name === 'x')!;
    const y = out.find((s) => s.name === 'y')!;
    const before = x.range.end.line < y.range.start.line || (x.range.end.line === y.range.start.line && x.range.end.character <= y.range.start.character);
    assert.ok(before, `x ends at ${JSON.stringify(x.range.end)}, y starts at ${JSON.stringify(y.range.start)}`);
  });

  test('completion in "y" does not offer c2s_ssl again (it is set there)', () => {
    assert.ok(!complete('VirtualHost "y"\n\tmodules_enabled = { "tls" }\n\tc2s_ssl = {}\n\t|\n').includes('c2s_ssl'), 'control: a set option is not offered again');
    assert.ok(!complete(TEXT.replace(/\t\n$/, '\t|\n')).includes('c2s_ssl'));
  });
});

describe('hover\'s effective settings never show another section\'s table', () => {
  // effectiveSection indexes model.config.sections by the outline's section number (hover.ts
  // `sectionAt(model.outline, …)` → `model.config.sections[section]`). When the two count headers
  // differently, the table is another host's (labelled with that host's name) or a missing one's ("?").

  test('a header half-typed above (the model is the last version that parsed)', () => {
    const v1 = 'VirtualHost "a"\n\tc2s_ssl = { protocol = "tlsv1_3" }\nVirtualHost "b"\n\tc2s_ssl = { protocol = "tlsv1_1+" }\n';
    const uri = `file:///outline-review/stale-${++docs}/prosody.cfg.lua`;
    const service = createLanguageService();
    const show = (text: string, version: number, line: number): string => {
      const h = service.doHover(docOf(text, uri, version), { line, character: 3 }, DEFAULT_SETTINGS);
      return h && typeof h.contents === 'object' && 'value' in h.contents ? h.contents.value : '';
    };
    assert.deepEqual(effective(show(v1, 1, 1)), { where: 'VirtualHost "a"', protocol: '"tlsv1_3"' }, 'control: the parsed version');
    // Typing `VirtualHost "new` above: the document does not parse; the cursor is still on host "a"'s c2s_ssl.
    const e = effective(show('VirtualHost "new\n' + v1, 2, 2));
    assert.ok(e.where === undefined || e.where === 'VirtualHost "a"', `hover on host "a" shows ${e.where}`);
    assert.notEqual(e.protocol, '"tlsv1_1+"', 'not host "b"\'s protocol');
  });

  test('a header inside a function body (the outline counts it, the model does not)', () => {
    const text = 'local function unused()\n\tVirtualHost "never"\nend\nVirtualHost "a"\n\tc2s_ssl = { protocol = "tlsv1_3" }\n';
    const e = effective(hoverText(text.replace('\tc2s_ssl', '\tc2s_s|sl')));
    assert.ok(e.where === undefined || e.where === 'VirtualHost "a"', `shows ${e.where}`);
    if (e.where) assert.equal(e.protocol, '"tlsv1_3"');
  });
});

describe('`host` typed at a line start inside an unclosed list opens a section after `,` as after `;`', () => {
  // EXPRESSION_BEFORE has `,` but not `;`, though both separate table fields: after `"tls";` the alias
  // closes the unclosed list (as `VirtualHost` would after either), after `"tls",` it stays a list item.
  for (const sep of [';', ',']) {
    test(`after "tls"${sep}`, () => {
      const text = `modules_enabled = {\n\t"tls"${sep}\nhost "example.com"\n\tssl = { | }\n`;
      assert.deepEqual(buildOutline(text.replace('|', '')).sections.map((s) => s.kind), ['global', 'host']);
      assert.ok(complete(text).includes('protocol'), 'ssl keys are offered in the host\'s ssl table');
    });
  }
});

// ------------------------------------------------------------------ tricky cases that hold

describe('typing a table form: completion stays tolerant', () => {
  test('an unclosed options table ends at the next header line; its keys are host options', () => {
    const labels = complete('VirtualHost "x" {\n\t|\nVirtualHost "y"\n\tssl = {}\n');
    assert.ok(labels.includes('c2s_ssl'));
    assert.ok(!labels.includes('tls_profile'));
  });

  test('a nested ssl table in an unclosed options table at the end of text offers ssl keys', () => {
    assert.ok(complete('VirtualHost "x" {\n\tssl = {\n\t\t|\n').includes('protocol'));
  });

  test('a flag list two levels inside the options table offers flags', () => {
    assert.ok(complete('VirtualHost "x" { ssl = { options = { "|" } } }\n').includes('no_ticket'));
  });

  test('after a comma in the options table: options again, without the ones already set', () => {
    const labels = complete('VirtualHost "x" { c2s_ssl = {}, | }\n');
    assert.ok(labels.includes('ssl'));
    assert.ok(!labels.includes('c2s_ssl'));
  });

  test('on the same line after a value with no separator: nothing (it would not parse)', () => {
    assert.deepEqual(complete('VirtualHost "x" { enabled = true | }\n'), []);
  });

  test('a component\'s options table: values of its keys', () => {
    assert.ok(complete('Component "c" "muc" { ssl = { protocol = "|" } }\n').includes('tlsv1_2+'));
  });

  test('after the options table, on the same line and on the next: global scope', () => {
    for (const text of ['VirtualHost "x" { enabled = true } |\n', 'VirtualHost "x" { enabled = true }\n|\n']) {
      assert.ok(complete(text).includes('tls_profile'), JSON.stringify(text));
    }
  });

  test('a plain header after a table form: host scope again', () => {
    const labels = complete('VirtualHost "b" { enabled = true }\nVirtualHost "a"\n\t|\n');
    assert.ok(labels.includes('ssl'));
    assert.ok(!labels.includes('tls_profile'));
  });

  test('`host "` half-typed at a line start already opens a host', () => {
    const labels = complete('ssl = {}\nhost "\n|\n');
    assert.ok(labels.includes('ssl'), 'ssl is not set in the new host');
    assert.ok(!labels.includes('tls_profile'));
  });

  test('`host` alone at a line start is a word being typed in global scope', () => {
    assert.deepEqual(buildOutline('ssl = {}\nhost\n').sections.length, 1);
    assert.ok(complete('ssl = {}\nhost|\n').includes('tls_profile'));
  });
});

describe('hover in and after a table form', () => {
  const MIXED = 'VirtualHost "a"\n\tc2s_ssl = { protocol = "tlsv1_2+" }\nVirtualHost "x" { c2s_ssl = { protocol = "tlsv1_3" } }\nc2s_ssl = { protocol = "tlsv1_1+" }\n';

  test('an option key in the options table shows that host\'s effective settings', () => {
    assert.deepEqual(effective(hoverText(MIXED.replace('{ c2s_ssl', '{ c2s_s|sl'))), { where: 'VirtualHost "x"', protocol: '"tlsv1_3"' });
  });

  test('the option after the table form shows the global defaults it sets', () => {
    assert.deepEqual(effective(hoverText(MIXED.replace('\nc2s_ssl', '\nc2s_s|sl'))), { where: 'global defaults', protocol: '"tlsv1_1+"' });
  });

  test('a key and a value two levels inside the options table', () => {
    assert.match(hoverText('VirtualHost "x" { ssl = { pro|tocol = "tlsv1_2+" } }\n'), /\*\*protocol\*\*/);
    assert.match(hoverText('VirtualHost "x" { tls_profile = "ol|d" }\n'), /\*\*old\*\*/);
  });

  test('a variable used as a value in the options table is not an option', () => {
    assert.equal(hoverText('local ssl_common = {}\nVirtualHost "x" { c2s_ssl = ss|l_common }\n'), '');
    assert.equal(hoverText('VirtualHost "x" { "ss|l" }\n'), '', 'a positional string is no option');
  });
});

describe('symbols and model agree around table forms', () => {
  test('plain host, table form, global setting, component: each setting under its section', () => {
    const text = 'ssl = {}\nVirtualHost "a"\n\tc2s_ssl = {}\nVirtualHost "b" { s2s_ssl = {} }\ntls_profile = "old"\ncomponent "c" "muc"\n\tssl = {}\n';
    assert.deepEqual(disagreements(text), []);
    const out = symbols(text);
    assert.deepEqual(out.map((s) => [s.name, s.children?.map((c) => c.name) ?? null]), [
      ['ssl', null],
      ['tls_profile', null],
      ['a', ['c2s_ssl']],
      ['b', ['s2s_ssl']],
      ['c', ['ssl']],
    ]);
    const b = out.find((s) => s.name === 'b')!;
    assert.deepEqual(b.range.end, { line: 3, character: 'VirtualHost "b" { s2s_ssl = {} }'.length }, 'b ends with its options');
  });

  test('aliases inside expressions open no section for either', () => {
    const text = 'local host = "h"\nlocal component = "c"\nname = "x" .. host\nif not host then end\nVirtualHost "a"\n\tssl = {}\n';
    assert.equal(whole(text).sections.length, 2);
    assert.equal(buildOutline(text).sections.length, 2);
    assert.deepEqual(disagreements(text), []);
  });
});
