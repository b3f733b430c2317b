// File rules: problems with the certificate, key and DH-parameter files a config names. Reading files is async,
// so these rows carry no synchronous check; fileChecks/ produces their findings. The rows are here so the
// rule reference, the severity settings and suppression comments treat them like every other rule.
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import type { Rule } from './types';
import { getNetService } from '../catalog';

const HTTPS = getNetService('https')!;

const none = (): [] => [];

export const FILE_RULE_IDS = {
  missing: 'file-missing',
  unreadable: 'file-unreadable',
  invalid: 'file-content-invalid',
  expired: 'cert-expired',
  expiring: 'cert-expiring',
  hostMismatch: 'cert-host-mismatch',
  keyMismatch: 'key-cert-mismatch',
  keyNoPassword: 'key-encrypted-no-password',
  keyWrongPassword: 'key-password-wrong',
  rsaWeak: 'key-rsa-weak',
  weakSignature: 'cert-weak-signature',
  keyBelowLevel: 'key-below-seclevel',
  suitesForKey: 'ciphers-need-other-key',
  dhWeak: 'dhparam-weak',
  hostNoCert: 'host-no-certificate',
  certNoKey: 'certificate-without-key',
  directTlsCert: 'direct-tls-host-certificate',
  notRead: 'certificate-option-unread',
} as const;

/** More absolute paths absent in `auto` mode than this and one note covers them all (fileChecks/findings.ts). */
export const ABSENT_LISTED = 10;

const CHECK_FILES = 'With `prosodySsl.checkFiles` set to `auto` (the default)';

