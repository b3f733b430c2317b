// Parses a document chunk by chunk (chunks.ts) and keeps each chunk's result for the next version:
// after an edit only the chunks the edit touched go through luaparse again, and only the stretch of
// text between the unchanged ends is scanned for chunk boundaries again. Chunks after the edit keep
// their result, moved to their new offset only when something asks for their settings (per-chunk
// diagnostics never do). Parsing in pieces also keeps luaparse's syntax tree to one section at a time.
//
// When any chunk does not parse on its own, or the pieces could mean something else together (a
// `return` before the end, labels, a chunk whose scope depends on the ones before it), the whole text
// is parsed as before: that parse's error is Lua's.

import { ownCopy } from './chunkMemo';
import { scanSplits, splitChunks, type Chunk } from './chunks';
import { GLOBAL_SECTION, parseChunk, withGlobalKey, parseConfig, type ChunkConfig, type ParseResult, type ParsedConfig, type Section, type Setting } from './parse';

/** One parsed chunk. The same object stands for the chunk in every version where its text is unchanged. */
export interface ChunkEntry {
  /**
   * The chunk's result at the offset and section index it was last asked for. Replaced, not added to,
   * when it moves: one copy per chunk is kept, whatever the number of versions.
   */
  parsed: ChunkConfig;
  /** What ChunkMemos worked out of this chunk, one slot each (chunkMemo.ts). */
  readonly memo: unknown[];
}

export interface ChunkedParse {
  readonly result: ParseResult;
  /** The chunks, when the document parsed in pieces (not after a syntax error). */
  readonly parts?: readonly ConfigPart[];
}

export class ChunkedParser {
  /** The last version that parsed, for finding what an edit left unchanged. */
  private last?: { text: string; parts: readonly ConfigPart[] };

  parse(text: string): ChunkedParse {
    const plan = this.plan(text);
    const parts: ConfigPart[] = [];
    let base = 1;
    let whole = false;
    for (let k = 0; k < plan.length; k++) {
      const { start, end } = plan[k]!;
      let entry = plan[k]!.entry;
      if (!entry) {
        const parsed = parseChunk(ownCopy(text.slice(start, end)), start, base);
        // The whole parse reports the error; the last good version stays the one to compare with.
        if (!parsed) return { result: parseConfig(text) };
        entry = { parsed, memo: [] };
      }
      // Pieces that could mean something else together: a `return` before the end, labels (checked per
      // block), or a chunk whose scope depends on the chunks before it. The chunks are still kept, so the
      // next version re-parses only what changed before the whole parse.
      if ((entry.parsed.endsWithReturn && k < plan.length - 1) || entry.parsed.hasLabel || (k > 0 && entry.parsed.entangled) || (entry.parsed.sharesTables && plan.length > 1)) whole = true;
      parts.push(new ConfigPart(start, end, entry, base));
      base += entry.parsed.sections.length;
    }
    this.last = { text, parts };
    if (whole) return { result: parseConfig(text) };
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
   * The chunks of `text`, each with the entry of the last good version's chunk when its text is the
   * same. Chunks are compared from both ends (a slice compare is a memory compare in V8); only the
   * stretch between the unchanged ends is scanned for boundaries again, from the last unchanged chunk
   * before it (its header may now open a longer chunk) to the first old boundary the scan meets.
   */
  private plan(text: string): Array<Chunk & { entry?: ChunkEntry }> {
    const last = this.last;
    if (!last) return splitChunks(text);
    const old = last.parts;
    const delta = text.length - last.text.length;
    const same = (p: ConfigPart, at: number): boolean => at >= 0 && at + p.end - p.start <= text.length && last.text.slice(p.start, p.end) === text.slice(at, at + p.end - p.start);
    let front = 0;
    while (front < old.length && same(old[front]!, old[front]!.start)) front++;
    if (front === old.length && delta === 0) return old.map((p) => ({ start: p.start, end: p.end, entry: p.entry }));
    const restartIndex = Math.max(front - 1, 0);
    const restart = old[restartIndex]!.start;
    let back = old.length;
    while (back - 1 > restartIndex && old[back - 1]!.start + delta > restart && same(old[back - 1]!, old[back - 1]!.start + delta)) back--;

    const plan: Array<Chunk & { entry?: ChunkEntry }> = old.slice(0, restartIndex).map((p) => ({ start: p.start, end: p.end, entry: p.entry }));
    const resyncAt = new Map<number, number>();
    for (let j = back; j < old.length; j++) resyncAt.set(old[j]!.start + delta, j);
    let start = restart;
    let resync = -1;
    scanSplits(text, restart, (at) => {
      plan.push({ start, end: at });
      start = at;
      resync = resyncAt.get(at) ?? -1;
      return resync >= 0;
    });
    if (resync < 0) plan.push({ start, end: text.length });
    else for (let j = resync; j < old.length; j++) plan.push({ start: old[j]!.start + delta, end: old[j]!.end + delta, entry: old[j]!.entry });
    // Rescanned chunks that came out as before (e.g. the one the scan restarted from) keep their entry.
    const byStart = new Map(old.map((p) => [p.start, p]));
    for (const c of plan) {
      if (c.entry) continue;
      const match = [byStart.get(c.start), byStart.get(c.start - delta)].find((p) => p !== undefined && p.end - p.start === c.end - c.start && same(p, c.start));
      if (match) c.entry = match.entry;
    }
    return plan;
  }
}

/** One chunk of a version: where it is and what it holds. */
export class ConfigPart {
  constructor(
    readonly start: number,
    readonly end: number,
    readonly entry: ChunkEntry,
    /** Index of the first section this chunk's headers open. */
    readonly base: number,
  ) {}

