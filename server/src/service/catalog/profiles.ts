// tls_profile presets (facts §1.3): what each layers beneath the user's global `ssl`, per release line.
// Prosody 0.12.0–0.12.3 follow Mozilla's guideline 5.6, 0.12.4+ and 13.0 follow 5.7; a line means its
// newest release (0.12.5), so DHE-RSA-CHACHA20-POLY1305 is listed for 0.12.
import type { LuaLiteral, TlsProfile } from './types';
import type { ProsodyLine } from './versions';

/**
 * An unknown `tls_profile` (facts §1.3): from `refusedSince` Prosody creates no TLS context at all; the earlier
 * releases of `lenientLine` (`lenient`) silently apply no preset, as for `legacy`.
 */
export const UNKNOWN_PROFILE = { refusedSince: '0.12.5', lenient: '0.12.0–0.12.4', lenientLine: '0.12' } as const;

const LINK = 'https://prosody.im/doc/certificates';

const CURVES = ['X25519', 'prime256v1', 'secp384r1'] as const;
const SUITES = ['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256'] as const;

/** Mozilla "intermediate" TLS 1.2 suites; the last one only from Prosody 0.12.4 (CIPHER_ADDED_LATE). */
export const INTERMEDIATE_CIPHERS = [
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305',
  'ECDHE-RSA-CHACHA20-POLY1305',
  'DHE-RSA-AES128-GCM-SHA256',
  'DHE-RSA-AES256-GCM-SHA384',
  'DHE-RSA-CHACHA20-POLY1305',
] as const;

/** The intermediate suite the first releases of a line lacked (Mozilla guideline 5.6; 5.7 added it). */
export const CIPHER_ADDED_LATE = { name: 'DHE-RSA-CHACHA20-POLY1305', line: '0.12', lacking: '0.12.0–0.12.3', since: '0.12.4' } as const;

const OLD_EXTRA_CIPHERS = [
  'ECDHE-ECDSA-AES128-SHA256',
  'ECDHE-RSA-AES128-SHA256',
  'ECDHE-ECDSA-AES128-SHA',
  'ECDHE-RSA-AES128-SHA',
  'ECDHE-ECDSA-AES256-SHA384',
  'ECDHE-RSA-AES256-SHA384',
  'ECDHE-ECDSA-AES256-SHA',
  'ECDHE-RSA-AES256-SHA',
  'DHE-RSA-AES128-SHA256',
  'DHE-RSA-AES256-SHA256',
  'AES128-GCM-SHA256',
  'AES256-GCM-SHA384',
  'AES128-SHA256',
  'AES256-SHA256',
  'AES128-SHA',
  'AES256-SHA',
  'DES-CBC3-SHA',
] as const;

/**
 * The RFC 7919 ffdhe2048 group as PEM, which 13.0's intermediate preset carries literally (13.0 treats a
 * dhparam starting with "-----BEGIN" as PEM text, not as a file path). Generated with
 * `openssl genpkey -genparam -algorithm DH -pkeyopt group:ffdhe2048`.
 */
export const FFDHE2048_PEM = [
  '-----BEGIN DH PARAMETERS-----',
  'MIIBCAKCAQEA//////////+t+FRYortKmq/cViAnPTzx2LnFg84tNpWp4TZBFGQz',
  '+8yTnc4kmz75fS/jY2MMddj2gbICrsRhetPfHtXV/WVhJDP1H18GbtCFY2VVPe0a',
  '87VXE15/V8k1mE8McODmi3fipona8+/och3xWKE2rec1MKzKT0g6eXq8CrGCsyT7',
  'YdEIqUuyyOP7uWrat2DX9GgdT0Kj3jlN9K5W7edjcrsZCwenyO4KbXCeAvzhzffi',
  '7MA0BM0oNC9hkXL+nOmFg/+OTxIy7vKBg8P+OxtMb61zO7X8vC7CIAXFjvGDfRaD',
  'ssbzSibBsu/6iGtCOGEoXJf//////////wIBAg==',
  '-----END DH PARAMETERS-----',
].join('\n');

const modern: Record<string, LuaLiteral> = {
  protocol: 'tlsv1_3',
  options: { cipher_server_preference: false },
  ciphers: 'DEFAULT',
  curveslist: [...CURVES],
  ciphersuites: [...SUITES],
};

const intermediate: Record<string, LuaLiteral> = {
  protocol: 'tlsv1_2+',
  options: { cipher_server_preference: false },
  ciphers: [...INTERMEDIATE_CIPHERS],
  curveslist: [...CURVES],
  ciphersuites: [...SUITES],
};

