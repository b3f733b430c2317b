// Generates server/src/service/ciphers/suites.generated.ts from the local `openssl ciphers` (OpenSSL 3.0).
// Run: node scripts/run-ts.mjs scripts/generate-cipher-table.ts
// Besides listing suites it recovers OpenSSL's internal preference order (the list every rule walks) and
// checks, for every alias, that our masks select exactly what `openssl ciphers -v ALIAS` prints.
import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { ALIASES, type AliasDef } from '../server/src/service/ciphers/aliases';
import { AU_COLUMN, DEFAULT_MASK, ENC_COLUMN, KX_COLUMN, MAC_COLUMN, STRENGTH, STRONG_MASK, VERSION, type ProtocolName } from '../server/src/service/ciphers/bits';
import type { Suite } from '../server/src/service/ciphers/types';

const OUT = path.resolve(process.cwd(), 'server/src/service/ciphers/suites.generated.ts');
const TLS13_ALL = 'TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_CCM_SHA256:TLS_AES_128_CCM_8_SHA256';

function openssl(args: string[]): { ok: boolean; out: string } {
  const r = spawnSync('openssl', args, { encoding: 'utf8' });
  if (r.error) throw new Error(`cannot run openssl: ${r.error.message}`);
  return { ok: r.status === 0, out: r.stdout };
}
/** TLS <= 1.2 suite names for a cipher string, [] when openssl rejects it. */
function names(str: string): string[] {
  const r = openssl(['ciphers', '-ciphersuites', '', '--', str]);
  return r.ok ? r.out.trim().split(':').filter(Boolean) : [];
}

interface Row { id: string; stdName: string; name: string; protocol: ProtocolName; kx: string; au: string; enc: string; encBits: number; mac: string }
function rows(args: string[]): Row[] {
  const r = openssl(['ciphers', '-V', '-stdname', ...args]);
  if (!r.ok) throw new Error(`openssl ciphers ${args.join(' ')} failed`);
  return r.out.trim().split('\n').map((line) => {
    const f = line.trim().split(/\s+/);
    const kv = (k: string): string => { const x = f.find((s) => s.startsWith(`${k}=`)); if (!x) throw new Error(`no ${k} in ${line}`); return x.slice(k.length + 1); };
    const encCol = kv('Enc');
    const m = /^(.*?)(?:\((\d+)\))?$/.exec(encCol)!;
    const protocol = f[5] as ProtocolName;
    if (!(protocol in VERSION)) throw new Error(`unknown protocol ${f[5]}`);
    return { id: f[0]!, stdName: f[2]!, name: f[4]!, protocol, kx: kv('Kx'), au: kv('Au'), enc: m[1]!, encBits: Number(m[2] ?? 0), mac: kv('Mac') };
  });
}
function col(table: Readonly<Record<string, number>>, key: string, what: string): number {
  const v = table[key];
  if (v === undefined) throw new Error(`unmapped ${what} column value ${key}`);
  return v;
}

/** Same test as ssl_cipher_apply_rule for a single alias. */
function aliasMatches(a: AliasDef, s: Pick<Suite, 'mkey' | 'auth' | 'encMask' | 'macMask' | 'minTls' | 'strength'>): boolean {
  if (a.mkey && !(a.mkey & s.mkey)) return false;
  if (a.auth && !(a.auth & s.auth)) return false;
  if (a.enc && !(a.enc & s.encMask)) return false;
  if (a.mac && !(a.mac & s.macMask)) return false;
  if (a.minTls && a.minTls !== s.minTls) return false;
  const st = a.strength ?? 0;
  if (st & STRONG_MASK && !(st & STRONG_MASK & s.strength)) return false;
  if (st & DEFAULT_MASK && !(st & DEFAULT_MASK & s.strength)) return false;
  return true;
}

/** Merge several orderings of subsets into one total order (Kahn, ties broken by `tie`). */
function mergeOrders(all: string[], orders: string[][], tie: Map<string, number>): string[] {
  const succ = new Map<string, Set<string>>(all.map((n) => [n, new Set<string>()]));
  const indeg = new Map<string, number>(all.map((n) => [n, 0]));
  for (const o of orders) for (let i = 1; i < o.length; i++) {
    const a = o[i - 1]!, b = o[i]!;
    if (!succ.get(a)!.has(b)) { succ.get(a)!.add(b); indeg.set(b, indeg.get(b)! + 1); }
  }
  const out: string[] = [];
  const ready = all.filter((n) => indeg.get(n) === 0);
  while (ready.length) {
    ready.sort((x, y) => tie.get(x)! - tie.get(y)!);
    const n = ready.shift()!;
    out.push(n);
    for (const m of succ.get(n)!) { indeg.set(m, indeg.get(m)! - 1); if (indeg.get(m) === 0) ready.push(m); }
  }
  if (out.length !== all.length) throw new Error('alias orders are inconsistent (cycle)');
  return out;
}

