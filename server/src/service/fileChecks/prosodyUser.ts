// Whether the user Prosody runs as can read the files this check read (asked only when the checker runs as root).
import { askAtOnce, nodeFileSystem, type Readable } from '../files';
import type { PathRef } from '../fileRefs';
import type { Range } from '../model/values';
import { findSetting } from '../model/tls';
import { FILE_RULE_IDS as R } from '../rules/files';
import { labelOf, missingEffect, shellWord } from './messages';
import type { FileRun } from './run';

/** How many files are asked about at once. */
const ASK_AT_ONCE = 8;

/**
 * Files this check read that the user Prosody runs as, `prosody`, cannot (files/readableAs.ts: asked only when the
 * checker runs as root, which reads everything). That is Debian's service user and prosodyctl's default. Not asked
 * where the user is not known from this file: `prosody_user`/`prosody_group` set (prosodyctl switches to them, a
 * systemd unit's User= does not; a reviewer), an Include or a split config (the main file may set them), or
 * `run_as_root`. Nor for a config that user cannot read itself: that one is a copy, not the config Prosody runs.
 */
export async function checkProsodyCanRead(run: FileRun): Promise<void> {
  const { config, env, paths, refs, add, include, cancelled } = run;
  const fsys = env.fs ?? nodeFileSystem;
  if (!env.trusted || !fsys.readableAs || paths.fileDir !== paths.configDir || include) return;
  if (['prosody_user', 'prosody_group', 'run_as_root'].some((n) => findSetting(config, 0, n))) return;
  const user = 'prosody';
  if ((await fsys.readableAs(paths.file, user)) !== 'yes') return;
  // The files LuaSec and Prosody load; one this check could not read is reported as such.
  const asked: Array<{ ref: PathRef; what: string }> = [];
  for (const ref of refs) {
    const what = labelOf(ref.role);
    if (what && (await env.fileCache.read(ref.resolved)).kind === 'ok') asked.push({ ref, what });
  }
  // The pairs the lookup found, named nowhere (a reviewer's 0.12.3 run: a root-only certs/example.test.key, or a
  // root-only certs/ folder, left the host without TLS while nothing was said). A key the config sets replaces the
  // found one (checkFoundKey), and is asked about where it is written.
  const written = new Set(refs.map((r) => r.resolved));
  const found: Array<{ host: string; header: Range; file: string; what: string }> = [];
  for (const p of run.foundPairs) {
    for (const [file, what] of [[p.certificate, 'certificate'], [p.key, 'key']] as const) {
      if (!written.has(file) && (await env.fileCache.read(file)).kind === 'ok' && !found.some((f) => f.file === file && f.host === p.host)) found.push({ host: p.host, header: p.header, file, what });
    }
  }
  // Each file once, a few at a time: every answer runs a process as that user (hundreds of hosts name hundreds).
  const answers = new Map<string, Promise<Readable>>();
  const files = new Set([...asked.map((a) => a.ref.resolved), ...found.map((f) => f.file)]);
  await askAtOnce(files, ASK_AT_ONCE, async (p) => {
    if (cancelled()) return false;
    const answer = fsys.readableAs!(p, user);
    answers.set(p, answer);
    await answer;
    return true;
  });
  for (const { ref, what } of asked) {
    if (cancelled()) return;
    const answer = await answers.get(ref.resolved);
    if (answer === undefined || answer === 'yes' || answer === 'unknown') continue;
    add(R.unreadable, ref.range, `${what} ${JSON.stringify(ref.value)} is readable here, but not by the user Prosody runs as, "${user}" (checked as that user): ${missingEffect(config, ref)}${stop(answer, ref.resolved, user)}. Or copy the certificates into Prosody's certificates directory with \`prosodyctl --root cert import <their folder>\` and remove this path, so that Prosody finds them there.`);
  }
  // A folder that stops the user stops the lookup before any file is loaded (review 141, real 0.12.3 and 13.0.1: "Error
  // indexing certificate directory …: Permission denied", then no certificate for the host): said once per host.
  const folderSaid = new Set<string>();
  for (const f of found) {
    if (cancelled()) return;
    const answer = await answers.get(f.file);
    if (answer === undefined || answer === 'yes' || answer === 'unknown') continue;
    const head = `The ${f.what} Prosody finds for ${JSON.stringify(f.host)} automatically, ${JSON.stringify(run.show(f.file))}, is readable here, but not by the user Prosody runs as, "${user}" (checked as that user)`;
    if (answer === 'no') {
      add(R.unreadable, f.header, `${head}: Prosody fails to load it ("Check that the file exists and the permissions are correct"), so the host gets no TLS. ${stop(answer, f.file, user, true)}.`);
      continue;
    }
    if (folderSaid.has(`${f.host}\0${answer}`)) continue;
    folderSaid.add(`${f.host}\0${answer}`);
    add(R.unreadable, f.header, `${head}: a folder on the way stops that user, so Prosody's automatic lookup cannot reach the pair ("Permission denied" in its log) and finds no certificate for the host, which gets no TLS. ${stop(answer, f.file, user, true)}.`);
  }
}

/**
 * How to let the user through: the file itself, or the first folder on the way that stops it (readableAs). `list`:
 * the folder is also listed (the certificates directory, which Prosody indexes): read permission too.
 */
function stop(answer: Exclude<Readable, 'yes' | 'unknown'>, file: string, user: string, list = false): string {
  if (answer === 'no') return `The file itself is closed to that user: let it read the file, e.g. \`chgrp ${user} ${shellWord(file)} && chmod g+r ${shellWord(file)}\``;
  const dir = answer.slice(4);
  return list
    ? `The folder ${JSON.stringify(dir)} does not let that user through: let the user list and enter it, e.g. \`chgrp ${user} ${shellWord(dir)} && chmod g+rx ${shellWord(dir)}\``
    : `The folder ${JSON.stringify(dir)} does not let that user through: give it search (x) permission for the user, e.g. \`chgrp ${user} ${shellWord(dir)} && chmod g+x ${shellWord(dir)}\``;
}

