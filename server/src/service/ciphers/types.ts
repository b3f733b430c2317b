// Shared types of the cipher-string engine.
import type { ProtocolName } from './bits';

/** One cipher suite as OpenSSL 3.0 knows it (a row of `openssl ciphers -V -stdname`). */
export interface Suite {
  /** OpenSSL name, e.g. ECDHE-RSA-AES128-GCM-SHA256. */
  readonly name: string;
  /** IANA/RFC name, e.g. TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256. */
  readonly stdName: string;
  /** The two id bytes as printed by -V, e.g. "0xC0,0x2F". */
  readonly id: string;
  /** Protocol version the suite was introduced in. */
  readonly protocol: ProtocolName;
  /** `openssl ciphers -v` columns. */
  readonly kx: string;
  readonly au: string;
  readonly enc: string;
  readonly encBits: number;
  readonly mac: string;
  /** Category masks (see bits.ts) used by the evaluator. */
  readonly mkey: number;
  readonly auth: number;
  readonly encMask: number;
  readonly macMask: number;
  readonly minTls: number;
  readonly strength: number;
  /** Every alias word that selects this suite (verified against openssl at generation time). */
  readonly aliases: readonly string[];
  /** True only for suites OpenSSL 3 no longer builds (see legacy.ts). */
  readonly legacy?: boolean;
}
