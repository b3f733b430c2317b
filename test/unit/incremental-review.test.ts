// Adversarial review of the chunked parse and per-chunk diagnostics: inputs and edit sequences picked to
// break the rule that every answer equals one whole-text parse plus one rule run. Each case feeds
// successive versions of one document to one service and compares with that reference.
import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { createLanguageService, DEFAULT_SETTINGS, type ServiceSettings } from '../../server/src/service';
import { parseConfig } from '../../server/src/service/model/parse';
import { runs } from './property/arbitraries';
import { canonical, reference, Session } from './wholeText';

let sessions = 0;
const session = (): Session => new Session(`file:///review/${++sessions}/prosody.cfg.lua`);

/** Runs each version in order through one session. */
function sequence(versions: readonly string[], settings: ServiceSettings = DEFAULT_SETTINGS): void {
  const s = session();
  versions.forEach((v, k) => s.check(v, `version ${k + 1}`, settings));
}

// ------------------------------------------------------------------ bugs the review found (fixed since)

// A reviewer's soak test of today's rules (review114): each is one edit on a small config, against a fresh run.
describe('findings that read other chunks, after one edit (review114)', () => {
  const G = 'modules_enabled = { "tls" }\n';
  const on = (prosodyVersion: ServiceSettings['prosodyVersion']): ServiceSettings => ({ ...DEFAULT_SETTINGS, prosodyVersion });
  test('unknown-option reads its host section as it is now, not where a kept chunk last put the next header', () => {
    sequence([G + 'VirtualHost "a.org"\nciphers = "HIGH"\nssl = { ciphers = ciphers }\nVirtualHost "b.org"\n', G + 'VirtualHost "a.org"\nciphers = "HIGH:!kRSA"\nssl = { ciphers = ciphers }\nVirtualHost "b.org"\n'], on('0.12'));
    sequence([G + 'VirtualHost "a.org"\nciphers = "HIGH" -- a long comment on this line, forty-plus characters\nVirtualHost "b.org"\nssl = { ciphers = ciphers }\n', G + 'VirtualHost "a.org"\nciphers = "HIGH"\nVirtualHost "b.org"\nssl = { ciphers = ciphers }\n'], on('13.0'));
    sequence([G + 'VirtualHost "a.org"\nx = 1\nverify = "peer"\nVirtualHost "b.org"\n', G + 'VirtualHost "a.org"\nx = 12345678901\nverify = "peer"\nVirtualHost "b.org"\n'], on('0.12'));
  });
  test('global cipher findings under tls_profile = "modern" follow a host protocol that opens TLS 1.2, added or removed', () => {
    const base = 'tls_profile = "modern"\nssl = { ciphers = "HIGH:!aNULL" }\n\nVirtualHost "x.org"\n';
    sequence([base, `${base}\tssl = { protocol = "tlsv1_2+" }\n`], on('0.12'));
    sequence([`${base}\tc2s_ssl = { protocol = "tlsv1_2+" }\n`, base], on('13.0'));
  });
  test('global cipher findings under tls_profile = "modern" follow a second host table that replaces one opening TLS 1.2', () => {
    // (The fuzzer's case: the text still names `protocol = "tlsv1_2+"`, in the line the new one writes over.)
    const base = 'tls_profile = "modern"\nssl = { verify = verify, ciphers = "HIGH" }\nVirtualHost("example.com")\nssl = { protocol = "tlsv1_2+" }\n';
    sequence([base, `${base}ssl = { ciphers = "AES256-SHA:ECDHE+AESGCM" }\n`], on('0.12'));
    sequence([`${base}ssl = { ciphers = "AES256-SHA:ECDHE+AESGCM" }\n`, base], on('13.0'));
  });
  test('global cipher findings follow a host table opening TLS 1.2 beside a top-level protocol line no table reads', () => {
    // (A note of the last session: the text named a protocol opening TLS 1.2 before and after the edit.)
    const base = 'ssl = { ciphers = "HIGH", protocol = "tlsv1_3" }\nVirtualHost "x.org"\nprotocol = "tlsv1_2+"\n';
    sequence([`${base}ssl = { protocol = "tlsv1_3" }\n`, `${base}ssl = { protocol = "tlsv1_2+" }\n`], on('0.12'));
    sequence([`${base}ssl = { protocol = "tlsv1_2+" }\n`, `${base}ssl = { protocol = "tlsv1_3" }\n`], on('13.0'));
  });
  test('a host written inside the global chunk keeps its findings when a rule reads other chunks the global way (review 132)', () => {
    // Its header is not at a line start (inside `if`, after `;`): the global chunk holds it, and a run for the global
    // section's findings alone dropped its own.
    const inIf = 'ssl = { ciphers = "HIGH:!aNULL" }\nif true then\nVirtualHost "a.org"\n  ssl = { ciphers = "HIGH" }\nend\nVirtualHost "b.org"\n';
    sequence([inIf, `${inIf}  ssl = { ciphers = "HIGH:!aNULL" }\n`], on('0.12'));
    const afterStatement = 's2s_ssl = { protocol = "tlsv1_1+" }\nx = 1 VirtualHost "example.com"\nssl = { ciphers = "HIGH" }\n';
    sequence([afterStatement, `${afterStatement}VirtualHost "other.org"\n`], on('0.11'));
    sequence([afterStatement, `${afterStatement}Component "other.org" "muc"\n`], on('0.10'));
  });
  test('global cipher findings follow a host protocol after a lone-CR comment, a `--` in a string, and other spellings (review 132)', () => {
    const base = (nl: string): string => `ssl = { ciphers = "HIGH", protocol = "tlsv1_3" }${nl}VirtualHost "x.org"${nl}`;
    for (const v of ['tlsv1_3', 'tlsv1_2+']) {
      const w = v === 'tlsv1_3' ? 'tlsv1_2+' : 'tlsv1_3';
      sequence([`${base('\r')}-- note\rssl = { protocol = "${v}" }\r`, `${base('\r')}-- note\rssl = { protocol = "${w}" }\r`], on('0.12'));
      sequence([`${base('\n')}ssl = { certificate = "/c/x--org.crt", protocol = "${v}" }\n`, `${base('\n')}ssl = { certificate = "/c/x--org.crt", protocol = "${w}" }\n`], on('13.0'));
      sequence([`${base('\n')}ssl = { protocol = [[${v}]] }\n`, `${base('\n')}ssl = { protocol = [[${w}]] }\n`], on('0.12'));
      sequence([`${base('\n')}ssl = { ["protocol"] = "${v}" }\n`, `${base('\n')}ssl = { ["protocol"] = "${w}" }\n`], on('0.12'));
    }
  });
  test('the tls_profile = "old" finding follows the hosts\' ciphers', () => {
    const base = 'tls_profile = "old"\nssl = { ciphers = "ECDHE+AESGCM" }\n\nVirtualHost "example.com"\n';
    sequence([base, `${base}\tssl = { ciphers = "HIGH" }\n`], on('0.12'));
    sequence([`${base}\tc2s_ssl = { ciphers = "HIGH" }\n`, base], on('13.0'));
  });
  test('a parent domain\'s finding that links its subdomain is judged again when a chunk between them grows', () => {
    const parent = G + 'VirtualHost "example.com"\n\tssl = { protocol = "tlsv1+" }\n\tc2s_ssl = { protocol = "tlsv1_2+" }\n\ts2s_ssl = { protocol = "tlsv1_2+" }\n\nVirtualHost "other.org"\n';
    const sub = '\nVirtualHost "sub.example.com"\n\tc2s_ssl = { ciphers = "ECDHE+AESGCM:HIGH" }\n';
    sequence([parent + sub, parent + '\tenabled = true\n' + sub], on('0.12'));
    const verify = G + 'VirtualHost "example.com"\n\tssl = { verify = "none" }\n\ts2s_ssl = { verify = "peer" }\n\nVirtualHost "other.org"\n';
    const vsub = '\nVirtualHost "sub.example.com"\n\ts2s_ssl = { protocol = "tlsv1_2+" }\n';
    sequence([verify + vsub, verify + '\tenabled = true\n' + vsub], on('0.12'));
  });
});

