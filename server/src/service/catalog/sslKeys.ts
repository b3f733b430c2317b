// Every key of an `ssl`-type table (facts §1.1, §2, §4.1). Defaults are Prosody's built-in ones,
// before any tls_profile preset is layered on top (profiles.ts has those).
import { optionFlags } from './optionFlags';
import type { SslKey } from './types';

const ADV = 'https://prosody.im/doc/advanced_ssl_config';
const LUASEC = 'https://github.com/lunarmodules/luasec/wiki';
const OSSL = 'https://docs.openssl.org/3.0/man3';

const ALL_LINES_NULL = { '0.9': null, '0.10': null, '0.11': null, '0.12': null, '13.0': null } as const;

/**
 * Keys 0.9 never hands to LuaSec: its certmanager builds LuaSec's table from a fixed list (mode, protocol, key,
 * password, certificate, capath, cafile, verify, verifyext, options, depth, curve, ciphers, dhparam) with its own
 * `mode`; the layered builder that passes every key came in 0.10.
 */
const SINCE_010 = { since: '0.10.0' } as const;

const OLD_CIPHERS = ['HIGH+kEDH', 'HIGH+kEECDH', 'HIGH', '!PSK', '!SRP', '!3DES', '!aNULL'] as const;
const NEW_CIPHERS = ['HIGH+kEECDH', 'HIGH+kEDH', 'HIGH', '!PSK', '!SRP', '!3DES', '!aNULL'] as const;
/** Forward-secret AEAD suites only: the `ciphers` we suggest (snippet, and where a string cannot be mended). */
// 0.9 hands the value to resolve_path, which indexes it as a string: a number, `true`, a table or a function throws
// (a reviewer read 0.9's certmanager). 0.10 drops whatever is not a string.
const PATH_0_9 = { '0.9': { shapes: ['string'], onWrongType: 'error' } } as const;

export const FORWARD_SECRET_CIPHERS = 'ECDHE+AESGCM:ECDHE+CHACHA20';
const OPTIONS_09 = ['no_sslv2', 'no_sslv3', 'cipher_server_preference', 'no_ticket', 'no_compression', 'single_dh_use', 'single_ecdh_use'] as const;
const VERIFYEXT_09 = ['lsec_continue', 'lsec_ignore_purpose'] as const;
const BASE_OPTIONS = { cipher_server_preference: true, no_ticket: true, no_compression: true, single_dh_use: true, single_ecdh_use: true };

/**
 * What a Lua error thrown by LuaSec while Prosody builds a context does (checked with Prosody 0.12.3): mod_tls builds
 * the client and server contexts together, so both go; the outgoing-HTTPS context built at start-up sits on the
 * global `ssl`. Shared by these docs and the rules' messages.
 */
export const LUA_ERROR_EFFECT = 'the module building the context fails to load with a traceback (for `ssl`, `c2s_ssl` or `s2s_ssl` that is mod_tls, so the hosts using the table get no STARTTLS at all, for clients or servers; from the global `ssl`, it can stop Prosody from starting)';

