// Path rules the way Prosody applies them (util/paths.lua resolve_relative_path, core/certmanager.lua find_cert).
// Everything here is pure except `mainConfigDir`, which asks an injected file system whether a main config exists.
import * as path from 'node:path';
import type { ProsodyLine } from '../catalog/versions';
import type { FileSystem } from './fs';
import { includeCalls } from '../model/sectionWords';

/**
 * Prosody's resolve_relative_path: trailing slashes of the base and one leading "./" of the path are dropped, and
 * a path not starting with "/" is joined to the base with "/". No "..", "~" or symlink processing happens.
 * (On Windows Prosody also treats "C:\" / "C:/" as absolute; `windows` enables that rule.)
 */
export function resolveRelativePath(baseDir: string, p: string, windows = false): string {
  const base = baseDir.replace(windows ? /[\\]+$/ : /\/+$/, '');
  const rel = p.replace(windows ? /^\.[\\]+/ : /^\.\/+/, '');
  const sep = windows ? '\\' : '/';
  const relative = windows ? !(rel.startsWith('/') || /^.(:\\|:\/)/.test(rel)) : !rel.startsWith('/');
  return relative ? base + sep + rel : rel;
}

/** Folder names whose files are normally pulled in by `Include` from the main config one level up. */
export const INCLUDE_DIRS = ['conf.d', 'conf.avail'];

/**
 * Directory Prosody resolves relative paths against for a config file: the directory of the MAIN config file.
 * For a file inside conf.d/ or conf.avail/ that is the parent folder when it holds prosody.cfg.lua; for a file in any
 * other folder, the nearest folder (up to MAIN_LEVELS above) whose prosody.cfg.lua has an `Include` that names it (`Include
 * "sites/*.cfg.lua"`: a reviewer's 0.12.3 run found every relative path of such a file, which we called missing);
 * otherwise the file's own directory. (Not any folder beside a prosody.cfg.lua: a config run on its own with
 * `--config` from a subfolder resolves against that subfolder, and a reviewer's staging config was judged against
 * the wrong one.)
 */
export async function mainConfigDir(configFile: string, fs: Pick<FileSystem, 'stat' | 'readBounded'>): Promise<string> {
  const dir = path.dirname(configFile);
  const parent = path.dirname(dir);
  const main = path.join(parent, 'prosody.cfg.lua');
  if (parent === dir || main === configFile) return dir;
  try {
    if (INCLUDE_DIRS.includes(path.basename(dir)) && (await fs.stat(main)).kind === 'file') return parent;
  } catch {
    // No main config above.
  }
  // (A prosody.cfg.lua is a main config itself.)
  if (path.basename(configFile) === 'prosody.cfg.lua') return dir;
  // A main config up to MAIN_LEVELS folders above whose Include names this file (review 141: `Include
  // "conf.d/vhosts/*.cfg.lua"`, the relative paths resolved against the main config's folder on a real 0.12.3). The
  // text is asked for on every keystroke's file checks: kept for a moment (a profile of typing at 1 000 lines: a fifth
  // of the file checks went to reading it).
  for (let up = parent, level = 0; level < MAIN_LEVELS; level++, up = path.dirname(up)) {
    if (includes(await mainIncludes(path.join(up, 'prosody.cfg.lua'), fs), up, configFile)) return up;
    if (path.dirname(up) === up) break;
  }
  return dir;
}

/** How many folders above an included file its main config is looked for. */
const MAIN_LEVELS = 3;


/** Enough for any main config: one larger is not read for its Include lines. */
const MAIN_CONFIG_LIMIT = 1 << 20;
const MAIN_INCLUDES_MS = 2_000;
const mainIncludeLists = new Map<string, { at: number; list: readonly string[] }>();

/** A config's text (up to MAIN_CONFIG_LIMIT, as a main config is read for its Include lines), or undefined. */
export async function readConfigText(file: string, fs: Pick<FileSystem, 'readBounded'>): Promise<string | undefined> {
  try {
    const read = await fs.readBounded(file, MAIN_CONFIG_LIMIT);
    return read.bytes ? new TextDecoder().decode(read.bytes) : undefined;
  } catch {
    return undefined;
  }
}

/** The paths a config's `Include` lines name (commented-out lines left aside), kept for a moment. */
async function mainIncludes(file: string, fs: Pick<FileSystem, 'readBounded'>): Promise<readonly string[]> {
  const now = Date.now();
  const had = mainIncludeLists.get(file);
  if (had && now - had.at < MAIN_INCLUDES_MS) return had.list;
  const list: string[] = [];
  // (No main config there: nothing includes the file.)
  for (const p of includeCalls((await readConfigText(file, fs)) ?? '')) if (p) list.push(p);
  if (mainIncludeLists.size > 256) mainIncludeLists.clear();
  mainIncludeLists.set(file, { at: now, list });
  return list;
}

/**
 * Whether these `Include` paths (resolved against the including config's folder, `*` and `?` in the last part as
 * configmanager globs them) name this file.
 */
