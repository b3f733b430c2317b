// Top-level Prosody options related to TLS (facts §3). `<service>_ssl/_ports/_interfaces/_certificate` of
// the network services in services.ts are recognised by pattern in index.ts; only those with special
// rules (https_ssl) are listed here.
import { UNKNOWN_PROFILE } from './profiles';
import type { ConfigOption, LuaLiteral, Scope, VersionRange } from './types';
import type { ProsodyLine } from './versions';

const ADV = 'https://prosody.im/doc/advanced_ssl_config';
const CERTS = 'https://prosody.im/doc/certificates';
const TLS_MOD = 'https://prosody.im/doc/modules/mod_tls';
const S2S = 'https://prosody.im/doc/s2s';

type Defaults = Partial<Record<ProsodyLine, LuaLiteral | null>>;

function all(v: LuaLiteral | null): Defaults {
  return { '0.9': v, '0.10': v, '0.11': v, '0.12': v, '13.0': v };
}

const TABLE = '{\n\t$0\n}';

// `before` texts shared by options that came together in 0.10.
const NO_CERT_LOOKUP_BEFORE_010 = 'Prosody 0.9 does not look for certificates by itself: name the files with `certificate` and `key` in an `ssl` table.';
const onlySslBefore010 = (connections: string): string =>
  `Prosody 0.9 reads ${connections} TLS settings only from \`ssl\`: put these keys in the \`ssl\` table of the host or of the global section.`;

/**
 * Releases whose portmanager also reads a service's ssl table (`https_ssl`, `c2s_direct_tls_ssl`, …) per host, to
 * build that host's SNI context on the service (facts §3); before 0.12 only the global one is read.
 */
export const SNI_PER_HOST: VersionRange = { since: '0.12.0' };

/**
 * Releases that give a host's SNI context only the certificate and key of the host's table (13.0's portmanager:
 * `set_sni_host(host, cfg.certificate, cfg.key)` on a clone of the port's context; a reviewer's 13.0.1 run). 0.12
 * switches to a whole context built from it, of which OpenSSL still keeps some settings of the port's (SslKey.sni).
 */
export const SNI_CERTIFICATE_ONLY: VersionRange = { since: '13.0.0' };

/**
 * Scopes an option is read in only on some releases (the `scopes` list names every scope of any release):
 * `https_ssl` is read per host for SNI only from 0.12; before that only globally.
 */
export const SCOPE_RELEASES: Readonly<Record<string, Partial<Record<Scope, VersionRange>>>> = {
  https_ssl: { host: SNI_PER_HOST },
};

