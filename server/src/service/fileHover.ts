// Hover on a file path in the config: what the file holds. Certificates: subject, names, issuer, validity with
// days left, key, SHA-256 fingerprint, and whether it covers the host it serves. Keys: type, size, encrypted or not,
// and whether it belongs to the certificate beside it. Never shows key material or a password.
import { tokenAt } from './model/tokenize';
import * as path from 'node:path';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { MarkupKind, type Hover } from 'vscode-languageserver-types';
import { inspectKey, keyMatchesCert, matchCertName, nodeFileSystem, validity, type CertificateInfo, type ReadResult } from './files';
import { documentPaths, guardedRead, mayRead, type FileEnv } from './fileEnv';
import { certAt, cnNamesHost, dateOnly, describeRead, dhAt, EXPIRY_WARNING_DAYS, hostsUsing, keyAt, partnerCertificate, passwordFor } from './fileFacts';
import { collectPathRefs, pathRefAt, type PathRef } from './fileRefs';
import { expandInclude } from './links';
import { lineInForce, type ConfigDocument } from './model/document';
import type { ServiceSettings } from './settings';

const TITLES: Record<PathRef['role'], string> = {
  certificate: 'Certificate',
  key: 'Private key',
  cafile: 'CA file',
  capath: 'CA directory',
  dhparam: 'DH parameters',
  'certificates-dir': 'Certificates directory',
  'host-certificate': 'Certificate for automatic lookup',
  'service-certificate': 'Service certificate',
  include: 'Included config',
};

/** Markdown-safe inline code. */
function code(s: string): string {
  const clean = s.replace(/[\r\n]+/g, ' ');
  return clean.includes('`') ? `\`\` ${clean} \`\`` : `\`${clean}\``;
}

function dn(s: string): string {
  return s.split('\n').filter(Boolean).join(', ');
}

function keyWords(t?: string, bits?: number, curve?: string): string {
  if (!t) return 'unknown type';
  const name = t === 'rsa' ? 'RSA' : t === 'ec' ? 'EC' : t === 'rsa-pss' ? 'RSA-PSS' : t === 'dsa' ? 'DSA' : t === 'ed25519' ? 'Ed25519' : t === 'ed448' ? 'Ed448' : t;
  return `${name}${bits ? ` ${bits} bits` : ''}${curve ? ` (${curve})` : ''}`;
}

