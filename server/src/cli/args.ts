// Command-line arguments of `prosody-ssl-check`. Every mistake becomes a UsageError with a message
// that names the flag and what it accepts (exit code 2), never a stack trace.

import { parseArgs } from 'node:util';
import { lineOf, PROSODY_LINES, type ProsodyLine } from '../service/catalog/versions';
import { CHECK_FILES_MODES, isCheckFilesMode, type CheckFilesMode } from '../service/fileEnv';
import { getRule, rules } from '../service/rules';
import { isRuleLevel, RULE_LEVELS, type RuleLevel } from '../service/settings';

export type OutputFormat = 'text' | 'json' | 'sarif';
export const FORMATS: readonly OutputFormat[] = ['text', 'json', 'sarif'];

export class UsageError extends Error {}

export interface CliOptions {
  readonly inputs: readonly string[];
  readonly prosodyVersion?: ProsodyLine;
  readonly rules: Readonly<Record<string, RuleLevel>>;
  readonly checkFiles?: CheckFilesMode;
  readonly format: OutputFormat;
  /** Warnings allowed before the exit code turns 1; -1 = warnings never fail. */
  readonly maxWarnings: number;
  /** undefined = decide from the terminal and NO_COLOR/FORCE_COLOR. */
  readonly color?: boolean;
  /** An explicit settings file for every input, instead of searching upward. */
  readonly settingsFile?: string;
  readonly noSettingsFile: boolean;
  readonly output?: string;
  readonly help: boolean;
  readonly version: boolean;
}

export const HELP = `Usage: prosody-ssl-check [options] <file|directory|glob>...

Checks the TLS settings of Prosody configs (the same analysis as the editor extension).
Directories are searched for *.cfg.lua files; quote globs ('conf/**/*.cfg.lua') to let the
checker expand them.

Options:
  --prosody-version <line>   Prosody release line: ${PROSODY_LINES.join(', ')} (default: settings file, else 13.0)
  --rule <id>=<severity>     Override a rule: ${RULE_LEVELS.join('|')} (repeatable)
  --check-files <mode>       Certificate/key files the config names: auto (default), strict, off
  --format <text|json|sarif> Output format (default: text; sarif is SARIF 2.1.0 for code scanning)
  -o, --output <file>        Write the report to a file instead of standard output
  --max-warnings <n>         Exit 1 when there are more than n warnings (default 0; -1: warnings never fail)
  --settings <file>          Use this settings file for every input (default: nearest .prosody-ssl.json)
  --no-settings-file         Ignore .prosody-ssl.json files
  --color, --no-color        Force colour on or off in text output
  --list-rules               Print the rule ids, default severities and titles
  -h, --help                 Show this help
  -v, --version              Show the version

Exit codes: 0 no failing findings, 1 errors (or more warnings than --max-warnings), 2 usage or I/O error.`;

export interface ParsedArgs extends CliOptions {
  readonly listRules: boolean;
}

/** parseArgs would read the `-1` in `--max-warnings -1` as a short flag; glue it to its option. */
function joinNegativeValues(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--max-warnings' && /^-\d+$/.test(argv[i + 1] ?? '')) out.push(`${a}=${argv[++i]}`);
    else out.push(a);
  }
  return out;
}

export function parseCliArgs(argv: readonly string[]): ParsedArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: joinNegativeValues(argv),
      allowPositionals: true,
      strict: true,
      options: {
        'prosody-version': { type: 'string' },
        rule: { type: 'string', multiple: true },
        'check-files': { type: 'string' },
        format: { type: 'string' },
        output: { type: 'string', short: 'o' },
        'max-warnings': { type: 'string' },
        settings: { type: 'string' },
        'no-settings-file': { type: 'boolean' },
        color: { type: 'boolean' },
        'no-color': { type: 'boolean' },
        'list-rules': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    });
  } catch (e) {
    // parseArgs messages are already plain ("Unknown option '--x'"); keep the first line only.
    throw new UsageError(String(e instanceof Error ? e.message : e).split('\n')[0]!);
  }
  const v = parsed.values;

  let prosodyVersion: ProsodyLine | undefined;
  if (v['prosody-version'] !== undefined) {
    const want = lineOf(v['prosody-version']);
    if (!want) throw new UsageError(`--prosody-version: expected one of ${PROSODY_LINES.join(', ')}; got '${v['prosody-version']}'`);
    prosodyVersion = want;
  }

  const ruleMap: Record<string, RuleLevel> = {};
  for (const spec of v.rule ?? []) {
    const m = /^([^=\s]+)\s*[=:]\s*(\S+)$/.exec(spec.trim());
    if (!m) throw new UsageError(`--rule: expected <id>=<severity>, e.g. --rule syntax-error=warning; got '${spec}'`);
    const [, id, level] = m as unknown as [string, string, string];
    if (!getRule(id)) throw new UsageError(`--rule: unknown rule '${id}' (see --list-rules)`);
    if (!isRuleLevel(level)) throw new UsageError(`--rule ${id}: severity must be one of ${RULE_LEVELS.join(', ')}; got '${level}'`);
    ruleMap[id] = level;
  }

  const checkFiles = v['check-files'];
  if (checkFiles !== undefined && !isCheckFilesMode(checkFiles)) throw new UsageError(`--check-files: expected one of ${CHECK_FILES_MODES.join(', ')}; got '${checkFiles}'`);

  const format = (v.format ?? 'text') as OutputFormat;
  if (!FORMATS.includes(format)) throw new UsageError(`--format: expected one of ${FORMATS.join(', ')}; got '${v.format}'`);

  let maxWarnings = 0;
  if (v['max-warnings'] !== undefined) {
    if (!/^(-1|\d{1,9})$/.test(v['max-warnings'])) throw new UsageError(`--max-warnings: expected a whole number (or -1); got '${v['max-warnings']}'`);
    maxWarnings = Number(v['max-warnings']);
  }

  if (v.color && v['no-color']) throw new UsageError('--color and --no-color cannot be used together');
  if (v.settings !== undefined && v['no-settings-file']) throw new UsageError('--settings and --no-settings-file cannot be used together');

  const help = v.help === true;
  const version = v.version === true;
  const listRules = v['list-rules'] === true;
  if (!help && !version && !listRules && parsed.positionals.length === 0) {
    throw new UsageError('no input: give config files, directories or globs (see --help)');
  }
  return {
    inputs: parsed.positionals,
    prosodyVersion,
    rules: ruleMap,
    ...(checkFiles ? { checkFiles } : {}),
    format,
    maxWarnings,
    color: v.color ? true : v['no-color'] ? false : undefined,
    settingsFile: v.settings,
    noSettingsFile: v['no-settings-file'] === true,
    output: v.output,
    help,
    version,
    listRules,
  };
}

export function listRulesText(): string {
  const names = ['', 'error', 'warning', 'information', 'hint'];
  return rules.map((r) => `${r.id}\t${names[r.severity] ?? r.severity}\t${r.category}\t${r.title}`).join('\n');
}
