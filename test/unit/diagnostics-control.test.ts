// What users control: per-rule severity, validate on/off, in-file suppression comments, and the
// quick fixes (the rule's own fix, and "disable for this line" for every rule where a comment can go).
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-types';
import { createLanguageService, type ServiceSettings } from '../../server/src/service';
import { service } from '../helpers/cursor';

let n = 0;
function check(text: string, settings: Partial<ServiceSettings> = {}) {
  const doc = TextDocument.create(`file:///control/${++n}/prosody.cfg.lua`, 'prosody', 1, text);
  const diags = service.doValidation(doc, { prosodyVersion: '13.0', ...settings });
  return { doc, diags, codes: diags.map((d) => String(d.code)) };
}

const RISKY = 'ssl = {\n  protocol = "tlsv1";\n  options = { "no_tikcet" };\n}\n';

describe('rule settings', () => {
  it('default severities, then overridden per rule, and off', () => {
    const base = check(RISKY);
    assert.deepEqual(base.codes.sort(), ['unknown-flag', 'unsafe-protocol']);
    const tuned = check(RISKY, { rules: { 'unsafe-protocol': 'error', 'unknown-flag': 'off' } });
    assert.deepEqual(tuned.codes, ['unsafe-protocol']);
    assert.equal(tuned.diags[0]!.severity, DiagnosticSeverity.Error);
  });

  // A reviewer's 13.0.1 run: a host with `enabled = false` is never activated, so its tables are never read; its
  // findings were Errors (and the CLI exited 1) although Prosody starts and serves TLS.
  it('a host surely disabled gets its findings as hints that say so; user levels and unsure cases keep theirs', () => {
    const host = (enabled: string) => `VirtualHost "a.example"\n  ${enabled}\n  ssl = { protocol = "sslv3", ciphers = "RC4" }\n`;
    const sleeping = check(host('enabled = false'));
    assert.deepEqual(sleeping.codes.sort(), ['cipher-obsolete-word', 'cipher-selects-nothing', 'invalid-protocol']);
    for (const d of sleeping.diags) {
      assert.equal(d.severity, DiagnosticSeverity.Hint);
      assert.ok(String(d.message).endsWith('(This host has `enabled = false`: Prosody does not load it or its TLS settings now; this applies once it is enabled.)'), String(d.message));
    }
    const sev = (text: string, settings: Partial<ServiceSettings> = {}) => check(text, settings).diags.find((d) => d.code === 'invalid-protocol')?.severity;
    assert.equal(sev(host('enabled = true')), DiagnosticSeverity.Error);
    assert.equal(sev(host('if os.getenv("OFF") then enabled = false end')), DiagnosticSeverity.Error, 'maybe enabled');
    assert.equal(sev(host('enabled = false; enabled = true')), DiagnosticSeverity.Error, 'the last one wins');
    assert.equal(sev(host('enabled = false'), { rules: { 'invalid-protocol': 'error' } }), DiagnosticSeverity.Error, 'a level the user set');
    assert.equal(sev('enabled = false\n' + host('-- inherits')), DiagnosticSeverity.Hint, 'the global enabled');
    assert.equal(sev(host('enabled = false') + 'VirtualHost "chat.a.example"\n'), DiagnosticSeverity.Error, 'a subdomain may take its ssl');
    assert.equal(sev(host('enabled = false') + 'VirtualHost "a.example"\n  enabled = true\n'), DiagnosticSeverity.Error, 'the host written again');
  });

  // A reviewer: edits judged a host by the chunks the rules had re-run (an enabled host's findings became hints
  // after a comment was typed in it), and a subdomain added below a disabled host left the host's hints in place.
  it('after edits, the hosts judged disabled are those a fresh open judges so', () => {
    const fresh = (text: string) => createLanguageService().doValidation(TextDocument.create('file:///control/fresh/prosody.cfg.lua', 'prosody', 1, text), { prosodyVersion: '13.0' });
    const view = (ds: readonly Diagnostic[]) => ds.map((d) => `${d.code}@${d.range.start.line}:${d.range.start.character} ${d.severity}`).sort();
    const steps: Array<[string, string]> = [
      ['enabled = true\n', 'enabled = true\n-- a note\n'],
      ['VirtualHost "b.example"\n', 'VirtualHost "b.example"\nVirtualHost "sub.b.example"\n'],
      ['VirtualHost "sub.b.example"\n', ''],
      ['  enabled = false\n', '  if x then enabled = false end\n'],
    ];
    let text = 'enabled = false\nVirtualHost "a.example"\nenabled = true\nssl = { protocol = "sslv3", ciphers = "RC4" }\nVirtualHost "b.example"\n  enabled = false\n  ssl = { protocol = "sslv3", ciphers = "RC4" }\n';
    const own = createLanguageService();
    let doc = TextDocument.create('file:///control/dormant/prosody.cfg.lua', 'prosody', 1, text);
    assert.deepEqual(view(own.doValidation(doc, { prosodyVersion: '13.0' })), view(fresh(text)));
    for (const [from, to] of steps) {
      const at = text.indexOf(from);
      assert.ok(at >= 0, from);
      doc = TextDocument.update(doc, [{ range: { start: doc.positionAt(at), end: doc.positionAt(at + from.length) }, text: to }], doc.version + 1);
      text = doc.getText();
      const got = own.doValidation(doc, { prosodyVersion: '13.0' });
      assert.deepEqual(view(got), view(fresh(text)), `after ${JSON.stringify(to)}`);
    }
  });

  // A reviewer's 0.12.3 run: after `VirtualHost "x" { enabled = false }` the lines are global again, and a global
  // sslv3 there stopped every host's TLS while it was shown as a hint.
  it('after the table form of a disabled host, what follows is global and keeps its severity', () => {
    const text = 'VirtualHost "x.example" { enabled = false, ssl = { protocol = "sslv3" } }\nssl = { protocol = "sslv3" }\nVirtualHost "y.example"\n';
    const ds = check(text).diags.filter((d) => d.code === 'invalid-protocol');
    assert.deepEqual(ds.map((d) => [d.range.start.line, d.severity]), [[0, DiagnosticSeverity.Hint], [1, DiagnosticSeverity.Error]]);
  });

  it('a call the config loader fails on stays an Error in a disabled host (a reviewer: 0.12.3 does not start)', () => {
    const text = 'VirtualHost "off.example"\n  enabled = false\n  ssl = { certificate = Lua.os.getenv("CERT"), password = FileLine("/tmp/pw") }\n';
    const ds = check(text, { prosodyVersion: '0.12' }).diags.filter((d) => d.code === 'function-too-new');
    assert.equal(ds.length, 2);
    for (const d of ds) assert.equal(d.severity, DiagnosticSeverity.Error);
  });

  // A reviewer applied every preferred fix: renaming a misspelt key kept a value the real key refuses, and TLS broke
  // where the misspelt key had only been ignored. Still offered (the key was meant), no longer preferred.
  it('a rename is preferred only when the renamed key takes the value', () => {
    const rename = (table: string, title: string) => {
      const d = check(`VirtualHost "b.example"\n  ssl = { ${table} }\n`).diags.find((x) => x.code === 'unknown-ssl-key');
      const fixes = (d?.data as { fixes?: Array<{ title: string; preferred: boolean }> } | undefined)?.fixes ?? [];
      return fixes.find((f) => f.title === title);
    };
    assert.equal(rename('cipher = "TLS_AES_128_GCM_SHA256"', 'Rename to ciphers')?.preferred, false);
    assert.equal(rename('cipher = "HIGH:!aNULL"', 'Rename to ciphers')?.preferred, true);
    assert.equal(rename('ciphersuite = "ECDHE-RSA-AES128-GCM-SHA256"', 'Rename to ciphersuites')?.preferred, false);
    assert.equal(rename('ciphersuite = "TLS_AES_256_GCM_SHA384"', 'Rename to ciphersuites')?.preferred, true);
    assert.equal(rename('certficate = "-----BEGIN CERTIFICATE-----\\nMIIB"', 'Rename to certificate')?.preferred, false);
    assert.equal(rename('certficate = "certs/b.crt"', 'Rename to certificate')?.preferred, true);
  });

  it('validate: false turns every diagnostic off', () => {
    assert.deepEqual(check(RISKY, { validate: false }).codes, []);
  });

  it('every diagnostic carries code, source, a README link and a message saying what to write', () => {
    for (const d of check(RISKY).diags) {
      assert.equal(d.source, 'prosody-ssl');
      assert.match(d.codeDescription!.href, new RegExp(`#rule-${String(d.code)}$`));
      assert.ok(String(d.message).length > 40);
    }
  });
});

