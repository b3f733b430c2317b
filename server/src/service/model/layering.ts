// Effective TLS settings of a connection context, layered as Prosody does (facts §1.2):
// 0.10+: defaults → tls_profile preset (0.12+) → global ssl → … → host ssl → host c2s_ssl/s2s_ssl,
// where `options`/`verifyext` merge as sets and everything else is replaced.
// 0.9: no merging — the host's ssl (else the global one) is used wholesale over the defaults.

import { configOptions, DEFAULT_TLS_PROFILE, getProfile, getSslKey, optionOnLine, s2sPeerLayer, sslKeyReadOn, sslKeys, type LuaLiteral, type ProsodyLine } from '../catalog';
import { compareVersions, NEWEST_RELEASE } from '../catalog/versions';
import { formatLua } from '../catalog/reference';
import type { ConfigDocument } from './document';
import type { ParsedConfig, Setting } from './parse';
import { nameprepped, sectionsByName } from './hostName';
import { findSetting, settingLines } from './tls';
import { nextSignificant } from './tokenize';
import { renderValue, type LuaValue, type Range, type TableValue } from './values';
import { HIDDEN, isSecretName, shownString } from './secrets';

/**
 * Whose layering: STARTTLS client or server connections, or a context portmanager builds for a port (a direct-TLS
 * service's table, the outgoing HTTPS client), which reads the global `ssl` but never `c2s_ssl`/`s2s_ssl` nor a
 * host's tables (facts §1.2).
 */
export type LayerContext = 'c2s' | 's2s' | 'port';

export interface EffectiveEntry {
  readonly key: string;
  /** Rendered Lua value. */
  readonly value: string;
  /** Where the value comes from: "default", "tls_profile \"intermediate\"", "global ssl", "host c2s_ssl", … */
  readonly from: string;
  /** Source range of the setting that supplied it, when it is written in the config. */
  readonly range?: Range;
  /**
   * For set-like keys (`options`, `verifyext`): the flags and whether each is on. Undefined when the value
   * is computed at runtime, so the flags in force cannot be known.
   */
  readonly flags?: ReadonlyMap<string, boolean>;
}

interface Layer {
  readonly label: string;
  readonly range?: Range;
  readonly literal?: Readonly<Record<string, LuaLiteral | null>>;
  readonly table?: TableValue;
}

/** The profile in force: the global `tls_profile` when written as a literal string, else the default. */
export function profileInForce(config: ParsedConfig | undefined): { name: string; setting?: Setting } {
  // The last assignment wins: Prosody's config loader lets a later one replace an earlier one.
  const s = config ? findSetting(config, 0, 'tls_profile') : undefined;
  if (s && s.value.kind === 'string') return { name: s.value.value, setting: s };
  return { name: DEFAULT_TLS_PROFILE, setting: s };
}

/**
 * The tls_profile a document's own text sets: from its config when the text parses, else from the tolerant
 * outline (the last global `tls_profile = "…"`), so completion and hover never answer from an earlier version.
 */
export function documentProfile(model: ConfigDocument): string {
  if (model.configIsCurrent) return profileInForce(model.globalConfig).name;
  const { assignments, tokens } = model.outline;
  for (let k = assignments.length - 1; k >= 0; k--) {
    const a = assignments[k]!;
    if (a.section !== 0 || a.name !== 'tls_profile') continue;
    const j = nextSignificant(tokens, a.eqIndex);
    const v = j >= 0 ? tokens.at(j) : undefined;
    return v?.kind === 'string' && v.closed ? v.value : DEFAULT_TLS_PROFILE;
  }
  return DEFAULT_TLS_PROFILE;
}

/**
 * `compute()` once per config and key; the values go with the config object. Those of the global section (`section`
 * 0), read from the global settings alone, go with those (ParsedConfig.global): typing in a host layers them once.
 */
