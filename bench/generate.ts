// Generates realistic Prosody configs of a chosen size for the benchmark and the property tests:
// a global section with TLS settings, then VirtualHosts and Components, most with their own ssl
// tables (protocol, ciphers, curves, option lists, per-port https_ssl). Deterministic for a seed.

/** Small deterministic PRNG (mulberry32) so a size always yields the same text. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PROTOCOLS = ['tlsv1_2+', 'tlsv1_3', 'tlsv1_2', 'sslv23', 'tlsv1+'];
const CIPHERS = ['HIGH+kEDH:HIGH+kEECDH:!aNULL:!MD5', 'ECDHE+AESGCM:ECDHE+CHACHA20', 'DEFAULT:!RC4', 'HIGH:!aNULL:!eNULL:!3DES'];
const CURVES = ['X25519:P-256:P-384', 'prime256v1', 'secp384r1:X448'];
const OPTIONS = ['no_sslv2', 'no_sslv3', 'no_ticket', 'cipher_server_preference', 'single_dh_use', 'single_ecdh_use', 'no_compression'];
const VERIFY = ['peer', 'client_once', 'none', 'fail_if_no_peer_cert'];
const MODULES = ['roster', 'saslauth', 'tls', 'dialback', 'disco', 'carbons', 'pep', 'private', 'blocklist', 'vcard4', 'smacks', 'csi_simple', 'ping', 'register', 'mam'];

function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)]!;
}

function sslTable(r: () => number, host: string, indent: string, name = 'ssl'): string[] {
  const i2 = indent + '\t';
  const lines = [`${indent}${name} = {`, `${i2}key = "/etc/prosody/certs/${host}.key";`, `${i2}certificate = "/etc/prosody/certs/${host}.crt";`];
  if (r() < 0.8) lines.push(`${i2}protocol = "${pick(r, PROTOCOLS)}";`);
  if (r() < 0.6) lines.push(`${i2}ciphers = "${pick(r, CIPHERS)}";`);
  if (r() < 0.5) lines.push(`${i2}curveslist = "${pick(r, CURVES)}";`);
  if (r() < 0.5) {
    const opts = OPTIONS.filter(() => r() < 0.4);
    if (r() < 0.5) lines.push(`${i2}options = { ${opts.map((o) => `"${o}"`).join(', ')} };`);
    else lines.push(`${i2}options = { ${opts.map((o) => `${o} = true`).join(', ')} };`);
  }
  if (r() < 0.4) lines.push(`${i2}verify = { "${pick(r, VERIFY)}", "${pick(r, VERIFY)}" };`);
  if (r() < 0.2) lines.push(`${i2}dhparam = "/etc/prosody/dh-2048.pem";`);
  lines.push(`${indent}}`);
  return lines;
}

function header(r: () => number): string[] {
  return [
    '-- Generated benchmark configuration',
    'admins = { "admin@example.org" }',
    'modules_enabled = {',
    ...MODULES.filter(() => r() < 0.7).map((m) => `\t"${m}"; -- module ${m}`),
    '}',
    'c2s_require_encryption = true',
    's2s_require_encryption = true',
    's2s_secure_auth = true',
    'tls_profile = "intermediate"',
    'certificates = "certs"',
    ...sslTable(r, 'global', ''),
    'https_ssl = {',
    '\t[5281] = {',
    '\t\tcertificate = "/etc/prosody/certs/https.crt";',
    '\t\tkey = "/etc/prosody/certs/https.key";',
    '\t};',
    '}',
    'c2s_direct_tls_ports = { 5223 }',
    '',
  ];
}

function host(r: () => number, n: number): string[] {
  const name = `host${n}.example.org`;
  const out = [`VirtualHost "${name}"`];
  if (r() < 0.5) out.push('\tenabled = true');
  if (r() < 0.7) out.push(...sslTable(r, name, '\t'));
  if (r() < 0.3) out.push(`\tc2s_require_encryption = ${r() < 0.8 ? 'true' : 'false'}`);
  out.push('');
  if (r() < 0.5) {
    const comp = `conference${n}.example.org`;
    out.push(`Component "${comp}" "muc"`, '\tmodules_enabled = { "muc_mam" }');
    if (r() < 0.6) out.push(...sslTable(r, comp, '\t'));
    out.push('');
  }
  return out;
}

/** A config of (about) `lines` lines: never fewer, at most one host block more. */
export function generateConfig(lines: number, seed = 1): string {
  const r = rng(seed);
  const out = header(r);
  let n = 0;
  while (out.length < lines) out.push(...host(r, n++));
  return out.join('\n') + '\n';
}