export const sslKeys: readonly SslKey[] = [
  {
    name: 'protocol',
    shapes: ['string'],
    onWrongType: 'error',
    values: 'protocol',
    writeInstead: 'Write e.g. `"tlsv1_2+"`.',
    merge: 'replace',
    sni: 'port',
    defaults: { '0.9': 'sslv23', '0.10': 'tlsv1+', '0.11': 'tlsv1+', '0.12': 'tlsv1+', '13.0': 'tlsv1+' },
    snippet: '"${1|tlsv1_2+,tlsv1_3|}"',
    // 0.9 knows no `+` forms: TLS 1.2 pinned is what unsafe-protocol accepts there; `sslv23` needs `no_tlsv1…` options.
    snippetOn: { '0.9': '"${1|tlsv1_2,sslv23|}"' },
    rank: 0,
    doc: {
      summary: 'Which TLS versions may be negotiated: a LuaSec method name, or (Prosody 0.10+) a minimum version written with a trailing `+`.',
      details: [
        'Write `"tlsv1_2+"` to allow TLS 1.2 and everything newer. Prosody turns a `+` form into `sslv23` plus `no_…` option flags for every older version before handing it to LuaSec; LuaSec alone would reject the `+` spelling.',
        'A name **without** `+` (such as `"tlsv1_2"`) pins both the lowest and the highest version with LuaSec 0.8 and later, so `"tlsv1_2"` silently switches TLS 1.3 off. `"sslv3"` and `"sslv2"` are refused by current LuaSec (`invalid protocol`).',
        'Since 0.12 the default `tls_profile` (`intermediate`) already sets `"tlsv1_2+"`; leaving this key out is usually best. Prosody 0.9 knows no `+` forms.',
      ].join('\n\n'),
      link: `${ADV}#protocol`,
    },
  },
  {
    name: 'certificate',
    shapes: ['string'],
    onWrongType: 'dropped',
    byLine: PATH_0_9,
    merge: 'path',
    sni: 'host',
    defaults: ALL_LINES_NULL,
    snippet: '"${1:certs/example.com.crt}"',
    rank: 1,
    doc: {
      summary: 'Path to the PEM certificate file, the server certificate followed by its intermediate chain.',
      details: [
        'Relative paths are taken from the directory of the main config file. Since 0.10 Prosody can find certificates on its own (see the `certificates` option and `prosodyctl cert import`), so this key is often unnecessary.',
        'Put the full chain (e.g. Let\'s Encrypt\'s `fullchain.pem`) here, not just the leaf certificate, or remote servers may fail to verify it. From 0.10 a value that is not a string is silently dropped; Prosody 0.9 throws a Lua error on one.',
      ].join('\n\n'),
      link: 'https://prosody.im/doc/certificates',
    },
  },
  {
    name: 'key',
    shapes: ['string'],
    onWrongType: 'dropped',
    byLine: PATH_0_9,
    merge: 'path',
    sni: 'host',
    defaults: ALL_LINES_NULL,
    snippet: '"${1:certs/example.com.key}"',
    rank: 1,
    doc: {
      summary: 'Path to the PEM private key that belongs to `certificate`.',
      details: [
        'Relative paths are taken from the directory of the main config file. The file must be readable by the user Prosody runs as, and should not be readable by anyone else.',
        'If the key does not match the certificate, LuaSec refuses the context (`private key does not match public key`). An encrypted key also needs `password`.',
      ].join('\n\n'),
      link: 'https://prosody.im/doc/certificates',
    },
  },
  {
    name: 'ciphers',
    shapes: ['string', 'list'],
    onWrongType: 'error',
    shapeSince: { list: '0.10.0' },
    writeInstead: 'Write a cipher string such as `"HIGH:!aNULL"`.',
    merge: 'replace-joined',
    defaults: {
      '0.9': OLD_CIPHERS.join(':'),
      '0.10': [...OLD_CIPHERS],
      '0.11': [...NEW_CIPHERS],
      '0.12': [...NEW_CIPHERS],
      '13.0': NEW_CIPHERS.join(':'),
    },
    defaultsEarlier: { '0.9': '0.9.0–0.9.1: `"HIGH:!DSS:!aNULL@STRENGTH"`', '0.11': '0.11.0–0.11.5: `HIGH+kEDH` before `HIGH+kEECDH`' },
    snippet: `"\${1:${FORWARD_SECRET_CIPHERS}}"`,
    rank: 2,
    doc: {
      summary: 'OpenSSL cipher string choosing the TLS 1.2-and-older cipher suites and their order.',
      details: [
        'Words are separated by `:`; `!X` removes suites for good, `-X` removes them for now, `+X` moves them to the end, `A+B` means suites matching both. Since 0.10 Prosody also accepts a Lua list, which it joins with `:`.',
        'OpenSSL only complains when **nothing** matches (`error setting cipher list (no cipher match)`); unknown or unavailable words are skipped silently, so a typo can quietly weaken the list. TLS 1.3 suites are not chosen here but by `ciphersuites`.',
        'The `tls_profile` presets (0.12+) already pick a reviewed list; overriding it means you stop getting Prosody\'s updates.',
      ].join('\n\n'),
      link: `${ADV}#ciphers`,
    },
  },
  {
    name: 'options',
    shapes: ['list', 'map', 'string'],
    onWrongType: 'error',
    shapeSince: { map: '0.10.0' },
    values: 'options',
    writeInstead: 'Write a list of flags such as `{ "no_ticket" }`.',
    merge: 'set',
    sni: 'port',
    defaults: {
      '0.9': [...OPTIONS_09],
      '0.10': { ...BASE_OPTIONS },
      '0.11': { ...BASE_OPTIONS, no_renegotiation: true },
      '0.12': { ...BASE_OPTIONS, no_renegotiation: true },
      '13.0': { ...BASE_OPTIONS, no_renegotiation: true },
    },
    defaultsEarlier: { '0.9': '0.9.0–0.9.5 without `no_sslv3`, 0.9.0–0.9.1 without `cipher_server_preference` either', '0.11': '0.11.0–0.11.8 without `no_renegotiation`' },
    snippet: '{ ${1:no_ticket} = ${2|true,false|} }',
    // 0.9 takes a list only, and it replaces the defaults: start from them (less those that do nothing on OpenSSL 1.1.0+).
    snippetOn: { '0.9': `{ ${OPTIONS_09.filter((o) => !optionFlags.find((f) => f.name === o)?.noop).map((o) => JSON.stringify(o)).join(', ')}$1 }` },
    rank: 3,
    doc: {
      summary: 'OpenSSL option flags, as a list of names or (Prosody 0.10+) a map of `name = true/false`.',
      details: [
        'From 0.10 Prosody merges `options` from every layer into one set: `{ no_ticket = false }` switches off a flag an earlier layer turned on, without repeating the rest. In 0.9 your list **replaces** the defaults completely, so copy them in.',
        'Flags are only checked by LuaSec (`invalid option (…)`); names are lower-case. Several flags do nothing on OpenSSL 1.1.0 and later, and some DTLS flags share bits with TLS ones (`no_dtlsv1_2` turns TLS 1.2 off). From 0.10 disable protocol versions with `protocol` (`"tlsv1_2+"`), not with `no_tlsv1…` flags; Prosody 0.9 has no `+` forms, so there the flags are the way.',
        '`no_compression` is on by default; keep it (TLS compression leaks secrets through CRIME). OpenSSL 1.1.0 and later keep compression off whatever the flag says.',
      ].join('\n\n'),
      link: `${ADV}#options`,
    },
  },
  {
    name: 'ciphersuites',
    prosody: SINCE_010,
    shapes: ['string', 'list'],
    onWrongType: 'error',
    shapeSince: { list: '0.12.0' },
    values: 'ciphersuites',
    writeInstead: 'Write the TLS 1.3 suites joined with `:`, e.g. `"TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256"`.',
    merge: 'replace-joined',
    sni: 'port',
    defaults: ALL_LINES_NULL,
    luasec: { since: '0.8' },
    snippet: '"${1:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256}"',
    rank: 4,
    doc: {
      summary: 'TLS 1.3 cipher suites, separated by `:` (LuaSec 0.8+).',
      details: [
        'Only the five TLS 1.3 suite names are valid here; TLS 1.2 names such as `ECDHE-RSA-AES128-GCM-SHA256` belong in `ciphers`. Unknown names are skipped while one valid name remains; when none is valid LuaSec fails with `no cipher match`.',
        'Prosody joins a Lua list with `:` only from 0.12.0. In 0.10 and 0.11 a list reaches LuaSec as a table and crashes Prosody with a Lua error; write a string there.',
        'Without TLS 1.3 support in OpenSSL the key is silently ignored. Unset, OpenSSL\'s own default applies; the 0.12+ presets set the three AES-GCM/ChaCha20 suites.',
      ].join('\n\n'),
      link: `${OSSL}/SSL_CTX_set_cipher_list/`,
    },
  },
  {
    name: 'curveslist',
    prosody: SINCE_010,
    before: 'Prosody 0.9 reads one curve only: set `curve` instead (e.g. `"secp384r1"`).',
    shapes: ['string', 'list'],
    onWrongType: 'error',
    shapeSince: { list: '0.10.0' },
    values: 'curveslist',
    writeInstead: 'Write the groups joined with `:`, e.g. `"X25519:P-256"`.',
    merge: 'replace-joined',
    sni: 'port',
    defaults: {
      '0.9': null,
      '0.10': ['X25519', 'P-384', 'P-256', 'P-521'],
      '0.11': ['X25519', 'P-384', 'P-256', 'P-521'],
      '0.12': ['X25519', 'P-384', 'P-256', 'P-521'],
      '13.0': ['X25519', 'P-384', 'P-256', 'P-521'],
    },
    luasec: { since: '0.7' },
    snippet: '{ ${1:"X25519", "P-256", "P-384"} }',
    rank: 5,
    doc: {
      summary: 'Key-exchange groups (elliptic curves and, on OpenSSL 3, `ffdhe*` groups) offered in order of preference (LuaSec 0.7+).',
      details: [
        'Write OpenSSL group names separated by `:`, or (Prosody 0.10+) a Lua list, which Prosody joins. A comma is **not** a separator. One unknown name makes the whole value fail with `unknown elliptic curve in "…"`.',
        'From 0.10.1 Prosody drops default entries the installed LuaSec does not know. When `curveslist` is in effect (and Prosody always sets one when it can), `curve` is ignored.',
      ].join('\n\n'),
      link: `${OSSL}/SSL_CTX_set1_curves/`,
    },
  },
  {
    name: 'verify',
    shapes: ['string', 'list'],
    onWrongType: 'error',
    values: 'verify',
    writeInstead: 'Write e.g. `"peer"`, or a list such as `{ "peer", "client_once" }`.',
    merge: 'replace',
    sni: 'port',
    defaults: {
      '0.9': ['peer', 'client_once'],
      '0.10': ['peer', 'client_once'],
      '0.11': ['peer', 'client_once'],
      '0.12': 'none',
      '13.0': 'none',
    },
    snippet: '{ "${1|peer,client_once,none,fail_if_no_peer_cert|}" }',
    rank: 10,
    doc: {
      summary: 'Whether to ask the peer for a certificate and verify it (OpenSSL verify mode flags).',
      details: [
        'A single name or a list of them. Up to 0.11 Prosody asks every peer for a certificate (`{ "peer", "client_once" }`); since 0.12 the default is `"none"` and Prosody adds `peer` itself for server-to-server connections.',
        'Combined with Prosody\'s `verifyext` default (`lsec_continue`) a failed verification does not abort the handshake: Prosody looks at the result afterwards to decide how to authenticate a server. Setting `"none"` in a host or `s2s_ssl` table overrides that s2s layer (before 0.12, which has no such layer, in any table server connections read, the global `ssl` included): servers connecting to this one are no longer asked for a certificate, so they can authenticate only by dialback, which `s2s_secure_auth = true` refuses: federation with the host then stops (outgoing connections still check the remote server\'s certificate). `fail_if_no_peer_cert` would break clients that have no certificate.',
      ].join('\n\n'),
      link: `${ADV}#verify`,
    },
  },
  {
    name: 'verifyext',
    shapes: ['list', 'map', 'string'],
    onWrongType: 'error',
    shapeSince: { map: '0.10.0' },
    values: 'verifyext',
    writeInstead: 'Write a list such as `{ "lsec_continue" }`.',
    merge: 'set',
    defaults: {
      '0.9': [...VERIFYEXT_09],
      '0.10': ['lsec_continue', 'lsec_ignore_purpose'],
      '0.11': ['lsec_continue', 'lsec_ignore_purpose'],
      '0.12': ['lsec_continue', 'lsec_ignore_purpose'],
      '13.0': null,
    },
    luasec: { since: '0.5' },
    snippet: '{ "${1|lsec_continue,lsec_ignore_purpose,crl_check,crl_check_chain|}" }',
    // 0.9 takes the user's list instead of the defaults, not merged with them: start from both default flags.
    snippetOn: { '0.9': `{ ${VERIFYEXT_09.map((f) => JSON.stringify(f)).join(', ')}$1 }` },
    rank: 20,
    doc: {
      summary: 'Extra LuaSec verification flags (continue despite errors, ignore key purpose, CRL checks).',
      details: [
        'Merged like `options` from 0.10 on (list, single name or `name = true/false` map); in 0.9 your list replaces the default one, so keep both default flags in it. Prosody relies on `lsec_continue` so that an untrusted certificate does not kill the connection but is judged later; removing it makes s2s handshakes with imperfect certificates fail outright instead of falling back to dialback.',
        'In 13.0 the default moved out of the general context: Prosody adds these two flags only for server-to-server connections. The pre-LuaSec-0.5 spellings `continue`/`ignore_purpose` are rejected.',
      ].join('\n\n'),
      link: `${ADV}#verifyext`,
    },
  },
  {
    name: 'cafile',
    shapes: ['string'],
    onWrongType: 'dropped',
    byLine: PATH_0_9,
    merge: 'path',
    defaults: ALL_LINES_NULL,
    snippet: '"${1:/etc/ssl/certs/ca-certificates.crt}"',
    rank: 21,
    doc: {
      summary: 'Path to one PEM file holding the CA certificates Prosody trusts when verifying peers.',
      details: [
        'An alternative (or addition) to `capath`. Relative paths are taken from the config directory. A missing or unreadable file makes LuaSec fail (`error loading CA locations`).',
        'From 0.10 Prosody also copies the global `cafile` into its outgoing HTTPS client context.',
      ].join('\n\n'),
      link: `${ADV}#cafile`,
    },
  },
  {
    name: 'capath',
    shapes: ['string'],
    onWrongType: 'dropped',
    byLine: PATH_0_9,
    merge: 'path',
    defaults: { '0.9': '/etc/ssl/certs', '0.10': '/etc/ssl/certs', '0.11': '/etc/ssl/certs', '0.12': '/etc/ssl/certs', '13.0': '/etc/ssl/certs' },
    snippet: '"${1:/etc/ssl/certs}"',
    rank: 22,
    doc: {
      summary: 'Directory of trusted CA certificates (hashed file names, as `c_rehash` makes them).',
      details: 'Default `/etc/ssl/certs`. A directory that does not exist is **not** reported by LuaSec; verification simply finds no trust anchors there.',
      link: `${ADV}#capath`,
    },
  },
  {
    name: 'password',
    shapes: ['string', 'function'],
    onWrongType: 'error',
    writeInstead: 'Write the passphrase in quotes.',
    merge: 'replace',
    defaults: ALL_LINES_NULL,
    snippet: '"$1"',
    rank: 30,
    doc: {
      summary: 'Passphrase for an encrypted private key.',
      details: [
        'A string, or a Lua function returning it. Without it Prosody installs its own callback that logs that the encrypted key needs a password, and loading the key fails. Any other type fails with `invalid password type`.',
        'Storing the passphrase in the config file protects little; prefer an unencrypted key readable only by Prosody. In 13.0 `FileLine()` reads it from a file of its own; `FileContents()` and `Credential()` would keep a line break at the end of the file as part of the passphrase ("bad decrypt").',
      ].join('\n\n'),
      link: `${ADV}#password`,
    },
  },
  {
    name: 'dhparam',
    shapes: ['string'],
    onWrongType: 'dropped',
    // 0.9 reads a string as a file and passes anything else on as it is: a function works (LuaSec takes one),
    // other values make LuaSec refuse the context ("invalid DH parameter type"). 0.10 drops non-strings.
    byLine: { '0.9': { shapes: ['string', 'function'], onWrongType: 'error' } },
    merge: 'path',
    defaults: ALL_LINES_NULL,
    luasec: { since: '0.5' },
    literalPem: { since: '13.0.0' },
    snippet: '"${1:certs/dh-2048.pem}"',
    rank: 31,
    doc: {
      summary: 'Diffie-Hellman parameters for DHE cipher suites: a file path (13.0 also accepts the PEM text itself).',
      details: [
        'Prosody reads the file (relative to the config directory) and hands LuaSec a function; a missing file gives `Could not open DH parameters`. From 0.10 values that are not strings are dropped (0.9 passes a function on to LuaSec, which takes one). Create one with `openssl dhparam -out dh-2048.pem 2048`; use at least 2048 bits.',
        'Without it, DHE suites in `ciphers` are not usable (ECDHE ones still are). In 13.0 the `intermediate` profile supplies the RFC 7919 `ffdhe2048` group, so nothing needs to be set there.',
      ].join('\n\n'),
      link: `${ADV}#dhparam`,
    },
  },
  {
    name: 'depth',
    shapes: ['integer', 'string'],
    onWrongType: 'error',
    stringPattern: '^\\s*-?\\d+\\s*$',
    merge: 'replace',
    sni: 'port',
    defaults: { '0.9': null, '0.10': 9, '0.11': 9, '0.12': 9, '13.0': 9 },
    snippet: '${1:9}',
    rank: 32,
    doc: {
      summary: 'Maximum number of intermediate certificates allowed between a peer\'s certificate and a trusted root.',
      details: [
        'Default 9 since 0.10 (0.9 leaves OpenSSL\'s default). Must be a whole number; a numeric string such as `"9"` also works.',
        `Anything else (\`"nine"\`, \`true\`) is not reported politely: LuaSec raises a Lua error, and ${LUA_ERROR_EFFECT}. A fraction such as \`1.5\` does the same on Lua 5.3 and later; Lua 5.1 and 5.2 (which Prosody up to 0.11 mostly runs on) cut it to a whole number.`,
      ].join('\n\n'),
      link: `${ADV}#depth`,
    },
  },
  {
    name: 'curve',
    ignoredUnder: 'curveslist',
    shapes: ['string'],
    onWrongType: 'error',
    values: 'curve',
    merge: 'replace',
    defaults: { '0.9': 'secp384r1', '0.10': false, '0.11': false, '0.12': false, '13.0': false },
    luasec: { since: '0.5' },
    snippet: '"${1:secp384r1}"',
    rank: 40,
    sni: 'port',
    doc: {
      summary: 'A single elliptic curve for ECDHE: the curve setting of Prosody 0.9, and of LuaSec too old to take a `curveslist`.',
      details: [
        'Prosody 0.9 and 0.10.0 set `curve = "secp384r1"`, and 0.9 reads no `curveslist`. From 0.10.1 Prosody sets `curve = false` and uses `curveslist` whenever LuaSec takes a list (LuaSec 0.7+; with an older one it keeps `secp384r1`), and LuaSec then ignores `curve` entirely — even an invalid name passes unnoticed.',
        'Only classic EC curve names are accepted, case-sensitively; `X25519`, `X448` and the `ffdhe*` groups are refused (`elliptic curve \'…\' not supported`).',
      ].join('\n\n'),
      link: `${ADV}#curve`,
    },
  },
  {
    name: 'certificates',
    prosody: SINCE_010,
    before: 'Prosody 0.9 reads one certificate and key: set `certificate` and `key` instead.',
    shapes: ['list'],
    merge: 'replace',
    defaults: ALL_LINES_NULL,
    luasec: { since: '0.8' },
    snippet: '{\n\t{ certificate = "${1}", key = "${2}" };\n}',
    rank: 50,
    doc: {
      summary: 'LuaSec\'s list of several certificate/key pairs (e.g. one RSA and one ECDSA), LuaSec 0.8+.',
      details: [
        'Each entry is a table `{ certificate = …, key = …, password = … }`; when present LuaSec ignores the single `certificate`/`key`.',
        'Prosody does not resolve these paths against the config directory (relative paths depend on Prosody\'s working directory), and 0.10/0.11 still demand a top-level `certificate` and `key` in server mode. Use absolute paths.',
      ].join('\n\n'),
      link: LUASEC,
    },
  },
  {
    name: 'alpn',
    prosody: SINCE_010,
    shapes: ['list', 'function'],
    // LuaSec's client mode sends the protocols as given (a string or a list); only server mode takes a function.
    clientShapes: ['string', 'list'],
    onWrongType: 'error',
    values: 'alpn',
    writeInstead: 'Remove `alpn`: Prosody sets it where it is needed.',
    merge: 'replace',
    defaults: ALL_LINES_NULL,
    luasec: { since: '0.8' },
    snippet: '{ "${1|xmpp-client,xmpp-server,http/1.1|}" }',
    rank: 60,
    doc: {
      summary: 'Application protocols (ALPN) to offer or accept, LuaSec 0.8+.',
      details: [
        'From 0.12 Prosody sets this itself where it matters (`xmpp-server` on outgoing s2s, the multiplexed listeners), so you rarely need it. A server context needs a non-empty list (or a function); a plain string fails with `invalid ALPN parameter`, and empty names are rejected. `client_https_ssl` builds client contexts only, which take a string or a list (not a function).',
        'A user value replaces Prosody\'s own, which can break protocol selection on shared ports.',
      ].join('\n\n'),
      link: LUASEC,
    },
  },
  {
    name: 'dane',
    prosody: SINCE_010,
    shapes: ['boolean', 'list'],
    values: 'dane',
    merge: 'replace',
    defaults: ALL_LINES_NULL,
    luasec: { since: '0.9' },
    snippet: '${1|true,false|}',
    rank: 61,
    doc: {
      summary: 'Enables DANE (TLSA) verification support in the TLS context; `true` or a list of DANE flags (LuaSec 0.9+).',
      details: [
        'Do not set it by hand: from 0.12 Prosody fills it in from the global `use_dane` option (as `{ "no_ee_namechecks" }` when LuaSec supports that flag). It needs OpenSSL 1.1.0+ with DANE.',
        `An unknown flag name makes LuaSec raise a Lua error: ${LUA_ERROR_EFFECT}.`,
      ].join('\n\n'),
      link: 'https://prosody.im/doc/s2s',
    },
  },
  {
    name: 'mode',
    prosody: SINCE_010,
    before: 'Prosody sets it itself for each connection; remove it.',
    notOffered: 'Prosody picks it per connection; where it is written, mode-set says to remove it.',
    shapes: ['string'],
    values: 'mode',
    merge: 'replace',
    defaults: ALL_LINES_NULL,
    snippet: '"${1|server,client|}"',
    // A reviewer's 0.12.3 run: a host's `c2s_direct_tls_ssl = { mode = "client" }` changed nothing for
    // `openssl s_client -servername` (the accepted connection stays a server one; LuaSec swaps only the context).
    sni: 'port',
    rank: 90,
    doc: {
      summary: 'Whether the context is for accepting (`server`) or opening (`client`) connections — set by Prosody, do not write it.',
      details: 'Prosody chooses the mode per connection before your tables are applied, so a `mode` in the config would override it and break either incoming or outgoing connections. LuaSec does not even report an invalid mode when the context is created; it fails later, per connection.',
      link: LUASEC,
    },
  },
  {
    name: 'psk',
    prosody: SINCE_010,
    shapes: ['function', 'table'],
    merge: 'replace',
    defaults: ALL_LINES_NULL,
    luasec: { since: '1.3.0' },
    snippet: '${1:function() end}',
    rank: 95,
    doc: {
      summary: 'Pre-shared-key callback for TLS-PSK (LuaSec 1.3+); not used by XMPP.',
      details: 'A function, or on servers `{ hint = …, callback = … }`. XMPP servers authenticate with certificates, not PSKs, and Prosody never sets this. Errors give `invalid PSK configuration`.',
      link: LUASEC,
    },
  },
];