  /** The chunk's sections and settings at this offset (moved on first use). */
  get config(): ChunkConfig {
    const { parsed } = this.entry;
    if (parsed.offset === this.start && parsed.base === this.base) return parsed;
    return (this.entry.parsed = moveChunk(parsed, this.start, this.base));
  }
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
  return withGlobalKey({ sections, settings }, parts[0]!.entry);
}

/**
 * A version's sections and settings as its chunks last placed them: a chunk the edit moved keeps its old
 * offsets, and `shift(section)` is what to add to an offset read from that section's nodes. Readers that
 * report a few ranges (file checks, links, symbols) then move those, not every node of half the file (what
 * assembling `config` does after an edit near the top). Section indexes are always right: when a chunk's
 * first section index changed, there is no such view.
 */
export interface PlacedConfig {
  readonly config: ParsedConfig;
  shift(section: number): number;
}

export function placeParts(parts: readonly ConfigPart[]): PlacedConfig | undefined {
  const sections: Section[] = [GLOBAL_SECTION];
  const settings: Setting[] = [];
  // Per section; a chunk's settings all belong to its own sections (others make it entangled, parsed whole),
  // except the global section's, which are in the first chunk. That chunk can carry an entry from elsewhere
  // (text above the first header deleted: the old second chunk's entry, at its old offset).
  const first = parts[0];
  const deltas: number[] = [first ? first.start - first.entry.parsed.offset : 0];
  for (const p of parts) {
    const c = p.entry.parsed;
    if (c.base !== p.base) return undefined;
    const d = p.start - c.offset;
    for (const s of c.sections) {
      sections.push(s);
      deltas.push(d);
    }
    for (const s of c.settings) settings.push(s);
  }
  return { config: { sections, settings }, shift: (section) => deltas[section] ?? 0 };
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
    sections: d === 0 ? c.sections : c.sections.map((s) => s.moved(d)),
    settings: c.settings.map((s) => s.moved(d, ds)),
    base,
    offset,
    endsWithReturn: c.endsWithReturn,
    hasLabel: c.hasLabel,
    entangled: c.entangled,
    sharesTables: c.sharesTables,
  };
}
