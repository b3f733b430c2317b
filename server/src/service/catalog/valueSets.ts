// Value sets: every name a key or option draws from (facts §1.3, §4.2–§4.4, §6).
import { curveValues, curveslistValues } from './curves';
import { optionFlags } from './optionFlags';
import type { CatalogValue, ValueSet } from './types';

const ADV = 'https://prosody.im/doc/advanced_ssl_config';
const LUASEC = 'https://github.com/lunarmodules/luasec/wiki';
const OSSL = 'https://docs.openssl.org/3.0/man3';

const OLD_TLS = 'Allows TLS 1.0 and TLS 1.1, which are deprecated (RFC 8996) and rely on weak hashes and CBC constructions.';

const protocols: CatalogValue[] = [
  {
    name: 'tlsv1_2+',
    prosodyOnly: true,
    prosody: { since: '0.10.0' },
    rank: 0,
    doc: {
      summary: 'TLS 1.2 and every newer version — the recommended minimum (Prosody 0.10+).',
      details: 'Prosody rewrites it to `sslv23` plus `no_sslv2`, `no_sslv3`, `no_tlsv1`, `no_tlsv1_1`. It is what the default `intermediate` profile uses since 0.12.',
      link: `${ADV}#protocol`,
    },
  },
  {
    name: 'tlsv1_3+',
    prosodyOnly: true,
    prosody: { since: '0.11.0' },
    rank: 5,
    doc: {
      summary: 'TLS 1.3 only, written as a minimum (Prosody 0.11+).',
      details: 'Also disables TLS 1.2, which many XMPP servers and older clients still need. Same effect as `tlsv1_3`.',
      link: `${ADV}#protocol`,
    },
  },
  {
    name: 'tlsv1_3',
    luasec: { since: '0.8' },
    // LuaSec offers it only where the OpenSSL headers it is built against define TLS 1.3 (src/context.c).
    openssl: { since: '1.1.1' },
    rank: 6,
    doc: {
      summary: 'Exactly TLS 1.3 (LuaSec 0.8+, OpenSSL 1.1.1+); the `modern` profile uses it.',
      details: 'Peers that only speak TLS 1.2 cannot connect.',
      link: `${ADV}#protocol`,
    },
  },
  {
    name: 'tlsv1_2',
    luasec: { since: '0.5' },
    rank: 20,
    doc: {
      summary: 'Exactly TLS 1.2 — with LuaSec 0.8+ this also switches TLS 1.3 **off**.',
      details: 'LuaSec pins both the lowest and the highest version to the named one, so TLS 1.3 is off. From 0.10 you almost certainly meant `"tlsv1_2+"`; Prosody 0.9 has no `+` forms, so there this (or `"sslv23"` with `no_…` flags in `options`) is how to require TLS 1.2.',
      link: `${ADV}#protocol`,
    },
  },
  {
    name: 'any',
    luasec: { since: '0.6' },
    unsafe: `${OLD_TLS} Unless \`options\` exclude them, every version OpenSSL still permits is allowed.`,
    rank: 40,
    doc: {
      summary: 'Every version OpenSSL allows (LuaSec 0.6+); older ones must be excluded with `no_…` options.',
      details: 'Prosody\'s `+` forms build on the same mechanism; writing one of those is simpler and safer.',
      link: `${ADV}#protocol`,
    },
  },
  {
    name: 'sslv23',
    unsafe: `${OLD_TLS} Unless \`options\` exclude them, every version OpenSSL still permits is allowed.`,
    rank: 41,
    doc: {
      summary: 'Old name for "negotiate any version"; LuaSec 0.8+ treats it like `any` and marks it deprecated.',
      details: 'Despite the name it does not mean SSL 2/3 only. Prosody 0.9\'s default, combined with `no_sslv2`/`no_sslv3` options. Prefer a Prosody `+` form on 0.10+.',
      link: `${ADV}#protocol`,
    },
  },
  {
    name: 'tlsv1_1+',
    prosodyOnly: true,
    prosody: { since: '0.10.0' },
    unsafe: 'Allows TLS 1.1, which is deprecated (RFC 8996).',
    rank: 50,
    doc: { summary: 'TLS 1.1 and newer (Prosody 0.10+).', details: 'TLS 1.1 is deprecated; use `tlsv1_2+`.', link: `${ADV}#protocol` },
  },
  {
    name: 'tlsv1+',
    prosodyOnly: true,
    prosody: { since: '0.10.0' },
    unsafe: OLD_TLS,
    rank: 55,
    doc: {
      summary: 'TLS 1.0 and newer (Prosody 0.10+); the built-in default before the 0.12 profiles.',
      details: 'On OpenSSL 3 the default security level usually blocks TLS 1.0/1.1 anyway, but do not rely on that; use `tlsv1_2+`.',
      link: `${ADV}#protocol`,
    },
  },
  {
    name: 'tlsv1_1',
    luasec: { since: '0.5' },
    unsafe: 'Pins the connection to TLS 1.1, a deprecated version (RFC 8996); newer versions are disabled.',
    rank: 80,
    doc: { summary: 'Exactly TLS 1.1 (LuaSec 0.5+).', link: `${ADV}#protocol` },
  },
  {
    name: 'tlsv1',
    unsafe: 'Pins the connection to TLS 1.0, a deprecated version (RFC 8996); newer versions are disabled.',
    rank: 85,
    doc: { summary: 'Exactly TLS 1.0.', link: `${ADV}#protocol` },
  },
  {
    name: 'sslv3+',
    prosodyOnly: true,
    prosody: { since: '0.10.0' },
    unsafe: 'Allows SSL 3.0 (broken by POODLE) where OpenSSL still has it, plus TLS 1.0/1.1.',
    rank: 90,
    doc: { summary: 'SSL 3.0 and newer (Prosody 0.10+).', link: `${ADV}#protocol` },
  },
  {
    name: 'sslv2+',
    prosodyOnly: true,
    prosody: { since: '0.10.0' },
    unsafe: 'Adds no restriction at all: every version OpenSSL still has, including SSL 3.0 and TLS 1.0/1.1, stays enabled.',
    rank: 95,
    doc: { summary: 'Every version from SSL 2.0 up (Prosody 0.10+); disables nothing.', link: `${ADV}#protocol` },
  },
  {
    name: 'sslv3',
    luasec: { removed: '0.8' },
    unsafe: 'SSL 3.0 is broken (POODLE).',
    rank: 98,
    doc: {
      summary: 'Exactly SSL 3.0 — refused by LuaSec 0.8+ (`invalid protocol (sslv3)`).',
      details: 'LuaSec dropped SSL 3.0 in 0.8; older LuaSec only offers it when OpenSSL was built with SSL 3.0.',
      link: `${ADV}#protocol`,
    },
  },
  {
    name: 'sslv2',
    luasec: { removed: '0.4.1' },
    unsafe: 'SSL 2.0 is completely broken.',
    rank: 99,
    doc: {
      summary: 'SSL 2.0 — no LuaSec release examined (0.4.1 and later) accepts it (`invalid protocol (sslv2)`).',
      link: `${ADV}#protocol`,
    },
  },
];

