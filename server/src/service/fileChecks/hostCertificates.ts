// Prosody's automatic certificate lookup, for hosts whose tables name no certificate: none found, or what it finds
// (its expiry, names, key), and 0.12's start-up index of the certificates directory.
import * as path from 'node:path';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { certificatesDir, inspectKey, keyMatchesCert, type CertIndex } from '../files';
import { usesCertIndex } from '../files/paths';
import { guardedRead } from '../fileEnv';
import { certAt, certificateListInForce, checkableName, disabledHost, effectiveFieldIn, failingServices, keyAt, namesPairs, passwordValue, type PasswordValue } from '../fileFacts';
import { nameprepped } from '../model/hostName';
import { opaqueLayer } from '../model/layering';
import { findSetting } from '../model/tls';
import { emptyTable, type Range } from '../model/values';
import type { ParsedConfig, Setting } from '../model/parse';
import type { ProsodyLine } from '../catalog/versions';
import { FILE_RULE_IDS as R } from '../rules/files';
import { chainOutOfOrder, notForHost, rsaWeakMessage, weakSignatureFinding } from './messages';
import { addExpiry } from './namedFiles';
import type { FileRun } from './run';


/** What the index left out and why (expired, no key beside it, a CRLF first line), a few of them: often the miss's cause. */
function leftOut(run: FileRun, skipped: CertIndex['skipped']): string {
  const { show } = run;
  if (!skipped.length) return '';
  const shown = skipped.slice(0, 3).map((f) => `${show(f.file)} (${f.reason.startsWith('no key file ') ? `no key file ${show(f.reason.slice('no key file '.length))}` : f.reason})`);
  return `; it left out ${shown.join(', ')}${skipped.length > 3 ? ` and ${skipped.length - 3} more` : ''}`;
}

/**
 * The certificates directory Prosody looks in (this file's `certificates`, else the main config's, else `certs`),
 * when it is a directory on this machine; undefined when it is not, or is computed.
 */
async function certificatesDirHere(run: FileRun): Promise<string | undefined> {
  const option = findSetting(run.config, 0, 'certificates');
  const certs = option?.value.kind === 'string' ? option.value.value : option ? undefined : (await run.mainGlobals()).certificates;
  if (option && certs === undefined) return undefined; // computed
  const dir = certificatesDir(run.paths.configDir, certs);
  return (await run.statKind(dir)) === 'directory' ? dir : undefined;
}

/**
 * Prosody 0.12 and 13.0 index the certificates directory whenever they build a context (every start-up), whether or
 * not a host needs the lookup, and stop on a certificate-like file OpenSSL cannot load (CertIndex.fatal; 13.0.1 on a
 * reviewer's machine: certmanager.lua:105). Said at the `certificates` option, else at the first section header.
 */
export async function checkCertificateIndex(run: FileRun): Promise<void> {
  const { config, line, add, at, show, lookupEnv } = run;
  if (!usesCertIndex(line) || !config.sections.some((x, j) => j > 0 && x.kind === 'host')) return;
  const dir = await certificatesDirHere(run);
  if (dir === undefined) return;
  const option = findSetting(config, 0, 'certificates');
  const idx = await lookupEnv().index!(dir);
  const where = option ? at(option.value.range, 0) : at(config.sections.find((x, j) => j > 0 && x.kind === 'host')!.range, config.sections.findIndex((x, j) => j > 0 && x.kind === 'host'));
  for (const file of idx.fatal ?? []) {
    add(R.invalid, where, `${show(file)} in the certificates directory is read as a certificate (its name, its first line and the key beside it say so), but OpenSSL cannot load it: Prosody ${line} indexes that directory at start-up and stops with "attempt to index a nil value (local 'cert')", so it does not start. Replace the file with a valid certificate, or move it out of the directory.`);
  }
}

/**
 * The start and the end of host-no-certificate's message when only one kind of connection (clients, or incoming
 * servers) is left without a certificate, the other having one from its own table (`c2s_ssl`, `s2s_ssl`).
 */
