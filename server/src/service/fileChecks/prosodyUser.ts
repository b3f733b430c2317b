// Whether the user Prosody runs as can read the files this check read (asked only when the checker runs as root).
import { askAtOnce, nodeFileSystem, type Readable } from '../files';
import type { PathRef } from '../fileRefs';
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
  // Each file once, a few at a time: every answer runs a process as that user (hundreds of hosts name hundreds).
  const answers = new Map<string, Promise<Readable>>();
  const files = new Set(asked.map((a) => a.ref.resolved));
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
    const file = shellWord(ref.resolved);
    const stop = answer === 'no'
      ? `The file itself is closed to that user: let it read the file, e.g. \`chgrp ${user} ${file} && chmod g+r ${file}\``
      : `The folder ${JSON.stringify(answer.slice(4))} does not let that user through: give it search (x) permission for the user, e.g. \`chgrp ${user} ${shellWord(answer.slice(4))} && chmod g+x ${shellWord(answer.slice(4))}\``;
    add(R.unreadable, ref.range, `${what} ${JSON.stringify(ref.value)} is readable here, but not by the user Prosody runs as, "${user}" (checked as that user): ${missingEffect(config, ref)}${stop}. Or copy the certificates into Prosody's certificates directory with \`prosodyctl --root cert import <their folder>\` and remove this path, so that Prosody finds them there.`);
  }
}

