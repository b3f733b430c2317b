// The direct-TLS part of the file checks: on 0.12 and 13.0 a
// direct-TLS port serves each host through SNI from other tables than the ones STARTTLS reads.
import * as path from 'node:path';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { getNetService } from '../catalog';
import { certificatesDir, findCertCandidates, resolveRelativePath, type CertIndex } from '../files';
import { certAt, certificateNotPlain, checkableName, disabledHost, effectiveFieldIn, failingServices, servicesOf, SNI_SERVICES } from '../fileFacts';
import { portList } from '../model/ports';
import { refOf } from '../fileRefs';
import { nameprepped } from '../model/hostName';
import { opaqueLayer } from '../model/layering';
import type { ParsedConfig, Setting } from '../model/parse';
import { findSetting, settingLines } from '../model/tls';
import { emptyTable, getField, type LuaValue, type Range } from '../model/values';
import { FILE_RULE_IDS as R } from '../rules/files';
import { sniIgnored } from '../rules/helpers';
import type { FileRun } from './run';

/**
 * 0.12+ serves a direct-TLS port to each host through SNI with a context built only from `<service>_ssl` (the
 * host's, else the global one), the certificate the automatic lookup finds for the host, and the port's own
 * context (core/portmanager.lua add_sni_host); the host's `ssl`, `c2s_ssl` and `s2s_ssl` are never read there.
 * A host whose STARTTLS certificate comes only from those gets the port's certificate there, or none (checked on
 * Debian's 0.12.3: "No certificate present … for c2s_direct_tls port 5223", the handshake fails).
 */
type GlobalOption = (name: string) => { setting: Setting; here: boolean } | 'unsure' | undefined;

/**
 * A global option in force (this file's global section, else the main config's), `unsure` when set inside `if`;
 * undefined for a file in conf.d/ whose main config was not read (the ports and the port's tables live there).
 */
async function globalsOf(run: FileRun): Promise<GlobalOption | undefined> {
  const { config, paths, mainGlobals } = run;
  const main = await mainGlobals();
  const inConfD = paths.configDir !== paths.fileDir;
  if (inConfD && !main.config) return undefined;
  const layers: ReadonlyArray<ParsedConfig> = inConfD ? [config, main.config!] : [config];
  return (name) => {
    for (const c of layers) {
      const last = settingLines(c, 0, name).at(-1);
      if (!last) continue;
      if (last.conditional) return 'unsure';
      return last.value.kind === 'nil' ? undefined : { setting: last, here: c === config };
    }
    return undefined;
  };
}

/** The certificate a literal TLS table names: `unsure` when computed, per port, or a `certificates` list. */
function tableCertificate(v: LuaValue): string | 'unsure' | undefined {
  if (v.kind !== 'table' || certificateNotPlain(v)) return 'unsure';
  const f = getField(v, 'certificate');
  if (!f) return undefined;
  return f.value.kind === 'string' ? f.value.value : 'unsure';
}

/** modules_disabled switches the module off, or may (set inside `if`, computed). */
function moduleOff(global: GlobalOption, module: string): boolean {
  const disabled = global('modules_disabled');
  return disabled === 'unsure' || (disabled !== undefined && (disabled.setting.value.kind !== 'table' || disabled.setting.value.fields.length > 0 || disabled.setting.value.items.some((i) => i.kind !== 'string' || i.value === module)));
}

/**
 * Before 0.12 a direct-TLS port has one context, for every host: certmanager's find_service_cert
 * (`<service>_certificate`, else `<service>.crt` and the like in the certificates directory), the global `ssl`, and
 * `<service>_ssl` (core/portmanager.lua, 0.11.9); a host's tables are never read. Without a certificate among them
 * Prosody logs "No certificate present in SSL/TLS configuration for legacy_ssl port 5223" and binds no port (a
 * reviewer's 0.11.9 run: "Activated service 'legacy_ssl' on no ports", the connection refused). mod_http's `https`
 * service goes the same way, on its default port 5281 when `https_ports` is not set.
 */
