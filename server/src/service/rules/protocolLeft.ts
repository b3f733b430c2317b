// no-protocol-left: option flags in force that switch off every TLS version the protocol in force allows. LuaSec
// builds the context and Prosody starts, but OpenSSL has no version to offer or accept, so every handshake fails
// ("no protocols available"; run with LuaSec 1.2.0 on OpenSSL 3.0.22: `tlsv1_2` with `no_tlsv1_2` or `no_dtlsv1_2`,
// `tlsv1_3` with `no_tlsv1_3`, `any` with every `no_tlsv1…` flag). Judged where the layers (layering.ts) make the
// protocol and every flag known; a computed layer or flag says nothing.

import { findValue, getOption, getSslKey, lineInRange, type ProsodyLine } from '../catalog';
import { computedSet, effectiveEntry, effectiveFlagSources, entryString, profileInForce, setEntries, type EffectiveEntry, type FlagSource, type LayerContext } from '../model/layering';
import type { ParsedConfig } from '../model/parse';
import type { TlsTable } from '../model/tls';
import type { Range, TableField } from '../model/values';
import { andList, appliedTables, currentConfig, fieldAt, flagDisables, flagsFor, impliedOff, layerContextsOf, liveField, nameRefs, portParents, portTablesWrite, protocolAccepted, readTables, removeEntriesFix, replaceFix, sectionTitle, SSL_VERSIONS, versionLabel, type NameRef } from './helpers';
import type { Finding, Fix, Related, RuleContext } from './types';

const VERSIONS = SSL_VERSIONS.map((v) => v.version);
/** The versions a fix may give back; never the deprecated ones. */
const KEEP: ReadonlySet<string> = new Set(['tlsv1_2', 'tlsv1_3']);
const PINNED: ReadonlySet<string> = new Set(VERSIONS.filter((v) => v.startsWith('tlsv')));

/**
 * Lines whose servers surely run OpenSSL 1.1.1 or later, under LuaSec 0.8 or later (from 0.11 on everywhere, as
 * protocolAccepted holds): 13.0's util.crypto calls EVP_DigestSign and EVP_PKEY_ED25519 (util-src/crypto.c), which
 * came with OpenSSL 1.1.1. There OpenSSL has no SSL 2.0, and LuaSec pins `tlsv1` … `tlsv1_2` as TLS_method with the
 * lowest and highest version set to it (src/context.c, 0.8+), which that version's `no_` flag leaves empty. Older
 * LuaSec, or LuaSec on OpenSSL 1.0.x, takes a fixed-version method (TLSv1_2_method) that ignores the `no_` flags: on
 * OpenSSL 3.0.22 TLSv1_2_method with SSL_OP_NO_TLSv1_2 still negotiated TLS 1.2 (a Python check). `tlsv1_3` exists
 * only as such a pin, on every line.
 */
export const MODERN_STACK: ReadonlySet<ProsodyLine> = new Set(['13.0']);

/**
 * A pinned `tlsv1` … `tlsv1_2` before 13.0, whose own flag leaves nothing only on LuaSec 0.8+ with OpenSSL 1.1.0+
 * (Debian 12's 0.12.3 with LuaSec 1.2.0 on OpenSSL 3 fails every handshake): said with that condition, since
 * elsewhere the flag does nothing and the table is wrong either way. Not on 0.9, whose servers mostly ran older
 * LuaSec and which has no `tlsv1_2+` to offer instead.
 */
const hedged = (protocol: string, line: ProsodyLine): boolean => PINNED.has(protocol) && protocol !== 'tlsv1_3' && !MODERN_STACK.has(line);

/** The versions a protocol lets OpenSSL use before `options`, where that is sure on the line; else undefined. */
export function allowedBy(protocol: string, line: ProsodyLine): string[] | undefined {
  if (!protocolAccepted(line, protocol)) return undefined; // invalid-protocol's
  if (PINNED.has(protocol)) return hedged(protocol, line) && line === '0.9' ? undefined : [protocol];
  if (protocol !== 'sslv23' && protocol !== 'any' && !protocol.endsWith('+')) return undefined;
  // `sslv23`/`any` and Prosody's `+` forms (sslv23 plus `no_` flags for the older versions): every version OpenSSL has.
  const off = impliedOff(protocol);
  return VERSIONS.filter((v) => !off.has(v) && !(v === 'sslv2' && MODERN_STACK.has(line)));
}

