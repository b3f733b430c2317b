// Diagnostics per chunk, kept between versions of one document. Rules judge a VirtualHost or Component
// from its own settings layered over the global ones and, for tables it does not write, its parent
// domain's (mod_tls: conference.example.com reads example.com's), never from another host's; so after an
// edit the rules run only over the global settings plus the chunks that changed (with their parent
// domains' chunks as context), and every other chunk keeps its diagnostics (moved down or up by the lines
// inserted above it). A chunk whose parent-domain chunks changed counts as changed. The few rules that do read
// across hosts in some configs say so (Rule.readsOtherChunks) and then run over the whole config, for every chunk.
// A change to the global chunk, the Prosody line or the rule settings starts over. A file whose chunks depend on
// each other (ChunkConfig.entangled: it is then parsed whole, without parts) is validated whole. A version that does
// not parse gets its syntax error and the last parsed version's findings on the lines left alone (LastParsed).
//
// test/unit/incremental.test.ts holds this to the whole-file result over edit sequences on real configs.

import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic } from 'vscode-languageserver-types';
import { LastParsed, moveDiagnostic } from './carryOver';
import { ChunkMemo } from './model/chunkMemo';
import { sectionsOf, type ChunkEntry, type ConfigPart } from './model/chunkedParse';
import { lineInForce, type ConfigDocument } from './model/document';
import { nameprepped } from './model/hostName';
import { parentDomain } from './model/layering';
import { withGlobalKey, type ParsedConfig } from './model/parse';
import { lastStartingAtOrBefore } from './model/search';
import { hostsAreUnique } from './model/tls';
import { applySuppressions, quietDormantHosts, ruleDiagnostics } from './diagnostics';
import { rules } from './rules';
import type { Rule } from './rules/types';
import type { ServiceSettings } from './settings';

interface PartResult {
  /** Line of the chunk's first character when these diagnostics were made. */
  readonly line: number;
  readonly diagnostics: readonly Diagnostic[];
  /** The chunks holding its hosts' parent domains when they were made. */
  readonly parents: readonly ChunkEntry[];
  /**
   * A diagnostic points into another chunk (a parent domain's finding naming the subdomain that takes its table):
   * moved with this chunk alone, that link would go stale when a chunk between them grows (a reviewer's fuzzer), so
   * such a chunk is judged again after every edit. Few chunks have one.
   */
  readonly reachesOut?: boolean;
}

/** Rules whose findings in one chunk may depend on another host chunk in some configs (Rule.readsOtherChunks). */
const CROSSING = rules.filter((r) => r.readsOtherChunks);

export class IncrementalValidator {
  private context = '';
  private global?: ChunkEntry;
  /** By chunk: the parser keeps one entry object per chunk while its text is unchanged. */
  private results = new Map<ChunkEntry, PartResult>();
  /** The rules that read across chunks in the last version checked (their kept findings came from a whole run). */
  private crossing: ReadonlyMap<Rule, true | 'global'> = new Map();
  /**
   * For the versions that do not parse. Those leave the rest as it was: the parser compares the next version that
   * parses with the last one that did, whose chunks' diagnostics are the ones kept here.
   */
  private readonly shown = new LastParsed();

  validate(doc: TextDocument, model: ConfigDocument, settings: ServiceSettings): Diagnostic[] {
    if (settings.validate === false) return [];
    const context = `${lineInForce(model, settings.prosodyVersion)}\0${JSON.stringify(settings.rules ?? {})}`;
    if (!model.configIsCurrent) return this.broken(doc, model, settings, context);
    const out = this.parsed(doc, model, settings, context);
    this.shown.remember(model.text, context, out);
    return out;
  }

  /** A version with a syntax error: its syntax findings, and the last parsed version's others that still fit. */
  private broken(doc: TextDocument, model: ConfigDocument, settings: ServiceSettings, context: string): Diagnostic[] {
    return [...applySuppressions(doc, model, ruleDiagnostics(doc, model, settings)), ...this.shown.onto(model.text, context)];
  }

