// Cipher-string rules: what OpenSSL 3.0 makes of `ciphers` (and `ciphersuites`), evaluated by our
// engine exactly as OpenSSL does. Words that select nothing are ignored by OpenSSL, so most of these
// are warnings about intent; only a string that selects nothing stops the TLS context.

import { DiagnosticSeverity, DiagnosticTag } from 'vscode-languageserver-types';
import { compareVersions, FORWARD_SECRET_CIPHERS, getOption, getProfile, getSslKey, lineInRange, NEWEST_RELEASE, type ProsodyLine } from '../catalog';
import { classify, EXCLUSION, REFUSED_FROM_SECLEVEL_1, secLevelBits, serverUsable, usableWeaknesses, type WeakReason } from '../ciphers/classify';
import { MKEY_PSK } from '../ciphers/bits';
import { findTls12ByStdName, legacyInfo, TLS13_SUITES } from '../ciphers';
import type { EvaluateResult } from '../ciphers/evaluate';
import { cipherSource, evaluateInput, evaluateSource, type CipherSource } from '../ciphers/inDocument';
import { ChunkMemo } from '../model/chunkMemo';
import type { ChunkEntry } from '../model/chunkedParse';
import type { ConfigDocument } from '../model/document';
import type { TlsTable } from '../model/tls';
import type { ParsedConfig } from '../model/parse';
import { childSections, effectiveEntry, effectiveSettings, entryString, entryStrings, opaqueLayer, parentSections, profileInForce } from '../model/layering';
import { segmentAround } from '../model/segments';
import { getField, type LuaValue, type Range, type TableField } from '../model/values';
import { appliedTables, flagsFor, layerContextsOf, liveField, nextListEntry, portParents, readTables, removalRange, sniContextLost, sniIgnored } from './helpers';
import { allowedBy } from './protocolLeft';
import { KEY_IN_CIPHERS, looksLikeKeyMaterial } from '../model/secrets';
import type { Finding, Fix, Rule, RuleContext } from './types';

const TLS13_NAMES = new Set(TLS13_SUITES.map((s) => s.stdName));

interface CipherField {
  readonly table: TlsTable;
  readonly field: TableField;
  readonly src: CipherSource;
}

/** Every literal `ciphers` / `ciphersuites` value in the config, with its engine input. */
function cipherFields(ctx: RuleContext, key: 'ciphers' | 'ciphersuites', tables: typeof readTables = readTables): CipherField[] {
  const { model, line } = ctx;
  if (!model.configIsCurrent || !model.config) return [];
  const listSince = getSslKey(key)?.shapeSince?.['list'];
  const listsJoined = !listSince || lineInRange(line, { since: listSince });
  const out: CipherField[] = [];
  for (const table of tables(model.config, line)) {
    const field = getField(table.table, key);
    if (!field || field.bracket) continue;
    const src = cipherSource(field.value, model.text, listsJoined);
    if (src) out.push({ table, field, src });
  }
  return out;
}

/**
 * The `ciphers` fields that reach a context (not those of a host's SNI context that takes its ciphers from the port,
 * 13.0: appliedTables): where a word that selects nothing changes what a handshake offers.
 */
function appliedCipherFields(ctx: RuleContext): ReadonlySet<TableField> {
  return new Set(cipherFields(ctx, 'ciphers', appliedTables).map((cf) => cf.field));
}

/**
 * Every literal `ciphers` value with the engine's verdict on it (memoised per string). `used`: only those a
 * handshake can use, i.e. not where TLS 1.3 alone is allowed (its suites come from `ciphersuites`), so that the
 * rules about which TLS 1.2 suites a string offers say nothing there. A string OpenSSL refuses fails either way.
 */
function evaluatedCiphers(ctx: RuleContext, used = false): Array<{ cf: CipherField; r: EvaluateResult }> {
  const out: Array<{ cf: CipherField; r: EvaluateResult }> = [];
  // (A host's SNI context that takes its ciphers from the port uses none of its own: appliedTables.)
  for (const cf of cipherFields(ctx, 'ciphers', used ? appliedTables : readTables)) {
    if (ctx.globalOnly && cf.table.section !== 0) continue;
    if (used && onlyTls13(ctx, cf.table)) continue;
    const r = evaluateSource(cf.src);
    if (r) out.push({ cf, r });
  }
  return out;
}

/**
 * `cipher_server_preference` is on where the table applies (its own options over the layering of its section), or
 * unknown (a computed layer): then the server's order may be the one used.
 */
function serverOrder(ctx: RuleContext, t: TlsTable): boolean {
  const config = ctx.model.config;
  const flags = config && flagsFor(config, t, ctx.line);
  if (!flags) return true;
  return flags.get('cipher_server_preference') === true;
}

/**
 * Whether DH parameters may be in force where the table applies (its own `dhparam`, or one a layer beneath writes,
 * 13.0's presets included): without them OpenSSL never picks a DHE suite. True where a layer is computed.
 */