/** A flag in force that switches off versions the protocol allows, and where it is written (unknown: a default). */
interface Culprit {
  readonly name: string;
  readonly off: readonly string[];
  readonly source?: FlagSource;
  readonly at?: { readonly t: TlsTable; readonly f: TableField; readonly refs: readonly NameRef[] };
}

/** One connection kind's layering, where it leaves no version. */
interface Verdict {
  readonly context: LayerContext;
  readonly protocol: string;
  readonly allowed: readonly string[];
  readonly protocolAt?: { readonly t: TlsTable; readonly f: TableField };
  readonly protocolFrom: string;
  readonly culprits: readonly Culprit[];
  /** Every flag switched on. */
  readonly flags: readonly string[];
}

/** The entries of an `options` field that switch this flag on. */
function refsOf(f: TableField, name: string): NameRef[] {
  return nameRefs(f.value).filter((r) => r.flag === name && r.on);
}

// Per config and line: the versions some flag written in the tables read switches off (shared bits included).
const offable = new WeakMap<readonly TlsTable[], ReadonlySet<string>>();

/** Whether the flags written anywhere could switch off every version in `allowed` (no default or preset has any). */
function mayLeaveNone(config: ParsedConfig, line: ProsodyLine, allowed: readonly string[]): boolean {
  const list = readTables(config, line);
  let off = offable.get(list);
  if (!off) {
    const found = new Set<string>();
    for (const t of list) {
      const f = liveField(t, 'options');
      // A computed `options` may hold anything.
      if (f && f.value.kind !== 'table' && f.value.kind !== 'string') VERSIONS.forEach((v) => found.add(v));
      // As util/sslconfig reads them (setEntries): `x = "no_tlsv1_2"` is that flag too (a reviewer).
      else if (f) for (const [name, on] of setEntries(f.value)) if (on) for (const v of VERSIONS) if (flagDisables(name, v)) found.add(v);
    }
    offable.set(list, (off = found));
  }
  return allowed.every((v) => off.has(v));
}

/**
 * Whether some protocol that can be in force anywhere (one written in a table read, or the one the global layers
 * give each kind of connection) allows only versions a written flag switches off: else no table needs layering.
 */
function someProtocolMayLeaveNone(config: ParsedConfig, line: ProsodyLine): boolean {
  const written = readTables(config, line).flatMap((t) => liveField(t, 'protocol') ?? []);
  if (written.some((f) => f.value.kind !== 'string')) return true; // computed: any
  const names = written.map((f) => (f.value.kind === 'string' ? f.value.value : ''));
  // Prosody's own default too: on 0.9 a host's table replaces the global one, so a host writing none gets it.
  const byDefault = getSslKey('protocol')?.defaults[line];
  if (typeof byDefault === 'string') names.push(byDefault);
  for (const c of ['c2s', 's2s', 'port'] as const) {
    const entry = effectiveEntry(config, 0, c, line, 'protocol');
    const p = protocolOf(config, line, entry);
    if (entry && !p) return true;
    if (p) names.push(p.name);
  }
  return names.some((name) => {
    const allowed = allowedBy(name, line);
    return allowed !== undefined && mayLeaveNone(config, line, allowed);
  });
}

/** Culprits in version order (`no_tlsv1_2` before `no_tlsv1_3`), whichever layer set them first. */
function lowestFirst(culprits: Culprit[]): Culprit[] {
  return culprits.sort((a, b) => VERSIONS.indexOf(a.off[0]!) - VERSIONS.indexOf(b.off[0]!));
}

/** What is left of `allowed` with these flags on. */
const left = (allowed: readonly string[], flags: Iterable<string>): string[] => {
  const on = [...flags];
  return allowed.filter((v) => !on.some((f) => flagDisables(f, v)));
};

