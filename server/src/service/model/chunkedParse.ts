// Parses a document chunk by chunk (chunks.ts) and keeps each chunk's result for the next version:
// after an edit only the touched chunk goes through luaparse again, the others are reused, moved to
// their new offsets when text before them changed. Parsing in pieces also keeps the parser's syntax
// tree small (one section at a time), which is what bounds memory on configs of thousands of hosts.
//
// When any chunk does not parse on its own, or the pieces could mean something else together (a
// `return` before the end), the whole text is parsed as before: that parse's error is the one Lua gives.

import { splitChunks } from './chunks';
import { GLOBAL_SECTION, parseChunk, parseConfig, type ChunkConfig, type ParseResult, type ParsedConfig, type Section, type Setting } from './parse';
import type { LuaValue, Range, TableValue } from './values';

/** One chunk of the current version: where it is, its source (the cache key) and what it holds. */
export interface ConfigPart {
  readonly start: number;
  readonly end: number;
  readonly source: string;
  readonly config: ChunkConfig;
}

export interface ChunkedParse {
  readonly result: ParseResult;
  /** The chunks, when the document parsed in pieces (not after a syntax error or a fallback). */
  readonly parts?: readonly ConfigPart[];
}

export class ChunkedParser {
  private cache = new Map<string, ChunkConfig>();

  parse(text: string): ChunkedParse {
    const chunks = splitChunks(text);
    const next = new Map<string, ChunkConfig>();
    const parts: ConfigPart[] = [];
    let base = 1;
    for (let k = 0; k < chunks.length; k++) {
      const { start, end } = chunks[k]!;
      const source = text.slice(start, end);
      let config = next.get(source) ?? this.cache.get(source);
      if (config && (config.offset !== start || config.base !== base)) config = moveChunk(config, start, base);
      config ??= parseChunk(source, start, base);
      if (!config || (config.endsWithReturn && k < chunks.length - 1)) {
        // Keep what parsed so far for the next version (bounded: a file broken for long must not pile up
        // versions); the whole parse reports the error.
        if (this.cache.size > 2 * chunks.length + 64) this.cache = next;
        else for (const [key, value] of next) this.cache.set(key, value);
        return { result: parseConfig(text) };
      }
      next.set(source, config);
      parts.push({ start, end, source, config });
      base += config.sections.length;
    }
    // Keys now slice only this version's text, so older texts can be collected.
    this.cache = next;
    return { result: { ok: true, config: assemble(parts) }, parts };
  }
}

function assemble(parts: readonly ConfigPart[]): ParsedConfig {
  const sections: Section[] = [GLOBAL_SECTION];
  const settings: Setting[] = [];
  for (const p of parts) {
    for (const s of p.config.sections) sections.push(s);
    for (const s of p.config.settings) settings.push(s);
  }
  return { sections, settings };
}

/** A copy of a chunk's result for a new offset and first section index. */
export function moveChunk(c: ChunkConfig, offset: number, base: number): ChunkConfig {
  const d = offset - c.offset;
  const ds = base - c.base;
  return {
    sections: c.sections.map((s) => ({ ...s, range: move(s.range, d) })),
    settings: c.settings.map((s) => ({ ...s, nameRange: move(s.nameRange, d), range: move(s.range, d), value: moveValue(s.value, d), section: s.section + ds })),
    base,
    offset,
    endsWithReturn: c.endsWithReturn,
  };
}

function move(r: Range, d: number): Range {
  return [r[0] + d, r[1] + d];
}

function moveValue(v: LuaValue, d: number): LuaValue {
  if (d === 0) return v;
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