type Extra = Omit<Partial<CatalogValue>, 'name' | 'doc'> & { details?: string };

function simple(name: string, summary: string, link: string, extra: Extra = {}): CatalogValue {
  const { details, ...rest } = extra;
  return { name, doc: { summary, ...(details ? { details } : {}), link }, ...rest };
}

const TLS13_SUITES = `${OSSL}/SSL_CTX_set_cipher_list/`;

export const valueSets: readonly ValueSet[] = [
  { id: 'protocol', noun: 'protocol', values: protocols },
  {
    id: 'mode',
    noun: 'mode',
    values: [
      simple('server', 'Accept connections (Prosody sets this itself).', LUASEC),
      simple('client', 'Open connections (Prosody sets this itself).', LUASEC),
    ],
  },
  {
    id: 'verify',
    noun: 'verify flag',
    values: [
      simple('peer', 'Ask the peer for a certificate and verify it.', `${ADV}#verify`, {
        rank: 0,
        details: 'On a server, clients are asked for a certificate but may decline unless `fail_if_no_peer_cert` is also set. Where Prosody\'s default `verifyext` holds `lsec_continue` (every connection up to 0.12; from 13.0 server-to-server ones only), a failed check does not end the handshake; elsewhere it does.',
      }),
      simple('client_once', 'Only ask a client for its certificate in the first handshake, not on renegotiation.', `${ADV}#verify`, { rank: 1 }),
      simple('none', 'As a server, do not ask the peer for a certificate (0.12+ default for c2s); as a client, carry on whatever the server\'s certificate verification says (Prosody still looks at the result).', `${ADV}#verify`, {
        rank: 2,
        details: 'From 0.12, in a host `ssl` table or any `s2s_ssl` table this overrides Prosody\'s own s2s verification layer; before 0.12, which has no such layer, in any table server connections read (the global `ssl` too). Servers connecting here are then no longer asked for a certificate and can only be authenticated by dialback.',
      }),
      simple('fail_if_no_peer_cert', 'Abort the handshake when the peer sends no certificate (needs `peer`).', `${ADV}#verify`, {
        // Offered last: where clients connect it locks out every one without a certificate (verify-requires-peer-cert).
        rank: 85,
        details: 'Breaks every client or server that does not present a certificate; normal XMPP clients and browsers do not, so where clients connect verify-requires-peer-cert reports it.',
      }),
    ],
  },
  {
    id: 'verifyext',
    noun: 'verifyext flag',
    values: [
      simple('lsec_continue', 'Keep the handshake going when verification fails; the result is checked afterwards.', `${ADV}#verifyext`, {
        rank: 0,
        luasec: { since: '0.5' },
        details: 'Prosody depends on this: it inspects the verification result itself to choose between certificate authentication and dialback.',
      }),
      simple('lsec_ignore_purpose', 'Checks the peer\'s certificate for the server purpose (serverAuth) instead of the client one, so other servers connecting in, whose certificates are server certificates, pass; a certificate made for clients only (clientAuth) then fails.', `${ADV}#verifyext`, {
        rank: 1,
        luasec: { since: '0.5' },
      }),
      simple('crl_check', 'Check the peer certificate against a certificate revocation list (CRL).', `${OSSL}/X509_VERIFY_PARAM_set_flags/`, {
        rank: 20,
        luasec: { since: '0.5' },
        details: 'The CRLs must be available in `cafile`/`capath`; otherwise every verification fails.',
      }),
      simple('crl_check_chain', 'Check every certificate of the chain against CRLs.', `${OSSL}/X509_VERIFY_PARAM_set_flags/`, {
        rank: 21,
        luasec: { since: '0.5' },
        details: 'Needs CRLs for every CA in the chain in `cafile`/`capath`.',
      }),
    ],
  },
  { id: 'options', noun: 'option flag', values: optionFlags },
  {
    id: 'dane',
    noun: 'DANE flag',
    values: [
      simple('no_ee_namechecks', 'Skip the name check for certificates matched by a DANE-EE (usage 3) TLSA record.', 'https://docs.openssl.org/3.0/man3/SSL_CTX_dane_enable/', {
        luasec: { since: '0.9' },
        details: 'Prosody sets it itself when `use_dane` is on and LuaSec supports it.',
      }),
    ],
  },
  { id: 'curve', noun: 'elliptic curve', values: curveValues },
  { id: 'curveslist', noun: 'group', values: curveslistValues },
  {
    id: 'ciphersuites',
    noun: 'TLS 1.3 cipher suite',
    values: [
      simple('TLS_AES_256_GCM_SHA384', 'AES-256 in GCM mode with SHA-384.', TLS13_SUITES, { rank: 0 }),
      simple('TLS_CHACHA20_POLY1305_SHA256', 'ChaCha20-Poly1305, fast without AES hardware.', TLS13_SUITES, { rank: 0 }),
      simple('TLS_AES_128_GCM_SHA256', 'AES-128 in GCM mode with SHA-256; mandatory for every TLS 1.3 implementation.', TLS13_SUITES, { rank: 0 }),
      simple('TLS_AES_128_CCM_SHA256', 'AES-128 in CCM mode; meant for constrained devices, not enabled by OpenSSL by default.', TLS13_SUITES, { rank: 20 }),
      simple('TLS_AES_128_CCM_8_SHA256', 'AES-128 CCM with a short 8-byte tag; meant for IoT, not enabled by default.', TLS13_SUITES, {
        rank: 30,
        details: 'The truncated authentication tag gives a lower forgery margin than the other suites; no XMPP peer needs it.',
      }),
      // RFC 9150's integrity-only suites, which OpenSSL 3.5 added (a reviewer's 13.0.1 on Debian 13 negotiated one at
      // @SECLEVEL=0); OpenSSL 3.0 does not know them.
      ...['TLS_SHA256_SHA256', 'TLS_SHA384_SHA384'].map((name) => simple(name, `Authenticates the records with ${name.slice(4, 7)}-${name.slice(7, 10)} but does not encrypt them (RFC 9150, meant for industrial control networks); OpenSSL 3.5 and later know it.`, TLS13_SUITES, {
        rank: 99,
        openssl: { since: '3.5' },
        unsafe: 'No encryption: whoever sees the connection reads the whole XMPP stream, passwords included.',
        notOffered: 'A suite without encryption has no place in an XMPP server.',
      })),
    ],
  },
  {
    id: 'tls_profile',
    noun: 'TLS profile',
    values: [
      simple('intermediate', 'The default: TLS 1.2+ with strong forward-secret ciphers (Mozilla "intermediate").', 'https://prosody.im/doc/certificates', { rank: 0, prosody: { since: '0.12.0' } }),
      simple('modern', 'TLS 1.3 only (Mozilla "modern"); TLS 1.2-only peers cannot connect.', 'https://prosody.im/doc/certificates', { rank: 1, prosody: { since: '0.12.0' } }),
      simple('old', 'TLS 1.0+ with a long legacy cipher list (Mozilla "old") for very old software.', 'https://prosody.im/doc/certificates', {
        rank: 80,
        prosody: { since: '0.12.0' },
        unsafe: 'Enables TLS 1.0/1.1 and CBC/SHA-1 and static-RSA cipher suites.',
      }),
      simple('legacy', 'No preset: Prosody\'s own pre-0.12 defaults (TLS 1.0+, broad HIGH cipher list).', 'https://prosody.im/doc/certificates', {
        rank: 85,
        prosody: { since: '0.12.0' },
        unsafe: 'Leaves TLS 1.0/1.1 allowed at the protocol level and uses a broad cipher list including non-forward-secret suites.',
      }),
    ],
  },
  {
    id: 'alpn',
    noun: 'ALPN protocol',
    open: true,
    values: [
      simple('xmpp-client', 'XMPP client-to-server (XEP-0368 direct TLS).', 'https://xmpp.org/extensions/xep-0368.html', { rank: 0 }),
      simple('xmpp-server', 'XMPP server-to-server; from 0.12 Prosody offers it on outgoing s2s itself.', 'https://xmpp.org/extensions/xep-0368.html', { rank: 1 }),
      simple('http/1.1', 'HTTP/1.1 (for HTTPS on a shared port).', 'https://www.iana.org/assignments/tls-extensiontype-values/tls-extensiontype-values.xhtml#alpn-protocol-ids', { rank: 10 }),
      simple('h2', 'HTTP/2 — Prosody\'s HTTP server does not speak it, so do not offer it.', 'https://www.iana.org/assignments/tls-extensiontype-values/tls-extensiontype-values.xhtml#alpn-protocol-ids', { rank: 50, notOffered: 'A client that agrees on it would speak HTTP/2 to a server that answers HTTP/1.1 only.' }),
    ],
  },
  {
    id: 'tls_server_end_point_hash',
    noun: 'value',
    open: true,
    values: [
      simple('auto', 'Hash the certificate Prosody serves on the connection (the hash follows its signature algorithm, RFC 5929). Any other value is taken as that hash itself, written in hex.', 'https://prosody.im/doc/modules/mod_saslauth', { rank: 0 }),
    ],
  },
];
