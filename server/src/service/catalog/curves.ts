// Curve and group names (facts §6, json openssl.names_for_curve / groups_for_curveslist, OpenSSL 3.0 via LuaSec).
// `curve` takes one classic EC curve (case-sensitive LuaSec table look-up); `curveslist` takes OpenSSL group
// names, which also include X25519/X448 and the RFC 7919 ffdhe groups.
import type { CatalogValue } from './types';

const GROUPS = 'https://docs.openssl.org/3.0/man3/SSL_CTX_set1_curves/';
/**
 * Groups under 112 bits (checked on Debian 12's OpenSSL 3.0 with s_server/s_client and a LuaSec server): at the default
 * security level (2) OpenSSL neither offers nor accepts them, so no rule needs to warn; `@SECLEVEL=1` brings them back.
 */
const BELOW_112 = 'Less than 112 bits of security, so OpenSSL 3 never uses it for TLS at its default security level (level 2, as Debian builds it): it is neither offered nor accepted. Named alone in `curveslist` (or as `curve` where no `curveslist` is in force, as on 0.9), it leaves no ECDHE key exchange at all; next to other groups it is skipped. Only a `ciphers` string that lowers the level (`@SECLEVEL=1` or `0`) brings it back, and then it weakens the key exchange.';
const BINARY = 'A binary-field (`sect…`) curve: deprecated for TLS by RFC 8422 and not allowed in TLS 1.3.';

interface CurveSpec {
  name: string;
  summary: string;
  /** Accepted by `curve` (else only by `curveslist`). */
  curve: boolean;
  /** Aliases accepted by `curve`. */
  curveAliases?: string[];
  /** Aliases accepted by `curveslist`. */
  listAliases?: string[];
  unsafe?: string;
  note?: string;
  rank: number;
}