function dheParams(ctx: RuleContext, t: TlsTable): boolean {
  // Three rules ask per cipher field: once per table and line.
  let byLine = dheMemo.get(t);
  if (!byLine) dheMemo.set(t, (byLine = new Map()));
  let v = byLine.get(ctx.line);
  if (v === undefined) byLine.set(ctx.line, (v = dheParamsOf(ctx, t)));
  return v;
}

const dheMemo = new WeakMap<TlsTable, Map<ProsodyLine, boolean>>();

function dheParamsOf(ctx: RuleContext, t: TlsTable): boolean {
  const config = ctx.model.config;
  if (!config || getField(t.table, 'dhparam')) return true;
  // A global table also serves hosts whose own tables may write one: any `dhparam` written keeps DHE (no false alarm).
  if (t.section === 0 && readTables(config, ctx.line).some((o) => getField(o.table, 'dhparam'))) return true;
  return layerContextsOf(config, t).some((c) => {
    const parents = c === 'port' ? portParents(config, t, ctx.line) : [];
    if (!parents || opaqueLayer(config, t.section, ctx.line, c) || parents.some((p) => getField(p.table, 'dhparam'))) return true;
    const e = effectiveEntry(config, t.section, c, ctx.line, 'dhparam');
    return e !== undefined && e.value !== 'nil' && e.value !== 'false';
  });
}

/**
 * The static-RSA suites a handshake can use that no other cipher rule reports as weak (at `@SECLEVEL=3` and up OpenSSL
 * refuses them itself: serverUsable).
 */
function staticRsaSuites(r: EvaluateResult, dhe: boolean): EvaluateResult['suites'] {
  return r.suites.filter((x) => classify(x).staticRsa && !classify(x).weak.length && serverUsable(x, r.seclevel, dhe));
}

/**
 * A `protocol` written under a `tls_profile` preset that opens TLS 1.2 to the preset's ciphers, where those give static
 * RSA: `modern`'s `ciphers = "DEFAULT"` (meant for TLS 1.3 only; a reviewer's 13.0.1 run under `protocol =
 * "tlsv1_2+"` accepted AES128-GCM-SHA256 and AES128-SHA) or `old`'s list. The preset's string is written nowhere, so
 * the finding goes on the protocol that makes it count. Not where the table or a layer writes `ciphers` of its own.
 */
function presetCipherFindings(ctx: RuleContext): Finding[] {
  const config = ctx.model.config;
  const profile = profileInForce(config);
  if (!config || compareVersions(NEWEST_RELEASE[ctx.line], '0.12.0') < 0 || !getProfile(profile.name) || (profile.setting && profile.setting.value.kind !== 'string')) return [];
  // Only a preset whose own protocol leaves TLS 1.2 out (`modern`): under `old` TLS 1.2 is open already, and a
  // protocol that narrows the versions adds no suite (a reviewer).
  const presetProtocol = getProfile(profile.name)?.sets[ctx.line]?.protocol;
  if (typeof presetProtocol !== 'string' || allowedBy(presetProtocol, ctx.line)?.includes('tlsv1_2') !== false) return [];
  const out: Finding[] = [];
  for (const t of appliedTables(config, ctx.line)) {
    const f = liveField(t, 'protocol');
    if (!f || f.value.kind !== 'string' || !allowedBy(f.value.value, ctx.line)?.includes('tlsv1_2') || liveField(t, 'ciphers')) continue;
    const contexts = layerContextsOf(config, t).filter((c) => {
      if (opaqueLayer(config, t.section, ctx.line, c)) return false;
      const protocol = c === 'port' ? undefined : effectiveEntry(config, t.section, c, ctx.line, 'protocol');
      const ciphers = effectiveEntry(config, t.section, c, ctx.line, 'ciphers');
      return (protocol === undefined || protocol.range?.[0] === f.range[0]) && ciphers?.from.startsWith('tls_profile') === true;
    });
    const c = contexts[0];
    if (!c) continue;
    const entry = effectiveEntry(config, t.section, c, ctx.line, 'ciphers')!;
    const input = entryString(entry) ?? entryStrings(entry);
    const r = input === undefined ? undefined : evaluateInput(input);
    if (!r || r.error) continue;
    const rsa = staticRsaSuites(r, dheParams(ctx, t));
    if (!rsa.length) continue;
    const shown = Array.isArray(input) ? 'TLS 1.2 cipher list' : `\`ciphers = ${JSON.stringify(input)}\``;
    out.push({
      range: f.value.range,
      message: `Under \`tls_profile = "${profile.name}"\` this protocol opens TLS 1.2 to the preset's ${shown}, which enables ${plural(rsa.length, 'static-RSA suite')} without forward secrecy (${rsa.slice(0, 3).map((x) => x.name).join(', ')}${rsa.length > 3 ? ', …' : ''}). Use \`tls_profile = "intermediate"\`, whose TLS 1.2 suites are all forward-secret, or write \`ciphers\` of your own${profile.name === 'modern' ? ' (the modern preset means TLS 1.3 only)' : ''}.`,
    });
  }
  return out;
}

