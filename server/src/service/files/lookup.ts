// Runs Prosody's automatic certificate lookup (core/certmanager.lua find_host_cert) against a file system:
//   0.12 / 13.0: 1. the index of the global certificates directory, built from the names inside each certificate;
//                2. find_cert(host's `certificate` option or the certificates dir), 3. both again for each parent domain.
//   0.10 / 0.11: steps 2 and 3 only.   0.9: no automatic lookup.
import * as path from 'node:path';
import { domainToUnicode } from 'node:url';
import type { ProsodyLine } from '../catalog/versions';
import { FileSystem, nodeFileSystem } from './fs';
import { inspectCertificate } from './inspect';
import { CandidateOptions, candidateCertPaths, CertCandidate, certificatesDir, parentChain, usesCertIndex } from './paths';
import { ReadResult, safeReadFile } from './read';

/** Services a certificate name is good for, as Prosody's util/x509 get_identities reports them ("*" = any). */
export type NameServices = string[];

export interface IndexedCert {
  file: string;
  /** Key path Prosody pairs with it: ".crt" → ".key", every "fullchain" → "privkey". */
  key: string;
  names: Record<string, NameServices>;
}

export interface CertIndex {
  dir: string;
  certs: IndexedCert[];
  /** Files that looked like candidates by name but were left out, with the reason (helps explain a miss). */
  skipped: Array<{ file: string; reason: string }>;
  /** Set when the directory itself could not be listed (Prosody logs an error and uses an empty index). */
  error?: string;
}

export interface LookupEnv {
  fs?: FileSystem;
  /** Reads files for the index; defaults to `safeReadFile` over `fs`. Pass a FileCache's `read` to share reads. */
  readFile?: (file: string) => Promise<ReadResult>;
  /** Clock for "expired" in the index (Prosody skips certificates not valid now). */
  now?: Date;
}

/** certmanager's find_matching_key. */
export function matchingKeyPath(certPath: string): string {
  return certPath.replace(/\.crt$/, '.key').split('fullchain').join('privkey');
}

async function isFile(fs: FileSystem, p: string): Promise<boolean> {
  try {
    return (await fs.stat(p)).kind === 'file';
  } catch {
    return false;
  }
}

function addName(names: Record<string, NameServices>, name: string, service: string): void {
  const list = (names[name] ??= []);
  if (!list.includes(service)) list.push(service);
}

function lowerUnicode(name: string): string {
  // nameprep + idna.to_unicode in Prosody; lower-casing and punycode decoding is the part that matters for look-ups.
  return (domainToUnicode(name.toLowerCase()) || name).toLowerCase();
}

/** Mirrors index_certs: recursion depth 3, hidden directories skipped, "*.crt" or "*fullchain*" files only. */
export async function indexCertificates(dir: string, env: LookupEnv = {}): Promise<CertIndex> {
  const fs = env.fs ?? nodeFileSystem;
  const read = env.readFile ?? ((f: string) => safeReadFile(f, { fs }));
  const now = env.now ?? new Date();
  const index: CertIndex = { dir, certs: [], skipped: [] };

  const walk = async (d: string, depth: number): Promise<void> => {
    if (depth <= 0) return;
    let entries: string[];
    try {
      entries = (await fs.readdir(d)).sort();
    } catch (e) {
      if (d === dir) index.error = e instanceof Error ? e.message.split('\n')[0] : String(e);
      return;
    }
    for (const entry of entries) {
      const full = path.posix.join(d, entry);
      let kind: string | undefined;
      try {
        kind = (await fs.stat(full)).kind;
      } catch {
        kind = undefined;
      }
      if (kind === 'directory') {
        if (!entry.startsWith('.')) await walk(full, depth - 1);
        continue;
      }
      if (!(entry.endsWith('.crt') || entry.includes('fullchain'))) continue;
      const r = await read(full);
      if (r.kind !== 'ok') {
        index.skipped.push({ file: full, reason: `unreadable (${r.kind})` });
        continue;
      }
      const text = Buffer.from(r.bytes).toString('latin1');
      const nl = text.indexOf('\n');
      // Prosody compares the whole first line, so a CRLF file or leading text is skipped.
      if ((nl < 0 ? text : text.slice(0, nl)) !== '-----BEGIN CERTIFICATE-----') {
        index.skipped.push({ file: full, reason: 'first line is not -----BEGIN CERTIFICATE-----' });
        continue;
      }
      const key = matchingKeyPath(full);
      if (!(await isFile(fs, key))) {
        index.skipped.push({ file: full, reason: `no key file ${key}` });
        continue;
      }
      const info = inspectCertificate(r.bytes, now);
      if (!info.ok) {
        index.skipped.push({ file: full, reason: info.error });
        continue;
      }
      if (info.expired || info.notYetValid) {
        index.skipped.push({ file: full, reason: info.expired ? 'expired' : 'not yet valid' });
        continue;
      }
      const names: Record<string, NameServices> = {};
      for (const n of info.dnsNames) {
        const wild = n.startsWith('*.');
        addName(names, (wild ? '*.' : '') + lowerUnicode(wild ? n.slice(2) : n), '*');
      }
      for (const n of info.xmppAddrs) {
        addName(names, n.toLowerCase(), 'xmpp-client');
        addName(names, n.toLowerCase(), 'xmpp-server');
      }
      for (const s of info.srvNames) {
        const m = /^_([^.]+)\.(.*)$/.exec(s);
        if (m) addName(names, m[2].toLowerCase(), m[1]);
      }
      // get_identities adds the subject CN for any service, even when subjectAltNames exist.
      if (info.subjectCN) addName(names, lowerUnicode(info.subjectCN), '*');
      index.certs.push({ file: full, key, names });
    }
  };
  await walk(dir, 3);
  return index;
}

