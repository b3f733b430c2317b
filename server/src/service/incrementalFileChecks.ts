// File findings kept between versions of one document. The file checks read the config (paths, hosts, passwords,
// which tables are in force) and the disk (reads, stats, certificate-directory indexes) and the clock (expiry). After
// a keystroke the config usually says the same to them: the edit was in a `protocol` or a comment. Then the last
// run's findings stand, with their ranges moved, provided the disk and the clock still say what they said: every
// observation the last run made is made again (a stat or a cached read each, no parsing, no config walk) and must
// give the same answer. Anything else runs the checks again.
//
// What the checks read of the config is its sections (kind, name, module) and the settings below (RELEVANT), and
// of TLS tables only their bracketed sub-tables and the keys in FILE_SSL_KEYS. A chunk of the document is compared
// by a signature of exactly that; an Include anywhere, Restricted Mode, or chunks that do not parse turn this off.
//
// test/unit/files-integration/incremental-file-checks.test.ts holds this to a fresh run over edit sequences with
// the disk and the clock changing in between.

import { getOption, SSL_PATH_KEYS } from './catalog';
import type { ProsodyLine } from './catalog/versions';
import type { DocumentPaths, FileEnv, CheckFilesMode } from './fileEnv';
import { SNI_SERVICES } from './fileFacts';
import { nodeFileSystem, validity, type BoundedRead, type CertIndex, type FileCache, type FileStat, type FileSystem, type LookupEnv, type ReadResult } from './files';
import type { ChunkEntry, ConfigPart } from './model/chunkedParse';
import { ChunkMemo } from './model/chunkMemo';
import type { ConfigDocument } from './model/document';
import { INCLUDE_WORDS } from './model/sectionWords';
import { lastStartingAtOrBefore } from './model/search';
import { tls13Class } from './rules/ciphers';
import type { Range, LuaValue } from './model/values';

/** What a finding needs to be moved: its own range and its related places'. */
export interface MovableFinding {
  readonly range: Range;
  readonly related?: ReadonlyArray<{ readonly range: Range; readonly message: string }>;
}

/** The expiry facts of a certificate at the run's clock (see fileFacts.validity). */
export type ExpiryOf = (cert: { validFrom: string; validTo: string }) => { daysLeft: number; expired: boolean; notYetValid: boolean };

/** One run of the checks, over the environment and clock it is handed. */
export type FileRun<F> = (env: FileEnv, expiry: ExpiryOf) => Promise<F[]>;

/**
 * Ssl-table keys the file checks read: the path keys, the key's `password`, LuaSec's `certificates` list (a
 * certificate in force for host-no-certificate), and `ciphers` (its `@SECLEVEL`, for key-below-seclevel). Other keys'
 * values never matter.
 */
const FILE_SSL_KEYS: ReadonlySet<string> = new Set([...SSL_PATH_KEYS, 'password', 'certificates', 'ciphers']);

/** Settings the file checks read, besides the TLS tables and certificate maps (kinds from the catalog); the direct-TLS ports for direct-tls-host-certificate. */
const RELEVANT_NAMES: ReadonlySet<string> = new Set([
  'certificates', 'certificate', 'enabled', 'modules_disabled', 'interfaces', 'interface', 'c2s_ports', 's2s_ports',
  // Whether servers reach a host (fileChecks/hostCertificates.ts s2sOffFor): a host's modules_enabled may load s2s again.
  'modules_enabled', 's2s_interfaces', 's2s_direct_tls_interfaces',
  // Who Prosody runs as, for the Prosody-user check (fileChecks/prosodyUser.ts).
  'prosody_user', 'prosody_group', 'run_as_root',
  // What the direct-TLS check reads of each service: its ports and the interfaces they bind.
  ...SNI_SERVICES.flatMap(({ service }) => [`${service}_ports`, `${service}_interfaces`, `${service}_interface`]),
  // Before 0.12, mod_http's https port.
  'https_ports',
]);

/** Read in the global section only: the profile. (modules_enabled, which also opens the https port, is read everywhere.) */
const GLOBAL_NAMES: ReadonlySet<string> = new Set(['tls_profile']);

