// Hand-written: suites and alias words that older OpenSSL releases understood but OpenSSL 3 (as shipped,
// without the legacy provider or weak-ciphers build option) does not. They never appear in evaluation
// results; hovers use them to explain why a word in an old config selects nothing.
import { AU_COLUMN, ENC, KX_COLUMN, MAC_COLUMN, STRENGTH, VERSION, type ProtocolName } from './bits';
import type { Suite } from './types';

export type LegacyFamily = 'RC4' | '3DES' | 'DES' | 'EXPORT' | 'IDEA' | 'SEED' | 'static-DH' | 'GOST';

export interface LegacySuite extends Suite {
  readonly legacy: true;
  readonly family: LegacyFamily;
  /** Why OpenSSL 3 does not offer it, for hovers. */
  readonly reason: string;
}

const WHY: Readonly<Record<LegacyFamily, string>> = {
  RC4: 'RC4 is broken (RFC 7465 forbids it in TLS); OpenSSL 3 has no RC4 suites unless built with enable-weak-ssl-ciphers and the legacy provider',
  '3DES': '3DES has a 64-bit block (Sweet32 attack); OpenSSL 3 builds without 3DES suites unless configured with enable-weak-ssl-ciphers',
  DES: 'single DES (56-bit keys) was removed in OpenSSL 1.1.0',
  EXPORT: 'export-grade (40/56-bit) suites were removed in OpenSSL 1.1.0 (FREAK/Logjam)',
  IDEA: 'IDEA suites are not available in OpenSSL 3 (legacy provider only, and removed from TLS 1.2)',
  SEED: 'SEED suites are not available in OpenSSL 3 (the cipher lives in the legacy provider)',
  'static-DH': 'static (non-ephemeral) DH/ECDH suites were removed in OpenSSL 1.1.0',
  GOST: 'GOST suites need an external GOST engine/provider, which a default OpenSSL 3 lacks',
};

const ENC_LEGACY: Readonly<Record<string, number>> = {
  RC4: ENC.RC4, '3DES': ENC['3DES'], DES: ENC.DES, RC2: ENC.RC2, IDEA: ENC.IDEA, SEED: ENC.SEED,
  AES: ENC.AES128, AESGCM: ENC.AES128GCM, GOST89: ENC.eGOST2814789CNT,
};

