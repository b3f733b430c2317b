// LuaSec's `certificates` list (several pairs, e.g. RSA and ECDSA), which 0.12 and later hand to LuaSec: its files are
// named nowhere else, so they are read here (review 141: a list pair whose key did not match its certificate made real
// 0.12.3 and 13.0.1 log "Error initialising for example.test: private key does not match public key", the host with
// no TLS; a missing file in the list went unsaid too). Paths in the list are absolute in practice: see checkListPair.
import { keyMatchesCert } from '../files';
import { certAt, passwordValue } from '../fileFacts';
import { guardedRead } from '../fileEnv';
import { getField, type TableValue } from '../model/values';
import { FILE_RULE_IDS as R } from '../rules/files';
import { readTables } from '../rules/helpers';
import { weakSignatureFinding } from './messages';
import { addExpiry } from './namedFiles';
import type { FileRun } from './run';

export async function checkCertificateLists(run: FileRun): Promise<void> {
  const { config, line } = run;
  if (line === '0.9') return; // 0.9 hands LuaSec `certificate` and `key` alone
  for (const t of readTables(config, line)) {
    const list = getField(t.table, 'certificates')?.value;
    if (list?.kind !== 'table') continue;
    for (const entry of list.items) {
      if (entry.kind === 'table') await checkListPair(run, t.section, entry);
      if (run.cancelled()) return;
    }
  }
}

async function checkListPair(run: FileRun, section: number, entry: TableValue): Promise<void> {
  const { env, auto, add, at } = run;
  const cert = getField(entry, 'certificate')?.value;
  const key = getField(entry, 'key')?.value;
  if (cert?.kind !== 'string' || key?.kind !== 'string') return;
  // Prosody resolves none of the list's paths (certmanager's path_options are the table's own keys): LuaSec opens them
  // from the server's working directory, unknown here, so only absolute ones are read.
  if (!cert.value.startsWith('/') || !key.value.startsWith('/')) return;
  const [cr, kr] = [await guardedRead(cert.value, env), await guardedRead(key.value, env)];
  // A missing file: in strict mode (in auto an absolute path may exist only on the server), as for the table's own paths.
  for (const [v, r, what] of [[cert, cr, 'certificate'], [key, kr, 'key']] as const) {
    if (r.kind === 'missing' && !auto) {
      add(R.missing, at(v.range, section), `The ${what} file ${JSON.stringify(v.value)} of this \`certificates\` pair does not exist: LuaSec fails to load the list ("Failed to load …" in Prosody's log), so the contexts of this table get no TLS. Correct the path, or take the pair out of the list.`);
    }
  }
  if (cr.kind !== 'ok' || kr.kind !== 'ok') return;
  const c = (await certAt(cert.value, env)).value;
  if (!c || !c.ok || c.der) return;
  addExpiry(run, c, at(cert.range, section), 'This certificate of the `certificates` list', 'The file', 'name the new file here');
  const weak = weakSignatureFinding(c, run.line);
  if (weak) add(R.weakSignature, at(cert.range, section), weak.message, weak.severity);
  const pw = getField(entry, 'password')?.value;
  const password = pw === undefined ? undefined : passwordValue(pw);
  if (password?.kind === 'unknown') return;
  const m = keyMatchesCert(kr.bytes, cr.bytes, password?.kind === 'string' ? password.value : undefined);
  if (m.kind === 'mismatch' && !m.later) {
    add(R.keyMismatch, at(key.range, section), `This key does not belong to the certificate beside it in the \`certificates\` list: LuaSec fails ("private key does not match public key"), so Prosody logs "Error initialising" and the contexts of this table get no TLS. Name the key that was issued with ${JSON.stringify(cert.value)}.`);
  }
}
