// Shared by file hover and file diagnostics: which certificate/key/password a TLS table pairs, which hosts use a
// certificate, and cached inspections of the files (through the shared FileCache, honouring Restricted Mode).
import { inspectCertificate, inspectDhParams, inspectKey, matchCertName, type CertService, type CertificateResult, type DhParamsResult, type KeyResult, type NamedCert, type ReadResult } from './files';
import { guardedDerive, type FileEnv } from './fileEnv';
import { refOf, type PathRef } from './fileRefs';
import { getNetService, splitServiceOption, starttlsTwin } from './catalog';
import type { ProsodyLine } from './catalog/versions';
import type { ParsedConfig } from './model/parse';
import { childSections, opaqueLayer, ownOrParent } from './model/layering';
import { findSetting, inForce, settingLines, setUnconditionally, type TlsTable } from './model/tls';
import { clientsConnect, sniContext, sniIgnored } from './rules/helpers';
import { getField, type LuaValue, type TableField, type TableValue } from './model/values';
import { hasTemplatePlaceholder } from './model/templates';

export const EXPIRY_WARNING_DAYS = 30;

/**
 * Tables in force for a section's c2s (or s2s) STARTTLS connections, most specific first (facts §1.2); 0.9 uses
 * one table wholesale.
 */
export function c2sTables(config: ParsedConfig, section: number, line: ProsodyLine, service: 'c2s' | 's2s' = 'c2s'): Array<{ readonly table: TableValue; readonly section: number; readonly name: string }> {
  const out: Array<{ table: TableValue; section: number; name: string }> = [];
  const add = (sec: number, name: string): boolean => {
    const s = findSetting(config, sec, name);
    if (s?.value.kind === 'table') out.push({ table: s.value, section: sec, name });
    return s?.value.kind === 'table';
  };
  // A table the host does not write comes from its parent domain's section (mod_tls).
  const own = (name: string): void => void ownOrParent(config, section, (sec) => add(sec, name) || undefined);
  if (line === '0.9') {
    if (section > 0) own('ssl');
    if (!out.length) add(0, 'ssl');
    return out;
  }
  if (section > 0) {
    own(`${service}_ssl`);
    own('ssl');
  }
  add(0, `${service}_ssl`);
  add(0, 'ssl');
  return out;
}

/**
 * A host Prosody may never activate: `enabled = false` in its section, or globally when the host does not set
 * `enabled` itself (inside `if` too: it may be off, and an inactive host builds no context).
 */
export function disabledHost(config: ParsedConfig, section: number): boolean {
  const off = (sec: number): boolean => settingLines(config, sec, 'enabled').some((o) => o.value.kind === 'boolean' && !o.value.value);
  return off(section) || (!setUnconditionally(config, section, 'enabled') && off(0));
}

/** The field that supplies `key` for a section's c2s connections (the most specific table writing it). */
export function effectiveField(config: ParsedConfig, section: number, key: string, line: ProsodyLine): TableField | undefined {
  return effectiveFieldIn(config, section, key, line)?.field;
}

/** effectiveField, with the section whose table writes it (for s2s connections with `service`). */
export function effectiveFieldIn(config: ParsedConfig, section: number, key: string, line: ProsodyLine, service: 'c2s' | 's2s' = 'c2s'): { field: TableField; section: number; table: string } | undefined {
  for (const t of c2sTables(config, section, line, service)) {
    const field = getField(t.table, key);
    if (field) return { field, section: t.section, table: t.name };
  }
  return undefined;
}

/** A `certificates` value that may hand LuaSec pairs (it walks the list with ipairs), or one computed at start-up. */
export function namesPairs(v: LuaValue): boolean {
  if (v.kind !== 'table') return v.kind === 'expression';
  return v.items.some((e) => e.kind === 'table' || e.kind === 'expression') || getField(v, 1) !== undefined;
}

/**
 * LuaSec's `certificates` list in force for a section's connections of one kind (0.10+, whose certmanager hands the
 * table on; 0.9 passes `certificate` and `key` alone): LuaSec (0.8+) then loads the list's pairs instead of the single
 * `certificate` and `key`, so what those files hold does not decide the handshake (reviewers' 0.11.9, 0.12.3 and 13.0.1:
 * an RSA certificate beside an ECDSA pair in the list negotiated ECDSA suites; an expired single certificate beside a
 * list was never served).
 */
