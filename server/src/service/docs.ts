// Markdown for catalog entries. Hover and completion documentation both come from here, so an
// item in the suggest list says exactly what hovering the same word says.

import {
  DEFAULT_TLS_PROFILE,
  deprecatedOn,
  describeRange,
  optionOnLine,
  getProfile,
  getValueSet,
  groupPrefix,
  lineInRange,
  NEWEST_RELEASE,
  newerOpensslGroups,
  readPerHostForSni,
  clientHttpsLayer,
  s2sPeerLayer,
  SNI_PER_HOST,
  UNKNOWN_PROFILE,
  CURVE_ALIAS_LUASEC,
  curveNameOn,
  sslKeyReadOn,
  compareVersions,
  opensslTooOld,
  USUAL_OPENSSL,
  type CatalogValue,
  type ConfigFunction,
  type ConfigOption,
  type LuaLiteral,
  type ProsodyLine,
  type SslKey,
  type TlsContext,
  type ValueSet,
} from './catalog';
import { SCOPE_RELEASES } from './catalog/options';
import { CIPHER_ADDED_LATE } from './catalog/profiles';
import { shapesOn } from './catalog/shapes';
import { formatLua } from './catalog/reference';
import { setEntries } from './model/layering';

export function renderLiteral(v: LuaLiteral | null | undefined): string {
  return v === null || v === undefined ? '(not set)' : formatLua(v);
}

/**
 * The default of an ssl key for a line and profile: built-in default, overridden by the preset (0.12+). A
 * set-merged key (`options`) keeps the built-in flags the preset does not mention, as Prosody merges them.
 */
export function keyDefault(key: SslKey, line: ProsodyLine, profile = DEFAULT_TLS_PROFILE): { value: LuaLiteral | null | undefined; from: string } {
  const base = key.defaults[line];
  if (compareVersions(NEWEST_RELEASE[line], '0.12.0') >= 0) {
    const preset = getProfile(profile)?.sets[line];
    if (preset && key.name in preset) {
      if (key.merge !== 'set' || base === null || base === undefined) return { value: preset[key.name], from: `tls_profile "${profile}"` };
      const merged = new Map([...setEntries(base), ...setEntries(preset[key.name]!)]);
      return { value: Object.fromEntries(merged), from: `built-in default merged with tls_profile "${profile}"` };
    }
  }
  return { value: base, from: 'built-in default' };
}

function safetyLines(e: { unsafe?: string; noop?: string; deprecated?: { since?: string; reason: string; replacement?: string } }, line: ProsodyLine): string[] {
  const out: string[] = [];
  if (e.unsafe) out.push(`**Security:** ${e.unsafe}`);
  if (e.noop) out.push(`**No effect:** ${e.noop}`);
  // Before the release that deprecated it, the replacement may not exist yet (legacy_ssl_* before 0.12).
  const deprecated = deprecatedOn(e.deprecated, line);
  if (deprecated) out.push(`**Deprecated:** ${deprecated.reason}${deprecated.replacement ? ` Use \`${deprecated.replacement}\` instead.` : ''}`);
  return out;
}

function acceptedValues(set: ValueSet, line: ProsodyLine, max = 12): string {
  const names = set.values.filter((v) => lineInRange(line, v.prosody) && !v.luasec?.removed).map((v) => `\`${v.name}\``);
  if (!names.length) return '';
  return names.length > max ? `${names.slice(0, max).join(', ')}, … (${names.length} in all)` : names.join(', ');
}

/** A link's label names what it opens: behind "Prosody documentation" a reader expects prosody.im. */
export function linkLabel(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return 'Documentation';
  }
  const host = u.hostname.replace(/^www\./, '');
  const path = u.pathname;
  if (host === 'prosody.im') return 'Prosody documentation';
  if (host === 'docs.openssl.org' || host === 'openssl.org') {
    const page = /\/man\d\/([^/]+)\/?$/.exec(path)?.[1];
    return page ? `OpenSSL manual: ${page}` : 'OpenSSL documentation';
  }
  if (host === 'github.com' && /\/luasec(\/|$)/i.test(path)) return /\/wiki(\/|$)/.test(path) ? 'LuaSec wiki' : 'LuaSec';
  const xep = host === 'xmpp.org' ? /xep-(\d{4})/i.exec(path)?.[1] : undefined;
  if (xep) return `XEP-${xep}`;
  if (host === 'iana.org') return 'IANA registry';
  const rfc = host === 'rfc-editor.org' || host === 'datatracker.ietf.org' ? /rfc(\d+)/i.exec(path)?.[1] : undefined;
  if (rfc) return `RFC ${rfc}`;
  return 'Documentation';
}

