// File diagnostics: reads the certificate, key, DH-parameter and CA files a config names (async, bounded, cached)
// and reports the file rules of rules/files.ts. Severity, `off` and suppression comments work as for every rule.
// False alarms are avoided on purpose: in `auto` mode a missing absolute path or an unreadable (permission-denied)
// file is only Information, because configs are often edited away from the server, where keys belong to root.
// One run (run.ts) goes through the files as named (namedFiles.ts), then what Prosody finds or pairs by itself:
// the automatic lookup (hostCertificates.ts), layered key/certificate pairs (pairs.ts), the service user's access
// (prosodyUser.ts) and the hosts of direct-TLS ports (directTlsHosts.ts).
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic } from 'vscode-languageserver-types';
import type { ProsodyLine } from '../catalog/versions';
import { bomDiagnostic, findingToDiagnostic, ruleSeverity } from '../diagnostics';
import { nodeFileSystem } from '../files';
import { documentPaths, filePathOf, type CheckFilesMode, type DocumentPaths, type FileEnv } from '../fileEnv';
import { expiryAt, type ExpiryOf, type IncrementalFileChecks } from '../incrementalFileChecks';
import type { PlacedConfig } from '../model/chunkedParse';
import { lineInForce, type ConfigDocument } from '../model/document';
import { fileRules } from '../rules/files';
import type { Rule } from '../rules/types';
import type { ServiceSettings } from '../settings';
import { suppressionsOf } from '../suppression';
import { checkDirectTlsHosts } from './directTlsHosts';
import { moveFinding, summariseAbsent, type FileFinding } from './findings';
import { checkCertificateIndex, checkComponentsLookup, checkHostsWithoutCertificate } from './hostCertificates';
import { checkCertificateLists } from './certificateLists';
import { checkNamedFiles } from './namedFiles';
import { checkLayeredPairs } from './pairs';
import { checkProsodyCanRead } from './prosodyUser';
import { startRun } from './run';

export type { FileFinding } from './findings';

const byId = new Map<string, Rule>(fileRules.map((r) => [r.id, r]));

/**
 * `memo`: the document's findings from its last version, kept while nothing they depend on changes (see
 * incrementalFileChecks.ts); without it every call checks everything.
 */
export async function doFileValidation(doc: TextDocument, model: ConfigDocument, settings: ServiceSettings, env: FileEnv, memo?: IncrementalFileChecks<FileFinding>): Promise<Diagnostic[]> {
  if (settings.validate === false) return [];
  // The config file itself, as saved: editors hide a byte-order mark that Prosody's loader refuses. A client that
  // keeps it in the text gets it reported by the syntax rule already.
  const bom = !doc.getText().startsWith('\uFEFF') && (await savedWithBom(doc.uri, env)) ? bomDiagnostic(doc, settings) : undefined;
  return [...(bom ? [bom] : []), ...(await filesNamed(doc, model, settings, env, memo))];
}

/**
 * True when the document is a file whose saved bytes begin with a UTF-8 BOM. Asked on every version, so when
 * trusted through the file cache: one stat while the file is unchanged, and a missing file (an unsaved path) is
 * answered from its memory. In Restricted Mode only the first bytes are read, and nothing is kept.
 */
async function savedWithBom(uri: string, env: FileEnv): Promise<boolean> {
  const file = filePathOf(uri);
  if (!file) return false;
  const bom = (b: Uint8Array | undefined): boolean => b !== undefined && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf;
  try {
    const cached = env.trusted ? await env.fileCache.read(file) : undefined;
    if (cached && cached.kind !== 'too-large') return cached.kind === 'ok' && bom(cached.bytes);
    return bom((await (env.fs ?? nodeFileSystem).readBounded(file, 3)).bytes);
  } catch {
    return false;
  }
}

async function filesNamed(doc: TextDocument, model: ConfigDocument, settings: ServiceSettings, env: FileEnv, memo?: IncrementalFileChecks<FileFinding>): Promise<Diagnostic[]> {
  const mode: CheckFilesMode = env.checkFiles ?? settings.checkFiles ?? 'auto';
  if (mode === 'off') return [];
  // Ranges from an older parse would point at the wrong text.
  const placed = model.configIsCurrent ? model.placed : undefined;
  if (!placed) return [];
  const paths = await documentPaths(doc.uri, env.fs ?? nodeFileSystem);
  if (!paths) return [];
  const line = lineInForce(model, settings.prosodyVersion);
  const run = (e: FileEnv, expiry: ExpiryOf): Promise<FileFinding[]> => fileFindings(model, placed, paths, line, mode, e, expiry);
  const findings = memo ? await memo.findings(model, paths, line, mode, env, run, moveFinding) : await run(env, expiryAt(env.now ?? new Date()));

  const suppressed = suppressionsOf(model, (o) => doc.positionAt(o).line);
  const shown = findings.filter((f) => byId.has(f.rule) && !suppressed.isSuppressed(f.rule, doc.positionAt(f.range[0]).line));
  const out: Diagnostic[] = [];
  for (const f of summariseAbsent(shown)) {
    const rule = byId.get(f.rule)!;
    const severity = ruleSeverity(rule, settings, f.severity ?? rule.severity);
    if (severity !== undefined) out.push(findingToDiagnostic(doc, rule, severity, f));
  }
  return out;
}

/** Everything wrong with the files, before severity settings and suppressions. Never throws. */
async function fileFindings(model: ConfigDocument, placed: PlacedConfig, paths: DocumentPaths, line: ProsodyLine, mode: CheckFilesMode, env: FileEnv, expiry: ExpiryOf): Promise<FileFinding[]> {
  const run = startRun(model, placed, paths, line, mode, env, expiry);
  for (const check of [checkNamedFiles, checkHostsWithoutCertificate, checkComponentsLookup, checkCertificateIndex, checkCertificateLists, checkLayeredPairs, checkProsodyCanRead, checkDirectTlsHosts]) {
    if (run.cancelled()) break;
    await check(run);
  }
  return run.out;
}
