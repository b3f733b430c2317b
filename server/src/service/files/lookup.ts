// Runs Prosody's automatic certificate lookup (core/certmanager.lua find_host_cert) against a file system:
//   0.12 / 13.0: 1. the index of the global certificates directory, built from the names inside each certificate;
//                2. find_cert(host's `certificate` option or the certificates dir), 3. both again for each parent domain.
//   0.10 / 0.11: steps 2 and 3 only.   0.9: no automatic lookup.
import * as path from 'node:path';
import { domainToASCII, domainToUnicode } from 'node:url';
import { nameprepped } from '../model/hostName';
import type { ProsodyLine } from '../catalog/versions';
import { errorCode, FileStat, FileSystem, nodeFileSystem } from './fs';
import { firstCertificateLoads, inspectCertificate, validity } from './inspect';
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
  /**
   * Files index_certs reads as a certificate (a `.crt`/`fullchain` name, the exact first line, a key beside it) whose
   * first certificate OpenSSL cannot load: Prosody 0.12 calls a method on the nil it gets and does not start (a
   * reviewer's 0.12.3 run: "attempt to index a nil value (local 'cert')").
   */
  fatal?: string[];
  /**
   * Set when the walk stopped before the end (more entries than INDEX_MAX_ENTRIES, or the caller cancelled):
   * the certificates seen so far are listed, but a miss proves nothing.
   */
  incomplete?: string;
}

/**
 * Entries (files and directories) one index build looks at, at most. Prosody walks 3 levels whatever is there;
 * a half-typed `certificates = "/"` would make us stat some 8,000 entries (/proc: 11,000) for every check run.
 * Real certificate directories hold a few dozen; /etc, 3 levels deep, about 1,200.
 */
export const INDEX_MAX_ENTRIES = 2000;

export interface LookupEnv {
  fs?: FileSystem;
  /** Reads files for the index; defaults to `safeReadFile` over `fs`. Pass a FileCache's `read` to share reads. */
  readFile?: (file: string) => Promise<ReadResult>;
  /** Clock for "expired" in the index (Prosody skips certificates not valid now). */
  now?: Date;
  /** Entries one index build may look at (default INDEX_MAX_ENTRIES). */
  maxEntries?: number;
  /** Polled between awaits: once true, the work stops early (an index comes back `incomplete`). */
  cancelled?: () => boolean;
  /**
   * Supplies the index of a certificates directory, so every host of one check run shares one build (and a
   * CertIndexCache can reuse it across runs). Defaults to a fresh `indexCertificates`.
   */
  index?: (dir: string) => Promise<CertIndex>;
}

/** certmanager's find_matching_key. */
export function matchingKeyPath(certPath: string): string {
  return certPath.replace(/\.crt$/, '.key').split('fullchain').join('privkey');
}

async function isFile(fs: FileSystem, p: string): Promise<boolean> {
  return (await fileKind(fs, p)) === 'file';
}

