// The tolerant outline of a config: sections (global, VirtualHost, Component), top-level assignments,
// and every `{ … }` table with the key it is the value of and the fields written in it. Built from
// tokens in one pass, so it exists for any text, parsable or not; completion and hover read the
// cursor's context from it. Unclosed tables are closed where the next section header starts a line.

import { tokenize, type Token } from './tokenize';

export type SectionKind = 'global' | 'host' | 'component';

export interface OutlineSection {
  readonly kind: SectionKind;
  /** Host or component name (the string after VirtualHost/Component), when written literally. */
  readonly name?: string;
  /** Component module (`Component "x" "muc"`). */
  readonly module?: string;
  /** Offset where the section starts (its header keyword); 0 for the global section. */
  readonly start: number;
  readonly headerEnd: number;
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
  readonly tokens: readonly Token[];
  /** Tokens without comments, for structure walking; `sig[i]` indexes into `tokens`. */
  readonly sig: readonly number[];
  readonly sections: readonly OutlineSection[];
  readonly frames: readonly OutlineFrame[];
  readonly assignments: readonly OutlineAssignment[];
}

const SECTION_WORDS = new Set(['VirtualHost', 'Component']);
const SEPARATORS = new Set(['{', ',', ';']);
const OPERATOR_WORDS = new Set(['and', 'or', 'not', 'function', 'local', 'return', 'then', 'do', 'in', 'if', 'elseif', 'while', 'until', 'repeat', 'for']);

export function buildOutline(text: string): Outline {
  const tokens = tokenize(text);
  const sig: number[] = [];
  for (let i = 0; i < tokens.length; i++) if (tokens[i]!.kind !== 'comment') sig.push(i);

  const sections: OutlineSection[] = [{ kind: 'global', start: 0, headerEnd: 0 }];
  const frames: OutlineFrame[] = [];
  const assignments: OutlineAssignment[] = [];
  // Open brackets: frames for `{`, plain markers for `(` and `[`.
  // Each entry also carries the innermost enclosing table, so a new table finds its parent in O(1)
  // (100 000 nested braces must not cost a quadratic scan).
  const stack: Array<{ ch: string; frame?: OutlineFrame; enclosing?: OutlineFrame }> = [];

  const tok = (k: number): Token | undefined => (k >= 0 && k < sig.length ? tokens[sig[k]!] : undefined);
  const isSym = (k: number, s: string): boolean => {
    const t = tok(k);
    return t !== undefined && t.kind === 'symbol' && t.value === s;
  };
  const closeAllAt = (offset: number): void => {
    while (stack.length) {
      const top = stack.pop()!;
      if (top.frame) top.frame.end = offset;
    }
  };

  for (let k = 0; k < sig.length; k++) {
    const t = tok(k)!;
    if (t.kind === 'name' && SECTION_WORDS.has(t.value) && !isSym(k + 1, '=') && !isSym(k - 1, '.')) {
      // A section header at the start of a line ends any table left open above it.
      if (stack.length && startsLine(text, t.start)) closeAllAt(lineStartBefore(text, t.start));
      if (stack.length === 0) {
        const { name, module, end } = readHeader(k);
        sections.push({ kind: t.value === 'VirtualHost' ? 'host' : 'component', name, module, start: t.start, headerEnd: end });
        continue;
      }
    }
    if (t.kind === 'symbol') {
      if (t.value === '{') {
        let key: string | undefined;
        let bracketKey: string | undefined;
        if (isSym(k - 1, '=')) {
          const before = tok(k - 2);
          if (before?.kind === 'name') key = before.value;
          else if (before?.kind === 'symbol' && before.value === ']') {
            const inner = tok(k - 3);
            if (inner && (inner.kind === 'number' || inner.kind === 'string') && isSym(k - 4, '[')) bracketKey = inner.value;
          }
        }
        const parent = stack[stack.length - 1]?.enclosing;
        const frame: OutlineFrame = {
          id: frames.length,
          openIndex: sig[k]!,
          closeIndex: -1,
          start: t.start,
          end: text.length,
          key,
          bracketKey,
          parent,
          section: sections.length - 1,
          eqIndex: isSym(k - 1, '=') ? sig[k - 1] : undefined,
          fields: [],
          items: [],
        };
        frames.push(frame);
        stack.push({ ch: '{', frame, enclosing: frame });
      } else if (t.value === '(' || t.value === '[') {
        stack.push({ ch: t.value, enclosing: stack[stack.length - 1]?.enclosing });
      } else if (t.value === '}' || t.value === ')' || t.value === ']') {
        const open = t.value === '}' ? '{' : t.value === ')' ? '(' : '[';
        // Pop to the matching opener; a stray closer with no opener is ignored.
        const at = findLast(stack, (s) => s.ch === open);
        if (at >= 0) {
          while (stack.length > at) {
            const top = stack.pop()!;
            if (top.frame) {
              top.frame.end = t.start;
              if (stack.length === at) top.frame.closeIndex = sig[k]!;
            }
          }
        }
      }
      continue;
    }
    if (t.kind === 'string') {
      const prev = tok(k - 1);
      const top = stack[stack.length - 1];
      if (top?.frame && prev?.kind === 'symbol' && SEPARATORS.has(prev.value)) top.frame.items.push({ value: t.value, start: t.start, end: t.end });
      continue;
    }
    if (t.kind === 'name' && isSym(k + 1, '=')) {
      const prev = tok(k - 1);
      const top = stack[stack.length - 1];
      // A field follows a separator, or (missing separator, common while typing) the end of a value.
      if (top?.frame && prev && ((prev.kind === 'symbol' && SEPARATORS.has(prev.value)) || endsValue(prev))) {
        top.frame.fields.push({ name: t.value, start: t.start, end: t.end, eqIndex: sig[k + 1]! });
      } else if (stack.length === 0 && !(prev && prev.kind === 'symbol' && (prev.value === '.' || prev.value === ':')) && !(prev?.kind === 'name' && prev.value === 'local')) {
        assignments.push({ name: t.value, start: t.start, end: t.end, eqIndex: sig[k + 1]!, section: sections.length - 1 });
      }
    }
  }

  return { text, tokens, sig, sections, frames, assignments };

  function readHeader(k: number): { name?: string; module?: string; end: number } {
    // VirtualHost "x" | VirtualHost("x") | Component "x" "mod" | Component("x")("mod")
    const strings: string[] = [];
    let j = k + 1;
    let end = tok(k)!.end;
    while (j < sig.length && strings.length < 2) {
      const u = tok(j)!;
      if (u.kind === 'string') {
        strings.push(u.value);
        end = u.end;
        j++;
        if (isSym(j, ')')) {
          end = tok(j)!.end;
          j++;
        }
        continue;
      }
      if (u.kind === 'symbol' && u.value === '(' && tok(j + 1)?.kind === 'string') {
        j++;
        continue;
      }
      break;
    }
    return { name: strings[0], module: strings[1], end };
  }
}

