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
  /** Strings: offsets of the content between the delimiters (a long string's after the line break Lua drops). */
  readonly contentStart: number;
  readonly contentEnd: number;
}

const LONG_OPEN = /\[(=*)\[/y;
const NAME = /[A-Za-z_][A-Za-z0-9_]*/y;
const NUMBER = /0[xX](?:[0-9a-fA-F]*\.?[0-9a-fA-F]*)(?:[pP][+-]?\d+)?|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/y;
const SYMBOLS = ['...', '..', '==', '~=', '<=', '>=', '//', '::', '<<', '>>'];
/** First characters of the multi-character symbols: only these need the SYMBOLS scan. */
const MULTI_START = new Set(SYMBOLS.map((s) => s.charCodeAt(0)));

const KINDS: readonly TokenKind[] = ['name', 'string', 'number', 'comment', 'symbol'];
const NAME_K = 0;
const STRING_K = 1;
const NUMBER_K = 2;
const COMMENT_K = 3;
const SYMBOL_K = 4;
const LONG_FLAG = 8; // kind byte: a long string or long comment ([[ … ]])
const OPEN_FLAG = 16; // kind byte: the closing delimiter is missing

/**
 * The tokens of a text as columns of numbers (kind, start, end, content start, content end): a large
 * config has hundreds of thousands of tokens, and an object per token was most of the outline's memory
 * and time. `at(i)` makes a Token object on demand, with its value read from the text.
 */
export class TokenList implements Iterable<Token> {
  constructor(
    readonly text: string,
    readonly length: number,
    private readonly kinds: Uint8Array,
    private readonly starts: Int32Array,
    private readonly ends: Int32Array,
    private readonly contentStarts: Int32Array,
    private readonly contentEnds: Int32Array,
  ) {}

  kind(i: number): TokenKind {
    return KINDS[this.kinds[i]! & 7]!;
  }
  start(i: number): number {
    return this.starts[i]!;
  }
  end(i: number): number {
    return this.ends[i]!;
  }
  /** Token `i` is this symbol (compared in place, nothing sliced). */
  isSymbol(i: number, sym: string): boolean {
    return i >= 0 && i < this.length && (this.kinds[i]! & 7) === SYMBOL_K && this.ends[i]! - this.starts[i]! === sym.length && this.text.startsWith(sym, this.starts[i]!);
  }
  /** Index of the token starting at `offset`; -1 when none does. */
  indexStarting(offset: number): number {
    let lo = 0;
    let hi = this.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.starts[mid]! < offset) lo = mid + 1;
      else hi = mid;
    }
    return lo < this.length && this.starts[lo] === offset ? lo : -1;
  }
  /** The columns themselves, for copying into the next version's list (scanTokens); not to be changed. */
  columns(): { readonly kinds: Uint8Array; readonly starts: Int32Array; readonly ends: Int32Array; readonly contentStarts: Int32Array; readonly contentEnds: Int32Array } {
    return { kinds: this.kinds, starts: this.starts, ends: this.ends, contentStarts: this.contentStarts, contentEnds: this.contentEnds };
  }
  /** The source text of token `i` (for names, numbers and symbols, its value). */
  raw(i: number): string {
    return this.text.slice(this.starts[i], this.ends[i]);
  }

  at(i: number): Token | undefined {
    if (i < 0 || i >= this.length) return undefined;
    const k = this.kinds[i]!;
    const start = this.starts[i]!;
    const end = this.ends[i]!;
    const contentStart = this.contentStarts[i]!;
    const contentEnd = this.contentEnds[i]!;
    const kind = KINDS[k & 7]!;
    let value: string;
    if ((k & 7) === STRING_K) value = k & LONG_FLAG ? this.text.slice(contentStart, contentEnd) : scanQuoted(this.text, start, true).value;
    else if ((k & 7) === COMMENT_K) value = this.text.slice(contentStart, contentEnd);
    else value = this.text.slice(start, end);
    return { kind, start, end, value, closed: (k & OPEN_FLAG) === 0, contentStart, contentEnd };
  }

  *[Symbol.iterator](): Iterator<Token> {
    for (let i = 0; i < this.length; i++) yield this.at(i)!;
  }
}

