// Unsafe settings: accepted by Prosody, but weaker than they should be. Layering (facts §1.2) decides
// whether a value really reaches the connections it would weaken; when a layer is computed at runtime we stay quiet.

import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { compareVersions, configOptions, deprecatedOn, findValue, getNetService, getOption, getSslKey, lineInRange, NEWEST_RELEASE, readsThroughFalse, splitServiceOption, sslKeys, type CatalogValue, type ConfigOption, type NetService, type ProsodyLine } from '../catalog';
import { formatLua } from '../catalog/reference';
import { evaluateInput } from '../ciphers/inDocument';
import { childSections, ownOrParent, surelyDormant, effectiveEntry, effectiveFlagsOff, effectiveSettings, entryString, opaqueLayer, profileInForce, sectionsLayering, type LayerContext } from '../model/layering';
import type { ParsedConfig, Setting } from '../model/parse';
import { inForce, setTrue, settingLines, type TlsTable } from '../model/tls';
import { emptyTable, getField, type LuaValue, type Range, type TableField, type TableValue } from '../model/values';
import { andList, appliedTables, cipherValue, ciphersOf, clientsConnect, closest, contextOf, currentConfig, serverOnlyTable, servicePorts, effectiveFlags, fieldAt, flagDisables, flagsFor, impliedOff, insertAfterEdit, layerContextsOf, liveField, luaString, markedFlagFindings, nameRefs, portParents, portTablesWrite, protocolAccepted, readTables, safeProtocol, removeFix, removeKeyFix, replaceFix, sectionTitle, servicesOnGlobalSsl, sniIgnored, SSL_VERSIONS, versionLabel, whyUnread, type NameRef } from './helpers';
import { MODERN_STACK } from './protocolLeft';
import { includeCalls } from '../model/sectionWords';
import type { Finding, Fix, Rule, RuleContext } from './types';
import { globalVerdict } from './globalVerdict';

const OLD_VERSIONS = SSL_VERSIONS.filter((v) => v.version === 'tlsv1' || v.version === 'tlsv1_1');
/** The LuaSec releases that first took `tlsv1_2` and `no_tlsv1_1` (0.9's advice depends on them; from the catalog). */
const TLS12_LUASEC = findValue('protocol', 'tlsv1_2')?.luasec?.since;
const NO_TLS11_LUASEC = findValue('options', 'no_tlsv1_1')?.luasec?.since;

/** A `protocol` value pinning one of those versions (`tlsv1`, `tlsv1_1`). */
const pinsOld = (name: string): boolean => OLD_VERSIONS.some((v) => v.version === name);

/** Old versions still allowed by a protocol plus the option flags in force; undefined when unknown. */
function oldVersionsAllowed(protocol: string, flags: ReadonlyMap<string, boolean> | undefined): string[] | undefined {
  // (`sslv3` was accepted only by LuaSec before 0.8, the Prosody 0.9/0.10 era.)
  if (protocol === 'sslv3' || pinsOld(protocol)) return [versionLabel(protocol)];
  const off = impliedOff(protocol);
  if (!flags) return undefined;
  const on = [...flags].filter(([, v]) => v).map(([k]) => k);
  return OLD_VERSIONS.filter((v) => !off.has(v.version) && !on.some((f) => flagDisables(f, v.version))).map((v) => v.label);
}


const OLD_SSL3_LINES: ReadonlySet<ProsodyLine> = new Set(['0.9', '0.10', '0.11']);

/** Whether neither the protocol (`tlsv1+` and up) nor an option flag in force switches SSL 3.0 off. */
function sslv3Left(protocol: string, flags: ReadonlyMap<string, boolean>): boolean {
  if (impliedOff(protocol).has('sslv3')) return false;
  return ![...flags].some(([k, v]) => v && flagDisables(k, 'sslv3'));
}

// Option flags differ between client and server connections only through `c2s_ssl`/`s2s_ssl` tables (Prosody's
// own s2s layer sets none): without any, one context's verdict is the other's.
const splits = new WeakMap<ParsedConfig, boolean>();
function splitsContexts(config: ParsedConfig): boolean {
  let v = splits.get(config);
  if (v === undefined) splits.set(config, (v = config.settings.some((o) => o.name === 'c2s_ssl' || o.name === 's2s_ssl')));
  return v;
}

/**
 * A pinned TLS 1.0 or 1.1 on 0.12+ for STARTTLS connections whose `ciphers` are the `intermediate` preset's: those
 * name TLS 1.2 suites only, so no such handshake finds a suite and the connections fail (a reviewer's 0.12.3 and
 * 13.0.1 runs: "handshake failure" for every client), which is worse than weak. Judged per connection kind where
 * this table's protocol is the one in force; other layers (`s2s_ssl`, a direct-TLS port's table) may set ciphers.
 */
function noSharedSuite(config: ParsedConfig, t: TlsTable, f: TableField, line: ProsodyLine): string {
  const failing = presetCiphered(config, t, f, line, /^tls_profile "intermediate"/);
  if (!failing.length) return '';
  return ` Worse: for ${connectionKinds(failing)} STARTTLS connections the \`ciphers\` in force are the \`intermediate\` preset's, TLS 1.2 suites only, so no TLS 1.0 or 1.1 handshake finds a suite and those connections fail.`;
}

const connectionKinds = (cs: readonly LayerContext[]): string => (cs.length === 2 ? 'client and server-to-server' : cs[0] === 'c2s' ? 'client' : 'server-to-server');

/**
 * The STARTTLS connections (c2s, s2s) for which this table's protocol is the one in force and the `ciphers` in force
 * come from where `from` says (layering's source: a `tls_profile` preset, or `default`).
 */
function presetCiphered(config: ParsedConfig, t: TlsTable, f: TableField, line: ProsodyLine, from: RegExp): LayerContext[] {
  if (opaqueLayer(config, t.section, line)) return [];
  // A computed `tls_profile` is only known at run time (layering assumes the default preset for it), and a global
  // table's protocol reaches hosts whose own tables may set ciphers: neither is claimed (a reviewer).
  const profile = profileInForce(config).setting;
  if (profile && profile.value.kind !== 'string') return [];
  // (Only a table STARTTLS reads: a host's direct-TLS ciphers never reach these connections.)
  if (t.section === 0 && config.settings.some((o) => o.section > 0 && o.value.kind === 'table' && getOption(o.name)?.contexts?.some((c) => c === 'c2s' || c === 's2s') && getField(o.value, 'ciphers'))) return [];
  return (['c2s', 's2s'] as const).filter((c) => {
    if (!t.contexts.includes(c) || (c === 'c2s' && !clientsConnect(config, t))) return false;
    const entries = effectiveSettings(config, t.section, c, line);
    if (entries.find((e) => e.key === 'protocol')?.range?.[0] !== f.range[0]) return false;
    return from.test(entries.find((e) => e.key === 'ciphers')?.from ?? '');
  });
}

/**
 * The global tables' protocols pinned to TLS 1.0 or 1.1 whose STARTTLS connections take their `ciphers` from the
 * preset: under `intermediate` (TLS 1.2 suites only) those handshakes would fail. (A host's own is said on the host,
 * PINNED_BEFORE_SWITCH: a global finding may depend on global settings only, as the incremental path keeps it
 * while hosts change; a reviewer.)
 */
function pinnedUnderPreset(config: ParsedConfig, line: ProsodyLine): Array<{ t: TlsTable; f: TableField; name: string; contexts: LayerContext[] }> {
  return appliedTables(config, line).filter((t) => t.section === 0).flatMap((t) => {
    const f = liveField(t, 'protocol');
    if (!f || f.value.kind !== 'string' || !pinsOld(f.value.value)) return [];
    // (Under `legacy` no preset applies on 0.12: the ciphers are Prosody's defaults, which keep TLS 1.0 suites; a reviewer.)
    const contexts = presetCiphered(config, t, f, line, /^(tls_profile |default)/);
    return contexts.length ? [{ t, f, name: f.value.value, contexts }] : [];
  });
}

const PINNED_BEFORE_SWITCH = ' Do it before `tls_profile` becomes `"intermediate"`: that preset\'s ciphers are TLS 1.2 suites only, so these STARTTLS connections would then find no suite.';

/** A `tls_profile` written as a preset that keeps old versions on (`old`, `legacy`), on a line that has presets. */
/** A `tls_profile` line naming a preset that leaves old versions on: its finding weighs the hosts' ciphers. */
const unsafeProfileLine = (s: Setting): boolean => s.name === 'tls_profile' && s.value.kind === 'string' && !!findValue('tls_profile', s.value.value)?.unsafe;

function unsafeProfileSet(config: ParsedConfig, line: ProsodyLine): boolean {
  const profile = profileInForce(config);
  return profile.setting?.value.kind === 'string' && compareVersions(NEWEST_RELEASE[line], '0.12.0') >= 0 && !!findValue('tls_profile', profile.name)?.unsafe;
}

// OpenSSL 3.0 moved TLS 1.0 and 1.1 below its default security level (they sign with SHA-1): reviewers' runs on
// Debian 12 (OpenSSL 3.0) saw them refused ("no suitable signature algorithm") unless the level was 0, set in the
// ciphers or in openssl.cnf.
const LEVEL_0 = "OpenSSL's security level is 0 (`@SECLEVEL=0` in the ciphers in force, or in the system's openssl.cnf)";
const OPENSSL3_ALLOWED = ` (OpenSSL 3.0 and later refuse TLS 1.0 and 1.1 unless ${LEVEL_0}; older OpenSSL releases negotiate them.)`;
const OPENSSL3_PINNED = ` (With OpenSSL 3.0 and later no handshake completes at all unless ${LEVEL_0}.)`;

/**
 * The table whose `protocol` is in force for these STARTTLS connections of the table's section, where that is not
 * this table's field `f`; undefined where it is, or where the layering is computed.
 */
function protocolOverriddenBy(config: ParsedConfig, t: TlsTable, f: TableField, c: LayerContext, line: ProsodyLine): TlsTable | undefined {
  const entry = effectiveEntry(config, t.section, c, line, 'protocol');
  if (!entry?.range || entry.range[0] === f.range[0]) return undefined;
  return fieldAt(config, line, 'protocol', entry.range)?.t;
}

/**
 * Whether the `ciphers` in force for these connections select only suites that need TLS 1.2 (the 0.12+
 * `intermediate` preset's, `ECDHE+AESGCM`): then no TLS 1.0 or 1.1 handshake finds a suite, whatever the protocol
 * allows (a reviewer's 0.12.3 run: `protocol = "tlsv1+"` under the preset failed 1.0 and 1.1 with "handshake
 * failure", at security level 0 too). False where unknown: a computed layer or profile, a value that is no string
 * or list of strings, a word OpenSSL 3 does not know (an older OpenSSL may have TLS 1.0 suites for it), or ciphers
 * written in tables this one's protocol reaches or that sit between (a host's under a global table, another port's).
 */
