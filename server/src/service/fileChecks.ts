// File diagnostics: reads the certificate, key, DH-parameter and CA files a config names (async, bounded, cached)
// and reports the file rules of rules/files.ts. Severity, `off` and suppression comments work as for every rule.
// False alarms are avoided on purpose: in `auto` mode a missing absolute path or an unreadable (permission-denied)
// file is only Information, because configs are often edited away from the server, where keys belong to root.
import * as path from 'node:path';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-types';
import { optionOnLine } from './catalog';
import type { ProsodyLine } from './catalog/versions';
import { bomDiagnostic, findingToDiagnostic, ruleSeverity } from './diagnostics';
import { certificatesDir, findHostCert, parentChain, inspectKey, keyMatchesCert, nodeFileSystem, resolveRelativePath, type CertificateInfo, type CertIndex, type CertService, type LookupEnv, type NamedCert, type ReadResult } from './files';
import { documentPaths, filePathOf, guardedRead, RESTRICTED, type CheckFilesMode, type DocumentPaths, type FileEnv } from './fileEnv';
import { certAt, checkableName, dateOnly, describeRead, dhAt, disabledHost, effectiveField, effectiveFieldIn, EXPIRY_WARNING_DAYS, failingServices, hostsUsing, keyAt, partnerCertificate, passwordFor, servicesOf } from './fileFacts';
import { collectPathRefs, refOf, type PathRef, type PathRole } from './fileRefs';
import { buildDocument, lineInForce, type ConfigDocument } from './model/document';
import { globMatcher } from './links';
import { nameprepped } from './model/hostName';
import { childSections, opaqueLayer } from './model/layering';
import type { PlacedConfig } from './model/chunkedParse';
import { parseConfig, type ParsedConfig, type Setting } from './model/parse';
import { findSetting } from './model/tls';
import { getField, type LuaValue, type Range } from './model/values';
import { ABSENT_LISTED, FILE_RULE_IDS as R, fileRules } from './rules/files';
import { lowerFirst, sniContextLost, sniIgnored, tableReadOn } from './rules/helpers';
import type { Finding, Rule } from './rules/types';
import type { ServiceSettings } from './settings';
import { suppressionsOf } from './suppression';
import { expiryAt, type ExpiryOf, type IncrementalFileChecks } from './incrementalFileChecks';
import { checkDirectTlsHosts, type HostCertLookup } from './directTlsHosts';

/** A password as far as the checks need it (PasswordState without the place it is written). */
type PasswordValue = { readonly kind: 'none' } | { readonly kind: 'string'; readonly value: string } | { readonly kind: 'unknown' };

/** A `password` value as written: a literal, or computed (a function, `FileLine(…)`) and known only at start-up. */
function passwordValue(v: LuaValue): PasswordValue {
  return v.kind === 'string' ? { kind: 'string', value: v.value } : { kind: 'unknown' };
}

/** What an included file (in conf.d/, or beside the main config that Includes it) takes from the main config. */
interface MainGlobals {
  readonly certificates?: string;
  readonly hasGlobalCertificate: boolean;
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

/** A key file met with one certificate reference (each reference is its own line to report on). */
const pairId = (key: string, cert: PathRef): string => `${key}\0${cert.range[0]}`;

/**
 * A file in binary DER where LuaSec takes PEM only: what fails (`failure` brings its own lead-in), and the openssl
 * command that converts it. DH parameters are read at the first DHE handshake, the others loaded with the context.
 */
function derMessage(what: string, failure: string, command: 'x509' | 'pkey' | 'dhparam', stem: string): string {
  return `The ${what} is binary DER, but LuaSec ${command === 'dhparam' ? 'reads' : 'loads'} PEM only${failure}. Convert it: \`openssl ${command} -inform DER -in ${stem}.der -out ${stem}.pem\`, and name the .pem file here.`;
}

export interface FileFinding extends Finding {
  readonly rule: string;
  /** Replaces the rule's default severity (auto-mode downgrades); an explicit user level still wins. */
  readonly severity?: DiagnosticSeverity;
  /** An absolute path not on this machine, noted in `auto` mode (see summariseAbsent): the path, and the file as named. */
  readonly absent?: { readonly path: string; readonly subject: string };
}

/**
 * A missing absolute path in `auto` mode. A config written for another machine names thousands, and all but
 * the first are folded into one note (summariseAbsent), so the sentences are only written when read.
 */
class AbsentFinding implements FileFinding {
  readonly rule: string;
  readonly range: Range;
  readonly severity: DiagnosticSeverity;

  constructor(
    private readonly ref: PathRef,
    private readonly what: string,
    range: Range = ref.range,
  ) {
    this.rule = R.missing;
    this.range = range;
    this.severity = DiagnosticSeverity.Information;
  }

  get absent(): { readonly path: string; readonly subject: string } {
    return this;
  }

  moved(range: Range): AbsentFinding {
    return new AbsentFinding(this.ref, this.what, range);
  }

  get path(): string {
    return this.ref.resolved;
  }

  get subject(): string {
    return `${this.what} ${JSON.stringify(this.ref.value)}`;
  }