const old: Record<string, LuaLiteral> = {
  protocol: 'tlsv1+',
  options: { cipher_server_preference: true },
  ciphers: [...INTERMEDIATE_CIPHERS, ...OLD_EXTRA_CIPHERS],
  curveslist: [...CURVES],
  ciphersuites: [...SUITES],
};

export const tlsProfiles: readonly TlsProfile[] = [
  {
    name: 'intermediate',
    prosody: { since: '0.12.0' },
    sets: { '0.12': intermediate, '13.0': { ...intermediate, dhparam: FFDHE2048_PEM } },
    rank: 0,
    doc: {
      summary: 'The default preset: TLS 1.2 and 1.3 with forward-secret AEAD ciphers, after Mozilla\'s "intermediate" guideline.',
      details: [
        'Sets `protocol = "tlsv1_2+"`, nine ECDHE/DHE AES-GCM and ChaCha20 suites for TLS 1.2, the three standard TLS 1.3 suites, `curveslist` X25519/P-256/P-384, and lets the client choose the cipher (`cipher_server_preference = false`).',
        `Prosody ${CIPHER_ADDED_LATE.lacking} lack \`${CIPHER_ADDED_LATE.name}\` (Mozilla 5.6); ${CIPHER_ADDED_LATE.since}+ have it. Only 13.0 also ships DH parameters (the RFC 7919 \`ffdhe2048\` group), so DHE suites work there without a \`dhparam\` file.`,
      ].join('\n\n'),
      link: LINK,
    },
  },
  {
    name: 'modern',
    prosody: { since: '0.12.0' },
    sets: { '0.12': modern, '13.0': modern },
    rank: 1,
    doc: {
      summary: 'TLS 1.3 only, after Mozilla\'s "modern" guideline.',
      details: 'Sets `protocol = "tlsv1_3"`, `ciphers = "DEFAULT"` (irrelevant under TLS 1.3), the three standard TLS 1.3 suites and X25519/P-256/P-384. Servers and clients that stop at TLS 1.2 cannot connect, which still includes part of the XMPP network.',
      link: LINK,
    },
  },
  {
    name: 'old',
    prosody: { since: '0.12.0' },
    sets: { '0.12': old, '13.0': old },
    rank: 80,
    unsafe: 'Allows TLS 1.0/1.1 and CBC, SHA-1 and static-RSA suites; only for software that cannot do better.',
    doc: {
      summary: 'Maximum compatibility after Mozilla\'s "old" guideline: TLS 1.0+ and a long legacy cipher list.',
      details: 'Sets `protocol = "tlsv1+"`, server cipher preference, and 26 TLS 1.2 suites including non-forward-secret RSA and `DES-CBC3-SHA` (which OpenSSL 3 no longer provides and silently drops). On OpenSSL 3 the default security level may still block TLS 1.0/1.1.',
      link: LINK,
    },
  },
  {
    name: 'legacy',
    prosody: { since: '0.12.0' },
    sets: { '0.12': {}, '13.0': {} },
    rank: 85,
    unsafe: 'Keeps TLS 1.0/1.1 enabled at the protocol level and a broad cipher list that includes non-forward-secret suites.',
    doc: {
      summary: 'No preset at all: the built-in pre-0.12 defaults (TLS 1.0+, `HIGH` cipher list) stay in effect.',
      details: `Useful only to reproduce 0.11 behaviour. Note that ${UNKNOWN_PROFILE.lenient} silently fall back to this for a misspelt \`tls_profile\` value; ${UNKNOWN_PROFILE.refusedSince}+ refuse to create TLS contexts instead.`,
      link: LINK,
    },
  },
];

/**
 * Prosody's own layer for server-to-server contexts (mod_tls, 0.12+), applied above the global `ssl`:
 * it asks peers for certificates (and, in 13.0, moved the verifyext defaults here). Facts §1.2.
 */
export const s2sPeerLayer: Partial<Record<ProsodyLine, Readonly<Record<string, LuaLiteral>>>> = {
  '0.12': { verify: ['peer', 'client_once'] },
  '13.0': { verify: ['peer', 'client_once'], verifyext: ['lsec_continue', 'lsec_ignore_purpose'] },
};

/**
 * What Prosody sets over `client_https_ssl` for its outgoing HTTPS client (0.10+, the option's releases): startup
 * hands certmanager `{ capath, cafile, verify = "peer" }` after that table, and the later layer wins, so requests
 * are always verified (a reviewer's 0.12.3 run: `verify = "none"` there stayed "peer"). `capath`/`cafile` come from
 * the global `ssl` and win only where it names them, so only `verify` is fixed.
 */
export const clientHttpsLayer: Readonly<Record<string, LuaLiteral>> = { verify: 'peer' };
