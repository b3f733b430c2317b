// direct-tls-host-certificate: from 0.12 a direct-TLS port serves each host through SNI with a context built from
// `<service>_ssl`, the automatic lookup and the port's own context, never the host's `ssl`/`c2s_ssl`/`s2s_ssl`
// (core/portmanager.lua add_sni_host; seen on Debian's 0.12.3 with `openssl s_client -servername`). Real files
// from the fixture: certs/example.com.crt (example.com, conference.example.com), tls/good.crt (the same names),
// tls/wrong.crt (other.org); `nocerts/` is an empty certificates directory.
import * as assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import * as fs from 'node:fs';
import { test } from 'node:test';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { nodeFileSystem, type FileSystem } from '../../../server/src/service/files';
import { checkFiles, configDir, editedChecks, env, onlyOne, SETTINGS, type Seen } from './fixture';

const RULE = 'direct-tls-host-certificate';
const HOST = 'VirtualHost "example.com"\n  ssl = { certificate = "tls/good.crt", key = "tls/good.key" }\n';
const NO_CERTS = 'certificates = "nocerts"\n';

function emptyCertsDir(): void {
  fs.mkdirSync(configDir().file('nocerts'), { recursive: true });
}

async function direct(text: string, opts: Parameters<typeof checkFiles>[1] = {}): Promise<Seen[]> {
  emptyCertsDir();
  return (await checkFiles(text, opts)).filter((s) => s.code === RULE);
}

test('a host whose certificate is only in its own ssl table gets none on the c2s direct-TLS port', async () => {
  const text = `${NO_CERTS}c2s_direct_tls_ports = { 5223 }\n${HOST}`;
  const seen = await direct(text);
  const f = onlyOne(seen, RULE);
  assert.equal(f.severity, DiagnosticSeverity.Warning);
  assert.equal(f.text, 'VirtualHost "example.com"');
  assert.match(f.message, /^On the c2s_direct_tls port 5223, "example\.com" gets no certificate/);
  assert.match(f.message, /never reads its own `ssl`/);
  assert.ok(f.message.includes('`c2s_direct_tls_ssl = { certificate = "tls/good.crt", key = "tls/good.key" }`'), f.message);
  assert.ok(f.message.includes('(nocerts/example.com.crt + example.com.key)'), f.message);
  const related = (f.d.relatedInformation ?? []).map((r) => r.message);
  assert.deepEqual(related, ['the certificate STARTTLS serves', 'the direct-TLS ports']);
  // Each active service is its own finding; 0.12 is affected like 13.0.
  const both = await direct(`${NO_CERTS}c2s_direct_tls_ports = 5223\ns2s_direct_tls_ports = { "5270" }\n${HOST}`, { settings: { prosodyVersion: '0.12' } });
  assert.deepEqual(both.map((s) => s.message.slice(0, 40)).sort(), ['On the c2s_direct_tls port 5223, "exampl', 'On the s2s_direct_tls port 5270, "exampl']);
  assert.ok(both.some((s) => s.message.includes('`s2s_direct_tls_ssl = {')));
  // The log line of the host's own context (a reviewer: the port's line was quoted), and who fails on each port.
  assert.ok(both.some((s) => s.message.includes('clients that name it by SNI there fail the handshake ("No certificate present in SSL/TLS configuration for example.com. SNI will be required."')));
  assert.ok(both.some((s) => s.message.startsWith('On the s2s_direct_tls port') && s.message.includes('servers that name it by SNI')));
  // The quick fix writes the line the message spells out, under the header (review 151), indented as the host's lines.
  const edited = (t: string, seenF: Seen): string => {
    const data = seenF.d.data as { fixes: Array<{ title: string; edits: Array<{ range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string }> }> };
    assert.equal(data.fixes[0]!.title, 'Add c2s_direct_tls_ssl with this certificate and key');
    return TextDocument.applyEdits(TextDocument.create('file:///x', 'prosody', 1, t), data.fixes[0]!.edits);
  };
  assert.equal(edited(text, f), text.replace('VirtualHost "example.com"\n', 'VirtualHost "example.com"\n  c2s_direct_tls_ssl = { certificate = "tls/good.crt", key = "tls/good.key" }\n'));
  const crlf = text.replace(/\n/g, '\r\n').replace('VirtualHost "example.com"', 'VirtualHost "example.com" -- the main host');
  const g = onlyOne(await direct(crlf), RULE);
  assert.equal(edited(crlf, g), crlf.replace('-- the main host\r\n', '-- the main host\r\n  c2s_direct_tls_ssl = { certificate = "tls/good.crt", key = "tls/good.key" }\r\n'));
  // The table form has no line of its own to write under: no fix.
  const table = `${NO_CERTS}c2s_direct_tls_ports = { 5223 }\nVirtualHost "example.com" {\n  ssl = { certificate = "tls/good.crt", key = "tls/good.key" };\n}\n`;
  const tf = (await direct(table)).filter((x) => x.code === RULE);
  for (const x of tf) assert.equal((x.d.data as { fixes?: unknown[] } | undefined)?.fixes, undefined);
  // The host's own c2s_direct_tls_ssl counts only when it names a certificate (on Debian's 0.12.3: still none).
  const ciphersOnly = onlyOne(await direct(`${NO_CERTS}c2s_direct_tls_ports = { 5223 }\n${HOST}  c2s_direct_tls_ssl = { ciphers = "HIGH" }\n`), RULE);
  assert.match(ciphersOnly.message, /gets no certificate/);
  assert.equal((ciphersOnly.d.data as { fixes?: unknown[] } | undefined)?.fixes, undefined, 'a second c2s_direct_tls_ssl would replace the first');
});