  get message(): string {
    return `${this.subject} is not found on this machine (fine if the config is deployed elsewhere).`;
  }
}

/** A finding of an earlier version at its place in this one. */
function moveFinding(f: FileFinding, at: (r: Range) => Range): FileFinding {
  if (f instanceof AbsentFinding) return f.moved(at(f.range));
  return { ...f, range: at(f.range), ...(f.related ? { related: f.related.map((r) => ({ ...r, range: at(r.range) })) } : {}) };
}

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

/**
 * A config that names many absolute paths none of which are here was written for another machine (edited on a
 * laptop, deployed on the server). One note per path would bury the config's real problems under thousands of
 * identical ones, so past ABSENT_LISTED the first absent path carries a note for all of them (the next few as
 * related locations); `strict` still reports each path.
 */
function summariseAbsent(findings: readonly FileFinding[]): readonly FileFinding[] {
  // Paths, not mentions: hosts often share one certificate, written once per host.
  const firstMention = new Map<string, FileFinding>();
  for (const f of findings) if (f.absent && !firstMention.has(f.absent.path)) firstMention.set(f.absent.path, f);
  if (firstMention.size <= ABSENT_LISTED) return findings;
  const [first, ...others] = firstMention.values();
  const summary: FileFinding = {
    rule: first!.rule,
    range: first!.range,
    severity: first!.severity,
    message: `${first!.absent!.subject} is not found on this machine, nor are ${others.length.toLocaleString('en-US')} other absolute paths this config names: it was probably written for another machine (fine if it is deployed there). With checkFiles set to strict each one is reported.`,
    related: others.slice(0, 5).map((f) => ({ range: f.range, message: 'also not on this machine' })),
  };
  return findings.flatMap((f) => (f === first ? [summary] : f.absent ? [] : [f]));
}

/** A `certificates` value that may hand LuaSec pairs (it walks the list with ipairs), or one computed at start-up. */
function namesPairs(v: LuaValue): boolean {
  if (v.kind !== 'table') return v.kind === 'expression';
  return v.items.some((e) => e.kind === 'table' || e.kind === 'expression') || getField(v, 1) !== undefined;
}

/** The directory a `cafile` names, as a `capath` would write it (no trailing slash). */
const asDirectory = (value: string): string => value.replace(/(.)[\\/]+$/, '$1');

/**
 * `cafile` naming a directory (the usual mix-up with capath). OpenSSL reads cafile as one file of certificates,
 * so LuaSec fails every context the table reaches (checked on Debian's 0.12.3: c2s, s2sin, s2sout, client_https).
 */
/**
 * An RSA key under 2048 bits. OpenSSL's security level 1 (its default up to 3.1) refuses keys under 1024 bits,
 * level 2 (Debian's and Ubuntu's builds, OpenSSL's own default from 3.2) under 2048: LuaSec then reports "ee key
 * too small" and Prosody builds no context (a reviewer checked 1024 bits with LuaSec 1.2 on Debian 12).
 */
function rsaWeakMessage(head: string, bits: number): string {
  const generate = 'Generate a key of 2048 bits or more (`openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:3072`) or an EC key, and a certificate for it.';
  return bits < 1024
    ? `${head}: OpenSSL refuses it at every default security level ("ee key too small"), so Prosody builds no TLS context with it. ${generate}`
    : `${head}: OpenSSL builds at security level 2 (Debian's and Ubuntu's, and OpenSSL's own default from 3.2) refuse it ("ee key too small"), so there Prosody builds no TLS context with it; elsewhere it is considered breakable. ${generate}`;
}

/** A key that fits a later certificate of the file: the server certificate is not first (a reviewer's reversed chain). */
function chainOutOfOrder(head: string): string {
  return `${head}: OpenSSL takes the first certificate of the file as the server's, so LuaSec fails with "private key does not match public key" and these connections get no TLS. Put the server certificate first and its intermediates after it, in issuing order (as Let's Encrypt's fullchain.pem is).`;
}

function cafileIsDirectory(config: ParsedConfig, ref: PathRef, line: ProsodyLine): string {
  const lost = sniLoss(config, ref);
  const effect = lost ? `LuaSec fails ("error loading CA locations (no certificate or crl found)"): ${lost}` : 'every TLS context built from this table fails ("error loading CA locations (no certificate or crl found)"), so those connections get no TLS';
  // A host's SNI context that takes its CA store from the port (13.0) has no use for one here.
  const instead = ref.tls && sniIgnored(ref.tls, 'cafile', line) ? `Remove it: on ${line} this host's context takes the port's CA certificates anyway.` : `For a directory of CA certificates write \`capath = ${JSON.stringify(asDirectory(ref.value))}\`; for a bundle name its file (on Debian \`cafile = "/etc/ssl/certs/ca-certificates.crt"\`).`;
  return `\`cafile\` ${JSON.stringify(ref.value)} names a directory, but OpenSSL reads cafile as one file of CA certificates: ${effect}. ${instead}`;
}

/**
 * `capath` naming a file: the context builds, but the value replaces Prosody's default capath (/etc/ssl/certs) and
 * OpenSSL finds no CA through a file there (checked: LuaSec 1.2 reports "certificate verify failed").
 */
function capathIsFile(ref: PathRef, line: ProsodyLine): string {
  const https = ref.section === 0 && ref.tls?.option === 'ssl' && line !== '0.9' ? ', and outgoing HTTPS requests fail verification' : '';
  return `\`capath\` ${JSON.stringify(ref.value)} names a file, but OpenSSL reads capath as a directory of hashed CA certificates. It replaces Prosody's default capath (/etc/ssl/certs), so no CA is trusted (unless a \`cafile\` names some): remote servers' certificates never verify, so certificate-based server-to-server authentication fails${https}. For a bundle file write \`cafile = ${JSON.stringify(ref.value)}\`; for the system store write \`capath = "/etc/ssl/certs"\` or leave capath out.`;
}

/**
 * What the clock says of a certificate, as a finding: `subject` names it ("The certificate", or the one the lookup
 * found), `place` is where a renewed one goes. Undefined while it is valid for more than EXPIRY_WARNING_DAYS.
 */
function expiryFinding(c: { validFrom: string; validTo: string }, v: ReturnType<ExpiryOf>, subject: string, place: string): { rule: string; message: string } | undefined {
  if (v.expired) return { rule: R.expired, message: `${subject} expired on ${dateOnly(c.validTo)} (${-v.daysLeft} days ago); clients will reject it. Renew it and ${place} (with certbot, \`prosodyctl cert import\` copies renewed certificates into Prosody's certificates directory).` };
  if (v.notYetValid) return { rule: R.expired, message: `${subject} is not valid until ${dateOnly(c.validFrom)}; until then clients reject it. Check the issuing machine's clock, or keep the previous certificate until that date.` };
  if (v.daysLeft < EXPIRY_WARNING_DAYS) return { rule: R.expiring, message: `${subject} expires on ${dateOnly(c.validTo)}, ${v.daysLeft < 1 ? 'in less than a day' : `in ${v.daysLeft} day${v.daysLeft === 1 ? '' : 's'}`}. Renew it before then; automated renewal (e.g. certbot) normally renews 30 days ahead, so check that it runs.` };
  return undefined;
}

/**
 * A certificate after the server's in the file (an intermediate) past its date; `file` names the file. OpenSSL sends
 * the file's chain with the server certificate, and clients that build their path through it refuse the chain.
 * Undefined when none has expired (the server certificate is expiryFinding's).
 */
function staleIntermediate(c: { chain: ReadonlyArray<{ validFrom: string; validTo: string; subjectCN?: string }> }, expiry: ExpiryOf, file: string): string | undefined {
  const k = c.chain.findIndex((x, i) => i > 0 && expiry(x).expired);
  if (k < 0) return undefined;
  const x = c.chain[k]!;
  const name = x.subjectCN !== undefined ? ` ${JSON.stringify(x.subjectCN)}` : '';
  return `${file} holds, after the server certificate, one that expired on ${dateOnly(x.validTo)}:${name} (certificate ${k + 1} of ${c.chain.length}). OpenSSL sends it along with the server certificate, and clients that build their path through it refuse the connection. Replace the file with the current chain from your CA (certbot writes it to fullchain.pem at every renewal), or take that certificate out of the file.`;
}

/** A path as one word of a shell command. */
function shellWord(p: string): string {
  return /^[\w@%+=:,./-]+$/.test(p) ? p : `'${p.replace(/'/g, "'\\''")}'`;
}

/** What a missing file does: a host's own direct-TLS table is an SNI context, which the port's own context backs. */
function missingEffect(config: ParsedConfig, ref: PathRef): string {
  const lost = sniLoss(config, ref);
  if (lost) return `${lost[0]!.toUpperCase()}${lost.slice(1)}. `;
  return MISSING_EFFECT[ref.role] ?? '';
}

/** What a file LuaSec loads (FILE_LABEL's roles) costs when it stops a host's SNI context from being built. */
function sniLoss(config: ParsedConfig, ref: PathRef): string | undefined {
  return ref.tls && labelOf(ref.role) ? sniContextLost(config, ref.tls) : undefined;
}

/** "… is for a, b, not for "host": …" of a certificate that does not cover a host; `subject` names it. */
function notForHost(c: NamedCert, host: string, subject: string, failing: readonly CertService[] = ['xmpp-client', 'xmpp-server'], services: readonly CertService[] = failing): string {
  const alt = [...c.dnsNames, ...(c.xmppAddrs ?? []).map((n) => `${n} (xmppAddr)`), ...(c.srvNames ?? [])];
  const names = alt.length ? alt : c.subjectCN ? [c.subjectCN] : [];
  const client = failing.includes('xmpp-client');
  const server = failing.includes('xmpp-server');
  // Named for one XMPP service only (an SRVName): say which side refuses it (a reviewer).
  const tail = failing.includes('https')
    ? 'browsers and other HTTPS clients refuse it.'
    : client && server
      ? 'clients refuse it and remote servers do not authenticate the domain.'
      : client
        ? `clients refuse it${services.includes('xmpp-server') ? ' (it names the host for server-to-server connections only)' : ''}.`
        : `remote servers do not authenticate the domain with it${services.includes('xmpp-client') ? ' (it names the host for client connections only)' : ''}.`;
  return `${subject} is for ${names.length ? names.join(', ') : '(no names)'}, not for ${JSON.stringify(host)}: ${tail}`;
}

/** What a missing file does, per role (facts §4.6 and §1.1; a reviewer: the message said neither why nor what to do). */
const MISSING_EFFECT: Partial<Record<PathRole, string>> = {
  certificate: 'LuaSec fails with "error loading certificate", so the connections this table serves get no TLS. ',
  key: 'LuaSec fails with "error loading private key", so the connections this table serves get no TLS. ',
  cafile: 'LuaSec fails with "error loading CA locations", so the connections this table serves get no TLS. ',
  dhparam: 'Prosody fails with "Could not open DH parameters", so the connections this table serves get no TLS. ',
  'host-certificate': 'Prosody finds no certificate for the host there. ',
  'service-certificate': 'Prosody finds no certificate for the service\'s port there. ',
  include: 'Prosody stops loading the config ("Error loading included …"), so it does not start. ',
};


/** What the files of each role are called in messages; these roles are read through the file cache. */
const FILE_LABEL = { certificate: 'Certificate file', key: 'Key file', dhparam: 'DH parameters file', cafile: 'CA file' } as const;
const labelOf = (role: PathRole): string | undefined => (FILE_LABEL as Partial<Record<PathRole, string>>)[role];

/**
 * Everything wrong with the files, before severity settings and suppressions. Never throws. `placed` is the
 * model's: its nodes may sit at a chunk's older offsets, so every range read from them goes through `at`.
 */
async function fileFindings(model: ConfigDocument, placed: PlacedConfig, paths: DocumentPaths, line: ProsodyLine, mode: CheckFilesMode, env: FileEnv, expiry: ExpiryOf): Promise<FileFinding[]> {
  const { config } = placed;
  const at = (r: Range, section: number): Range => {
    const d = placed.shift(section);
    return d === 0 ? r : [r[0] + d, r[1] + d];
  };
  const now = env.now ?? new Date();
  const auto = mode === 'auto';
  const out: FileFinding[] = [];
  // Paths in a table the line does not read (0.9's `c2s_ssl`, 0.11's `c2s_direct_tls_ssl`) are never loaded; nor
  // are those of a host Prosody never activates (`enabled = false`, as for Debian's stock example.com) unless an
  // enabled subdomain takes its tables (mod_tls reads the parent domain's `ssl` for a host without its own).
  // Paths this line reads: a table it reads (of a host that is not surely disabled), an option it knows (a reviewer:
  // `https_certificate` on 0.9, which reads no `<service>_certificate`, got a file-missing warning).
  const refs = collectPathRefs(model, paths).filter((r) => (r.option === undefined || optionOnLine(r.option, line)) && (!r.tls || (tableReadOn(config, r.tls, line) && !(r.tls.section > 0 && disabledHost(config, r.tls.section) && !childSections(config, r.tls.section).some((j) => !disabledHost(config, j))))));
  const add = (rule: string, range: Range, message: string, severity?: DiagnosticSeverity, related?: Finding['related']): void => {
    out.push({ rule, range, message, ...(severity !== undefined ? { severity } : {}), ...(related ? { related } : {}) });
  };

  /** Reports a failed read; true when the file was read. */
  const readOk = (ref: PathRef, r: ReadResult, what: string, restricted?: boolean): boolean => {
    if (r.kind === 'ok') return true;
    if (restricted) return false; // Restricted Mode: files outside the workspace are not looked at, and not reported
    const where = ref.relative ? `${JSON.stringify(ref.value)} (${ref.resolved})` : JSON.stringify(ref.value);
    if (r.kind === 'missing') {
      if (auto && !ref.relative) out.push(new AbsentFinding(ref, what));
      // An Include is resolved against the including file's folder, every other path against the main config's.
      else add(R.missing, ref.range, `${what} ${where} does not exist${ref.relative ? `; Prosody resolves ${ref.role === 'include' ? 'an Include' : 'relative paths'} against ${ref.role === 'include' ? paths.fileDir : paths.configDir}` : ''}. ${missingEffect(config, ref)}Correct the path, or put the file there.`);
    } else if (r.kind === 'denied') {
      add(R.unreadable, ref.range, `Cannot check ${lowerFirst(what)} ${where}: permission denied.`, auto ? DiagnosticSeverity.Information : undefined);
    } else if (r.kind === 'error') {
      add(R.unreadable, ref.range, `Cannot check ${lowerFirst(what)} ${where}: ${r.message}.`, auto ? DiagnosticSeverity.Information : undefined);
    } else if (ref.role === 'cafile' && r.kind === 'not-a-file' && r.what === 'directory') {
      add(R.invalid, ref.range, cafileIsDirectory(config, ref, line), DiagnosticSeverity.Error);
    } else {
      add(R.unreadable, ref.range, `${what} ${where} is ${describeRead(r, !ref.relative)}.`);
    }
    return false;
  };

  /** A key of a host's direct-TLS table that its SNI context takes from the port instead (sni-setting-ignored). */
  const unused = (ref: PathRef, key: string): boolean => ref.tls !== undefined && sniIgnored(ref.tls, key, line);

  // Included files are not read here, and one of them may set the certificate or key: checks that conclude
  // "none" say so, and only inform.
  const include = refs.find((r) => r.role === 'include');
  const includeRelated = include ? [{ range: include.range, message: 'an included file, not read by this check' }] : undefined;
  /** A path as messages show it: relative to the config directory when inside it. */
  const show = (p: string): string => (p.startsWith(paths.configDir + path.sep) ? path.relative(paths.configDir, p) : p);
  const includeNote = (what: string): string => (include ? ` This file also includes other files, which are not read here: if one of them ${what}, ignore this.` : '');
  // Sections by name, once: looking them up per host made the host checks quadratic (seconds at thousands of hosts).
  const hostSections = new Map<string, number[]>();
  const firstNamed = new Map<string, number>();
  config.sections.forEach((x, j) => {
    if (j === 0 || x.name === undefined) return;
    // By name as Prosody holds it: for the lookup's `certificate` option per (parent) domain, and one host however its
    // name is written (Prosody merges `Example.com` and `example.com`).
    const name = nameprepped(x.name);
    if (!firstNamed.has(name)) firstNamed.set(name, j);
    if (x.kind !== 'host') return;
    const list = hostSections.get(name);
    if (list) list.push(j);
    else hostSections.set(name, [j]);
  });
  const lookups = new Map<string, Promise<HostCertLookup>>();
  // One certificate-directory index per directory for the whole run (every host shares it), reused across runs
  // while the directory tree is unchanged (fileCache.certIndexes); and whether each directory exists.
  const indexes = new Map<string, Promise<CertIndex>>();
  const dirKinds = new Map<string, ReturnType<typeof statKind>>();
  const cancelled = env.cancelled ?? ((): boolean => false);
  let mainMemo: ReturnType<typeof mainConfigGlobals> | undefined;
  const mainGlobals = (): ReturnType<typeof mainConfigGlobals> => (mainMemo ??= mainConfigGlobals());
  // Key files and certificate references already checked against each other, so each pairing is reported once.
  const pairsChecked = new Set<string>();

  for (const ref of refs) {
    if (cancelled()) return out;
    // A file whose read failed a moment ago (a config written for another machine names thousands) is reported
    // from the cache's memory without the awaits of a read; what a failed read reports does not depend on the role.
    const label = env.trusted ? labelOf(ref.role) : undefined;
    const failed = label ? env.fileCache.recentFailure(ref.resolved) : undefined;
    if (label && failed) {
      readOk(ref, failed, label);
      continue;
    }
    try {
      switch (ref.role) {
        case 'certificate':
          await checkCertificate(ref, FILE_LABEL.certificate);
          break;
        case 'key':
          await checkKey(ref);
          break;
        case 'dhparam': {
          const r = await dhAt(ref.resolved, env);
          // A file Prosody cannot open costs the table its context; what the parameters are matters only where they
          // are used, which a host's SNI context on 13.0 does not (sni-setting-ignored).
          if (!readOk(ref, r.read, FILE_LABEL.dhparam, r.restricted) || !r.value || unused(ref, 'dhparam')) break;
          if (!r.value.ok) add(R.invalid, ref.range, `The DH parameters file holds no usable parameters: ${r.value.error}. Name a PEM file of DH parameters: \`openssl dhparam -out dh.pem 2048\` makes one, or use an RFC 7919 group such as ffdhe2048.`);
          // Prosody hands LuaSec the file's text, which it reads as PEM at the first DHE handshake (checked:
          // "no start line", the handshake fails; ECDHE suites still work).
          else if (r.value.der) add(R.invalid, ref.range, derMessage('DH parameters file', ': every DHE handshake fails ("no start line")', 'dhparam', 'dh'));
          // A reviewer's 0.12.3 run: Prosody starts, and every DHE handshake ends with "dh key too small".
          else if (r.value.primeBits < 2048) add(R.dhWeak, ref.range, `DH parameters of ${r.value.primeBits} bits are too weak (Logjam). OpenSSL builds at security level 2 (Debian's and Ubuntu's, and OpenSSL's own default from 3.2) refuse them: every DHE handshake fails ("dh key too small") and only ECDHE suites work; elsewhere they are considered breakable. Generate 2048 bits or more (\`openssl dhparam -out dh-2048.pem 2048\`), or use the RFC 7919 group ffdhe2048.`);
          break;
        }
        case 'cafile': {
          const r = await certAt(ref.resolved, env);
          if (!readOk(ref, r.read, FILE_LABEL.cafile, r.restricted) || !r.value) break;
          const lost = sniLoss(config, ref);
          if (!r.value.ok) add(R.invalid, ref.range, `The CA file holds no certificate (${r.value.error}); LuaSec fails with "error loading CA locations"${lost ? `: ${lost}` : ', so the contexts of this table get no TLS'}. Name a PEM file of CA certificates (on Debian \`/etc/ssl/certs/ca-certificates.crt\`), or a directory of them with \`capath\`.`);
          else if (r.value.der) add(R.invalid, ref.range, derMessage('CA file', ' ("error loading CA locations (no certificate or crl found)")', 'x509', 'ca'));
          break;
        }
        case 'include':
          if (!ref.glob && !ref.templated) {
            const r = await guardedRead(ref.resolved, env);
            if (r.kind !== 'ok' && r.kind !== 'too-large') readOk(ref, r, 'Included file', r === RESTRICTED);
          } else if (ref.glob && !ref.templated) {
            // A glob matching nothing is fine, but its folder must be there: Prosody lists it and stops loading the
            // config when it cannot (a reviewer's 0.12.3 run: "cannot open …/confd: No such file or directory").
            const dir = path.dirname(ref.resolved);
            const st = await statKind(dir);
            if (st === 'missing' || st === 'file') {
              const why = st === 'missing' ? 'does not exist' : 'is a file';
              add(R.missing, ref.range, `The folder this Include lists, ${show(dir)}, ${why}: Prosody cannot list it and stops loading the config, so it does not start. Create the folder, or correct the path${ref.relative ? ` (Prosody resolves it against ${paths.fileDir})` : ''}.`, auto && !ref.relative && st === 'missing' ? DiagnosticSeverity.Information : undefined);
            }
          }
          break;
        case 'host-certificate':
        case 'service-certificate': {
          // A file or a directory to look in; only a file can be inspected.
          const st = await statKind(ref.resolved);
          if (st === 'missing') readOk(ref, { kind: 'missing' }, 'Certificate path');
          else if (st === 'file') await checkCertificate(ref, FILE_LABEL.certificate);
          break;
        }
        case 'capath':
        case 'certificates-dir': {
          // A missing capath is not an error for LuaSec; a missing certificates dir shows up as host-no-certificate.
          const st = await statKind(ref.resolved);
          if (st === 'file' && ref.role === 'capath') {
            if (!unused(ref, 'capath')) add(R.invalid, ref.range, capathIsFile(ref, line), DiagnosticSeverity.Warning);
          }
          else if (st === 'file') add(R.unreadable, ref.range, `${JSON.stringify(ref.value)} is a file, but Prosody expects a directory here.`);
          break;
        }
      }
    } catch {
      // One odd file must not stop the others.
    }
  }
  await checkHostsWithoutCertificate();
  if (cancelled()) return out;
  await checkCertificateIndex();
  if (cancelled()) return out;
  await checkLayeredPairs();
  if (cancelled()) return out;
  await checkProsodyCanRead();
  if (cancelled()) return out;
  await checkDirectTlsHosts({ config, line, paths, auto, refs, env, hostSections, add, at, show, include, includeNote, includeRelated, cancelled, statKind, hostLookup, lookupIsOpaque, mainGlobals });
  return out;

  /**
   * Files this check read that the user Prosody runs as, `prosody`, cannot (files/readableAs.ts: asked only when the
   * checker runs as root, which reads everything). That is Debian's service user and prosodyctl's default. Not asked
   * where the user is not known from this file: `prosody_user`/`prosody_group` set (prosodyctl switches to them, a
   * systemd unit's User= does not; a reviewer), an Include or a split config (the main file may set them), or
   * `run_as_root`. Nor for a config that user cannot read itself: that one is a copy, not the config Prosody runs.
   */
  async function checkProsodyCanRead(): Promise<void> {
    const fsys = env.fs ?? nodeFileSystem;
    if (!env.trusted || !fsys.readableAs || paths.fileDir !== paths.configDir || include) return;
    if (['prosody_user', 'prosody_group', 'run_as_root'].some((n) => findSetting(config, 0, n))) return;
    const user = 'prosody';
    if ((await fsys.readableAs(paths.file, user)) !== 'yes') return;
    for (const ref of refs) {
      if (cancelled()) return;
      // The files LuaSec and Prosody load; one this check could not read is reported as such.
      const what = labelOf(ref.role);
      if (!what || (await env.fileCache.read(ref.resolved)).kind !== 'ok') continue;
      const answer = await fsys.readableAs(ref.resolved, user);
      if (answer === 'yes' || answer === 'unknown') continue;
      const file = shellWord(ref.resolved);
      const stop = answer === 'no'
        ? `The file itself is closed to that user: let it read the file, e.g. \`chgrp ${user} ${file} && chmod g+r ${file}\``
        : `The folder ${JSON.stringify(answer.slice(4))} does not let that user through: give it search (x) permission for the user, e.g. \`chgrp ${user} ${shellWord(answer.slice(4))} && chmod g+x ${shellWord(answer.slice(4))}\``;
      add(R.unreadable, ref.range, `${what} ${JSON.stringify(ref.value)} is readable here, but not by the user Prosody runs as, "${user}" (checked as that user): ${missingEffect(config, ref)}${stop}. Or copy the certificates into Prosody's certificates directory with \`prosodyctl --root cert import <their folder>\` and remove this path, so that Prosody finds them there.`);
    }
  }

  /** The server certificate's dates (expiryFinding), else an intermediate's (staleIntermediate, a Warning). */
  function addExpiry(c: CertificateInfo, range: Range, subject: string, file: string, place: string): void {
    const when = expiryFinding(c, expiry(c), subject, place);
    const stale = when ? undefined : staleIntermediate(c, expiry, file);
    if (when) add(when.rule, range, when.message);
    else if (stale) add(R.expired, range, stale, DiagnosticSeverity.Warning);
  }

  async function statKind(p: string): Promise<'file' | 'directory' | 'missing' | 'other'> {
    try {
      const k = (await env.fileCache.stat(p)).kind;
      return k === 'file' || k === 'directory' ? k : 'other';
    } catch (e) {
      return (e as { code?: string }).code === 'ENOENT' ? 'missing' : 'other';
    }
  }

  async function checkCertificate(ref: PathRef, what: string): Promise<void> {
    const r = await certAt(ref.resolved, env);
    if (!readOk(ref, r.read, what, r.restricted) || !r.value) return;
    const c = r.value;
    if (!c.ok) {
      add(R.invalid, ref.range, `The certificate file holds no usable certificate: ${c.error}. LuaSec fails with "error loading certificate"; name the PEM file of the certificate (with its chain, e.g. Let's Encrypt's fullchain.pem) here.`);
      return;
    }
    if (c.der) {
      add(R.invalid, ref.range, derMessage('certificate file', ' ("error loading certificate (no start line)")', 'x509', 'cert'));
      return;
    }
    addExpiry(c, ref.range, 'The certificate', 'The file', 'name the new file here');
    const services = servicesOf(ref.tls?.option);
    for (const h of hostsUsing(config, ref, line)) {
      const failing = failingServices(c, h.name, services);
      if (!failing.length) continue;
      const header = at(config.sections[h.section]!.range, h.section);
      // An intermediate pasted first reads as the server's certificate: then the remedy is the order, not another certificate.
      const order = c.chainOrderOk ? '' : ' The certificates in the file are not in issuing order: if the server certificate is further down, put it first (OpenSSL serves the first one).';
      add(R.hostMismatch, ref.range, `${notForHost(c, h.name, 'The certificate', failing, services)}${order} Give ${JSON.stringify(h.name)} a certificate that names it (in its own ssl table), or get this one reissued with the name added.`, undefined, ref.section === h.section ? undefined : [{ range: header, message: `${h.name} uses this certificate` }]);
    }
    if (ref.tls && c.keyType === 'rsa' && (c.keyBits ?? 4096) < 2048 && !refs.some((k) => k.role === 'key' && k.tls?.table === ref.tls?.table)) {
      add(R.rsaWeak, ref.range, rsaWeakMessage(`The certificate's RSA key has ${c.keyBits} bits`, c.keyBits ?? 0), (c.keyBits ?? 0) < 1024 ? DiagnosticSeverity.Error : undefined);
    }
  }

  async function checkKey(ref: PathRef): Promise<void> {
    const r = await keyAt(ref.resolved, env);
    if (!readOk(ref, r.read, FILE_LABEL.key, r.restricted) || !r.value || r.read.kind !== 'ok') return;
    const k = r.value;
    if (!k.ok) {
      add(R.invalid, ref.range, `The key file holds no usable private key: ${k.error}. LuaSec fails with "error loading private key"; name the PEM file of the certificate's private key here.`);
      return;
    }
    if (k.format === 'der') {
      add(R.invalid, ref.range, derMessage('key file', ' ("error loading private key")', 'pkey', 'key'));
      return;
    }
    // The connections whose layers give the key its password: a key in `s2s_ssl` never sees a `c2s_ssl` one.
    const service = ref.tls && !ref.tls.contexts.includes('c2s') && ref.tls.contexts.includes('s2s') ? 's2s' : 'c2s';
    const own = passwordFor(config, ref, line, service);
    // None in this file: a host's key may take the main config's global `password` (an included file).
    const main = own.kind === 'none' && ref.tls && ref.tls.sub === undefined ? await mainGlobals() : undefined;
    const fromMain = service === 's2s' ? main?.s2sPassword : main?.password;
    const pw: PasswordValue = fromMain ?? own;
    const pwRelated = (message: string): Finding['related'] => (!fromMain && own.kind !== 'none' ? [{ range: at(own.field.range, own.section), message }] : undefined);
    if (k.encrypted) {
      if (pw.kind === 'none') {
        // The main config may set it for an included file's hosts; when it could not be read, only a note (a reviewer:
        // Debian's prosody.cfg.lua is root:prosody 640, so an admin's own user often cannot read it).
        const unread = main?.unread;
        add(R.keyNoPassword, ref.range, `The private key is encrypted, but no \`password\` is set for it; Prosody cannot load it ("error loading private key"), so the contexts of this table get no TLS. Write \`password = "…"\` next to the key, or store the key unencrypted (\`openssl pkey -in encrypted.key -out plain.key\`) readable only by Prosody.${unread ? ` (The main config ${unread}: its global tables may set the password, so this cannot be checked here.)` : ''}`, unread ? DiagnosticSeverity.Information : undefined);
        return;
      }
      // A key in an `ssl` table serves server-to-server connections too, whose layers skip `c2s_ssl`.
      const s2sMain = ref.tls?.sub === undefined ? (await mainGlobals()).s2sPassword : undefined;
      if (line !== '0.9' && ref.tls?.contexts.includes('s2s') && ref.tls.contexts.includes('c2s') && passwordFor(config, ref, line, 's2s').kind === 'none' && !s2sMain) {
        add(R.keyNoPassword, ref.range, 'The private key is encrypted, and its `password` is set only in `c2s_ssl`: server-to-server connections read `ssl` and `s2s_ssl`, get no password, and Prosody cannot load the key for them ("bad decrypt"). Put the `password` next to the key.', undefined, pwRelated('the password setting'));
      }
      if (pw.kind === 'unknown') return; // computed at start-up: nothing more can be checked
    }
    const info = k.encrypted && pw.kind === 'string' ? inspectKey(r.read.bytes, pw.value) : k;
    if (info.ok && info.encrypted && info.passwordAccepted === false) {
      add(R.keyWrongPassword, ref.range, `The \`password\` set for this key does not decrypt it (OpenSSL: bad decrypt), so Prosody cannot load the key. Set the passphrase the key was encrypted with (\`openssl pkey -in <key file> -noout\` asks for it and says whether it works).${fromMain ? ' (The password is the global one of the main config.)' : ''}`, undefined, pwRelated('the password setting'));
      return;
    }
    if (info.ok && info.keyType === 'rsa' && info.keyBits !== undefined && info.keyBits < 2048) {
      add(R.rsaWeak, ref.range, rsaWeakMessage(`The RSA key has ${info.keyBits} bits`, info.keyBits), info.keyBits < 1024 ? DiagnosticSeverity.Error : undefined);
    }
    const partner = partnerCertificate(config, ref, refs, line);
    if (!partner) return;
    pairsChecked.add(pairId(ref.resolved, partner));
    const cr = await guardedRead(partner.resolved, env);
    if (cr.kind !== 'ok') return; // reported on the certificate itself
    const m = keyMatchesCert(r.read.bytes, cr.bytes, pw.kind === 'string' ? pw.value : undefined);
    if (m.kind === 'mismatch' && m.later) {
      add(R.keyMismatch, ref.range, chainOutOfOrder(`This private key belongs to certificate ${m.later} in ${JSON.stringify(partner.value)}, not to the first`), undefined, [{ range: partner.range, message: 'the certificate file' }]);
    } else if (m.kind === 'mismatch') {
      add(R.keyMismatch, ref.range, `This private key does not belong to the certificate ${JSON.stringify(partner.value)}; LuaSec will fail with "private key does not match public key", and the contexts of this table get no TLS. Name the key the certificate was issued for (its public key, \`openssl pkey -pubout\`, equals the certificate's, \`openssl x509 -noout -pubkey\`).`, undefined, [{ range: partner.range, message: 'the certificate' }]);
    }
  }

  /**
   * Whether the automatic lookup for a host name starts from a computed value (`certificates = base .. "/certs"`,
   * a host's `certificate` option built from a variable): where it looks is only known when Prosody runs, so
   * neither "no certificate" nor the key it would find can be concluded.
   */
  function lookupIsOpaque(name: string): boolean {
    const computed = (v: LuaValue | undefined): boolean => v !== undefined && v.kind !== 'string' && v.kind !== 'nil';
    if (computed(findSetting(config, 0, 'certificates')?.value)) return true;
    return parentChain(nameprepped(name)).some((n) => computed(certificateOption(n)?.value));
  }

  /** The `certificate` option the lookup reads for a (nameprepped) domain: its section's, else the global one. */
  function certificateOption(n: string): Setting | undefined {
    const idx = firstNamed.get(n);
    return (idx !== undefined ? findSetting(config, idx, 'certificate') : undefined) ?? findSetting(config, 0, 'certificate');
  }

  /** Prosody's automatic certificate lookup for a host name (0.10+), once per name. */
  /**
   * How the lookup reads: its stats of candidate paths (a few per host, mostly absent, again on every keystroke) go
   * through the cache; the index walks with the file system itself (it decides for itself when to walk again).
   */
  function lookupEnv(): LookupEnv {
    const fs = env.fs ?? nodeFileSystem;
    const e: LookupEnv = { fs: { ...fs, stat: (p) => env.fileCache.stat(p) }, readFile: (p) => guardedRead(p, env), now, cancelled };
    e.index = (d) => {
      let idx = indexes.get(d);
      if (!idx) {
        // What the index may read depends on Restricted Mode and its folders: scans made under another policy are not reused.
        const policy = env.trusted ? 'trusted' : `restricted:${env.workspaceFolders.join('\0')}`;
        idx = env.fileCache.certIndexes.get(d, { ...e, fs }, policy);
        indexes.set(d, idx);
      }
      return idx;
    };
    return e;
  }

  function hostLookup(written: string): Promise<HostCertLookup> {
    // Prosody nameprepping the section name (0.10+, the lines with a lookup) is what the lookup's paths are built from.
    const name = nameprepped(written);
    let found = lookups.get(name);
    if (!found) {
      found = (async () => {
        const main = await mainGlobals();
        const certificates = findSetting(config, 0, 'certificates')?.value;
        const certsOption = certificates?.kind === 'string' ? certificates.value : main.certificates;
        const certificateFor = (n: string): unknown => {
          const v = certificateOption(n)?.value;
          return v?.kind === 'string' ? v.value : undefined;
        };
        const lookup = await findHostCert(name, { configDir: paths.configDir, version: line, certificates: certsOption, certificateFor }, lookupEnv());
        const dir = certificatesDir(paths.configDir, certsOption);
        let kind = dirKinds.get(dir);
        if (!kind) dirKinds.set(dir, (kind = statKind(dir)));
        // Not there (or a file where a directory belongs); a directory this user may not look at is not "missing".
        const k = await kind;
        return { lookup, dir, dirMissing: k === 'missing', dirIsFile: k === 'file' };
      })();
      lookups.set(name, found);
    }
    return found;
  }

  /** What the index left out and why (expired, no key beside it, a CRLF first line), a few of them: often the miss's cause. */
  function leftOut(skipped: CertIndex['skipped']): string {
    if (!skipped.length) return '';
    const shown = skipped.slice(0, 3).map((f) => `${show(f.file)} (${f.reason.startsWith('no key file ') ? `no key file ${show(f.reason.slice('no key file '.length))}` : f.reason})`);
    return `; it left out ${shown.join(', ')}${skipped.length > 3 ? ` and ${skipped.length - 3} more` : ''}`;
  }

  /**
   * Prosody 0.12 indexes the certificates directory whenever it builds a context (every start-up), whether or not a
   * host needs the lookup, and stops on a certificate-like file OpenSSL cannot load (CertIndex.fatal). Said at the
   * `certificates` option, else at the first section header. (13.0's index_certs was not checked.)
   */
  async function checkCertificateIndex(): Promise<void> {
    if (line !== '0.12' || !config.sections.some((x, j) => j > 0 && x.kind === 'host')) return;
    const main = await mainGlobals();
    const option = findSetting(config, 0, 'certificates');
    const certs = option?.value.kind === 'string' ? option.value.value : option ? undefined : main.certificates;
    if (option && certs === undefined) return; // computed
    const dir = certificatesDir(paths.configDir, certs);
    if ((await statKind(dir)) !== 'directory') return;
    const idx = await lookupEnv().index!(dir);
    const where = option ? at(option.value.range, 0) : at(config.sections.find((x, j) => j > 0 && x.kind === 'host')!.range, config.sections.findIndex((x, j) => j > 0 && x.kind === 'host'));
    for (const file of idx.fatal ?? []) {
      add(R.invalid, where, `${show(file)} in the certificates directory is read as a certificate (its name, its first line and the key beside it say so), but OpenSSL cannot load it: Prosody 0.12 indexes that directory at start-up and stops with "attempt to index a nil value (local 'cert')", so it does not start. Replace the file with a valid certificate, or move it out of the directory.`);
    }
  }

  async function checkHostsWithoutCertificate(): Promise<void> {
    const main = await mainGlobals();
    const noted = includeNote('names a certificate');
    for (let i = 1; i < config.sections.length; i++) {
      const sec = config.sections[i]!;
      if (sec.kind !== 'host' || !sec.name || !checkableName(sec)) continue;
      // A host written twice is one host (Prosody adds the second section's settings to the first): a
      // certificate in either counts, and it is reported once, at its first header.
      const same = hostSections.get(nameprepped(sec.name)) ?? [];
      if (same[0] !== i || same.some((j) => disabledHost(config, j) || opaqueLayer(config, j, line))) continue;
      if (same.some((j) => effectiveField(config, j, 'certificate', line)) || main.hasGlobalCertificate) continue;
      // LuaSec's `certificates` list (LuaSec 0.8+) replaces the single certificate and key when present. 0.12+ only
      // logs "SNI will be required" for a context without `certificate` and hands the list to LuaSec, which serves
      // every pair; 0.10/0.11 refuse such a context, and 0.9 passes only `certificate` and `key` on.
      const list = same.map((j) => effectiveFieldIn(config, j, 'certificates', line)).find((f) => f && namesPairs(f.field.value));
      if (list && (line === '0.12' || line === '13.0')) continue;
      if (line !== '0.9' && lookupIsOpaque(sec.name)) continue;
      if (cancelled()) return;
      const header = at(sec.range, i);
      const listRelated = list ? [...(includeRelated ?? []), { range: at(list.field.range, list.section), message: 'the certificates list in force' }] : includeRelated;
      if (line === '0.9') {
        const why = list
          ? 'Prosody 0.9 hands LuaSec only `certificate` and `key` from the ssl table, so the `certificates` list in force is ignored, and 0.9 does not look for certificates automatically. Set `certificate` and `key` (one of the pairs) in the ssl table.'
          : 'no ssl table in force names one, and Prosody 0.9 does not look for certificates automatically. Set `certificate` and `key` in an ssl table for the host (its own or the global one).';
        add(R.hostNoCert, header, `No certificate for ${JSON.stringify(sec.name)}: ${why}${noted}`, include ? DiagnosticSeverity.Information : undefined, listRelated);
        continue;
      }
      const { lookup, dir, dirMissing, dirIsFile } = await hostLookup(sec.name);
      if (lookup.found) {
        // Several certificates indexed under the name: Prosody's pick among them is not fixed (a reviewer saw it
        // change between runs), so none of them is "the one it finds".
        if (!lookup.found.indexHit?.alternatives.length) await checkFoundCertificate(sec.name, i, header, show(lookup.found.certificate), lookup.found.certificate, lookup.found.key);
        continue;
      }
      // Prosody also tries the base path itself as a file; when that base is the certificates directory the
      // attempt is meaningless to a reader, so it is left out of the list.
      const looked = lookup.tried
        .filter((t) => !(t.certificate === dir && t.key === dir))
        .map((t) => (t.certificate === t.key ? show(t.certificate) : `${show(t.certificate)} + ${path.basename(t.key)}`));
      const listed = looked.length > 6 ? [...looked.slice(0, 6), `… (${looked.length - 6} more)`] : looked;
      const index = lookup.index;
      // An index walk that stopped early (too many entries) may have missed the certificate: not a finding.
      const unfinished = index?.incomplete !== undefined;
      const indexNote = !index
        ? ''
        : dirIsFile // a reviewer's `certificates` named one certificate
          ? ` \`certificates\` names a file, ${show(dir)}, not a directory of certificates.`
          : index.error
            ? // A directory that is not there is said once, by the note below (auto) or here (strict).
              dirMissing
              ? auto ? '' : ` The certificates directory ${show(dir)}/ does not exist.`
              : ` The index of ${show(dir)}/ could not be listed.`
            : unfinished
              ? ` The index of ${show(dir)}/ was not finished (${index.incomplete}), so this cannot be checked here; ${index.certs.length} usable certificate${index.certs.length === 1 ? '' : 's'} seen so far, none for this name. Point \`certificates\` at the directory that holds the certificates.`
              : ` The index of ${show(dir)}/ holds ${index.certs.length} usable certificate${index.certs.length === 1 ? '' : 's'}, none for this name${leftOut(index.skipped)}.`;
      const note = main.unread !== undefined
        ? ` (The main config ${main.unread}: its global tables may name a certificate for every host, and its \`certificates\` may point the lookup elsewhere, so this cannot be checked here.)`
        : dirMissing && auto
          ? ` (The certificates directory ${dir} is not on this machine, so this cannot be checked here.)`
          : lookup.denied !== undefined
            ? ` (This user may not look at ${show(lookup.denied)}; Prosody, running as another user, may find the pair there, so this cannot be checked here.)`
            : '';
      add(
        R.hostNoCert,
        header,
        list
          ? `No certificate for ${JSON.stringify(sec.name)} that Prosody ${line} accepts: it refuses a server context without a single \`key\` and \`certificate\` ("No key present …", or with a key "No certificate present in SSL/TLS configuration for ${sec.name}"), even with LuaSec's \`certificates\` list in force, and its automatic lookup finds none. Looked at: ${listed.join('; ')}.${indexNote}${note} Also set \`certificate\` and \`key\` (one of the pairs) in the table with the list: LuaSec still serves every pair in \`certificates\`.${noted}`
          : `No certificate for ${JSON.stringify(sec.name)}: no ssl table in force names one, and Prosody's automatic lookup finds none. Looked at: ${listed.join('; ')}.${indexNote}${note} Set \`certificate\` and \`key\` in an ssl table for the host, or put the pair at one of the paths looked at.${noted}`,
        // A certificates directory this user cannot list (Debian's is root:prosody 750) may hold the certificate.
        main.unread !== undefined || (dirMissing && auto) || (auto && index?.error !== undefined && !dirIsFile) || unfinished || lookup.denied !== undefined || include ? DiagnosticSeverity.Information : undefined,
        listRelated,
      );
    }
  }

  /**
   * The certificate the automatic lookup found for a host that names none (a reviewer: `prosodyctl cert import` is
   * the usual 0.12/13.0 setup, and only the paths written in the config were checked). The index leaves expired
   * certificates out, as Prosody's does; the by-name fallback does not, and Prosody serves what it finds there.
   */
  async function checkFoundCertificate(host: string, section: number, header: Range, shown: string, file: string, keyFile: string): Promise<void> {
    // A file the config names (a host's `certificate` option) is checked where it is named.
    if (refs.some((r) => r.resolved === file)) return;
    const c = (await certAt(file, env)).value;
    if (!c?.ok || c.der) return; // reported, if at all, where the file is named
    const what = `The certificate Prosody finds for ${JSON.stringify(host)} automatically, ${JSON.stringify(shown)},`;
    addExpiry(c, header, what, `The file Prosody finds for ${JSON.stringify(host)} automatically, ${JSON.stringify(shown)},`, 'put the new pair in its place');
    const failing = failingServices(c, host, ['xmpp-client', 'xmpp-server']);
    if (failing.length) add(R.hostMismatch, header, `${notForHost(c, host, what, failing, ['xmpp-client', 'xmpp-server'])} Put a certificate that names ${JSON.stringify(host)} where Prosody looks (\`prosodyctl cert import\`), or set \`certificate\` and \`key\` in the host's ssl table.`);
    if (c.keyType === 'rsa' && c.keyBits !== undefined && c.keyBits < 2048) {
      add(R.rsaWeak, header, rsaWeakMessage(`${what} has an RSA key of ${c.keyBits} bits`, c.keyBits), c.keyBits < 1024 ? DiagnosticSeverity.Error : undefined);
    }
    await checkFoundKey(host, section, header, file, keyFile);
  }

  /**
   * The key the lookup pairs with the certificate it found (a reviewer: a mismatched, encrypted or broken key there
   * stopped the host's TLS with nothing said, as these files are named nowhere). Not when a table in force (or the
   * main config's) sets a key: that one replaces the found key, and is checked where it is written.
   */
  async function checkFoundKey(host: string, section: number, header: Range, certFile: string, keyFile: string): Promise<void> {
    if (refs.some((r) => r.resolved === keyFile) || effectiveFieldIn(config, section, 'key', line)) return;
    const main = await mainGlobals();
    if (main.key !== undefined) return;
    const r = await keyAt(keyFile, env);
    if (!r.value || r.read.kind !== 'ok') return; // not readable by this user: Prosody's may be
    const k = r.value;
    const what = `The key Prosody pairs with the certificate it finds for ${JSON.stringify(host)}, ${JSON.stringify(show(keyFile))},`;
    if (!k.ok) return add(R.invalid, header, `${what} holds no usable private key (${k.error}): LuaSec fails with "error loading private key", so the host gets no TLS. Put the certificate's private key there, in PEM.`);
    if (k.format === 'der') return add(R.invalid, header, `${what} is binary DER, but LuaSec loads PEM only ("error loading private key"), so the host gets no TLS. Convert it: \`openssl pkey -inform DER -in key.der -out key.pem\`, and put the .pem file there.`);
    const own = effectiveFieldIn(config, section, 'password', line)?.field.value;
    const pw: PasswordValue = own !== undefined ? passwordValue(own) : (main.password ?? { kind: 'none' });
    if (k.encrypted && pw.kind === 'none') {
      return add(R.keyNoPassword, header, `${what} is encrypted, and no \`password\` is set for it: Prosody cannot load it ("error loading private key"), so the host gets no TLS. Set \`password = "…"\` in the host's ssl table (or the global one), or store the key unencrypted (\`openssl pkey -in encrypted.key -out plain.key\`) readable only by Prosody.`, main.unread ? DiagnosticSeverity.Information : undefined);
    }
    if (pw.kind === 'unknown') return; // computed at start-up
    const info = k.encrypted && pw.kind === 'string' ? inspectKey(r.read.bytes, pw.value) : k;
    if (info.ok && info.encrypted && info.passwordAccepted === false) {
      return add(R.keyWrongPassword, header, `${what} is encrypted, and the \`password\` in force does not decrypt it (OpenSSL: bad decrypt), so Prosody cannot load it. Set the passphrase the key was encrypted with.`);
    }
    const cr = await guardedRead(certFile, env);
    if (cr.kind !== 'ok') return;
    const m = keyMatchesCert(r.read.bytes, cr.bytes, pw.kind === 'string' ? pw.value : undefined);
    if (m.kind === 'mismatch' && m.later) {
      add(R.keyMismatch, header, chainOutOfOrder(`${what} belongs to certificate ${m.later} in ${JSON.stringify(show(certFile))}, not to the first`));
    } else if (m.kind === 'mismatch') {
      add(R.keyMismatch, header, `${what} does not belong to that certificate: LuaSec fails with "private key does not match public key", so the host gets no TLS. Put the certificate's own key there (its public key, \`openssl pkey -pubout\`, equals the certificate's, \`openssl x509 -noout -pubkey\`).`);
    }
  }

  /**
   * 0.10+ layers the tables in force key by key over what the automatic lookup found (facts §1.2), so a host's
   * certificate may meet a key from another table, or the lookup's key, or none at all ("No key present in
   * SSL/TLS configuration for <host>": no context). checkKey pairs a key with its own table's certificate; the
   * pairs it did not see are checked here.
   */
  async function checkLayeredPairs(): Promise<void> {
    if (line === '0.9') return;
    const keyless = new Map<PathRef, { hosts: string[]; unsure: boolean; table: string }>();
    for (const [name, sections] of hostSections) {
      // A host written twice merges its sections in ways not modelled here (a second `ssl` replaces the first).
      const i = sections[0]!;
      if (sections.length > 1 || !checkableName(config.sections[i]!) || disabledHost(config, i) || opaqueLayer(config, i, line)) continue;
      const cert = effectiveFieldIn(config, i, 'certificate', line);
      const certRef = cert && refOf(refs, 'certificate', cert.field.value);
      if (!cert || !certRef) continue;
      const key = effectiveFieldIn(config, i, 'key', line);
      if (key) {
        const keyRef = refOf(refs, 'key', key.field.value);
        if (keyRef) await checkPair(keyRef.resolved, passwordFor(config, keyRef, line), certRef, name, [{ range: keyRef.range, message: `the key in force for ${name}` }]);
        continue;
      }
      // An included file: the main config's global key is in force for the host (computed: nothing to check).
      const main = await mainGlobals();
      if (main.key !== undefined) {
        const own = effectiveFieldIn(config, i, 'password', line)?.field.value;
        const pw: PasswordValue = own === undefined ? (main.password ?? { kind: 'none' }) : passwordValue(own);
        if (main.key !== null) await checkPair(main.key, pw, certRef, name, undefined, undefined, `the key the main config's global tables set (${show(main.key)})`);
        continue;
      }
      if (cancelled()) return;
      if (lookupIsOpaque(name)) continue;
      const { lookup, dirMissing } = await hostLookup(name);
      if (lookup.found) {
        await checkPair(lookup.found.key, { kind: 'none' }, certRef, name, undefined, lookup.found.key);
        continue;
      }
      const entry = keyless.get(certRef) ?? { hosts: [], unsure: false, table: cert.table };
      entry.hosts.push(name);
      entry.unsure ||= (dirMissing && auto) || (auto && lookup.index?.error !== undefined) || lookup.index?.incomplete !== undefined || lookup.denied !== undefined;
      keyless.set(certRef, entry);
    }
    for (const [certRef, { hosts, unsure, table }] of keyless) {
      // From an `ssl` table the certificate serves incoming server connections too (their layers skip c2s_ssl).
      const lost = table === 'ssl' ? 'no TLS for client connections, nor for incoming server connections unless an `s2s_ssl` sets a key' : 'no TLS for client connections';
      const named = hosts.length > 3 ? `${hosts.slice(0, 3).map((h) => JSON.stringify(h)).join(', ')} and ${hosts.length - 3} more` : hosts.map((h) => JSON.stringify(h)).join(', ');
      const notes = `${unsure ? ' (The certificates directory is not on this machine, cannot be listed by this user, or is too large to index here, so the automatic lookup could not be checked here.)' : ''}${includeNote('sets the key')}`;
      add(
        R.certNoKey,
        certRef.range,
        `This certificate is in force for ${named}, but no table in force names a \`key\` and Prosody's automatic lookup finds none: Prosody refuses the context ("No key present in SSL/TLS configuration for ${hosts[0]}"), so ${hosts.length > 1 ? 'these hosts get' : 'the host gets'} ${lost}. Write \`key = "…"\` next to the certificate.${notes}`,
        unsure || include ? DiagnosticSeverity.Information : undefined,
        includeRelated,
      );
    }
  }

  /** A key and certificate that meet only through layering (or the lookup): reported on the certificate. */
  async function checkPair(keyPath: string, pw: PasswordValue, certRef: PathRef, host: string, related?: Finding['related'], found?: string, via?: string): Promise<void> {
    const id = pairId(keyPath, certRef);
    if (pairsChecked.has(id)) return;
    pairsChecked.add(id);
    if (pw.kind === 'unknown') return;
    const [kr, cr] = [await guardedRead(keyPath, env), await guardedRead(certRef.resolved, env)];
    if (kr.kind !== 'ok' || cr.kind !== 'ok') return; // reported on the files themselves
    const m = keyMatchesCert(kr.bytes, cr.bytes, pw.kind === 'string' ? pw.value : undefined);
    if (m.kind !== 'mismatch') return;
    if (m.later) return add(R.keyMismatch, certRef.range, chainOutOfOrder(`For ${JSON.stringify(host)} the key in force belongs to certificate ${m.later} in this file, not to the first`), undefined, related);
    const whose = via ?? (found ? `the key Prosody's automatic lookup found for it (${found})` : 'the key in force for it, which another table sets');
    add(R.keyMismatch, certRef.range, `For ${JSON.stringify(host)} this certificate is paired with ${whose}, and that key does not belong to it: LuaSec fails with "private key does not match public key", so the host gets no TLS for client connections (nor for server connections where the same pair is in force). Set the matching \`key\` in the same table as the certificate.`, undefined, related);
  }

  /**
   * For an included file: the global `certificates` and whether a global ssl certificate is set in the main config,
   * and the main config itself (its global section holds the ports and the port's tables). Also the `key` and
   * `password` its global tables give the hosts of this file: Prosody loads an included file into the main config,
   * so a host's certificate pairs with the main file's global key (a reviewer's 0.12.3 runs) — unless this file
   * sets that global table again, which replaces the main file's.
   */
  async function mainConfigGlobals(): Promise<MainGlobals> {
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
      config: main,
      key: key === undefined ? undefined : key.kind === 'string' ? resolveRelativePath(paths.configDir, key.value) : null,
      password: pw(inForce('password')),
      s2sPassword: pw(inForce('password', 's2s')),
    };
  }
}