// name, IANA name, id, protocol, Kx, Au, Enc, bits, Mac, family
type Row = [string, string, string, ProtocolName, string, string, string, number, string, LegacyFamily];
const ROWS: readonly Row[] = [
  ['RC4-MD5', 'TLS_RSA_WITH_RC4_128_MD5', '0x00,0x04', 'SSLv3', 'RSA', 'RSA', 'RC4', 128, 'MD5', 'RC4'],
  ['RC4-SHA', 'TLS_RSA_WITH_RC4_128_SHA', '0x00,0x05', 'SSLv3', 'RSA', 'RSA', 'RC4', 128, 'SHA1', 'RC4'],
  ['ADH-RC4-MD5', 'TLS_DH_anon_WITH_RC4_128_MD5', '0x00,0x18', 'SSLv3', 'DH', 'None', 'RC4', 128, 'MD5', 'RC4'],
  ['ECDHE-ECDSA-RC4-SHA', 'TLS_ECDHE_ECDSA_WITH_RC4_128_SHA', '0xC0,0x07', 'TLSv1', 'ECDH', 'ECDSA', 'RC4', 128, 'SHA1', 'RC4'],
  ['ECDHE-RSA-RC4-SHA', 'TLS_ECDHE_RSA_WITH_RC4_128_SHA', '0xC0,0x11', 'TLSv1', 'ECDH', 'RSA', 'RC4', 128, 'SHA1', 'RC4'],
  ['AECDH-RC4-SHA', 'TLS_ECDH_anon_WITH_RC4_128_SHA', '0xC0,0x16', 'TLSv1', 'ECDH', 'None', 'RC4', 128, 'SHA1', 'RC4'],
  ['PSK-RC4-SHA', 'TLS_PSK_WITH_RC4_128_SHA', '0x00,0x8A', 'SSLv3', 'PSK', 'PSK', 'RC4', 128, 'SHA1', 'RC4'],
  ['DHE-PSK-RC4-SHA', 'TLS_DHE_PSK_WITH_RC4_128_SHA', '0x00,0x8E', 'SSLv3', 'DHEPSK', 'PSK', 'RC4', 128, 'SHA1', 'RC4'],
  ['RSA-PSK-RC4-SHA', 'TLS_RSA_PSK_WITH_RC4_128_SHA', '0x00,0x92', 'SSLv3', 'RSAPSK', 'RSA', 'RC4', 128, 'SHA1', 'RC4'],
  ['ECDHE-PSK-RC4-SHA', 'TLS_ECDHE_PSK_WITH_RC4_128_SHA', '0xC0,0x33', 'TLSv1', 'ECDHEPSK', 'PSK', 'RC4', 128, 'SHA1', 'RC4'],
  ['DES-CBC3-SHA', 'TLS_RSA_WITH_3DES_EDE_CBC_SHA', '0x00,0x0A', 'SSLv3', 'RSA', 'RSA', '3DES', 168, 'SHA1', '3DES'],
  ['DHE-DSS-DES-CBC3-SHA', 'TLS_DHE_DSS_WITH_3DES_EDE_CBC_SHA', '0x00,0x13', 'SSLv3', 'DH', 'DSS', '3DES', 168, 'SHA1', '3DES'],
  ['DHE-RSA-DES-CBC3-SHA', 'TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA', '0x00,0x16', 'SSLv3', 'DH', 'RSA', '3DES', 168, 'SHA1', '3DES'],
  ['ADH-DES-CBC3-SHA', 'TLS_DH_anon_WITH_3DES_EDE_CBC_SHA', '0x00,0x1B', 'SSLv3', 'DH', 'None', '3DES', 168, 'SHA1', '3DES'],
  ['ECDHE-ECDSA-DES-CBC3-SHA', 'TLS_ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA', '0xC0,0x08', 'TLSv1', 'ECDH', 'ECDSA', '3DES', 168, 'SHA1', '3DES'],
  ['ECDHE-RSA-DES-CBC3-SHA', 'TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA', '0xC0,0x12', 'TLSv1', 'ECDH', 'RSA', '3DES', 168, 'SHA1', '3DES'],
  ['AECDH-DES-CBC3-SHA', 'TLS_ECDH_anon_WITH_3DES_EDE_CBC_SHA', '0xC0,0x17', 'TLSv1', 'ECDH', 'None', '3DES', 168, 'SHA1', '3DES'],
  ['PSK-3DES-EDE-CBC-SHA', 'TLS_PSK_WITH_3DES_EDE_CBC_SHA', '0x00,0x8B', 'SSLv3', 'PSK', 'PSK', '3DES', 168, 'SHA1', '3DES'],
  ['SRP-3DES-EDE-CBC-SHA', 'TLS_SRP_SHA_WITH_3DES_EDE_CBC_SHA', '0xC0,0x1A', 'SSLv3', 'SRP', 'SRP', '3DES', 168, 'SHA1', '3DES'],
  ['SRP-RSA-3DES-EDE-CBC-SHA', 'TLS_SRP_SHA_RSA_WITH_3DES_EDE_CBC_SHA', '0xC0,0x1B', 'SSLv3', 'SRP', 'RSA', '3DES', 168, 'SHA1', '3DES'],
  ['DES-CBC-SHA', 'TLS_RSA_WITH_DES_CBC_SHA', '0x00,0x09', 'SSLv3', 'RSA', 'RSA', 'DES', 56, 'SHA1', 'DES'],
  ['EDH-DSS-DES-CBC-SHA', 'TLS_DHE_DSS_WITH_DES_CBC_SHA', '0x00,0x12', 'SSLv3', 'DH', 'DSS', 'DES', 56, 'SHA1', 'DES'],
  ['EDH-RSA-DES-CBC-SHA', 'TLS_DHE_RSA_WITH_DES_CBC_SHA', '0x00,0x15', 'SSLv3', 'DH', 'RSA', 'DES', 56, 'SHA1', 'DES'],
  ['ADH-DES-CBC-SHA', 'TLS_DH_anon_WITH_DES_CBC_SHA', '0x00,0x1A', 'SSLv3', 'DH', 'None', 'DES', 56, 'SHA1', 'DES'],
  ['EXP-RC4-MD5', 'TLS_RSA_EXPORT_WITH_RC4_40_MD5', '0x00,0x03', 'SSLv3', 'RSA(512)', 'RSA', 'RC4', 40, 'MD5', 'EXPORT'],
  ['EXP-RC2-CBC-MD5', 'TLS_RSA_EXPORT_WITH_RC2_CBC_40_MD5', '0x00,0x06', 'SSLv3', 'RSA(512)', 'RSA', 'RC2', 40, 'MD5', 'EXPORT'],
  ['EXP-DES-CBC-SHA', 'TLS_RSA_EXPORT_WITH_DES40_CBC_SHA', '0x00,0x08', 'SSLv3', 'RSA(512)', 'RSA', 'DES', 40, 'SHA1', 'EXPORT'],
  ['EXP-EDH-DSS-DES-CBC-SHA', 'TLS_DHE_DSS_EXPORT_WITH_DES40_CBC_SHA', '0x00,0x11', 'SSLv3', 'DH(512)', 'DSS', 'DES', 40, 'SHA1', 'EXPORT'],
  ['EXP-EDH-RSA-DES-CBC-SHA', 'TLS_DHE_RSA_EXPORT_WITH_DES40_CBC_SHA', '0x00,0x14', 'SSLv3', 'DH(512)', 'RSA', 'DES', 40, 'SHA1', 'EXPORT'],
  ['EXP-ADH-RC4-MD5', 'TLS_DH_anon_EXPORT_WITH_RC4_40_MD5', '0x00,0x17', 'SSLv3', 'DH(512)', 'None', 'RC4', 40, 'MD5', 'EXPORT'],
  ['EXP-ADH-DES-CBC-SHA', 'TLS_DH_anon_EXPORT_WITH_DES40_CBC_SHA', '0x00,0x19', 'SSLv3', 'DH(512)', 'None', 'DES', 40, 'SHA1', 'EXPORT'],
  ['IDEA-CBC-SHA', 'TLS_RSA_WITH_IDEA_CBC_SHA', '0x00,0x07', 'SSLv3', 'RSA', 'RSA', 'IDEA', 128, 'SHA1', 'IDEA'],
  ['SEED-SHA', 'TLS_RSA_WITH_SEED_CBC_SHA', '0x00,0x96', 'SSLv3', 'RSA', 'RSA', 'SEED', 128, 'SHA1', 'SEED'],
  ['DHE-DSS-SEED-SHA', 'TLS_DHE_DSS_WITH_SEED_CBC_SHA', '0x00,0x99', 'SSLv3', 'DH', 'DSS', 'SEED', 128, 'SHA1', 'SEED'],
  ['DHE-RSA-SEED-SHA', 'TLS_DHE_RSA_WITH_SEED_CBC_SHA', '0x00,0x9A', 'SSLv3', 'DH', 'RSA', 'SEED', 128, 'SHA1', 'SEED'],
  ['ADH-SEED-SHA', 'TLS_DH_anon_WITH_SEED_CBC_SHA', '0x00,0x9B', 'SSLv3', 'DH', 'None', 'SEED', 128, 'SHA1', 'SEED'],
  ['DH-DSS-AES128-SHA', 'TLS_DH_DSS_WITH_AES_128_CBC_SHA', '0x00,0x30', 'SSLv3', 'DH/DSS', 'DH', 'AES', 128, 'SHA1', 'static-DH'],
  ['DH-RSA-AES128-SHA', 'TLS_DH_RSA_WITH_AES_128_CBC_SHA', '0x00,0x31', 'SSLv3', 'DH/RSA', 'DH', 'AES', 128, 'SHA1', 'static-DH'],
  ['ECDH-ECDSA-AES128-SHA', 'TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA', '0xC0,0x04', 'TLSv1', 'ECDH/ECDSA', 'ECDH', 'AES', 128, 'SHA1', 'static-DH'],
  ['ECDH-ECDSA-AES256-SHA', 'TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA', '0xC0,0x05', 'TLSv1', 'ECDH/ECDSA', 'ECDH', 'AES', 256, 'SHA1', 'static-DH'],
  ['ECDH-RSA-AES128-SHA', 'TLS_ECDH_RSA_WITH_AES_128_CBC_SHA', '0xC0,0x0E', 'TLSv1', 'ECDH/RSA', 'ECDH', 'AES', 128, 'SHA1', 'static-DH'],
  ['ECDH-RSA-AES256-SHA', 'TLS_ECDH_RSA_WITH_AES_256_CBC_SHA', '0xC0,0x0F', 'TLSv1', 'ECDH/RSA', 'ECDH', 'AES', 256, 'SHA1', 'static-DH'],
  ['ECDH-ECDSA-AES128-GCM-SHA256', 'TLS_ECDH_ECDSA_WITH_AES_128_GCM_SHA256', '0xC0,0x2D', 'TLSv1.2', 'ECDH/ECDSA', 'ECDH', 'AESGCM', 128, 'AEAD', 'static-DH'],
  ['ECDH-ECDSA-AES256-GCM-SHA384', 'TLS_ECDH_ECDSA_WITH_AES_256_GCM_SHA384', '0xC0,0x2E', 'TLSv1.2', 'ECDH/ECDSA', 'ECDH', 'AESGCM', 256, 'AEAD', 'static-DH'],
  ['ECDH-RSA-AES128-GCM-SHA256', 'TLS_ECDH_RSA_WITH_AES_128_GCM_SHA256', '0xC0,0x31', 'TLSv1.2', 'ECDH/RSA', 'ECDH', 'AESGCM', 128, 'AEAD', 'static-DH'],
  ['ECDH-RSA-AES256-GCM-SHA384', 'TLS_ECDH_RSA_WITH_AES_256_GCM_SHA384', '0xC0,0x32', 'TLSv1.2', 'ECDH/RSA', 'ECDH', 'AESGCM', 256, 'AEAD', 'static-DH'],
  ['GOST2001-GOST89-GOST89', 'TLS_GOSTR341001_WITH_28147_CNT_IMIT', '0x00,0x81', 'TLSv1', 'GOST', 'GOST01', 'GOST89', 256, 'GOST89', 'GOST'],
];