function oneKindLacking(config: ParsedConfig, same: readonly number[], kind: 'c2s' | 's2s', host: string, line: ProsodyLine, list: boolean): [string, string] {
  const other = kind === 'c2s' ? 's2s' : 'c2s';
  const them = kind === 'c2s' ? 'client connections' : 'server-to-server connections';
  const written = same.map((j) => effectiveFieldIn(config, j, 'certificate', line, other) ?? effectiveFieldIn(config, j, 'certificates', line, other)).find((f) => f !== undefined)?.table;
  const where = written === `${other}_ssl` ? `the one in force is written in \`${written}\`, which ${other === 'c2s' ? 'client' : 'server'} connections alone read` : `the one in force reaches ${other === 'c2s' ? 'client' : 'server'} connections only (the main config's \`${other}_ssl\`)`;
  const start = `No certificate for ${them} to ${JSON.stringify(host)}: ${where}${list ? ` (Prosody ${line} refuses a context with LuaSec's \`certificates\` list alone)` : ''}, and Prosody's automatic lookup finds none. `;
  const refused = line === '0.10' || line === '0.11' ? `Prosody ${line} refuses the context ("No certificate present in SSL/TLS configuration for ${host}")` : `Prosody ${line} builds the context without one, and every handshake fails`;
  const lost = kind === 'c2s' ? `Clients get no TLS: ${refused}, so those that require encryption cannot connect.` : `Incoming server connections get no TLS: ${refused}, so servers that require encryption cannot reach the host.`;
  return [start, `${lost} Move \`certificate\` and \`key\` into \`ssl\`, which both kinds of connection read, or set them in \`${kind}_ssl\` as well.`];
}