function onlyTls12Suites(config: ParsedConfig, t: TlsTable, c: LayerContext, line: ProsodyLine): boolean {
  if (c !== 'port') return sectionTls12Only(config, t.section, c, line);
  if (!layersKnown(config, 0, line)) return false;
  // A global port table: its own ciphers, else those of the tables portmanager puts beneath it, else the global
  // layers', where no other port table or host writes any (which of them sits between is not worked out here).
  const parents = t.section === 0 ? portParents(config, t, line) : undefined;
  if (!parents) return false;
  const mine = [t, ...parents];
  // (A host's `ssl` never reaches a port: only other port tables, a host's SNI ones included, may sit between.)
  if (readTables(config, line).some((o) => !mine.some((m) => m.setting === o.setting && m.sub === o.sub) && contextOf(o) === 'port' && writesOtherCiphers(o))) return false;
  const own = [...mine].reverse().map((x) => liveField(x, 'ciphers')).find((f) => f !== undefined);
  if (own) return tls12Only(cipherValue(own.value));
  return tls12Only(ciphersOf(config, effectiveEntry(config, 0, 'port', line, 'ciphers'), line));
}

/** A table writing ciphers that may have suites for TLS 1.0 or 1.1 (what a protocol it reaches then allows). */
const writesOtherCiphers = (o: TlsTable): boolean => {
  const f = liveField(o, 'ciphers');
  return f !== undefined && !tls12Only(cipherValue(f.value));
};

/** Neither a layer of the section nor `tls_profile` is computed (what they hold is known only at run time). */
function layersKnown(config: ParsedConfig, section: number, line: ProsodyLine): boolean {
  const profile = profileInForce(config).setting;
  return !opaqueLayer(config, section, line) && (!profile || profile.value.kind === 'string');
}

/** onlyTls12Suites for a section's STARTTLS connections: the same for every table of the section, asked once. */
function sectionTls12Only(config: ParsedConfig, section: number, c: LayerContext, line: ProsodyLine): boolean {
  if (!layersKnown(config, section, line)) return false;
  let bySection = tls12Memo.get(config);
  if (!bySection) tls12Memo.set(config, (bySection = new Map()));
  const key = `${section}\0${c}\0${line}`;
  let v = bySection.get(key);
  if (v === undefined) {
    // A global table's protocol reaches the hosts' and ports' tables: their own ciphers must be TLS 1.2-only too.
    const guarded = section === 0 && readTables(config, line).some((o) => (o.section > 0 || contextOf(o) === 'port') && writesOtherCiphers(o));
    bySection.set(key, (v = !guarded && tls12Only(ciphersOf(config, effectiveEntry(config, section, c, line, 'ciphers'), line))));
  }
  return v;
}

const tls12Memo = new WeakMap<ParsedConfig, Map<string, boolean>>();

/**
 * Whether a cipher string selects suites for TLS 1.2 and later only. A word OpenSSL 3 does not know may select
 * TLS 1.0 suites on an older OpenSSL, unless it only takes suites away (`!RC4`, `-x`, `+x`: a reviewer, a corpus
 * string was warned for its `!RC4`). PSK and SRP suites never serve Prosody's connections (it sets neither
 * callback; a reviewer's run: `HIGH:!aNULL:!SHA1` left only PSK suites for TLS 1.0, and those handshakes failed).
 */
function tls12Only(ciphers: string | string[] | undefined): boolean {
  const r = ciphers === undefined ? undefined : evaluateInput(ciphers);
  if (!r || r.error || !r.suites.length) return false;
  const prefix = (w: { offset: number; part?: number }): string | undefined => (typeof ciphers === 'string' ? ciphers : ciphers![w.part ?? 0])?.[w.offset - 1];
  if (r.unknownWords.some((w) => !'!-+'.includes(prefix(w) ?? ' '))) return false;
  const usable = r.suites.filter((x) => !/PSK|SRP/.test(x.kx) && !/PSK|SRP/.test(x.au));
  return usable.every((x) => x.protocol === 'TLSv1.2' || x.protocol === 'TLSv1.3');
}

/** The ciphers in force for a section's connections of this kind (the global one's by default) lower OpenSSL's security level to 0. */
function secLevelZeroFor(config: ParsedConfig, c: LayerContext, line: ProsodyLine, section = 0): boolean {
  const ciphers = opaqueLayer(config, section, line) ? undefined : ciphersOf(config, effectiveEntry(config, section, c, line, 'ciphers'), line);
  return ciphers !== undefined && [ciphers].flat().some((s) => s.includes('@SECLEVEL=0'));
}

/** The ciphers in force for a table's connections lower OpenSSL's security level to 0, where old TLS versions work. */
function secLevelZero(config: ParsedConfig, t: TlsTable, line: ProsodyLine): boolean {
  const own = liveField(t, 'ciphers');
  if (own && JSON.stringify(own.value).includes('@SECLEVEL=0')) return true;
  return layerContextsOf(config, t).some((c) => secLevelZeroFor(config, c, line, t.section));
}

/**
 * A line without `tls_profile` (whose finding says it otherwise) whose default `protocol` allows TLS 1.0 or 1.1 and
 * that has `"tlsv1_2+"` to write instead: 0.10 and 0.11 (certmanager's core_defaults, the catalog's defaults).
 */
function defaultProtocolUnsafe(line: ProsodyLine): boolean {
  const d = getSslKey('protocol')?.defaults[line];
  return !lineInRange(line, getOption('tls_profile')?.prosody) && typeof d === 'string' && !!findValue('protocol', d)?.unsafe && protocolAccepted(line, safeProtocol(line));
}

const SSL_KEY_NAMES = sslKeys.map((k) => k.name);

/**
 * A table that writes `protocol`, or a misspelling of it (`Protocol`, `protocl`): the unknown key's rename is the fix
 * there, and adding a second `protocol` beside it would leave two (a test of the preferred fixes).
 */
function writesProtocol(table: TableValue): boolean {
  return table.fields.some((f) => f.key === 'protocol' || (typeof f.key === 'string' && !getSslKey(f.key) && closest(f.key, SSL_KEY_NAMES) === 'protocol'));
}

/** The global `ssl` as a literal table writing no `protocol`, on a line whose default one allows TLS 1.0 and 1.1. */
function globalSslWithoutProtocol(config: ParsedConfig, line: ProsodyLine): Setting | undefined {
  if (!defaultProtocolUnsafe(line)) return undefined;
  const ssl = inForce(config, 0, 'ssl');
  return ssl && !ssl.conditional && ssl.value.kind === 'table' && !writesProtocol(ssl.value) ? ssl : undefined;
}

/**
 * Before 0.12 a config that writes no `protocol` gets certmanager's default `"tlsv1+"`, which allows TLS 1.0 and 1.1
 * (a reviewer's 0.11.9 run on Debian 11's OpenSSL 1.1.1w: a TLS 1.0 handshake with `MinProtocol = TLSv1.2` in
 * openssl.cnf, which LuaSec's own version range overrides). Said on the global `ssl` table, for the connections of
 * the hosts (or, with none, the global section) that take it with old versions left on; with no global `ssl` at all,
 * on each host's own `ssl` that writes none (judged from its own chunk and the global one).
 */
function defaultProtocolFindings(ctx: RuleContext, config: ParsedConfig, level0Written: boolean): Finding[] {
  if (!defaultProtocolUnsafe(ctx.line)) return [];
  if (ctx.line === '0.9') return wholeTableDefaults(ctx, config, level0Written);
  const ssl = globalSslWithoutProtocol(config, ctx.line);
  if (ssl) {
    const hosts = config.sections.map((_, i) => i).filter((i) => i > 0 && !surelyDormant(config, i));
    const found = defaultProtocolFinding(ctx, config, ssl, hosts.length ? hosts : [0], level0Written);
    return found ? [found] : [];
  }
  if (ctx.globalOnly || settingLines(config, 0, 'ssl').length) return [];
  // A file with nothing global (a conf.d/ fragment), or whose global section Includes others: the global `ssl` may
  // be in the main config or the included file.
  const globalText = ctx.doc.getText().slice(0, config.sections[1]?.range[0]);
  if (!config.settings.some((s) => s.section === 0) || (/\b[Ii]nclude\b/.test(globalText) && includeCalls(globalText).length > 0)) return [];
  const out: Finding[] = [];
  for (let i = 1; i < config.sections.length; i++) {
    const own = inForce(config, i, 'ssl');
    if (!own || own.conditional || own.value.kind !== 'table' || writesProtocol(own.value) || surelyDormant(config, i)) continue;
    const found = defaultProtocolFinding(ctx, config, own, [i], level0Written, ' (no global `ssl` gives one)');
    if (found) out.push(found);
  }
  return out;
}

/**
 * 0.9 takes one `ssl` table whole (the host's own, else its parent domain's, else the global one), each missing key
 * from the built-in defaults: a table writing no `protocol` gets `"sslv23"`, with TLS 1.0 and 1.1 on unless its own
 * `options` (which replace the default list) switch them off (review 131). Said on each such table, for the
 * VirtualHosts that take it (or, in a file with none, on the global one).
 */
function wholeTableDefaults(ctx: RuleContext, config: ParsedConfig, level0Written: boolean): Finding[] {
  const line = ctx.line;
  const tableOf = (i: number): Setting | undefined => (i > 0 ? ownOrParent(config, i, (sec) => literalSsl(config, sec)) : undefined) ?? literalSsl(config, 0);
  const hosts = new Map<Setting, number[]>();
  const vhosts = config.sections.map((_, i) => i).filter((i) => i > 0 && config.sections[i]!.kind === 'host' && !surelyDormant(config, i));
  for (const i of vhosts.length ? vhosts : [0]) {
    const ssl = tableOf(i);
    if (ssl) hosts.set(ssl, [...(hosts.get(ssl) ?? []), i]);
  }
  const out: Finding[] = [];
  for (const [ssl, sections] of hosts) {
    if ((ctx.globalOnly && ssl.section !== 0) || ssl.conditional || ssl.value.kind !== 'table' || writesProtocol(ssl.value) || opaqueLayer(config, sections[0]!, line)) continue;
    const left = oldVersionsAllowed('sslv23', effectiveFlags(config, sections[0]!, 'c2s', line, 'options')) ?? [];
    // Ciphers of TLS 1.2 suites only leave the old versions nothing to negotiate (review 142: alert 40 on a real 0.11.9).
    if (!left.length || tls12Only(ciphersOf(config, effectiveEntry(config, sections[0]!, 'c2s', line, 'ciphers'), line))) continue;
    const last = ssl.value.fields.at(-1) ?? ssl.value.items.at(-1);
    const write = safeProtocol(line);
    const edit = last ? insertAfterEdit(ctx.doc.getText(), last, `protocol = "${write}"`) : { range: ssl.value.range, newText: `{ protocol = "${write}" }` };
    const whose = ssl.section === 0 && sections[0]! > 0 && sections.length < vhosts.length ? ` for the ${sections.length > 1 ? `${sections.length} hosts` : 'host'} without an \`ssl\` of ${sections.length > 1 ? 'their' : 'its'} own` : '';
    out.push({
      range: ssl.nameRange,
      message: `This \`ssl\` writes no \`protocol\`, and Prosody 0.9 fills each key a table leaves out from its defaults, so \`"sslv23"\` applies${whose}, which allows ${andList(OLD_VERSIONS.map((v) => v.label).filter((l) => left.includes(l)))}, ${left.length > 1 ? 'deprecated versions' : 'a deprecated version'} with known weaknesses (RFC 8996). Add \`protocol = "${write}"\` (TLS 1.2 alone: 0.9 has no \`+\` forms, and the LuaSec it runs with offers no TLS 1.3; LuaSec 0.4 knows no \`tlsv1_2\` either, so this needs ${TLS12_LUASEC} or later).${level0Written && secLevelZeroFor(config, 'c2s', line) ? '' : OPENSSL3_ALLOWED}`,
      fixes: [{ title: `Add protocol = "${write}"`, preferred: true, edits: [edit] }],
    });
  }
  return out;
}

