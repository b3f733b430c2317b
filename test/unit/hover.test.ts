// Hover: exact markdown for a few entries (the text users read), and the contexts hover covers.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { complete, hoverText } from '../helpers/cursor';

describe('hover: exact markdown', () => {
  it('documents an option flag that shares a bit with a TLS version flag', () => {
    assert.equal(
      hoverText('ssl = { options = { "no_dtls|v1_2" } }'),
      [
        '**no_dtlsv1_2** — option flag',
        'Meant for DTLS 1.2, but in a TLS context it turns TLS 1.2 off.',
        'Verified: with this flag a TLS 1.2 client fails while TLS 1.3 still works. Remove it.',
        'Sets the same OpenSSL bit(s) as `no_tlsv1_2`.',
        'LuaSec 0.6+.',
        '**Security:** Shares its bit with `no_tlsv1_2`: it silently disables TLS 1.2 on Prosody\'s TLS connections.',
        '[OpenSSL manual: SSL_CTX_set_options](https://docs.openssl.org/3.0/man3/SSL_CTX_set_options/)',
      ].join('\n\n'),
    );
  });

  it('says a client-side flag does nothing in a table Prosody builds server contexts alone from', () => {
    const note = /\*\*Here it does nothing\*\*: Prosody builds only server contexts from `c2s_ssl`/;
    assert.match(hoverText('c2s_ssl = { options = { "legacy_server_con|nect" } }')!, note);
    assert.match(hoverText('VirtualHost "a.example"\n  c2s_ssl = { options = { legacy_server_con|nect = true } }')!, note);
    assert.match(hoverText('c2s_direct_tls_ssl = { options = { "legacy_server_con|nect" } }')!, /only server contexts from `c2s_direct_tls_ssl`/);
    // Where Prosody connects out with the table, the flag counts: no such note.
    for (const t of ['ssl', 's2s_ssl', 'client_https_ssl']) assert.doesNotMatch(hoverText(`${t} = { options = { "legacy_server_con|nect" } }`)!, /does nothing/);
    assert.doesNotMatch(hoverText('c2s_ssl = { options = { "no_tic|ket" } }')!, /Here it does nothing/);
  });

  it('documents a config-loader function, and warns on a line that lacks it', () => {
    const md = hoverText('ssl = { password = File|Line("/etc/prosody/pw") }', '0.12');
    assert.ok(md?.startsWith('**FileLine()** — function of Prosody\'s config loader'), md);
    assert.match(md!, /Available since Prosody 13\.0\.0\./);
    assert.match(md!, /⚠ Prosody 0\.12 has no such function/);
    assert.doesNotMatch(hoverText('ssl = { password = Cred|ential "tls" }', '13.0')!, /⚠/);
    // A field or key of that name is not the function.
    assert.equal(hoverText('x = util.File|Line("p")', '0.12'), undefined);
    assert.equal(hoverText('t = { File|Line = 1 }', '0.12'), undefined);
    // The file's own function of that name.
    assert.equal(hoverText('local function FileLine(p) return p end\nVirtualHost "a"\nssl = { password = File|Line("p") }', '0.12'), undefined);
    // Above its declaration the name is still the loader's, as function-too-new judges it.
    assert.match(hoverText('ssl = { password = File|Line("p") }\nlocal function FileLine(p) return p end\n', '0.12')!, /⚠ Prosody 0\.12 has no such function/);
    // The loader's `Lua` table (13.0).
    const lua = hoverText('admins = { L|ua.os.getenv("ADMIN") }', '0.12');
    assert.ok(lua?.startsWith('**Lua** — table of Prosody\'s config loader'), lua);
    assert.match(lua!, /⚠ Prosody 0\.12 has no such name/);
  });

  it('documents tls_profile with its accepted values, default and version', () => {
    const md = hoverText('tls_prof|ile = "modern"');
    assert.equal(
      md,
      [
        '**tls_profile** — Prosody option (string; global)',
        'Chooses a preset of protocol versions and ciphers that your own `ssl` settings are layered on (0.12+).',
        '`"intermediate"` (default) follows Mozilla\'s recommendation for general servers; `"modern"` allows only TLS 1.3; `"old"` re-enables TLS 1.0/1.1 and weak suites; `"legacy"` applies no preset.',
        'A misspelt value silently means `legacy` in 0.12.0–0.12.4; from 0.12.5 Prosody refuses to create TLS contexts, so every encrypted connection fails.',
        'Accepted: `intermediate`, `modern`, `old`, `legacy`',
        'Default in Prosody 13.0: `"intermediate"`',
        'Available since Prosody 0.12.0.',
        '[Prosody documentation](https://prosody.im/doc/certificates)',
      ].join('\n\n'),
    );
  });

  it('gives the default in force for the Prosody version, incl. the tls_profile preset', () => {
    assert.match(hoverText('ssl = { prot|ocol = "tlsv1_2+" }', '13.0')!, /Default in Prosody 13\.0: `"tlsv1_2\+"` \(from tls_profile "intermediate"\)/);
    assert.match(hoverText('ssl = { prot|ocol = "tlsv1_2+" }', '0.11')!, /Default in Prosody 0\.11: `"tlsv1\+"`$/m);
    assert.match(hoverText('ssl = { prot|ocol = "tlsv1_2+" }', '0.9')!, /Default in Prosody 0\.9: `"sslv23"`/);
    // A first-line directive overrides the setting.
    assert.match(hoverText('-- prosody-ssl: version=0.10\nssl = { prot|ocol = "tlsv1_2+" }', '13.0')!, /Default in Prosody 0\.10: `"tlsv1\+"`/);
  });
});