export function certificateListInForce(config: ParsedConfig, section: number, line: ProsodyLine, service: 'c2s' | 's2s'): boolean {
  if (line === '0.9') return false;
  const f = effectiveFieldIn(config, section, 'certificates', line, service);
  return f !== undefined && namesPairs(f.field.value);
}

/** A table c2s connections read (`ssl`, `c2s_ssl`: the catalog's contexts), where the host certificate comes from. */
function readForC2s(t: TlsTable): boolean {
  return t.contexts.includes('c2s');
}

export interface HostUse {
  readonly name: string;
  readonly section: number;
  /**
   * The connections that take the certificate, where fewer than its table reaches: a Component takes no clients, and
   * a host's own `c2s_ssl`/`s2s_ssl` may set another certificate for one kind.
   */
  readonly services?: readonly CertService[];
}

/**
 * A section's name as files can be checked against it: none when computed, or when it holds template
 * placeholders (not the host's real name yet, so no certificate can be matched or looked up for it).
 */
export function checkableName(section: { readonly name?: string }): string | undefined {
  return section.name && !hasTemplatePlaceholder(section.name) ? section.name : undefined;
}

/**
 * The `ssl` table every context of a host reads (its own, else its parent domain's; and the global one) names a
 * certificate, on a line outside any `if`.
 */
function sslNamesCertificate(config: ParsedConfig, section: number): boolean {
  const names = (sec: number): boolean | undefined => {
    const s = findSetting(config, sec, 'ssl');
    if (!s || s.value.kind === 'nil') return undefined;
    return !s.conditional && s.value.kind === 'table' && getField(s.value, 'certificate') !== undefined;
  };
  return ownOrParent(config, section, names) === true || names(0) === true;
}

/** Hosts (VirtualHost or Component, by name) that end up with this certificate path (a Component: for its s2s connections). */
export function hostsUsing(config: ParsedConfig, ref: PathRef, line: ProsodyLine): HostUse[] {
  const named = (i: number): HostUse | undefined => {
    const s = config.sections[i];
    const name = s && s.kind !== 'global' && !disabledHost(config, i) ? checkableName(s) : undefined;
    return name ? { name, section: i } : undefined;
  };
  // A host that may take its tables from a variable gets a certificate only known at run time.
  const inherits = (i: number): HostUse | undefined => (opaqueLayer(config, i, line) ? undefined : named(i));
  if (ref.role === 'host-certificate') {
    // The option only steers the automatic lookup (0.10+), which every context layers its tables over: where
    // an `ssl` table, read by every context, names a certificate for sure, this file is never used.
    if (line === '0.9') return [];
    // The global one is every host's that sets none of its own: find_host_cert asks `certificate` of the host, and
    // the config falls back to the global value (a reviewer's 0.11.9 served it to every host, "Selecting certificate
    // …alt/example.test.crt … for other.test"). From 0.12 only where the index has nothing for the host (the caller's).
    if (ref.section === 0) {
      // (The settings index, not a pass over every setting per host: quadratic in a config of thousands of hosts.)
      const own = (i: number): boolean => settingLines(config, i, 'certificate').length > 0;
      return config.sections.flatMap((_, i) => (i > 0 && !own(i) && !sslNamesCertificate(config, i) ? [inherits(i)] : [])).filter((h): h is HostUse => h !== undefined);
    }
    if (sslNamesCertificate(config, ref.section)) return [];
    const h = named(ref.section);
    return h ? [h] : [];
  }
  if (ref.role !== 'certificate' || !ref.tls || ref.tls.sub !== undefined) return [];
  const c2s = readForC2s(ref.tls);
  const s2s = ref.tls.contexts.includes('s2s');
  // Another table's (a direct-TLS port's, HTTPS): its host, if any.
  if (!c2s && !s2s) return ref.section > 0 ? [named(ref.section) ?? []].flat() : [];
  // Which connections of a host take this certificate after layering (reviewers' 0.12.3 runs: a Component serves
  // the global, a parent domain's or the global s2s_ssl certificate to servers; it takes no clients).
  const uses = (h: HostUse | undefined): HostUse | undefined => {
    if (!h) return undefined;
    const client = c2s && clientsConnect(config, h) && effectiveField(config, h.section, 'certificate', line)?.value === ref.node;
    const server = s2s && effectiveFieldIn(config, h.section, 'certificate', line, 's2s')?.field.value === ref.node;
    if (!client && !server) return undefined;
    return client && server ? h : { ...h, services: [client ? 'xmpp-client' : 'xmpp-server'] };
  };
  if (ref.section > 0) {
    // Subdomain hosts and components that write no certificate get this one from their parent domain (mod_tls).
    return [uses(named(ref.section)), ...childSections(config, ref.section).map((i) => uses(inherits(i)))].filter((h): h is HostUse => h !== undefined);
  }
  const out: HostUse[] = [];
  for (let i = 1; i < config.sections.length; i++) {
    const used = uses(inherits(i));
    if (used) out.push(used);
  }
  return out;
}

