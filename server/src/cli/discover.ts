// Turns the command line's inputs into config files: a file is taken as given (whatever its name),
// a directory is searched for *.cfg.lua, anything with wildcards is a glob. An input that yields
// nothing is an error (exit 2): a CI job with a wrong path must not pass silently.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { glob, hasGlobChars, noProblems } from './glob';

export interface Discovery {
  readonly files: readonly string[];
  readonly errors: readonly string[];
  /** What the search skipped (a folder it may not list, a FIFO): said, but no failure (certs/ is often 0750). */
  readonly warnings: readonly string[];
}

export const CONFIG_PATTERN = '**/*.cfg.lua';

export function discoverFiles(inputs: readonly string[], cwd: string): Discovery {
  const files = new Set<string>();
  const errors: string[] = [];
  const problems = noProblems();
  for (const input of inputs) {
    // `path.resolve(cwd, '')` is the working directory: an unset "$VAR" must not check the whole tree.
    if (input.trim() === '') {
      errors.push('an empty file name was given (an unset variable?)');
      continue;
    }
    const abs = path.resolve(cwd, input);
    let st: fs.Stats | undefined;
    try {
      st = fs.statSync(abs);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (!hasGlobChars(input) || code !== 'ENOENT') {
        errors.push(`${input}: ${code === 'ENOENT' ? 'no such file or directory' : code === 'EACCES' ? 'permission denied' : `cannot access (${code ?? 'error'})`}`);
        continue;
      }
    }
    if (st?.isDirectory()) {
      const found = glob(CONFIG_PATTERN, abs, problems);
      if (found.length === 0) errors.push(`${input}: no *.cfg.lua files in this directory`);
      found.forEach((f) => files.add(f));
    } else if (st) {
      files.add(abs);
    } else {
      const found = glob(input, cwd, problems);
      if (found.length === 0) errors.push(`${input}: no files match this pattern`);
      found.forEach((f) => files.add(f));
    }
  }
  // A search cut short may have missed configs: that fails the run.
  return { files: oncePerFile(files), errors: problems.stopped === undefined ? errors : [...errors, problems.stopped], warnings: [...problems.skipped] };
}

/**
 * One path per file on disk: Debian enables a host by linking conf.d/x.cfg.lua to conf.avail/x.cfg.lua, and a
 * search of /etc/prosody finds both (a reviewer saw every finding twice). The real path is kept, as the one an
 * editor opens; a path that cannot be resolved is kept as it is.
 */
function oncePerFile(files: Iterable<string>): string[] {
  const byReal = new Map<string, string>();
  for (const f of files) {
    let real: string;
    try {
      real = fs.realpathSync(f);
    } catch {
      real = f;
    }
    const seen = byReal.get(real);
    if (seen === undefined || (seen !== real && f === real)) byReal.set(real, f);
  }
  return [...byReal.values()];
}
