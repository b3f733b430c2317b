// The files the config names, each checked where it is named: certificates, keys (with their password and the
// certificate beside them), DH parameters, CA files and directories, Includes and certificate paths.
import * as path from 'node:path';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { findCertCandidates, inspectKey, issuersIn, keyMatchesCert, type CertificateInfo } from '../files';
import { guardedRead, realPath, RESTRICTED } from '../fileEnv';
import { certAt, certificateListInForce, dhAt, disabledHost, effectiveFieldIn, failingServices, hostsUsing, keyAt, partnerCertificate, passwordFor, passwordValue, portPassword, servicesOf, type PasswordValue } from '../fileFacts';
import { refOf, type PathRef } from '../fileRefs';
import { usualOpensslSaid } from '../catalog/versions';
import { nameprepped } from '../model/hostName';
import { findSetting } from '../model/tls';
import { getField, type Range } from '../model/values';
import { usesCertIndex } from '../files/paths';
import { FILE_RULE_IDS as R } from '../rules/files';
import { cipherSecLevel, ciphersInForce, layerContextsOf, sniContext, sniIgnored } from '../rules/helpers';
import { tls13OnlyProtocol } from '../rules/ciphers';
import { childSections, effectiveEntry, entryString, opaqueLayer, type LayerContext } from '../model/layering';
import { portsMayListen } from '../rules/unsafe';
import type { TlsTable } from '../model/tls';
import type { ParsedConfig } from '../model/parse';
import type { EvaluateResult } from '../ciphers/evaluate';
import { secLevelBits, serverUsable } from '../ciphers/classify';
import type { Finding } from '../rules/types';
import { capathIsFile, chainOutOfOrder, derMessage, expiryFinding, FILE_LABEL, labelOf, notForHost, rsaWeakMessage, sniLoss, staleIntermediate, weakHashLoadsOn, weakSignatureFinding } from './messages';
import { pairId } from './pairs';
import type { FileRun } from './run';

/** Checks every path of `run.refs` by its role; one odd file never stops the others. */
export async function checkNamedFiles(run: FileRun): Promise<void> {
  const { config, line, paths, auto, env, refs, add, readOk, unused, show, cancelled, statKind } = run;
  for (const ref of refs) {
    if (cancelled()) return;
    // A file whose read failed a moment ago (a config written for another machine names thousands) is reported
    // from the cache's memory without the awaits of a read; what a failed read reports does not depend on the role.
    const label = env.trusted ? labelOf(ref.role) : undefined;
    const failed = label ? env.fileCache.recentFailure(ref.resolved) : undefined;
    if (label && failed) {
      readOk(ref, failed, label);
      continue;
    }
    // LuaSec loads a `certificates` list in force instead of the single pair (review 142): its files are not judged.
    if ((ref.role === 'certificate' || ref.role === 'key') && ref.tls && ref.tls.sub === undefined && (['c2s', 's2s'] as const).every((c) => certificateListInForce(config, ref.tls!.section, line, c))) continue;
    try {
      switch (ref.role) {
        case 'certificate':
          await checkCertificate(run, ref, FILE_LABEL.certificate);
          break;
        case 'key':
          await checkKey(run, ref);
          break;
        case 'dhparam': {
          const r = await dhAt(ref.resolved, env);
          // A file Prosody cannot open costs the table its context; what the parameters are matters only where they
          // are used, which a host's SNI context on 13.0 does not (sni-setting-ignored).
          if (!readOk(ref, r.read, FILE_LABEL.dhparam, r.restricted) || !r.value || unused(ref, 'dhparam')) break;
          if (!r.value.ok) add(R.invalid, ref.range, `The DH parameters file holds no usable parameters: ${r.value.error}. Name a PEM file of DH parameters: \`openssl dhparam -out dh.pem 2048\` makes one, or use an RFC 7919 group such as ffdhe2048.`);
          // Prosody hands LuaSec the file's text, which it reads as PEM at the first DHE handshake (checked:
          // "no start line", the handshake fails; ECDHE suites still work).
          else if (r.value.der) add(R.invalid, ref.range, derMessage('DH parameters file', ': every DHE handshake fails ("no start line")', 'dhparam', 'dh'));
          // A reviewer's 0.12.3 run: Prosody starts, and every DHE handshake ends with "dh key too small".
          // (Only where a DHE suite may be chosen: review 141, "every DHE handshake fails" said under ECDHE-only ciphers.)
          else if (r.value.primeBits < 2048) {
            if (ref.tls && !(await dheMayBeUsed(run, ref.tls))) break;
            add(R.dhWeak, ref.range, `DH parameters of ${r.value.primeBits} bits are too weak (Logjam). OpenSSL builds at security level 2 (Debian's and Ubuntu's, and OpenSSL's own default from 3.2) refuse them: every DHE handshake fails ("dh key too small") and only ECDHE suites work; elsewhere they are considered breakable. Generate 2048 bits or more (\`openssl dhparam -out dh-2048.pem 2048\`), or use the RFC 7919 group ffdhe2048.`);
          } else checkDhLevel(run, ref, r.value.primeBits);
          break;
        }
        case 'cafile': {
          const r = await certAt(ref.resolved, env);
          if (!readOk(ref, r.read, FILE_LABEL.cafile, r.restricted) || !r.value) break;
          const lost = sniLoss(config, ref);
          if (!r.value.ok) add(R.invalid, ref.range, `The CA file holds no certificate (${r.value.error}); LuaSec fails with "error loading CA locations"${lost ? `: ${lost}` : ', so the contexts of this table get no TLS'}. Name a PEM file of CA certificates (on Debian \`/etc/ssl/certs/ca-certificates.crt\`), or a directory of them with \`capath\`.`);
          else if (r.value.der) add(R.invalid, ref.range, derMessage('CA file', ' ("error loading CA locations (no certificate or crl found)")', 'x509', 'ca'));
          else await checkCaFileChain(run, ref, r.value);
          break;
        }
        case 'include':
          if (!ref.glob && !ref.templated) {
            const r = await guardedRead(ref.resolved, env);
            if (r.kind !== 'ok' && r.kind !== 'too-large') readOk(ref, r, 'Included file', r === RESTRICTED);
          } else if (ref.glob && !ref.templated) {
            // A glob matching nothing is fine, but its folder must be there: Prosody lists it and stops loading the
            // config when it cannot (a reviewer's 0.12.3 run: "cannot open …/confd: No such file or directory").
            const dir = path.dirname(ref.resolved);
            const st = await statKind(dir);
            if (st === 'missing' || st === 'file') {
              const why = st === 'missing' ? 'does not exist' : 'is a file';
              add(R.missing, ref.range, `The folder this Include lists, ${show(dir)}, ${why}: Prosody cannot list it and stops loading the config, so it does not start. Create the folder, or correct the path${ref.relative ? ` (Prosody resolves it against ${paths.fileDir})` : ''}.`, auto && !ref.relative && st === 'missing' ? DiagnosticSeverity.Information : undefined);
            }
          }
          break;
        case 'host-certificate':
        case 'service-certificate': {
          if (ref.role === 'host-certificate' && (await indexOverrides(run, ref))) break;
          if (ref.role === 'service-certificate' && (await serviceIndexOverrides(run, ref))) break;
          // A file or a directory to look in; only a file can be inspected.
          const st = await statKind(ref.resolved);
          if (st === 'missing') readOk(ref, { kind: 'missing' }, 'Certificate path');
          else if (st === 'file') {
            await checkCertificate(run, ref, FILE_LABEL.certificate);
            if (ref.role === 'service-certificate') await checkServiceKey(run, ref);
          }
          break;
        }
        case 'capath':
        case 'certificates-dir': {
          // A missing capath is not an error for LuaSec; a missing certificates dir shows up as host-no-certificate.
          const st = await statKind(ref.resolved);
          if (st === 'file' && ref.role === 'capath') {
            if (!unused(ref, 'capath')) add(R.invalid, ref.range, capathIsFile(ref, line), DiagnosticSeverity.Warning);
          }
          else if (st === 'file') add(R.unreadable, ref.range, `${JSON.stringify(ref.value)} is a file, but Prosody expects a directory here.`);
          break;
        }
      }
    } catch {
      // One odd file must not stop the others.
    }
  }
  run.settleAbsent();
}

