// Renders the settings reference (README section) from the catalog. Pure: same catalog, same text.
import { extractBlock, markers, spliceBlock } from '../markedBlock';
import { configOptions, netServices, sslKeys, tlsProfiles, valueSets } from './index';
import type { CatalogValue, Doc, LuaLiteral, ValueSet } from './types';
import { describeRange, PROSODY_LINES, type ProsodyLine } from './versions';

export const { start: REFERENCE_START, end: REFERENCE_END } = markers('catalog');

/** A Lua literal as it would be written in prosody.cfg.lua (multi-line strings abbreviated). */
export function formatLua(v: LuaLiteral | null | undefined): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'string') return v.includes('\n') ? `"${v.split('\n')[0]}…" (PEM text)` : JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return v.length === 0 ? '{}' : `{ ${v.map((x) => JSON.stringify(x)).join(', ')} }`;
  const entries = Object.entries(v as Record<string, boolean>);
  return entries.length === 0 ? '{}' : `{ ${entries.map(([k, b]) => `${k} = ${b}`).join(', ')} }`;
}

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n+/g, ' ');
}

function code(s: string): string {
  return s === '—' ? s : `\`${s.replace(/`/g, "'")}\``;
}

function link(doc: Doc): string {
  return doc.link ? ` [More](${doc.link})` : '';
}

/** Defaults per line, with runs of equal values merged: "0.9–0.11: `false` · 0.12–13.0: `true`". */
function defaultsLine(defaults: Partial<Record<ProsodyLine, LuaLiteral | null>> | undefined, sep = '<br>'): string {
  if (!defaults) return '—';
  const lines = PROSODY_LINES.filter((l) => l in defaults);
  const runs: { from: ProsodyLine; to: ProsodyLine; text: string }[] = [];
  for (const l of lines) {
    const text = code(formatLua(defaults[l]));
    const last = runs[runs.length - 1];
    if (last && last.text === text && PROSODY_LINES.indexOf(l) === PROSODY_LINES.indexOf(last.to) + 1) last.to = l;
    else runs.push({ from: l, to: l, text });
  }
  if (runs.length === 0) return '—';
  if (runs.length === 1 && runs[0]!.text === '—') return '—';
  if (runs.length === 1 && lines.length === PROSODY_LINES.length) return runs[0]!.text;
  return runs.map((r) => `${r.from === r.to ? r.from : `${r.from}–${r.to}`}: ${r.text}`).join(sep);
}

function versions(range: { since?: string; removed?: string } | undefined, what = 'Prosody'): string {
  if (!range || (!range.since && !range.removed)) return 'all';
  const text = describeRange(range);
  return what === 'Prosody' ? text : text.replace(/Prosody/g, what);
}

function valueNotes(v: CatalogValue): string {
  const notes: string[] = [];
  if (v.prosody && (v.prosody.since || v.prosody.removed)) notes.push(versions(v.prosody));
  if (v.prosodyOnly) notes.push('Prosody form (rewritten before LuaSec)');
  if (v.luasec?.since) notes.push(`LuaSec ${v.luasec.since}+`);
  if (v.luasec?.removed) notes.push(`not accepted by LuaSec ${v.luasec.removed}+`);
  if (v.aliases?.length) notes.push(`alias ${v.aliases.map(code).join(', ')}`);
  if (v.sharesBitsWith?.length) notes.push(`same bits as ${v.sharesBitsWith.map(code).join(', ')}`);
  if (v.noop) notes.push('**no-op** on OpenSSL ≥ 1.1.0');
  if (v.unsafe) notes.push(`**unsafe:** ${v.unsafe}`);
  if (v.deprecated) notes.push(`**deprecated**${v.deprecated.replacement ? ` → ${code(v.deprecated.replacement)}` : ''}`);
  return notes.join('; ');
}

function renderValueSet(set: ValueSet): string[] {
  const out = [`#### \`${set.id}\` (${set.noun}s)`, ''];
  if (set.open) out.push('Open set: other names are accepted too; these are the common ones.', '');
  out.push('| Value | Notes | Meaning |', '|---|---|---|');
  for (const v of set.values) out.push(`| ${code(v.name)} | ${cell(valueNotes(v))} | ${cell(v.doc.summary)} |`);
  out.push('');
  return out;
}

