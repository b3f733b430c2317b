// File diagnostics over real openssl material: each file rule with its range, the auto/strict/off modes,
// absolute-versus-relative paths, permission-denied files, Restricted Mode, severity settings and suppressions.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { generateKeyPairSync } from 'node:crypto';
import { test } from 'node:test';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-types';
import { createLanguageService } from '../../../server/src/service';
import { doFileValidation } from '../../../server/src/service/fileChecks';
import type { FileEnv } from '../../../server/src/service/fileEnv';
import { rules } from '../../../server/src/service/rules';
import { fileRules } from '../../../server/src/service/rules/files';
import type { ServiceSettings } from '../../../server/src/service/settings';
import type { ProsodyLine } from '../../../server/src/service/catalog';
import { material } from '../files/material';
import { configDir, denyingFs, env, SETTINGS } from './fixture';
import { nodeFileSystem, type FileSystem } from '../../../server/src/service/files';

interface Seen {
  code: string;
  severity: DiagnosticSeverity | undefined;
  text: string;
  message: string;
  d: Diagnostic;
}

async function check(text: string, opts: { e?: FileEnv; settings?: Partial<ServiceSettings>; file?: string } = {}): Promise<Seen[]> {
  const { doc, model } = configDir().doc(opts.file ?? 'prosody.cfg.lua', text);
  const ds = await doFileValidation(doc, model, { ...SETTINGS, ...opts.settings }, opts.e ?? env());
  return ds.map((d) => ({ code: String(d.code), severity: d.severity, text: doc.getText(d.range), message: String(d.message), d }));
}

function only(seen: Seen[], code: string): Seen {
  const hits = seen.filter((s) => s.code === code);
  assert.equal(hits.length, 1, `exactly one ${code}; got ${JSON.stringify(seen.map((s) => [s.code, s.text]))}`);
  return hits[0]!;
}

const GOOD_HOST = 'VirtualHost "example.com"\n  ssl = { certificate = "tls/good.crt"; key = "tls/good.key" }\n';

test('a correct certificate and key for the host: no file diagnostics', async () => {
  assert.deepEqual(await check(GOOD_HOST), []);
});

test('DER (binary) certificates, keys and CA files: LuaSec loads PEM only, so each is file-content-invalid', async () => {
  const text = 'VirtualHost "example.com"\n  ssl = { certificate = "tls/good.der.crt"; key = "tls/good.der.key"; cafile = "tls/good.der.crt" }\n';
  const seen = await check(text);
  const invalid = seen.filter((s) => s.code === 'file-content-invalid');
  assert.deepEqual(invalid.map((s) => s.text), ['"tls/good.der.crt"', '"tls/good.der.key"', '"tls/good.der.crt"']);
  for (const s of invalid) assert.match(s.message, /binary DER, but LuaSec loads PEM only.*openssl (x509|pkey) -inform DER/);
  assert.equal(invalid[0]!.severity, DiagnosticSeverity.Error);
  // DH parameters too: Prosody passes the file's text to LuaSec, which reads PEM at the first DHE handshake.
  const dh = (await check('ssl = { dhparam = "tls/dh1024.der" }\n')).filter((s) => s.code === 'file-content-invalid');
  assert.equal(dh.length, 1);
  assert.match(dh[0]!.message, /binary DER, but LuaSec reads PEM only.*openssl dhparam -inform DER/);
  assert.deepEqual((await check('ssl = { dhparam = "tls/dh1024.pem" }\n')).filter((s) => s.code === 'file-content-invalid'), []);
});

test('every file rule row is in the rule table with category files and a description', async () => {
  for (const r of fileRules) {
    assert.equal(r.category, 'files');
    assert.ok(r.description.length > 40, r.id);
    assert.deepEqual(r.check({} as never), []);
    assert.ok(rules.some((x) => x.id === r.id), `${r.id} registered in rules/index.ts`);
  }
});

test('missing files: relative is a Warning, absolute is Information in auto and a Warning in strict, off checks nothing', async () => {
  const text = 'ssl = { certificate = "tls/nope.crt"; key = "/nonexistent/prosody/nope.key" }\n';
  const auto = await check(text);
  const rel = auto.find((s) => s.text === '"tls/nope.crt"')!;
  assert.equal(rel.code, 'file-missing');
  assert.equal(rel.severity, DiagnosticSeverity.Warning);
  assert.match(rel.message, /does not exist; Prosody resolves relative paths against .*\. LuaSec fails with "error loading certificate", so the connections this table serves get no TLS\. Correct the path, or put the file there\.$/);
  const abs = auto.find((s) => s.text === '"/nonexistent/prosody/nope.key"')!;
  assert.equal(abs.code, 'file-missing');
  assert.equal(abs.severity, DiagnosticSeverity.Information);
  assert.match(abs.message, /not found on this machine/);
  const strict = await check(text, { settings: { checkFiles: 'strict' } });
  const strictAbs = strict.find((s) => s.text === '"/nonexistent/prosody/nope.key"')!;
  assert.equal(strictAbs.severity, DiagnosticSeverity.Warning);
  assert.doesNotMatch(strictAbs.message, /relative paths/, 'how relative paths resolve is said only for relative ones');
  assert.match(strict.find((s) => s.text === '"tls/nope.crt"')!.message, /relative paths against/);
  assert.deepEqual(await check(text, { settings: { checkFiles: 'off' } }), []);
  assert.deepEqual(await check(text, { e: { ...env(), checkFiles: 'off' } }), [], 'env.checkFiles overrides the setting');
  assert.deepEqual(await check(text, { settings: { validate: false } }), []);
});

test('a chain with the server certificate further down: the key and the name findings say to put it first', async () => {
  const seen = await check('VirtualHost "chain.example"\n\tssl = { certificate = "tls/badchain.pem"; key = "tls/leaf.key" }\n');
  const key = seen.find((s) => s.code === 'key-cert-mismatch')!;
  assert.equal(key.text, '"tls/leaf.key"');
  assert.match(key.message, /belongs to certificate 2 in "tls\/badchain\.pem", not to the first: OpenSSL takes the first certificate .* Put the server certificate first/);
  assert.match(seen.find((s) => s.code === 'cert-host-mismatch')!.message, /not in issuing order: if the server certificate is further down, put it first/);
  // In order: nothing of the kind.
  assert.deepEqual((await check('VirtualHost "chain.example"\n\tssl = { certificate = "tls/fullchain.pem"; key = "tls/leaf.key" }\n')).map((s) => s.code).filter((c) => c === 'key-cert-mismatch' || c === 'cert-host-mismatch'), []);
});

test('a certificate named for one XMPP service only: the finding says which side refuses it, per table (a reviewer)', async () => {
  const m = material();
  const pair = `certificate = "${m.file('srvonly.crt')}"; key = "${m.file('srvonly.key')}"`; // SAN: _xmpp-server.srv-only.example
  const host = (table: string): string => `VirtualHost "srv-only.example"\n\t${table} = { ${pair} }\n`;
  const mismatch = async (table: string): Promise<string[]> => (await check(host(table))).filter((s) => s.code === 'cert-host-mismatch').map((s) => s.message);
  assert.deepEqual(await mismatch('s2s_ssl'), []);
  assert.match((await mismatch('c2s_ssl'))[0] ?? '', /not for "srv-only\.example": clients refuse it\. Give/);
  assert.match((await mismatch('ssl'))[0] ?? '', /clients refuse it \(it names the host for server-to-server connections only\)\./);
});

