// Oracle agreement: for every generated ssl table, the real Prosody 0.12 + LuaSec (oracle mode `prosody`: Prosody's
// defaults, the intermediate preset, a global ssl with certificate + key, then the case as the host's layer) says
// whether a TLS context is created; we must report an Error of the `invalid` or `ciphers` category exactly when it is not.
// Missing lua5.4/prosody/lua-sec is a failure naming the setup script, never a skip.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-types';
import { createLanguageService } from '../../server/src/service';
import { getRule } from '../../server/src/service/rules';
import { generateCases } from './cases';
import { oracleUnavailableReason, runOracle, type OracleCase, type OracleResult } from './oracle';

const CERT = '"certs/localhost.crt"';
const KEY = '"certs/localhost.key"';

/** The config mirroring the oracle's `prosody` mode: global ssl with the pair, the case as the host's ssl. */
export function configFor(c: OracleCase): string {
  const table = c.lua.replace(/\bKEY\b/g, KEY).replace(/\bCERT\b/g, CERT);
  return `ssl = { certificate = ${CERT}, key = ${KEY} }\n\nVirtualHost "localhost"\n\tssl = ${table}\n`;
}

/**
 * Failures we do not judge, by reason. Each is decided from the case and the oracle's answer alone (never from our
 * output), counted and printed:
 * - file-content: a key or certificate file that holds the wrong thing ("error loading …"): the files rules' business.
 * - runtime-value: a value computed when Prosody runs (`math.huge`); we deliberately never guess those.
 */
function exclusion(c: OracleCase, r: OracleResult): string | undefined {
  if (r.result === 'OK') return undefined;
  if (/^error loading (private key|certificate)/.test(r.message)) return 'file-content';
  if (/math\.|string\./.test(c.lua)) return 'runtime-value';
  return undefined;
}

const cases = generateCases();
let results: Map<string, OracleResult>;

before(async () => {
  const reason = oracleUnavailableReason();
  if (reason) assert.fail(`The LuaSec oracle cannot run: ${reason}`);
  results = await runOracle(cases, { mode: 'prosody' });
});

/**
 * Warnings that say the context fails on OpenSSL 3.0–3.4 but may not on a newer OpenSSL (which one the server runs
 * cannot be seen from a config): the oracle runs this machine's OpenSSL 3.0, where they are failure verdicts.
 */
const FAILS_ON_OPENSSL_30 = new Set(['curve-needs-newer-openssl', 'duplicate-curve']);

function invalidErrors(diags: readonly Diagnostic[]): Diagnostic[] {
  // The cipher-string engine's "selects nothing" is an invalid-value verdict too (LuaSec refuses the context).
  return diags.filter((d) => (d.severity === DiagnosticSeverity.Error && ['invalid', 'ciphers'].includes(getRule(String(d.code))?.category ?? '')) || FAILS_ON_OPENSSL_30.has(String(d.code)));
}

test('every oracle case: the context fails ⇔ we report an invalid- or ciphers-category Error, or a warning that OpenSSL 3.0 refuses it (Prosody 0.12)', () => {
  assert.ok(cases.length >= 300, `only ${cases.length} cases`);
  const service = createLanguageService();
  const excluded = new Map<string, string[]>();
  const disagreements: string[] = [];
  let compared = 0;
  let agreed = 0;
  for (const c of cases) {
    const r = results.get(c.id);
    assert.ok(r, `no oracle result for ${c.id}`);
    const why = exclusion(c, r);
    if (why) {
      excluded.set(why, [...(excluded.get(why) ?? []), c.id]);
      continue;
    }
    const text = configFor(c);
    const doc = TextDocument.create(`file:///oracle/${c.id}/prosody.cfg.lua`, 'prosody', 1, text);
    const diags = service.doValidation(doc, { prosodyVersion: '0.12' });
    assert.equal(diags.filter((d) => d.code === 'syntax-error').length, 0, `${c.id} does not parse: ${text}`);
    const errors = invalidErrors(diags);
    const fails = r.result !== 'OK';
    compared += 1;
    if (fails === errors.length > 0) {
      agreed += 1;
    } else {
      disagreements.push(`${c.id} ${c.lua}\n    oracle: ${r.result}${r.message ? ' ' + r.message : ''}\n    we: ${errors.map((d) => `${d.code}: ${d.message}`).join(' | ') || '(no invalid Error)'}`);
    }
    service.forget(doc.uri);
  }
  const total = [...excluded.values()].reduce((n, ids) => n + ids.length, 0);
  console.log(`oracle agreement: ${agreed}/${compared} (${total} excluded of ${cases.length})`);
  for (const [why, ids] of excluded) console.log(`  excluded ${why} (${ids.length}): ${ids.join(', ')}`);
  for (const d of disagreements) console.log(`  DISAGREE ${d}`);
  assert.equal(disagreements.length, 0, `disagreements:\n${disagreements.join('\n')}`);
  // Keep the exclusions small: they must not swallow the comparison.
  assert.ok(total <= 30, `${total} exclusions`);
  assert.ok(compared >= 400, `only ${compared} compared`);
});

test('the comparison exercises both verdicts and the exclusions are only of their kind', () => {
  const failing = cases.filter((c) => results.get(c.id)!.result !== 'OK' && !exclusion(c, results.get(c.id)!));
  const passing = cases.filter((c) => results.get(c.id)!.result === 'OK');
  assert.ok(failing.length >= 100, `only ${failing.length} failing cases compared`);
  assert.ok(passing.length >= 200, `only ${passing.length} passing cases`);
  for (const c of cases) {
    const why = exclusion(c, results.get(c.id)!);
    if (why === 'cipher-string') assert.match(results.get(c.id)!.message, /cipher list/, c.id);
  }
});
