// Look-ups over the catalog. Every feature asks here; none keeps its own list of names.

import { configFunctions, LUA_STATE_GLOBALS, type ConfigFunction } from './configFunctions';
import { configOptions, SCOPE_RELEASES } from './options';
import { netServices } from './services';
import { FORWARD_SECRET_CIPHERS, LUA_ERROR_EFFECT, sslKeys } from './sslKeys';
import { clientHttpsLayer, s2sPeerLayer, tlsProfiles } from './profiles';
import { valueSets } from './valueSets';
import { compareVersions, lineInRange, usualOpensslBefore, type ProsodyLine } from './versions';
import type { CatalogValue, ConfigOption, NetService, Scope, SslKey, TlsProfile, ValueSet, ValueSetId } from './types';

export * from './types';
export * from './versions';
export { configFunctions, LUA_STATE_GLOBALS, type ConfigFunction };
export { clientHttpsLayer, configOptions, FORWARD_SECRET_CIPHERS, LUA_ERROR_EFFECT, netServices, s2sPeerLayer, sslKeys, tlsProfiles, valueSets };
export { CURVE_ALIAS_LUASEC, curveNameOn, groupPrefix, newerGroupSyntax, newerOpensslGroups, OPENSSL3_GROUP_NAMES, WEAK_GROUPS } from './curves';
export { SNI_CERTIFICATE_ONLY, SNI_PER_HOST } from './options';
export { UNKNOWN_PROFILE } from './profiles';
export { judgedAs, shapeAllowed } from './shapes';

const keyIndex = new Map(sslKeys.map((k) => [k.name, k]));
const setIndex = new Map(valueSets.map((s) => [s.id, s]));
const optionIndex = new Map(configOptions.map((o) => [o.name, o]));
const serviceIndex = new Map(netServices.map((s) => [s.prefix, s]));
// certmanager finds a service's certificate by the service's name (facts §3: find_service_cert).
const serviceByName = new Map(netServices.map((s) => [s.name ?? s.prefix, s]));
const profileIndex = new Map(tlsProfiles.map((p) => [p.name, p]));
const functionIndex = new Map(configFunctions.map((f) => [f.name, f]));

/** A function of the config loader (`FileLine`, `Credential`, …) by name. */
export function getConfigFunction(name: string): ConfigFunction | undefined {
  return functionIndex.get(name);
}

export function getSslKey(name: string): SslKey | undefined {
  return keyIndex.get(name);
}

// The known keys each line does not hand to LuaSec, worked out once per line.
const unreadKeys = new Map<ProsodyLine, ReadonlySet<string>>();

/** True when the line hands this ssl key to LuaSec (0.9 passes a fixed set: no `curveslist`, `alpn`, …; see `prosody`). */
export function sslKeyReadOn(key: string | number, line: ProsodyLine): boolean {
  if (typeof key !== 'string') return true;
  let unread = unreadKeys.get(line);
  if (!unread) unreadKeys.set(line, (unread = new Set(sslKeys.filter((k) => k.prosody && !lineInRange(line, k.prosody)).map((k) => k.name))));
  return !unread.has(key);
}

/** True when the line has the option at all (its releases); unknown names are not judged here. */
export function optionOnLine(name: string, line: ProsodyLine): boolean {
  return lineInRange(line, getOption(name)?.prosody);
}

/** True when the line reads the option written in this scope: the option's releases, and the scope's (SCOPE_RELEASES). */
export function optionReadIn(opt: ConfigOption, scope: Scope, line: ProsodyLine): boolean {
  return opt.scopes.includes(scope) && optionOnLine(opt.name, line) && lineInRange(line, SCOPE_RELEASES[opt.name]?.[scope]);
}

/** Ssl keys that name a file (merged as paths): `certificate`, `key`, `cafile`, `capath`, `dhparam`. */
export const SSL_PATH_KEYS: ReadonlySet<string> = new Set(sslKeys.filter((k) => k.merge === 'path').map((k) => k.name));

