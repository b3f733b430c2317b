// Differential test: our pure evaluator against the real `openssl ciphers` on this machine.
// Comparison is on the TLS <= 1.2 list: we run `openssl ciphers -ciphersuites "" -- STR`, which empties the
// TLS 1.3 list that `openssl ciphers` would otherwise print first (that list does not depend on STR; our
// result keeps it apart in `tls13`). When openssl fails (syntax error or "no cipher match") our result
// must be empty and carry `error`. openssl missing is a failure, never a skip.
import { rng } from '../../bench/generate';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { evaluateCipherString, evaluateCiphersuites, RECOGNIZED_ALIASES, SUITES } from '../../server/src/service/ciphers';
import { serverUsable } from '../../server/src/service/ciphers/classify';

const REPO = path.resolve(__dirname, '../../..');
const CORPUS = process.env.PROSODY_SSL_CORPUS ?? path.resolve(REPO, '../shared/corpus');
// CIPHER_DIFF_SEED / CIPHER_DIFF_COUNT widen the search locally; CI uses the defaults.
const GENERATED = Number(process.env.CIPHER_DIFF_COUNT ?? 560);
const SEED = Number(process.env.CIPHER_DIFF_SEED ?? 0xc1f3);


function generate(n: number, seed: number): string[] {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const unknown = ['RC4', 'DES', 'EXPORT', 'EXP', 'IDEA', 'SEED', 'bogus', 'high', 'TLS_AES_128_GCM_SHA256', 'TLS_RSA_WITH_AES_128_CBC_SHA', 'kECDH', 'DEFAULT'];
  const names = SUITES.map((s) => s.name);
  const word = (): string => {
    const x = r();
    return x < 0.62 ? pick(RECOGNIZED_ALIASES) : x < 0.9 ? pick(names) : pick(unknown);
  };
  const term = (): string => {
    const x = r();
    if (x < 0.06) return '@STRENGTH';
    if (x < 0.1) return `@SECLEVEL=${Math.floor(r() * 3)}`;
    const parts = [word()];
    while (r() < 0.3 && parts.length < 3) parts.push(word());
    const y = r();
    const prefix = y < 0.55 ? '' : y < 0.72 ? '!' : y < 0.86 ? '-' : '+';
    return prefix + parts.join('+');
  };
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const count = 1 + Math.floor(r() * 7);
    const sep = r() < 0.7 ? ':' : pick([',', ' ', ';']);
    const terms = Array.from({ length: count }, term);
    let s = terms.map((t, j) => (j === 0 ? t : (r() < 0.85 ? sep : pick([':', ',', ' ', ';', '::'])) + t)).join('');
    const x = r();
    if (x < 0.12) s = `DEFAULT${pick([':', ',', ''])}${s}`;
    else if (x < 0.16) s = `${s}${pick(['+', ':!', '*', ':@FOO', ':@SECLEVEL=9', '(x)'])}`; // syntax errors
    else if (x < 0.2) s = `ALL:COMPLEMENTOFALL:${s}`;
    out.push(s);
  }
  return out;
}

/** Hand-picked corners of ssl_ciph.c (all checked against openssl like the rest). */
const EDGE_CASES = [
  ':::HIGH', 'DEFAULT,kRSA', ' DEFAULT', '-', '@STRENGTH+X:AES128-SHA', 'AES128-SHA:@SECLEVEL=1x', 'SUITEB128ONLY',
  'SUITEB128C2', 'SUITEB192:HIGH', 'SUITEB128 junk', 'COMPLEMENTOFDEFAULT+HIGH', 'HIGH+COMPLEMENTOFDEFAULT', 'DEFAULT*',
  'TLSv1+TLSv1.2', 'AES128-SHA+AES128-SHA', '=', 'ECDHE-RSA-AES128-GCM-SHA256+COMPLEMENTOFDEFAULT', 'ALL@SECLEVEL=2',
  'HIGH:-ALL:COMPLEMENTOFALL:ALL:@STRENGTH:+aNULL', 'ALL:!ECDHE-RSA-AES128-SHA:ECDHE-RSA-AES128-SHA', 'DEFAULTDEFAULT',
  '3DES*:AES128-SHA', 'RC4*:AES128-SHA', 'HIGH!aNULL:!HIGH:eNULL', 'HIGH:!DSS:!aNULL@STRENGTH', '',
];

