// Cache of safe reads keyed by path + mtime + size, so hover, links and diagnostics can all look at the same
// certificate without re-reading it. A cheap stat validates each hit; a failed read, or a stat that found nothing,
// is remembered for a moment (see failureTtlMs), and so is what its directory said (see dirsAsked); `invalidate`
// is for file-watcher events. It also keeps the
// certificate-directory scans of the automatic lookup (certIndexes), which validate themselves by directory mtimes.
import { basename, dirname } from 'node:path';
import { errorCode, FileStat, FileSystem, nodeFileSystem } from './fs';
import { CertIndexCache } from './lookup';
import { ReadResult, safeReadFile, SafeReadOptions } from './read';

interface Entry {
  mtimeMs: number;
  size: number;
  result: ReadResult & { kind: 'ok' };
  derived: Map<string, unknown>;
}

export interface FileCacheOptions extends SafeReadOptions {
  /**
   * Most entries kept; the least recently used is dropped first. Default 4096: the file checks ask after every file
   * of the config in the same order each run, so a cache smaller than that set is emptied by every run (at 64,
   * every keystroke re-read every file of a config with more than 32 TLS hosts).
   */
  maxEntries?: number;
  /** Most bytes of file contents kept (a file may be up to a megabyte); the least recently used go first. Default 32 MB. */
  maxBytes?: number;
  /**
   * How long a failed read (missing, denied, not a file…) is answered from memory, in ms. Default 5000, the
   * server's re-check period. A config can name thousands of paths that are not on this machine; every keystroke
   * re-validates, and one failed lstat per path per keystroke was most of the time spent on such configs. A run
   * that took longer than this memory (thousands of hosts) asked after every path twice.
   */
  failureTtlMs?: number;
  /** Clock for the failure TTL (tests). */
  now?: () => number;
}

/** What a directory said: missing, or there with this mtime and (when listed) these names, folded. */
type DirMemo = { at: number; missing: true } | { at: number; missing: false; mtimeMs: number; names?: ReadonlySet<string>; large?: true };

/** A directory whose mtime is this recent is not listed (an entry added in the same tick would go unseen). */
const RACY_MS = 2000;
/** The names of larger directories are not kept (each path in them is asked itself). */
const MAX_LISTED = 20_000;
const folded = (name: string): string => name.normalize('NFC').toLowerCase();
const SELF_OR_PARENT: ReadonlySet<string> = new Set(['.', '..', '']);

/** Failed reads remembered at most (oldest dropped first). */
const MAX_FAILURES = 50_000;

export class FileCache {
  private readonly entries = new Map<string, Entry>();
  private readonly failures = new Map<string, { at: number; result: ReadResult }>();
  /** When each path was last stat'ed and found missing. */
  private readonly missingStats = new Map<string, number>();
  /**
   * Directories asked after (once a path in them was missing), when, and what they said: missing, or their names.
   * A config names thousands of certificates that are not there (written for another machine, or hosts left to
   * the automatic lookup), each under one of a few directories; one stat of the directory, and a listing while its
   * mtime stays the same, answers for all of them. Asking each path cost an error object and a thread-pool round
   * trip: at 4 000 hosts a re-check made 15 000 such calls, ≈ 1.5 s and 100+ MB of garbage every few seconds.
   */
  private readonly dirsAsked = new Map<string, DirMemo>();
  private lastSweep = 0;
  private readonly fs: FileSystem;
  private readonly maxEntries: number;
  private readonly maxBytes: number;
  /** Bytes of the cached files' contents. */
  private bytes = 0;
  private readonly failureTtlMs: number;
  private readonly now: () => number;
  /** Certificate-directory scans for Prosody's automatic lookup, reused across check runs while current. */
  readonly certIndexes = new CertIndexCache();

  constructor(private readonly options: FileCacheOptions = {}) {
    this.fs = options.fs ?? nodeFileSystem;
    this.maxEntries = options.maxEntries ?? 4096;
    this.maxBytes = options.maxBytes ?? 32 * 1024 * 1024;
    this.failureTtlMs = options.failureTtlMs ?? 5000;
    this.now = options.now ?? Date.now;
  }