/**
 * A host's `certificate` option the lookup never reads (0.12+): find_host_cert asks the certificates directory's index
 * first, and reads the option only where the index holds no certificate for the host (a reviewer's 0.12.3 run served
 * the index's certificate, "Using cert … from index"). Reported instead of judging a file Prosody does not use.
 */
async function indexOverrides(run: FileRun, ref: PathRef): Promise<boolean> {
  const { config, line, add, show, hostLookup, lookupIsOpaque } = run;
  const sec = config.sections[ref.section];
  if (!usesCertIndex(line) || !sec || sec.kind === 'global' || sec.name === undefined || disabledHost(config, ref.section) || lookupIsOpaque(sec.name)) return false;
  const name = nameprepped(sec.name);
  // The line the lookup reads: the last one of the first section of that name (Prosody merges a name written twice).
  if (config.sections.findIndex((x, j) => j > 0 && x.name !== undefined && nameprepped(x.name) === name) !== ref.section) return false;
  if (findSetting(config, ref.section, 'certificate')?.value !== ref.node) return false;
  const { lookup, dir } = await hostLookup(sec.name);
  const hit = lookup.found;
  if (!hit || hit.via !== 'index' || hit.name !== name) return false;
  // The index serves the option's own file, or one in the folder it names: the option's aim is met (a reviewer: the
  // advice to take that file out of the directory would leave the host without one).
  if (await servesOwn(run, [hit.certificate, ...(hit.indexHit?.alternatives ?? [])], ref.resolved)) return false;
  const others = hit.indexHit?.alternatives ?? [];
  const taken = others.length ? `one of ${[hit.certificate, ...others].map((f) => show(f)).join(', ')} (its pick among certificates indexed under one name is not fixed)` : show(hit.certificate);
  add(R.notRead, ref.range, `Prosody ${line} never reads this: its certificate lookup for ${JSON.stringify(sec.name)} asks the index of ${show(dir)}/ first and takes ${taken}, and looks at a host's \`certificate\` only where the index has no certificate for it. To serve this file, name it and its key in the host's \`ssl\` table (\`ssl = { certificate = …, key = … }\`, which Prosody layers over what the lookup finds), or take the indexed certificate out of ${show(dir)}/.`);
  return true;
}

/**
 * One of the files the index serves is the option's own, or lies in the folder it names, through symbolic links too
 * (a reviewer: certs/example.test.crt linking to live/example.test/fullchain.pem, which the option named).
 */
async function servesOwn(run: FileRun, served: readonly string[], option: string): Promise<boolean> {
  const own = await realPath(option, run.env);
  for (const f of served) {
    const r = await realPath(f, run.env);
    if (r === own || r.startsWith(own + path.sep)) return true;
  }
  return false;
}

/**
 * A `<service>_certificate` the lookup never reads (0.12+): find_service_cert takes any certificate of the index that
 * has a DNS name (good for every service) before it reads the option (a reviewer's 0.12.3 and 13.0.1 runs: "Using cert
 * … from index for service c2s_direct_tls port …", an expired file named by the option never served).
 */
async function serviceIndexOverrides(run: FileRun, ref: PathRef): Promise<boolean> {
  const { line, add, show, serviceIndexCert } = run;
  if (!usesCertIndex(line) || ref.section !== 0) return false;
  const hit = await serviceIndexCert();
  if (!hit) return false;
  if (await servesOwn(run, [hit.certificate], ref.resolved)) return false;
  const option = ref.option ?? 'this option';
  add(R.notRead, ref.range, `Prosody ${line} never reads this: for a service's port its certificate lookup takes a certificate of the index of ${show(hit.dir)}/ that has a DNS name (here ${show(hit.certificate)}; which one, where there are several, is not fixed) and reads \`${option}\` only where the index has none. Remove it: from 0.12 the port's hosts get their own indexed certificates through SNI. (To serve this file to every client of the port instead, name it and its key in the global \`${option.replace(/_certificate$/, '_ssl')}\` table; every host then gets it there, its own certificate no more.)`);
  return true;
}