function relevant(name: string, section: number): boolean {
  if (RELEVANT_NAMES.has(name) || (section === 0 && GLOBAL_NAMES.has(name))) return true;
  const kind = getOption(name)?.kind;
  return kind === 'ssl-table' || kind === 'certificate-map';
}

/**
 * A chunk as the file checks see it. `sig` holds no offsets; `anchors` are the ranges a finding can carry (string
 * literals, table fields, section headers), relative to the chunk, in an order `sig` fixes.
 */
interface Shape {
  readonly sig: string;
  readonly anchors: readonly number[];
}

// Per parsed chunk: typing re-parses one chunk, whose shape is all that is computed again.
const shapes = new WeakMap<ChunkEntry, Shape>();

function shapeOf(entry: ChunkEntry): Shape {
  let s = shapes.get(entry);
  if (!s) shapes.set(entry, (s = computeShape(entry)));
  return s;
}

function computeShape(entry: ChunkEntry): Shape {
  const { parsed } = entry;
  const at = parsed.offset;
  const out: string[] = [];
  const anchors: number[] = [];
  const anchor = (r: Range): void => {
    anchors.push(r[0] - at, r[1] - at);
  };
  // Section indexes relative to the chunk's first (the global section keeps its own name).
  const sec = (i: number): string => (i === 0 ? 'G' : String(i - parsed.base));
  for (const s of parsed.sections) {
    out.push(`S${JSON.stringify([s.kind, s.name ?? null, s.module ?? null])}`);
    anchor(s.range);
  }
  for (const s of parsed.settings) {
    if (!relevant(s.name, s.section)) continue;
    out.push(`V${sec(s.section)}${s.conditional ? '?' : ''}${JSON.stringify(s.name)}=`);
    anchor(s.range);
    value(s.value, getOption(s.name)?.kind === 'ssl-table');
  }
  return { sig: out.join('\n'), anchors };

  function value(v: LuaValue, tls: boolean): void {
    anchor(v.range);
    switch (v.kind) {
      case 'string':
        out.push(`s${JSON.stringify(v.value)}`);
        return;
      case 'number':
        out.push(`n${JSON.stringify(v.raw)}`);
        return;
      case 'boolean':
        out.push(v.value ? 't' : 'f');
        return;
      case 'nil':
        out.push('l');
        return;
      case 'expression':
        out.push(`e${JSON.stringify([v.what, v.shown ?? null])}`);
        return;
      case 'table':
        out.push(`{${v.items.length}`);
        for (const item of v.items) value(item, false);
        for (const f of v.fields) {
          // The checks read of a `protocol` only whether it leaves TLS 1.2 open (ciphers-need-other-key), by the
          // class the cipher rules read: typing in its value flips it only when a name is completed.
          if (tls && !f.bracket && f.key === 'protocol') {
            out.push(`p${f.value.kind === 'string' ? tls13Class(f.value.value) : '?'}`);
            continue;
          }
          // An ssl key the checks never read (its value is what people type in).
          if (tls && !f.bracket && typeof f.key === 'string' && !FILE_SSL_KEYS.has(f.key)) continue;
          out.push(`f${f.bracket ? '[' : ''}${JSON.stringify(f.key)}`);
          anchor(f.range);
          // Bracketed tables in a TLS table are per-port or per-interface tables: TLS tables themselves.
          value(f.value, tls && f.bracket && f.value.kind === 'table');
        }
        out.push('}');
        return;
    }
  }
}

/** What one run observed: each answer once, by what was asked. */
type Observation =
  | { readonly kind: 'read' | 'stat' | 'lstat' | 'readdir' | 'cachedStat'; readonly path: string; readonly seen: string }
  | { readonly kind: 'readBounded'; readonly path: string; readonly limit: number; readonly seen: string }
  | { readonly kind: 'index'; readonly path: string; readonly policy: string; readonly seen: string }
  | { readonly kind: 'readableAs'; readonly path: string; readonly user: string; readonly seen: string }
  | { readonly kind: 'expiry'; readonly cert: { readonly validFrom: string; readonly validTo: string }; readonly seen: string };