describe('related information', () => {
  it('a syntax error from an unclosed table points at the `{` never closed', () => {
    const r = check('VirtualHost "a.example"\n  ssl = {\n    protocol = "tlsv1_2+";\n');
    const rel = r.diags[0]!.relatedInformation!;
    assert.deepEqual(rel[0]!.location.range, { start: { line: 1, character: 8 }, end: { line: 1, character: 9 } });
    assert.match(rel[0]!.message, /value of `ssl`/);
  });

  it('a global-only option under a host points at the section header', () => {
    const r = check('VirtualHost "a.example"\n  tls_profile = "modern"\n');
    assert.deepEqual(r.codes, ['global-option-in-host']);
    assert.equal(r.diags[0]!.relatedInformation![0]!.location.range.start.line, 0);
  });
});

describe('suppression comments', () => {
  it('disable-next-line silences the named rule on the next line only', () => {
    const text = 'ssl = {\n  -- prosody-ssl: disable-next-line unsafe-protocol\n  protocol = "tlsv1";\n}\nVirtualHost "a.example"\n  ssl = { protocol = "tlsv1" }\n';
    const r = check(text);
    assert.deepEqual(r.codes, ['unsafe-protocol']);
    assert.equal(r.diags[0]!.range.start.line, 5);
  });

  it('disable-next-line with another rule id does not silence this one', () => {
    assert.deepEqual(check('-- prosody-ssl: disable-next-line unknown-flag\nssl = { protocol = "tlsv1" }\n').codes, ['unsafe-protocol']);
  });

  it('disable … enable covers the lines between; at the top it covers the file', () => {
    const text = 'ssl = { protocol = "tlsv1" }\n-- prosody-ssl: disable unsafe-protocol\nc2s_ssl = { protocol = "tlsv1" }\n-- prosody-ssl: enable unsafe-protocol\ns2s_ssl = { protocol = "tlsv1" }\n';
    assert.deepEqual(check(text).diags.map((d) => d.range.start.line), [0, 4]);
    assert.deepEqual(check('-- prosody-ssl: disable unsafe-protocol\n' + RISKY).codes, ['unknown-flag']);
  });

  it('a bare disable-next-line silences every rule on that line', () => {
    assert.deepEqual(check('-- prosody-ssl: disable-next-line\nssl = { protocol = "tlsv1", options = { "bogus" } }\n').codes, []);
  });
});

