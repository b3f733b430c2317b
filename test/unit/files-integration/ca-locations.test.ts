// cafile and capath mixed up: a cafile naming a directory fails every context of its table (Debian's 0.12.3:
// "error loading CA locations (no certificate or crl found)"); a capath naming a file builds, but trusts no CA.
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { checkFiles, configDir, env, onlyOne } from './fixture';
import { material } from '../files/material';

test('cafile naming a directory is an Error that says what fails and to write capath (or a bundle file) instead', async () => {
  const c = configDir();
  for (const [value, dir] of [['tls/', 'tls'], [c.file('tls'), c.file('tls')], [c.file('tls') + '/', c.file('tls')]] as const) {
    const f = onlyOne(await checkFiles(`ssl = { cafile = "${value}" }\n`), 'file-content-invalid');
    assert.equal(f.severity, DiagnosticSeverity.Error, value);
    assert.equal(f.text, JSON.stringify(value));
    assert.match(f.message, /error loading CA locations \(no certificate or crl found\)/);
    assert.ok(f.message.includes(`\`capath = ${JSON.stringify(dir)}\``), f.message);
    assert.match(f.message, /cafile = "\/etc\/ssl\/certs\/ca-certificates\.crt"/);
  }
  // Also when the directory is already in the cache's memory of failed reads (the second check of one env).
  const e = env();
  await checkFiles('ssl = { cafile = "tls/" }\n', { e });
  assert.equal(onlyOne(await checkFiles('ssl = { cafile = "tls/" }\n', { e }), 'file-content-invalid').severity, DiagnosticSeverity.Error);
  // A CA file that is a file stays quiet.
  assert.deepEqual((await checkFiles('ssl = { cafile = "tls/good.crt" }\n')).map((s) => s.code), []);
});