const TLS13_ONLY = new Set(['tlsv1_3', 'tlsv1_3+']);

/** A `protocol` that leaves TLS 1.3 alone (no older version's suites are ever used). */
export const tls13OnlyProtocol = (protocol: string): boolean => TLS13_ONLY.has(protocol);

/**
 * The table allows TLS 1.3 only: no table in the config writes a protocol that allows more (a more specific layer
 * would reopen TLS 1.2 with these ciphers), and where the table applies the protocol in force is one of those written
 * (its own, or a table layered with it: a reviewer's 0.12.3 run of a host's direct-TLS ciphers under a port's
 * `protocol = "tlsv1_3"`) or (0.12+) the profile's (`modern`). `t` as it applies: a host's SNI context takes its
 * protocol from the port. The global `ssl` also reaches every direct-TLS port, whatever table the port has
 * (certmanager applies it to every context), and outgoing HTTPS: it counts only with a protocol of its own (a
 * reviewer's 0.12.3 run: TLS 1.2 with its ciphers on port 5223 under STARTTLS tables saying `tlsv1_3`).
 */
function onlyTls13(ctx: RuleContext, t: TlsTable): boolean {
  const config = ctx.model.config;
  if (!config || !writtenTls13Only(config, ctx.line, t.section)) return false;
  if (getField(t.table, 'protocol')) return true;
  if (compareVersions(NEWEST_RELEASE[ctx.line], '0.12.0') >= 0 && presetTls13Only(profileInForce(config).name, ctx.line)) return true;
  if (t.section === 0 && t.option === 'ssl') return false;
  return layerContextsOf(config, t).every((c) => {
    const parents = c === 'port' ? portParents(config, t, ctx.line) : [];
    // A computed layer may write any protocol.
    if (!parents || opaqueLayer(config, t.section, ctx.line, c)) return false;
    return parents.some((p) => getField(p.table, 'protocol')) || effectiveSettings(config, t.section, c, ctx.line).find((e) => e.key === 'protocol')?.range !== undefined;
  });
}

/** The profile's preset, on this line, writes a protocol that allows TLS 1.3 alone (`modern`). */
function presetTls13Only(profile: string, line: ProsodyLine): boolean {
  const p = getProfile(profile)?.sets[line]?.protocol;
  return typeof p === 'string' && TLS13_ONLY.has(p);
}

// Asked per cipher field: one scan of the tables per config, line and section, not one per field.
const tls13Written = new WeakMap<ParsedConfig, Map<string, boolean>>();
/**
 * Every `protocol` the tables in force that can layer with a table of this section write is a TLS 1.3-only string
 * (true when none writes one): for the global section every table's, for a host only the global tables, its own and
 * its parent and child domains' (another host's never reach its connections). So a host's verdict reads no other host
 * chunk, and the global one's is worked out again after a host edit (readsOtherChunks 'global').
 */
function writtenTls13Only(config: ParsedConfig, line: ProsodyLine, section: number): boolean {
  let bySection = tls13Written.get(config);
  if (!bySection) tls13Written.set(config, (bySection = new Map()));
  const key = `${line}\0${section}`;
  let v = bySection.get(key);
  if (v === undefined) {
    const near = section === 0 ? undefined : new Set([0, section, ...parentSections(config, section), ...childSections(config, section)]);
    // A host's SNI context takes the port's protocol: its own says nothing (a reviewer).
    v = appliedTables(config, line).every((x) => {
      if (near && !near.has(x.section)) return true;
      const p = getField(x.table, 'protocol');
      return !p || (p.value.kind === 'string' && TLS13_ONLY.has(p.value.value));
    });
    bySection.set(key, v);
  }
  return v;
}

/**
 * The parts (list items, or the one string) holding a pasted key or certificate: reported once each without quoting
 * them, and their pieces never word by word.
 */
function keyParts(cf: CipherField): ReadonlySet<number> {
  const out = new Set<number>();
  cf.src.parts.forEach((p, i) => {
    if (looksLikeKeyMaterial(p.value)) out.add(i);
  });
  return out;
}

/**
 * Weaknesses OpenSSL's security level never lets a handshake use from level 1 up (its default; Debian sets 2):
 * unauthenticated and MD5 suites are refused outright, and NULL, EXPORT and DES fall below the 80-bit minimum
 * (ssl_security_default_callback). A string selects them, but only `@SECLEVEL=0` makes them usable.
 */

/** Why DHE suites are unusable: LuaSec sets DH parameters only from `dhparam`. */
const NO_DHPARAM = 'DHE: no `dhparam` in force';

/**
 * The fix that writes the catalog's forward-secret suites in place of the value (not preferred: it changes which suites
 * are offered). A security level the admin raised (or set at 1) is kept: dropped, it fell back to OpenSSL's default and
 * let in what the level kept out (review 140: a real 0.12.3 accepted an AES-128 suite that `@SECLEVEL=4` had refused).
 * `@SECLEVEL=0` is not carried into a string meant to be safe.
 */
