// The tolerant outline of a config: sections (global, VirtualHost, Component), top-level assignments,
// and every `{ … }` table with the key it is the value of and the fields written in it. Built from
// tokens in one pass, so it exists for any text, parsable or not; completion and hover read the
// cursor's context from it. Unclosed tables are closed where the next section header starts a line, and
// (when braces do not balance) where a line sets a known option or, below an open flag list, an ssl key.

import { getOption, getSslKey } from '../catalog';
import { lastStartingAtOrBefore } from './search';
import { isGlobalHeader, isLowerCaseAlias, sectionWordAt, type SectionKind } from './sectionWords';
import { endsValue, scanTokens, type TokenList } from './tokenize';

export type { SectionKind } from './sectionWords';

export interface OutlineSection {
  readonly kind: SectionKind;
  /** Host or component name (the string after VirtualHost/Component), when written literally. */
  readonly name?: string;
  /** Component module (`Component "x" "muc"`). */
  readonly module?: string;
  /** Offset where the section starts (its header keyword); 0 for the global section. */
  readonly start: number;
  readonly headerEnd: number;
  /**
   * Where scope returns to global: after the options of a table-form header (`VirtualHost "x" { … }`),
   * as Prosody's config loader does; or the header itself for `VirtualHost "*"`, which names the global section. Unset for a plain header.
   */
  globalFrom?: number;
}

export interface OutlineField {
  readonly name: string;
  readonly start: number;
  readonly end: number;
  /** Token index of the `=` after the name. */
  readonly eqIndex: number;
}

export interface OutlineFrame {
  readonly id: number;
  /** Token index of `{`. */
  readonly openIndex: number;
  /** Token index of the matching `}`, or -1 when the table is never closed. */
  closeIndex: number;
  readonly start: number;
  /** Offset just before `}` (or where recovery closed the table, or the end of text). */
  end: number;
  /** Name this table is the value of (`ssl = {` → "ssl"; `options = {` → "options"). */
  readonly key?: string;
  /** `[5223] = {` or `["x"] = {` → "5223" / "x". */
  readonly bracketKey?: string;
  readonly parent?: OutlineFrame;
  /** Index into `sections`. */
  readonly section: number;
  /** Token index of the `=` before `{` (when the table is a value of a key or an option). */
  readonly eqIndex?: number;
  readonly fields: OutlineField[];
  /** The options table of a table-form header (`VirtualHost "x" { … }`): the index of its section. */
  readonly sectionOptions?: number;
  /** String items written directly in the table (`{ "a", "b" }`). */
  readonly items: Array<{ readonly value: string; readonly start: number; readonly end: number }>;
}

export interface OutlineAssignment {
  readonly name: string;
  readonly start: number;
  readonly end: number;
  readonly eqIndex: number;
  readonly section: number;
}

export interface Outline {
  readonly text: string;
  readonly tokens: TokenList;
  /** Tokens without comments, for structure walking; `sig[i]` indexes into `tokens`. */
  readonly sig: Int32Array;
  readonly sections: readonly OutlineSection[];
  readonly frames: readonly OutlineFrame[];
  readonly assignments: readonly OutlineAssignment[];
}

/** Tokens after which a name is part of an expression or a declaration, never a statement of its own. */
const EXPRESSION_BEFORE: ReadonlySet<string> = new Set([',', 'local', 'for', 'in', 'function', 'return', 'if', 'elseif', 'while', 'until', '..', '=', '==', '~=', '<', '>', '<=', '>=', '+', '-', '*', '/', '//', '%', '^', '#', 'and', 'or', 'not', '.', ':']);