/** The certificate a key is paired with: the same table's `certificate`, else the one in force for its section. */
export function partnerCertificate(config: ParsedConfig, ref: PathRef, refs: readonly PathRef[], line: ProsodyLine): PathRef | undefined {
  if (!ref.tls) return undefined;
  const own = getField(ref.tls.table, 'certificate');
  const field = own ?? (ref.tls.sub === undefined && readForC2s(ref.tls) ? effectiveField(config, ref.section, 'certificate', line) : undefined);
  if (!field || field.value.kind !== 'string') return undefined;
  const node = field.value;
  return refOf(refs, 'certificate', node);
}

/** `section`: where the field is written (the key's own section, or the global one it is layered on). */
export type PasswordState = { kind: 'none' } | { kind: 'string'; value: string; field: TableField; section: number } | { kind: 'unknown'; field: TableField; section: number };

/**
 * The `password` that goes with a key: same table first, then the tables in force for its section's c2s (or s2s)
 * connections. Never shown to the user.
 */
export function passwordFor(config: ParsedConfig, ref: PathRef, line: ProsodyLine, service: 'c2s' | 's2s' = 'c2s'): PasswordState {
  if (!ref.tls) return { kind: 'none' };
  const sni = sniContext(ref.tls);
  // A host's SNI context takes its own table's password where the line hands it over (not on 13.0: sniIgnored).
  const own = sni && sniIgnored(ref.tls, 'password', line) ? undefined : getField(ref.tls.table, 'password');
  const found: { field: TableField; section: number; perPort?: true } | undefined = own ? { field: own, section: ref.section } : sni ? portPassword(config, ref.tls.option) : ref.tls.sub === undefined ? effectiveFieldIn(config, ref.section, 'password', line, service) : undefined;
  if (!found) return { kind: 'none' };
  const { field, section } = found;
  const pw = passwordValue(field.value, found.perPort);
  return pw.kind === 'string' ? { kind: 'string', value: pw.value, field, section } : { kind: 'unknown', field, section };
}

/** A password as far as the checks need it (PasswordState without the place it is written). */
export type PasswordValue = { readonly kind: 'none' } | { readonly kind: 'string'; readonly value: string } | { readonly kind: 'unknown' };

/**
 * A `password` value as written: a literal, or computed (a function, `FileLine(…)`) and known only at start-up. One
 * in a `[port]` table (`perPort`) is not known here either: which port a host is reached on is not.
 */
export function passwordValue(v: LuaValue, perPort?: true): PasswordValue {
  return v.kind === 'string' && !perPort ? { kind: 'string', value: v.value } : { kind: 'unknown' };
}

/**
 * The password under a host's SNI context: the port's, from the global `<service>_ssl` over the global `ssl`
 * (core/portmanager.lua add_sni_host layers the host's table over the port's settings alone; never the host's
 * `ssl` nor any `c2s_ssl`: a reviewer's 0.12.3 run, "bad decrypt" with the password in the host's `ssl`).
 */