/** What was asked, whatever the answer: the same question asked twice in a run must get the same answer. */
function question(o: Observation): string {
  switch (o.kind) {
    case 'readBounded':
      return `${o.kind}\0${o.path}\0${o.limit}`;
    case 'index':
      return `${o.kind}\0${o.policy}\0${o.path}`;
    case 'readableAs':
      return `${o.kind}\0${o.user}\0${o.path}`;
    case 'expiry':
      return `${o.kind}\0${o.cert.validFrom}\0${o.cert.validTo}`;
    default:
      return `${o.kind}\0${o.path}`;
  }
}

class Observations {
  readonly seen = new Map<string, Observation>();
  /** The same question got two answers in one run (the disk changed under it): nothing to keep. */
  unstable = false;

  note(o: Observation): void {
    const id = question(o);
    const had = this.seen.get(id);
    if (!had) this.seen.set(id, o);
    else if (had.seen !== o.seen) this.unstable = true;
  }

  /** Asks `ask` and notes its answer, or its failure (rethrown), as `seen` describes it. */
  async observe<T>(ask: () => Promise<T>, seen: (t: T) => string, as: (seen: string) => Observation): Promise<T> {
    try {
      const t = await ask();
      this.note(as(seen(t)));
      return t;
    } catch (e) {
      this.note(as(failureSeen(e)));
      throw e;
    }
  }
}

function readSeen(r: ReadResult): string {
  switch (r.kind) {
    case 'ok':
      return `ok ${r.mtimeMs} ${r.size}`;
    case 'not-a-file':
      return `not-a-file ${r.what}`;
    case 'too-large':
      return `too-large ${r.size}`;
    case 'error':
      return `error ${r.message}`;
    default:
      return r.kind;
  }
}

const statSeen = (s: FileStat): string => `${s.kind} ${s.size} ${s.mtimeMs}`;
const namesSeen = (names: readonly string[]): string => names.join('\0');
const boundedSeen = (r: BoundedRead): string => `${statSeen(r.stat)} ${r.bytes?.length ?? -1}`;
const failureSeen = (e: unknown): string => `throws ${String((e as { code?: unknown })?.code ?? e)}`;
const indexSeen = (i: CertIndex): string => JSON.stringify(i);
const expirySeen = (v: ReturnType<ExpiryOf>): string => `${v.daysLeft} ${v.expired} ${v.notYetValid}`;

/** The file system, answering as `base` does and noting each answer. */
function observingFs(base: FileSystem, obs: Observations): FileSystem {
  return {
    stat: (path) => obs.observe(() => base.stat(path), statSeen, (seen) => ({ kind: 'stat', path, seen })),
    lstat: (path) => obs.observe(() => base.lstat(path), statSeen, (seen) => ({ kind: 'lstat', path, seen })),
    readdir: (path) => obs.observe(() => base.readdir(path), namesSeen, (seen) => ({ kind: 'readdir', path, seen })),
    readBounded: (path, limit) => obs.observe(() => base.readBounded(path, limit), boundedSeen, (seen) => ({ kind: 'readBounded', path, limit, seen })),
    ...(base.readableAs && { readableAs: (path: string, user: string) => obs.observe(() => base.readableAs!(path, user), String, (seen) => ({ kind: 'readableAs', path, user, seen })) }),
  };
}

/**
 * The file cache, answering as `base` does (its entries and timers are base's) and noting each answer. An index
 * is noted whole and asked again whole (it checks its own directory tree), so what it reads is not noted.
 */
function observingCache(base: FileCache, fs: FileSystem, obs: Observations): FileCache {
  const read = async (p: string): Promise<ReadResult> => {
    const r = await base.read(p);
    obs.note({ kind: 'read', path: p, seen: readSeen(r) });
    return r;
  };
  return Object.create(base, {
    read: { value: read },
    derive: {
      value: async <T>(p: string, key: string, compute: (b: Uint8Array) => T) => {
        const r = await base.derive(p, key, compute);
        obs.note({ kind: 'read', path: p, seen: readSeen(r.read) });
        return r;
      },
    },
    stat: { value: (path: string) => obs.observe(() => base.stat(path), statSeen, (seen) => ({ kind: 'cachedStat', path, seen })) },
    recentFailure: {
      value: (p: string) => {
        // A miss says nothing: the read that follows is noted.
        const r = base.recentFailure(p);
        if (r) obs.note({ kind: 'read', path: p, seen: readSeen(r) });
        return r;
      },
    },
    certIndexes: {
      value: Object.create(base.certIndexes, {
        get: {
          value: async (dir: string, env: LookupEnv, policy: string) => {
            const i = await base.certIndexes.get(dir, { ...env, fs, readFile: (p) => base.read(p) }, policy);
            if (env.cancelled?.()) obs.unstable = true;
            obs.note({ kind: 'index', path: dir, policy, seen: indexSeen(i) });
            return i;
          },
        },
      }),
    },
  }) as FileCache;
}

