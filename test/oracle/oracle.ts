// Asks the real LuaSec, through Prosody 0.12's own code, whether `ssl` tables yield a TLS context.
// Each case runs in its own lua5.4 process (test/oracle/probe.lua): LuaSec does not clear OpenSSL's error queue,
// so sharing a process would let one case's failure reason leak into the next case's message.
import { execFile, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * - `sslconfig`: neutral base `{mode="server", protocol="any", key, certificate}` + the case, merged by Prosody's
 *   `util.sslconfig` and post-processed like `certmanager.create_context` (the default: "apply as Prosody would").
 * - `raw`: the same base overlaid with the case and given straight to `ssl.newcontext` (no Prosody code); `NIL`
 *   in the case removes a base field. This is the setup of prosody-facts §4.6.
 * - `prosody`: the real `core.certmanager.create_context` with Prosody's defaults and a `tls_profile` preset.
 */
export type OracleMode = 'sslconfig' | 'raw' | 'prosody';

export interface OracleCase {
  id: string;
  /** Lua expression for the user's `ssl` table, e.g. `{ protocol = "tlsv1_2+" }`. May use KEY, CERT (and NIL in raw mode). */
  lua: string;
  note?: string;
  /** Overrides `OracleOptions.mode` for this case. */
  mode?: OracleMode;
}

export type OracleKind = 'OK' | 'RETURNED' | 'THROWN';

export interface OracleResult {
  result: OracleKind;
  /** '' for OK. Paths are normalised to <luasec>/, <prosody>/ and <work>/. */
  message: string;
}

export interface OracleOptions {
  mode?: OracleMode;
  /** Parallel lua processes; default 2 (the CI machine has 2 cores). */
  concurrency?: number;
  /** Only for mode `prosody`; default "intermediate". */
  tlsProfile?: string;
  /** Per case; default 15000 ms. */
  timeoutMs?: number;
}

export const SETUP_HINT = 'run `sh scripts/oracle-setup.sh` (installs prosody, lua-sec, lua5.4 and openssl from Debian)';
const LUA = 'lua5.4';
const PROSODY_SSLCONFIG = '/usr/lib/prosody/util/sslconfig.lua';
const PROSODY_CERTMANAGER = '/usr/lib/prosody/core/certmanager.lua';

/** Why the oracle cannot run here, or undefined when it can. */
export function oracleUnavailableReason(): string | undefined {
  const lua = spawnSync(LUA, ['-e', 'require "ssl"'], { encoding: 'utf8' });
  if (lua.error) return `${LUA} not found; ${SETUP_HINT}`;
  if (lua.status !== 0) return `LuaSec (require "ssl") does not load in ${LUA}: ${lua.stderr.trim()}; ${SETUP_HINT}`;
  for (const file of [PROSODY_SSLCONFIG, PROSODY_CERTMANAGER]) {
    if (!fs.existsSync(file)) return `${file} missing (Prosody not installed); ${SETUP_HINT}`;
  }
  const openssl = spawnSync('openssl', ['version'], { encoding: 'utf8' });
  if (openssl.error || openssl.status !== 0) return `openssl not found; ${SETUP_HINT}`;
  return undefined;
}

export function oracleAvailable(): boolean {
  return oracleUnavailableReason() === undefined;
}

/** Versions the oracle answers for, e.g. for labelling a record. */
export function oracleVersions(): { prosody: string; luasec: string; openssl: string } {
  const luasec = spawnSync(LUA, ['-e', 'io.write(require("ssl")._VERSION)'], { encoding: 'utf8' }).stdout.trim();
  let prosody = '?';
  try {
    prosody = fs.readFileSync('/usr/lib/prosody/prosody.version', 'utf8').trim();
  } catch {
    // Left as '?': the version file is informative only.
  }
  const openssl = spawnSync('openssl', ['version'], { encoding: 'utf8' }).stdout.trim();
  return { prosody, luasec, openssl };
}

/** test/oracle/probe.lua, found from either the source tree or the compiled out/ tree. */
export function probePath(): string {
  let dir = __dirname;
  for (;;) {
    const candidate = path.join(dir, 'test', 'oracle', 'probe.lua');
    if (fs.existsSync(candidate)) return candidate;
    const sibling = path.join(dir, 'probe.lua');
    if (fs.existsSync(sibling)) return sibling;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('test/oracle/probe.lua not found above ' + __dirname);
    dir = parent;
  }
}

/** A fresh RSA key + matching self-signed certificate in a private temp dir (key.pem, cert.pem). */
export function makeKeyPair(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prosody-ssl-oracle-'));
  fs.chmodSync(dir, 0o700);
  const r = spawnSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'key.pem', '-out', 'cert.pem',
      '-days', '2', '-subj', '/CN=localhost'],
    { cwd: dir, encoding: 'utf8' },
  );
  if (r.error || r.status !== 0) {
    fs.rmSync(dir, { recursive: true, force: true });
    // openssl's stderr holds only progress and errors, never the key itself.
    throw new Error(`openssl could not create a test key pair: ${r.error?.message ?? r.stderr}`);
  }
  return dir;
}