function memo<T>(cache: WeakMap<object, Map<string, T>>, config: ParsedConfig, key: string, compute: () => T, section?: number): T {
  const owner = section === 0 && config.global ? config.global : config;
  let perConfig = cache.get(owner);
  if (!perConfig) cache.set(owner, (perConfig = new Map()));
  let value = perConfig.get(key);
  if (value === undefined) perConfig.set(key, (value = compute()));
  return value;
}

// Several rules ask for the same host's layering; compute each (section, context, line) once per config.
const effectiveCache = new WeakMap<object, Map<string, readonly EffectiveEntry[]>>();

export function effectiveSettings(config: ParsedConfig, section: number, context: LayerContext, line: ProsodyLine): readonly EffectiveEntry[] {
  return memo(effectiveCache, config, `${section}\0${context}\0${line}`, () => Object.freeze(computeEffective(config, section, context, line)), section);
}

/** Layering in progress: plain entries, and the flags of set-like keys (merged across layers in 0.10+). */
interface Merged {
  readonly result: Map<string, EffectiveEntry>;
  readonly sets: Map<string, Map<string, SetEntry>>;
}

/** One flag of a set-like key as the layers so far leave it. */
interface SetEntry {
  readonly on: boolean;
  /** The layer that wrote it last, and its key's entry there (none for Prosody's own layers). */
  readonly from: string;
  readonly range?: Range;
  /** Whether the layers beneath that one leave it on: what taking it out of that layer leaves. */
  readonly under: boolean;
  /** A computed part of that layer or of one above may set it either way (`no_tlsv1 = dev`, `options = mine`). */
  readonly unsure?: true;
}

/** A flag in force (on) and where it comes from (effectiveFlagSources). */
export type FlagSource = SetEntry;

function computeEffective(config: ParsedConfig, section: number, context: LayerContext, line: ProsodyLine): readonly EffectiveEntry[] {
  const own = section > 0 ? hostLayers(config, section, context, line) : [];
  // Most hosts write no TLS table of their own: they get exactly what the global layers give.
  if (section > 0 && own.length === 0) return effectiveSettings(config, 0, context, line);
  const base = baseOf(config, context, line, own.length > 0);
  if (own.length === 0) return finish(base);
  const copy: Merged = { result: new Map(base.result), sets: new Map([...base.sets].map(([k, v]) => [k, new Map(v)])) };
  return finish(mergeLayers(copy, own, line));
}

/**
 * The layers under a section, merged once per config. Prosody 0.9 layers nothing: a host's own ssl
 * replaces the global one, over the defaults alone.
 */
function baseOf(config: ParsedConfig, context: LayerContext, line: ProsodyLine, hasOwn: boolean): Merged {
  return line === '0.9' && hasOwn ? merged(config, 'defaults', line, () => [defaultsLayer(config, line)]) : merged(config, context, line, () => baseLayers(config, context, line));
}

interface KeyFlags {
  readonly flags: ReadonlyMap<string, boolean>;
  /** The flags switched on, each with where it comes from. */
  readonly sources: ReadonlyMap<string, FlagSource>;
  /** The flags a layer switched off (`no_tlsv1 = false`), each with that layer and whether the ones beneath had it on. */
  readonly off: ReadonlyMap<string, FlagSource>;
}

const flagsCache = new WeakMap<object, Map<string, KeyFlags | null>>();
const NO_FLAGS: KeyFlags = { flags: new Map(), sources: new Map(), off: new Map() };

/**
 * The flags of one set-like key in force for a context — what effectiveSettings' entry for `key` holds
 * (none written: empty; computed at runtime, or under a computed table: undefined) — layering that key alone. A rule asks this for
 * every host that writes a protocol, and rendering and sorting all of a host's keys for it was a sixth of
 * a first open's allocation.
 */
export function effectiveKeyFlags(config: ParsedConfig, section: number, context: LayerContext, line: ProsodyLine, key: 'options' | 'verifyext'): ReadonlyMap<string, boolean> | undefined {
  return keyFlags(config, section, context, line, key)?.flags;
}

