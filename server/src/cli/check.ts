// Runs the language service over files on disk, with the settings that apply to each one:
// defaults, then the nearest .prosody-ssl.json, then command-line flags (later wins).

import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic } from 'vscode-languageserver-types';
import { createLanguageService, DEFAULT_SETTINGS, type ServiceSettings } from '../service';
import { lineInForce } from '../service/model/document';
import { FileCache, safeReadFile } from '../service/files';
import { doFileValidation } from '../service/fileChecks';
import { mainConfigVersion } from '../service/fileEnv';
import { findSettingsFile, mergeSettings, readSettingsFile, type FileSettings, type SettingsFileResult } from '../service/settingsFile';
import type { CliOptions } from './args';

/** Configs are small; this bounds memory for a mistaken input (a log file, an image). */
export const MAX_CONFIG_BYTES = 8 * 1024 * 1024;

export interface FileReport {
  readonly file: string;
  readonly prosodyVersion: string;
  readonly settingsFile?: string;
  readonly diagnostics: readonly Diagnostic[];
}

export interface CheckResult {
  readonly reports: readonly FileReport[];
  /** Files that could not be checked (exit 2). */
  readonly errors: readonly string[];
  /** Settings-file warnings, shown on stderr and in SARIF notifications. */
  readonly warnings: readonly string[];
}

export async function checkFiles(files: readonly string[], opts: CliOptions, cwd: string): Promise<CheckResult> {
  const service = createLanguageService();
  const reports: FileReport[] = [];
  const errors: string[] = [];
  const warnings: string[] = [];
  const dirCache = new Map<string, string | null>();
  const loaded = new Map<string, SettingsFileResult>();
  const flags: FileSettings = {
    ...(opts.prosodyVersion ? { prosodyVersion: opts.prosodyVersion } : {}),
    ...(opts.checkFiles ? { checkFiles: opts.checkFiles } : {}),
    rules: opts.rules,
  };
  // The CLI runs where the operator chose to run it: every named file may be read (no Restricted Mode).
  const fileEnv = { fileCache: new FileCache(), trusted: true, workspaceFolders: [] as string[] };

  function settingsFileFor(file: string): SettingsFileResult | undefined {
    if (opts.noSettingsFile) return undefined;
    const p = opts.settingsFile ? path.resolve(cwd, opts.settingsFile) : findSettingsFile(file, dirCache);
    if (!p) return undefined;
    let r = loaded.get(p);
    if (!r) {
      r = readSettingsFile(p);
      loaded.set(p, r);
      if (r.ok) warnings.push(...r.warnings.map((w) => shortPath(w, cwd)));
    }
    return r;
  }

  for (const file of files) {
    const sf = settingsFileFor(file);
    if (sf && !sf.ok) {
      errors.push(shortPath(sf.error, cwd));
      continue;
    }
    const read = await safeReadFile(file, { maxBytes: MAX_CONFIG_BYTES });
    const shown = displayPath(file, cwd);
    if (read.kind !== 'ok') {
      errors.push(`${shown}: ${describeReadFailure(read)}`);
      continue;
    }
    if (read.bytes.includes(0)) {
      errors.push(`${shown}: not a text file (contains NUL bytes)`);
      continue;
    }
    // A BOM is dropped from the text, so columns count as in the editor (the file checks report it, as in the
    // editor, from the saved bytes). Bad bytes become U+FFFD.
    const text = new TextDecoder('utf-8').decode(read.bytes);
    // A file the main config Includes takes its version comment, over .prosody-ssl.json (as in the editor).
    const main = await mainConfigVersion(pathToFileURL(file).href);
    const settings: ServiceSettings = mergeSettings(DEFAULT_SETTINGS, sf?.ok ? sf.settings : undefined, main ? { prosodyVersion: main.line } : undefined, flags);
    const doc = TextDocument.create(pathToFileURL(file).href, 'prosody', 1, text);
    let diagnostics: Diagnostic[];
    try {
      // The same two passes as the editor: the text itself, then the certificate/key/DH files it names.
      diagnostics = [...service.doValidation(doc, settings), ...(await doFileValidation(doc, service.getModel(doc), settings, fileEnv))];
    } catch (e) {
      // A bug must cost one file, not the run; exit 2 makes sure it is not mistaken for "clean".
      errors.push(`${shown}: internal error while checking (${(e instanceof Error ? e.message : String(e)).split('\n')[0]})`);
      service.forget(doc.uri);
      continue;
    }
    diagnostics.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
    reports.push({
      file,
      prosodyVersion: lineInForce(service.getModel(doc), settings.prosodyVersion),
      ...(sf?.ok ? { settingsFile: sf.path } : {}),
      diagnostics,
    });
    service.forget(doc.uri);
  }
  return { reports, errors, warnings };
}

type ReadFailure = Exclude<Awaited<ReturnType<typeof safeReadFile>>, { kind: 'ok' }>;

function describeReadFailure(r: ReadFailure): string {
  switch (r.kind) {
    case 'missing':
      return 'no such file';
    case 'denied':
      return 'permission denied';
    case 'not-a-file':
      return `not a regular file (${r.what})`;
    case 'too-large':
      return `too large to be a config (${r.size} bytes; limit ${MAX_CONFIG_BYTES})`;
    case 'error':
      return `cannot read (${r.message})`;
  }
}

/** Paths as users typed them: relative to the working directory when inside it. */
export function displayPath(file: string, cwd: string): string {
  const rel = path.relative(cwd, file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}

function shortPath(message: string, cwd: string): string {
  const prefix = cwd.endsWith(path.sep) ? cwd : cwd + path.sep;
  return message.split(prefix).join('');
}