describe('chunks that parse alone while the whole text does not', () => {
  test('the same top-level label in two chunks is a syntax error in the whole file', () => {
    // (A label right before the header line keeps them together: the splitter sees `:` before the name.)
    const text = '::a::\nx = 1\nVirtualHost "x"\n::a::\n';
    assert.equal(parseConfig(text).ok, false, 'Lua (and luaparse) reject a label defined twice');
    session().check(text, 'duplicate label');
  });

  test('a goto whose label ends one chunk jumps into a local scope once the next chunk follows', () => {
    // Alone the label is at the end of its block (allowed); followed by the next chunk it is not.
    const text = 'goto done\nlocal x = 1\n::done::\n;\nVirtualHost "b"\n';
    assert.equal(parseConfig(text).ok, false);
    session().check(text, 'goto into the scope of a local');
  });

  test('an edit that makes two chunks define the same label', () => {
    sequence(['::a::\nx = 1\nVirtualHost "x"\n\tssl = { protocol = "tlsv1" }\n', '::a::\nx = 1\nVirtualHost "x"\n::a::\n\tssl = { protocol = "tlsv1" }\n']);
  });
});

describe('settings of a section that opened in an earlier chunk', () => {
  // `VirtualHost "b" { … }` (the table form) returns to global scope, so the settings after it are global
  // although they sit in a later chunk: the chunks are not independent.
  // Chunk 0 (always re-checked) is the global line; host "a" is chunk 1, the table-form line opens chunk 2.
  const v1 = ['x = 1', 'VirtualHost "a"', '\tssl = { options = { "no_tlsv1", "no_tlsv1_1" } }', 'VirtualHost "b" { enabled = true }', '\tc2s_ssl = { protocol = "tlsv1+" }', ''].join('\n');

  test('an edit in the later chunk is checked without the host settings of the earlier one', () => {
    sequence([v1, v1.replace('"b" {', '"c" {')]);
  });

  test('an edit in the earlier chunk leaves stale findings in the later one', () => {
    sequence([v1, v1.replace('"no_tlsv1", "no_tlsv1_1"', '"no_ticket"')]);
  });

  test('a global ssl written after a `VirtualHost.x = …` line (no section yet) is left out', () => {
    const g1 = ['x = 1', 'VirtualHost.note = "n"', 'ssl = { options = { "no_tlsv1", "no_tlsv1_1" } }', 'VirtualHost "a"', '\tc2s_ssl = { protocol = "tlsv1+" }', ''].join('\n');
    sequence([g1, g1.replace('"a"', '"b"')]);
  });
});