/** `previous`: the tokens of an earlier version of the document, so only what an edit changed is scanned again. */
export function buildOutline(text: string, previous?: TokenList): Outline {
  const tokens = scanTokens(text, previous);
  const sigList = new Int32Array(tokens.length);
  let sigCount = 0;
  for (let i = 0; i < tokens.length; i++) if (tokens.kind(i) !== 'comment') sigList[sigCount++] = i;
  const sig = sigList.subarray(0, sigCount);

  const sections: OutlineSection[] = [{ kind: 'global', start: 0, headerEnd: 0 }];
  /** The section settings belong to here; 0 again after a table-form header's options. */
  let current = 0;
  /** A table-form header whose options call is still open. */
  let returning: OutlineSection | undefined;
  /** Its options call's first token (a `{` there opens the options table). */
  let returningAt = -1;
  const frames: OutlineFrame[] = [];
  const assignments: OutlineAssignment[] = [];
  // Open brackets: frames for `{`, plain markers for `(` and `[`.
  // Each entry also carries the innermost enclosing table, so a new table finds its parent in O(1)
  // (100 000 nested braces must not cost a quadratic scan).
  const stack: Array<{ ch: string; frame?: OutlineFrame; enclosing?: OutlineFrame }> = [];

  // Significant token k: its kind, offsets and text, read from the token columns without objects.
  const valid = (k: number): boolean => k >= 0 && k < sigCount;
  const kindOf = (k: number): string | undefined => (valid(k) ? tokens.kind(sig[k]!) : undefined);
  const isSym = (k: number, s: string): boolean => valid(k) && tokens.isSymbol(sig[k]!, s);
  const rawOf = (k: number): string => tokens.raw(sig[k]!);
  const valueOf = (k: number): string => tokens.at(sig[k]!)!.value;
  const closeAllAt = (offset: number): void => {
    while (stack.length) {
      const top = stack.pop()!;
      if (top.frame) top.frame.end = offset;
    }
  };
  // More `{` than `}`: some table is never closed, so an option line may end it (see endsOpenTables). Valid Lua
  // balances its braces, so its outline never depends on this.
  let opens = 0;
  for (let k = 0; k < sigCount; k++) {
    if (isSym(k, '{')) opens++;
    else if (isSym(k, '}')) opens--;
  }
  const unbalanced = opens > 0;

  for (let k = 0; k < sigCount; k++) {
    const ti = sig[k]!;
    const kind = tokens.kind(ti);
    const tStart = tokens.start(ti);
    const sectionKind = kind === 'name' ? sectionWordAt(text, tStart, tokens.end(ti)) : undefined;
    if (sectionKind && !isSym(k + 1, '=') && !isSym(k - 1, '.') && (!isLowerCaseAlias(rawOf(k)) || aliasCall(k))) {
      // A section header at the start of a line ends any table left open above it.
      if (stack.length && startsLine(text, tStart)) closeAllAt(lineStartBefore(text, tStart));
      if (stack.length === 0) {
        const { name, module, end, next } = readHeader(k, sectionKind);
        sections.push({ kind: sectionKind, name, module, start: tStart, headerEnd: end, ...(isGlobalHeader(sectionKind, name) ? { globalFrom: tStart } : {}) });
        // `VirtualHost "*"` is the global section: what follows (its options table too) is global.
        current = isGlobalHeader(sectionKind, name) ? 0 : sections.length - 1;
        returning = undefined;
        // Called once more (`{ … }`, `( … )` or a string): the options, then global scope when that call closes.
        if (isSym(next, '{') || isSym(next, '(') || kindOf(next) === 'string') {
          returning = sections[sections.length - 1];
          returningAt = next;
        }
        // The header's own arguments are read; the options call is walked like any other code.
        k = next - 1;
        continue;
      }
    }
    if (kind === 'symbol') {
      const sym = tokens.end(ti) - tStart === 1 ? text[tStart]! : '';
      if (sym === '{') {
        let key: string | undefined;
        let bracketKey: string | undefined;
        if (isSym(k - 1, '=')) {
          const before = kindOf(k - 2);
          if (before === 'name') key = rawOf(k - 2);
          else if (isSym(k - 2, ']')) {
            const inner = kindOf(k - 3);
            if ((inner === 'number' || inner === 'string') && isSym(k - 4, '[')) bracketKey = valueOf(k - 3);
          }
        }
        const parent = stack[stack.length - 1]?.enclosing;
        const frame: OutlineFrame = {
          id: frames.length,
          openIndex: ti,
          closeIndex: -1,
          start: tStart,
          end: text.length,
          key,
          bracketKey,
          parent,
          section: current,
          eqIndex: isSym(k - 1, '=') ? sig[k - 1] : undefined,
          // `{ … }` right after the header, or `({ … })`.
          sectionOptions: returning && ((stack.length === 0 && k === returningAt) || (stack.length === 1 && stack[0]!.ch === '(' && k === returningAt + 1)) ? current : undefined,
          fields: [],
          items: [],
        };
        frames.push(frame);
        stack.push({ ch: '{', frame, enclosing: frame });
      } else if (sym === '(' || sym === '[') {
        stack.push({ ch: sym, enclosing: stack[stack.length - 1]?.enclosing });
      } else if (sym === '}' || sym === ')' || sym === ']') {
        const open = sym === '}' ? '{' : sym === ')' ? '(' : '[';
        // Pop to the matching opener; a stray closer with no opener is ignored.
        const at = findLast(stack, (x) => x.ch === open);
        if (at >= 0) {
          while (stack.length > at) {
            const top = stack.pop()!;
            if (top.frame) {
              top.frame.end = tStart;
              if (stack.length === at) top.frame.closeIndex = ti;
            }
          }
          if (stack.length === 0 && returning) {
            returning.globalFrom = Math.min(returning.globalFrom ?? Infinity, tokens.end(ti));
            returning = undefined;
            current = 0;
          }
        }
      }
      continue;
    }
    if (kind === 'string') {
      const top = stack[stack.length - 1];
      if (top?.frame && isSeparator(k - 1)) top.frame.items.push({ value: valueOf(k), start: tStart, end: tokens.end(ti) });
      continue;
    }
    if (kind === 'name' && isSym(k + 1, '=')) {
      const keep = unbalanced && stack.length ? openTablesKept(k) : stack.length;
      if (keep < stack.length) {
        // The tables closed end before the line break, so the option's own line (even its column 0) is outside them.
        const at = lineStartBefore(text, tStart);
        const end = at - (text[at - 1] === '\n' && text[at - 2] === '\r' ? 2 : at > 0 ? 1 : 0);
        while (stack.length > keep) {
          const top = stack.pop()!;
          if (top.frame) top.frame.end = end;
        }
      }
      const top = stack[stack.length - 1];
      // A field follows a separator, or (missing separator, common while typing) the end of a value.
      if (top?.frame && valid(k - 1) && (isSeparator(k - 1) || endsValue(tokens, sig[k - 1]!))) {
        top.frame.fields.push({ name: rawOf(k), start: tStart, end: tokens.end(ti), eqIndex: sig[k + 1]! });
      } else if (stack.length === 0 && !isSym(k - 1, '.') && !isSym(k - 1, ':') && !(kindOf(k - 1) === 'name' && rawOf(k - 1) === 'local')) {
        assignments.push({ name: rawOf(k), start: tStart, end: tokens.end(ti), eqIndex: sig[k + 1]!, section: current });
      }
    }
  }

  return { text, tokens, sig, sections, frames, assignments };

  /**
   * How many of the open brackets stay open at `name =` (k) in a text with an unclosed table: fewer when the line
   * is almost surely the next statement (while typing `ssl = {`), not a key of the table left open. Never a
   * table-form header's options, whose keys option names are.
   * - A known top-level option that is no ssl key at column 0 closes them all; indented, the tables opened on
   *   lines indented as far or further (`https_ssl = {` under an open `ssl = {` of the same host).
   * - An ssl key starting a line closes a flag list left open above it (`options = { "no_sslv3", "no_` then
   *   `ciphers = …`): a list's entries are strings, or flag names in its map form, never ssl keys.
   */
  function openTablesKept(k: number): number {
    const start = tokens.start(sig[k]!);
    if (!startsLine(text, start)) return stack.length;
    const name = rawOf(k);
    // `certificates` is an ssl key too (LuaSec's list of pairs, a table); set to a string it is the option.
    const option = getOption(name) !== undefined && (getSslKey(name) === undefined || (name === 'certificates' && kindOf(k + 2) === 'string'));
    const indent = text.slice(lineStartBefore(text, start), start);
    let keep = stack.length;
    for (let j = stack.length - 1; j >= 0; j--) {
      const frame = stack[j]!.frame;
      if (!frame) continue; // `(` or `[`: closed with the table around it
      if (frame.sectionOptions !== undefined) break;
      const openedAt = lineStartBefore(text, frame.start);
      // Indented no further than the line the table was opened on: its indentation starts with this line's (tabs
      // and spaces are not compared across).
      const shallower = text.startsWith(indent, openedAt);
      const flagList = j === stack.length - 1 && frame.key !== undefined && frame.parent !== undefined && getSslKey(frame.key)?.values !== undefined && getSslKey(name) !== undefined;
      if ((option && shallower) || flagList) keep = j;
      else break;
    }
    return keep;
  }

  function isSeparator(k: number): boolean {
    return isSym(k, '{') || isSym(k, ',') || isSym(k, ';');
  }

  /**
   * A lower-case alias (`host`, `component`) is a header only when called, not as a variable in an
   * expression; at a line start inside a table left open (typing), a call is enough, as for VirtualHost.
   */
  function aliasCall(k: number): boolean {
    const called = kindOf(k + 1) === 'string' || isSym(k + 1, '(') || isSym(k + 1, '{');
    if (!called) return false;
    if (stack.length && startsLine(text, tokens.start(sig[k]!))) return true;
    return !EXPRESSION_BEFORE.has(valid(k - 1) ? rawOf(k - 1) : '');
  }

  /**
   * The header's own arguments, read as Prosody's config loader takes them: the name, and for a Component
   * a module string; each written `"x"` or `("x")` (or any parenthesised expression, then unnamed).
   * `next` is the first token after them: where a further call (the options) would start.
   */
  function readHeader(k: number, kind: SectionKind): { name?: string; module?: string; end: number; next: number } {
    let j = k + 1;
    let end = tokens.end(sig[k]!);
    const arg = (): { value?: string } | undefined => {
      if (kindOf(j) === 'string') {
        const value = valueOf(j);
        end = tokens.end(sig[j]!);
        j++;
        return { value };
      }
      if (!isSym(j, '(')) return undefined;
      const close = matchingParen(j);
      const single = close === j + 2 && kindOf(j + 1) === 'string' ? valueOf(j + 1) : undefined;
      if (close < 0) {
        // Unclosed while typing: take a string right after the paren as the name.
        if (kindOf(j + 1) !== 'string') return undefined;
        end = tokens.end(sig[j + 1]!);
        j += 2;
        return { value: valueOf(j - 1) };
      }
      end = tokens.end(sig[close]!);
      j = close + 1;
      return { value: single };
    };
    const name = arg();
    if (!name) return { end, next: j };
    if (kind !== 'component') return { name: name.value, end, next: j };
    // A module is a string argument (`"mod"` or `("mod")`); anything else after the name is the options call.
    const second = kindOf(j) === 'string' || (isSym(j, '(') && kindOf(j + 1) === 'string' && isSym(j + 2, ')')) ? arg() : undefined;
    return { name: name.value, module: second?.value, end, next: j };
  }

  /** The significant-token index of the `)` closing the `(` at `open`, or -1 (not closed before the next line). */
  function matchingParen(open: number): number {
    // A header's arguments fit on its line; looking further would make many unclosed headers quadratic.
    const lineEnd = text.slice(tokens.start(sig[open]!)).search(/[\r\n]/);
    const limit = lineEnd < 0 ? text.length : tokens.start(sig[open]!) + lineEnd;
    let depth = 0;
    for (let j = open; j < sigCount && tokens.start(sig[j]!) < limit; j++) {
      if (isSym(j, '(')) depth++;
      else if (isSym(j, ')') && --depth === 0) return j;
    }
    return -1;
  }
}

