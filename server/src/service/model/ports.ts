// Which ports a service listens on, as core/portmanager.lua reads `<service>_ports`.
import type { LuaValue } from './values';

/**
 * The ports a `<service>_ports` value opens, as portmanager reads it (a single value or a list; entries `tonumber`
 * accepts): `unsure` when computed, an empty list when nothing listens.
 */
export function portList(v: LuaValue): string[] | 'unsure' {
  const one = (x: LuaValue): string | 'unsure' | undefined => {
    if (x.kind === 'number') return x.raw;
    if (x.kind === 'string') return /^\s*\d+\s*$/.test(x.value) ? x.value.trim() : undefined;
    return x.kind === 'expression' || x.kind === 'table' ? 'unsure' : undefined;
  };
  if (v.kind === 'nil' || v.kind === 'boolean') return [];
  if (v.kind !== 'table') {
    const p = one(v);
    return p === 'unsure' ? p : p ? [p] : [];
  }
  if (v.fields.length) return 'unsure';
  const out: string[] = [];
  for (const item of v.items) {
    const p = one(item);
    if (p === 'unsure') return p;
    if (p) out.push(p);
  }
  return out;
}
