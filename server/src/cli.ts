// `prosody-ssl-check`: the language service's analysis on the command line, for CI and scripts.
// Exit codes: 0 clean (or below the threshold), 1 findings reach the threshold, 2 usage or I/O error.
// Problems are reported as one plain line each; a stack trace is shown only with PROSODY_SSL_DEBUG=1.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { HELP, listRulesText, parseCliArgs, UsageError, type ParsedArgs } from './cli/args';
import { checkFiles } from './cli/check';
import { countFindings, failsThreshold } from './cli/counts';
import { discoverFiles } from './cli/discover';
import { formatJson } from './cli/formatJson';
import { formatSarif } from './cli/formatSarif';
import { formatText } from './cli/formatText';
import { toolVersion } from './cli/version';

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

export interface CliIO {
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  readonly stdoutIsTTY: boolean;
  out(s: string): void;
  err(s: string): void;
}

/**
 * Creates the missing directories above `file`, one level at a time: Node's `mkdirSync(…, { recursive: true })`
 * loops for ever where a level cannot be made although its parent exists (under /proc), a plain mkdir fails.
 */
function makeParents(file: string): void {
  const missing: string[] = [];
  for (let dir = path.dirname(file); !fs.existsSync(dir) && path.dirname(dir) !== dir; dir = path.dirname(dir)) missing.push(dir);
  for (const dir of missing.reverse()) fs.mkdirSync(dir);
}

function useColour(args: ParsedArgs, io: CliIO): boolean {
  if (args.color !== undefined) return args.color;
  if (args.output) return false;
  if (io.env.NO_COLOR) return false;
  if (io.env.FORCE_COLOR && io.env.FORCE_COLOR !== '0') return true;
  return io.stdoutIsTTY && io.env.TERM !== 'dumb';
}

export async function runCli(argv: readonly string[], io: CliIO): Promise<number> {
  let args: ParsedArgs;
  try {
    args = parseCliArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`prosody-ssl-check: ${e.message}\n`);
      return EXIT_USAGE;
    }
    throw e;
  }
  if (args.help) {
    io.out(HELP + '\n');
    return EXIT_OK;
  }
  if (args.version) {
    io.out(toolVersion() + '\n');
    return EXIT_OK;
  }
  if (args.listRules) {
    io.out(listRulesText() + '\n');
    return EXIT_OK;
  }

  const found = discoverFiles(args.inputs, io.cwd);
  const result = await checkFiles(found.files, args, io.cwd);
  const errors = [...found.errors, ...result.errors];
  const warnings = [...found.warnings, ...result.warnings];
  for (const w of warnings) io.err(`prosody-ssl-check: warning: ${w}\n`);
  for (const e of errors) io.err(`prosody-ssl-check: error: ${e}\n`);

  let report: string;
  switch (args.format) {
    case 'json':
      report = formatJson(result.reports, io.cwd, toolVersion());
      break;
    case 'sarif':
      report = formatSarif(result.reports, io.cwd, toolVersion(), { warnings, errors });
      break;
    default:
      report = formatText(result.reports, io.cwd, useColour(args, io), errors.length);
  }
  if (args.output) {
    try {
      const target = path.resolve(io.cwd, args.output);
      makeParents(target);
      fs.writeFileSync(target, report);
    } catch (e) {
      io.err(`prosody-ssl-check: error: cannot write ${args.output} (${(e as NodeJS.ErrnoException).code ?? 'error'})\n`);
      return EXIT_USAGE;
    }
  } else {
    io.out(report);
  }
  if (errors.length) return EXIT_USAGE;
  return failsThreshold(countFindings(result.reports), args.maxWarnings) ? EXIT_FINDINGS : EXIT_OK;
}

if (require.main === module) {
  // A closed pipe (`| head`) is not an error worth a trace.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  });
  const io: CliIO = {
    cwd: process.cwd(),
    env: process.env,
    stdoutIsTTY: process.stdout.isTTY === true,
    out: (s) => void process.stdout.write(s),
    err: (s) => void process.stderr.write(s),
  };
  runCli(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      const msg = e instanceof Error ? e.message : String(e);
      process.stderr.write(`prosody-ssl-check: internal error: ${msg.split('\n')[0]}\n`);
      if (process.env.PROSODY_SSL_DEBUG && e instanceof Error && e.stack) process.stderr.write(e.stack + '\n');
      process.exitCode = EXIT_USAGE;
    },
  );
}