function findLast<T>(arr: readonly T[], pred: (t: T) => boolean): number {
  for (let i = arr.length - 1; i >= 0; i--) if (pred(arr[i]!)) return i;
  return -1;
}

/** Only blanks stand between the start of its line and `offset`. */
export function startsLine(text: string, offset: number): boolean {
  for (let i = offset - 1; i >= 0; i--) {
    const c = text[i]!;
    if (c === '\n' || c === '\r') return true;
    if (c !== ' ' && c !== '\t') return false;
  }
  return true;
}

/** The offset where the line holding `offset` starts (after LF, CR or CRLF). */
export function lineStartBefore(text: string, offset: number): number {
  let i = offset;
  while (i > 0 && text[i - 1] !== '\n' && text[i - 1] !== '\r') i--;
  return i;
}

/** The offset where the line holding `offset` ends (before its LF, CR or CRLF; the text's end for the last line). */
export function lineEndAfter(text: string, offset: number): number {
  let i = offset;
  while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
  return i;
}

/** The section in force at `offset` (sections are in text order: a binary search); global after a table form's options. */
export function sectionAt(outline: Outline, offset: number): number {
  const lo = lastStartingAtOrBefore(outline.sections, (sec) => sec.start, offset);
  const from = outline.sections[lo]!.globalFrom;
  return from !== undefined && offset >= from ? 0 : lo;
}

/** The innermost table whose inside contains `offset` (after `{`, up to and including the position before `}`). */
export function frameAt(outline: Outline, offset: number): OutlineFrame | undefined {
  let best: OutlineFrame | undefined;
  for (const f of outline.frames) {
    if (f.start >= offset) break; // frames are in order of their `{`
    if (offset <= f.end && (!best || f.start > best.start)) best = f;
  }
  return best;
}

/** The name at `start` is an option being set: a top-level assignment, or a key of a table-form header's options. */
export function isOptionName(outline: Outline, frame: OutlineFrame | undefined, start: number): boolean {
  if (frame?.sectionOptions !== undefined) return frame.fields.some((f) => f.start === start);
  return !frame && outline.assignments.some((a) => a.start === start);
}

/** The chain of keys from the top-level option down to `frame`, e.g. ["https_ssl", "[5223]"] or ["ssl", "options"]. */
export function framePath(frame: OutlineFrame | undefined): Array<{ key?: string; bracketKey?: string }> {
  const path: Array<{ key?: string; bracketKey?: string }> = [];
  for (let f = frame; f; f = f.parent) path.unshift({ key: f.key, bracketKey: f.bracketKey });
  return path;
}