function link(url: string): string {
  return `[${linkLabel(url)}](${url})`;
}

/**
 * `reach`: the connections the table under the cursor reaches, when known. Prosody layers its own s2s peer
 * verification (s2sPeerLayer) over the defaults of server-to-server contexts, so a key's default differs there.
 */
export function sslKeyMarkdown(key: SslKey, line: ProsodyLine, profile?: string, reach?: readonly TlsContext[]): string {
  const parts: string[] = [`**${key.name}** — key of an \`ssl\` table (${keyShapes(key, line, reach).join(' or ')})`, key.doc.summary];
  if (key.doc.details) parts.push(key.doc.details);
  // `curve` under `curveslist`: advise the list only where the line hands it to LuaSec (0.9 does not).
  const over = key.ignoredUnder;
  if (over) parts.push(sslKeyReadOn(over, line) ? `Set \`${over}\` instead: while it is in force, LuaSec ignores \`${key.name}\`.` : `Prosody ${line} hands LuaSec no \`${over}\`: here \`${key.name}\` is the setting that counts.`);
  if (key.values) {
    const set = getValueSet(key.values);
    const acc = set && !set.open ? acceptedValues(set, line) : '';
    if (acc) parts.push(`Accepted: ${acc}`);
  }
  const d = keyDefault(key, line, profile);
  const s2s = s2sPeerLayer[line]?.[key.name];
  const own = ownLayer(key, line, reach);
  // A `tls_profile` the line has but that names no preset (unknown-tls-profile).
  const unknownProfile = profile !== undefined && !getProfile(profile) && optionOnLine('tls_profile', line);
  if (own?.fixed) parts.push(`In Prosody ${line} outgoing HTTPS requests always use \`${renderLiteral(own.value)}\`: Prosody sets it over \`client_https_ssl\`, so a value written here changes nothing.`);
  else if (own) parts.push(`Default in Prosody ${line} for server-to-server connections: \`${renderLiteral(own.value)}\` (from Prosody's s2s peer verification)`);
  else if (unknownProfile && line !== UNKNOWN_PROFILE.lenientLine) {
    // Lines that refuse to build TLS contexts under a profile they do not know: no default is in force.
    parts.push(`No default applies in Prosody ${line} here: the \`tls_profile\` in force is no profile it knows, so it builds no TLS context at all (unknown-tls-profile).`);
  } else {
    // A preset that changed within the line (Mozilla 5.6 → 5.7): say which releases lack the added suite.
    const late = CIPHER_ADDED_LATE;
    const patch = line === late.line && d.from.includes('tls_profile') && String(d.value).includes(late.name) ? ` (${late.lacking}: without \`${late.name}\`)` : '';
    const unknown = unknownProfile ? ` (${UNKNOWN_PROFILE.lenient}, which fall back to this for a \`tls_profile\` they do not know, as this one; ${UNKNOWN_PROFILE.refusedSince}+ build no TLS context at all)` : '';
    // A built-in default that changed within the line: the earlier releases' (`defaults` holds the newest release's).
    const earlier = d.from === 'built-in default' && key.defaultsEarlier?.[line] ? ` (${key.defaultsEarlier[line]})` : '';
    parts.push(`Default in Prosody ${line}: \`${renderLiteral(d.value)}\`${d.value !== undefined && d.value !== null && d.from !== 'built-in default' ? ` (from ${d.from})` : ''}${patch}${earlier}${unknown}`);
    if (s2s !== undefined && reach?.includes('s2s')) parts.push(key.merge === 'set' ? `On server-to-server connections Prosody's s2s peer verification adds \`${renderLiteral(s2s)}\` to what the tables set.` : `On server-to-server connections Prosody's s2s peer verification sets \`${renderLiteral(s2s)}\` unless a host or \`s2s_ssl\` table sets it.`);
  }
  const range = describeRange(key.prosody);
  if (range) parts.push(`Read by Prosody ${range.replace(/^since Prosody /, 'since ')}.`);
  if (!sslKeyReadOn(key.name, line)) parts.push(`⚠ Prosody ${line} does not read this key.`);
  parts.push(...safetyLines(key, line));
  if (key.doc.link) parts.push(link(key.doc.link));
  return parts.join('\n\n');
}

