// Keys and certificates that meet only through layering or the automatic lookup (0.10+): a pair no table writes
// together may not match, and a certificate may be left with no key at all.
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { keyMatchesCert } from '../files';
import { guardedRead } from '../fileEnv';
import { checkableName, disabledHost, effectiveFieldIn, passwordFor, passwordValue, type PasswordValue } from '../fileFacts';
import { refOf, type PathRef } from '../fileRefs';
import { opaqueLayer } from '../model/layering';
import { FILE_RULE_IDS as R } from '../rules/files';
import type { Finding } from '../rules/types';
import type { Range } from '../model/values';
import { chainOutOfOrder } from './messages';
import type { FileRun } from './run';
import { s2sOffFor } from './hostCertificates';

/** A key file met with one certificate reference (each reference is its own line to report on). */
export const pairId = (key: string, cert: PathRef): string => `${key}\0${cert.range[0]}`;

/** The two contexts mod_tls builds a host's certificate into (s2sout is a client context: no key needed). */
type Connections = 'c2s' | 's2s';
const SERVICES: readonly Connections[] = ['c2s', 's2s'];

/**
 * 0.10+ layers the tables in force key by key over what the automatic lookup found (facts §1.2), so a host's
 * certificate may meet a key from another table, or the lookup's key, or none at all ("No key present in
 * SSL/TLS configuration for <host>": no context). checkKey pairs a key with its own table's certificate; the
 * pairs it did not see are checked here.
 */
export async function checkLayeredPairs(run: FileRun): Promise<void> {
  const { config, line, auto, refs, add, show, include, includeNote, includeRelated, hostSections, cancelled, hostLookup, lookupIsOpaque, mainGlobals } = run;
  if (line === '0.9') return;
  const mainConfig = (await mainGlobals()).config;
  // By where the certificate is written: a path, or a concatenation (`dir .. "x.crt"`: surely a string, so surely a
  // certificate, though no file to look at; a reviewer's 0.11.9, 0.12.3 and 13.0.1 logged "No key present" for one).
  // Per certificate reference (and the connections left without a key): the hosts it is in force for.
  const keyless = new Map<string, { at: Range; hosts: string[]; unsure: boolean; services: readonly Connections[]; keyElsewhere?: string }>();
  const whereIds = new Map<object, number>();
  // VirtualHosts for both kinds of connection; Components for incoming server connections, the only ones they take
  // (review 142, real 0.12.3: "Error creating contexts for s2sin: No key present" for a Component's certificate alone).
  const targets: Array<[name: string, sections: readonly number[], kinds: readonly Connections[]]> = [...hostSections].map(([name, sections]) => [name, sections, SERVICES]);
  config.sections.forEach((x, j) => {
    const name = x.kind === 'component' ? checkableName(x) : undefined;
    if (name) targets.push([name, [j], ['s2s']]);
  });
  for (const [name, sections, kinds] of targets) {
    // A host written twice merges its sections in ways not modelled here (a second `ssl` replaces the first).
    const i = sections[0]!;
    if (sections.length > 1 || !checkableName(config.sections[i]!) || disabledHost(config, i) || opaqueLayer(config, i, line)) continue;
    // Client connections read `c2s_ssl` and incoming server connections `s2s_ssl` over the same `ssl` layers (mod_tls),
    // so a key written only in one of them leaves the other context without one.
    const missing: Array<{ service: Connections; cert: NonNullable<ReturnType<typeof effectiveFieldIn>>; certRef: PathRef | undefined }> = [];
    let keyTable: string | undefined;
    for (const service of kinds) {
      // (No server connects where s2s is switched off: its context's failure costs nothing; review 142.)
      if (service === 's2s' && s2sOffFor(config, i, line, mainConfig)) continue;
      const cert = effectiveFieldIn(config, i, 'certificate', line, service);
      const certRef = cert && refOf(refs, 'certificate', cert.field.value);
      const joined = cert && !certRef && cert.field.value.kind === 'expression' && cert.field.value.what === 'concatenation';
      if (!cert || (!certRef && !joined)) continue;
      const key = effectiveFieldIn(config, i, 'key', line, service);
      // A key in force: the pair is checked where the certificate is a file (a concatenation has no file to look at).
      if (key) {
        keyTable ??= key.table;
        const keyRef = certRef && refOf(refs, 'key', key.field.value);
        if (keyRef) await checkPair(run, keyRef.resolved, passwordFor(config, keyRef, line), certRef, name, [{ range: keyRef.range, message: `the key in force for ${name}` }], undefined, undefined, service);
        continue;
      }
      missing.push({ service, cert, certRef });
    }
    if (!missing.length) continue;
    // An included file: the main config's global key is in force for the host (computed: nothing to check).
    const main = await mainGlobals();
    if (main.key !== undefined) {
      const own = effectiveFieldIn(config, i, 'password', line)?.field.value;
      const pw: PasswordValue = own === undefined ? (main.password ?? { kind: 'none' }) : passwordValue(own);
      for (const { certRef } of missing) if (main.key !== null && certRef) await checkPair(run, main.key, pw, certRef, name, undefined, undefined, `the key the main config's global tables set (${show(main.key)})`);
      continue;
    }
    if (cancelled()) return;
    if (lookupIsOpaque(name)) continue;
    const { lookup, dirMissing } = await hostLookup(name);
    if (lookup.found) {
      for (const { certRef } of missing) if (certRef) await checkPair(run, lookup.found.key, { kind: 'none' }, certRef, name, undefined, lookup.found.key);
      continue;
    }
    const unsure = (dirMissing && auto) || (auto && lookup.index?.error !== undefined) || lookup.index?.incomplete !== undefined || lookup.denied !== undefined;
    // One finding per certificate reference: the connections of both contexts when they share it.
    const byRef = new Map<object, typeof missing>();
    for (const m of missing) {
      const where: object = m.certRef ?? m.cert.field.value;
      byRef.set(where, [...(byRef.get(where) ?? []), m]);
    }
    for (const [where, ms] of byRef) {
      const { cert, certRef } = ms[0]!;
      const services = ms.map((m) => m.service);
      if (!whereIds.has(where)) whereIds.set(where, whereIds.size);
      const id = `${whereIds.get(where)}\0${services.join()}`;
      const entry = keyless.get(id) ?? { at: certRef ? certRef.range : run.at(cert.field.value.range, cert.section), hosts: [], unsure: false, services, keyElsewhere: keyTable };
      entry.hosts.push(name);
      entry.unsure ||= unsure;
      keyless.set(id, entry);
    }
  }
  for (const { at: certAt, hosts, unsure, services, keyElsewhere } of keyless.values()) {
    const lost = services.length > 1 ? 'no TLS for client connections, nor for incoming server connections' : services[0] === 'c2s' ? 'no TLS for client connections' : 'no TLS for incoming server connections ("Error creating contexts for s2sin")';
    // The key written for one kind of connection only (`c2s_ssl = { key = … }`) does not reach the other.
    const none = services.length > 1 || !keyElsewhere ? 'no table in force names a `key`' : `the only \`key\` in force is in \`${keyElsewhere}\`, which ${services[0] === 's2s' ? 'server' : 'client'} connections do not read,`;
    const named = hosts.length > 3 ? `${hosts.slice(0, 3).map((h) => JSON.stringify(h)).join(', ')} and ${hosts.length - 3} more` : hosts.map((h) => JSON.stringify(h)).join(', ');
    const notes = `${unsure ? ' (The certificates directory is not on this machine, cannot be listed by this user, or is too large to index here, so the automatic lookup could not be checked here.)' : ''}${includeNote('sets the key')}`;
    add(
      R.certNoKey,
      certAt,
      `This certificate is in force for ${named}, but ${none} and Prosody's automatic lookup finds none: Prosody refuses the context ("No key present in SSL/TLS configuration for ${hosts[0]}"), so ${hosts.length > 1 ? 'these hosts get' : 'the host gets'} ${lost}. Write \`key = "…"\` next to the certificate.${notes}`,
      unsure || include ? DiagnosticSeverity.Information : undefined,
      includeRelated,
    );
  }
}