function main(): void {
  const version = execFileSync('openssl', ['version'], { encoding: 'utf8' }).trim();
  const base = rows(['-ciphersuites', '', 'ALL:COMPLEMENTOFALL:@SECLEVEL=0']);
  const set = (alias: string): Set<string> => new Set(names(alias));
  const high = set('HIGH'), medium = set('MEDIUM'), low = set('LOW'), fips = set('FIPS'), notDefault = set('COMPLEMENTOFDEFAULT');

  // Recognized words: a known word followed by '*' is a syntax error, an unknown one is skipped.
  const recognized = ALIASES.filter((a) => !openssl(['ciphers', '-ciphersuites', '', `${a.name}*:AES128-SHA`]).ok).map((a) => a.name);

  const suites = new Map<string, Suite>();
  for (const r of base) {
    const strong = high.has(r.name) ? STRENGTH.HIGH : medium.has(r.name) ? STRENGTH.MEDIUM : low.has(r.name) ? STRENGTH.LOW : STRENGTH.NONE;
    const strength = strong | (fips.has(r.name) ? STRENGTH.FIPS : 0) | (notDefault.has(r.name) ? STRENGTH.NOT_DEFAULT : 0);
    const partial = {
      mkey: col(KX_COLUMN, r.kx, 'Kx'), auth: col(AU_COLUMN, r.au, 'Au'),
      encMask: col(ENC_COLUMN, `${r.enc}(${r.encBits})`, 'Enc'), macMask: col(MAC_COLUMN, r.mac, 'Mac'),
      minTls: VERSION[r.protocol], strength,
    };
    const aliases = ALIASES.filter((a) => recognized.includes(a.name) && aliasMatches(a, partial)).map((a) => a.name);
    suites.set(r.name, { ...r, ...partial, aliases });
  }

  // Recover OpenSSL's internal order: each alias prints its members in that order.
  const orders = ALIASES.map((a) => names(a.name)).filter((o) => o.length > 1);
  const tie = new Map(base.map((r, i) => [r.name, i]));
  const order = mergeOrders(base.map((r) => r.name), orders, tie);

  // Verify every alias (membership and order) against openssl.
  let failures = 0;
  for (const a of ALIASES) {
    const expected = names(a.name);
    const ours = recognized.includes(a.name) ? order.filter((n) => aliasMatches(a, suites.get(n)!)) : [];
    if (expected.join(':') !== ours.join(':')) {
      failures++;
      console.error(`alias ${a.name}: openssl ${expected.length} [${expected.slice(0, 4).join(' ')}…] vs ours ${ours.length} [${ours.slice(0, 4).join(' ')}…]`);
    }
  }
  if (failures) throw new Error(`${failures} aliases disagree with openssl; fix aliases.ts/bits.ts`);

  const tls13 = rows(['-ciphersuites', TLS13_ALL, 'AES128-SHA']).filter((r) => r.protocol === 'TLSv1.3');
  const tls13Default = rows(['AES128-SHA']).filter((r) => r.protocol === 'TLSv1.3').map((r) => r.name);
  const tls13Suites: Suite[] = tls13.map((r) => ({
    ...r, mkey: 0, auth: 0, encMask: col(ENC_COLUMN, `${r.enc}(${r.encBits})`, 'Enc'), macMask: col(MAC_COLUMN, r.mac, 'Mac'),
    minTls: VERSION['TLSv1.3'], strength: STRENGTH.HIGH, aliases: [],
  }));

  const lines = [
    '// GENERATED by scripts/generate-cipher-table.ts from `openssl ciphers -V -stdname` — do not edit by hand.',
    `// Source build: ${version}. Rows are in OpenSSL's internal preference order (the list cipher rules walk).`,
    "import type { Suite } from './types';",
    '',
    `export const OPENSSL_BUILD = ${JSON.stringify(version)};`,
    '',
    '/** TLS <= 1.2 suites available on the build, in internal order (ssl_create_cipher_list after its default sort). */',
    'export const SUITES: readonly Suite[] = [',
    ...order.map((n) => `  ${JSON.stringify(suites.get(n))},`),
    '];',
    '',
    '/** TLS 1.3 suites (configured separately through `ciphersuites`). */',
    'export const TLS13_SUITES: readonly Suite[] = [',
    ...tls13Suites.map((s) => `  ${JSON.stringify(s)},`),
    '];',
    '',
    '/** OpenSSL\'s default TLS 1.3 list (printed first by `openssl ciphers`). */',
    `export const TLS13_DEFAULT: readonly string[] = ${JSON.stringify(tls13Default)};`,
    '',
    '/** Alias words this build recognizes (others, like RC4, are ignored as unknown). */',
    `export const RECOGNIZED_ALIASES: readonly string[] = ${JSON.stringify(recognized)};`,
    '',
  ];
  writeFileSync(OUT, lines.join('\n'));
  console.log(`wrote ${path.relative(process.cwd(), OUT)}: ${order.length} suites, ${tls13Suites.length} TLS 1.3, ${recognized.length}/${ALIASES.length} aliases recognized, all aliases verified`);
}

main();
