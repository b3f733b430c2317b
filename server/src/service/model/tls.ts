// The TLS tables of a parsed config: every `ssl`-type option in every section, with its per-port
// or per-interface sub-tables. Look-alikes (an `ssl` field inside `sql = { … }`, a `local ssl`,
// `tls_policy` patterns) are not settings and never appear here.

import { getOption, type TlsContext } from '../catalog';
import type { ParsedConfig, Setting } from './parse';
import type { TableField, TableValue } from './values';

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
const lastSetting = new WeakMap<ParsedConfig, ReadonlyMap<string, Setting>>();

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
    if (!opt.perPort) continue;
    for (const f of setting.value.fields) {
      // Only bracketed keys name ports or interfaces; `options = { … }` etc. are ordinary keys.
      if (f.bracket && f.value.kind === 'table') {
        out.push({ option: setting.name, setting, section: setting.section, table: f.value, sub: f.key, subField: f, contexts });
      }
    }
  }
  return out;
}

/** The ordinary (non-sub-table) fields of a TLS table: the ssl keys written in it. */
export function sslFields(t: TlsTable): TableField[] {
  return t.table.fields.filter((f) => !(f.bracket && f.value.kind === 'table' && t.sub === undefined && getOption(t.option)?.perPort));
}

/**
 * True when a later line of the same name in the same section overrides `s` whatever the start-up conditions:
 * a line inside an `if` may not run, so it overrides nothing for sure.
 */
export function overriddenLater(config: ParsedConfig, s: Setting): boolean {
  return config.settings.some((o) => o !== s && o.section === s.section && o.name === s.name && !o.conditional && o.range[0] > s.range[0]);
}

/** True when a line outside any `if` sets this option in the section. */
export function setUnconditionally(config: ParsedConfig, section: number, name: string): boolean {
  return config.settings.some((o) => o.section === section && o.name === name && !o.conditional);
}

/** The setting with this name in a section (the last one wins, as in Lua). */
export function findSetting(config: ParsedConfig, section: number, name: string): Setting | undefined {
  let m = lastSetting.get(config);
  if (!m) {
    const index = new Map<string, Setting>();
    for (const s of config.settings) index.set(`${s.section}\0${s.name}`, s);
    lastSetting.set(config, (m = index));
  }
  return m.get(`${section}\0${name}`);
}
