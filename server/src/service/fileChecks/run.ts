// What one run of the file checks shares: the config and the paths it reads, the findings so far, and the disk
// questions several checks ask (a directory's kind, a host's certificate lookup, the main config), each answered
// once per run.
import * as path from 'node:path';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { optionOnLine } from '../catalog';
import type { ProsodyLine } from '../catalog/versions';
import { certificatesDir, findHostCert, nodeFileSystem, parentChain, type CertIndex, type LookupEnv, type ReadResult } from '../files';
import { guardedRead, type CheckFilesMode, type DocumentPaths, type FileEnv } from '../fileEnv';
import { describeRead, disabledHost } from '../fileFacts';
import { collectPathRefs, type PathRef } from '../fileRefs';
import type { ExpiryOf } from '../incrementalFileChecks';
import type { PlacedConfig } from '../model/chunkedParse';
import type { ConfigDocument } from '../model/document';
import { nameprepped } from '../model/hostName';
import { childSections } from '../model/layering';
import type { ParsedConfig, Setting } from '../model/parse';
import { findSetting } from '../model/tls';
import type { LuaValue, Range } from '../model/values';
import { FILE_RULE_IDS as R } from '../rules/files';
import { lowerFirst, sniIgnored, tableReadOn } from '../rules/helpers';
import type { Finding } from '../rules/types';
import { AbsentFinding, type FileFinding } from './findings';
import { mainConfigGlobals, type MainGlobals } from './mainConfig';
import { cafileIsDirectory, missingEffect } from './messages';
import { strayPath, type StrayPath } from './strayPath';

/** Prosody's automatic certificate lookup for one host name, and its certificates directory. */
export type HostCertLookup = { lookup: Awaited<ReturnType<typeof findHostCert>>; dir: string; dirMissing: boolean; dirIsFile: boolean };

export type PathKind = 'file' | 'directory' | 'missing' | 'other';

export interface FileRun {
  readonly config: ParsedConfig;
  readonly line: ProsodyLine;
  readonly paths: DocumentPaths;
  /** checkFiles is `auto`: absent absolute paths and permission problems only inform. */
  readonly auto: boolean;
  readonly env: FileEnv;
  readonly expiry: ExpiryOf;
  /** The paths this line reads (see startRun). */
  readonly refs: readonly PathRef[];
  /** The findings so far. */
  readonly out: FileFinding[];
  /** Host sections by nameprepped name. */
  readonly hostSections: ReadonlyMap<string, readonly number[]>;
  /** Key files and certificate references already checked against each other, so each pairing is reported once. */
  readonly pairsChecked: Set<string>;
  /** The pairs the automatic lookup found for hosts that name none (checkHostsWithoutCertificate), for later checks. */
  readonly foundPairs: Array<{ readonly host: string; readonly header: Range; readonly certificate: string; readonly key: string }>;
  /** The document's text, for a fix that must see what surrounds a range. */
  readonly text: string;
  /** An Include: the files it names are not read here, and may set what a check misses. */
  readonly include: PathRef | undefined;
  readonly includeRelated: Finding['related'];
  add(rule: string, range: Range, message: string, severity?: DiagnosticSeverity, related?: Finding['related'], fixes?: Finding['fixes']): void;
  /** A range of a section moved to where the section is in the whole document. */
  at(r: Range, section: number): Range;
  readOk(ref: PathRef, r: ReadResult, what: string, restricted?: boolean): boolean;
  /** Called once every named file was read: absent paths beside files that are here become missing-file findings. */
  settleAbsent(): void;
  /** Some certificate or key the config names was read here (after checkNamedFiles): the config is deployed here. */
  deployedHere(): boolean;
  unused(ref: PathRef, key: string): boolean;
  show(p: string): string;
  /** " This file also includes other files …" when there is an Include, else "". */
  includeNote(what: string): string;
  cancelled(): boolean;
  statKind(p: string): Promise<PathKind>;
  lookupEnv(): LookupEnv;
  hostLookup(written: string): Promise<HostCertLookup>;
  /**
   * From 0.12, the certificate find_service_cert takes from the index for any service's port before it reads
   * `<service>_certificate`: the first with a name good for every service (a DNS name); undefined when there is none
   * or the index could not be read whole.
   */
  serviceIndexCert(): Promise<{ readonly certificate: string; readonly dir: string } | undefined>;
  lookupIsOpaque(name: string): boolean;
  /** For an included file, what it takes from the main config (mainConfig.ts); read once. */
  mainGlobals(): Promise<MainGlobals>;
}

