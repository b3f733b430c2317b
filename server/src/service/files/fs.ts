// The small slice of a file system this layer needs. Everything here goes through this interface so tests (and a
// future remote/virtual workspace) can substitute it; `nodeFileSystem` is the real one.
import * as fs from 'node:fs';
import { readableAs, type Readable } from './readableAs';

export type FileKind =
  | 'file'
  | 'directory'
  | 'symlink'
  | 'fifo'
  | 'socket'
  | 'character-device'
  | 'block-device'
  | 'other';

export interface FileStat {
  kind: FileKind;
  size: number;
  mtimeMs: number;
}

/** Result of opening a path and reading at most `limit` bytes from it. */
export interface BoundedRead {
  /** Stat of the object actually opened (may differ from an earlier stat if the path changed in between). */
  stat: FileStat;
  /** Present only when `stat.kind === 'file'`; holds at most `limit` bytes. */
  bytes?: Uint8Array;
}

/** Errors are thrown as objects with a Node-style `code` (ENOENT, EACCES, ELOOP, ...). */
export interface FileSystem {
  /** Follows symbolic links. */
  stat(path: string): Promise<FileStat>;
  /** Does not follow a final symbolic link. */
  lstat(path: string): Promise<FileStat>;
  readdir(path: string): Promise<string[]>;
  /** Opens without blocking (so a FIFO cannot hang us), re-checks what was opened, reads up to `limit` bytes. */
  readBounded(path: string, limit: number): Promise<BoundedRead>;
  /** Whether `user` may read the file (readableAs.ts); absent: never known. */
  readableAs?(path: string, user: string): Promise<Readable>;
}

export function kindOf(s: fs.Stats): FileKind {
  if (s.isFile()) return 'file';
  if (s.isDirectory()) return 'directory';
  if (s.isSymbolicLink()) return 'symlink';
  if (s.isFIFO()) return 'fifo';
  if (s.isSocket()) return 'socket';
  if (s.isCharacterDevice()) return 'character-device';
  if (s.isBlockDevice()) return 'block-device';
  return 'other';
}

function toStat(s: fs.Stats): FileStat {
  return { kind: kindOf(s), size: s.size, mtimeMs: s.mtimeMs };
}

// O_NONBLOCK keeps open() on a FIFO from waiting for a writer; O_NOCTTY keeps a tty from becoming ours.
// Both are undefined on Windows, where neither problem exists.
const OPEN_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0) | (fs.constants.O_NOCTTY ?? 0);

export const nodeFileSystem: FileSystem = {
  async stat(p) {
    return toStat(await fs.promises.stat(p));
  },
  async lstat(p) {
    return toStat(await fs.promises.lstat(p));
  },
  async readdir(p) {
    return fs.promises.readdir(p);
  },
  async readBounded(p, limit) {
    const handle = await fs.promises.open(p, OPEN_FLAGS);
    try {
      const stat = toStat(await handle.stat());
      if (stat.kind !== 'file') return { stat };
      const buf = Buffer.alloc(Math.max(0, Math.min(limit, stat.size + 1)));
      let filled = 0;
      // Read until the limit or EOF; the file may have grown since the stat.
      while (filled < buf.length) {
        const { bytesRead } = await handle.read(buf, filled, buf.length - filled, filled);
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
      return { stat, bytes: buf.subarray(0, filled) };
    } finally {
      await handle.close();
    }
  },
  readableAs,
};

/** The `code` of a thrown file-system error, if any. */
export function errorCode(e: unknown): string | undefined {
  if (typeof e === 'object' && e !== null && 'code' in e) {
    const c = (e as { code: unknown }).code;
    if (typeof c === 'string') return c;
  }
  return undefined;
}