/** Asks each question again; true when every answer is the one noted. */
async function stillSeen(observations: Iterable<Observation>, env: FileEnv, now: Date, cancelled: () => boolean): Promise<boolean> {
  const fs = env.fs ?? nodeFileSystem;
  const cache = env.fileCache;
  const lookupEnv: LookupEnv = { fs, readFile: (p) => cache.read(p), now, cancelled };
  const ask = async <T>(q: () => Promise<T>, seen: (t: T) => string): Promise<string> => {
    try {
      return seen(await q());
    } catch (e) {
      return failureSeen(e);
    }
  };
  // Answered in place where memory answers (most of a large config's absent files): an await each was the cost.
  const answer = (o: Observation): string | Promise<string> => {
    switch (o.kind) {
      case 'read': {
        const failed = cache.recentFailure(o.path);
        return failed ? readSeen(failed) : cache.read(o.path).then(readSeen);
      }
      case 'stat':
        return ask(() => fs.stat(o.path), statSeen);
      case 'cachedStat':
        // Answered from memory for most absent paths: no rejected promise each.
        return cache.knownMissing(o.path) ? failureSeen({ code: 'ENOENT' }) : ask(() => cache.stat(o.path), statSeen);
      case 'lstat':
        return ask(() => fs.lstat(o.path), statSeen);
      case 'readdir':
        return ask(() => fs.readdir(o.path), namesSeen);
      case 'readBounded':
        return ask(() => fs.readBounded(o.path, o.limit), boundedSeen);
      case 'index':
        return cache.certIndexes.get(o.path, lookupEnv, o.policy).then(indexSeen);
      case 'readableAs':
        return ask(() => fs.readableAs?.(o.path, o.user) ?? Promise.resolve('unknown'), String);
      case 'expiry':
        return expirySeen(expiryAt(now)(o.cert));
    }
  };
  // One after another, the token checked before each. Asked a few at a time (askAtOnce), a cancel 100 ms into the
  // re-check of a thousand hosts' files went unheeded (a protocol test; why was not pinned down), and it gained
  // little: the answers from memory were the cost (see FileCache.knownMissing).
  for (const o of observations) {
    if (cancelled()) return false;
    const a = answer(o);
    if ((typeof a === 'string' ? a : await a) !== o.seen) return false;
  }
  return !cancelled();
}

/** The clock the checks judge expiry by. */
export function expiryAt(now: Date): ExpiryOf {
  return (cert) => validity(cert, now);
}

interface Kept<F> {
  readonly context: string;
  readonly fs: FileSystem | undefined;
  readonly cache: FileCache;
  readonly parts: ReadonlyArray<{ readonly entry: ChunkEntry; readonly start: number }>;
  readonly findings: readonly F[];
  readonly observations: ReadonlyMap<string, Observation>;
}

// Per parsed chunk (a word never spans chunks, which start at a header): whether it names Include.
const includeIn = new ChunkMemo((text) => [...INCLUDE_WORDS].some((w) => text.includes(w)));

/** How the last call was answered, for tests and the bench. */
export type FileCheckOutcome = 'kept' | 'ran' | 'ran-uncached';

export class IncrementalFileChecks<F extends MovableFinding> {
  private kept?: Kept<F>;
  last: FileCheckOutcome = 'ran-uncached';

