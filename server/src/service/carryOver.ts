// Diagnostics made for one text, placed on another: a chunk's kept diagnostics after lines were inserted above it
// (incrementalValidation.ts), and the last findings that still fit while the new text cannot be checked yet (the
// server's file checks still running) or at all (a syntax error while typing: LastParsed).

import type { Diagnostic, Position, Range } from 'vscode-languageserver-types';
import type { FixSpan } from './fixSpan';
import { rules } from './rules';

interface FixData {
  fixes?: Array<{ edits: Array<{ range: Range }> }>;
  span?: FixSpan;
  also?: FixSpan[];
}

/** A diagnostic whose text moved by `delta` lines from line `from` on; positions above `from` stay. */
export function moveDiagnostic(d: Diagnostic, from: number, delta: number): Diagnostic {
  if (delta === 0) return d;
  const pos = (p: Position): Position => (p.line >= from ? { line: p.line + delta, character: p.character } : p);
  const range = (r: Range): Range => ({ start: pos(r.start), end: pos(r.end) });
  const data = d.data as FixData | undefined;
  const moved = (x: FixSpan): FixSpan => ({ ...x, range: range(x.range) });
  return {
    ...d,
    range: range(d.range),
    ...(d.relatedInformation ? { relatedInformation: d.relatedInformation.map((r) => ({ ...r, location: { ...r.location, range: range(r.location.range) } })) } : {}),
    ...(data?.fixes ? { data: { ...data, fixes: data.fixes.map((f) => ({ ...f, edits: f.edits.map((e) => ({ ...e, range: range(e.range) })) })), ...(data.span ? { span: moved(data.span) } : {}), ...(data.also ? { also: data.also.map(moved) } : {}) } } : {}),
  };
}

/** Every place a diagnostic names: its range, related places, and its fixes' edits and the spans they check. */
function placesOf(d: Diagnostic): Range[] {
  const data = d.data as FixData | undefined;
  return [
    d.range,
    ...(d.relatedInformation ?? []).map((r) => r.location.range),
    ...(data?.fixes ?? []).flatMap((f) => f.edits.map((e) => e.range)),
    ...(data?.span ? [data.span.range] : []),
    ...(data?.also ?? []).map((x) => x.range),
  ];
}

/**
 * The diagnostics of an older text placed on a newer one, assuming the edit between them is one region: lines
 * before it keep their place, lines after it move by the change in line count, and a diagnostic naming a line
 * inside it (its range, a related place, a fix's edit) is dropped, as its text changed. One pass over the lines.
 */
export function carryOver(oldText: string, newText: string, diagnostics: readonly Diagnostic[]): Diagnostic[] {
  if (oldText === newText) return [...diagnostics];
  // Lines as LSP counts them: CR LF, a lone LF and a lone CR each end one.
  const a = oldText.split(/\r\n|\r|\n/);
  const b = newText.split(/\r\n|\r|\n/);
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const below = a.length - tail;
  const untouched = (r: Range): boolean => r.end.line < head || r.start.line >= below;
  return diagnostics.filter((d) => placesOf(d).every(untouched)).map((d) => moveDiagnostic(d, below, b.length - a.length));
}

/** Rules that read the text, not the parsed config: the only ones with findings in a version that does not parse. */
const TEXT_RULES: ReadonlySet<string> = new Set(rules.filter((r) => r.category === 'syntax').map((r) => r.id));

/**
 * The diagnostics of a document's last version that parsed, for the versions after it that do not. Typing passes
 * through such versions (a quote or a `{` not yet closed); answering them with the syntax error alone made every
 * other squiggle vanish and come back (a reviewer in a real editor). Kept are the findings on lines the edit since
 * left alone: what those lines get once the error is mended, unless the mended text changes them.
 */
export class LastParsed {
  private last?: { readonly text: string; readonly context: string; readonly diagnostics: readonly Diagnostic[] };

  /** `context`: what else the diagnostics depend on (settings); a version checked under another gets none. */
  remember(text: string, context: string, diagnostics: readonly Diagnostic[]): void {
    this.last = { text, context, diagnostics };
  }

  /** The remembered findings that still fit `text`, less those of the rules that read the text (they run on it). */
  onto(text: string, context: string): Diagnostic[] {
    const last = this.last;
    if (!last || last.context !== context) return [];
    return carryOver(last.text, text, last.diagnostics.filter((d) => !TEXT_RULES.has(String(d.code))));
  }
}