export function portPassword(config: ParsedConfig, option: string): { field: TableField; section: number; perPort?: true } | undefined {
  const tables = [option, 'ssl'].map((name) => inForce(config, 0, name)?.value).filter((v): v is TableValue => v?.kind === 'table');
  // A `[port]` table's password goes into that port's settings (portmanager's get_port_ssl_ctx; a reviewer's 0.12.3
  // run): which port a host is reached on is not known here, so any such password leaves it open.
  for (const v of tables) {
    const sub = v.fields.find((f) => typeof f.key === 'number' && f.value.kind === 'table' && getField(f.value, 'password'));
    if (sub && sub.value.kind === 'table') return { field: getField(sub.value, 'password')!, section: 0, perPort: true };
  }
  for (const v of tables) {
    const field = getField(v, 'password');
    if (field) return { field, section: 0 };
  }
  return undefined;
}

export interface Inspected<T> {
  readonly read: ReadResult;
  readonly value?: T;
  readonly restricted?: boolean;
}

export function certAt(p: string, env: FileEnv): Promise<Inspected<CertificateResult>> {
  return guardedDerive(p, 'cert', env, (b) => inspectCertificate(b));
}

export function keyAt(p: string, env: FileEnv): Promise<Inspected<KeyResult>> {
  return guardedDerive(p, 'key', env, (b) => inspectKey(b));
}

export function dhAt(p: string, env: FileEnv): Promise<Inspected<DhParamsResult>> {
  return guardedDerive(p, 'dh', env, (b) => inspectDhParams(b));
}

/** A short human description of a failed read. */
export function describeRead(r: ReadResult, absolute: boolean): string {
  switch (r.kind) {
    case 'ok':
      return 'readable';
    case 'missing':
      return absolute ? 'not found on this machine' : 'not found';
    case 'denied':
      return 'permission denied, cannot check (keys are often readable only by root or prosody)';
    case 'not-a-file':
      return r.what === 'symlink-loop' ? 'a symbolic-link loop' : `not a regular file (${r.what})`;
    case 'too-large':
      return `over 1 MB (${r.size} bytes), not read`;
    case 'error':
      return r.message;
  }
}

export function dateOnly(iso: string): string {
  return iso.slice(0, 10);
}

/**
 * The services whose peers check a table's certificate against the host's name (verify_identity's service): the
 * catalog's (NetService.certName) for a service's own table, both XMPP ones for `ssl` and tables of no service.
 */
export function servicesOf(option: string | undefined): CertService[] {
  const split = option === undefined ? undefined : splitServiceOption(option);
  const service = split?.suffix === '_ssl' ? split.service : undefined;
  const name = service && (service.certName ?? starttlsTwin(service)?.certName);
  return name ? [name] : ['xmpp-client', 'xmpp-server'];
}

/** The services of `services` whose peers find no name for the host in the certificate (13.0: not in a CN alone). */
export function failingServices(c: NamedCert, host: string, services: readonly CertService[], line: ProsodyLine): CertService[] {
  return services.filter((sv) => !matchCertName(c, host, sv, cnNamesHost(line)));
}

/** Whether a line's Prosody takes a certificate's subject CN as its name where it has no subjectAltName (not 13.0: RFC 9525). */
export const cnNamesHost = (line: ProsodyLine): boolean => line !== '13.0';

/**
 * Direct-TLS services whose ports serve each host through SNI (0.12+, core/portmanager.lua add_sni_host), with the
 * STARTTLS connections whose certificate an admin expects to see there (the catalog's twin; legacy_ssl through its
 * replacement). `https` is left out: whether it listens depends on which modules load mod_http, and its SNI name
 * may be `http_host`.
 */
export const SNI_SERVICES: ReadonlyArray<{ readonly service: string; readonly starttls: 'c2s' | 's2s' }> = ['c2s_direct_tls', 'legacy_ssl', 's2s_direct_tls'].map((service) => ({
  service,
  starttls: starttlsTwin(getNetService(service)!)!.prefix as 'c2s' | 's2s',
}));

/**
 * A TLS table whose certificate for a port cannot be read off its top level: per-port or per-interface sub-tables
 * (`[5223] = { … }`, `["::1"] = { … }`), or LuaSec's `certificates` list.
 */
export function certificateNotPlain(t: TableValue): boolean {
  return getField(t, 'certificates') !== undefined || t.fields.some((f) => f.bracket && f.value.kind === 'table');
}
