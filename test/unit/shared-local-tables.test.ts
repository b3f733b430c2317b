// A table literal shared through a `local` (`local tls = { … }; ssl = tls`) is what Prosody receives, so its keys are
// judged where they are written (a reviewer: such tables were never checked, though the README points 13.0 users to
// a local for sharing one). Only where the literal is surely each option's value.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { createLanguageService, type ProsodyLine } from '../../server/src/service';

const service = createLanguageService();
let n = 0;

function found(text: string, line: ProsodyLine = '0.12'): string[] {
  const doc = TextDocument.create(`file:///shared/${++n}/prosody.cfg.lua`, 'prosody', 1, text);
  return service.doValidation(doc, { prosodyVersion: line }).map((d) => `${String(d.code)}@${d.range.start.line}:${doc.getText(d.range)}`);
}

const TLS = 'local tls = { protocol = "tlsv1+", ciphers = "HIGH:!aNULL", verify = { "peer", "fail_if_no_peer_cert" } }\n';

describe('table literals shared through a local', () => {
  it('are judged where they are written, each finding said once for every option that shares them', () => {
    const got = found(`${TLS}ssl = tls\nc2s_direct_tls_ports = { 5223 }\nc2s_direct_tls_ssl = tls\n`);
    assert.equal(got.filter((x) => x.startsWith('verify-requires-peer-cert@0:')).length, 1, got.join('\n'));
    assert.ok(got.includes('unsafe-protocol@0:"tlsv1+"'), got.join('\n'));
  });

  it('under a host and inside an if as well', () => {
    assert.ok(found(`VirtualHost "a.example"\n  ${TLS}  ssl = tls\n`).includes('unsafe-protocol@1:"tlsv1+"'));
    assert.ok(found(`${TLS}if x then ssl = tls end\n`).includes('unsafe-protocol@0:"tlsv1+"'));
  });

  it('declared above the hosts and given to their options (the file is then parsed whole), also after an edit in a host', () => {
    const text = `${TLS}VirtualHost "a.example"\n  ssl = tls\nVirtualHost "b.example"\n  c2s_ssl = tls\n`;
    assert.ok(found(text).includes('unsafe-protocol@0:"tlsv1+"'), found(text).join('\n'));
    // The same service, a keystroke in the last host: the shared table is still judged where it is written.
    const doc = TextDocument.create('file:///shared/edit/prosody.cfg.lua', 'prosody', 1, text);
    const settings = { prosodyVersion: '0.12' as const };
    service.doValidation(doc, settings);
    const at = text.length - 1;
    const next = TextDocument.update(doc, [{ range: { start: doc.positionAt(at), end: doc.positionAt(at) }, text: ' -- x' }], 2);
    const codes = service.doValidation(next, settings).map((d) => `${String(d.code)}@${d.range.start.line}`);
    assert.ok(codes.includes('unsafe-protocol@0'), codes.join('\n'));
    // Touched in a host (`tls.protocol = …` there): left alone everywhere.
    assert.deepEqual(found(`${TLS}VirtualHost "a.example"\n  tls.protocol = "tlsv1_2+"\n  ssl = tls\n`).filter((x) => x.startsWith('unsafe-protocol')), []);
  });

  // Lua 5.4's attributes, which luaparse (5.3 at most) does not know: Debian 12's Prosody runs on 5.4 and loads them.
  it('with Lua 5.4 attributes (<const>, <close>): no syntax error, and the table is judged', () => {
    const got = found('local tls <const> = { protocol = "tlsv1+", ciphers = "HIGH:!aNULL" }\nlocal a <const>, b <close> = 1, nil\nssl = tls\n');
    assert.ok(!got.some((x) => x.startsWith('syntax-error')), got.join('\n'));
    assert.ok(got.includes('unsafe-protocol@0:"tlsv1+"'), got.join('\n'));
  });

  // Written under a host Prosody never activates, but taken by one it does: not quietened (an instrumented run).
  it('declared in a disabled host and taken by an enabled one: a warning, without the dormant note', () => {
    const text = `VirtualHost "off.example"\n  enabled = false\n  ${TLS}VirtualHost "example.com"\n  ssl = tls\n`;
    const doc = TextDocument.create('file:///shared/dormant/prosody.cfg.lua', 'prosody', 1, text);
    const d = service.doValidation(doc, { prosodyVersion: '0.12' }).find((x) => x.code === 'unsafe-protocol');
    assert.ok(d, 'reported');
    assert.equal(d.severity, 2);
    assert.doesNotMatch(String(d.message), /enabled = false/);
  });

  it('a literal a host and the global table share is not one whose keys the host\'s SNI context ignores', () => {
    const text = 'local tls = { options = { no_ticket = false } }\nc2s_direct_tls_ports = { 5223 }\nc2s_direct_tls_ssl = tls\nVirtualHost "example.com"\n  c2s_direct_tls_ssl = tls\n';
    assert.deepEqual(found(text).filter((x) => x.startsWith('sni-setting-ignored')), []);
    assert.ok(found(text.replace('c2s_direct_tls_ssl = tls\nVirtualHost', 'c2s_direct_tls_ssl = {}\nVirtualHost')).some((x) => x.startsWith('sni-setting-ignored')));
  });

  it('are left alone where the literal may not be what the option gets', () => {
    const unsafe = (text: string): string[] => found(text).filter((x) => x.startsWith('unsafe-protocol') || x.startsWith('verify-requires'));
    // Changed after the declaration, passed to a function, read before it is declared, declared twice, shadowed.
    assert.deepEqual(unsafe(`${TLS}tls.protocol = "tlsv1_2+"\nssl = tls\n`), []);
    assert.deepEqual(unsafe(`${TLS}ssl = tls\nsetup(tls)\n`), []);
    assert.deepEqual(unsafe(`ssl = tls\n${TLS}`), []);
    assert.deepEqual(unsafe(`${TLS}local tls = {}\nssl = tls\n`), []);
    assert.deepEqual(unsafe(`${TLS}ssl = tls\nlocal function f(tls) tls.protocol = "tlsv1_3" end\n`), []);
    // Held in a field of another table: not an option's whole value.
    assert.deepEqual(unsafe(`${TLS}ssl = { [5223] = tls }\n`), []);
    // Changed through an alias (a local, or a field of another table), which Prosody then gets (an instrumented run).
    assert.deepEqual(unsafe(`${TLS}local a\na = tls\na.protocol = "tlsv1_2+"\nssl = tls\n`), []);
    assert.deepEqual(unsafe(`${TLS}local holder = { x = tls }\nholder.x.protocol = "tlsv1_2+"\nssl = tls\n`), []);
  });

  it('keeps the quick fix on the literal', () => {
    const text = `${TLS}ssl = tls\n`;
    const doc = TextDocument.create('file:///shared/fix/prosody.cfg.lua', 'prosody', 1, text);
    const d = service.doValidation(doc, { prosodyVersion: '0.12' }).find((x) => x.code === 'unsafe-protocol')!;
    const fix = (d.data as { fixes: Array<{ edits: Array<{ range: typeof d.range; newText: string }> }> }).fixes[0]!;
    assert.equal(TextDocument.applyEdits(doc, fix.edits), text.replace('"tlsv1+"', '"tlsv1_2+"'));
  });
});