// ------------------------------------------------------------------ tricky cases that hold

describe('splitter edge cases agree with the whole parse', () => {
  const cases: Record<string, string> = {
    'return before a header (return VirtualHost "x")': 'x = 1\nreturn\nVirtualHost "x"\n\tssl = { protocol = "tlsv1" }\n',
    'return; before a header': 'return;\nVirtualHost "x"\n',
    'return at the very end': 'VirtualHost "x"\n\tssl = { protocol = "tlsv1" }\nreturn\n',
    'goto across chunks (backward)': '::top::\nVirtualHost "x"\nif false then goto top end\n',
    'goto across chunks (forward)': 'goto skip\nVirtualHost "x"\n::skip::\n',
    'label named VirtualHost': '::\nVirtualHost::\nVirtualHost "x"\n',
    'header after `::`': 'x = 1\n::\nVirtualHost::\n',
    'semicolons around headers': 'x = 1;\n;VirtualHost "x";\nVirtualHost "y"; ssl = { protocol = "tlsv1" };\n',
    'CRLF backslash-newline inside a string': 'x = "a\\\r\nVirtualHost " .. "b"\r\nVirtualHost "h"\r\n\tssl = { protocol = "tlsv1" }\r\n',
    'CR-only backslash-newline inside a string': 'x = "a\\\rVirtualHost " .. "b"\rVirtualHost "h"\r\tssl = { protocol = "tlsv1" }\r',
    '\\z across lines inside a string': 'x = "a\\z\n   VirtualHost "\nVirtualHost "h"\n\tssl = { protocol = "tlsv1" }\n',
    '\\z continuation that hides an `end`': 'x = "a\\z\n end"\nVirtualHost "h"\n\tssl = { protocol = "tlsv1" }\nVirtualHost "i"\n\tssl = { protocol = "sslv3" }\n',
    'long string with = levels containing a header': 's = [==[\n]]\nVirtualHost "x"\n]==]\nVirtualHost "h"\n\tssl = { protocol = "tlsv1" }\n',
    'long comment with = levels containing a header': '--[=[\n]]\nVirtualHost "x"\n]=]\nVirtualHost "h"\n\tssl = { protocol = "tlsv1" }\n',
    'comment that looks long but is not': '--[=x\nVirtualHost "h"\n\tssl = { protocol = "tlsv1" }\n',
    'CR-only line ends': 'ssl = { protocol = "tlsv1" }\rVirtualHost "a"\r\tssl = { protocol = "sslv3" }\rComponent "c" "muc"\r\tssl = { protocol = "tlsv1_1" }\r',
    'mixed line ends': 'a = 1\r\nVirtualHost "a"\r\tssl = { protocol = "tlsv1" }\nVirtualHost "b"\r\n\tssl = { protocol = "tlsv1" }',
    BOM: '\uFEFFssl = { protocol = "tlsv1" }\nVirtualHost "a"\n',
    'shebang line': '#!/usr/bin/env lua\nssl = { protocol = "tlsv1" }\nVirtualHost "a"\n\tssl = { protocol = "tlsv1" }\n',
    'VirtualHost as a variable, field, argument': 'VirtualHost = VirtualHost\nt = {}\nt.\nVirtualHost = 1\nf = print\nf(\nVirtualHost)\nx = t\n.VirtualHost\nVirtualHost "a"\n\tssl = { protocol = "tlsv1" }\n',
    'header not at a line start': 'x = 1 VirtualHost "a" ssl = { protocol = "tlsv1" }\n',
    'headers inside if/function/do/repeat/while': 'if a then\nVirtualHost "a"\nssl = { protocol = "tlsv1" }\nend\nfunction f()\nVirtualHost "b"\nend\ndo\nVirtualHost "c"\nend\nrepeat\nVirtualHost "d"\nuntil true\nwhile false do\nVirtualHost "e"\nend\nfor i = 1, 2 do\nComponent "f"\nend\n',
    'Component "x" "y" forms': 'Component "a" "muc"\n\tssl = { protocol = "tlsv1" }\nComponent("b")("muc")\nComponent\n"c"\n"muc"\n\tssl = { protocol = "tlsv1" }\n',
    'VirtualHost("x") and VirtualHost (DOMAIN)': 'local DOMAIN = "d"\nVirtualHost("x")\n\tssl = { protocol = "tlsv1" }\nVirtualHost (DOMAIN)\n\tssl = { protocol = "sslv3" }\n',
    'Include lines between hosts': 'Include "conf.d/*.cfg.lua"\nVirtualHost "a"\nInclude "a.d/*.lua"\n\tssl = { protocol = "tlsv1" }\nVirtualHost "b"\n',
    'header followed by a line-break assignment': 'VirtualHost "a"\n\tssl = { protocol = "tlsv1" }\nVirtualHost\n= 5\n\tssl = { protocol = "tlsv1" }\n',
    'header word glued to a number': 'x = 0\nVirtualHost "a"\n\ty = 0x1e\nVirtualHost "b"\n\tssl = { protocol = "tlsv1" }\n',
    'keywords inside strings and comments do not count': 'x = "do if function" -- end end\ny = \'repeat\'\nVirtualHost "a"\n\tssl = { protocol = "tlsv1" }\n',
    'unbalanced brackets in strings': 'x = "({["\nVirtualHost "a"\n\tssl = { protocol = "tlsv1" }\n',
    'duplicated identical host blocks': 'VirtualHost "a"\n\tssl = { protocol = "tlsv1" }\nVirtualHost "a"\n\tssl = { protocol = "tlsv1" }\nVirtualHost "a"\n\tssl = { protocol = "tlsv1" }\n',
  };
  for (const [name, text] of Object.entries(cases)) {
    test(name, () => {
      // Whole, then through an edit far from the construct, and back: parse, boundaries and diagnostics stay exact.
      const s = session();
      s.check(text, 'as written');
      s.check('-- header comment\n' + text, 'a line added at the top');
      s.check(text + '\nVirtualHost "z"\n\tssl = { protocol = "tlsv1_1" }\n', 'a host appended');
      s.check(text, 'back');
    });
  }
});