function includes(list: readonly string[], configDir: string, file: string): boolean {
  for (const written of list) {
    const target = resolveRelativePath(configDir, written);
    if (!/[*?]/.test(target)) {
      if (path.resolve(target) === path.resolve(file)) return true;
      continue;
    }
    if (path.resolve(path.dirname(target)) !== path.resolve(path.dirname(file))) continue;
    const glob = path.basename(target).replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
    const name = path.basename(file);
    if (!name.startsWith('.') && new RegExp(`^${glob}$`).test(name)) return true;
  }
  return false;
}

/** Prosody's default for the global `certificates` option. */
export const DEFAULT_CERTIFICATES_DIR = 'certs';

/** The certificates directory: global `certificates` (a string; anything else means the default) under the config dir. */
export function certificatesDir(configDir: string, certificatesOption?: unknown): string {
  const dir = typeof certificatesOption === 'string' ? certificatesOption : DEFAULT_CERTIFICATES_DIR;
  return resolveRelativePath(configDir, dir);
}

/** Which find_cert step produced a candidate: the configured path itself, or `<dir>/<name>.crt` and so on. */
export type CandidatePattern = 'as-given' | '<name>.crt' | '<name>/fullchain.pem' | '<name>.pem';

export interface CertCandidate {
  /** The domain this step searches for: the host itself, then each parent domain. */
  name: string;
  certificate: string;
  key: string;
  pattern: CandidatePattern;
  /** Where the base path came from: the `certificate` option in effect for `name`, or the global certificates dir. */
  base: 'certificate-option' | 'certificates-dir';
}

export interface CandidateOptions {
  configDir: string;
  version: ProsodyLine;
  /** Global `certificates` option value (default "certs"). */
  certificates?: unknown;
  /**
   * `certificate` option in effect for a name (configmanager.get(name, "certificate"): the VirtualHost/Component
   * value, else the global one). Called for the host and each parent domain.
   */
  certificateFor?: (name: string) => unknown;
}

/** Prosody's walk up the domain: host, then host:match("%.(.+)$") repeatedly, down to the last label ("com"). */
export function parentChain(host: string): string[] {
  const out: string[] = [];
  let h: string | undefined = host;
  while (h) {
    out.push(h);
    const m: RegExpMatchArray | null = h.match(/\.(.+)$/);
    h = m ? m[1] : undefined;
  }
  return out;
}

const STEPS: Array<{ pattern: CandidatePattern; crt: string; key: string }> = [
  { pattern: 'as-given', crt: '', key: '' },
  { pattern: '<name>.crt', crt: '/%s.crt', key: '/%s.key' },
  { pattern: '<name>/fullchain.pem', crt: '/%s/fullchain.pem', key: '/%s/privkey.pem' },
  { pattern: '<name>.pem', crt: '/%s.pem', key: '/%s.pem' },
];

/** The four (certificate, key) pairs find_cert tries under one base path, in order. */
export function findCertCandidates(basePath: string, name: string, base: CertCandidate['base']): CertCandidate[] {
  return STEPS.map((s) => {
    const certificate = basePath + s.crt.replace('%s', name);
    let key = basePath + s.key.replace('%s', name);
    if (certificate === key) {
      // Same file for both: a ".crt" or ".../fullchain.pem" path gets its usual partner, anything else is a combined file.
      if (key.endsWith('.crt')) key = key.slice(0, -3) + 'key';
      else if (key.endsWith('/fullchain.pem')) key = key.slice(0, -13) + 'privkey.pem';
    }
    return { name, certificate, key, pattern: s.pattern, base };
  });
}

/**
 * Every (certificate, key) pair Prosody's path-based lookup tries for `host`, in order; Prosody takes the first
 * pair whose two paths are both regular files. 0.10+ only (0.9 has no automatic lookup: an empty list).
 * From 0.12 Prosody first consults an index of the certificates directory by the names inside the certificates;
 * that step depends on file contents and is done by `findHostCert` (lookup.ts), not listed here.
 */
export function candidateCertPaths(host: string, opts: CandidateOptions): CertCandidate[] {
  if (opts.version === '0.9' || !host) return [];
  const out: CertCandidate[] = [];
  for (const name of parentChain(host)) {
    const own = opts.certificateFor?.(name);
    const base = typeof own === 'string' ? resolveRelativePath(opts.configDir, own) : certificatesDir(opts.configDir, opts.certificates);
    out.push(...findCertCandidates(base, name, typeof own === 'string' ? 'certificate-option' : 'certificates-dir'));
  }
  return out;
}

/** Whether this line's lookup starts with the content index of the certificates directory (0.12 and 13.0). */
export function usesCertIndex(version: ProsodyLine): boolean {
  return version === '0.12' || version === '13.0';
}

export type DhparamValue =
  | { kind: 'path'; path: string }
  /** Literal PEM text in the config (Prosody 13.0 only). */
  | { kind: 'pem'; pem: string }
  | { kind: 'ignored'; reason: string };

/** How Prosody treats an `ssl.dhparam` value. Non-strings are dropped; 13.0 also accepts literal PEM. */
export function classifyDhparam(value: unknown, configDir: string, version: ProsodyLine): DhparamValue {
  if (typeof value !== 'string') return { kind: 'ignored', reason: 'not a string (Prosody drops it)' };
  if (version === '13.0' && value.startsWith('-----BEGIN')) return { kind: 'pem', pem: value };
  return { kind: 'path', path: resolveRelativePath(configDir, value) };
}