export async function doFileHover(doc: TextDocument, model: ConfigDocument, offset: number, settings: ServiceSettings, env: FileEnv): Promise<Hover | null> {
  // Only a string can be a path: every other hover is answered without touching the disk.
  const at = tokenAt(model.outline.tokens, offset);
  if (at < 0 || model.outline.tokens.at(at)!.kind !== 'string') return null;
  const fs = env.fs ?? nodeFileSystem;
  const paths = await documentPaths(doc.uri, fs);
  if (!paths) return null;
  const refs = collectPathRefs(model, paths);
  const ref = pathRefAt(refs, offset);
  if (!ref) return null;
  const line = lineInForce(model, settings.prosodyVersion);
  const now = env.now ?? new Date();
  // The config the refs were read from (their nodes are compared by identity); no ranges are read from it here.
  const config = model.configIsCurrent ? model.placed?.config : undefined;
  const md: string[] = [`**${TITLES[ref.role]}** ${code(ref.resolved)}${ref.relative ? ` (relative to ${code(ref.role === 'include' ? paths.fileDir : paths.configDir)})` : ''}`, ''];
  const restricted = !(await mayRead(ref.resolved, env));
  const unread = (r: ReadResult): void => {
    md.push(`_${r.kind === 'missing' && ref.relative ? 'Not found.' : capital(describeRead(r, !ref.relative))}_`);
  };

  if (restricted && ref.role !== 'include') {
    md.push('_Not read: Restricted Mode allows reading only files inside the workspace._');
  } else {
    switch (ref.role) {
      case 'certificate':
      case 'cafile':
      case 'host-certificate':
      case 'service-certificate':
        await certificateSection();
        break;
      case 'key':
        await keySection();
        break;
      case 'dhparam': {
        const r = await dhAt(ref.resolved, env);
        if (!r.value) unread(r.read);
        else if (!r.value.ok) md.push(`_No DH parameters: ${r.value.error}._`);
        else {
          const d = r.value;
          md.push(`- Prime: **${d.primeBits} bits**${d.primeBits < 2048 ? ' (too weak: use 2048 or more)' : ''}`);
          md.push(`- Format: ${d.format === 'pkcs3' ? 'PKCS#3 DH PARAMETERS' : 'X9.42 DH PARAMETERS'}${d.generator !== undefined ? `, generator ${d.generator}` : ''}`);
          if (d.der) md.push(DER_NOTE);
          if (d.namedGroup) md.push(`- Well-known group: ${d.namedGroup}`);
        }
        break;
      }
      case 'capath':
      case 'certificates-dir':
        await directorySection();
        break;
      case 'include':
        await includeSection();
        break;
    }
  }
  return {
    contents: { kind: MarkupKind.Markdown, value: md.join('\n') },
    range: { start: doc.positionAt(ref.range[0]), end: doc.positionAt(ref.range[1]) },
  };

  async function certificateSection(): Promise<void> {
    const r = await certAt(ref!.resolved, env);
    if (!r.value) {
      // A host/service certificate may name a directory to look in.
      if (r.read.kind === 'not-a-file' && r.read.what === 'directory' && (ref!.role === 'host-certificate' || ref!.role === 'service-certificate')) {
        md.push('A directory: Prosody looks for the host\'s certificate and key inside it.');
      } else unread(r.read);
      return;
    }
    if (!r.value.ok) {
      md.push(`_No usable certificate: ${r.value.error}._`);
      return;
    }
    const c: CertificateInfo = r.value;
    const v = validity(c, now);
    const names = [...c.dnsNames, ...c.xmppAddrs.map((x) => `${x} (XmppAddr)`), ...c.srvNames.map((x) => `${x} (SRVName)`), ...c.ipAddresses];
    md.push(`- Subject: ${code(dn(c.subject))}`);
    md.push(`- Names (SAN): ${names.length ? names.map(code).join(', ') : cnNamesHost(line) ? '_none_ (only the subject CN can match)' : `_none_ (Prosody ${line} does not take the subject CN as a name)`}`);
    md.push(`- Issuer: ${code(dn(c.issuer))}${c.selfSigned ? ' (self-signed)' : ''}`);
    const left = v.expired ? `**expired ${-v.daysLeft} days ago**` : v.notYetValid ? '**not valid yet**' : `${v.daysLeft} days left${v.daysLeft < EXPIRY_WARNING_DAYS ? ' (**renew soon**)' : ''}`;
    md.push(`- Valid: ${dateOnly(c.validFrom)} to ${dateOnly(c.validTo)}, ${left}`);
    md.push(`- Key: ${keyWords(c.keyType, c.keyBits, c.curve)}`);
    md.push(`- SHA-256: ${code(c.fingerprint256)}`);
    if (c.chainLength > 1) md.push(`- Chain: ${c.chainLength} certificates${c.chainOrderOk ? '' : ' (**not in issuing order**)'}`);
    if (c.containsPrivateKey) md.push('- The file also holds a private key.');
    if (c.der) md.push(DER_NOTE);
    if (config && ref!.role !== 'cafile') {
      for (const h of hostsUsing(config, ref!, line)) {
        const m = matchCertName(c, h.name, h.services?.length === 1 ? h.services[0] : undefined, cnNamesHost(line));
        md.push(m ? `- Covers ${code(h.name)} (via ${code(m)})` : `- **Does not cover ${code(h.name)}**`);
      }
    }
  }

  async function keySection(): Promise<void> {
    const r = await keyAt(ref!.resolved, env);
    if (!r.value || r.read.kind !== 'ok') {
      unread(r.read);
      return;
    }
    if (!r.value.ok) {
      md.push(`_No usable private key: ${r.value.error}._`);
      return;
    }
    const pw = config ? passwordFor(config, ref!, line) : { kind: 'none' as const };
    const k = r.value.encrypted && pw.kind === 'string' ? inspectKey(r.read.bytes, pw.value) : r.value;
    if (!k.ok) return;
    // An encrypted key tells its type only once decrypted (a reviewer read "unknown type").
    md.push(`- Type: ${k.keyType ? keyWords(k.keyType, k.keyBits, k.curve) : k.encrypted ? 'not shown until the key is decrypted' : keyWords()}`);
    const pwText = !k.encrypted ? '' : pw.kind === 'none' ? ' — **no `password` is set**' : pw.kind === 'unknown' ? ' — password computed at start-up' : k.passwordAccepted ? ' — the `password` set decrypts it' : ' — **the `password` set does not decrypt it**';
    md.push(`- Encrypted: ${k.encrypted ? 'yes' : 'no'}${pwText}`);
    if (k.format === 'der') md.push(DER_NOTE);
    const partner = config ? partnerCertificate(config, ref!, refs, line) : undefined;
    if (!partner) return;
    const cr = await guardedRead(partner.resolved, env);
    if (cr.kind !== 'ok') {
      md.push(`- Certificate ${code(path.basename(partner.resolved))}: ${describeRead(cr, !partner.relative)}`);
      return;
    }
    const m = keyMatchesCert(r.read.bytes, cr.bytes, pw.kind === 'string' ? pw.value : undefined);
    const text = m.kind === 'match' ? 'matches' : m.kind === 'mismatch' ? '**does not match**' : m.kind === 'needs-password' ? 'cannot be compared (encrypted)' : `cannot be compared (${m.error})`;
    md.push(`- Certificate ${code(partner.value)}: ${text}`);
  }

  async function directorySection(): Promise<void> {
    try {
      const st = await fs.stat(ref!.resolved);
      if (st.kind !== 'directory') {
        md.push('_Not a directory._');
        return;
      }
      const entries = await fs.readdir(ref!.resolved);
      md.push(`A directory with ${entries.length} entr${entries.length === 1 ? 'y' : 'ies'}.`);
    } catch (e) {
      const c = (e as { code?: string }).code;
      md.push(`_${c === 'ENOENT' ? (ref!.relative ? 'Not found.' : 'Not found on this machine.') : c === 'EACCES' ? 'Permission denied, cannot check.' : 'Cannot be listed.'}_`);
    }
  }

  async function includeSection(): Promise<void> {
    if (ref!.templated) {
      md.push('_The path holds template placeholders: it is checked once the template is rendered, not here._');
      return;
    }
    if (ref!.glob) {
      const { dir, files, error } = await expandInclude(ref!.resolved, fs);
      if (error) md.push(`_Directory ${code(dir)} cannot be listed (${error})._`);
      else md.push(files.length ? `Matches ${files.length} file${files.length === 1 ? '' : 's'}:\n\n${files.slice(0, 20).map((f) => `- ${code(path.basename(f))}`).join('\n')}` : '_No file matches._');
      return;
    }
    try {
      const st = await fs.stat(ref!.resolved);
      md.push(st.kind === 'file' ? 'Config file, loaded by Prosody at this point.' : '_Not a regular file._');
    } catch {
      md.push(ref!.relative ? '_Not found: Prosody will fail to start._' : '_Not found on this machine._');
    }
  }
}

// The diagnostics say it as an Error (a reviewer: the hover showed the details as if the file worked).
const DER_NOTE = '- **Binary DER**: LuaSec reads PEM only, so Prosody cannot use this file as it is (the diagnostic gives the openssl command that converts it).';

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
