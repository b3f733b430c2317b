// An unclosed table above must not swallow the rest of the file for completion and hover: in a text whose
// `{` outnumber its `}`, a known top-level option set at column 0 (`c2s_ssl = …`) ends the tables left open
// above it, as a section header line already does. Balanced text (every valid file) is read as before.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { buildOutline } from '../../server/src/service/model/structure';
import { hoverText, labels } from '../helpers/cursor';

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
    const sslKey = buildOutline('ssl = {\ncertificates = "certs"\nx = 1\n');
    assert.deepEqual(sslKey.assignments.map((a) => a.name), ['ssl']);
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