export function getValueSet(id: ValueSetId): ValueSet | undefined {
  return setIndex.get(id);
}

const valueIndex = new Map<ValueSetId, ReadonlyMap<string, CatalogValue>>();

/** The OpenSSL release a value needs when the line's servers commonly ran an older one (USUAL_OPENSSL), else undefined. */
export function opensslTooOld(v: CatalogValue | undefined, line: ProsodyLine): string | undefined {
  const since = v?.openssl?.since;
  return since && usualOpensslBefore(line, since) ? since : undefined;
}

/** A value of a set, by its name or one of its aliases (case-sensitive, as LuaSec/OpenSSL are). */
export function findValue(id: ValueSetId, name: string): CatalogValue | undefined {
  let byName = valueIndex.get(id);
  if (!byName) {
    const set = setIndex.get(id);
    if (!set) return undefined;
    // Rules ask per table and flag (thousands of times on a large config): an index, not a search. The first value
    // naming it wins, as a search in order would give.
    const index = new Map<string, CatalogValue>();
    for (const v of set.values) for (const n of [v.name, ...(v.aliases ?? [])]) if (!index.has(n)) index.set(n, v);
    valueIndex.set(id, (byName = index));
  }
  return byName.get(name);
}

/** The `tls_profile` Prosody uses when the config names none (the option's catalog default). */
export const DEFAULT_TLS_PROFILE = String(configOptions.find((o) => o.name === 'tls_profile')?.defaults?.['13.0'] ?? 'intermediate');

export function getProfile(name: string): TlsProfile | undefined {
  return profileIndex.get(name);
}

export function getNetService(prefix: string): NetService | undefined {
  return serviceIndex.get(prefix);
}

/** A service as a line has it: the one named, or (before it came) the older name it replaced (legacy_ssl before 0.12). */
export function serviceOnLine(service: NetService, line: ProsodyLine): NetService | undefined {
  if (lineInRange(line, service.prosody)) return service;
  return netServices.find((s) => s.deprecated?.replacement === service.prefix && lineInRange(line, s.prosody));
}

/** The STARTTLS or plain service a direct-TLS one is the counterpart of (legacy_ssl: through its replacement). */
export function starttlsTwin(service: NetService): NetService | undefined {
  const names = [service.prefix, service.deprecated?.replacement];
  return netServices.find((sv) => sv.directTls !== undefined && names.includes(sv.directTls));
}

/** A direct-TLS service for clients: c2s's counterpart (legacy_ssl through its replacement). */
export function servesClients(service: NetService): boolean {
  return starttlsTwin(service)?.prefix === 'c2s';
}

/**
 * A top-level option by name. Options named in the catalog win; otherwise the `<service>_ssl`,
 * `<service>_ports`, `<service>_interfaces` and `<service>_certificate` patterns of known network
 * services are recognised.
 */
export function getOption(name: string): ConfigOption | undefined {
  return optionIndex.get(name) ?? serviceOptionOnce(name);
}

// A service option is built on first use and kept (the rules ask for `https_ssl`'s on every table, every keystroke);
// only names of known services are kept, so the map is bounded by the catalog.
const serviceOptions = new Map<string, ConfigOption>();
function serviceOptionOnce(name: string): ConfigOption | undefined {
  let o = serviceOptions.get(name);
  if (!o && (o = serviceOption(name))) serviceOptions.set(name, o);
  return o;
}

const SUFFIXES = ['_ssl', '_ports', '_interfaces', '_certificate'] as const;

/** Splits `c2s_direct_tls_ports` into its service and suffix, when the service is known. */
export function splitServiceOption(name: string): { service: NetService; suffix: (typeof SUFFIXES)[number] } | undefined {
  for (const suffix of SUFFIXES) {
    if (!name.endsWith(suffix)) continue;
    const service = (suffix === '_certificate' ? serviceByName : serviceIndex).get(name.slice(0, -suffix.length));
    if (service) return { service, suffix };
  }
  return undefined;
}

