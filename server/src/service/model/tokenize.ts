// A tolerant Lua tokenizer. It never throws and always reaches the end of the text, so cursor
// context, comments and suppression directives work while the file does not parse. Offsets are
// UTF-16 code units (JavaScript string indices), which is what LSP positions count.

export type TokenKind = 'name' | 'string' | 'number' | 'comment' | 'symbol';

export interface Token {
  readonly kind: TokenKind;
  readonly start: number;
  readonly end: number;
  /** For names, numbers and symbols: the source text. For strings: the decoded value (best effort). For comments: the text after `--`. */
  readonly value: string;
  /** Strings and long comments: false when the closing delimiter is missing. */
  readonly closed: boolean;
  /** Strings: offsets of the content between the delimiters. */
  readonly contentStart: number;
  readonly contentEnd: number;
}

const LONG_OPEN = /\[(=*)\[/y;
const NAME = /[A-Za-z_][A-Za-z0-9_]*/y;
const NUMBER = /0[xX](?:[0-9a-fA-F]*\.?[0-9a-fA-F]*)(?:[pP][+-]?\d+)?|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/y;
const SYMBOLS = ['...', '..', '==', '~=', '<=', '>=', '//', '::', '<<', '>>'];
/** First characters of the multi-character symbols: only these need the SYMBOLS scan. */
const MULTI_START = new Set(SYMBOLS.map((s) => s.charCodeAt(0)));

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    // whitespace (incl. BOM and other odd control characters: skip anything <= space)
    if (c <= 32 || c === 0xfeff) {
      i++;
      continue;
    }
    const start = i;
    // comments
    if (c === 45 /* - */ && text.charCodeAt(i + 1) === 45) {
      LONG_OPEN.lastIndex = i + 2;
      const m = LONG_OPEN.exec(text);
      if (m) {
        const close = ']' + m[1] + ']';
        const contentStart = i + 2 + m[0].length;
        const endIdx = text.indexOf(close, contentStart);
        const end = endIdx < 0 ? n : endIdx + close.length;
        tokens.push({ kind: 'comment', start, end, value: text.slice(contentStart, endIdx < 0 ? n : endIdx), closed: endIdx >= 0, contentStart, contentEnd: endIdx < 0 ? n : endIdx });
        i = end;
      } else {
        let end = i + 2;
        while (end < n && text.charCodeAt(end) !== 10 && text.charCodeAt(end) !== 13) end++;
        tokens.push({ kind: 'comment', start, end, value: text.slice(i + 2, end), closed: true, contentStart: i + 2, contentEnd: end });
        i = end;
      }
      continue;
    }
    // long strings
    if (c === 91 /* [ */) {
      LONG_OPEN.lastIndex = i;
      const m = LONG_OPEN.exec(text);
      if (m) {
        const close = ']' + m[1] + ']';
        const contentStart = i + m[0].length;
        const endIdx = text.indexOf(close, contentStart);
        const contentEnd = endIdx < 0 ? n : endIdx;
        const end = endIdx < 0 ? n : endIdx + close.length;
        // Lua drops a newline right after the opening bracket.
        let value = text.slice(contentStart, contentEnd);
        if (value.startsWith('\r\n')) value = value.slice(2);
        else if (value.startsWith('\n')) value = value.slice(1);
        tokens.push({ kind: 'string', start, end, value, closed: endIdx >= 0, contentStart, contentEnd });
        i = end;
        continue;
      }
    }
    // quoted strings
    if (c === 34 /* " */ || c === 39 /* ' */) {
      const r = scanQuoted(text, i);
      tokens.push(r);
      i = r.end;
      continue;
    }
    // names
    if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95) {
      NAME.lastIndex = i;
      const m = NAME.exec(text)!;
      tokens.push(simple('name', start, start + m[0].length, m[0]));
      i = start + m[0].length;
      continue;
    }
    // numbers
    if ((c >= 48 && c <= 57) || (c === 46 && isDigit(text.charCodeAt(i + 1)))) {
      NUMBER.lastIndex = i;
      const m = NUMBER.exec(text);
      const len = m && m[0].length > 0 ? m[0].length : 1;
      tokens.push(simple('number', start, start + len, text.slice(start, start + len)));
      i = start + len;
      continue;
    }
    // symbols
    let sym = text[i]!;
    if (MULTI_START.has(c)) {
      for (const s of SYMBOLS) {
        if (text.startsWith(s, i)) {
          sym = s;
          break;
        }
      }
    }
    // Keep surrogate pairs together so a token never splits a character.
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) sym = text.slice(i, i + 2);
    }
    tokens.push(simple('symbol', start, start + sym.length, sym));
    i += sym.length;
  }
  return tokens;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function simple(kind: TokenKind, start: number, end: number, value: string): Token {
  return { kind, start, end, value, closed: true, contentStart: start, contentEnd: end };
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', f: '\f', v: '\v', '\\': '\\', '"': '"', "'": "'", '\n': '\n' };

/** A short string ends at its quote or, unterminated, at the end of the line (as Lua reports it). */
function scanQuoted(text: string, start: number): Token {
  const q = text.charCodeAt(start);
  const n = text.length;
  let i = start + 1;
  let value = '';
  // Plain text is copied in slices between escapes (per-character appends were slow on long lines).
  let plain = i;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c !== q && c !== 10 && c !== 13 && c !== 92) {
      i++;
      continue;
    }
    value += text.slice(plain, i);
    if (c === q) {
      return { kind: 'string', start, end: i + 1, value, closed: true, contentStart: start + 1, contentEnd: i };
    }
    if (c === 10 || c === 13) {
      plain = i;
      break;
    }
    if (i + 1 < n) {
      const e = text[i + 1]!;
      if (e === 'z') {
        i += 2;
        while (i < n && /\s/.test(text[i]!)) i++;
      } else if (/[0-9]/.test(e)) {
        const m = /^[0-9]{1,3}/.exec(text.slice(i + 1, i + 4))!;
        value += String.fromCharCode(Number(m[0]) & 0xff);
        i += 1 + m[0].length;
      } else {
        value += ESCAPES[e] ?? e;
        i += 2;
      }
      plain = i;
      continue;
    }
    // A backslash as the very last character: kept as written.
    value += '\\';
    i++;
    plain = i;
  }
  value += text.slice(plain, i);
  return { kind: 'string', start, end: i, value, closed: false, contentStart: start + 1, contentEnd: i };
}

/** Index of the token containing `offset` (start <= offset < end), or -1. */
export function tokenAt(tokens: readonly Token[], offset: number): number {
  let lo = 0;
  let hi = tokens.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const t = tokens[mid]!;
    if (offset < t.start) hi = mid - 1;
    else if (offset >= t.end) lo = mid + 1;
    else return mid;
  }
  return -1;
}

/** Index of the last token that ends at or before `offset`, or -1. */
export function tokenBefore(tokens: readonly Token[], offset: number): number {
  let lo = 0;
  let hi = tokens.length - 1;
  let best = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (tokens[mid]!.end <= offset) {
      best = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return best;
}
