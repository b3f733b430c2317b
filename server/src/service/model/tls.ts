// The TLS tables of a parsed config: every `ssl`-type option in every section, with its per-port
// or per-interface sub-tables. Look-alikes (an `ssl` field inside `sql = { … }`, a `local ssl`,
// `tls_policy` patterns) are not settings and never appear here.

import { getOption, getSslKey, type ConfigOption, type TlsContext } from '../catalog';
import { sectionsByName } from './hostName';
import type { ParsedConfig, Setting } from './parse';
import type { LuaValue, TableField, TableValue } from './values';

export interface TlsTable {
  /** The option holding the table: `ssl`, `c2s_ssl`, `https_ssl`, … */
  readonly option: string;
  readonly setting: Setting;
  /** Index into config.sections (0 = global). */
  readonly section: number;
  readonly table: TableValue;
  /** `[5223]` / `["127.0.0.1"]` sub-table key, when this is one. */
  readonly sub?: string | number;
  /** The field holding the sub-table. */
  readonly subField?: TableField;
  /** Connection contexts the table can reach (from the catalog). */
  readonly contexts: readonly TlsContext[];
}

// Every rule walks the TLS tables; list them once per parsed config.
const tablesOf = new WeakMap<ParsedConfig, readonly TlsTable[]>();
const linesIndex = new WeakMap<ParsedConfig, ReadonlyMap<number, ReadonlyMap<string, Setting[]>>>();

export function tlsTables(config: ParsedConfig): readonly TlsTable[] {
  let tables = tablesOf.get(config);
  if (!tables) {
    tables = Object.freeze(listTlsTables(config));
    tablesOf.set(config, tables);
  }
  return tables;
}

function listTlsTables(config: ParsedConfig): TlsTable[] {
  const out: TlsTable[] = [];
  for (const setting of config.settings) {
    const opt = getOption(setting.name);
    if (!opt || opt.kind !== 'ssl-table' || setting.value.kind !== 'table') continue;
    const contexts = opt.contexts ?? [];
    out.push({ option: setting.name, setting, section: setting.section, table: setting.value, contexts });
    if (!perPortIn(opt, setting.section)) continue;
    for (const f of setting.value.fields) {
      if (isSubTable(f)) {
        out.push({ option: setting.name, setting, section: setting.section, table: f.value, sub: f.key, subField: f, contexts });
      }
    }
  }
  return out;
}

/** The ordinary (non-sub-table) fields of a TLS table: the ssl keys written in it. */
export function sslFields(t: TlsTable): TableField[] {
  const perPort = t.sub === undefined && perPortIn(getOption(t.option), t.section);
  return t.table.fields.filter((f) => !(perPort && isSubTable(f)));
}

/**
 * A per-port or per-interface sub-table: a bracketed key (`[5223]`, `["127.0.0.1"]`) holding a table. `options = …`
 * is an ordinary key, and so is `["options"] = …`, which Lua reads the same way.
 */
export function isSubTable(f: TableField): f is TableField & { readonly value: TableValue } {
  return f.bracket && f.value.kind === 'table' && !(typeof f.key === 'string' && getSslKey(f.key) !== undefined);
}

/**
 * Per-port (and per-interface) sub-tables are read from the global `ssl` and `<service>_ssl` only (portmanager's
 * get_port_ssl_ctx); a host's table goes to LuaSec whole, which ignores a `[5223]` key.
 */
export function perPortIn(opt: ConfigOption | undefined, section: number): boolean {
  return opt?.perPort === true && section === 0;
}

/**
 * Every line setting this option in a section, in document order, through an index built once per parsed config:
 * the per-host questions below were scans of every setting, quadratic on configs with thousands of hosts.
 */
export function settingLines(config: ParsedConfig, section: number, name: string): readonly Setting[] {
  let m = linesIndex.get(config);
  const host = hostOf(config);
  if (!m) {
    // Keyed by host, then name: no key string built per question (asked hundreds of thousands of times at 50 000 lines).
    const index = new Map<number, Map<string, Setting[]>>();
    for (const s of config.settings) {
      const h = host(s.section);
      let byName = index.get(h);
      if (!byName) index.set(h, (byName = new Map()));
      const list = byName.get(s.name);
      if (list) list.push(s);
      else byName.set(s.name, [s]);
    }
    linesIndex.set(config, (m = index));
  }
  return m.get(host(section))?.get(name) ?? NO_SETTINGS;
}

