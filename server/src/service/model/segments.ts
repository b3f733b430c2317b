// The piece of a string's content around the cursor, between separators: a curve in a
// "X25519:P-256" list, a word of a cipher string. Completion and hover both use it, so the
// word they replace is the word they explain.

import type { Range } from './values';

/**
 * Separators of a cipher string: OpenSSL splits those at ':', ',', ';' and blanks. Group lists (curveslist) and
 * TLS 1.3 suite lists split at ':' only, with blanks around a name trimmed (CONF_parse_list).
 */
export const LIST_SEPARATORS = /[:,;\s]/;

/** Expands from `offset` to the nearest separators or line ends, staying within the content range [cs, ce). */
export function segmentAround(text: string, cs: number, ce: number, offset: number, separators: RegExp = LIST_SEPARATORS): Range {
  const stop = (c: string): boolean => c === '\n' || c === '\r' || separators.test(c);
  let s = Math.max(cs, Math.min(offset, ce));
  let e = s;
  while (s > cs && !stop(text[s - 1]!)) s--;
  while (e < ce && !stop(text[e]!)) e++;
  return [s, e];
}