function endsValue(t: Token): boolean {
  return t.kind === 'string' || t.kind === 'number' || (t.kind === 'name' && !OPERATOR_WORDS.has(t.value)) || (t.kind === 'symbol' && (t.value === '}' || t.value === ')' || t.value === ']'));
}

function findLast<T>(arr: readonly T[], pred: (t: T) => boolean): number {
  for (let i = arr.length - 1; i >= 0; i--) if (pred(arr[i]!)) return i;
  return -1;
}

function startsLine(text: string, offset: number): boolean {
  for (let i = offset - 1; i >= 0; i--) {
    const c = text[i]!;
    if (c === '\n' || c === '\r') return true;
    if (c !== ' ' && c !== '\t') return false;
  }
  return true;
}

function lineStartBefore(text: string, offset: number): number {
  let i = offset;
  while (i > 0 && text[i - 1] !== '\n' && text[i - 1] !== '\r') i--;
  return i;
}

/** The section in force at `offset` (sections are in text order: a binary search). */
export function sectionAt(outline: Outline, offset: number): number {
  const secs = outline.sections;
  let lo = 0;
  let hi = secs.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (secs[mid]!.start <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
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

/** The chain of keys from the top-level option down to `frame`, e.g. ["https_ssl", "[5223]"] or ["ssl", "options"]. */
export function framePath(frame: OutlineFrame | undefined): Array<{ key?: string; bracketKey?: string }> {
  const path: Array<{ key?: string; bracketKey?: string }> = [];
  for (let f = frame; f; f = f.parent) path.unshift({ key: f.key, bracketKey: f.bracketKey });
  return path;
}
