// Bridges the cipher engine and the document: turns a `ciphers`/`ciphersuites` value (a string, or a
// Lua list that Prosody joins with ':') into the engine's input, and maps the engine's positions
// back to document offsets.

import type { LuaValue, Range, StringValue } from '../model/values';
import { evaluateCipherString, type EvaluateResult, type WordRef } from './evaluate';
import { evaluateCiphersuites, type CiphersuitesResult } from './tls13';

export interface CipherSource {
  /** The engine's input: one string, or the list items Prosody joins. */
  readonly input: string | string[];
  readonly parts: readonly StringValue[];
  /** Document range of a word the engine reported, or the whole value when it cannot be mapped exactly. */
  rangeOf(ref: { offset: number; length: number; part?: number }): Range;
}

/** The value as the engine sees it, or undefined when it is not literal text (a variable, a concatenation…). */
export function cipherSource(value: LuaValue, text: string, listsJoined: boolean): CipherSource | undefined {
  let parts: StringValue[];
  if (value.kind === 'string') parts = [value];
  else if (value.kind === 'table' && listsJoined && value.fields.length === 0 && value.items.every((i) => i.kind === 'string')) parts = value.items as StringValue[];
  else return undefined;
  const whole: Range = value.range;
  return {
    input: value.kind === 'string' ? value.value : parts.map((p) => p.value),
    parts,
    rangeOf(ref) {
      let partIndex = ref.part ?? 0;
      let offset = ref.offset;
      if (ref.part === undefined && parts.length > 1) {
        // An offset into the joined text: find the item it falls in (items are joined with ':').
        partIndex = 0;
        while (partIndex < parts.length - 1 && offset > parts[partIndex]!.value.length) {
          offset -= parts[partIndex]!.value.length + 1;
          partIndex++;
        }
      }
      const part = parts[partIndex];
      if (!part) return whole;
      const [cs, ce] = part.contentRange;
      // Offsets are exact only when the source has no escapes (it then equals the decoded value).
      if (text.slice(cs, ce) !== part.value) return part.range;
      const start = Math.min(cs + offset, ce);
      return [start, Math.min(start + Math.max(ref.length, 1), ce)];
    },
  };
}

/** Longer cipher strings are not evaluated (a real one is a few hundred characters). */
export const MAX_CIPHER_TEXT = 8192;
const cache = new Map<string, EvaluateResult>();
const CACHE_SIZE = 256;

/**
 * The engine's verdict, memoised per text: every cipher rule and the hover ask about the same strings,
 * and configs repeat one string across hundreds of hosts. Undefined when the text is absurdly long.
 */
export function evaluateSource(src: CipherSource): EvaluateResult | undefined {
  return evaluateInput(src.input);
}

/** evaluateSource for an engine input of our own (a string as a fix would leave it). */
export function evaluateInput(input: string | readonly string[]): EvaluateResult | undefined {
  const key = typeof input === 'string' ? `s${input}` : `l${JSON.stringify(input)}`;
  if (key.length > MAX_CIPHER_TEXT) return undefined;
  let r = cache.get(key);
  if (r) {
    cache.delete(key); // keep recently used entries at the end
  } else {
    r = evaluateCipherString(input);
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  }
  cache.set(key, r);
  return r;
}

export function evaluateSuitesSource(src: CipherSource): CiphersuitesResult {
  return evaluateCiphersuites(src.input);
}

export type { WordRef };