function unescapeLine(s: string): string {
  return s.replace(/\\(.)/g, (_m, c: string) => (c === 'n' ? '\n' : c === 'r' ? '\r' : c));
}

/** Parses the probe's one-line answer; throws for ERROR or anything unexpected (a harness fault, not a verdict). */
export function parseProbeLine(id: string, stdout: string, stderr = ''): OracleResult {
  const line = stdout.trim();
  const m = /^(OK|RETURNED|THROWN|ERROR)(?: (.*))?$/s.exec(line);
  if (!m || line.includes('\n')) {
    throw new Error(`oracle case ${id}: unexpected probe output ${JSON.stringify(line)} stderr ${JSON.stringify(stderr)}`);
  }
  const kind = m[1];
  const message = unescapeLine(m[2] ?? '');
  if (kind === 'ERROR') throw new Error(`oracle case ${id}: probe could not run it: ${message}`);
  return { result: kind as OracleKind, message };
}

function runOne(
  probe: string, workdir: string, c: OracleCase, options: OracleOptions,
): Promise<OracleResult> {
  const mode = c.mode ?? options.mode ?? 'sslconfig';
  const args = [probe, mode, workdir, c.lua];
  if (mode === 'prosody') args.push(options.tlsProfile ?? 'intermediate');
  return new Promise((resolve, reject) => {
    execFile(LUA, args, { timeout: options.timeoutMs ?? 15000, encoding: 'utf8', env: { ...process.env, ORACLE_DUMP: '' } },
      (error, stdout, stderr) => {
        if (error && !stdout) {
          reject(new Error(`oracle case ${c.id}: ${LUA} failed: ${error.message} ${stderr}`));
          return;
        }
        try {
          resolve(parseProbeLine(c.id, stdout, stderr));
        } catch (e) {
          reject(e);
        }
      });
  });
}

/** Runs every case against the real LuaSec; resolves to id → result. Rejects if the oracle is unavailable. */
export async function runOracle(
  cases: readonly OracleCase[], options: OracleOptions = {},
): Promise<Map<string, OracleResult>> {
  const missing = oracleUnavailableReason();
  if (missing) throw new Error(`oracle unavailable: ${missing}`);
  const seen = new Set<string>();
  for (const c of cases) {
    if (seen.has(c.id)) throw new Error(`duplicate oracle case id ${c.id}`);
    seen.add(c.id);
  }
  const probe = probePath();
  const workdir = makeKeyPair();
  const results = new Map<string, OracleResult>();
  try {
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < cases.length) {
        const c = cases[next++];
        results.set(c.id, await runOne(probe, workdir, c, options));
      }
    };
    const n = Math.max(1, Math.min(options.concurrency ?? 2, cases.length));
    await Promise.all(Array.from({ length: n }, worker));
  } finally {
    fs.rmSync(workdir, { recursive: true, force: true });
  }
  // Keep the caller's order (workers finish out of order).
  return new Map(cases.map((c) => [c.id, results.get(c.id) as OracleResult]));
}
