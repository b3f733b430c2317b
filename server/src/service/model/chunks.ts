// Splits a config into chunks at its top-level section headers, so each VirtualHost / Component can be
// parsed and checked on its own and an edit re-does only the chunk it touched. One character loop, no
// token objects: it runs on every document version.
//
// A split is made only where it cannot change the meaning of valid Lua: at the start of a line whose
// first word opens a section (`VirtualHost`, `Component` or an alias), outside strings, comments, brackets and keyword blocks,
// and not as a field, assignment target or argument. Whether the chunks together really are the file is
// decided by the parser: a chunk that does not parse on its own sends the caller back to a whole parse.

import { sectionWordAt } from './sectionWords';
import { longBracketAt, quotedStringEnd } from './tokenize';

export interface Chunk {
  readonly start: number;
  readonly end: number;
}

const OPEN = 1;
const CLOSE = 2;
const SECTION = 3;

/** What the name at `i` is to the splitter; compared in place, since slicing every name was the cost. */
function wordKind(text: string, i: number, len: number): number {
  switch (len) {
    case 2:
      return text.startsWith('do', i) || text.startsWith('if', i) ? OPEN : 0;
    case 3:
      return text.startsWith('end', i) ? CLOSE : 0;
    case 5:
      return text.startsWith('until', i) ? CLOSE : 0;
    case 6:
      return text.startsWith('repeat', i) ? OPEN : 0;
    case 8:
      return text.startsWith('function', i) ? OPEN : 0;
    default:
      return sectionWordAt(text, i, i + len) ? SECTION : 0;
  }
}

/** Chunk boundaries: the first chunk starts at 0 (the global section), each later one at a header's line start. */
export function splitChunks(text: string): Chunk[] {
  const starts: number[] = [0];
  scanSplits(text, 0, (at) => {
    starts.push(at);
    return false;
  });
  const chunks: Chunk[] = [];
  for (let k = 0; k < starts.length; k++) chunks.push({ start: starts[k]!, end: k + 1 < starts.length ? starts[k + 1]! : text.length });
  return chunks;
}

/**
 * Scans from `from` — 0, or a chunk start, where the scanner's state is always the same — and calls
 * `onSplit` with each later chunk start; stops early when it returns true. A re-split after an edit
 * starts just before the edit and stops where it meets the old boundaries again.
 */
export function scanSplits(text: string, from: number, onSplit: (start: number) => boolean): void {
  const n = text.length;
  let brackets = 0;
  let blocks = 0;
  let lineStart = from;
  /** Only spaces and tabs seen since the last line break. */
  let atLineStart = true;
  /** The last character of the previous significant token (`.` / `:` before a name make it a field). */
  let prevChar = 0;
  let i = from;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) {
      i++;
      lineStart = i;
      atLineStart = true;
      continue;
    }
    if (c === 32 || c === 9) {
      i++;
      continue;
    }
    const tokenAtLineStart: boolean = atLineStart;
    atLineStart = false;
    if (c === 45 /* - */ && text.charCodeAt(i + 1) === 45) {
      const long = longBracketAt(text, i + 2);
      if (long) i = long.end;
      else while (i < n && text.charCodeAt(i) !== 10 && text.charCodeAt(i) !== 13) i++;
      // A comment is not a token: the header test looks through it.
      atLineStart = tokenAtLineStart && i < n && (text.charCodeAt(i) === 10 || text.charCodeAt(i) === 13);
      continue;
    }
    if (c === 91 /* [ */) {
      const long = longBracketAt(text, i);
      if (long) {
        i = long.end;
        prevChar = 93;
        continue;
      }
    }
    if (c === 34 || c === 39) {
      i = quotedStringEnd(text, i);
      prevChar = c;
      continue;
    }
    if (isNameStart(c)) {
      let j = i + 1;
      while (j < n && isNamePart(text.charCodeAt(j))) j++;
      const kind = wordKind(text, i, j - i);
      if (kind === OPEN) blocks++;
      else if (kind === CLOSE) blocks--;
      else if (kind === SECTION && tokenAtLineStart && brackets === 0 && blocks === 0 && prevChar !== 46 && prevChar !== 58 && nextSignificant(text, j) !== 61 && lineStart > from) {
        if (onSplit(lineStart)) return;
      }
      prevChar = 97; // a name
      i = j;
      continue;
    }
    if (c === 40 || c === 91 || c === 123) brackets++;
    else if (c === 41 || c === 93 || c === 125) brackets--;
    else if (c === 61 && text.charCodeAt(i + 1) === 61) {
      i += 2; // `==` is not an assignment
      prevChar = 61;
      continue;
    }
    prevChar = c;
    i++;
  }
}

function isNameStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

function isNamePart(c: number): boolean {
  return isNameStart(c) || (c >= 48 && c <= 57);
}

/** The next character that is not a space or tab (a line break counts), or 0 at the end. */
function nextSignificant(text: string, i: number): number {
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9) return c;
    i++;
  }
  return 0;
}
