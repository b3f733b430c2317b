// Minimal DER reader for what Node's crypto does not tell: DH parameters (it cannot load them from PEM), and a
// certificate's signature algorithm (weakSignatureHash, below).
//   PKCS#3  DHParameter       ::= SEQUENCE { prime INTEGER, base INTEGER, privateValueLength INTEGER OPTIONAL }
//   X9.42   DomainParameters  ::= SEQUENCE { p INTEGER, g INTEGER, q INTEGER, j INTEGER OPTIONAL, ... }
// (`openssl dhparam -dsaparam` writes the X9.42 form.) Every read is bounds-checked; errors are returned, not thrown.

export interface DerElement {
  tag: number;
  /** Offset of the content octets. */
  start: number;
  length: number;
  /** Offset just past this element. */
  end: number;
}

export function readElement(buf: Uint8Array, offset: number): DerElement | string {
  if (offset + 2 > buf.length) return 'truncated DER element';
  const tag = buf[offset];
  if ((tag & 0x1f) === 0x1f) return 'multi-byte DER tags are not supported';
  let pos = offset + 1;
  let length = buf[pos++];
  if (length === 0x80) return 'indefinite DER length is not allowed';
  if (length & 0x80) {
    const n = length & 0x7f;
    if (n > 4) return 'DER length too large';
    if (pos + n > buf.length) return 'truncated DER length';
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + buf[pos++];
  }
  if (pos + length > buf.length) return 'DER element runs past the end of the data';
  return { tag, start: pos, length, end: pos + length };
}

/** Unsigned magnitude of a DER INTEGER, leading zero octets removed. */
export function integerBytes(buf: Uint8Array, el: DerElement): Uint8Array {
  let s = el.start;
  while (s < el.end - 1 && buf[s] === 0) s++;
  return buf.subarray(s, el.end);
}

export function bitLength(mag: Uint8Array): number {
  let i = 0;
  while (i < mag.length && mag[i] === 0) i++;
  if (i === mag.length) return 0;
  return (mag.length - i - 1) * 8 + (32 - Math.clz32(mag[i]));
}

export interface DhDer {
  prime: Uint8Array;
  generator: Uint8Array;
  /** Subgroup order q, present in the X9.42 form. */
  subgroup?: Uint8Array;
}

export function parseDhParamsDer(buf: Uint8Array, x942: boolean): DhDer | string {
  const seq = readElement(buf, 0);
  if (typeof seq === 'string') return seq;
  if (seq.tag !== 0x30) return 'DH parameters must start with an ASN.1 SEQUENCE';
  const ints: Uint8Array[] = [];
  let pos = seq.start;
  while (pos < seq.end && ints.length < 3) {
    const el = readElement(buf, pos);
    if (typeof el === 'string') return el;
    if (el.end > seq.end) return 'DER element runs past its SEQUENCE';
    if (el.tag !== 0x02) break;
    if (el.length === 0) return 'empty DER INTEGER';
    if (buf[el.start] & 0x80) return 'negative DER INTEGER in DH parameters';
    ints.push(integerBytes(buf, el));
    pos = el.end;
  }
  if (ints.length < 2) return 'DH parameters need a prime and a generator';
  return x942 && ints.length >= 3
    ? { prime: ints[0], generator: ints[1], subgroup: ints[2] }
    : { prime: ints[0], generator: ints[1] };
}

/** Signature algorithms whose hash OpenSSL counts as broken (x509_sig_info: SHA-1 63 bits, MD5 39 from 3.0), by OID content octets. */
const WEAK_SIGNATURE_OIDS: Readonly<Record<string, string>> = {
  '2a864886f70d010102': 'MD2', // md2WithRSAEncryption
  '2a864886f70d010103': 'MD4', // md4WithRSAEncryption
  '2a864886f70d010104': 'MD5', // md5WithRSAEncryption
  '2a864886f70d010105': 'SHA-1', // sha1WithRSAEncryption
  '2b0e03021d': 'SHA-1', // sha1WithRSASignature (OIW)
  '2a8648ce3d0401': 'SHA-1', // ecdsa-with-SHA1
  '2a8648ce380403': 'SHA-1', // dsa-with-sha1
};

/**
 * The hash of a DER certificate's signature when it is one of those (Certificate ::= SEQUENCE { tbsCertificate,
 * signatureAlgorithm AlgorithmIdentifier, signature }); undefined for every other algorithm or an unreadable input.
 */
export function weakSignatureHash(der: Uint8Array): string | undefined {
  const cert = readElement(der, 0);
  if (typeof cert === 'string' || cert.tag !== 0x30) return undefined;
  const tbs = readElement(der, cert.start);
  if (typeof tbs === 'string') return undefined;
  const alg = readElement(der, tbs.end);
  if (typeof alg === 'string' || alg.tag !== 0x30) return undefined;
  const oid = readElement(der, alg.start);
  if (typeof oid === 'string' || oid.tag !== 0x06) return undefined;
  const hex = Buffer.from(der.subarray(oid.start, oid.end)).toString('hex');
  return hex === RSASSA_PSS ? pssHash(der, oid.end, alg.end) : WEAK_SIGNATURE_OIDS[hex];
}

const RSASSA_PSS = '2a864886f70d01010a';
/** Hash algorithms OpenSSL counts as broken, by OID content octets (for RSASSA-PSS, whose hash is a parameter). */
const WEAK_HASH_OIDS: Readonly<Record<string, string>> = { '2b0e03021a': 'SHA-1', '2a864886f70d0205': 'MD5', '2a864886f70d0204': 'MD4', '2a864886f70d0202': 'MD2' };

/**
 * RSASSA-PSS-params ::= SEQUENCE { hashAlgorithm [0] AlgorithmIdentifier DEFAULT sha1, … } (RFC 4055): an absent
 * hash is SHA-1 (review 150: `-sigopt rsa_padding_mode:pss -sha1` failed to load on 0.12.3, "ca md too weak").
 */
function pssHash(der: Uint8Array, at: number, end: number): string | undefined {
  if (at >= end) return 'SHA-1';
  const params = readElement(der, at);
  if (typeof params === 'string' || params.tag !== 0x30 || params.end > end) return undefined;
  if (params.length === 0) return 'SHA-1';
  const first = readElement(der, params.start);
  if (typeof first === 'string') return undefined;
  if (first.tag !== 0xa0) return 'SHA-1';
  const hashAlg = readElement(der, first.start);
  if (typeof hashAlg === 'string' || hashAlg.tag !== 0x30) return undefined;
  const oid = readElement(der, hashAlg.start);
  if (typeof oid === 'string' || oid.tag !== 0x06) return undefined;
  return WEAK_HASH_OIDS[Buffer.from(der.subarray(oid.start, oid.end)).toString('hex')];
}