/** A section's own `ssl` setting (0.9 reads the last one written), whatever its value. */
function literalSsl(config: ParsedConfig, section: number): Setting | undefined {
  return settingLines(config, section, 'ssl').at(-1);
}

/** The finding on `ssl`, a literal table without `protocol`, for the connections of `sections` that take the default. */
function defaultProtocolFinding(ctx: RuleContext, config: ParsedConfig, ssl: Setting, sections: readonly number[], level0Written: boolean, why = ''): Finding | undefined {
  if (ssl.value.kind !== 'table' || opaqueLayer(config, ssl.section, ctx.line)) return undefined;
  // The old versions the default leaves on where it reaches, for the message.
  const seen = new Set<string>();
  const kinds = (['c2s', 's2s'] as const).filter((c) =>
    sections.some((i) => {
      if (c === 'c2s' && !clientsConnect(config, { section: i })) return false;
      if (opaqueLayer(config, i, ctx.line, c) || sectionTls12Only(config, i, c, ctx.line)) return false;
      const entry = effectiveEntry(config, i, c, ctx.line, 'protocol');
      const name = entry?.from === 'default' ? entryString(entry) : undefined;
      // Old versions left on by the layers up to this table's, not only by the host's own: a host entry switching one
      // back on (`no_tlsv1 = false`) has its finding there (a reviewer's 0.11.9: a global `ssl` with `no_tlsv1` and
      // `no_tlsv1_1` refused both for every host but the one that switched TLS 1.0 back on).
      // The same version both ways: `no_tlsv1 = false` beside `"no_tlsv1_1"` in a host over a global `"no_tlsv1"`
      // leaves TLS 1.0 on through the host alone and TLS 1.1 off (review 132, real 0.11.9).
      const left = (sec: number): readonly string[] => oldVersionsAllowed(name!, effectiveFlags(config, sec, c, ctx.line, 'options')) ?? [];
      if (name === undefined) return false;
      const both = ssl.section === i ? left(i) : left(i).filter((v) => left(ssl.section).includes(v));
      for (const v of both) seen.add(v);
      return both.length > 0;
    }),
  );
  // The global one also reaches the direct-TLS and HTTPS ports, where no service table writes over it (a reviewer's
  // 0.11.9 with bosh loaded and `c2s_ssl`/`s2s_ssl` at "tlsv1_2+": TLS 1.0 on the HTTPS port).
  const ports = ssl.section === 0 && !portTablesWrite(config, ctx.line, ['protocol', 'options', 'ciphers']) && portsMayListen(config, ctx.line) && !opaqueLayer(config, 0, ctx.line, 'port') && (() => {
    const entry = effectiveEntry(config, 0, 'port', ctx.line, 'protocol');
    const name = entry?.from === 'default' ? entryString(entry) : undefined;
    const left = name === undefined || tls12Only(ciphersOf(config, effectiveEntry(config, 0, 'port', ctx.line, 'ciphers'), ctx.line)) ? [] : (oldVersionsAllowed(name, effectiveFlags(config, 0, 'port', ctx.line, 'options')) ?? []);
    for (const v of left) seen.add(v);
    return left.length > 0;
  })();
  if (!kinds.length && !ports) return undefined;
  const entry = effectiveEntry(config, ssl.section, kinds[0] ?? 'port', ctx.line, 'protocol');
  const name = entry && entryString(entry);
  if (!name) return undefined;
  const conns = kinds.length === 2 ? '' : kinds.length ? ` for ${kinds[0] === 's2s' ? 'server-to-server' : 'client'} connections${ports ? ' and on the direct-TLS and HTTPS ports' : ''}` : ' on the direct-TLS and HTTPS ports (client and server-to-server connections take a protocol of their own)';
  const last = ssl.value.fields.at(-1) ?? ssl.value.items.at(-1);
  const text = ctx.doc.getText();
  const edit = last ? insertAfterEdit(text, last, 'protocol = "tlsv1_2+"') : { range: ssl.value.range, newText: '{ protocol = "tlsv1_2+" }' };
  return {
    range: ssl.nameRange,
    message: `This \`ssl\` writes no \`protocol\`${why}, so Prosody ${ctx.line}'s default \`"${name}"\` applies${conns}, which allows ${andList(OLD_VERSIONS.map((v) => v.label).filter((l) => seen.has(l)))}, ${seen.size > 1 ? 'deprecated versions' : 'a deprecated version'} with known weaknesses (RFC 8996). Add \`protocol = "tlsv1_2+"\`${why ? ', here or in a global `ssl` that every host takes' : ''}.${level0Written && kinds.every((c) => secLevelZeroFor(config, c, ctx.line)) ? '' : OPENSSL3_ALLOWED}`,
    fixes: [{ title: 'Add protocol = "tlsv1_2+"', preferred: true, edits: [edit] }],
  };
}