export async function checkHostsWithoutCertificate(run: FileRun): Promise<void> {
  const { config, line, auto, add, at, show, include, includeNote, includeRelated, hostSections, cancelled, hostLookup, lookupIsOpaque, mainGlobals } = run;
  const main = await mainGlobals();
  const noted = includeNote('names a certificate');
  // A `certificates` folder written relative to the config's folder, where a certificate or key the config names is
  // read here (so the config is deployed here), is missing as it is on the server (review 141: the hosts got no TLS).
  // Elsewhere (a copy in a repository, without its private files) it may exist only where Prosody runs.
  const written = findSetting(config, 0, 'certificates')?.value;
  const missingHere = (dirMissing: boolean): boolean => dirMissing && (!auto || (written?.kind === 'string' && !path.isAbsolute(written.value) && run.deployedHere()));
  for (let i = 1; i < config.sections.length; i++) {
    const sec = config.sections[i]!;
    if (sec.kind !== 'host' || !sec.name || !checkableName(sec)) continue;
    // A host written twice is one host (Prosody adds the second section's settings to the first): a
    // certificate in either counts, and it is reported once, at its first header.
    const same = hostSections.get(nameprepped(sec.name)) ?? [];
    if (same[0] !== i || same.some((j) => disabledHost(config, j) || opaqueLayer(config, j, line))) continue;
    // mod_tls builds client and incoming server contexts from different tables (`c2s_ssl`, `s2s_ssl`, over `ssl`),
    // each over the automatic lookup: a certificate written in one of them alone leaves the other kind without one
    // (review 142, a global `c2s_ssl` pair: 0.11.9 "Error creating contexts for s2sin: No certificate present", 0.12.3
    // alert 40 on s2s). 0.9 has a single table.
    const hasCert = (service: 'c2s' | 's2s'): boolean =>
      same.some((j) => effectiveFieldIn(config, j, 'certificate', line, service)) || (service === 'c2s' ? main.hasGlobalCertificate : main.hasGlobalS2sCertificate === true);
    const kinds = line === '0.9' || s2sOffFor(config, i, line, main.config) ? (['c2s'] as const) : (['c2s', 's2s'] as const);
    let lacking = kinds.filter((k) => !hasCert(k) && (k === 'c2s' || !same.some((j) => opaqueLayer(config, j, line, 's2s'))));
    if (!lacking.length) continue;
    // LuaSec's `certificates` list (LuaSec 0.8+) replaces the single certificate and key when present. 0.12+ only
    // logs "SNI will be required" for a context without `certificate` and hands the list to LuaSec, which serves
    // every pair; 0.10/0.11 refuse such a context, and 0.9 passes only `certificate` and `key` on.
    const listFor = (k: 'c2s' | 's2s') => same.map((j) => effectiveFieldIn(config, j, 'certificates', line, k)).find((f) => f && namesPairs(f.field.value));
    if (line === '0.12' || line === '13.0') lacking = lacking.filter((k) => !listFor(k));
    if (!lacking.length) continue;
    const list = listFor(lacking[0]!);
    if (line !== '0.9' && lookupIsOpaque(sec.name)) continue;
    if (cancelled()) return;
    const header = at(sec.range, i);
    const listRelated = list ? [...(includeRelated ?? []), { range: at(list.field.range, list.section), message: 'the certificates list in force' }] : includeRelated;
    if (line === '0.9') {
      const why = list
        ? 'Prosody 0.9 hands LuaSec only `certificate` and `key` from the ssl table, so the `certificates` list in force is ignored, and 0.9 does not look for certificates automatically. Set `certificate` and `key` (one of the pairs) in the ssl table.'
        : 'no ssl table in force names one, and Prosody 0.9 does not look for certificates automatically. Set `certificate` and `key` in an ssl table for the host (its own or the global one).';
      add(R.hostNoCert, header, `No certificate for ${JSON.stringify(sec.name)}: ${why}${noted}`, include ? DiagnosticSeverity.Information : undefined, listRelated);
      continue;
    }
    const { lookup, dir, dirMissing, dirIsFile } = await hostLookup(sec.name);
    if (lookup.found) {
      // Several certificates indexed under the name: Prosody's pick among them is not fixed (a reviewer saw it
      // change between runs), so none of them is "the one it finds".
      if (!lookup.found.indexHit?.alternatives.length) {
        run.foundPairs.push({ host: sec.name, header, certificate: lookup.found.certificate, key: lookup.found.key });
        await checkFoundCertificate(run, sec.name, i, header, show(lookup.found.certificate), lookup.found.certificate, lookup.found.key);
      }
      continue;
    }
    // Prosody also tries the base path itself as a file; when that base is the certificates directory the
    // attempt is meaningless to a reader, so it is left out of the list.
    const looked = lookup.tried
      .filter((t) => !(t.certificate === dir && t.key === dir))
      .map((t) => (t.certificate === t.key ? show(t.certificate) : `${show(t.certificate)} + ${path.basename(t.key)}`));
    const listed = looked.length > 6 ? [...looked.slice(0, 6), `… (${looked.length - 6} more)`] : looked;
    const index = lookup.index;
    // An index walk that stopped early (too many entries) may have missed the certificate: not a finding.
    const unfinished = index?.incomplete !== undefined;
    const indexNote = !index
      ? ''
      : dirIsFile // a reviewer's `certificates` named one certificate
        ? ` \`certificates\` names a file, ${show(dir)}, not a directory of certificates.`
        : index.error
          ? // A directory that is not there is said once, by the note below (auto) or here (strict).
            dirMissing
            ? !missingHere(dirMissing) ? '' : ` The certificates directory ${show(dir)}/ does not exist.`
            : ` The index of ${show(dir)}/ could not be listed.`
          : unfinished
            ? ` The index of ${show(dir)}/ was not finished (${index.incomplete}), so this cannot be checked here; ${index.certs.length} usable certificate${index.certs.length === 1 ? '' : 's'} seen so far, none for this name. Point \`certificates\` at the directory that holds the certificates.`
            : ` The index of ${show(dir)}/ holds ${index.certs.length} usable certificate${index.certs.length === 1 ? '' : 's'}, none for this name${leftOut(run, index.skipped)}.`;
    const note = main.unread !== undefined
      ? ` (The main config ${main.unread}: its global tables may name a certificate for every host, and its \`certificates\` may point the lookup elsewhere, so this cannot be checked here.)`
      : dirMissing && !missingHere(dirMissing)
        ? ` (The certificates directory ${dir} is not on this machine, so this cannot be checked here.)`
        : lookup.denied !== undefined
          ? ` (This user may not look at ${show(lookup.denied)}; Prosody, running as another user, may find the pair there, so this cannot be checked here.)`
          : '';
    // One kind of connection lacks it: say which, where the other kind's is written, and what that costs.
    // (On 0.12+ a `certificates` list serves its kind of connection: review 150, c2s_ssl with a list alone.)
    const other = lacking[0] === 'c2s' ? 's2s' : 'c2s';
    const otherServed = kinds.length === 2 && (hasCert(other) || ((line === '0.12' || line === '13.0') && listFor(other) !== undefined));
    const [oneKind, oneKindEffect] = lacking.length === 1 && otherServed ? oneKindLacking(config, same, lacking[0]!, sec.name, line, list !== undefined) : [undefined, ''];
    add(
      R.hostNoCert,
      header,
      oneKind
        ? `${oneKind}Looked at: ${listed.join('; ')}.${indexNote}${note} ${oneKindEffect}${noted}`
        : list
        ? `No certificate for ${JSON.stringify(sec.name)} that Prosody ${line} accepts: it refuses a server context without a single \`key\` and \`certificate\` ("No certificate present in SSL/TLS configuration for ${sec.name}", or with a certificate and no key "No key present …"), even with LuaSec's \`certificates\` list in force, and its automatic lookup finds none. Looked at: ${listed.join('; ')}.${indexNote}${note} Also set \`certificate\` and \`key\` (one of the pairs) in the table with the list: LuaSec still serves every pair in \`certificates\`.${noted}`
        : `No certificate for ${JSON.stringify(sec.name)}: no ssl table in force names one, and Prosody's automatic lookup finds none. Looked at: ${listed.join('; ')}.${indexNote}${note} Set \`certificate\` and \`key\` in an ssl table for the host, or put the pair at one of the paths looked at.${noted}`,
      // A certificates directory this user cannot list (Debian's is root:prosody 750) may hold the certificate.
      main.unread !== undefined || (dirMissing && !missingHere(dirMissing)) || (auto && index?.error !== undefined && !dirIsFile && !missingHere(dirMissing)) || unfinished || lookup.denied !== undefined || include ? DiagnosticSeverity.Information : undefined,
      listRelated,
    );
  }
}

