// The settings file users can commit beside their config: `.prosody-ssl.json`.
//
//   { "prosodyVersion": "0.12", "rules": { "protocol-pins-tls12": "off" }, "validate": true, "checkFiles": "auto" }
//
// Found by searching upward from the config's folder; the search stops at the first folder that
// has the file, or after a folder holding `.git` (a repository's root), or at the filesystem root.
// Read by the CLI and by the language server, so a project gets the same answers in both.
// A file that is not valid JSON is an error; fields we do not know are warnings (kept going).

import * as fs from 'node:fs';
import * as path from 'node:path';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-types';
import { lineOf, PROSODY_LINES, type ProsodyLine } from './catalog/versions';
import { DIAGNOSTIC_SOURCE } from './diagnostics';
import { getRule } from './rules';
import { CHECK_FILES_MODES, isCheckFilesMode, type CheckFilesMode } from './fileEnv';
import { isRuleLevel, RULE_LEVELS, type RuleLevel } from './settings';

export const SETTINGS_FILE_NAME = '.prosody-ssl.json';

/** Refuse anything bigger: a settings file is a few lines, and we must not read a huge file by mistake. */
const MAX_SETTINGS_BYTES = 64 * 1024;

const KNOWN_FIELDS = new Set(['$schema', 'prosodyVersion', 'rules', 'validate', 'checkFiles']);

/** What a settings file sets; fields it leaves out stay undefined (so merging can tell them apart). */
export interface FileSettings {
  readonly prosodyVersion?: ProsodyLine;
  readonly rules?: Readonly<Record<string, RuleLevel>>;
  readonly validate?: boolean;
  readonly checkFiles?: CheckFilesMode;
}

export type SettingsFileResult =
  | { readonly ok: true; readonly path: string; readonly settings: FileSettings; readonly warnings: readonly string[] }
  | { readonly ok: false; readonly path: string; readonly error: string };

/** Checks parsed JSON field by field. Bad values are dropped with a warning, never guessed at. */
export function parseSettingsText(text: string, file: string): SettingsFileResult {
  let raw: unknown;
  try {
    raw = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    return { ok: false, path: file, error: `${file}: not valid JSON (${e instanceof Error ? e.message : String(e)})` };
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    return { ok: false, path: file, error: `${file}: expected a JSON object like { "prosodyVersion": "0.12", "rules": {} }` };
  }
  const { settings, warnings } = parseSettingsObject(raw as Record<string, unknown>, file, true);
  return { ok: true, path: file, settings, warnings };
}

/**
 * The settings in an object (a settings file's JSON, or the editor's `prosodySsl` section), field by field, with a
 * warning for each value dropped and each rule id we do not know (kept: it may be a newer release's). `where` leads
 * each warning; `unknownFields` warns about fields that are not settings (an editor's section holds others).
 */
export function parseSettingsObject(r: Record<string, unknown>, where: string, unknownFields: boolean): { settings: FileSettings; warnings: string[] } {
  const warnings: string[] = [];
  for (const k of Object.keys(r)) {
    if (unknownFields && !KNOWN_FIELDS.has(k)) warnings.push(`${where}: unknown field "${k}" ignored (known: prosodyVersion, rules, validate, checkFiles)`);
  }
  let prosodyVersion: ProsodyLine | undefined;
  if (r.prosodyVersion !== undefined) {
    prosodyVersion = lineOf(r.prosodyVersion);
    if (!prosodyVersion) warnings.push(`${where}: "prosodyVersion" must be one of ${PROSODY_LINES.join(', ')}; got ${JSON.stringify(r.prosodyVersion)}`);
  }
  let rules: Record<string, RuleLevel> | undefined;
  if (r.rules !== undefined) {
    if (!r.rules || typeof r.rules !== 'object' || Array.isArray(r.rules)) {
      warnings.push(`${where}: "rules" must be an object of rule id to severity`);
    } else {
      rules = {};
      for (const [id, level] of Object.entries(r.rules as Record<string, unknown>)) {
        if (!isRuleLevel(level)) {
          warnings.push(`${where}: rule "${id}": severity must be one of ${RULE_LEVELS.join(', ')}; got ${JSON.stringify(level)}`);
          continue;
        }
        // Kept even when unknown: the file may be shared with a newer release that has the rule.
        if (!getRule(id)) warnings.push(`${where}: unknown rule "${id}"`);
        rules[id] = level;
      }
    }
  }
  let validate: boolean | undefined;
  if (r.validate !== undefined) {
    if (typeof r.validate === 'boolean') validate = r.validate;
    else warnings.push(`${where}: "validate" must be true or false`);
  }
  let checkFiles: CheckFilesMode | undefined;
  if (r.checkFiles !== undefined) {
    if (isCheckFilesMode(r.checkFiles)) checkFiles = r.checkFiles;
    else warnings.push(`${where}: "checkFiles" must be one of ${CHECK_FILES_MODES.join(', ')}; got ${JSON.stringify(r.checkFiles)}`);
  }
  const settings: FileSettings = {
    ...(prosodyVersion ? { prosodyVersion } : {}),
    ...(rules ? { rules } : {}),
    ...(validate !== undefined ? { validate } : {}),
    ...(checkFiles ? { checkFiles } : {}),
  };
  return { settings, warnings };
}