function protocolFindings(ctx: RuleContext): Finding[] {
  const config = currentConfig(ctx);
  if (!config) return [];
  const out: Finding[] = [];
  const better = compareVersions(NEWEST_RELEASE[ctx.line], '0.10.0') >= 0 ? 'tlsv1_2+' : undefined;
  // Layering asked per finding only where some cipher string of the file may lower the level (thousands of findings).
  const level0Written = ctx.doc.getText().includes('SECLEVEL=0');
  for (const t of appliedTables(config, ctx.line)) {
    if (ctx.globalOnly && t.section !== 0) continue; // (the engine keeps the global section's findings alone)
    const f = liveField(t, 'protocol');
    if (!f || f.value.kind !== 'string') continue;
    const name = f.value.value;
    if (!protocolAccepted(ctx.line, name) || !findValue('protocol', name)?.unsafe) continue;
    if (everyPortWritesOver(config, t, ctx.line)) continue;
    if (everyHostSetsOwn(ctx, config, t, f)) continue;
    // A global `ssl` whose protocol every host writes over reaches the direct-TLS and HTTPS ports alone (a reviewer's
    // 0.11.9 and 0.12.3: c2s and s2s refused TLS 1.0; HTTPS took it where an HTTP module was loaded): judged for them,
    // and not at all where none surely listens.
    const hostsOver = t.section === 0 && t.option === 'ssl' && t.sub === undefined && (['c2s', 's2s'] as const).every((c) => hostsWriteOver(ctx, config, f, c));
    if (hostsOver && !portsMayListen(config, ctx.line)) continue;
    // A table both kinds of connection read (`ssl`) is judged for each: `c2s_ssl` may switch old versions off for
    // clients while servers still get them.
    // A pinned version (tlsv1, …) is what it is whatever the flags say.
    const pinned = name === 'sslv3' || pinsOld(name);
    // (A `[port]` table of the global `ssl` is read for its port alone: contextOf.)
    const contexts: LayerContext[] = t.sub === undefined && t.contexts.includes('c2s') && t.contexts.includes('s2s') && splitsContexts(config) ? ['c2s', 's2s'] : [contextOf(t)];
    // Where LuaSec surely pins with both ends of the range (13.0), a pinned version whose own flag is on leaves nothing
    // at all: no-protocol-left says so, and "pins the connection to TLS 1.1" beside it contradicted it (a reviewer).
    // Before, the flag may do nothing (no-protocol-left hedges there).
    if (pinned && MODERN_STACK.has(ctx.line) && contexts.every((c) => { const fl = flagsFor(config, t, ctx.line, c); return !!fl && [...fl].some(([k, on]) => on && flagDisables(k, name)); })) continue;
    // (undefined: a layer's flags are computed, so that context is not judged.)
    const per = contexts.map((c) => {
      // A table above this one in the section's layering (a host's `c2s_ssl` over its `ssl`) sets the protocol of
      // these connections: this one says nothing there (a reviewer's 0.12.3 run refused TLS 1.0 on both kinds).
      const by = c === 'port' ? undefined : protocolOverriddenBy(config, t, f, c, ctx.line);
      if (by) return { c, by, allowed: undefined, ssl3: false, tls12Suites: false };
      // (A pinned old version with such ciphers fails outright: noSharedSuite says so.)
      if (!pinned && onlyTls12Suites(config, t, c, ctx.line)) return { c, by, allowed: [], ssl3: false, tls12Suites: true };
      const flags = pinned ? undefined : flagsFor(config, t, ctx.line, c);
      return { c, by, allowed: oldVersionsAllowed(name, flags), ssl3: flags !== undefined && sslv3Left(name, flags), tls12Suites: false };
    });
    // The global `ssl` whose protocol `c2s_ssl` and `s2s_ssl` override, or whose old versions their options switch
    // off, still sets the direct-TLS and HTTPS ports' (portmanager layers it beneath every service's table), where no
    // service table of the global section writes a protocol, options or ciphers over it (which service reads which is
    // not worked out here; a reviewer's 0.12.3 run: TLS 1.0 and 1.1 on the direct-TLS and HTTPS ports, unreported).
    if (hostsOver) for (const p of per) p.allowed = [];
    const ports = per.length > 1 || hostsOver ? globalSslAtPorts(config, t, name, pinned, ctx.line) : undefined;
    const portsOnly = ports !== undefined && per.every((p) => p.by || (p.allowed && !p.allowed.length));
    // What keeps them from the STARTTLS connections, said before the ports' verdict joins them.
    const startTlsBy = hostsOver ? 'hosts' : per.every((p) => p.by) ? 'by' : per.every((p) => p.tls12Suites) ? 'ciphers' : per.every((p) => !p.by && !p.tls12Suites) ? 'options' : 'mixed';
    if (portsOnly) per.push({ c: 'port', by: undefined, ...ports, tls12Suites: false });
    const allowed = ['SSL 3.0', ...OLD_VERSIONS.map((v) => v.label)].filter((v) => per.some((p) => p.allowed?.includes(v)));
    if (!allowed.length) {
      // Overridden for the host's own connections, a parent domain's `ssl` may still reach a subdomain's.
      const subs = per.every((p) => p.by) ? subdomainsTaking(config, t, f, name, pinned, ctx.line) : [];
      if (subs.length) out.push(subdomainFinding(config, t, f, name, pinned, subs, [...new Set(per.map((p) => p.by!.option))], better));
      continue;
    }
    const judged = per.filter((p) => p.allowed?.length);
    const other = per.length > 1 && judged.length === 1 ? per.find((p) => p !== judged[0]) : undefined;
    const kind = (c: LayerContext): string => (c === 's2s' ? 'server-to-server' : 'client');
    const them = allowed.length > 1 ? 'them' : 'it';
    const why = !other
      ? ''
      : other.by
        ? ` (${kind(other.c)} connections take theirs from ${other.by.section === t.section ? '' : `${sectionTitle(config.sections[other.by.section]!)}'s `}\`${other.by.option}\`)`
        : other.tls12Suites
          ? ` (the \`ciphers\` in force for ${kind(other.c)} connections name TLS 1.2 suites only, so no older handshake finds a suite there)`
          : other.allowed
            ? ` (the \`options\` in force for ${kind(other.c)} connections switch ${them} off)`
            : '';
    const where = portsOnly
      ? ` on direct-TLS and HTTPS ports (${
          startTlsBy === 'hosts'
            ? 'every host writes its own protocol over this one for client and server-to-server connections'
            : startTlsBy === 'by'
            ? 'client and server-to-server connections take theirs from `c2s_ssl` and `s2s_ssl`'
            : startTlsBy === 'ciphers'
              ? 'the `ciphers` in force for client and server-to-server connections name TLS 1.2 suites only'
              : startTlsBy === 'options'
                ? `the \`options\` in force for client and server-to-server connections switch ${them} off`
                : 'not on client and server-to-server connections'
        })`
      : other
        ? ` on ${kind(judged[0]!.c)} connections${ports?.allowed && allowed.every((v) => ports.allowed!.includes(v)) ? ' and on the direct-TLS and HTTPS ports' : ''}${why}`
        : '';
    const fix = better
      ? ` Write \`"${better}"\`.`
      : name === 'sslv3'
        ? ' Remove the line, so Prosody\'s default `"sslv23"` negotiates TLS, and make sure the options in force hold `"no_sslv3"` (Prosody\'s default options do from 0.9.6).'
        : pinsOld(name)
          ? // Pinned: switching its own version off in `options` would leave no version at all.
            ` Write \`"tlsv1_2"\` (TLS 1.2 only: Prosody 0.9 has no \`+\` forms), or \`"sslv23"\` with \`"no_sslv3"\`, \`"no_tlsv1"\` and \`"no_tlsv1_1"\` in \`options\` (Prosody 0.9 replaces the default options with yours, so list every flag you want). Both need LuaSec ${TLS12_LUASEC} or later: 0.4 knows neither \`tlsv1_2\` nor \`no_tlsv1_1\`, and the most it allows is \`"sslv23"\` with \`"no_sslv2"\`, \`"no_sslv3"\` and \`"no_tlsv1"\`.`
          : ` Add ${andList(OLD_VERSIONS.filter((v) => allowed.includes(v.label)).map((v) => `\`"no_${v.version}"\``))} to \`options\`${ctx.line === '0.9' ? ` (Prosody 0.9 replaces the default options with the table\'s own list, so it must hold \`"no_sslv3"\` and every other flag you want${allowed.includes('TLS 1.1') ? `; \`"no_tlsv1_1"\` needs LuaSec ${NO_TLS11_LUASEC} or later` : ''})` : ''}.`;
    // Up to 0.11, LuaSec before 0.8 on OpenSSL 1.0.x still offered SSL 3.0 where no flag switched it off (0.10+
    // default options hold no `no_sslv3`; only the `+` forms from `tlsv1+` up add it).
    const ssl3 = OLD_SSL3_LINES.has(ctx.line) && per.some((p) => p.allowed?.length && p.ssl3) ? ' With OpenSSL 1.0.x it allows SSL 3.0 as well (POODLE, RFC 7568).' : '';
    const worse = pinned && name !== 'sslv3' ? noSharedSuite(config, t, f, ctx.line) : '';
    // A host pinned under `old`/`legacy` loses these connections when the profile becomes `intermediate` (a reviewer).
    const beforeSwitch = pinned && name !== 'sslv3' && !worse && t.section > 0 && unsafeProfileSet(config, ctx.line) && presetCiphered(config, t, f, ctx.line, /^(tls_profile |default)/).length ? PINNED_BEFORE_SWITCH : '';
    const openssl3 = name === 'sslv3' || worse || (level0Written && secLevelZero(config, t, ctx.line)) ? '' : pinned ? OPENSSL3_PINNED : OPENSSL3_ALLOWED;
    // An entry of another table that switches an allowed version back on over the tables beneath (`c2s_ssl = {
    // options = { no_tlsv1 = false } }` over this `ssl`'s `no_tlsv1`): named, since the flag here reads as off (a
    // reviewer). (switchedBackOn reports such entries where the protocol comes from another section.)
    const backOn = pinned ? [] : backOnEntries(config, t, judged.map((p) => p.c), allowed, ctx.line);
    const backOnSaid = backOn.length ? ` ${andList(backOn.map((b) => `\`${b.name} = false\` in ${b.where}`))} switch${backOn.length > 1 ? '' : 'es'} ${andList([...new Set(backOn.flatMap((b) => b.versions))])} back on.` : '';
    out.push({
      range: f.value.range,
      message: `\`protocol = "${name}"\` ${pinned ? 'pins the connection to' : 'allows'} ${allowed.join(' and ')}${where}, ${allowed.includes('SSL 3.0') ? 'broken by POODLE and prohibited by RFC 7568' : allowed.length === 1 ? 'a deprecated version with known weaknesses (RFC 8996)' : 'deprecated versions with known weaknesses (RFC 8996)'}.${backOnSaid}${ssl3}${worse}${fix}${beforeSwitch}${openssl3}`,
      ...(backOn.length ? { related: backOn.map((b) => ({ range: b.range, message: `switches ${andList(b.versions)} back on` })) } : {}),
      fixes: better ? [replaceFix(f.value.range, luaString(better), `Change to "${better}"`)] : [],
    });
  }
  out.push(...switchedBackOn(ctx, config));
  out.push(...defaultProtocolFindings(ctx, config, level0Written));
  // A preset (or none) that leaves old versions on, with no protocol of the user's own in the global ssl.
  const profile = profileInForce(config);
  // A computed global table may set its own protocol over the preset.
  if (profile.setting && unsafeProfileSet(config, ctx.line) && !opaqueLayer(config, 0, ctx.line)) {
    // Per kind of connection: a `c2s_ssl` may switch them off for clients only (a reviewer's 0.12.3 run: servers
    // still took TLS 1.0 and 1.1, unreported). The ports take the preset beneath the global `ssl` too (TLS 1.0 and 1.1
    // there, also where STARTTLS switched them off), where no service table writes over it.
    const judgedKinds: LayerContext[] = portTablesWrite(config, ctx.line, ['protocol', 'options', 'ciphers']) ? ['c2s', 's2s'] : ['c2s', 's2s', 'port'];
    const kinds = judgedKinds.flatMap((c) => {
      const entry = effectiveEntry(config, 0, c, ctx.line, 'protocol');
      const name = entry && (entry.from === 'default' || entry.from.startsWith('tls_profile')) ? entryString(entry) : undefined;
      // (The ports' ciphers are the global layers' here: no service table writes any.)
      const tls12 = c === 'port' ? tls12Only(ciphersOf(config, effectiveEntry(config, 0, c, ctx.line, 'ciphers'), ctx.line)) : sectionTls12Only(config, 0, c, ctx.line);
      const allowed = name !== undefined && !tls12 ? oldVersionsAllowed(name, effectiveFlags(config, 0, c, ctx.line, 'options')) : undefined;
      return allowed?.length ? [{ c, protocol: name!, allowed }] : [];
    });
    const protocol = kinds[0]?.protocol;
    if (protocol !== undefined) {
      const allowed = OLD_VERSIONS.map((v) => v.label).filter((v) => kinds.some((k) => k.allowed.includes(v)));
      // Said only where some kind keeps them off (all three: no qualifier).
      const conns = kinds.filter((k) => k.c !== 'port').map((k) => (k.c === 's2s' ? 'server-to-server' : 'client'));
      const ports = kinds.some((k) => k.c === 'port');
      const parts = [...(conns.length ? [`for ${conns.join(' and ')} connections`] : []), ...(ports ? ['on the direct-TLS and HTTPS ports'] : [])];
      const only = conns.length === 2 ? '' : ` ${parts.join(' and ')}`;
      // A table pinned to TLS 1.0/1.1 would get the new preset's TLS 1.2 suites: the change alone breaks it (a reviewer).
      const pinned = pinnedUnderPreset(config, ctx.line);
      const first = pinned[0];
      const also = first
        ? ` But first change \`protocol = "${first.name}"\` ${first.t.section > 0 ? `under ${sectionTitle(config.sections[first.t.section]!)}` : 'in the global table'}${pinned.length > 1 ? ` (and ${pinned.length - 1} more pinned like it)` : ''} to \`"tlsv1_2+"\`: under \`"intermediate"\`, whose ciphers are TLS 1.2 suites only, its ${connectionKinds(first.contexts)} STARTTLS connections would find no suite and fail.`
        : '';
      out.push({
        range: profile.setting.value.range,
        message: `\`tls_profile = "${profile.name}"\` leaves ${allowed.join(' and ')} enabled${only} (protocol "${protocol}"), deprecated versions with known weaknesses. Use \`"intermediate"\` unless very old clients must connect.${also}${level0Written && kinds.every((k) => secLevelZeroFor(config, k.c, ctx.line)) ? '' : OPENSSL3_ALLOWED}`,
        fixes: [replaceFix(profile.setting.value.range, '"intermediate"', 'Change to "intermediate"', !first)],
        ...(pinned.length ? { related: pinned.slice(0, 5).map((p) => ({ range: p.f.value.range, message: 'pinned to an old TLS version' })) } : {}),
      });
    }
  }
  return out;
}