export const fileRules: readonly Rule[] = [
  {
    id: FILE_RULE_IDS.missing,
    category: 'files',
    severity: DiagnosticSeverity.Warning,
    title: 'A certificate, key, DH-parameter or CA path names no file',
    description: `Prosody resolves relative paths against the directory of the main config file (for a file in \`conf.d/\` or \`conf.avail/\`, the folder above it when it holds \`prosody.cfg.lua\`; for another file, the folder of a \`prosody.cfg.lua\` up to three folders above whose \`Include\` names it). ${CHECK_FILES} a missing absolute path is only noted as "not found on this machine", because configs are often edited away from the server they run on (unless the certificate or key of the same table is on this machine: then the config is deployed here, and it is a warning); when more than ${ABSENT_LISTED} absolute paths are absent, the first one carries a single note for all of them. A missing relative path is a warning, and so is one with a \`;\`, a \`,\` or spaces inside its quotes (copied with the field's separator: no machine has a file named so), which a quick fix takes out. \`strict\` warns for each path, \`off\` checks no files.`,
    check: none,
  },
  {
    id: FILE_RULE_IDS.unreadable,
    category: 'files',
    severity: DiagnosticSeverity.Warning,
    title: 'A named file could not be read',
    description: `The path exists but is not a readable regular file: a directory, device, FIFO, symlink loop, or a read that timed out. A file over 1 MB is more than the checker reads (Prosody reads it): only noted. ${CHECK_FILES} a permission-denied file is only noted ("cannot check"), since keys are usually readable by root or the prosody user only; \`strict\` warns. When the checker runs as root (which reads everything) on the machine Prosody runs on, it also asks, as the user \`prosody\` (Debian's service user and prosodyctl's default), whether that user can reach and read each certificate, key, CA and DH file the config names, and the pair the automatic lookup finds for a host that names none (reported on the host), and names the file or folder that stops it. Only for a main config that user can read itself (else it is a copy, not the config Prosody runs) and that does not set \`prosody_user\`, \`prosody_group\` or \`run_as_root\` nor Include other files (then the user is not known from it).`,
    check: none,
  },
  {
    id: FILE_RULE_IDS.invalid,
    category: 'files',
    severity: DiagnosticSeverity.Error,
    title: 'The file does not hold what the setting needs',
    description: 'A `certificate` file without a certificate, a `key` file without a private key (or an OpenSSH-format key), a `dhparam` file without DH parameters, or a `cafile` that names a directory. LuaSec refuses to build the TLS context from such a certificate, key or CA file; from such DH parameters it builds one, but every handshake that needs them (DHE suites) fails. A `capath` that names a file is a warning: the context builds, but the value replaces the default CA directory, so no CA is trusted and remote certificates never verify.',
    check: none,
  },
  {
    id: FILE_RULE_IDS.expired,
    category: 'files',
    severity: DiagnosticSeverity.Error,
    title: 'The certificate has expired (or is not valid yet)',
    description: 'Clients and remote servers reject an expired certificate. Renew it (for example with certbot, then `prosodyctl cert import`). Checked for every certificate the config names, and for the one Prosody\'s automatic lookup finds for a VirtualHost that names none (reported on its header): its index leaves expired certificates out, but the lookup by file name does not. A global `ssl` certificate that no connection here is served (every host writes its own over it, and no direct-TLS or HTTPS port listens) is only noted.',
    check: none,
  },
  {
    id: FILE_RULE_IDS.expiring,
    category: 'files',
    severity: DiagnosticSeverity.Warning,
    title: 'The certificate expires within 30 days',
    description: 'A reminder to renew before clients start rejecting the certificate. Automated renewals usually happen 30 days ahead, so a certificate this close to its end may mean renewal is not working.',
    check: none,
  },
  {
    id: FILE_RULE_IDS.hostMismatch,
    category: 'files',
    severity: DiagnosticSeverity.Warning,
    title: 'The certificate does not cover the host it is used for',
    description: 'None of the certificate\'s DNS names (or, when it has none, its subject CN) matches the VirtualHost or Component name. Clients will refuse the connection and remote servers will not authenticate the domain; each host is judged by the connections that take the certificate after layering (a Component takes no clients, and a host\'s `c2s_ssl` or `s2s_ssl` may give one kind another certificate). A certificate Prosody\'s automatic lookup finds for a VirtualHost (by file name, or from a parent domain) is checked too, on the host\'s header.',
    check: none,
  },
  {
    id: FILE_RULE_IDS.keyMismatch,
    category: 'files',
    severity: DiagnosticSeverity.Error,
    title: 'The private key does not belong to the certificate',
    description: 'LuaSec checks the pair when it builds the context and fails with "private key does not match public key"; the host gets no TLS. The pairs of LuaSec\'s `certificates` list (handed on from 0.12) are read too where their paths are absolute (Prosody does not resolve the list\'s paths; their expiry is checked as well). A host\'s key with no certificate in any table in force is checked against the certificate Prosody\'s automatic lookup finds, which it is layered over.',
    check: none,
  },
  {
    id: FILE_RULE_IDS.keyNoPassword,
    category: 'files',
    severity: DiagnosticSeverity.Error,
    title: 'The private key is encrypted but no `password` is set',
    description: 'Prosody cannot load a passphrase-protected key without a `password` in the TLS settings it builds the context from: the key\'s own table and the tables layered under it for those connections. A host\'s direct-TLS table (its SNI context) takes the port\'s instead: the global `<service>_ssl`, else the global `ssl` (on 0.12 its own too). Either set it or store the key unencrypted with permissions that keep it private.',
    check: none,
  },
  {
    id: FILE_RULE_IDS.keyWrongPassword,
    category: 'files',
    severity: DiagnosticSeverity.Error,
    title: 'The `password` does not decrypt the private key',
    description: 'OpenSSL reports "bad decrypt" and Prosody builds no context. The password itself is never shown.',
    check: none,
  },
  {
    id: FILE_RULE_IDS.rsaWeak,
    category: 'files',
    severity: DiagnosticSeverity.Warning,
    title: 'The RSA key is shorter than 2048 bits',
    description: 'RSA keys below 2048 bits are considered breakable. OpenSSL builds at security level 2 (Debian\'s and Ubuntu\'s, and OpenSSL\'s own default from 3.2) refuse them ("ee key too small"), so Prosody builds no TLS context there; under 1024 bits every default level refuses them, and the finding is an Error. Generate a new key of 2048 bits or more (or an EC key).',
    check: none,
  },
  {
    id: FILE_RULE_IDS.weakSignature,
    category: 'files',
    severity: DiagnosticSeverity.Error,
    title: 'The certificate, or a CA certificate the file sends, is signed with SHA-1 or MD5',
    description: 'OpenSSL counts the hash of a certificate\'s signature in its security level, for every certificate the server sends except a self-signed one. OpenSSL 3.0 and later, up to the releases that carry its 2026 change (Debian 12\'s 3.0.22 among them), refuse a SHA-1 or MD5 signature at every level above 0 when they load the certificate, as 1.1.x builds at level 2 (Debian\'s and Ubuntu\'s) do and every 1.1.x does for MD5: LuaSec fails with "error loading certificate (ca md too weak)" and Prosody builds no TLS context with it. Later ones (Debian 13\'s 3.5.9) load it, but clients and servers that verify it refuse the chain ("CA signature digest algorithm too weak"). All checked here with Debian\'s LuaSec on OpenSSL 1.1.1, 3.0 and 3.5. A self-signed certificate (its own issuer, whatever its key usage) is exempt. Also said on a `cafile` that supplies such an intermediate to a certificate file holding the server certificate alone (or on that certificate, when the CA file is a table\'s beneath it, such as the global `ssl`\'s): OpenSSL builds the chain from it at each handshake, where the same releases fail it ("ca md too weak", alert 80) although Prosody starts. A `@SECLEVEL=0` in `ciphers` does not help: LuaSec loads the certificate before it sets the ciphers. An Error where the line\'s usual OpenSSL refuses to load it (0.12 and 13.0; MD5 from 0.10), else a Warning. Have the certificate reissued with SHA-256.',
    check: none,
  },
  {
    id: FILE_RULE_IDS.keyBelowLevel,
    category: 'files',
    severity: DiagnosticSeverity.Warning,
    title: 'The certificate\'s key is weaker than the security level the ciphers set',
    description: 'OpenSSL asks a number of bits of security of the server\'s key at each level: 80 at level 1, 112 at 2, 128 at 3, 192 at 4 and 256 at 5. An RSA key of 2048 bits gives 112, of 3072 bits 128; an EC key half its size (P-256: 128). A `@SECLEVEL=3` or higher in the ciphers in force for a certificate whose key gives less does not stop Prosody from starting (LuaSec loads the certificate before it sets the ciphers), but every handshake then fails ("ee key too small" in Prosody\'s log; a reviewer\'s 0.12.3 and 13.0.1 runs with an RSA-2048 host at `@SECLEVEL=3`). The level is judged where the certificate is written and for each host that takes it from a table above (the global `ssl`, its parent domain\'s) but raises the level in its own `ssl` or `c2s_ssl`/`s2s_ssl`; the finding names those hosts. The CA certificates the file sends after the server\'s are held to the same level ("ca key too small": an RSA-2048 intermediate, like Let\'s Encrypt\'s R10 and R11, fails `@SECLEVEL=3` whatever the server\'s own key). Use a stronger key (RSA 3072, or an EC key), or a lower level. Keys under 2048 bits are `key-rsa-weak`\'s.',
    check: none,
  },
  {
    id: FILE_RULE_IDS.suitesForKey,
    category: 'files',
    severity: DiagnosticSeverity.Warning,
    title: 'The ciphers select no TLS 1.2 suite the certificate\'s key can serve',
    description: 'A TLS 1.2 suite names the kind of key the server signs with: `ECDHE-ECDSA-…` suites need an EC (or EdDSA) key, `ECDHE-RSA-…` and the static-RSA ones an RSA key. Where every TLS 1.2 suite the ciphers in force select needs another kind of key than the certificate\'s (an ECDSA-only list copied from a guide, beside an RSA certificate), TLS 1.2 handshakes find no suite ("no shared cipher"); TLS 1.3, whose suites work with any key, still connects. Reported on the certificate, for the connections where TLS 1.2 is open.',
    check: none,
  },
  {
    id: FILE_RULE_IDS.dhWeak,
    category: 'files',
    severity: DiagnosticSeverity.Warning,
    title: 'The DH parameters are shorter than 2048 bits, or than the security level asks',
    description: 'Finite-field DH groups below 2048 bits are weak (Logjam). Use `openssl dhparam 2048` or an RFC 7919 group such as ffdhe2048. Not said where no DHE suite can be chosen (TLS 1.3 only, or ciphers that select none). Where the ciphers in force set `@SECLEVEL=3` or higher, OpenSSL counts the parameters\' bits as an RSA key\'s (2048 bits give 112 of the 128 level 3 asks): every DHE handshake fails ("dh key too small").',
    check: none,
  },
  {
    id: FILE_RULE_IDS.hostNoCert,
    category: 'files',
    severity: DiagnosticSeverity.Warning,
    title: 'A VirtualHost has no certificate, set or found automatically',
    description: `No TLS settings in force for the host name a \`certificate\`, and Prosody's automatic lookup (the certificates directory, default \`certs\`) finds no pair for it either. The message lists the paths looked at. LuaSec's \`certificates\` list (several pairs, e.g. RSA and ECDSA) counts on 0.12 and later, which hand it to LuaSec; 0.10 and 0.11 refuse a context without a single \`certificate\` besides it, and 0.9 ignores the list. ${CHECK_FILES}, when the certificates directory itself is not on this machine this is only noted, unless \`certificates\` names it relative to the config\'s own folder and a certificate or key the config names is on this machine (then the config is deployed here). A Component takes what the lookup finds for its name or a parent domain, for server-to-server connections only: where the lookup can be checked here, none found, or a parent's certificate that does not name it (\`cert-host-mismatch\`), is noted (many components are never reached by other servers; nothing where the global \`modules_disabled\` switches s2s off).`,
    check: none,
  },
  {
    id: FILE_RULE_IDS.certNoKey,
    category: 'files',
    severity: DiagnosticSeverity.Error,
    prosody: { since: '0.10.0' },
    title: 'A certificate in force for a host has no key',
    description: `Prosody layers the tables in force key by key over the certificate and key its automatic lookup found. A \`certificate\` with no \`key\` in any of those tables, and no key found automatically, makes Prosody refuse the context ("No key present in SSL/TLS configuration for <host>"): that host gets no TLS for client connections, nor (for a certificate from an \`ssl\` table) for incoming server connections. Client connections read \`c2s_ssl\` and incoming server connections \`s2s_ssl\` over the \`ssl\` tables, so a key written in only one of them leaves the other kind without one ("Error creating contexts for s2sin"); incoming server connections are not judged where the global \`modules_disabled\` switches s2s off. A Component is judged for incoming server connections, the only ones it takes. ${CHECK_FILES}, when the certificates directory is not on this machine this is only noted. A key that does come from another table or from the lookup, but does not belong to the certificate, is \`key-cert-mismatch\`.`,
    check: none,
  },
  {
    id: FILE_RULE_IDS.directTlsCert,
    category: 'files',
    severity: DiagnosticSeverity.Warning,
    prosody: { since: '0.10.0' },
    title: 'A host\'s certificate is not served on a direct-TLS port',
    description: `Before 0.12 a \`legacy_ssl_ports\` port has one context for every host, from \`legacy_ssl_certificate\` (else \`legacy_ssl.crt\` and the like in the certificates directory), the global \`ssl\` and \`legacy_ssl_ssl\`: without a certificate there Prosody logs "No certificate present" and binds no port, whatever the hosts' tables say; reported on \`legacy_ssl_ports\`. mod_http's \`https\` port (${HTTPS.defaultPorts!.join(', ')} unless \`https_ports\` says otherwise) is built the same way, from \`https_certificate\`, the global \`ssl\` and \`https_ssl\`: reported where the global \`modules_enabled\` names one of Prosody's own modules that load mod_http (${HTTPS.loadedBy!.map((m) => `\`${m}\``).join(', ')}), since HTTP clients then reach them over plain HTTP only. From 0.12 a direct-TLS port (\`c2s_direct_tls_ports\`, \`s2s_direct_tls_ports\`, \`legacy_ssl_ports\`) serves each host through SNI with a context built only from \`<service>_ssl\` (the host's own, else the global one), the certificate Prosody's automatic lookup finds for the host, and the port's own context (global \`ssl\`, \`<service>_ssl\`, \`<service>_certificate\`, or any certificate of the certificates directory). The host's \`ssl\`, \`c2s_ssl\` and \`s2s_ssl\` tables are never read there. So a host whose certificate comes only from those tables gets no certificate on that port (the handshake fails) or the port's certificate, made for another name, while STARTTLS works. Set \`<service>_ssl = { certificate = …, key = … }\` under the host (\`prosodyctl check\` calls it misplaced there, but Prosody reads it; a quick fix writes that line under the host where the pair is known), or put the pair where the automatic lookup finds it. ${CHECK_FILES}, when the certificates directory is not on this machine this is only noted. From 0.12 HTTPS is not checked.`,
    check: none,
  },
  {
    id: FILE_RULE_IDS.notRead,
    category: 'files',
    severity: DiagnosticSeverity.Warning,
    prosody: { since: '0.12.0' },
    title: 'A certificate option that the certificates index overrides',
    description: 'From 0.12 Prosody\'s automatic lookup for a host first asks the index it builds of the certificates directory (every certificate valid now with its key beside it, by the names inside it), and reads the host\'s top-level `certificate` option only where the index has no certificate for the host or its wildcard. Where it has one, the option\'s file is never served: a renewed certificate named there leaves the older copy in the directory in use. Said instead of judging the file (its expiry, names and key do not matter). Name the file and its key in the host\'s `ssl` table, which Prosody layers over the lookup\'s result, or take the indexed certificate out of the directory. A service\'s `<service>_certificate` (`https_certificate`, `c2s_direct_tls_certificate`, …) goes the same way, more often: for a port the lookup takes any indexed certificate with a DNS name before it reads the option, and the port\'s hosts get their own through SNI; remove the option (a file named in the global `<service>_ssl` table would serve every host of the port in place of its own).',
    check: none,
  },
];
