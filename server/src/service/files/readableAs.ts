// Whether the user Prosody runs as can read a file, asked for real. A checker running as root (an admin's Remote-SSH
// session, sudo, CI) reads every file, while Prosody, started as its own user, may be refused: certbot's keys and
// folders are root's alone. `setpriv` (util-linux) runs `test` with that user's ids and groups, so ACLs count as they
// will for Prosody; each folder on the way (of the path as written and of the file it leads to) is asked first, so
// the answer can name the one that stops the user. Anywhere else (not root, not Linux, no such user, no setpriv)
// the answer is 'unknown' and nothing is claimed.
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** 'yes', 'no' (the file itself is not readable), `dir:<folder>` (a folder on the way lets the user not through), 'unknown'. */
export type Readable = 'yes' | 'no' | `dir:${string}` | 'unknown';

// Answers per user and path, while the file's inode data (mode, owner, ACL: ctime) is unchanged and for at most
// KEEP_MS (a folder above it may change); a re-check after a keystroke then costs one stat.
const KEEP_MS = 10_000;
const answers = new Map<string, { ctimeMs: number; at: number; answer: Readable }>();
// Found users only: one that is created later, or an NSS time-out, is asked again next time.
const idsOf = new Map<string, { uid: number; gid: number }>();

function run(cmd: string, args: string[]): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: 5_000, encoding: 'utf8' }, (err, stdout) => resolve(err ? undefined : stdout.trim()));
  });
}

/** The user's numeric ids, through NSS as Prosody's own setuid resolves them; undefined when there is no such user. */
async function ids(user: string): Promise<{ uid: number; gid: number } | undefined> {
  const had = idsOf.get(user);
  if (had) return had;
  const [u, g] = await Promise.all([run('id', ['-u', '--', user]), run('id', ['-g', '--', user])]);
  if (!u || !g || !/^\d+$/.test(u) || !/^\d+$/.test(g)) return undefined;
  const found = { uid: Number(u), gid: Number(g) };
  idsOf.set(user, found);
  return found;
}

/** The folders on the way to `p`, from the root down. */
function folders(p: string): string[] {
  const out: string[] = [];
  for (let d = path.dirname(p); ; d = path.dirname(d)) {
    out.unshift(d);
    if (path.dirname(d) === d) return out;
  }
}

// Each folder must let the user through (x), then the file must be readable; the first that fails is named.
const SCRIPT = 'f=$1; shift; for d in "$@"; do if ! test -x "$d"; then echo "dir:$d"; exit 0; fi; done; if test -r "$f"; then echo yes; else echo no; fi';

export async function readableAs(p: string, user: string): Promise<Readable> {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return 'unknown';
  let ctimeMs: number;
  try {
    ctimeMs = (await fs.promises.stat(p)).ctimeMs;
  } catch {
    return 'unknown';
  }
  const key = `${user}\0${p}`;
  const had = answers.get(key);
  // (Answered from memory with one stat: the file checks ask about the config itself on every keystroke.)
  if (had && had.ctimeMs === ctimeMs && Date.now() - had.at < KEEP_MS) return had.answer;
  let real: string;
  try {
    real = await fs.promises.realpath(p);
  } catch {
    return 'unknown';
  }
  const who = await ids(user);
  if (!who) return 'unknown';
  const way = [...new Set([...folders(path.resolve(p)), ...folders(real)])];
  // Paths are arguments of the shell, never part of its script.
  const out = await run('setpriv', [`--reuid=${who.uid}`, `--regid=${who.gid}`, '--init-groups', '--', 'sh', '-c', SCRIPT, 'sh', p, ...way]);
  const answer: Readable = out === 'yes' || out === 'no' || (out?.startsWith('dir:') && !out.includes('\n')) ? (out as Readable) : 'unknown';
  answers.set(key, { ctimeMs, at: Date.now(), answer });
  return answer;
}