/** 'denied': this user may not look (EACCES: Debian's certificates directory is root:prosody 0750). */
async function fileKind(fs: FileSystem, p: string): Promise<'file' | 'other' | 'denied'> {
  try {
    return (await fs.stat(p)).kind === 'file' ? 'file' : 'other';
  } catch (e) {
    return errorCode(e) === 'EACCES' ? 'denied' : 'other';
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

/** Prosody indexes a CN only when idna_to_ascii takes it (STD3 rules: no `*`, no `_`). */
function indexableCn(cn: string): boolean {
  return /^[a-z0-9-]+(\.[a-z0-9-]+)*\.?$/.test(domainToASCII(cn));
}

/** A candidate file as the walk judged it, before the clock is applied (so a scan can be reused later). */
interface ScannedFile {
  file: string;
  /** Why it was left out, for reasons that do not depend on the time. */
  reason?: string;
  cert?: { key: string; names: Record<string, NameServices>; validFrom: string; validTo: string };
  /** Its first certificate does not load: Prosody 0.12's index_certs then indexes nil and stops (see CertIndex.fatal). */
  fatal?: boolean;
}

/** What one walk of a certificates directory saw, with what is needed to tell whether it is still current. */
export interface IndexScan {
  dir: string;
  error?: string;
  incomplete?: string;
  /** Set when the walk was stopped by `cancelled` (such a scan is never reused). */
  cancelled?: boolean;
  /**
   * Set when something could not be looked at (a directory not listable, an entry whose stat fails — a dangling
   * symlink —, a certificate not readable): such a scan is never reused, since what fixes it (chmod, the link's
   * target appearing, a failed read no longer remembered) need not change any mtime the reuse check compares.
   */
  unsure?: boolean;
  /**
   * Why a part of the tree could not be read (a subdirectory this user cannot list, a certificate it cannot read —
   * Let's Encrypt's `live/` is 0700): the walk goes on, but the index it gives proves no miss (CertIndex.incomplete).
   */
  partial?: string;
  files: ScannedFile[];
  /** Directories listed, with their mtime when listed: adding, removing or renaming an entry changes it. */
  dirs: Map<string, number>;
  /** Certificate-like files read (mtime and size), and key files looked for (whether each was a file). */
  reads: Map<string, { mtimeMs: number; size: number }>;
  keys: Map<string, boolean>;
}

async function statOrUndefined(fs: FileSystem, p: string): Promise<FileStat | undefined> {
  try {
    return await fs.stat(p);
  } catch {
    return undefined;
  }
}

/** The walk of index_certs (depth 3, hidden directories skipped, "*.crt" or "*fullchain*" files), bounded. */
export async function scanCertificates(dir: string, env: LookupEnv = {}): Promise<IndexScan> {
  const fs = env.fs ?? nodeFileSystem;
  const read = env.readFile ?? ((f: string) => safeReadFile(f, { fs }));
  const max = env.maxEntries ?? INDEX_MAX_ENTRIES;
  const cancelled = env.cancelled ?? (() => false);
  const scan: IndexScan = { dir, files: [], dirs: new Map(), reads: new Map(), keys: new Map() };
  let seen = 0;
  /** False once the walk must stop. */
  const go = (): boolean => {
    if (scan.incomplete) return false;
    if (cancelled()) {
      scan.cancelled = true;
      scan.incomplete = 'the check was cancelled';
    } else if (seen > max) {
      scan.incomplete = `it holds more than ${max.toLocaleString('en-US')} entries within 3 levels, more than this check reads`;
    }
    return !scan.incomplete;
  };

  /** `mtimeMs`: the directory's, from the stat that found it (taken before it is listed). */
  const walk = async (d: string, depth: number, mtimeMs: number): Promise<void> => {
    if (depth <= 0 || !go()) return;
    let entries: string[];
    try {
      entries = (await fs.readdir(d)).sort();
    } catch (e) {
      if (d === dir) scan.error = e instanceof Error ? e.message.split('\n')[0] : String(e);
      else scan.partial ??= `${d} could not be listed${errorCode(e) === 'EACCES' ? ' by this user' : ''}`;
      scan.unsure = true;
      return;
    }
    scan.dirs.set(d, mtimeMs);
    for (const entry of entries) {
      seen++;
      if (!go()) return;
      const full = path.posix.join(d, entry);
      let st: FileStat | undefined;
      try {
        st = await fs.stat(full);
      } catch (e) {
        scan.unsure = true;
        // A symlink into a directory this user may not enter (certs/mysite -> ../le/live/…): Prosody, as root or
        // prosody, may follow it. A dangling one (ENOENT) is as invisible to Prosody.
        if (errorCode(e) === 'EACCES') scan.partial ??= `${full} could not be looked at by this user`;
      }
      if (st?.kind === 'directory') {
        if (!entry.startsWith('.')) await walk(full, depth - 1, st.mtimeMs);
        continue;
      }
      if (!(entry.endsWith('.crt') || entry.includes('fullchain'))) continue;
      const r = await read(full);
      if (r.kind !== 'ok') {
        scan.unsure = true;
        // Unreadable to this user (or failing to read) proves no miss; a file gone since the listing does.
        if (r.kind !== 'missing') scan.partial ??= `${full} could not be read (${r.kind})`;
        scan.files.push({ file: full, reason: `unreadable (${r.kind})` });
        continue;
      }
      scan.reads.set(full, { mtimeMs: r.mtimeMs, size: r.size });
      const text = Buffer.from(r.bytes).toString('latin1');
      const nl = text.indexOf('\n');
      // Prosody compares the whole first line, so a CRLF file or leading text is skipped.
      if ((nl < 0 ? text : text.slice(0, nl)) !== '-----BEGIN CERTIFICATE-----') {
        scan.files.push({ file: full, reason: 'first line is not -----BEGIN CERTIFICATE-----' });
        continue;
      }
      const key = matchingKeyPath(full);
      const keyKind = await fileKind(fs, key);
      // A key behind a directory this user may not enter (/etc/ssl/private is root:ssl-cert 0710): Prosody may see it.
      if (keyKind === 'denied') scan.partial ??= `${key} could not be looked at by this user`;
      const keyIsFile = keyKind === 'file';
      scan.keys.set(key, keyIsFile);
      if (!keyIsFile) {
        scan.files.push({ file: full, reason: `no key file ${key}` });
        continue;
      }
      const info = inspectCertificate(r.bytes);
      if (!info.ok) {
        scan.files.push({ file: full, reason: info.error, ...(firstCertificateLoads(r.bytes) ? {} : { fatal: true }) });
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
      // Prosody indexes the CN nameprepped but not decoded from punycode (util/x509.lua get_identities), unlike SAN names.
      if (info.subjectCN && indexableCn(nameprepped(info.subjectCN))) addName(names, nameprepped(info.subjectCN), '*');
      scan.files.push({ file: full, cert: { key, names, validFrom: info.validFrom, validTo: info.validTo } });
    }
  };
  await walk(dir, 3, (await statOrUndefined(fs, dir))?.mtimeMs ?? -1);
  return scan;
}

/** The index a scan gives at `now`: certificates not valid now are skipped, as Prosody skips them. */
export function indexFromScan(scan: IndexScan, now: Date = new Date()): CertIndex {
  const index: CertIndex = { dir: scan.dir, certs: [], skipped: [] };
  if (scan.error !== undefined) index.error = scan.error;
  const incomplete = scan.incomplete ?? scan.partial;
  if (incomplete !== undefined) index.incomplete = incomplete;
  for (const f of scan.files) {
    if (!f.cert) {
      index.skipped.push({ file: f.file, reason: f.reason ?? 'skipped' });
      if (f.fatal) (index.fatal ??= []).push(f.file);
      continue;
    }
    const v = validity(f.cert, now);
    if (v.expired || v.notYetValid) {
      index.skipped.push({ file: f.file, reason: v.expired ? 'expired' : 'not yet valid' });
      continue;
    }
    index.certs.push({ file: f.file, key: f.cert.key, names: f.cert.names });
  }
  return index;
}

/** Mirrors index_certs: recursion depth 3, hidden directories skipped, "*.crt" or "*fullchain*" files only. */
export async function indexCertificates(dir: string, env: LookupEnv = {}): Promise<CertIndex> {
  return indexFromScan(await scanCertificates(dir, env), env.now);
}

/**
 * Whether nothing the scan depends on has changed: every directory listed keeps its mtime (an entry added,
 * removed or renamed changes its directory's), every file read keeps its mtime and size, every key file looked
 * for is still (or still not) a file. Costs one stat per directory, certificate and key, not a walk.
 * Not seen: a symbolic link whose target changes kind (file ↔ directory) without its directory changing.
 */
export async function scanIsCurrent(scan: IndexScan, fs: FileSystem = nodeFileSystem, cancelled: () => boolean = () => false): Promise<boolean> {
  if (scan.unsure) return false;
  for (const [d, mtimeMs] of scan.dirs) {
    if (cancelled()) return false;
    const st = await statOrUndefined(fs, d);
    if ((st?.mtimeMs ?? -1) !== mtimeMs || (st !== undefined && st.kind !== 'directory')) return false;
  }
  for (const [f, was] of scan.reads) {
    if (cancelled()) return false;
    const st = await statOrUndefined(fs, f);
    if ((st?.mtimeMs ?? -1) !== was.mtimeMs || (st?.size ?? -1) !== was.size) return false;
  }
  for (const [k, wasFile] of scan.keys) {
    if (cancelled()) return false;
    if ((await isFile(fs, k)) !== wasFile) return false;
  }
  return true;
}

/**
 * Certificate-directory scans kept across check runs (one per directory and read policy), reused while
 * `scanIsCurrent` says nothing changed. Typing in a config re-checks it every few hundred ms; the
 * certificates directory rarely changes in between.
 */
export class CertIndexCache {
  private readonly scans = new Map<string, IndexScan>();

  constructor(private readonly maxDirs = 16) {}

  /**
   * The index of `dir` at `env.now`. `policy` names what `env.readFile` may read (e.g. Restricted Mode and its
   * folders): scans made under another policy are not reused.
   */
  async get(dir: string, env: LookupEnv = {}, policy = ''): Promise<CertIndex> {
    const id = `${policy}\0${dir}`;
    const old = this.scans.get(id);
    if (old) {
      const current = await scanIsCurrent(old, env.fs, env.cancelled);
      // A cancelled check learns nothing about the directory: the scan is kept for the next run.
      if (env.cancelled?.()) return { dir, certs: [], skipped: [], incomplete: 'the check was cancelled' };
      if (current) {
        // Refresh recency.
        this.scans.delete(id);
        this.scans.set(id, old);
        return indexFromScan(old, env.now);
      }
    }
    const scan = await scanCertificates(dir, env);
    if (!scan.cancelled) {
      this.scans.delete(id);
      this.scans.set(id, scan);
      while (this.scans.size > this.maxDirs) this.scans.delete(this.scans.keys().next().value as string);
    }
    return indexFromScan(scan, env.now);
  }

  /** Forgets scans that looked at `p` (a file-watcher event), so the next run walks again. */
  invalidate(p: string): void {
    for (const [id, scan] of this.scans) {
      if (p === scan.dir || p.startsWith(scan.dir.endsWith('/') ? scan.dir : scan.dir + '/')) this.scans.delete(id);
    }
  }

  clear(): void {
    this.scans.clear();
  }

  get size(): number {
    return this.scans.size;
  }
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
  /** A candidate this user may not look at (EACCES): Prosody, running as another user, may find it there. */
  denied?: string;
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
    const dir = certificatesDir(opts.configDir, opts.certificates);
    result.index = await (env.index ? env.index(dir) : indexCertificates(dir, env));
  }
  const candidates = candidateCertPaths(host, opts);
  for (const name of parentChain(host)) {
    if (env.cancelled?.()) return result;
    if (result.index) {
      const hit = findInIndex(result.index, name);
      if (hit) {
        result.found = { certificate: hit.certificate, key: hit.key, via: 'index', name, indexHit: hit };
        return result;
      }
    }
    for (const c of candidates.filter((x) => x.name === name)) {
      const kind = await fileKind(fs, c.certificate);
      if (kind === 'denied') result.denied ??= c.certificate;
      let keyIsFile: boolean | undefined;
      if (kind === 'file') {
        const key = await fileKind(fs, c.key);
        if (key === 'denied') result.denied ??= c.key;
        keyIsFile = key === 'file';
      }
      // Written out, not spread: Node 20's V8 gives each `{ ...c, more }` copy a hidden class of its own (37 000 of
      // them, ≈ 9 MB of garbage, per run over the bench's 50 000-line config; Node 24's V8 shares one).
      const t: TriedCandidate = { name: c.name, certificate: c.certificate, key: c.key, pattern: c.pattern, base: c.base, certificateIsFile: kind === 'file', keyIsFile };
      result.tried.push(t);
      if (t.certificateIsFile && t.keyIsFile) {
        result.found = { certificate: c.certificate, key: c.key, via: 'path', name };
        return result;
      }
    }
  }
  return result;
}