/**
 * The verdict for a STARTTLS connection kind of the table's section: the protocol and the flags in force, each with
 * where it is written. Undefined where a version is left, or something is unknown.
 */
function startTlsVerdict(config: ParsedConfig, section: number, context: LayerContext, line: ProsodyLine): Verdict | undefined {
  const entry = effectiveEntry(config, section, context, line, 'protocol');
  const protocol = protocolOf(config, line, entry);
  if (!protocol) return undefined;
  const allowed = allowedBy(protocol.name, line);
  // Layering every host's flags is the costly part: only where the flags written anywhere could leave nothing.
  if (!allowed || !mayLeaveNone(config, line, allowed)) return undefined;
  const sources = effectiveFlagSources(config, section, context, line, 'options');
  // (no_ssl_mask switches every version off by itself: unsafe-option says so where it is written.)
  if (!sources || sources.has('no_ssl_mask') || left(allowed, sources.keys()).length) return undefined;
  const culprits = [...sources]
    .filter(([name]) => allowed.some((v) => flagDisables(name, v)))
    .map(([name, source]): Culprit => {
      const at = fieldAt(config, line, 'options', source.range);
      return { name, off: allowed.filter((v) => flagDisables(name, v)), source, ...(at ? { at: { ...at, refs: refsOf(at.f, name) } } : {}) };
    });
  // A flag a computed part may switch off again (`no_tlsv1_2 = dev`, or `options = mine` above it).
  if (culprits.some((c) => c.source?.unsure)) return undefined;
  return { context, protocol: protocol.name, allowed, protocolAt: protocol.at, protocolFrom: entry!.from, culprits: lowestFirst(culprits), flags: [...sources.keys()] };
}

/** The protocol an effective entry holds, and the field that writes it; undefined when it is not a known string. */
function protocolOf(config: ParsedConfig, line: ProsodyLine, entry: EffectiveEntry | undefined): { name: string; at?: { t: TlsTable; f: TableField } } | undefined {
  if (!entry) return undefined;
  if (entry.range) {
    const at = fieldAt(config, line, 'protocol', entry.range);
    return at && at.f.value.kind === 'string' ? { name: at.f.value.value, at } : undefined;
  }
  // Prosody's default or the preset's: a computed `tls_profile` may name any preset (layering assumes the default).
  const profile = profileInForce(config).setting;
  if (profile && profile.value.kind !== 'string') return undefined;
  const name = entryString(entry);
  return name === undefined ? undefined : { name };
}

/**
 * The verdict for a port's context (a direct-TLS service's table, a `[port]` table, outgoing HTTPS): the global
 * layers, the tables portmanager puts between, then this table (flagsFor).
 */
function portVerdict(config: ParsedConfig, t: TlsTable, line: ProsodyLine): Verdict | undefined {
  // 0.9's portmanager takes one table whole; a `[port]` table of the global `ssl` sits between the service's table and
  // the global one on its port only (facts §1.2): which flags reach which port is left unsaid.
  if (line === '0.9' || readTables(config, line).some((o) => o.section === 0 && o.option === 'ssl' && o.sub !== undefined)) return undefined;
  const parents = portParents(config, t, line);
  if (!parents) return undefined;
  const tables = [...parents, t];
  const own = [...tables].reverse().find((x) => liveField(x, 'protocol'));
  const entry = own ? undefined : effectiveEntry(config, t.section, 'port', line, 'protocol');
  const ownField = own && liveField(own, 'protocol');
  const protocol = ownField ? (ownField.value.kind === 'string' ? { name: ownField.value.value, at: { t: own, f: ownField } } : undefined) : protocolOf(config, line, entry);
  if (!protocol) return undefined;
  const allowed = allowedBy(protocol.name, line);
  if (!allowed || !mayLeaveNone(config, line, allowed)) return undefined;
  const base = effectiveFlagSources(config, t.section, 'port', line, 'options');
  const flags = flagsFor(config, t, line, 'port');
  if (!base || !flags || flags.has('no_ssl_mask')) return undefined;
  if (tables.some((x) => { const o = liveField(x, 'options'); return o !== undefined && computedSet(o.value); })) return undefined;
  const on = [...flags].filter(([, v]) => v).map(([k]) => k);
  if (left(allowed, on).length) return undefined;
  const culprits = on.filter((name) => allowed.some((v) => flagDisables(name, v))).map((name): Culprit => {
    // Written in the nearest table that switches it on, else in the global layers.
    const writer = [...tables].reverse().find((x) => { const o = liveField(x, 'options'); return o !== undefined && refsOf(o, name).length > 0; });
    const f = writer && liveField(writer, 'options');
    const source = base.get(name);
    const at = f ? { t: writer, f } : fieldAt(config, line, 'options', source?.range);
    return { name, off: allowed.filter((v) => flagDisables(name, v)), ...(writer ? {} : { source }), ...(at ? { at: { ...at, refs: refsOf(at.f, name) } } : {}) };
  });
  if (culprits.some((c) => c.source?.unsure)) return undefined;
  return { context: 'port', protocol: protocol.name, allowed, protocolAt: protocol.at, protocolFrom: entry?.from ?? '', culprits: lowestFirst(culprits), flags: on };
}

