// Answers worked out once per parsed chunk. The parser keeps one entry object per chunk while its text is
// unchanged (chunkedParse.ts), so an answer kept with the entry is worked out again only for the chunk an edit
// touched: what is asked of every chunk on every keystroke then costs a lookup per chunk, not a pass over the text.
//
// An answer must not hold a slice of the text (a substring of 13 characters or more): V8 keeps such a slice as a
// pointer into the version's whole text, which would then live as long as the chunk does.
import type { ConfigPart } from './chunkedParse';

let slots = 0;

export class ChunkMemo<T> {
  /** This memo's slot in every entry's `memo` (an array slot, not a WeakMap: asked of every chunk on each keystroke). */
  private readonly slot = slots++;

  /** `compute` gets the chunk's text and the part; it runs once per chunk entry. */
  constructor(private readonly compute: (chunkText: string, part: ConfigPart) => T) {}

  of(part: ConfigPart, text: string): T {
    const memo = part.entry.memo;
    let v = memo[this.slot] as T | undefined;
    if (v === undefined) memo[this.slot] = v = this.compute(text.slice(part.start, part.end), part);
    return v;
  }

  /** Whether `test` holds for the answer of some chunk of `parts` (from the `from`th: 1 skips the global chunk). */
  some(parts: readonly ConfigPart[], text: string, test: (answer: T) => boolean, from = 0): boolean {
    for (let k = from; k < parts.length; k++) if (test(this.of(parts[k]!, text))) return true;
    return false;
  }
}

/**
 * `text` as a string of its own. V8 makes substrings point into the string they were cut from: a chunk's text cut
 * from the whole text (and the names and values luaparse slices out of it) would keep that version's whole text
 * alive, one copy per chunk edited since. Concatenating and slicing makes V8 flatten it into a new string.
 */
export function ownCopy(text: string): string {
  return (' ' + text).slice(1);
}
