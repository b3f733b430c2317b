// What a file the main config includes (in conf.d/, or beside it) takes from the main config: its certificates
// directory, its global certificate, key and password.
import * as path from 'node:path';
import type { ProsodyLine } from '../catalog/versions';
import { resolveRelativePath } from '../files';
import { guardedRead, RESTRICTED, type DocumentPaths, type FileEnv } from '../fileEnv';
import { describeRead, effectiveField, effectiveFieldIn, passwordValue, type PasswordValue } from '../fileFacts';
import { collectPathRefs } from '../fileRefs';
import { globMatcher } from '../links';
import { buildDocument } from '../model/document';
import { parseConfig, type ParsedConfig } from '../model/parse';
import { findSetting } from '../model/tls';
import { getField, type LuaValue } from '../model/values';

/** What an included file (in conf.d/, or beside the main config that Includes it) takes from the main config. */
export interface MainGlobals {
  readonly certificates?: string;
  readonly hasGlobalCertificate: boolean;
  /** A global certificate in force for server-to-server connections (`ssl`, `s2s_ssl`; not `c2s_ssl`). */
  readonly hasGlobalS2sCertificate?: boolean;
  readonly config?: ParsedConfig;
  /** The resolved path of the global `key` in force for this file's hosts; null when it is computed. */
  readonly key?: string | null;
  readonly password?: PasswordValue;
  /** The global `password` in force for server-to-server connections (their layers skip `c2s_ssl`). */
  readonly s2sPassword?: PasswordValue;
  /** Why the main config could not be taken into account (Restricted Mode, unreadable, not Lua). */
  readonly unread?: string;
}

/** Whether the main config Includes `file`, by its path or by a wildcard in the last component, as Prosody reads it. */
function includedBy(mainText: string, mainFile: string, file: string): boolean {
  const dir = path.dirname(mainFile);
  const refs = collectPathRefs(buildDocument('file:///main.cfg.lua', 0, mainText), { file: mainFile, fileDir: dir, configDir: dir });
  const name = path.basename(file);
  return refs.some((r) => r.role === 'include' && !r.templated && (r.glob ? path.dirname(r.resolved) === path.dirname(file) && !name.startsWith('.') && globMatcher(path.basename(r.resolved))(name) : r.resolved === file));
}

/**
 * For an included file: the global `certificates` and whether a global ssl certificate is set in the main config,
 * and the main config itself (its global section holds the ports and the port's tables). Also the `key` and
 * `password` its global tables give the hosts of this file: Prosody loads an included file into the main config,
 * so a host's certificate pairs with the main file's global key (a reviewer's 0.12.3 runs) — unless this file
 * sets that global table again, which replaces the main file's.
 */
export async function mainConfigGlobals(config: ParsedConfig, paths: DocumentPaths, line: ProsodyLine, env: FileEnv, show: (p: string) => string): Promise<MainGlobals> {
  const file = path.join(paths.configDir, 'prosody.cfg.lua');
  // Beside the main config, a file is one only when the main config Includes it (a reviewer's vhosts.cfg.lua);
  // then nothing is said when the main config cannot be read either: it may well be another, unrelated config.
  const beside = paths.configDir === paths.fileDir;
  if (beside && path.basename(paths.file) === 'prosody.cfg.lua') return { hasGlobalCertificate: false };
  const r = await guardedRead(file, env);
  const text = r.kind === 'ok' ? Buffer.from(r.bytes).toString('utf8') : undefined;
  if (beside && (text === undefined || !includedBy(text, file, paths.file))) return { hasGlobalCertificate: false };
  if (text === undefined) return { hasGlobalCertificate: false, unread: `${show(file)} was not read here (${r === RESTRICTED ? 'Restricted Mode' : describeRead(r, true)})` };
  const parsed = parseConfig(text);
  if (!parsed.ok) return { hasGlobalCertificate: false, unread: `${show(file)} does not parse` };
  const main = parsed.config;
  const c = findSetting(main, 0, 'certificates')?.value;
  // The main file's global tables still in force here (this file's own global `ssl` would replace its `ssl`).
  const inForce = (key: string, service: 'c2s' | 's2s' = 'c2s'): LuaValue | undefined => {
    // 0.9: a host's own `ssl` replaces the global one wholesale (facts item 14), so nothing of it is layered.
    if (line === '0.9') return undefined;
    for (const name of [`${service}_ssl`, 'ssl']) {
      if (findSetting(config, 0, name)) continue;
      const t = findSetting(main, 0, name)?.value;
      const f = t?.kind === 'table' ? getField(t, key) : undefined;
      if (f) return f.value;
    }
    return undefined;
  };
  const key = inForce('key');
  const pw = (v: LuaValue | undefined): PasswordValue | undefined => (v === undefined ? undefined : passwordValue(v));
  return {
    certificates: c?.kind === 'string' ? c.value : undefined,
    hasGlobalCertificate: effectiveField(main, 0, 'certificate', line) !== undefined,
    hasGlobalS2sCertificate: effectiveFieldIn(main, 0, 'certificate', line, 's2s') !== undefined,
    config: main,
    key: key === undefined ? undefined : key.kind === 'string' ? resolveRelativePath(paths.configDir, key.value) : null,
    password: pw(inForce('password')),
    s2sPassword: pw(inForce('password', 's2s')),
  };
}
