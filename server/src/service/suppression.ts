// In-file suppression comments:
//   -- prosody-ssl: disable-next-line <rule-id>[, <rule-id> …]   (no id: every rule)
//   -- prosody-ssl: disable <rule-id> …   from this line on (at the top: the whole file)
//   -- prosody-ssl: enable <rule-id> …    ends a `disable`
// Read from the tolerant token stream, so they work in any text.

import type { ConfigDocument } from './model/document';
import type { Token, TokenList } from './model/tokenize';

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

const NONE: Suppressions = { isSuppressed: () => false };
const ANY_DIRECTIVE = /prosody-ssl:\s*(?:disable|enable)/;

/** The suppressions of a document version; the token stream is only read when the text names one. */
export function suppressionsOf(model: ConfigDocument, lineOf: (offset: number) => number): Suppressions {
  return ANY_DIRECTIVE.test(model.text) ? readSuppressions(comments(model.outline.tokens), lineOf) : NONE;
}

function* comments(tokens: TokenList): Iterable<Token> {
  for (let i = 0; i < tokens.length; i++) if (tokens.kind(i) === 'comment') yield tokens.at(i)!;
}

export function readSuppressions(tokens: Iterable<Token>, lineOf: (offset: number) => number): Suppressions {
  const nextLine = new Map<number, Set<string> | 'all'>();
  const spans: Span[] = [];
  for (const t of tokens) {
    if (t.kind !== 'comment') continue;
    const m = DIRECTIVE.exec(t.value.replace(/\]=*\]?$/, ''));
    if (!m) continue;
    const ids = m[2]!
      .replace(/--.*$/, '')
      .split(/[\s,]+/)
      .filter((x) => /^[a-z0-9-]+$/.test(x));
    const rules: Set<string> | 'all' = ids.length ? new Set(ids) : 'all';
    const line = lineOf(t.start);
    if (m[1] === 'disable-next-line') {
      const target = lineOf(t.end) + 1;
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