test('c2s_ssl under the host, the global c2s_ssl and a parent domain\'s ssl are not read by direct TLS either', async () => {
  const own = onlyOne(await direct(`${NO_CERTS}legacy_ssl_ports = { 5223 }\nVirtualHost "example.com"\n  c2s_ssl = { certificate = "tls/good.crt", key = "tls/good.key" }\n`), RULE);
  assert.match(own.message, /legacy_ssl port 5223.*never reads its own `c2s_ssl`/);
  const global = onlyOne(await direct(`${NO_CERTS}c2s_direct_tls_ports = { 5223 }\nc2s_ssl = { certificate = "tls/good.crt", key = "tls/good.key" }\nVirtualHost "example.com"\n`), RULE);
  assert.match(global.message, /never reads the global `c2s_ssl`/);
  const child = await direct(`${NO_CERTS}c2s_direct_tls_ports = { 5223 }\n${HOST}VirtualHost "chat.example.com"\n`);
  assert.deepEqual(child.map((s) => s.text).sort(), ['VirtualHost "chat.example.com"', 'VirtualHost "example.com"']);
  assert.match(child.find((s) => s.text.includes('chat'))!.message, /never reads the `ssl` of "example\.com"/);
});

test('with a certificate in the port\'s own context the host is served that one, for another name', async () => {
  const viaSsl = onlyOne(await direct(`${NO_CERTS}ssl = { certificate = "tls/wrong.crt", key = "tls/wrong.key" }\nc2s_direct_tls_ports = { 5223 }\n${HOST}`), RULE);
  assert.match(viaSsl.message, /is served the port's certificate "tls\/wrong\.crt" \(from the global `ssl`\), which is for other\.org, www\.other\.org, not for this host/);
  const viaPrefix = onlyOne(await direct(`${NO_CERTS}c2s_direct_tls_ssl = { certificate = "tls/wrong.crt", key = "tls/wrong.key" }\nc2s_direct_tls_ports = { 5223 }\n${HOST}`), RULE);
  assert.match(viaPrefix.message, /from the global `c2s_direct_tls_ssl`/);
  // find_service_cert: any certificate of the index serves the port (here certs/example.com.crt, not for other.org).
  const viaIndex = onlyOne(await direct('s2s_direct_tls_ports = { 5270 }\nVirtualHost "other.org"\n  ssl = { certificate = "tls/wrong.crt", key = "tls/wrong.key" }\n'), RULE);
  assert.match(viaIndex.message, /s2s_direct_tls port 5270, "other\.org" is served the port's certificate, which Prosody picks from the certificates directory \(certs\/example\.com\.crt\)/);
});

test('near misses stay quiet', async () => {
  const quiet = [
    // No direct-TLS port, or one that opens nothing, or one set only inside `if`.
    `${NO_CERTS}${HOST}`,
    `${NO_CERTS}c2s_direct_tls_ports = {}\n${HOST}`,
    `${NO_CERTS}if os.getenv("X") then c2s_direct_tls_ports = { 5223 } end\n${HOST}`,
    `${NO_CERTS}c2s_direct_tls_ports = ports\n${HOST}`,
    `${NO_CERTS}c2s_direct_tls_ports = { 5223 }\nc2s_direct_tls_interfaces = {}\n${HOST}`,
    // The host names its certificate for the service, or the automatic lookup finds one (default certs/).
    `${NO_CERTS}c2s_direct_tls_ports = { 5223 }\n${HOST}  c2s_direct_tls_ssl = { certificate = "tls/good.crt", key = "tls/good.key" }\n`,
    `c2s_direct_tls_ports = { 5223 }\n${HOST}`,
    // The port's certificate covers the host, or is the host's own file.
    `${NO_CERTS}c2s_direct_tls_ssl = { certificate = "certs/example.com.crt", key = "certs/example.com.key" }\nc2s_direct_tls_ports = { 5223 }\n${HOST}`,
    `${NO_CERTS}ssl = { certificate = "tls/good.crt", key = "tls/good.key" }\nc2s_direct_tls_ports = { 5223 }\n${HOST}`,
    // The certificate comes from the global ssl, which direct TLS reads: host-no-certificate's business if anything.
    `${NO_CERTS}ssl = { certificate = "tls/wrong.crt", key = "tls/wrong.key" }\nc2s_direct_tls_ports = { 5223 }\nVirtualHost "other.org"\n`,
    // Not sure what the port serves: per-port tables, a computed table, a service certificate option.
    `${NO_CERTS}c2s_direct_tls_ssl = { [5223] = { certificate = "tls/wrong.crt" } }\nc2s_direct_tls_ports = { 5223 }\n${HOST}`,
    `${NO_CERTS}c2s_direct_tls_ssl = tables.c2s\nc2s_direct_tls_ports = { 5223 }\n${HOST}`,
    `${NO_CERTS}c2s_direct_tls_certificate = "tls"\nc2s_direct_tls_ports = { 5223 }\n${HOST}`,
    // A disabled host, a host written twice, a computed certificates directory.
    `${NO_CERTS}c2s_direct_tls_ports = { 5223 }\n${HOST}  enabled = false\n`,
    `${NO_CERTS}c2s_direct_tls_ports = { 5223 }\n${HOST}VirtualHost "example.com"\n`,
    `certificates = base .. "/certs"\nc2s_direct_tls_ports = { 5223 }\n${HOST}`,
  ];
  for (const text of quiet) assert.deepEqual(await direct(text), [], text);
});

// Before 0.12 the port has one context for every host (a reviewer's 0.11.9 run: "Error binding encrypted port for
// legacy_ssl: No certificate present in SSL/TLS configuration for legacy_ssl port 28223", the service on no ports).
test('before 0.12 a legacy_ssl port whose own context gets no certificate binds nothing, whatever the hosts\' tables', async () => {
  for (const line of ['0.10', '0.11'] as const) {
    const f = onlyOne(await direct(`${NO_CERTS}legacy_ssl_ports = { 5223 }\n${HOST}`, { settings: { prosodyVersion: line } }), RULE);
    assert.equal(f.text, 'legacy_ssl_ports = { 5223 }');
    assert.equal(f.severity, DiagnosticSeverity.Warning);
    assert.match(f.message, new RegExp(`^Prosody ${line.replace('.', '\\.')} binds no legacy_ssl port here: its one context for port 5223 gets no certificate .*nocerts/legacy_ssl\\.crt.* "No certificate present in SSL/TLS configuration for legacy_ssl port 5223"`));
    assert.ok(f.message.includes('Set `legacy_ssl_ssl = { certificate = …, key = … }`'), f.message);
  }
  // A certificate for the port: in the global ssl, in legacy_ssl_ssl, by legacy_ssl_certificate, or found as
  // legacy_ssl.crt in the certificates directory (the fixture's certs/ has none: a pair is put there).
  const quiet = [
    `${NO_CERTS}legacy_ssl_ports = { 5223 }\nssl = { certificate = "tls/good.crt", key = "tls/good.key" }\n${HOST}`,
    `${NO_CERTS}legacy_ssl_ports = { 5223 }\nlegacy_ssl_ssl = { certificate = "tls/good.crt", key = "tls/good.key" }\n${HOST}`,
    `${NO_CERTS}legacy_ssl_ports = { 5223 }\nlegacy_ssl_certificate = "tls/good.crt"\n${HOST}`,
    `${NO_CERTS}legacy_ssl_ports = { 5223 }\nssl = { [5223] = { certificate = "tls/good.crt", key = "tls/good.key" } }\n${HOST}`,
    `${NO_CERTS}legacy_ssl_ports = {}\n${HOST}`,
    `${NO_CERTS}legacy_ssl_ports = { 5223 }\nmodules_disabled = { "c2s" }\n${HOST}`,
    `${NO_CERTS}if x then legacy_ssl_ssl = { certificate = "tls/good.crt", key = "tls/good.key" } end\nlegacy_ssl_ports = { 5223 }\n${HOST}`,
  ];
  for (const text of quiet) assert.deepEqual(await direct(text, { settings: { prosodyVersion: '0.11' } }), [], text);
  const dir = configDir();
  fs.copyFileSync(dir.file('tls/good.crt'), dir.file('nocerts/legacy_ssl.crt'));
  fs.copyFileSync(dir.file('tls/good.key'), dir.file('nocerts/legacy_ssl.key'));
  try {
    assert.deepEqual(await direct(`${NO_CERTS}legacy_ssl_ports = { 5223 }\n${HOST}`, { settings: { prosodyVersion: '0.11' } }), []);
  } finally {
    fs.rmSync(dir.file('nocerts/legacy_ssl.crt'));
    fs.rmSync(dir.file('nocerts/legacy_ssl.key'));
  }
  // 0.9 is not judged (no find_service_cert; its contexts were not checked), nor is a file with no ports of its own.
  assert.deepEqual(await direct(`${NO_CERTS}legacy_ssl_ports = { 5223 }\n${HOST}`, { settings: { prosodyVersion: '0.9' } }), []);
});

// mod_http's https service goes the same way before 0.12 (checked on a real 0.11.9 with bosh enabled and host
// certificates only: "Error binding encrypted port for https: No certificate present in SSL/TLS configuration for
// https port 38281", then "Activated service 'https' on no ports").
test('before 0.12 the https port of an enabled HTTP module binds nothing without a certificate of its own', async () => {
  const v11 = { settings: { prosodyVersion: '0.11' as const } };
  const byModule = onlyOne(await direct(`${NO_CERTS}modules_enabled = { "roster", "bosh" }\n${HOST}`, v11), RULE);
  assert.equal(byModule.text, '"bosh"');
  assert.equal(byModule.severity, DiagnosticSeverity.Warning);
  assert.match(byModule.message, /^`bosh` loads mod_http, whose https service listens on port 5281 unless `https_ports` says otherwise\. Prosody 0\.11 binds no https port here: .*nocerts\/https\.crt.*"No certificate present in SSL\/TLS configuration for https port 5281".*plain HTTP only.*Set `https_ssl = \{ certificate = …, key = … \}`/);
  const byPorts = onlyOne(await direct(`${NO_CERTS}modules_enabled = { "websocket" }\nhttps_ports = { 5443 }\n${HOST}`, { settings: { prosodyVersion: '0.10' } }), RULE);
  assert.equal(byPorts.text, 'https_ports = { 5443 }');
  assert.match(byPorts.message, /^Prosody 0\.10 binds no https port here: its one context for port 5443/);
  const quiet = [
    // No module of Prosody's own that loads mod_http, or mod_http switched off.
    `${NO_CERTS}modules_enabled = { "roster", "http_upload" }\n${HOST}`,
    `${NO_CERTS}modules_enabled = { "bosh" }\nmodules_disabled = { "http" }\n${HOST}`,
    // No port, or a certificate for the port: global ssl, https_ssl, https_certificate.
    `${NO_CERTS}modules_enabled = { "bosh" }\nhttps_ports = {}\n${HOST}`,
    `${NO_CERTS}modules_enabled = { "bosh" }\nssl = { certificate = "tls/good.crt", key = "tls/good.key" }\n${HOST}`,
    `${NO_CERTS}modules_enabled = { "bosh" }\nhttps_ssl = { certificate = "tls/good.crt", key = "tls/good.key" }\n${HOST}`,
    `${NO_CERTS}modules_enabled = { "bosh" }\nhttps_certificate = "tls/good.crt"\n${HOST}`,
    `${NO_CERTS}modules_enabled = { "bosh" }\nif x then https_ports = { 5443 } end\n${HOST}`,
  ];
  for (const text of quiet) assert.deepEqual(await direct(text, v11), [], text);
  // An https_certificate naming a folder sends the lookup there (a reviewer's 0.11.9: a folder without https.crt, "No
  // certificate present … for https port", no port bound).
  const folder = onlyOne(await direct(`${NO_CERTS}modules_enabled = { "bosh" }\nhttps_certificate = "tls"\n${HOST}`, v11), RULE);
  assert.match(folder.message, /no tls\/https\.crt, tls\/https\/fullchain\.pem, tls\/https\.pem with its key, where `https_certificate` sends the lookup/);
  // From 0.12 the port serves each host through SNI (the other test's business); 0.9 is not judged.
  for (const line of ['0.9', '0.12'] as const) assert.deepEqual(await direct(`${NO_CERTS}modules_enabled = { "bosh" }\n${HOST}`, { settings: { prosodyVersion: line } }), [], line);
});

test('what cannot be checked here is only noted', async () => {
  const missingDir = onlyOne(await direct(`certificates = "/nonexistent/prosody-certs"\nc2s_direct_tls_ports = { 5223 }\n${HOST}`), RULE);
  assert.equal(missingDir.severity, DiagnosticSeverity.Information);
  assert.match(missingDir.message, /could not be checked here/);
  const strict = onlyOne(await direct(`certificates = "/nonexistent/prosody-certs"\nc2s_direct_tls_ports = { 5223 }\n${HOST}`, { e: env({ checkFiles: 'strict' }) }), RULE);
  assert.equal(strict.severity, DiagnosticSeverity.Warning);
  const included = onlyOne(await direct(`${NO_CERTS}c2s_direct_tls_ports = { 5223 }\nInclude "extra.cfg.lua"\n${HOST}`), RULE);
  assert.equal(included.severity, DiagnosticSeverity.Information);
  assert.match(included.message, /includes other files/);
});

test('a host in conf.d/ is judged with the main config\'s ports and port tables', async () => {
  const main = configDir().file('prosody.cfg.lua');
  const before = fs.readFileSync(main, 'utf8');
  try {
    fs.writeFileSync(main, `${NO_CERTS}c2s_direct_tls_ports = { 5223 }\nInclude "conf.d/*.cfg.lua"\n`);
    const f = onlyOne(await direct(HOST, { file: 'conf.d/example.cfg.lua' }), RULE);
    assert.match(f.message, /gets no certificate/);
    assert.deepEqual((f.d.relatedInformation ?? []).map((r) => r.message), ['the certificate STARTTLS serves']);
    fs.writeFileSync(main, `${NO_CERTS}c2s_direct_tls_ports = { 5223 }\nc2s_direct_tls_ssl = { certificate = "tls/good.crt", key = "tls/good.key" }\n`);
    assert.deepEqual(await direct(HOST, { file: 'conf.d/example.cfg.lua' }), []);
    fs.writeFileSync(main, `${NO_CERTS}\n`);
    assert.deepEqual(await direct(HOST, { file: 'conf.d/example.cfg.lua' }), []);
  } finally {
    fs.writeFileSync(main, before);
  }
});

test('an edit that opens a direct-TLS port runs the checks again', async () => {
  emptyCertsDir();
  // Port 5223: on 5222, c2s itself (by default) binds first and the direct-TLS service gets no listener.
  const { first, edit } = await editedChecks('memo.cfg.lua', `${NO_CERTS}c2s_ports = { 5223 }\n${HOST}`, RULE);
  assert.deepEqual(first, []);
  assert.equal((await edit('c2s_ports', 'c2s_direct_tls_ports')).length, 1);
});

test('before 0.12, an edit that enables an HTTP module runs the checks again (its https port)', async () => {
  emptyCertsDir();
  const { first, edit } = await editedChecks('memo-https.cfg.lua', `${NO_CERTS}modules_enabled = { "roster" }\n${HOST}`, RULE, { ...SETTINGS, prosodyVersion: '0.11' });
  assert.deepEqual(first, []);
  for (const [from, to] of [['"roster"', '"roster", "bosh"'], [NO_CERTS, `${NO_CERTS}https_ports = { 5443 }\n`]] as const) {
    const found = await edit(from, to);
    assert.equal(found.length, 1, to);
    assert.match(String(found[0]!.message), to.includes('5443') ? /port 5443/ : /port 5281/);
  }
});

test('one service binds a port: the one mod_c2s registers first (a reviewer: legacy_ssl_ports beside c2s_direct_tls_ports on the same port)', async () => {
  emptyCertsDir();
  const own = 'VirtualHost "example.com"\n  ssl = { certificate = "tls/good.crt", key = "tls/good.key" }\n  c2s_direct_tls_ssl = { certificate = "tls/good.crt", key = "tls/good.key" }\n';
  // c2s_direct_tls binds 45254 and the host names its certificate there; legacy_ssl gets no listener.
  assert.deepEqual(await direct(`${NO_CERTS}c2s_direct_tls_ports = { 45254 }\nlegacy_ssl_ports = { 45254 }\n${own}`), []);
  // On its own port, legacy_ssl is judged.
  assert.equal((await direct(`${NO_CERTS}c2s_direct_tls_ports = { 45254 }\nlegacy_ssl_ports = { 45255 }\n${own}`)).length, 1);
  // c2s's own port (its default 5222 when unset) is c2s's.
  assert.deepEqual(await direct(`${NO_CERTS}c2s_direct_tls_ports = { 5222 }\n${HOST}`), []);
  // With mod_s2s disabled nothing listens for s2s_direct_tls.
  assert.deepEqual(await direct(`${NO_CERTS}modules_disabled = { "s2s" }\ns2s_direct_tls_ports = { 45256 }\n${HOST}`), []);
  assert.equal((await direct(`${NO_CERTS}s2s_direct_tls_ports = { 45256 }\n${HOST}`)).length, 1);
});

test('an edit to the interfaces a direct-TLS port binds runs the checks again (a reviewer: the finding stayed)', async () => {
  emptyCertsDir();
  const { first, edit } = await editedChecks('memo-if.cfg.lua', `${NO_CERTS}c2s_direct_tls_ports = { 5223 }\nc2s_direct_tls_interfaces = { "127.0.0.1" }\n${HOST}`, RULE);
  assert.equal(first.length, 1);
  assert.deepEqual(await edit('{ "127.0.0.1" }', '{}'), []);
});

test('a per-domain certificate directory this user cannot list proves no miss: Information, not a Warning (a reviewer)', async () => {
  // As Let's Encrypt lays it out and Prosody (root) reads it: lecerts/example.com/{fullchain,privkey}.pem, the
  // domain's directory closed to the editing user (simulated: the tests run as root).
  const c = configDir();
  const dir = c.file('lecerts/example.com');
  fs.mkdirSync(dir, { recursive: true });
  fs.copyFileSync(c.file('tls/good.crt'), `${dir}/fullchain.pem`);
  fs.copyFileSync(c.file('tls/good.key'), `${dir}/privkey.pem`);
  const closed = (p: string): boolean => p === dir || p.startsWith(`${dir}/`);
  const deny = (p: string): void => {
    if (closed(p)) throw Object.assign(new Error(`EACCES: permission denied, scandir '${p}'`), { code: 'EACCES' });
  };
  const fsys: FileSystem = {
    stat: async (p) => (p.startsWith(`${dir}/`) && deny(p), nodeFileSystem.stat(p)),
    lstat: async (p) => (p.startsWith(`${dir}/`) && deny(p), nodeFileSystem.lstat(p)),
    readdir: async (p) => (deny(p), nodeFileSystem.readdir(p)),
    readBounded: async (p, limit) => (deny(p), nodeFileSystem.readBounded(p, limit)),
  };
  const text = `certificates = "lecerts"\nc2s_direct_tls_ports = { 5223 }\nVirtualHost "example.com"\n  ssl = { certificate = "lecerts/example.com/fullchain.pem", key = "lecerts/example.com/privkey.pem" }\n`;
  const f = onlyOne(await direct(text, { e: env({}, fsys) }), RULE);
  assert.equal(f.severity, DiagnosticSeverity.Information);
  assert.match(f.message, /cannot be listed by this user.*could not be checked here/);
  // Readable, the lookup finds the pair, and Prosody serves it: nothing to say.
  assert.deepEqual(await direct(text), []);
});

test('modules_disabled set inside if: the module may be off, so its direct-TLS port is not judged (a reviewer)', async () => {
  assert.deepEqual(await direct(`${NO_CERTS}s2s_direct_tls_ports = { 45257 }\nif os.getenv("NOS2S") then modules_disabled = { "s2s" } end\n${HOST}`), []);
});

// A host's SNI context takes its password from its own `<service>_ssl` (0.12) or the port's settings (the global
// `<service>_ssl`, then the global `ssl`), never from the host's `ssl` or any `c2s_ssl` (a reviewer's 0.12.3 run:
// "bad decrypt", the host then answered "unrecognized name").
test('an encrypted key in a host\'s direct-TLS table: its password comes from where that context reads', async () => {
  const ports = `${NO_CERTS}c2s_direct_tls_ports = { 5223 }\n`;
  emptyCertsDir();
  const codes = async (text: string, line: '0.12' | '13.0'): Promise<Seen[]> => (await checkFiles(text, { settings: { prosodyVersion: line } })).filter((s) => s.code.startsWith('key-'));
  const sni = (pw: string): string => `VirtualHost "example.com"\n  ssl = { certificate = "tls/good.crt", key = "tls/good.key"${pw ? `, password = "${pw}"` : ''} }\n  c2s_direct_tls_ssl = { certificate = "tls/good.crt", key = "tls/enc.key" }\n`;
  // The host's `ssl` password does not reach it: Error, at the key, and it costs the host its SNI context.
  const lost = onlyOne(await codes(`${ports}${sni('secret')}`, '0.12'), 'key-encrypted-no-password');
  assert.match(lost.message, /Prosody cannot build this host's SNI context/);
  assert.match(lost.message, /Write `password = "…"` next to the key/);
  assert.ok(!lost.message.includes('secret'));
  // Its own table's password counts on 0.12; on 13.0 only the port's does.
  const own = `${ports}VirtualHost "example.com"\n  c2s_direct_tls_ssl = { certificate = "tls/good.crt", key = "tls/enc.key", password = "secret" }\n`;
  assert.deepEqual(await codes(own, '0.12'), []);
  const portOnly = onlyOne(await codes(own, '13.0'), 'key-encrypted-no-password');
  assert.match(portOnly.message, /Prosody 13\.0 builds this host's SNI context with the port's password \(the global `c2s_direct_tls_ssl`'s, else the global `ssl`'s\)/);
  // The port's password (global c2s_direct_tls_ssl, else global ssl) reaches it on both lines; a wrong one is caught.
  for (const line of ['0.12', '13.0'] as const) {
    assert.deepEqual(await codes(`${ports}c2s_direct_tls_ssl = { password = "secret" }\n${sni('')}`, line), [], line);
    assert.deepEqual(await codes(`${ports}ssl = { password = "secret" }\n${sni('')}`, line), [], line);
    onlyOne(await codes(`${ports}ssl = { password = "wrong" }\n${sni('')}`, line), 'key-password-wrong');
    // A `[port]` table's password goes into that port's settings (a reviewer's 0.12.3 run): not judged.
    assert.deepEqual(await codes(`${ports}c2s_direct_tls_ssl = { [5223] = { password = "secret" } }\n${sni('')}`, line), [], line);
    assert.deepEqual(await codes(`${ports}ssl = { [5223] = { password = "wrong" } }\n${sni('')}`, line), [], line);
  }
});

test('the advice to give a host its certificate on the direct-TLS port carries the key\'s password along (13.0: says it cannot)', async () => {
  const text = `${NO_CERTS}c2s_direct_tls_ports = { 5223 }\nVirtualHost "example.com"\n  ssl = { certificate = "tls/good.crt", key = "tls/enc.key", password = "secret" }\n`;
  const f = onlyOne(await direct(text, { settings: { prosodyVersion: '0.12' } }), RULE);
  assert.ok(f.message.includes('`c2s_direct_tls_ssl = { certificate = "tls/good.crt", key = "tls/enc.key", password = "…" }` with the key\'s `password` (from its own `ssl`, which that context does not read either)'), f.message);
  assert.ok(!f.message.includes('secret'));
  const g = onlyOne(await direct(text, { settings: { prosodyVersion: '13.0' } }), RULE);
  assert.ok(g.message.includes('`c2s_direct_tls_ssl = { certificate = "tls/good.crt", key = "tls/enc.key" }` (its key\'s `password` does not go along: Prosody 13.0 builds this context with the port\'s password'), g.message);
  // A password in the global `ssl` reaches the host's SNI context anyway: nothing to carry.
  const global = onlyOne(await direct(`ssl = { password = "secret" }\n${text.replace(', password = "secret"', '')}`, { settings: { prosodyVersion: '0.12' } }), RULE);
  assert.ok(global.message.includes('`c2s_direct_tls_ssl = { certificate = "tls/good.crt", key = "tls/enc.key" }` (`prosodyctl check`'), global.message);
});