/** A key and certificate that meet only through layering (or the lookup): reported on the certificate. */
async function checkPair(run: FileRun, keyPath: string, pw: PasswordValue, certRef: PathRef, host: string, related?: Finding['related'], found?: string, via?: string, service: Connections = 'c2s'): Promise<void> {
  const { env, add, pairsChecked } = run;
  const id = pairId(keyPath, certRef);
  if (pairsChecked.has(id)) return;
  pairsChecked.add(id);
  if (pw.kind === 'unknown') return;
  const [kr, cr] = [await guardedRead(keyPath, env), await guardedRead(certRef.resolved, env)];
  if (kr.kind !== 'ok' || cr.kind !== 'ok') return; // reported on the files themselves
  const m = keyMatchesCert(kr.bytes, cr.bytes, pw.kind === 'string' ? pw.value : undefined);
  if (m.kind !== 'mismatch') return;
  if (m.later) return add(R.keyMismatch, certRef.range, chainOutOfOrder(`For ${JSON.stringify(host)} the key in force belongs to certificate ${m.later} in this file, not to the first`), undefined, related);
  const whose = via ?? (found ? `the key Prosody's automatic lookup found for it (${found})` : 'the key in force for it, which another table sets');
  add(R.keyMismatch, certRef.range, `For ${JSON.stringify(host)} this certificate is paired with ${whose}, and that key does not belong to it: LuaSec fails with "private key does not match public key", so the host gets ${service === 's2s' ? 'no TLS for server-to-server connections, incoming or outgoing ("Error creating contexts for s2sin")' : 'no TLS for client connections (nor for server connections where the same pair is in force)'}. Set the matching \`key\` in the same table as the certificate.`, undefined, related);
}