const specs: CurveSpec[] = [
  { name: 'X25519', curve: false, listAliases: ['x25519'], rank: 0, summary: 'Curve25519 key exchange: fast, safe, the first choice of every Prosody preset.', note: 'Not usable with `curve` (LuaSec refuses it there).' },
  { name: 'prime256v1', curve: true, curveAliases: ['P-256'], listAliases: ['P-256', 'secp256r1'], rank: 1, summary: 'NIST P-256 (also written `P-256`, and `secp256r1` in `curveslist`).', note: '`secp256r1` is accepted only by `curveslist`, not by `curve`.' },
  { name: 'secp384r1', curve: true, curveAliases: ['P-384'], listAliases: ['P-384'], rank: 2, summary: 'NIST P-384 (also written `P-384`).' },
  { name: 'X448', curve: false, listAliases: ['x448'], rank: 3, summary: 'Curve448 key exchange, a stronger and slower relative of X25519.', note: 'Not usable with `curve`.' },
  { name: 'secp521r1', curve: true, curveAliases: ['P-521'], listAliases: ['P-521'], rank: 4, summary: 'NIST P-521 (also written `P-521`).' },
  { name: 'ffdhe2048', curve: false, rank: 10, summary: 'RFC 7919 finite-field Diffie-Hellman group, 2048 bits (OpenSSL 3).', note: 'Finite-field groups only work in `curveslist`, and OpenSSL 3.0 uses them only for TLS 1.3 key exchange: listing one does not make TLS 1.2 DHE suites usable (those need `dhparam`).' },
  { name: 'ffdhe3072', curve: false, rank: 11, summary: 'RFC 7919 finite-field Diffie-Hellman group, 3072 bits (OpenSSL 3).' },
  { name: 'ffdhe4096', curve: false, rank: 12, summary: 'RFC 7919 finite-field Diffie-Hellman group, 4096 bits (OpenSSL 3).' },
  { name: 'ffdhe6144', curve: false, rank: 13, summary: 'RFC 7919 finite-field Diffie-Hellman group, 6144 bits (OpenSSL 3); slow.' },
  { name: 'ffdhe8192', curve: false, rank: 14, summary: 'RFC 7919 finite-field Diffie-Hellman group, 8192 bits (OpenSSL 3); very slow.' },
  { name: 'brainpoolP256r1', curve: true, rank: 30, summary: 'Brainpool 256-bit curve.', note: 'Usable with TLS 1.2 only on OpenSSL 3.0; few XMPP peers offer it.' },
  { name: 'brainpoolP384r1', curve: true, rank: 31, summary: 'Brainpool 384-bit curve.', note: 'Usable with TLS 1.2 only on OpenSSL 3.0.' },
  { name: 'brainpoolP512r1', curve: true, rank: 32, summary: 'Brainpool 512-bit curve.', note: 'Usable with TLS 1.2 only on OpenSSL 3.0.' },
  { name: 'secp256k1', curve: true, rank: 40, summary: 'The 256-bit Koblitz curve known from Bitcoin.', note: 'Deprecated for TLS by RFC 8422 and absent from TLS 1.3; peers rarely offer it.' },
  { name: 'secp224r1', curve: true, listAliases: ['P-224'], rank: 60, summary: 'NIST P-224 (112-bit security; also written `P-224` in `curveslist`).', note: 'Below the 128-bit level of the common curves and not part of TLS 1.3.' },
  { name: 'secp224k1', curve: true, rank: 61, summary: '224-bit Koblitz curve (112-bit security).', note: 'Deprecated for TLS by RFC 8422.' },
  { name: 'secp192k1', curve: true, rank: 90, note: BELOW_112, summary: '192-bit Koblitz curve; below 112 bits, so unused by OpenSSL 3 at its default security level.' },
  { name: 'prime192v1', curve: true, listAliases: ['P-192', 'secp192r1'], rank: 90, note: BELOW_112, summary: 'NIST P-192 (also written `P-192` or `secp192r1` in `curveslist`); below 112 bits, so unused by OpenSSL 3 at its default security level.' },
  { name: 'secp160k1', curve: true, rank: 95, note: BELOW_112, summary: '160-bit Koblitz curve; below 112 bits, so unused by OpenSSL 3 at its default security level.' },
  { name: 'secp160r1', curve: true, rank: 95, note: BELOW_112, summary: '160-bit SECG curve; below 112 bits, so unused by OpenSSL 3 at its default security level.' },
  { name: 'secp160r2', curve: true, rank: 95, note: BELOW_112, summary: '160-bit SECG curve; below 112 bits, so unused by OpenSSL 3 at its default security level.' },
  { name: 'sect163k1', curve: true, listAliases: ['K-163'], rank: 95, note: BELOW_112, summary: '163-bit binary Koblitz curve (NIST K-163); below 112 bits, so unused by OpenSSL 3 at its default security level.' },
  { name: 'sect163r1', curve: true, rank: 95, note: BELOW_112, summary: '163-bit binary curve; below 112 bits, so unused by OpenSSL 3 at its default security level.' },
  { name: 'sect163r2', curve: true, listAliases: ['B-163'], rank: 95, note: BELOW_112, summary: '163-bit binary curve (NIST B-163); below 112 bits, so unused by OpenSSL 3 at its default security level.' },
  { name: 'sect193r1', curve: true, rank: 95, note: BELOW_112, summary: '193-bit binary curve; below 112 bits, so unused by OpenSSL 3 at its default security level.' },
  { name: 'sect193r2', curve: true, rank: 95, note: BELOW_112, summary: '193-bit binary curve; below 112 bits, so unused by OpenSSL 3 at its default security level.' },
  { name: 'sect233k1', curve: true, listAliases: ['K-233'], rank: 70, summary: '233-bit binary Koblitz curve (NIST K-233).', note: BINARY },
  { name: 'sect233r1', curve: true, listAliases: ['B-233'], rank: 70, summary: '233-bit binary curve (NIST B-233).', note: BINARY },
  { name: 'sect239k1', curve: true, rank: 70, summary: '239-bit binary Koblitz curve.', note: BINARY },
  { name: 'sect283k1', curve: true, listAliases: ['K-283'], rank: 70, summary: '283-bit binary Koblitz curve (NIST K-283).', note: BINARY },
  { name: 'sect283r1', curve: true, listAliases: ['B-283'], rank: 70, summary: '283-bit binary curve (NIST B-283).', note: BINARY },
  { name: 'sect409k1', curve: true, listAliases: ['K-409'], rank: 70, summary: '409-bit binary Koblitz curve (NIST K-409).', note: BINARY },
  { name: 'sect409r1', curve: true, listAliases: ['B-409'], rank: 70, summary: '409-bit binary curve (NIST B-409).', note: BINARY },
  { name: 'sect571k1', curve: true, listAliases: ['K-571'], rank: 70, summary: '571-bit binary Koblitz curve (NIST K-571).', note: BINARY },
  { name: 'sect571r1', curve: true, listAliases: ['B-571'], rank: 70, summary: '571-bit binary curve (NIST B-571).', note: BINARY },
];

