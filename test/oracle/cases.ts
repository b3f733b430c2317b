// Generated `ssl` tables for the oracle: every value family the validator judges, valid and invalid.
// Each case is the Lua source of a user's `ssl` table. KEY / CERT name the generated key pair; no case refers to a
// missing file (missing files are another check's business).
import type { OracleCase } from './oracle';

/** Lua string literal for an ASCII string. */
export function luaQuote(s: string): string {
  return '"' + s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\r/g, '\\r') + '"';
}

/** `{ "a", "b" }` */
export function luaList(items: readonly string[]): string {
  return '{ ' + items.map(luaQuote).join(', ') + ' }';
}

/** The 53 option names Debian's LuaSec 1.2.0 on OpenSSL 3.0 accepts (its ssl.config.options). */
export const OPTION_FLAGS: readonly string[] = [
  'all', 'allow_client_renegotiation', 'allow_no_dhe_kex', 'allow_unsafe_legacy_renegotiation',
  'cipher_server_preference', 'cisco_anyconnect', 'cleanse_plaintext', 'cookie_exchange', 'cryptopro_tlsext_bug',
  'disable_tlsext_ca_names', 'dont_insert_empty_fragments', 'enable_ktls', 'enable_middlebox_compat', 'ephemeral_rsa',
  'ignore_unexpected_eof', 'legacy_server_connect', 'microsoft_big_sslv3_buffer', 'microsoft_sess_id_bug',
  'msie_sslv2_rsa_padding', 'netscape_ca_dn_bug', 'netscape_challenge_bug', 'netscape_demo_cipher_change_bug',
  'netscape_reuse_cipher_change_bug', 'no_anti_replay', 'no_compression', 'no_dtls_mask', 'no_dtlsv1', 'no_dtlsv1_2',
  'no_encrypt_then_mac', 'no_extended_master_secret', 'no_query_mtu', 'no_renegotiation',
  'no_session_resumption_on_renegotiation', 'no_ssl_mask', 'no_sslv2', 'no_sslv3', 'no_ticket', 'no_tlsv1',
  'no_tlsv1_1', 'no_tlsv1_2', 'no_tlsv1_3', 'pkcs1_check_1', 'pkcs1_check_2', 'prioritize_chacha',
  'safari_ecdhe_ecdsa_bug', 'single_dh_use', 'single_ecdh_use', 'ssleay_080_client_dh_bug',
  'sslref2_reuse_cert_type_bug', 'tls_block_padding_bug', 'tls_d5_bug', 'tls_rollback_bug', 'tlsext_padding',
];

type Builder = (add: (lua: string, note?: string) => void) => void;

