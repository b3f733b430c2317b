// Proves the oracle harness asks the real Prosody 0.12 + LuaSec correctly: it must reproduce the observations in
// prosody-facts.json (raw ssl.newcontext, §4.6; prosodyctl check certs, §5) and then answer the whole generated set.
// Missing lua5.4/prosody/lua-sec is a FAILURE naming scripts/oracle-setup.sh, never a skip.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { OracleCase, OracleKind, OracleResult, oracleUnavailableReason, oracleVersions, runOracle } from './oracle';
import { generateCases, luaQuote, OPTION_FLAGS } from './cases';

function requireOracle(): void {
  const reason = oracleUnavailableReason();
  if (reason) assert.fail(`The LuaSec oracle cannot run: ${reason}`);
}

function repoRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('package.json not found above ' + __dirname);
    dir = parent;
  }
  return dir;
}

interface FactsCase { case: string; result: OracleKind; message: string }
interface CtlCase { case: string; ssl_or_config_line: string; output: string[] }
interface Facts {
  oracle_luasec_newcontext: { cases: FactsCase[]; option_flag_cases: { all_53_names_accepted: boolean; count: number } };
  oracle_prosodyctl: { cases: CtlCase[] };
}

function loadFacts(): Facts {
  const file = process.env.PROSODY_FACTS_JSON
    ?? path.resolve(repoRoot(), '..', 'shared', 'reference', 'prosody-facts.json');
  assert.ok(fs.existsSync(file), `facts file not found: ${file} (set PROSODY_FACTS_JSON)`);
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Facts;
}

// Facts §4.6 rows that need extra files (missing, garbage, encrypted, EC, mismatched) — another check's territory.
const FILE_DEPENDENT = new Set([
  'key=nonexistent', 'certificate=nonexistent', 'key=garbage file', 'certificate=garbage file', 'key/cert mismatch',
  'key=directory', 'encrypted key, no password', 'encrypted key, password="secret"', 'encrypted key, password="wrong"',
  'encrypted key, password=function', 'EC cert+key', 'certificates={rsa,ec}', 'capath=nonexistent dir',
  'cafile=nonexistent', 'cafile=garbage',
]);

// Lua for the facts rows whose label is not simply `key="string"`. Base (raw mode): mode=server, protocol=any, KEY, CERT.
const EXPLICIT: Record<string, string> = {
  'baseline server any+cert+key': '{}',
  'client no cert': '{ mode = "client", key = NIL, certificate = NIL }',
  'protocol=nil': '{ protocol = NIL }',
  'protocol=12 (number)': '{ protocol = 12 }',
  'protocol={table}': '{ protocol = { "tlsv1_2" } }',
  'mode=nil': '{ mode = NIL }',
  'protocl (typo) and no protocol': '{ protocl = "tlsv1_2+", protocol = NIL }',
  'unknown key foo=1': '{ foo = 1 }',
  'options={"no_foo"}': '{ options = { "no_foo" } }',
  'options="no_ticket" (string)': '{ options = "no_ticket" }',
  'options={no_ticket=true} (map)': '{ options = { no_ticket = true } }',
  'options={42}': '{ options = { 42 } }',
  'options={true}': '{ options = { true } }',
  'options={"NO_TICKET"}': '{ options = { "NO_TICKET" } }',
  'options={} (empty)': '{ options = {} }',
  'verify={peer,client_once}': '{ verify = { "peer", "client_once" } }',
  'verify={peer,bogus}': '{ verify = { "peer", "bogus" } }',
  'verify=true': '{ verify = true }',
  'verify=1': '{ verify = 1 }',
  'verifyext={lsec_continue,lsec_ignore_purpose}': '{ verifyext = { "lsec_continue", "lsec_ignore_purpose" } }',
  'depth=9': '{ depth = 9 }',
  'depth=1.5': '{ depth = 1.5 }',
  'depth=-1': '{ depth = -1 }',
  'depth=true': '{ depth = true }',
  'curve=1': '{ curve = 1 }',
  'curveslist={X25519,P-256} (table)': '{ curveslist = { "X25519", "P-256" } }',
  'ciphers={HIGH,!aNULL} (table)': '{ ciphers = { "HIGH", "!aNULL" } }',
  'ciphersuites={table}': '{ ciphersuites = { "TLS_AES_128_GCM_SHA256" } }',
  'key=cert file (no key inside)': '{ key = CERT }',
  'password=123 (number)': '{ password = 123 }',
  'key=123 (number)': '{ key = 123 }',
  'key=true': '{ key = true }',
  'capath=/etc/ssl/certs': '{ capath = "/etc/ssl/certs" }',
  'cafile=cert.pem': '{ cafile = CERT }',
  'dhparam=string': '{ dhparam = "not a function" }',
  'dhparam=function': '{ dhparam = function() return nil end }',
  'server alpn={xmpp-client}': '{ alpn = { "xmpp-client" } }',
  'server alpn="xmpp-client" (string)': '{ alpn = "xmpp-client" }',
  'server alpn={} (empty)': '{ alpn = {} }',
  'server alpn={""}': '{ alpn = { "" } }',
  'server alpn=function': '{ alpn = function() return "xmpp-client" end }',
  'client alpn="xmpp-server"': '{ mode = "client", alpn = "xmpp-server" }',
  'client alpn=42': '{ mode = "client", alpn = 42 }',
  'dane=true': '{ dane = true }',
  'dane={no_ee_namechecks}': '{ dane = { "no_ee_namechecks" } }',
  'dane={bogus}': '{ dane = { "bogus" } }',
};