/**
 * A direct-TLS or HTTPS service's own table whose every port has a `[port]` table writing its own protocol:
 * portmanager applies that over the service's table, and the hosts' SNI contexts take the port's, so nothing uses
 * this protocol (a reviewer's instrumented 0.12.3 run refused TLS 1.1 on such a port). False where the ports are
 * not known for sure, or none is set (the table is judged as for a port opened later).
 */
function everyPortWritesOver(config: ParsedConfig, t: TlsTable, line: ProsodyLine): boolean {
  const own = splitServiceOption(t.option);
  if (t.section !== 0 || t.sub !== undefined || own?.suffix !== '_ssl' || !own.service.encrypted) return false;
  // (Ports written as strings never find a numeric `[port]` table: a reviewer's instrumented run.)
  const ports = servicePorts(config, own.service, true);
  if (ports === 'unsure' || !ports.length) return false;
  const subs = readTables(config, line).filter((o) => o.option === t.option && o.section === 0 && typeof o.sub === 'number' && liveField(o, 'protocol'));
  return ports.every((p) => subs.some((o) => o.sub === Number(p)));
}

/**
 * Subdomains (hosts and Components) whose STARTTLS connections take this host `ssl`'s protocol although the host's own
 * do not: mod_tls takes each table from the parent domain apart (`rawget(host, "ssl") or parent_ssl`, and the same for
 * `c2s_ssl`/`s2s_ssl`), so a subdomain with a `c2s_ssl` of its own gets the parent's `ssl` and not the parent's
 * `c2s_ssl` that writes over it (a reviewer's instrumented 0.12.3 run: TLS 1.1 negotiated for the subdomain only).
 */
function subdomainsTaking(config: ParsedConfig, t: TlsTable, f: TableField, name: string, pinned: boolean, line: ProsodyLine): Array<{ section: number; c: 'c2s' | 's2s'; allowed: string[] }> {
  if (t.section === 0 || t.option !== 'ssl' || t.sub !== undefined) return [];
  const out: Array<{ section: number; c: 'c2s' | 's2s'; allowed: string[] }> = [];
  for (const ch of childSections(config, t.section)) {
    if (surelyDormant(config, ch)) continue; // never activated: no context (a reviewer's instrumented run)
    for (const c of clientsConnect(config, { section: ch }) ? (['c2s', 's2s'] as const) : (['s2s'] as const)) {
      if (effectiveEntry(config, ch, c, line, 'protocol')?.range?.[0] !== f.range[0]) continue;
      if (!pinned && sectionTls12Only(config, ch, c, line)) continue;
      const allowed = pinned ? oldVersionsAllowed(name, undefined) : oldVersionsAllowed(name, effectiveFlags(config, ch, c, line, 'options'));
      if (allowed?.length) out.push({ section: ch, c, allowed });
    }
  }
  return out;
}

function subdomainFinding(config: ParsedConfig, t: TlsTable, f: TableField, name: string, pinned: boolean, subs: ReadonlyArray<{ section: number; c: 'c2s' | 's2s'; allowed: string[] }>, by: readonly string[], better: string | undefined): Finding {
  const allowed = OLD_VERSIONS.map((v) => v.label).filter((v) => subs.some((x) => x.allowed.includes(v)));
  const where = [...new Set(subs.map((x) => x.section))].map((sec) => {
    const kinds = subs.filter((x) => x.section === sec).map((x) => (x.c === 's2s' ? 'server-to-server' : 'client'));
    return `${sectionTitle(config.sections[sec]!)}'s ${kinds.join(' and ')} connections`;
  });
  const own = sectionTitle(config.sections[t.section]!);
  return {
    range: f.value.range,
    message: `\`protocol = "${name}"\` ${pinned ? 'pins' : 'allows'} ${allowed.join(' and ')} for ${andList(where)}, ${allowed.length === 1 ? 'a deprecated version' : 'deprecated versions'} with known weaknesses (RFC 8996): ${own}'s own connections take theirs from its ${andList(by.map((o) => `\`${o}\``))}, but a subdomain with ${by.length > 1 ? 'such a table' : `a \`${by[0]}\``} of its own takes this table and not that one (Prosody takes each table from the parent domain apart).${better ? ` Write \`"${better}"\`.` : ''}${pinned ? OPENSSL3_PINNED : OPENSSL3_ALLOWED}`,
    related: [...new Set(subs.map((x) => x.section))].slice(0, 5).map((sec) => ({ range: config.sections[sec]!.range, message: 'takes this table' })),
    fixes: better ? [replaceFix(f.value.range, luaString(better), `Change to "${better}"`)] : [],
  };
}

/**
 * Whether a direct-TLS or HTTPS port may listen: a direct-TLS service's ports set globally, `https_ports`, or a
 * `modules_enabled` (any section's) or a Component naming a module of Prosody's own that loads mod_http (or a
 * `modules_enabled` that cannot be read). A module of
 * another source that loads it is not known here.
 */
export function portsMayListen(config: ParsedConfig, line: ProsodyLine): boolean {
  if (servicesOnGlobalSsl(config, line, (sv) => sv.encrypted).length || inForce(config, 0, 'https_ports')) return true;
  const loads = getNetService('https')!.loadedBy!;
  if (config.sections.some((sec) => sec.module !== undefined && loads.includes(sec.module))) return true;
  // Any section's: mod_http serves every host once one loads it.
  return config.settings.some((e) => e.name === 'modules_enabled' && (e.conditional || e.value.kind !== 'table' || e.value.items.some((i) => i.kind !== 'string' || loads.includes(i.value))));
}

/**
 * What the global `ssl`'s protocol leaves the direct-TLS and HTTPS ports, which take that table as it is where no
 * service table writes a protocol, options or ciphers over it (which service reads which is not worked out here):
 * the old versions allowed there (none under TLS 1.2-only ciphers; undefined while a layer's flags are computed), and
 * whether SSL 3.0 is left. Undefined for any other table, or where a service table writes over it. Asked where
 * `c2s_ssl`/`s2s_ssl` keep some or all of them from STARTTLS (a reviewer's 0.12.3 runs: TLS 1.0 and 1.1 on those
 * ports, unreported or unnamed).
 */
function globalSslAtPorts(config: ParsedConfig, t: TlsTable, name: string, pinned: boolean, line: ProsodyLine): { allowed: string[] | undefined; ssl3: boolean } | undefined {
  if (t.section !== 0 || t.option !== 'ssl' || t.sub !== undefined || portTablesWrite(config, line, ['protocol', 'options', 'ciphers'])) return undefined;
  if (!pinned && onlyTls12Suites(config, t, 'port', line)) return { allowed: [], ssl3: false };
  const flags = pinned ? undefined : flagsFor(config, t, line, 'port');
  return { allowed: oldVersionsAllowed(name, flags), ssl3: flags !== undefined && sslv3Left(name, flags) };
}

/**
 * For a global port table (a direct-TLS or HTTPS service's, or its `[port]` table) writing no protocol: the `false`
 * entries that switch an old version back on over the tables portmanager puts beneath it (the global layers, the
 * service's table under a `[port]` one), where the protocol in force allows it (a reviewer's 0.12.3 runs:
 * `https_ssl = { options = { no_tlsv1 = false } }` over a global `no_tlsv1` took TLS 1.0 on HTTPS, unreported).
 */
function portBackOn(config: ParsedConfig, t: TlsTable, falses: readonly NameRef[], line: ProsodyLine): Array<{ r: NameRef; versions: string[]; protocol: string; where: string }> {
  const parents = portParents(config, t, line);
  if (!parents || onlyTls12Suites(config, t, 'port', line)) return [];
  const writer = [...parents].reverse().find((x) => liveField(x, 'protocol'));
  const written = writer && liveField(writer, 'protocol');
  let protocol: string | undefined;
  let where: string;
  if (written) {
    if (written.value.kind !== 'string') return [];
    protocol = written.value.value;
    where = `\`protocol = "${protocol}"\` (in \`${writer.option}\`)`;
  } else {
    const entry = effectiveEntry(config, 0, 'port', line, 'protocol');
    protocol = entry && entryString(entry);
    where = entry ? `\`protocol = "${protocol}"\` (${entry.range ? entry.from : entry.from === 'default' ? "Prosody's default" : entry.from.replace(' ', ' = ')})` : '';
  }
  if (protocol === undefined || !findValue('protocol', protocol)?.unsafe || pinsOld(protocol)) return [];
  const mine = flagsFor(config, t, line, 'port');
  const parent = parents.at(-1);
  const beneath = parent ? flagsFor(config, parent, line, 'port') : effectiveFlags(config, 0, 'port', line, 'options');
  const allowed = oldVersionsAllowed(protocol, mine);
  if (!allowed?.length || !beneath || !mine) return [];
  return falses.flatMap((r) => {
    if (!beneath.get(r.name) || mine.get(r.name)) return [];
    const versions = OLD_VERSIONS.filter((v) => flagDisables(r.name, v.version) && allowed.includes(v.label)).map((v) => v.label);
    return versions.length ? [{ r, versions, protocol: protocol!, where }] : [];
  });
}

/**
 * The `flag = false` entries of other tables that leave old versions on for these connections although a table
 * beneath switches them off (the layering's last word on the flag, over layers that had it on).
 */
function backOnEntries(config: ParsedConfig, t: TlsTable, contexts: readonly LayerContext[], allowed: readonly string[], line: ProsodyLine): Array<{ name: string; where: string; range: Range; versions: string[] }> {
  const out: Array<{ name: string; where: string; range: Range; versions: string[] }> = [];
  for (const c of contexts) {
    if (c === 'port') continue;
    for (const [name, set] of effectiveFlagsOff(config, t.section, c, line, 'options') ?? []) {
      if (!set.under || !set.range) continue;
      const versions = OLD_VERSIONS.filter((v) => flagDisables(name, v.version) && allowed.includes(v.label)).map((v) => v.label);
      const at = versions.length ? fieldAt(config, line, 'options', set.range) : undefined;
      if (!at || at.t.setting === t.setting) continue;
      const ref = nameRefs(at.f.value).find((r) => r.name === name && r.form === 'key' && !r.on);
      if (!ref || out.some((o) => o.range[0] === ref.range[0])) continue;
      const where = at.t.section === t.section ? `\`${at.t.option}\`` : `${sectionTitle(config.sections[at.t.section]!)}'s \`${at.t.option}\``;
      out.push({ name, where, range: ref.range, versions });
    }
  }
  return out;
}

/**
 * A table that writes no `protocol` but switches an old version back on (`no_tlsv1 = false`) that the tables beneath
 * switch off, where the protocol in force comes from another section (the global `ssl`) or Prosody: the loop above
 * judges that protocol where it is written, with that section's flags, and so never saw this host's (a reviewer:
 * a host's, a Component's, a subdomain's `no_tlsv1 = false` went unreported). 0.9 merges nothing.
 */
