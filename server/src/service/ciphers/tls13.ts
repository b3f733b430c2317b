// TLS 1.3 suite list (SSL_CTX_set_ciphersuites, LuaSec `ciphersuites`): a plain ':'-separated list of
// IANA names — no aliases or operators. OpenSSL trims blanks around names, skips unknown names, keeps
// duplicates and empty elements, and fails when nothing is left.
import { SUITES, TLS13_DEFAULT, TLS13_SUITES } from './suites.generated';
import type { Suite } from './types';

export interface CiphersuitesResult {
  readonly suites: readonly Suite[];
  readonly unknownWords: readonly { word: string; offset: number; length: number }[];
  readonly error?: 'no-cipher-match';
}

const byStdName = new Map<string, Suite>([...TLS13_SUITES, ...SUITES].map((s) => [s.stdName, s]));

export function evaluateCiphersuites(input?: string | readonly string[]): CiphersuitesResult {
  if (input === undefined) return { suites: TLS13_DEFAULT.map((n) => byStdName.get(n)!), unknownWords: [] };
  const text = typeof input === 'string' ? input : input.join(':');
  if (text === '') return { suites: [], unknownWords: [] };
  const suites: Suite[] = [];
  const unknownWords: { word: string; offset: number; length: number }[] = [];
  let offset = 0;
  for (const raw of text.split(':')) {
    const lead = raw.length - raw.trimStart().length;
    const word = raw.trim();
    if (word !== '') {
      // Quirk kept on purpose: OpenSSL also accepts a TLS 1.2 suite's IANA name here and offers it first.
      const s = byStdName.get(word);
      if (s) suites.push(s);
      else unknownWords.push({ word, offset: offset + lead, length: word.length });
    }
    offset += raw.length + 1;
  }
  return suites.length === 0 ? { suites: [], unknownWords, error: 'no-cipher-match' } : { suites, unknownWords };
}