function factsRowToLua(label: string): string {
  if (label in EXPLICIT) return EXPLICIT[label];
  const m = /^(\w+)="(.*)"$/.exec(label);
  assert.ok(m, `facts row ${JSON.stringify(label)} has no Lua mapping; add it to EXPLICIT or FILE_DEPENDENT`);
  return `{ ${m[1]} = ${luaQuote(m[2])} }`;
}

function assertSame(id: string, got: OracleResult | undefined, want: { result: OracleKind; message: string }): void {
  assert.ok(got, `no oracle result for ${id}`);
  assert.deepEqual({ result: got.result, message: got.message }, { result: want.result, message: want.message },
    `oracle disagrees with facts for ${id}`);
}

test('raw ssl.newcontext reproduces every file-independent row of facts §4.6', async () => {
  requireOracle();
  const facts = loadFacts().oracle_luasec_newcontext;
  const rows = facts.cases.filter((c) => !FILE_DEPENDENT.has(c.case));
  assert.ok(rows.length >= 120, `expected most of the 143 rows to be file-independent, got ${rows.length}`);
  const cases: OracleCase[] = rows.map((r) => ({ id: r.case, lua: factsRowToLua(r.case), mode: 'raw' }));
  const results = await runOracle(cases);
  for (const r of rows) assertSame(r.case, results.get(r.case), r);
});

test('raw ssl.newcontext accepts all 53 option names, as facts record', async () => {
  requireOracle();
  const facts = loadFacts().oracle_luasec_newcontext.option_flag_cases;
  assert.equal(OPTION_FLAGS.length, facts.count);
  const cases: OracleCase[] = OPTION_FLAGS.map((f) => ({ id: f, lua: `{ options = { ${luaQuote(f)} } }`, mode: 'raw' }));
  const results = await runOracle(cases);
  const rejected = [...results].filter(([, r]) => r.result !== 'OK').map(([id, r]) => `${id}: ${r.result} ${r.message}`);
  assert.equal(rejected.length === 0, facts.all_53_names_accepted, rejected.join('\n'));
});

test('protocol "tlsv1_2+" is RETURNED raw but OK through util.sslconfig; sslconfig merges lists and maps', async () => {
  requireOracle();
  const results = await runOracle([
    { id: 'raw', lua: '{ protocol = "tlsv1_2+" }', mode: 'raw' },
    { id: 'sslconfig', lua: '{ protocol = "tlsv1_2+" }', mode: 'sslconfig' },
    { id: 'prosody', lua: '{ protocol = "tlsv1_2+" }', mode: 'prosody' },
    // §2: Prosody joins list-valued ciphers/curveslist with ':' — the same tables THROW when given raw (§4.6).
    { id: 'ciphers-list', lua: '{ ciphers = { "HIGH", "!aNULL" } }', mode: 'sslconfig' },
    { id: 'curveslist-list-bad', lua: '{ curveslist = { "X25519", "bogus" } }', mode: 'sslconfig' },
    // §2: exact names pass through unchanged, so LuaSec still judges them.
    { id: 'sslv3', lua: '{ protocol = "sslv3" }', mode: 'sslconfig' },
  ]);
  assertSame('raw', results.get('raw'), { result: 'RETURNED', message: 'invalid protocol (tlsv1_2+)' });
  assertSame('sslconfig', results.get('sslconfig'), { result: 'OK', message: '' });
  assertSame('prosody', results.get('prosody'), { result: 'OK', message: '' });
  assertSame('ciphers-list', results.get('ciphers-list'), { result: 'OK', message: '' });
  assertSame('curveslist-list-bad', results.get('curveslist-list-bad'),
    { result: 'RETURNED', message: 'unknown elliptic curve in "X25519:bogus"' });
  assertSame('sslv3', results.get('sslv3'), { result: 'RETURNED', message: 'invalid protocol (sslv3)' });
});