/** Precedence among a STARTTLS layering's tables: a host's over the global ones, `c2s_ssl`/`s2s_ssl` over `ssl`. */
const rank = (x: TlsTable, c: LayerContext): number => (x.section > 0 ? 2 : 0) + (x.option === `${c}_ssl` ? 1 : 0);
const same = (a: TlsTable | undefined, b: TlsTable): boolean => a !== undefined && a.setting === b.setting && a.sub === b.sub;
const versions = (vs: readonly string[]): string => andList(vs.map(versionLabel));
const code = (name: string): string => `\`${name}\``;

function tableName(config: ParsedConfig, x: TlsTable): string {
  const name = code(x.sub !== undefined ? `${x.option}[${JSON.stringify(x.sub)}]` : x.option);
  return x.section > 0 ? `${sectionTitle(config.sections[x.section]!)}'s ${name}` : `the global ${name}`;
}

const PORTS = ' the direct-TLS and HTTPS ports';
const KINDS: Readonly<Record<string, string>> = {
  c2s: ' on client connections',
  s2s: ' on server-to-server connections',
  'c2s,s2s': ' on client and server-to-server connections',
  'c2s,port': ` on client connections and on${PORTS}`,
  's2s,port': ` on server-to-server connections and on${PORTS}`,
  'c2s,s2s,port': ` on client and server-to-server connections and on${PORTS}`,
};

interface Said {
  readonly range: Range;
  readonly related: readonly Related[];
  readonly fixes: readonly Fix[];
  readonly message: (where: string) => string;
}

