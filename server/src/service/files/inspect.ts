// Inspection of certificates, private keys and DH parameters with Node's crypto. All functions are total: bad input
// yields `{ ok: false, error }`. No result ever carries private-key bytes, and error texts never echo the input.
import { createHash, createPrivateKey, getDiffieHellman, KeyObject, X509Certificate } from 'node:crypto';
import { domainToASCII } from 'node:url';
import { parseDhParamsDer, bitLength, weakSignatureHash } from './der';
import { isPrivateKeyLabel, looksLikeDer, PemBlock, pemBlocks } from './pem';

const DAY_MS = 24 * 60 * 60 * 1000;

export type Failure = { ok: false; error: string };

export interface KeyShape {
  /** Node's name: 'rsa', 'rsa-pss', 'ec', 'ed25519', 'ed448', 'dsa', ... */
  keyType?: string;
  /** Modulus/prime size for RSA/DSA, curve size for EC, 255/448 for Ed25519/Ed448. */
  keyBits?: number;
  /** OpenSSL curve name for EC keys (e.g. 'prime256v1'). */
  curve?: string;
}

export interface CertSummary extends KeyShape {
  subject: string;
  subjectCN?: string;
  issuer: string;
  issuerCN?: string;
  /** DNS names from subjectAltName, as written (wildcards kept). */
  dnsNames: string[];
  /** XMPP-specific SANs (RFC 6120 id-on-xmppAddr, RFC 4985 SRVName) and IP addresses. */
  xmppAddrs: string[];
  srvNames: string[];
  ipAddresses: string[];
  validFrom: string; // ISO 8601
  validTo: string; // ISO 8601
  /** Whole days until validTo (negative once expired). */
  daysLeft: number;
  expired: boolean;
  notYetValid: boolean;
  selfSigned: boolean;
  /** Signed with a hash OpenSSL counts as broken ('SHA-1', 'MD5', …): it refuses such a certificate unless self-signed. */
  weakSignature?: string;
  isCA: boolean;
  fingerprint256: string;
  serialNumber: string;
}

export interface CertificateInfo extends CertSummary {
  ok: true;
  /** Number of certificates in the input (leaf + intermediates). */
  chainLength: number;
  /** Every certificate in file order; [0] is the leaf (what LuaSec uses as the server certificate). */
  chain: CertSummary[];
  /** False when some certificate is not issued by the one after it (wrong order or unrelated certificate). */
  chainOrderOk: boolean;
  /** The input also holds a private-key block (combined .pem); the key itself is not inspected here. */
  containsPrivateKey: boolean;
  /** Read from binary DER, which LuaSec cannot load (it reads PEM only). */
  der?: true;
}

export type CertificateResult = CertificateInfo | Failure;

/** Safe error text: first line of a platform message, never input data. */
function why(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  const line = msg.split('\n')[0].replace(/-----BEGIN[\s\S]*/, '').slice(0, 200);
  return line || 'unknown error';
}

