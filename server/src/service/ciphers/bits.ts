// Algorithm bit masks modelled on OpenSSL 3.0 ssl_local.h. The numeric values are our own; only the
// grouping matters, because ssl_ciph.c matches a rule by AND-ing masks per category.

export const MKEY = {
  kRSA: 1 << 0, kDHE: 1 << 1, kECDHE: 1 << 2, kPSK: 1 << 3, kRSAPSK: 1 << 4, kECDHEPSK: 1 << 5,
  kDHEPSK: 1 << 6, kSRP: 1 << 7, kGOST: 1 << 8, kGOST18: 1 << 9,
} as const;
export const MKEY_PSK = MKEY.kPSK | MKEY.kRSAPSK | MKEY.kECDHEPSK | MKEY.kDHEPSK;

export const AUTH = {
  aRSA: 1 << 0, aDSS: 1 << 1, aNULL: 1 << 2, aECDSA: 1 << 3, aPSK: 1 << 4, aGOST01: 1 << 5,
  aSRP: 1 << 6, aGOST12: 1 << 7,
} as const;

export const ENC = {
  DES: 1 << 0, '3DES': 1 << 1, RC4: 1 << 2, RC2: 1 << 3, IDEA: 1 << 4, eNULL: 1 << 5,
  AES128: 1 << 6, AES256: 1 << 7, CAMELLIA128: 1 << 8, CAMELLIA256: 1 << 9, eGOST2814789CNT: 1 << 10,
  SEED: 1 << 11, AES128GCM: 1 << 12, AES256GCM: 1 << 13, AES128CCM: 1 << 14, AES256CCM: 1 << 15,
  AES128CCM8: 1 << 16, AES256CCM8: 1 << 17, eGOST2814789CNT12: 1 << 18, CHACHA20: 1 << 19,
  ARIA128GCM: 1 << 20, ARIA256GCM: 1 << 21, MAGMA: 1 << 22, KUZNYECHIK: 1 << 23,
} as const;
export const ENC_AESGCM = ENC.AES128GCM | ENC.AES256GCM;
export const ENC_AESCCM = ENC.AES128CCM | ENC.AES256CCM | ENC.AES128CCM8 | ENC.AES256CCM8;
export const ENC_AES = ENC.AES128 | ENC.AES256 | ENC_AESGCM | ENC_AESCCM;
export const ENC_CAMELLIA = ENC.CAMELLIA128 | ENC.CAMELLIA256;
export const ENC_ARIA = ENC.ARIA128GCM | ENC.ARIA256GCM;
export const ENC_CBC = ENC.DES | ENC['3DES'] | ENC.RC2 | ENC.IDEA | ENC.AES128 | ENC.AES256 | ENC_CAMELLIA | ENC.SEED;

export const MAC = {
  MD5: 1 << 0, SHA1: 1 << 1, GOST94: 1 << 2, GOST89MAC: 1 << 3, SHA256: 1 << 4, SHA384: 1 << 5,
  AEAD: 1 << 6, GOST12_256: 1 << 7, GOST89MAC12: 1 << 8, GOST12_512: 1 << 9, MAGMAOMAC: 1 << 10,
  KUZNYECHIKOMAC: 1 << 11,
} as const;

/** algo_strength: the "strong" group (NONE/LOW/MEDIUM/HIGH/FIPS) and the NOT_DEFAULT flag are ANDed separately. */
export const STRENGTH = { NONE: 1 << 0, LOW: 1 << 1, MEDIUM: 1 << 2, HIGH: 1 << 3, FIPS: 1 << 4, NOT_DEFAULT: 1 << 5 } as const;
export const STRONG_MASK = 0x1f;
export const DEFAULT_MASK = 0x20;

export const VERSION = { SSLv3: 0x300, TLSv1: 0x301, 'TLSv1.2': 0x303, 'TLSv1.3': 0x304 } as const;
export type ProtocolName = keyof typeof VERSION;

/** `openssl ciphers -v` column values → bits. Used by the generator; kept here so the mapping lives beside the masks. */
export const KX_COLUMN: Readonly<Record<string, number>> = {
  RSA: MKEY.kRSA, DH: MKEY.kDHE, ECDH: MKEY.kECDHE, PSK: MKEY.kPSK, RSAPSK: MKEY.kRSAPSK,
  ECDHEPSK: MKEY.kECDHEPSK, DHEPSK: MKEY.kDHEPSK, SRP: MKEY.kSRP, GOST: MKEY.kGOST, GOST18: MKEY.kGOST18, any: 0,
};
export const AU_COLUMN: Readonly<Record<string, number>> = {
  RSA: AUTH.aRSA, DSS: AUTH.aDSS, None: AUTH.aNULL, ECDSA: AUTH.aECDSA, PSK: AUTH.aPSK,
  GOST01: AUTH.aGOST01, GOST12: AUTH.aGOST12, SRP: AUTH.aSRP, any: 0,
};
/** Keyed by `Enc=` text including the bit count, e.g. "AESGCM(128)". */
export const ENC_COLUMN: Readonly<Record<string, number>> = {
  'None(0)': ENC.eNULL, 'AES(128)': ENC.AES128, 'AES(256)': ENC.AES256, 'AESGCM(128)': ENC.AES128GCM,
  'AESGCM(256)': ENC.AES256GCM, 'AESCCM(128)': ENC.AES128CCM, 'AESCCM(256)': ENC.AES256CCM,
  'AESCCM8(128)': ENC.AES128CCM8, 'AESCCM8(256)': ENC.AES256CCM8, 'Camellia(128)': ENC.CAMELLIA128,
  'Camellia(256)': ENC.CAMELLIA256, 'ARIAGCM(128)': ENC.ARIA128GCM, 'ARIAGCM(256)': ENC.ARIA256GCM,
  'CHACHA20/POLY1305(256)': ENC.CHACHA20, '3DES(168)': ENC['3DES'], 'DES(56)': ENC.DES, 'RC4(128)': ENC.RC4,
  'IDEA(128)': ENC.IDEA, 'SEED(128)': ENC.SEED, 'RC2(128)': ENC.RC2,
};
export const MAC_COLUMN: Readonly<Record<string, number>> = {
  MD5: MAC.MD5, SHA1: MAC.SHA1, SHA256: MAC.SHA256, SHA384: MAC.SHA384, AEAD: MAC.AEAD,
  GOST94: MAC.GOST94, GOST89: MAC.GOST89MAC, GOST89MAC: MAC.GOST89MAC,
};