  private parsed(doc: TextDocument, model: ConfigDocument, settings: ServiceSettings, context: string): Diagnostic[] {
    const parts = model.parts;
    // A host written in two chunks is one host (model/tls.ts settingLines): its chunks judge each other, so such a
    // file is checked whole (linking every chunk of a name written thousands of times would be quadratic).
    const linked = parts ? parentParts(parts) : undefined;
    if (!parts || !linked) {
      this.context = '';
      this.results = new Map();
      return applySuppressions(doc, model, quietDormantHosts(doc, model, ruleDiagnostics(doc, viewWith(model, model.config!), settings), settings));
    }
    if (context !== this.context || parts[0]!.entry !== this.global) {
      this.context = context;
      this.global = parts[0]!.entry;
      this.results = new Map();
    }
    const { parents, byName } = linked;
    const changed = parts.filter((p) => {
      const kept = this.results.get(p.entry);
      return !kept || kept.reachesOut || !sameEntries(kept.parents, parents.get(p) ?? []);
    });
    // A host's findings may name its subdomains (a parent domain's `ssl` judged for the subdomains that take it): the
    // parent domains of a changed chunk, and of a chunk that is gone, are judged again too (a reviewer's soak test of
    // incremental against fresh runs: findings naming a subdomain that had since written its own table).
    const current = new Set<ChunkEntry>();
    for (const p of parts) current.add(p.entry);
    const gone: ChunkEntry[] = [];
    for (const e of this.results.keys()) if (!current.has(e)) gone.push(e);
    const again = new Set(changed);
    for (const p of changed) for (const q of parents.get(p) ?? []) again.add(q);
    for (const e of gone) for (const n of namesOf(e).parents) { const q = byName.get(n); if (q) again.add(q); }
    const dirty = parts.filter((p) => again.has(p));
    const fresh = dirty.length ? check(doc, model, settings, parts, dirty, parents) : new Map<ConfigPart, Diagnostic[]>();
    // Some rules read across chunks in some configs (a global line judged by the hosts, a `local` in a host above):
    // after a host edit they judge the whole config again, and their findings replace theirs in every chunk. Also
    // the version after they stopped reading across, whose kept findings came from such a run (reviewers).
    let whole: Map<ConfigPart, Diagnostic[]> | undefined;
    let wholeIds: ReadonlySet<string> = new Set();
    // Rules whose global findings alone read the hosts: only those are worked out again, over the whole config.
    let globalFindings: Diagnostic[] | undefined;
    let globalIds: ReadonlySet<string> = new Set();
    // (Also after an edit that only took chunks away: a global line judged by the hosts may have changed its verdict.)
    if (dirty.length || gone.length) {
      const line = lineInForce(model, settings.prosodyVersion);
      const now = new Map<Rule, true | 'global'>();
      for (const r of CROSSING) {
        const v = r.readsOtherChunks!(model, line);
        if (v) now.set(r, v);
      }
      const due = dirty.length < parts.length ? CROSSING.filter((r) => now.has(r) || this.crossing.has(r)) : [];
      // (A rule that read across in the global way last time and not now: its global findings once more.)
      const mode = (r: Rule): true | 'global' | undefined => now.get(r) ?? this.crossing.get(r);
      this.crossing = now;
      // A global chunk that holds hosts (a header after `;` or inside `if`) has those hosts' findings from the same rules,
      // which a run for the global section's alone would drop (a reviewer): there they run wholly.
      const hostsInGlobal = parts[0]!.entry.parsed.sections.length > 0;
      const globally = hostsInGlobal ? [] : due.filter((r) => mode(r) === 'global');
      const wholly = hostsInGlobal ? due : due.filter((r) => mode(r) !== 'global');
      const view = due.length ? viewWith(model, model.config!, true) : undefined;
      if (wholly.length) {
        wholeIds = new Set(wholly.map((r) => r.id));
        whole = new Map(parts.map((p) => [p, []]));
        for (const d of ruleDiagnostics(doc, view!, settings, wholly)) whole.get(partAt(parts, doc.offsetAt(d.range.start)))!.push(d);
      }
      if (globally.length) {
        globalIds = new Set(globally.map((r) => r.id));
        globalFindings = ruleDiagnostics(doc, view!, settings, globally, true).filter((d) => partAt(parts, doc.offsetAt(d.range.start)) === parts[0]);
      }
    }

    const next = new Map<ChunkEntry, PartResult>();
    const out: Diagnostic[] = [];
    // A chunk's first line: the line after the one above it ends (chunks start at line starts), else looked up.
    let lastEnd = 0;
    let nextLine = 0;
    for (const p of parts) {
      const line = p.start === lastEnd ? nextLine : doc.positionAt(p.start).line;
      lastEnd = p.end;
      nextLine = line + lineBreaks.of(p, model.text);
      const made = fresh.get(p);
      let result: PartResult;
      if (made) {
        const last = doc.positionAt(p.end).line;
        const out = made.some((d) => d.relatedInformation?.some((r) => r.location.range.start.line < line || r.location.range.end.line > last));
        result = { line, diagnostics: made, parents: (parents.get(p) ?? []).map((q) => q.entry), ...(out ? { reachesOut: true } : {}) };
      }
      else {
        const kept = this.results.get(p.entry)!;
        result = kept.line === line ? kept : { line, diagnostics: kept.diagnostics.map((d) => moveDiagnostic(d, kept.line, line - kept.line)), parents: kept.parents };
      }
      if (whole) result = { ...result, diagnostics: [...result.diagnostics.filter((d) => !wholeIds.has(String(d.code))), ...whole.get(p)!] };
      if (globalFindings && p === parts[0]) result = { ...result, diagnostics: [...result.diagnostics.filter((d) => !globalIds.has(String(d.code))), ...globalFindings] };
      next.set(p.entry, result);
      for (const d of result.diagnostics) out.push(d);
    }
    // Only this version's chunks are kept.
    this.results = next;
    return applySuppressions(doc, model, quietDormantHosts(doc, model, out, settings));
  }
}

