// A small glob for the CLI (Node 20 has no fs.glob): `*`, `?`, `[abc]`, `{a,b}` and `**` for any
// number of folders. Patterns use `/` on every platform. The walk is bounded so a stray `**` over a
// large tree cannot run forever.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { errorCode } from '../service/files/fs';

export const MAX_VISITED_ENTRIES = 200_000;
const SKIP_DIRS = new Set(['node_modules', '.git', '.hg', '.svn']);

export function hasGlobChars(s: string): boolean {
  return /[*?[\]{}]/.test(s);
}

/** Regex for one path segment's pattern (no `/`). */
function segmentRegex(seg: string): RegExp {
  let re = '';
  for (let i = 0; i < seg.length; i++) {
    const c = seg[i]!;
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = seg.indexOf(']', i + 2);
      if (end < 0) re += '\\[';
      else {
        let body = seg.slice(i + 1, end);
        if (body.startsWith('!')) body = '^' + body.slice(1);
        re += '[' + body.replace(/\\/g, '\\\\') + ']';
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\\]]/g, '\\$&');
  }
  // Like shells, `*` does not match a leading dot unless the pattern starts with one.
  return new RegExp(`^${seg.startsWith('.') ? '' : '(?!\\.)'}${re}$`);
}

/** Expands `{a,b}` alternatives (nested allowed) into plain patterns. */
export function expandBraces(pattern: string): string[] {
  const open = pattern.indexOf('{');
  if (open < 0) return [pattern];
  let depth = 0;
  const parts: string[] = [];
  let last = open + 1;
  for (let i = open; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '{') depth++;
    else if (c === '}') {
      depth--;
      if (depth === 0) {
        parts.push(pattern.slice(last, i));
        const head = pattern.slice(0, open);
        const tail = pattern.slice(i + 1);
        return parts.flatMap((p) => expandBraces(head + p + tail));
      }
    } else if (c === ',' && depth === 1) {
      parts.push(pattern.slice(last, i));
      last = i + 1;
    }
  }
  return [pattern]; // unbalanced: take literally
}

/** What a walk could not look at: said, not skipped in silence (a reviewer). */
export interface GlobProblems {
  /** Folders that could not be listed (Debian's certs/ is root:prosody 0750) and matches that are not files. */
  readonly skipped: Set<string>;
  /** Where the walk stopped at its entry limit: files may be missing. */
  stopped?: string;
}

/** What a walk visits at most, and where it could not look. */
interface Budget {
  left: number;
  readonly problems: GlobProblems;
}

export const noProblems = (): GlobProblems => ({ skipped: new Set() });

/** Files matching `pattern`, relative patterns taken from `cwd`. Sorted, de-duplicated, absolute. */
export function glob(pattern: string, cwd: string, problems: GlobProblems = noProblems()): string[] {
  const found = new Set<string>();
  const budget: Budget = { left: MAX_VISITED_ENTRIES, problems };
  for (const p of expandBraces(pattern.replace(/\\/g, '/'))) {
    const abs = path.isAbsolute(p) ? p : path.join(cwd, p).replace(/\\/g, '/');
    const segs = abs.split('/');
    // The leading segments without wildcards are where the walk starts.
    let i = 0;
    while (i < segs.length && !hasGlobChars(segs[i]!)) i++;
    const base = segs.slice(0, i).join('/') || '/';
    walk(base, segs.slice(i), found, budget);
  }
  return [...found].sort();
}

function walk(dir: string, rest: string[], out: Set<string>, budget: Budget): void {
  if (rest.length === 0) {
    if (isFile(dir)) out.add(path.resolve(dir));
    return;
  }
  const [seg, ...tail] = rest as [string, ...string[]];
  if (seg === '**') {
    walk(dir, tail, out, budget); // zero folders
    for (const e of readDir(dir, budget)) {
      if (e.isDirectory() && !e.name.startsWith('.') && !SKIP_DIRS.has(e.name)) walk(path.join(dir, e.name), rest, out, budget);
    }
    return;
  }
  if (!hasGlobChars(seg)) {
    walk(path.join(dir, seg), tail, out, budget);
    return;
  }
  const re = segmentRegex(seg);
  for (const e of readDir(dir, budget)) {
    if (!re.test(e.name)) continue;
    const p = path.join(dir, e.name);
    if (tail.length === 0) {
      if (e.isFile() || (e.isSymbolicLink() && isFile(p))) out.add(path.resolve(p));
      else if (!e.isDirectory() && !e.isSymbolicLink()) budget.problems.skipped.add(`${p}: not a regular file (skipped)`);
    } else if (e.isDirectory() || e.isSymbolicLink()) walk(p, tail, out, budget);
  }
}

function readDir(dir: string, budget: Budget): fs.Dirent[] {
  if (budget.left <= 0) {
    budget.problems.stopped ??= `${dir}: search stopped after ${MAX_VISITED_ENTRIES} entries (name the files or a narrower folder)`;
    return [];
  }
  try {
    const entries = fs.readdirSync(dir, { withFileTypes: true });
    budget.left -= entries.length;
    return entries;
  } catch (e) {
    // A folder that is not there is no match; one that cannot be read may hold configs.
    const code = errorCode(e);
    if (code !== 'ENOENT' && code !== 'ENOTDIR') budget.problems.skipped.add(`${dir}: cannot be listed (${code === 'EACCES' || code === 'EPERM' ? 'permission denied' : (code ?? 'error')}), skipped`);
    return [];
  }
}

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}
