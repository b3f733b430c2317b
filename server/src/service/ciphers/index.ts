// Public API of the OpenSSL 3.0 cipher-string engine (pure: no openssl needed at runtime).
export { evaluateCipherString, DEFAULT_RULES } from './evaluate';
export type { EvaluateOptions, EvaluateResult, Malformed, Step, StepOp, WordRef } from './evaluate';
export { evaluateCiphersuites } from './tls13';
export type { CiphersuitesResult } from './tls13';
export { classify } from './classify';
export type { Classification, WeakReason } from './classify';
export { legacyInfo, LEGACY_SUITES, LEGACY_WORDS } from './legacy';
export type { LegacyInfo, LegacySuite, LegacyFamily } from './legacy';
export { ALIASES, SPECIAL_WORDS } from './aliases';
export type { AliasDef } from './aliases';
export { SUITES, TLS13_SUITES, TLS13_DEFAULT, RECOGNIZED_ALIASES, OPENSSL_BUILD } from './suites.generated';
export type { Suite } from './types';

import { ALIASES } from './aliases';
import { RECOGNIZED_ALIASES, SUITES, TLS13_SUITES } from './suites.generated';
import type { Suite } from './types';

const recognized = new Set(RECOGNIZED_ALIASES);
const byName = new Map<string, Suite>([...SUITES, ...TLS13_SUITES].map((s) => [s.name, s]));

const tls12ByStdName = new Map<string, Suite>(SUITES.map((s) => [s.stdName, s]));

/**
 * A TLS 1.2-and-older suite by its standard (IANA) name: OpenSSL 3 takes such a name in `ciphersuites` too, and
 * offers the suite to TLS 1.2 clients ahead of the `ciphers` list (tls13.ts).
 */
export function findTls12ByStdName(name: string): Suite | undefined { return tls12ByStdName.get(name); }

/** A suite by OpenSSL name (TLS 1.3 suites by their IANA name), available on OpenSSL 3 only. */
export function findSuite(name: string): Suite | undefined { return byName.get(name); }

/** What a single word of a cipher string is, for hovers. */
export function describeWord(word: string): { kind: 'suite' | 'alias' | 'unavailable-alias' | 'special' | 'unknown'; doc?: string } {
  if (byName.has(word)) return { kind: 'suite' };
  const alias = ALIASES.find((a) => a.name === word);
  if (alias) return { kind: recognized.has(word) ? 'alias' : 'unavailable-alias', doc: alias.doc };
  if (word === 'DEFAULT' || word.startsWith('@') || word.startsWith('SUITEB')) return { kind: 'special' };
  return { kind: 'unknown' };
}
