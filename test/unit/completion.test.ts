// Completion, cursor-marker style: each case asserts the whole text after accepting an item.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { applyItem, complete, completeAndApply, hoverText, labels } from '../helpers/cursor';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { createLanguageService } from '../../server/src/service';

describe('completion: keys of ssl tables', () => {
  it('offers ssl keys inside a global ssl table and inserts a key with its value snippet', () => {
    const out = completeAndApply('ssl = {\n  |\n}\n', 'verify');
    assert.equal(out, 'ssl = {\n  verify = { "peer" }\n}\n');
  });

  it('the ciphers key inserts a string our own rules are content with (forward-secret AEAD suites)', () => {
    const out = completeAndApply('ssl = {\n  |\n}\n', 'ciphers');
    assert.equal(out, 'ssl = {\n  ciphers = "ECDHE+AESGCM:ECDHE+CHACHA20"\n}\n');
    const doc = TextDocument.create('file:///completion/ciphers.cfg.lua', 'prosody', 1, out);
    assert.deepEqual(createLanguageService().doValidation(doc).map((d) => d.code), []);
  });

  it('replaces a half-typed key and keeps the rest of the line', () => {
    const out = completeAndApply('ssl = {\n  proto|\n}\n', 'protocol');
    assert.match(out, /^ssl = \{\n  protocol = "[^"\n]*"\n\}\n$/);
  });

  it('does not re-offer keys already present (before or after the cursor)', () => {
    const l = labels('ssl = {\n  key = "a.key";\n  |\n  certificate = "a.crt";\n}\n');
    assert.ok(l.includes('protocol'));
    assert.ok(!l.includes('key'));
    assert.ok(!l.includes('certificate'));
  });

  it('offers option names where a statement starts, not inside the condition after if, while, until or elseif', () => {
    assert.ok(labels('if x then\n  |\nend\n').includes('c2s_require_encryption'));
    assert.ok(labels('repeat\n  |\nuntil x\n').includes('c2s_require_encryption'));
    for (const text of ['if |', 'while |', 'repeat x = 1 until |', 'if a then x = 1 elseif |']) assert.deepEqual(labels(text).filter((l) => l === 'c2s_require_encryption'), [], text);
  });

  it('only renames when an `=` already follows the word', () => {
    const out = completeAndApply('ssl = {\n  protoc| = "tlsv1_2+";\n}\n', 'protocol');
    assert.equal(out, 'ssl = {\n  protocol = "tlsv1_2+";\n}\n');
  });

  it('offers keys in c2s_ssl, s2s_ssl, host ssl and per-port sub-tables of https_ssl', () => {
    for (const text of [
      'c2s_ssl = { | }',
      's2s_ssl = { | }',
      'VirtualHost "example.com"\n  ssl = {\n    |\n  }\n',
      'https_ssl = {\n  ["127.0.0.1"] = { | };\n}\n',
      'c2s_direct_tls_ssl = { | }',
    ]) {
      assert.ok(labels(text).includes('certificate'), text);
    }
    // A per-port table up to 0.12 (13.0 throws on the number key: nothing is offered there).
    assert.ok(labels('https_ssl = {\n  [5281] = { | };\n}\n', '0.12').includes('certificate'));
  });

  it('adds the missing separator when a key is completed on the line after a value', () => {
    const out = completeAndApply('ssl = {\n  key = "a.key"\n  |\n}\n', 'certificate');
    assert.match(out, /^ssl = \{\n  key = "a.key";\n  certificate = "[^"\n]*"\n\}\n$/);
  });

  it('offers nothing inside comments', () => {
    assert.deepEqual(labels('ssl = {\n  -- prot|\n}\n'), []);
    assert.deepEqual(labels('ssl = {\n  --[[ prot| ]]\n}\n'), []);
    assert.deepEqual(labels('-- ssl|'), []);
  });

  it('does not mistake look-alikes for TLS tables', () => {
    assert.deepEqual(labels('sql = { ssl = { | } }'), []);
    assert.deepEqual(labels('local ssl = { | }'), []);
    assert.deepEqual(labels('tls_policy = { s2s = { | } }'), []);
  });
});

describe('completion: values', () => {
  it('replaces exactly the string content with a protocol', () => {
    const out = completeAndApply('ssl = {\n  protocol = "tls|";\n}\n', 'tlsv1_2+');
    assert.equal(out, 'ssl = {\n  protocol = "tlsv1_2+";\n}\n');
  });

  it('replaces the whole content even when the cursor is in the middle', () => {
    const out = completeAndApply('ssl = { protocol = "tl|sv1" }', 'tlsv1_3');
    assert.equal(out, 'ssl = { protocol = "tlsv1_3" }');
  });

  it('in a long string after its dropped line break: replaces the content on the cursor\'s line only', () => {
    for (const nl of ['\n', '\r\n', '\r']) {
      const { doc, items } = complete(`ssl = { protocol = [[${nl}tlsv1|]] }`);
      const item = items.find((i) => i.label === 'tlsv1_2+')!;
      const range = (item.textEdit as { range: { start: { line: number }; end: { line: number } } }).range;
      assert.equal(range.start.line, 1, JSON.stringify(nl));
      assert.equal(range.end.line, 1);
      assert.equal(applyItem(doc, item), `ssl = { protocol = [[${nl}tlsv1_2+]] }`);
    }
    assert.equal(completeAndApply('ssl = { ciphers = [==[\nHI|]==] }', 'HIGH'), 'ssl = { ciphers = [==[\nHIGH]==] }');
  });

  it('closes an unterminated string', () => {
    const out = completeAndApply('ssl = {\n  protocol = "tls|\n}\n', 'tlsv1_2+');
    assert.equal(out, 'ssl = {\n  protocol = "tlsv1_2+"\n}\n');
  });

  it('in an unclosed string, replaces the word at the cursor and closes it, keeping the rest of the line', () => {
    assert.equal(completeAndApply('ssl = { protocol = "tlsv1| }\nfoo = 1', 'tlsv1_2+'), 'ssl = { protocol = "tlsv1_2+" }\nfoo = 1');
    assert.equal(completeAndApply("ssl = { protocol = 'tl|sv1 }", 'tlsv1_3'), "ssl = { protocol = 'tlsv1_3' }");
    assert.equal(completeAndApply('ssl = { protocol = [[tlsv1|\n}\nfoo = 1\n', 'tlsv1_2+'), 'ssl = { protocol = [[tlsv1_2+]]\n}\nfoo = 1\n');
    assert.equal(completeAndApply('ssl = { protocol = [==[tls|', 'tlsv1_3'), 'ssl = { protocol = [==[tlsv1_3]==]');
    // In a ':'-joined list only the segment is replaced; the quote goes after the last segment only.
    assert.equal(completeAndApply('ssl = { curveslist = "X2|:P-256 }', 'X25519'), 'ssl = { curveslist = "X25519:P-256 }');
    assert.equal(completeAndApply('ssl = { curveslist = "X25519:P-2| }', 'P-256'), 'ssl = { curveslist = "X25519:P-256" }');
  });

  it('inserts a quoted value right after `=`', () => {
    const out = completeAndApply('ssl = { protocol = | }', 'tlsv1_2+');
    assert.equal(out, 'ssl = { protocol = "tlsv1_2+" }');
  });

  it('puts the safe, common choice first and weak protocols last', () => {
    const { items } = complete('ssl = { protocol = "|" }');
    const sorted = [...items].sort((a, b) => (a.sortText ?? a.label).localeCompare(b.sortText ?? b.label));
    assert.equal(sorted[0]?.label, 'tlsv1_2+');
    const tlsv1 = sorted.findIndex((i) => i.label === 'tlsv1');
    const tlsv13 = sorted.findIndex((i) => i.label === 'tlsv1_3');
    assert.ok(tlsv1 > tlsv13, 'tlsv1 sorts after tlsv1_3');
  });

  it('offers only values the Prosody version accepts', () => {
    assert.ok(labels('ssl = { protocol = "|" }', '13.0').includes('tlsv1_2+'));
    assert.ok(!labels('ssl = { protocol = "|" }', '0.9').includes('tlsv1_2+'));
    assert.ok(!labels('ssl = { protocol = "|" }', '0.10').includes('tlsv1_3+'));
  });

  it('never offers an ALPN protocol Prosody cannot speak, though hover still explains it', () => {
    for (const text of ['https_ssl = { alpn = { "|" } }', 'https_ssl = { alpn = | }', 'https_ssl = { alpn = { "xmpp-client", "|" } }']) {
      const l = labels(text, '13.0');
      assert.ok(l.includes('http/1.1'), `${text}: ${l.join(', ')}`);
      assert.ok(!l.includes('h2'), `${text}: ${l.join(', ')}`);
    }
    const key = complete('https_ssl = { alp| }', '13.0').items.find((i) => i.label === 'alpn');
    assert.ok(key && typeof key.textEdit?.newText === 'string' && !key.textEdit.newText.includes('h2'), JSON.stringify(key?.textEdit));
    assert.match(hoverText('https_ssl = { alpn = { "h|2" } }', '13.0')!, /does not speak it/);
  });

  it('offers option flags inside an options list, not those already there', () => {
    const l = labels('ssl = { options = { "no_ticket", "|" } }');
    assert.ok(l.includes('no_compression'));
    assert.ok(!l.includes('no_ticket'));
    const out = completeAndApply('ssl = { options = { "no_ticket", "no_co|" } }', 'no_compression');
    assert.equal(out, 'ssl = { options = { "no_ticket", "no_compression" } }');
  });

  it('offers a quoted flag at an item position without quotes', () => {
    const out = completeAndApply('ssl = { options = { | } }', 'no_ticket');
    assert.equal(out, 'ssl = { options = { "no_ticket" } }');
  });

  it('offers flag names inside a bracketed key of a flag map', () => {
    assert.equal(completeAndApply('ssl = { options = { ["no_tic|"] = true } }', 'no_ticket'), 'ssl = { options = { ["no_ticket"] = true } }');
    assert.equal(completeAndApply("ssl = { options = { no_sslv3 = true, [ [[no_tic|]] ] = true } }", 'no_ticket'), "ssl = { options = { no_sslv3 = true, [ [[no_ticket]] ] = true } }");
    assert.deepEqual(labels('ssl = { options = { x = ["no_tic|"] } }').filter((l) => l === 'no_ticket'), [], 'an index in a value is no key');
  });

  it('offers map-style flags when the options table is written as a map', () => {
    const out = completeAndApply('ssl = { options = { no_ticket = true, | } }', 'no_compression');
    assert.equal(out, 'ssl = { options = { no_ticket = true, no_compression = true } }');
  });

  it('offers verify and verifyext flags', () => {
    assert.ok(labels('ssl = { verify = { "|" } }').includes('peer'));
    const v = labels('ssl = { verifyext = { "|" } }');
    assert.ok(v.includes('lsec_continue'));
    assert.ok(!v.includes('continue'));
  });

  it('completes curve names per segment of a curveslist string', () => {
    const out = completeAndApply('ssl = { curveslist = "X25519:|" }', 'P-256');
    assert.equal(out, 'ssl = { curveslist = "X25519:P-256" }');
  });

  it('offers curve names for curve, without X25519 (curve does not accept it)', () => {
    const l = labels('ssl = { curve = "|" }');
    assert.ok(l.includes('secp384r1'));
    assert.ok(!l.includes('X25519'));
  });

  it('offers tls_profile values', () => {
    const out = completeAndApply('tls_profile = "|"', 'modern');
    assert.equal(out, 'tls_profile = "modern"');
  });

  it('offers true/false for boolean options', () => {
    const out = completeAndApply('c2s_require_encryption = |', 'true');
    assert.equal(out, 'c2s_require_encryption = true');
  });
});

describe('completion: options at statement level', () => {
  it('offers TLS options at the start of a statement and inserts a snippet', () => {
    const out = completeAndApply('tls_prof|', 'tls_profile');
    assert.match(out, /^tls_profile = "[^"]*"$/);
  });

  it('is scope-aware: global-only options are not offered inside a VirtualHost', () => {
    const global = labels('|');
    assert.ok(global.includes('tls_profile'));
    const host = labels('VirtualHost "example.com"\n|');
    assert.ok(!host.includes('tls_profile'));
    assert.ok(host.includes('ssl'));
  });

  it('does not offer an option already set in the same section', () => {
    assert.ok(!labels('tls_profile = "modern"\n|').includes('tls_profile'));
    assert.ok(labels('tls_profile = "modern"\nVirtualHost "x"\n|').includes('ssl'));
  });

  it('offers options after a `;` that ends the previous statement on the same line', () => {
    assert.ok(labels('c2s_require_encryption = true; ss|').includes('ssl'));
    assert.equal(completeAndApply('c2s_require_encryption = true; tls_prof|', 'tls_profile').startsWith('c2s_require_encryption = true; tls_profile = "'), true);
    // Inside a table a `;` separates fields: ssl keys there, not options.
    assert.ok(!labels('ssl = { protocol = "tlsv1_2+"; |').includes('tls_profile'));
  });

  it('offers nothing after VirtualHost or local', () => {
    assert.deepEqual(labels('VirtualHost |'), []);
    assert.deepEqual(labels('local |'), []);
  });
});

describe('completion: positions are UTF-16 and line ends are kept', () => {
  it('works after CRLF lines, tabs, non-ASCII and astral characters', () => {
    const out = completeAndApply('-- café 😀 ünïcode\r\nssl = {\r\n\tcertificate = "😀/ä.crt";\r\n\tprotocol = "tls|";\r\n}\r\n', 'tlsv1_2+');
    assert.equal(out, '-- café 😀 ünïcode\r\nssl = {\r\n\tcertificate = "😀/ä.crt";\r\n\tprotocol = "tlsv1_2+";\r\n}\r\n');
  });

  it('replaces a value that follows an astral character on the same line', () => {
    const out = completeAndApply('ssl = { key = "😀"; protocol = "x|" }', 'tlsv1_3');
    assert.equal(out, 'ssl = { key = "😀"; protocol = "tlsv1_3" }');
  });
});

describe('completion: the tls_profile in force comes from the text itself', () => {
  const detail = (service: ReturnType<typeof createLanguageService>, doc: TextDocument): string | undefined =>
    service.doComplete(doc, { line: 2, character: 9 }, { prosodyVersion: '13.0' }).items.find((i) => i.label === 'protocol')?.detail;

  it('while the file does not parse, not from the last version that did', () => {
    const uri = 'file:///completion/profile.cfg.lua';
    const service = createLanguageService();
    const parsed = TextDocument.create(uri, 'prosody', 1, 'tls_profile = "modern"\nVirtualHost "a.example"\n\tssl = {  }\n');
    service.doValidation(parsed, { prosodyVersion: '13.0' });
    assert.match(detail(service, parsed) ?? '', /"tlsv1_3"/);
    const broken = TextDocument.create(uri, 'prosody', 2, 'tls_profile = "old"\nVirtualHost "a.example"\n\tssl = {  }\nbroken = \n');
    const got = detail(service, broken);
    assert.match(got ?? '', /"tlsv1\+"/, 'the old profile the text sets');
    assert.equal(got, detail(createLanguageService(), TextDocument.create(uri, 'prosody', 1, broken.getText())), 'the same as a fresh service');
  });
});