function switchedBackOn(ctx: RuleContext, config: ParsedConfig): Finding[] {
  if (ctx.line === '0.9') return [];
  const out: Finding[] = [];
  const level0Written = ctx.doc.getText().includes('SECLEVEL=0');
  for (const t of appliedTables(config, ctx.line)) {
    if (ctx.globalOnly && t.section !== 0) continue;
    const opts = liveField(t, 'options');
    const port = t.section === 0 && contextOf(t) === 'port';
    if ((t.sub !== undefined && !port) || liveField(t, 'protocol') || !opts || opts.value.kind !== 'table') continue;
    const falses = nameRefs(opts.value).filter((r) => r.form === 'key' && !r.on && !r.badMapValue && OLD_VERSIONS.some((v) => flagDisables(r.name, v.version)));
    if (!falses.length) continue;
    const found = new Map<NameRef, { versions: Set<string>; contexts: LayerContext[]; protocol: string; where: string }>();
    if (port) for (const p of portBackOn(config, t, falses, ctx.line)) found.set(p.r, { versions: new Set(p.versions), contexts: ['port'], protocol: p.protocol, where: p.where });
    for (const c of layerContextsOf(config, t)) {
      if (c === 'port' || onlyTls12Suites(config, t, c, ctx.line)) continue;
      const entry = effectiveEntry(config, t.section, c, ctx.line, 'protocol');
      if (!entry) continue;
      // A protocol written in this section is judged above, with these same flags.
      const at = fieldAt(config, ctx.line, 'protocol', entry.range);
      if (at && at.t.section === t.section && at.t.sub === undefined) continue;
      const protocol = entryString(entry);
      if (protocol === undefined || !findValue('protocol', protocol)?.unsafe || pinsOld(protocol)) continue;
      const allowed = oldVersionsAllowed(protocol, effectiveFlags(config, t.section, c, ctx.line, 'options'));
      const off = effectiveFlagsOff(config, t.section, c, ctx.line, 'options');
      if (!allowed?.length || !off) continue;
      for (const r of falses) {
        const set = off.get(r.name);
        // This entry is the one that switches it off last, over layers that had it on.
        if (!set || set.range?.[0] !== opts.range[0] || !set.under) continue;
        const versions = OLD_VERSIONS.filter((v) => flagDisables(r.name, v.version) && allowed.includes(v.label)).map((v) => v.label);
        if (!versions.length) continue;
        const where = entry.range ? `\`protocol = "${protocol}"\` (${entry.from})` : `\`protocol = "${protocol}"\` (${entry.from === 'default' ? "Prosody's default" : entry.from.replace(' ', ' = ')})`;
        const had = found.get(r);
        if (had) {
          had.contexts.push(c);
          versions.forEach((v) => had.versions.add(v));
        } else found.set(r, { versions: new Set(versions), contexts: [c], protocol, where });
      }
    }
    // (No OpenSSL 3 note where the ciphers in force lower the security level: old versions do work there.)
    const note = level0Written && secLevelZero(config, t, ctx.line) ? '' : OPENSSL3_ALLOWED;
    for (const [r, f] of found) {
      const versions = [...f.versions];
      const kinds = f.contexts[0] === 'port' ? `connections on the ports \`${t.sub !== undefined ? `${t.option}[${JSON.stringify(t.sub)}]` : t.option}\` serves` : `${f.contexts.map((c) => (c === 's2s' ? 'server-to-server' : 'client')).join(' and ')} connections`;
      out.push({
        range: r.range,
        message: `\`${r.name} = false\` switches ${andList(versions)} back on for ${kinds} here, which the tables beneath switch off: ${f.where} then allows ${versions.length > 1 ? 'them' : 'it'}, ${versions.length > 1 ? 'deprecated versions' : 'a deprecated version'} with known weaknesses (RFC 8996). Remove this entry.${note}`,
        fixes: [removeFix(ctx.doc.getText(), r.entry, `Remove ${r.name} = false`, true)],
      });
    }
  }
  return out;
}

/**
 * Why `verify = "none"` in this table overrides Prosody's own certificate checks (facts §1.2); undefined where it
 * does not. Completion asks it too, to mark "none" exactly where this rule fires.
 */
export function verifyNoneWhy(t: Pick<TlsTable, 'option' | 'section' | 'sub'>, line: ProsodyLine, config?: ParsedConfig): string | undefined {
  // A host's direct-TLS table (its SNI context) sets no verify (sni-setting-ignored).
  if (sniIgnored(t, 'verify', line)) return undefined;
  // A direct-TLS service whose module asks for peer certificates (s2s_direct_tls): its own table, per port,
  // sits above that; so does the global `ssl` where the service is on and has no table of its own.
  const split = splitServiceOption(t.option);
  if (split?.suffix === '_ssl' && split.service.sslConfig?.verify !== undefined) {
    // No port, no listener: the service has no default port (a reviewer's 0.12.3 log: "Activated service
    // 's2s_direct_tls' on no ports"), so its table does nothing.
    if (config && !split.service.defaultPorts?.length && inForce(config, 0, `${split.service.prefix}_ports`) === undefined) return undefined;
    return directTlsWhy(split.service);
  }
  if (t.option === 'ssl' && t.section === 0 && t.sub === undefined && config) {
    const [on] = servicesOnGlobalSsl(config, line, (sv) => sv.sslConfig?.verify !== undefined);
    if (on && compareVersions(NEWEST_RELEASE[line], '0.12.0') >= 0) return directTlsWhy(on, true);
  }
  if (t.sub !== undefined) return undefined;
  const s2sLayer = compareVersions(NEWEST_RELEASE[line], '0.12.0') >= 0;
  // client_https_ssl: Prosody layers `verify = "peer"` above it (util/startup.lua), so it cannot lower it.
  if (!(t.option === 's2s_ssl' || (t.option === 'ssl' && (t.section > 0 || !s2sLayer)))) return undefined;
  // An `s2s_ssl` above this `ssl` (the host's own, or the global one over the global `ssl`) sets `verify` again:
  // server connections never see this one.
  if (t.option === 'ssl' && config && s2sSetsVerify(config, t.section, line)) return undefined;
  const refused = config ? dialbackRefused(config) : '';
  return s2sLayer
    ? `It sits above Prosody's own s2s layer, which asks servers connecting ${t.section > 0 ? 'to this host' : 'here'} for their certificates: they can then authenticate only by dialback${refused}.`
    : `Before 0.12 nothing asks servers connecting here for their certificates again, so they can only be authenticated by dialback${refused}${t.option === 'ssl' ? ' (and clients are no longer asked for certificates)' : ''}.`;
}

/**
 * What dialback-only authentication costs where certificates are required: mod_s2s's check_auth_policy closes an
 * incoming stream that certificates did not authenticate ("Your server's certificate could not be validated") under
 * `s2s_secure_auth`, except for `s2s_insecure_domains`; with `s2s_secure_domains`, for those domains (a reviewer in a
 * real editor; mod_s2s.lua 0.12.3).
 */
function dialbackRefused(config: ParsedConfig): string {
  if (secureAuthEverywhere(config)) {
    return `, which \`s2s_secure_auth = true\` does not accept: Prosody turns every such server away ("Your server's certificate could not be validated")${exemptions(config) ? ', except the domains in `s2s_insecure_domains`' : ''}, so federation with it stops`;
  }
  const secure = inForce(config, 0, 's2s_secure_domains');
  return secure && !emptyTable(secure.value) ? ', which Prosody does not accept from the domains in `s2s_secure_domains`: it turns those servers away' : '';
}

/**
 * An `s2s_ssl` above the section's `ssl` gives server connections a `verify` of its own: the entry in force comes
 * from one, is not `nil`, and no `s2s_ssl` line layered for this section sits in an `if` (it may not run). Another
 * host's lines are not layered here (a reviewer: one in an `if` elsewhere turned this warning on).
 */
function s2sSetsVerify(config: ParsedConfig, section: number, line: ProsodyLine): boolean {
  const e = effectiveSettings(config, section, 's2s', line).find((x) => x.key === 'verify');
  if (e === undefined || !e.from.includes('s2s_ssl') || e.value === 'nil') return false;
  const layered = sectionsLayering(config, section, 's2s_ssl');
  return !config.settings.some((o) => o.name === 's2s_ssl' && o.conditional && layered.has(o.section));
}

function directTlsWhy(service: NetService, viaGlobal = false): string {
  const { prefix } = service;
  return `${viaGlobal ? `With \`${prefix}_ports\` set and no \`${prefix}_ssl\`, this table is the ${prefix} service's, and it` : 'It'} sits above that service's own \`verify = ${formatLua(service.sslConfig!.verify!)}\`: servers connecting on the direct-TLS port are no longer asked for their certificates and can authenticate only by dialback.`;
}

/** verify = "none" where it overrides Prosody's own certificate checks (facts §1.2). */
function verifyNoneFindings(ctx: RuleContext): Finding[] {
  const config = currentConfig(ctx);
  if (!config) return [];
  const out: Finding[] = [];
  for (const t of readTables(config, ctx.line)) {
    const f = liveField(t, 'verify');
    if (!f) continue;
    if (!isNone(f.value)) continue;
    const why = verifyNoneWhy(t, ctx.line, config);
    if (!why) {
      // Overridden for the host's own server connections by its `s2s_ssl`, it may still reach a subdomain's.
      const subs = subdomainsVerifying(config, t, f, ctx.line);
      if (subs.length) {
        out.push({
          range: f.value.range,
          message: `\`verify = "none"\` here stops Prosody asking servers connecting to ${andList(subs.map((sec) => sectionTitle(config.sections[sec]!)))} for their certificates: ${sectionTitle(config.sections[t.section]!)}'s own server connections take theirs from its \`s2s_ssl\`, but a subdomain with an \`s2s_ssl\` of its own takes this table and not that one (Prosody takes each table from the parent domain apart), so those servers can authenticate only by dialback. Remove the \`verify\` line to keep Prosody's default.`,
          related: subs.slice(0, 5).map((sec) => ({ range: config.sections[sec]!.range, message: 'takes this table' })),
          fixes: [removeKeyFix(ctx.doc.getText(), t, 'verify', 'Remove verify')],
        });
      }
      continue;
    }
    if (everyHostSetsOwn(ctx, config, t, f)) continue;
    const below = noneBeneath(config, t, ctx.line);
    const also = below.length ? ` The ${andList(below)} beneath it ${below.length > 1 ? 'say' : 'says'} "none" too: remove ${below.length > 1 ? 'those' : 'that'} as well, or the default does not come back.` : '';
    const said = f.value.kind === 'string' || (f.value.kind === 'table' && f.value.items.every((i) => i.kind === 'string' && i.value === 'none')) ? '`verify = "none"`' : 'A `verify` without `"peer"`';
    out.push({ range: f.value.range, message: `${said} here stops Prosody asking peers for certificates. ${why} Remove the \`verify\` line to keep Prosody's default.${also}`, fixes: [removeKeyFix(ctx.doc.getText(), t, 'verify', 'Remove verify')] });
  }
  return out;
}