/**
 * Before 0.12 find_service_cert reads `<service>_certificate` directly, and find_cert takes the key from the same file
 * unless its name ends in `.crt` or `fullchain.pem`: a certificate-only `.pem` there leaves the service without a port
 * (a reviewer's 0.11.9 run: "Selecting certificate …/cert.pem with key …/cert.pem for legacy_ssl", "error loading
 * private key", "Activated service 'legacy_ssl' on no ports"). From 0.12 the index is asked first (not judged here).
 */
async function checkServiceKey(run: FileRun, ref: PathRef): Promise<void> {
  const { line, env, add } = run;
  if (line !== '0.10' && line !== '0.11') return;
  // find_cert's own pairing (files/paths.ts): a path given whole keeps itself as the key unless `.crt`/`fullchain.pem`.
  const asGiven = findCertCandidates(ref.resolved, '', 'certificate-option').find((c) => c.pattern === 'as-given');
  if (asGiven?.key !== ref.resolved) return;
  const r = await keyAt(ref.resolved, env);
  if (!r.value || r.read.kind !== 'ok' || r.value.ok) return;
  const service = ref.option?.replace(/_certificate$/, '') ?? 'the service';
  add(R.invalid, ref.range, `Prosody ${line} takes this service's key from the same file (its name ends in neither \`.crt\` nor \`fullchain.pem\`), and it holds no private key (${r.value.error}): loading it fails ("error loading private key"), so ${service} binds no port ("Activated service '${service}' on no ports"). Append the private key to this file, or rename it to \`.crt\` with its key beside it as \`.key\`.`);
}

/**
 * A host's key with no certificate in any table in force: Prosody layers it over what its automatic lookup found, so it
 * must belong to that certificate (a reviewer's 0.12.3 and 13.0.1: the index's certificate beside the key of the host's
 * `ssl`, "private key does not match public key" for c2s and s2s).
 */
async function checkFoundPartner(run: FileRun, ref: PathRef, keyBytes: Uint8Array, pw: PasswordValue): Promise<void> {
  const { config, line, env, add, show, hostLookup, lookupIsOpaque } = run;
  const sec = config.sections[ref.section];
  if (line === '0.9' || !ref.tls || ref.tls.sub !== undefined || !ref.tls.contexts.includes('c2s') || sniContext(ref.tls)) return;
  if (!sec || sec.kind === 'global' || sec.name === undefined || disabledHost(config, ref.section) || lookupIsOpaque(sec.name)) return;
  const { lookup } = await hostLookup(sec.name);
  const found = lookup.found;
  if (!found || found.indexHit?.alternatives?.length) return;
  const cr = await guardedRead(found.certificate, env);
  if (cr.kind !== 'ok') return;
  const m = keyMatchesCert(keyBytes, cr.bytes, pw.kind === 'string' ? pw.value : undefined);
  if (m.kind !== 'mismatch' || m.later) return;
  add(R.keyMismatch, ref.range, `No table in force for ${JSON.stringify(sec.name)} names a certificate, so Prosody takes the one its automatic lookup finds, ${show(found.certificate)}, and puts this key in place of that certificate's own: this key does not belong to it, so LuaSec fails ("private key does not match public key") and the host gets no TLS. Name the certificate this key was issued with next to it (\`certificate = …\`), or leave the key out so the lookup's own key (${show(found.key)}) is used.`);
}

/** The server certificate's dates (expiryFinding), else an intermediate's (staleIntermediate, a Warning). */
export function addExpiry(run: FileRun, c: CertificateInfo, range: Range, subject: string, file: string, place: string, unserved?: string): void {
  const { add, expiry } = run;
  const when = expiryFinding(c, expiry(c), subject, place);
  const stale = when ? undefined : staleIntermediate(c, expiry, file);
  // A certificate no connection of this config serves: its dates are only a note (review 141).
  const severity = unserved ? DiagnosticSeverity.Information : undefined;
  if (when) add(when.rule, range, `${when.message}${unserved ?? ''}`, severity);
  else if (stale) add(R.expired, range, `${stale}${unserved ?? ''}`, severity ?? DiagnosticSeverity.Warning);
}

/**
 * Whether a module that is not Prosody's own may load mod_http (community modules such as http_upload do): a
 * `modules_enabled` that is not a literal list, or names one with an HTTP-ish name. Only where the verdict would quiet a
 * finding (review 142: an expired global certificate was served on 5281 for a module not in the catalog's list).
 */
function mayLoadHttp(config: ParsedConfig): boolean {
  return config.settings.some((s) => s.name === 'modules_enabled' && (s.value.kind !== 'table' || s.value.items.some((i) => i.kind !== 'string' || /http|web|bosh|upload|share|metrics|invite|converse/i.test(i.value))));
}

/**
 * Why the global `ssl` certificate serves no connection here, if it does not: every active host writes its own over it
 * and no direct-TLS or HTTPS port (whose contexts take the global table) may listen (review 141: a real 0.12.3 served
 * each host its own certificate, the expired global one only to Prosody's outgoing HTTPS requests). Undefined when it
 * may be served, or when included files may hold hosts that take it.
 */
function unservedGlobalCertificate(run: FileRun, ref: PathRef): string | undefined {
  const { config, line, include } = run;
  if (include || ref.role !== 'certificate' || ref.section !== 0 || ref.tls?.option !== 'ssl' || ref.tls.sub !== undefined) return undefined;
  const hosts = config.sections.map((_, i) => i).filter((i) => i > 0 && !disabledHost(config, i));
  // (A host whose table is computed may take it: hostsUsing leaves such hosts out.)
  if (!hosts.length || hosts.some((i) => config.sections[i]!.kind !== 'host' || opaqueLayer(config, i, line)) || hostsUsing(config, ref, line).length || portsMayListen(config, line) || mayLoadHttp(config)) return undefined;
  return ' Every host here writes a certificate of its own over this one, and no direct-TLS or HTTPS port listens, so no client is served it now: renew it or take it out before a host relies on it.';
}