  /**
   * The findings of `run` for this version: the last run's, moved, when nothing it read has changed; else a new
   * run's. `move` makes a finding with new ranges.
   */
  async findings(model: ConfigDocument, paths: DocumentPaths, line: ProsodyLine, mode: CheckFilesMode, env: FileEnv, run: FileRun<F>, move: (f: F, at: (r: Range) => Range) => F): Promise<F[]> {
    const now = env.now ?? new Date();
    const cancelled = env.cancelled ?? ((): boolean => false);
    const parts = model.parts;
    // Includes are found in the tokens, not the chunks; Restricted Mode also asks realpath: neither is tracked.
    if (!parts || !env.trusted || includeIn.some(parts, model.text, (v) => v)) {
      this.kept = undefined;
      this.last = 'ran-uncached';
      return run(env, expiryAt(now));
    }
    const context = JSON.stringify([paths, line, mode, env.workspaceFolders]);
    const kept = this.kept;
    if (kept && kept.context === context && kept.fs === env.fs && kept.cache === env.fileCache) {
      const at = mover(kept.parts, parts);
      if (at) {
        // The same chunks at the same places (a re-check of an unchanged version): nothing to move or copy.
        const unmoved = kept.parts.length === parts.length && parts.every((p, k) => p.entry === kept.parts[k]!.entry && p.start === kept.parts[k]!.start);
        const moved = unmoved ? [...kept.findings] : moveAll(kept.findings, at, move);
        if (moved && (await stillSeen(kept.observations.values(), env, now, cancelled))) {
          this.kept = { ...kept, parts: parts.map(({ entry, start }) => ({ entry, start })), findings: moved };
          this.last = 'kept';
          return moved;
        }
        if (cancelled()) return [];
      }
    }
    const obs = new Observations();
    const fs = env.fs ?? nodeFileSystem;
    const observed: FileEnv = { ...env, now, fs: observingFs(fs, obs), fileCache: observingCache(env.fileCache, fs, obs) };
    const expiry = expiryAt(now);
    const findings = await run(observed, (cert) => {
      const v = expiry(cert);
      obs.note({ kind: 'expiry', cert: { validFrom: cert.validFrom, validTo: cert.validTo }, seen: expirySeen(v) });
      return v;
    });
    this.last = 'ran';
    // A cancelled run is incomplete; an unstable one saw the disk change while it ran.
    this.kept = cancelled() || obs.unstable ? undefined : { context, fs: env.fs, cache: env.fileCache, parts: parts.map(({ entry, start }) => ({ entry, start })), findings, observations: obs.seen };
    return findings;
  }
}

/**
 * Where a range of the old version is in the new one, when the chunks say the same to the file checks: a chunk
 * kept as is moves whole; a re-parsed chunk with the same signature maps its anchors one to one. Undefined when
 * the chunks differ.
 */
function mover(old: Kept<MovableFinding>['parts'], now: readonly ConfigPart[]): ((r: Range) => Range | undefined) | undefined {
  if (old.length !== now.length) return undefined;
  for (let k = 0; k < now.length; k++) {
    const a = old[k]!.entry;
    const b = now[k]!.entry;
    if (a !== b && shapeOf(a).sig !== shapeOf(b).sig) return undefined;
  }
  return (r) => {
    // The chunk holding r[0] in the old version.
    const lo = lastStartingAtOrBefore(old, (p) => p.start, r[0]);
    const from = old[lo]!;
    const to = now[lo]!;
    if (from.entry === to.entry) {
      const d = to.start - from.start;
      return [r[0] + d, r[1] + d];
    }
    const a = shapeOf(from.entry).anchors;
    const b = shapeOf(to.entry).anchors;
    for (let i = 0; i < a.length; i += 2) {
      if (a[i] === r[0] - from.start && a[i + 1] === r[1] - from.start) return [b[i]! + to.start, b[i + 1]! + to.start];
    }
    return undefined;
  };
}

function moveAll<F extends MovableFinding>(findings: readonly F[], at: (r: Range) => Range | undefined, move: (f: F, at: (r: Range) => Range) => F): F[] | undefined {
  let lost = false;
  const safe = (r: Range): Range => {
    const m = at(r);
    if (!m) lost = true;
    return m ?? r;
  };
  const out = findings.map((f) => move(f, safe));
  return lost ? undefined : out;
}