export interface IndexHit {
  certificate: string;
  key: string;
  /** The index entry name that matched: the host or "*.<rest of host>". */
  matchedName: string;
  /** Other files indexed under the same name. Prosody picks one of them in table order, so the choice is not fixed. */
  alternatives: string[];
}

/** find_cert_in_index: exact host, else "*." + host without its first label; the chosen file must serve "*". */
export function findInIndex(index: CertIndex, host: string): IndexHit | undefined {
  const h = host.toLowerCase();
  const wildcard = h.replace(/^[^.]+\./, '*.');
  for (const name of h === wildcard ? [h] : [h, wildcard]) {
    const files = index.certs.filter((c) => c.names[name]);
    if (files.length === 0) continue;
    // Prosody stops at the first name with entries and takes one file of it (table order); when that file's
    // services lack "*" it finds nothing. Here the first usable file is preferred; `alternatives` shows the ambiguity.
    const usable = files.filter((c) => c.names[name].includes('*'));
    if (usable.length === 0) return undefined;
    return {
      certificate: usable[0].file,
      key: usable[0].key,
      matchedName: name,
      alternatives: files.filter((c) => c !== usable[0]).map((c) => c.file),
    };
  }
  return undefined;
}

export interface TriedCandidate extends CertCandidate {
  certificateIsFile: boolean;
  /** Checked only when the certificate path is a file, as Prosody does. */
  keyIsFile?: boolean;
}

export interface HostCertLookup {
  version: ProsodyLine;
  found?: {
    certificate: string;
    key: string;
    via: 'index' | 'path';
    /** The domain (host or parent) the hit was for. */
    name: string;
    indexHit?: IndexHit;
  };
  /** Path candidates in the order tried, up to and including the hit. */
  tried: TriedCandidate[];
  index?: CertIndex;
}

/**
 * Where Prosody would find the certificate and key for `host` (VirtualHost or Component name) when its `ssl`
 * settings name none. Never throws.
 */
export async function findHostCert(host: string, opts: CandidateOptions, env: LookupEnv = {}): Promise<HostCertLookup> {
  const fs = env.fs ?? nodeFileSystem;
  const result: HostCertLookup = { version: opts.version, tried: [] };
  if (opts.version === '0.9') return result;
  if (usesCertIndex(opts.version)) {
    result.index = await indexCertificates(certificatesDir(opts.configDir, opts.certificates), env);
  }
  const candidates = candidateCertPaths(host, opts);
  for (const name of parentChain(host)) {
    if (result.index) {
      const hit = findInIndex(result.index, name);
      if (hit) {
        result.found = { certificate: hit.certificate, key: hit.key, via: 'index', name, indexHit: hit };
        return result;
      }
    }
    for (const c of candidates.filter((x) => x.name === name)) {
      const t: TriedCandidate = { ...c, certificateIsFile: await isFile(fs, c.certificate) };
      if (t.certificateIsFile) t.keyIsFile = await isFile(fs, c.key);
      result.tried.push(t);
      if (t.certificateIsFile && t.keyIsFile) {
        result.found = { certificate: c.certificate, key: c.key, via: 'path', name };
        return result;
      }
    }
  }
  return result;
}
