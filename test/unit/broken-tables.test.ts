// An unclosed table above must not swallow the rest of the file for completion and hover: in a text whose
// `{` outnumber its `}`, a known top-level option set at column 0 (`c2s_ssl = …`) ends the tables left open
// above it, as a section header line already does. Balanced text (every valid file) is read as before.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { buildOutline } from '../../server/src/service/model/structure';
import { complete, completeAndApply, hoverText, labels } from '../helpers/cursor';

const BROKEN = 'ssl = {\n  protocol = "tlsv1_2+";\n\nc2s_ssl = { | }\n';

describe('an unclosed table ends at a top-level option line', () => {
  it('completion and hover work in the statement after it', () => {
    assert.ok(labels(BROKEN).includes('certificate'));
    assert.match(hoverText('ssl = {\n  protocol = "tlsv1_2+";\n\nc2s_|ssl = { }\n') ?? '', /\*\*c2s_ssl\*\*/);
    assert.ok(labels('ssl = {\n  protocol = "tlsv1_2+";\nc2s_require_encryption = |\n').includes('true'));
  });

  it('the open table still completes up to that line', () => {
    const l = labels('ssl = {\n  protocol = "tlsv1_2+";\n  |\nc2s_ssl = { }\n');
    assert.ok(l.includes('certificate') && !l.includes('protocol'));
  });

  it('is read as before in balanced text, whatever its indentation', () => {
    // Valid Lua: a plain table may hold any key; `certificates` is both an option and an ssl key.
    const text = 'local t = {\nc2s_require_encryption = true\n}\nssl = {\ncertificates = "certs"\n}\n';
    const o = buildOutline(text);
    assert.deepEqual(o.assignments.map((a) => a.name), ['ssl']);
    assert.ok(o.frames.every((f) => f.closeIndex >= 0));
    assert.deepEqual(o.frames[1]!.fields.map((f) => f.name), ['certificates']);
  });

  it('only names Prosody reads at top level, not ssl keys or indented lines, end the table', () => {
    const sslKey = buildOutline('ssl = {\nprotocol = "tlsv1_2+"\nx = 1\n');
    assert.deepEqual(sslKey.assignments.map((a) => a.name), ['ssl']);
    // `certificates` is both: as LuaSec's list (a table) it is the ssl key.
    assert.deepEqual(buildOutline('ssl = {\ncertificates = {\nx = 1\n').assignments.map((a) => a.name), ['ssl']);
    const indented = buildOutline('ssl = {\n  protocol = "x";\n  c2s_ssl = {}\n');
    assert.deepEqual(indented.assignments.map((a) => a.name), ['ssl']);
    const unknown = buildOutline('ssl = {\n  protocol = "x";\nfoo = {}\n');
    assert.deepEqual(unknown.assignments.map((a) => a.name), ['ssl']);
  });

  it('in a table-form section, closes only the tables opened inside its options', () => {
    const o = buildOutline('VirtualHost "x" {\n  ssl = {\n    protocol = "x";\nc2s_require_encryption = true\n}\n');
    const options = o.frames.find((f) => f.sectionOptions !== undefined)!;
    assert.deepEqual(options.fields.map((f) => f.name), ['ssl', 'c2s_require_encryption']);
    assert.deepEqual(o.assignments, []);
  });
});

describe('the option line is outside the tables it closes', () => {
  it('completes options at its column 0, with LF and CRLF', () => {
    for (const nl of ['\n', '\r\n']) {
      const l = labels(`ssl = {${nl}  protocol = "tlsv1_2+";${nl}|c2s_ssl = {}${nl}`);
      assert.ok(l.includes('tls_profile') && !l.includes('certificate'), JSON.stringify(nl));
      assert.ok(labels(`ssl = {${nl}  protocol = "tlsv1_2+";${nl}c2s|_ssl = {}${nl}`).includes('c2s_ssl'), JSON.stringify(nl));
    }
  });
});