/**
 * The certificate the automatic lookup found for a host that names none (a reviewer: `prosodyctl cert import` is
 * the usual 0.12/13.0 setup, and only the paths written in the config were checked). The index leaves expired
 * certificates out, as Prosody's does; the by-name fallback does not, and Prosody serves what it finds there.
 */
async function checkFoundCertificate(run: FileRun, host: string, section: number, header: Range, shown: string, file: string, keyFile: string): Promise<void> {
  const { env, refs, add, line } = run;
  // A file the config names (a host's `certificate` option) is checked where it is named, as a certificate: the key
  // the lookup pairs with it is not (for a path that ends in neither .crt nor fullchain.pem, that same file).
  const named = refs.find((r) => r.resolved === file);
  if (named) return checkFoundKey(run, host, section, named.range, file, keyFile);
  const c = (await certAt(file, env)).value;
  if (!c) return; // not readable by this user: Prosody's may be
  const what = `The certificate Prosody finds for ${JSON.stringify(host)} automatically, ${JSON.stringify(shown)},`;
  // find_cert picks `<host>.crt` by its existence alone (certmanager.lua): a file LuaSec cannot load costs the host
  // its TLS, and it is named nowhere (a reviewer's 0.12.3 run: "Check that the file contains a certificate").
  if (!c.ok) return add(R.invalid, header, `${what} holds no certificate LuaSec can load (${c.error}): Prosody fails with "error loading certificate", so the host gets no TLS. Put the host's certificate there, in PEM.`);
  if (c.der) return add(R.invalid, header, `${what} is binary DER, but LuaSec loads PEM only ("error loading certificate"), so the host gets no TLS. Convert it: \`openssl x509 -inform DER -in cert.der -out cert.pem\`, and put the .pem file there.`);
  addExpiry(run, c, header, what, `The file Prosody finds for ${JSON.stringify(host)} automatically, ${JSON.stringify(shown)},`, 'put the new pair in its place');
  const failing = failingServices(c, host, ['xmpp-client', 'xmpp-server'], line);
  if (failing.length) add(R.hostMismatch, header, `${notForHost(c, host, what, failing, ['xmpp-client', 'xmpp-server'], line)} Put a certificate that names ${JSON.stringify(host)} where Prosody looks (\`prosodyctl cert import\`), or set \`certificate\` and \`key\` in the host's ssl table.`);
  if (c.keyType === 'rsa' && c.keyBits !== undefined && c.keyBits < 2048) {
    add(R.rsaWeak, header, rsaWeakMessage(`${what} has an RSA key of ${c.keyBits} bits`, c.keyBits), c.keyBits < 1024 ? DiagnosticSeverity.Error : undefined);
  }
  const weak = weakSignatureFinding(c, line);
  if (weak) add(R.weakSignature, header, `${what.slice(0, -1)}: ${weak.message.replace(/^This certificate is/, 'it is').replace(/^The CA/, 'the CA')}`, weak.severity);
  await checkFoundKey(run, host, section, header, file, keyFile);
}

/**
 * The key the lookup pairs with the certificate it found (a reviewer: a mismatched, encrypted or broken key there
 * stopped the host's TLS with nothing said, as these files are named nowhere). Not when a table in force (or the
 * main config's) sets a key: that one replaces the found key, and is checked where it is written.
 */
