// The cipher-string aliases of OpenSSL 3.0 (ssl_ciph.c `cipher_aliases`), as category masks.
// Whether OpenSSL 3 *recognizes* an alias depends on which algorithms the build can load
// (e.g. RC4/IDEA/SEED live in the legacy provider, so those words are ignored like typos):
// the generator probes that and records it in suites.generated.ts (RECOGNIZED_ALIASES).
import { AUTH, ENC, ENC_AES, ENC_AESCCM, ENC_AESGCM, ENC_ARIA, ENC_CAMELLIA, ENC_CBC, MAC, MKEY, MKEY_PSK, STRENGTH, VERSION } from './bits';

export interface AliasDef {
  readonly name: string;
  readonly mkey?: number;
  readonly auth?: number;
  readonly enc?: number;
  readonly mac?: number;
  readonly minTls?: number;
  readonly strength?: number;
  /** One-line meaning, for hovers. */
  readonly doc: string;
}

const NOT_ENULL = ~ENC.eNULL;
const NOT_ANULL = ~AUTH.aNULL;

export const ALIASES: readonly AliasDef[] = [
  { name: 'ALL', enc: NOT_ENULL, doc: 'every suite except those without encryption (eNULL)' },
  { name: 'COMPLEMENTOFALL', enc: ENC.eNULL, doc: 'suites not in ALL (the unencrypted eNULL ones)' },
  { name: 'COMPLEMENTOFDEFAULT', strength: STRENGTH.NOT_DEFAULT, doc: 'suites in ALL that DEFAULT leaves out (anonymous, SRP, CAMELLIA, ARIA, CCM, …)' },
  // key exchange
  { name: 'kRSA', mkey: MKEY.kRSA, doc: 'static RSA key exchange (no forward secrecy)' },
  { name: 'kEDH', mkey: MKEY.kDHE, doc: 'ephemeral finite-field Diffie-Hellman key exchange, anonymous ones included' },
  { name: 'kDHE', mkey: MKEY.kDHE, doc: 'ephemeral finite-field Diffie-Hellman key exchange, anonymous ones included' },
  { name: 'DH', mkey: MKEY.kDHE, doc: 'ephemeral finite-field Diffie-Hellman key exchange, anonymous ones included' },
  { name: 'kEECDH', mkey: MKEY.kECDHE, doc: 'ephemeral elliptic-curve Diffie-Hellman key exchange, anonymous ones included' },
  { name: 'kECDHE', mkey: MKEY.kECDHE, doc: 'ephemeral elliptic-curve Diffie-Hellman key exchange, anonymous ones included' },
  { name: 'ECDH', mkey: MKEY.kECDHE, doc: 'ephemeral elliptic-curve Diffie-Hellman key exchange, anonymous ones included' },
  { name: 'kPSK', mkey: MKEY.kPSK, doc: 'plain pre-shared-key key exchange' },
  { name: 'kRSAPSK', mkey: MKEY.kRSAPSK, doc: 'RSA + pre-shared-key key exchange' },
  { name: 'kECDHEPSK', mkey: MKEY.kECDHEPSK, doc: 'ECDHE + pre-shared-key key exchange' },
  { name: 'kDHEPSK', mkey: MKEY.kDHEPSK, doc: 'DHE + pre-shared-key key exchange' },
  { name: 'kSRP', mkey: MKEY.kSRP, doc: 'SRP (password) key exchange' },
  { name: 'kGOST', mkey: MKEY.kGOST, doc: 'GOST key exchange (needs a GOST engine/provider)' },
  { name: 'kGOST18', mkey: MKEY.kGOST18, doc: 'GOST 2018 key exchange (needs a GOST engine/provider)' },
  // authentication
  { name: 'aRSA', auth: AUTH.aRSA, doc: 'RSA certificate authentication' },
  { name: 'aDSS', auth: AUTH.aDSS, doc: 'DSA certificate authentication' },
  { name: 'DSS', auth: AUTH.aDSS, doc: 'DSA certificate authentication' },
  { name: 'aNULL', auth: AUTH.aNULL, doc: 'no authentication at all (anonymous, open to man-in-the-middle)' },
  { name: 'aECDSA', auth: AUTH.aECDSA, doc: 'ECDSA certificate authentication' },
  { name: 'ECDSA', auth: AUTH.aECDSA, doc: 'ECDSA certificate authentication' },
  { name: 'aPSK', auth: AUTH.aPSK, doc: 'pre-shared-key authentication' },
  { name: 'aGOST01', auth: AUTH.aGOST01, doc: 'GOST R 34.10-2001 authentication' },
  { name: 'aGOST12', auth: AUTH.aGOST12, doc: 'GOST R 34.10-2012 authentication' },
  { name: 'aGOST', auth: AUTH.aGOST01 | AUTH.aGOST12, doc: 'GOST authentication' },
  { name: 'aSRP', auth: AUTH.aSRP, doc: 'SRP authentication' },
  // key exchange + authentication
  { name: 'EDH', mkey: MKEY.kDHE, auth: NOT_ANULL, doc: 'authenticated ephemeral DH (DHE), anonymous excluded' },
  { name: 'DHE', mkey: MKEY.kDHE, auth: NOT_ANULL, doc: 'authenticated ephemeral DH (DHE), anonymous excluded' },
  { name: 'EECDH', mkey: MKEY.kECDHE, auth: NOT_ANULL, doc: 'authenticated ephemeral ECDH (ECDHE), anonymous excluded' },
  { name: 'ECDHE', mkey: MKEY.kECDHE, auth: NOT_ANULL, doc: 'authenticated ephemeral ECDH (ECDHE), anonymous excluded' },
  { name: 'NULL', enc: ENC.eNULL, doc: 'no encryption (same as eNULL)' },
  { name: 'RSA', mkey: MKEY.kRSA, auth: AUTH.aRSA, doc: 'static RSA key exchange with RSA authentication' },
  { name: 'ADH', mkey: MKEY.kDHE, auth: AUTH.aNULL, doc: 'anonymous DH (no authentication)' },
  { name: 'AECDH', mkey: MKEY.kECDHE, auth: AUTH.aNULL, doc: 'anonymous ECDH (no authentication)' },
  { name: 'PSK', mkey: MKEY_PSK, doc: 'every pre-shared-key suite' },
  { name: 'SRP', mkey: MKEY.kSRP, doc: 'every SRP suite' },
  // symmetric encryption
  { name: '3DES', enc: ENC['3DES'], doc: 'triple DES (not built into OpenSSL 3 by default)' },
  { name: 'RC4', enc: ENC.RC4, doc: 'RC4 stream cipher (removed)' },
  { name: 'RC2', enc: ENC.RC2, doc: 'RC2 (removed)' },
  { name: 'IDEA', enc: ENC.IDEA, doc: 'IDEA (removed)' },
  { name: 'SEED', enc: ENC.SEED, doc: 'SEED (removed)' },
  { name: 'eNULL', enc: ENC.eNULL, doc: 'no encryption' },
  { name: 'GOST', enc: ENC.eGOST2814789CNT | ENC.eGOST2814789CNT12 | ENC.MAGMA | ENC.KUZNYECHIK, doc: 'GOST encryption' },
  { name: 'AES128', enc: ENC.AES128 | ENC.AES128GCM | ENC.AES128CCM | ENC.AES128CCM8, doc: 'AES with 128-bit keys (CBC, GCM, CCM)' },
  { name: 'AES256', enc: ENC.AES256 | ENC.AES256GCM | ENC.AES256CCM | ENC.AES256CCM8, doc: 'AES with 256-bit keys (CBC, GCM, CCM)' },
  { name: 'AES', enc: ENC_AES, doc: 'any AES suite' },
  { name: 'AESGCM', enc: ENC_AESGCM, doc: 'AES in GCM mode' },
  { name: 'AESCCM', enc: ENC_AESCCM, doc: 'AES in CCM mode (incl. CCM8)' },
  { name: 'AESCCM8', enc: ENC.AES128CCM8 | ENC.AES256CCM8, doc: 'AES in CCM mode with 8-byte tags' },
  { name: 'CAMELLIA128', enc: ENC.CAMELLIA128, doc: 'Camellia 128-bit' },
  { name: 'CAMELLIA256', enc: ENC.CAMELLIA256, doc: 'Camellia 256-bit' },
  { name: 'CAMELLIA', enc: ENC_CAMELLIA, doc: 'any Camellia suite' },
  { name: 'CHACHA20', enc: ENC.CHACHA20, doc: 'ChaCha20-Poly1305' },
  { name: 'GOST2012-GOST8912-GOST8912', enc: ENC.eGOST2814789CNT12, doc: 'GOST 28147-89 (2012 variant)' },
  { name: 'ARIA', enc: ENC_ARIA, doc: 'any ARIA suite' },
  { name: 'ARIAGCM', enc: ENC_ARIA, doc: 'ARIA in GCM mode' },
  { name: 'ARIA128', enc: ENC.ARIA128GCM, doc: 'ARIA 128-bit' },
  { name: 'ARIA256', enc: ENC.ARIA256GCM, doc: 'ARIA 256-bit' },
  { name: 'CBC', enc: ENC_CBC, doc: 'any block cipher in CBC mode' },
  // MACs
  { name: 'MD5', mac: MAC.MD5, doc: 'HMAC-MD5 record MAC' },
  { name: 'SHA1', mac: MAC.SHA1, doc: 'HMAC-SHA1 record MAC' },
  { name: 'SHA', mac: MAC.SHA1, doc: 'HMAC-SHA1 record MAC' },
  { name: 'GOST94', mac: MAC.GOST94, doc: 'GOST R 34.11-94 MAC' },
  { name: 'GOST89MAC', mac: MAC.GOST89MAC | MAC.GOST89MAC12, doc: 'GOST 28147-89 MAC' },
  { name: 'SHA256', mac: MAC.SHA256, doc: 'HMAC-SHA256 record MAC' },
  { name: 'SHA384', mac: MAC.SHA384, doc: 'HMAC-SHA384 record MAC' },
  { name: 'GOST12', mac: MAC.GOST12_256, doc: 'GOST R 34.11-2012 MAC' },
  // protocol version a suite was introduced in (not the negotiated version)
  { name: 'SSLv3', minTls: VERSION.SSLv3, doc: 'suites defined since SSLv3 (still usable with TLS 1.2)' },
  { name: 'TLSv1', minTls: VERSION.TLSv1, doc: 'suites defined since TLS 1.0' },
  { name: 'TLSv1.0', minTls: VERSION.TLSv1, doc: 'suites defined since TLS 1.0' },
  { name: 'TLSv1.2', minTls: VERSION['TLSv1.2'], doc: 'suites defined since TLS 1.2 (they need TLS 1.2)' },
  // strength classes
  { name: 'LOW', strength: STRENGTH.LOW, doc: 'low strength (56/64-bit) — none exist in OpenSSL 3' },
  { name: 'MEDIUM', strength: STRENGTH.MEDIUM, doc: 'medium strength — none are built in OpenSSL 3 by default' },
  { name: 'HIGH', strength: STRENGTH.HIGH, doc: 'high strength (in OpenSSL 3: every suite that encrypts)' },
  { name: 'FIPS', enc: NOT_ENULL, strength: STRENGTH.FIPS, doc: 'suites made only of FIPS-approved algorithms' },
  // old "EDH-" spellings of two 3DES suites
  { name: 'EDH-DSS-DES-CBC3-SHA', mkey: MKEY.kDHE, auth: AUTH.aDSS, enc: ENC['3DES'], mac: MAC.SHA1, strength: STRENGTH.HIGH | STRENGTH.FIPS, doc: 'old name of DHE-DSS-DES-CBC3-SHA (3DES)' },
  { name: 'EDH-RSA-DES-CBC3-SHA', mkey: MKEY.kDHE, auth: AUTH.aRSA, enc: ENC['3DES'], mac: MAC.SHA1, strength: STRENGTH.HIGH | STRENGTH.FIPS, doc: 'old name of DHE-RSA-DES-CBC3-SHA (3DES)' },
];

/** Special words handled outside the alias table. */
export const SPECIAL_WORDS = {
  DEFAULT: 'the built-in default list (ALL:!COMPLEMENTOFDEFAULT:!eNULL); only recognized at the very start',
  '@STRENGTH': 'sort the current list by encryption key length, strongest first (stable)',
  '@SECLEVEL': 'set the OpenSSL security level (0–5) used when connecting',
  SUITEB128: 'Suite B mode (RFC 6460); only at the start, replaces the whole string',
} as const;