/** Length of the line break at `i` as Lua reads one (`\n`, `\r`, `\r\n` or `\n\r`); 0 when there is none. */
function lineBreakAt(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c !== 10 && c !== 13) return 0;
  const d = text.charCodeAt(i + 1);
  return (d === 10 || d === 13) && d !== c ? 2 : 1;
}

/** The value of a string literal written as `raw` (quoted or long); undefined when `raw` is not one. */
export function decodeStringLiteral(raw: string): string | undefined {
  const c = raw.charCodeAt(0);
  // Most literals have no escape: their value is the text between the quotes.
  if ((c === 34 || c === 39) && raw.length > 1 && raw.charCodeAt(raw.length - 1) === c && !raw.includes('\\')) return raw.slice(1, -1);
  if (c === 34 || c === 39) return scanQuoted(raw, 0, true).value;
  const long = longBracketAt(raw, 0);
  return long ? raw.slice(long.valueStart, long.contentEnd) : undefined;
}

export interface LongBracket {
  /** Just after the opening bracket. */
  readonly contentStart: number;
  /** Where a long string's value starts: after the line break Lua drops right after the opening bracket. */
  readonly valueStart: number;
  /** At the closing bracket, or the end of the text when it is never closed. */
  readonly contentEnd: number;
  readonly end: number;
  readonly closed: boolean;
  /** The closing bracket that matches the opening one (`]]`, `]==]`). */
  readonly close: string;
}

/** A long bracket (`[[ … ]]`, `[==[ … ]==]`) opening at `i`; undefined when no long bracket opens there. */
export function longBracketAt(text: string, i: number): LongBracket | undefined {
  LONG_OPEN.lastIndex = i;
  const m = LONG_OPEN.exec(text);
  if (!m) return undefined;
  const close = ']' + m[1] + ']';
  const contentStart = i + m[0].length;
  const valueStart = contentStart + lineBreakAt(text, contentStart);
  const at = text.indexOf(close, contentStart);
  return at < 0
    ? { contentStart, valueStart, contentEnd: text.length, end: text.length, closed: false, close }
    : { contentStart, valueStart, contentEnd: at, end: at + close.length, closed: true, close };
}

/** End of the quoted string opening at `i`: after its closing quote, or at the line break where Lua gives up. */
export function quotedStringEnd(text: string, i: number): number {
  return scanQuoted(text, i, false).end;
}

/** The tokens of `text` as objects: for short texts (a string literal, a line). The outline uses scanTokens. */
export function tokenize(text: string): Token[] {
  return [...scanTokens(text)];
}

/**
 * The tokens of `text`. With the tokens of an earlier version of the same document, only the stretch an
 * edit changed is scanned again: tokens well before the first changed character are kept, and after the
 * edit the scan stops at the first token that starts where an old one started in the unchanged end of the
 * text (Lua's lexer has no state between tokens, so from there on both scans agree), whose tokens are
 * kept, moved by the change in length.
 */