function replaceWithFsAead(cf: CipherField): Fix {
  const text = typeof cf.src.input === 'string' ? cf.src.input : cf.src.input.join(':');
  const level = [...text.matchAll(/@SECLEVEL=(\d+)/gi)].at(-1)?.[1];
  const value = level !== undefined && Number(level) > 0 ? `${FORWARD_SECRET_CIPHERS}:@SECLEVEL=${Number(level)}` : FORWARD_SECRET_CIPHERS;
  return { title: `Replace with "${value}"`, edits: [{ range: cf.field.value.range, newText: JSON.stringify(value) }] };
}

/**
 * How to exclude `addition` from a cipher string: append it, when what is left still selects a suite;
 * else (every suite it selects is one to exclude) replace the string, since `…:!kRSA` would select nothing
 * and LuaSec would then fail to create the TLS context.
 */
function exclusionAdvice(doc: string, cf: CipherField, addition: string, count: number, dhe: boolean): { text: string; fixes: Finding['fixes'] } {
  const them = count === 1 ? 'it' : 'them';
  const { input, parts } = cf.src;
  const left = evaluateInput(typeof input === 'string' ? `${input}:${addition}` : [...input, addition]);
  if (!left || left.error || !left.suites.length) {
    return {
      text: `Every suite it selects is one of ${them}, so excluding ${them} would leave none (and no TLS): name forward-secret suites instead, e.g. "${FORWARD_SECRET_CIPHERS}".`,
      fixes: [replaceWithFsAead(cf)],
    };
  }
  // What is left may be suites the server never picks (`RSA:ADH` less kRSA; a reviewer): no TLS 1.2 either.
  if (!left.suites.some((x) => serverUsable(x, left.seclevel, dhe))) {
    return {
      text: `Excluding ${them} would leave only suites the server never uses (no TLS 1.2): name forward-secret suites instead, e.g. "${FORWARD_SECRET_CIPHERS}".`,
      fixes: [replaceWithFsAead(cf)],
    };
  }
  const last = parts[parts.length - 1]!;
  const [, ce] = last.contentRange;
  if (parts.length > 1) return { text: `Exclude ${them}: add "${addition}" to the list.`, fixes: [{ title: `Add ${addition} to the list`, edits: [{ range: [last.range[1], last.range[1]], newText: `, ${nextListEntry(doc, parts, JSON.stringify(addition))}` }], preferred: true }] };
  return { text: `Exclude ${them}: append ":${addition}".`, fixes: [{ title: `Append :${addition}`, edits: [{ range: [ce, ce], newText: `:${addition}` }], preferred: true }] };
}

