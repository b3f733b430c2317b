// A Prosody config directory in a temp dir, filled with real material from the system's `openssl`
// (test/unit/files/material.ts generates it once per process): the layout a deployed /etc/prosody has.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic, DiagnosticSeverity } from 'vscode-languageserver-types';
import { URI } from 'vscode-uri';
import { FileCache, type FileSystem, nodeFileSystem } from '../../../server/src/service/files';
import type { FileEnv } from '../../../server/src/service/fileEnv';
import { doFileValidation, type FileFinding } from '../../../server/src/service/fileChecks';
import { createLanguageService } from '../../../server/src/service';
import { IncrementalFileChecks } from '../../../server/src/service/incrementalFileChecks';
import { buildDocument, type ConfigDocument } from '../../../server/src/service/model/document';
import type { ServiceSettings } from '../../../server/src/service/settings';
import { material } from '../files/material';

export interface ConfigDir {
  root: string;
  /** Writes a config file (relative to root) and returns its document and model. */
  doc(relative: string, text: string): { doc: TextDocument; model: ConfigDocument };
  file(relative: string): string;
}

let cached: ConfigDir | undefined;

/**
 * root/
 *   certs/example.com.crt + .key          found by Prosody's automatic lookup for example.com
 *   tls/good.crt + good.key              example.com, conference.example.com (90 days)
 *   tls/other.key                        an unrelated RSA key
 *   tls/enc.key                          good.key encrypted with the passphrase "secret" (traditional PEM)
 *   tls/enc8.key                         an unrelated RSA key, PKCS#8-encrypted with "secret"
 *   tls/expired.crt + .key               old.example, January 2020
 *   tls/short.crt + .key                 short.example, valid for 1 day
 *   tls/small.crt + .key                 small.example, RSA 1024
 *   tls/wrong.crt + .key                 other.org
 *   tls/fullchain.pem, badchain.pem      chain.example's leaf + its CA, in issuing order and reversed; tls/leaf.key
 *   tls/stalechain.pem + stale.key       stale.example (90 days) + its CA, which expired in February 2020
 *   tls/dh1024.pem, tls/ffdhe2048.pem    DH parameters (and dh1024.der, the same in DER)
 *   tls/good.der.crt + good.der.key      good.crt/good.key in binary DER
 *   tls/junk.crt                         not a certificate
 *   conf.d/                              included files
 */
export function configDir(): ConfigDir {
  if (cached) return cached;
  const m = material();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'prosody-ssl-cfg-'));
  const copy = (from: string, to: string): void => {
    fs.mkdirSync(path.dirname(path.join(root, to)), { recursive: true });
    fs.copyFileSync(m.file(from), path.join(root, to));
  };
  copy('rsa.crt', 'certs/example.com.crt');
  copy('rsa.key', 'certs/example.com.key');
  copy('rsa.crt', 'tls/good.crt');
  copy('rsa.key', 'tls/good.key');
  copy('other.key', 'tls/other.key');
  copy('enc-legacy.key', 'tls/enc.key');
  copy('enc.key', 'tls/enc8.key');
  copy('expired.crt', 'tls/expired.crt');
  copy('expired.key', 'tls/expired.key');
  copy('short.crt', 'tls/short.crt');
  copy('short.key', 'tls/short.key');
  copy('rsa1024.crt', 'tls/small.crt');
  copy('rsa1024.key', 'tls/small.key');
  copy('wronghost.crt', 'tls/wrong.crt');
  copy('wronghost.key', 'tls/wrong.key');
  copy('rsa.der.crt', 'tls/good.der.crt');
  copy('rsa.der.key', 'tls/good.der.key');
  copy('badchain.pem', 'tls/badchain.pem');
  copy('fullchain.pem', 'tls/fullchain.pem');
  copy('leaf.key', 'tls/leaf.key');
  copy('stalechain.pem', 'tls/stalechain.pem');
  copy('staleleaf.key', 'tls/stale.key');
  copy('dh1024.pem', 'tls/dh1024.pem');
  copy('dh1024.der', 'tls/dh1024.der');
  copy('ffdhe2048.pem', 'tls/ffdhe2048.pem');
  copy('ec.crt', 'tls/ec.crt');
  copy('ec.key', 'tls/ec.key');
  for (const f of ['sha1leaf.crt', 'md5leaf.crt', 'sha1intchain.pem', 'sha1self.crt', 'sha1selfee.crt', 'pss1leaf.crt', 'pss256leaf.crt', 'underint.crt', 'sha1int.crt', 'sha1int-otherkey.crt']) copy(f, `tls/${f}`);
  fs.writeFileSync(path.join(root, 'tls/junk.crt'), 'this is not a certificate\n');
  fs.mkdirSync(path.join(root, 'conf.d'), { recursive: true });
  fs.writeFileSync(path.join(root, 'prosody.cfg.lua'), '-- main config\n');
  process.on('exit', () => fs.rmSync(root, { recursive: true, force: true }));
  let version = 0;
  cached = {
    root,
    file: (rel) => path.join(root, rel),
    doc(relative, text) {
      const full = path.join(root, relative);
      fs.mkdirSync(path.dirname(full), { recursive: true });
      fs.writeFileSync(full, text);
      const uri = URI.file(full).toString();
      version++;
      return { doc: TextDocument.create(uri, 'prosody', version, text), model: buildDocument(uri, version, text) };
    },
  };
  return cached;
}

