// The sentences the file checks share: what a failing file costs, and how to fix it.
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { usualOpensslBefore, usualOpensslSaid, type ProsodyLine } from '../catalog/versions';
import { matchCertName, type CertificateInfo, type CertService, type NamedCert } from '../files';
import type { ExpiryOf } from '../incrementalFileChecks';
import { cnNamesHost, dateOnly, EXPIRY_WARNING_DAYS } from '../fileFacts';
import type { PathRef, PathRole } from '../fileRefs';
import type { ParsedConfig } from '../model/parse';
import { FILE_RULE_IDS as R } from '../rules/files';
import { sniContextLost, sniIgnored } from '../rules/helpers';

/**
 * A file in binary DER where LuaSec takes PEM only: what fails (`failure` brings its own lead-in), and the openssl
 * command that converts it. DH parameters are read at the first DHE handshake, the others loaded with the context.
 */
export function derMessage(what: string, failure: string, command: 'x509' | 'pkey' | 'dhparam', stem: string): string {
  return `The ${what} is binary DER, but LuaSec ${command === 'dhparam' ? 'reads' : 'loads'} PEM only${failure}. Convert it: \`openssl ${command} -inform DER -in ${stem}.der -out ${stem}.pem\`, and name the .pem file here.`;
}

/** The directory a `cafile` names, as a `capath` would write it (no trailing slash). */
const asDirectory = (value: string): string => value.replace(/(.)[\\/]+$/, '$1');

/**
 * An RSA key under 2048 bits. OpenSSL's security level 1 (its default up to 3.1) refuses keys under 1024 bits,
 * level 2 (Debian's and Ubuntu's builds, OpenSSL's own default from 3.2) under 2048: LuaSec then reports "ee key
 * too small" and Prosody builds no context (a reviewer checked 1024 bits with LuaSec 1.2 on Debian 12).
 */
// (A lower @SECLEVEL in the ciphers does not help: review 141's real 0.12.3 and 13.0.1 refused an RSA-1024 certificate
// under `@SECLEVEL=1`, which LuaSec sets after loading it.)
export function rsaWeakMessage(head: string, bits: number): string {
  const generate = 'Generate a key of 2048 bits or more (`openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:3072`) or an EC key, and a certificate for it.';
  return bits < 1024
    ? `${head}: OpenSSL refuses it at every default security level ("ee key too small"), so Prosody builds no TLS context with it. ${generate}`
    : `${head}: OpenSSL builds at security level 2 (Debian's and Ubuntu's, and OpenSSL's own default from 3.2) refuse it ("ee key too small"), so there Prosody builds no TLS context with it; elsewhere it is considered breakable. A lower \`@SECLEVEL\` in \`ciphers\` does not help: LuaSec loads the certificate before it sets the ciphers. ${generate}`;
}

/** The line's usual OpenSSL predates the refusal of this hash (SHA-1 from 3.0, MD5 from 1.1.0): a Warning there. */
export function weakHashLoadsOn(hash: string, line: ProsodyLine): boolean {
  return usualOpensslBefore(line, hash === 'SHA-1' ? '3.0' : '1.1.0');
}

/**
 * A certificate the file sends (the server's, or a CA certificate after it) signed with a hash OpenSSL counts as
 * broken (a self-signed one is exempt), with the finding's severity on the line. Checked here with Debian's LuaSec:
 * OpenSSL 3.0 refused SHA-1 and MD5 at load (SSL_R_CA_MD_TOO_WEAK) at every `@SECLEVEL` the ciphers set; 1.1.1 refused
 * both at Debian's level 2 and MD5 alone at level 1; Debian 13's 3.5 loaded both, and its clients, like 3.0's, then
 * refused the chain (verify code 68). An Error where the line's usual OpenSSL refuses it at load.
 */
export function weakSignatureFinding(c: CertificateInfo, line: ProsodyLine): { message: string; severity: DiagnosticSeverity } | undefined {
  const k = c.chain.findIndex((x) => x.weakSignature !== undefined && !x.selfSigned);
  if (k < 0) return undefined;
  const x = c.chain[k]!;
  const hash = x.weakSignature!;
  const sha1 = hash === 'SHA-1';
  const who = k === 0 ? 'This certificate is' : `The CA certificate after it in the file, ${x.subjectCN !== undefined ? JSON.stringify(x.subjectCN) : `certificate ${k + 1}`}, is`;
  // OpenSSL's 2026 change (PR 31271, in 3.5.9) dropped the load-time check; 3.0.22 (Debian 12's) still refuses.
  const refusing = sha1 ? 'OpenSSL 3.0 and later, up to the releases that carry its 2026 change (Debian 12\'s 3.0.22 among them), refuse to load it at every security level above 0, and so do Debian\'s and Ubuntu\'s 1.1.x builds, at level 2' : 'OpenSSL from 1.1.0, up to the releases that carry its 2026 change (Debian 12\'s 3.0.22 among them), refuses to load it at every security level above 0';
  const old = weakHashLoadsOn(hash, line);
  const then = old ? ` (${usualOpensslSaid(line)}, may still load it)` : '';
  return {
    message: `${who} signed with ${hash}, a hash OpenSSL counts as broken. ${refusing}: LuaSec fails with "error loading certificate (ca md too weak)", so Prosody builds no TLS context with this file${then}. Later ones (Debian 13's 3.5.9) load it, but clients and servers that verify it refuse it ("CA signature digest algorithm too weak"), so it is broken either way. A lower \`@SECLEVEL\` in \`ciphers\` does not help: LuaSec loads the certificate before it sets the ciphers. Have ${k === 0 ? 'it' : 'the chain'} reissued with SHA-256${k === 0 ? ' (`-sha256` when you sign it yourself)' : ''}.`,
    severity: old ? DiagnosticSeverity.Warning : DiagnosticSeverity.Error,
  };
}