function corpusStrings(): string[] {
  assert.ok(existsSync(CORPUS), `corpus folder not found: ${CORPUS} (set PROSODY_SSL_CORPUS)`);
  const found: string[] = [];
  for (const f of readdirSync(CORPUS).filter((x) => x.endsWith('.cfg.lua')).sort()) {
    const text = readFileSync(path.join(CORPUS, f), 'utf8');
    for (const m of text.matchAll(/\bciphers\s*=\s*(["'])((?:(?!\1)[^\n])*)\1/g)) found.push(m[2]!);
  }
  return found;
}

/** One openssl process per string, run by two shell workers (xargs -P2); '#ERR' marks a rejected string. */
function opensslLists(strings: readonly string[]): string[] {
  const probe = spawnSync('openssl', ['version'], { encoding: 'utf8' });
  assert.ok(!probe.error && probe.status === 0, 'openssl is required for the cipher differential test (apt-get install -y openssl); skipping is not allowed');
  const dir = mkdtempSync(path.join(tmpdir(), 'cipher-diff-'));
  try {
    strings.forEach((s, i) => writeFileSync(path.join(dir, `${i}.in`), `${s}\n`));
    const worker = 'for i; do IFS= read -r s < "$D/$i.in"; openssl ciphers -ciphersuites "" -- "$s" > "$D/$i.out" 2>/dev/null || echo "#ERR" > "$D/$i.out"; done';
    const indexes = strings.map((_, i) => String(i)).join('\n');
    const r = spawnSync('sh', ['-c', `printf '%s\\n' "$1" | xargs -P2 -n 40 sh -c '${worker}' sh`, 'sh', indexes], {
      encoding: 'utf8', env: { ...process.env, D: dir }, maxBuffer: 64 << 20,
    });
    assert.equal(r.status, 0, r.stderr);
    return strings.map((_, i) => readFileSync(path.join(dir, `${i}.out`), 'utf8').replace(/\n$/, ''));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('cipher strings evaluate exactly like openssl ciphers', () => {
  const corpus = corpusStrings();
  assert.ok(corpus.length >= 10, `expected cipher strings in the corpus, found ${corpus.length}`);
  const strings = [...generate(GENERATED, SEED), ...EDGE_CASES, ...corpus];
  const expected = opensslLists(strings);
  const failures: string[] = [];
  let agree = 0, errors = 0;
  strings.forEach((s, i) => {
    const want = expected[i]!;
    const res = evaluateCipherString(s);
    const got = res.suites.map((x) => x.name).join(':');
    if (want === '#ERR') {
      errors++;
      if (got === '' && res.error !== undefined) agree++;
      else failures.push(`${JSON.stringify(s)}: openssl rejects it, we give ${res.suites.length} suites`);
    } else if (got === want && res.error === undefined) agree++;
    else failures.push(`${JSON.stringify(s)}:\n    openssl ${want}\n    ours    ${got} ${res.error ?? ''}`);
  });
  console.log(`cipher differential: ${agree}/${strings.length} agree (${corpus.length} from the corpus, ${errors} rejected by openssl)`);
  assert.ok(errors > 20 && errors < strings.length / 2, `generator should produce a mix of accepted and rejected strings (rejected: ${errors})`);
  assert.deepEqual(failures.slice(0, 15), []);
});

// What a server can pick at each security level (serverUsable: a reviewer found @SECLEVEL=4 leaving 43 of HIGH's suites
// where OpenSSL 3.0 keeps 23, no AES128 suite) against `openssl ciphers -s -tls1_2`, which lists the suites a TLS 1.2
// handshake may use at the string's level (PSK and SRP left out, as Prosody sets no callbacks for them).
test('the suites a server can use at each @SECLEVEL are those openssl ciphers -s lists', () => {
  const bases = [...new Set(['ALL:COMPLEMENTOFALL', 'HIGH', 'DEFAULT', 'ECDHE+AESGCM:ECDHE+CHACHA20', 'HIGH:MEDIUM:!aNULL', 'AES128-SHA:DES-CBC3-SHA:ECDHE-RSA-AES128-SHA', 'EECDH+AESGCM:EDH+AESGCM', ...corpusStrings().filter((c) => !c.includes('@SECLEVEL'))])];
  assert.ok(spawnSync('openssl', ['version']).status === 0, 'openssl is required');
  const failures: string[] = [];
  for (const base of bases) {
    for (let level = 0; level <= 5; level++) {
      const str = `${base}:@SECLEVEL=${level}`;
      const r = spawnSync('openssl', ['ciphers', '-s', '-tls1_2', '-ciphersuites', '', '--', str], { encoding: 'utf8' });
      const want = r.status === 0 ? r.stdout.trim().split(':').filter(Boolean) : [];
      const res = evaluateCipherString(str);
      const got = res.suites.filter((x) => x.protocol !== 'TLSv1.3' && serverUsable(x, res.seclevel, true)).map((x) => x.name);
      if (got.join(':') !== want.join(':')) failures.push(`${str}:\n    openssl ${want.join(':')}\n    ours    ${got.join(':')}`);
    }
  }
  assert.deepEqual(failures.slice(0, 10), []);
});

test('TLS 1.3 ciphersuites lists evaluate like openssl -ciphersuites', () => {
  const cases = [
    'TLS_AES_128_GCM_SHA256:TLS_CHACHA20_POLY1305_SHA256', ' TLS_AES_128_GCM_SHA256 : TLS_AES_128_GCM_SHA256:bogus',
    'TLS_AES_128_CCM_8_SHA256:TLS_AES_128_CCM_SHA256:TLS_AES_256_GCM_SHA384', 'bogus', 'tls_aes_128_gcm_sha256',
    'TLS_AES_128_GCM_SHA256,TLS_AES_256_GCM_SHA384', 'TLS_AES_128_GCM_SHA256::TLS_AES_256_GCM_SHA384', 'TLS_RSA_WITH_AES_128_CBC_SHA',
  ];
  assert.ok(spawnSync('openssl', ['version']).status === 0, 'openssl is required');
  for (const c of cases) {
    const r = spawnSync('openssl', ['ciphers', '-ciphersuites', c, '--', 'AES256-SHA'], { encoding: 'utf8' });
    const want = r.status === 0 ? r.stdout.trim().split(':').slice(0, -1) : null;
    const ours = evaluateCiphersuites(c);
    if (want === null) assert.equal(ours.error, 'no-cipher-match', c);
    else assert.deepEqual(ours.suites.map((s) => s.name), want, c);
  }
});