/** The flags a layer switches off in the layering of effectiveKeyFlags, with the layer; undefined where unknown. */
export function effectiveFlagsOff(config: ParsedConfig, section: number, context: LayerContext, line: ProsodyLine, key: 'options' | 'verifyext'): ReadonlyMap<string, FlagSource> | undefined {
  return keyFlags(config, section, context, line, key)?.off;
}

/** effectiveKeyFlags' flags that are on, each with the layer that sets it; undefined where those are unknown. */
export function effectiveFlagSources(config: ParsedConfig, section: number, context: LayerContext, line: ProsodyLine, key: 'options' | 'verifyext'): ReadonlyMap<string, FlagSource> | undefined {
  return keyFlags(config, section, context, line, key)?.sources;
}

function keyFlags(config: ParsedConfig, section: number, context: LayerContext, line: ProsodyLine, key: 'options' | 'verifyext'): KeyFlags | undefined {
  const flags = memo(flagsCache, config, `${section}\0${context}\0${line}\0${key}`, () => {
    // A table in force that is computed (`ssl = hardened`) may hold any flags.
    if (opaqueLayer(config, section, line, context)) return null;
    const own = section > 0 ? hostLayers(config, section, context, line) : [];
    if (section > 0 && own.length === 0) return keyFlags(config, 0, context, line, key) ?? null;
    const base = baseOf(config, context, line, own.length > 0);
    const state: Merged = { result: new Map(), sets: new Map() };
    const entry = base.result.get(key);
    if (entry) state.result.set(key, entry);
    const set = base.sets.get(key);
    if (set) state.sets.set(key, new Map(set));
    if (own.length) mergeLayers(state, own, line, key);
    // As finish() decides, without rendering: the flags switched on, else a value written wholesale (0.9).
    const all = [...(state.sets.get(key) ?? [])];
    const on = all.filter(([, v]) => v.on);
    const offEntries = all.filter(([, v]) => !v.on);
    const off = offEntries.length ? new Map(offEntries) : NO_FLAGS.off;
    if (on.length) return { flags: new Map(on.map(([f]) => [f, true])), sources: new Map(on), off };
    const written = state.result.get(key);
    if (!written) return off === NO_FLAGS.off ? NO_FLAGS : { ...NO_FLAGS, off };
    if (!written.flags) return null;
    // 0.9 takes the list whole: a flag left out of it is off.
    const source: FlagSource = { on: true, from: written.from, range: written.range, under: false };
    return { flags: written.flags, sources: new Map([...written.flags].filter(([, v]) => v).map(([f]) => [f, source])), off };
  }, section);
  return flags ?? undefined;
}

/** The string an effective entry holds (a `protocol` name); undefined for any other value, or one known at run time. */
export function entryString(entry: EffectiveEntry): string | undefined {
  try {
    const v: unknown = JSON.parse(entry.value);
    return typeof v === 'string' ? v : undefined;
  } catch {
    return undefined;
  }
}

/** The strings of an effective entry holding a list of them (a preset's `ciphers`); undefined for anything else. */
export function entryStrings(entry: EffectiveEntry): string[] | undefined {
  const v = entry.value;
  if (!v.startsWith('{') || !v.endsWith('}')) return undefined;
  try {
    const items: unknown = JSON.parse(`[${v.slice(1, -1)}]`);
    return Array.isArray(items) && items.every((x): x is string => typeof x === 'string') ? items : undefined;
  } catch {
    return undefined;
  }
}

const entryCache = new WeakMap<object, Map<string, EffectiveEntry | null>>();

/**
 * effectiveSettings' entry for one replaced key (`protocol`), layering that key alone: asked for every host that
 * writes flags, where rendering all of a host's keys would cost as effectiveKeyFlags says.
 */