export function valueMarkdown(set: ValueSet, value: CatalogValue, line: ProsodyLine): string {
  const parts: string[] = [`**${value.name}** — ${set.noun}`, value.doc.summary];
  if (value.doc.details) parts.push(value.doc.details);
  if (value.aliases?.length) parts.push(`Also written: ${value.aliases.map((a) => `\`${a}\``).join(', ')}${set.id === 'curve' && value.aliases.some((a) => !curveNameOn(a, '0.9')) ? ` (not with the LuaSec Prosody 0.9 ran with: ${CURVE_ALIAS_LUASEC})` : ''}`);
  if (set.id === 'curve' && !curveNameOn(value.name, line)) parts.push(`⚠ Refused by the LuaSec Prosody ${line} ran with: ${CURVE_ALIAS_LUASEC}, which does not hold it.`);
  if (value.sharesBitsWith?.length) parts.push(`Sets the same OpenSSL bit(s) as ${value.sharesBitsWith.map((a) => `\`${a}\``).join(', ')}.`);
  const range = describeRange(value.prosody);
  if (range) parts.push(`Accepted by Prosody ${range.replace(/^since Prosody /, 'since ')}.`);
  if (value.prosody && !lineInRange(line, value.prosody)) parts.push(`⚠ Not accepted by Prosody ${line}.`);
  if (value.luasec?.since) parts.push(`LuaSec ${value.luasec.since}+${value.luasec.removed ? `, removed in LuaSec ${value.luasec.removed}` : ''}.`);
  else if (value.luasec?.removed) parts.push(`Removed in LuaSec ${value.luasec.removed}.`);
  if (value.openssl) parts.push(`OpenSSL ${value.openssl.since}+: LuaSec knows it only when built against OpenSSL ${value.openssl.since} or later.`);
  const newer = opensslTooOld(value, line);
  if (newer) parts.push(`⚠ Prosody ${line} commonly ran on OpenSSL ${USUAL_OPENSSL[line]}: a LuaSec built against it refuses this flag, and with it the TLS context.`);
  parts.push(...safetyLines(value, line));
  if (value.doc.link) parts.push(link(value.doc.link));
  return parts.join('\n\n');
}

/** A `curveslist` group a later OpenSSL added (catalog/curves.ts), when `name` is one; `?`/`*`/`-` prefixes allowed. */
export function newerGroupMarkdown(name: string): string | undefined {
  const g = newerOpensslGroups.get(groupPrefix(name).name.toLowerCase());
  if (!g) return undefined;
  return [`**${g.name}** — group (OpenSSL ${g.since} and later)`, g.summary, `An older OpenSSL (Debian 12 ships 3.0) refuses a \`curveslist\` that names it, and with it the whole TLS context.`].join('\n\n');
}

export function optionMarkdown(option: ConfigOption, line: ProsodyLine): string {
  const { head, rest } = optionMarkdownParts(option, line);
  return `${head}\n\n${rest}`;
}