describe('hover: contexts', () => {
  it('on values inside strings', () => {
    assert.match(hoverText('ssl = { protocol = "tlsv1_|2+" }')!, /^\*\*tlsv1_2\+\*\* — protocol/);
    assert.match(hoverText('ssl = { verify = "pe|er" }')!, /^\*\*peer\*\*/);
    assert.match(hoverText('tls_profile = "mod|ern"')!, /^\*\*modern\*\*/);
  });

  it('on flags written as map keys, and on segments of joined strings', () => {
    assert.match(hoverText('ssl = { options = { no_tic|ket = true } }')!, /^\*\*no_ticket\*\*/);
    assert.match(hoverText('ssl = { curveslist = "X25519:P-3|84" }')!, /^\*\*(P-384|secp384r1)\*\*/);
  });

  it('on groups a later OpenSSL added, with or without the ? prefix, naming the release they need', () => {
    assert.match(hoverText('ssl = { curveslist = "?X25519ML|KEM768:X25519" }')!, /^\*\*X25519MLKEM768\*\* — group \(OpenSSL 3\.5 and later\)[\s\S]*refuses/);
    assert.match(hoverText('ssl = { curveslist = "X25519:brainpoolP256r1|tls13" }')!, /OpenSSL 3\.2 and later/);
    assert.equal(hoverText('ssl = { curveslist = "X25519:Bogus|Group" }'), undefined, 'an unknown name gets none');
    assert.match(hoverText('ssl = { curveslist = "*X255|19:P-256" }')!, /^\*\*X25519\*\* — group/, 'a known group behind a 3.5 prefix');
    assert.match(hoverText('ssl = { curveslist = "X25519MLKEM768/X2|5519:P-256" }')!, /^\*\*X25519\*\* — group/, 'the group under the cursor in a tuple');
    assert.match(hoverText('ssl = { curveslist = "X25519MLK|EM768/X25519" }')!, /^\*\*X25519MLKEM768\*\*/);
  });

  it('says when a value is not accepted by the Prosody version in force', () => {
    assert.match(hoverText('ssl = { protocol = "tlsv1_2|+" }', '0.9')!, /Not accepted by Prosody 0\.9/);
  });

  it('a service\'s ssl table says it is read per host for SNI from 0.12', () => {
    const md = hoverText('VirtualHost "a.example"\n  c2s_direct_tls|_ssl = { certificate = "a.crt" }', '13.0')!;
    assert.match(md, /^\*\*c2s_direct_tls_ssl\*\* — Prosody option \(table; global, VirtualHost \(since 0\.12\.0, for SNI\)\)/);
    assert.match(hoverText('https|_ssl = {}', '13.0')!, /^\*\*https_ssl\*\* — Prosody option \(table; global, VirtualHost \(since 0\.12\.0\)\)/, 'https_ssl has its host scope in the catalog already');
  });

  it('after VirtualHost "*" the effective settings are the global ones', () => {
    const md = hoverText('VirtualHost "a.example"\nVirtualHost "*"\n  s|sl = { protocol = "tlsv1_3" }')!;
    assert.match(md, /\*\*Effective c2s settings\*\* \(global defaults/);
  });

  it('a key\'s default follows the table: s2s_ssl gets Prosody\'s s2s peer verification (a reviewer: it said "none")', () => {
    assert.match(hoverText('s2s_ssl = { ver|ify = "peer" }', '13.0')!, /Default in Prosody 13\.0 for server-to-server connections: `\{ "peer", "client_once" \}` \(from Prosody's s2s peer verification\)/);
    const global = hoverText('ssl = { ver|ify = "peer" }', '13.0')!;
    assert.match(global, /Default in Prosody 13\.0: `"none"`/);
    assert.match(global, /On server-to-server connections Prosody's s2s peer verification sets `\{ "peer", "client_once" \}`/);
    assert.doesNotMatch(hoverText('c2s_ssl = { ver|ify = "peer" }', '13.0')!, /On server-to-server connections|for server-to-server connections:/);
    assert.doesNotMatch(hoverText('s2s_ssl = { ver|ify = "peer" }', '0.11')!, /s2s peer verification/, 'no such layer before 0.12');
  });

  it('the completion detail says the same as the hover (a reviewer: it said "none" in s2s_ssl)', () => {
    const verify = (text: string, line: '0.12' | '13.0'): string | undefined => complete(text, line).items.find((i) => i.label === 'verify')?.detail;
    assert.match(verify('s2s_ssl = { | }', '13.0') ?? '', /default \{ "peer", "client_once" \}/);
    assert.match(verify('s2s_ssl = { | }', '0.12') ?? '', /default \{ "peer", "client_once" \}/);
    assert.match(complete('s2s_ssl = { | }', '13.0').items.find((i) => i.label === 'verifyext')?.detail ?? '', /lsec_continue/);
    assert.match(verify('c2s_ssl = { | }', '13.0') ?? '', /default "none"/);
  });

  it(`verify in client_https_ssl: Prosody's fixed "peer" wins (a reviewer's 0.12.3 run)`, () => {
    const md = hoverText('client_https_ssl = { ver|ify = "none" }', '13.0')!;
    assert.match(md, /always use `"peer"`: Prosody sets it over `client_https_ssl`, so a value written here changes nothing/);
    assert.doesNotMatch(md, /Default in Prosody 13\.0: `"none"`/);
    assert.match(complete('client_https_ssl = { | }', '0.12').items.find((i) => i.label === 'verify')?.detail ?? '', /always "peer"/);
    assert.match(hoverText('client_https_ssl = { dep|th = 3 }', '13.0')!, /Default in Prosody 13\.0: `9`/);
  });

  it('a curveslist string splits at \':\' only, as OpenSSL does (a reviewer: "X25519,P-256" read as two groups)', () => {
    assert.match(hoverText('ssl = { curveslist = "X25519:P-2|56" }', '13.0') ?? '', /P-256|prime256v1/);
    assert.equal(hoverText('ssl = { curveslist = "X25519,P-2|56" }', '13.0'), undefined);
  });

  it('on a Component ssl table: s2s settings only (Prosody loads mod_c2s on hosts, not components)', () => {
    const md = hoverText('Component "c.a.example"\n  s|sl = { certificate = "x.crt" }')!;
    assert.doesNotMatch(md, /Effective c2s settings/);
    assert.match(md, /\*\*Effective s2s settings\*\* \(Component "c\.a\.example"/);
  });

  it('on a host ssl table: the effective c2s and s2s settings with their origin', () => {
    const md = hoverText('ssl = { protocol = "tlsv1_3" }\nVirtualHost "a.example"\n  s|sl = { options = { no_ticket = false } }')!;
    assert.match(md, /\*\*Effective c2s settings\*\* \(VirtualHost "a\.example", Prosody 13\.0\)/);
    assert.match(md, /\| `protocol` \| `"tlsv1_3"` \| global ssl \|/);
    assert.match(md, /\*\*Effective s2s settings\*\*/);
    assert.match(md, /\| `verify` \| `\{ "peer", "client_once" \}` \| Prosody \(s2s peer verification\) \|/);
    // The host switched no_ticket off: it is not in the effective option set.
    const options = /\| `options` \| `([^`]*)`/.exec(md)![1]!;
    assert.ok(!options.includes('no_ticket'), options);
    // What this host gets comes right after the option's summary; the general text follows (a real-editor review: the
    // tables sat below some fifteen lines of it).
    const at = (s: string): number => md.indexOf(s);
    assert.ok(at('**Effective c2s settings**') < at('Globally it reaches everything') && at('TLS settings for every connection') < at('**Effective c2s settings**'), md);
  });

  it('on the global ssl table: the option’s text first, then the global effective settings', () => {
    const md = hoverText('s|sl = { protocol = "tlsv1_3" }\n')!;
    assert.ok(md.indexOf('Globally it reaches everything') < md.indexOf('**Effective c2s settings**'), md);
  });

  it('the effective settings read the two global options the defaults depend on (ssl_compression, use_dane)', () => {
    const md = hoverText('ssl_compression = true\nuse_dane = true\ns|sl = { protocol = "tlsv1_2+" }', '0.12')!;
    const options = /\| `options` \| `([^`]*)`/.exec(md)![1]!;
    assert.ok(!options.includes('no_compression') && options.includes('no_ticket'), options);
    assert.match(md, /\| `dane` \| `\{ "no_ee_namechecks" \}` \| default \|/);
    const plain = hoverText('s|sl = { protocol = "tlsv1_2+" }', '0.12')!;
    assert.match(/\| `options` \| `([^`]*)`/.exec(plain)![1]!, /no_compression/);
    assert.doesNotMatch(plain, /\| `dane` \|/);
    // 0.9: a list of defaults, and no DANE.
    const old = hoverText('ssl_compression = true\nuse_dane = true\ns|sl = { protocol = "sslv23" }', '0.9')!;
    assert.ok(!/\| `options` \| `([^`]*)`/.exec(old)![1]!.includes('no_compression'));
    assert.doesNotMatch(old, /\| `dane` \|/);
  });

  it('under a computed table the effective settings say it may replace them', () => {
    // (A local holding a table literal is that literal, shown as written: a call is what stays unknown.)
    const md = hoverText('local t = load_tls()\nssl = t\nVirtualHost "a.example"\n  c2s|_ssl = { ciphers = "HIGH" }')!;
    assert.match(md, /\*\*Effective c2s settings\*\*[^\n]*\n\nA TLS table in force here is computed when Prosody runs/);
    assert.doesNotMatch(hoverText('ssl = { protocol = "tlsv1_3" }\nVirtualHost "a.example"\n  c2s|_ssl = { ciphers = "HIGH" }')!, /computed when Prosody runs/);
  });

  it('with an unknown tls_profile: no effective settings on 13.0 (no context is created); on 0.12 both behaviours of its releases', () => {
    const md = hoverText('tls_profile = "intermediat"\ns|sl = { protocol = "tlsv1_2+" }', '13.0')!;
    assert.match(md, /\*\*No effective settings\*\*: with `tls_profile = "intermediat"` Prosody 13\.0 creates no TLS context/);
    assert.doesNotMatch(md, /Effective c2s settings/);
    // 0.12.0–0.12.4 (Debian 12's 0.12.3) apply no preset, as for legacy: their tables are shown.
    const old = hoverText('tls_profile = "intermediat"\ns|sl = { protocol = "tlsv1_2+" }', '0.12')!;
    assert.match(old, /Prosody 0\.12\.5 and later create no TLS context[^]*0\.12\.0–0\.12\.4 apply no preset \(as `legacy`\)/);
    assert.match(old, /Effective c2s settings/);
    assert.doesNotMatch(old, /tls_profile "intermediat"/);
    assert.match(hoverText('tls_profile = "intermediat"\ns|sl = { protocol = "tlsv1_2+" }', '0.11')!, /Effective c2s settings/, 'not read before 0.12');
  });

  it('on 0.9 a host table replaces the global one wholesale', () => {
    const md = hoverText('ssl = { protocol = "tlsv1" }\nVirtualHost "a.example"\n  s|sl = { key = "a.key" }', '0.9')!;
    assert.match(md, /\| `protocol` \| `"sslv23"` \| default \|/);
    assert.match(md, /\| `key` \| `"a\.key"` \| host ssl \|/);
  });

  it('documents bracketed keys as it does plain ones', () => {
    const plain = hoverText('ssl = { options = { no_tic|ket = true } }');
    assert.match(plain!, /no_ticket/);
    assert.equal(hoverText('ssl = { options = { ["no_tic|ket"] = true } }'), plain);
    assert.equal(hoverText("ssl = { options = { [ [[no_tic|ket]] ] = true } }"), plain);
    assert.match(hoverText('ssl = { ["proto|col"] = "tlsv1_2+" }')!, /^\*\*protocol\*\*/);
    assert.equal(hoverText('ssl = { options = { "x", ["no_tic|ket"] } }'), undefined, 'an index, not a key');
  });

  it('names the cipher word under the cursor in a long string that starts with a line break', () => {
    const plain = hoverText('ssl = { ciphers = "HI|GH:!aNULL" }')!;
    assert.match(plain, /HIGH/);
    assert.equal(hoverText('ssl = { ciphers = [[\nHI|GH:!aNULL]] }'), plain);
  });

  it('gives nothing on look-alikes, comments and unknown words', () => {
    assert.equal(hoverText('sql = { ss|l = { protocol = "x" } }'), undefined);
    assert.equal(hoverText('local ss|l = { protocol = "tlsv1" }'), undefined);
    assert.equal(hoverText('-- ss|l = {}'), undefined);
    assert.equal(hoverText('modules_ena|bled = { "tls" }'), undefined);
  });
});

describe('hover: deprecations per Prosody line', () => {
  it('legacy_ssl_* is deprecated from 0.12 only: before, its replacement does not exist', () => {
    assert.match(hoverText('legacy_ssl_po|rts = { 5223 }', '0.12')!, /\*\*Deprecated:\*\*.*c2s_direct_tls_ports/);
    assert.doesNotMatch(hoverText('legacy_ssl_po|rts = { 5223 }', '0.11')!, /Deprecated/);
    assert.doesNotMatch(hoverText('legacy_ssl_po|rts = { 5223 }', '0.9')!, /Deprecated/);
  });
});

describe('hover: defaults of set-merged keys', () => {
  it('options on 0.12+ keeps the built-in flags the preset does not mention', () => {
    const md = hoverText('ssl = { opt|ions = { "no_ticket" } }', '13.0')!;
    assert.match(md, /Default in Prosody 13\.0: `\{ cipher_server_preference = false, no_ticket = true, no_compression = true/);
    assert.match(md, /merged with tls_profile "intermediate"/);
  });

  it('a default that changed within 0.12, and none under an unknown tls_profile (a reviewer)', () => {
    assert.match(hoverText('ssl = { ciph|ers = "x" }', '0.12')!, /\(from tls_profile "intermediate"\) \(0\.12\.0–0\.12\.3: without `DHE-RSA-CHACHA20-POLY1305`\)/);
    assert.doesNotMatch(hoverText('ssl = { ciph|ers = "x" }', '13.0')!, /0\.12\.0–0\.12\.3/);
    const unknown = 'tls_profile = "bogus"\nssl = { proto|col = "x" }';
    assert.match(hoverText(unknown, '13.0')!, /No default applies in Prosody 13\.0 here: the `tls_profile` in force is no profile it knows, so it builds no TLS context at all/);
    assert.doesNotMatch(hoverText(unknown, '13.0')!, /Default in Prosody 13\.0/);
    assert.match(hoverText(unknown, '0.12')!, /\(0\.12\.0–0\.12\.4, which fall back to this for a `tls_profile` they do not know, as this one; 0\.12\.5\+ build no TLS context at all\)/);
  });

  it('verifyext on 13.0: the s2s layer adds its flags to what the tables set, it does not replace them (a reviewer)', () => {
    const md = hoverText('ssl = { verify|ext = { "crl_check" } }', '13.0')!;
    assert.match(md, /s2s peer verification adds `\{ "lsec_continue", "lsec_ignore_purpose" \}` to what the tables set\./);
    // A key that is replaced, not merged, keeps the other wording.
    assert.match(hoverText('ssl = { veri|fy = "none" }', '13.0')!, /unless a host or `s2s_ssl` table sets it\./);
  });
});


describe('hover: effective options sources', () => {
  it('the effective options name every layer that shaped them, also one that only switched a flag off', () => {
    const text = hoverText('tls_profile = "old"\nssl = { options = { cipher_server_preference = false } }\nVirtualHost "a"\n  ss|l = { protocol = "tlsv1_2+" }\n', '0.12') ?? '';
    const row = text.split('\n').find((l) => l.startsWith('| `options`'));
    assert.ok(row && /global ssl/.test(row) && /default/.test(row), row);
    assert.ok(!row.includes('cipher_server_preference'), 'the flag switched off is not listed');
  });
});

// What a reviewer found wrong in the texts, checked against 0.12.3 and LuaSec 1.2 for real.
describe('hover: texts checked against real runs', () => {
  it('a host certificate option says the certificates directory index comes first (0.12+)', () => {
    assert.match(hoverText('VirtualHost "a.example"\n  certif|icate = "other/a.crt"\n', '0.12')!, /From 0\.12 the lookup asks the index of the `certificates` directory first/);
  });
  it('lsec_ignore_purpose checks for the server purpose, no_ticket leaves nothing to resume', () => {
    assert.match(hoverText('ssl = { verifyext = { "lsec_ignore_pur|pose" } }', '0.12')!, /for the server purpose \(serverAuth\) instead of the client one/);
    assert.match(hoverText('ssl = { options = { "no_tic|ket" } }', '0.12')!, /no session resumes: every reconnect is a full handshake/);
    // The value's text agrees with the key's: as a client OpenSSL still verifies, and Prosody reads the result.
    assert.match(hoverText('s2s_ssl = { verify = "no|ne" }', '0.12')!, /As a server, do not ask the peer for a certificate .*; as a client, carry on whatever the server's certificate verification says/);
  });
});
