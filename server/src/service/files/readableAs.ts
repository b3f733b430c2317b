// Whether the user Prosody runs as can read a file, asked for real. A checker running as root (an admin's Remote-SSH
// session, sudo, CI) reads every file, while Prosody, started as its own user, may be refused: certbot's keys are
// root's alone. `setpriv` (util-linux) runs `test -r` with that user's ids and groups, so ACLs and the directories
// above the file count as they will for Prosody. Anywhere else (not root, not Linux, no such user, no setpriv) the
// answer is 'unknown' and nothing is claimed.
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';

export type Readable = 'yes' | 'no' | 'unknown';

// Answers per user and path, while the file's inode data (mode, owner, ACL: ctime) is unchanged and for at most
// KEEP_MS (a directory above it may change); a re-check after a keystroke then costs one stat.
const KEEP_MS = 10_000;
const answers = new Map<string, { ctimeMs: number; at: number; answer: Readable }>();
const idsOf = new Map<string, Promise<{ uid: number; gid: number } | undefined>>();

function run(cmd: string, args: string[]): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: 5_000, encoding: 'utf8' }, (err, stdout) => resolve(err ? undefined : stdout.trim()));
  });
}

/** The user's numeric ids, through NSS as Prosody's own setuid resolves them; undefined when there is no such user. */
function ids(user: string): Promise<{ uid: number; gid: number } | undefined> {
  let p = idsOf.get(user);
  if (!p) {
    p = Promise.all([run('id', ['-u', '--', user]), run('id', ['-g', '--', user])]).then(([u, g]) => (u && g && /^\d+$/.test(u) && /^\d+$/.test(g) ? { uid: Number(u), gid: Number(g) } : undefined));
    idsOf.set(user, p);
  }
  return p;
}

export async function readableAs(path: string, user: string): Promise<Readable> {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return 'unknown';
  let ctimeMs: number;
  try {
    ctimeMs = (await fs.promises.stat(path)).ctimeMs;
  } catch {
    return 'unknown';
  }
  const key = `${user}\0${path}`;
  const had = answers.get(key);
  if (had && had.ctimeMs === ctimeMs && Date.now() - had.at < KEEP_MS) return had.answer;
  const who = await ids(user);
  if (!who) return 'unknown';
  // The path is an argument of the shell, never part of its script.
  const out = await run('setpriv', [`--reuid=${who.uid}`, `--regid=${who.gid}`, '--init-groups', '--', 'sh', '-c', 'if test -r "$1"; then echo yes; else echo no; fi', 'sh', path]);
  const answer: Readable = out === 'yes' || out === 'no' ? out : 'unknown';
  answers.set(key, { ctimeMs, at: Date.now(), answer });
  return answer;
}