async function checkFoundKey(run: FileRun, host: string, section: number, header: Range, certFile: string, keyFile: string): Promise<void> {
  const { config, line, env, refs, add, show, mainGlobals } = run;
  if (refs.some((r) => r.resolved === keyFile && r.role === 'key') || effectiveFieldIn(config, section, 'key', line)) return;
  const main = await mainGlobals();
  if (main.key !== undefined) return;
  const r = await keyAt(keyFile, env);
  if (!r.value || r.read.kind !== 'ok') return; // not readable by this user: Prosody's may be
  const k = r.value;
  const what = `The key Prosody pairs with the certificate it finds for ${JSON.stringify(host)}, ${JSON.stringify(show(keyFile))},`;
  // find_cert takes the key from the certificate's own file unless its name ends in .crt or fullchain.pem (a reviewer's
  // 0.11.9 run: "Selecting certificate …/cert.pem with key …/cert.pem", then "error loading private key").
  const same = keyFile === certFile ? ` Prosody reads the key from the certificate's own file when its name ends in neither \`.crt\` nor \`fullchain.pem\`: append the private key to that file, or rename the certificate to \`.crt\` with its key beside it as \`.key\`, or name both in the host's ssl table (\`ssl = { certificate = …, key = … }\`).` : ' Put the certificate\'s private key there, in PEM.';
  if (!k.ok) return add(R.invalid, header, `${what} holds no usable private key (${k.error}): LuaSec fails with "error loading private key", so the host gets no TLS.${same}`);
  if (k.format === 'der') return add(R.invalid, header, `${what} is binary DER, but LuaSec loads PEM only ("error loading private key"), so the host gets no TLS. Convert it: \`openssl pkey -inform DER -in key.der -out key.pem\`, and put the .pem file there.`);
  const own = effectiveFieldIn(config, section, 'password', line)?.field.value;
  const pw: PasswordValue = own !== undefined ? passwordValue(own) : (main.password ?? { kind: 'none' });
  if (k.encrypted && pw.kind === 'none') {
    return add(R.keyNoPassword, header, `${what} is encrypted, and no \`password\` is set for it: Prosody cannot load it ("error loading private key"), so the host gets no TLS. Set \`password = "…"\` in the host's ssl table (or the global one), or store the key unencrypted (\`openssl pkey -in encrypted.key -out plain.key\`) readable only by Prosody.`, main.unread ? DiagnosticSeverity.Information : undefined);
  }
  if (pw.kind === 'unknown') return; // computed at start-up
  const info = k.encrypted && pw.kind === 'string' ? inspectKey(r.read.bytes, pw.value) : k;
  if (info.ok && info.encrypted && info.passwordAccepted === false) {
    return add(R.keyWrongPassword, header, `${what} is encrypted, and the \`password\` in force does not decrypt it (OpenSSL: bad decrypt), so Prosody cannot load it. Set the passphrase the key was encrypted with.`);
  }
  const cr = await guardedRead(certFile, env);
  if (cr.kind !== 'ok') return;
  const m = keyMatchesCert(r.read.bytes, cr.bytes, pw.kind === 'string' ? pw.value : undefined);
  if (m.kind === 'mismatch' && m.later) {
    add(R.keyMismatch, header, chainOutOfOrder(`${what} belongs to certificate ${m.later} in ${JSON.stringify(show(certFile))}, not to the first`));
  } else if (m.kind === 'mismatch') {
    add(R.keyMismatch, header, `${what} does not belong to that certificate: LuaSec fails with "private key does not match public key", so the host gets no TLS. Put the certificate's own key there (its public key, \`openssl pkey -pubout\`, equals the certificate's, \`openssl x509 -noout -pubkey\`).`);
  }
}

/**
 * Components take the certificate Prosody's automatic lookup finds for their name or a parent domain (mod_tls is one
 * of the modules a Component inherits, and certmanager's find_host_cert walks up the domain), for server-to-server
 * connections only. Review 141, real 0.12.3 and 13.0.1: for `Component "muc.other.test"` with no pair anywhere up its
 * domain, `prosodyctl check certs` says "No 'certificate' found" and an s2s handshake fails; with its parent's
 * certificate, which does not name it, "Not valid for server-to-server connections". Said only where the lookup can be
 * checked here, and as Information: many components (Jitsi's internal ones) are never reached by other servers.
 */
