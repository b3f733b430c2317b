// Document links on every file path a config names, so Ctrl+click opens it. Async: finding the main config's
// directory asks the file system, and a wildcard `Include` lists its directory (one level, bounded, no content read).
import * as path from 'node:path';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { DocumentLink } from 'vscode-languageserver-types';
import { nodeFileSystem, type FileSystem } from './files';
import { documentPaths, fileUri, type FileEnv } from './fileEnv';
import { collectPathRefs, type PathRef } from './fileRefs';
import type { ConfigDocument } from './model/document';

/** Most directory entries looked at when expanding a wildcard Include. */
const MAX_LISTED = 5000;
/** Most matches kept. */
const MAX_MATCHES = 200;

/** Prosody's glob_to_pattern: `*` any run of characters, `?` one character, everything else literal; whole name. */
export function globMatcher(glob: string): (name: string) => boolean {
  const re = new RegExp('^' + glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$', 's');
  return (name) => re.test(name);
}

/**
 * The files a wildcard `Include` pulls in, the way Prosody expands it: the last path component is the pattern,
 * matched against the entries of its directory; names starting with "." are skipped. Sorted; never throws.
 */
export async function expandInclude(resolved: string, fs: FileSystem = nodeFileSystem): Promise<{ dir: string; files: string[]; error?: string }> {
  const dir = path.dirname(resolved);
  const match = globMatcher(path.basename(resolved));
  try {
    const entries = (await fs.readdir(dir)).slice(0, MAX_LISTED);
    const files = entries.filter((e) => !e.startsWith('.') && match(e)).sort().slice(0, MAX_MATCHES);
    return { dir, files: files.map((f) => path.join(dir, f)) };
  } catch (e) {
    return { dir, files: [], error: (e as { code?: string }).code ?? 'cannot list' };
  }
}

const ROLE_WORDS: Record<PathRef['role'], string> = {
  certificate: 'certificate',
  key: 'private key',
  cafile: 'CA certificates',
  capath: 'CA directory',
  dhparam: 'DH parameters',
  'certificates-dir': 'certificates directory',
  'host-certificate': 'certificate (file or directory) for automatic lookup',
  'service-certificate': 'service certificate (file or directory)',
  include: 'included config',
};

/** Links built between two turns of the event loop (a few milliseconds' work). */
const LINKS_PER_TURN = 2000;

export async function doDocumentLinks(doc: TextDocument, model: ConfigDocument, env: Pick<FileEnv, 'fs' | 'cancelled'>): Promise<DocumentLink[]> {
  const fs = env.fs ?? nodeFileSystem;
  const cancelled = env.cancelled ?? ((): boolean => false);
  // The server's document object is updated in place: after a turn of the event loop it may hold a newer text, whose
  // positions the model's offsets no longer fit (a reviewer saw links land nowhere). Such a run answers nothing.
  const version = doc.version;
  const paths = await documentPaths(doc.uri, fs);
  if (!paths || cancelled() || doc.version !== version) return [];
  const links: DocumentLink[] = [];
  let n = 0;
  for (const r of collectPathRefs(model, paths)) {
    // VS Code asks again after each keystroke and cancels the last request; its answer would be thrown away. A
    // cancellation is read between turns of the event loop, so a long run gives it turns (a reviewer: without
    // them a 5 MB config's 100 000 links were all built after the cancel).
    if (++n % LINKS_PER_TURN === 0) await new Promise<void>((resolve) => setImmediate(resolve));
    if (cancelled() || doc.version !== version) return [];
    if (r.templated) continue; // not rendered yet: no file to open
    const range = { start: doc.positionAt(r.contentRange[0]), end: doc.positionAt(r.contentRange[1]) };
    if (r.role === 'include' && r.glob) {
      const { dir, files } = await expandInclude(r.resolved, fs);
      const target = files[0] ?? dir;
      const shown = files.slice(0, 5).map((f) => path.basename(f)).join(', ');
      const tooltip = files.length === 0 ? `No file matches; opens ${dir}` : files.length === 1 ? `Included config ${files[0]}` : `${files.length} files match (${shown}${files.length > 5 ? ', …' : ''}); opens the first`;
      const uri = linkTarget(target);
      if (uri) links.push({ range, target: uri, tooltip });
      continue;
    }
    const uri = linkTarget(r.resolved);
    if (uri) links.push({ range, target: uri, tooltip: `${capitalize(ROLE_WORDS[r.role])}: ${r.resolved}` });
  }
  return links;
}

/** The file: URI of a path, or undefined when it has none (a lone surrogate makes URI encoding throw): that one link is skipped, not all. */
function linkTarget(p: string): string | undefined {
  try {
    return fileUri(p);
  } catch {
    return undefined;
  }
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