export function effectiveEntry(config: ParsedConfig, section: number, context: LayerContext, line: ProsodyLine, key: string): EffectiveEntry | undefined {
  const entry = memo(entryCache, config, `${section}\0${context}\0${line}\0${key}`, () => {
    const own = section > 0 ? hostLayers(config, section, context, line) : [];
    if (section > 0 && own.length === 0) return effectiveEntry(config, 0, context, line, key) ?? null;
    const base = baseOf(config, context, line, own.length > 0).result.get(key);
    if (!own.length) return base ?? null;
    const state: Merged = { result: new Map(base ? [[key, base]] : []), sets: new Map() };
    return mergeLayers(state, own, line, key).result.get(key) ?? null;
  }, section);
  return entry ?? undefined;
}

const baseCache = new WeakMap<object, Map<string, Merged>>();

function merged(config: ParsedConfig, what: string, line: ProsodyLine, layers: () => Layer[]): Merged {
  // The global layers alone: kept with the global settings.
  return memo(baseCache, config, `${what}\0${line}`, () => mergeLayers({ result: new Map(), sets: new Map() }, layers(), line), 0);
}

/** `only`: layer that key alone (effectiveKeyFlags). */
function mergeLayers(state: Merged, layers: readonly Layer[], line: ProsodyLine, only?: string): Merged {
  const { result, sets } = state;
  for (const layer of layers) {
    const entries: Array<[string, LuaLiteral | LuaValue | null, Range | undefined]> = [];
    if (layer.literal) for (const [k, v] of Object.entries(layer.literal)) if (only === undefined || k === only) entries.push([k, v, layer.range]);
    if (layer.table) {
      const first = entries.length;
      for (const f of layer.table.fields) {
        if (typeof f.key !== 'string' || (only !== undefined && f.key !== only)) continue;
        // `key = nil` in a table constructor leaves the key out (and takes out an earlier one of the same table): the
        // layers beneath stay in force, as util/sslconfig merges with pairs() (a reviewer's instrumented 0.12.3 run).
        if (f.value.kind === 'nil') {
          for (let i = entries.length - 1; i >= first; i--) if (entries[i]![0] === f.key) entries.splice(i, 1);
          continue;
        }
        entries.push([f.key, f.value, f.range]);
      }
    }
    for (const [key, value, range] of entries) {
      if (!sslKeyReadOn(key, line)) continue; // not handed to LuaSec on this line (0.9)
      const merge = getSslKey(key)?.merge;
      if ((merge === 'set' && line !== '0.9') && value !== null) {
        const set = sets.get(key) ?? new Map<string, SetEntry>();
        for (const [flag, on] of setEntries(value)) {
          const prev = set.get(flag);
          // (A flag this layer writes twice keeps what the layers beneath it said.)
          const under = prev !== undefined && (prev.from === layer.label && prev.range === range ? prev.under : prev.on);
          set.set(flag, { on, from: layer.label, range, under });
        }
        if (computedSet(value)) for (const [flag, e] of set) set.set(flag, { ...e, unsure: true });
        sets.set(key, set);
        continue;
      }
      if (merge === 'set') sets.delete(key);
      if (value === null) {
        result.delete(key);
        continue;
      }
      result.set(key, { key, value: render(value, key), from: layer.label, range, flags: merge === 'set' ? literalFlags(value) : undefined });
    }
  }
  return state;
}

const keyOrder = new Map(sslKeys.map((k, i) => [k.name, i]));

function finish({ result: merged, sets }: Merged): EffectiveEntry[] {
  const result = new Map(merged);
  for (const [key, set] of sets) {
    const on = [...set.entries()].filter(([, v]) => v.on);
    if (!on.length) continue;
    // Every layer that shaped the set, also one that only switched a flag off (`no_ticket = false`).
    const froms = [...new Set([...set.values()].map((v) => v.from))];
    // A flag name is the user's text: key material pasted as one is not shown (a reviewer).
    result.set(key, { key, value: `{ ${on.map(([f]) => shownString(f)).join(', ')} }`, from: froms.join(' + '), flags: new Map(on.map(([f]) => [f, true])) });
  }
  return [...result.values()].sort((a, b) => (keyOrder.get(a.key) ?? 999) - (keyOrder.get(b.key) ?? 999) || a.key.localeCompare(b.key));
}