/**
 * A global `c2s_ssl` or `s2s_ssl` field that no connection takes: every host (and, for `s2s_ssl`, Component) those
 * connections reach has a field of its own over it (mod_tls layers host `s2s_ssl` over host `ssl` over the global
 * `s2s_ssl`, and the same for `c2s_ssl`: a reviewer's 0.12.3 run still saw certificates requested under a global
 * `verify = "none"`, and a 0.11.9 run refused TLS 1.0 under a global `c2s_ssl = { protocol = "tlsv1+" }` and a host's
 * `tlsv1_2+`). Not where the file has no host, or Includes others (their hosts may take it), or a host's layer is
 * computed.
 */
function everyHostSetsOwn(ctx: RuleContext, config: ParsedConfig, t: TlsTable, f: TableField): boolean {
  if (t.section !== 0 || t.sub !== undefined || (t.option !== 'c2s_ssl' && t.option !== 's2s_ssl')) return false;
  return hostsWriteOver(ctx, config, f, t.option === 'c2s_ssl' ? 'c2s' : 's2s');
}

/** Every host (for `s2s`, and Component) those connections reach writes the field's key over this global field. */
function hostsWriteOver(ctx: RuleContext, config: ParsedConfig, f: TableField, c: 'c2s' | 's2s'): boolean {
  const key = f.key;
  if (typeof key !== 'string') return false;
  // Host by host, stopping at the first that takes it; whether a host is dormant is asked only of those (it is the
  // costly question: 57 ms a run at 50 000 lines when asked of every host first).
  let every = false;
  for (let i = 1; i < config.sections.length; i++) {
    if (c === 'c2s' && config.sections[i]!.kind !== 'host') continue;
    const e = effectiveEntry(config, i, c, ctx.line, key);
    if (e?.range !== undefined && e.range[0] !== f.range[0] && !opaqueLayer(config, i, ctx.line, c)) every = true;
    else if (!surelyDormant(config, i)) return false;
  }
  // (Asked last, and the text tokenised only where it names the word: a 50 000-line config's every keystroke paid
  // for a token array of the whole text, and the server's peak memory rose by 80 MB.)
  return every && !(/\b[Ii]nclude\b/.test(ctx.doc.getText()) && includeCalls(ctx.doc.getText()).length > 0);
}

// LuaSec ORs the flags; without SSL_VERIFY_PEER OpenSSL's server asks for no certificate and ignores `client_once`
// and `fail_if_no_peer_cert` (SSL_CTX_set_verify(3)): `{ "none", "client_once" }` is "none" (a reviewer).
const WITHOUT_PEER: ReadonlySet<string> = new Set(['none', 'client_once', 'fail_if_no_peer_cert']);
/**
 * Subdomains whose incoming server connections take this host `ssl`'s `verify` although the host's own do not (its
 * `s2s_ssl` sets one): mod_tls takes each table from the parent domain apart, so a subdomain with an `s2s_ssl` of its
 * own gets the parent's `ssl` and not the parent's `s2s_ssl` (a reviewer's instrumented 0.12.3 run: no certificate
 * request for the subdomain only).
 */
function subdomainsVerifying(config: ParsedConfig, t: TlsTable, f: TableField, line: ProsodyLine): number[] {
  if (line === '0.9' || t.section === 0 || t.option !== 'ssl' || t.sub !== undefined) return [];
  return childSections(config, t.section).filter((ch) => !surelyDormant(config, ch) && effectiveEntry(config, ch, 's2s', line, 'verify')?.range?.[0] === f.range[0]);
}

const isNone = (v: LuaValue): boolean => (v.kind === 'string' ? v.value === 'none' : v.kind === 'table' && !v.fields.length && v.items.length > 0 && v.items.every((i) => i.kind === 'string' && WITHOUT_PEER.has(i.value)));

/**
 * The tables under this one in server-to-server layering that also say `verify = "none"`: removing this line
 * alone brings theirs back, not Prosody's default (a reviewer's fix audit on 0.11). From 0.12 Prosody's own s2s
 * layer sits above the global `ssl`, so that one never comes back.
 */
function noneBeneath(config: ParsedConfig, t: TlsTable, line: ProsodyLine): string[] {
  // 0.9 takes a host's `ssl` whole, over the defaults alone: nothing is beneath it.
  if (line === '0.9') return [];
  const rank = (o: Pick<TlsTable, 'option' | 'section' | 'sub'>): number => (o.sub !== undefined ? 0 : o.section > 0 ? (o.option === 's2s_ssl' ? 4 : o.option === 'ssl' ? 3 : 0) : o.option === 's2s_ssl' ? 2 : o.option === 'ssl' ? 1 : 0);
  const floor = compareVersions(NEWEST_RELEASE[line], '0.12.0') >= 0 ? 2 : 1;
  const mine = rank(t);
  const beneath = readTables(config, line)
    .filter((o) => o !== t && rank(o) > 0 && rank(o) < mine && rank(o) >= floor && (o.section === 0 || o.section === t.section))
    .sort((a, b) => rank(b) - rank(a));
  // From the nearest down: each "none" comes back in turn, until a table that sets another `verify` (a reviewer).
  const names: string[] = [];
  for (const o of beneath) {
    const f = liveField(o, 'verify');
    if (!f) continue;
    if (!isNone(f.value)) break;
    names.push(`${o.section > 0 ? "host's" : 'global'} \`${o.option}\``);
  }
  return names;
}

/** A flag that shares its bits with every TLS version's (`no_ssl_mask`): no version is left, whatever the protocol. */
const everyVersionOff = (v: CatalogValue | undefined): boolean => !!v && ['no_tlsv1_2', 'no_tlsv1_3'].every((x) => v.sharesBitsWith?.includes(x));

function unsafeOptionFindings(ctx: RuleContext): Finding[] {
  // A flag that also sets no_tlsv1's bit (no_dtls_mask): removed, TLS 1.0 may come back; no_tlsv1 keeps that half.
  // Not for one that switches every version off: there the old versions' bits are not a half worth keeping.
  const keep = (v: CatalogValue): string | undefined => (v.sharesBitsWith?.includes('no_tlsv1') && !everyVersionOff(v) ? 'no_tlsv1' : undefined);
  const message = (name: string, why: string, instead?: string): string =>
    everyVersionOff(findValue('options', name))
      ? `\`${name}\` switches off every SSL/TLS version: OpenSSL has none left to offer, so every TLS handshake fails ("no protocols available"), though Prosody starts. Remove it; to allow only current versions, write \`protocol = "tlsv1_2+"\`.`
      : `\`${name}\` weakens TLS. ${why} ${instead ? `Write \`${instead}\` instead: it switches TLS 1.0 off as \`${name}\` does, without touching TLS 1.2.` : 'Remove it.'}`;
  // A client-side flag in a table that builds server contexts only does nothing there: noop-option says so.
  // Every handshake fails: an Error where the stack surely honours the flag (0.12+: LuaSec 0.9+ on OpenSSL 1.1.1+; older
  // LuaSec on OpenSSL 1.0.x pinned a version with a method that ignores the `no_` flags). Review 140.
  const modern = compareVersions(NEWEST_RELEASE[ctx.line], '0.12.0') >= 0;
  return markedFlagFindings(ctx, (v, t) => (v.clientSide && serverOnlyTable(t.option) ? undefined : v.unsafe), message, keep, (v) => (modern && everyVersionOff(v) ? DiagnosticSeverity.Error : undefined));
}

/**
 * False for a line Prosody never reads: a later one of the same name in its section overrides it, or it is a
 * deprecated name whose replacement is set for that section (mod_tls reads `c2s_require_encryption` first and
 * falls back to `require_encryption` only when the new name is set nowhere, host or global).
 */
function readByProsody(config: ParsedConfig, s: Setting, line: ProsodyLine): boolean {
  // On lines that read `new or old` the new name is read first even before the old one is deprecated (0.9).
  const dep = getOption(s.name)?.deprecated;
  const through = readsThroughFalse(dep, line);
  return whyUnread(config, s, deprecatedOn(dep, line)?.replacement ?? (through ? dep?.replacement : undefined), through) === undefined;
}

/**
 * mod_tls (every release examined, 0.9-era to 13.0) turns its `s2s_require_encryption = false` back to true, with a
 * warning in the log, where `s2s_secure_auth` is on: read per host, the host's own value else the global one; and
 * mod_s2s then closes unauthenticated (so unencrypted) sessions. True when that holds for sure for every host the
 * line reaches (the global line, the only one judged: no host may set s2s_secure_auth itself) and no domain is
 * exempted.
 */
function secureAuthForces(config: ParsedConfig): boolean {
  // mod_s2s reads its own s2s_require_encryption, never forced: with secure auth it still lets domains listed in
  // s2s_insecure_domains connect unencrypted when this is false. Any such list (or one we cannot read) keeps the warning.
  return secureAuthEverywhere(config) && !exemptions(config);
}

/** The global `s2s_secure_auth = true`, with no host setting its own. */
function secureAuthEverywhere(config: ParsedConfig): boolean {
  return setTrue(config, 0, 's2s_secure_auth') && !config.settings.some((o) => o.section > 0 && o.name === 's2s_secure_auth');
}

/** An `s2s_insecure_domains` that may name domains (a non-empty or unreadable one). */
function exemptions(config: ParsedConfig): boolean {
  return config.settings.some((o) => o.name === 's2s_insecure_domains' && !emptyTable(o.value));
}

/**
 * mod_saslauth offers and accepts no mechanism on an unencrypted session while `c2s_require_encryption` is on, so
 * `allow_unencrypted_plain_auth` then changes nothing: for a host, its own value (else the global one, else
 * `require_encryption`, else the line's default); for the global line, every host's.
 */
function plainAuthMoot(config: ParsedConfig, section: number, line: ProsodyLine): boolean {
  const required = (sec: number): boolean => c2sEncryptionRequired(config, sec, line) === true;
  return section > 0 ? required(section) : required(0) && config.sections.every((_, i) => i === 0 || !clientsConnect(config, { section: i }) || required(i));
}


/** The option mod_saslauth reads, then the older names it falls back to (catalog: deprecated → replacement). */
const C2S_ENCRYPTION = ['c2s_require_encryption', ...configOptions.filter((o) => o.deprecated?.replacement === 'c2s_require_encryption').map((o) => o.name)];
/** Options only client sessions read (mod_c2s, mod_saslauth). */
const C2S_ONLY: ReadonlySet<string> = new Set([...C2S_ENCRYPTION, 'allow_unencrypted_plain_auth']);

/** mod_saslauth's `c2s_require_encryption` (falling back to `require_encryption`) for a section; undefined: unknown. */
function c2sEncryptionRequired(config: ParsedConfig, section: number, line: ProsodyLine): boolean | undefined {
  for (const name of C2S_ENCRYPTION) {
    for (const sec of section > 0 ? [section, 0] : [0]) {
      const s = inForce(config, sec, name);
      if (!s) continue;
      return !s.conditional && s.value.kind === 'boolean' ? s.value.value : undefined;
    }
  }
  return getOption('c2s_require_encryption')?.defaults?.[line] === true;
}

/** Options set to the value the catalog marks as weakening security (`unsafeValue`). */
function boolFindings(ctx: RuleContext): Finding[] {
  const config = currentConfig(ctx);
  if (!config) return [];
  const out: Finding[] = [];
  for (const s of config.settings) {
    const bad = atUnsafeValue(s);
    if (!bad) continue;
    if (!readByProsody(config, s, ctx.line)) continue; // a dead line weakens nothing (deprecated-option says so)
    // mod_s2s is a global module: it reads this once for the whole server and closes unencrypted server sessions
    // of every host by that value. Per host, mod_tls only leaves `<required/>` out of its STARTTLS offer.
    if (s.name === 's2s_require_encryption' && (s.section > 0 || secureAuthForces(config))) continue;
    if (s.name === 'allow_unencrypted_plain_auth' && plainAuthMoot(config, s.section, ctx.line)) continue;
    // No client reaches a Component (it loads neither mod_c2s nor mod_saslauth): its client settings do nothing (a
    // reviewer's 0.12.3 run: "This server does not serve conf.example.com").
    if (C2S_ONLY.has(s.name) && !clientsConnect(config, s)) continue;
    const range: Range = s.value.range;
    // Not preferred: the message names setups where the value is deliberate (a trusted local link, as Jitsi has).
    // With secure auth everywhere, mod_s2s closes unencrypted sessions of every domain but the exempted ones.
    const onlyExempted = s.name === 's2s_require_encryption' && secureAuthEverywhere(config) ? ' (With `s2s_secure_auth = true` this holds only for the domains listed in `s2s_insecure_domains`.)' : '';
    out.push({ range, message: `\`${s.name} = ${bad.value}\` ${bad.why}${onlyExempted} ${bad.instead}`, fixes: [safeValueFix(config, s, !bad.value, ctx.line)] });
  }
  return out;
}

