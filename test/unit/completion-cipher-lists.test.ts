// `ciphers` as a Lua list (Prosody 0.10+ joins it with ':' in util/sslconfig.lua before LuaSec sees it; LuaSec's
// own ssl.lua passes the value to setcipher unchanged, so on 0.9 a list is wrong) and `ciphers = |` before any
// string: both get cipher words, inserted as quoted strings.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { complete, completeAndApply, labels } from '../helpers/cursor';

describe('cipher words outside a string', () => {
  it('offers them as items of a ciphers list from 0.10, quoted', () => {
    const l = labels('ssl = { ciphers = { "HIGH", | } }');
    assert.ok(l.includes('ECDHE') && l.includes('aNULL'));
    assert.ok(!l.includes('HIGH'), 'an item already in the list');
    assert.ok(!l.includes('DEFAULT'), 'DEFAULT only as the first word');
    assert.equal(completeAndApply('ssl = { ciphers = { "HIGH", | } }', 'ECDHE'), 'ssl = { ciphers = { "HIGH", "ECDHE" } }');
    assert.equal(completeAndApply('c2s_ssl = { ciphers = { |"HIGH" } }', 'ECDHE', '0.10'), 'c2s_ssl = { ciphers = { "ECDHE"; "HIGH" } }');
    assert.ok(labels('ssl = { ciphers = { | } }').includes('DEFAULT'));
  });

  it('offers none in a list on 0.9, which hands a list to LuaSec unjoined', () => {
    assert.deepEqual(labels('ssl = { ciphers = { "HIGH", | } }', '0.9'), []);
  });

  it('offers them after `ciphers =`, as a string', () => {
    const l = labels('ssl = { ciphers = | }');
    assert.ok(l.includes('DEFAULT') && l.includes('HIGH'));
    assert.equal(completeAndApply('ssl = { ciphers = | }', 'HIGH'), 'ssl = { ciphers = "HIGH" }');
    const { items } = complete('ssl = { ciphers = HI| }');
    assert.equal(items.find((i) => i.label === 'HIGH')?.filterText, 'HIGH');
  });

  it('still completes inside a list string as before', () => {
    assert.equal(completeAndApply('ssl = { ciphers = { "HIGH", "ECD|" } }', 'ECDHE'), 'ssl = { ciphers = { "HIGH", "ECDHE" } }');
  });
});

describe('weak cipher keywords', () => {
  const ordered = (text: string): Array<{ label: string; detail?: string }> => complete(text).items.sort((a, b) => ((a.sortText ?? '') < (b.sortText ?? '') ? -1 : 1));
  it('come after the suites worth adding, saying to exclude them, unless after ! or - (a reviewer: aNULL was 6th)', () => {
    for (const text of ['ssl = { ciphers = "|" }', 'ssl = { ciphers = "HIGH:|" }', 'ssl = { ciphers = { "HIGH", | } }']) {
      const items = ordered(text);
      const at = (l: string): number => items.findIndex((i) => i.label === l);
      for (const w of ['aNULL', 'eNULL', 'kRSA']) {
        assert.ok(at(w) > at('ECDHE-RSA-AES128-GCM-SHA256'), `${w} after the forward-secret suites in ${text}`);
        assert.match(items[at(w)]!.detail ?? '', /after ! to exclude/);
      }
      assert.ok(at('ECDHE') < 5 && at('HIGH') < 10);
    }
    // Taking words out: the weak ones are what belongs there.
    for (const text of ['ssl = { ciphers = "HIGH:!|" }', 'ssl = { ciphers = "HIGH:-|" }']) {
      const items = ordered(text);
      assert.deepEqual(items.slice(0, 3).map((i) => i.label), ['aNULL', 'eNULL', 'kRSA'], text);
      assert.equal(items[0]!.detail, 'cipher keyword');
    }
  });
});

// LSP 3.17: a completion edit is on one line and holds the cursor (a reviewer: in a value written over several lines
// the word ran past the line break, and clients may drop such items).
describe('values written over several lines', () => {
  it('every edit stays on the cursor line, and applying one keeps the other lines', () => {
    const cases: Array<[string, string, string]> = [
      ['ssl = { ciphers = [[\r\nHIGH|\r\n]] }\r\n', 'HIGH', 'ssl = { ciphers = [[\r\nHIGH\r\n]] }\r\n'],
      ['ssl = { ciphers = [[\nHIGH:!aNULL:\n|]] }\n', 'ECDHE', 'ssl = { ciphers = [[\nHIGH:!aNULL:\nECDHE]] }\n'],
      ['ssl = {\n  ciphers = [[\n    HIGH:!aNULL:\n    !MD5|\n  ]]\n}', 'MD5', 'ssl = {\n  ciphers = [[\n    HIGH:!aNULL:\n    !MD5\n  ]]\n}'],
      ['ssl = { protocol = [[\ntlsv1_2|+\n]] }\n', 'tlsv1_3', 'ssl = { protocol = [[\ntlsv1_3\n]] }\n'],
    ];
    for (const [marked, label, want] of cases) {
      const { doc, items } = complete(marked);
      const cursor = doc.positionAt(marked.indexOf('|'));
      assert.ok(items.length > 0, JSON.stringify(marked));
      for (const it of items) {
        const r = (it.textEdit as { range: { start: { line: number; character: number }; end: { line: number; character: number } } }).range;
        assert.ok(r.start.line === cursor.line && r.end.line === cursor.line, `${JSON.stringify(marked)}: ${it.label} ${JSON.stringify(r)}`);
        assert.ok(r.start.character <= cursor.character && cursor.character <= r.end.character, `${it.label} ${JSON.stringify(r)}`);
      }
      assert.equal(completeAndApply(marked, label), want, JSON.stringify(marked));
    }
  });
});