function serviceOption(name: string): ConfigOption | undefined {
  const split = splitServiceOption(name);
  if (!split) return undefined;
  const { service, suffix } = split;
  // portmanager builds a TLS context per port, reading `<prefix>_ssl` and the service certificate, only for
  // services with TLS from the first byte; STARTTLS services (c2s, s2s) use the host's certificate.
  if ((suffix === '_ssl' || suffix === '_certificate') && !service.encrypted) return undefined;
  // Docs name the service as Prosody does (`multiplex_ssl`), not by its option prefix (`ssl`).
  const label = service.name ?? service.prefix;
  const base = {
    name,
    scopes: ['global'] as const,
    prosody: service.prosody,
    before: service.before,
    deprecated: service.deprecated
      ? { since: service.deprecated.since, replacement: service.deprecated.replacement + suffix, reason: service.deprecated.reason }
      : undefined,
  };
  switch (suffix) {
    case '_ssl':
      return {
        ...base,
        kind: 'ssl-table',
        shapes: ['table'],
        perPort: true,
        snippet: '{\n\t$0\n}',
        doc: { summary: `TLS settings for the ${label} service's own ports; per-interface sub-tables are allowed, and per-port ones up to 0.12 (13.0 stops on a number key).`, details: service.doc.summary, link: service.doc.link },
      };
    case '_ports':
      return { ...base, kind: 'ports', shapes: ['list', 'number', 'string'], snippet: '{ $1 }', doc: { summary: `Ports the ${label} service listens on.`, details: service.doc.summary, link: service.doc.link } };
    case '_interfaces':
      return { ...base, kind: 'interfaces', shapes: ['list', 'string'], snippet: '{ "$1" }', doc: { summary: `Addresses the ${label} service listens on.`, details: service.doc.summary, link: service.doc.link } };
    case '_certificate':
      // certmanager's find_service_cert came in 0.10 (facts §3), whatever the service's own age.
      return { ...base, prosody: { since: laterVersion(service.prosody?.since, '0.10.0') }, kind: 'certificate-map', shapes: ['string', 'table'], snippet: '"$1"', doc: { summary: `Certificate (file or directory) that the ${label} service looks up its certificate in. From 0.12 Prosody first takes any certificate of the \`certificates\` directory's index that serves this service (an ordinary certificate serves every service), so this counts only when the index has none (\`prosodyctl check certs\` says which one is used).`, details: service.doc.summary, link: service.doc.link } };
  }
}

function laterVersion(a: string | undefined, b: string): string {
  return a && compareVersions(a, b) > 0 ? a : b;
}

/** True when the option holds an `ssl`-type table (its keys are SslKeys). */
export function isSslTableOption(name: string): boolean {
  return getOption(name)?.kind === 'ssl-table';
}

/** A service's ssl table that 0.12+ portmanager also reads per host, to build that host's SNI context on the service. */
export function readPerHostForSni(opt: ConfigOption, name: string): boolean {
  if (opt.kind !== 'ssl-table') return false;
  if (opt.checkSaysGlobalOnly === true) return true;
  const split = splitServiceOption(name);
  // portmanager's add_sni_host reads `<service name>_ssl` per host (its active-service record has no config_prefix):
  // for multiplex_ssl that is `multiplex_ssl_ssl`, never the `ssl_ssl` its port reads (0.12.3 and 13.0 source; a
  // reviewer's 0.12.3 handshake got the port's certificate with a host's `ssl_ssl`).
  return opt.scopes.length === 1 && opt.scopes[0] === 'global' && split !== undefined && (split.service.name === undefined || split.service.name === split.service.prefix);
}

/** A service's `_ssl` table under a host that add_sni_host never reads, and the name it reads there instead. */
export function sniNameInstead(name: string): string | undefined {
  const split = splitServiceOption(name);
  return split?.suffix === '_ssl' && split.service.encrypted && split.service.name !== undefined && split.service.name !== split.service.prefix ? `${split.service.name}_ssl` : undefined;
}
