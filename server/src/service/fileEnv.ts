// What the file features (links, file hover, file diagnostics) need from their host: one shared cache, the file
// system, a clock, and the workspace trust state. Also where a document lives on disk and which directory Prosody
// resolves its relative paths against.
import * as path from 'node:path';
import { promises as nodeFs } from 'node:fs';
import { URI } from 'vscode-uri';
import { FileCache, FileSystem, mainConfigDir, nodeFileSystem, readConfigText, type ReadResult } from './files';
import { findDirective } from './model/document';
import type { ProsodyLine } from './catalog/versions';

export type CheckFilesMode = 'auto' | 'strict' | 'off';

export const CHECK_FILES_MODES: readonly CheckFilesMode[] = ['auto', 'strict', 'off'];

export function isCheckFilesMode(s: unknown): s is CheckFilesMode {
  return typeof s === 'string' && (CHECK_FILES_MODES as readonly string[]).includes(s);
}

export interface FileEnv {
  readonly fileCache: FileCache;
  readonly fs?: FileSystem;
  /** Clock for expiry checks; defaults to the time of the call. */
  readonly now?: Date;
  /** False in VS Code's Restricted Mode: then only files inside `workspaceFolders` are read. */
  readonly trusted: boolean;
  /** File-system paths of the workspace folders. */
  readonly workspaceFolders: readonly string[];
  /** Overrides `settings.checkFiles` when set. */
  readonly checkFiles?: CheckFilesMode;
  /** Resolves symbolic links (the Restricted Mode check, a certificate option the index serves); defaults to Node's realpath. */
  readonly realpath?: (p: string) => Promise<string>;
  /**
   * Polled between awaits by the file checks: once true the run stops early and returns what it has, which the
   * caller must discard (the document moved on, the request was cancelled). Without it, every superseded run
   * finished its I/O and runs piled up while typing.
   */
  readonly cancelled?: () => boolean;
}

export interface DocumentPaths {
  /** The document's own file. */
  readonly file: string;
  /** Its directory: where `Include` paths are resolved from. */
  readonly fileDir: string;
  /** The main config's directory: where Prosody resolves certificate, key and other paths. */
  readonly configDir: string;
}

/** The local path of a `file:` document; undefined for untitled and remote documents (no local files to look at). */
export function filePathOf(uri: string): string | undefined {
  try {
    const parsed = URI.parse(uri);
    return parsed.scheme === 'file' ? parsed.fsPath : undefined;
  } catch {
    return undefined;
  }
}

/** Where a `file:` document lives, or undefined for untitled and remote documents. */
export async function documentPaths(uri: string, fs: FileSystem = nodeFileSystem): Promise<DocumentPaths | undefined> {
  const file = filePathOf(uri);
  if (file === undefined) return undefined;
  return { file, fileDir: path.dirname(file), configDir: await mainConfigDir(file, fs) };
}

/**
 * The version the main config's `-- prosody-ssl: version=` comment names, for a file it Includes (conf.d/…): such a
 * file takes the main file's certificates, folders and ports, so its Prosody too (review 151: a 0.12 server's conf.d
 * file was judged as 13.0, the setting's default). `open` gives an open editor's text of a file, else it is read.
 */
export async function mainConfigVersion(uri: string, open?: (file: string) => string | undefined, fs: FileSystem = nodeFileSystem): Promise<{ line: ProsodyLine; file: string } | undefined> {
  const paths = await documentPaths(uri, fs);
  if (!paths || paths.configDir === paths.fileDir) return undefined;
  const file = path.join(paths.configDir, 'prosody.cfg.lua');
  const text = open?.(file) ?? (await readConfigText(file, fs));
  const line = text === undefined ? undefined : findDirective(text)?.line;
  return line ? { line, file } : undefined;
}

export function fileUri(p: string): string {
  return URI.file(p).toString();
}

function inside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** The path with its symbolic links resolved (`env.realpath`, else Node's); a missing one as written, made absolute. */
export async function realPath(p: string, env: FileEnv): Promise<string> {
  try {
    return await (env.realpath ?? nodeFs.realpath)(p);
  } catch {
    // A missing file: judge by its literal path (reading it will fail anyway).
    return path.resolve(p);
  }
}

/** Whether the file may be read: always when trusted; in Restricted Mode only inside a workspace folder (after symlinks). */
export async function mayRead(p: string, env: FileEnv): Promise<boolean> {
  if (env.trusted) return true;
  if (env.workspaceFolders.length === 0) return false;
  const target = await realPath(p, env);
  for (const folder of env.workspaceFolders) if (inside(target, await realPath(folder, env))) return true;
  return false;
}

export const RESTRICTED: ReadResult = { kind: 'error', message: 'not read in Restricted Mode (outside the workspace)' };

/** A read through the shared cache that honours Restricted Mode. */
export async function guardedRead(p: string, env: FileEnv): Promise<ReadResult> {
  return (await mayRead(p, env)) ? env.fileCache.read(p) : RESTRICTED;
}

/** `cache.derive` that honours Restricted Mode. */
export async function guardedDerive<T>(p: string, key: string, env: FileEnv, compute: (b: Uint8Array) => T): Promise<{ read: ReadResult; value?: T; restricted?: boolean }> {
  if (!(await mayRead(p, env))) return { read: RESTRICTED, restricted: true };
  return env.fileCache.derive(p, key, compute);
}