  /** Same contract as `safeReadFile`; only successful reads are cached. */
  async read(path: string): Promise<ReadResult> {
    return (await this.lookup(path)).result;
  }

  /**
   * A value computed from the file's bytes (e.g. an inspection), memoised under `key` for as long as the file's
   * mtime and size stay the same. `compute` is not called when the read fails; the failure is returned instead.
   */
  async derive<T>(path: string, key: string, compute: (bytes: Uint8Array) => T): Promise<{ read: ReadResult; value?: T }> {
    const { result, entry } = await this.lookup(path);
    if (!entry) return { read: result };
    if (!entry.derived.has(key)) entry.derived.set(key, compute(entry.result.bytes));
    return { read: result, value: entry.derived.get(key) as T };
  }

  /**
   * `fs.stat`, except that a path found missing a moment ago is answered from memory (see failureTtlMs): the file
   * checks ask after directories on every keystroke, and on a config written for another machine they are absent.
   */
  async stat(path: string): Promise<FileStat> {
    if (this.knownMissing(path)) throw { code: 'ENOENT' };
    try {
      const st = await this.fs.stat(path);
      this.missingStats.delete(path);
      return st;
    } catch (e) {
      // Only the time is kept, never the error: a Node error holds on to the functions of its stack trace until the
      // trace is printed, and through them to the whole check run (the model of a version, its findings) that asked.
      if (errorCode(e) === 'ENOENT') {
        this.missingStats.set(path, this.now());
        this.forgetExpired();
        await this.askDir(path);
      }
      throw e;
    }
  }

  /**
   * `stat`'s answer from memory, without a promise: the path was found missing a moment ago, or a directory above it
   * says so. (A re-check after a keystroke asks this of hundreds of absent paths.)
   */
  knownMissing(path: string): boolean {
    const missing = this.missingStats.get(path);
    if (missing !== undefined && this.now() - missing < this.failureTtlMs) return true;
    const since = this.inMissingDir(path);
    if (since === undefined) return false;
    this.missingStats.set(path, since);
    return true;
  }

  /**
   * When what the directories said a moment ago shows `path` missing (it or one above is absent, or its directory's
   * listing lacks it): the time they said so, which the answer is remembered from (never longer than they are).
   */
  private inMissingDir(path: string): number | undefined {
    const now = this.now();
    // The path itself (a directory asked before), then each directory above it.
    for (let child: string | undefined, dir = path; ; child = dir, dir = dirname(dir)) {
      const d = this.dirsAsked.get(dir);
      if (d !== undefined && now - d.at < this.failureTtlMs) {
        if (d.missing) return d.at;
        // Compared folded, so that a case-insensitive or normalising file system is asked whenever it might match;
        // `.` and `..` are in no listing (a reviewer: `certificates = "."` was "not on this machine").
        if (child === path && d.names !== undefined && !SELF_OR_PARENT.has(basename(path)) && !d.names.has(folded(basename(path)))) return d.at;
      }
      if (dirname(dir) === dir) return undefined;
    }
  }

  /** After `path` was found missing: asks its directory, once per failureTtlMs (its listing again only when its mtime moved). */
  private async askDir(path: string): Promise<void> {
    const dir = dirname(path);
    const asked = this.dirsAsked.get(dir);
    if (dir === path || (asked && this.now() - asked.at < this.failureTtlMs)) return;
    let st: FileStat;
    try {
      st = await this.fs.stat(dir);
    } catch (e) {
      const missing = errorCode(e) === 'ENOENT';
      this.dirsAsked.set(dir, missing ? { at: this.now(), missing } : { at: this.now(), missing, mtimeMs: NaN });
      // Per-host directories (Let's Encrypt's live/<host>/) under one absent parent: that one answers for them all.
      if (missing) await this.askDir(dir);
      return;
    }
    const same = asked && !asked.missing && asked.mtimeMs === st.mtimeMs ? asked : undefined;
    let names = same?.names;
    let large = same?.large;
    // A directory changed within the last seconds may change again within its mtime's granularity: not listed.
    if (!names && !large && st.kind === 'directory' && Date.now() - st.mtimeMs > RACY_MS) {
      try {
        const list = await this.fs.readdir(dir);
        // Too many names to keep: remembered as such (with its mtime), so it is not listed again every round.
        if (list.length <= MAX_LISTED) names = new Set(list.map(folded));
        else large = true as const;
      } catch {
        // Not listable: each path is asked itself.
      }
    }
    this.dirsAsked.set(dir, { at: this.now(), missing: false, mtimeMs: st.mtimeMs, ...(names ? { names } : {}), ...(large ? { large } : {}) });
  }