test('capath naming a file: a Warning that no CA is trusted, with what to write instead', async () => {
  const f = onlyOne(await checkFiles('ssl = { capath = "tls/good.crt" }\n'), 'file-content-invalid');
  assert.equal(f.severity, DiagnosticSeverity.Warning);
  assert.match(f.message, /replaces Prosody's default capath \(\/etc\/ssl\/certs\), so no CA is trusted/);
  assert.match(f.message, /server-to-server authentication fails, and outgoing HTTPS requests fail verification/);
  assert.match(f.message, /`cafile = "tls\/good\.crt"`.*`capath = "\/etc\/ssl\/certs"`/);
  // In a host's table, outgoing HTTPS is not affected (it reads the global ssl only).
  const host = onlyOne(await checkFiles('VirtualHost "example.com"\n  ssl = { certificate = "tls/good.crt"; key = "tls/good.key"; capath = "tls/good.crt" }\n'), 'file-content-invalid');
  assert.ok(!host.message.includes('HTTPS'));
  // A directory is what capath wants.
  assert.deepEqual((await checkFiles('ssl = { capath = "tls" }\n')).map((s) => s.code), []);
});

test('a host Prosody never activates (enabled = false) has its files left alone, as Prosody leaves them (a reviewer)', async () => {
  const off = 'VirtualHost "off.example.com"\n  enabled = false\n  ssl = { cafile = "tls/", certificate = "tls/missing.crt", key = "tls/missing.key" }\n';
  assert.deepEqual((await checkFiles(off)).map((s) => s.code), []);
  // Debian's stock example.com, strict: no "does not exist" for files nothing loads.
  assert.deepEqual((await checkFiles(off, { settings: { checkFiles: 'strict' } })).map((s) => s.code), []);
  // Enabled, the same table is checked.
  assert.ok((await checkFiles(off.replace('enabled = false', 'enabled = true'))).some((s) => s.code === 'file-content-invalid'));
});

test('a disabled host whose ssl an enabled subdomain takes (mod_tls reads the parent domain\'s) is still checked (a reviewer)', async () => {
  const stock = 'VirtualHost "example.com"\n  enabled = false\n  ssl = { cafile = "tls/" }\nComponent "conference.example.com" "muc"\n';
  assert.ok((await checkFiles(stock)).some((s) => s.code === 'file-content-invalid'));
  // The subdomain disabled too: nothing loads the table.
  assert.deepEqual((await checkFiles(stock + '  enabled = false\n')).map((s) => s.code), []);
});

test("13.0: a host's direct-TLS table's capath and DH parameters are the port's (sni-setting-ignored), so what they hold is not judged; a file Prosody cannot open still is", async () => {
  const host = (keys: string): string => `c2s_direct_tls_ports = { 5223 }\nVirtualHost "example.com"\n  c2s_direct_tls_ssl = { certificate = "tls/good.crt"; key = "tls/good.key"; ${keys} }\n`;
  const codes = async (text: string, line: '0.12' | '13.0'): Promise<string[]> => (await checkFiles(text, { settings: { prosodyVersion: line } })).map((s) => `${s.code}@${s.text}`);
  const keys = 'capath = "tls/good.crt"; dhparam = "tls/dh1024.pem"';
  assert.deepEqual(await codes(host(keys), '13.0'), []);
  // 0.12 hands the host's context its CA store and DH parameters (reviewers' runs): judged there.
  assert.deepEqual((await codes(host(keys), '0.12')).sort(), ['dhparam-weak@"tls/dh1024.pem"', 'file-content-invalid@"tls/good.crt"']);
  // A port's table is judged on 13.0 too.
  assert.deepEqual((await codes(`c2s_direct_tls_ports = { 5223 }\nc2s_direct_tls_ssl = { ${keys} }\n`, '13.0')).sort(), ['dhparam-weak@"tls/dh1024.pem"', 'file-content-invalid@"tls/good.crt"']);
  // Prosody opens the DH file when it builds the host's context, and fails it when it cannot.
  assert.deepEqual(await codes(host('dhparam = "tls/none.pem"'), '13.0'), ['file-missing@"tls/none.pem"']);
});

test("a CA or DH file that costs a host's direct-TLS table its SNI context says the host gets the port's certificate, not that TLS fails (a reviewer's 0.12.3 runs)", async () => {
  const host = (keys: string): string => `c2s_direct_tls_ports = { 5223 }\nVirtualHost "example.com"\n  c2s_direct_tls_ssl = { certificate = "tls/good.crt"; key = "tls/good.key"; ${keys} }\n`;
  const lost = /Error creating TLS context for SNI host"\), so clients that name this host are refused \(alert unrecognized_name\)/;
  for (const keys of ['cafile = "tls/none.pem"', 'dhparam = "tls/none.pem"', 'cafile = "tls/"', 'cafile = "tls/good.key"']) {
    const seen = (await checkFiles(host(keys), { settings: { prosodyVersion: '0.12' } })).filter((s) => s.code !== 'sni-setting-ignored');
    assert.equal(seen.length, 1, `${keys}: ${JSON.stringify(seen.map((s) => s.code))}`);
    assert.match(seen[0]!.message, lost, keys);
    assert.doesNotMatch(seen[0]!.message, /get no TLS/, keys);
  }
  // The port's own table: its connections get no TLS.
  assert.match(onlyOne(await checkFiles('c2s_direct_tls_ports = { 5223 }\nc2s_direct_tls_ssl = { cafile = "tls/" }\n', { settings: { prosodyVersion: '0.12' } }), 'file-content-invalid').message, /so those connections get no TLS/);
});

test("a host's direct-TLS table of a service with no port builds nothing: its missing CA file says so instead of a lost context (a reviewer)", async () => {
  const text = 'VirtualHost "example.com"\n  s2s_direct_tls_ssl = { certificate = "tls/good.crt"; key = "tls/good.key"; cafile = "tls/none.pem" }\n';
  const f = onlyOne(await checkFiles(text, { settings: { prosodyVersion: '0.12' } }), 'file-missing');
  assert.match(f.message, /No port of `s2s_direct_tls_ssl`'s service is open, so nothing reads this table now; once one is, Prosody cannot build this host's SNI context/);
  assert.match(onlyOne(await checkFiles(`s2s_direct_tls_ports = { 5270 }\n${text}`, { settings: { prosodyVersion: '0.12' } }), 'file-missing').message, /^CA file .* does not exist.*\. Prosody cannot build this host's SNI context/);
});

test("13.0: a cafile naming a directory in a host's direct-TLS table still costs its context, and the advice is to remove it (13.0 gives that context the port's CA store)", async () => {
  const text = 'c2s_direct_tls_ports = { 5223 }\nVirtualHost "example.com"\n  c2s_direct_tls_ssl = { certificate = "tls/good.crt"; key = "tls/good.key"; cafile = "tls/" }\n';
  const on13 = onlyOne(await checkFiles(text, { settings: { prosodyVersion: '13.0' } }), 'file-content-invalid');
  assert.match(on13.message, /Remove it: on 13\.0 this host's context takes the port's CA certificates anyway\./);
  assert.doesNotMatch(on13.message, /capath = /);
  assert.match(onlyOne(await checkFiles(text, { settings: { prosodyVersion: '0.12' } }), 'file-content-invalid').message, /write `capath = "tls"`/);
});

// Review 141: a missing absolute cafile beside a certificate and key that are on this machine: real 0.12.3 and 13.0.1
// refused the host's contexts ("error loading CA locations"), and auto mode only noted it as "not on this machine".
test('an absolute path missing beside a certificate and key that are here is missing, not "not on this machine"', async () => {
  const m = material();
  const pair = `certificate = ${JSON.stringify(m.file('rsa.crt'))}; key = ${JSON.stringify(m.file('rsa.key'))}`;
  const seen = await checkFiles(`VirtualHost "example.com"\n  ssl = { ${pair}; cafile = "/nonexistent/ca.pem" }\n`);
  const missing = seen.filter((s) => s.code === 'file-missing');
  assert.equal(missing.length, 1);
  assert.equal(missing[0]!.severity, DiagnosticSeverity.Warning);
  assert.match(missing[0]!.message, /"\/nonexistent\/ca\.pem" does not exist, though the other files this table names are on this machine\. LuaSec fails with "error loading CA locations"/);
  // Only a note where nothing of the table is here, or where only a CA bundle (on every machine) is.
  const elsewhere = (await checkFiles('VirtualHost "example.com"\n  ssl = { certificate = "/nonexistent/a.crt"; key = "/nonexistent/a.key"; cafile = "/etc/ssl/certs/ca-certificates.crt" }\n')).filter((s) => s.code === 'file-missing');
  assert.ok(elsewhere.length > 0 && elsewhere.every((s) => s.severity === DiagnosticSeverity.Information), JSON.stringify(elsewhere.map((s) => s.severity)));
});