export function renderReference(): string {
  const out: string[] = [];
  out.push('## Settings reference', '');
  out.push('_Generated from the settings catalog (`server/src/service/catalog/`) by `scripts/generate-reference.ts`; do not edit by hand._', '');
  out.push('Defaults are Prosody\'s built-in values per release line, before any `tls_profile` preset; `—` means not set.', '');

  out.push('### Top-level options', '');
  out.push('| Option | Scopes | Type | Default | Versions | Summary |', '|---|---|---|---|---|---|');
  for (const o of configOptions) {
    const scopes = o.scopes.join(', ') + (o.checkSaysGlobalOnly ? ' (check: global)' : '');
    const type = o.kind + (o.perPort ? ', per-port' : '');
    const ver = versions(o.prosody) + (o.deprecated ? `; **deprecated**${o.deprecated.replacement ? ` → ${code(o.deprecated.replacement)}` : ''}` : '');
    out.push(`| ${code(o.name)} | ${scopes} | ${type} | ${cell(defaultsLine(o.defaults))} | ${cell(ver)} | ${cell(o.doc.summary)}${link(o.doc)} |`);
  }
  out.push('');

  out.push('### Network services', '');
  out.push('Each service reads `<prefix>_ports`, `<prefix>_interfaces`, and for TLS-from-the-first-byte services `<prefix>_ssl` and `<service>_certificate` (by the service\'s own name where the table names one).', '');
  out.push('| Prefix | Service | TLS from first byte | Default ports | Versions | Summary |', '|---|---|---|---|---|---|');
  for (const s of netServices) {
    const ver = versions(s.prosody) + (s.deprecated ? `; **deprecated** → ${code(s.deprecated.replacement)}` : '');
    out.push(`| ${code(s.prefix)} | ${s.name ? code(s.name) : '—'} | ${s.encrypted ? 'yes' : 'no'} | ${s.defaultPorts?.join(', ') ?? '—'} | ${cell(ver)} | ${cell(s.doc.summary)}${link(s.doc)} |`);
  }
  out.push('');

  out.push('### Keys of `ssl` tables', '');
  for (const k of sslKeys) {
    out.push(`#### \`${k.name}\``, '', k.doc.summary, '');
    const shapes = k.shapes.map((s) => (k.shapeSince?.[s] ? `${s} (Prosody ${k.shapeSince[s]}+)` : s)).join(', ');
    out.push(`- Shapes: ${shapes}`);
    out.push(`- Merge: ${k.merge}`);
    if (k.values) out.push(`- Values: see \`${k.values}\` below`);
    out.push(`- Versions: ${k.prosody ? versions(k.prosody) : 'every Prosody release'}${k.luasec?.since ? `; LuaSec ${k.luasec.since}+` : ''}`);
    out.push(`- Defaults: ${defaultsLine(k.defaults, ' · ')}`);
    if (k.unsafe) out.push(`- **Unsafe:** ${k.unsafe}`);
    out.push('');
    if (k.doc.details) out.push(k.doc.details, '');
    if (k.doc.link) out.push(`More: <${k.doc.link}>`, '');
  }

  out.push('### Value sets', '');
  for (const set of valueSets) out.push(...renderValueSet(set));

  out.push('### `tls_profile` presets', '');
  for (const p of tlsProfiles) {
    out.push(`#### \`${p.name}\`${p.unsafe ? ' (unsafe)' : ''}`, '', p.doc.summary, '');
    if (p.unsafe) out.push(`**Unsafe:** ${p.unsafe}`, '');
    // Lines whose preset is identical share one bullet.
    const byText = new Map<string, ProsodyLine[]>();
    for (const line of PROSODY_LINES) {
      const sets = p.sets[line];
      if (!sets) continue;
      const entries = Object.entries(sets);
      const text = entries.length === 0 ? 'sets nothing' : entries.map(([key, v]) => `${key} = ${code(formatLua(v))}`).join(' · ');
      byText.set(text, [...(byText.get(text) ?? []), line]);
    }
    for (const [text, lines] of byText) out.push(`- ${lines.join(', ')}: ${text}`);
    out.push('');
    if (p.doc.details) out.push(p.doc.details, '');
  }
  return out.join('\n').replace(/\n+$/, '\n');
}

/** README text with the reference between the markers (appended when they are missing). */
export function spliceReference(readme: string, reference: string): string {
  return spliceBlock(readme, 'catalog', reference);
}

/** The reference text currently between the markers, or undefined. */
export function extractReference(readme: string): string | undefined {
  return extractBlock(readme, 'catalog');
}
