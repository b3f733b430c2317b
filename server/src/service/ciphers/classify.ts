// Security classification of one suite, for hovers and diagnostics.
import { AUTH, ENC, MAC, MKEY, MKEY_PSK } from './bits';
import type { Suite } from './types';

export type WeakReason = 'RC4' | 'DES' | '3DES' | 'NULL' | 'anonymous' | 'EXPORT' | 'MD5';

/** The cipher-string word that removes each weakness for good. */
export const EXCLUSION: Readonly<Record<WeakReason, string>> = { RC4: '!RC4', DES: '!DES', '3DES': '!3DES', NULL: '!eNULL', anonymous: '!aNULL', EXPORT: '!EXPORT', MD5: '!MD5' };

/** Weaknesses of suites OpenSSL never uses from security level 1 (its default) on: only `@SECLEVEL=0` lets them in. */
export const REFUSED_FROM_SECLEVEL_1: ReadonlySet<WeakReason> = new Set(['anonymous', 'NULL', 'MD5', 'EXPORT', 'DES']);

/**
 * Whether Prosody's server can pick this suite at all (undefined level: OpenSSL's default, 1): not a PSK or SRP suite
 * (OpenSSL skips them without the server callbacks Prosody never sets), not one the security level refuses (from 1:
 * anonymous, NULL, MD5, EXPORT, DES; from 2: RC4; from 3: no forward secrecy; from 4: SHA-1 MACs; and at each level
 * suites whose strength is under its bits, SECLEVEL_BITS; ssl_security_default_callback). A reviewer's 0.12.3 runs: a
 * server whose list started with such suites picked the first usable one. `dhe`: DH parameters are in force (a `dhparam`).
 */
export function serverUsable(s: Suite, seclevel: number | undefined, dhe = true): boolean {
  if (s.mkey & (MKEY_PSK | MKEY.kSRP)) return false;
  // Finite-field DHE needs DH parameters, which LuaSec sets only from `dhparam` (a reviewer's 0.12.3 run: "no shared
  // cipher" for a DHE-only list without one).
  if (!dhe && s.mkey & MKEY.kDHE) return false;
  const level = seclevel ?? 1;
  if (level === 0) return true;
  const c = classify(s);
  if (c.weak.some((w) => REFUSED_FROM_SECLEVEL_1.has(w))) return false;
  if (level >= 2 && c.weak.includes('RC4')) return false;
  if (level >= 3 && !c.forwardSecrecy) return false;
  if (s.encBits < secLevelBits(level)) return false;
  return !(level >= 4 && s.mac === 'SHA1');
}

/**
 * The security bits OpenSSL asks of suites and keys at each level (ssl/ssl_cert.c minbits_table): an RSA key of 2048
 * bits gives 112, of 3072 bits 128, an EC key half its size (P-256: 128).
 */
const SECLEVEL_BITS: readonly number[] = [0, 80, 112, 128, 192, 256];

export function secLevelBits(level: number): number {
  return SECLEVEL_BITS[Math.max(0, Math.min(5, level))]!;
}

/** The weaknesses a handshake can really meet at this security level (undefined: OpenSSL's default, 1). */
export function usableWeaknesses(c: Classification, seclevel: number | undefined): readonly WeakReason[] {
  return seclevel === 0 ? c.weak : c.weak.filter((w) => !REFUSED_FROM_SECLEVEL_1.has(w));
}

export interface Classification {
  /** (EC)DHE key exchange (also the PSK variants), or any TLS 1.3 suite. */
  readonly forwardSecrecy: boolean;
  /** Plain RSA key transport: recorded traffic can be decrypted once the key leaks. */
  readonly staticRsa: boolean;
  readonly aead: boolean;
  readonly weak: readonly WeakReason[];
}

const EPHEMERAL = MKEY.kDHE | MKEY.kECDHE | MKEY.kDHEPSK | MKEY.kECDHEPSK;

export function classify(s: Suite): Classification {
  const weak: WeakReason[] = [];
  const exportGrade = s.name.startsWith('EXP-') || s.name.startsWith('EXP1024-');
  if (exportGrade) weak.push('EXPORT');
  if (s.encMask & ENC.RC4 || s.enc === 'RC4') weak.push('RC4');
  if (s.encMask & ENC.DES || s.enc === 'DES') weak.push('DES');
  if (s.encMask & ENC['3DES'] || s.enc === '3DES') weak.push('3DES');
  if (s.encMask & ENC.eNULL || s.enc === 'None') weak.push('NULL');
  if (s.auth & AUTH.aNULL) weak.push('anonymous');
  if (s.macMask & MAC.MD5 || s.mac === 'MD5') weak.push('MD5');
  return {
    forwardSecrecy: s.protocol === 'TLSv1.3' || (!exportGrade && (s.mkey & EPHEMERAL) !== 0),
    staticRsa: (s.mkey & MKEY.kRSA) !== 0 || s.kx === 'RSA(512)',
    aead: s.macMask === MAC.AEAD,
    weak,
  };
}