describe('quick fixes', () => {
  it("offers the rule's fix and a disable-for-this-line action; applying them gives the expected text", () => {
    const { doc, diags } = check('ssl = {\r\n\tprotocol = "tlsv1";\r\n}\r\n');
    const actions = service.doCodeActions(doc, diags);
    const fix = actions.find((a) => a.title.includes('tlsv1_2+'));
    assert.ok(fix, actions.map((a) => a.title).join(' | '));
    assert.equal(TextDocument.applyEdits(doc, fix.edit!.changes![doc.uri]!), 'ssl = {\r\n\tprotocol = "tlsv1_2+";\r\n}\r\n');
    const disable = actions.find((a) => a.title === 'Disable unsafe-protocol for this line')!;
    const disabled = TextDocument.applyEdits(doc, disable.edit!.changes![doc.uri]!);
    assert.equal(disabled, 'ssl = {\r\n\t-- prosody-ssl: disable-next-line unsafe-protocol\r\n\tprotocol = "tlsv1";\r\n}\r\n');
    // …and the comment really silences it.
    assert.deepEqual(check(disabled).codes, []);
    // A diagnostic of an older text, or one no server made, gets no comment at a line that is not there (a reviewer).
    const d = diags.find((x) => x.code === 'unsafe-protocol')!;
    const shorter = TextDocument.create(doc.uri, 'prosody', 2, 'ssl = {}\r\n');
    for (const line of [4, -3, 1e9]) {
      const forged = { ...d, data: undefined, range: { start: { line, character: 0 }, end: { line, character: 1 } } };
      assert.deepEqual(service.doCodeActions(shorter, [forged]).map((a) => a.title), [], String(line));
    }
  });

  it('a fix removing whole lines takes the disable-next-line directives aimed at them along (a reviewer: left, they silenced the next line)', () => {
    const apply = (text: string, title: string, line: '0.12' | '13.0' = '0.12'): string => {
      const { doc, diags } = check(text, { prosodyVersion: line });
      const fix = service.doCodeActions(doc, diags).find((a) => a.title === title);
      assert.ok(fix, `${title}: ${service.doCodeActions(doc, diags).map((a) => a.title).join(' | ')}`);
      return TextDocument.applyEdits(doc, fix.edit!.changes![doc.uri]!);
    };
    const dead = apply('-- prosody-ssl: disable-next-line insecure-setting\r\n-- prosody-ssl: disable-next-line unknown-flag\r\nrequire_encryption = false\r\nc2s_require_encryption = false\r\n', 'Remove require_encryption');
    assert.equal(dead, 'c2s_require_encryption = false\r\n');
    assert.deepEqual(check(dead, { prosodyVersion: '0.12' }).codes, ['insecure-setting']);
    const replaced = apply('VirtualHost "a"\n  -- keep this note\n  -- prosody-ssl: disable-next-line unsafe-protocol\n  ssl = { protocol = "tlsv1" }\n  ssl = { protocol = "tlsv1+" }\n', 'Remove ssl');
    assert.equal(replaced, 'VirtualHost "a"\n  -- keep this note\n  ssl = { protocol = "tlsv1+" }\n');
    // (On 0.11, whose default ciphers still have suites for TLS 1.0.)
    assert.ok(check(replaced, { prosodyVersion: '0.11' }).codes.includes('unsafe-protocol'));
    // A "directive" that closes a block comment or long string is their end: it stays, or the `--[[` would run on.
    for (const open of ['--[[ old settings\n', 'motd = [[ welcome\n']) {
      const kept = apply(`${open}-- prosody-ssl: disable-next-line insecure-setting ]]\nrequire_encryption = false\nc2s_require_encryption = false\n`, 'Remove require_encryption');
      assert.equal(kept, `${open}-- prosody-ssl: disable-next-line insecure-setting ]]\nc2s_require_encryption = false\n`);
    }
    // A remark with a bracket pair of its own is still a directive (a reviewer).
    assert.equal(apply('-- prosody-ssl: disable-next-line insecure-setting -- see t[[x]]\nrequire_encryption = false\nc2s_require_encryption = false\n', 'Remove require_encryption'), 'c2s_require_encryption = false\n');
    // An entry removed from within its line leaves the line, so the directive still has its line: it stays.
    const inline = '-- prosody-ssl: disable-next-line unsafe-protocol\nssl = { protocol = "tlsv1", options = { "no_tikcet" } }\n';
    assert.equal(apply(inline, 'Remove no_tikcet'), '-- prosody-ssl: disable-next-line unsafe-protocol\nssl = { protocol = "tlsv1", options = {} }\n');
  });

  it('inserts the disable comment with the line ending of the line it goes above (CR-only, mixed, last line)', () => {
    const cases: Array<[string, string]> = [
      ['ssl = {\r\tprotocol = "tlsv1";\r}\r', 'ssl = {\r\t-- prosody-ssl: disable-next-line unsafe-protocol\r\tprotocol = "tlsv1";\r}\r'],
      ['-- notes\r\nssl = {\n\tprotocol = "tlsv1";\n}\n', '-- notes\r\nssl = {\n\t-- prosody-ssl: disable-next-line unsafe-protocol\n\tprotocol = "tlsv1";\n}\n'],
      ['x = 1\r\nssl = { protocol = "tlsv1" }', 'x = 1\r\n-- prosody-ssl: disable-next-line unsafe-protocol\r\nssl = { protocol = "tlsv1" }'],
    ];
    for (const [text, want] of cases) {
      const { doc, diags } = check(text);
      const disable = service.doCodeActions(doc, diags).find((a) => a.title === 'Disable unsafe-protocol for this line')!;
      assert.equal(TextDocument.applyEdits(doc, disable.edit!.changes![doc.uri]!), want, JSON.stringify(text));
    }
  });

  it('a second "disable for this line" joins the directive already above the line (a reviewer: a new one ended its reach)', () => {
    const first = check('ssl = { protocol = "tlsv1", mode = "server" }\n');
    const one = service.doCodeActions(first.doc, first.diags).find((a) => a.title === 'Disable unsafe-protocol for this line')!;
    const once = TextDocument.applyEdits(first.doc, one.edit!.changes![first.doc.uri]!);
    const second = check(once);
    assert.deepEqual(second.codes, ['mode-set']);
    const two = service.doCodeActions(second.doc, second.diags).find((a) => a.title === 'Disable mode-set for this line')!;
    const twice = TextDocument.applyEdits(second.doc, two.edit!.changes![second.doc.uri]!);
    assert.equal(twice, '-- prosody-ssl: disable-next-line unsafe-protocol, mode-set\nssl = { protocol = "tlsv1", mode = "server" }\n');
    assert.deepEqual(check(twice).codes, []);
    // A remark after the ids stays after them.
    const remark = check('-- prosody-ssl: disable-next-line unsafe-protocol -- old peers\nssl = { protocol = "tlsv1", mode = "server" }\n');
    const add = service.doCodeActions(remark.doc, remark.diags).find((a) => a.title === 'Disable mode-set for this line')!;
    assert.equal(TextDocument.applyEdits(remark.doc, add.edit!.changes![remark.doc.uri]!).split('\n')[0], '-- prosody-ssl: disable-next-line unsafe-protocol, mode-set -- old peers');
  });

  it('a directive above that cannot be joined (trailing, long comment, free remark) keeps its reach past a new one', () => {
    const cases = [
      'ssl = { key = "k" } -- prosody-ssl: disable-next-line unsafe-protocol\nc2s_ssl = { protocol = "tlsv1", mode = "client" }\n',
      '--[[ prosody-ssl: disable-next-line unsafe-protocol ]]\nc2s_ssl = { protocol = "tlsv1", mode = "client" }\n',
      '-- prosody-ssl: disable-next-line unsafe-protocol jitsi_meet talks to localhost\nc2s_ssl = { protocol = "tlsv1", mode = "client" }\n',
    ];
    for (const text of cases) {
      const first = check(text);
      assert.deepEqual(first.codes, ['mode-set'], text);
      const add = service.doCodeActions(first.doc, first.diags).find((a) => a.title === 'Disable mode-set for this line')!;
      const after = TextDocument.applyEdits(first.doc, add.edit!.changes![first.doc.uri]!);
      assert.equal(after.split('\n')[0], text.split('\n')[0], 'the directive above is left as written');
      assert.deepEqual(check(after).codes, [], after);
    }
  });

  it('offers no "disable for this line" on a line that begins inside a multi-line string', () => {
    const { doc, diags } = check('ssl = { options = { [[\nno_sslv9]] } }\n');
    const d = diags.find((x) => x.code === 'unknown-flag')!;
    assert.equal(d.range.start.line, 1);
    const titles = service.doCodeActions(doc, [d]).map((a) => a.title);
    assert.ok(!titles.some((t) => t.startsWith('Disable')), titles.join(' | '));
    // Where the line starts outside the string, the action stays.
    const other = check('ssl = { options = {\n  [[no_sslv9]] } }\n');
    assert.ok(service.doCodeActions(other.doc, other.diags).some((a) => a.title === 'Disable unknown-flag for this line'));
  });

  it('offers no fix from diagnostics of an earlier text (its edits would land elsewhere); still offers it after an edit below', () => {
    const { doc, diags } = check('ssl = { protocol = "tlsv1" }\n');
    // The same document one version on, after one edit (update() would change `doc` itself).
    const after = (line: number, character: number, text: string): TextDocument =>
      TextDocument.create(doc.uri, 'prosody', ++version, TextDocument.applyEdits(doc, [{ range: { start: { line, character }, end: { line, character } }, newText: text }]));
    let version = 1;
    // The client asks with the old diagnostics (VS Code moves the marker, not the edits in data) after a line went in above.
    const above = after(0, 0, '-- my server\n');
    const moved = diags.map((d) => ({ ...d, range: { start: { ...d.range.start, line: d.range.start.line + 1 }, end: { ...d.range.end, line: d.range.end.line + 1 } } }));
    const titles = service.doCodeActions(above, moved).map((a) => a.title);
    assert.ok(!titles.some((t) => t.startsWith('Change to')), titles.join(' | '));
    assert.ok(titles.includes('Disable unsafe-protocol for this line'), 'the disable action follows the marker');
    // Typing inside the value it would replace stales it too; an edit below it does not.
    assert.ok(!service.doCodeActions(after(0, 21, 'x'), diags).some((a) => a.title.startsWith('Change to')));
    const below = after(1, 0, 'admins = {}\n');
    const fix = service.doCodeActions(below, diags).find((a) => a.title.startsWith('Change to'))!;
    assert.equal(TextDocument.applyEdits(below, fix.edit!.changes![below.uri]!), 'ssl = { protocol = "tlsv1_2+" }\nadmins = {}\n');
    // Diagnostics the server kept for the next version (the incremental path moves their fixes) still offer them.
    // (The first chunk holds the global settings and the first host: an edit there checks every chunk again.)
    const host = check('VirtualHost "a.example"\nVirtualHost "b.example"\nVirtualHost "h.example"\n  ssl = { protocol = "tlsv1" }\n');
    const next = TextDocument.create(host.doc.uri, 'prosody', 2, 'VirtualHost "a.example"\nVirtualHost "b.example"\n  motd_text = "hi"\nVirtualHost "h.example"\n  ssl = { protocol = "tlsv1" }\n');
    const again = service.doValidation(next, { prosodyVersion: '13.0' });
    const kept = service.doCodeActions(next, again).find((a) => a.title.startsWith('Change to'))!;
    assert.equal(TextDocument.applyEdits(next, kept.edit!.changes![next.uri]!), 'VirtualHost "a.example"\nVirtualHost "b.example"\n  motd_text = "hi"\nVirtualHost "h.example"\n  ssl = { protocol = "tlsv1_2+" }\n');
  });

  it('offers no fix again once applied, asked with the diagnostics of before it (a reviewer: a second "Add" broke the table)', () => {
    const cases: Array<[string, string, '0.9' | '0.12' | '13.0']> = [
      ['ssl = {\n\toptions = {};\n}\n', 'Add "no_sslv3"', '0.9'],
      ['https_port = 5281\n', 'Rename to https_ports', '0.12'],
      ['c2s_ssl = {\n\tverify = "peer";\n}\n', 'Add lsec_continue to verifyext', '13.0'],
    ];
    for (const [text, title, line] of cases) {
      const { doc, diags } = check(text, { prosodyVersion: line });
      const fix = service.doCodeActions(doc, diags).find((a) => a.title === title);
      assert.ok(fix, `${title}: ${service.doCodeActions(doc, diags).map((a) => a.title).join(' | ')}`);
      const fixed = TextDocument.create(doc.uri, 'prosody', 2, TextDocument.applyEdits(doc, fix.edit!.changes![doc.uri]!));
      assert.ok(!service.doCodeActions(fixed, diags).some((a) => a.title === title), `${title} offered again on ${JSON.stringify(fixed.getText())}`);
    }
  });

  it('offers a fix whose new text begins the text it replaces, and not again once applied (a reviewer: never offered)', () => {
    const cases: Array<[string, string, string]> = [
      ['tls_profiles = "modern"\n', 'Rename to tls_profile', 'tls_profile = "modern"\n'],
      ['VirtualHost = "a.example"\n', 'Declare VirtualHost "a.example"', 'VirtualHost "a.example"\n'],
    ];
    for (const [text, title, expected] of cases) {
      const { doc, diags } = check(text, { prosodyVersion: '13.0' });
      const fix = service.doCodeActions(doc, diags).find((a) => a.title === title);
      assert.ok(fix, `${title}: ${service.doCodeActions(doc, diags).map((a) => a.title).join(' | ')}`);
      const out = TextDocument.applyEdits(doc, fix.edit!.changes![doc.uri]!);
      assert.equal(out, expected);
      const fixed = TextDocument.create(doc.uri, 'prosody', 2, out);
      assert.ok(!service.doCodeActions(fixed, diags).some((a) => a.title === title), `${title} offered again`);
    }
  });

  it('offers no fix once a place its finding depends on is gone (a reviewer: "Remove" of a line overridden by one since deleted)', () => {
    const { doc, diags } = check('legacy_ssl_ports = { 5223 }\nlegacy_ssl_ports = { 5224 }\n', { prosodyVersion: '0.12' });
    const dead = diags.find((d) => d.range.start.line === 0)!;
    assert.deepEqual(dead.relatedInformation?.map((r) => [r.location.range.start.line, r.message]), [[1, 'the `legacy_ssl_ports` Prosody reads']]);
    assert.ok(service.doCodeActions(doc, [dead]).some((a) => a.title === 'Remove legacy_ssl_ports'));
    // The overriding line deleted: the old diagnostic's "Remove" would now delete the only one left.
    const after = TextDocument.create(doc.uri, 'prosody', 2, 'legacy_ssl_ports = { 5223 }\n');
    assert.deepEqual(service.doCodeActions(after, [dead]).map((a) => a.title), ['Disable deprecated-option for this line']);
    // Taken by the new name: that line is named, and its edit stales the fix too.
    const taken = check('c2s_require_encryption = true\nrequire_encryption = true\n', { prosodyVersion: '0.12' });
    const old = taken.diags.find((d) => d.code === 'deprecated-option')!;
    assert.deepEqual(old.relatedInformation?.map((r) => r.location.range.start.line), [0]);
    const edited = TextDocument.create(taken.doc.uri, 'prosody', 2, 'c2s_require_encryptio = true\nrequire_encryption = true\n');
    assert.ok(!service.doCodeActions(edited, [old]).some((a) => a.title.startsWith('Remove')));
  });

  it('code action titles are one line, and the service rename is one entry whichever line offers it', () => {
    const { doc, diags } = check('ssl = { options = { "no_ticket\\\n", "-----BEGIN PRIVATE KEY-----\\nMIIB\\n-----END PRIVATE KEY-----" } }\n');
    const titles = service.doCodeActions(doc, diags).map((a) => a.title);
    assert.ok(titles.length > 2, titles.join(' | '));
    for (const t of titles) assert.ok(!/[\r\n]/.test(t), JSON.stringify(t));
    const svc = check('legacy_ssl_ports = { 5223 }\nlegacy_ssl_ssl = { certificate = "a.crt" }\n');
    const renames = new Set(service.doCodeActions(svc.doc, svc.diags).map((a) => a.title).filter((t) => t.startsWith('Rename')));
    assert.deepEqual([...renames], ['Rename legacy_ssl_ports, legacy_ssl_ssl to their new names']);
  });

  it('a fix that would trade the error for a weakness is not the preferred one', () => {
    const preferred = (text: string, version: ServiceSettings['prosodyVersion'] = '13.0'): string[] => {
      const { doc, diags } = check(text, { prosodyVersion: version });
      return service.doCodeActions(doc, diags).filter((a) => a.isPreferred).map((a) => a.title);
    };
    assert.deepEqual(preferred('ssl = { protocol = "TLSv1" }\n'), ['Change to "tlsv1_2+"']);
    // Nor a preset change that would leave a host pinned to TLS 1.0 with no suite (a reviewer): its own fix goes first.
    assert.deepEqual(preferred('tls_profile = "old"\n'), ['Change to "intermediate"']);
    assert.deepEqual(preferred('tls_profile = "old"\ns2s_ssl = { protocol = "tlsv1" }\n'), ['Change to "tlsv1_2+"']);
    // Under `legacy` (no preset on 0.12) the table has Prosody's default ciphers, which keep TLS 1.0 suites: the same (a reviewer).
    assert.deepEqual(preferred('tls_profile = "legacy"\ns2s_ssl = { protocol = "tlsv1" }\n', '0.12'), ['Change to "tlsv1_2+"']);
    // A host's pinned protocol is said on the host (the global finding judges global settings only).
    assert.deepEqual(preferred('tls_profile = "old"\nVirtualHost "x"\n  ssl = { protocol = "tlsv1" }\n'), ['Change to "intermediate"', 'Change to "tlsv1_2+"']);
    // (With ciphers of its own the host keeps its suites under any preset.)
    assert.deepEqual(preferred('tls_profile = "old"\nVirtualHost "x"\n  ssl = { protocol = "tlsv1", ciphers = "DEFAULT:!kRSA" }\n'), ['Change to "intermediate"', 'Change to "tlsv1_2+"']);
    // Nor for a pinned version that switches newer ones off (protocol-pins-tls12); 0.9 has no `+` forms.
    assert.deepEqual(preferred('ssl = { protocol = "TLSv1.2" }\n'), ['Change to "tlsv1_2+"']);
    assert.deepEqual(preferred('ssl = { protocol = "TLSv1.2" }\n', '0.9'), ['Change to "tlsv1_2"']);
    // 0.9: a typo of a weak name is not "corrected" into it (a reviewer: "anx" → "any", "sslv2" → "sslv23").
    assert.deepEqual(preferred('ssl = { protocol = "anx" }\n', '0.9'), ['Change to "tlsv1_2"']);
    assert.deepEqual(preferred('ssl = { protocol = "sslv2" }\n', '0.9'), ['Change to "tlsv1_2"']);
    // A misspelt key whose value the right key would refuse is not renamed on its own (a fuzzer).
    assert.deepEqual(preferred('ssl = { Protocol = "tlsv1_2+" }\n', '0.9'), []);
    assert.deepEqual(preferred('ssl = { Protocol = "tlsv1_2+" }\n', '0.12'), ['Rename to protocol']);
    assert.deepEqual(preferred('tls_profile = "legacyy"\n'), []);
    assert.deepEqual(preferred('tls_profiles = "modern"\n', '0.11'), [], 'a rename to an option 0.11 does not have');
    assert.deepEqual(preferred('tls_profiles = "modern"\n', '0.12'), ['Rename to tls_profile']);
    // A fix that also leaves a suite out says so in its title (review 140).
    assert.ok(preferred('ssl = { ciphersuites = "TLS_AES_128_GCM_SHA256,TLS_SHA256_SHA256" }\n').includes('Separate with ":" and leave out TLS_SHA256_SHA256'));
    assert.ok(preferred('ssl = { ciphersuites = "TLS_AES_128_GCM_SHA256,TLS_AES_256_GCM_SHA384" }\n').includes('Separate with ":"'));
    // A table nothing reads is not revived on its own: its settings would start to apply (review 140, real 0.11.9: a
    // renamed c2s_direct_tls_ssl's options broke the legacy_ssl port that had worked).
    assert.deepEqual(preferred('legacy_ssl_ports = { 5223 }\nc2s_direct_tls_ssl = { protocol = "tlsv1_2", options = { "no_tlsv1_2" } }\n', '0.11'), []);
    const revived = check('legacy_ssl_ports = { 5223 }\nc2s_direct_tls_ssl = { protocol = "tlsv1_2" }\n', { prosodyVersion: '0.11' }).diags.find((d) => d.code === 'option-too-new');
    assert.match(String(revived?.message), /Renamed, the settings it holds start to apply there: check them first\./);
    // A value the message allows on a trusted local link (Jitsi's setups) is never changed on its own.
    assert.deepEqual(preferred('c2s_require_encryption = false\n'), []);
    assert.deepEqual(preferred('tls_profile = "intermediat"\n'), ['Change to "intermediate"']);
    // A verifyext flag in verify the message says to move (13.0) is not removed on its own; on 0.12 Prosody sets it.
    assert.deepEqual(preferred('c2s_ssl = { verify = { "peer", "lsec_ignore_purpose" } }\n'), []);
    assert.deepEqual(preferred('c2s_ssl = { verify = { "peer", "lsec_ignore_purpose" } }\n', '0.12'), ['Remove lsec_ignore_purpose']);
    // A typo is not turned into a flag that does nothing.
    const { doc, diags } = check('ssl = { options = { "no_sslv4" } }\n');
    assert.ok(!service.doCodeActions(doc, diags).some((a) => a.title === 'Change to no_sslv2'));
  });

  it('ignores diagnostics from other sources', () => {
    const { doc } = check('x = 1');
    const foreign = [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, message: 'x', source: 'lua-ls', code: 'unused' }];
    assert.deepEqual(service.doCodeActions(doc, foreign), []);
  });
});

describe('model reuse', () => {
  it('builds the model once per document version and reuses it for every request', () => {
    const doc = TextDocument.create('file:///control/reuse.cfg.lua', 'prosody', 1, RISKY);
    const m = service.getModel(doc);
    service.doValidation(doc);
    service.doComplete(doc, { line: 1, character: 3 });
    service.doHover(doc, { line: 1, character: 3 });
    assert.equal(service.getModel(doc), m);
    const next = TextDocument.update(doc, [{ text: RISKY + '\n' }], 2);
    assert.notEqual(service.getModel(next), m);
  });
});