/** Case families; ids are `<family>-<n>` so they stay stable as long as a family's list is only appended to. */
const families: Record<string, Builder> = {
  protocol(add) {
    for (const p of ['any', 'sslv23', 'tlsv1', 'tlsv1_1', 'tlsv1_2', 'tlsv1_3']) add(`{ protocol = ${luaQuote(p)} }`, 'LuaSec name');
    for (const p of ['sslv2+', 'sslv3+', 'tlsv1+', 'tlsv1_1+', 'tlsv1_2+', 'tlsv1_3+']) add(`{ protocol = ${luaQuote(p)} }`, 'Prosody x+ form');
    for (const p of ['sslv2', 'sslv3', 'tls', 'TLSv1.2', 'TLSv1_2', 'TLSV1_2+', 'Tlsv1_2+', 'tlsv1.2', 'tlsv1.2+',
      'tlsv1_2 +', ' tlsv1_2', 'tlsv1_2+ ', 'tlsv1_4', 'tlsv1_4+', 'tlsv12', 'tls1_2', 'tlsv1_2++', '', 'any+',
      'sslv23+', 'TLSv1_3', 'dtlsv1_2', 'tlsv1_0', 'ssl']) {
      add(`{ protocol = ${luaQuote(p)} }`, 'not a protocol name');
    }
    add('{ protocol = 12 }', 'number');
    add('{ protocol = 1.2 }', 'float');
    add('{ protocol = { "tlsv1_2" } }', 'table');
    add('{ protocol = true }', 'boolean');
    add('{ protocol = false }', 'false: plain replace');
  },
  optionList(add) {
    for (const f of OPTION_FLAGS) add(`{ options = { ${luaQuote(f)} } }`, 'known flag as list item');
  },
  optionMap(add) {
    for (const f of OPTION_FLAGS) add(`{ options = { ${f} = true } }`, 'known flag as map key');
  },
  optionMisc(add) {
    add('{ options = "no_ticket" }', 'string form');
    add('{ options = { no_ticket = false } }', 'map false');
    add('{ options = { "no_ticket", cipher_server_preference = false } }', 'mixed list and map');
    add('{ options = {} }', 'empty');
    for (const f of ['no_foo', 'NO_TICKET', 'no-ticket', 'no_tls1_3', 'no_tlsv1_3 ', 'no_tlsv13', 'no_sslv1',
      'no_tlsv1_4', 'single_dh', 'cipher_server_preferences', 'no_compresion', 'SSL_OP_NO_TICKET', 'ticket', '']) {
      add(`{ options = { ${luaQuote(f)} } }`, 'unknown flag in list');
    }
    add('{ options = { no_foo = true } }', 'unknown flag as map key');
    add('{ options = { no_foo = false } }', 'unknown flag switched off');
    add('{ options = "bogus" }', 'unknown flag as string');
    add('{ options = { true } }', 'boolean in list');
    add('{ options = { false } }', 'false in list');
    add('{ options = { 42 } }', 'number in list');
    add('{ options = { "no_ticket", true } }', 'flag and boolean');
    add('{ options = 42 }', 'number');
    add('{ options = true }', 'boolean');
    add('{ options = { no_ticket = 1 } }', 'map value not boolean');
    add('{ options = { { "no_ticket" } } }', 'nested table');
    add('{ options = "no_ticket,no_compression" }', 'comma-separated string');
    add('{ options = "no_ticket:no_compression" }', 'colon-separated string');
  },
  verify(add) {
    for (const v of ['none', 'peer', 'client_once', 'fail_if_no_peer_cert']) add(`{ verify = ${luaQuote(v)} }`, 'valid');
    for (const v of ['bogus', 'Peer', 'PEER', 'continue', 'ignore_purpose', 'lsec_continue', 'client-once', '', 'peer ']) {
      add(`{ verify = ${luaQuote(v)} }`, 'invalid');
    }
    add('{ verify = { "peer", "client_once" } }', 'valid list');
    add('{ verify = { "peer", "fail_if_no_peer_cert", "client_once" } }', 'valid list of three');
    add('{ verify = { "peer", "bogus" } }', 'list with a bad flag');
    add('{ verify = { "peer", "continue" } }', 'old verify-continue idiom');
    add('{ verify = {} }', 'empty list');
    add('{ verify = true }', 'boolean');
    add('{ verify = false }', 'false');
    add('{ verify = 1 }', 'number');
    add('{ verify = { peer = true } }', 'map form (not merged by Prosody)');
    add('{ verify = { true } }', 'boolean in list');
  },
  verifyext(add) {
    for (const v of ['lsec_continue', 'lsec_ignore_purpose', 'crl_check', 'crl_check_chain']) add(`{ verifyext = ${luaQuote(v)} }`, 'valid');
    for (const v of ['continue', 'ignore_purpose', 'bogus', 'peer', 'LSEC_CONTINUE', 'lsec-continue']) add(`{ verifyext = ${luaQuote(v)} }`, 'invalid');
    add('{ verifyext = { "lsec_continue", "lsec_ignore_purpose" } }', 'valid list');
    add('{ verifyext = { "lsec_continue", "continue" } }', 'list with a bad flag');
    add('{ verifyext = { lsec_continue = true } }', 'map true');
    add('{ verifyext = { lsec_continue = false } }', 'map false');
    add('{ verifyext = { bogus = true } }', 'unknown flag as map key');
    add('{ verifyext = { true } }', 'boolean in list');
    add('{ verifyext = true }', 'boolean');
    add('{ verifyext = 7 }', 'number');
  },
  dane(add) {
    add('{ dane = true }');
    add('{ dane = false }');
    add('{ dane = { "no_ee_namechecks" } }');
    add('{ dane = { "bogus" } }', 'unknown DANE flag');
    add('{ dane = "no_ee_namechecks" }', 'string instead of list');
    add('{ dane = {} }', 'empty list');
    add('{ dane = 1 }', 'number');
    add('{ dane = { "NO_EE_NAMECHECKS" } }', 'wrong case');
  },
  depth(add) {
    for (const d of ['9', '"9"', '"nine"', '1.5', '-1', 'true', '0', '100', '"1e1"', '9.0', '{ 9 }', 'false', 'math.huge']) {
      add(`{ depth = ${d} }`);
    }
  },
  curve(add) {
    for (const c of ['secp384r1', 'prime256v1', 'secp521r1', 'P-256', 'P-384', 'P-521', 'X25519', 'X448', 'secp256k1',
      'bogus', 'p-256', 'x25519', 'brainpoolP256r1', 'brainpoolP512r1', '', 'P-256:P-384', 'P-256,P-384',
      'ffdhe2048', 'SECP384R1', 'secp384', 'secp224r1', 'sect283k1', 'secp112r1', 'SM2', 'prime192v1']) {
      add(`{ curve = ${luaQuote(c)} }`);
    }
    add('{ curve = 1 }', 'number');
    add('{ curve = true }', 'boolean');
    add('{ curve = false }', 'false (Prosody default when curveslist is supported)');
    add('{ curve = { "P-256" } }', 'table');
  },
  curveslist(add) {
    for (const c of ['X25519:P-384:P-256:P-521', 'X25519:prime256v1:secp384r1', 'X448', 'x25519', 'X25519', 'P-256',
      'prime256v1', 'secp384r1', 'bogus', 'X25519:bogus', '', 'P-256,P-384', 'P-256 P-384', 'P-256: P-384',
      'ffdhe2048', 'ffdhe4096:ffdhe2048', 'secp256k1', 'brainpoolP256r1', 'X25519MLKEM768', 'brainpoolP256r1tls13', 'X25519:brainpoolP512r1tls13', '?X25519MLKEM768:X25519', '?bogus:X25519', '*X25519:P-256', 'X25519/P-256:P-384', 'DEFAULT', '*bogus', 'DEFAULT:-X448', 'X25519 / P-256', 'p-256', 'secp521r1:X448',
      'X25519:', ':X25519', 'sect283k1', 'secp112r1', 'SM2']) {
      add(`{ curveslist = ${luaQuote(c)} }`);
    }
    add('{ curveslist = { "X25519", "P-256" } }', 'list');
    add('{ curveslist = { "X25519", "bogus" } }', 'list with a bad curve');
    add('{ curveslist = {} }', 'empty list');
    add('{ curveslist = 1 }', 'number');
    add('{ curveslist = true }', 'boolean');
    add('{ curveslist = { "X25519:P-256" } }', 'list of one joined string');
  },
  ciphers(add) {
    for (const c of ['HIGH+kEDH:HIGH+kEECDH:HIGH:!PSK:!SRP:!3DES:!aNULL', 'HIGH+kEECDH:HIGH+kEDH:HIGH:!PSK:!SRP:!3DES:!aNULL',
      'DEFAULT', 'ALL:!aNULL', 'RC4', 'RC4-SHA', 'RC4:HIGH', 'EXPORT', 'NULL', 'eNULL', 'bogus', 'ALL:!ALL', '',
      'HIGH:bogus', 'DES-CBC3-SHA', '3DES', 'aNULL', '@SECLEVEL=0:ALL', 'HIGH:@STRENGTH', 'ECDHE-RSA-AES128-GCM-SHA256',
      'TLS_AES_128_GCM_SHA256', 'TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384', 'TLS_AES_128_GCM_SHA256:HIGH',
      'HIGH,!aNULL', 'HIGH !aNULL', 'high', 'ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384',
      'ECDHE+AESGCM', 'AES128-SHA', 'DHE-RSA-AES256-GCM-SHA384', 'ECDHE-ECDSA-AES128-GCM-SHA256', 'MEDIUM', 'LOW',
      '!ALL', 'SECLEVEL=2', '@SECLEVEL=5:HIGH', 'kRSA', 'PSK', 'CHACHA20']) {
      add(`{ ciphers = ${luaQuote(c)} }`);
    }
    add(`{ ciphers = ${luaList(['HIGH', '!aNULL'])} }`, 'list');
    add(`{ ciphers = ${luaList(['HIGH', '!aNULL', 'RC4'])} }`, 'list with an unmatched name');
    add(`{ ciphers = ${luaList(['RC4', 'EXPORT'])} }`, 'list that matches nothing');
    add(`{ ciphers = ${luaList(['TLS_AES_128_GCM_SHA256'])} }`, 'list of a TLS 1.3 name');
    add('{ ciphers = {} }', 'empty list');
    add('{ ciphers = 42 }', 'number');
    add('{ ciphers = true }', 'boolean');
  },
  ciphersuites(add) {
    for (const c of ['TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256', 'TLS_AES_128_CCM_SHA256',
      'TLS_AES_128_CCM_8_SHA256', 'TLS_AES_256_GCM_SHA384', 'bogus', '', 'TLS_AES_128_GCM_SHA256:bogus',
      'ECDHE-RSA-AES128-GCM-SHA256', 'HIGH', 'DEFAULT', 'tls_aes_128_gcm_sha256', 'TLS_AES_128_GCM_SHA256,TLS_AES_256_GCM_SHA384',
      'TLS13-AES-128-GCM-SHA256', 'TLS_CHACHA20_POLY1305_SHA256:ECDHE-RSA-AES128-GCM-SHA256']) {
      add(`{ ciphersuites = ${luaQuote(c)} }`);
    }
    add(`{ ciphersuites = ${luaList(['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384'])} }`, 'list');
    add(`{ ciphersuites = ${luaList(['ECDHE-RSA-AES128-GCM-SHA256'])} }`, 'list of a TLS 1.2 name');
    add(`{ ciphersuites = ${luaList(['bogus', 'TLS_AES_128_GCM_SHA256'])} }`, 'list, first bad');
    add('{ ciphersuites = {} }', 'empty list');
    add('{ ciphersuites = 1 }', 'number');
    add('{ ciphersuites = true }', 'boolean');
  },
  alpn(add) {
    add('{ alpn = { "xmpp-client" } }');
    add('{ alpn = { "xmpp-client", "xmpp-server" } }');
    add('{ alpn = "xmpp-client" }', 'string on a server context');
    add('{ alpn = {} }', 'empty list');
    add('{ alpn = { "" } }', 'empty name');
    add(`{ alpn = { ${luaQuote('x'.repeat(256))} } }`, 'name longer than 255');
    add(`{ alpn = { ${luaQuote('x'.repeat(255))} } }`, 'name of 255');
    add('{ alpn = function() return "xmpp-client" end }', 'function');
    add('{ alpn = 42 }', 'number');
    add('{ alpn = true }', 'boolean');
    add('{ alpn = { 1 } }', 'number in list');
    add('{ alpn = { "h2", "http/1.1" } }');
  },
  password(add) {
    add('{ password = "secret" }', 'unused (key is not encrypted)');
    add('{ password = 123 }', 'number');
    add('{ password = true }', 'boolean');
    add('{ password = function() return "secret" end }', 'function');
    add('{ password = {} }', 'table');
    add('{ password = "" }', 'empty string');
  },
  keycert(add) {
    add('{ key = KEY, certificate = CERT }', 'the generated pair');
    add('{ key = 123 }', 'number key');
    add('{ key = true }', 'boolean key');
    add('{ key = false }', 'false key');
    add('{ key = {} }', 'table key');
    add('{ certificate = 123 }', 'number certificate');
    add('{ certificate = true }', 'boolean certificate');
    add('{ certificate = { CERT } }', 'table certificate');
    add('{ key = CERT }', 'certificate file as key');
    add('{ certificate = KEY }', 'key file as certificate');
    add('{ key = CERT, certificate = KEY }', 'swapped');
    add('{ cafile = CERT }', 'CA file = the certificate');
    add('{ capath = "/etc/ssl/certs" }');
    add('{ cafile = 42 }', 'number cafile');
    add('{ dhparam = function() return nil end }', 'function');
    add('{ dhparam = true }', 'boolean dhparam');
    add('{ dhparam = 42 }', 'number dhparam');
  },
  unknownKeys(add) {
    for (const k of ['protocl', 'protocols', 'Protocol', 'cipher', 'cipher_suites', 'ciphersuite', 'curves', 'curve_list',
      'curves_list', 'option', 'verify_ext', 'depht', 'ssl_protocol', 'foo', 'certificates_dir', 'ca_file',
      'tls_profile', 'keyfile']) {
      add(`{ ${k} = "tlsv1_2+" }`, 'unknown key');
    }
    add('{ ["no_ticket"] = true }', 'option flag used as a key');
    add('{ [1] = "no_ticket" }', 'list item at top level');
    add('{ mode = "client" }', 'mode overridden');
    add('{ mode = "foo" }', 'unknown mode');
    add('{ mode = 1 }', 'numeric mode');
  },
  combos(add) {
    add('{ protocol = "tlsv1_2+", options = { "no_ticket" } }');
    add('{ protocol = "tlsv1_3", ciphers = "bogus" }', 'TLS 1.3 only still checks ciphers');
    add('{ protocol = "tlsv1_3", ciphers = "DEFAULT", ciphersuites = "TLS_AES_128_GCM_SHA256" }');
    add('{ curve = "bogus", curveslist = "X25519:P-256" }', 'curveslist makes curve unused');
    add('{ curve = "X25519", curveslist = "X25519" }');
    add('{ curve = "secp384r1", curveslist = "bogus" }');
    add('{ ciphers = "RC4", ciphersuites = "TLS_AES_128_GCM_SHA256" }');
    add('{ verify = "peer", verifyext = "continue" }');
    add('{ verify = { "peer", "client_once" }, verifyext = { "lsec_continue", "lsec_ignore_purpose" } }');
    add('{ protocl = "tlsv1_2+", ciphers = "HIGH" }', 'typo plus a valid key');
    add('{ protocol = "tlsv1_2+", options = { "no_tlsv1_3" } }', 'TLS 1.2 only via options');
    add('{ protocol = "tlsv1_3+", options = { "no_tlsv1_3" } }', 'every version disabled');
    add('{ protocol = "tlsv1_2", options = { "no_ssl_mask" } }');
    add('{ protocol = "bogus", ciphers = "bogus" }', 'first error wins');
    add('{ options = { "no_foo" }, verify = "bogus" }', 'processing order');
    add('{ depth = "nine", options = { "no_foo" } }', 'processing order');
    add('{ curveslist = "bogus", alpn = {} }', 'processing order');
    add('{ protocol = "tlsv1_2+", curveslist = { "X25519", "P-256" }, ciphers = { "HIGH", "!aNULL" } }', 'typical config');
    add('{ options = { cipher_server_preference = true, no_ticket = false, "no_compression" } }');
    add('{ dane = true, verify = "peer" }');
    add('{ key = KEY, certificate = CERT, protocol = "tlsv1_2+", options = { no_ticket = true } }');
    add('{ alpn = { "xmpp-client" }, protocol = "tlsv1_3" }');
  },
};

/** All generated cases (≥350), in a stable order. */
export function generateCases(): OracleCase[] {
  const out: OracleCase[] = [];
  for (const [family, build] of Object.entries(families)) {
    let n = 0;
    build((lua, note) => {
      n += 1;
      out.push({ id: `${family}-${n}`, lua, note: note ?? '' });
    });
  }
  return out;
}