async function checkCertificate(run: FileRun, ref: PathRef, what: string): Promise<void> {
  const { config, line, env, refs, add, at, readOk } = run;
  const r = await certAt(ref.resolved, env);
  if (!readOk(ref, r.read, what, r.restricted) || !r.value) return;
  const c = r.value;
  if (!c.ok) {
    // (A good server certificate before a broken block is no help: LuaSec reads the whole chain, review 141.)
    add(R.invalid, ref.range, `LuaSec cannot load this certificate file: ${c.error}. It fails with "error loading certificate"; name the PEM file of the certificate (with its chain, e.g. Let's Encrypt's fullchain.pem) here, and make sure every block in it is whole.`);
    return;
  }
  if (c.der) {
    add(R.invalid, ref.range, derMessage('certificate file', ' ("error loading certificate (no start line)")', 'x509', 'cert'));
    return;
  }
  addExpiry(run, c, ref.range, 'The certificate', 'The file', 'name the new file here', unservedGlobalCertificate(run, ref));
  const services = servicesOf(ref.tls?.option);
  for (const h of hostsUsing(config, ref, line)) {
    // From 0.12 a host the certificates index serves never reaches the global `certificate` option.
    if (ref.role === 'host-certificate' && ref.section === 0 && usesCertIndex(line) && (await run.hostLookup(h.name)).lookup.found?.via === 'index') continue;
    const served = h.services ? services.filter((sv) => h.services!.includes(sv)) : services;
    const failing = failingServices(c, h.name, served, line);
    if (!failing.length) continue;
    const header = at(config.sections[h.section]!.range, h.section);
    // In the host's own table, that table is the place (its `c2s_ssl` outranks its `ssl`); from a table above it, its own `ssl` outranks that.
    const where = ref.section === h.section && ref.tls ? `here, in its \`${ref.tls.option}\` table` : 'in its own ssl table';
    // An intermediate pasted first reads as the server's certificate: then the remedy is the order, not another certificate.
    const order = c.chainOrderOk ? '' : ' The certificates in the file are not in issuing order: if the server certificate is further down, put it first (OpenSSL serves the first one).';
    add(R.hostMismatch, ref.range, `${notForHost(c, h.name, 'The certificate', failing, served, line)}${order} Give ${JSON.stringify(h.name)} a certificate that names it (${where}), or get this one reissued with the name added.`, undefined, ref.section === h.section ? undefined : [{ range: header, message: `${h.name} uses this certificate` }]);
  }
  if (ref.tls && c.keyType === 'rsa' && (c.keyBits ?? 4096) < 2048 && !refs.some((k) => k.role === 'key' && k.tls?.table === ref.tls?.table)) {
    add(R.rsaWeak, ref.range, rsaWeakMessage(`The certificate's RSA key has ${c.keyBits} bits`, c.keyBits ?? 0), (c.keyBits ?? 0) < 1024 ? DiagnosticSeverity.Error : undefined);
  }
  const weak = weakSignatureFinding(c, line);
  if (weak) add(R.weakSignature, ref.range, weak.message, weak.severity);
  else await checkInheritedCaFile(run, ref);
  if (ref.tls) checkKeyLevel(run, ref, c);
  if (ref.tls) checkSuitesForKey(run, ref, c);
}

/**
 * The ciphers in force for a table's connections of one kind, evaluated, with the protocol in force: undefined where
 * TLS 1.2 is closed (a TLS 1.3-only protocol) or either cannot be read.
 */
function tls12Ciphers(run: FileRun, t: TlsTable, ctx: LayerContext): { r: EvaluateResult; protocol: string } | undefined {
  const { config, line } = run;
  const entry = effectiveEntry(config, t.section, ctx, line, 'protocol');
  const protocol = entry && entryString(entry);
  if (protocol === undefined || tls13OnlyProtocol(protocol)) return undefined;
  const r = ciphersInForce(config, t.section, ctx, line);
  return r && !r.error ? { r, protocol } : undefined;
}

/** Whether LuaSec's `certificates` list is in force for these connections (its pairs may serve what this key cannot). */
function listServes(run: FileRun, section: number, ctx: LayerContext): boolean {
  return (ctx === 'c2s' || ctx === 's2s') && certificateListInForce(run.config, section, run.line, ctx);
}

/**
 * Whether some connection the table serves may choose a DHE suite: TLS 1.2 open, the ciphers in force selecting one,
 * and a certificate that can sign for it (true where any of these cannot be read).
 */
async function dheMayBeUsed(run: FileRun, t: TlsTable): Promise<boolean> {
  const { config, line } = run;
  for (const ctx of layerContextsOf(config, t)) {
    const entry = effectiveEntry(config, t.section, ctx, line, 'protocol');
    const protocol = entry && entryString(entry);
    if (protocol !== undefined && tls13OnlyProtocol(protocol)) continue;
    const r = ciphersInForce(config, t.section, ctx, line);
    if (r && r.error === undefined && !r.suites.some((x) => x.kx === 'DH' && x.protocol !== 'TLSv1.3')) continue;
    if (await dheCertificateMayServe(run, t, ctx)) return true;
  }
  return false;
}

/**
 * Whether a certificate that can authenticate a DHE suite (RSA, DSA) may be in force for connections of one kind
 * where the table reaches: false only when every host it may reach has a certificate named here whose key is EC or
 * EdDSA (review 142, real 0.12.3: with a P-256 certificate alone, DHE-RSA and kDHE suites gave "no shared cipher",
 * never "dh key too small"). The automatic lookup's, a `certificates` list, a computed or unreadable file: may.
 */
async function dheCertificateMayServe(run: FileRun, t: TlsTable, ctx: LayerContext): Promise<boolean> {
  const { config, line, refs, env } = run;
  if (ctx !== 'c2s' && ctx !== 's2s') return true;
  // A global table reaches the hosts of the files this one includes, or of the main config that includes it (review
  // 150: an RSA host in an included file took the global weak parameters, "dh key too small" on real 0.12.3).
  if (t.section === 0 && (run.include || (await run.mainGlobals()).config !== undefined)) return true;
  const reached = t.section === 0 ? config.sections.map((_, i) => i).filter((i) => i > 0) : [t.section, ...childSections(config, t.section)];
  let hosts = 0;
  for (const i of reached) {
    if (disabledHost(config, i) || (ctx === 'c2s' && config.sections[i]!.kind === 'component')) continue;
    if (opaqueLayer(config, i, line, ctx) || certificateListInForce(config, i, line, ctx)) return true;
    const cert = effectiveFieldIn(config, i, 'certificate', line, ctx);
    const ref = cert && refOf(refs, 'certificate', cert.field.value);
    if (!ref) return true;
    const c = (await certAt(ref.resolved, env)).value;
    // OpenSSL's DHE suites authenticate with RSA (or DSS) only: there is no DHE-ECDSA.
    if (!c?.ok || c.keyType === undefined || AUTH_OF_KEY[c.keyType] !== 'ECDSA') return true;
    hosts++;
  }
  return hosts === 0;
}

