// Helpers for the CLI tests: run the bundled checker for real (a child process, as a user or CI would)
// and build throw-away config trees. Each tree has a `.git` folder at its root so the upward search for
// `.prosody-ssl.json` never leaves it.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after } from 'node:test';

export const ROOT = path.resolve(__dirname, '../../..');
export const CLI = path.join(ROOT, 'dist', 'cli.js');

export interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function runCli(args: readonly string[], opts: { cwd?: string; env?: Record<string, string | undefined>; timeoutMs?: number } = {}): Run {
  if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run node scripts/build.mjs first`);
  const env: Record<string, string | undefined> = { ...process.env };
  delete env.FORCE_COLOR;
  delete env.NO_COLOR;
  Object.assign(env, opts.env ?? {});
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: opts.cwd ?? ROOT, env, encoding: 'utf8', timeout: opts.timeoutMs ?? 30_000, maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A temp folder with the given files (path → content); returns its absolute path. */
export function tree(files: Record<string, string | Buffer>): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'prosody-ssl-cli-')));
  fs.mkdirSync(path.join(dir, '.git'));
  for (const [rel, content] of Object.entries(files)) {
    const p = path.join(dir, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, content);
  }
  return dir;
}

export function removeTree(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

/** Parsed `file:line:col severity rule message` lines (the summary line is not one). */
export function findingLines(stdout: string): Array<{ file: string; line: number; col: number; severity: string; rule: string; message: string }> {
  const out = [];
  for (const l of stdout.split('\n')) {
    const m = /^(.+?):(\d+):(\d+) (error|warning|information|hint) (\S+) (.*)$/.exec(l);
    if (m) out.push({ file: m[1]!, line: Number(m[2]), col: Number(m[3]), severity: m[4]!, rule: m[5]!, message: m[6]! });
  }
  return out;
}

/** True when text looks like a Node stack trace. */
export function hasStackTrace(s: string): boolean {
  return /^\s+at .+[:(]\d+:\d+\)?$/m.test(s) || /\bError: .*\n\s+at /.test(s);
}

// A config with one syntax error: the missing separator after line 3 makes Lua stop at `ciphers` (line 4, col 3).
export const BROKEN = 'ssl = {\n  -- comment\n  protocol = "tlsv1_2+"\n  ciphers = "HIGH";\n}\n';
export const BROKEN_AT = { line: 4, col: 3 };
export const CLEAN = 'admins = { "admin@example.org" }\n';

/** A maker of temporary file trees, all removed after the calling test file has run. */
export function treeMaker(): (files: Record<string, string | Buffer>) => string {
  const dirs: string[] = [];
  after(() => dirs.forEach(removeTree));
  return (files) => {
    const d = tree(files);
    dirs.push(d);
    return d;
  };
}

