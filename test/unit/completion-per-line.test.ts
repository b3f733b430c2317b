// What completion inserts must be what the Prosody line in force accepts (a reviewer accepted every default on
// 0.9 and got Errors from our own rules), and a key that takes a list must get a list.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { createLanguageService } from '../../server/src/service';
import { complete, completeAndApply, labels, settings } from '../helpers/cursor';

/** Errors of a text at a line (what the reviewer got from accepted completions). */
function errors(text: string, line: '0.9' | '0.12' | '13.0'): string[] {
  const doc = TextDocument.create(`file:///per-line/${Math.random()}.cfg.lua`, 'prosody', 1, text);
  return createLanguageService()
    .doValidation(doc, { ...settings(line), checkFiles: 'off' })
    .filter((d) => d.severity === 1)
    .map((d) => `${d.code}: ${d.message}`);
}

describe('options the line does not have', () => {
  it('offer no keys or values inside them (all would do nothing; option-too-new says so)', () => {
    assert.deepEqual(labels('c2s_ssl = {\n  |\n}\n', '0.9'), []);
    assert.ok(labels('c2s_ssl = {\n  |\n}\n', '0.10').includes('protocol'));
    assert.deepEqual(labels('c2s_direct_tls_ssl = { protocol = "|" }\n', '0.11'), []);
    assert.deepEqual(labels('tls_server_end_point_hash = "|"\n', '0.12'), []);
    assert.ok(labels('tls_server_end_point_hash = "|"\n', '13.0').includes('auto'));
  });
});