/**
 * A certificate file that holds the server certificate alone, beside a `cafile` that holds its issuers: OpenSSL builds
 * the chain it sends from that store at each handshake and holds it to the security level there (review 150: a SHA-1
 * intermediate in the cafile, "ca md too weak" and alert 80 on every handshake of real 0.11.9 and 0.12.3, Prosody
 * started; 13.0.1 on OpenSSL 3.5.9 sent it). Followed up the issuers the file holds as OpenSSL picks them (issuersIn),
 * to a self-signed one.
 */
async function checkCaFileChain(run: FileRun, ref: PathRef, ca: CertificateInfo): Promise<void> {
  const field = ref.tls && getField(ref.tls.table, 'certificate');
  const certRef = field && refOf(run.refs, 'certificate', field.value);
  if (certRef) await weakIssuerFrom(run, certRef, ref, ca, 'ca');
}

/**
 * The same for a certificate whose table writes no `cafile`, under one a table beneath it does (a global `ssl`'s for a
 * host's certificate: review 152, alert 80 on real 0.11.9 and 0.12.3): said on the certificate, pointing at the CA file.
 */
async function checkInheritedCaFile(run: FileRun, ref: PathRef): Promise<void> {
  const { config, line, refs, env } = run;
  if (!ref.tls || ref.tls.sub !== undefined || getField(ref.tls.table, 'cafile')) return;
  for (const ctx of ['c2s', 's2s'] as const) {
    const f = effectiveFieldIn(config, ref.tls.section, 'cafile', line, ctx);
    const caRef = f && refOf(refs, 'cafile', f.field.value);
    if (!caRef) continue;
    const ca = (await certAt(caRef.resolved, env)).value;
    if (ca?.ok && !ca.der && (await weakIssuerFrom(run, ref, caRef, ca, 'certificate'))) return;
  }
}

/**
 * Reports a weak signature up the issuers `caRef` supplies to `certRef`'s lone server certificate, on the CA file or on
 * the certificate (then pointing at the CA file); true when said.
 */
async function weakIssuerFrom(run: FileRun, certRef: PathRef, caRef: PathRef, ca: CertificateInfo, on: 'ca' | 'certificate'): Promise<boolean> {
  const { env, add, show, line } = run;
  const leaf = (await certAt(certRef.resolved, env)).value;
  if (!leaf?.ok || leaf.der || leaf.chainLength !== 1 || leaf.selfSigned) return false;
  const [lr, cr] = [await guardedRead(certRef.resolved, env), await guardedRead(caRef.resolved, env)];
  if (lr.kind !== 'ok' || cr.kind !== 'ok') return false;
  for (const k of issuersIn(lr.bytes, cr.bytes, env.now ?? new Date())) {
    const x = ca.chain[k];
    if (!x || x.selfSigned) return false;
    if (x.weakSignature === undefined) continue;
    const old = weakHashLoadsOn(x.weakSignature, line);
    const name = JSON.stringify(x.subjectCN ?? x.subject);
    const head = on === 'ca'
      ? `This CA file holds ${name}, an issuer of ${JSON.stringify(show(certRef.resolved))} (which holds the server certificate alone)`
      : `This file holds the server certificate alone, and the CA file in force, ${JSON.stringify(show(caRef.resolved))}, holds its issuer ${name}`;
    add(R.weakSignature, on === 'ca' ? caRef.range : certRef.range, `${head}, and it is signed with ${x.weakSignature}, a hash OpenSSL counts as broken. OpenSSL builds the chain it sends from that file at every handshake and holds it to the security level there: OpenSSL up to the releases that carry its 2026 change (Debian 12's 3.0.22 among them) fails every handshake ("ca md too weak", alert 80) although Prosody starts${old ? ` (${usualOpensslSaid(line)}, may still send it)` : ''}; later ones (Debian 13's 3.5.9) send it, and clients and servers that verify refuse it. Get the chain with a SHA-256 intermediate from the CA, and name it whole (server certificate first) as the certificate.`, old ? DiagnosticSeverity.Warning : DiagnosticSeverity.Error, on === 'ca' ? undefined : [{ range: caRef.range, message: 'the CA file in force' }]);
    return true;
  }
  return false;
}

/** How a message names the connections of one kind a table serves. */
const connections = (ctx: string): string => (ctx === 's2s' ? 'server-to-server' : ctx === 'c2s' ? 'client' : 'these');

/** The TLS 1.2 authentication a key serves (`openssl ciphers -v`'s Au column): EdDSA keys sign in ECDSA suites. */
const AUTH_OF_KEY: Readonly<Record<string, string>> = { rsa: 'RSA', 'rsa-pss': 'RSA', ec: 'ECDSA', ed25519: 'ECDSA', ed448: 'ECDSA', dsa: 'DSS' };

/**
 * A certificate none of whose key's TLS 1.2 suites the ciphers in force select (an ECDSA-only list from a hardening
 * guide beside an RSA certificate): TLS 1.2 handshakes find no suite (a reviewer's 0.12.3: "no shared cipher" for the
 * RSA host, TLS 1.3 unaffected). Judged per kind of connection the table serves, where TLS 1.2 is open.
 */
