// Parses a document chunk by chunk (chunks.ts) and keeps each chunk's result for the next version:
// after an edit only the chunks the edit touched go through luaparse again. A chunk is recognised by
// its text at the same offset in the last version that parsed, or shifted by the change in length. Chunks after the edit keep their result, moved to their new offset only when
// something asks for their settings (the per-chunk diagnostics never do). Parsing in pieces also keeps
// luaparse's syntax tree to one section at a time, which bounds memory on configs of thousands of hosts.
//
// When any chunk does not parse on its own, or the pieces could mean something else together (a
// `return` before the end), the whole text is parsed as before: that parse's error is the one Lua gives.

import { splitChunks } from './chunks';
import { GLOBAL_SECTION, parseChunk, parseConfig, type ChunkConfig, type ParseResult, type ParsedConfig, type Section, type Setting } from './parse';
import type { LuaValue, Range, TableValue } from './values';

/** One parsed chunk. The same object stands for the chunk in every version where its text is unchanged. */
export interface ChunkEntry {
  /**
   * The chunk's result at the offset and section index it was last asked for. Replaced, not added to,
   * when it moves: one copy per chunk is kept, whatever the number of versions.
   */
  parsed: ChunkConfig;
}

/** One chunk of a version: where it is and what it holds. */
export interface ConfigPart {
  readonly start: number;
  readonly end: number;
  readonly entry: ChunkEntry;
  /** Index of the first section this chunk's headers open. */
  readonly base: number;
  /** The chunk's sections and settings at this offset (moved on first use). */
  readonly config: ChunkConfig;
}

export interface ChunkedParse {
  readonly result: ParseResult;
  /** The chunks, when the document parsed in pieces (not after a syntax error). */
  readonly parts?: readonly ConfigPart[];
}

export class ChunkedParser {
  /** The last version that parsed, for finding what an edit left unchanged. */
  private last?: { text: string; byStart: Map<number, ConfigPart> };

  parse(text: string): ChunkedParse {
    const chunks = splitChunks(text);
    const reuse = this.unchanged(text);
    const parts: ConfigPart[] = [];
    let base = 1;
    for (let k = 0; k < chunks.length; k++) {
      const { start, end } = chunks[k]!;
      let entry = reuse(start, end);
      if (!entry) {
        const parsed = parseChunk(text.slice(start, end), start, base);
        // The whole parse reports the error; the last good version stays the one to compare with.
        if (!parsed || (parsed.endsWithReturn && k < chunks.length - 1)) return { result: parseConfig(text) };
        entry = { parsed };
      } else if (entry.parsed.endsWithReturn && k < chunks.length - 1) return { result: parseConfig(text) };
      parts.push(part(start, end, entry, base));
      base += entry.parsed.sections.length;
    }
    this.last = { text, byStart: new Map(parts.map((p) => [p.start, p])) };
    let config: ParsedConfig | undefined;
    return {
      result: {
        ok: true,
        get config() {
          return (config ??= assemble(parts));
        },
      },
      parts,
    };
  }

  /**
   * Finds the entry of a chunk whose text is unchanged since the last good version: at the same offset
   * (before the edit) or shifted by the change in length (after it). Comparing two slices is a memory
   * compare in V8, far cheaper than hashing them or walking characters in JavaScript.
   */
  private unchanged(text: string): (start: number, end: number) => ChunkEntry | undefined {
    const last = this.last;
    if (!last) return () => undefined;
    const delta = text.length - last.text.length;
    const same = (p: ConfigPart | undefined, start: number, end: number): boolean => p !== undefined && p.end - p.start === end - start && last.text.slice(p.start, p.end) === text.slice(start, end);
    return (start, end) => {
      const here = last.byStart.get(start);
      if (same(here, start, end)) return here!.entry;
      const moved = delta === 0 ? undefined : last.byStart.get(start - delta);
      return same(moved, start, end) ? moved!.entry : undefined;
    };
  }
}

function part(start: number, end: number, entry: ChunkEntry, base: number): ConfigPart {
  return {
    start,
    end,
    entry,
    base,
    get config() {
      const { parsed } = entry;
      if (parsed.offset === start && parsed.base === base) return parsed;
      return (entry.parsed = moveChunk(parsed, start, base));
    },
  };
}

/** All sections and settings of a version. */
function assemble(parts: readonly ConfigPart[]): ParsedConfig {
  const sections: Section[] = [GLOBAL_SECTION];
  const settings: Setting[] = [];
  for (const p of parts) {
    const c = p.config;
    for (const s of c.sections) sections.push(s);
    for (const s of c.settings) settings.push(s);
  }
  return { sections, settings };
}

/**
 * The sections of a version without assembling its settings, for a rule run over some chunks only:
 * `exact` chunks get sections at their true offsets; the others keep the offsets they were last placed
 * at, which is harmless because such a run reads sections only through the settings it is given.
 */
export function sectionsOf(parts: readonly ConfigPart[], exact: ReadonlySet<ConfigPart>): Section[] {
  const sections: Section[] = [GLOBAL_SECTION];
  for (const p of parts) for (const s of exact.has(p) ? p.config.sections : p.entry.parsed.sections) sections.push(s);
  return sections;
}

/** A copy of a chunk's result for a new offset and first section index. */
export function moveChunk(c: ChunkConfig, offset: number, base: number): ChunkConfig {
  const d = offset - c.offset;
  const ds = base - c.base;
  return {
    sections: d === 0 ? c.sections : c.sections.map((s) => ({ ...s, range: move(s.range, d) })),
    settings: c.settings.map((s) => (d === 0 ? { ...s, section: s.section + ds } : { ...s, nameRange: move(s.nameRange, d), range: move(s.range, d), value: moveValue(s.value, d), section: s.section + ds })),
    base,
    offset,
    endsWithReturn: c.endsWithReturn,
  };
}

function move(r: Range, d: number): Range {
  return [r[0] + d, r[1] + d];
}

function moveValue(v: LuaValue, d: number): LuaValue {
  switch (v.kind) {
    case 'string':
      return { ...v, range: move(v.range, d), contentRange: move(v.contentRange, d) };
    case 'table':
      return moveTable(v, d);
    default:
      return { ...v, range: move(v.range, d) };
  }
}

function moveTable(t: TableValue, d: number): TableValue {
  return {
    kind: 'table',
    range: move(t.range, d),
    items: t.items.map((i) => moveValue(i, d)),
    fields: t.fields.map((f) => ({ ...f, keyRange: move(f.keyRange, d), range: move(f.range, d), value: moveValue(f.value, d) })),
  };
}