/**
 * "Change to true", under the current name where the line's is deprecated (the message asks for that name; a fix that
 * kept the old one would leave deprecated-option to report the line again). Not where the section already sets the
 * current name: renaming would write it twice.
 */
function safeValueFix(config: ParsedConfig, s: Setting, value: boolean, line: ProsodyLine): Fix {
  const to = deprecatedOn(getOption(s.name)?.deprecated, line)?.replacement;
  if (!to || config.settings.some((o) => o.section === s.section && o.name === to)) return replaceFix(s.value.range, String(value), `Change to ${value}`, false);
  return { title: `Change to \`${to} = ${value}\``, preferred: false, edits: [{ range: s.nameRange, newText: to }, { range: s.value.range, newText: String(value) }] };
}

/**
 * A global line set to its insecure value: whether it is reported reads the hosts (`allow_unencrypted_plain_auth` is
 * moot only where every host requires encryption; `s2s_require_encryption = false` is forced back where no host
 * sets its own `s2s_secure_auth`).
 */
function globalUnsafeValue(s: Setting): boolean {
  return s.section === 0 && atUnsafeValue(s) !== undefined;
}

/** The catalog's `unsafeValue` of a line written outside an `if` as that literal value; else undefined. */
function atUnsafeValue(s: Setting): NonNullable<ConfigOption['unsafeValue']> | undefined {
  const bad = getOption(s.name)?.unsafeValue;
  return bad && !s.conditional && s.value.kind === 'boolean' && s.value.value === bad.value ? bad : undefined;
}

/**
 * A global table with a protocol that may allow TLS 1.0 or 1.1 (pinned or not): its finding asks whether hosts set
 * ciphers (presetCiphered, onlyTls12Suites), and so does the `tls_profile` one under a pinned table.
 */
function globalOldProtocol(s: Setting): boolean {
  return s.section === 0 && getOption(s.name)?.kind === 'ssl-table' && oldProtocolIn(s.value);
}

/** A table literal (or a `[port]` one in it) writing a protocol that may allow TLS 1.0 or 1.1. */
function oldProtocolIn(v: LuaValue): boolean {
  return v.kind === 'table' && v.fields.some((f) => (f.key === 'protocol' && f.value.kind === 'string' && !!findValue('protocol', f.value.value)?.unsafe) || (f.bracket && oldProtocolIn(f.value)));
}

const W = DiagnosticSeverity.Warning;

/** "`a = false`, `b = true` and `c = true`", from the catalog. */
function insecureValues(): string {
  return andList(configOptions.filter((o) => o.unsafeValue).map((o) => `\`${o.name} = ${o.unsafeValue!.value}\``));
}

export const unsafeRules: readonly Rule[] = [
  {
    id: 'unsafe-protocol', category: 'unsafe', severity: W,
    // Only global findings read the hosts: a global table's old protocol (whether hosts write ciphers of their own),
    // one without `protocol` before 0.12 (whether hosts write one), and the `tls_profile` finding (the hosts' ciphers;
    // a reviewer's fuzzer: a host's `ciphers = "HIGH"` left `tls_profile = "old"` unsaid). A host's read its own.
    readsOtherChunks: globalVerdict((global, line) => (global.settings.some((s) => globalOldProtocol(s) || unsafeProfileLine(s)) || globalSslWithoutProtocol(global, line) !== undefined) && 'global'),
    title: 'Protocol allows TLS 1.0 or TLS 1.1',
    description: 'TLS 1.0 and 1.1 are deprecated (RFC 8996). `tlsv1`/`tlsv1_1` pin them; `tlsv1+`, `tlsv1_1+`, `sslv23`, `any` and the `old`/`legacy` profiles allow them unless the options in force (after merging every layer) switch them off, or the ciphers in force name TLS 1.2 suites only (from 0.12 the default `intermediate` preset\'s do, so a `protocol = "tlsv1+"` under it is not reported: no older handshake finds a suite). A protocol is judged for the connections that take it: a host\'s `ssl` under its own `c2s_ssl` is judged for server-to-server connections only (and, under both its `c2s_ssl` and `s2s_ssl`, for the subdomains that take it with a `c2s_ssl` or `s2s_ssl` of their own, as Prosody takes each table from the parent domain apart), and a global `ssl` whose protocol or old versions both `c2s_ssl` and `s2s_ssl` override for the direct-TLS and HTTPS ports; a `tls_profile` preset for each kind of connection; a global `[port]` table only where a direct-TLS or HTTPS service may listen on that port (mod_tls never reads it); a global `c2s_ssl` or `s2s_ssl` not where every host those connections reach writes a protocol over it (unless the file Includes others, whose hosts may take it); a global `ssl` whose protocol every host writes over, for the direct-TLS and HTTPS ports alone, and not at all where none may listen (no direct-TLS ports or `https_ports` set, and no module of Prosody\'s own that loads mod_http enabled). Write `tlsv1_2+`. On 0.10 and 0.11, which have no `tls_profile`, a global `ssl` that writes no `protocol` is reported where hosts take Prosody\'s default `"tlsv1+"` with TLS 1.0 and 1.1 left on, and on the direct-TLS and HTTPS ports it reaches where one may listen; with no global `ssl` at all, each host\'s own `ssl` that writes none. On 0.9, which takes one table whole (the host\'s own, else its parent domain\'s, else the global one) and fills what it leaves out from its defaults, each such table that writes no `protocol` gets `"sslv23"`: reported where its own `options` leave TLS 1.0 or 1.1 on, with `tlsv1_2` to write (0.9 has no `+` forms). A table that writes no `protocol` but switches TLS 1.0 or 1.1 back on over tables that switch it off (`no_tlsv1 = false` in a host\'s `ssl`, or in a direct-TLS or HTTPS service\'s table or its `[port]` table) is reported on that entry; one in a `c2s_ssl` over the same section\'s `ssl` is named in the protocol\'s finding. From 0.12 a pinned TLS 1.0 or 1.1 under the `intermediate` preset\'s ciphers (TLS 1.2 suites only) breaks the STARTTLS handshakes it governs, and the message says so. OpenSSL 3.0 and later refuse TLS 1.0 and 1.1 unless its security level is 0 (`@SECLEVEL=0` in the ciphers, or in the system\'s openssl.cnf); the messages say that too, as servers on older OpenSSL releases still negotiate them.',
    check: protocolFindings,
  },
  {
    id: 'verify-none-s2s', category: 'unsafe', severity: W,
    // A global `s2s_ssl`'s verdict depends on whether every host sets its own `verify` over it.
    readsOtherChunks: globalVerdict((global) => global.settings.some((o) => o.name === 's2s_ssl')),
    title: 'verify = "none" where it disables peer verification',
    description: 'From 0.12 Prosody asks remote servers for certificates in its own s2s layer, which a host `ssl` or any `s2s_ssl` table overrides — the global `ssl` does not. Before 0.12 a `verify = "none"` in any table that reaches s2s stops certificate requests to servers that connect. (In `client_https_ssl` it changes nothing: Prosody always verifies its outgoing HTTPS.) A host\'s `ssl` under its own `s2s_ssl` is judged for the subdomains that take it with an `s2s_ssl` of their own (Prosody takes each table from the parent domain apart). Not reported: a global `s2s_ssl` under which every host sets a `verify` of its own, and `s2s_direct_tls_ssl` while `s2s_direct_tls_ports` is unset (the service then listens nowhere).',
    check: verifyNoneFindings,
  },
  {
    id: 'unsafe-option', category: 'unsafe', severity: W,
    title: 'Option flag that weakens TLS',
    description: 'Flags such as `allow_unsafe_legacy_renegotiation`, `legacy_server_connect`, `no_encrypt_then_mac` weaken the protocol; `no_dtlsv1_2`/`no_dtls_mask` share bits with `no_tlsv1_2` and silently disable TLS 1.2; `no_ssl_mask` disables every version, so every handshake fails (an Error from 0.12, whose LuaSec and OpenSSL surely honour it). `legacy_server_connect` counts only where Prosody connects out (`ssl`, `s2s_ssl`, `client_https_ssl`); elsewhere noop-option reports it.',
    check: unsafeOptionFindings,
  },
  {
    id: 'insecure-setting', category: 'unsafe', severity: W,
    readsOtherChunks: globalVerdict((global) => global.settings.some(globalUnsafeValue)),
    title: 'Encryption not required or plain-text passwords allowed',
    description: `${insecureValues()} each let secrets cross the network readable or leaky.`,
    check: boolFindings,
  },
];