function checkSuitesForKey(run: FileRun, ref: PathRef, c: CertificateInfo): void {
  const { config, add } = run;
  const auth = c.keyType ? AUTH_OF_KEY[c.keyType] : undefined;
  if (!ref.tls || !auth) return;
  const failing: Array<{ ctx: string; example: string; tls13: boolean }> = [];
  const contexts = layerContextsOf(config, ref.tls);
  for (const ctx of contexts) {
    if (listServes(run, ref.tls.section, ctx)) continue;
    const open = tls12Ciphers(run, ref.tls, ctx);
    if (!open) continue;
    const { r, protocol } = open;
    const usable = r.suites.filter((x) => x.protocol !== 'TLSv1.3' && serverUsable(x, r.seclevel));
    // (A `+` form, `sslv23` or `any` leaves TLS 1.3 open beside it; a pinned older version does not.)
    if (usable.length && !usable.some((x) => x.au === auth)) failing.push({ ctx, example: usable[0]!.name, tls13: protocol.endsWith('+') || protocol === 'sslv23' || protocol === 'any' });
  }
  if (!failing.length) return;
  const which = failing.length === contexts.length ? '' : ` for ${connections(failing[0]!.ctx)} connections`;
  const needs = [...new Set(failing.map((f) => f.example))];
  add(R.suitesForKey, ref.range, `Every TLS 1.2 suite the ciphers in force select${which} (such as ${needs.join(', ')}) needs a certificate of another kind than this one, whose key is ${c.keyType === 'rsa' ? 'RSA' : c.keyType?.toUpperCase()}: TLS 1.2 handshakes find no suite ("no shared cipher")${failing.every((f) => f.tls13) ? ', and only TLS 1.3 clients and servers connect' : ''}. Add suites for ${auth} certificates (\`ECDHE+AESGCM\` selects both kinds), or use a certificate with the key those suites need.`);
}

/**
 * A key weaker than the `@SECLEVEL` the ciphers in force for the table's connections set (OpenSSL's minbits for the
 * end-entity key, SSL_SECOP_EE_KEY): Prosody starts, every handshake fails with "ee key too small" (a reviewer's 0.12.3
 * and 13.0.1 runs: an RSA-2048 host at `@SECLEVEL=3`, alert 80). Keys under 2048 bits are key-rsa-weak's.
 */
function checkKeyLevel(run: FileRun, ref: PathRef, c: CertificateInfo): void {
  const { config, line, add, at } = run;
  const bits = keySecurityBits(c.keyType, c.keyBits);
  if (!ref.tls || bits === undefined || bits < 112) return;
  // Per kind of connection the table serves: a `c2s_ssl` may raise the level for clients alone (a reviewer's 0.12.3:
  // c2s failed, s2s still negotiated TLS 1.2).
  const contexts = layerContextsOf(config, ref.tls);
  // The connections of `ctxs` in `section` whose level asks more than `has` bits (the server key's, or a CA's).
  const failingAt = (section: number, ctxs: readonly LayerContext[], has = bits): Array<{ ctx: LayerContext; level: number }> =>
    ctxs.filter((ctx) => !listServes(run, section, ctx)).map((ctx) => ({ ctx, level: cipherSecLevel(config, section, ctx, line) ?? 0 })).filter((l) => has < secLevelBits(l.level));
  const key = c.keyType === 'rsa' ? `RSA key of ${c.keyBits} bits` : `${c.keyType?.toUpperCase()} key of ${c.keyBits} bits`;
  // OpenSSL refuses an RSA end-entity key by name; with an EC or EdDSA key no suite or signature scheme is left (the
  // reviewer's 0.12.3 logged "no shared cipher", 13.0.1 also "no suitable signature algorithm").
  const logged = c.keyType === 'rsa' || c.keyType === 'rsa-pss' || c.keyType === 'dsa' ? 'ee key too small' : 'no shared cipher';
  const advice = (needed: number): string => (needed <= 128 ? `an RSA key of ${rsaSizeFor(needed)} bits or an EC key (P-256)` : needed <= 192 ? 'an EC key on P-384 or stronger' : 'an EC key on P-521');
  // The CA certificates the file sends are held to the same level (SSL_SECOP_CA_KEY; review 141: a P-256 or RSA-4096
  // leaf under an RSA-2048 intermediate, like Let's Encrypt's R10/R11, at @SECLEVEL=3 got alert 80, "ca key too small",
  // on real 0.12.3 and 13.0.1).
  const ca = c.chain.slice(1).map((x, k) => ({ x, k, bits: keySecurityBits(x.keyType, x.keyBits) })).filter((e): e is { x: typeof e.x; k: number; bits: number } => e.bits !== undefined).sort((a, b) => a.bits - b.bits)[0];
  const caText = (needed: number): string => ca && ca.bits < needed ? ` The CA certificate after it in the file, ${ca.x.subjectCN !== undefined ? JSON.stringify(ca.x.subjectCN) : `certificate ${ca.k + 2}`}, whose ${ca.x.keyType === 'rsa' ? 'RSA' : ca.x.keyType?.toUpperCase()} key of ${ca.x.keyBits} bits gives ${ca.bits}, is below that level too ("ca key too small"): a stronger server key alone does not help, only a lower level or a chain that meets it (for Let's Encrypt, an ECDSA key, whose chain is ECDSA).` : '';
  const failing = failingAt(ref.tls.section, contexts);
  if (failing.length) {
    const { level, needed, which } = levelFailures(failing, contexts.length, 'handshake with it');
    add(R.keyBelowLevel, ref.range, `The ciphers in force here set \`@SECLEVEL=${level}\`, at which OpenSSL asks ${needed} bits of security of the server's key; this certificate's ${key} gives ${bits}. Prosody starts, but ${which} ("${logged}" in Prosody's log). Use ${advice(needed)}, or a lower level.${caText(needed)}`);
    return;
  }
  const caFailing = ca ? failingAt(ref.tls.section, contexts, ca.bits) : [];
  if (caFailing.length) {
    const { level, needed, which } = levelFailures(caFailing, contexts.length, 'handshake with it');
    add(R.keyBelowLevel, ref.range, `The ciphers in force here set \`@SECLEVEL=${level}\`, at which OpenSSL asks ${needed} bits of security of every certificate the server sends. This certificate's own key meets it, but Prosody starts and ${which} ("ca key too small" in Prosody's log).${caText(needed)}`);
    return;
  }
  // A host that takes the certificate from a table above it (the global `ssl`, its parent domain's) may raise the
  // level in its own tables (a reviewer's 0.12.3: a host's `c2s_ssl` at @SECLEVEL=3 over a global RSA-2048
  // certificate, alert 80 for its clients while s2s worked).
  // (A host's level may also be above the chain's CA key alone: review 142, real 0.12.3 and 13.0.1 sent alert 80.)
  const hosts: Array<{ name: string; section: number; failing: Array<{ ctx: LayerContext; level: number }>; of: number; caOnly: boolean }> = [];
  for (const h of hostsUsing(config, ref, line)) {
    if (h.section === ref.tls.section) continue;
    const ctxs: LayerContext[] = h.services ? h.services.flatMap((s) => (s === 'xmpp-client' ? ['c2s' as const] : s === 'xmpp-server' ? ['s2s' as const] : [])) : contexts;
    const f = failingAt(h.section, ctxs);
    const fc = f.length || !ca ? [] : failingAt(h.section, ctxs, ca.bits);
    if (f.length || fc.length) hosts.push({ name: h.name, section: h.section, failing: f.length ? f : fc, of: ctxs.length, caOnly: !f.length });
  }
  if (!hosts.length) return;
  const first = hosts[0]!;
  const failed = levelFailures(first.failing, first.of, `handshake with ${JSON.stringify(first.name)}`);
  const { level, needed } = failed;
  // A host that takes the certificate for one kind of connection only (its own for the other): that kind is named
  // (review 142, real 0.12.3: c2s with the host's own EC pair worked, s2s got alert 80).
  const which = first.of < contexts.length && first.failing.length === first.of ? `every ${connections(first.failing[0]!.ctx)} handshake with ${JSON.stringify(first.name)} fails` : failed.which;
  const others = hosts.length > 1 ? ` (and the same for ${hosts.length - 1} more host${hosts.length > 2 ? 's' : ''} that raise the level)` : '';
  add(
    R.keyBelowLevel,
    ref.range,
    first.caOnly
      ? `${JSON.stringify(first.name)} takes this certificate, and the ciphers in force for it set \`@SECLEVEL=${level}\` in its own tables, at which OpenSSL asks ${needed} bits of security of every certificate the server sends. This certificate's own key meets it, but Prosody starts and ${which}${others} ("ca key too small" in Prosody's log).${caText(needed)}`
      : `${JSON.stringify(first.name)} takes this certificate, and the ciphers in force for it set \`@SECLEVEL=${level}\` in its own tables, at which OpenSSL asks ${needed} bits of security of the server's key; this certificate's ${key} gives ${bits}. Prosody starts, but ${which}${others} ("${logged}" in Prosody's log). Give that host a certificate with ${advice(needed)}, or a lower level.${caText(needed)}`,
    undefined,
    hosts.slice(0, 10).map((h) => ({ range: at(config.sections[h.section]!.range, h.section), message: `${h.name} sets @SECLEVEL=${Math.max(...h.failing.map((f) => f.level))}` })),
  );
}