/** The finding for a verdict, said on table `t` (the most specific that writes a part of it); undefined if none does. */
function say(config: ParsedConfig, t: TlsTable, v: Verdict, line: ProsodyLine, text: string): Said | undefined {
  const protocolHere = same(v.protocolAt?.t, t);
  const mine = v.culprits.flatMap((c) => (same(c.at?.t, t) ? c.at!.refs : []));
  const range = protocolHere ? v.protocolAt!.f.value.range : mine[0]?.range;
  if (!range) return undefined;
  const elsewhere = (x: TlsTable | undefined): string => (x === undefined ? '' : same(x, t) ? '' : ` (in ${tableName(config, x)})`);
  const preset = v.protocolFrom.startsWith('tls_profile ') ? (profileInForce(config).setting ? ` (from \`${v.protocolFrom.replace(' ', ' = ')}\`)` : ` (from the default \`${v.protocolFrom.replace(' ', ' = ')}\`)`) : " (Prosody's default)";
  const proto = `\`protocol = "${v.protocol}"\`${v.protocolAt ? elsewhere(v.protocolAt.t) : preset}`;
  const flags = andList(v.culprits.map((c) => {
    const bits = c.name !== `no_${c.off[0]}` || c.off.length > 1 ? ` (the bit${c.off.length > 1 ? 's' : ''} of ${andList(c.off.map((o) => code(`no_${o}`)))})` : '';
    return `${code(c.name)}${bits}${c.at ? elsewhere(c.at.t) : " (Prosody's default options)"}`;
  }));
  const verb = v.culprits.length > 1 ? 'switch' : 'switches';
  const head = v.allowed.length === 1 ? `${flags} ${verb} off ${versions(v.allowed)}, the one version ${proto} allows` : `${flags} ${verb} off every version ${proto} allows (${versions(v.allowed)})`;
  // Where LuaSec or OpenSSL has no TLS 1.3, LuaSec's option list lacks `no_tlsv1_3` (and `tlsv1_3` is no protocol).
  const refused = MODERN_STACK.has(line) ? undefined : v.protocol === 'tlsv1_3' ? '`"tlsv1_3"` ("invalid protocol")' : v.culprits.some((c) => c.name === 'no_tlsv1_3') ? '`no_tlsv1_3` ("invalid option")' : undefined;
  const old = refused ? ` (Where LuaSec or OpenSSL predates TLS 1.3 — LuaSec before 0.8, OpenSSL before 1.1.1 — LuaSec refuses ${refused} instead, and no TLS context is created at all.)` : '';
  const condition = hedged(v.protocol, line) ? 'With LuaSec 0.8 or later on OpenSSL 1.1.0 or later (what current systems run), ' : '';
  const otherwise = condition ? ' (Older LuaSec or OpenSSL pin the version with a method that ignores the flag, which then does nothing.)' : '';
  const keepAllowed = v.allowed.filter((a) => KEEP.has(a));
  let instead: string;
  const fixes: Fix[] = [];
  if (keepAllowed.length) {
    const keep = v.culprits.filter((c) => c.off.some((o) => KEEP.has(o)));
    // A flag that also switches an old version off (`no_dtls_mask`) is replaced by that version's own flag.
    const others = (c: Culprit): string[] => c.off.filter((o) => !KEEP.has(o));
    // Taken out of the top layer, a flag a layer beneath also sets stays on (util.sslconfig merges them): a reviewer.
    const named = (c: Culprit): string => code(c.name) + (c.at ? elsewhere(c.at.t) : '') + (c.source?.under ? ' (a table beneath sets it too: take it out there as well)' : '');
    const gone = keep.filter((c) => !others(c).length);
    const asks = [...(gone.length ? [`remove ${andList(gone.map(named))}`] : []), ...keep.filter((c) => others(c).length).map((c) => `write ${andList(others(c).map((o) => code(`no_${o}`)))} instead of ${named(c)}`)];
    instead = ` In \`options\`, ${andList(asks)}, so ${versions(keepAllowed)} ${keepAllowed.length > 1 ? 'are' : 'is'} allowed again.`;
    // Removing them here turns them off only where no layer beneath switches them on too.
    const removable = (c: Culprit): boolean => !others(c).length && same(c.at?.t, t) && c.source !== undefined && !c.source.under && c.at!.refs.length > 0 && nameRefs(c.at!.f.value).filter((r) => r.flag === c.name || r.name === c.name).every((r) => r.on && !r.badMapValue);
    // Those written here alone, when taking them out leaves a version (the others may stay on beneath).
    const here = keep.filter(removable);
    // (None where a flag must be rewritten rather than removed: the message says which.)
    if (v.context !== 'port' && here.length && keep.every((c) => !others(c).length) && left(v.allowed, v.flags.filter((f) => !here.some((c) => c.name === f))).length) {
      const field = here[0]!.at!.f;
      const entries = here.flatMap((c) => c.at!.refs.map((r) => r.entry));
      // Every entry goes: the whole `options` line with them (0.9 then takes its default options, which keep TLS).
      const all = nameRefs(field.value).length === (field.value.kind === 'table' ? field.value.items.length + field.value.fields.length : 1) && nameRefs(field.value).every((r) => entries.some((e) => e[0] === r.entry[0]));
      fixes.push(removeEntriesFix(text, all ? [field.range] : entries, `Remove ${andList(here.map((c) => c.name))}`, true));
    }
  } else {
    // A pinned TLS 1.0 or 1.1 (13.0): `tlsv1_2+` instead, unless the flags switch TLS 1.2 and 1.3 off as well.
    const after = left(allowedBy('tlsv1_2+', line) ?? [], v.flags);
    instead = ` Write \`protocol = "tlsv1_2+"\` instead: TLS 1.0 and 1.1 are deprecated (RFC 8996)${after.length ? '' : ', and switch TLS 1.2 back on in `options`'}.`;
    if (protocolHere && after.length) fixes.push(replaceFix(v.protocolAt!.f.value.range, '"tlsv1_2+"', 'Change to "tlsv1_2+"'));
  }
  const related: Related[] = [];
  if (v.protocolAt && !protocolHere) related.push({ range: v.protocolAt.f.value.range, message: `the protocol in force: "${v.protocol}"` });
  for (const c of v.culprits) for (const r of c.at?.refs ?? []) if (r.range[0] !== range[0]) related.push({ range: r.range, message: `\`${c.name}\` switches ${versions(c.off)} off` });
  return { range, related, fixes, message: (where) => `${condition}${head}: with none left, every TLS handshake${where} fails ("no protocols available"), although Prosody starts.${old}${otherwise}${instead}` };
}