describe('edit sequences that hold', () => {
  const hosts = (n: number, proto = 'tlsv1'): string => Array.from({ length: n }, (_, i) => `VirtualHost "h${i}.example"\n\tssl = { protocol = "${proto}", options = { "no_ticket" } }\n`).join('');
  const base = `-- config\nssl = { curveslist = "X25519" }\n${hosts(6)}`;

  test('a host block duplicated (pasted next to itself), then edited in one copy', () => {
    const block = 'VirtualHost "h2.example"\n\tssl = { protocol = "tlsv1", options = { "no_ticket" } }\n';
    const v2 = base.replace(block, block + block);
    const v3 = v2.replace(block + block, block + block.replace('"tlsv1"', '"sslv3"'));
    const v4 = v2.replace(block + block, block.replace('"tlsv1"', '"tlsv1_1"') + block);
    const s = session();
    s.check(base, 'base');
    const d2 = s.check(v2, 'duplicated');
    // One host to Prosody: the later copy's table replaces the earlier one, which is reported as replaced instead.
    const dup = d2.filter((d) => d.code === 'unsafe-protocol');
    assert.equal(dup.length, 6, 'the copy in force is reported, as the host was before');
    assert.equal(d2.filter((d) => d.code === 'table-replaced').length, 1, 'the earlier copy is replaced');
    s.check(v3, 'second copy edited');
    s.check(v4, 'first copy edited');
    s.check(base, 'back');
  });

  test('the file toggles between parsing and not parsing', () => {
    const broken = base.replace('VirtualHost "h3.example"', 'x = {\nVirtualHost "h3.example"');
    sequence([base, broken, base, broken.replace('x = {', 'x = {{'), base.replace('"tlsv1"', '"sslv3"'), broken, base]);
  });

  test('a version directive and suppressions added and removed', () => {
    const withDirective = '-- prosody-ssl: version=0.9\n' + base;
    const suppressed = base.replace('VirtualHost "h4.example"', '-- prosody-ssl: disable-next-line unsafe-protocol\nVirtualHost "h4.example"\n-- prosody-ssl: disable-next-line\n');
    const span = base.replace('VirtualHost "h1.example"', '-- prosody-ssl: disable unsafe-protocol\nVirtualHost "h1.example"').replace('VirtualHost "h4.example"', '-- prosody-ssl: enable unsafe-protocol\nVirtualHost "h4.example"');
    const longDirective = '--[[ prosody-ssl: version=0.10 ]]\n' + base;
    sequence([base, withDirective, base, suppressed, span, withDirective.replace('0.9', '0.11'), longDirective, '\n' + longDirective, base]);
  });

  test('rule settings and the Prosody line change between versions of one document', () => {
    const s = session();
    s.check(base, 'defaults');
    s.check(base, 'unsafe-protocol off', { ...DEFAULT_SETTINGS, rules: { 'unsafe-protocol': 'off' } });
    s.check(base.replace('"tlsv1"', '"sslv3"'), 'an edit with the rule still off', { ...DEFAULT_SETTINGS, rules: { 'unsafe-protocol': 'off' } });
    s.check(base.replace('"tlsv1"', '"sslv3"'), 'rule back on');
    s.check(base, 'on 0.9', { ...DEFAULT_SETTINGS, prosodyVersion: '0.9' });
    s.check(base.replace('h5', 'h6'), 'edit on 0.9', { ...DEFAULT_SETTINGS, prosodyVersion: '0.9' });
    assert.deepEqual(s.check(base, 'validation off', { ...DEFAULT_SETTINGS, validate: false }), []);
    s.check(base.replace('h1', 'hx'), 'validation on again');
  });

  test('an older version asked for after a newer one: config, parts and diagnostics stay exact', () => {
    const service = createLanguageService();
    const uri = 'file:///review/older.cfg.lua';
    const v1 = TextDocument.create(uri, 'prosody', 1, base);
    const t2 = '-- one\n-- two\n' + base;
    const v2 = TextDocument.create(uri, 'prosody', 2, t2);
    const m1 = service.getModel(v1);
    const m2 = service.getModel(v2);
    // The later version moved the shared chunk entries; each version's settings are still at its own offsets.
    assert.deepEqual(m1.config, (parseConfig(base) as { config: unknown }).config);
    assert.deepEqual(m2.config, (parseConfig(t2) as { config: unknown }).config);
    assert.deepEqual(m1.config, (parseConfig(base) as { config: unknown }).config, 'after the newer one was assembled');
    assert.deepEqual(canonical(service.doValidation(v1)), reference(uri, base, DEFAULT_SETTINGS));
    assert.deepEqual(canonical(service.doValidation(v2)), reference(uri, t2, DEFAULT_SETTINGS));
    assert.deepEqual(canonical(service.doValidation(v1)), reference(uri, base, DEFAULT_SETTINGS));
    // A host inserted at the top: every later chunk gets a new section base as well as a new offset.
    const t3 = base.replace('VirtualHost "h0.example"', 'VirtualHost "first"\nVirtualHost "h0.example"');
    const v3 = TextDocument.create(uri, 'prosody', 3, t3);
    const m3 = service.getModel(v3);
    const m1again = service.getModel(TextDocument.create(uri, 'prosody', 4, base));
    assert.deepEqual(m1again.config, (parseConfig(base) as { config: unknown }).config);
    assert.deepEqual(m3.config, (parseConfig(t3) as { config: unknown }).config);
    assert.deepEqual(canonical(service.doValidation(v3)), reference(uri, t3, DEFAULT_SETTINGS));
  });

  test('everything deleted, then pasted back', () => {
    sequence([base, '', base, base.slice(0, 10), base]);
  });

  test('more than 64 documents: evicted models and validators start over exactly', () => {
    const service = createLanguageService();
    const many = Array.from({ length: 70 }, (_, k) => new Session(`file:///review/many/${k}.cfg.lua`, { service }));
    const texts = many.map((_, k) => base.replace('h0.example', `h0-${k}.example`));
    many.forEach((s, k) => s.check(texts[k]!, `doc ${k}`));
    many.forEach((s, k) => s.check(texts[k]!.replace('"tlsv1"', '"sslv3"'), `doc ${k} edited`));
    many.forEach((s, k) => s.check(texts[k]!, `doc ${k} back`));
  });

  test('a header typed letter by letter at the start of a line', () => {
    const s = session();
    const at = base.indexOf('VirtualHost "h3.example"');
    const word = 'VirtualHost "new"\n';
    for (let k = 0; k <= word.length; k++) s.check(base.slice(0, at) + word.slice(0, k) + base.slice(at), `typed ${JSON.stringify(word.slice(0, k))}`);
  });

  test('a header turned into an assignment and back, and into a field', () => {
    sequence([base, base.replace('VirtualHost "h2.example"', 'VirtualHost = "h2.example"'), base, base.replace('VirtualHost "h2.example"', 't = {} t.\nVirtualHost = "h2.example"'), base]);
  });

  test('0.9: the global ssl\'s default-protocol finding follows the hosts that take it whole', () => {
    const on09 = { ...DEFAULT_SETTINGS, prosodyVersion: '0.9' as const };
    const g = 'ssl = { certificate = "a.crt" }\nVirtualHost "a.example"\nVirtualHost "b.example"\nVirtualHost "c.example"\n';
    const own = g.replace('VirtualHost "b.example"\n', 'VirtualHost "b.example"\n  ssl = { protocol = "tlsv1_2" }\n');
    const all = own.replace('VirtualHost "a.example"\n', 'VirtualHost "a.example"\n  ssl = { protocol = "tlsv1_2" }\n').replace('VirtualHost "c.example"\n', 'VirtualHost "c.example"\n  ssl = { protocol = "tlsv1_2" }\n');
    sequence([g, own, all, own.replace('protocol = "tlsv1_2"', 'certificate = "b.crt"'), g], on09);
  });

  test('a global pin\'s finding follows a host\'s ciphersuites (review 140)', () => {
    const on12 = { ...DEFAULT_SETTINGS, prosodyVersion: '0.12' as const };
    const g = 'ssl = { protocol = "tlsv1_2" }\nVirtualHost "a.example"\n  ssl = { ciphersuites = "TLS_AES_128_GCM_SHA256" }\nVirtualHost "b.example"\n';
    sequence([g, g.replace('"TLS_AES_128_GCM_SHA256"', '""'), g, g.replace('VirtualHost "b.example"\n', 'VirtualHost "b.example"\n  c2s_ssl = { ciphersuites = "" }\n')], on12);
    // From no host writing ciphersuites (the rule then judges the global pin alone) to one, and back.
    const none = 'ssl = { protocol = "tlsv1_2" }\nVirtualHost "a.example"\n  ssl = { ciphers = "HIGH" }\nVirtualHost "b.example"\n';
    sequence([none, none.replace('ciphers = "HIGH"', 'ciphersuites = ""'), none, none.replace('VirtualHost "b.example"\n', 'VirtualHost "b.example"\n  ssl = { ciphersuites = "" }\n'), none], on12);
  });

  test('a long string opened above hosts and closed further down', () => {
    const open = base.replace('VirtualHost "h1.example"', 'x = [==[\nVirtualHost "h1.example"');
    sequence([base, open, open.replace('VirtualHost "h4.example"', ']==]\nVirtualHost "h4.example"'), base]);
  });
});