export const SETTINGS: ServiceSettings = { prosodyVersion: '13.0' };

/** A fresh env (own cache) over the real file system or a wrapper of it. */
export function env(extra: Partial<FileEnv> = {}, fsys: FileSystem = nodeFileSystem): FileEnv {
  return { fileCache: new FileCache({ fs: fsys }), fs: fsys, trusted: true, workspaceFolders: [], ...extra };
}

/** The real file system, except that reading the given paths fails with EACCES (we run as root, so chmod cannot do it). */
export function denyingFs(denied: readonly string[]): FileSystem {
  const deny = (p: string): void => {
    if (denied.includes(p)) throw Object.assign(new Error(`EACCES: permission denied, open '${p}'`), { code: 'EACCES' });
  };
  return {
    stat: (p) => nodeFileSystem.stat(p),
    lstat: (p) => nodeFileSystem.lstat(p),
    readdir: (p) => nodeFileSystem.readdir(p),
    readBounded: async (p, limit) => {
      deny(p);
      return nodeFileSystem.readBounded(p, limit);
    },
  };
}

/** SHA-256 fingerprint as `openssl x509 -fingerprint -sha256` prints it. */
export function opensslFingerprint(file: string): string {
  const out = execFileSync('openssl', ['x509', '-in', file, '-noout', '-fingerprint', '-sha256'], { encoding: 'utf8' });
  return out.trim().replace(/^.*=/, '');
}

/** Offset just inside the first string literal containing `needle`. */
export function offsetIn(text: string, needle: string): number {
  const i = text.indexOf(needle);
  if (i < 0) throw new Error(`text does not contain ${needle}`);
  return i + 1;
}

export interface Seen {
  code: string;
  severity: DiagnosticSeverity | undefined;
  /** The text the diagnostic covers. */
  text: string;
  message: string;
  d: Diagnostic;
}

/** The file diagnostics of `text` written as `file` (default prosody.cfg.lua) in the config directory. */
export async function checkFiles(text: string, opts: { e?: FileEnv; settings?: Partial<ServiceSettings>; file?: string } = {}): Promise<Seen[]> {
  const { doc, model } = configDir().doc(opts.file ?? 'prosody.cfg.lua', text);
  const ds = await doFileValidation(doc, model, { ...SETTINGS, ...opts.settings }, opts.e ?? env());
  return ds.map((d) => ({ code: String(d.code), severity: d.severity, text: doc.getText(d.range), message: String(d.message), d }));
}

/** The one finding of a rule (fails the test when there are none or several). */
export function onlyOne(seen: readonly Seen[], code: string): Seen {
  const hits = seen.filter((s) => s.code === code);
  if (hits.length !== 1) throw new Error(`expected exactly one ${code}; got ${JSON.stringify(seen.map((s) => [s.code, s.text]))}`);
  return hits[0]!;
}

/**
 * A config document checked as the server checks it while someone types: one service, one memo of the last run
 * (IncrementalFileChecks), one file cache. `edit` replaces the first `from` with `to` as a new version and returns
 * that version's findings of `code`.
 */
export async function editedChecks(file: string, text: string, code: string, settings: ServiceSettings = SETTINGS): Promise<{ first: Diagnostic[]; edit: (from: string, to: string) => Promise<Diagnostic[]> }> {
  const { doc } = configDir().doc(file, text);
  const service = createLanguageService();
  const memo = new IncrementalFileChecks<FileFinding>();
  const e = { ...env(), fileCache: new FileCache() };
  const run = async (d: TextDocument): Promise<Diagnostic[]> => (await doFileValidation(d, service.getModel(d), settings, e, memo)).filter((x) => x.code === code);
  const first = await run(doc);
  return {
    first,
    edit: (from, to) => {
      const before = doc.getText();
      return run(TextDocument.update(doc, [{ range: { start: doc.positionAt(0), end: doc.positionAt(before.length) }, text: before.replace(from, to) }], doc.version + 1));
    },
  };
}