test('prosody mode (real certmanager) agrees with the prosodyctl check certs observations of facts §5', async () => {
  requireOracle();
  const rows = loadFacts().oracle_prosodyctl.cases.filter((c) =>
    !/global|tls_profile|VirtualHost|certs\//.test(c.ssl_or_config_line));
  assert.ok(rows.length >= 8, `expected the in-ssl prosodyctl rows, got ${rows.length}`);
  const results = await runOracle(rows.map((c) => ({
    id: c.case, lua: `{ ${c.ssl_or_config_line} }`, mode: 'prosody' as const,
  })));
  for (const c of rows) {
    const certs = c.output.slice(c.output.findIndex((l) => l.includes('Checking certificates')));
    const rc = /\[check certs rc=(\d)\]/.exec(c.output.join('\n'))?.[1];
    const got = results.get(c.case);
    assert.ok(got, c.case);
    if (rc === '0') {
      assertSame(c.case, got, { result: 'OK', message: '' });
    } else if (rc === '2') {
      const err = certs.map((l) => /^\s*Error: (.*)$/.exec(l)?.[1]).find((m) => m !== undefined);
      assertSame(c.case, got, { result: 'RETURNED', message: err ?? '(no Error line)' });
    } else {
      const thrown = /^lua5\.4: (.*)$/m.exec(c.output.join('\n'))?.[1]?.replace('<lua-share>', '<luasec>');
      assertSame(c.case, got, { result: 'THROWN', message: thrown ?? '(no traceback)' });
    }
  }
});

test('the full generated set runs through util.sslconfig; every case gets a verdict', async () => {
  requireOracle();
  const cases = generateCases();
  assert.ok(cases.length >= 350, `only ${cases.length} generated cases`);
  const started = Date.now();
  const results = await runOracle(cases);
  const seconds = (Date.now() - started) / 1000;
  const counts: Record<OracleKind, number> = { OK: 0, RETURNED: 0, THROWN: 0 };
  for (const c of cases) {
    const r = results.get(c.id);
    assert.ok(r, `no result for ${c.id}`);
    counts[r.result] += 1;
    if (r.result === 'OK') assert.equal(r.message, '', c.id);
    else assert.notEqual(r.message, '', `${c.id} ${r.result} without a message`);
  }
  const v = oracleVersions();
  console.log(`oracle (prosody ${v.prosody}, LuaSec ${v.luasec}, ${v.openssl}): ${cases.length} cases in ` +
    `${seconds.toFixed(1)} s: OK ${counts.OK}, RETURNED ${counts.RETURNED}, THROWN ${counts.THROWN}`);
  // Every family exercises both sides of the verdict, so each kind must be present.
  assert.ok(counts.OK > 0 && counts.RETURNED > 0 && counts.THROWN > 0, JSON.stringify(counts));
  // Facts §4.4 and §2: every known flag, as list item or map key, and every x+ protocol yields a context.
  const plusForms = ['sslv2+', 'sslv3+', 'tlsv1+', 'tlsv1_1+', 'tlsv1_2+', 'tlsv1_3+'].map((p) => `{ protocol = ${luaQuote(p)} }`);
  const mustWork = cases.filter((x) => /^option(List|Map)-/.test(x.id) || plusForms.includes(x.lua));
  assert.equal(mustWork.length, 2 * OPTION_FLAGS.length + plusForms.length);
  for (const c of mustWork) {
    assert.equal(results.get(c.id)?.result, 'OK', `${c.id} ${c.lua} ${JSON.stringify(results.get(c.id))}`);
  }
  // ORACLE_RECORD=path writes a human-readable record of all three modes (tests never read it back).
  if (process.env.ORACLE_RECORD) {
    const raw = await runOracle(cases, { mode: 'raw' });
    const prosody = await runOracle(cases, { mode: 'prosody' });
    const show = (r: OracleResult | undefined): string => (r ? (r.message ? `${r.result} ${r.message}` : r.result) : '?');
    const lines = cases.map((c) => '  ' + JSON.stringify({
      id: c.id, lua: c.lua, note: c.note, sslconfig: show(results.get(c.id)), raw: show(raw.get(c.id)), prosody: show(prosody.get(c.id)),
    }));
    const header = JSON.stringify({ versions: v, modes: 'sslconfig = neutral base through util.sslconfig + certmanager steps; ' +
      'raw = ssl.newcontext directly; prosody = real certmanager.create_context, tls_profile intermediate' });
    fs.writeFileSync(process.env.ORACLE_RECORD, `{"about": ${header},\n "cases": [\n${lines.join(',\n')}\n]}\n`);
  }
});