const NO_SETTINGS: readonly Setting[] = Object.freeze([]);

// A host written twice (`VirtualHost "a"` … `VirtualHost "A"`) is one host to Prosody: one option table, filled in
// the order of the file, so the last line of a name wins over both sections. Sections map to the first section of
// their host (by nameprepped name, as configmanager keys them); unnamed (computed) ones stand alone.
const hostIndex = new WeakMap<ParsedConfig, (section: number) => number>();

function hostOf(config: ParsedConfig): (section: number) => number {
  let f = hostIndex.get(config);
  if (!f) {
    let map: number[] | undefined;
    for (const group of sectionsByName(config).values()) {
      if (group.length < 2) continue;
      // A Component and a VirtualHost of one name clash in Prosody: only sections of one kind are one host.
      const first = new Map<string, number>();
      for (const i of group) {
        const kind = config.sections[i]!.kind;
        const had = first.get(kind);
        if (had === undefined) first.set(kind, i);
        else (map ??= config.sections.map((_, k) => k))[i] = had;
      }
    }
    // Most configs name each host once: then every section is its own.
    f = map ? (i) => map[i] ?? i : SELF;
    hostIndex.set(config, f);
  }
  return f;
}

const SELF = (i: number): number => i;

/** The caller knows no host name repeats in `config` (incrementalValidation checked the chunks' names). */
export function hostsAreUnique(config: ParsedConfig): void {
  hostIndex.set(config, SELF);
}

/**
 * True when a later line of the same name in the same section overrides `s` whatever the start-up conditions:
 * a line inside an `if` may not run, so it overrides nothing for sure.
 */
export function overriddenLater(config: ParsedConfig, s: Setting): boolean {
  const firm = lastFirm(settingLines(config, s.section, s.name));
  return firm !== undefined && firm !== s && firm.range[0] > s.range[0];
}

// Per list of lines (one host's option): rules ask once per table, and a host written many times has many.
const firmOf = new WeakMap<readonly Setting[], Setting | null>();

/** The last line outside any `if`: the one in force for sure, when nothing conditional comes after it. */
export function lastFirm(lines: readonly Setting[]): Setting | undefined {
  let f = firmOf.get(lines);
  if (f === undefined) firmOf.set(lines, (f = lines.filter((o) => !o.conditional).pop() ?? null));
  return f ?? undefined;
}

/** True when a line outside any `if` sets this option in the section. */
export function setUnconditionally(config: ParsedConfig, section: number, name: string): boolean {
  return settingLines(config, section, name).some((o) => !o.conditional);
}

/**
 * The option is true to Lua for sure in this section: its last line outside any `if` is true, and so is every line
 * after it inside one (a later conditional `false` may win).
 */
export function setTrue(config: ParsedConfig, section: number, name: string): boolean {
  const lines = settingLines(config, section, name);
  const firm = lastFirm(lines);
  if (!firm) return false;
  const truthy = (v: LuaValue): boolean => v.kind !== 'expression' && v.kind !== 'nil' && !(v.kind === 'boolean' && !v.value);
  // Only lines after the firm one can change it: scanned from the end.
  for (let i = lines.length - 1; i >= 0 && lines[i] !== firm; i--) if (lines[i]!.range[0] > firm.range[0] && !truthy(lines[i]!.value)) return false;
  return truthy(firm.value);
}

/** The line of this name in force in a section, unless it is `= nil` (which unsets the option). */
export function inForce(config: ParsedConfig, section: number, name: string): Setting | undefined {
  const last = findSetting(config, section, name);
  return last?.value.kind === 'nil' ? undefined : last;
}

/** The setting with this name in a section (the last one wins, as in Lua). */
export function findSetting(config: ParsedConfig, section: number, name: string): Setting | undefined {
  return settingLines(config, section, name).at(-1);
}