/** The `+`-joined term a word stands in (`EECDH+aRSA+RC4`), when it is one; undefined for a word on its own. */
function compoundTerm(cf: CipherField, w: { word: string; offset: number; part?: number }): string | undefined {
  const text = cf.src.parts[w.part ?? 0]?.value;
  if (text === undefined) return undefined;
  const [s, e] = segmentAround(text, 0, text.length, w.offset);
  // A leading `+` (move to the end), `-` or `!` is an operator, not a join.
  const term = text.slice(s, e).replace(/^[!+-]/, '');
  return term.includes('+') && term !== w.word ? term : undefined;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * Where a cipher field's verdict reads other chunks (incrementalValidation.ts): whether the global section's are
 * judged at all follows from every table's `protocol` (writtenTls13Only) and the profile, and whether DHE suites count
 * from any table's `dhparam` (dheParams); a host's read its own chunk and the global one. So the global findings are
 * worked out again when what the chunks say of those changes (a reviewer's fuzzer: a host's `protocol = "tlsv1_2+"`
 * left the global ciphers' findings unsaid, and removing it left them stale). Only then: working them out over the
 * whole config on every keystroke tripled the cost of an edit at 10 000 lines.
 */
function cipherVerdictsReadOthers(model: ConfigDocument, line: ProsodyLine): 'global' | false {
  // Three rules ask for each version: one answer for all of them (it compares with the last version asked).
  let v = verdicts.get(model);
  if (v === undefined) verdicts.set(model, (v = steeringChanged(model, line)));
  return v;
}

const verdicts = new WeakMap<ConfigDocument, 'global' | false>();

function steeringChanged(model: ConfigDocument, line: ProsodyLine): 'global' | false {
  const global = model.globalConfig;
  if (!model.parts || !global?.settings.some((s) => getOption(s.name)?.kind === 'ssl-table' && writesCiphers(s.value))) return false;
  // A profile whose preset's protocol is TLS 1.3 only (the catalog's; a computed profile may be one), as onlyTls13 reads it.
  const modern = global.settings.some((s) => s.name === 'tls_profile' && (s.value.kind !== 'string' || presetTls13Only(s.value.value, line)));
  const now = [String(modern)];
  for (const p of model.parts) now.push(steeringIn.of(p, model.text));
  // Keyed by the global chunk: an edit there checks everything again anyway.
  const before = lastSteering.get(model.parts[0]!.entry);
  lastSteering.set(model.parts[0]!.entry, now);
  return before !== undefined && (before.length !== now.length || before.some((x, i) => x !== now[i])) && 'global';
}

// Per global chunk: what the chunks said of those at the last edit.
const lastSteering = new WeakMap<ChunkEntry, readonly string[]>();

/**
 * A protocol value's class for the cross-chunk tests: `3` where it names TLS 1.3 (`tlsv1_3`, `tlsv1_3+`, and a value
 * being typed around it), else `2`. Typing in a value then flips its class only when it completes a name: the bench's
 * keystrokes into protocol values made every flip work the global cipher findings out again (10 ms an edit at 50 000
 * lines). A half-typed value is refused as invalid-protocol anyway.
 */
export function tls13Class(value: string): '3' | '2' {
  return value.includes('tlsv1_3') ? '3' : '2';
}

/**
 * What a chunk's text says of those, in order: `T` for each TLS table assigned (`ssl = `, `c2s_ssl = `, …), the
 * `tls13Class` of each `protocol = "…"`, `D` for each `dhparam`. Swapping two protocol values under a TLS 1.3-only
 * profile, a host's table opening TLS 1.2 beside a top-level `protocol` line no table reads, and a second `ssl = { … }`
 * line replacing one that opened TLS 1.2 all change the global findings (reviewers' fuzzers). Read from the text (the
 * chunks' parsed tables would move the chunks), once per chunk; built of constants, so nothing of the text is kept.
 * Lines commented out with `--` are left out (commenting one out changed the findings while the text still named it).
 */
function steering(text: string): string {
  let sig = '';
  STEERING.lastIndex = 0;
  for (let m = STEERING.exec(text); m; m = STEERING.exec(text)) {
    if (commentedOut(text, m.index)) continue;
    if (m[1] === 'dhparam') sig += 'D';
    else if (m[3] !== undefined) sig += 'T';
    else sig += tls13Class(m[2] ?? '');
  }
  return sig;
}

const steeringIn = new ChunkMemo(steering);

/**
 * A `--` outside a string before `at` on its line (a line ends at `\n` or `\r`, as Lua's comments do). A long string or
 * comment spanning lines is not followed: that errs towards reading the match, i.e. working the findings out again.
 */
function commentedOut(text: string, at: number): boolean {
  let start = at;
  while (start > 0 && text.charCodeAt(start - 1) !== 10 && text.charCodeAt(start - 1) !== 13) start--;
  let quote = 0;
  for (let i = start; i < at; i++) {
    const c = text.charCodeAt(i);
    if (quote) {
      if (c === 92) i++; // a backslash escapes the next character
      else if (c === quote) quote = 0;
    } else if (c === 34 || c === 39) quote = c;
    else if (c === 45 && text.charCodeAt(i + 1) === 45) return true;
  }
  return false;
}

// The protocol's value as written up to the next field (any form: `"…"`, `[[…]]`, `("…")`, `["protocol"] = …`).
const STEERING = /\b(dhparam)\b|(?:\bprotocol|\[\s*["']protocol["']\s*\])\s*=\s*([^,;}\r\n]*)|\b(\w*ssl)\s*=(?!=)/g;

/** A TLS table (or one of its `[port]` tables) that writes `ciphers`. */
function writesCiphers(v: LuaValue): boolean {
  return v.kind === 'table' && v.fields.some((f) => f.key === 'ciphers' || (f.bracket === true && writesCiphers(f.value)));
}

export const cipherRules: readonly Rule[] = [
  {
    id: 'cipher-selects-nothing',
    category: 'ciphers',
    severity: DiagnosticSeverity.Error,
    title: 'The cipher string selects no suite, or OpenSSL rejects it',
    description:
      'OpenSSL refuses a cipher list that leaves nothing selected (or has a syntax error), and LuaSec then fails to create the TLS context with `error setting cipher list (no cipher match)`: no encrypted connection works. Typical causes: only words OpenSSL 3 no longer knows (`RC4`, `EXPORT`, `DES-CBC3-SHA`), or TLS 1.3 suite names, which belong in `ciphersuites`.',
    check: (ctx) => {
      const out: Finding[] = [];
      for (const { cf, r } of evaluatedCiphers(ctx)) {
        if (!r.error) continue;
        // Only TLS 1.3 names: `wrong-suite-kind` says so, with a rename fix.
        const words = r.text.split(/[:, ;]+/).filter(Boolean);
        if (words.length && words.every((w) => TLS13_NAMES.has(w))) continue;
        const fatal = r.malformed.find((m) => m.fatal);
        const lost = sniContextLost(ctx.model.config!, cf.table);
        // A host's SNI context takes the port's ciphers on 13.0 (sniIgnored), and the port's again without its own.
        const example = `e.g. "${FORWARD_SECRET_CIPHERS}" (forward-secret AEAD suites only), or remove the key ${lost ? 'so that this host takes the port\'s' : 'to keep Prosody\'s default'}.`;
        const onlyRemove = lost && sniIgnored(cf.table, 'ciphers', ctx.line) ? `Remove it: on ${ctx.line} this host's context takes the port's ciphers anyway.` : undefined;
        out.push({
          range: cf.field.value.range,
          message:
            r.error === 'invalid-command' && fatal
              ? `OpenSSL rejects this cipher string (${fatal.message} at ${JSON.stringify(fatal.word)}), so ${lost ?? 'Prosody cannot create the TLS context'}. ${onlyRemove ?? `Fix the syntax, ${example}`}`
              : `This cipher string selects no suite on OpenSSL 3, so LuaSec fails with "error setting cipher list (no cipher match)"${lost ? `: ${lost}` : ' and TLS does not work'}. ${onlyRemove ?? `Name suites OpenSSL 3 has, ${example}`}`,
        });
      }
      return out;
    },
  },
  {
    id: 'cipher-weak-suites',
    category: 'ciphers',
    readsOtherChunks: cipherVerdictsReadOthers,
    severity: DiagnosticSeverity.Warning,
    title: 'The cipher string enables weak suites',
    description:
      'The string selects suites with broken or no protection that a handshake can really use: 3DES (Sweet32) or RC4 where the OpenSSL build still has them, and, when the string lowers the security level with `@SECLEVEL=0`, unencrypted NULL, anonymous (unauthenticated), EXPORT, DES and MD5 suites (from level 1, OpenSSL\'s default, it never uses those, so they are not reported then — unless they are all the string selects, when TLS 1.2 handshakes fail; so do PSK and SRP suites, which need callbacks Prosody never sets, and from `@SECLEVEL=3` suites without forward secrecy). The quick fix appends the matching exclusions; when the string selects nothing else, it offers forward-secret suites instead, since an exclusion would leave no suite at all.',
    check: (ctx) => {
      const out: Finding[] = [];
      for (const { cf, r } of evaluatedCiphers(ctx, true)) {
        if (r.error) continue;
        const byReason = new Map<WeakReason, string[]>();
        // Every suite selected is one the server never picks (the security level refuses it, or PSK/SRP, whose
        // callbacks Prosody never sets): the context is created, but no TLS 1.2 (or older) handshake finds a suite;
        // only TLS 1.3, with its own suites, still connects (if not switched off). A reviewer's 0.12.3 runs: "PSK".
        const dhe = dheParams(ctx, cf.table);
        if (r.suites.length && r.suites.every((x) => !serverUsable(x, r.seclevel, dhe))) {
          const why = [
            ...(r.seclevel === 0 ? [] : [...new Set(r.suites.flatMap((x) => classify(x).weak.filter((w) => REFUSED_FROM_SECLEVEL_1.has(w))))].map(String)),
            ...(r.suites.some((x) => x.mkey & MKEY_PSK) ? ['PSK: no PSK callback in Prosody'] : []),
            ...(r.suites.some((x) => x.kx === 'SRP') ? ['SRP: no SRP callback in Prosody'] : []),
            ...(!dhe && r.suites.some((x) => x.kx === 'DH') ? [NO_DHPARAM] : []),
            ...((r.seclevel ?? 1) >= 3 && r.suites.some((x) => !classify(x).forwardSecrecy) ? [`no forward secrecy, refused at @SECLEVEL=${r.seclevel}`] : []),
            ...((r.seclevel ?? 1) >= 4 && r.suites.some((x) => x.mac === 'SHA1') ? [`SHA-1 MACs, refused at @SECLEVEL=${r.seclevel}`] : []),
            ...((r.seclevel ?? 1) >= 3 && r.suites.some((x) => x.encBits < secLevelBits(r.seclevel!)) ? [`ciphers under ${secLevelBits(r.seclevel!)} bits, refused at @SECLEVEL=${r.seclevel}`] : []),
          ];
          out.push({
            range: cf.field.value.range,
            message: `Every suite this cipher string selects is one the server never uses (${why.join('; ')}), so TLS 1.2 and older handshakes fail with "no shared cipher": only TLS 1.3, where the protocol setting allows it, still connects. ${why.length === 1 && why[0] === NO_DHPARAM ? `Set \`dhparam\` to a file of DH parameters (\`openssl dhparam -out dh-2048.pem 2048\`), or name ECDHE suites, e.g. "${FORWARD_SECRET_CIPHERS}".` : `Name forward-secret suites instead, e.g. "${FORWARD_SECRET_CIPHERS}".`}`,
            fixes: [replaceWithFsAead(cf)],
          });
          continue;
        }
        for (const s of r.suites) for (const w of usableWeaknesses(classify(s), r.seclevel)) byReason.set(w, [...(byReason.get(w) ?? []), s.name]);
        if (!byReason.size) continue;
        const reasons = [...byReason.keys()];
        const names = [...new Set([...byReason.values()].flat())];
        const advice = exclusionAdvice(ctx.doc.getText(), cf, reasons.map((w) => EXCLUSION[w]).join(':'), names.length, dhe);
        out.push({
          range: cf.field.value.range,
          message: `This cipher string enables ${plural(names.length, 'weak suite')} (${reasons.join(', ')}): ${names.slice(0, 4).join(', ')}${names.length > 4 ? ` and ${names.length - 4} more` : ''}. ${advice.text}`,
          fixes: advice.fixes,
        });
      }
      return out;
    },
  },
  {
    id: 'cipher-no-forward-secrecy-first',
    category: 'ciphers',
    readsOtherChunks: cipherVerdictsReadOthers,
    severity: DiagnosticSeverity.Information,
    title: 'The most preferred TLS 1.2 suite has no forward secrecy',
    description:
      'The first suite of the list is the server\'s first choice when it enforces its own order (`cipher_server_preference`, on in Prosody\'s built-in defaults, which are all there is before 0.12 and what `tls_profile = "legacy"` keeps, and in the `old` profile; the 0.12+ `intermediate` and `modern` profiles switch it off, and then the client\'s order decides and nothing is reported). A suite with static RSA key exchange there means recorded traffic can be decrypted later if the key leaks. Put ECDHE/DHE suites first, e.g. start with "ECDHE+AESGCM". The first suite is the first one the server can use at all: anonymous, NULL and MD5 suites (below `@SECLEVEL=0`) and PSK and SRP suites are passed over.',
    check: (ctx) => {
      const out: Finding[] = [];
      for (const { cf, r } of evaluatedCiphers(ctx, true)) {
        // The server's first choice is the first suite it can use at all (a reviewer's 0.12.3 runs: past ADH, NULL-MD5
        // or PSK suites at the head of the list).
        const dhe = dheParams(ctx, cf.table);
        const usable = r.error ? [] : r.suites.filter((s) => serverUsable(s, r.seclevel, dhe));
        const first = usable[0];
        if (!first || classify(first).forwardSecrecy) continue;
        if (!usable.some((s) => classify(s).forwardSecrecy)) continue; // reported by cipher-static-rsa
        // The client's order decides unless the server enforces its own (the 0.12+ presets switch that off).
        if (!serverOrder(ctx, cf.table)) continue;
        out.push({
          range: cf.field.value.range,
          message: `The first suite this string prefers, ${first.name}, has no forward secrecy, and \`cipher_server_preference\` makes it the server's first choice. Put forward-secret suites first, e.g. begin the string with "ECDHE+AESGCM:".`,
        });
      }
      return out;
    },
  },
  {
    id: 'cipher-static-rsa',
    category: 'ciphers',
    readsOtherChunks: cipherVerdictsReadOthers,
    severity: DiagnosticSeverity.Information,
    title: 'The cipher string enables static-RSA suites (no forward secrecy)',
    description:
      'Suites with plain RSA key exchange (`kRSA`, e.g. `AES256-GCM-SHA384`) give no forward secrecy: whoever obtains the private key later can decrypt recorded sessions. Every current client supports ECDHE; exclude them with `!kRSA` unless you must serve very old clients (when they are all the string selects, name forward-secret suites instead: `!kRSA` would leave none). A `protocol` that opens TLS 1.2 under `tls_profile = "modern"`, whose `ciphers = "DEFAULT"` (meant for TLS 1.3 only) has such suites, is reported on that protocol, where no `ciphers` of your own apply.',
    check: (ctx) => {
      const out: Finding[] = [];
      for (const { cf, r } of evaluatedCiphers(ctx, true)) {
        if (r.error) continue;
        const dhe = dheParams(ctx, cf.table);
        const rsa = staticRsaSuites(r, dhe);
        if (!rsa.length) continue;
        const advice = exclusionAdvice(ctx.doc.getText(), cf, '!kRSA', rsa.length, dhe);
        out.push({
          range: cf.field.value.range,
          message: `This cipher string enables ${plural(rsa.length, 'static-RSA suite')} without forward secrecy (${rsa.slice(0, 3).map((s) => s.name).join(', ')}${rsa.length > 3 ? ', …' : ''}). ${advice.text.replace(/\.$/, '')}, unless very old clients need ${rsa.length === 1 ? 'it' : 'them'}.`,
          fixes: advice.fixes,
        });
      }
      out.push(...presetCipherFindings(ctx));
      return out;
    },
  },
  {
    id: 'cipher-unknown-word',
    category: 'ciphers',
    severity: DiagnosticSeverity.Warning,
    title: 'A word of the cipher string means nothing to OpenSSL',
    description:
      'OpenSSL silently skips words it does not know, so a typo (`HIHG`, `ECDHE-RSA-AES128-GCM-SHA265`) quietly drops the suites you meant. Words for algorithms OpenSSL 3 removed (RC4, DES, EXPORT, …) are reported separately as `cipher-obsolete-word`.',
    check: (ctx) => {
      const out: Finding[] = [];
      const applied = appliedCipherFields(ctx);
      for (const { cf, r } of evaluatedCiphers(ctx)) {
        const keys = keyParts(cf);
        for (const i of keys) out.push({ range: cf.src.parts[i]!.range, message: KEY_IN_CIPHERS });
        if (!applied.has(cf.field)) continue; // (sni-setting-ignored)
        for (const w of r.unknownWords) {
          if (keys.has(w.part ?? 0) || legacyInfo(w.word) || TLS13_NAMES.has(w.word)) continue;
          const range = cf.src.rangeOf(w);
          // A suite's standard (IANA) name is spelt right, but `ciphers` takes OpenSSL's names (a reviewer).
          const std = findTls12ByStdName(w.word);
          if (std) {
            const exact = ctx.doc.getText().slice(range[0], range[1]) === w.word;
            out.push({ range, message: `"${w.word}" is the standard (IANA) name of a suite, but \`ciphers\` takes OpenSSL's names only, so OpenSSL ignores it and it selects nothing. Write "${std.name}".`, fixes: exact ? [{ title: `Change to ${std.name}`, preferred: true, edits: [{ range, newText: std.name }] }] : [] });
            continue;
          }
          out.push({ range, message: `OpenSSL does not know "${w.word}" and ignores it, so it selects nothing. Check the spelling against \`openssl ciphers -v\`.` });
        }
        for (const m of r.malformed) {
          if (m.fatal || keys.has(m.part ?? 0)) continue;
          out.push({ range: cf.src.rangeOf(m), message: `${m.message}: OpenSSL ignores "${m.word}".` });
        }
      }
      return out;
    },
  },
  {
    id: 'cipher-obsolete-word',
    category: 'ciphers',
    severity: DiagnosticSeverity.Hint,
    tags: [DiagnosticTag.Unnecessary],
    title: 'A word of the cipher string names algorithms OpenSSL 3 no longer has',
    description:
      'Configs written for older servers often name RC4, DES, EXPORT or IDEA suites. OpenSSL 3 does not build them, so such a word selects nothing (an exclusion like `!RC4` is harmless and not reported).',
    check: (ctx) => {
      const out: Finding[] = [];
      const applied = appliedCipherFields(ctx);
      for (const { cf, r } of evaluatedCiphers(ctx)) {
        if (!applied.has(cf.field)) continue; // (sni-setting-ignored)
        const keys = keyParts(cf);
        for (const w of r.unknownWords) {
          if (keys.has(w.part ?? 0)) continue;
          const info = legacyInfo(w.word);
          if (!info || isExclusion(cf, w)) continue;
          const term = compoundTerm(cf, w);
          const range = cf.src.rangeOf(w);
          const removal = term ? undefined : wordRemoval(ctx.doc.getText(), cf.src, w, range);
          out.push({
            range,
            message: term
              ? `"${w.word}" selects nothing on OpenSSL 3: ${info.reason}. The term ${JSON.stringify(term)} it is part of therefore selects nothing either; remove the whole term (removing only "${w.word}" would leave an invalid string).`
              : `"${w.word}" selects nothing on OpenSSL 3: ${info.reason}. It can be removed.`,
            fixes: removal ? [{ title: `Remove ${w.word}`, preferred: true, edits: [{ range: removal, newText: '' }] }] : [],
          });
        }
      }
      return out;
    },
  },
];

/**
 * What removing a word of a cipher string takes: the word and the separator after it (before it, for the last word),
 * or a list item that is the word alone, with its separator. None where the word is the whole string (removing it
 * leaves no cipher) or its place in the source is not exact (an escape in the string).
 */
function wordRemoval(text: string, src: CipherSource, w: { word: string; part?: number }, range: Range): Range | undefined {
  if (text.slice(range[0], range[1]) !== w.word) return undefined;
  const part = src.parts.find((p) => p.contentRange[0] <= range[0] && range[1] <= p.contentRange[1]);
  if (!part) return undefined;
  const [cs, ce] = part.contentRange;
  const sep = (i: number): boolean => /[:, ;]/.test(text[i] ?? '');
  if (range[1] < ce && sep(range[1])) return [range[0], range[1] + 1];
  if (range[0] > cs && sep(range[0] - 1)) return [range[0] - 1, range[1]];
  if (range[0] !== cs || range[1] !== ce || src.parts.length < 2) return undefined;
  return removalRange(text, part.range);
}

/** True when the word stands after `!` or `-` (an exclusion of something that no longer exists: harmless). */
function isExclusion(cf: CipherField, w: { offset: number; part?: number }): boolean {
  const part = cf.src.parts[w.part ?? 0];
  if (!part) return false;
  const before = part.value.slice(0, w.offset);
  return /(^|[:, ;])[!-]$/.test(before) || /[!-][A-Za-z0-9]*\+$/.test(before);
}

