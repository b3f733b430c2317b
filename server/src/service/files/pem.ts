// Splitting PEM text into labelled blocks. Only labels and offsets leave this module's callers' hands; block text
// is handed straight to Node's crypto and never copied into results.

export interface PemBlock {
  label: string;
  /** The whole block including BEGIN/END lines. */
  text: string;
  /** Headers such as `Proc-Type: 4,ENCRYPTED` (legacy OpenSSL encryption), keyed by name. */
  headers: Record<string, string>;
  /** Base64 body without headers, whitespace removed. */
  body: string;
}

// OpenSSL's PEM reader drops blanks at the end of the armour lines (a reviewer's file with `-----   ` loaded in Prosody).
const BLOCK = /-----BEGIN ([A-Z0-9 .#-]+)-----[ \t]*\r?\n([\s\S]*?)-----END \1-----/g;

export function toText(input: string | Uint8Array): string {
  return typeof input === 'string' ? input : Buffer.from(input).toString('latin1');
}

export function pemBlocks(input: string | Uint8Array): PemBlock[] {
  const text = toText(input);
  const out: PemBlock[] = [];
  for (const m of text.matchAll(BLOCK)) {
    const inner = m[2];
    const headers: Record<string, string> = {};
    let body = inner;
    // RFC 1421 style headers end at the first blank line.
    const sep = inner.search(/\r?\n\r?\n/);
    if (/^[A-Za-z-]+:/.test(inner) && sep >= 0) {
      for (const line of inner.slice(0, sep).split(/\r?\n/)) {
        const i = line.indexOf(':');
        if (i > 0) headers[line.slice(0, i).trim()] = line.slice(i + 1).trim();
      }
      body = inner.slice(sep);
    }
    out.push({ label: m[1], text: m[0], headers, body: body.replace(/\s+/g, '') });
  }
  return out;
}

/** True when the value looks like literal PEM text rather than a path (Prosody 13 accepts PEM for `dhparam`). */
export function isLiteralPem(value: string): boolean {
  return value.startsWith('-----BEGIN');
}

export function isPrivateKeyLabel(label: string): boolean {
  return /PRIVATE KEY$/.test(label);
}

/** Looks like DER (an ASN.1 SEQUENCE) rather than text. */
export function looksLikeDer(input: string | Uint8Array): boolean {
  return typeof input !== 'string' && input.length > 1 && input[0] === 0x30 && !toText(input.subarray(0, 64)).includes('-----BEGIN');
}