export async function checkComponentsLookup(run: FileRun): Promise<void> {
  const { config, line, env, add, at, show, include, cancelled, hostLookup, lookupIsOpaque, mainGlobals } = run;
  if (line === '0.9' || include || !config.sections.some((x) => x.kind === 'component')) return;
  // Only where the certificates directory is here (else every lookup would only be unsure): one stat, not a lookup per
  // component, which the file checks would ask again on every keystroke (the bench's thousands of components).
  if ((await certificatesDirHere(run)) === undefined) return;
  const main = await mainGlobals();
  for (let i = 1; i < config.sections.length; i++) {
    const sec = config.sections[i]!;
    const name = sec.kind === 'component' ? checkableName(sec) : undefined;
    if (!name || disabledHost(config, i) || opaqueLayer(config, i, line, 's2s') || lookupIsOpaque(name) || s2sOffFor(config, i, line, main.config)) continue;
    if (effectiveFieldIn(config, i, 'certificate', line, 's2s') || certificateListInForce(config, i, line, 's2s')) continue;
    if (main.hasGlobalS2sCertificate === true || main.unread !== undefined || cancelled()) return;
    const { lookup } = await hostLookup(name);
    if (lookup.index?.error !== undefined || lookup.index?.incomplete !== undefined || lookup.denied !== undefined) continue;
    const header = at(sec.range, i);
    const reached = 'If other servers reach this component';
    if (!lookup.found) {
      add(R.hostNoCert, header, `No certificate for the Component ${JSON.stringify(name)}: no ssl table in force names one, and Prosody's automatic lookup finds none for it or a parent domain, so servers that connect to it get no TLS (\`prosodyctl check certs\`: "No 'certificate' found for ${name}"). ${reached}, put a pair for it where Prosody looks, or set \`certificate\` and \`key\` in its ssl table.`, DiagnosticSeverity.Information);
      continue;
    }
    if (lookup.found.indexHit?.alternatives.length) continue;
    const c = (await certAt(lookup.found.certificate, env)).value;
    if (!c?.ok || c.der) continue; // what is wrong with the file itself is said for the host it belongs to
    const failing = failingServices(c, name, ['xmpp-server'], line);
    const what = `The certificate Prosody finds for ${JSON.stringify(name)} automatically, ${JSON.stringify(show(lookup.found.certificate))},`;
    if (failing.length) add(R.hostMismatch, header, `${notForHost(c, name, what, failing, ['xmpp-server'], line)} ${reached}, give it a certificate that names it (its own pair where Prosody looks, or a name added to this one).`, DiagnosticSeverity.Information);
  }
}

/** Whether a `modules_disabled` line lists `s2s`; undefined when it is not there or not known (conditional, computed). */
function namesS2s(v: Setting | undefined): boolean | undefined {
  if (!v || v.conditional || v.value.kind !== 'table') return undefined;
  return v.value.items.some((x) => x.kind === 'string' && x.value === 's2s');
}

/**
 * No server reaches this section's host: s2s is not loaded for it, or nothing listens for servers. Prosody's
 * modulemanager loads `(autoload + global modules_enabled - global modules_disabled + host modules_enabled) - host
 * modules_disabled` (0.11-13.0), so the global `s2s` switch-off holds under a host's own list unless that host enables
 * s2s again (review 152). Nothing listens with `s2s_ports = {}` or `s2s_interfaces = {}`, and from 0.12 no direct-TLS
 * port for servers either. The main config's globals count for a file it includes. Review 150/152, real 0.12.3:
 * "connection refused", or "Server-to-server communication is disabled for this host".
 */
export function s2sOffFor(config: ParsedConfig, section: number, line: ProsodyLine, main?: ParsedConfig): boolean {
  const globalOf = (name: string): Setting | undefined => findSetting(config, 0, name) ?? (main && findSetting(main, 0, name));
  const own = (name: string): Setting | undefined => (section > 0 ? findSetting(config, section, name) : undefined);
  if (namesS2s(own('modules_disabled')) === true) return true;
  const enabled = own('modules_enabled');
  // (A host list that may name s2s, computed or conditional, may load it.)
  if (namesS2s(globalOf('modules_disabled')) === true && (enabled === undefined || namesS2s(enabled) === false)) return true;
  const empty = (v: Setting | undefined): boolean => v !== undefined && !v.conditional && emptyTable(v.value);
  if (!empty(globalOf('s2s_ports')) && !empty(globalOf('s2s_interfaces'))) return false;
  if (line === '0.9' || line === '0.10' || line === '0.11') return true;
  const direct = globalOf('s2s_direct_tls_ports');
  return direct === undefined || empty(direct) || empty(globalOf('s2s_direct_tls_interfaces'));
}