export function scanTokens(text: string, previous?: TokenList): TokenList {
  if (!previous || previous.length === 0) {
    const all = new TokenColumns(Math.max(64, text.length >> 3));
    lex(text, 0, all);
    return all.list(text);
  }
  const old = previous.text;
  if (old === text) return previous;
  const max = Math.min(text.length, old.length);
  let prefix = 0;
  while (prefix < max && text.charCodeAt(prefix) === old.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  while (suffix < max - prefix && text.charCodeAt(text.length - 1 - suffix) === old.charCodeAt(old.length - 1 - suffix)) suffix++;
  const delta = text.length - old.length;
  // A token's scan reads at most LOOKAHEAD characters past its end (a number's failed exponent, `1e+x`).
  let keep = countWhile(previous.length, (i) => previous.end(i) + LOOKAHEAD <= prefix);
  // `[` and `=` symbols may open a long bracket whatever follows (`[===[` reads any number of `=`).
  while (keep > 0 && previous.kind(keep - 1) === 'symbol' && /^(?:\[|=+)$/.test(previous.raw(keep - 1))) keep--;
  const out = new TokenColumns(previous.length + 64);
  out.copy(previous, 0, keep, 0);
  const unchangedFrom = text.length - suffix;
  let resume = -1;
  lex(text, keep > 0 ? previous.end(keep - 1) : 0, out, (start) => {
    if (start < unchangedFrom) return false;
    const j = previous.indexStarting(start - delta);
    if (j < 0) return false;
    resume = j;
    return true;
  });
  if (resume >= 0) out.copy(previous, resume, previous.length, delta);
  return out.list(text);
}

const LOOKAHEAD = 3;

/** How many of 0, 1, … n-1 satisfy `ok`, for a predicate that holds up to some index and not after it. */
function countWhile(n: number, ok: (i: number) => boolean): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ok(mid)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Growable columns of token numbers, turned into a TokenList at the end. */
class TokenColumns {
  count = 0;
  private kinds: Uint8Array;
  private starts: Int32Array;
  private ends: Int32Array;
  private cStarts: Int32Array;
  private cEnds: Int32Array;

  constructor(private cap: number) {
    this.kinds = new Uint8Array(cap);
    this.starts = new Int32Array(cap);
    this.ends = new Int32Array(cap);
    this.cStarts = new Int32Array(cap);
    this.cEnds = new Int32Array(cap);
  }

  push(kind: number, start: number, end: number, contentStart = start, contentEnd = end): void {
    if (this.count === this.cap) this.reserve(this.cap * 2);
    const i = this.count++;
    this.kinds[i] = kind;
    this.starts[i] = start;
    this.ends[i] = end;
    this.cStarts[i] = contentStart;
    this.cEnds[i] = contentEnd;
  }

  /** Appends tokens `from`..`to` of `list`, moved by `delta`. */
  copy(list: TokenList, from: number, to: number, delta: number): void {
    const n = to - from;
    if (n <= 0) return;
    if (this.count + n > this.cap) this.reserve(Math.max(this.cap * 2, this.count + n));
    const c = list.columns();
    this.kinds.set(c.kinds.subarray(from, to), this.count);
    for (const [src, dst] of [
      [c.starts, this.starts],
      [c.ends, this.ends],
      [c.contentStarts, this.cStarts],
      [c.contentEnds, this.cEnds],
    ] as const) {
      dst.set(src.subarray(from, to), this.count);
      if (delta !== 0) for (let i = this.count; i < this.count + n; i++) dst[i]! += delta;
    }
    this.count += n;
  }

  list(text: string): TokenList {
    const n = this.count;
    return new TokenList(text, n, this.kinds.slice(0, n), this.starts.slice(0, n), this.ends.slice(0, n), this.cStarts.slice(0, n), this.cEnds.slice(0, n));
  }

  private reserve(cap: number): void {
    this.cap = cap;
    this.kinds = grow(this.kinds, new Uint8Array(cap));
    this.starts = grow(this.starts, new Int32Array(cap));
    this.ends = grow(this.ends, new Int32Array(cap));
    this.cStarts = grow(this.cStarts, new Int32Array(cap));
    this.cEnds = grow(this.cEnds, new Int32Array(cap));
  }
}

/** Scans tokens from `i` to the end, or until `stop` says yes at a token's start. */
function lex(text: string, i: number, out: TokenColumns, stop?: (start: number) => boolean): void {
  const n = text.length;
  const push = (kind: number, start: number, end: number, contentStart = start, contentEnd = end): void => out.push(kind, start, end, contentStart, contentEnd);
  while (i < n) {
    const c = text.charCodeAt(i);
    // whitespace (incl. BOM and other odd control characters: skip anything <= space)
    if (c <= 32 || c === 0xfeff) {
      i++;
      continue;
    }
    const start = i;
    if (stop?.(start)) return;
    // comments
    if (c === 45 /* - */ && text.charCodeAt(i + 1) === 45) {
      const long = longBracketAt(text, i + 2);
      if (long) {
        push(COMMENT_K | LONG_FLAG | (long.closed ? 0 : OPEN_FLAG), start, long.end, long.contentStart, long.contentEnd);
        i = long.end;
      } else {
        let end = i + 2;
        while (end < n && text.charCodeAt(end) !== 10 && text.charCodeAt(end) !== 13) end++;
        push(COMMENT_K, start, end, i + 2, end);
        i = end;
      }
      continue;
    }
    // long strings
    if (c === 91 /* [ */) {
      const long = longBracketAt(text, i);
      if (long) {
        push(STRING_K | LONG_FLAG | (long.closed ? 0 : OPEN_FLAG), start, long.end, long.valueStart, long.contentEnd);
        i = long.end;
        continue;
      }
    }
    // quoted strings
    if (c === 34 /* " */ || c === 39 /* ' */) {
      const r = scanQuoted(text, i, false);
      push(STRING_K | (r.closed ? 0 : OPEN_FLAG), start, r.end, start + 1, r.closed ? r.end - 1 : r.end);
      i = r.end;
      continue;
    }
    // names
    if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95) {
      NAME.lastIndex = i;
      const m = NAME.exec(text)!;
      push(NAME_K, start, start + m[0].length);
      i = start + m[0].length;
      continue;
    }
    // numbers
    if ((c >= 48 && c <= 57) || (c === 46 && isDigit(text.charCodeAt(i + 1)))) {
      NUMBER.lastIndex = i;
      const m = NUMBER.exec(text);
      const len = m && m[0].length > 0 ? m[0].length : 1;
      push(NUMBER_K, start, start + len);
      i = start + len;
      continue;
    }
    // symbols
    let len = 1;
    if (MULTI_START.has(c)) {
      for (const s of SYMBOLS) {
        if (text.startsWith(s, i)) {
          len = s.length;
          break;
        }
      }
    }
    // Keep surrogate pairs together so a token never splits a character.
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) len = 2;
    }
    push(SYMBOL_K, start, start + len);
    i += len;
  }
}