/** optionMarkdown as its title and summary, and the rest: a host's table hover puts its effective settings between. */
export function optionMarkdownParts(option: ConfigOption, line: ProsodyLine): { head: string; rest: string } {
  const scopes = option.scopes
    .map((s) => {
      const since = SCOPE_RELEASES[option.name]?.[s]?.since;
      return `${s === 'host' ? 'VirtualHost' : s === 'component' ? 'Component' : 'global'}${since ? ` (since ${since})` : ''}`;
    })
    .concat(option.scopes.includes('host') || !readPerHostForSni(option, option.name) ? [] : [`VirtualHost (since ${SNI_PER_HOST.since}, for SNI)`])
    .join(', ');
  const parts: string[] = [`**${option.name}** — Prosody option (${option.shapes.join(' or ')}; ${scopes})`, option.doc.summary];
  if (option.doc.details) parts.push(option.doc.details);
  if (option.values) {
    const set = getValueSet(option.values);
    const acc = set && !set.open ? acceptedValues(set, line) : '';
    if (acc) parts.push(`Accepted: ${acc}`);
  }
  const d = option.defaults?.[line];
  if (d !== undefined && d !== null) parts.push(`Default in Prosody ${line}: \`${renderLiteral(d)}\``);
  const range = describeRange(option.prosody);
  if (range) parts.push(`Available ${range}.`);
  if (option.prosody && !lineInRange(line, option.prosody)) parts.push(`⚠ Prosody ${line} does not read this option.`);
  parts.push(...safetyLines(option, line));
  if (option.doc.link) parts.push(link(option.doc.link));
  return { head: parts.slice(0, 2).join('\n\n'), rest: parts.slice(2).join('\n\n') };
}

/** Hover of a config-loader function (`FileLine(…)`): what it returns and the releases that have it. */
export function configFunctionMarkdown(fn: ConfigFunction, line: ProsodyLine): string {
  const parts = [fn.table ? `**${fn.name}** — table of Prosody's config loader` : `**${fn.name}()** — function of Prosody's config loader`, fn.doc.summary, `Available ${describeRange(fn.prosody)}.`];
  if (!lineInRange(line, fn.prosody)) parts.push(fn.table ? `⚠ Prosody ${line} has no such name: using it stops the config from loading.` : `⚠ Prosody ${line} has no such function: the call stops the config from loading.`);
  if (fn.doc.link) parts.push(link(fn.doc.link));
  return parts.join('\n\n');
}

/** Detail line for completion items: the shapes taken there and the default in force. */
export function keyDetail(key: SslKey, line: ProsodyLine, profile?: string, reach?: readonly TlsContext[]): string {
  const own = ownLayer(key, line, reach);
  const value = own ? own.value : keyDefault(key, line, profile).value;
  return `${keyShapes(key, line, reach).join(' | ')} · ${own?.fixed ? 'always' : 'default'} ${short(renderLiteral(value))}`;
}

/**
 * What Prosody itself layers for the key over the defaults of every connection the table reaches: its s2s peer
 * verification (0.12+; a table may override it), or the `verify` of its outgoing HTTPS client (0.10+; fixed over
 * `client_https_ssl`). Undefined when the table reaches other connections too, or its reach is unknown.
 */
function ownLayer(key: SslKey, line: ProsodyLine, reach?: readonly TlsContext[]): { readonly value: LuaLiteral; readonly fixed: boolean } | undefined {
  if (!reach?.length) return undefined;
  const https = clientHttpsLayer[key.name];
  if (https !== undefined && line !== '0.9' && reach.every((c) => c === 'client_https')) return { value: https, fixed: true };
  const s2s = s2sPeerLayer[line]?.[key.name];
  if (s2s !== undefined && reach.every((c) => c === 's2s')) return { value: s2s, fixed: false };
  return undefined;
}

/**
 * The shapes the key takes on this line in a table reaching `reach`, as the type rules judge them: a list of
 * ciphers only from 0.10, an `alpn` string only in the client contexts `client_https_ssl` builds.
 */
function keyShapes(key: SslKey, line: ProsodyLine, reach?: readonly TlsContext[]): readonly string[] {
  const clientOnly = reach !== undefined && reach.length > 0 && reach.every((c) => c === 'client_https');
  return shapesOn(key, line, clientOnly);
}

export function optionDetail(option: ConfigOption, line: ProsodyLine): string {
  const d = option.defaults?.[line];
  return `${option.shapes.join(' | ')}${d !== undefined && d !== null ? ` · default ${short(renderLiteral(d))}` : ''}`;
}

/** Completion details are one line in a narrow list: keep them short. */
function short(s: string, max = 48): string {
  return s.length > max ? s.slice(0, max - 1) + '…' : s;
}