function toValue(s: CurveSpec, aliases: string[] | undefined): CatalogValue {
  return {
    name: s.name,
    doc: { summary: s.summary, ...(s.note ? { details: s.note } : {}), link: GROUPS },
    ...(aliases && aliases.length > 0 ? { aliases } : {}),
    ...(s.unsafe ? { unsafe: s.unsafe } : {}),
    rank: s.rank,
  };
}

/**
 * The names LuaSec 0.6 and older (what Prosody 0.9 ran with) take for `curve`: the fixed table of their ec.h (a
 * reviewer read 0.6a's). Later LuaSec asks OpenSSL for its curves and adds `P-256`/`P-384`/`P-521`, so Brainpool
 * curves and the `P-` spellings are refused there ("elliptic curve not supported").
 */
const LUASEC_06_CURVES: ReadonlySet<string> = new Set([
  ...['secp112r1', 'secp112r2', 'secp128r1', 'secp128r2', 'secp160k1', 'secp160r1', 'secp160r2', 'secp192k1', 'secp224k1', 'secp224r1', 'secp256k1', 'secp384r1', 'secp521r1'],
  ...['sect113r1', 'sect113r2', 'sect131r1', 'sect131r2', 'sect163k1', 'sect163r1', 'sect163r2', 'sect193r1', 'sect193r2', 'sect233k1', 'sect233r1', 'sect239k1', 'sect283k1', 'sect283r1', 'sect409k1', 'sect409r1', 'sect571k1', 'sect571r1'],
  ...['prime192v1', 'prime192v2', 'prime192v3', 'prime239v1', 'prime239v2', 'prime239v3', 'prime256v1'],
]);

export const CURVE_ALIAS_LUASEC = 'LuaSec 0.6 and older take only the names of their own fixed curve table';

/** Whether `curve = name` works with the LuaSec of the line: on 0.9, only a name of LuaSec 0.6's table. */
export function curveNameOn(name: string, line: string): boolean {
  return line !== '0.9' || LUASEC_06_CURVES.has(name);
}

/**
 * `curveslist` spellings OpenSSL 3.0 added (its group table's aliases `x25519`, `x448`, `secp256r1`, `secp192r1`) and
 * the groups it brought to TLS (the RFC 7919 ffdhe groups), each with the name OpenSSL 1.1.1 takes instead where it
 * has one: Debian 11's OpenSSL 1.1.1w refuses them (`s_client -groups`, a reviewer's 0.11.9 run: "unknown elliptic
 * curve in "x25519:secp384r1"").
 */
export const OPENSSL3_GROUP_NAMES: ReadonlyMap<string, string | undefined> = new Map([
  ['x25519', 'X25519'], ['x448', 'X448'], ['secp256r1', 'P-256'], ['secp192r1', 'P-192'],
  ...specs.filter((s) => s.name.startsWith('ffdhe')).map((s) => [s.name, undefined] as [string, undefined]),
]);

/** Groups below 112 bits (every name they go by): OpenSSL 3 never uses them, so no typo is "corrected" into one. */
export const WEAK_GROUPS: ReadonlySet<string> = new Set(specs.filter((s) => s.note === BELOW_112).flatMap((s) => [s.name, ...(s.curveAliases ?? []), ...(s.listAliases ?? [])]));

/** Names `curve` accepts (classic EC curves only). */
export const curveValues: readonly CatalogValue[] = specs.filter((s) => s.curve).map((s) => toValue(s, s.curveAliases));

/** Group names `curveslist` accepts. */
export const curveslistValues: readonly CatalogValue[] = specs.map((s) => toValue(s, s.listAliases));