describe('keys LuaSec ignores on the line', () => {
  it('curve, under the curveslist Prosody sets from 0.10, is offered last, struck through and saying why', () => {
    const curve = complete('ssl = {\n  |\n}\n', '0.12').items.find((i) => i.label === 'curve')!;
    assert.deepEqual(curve.tags, [1]);
    assert.match(curve.detail ?? '', /ignored while `curveslist` is in force/);
    assert.ok((curve.sortText ?? '').startsWith('95_'));
    // 0.9 has no curveslist: curve is the key that works there.
    const old = complete('ssl = {\n  |\n}\n', '0.9').items.find((i) => i.label === 'curve')!;
    assert.equal(old.tags, undefined);
  });

  it('in a host\'s direct-TLS table (its SNI context), keys taken from the port are offered last and say so', () => {
    const text = 'c2s_direct_tls_ports = { 5223 }\nVirtualHost "a.example"\n  c2s_direct_tls_ssl = {\n    |\n  }\n';
    const item = (line: '0.12' | '13.0', label: string) => complete(text, line).items.find((i) => i.label === label)!;
    assert.match(item('0.12', 'protocol').detail ?? '', /the port's value applies for this host \(SNI\)/);
    assert.ok((item('0.12', 'protocol').sortText ?? '').startsWith('95_'));
    // 0.12 takes the host's ciphers; 13.0 only its certificate and key.
    assert.equal(item('0.12', 'ciphers').tags, undefined);
    assert.deepEqual(item('13.0', 'ciphers').tags, [1]);
    assert.equal(item('13.0', 'certificate').tags, undefined);
    // The port's own table takes them all.
    assert.equal(complete('c2s_direct_tls_ssl = {\n  |\n}\n', '13.0').items.find((i) => i.label === 'protocol')!.tags, undefined);
  });

  it('nor is a value of such a key marked as weakening or doing nothing: none written there applies (sni-setting-ignored)', () => {
    const host = (table: string): string => `c2s_direct_tls_ports = { 5223 }\nVirtualHost "a.example"\n  c2s_direct_tls_ssl = { ${table} }\n`;
    const detail = (text: string, label: string): string => complete(text, '0.12').items.find((i) => i.label === label)?.detail ?? '';
    assert.match(detail(host('protocol = "|"'), 'tlsv1+'), /the port's value applies for this host \(SNI\)/);
    assert.doesNotMatch(detail(host('protocol = "|"'), 'tlsv1+'), /weakens/);
    assert.doesNotMatch(detail(host('options = { "|" }'), 'allow_unsafe_legacy_renegotiation'), /weakens/);
    assert.doesNotMatch(detail(host('options = { "|" }'), 'no_sslv2'), /no effect on OpenSSL 3/);
    // In the port's own table they still are.
    assert.match(detail('c2s_direct_tls_ssl = { protocol = "|" }\n', 'tlsv1+'), /weakens security/);
    assert.match(detail('c2s_direct_tls_ssl = { options = { "|" } }\n', 'no_sslv2'), /no effect on OpenSSL 3/);
  });
});

describe('option flags a later OpenSSL added', () => {
  it('are offered last on lines whose servers commonly ran an older OpenSSL, saying which they need; not from 0.12', () => {
    const item = (line: '0.11' | '0.12') => complete('ssl = { options = { "|" } }\n', line).items.find((i) => i.label === 'ignore_unexpected_eof')!;
    assert.match(item('0.11').detail ?? '', /needs OpenSSL 3\.0/);
    assert.ok((item('0.11').sortText ?? '').startsWith('80_'));
    assert.doesNotMatch(item('0.12').detail ?? '', /needs OpenSSL/);
    assert.match(String((item('0.11').documentation as { value: string }).value), /commonly ran on OpenSSL 1\.1\.1: a LuaSec built against it refuses this flag/);
    assert.doesNotMatch(String((item('0.12').documentation as { value: string }).value), /commonly ran on/);
  });
});

describe('keys a rule reports wherever they are written', () => {
  it('`mode` is never offered (Prosody picks it per connection; mode-set says to remove it), on any line or table', () => {
    for (const line of ['0.10', '0.12', '13.0'] as const) {
      for (const table of ['ssl', 'c2s_ssl', 's2s_ssl']) {
        const got = labels(`${table} = {\n  |\n}\n`, line);
        assert.ok(got.includes('verify') && !got.includes('mode'), `${table} on ${line}: ${got.join(' ')}`);
      }
    }
    // Its hover still explains it.
    const text = 'ssl = { mode = "client" }\n';
    const hover = createLanguageService().doHover(TextDocument.create('file:///m.cfg.lua', 'prosody', 1, text), { line: 0, character: 9 }, settings('13.0'));
    assert.match(JSON.stringify(hover), /mode/);
  });
});

describe('ssl keys on Prosody 0.9', () => {
  it('keys 0.9 never hands to LuaSec are not offered; later lines offer them', () => {
    const on09 = labels('ssl = {\n  |\n}\n', '0.9');
    for (const k of ['curveslist', 'ciphersuites', 'alpn', 'dane', 'mode']) assert.ok(!on09.includes(k), `${k} on 0.9`);
    assert.ok(on09.includes('curve') && on09.includes('protocol') && on09.includes('options'));
    assert.ok(labels('ssl = {\n  |\n}\n', '0.12').includes('curveslist'));
    // Nor values for them, once written.
    assert.deepEqual(labels('ssl = { curveslist = "|" }\n', '0.9'), []);
    assert.deepEqual(labels('ssl = { alpn = | }\n', '0.9'), []);
    assert.ok(labels('ssl = { curveslist = "|" }\n', '0.12').includes('X25519'));
  });

  it('curve names only as OpenSSL spells them (0.9\'s LuaSec refuses P-384); later lines offer both', () => {
    const l = labels('ssl = { curve = "|" }', '0.9');
    assert.ok(l.includes('secp384r1') && !l.includes('P-384') && !l.includes('brainpoolP256r1'), l.join(' '));
    assert.ok(labels('ssl = { curve = "|" }', '0.10').includes('P-384'));
  });

  it('the protocol and options inserted are ones 0.9 accepts, and the rules agree', () => {
    const protocol = completeAndApply('ssl = {\n  |\n}\n', 'protocol', '0.9');
    // TLS 1.2 pinned: 0.9 has no `+` forms, and `sslv23` alone is what unsafe-protocol reports (TLS 1.0/1.1 stay on).
    assert.match(protocol, /protocol = "tlsv1_2"/);
    assert.deepEqual(errors(protocol, '0.9'), []);
    const doc09 = TextDocument.create('file:///per-line/protocol09.cfg.lua', 'prosody', 1, protocol);
    assert.deepEqual(createLanguageService().doValidation(doc09, { ...settings('0.9'), checkFiles: 'off' }).filter((d) => d.code === 'unsafe-protocol'), []);
    const options = completeAndApply('ssl = {\n  |\n}\n', 'options', '0.9');
    // A list (0.9 ignores maps), holding 0.9's defaults, since a user list replaces them - less the flags that do
    // nothing on OpenSSL 1.1.0+ (no_sslv2, single_dh_use, …), which noop-option would then flag.
    assert.match(options, /options = \{ "no_sslv3", "cipher_server_preference", "no_ticket", "no_compression" \}/);
    assert.deepEqual(errors(options, '0.9'), []);
    const doc = TextDocument.create('file:///per-line/options09.cfg.lua', 'prosody', 1, options);
    assert.deepEqual(createLanguageService().doValidation(doc, { ...settings('0.9'), checkFiles: 'off' }).filter((d) => d.code === 'noop-option'), []);
    // Later lines keep the forms they accept.
    assert.match(completeAndApply('ssl = {\n  |\n}\n', 'protocol', '0.12'), /protocol = "tlsv1_2\+"/);
    assert.match(completeAndApply('ssl = {\n  |\n}\n', 'options', '0.12'), /options = \{ no_ticket = true \}/);
  });
});

describe('keys that take a list', () => {
  it('alpn = | inserts a one-item list, which the rules accept', () => {
    const text = completeAndApply('ssl = { alpn = | }\n', 'xmpp-client', '13.0');
    assert.equal(text, 'ssl = { alpn = { "xmpp-client" } }\n');
    assert.deepEqual(errors(text, '13.0'), []);
  });

  it('dane = | offers true, false and a list of flags, never a bare string', () => {
    const got = labels('ssl = { dane = | }\n', '13.0');
    assert.ok(got.includes('true') && got.includes('false') && got.includes('no_ee_namechecks'), got.join());
    assert.equal(completeAndApply('ssl = { dane = | }\n', 'no_ee_namechecks', '13.0'), 'ssl = { dane = { "no_ee_namechecks" } }\n');
  });

  it('inside a string, where no value of theirs can go, nothing is offered', () => {
    assert.deepEqual(labels('ssl = { alpn = "|" }\n', '13.0'), []);
  });
});

describe('a statement completed right before another', () => {
  it('ends with a line break instead of running into the next name (a reviewer: `falses2s_secure_auth`)', () => {
    const text = completeAndApply('c2s_require_encryption = true\n|s2s_secure_auth = true\n', 'ssl_compression', '13.0');
    assert.equal(text, 'c2s_require_encryption = true\nssl_compression = false\ns2s_secure_auth = true\n');
    // At the end of a line nothing is added.
    assert.equal(completeAndApply('c2s_require_encryption = true\n|\n', 'ssl_compression', '13.0'), 'c2s_require_encryption = true\nssl_compression = false\n');
  });
});

describe('a value completed right before the value already written', () => {
  it('replaces it instead of running into it (a reviewer: "tlsv1_3+""tlsv1_2+")', () => {
    assert.equal(completeAndApply('ssl = {\n  protocol = |"tlsv1_2+";\n}\n', 'tlsv1_3', '13.0'), 'ssl = {\n  protocol = "tlsv1_3";\n}\n');
    assert.equal(completeAndApply('s2s_secure_auth = |true\n', 'false', '13.0'), 's2s_secure_auth = false\n');
    // In front of a table nothing fits.
    assert.deepEqual(labels('ssl = { options = |{ "no_sslv2" } }\n', '13.0'), []);
    // With a blank between, the cursor is not in front of the value: insertion as before.
    assert.ok(labels('ssl = { protocol = | }\n', '13.0').includes('tlsv1_3'));
  });
});

describe('no statement inside an expression that goes on', () => {
  it('between a Component\'s two strings, inside [ ] or ( ) after a string: nothing (a reviewer\'s corpus positions)', () => {
    assert.deepEqual(labels('Component "c.example"| "muc"\n', '13.0'), []);
    assert.deepEqual(labels('https_security_headers["X"|]\n', '13.0'), []);
    assert.deepEqual(labels('Lua.print("x"|)\n', '13.0'), []);
    // Where a statement may follow on the same line, options are still offered.
    assert.ok(labels('VirtualHost "a"|\n', '13.0').includes('ssl'));
    assert.ok(labels('Component "c.example" "muc"\n|\n', '13.0').includes('ssl'));
  });
});

describe('service certificates', () => {
  it('<service>_certificate is offered at global level from 0.10, by the name certmanager reads (a reviewer: never offered)', () => {
    const on12 = labels('|\n', '0.12');
    for (const n of ['https_certificate', 'c2s_direct_tls_certificate', 's2s_direct_tls_certificate', 'multiplex_ssl_certificate', 'legacy_ssl_certificate']) assert.ok(on12.includes(n), `${n} on 0.12`);
    // The multiplex service's option prefix is `ssl`: `ssl_certificate` is read by nothing.
    assert.ok(!on12.includes('ssl_certificate'));
    // Deprecated with its service on 0.12.
    const legacy = complete('|\n', '0.12').items.find((i) => i.label === 'legacy_ssl_certificate')!;
    assert.deepEqual(legacy.tags, [1]);
    const on10 = labels('|\n', '0.10');
    assert.ok(on10.includes('https_certificate') && on10.includes('legacy_ssl_certificate'));
    assert.ok(!on10.includes('c2s_direct_tls_certificate'), 'no c2s_direct_tls service before 0.12');
    // certmanager's find_service_cert came in 0.10; and it reads the global section only.
    assert.ok(!labels('|\n', '0.9').includes('https_certificate'));
    assert.ok(!labels('VirtualHost "a.example"\n  |\n', '0.12').includes('https_certificate'));
    // What completion inserts is accepted as written.
    assert.deepEqual(errors('https_certificate = "certs/https.crt"\n', '0.12'), []);
  });
});