export const configOptions: readonly ConfigOption[] = [
  {
    name: 'ssl',
    kind: 'ssl-table',
    shapes: ['table'],
    scopes: ['global', 'host', 'component'],
    contexts: ['c2s', 's2s', 'c2s_direct_tls', 's2s_direct_tls', 'legacy_ssl', 'https', 'multiplex_ssl', 'client_https'],
    perPort: true,
    defaults: all(null),
    snippet: TABLE,
    rank: 0,
    doc: {
      summary: 'TLS settings for every connection of this scope; from 0.10 the base layer under `c2s_ssl`, `s2s_ssl` and the direct-TLS services.',
      details: [
        'Globally it reaches everything: STARTTLS for clients and servers, every direct-TLS port (from 0.10 below that port\'s own `<service>_ssl`, which only overrides the keys it sets), and from 0.10 even Prosody\'s outgoing HTTPS client — so there a bad value makes every `prosodyctl` command print a `client_https` error. Under a VirtualHost or Component it applies to that host\'s c2s/s2s connections (and its subdomains).',
        'From 0.10 the tables are merged key by key: host `ssl` only needs the keys that differ from the global one. In 0.9 a host table **replaces** the global one completely. A global `ssl` may hold `["interface"]` sub-tables for direct-TLS listeners, and up to 0.12 `[port]` ones too (13.0 stops on a number key in any ssl table).',
      ].join('\n\n'),
      link: ADV,
    },
  },
  {
    name: 'c2s_ssl',
    kind: 'ssl-table',
    shapes: ['table'],
    scopes: ['global', 'host'],
    contexts: ['c2s'],
    defaults: all(null),
    prosody: { since: '0.10.0' },
    before: onlySslBefore010('client'),
    snippet: TABLE,
    rank: 5,
    doc: {
      summary: 'TLS settings only for client STARTTLS connections, layered over `ssl` (0.10+).',
      details: 'Order, most specific first: host `c2s_ssl`, host `ssl`, global `c2s_ssl`, global `ssl`, profile, defaults. It does not affect `c2s_direct_tls` ports; use `c2s_direct_tls_ssl` there. `prosodyctl check certs` does not test this table.',
      link: TLS_MOD,
    },
  },
  {
    name: 's2s_ssl',
    kind: 'ssl-table',
    shapes: ['table'],
    scopes: ['global', 'host', 'component'],
    contexts: ['s2s'],
    defaults: all(null),
    prosody: { since: '0.10.0' },
    before: onlySslBefore010('server-to-server'),
    snippet: TABLE,
    rank: 6,
    doc: {
      summary: 'TLS settings only for server-to-server STARTTLS connections, layered over `ssl` (0.10+).',
      details: 'From 0.12 the global `s2s_ssl` sits above Prosody\'s own s2s layer (which asks peers for certificates), and before 0.12 nothing asks again, so `verify = "none"` here stops asking servers that connect for a certificate, and they can no longer authenticate with one (outgoing connections still check the remote certificate). `prosodyctl check certs` does not test this table.',
      link: TLS_MOD,
    },
  },
  {
    name: 'https_ssl',
    kind: 'ssl-table',
    shapes: ['table'],
    scopes: ['global', 'host'],
    contexts: ['https'],
    perPort: true,
    checkSaysGlobalOnly: true,
    defaults: all(null),
    snippet: TABLE,
    rank: 7,
    doc: {
      summary: 'TLS settings for the HTTPS listener; may hold `["interface"]` sub-tables (and `[port]` ones up to 0.12: 13.0 stops on a number key).',
      details: 'Falls back to the global `ssl` when unset. Since 0.12 Prosody also reads it per VirtualHost for SNI certificates, although `prosodyctl check config` still reports it as misplaced there. The certificate is otherwise found via `https_certificate` or automatically.',
      link: 'https://prosody.im/doc/http',
    },
  },
  {
    name: 'client_https_ssl',
    kind: 'ssl-table',
    shapes: ['table'],
    scopes: ['global'],
    contexts: ['client_https'],
    defaults: all(null),
    prosody: { since: '0.10.0' },
    before: "Nothing configures Prosody's outgoing HTTPS requests before 0.10; remove it.",
    snippet: TABLE,
    rank: 30,
    doc: {
      summary: 'TLS settings for Prosody\'s own outgoing HTTPS requests (e.g. push, uploads to external services), 0.10+.',
      details: 'Prosody layers a fixed `{ verify = "peer" }` and the global `ssl`\'s `capath`/`cafile` above this table (they win): `verify` here changes nothing, since these requests are always verified, and a `cafile`/`capath` here counts only when the global `ssl` names none. The global `ssl` and the profile sit below it.',
      link: ADV,
    },
  },
  {
    name: 'certificates',
    kind: 'path',
    shapes: ['string'],
    scopes: ['global'],
    defaults: { '0.9': null, '0.10': 'certs', '0.11': 'certs', '0.12': 'certs', '13.0': 'certs' },
    prosody: { since: '0.10.0' },
    before: NO_CERT_LOOKUP_BEFORE_010,
    snippet: '"${1:certs}"',
    rank: 1,
    doc: {
      summary: 'Directory where Prosody looks for certificates and keys named after each host (0.10+).',
      details: 'Relative to the config file\'s directory; default `certs`. Prosody looks for files such as `example.com.crt` + `example.com.key`, `example.com/fullchain.pem` + `privkey.pem`; `prosodyctl cert import` fills it from e.g. Let\'s Encrypt.',
      link: CERTS,
    },
  },
  {
    name: 'certificate',
    kind: 'path',
    shapes: ['string'],
    scopes: ['host', 'component'],
    defaults: all(null),
    prosody: { since: '0.10.0' },
    before: NO_CERT_LOOKUP_BEFORE_010,
    snippet: '"${1:certs/example.com.crt}"',
    rank: 2,
    doc: {
      summary: 'Certificate file (or directory) for this host\'s automatic certificate lookup (0.10+), when no ssl table names one.',
      details: 'The matching key is looked for next to it. From 0.12 the lookup asks the index of the `certificates` directory first: a valid certificate there for this host (or its wildcard name) is used instead, whatever this option says (a renewed file named here loses to an older copy left in that directory). Not the same as the `certificate` key inside an `ssl` table.',
      link: CERTS,
    },
  },
  {
    name: 'tls_profile',
    kind: 'string',
    shapes: ['string'],
    scopes: ['global'],
    values: 'tls_profile',
    defaults: { '0.12': 'intermediate', '13.0': 'intermediate' },
    prosody: { since: '0.12.0' },
    before: 'Choose `protocol` and `ciphers` in the global `ssl` table yourself.',
    snippet: '"${1|intermediate,modern,old,legacy|}"',
    rank: 3,
    doc: {
      summary: 'Chooses a preset of protocol versions and ciphers that your own `ssl` settings are layered on (0.12+).',
      details: [
        '`"intermediate"` (default) follows Mozilla\'s recommendation for general servers; `"modern"` allows only TLS 1.3; `"old"` re-enables TLS 1.0/1.1 and weak suites; `"legacy"` applies no preset.',
        `A misspelt value silently means \`legacy\` in ${UNKNOWN_PROFILE.lenient}; from ${UNKNOWN_PROFILE.refusedSince} Prosody refuses to create TLS contexts, so every encrypted connection fails.`,
      ].join('\n\n'),
      link: CERTS,
    },
  },
  {
    name: 'c2s_require_encryption',
    kind: 'boolean',
    unsafeValue: { value: false, why: 'lets clients use the session without TLS: their messages and contacts travel in clear, and a SCRAM login can be captured for offline password guessing (plain-text PLAIN login stays refused unless `allow_unencrypted_plain_auth` is on).', instead: 'Write `true` (the default since 0.12) unless every unencrypted client connects over a trusted local link.' },
    shapes: ['boolean'],
    scopes: ['global', 'host'],
    defaults: { '0.9': false, '0.10': false, '0.11': false, '0.12': true, '13.0': true },
    snippet: '${1|true,false|}',
    rank: 10,
    doc: {
      summary: 'Refuse to let clients authenticate or use the session before they have switched on TLS.',
      details: 'Default `true` from 0.12 (was `false`). Setting it to `false` lets clients use the session in clear: messages and contacts are readable on the network and a captured SCRAM login can be guessed offline (PLAIN stays refused without TLS unless `allow_unencrypted_plain_auth` is on). Only sensible when every such client connects through a trusted local link.',
      link: TLS_MOD,
    },
  },
  {
    name: 's2s_require_encryption',
    kind: 'boolean',
    unsafeValue: { value: false, why: 'lets server-to-server traffic travel unencrypted when a peer does not offer TLS.', instead: 'Write `true` (the default since 0.12).' },
    shapes: ['boolean'],
    scopes: ['global', 'host'],
    checkSaysGlobalOnly: true,
    // mod_tls (per host) reads it for its STARTTLS offer; mod_s2s (set_global) reads the global value once and refuses
    // unencrypted sessions by it (0.12.3 mod_s2s.lua; a reviewer's run: <required/> left out for that host alone).
    hostNote: 'only marks the STARTTLS this host offers other servers as required or not (mod_tls): whether an unencrypted server-to-server session is refused is decided by mod_s2s from the global value alone',
    defaults: { '0.9': false, '0.10': false, '0.11': false, '0.12': true, '13.0': true },
    snippet: '${1|true,false|}',
    rank: 11,
    doc: {
      summary: 'Require TLS on server-to-server connections.',
      details: 'Default `true` from 0.12 (was `false`). Encryption alone does not prove who the remote server is; see `s2s_secure_auth`. `prosodyctl check config` expects it in the global section.',
      link: S2S,
    },
  },
  {
    name: 'require_encryption',
    kind: 'boolean',
    unsafeValue: { value: false, why: 'lets clients use the session without TLS: messages travel in clear and a captured login can be guessed offline.', instead: 'Write `c2s_require_encryption = true` instead.' },
    shapes: ['boolean'],
    // mod_tls (a per-host module) reads it with module:get_option, host before global, as the fallback of
    // c2s_require_encryption; facts §3 lists it as global.
    scopes: ['global', 'host'],
    defaults: all(null),
    deprecated: {
      since: '0.10.0',
      replacement: 'c2s_require_encryption',
      reason: 'Old spelling read only as a fallback; `prosodyctl check` asks for c2s_require_encryption and s2s_require_encryption instead.',
      // 0.10's mod_tls: `get_option("c2s_require_encryption") or get_option("require_encryption")`; 0.11 passes
      // the old name as the default of the new one instead.
      readThroughFalse: { removed: '0.11.0' },
    },
    snippet: '${1|true,false|}',
    rank: 90,
    doc: {
      summary: 'Older name of `c2s_require_encryption`, read where that is not set.',
      details: 'Write `c2s_require_encryption` (and `s2s_require_encryption` for servers) instead.',
      link: TLS_MOD,
    },
  },
  {
    name: 's2s_allow_encryption',
    kind: 'boolean',
    // mod_tls's can_do_tls needs it for incoming and outgoing s2s alike (0.12.3 mod_tls.lua; a reviewer's run offered
    // dialback only, no <starttls/>).
    unsafeValue: { value: false, why: 'stops Prosody offering or starting TLS on server-to-server connections: federation traffic travels in clear, or, where `s2s_require_encryption` is on (the default from 0.12), every server-to-server session is refused.', instead: 'Write `true` (the default), or remove the line: it is meant for debugging only.' },
    shapes: ['boolean'],
    scopes: ['global', 'host'],
    defaults: all(true),
    snippet: '${1|true,false|}',
    rank: 40,
    doc: {
      summary: 'Whether to offer and accept STARTTLS on server-to-server connections at all (default `true`).',
      details: 'Setting it to `false` makes all federation traffic travel unencrypted and conflicts with `s2s_require_encryption`; only for debugging.',
      link: TLS_MOD,
    },
  },
  {
    name: 's2s_secure_auth',
    kind: 'boolean',
    shapes: ['boolean'],
    scopes: ['global'],
    // mod_s2s is a global module (module:set_global) and reads it once; only mod_tls reads it per host.
    // mod_tls: `if s2s_secure_auth and s2s_require_encryption == false then s2s_require_encryption = true`.
    hostNote: 'under a host, `true` changes something only where `s2s_require_encryption = false` is in force for that host (set there or globally): mod_tls then marks the STARTTLS it offers other servers as required (whether unencrypted sessions are refused stays the global `s2s_require_encryption`, read by mod_s2s); certificates are checked as the global setting says',
    defaults: all(false),
    prosody: { since: '0.9.0' },
    snippet: '${1|true,false|}',
    rank: 12,
    doc: {
      summary: 'Only accept remote servers that prove their identity with a valid, trusted certificate.',
      details: 'Default `false` (the sample config shipped with 0.12+ sets `true`). Without it Prosody falls back to dialback, which trusts DNS. Exceptions go in `s2s_insecure_domains`; relies on `verify`/`verifyext` being left at Prosody\'s defaults.',
      link: S2S,
    },
  },
  {
    name: 's2s_secure_domains',
    kind: 'domain-list',
    shapes: ['list'],
    scopes: ['global'],
    // Read once by mod_s2s, a global module (module:set_global).
    defaults: all([]),
    prosody: { since: '0.9.0' },
    snippet: '{ "${1:example.org}" }',
    rank: 13,
    doc: {
      summary: 'Remote domains that must authenticate with a valid certificate even when `s2s_secure_auth` is off.',
      link: S2S,
    },
  },
  {
    name: 's2s_insecure_domains',
    kind: 'domain-list',
    shapes: ['list'],
    scopes: ['global'],
    // Read once by mod_s2s, a global module (module:set_global).
    defaults: all([]),
    prosody: { since: '0.9.0' },
    snippet: '{ "${1:example.org}" }',
    rank: 14,
    doc: {
      summary: 'Remote domains allowed to authenticate without a valid certificate (dialback) while `s2s_secure_auth` is on.',
      details: 'Each entry is an exception to certificate checking; connections to those domains can be impersonated by anyone who controls their DNS.',
      link: S2S,
    },
  },
  {
    name: 'ssl_compression',
    kind: 'boolean',
    sslDefaults: { value: true, key: 'options', drop: 'no_compression' },
    // OpenSSL 1.1.0+ sets SSL_OP_NO_COMPRESSION in every new context (SSL_CTX_new) and LuaSec only ever adds option
    // flags, so leaving `no_compression` out turns nothing on; Debian's OpenSSL 3 is built without zlib as well.
    noEffectValue: { value: true, why: 'only leaves `no_compression` out of Prosody\'s default options, but OpenSSL 1.1.0 and later keep TLS compression off in every new context unless the application switches it back on, which LuaSec never does. Remove the line (on OpenSSL 1.0.x it would allow compression and the CRIME attack).' },
    shapes: ['boolean'],
    scopes: ['global'],
    defaults: all(false),
    prosody: { since: '0.9.0' },
    snippet: '${1|false,true|}',
    rank: 50,
    doc: {
      summary: 'Allow TLS-level compression (default `false`, i.e. the `no_compression` option stays on).',
      details: 'On OpenSSL 1.1.0 and later `true` changes nothing: OpenSSL keeps compression off in every context and LuaSec cannot switch it back on. On OpenSSL 1.0.x it allowed TLS compression, which leaks secrets through the CRIME attack. Leave it `false`.',
      link: `${ADV}#options`,
    },
  },
  {
    name: 'use_dane',
    kind: 'boolean',
    sslDefaults: { value: true, key: 'dane', set: ['no_ee_namechecks'] },
    shapes: ['boolean'],
    scopes: ['global'],
    checkSaysGlobalOnly: true,
    defaults: { '0.12': false, '13.0': false },
    prosody: { since: '0.12.0' },
    snippet: '${1|true,false|}',
    rank: 20,
    doc: {
      summary: 'Use DANE (TLSA records over DNSSEC) to authenticate remote servers (0.12+).',
      details: 'Needs a DNSSEC-validating resolver (libunbound via `luaunbound`) and LuaSec with DANE support (OpenSSL 1.1.0+). Prosody then sets the `dane` key of its TLS contexts itself.',
      link: S2S,
    },
  },
  {
    name: 'tls_server_end_point_hash',
    kind: 'string',
    shapes: ['string'],
    scopes: ['global', 'host'],
    values: 'tls_server_end_point_hash',
    defaults: { '13.0': null },
    prosody: { since: '13.0.0' },
    // Only 13.0's mod_saslauth reads it (a reviewer checked 0.12.3's tree: no module names it).
    before: 'Earlier releases offer no `tls-server-end-point` channel binding: remove it.',
    snippet: '"${1:auto}"',
    rank: 60,
    doc: {
      summary: 'Offers SASL `tls-server-end-point` channel binding: `"auto"`, or the hex hash of the certificate clients see (13.0+).',
      details: 'Channel binding ties a login to the TLS connection so a man-in-the-middle cannot relay it. `"auto"` hashes the certificate Prosody serves; any other string is used as that hash, in hex (behind a TLS-terminating proxy: the hash of the proxy\'s certificate). Unset, this binding is not offered (tls-exporter and tls-unique still are).',
      link: 'https://prosody.im/doc/modules/mod_saslauth',
    },
  },
  {
    name: 'consider_bosh_secure',
    kind: 'boolean',
    shapes: ['boolean'],
    scopes: ['global'],
    defaults: all(null),
    snippet: '${1|true,false|}',
    rank: 70,
    doc: {
      summary: 'Treat BOSH sessions as encrypted even when they arrive over plain HTTP (for a TLS-terminating proxy).',
      details: '**Security:** only set this when a reverse proxy in front of Prosody really handles HTTPS; otherwise clients send passwords in clear text while Prosody believes the link is encrypted.',
      link: 'https://prosody.im/doc/modules/mod_bosh',
    },
  },
  {
    name: 'consider_websocket_secure',
    kind: 'boolean',
    shapes: ['boolean'],
    scopes: ['global'],
    defaults: { '0.10': null, '0.11': null, '0.12': null, '13.0': null },
    prosody: { since: '0.10.0' },
    snippet: '${1|true,false|}',
    rank: 71,
    doc: {
      summary: 'Treat WebSocket sessions as encrypted even over plain HTTP (for a TLS-terminating proxy), 0.10+.',
      details: '**Security:** only with a reverse proxy that really handles HTTPS; otherwise credentials travel in clear text while Prosody believes the link is encrypted.',
      link: 'https://prosody.im/doc/modules/mod_websocket',
    },
  },
  {
    name: 'allow_unencrypted_plain_auth',
    kind: 'boolean',
    unsafeValue: { value: true, why: 'lets clients send their password in clear text over connections without TLS.', instead: 'Write `false` (or remove the line).' },
    shapes: ['boolean'],
    scopes: ['global', 'host'],
    defaults: all(false),
    snippet: '${1|false,true|}',
    rank: 80,
    doc: {
      summary: 'Allow SASL PLAIN login over a connection without TLS (default `false`).',
      details: '**Security:** with `true` passwords cross the network readable by anyone on the path. Only meaningful when `c2s_require_encryption` is off.',
      link: 'https://prosody.im/doc/modules/mod_saslauth',
    },
  },
];