async function checkPortWithoutHosts(run: FileRun, global: GlobalOption, service: 'legacy_ssl' | 'https'): Promise<void> {
  const { paths, auto, add, show, statKind, includeNote, includeRelated } = run;
  const ports = global(`${service}_ports`);
  let listed: string[];
  let at: Range;
  let lead = '';
  if (service === 'https') {
    // Only where this file's global modules_enabled surely loads mod_http (a module of Prosody's own that needs it).
    const by = httpLoadedBy(global);
    if (!by || ports === 'unsure' || (ports && !ports.here)) return;
    const own = ports ? portList(ports.setting.value) : [HTTPS_DEFAULT_PORT];
    if (own === 'unsure') return;
    listed = own;
    at = ports ? ports.setting.range : by.range;
    if (!ports) lead = `\`${by.name}\` loads mod_http, whose https service listens on port ${HTTPS_DEFAULT_PORT} unless \`https_ports\` says otherwise. `;
  } else {
    if (moduleOff(global, 'c2s') || !ports || ports === 'unsure' || !ports.here) return;
    const own = portList(ports.setting.value);
    if (own === 'unsure') return;
    listed = own;
    at = ports.setting.range;
  }
  if (!listed.length) return;
  for (const name of [`${service}_ssl`, 'ssl']) {
    const set = global(name);
    if (set === 'unsure' || (set && tableCertificate(set.setting.value) !== undefined)) return;
  }
  // find_service_cert hands `<service>_certificate` to find_cert, which looks in that folder (or takes that file) in
  // place of the certificates directory (a reviewer's 0.11.9: a folder without https.crt, "No certificate present").
  const option = global(`${service}_certificate`);
  if (option === 'unsure' || (option && option.setting.value.kind !== 'string')) return;
  let dir: string;
  if (option && option.setting.value.kind === 'string') {
    // (A trailing `/` would show as `…//https.crt`; the file is the same.)
    dir = resolveRelativePath(paths.configDir, option.setting.value.value).replace(/(.)\/+$/, '$1');
    // A file is the certificate (checked where it is named); a missing path is file-missing's.
    if ((await statKind(dir)) !== 'directory') return;
  } else {
    const certificates = global('certificates');
    if (certificates === 'unsure' || (certificates && certificates.setting.value.kind !== 'string')) return;
    dir = certificatesDir(paths.configDir, certificates?.setting.value.kind === 'string' ? certificates.setting.value.value : undefined);
  }
  const candidates = findCertCandidates(dir, service, option ? 'certificate-option' : 'certificates-dir').filter((c) => c.pattern !== 'as-given');
  const dirKind = await statKind(dir);
  for (const c of candidates) {
    if ((await statKind(c.certificate)) === 'file' && (await statKind(c.key)) === 'file') return;
  }
  const unsure = auto && dirKind !== 'directory';
  const portsSaid = `${listed.length > 1 ? 'ports' : 'port'} ${listed.join(', ')}`;
  const loss = service === 'https' ? ' HTTP modules (BOSH, WebSocket, file serving) are then reachable over plain HTTP only.' : '';
  add(
    R.directTlsCert,
    run.at(at, 0),
    `${lead}Prosody ${run.line} binds no ${service} port here: its one context for ${portsSaid} gets no certificate (none in the global \`ssl\` or \`${service}_ssl\`, and no ${candidates.map((c) => show(c.certificate)).join(', ')} with its key${option ? `, where \`${service}_certificate\` sends the lookup` : ''}), so it logs "No certificate present in SSL/TLS configuration for ${service} port ${listed[0]}" and activates the service on no ports.${loss} Before 0.12 a direct-TLS port never reads a host's tables. Set \`${service}_ssl = { certificate = …, key = … }\` (or \`${service}_certificate\`) in the global section, with a certificate that names every host clients reach there.${unsure ? ` (The certificates directory ${dir} is not on this machine, so the automatic lookup could not be checked here.)` : ''}${includeNote(`sets the global \`ssl\`, \`${service}_ssl\` or \`${service}_certificate\``)}`,
    unsure || run.include ? DiagnosticSeverity.Information : undefined,
    includeRelated,
  );
}

const HTTPS = getNetService('https')!;
/** mod_http's https service port when `https_ports` is not set (modules/mod_http.lua, 0.9 to 13.0). */
const HTTPS_DEFAULT_PORT = String(HTTPS.defaultPorts![0]);