/**
 * A run over one version of the config. `placed` is the model's: its nodes may sit at a chunk's older offsets, so
 * every range read from them goes through `at`.
 */
export function startRun(model: ConfigDocument, placed: PlacedConfig, paths: DocumentPaths, line: ProsodyLine, mode: CheckFilesMode, env: FileEnv, expiry: ExpiryOf): FileRun {
  const { config } = placed;
  const at = (r: Range, section: number): Range => {
    const d = placed.shift(section);
    return d === 0 ? r : [r[0] + d, r[1] + d];
  };
  const now = env.now ?? new Date();
  const auto = mode === 'auto';
  const out: FileFinding[] = [];
  // Paths in a table the line does not read (0.9's `c2s_ssl`, 0.11's `c2s_direct_tls_ssl`) are never loaded; nor
  // are those of a host Prosody never activates (`enabled = false`, as for Debian's stock example.com) unless an
  // enabled subdomain takes its tables (mod_tls reads the parent domain's `ssl` for a host without its own).
  // Paths this line reads: a table it reads (of a host that is not surely disabled), an option it knows (a reviewer:
  // `https_certificate` on 0.9, which reads no `<service>_certificate`, got a file-missing warning).
  const refs = collectPathRefs(model, paths).filter((r) => (r.option === undefined || optionOnLine(r.option, line)) && (!r.tls || (tableReadOn(config, r.tls, line) && !(r.tls.section > 0 && disabledHost(config, r.tls.section) && !childSections(config, r.tls.section).some((j) => !disabledHost(config, j))))));
  // Paths with a separator or spaces inside their quotes (strayPath), found here in a loop: `model` read in any
  // closure of this function would live in their shared context, and the run's findings kept the whole model of
  // each version alive (+100 MB at 50 000 lines, caught by the bench).
  const strays = new Map<PathRef, StrayPath>();
  const text = model.text;
  for (const r of refs) {
    const s = strayPath(r, text);
    if (s) strays.set(r, s);
  }
  const add = (rule: string, range: Range, message: string, severity?: DiagnosticSeverity, related?: Finding['related'], fixes?: Finding['fixes']): void => {
    out.push({ rule, range, message, ...(severity !== undefined ? { severity } : {}), ...(related ? { related } : {}), ...(fixes ? { fixes } : {}) });
  };

  /** Reports a failed read; true when the file was read. */
  // Tables whose certificate or key is read here: the config is deployed on this machine, so another of their files is
  // not absent by chance (settleAbsent). (Not a CA bundle: /etc/ssl/certs/ca-certificates.crt is on every machine.)
  const present = new Set<object>();
  const readOk = (ref: PathRef, r: ReadResult, what: string, restricted?: boolean): boolean => {
    if (r.kind === 'ok') {
      if (ref.tls && (ref.role === 'certificate' || ref.role === 'key')) present.add(ref.tls.table);
      return true;
    }
    if (restricted) return false; // Restricted Mode: files outside the workspace are not looked at, and not reported
    const where = ref.relative ? `${JSON.stringify(ref.value)} (${ref.resolved})` : JSON.stringify(ref.value);
    if (r.kind === 'missing') {
      const stray = strays.get(ref);
      // Whatever machine it is deployed on, no file is named so: a warning even where absent paths are only noted.
      if (stray) add(R.missing, ref.range, `${what} ${where} does not exist: ${stray.what} ${stray.what.includes(' and ') ? 'are' : 'is'} inside the quotes, and Prosody takes ${stray.what.includes(' and ') ? 'them' : 'it'} as part of the file name. ${missingEffect(config, ref)}Write ${JSON.stringify(stray.path)}${stray.separator ? ', with the separator after the closing quote' : ''}.`, undefined, undefined, [stray.fix]);
      else if (auto && !ref.relative) out.push(new AbsentFinding(ref, what));
      // An Include is resolved against the including file's folder, every other path against the main config's.
      else add(R.missing, ref.range, `${what} ${where} does not exist${ref.relative ? `; Prosody resolves ${ref.role === 'include' ? 'an Include' : 'relative paths'} against ${ref.role === 'include' ? paths.fileDir : paths.configDir}` : ''}. ${missingEffect(config, ref)}Correct the path, or put the file there.`);
    } else if (r.kind === 'denied') {
      add(R.unreadable, ref.range, `Cannot check ${lowerFirst(what)} ${where}: permission denied.`, auto ? DiagnosticSeverity.Information : undefined);
    } else if (r.kind === 'too-large') {
      // The limit is this checker's, not Prosody's (a reviewer's 1.7 MB CA bundle loaded and served on 0.12.3 and 13.0.1).
      add(R.unreadable, ref.range, `Cannot check ${lowerFirst(what)} ${where}: it is over 1 MB (${r.size} bytes), more than this checker reads. Prosody reads files of any size, so this is only a note (a CA bundle may be that large).`, DiagnosticSeverity.Information);
    } else if (r.kind === 'error') {
      add(R.unreadable, ref.range, `Cannot check ${lowerFirst(what)} ${where}: ${r.message}.`, auto ? DiagnosticSeverity.Information : undefined);
    } else if (ref.role === 'cafile' && r.kind === 'not-a-file' && r.what === 'directory') {
      add(R.invalid, ref.range, cafileIsDirectory(config, ref, line), DiagnosticSeverity.Error);
    } else if ((ref.role === 'certificate' || ref.role === 'key') && ref.tls && r.kind === 'not-a-file' && r.what === 'directory') {
      // LuaSec loads a TLS table's certificate and key from files (a reviewer's 0.12.3 run: "error loading
      // certificate (no start line)" for c2s and s2s, the host without TLS). Only the top-level `certificate` option
      // and `certificates` name a folder to look in.
      add(R.invalid, ref.range, `${what} ${where} is a folder, but LuaSec loads the ${ref.role} from a file. ${missingEffect(config, ref)}Name the file itself; a folder to look in belongs in the top-level \`certificate\` option of a host, or in \`certificates\`.`, DiagnosticSeverity.Error);
    } else {
      add(R.unreadable, ref.range, `${what} ${where} is ${describeRead(r, !ref.relative)}.`);
    }
    return false;
  };

  /**
   * An absolute path noted as "not on this machine" beside a file of the same table that is here (review 141: a missing
   * `cafile` next to a certificate and key on this machine; real 0.12.3 and 13.0.1 refused the host's contexts, "error
   * loading CA locations"): reported as missing.
   */
  const settleAbsent = (): void => {
    out.forEach((f, i) => {
      const ref = f instanceof AbsentFinding ? f.ref : undefined;
      if (!ref?.tls || !present.has(ref.tls.table)) return;
      out[i] = { rule: R.missing, range: f.range, message: `${(f as AbsentFinding).what} ${JSON.stringify(ref.value)} does not exist, though the other files this table names are on this machine. ${missingEffect(config, ref)}Correct the path, or put the file there.` };
    });
  };

  /** A key of a host's direct-TLS table that its SNI context takes from the port instead (sni-setting-ignored). */
  const unused = (ref: PathRef, key: string): boolean => ref.tls !== undefined && sniIgnored(ref.tls, key, line);

  // Included files are not read here, and one of them may set the certificate or key: checks that conclude
  // "none" say so, and only inform.
  const include = refs.find((r) => r.role === 'include');
  const includeRelated = include ? [{ range: include.range, message: 'an included file, not read by this check' }] : undefined;
  /** A path as messages show it: relative to the config directory when inside it. */
  const show = (p: string): string => (p.startsWith(paths.configDir + path.sep) ? path.relative(paths.configDir, p) : p);
  const includeNote = (what: string): string => (include ? ` This file also includes other files, which are not read here: if one of them ${what}, ignore this.` : '');
  // Sections by name, once: looking them up per host made the host checks quadratic (seconds at thousands of hosts).
  const hostSections = new Map<string, number[]>();
  const firstNamed = new Map<string, number>();
  config.sections.forEach((x, j) => {
    if (j === 0 || x.name === undefined) return;
    // By name as Prosody holds it: for the lookup's `certificate` option per (parent) domain, and one host however its
    // name is written (Prosody merges `Example.com` and `example.com`).
    const name = nameprepped(x.name);
    if (!firstNamed.has(name)) firstNamed.set(name, j);
    if (x.kind !== 'host') return;
    const list = hostSections.get(name);
    if (list) list.push(j);
    else hostSections.set(name, [j]);
  });
  const lookups = new Map<string, Promise<HostCertLookup>>();
  // One certificate-directory index per directory for the whole run (every host shares it), reused across runs
  // while the directory tree is unchanged (fileCache.certIndexes); and whether each directory exists.
  const indexes = new Map<string, Promise<CertIndex>>();
  const dirKinds = new Map<string, ReturnType<typeof statKind>>();
  const cancelled = env.cancelled ?? ((): boolean => false);
  let mainMemo: Promise<MainGlobals> | undefined;
  const mainGlobals = (): Promise<MainGlobals> => (mainMemo ??= mainConfigGlobals(config, paths, line, env, show));

  return { config, line, paths, auto, env, expiry, refs, out, text: model.text, hostSections, pairsChecked: new Set(), foundPairs: [], include, includeRelated, add, at, readOk, unused, show, includeNote, cancelled, statKind, lookupEnv, hostLookup, serviceIndexCert, lookupIsOpaque, mainGlobals, settleAbsent, deployedHere: () => present.size > 0 };

  async function statKind(p: string): Promise<PathKind> {
    try {
      const k = (await env.fileCache.stat(p)).kind;
      return k === 'file' || k === 'directory' ? k : 'other';
    } catch (e) {
      return (e as { code?: string }).code === 'ENOENT' ? 'missing' : 'other';
    }
  }

  /**
   * Whether the automatic lookup for a host name starts from a computed value (`certificates = base .. "/certs"`,
   * a host's `certificate` option built from a variable): where it looks is only known when Prosody runs, so
   * neither "no certificate" nor the key it would find can be concluded.
   */
  function lookupIsOpaque(name: string): boolean {
    const computed = (v: LuaValue | undefined): boolean => v !== undefined && v.kind !== 'string' && v.kind !== 'nil';
    if (computed(findSetting(config, 0, 'certificates')?.value)) return true;
    return parentChain(nameprepped(name)).some((n) => computed(certificateOption(n)?.value));
  }

  /** The `certificate` option the lookup reads for a (nameprepped) domain: its section's, else the global one. */
  function certificateOption(n: string): Setting | undefined {
    const idx = firstNamed.get(n);
    return (idx !== undefined ? findSetting(config, idx, 'certificate') : undefined) ?? findSetting(config, 0, 'certificate');
  }

  /**
   * How the lookup reads: its stats of candidate paths (a few per host, mostly absent, again on every keystroke) go
   * through the cache; the index walks with the file system itself (it decides for itself when to walk again).
   */
  function lookupEnv(): LookupEnv {
    const fs = env.fs ?? nodeFileSystem;
    const e: LookupEnv = { fs: { ...fs, stat: (p) => env.fileCache.stat(p) }, readFile: (p) => guardedRead(p, env), now, cancelled };
    e.index = (d) => {
      let idx = indexes.get(d);
      if (!idx) {
        // What the index may read depends on Restricted Mode and its folders: scans made under another policy are not reused.
        const policy = env.trusted ? 'trusted' : `restricted:${env.workspaceFolders.join('\0')}`;
        idx = env.fileCache.certIndexes.get(d, { ...e, fs }, policy);
        indexes.set(d, idx);
      }
      return idx;
    };
    return e;
  }

  async function serviceIndexCert(): Promise<{ certificate: string; dir: string } | undefined> {
    const main = await mainGlobals();
    const certificates = findSetting(config, 0, 'certificates')?.value;
    if (certificates && certificates.kind !== 'string') return undefined;
    const dir = certificatesDir(paths.configDir, certificates?.kind === 'string' ? certificates.value : main.certificates);
    const index = await lookupEnv().index!(dir);
    if (index.error || index.incomplete || index.fatal?.length) return undefined;
    const cert = index.certs.find((c) => Object.values(c.names).some((services) => services.includes('*')));
    return cert && { certificate: cert.file, dir };
  }

  /** Prosody's automatic certificate lookup for a host name (0.10+), once per name. */
  function hostLookup(written: string): Promise<HostCertLookup> {
    // Prosody nameprepping the section name (0.10+, the lines with a lookup) is what the lookup's paths are built from.
    const name = nameprepped(written);
    let found = lookups.get(name);
    if (!found) {
      found = (async () => {
        const main = await mainGlobals();
        const certificates = findSetting(config, 0, 'certificates')?.value;
        const certsOption = certificates?.kind === 'string' ? certificates.value : main.certificates;
        const certificateFor = (n: string): unknown => {
          const v = certificateOption(n)?.value;
          return v?.kind === 'string' ? v.value : undefined;
        };
        const lookup = await findHostCert(name, { configDir: paths.configDir, version: line, certificates: certsOption, certificateFor }, lookupEnv());
        const dir = certificatesDir(paths.configDir, certsOption);
        let kind = dirKinds.get(dir);
        if (!kind) dirKinds.set(dir, (kind = statKind(dir)));
        // Not there (or a file where a directory belongs); a directory this user may not look at is not "missing".
        const k = await kind;
        return { lookup, dir, dirMissing: k === 'missing', dirIsFile: k === 'file' };
      })();
      lookups.set(name, found);
    }
    return found;
  }
}