function defaultsLayer(config: ParsedConfig, line: ProsodyLine): Layer {
  const defaults: Record<string, LuaLiteral | null> = {};
  for (const k of sslKeys) {
    const d = k.defaults[line];
    if (d !== undefined && d !== null) defaults[k.name] = d;
  }
  // The global options certmanager's core_defaults read (`ssl_compression`, `use_dane`: catalog sslDefaults).
  for (const opt of configOptions) {
    const d = opt.sslDefaults;
    const v = d && optionOnLine(opt.name, line) && sslKeyReadOn(d.key, line) ? findSetting(config, 0, opt.name)?.value : undefined;
    if (!d || v?.kind !== 'boolean' || v.value !== d.value) continue;
    const had = defaults[d.key];
    if (d.set !== undefined) defaults[d.key] = d.set;
    else if (d.drop !== undefined && had) {
      defaults[d.key] = Array.isArray(had) ? had.filter((o) => o !== d.drop) : Object.fromEntries(Object.entries(had as Record<string, boolean>).filter(([o]) => o !== d.drop));
    }
  }
  return { label: 'default', literal: defaults };
}

/** The table a section's last line of this name sets; none when that line is not a table (`= nil`: unset). */
function tableLayer(config: ParsedConfig, section: number, name: string, label: string): Layer[] {
  const s = findSetting(config, section, name);
  return s && s.value.kind === 'table' ? [{ label, table: s.value, range: s.range }] : [];
}

/** The layers under every section: defaults, the profile's preset (0.12+), the global tables. */
function baseLayers(config: ParsedConfig, context: LayerContext, line: ProsodyLine): Layer[] {
  const layers: Layer[] = [defaultsLayer(config, line)];
  if (line === '0.9') return [...layers, ...tableLayer(config, 0, 'ssl', 'global ssl')];
  const since012 = compareVersions(NEWEST_RELEASE[line], '0.12.0') >= 0;
  if (since012) {
    const { name } = profileInForce(config);
    const preset = getProfile(name)?.sets[line];
    if (preset) layers.push({ label: `tls_profile "${name}"`, literal: preset });
  }
  layers.push(...tableLayer(config, 0, 'ssl', 'global ssl'));
  if (context === 's2s' && since012) {
    const internal = s2sPeerLayer[line];
    if (internal) layers.push({ label: 'Prosody (s2s peer verification)', literal: internal });
  }
  if (context !== 'port') layers.push(...tableLayer(config, 0, `${context}_ssl`, `global ${context}_ssl`));
  return layers;
}

/**
 * A host's own layers over the base: its ssl, then its c2s_ssl/s2s_ssl (0.9: its ssl alone). mod_tls takes
 * each table the host does not write from its parent domain (`conference.example.com` → `example.com`).
 */
function hostLayers(config: ParsedConfig, section: number, context: LayerContext, line: ProsodyLine): Layer[] {
  if (context === 'port') return []; // a port's context reads no host table
  const label = config.sections[section]?.kind === 'component' ? 'component' : 'host';
  const layer = (name: string): Layer[] =>
    ownOrParent(config, section, (sec) => {
      const found = tableLayer(config, sec, name, sec === section ? `${label} ${name}` : `${config.sections[sec]!.name} ${name} (parent domain)`);
      return found.length ? found : undefined;
    }) ?? [];
  return line === '0.9' ? layer('ssl') : [...layer('ssl'), ...layer(`${context}_ssl`)];
}

/**
 * A layer in force for these connections is set to something other than a table literal (a variable, a call):
 * what it holds is only known when Prosody runs, so nothing can be concluded from the others. A host's own table
 * hides its parent domain's (mod_tls: `rawgetopt(host, "ssl") or parent_ssl`); the global layers always apply.
 */