function grow<T extends Uint8Array | Int32Array>(from: T, to: T): T {
  to.set(from);
  return to;
}

/** Space, \t, \n, \v, \f, \r: what Lua's lexer counts as white space. */
function isLuaSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

const UTF8 = new TextDecoder('utf-8');

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', f: '\f', v: '\v', '\\': '\\', '"': '"', "'": "'" };

/**
 * A short string ends at its quote or, unterminated, at the end of the line (as Lua reports it).
 * `decode` = false only finds the end (the scan of a whole file); true also builds the value.
 */
function scanQuoted(text: string, start: number, decode: boolean): { end: number; closed: boolean; value: string } {
  const q = text.charCodeAt(start);
  const n = text.length;
  let i = start + 1;
  let value = '';
  // Escaped bytes (`\195\169`, `\xC3\xA9`) are UTF-8 sequences, decoded together as Lua's bytes would be read.
  const bytes: number[] = [];
  const flush = (): void => {
    if (bytes.length) value += UTF8.decode(Uint8Array.from(bytes));
    bytes.length = 0;
  };
  const add = (s: string): void => {
    if (s === '') return; // between two escapes: a byte sequence may go on
    flush();
    value += s;
  };
  const addByte = (b: number): void => {
    if (b < 0x80) add(String.fromCharCode(b));
    else bytes.push(b);
  };
  // Plain text is copied in slices between escapes (per-character appends were slow on long lines).
  let plain = i;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c !== q && c !== 10 && c !== 13 && c !== 92) {
      i++;
      continue;
    }
    if (decode) add(text.slice(plain, i));
    if (c === q) {
      flush();
      return { end: i + 1, closed: true, value };
    }
    if (c === 10 || c === 13) {
      plain = i;
      break;
    }
    if (i + 1 < n) {
      const e = text[i + 1]!;
      const hex = e === 'x' ? /^[0-9A-Fa-f]{2}/.exec(text.slice(i + 2, i + 4)) : null;
      const unicode = e === 'u' ? /^\{([0-9A-Fa-f]{1,8})\}/.exec(text.slice(i + 2, i + 12)) : null;
      if (e === 'z') {
        // Lua skips ASCII white space only (lisspace), not other Unicode spaces.
        i += 2;
        while (i < n && isLuaSpace(text.charCodeAt(i))) i++;
      } else if (hex) {
        if (decode) addByte(parseInt(hex[0], 16));
        i += 4;
      } else if (unicode && parseInt(unicode[1]!, 16) <= 0x10ffff) {
        if (decode) add(String.fromCodePoint(parseInt(unicode[1]!, 16)));
        i += 2 + unicode[0].length;
      } else if (e === '\r' || e === '\n') {
        // A backslash before a line break is a newline; like Lua, take \r\n or \n\r as one break.
        i += 1 + lineBreakAt(text, i + 1);
        if (decode) add('\n');
      } else if (/[0-9]/.test(e)) {
        const m = /^[0-9]{1,3}/.exec(text.slice(i + 1, i + 4))!;
        if (decode) addByte(Number(m[0]) & 0xff);
        i += 1 + m[0].length;
      } else {
        if (decode) add(ESCAPES[e] ?? e);
        i += 2;
      }
      plain = i;
      continue;
    }
    // A backslash as the very last character: kept as written.
    if (decode) add('\\');
    i++;
    plain = i;
  }
  if (decode) add(text.slice(plain, i));
  flush();
  return { end: i, closed: false, value };
}