  /** The failed read of `path` still remembered (see failureTtlMs), without touching the disk; else undefined. */
  recentFailure(path: string): ReadResult | undefined {
    const failed = this.failures.get(path);
    return failed && this.now() - failed.at < this.failureTtlMs ? failed.result : undefined;
  }

  invalidate(path: string): void {
    this.drop(path);
    this.failures.delete(path);
    this.missingStats.delete(path);
    // Every directory above it: a file created in a new folder makes each of them present (a reviewer).
    for (let child = '', d = path; d !== child; child = d, d = dirname(d)) this.dirsAsked.delete(d);
    this.certIndexes.invalidate(path);
  }

  clear(): void {
    this.entries.clear();
    this.bytes = 0;
    this.failures.clear();
    this.missingStats.clear();
    this.dirsAsked.clear();
    this.certIndexes.clear();
  }

  get size(): number {
    return this.entries.size;
  }

  private async lookup(path: string): Promise<{ result: ReadResult; entry?: Entry }> {
    const recent = this.recentFailure(path);
    if (recent) return { result: recent };
    this.failures.delete(path);
    const cached = this.entries.get(path);
    if (cached) {
      try {
        const st = await this.fs.stat(path);
        if (st.kind === 'file' && st.mtimeMs === cached.mtimeMs && st.size === cached.size) {
          // Refresh recency (Map order is insertion order).
          this.entries.delete(path);
          this.entries.set(path, cached);
          return { result: cached.result, entry: cached };
        }
      } catch {
        // Fall through: the fresh read reports what went wrong.
      }
      this.drop(path);
    }
    const since = this.inMissingDir(path);
    if (since !== undefined) {
      const result: ReadResult = { kind: 'missing' };
      this.remember(path, result, since);
      return { result };
    }
    const result = await safeReadFile(path, { ...this.options, fs: this.fs });
    if (result.kind === 'missing') await this.askDir(path);
    if (result.kind !== 'ok') {
      // A timeout says nothing about the next try; everything else is a fact about the path.
      if (!(result.kind === 'error' && result.message.startsWith('timed out'))) this.remember(path, result);
      return { result };
    }
    const entry: Entry = { mtimeMs: result.mtimeMs, size: result.size, result, derived: new Map() };
    // Two reads of one path may overlap: the later replaces the earlier, counted once.
    this.drop(path);
    this.entries.set(path, entry);
    this.bytes += result.bytes.length;
    while (this.entries.size > this.maxEntries || (this.bytes > this.maxBytes && this.entries.size > 1)) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.drop(oldest);
    }
    return { result, entry };
  }

  private drop(path: string): void {
    const e = this.entries.get(path);
    if (!e) return;
    this.bytes -= e.result.bytes.length;
    this.entries.delete(path);
  }

  private remember(path: string, result: ReadResult, at = this.now()): void {
    this.failures.set(path, { at, result });
    this.forgetExpired();
  }

  /**
   * Keeps the failure memories bounded, and drops the failures past their time at most once per failureTtlMs:
   * typing a path letter by letter leaves one per prefix, which would otherwise stay until the cap.
   */
  private forgetExpired(): void {
    // At most MAX_FAILURES of each, whatever their age (the oldest go first).
    for (const m of [this.failures, this.missingStats, this.dirsAsked]) if (m.size > MAX_FAILURES) m.delete(m.keys().next().value as string);
    const now = this.now();
    if (now - this.lastSweep < this.failureTtlMs) return;
    this.lastSweep = now;
    for (const [p, f] of this.failures) if (now - f.at >= this.failureTtlMs) this.failures.delete(p);
    for (const [p, at] of this.missingStats) if (now - at >= this.failureTtlMs) this.missingStats.delete(p);
    for (const [p, d] of this.dirsAsked) if (now - d.at >= this.failureTtlMs) this.dirsAsked.delete(p);
  }
}