// ------------------------------------------------------------------ random edits with tricky fragments

const fragment = fc.constantFrom(
  'VirtualHost "v"\n',
  'Component "c" "muc"\n',
  '\tssl = { protocol = "tlsv1" }\n',
  '\tc2s_ssl = { protocol = "tlsv1+", options = { "no_tlsv1" } }\n',
  'ssl = { options = { "no_tlsv1", "no_tlsv1_1" } }\n',
  'return\n',
  'do return end\n',
  '::l::\n',
  'goto l\n',
  '--[==[\n',
  ']==]\n',
  '[[',
  ']]',
  '"a\\\n',
  '"a\\z\n',
  'if x then\n',
  'end\n',
  'function f()\n',
  '{',
  '}',
  ';',
  '\r',
  '\r\n',
  '\n',
  'VirtualHost',
  'VirtualHost.x = 1\n',
  't.\n',
  '-- prosody-ssl: disable-next-line\n',
  '-- prosody-ssl: version=0.9\n',
);

const start = fc.array(fc.constantFrom('VirtualHost "a"\n', 'Component "c" "muc"\n', '\tssl = { protocol = "tlsv1" }\n', '\tc2s_ssl = { protocol = "sslv3" }\n', 'ssl = { curveslist = "X25519", curve = "P-256" }\n', '-- c\n', 'x = 1\n'), { minLength: 2, maxLength: 14 }).map((xs) => xs.join(''));

test('random insertions and deletions of tricky fragments', () => {
  fc.assert(
    fc.property(start, fc.array(fc.record({ at: fc.double({ min: 0, max: 1, noNaN: true }), del: fc.nat({ max: 30 }), text: fragment }), { minLength: 1, maxLength: 10 }), (first, edits) => {
      const s = session();
      let text = first;
      s.check(text, 'first');
      for (const e of edits) {
        const at = Math.min(text.length, Math.floor(e.at * (text.length + 1)));
        text = text.slice(0, at) + e.text + text.slice(Math.min(text.length, at + e.del));
        s.check(text, `after ${JSON.stringify(e.text)} at ${at}`);
      }
    }),
    runs(200),
  );
});