/** Line breaks in a chunk, counted as TextDocument counts lines (`\r\n`, `\r`, `\n`). */
const lineBreaks = new ChunkMemo((text) => {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) n++;
    else if (c === 13) {
      n++;
      if (text.charCodeAt(i + 1) === 10) i++;
    }
  }
  return n;
});

/** Runs the rules over the global settings and the changed chunks; their diagnostics by chunk. */
function check(doc: TextDocument, model: ConfigDocument, settings: ServiceSettings, parts: readonly ConfigPart[], dirty: readonly ConfigPart[], parents: ReadonlyMap<ConfigPart, readonly ConfigPart[]>): Map<ConfigPart, Diagnostic[]> {
  let sub: ParsedConfig;
  if (dirty.length < parts.length) {
    // All sections (settings keep their indexes), but only the settings of the global chunk, the changed ones
    // and their parent domains' (context whose findings are dropped below): the chunks left out are neither
    // parsed again nor moved.
    const global = parts[0]!;
    // A host's subdomains are context too: whether they take its tables is part of its findings.
    const children = new Map<ConfigPart, ConfigPart[]>();
    for (const [child, ps] of parents) for (const q of ps) children.set(q, [...(children.get(q) ?? []), child]);
    const checked = new Set([global, ...dirty, ...dirty.flatMap((p) => [...(parents.get(p) ?? []), ...(children.get(p) ?? [])])]);
    sub = withGlobalKey({ sections: sectionsOf(parts, checked), settings: [...checked].flatMap((p) => p.config.settings) }, global.entry);
  } else sub = model.config!;
  // No host name repeats here (parentParts): each section is its own host, which the rules need not work out again.
  const view = viewWith(model, sub, true);
  const byPart = new Map<ConfigPart, Diagnostic[]>(dirty.map((p) => [p, []]));
  for (const d of ruleDiagnostics(doc, view, settings)) {
    // Findings of the global chunk made alongside changed hosts are the same as those already kept.
    byPart.get(partAt(parts, doc.offsetAt(d.range.start)))?.push(d);
  }
  return byPart;
}

/** The chunk holding an offset. */
function partAt(parts: readonly ConfigPart[], offset: number): ConfigPart {
  return parts[lastStartingAtOrBefore(parts, (p) => p.start, offset)]!;
}

/**
 * The model seen with `config` in place of its own, always as a new config object: what the rules cache per
 * config (the effective settings of every host) then goes with the run instead of living as long as the
 * document. A prototype view, not a spread: the spread would build the lazy outline and config.
 */
function viewWith(model: ConfigDocument, config: ParsedConfig, uniqueHosts = false): ConfigDocument {
  const sub: ParsedConfig = withGlobalKey({ sections: config.sections, settings: config.settings }, config.global);
  if (uniqueHosts) hostsAreUnique(sub);
  return Object.create(model, { config: { value: sub }, parse: { value: { ok: true, config: sub } } }) as ConfigDocument;
}

/**
 * For each chunk, the chunks that hold the parent domains of its hosts (see layering's parentSections), and the chunk
 * of each host name; undefined when a host name is written twice (in two chunks, or twice in one): see validate.
 */
function parentParts(parts: readonly ConfigPart[]): { parents: Map<ConfigPart, ConfigPart[]>; byName: Map<string, ConfigPart> } | undefined {
  const byName = new Map<string, ConfigPart>();
  for (const p of parts) {
    for (const name of namesOf(p.entry).names) {
      const had = byName.get(name);
      if (had !== undefined) return undefined;
      byName.set(name, p);
    }
  }
  const out = new Map<ConfigPart, ConfigPart[]>();
  for (const p of parts) {
    let found: ConfigPart[] | undefined;
    for (const parent of namesOf(p.entry).parents) {
      const q = byName.get(parent);
      if (q === undefined || q === p || found?.includes(q)) continue;
      (found ??= []).push(q);
    }
    if (found) out.set(p, found);
  }
  return { parents: out, byName };
}

// A chunk's host names and their parent domains, once per parsed chunk (typing re-parses one chunk).
const names = new WeakMap<ChunkEntry, { names: readonly string[]; parents: readonly string[] }>();
function namesOf(entry: ChunkEntry): { names: readonly string[]; parents: readonly string[] } {
  let n = names.get(entry);
  if (!n) {
    // As layering finds parent domains: by nameprepped name.
    const own = entry.parsed.sections.flatMap((s) => (s.name === undefined ? [] : [nameprepped(s.name)]));
    const parents = own.flatMap((name) => parentDomain(name) ?? []);
    names.set(entry, (n = { names: own, parents }));
  }
  return n;
}

function sameEntries(kept: readonly ChunkEntry[], now: readonly ConfigPart[]): boolean {
  return kept.length === now.length && now.every((p, i) => p.entry === kept[i]);
}