/** The rule's findings (a pitfall: the context is built, the connections fail). */
export function noProtocolLeft(ctx: RuleContext): Finding[] {
  const config = currentConfig(ctx);
  // A misspelt `tls_profile` (0.12.5 and later) leaves no TLS context at all: unknown-tls-profile says so.
  const profile = profileInForce(config);
  if (!config || (profile.setting && findValue('tls_profile', profile.name)?.name !== profile.name && lineInRange(ctx.line, getOption('tls_profile')?.prosody))) return [];
  // No default or preset switches a version off: most configs write no flag that could leave nothing.
  if (!someProtocolMayLeaveNone(config, ctx.line)) return [];
  const text = ctx.doc.getText();
  const out: Finding[] = [];
  for (const t of appliedTables(config, ctx.line)) {
    // A table both kinds of connection read is judged for each; the same finding for both is said once.
    const said = new Map<string, { s: Said; contexts: LayerContext[] }>();
    // The global `ssl` is the direct-TLS and HTTPS ports' too, beneath their services' tables: where none of those
    // writes a protocol or options, what it leaves the STARTTLS connections it leaves them (a reviewer's 0.12.3 run:
    // they failed as well, unsaid). Said only as part of a STARTTLS finding.
    const alsoPorts = t.section === 0 && t.option === 'ssl' && t.sub === undefined && !portTablesWrite(config, ctx.line, ['protocol', 'options']);
    for (const c of alsoPorts ? [...layerContextsOf(config, t), 'port' as const] : layerContextsOf(config, t)) {
      const v = c === 'port' ? portVerdict(config, t, ctx.line) : startTlsVerdict(config, t.section, c, ctx.line);
      if (!v) continue;
      // Said once, on the most specific table that writes a part of it (the protocol or a flag).
      const writers = [v.protocolAt?.t, ...v.culprits.map((x) => x.at?.t)].filter((x): x is TlsTable => x !== undefined);
      if (!writers.some((x) => same(x, t))) continue;
      if (c !== 'port' && writers.some((x) => rank(x, c) > rank(t, c))) continue;
      const s = say(config, t, v, ctx.line, text);
      if (!s) continue;
      const key = `${s.range[0]}\0${s.message('')}`;
      const seen = said.get(key);
      if (seen) seen.contexts.push(c);
      else if (!(alsoPorts && c === 'port')) said.set(key, { s, contexts: [c] });
    }
    for (const { s, contexts } of said.values()) {
      const where = contexts[0] === 'port' ? (t.option === 'client_https_ssl' ? ' of outgoing HTTPS connections' : ' on the ports this table serves') : KINDS[contexts.join(',')]!;
      out.push({ range: s.range, message: s.message(where), ...(s.related.length ? { related: s.related } : {}), fixes: s.fixes });
    }
  }
  return out;
}