/**
 * Groups later OpenSSL releases added: the TLS 1.3 Brainpool groups (3.2, RFC 8734) and ML-KEM (3.5, post-quantum;
 * the hybrids lead its default list). The curve catalog is OpenSSL 3.0's, which refuses a list naming them; on a
 * server with a new enough OpenSSL they work, so they are told apart from typos.
 */
export const newerOpensslGroups: ReadonlyMap<string, { readonly name: string; readonly since: string; readonly summary: string }> = new Map(
  [
    ['X25519MLKEM768', '3.5', 'X25519 combined with ML-KEM-768: hybrid post-quantum key exchange.'],
    ['SecP256r1MLKEM768', '3.5', 'P-256 combined with ML-KEM-768: hybrid post-quantum key exchange.'],
    ['SecP384r1MLKEM1024', '3.5', 'P-384 combined with ML-KEM-1024: hybrid post-quantum key exchange.'],
    ['MLKEM512', '3.5', 'ML-KEM-512 alone (post-quantum, no classic part).'],
    ['MLKEM768', '3.5', 'ML-KEM-768 alone (post-quantum, no classic part).'],
    ['MLKEM1024', '3.5', 'ML-KEM-1024 alone (post-quantum, no classic part).'],
    ['brainpoolP256r1tls13', '3.2', 'Brainpool P-256 for TLS 1.3 (plain `brainpoolP256r1` serves TLS 1.2 only).'],
    ['brainpoolP384r1tls13', '3.2', 'Brainpool P-384 for TLS 1.3 (plain `brainpoolP384r1` serves TLS 1.2 only).'],
    ['brainpoolP512r1tls13', '3.2', 'Brainpool P-512 for TLS 1.3 (plain `brainpoolP512r1` serves TLS 1.2 only).'],
  ].map(([name, since, summary]) => [name!.toLowerCase(), { name: name!, since: since!, summary: summary! }]),
);

/**
 * What a `curveslist` entry uses of the group-list syntax later OpenSSL releases added, and the release that has all
 * of it: `?name` (skip a group this OpenSSL does not know; 3.3), and from 3.5 `*name` (send its key share at once),
 * `-name` (take a group out, e.g. after `DEFAULT`), `/` between tuples (preference levels; `:` lists the groups of
 * one tuple) and `DEFAULT` (the built-in list). Older OpenSSL reads the entry as one group name and refuses the list.
 * Undefined unless the entry uses that syntax and every group in it is one some OpenSSL knows (`known`), or is
 * `?`-prefixed (skipped where unknown); OpenSSL 3.5 refuses `?DEFAULT` and repeated prefixes as well.
 */
export function newerGroupSyntax(entry: string, known: (name: string) => boolean): { uses: string; since: string } | undefined {
  const items = entry.split('/').map((x) => x.trim());
  const uses = new Set<string>();
  let since = '3.3';
  if (items.length > 1) {
    uses.add('a `/` between tuples');
    since = '3.5';
  }
  for (const item of items) {
    const { prefix, name } = groupPrefix(item);
    if (!name || new Set(prefix).size < prefix.length || (prefix.includes('*') && prefix.includes('-'))) return undefined;
    if (prefix.includes('?')) uses.add('a `?` prefix');
    if (prefix.includes('*')) uses.add('a `*` prefix');
    if (prefix.includes('-')) uses.add('a `-` prefix');
    if (prefix.includes('*') || prefix.includes('-')) since = '3.5';
    if (name === 'DEFAULT') {
      if (prefix) return undefined;
      uses.add('`DEFAULT`');
      since = '3.5';
    } else if (!prefix.includes('?') && !known(name)) return undefined;
  }
  return uses.size ? { uses: [...uses].join(', '), since } : undefined;
}

/** A `curveslist` entry's `?`/`*`/`-` prefix (OpenSSL 3.3+/3.5 syntax, see newerGroupSyntax) and the group after it. */
export function groupPrefix(entry: string): { prefix: string; name: string } {
  const prefix = /^[-?*]{0,3}/.exec(entry)![0];
  return { prefix, name: entry.slice(prefix.length) };
}