/** Reads one settings file (bounded). I/O problems come back as `ok: false` with a plain message. */
export function readSettingsFile(file: string): SettingsFileResult {
  let text: string;
  try {
    const st = fs.statSync(file);
    if (!st.isFile()) return { ok: false, path: file, error: `${file}: not a regular file` };
    if (st.size > MAX_SETTINGS_BYTES) return { ok: false, path: file, error: `${file}: larger than ${MAX_SETTINGS_BYTES} bytes; not a settings file?` };
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    return { ok: false, path: file, error: `${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? 'error'})` };
  }
  return parseSettingsText(text, file);
}

/**
 * What an editor shows on the settings file itself: a file that cannot be used is an Error (its settings are not
 * applied, the editor's are), each dropped field a Warning. A JSON error is placed where the parser stopped, when its
 * message gives the position; the rest at the top of the file. (A reviewer: a trailing comma made the editor fall back
 * to user settings with a note in the Output panel only.)
 */
export function settingsFileDiagnostics(r: SettingsFileResult): Diagnostic[] {
  const local = (message: string): string => message.replace(`${r.path}: `, '');
  if (r.ok) return r.warnings.map((w) => ({ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, severity: DiagnosticSeverity.Warning, source: DIAGNOSTIC_SOURCE, message: `${local(w)} (this field is ignored).` }));
  let at = { line: 0, character: 0 };
  const offset = /at position (\d+)/.exec(r.error)?.[1];
  if (offset !== undefined) {
    try {
      const before = fs.readFileSync(r.path, 'utf8').slice(0, Number(offset)).replace(/^\uFEFF/, '');
      const lines = before.split('\n');
      at = { line: lines.length - 1, character: lines[lines.length - 1]!.length };
    } catch {
      // Gone since: the top of the file.
    }
  }
  return [{ range: { start: at, end: at }, severity: DiagnosticSeverity.Error, source: DIAGNOSTIC_SOURCE, message: `${local(r.error)}. None of its settings apply until it is fixed: the editor's settings are used instead.` }];
}

/** The settings file that applies to `configFile`, or undefined. `dirCache` avoids re-walking shared folders. */
export function findSettingsFile(configFile: string, dirCache?: Map<string, string | null>): string | undefined {
  const visited: string[] = [];
  let dir = path.dirname(path.resolve(configFile));
  let found: string | null = null;
  for (;;) {
    const cached = dirCache?.get(dir);
    if (cached !== undefined) {
      found = cached;
      break;
    }
    visited.push(dir);
    const candidate = path.join(dir, SETTINGS_FILE_NAME);
    if (isFile(candidate)) {
      found = candidate;
      break;
    }
    const parent = path.dirname(dir);
    if (parent === dir || exists(path.join(dir, '.git'))) break;
    dir = parent;
  }
  for (const d of visited) dirCache?.set(d, found);
  return found ?? undefined;
}

/**
 * Merges layers, later ones winning field by field; `rules` merge per rule id.
 * Order used by both adapters: defaults, editor settings, settings file, command-line flags.
 */
export function mergeSettings<T extends { prosodyVersion: ProsodyLine }>(base: T, ...layers: ReadonlyArray<FileSettings | undefined>): T {
  let out: T = base;
  for (const l of layers) {
    if (!l) continue;
    out = {
      ...out,
      ...(l.prosodyVersion ? { prosodyVersion: l.prosodyVersion } : {}),
      ...(l.rules ? { rules: { ...((out as { rules?: Record<string, RuleLevel> }).rules ?? {}), ...l.rules } } : {}),
      ...(l.validate !== undefined ? { validate: l.validate } : {}),
      ...(l.checkFiles ? { checkFiles: l.checkFiles } : {}),
    };
  }
  return out;
}

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

function exists(p: string): boolean {
  try {
    fs.statSync(p);
    return true;
  } catch {
    return false;
  }
}

/**
 * For long-running hosts (the language server): finds and reads the settings file for a config, re-reading
 * a file only when its size or mtime changed. Call `clear()` when files were created or deleted (e.g. on
 * workspace/didChangeWatchedFiles for `**\/.prosody-ssl.json`), since the upward search is cached.
 */
export class SettingsFileLoader {
  private dirCache = new Map<string, string | null>();
  private readonly results = new Map<string, { stamp: string; result: SettingsFileResult }>();

  forConfig(configFile: string): SettingsFileResult | undefined {
    const p = findSettingsFile(configFile, this.dirCache);
    if (!p) return undefined;
    let stamp = 'missing';
    try {
      const st = fs.statSync(p);
      stamp = `${st.size}:${st.mtimeMs}`;
    } catch {
      /* read below reports it */
    }
    const hit = this.results.get(p);
    if (hit && hit.stamp === stamp) return hit.result;
    const result = readSettingsFile(p);
    this.results.set(p, { stamp, result });
    return result;
  }

  clear(): void {
    this.dirCache = new Map();
  }
}