// A reviewer: most configs indent the settings of a host, and an unclosed `ssl = {` there swallowed every line
// down to the next header (no completion, no hover); an unclosed string in a one-line flag list took the keys
// below it for flags.
describe('an indented option line ends the tables opened on lines indented as far', () => {
  const HOST = 'VirtualHost "example.net"\n\tssl = {\n\t\tcertificate = "certs/example.com.crt";\n\n\thttps_ssl = {\n\t\tkey = "k";\n\t\t|\n\t}\nVirtualHost "example.org"\n';

  it('completes and hovers in the host below the open table', () => {
    assert.ok(labels(HOST).includes('certificate'));
    assert.match(hoverText(HOST.replace('|', '').replace('https_ssl', 'https_|ssl')) ?? '', /\*\*https_ssl\*\*/);
    assert.match(hoverText(HOST.replace('|', '').replace('key =', 'k|ey =')) ?? '', /key/);
  });

  it('with spaces too, and the open table keeps its own lines', () => {
    const text = 'VirtualHost "x"\n    ssl = {\n        protocol = "tlsv1_2+";\n        |\n    c2s_require_encryption = true\n';
    const l = labels(text);
    assert.ok(l.includes('certificate') && !l.includes('protocol'));
    const o = buildOutline(text.replace('|', ''));
    assert.deepEqual(o.assignments.map((a) => a.name), ['ssl', 'c2s_require_encryption']);
  });

  it('not a line indented further than the open table, nor tabs against spaces', () => {
    assert.deepEqual(buildOutline('VirtualHost "x"\n\tssl = {\n\t\tprotocol = "x";\n\t\tc2s_ssl = {}\n').assignments.map((a) => a.name), ['ssl']);
    assert.deepEqual(buildOutline('VirtualHost "x"\n\tssl = {\n\t\tprotocol = "x";\n    c2s_ssl = {}\n').assignments.map((a) => a.name), ['ssl']);
  });

  it('a column-0 `certificates` set to a string is the option, not the ssl key', () => {
    const o = buildOutline('ssl = {\n\tkey = "a.key";\n\ncertificates = "certs"\nVirtualHost "x"\n');
    assert.deepEqual(o.assignments.map((a) => a.name), ['ssl', 'certificates']);
    assert.doesNotMatch(hoverText('ssl = {\n\tkey = "a.key";\n\ncertifi|cates = "certs"\nVirtualHost "x"\n') ?? '', /key of an `ssl` table/);
  });

  it('an ssl key starting a line ends a flag list left open above it', () => {
    const text = 'ssl = {\n\toptions = { "no_sslv3", "no_\n\tciphers = "HIGH:!aNULL";\n\t|\n}\n';
    const l = labels(text);
    assert.ok(l.includes('certificate') && !l.includes('ciphers') && !l.includes('no_compression'), l.join());
    assert.ok(hoverText(text.replace('|', '').replace('ciphers', 'ciph|ers')));
    // Inside the list itself, flags as before.
    assert.ok(labels('ssl = {\n\toptions = { "no_sslv3", "no_|\n\tciphers = "HIGH:!aNULL";\n}\n').includes('no_compression'));
  });

  it('a table-form header keeps its options table open', () => {
    const o = buildOutline('VirtualHost "x" {\n\tssl = {\n\t\tprotocol = "x";\n\tc2s_require_encryption = true\n}\n');
    const options = o.frames.find((f) => f.sectionOptions !== undefined)!;
    assert.deepEqual(options.fields.map((f) => f.name), ['ssl', 'c2s_require_encryption']);
  });
});