/**
 * DH parameters weaker than the `@SECLEVEL` of the ciphers in force (OpenSSL counts a DH prime as an RSA modulus of
 * its size): every DHE handshake fails (a reviewer's 0.12.3 with 2048-bit parameters at @SECLEVEL=3: "dh key too
 * small"); ECDHE suites still work.
 */
function checkDhLevel(run: FileRun, ref: PathRef, primeBits: number): void {
  const { config, add } = run;
  if (!ref.tls) return;
  const bits = keySecurityBits('dh', primeBits)!;
  // Per kind of connection, where TLS 1.2 is open and the ciphers select a DHE suite usable at their level: only there
  // are the parameters used (a reviewer's 0.12.3: c2s at level 3 failed, s2s still took DHE with them).
  const contexts = layerContextsOf(config, ref.tls);
  const failing: Array<{ ctx: string; level: number }> = [];
  for (const ctx of contexts) {
    const r = tls12Ciphers(run, ref.tls, ctx)?.r;
    const level = r?.seclevel ?? 0;
    if (!r || bits >= secLevelBits(level)) continue;
    if (r.suites.some((x) => x.kx === 'DH' && x.protocol !== 'TLSv1.3' && serverUsable(x, level))) failing.push({ ctx, level });
  }
  if (!failing.length) return;
  const { level, needed, which } = levelFailures(failing, contexts.length, 'DHE handshake');
  const size = rsaSizeFor(needed);
  add(R.dhWeak, ref.range, `The ciphers in force set \`@SECLEVEL=${level}\`, at which OpenSSL asks ${needed} bits of security of DH parameters; ${primeBits} bits give ${bits}, so ${which} ("dh key too small") and only ECDHE suites work. Generate ${size} bits (\`openssl dhparam -out dh.pem ${size}\`), or a lower level.`);
}

/**
 * The highest security level among the connections that fail, the bits it asks, and which handshakes fail ("every
 * handshake with it fails", or only those of one kind of connection where another keeps a lower level).
 */
function levelFailures(failing: ReadonlyArray<{ ctx: string; level: number }>, contexts: number, handshake: string): { level: number; needed: number; which: string } {
  const level = Math.max(...failing.map((f) => f.level));
  const all = failing.length === contexts;
  return { level, needed: secLevelBits(level), which: `every ${all ? '' : `${connections(failing[0]!.ctx)} `}${handshake} fails${all ? '' : ' (the other connections keep a lower level)'}` };
}

/** An RSA modulus (or DSA, or DH prime) size and the bits of security OpenSSL counts for it (BN_security_bits). */
const RSA_SECURITY: ReadonlyArray<readonly [size: number, bits: number]> = [[15360, 256], [7680, 192], [3072, 128], [2048, 112], [1024, 80]];

/** The smallest RSA (or DH) size that gives `bits` of security. */
const rsaSizeFor = (bits: number): number => [...RSA_SECURITY].reverse().find(([, b]) => b >= bits)![0];

/** The bits of security OpenSSL counts for a key (BN_security_bits for RSA and DSA; half the size for EC). */
function keySecurityBits(type: string | undefined, size: number | undefined): number | undefined {
  if (!size) return undefined;
  if (type === 'rsa' || type === 'rsa-pss' || type === 'dsa' || type === 'dh') return RSA_SECURITY.find(([s]) => size >= s)?.[1] ?? 0;
  if (type === 'ec') return Math.min(256, Math.floor(size / 2));
  if (type === 'ed25519') return 128;
  if (type === 'ed448') return 224;
  return undefined;
}

