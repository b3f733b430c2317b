// Bounded, non-blocking reads of files named in a config. The path comes from user text, so it may point at
// /dev/zero, a FIFO, a directory, a symlink loop or a huge file; none of those may hang or flood the server.
import { errorCode, FileKind, FileSystem, nodeFileSystem } from './fs';

export const DEFAULT_MAX_BYTES = 1024 * 1024;
export const DEFAULT_TIMEOUT_MS = 3000;

export type NotAFileWhat = Exclude<FileKind, 'file' | 'symlink'> | 'symlink-loop';

export type ReadResult =
  | { kind: 'ok'; bytes: Uint8Array; mtimeMs: number; size: number }
  | { kind: 'missing' }
  | { kind: 'denied' }
  | { kind: 'not-a-file'; what: NotAFileWhat }
  | { kind: 'too-large'; size: number }
  | { kind: 'error'; message: string };

export interface SafeReadOptions {
  maxBytes?: number;
  timeoutMs?: number;
  fs?: FileSystem;
}

function fromError(e: unknown): ReadResult {
  switch (errorCode(e)) {
    case 'ENOENT':
    case 'ENOTDIR':
      return { kind: 'missing' };
    case 'EACCES':
    case 'EPERM':
      return { kind: 'denied' };
    case 'ELOOP':
      return { kind: 'not-a-file', what: 'symlink-loop' };
    case 'EISDIR':
      return { kind: 'not-a-file', what: 'directory' };
    default: {
      const code = errorCode(e);
      const msg = e instanceof Error ? e.message : String(e);
      // First line only: messages from the platform never need more, and this keeps output bounded.
      return { kind: 'error', message: (code && !msg.includes(code) ? `${code}: ${msg}` : msg).split('\n')[0].slice(0, 300) };
    }
  }
}

async function readUnbounded(path: string, maxBytes: number, fs: FileSystem): Promise<ReadResult> {
  try {
    let st = await fs.lstat(path);
    if (st.kind === 'symlink') st = await fs.stat(path); // ELOOP and dangling links surface here
    if (st.kind !== 'file') return { kind: 'not-a-file', what: st.kind === 'symlink' ? 'symlink-loop' : st.kind };
    if (st.size > maxBytes) return { kind: 'too-large', size: st.size };
    // Ask for one byte more than allowed so growth after the stat is noticed.
    const r = await fs.readBounded(path, maxBytes + 1);
    if (r.stat.kind !== 'file' || !r.bytes) {
      return { kind: 'not-a-file', what: r.stat.kind === 'file' || r.stat.kind === 'symlink' ? 'other' : r.stat.kind };
    }
    if (r.bytes.length > maxBytes || r.stat.size > maxBytes) {
      return { kind: 'too-large', size: Math.max(r.stat.size, r.bytes.length) };
    }
    return { kind: 'ok', bytes: r.bytes, mtimeMs: r.stat.mtimeMs, size: r.bytes.length };
  } catch (e) {
    return fromError(e);
  }
}

/**
 * Reads a regular file of at most `maxBytes` (default 1 MiB). Never throws; never blocks longer than `timeoutMs`
 * (default 3 s; a late read is abandoned, its result dropped). Devices, FIFOs, sockets, directories and symlink
 * loops are reported, not read.
 */
export async function safeReadFile(path: string, options: SafeReadOptions = {}): Promise<ReadResult> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const fs = options.fs ?? nodeFileSystem;
  if (typeof path !== 'string' || path.length === 0 || path.includes('\0')) {
    return { kind: 'error', message: 'invalid path' };
  }
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<ReadResult>((resolve) => {
    timer = setTimeout(() => resolve({ kind: 'error', message: `timed out after ${timeoutMs} ms` }), timeoutMs);
  });
  try {
    return await Promise.race([readUnbounded(path, maxBytes, fs), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