function parseDate(s: string): Date | undefined {
  const d = new Date(s);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** Splits Node's `subjectAltName` ("DNS:a, DNS:\"b,c\", othername:XmppAddr:x") into [type, value] pairs. */
export function splitSubjectAltName(san: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  let i = 0;
  while (i < san.length) {
    while (san[i] === ' ' || san[i] === ',') i++;
    if (i >= san.length) break;
    const colon = san.indexOf(':', i);
    if (colon < 0) break;
    let type = san.slice(i, colon);
    i = colon + 1;
    if (type === 'othername') {
      // "othername:XmppAddr:value" — the second label names the kind.
      const c2 = san.indexOf(':', i);
      if (c2 < 0) break;
      type = `othername:${san.slice(i, c2)}`;
      i = c2 + 1;
    }
    let value: string;
    if (san[i] === '"') {
      // Node JSON-quotes values containing separators.
      let j = i + 1;
      while (j < san.length && san[j] !== '"') j += san[j] === '\\' ? 2 : 1;
      try {
        value = JSON.parse(san.slice(i, j + 1)) as string;
      } catch {
        value = san.slice(i + 1, j);
      }
      i = j + 1;
    } else {
      const end = san.indexOf(', ', i);
      value = san.slice(i, end < 0 ? san.length : end);
      i = end < 0 ? san.length : end;
    }
    out.push([type, value]);
  }
  return out;
}

/** The CN from Node's multi-line distinguished-name text. */
function commonName(dn: string): string | undefined {
  for (const line of dn.split('\n')) {
    if (line.startsWith('CN=')) {
      const v = line.slice(3);
      if (v.startsWith('"')) {
        try {
          return JSON.parse(v) as string;
        } catch {
          /* fall through */
        }
      }
      return v.replace(/\\(.)/g, '$1');
    }
  }
  return undefined;
}

export function describeKey(key: KeyObject): KeyShape {
  const type = key.asymmetricKeyType;
  const d = key.asymmetricKeyDetails ?? {};
  const shape: KeyShape = { keyType: type };
  if (typeof d.modulusLength === 'number') shape.keyBits = d.modulusLength;
  if (typeof d.namedCurve === 'string') {
    shape.curve = d.namedCurve;
    const bits = CURVE_BITS[d.namedCurve];
    if (bits) shape.keyBits = bits;
  }
  if (type === 'ed25519' || type === 'x25519') shape.keyBits = 255;
  if (type === 'ed448' || type === 'x448') shape.keyBits = 448;
  return shape;
}

const CURVE_BITS: Record<string, number> = {
  prime256v1: 256,
  secp384r1: 384,
  secp521r1: 521,
  secp256k1: 256,
  secp224r1: 224,
  prime192v1: 192,
  brainpoolP256r1: 256,
  brainpoolP384r1: 384,
  brainpoolP512r1: 512,
};

function summarize(cert: X509Certificate, now: Date): CertSummary {
  const from = parseDate(cert.validFrom);
  const to = parseDate(cert.validTo);
  const sans = splitSubjectAltName(cert.subjectAltName ?? '');
  const pick = (t: string) => sans.filter(([k]) => k === t).map(([, v]) => v);
  // As OpenSSL's EXFLAG_SS, which exempts a certificate from the signature's security check: its own issuer by name,
  // whatever its keyUsage (Node's checkIssued also asks for keyCertSign, which the usual server profile of a
  // self-signed certificate lacks: review 150). Here it must also verify with its own key.
  let selfSigned = false;
  try {
    selfSigned = (cert.subject === cert.issuer || cert.checkIssued(cert)) && cert.verify(cert.publicKey);
  } catch {
    selfSigned = false;
  }
  const subjectCN = commonName(cert.subject);
  const issuerCN = commonName(cert.issuer);
  const weakSignature = weakSignatureHash(cert.raw);
  return {
    subject: cert.subject,
    ...(subjectCN !== undefined ? { subjectCN } : {}),
    issuer: cert.issuer,
    ...(issuerCN !== undefined ? { issuerCN } : {}),
    dnsNames: pick('DNS'),
    xmppAddrs: pick('othername:XmppAddr'),
    srvNames: pick('othername:SRVName'),
    ipAddresses: pick('IP Address'),
    validFrom: from ? from.toISOString() : cert.validFrom,
    validTo: to ? to.toISOString() : cert.validTo,
    ...validity({ validFrom: from ? from.toISOString() : cert.validFrom, validTo: to ? to.toISOString() : cert.validTo }, now),
    selfSigned,
    ...(weakSignature !== undefined ? { weakSignature } : {}),
    isCA: cert.ca,
    ...describeKey(cert.publicKey),
    fingerprint256: cert.fingerprint256,
    serialNumber: cert.serialNumber,
  };
}

/** The labels OpenSSL's certificate reader (PEM_read_bio_X509_AUX, as LuaSec loads) takes; `openssl x509 -trustout` writes TRUSTED. */
const CERTIFICATE_LABELS: ReadonlySet<string> = new Set(['CERTIFICATE', 'X509 CERTIFICATE', 'TRUSTED CERTIFICATE']);

function certificateBlocks(blocks: PemBlock[]): PemBlock[] {
  return blocks.filter((b) => CERTIFICATE_LABELS.has(b.label));
}

/** Whether the first certificate block loads, as LuaSec's loadcertificate reads only that one (PEM_read_bio_X509). */
export function firstCertificateLoads(input: string | Uint8Array): boolean {
  const first = certificateBlocks(pemBlocks(input))[0];
  if (!first) return false;
  try {
    new X509Certificate(first.text);
    return true;
  } catch {
    return false;
  }
}

/** What else the input holds, in words (never the PEM labels themselves, so no result spells "PRIVATE KEY"). */
function whatElse(blocks: PemBlock[]): string {
  const words = new Set(
    blocks.map((b) =>
      isPrivateKeyLabel(b.label)
        ? 'a private key'
        : b.label.includes('CERTIFICATE')
          ? 'a certificate'
          : b.label.includes('DH PARAMETERS')
            ? 'DH parameters'
            : b.label.toLowerCase(),
    ),
  );
  return words.size ? ` (the input holds ${[...words].join(', ')})` : '';
}

/**
 * Expiry of a certificate's validity dates as of `now` (an unparsable date is no limit). One computation for the
 * inspection, the checks and hovers (which judge a cached inspection by today's clock) and the certificate index.
 */
export function validity(cert: { validFrom: string; validTo: string }, now: Date): { daysLeft: number; expired: boolean; notYetValid: boolean } {
  const from = Date.parse(cert.validFrom);
  const to = Date.parse(cert.validTo);
  return {
    daysLeft: Number.isNaN(to) ? Number.NaN : Math.floor((to - now.getTime()) / DAY_MS),
    expired: !Number.isNaN(to) && now.getTime() > to,
    notYetValid: !Number.isNaN(from) && now.getTime() < from,
  };
}

/** Parses every certificate in the input (PEM, or a single DER certificate). `now` decides expiry. */
export function inspectCertificate(input: string | Uint8Array, now: Date = new Date()): CertificateResult {
  try {
    const blocks = pemBlocks(input);
    let certs: X509Certificate[];
    let der = false;
    const certBlocks = certificateBlocks(blocks);
    if (certBlocks.length > 0) {
      certs = [];
      for (const [i, b] of certBlocks.entries()) {
        try {
          certs.push(new X509Certificate(b.text));
        } catch (e) {
          return { ok: false, error: `certificate ${i + 1} of ${certBlocks.length} cannot be parsed: ${why(e)}` };
        }
      }
    } else if (blocks.length === 0 && looksLikeDer(input)) {
      certs = [new X509Certificate(input as Uint8Array)];
      der = true;
    } else {
      return { ok: false, error: `no certificate found${whatElse(blocks)}` };
    }
    const chain = certs.map((c) => summarize(c, now));
    let chainOrderOk = true;
    for (let i = 0; i + 1 < certs.length; i++) {
      if (!certs[i].checkIssued(certs[i + 1])) chainOrderOk = false;
    }
    return {
      ok: true,
      ...chain[0],
      chainLength: certs.length,
      chain,
      chainOrderOk,
      containsPrivateKey: blocks.some((b) => isPrivateKeyLabel(b.label)),
      ...(der ? { der: true as const } : {}),
    };
  } catch (e) {
    return { ok: false, error: `cannot parse certificate: ${why(e)}` };
  }
}

/**
 * The certificates of a CA store file (PEM, by their place in it) that OpenSSL chains up from the first certificate of
 * `leaf` when it builds the chain to send: at each step the first certificate that issued the one before
 * (X509_check_issued: its name and key identifier) and whose key verifies its signature, a time-valid one first; up to
 * a self-signed one, or where none did (review 152: a namesake CA with another key in the file is never chosen).
 */
export function issuersIn(leaf: string | Uint8Array, store: string | Uint8Array, now: Date = new Date()): number[] {
  try {
    const child = certificateBlocks(pemBlocks(leaf))[0];
    if (!child) return [];
    const certs = certificateBlocks(pemBlocks(store)).map((b) => {
      try {
        return new X509Certificate(b.text);
      } catch {
        return undefined;
      }
    });
    const valid = (c: X509Certificate): boolean => new Date(c.validFrom) <= now && now <= new Date(c.validTo);
    const out: number[] = [];
    for (let cur = new X509Certificate(child.text); out.length < certs.length; ) {
      const issued = certs.map((c, i) => ({ c, i })).filter((e): e is { c: X509Certificate; i: number } => e.c !== undefined && !out.includes(e.i) && cur.checkIssued(e.c) && cur.verify(e.c.publicKey));
      const next = issued.find((e) => valid(e.c)) ?? issued[0];
      if (!next) break;
      out.push(next.i);
      if (next.c.checkIssued(next.c)) break;
      cur = next.c;
    }
    return out;
  } catch {
    return [];
  }
}

function normalizeHost(name: string): string | undefined {
  const trimmed = name.trim().replace(/\.$/, '');
  if (!trimmed) return undefined;
  const ascii = domainToASCII(trimmed);
  return ascii ? ascii.toLowerCase() : undefined;
}

function matchesName(pattern: string, host: string): boolean {
  if (pattern.startsWith('*.')) {
    // RFC 6125 6.4.3 as applied here: the wildcard is the whole left-most label and stands for exactly one label.
    const rest = normalizeHost(pattern.slice(2));
    if (!rest || !rest.includes('.')) return false; // no "*.com"
    const dot = host.indexOf('.');
    return dot > 0 && host.slice(dot + 1) === rest;
  }
  if (pattern.includes('*')) return false; // partial-label wildcards are not honoured
  return normalizeHost(pattern) === host;
}

/** The names of a certificate that matching reads. */
export interface NamedCert {
  readonly dnsNames: readonly string[];
  readonly subjectCN?: string;
  readonly xmppAddrs?: readonly string[];
  readonly srvNames?: readonly string[];
}

/** Who checks the name: XMPP clients, other servers, or HTTPS clients (verify_identity's service argument). */
export type CertService = 'xmpp-client' | 'xmpp-server' | 'https';

/**
 * The certificate name that covers `host`, or undefined. As Prosody's util/x509.lua verify_identity (which
 * `prosodyctl check certs` and server-to-server authentication use) and XMPP clients (RFC 6120 §13.7.1.4) read
 * them: an xmppAddr naming the bare domain, an `_xmpp-client.`/`_xmpp-server.` SRVName, or a DNS name (a reviewer's
 * xmppAddr-only certificate was wrongly said to name nothing). The subject CN is consulted only when the
 * certificate has none of these.
 */
/**
 * The name in the certificate that covers the host for a service, if any. `cnFallback`: a certificate without
 * subjectAltNames may name the host in its subject's CN; Prosody 13.0's verify_identity no longer takes that (RFC 9525).
 */
export function matchCertName(cert: NamedCert, host: string, service?: CertService, cnFallback = true): string | undefined {
  const h = normalizeHost(host);
  if (!h) return undefined;
  // An xmppAddr serves both XMPP services; an SRVName only its own (a reviewer: `_xmpp-server.` alone on a client
  // table); HTTPS reads neither. No service given: either XMPP service.
  const xmpp = service === 'https' ? undefined : (cert.xmppAddrs ?? []).find((n) => !/[@/]/.test(n) && normalizeHost(n) === h);
  if (xmpp) return xmpp;
  const prefix = service === undefined ? /^_xmpp-(?:client|server)\.(.+)$/i : service === 'https' ? undefined : new RegExp(`^_${service}\\.(.+)$`, 'i');
  const srv = prefix && (cert.srvNames ?? []).find((n) => {
    const m = prefix.exec(n);
    return m !== null && matchesName(m[1]!, h);
  });
  if (srv) return srv;
  const altNames = cert.dnsNames.length + (cert.xmppAddrs?.length ?? 0) + (cert.srvNames?.length ?? 0);
  const names = altNames > 0 ? cert.dnsNames : cert.subjectCN && cnFallback ? [cert.subjectCN] : [];
  return names.find((n) => matchesName(n, h));
}

export function certCoversHost(cert: NamedCert, host: string, service?: CertService): boolean {
  return matchCertName(cert, host, service) !== undefined;
}

export type KeyFormat = 'pkcs8' | 'pkcs8-encrypted' | 'pkcs1-rsa' | 'sec1-ec' | 'dsa' | 'openssh' | 'der' | 'other';

export interface KeyInfo extends KeyShape {
  ok: true;
  /** Container: PKCS#8, encrypted PKCS#8, traditional RSA (PKCS#1) / EC (SEC1) / DSA PEM, or DER PKCS#8. */
  format: KeyFormat;
  /** Encrypted with a passphrase; Prosody then needs `ssl.password`. Detected from the PEM, not by decrypting. */
  encrypted: boolean;
  /** Only when a password was given for an encrypted key: whether it decrypted the key. */
  passwordAccepted?: boolean;
  /** Number of private-key blocks in the input (LuaSec uses the first). */
  keyCount: number;
  /** The input also holds certificates (combined .pem). */
  containsCertificate: boolean;
}

export type KeyResult = KeyInfo | Failure;

function keyFormat(b: PemBlock): KeyFormat {
  switch (b.label) {
    case 'PRIVATE KEY':
      return 'pkcs8';
    case 'ENCRYPTED PRIVATE KEY':
      return 'pkcs8-encrypted';
    case 'RSA PRIVATE KEY':
      return 'pkcs1-rsa';
    case 'EC PRIVATE KEY':
      return 'sec1-ec';
    case 'DSA PRIVATE KEY':
      return 'dsa';
    case 'OPENSSH PRIVATE KEY':
      return 'openssh';
    default:
      return 'other';
  }
}

function isEncrypted(b: PemBlock): boolean {
  return b.label === 'ENCRYPTED PRIVATE KEY' || /ENCRYPTED/i.test(b.headers['Proc-Type'] ?? '');
}

const LEGACY_TYPE: Partial<Record<KeyFormat, string>> = { 'pkcs1-rsa': 'rsa', 'sec1-ec': 'ec', dsa: 'dsa' };

/** A DER private key in any of the encodings `openssl` writes (PKCS#8, or PKCS#1 / SEC1 from `pkey -outform DER`). */
function derPrivateKey(bytes: Uint8Array): KeyObject | string {
  let first = '';
  for (const type of ['pkcs8', 'pkcs1', 'sec1'] as const) {
    try {
      return createPrivateKey({ key: Buffer.from(bytes), format: 'der', type });
    } catch (e) {
      first ||= why(e);
    }
  }
  return first;
}

/**
 * Describes the first private key in the input. An encrypted key is recognised from its PEM form and only decrypted
 * when `password` is given. Never returns key material.
 */
export function inspectKey(input: string | Uint8Array, password?: string): KeyResult {
  try {
    const blocks = pemBlocks(input);
    const keys = blocks.filter((b) => isPrivateKeyLabel(b.label));
    const containsCertificate = certificateBlocks(blocks).length > 0;
    if (keys.length === 0) {
      if (blocks.length === 0 && looksLikeDer(input)) {
        const k = derPrivateKey(input as Uint8Array);
        if (typeof k === 'string') return { ok: false, error: `cannot parse DER private key: ${k}` };
        return { ok: true, format: 'der', encrypted: false, keyCount: 1, containsCertificate, ...describeKey(k) };
      }
      return { ok: false, error: `no private key found${whatElse(blocks)}` };
    }
    const b = keys[0];
    const format = keyFormat(b);
    const base = { ok: true as const, format, keyCount: keys.length, containsCertificate };
    if (format === 'openssh') {
      return { ok: false, error: 'OpenSSH-format private key: OpenSSL (and so Prosody) cannot load it; convert it to PKCS#8 PEM' };
    }
    if (isEncrypted(b)) {
      const legacyType = LEGACY_TYPE[format];
      const info: KeyInfo = { ...base, encrypted: true, ...(legacyType ? { keyType: legacyType } : {}) };
      if (password === undefined) return info;
      try {
        const k = createPrivateKey({ key: b.text, format: 'pem', passphrase: password });
        return { ...info, ...describeKey(k), passwordAccepted: true };
      } catch {
        return { ...info, passwordAccepted: false };
      }
    }
    try {
      return { ...base, encrypted: false, ...describeKey(createPrivateKey({ key: b.text, format: 'pem' })) };
    } catch (e) {
      return { ok: false, error: `cannot parse private key: ${why(e)}` };
    }
  } catch (e) {
    return { ok: false, error: `cannot parse private key: ${why(e)}` };
  }
}

export type KeyMatchResult =
  | { kind: 'match' }
  /** `later`: the key belongs to the certificate at this place (1-based) further on in the file: a chain out of order. */
  | { kind: 'mismatch'; later?: number }
  /** The key is encrypted and no (or a wrong) password was given, so it could not be compared. */
  | { kind: 'needs-password'; passwordGiven: boolean }
  | { kind: 'error'; error: string };

/** Whether the first private key in `keyInput` belongs to the first (leaf) certificate in `certInput`. */
export function keyMatchesCert(keyInput: string | Uint8Array, certInput: string | Uint8Array, password?: string): KeyMatchResult {
  try {
    const keyInfo = inspectKey(keyInput, password);
    if (!keyInfo.ok) return { kind: 'error', error: keyInfo.error };
    if (keyInfo.encrypted && keyInfo.passwordAccepted !== true) {
      return { kind: 'needs-password', passwordGiven: password !== undefined };
    }
    const certBlocks = certificateBlocks(pemBlocks(certInput));
    let cert: X509Certificate;
    try {
      cert =
        certBlocks.length > 0
          ? new X509Certificate(certBlocks[0].text)
          : new X509Certificate(typeof certInput === 'string' ? certInput : Buffer.from(certInput));
    } catch (e) {
      return { kind: 'error', error: `cannot parse certificate: ${why(e)}` };
    }
    let key: KeyObject;
    if (keyInfo.format === 'der') {
      const k = derPrivateKey(keyInput as Uint8Array);
      if (typeof k === 'string') throw new Error(k);
      key = k;
    } else {
      const block = pemBlocks(keyInput).filter((b) => isPrivateKeyLabel(b.label))[0];
      key = createPrivateKey(
        password !== undefined && keyInfo.encrypted ? { key: block.text, format: 'pem', passphrase: password } : { key: block.text, format: 'pem' },
      );
    }
    const fits = (c: X509Certificate): boolean => key.asymmetricKeyType === c.publicKey.asymmetricKeyType && c.checkPrivateKey(key);
    if (fits(cert)) return { kind: 'match' };
    // OpenSSL takes the first certificate as the server's: a leaf further down (an intermediate pasted first) is a
    // chain out of order, which wants another remedy than another key.
    for (let i = 1; i < certBlocks.length; i++) {
      try {
        if (fits(new X509Certificate(certBlocks[i]!.text))) return { kind: 'mismatch', later: i + 1 };
      } catch {
        // an unreadable later block is reported with the certificate
      }
    }
    return { kind: 'mismatch' };
  } catch (e) {
    return { kind: 'error', error: why(e) };
  }
}

export interface DhParamsInfo {
  ok: true;
  /** 'pkcs3' = "DH PARAMETERS"; 'x9.42' = "X9.42 DH PARAMETERS" (what `openssl dhparam -dsaparam` writes). */
  format: 'pkcs3' | 'x9.42';
  primeBits: number;
  /** The generator when it fits in a JS number (normally 2 or 5); DSA-style generators are huge. */
  generator?: number;
  generatorBits: number;
  /** Bits of the subgroup order q (X9.42 only). */
  subgroupBits?: number;
  /** Well-known group the prime belongs to, e.g. 'ffdhe2048' (RFC 7919) or 'modp14' (RFC 3526). */
  namedGroup?: string;
  /** Read from binary DER, which LuaSec cannot use (it reads PEM only). */
  der?: true;
}

export type DhParamsResult = DhParamsInfo | Failure;

// RFC 7919 groups by SHA-256 of the prime's big-endian bytes (Node has no ffdhe groups; OpenSSL wrote these).
const FFDHE_SHA256: Record<string, string> = {
  '9cd3b7f336872f46c09428d1bbc19877a4d440512cda8d1c1cf0cd6e33698966': 'ffdhe2048',
  '0eaf67db3a839156d5013494a5318a772b5697d270d721f37f092efc69ea5a17': 'ffdhe3072',
  '4648414224ac881b3d0dc59b466f96d06a558278776807797ecf1f66ff397b3e': 'ffdhe4096',
  '227ac9066b3ddd9e193670cda2388fa884f65ba0cf98b742d1fe77a6687c79c7': 'ffdhe6144',
  '770b14efaf6f049929c523113b3fa99a8d11dab1b18af3609590122075d19833': 'ffdhe8192',
};

let knownPrimes: Map<string, string> | undefined;
function namedGroupOf(prime: Uint8Array): string | undefined {
  const ffdhe = FFDHE_SHA256[createHash('sha256').update(prime).digest('hex')];
  if (ffdhe) return ffdhe;
  if (!knownPrimes) {
    // RFC 2409 / 3526 MODP groups, which Node knows by name.
    knownPrimes = new Map();
    for (const name of ['modp1', 'modp2', 'modp5', 'modp14', 'modp15', 'modp16', 'modp17', 'modp18']) {
      try {
        knownPrimes.set(getDiffieHellman(name).getPrime('hex'), name);
      } catch {
        // Group not known to this Node build.
      }
    }
  }
  return knownPrimes.get(Buffer.from(prime).toString('hex'));
}

/**
 * Describes DH parameters from a file's contents or from Prosody 13's literal PEM in the config. PEM (either label)
 * or raw DER are accepted.
 */
export function inspectDhParams(input: string | Uint8Array): DhParamsResult {
  try {
    const blocks = pemBlocks(input);
    let der: Uint8Array;
    let fromDer = false;
    let format: DhParamsInfo['format'];
    const block = blocks.find((b) => b.label === 'DH PARAMETERS' || b.label === 'X9.42 DH PARAMETERS');
    if (block) {
      format = block.label === 'DH PARAMETERS' ? 'pkcs3' : 'x9.42';
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(block.body)) return { ok: false, error: 'DH parameters block is not valid base64' };
      der = Buffer.from(block.body, 'base64');
    } else if (blocks.length === 0 && looksLikeDer(input)) {
      format = 'pkcs3';
      der = input as Uint8Array;
      fromDer = true;
    } else {
      return { ok: false, error: `no DH PARAMETERS block found${whatElse(blocks)}` };
    }
    const parsed = parseDhParamsDer(der, format === 'x9.42');
    if (typeof parsed === 'string') return { ok: false, error: parsed };
    const generatorBits = bitLength(parsed.generator);
    const info: DhParamsInfo = { ok: true, format, primeBits: bitLength(parsed.prime), generatorBits, ...(fromDer ? { der: true as const } : {}) };
    if (generatorBits <= 48) info.generator = Number.parseInt(Buffer.from(parsed.generator).toString('hex') || '0', 16);
    if (parsed.subgroup) info.subgroupBits = bitLength(parsed.subgroup);
    const named = namedGroupOf(parsed.prime);
    if (named) info.namedGroup = named;
    return info;
  } catch (e) {
    return { ok: false, error: `cannot parse DH parameters: ${why(e)}` };
  }
}
