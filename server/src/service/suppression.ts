// In-file suppression comments:
//   -- prosody-ssl: disable-next-line <rule-id>[, <rule-id> …]   (no id: every rule; directive lines in between
//                                                                  are skipped, so stacked directives all apply)
//   -- prosody-ssl: disable <rule-id> …   from this line on (at the top: the whole file)
//   -- prosody-ssl: enable <rule-id> …    ends a `disable`
// Read from the tolerant token stream, so they work in any text.

import { ChunkMemo } from './model/chunkMemo';
import type { ConfigDocument } from './model/document';
import { lineStartBefore, startsLine } from './model/structure';
import type { Token, TokenList } from './model/tokenize';
import type { Range } from './model/values';

const DIRECTIVE = /^\s*prosody-ssl:\s*(disable-next-line|disable|enable)\b([^\n]*)$/;

export interface Suppressions {
  /** True when findings of `rule` starting at `line` (0-based) are suppressed. */
  isSuppressed(rule: string, line: number): boolean;
}

interface Span {
  readonly from: number;
  to: number;
  readonly rules: ReadonlySet<string> | 'all';
}

export const NO_SUPPRESSIONS: Suppressions = { isSuppressed: () => false };
const ANY_DIRECTIVE = /prosody-ssl:\s*(?:disable|enable)/;

// Per parsed chunk (a directive is a comment: it never spans a chunk boundary, which is a line start).
const directiveIn = new ChunkMemo((text) => ANY_DIRECTIVE.test(text));

/** The suppressions of a document version; the token stream is only read when the text names one. */
export function suppressionsOf(model: ConfigDocument, lineOf: (offset: number) => number): Suppressions {
  const any = model.parts ? directiveIn.some(model.parts, model.text, (v) => v) : ANY_DIRECTIVE.test(model.text);
  return any ? readSuppressions(comments(model.outline.tokens), lineOf, model.text) : NO_SUPPRESSIONS;
}

function* comments(tokens: TokenList): Iterable<Token> {
  for (let i = 0; i < tokens.length; i++) if (tokens.kind(i) === 'comment') yield tokens.at(i)!;
}

/** `text`: the document, to tell directive comments that stand alone on their line (without it, none do). */
export function readSuppressions(tokens: Iterable<Token>, lineOf: (offset: number) => number, text = ''): Suppressions {
  const nextLine = new Map<number, Set<string> | 'all'>();
  const spans: Span[] = [];
  const directives: Array<{ t: Token; m: RegExpExecArray }> = [];
  // Lines holding nothing but a directive: a disable-next-line above them reaches the first line after them, so a
  // second directive inserted under a first one (or under a trailing one) does not end its reach.
  const alone = new Set<number>();
  for (const t of tokens) {
    if (t.kind !== 'comment') continue;
    const m = DIRECTIVE.exec(t.value.replace(/\]=*\]?$/, ''));
    if (!m) continue;
    directives.push({ t, m });
    const line = lineOf(t.start);
    if (text && line === lineOf(t.end) && startsLine(text, t.start) && /^[ \t]*(?:\r?\n|\r|$)/.test(text.slice(t.end, t.end + 256))) alone.add(line);
  }
  for (const { t, m } of directives) {
    const ids = m[2]!
      .replace(/--.*$/, '')
      .split(/[\s,]+/)
      .filter((x) => /^[a-z0-9-]+$/.test(x));
    const rules: Set<string> | 'all' = ids.length ? new Set(ids) : 'all';
    const line = lineOf(t.start);
    if (m[1] === 'disable-next-line') {
      let target = lineOf(t.end) + 1;
      while (alone.has(target)) target++;
      const prev = nextLine.get(target);
      nextLine.set(target, prev === 'all' || rules === 'all' ? 'all' : new Set([...(prev ?? []), ...rules]));
    } else if (m[1] === 'disable') {
      spans.push({ from: line, to: Number.POSITIVE_INFINITY, rules });
    } else {
      for (const s of spans) {
        if (s.to !== Number.POSITIVE_INFINITY) continue;
        if (rules === 'all' || s.rules === 'all' || [...s.rules].some((r) => rules.has(r))) s.to = line;
      }
    }
  }
  return {
    isSuppressed(rule, line) {
      const n = nextLine.get(line);
      if (n === 'all' || n?.has(rule)) return true;
      return spans.some((s) => line >= s.from && line < s.to && (s.rules === 'all' || s.rules.has(rule)));
    },
  };
}

/**
 * Where a new rule id joins the directive on this line: the end of its last id, when the line is only a
 * `disable-next-line` comment whose ids run to the line's end or to a `--` remark; undefined otherwise (the quick
 * fix then writes a directive of its own under it, which that one reaches past).
 */
export function joinableDirectiveEnd(lineText: string): number | undefined {
  return JOINABLE.exec(lineText)?.[1]!.length;
}

const JOINABLE = /^([ \t]*--[ \t]*prosody-ssl:[ \t]*disable-next-line[ \t]+[a-z][a-z0-9-]*(?:[ \t]*,?[ \t]*[a-z][a-z0-9-]*)*)[ \t]*(?:--[^\r\n]*)?(?:\r\n|\r|\n)?$/;

// A whole-line `disable-next-line` directive (not a `--[[` block comment, whose lines may hold anything).
const NEXT_LINE_DIRECTIVE = /^[ \t]*--(?!\[=*\[)[ \t]*prosody-ssl:[ \t]*disable-next-line\b/;

/**
 * A deletion of whole lines, widened over the `disable-next-line` directives standing right above it: they are
 * aimed at its first line, and left behind they would silence the line that moves up into its place (a reviewer).
 * Any other deletion is returned as it is.
 */
export function withDirectivesAbove(text: string, range: Range): Range {
  let [s, e] = range;
  const lineStart = (i: number): boolean => i === 0 || text[i - 1] === '\n' || text[i - 1] === '\r';
  if (e <= s || !lineStart(s) || !(e === text.length || text[e - 1] === '\n' || text[e - 1] === '\r')) return range;
  while (s > 0) {
    // The line above: its end (before LF, CRLF or CR) and its start.
    let end = s - 1;
    if (text[end] === '\n' && text[end - 1] === '\r') end--;
    const start = lineStartBefore(text, end);
    // A line that closes a long comment or string (`]]`) only looks like a directive: it is the comment's end,
    // and taking it would leave the `--[[` open (a reviewer).
    const line = text.slice(start, end);
    if (!NEXT_LINE_DIRECTIVE.test(line) || closesLongBracket(line)) break;
    s = start;
  }
  return [s, e];
}

/** A `]]` (or `]==]`) on the line that no `[[` (`[==[`) before it on the same line opens: the end of a long bracket. */
function closesLongBracket(line: string): boolean {
  for (const m of line.matchAll(/\]=*\]/g)) {
    const open = `[${'='.repeat(m[0].length - 2)}[`;
    if (!line.slice(0, m.index).includes(open)) return true;
  }
  return false;
}