async function checkKey(run: FileRun, ref: PathRef): Promise<void> {
  const { config, line, env, refs, add, at, readOk, mainGlobals, pairsChecked } = run;
  const r = await keyAt(ref.resolved, env);
  if (!readOk(ref, r.read, FILE_LABEL.key, r.restricted) || !r.value || r.read.kind !== 'ok') return;
  const k = r.value;
  if (!k.ok) {
    add(R.invalid, ref.range, `The key file holds no usable private key: ${k.error}. LuaSec fails with "error loading private key"; name the PEM file of the certificate's private key here.`);
    return;
  }
  if (k.format === 'der') {
    add(R.invalid, ref.range, derMessage('key file', ' ("error loading private key")', 'pkey', 'key'));
    return;
  }
  // The connections whose layers give the key its password: a key in `s2s_ssl` never sees a `c2s_ssl` one.
  const service = ref.tls && !ref.tls.contexts.includes('c2s') && ref.tls.contexts.includes('s2s') ? 's2s' : 'c2s';
  const own = passwordFor(config, ref, line, service);
  // None in this file: a host's key may take the main config's global `password` (an included file).
  const main = own.kind === 'none' && ref.tls && ref.tls.sub === undefined ? await mainGlobals() : undefined;
  // A host's SNI context takes the port's password, from the main config's global tables of that service (a reviewer).
  const mainPort = main?.config && ref.tls && sniContext(ref.tls) ? portPassword(main.config, ref.tls.option) : undefined;
  const fromMain: PasswordValue | undefined = ref.tls && sniContext(ref.tls) ? mainPort && passwordValue(mainPort.field.value, mainPort.perPort) : service === 's2s' ? main?.s2sPassword : main?.password;
  const pw: PasswordValue = fromMain ?? own;
  const pwRelated = (message: string): Finding['related'] => (!fromMain && own.kind !== 'none' ? [{ range: at(own.field.range, own.section), message }] : undefined);
  if (k.encrypted) {
    if (pw.kind === 'none') {
      // The main config may set it for an included file's hosts; when it could not be read, only a note (a reviewer:
      // Debian's prosody.cfg.lua is root:prosody 640, so an admin's own user often cannot read it).
      const unread = main?.unread;
      // A host's SNI context: it costs the host its own certificate there, and on 13.0 only the port's password counts.
      const lost = sniLoss(config, ref);
      const portOnly = ref.tls && sniIgnored(ref.tls, 'password', line);
      const write = portOnly
        ? `Prosody ${line} builds this host's SNI context with the port's password (the global \`${ref.tls!.option}\`'s, else the global \`ssl\`'s), not one written here: encrypt the key with that password`
        : 'Write `password = "…"` next to the key';
      add(R.keyNoPassword, ref.range, `The private key is encrypted, but no \`password\` is set for it; Prosody cannot load it ("error loading private key")${lost ? `: ${lost}` : ', so the contexts of this table get no TLS'}. ${write}, or store the key unencrypted (\`openssl pkey -in encrypted.key -out plain.key\`) readable only by Prosody.${unread ? ` (The main config ${unread}: its global tables may set the password, so this cannot be checked here.)` : ''}`, unread ? DiagnosticSeverity.Information : undefined);
      return;
    }
    // A key in an `ssl` table serves server-to-server connections too, whose layers skip `c2s_ssl`.
    const s2sMain = ref.tls?.sub === undefined ? (await mainGlobals()).s2sPassword : undefined;
    if (line !== '0.9' && ref.tls?.contexts.includes('s2s') && ref.tls.contexts.includes('c2s') && passwordFor(config, ref, line, 's2s').kind === 'none' && !s2sMain) {
      add(R.keyNoPassword, ref.range, 'The private key is encrypted, and its `password` is set only in `c2s_ssl`: server-to-server connections read `ssl` and `s2s_ssl`, get no password, and Prosody cannot load the key for them ("bad decrypt"). Put the `password` next to the key.', undefined, pwRelated('the password setting'));
    }
    if (pw.kind === 'unknown') return; // computed at start-up: nothing more can be checked
  }
  const info = k.encrypted && pw.kind === 'string' ? inspectKey(r.read.bytes, pw.value) : k;
  if (info.ok && info.encrypted && info.passwordAccepted === false) {
    add(R.keyWrongPassword, ref.range, `The \`password\` set for this key does not decrypt it (OpenSSL: bad decrypt), so Prosody cannot load the key. Set the passphrase the key was encrypted with (\`openssl pkey -in <key file> -noout\` asks for it and says whether it works).${fromMain ? ' (The password is the global one of the main config.)' : ''}`, undefined, pwRelated('the password setting'));
    return;
  }
  if (info.ok && info.keyType === 'rsa' && info.keyBits !== undefined && info.keyBits < 2048) {
    add(R.rsaWeak, ref.range, rsaWeakMessage(`The RSA key has ${info.keyBits} bits`, info.keyBits), info.keyBits < 1024 ? DiagnosticSeverity.Error : undefined);
  }
  const partner = partnerCertificate(config, ref, refs, line);
  if (!partner) {
    await checkFoundPartner(run, ref, r.read.bytes, pw);
    return;
  }
  pairsChecked.add(pairId(ref.resolved, partner));
  const cr = await guardedRead(partner.resolved, env);
  if (cr.kind !== 'ok') return; // reported on the certificate itself
  const m = keyMatchesCert(r.read.bytes, cr.bytes, pw.kind === 'string' ? pw.value : undefined);
  if (m.kind === 'mismatch' && m.later) {
    add(R.keyMismatch, ref.range, chainOutOfOrder(`This private key belongs to certificate ${m.later} in ${JSON.stringify(partner.value)}, not to the first`), undefined, [{ range: partner.range, message: 'the certificate file' }]);
  } else if (m.kind === 'mismatch') {
    add(R.keyMismatch, ref.range, `This private key does not belong to the certificate ${JSON.stringify(partner.value)}; LuaSec will fail with "private key does not match public key", and the contexts of this table get no TLS. Name the key the certificate was issued for (its public key, \`openssl pkey -pubout\`, equals the certificate's, \`openssl x509 -noout -pubkey\`).`, undefined, [{ range: partner.range, message: 'the certificate' }]);
  }
}