/** Lua's reserved words that cannot end a value (`true`, `false`, `nil` and `end` can). */
const NO_VALUE_END = new Set(['and', 'or', 'not', 'function', 'local', 'return', 'then', 'do', 'in', 'if', 'elseif', 'else', 'while', 'until', 'repeat', 'for']);

/**
 * Token `i` can be the last of a value (a literal, a name, `}`, `)`, `]`): what follows it on a new line is the next
 * statement or table entry, or (in a table) an entry whose separator is missing.
 */
export function endsValue(tokens: TokenList, i: number): boolean {
  const kind = tokens.kind(i);
  if (kind === 'string' || kind === 'number') return true;
  if (kind === 'name') return !NO_VALUE_END.has(tokens.raw(i));
  return tokens.isSymbol(i, '}') || tokens.isSymbol(i, ')') || tokens.isSymbol(i, ']');
}

/** Index of the token containing `offset` (start <= offset < end), or -1. */
export function tokenAt(tokens: TokenList, offset: number): number {
  let lo = 0;
  let hi = tokens.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (offset < tokens.start(mid)) hi = mid - 1;
    else if (offset >= tokens.end(mid)) lo = mid + 1;
    else return mid;
  }
  return -1;
}

/** Index of the last token that ends at or before `offset`, or -1. */
export function tokenBefore(tokens: TokenList, offset: number): number {
  let lo = 0;
  let hi = tokens.length - 1;
  let best = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (tokens.end(mid) <= offset) {
      best = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return best;
}

/** Index of the next token after `i` that is not a comment, or -1. */
export function nextSignificant(tokens: TokenList, i: number): number {
  for (let j = i + 1; j < tokens.length; j++) if (tokens.kind(j) !== 'comment') return j;
  return -1;
}

/** Index of the token before `i` that is not a comment, or -1. */
export function prevSignificant(tokens: TokenList, i: number): number {
  for (let j = i - 1; j >= 0; j--) if (tokens.kind(j) !== 'comment') return j;
  return -1;
}

/** Token `i` (a string) is a bracketed table key: `["no_ticket"] = …`. */
export function isBracketedKey(tokens: TokenList, i: number): boolean {
  const close = nextSignificant(tokens, i);
  return tokens.isSymbol(prevSignificant(tokens, i), '[') && tokens.isSymbol(close, ']') && tokens.isSymbol(nextSignificant(tokens, close), '=');
}

/**
 * A bracketed key, also before its `= …` is typed: `{ ["no_tic|"] }`, the `[` opening an entry (after `{`, `,`
 * or `;`, so not an index like `t["x"]`) and the `]` ending one (a separator, `}` or nothing after it).
 */
export function isBracketedKeyTyped(tokens: TokenList, i: number): boolean {
  if (isBracketedKey(tokens, i)) return true;
  const open = prevSignificant(tokens, i);
  const close = nextSignificant(tokens, i);
  if (!tokens.isSymbol(open, '[') || !tokens.isSymbol(close, ']')) return false;
  const entry = prevSignificant(tokens, open);
  const after = nextSignificant(tokens, close);
  return (tokens.isSymbol(entry, '{') || tokens.isSymbol(entry, ',') || tokens.isSymbol(entry, ';')) && (after < 0 || tokens.isSymbol(after, ',') || tokens.isSymbol(after, ';') || tokens.isSymbol(after, '}'));
}