// A reviewer: an unclosed quote pairs with the next quote on the line, and a value completion replaced the whole
// "string" up to it, deleting what the user had written after the cursor.
describe('a value completed in a quote paired with the next string on the line', () => {
  it('replaces the word at the cursor only, and closes the string', () => {
    assert.equal(completeAndApply('ssl = { protocol = "tls|, ciphers = "HIGH" }', 'tlsv1_2+'), 'ssl = { protocol = "tlsv1_2+", ciphers = "HIGH" }');
    assert.equal(completeAndApply('ssl = { options = { "no_ti|, "no_compression" } }', 'no_ticket'), 'ssl = { options = { "no_ticket", "no_compression" } }');
    assert.equal(completeAndApply('tls_profile = "mod| -- "modern" or "intermediate"', 'modern'), 'tls_profile = "modern" -- "modern" or "intermediate"');
  });

  it('a closed string is still replaced whole', () => {
    assert.equal(completeAndApply('ssl = { protocol = "tls|v1", ciphers = "HIGH" }', 'tlsv1_2+'), 'ssl = { protocol = "tlsv1_2+", ciphers = "HIGH" }');
    assert.equal(completeAndApply('ssl = { protocol = "tls|v1 " }', 'tlsv1_2+'), 'ssl = { protocol = "tlsv1_2+" }');
  });
});

describe('small completion edges a reviewer found', () => {
  it('right after `[[` at a line end the items replace nothing and hold the cursor (LSP requires it)', () => {
    const { doc, items } = complete('ssl = { protocol = [[|\n');
    const it = items.find((i) => i.label === 'tlsv1_2+');
    assert.ok(it && it.textEdit && 'range' in it.textEdit);
    assert.deepEqual(it.textEdit.range, { start: doc.positionAt(21), end: doc.positionAt(21) });
    assert.equal(completeAndApply('ssl = { protocol = [[|\n', 'tlsv1_2+'), 'ssl = { protocol = [[tlsv1_2+]]\n');
    // Inside the opener, or before the skipped line break of a closed long string: nothing that would split the
    // opener or join the value to the next line (a second reviewer).
    assert.deepEqual(labels('ssl = { protocol = [|[tlsv1]] }'), []);
    assert.deepEqual(labels('ssl = { protocol = [=|=[tlsv1]==] }'), []);
    assert.deepEqual(labels('ssl = { protocol = [[|\ntlsv1]] }'), []);
    assert.equal(completeAndApply('ssl = { protocol = [[tls|v1]] }', 'tlsv1_2+'), 'ssl = { protocol = [[tlsv1_2+]] }');
  });

  it("a boolean option's other value comes before its default (writing the default changes nothing)", () => {
    const items = complete('s2s_secure_auth = |').items;
    const [first] = [...items].sort((a, b) => (a.sortText ?? a.label).localeCompare(b.sortText ?? b.label));
    assert.equal(first?.label, 'true');
    assert.equal(items.find((i) => i.label === 'false')?.detail, 'default');
  });
});

describe('per-port tables on 13.0', () => {
  it('offer nothing inside `[5223] = { … }` on 13.0, whose sslconfig throws on the number key (a reviewer)', () => {
    assert.deepEqual(labels('ssl = {\n\t[5223] = {\n\t\t|\n', '13.0'), []);
    assert.ok(labels('ssl = {\n\t[5223] = {\n\t\t|\n', '0.12').includes('certificate'));
    assert.ok(labels('ssl = {\n\t["127.0.0.1"] = {\n\t\t|\n', '13.0').includes('certificate'));
  });
});

describe('hover on a key being typed', () => {
  it('describes an ssl key whose `=` is not written yet, at a line start or after a separator (a reviewer)', () => {
    assert.match(hoverText('ssl = {\n\tprot|ocol\n') ?? '', /\*\*protocol\*\*/);
    assert.match(hoverText('ssl = { key = "a.key", prot|ocol }') ?? '', /\*\*protocol\*\*/);
    // Not a value written after `=`, nor a flag name in a list.
    assert.equal(hoverText('ssl = { certificate = prot|ocol }'), undefined);
    assert.doesNotMatch(hoverText('ssl = { options = { no_tic|ket } }') ?? '', /key of an `ssl` table/);
  });
});