/** Where this file's global `modules_enabled` names a module that loads mod_http (not switched off), if it does. */
function httpLoadedBy(global: GlobalOption): { range: Range; name: string } | undefined {
  const enabled = global('modules_enabled');
  if (!enabled || enabled === 'unsure' || !enabled.here || enabled.setting.value.kind !== 'table') return undefined;
  for (const item of enabled.setting.value.items) {
    if (item.kind === 'string' && HTTPS.loadedBy!.includes(item.value) && !moduleOff(global, item.value) && !moduleOff(global, 'http')) return { range: item.range, name: item.value };
  }
  return undefined;
}

async function checkLegacyPorts(run: FileRun): Promise<void> {
  const global = await globalsOf(run);
  if (!global) return;
  await checkPortWithoutHosts(run, global, 'legacy_ssl');
  await checkPortWithoutHosts(run, global, 'https');
}

export async function checkDirectTlsHosts(run: FileRun): Promise<void> {
  const { config, line, paths, auto, refs, env, hostSections, add, at, show, include, includeNote, includeRelated, cancelled, statKind, hostLookup, lookupIsOpaque } = run;
  if (line === '0.10' || line === '0.11') return checkLegacyPorts(run);
  if (line !== '0.12' && line !== '13.0') return;
  const global = await globalsOf(run);
  if (!global) return;
  if (global('certificates') === 'unsure') return;
  const services: Array<(typeof SNI_SERVICES)[number] & { ports: string[]; at?: Range }> = [];
  // One service binds a port: mod_c2s registers c2s, then c2s_direct_tls, then legacy_ssl (mod_s2s: s2s, then
  // s2s_direct_tls), and a later one on a port already taken only logs "Multiple services configured to listen on
  // the same port" (checked on 0.12.3). The STARTTLS services' ports count as taken (their defaults when unset).
  const taken = new Set<string>();
  for (const st of ['c2s', 's2s'] as const) {
    const set = global(`${st}_ports`);
    // Unknown (inside `if`, computed): the default port may still be the STARTTLS service's.
    const own = set === undefined || set === 'unsure' ? 'unsure' : portList(set.setting.value);
    for (const p of own === 'unsure' ? [st === 'c2s' ? '5222' : '5269'] : own) taken.add(p);
  }
  for (const svc of SNI_SERVICES) {
    // The STARTTLS module registers its direct-TLS services: disabled (or maybe, inside `if`), nothing listens.
    if (moduleOff(global, svc.starttls)) continue;
    const set = global(`${svc.service}_ports`);
    if (!set || set === 'unsure') continue;
    const listed = portList(set.setting.value);
    if (listed === 'unsure') continue;
    const ports = listed.filter((p) => !taken.has(p));
    for (const p of ports) taken.add(p);
    if (!ports.length) continue;
    // An empty interface list binds nothing (portmanager takes the first of these that is set).
    const interfaces = [`${svc.service}_interfaces`, `${svc.service}_interface`, 'interfaces', 'interface'].map(global).find((x) => x !== undefined);
    if (interfaces === 'unsure' || (interfaces !== undefined && emptyTable(interfaces.setting.value))) continue;
    services.push({ ...svc, ports, ...(set.here ? { at: at(set.setting.range, 0) } : {}) });
  }
  if (!services.length) return;

  type Served = 'unsure' | { kind: 'none' } | { kind: 'file'; path: string; from: string } | { kind: 'index'; files: string[] };
  /**
   * The certificate of the port's own context, which the host's SNI context is layered over: the global
   * `<service>_ssl`, else the global `ssl`, else certmanager's find_service_cert (any certificate of the index
   * whose names serve every service, else `<service>.crt` and the like in the certificates directory).
   */
  const portCertificate = async (service: string, index: CertIndex | undefined, dir: string): Promise<Served> => {
    for (const name of [`${service}_ssl`, 'ssl']) {
      const set = global(name);
      if (set === 'unsure') return set;
      const cert = set && tableCertificate(set.setting.value);
      if (cert === 'unsure') return cert;
      if (cert) return { kind: 'file', path: resolveRelativePath(paths.configDir, cert), from: `the global \`${name}\`` };
    }
    if (global(`${service}_certificate`) !== undefined) return 'unsure';
    const any = index?.certs.filter((c) => Object.values(c.names).some((services) => services.includes('*'))) ?? [];
    if (any.length) return { kind: 'index', files: any.map((c) => c.file) };
    for (const c of findCertCandidates(dir, service, 'certificates-dir')) {
      if (c.pattern !== 'as-given' && (await statKind(c.certificate)) === 'file' && (await statKind(c.key)) === 'file') return { kind: 'file', path: c.certificate, from: 'the certificates directory' };
    }
    return { kind: 'none' };
  };

  for (const [name, sections] of hostSections) {
    // A host written twice merges its sections in ways not modelled here.
    const i = sections[0]!;
    const sec = config.sections[i]!;
    if (sections.length > 1 || !checkableName(sec) || disabledHost(config, i)) continue;
    for (const svc of services) {
      if (cancelled()) return;
      if (opaqueLayer(config, i, line, svc.starttls)) continue;
      // The certificate STARTTLS serves, from a table direct TLS does not read (a global `ssl` it does read).
      const cert = effectiveFieldIn(config, i, 'certificate', line, svc.starttls);
      if (!cert || cert.field.value.kind !== 'string' || (cert.section === 0 && cert.table === 'ssl')) continue;
      const certRef = refOf(refs, 'certificate', cert.field.value);
      // The host's own `<service>_ssl` (configmanager.get(host, …): never the parent domain's).
      const own = settingLines(config, i, `${svc.service}_ssl`);
      if (own.some((o) => o.conditional)) continue;
      const ownValue = own.at(-1)?.value;
      if (ownValue && ownValue.kind !== 'nil' && tableCertificate(ownValue) !== undefined) continue;
      if (lookupIsOpaque(name)) continue;
      const { lookup, dir, dirMissing } = await hostLookup(sec.name!);
      if (lookup.found) continue;
      const index = lookup.index;
      const unsure = (dirMissing && auto) || (auto && index?.error !== undefined) || index?.incomplete !== undefined || lookup.denied !== undefined;
      const served = await portCertificate(svc.service, index, dir);
      if (served === 'unsure') continue;
      const where = `on the ${svc.service} port${svc.ports.length > 1 ? 's' : ''} ${svc.ports.join(', ')}`;
      let what: string;
      // On s2s_direct_tls the peers are other servers.
      const peers = svc.starttls === 's2s' ? 'servers' : 'clients';
      if (served.kind === 'file') {
        if (certRef && served.path === certRef.resolved) continue;
        const c = await certAt(served.path, env);
        if (!c.value?.ok || !failingServices(c.value, name, servicesOf(`${svc.service}_ssl`), line).length) continue; // unreadable: reported on the file, if at all
        const names = c.value.dnsNames.length ? c.value.dnsNames : c.value.subjectCN ? [c.value.subjectCN] : [];
        what = `${JSON.stringify(sec.name)} is served the port's certificate ${JSON.stringify(show(served.path))} (from ${served.from}), which is for ${names.length ? names.join(', ') : '(no names)'}, not for this host: ${peers} refuse it`;
      } else if (served.kind === 'index') {
        // A certificate of the directory that names the host for some service only: not concluded.
        if (index?.certs.some((c) => c.names[name] !== undefined)) continue;
        const files = served.files.map(show);
        what = `${JSON.stringify(sec.name)} is served the port's certificate, which Prosody picks from the certificates directory (${files.length > 3 ? `one of ${files.slice(0, 3).join(', ')} and ${files.length - 3} more` : files.length > 1 ? `one of ${files.join(', ')}` : files[0]}) and which is not for this host: ${peers} refuse it`;
      } else {
        // certmanager's line for the host's own context (its port's context logs one naming the port).
        what = `${JSON.stringify(sec.name)} gets no certificate: ${peers} that name it by SNI there fail the handshake ("No certificate present in SSL/TLS configuration for ${sec.name}. SNI will be required." in Prosody's log${line === '13.0' ? ' at debug level' : ''})`;
      }
      const tableOf = (at: { section: number; table: string }): string => (at.section === i ? `its own \`${at.table}\`` : at.section === 0 ? `the global \`${at.table}\`` : `the \`${at.table}\` of ${JSON.stringify(config.sections[at.section]!.name)}`);
      const whose = tableOf(cert);
      const key = effectiveFieldIn(config, i, 'key', line, svc.starttls)?.field.value;
      // A password the STARTTLS tables give the key stays behind too, unless it is the global `ssl`'s, which the SNI
      // context reads (a reviewer's 0.12.3 run: the advice without it ended in "bad decrypt"); 13.0 takes the port's.
      const pw = effectiveFieldIn(config, i, 'password', line, svc.starttls);
      const pwLeft = pw !== undefined && !(pw.section === 0 && pw.table === 'ssl');
      const hostPw = pwLeft && !sniIgnored({ option: `${svc.service}_ssl`, section: i }, 'password', line);
      const pair = `{ certificate = ${JSON.stringify(cert.field.value.value)}, key = ${key?.kind === 'string' ? JSON.stringify(key.value) : '"…"'}${hostPw ? ', password = "…"' : ''} }`;
      const pwNote = !pwLeft ? '' : hostPw ? ` with the key's \`password\` (from ${tableOf(pw)}, which that context does not read either)` : ` (its key's \`password\` does not go along: Prosody ${line} builds this context with the port's password, so encrypt the key with that one or store it unencrypted)`;
      const candidate = lookup.tried.find((t) => t.pattern === '<name>.crt' && t.name === nameprepped(sec.name!));
      const lookupPlace = candidate ? ` (${show(candidate.certificate)} + ${path.basename(candidate.key)})` : '';
      const note = unsure ? ` (The certificates directory ${show(dir)} is not on this machine, cannot be listed by this user, or is too large to index here, so the automatic lookup could not be checked here.)` : '';
      const header = at(sec.range, i);
      // (Not where the host writes that table already: a second one would replace it whole.)
      const fix = pair.includes('…') || findSetting(config, i, `${svc.service}_ssl`) ? undefined : lineAfterHeader(run.text, header, `${svc.service}_ssl = ${pair}`);
      add(
        R.directTlsCert,
        header,
        `${where[0]!.toUpperCase()}${where.slice(1)}, ${what}. For a direct-TLS port Prosody ${line} builds each host's context from \`${svc.service}_ssl\` (the host's own, else the global one), the certificate its automatic lookup finds for the host, and the port's own context; it never reads ${whose}, which gives this host its certificate for STARTTLS, and the lookup finds none for it.${note} Under this host write \`${svc.service}_ssl = ${pair}\`${pwNote} (\`prosodyctl check\` calls it misplaced there, but Prosody reads it), or put the pair where the automatic lookup finds it${lookupPlace}.${includeNote(`sets \`${svc.service}_ssl\``)}`,
        unsure || include ? DiagnosticSeverity.Information : undefined,
        [{ range: at(cert.field.range, cert.section), message: 'the certificate STARTTLS serves' }, ...(svc.at ? [{ range: svc.at, message: 'the direct-TLS ports' }] : []), ...(includeRelated ?? [])],
        fix ? [{ title: `Add ${svc.service}_ssl with this certificate and key`, preferred: true, edits: [fix] }] : undefined,
      );
    }
  }
}

/**
 * The edit that writes `statement` on a line of its own after a section header (review 151: the message spelled the
 * line out, with no fix). Only where the header ends its line (a trailing `--` comment aside): not for the table form
 * `VirtualHost "x" { … }`. Indented as the line below when that is indented, else by two spaces.
 */
function lineAfterHeader(text: string, header: Range, statement: string): { range: Range; newText: string } | undefined {
  // (The table form's header call takes its table: it ends with the `}`.)
  if (text[header[1] - 1] === '}') return undefined;
  const eol = text.indexOf('\n', header[1]);
  const end = eol < 0 ? text.length : eol > 0 && text[eol - 1] === '\r' ? eol - 1 : eol;
  const rest = text.slice(header[1], end);
  if (!/^\s*(--(?!\[=*\[).*)?$/.test(rest)) return undefined;
  const next = eol < 0 ? '' : text.slice(eol + 1, text.indexOf('\n', eol + 1) < 0 ? text.length : text.indexOf('\n', eol + 1));
  const indent = /^[ \t]+(?=\S)/.exec(next)?.[0] ?? '  ';
  const nl = eol > 0 && text[eol - 1] === '\r' ? '\r\n' : '\n';
  return { range: [end, end], newText: `${nl}${indent}${statement}` };
}