export const LEGACY_SUITES: readonly LegacySuite[] = ROWS.map(([name, stdName, id, protocol, kx, au, enc, encBits, mac, family]) => ({
  name, stdName, id, protocol, kx, au, enc, encBits, mac,
  // Static DH/ECDH and export key exchanges have no OpenSSL 3 bit; 0 keeps them out of every FS check.
  mkey: KX_COLUMN[kx] ?? 0, auth: AU_COLUMN[au] ?? 0, encMask: ENC_LEGACY[enc] ?? 0, macMask: MAC_COLUMN[mac] ?? 0,
  minTls: VERSION[protocol], strength: family === 'EXPORT' || family === 'DES' ? STRENGTH.LOW : STRENGTH.MEDIUM,
  aliases: [], legacy: true, family, reason: WHY[family],
}));

/** Alias words OpenSSL 3 ignores (or that match nothing) although older releases knew them. */
export const LEGACY_WORDS: Readonly<Record<string, string>> = {
  RC4: WHY.RC4, RC2: 'RC2 suites existed only as export ciphers, removed in OpenSSL 1.1.0',
  DES: WHY.DES, '3DES': WHY['3DES'], IDEA: WHY.IDEA, SEED: WHY.SEED,
  EXP: WHY.EXPORT, EXPORT: WHY.EXPORT, EXPORT40: WHY.EXPORT, EXPORT56: WHY.EXPORT,
  LOW: 'the LOW class (56/64-bit suites) has been empty since OpenSSL 1.1.0',
  MEDIUM: 'the MEDIUM class (RC4, SEED, IDEA, …) is empty in a default OpenSSL 3',
  kDHr: WHY['static-DH'], kDHd: WHY['static-DH'], kDH: WHY['static-DH'], aDH: WHY['static-DH'],
  kECDHr: WHY['static-DH'], kECDHe: WHY['static-DH'], kECDH: WHY['static-DH'], aECDH: WHY['static-DH'],
  KRB5: 'Kerberos suites were removed in OpenSSL 1.1.0', kKRB5: 'Kerberos suites were removed in OpenSSL 1.1.0', aKRB5: 'Kerberos suites were removed in OpenSSL 1.1.0',
  kFZA: 'Fortezza suites were never implemented and the words were removed', aFZA: 'Fortezza suites were never implemented', eFZA: 'Fortezza suites were never implemented', FZA: 'Fortezza suites were never implemented',
  SSLv2: 'SSLv2 suites were removed in OpenSSL 1.1.0',
  GOST: WHY.GOST, GOST94: WHY.GOST, GOST89MAC: WHY.GOST, GOST12: WHY.GOST, aGOST: WHY.GOST, aGOST01: WHY.GOST, aGOST12: WHY.GOST, kGOST: WHY.GOST, kGOST18: WHY.GOST,
  'EDH-DSS-DES-CBC3-SHA': WHY['3DES'], 'EDH-RSA-DES-CBC3-SHA': WHY['3DES'],
  // OpenSSL 1.0's Kerberos suites, which old blog strings still exclude by name (Mozilla's 2015 intermediate list ends
  // `!KRB5-DES-CBC3-SHA`): a removed suite, not a misspelt word (a reviewer).
  ...Object.fromEntries(
    ['DES-CBC3-SHA', 'DES-CBC3-MD5', 'RC4-SHA', 'RC4-MD5', 'IDEA-CBC-SHA', 'IDEA-CBC-MD5', 'DES-CBC-SHA', 'DES-CBC-MD5']
      .flatMap((s) => [`KRB5-${s}`, ...(/^(RC4|DES-CBC)-/.test(s) ? [`EXP-KRB5-${s}`] : [])])
      .concat(['EXP-KRB5-RC2-CBC-SHA', 'EXP-KRB5-RC2-CBC-MD5'])
      .map((name) => [name, 'Kerberos suites were removed in OpenSSL 1.1.0']),
  ),
};

const byName = new Map<string, LegacySuite>(LEGACY_SUITES.map((s) => [s.name, s]));

export interface LegacyInfo { readonly word: string; readonly reason: string; readonly suite?: LegacySuite }

/** Explain a word of a cipher string that selects nothing on OpenSSL 3; undefined if it is not a known legacy word. */
export function legacyInfo(word: string): LegacyInfo | undefined {
  const suite = byName.get(word);
  if (suite) return { word, reason: suite.reason, suite };
  const reason = LEGACY_WORDS[word];
  return reason ? { word, reason } : undefined;
}