export function opaqueLayer(config: ParsedConfig, section: number, line: ProsodyLine, service: LayerContext = 'c2s'): boolean {
  const set = (sec: number, n: string): LuaValue | { readonly kind: 'uncertain' } | undefined => {
    const lines = settingLines(config, sec, n);
    const last = lines.at(-1);
    // A later line inside `if` may or may not replace the one before it: what is in force is only known at run time.
    if (last?.conditional && lines.some((o) => !o.conditional)) return { kind: 'uncertain' };
    const v = last?.value;
    return v && v.kind !== 'nil' ? v : undefined;
  };
  const names = line === '0.9' || service === 'port' ? ['ssl'] : [`${service}_ssl`, 'ssl'];
  return names.some((n) => {
    const own = section === 0 || service === 'port' ? undefined : ownOrParent(config, section, (sec) => set(sec, n));
    if (own !== undefined && own.kind !== 'table') return true;
    // 0.9 uses a host's own ssl wholesale: the global one does not reach it.
    if (line === '0.9' && own !== undefined) return false;
    const global = set(0, n);
    return global !== undefined && global.kind !== 'table';
  });
}

/**
 * The first answer `read` gives for a host's own section, else for its parent domain's sections: how mod_tls finds
 * a table (`rawgetopt(host, name) or` the parent's) for every context.
 */