/** A key that fits a later certificate of the file: the server certificate is not first (a reviewer's reversed chain). */
export function chainOutOfOrder(head: string): string {
  return `${head}: OpenSSL takes the first certificate of the file as the server's, so LuaSec fails with "private key does not match public key" and these connections get no TLS. Put the server certificate first and its intermediates after it, in issuing order (as Let's Encrypt's fullchain.pem is).`;
}

/**
 * `cafile` naming a directory (the usual mix-up with capath). OpenSSL reads cafile as one file of certificates,
 * so LuaSec fails every context the table reaches (checked on Debian's 0.12.3: c2s, s2sin, s2sout, client_https).
 */
export function cafileIsDirectory(config: ParsedConfig, ref: PathRef, line: ProsodyLine): string {
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
export function capathIsFile(ref: PathRef, line: ProsodyLine): string {
  const https = ref.section === 0 && ref.tls?.option === 'ssl' && line !== '0.9' ? ', and outgoing HTTPS requests fail verification' : '';
  return `\`capath\` ${JSON.stringify(ref.value)} names a file, but OpenSSL reads capath as a directory of hashed CA certificates. It replaces Prosody's default capath (/etc/ssl/certs), so no CA is trusted (unless a \`cafile\` names some): remote servers' certificates never verify, so certificate-based server-to-server authentication fails${https}. For a bundle file write \`cafile = ${JSON.stringify(ref.value)}\`; for the system store write \`capath = "/etc/ssl/certs"\` or leave capath out.`;
}

/**
 * What the clock says of a certificate, as a finding: `subject` names it ("The certificate", or the one the lookup
 * found), `place` is where a renewed one goes. Undefined while it is valid for more than EXPIRY_WARNING_DAYS.
 */
export function expiryFinding(c: { validFrom: string; validTo: string }, v: ReturnType<ExpiryOf>, subject: string, place: string): { rule: string; message: string } | undefined {
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
export function staleIntermediate(c: { chain: ReadonlyArray<{ validFrom: string; validTo: string; subjectCN?: string }> }, expiry: ExpiryOf, file: string): string | undefined {
  const k = c.chain.findIndex((x, i) => i > 0 && expiry(x).expired);
  if (k < 0) return undefined;
  const x = c.chain[k]!;
  const name = x.subjectCN !== undefined ? ` ${JSON.stringify(x.subjectCN)}` : '';
  return `${file} holds, after the server certificate, one that expired on ${dateOnly(x.validTo)}:${name} (certificate ${k + 1} of ${c.chain.length}). OpenSSL sends it along with the server certificate, and clients that build their path through it refuse the connection. Replace the file with the current chain from your CA (certbot writes it to fullchain.pem at every renewal), or take that certificate out of the file.`;
}

/** A path as one word of a shell command. */
export function shellWord(p: string): string {
  return /^[\w@%+=:,./-]+$/.test(p) ? p : `'${p.replace(/'/g, "'\\''")}'`;
}

/** What a missing file does: a host's own direct-TLS table is an SNI context, which the port's own context backs. */
export function missingEffect(config: ParsedConfig, ref: PathRef): string {
  const lost = sniLoss(config, ref);
  if (lost) return `${lost[0]!.toUpperCase()}${lost.slice(1)}. `;
  return MISSING_EFFECT[ref.role] ?? '';
}

/** What a file LuaSec loads (FILE_LABEL's roles) costs when it stops a host's SNI context from being built. */
export function sniLoss(config: ParsedConfig, ref: PathRef): string | undefined {
  return ref.tls && labelOf(ref.role) ? sniContextLost(config, ref.tls) : undefined;
}

/** "… is for a, b, not for "host": …" of a certificate that does not cover a host; `subject` names it. */
export function notForHost(c: NamedCert, host: string, subject: string, failing: readonly CertService[] = ['xmpp-client', 'xmpp-server'], services: readonly CertService[] = failing, line?: ProsodyLine): string {
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
  // A CN naming the host where the line reads subjectAltNames alone (a reviewer's 13.0.1: check certs says "Not valid").
  if (!alt.length && line !== undefined && !cnNamesHost(line) && c.subjectCN && matchCertName(c, host)) {
    return `${subject} names ${JSON.stringify(host)} only in its subject's CN, with no subjectAltName: Prosody from 13.0 takes a certificate's names from the subjectAltName alone (RFC 9525; \`prosodyctl check certs\` here says "Not valid"), so remote servers running 13.0 do not authenticate the domain with it, nor do clients that ignore the CN.`;
  }
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
export const FILE_LABEL = { certificate: 'Certificate file', key: 'Key file', dhparam: 'DH parameters file', cafile: 'CA file' } as const;
export const labelOf = (role: PathRole): string | undefined => (FILE_LABEL as Partial<Record<PathRole, string>>)[role];