test('a missing file of a host\'s own direct-TLS table: its SNI context fails, the port\'s certificate is served (a reviewer\'s 0.12.3 run)', async () => {
  const seen = await check('https_ssl = { certificate = "tls/good.crt"; key = "tls/good.key" }\nVirtualHost "example.com"\n\thttps_ssl = { certificate = "tls/nope.crt"; key = "tls/good.key" }\n', { settings: { prosodyVersion: '0.12' } });
  const missing = seen.filter((s) => s.code === 'file-missing');
  assert.deepEqual(missing.map((s) => s.text), ['"tls/nope.crt"']);
  assert.match(missing[0]!.message, /cannot build this host's SNI context .* clients that name this host are refused \(alert unrecognized_name\)\. Correct the path/);
  assert.doesNotMatch(missing[0]!.message, /get no TLS/);
});

test('a path in an option the Prosody line does not read is not checked (`<service>_certificate` is 0.10+)', async () => {
  const text = 'https_certificate = "tls/nope.crt"\n';
  assert.deepEqual((await check(text, { settings: { prosodyVersion: '0.9' } })).map((s) => s.code), []);
  assert.deepEqual((await check(text, { settings: { prosodyVersion: '0.10' } })).map((s) => s.code), ['file-missing']);
});

test('many absolute paths not on this machine: one note in auto for all of them, each one in strict', async () => {
  const hosts = (n: number): string =>
    Array.from({ length: n }, (_, i) => `VirtualHost "h${i}.example"\n  ssl = { certificate = "/nonexistent/prosody/h${i}.crt"; key = "/nonexistent/prosody/h${i}.key" }\n`).join('');
  // Ten absent paths are still listed one by one.
  const few = await check(hosts(5));
  assert.equal(few.filter((s) => s.code === 'file-missing').length, 10);
  // Past ten, the first carries a note for all, with the next five as related locations.
  const many = await check('ssl = { certificate = "tls/nope.crt" }\n' + hosts(6));
  const absent = many.filter((s) => s.severity === DiagnosticSeverity.Information);
  assert.equal(absent.length, 1, JSON.stringify(many.map((s) => s.text)));
  assert.equal(absent[0]!.text, '"/nonexistent/prosody/h0.crt"');
  assert.match(absent[0]!.message, /nor are 11 other absolute paths .* strict/);
  assert.equal(absent[0]!.d.relatedInformation?.length, 5);
  assert.equal(many.filter((s) => s.code === 'file-missing' && s.severity === DiagnosticSeverity.Warning).length, 1, 'a missing relative path is still a warning of its own');
  const strict = await check(hosts(6), { settings: { checkFiles: 'strict' } });
  assert.equal(strict.filter((s) => s.code === 'file-missing' && s.severity === DiagnosticSeverity.Warning).length, 12);
  // Paths are counted, not mentions: hosts sharing one certificate stay under the limit, and the note's
  // related locations are other paths.
  const shared = Array.from({ length: 6 }, (_, i) => `VirtualHost "s${i}.example"\n  ssl = { certificate = "/nonexistent/shared.crt"; key = "/nonexistent/shared.key" }\n`).join('');
  assert.equal((await check(shared)).filter((s) => s.code === 'file-missing').length, 12, 'two absent paths, each mention noted');
  const both = await check(shared + hosts(6));
  const one = only(both, 'file-missing');
  assert.equal(one.text, '"/nonexistent/shared.crt"');
  assert.match(one.message, /nor are 13 other absolute paths/);
  assert.deepEqual(one.d.relatedInformation?.map((r) => r.location.range.start.line), [1, 13, 13, 15, 15]);
  // Suppressed paths (h0's two) are neither shown nor counted: the note moves to the next one.
  const quiet = await check(hosts(7).replace('  ssl = {', '  -- prosody-ssl: disable-next-line file-missing\n  ssl = {'));
  const note = only(quiet, 'file-missing');
  assert.equal(note.text, '"/nonexistent/prosody/h1.crt"');
  assert.match(note.message, /nor are 11 other/);
});

test('a permission-denied key is "cannot check" Information in auto, a Warning in strict', async () => {
  const key = configDir().file('tls/good.key');
  const auto = only(await check(GOOD_HOST, { e: env({}, denyingFs([key])) }), 'file-unreadable');
  assert.equal(auto.text, '"tls/good.key"');
  assert.equal(auto.severity, DiagnosticSeverity.Information);
  assert.match(auto.message, /Cannot check .*permission denied/);
  const strict = only(await check(GOOD_HOST, { e: env({}, denyingFs([key])), settings: { checkFiles: 'strict' } }), 'file-unreadable');
  assert.equal(strict.severity, DiagnosticSeverity.Warning);
});

test('directory, FIFO and over-1MB files are reported, not read', async () => {
  const c = configDir();
  fs.mkdirSync(c.file('tls/dir.crt'), { recursive: true });
  fs.rmSync(c.file('tls/fifo.key'), { force: true });
  require('node:child_process').execFileSync('mkfifo', [c.file('tls/fifo.key')]);
  fs.writeFileSync(c.file('tls/big.pem'), Buffer.alloc(1024 * 1024 + 10, 65));
  const started = Date.now();
  const seen = await check('ssl = { certificate = "tls/dir.crt"; key = "tls/fifo.key"; dhparam = "tls/big.pem" }\n');
  assert.ok(Date.now() - started < 2500, 'a FIFO does not block');
  const unreadable = seen.filter((s) => s.code === 'file-unreadable');
  assert.deepEqual(unreadable.map((s) => s.text).sort(), ['"tls/big.pem"', '"tls/fifo.key"']);
  // A folder as a table's certificate is a named error (below).
  assert.deepEqual(seen.filter((s) => s.code === 'file-content-invalid').map((s) => s.text), ['"tls/dir.crt"']);
  // The 1 MB limit is the checker's: a note, not a Warning (a reviewer's 1.7 MB CA bundle loaded on 0.12.3 and 13.0.1).
  const big = unreadable.find((s) => s.text.includes('big'))!;
  assert.match(big.message, /over 1 MB \(\d+ bytes\), more than this checker reads/);
  assert.equal(big.severity, DiagnosticSeverity.Information);
  assert.equal(unreadable.find((s) => s.text.includes('fifo'))!.severity, DiagnosticSeverity.Warning);
  assert.match(unreadable.find((s) => s.text.includes('fifo'))!.message, /fifo/);
});

test('expired certificate is an Error; one expiring within 30 days a Warning', async () => {
  const expired = only(await check('ssl = { certificate = "tls/expired.crt"; key = "tls/expired.key" }\n'), 'cert-expired');
  assert.equal(expired.text, '"tls/expired.crt"');
  assert.equal(expired.severity, DiagnosticSeverity.Error);
  assert.match(expired.message, /expired on 2020-02-01/);
  const short = only(await check('ssl = { certificate = "tls/short.crt"; key = "tls/short.key" }\n'), 'cert-expiring');
  assert.equal(short.severity, DiagnosticSeverity.Warning);
  // Valid for a day: less than one whole day is left, which is said so, not as "in 0 days".
  assert.match(short.message, /in less than a day\./);
  // The clock is injectable: 80 days from now the 90-day certificate is within its last 30 days.
  const later = new Date(Date.now() + 80 * 24 * 3600 * 1000);
  const soon = only(await check(GOOD_HOST, { e: env({ now: later }) }), 'cert-expiring');
  assert.equal(soon.text, '"tls/good.crt"');
});

test('an expired global certificate that no host and no port is served is only noted', async () => {
  // Review 141: every host with its own pair, no direct-TLS or HTTPS port: a real 0.12.3 served each host its own.
  const G = 'ssl = { certificate = "tls/expired.crt"; key = "tls/expired.key" }\n';
  const noted = only(await check(G + GOOD_HOST), 'cert-expired');
  assert.equal(noted.severity, DiagnosticSeverity.Information);
  assert.match(noted.message, /Every host here writes a certificate of its own over this one, and no direct-TLS or HTTPS port listens/);
  // Served: a host without its own, an HTTPS port (bosh loads mod_http), a legacy direct-TLS port, a computed host table.
  // (Review 142: http_openmetrics and http_file_share load mod_http too, and so may a community module.)
  for (const text of [G + GOOD_HOST + 'VirtualHost "chat.example"\n', 'modules_enabled = { "bosh" }\n' + G + GOOD_HOST, 'modules_enabled = { "http_openmetrics" }\n' + G + GOOD_HOST, 'modules_enabled = { "http_upload" }\n' + G + GOOD_HOST, 'legacy_ssl_ports = { 5223 }\n' + G + GOOD_HOST, G + 'VirtualHost "example.com"\n  ssl = make_ssl()\n']) {
    assert.equal(only(await check(text, { settings: { prosodyVersion: '0.11' } }), 'cert-expired').severity, DiagnosticSeverity.Error, text);
  }
});

test('an intermediate of the file that has expired is a Warning on the certificate; a valid chain says nothing', async () => {
  const stale = only(await check('VirtualHost "stale.example"\n  ssl = { certificate = "tls/stalechain.pem"; key = "tls/stale.key" }\n'), 'cert-expired');
  assert.equal(stale.text, '"tls/stalechain.pem"');
  assert.equal(stale.severity, DiagnosticSeverity.Warning);
  assert.match(stale.message, /^The file holds, after the server certificate, one that expired on 2020-02-01: "Old Intermediate CA" \(certificate 2 of 2\)\. .* Replace the file with the current chain from your CA/);
  const valid = await check('VirtualHost "chain.example"\n  ssl = { certificate = "tls/fullchain.pem"; key = "tls/leaf.key" }\n');
  assert.deepEqual(valid.filter((s) => s.code === 'cert-expired'), []);
});

test('a certificate naming the host only in its CN: fine before 13.0, not a name for 13.0 (RFC 9525)', async () => {
  // A reviewer's 13.0.1: `prosodyctl check certs` says "Not valid for client connections" for a CN-only certificate,
  // and its util/x509.lua verify_identity ignores the CN; 0.12.3 accepts it.
  const m = material();
  const text = `VirtualHost "cnonly.example"\n  ssl = { certificate = ${JSON.stringify(m.file('cnonly.crt'))}; key = ${JSON.stringify(m.file('cnonly.key'))} }\n`;
  const on13 = only(await check(text, { settings: { prosodyVersion: '13.0' } }), 'cert-host-mismatch');
  assert.match(on13.message, /^The certificate names "cnonly\.example" only in its subject's CN, with no subjectAltName: Prosody from 13\.0 takes a certificate's names from the subjectAltName alone \(RFC 9525; `prosodyctl check certs` here says "Not valid"\), so remote servers running 13\.0 do not authenticate the domain with it, nor do clients that ignore the CN\./);
  for (const line of ['0.11', '0.12'] as const) assert.deepEqual((await check(text, { settings: { prosodyVersion: line } })).filter((x) => x.code === 'cert-host-mismatch'), [], line);
});

test('certificate not covering the VirtualHost (own ssl, or the global ssl it inherits)', async () => {
  const own = only(await check('VirtualHost "example.com"\n  ssl = { certificate = "tls/wrong.crt"; key = "tls/wrong.key" }\n'), 'cert-host-mismatch');
  assert.equal(own.text, '"tls/wrong.crt"');
  assert.match(own.message, /other\.org, www\.other\.org, not for "example\.com"/);
  const text = 'ssl = { certificate = "tls/wrong.crt"; key = "tls/wrong.key" }\nVirtualHost "chat.example"\nVirtualHost "www.other.org"\n';
  const global = only(await check(text), 'cert-host-mismatch');
  assert.match(global.message, /"chat\.example"/);
  assert.equal(global.d.relatedInformation?.[0]?.message, 'chat.example uses this certificate');
  // A Component serves the global certificate to servers (a reviewer's 0.12.3 run: "hostname mismatch" for its
  // domain); clients never connect to it, so only its server-to-server name counts.
  const comp = only(await check('ssl = { certificate = "tls/good.crt"; key = "tls/good.key" }\nVirtualHost "example.com"\nComponent "muc.other.org" "muc"\n'), 'cert-host-mismatch');
  assert.match(comp.message, /not for "muc\.other\.org": remote servers do not authenticate the domain with it\./);
  assert.equal(comp.d.relatedInformation?.[0]?.message, 'muc.other.org uses this certificate');
  assert.deepEqual((await check('ssl = { certificate = "tls/good.crt"; key = "tls/good.key" }\nVirtualHost "example.com"\nComponent "conference.example.com" "muc"\n')).filter((s) => s.code === 'cert-host-mismatch'), []);
  // A subdomain Component takes its parent domain's ssl, and a global s2s_ssl certificate serves every host's and
  // component's server connections (a reviewer's 0.12.3 runs: "hostname mismatch" for comp.a.test / comp.test).
  const sub = only(await check('VirtualHost "other.org"\n  ssl = { certificate = "tls/wrong.crt"; key = "tls/wrong.key" }\nComponent "muc.other.org" "muc"\n'), 'cert-host-mismatch');
  assert.match(sub.message, /not for "muc\.other\.org": remote servers do not authenticate the domain with it\./);
  const s2s = (await check('ssl = { certificate = "tls/good.crt"; key = "tls/good.key" }\ns2s_ssl = { certificate = "tls/wrong.crt"; key = "tls/wrong.key" }\nVirtualHost "example.com"\nVirtualHost "www.other.org"\n')).filter((x) => x.code === 'cert-host-mismatch');
  assert.deepEqual(s2s.map((x) => x.text), ['"tls/good.crt"', '"tls/wrong.crt"'], JSON.stringify(s2s.map((x) => x.message)));
  // Each names only the connections that take it: the global ssl's serves www.other.org's clients alone.
  assert.match(s2s[0]!.message, /not for "www\.other\.org": clients refuse it\. Give/);
  assert.match(s2s[1]!.message, /not for "example\.com": remote servers do not authenticate the domain with it\./);
  // A host's own ssl sits above the global s2s_ssl for its server connections: that certificate is not its own there.
  assert.deepEqual((await check('s2s_ssl = { certificate = "tls/wrong.crt"; key = "tls/wrong.key" }\nVirtualHost "example.com"\n  ssl = { certificate = "tls/good.crt"; key = "tls/good.key" }\n')).filter((x) => x.code === 'cert-host-mismatch'), []);
  // Its own table, too, is judged for servers only.
  const ownComp = only(await check('Component "muc.other.net" "muc"\n  ssl = { certificate = "tls/good.crt"; key = "tls/good.key" }\n'), 'cert-host-mismatch');
  assert.match(ownComp.message, /remote servers do not authenticate the domain with it\./);
  // A host-level certificate option is checked against its own host.
  const opt = only(await check('VirtualHost "example.org"\n  certificate = "tls/good.crt"\n'), 'cert-host-mismatch');
  assert.equal(opt.text, '"tls/good.crt"');
});

test('key that does not belong to the certificate is an Error, pointing at the certificate', async () => {
  const m = only(await check('VirtualHost "example.com"\n  ssl = { certificate = "tls/good.crt"; key = "tls/other.key" }\n'), 'key-cert-mismatch');
  assert.equal(m.text, '"tls/other.key"');
  assert.equal(m.severity, DiagnosticSeverity.Error);
  assert.equal(m.d.relatedInformation?.[0]?.message, 'the certificate');
  // The key in a host table is compared with the certificate it inherits from the global ssl.
  const inherited = only(await check('ssl = { certificate = "tls/good.crt" }\nVirtualHost "example.com"\n  ssl = { key = "tls/small.key" }\n'), 'key-cert-mismatch');
  assert.equal(inherited.text, '"tls/small.key"');
});

test('a certificate meets its key through layering (0.10+): a key from another table, the lookup\'s key, or none', async () => {
  // The global key is in force for a host whose own table names only a certificate.
  const layered = only(await check('ssl = { certificate = "tls/good.crt"; key = "tls/good.key" }\nVirtualHost "other.org"\n  ssl = { certificate = "tls/wrong.crt" }\n'), 'key-cert-mismatch');
  assert.equal(layered.text, '"tls/wrong.crt"');
  assert.match(layered.message, /another table sets/);
  assert.equal(layered.d.relatedInformation?.[0]?.message, 'the key in force for other.org');
  // A certificate only server connections read, under the global key: those connections are the ones lost (review 142,
  // real 0.12.3: "Error creating contexts for s2sin/s2sout", c2s fine).
  const s2sCert = only(await check('ssl = { certificate = "tls/good.crt"; key = "tls/good.key" }\nVirtualHost "example.com"\n  s2s_ssl = { certificate = "tls/wrong.crt" }\n'), 'key-cert-mismatch');
  assert.match(s2sCert.message, /no TLS for server-to-server connections, incoming or outgoing/);
  // No key in any table: the key Prosody's automatic lookup found goes with the written certificate.
  const found = only(await check('VirtualHost "example.com"\n  ssl = { certificate = "tls/wrong.crt" }\n'), 'key-cert-mismatch');
  assert.match(found.message, /automatic lookup found for it \(.*certs\/example\.com\.key\)/);
  assert.deepEqual(await check('VirtualHost "example.com"\n  ssl = { certificate = "tls/good.crt" }\n'), [], 'the lookup\'s key belongs to it');
  // Nothing found either: Prosody refuses the context.
  const none = only(await check('VirtualHost "nocert.example"\n  ssl = { certificate = "tls/wrong.crt" }\n'), 'certificate-without-key');
  assert.equal(none.text, '"tls/wrong.crt"');
  assert.equal(none.severity, DiagnosticSeverity.Error);
  assert.match(none.message, /No key present in SSL\/TLS configuration for nocert\.example/);
  assert.equal((await check('VirtualHost "nocert.example"\n  ssl = { certificate = "tls/wrong.crt" }\n', { settings: { prosodyVersion: '0.9' } })).filter((x) => x.code === 'certificate-without-key').length, 0, '0.9 layers nothing');
  // A host Prosody never activates, and a layer held in a variable (known only at run time): nothing concluded.
  assert.deepEqual(await check('VirtualHost "nocert.example"\n  enabled = false\n  ssl = { certificate = "tls/wrong.crt" }\n'), []);
  assert.deepEqual(await check('local host_ssl = make_ssl()\nssl = { certificate = "tls/wrong.crt" }\nVirtualHost "nocert.example"\n  ssl = host_ssl\n'), []);
  // (A local holding a table literal is that literal: its key meets the global certificate, which names another host.)
  assert.deepEqual((await check('local host_ssl = { key = "tls/wrong.key" }\nssl = { certificate = "tls/wrong.crt" }\nVirtualHost "nocert.example"\n  ssl = host_ssl\n')).map((x) => x.code), ['cert-host-mismatch']);
  assert.deepEqual(await check('enabled = false\nVirtualHost "nocert.example"\n  ssl = { certificate = "tls/wrong.crt" }\n'), [], 'a global enabled = false switches every host off');
  // A host's own literal table hides its parent domain's, variable or not (mod_tls: own ssl or the parent's).
  const child = only(await check('local v = { certificate = "tls/good.crt"; key = "tls/good.key" }\nVirtualHost "example.org"\n  ssl = v\nVirtualHost "nocert.example.org"\n  ssl = { certificate = "tls/wrong.crt" }\n'), 'certificate-without-key');
  assert.match(child.message, /no table in force names a `key`.*no TLS for client connections, nor for incoming server connections\./);
  // Client and incoming server connections read different tables over `ssl` (mod_tls): a key written in `c2s_ssl`
  // alone leaves s2sin without one (a reviewer's 0.11.9, 0.12.3 and 13.0.1: "Error creating contexts for s2sin: No key
  // present"), and the other way round; a key in each, or beside the certificate, serves both.
  const c2sKey = only(await check('ssl = { certificate = "tls/wrong.crt" }\nc2s_ssl = { key = "tls/wrong.key" }\nVirtualHost "nocert.example"\n'), 'certificate-without-key');
  assert.equal(c2sKey.text, '"tls/wrong.crt"');
  assert.equal(c2sKey.severity, DiagnosticSeverity.Error);
  assert.match(c2sKey.message, /the only `key` in force is in `c2s_ssl`, which server connections do not read.*no TLS for incoming server connections \("Error creating contexts for s2sin"\)/);
  // A Component takes only server connections (review 142, real 0.12.3: "Error creating contexts for s2sin: No key
  // present" for a Component's certificate alone).
  const comp = only(await check('VirtualHost "nocert.example"\n  ssl = { certificate = "tls/wrong.crt"; key = "tls/wrong.key" }\nComponent "conf.nocert.example" "muc"\n  ssl = { certificate = "tls/wrong.crt" }\n'), 'certificate-without-key');
  assert.equal(comp.text, '"tls/wrong.crt"');
  assert.equal(comp.d.range.start.line, 3);
  assert.match(comp.message, /in force for "conf\.nocert\.example", but no table in force names a `key`.*gets no TLS for incoming server connections \("Error creating contexts for s2sin"\)/);
  assert.deepEqual((await check('VirtualHost "nocert.example"\nComponent "conf.nocert.example" "muc"\n  ssl = { certificate = "tls/wrong.crt"; key = "tls/wrong.key" }\n')).filter((x) => x.code === 'certificate-without-key'), []);
  // No server connects where s2s is switched off (review 142).
  assert.deepEqual((await check('modules_disabled = { "s2s" }\nssl = { certificate = "tls/wrong.crt" }\nc2s_ssl = { key = "tls/wrong.key" }\nVirtualHost "nocert.example"\n')).filter((x) => x.code === 'certificate-without-key'), []);
  const s2sKey = only(await check('VirtualHost "nocert.example"\n  ssl = { certificate = "tls/wrong.crt" }\n  s2s_ssl = { key = "tls/wrong.key" }\n'), 'certificate-without-key');
  assert.match(s2sKey.message, /in `s2s_ssl`, which client connections do not read.*gets no TLS for client connections\./);
  const both = (t: string): Promise<string[]> => check(t).then((r) => r.map((x) => x.code).filter((c) => c === 'certificate-without-key'));
  assert.deepEqual(await both('ssl = { certificate = "tls/wrong.crt" }\nc2s_ssl = { key = "tls/wrong.key" }\ns2s_ssl = { key = "tls/wrong.key" }\nVirtualHost "nocert.example"\n'), []);
  assert.deepEqual(await both('VirtualHost "nocert.example"\n  c2s_ssl = { certificate = "tls/wrong.crt"; key = "tls/wrong.key" }\n'), [], 'a certificate only clients read');
  // A certificate only server connections read, with no key: s2sin alone fails.
  const s2sOnly = only(await check('VirtualHost "nocert.example"\n  s2s_ssl = { certificate = "tls/wrong.crt" }\n'), 'certificate-without-key');
  assert.match(s2sOnly.message, /no table in force names a `key`.*gets no TLS for incoming server connections/);
  // A certificate built by concatenation is surely a certificate, with no file to look at: no key anywhere is just as
  // certain (a reviewer's 0.11.9, 0.12.3 and 13.0.1 logged "No key present in SSL/TLS configuration for a.test").
  const joined = only(await check('local dir = "tls/"\nVirtualHost "nocert.example"\n  ssl = { certificate = dir .. "wrong.crt" }\n'), 'certificate-without-key');
  assert.equal(joined.text, 'dir .. "wrong.crt"');
  assert.deepEqual(await check('local dir = "tls/"\nVirtualHost "nocert.example"\n  ssl = { certificate = dir .. "wrong.crt", key = dir .. "wrong.key" }\n'), []);
  assert.deepEqual(await check('local dir = "tls/"\nVirtualHost "example.com"\n  ssl = { certificate = dir .. "good.crt" }\n'), [], 'the lookup finds a key for example.com');
});

test('encrypted key: no password is an Error, a wrong one too, the right one is fine; the password never appears', async () => {
  const none = only(await check('VirtualHost "example.com"\n  ssl = { certificate = "tls/good.crt"; key = "tls/enc.key" }\n'), 'key-encrypted-no-password');
  assert.equal(none.text, '"tls/enc.key"');
  const wrong = await check('VirtualHost "example.com"\n  ssl = { certificate = "tls/good.crt"; key = "tls/enc.key"; password = "hunter2" }\n');
  const w = only(wrong, 'key-password-wrong');
  assert.ok(!JSON.stringify(wrong.map((s) => s.d)).includes('hunter2'));
  assert.equal(w.d.relatedInformation?.length, 1);
  assert.deepEqual(await check('VirtualHost "example.com"\n  ssl = { certificate = "tls/good.crt"; key = "tls/enc.key"; password = "secret" }\n'), []);
  // PKCS#8-encrypted with the right password but another key pair: decrypts, then mismatches.
  only(await check('VirtualHost "example.com"\n  ssl = { certificate = "tls/good.crt"; key = "tls/enc8.key"; password = "secret" }\n'), 'key-cert-mismatch');
  // A password computed at start-up cannot be checked: no finding.
  assert.deepEqual(await check('VirtualHost "example.com"\n  ssl = { certificate = "tls/good.crt"; key = "tls/enc.key"; password = FileLine("/run/pw") }\n'), []);
  // The password only in c2s_ssl: server-to-server contexts (ssl, s2s_ssl) get none.
  const c2sOnly = only(await check('c2s_ssl = { password = "secret" }\nVirtualHost "example.com"\n  ssl = { certificate = "tls/good.crt"; key = "tls/enc.key" }\n'), 'key-encrypted-no-password');
  assert.match(c2sOnly.message, /server-to-server connections/);
  assert.deepEqual(await check('ssl = { password = "secret" }\nVirtualHost "example.com"\n  ssl = { certificate = "tls/good.crt"; key = "tls/enc.key" }\n'), [], 'the global ssl reaches both');
  assert.deepEqual(await check('c2s_ssl = { password = "secret" }\nVirtualHost "example.com"\n  c2s_ssl = { certificate = "tls/good.crt"; key = "tls/enc.key" }\n'), [], 'a key only clients use');
});

test('a certificate signed with SHA-1 or MD5, or sent with a CA certificate that is, is cert-weak-signature', async () => {
  // Debian's LuaSec on OpenSSL 3.0: "error loading certificate (ca md too weak)" at every @SECLEVEL the ciphers set; on
  // 1.1.1, at Debian's level 2 for both and at level 1 for MD5 alone; Debian 13's 3.5 loads both, and verifying peers
  // refuse them (code 68). A self-signed certificate is exempt.
  const host = (cert: string): string => `VirtualHost "chain.example"\n  ssl = { certificate = "tls/${cert}"; key = "tls/leaf.key" }\n`;
  const sha1 = only(await check(host('sha1leaf.crt')), 'cert-weak-signature');
  assert.equal(sha1.text, '"tls/sha1leaf.crt"');
  assert.equal(sha1.severity, DiagnosticSeverity.Error);
  assert.match(sha1.message, /^This certificate is signed with SHA-1, a hash OpenSSL counts as broken\. OpenSSL 3\.0 and later, up to the releases that carry its 2026 change \(Debian 12's 3\.0\.22 among them\), refuse to load it.*: LuaSec fails with "error loading certificate \(ca md too weak\)", so Prosody builds no TLS context with this file\. Later ones \(Debian 13's 3\.5\.9\) load it, but clients and servers that verify it refuse it \("CA signature digest algorithm too weak"\), so it is broken either way\. A lower `@SECLEVEL` in `ciphers` does not help.*reissued with SHA-256/);
  assert.match(only(await check(host('md5leaf.crt')), 'cert-weak-signature').message, /^This certificate is signed with MD5, .*OpenSSL from 1\.1\.0, up to the releases that carry its 2026 change \(Debian 12's 3\.0\.22 among them\), refuses to load it/);
  const chain = only(await check(host('sha1intchain.pem')), 'cert-weak-signature');
  assert.match(chain.message, /^The CA certificate after it in the file, "SHA1 Intermediate", is signed with SHA-1.*Have the chain reissued/);
  // Where the line's usual OpenSSL predates the refusal: a Warning that says so.
  const old = only(await check(host('sha1leaf.crt'), { settings: { prosodyVersion: '0.11' } }), 'cert-weak-signature');
  assert.equal(old.severity, DiagnosticSeverity.Warning);
  assert.match(old.message, /with this file \(OpenSSL 1\.1\.1, the oldest Prosody 0\.11 commonly ran on, may still load it\)\. Later ones/);
  assert.equal(only(await check(host('md5leaf.crt'), { settings: { prosodyVersion: '0.11' } }), 'cert-weak-signature').severity, DiagnosticSeverity.Error);
  // RSASSA-PSS names its hash in its parameters; absent, it is SHA-1 (review 150: real 0.12.3, "ca md too weak").
  assert.match(only(await check(host('pss1leaf.crt')), 'cert-weak-signature').message, /^This certificate is signed with SHA-1/);
  // A certificate file with the server certificate alone, whose SHA-1 intermediate the cafile supplies: OpenSSL builds
  // the chain from the store at each handshake (review 150: real 0.11.9 and 0.12.3, alert 80, "ca md too weak").
  const viaCa = only(await check('VirtualHost "chain.example"\n  ssl = { certificate = "tls/underint.crt"; key = "tls/leaf.key"; cafile = "tls/sha1int.crt" }\n'), 'cert-weak-signature');
  assert.equal(viaCa.text, '"tls/sha1int.crt"');
  assert.match(viaCa.message, /^This CA file holds "SHA1 Intermediate", an issuer of "tls\/underint\.crt" \(which holds the server certificate alone\), and it is signed with SHA-1.*fails every handshake \("ca md too weak", alert 80\) although Prosody starts/);
  // The same intermediate sent in the certificate file is said there; a cafile that issues nothing of it is quiet.
  assert.deepEqual((await check('VirtualHost "chain.example"\n  ssl = { certificate = "tls/sha1intchain.pem"; key = "tls/leaf.key"; cafile = "tls/sha1int.crt" }\n')).filter((x) => x.code === 'cert-weak-signature').map((x) => x.text), ['"tls/sha1intchain.pem"']);
  assert.deepEqual((await check('VirtualHost "chain.example"\n  ssl = { certificate = "tls/fullchain.pem"; key = "tls/leaf.key"; cafile = "tls/sha1int.crt" }\n')).filter((x) => x.code === 'cert-weak-signature'), []);
  // The CA file from a table beneath (the global ssl's): said on the certificate (review 152: alert 80 on real servers).
  const inherited = only(await check('ssl = { cafile = "tls/sha1int.crt" }\nVirtualHost "chain.example"\n  ssl = { certificate = "tls/underint.crt"; key = "tls/leaf.key" }\n'), 'cert-weak-signature');
  assert.equal(inherited.text, '"tls/underint.crt"');
  assert.match(inherited.message, /^This file holds the server certificate alone, and the CA file in force, "tls\/sha1int\.crt", holds its issuer "SHA1 Intermediate", and it is signed with SHA-1/);
  assert.equal(inherited.d.relatedInformation?.[0]?.message, 'the CA file in force');
  // A namesake CA with another key did not issue the certificate: OpenSSL never picks it (review 152, real servers).
  assert.deepEqual((await check('VirtualHost "chain.example"\n  ssl = { certificate = "tls/underint.crt"; key = "tls/leaf.key"; cafile = "tls/sha1int-otherkey.crt" }\n')).filter((x) => x.code === 'cert-weak-signature'), []);
  // Quiet: a self-signed SHA-1 certificate (with or without keyCertSign: OpenSSL exempts both, review 150), SHA-256
  // chains, PSS with SHA-256.
  for (const cert of ['sha1self.crt', 'sha1selfee.crt', 'fullchain.pem', 'pss256leaf.crt']) assert.deepEqual((await check(host(cert))).filter((x) => x.code === 'cert-weak-signature'), [], cert);
});

test('RSA key under 2048 bits and DH parameters under 2048 bits are Warnings', async () => {
  const seen = await check('VirtualHost "small.example"\n  ssl = { certificate = "tls/small.crt"; key = "tls/small.key"; dhparam = "tls/dh1024.pem" }\n');
  const rsa = only(seen, 'key-rsa-weak');
  assert.equal(rsa.text, '"tls/small.key"');
  assert.match(rsa.message, /1024 bits/);
  // What breaks and where (a reviewer: Debian's OpenSSL refuses it, "ee key too small"), and what to do.
  assert.match(rsa.message, /security level 2 \(Debian's and Ubuntu's.*"ee key too small"/);
  assert.match(rsa.message, /Generate a key of 2048 bits or more/);
  assert.equal(rsa.severity, DiagnosticSeverity.Warning);
  const dh = only(seen, 'dhparam-weak');
  assert.equal(dh.text, '"tls/dh1024.pem"');
  // What fails (a reviewer's 0.12.3 run: DHE handshakes end with "dh key too small") and what to write.
  assert.match(dh.message, /every DHE handshake fails \("dh key too small"\).*openssl dhparam -out dh-2048\.pem 2048/);
  assert.equal(seen.length, 2);
  assert.deepEqual(await check('ssl = { dhparam = "tls/ffdhe2048.pem" }\n'), []);
  // No DHE suite can be chosen (ECDHE-only ciphers, TLS 1.3 only): the parameters are never used (review 141).
  for (const extra of ['ciphers = "ECDHE+AESGCM"', 'protocol = "tlsv1_3"']) {
    assert.deepEqual((await check(`ssl = { dhparam = "tls/dh1024.pem"; ${extra} }\n`)).filter((x) => x.code === 'dhparam-weak'), [], extra);
  }
  assert.equal((await check('ssl = { dhparam = "tls/dh1024.pem"; ciphers = "DHE+AESGCM:ECDHE+AESGCM" }\n')).filter((x) => x.code === 'dhparam-weak').length, 1);
  // Nor where every certificate in force has an EC key: DHE suites sign with RSA only (review 142, real 0.12.3: "no
  // shared cipher" for DHE-RSA and kDHE with a P-256 certificate, never "dh key too small").
  const weak = async (t: string): Promise<number> => (await check(t)).filter((x) => x.code === 'dhparam-weak').length;
  const ec = 'certificate = "tls/ec.crt"; key = "tls/ec.key"';
  assert.equal(await weak(`VirtualHost "ec.example"\n  ssl = { ${ec}; dhparam = "tls/dh1024.pem"; ciphers = "HIGH:!aNULL" }\n`), 0);
  assert.equal(await weak(`ssl = { ${ec}; dhparam = "tls/dh1024.pem" }\nVirtualHost "ec.example"\n`), 0);
  // An RSA host the global parameters reach, or one whose certificate the lookup finds: they are used.
  assert.equal(await weak(`ssl = { ${ec}; dhparam = "tls/dh1024.pem" }\nVirtualHost "ec.example"\nVirtualHost "example.com"\n  ssl = { certificate = "tls/good.crt"; key = "tls/good.key" }\n`), 1);
  assert.equal(await weak(`ssl = { dhparam = "tls/dh1024.pem" }\nVirtualHost "ec.example"\n  ssl = { ${ec} }\nVirtualHost "example.com"\n`), 1);
  // A config that includes others: their hosts take the global parameters too (review 150).
  assert.equal(await weak(`Include "conf.d/*.cfg.lua"\nssl = { ${ec}; dhparam = "tls/dh1024.pem" }\nVirtualHost "ec.example"\n`), 1);
  // RSA for server connections alone (s2s_ssl): still used there.
  assert.equal(await weak(`VirtualHost "ec.example"\n  ssl = { ${ec}; dhparam = "tls/dh1024.pem" }\n  s2s_ssl = { certificate = "tls/good.crt"; key = "tls/good.key" }\n`), 1);
});

test('a good certificate followed by a broken block: the file cannot be loaded, and said so without calling it empty', async () => {
  // Review 141: real 0.12.3 and 13.0.1, "error loading certificate (bad base64 decode)".
  const c = configDir();
  fs.writeFileSync(c.file('tls/brokentail.pem'), `${fs.readFileSync(c.file('tls/good.crt'), 'utf8')}-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n`);
  const f = only(await check('VirtualHost "example.com"\n  ssl = { certificate = "tls/brokentail.pem"; key = "tls/good.key" }\n'), 'file-content-invalid');
  assert.match(f.message, /^LuaSec cannot load this certificate file: certificate 2 of 2 cannot be parsed/);
  assert.doesNotMatch(f.message, /no usable certificate/);
});

test('a file holding the wrong thing is an Error', async () => {
  const junk = only(await check('ssl = { certificate = "tls/junk.crt" }\n'), 'file-content-invalid');
  assert.equal(junk.text, '"tls/junk.crt"');
  const keyAsCert = only(await check('ssl = { certificate = "tls/good.key" }\n'), 'file-content-invalid');
  assert.match(keyAsCert.message, /a private key/);
  assert.ok(!keyAsCert.message.includes('PRIVATE KEY'));
  only(await check('ssl = { key = "tls/good.crt" }\n'), 'file-content-invalid');
});

test('VirtualHost with no certificate: found automatically in certs/ is fine; otherwise a Warning listing the paths looked at', async () => {
  assert.deepEqual(await check('VirtualHost "example.com"\nVirtualHost "conference.example.com"\n'), [], 'certs/example.com.crt is found (index, and parent domain)');
  const miss = only(await check('VirtualHost "nocert.example"\n  modules_enabled = {}\n'), 'host-no-certificate');
  assert.equal(miss.text, 'VirtualHost "nocert.example"');
  assert.equal(miss.severity, DiagnosticSeverity.Warning);
  assert.match(miss.message, /certs\/nocert\.example\.crt \+ nocert\.example\.key/);
  assert.match(miss.message, /certs\/nocert\.example\/fullchain\.pem \+ privkey\.pem/);
  assert.match(miss.message, /certs\/example\.crt/, 'parent domain tried');
  assert.match(miss.message, /index of certs\/ holds 1 usable certificate, none for this name/);
  // On 0.11 there is no index, only the path lookup.
  const old = only(await check('VirtualHost "nocert.example"\n', { settings: { prosodyVersion: '0.11' } }), 'host-no-certificate');
  assert.ok(!old.message.includes('index'));
  // A certificate from the global ssl counts.
  assert.deepEqual(await check('ssl = { certificate = "tls/good.crt"; key = "tls/good.key" }\nVirtualHost "example.com"\n'), []);
});

test('a certificate only one kind of connection reads (c2s_ssl, s2s_ssl): the other kind has none, said with where it is written', async () => {
  // Review 142 (k6): a global c2s_ssl pair and no lookup hit; 0.11.9 "Error creating contexts for s2sin: No certificate
  // present", 0.12.3 alert 40 on s2s while c2s works.
  const pair = '{ certificate = "tls/wrong.crt"; key = "tls/wrong.key" }';
  const s2s = only(await check(`c2s_ssl = ${pair}\nVirtualHost "nocert.example"\n`), 'host-no-certificate');
  assert.equal(s2s.severity, DiagnosticSeverity.Warning);
  assert.match(s2s.message, /^No certificate for server-to-server connections to "nocert\.example": the one in force is written in `c2s_ssl`, which client connections alone read.*Prosody 13\.0 builds the context without one, and every handshake fails.*set them in `s2s_ssl` as well\.$/);
  assert.match(only(await check(`c2s_ssl = ${pair}\nVirtualHost "nocert.example"\n`, { settings: { prosodyVersion: '0.11' } }), 'host-no-certificate').message, /Prosody 0\.11 refuses the context \("No certificate present in SSL\/TLS configuration for nocert\.example"\)/);
  const c2s = only(await check(`VirtualHost "nocert.example"\n  s2s_ssl = ${pair}\n`), 'host-no-certificate');
  assert.match(c2s.message, /^No certificate for client connections to "nocert\.example": the one in force is written in `s2s_ssl`.*Clients get no TLS/);
  // Quiet: both kinds served (by ssl, by one table each, or by the lookup for the other kind), s2s switched off, 0.9.
  const codes = async (t: string, v?: ProsodyLine): Promise<string[]> => (await check(t, v ? { settings: { prosodyVersion: v } } : {})).map((x) => x.code).filter((c) => c === 'host-no-certificate');
  assert.deepEqual(await codes(`c2s_ssl = ${pair}\ns2s_ssl = ${pair}\nVirtualHost "nocert.example"\n`), []);
  assert.deepEqual(await codes(`c2s_ssl = ${pair}\nVirtualHost "nocert.example"\n  ssl = ${pair}\n`), []);
  assert.deepEqual(await codes(`c2s_ssl = ${pair}\nVirtualHost "example.com"\n`), [], 'certs/example.com.crt serves s2s');
  assert.deepEqual(await codes(`modules_disabled = { "s2s" }\nc2s_ssl = ${pair}\nVirtualHost "nocert.example"\n`), []);
  assert.deepEqual(await codes(`local t = make()\nc2s_ssl = ${pair}\nVirtualHost "nocert.example"\n  s2s_ssl = t\n`), [], 'a computed s2s_ssl');
  // A host with no certificate anywhere keeps the one message for both kinds.
  assert.match(only(await check('VirtualHost "nocert.example"\n'), 'host-no-certificate').message, /^No certificate for "nocert\.example": no ssl table in force names one/);
  // No server reaches the host (review 150, real 0.12.3: connection refused, or "Server-to-server communication is
  // disabled for this host"): s2s in the host's own modules_disabled, no s2s port; a host's own list without s2s
  // overrides the global one (Prosody's config.get).
  assert.deepEqual(await codes(`c2s_ssl = ${pair}\nVirtualHost "nocert.example"\n  modules_disabled = { "s2s" }\n`), []);
  assert.deepEqual(await codes(`c2s_ssl = ${pair}\ns2s_ports = {}\nVirtualHost "nocert.example"\n`), []);
  assert.equal((await codes(`c2s_ssl = ${pair}\ns2s_ports = {}\ns2s_direct_tls_ports = { 5270 }\nVirtualHost "nocert.example"\n`)).length, 1, 'direct TLS still takes servers');
  // modulemanager: (global enabled - global disabled + host enabled) - host disabled (review 152): a host's own
  // modules_disabled keeps the global switch-off; its modules_enabled naming s2s loads it again.
  assert.deepEqual(await codes(`modules_disabled = { "s2s" }\nc2s_ssl = ${pair}\nVirtualHost "nocert.example"\n  modules_disabled = { "bosh" }\n`), []);
  assert.equal((await codes(`modules_disabled = { "s2s" }\nc2s_ssl = ${pair}\nVirtualHost "nocert.example"\n  modules_enabled = { "s2s" }\n`)).length, 1);
  // An empty modules_disabled (Debian's sample) leaves the ports to decide; no interface for servers is no listener.
  assert.deepEqual(await codes(`modules_disabled = {}\ns2s_ports = {}\nc2s_ssl = ${pair}\nVirtualHost "nocert.example"\n`), []);
  assert.deepEqual(await codes(`s2s_interfaces = {}\nc2s_ssl = ${pair}\nVirtualHost "nocert.example"\n`), []);
  assert.deepEqual(await codes(`s2s_ports = {}\ns2s_direct_tls_ports = {}\nc2s_ssl = ${pair}\nVirtualHost "nocert.example"\n`), []);
  // A certificates list serves its kind on 0.12+ (review 150: c2s worked, s2s got alert 40).
  assert.match(only(await check(`c2s_ssl = { certificates = { ${pair} } }\nVirtualHost "nocert.example"\n`), 'host-no-certificate').message, /^No certificate for server-to-server connections to "nocert\.example": the one in force is written in `c2s_ssl`/);
  // An included host under a main config that switches s2s off.
  const c = configDir();
  fs.writeFileSync(c.file('prosody.cfg.lua'), `modules_disabled = { "s2s" }\nc2s_ssl = ${pair}\n`);
  try {
    assert.deepEqual((await check('VirtualHost "nocert.example"\n', { file: 'conf.d/nocert.cfg.lua' })).filter((x) => x.code === 'host-no-certificate'), []);
  } finally {
    fs.writeFileSync(c.file('prosody.cfg.lua'), '-- main config\n');
  }
});

test('a lookup that starts from a computed value (certificates or a host certificate option built from a variable) concludes nothing', async () => {
  // Where Prosody looks is only known when it runs: "no certificate" would be a guess.
  for (const text of [
    'local base = "/elsewhere"\ncertificates = base .. "/k"\nVirtualHost "nocert.example"\n',
    'local base = "/elsewhere/k/"\nVirtualHost "nocert.example"\n  certificate = base .. "leaf.crt"\n',
    'certificate = os.getenv("CERT")\nVirtualHost "nocert.example"\n',
    'VirtualHost "example"\n  certificate = os.getenv("CERT")\nVirtualHost "nocert.example"\n',
  ]) {
    assert.deepEqual((await check(text)).filter((x) => x.code === 'host-no-certificate'), [], text);
  }
  // A literal one is still followed, and nil sets nothing.
  only(await check('certificates = "certs"\nVirtualHost "nocert.example"\n'), 'host-no-certificate');
  only(await check('certificates = nil\nVirtualHost "nocert.example"\n'), 'host-no-certificate');
});

test('a file with Include statements: the included files may name the certificate, so only Information, saying so', async () => {
  const seen = await check('Include "conf.d/*.cfg.lua"\nVirtualHost "nocert.example"\n');
  const miss = only(seen, 'host-no-certificate');
  assert.equal(miss.severity, DiagnosticSeverity.Information);
  assert.match(miss.message, /includes other files, which are not read here/);
  assert.equal(miss.d.relatedInformation?.length, 1);
});

test('host names and Include paths with template placeholders are not checked against files (not rendered yet)', async () => {
  for (const text of ['VirtualHost "{{ inventory_hostname }}"\n', 'VirtualHost "__DOMAIN__"\n  ssl = { certificate = "tls/good.crt"; key = "tls/good.key" }\n', 'Include "{{ prosody_confdir }}/certs.cfg.lua"\n']) {
    assert.deepEqual((await check(text)).map((x) => x.code), [], text);
  }
  // The literal names still are.
  assert.equal(only(await check('VirtualHost "nocert.example"\n'), 'host-no-certificate').code, 'host-no-certificate');
  assert.equal(only(await check('VirtualHost "mismatch.example"\n  ssl = { certificate = "tls/good.crt"; key = "tls/good.key" }\n'), 'cert-host-mismatch').code, 'cert-host-mismatch');
});

test('a host written twice is one host: a certificate in either section counts, and a missing one is reported once', async () => {
  // (other.org is not found by the automatic lookup: only the first section's table names its certificate.)
  assert.deepEqual((await check('VirtualHost "other.org"\n  ssl = { certificate = "tls/wrong.crt"; key = "tls/wrong.key" }\nVirtualHost "other.org"\n  modules_enabled = {}\n')).map((x) => x.code), []);
  assert.equal(only(await check('VirtualHost "other.org"\n  modules_enabled = {}\n'), 'host-no-certificate').text, 'VirtualHost "other.org"');
  const twice = (await check('VirtualHost "nocert.example"\nVirtualHost "nocert.example"\n')).filter((x) => x.code === 'host-no-certificate');
  assert.deepEqual(twice.map((x) => x.d.range.start.line), [0]);
});

test('certificates directory not on this machine: Information in auto, Warning in strict', async () => {
  const text = 'certificates = "/nonexistent/prosody/certs"\nVirtualHost "example.com"\n';
  const auto = only(await check(text), 'host-no-certificate');
  assert.equal(auto.severity, DiagnosticSeverity.Information);
  assert.match(auto.message, /\/nonexistent\/prosody\/certs\/example\.com\.crt/);
  assert.match(auto.message, /not on this machine/);
  const strict = only(await check(text, { settings: { checkFiles: 'strict' } }), 'host-no-certificate');
  assert.equal(strict.severity, DiagnosticSeverity.Warning);
});

test('a host in conf.d uses the main config: its global ssl certificate and its certificates directory', async () => {
  const c = configDir();
  const host = 'VirtualHost "nocert.example"\n';
  only(await check(host, { file: 'conf.d/nocert.cfg.lua' }), 'host-no-certificate');
  fs.writeFileSync(c.file('prosody.cfg.lua'), 'ssl = { certificate = "tls/good.crt"; key = "tls/good.key" }\n');
  try {
    assert.deepEqual(await check(host, { file: 'conf.d/nocert.cfg.lua' }), []);
  } finally {
    fs.writeFileSync(c.file('prosody.cfg.lua'), '-- main config\n');
  }
  // Relative ssl paths in conf.d resolve against the main config's directory, so this one exists.
  assert.deepEqual(await check(GOOD_HOST, { file: 'conf.d/good.cfg.lua' }), []);
});

test('a host in conf.d takes the main config\'s global key and password, as Prosody loads both into one config (a reviewer\'s 0.12.3 runs)', async () => {
  const c = configDir();
  const codes = async (main: string, host: string): Promise<string[]> => {
    fs.writeFileSync(c.file('prosody.cfg.lua'), main);
    try {
      return (await check(host, { file: 'conf.d/host.cfg.lua' })).map((x) => x.code as string).sort();
    } finally {
      fs.writeFileSync(c.file('prosody.cfg.lua'), '-- main config\n');
    }
  };
  const certOnly = 'VirtualHost "other.org"\n  ssl = { certificate = "tls/wrong.crt" }\n';
  // Alone the certificate has no key (the automatic lookup finds none for other.org).
  assert.deepEqual(await codes('-- main config\n', certOnly), ['certificate-without-key']);
  // With the main file's global key: the pair is checked, and it matches.
  assert.deepEqual(await codes('ssl = { key = "tls/wrong.key" }\n', certOnly), []);
  const wrong = (await (async () => {
    fs.writeFileSync(c.file('prosody.cfg.lua'), 'ssl = { key = "tls/other.key" }\n');
    try {
      return only(await check(certOnly, { file: 'conf.d/host.cfg.lua' }), 'key-cert-mismatch');
    } finally {
      fs.writeFileSync(c.file('prosody.cfg.lua'), '-- main config\n');
    }
  })());
  assert.match(wrong.message, /the key the main config's global tables set \(tls\/other\.key\)/);
  // This file's own global ssl replaces the main file's: its key is not in force then.
  assert.deepEqual(await codes('ssl = { key = "tls/wrong.key" }\n', 'ssl = { protocol = "tlsv1_2+" }\n' + certOnly), ['certificate-without-key']);
  // A main c2s_ssl key counts as well.
  assert.deepEqual(await codes('c2s_ssl = { key = "tls/wrong.key" }\n', certOnly), []);
  // The password of an encrypted key, from the main file's global ssl.
  const encrypted = 'VirtualHost "example.com"\n  ssl = { certificate = "tls/good.crt"; key = "tls/enc.key" }\n';
  assert.deepEqual(await codes('-- main config\n', encrypted), ['key-encrypted-no-password']);
  assert.deepEqual(await codes('ssl = { password = "secret" }\n', encrypted), []);
  assert.deepEqual(await codes('ssl = { password = "wrong" }\n', encrypted), ['key-password-wrong']);
  // A host's direct-TLS table (its SNI context) takes the port's password: the main file's global
  // c2s_direct_tls_ssl or ssl, never its c2s_ssl (a reviewer's 0.12.3 runs).
  const sni = 'VirtualHost "example.com"\n  c2s_direct_tls_ssl = { certificate = "tls/good.crt"; key = "tls/enc.key" }\n';
  const keys = async (main: string): Promise<string[]> => (await codes(`c2s_direct_tls_ports = { 5223 }\n${main}`, sni)).filter((x) => x.startsWith('key-'));
  assert.deepEqual(await keys('c2s_direct_tls_ssl = { password = "secret" }\n'), []);
  assert.deepEqual(await keys('ssl = { password = "secret" }\n'), []);
  assert.deepEqual(await keys('c2s_ssl = { password = "secret" }\n'), ['key-encrypted-no-password']);
  assert.deepEqual(await keys('c2s_direct_tls_ssl = { password = "wrong" }\n'), ['key-password-wrong']);
});

test('the main config\'s key and password: not on 0.9, by connection kind, and for a file the main config Includes beside it (a second reviewer)', async () => {
  const c = configDir();
  const withMain = async (main: string, file: string, host: string, line?: ProsodyLine): Promise<string[]> => {
    fs.writeFileSync(c.file('prosody.cfg.lua'), main);
    try {
      return (await check(host, { file, ...(line ? { settings: { prosodyVersion: line } } : {}) })).map((x) => x.code).sort();
    } finally {
      fs.writeFileSync(c.file('prosody.cfg.lua'), '-- main config\n');
    }
  };
  const encrypted = 'VirtualHost "example.com"\n  ssl = { certificate = "tls/good.crt"; key = "tls/enc.key" }\n';
  // 0.9: the host's own ssl replaces the global one, password included.
  assert.deepEqual(await withMain('ssl = { password = "secret" }\n', 'conf.d/h.cfg.lua', encrypted, '0.9'), ['key-encrypted-no-password']);
  // A key in s2s_ssl never gets a c2s_ssl password; an ssl password reaches it.
  const s2s = 'VirtualHost "example.com"\n  s2s_ssl = { certificate = "tls/good.crt"; key = "tls/enc.key" }\n';
  assert.deepEqual(await withMain('c2s_ssl = { password = "secret" }\n', 'conf.d/h.cfg.lua', s2s), ['key-encrypted-no-password']);
  assert.deepEqual(await withMain('ssl = { password = "secret" }\n', 'conf.d/h.cfg.lua', s2s), []);
  // A file beside the main config counts as included only when the main config Includes it.
  const certOnly = 'VirtualHost "other.org"\n  ssl = { certificate = "tls/wrong.crt" }\n';
  assert.deepEqual(await withMain('ssl = { key = "tls/wrong.key" }\nInclude "vhosts.cfg.lua"\n', 'vhosts.cfg.lua', certOnly), []);
  // (Not "*.cfg.lua": it matches prosody.cfg.lua itself, which Prosody includes again until its stack overflows.)
  assert.deepEqual(await withMain('ssl = { key = "tls/wrong.key" }\nInclude "v*.cfg.lua"\n', 'vhosts.cfg.lua', certOnly), []);
  assert.deepEqual(await withMain('ssl = { key = "tls/wrong.key" }\n', 'vhosts.cfg.lua', certOnly), ['certificate-without-key']);
});

test('a host in conf.d whose main config cannot be read (Restricted Mode, conf.d alone in the workspace) is only noted, saying why (a reviewer)', async () => {
  const c = configDir();
  const host = 'VirtualHost "nocert.example"\n';
  const restricted = env({ trusted: false, workspaceFolders: [c.file('conf.d')] });
  const seen = only(await check(host, { file: 'conf.d/nocert.cfg.lua', e: restricted }), 'host-no-certificate');
  assert.equal(seen.severity, DiagnosticSeverity.Information);
  assert.match(seen.message, /The main config prosody\.cfg\.lua was not read here \(Restricted Mode\): its global tables may name a certificate/);
  // Trusted, the main config is read and the finding stands as before.
  assert.equal(only(await check(host, { file: 'conf.d/nocert.cfg.lua' }), 'host-no-certificate').severity, DiagnosticSeverity.Warning);
  // An encrypted key without a password: the unread main config may set it (a third reviewer).
  const encrypted = 'VirtualHost "example.com"\n  ssl = { certificate = "tls/good.crt"; key = "tls/enc.key" }\n';
  const noted = only(await check(encrypted, { file: 'conf.d/enc.cfg.lua', e: env({ trusted: false, workspaceFolders: [c.file('conf.d'), c.file('tls')] }) }), 'key-encrypted-no-password');
  assert.equal(noted.severity, DiagnosticSeverity.Information);
  assert.match(noted.message, /was not read here \(Restricted Mode\): its global tables may set the password/);
  assert.equal(only(await check(encrypted, { file: 'conf.d/enc.cfg.lua' }), 'key-encrypted-no-password').severity, DiagnosticSeverity.Error);
});

test('severity settings, off, and suppression comments apply to file rules', async () => {
  const text = 'ssl = { certificate = "tls/expired.crt"; key = "tls/expired.key" }\n';
  assert.equal(only(await check(text, { settings: { rules: { 'cert-expired': 'warning' } } }), 'cert-expired').severity, DiagnosticSeverity.Warning);
  assert.deepEqual(await check(text, { settings: { rules: { 'cert-expired': 'off' } } }), []);
  assert.deepEqual(await check('-- prosody-ssl: disable-next-line cert-expired\n' + text), []);
  // An explicit level also wins over the auto-mode downgrade.
  const abs = 'ssl = { certificate = "/nonexistent/x.crt" }\n';
  assert.equal(only(await check(abs, { settings: { rules: { 'file-missing': 'error' } } }), 'file-missing').severity, DiagnosticSeverity.Error);
});

test('Restricted Mode: files outside the workspace are neither read nor reported; inside they are', async () => {
  const c = configDir();
  const outside = env({ trusted: false, workspaceFolders: ['/nonexistent-workspace'] });
  assert.deepEqual(await check('ssl = { certificate = "tls/expired.crt" }\n', { e: outside }), []);
  assert.equal((outside.fileCache as { size: number }).size, 0, 'nothing was read');
  const inside = env({ trusted: false, workspaceFolders: [c.root] });
  only(await check('ssl = { certificate = "tls/expired.crt" }\n', { e: inside }), 'cert-expired');
  // A symlink inside the workspace to a file outside it is not followed.
  const target = c.file('../outside-' + process.pid + '.crt');
  fs.copyFileSync(c.file('tls/expired.crt'), target);
  fs.rmSync(c.file('tls/link.crt'), { force: true });
  fs.symlinkSync(target, c.file('tls/link.crt'));
  try {
    assert.deepEqual(await check('ssl = { certificate = "tls/link.crt" }\n', { e: env({ trusted: false, workspaceFolders: [c.root] }) }), []);
    only(await check('ssl = { certificate = "tls/link.crt" }\n'), 'cert-expired');
  } finally {
    fs.rmSync(target, { force: true });
  }
});

test('a file that changes is re-read (cache keyed by mtime) and invalidate forgets it', async () => {
  const c = configDir();
  const e = env();
  fs.copyFileSync(c.file('tls/good.crt'), c.file('tls/swap.crt'));
  const text = 'ssl = { certificate = "tls/swap.crt" }\n';
  assert.deepEqual(await check(text, { e }), []);
  fs.copyFileSync(c.file('tls/expired.crt'), c.file('tls/swap.crt'));
  fs.utimesSync(c.file('tls/swap.crt'), new Date(), new Date(Date.now() + 5000));
  only(await check(text, { e }), 'cert-expired');
  e.fileCache.invalidate(c.file('tls/swap.crt'));
  only(await check(text, { e }), 'cert-expired');
});

test('Include of a missing relative file is reported; a wildcard Include matching nothing is not', async () => {
  const seen = await check('Include "conf.d/missing.cfg.lua"\nInclude "conf.d/*.none"\n');
  assert.equal(only(seen, 'file-missing').text, '"conf.d/missing.cfg.lua"');
});

test('a wildcard Include whose folder is missing stops Prosody, and is reported (a reviewer\'s 0.12.3 run)', async () => {
  const c = configDir();
  const missing = only(await check('Include "confd/*.cfg.lua"\n'), 'file-missing');
  assert.equal(missing.text, '"confd/*.cfg.lua"');
  assert.match(missing.message, /The folder this Include lists, confd, does not exist: Prosody cannot list it and stops loading the config/);
  assert.equal(missing.severity, DiagnosticSeverity.Warning, 'a relative path: the rule\'s own severity');
  // A file where the folder should be.
  assert.match(only(await check('Include "tls/good.crt/*.cfg.lua"\n'), 'file-missing').message, /tls\/good\.crt, is a file/);
  // Absolute and absent in auto mode: most likely another machine's path, only noted.
  assert.equal(only(await check('Include "/nonexistent-prosody/conf.d/*.cfg.lua"\n'), 'file-missing').severity, DiagnosticSeverity.Information);
  // An Include in conf.d resolves against conf.d itself, and the message names that folder (a reviewer).
  const inConfd = only(await check('Include "missing.cfg.lua"\n', { file: 'conf.d/a.cfg.lua' }), 'file-missing');
  assert.match(inConfd.message, new RegExp(`resolves an Include against ${c.file('conf.d').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
});

test('a subdomain host without a certificate of its own is checked against its parent domain’s (mod_tls)', async () => {
  const text = 'VirtualHost "example.com"\n  ssl = { certificate = "tls/good.crt"; key = "tls/good.key" }\nVirtualHost "guest.example.com"\nVirtualHost "conference.example.com"\n';
  const seen = await check(text);
  const mismatch = only(seen, 'cert-host-mismatch');
  assert.match(mismatch.message, /not for "guest\.example\.com"/);
  assert.equal(mismatch.d.relatedInformation?.[0]?.message, 'guest.example.com uses this certificate');
  // It has a certificate (the parent's), so it is not reported as having none.
  assert.ok(!seen.some((s) => s.code === 'host-no-certificate'), JSON.stringify(seen.map((s) => s.code)));
});

test('files in a table the line in force never reads are not checked (0.9 has no c2s_ssl, 0.11 no c2s_direct_tls_ssl)', async () => {
  const pair = '{ certificate = "tls/good.crt"; key = "tls/other.key" }';
  const codes = async (text: string, line: ProsodyLine): Promise<string[]> => (await check(text, { settings: { prosodyVersion: line } })).map((s) => s.code);
  assert.ok(!(await codes(`c2s_ssl = ${pair}\n`, '0.9')).includes('key-cert-mismatch'));
  assert.ok((await codes(`c2s_ssl = ${pair}\n`, '0.10')).includes('key-cert-mismatch'), 'read from 0.10');
  assert.ok(!(await codes(`c2s_direct_tls_ssl = ${pair}\n`, '0.11')).includes('key-cert-mismatch'));
  assert.ok((await codes(`c2s_direct_tls_ssl = ${pair}\n`, '0.12')).includes('key-cert-mismatch'), 'read from 0.12');
  assert.ok(!(await codes(`c2s_direct_tls_ssl = { certificate = "tls/missing.crt" }\n`, '0.11')).includes('file-missing'));
});

test('a config saved with a UTF-8 BOM is a syntax error even though the editor hides the BOM from the text', async () => {
  const c = configDir();
  const text = 'ssl = { protocol = "tlsv1_2+" }\n';
  const { doc, model } = c.doc('bom.cfg.lua', text);
  assert.ok(!(await check(text, { file: 'bom.cfg.lua' })).some((s) => s.code === 'syntax-error'), 'saved without a BOM');
  fs.writeFileSync(c.file('bom.cfg.lua'), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]));
  const ds = await doFileValidation(doc, model, { ...SETTINGS, checkFiles: 'off' }, env());
  assert.deepEqual(ds.map((d) => [d.code, d.range.start.line, d.range.start.character]), [['syntax-error', 0, 0]]);
  assert.match(String(ds[0]!.message), /byte-order mark/);
  assert.deepEqual(await doFileValidation(doc, model, { ...SETTINGS, rules: { 'syntax-error': 'off' } }, env()).then((x) => x.filter((d) => d.code === 'syntax-error')), [], 'the rule can be turned off');
});

test('the saved bytes are looked at through the file cache: unchanged, the file is not opened again; saved with a BOM, it is', async () => {
  const c = configDir();
  const text = 'ssl = { protocol = "tlsv1_2+" }\n';
  const { doc, model } = c.doc('bom-cache.cfg.lua', text);
  const file = c.file('bom-cache.cfg.lua');
  let opened = 0;
  const counting: FileSystem = { ...nodeFileSystem, readBounded: (p, limit) => ((opened += p === file ? 1 : 0), nodeFileSystem.readBounded(p, limit)) };
  const e = env({}, counting);
  const bomFound = async (): Promise<boolean> => (await doFileValidation(doc, model, { ...SETTINGS, checkFiles: 'off' }, e)).some((d) => /byte-order mark/.test(String(d.message)));
  assert.equal(await bomFound(), false);
  assert.equal(await bomFound(), false);
  assert.equal(opened, 1, 'opened once for two checks');
  fs.writeFileSync(file, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]));
  fs.utimesSync(file, new Date(), new Date(Date.now() + 5000));
  assert.equal(await bomFound(), true, 'saved again with a BOM');
  assert.equal(opened, 2);
});

test('a BOM the client keeps in the text is reported once, by the syntax rule, not again from the saved bytes', async () => {
  const c = configDir();
  const text = '\uFEFFssl = { protocol = "tlsv1_2+" }\n';
  const { doc } = c.doc('bom-kept.cfg.lua', text); // written as UTF-8: the file starts with EF BB BF too
  assert.deepEqual([...fs.readFileSync(c.file('bom-kept.cfg.lua')).subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  const service = createLanguageService();
  const all = [...service.doValidation(doc, SETTINGS), ...(await service.doFileValidation(doc, SETTINGS, env()))];
  assert.deepEqual(all.filter((d) => /byte-order mark/.test(String(d.message))).map((d) => [d.code, d.range.start.line]), [['syntax-error', 0]]);
});

test('an RSA key under 1024 bits is an Error: every default security level refuses it', async () => {
  const dir = path.dirname(configDir().file('tls/good.crt'));
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 768 });
  fs.writeFileSync(path.join(dir, 'tiny.key'), privateKey.export({ type: 'pkcs8', format: 'pem' }));
  const rsa = only(await check('VirtualHost "small.example"\n  ssl = { key = "tls/tiny.key" }\n'), 'key-rsa-weak');
  assert.equal(rsa.severity, DiagnosticSeverity.Error);
  assert.match(rsa.message, /768 bits: OpenSSL refuses it at every default security level/);
});

// LuaSec loads a table's certificate and key from files (a reviewer's 0.12.3 run: "error loading certificate (no
// start line)", the host without TLS); a folder to look in is the top-level `certificate` option's, not reported.
test('a folder named as the certificate or key of a TLS table is an error that says where a folder belongs', async () => {
  const seen = await check('VirtualHost "example.com"\n  ssl = { certificate = "tls", key = "tls/good.key" }\n');
  const d = only(seen, 'file-content-invalid');
  assert.equal(d.text, '"tls"');
  assert.equal(d.severity, DiagnosticSeverity.Error);
  assert.match(d.message, /is a folder, but LuaSec loads the certificate from a file\. LuaSec fails with "error loading certificate", so the connections this table serves get no TLS\. Name the file itself; a folder to look in belongs in the top-level `certificate` option of a host, or in `certificates`\./);
  assert.deepEqual((await check('VirtualHost "example.com"\n  certificate = "tls"\n')).filter((s) => s.code === 'file-content-invalid' || s.code === 'file-unreadable'), []);
});