export function ownOrParent<T>(config: ParsedConfig, section: number, read: (sec: number) => T | undefined): T | undefined {
  const own = read(section);
  if (own !== undefined) return own;
  // The parent written last first.
  const parents = parentSections(config, section);
  for (let i = parents.length - 1; i >= 0; i--) {
    const found = read(parents[i]!);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * Whether Prosody surely never activates this host or component, so it reads none of its tables: its own last
 * `enabled` (else the global one) is a literal `false` outside any `if`, it is the only section of its name, and
 * no subdomain section could take its tables as its parent's.
 */
export function surelyDormant(config: ParsedConfig, section: number): boolean {
  const sec = config.sections[section];
  if (section === 0 || sec?.name === undefined || childSections(config, section).length) return false;
  if ((sectionsByName(config).get(nameprepped(sec.name))?.length ?? 0) > 1) return false;
  const last = settingLines(config, section, 'enabled').at(-1) ?? settingLines(config, 0, 'enabled').at(-1);
  return last !== undefined && !last.conditional && last.value.kind === 'boolean' && !last.value.value;
}

/**
 * The sections whose `option` lines can be in force for this one: the global section, every section of its name,
 * and its parent domain's unless one of those writes the option outside an `if` (mod_tls reads the parent's only
 * for a host without its own).
 */
export function sectionsLayering(config: ParsedConfig, section: number, option: string): ReadonlySet<number> {
  const name = section > 0 ? config.sections[section]?.name : undefined;
  const own = new Set([section, ...(name === undefined ? [] : (sectionsByName(config).get(nameprepped(name)) ?? []))]);
  const written = config.settings.some((o) => o.name === option && !o.conditional && own.has(o.section));
  return new Set([0, ...own, ...(section > 0 && !written ? parentSections(config, section) : [])]);
}

/** The sections that read this one's tables as their parent domain's (see parentSections). */
export function childSections(config: ParsedConfig, section: number): readonly number[] {
  let ix = childIndex.get(config);
  if (!ix) {
    const children = new Map<number, number[]>();
    for (let i = 1; i < config.sections.length; i++) {
      for (const p of parentSections(config, i)) {
        const list = children.get(p);
        if (list) list.push(i);
        else children.set(p, [i]);
      }
    }
    childIndex.set(config, (ix = children));
  }
  return ix.get(section) ?? [];
}

/**
 * The sections of a host's parent domain (mod_tls: `host:match("%.(.*)$")`), in file order: those whose tables
 * Prosody reads when the host writes none. Empty for the global section and top-level names.
 */
export function parentSections(config: ParsedConfig, section: number): readonly number[] {
  const name = section > 0 ? config.sections[section]?.name : undefined;
  const parent = name === undefined ? undefined : parentDomain(nameprepped(name));
  return parent === undefined ? [] : (sectionsByName(config).get(parent) ?? []);
}

/** The parent domain mod_tls reads tables from: the name after its first dot; none without a dot. */
export function parentDomain(name: string | undefined): string | undefined {
  const dot = name?.indexOf('.') ?? -1;
  return dot < 0 ? undefined : name!.slice(dot + 1);
}

// Per parsed config, built on first use: the sections whose parent domain each section is.
const childIndex = new WeakMap<ParsedConfig, ReadonlyMap<number, readonly number[]>>();

/**
 * A set-like value with a part known only at run time that may switch a flag either way: computed as a whole, or a
 * `name = <expression>` entry. (A computed list item can only add a name.)
 */
export function computedSet(v: LuaLiteral | LuaValue): boolean {
  if (typeof v !== 'object' || v === null || !('kind' in v)) return false;
  const lv = v as LuaValue;
  return lv.kind === 'expression' || (lv.kind === 'table' && lv.fields.some((f) => typeof f.key === 'string' && f.value.kind === 'expression'));
}

/** The flags of a set-like value written wholesale (0.9 replaces instead of merging); undefined if any part is computed. */
function literalFlags(v: LuaLiteral | LuaValue): ReadonlyMap<string, boolean> | undefined {
  if (typeof v === 'object' && v !== null && 'kind' in v) {
    const lv = v as LuaValue;
    if (lv.kind === 'expression') return undefined;
    if (lv.kind === 'table' && lv.items.some((x) => x.kind === 'expression')) return undefined;
    // 0.9 hands the table to LuaSec as written, which unpacks its list part: map entries set nothing.
    if (lv.kind === 'table') return new Map(lv.items.flatMap((i): Array<[string, boolean]> => (i.kind === 'string' ? [[i.value, true]] : [])));
  }
  return new Map(setEntries(v));
}

/** The flags of a set-merged value (`options`, `verifyext`) in any written form, as name → on. */
export function setEntries(v: LuaLiteral | LuaValue): Array<[string, boolean]> {
  if (typeof v === 'string') return [[v, true]];
  if (Array.isArray(v)) return (v as string[]).map((x) => [x, true]);
  if (typeof v === 'object' && v !== null && !('kind' in v)) return Object.entries(v as Record<string, boolean>);
  const lv = v as LuaValue;
  if (lv.kind === 'string') return [[lv.value, true]];
  if (lv.kind === 'table') {
    const out: Array<[string, boolean]> = [];
    for (const i of lv.items) if (i.kind === 'string') out.push([i.value, true]);
    // util/sslconfig.lua (0.10+) sets a map key only to a boolean; any other value is taken as a list item, so
    // `no_tlsv1_2 = "yes"` switches on a flag named "yes" (LuaSec: "invalid option (yes)"), not no_tlsv1_2.
    // A computed value (`no_tlsv1 = harden`) is most likely the boolean it reads as: counted on, as before (a
    // reviewer's 0.12.3 run: a false "allows TLS 1.0" when it counted as nothing); computedSet marks it unsure.
    for (const f of lv.fields) {
      if (typeof f.key !== 'string') continue;
      if (f.value.kind === 'boolean') out.push([f.key, f.value.value]);
      else if (f.value.kind === 'string') out.push([f.value.value, true]);
      else if (f.value.kind === 'expression') out.push([f.key, true]);
    }
    return out;
  }
  return [];
}

function render(v: LuaLiteral | LuaValue, key: string): string {
  if (typeof v === 'object' && v !== null && 'kind' in v) return renderValue(v as LuaValue, undefined, key);
  return isSecretName(key) && v !== null ? HIDDEN : formatLua(v as LuaLiteral);
}
