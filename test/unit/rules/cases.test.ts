// The rule-case table: for each rule, configs that must fire (with the exact text the range covers and the fix the
// message names) and near misses that must stay quiet, per Prosody line where behaviour differs. Fixes are applied
// and the whole resulting text compared.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic } from 'vscode-languageserver-types';
import { createLanguageService, type ProsodyLine } from '../../../server/src/service';
import { rules } from '../../../server/src/service/rules';
import { rulesReference, spliceRulesReference, RULES_START, RULES_END } from '../../../server/src/service/rules/reference';

const service = createLanguageService();
let n = 0;

function validate(text: string, line: ProsodyLine): { doc: TextDocument; diags: Diagnostic[] } {
  const doc = TextDocument.create(`file:///cases/${++n}/prosody.cfg.lua`, 'prosody', 1, text);
  return { doc, diags: service.doValidation(doc, { prosodyVersion: line }) };
}

interface Fire {
  rule: string;
  text: string;
  /** Text the diagnostic's range covers. */
  at: string;
  /** A piece of the message naming what to write instead. */
  says: string;
  line?: ProsodyLine;
  /** Expected whole text after applying the fix with this title (or the first fix when `fixTitle` is absent). */
  fixed?: string;
  fixTitle?: string;
  /** No quick fix may be offered (one would edit the wrong text). */
  noFix?: true;
}
interface Quiet {
  rule: string;
  text: string;
  line?: ProsodyLine;
  quiet: true;
}
type Case = Fire | Quiet;

const G = (body: string): string => `ssl = { ${body} }\n`;
const H = (body: string): string => `VirtualHost "example.com"\n\tssl = { ${body} }\n`;

const cases: Case[] = [
  // ---- unknown-option: a misspelt TLS option (a reviewer in a real editor: `s2s_secure_auht = true` got nothing), an
  // ssl key outside its table. Not a name Prosody reads (`c2s_interface`, its pre-0.9 spelling), another module's
  // service (`turn_ports`), a short name, nor one read back as a variable.
  { rule: 'unknown-option', text: 's2s_secure_auht = true\n', at: 's2s_secure_auht', says: 'Did you mean `s2s_secure_auth`?', fixed: 's2s_secure_auth = true\n' },
  { rule: 'unknown-option', text: 'VirtualHost "a.example"\n  certifcate = "a.crt"\n', at: 'certifcate', says: 'Did you mean `certificate`?', fixed: 'VirtualHost "a.example"\n  certificate = "a.crt"\n' },
  { rule: 'unknown-option', text: 'legacy_sll_ports = { 5223 }\n', at: 'legacy_sll_ports', says: 'Did you mean `legacy_ssl_ports`?' },
  // The name as the line in force has it, and said when it has none (review 140: each rename drew option-too-new).
  { rule: 'unknown-option', text: 'c2s_direct_tls_port = { 5223 }\n', line: '0.9', at: 'c2s_direct_tls_port', says: 'Did you mean `legacy_ssl_ports`?', fixed: 'legacy_ssl_ports = { 5223 }\n' },
  { rule: 'unknown-option', text: 'tls_profiles = "modern"\n', line: '0.11', at: 'tls_profiles', says: 'Did you mean `tls_profile`? (It came in Prosody 0.12.0: on 0.11 it does nothing either.)' },
  { rule: 'unknown-option', text: 'tls_profiles = "modern"\n', line: '0.12', at: 'tls_profiles', says: 'Did you mean `tls_profile`?', fixed: 'tls_profile = "modern"\n' },
  { rule: 'unknown-option', text: 'VirtualHost "a.example"\n  protocol = "tlsv1_2+"\n', at: 'protocol', says: 'written under VirtualHost "a.example", nothing reads it. Put it inside the `ssl = { … }` table' },
  { rule: 'unknown-option', text: 'c2s_require_encrytion = true\nc2s_require_encryption = false\n', at: 'c2s_require_encrytion', says: 'This section sets `c2s_require_encryption` too', noFix: true },
  { rule: 'unknown-option', text: 'c2s_interface = "127.0.0.1"\nturn_ports = { 3478 }\nhttp_ports = { 5280 }\nssl_ports = { 5223 }\nmodules_enabled = { "tls" }\n', quiet: true },
  { rule: 'unknown-option', text: 'ciphers = "ECDHE+AESGCM"\nssl = { ciphers = ciphers }\n', quiet: true },
  // The nearest name, never a tie, never over a non-TLS option as near (a reviewer: `s2s_directtls_ports` was sent to
  // the client service, `http_hosts` to `http_ports`); ports-not-read's names are left to it.
  { rule: 'unknown-option', text: 's2s_directtls_ports = { 5270 }\n', line: '13.0', at: 's2s_directtls_ports', says: 'Did you mean `s2s_direct_tls_ports`?', fixed: 's2s_direct_tls_ports = { 5270 }\n' },
  { rule: 'unknown-option', text: 'http_hosts = "example.com"\nhttps_port = 5281\nc2s_ssl_ports = { 5223 }\n', line: '13.0', quiet: true },
  { rule: 'unknown-option', text: 'tls_pro = "x"\n', quiet: true },
  // ---- section-assigned (corpus 077; Debian's 0.12.3: no host, and a later header stops the loader)
  { rule: 'section-assigned', text: 'VirtualHost = "localhost"\n', at: 'VirtualHost', says: 'no host "localhost" exists for Prosody', fixed: 'VirtualHost "localhost"\n' },
  { rule: 'section-assigned', text: 'VirtualHost = "localhost"\nVirtualHost "example.com"\n', at: 'VirtualHost', says: '("attempt to call a string value (global \'VirtualHost\')"), so it does not start' },
  { rule: 'section-assigned', text: 'VirtualHost "localhost"\nComponent "c.localhost" "muc"\n', quiet: true },
  // A header in a comment calls nothing (a reviewer: prosodyctl check said only "No hosts are defined"); 0.11's Lua 5.2
  // words the error its own way.
  { rule: 'section-assigned', text: 'VirtualHost = "a.test"\n-- VirtualHost "b.test" is disabled\n', at: 'VirtualHost', says: 'no host "a.test" exists for Prosody' },
  { rule: 'section-assigned', text: 'VirtualHost = "a.test"\nVirtualHost "b.test"\n', line: '0.11', at: 'VirtualHost', says: '("attempt to call global \'VirtualHost\' (a string value)")' },
  // ---- unknown-ssl-key
  { rule: 'syntax-error', text: '#!/usr/bin/env lua\nssl = {}\n', at: '#!/usr/bin/env lua', says: 'make it a `--` comment' },
  { rule: 'syntax-error', text: '--#!/usr/bin/env lua\nssl = {}\n', quiet: true },
  // Lua's words, then the usual cause where it is recognisable and what it does (a reviewer: Lua's words alone).
  { rule: 'syntax-error', text: 'ssl = {\n  key = "a.key"\n  certificate = "a.crt";\n}\n', at: 'certificate', says: "'}' expected near 'certificate'. A `,` or `;` is missing after the entry before it" },
  { rule: 'syntax-error', text: 'ssl = { protocol = }\n', at: '}', says: 'Prosody cannot load the file, so it does not start.' },
  // After a call or an index too, both of which end a value (tokenize.endsValue).
  { rule: 'syntax-error', text: 'ssl = {\n  key = f("a.key")\n  certificate = "a.crt";\n}\n', at: 'certificate', says: 'A `,` or `;` is missing after the entry before it' },
  { rule: 'syntax-error', text: 'ssl = {\n  key = t[1]\n  certificate = "a.crt";\n}\n', at: 'certificate', says: 'A `,` or `;` is missing after the entry before it' },
  { rule: 'syntax-error', text: 'ssl = { protocol = "{{ proto }}" }\nadmins = {% for a in x %}\n', at: '%', says: 'check the file the template renders instead' },
  // After a BOM too, and the rest of the file is still judged.
  // A computed table in force may set anything: the preset's protocol and the flags below it are unknown.
  { rule: 'unsafe-protocol', text: 'tls_profile = "old"\nlocal b = { protocol = "tlsv1_2+" }\nssl = b\n', line: '0.12', quiet: true },
  { rule: 'unsafe-protocol', text: 'local hardened = { options = { "no_tlsv1", "no_tlsv1_1" } }\nssl = hardened\nc2s_ssl = { protocol = "sslv23" }\n', quiet: true },
  { rule: 'unsafe-protocol', text: 'VirtualHost "a.example"\n  ssl = get_ssl()\n  c2s_ssl = { protocol = "tlsv1+" }\n', quiet: true },
  // Client options do not reach a direct-TLS port's table.
  { rule: 'unsafe-protocol', text: 'tls_profile = "legacy"\nc2s_ssl = { options = { "no_tlsv1", "no_tlsv1_1" } }\nhttps_ssl = { protocol = "tlsv1+" }\n', at: '"tlsv1+"', says: 'Write `"tlsv1_2+"`' },
  { rule: 'unsafe-protocol', text: 'ssl = { options = { "no_tlsv1", "no_tlsv1_1" } }\nhttps_ssl = { protocol = "tlsv1+" }\n', quiet: true },
  // A service's `[port]` table is layered over the service's table (portmanager: `prefix_ssl[port]` over `prefix_ssl`, 0.10+).
  { rule: 'unsafe-protocol', text: 'c2s_direct_tls_ssl = { options = { "no_tlsv1", "no_tlsv1_1" }, [5223] = { protocol = "tlsv1+" } }\n', line: '0.12', quiet: true },
  { rule: 'unsafe-protocol', text: 'tls_profile = "legacy"\nhttps_ssl = { options = { "no_tlsv1" }, [5281] = { protocol = "tlsv1+" } }\n', line: '13.0', at: '"tlsv1+"', says: 'allows TLS 1.1,' },
  // The sub-table's own `= false` takes a flag back.
  { rule: 'unsafe-protocol', text: 'tls_profile = "legacy"\nc2s_direct_tls_ssl = { options = { "no_tlsv1", "no_tlsv1_1" }, [5223] = { protocol = "tlsv1+", options = { no_tlsv1_1 = false } } }\n', line: '0.12', at: '"tlsv1+"', says: 'allows TLS 1.1,' },
  // A STARTTLS table's own `false` sits under the c2s_ssl/s2s_ssl that switch the flag on again (a reviewer).
  { rule: 'unsafe-protocol', text: 'ssl = { protocol = "tlsv1_1+", options = { no_tlsv1_1 = false } }\nc2s_ssl = { options = { "no_tlsv1_1" } }\ns2s_ssl = { options = { "no_tlsv1_1" } }\n', line: '0.12', quiet: true },
  // Another service's table is no parent: `c2s_direct_tls_ssl` does not reach `https_ssl`'s ports.
  { rule: 'unsafe-protocol', text: 'tls_profile = "legacy"\nc2s_direct_tls_ssl = { options = { "no_tlsv1", "no_tlsv1_1" } }\nhttps_ssl = { [5281] = { protocol = "tlsv1+" } }\n', line: '0.12', at: '"tlsv1+"', says: 'allows TLS 1.0 and TLS 1.1' },
  { rule: 'unsafe-protocol', text: 'tls_profile = "legacy"\nc2s_ssl = { options = { "no_tlsv1", "no_tlsv1_1" } }\ns2s_ssl = { options = { "no_tlsv1", "no_tlsv1_1" } }\nssl = { [5281] = { protocol = "tlsv1+" } }\n', line: '0.12', at: '"tlsv1+"', says: 'allows TLS 1.0 and TLS 1.1, deprecated' },
  // A parent domain's ssl, overridden for its own connections by its c2s_ssl/s2s_ssl, still reaches a subdomain with a
  // c2s_ssl of its own (mod_tls takes each table from the parent apart; an instrumented 0.12.3 run negotiated TLS 1.1).
  { rule: 'unsafe-protocol', text: 'VirtualHost "example.com"\n  ssl = { protocol = "tlsv1+", ciphers = "HIGH:@SECLEVEL=0" }\n  c2s_ssl = { protocol = "tlsv1_2+" }\n  s2s_ssl = { protocol = "tlsv1_2+" }\nVirtualHost "sub.example.com"\n  c2s_ssl = { depth = 3 }\n', line: '0.12', at: '"tlsv1+"', says: 'allows TLS 1.0 and TLS 1.1 for VirtualHost "sub.example.com"\'s client connections', fixed: 'VirtualHost "example.com"\n  ssl = { protocol = "tlsv1_2+", ciphers = "HIGH:@SECLEVEL=0" }\n  c2s_ssl = { protocol = "tlsv1_2+" }\n  s2s_ssl = { protocol = "tlsv1_2+" }\nVirtualHost "sub.example.com"\n  c2s_ssl = { depth = 3 }\n' },
  { rule: 'unsafe-protocol', text: 'VirtualHost "example.com"\n  ssl = { protocol = "tlsv1+", ciphers = "HIGH:@SECLEVEL=0" }\n  c2s_ssl = { protocol = "tlsv1_2+" }\n  s2s_ssl = { protocol = "tlsv1_2+" }\nVirtualHost "sub.example.com"\n', line: '0.12', quiet: true },
  { rule: 'unsafe-protocol', text: 'VirtualHost "example.com"\n  ssl = { protocol = "tlsv1+", ciphers = "HIGH:@SECLEVEL=0" }\n  c2s_ssl = { protocol = "tlsv1_2+" }\n  s2s_ssl = { protocol = "tlsv1_2+" }\nVirtualHost "sub.example.com"\n  enabled = false\n  c2s_ssl = { depth = 3 }\n', line: '0.12', quiet: true },
  // Every port's own [port] table writes the protocol over the service's (an instrumented 0.12.3 run refused TLS 1.1).
  { rule: 'unsafe-protocol', text: 'c2s_direct_tls_ports = { 15223 }\nc2s_direct_tls_ssl = { protocol = "tlsv1+", ciphers = "HIGH:@SECLEVEL=0", [15223] = { protocol = "tlsv1_2+" } }\n', line: '0.12', quiet: true },
  { rule: 'unsafe-protocol', text: 'c2s_direct_tls_ports = { 15223, 15224 }\nc2s_direct_tls_ssl = { protocol = "tlsv1+", ciphers = "HIGH:@SECLEVEL=0", [15223] = { protocol = "tlsv1_2+" } }\n', line: '0.12', at: '"tlsv1+"', says: 'allows TLS 1.0 and TLS 1.1' },
  // A port written as a string never finds a numeric [port] table, and `protocol = nil` writes nothing (instrumented runs).
  { rule: 'unsafe-protocol', text: 'c2s_direct_tls_ports = { "15223" }\nc2s_direct_tls_ssl = { protocol = "tlsv1+", ciphers = "HIGH:@SECLEVEL=0", [15223] = { protocol = "tlsv1_2+" } }\n', line: '0.12', at: '"tlsv1+"', says: 'allows TLS 1.0 and TLS 1.1' },
  { rule: 'unsafe-protocol', text: 'c2s_direct_tls_ports = { 15223 }\nc2s_direct_tls_ssl = { protocol = "tlsv1+", ciphers = "HIGH:@SECLEVEL=0", [15223] = { protocol = nil } }\n', line: '0.12', at: '"tlsv1+"', says: 'allows TLS 1.0 and TLS 1.1' },
  { rule: 'mode-set', text: 'c2s_ssl = { mode = "client", mode = nil }\n', line: '0.12', quiet: true },
  // Written out, the same tables are judged.
  { rule: 'unsafe-protocol', text: 'tls_profile = "old"\nssl = { key = "a.key" }\n', line: '0.12', at: '"old"', says: '"intermediate"' },
  { rule: 'unsafe-protocol', text: 'tls_profile = "legacy"\nssl = { options = { "no_ticket" } }\nc2s_ssl = { protocol = "sslv23" }\n', at: '"sslv23"', says: 'allows TLS 1.0 and TLS 1.1' },
  { rule: 'unsafe-protocol', text: '\uFEFF#!/usr/bin/lua\nssl = { protocol = "tlsv1" }\n', at: '"tlsv1"', says: 'tlsv1_2+' },
  { rule: 'unknown-version-directive', text: '-- prosody-ssl: version=0.8\nssl = {}\n', at: 'prosody-ssl: version=0.8', says: 'the Prosody version setting applies' },
  { rule: 'unknown-version-directive', text: '-- prosody-ssl: version=trunk\nssl = {}\n', at: 'prosody-ssl: version=trunk', says: '`version=trunk` names no Prosody release line' },
  { rule: 'unknown-version-directive', text: '-- prosody-ssl: version=0.9.14\nssl = {}\n', quiet: true },
  // Per-port tables are read from the global table only (portmanager); under a host LuaSec ignores the key (a reviewer).
  { rule: 'unknown-ssl-key', text: 'VirtualHost "a.example"\n  ssl = { [5223] = { protocol = "tlsv1_3" } }\n', line: '0.12', at: '5223', says: 'which Prosody reads only from the global `ssl`', fixed: 'VirtualHost "a.example"\n  ssl = {}\n' },
  // `["options"] = { … }` is the options key, not an interface's table (a fuzzer: its flags were "positional values").
  { rule: 'unknown-ssl-key', text: 'ssl = {\n  ["options"] = { "no_sslv3", "no_ticket" };\n  ["verify"] = { "peer" };\n}\n', line: '0.12', quiet: true },
  // A nested per-connection table is the `<kind>_ssl` option written inside (a reviewer's find in a published config).
  { rule: 'unknown-ssl-key', text: 'ssl = { c2s = { protocol = "tlsv1_2+" } }\n', line: '0.12', at: 'c2s', says: 'Settings for `c2s` connections go in a table of their own, not nested: `c2s_ssl` is a top-level option: write it outside the table.' },
  { rule: 'unknown-ssl-key', text: 'VirtualHost "a.example"\n  ssl = { c2s_direct_tls = { protocol = "tlsv1_2+" } }\n', line: '0.12', at: 'c2s_direct_tls', says: 'reads only in the global section' },
  { rule: 'unknown-ssl-key', text: 'ssl = { c2s = { protocol = "tlsv1_2+" } }\n', line: '0.9', at: 'c2s', says: 'Remove it or use one of the documented ssl keys.' },
  { rule: 'unknown-flag', text: 'https_ssl = { ["options"] = { "bogus_flag" } }\n', line: '0.12', at: 'bogus_flag', says: 'LuaSec' },
  { rule: 'unknown-ssl-key', text: 'ssl = { [5223] = { protocol = "tlsv1_3" } }\nlegacy_ssl_ssl = { ["127.0.0.1"] = { key = "k" } }\n', line: '0.11', quiet: true },
  // Renaming the live one of duplicate misspelt keys also removes the earlier ones, which would come back (a reviewer).
  { rule: 'unknown-ssl-key', text: G('ciphersuite = "TLS_AES_128_GCM_SHA256", ciphersuite = "TLS_AES_256_GCM_SHA384"'), line: '0.12', at: 'ciphersuite', says: '`ciphersuites`', fixed: G('ciphersuites = "TLS_AES_256_GCM_SHA384"') },
  // 13.0's sslconfig throws on a number key (a reviewer's 13.0.1 run: prosodyctl check and start-up stop with
  // "attempt to index a number value (local 'field')"); 0.12 reads [port] tables from the global ones.
  // The first fix writes the port's settings into the table (review 140: removing them let 13.0.1 serve TLS 1.0 on a
  // port whose entry asked for TLS 1.2+); where the table sets one of its keys already, only the removal is offered.
  // (Not from the global `ssl`, which every connection reads: review 142, the moved certificate served c2s and s2s.)
  { rule: 'ssl-value-type', text: 'ssl = { certificate = "a.crt", key = "a.key", [5223] = { protocol = "tlsv1_3" } }\n', line: '13.0', at: '5223', says: 'stops Prosody 13.0', fixed: 'ssl = { certificate = "a.crt", key = "a.key" }\n' },
  { rule: 'ssl-value-type', text: 'c2s_direct_tls_ssl = { protocol = "tlsv1+", [15223] = { protocol = "tlsv1_2+" } }\n', line: '13.0', at: '15223', says: 'stops Prosody 13.0', fixed: 'c2s_direct_tls_ssl = { protocol = "tlsv1+" }\n' },
  { rule: 'ssl-value-type', text: 'c2s_direct_tls_ssl = { ciphers = "HIGH", [15223] = { protocol = "tlsv1_2+"; options = { "no_ticket" } } }\n', line: '13.0', at: '15223', says: 'stops Prosody 13.0', fixed: 'c2s_direct_tls_ssl = { ciphers = "HIGH", protocol = "tlsv1_2+"; options = { "no_ticket" } }\n' },
  { rule: 'ssl-value-type', text: 'c2s_direct_tls_ssl = { [5223] = { protocol = "tlsv1_3" } }\n', line: '13.0', at: '5223', says: 'give the port its settings in `<service>_ssl`' },
  { rule: 'ssl-value-type', text: 'VirtualHost "a.example"\n  ssl = { key = "a.key", "certs/a.crt" }\n', line: '13.0', at: '"certs/a.crt"', says: 'A positional value in `ssl` stops Prosody 13.0' },
  { rule: 'unknown-ssl-key', text: 'VirtualHost "a.example"\n  ssl = { key = "a.key", "certs/a.crt", [5223] = { protocol = "tlsv1_3" } }\n', line: '13.0', quiet: true },
  { rule: 'ssl-value-type', text: 'ssl = { [5223] = { protocol = "tlsv1_3" } }\n', line: '0.12', quiet: true },
  { rule: 'ssl-value-type', text: 'ssl = { ["127.0.0.1"] = { protocol = "tlsv1_3" } }\n', line: '13.0', quiet: true },
  // In a host no port or interface is looked up (a reviewer): the advice is to remove it. An interface's table is
  // applied too, so a number key there throws as well.
  { rule: 'ssl-value-type', text: 'VirtualHost "a.example"\n  ssl = { [5222] = { key = "k" } }\n', line: '13.0', at: '5222', says: 'so the module building the context fails to load with a traceback (for `ssl`, `c2s_ssl` or `s2s_ssl` that is mod_tls, so the hosts using the table get no STARTTLS at all, for clients or servers; from the global `ssl`, it can stop Prosody from starting). Remove it.' },
  { rule: 'ssl-value-type', text: 'ssl = { ["127.0.0.1"] = { "z" } }\n', line: '13.0', at: '"z"', says: 'A positional value in `ssl["127.0.0.1"]` stops Prosody 13.0' },
  { rule: 'unknown-ssl-key', text: G('protocl = "tlsv1_2+"'), at: 'protocl', says: '`protocol`', fixed: G('protocol = "tlsv1_2+"') },
  // Next to the key it was meant to be, a rename would replace that key's value: the typo goes instead.
  { rule: 'unknown-ssl-key', text: G('protocol = "tlsv1_2+"; protocl = "tlsv1"'), at: 'protocl', says: 'This table already sets it', fixed: G('protocol = "tlsv1_2+"') },
  { rule: 'unknown-ssl-key', text: G('protocl = "tlsv1"; protocol = "tlsv1_2+"'), at: 'protocl', says: 'sets it further on, and the later one wins', fixed: G('protocol = "tlsv1_2+"') },
  // Renaming the live one of two misspelt entries removes the earlier one, but not a comment between them.
  { rule: 'unknown-ssl-key', text: 'ssl = {\n\tprotocl = "tlsv1_2+";\n\t-- keep in sync with the web server\n\tprotocl = "tlsv1_3";\n\tciphers = "HIGH";\n}\n', at: 'protocl', says: '`protocol`', fixed: 'ssl = {\n\t-- keep in sync with the web server\n\tprotocol = "tlsv1_3";\n\tciphers = "HIGH";\n}\n' },
  { rule: 'unknown-ssl-key', text: G('protocl = "tlsv1_2+"; protocl = "tlsv1_3"'), at: 'protocl', says: '`protocol`', fixed: G('protocol = "tlsv1_3"') },
  { rule: 'unknown-ssl-key', text: 'ssl = {\n  certificate = "/etc/prosody/certs/a.crt";\n  certficate = "/old/cert.pem";\n}\n', at: 'certficate', says: 'remove this line, or change `certificate`', fixed: 'ssl = {\n  certificate = "/etc/prosody/certs/a.crt";\n}\n' },
  // Prosody 0.9 hands LuaSec a fixed set of keys (certmanager's create_context); the rest do nothing there.
  { rule: 'unknown-ssl-key', text: G('curve = "secp384r1"; curveslist = "X25519:P-256"'), line: '0.9', at: 'curveslist', says: 'set `curve` instead', fixed: G('curve = "secp384r1"') },
  { rule: 'unknown-ssl-key', text: G('alpn = { "xmpp-client" }'), line: '0.9', at: 'alpn', says: 'does nothing on Prosody 0.9' },
  { rule: 'unknown-ssl-key', text: G('mode = "client"'), line: '0.9', at: 'mode', says: 'Prosody sets it itself' },
  { rule: 'unknown-ssl-key', text: G('curveslist = "X25519:P-256"'), line: '0.10', quiet: true },
  // On 0.9 a misspelling is matched against the keys 0.9 reads only.
  { rule: 'unknown-ssl-key', text: G('curvelist = "X25519"'), line: '0.9', at: 'curvelist', says: 'Remove it or use one of the documented ssl keys' },
  { rule: 'unknown-ssl-key', text: G('cipher_suites = "TLS_AES_128_GCM_SHA256"'), at: 'cipher_suites', says: '`ciphersuites`', fixed: G('ciphersuites = "TLS_AES_128_GCM_SHA256"') },
  { rule: 'unknown-ssl-key', text: G('curves_list = "X25519"'), at: 'curves_list', says: '`curveslist`' },
  { rule: 'unknown-ssl-key', text: G('Protocol = "tlsv1_2+"'), at: 'Protocol', says: '`protocol`' },
  { rule: 'unknown-ssl-key', text: G('verify_ext = "lsec_continue"'), at: 'verify_ext', says: '`verifyext`' },
  { rule: 'unknown-ssl-key', text: 'c2s_ssl = { ["option"] = { "no_ticket" } }\n', at: '"option"', says: '`options`', fixed: 'c2s_ssl = { ["options"] = { "no_ticket" } }\n' },
  { rule: 'unknown-ssl-key', text: G('tls_profile = "modern"'), at: 'tls_profile', says: 'top-level option: write it outside the table' },
  // Moved out as told, it must be read there (a reviewer: option-too-new, global-option-in-host then fired).
  { rule: 'unknown-ssl-key', text: G('tls_profile = "modern"'), line: '0.11', at: 'tls_profile', says: 'top-level option that Prosody 0.11 does not have (it came in 0.12.0): remove it' },
  { rule: 'unknown-ssl-key', text: H('s2s_secure_auth = true'), line: '0.12', at: 's2s_secure_auth', says: 'reads only in the global section: write it there' },
  { rule: 'unknown-ssl-key', text: H('c2s_require_encryption = true'), line: '0.12', at: 'c2s_require_encryption', says: 'top-level option: write it outside the table' },
  { rule: 'unknown-ssl-key', text: 'c2s_ssl = { depht = 5 }\n', at: 'depht', says: '`depth`' },
  { rule: 'unknown-ssl-key', text: G('"no_ticket"'), at: '"no_ticket"', says: 'options = {', fixed: 'ssl = {}\n' },
  { rule: 'unknown-ssl-key', text: 'c2s_direct_tls_ssl = { [5223] = { protocl = "tlsv1_3" } }\n', at: 'protocl', says: '`protocol`' },
  { rule: 'unknown-ssl-key', text: G('protocol = "tlsv1_2+"; ciphers = "HIGH"'), quiet: true },
  { rule: 'unknown-ssl-key', text: 'https_ssl = { [5281] = { certificate = "a.crt" } }\n', quiet: true },
  { rule: 'unknown-ssl-key', text: 'sql = { protocl = "x" }\nlocal ssl = { foo = 1 }\n', quiet: true },
  { rule: 'unknown-ssl-key', text: G('_internal = true'), line: '13.0', quiet: true },
  { rule: 'unknown-ssl-key', text: G('certificates = { { certificate = "a", key = "b" } }'), quiet: true },

  // ---- ssl-value-type
  { rule: 'ssl-value-type', text: G('depth = "nine"'), at: '"nine"', says: 'whole number' },
  // Refused or thrown as LuaSec does (facts §4.6), and what to write (a reviewer: "refuses it (or throws)" and no advice).
  { rule: 'ssl-value-type', text: G('verify = 5'), at: '5', says: 'LuaSec refuses it, so no TLS context is created. Write e.g. `"peer"`' },
  { rule: 'ssl-value-type', text: G('verify = true'), at: 'true', says: 'LuaSec throws a Lua error' },
  { rule: 'ssl-value-type', text: G('password = 123'), at: '123', says: 'LuaSec refuses it, so no TLS context is created. Write the passphrase in quotes.' },
  // alpn: a server context refuses a string ("invalid ALPN parameter"); client_https_ssl builds client contexts only, which take one.
  { rule: 'ssl-value-type', text: G('alpn = "http/1.1"'), at: '"http/1.1"', says: 'a list of strings or a function' },
  { rule: 'ssl-value-type', text: 'client_https_ssl = { alpn = "http/1.1" }\n', quiet: true },
  { rule: 'ssl-value-type', text: 'client_https_ssl = { alpn = { "http/1.1" } }\n', quiet: true },
  { rule: 'ssl-value-type', text: 'client_https_ssl = { alpn = function() return "h2" end }\n', at: 'function() return "h2" end', says: 'takes a string or a list of strings' },
  { rule: 'ssl-value-type', text: G('depth = 1.5'), at: '1.5', says: 'on Lua 5.3 or later' },
  { rule: 'ssl-value-type', text: G('depth = "2.5"'), line: '13.0', at: '"2.5"', says: '`9`' },
  // Lua 5.1/5.2 (all 0.9/0.10 run on, most 0.11) cut the fraction: no Lua error there (a reviewer).
  { rule: 'ssl-value-type', text: G('depth = 1.5'), line: '0.10', quiet: true },
  { rule: 'ssl-value-dropped', text: G('depth = 1.5'), line: '0.9', at: '1.5', says: 'cuts the number 1.5 to a whole number' },
  { rule: 'ssl-value-dropped', text: G('depth = 1.5'), line: '0.11', at: '1.5', says: 'on Lua 5.3 it throws' },
  { rule: 'ssl-value-type', text: G('depth = "nine"'), line: '0.9', at: '"nine"', says: 'whole number' },
  // 0.9's resolve_path indexes the value as a string: anything else that is true throws (a reviewer read 0.9's certmanager).
  { rule: 'ssl-value-type', text: G('certificate = 123'), line: '0.9', at: '123', says: 'Prosody 0.9 resolves the number 123 as one and throws a Lua error' },
  { rule: 'ssl-value-type', text: G('capath = { "/etc/ssl/certs" }'), line: '0.9', at: '{ "/etc/ssl/certs" }', says: 'Write the path in quotes' },
  { rule: 'ssl-value-dropped', text: G('certificate = 123'), line: '0.9', quiet: true },
  { rule: 'ssl-value-dropped', text: G('certificate = 123'), line: '0.10', at: '123', says: 'silently drops' },
  { rule: 'ssl-value-type', text: G('key = false'), line: '0.9', quiet: true },
  { rule: 'ssl-value-type', text: G('depth = true'), at: 'true', says: 'whole number' },
  { rule: 'ssl-value-type', text: G('curveslist = { "X25519", true }'), at: 'true', says: 'e.g. `"X25519"`' },
  { rule: 'ssl-value-type', text: G('protocol = false'), at: 'false', says: 'no STARTTLS at all, for clients or servers; from the global `ssl`, it can stop Prosody from starting' },
  { rule: 'ssl-value-type', text: G('options = { "no_ticket", true }'), at: 'true', says: '"no_ticket"' },
  { rule: 'ssl-value-type', text: G('verify = { true }'), at: 'true', says: '"peer"' },
  { rule: 'ssl-value-type', text: G('verify = true'), at: 'true', says: 'a list of strings' },
  { rule: 'ssl-value-type', text: G('ciphersuites = { "TLS_AES_128_GCM_SHA256" }'), line: '0.11', at: '{ "TLS_AES_128_GCM_SHA256" }', says: 'one string joined with `:`' },
  { rule: 'ssl-value-type', text: G('ciphers = { "HIGH", "!aNULL" }'), line: '0.9', at: '{ "HIGH", "!aNULL" }', says: 'one string joined' },
  { rule: 'ssl-value-type', text: G('protocol = false'), at: 'false', says: '"tlsv1_2+"' },
  // 0.9 builds each key as `user.x or default` (facts, 0.9 merge_model): false is the default there.
  { rule: 'ssl-value-type', text: G('protocol = false'), line: '0.9', quiet: true },
  { rule: 'ssl-value-type', text: G('key = false'), line: '0.9', quiet: true },
  { rule: 'ssl-value-type', text: G('key = false'), at: 'false', says: 'key file' },
  { rule: 'ssl-value-type', text: G('protocol = 12'), at: '12', says: 'a string' },
  { rule: 'ssl-value-type', text: G('password = 123'), at: '123', says: 'a string or a function' },
  { rule: 'ssl-value-type', text: G('alpn = "xmpp-client"'), at: '"xmpp-client"', says: 'a list of strings' },
  { rule: 'ssl-value-type', text: G('alpn = {}'), at: '{}', says: 'Remove `alpn`' },
  { rule: 'ssl-value-type', text: G('options = { no_ticket = 1 }'), at: '1', says: '`no_ticket = true`' },
  { rule: 'ssl-value-type', text: G('ciphers = 42'), at: '42', says: 'a string' },
  { rule: 'ssl-value-type', text: G('depth = 9'), quiet: true },
  { rule: 'ssl-value-type', text: G('depth = "9"'), quiet: true },
  { rule: 'ssl-value-type', text: G('depth = "1e1"'), quiet: true },
  { rule: 'ssl-value-type', text: G('depth = math.huge'), quiet: true },
  { rule: 'ssl-value-type', text: G('ciphersuites = { "TLS_AES_128_GCM_SHA256" }'), line: '0.12', quiet: true },
  { rule: 'ssl-value-type', text: G('ciphers = { "HIGH", "!aNULL" }'), line: '0.10', quiet: true },
  { rule: 'ssl-value-type', text: G('options = { false }'), quiet: true },
  { rule: 'ssl-value-type', text: G('password = function() return "x" end'), quiet: true },
  { rule: 'ssl-value-type', text: G('verify = false; depth = false'), quiet: true },
  { rule: 'ssl-value-type', text: G('protocol = ENV_PROTOCOL'), quiet: true },

  // ---- ssl-value-dropped
  { rule: 'ssl-value-dropped', text: G('dhparam = true'), at: 'true', says: 'path in quotes' },
  // On 0.9 a map replaces the default list too (user.options or default): the message says the defaults are off.
  { rule: 'ssl-value-dropped', text: G('options = { no_ticket = true }'), line: '0.9', at: '{ no_ticket = true }', says: 'and it replaces Prosody 0.9\'s default list, so `"no_sslv2"`, `"no_sslv3"`' },
  { rule: 'ssl-value-dropped', text: G('options = { no_ticket = true }'), line: '0.9', at: '{ no_ticket = true }', says: 'Write a list with every flag you want, those included' },
  // 0.10+ drops a function; 0.9 passes it on to LuaSec, which takes one (and refuses other values).
  { rule: 'ssl-value-dropped', text: G('dhparam = function() return "x" end'), line: '0.10', at: 'function() return "x" end', says: 'path in quotes' },
  { rule: 'ssl-value-dropped', text: G('dhparam = function() return "x" end'), line: '0.9', quiet: true },
  { rule: 'ssl-value-type', text: G('dhparam = function() return "x" end'), line: '0.9', quiet: true },
  { rule: 'ssl-value-type', text: G('dhparam = 2048'), line: '0.9', at: '2048', says: 'a string or a function' },
  { rule: 'ssl-value-dropped', text: G('dhparam = 2048'), line: '0.9', quiet: true },
  { rule: 'ssl-value-dropped', text: G('certificate = 123'), at: '123', says: 'path in quotes' },
  { rule: 'ssl-value-dropped', text: G('verify = { peer = true }'), at: '{ peer = true }', says: '{ "peer", "client_once" }' },
  { rule: 'ssl-value-dropped', text: G('options = { no_ticket = true }'), line: '0.9', at: '{ no_ticket = true }', says: 'Write a list' },
  { rule: 'ssl-value-dropped', text: G('options = { no_ticket = true }'), line: '0.10', quiet: true },
  { rule: 'ssl-value-dropped', text: G('certificate = "certs/a.crt"; key = "certs/" .. host .. ".key"'), quiet: true },

  // ---- invalid-protocol
  // The `+` form comes first and is preferred: the literal reading switches TLS 1.3 off (a reviewer).
  { rule: 'invalid-protocol', text: G('protocol = "TLSv1.2"'), at: '"TLSv1.2"', says: '"tlsv1_2"` (that version only)', fixed: G('protocol = "tlsv1_2+"') },
  // Just typed (the editor closed the quote): said in words, not as an empty code span (a reviewer in a real editor).
  { rule: 'invalid-protocol', text: G('protocol = ""'), at: '""', says: 'An empty string is not a protocol name' },
  { rule: 'unknown-flag', text: G('options = { "" }'), at: '""', says: 'An empty string is not an option flag' },
  { rule: 'unknown-tls-profile', text: 'tls_profile = ""\n', line: '0.12', at: '""', says: 'An empty string is not a TLS profile' },
  { rule: 'invalid-protocol', text: G('protocol = "TLSv1.2"'), at: '"TLSv1.2"', says: '"tlsv1_2"', fixed: G('protocol = "tlsv1_2"'), fixTitle: 'Change to "tlsv1_2"' },
  // Tables the line does not read at all: option-too-new / global-option-in-host report them; nothing inside counts.
  { rule: 'invalid-protocol', text: 'c2s_ssl = { protocol = "sslv3" }\n', line: '0.9', quiet: true },
  { rule: 'invalid-protocol', text: 'c2s_direct_tls_ssl = { protocol = "sslv3" }\n', line: '0.11', quiet: true },
  { rule: 'invalid-protocol', text: 'c2s_direct_tls_ssl = { protocol = "sslv3" }\n', line: '0.12', at: '"sslv3"', says: 'tlsv1_2+' },
  { rule: 'invalid-protocol', text: 'VirtualHost "a"\n\thttps_ssl = { protocol = "sslv3" }\n', line: '0.11', quiet: true },
  { rule: 'invalid-protocol', text: 'VirtualHost "a"\n\thttps_ssl = { protocol = "sslv3" }\n', line: '0.12', at: '"sslv3"', says: 'tlsv1_2+' },
  { rule: 'invalid-protocol', text: G('protocol = "TLSv1.2"'), at: '"TLSv1.2"', says: '`"tlsv1_2+"` (that version and newer ones)', fixed: G('protocol = "tlsv1_2+"'), fixTitle: 'Change to "tlsv1_2+"' },
  // No `+` alternative where it would be unsafe (TLS 1.0 and newer).
  // The literal reading names a weak version: the preferred fix is the safe one, the literal one comes second.
  { rule: 'invalid-protocol', text: G('protocol = "TLSv1"'), at: '"TLSv1"', says: 'Write `"tlsv1"`, or rather `"tlsv1_2+"`', fixed: G('protocol = "tlsv1_2+"') },
  { rule: 'invalid-protocol', text: G('protocol = "TLSv1"'), at: '"TLSv1"', says: 'allows versions with known weaknesses', fixed: G('protocol = "tlsv1"'), fixTitle: 'Change to "tlsv1"' },
  { rule: 'invalid-protocol', text: G('protocol = "sslv3"'), at: '"sslv3"', says: '"tlsv1_2+"', fixed: G('protocol = "tlsv1_2+"') },
  { rule: 'invalid-protocol', text: G('protocol = "sslv2"'), at: '"sslv2"', says: '"tlsv1_2+"' },
  // Lua 5.2+ escapes: the value is what Lua reads, not the letters written.
  { rule: 'invalid-protocol', text: G('protocol = "tlsv1_\\x32+"'), quiet: true },
  { rule: 'unknown-flag', text: G('options = { "no\\x5fticket", "no_\\u{74}icket" }'), quiet: true },
  // Prosody 0.9/0.10 ran on LuaSec 0.5–0.7, which still accepted sslv3: not a start-up failure there, but unsafe.
  { rule: 'invalid-protocol', text: G('protocol = "sslv3"'), line: '0.9', quiet: true },
  { rule: 'unsafe-protocol', text: G('protocol = "sslv3"'), line: '0.9', at: '"sslv3"', says: 'Remove the line' },
  { rule: 'unsafe-protocol', text: G('protocol = "sslv3"'), line: '0.10', at: '"sslv3"', says: '"tlsv1_2+"', fixed: G('protocol = "tlsv1_2+"') },
  { rule: 'invalid-protocol', text: G('protocol = "sslv3"'), line: '0.11', at: '"sslv3"', says: '"tlsv1_2+"' },
  // Dropping the `+` on 0.9 would pin one version: the advice is sslv23 plus no_* options, with no one-word fix.
  { rule: 'invalid-protocol', text: G('protocol = "tlsv1_2+"'), line: '0.9', at: '"tlsv1_2+"', says: 'Write `"sslv23"` and switch older versions off in `options` ("no_sslv3", "no_tlsv1", "no_tlsv1_1"); Prosody 0.9 replaces' },
  { rule: 'invalid-protocol', text: G('protocol = "tlsv1_1+"'), line: '0.9', at: '"tlsv1_1+"', says: '`"tlsv1_1"` would allow that version only' },
  { rule: 'invalid-protocol', text: G('protocol = "tlsv1_3+"'), line: '0.10', at: '"tlsv1_3+"', says: '"tlsv1_3"' },
  { rule: 'invalid-protocol', text: G('protocol = "tls1_2"'), at: '"tls1_2"', says: '"tlsv1_2"' },
  { rule: 'invalid-protocol', text: G('protocol = " tlsv1_2+"'), at: '" tlsv1_2+"', says: '"tlsv1_2+"' },
  { rule: 'invalid-protocol', text: G('protocol = ""'), at: '""', says: 'Write one of' },
  { rule: 'invalid-protocol', text: G('protocol = "tlsv1_3+"'), line: '0.11', quiet: true },
  { rule: 'invalid-protocol', text: G('protocol = "tlsv1_2+"'), line: '0.10', quiet: true },
  { rule: 'invalid-protocol', text: G('protocol = "sslv23"'), line: '0.9', quiet: true },
  { rule: 'invalid-protocol', text: 'tls_policy = { protocol = "TLSv1.[12]" }\n', quiet: true },

  // ---- no-protocol-left: the flags in force switch off every version the protocol allows (LuaSec 1.2.0 on
  // OpenSSL 3.0.22: the context is built, then every handshake fails with "no protocols available").
  // List and map forms; the fix removes the flags that switch TLS 1.2/1.3 off, or the whole `options` they fill.
  // A reviewer: on 0.9 a host's table replaces the global one, so a host writing no protocol gets Prosody's default
  // "sslv23" even where no table writes it (the shortcut that skips configs with nothing to find had missed it).
  // A flag a table beneath sets too stays on when taken out here (util.sslconfig merges the layers): the advice says
  // so, and the fix takes out only what is enough (a reviewer), or nothing when nothing here is.
  // A differential review of the flag semantics: a computed map value is most likely the boolean it reads as (its
  // 0.12.3 run refused TLS 1.0 and 1.1 here), and a flag's name as a map value switches that flag on, on STARTTLS and
  // port tables alike, for every rule that weighs flags; ssl-value-type does not call it refused.
  { rule: 'unsafe-protocol', text: 'local on = true\nssl = { protocol = "sslv23", options = { no_sslv2 = on, no_sslv3 = on, no_tlsv1 = on, no_tlsv1_1 = on } }\n', line: '0.12', quiet: true },
  { rule: 'verify-peer-no-continue', text: 'local keep = true\nc2s_ssl = { verify = "peer", verifyext = { lsec_continue = keep } }\n', line: '13.0', quiet: true },
  { rule: 'unsafe-protocol', text: 'c2s_direct_tls_ssl = { protocol = "tlsv1+", options = { x = "no_tlsv1", y = "no_tlsv1_1" } }\n', line: '0.12', quiet: true },
  { rule: 'unsafe-protocol', text: G('protocol = "tlsv1+", options = { x = "no_tlsv1", y = "no_tlsv1_1" }'), line: '0.12', quiet: true },
  { rule: 'ssl-value-type', text: G('options = { x = "no_tlsv1" }'), line: '0.12', quiet: true },
  // A table that writes no protocol but switches an old version back on over the tables beneath (a reviewer's
  // differential run: unreported for a host, a Component, a subdomain); said on the `false` entry, fixed by removing it.
  { rule: 'unsafe-protocol', text: 'tls_profile = "legacy"\nssl = { protocol = "sslv23", options = { "no_sslv3", "no_tlsv1", "no_tlsv1_1" } }\nVirtualHost "a.example"\n  ssl = { options = { no_tlsv1 = false } }\n', line: '0.12', at: 'no_tlsv1', says: 'switches TLS 1.0 back on for client and server-to-server connections here', fixed: 'tls_profile = "legacy"\nssl = { protocol = "sslv23", options = { "no_sslv3", "no_tlsv1", "no_tlsv1_1" } }\nVirtualHost "a.example"\n  ssl = { options = {} }\n' },
  { rule: 'unsafe-protocol', text: 'tls_profile = "legacy"\nssl = { protocol = "sslv23", options = { "no_sslv3", "no_tlsv1", "no_tlsv1_1" } }\nComponent "c.example" "muc"\n  ssl = { options = { no_tlsv1_1 = false } }\n', line: '13.0', at: 'no_tlsv1_1', says: 'switches TLS 1.1 back on for server-to-server connections here' },
  { rule: 'unsafe-protocol', text: 'tls_profile = "legacy"\nc2s_ssl = { protocol = "sslv23", options = { "no_sslv3", "no_tlsv1", "no_tlsv1_1" } }\nVirtualHost "a.example"\n  c2s_ssl = { options = { no_tlsv1 = false, no_tlsv1_1 = false } }\n', line: '0.12', at: 'no_tlsv1', says: '`protocol = "sslv23"` (global c2s_ssl) then allows it' },
  { rule: 'unsafe-protocol', text: 'tls_profile = "legacy"\nssl = { protocol = "sslv23", options = { "no_sslv3", "no_tlsv1", "no_tlsv1_1" } }\nVirtualHost "example.com"\n  c2s_ssl = { options = { no_tlsv1 = false } }\nComponent "conf.example.com" "muc"\n', line: '0.12', at: 'no_tlsv1', says: 'back on for client connections here' },
  // Quiet: a protocol that switches them off itself, a flag nothing beneath had on (the global protocol is reported
  // where it is written), a protocol written in the same section (judged there).
  { rule: 'unsafe-protocol', text: 'ssl = { protocol = "tlsv1_2+" }\nVirtualHost "a.example"\n  ssl = { options = { no_tlsv1 = false } }\n', line: '0.12', quiet: true },
  { rule: 'unsafe-protocol', text: 'tls_profile = "legacy"\nssl = { protocol = "tlsv1_2+" }\nc2s_ssl = { protocol = "sslv23" }\nVirtualHost "a.example"\n  c2s_ssl = { options = { no_tlsv1 = false } }\n', line: '0.12', at: '"sslv23"', says: 'allows TLS 1.0' },
  { rule: 'unsafe-protocol', text: 'ssl = { protocol = "sslv23", options = { "no_sslv3", "no_tlsv1", "no_tlsv1_1" } }\nVirtualHost "a.example"\n  ssl = { protocol = "tlsv1_2+", options = { no_tlsv1 = false } }\n', line: '0.12', quiet: true },
  { rule: 'no-protocol-left', text: G('protocol = "tlsv1_2+", options = { x = "no_tlsv1_2", no_tlsv1_3 = true }'), line: '13.0', at: '"tlsv1_2+"', says: 'every TLS handshake', fixTitle: 'Remove no_tlsv1_3', fixed: G('protocol = "tlsv1_2+", options = { x = "no_tlsv1_2" }') },
  { rule: 'no-protocol-left', text: 'ssl = { protocol = "tlsv1_2+", options = { "no_tlsv1_3" } }\nVirtualHost "a.example"\n  ssl = { options = { "no_tlsv1_2", "no_tlsv1_3" } }\n', line: '13.0', at: 'no_tlsv1_2', says: 'remove `no_tlsv1_2` and `no_tlsv1_3` (a table beneath sets it too: take it out there as well)', fixed: 'ssl = { protocol = "tlsv1_2+", options = { "no_tlsv1_3" } }\nVirtualHost "a.example"\n  ssl = { options = { "no_tlsv1_3" } }\n' },
  { rule: 'no-protocol-left', text: 'ssl = { protocol = "tlsv1_2+", options = { "no_tlsv1_2", "no_tlsv1_3" } }\nVirtualHost "a.example"\n  ssl = { options = { "no_tlsv1_2", "no_tlsv1_3" } }\n', line: '13.0', at: 'no_tlsv1_2', says: 'a table beneath sets it too', noFix: true },
  // A flag a higher layer sets false stays off for the connections it governs: the table's own flags are not added
  // back on top of its section's layering (found with this rule; unsafe-protocol had the same blind spot).
  { rule: 'unsafe-protocol', text: 'tls_profile = "legacy"\nssl = { protocol = "sslv23", options = { "no_sslv3", "no_tlsv1", "no_tlsv1_1" } }\nc2s_ssl = { options = { no_tlsv1 = false } }\n', line: '0.12', at: '"sslv23"', says: 'allows TLS 1.0 on client connections' },
  { rule: 'no-protocol-left', text: 'ssl = { protocol = "tlsv1_2" }\nVirtualHost "a.example"\n  ssl = { certificate = "a.crt", key = "a.key", options = { "no_sslv2", "no_sslv3", "no_tlsv1", "no_tlsv1_1", "no_tlsv1_2", "no_tlsv1_3" } }\n', line: '0.9', at: 'no_sslv2', says: '(Prosody\'s default)' },
  // A map key set to something other than a boolean is a list item to util/sslconfig: `no_tlsv1_2 = "yes"` switches
  // on a flag named "yes" (LuaSec: "invalid option (yes)", a reviewer's 0.12.3 run), not no_tlsv1_2.
  { rule: 'no-protocol-left', text: G('protocol = "tlsv1_2+", options = { no_tlsv1_2 = "yes", no_tlsv1_3 = true }'), line: '13.0', quiet: true },
  // 0.9 hands `options` to LuaSec as written, which unpacks its list part: map entries switch nothing off.
  { rule: 'no-protocol-left', text: G('protocol = "sslv23", options = { no_sslv2 = true, no_sslv3 = true, no_tlsv1 = true, no_tlsv1_1 = true, no_tlsv1_2 = true, no_tlsv1_3 = true }'), line: '0.9', quiet: true },
  { rule: 'unsafe-protocol', text: G('protocol = "sslv23", options = { "no_sslv2", "no_sslv3", no_tlsv1 = true, no_tlsv1_1 = true }'), line: '0.9', at: '"sslv23"', says: 'TLS 1.0 and TLS 1.1' },
  { rule: 'no-protocol-left', text: G('protocol = "tlsv1_2+", options = { "no_ticket", "no_tlsv1_2", "no_tlsv1_3" }'), at: '"tlsv1_2+"', says: 'In `options`, remove `no_tlsv1_2` and `no_tlsv1_3`, so TLS 1.2 and TLS 1.3 are allowed again', fixed: G('protocol = "tlsv1_2+", options = { "no_ticket" }') },
  // The global `ssl` is the direct-TLS and HTTPS ports' too (a reviewer's 0.12.3 run: they failed as well), unless a
  // service table of theirs writes options or a protocol over it.
  { rule: 'no-protocol-left', text: G('protocol = "tlsv1_2+", options = { no_tlsv1_2 = true, no_tlsv1_3 = true }'), at: '"tlsv1_2+"', says: 'every TLS handshake on client and server-to-server connections and on the direct-TLS and HTTPS ports fails ("no protocols available")', fixed: G('protocol = "tlsv1_2+"') },
  { rule: 'no-protocol-left', text: G('protocol = "tlsv1_2+", options = { no_tlsv1_2 = true, no_tlsv1_3 = true }') + 'https_ssl = { options = { no_tlsv1_3 = false } }\n', at: '"tlsv1_2+"', says: 'every TLS handshake on client and server-to-server connections fails ("no protocols available")' },
  // Before 13.0 the server may lack TLS 1.3, and then LuaSec refuses the flag instead.
  { rule: 'no-protocol-left', text: G('protocol = "tlsv1_2+", options = { "no_tlsv1_2", "no_tlsv1_3" }'), at: '"tlsv1_2+"', says: 'LuaSec refuses `no_tlsv1_3` ("invalid option") instead, and no TLS context is created at all' },
  // A pinned version (13.0: LuaSec pins it as both ends of the range, which its flag empties); `no_dtlsv1_2` shares the bit.
  { rule: 'no-protocol-left', text: G('protocol = "tlsv1_2", options = { no_tlsv1_2 = true }'), line: '13.0', at: '"tlsv1_2"', says: '`no_tlsv1_2` switches off TLS 1.2, the one version `protocol = "tlsv1_2"` allows', fixed: G('protocol = "tlsv1_2"') },
  { rule: 'no-protocol-left', text: G('protocol = "tlsv1_2", options = { "no_dtlsv1_2" }'), line: '13.0', at: '"tlsv1_2"', says: '`no_dtlsv1_2` (the bit of `no_tlsv1_2`) switches off TLS 1.2' },
  { rule: 'no-protocol-left', text: G('protocol = "tlsv1", options = { "no_tlsv1" }'), line: '13.0', at: '"tlsv1"', says: 'Write `protocol = "tlsv1_2+"` instead', fixed: G('protocol = "tlsv1_2+", options = { "no_tlsv1" }') },
  { rule: 'no-protocol-left', text: G('protocol = "tlsv1_3", options = "no_tlsv1_3"'), line: '0.9', at: '"tlsv1_3"', says: 'LuaSec refuses `"tlsv1_3"` ("invalid protocol") instead', fixed: G('protocol = "tlsv1_3"') },
  // …but before 13.0 LuaSec on OpenSSL 1.0.x (and before LuaSec 0.8) pins with a fixed-version method that ignores
  // the flag (TLSv1_2_method with SSL_OP_NO_TLSv1_2 still negotiates TLS 1.2): said on 0.10–0.12 with that condition
  // (the table is wrong either way; 0.12.3 on Debian 12 fails every handshake), not on 0.9.
  { rule: 'no-protocol-left', text: G('protocol = "tlsv1_2", options = { "no_tlsv1_2" }'), at: '"tlsv1_2"', says: 'With LuaSec 0.8 or later on OpenSSL 1.1.0 or later (what current systems run), `no_tlsv1_2` switches off TLS 1.2', fixed: G('protocol = "tlsv1_2"') },
  { rule: 'no-protocol-left', text: G('protocol = "tlsv1", options = { "no_tlsv1" }'), line: '0.10', at: '"tlsv1"', says: 'a method that ignores the flag, which then does nothing.) Write `protocol = "tlsv1_2+"` instead', fixed: G('protocol = "tlsv1_2+", options = { "no_tlsv1" }') },
  { rule: 'no-protocol-left', text: G('protocol = "tlsv1_2", options = { "no_tlsv1_2" }'), line: '0.9', quiet: true },
  // TLS 1.3 may still be left.
  { rule: 'no-protocol-left', text: G('protocol = "tlsv1_2+", options = { "no_tlsv1_2" }'), line: '13.0', quiet: true },
  { rule: 'no-protocol-left', text: G('options = { "no_tlsv1_2" }'), line: '13.0', quiet: true },
  // Every version of `sslv23`/`any`: 0.9 replaces the default options with the table's list. OpenSSL 1.0.x may
  // still have SSL 2.0, so before 13.0 `no_sslv2` must be among them.
  { rule: 'no-protocol-left', text: G('protocol = "sslv23", options = { "no_sslv2", "no_sslv3", "no_tlsv1", "no_tlsv1_1", "no_tlsv1_2", "no_tlsv1_3" }'), line: '0.9', at: '"sslv23"', says: 'remove `no_tlsv1_2` and `no_tlsv1_3`', fixed: G('protocol = "sslv23", options = { "no_sslv2", "no_sslv3", "no_tlsv1", "no_tlsv1_1" }') },
  { rule: 'no-protocol-left', text: G('protocol = "any", options = { "no_sslv3", "no_tlsv1", "no_tlsv1_1", "no_tlsv1_2", "no_tlsv1_3" }'), line: '13.0', at: '"any"', says: 'allows (SSL 3.0, TLS 1.0, TLS 1.1, TLS 1.2 and TLS 1.3)' },
  { rule: 'no-protocol-left', text: G('protocol = "any", options = { "no_sslv3", "no_tlsv1", "no_tlsv1_1", "no_tlsv1_2", "no_tlsv1_3" }'), quiet: true },
  // A flag that also switches an old version off is replaced by that version's own flag, not removed: no fix.
  { rule: 'no-protocol-left', text: G('protocol = "any", options = { "no_sslv3", "no_dtls_mask", "no_tlsv1_1", "no_tlsv1_3" }'), line: '13.0', at: '"any"', says: 'remove `no_tlsv1_3` and write `no_tlsv1` instead of `no_dtls_mask`', noFix: true },
  // Layered: the protocol in one table, the flags in another; said on the most specific of them.
  { rule: 'no-protocol-left', text: 'ssl = { protocol = "tlsv1_2" }\nVirtualHost "a.example"\n  ssl = { options = { "no_tlsv1_2" } }\n', line: '13.0', at: 'no_tlsv1_2', says: '`protocol = "tlsv1_2"` (in the global `ssl`) allows', fixed: 'ssl = { protocol = "tlsv1_2" }\nVirtualHost "a.example"\n  ssl = {}\n' },
  { rule: 'no-protocol-left', text: 'ssl = { options = { "no_tlsv1_3" } }\nVirtualHost "a.example"\n  ssl = { protocol = "tlsv1_3" }\n', at: '"tlsv1_3"', says: 'In `options`, remove `no_tlsv1_3` (in the global `ssl`)', noFix: true },
  { rule: 'no-protocol-left', text: 'ssl = { protocol = "tlsv1_2+" }\nc2s_ssl = { options = { "no_tlsv1_2" } }\nVirtualHost "a.example"\n  c2s_ssl = { options = { no_tlsv1_3 = true } }\n', at: 'no_tlsv1_3', says: 'every TLS handshake on client connections fails' },
  { rule: 'no-protocol-left', text: 'c2s_ssl = { options = { "no_tlsv1_2", "no_tlsv1_3" } }\n', line: '13.0', at: 'no_tlsv1_2', says: '`protocol = "tlsv1_2+"` (from the default `tls_profile = "intermediate"`) allows (TLS 1.2 and TLS 1.3): with none left, every TLS handshake on client connections fails' },
  { rule: 'no-protocol-left', text: 'tls_profile = "modern"\nssl = { options = { "no_tlsv1_3" } }\n', line: '13.0', at: 'no_tlsv1_3', says: '`protocol = "tlsv1_3"` (from `tls_profile = "modern"`)' },
  // A subdomain takes its parent domain's table.
  { rule: 'no-protocol-left', text: 'VirtualHost "example.com"\n  ssl = { protocol = "tlsv1_3" }\nVirtualHost "chat.example.com"\n  c2s_ssl = { options = { "no_tlsv1_3" } }\n', at: 'no_tlsv1_3', says: '(in VirtualHost "example.com"\'s `ssl`)' },
  // A table both kinds of connection read is judged for each.
  { rule: 'no-protocol-left', text: 'ssl = { protocol = "tlsv1_3", options = { "no_tlsv1_3" } }\nc2s_ssl = { protocol = "tlsv1_2+" }\n', at: '"tlsv1_3"', says: 'on server-to-server connections and on the direct-TLS and HTTPS ports fails' },
  { rule: 'no-protocol-left', text: 'Component "c.example"\n  ssl = { protocol = "tlsv1_3", options = { "no_tlsv1_3" } }\n', at: '"tlsv1_3"', says: 'on server-to-server connections fails' },
  // A computed part above the flags may switch them off again: that connection kind is not judged.
  { rule: 'no-protocol-left', text: 'ssl = { protocol = "tlsv1_3" }\nVirtualHost "a.example"\n  ssl = { options = { "no_tlsv1_3" } }\n  c2s_ssl = { options = mine }\n', at: 'no_tlsv1_3', says: 'on server-to-server connections fails' },
  { rule: 'no-protocol-left', text: G('protocol = "tlsv1_2+", options = { "no_tlsv1_2", no_tlsv1_3 = dev }'), quiet: true },
  { rule: 'no-protocol-left', text: 'local o = { "no_tlsv1_2", "no_tlsv1_3" }\nssl = { options = o }\n', quiet: true },
  { rule: 'no-protocol-left', text: 'ssl = get_ssl()\nc2s_ssl = { protocol = "tlsv1_3", options = { "no_tlsv1_3" } }\n', quiet: true },
  { rule: 'no-protocol-left', text: 'tls_profile = get_profile()\nssl = { options = { "no_tlsv1_3" } }\n', quiet: true },
  // A misspelt profile leaves no TLS context at all (0.12.5+): unknown-tls-profile's.
  { rule: 'no-protocol-left', text: 'tls_profile = "modren"\nssl = { protocol = "tlsv1_3", options = { "no_tlsv1_3" } }\n', line: '13.0', quiet: true },
  // Switched off again (`= false`), by the table itself or by every layer above it.
  { rule: 'no-protocol-left', text: G('protocol = "tlsv1_3", options = { no_tlsv1_3 = false }'), quiet: true },
  { rule: 'no-protocol-left', text: 'ssl = { protocol = "tlsv1_3", options = { "no_tlsv1_3" } }\nc2s_ssl = { options = { no_tlsv1_3 = false } }\ns2s_ssl = { options = { no_tlsv1_3 = false } }\n', quiet: true },
  // A host that overrides the protocol keeps a version.
  { rule: 'no-protocol-left', text: 'c2s_ssl = { protocol = "tlsv1_3" }\nVirtualHost "a.example"\n  ssl = { options = { "no_tlsv1_3" } }\n  c2s_ssl = { protocol = "tlsv1_2+" }\n', quiet: true },
  // `no_ssl_mask` is unsafe-option's ("every SSL/TLS version").
  { rule: 'no-protocol-left', text: G('protocol = "tlsv1_3", options = { "no_ssl_mask" }'), quiet: true },
  // A port's table: the global layers, then the service's table, then its `[port]` table (no fix: a layer beneath
  // may hold the flag too).
  { rule: 'no-protocol-left', text: 'c2s_direct_tls_ssl = { options = { "no_tlsv1_2" }, [5223] = { options = { "no_tlsv1_3" } } }\n', at: 'no_tlsv1_3', says: 'every TLS handshake on the ports this table serves fails', noFix: true },
  { rule: 'no-protocol-left', text: 'client_https_ssl = { options = { "no_tlsv1_2", "no_tlsv1_3" } }\n', at: 'no_tlsv1_2', says: 'every TLS handshake of outgoing HTTPS connections fails' },
  // A global `[port]` table sits between on its port only; a host's SNI context takes the port's options.
  { rule: 'no-protocol-left', text: 'ssl = { options = { "no_tlsv1_3" }, [5223] = { options = { no_tlsv1_3 = false } } }\nc2s_direct_tls_ssl = { options = { "no_tlsv1_2" } }\n', quiet: true },
  { rule: 'no-protocol-left', text: 'c2s_direct_tls_ports = { 5223 }\nVirtualHost "a.example"\n  c2s_direct_tls_ssl = { options = { "no_tlsv1_2", "no_tlsv1_3" } }\n', quiet: true },

  // ---- unknown-flag
  // `[n] = "x"` continuing the list is a list entry to Lua (ipairs and table.concat read it): judged, and fixed whole.
  { rule: 'unknown-flag', text: G('options = { "no_sslv3", [2] = "NO_TICKET" }'), line: '0.12', at: 'NO_TICKET', says: '`no_ticket`', fixed: G('options = { "no_sslv3", [2] = "no_ticket" }') },
  { rule: 'ssl-value-type', text: G('curveslist = { [1] = "X25519", [2] = "P-256" }, ciphers = { "HIGH", [2] = "!aNULL" }'), line: '0.12', quiet: true },
  { rule: 'ssl-value-dropped', text: G('verify = { [1] = "peer", [2] = "client_once" }'), line: '0.12', quiet: true },
  { rule: 'ssl-value-type', text: G('ciphers = { "HIGH", [2] = "RC4", [2] = "!aNULL" }, curveslist = { "X25519", [1] = "P-256" }'), line: '0.12', quiet: true },
  { rule: 'unknown-flag', text: G('options = { "NO_TICKET" }'), at: 'NO_TICKET', says: '`no_ticket`', fixed: G('options = { "no_ticket" }') },
  // A version written otherwise is that version, and another case is that flag, even one that does nothing today: a
  // reviewer's `no_tlsv1_0` was turned into `no_tlsv1_1` and `NO_SSLv2` into `no_sslv3` (real 0.12.3 and 13.0.1 then
  // negotiated TLS 1.0, the version the admin meant to switch off).
  { rule: 'unknown-flag', text: G('options = { "no_sslv3", "no_tlsv1_0" }'), at: 'no_tlsv1_0', says: '`no_tlsv1`?', fixed: G('options = { "no_sslv3", "no_tlsv1" }') },
  { rule: 'unknown-flag', text: G('options = { "no_tlsv1.1" }'), at: 'no_tlsv1.1', says: '`no_tlsv1_1`?', fixed: G('options = { "no_tlsv1_1" }') },
  { rule: 'unknown-flag', text: G('options = { "no_tlsv12" }'), at: 'no_tlsv12', says: '`no_tlsv1_2`?', fixed: G('options = { "no_tlsv1_2" }') },
  { rule: 'unknown-flag', text: G('options = { "NO_SSLv2", "no_sslv3" }'), at: 'NO_SSLv2', says: '`no_sslv2`?', fixed: G('options = { "no_sslv2", "no_sslv3" }') },
  { rule: 'unknown-flag', text: G('options = { "no_compresion", "no_ticket" }'), at: 'no_compresion', says: '`no_compression`' },
  // A verifyext flag in verify: Prosody sets it by default until 0.12; 13.0 only for server connections (facts §1.1).
  { rule: 'unknown-flag', text: 'c2s_ssl = { verify = { "peer", "lsec_continue" } }\n', line: '0.12', at: 'lsec_continue', says: '`lsec_continue` is a verifyext flag Prosody already sets there by default, so remove it from verify' },
  { rule: 'unknown-flag', text: 'c2s_ssl = { verify = { "peer", "lsec_continue" } }\n', line: '13.0', at: 'lsec_continue', says: 'move it to `verifyext = { "lsec_continue" }` (Prosody 13.0 sets it by default only for server-to-server connections)' },
  { rule: 'unknown-flag', text: 'c2s_ssl = { verify = { "peer", "continue" } }\n', line: '13.0', at: 'continue', says: 'move it to `verifyext = { "lsec_continue" }`' },
  // `continue` itself is no verifyext flag (a reviewer): its counterpart is named, and up to 0.11 the old fork is.
  { rule: 'unknown-flag', text: G('verify = { "peer", "client_once", "continue" }'), line: '0.10', at: 'continue', says: 'Its verifyext counterpart `lsec_continue` is one Prosody already sets there by default, so remove it from verify. (Only the pre-0.5 LuaSec fork Prosody 0.10 still supports takes `continue` in verify.)' },
  { rule: 'unknown-flag', text: G('verifyext = { "continue" }'), at: 'continue', says: 'LuaSec\'s verifyext name for it is `lsec_continue` (`continue` belonged to an old LuaSec fork)', fixed: G('verifyext = { "lsec_continue" }') },
  // A suggestion is never a flag that weakens TLS (a reviewer: no_sslv3_mask → no_ssl_mask switches every version off).
  { rule: 'unknown-flag', text: G('options = { "no_sslv3_mask" }'), line: '0.12', at: 'no_sslv3_mask', says: 'Remove it', fixed: G('options = {}') },
  { rule: 'unknown-flag', text: G('options = { "no_tls_mask" }'), line: '0.12', at: 'no_tls_mask', says: 'Remove it' },
  // A profile suggestion that keeps old versions on says so, and names the safe one.
  { rule: 'unknown-tls-profile', text: 'tls_profile = "legacyy"\n', line: '0.12', at: '"legacyy"', says: 'or rather `"intermediate"`: `"legacy"` keeps TLS versions with known weaknesses on' },
  { rule: 'unknown-tls-profile', text: 'tls_profile = "olld"\n', line: '13.0', at: '"olld"', says: 'or rather `"intermediate"`' },
  { rule: 'unknown-flag', text: G('options = { no_foo = true }'), at: 'no_foo', says: 'Remove it', fixed: G('options = {}') },
  { rule: 'unknown-flag', text: G('options = { ["NO_TICKET"] = true }'), at: 'NO_TICKET', says: '`no_ticket`', fixed: G('options = { ["no_ticket"] = true }') },
  { rule: 'unknown-flag', text: G('options = { [ [==[NO_TICKET]==] ] = true }'), at: 'NO_TICKET', says: '`no_ticket`', fixed: G('options = { [ [==[no_ticket]==] ] = true }') },
  { rule: 'unknown-flag', text: G('options = "no_ticket,no_compression"'), at: 'no_ticket,no_compression', says: '{ "no_ticket", "no_compression" }', fixed: G('options = { "no_ticket", "no_compression" }') },
  { rule: 'unknown-flag', text: G('verifyext = { "continue" }'), at: 'continue', says: '`lsec_continue`', fixed: G('verifyext = { "lsec_continue" }') },
  { rule: 'unknown-flag', text: G('verifyext = "ignore_purpose"'), at: 'ignore_purpose', says: '`lsec_ignore_purpose`' },
  { rule: 'unknown-flag', text: G('verify = { "peer", "continue" }'), at: 'continue', says: 'remove it from verify', fixed: G('verify = { "peer" }') },
  { rule: 'unknown-flag', text: G('verify = "Peer"'), at: 'Peer', says: '`peer`' },
  { rule: 'unknown-flag', text: G('dane = { "bogus" }'), at: 'bogus', says: 'throws' },
  { rule: 'unknown-flag', text: G('options = { 42 }'), at: '42', says: 'Remove it' },
  // Renamed onto a key the map already has, one of the two would replace the other (Lua keeps the last): no fix.
  { rule: 'unknown-flag', text: G('options = { no_tiket = true, no_ticket = false }'), at: 'no_tiket', says: 'This table sets it already', fixed: G('options = { no_ticket = false }'), fixTitle: 'Remove no_tiket' },
  // …and a list that holds it already: the fix removes the entry instead of writing the flag twice (a reviewer).
  { rule: 'unknown-flag', text: G('options = { "NO_TICKET", "no_compression", "no_ticket" }'), at: 'NO_TICKET', says: 'This list has it already: remove this entry', fixed: G('options = { "no_compression", "no_ticket" }'), fixTitle: 'Remove NO_TICKET' },
  { rule: 'unknown-flag', text: G('options = { no_foo = false }'), quiet: true },
  { rule: 'unknown-flag', text: G('options = { "no_ticket", cipher_server_preference = false }'), quiet: true },
  { rule: 'unknown-flag', text: G('dane = "whatever"'), quiet: true },
  { rule: 'unknown-flag', text: G('verifyext = { "lsec_continue", "crl_check" }'), quiet: true },

  // ---- unknown-tls-profile
  { rule: 'unknown-tls-profile', text: 'tls_profile = "intermdiate"\n', at: '"intermdiate"', says: '"intermediate"', fixed: 'tls_profile = "intermediate"\n' },
  { rule: 'unknown-tls-profile', text: 'tls_profile = "Modern"\n', line: '13.0', at: '"Modern"', says: '"modern"', fixed: 'tls_profile = "modern"\n' },
  { rule: 'unknown-tls-profile', text: 'tls_profile = "strict"\n', at: '"strict"', says: '0.12.0–0.12.4 silently used `legacy`' },
  { rule: 'unknown-tls-profile', text: 'tls_profile = "strict"\n', line: '0.11', quiet: true },
  { rule: 'unknown-tls-profile', text: 'tls_profile = ENV_TLS_PROFILE or "modern"\n', quiet: true },
  { rule: 'unknown-tls-profile', text: 'tls_profile = "old"\n', quiet: true },

  // ---- end-point-hash-invalid (13.0)
  { rule: 'end-point-hash-invalid', text: 'tls_server_end_point_hash = "sha256"\n', line: '13.0', at: '"sha256"', says: 'is not a hash name here', fixed: 'tls_server_end_point_hash = "auto"\n' },
  { rule: 'end-point-hash-invalid', text: 'VirtualHost "a"\ntls_server_end_point_hash = "abc"\n', line: '13.0', at: '"abc"', says: 'is not a certificate hash' },
  { rule: 'end-point-hash-invalid', text: 'tls_server_end_point_hash = "auto"\n', line: '13.0', quiet: true },
  { rule: 'end-point-hash-invalid', text: `tls_server_end_point_hash = "${'ab'.repeat(32)}"\n`, line: '13.0', quiet: true },
  { rule: 'end-point-hash-invalid', text: `tls_server_end_point_hash = "${Array(32).fill('AB').join(':')}"\n`, line: '13.0', quiet: true },
  { rule: 'end-point-hash-invalid', text: 'tls_server_end_point_hash = "sha256"\n', line: '0.12', quiet: true },

  // ---- unknown-curve
  { rule: 'unknown-curve', text: G('curveslist = "P-256,P-384"'), at: 'P-256,P-384', says: 'Only `:` separates', fixed: G('curveslist = "P-256:P-384"') },
  // (Review 140: with a name in another case as well, no fix was offered; real 0.12.3 took "X25519:P-256:P-384".)
  { rule: 'unknown-curve', text: G('curveslist = "X25519,P-256,p-384"'), line: '0.12', at: 'X25519,P-256,p-384', says: 'written in OpenSSL\'s case (`P-384`)', fixed: G('curveslist = "X25519:P-256:P-384"') },
  { rule: 'unknown-curve', text: G('curveslist = { "X25519", "bogus" }'), at: 'bogus', says: 'Remove it' },
  { rule: 'unknown-curve', text: 's2s_ssl = { curve = "X25519"; curveslist = false }\n', at: '"X25519"', says: 'name it in this table\'s `curveslist` and remove `curve`', noFix: true },
  // `P-384` is LuaSec's own later alias: 0.9's LuaSec (0.6 and older) refuses it; 0.10/0.11 note it for LuaSec 0.6.
  { rule: 'unknown-curve', text: G('curve = "P-384"'), line: '0.9', at: '"P-384"', says: 'Write `"secp384r1"`', fixed: G('curve = "secp384r1"') },
  { rule: 'unknown-curve', text: G('curve = "secp384r1"'), line: '0.9', quiet: true },
  { rule: 'unknown-curve', text: G('curve = "brainpoolP256r1"'), line: '0.9', at: '"brainpoolP256r1"', says: 'does not hold it. Use e.g. `"secp384r1"`', noFix: true },
  { rule: 'curve-ignored', text: G('curve = "brainpoolP256r1"'), line: '0.11', at: 'curve', says: 'refuses this name ("elliptic curve not supported"): write `"secp384r1"`' },
  { rule: 'curve-ignored', text: G('curve = "P-384"'), line: '0.10', at: 'curve', says: 'refuses this name ("elliptic curve not supported"): write `"secp384r1"`' },
  // (`p-256`, another case of a known name: curve-needs-newer-openssl, since OpenSSL 3.5 takes it.)
  { rule: 'unknown-curve', text: G('curveslist = "p-265"'), at: 'p-265', says: '`P-256`' },
  // No typo is "corrected" into a group OpenSSL 3 never uses (a reviewer: `P-999` → `P-192`).
  { rule: 'unknown-curve', text: G('curveslist = "X25519:P-999"'), at: 'P-999', says: 'Remove it; OpenSSL 3.0 does not know it.', noFix: true },
  // OpenSSL's NIST names are group names too (checked with LuaSec 1.2.0 / OpenSSL 3.0); `curve` still refuses them.
  { rule: 'unknown-curve', text: G('curveslist = "P-224:P-192:secp192r1:K-283:B-571"'), quiet: true },
  { rule: 'unknown-curve', text: G('curve = "P-224"'), line: '0.9', at: '"P-224"', says: 'a group only `curveslist` takes' },
  // Escapes make decoded offsets differ from the source: a fix would replace the whole list, so none is offered.
  { rule: 'unknown-curve', text: G('curveslist = "X25519:P-256:P-38\\n"'), at: 'X25519:P-256:P-38\\n', says: '`P-384`', noFix: true },
  { rule: 'unknown-curve', text: G('curveslist = "X25519\\58P-256,P-384"'), at: 'X25519\\58P-256,P-384', says: 'Only `:` separates', noFix: true },
  { rule: 'unknown-curve', text: G('curveslist = {}'), at: '{}', says: 'Remove it to keep' },
  // 0.9's LuaSec knows the curve by its old name only: the later spelling would be refused in turn (a reviewer).
  { rule: 'unknown-curve', text: G('curve = "p-256"'), line: '0.9', at: '"p-256"', says: '`prime256v1`', fixed: G('curve = "prime256v1"') },
  { rule: 'unknown-curve', text: G('curve = "brainpoolP256r"'), line: '0.9', at: '"brainpoolP256r"', says: '`"secp384r1"`', noFix: true },
  { rule: 'unknown-curve', text: G('curveslist = false, curve = "p-384"'), line: '0.12', at: '"p-384"', says: '`P-384`', fixed: G('curveslist = false, curve = "P-384"') },
  { rule: 'unknown-curve', text: G('curve = "X25519"'), line: '0.12', quiet: true },
  // 0.9 does not pass curveslist on, so the curve is the one LuaSec gets, and no curveslist advice.
  { rule: 'unknown-curve', text: G('curve = "X25519"; curveslist = "X25519"'), line: '0.9', at: '"X25519"', says: 'which Prosody 0.9 does not pass on: use a named curve such as `"secp384r1"`' },
  { rule: 'unknown-curve', text: G('curve = "X25519"'), line: '0.9', at: '"X25519"', says: 'use a named curve', noFix: true },
  { rule: 'unknown-curve', text: G('curve = "bogus"'), line: '0.9', at: '"bogus"', says: 'Use e.g. `"secp384r1"`.' },
  { rule: 'unknown-curve', text: G('curveslist = "X25519:P-384: P-256"'), quiet: true },
  { rule: 'unknown-curve', text: G('curveslist = { "x25519", "secp256r1", "ffdhe2048" }'), quiet: true },

  // ---- wrong-suite-kind / suite-skipped
  { rule: 'wrong-suite-kind', text: G('ciphers = "TLS_AES_128_GCM_SHA256"'), at: '"TLS_AES_128_GCM_SHA256"', says: '`ciphersuites`', fixed: G('ciphersuites = "TLS_AES_128_GCM_SHA256"') },
  // Prosody 0.9 passes no `ciphersuites` to LuaSec: renamed, the key would do nothing.
  { rule: 'wrong-suite-kind', text: G('protocol = "tlsv1_2"; ciphers = "TLS_AES_128_GCM_SHA256"'), line: '0.9', at: '"TLS_AES_128_GCM_SHA256"', says: 'remove `ciphers` to keep Prosody\'s default', fixed: 'ssl = { protocol = "tlsv1_2" }\n' },
  // A duplicate key: the earlier entry would come into force under the old name, so it goes.
  { rule: 'wrong-suite-kind', text: G('ciphers = "HIGH"--[[x]], ciphers = "TLS_AES_128_GCM_SHA256"'), at: '"TLS_AES_128_GCM_SHA256"', says: '`ciphersuites`', fixed: G('ciphersuites = "TLS_AES_128_GCM_SHA256"') },
  { rule: 'wrong-suite-kind', text: 'ssl = { ciphersuites = "X"\n, ciphersuites = "ECDHE-RSA-AES128-GCM-SHA256" }\n', at: '"ECDHE-RSA-AES128-GCM-SHA256"', says: '`ciphers`', fixed: 'ssl = { ciphers = "ECDHE-RSA-AES128-GCM-SHA256" }\n' },
  { rule: 'wrong-suite-kind', text: G('ciphers = "HIGH", ciphers = "TLS_AES_128_GCM_SHA256"'), at: '"TLS_AES_128_GCM_SHA256"', says: '`ciphersuites`', fixed: G('ciphersuites = "TLS_AES_128_GCM_SHA256"') },
  { rule: 'wrong-suite-kind', text: G('ciphersuites = "HIGH", ciphersuites = "ECDHE-RSA-AES128-GCM-SHA256"'), at: '"ECDHE-RSA-AES128-GCM-SHA256"', says: '`ciphers`', fixed: G('ciphers = "ECDHE-RSA-AES128-GCM-SHA256"') },
  // Other separators, or a list (which Prosody joins only from 0.12): the value is rewritten with `:`.
  { rule: 'wrong-suite-kind', text: G('ciphers = "TLS_AES_128_GCM_SHA256, TLS_AES_256_GCM_SHA384"'), at: '"TLS_AES_128_GCM_SHA256, TLS_AES_256_GCM_SHA384"', says: '`ciphersuites`', fixed: G('ciphersuites = "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384"') },
  { rule: 'wrong-suite-kind', text: G('ciphers = { "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384" }'), line: '0.11', at: '{ "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384" }', says: '`ciphersuites`', fixed: G('ciphersuites = "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384"') },
  { rule: 'wrong-suite-kind', text: G('ciphersuites = "ECDHE-RSA-AES128-GCM-SHA256"'), at: '"ECDHE-RSA-AES128-GCM-SHA256"', says: '`ciphers`', fixed: G('ciphers = "ECDHE-RSA-AES128-GCM-SHA256"') },
  { rule: 'wrong-suite-kind', text: G('ciphersuites = "tls_aes_128_gcm_sha256"'), at: '"tls_aes_128_gcm_sha256"', says: 'case-sensitive', fixed: G('ciphersuites = "TLS_AES_128_GCM_SHA256"') },
  { rule: 'wrong-suite-kind', text: G('ciphersuites = "TLS_AES_128_GCM_SHA256,TLS_AES_256_GCM_SHA384"'), at: '"TLS_AES_128_GCM_SHA256,TLS_AES_256_GCM_SHA384"', says: 'Only `:`', fixed: G('ciphersuites = "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384"') },
  { rule: 'wrong-suite-kind', text: G('ciphersuites = "HIGH"'), at: '"HIGH"', says: 'TLS_AES_128_GCM_SHA256' },
  { rule: 'wrong-suite-kind', text: G('ciphers = "TLS_AES_128_GCM_SHA256:HIGH"'), quiet: true },
  { rule: 'wrong-suite-kind', text: G('ciphersuites = ""'), quiet: true },
  { rule: 'wrong-suite-kind', text: G('ciphers = "HIGH:!aNULL"; ciphersuites = "TLS_AES_256_GCM_SHA384"'), quiet: true },
  { rule: 'suite-skipped', text: G('ciphers = "TLS_AES_128_GCM_SHA256:HIGH"'), at: 'TLS_AES_128_GCM_SHA256', says: 'Put it in `ciphersuites`' },
  // 0.9 passes no ciphersuites (a reviewer: the advice drew unknown-ssl-key).
  { rule: 'suite-skipped', text: G('ciphers = "TLS_AES_128_GCM_SHA256:HIGH"'), line: '0.9', at: 'TLS_AES_128_GCM_SHA256', says: 'Remove it here: Prosody 0.9 does not pass `ciphersuites` to LuaSec' },
  { rule: 'suite-skipped', text: G('ciphersuites = "TLS_AES_128_GCM_SHA256:bogus"'), at: 'bogus', says: 'Remove it' },
  // OpenSSL 1.1.1 refuses the whole list for one such name (Debian 11's 1.1.1w; a reviewer's 0.11.9: "no cipher match").
  { rule: 'suite-skipped', text: G('ciphersuites = "TLS_AES_128_GCM_SHA256:bogus"'), line: '0.11', at: 'bogus', says: 'OpenSSL 3 skips it, but OpenSSL 1.1.1, the oldest Prosody 0.11 commonly ran on, refuses the whole list ("no cipher match")' },
  { rule: 'suite-skipped', text: G('ciphersuites = "TLS_AES_128_GCM_SHA256:bogus"'), line: '0.12', at: 'bogus', says: 'OpenSSL skips it. Remove it' },
  { rule: 'suite-without-encryption', text: G('ciphersuites = "TLS_AES_128_GCM_SHA256:TLS_SHA384_SHA384"'), line: '0.11', at: 'TLS_SHA384_SHA384', says: 'older releases refuse it, and with it the whole list' },
  // Suites joined by another separator than `:` (a reviewer: the names were right, the message said none was one).
  { rule: 'wrong-suite-kind', text: G('ciphersuites = "TLS_AES_128_GCM_SHA256 TLS_AES_256_GCM_SHA384"'), at: '"TLS_AES_128_GCM_SHA256 TLS_AES_256_GCM_SHA384"', says: 'The names here are TLS 1.3 suites, but OpenSSL reads what another separator than `:` joins as one unknown name', fixed: G('ciphersuites = "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384"') },
  // (The fix does not make a suite without encryption work: it leaves it out.)
  { rule: 'wrong-suite-kind', text: G('ciphersuites = "TLS_AES_128_GCM_SHA256,TLS_SHA256_SHA256"'), line: '13.0', at: '"TLS_AES_128_GCM_SHA256,TLS_SHA256_SHA256"', says: 'Only `:` separates', fixed: G('ciphersuites = "TLS_AES_128_GCM_SHA256"') },
  { rule: 'wrong-suite-kind', text: G('ciphersuites = "TLS_AES_128_GCM_SHA256;TLS_AES_256_GCM_SHA384"'), at: '"TLS_AES_128_GCM_SHA256;TLS_AES_256_GCM_SHA384"', says: 'Only `:` separates', fixed: G('ciphersuites = "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384"') },
  { rule: 'suite-skipped', text: G('ciphersuites = "TLS_AES_256_GCM_SHA384:TLS_AES_128_GCM_SHA256 TLS_CHACHA20_POLY1305_SHA256"'), at: 'TLS_AES_128_GCM_SHA256 TLS_CHACHA20_POLY1305_SHA256', says: 'is 2 TLS 1.3 suites joined by another separator than `:`', fixed: G('ciphersuites = "TLS_AES_256_GCM_SHA384:TLS_AES_128_GCM_SHA256:TLS_CHACHA20_POLY1305_SHA256"') },
  // ---- suite-without-encryption: RFC 9150's integrity-only suites (a reviewer's 13.0.1 on OpenSSL 3.5 negotiated
  // TLS_SHA256_SHA256 at @SECLEVEL=0; OpenSSL 3.0 does not know it).
  { rule: 'suite-without-encryption', text: G('ciphersuites = "TLS_AES_128_GCM_SHA256:TLS_SHA256_SHA256"'), line: '13.0', at: 'TLS_SHA256_SHA256', says: 'anyone on the path reads the stream', fixed: G('ciphersuites = "TLS_AES_128_GCM_SHA256"') },
  { rule: 'suite-without-encryption', text: G('ciphersuites = "TLS_SHA384_SHA384"'), line: '0.12', at: 'TLS_SHA384_SHA384', says: 'refuse the context ("no cipher match")', fixed: 'ssl = {}\n' },
  { rule: 'suite-skipped', text: G('ciphersuites = "TLS_AES_128_GCM_SHA256:TLS_SHA256_SHA256"'), line: '13.0', quiet: true },
  { rule: 'suite-without-encryption', text: G('ciphersuites = "TLS_AES_128_GCM_SHA256:TLS_AES_128_CCM_8_SHA256"'), line: '13.0', quiet: true },
  // A TLS 1.2 suite's standard name is taken, not skipped (OpenSSL 3; a reviewer's 0.12.3 run negotiated AES128-SHA).
  { rule: 'suite-skipped', text: G('ciphersuites = "TLS_AES_128_GCM_SHA256:TLS_RSA_WITH_AES_128_CBC_SHA"'), at: 'TLS_RSA_WITH_AES_128_CBC_SHA', says: '(`AES128-SHA` in `ciphers`): OpenSSL takes it here anyway and offers it to TLS 1.2 clients ahead of the `ciphers` list' },
  // OpenSSL 1.1.1w takes such a name too (review 152): the message says the same on 0.11, with no "no cipher match".
  { rule: 'suite-skipped', text: G('ciphersuites = "TLS_AES_128_GCM_SHA256:TLS_RSA_WITH_AES_128_CBC_SHA"'), line: '0.11', at: 'TLS_RSA_WITH_AES_128_CBC_SHA', says: 'even where `ciphers` leaves it out. Remove it from `ciphersuites`.' },
  { rule: 'wrong-suite-kind', text: G('ciphersuites = "TLS_RSA_WITH_AES_128_CBC_SHA"'), quiet: true },
  { rule: 'wrong-suite-kind', text: G('ciphersuites = "AES128-SHA"'), at: '"AES128-SHA"', says: 'LuaSec refuses the context' },
  // TLS 1.3 with no suite: every handshake fails, TLS 1.2 ones too (a reviewer's 0.12.3 runs), though Prosody starts.
  { rule: 'no-tls13-suite', text: G('ciphersuites = ""'), at: '""', says: 'is empty, so TLS 1.3 has no suite while the protocol in force allows it', fixed: 'ssl = {}\n' },
  { rule: 'no-tls13-suite', text: 'c2s_ssl = { ciphersuites = {} }\n', line: '13.0', at: '{}', says: 'TLS 1.2 ones too ("no ciphers available")' },
  { rule: 'no-tls13-suite', text: G('ciphersuites = "TLS_RSA_WITH_AES_128_CBC_SHA"'), line: '13.0', at: '"TLS_RSA_WITH_AES_128_CBC_SHA"', says: 'names TLS 1.2 suites only' },
  { rule: 'no-tls13-suite', text: G('ciphersuites = "", protocol = "tlsv1_2"'), quiet: true },
  // The pin is then what keeps TLS working: its hint (and "Change to tlsv1_2+") would break every handshake (a real 0.12.3).
  { rule: 'protocol-pins-tls12', text: G('ciphersuites = "", protocol = "tlsv1_2"'), quiet: true },
  { rule: 'protocol-pins-tls12', text: 'ssl = { ciphersuites = "" }\nc2s_ssl = { protocol = "tlsv1_2" }\n', line: '13.0', quiet: true },
  // A host that takes a global pin but leaves TLS 1.3 no suite in its own table (review 140: "tlsv1_2+" there failed every
  // handshake of that host on real 0.11.9, 0.12.3 and 13.0.1).
  { rule: 'protocol-pins-tls12', text: 'ssl = { protocol = "tlsv1_2" }\nVirtualHost "a.example"\n  ssl = { ciphersuites = "" }\n', line: '0.12', quiet: true },
  { rule: 'protocol-pins-tls12', text: 'c2s_ssl = { protocol = "tlsv1_2" }\nVirtualHost "a.example"\n  ssl = { ciphersuites = "" }\n', line: '13.0', quiet: true },
  { rule: 'protocol-pins-tls12', text: 'ssl = { protocol = "tlsv1_2" }\nVirtualHost "a.example"\n  ssl = { ciphersuites = "TLS_AES_128_GCM_SHA256" }\n', line: '0.12', at: '"tlsv1_2"', says: '"tlsv1_2+"' },
  { rule: 'protocol-pins-tls12', text: 'ssl = { protocol = "tlsv1_2" }\nVirtualHost "a.example"\n  ssl = { protocol = "tlsv1_2+", ciphersuites = "" }\n', line: '0.12', at: '"tlsv1_2"', says: '"tlsv1_2+"' },
  { rule: 'no-tls13-suite', text: G('ciphersuites = "", options = { "no_tlsv1_3" }'), line: '13.0', quiet: true },
  { rule: 'no-tls13-suite', text: G('ciphersuites = "TLS_AES_128_GCM_SHA256:TLS_RSA_WITH_AES_128_CBC_SHA"'), quiet: true },
  // 0.11 with LuaSec 0.8+ and OpenSSL 1.1.1 (Debian 11's; real 0.11.9: alert 40 for TLS 1.3 and 1.2): hedged. 0.10's usual OpenSSL had no TLS 1.3.
  { rule: 'no-tls13-suite', text: G('ciphersuites = ""'), line: '0.11', at: '""', says: 'with OpenSSL 1.1.1 or later and LuaSec 0.8 or later (Debian 11 ships both with Prosody 0.11), OpenSSL then refuses every handshake' },
  { rule: 'no-tls13-suite', text: G('ciphersuites = ""'), line: '0.10', quiet: true },
  // Judged for the hosts that take a global table (a reviewer's 0.12.3 run: every host's own ssl wrote over this
  // c2s_ssl and every handshake succeeded), and for ports that take it (there it failed: "no ciphers available").
  { rule: 'no-tls13-suite', text: 'ssl = { certificate = "a.crt", key = "a.key" }\nc2s_ssl = { ciphersuites = "" }\nVirtualHost "example.test"\n  ssl = { ciphersuites = "TLS_AES_128_GCM_SHA256" }\nComponent "muc.example.test" "muc"\n', line: '0.12', quiet: true },
  { rule: 'no-tls13-suite', text: 'c2s_direct_tls_ports = { 5223 }\nc2s_direct_tls_ssl = { ciphersuites = "" }\n', line: '0.12', at: '""', says: 'every handshake on the ports of `c2s_direct_tls`, TLS 1.2 ones too' },
  { rule: 'no-tls13-suite', text: 'c2s_direct_tls_ssl = { ciphersuites = "" }\n', line: '0.12', quiet: true },
  { rule: 'no-tls13-suite', text: 'ssl = { ciphersuites = "" }\nc2s_ssl = { protocol = "tlsv1_2" }\ns2s_ssl = { protocol = "tlsv1_2" }\nc2s_direct_tls_ports = { 5223 }\nVirtualHost "example.test"\n', line: '13.0', at: '""', says: 'refuses every handshake on the ports of `c2s_direct_tls`, TLS 1.2' },
  // curveslist-weak-only (review 151: real LuaSec 1.2 / OpenSSL 3.0, nothing connected); not where one group is usable.
  { rule: 'curveslist-weak-only', text: G('curveslist = "secp160r1:sect163k1"'), line: '0.12', at: '"secp160r1:sect163k1"', says: 'Write `curveslist = "X25519:P-256:P-384"`' },
  { rule: 'curveslist-weak-only', text: G('curveslist = { "prime192v1", "K-163" }'), at: '{ "prime192v1", "K-163" }', says: 'so no ECDHE key exchange is left' },
  { rule: 'curveslist-weak-only', text: G('curveslist = "secp160r1:X25519"'), quiet: true },
  { rule: 'curveslist-weak-only', text: G('curveslist = "secp160r1"'), line: '0.9', quiet: true },
  // s2s-verify-no-continue (review 151: LuaSec 1.2 / OpenSSL 3.0, "certificate verify failed" without the flag).
  { rule: 's2s-verify-no-continue', text: G('verifyext = { lsec_continue = false }'), line: '0.12', at: 'lsec_continue', says: 'fails the TLS handshake ("certificate verify failed")', fixed: G('verifyext = {}') },
  { rule: 's2s-verify-no-continue', text: G('verifyext = { "lsec_ignore_purpose" }'), line: '0.9', at: '{ "lsec_ignore_purpose" }', says: 'replaces Prosody 0.9\'s default list, which holds `lsec_continue`' },
  { rule: 's2s-verify-no-continue', text: G('verifyext = { "lsec_ignore_purpose" }'), line: '0.12', quiet: true },
  { rule: 's2s-verify-no-continue', text: G('verifyext = { lsec_continue = false }'), line: '13.0', quiet: true },
  { rule: 's2s-verify-no-continue', text: 'ssl = { verifyext = { lsec_continue = false } }\ns2s_ssl = { verifyext = { lsec_continue = true } }\n', line: '0.11', quiet: true },
  { rule: 's2s-verify-no-continue', text: 'c2s_ssl = { verifyext = { lsec_continue = false } }\n', line: '0.11', quiet: true },
  { rule: 's2s-verify-no-continue', text: H('verifyext = { lsec_continue = false }, verify = "none"'), line: '0.12', quiet: true },
  // An empty port list opens no port (review 152).
  { rule: 'no-tls13-suite', text: 'ssl = { ciphersuites = "" }\nc2s_ssl = { protocol = "tlsv1_2" }\ns2s_ssl = { protocol = "tlsv1_2" }\nhttps_ports = {}\nc2s_direct_tls_ports = {}\nVirtualHost "example.test"\n', line: '0.12', quiet: true },
  { rule: 'no-tls13-suite', text: 'ssl = { ciphersuites = "" }\nVirtualHost "a.example"\n  c2s_ssl = { protocol = "tlsv1_2" }\n', line: '0.12', at: '""', says: 'every handshake on server-to-server connections, TLS 1.2' },
  { rule: 'no-tls13-suite', text: 'ssl = { ciphersuites = "" }\nc2s_ssl = { ciphersuites = "TLS_AES_128_GCM_SHA256" }\ns2s_ssl = { protocol = "tlsv1_2" }\n', quiet: true },
  { rule: 'suite-skipped', text: G('ciphersuites = "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384"'), quiet: true },
  // OpenSSL trims blanks around each suite name (checked with LuaSec 1.2.0: every one of these builds).
  { rule: 'wrong-suite-kind', text: G('ciphersuites = "TLS_AES_128_GCM_SHA256 : TLS_AES_256_GCM_SHA384"'), quiet: true },
  { rule: 'wrong-suite-kind', text: G('ciphersuites = { " TLS_AES_128_GCM_SHA256 " }'), quiet: true },
  { rule: 'suite-skipped', text: G('ciphersuites = [[\nTLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384\n]]'), quiet: true },
  { rule: 'suite-skipped', text: G('ciphersuites = "TLS_AES_128_GCM_SHA256 :BOGUS "'), at: 'BOGUS', says: '`BOGUS` is not a TLS 1.3 suite' },
  { rule: 'wrong-suite-kind', text: G('ciphersuites = ":"'), at: '":"', says: 'names no suite', fixed: 'ssl = {}\n' },

  // ---- duplicate-curve
  // OpenSSL 3.5's post-quantum groups: fine there, fatal on 3.0–3.4; a warning, never unknown-curve's error.
  // OpenSSL 3.0's option flags: refused by a LuaSec built against the OpenSSL 1.x up to 0.11 ran on (a reviewer's 0.11.9
  // on Debian 11's LuaSec 1.0: "invalid option (ignore_unexpected_eof)"); fine from 0.12; a 0.9 map entry never reaches LuaSec.
  // invalid-protocol's fix there is not the name protocol-needs-newer-openssl then warns about (review 132).
  { rule: 'invalid-protocol', text: G('protocol = "tlsv1_3+"'), line: '0.10', at: '"tlsv1_3+"', says: 'or rather `"tlsv1_2+"`: LuaSec knows `"tlsv1_3"` only on OpenSSL 1.1.1 or later', fixed: G('protocol = "tlsv1_2+"') },
  // ---- protocol-needs-newer-openssl: LuaSec offers tlsv1_3 only when built against OpenSSL 1.1.1+ (a reviewer on 0.10's
  // usual OpenSSL 1.1.0).
  { rule: 'protocol-needs-newer-openssl', text: G('protocol = "tlsv1_3"'), line: '0.10', at: '"tlsv1_3"', says: 'With OpenSSL 1.1.0, the oldest Prosody 0.10 commonly ran on, LuaSec refuses it', fixed: G('protocol = "tlsv1_2+"'), fixTitle: 'Change to "tlsv1_2+"' },
  { rule: 'protocol-needs-newer-openssl', text: G('protocol = "tlsv1_3"'), line: '0.9', at: '"tlsv1_3"', says: 'else write `"tlsv1_2"`', fixed: G('protocol = "tlsv1_2"') },
  { rule: 'protocol-needs-newer-openssl', text: G('protocol = "tlsv1_3"'), line: '0.11', quiet: true },
  { rule: 'protocol-needs-newer-openssl', text: G('protocol = "tlsv1_2+"'), line: '0.10', quiet: true },
  { rule: 'flag-needs-newer-openssl', text: G('options = { "no_ticket", "ignore_unexpected_eof" }'), line: '0.11', at: 'ignore_unexpected_eof', says: 'keep it only if the server\'s OpenSSL is 3.0 or later', fixed: G('options = { "no_ticket" }') },
  { rule: 'flag-needs-newer-openssl', text: G('options = { enable_ktls = true }'), line: '0.10', at: 'enable_ktls', says: 'With OpenSSL 1.1.0, the oldest Prosody 0.10', fixed: G('options = {}') },
  { rule: 'flag-needs-newer-openssl', text: G('options = "cleanse_plaintext"'), line: '0.9', at: 'cleanse_plaintext', says: 'invalid option (cleanse_plaintext)' },
  { rule: 'flag-needs-newer-openssl', text: G('options = { "ignore_unexpected_eof" }'), line: '0.12', quiet: true },
  // OpenSSL 1.1.1's flags on the 1.1.0 that 0.10 commonly ran (SSL_OP_PRIORITIZE_CHACHA and the others came with 1.1.1).
  { rule: 'flag-needs-newer-openssl', text: G('options = { "no_ticket", "prioritize_chacha" }'), line: '0.10', at: 'prioritize_chacha', says: 'an option flag OpenSSL 1.1.1 added' },
  { rule: 'flag-needs-newer-openssl', text: G('options = { "no_ticket", "prioritize_chacha" }'), line: '0.11', quiet: true },
  { rule: 'curve-needs-newer-openssl', text: G('curveslist = "X25519:ffdhe2048"'), line: '0.9', quiet: true },
  // OpenSSL 3.0's lowercase aliases: Debian 11's OpenSSL 1.1.1w refuses them (a reviewer's 0.11.9: "unknown elliptic curve").
  { rule: 'curve-needs-newer-openssl', text: G('curveslist = "x25519:secp384r1"'), line: '0.11', at: 'x25519', says: 'write `X25519`, which every release knows', fixed: G('curveslist = "X25519:secp384r1"') },
  { rule: 'curve-needs-newer-openssl', text: G('curveslist = { "secp256r1", "P-256" }'), line: '0.10', at: 'secp256r1', says: 'the list names that group already: remove this entry' },
  { rule: 'curve-needs-newer-openssl', text: G('curveslist = "x25519:secp384r1"'), line: '0.12', quiet: true },
  { rule: 'flag-needs-newer-openssl', text: G('options = { "no_ticket", enable_ktls = true }'), line: '0.9', quiet: true },
  { rule: 'flag-needs-newer-openssl', text: G('options = { enable_ktls = false }'), line: '0.11', quiet: true },
  { rule: 'unsafe-option', text: G('options = { "no_ticket", no_encrypt_then_mac = true }'), line: '0.9', quiet: true },
  { rule: 'unknown-flag', text: G('options = { "no_ticket", NO_TICKET = true }'), line: '0.9', quiet: true },
  { rule: 'curve-needs-newer-openssl', text: G('curveslist = "X25519MLKEM768:X25519"'), line: '13.0', at: 'X25519MLKEM768', says: 'keep it only if the server runs OpenSSL 3.5 or later' },
  { rule: 'curve-needs-newer-openssl', text: G('curveslist = "X25519:brainpoolP256r1tls13"'), line: '13.0', at: 'brainpoolP256r1tls13', says: 'keep it only if the server runs OpenSSL 3.2 or later' },
  // OpenSSL 3.5 matches group names in any case, 3.0 does not (a reviewer: 13.0.1 on Debian 13's 3.5.9 took `p-256`).
  { rule: 'curve-needs-newer-openssl', text: G('curveslist = "X25519:p-256"'), line: '13.0', at: 'p-256', says: 'Write `P-256`', fixed: G('curveslist = "X25519:P-256"') },
  { rule: 'curve-needs-newer-openssl', text: G('curveslist = { "SECP384R1" }'), line: '0.12', at: 'SECP384R1', says: 'older releases (Debian 12 ships 3.0) do not', fixed: G('curveslist = { "secp384r1" }') },
  { rule: 'unknown-curve', text: G('curveslist = "X25519:p-256"'), line: '13.0', quiet: true },
  // Before 0.12 (OpenSSL 3.0 or older) such a name is simply unknown; named twice once changed, the fix would double it.
  { rule: 'unknown-curve', text: G('curveslist = "X25519:p-256"'), line: '0.11', at: 'p-256', says: '`P-256`' },
  { rule: 'curve-needs-newer-openssl', text: G('curveslist = "P-256:p-256"'), line: '13.0', at: 'p-256', says: 'The list names that group already: remove this entry.', noFix: true },
  // Before 0.12 servers mostly ran OpenSSL 1.1.1, which has no ffdhe group for TLS (a reviewer's 0.11.9 run on Debian 11).
  { rule: 'curve-needs-newer-openssl', text: G('curveslist = { "X25519", "P-256", "ffdhe2048" }'), line: '0.11', at: 'ffdhe2048', says: 'keep it only if the server runs OpenSSL 3.0 or later' },
  { rule: 'curve-needs-newer-openssl', text: G('curveslist = { "X25519", "P-256", "ffdhe2048" }'), line: '0.12', quiet: true },
  { rule: 'unknown-curve', text: G('curveslist = "X25519:brainpoolP384r1tls13"'), line: '13.0', quiet: true },
  { rule: 'curve-needs-newer-openssl', text: G('curveslist = "?X25519MLKEM768:X25519:P-256"'), line: '13.0', at: '?X25519MLKEM768', says: 'group-list syntax OpenSSL 3.3 added (a `?` prefix)' },
  { rule: 'unknown-curve', text: G('curveslist = "?X25519MLKEM768:X25519:P-256"'), line: '13.0', quiet: true },
  { rule: 'curve-needs-newer-openssl', text: G('curveslist = "?NotYetInvented:X25519"'), line: '13.0', at: '?NotYetInvented', says: 'a `?` prefix' },
  { rule: 'curve-needs-newer-openssl', text: G('curveslist = "*X25519/P-256:P-384"'), line: '13.0', at: '*X25519/P-256', says: 'a `/` between tuples, a `*` prefix' },
  { rule: 'curve-needs-newer-openssl', text: G('curveslist = "DEFAULT"'), line: '13.0', at: 'DEFAULT', says: '`DEFAULT`' },
  { rule: 'unknown-curve', text: G('curveslist = "*Bogus:X25519"'), line: '13.0', at: '*Bogus', says: 'is not a group OpenSSL accepts' },
  { rule: 'curve-needs-newer-openssl', text: G('curveslist = "*Bogus:X25519"'), line: '13.0', quiet: true },
  { rule: 'unknown-curve', text: G('curveslist = "X25519//P-256"'), line: '13.0', at: 'X25519//P-256', says: 'is not a group OpenSSL accepts' },
  { rule: 'curve-needs-newer-openssl', text: G('curveslist = "DEFAULT:-X25519:-?X25519MLKEM768"'), line: '13.0', at: '-X25519', says: 'a `-` prefix' },
  { rule: 'unknown-curve', text: G('curveslist = "DEFAULT:-X25519:-?X25519MLKEM768"'), line: '13.0', quiet: true },
  { rule: 'curve-needs-newer-openssl', text: G('curveslist = "X25519 / P-256"'), line: '13.0', at: 'X25519 / P-256', says: 'a `/` between tuples' },
  { rule: 'unknown-curve', text: G('curveslist = "X25519 / P-256"'), line: '13.0', quiet: true },
  { rule: 'unknown-curve', text: G('curveslist = "?DEFAULT:X25519"'), line: '13.0', at: '?DEFAULT', says: 'is not a group OpenSSL accepts' },
  { rule: 'curve-needs-newer-openssl', text: G('curveslist = "X25519//P-256"'), line: '13.0', quiet: true },
  { rule: 'curve-needs-newer-openssl', text: G('curveslist = { "x25519mlkem768", "X25519" }'), at: 'x25519mlkem768', says: 'OpenSSL 3.5 added' },
  { rule: 'unknown-curve', text: G('curveslist = "X25519MLKEM768:SecP256r1MLKEM768:X25519"'), line: '13.0', quiet: true },
  { rule: 'curve-needs-newer-openssl', text: G('curveslist = "X25519:P-256"'), quiet: true },
  { rule: 'duplicate-curve', text: G('curveslist = "X25519:P-384:P-256:P-521:prime256v1"'), at: 'prime256v1', says: 'as `P-256` (the same group)', fixed: G('curveslist = "X25519:P-384:P-256:P-521"') },
  { rule: 'duplicate-curve', text: G('curveslist = { "X448", "secp521r1", "P-521" }'), at: 'P-521', says: 'as `secp521r1`', noFix: true },
  { rule: 'duplicate-curve', text: G('curveslist = "P-256: P-256"'), at: 'P-256', says: '`P-256` is already in this list. OpenSSL 3.0 (Debian 12\'s) refuses' },
  { rule: 'duplicate-curve', text: G('curveslist = "X25519:P-256:secp384r1:X448:P-521"'), quiet: true },
  // The list is quoted once per finding, cut short: 5 000 repeats once made 150 MB of messages.
  { rule: 'duplicate-curve', text: G(`curveslist = "${'P-256:'.repeat(40)}P-256"`), at: 'P-256', says: `in \\"${'P-256:'.repeat(20)}…\\"` },

  // ---- option-indexed / option-write-ignored: an option indexed in the config. Before 13.0 it is nil there (a
  // reviewer's 0.11.9 and 0.12.3 did not start: "attempt to index a nil value (global 'ssl')"); 13.0 hands back a
  // stand-in for `:append` (a write to it changes nothing; 13.0.1 stopped on "Unknown config option operation: 'c2s'").
  { rule: 'option-indexed', text: 'ssl = { protocol = "tlsv1_2+" }\nssl.protocol = "tlsv1_3"\n', line: '0.12', at: 'ssl.protocol', says: '("attempt to index a nil value (global \'ssl\')") and Prosody does not start. Instead, write the key inside the table' },
  { rule: 'option-indexed', text: 'ssl = { protocol = "tlsv1_2+" }\nssl.protocol = "tlsv1_3"\n', line: '0.11', at: 'ssl.protocol', says: '("attempt to index global \'ssl\' (a nil value)")' },
  { rule: 'option-indexed', text: 'modules_enabled = { "tls" }\nmodules_enabled:append { "bosh" }\n', line: '0.12', at: 'modules_enabled:append', says: '`:append` on an option is Prosody 13.0\'s' },
  { rule: 'option-indexed', text: 'ssl = {}\nssl.c2s.protocol = "tlsv1_3+"\n', line: '13.0', at: 'ssl.c2s', says: '("Unknown config option operation: \'c2s\'") and Prosody does not start' },
  // 13.0 hands back only what the same section set above (rawget_option reads the section in force: a reviewer's 13.0.1
  // stopped on "attempt to index a nil value (global 'ssl')" under a host, though the global section set `ssl`).
  { rule: 'option-indexed', text: 'ssl = {}\nVirtualHost "a.example"\n  c2s_ssl = { protocol = ssl.protocol }\n', line: '13.0', at: 'ssl.protocol', says: 'this VirtualHost sets no `ssl` before this line: `ssl` is nil here, so Lua stops ("attempt to index a nil value (global \'ssl\')")' },
  { rule: 'option-indexed', text: 'modules_enabled = { "tls" }\nVirtualHost "a.example"\n  modules_enabled:append { "ping" }\n', line: '13.0', at: 'modules_enabled:append', says: 'write the whole value (`modules_enabled = { … }`)' },
  { rule: 'option-indexed', text: 'ssl.protocol = "tlsv1_3"\n', line: '13.0', at: 'ssl.protocol', says: 'the global section sets no `ssl` before this line' },
  { rule: 'option-indexed', text: 'VirtualHost "a.example"\n  ssl = {}\n  ssl:append { protocol = "tlsv1_3" }\n  ssl.c2s = 1\n', line: '13.0', quiet: true },
  // A string is handed back as it is (a reviewer's 13.0.1 started with `certificate:gsub(…)`; before 13.0 it is nil).
  { rule: 'option-indexed', text: 'certificate = "/etc/x.crt"\nssl = { key = certificate:gsub("%.crt$", ".key") }\n', line: '13.0', quiet: true },
  { rule: 'option-indexed', text: 'certificate = "/etc/x.crt"\nssl = { key = certificate:gsub("%.crt$", ".key") }\n', line: '0.12', at: 'certificate:gsub', says: 'keep the table in a `local` and read that' },
  // `ssl.c2s` is `c2s_ssl`'s business (a reviewer: "write the key inside the table" drew unknown-ssl-key).
  { rule: 'option-indexed', text: 'ssl = {}\nssl.c2s.protocol = "tlsv1_3+"\n', line: '0.12', at: 'ssl.c2s', says: 'Instead, write the table of those connections (`c2s_ssl = { … }`)' },
  { rule: 'option-indexed', text: 'modules_enabled = { "tls" }\nmodules_enabled:append { "bosh" }\n', line: '13.0', quiet: true },
  { rule: 'option-indexed', text: 'ssl = {}\nif ssl then\n  ssl.c2s.protocol = "tlsv1_3+"\nend\n', line: '0.12', quiet: true },
  // (Corpus 047's block: on 13.0 it runs wherever `ssl` is set, and 13.0.1 stopped on it.)
  { rule: 'option-indexed', text: 'ssl = {}\nif ssl then\n  ssl.c2s.protocol = "tlsv1_3+"\nend\n', line: '13.0', at: 'ssl.c2s', says: 'where `ssl` is set (the only time this block runs)' },
  { rule: 'option-indexed', text: 'ssl = {}\nif ssl then\n  x = 1\nelse\n  ssl.c2s.protocol = "tlsv1_3+"\nend\n', line: '13.0', quiet: true },
  { rule: 'option-indexed', text: 'ssl = {}\nif other then\n  ssl.c2s.protocol = "tlsv1_3+"\nend\n', line: '13.0', quiet: true },
  { rule: 'option-indexed', text: 'local ssl = {}\nssl.protocol = "tlsv1_3"\nc2s_ssl = ssl\n', line: '0.12', quiet: true },
  { rule: 'option-indexed', text: 'local function f(ssl) ssl.x = 1 end\nx = os.getenv("HOME")\nlog.info = 1\n', line: '0.12', quiet: true },
  { rule: 'option-indexed', text: 'ssl = {}\nssl.protocol = "tlsv1_3"\n', line: '0.10', quiet: true },
  { rule: 'option-write-ignored', text: 'ssl = { protocol = "tlsv1_2+" }\nssl.protocol = "tlsv1_3"\n', line: '13.0', at: 'ssl.protocol', says: 'merge it in: `ssl:append { protocol = … }`' },
  { rule: 'option-write-ignored', text: 'ssl = { protocol = "tlsv1_2+" }\nssl.protocol = "tlsv1_3"\n', line: '0.12', quiet: true },
  // `[…] =` and each target of a multiple assignment are writes (a reviewer's 13.0.1 started with both).
  { rule: 'option-write-ignored', text: 'ssl = {}\nssl["protocol"] = "tlsv1_3"\n', line: '13.0', at: 'ssl[', says: 'merge it in: `ssl:append { ["protocol"] = … }`' },
  { rule: 'option-indexed', text: 'ssl = {}\nssl["protocol"] = "tlsv1_3"\n', line: '0.12', at: 'ssl[', says: 'write the key inside the table (`ssl = { …, ["protocol"] = … }`)' },
  { rule: 'option-write-ignored', text: 'ssl = {}\nssl.ciphers, ssl.curve = "HIGH", "secp384r1"\n', line: '13.0', at: 'ssl.ciphers', says: 'changes nothing' },
  { rule: 'option-indexed', text: 'ssl = {}\nssl["protocol"] = "tlsv1_3"\nssl.ciphers, ssl.curve = "HIGH", "secp384r1"\n', line: '13.0', quiet: true },
  // The loader's sections, not the text's (a reviewer's 13.0.1): a table-form header and `Host "*"` go back to the
  // global section, a host written twice is one section, and a function the file calls may set the option.
  { rule: 'option-write-ignored', text: 'ssl = {}\nComponent "c.example" "muc" { restrict_room_creation = "local" }\nssl.protocol = "tlsv1_3"\n', line: '13.0', at: 'ssl.protocol', says: 'changes nothing' },
  { rule: 'option-write-ignored', text: 'ssl = {}\nVirtualHost "a.example"\nHost "*"\nssl.protocol = "tlsv1_3"\n', line: '13.0', at: 'ssl.protocol', says: 'changes nothing' },
  { rule: 'option-indexed', text: 'ssl = {}\nComponent "c.example" "muc" { restrict_room_creation = "local" }\nssl.protocol = "tlsv1_3"\nmodules_enabled = {}\nmodules_enabled:append { "mam" }\n', line: '13.0', quiet: true },
  { rule: 'option-indexed', text: 'VirtualHost "a.example"\n  ssl = {}\nVirtualHost "b.example"\nVirtualHost "A.example"\n  ssl:append { protocol = "tlsv1_3" }\n', line: '13.0', quiet: true },
  { rule: 'option-indexed', text: 'local function setup() ssl = {} end\nsetup()\nssl.protocol = "tlsv1_3"\n', line: '13.0', quiet: true },
  { rule: 'option-indexed', text: 'VirtualHost "a.example" { ssl = {} }\nssl:append { protocol = "tlsv1_3" }\n', line: '13.0', at: 'ssl:append', says: 'the global section sets no `ssl` before this line' },
  { rule: 'option-read-back-nil', text: 'tls_proto = "tlsv1_2+"\nVirtualHost "a.example"\n  tls_proto = "tlsv1_3"\nVirtualHost "b.example"\nVirtualHost "a.example"\n  c2s_ssl = { protocol = tls_proto }\n', line: '13.0', quiet: true },
  // (Under a host that has not set it, the same write stops the loader: it is nil there.)
  { rule: 'option-write-ignored', text: 'ssl = {}\nVirtualHost "a.example"\n  ssl.protocol = "tlsv1_3"\n', line: '13.0', quiet: true },

  // ---- option-read-back-nil: before 13.0 an option read back is nil (a reviewer's 0.11.9 and 0.12.3 negotiated TLS 1.2
  // after `protocol = "tlsv1_3"` and `ssl = { protocol = protocol }`; 13.0.1 refused it).
  { rule: 'option-read-back-nil', text: 'protocol = "tlsv1_3"\nssl = { protocol = protocol }\n', line: '0.12', at: 'protocol', says: 'Declare the value as a `local` above (`local protocol = …`)' },
  { rule: 'option-read-back-nil', text: 'require_tls = true\nVirtualHost "a.example"\n  c2s_require_encryption = require_tls\n', line: '0.11', at: 'require_tls', says: 'is nil here' },
  { rule: 'option-read-back-nil', text: 'protocol = "tlsv1_3"\nssl = { protocol = protocol }\n', line: '13.0', quiet: true },
  { rule: 'option-read-back-nil', text: 'protocol = "tlsv1_3"\nVirtualHost "a.example"\n  ssl = { protocol = protocol }\n', line: '13.0', at: 'protocol', says: 'this VirtualHost sets no `protocol`' },
  { rule: 'option-read-back-nil', text: 'protocol = "tlsv1_3"\nVirtualHost "a.example"\n  protocol = "tlsv1_2"\n  ssl = { protocol = protocol }\n', line: '13.0', quiet: true },
  { rule: 'option-read-back-nil', text: 'local protocol = "tlsv1_3"\nssl = { protocol = protocol }\n', line: '0.12', quiet: true },
  { rule: 'option-read-back-nil', text: 'ssl = { protocol = protocol }\nprotocol = "tlsv1_3"\n', line: '0.12', quiet: true },
  { rule: 'option-read-back-nil', text: 'log = { info = "*syslog" }\nx = { y = log }\n', line: '0.12', quiet: true },

  // ---- unsafe-protocol
  // Before 0.12 a global `ssl` without `protocol` gets certmanager's default "tlsv1+" (a reviewer's 0.11.9 run on Debian 11's
  // OpenSSL 1.1.1w negotiated TLS 1.0). Not where every host writes its own, nor where the ciphers are TLS 1.2-only.
  { rule: 'unsafe-protocol', text: 'ssl = {\n  certificate = "a.crt";\n  key = "a.key";\n}\nVirtualHost "a.example"\n', line: '0.11', at: 'ssl', says: 'default `"tlsv1+"` applies, which allows TLS 1.0 and TLS 1.1', fixed: 'ssl = {\n  certificate = "a.crt";\n  key = "a.key";\n  protocol = "tlsv1_2+";\n}\nVirtualHost "a.example"\n' },
  { rule: 'unsafe-protocol', text: 'ssl = {}\nc2s_ssl = { protocol = "tlsv1_2+" }\nVirtualHost "a.example"\n', line: '0.10', at: 'ssl', says: 'applies for server-to-server connections', fixed: 'ssl = { protocol = "tlsv1_2+" }\nc2s_ssl = { protocol = "tlsv1_2+" }\nVirtualHost "a.example"\n' },
  { rule: 'unsafe-protocol', text: 'ssl = { certificate = "a.crt", key = "a.key" }\nVirtualHost "a.example"\n', line: '0.12', quiet: true },
  // (With c2s_ssl and s2s_ssl at "tlsv1_2+", the default still reaches the HTTPS port where bosh loads mod_http: TLS 1.0
  // there on a reviewer's 0.11.9.)
  { rule: 'unsafe-protocol', text: 'modules_enabled = { "tls", "bosh" }\nssl = { certificate = "a.crt", key = "a.key" }\nc2s_ssl = { protocol = "tlsv1_2+" }\ns2s_ssl = { protocol = "tlsv1_2+" }\nVirtualHost "a.example"\n', line: '0.11', at: 'ssl', says: 'applies on the direct-TLS and HTTPS ports (client and server-to-server connections take a protocol of their own)' },
  { rule: 'unsafe-protocol', text: 'modules_enabled = { "tls" }\nssl = { certificate = "a.crt", key = "a.key" }\nc2s_ssl = { protocol = "tlsv1_2+" }\ns2s_ssl = { protocol = "tlsv1_2+" }\nVirtualHost "a.example"\n', line: '0.11', quiet: true },
  { rule: 'unsafe-protocol', text: 'modules_enabled = { "tls", "bosh" }\nssl = { certificate = "a.crt", key = "a.key" }\nc2s_ssl = { protocol = "tlsv1_2+" }\ns2s_ssl = { protocol = "tlsv1_2+" }\nhttps_ssl = { protocol = "tlsv1_2+" }\nVirtualHost "a.example"\n', line: '0.11', quiet: true },
  // 0.9 takes one table whole and fills what it leaves out from the defaults: no `protocol` there is "sslv23", TLS 1.0
  // and 1.1 on unless that table's own `options` (which replace the default list) switch them off (review 131). A
  // host's own table is the one its connections take, whatever the global one says; 0.9 has no `+` forms.
  { rule: 'unsafe-protocol', text: 'ssl = { certificate = "a.crt"; key = "a.key" }\nVirtualHost "a.example"\n', line: '0.9', at: 'ssl', says: 'so `"sslv23"` applies, which allows TLS 1.0 and TLS 1.1', fixed: 'ssl = { certificate = "a.crt"; key = "a.key", protocol = "tlsv1_2" }\nVirtualHost "a.example"\n' },
  { rule: 'unsafe-protocol', text: 'ssl = { protocol = "tlsv1_2" }\nVirtualHost "a.example"\n  ssl = { certificate = "a.crt", key = "a.key" }\n', line: '0.9', at: 'ssl', says: '0.9 has no `+` forms', fixed: 'ssl = { protocol = "tlsv1_2" }\nVirtualHost "a.example"\n  ssl = { certificate = "a.crt", key = "a.key", protocol = "tlsv1_2" }\n' },
  { rule: 'unsafe-protocol', text: 'ssl = { certificate = "a.crt" }\nVirtualHost "a.example"\nVirtualHost "b.example"\n  ssl = { protocol = "tlsv1_2" }\n', line: '0.9', at: 'ssl', says: 'applies for the host without an `ssl` of its own' },
  { rule: 'unsafe-protocol', text: 'VirtualHost "example.com"\n  ssl = { certificate = "a.crt" }\nVirtualHost "sub.example.com"\n', line: '0.9', at: 'ssl', says: 'so `"sslv23"` applies' },
  { rule: 'unsafe-protocol', text: 'ssl = { certificate = "a.crt", options = { "no_sslv2", "no_sslv3", "no_tlsv1", "no_tlsv1_1" } }\nVirtualHost "a.example"\n', line: '0.9', quiet: true },
  // TLS 1.2 needs LuaSec 0.5 (0.4.1 knows `sslv3`, `tlsv1` and `sslv23` only): said beside each fix that writes it.
  { rule: 'unsafe-protocol', text: G('protocol = "tlsv1"'), line: '0.9', at: '"tlsv1"', says: 'Both need LuaSec 0.5 or later: 0.4 knows neither `tlsv1_2` nor `no_tlsv1_1`, and the most it allows is `"sslv23"` with `"no_sslv2"`, `"no_sslv3"` and `"no_tlsv1"`.' },
  { rule: 'unsafe-protocol', text: 'ssl = { certificate = "a.crt" }\nVirtualHost "a.example"\n', line: '0.9', at: 'ssl', says: 'LuaSec 0.4 knows no `tlsv1_2` either, so this needs 0.5 or later' },
  { rule: 'unsafe-protocol', text: G('protocol = "sslv23", options = { "no_sslv2", "no_sslv3" }'), line: '0.9', at: '"sslv23"', says: '`"no_tlsv1_1"` needs LuaSec 0.5 or later' },
  { rule: 'unsafe-protocol', text: 'ssl = { certificate = "a.crt" }\nVirtualHost "a.example"\n  ssl = { protocol = "tlsv1_2" }\n', line: '0.9', quiet: true },
  { rule: 'unsafe-protocol', text: 'ssl = { certificate = "a.crt" }\nVirtualHost "a.example"\n  ssl = { protocol = "tlsv1_2" }\nVirtualHost "b.example"\n  enabled = false\n', line: '0.9', quiet: true },
  { rule: 'unsafe-protocol', text: 'local t = make()\nssl = t\nVirtualHost "a.example"\n', line: '0.9', quiet: true },
  { rule: 'unsafe-protocol', text: 'if x then ssl = { certificate = "a.crt" } end\nVirtualHost "a.example"\n', line: '0.9', quiet: true },
  // (TLS 1.2-only ciphers leave the old versions nothing: review 142, alert 40 for TLS 1.0 and 1.1 on a real 0.11.9.)
  { rule: 'unsafe-protocol', text: 'VirtualHost "a.example"\n  ssl = { certificate = "a.crt", ciphers = "ECDHE+AESGCM" }\n', line: '0.9', quiet: true },
  // With no global `ssl` at all, a host's own `ssl` without `protocol` takes the default itself (a real 0.11.9 on Debian
  // 11's LuaSec 1.0 and OpenSSL 1.1.1w negotiated TLS 1.0 on c2s for such a host).
  { rule: 'unsafe-protocol', text: 'admins = {}\nVirtualHost "a.example"\n  ssl = { certificate = "a.crt", key = "a.key" }\n', line: '0.11', at: 'ssl', says: 'no global `ssl` gives one', fixed: 'admins = {}\nVirtualHost "a.example"\n  ssl = { certificate = "a.crt", key = "a.key", protocol = "tlsv1_2+" }\n' },
  { rule: 'unsafe-protocol', text: 'admins = {}\nVirtualHost "a.example"\n  ssl = { certificate = "a.crt", key = "a.key" }\n  c2s_ssl = { protocol = "tlsv1_2+" }\n', line: '0.10', at: 'ssl', says: 'applies for server-to-server connections' },
  // (A conf.d/ fragment, with nothing global, or a global section that Includes others: the global `ssl` may be there.)
  { rule: 'unsafe-protocol', text: 'VirtualHost "a.example"\n  ssl = { certificate = "a.crt", key = "a.key" }\n', line: '0.11', quiet: true },
  { rule: 'unsafe-protocol', text: 'admins = {}\nInclude "tls.cfg.lua"\nVirtualHost "a.example"\n  ssl = { certificate = "a.crt", key = "a.key" }\n', line: '0.11', quiet: true },
  { rule: 'unsafe-protocol', text: 'VirtualHost "a.example"\n  ssl = { certificate = "a.crt", key = "a.key" }\n', line: '0.12', quiet: true },
  { rule: 'unsafe-protocol', text: 'if x then ssl = { protocol = "tlsv1_2+" } end\nVirtualHost "a.example"\n  ssl = { certificate = "a.crt", key = "a.key" }\n', line: '0.11', quiet: true },
  { rule: 'unsafe-protocol', text: 'c2s_ssl = { protocol = "tlsv1_2+" }\ns2s_ssl = { protocol = "tlsv1_2+" }\nVirtualHost "a.example"\n  ssl = { certificate = "a.crt", key = "a.key" }\n', line: '0.11', quiet: true },
  { rule: 'unsafe-protocol', text: 'VirtualHost "a.example"\n  enabled = false\n  ssl = { certificate = "a.crt", key = "a.key" }\n', line: '0.11', quiet: true },
  { rule: 'unsafe-protocol', text: 'ssl = { certificate = "a.crt", key = "a.key" }\nVirtualHost "a.example"\n  ssl = { protocol = "tlsv1_2+" }\n', line: '0.11', quiet: true },
  { rule: 'unsafe-protocol', text: 'ssl = { certificate = "a.crt", ciphers = "ECDHE+AESGCM" }\nVirtualHost "a.example"\n', line: '0.11', quiet: true },
  { rule: 'unsafe-protocol', text: 'ssl = { options = { "no_tlsv1", "no_tlsv1_1" } }\nVirtualHost "a.example"\n', line: '0.11', quiet: true },
  // A global `ssl` protocol every host writes over reaches only the direct-TLS and HTTPS ports (a reviewer's 0.11.9 and
  // 0.12.3 refused TLS 1.0 on c2s and s2s; HTTPS, with bosh loaded, took it): judged for them, where one may listen.
  { rule: 'unsafe-protocol', text: 'modules_enabled = { "roster", "tls" }\nssl = { protocol = "tlsv1+" }\nVirtualHost "a.example"\n  ssl = { protocol = "tlsv1_2+" }\nVirtualHost "b.example"\n  ssl = { protocol = "tlsv1_2+" }\n', line: '0.11', quiet: true },
  { rule: 'unsafe-protocol', text: 'tls_profile = "legacy"\nmodules_enabled = { "roster", "tls" }\nssl = { protocol = "tlsv1+" }\nVirtualHost "a.example"\n  ssl = { protocol = "tlsv1_2+" }\n', line: '0.12', quiet: true },
  { rule: 'unsafe-protocol', text: 'modules_enabled = { "roster", "tls", "bosh" }\nssl = { protocol = "tlsv1+" }\nVirtualHost "a.example"\n  ssl = { protocol = "tlsv1_2+" }\n', line: '0.11', at: '"tlsv1+"', says: 'on direct-TLS and HTTPS ports (every host writes its own protocol over this one' },
  { rule: 'unsafe-protocol', text: 'modules_enabled = { "roster", "tls" }\nssl = { protocol = "tlsv1+" }\nVirtualHost "a.example"\n  ssl = { protocol = "tlsv1_2+" }\nVirtualHost "b.example"\n', line: '0.11', at: '"tlsv1+"', says: 'Write `"tlsv1_2+"`' },
  // A global c2s_ssl/s2s_ssl field every host writes over reaches no connection (mod_tls layers the host's `ssl` over
  // the global `c2s_ssl`; a reviewer's 0.11.9 run refused TLS 1.0 there). Said where one host takes it, where the
  // file has no host, or where it Includes others (their hosts may take it).
  { rule: 'unsafe-protocol', text: 'c2s_ssl = { protocol = "tlsv1+" }\nVirtualHost "a.example"\n  ssl = { protocol = "tlsv1_2+" }\n', line: '0.11', quiet: true },
  { rule: 'unsafe-protocol', text: 'c2s_ssl = { protocol = "tlsv1+" }\nVirtualHost "a.example"\n  ssl = { protocol = "tlsv1_2+" }\nVirtualHost "b.example"\n', line: '0.11', at: '"tlsv1+"', says: 'Write `"tlsv1_2+"`' },
  { rule: 'unsafe-protocol', text: 'c2s_ssl = { protocol = "tlsv1+" }\nVirtualHost "a.example"\n  ssl = { protocol = "tlsv1_2+" }\nInclude "conf.d/*.cfg.lua"\n', line: '0.11', at: '"tlsv1+"', says: 'Write `"tlsv1_2+"`' },
  { rule: 'unsafe-protocol', text: 'c2s_ssl = { protocol = "tlsv1+" }\n', line: '0.11', at: '"tlsv1+"', says: 'Write `"tlsv1_2+"`' },
  // (A subdomain takes its parent's `ssl`: only a Component of another domain gets the global s2s_ssl here.)
  { rule: 'unsafe-protocol', text: 's2s_ssl = { protocol = "tlsv1+" }\nVirtualHost "a.example"\n  ssl = { protocol = "tlsv1_2+" }\nComponent "c.other.example" "muc"\n', line: '0.11', at: '"tlsv1+"', says: 'Write `"tlsv1_2+"`' },
  { rule: 'unsafe-protocol', text: 's2s_ssl = { protocol = "tlsv1+" }\nVirtualHost "a.example"\n  ssl = { protocol = "tlsv1_2+" }\nComponent "c.a.example" "muc"\n', line: '0.11', quiet: true },
  { rule: 'unsafe-protocol', text: 's2s_ssl = { protocol = "tlsv1+" }\nVirtualHost "a.example"\n  ssl = { protocol = "tlsv1_2+" }\nComponent "c.a.example" "muc"\n  s2s_ssl = { protocol = "tlsv1_2+" }\n', line: '0.11', quiet: true },
  // (From 0.12 the default `intermediate` preset's ciphers are TLS 1.2 suites only, which leave an older version no
  // suite: cases about what the protocol and flags allow take `tls_profile = "legacy"`, Prosody's older defaults.)
  { rule: 'unsafe-protocol', text: 'tls_profile = "legacy"\n' + G('protocol = "tlsv1+"'), at: '"tlsv1+"', says: '"tlsv1_2+"', fixed: 'tls_profile = "legacy"\n' + G('protocol = "tlsv1_2+"') },
  { rule: 'unsafe-protocol', text: 'tls_profile = "legacy"\n' + G('protocol = "tlsv1_1+"'), at: '"tlsv1_1+"', says: 'TLS 1.1' },
  { rule: 'unsafe-protocol', text: G('protocol = "tlsv1"'), at: '"tlsv1"', says: 'pins the connection to TLS 1.0' },
  // Under the intermediate preset's TLS 1.2 suites no handshake succeeds (a reviewer's 0.12.3 and 13.0.1 runs).
  { rule: 'unsafe-protocol', text: 'VirtualHost "x"\n  ssl = { protocol = "tlsv1_1" }\n', line: '13.0', at: '"tlsv1_1"', says: 'Worse: for client and server-to-server STARTTLS connections the `ciphers` in force are the `intermediate` preset\'s, TLS 1.2 suites only, so no TLS 1.0 or 1.1 handshake finds a suite and those connections fail.' },
  { rule: 'unsafe-protocol', text: G('protocol = "tlsv1"'), line: '0.12', at: '"tlsv1"', says: 'those connections fail' },
  // A host's direct-TLS ciphers never reach STARTTLS: the note stands (a reviewer); a host's own ssl ciphers may.
  { rule: 'unsafe-protocol', text: G('protocol = "tlsv1"') + 'c2s_direct_tls_ports = { 5223 }\nVirtualHost "a.example"\n  c2s_direct_tls_ssl = { ciphers = "HIGH:@SECLEVEL=0" }\n', line: '0.12', at: '"tlsv1"', says: 'those connections fail' },
  // Per connection kind: ciphers of another layer (a reviewer's 0.12.3 run served TLS 1.0 on such a port), not the
  // modern preset (its ciphers are "DEFAULT").
  { rule: 'unsafe-protocol', text: G('protocol = "tlsv1"') + 's2s_ssl = { ciphers = "HIGH:@SECLEVEL=0" }\n', line: '0.12', at: '"tlsv1"', says: 'Worse: for client STARTTLS connections' },
  { rule: 'unsafe-protocol', text: 'tls_profile = "modern"\n' + G('protocol = "tlsv1"'), line: '13.0', at: '"tlsv1"', says: '(RFC 8996). Write' },
  { rule: 'unsafe-protocol', text: G('protocol = "tlsv1"') + 'c2s_ssl = { protocol = "tlsv1_2+" }\n', line: '13.0', at: '"tlsv1"', says: 'Worse: for server-to-server STARTTLS connections' },
  // Not claimed under a computed tls_profile, nor for a global table when a host sets its own ciphers; a Component
  // has no client connections (a third reviewer).
  { rule: 'unsafe-protocol', text: 'tls_profile = ENV_TLS_PROFILE\n' + G('protocol = "tlsv1"'), line: '13.0', at: '"tlsv1"', says: '(RFC 8996). Write' },
  { rule: 'unsafe-protocol', text: G('protocol = "tlsv1"') + 'VirtualHost "x"\n  ssl = { ciphers = "HIGH" }\n', line: '0.12', at: '"tlsv1"', says: '(RFC 8996). Write' },
  { rule: 'unsafe-protocol', text: 'Component "c.example" "muc"\n  ssl = { protocol = "tlsv1" }\n', line: '13.0', at: '"tlsv1"', says: 'Worse: for server-to-server STARTTLS connections' },
  // Not where the table or the old preset names ciphers of its own, nor before presets (0.11).
  { rule: 'unsafe-protocol', text: G('protocol = "tlsv1"; ciphers = "HIGH"'), line: '13.0', at: '"tlsv1"', says: 'pins the connection to TLS 1.0, a deprecated version with known weaknesses (RFC 8996). Write' },
  { rule: 'unsafe-protocol', text: 'tls_profile = "old"\nVirtualHost "x"\n  ssl = { protocol = "tlsv1" }\n', line: '13.0', at: '"tlsv1"', says: '(RFC 8996). Write' },
  { rule: 'unsafe-protocol', text: G('protocol = "tlsv1"'), line: '0.11', at: '"tlsv1"', says: '(RFC 8996). Write' },
  { rule: 'unsafe-protocol', text: 'tls_profile = "legacy"\n' + H('protocol = "sslv23"'), at: '"sslv23"', says: '"tlsv1_2+"' },
  { rule: 'unsafe-protocol', text: 'tls_profile = "legacy"\n' + G('protocol = "any"; options = { "no_tlsv1" }'), at: '"any"', says: 'TLS 1.1' },
  { rule: 'unsafe-protocol', text: G('protocol = "sslv23"'), line: '0.9', at: '"sslv23"', says: '`"no_tlsv1"`' },
  // Written as said, a list on 0.9 replaces the defaults: the advice keeps no_sslv3 (a reviewer).
  { rule: 'unsafe-protocol', text: G('protocol = "sslv23"'), line: '0.9', at: '"sslv23"', says: 'Add `"no_tlsv1"` and `"no_tlsv1_1"` to `options` (Prosody 0.9 replaces the default options with the table\'s own list, so it must hold `"no_sslv3"`' },
  // Only what is missing is asked for (the invalid-protocol advice for tlsv1_1+ on 0.9, applied, led here).
  { rule: 'unsafe-protocol', text: G('protocol = "sslv23"; options = { "no_sslv3", "no_tlsv1" }'), line: '0.9', at: '"sslv23"', says: 'allows TLS 1.1, a deprecated version with known weaknesses (RFC 8996). Add `"no_tlsv1_1"` to `options`' },
  // Pinned on 0.9: switching its own version off would leave none; offer TLS 1.2 or sslv23 with the flags.
  { rule: 'unsafe-protocol', text: G('protocol = "tlsv1_1"'), line: '0.9', at: '"tlsv1_1"', says: 'pins the connection to TLS 1.1, a deprecated version with known weaknesses (RFC 8996). Write `"tlsv1_2"` (TLS 1.2 only' },
  { rule: 'unsafe-protocol', text: 'tls_profile = "old"\n', at: '"old"', says: '"intermediate"', fixed: 'tls_profile = "intermediate"\n' },
  // A host pinned to TLS 1.0 under the preset's ciphers would lose STARTTLS with the change alone: the message says to move it first (a reviewer).
  { rule: 'unsafe-protocol', text: 'tls_profile = "old"\ns2s_ssl = { protocol = "tlsv1" }\n', line: '13.0', at: '"old"', says: 'But first change `protocol = "tlsv1"` in the global table to `"tlsv1_2+"`: under `"intermediate"`, whose ciphers are TLS 1.2 suites only, its server-to-server STARTTLS connections' },
  // A host's own pinned protocol says it on the host: the global finding depends on global settings only.
  { rule: 'unsafe-protocol', text: 'tls_profile = "old"\nVirtualHost "x"\n  ssl = { protocol = "tlsv1" }\n', line: '13.0', at: '"tlsv1"', says: 'Do it before `tls_profile` becomes `"intermediate"`: that preset\'s ciphers are TLS 1.2 suites only' },
  { rule: 'unsafe-protocol', text: 'tls_profile = "legacy"\nVirtualHost "x"\n  ssl = { protocol = "tlsv1_1" }\n', line: '0.12', at: '"tlsv1_1"', says: 'Do it before `tls_profile` becomes `"intermediate"`' },
  { rule: 'unsafe-protocol', text: 'tls_profile = "legacy"\n', line: '13.0', at: '"legacy"', says: '"intermediate"' },
  { rule: 'unsafe-protocol', text: G('protocol = "sslv23"; options = { "no_tlsv1", "no_tlsv1_1" }'), quiet: true },
  { rule: 'unsafe-protocol', text: G('options = { "no_tlsv1", "no_tlsv1_1" }') + H('protocol = "tlsv1+"'), quiet: true },
  { rule: 'unsafe-protocol', text: G('protocol = "tlsv1+"; options = { no_dtls_mask = true, no_tlsv1_1 = true }'), quiet: true },
  // 0.10's default options hold no no_sslv3: `sslv3+`/`sslv23` left SSL 3.0 on where OpenSSL 1.0.x had it (a reviewer).
  { rule: 'unsafe-protocol', text: G('protocol = "sslv3+"'), line: '0.10', at: '"sslv3+"', says: 'allows TLS 1.0 and TLS 1.1, deprecated versions with known weaknesses (RFC 8996). With OpenSSL 1.0.x it allows SSL 3.0 as well (POODLE, RFC 7568). Write `"tlsv1_2+"`.' },
  { rule: 'unsafe-protocol', text: G('protocol = "sslv23"; options = { "no_sslv3" }'), line: '0.11', at: '"sslv23"', says: 'RFC 8996). Write' },
  { rule: 'unsafe-protocol', text: 'tls_profile = "legacy"\n' + G('protocol = "sslv23"'), line: '0.12', at: '"sslv23"', says: 'RFC 8996). Write' },
  { rule: 'unsafe-protocol', text: 'tls_profile = "legacy"\n' + G('protocol = "tlsv1_2+"'), quiet: true },
  { rule: 'unsafe-protocol', text: G('protocol = "tlsv1_2+"'), quiet: true },

  // ---- verify-none-s2s
  // Removing the line brings back a "none" beneath it, not the default (0.11; from 0.12 Prosody's s2s layer sits between).
  { rule: 'verify-none-s2s', text: 'ssl = { verify = "none" }\ns2s_ssl = { verify = "none" }\n', line: '0.11', at: '"none"', says: 'The global `ssl` beneath it says "none" too' },
  // Not past a table that sets another verify; not on 0.9, where a host's ssl replaces the global one.
  { rule: 'verify-none-s2s', text: 'ssl = { verify = "none" }\nVirtualHost "a.example"\n\tssl = { verify = { "peer" } }\n\ts2s_ssl = { verify = "none" }\n', line: '0.11', at: '"none"', says: 'Remove the `verify` line to keep Prosody\'s default.' },
  { rule: 'verify-none-s2s', text: H('verify = "none"'), at: '"none"', says: 'Remove the `verify` line', fixed: 'VirtualHost "example.com"\n\tssl = {}\n' },
  { rule: 'verify-none-s2s', text: 's2s_ssl = { verify = "none" }\n', at: '"none"', says: 'dialback' },
  // Dialback alone is refused under s2s_secure_auth (mod_s2s check_auth_policy), and for s2s_secure_domains' domains.
  { rule: 'verify-none-s2s', text: 's2s_secure_auth = true\n' + H('verify = "none"'), at: '"none"', says: 'only by dialback, which `s2s_secure_auth = true` does not accept: Prosody turns every such server away ("Your server\'s certificate could not be validated"), so federation with it stops.' },
  { rule: 'verify-none-s2s', text: 's2s_secure_auth = true\ns2s_insecure_domains = { "old.example" }\n' + H('verify = "none"'), line: '0.11', at: '"none"', says: 'except the domains in `s2s_insecure_domains`' },
  { rule: 'verify-none-s2s', text: 's2s_secure_domains = { "jabber.example" }\n' + H('verify = "none"'), at: '"none"', says: 'which Prosody does not accept from the domains in `s2s_secure_domains`' },
  // The s2s_direct_tls service asks for peer certificates (mod_s2s ssl_config); its table, or the global ssl standing in
  // for it, sits above that (portmanager get_port_ssl_ctx; a reviewer).
  { rule: 'verify-none-s2s', text: 's2s_direct_tls_ports = { 5270 }\ns2s_direct_tls_ssl = { verify = "none" }\n', line: '0.12', at: '"none"', says: 'sits above that service\'s own `verify = { "peer", "client_once" }`' },
  // A parent's ssl under its own s2s_ssl still reaches a subdomain with an s2s_ssl of its own (an instrumented 0.12.3 run).
  { rule: 'verify-none-s2s', text: 'VirtualHost "example.com"\n  ssl = { verify = "none" }\n  s2s_ssl = { verify = { "peer", "client_once" } }\nVirtualHost "sub.example.com"\n  s2s_ssl = { depth = 3 }\n', line: '0.12', at: '"none"', says: 'servers connecting to VirtualHost "sub.example.com" for their certificates', fixed: 'VirtualHost "example.com"\n  ssl = {}\n  s2s_ssl = { verify = { "peer", "client_once" } }\nVirtualHost "sub.example.com"\n  s2s_ssl = { depth = 3 }\n' },
  { rule: 'verify-none-s2s', text: 'VirtualHost "example.com"\n  ssl = { verify = "none" }\n  s2s_ssl = { verify = { "peer", "client_once" } }\nVirtualHost "sub.example.com"\n', line: '0.12', quiet: true },
  // `verify = nil` in a host's table sets nothing: the global s2s_ssl's "none" stays in force (an instrumented 0.12.3 run).
  { rule: 'verify-none-s2s', text: 's2s_ssl = { verify = "none" }\nVirtualHost "example.com"\n  ssl = { verify = nil, depth = 5 }\n', line: '0.12', at: '"none"', says: 'dialback' },
  // Without ports the service does not listen (no default port): its table does nothing (a reviewer's 0.12.3 log).
  { rule: 'verify-none-s2s', text: 's2s_direct_tls_ssl = { verify = "none" }\nVirtualHost "a.example"\n', line: '0.12', quiet: true },
  // A global s2s_ssl every host overrides with its own verify (mod_tls: host ssl over global s2s_ssl; a reviewer's
  // 0.12.3 run still saw the certificate requested); one host taking it keeps the warning, and so does no host.
  { rule: 'verify-none-s2s', text: 's2s_ssl = { verify = "none" }\nVirtualHost "a.example"\n  ssl = { verify = { "peer", "client_once" } }\nComponent "muc.a.example" "muc"\n  s2s_ssl = { verify = "peer" }\n', line: '0.12', quiet: true },
  { rule: 'verify-none-s2s', text: 's2s_ssl = { verify = "none" }\nVirtualHost "a.example"\n  ssl = { verify = { "peer", "client_once" } }\nVirtualHost "b.example"\n  ssl = { key = "b.key" }\n', line: '0.12', at: '"none"', says: 'dialback' },
  { rule: 'verify-none-s2s', text: 's2s_ssl = { verify = "none" }\nVirtualHost "a.example"\n  ssl = { verify = { "peer", "client_once" } }\n', line: '0.11', quiet: true },
  // …but a file that Includes others may have hosts there that take it.
  { rule: 'verify-none-s2s', text: 's2s_ssl = { verify = "none" }\nVirtualHost "a.example"\n  ssl = { verify = { "peer", "client_once" } }\nInclude "conf.d/*.cfg.lua"\n', line: '0.12', at: '"none"', says: 'dialback' },
  { rule: 'verify-none-s2s', text: 's2s_direct_tls_ports = { 5270 }\nssl = { verify = "none" }\n', line: '13.0', at: '"none"', says: 'With `s2s_direct_tls_ports` set and no `s2s_direct_tls_ssl`' },
  { rule: 'verify-none-s2s', text: 'ssl = { verify = "none" }\n', line: '13.0', quiet: true },
  { rule: 'verify-none-s2s', text: 's2s_direct_tls_ports = { 5270 }\ns2s_direct_tls_ssl = { key = "k" }\nssl = { verify = "none" }\n', line: '13.0', quiet: true },
  { rule: 'verify-none-s2s', text: 's2s_ssl = { verify = "none" }\n', line: '0.9', quiet: true },
  // An s2s_ssl above the ssl sets verify again (facts §1.2: host s2s_ssl › host ssl › global s2s_ssl › global ssl).
  { rule: 'verify-none-s2s', text: 'VirtualHost "a.example"\n\tssl = { verify = "none" }\n\ts2s_ssl = { verify = { "peer", "client_once" } }\n', line: '0.12', quiet: true },
  { rule: 'verify-none-s2s', text: 's2s_ssl = { verify = { "peer", "client_once" } }\nssl = { verify = "none" }\n', line: '0.11', quiet: true },
  { rule: 'verify-none-s2s', text: 's2s_ssl = { verify = { "peer", "client_once" } }\nssl = { verify = "none" }\n', line: '0.10', quiet: true },
  // An s2s_ssl that may not run (inside if) or sets verify to nil does not take the host's place.
  { rule: 'verify-none-s2s', text: 'VirtualHost "a.example"\n\tssl = { verify = "none" }\n\tif os.getenv("X") then s2s_ssl = { verify = { "peer" } } end\n', line: '0.12', at: '"none"', says: 'dialback' },
  { rule: 'verify-none-s2s', text: 'VirtualHost "a.example"\n\tssl = { verify = "none" }\n\ts2s_ssl = { verify = nil, depth = 3 }\n', line: '0.12', at: '"none"', says: 'dialback' },
  // Another host's `s2s_ssl` in an `if` is not layered here: a's own `verify = "peer"` stands (a reviewer).
  { rule: 'verify-none-s2s', text: 'VirtualHost "a.example"\n\tssl = { verify = "none" }\n\ts2s_ssl = { verify = "peer" }\nVirtualHost "b.example"\n\tif x then s2s_ssl = {} end\n', line: '0.12', quiet: true },
  { rule: 'verify-none-s2s', text: 'VirtualHost "a.example"\n\tssl = { verify = "none" }\n\ts2s_ssl = { verify = "peer" }\nVirtualHost "b.example"\n\tif x then s2s_ssl = {} end\n', line: '13.0', quiet: true },
  // The parent domain's is read only by a subdomain without its own `s2s_ssl`: one in an `if` there may hide the global one.
  { rule: 'verify-none-s2s', text: 'VirtualHost "example.com"\n\tif x then s2s_ssl = {} end\nComponent "muc.example.com" "muc"\n\tssl = { verify = "none" }\n\ts2s_ssl = { verify = "peer" }\n', line: '0.12', quiet: true },
  { rule: 'verify-none-s2s', text: 's2s_ssl = { verify = "peer" }\nVirtualHost "example.com"\n\tif x then s2s_ssl = {} end\nComponent "muc.example.com" "muc"\n\tssl = { verify = "none" }\n', line: '0.12', at: '"none"', says: 'dialback' },
  // A global s2s_ssl sits below a host's ssl: the host's verify = "none" is in force.
  { rule: 'verify-none-s2s', text: 's2s_ssl = { verify = { "peer", "client_once" } }\nVirtualHost "a.example"\n\tssl = { verify = "none" }\n', line: '0.12', at: '"none"', says: 'dialback' },
  { rule: 'verify-none-s2s', text: 'VirtualHost "a.example"\n\tssl = { verify = "none" }\n\ts2s_ssl = { protocol = "tlsv1_2+" }\n', line: '0.12', at: '"none"', says: 'dialback' },
  // A duplicate key: removing only the live entry would bring the earlier one into force.
  { rule: 'verify-none-s2s', text: 's2s_ssl = { verify = "peer", verify = "none" }\n', at: '"none"', says: 'Remove the `verify` line', fixed: 's2s_ssl = {}\n' },
  { rule: 'verify-none-s2s', text: 's2s_ssl = {\n\tverify = "none";\n\tprotocol = "tlsv1_2+";\n\tverify = "none";\n}\n', at: '"none"', says: 'Remove the `verify` line', fixed: 's2s_ssl = {\n\tprotocol = "tlsv1_2+";\n}\n' },
  { rule: 'verify-none-s2s', text: G('verify = "none"'), line: '0.11', at: '"none"', says: 'Before 0.12' },
  // Prosody layers verify = "peer" above client_https_ssl (util/startup.lua): it cannot lower it.
  { rule: 'verify-none-s2s', text: 'client_https_ssl = { verify = "none" }\n', quiet: true },
  { rule: 'verify-none-s2s', text: G('verify = "none"'), line: '0.12', quiet: true },
  { rule: 'verify-none-s2s', text: 'c2s_ssl = { verify = "none" }\n', quiet: true },
  { rule: 'verify-none-s2s', text: H('verify = { "peer", "none" }'), quiet: true },
  // Without "peer" OpenSSL asks for no certificate whatever else the list says (a reviewer).
  { rule: 'verify-none-s2s', text: H('verify = { "none", "client_once" }'), at: '{ "none", "client_once" }', says: 'A `verify` without `"peer"` here stops Prosody asking peers for certificates' },

  // ---- unsafe-option
  { rule: 'unsafe-option', text: G('options = { "no_ticket", "no_dtlsv1_2" }'), at: 'no_dtlsv1_2', says: 'Remove it', fixed: G('options = { "no_ticket" }') },
  // no_dtls_mask also sets no_tlsv1's bit: removed, TLS 1.0 came back under "tlsv1+" (a reviewer); no_tlsv1 keeps that half.
  { rule: 'unsafe-option', text: G('protocol = "tlsv1+"; options = { no_dtls_mask = true, no_tlsv1_1 = true }'), at: 'no_dtls_mask', says: 'Write `no_tlsv1` instead', fixed: G('protocol = "tlsv1+"; options = { no_tlsv1 = true, no_tlsv1_1 = true }') },
  { rule: 'unsafe-option', text: G('options = { "no_tlsv1", "no_dtls_mask" }'), at: 'no_dtls_mask', says: 'Remove it', fixed: G('options = { "no_tlsv1" }') },
  { rule: 'unsafe-option', text: G('options = { no_dtls_mask = true, no_tlsv1 = false }'), at: 'no_dtls_mask', says: 'Remove it', fixed: G('options = { no_tlsv1 = false }') },
  { rule: 'unsafe-option', text: G('options = { allow_unsafe_legacy_renegotiation = true }'), at: 'allow_unsafe_legacy_renegotiation', says: 'Remove it' },
  { rule: 'unsafe-option', text: G('options = "no_ssl_mask"'), at: 'no_ssl_mask', says: 'every SSL/TLS version' },
  // It leaves no version, whatever else is written: no 'Change to no_tlsv1' (which claimed to keep TLS 1.2 on).
  { rule: 'unsafe-option', text: G('options = { "no_tlsv1_2", "no_ssl_mask" }'), at: 'no_ssl_mask', says: 'every TLS handshake fails ("no protocols available")', fixed: G('options = { "no_tlsv1_2" }') },
  { rule: 'unsafe-option', text: G('options = { legacy_server_connect = false }'), quiet: true },
  { rule: 'unsafe-option', text: G('options = { "no_ticket", "allow_no_dhe_kex" }'), line: '0.12', at: 'allow_no_dhe_kex', says: 'a resumed session has no forward secrecy', fixed: G('options = { "no_ticket" }') },
  // A client-side flag in a table that builds server contexts only does nothing there (SSL_CTX_set_options(3)).
  { rule: 'unsafe-option', text: 'c2s_ssl = { options = { "legacy_server_connect" } }\nhttps_ssl = { options = { "legacy_server_connect" } }\nVirtualHost "a.example"\n  c2s_ssl = { options = { "legacy_server_connect" } }\n', line: '0.12', quiet: true },
  { rule: 'noop-option', text: 'c2s_ssl = { options = { "no_ticket", "legacy_server_connect" } }\n', line: '0.12', at: 'legacy_server_connect', says: 'Prosody builds server contexts alone from this table', fixed: 'c2s_ssl = { options = { "no_ticket" } }\n' },
  { rule: 'unsafe-option', text: 's2s_ssl = { options = { "legacy_server_connect" } }\n', line: '0.12', at: 'legacy_server_connect', says: 'weakens TLS' },
  { rule: 'noop-option', text: 's2s_ssl = { options = { "legacy_server_connect" } }\n', line: '0.12', quiet: true },

  // TLS 1.3 only (its suites come from ciphersuites): which TLS 1.2 suites the string offers is never used (a reviewer).
  // One suite is "it"; a long list ends "and N more." (a reviewer: "1 suite … them", "….").
  { rule: 'cipher-static-rsa', text: G('ciphers = "ECDHE+AESGCM:AES256-GCM-SHA384"'), at: '"ECDHE+AESGCM:AES256-GCM-SHA384"', says: 'enables 1 static-RSA suite without forward secrecy (AES256-GCM-SHA384). Exclude it: append ":!kRSA", unless very old clients need it.' },
  { rule: 'cipher-weak-suites', text: G('ciphers = "ALL:@SECLEVEL=0"'), at: '"ALL:@SECLEVEL=0"', says: 'more. Exclude them' },
  { rule: 'unsafe-option', text: G('options = { "no_dtlsv1_2" }'), at: 'no_dtlsv1_2', says: 'weakens TLS. Shares its bit' },
  { rule: 'cipher-static-rsa', text: 'tls_profile = "modern"\n' + G('ciphers = "HIGH:!aNULL"'), line: '0.12', quiet: true },
  { rule: 'cipher-static-rsa', text: G('protocol = "tlsv1_3"; ciphers = "HIGH:!aNULL"'), quiet: true },
  { rule: 'cipher-weak-suites', text: G('protocol = "tlsv1_3"; ciphers = "HIGH:@SECLEVEL=0"'), quiet: true },
  // Another table's protocol may let TLS 1.2 use these ciphers: still reported, also under a table's own tlsv1_3.
  { rule: 'cipher-static-rsa', text: G('protocol = "tlsv1_3", ciphers = "AES128-SHA:ECDHE+AESGCM"') + 'VirtualHost "a.example"\n\tc2s_ssl = { protocol = "tlsv1_2+" }\n', line: '0.12', at: '"AES128-SHA:ECDHE+AESGCM"', says: '!kRSA' },
  { rule: 'cipher-static-rsa', text: 'tls_profile = "modern"\n' + G('ciphers = "HIGH:!aNULL"') + 'VirtualHost "a.example"\n\tssl = { protocol = "tlsv1_2+" }\n', line: '0.12', at: '"HIGH:!aNULL"', says: '!kRSA' },
  // A protocol that opens TLS 1.2 to a preset's ciphers with static RSA: `modern`'s "DEFAULT" (a reviewer's 13.0.1 run
  // accepted AES128-GCM-SHA256 and AES128-SHA), `old`'s list. Not under `intermediate`, nor where ciphers are written.
  { rule: 'cipher-static-rsa', text: 'tls_profile = "modern"\n' + G('protocol = "tlsv1_2+"'), line: '13.0', at: '"tlsv1_2+"', says: 'opens TLS 1.2 to the preset\'s `ciphers = "DEFAULT"`, which enables 6 static-RSA suites' },
  // (Under `old` TLS 1.2 is open already: a protocol that narrows the versions adds no suite; a reviewer.)
  { rule: 'cipher-static-rsa', text: 'tls_profile = "old"\nVirtualHost "a.example"\n  ssl = { protocol = "tlsv1_2+" }\n', line: '0.12', quiet: true },
  { rule: 'cipher-static-rsa', text: G('protocol = "tlsv1_2+"'), line: '13.0', quiet: true },
  { rule: 'cipher-static-rsa', text: 'tls_profile = "modern"\n' + G('protocol = "tlsv1_2+", ciphers = "ECDHE+AESGCM"'), line: '13.0', quiet: true },
  { rule: 'cipher-static-rsa', text: 'tls_profile = "modern"\n' + G('protocol = "tlsv1_3"'), line: '13.0', quiet: true },
  { rule: 'cipher-static-rsa', text: G('ciphers = "HIGH:!aNULL"'), line: '0.11', at: '"HIGH:!aNULL"', says: '!kRSA' },
  // What the server never picks is no choice of its (a reviewer's 0.12.3 runs): anonymous, NULL or MD5 suites at the
  // default security level, PSK and SRP suites (no callbacks), and from @SECLEVEL=3 suites without forward secrecy.
  { rule: 'cipher-no-forward-secrecy-first', text: G('ciphers = "HIGH:+ECDHE:+DHE"'), line: '0.11', at: '"HIGH:+ECDHE:+DHE"', says: 'The first suite this string prefers, AES256-GCM-SHA384, has no forward secrecy' },
  { rule: 'cipher-no-forward-secrecy-first', text: G('ciphers = "NULL-MD5:PSK-AES128-CBC-SHA:ECDHE-RSA-AES128-GCM-SHA256:AES128-SHA"'), line: '0.11', quiet: true },
  { rule: 'cipher-weak-suites', text: G('ciphers = "PSK"'), line: '0.12', at: '"PSK"', says: 'one the server never uses (NULL; PSK: no PSK callback in Prosody), so TLS 1.2 and older handshakes fail' },
  { rule: 'cipher-weak-suites', text: G('ciphers = "kRSA:@SECLEVEL=3"'), line: '0.12', at: '"kRSA:@SECLEVEL=3"', says: 'no forward secrecy, refused at @SECLEVEL=3' },
  { rule: 'cipher-static-rsa', text: G('ciphers = "ALL:@SECLEVEL=3"'), line: '0.12', quiet: true },
  { rule: 'cipher-static-rsa', text: G('ciphers = "RSA:ADH"'), line: '0.12', at: '"RSA:ADH"', says: 'would leave only suites the server never uses' },
  // Spelt right, but a standard name: `ciphers` takes OpenSSL's (a reviewer).
  // OpenSSL 1.0's Kerberos suites, excluded by name in Mozilla's 2015 intermediate string: removed, not misspelt.
  { rule: 'cipher-unknown-word', text: G('ciphers = "ECDHE+AESGCM:!EDH-RSA-DES-CBC3-SHA:!KRB5-DES-CBC3-SHA"'), line: '0.12', quiet: true },
  { rule: 'cipher-unknown-word', text: G('ciphers = "HIGH:!aNULL:TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"'), line: '0.12', at: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', says: 'Write "ECDHE-RSA-AES128-GCM-SHA256"', fixed: G('ciphers = "HIGH:!aNULL:ECDHE-RSA-AES128-GCM-SHA256"') },
  // DHE needs DH parameters, which LuaSec sets only from dhparam (a reviewer's 0.12.3 runs: past a DHE suite the
  // server picked AES128-GCM-SHA256; a DHE-only list gave "no shared cipher"); 13.0's presets carry one.
  { rule: 'cipher-no-forward-secrecy-first', text: 'tls_profile = "legacy"\n' + G('ciphers = "DHE-RSA-AES128-GCM-SHA256:AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256"'), line: '0.12', at: '"DHE-RSA-AES128-GCM-SHA256:AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256"', says: 'The first suite this string prefers, AES128-GCM-SHA256' },
  { rule: 'cipher-no-forward-secrecy-first', text: 'tls_profile = "legacy"\n' + G('dhparam = "dh.pem", ciphers = "DHE-RSA-AES128-GCM-SHA256:AES128-GCM-SHA256"'), line: '0.12', quiet: true },
  { rule: 'cipher-weak-suites', text: G('ciphers = "DHE-RSA-AES256-GCM-SHA384:DHE-RSA-AES128-GCM-SHA256"'), line: '0.12', at: '"DHE-RSA-AES256-GCM-SHA384:DHE-RSA-AES128-GCM-SHA256"', says: 'DHE: no `dhparam` in force), so TLS 1.2 and older handshakes fail with "no shared cipher": only TLS 1.3, where the protocol setting allows it, still connects. Set `dhparam` to a file of DH parameters' },
  // Each security level refuses suites under its bits (OpenSSL 3.0's `ciphers -s` at @SECLEVEL=4 lists no AES128 suite).
  { rule: 'cipher-weak-suites', text: G('ciphers = "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:@SECLEVEL=4"'), at: '"ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:@SECLEVEL=4"', says: 'ciphers under 192 bits, refused at @SECLEVEL=4' },
  { rule: 'cipher-weak-suites', text: G('ciphers = "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES128-GCM-SHA256:@SECLEVEL=4"'), quiet: true },
  { rule: 'cipher-weak-suites', text: G('ciphers = "DHE-RSA-AES256-GCM-SHA384:DHE-RSA-AES128-GCM-SHA256"'), line: '13.0', quiet: true },
  { rule: 'cipher-weak-suites', text: G('ciphers = "DHE-RSA-AES256-GCM-SHA384"') + 'VirtualHost "a.example"\n  ssl = { dhparam = "dh.pem" }\n', line: '0.12', quiet: true },
  // A string OpenSSL refuses fails the context whatever the protocol.
  { rule: 'cipher-selects-nothing', text: G('protocol = "tlsv1_3"; ciphers = "RC4"'), at: '"RC4"', says: 'no cipher match' },
  // ---- verify-peer-no-continue (13.0 only; a reviewer's 13.0.1 run refused a client's untrusted certificate)
  { rule: 'verify-peer-no-continue', text: 'c2s_ssl = { verify = { "peer", "client_once" } }\n', line: '13.0', at: '{ "peer", "client_once" }', says: 'fail the TLS handshake ("unknown ca"): 13.0 no longer puts `lsec_continue` in the default `verifyext`' },
  { rule: 'verify-peer-no-continue', text: 'VirtualHost "x"\n  ssl = { verify = "peer" }\n', line: '13.0', at: '"peer"', says: 'write `verifyext = { "lsec_continue" }` in this table' },
  // The client direct-TLS port's table too: that service brings no verifyext (a reviewer's 13.0.1 run: "unknown ca" on
  // the direct-TLS port for a self-signed client certificate). Not where no port listens, nor with lsec_continue in force.
  { rule: 'verify-peer-no-continue', text: 'c2s_direct_tls_ports = { 5223 }\nc2s_direct_tls_ssl = { verify = "peer" }\n', line: '13.0', at: '"peer"', says: 'fail the TLS handshake on the c2s_direct_tls port ("unknown ca")', fixed: 'c2s_direct_tls_ports = { 5223 }\nc2s_direct_tls_ssl = { verify = "peer", verifyext = { "lsec_continue" } }\n' },
  { rule: 'verify-peer-no-continue', text: 'c2s_direct_tls_ssl = { verify = "peer" }\n', line: '13.0', quiet: true },
  { rule: 'verify-peer-no-continue', text: 'c2s_direct_tls_ports = { 5223 }\nc2s_direct_tls_ssl = { verify = "peer", verifyext = { "lsec_continue" } }\n', line: '13.0', quiet: true },
  { rule: 'verify-peer-no-continue', text: 'ssl = { verifyext = { "lsec_continue" } }\nc2s_direct_tls_ports = { 5223 }\nc2s_direct_tls_ssl = { verify = "peer" }\n', line: '13.0', quiet: true },
  // verifyext sets merge across layers: the port table's own other flag keeps the global lsec_continue; `= false` drops it.
  { rule: 'verify-peer-no-continue', text: 'ssl = { verifyext = { "lsec_continue" } }\nc2s_direct_tls_ports = { 5223 }\nc2s_direct_tls_ssl = { verify = "peer", verifyext = { "lsec_ignore_purpose" } }\n', line: '13.0', quiet: true },
  { rule: 'verify-peer-no-continue', text: 'ssl = { verifyext = { "lsec_continue" } }\nc2s_direct_tls_ports = { 5223 }\nc2s_direct_tls_ssl = { verify = "peer", verifyext = { lsec_continue = false } }\n', line: '13.0', at: '"peer"', says: 'on the c2s_direct_tls port' },
  { rule: 'verify-peer-no-continue', text: 'c2s_direct_tls_ports = { 5223 }\nc2s_direct_tls_ssl = { verify = "peer" }\n', line: '0.12', quiet: true },
  // The fix writes the flag beside `verify`, in the table's layout (a real-editor review: the message spelt the edit
  // out without offering it), or adds it to the table's own list; a map may set it false, so none is offered there.
  { rule: 'verify-peer-no-continue', text: 'c2s_ssl = { verify = { "peer", "client_once" } }\n', line: '13.0', at: '{ "peer", "client_once" }', says: 'lsec_continue', fixed: 'c2s_ssl = { verify = { "peer", "client_once" }, verifyext = { "lsec_continue" } }\n' },
  { rule: 'verify-peer-no-continue', text: 'c2s_ssl = {\r\n  verify = "peer";\r\n  protocol = "tlsv1_2+";\r\n}\r\n', line: '13.0', at: '"peer"', says: 'lsec_continue', fixed: 'c2s_ssl = {\r\n  verify = "peer";\r\n  verifyext = { "lsec_continue" };\r\n  protocol = "tlsv1_2+";\r\n}\r\n' },
  { rule: 'verify-peer-no-continue', text: 'c2s_ssl = {\n  protocol = "tlsv1_2+",\n  verify = "peer" -- clients\n}\n', line: '13.0', at: '"peer"', says: 'lsec_continue', fixed: 'c2s_ssl = {\n  protocol = "tlsv1_2+",\n  verify = "peer", -- clients\n  verifyext = { "lsec_continue" }\n}\n' },
  // The comment stays on the line it annotates, after the entry's own separator (a reviewer); CRLF kept.
  { rule: 'verify-peer-no-continue', text: 'c2s_ssl = {\r\n\tverify = "peer"; -- ask clients\r\n\tprotocol = "tlsv1_2+"\r\n}\r\n', line: '13.0', at: '"peer"', says: 'lsec_continue', fixed: 'c2s_ssl = {\r\n\tverify = "peer"; -- ask clients\r\n\tverifyext = { "lsec_continue" };\r\n\tprotocol = "tlsv1_2+"\r\n}\r\n' },
  { rule: 'verify-peer-no-continue', text: 'c2s_ssl = { verify = "peer"; verifyext = { "lsec_ignore_purpose" } }\n', line: '13.0', at: '"peer"', says: 'lsec_continue', fixed: 'c2s_ssl = { verify = "peer"; verifyext = { "lsec_ignore_purpose", "lsec_continue" } }\n' },
  { rule: 'verify-peer-no-continue', text: 'c2s_ssl = { verify = "peer"; verifyext = { lsec_ignore_purpose = true } }\n', line: '13.0', at: '"peer"', says: 'lsec_continue', noFix: true },
  { rule: 'verify-peer-no-continue', text: 'c2s_ssl = { verify = { "peer", "client_once" } }\n', line: '0.12', quiet: true },
  { rule: 'verify-peer-no-continue', text: 'c2s_ssl = { verify = { "peer", "client_once" }; verifyext = { "lsec_continue" } }\n', line: '13.0', quiet: true },
  { rule: 'verify-peer-no-continue', text: 'ssl = { verifyext = { "lsec_continue" } }\nc2s_ssl = { verify = "peer" }\n', line: '13.0', quiet: true },
  { rule: 'verify-peer-no-continue', text: 's2s_ssl = { verify = "peer" }\n', line: '13.0', quiet: true },
  { rule: 'verify-peer-no-continue', text: 'Component "c.example" "muc"\n  ssl = { verify = "peer" }\n', line: '13.0', quiet: true },
  { rule: 'verify-peer-no-continue', text: G('verify = { "peer", "fail_if_no_peer_cert" }'), line: '13.0', quiet: true },
  // Not the verify in force for clients: the c2s_ssl sets its own.
  { rule: 'verify-peer-no-continue', text: 'ssl = { verify = "peer" }\nc2s_ssl = { verify = "none" }\n', line: '13.0', quiet: true },
  // ---- verify-requires-peer-cert
  { rule: 'verify-requires-peer-cert', text: G('verify = { "peer", "fail_if_no_peer_cert" }'), at: '{ "peer", "fail_if_no_peer_cert" }', says: 'Remove it from `verify`' },
  { rule: 'verify-requires-peer-cert', text: G('verify = { "fail_if_no_peer_cert", "peer" }'), line: '0.9', at: '{ "fail_if_no_peer_cert", "peer" }', says: 'clients' },
  // OpenSSL reads the flag only with peer (a reviewer checked with LuaSec 1.2: without peer the handshake succeeds).
  { rule: 'verify-requires-peer-cert', text: 'c2s_direct_tls_ssl = { verify = { "none", "fail_if_no_peer_cert" } }\nhttps_ssl = { verify = "fail_if_no_peer_cert" }\nVirtualHost "a.example"\n\tc2s_ssl = { verify = { "client_once", "fail_if_no_peer_cert" } }\n', line: '0.12', quiet: true },
  // Clients never connect to a Component.
  { rule: 'verify-requires-peer-cert', text: 'VirtualHost "example.com"\nComponent "conf.example.com" "muc"\n\tc2s_ssl = { verify = { "peer", "fail_if_no_peer_cert" } }\nComponent "proxy.example.com" "proxy65"\n\tssl = { verify = { "peer", "fail_if_no_peer_cert" } }\n', line: '0.12', quiet: true },
  // A c2s_ssl sets STARTTLS's verify, but the global ssl is still the table of a direct-TLS port with none of its own.
  { rule: 'verify-requires-peer-cert', text: 'c2s_direct_tls_ports = { 5223 }\nc2s_ssl = { verify = "none" }\n' + G('verify = { "peer", "fail_if_no_peer_cert" }'), line: '0.12', at: '{ "peer", "fail_if_no_peer_cert" }', says: 'Remove it' },
  { rule: 'verify-requires-peer-cert', text: 'c2s_direct_tls_ssl = { verify = { "peer", "fail_if_no_peer_cert" } }\n', line: '0.12', at: '{ "peer", "fail_if_no_peer_cert" }', says: 'Remove it' },
  { rule: 'verify-requires-peer-cert', text: H('verify = { "peer", "fail_if_no_peer_cert" }'), at: '{ "peer", "fail_if_no_peer_cert" }', says: 'Remove it' },
  // A c2s_ssl above sets its own verify: the ssl one reaches servers only, and servers present certificates.
  { rule: 'verify-requires-peer-cert', text: 'c2s_ssl = { verify = "none" }\n' + G('verify = { "peer", "fail_if_no_peer_cert" }'), quiet: true },
  { rule: 'verify-requires-peer-cert', text: 's2s_ssl = { verify = { "peer", "fail_if_no_peer_cert" } }\n', quiet: true },
  { rule: 'verify-requires-peer-cert', text: 'client_https_ssl = { verify = { "peer", "fail_if_no_peer_cert" } }\n', quiet: true },
  { rule: 'verify-requires-peer-cert', text: G('verify = { fail_if_no_peer_cert = true }'), quiet: true },
  // ---- mode-set on outgoing HTTPS: it only ever runs as a client.
  { rule: 'mode-set', text: 'client_https_ssl = { mode = "client" }\n', quiet: true },
  { rule: 'mode-set', text: 'client_https_ssl = { mode = "server" }\n', at: 'mode', says: 'Remove it' },
  // A direct-TLS port's context is always a server's (portmanager; a reviewer's fix audit).
  { rule: 'mode-set', text: 'c2s_direct_tls_ssl = { mode = "server" }\nhttps_ssl = { [5281] = { mode = "server" } }\n', line: '0.12', quiet: true },
  { rule: 'mode-set', text: 'https_ssl = { mode = "client" }\n', line: '0.12', at: 'mode', says: 'Remove it' },
  // `c2s_ssl` builds server contexts only (mod_tls): "server" is Prosody's own (a reviewer's 0.12.3 run); "client" breaks it.
  { rule: 'mode-set', text: 'c2s_ssl = { mode = "server" }\nVirtualHost "a.example"\n  c2s_ssl = { mode = "server" }\n', line: '0.12', quiet: true },
  { rule: 'mode-set', text: 'c2s_ssl = { mode = "client" }\n', line: '0.12', at: 'mode', says: 'Remove it' },
  // A host's direct-TLS table is an SNI context: the accepted connection keeps the port's mode (a reviewer's 0.12.3
  // run), so its `mode` breaks nothing and sni-setting-ignored says to remove it instead.
  { rule: 'mode-set', text: 'c2s_direct_tls_ports = { 5223 }\nVirtualHost "a.example"\n  c2s_direct_tls_ssl = { mode = "client" }\n', line: '0.12', quiet: true },
  { rule: 'sni-setting-ignored', text: 'c2s_direct_tls_ports = { 5223 }\nVirtualHost "a.example"\n  c2s_direct_tls_ssl = { mode = "client" }\n', line: '0.12', at: 'mode', says: 'Remove it: Prosody sets the mode of each connection itself' },
  { rule: 'mode-set', text: 'c2s_direct_tls_ports = { 5223 }\nc2s_direct_tls_ssl = { mode = "client" }\n', line: '0.12', at: 'mode', says: 'Remove it' },

  // ---- insecure-setting
  { rule: 'insecure-setting', text: 'c2s_require_encryption = false\n', at: 'false', says: 'Write `true`', fixed: 'c2s_require_encryption = true\n' },
  // The deprecated name's fix writes the name its message asks for; where the section sets that name too, the value only.
  { rule: 'insecure-setting', text: 'require_encryption = false\n', line: '0.12', at: 'false', says: 'Write `c2s_require_encryption = true`', fixed: 'c2s_require_encryption = true\n' },
  { rule: 'insecure-setting', text: 'require_encryption = false\n', line: '0.9', at: 'false', says: 'Write', fixed: 'require_encryption = true\n' },
  { rule: 'insecure-setting', text: 'VirtualHost "a.example"\n  c2s_require_encryption = false\n  require_encryption = false\n', line: '0.10', at: 'false', says: 'Write `c2s_require_encryption = true`', fixTitle: 'Change to true', fixed: 'VirtualHost "a.example"\n  c2s_require_encryption = false\n  require_encryption = true\n' },
  // mod_tls offers no STARTTLS to servers and starts none (a reviewer's 0.12.3 run: <dialback/> only).
  { rule: 'insecure-setting', text: 's2s_allow_encryption = false\n', line: '0.12', at: 'false', says: 'every server-to-server session is refused', fixed: 's2s_allow_encryption = true\n' },
  { rule: 'insecure-setting', text: 'VirtualHost "a.example"\n  s2s_allow_encryption = false\n', line: '0.11', at: 'false', says: 'federation traffic travels in clear' },
  { rule: 'insecure-setting', text: 's2s_allow_encryption = true\n', line: '0.12', quiet: true },
  // No client reaches a Component (no mod_c2s, no mod_saslauth; a reviewer's 0.12.3 run answered host-unknown).
  { rule: 'insecure-setting', text: 'VirtualHost "example.com"\nComponent "conf.example.com" "muc"\n  c2s_require_encryption = false\n  allow_unencrypted_plain_auth = true\n', line: '0.12', quiet: true },
  { rule: 'insecure-setting', text: 'allow_unencrypted_plain_auth = true\nVirtualHost "example.com"\nComponent "conf.example.com" "muc"\n  c2s_require_encryption = false\n', line: '0.12', quiet: true },
  { rule: 'insecure-setting', text: 'VirtualHost "example.com"\n  c2s_require_encryption = false\nComponent "conf.example.com" "muc"\n', line: '0.12', at: 'false', says: 'Write `true`' },
  // mod_s2s is global (module:set_global): it reads s2s_require_encryption once and closes every host's unencrypted
  // server sessions by that value; a host's own value only changes mod_tls's STARTTLS offer (a reviewer).
  { rule: 'insecure-setting', text: 'VirtualHost "a"\ns2s_require_encryption = false\n', line: '0.12', quiet: true },
  { rule: 'insecure-setting', text: 'VirtualHost "a"\ns2s_require_encryption = false\n', line: '0.11', quiet: true },
  { rule: 'insecure-setting', text: 's2s_require_encryption = false\nVirtualHost "a"\ns2s_require_encryption = false\n', line: '0.12', at: 'false', says: 'Write `true`' },
  // mod_tls forces s2s encryption back on where s2s_secure_auth is on (the host's own value, else the global one).
  { rule: 'insecure-setting', text: 's2s_secure_auth = true\ns2s_require_encryption = false\nVirtualHost "a"\n', quiet: true },
  { rule: 'insecure-setting', text: 's2s_secure_auth = true\nVirtualHost "a"\ns2s_require_encryption = false\n', quiet: true },
  { rule: 'insecure-setting', text: 'VirtualHost "a"\ns2s_secure_auth = true\ns2s_require_encryption = false\n', quiet: true },
  { rule: 'insecure-setting', text: 's2s_secure_auth = true\ns2s_require_encryption = false\nVirtualHost "a"\ns2s_secure_auth = false\n', at: 'false', says: 'Write `true`' },
  { rule: 'insecure-setting', text: 's2s_secure_auth = true\nVirtualHost "a"\ns2s_require_encryption = false\ns2s_secure_auth = false\n', quiet: true },
  { rule: 'insecure-setting', text: 'if x then s2s_secure_auth = true end\ns2s_require_encryption = false\n', at: 'false', says: 'Write `true`' },
  // mod_s2s still lets s2s_insecure_domains in unencrypted when s2s_require_encryption is false.
  { rule: 'insecure-setting', text: 's2s_secure_auth = true\ns2s_insecure_domains = { "legacy.example" }\ns2s_require_encryption = false\n', at: 'false', says: '(With `s2s_secure_auth = true` this holds only for the domains listed in `s2s_insecure_domains`.) Write `true`' },
  { rule: 'insecure-setting', text: 's2s_secure_auth = true\ns2s_insecure_domains = {}\ns2s_require_encryption = false\n', quiet: true },
  // OpenSSL 1.1.0+ keeps compression off in every context, and LuaSec never clears the flag: `true` changes nothing.
  { rule: 'insecure-setting', text: 'ssl_compression = true\n', quiet: true },
  { rule: 'noop-option', text: 'ssl_compression = true\n', at: 'true', says: 'which LuaSec never does', fixed: '' },
  { rule: 'noop-option', text: 'VirtualHost "a"\nssl_compression = true\n', quiet: true },
  // A removed line between blank lines takes one of them along, and one at the end of the file the blank line above
  // it: no double blank line, no trailing one (a reviewer's sweep of every quick fix).
  { rule: 'noop-option', text: 'admins = {}\n\nssl_compression = true\n\nmodules_enabled = {}\n', at: 'true', says: 'which LuaSec never does', fixed: 'admins = {}\n\nmodules_enabled = {}\n' },
  { rule: 'noop-option', text: 'admins = {}\r\n\r\nssl_compression = true\r\n', at: 'true', says: 'which LuaSec never does', fixed: 'admins = {}\r\n' },
  { rule: 'noop-option', text: '\nssl_compression = true\n\nadmins = {}\n', at: 'true', says: 'which LuaSec never does', fixed: '\nadmins = {}\n' },
  { rule: 'noop-option', text: 'admins = {}\nssl_compression = true\n\nx = 1\n', at: 'true', says: 'which LuaSec never does', fixed: 'admins = {}\n\nx = 1\n' },
  // mod_saslauth offers no mechanism without TLS while c2s_require_encryption is on (0.12+ default): moot there.
  { rule: 'insecure-setting', text: 'allow_unencrypted_plain_auth = true\n', line: '0.11', at: 'true', says: 'Write `false`' },
  { rule: 'insecure-setting', text: 'allow_unencrypted_plain_auth = true\n', line: '0.12', quiet: true },
  { rule: 'insecure-setting', text: 'c2s_require_encryption = true\nallow_unencrypted_plain_auth = true\n', line: '0.11', quiet: true },
  { rule: 'insecure-setting', text: 'require_encryption = true\nallow_unencrypted_plain_auth = true\n', line: '0.11', quiet: true },
  { rule: 'insecure-setting', text: 'allow_unencrypted_plain_auth = true\nVirtualHost "a"\n\tc2s_require_encryption = false\n', line: '0.12', at: 'true', says: 'Write `false`' },
  { rule: 'insecure-setting', text: 'VirtualHost "a"\n\tallow_unencrypted_plain_auth = true\n\tc2s_require_encryption = false\nVirtualHost "b"\n\tallow_unencrypted_plain_auth = true\n', line: '0.12', at: 'true', says: 'Write `false`' },
  { rule: 'insecure-setting', text: 'if x then c2s_require_encryption = false end\nallow_unencrypted_plain_auth = true\n', line: '13.0', at: 'true', says: 'Write `false`' },
  { rule: 'insecure-setting', text: 'c2s_require_encryption = true\nssl_compression = false\n', quiet: true },
  // Up to 0.10 mod_tls reads `c2s_require_encryption or require_encryption`, but mod_saslauth may take the new name
  // alone (a stored pre-0.11 copy does): a false new name still offers logins before TLS, so it is still reported.
  { rule: 'insecure-setting', text: 'require_encryption = true\nc2s_require_encryption = false\n', line: '0.10', at: 'false', says: 'Write `true`' },
  // …and a true new name is read first on 0.9 as well (before the old name was deprecated): the old false is unread.
  { rule: 'insecure-setting', text: 'require_encryption = false\nc2s_require_encryption = true\n', line: '0.9', quiet: true },
  // Lines Prosody never reads weaken nothing: the deprecated fallback once the new name is set (here or
  // globally), and a line a later one of the same name overrides.
  { rule: 'insecure-setting', text: 'require_encryption = false\n', at: 'false', says: 'Write `c2s_require_encryption = true` instead' },
  { rule: 'insecure-setting', text: 'c2s_require_encryption = true\nrequire_encryption = false\n', quiet: true },
  { rule: 'insecure-setting', text: 'c2s_require_encryption = true\nVirtualHost "a"\nrequire_encryption = false\n', quiet: true },
  { rule: 'insecure-setting', text: 'c2s_require_encryption = false\nif os.getenv("STRICT") then c2s_require_encryption = true end\n', at: 'false', says: 'Write `true`' },
  { rule: 'insecure-setting', text: 'require_encryption = false\nif os.getenv("X") then c2s_require_encryption = true end\n', at: 'false', says: 'Write `c2s_require_encryption = true` instead' },
  { rule: 'insecure-setting', text: 'if debug then c2s_require_encryption = false end\n', quiet: true },
  { rule: 'insecure-setting', text: 'c2s_require_encryption = os.getenv("X") == "1"\n', quiet: true },

  // ---- protocol-pins-tls12
  { rule: 'protocol-pins-tls12', text: G('protocol = "tlsv1_2"'), at: '"tlsv1_2"', says: '"tlsv1_2+"', fixed: G('protocol = "tlsv1_2+"') },
  { rule: 'protocol-pins-tls12', text: G('protocol = "tlsv1_2"'), line: '0.9', quiet: true },
  { rule: 'protocol-pins-tls12', text: G('protocol = "tlsv1_2+"'), quiet: true },

  // ---- curve-ignored
  // The host writes its own ssl: the parent's ssl is not read, so Prosody's default curveslist is what is in force
  // (from 0.12 the tls_profile preset's, intermediate by default: a reviewer).
  { rule: 'curve-ignored', text: 'VirtualHost "example.com"\n\tssl = { curveslist = "X25519" }\nVirtualHost "chat.example.com"\n\tssl = { curve = "secp384r1" }\n', at: 'curve', says: 'the `curveslist` of the `tls_profile = "intermediate"` preset' },
  { rule: 'curve-ignored', text: 'VirtualHost "example.com"\n\tssl = { curveslist = "X25519" }\nVirtualHost "chat.example.com"\n\tssl = { curve = "secp384r1" }\n', line: '0.11', at: 'curve', says: 'Prosody\'s own default `curveslist`' },
  { rule: 'curve-ignored', text: 'tls_profile = "modern"\n' + G('curve = "secp384r1"'), line: '13.0', at: 'curve', says: 'the `curveslist` of the `tls_profile = "modern"` preset' },
  { rule: 'curve-ignored', text: 'VirtualHost "example.com"\n\tc2s_ssl = { curveslist = "X25519" }\nVirtualHost "chat.example.com"\n\tssl = { curve = "secp384r1" }\n', at: 'curve', says: 'a `curveslist` set elsewhere' },
  // A Component accepts no clients: its parent's c2s_ssl is not in force there, the preset's is.
  { rule: 'curve-ignored', text: 'VirtualHost "example.com"\n\tc2s_ssl = { curveslist = "X25519" }\nComponent "conference.example.com" "muc"\n\tssl = { curve = "secp384r1" }\n', at: 'curve', says: 'the `curveslist` of the `tls_profile = "intermediate"` preset' },
  // Where one layering has no curveslist, the curve is the one in force there (a reviewer's 0.12.3 run: s2s took P-521).
  { rule: 'curve-ignored', text: 's2s_ssl = { curveslist = false }\nssl = { curve = "secp521r1" }\n', line: '0.12', quiet: true },
  // A host's direct-TLS curveslist reaches neither its STARTTLS layering nor (a port key) its own SNI context: the
  // preset's is the one in force for its `ssl` (a reviewer: "set elsewhere", pointing at it).
  { rule: 'curve-ignored', text: 'c2s_direct_tls_ports = { 5223 }\nVirtualHost "a.example"\n  ssl = { curve = "secp384r1" }\n  c2s_direct_tls_ssl = { curveslist = { "X25519" } }\n', line: '0.12', at: 'curve', says: 'the `curveslist` of the `tls_profile = "intermediate"` preset' },
  { rule: 'curve-ignored', text: G('curve = "secp384r1"'), at: 'curve', says: 'preset is in force', fixed: 'ssl = {}\n' },
  { rule: 'curve-ignored', text: G('curve = "X25519"; curveslist = "X25519"'), at: 'curve', says: 'Remove it' },
  // 0.9 does not pass curveslist on: there the curve is what counts.
  { rule: 'curve-ignored', text: G('curve = "secp384r1"; curveslist = "X25519:P-256"'), line: '0.9', quiet: true },
  { rule: 'curve-ignored', text: G('curve = "secp384r1"'), line: '0.9', quiet: true },
  // 0.10/0.11 ran beside LuaSec 0.6, which knows no curveslist: the message is hedged and names the
  // curve LuaSec 0.6 would refuse.
  { rule: 'curve-ignored', text: G('curve = "secp384r1"'), line: '0.10', at: 'curve', says: 'With LuaSec 0.7 or later, `curve` has no effect' },
  { rule: 'curve-ignored', text: G('curve = "X25519"'), line: '0.11', at: 'curve', says: 'LuaSec 0.6 knows no `curveslist` and uses `curve`, and refuses this name' },
  { rule: 'curve-ignored', text: G('curve = "secp384r1"; curveslist = false'), quiet: true },
  // A port's context never reads `c2s_ssl` (portmanager; a reviewer's 0.12.3 run used the https_ssl curve).
  { rule: 'curve-ignored', text: G('curveslist = false') + 'c2s_ssl = { curveslist = "X25519" }\nhttps_ssl = { curve = "secp384r1" }\n', quiet: true },
  { rule: 'unknown-curve', text: G('curveslist = false') + 'c2s_ssl = { curveslist = "X25519" }\nhttps_ssl = { curve = "X448" }\n', at: '"X448"', says: 'write `curveslist` instead' },
  // The global ssl's `[port]` tables are the port's too (a reviewer's 0.12.3 run served the curve), and a port's
  // table names no c2s_ssl list as the one in force.
  { rule: 'curve-ignored', text: 'ssl = { curveslist = false, [15281] = { curve = "secp384r1" } }\nc2s_ssl = { curveslist = { "X25519" } }\n', line: '0.12', quiet: true },
  { rule: 'curve-ignored', text: 'c2s_ssl = { curveslist = { "secp384r1" } }\nhttps_ssl = { curve = "secp384r1" }\n', line: '0.12', at: 'curve', says: 'the `curveslist` of the `tls_profile = "intermediate"` preset is in force' },
  { rule: 'curve-ignored', text: G('curve = false'), quiet: true },

  // ---- noop-option
  { rule: 'noop-option', text: G('options = { "single_dh_use", "no_ticket" }'), at: 'single_dh_use', says: 'Remove it', fixed: G('options = { "no_ticket" }') },
  { rule: 'noop-option', text: G('options = { no_sslv2 = true }'), at: 'no_sslv2', says: 'Remove it' },
  // 0.9 mostly ran on OpenSSL 1.0.x, where the flag still counts, and replaces its defaults with the list (a reviewer).
  { rule: 'noop-option', text: G('options = { "no_sslv3", "single_dh_use" }'), line: '0.9', at: 'single_dh_use', says: 'Remove it if this Prosody runs on OpenSSL 1.1.0 or later; on OpenSSL 1.0.x it still counts' },
  // OpenSSL's syntax error names a whole character (not half a surrogate pair), quoted as JSON.
  { rule: 'cipher-selects-nothing', text: G('ciphers = "HIGH:!aNULL:😀"'), at: '"HIGH:!aNULL:😀"', says: 'unexpected character "😀" where' },
  // A rename keeps a bracketed key's quotes.
  { rule: 'wrong-suite-kind', text: G('["ciphers"] = "TLS_AES_128_GCM_SHA256"'), at: '"TLS_AES_128_GCM_SHA256"', says: 'ciphersuites', fixed: G('["ciphersuites"] = "TLS_AES_128_GCM_SHA256"'), fixTitle: 'Rename to ciphersuites' },
  // An entry alone on its line goes with its line, whatever the line ends.
  ...(['\n', '\r\n', '\r'] as const).map((nl): Case => ({ rule: 'noop-option', text: ['ssl = {', '  options = {', '    "no_ticket",', '    "single_dh_use",', '  },', '}', ''].join(nl), at: 'single_dh_use', says: 'Remove it', fixed: ['ssl = {', '  options = {', '    "no_ticket",', '  },', '}', ''].join(nl) })),
  { rule: 'noop-option', text: G('options = { single_dh_use = false }'), quiet: true },

  // ---- options-replace-defaults (0.9)
  { rule: 'options-replace-defaults', text: G('options = { "no_ticket" }'), line: '0.9', at: 'options', says: '"no_sslv3"', fixed: G('options = { "no_ticket", "no_sslv3" }') },
  { rule: 'options-replace-defaults', text: G('options = { "no_ticket", "no_sslv3" }'), line: '0.9', quiet: true },
  // The other defaults the list drops are named from the catalog (a reviewer: cipher_server_preference was left out).
  { rule: 'options-replace-defaults', text: G('options = { "no_ticket" }'), line: '0.9', at: 'options', says: 'it also drops the default `"no_sslv2"`' },
  { rule: 'options-replace-defaults', text: G('options = { "no_ticket" }'), line: '0.9', at: 'options', says: '`"cipher_server_preference"`' },
  { rule: 'options-replace-defaults', text: G('options = {}'), line: '0.9', at: 'options', says: '"no_sslv3"', fixed: G('options = { "no_sslv3" }') },
  // A commented-out list stays where it is.
  { rule: 'options-replace-defaults', text: 'ssl = {\n  options = {\n    -- "no_ticket", "no_compression"\n  };\n}\n', line: '0.9', at: 'options', says: '"no_sslv3"', fixed: 'ssl = {\n  options = { "no_sslv3"\n    -- "no_ticket", "no_compression"\n  };\n}\n' },
  { rule: 'options-replace-defaults', text: G('options = { "no_ticket" }'), line: '0.10', quiet: true },
  { rule: 'options-replace-defaults', text: G('protocol = "tlsv1_2"; options = { "no_ticket" }'), line: '0.9', quiet: true },

  // ---- key-material-in-path: never quoted (the message must not repeat any of it)
  { rule: 'key-material-in-path', text: G('key = [[\n-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg\n-----END PRIVATE KEY-----]]'), at: '[[\n-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg\n-----END PRIVATE KEY-----]]', says: 'PEM text (private key), not a path' },
  { rule: 'key-material-in-path', text: G('certificate = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQDZ12345678abcdefXYZ"'), at: '"MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQDZ12345678abcdefXYZ"', says: 'what looks like key material' },
  { rule: 'key-material-in-path', text: G('dhparam = "-----BEGIN DH PARAMETERS-----\\nMIIBCAKCAQEA\\n-----END DH PARAMETERS-----"'), line: '13.0', quiet: true },
  { rule: 'key-material-in-path', text: G('dhparam = "-----BEGIN DH PARAMETERS-----\\nMIIBCAKCAQEA\\n-----END DH PARAMETERS-----"'), line: '0.12', at: '"-----BEGIN DH PARAMETERS-----\\nMIIBCAKCAQEA\\n-----END DH PARAMETERS-----"', says: 'PEM text (dh parameters)' },
  { rule: 'key-material-in-path', text: G('dhparam = "-----BEGIN X9.42 DH PARAMETERS-----\\nMIIBCAKCAQEA\\n-----END X9.42 DH PARAMETERS-----"'), line: '13.0', quiet: true },
  { rule: 'key-material-in-path', text: G('dhparam = "-----BEGIN X9.42 DH PARAMETERS-----\\nMIIBCAKCAQEA\\n-----END X9.42 DH PARAMETERS-----"'), line: '0.12', at: '"-----BEGIN X9.42 DH PARAMETERS-----\\nMIIBCAKCAQEA\\n-----END X9.42 DH PARAMETERS-----"', says: 'PEM text (x9.42 dh parameters), not a path: Prosody opens it as a file name' },
  { rule: 'key-material-in-path', text: G('dhparam = "-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBg\\n-----END PRIVATE KEY-----"'), line: '13.0', at: '"-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBg\\n-----END PRIVATE KEY-----"', says: 'uses PEM text here as the parameters themselves, so every DHE handshake fails' },
  { rule: 'key-material-in-path', text: G('dhparam = "\\n-----BEGIN DH PARAMETERS-----\\nMIIBCAKCAQEA\\n-----END DH PARAMETERS-----"'), line: '13.0', at: '"\\n-----BEGIN DH PARAMETERS-----\\nMIIBCAKCAQEA\\n-----END DH PARAMETERS-----"', says: 'Prosody opens it as a file name' },
  { rule: 'key-material-in-path', text: 'certificates = "/etc/prosody/certs"\nVirtualHost "a"\ncertificate = "/etc/ssl/private/ThisIsALongPathWithoutDots2024AndMixedCase/fullchainpemfile"\n', quiet: true },

  // ---- deprecated-option
  { rule: 'deprecated-option', text: 'require_encryption = true\n', at: 'require_encryption', says: '`c2s_require_encryption`', fixed: 'c2s_require_encryption = true\n' },
  { rule: 'deprecated-option', text: 'legacy_ssl_ports = { 5223 }\n', at: 'legacy_ssl_ports', says: '`c2s_direct_tls_ports`', fixed: 'c2s_direct_tls_ports = { 5223 }\n' },
  { rule: 'deprecated-option', text: 'legacy_ssl_ports = { 5223 }\n', line: '0.11', quiet: true },
  // A string key in a table-form section stays a string: a bare name there is a nil index and Prosody cannot load the file.
  { rule: 'deprecated-option', text: 'VirtualHost "x" {\n  ["require_encryption"] = true;\n}\n', at: '"require_encryption"', says: '`c2s_require_encryption`', fixed: 'VirtualHost "x" {\n  ["c2s_require_encryption"] = true;\n}\n' },
  { rule: 'deprecated-option', text: 'legacy_ssl_ports = { 5223 }\nVirtualHost "x" {\n  ["legacy_ssl_ssl"] = { certificate = "a.crt" };\n}\n', at: 'legacy_ssl_ports', says: 'rename `legacy_ssl_ssl`', fixed: 'c2s_direct_tls_ports = { 5223 }\nVirtualHost "x" {\n  ["c2s_direct_tls_ssl"] = { certificate = "a.crt" };\n}\n' },
  // Both names set: two separate listeners in 0.12+ (removing or renaming either would drop a port or move a
  // certificate), so only advice.
  { rule: 'deprecated-option', text: 'c2s_direct_tls_ports = { 5223 }\nlegacy_ssl_ports = { 5223 }\n', at: 'legacy_ssl_ports', says: 'separate listeners in Prosody 0.12+: merge the ports and TLS tables', noFix: true },
  // The same port in both: only c2s_direct_tls binds it (a reviewer's 13.0.1 log: "Multiple services configured to listen
  // on the same port ([*]:27223): c2s_direct_tls, legacy_ssl"); said on the ports line, not for other ports.
  { rule: 'deprecated-option', text: 'c2s_direct_tls_ports = { 5223 }\nlegacy_ssl_ports = { 5223, 5224 }\n', line: '13.0', at: 'legacy_ssl_ports', says: 'Both list port 5223: only `c2s_direct_tls` binds it' },
  { rule: 'deprecated-option', text: 'c2s_direct_tls_ports = { 5223 }\nlegacy_ssl_ports = { 5224 }\n', line: '13.0', at: 'legacy_ssl_ports', says: 'by hand, then remove these.' },
  { rule: 'deprecated-option', text: 'legacy_ssl_ports = { 5223 }\nlegacy_ssl_ssl = { certificate = "L.crt" }\nc2s_direct_tls_ssl = { certificate = "D.crt" }\n', at: 'legacy_ssl_ssl', says: 'merge the ports and TLS tables', noFix: true },
  { rule: 'deprecated-option', text: 'c2s_direct_tls_ports = { 5223 }\nlegacy_ssl_ssl = { certificate = "L.crt" }\n', at: 'legacy_ssl_ssl', says: '`legacy_ssl` has no ports here (it has no default port), so nothing reads this line', fixed: 'c2s_direct_tls_ports = { 5223 }\n' },
  // A dead duplicate would come back into force if the rest were renamed: it goes first.
  { rule: 'deprecated-option', text: 'legacy_ssl_ports = { 5223 }\nlegacy_ssl_ports = { 5224 }\nlegacy_ssl_ssl = { certificate = "L.crt" }\n', at: 'legacy_ssl_ssl', says: 'Remove the overridden duplicate `legacy_ssl_*` lines first', noFix: true },
  { rule: 'deprecated-option', text: 'legacy_ssl_ports = { 5223 }\nlegacy_ssl_ports = { 5224 }\n', at: 'legacy_ssl_ports', says: 'A later `legacy_ssl_ports` in the same section overrides this line', fixed: 'legacy_ssl_ports = { 5224 }\n' },
  { rule: 'deprecated-option', text: 'c2s_direct_tls_ports = { 5223 }\n', quiet: true },
  // The renamed service reads only its new names: renaming the ports alone would leave the old table's certificate behind.
  { rule: 'deprecated-option', text: 'legacy_ssl_ports = { 5223 }\nlegacy_ssl_ssl = { certificate = "a.crt" }\n', at: 'legacy_ssl_ports', says: 'rename `legacy_ssl_ssl` to `c2s_direct_tls_ssl` with it', fixed: 'c2s_direct_tls_ports = { 5223 }\nc2s_direct_tls_ssl = { certificate = "a.crt" }\n' },
  { rule: 'deprecated-option', text: 'legacy_ssl_ports = { 5223 }\nlegacy_ssl_ssl = { certificate = "a.crt" }\n', at: 'legacy_ssl_ssl', says: 'rename `legacy_ssl_ports` to `c2s_direct_tls_ports` with it', fixed: 'c2s_direct_tls_ports = { 5223 }\nc2s_direct_tls_ssl = { certificate = "a.crt" }\n' },
  // A host's own table of the service is renamed with the global ports (it is read per host first, for SNI),
  // and a global table of the new name does not make it redundant.
  { rule: 'deprecated-option', text: 'legacy_ssl_ports = { 5223 }\nVirtualHost "a"\n  legacy_ssl_ssl = { certificate = "b.crt" }\n', at: 'legacy_ssl_ports', says: 'rename `legacy_ssl_ssl` to `c2s_direct_tls_ssl` with it', fixed: 'c2s_direct_tls_ports = { 5223 }\nVirtualHost "a"\n  c2s_direct_tls_ssl = { certificate = "b.crt" }\n' },
  { rule: 'deprecated-option', text: 'legacy_ssl_ports = { 5223 }\nVirtualHost "a"\n  legacy_ssl_ssl = { certificate = "b.crt" }\n', at: 'legacy_ssl_ssl', says: 'rename `legacy_ssl_ports` to `c2s_direct_tls_ports` with it', fixed: 'c2s_direct_tls_ports = { 5223 }\nVirtualHost "a"\n  c2s_direct_tls_ssl = { certificate = "b.crt" }\n' },
  // A line inside an `if` may not run: it neither overrides nor takes the new name.
  // … and a one-line rename could then flip what the condition decides (mod_tls reads the new name first).
  { rule: 'deprecated-option', text: 'require_encryption = false\nif os.getenv("PROD") then require_encryption = true end\n', at: 'require_encryption', says: 'Rename every `require_encryption` line of this section (those inside `if` too) and put them above any line here that sets `c2s_require_encryption`', noFix: true },
  { rule: 'deprecated-option', text: 'if os.getenv("DEV") then c2s_require_encryption = true end\nrequire_encryption = false\n', at: 'require_encryption', says: 'put them above any line here that sets `c2s_require_encryption`', noFix: true },
  // A global new name inside `if` wins over a host's old one only sometimes; renamed, the host line would win always.
  { rule: 'deprecated-option', text: 'require_encryption = false\nif C1 then c2s_require_encryption = false end\nVirtualHost "a.example"\n  require_encryption = true\n', at: 'require_encryption', says: 'or rename it and repeat the global `if … c2s_require_encryption … end` line below it in this host', noFix: true },
  { rule: 'deprecated-option', text: 'require_encryption = false\nif C1 then c2s_require_encryption = false end\nVirtualHost "a.example"\n  require_encryption = true\n', at: 'require_encryption', says: 'and repeat the global `if … c2s_require_encryption … end` line below it in each of them', noFix: true },
  // A global new name is read before a host's own old name: renaming the global line alone would override it.
  { rule: 'deprecated-option', text: 'require_encryption = false\nVirtualHost "a"\n  require_encryption = true\n', at: 'require_encryption', says: "Rename the hosts' own `require_encryption` lines too, above any `c2s_require_encryption` line in those hosts", noFix: true },
  { rule: 'deprecated-option', text: 'require_encryption = false\nif C1 then require_encryption = false end\nVirtualHost "a.example"\n  require_encryption = true\n', at: 'require_encryption', says: "Rename the hosts' own", noFix: true },
  { rule: 'deprecated-option', text: 'require_encryption = false\nVirtualHost "a"\n  c2s_require_encryption = true\n  require_encryption = true\n', at: 'require_encryption', says: 'Write `c2s_require_encryption`', fixed: 'c2s_require_encryption = false\nVirtualHost "a"\n  c2s_require_encryption = true\n  require_encryption = true\n' },
  // A service's lines inside `if`: its old and new names are separate listeners, so all or nothing.
  { rule: 'deprecated-option', text: 'legacy_ssl_ports = { 5223 }\nif DEV then legacy_ssl_ports = { 5224 } end\nlegacy_ssl_ssl = { certificate = "a.crt" }\n', at: 'legacy_ssl_ssl', says: 'Rename every `legacy_ssl_*` line at once', noFix: true },
  { rule: 'deprecated-option', text: 'c2s_require_encryption = true\nif os.getenv("X") then require_encryption = false end\n', at: 'require_encryption', says: 'already set here', fixed: 'c2s_require_encryption = true\nif os.getenv("X") then  end\n' },
  // Under a host the ports do nothing under either name: global-option-in-host says so and names the new name
  // (renaming in place would keep them misplaced). A service's ssl table is read per host (SNI): rename it.
  { rule: 'deprecated-option', text: 'VirtualHost "a"\nlegacy_ssl_ports = { 5223 }\n', quiet: true },
  // `VirtualHost "*"` is the global section (configmanager: "*" is where global options live), not a host.
  // A host's SNI context on multiplex_ssl reads `multiplex_ssl_ssl` (portmanager's add_sni_host goes by the service's
  // name), never `ssl_ssl` (a reviewer's 0.12.3 handshake got the port's certificate).
  { rule: 'global-option-in-host', text: 'ssl_ports = { 5290 }\nVirtualHost "c.example"\n  ssl_ssl = { certificate = "c.crt" }\n', line: '0.12', at: 'ssl_ssl', says: 'Prosody reads `multiplex_ssl_ssl` here instead', fixed: 'ssl_ports = { 5290 }\nVirtualHost "c.example"\n  multiplex_ssl_ssl = { certificate = "c.crt" }\n' },
  { rule: 'check-says-misplaced', text: 'ssl_ports = { 5290 }\nVirtualHost "c.example"\n  ssl_ssl = { certificate = "c.crt" }\n', line: '13.0', quiet: true },
  { rule: 'global-option-in-host', text: 'ssl_ports = { 5290 }\nVirtualHost "c.example"\n  ssl_ssl = { certificate = "c.crt" }\n', line: '0.11', at: 'ssl_ssl', says: 'Move it above the first VirtualHost' },
  // mod_s2s is global on 0.11 too and reads s2s_require_encryption once (0.11.9 mod_s2s.lua:9, 39; a reviewer); 0.11's
  // prosodyctl check says nothing, so this rule says it there, check-says-misplaced from 0.12.
  { rule: 'global-option-in-host', text: 'VirtualHost "a.example"\n  s2s_require_encryption = true\n', line: '0.11', at: 's2s_require_encryption', says: 'decided by mod_s2s from the global value alone' },
  { rule: 'global-option-in-host', text: 'VirtualHost "a.example"\n  s2s_require_encryption = true\n', line: '0.12', quiet: true },
  { rule: 'global-option-in-host', text: 'VirtualHost "localhost"\n  ssl = { certificate = "/x.pem", key = "/x.key" }\nVirtualHost "*"\n  tls_profile = "modern"\n  s2s_secure_auth = true\n', line: '0.12', quiet: true },
  { rule: 'global-option-in-host', text: 'VirtualHost "localhost"\nHost "*" { s2s_secure_auth = true }\n', line: '0.12', quiet: true },
  { rule: 'unsafe-protocol', text: 'tls_profile = "legacy"\nVirtualHost "a.example"\nVirtualHost "*"\n  c2s_ssl = { protocol = "tlsv1+" }\nVirtualHost "b.example"\n', line: '0.12', at: '"tlsv1+"', says: 'allows TLS 1.0 and TLS 1.1' },
  { rule: 'global-option-in-host', text: 'VirtualHost "a"\nlegacy_ssl_ports = { 5223 }\n', at: 'legacy_ssl_ports', says: 'Move it above the first VirtualHost, as `c2s_direct_tls_ports` (its new name).', noFix: true },
  { rule: 'global-option-in-host', text: 'c2s_direct_tls_ports = { 5223 }\nVirtualHost "a"\nlegacy_ssl_ports = { 5223 }\n', at: 'legacy_ssl_ports', says: '`c2s_direct_tls_ports`, its new name, is already set there, so remove this line.', fixed: 'c2s_direct_tls_ports = { 5223 }\nVirtualHost "a"\n' },
  { rule: 'deprecated-option', text: 'VirtualHost "a"\nlegacy_ssl_ssl = { certificate = "a.crt" }\n', at: 'legacy_ssl_ssl', says: 'Write `c2s_direct_tls_ssl`.', fixed: 'VirtualHost "a"\nc2s_direct_tls_ssl = { certificate = "a.crt" }\n' },
  // Renaming would change what Prosody reads: a later line of the old name overrides this one, or the global new
  // name wins over a host's old one (`false` would then switch off encryption the config requires).
  { rule: 'deprecated-option', text: 'require_encryption = false\nrequire_encryption = true\n', at: 'require_encryption', says: 'A later `require_encryption` in the same section overrides this line', fixed: 'require_encryption = true\n' },
  { rule: 'deprecated-option', text: 'c2s_require_encryption = true\nVirtualHost "a"\nrequire_encryption = false\n', at: 'require_encryption', says: 'already set globally, which Prosody reads before this line', fixed: 'c2s_require_encryption = true\nVirtualHost "a"\n' },
  // 0.10 reads `c2s_require_encryption or require_encryption`: a false new name does not take the old line's place.
  { rule: 'deprecated-option', text: 'c2s_require_encryption = false\nrequire_encryption = true\n', line: '0.10', at: 'require_encryption', says: 'mod_tls takes `c2s_require_encryption or require_encryption`', noFix: true },
  { rule: 'deprecated-option', text: 'require_encryption = true\nc2s_require_encryption = false\n', line: '0.10', at: 'require_encryption', says: 'decide on one value', noFix: true },
  // mod_saslauth takes a global new name before a host's old one: a rename would switch the host's logins.
  { rule: 'deprecated-option', text: 'c2s_require_encryption = false\nVirtualHost "a"\nrequire_encryption = true\n', line: '0.10', at: 'require_encryption', says: 'decide on one value per host', noFix: true },
  // A host's false old line under a global true one: renamed, it would fall through to the global line in mod_tls.
  { rule: 'deprecated-option', text: 'require_encryption = true\nVirtualHost "a"\nrequire_encryption = false\n', line: '0.10', at: 'require_encryption', says: 'decide on one value per host', noFix: true },
  { rule: 'deprecated-option', text: 'require_encryption = true\n', line: '0.10', at: 'require_encryption', says: '`c2s_require_encryption`', fixed: 'c2s_require_encryption = true\n' },
  // A new name that is true only when an `if` holds is not true for sure: `false or true` keeps TLS required otherwise.
  { rule: 'deprecated-option', text: 'c2s_require_encryption = false\nif ENV_D then c2s_require_encryption = true end\nrequire_encryption = true\n', line: '0.10', at: 'require_encryption', says: 'decide on one value per host', noFix: true },
  { rule: 'deprecated-option', text: 'c2s_require_encryption = false\nif ENV_D then c2s_require_encryption = true end\nVirtualHost "a.example"\nrequire_encryption = true\n', line: '0.10', at: 'require_encryption', says: 'decide on one value per host', noFix: true },
  { rule: 'deprecated-option', text: 'c2s_require_encryption = true\nrequire_encryption = false\n', line: '0.10', at: 'require_encryption', says: 'already set here', fixed: 'c2s_require_encryption = true\n' },
  // A host whose new name is false reads through to the global old line: renaming that line would switch it off there.
  { rule: 'deprecated-option', text: 'require_encryption = true\nVirtualHost "example.com"\n  c2s_require_encryption = false\n', line: '0.10', at: 'require_encryption', says: 'decide on one value per host', noFix: true },
  { rule: 'deprecated-option', text: 'c2s_require_encryption = true\nrequire_encryption = true\nVirtualHost "example.com"\n  c2s_require_encryption = false\n', line: '0.10', at: 'require_encryption', says: 'decide on one value per host', noFix: true },
  { rule: 'deprecated-option', text: 'require_encryption = true\nVirtualHost "example.com"\n  c2s_require_encryption = false\n', line: '0.11', at: 'require_encryption', says: '`c2s_require_encryption`', fixed: 'c2s_require_encryption = true\nVirtualHost "example.com"\n  c2s_require_encryption = false\n' },

  // ---- option-too-new
  // ---- function-too-new: 13.0's config functions are calls to nil before it (Debian 0.12.3's prosodyctl: "attempt to call a nil value")
  { rule: 'function-too-new', text: G('key = "a.key", password = FileLine("/etc/prosody/pw")'), line: '0.12', at: 'FileLine', says: 'for a key\'s passphrase use a key without one' },
  { rule: 'function-too-new', text: 'local pw = Credential "tls"\n' + H('key = "a.key", password = pw'), line: '0.11', at: 'Credential', says: 'Prosody 0.11 has no such function' },
  // A file key takes a path (a reviewer: "write the value" meant a literal PEM dhparam, an Error before 13.0).
  { rule: 'function-too-new', text: G('dhparam = FileContents("/etc/prosody/dh-2048.pem")'), line: '0.12', at: 'FileContents', says: 'Give `dhparam` the file\'s path instead (`dhparam = "/path/to/file"`)' },
  { rule: 'function-too-new', text: 'VirtualHost "a.example"\nVirtualHost "b.example"\n\tadmins = FileLines("/etc/prosody/admins")\n', line: '0.10', at: 'FileLines', says: 'Write the list in the config instead' },
  // ---- password-file-newline: FileContents()/Credential() keep the final line break (a reviewer's 13.0.1 run: "bad decrypt").
  { rule: 'password-file-newline', text: G('key = "a.key", password = FileContents("pass.txt")'), line: '13.0', at: 'FileContents', says: 'Use `FileLine(…)`', fixed: G('key = "a.key", password = FileLine("pass.txt")') },
  { rule: 'password-file-newline', text: H('key = "a.key", password = Credential "tls-pass"'), line: '13.0', at: 'Credential', says: 'Store the credential without a final line break' },
  { rule: 'password-file-newline', text: G('key = "a.key", password = FileLine("pass.txt")'), line: '13.0', quiet: true },
  { rule: 'password-file-newline', text: G('key = "a.key", password = FileContents("pass.txt")'), line: '0.12', quiet: true },
  { rule: 'password-file-newline', text: G('key = "a.key", password = FileContents("pass.txt"):gsub("\\n$", "")'), line: '13.0', quiet: true },

  // ---- option-read-back: 13.0's loader reads an option back as a proxy (a reviewer's 13.0.1 run: mod_c2s failed
  // with "Unknown config option operation: '127.0.0.1'").
  { rule: 'option-read-back', text: 'ssl = { certificate = "a.crt", key = "a.key" }\nc2s_direct_tls_ports = { 5223 }\nc2s_direct_tls_ssl = ssl\n', line: '13.0', at: 'ssl', says: 'it stops with "Unknown config option operation"' },
  { rule: 'option-read-back', text: 'base_tls = { protocol = "tlsv1_2+" }\nVirtualHost "a.example"\n  base_tls = { protocol = "tlsv1_3+" }\n  ssl = base_tls\n', line: '13.0', at: 'base_tls', says: '`ssl` gets none of `base_tls`\'s keys. Write the table' },
  { rule: 'option-read-back', text: 'ssl = { certificate = "a.crt", key = "a.key" }\nc2s_direct_tls_ssl = ssl\n', line: '0.12', quiet: true },
  { rule: 'option-read-back', text: 'local ssl_base = { certificate = "a.crt", key = "a.key" }\nssl = ssl_base\nc2s_direct_tls_ssl = ssl_base\n', line: '13.0', quiet: true },
  { rule: 'option-read-back', text: 'ssl = { certificate = "a.crt" }\nc2s_direct_tls_ssl = ssl\nlocal ssl = 1\n', line: '13.0', at: 'ssl', says: 'Write the table to a `local`' },
  { rule: 'option-read-back', text: 'local ssl = { certificate = "a.crt" }\nc2s_direct_tls_ssl = ssl\n', line: '13.0', quiet: true },
  { rule: 'option-read-back', text: 'ssl = { certificate = "a.crt", key = "a.key" }\nc2s_ssl = ssl\n', line: '13.0', quiet: true },
  // A host does not see the global value (rawget): the name reads nil there.
  { rule: 'option-read-back', text: 'ssl = { certificate = "a.crt", key = "a.key" }\nVirtualHost "a.example"\n  https_ssl = ssl\n', line: '13.0', quiet: true },
  { rule: 'option-read-back', text: 'c2s_direct_tls_ssl = ssl\nssl = { certificate = "a.crt", key = "a.key" }\n', line: '13.0', quiet: true },
  { rule: 'option-read-back', text: 'if x then tls = { key = "k" } end\nhttps_ssl = tls\n', line: '13.0', quiet: true },
  { rule: 'option-read-back', text: 's2s_direct_tls_ssl = { key = "k" }\nlegacy_ssl_ssl = s2s_direct_tls_ssl\n', line: '13.0', quiet: true },

  // 13.0's loader answers `Lua` with Lua's globals; 0.12.3 stops: "attempt to index a nil value (global 'Lua')" (a reviewer).
  { rule: 'function-too-new', text: 'admins = { Lua.os.getenv("ADMIN") }\n', line: '0.12', at: 'Lua', says: 'Leave out `Lua.`', fixed: 'admins = { os.getenv("ADMIN") }\n', fixTitle: 'Remove the Lua. prefix' },
  { rule: 'function-too-new', text: 'admins = { Lua.os.getenv("ADMIN") }\n', line: '13.0', quiet: true },
  // Quoted as the Lua the line runs on words it: 5.4 on Debian 12's 0.12.3 (checked), 5.2 on 0.11.9 (a reviewer's run).
  { rule: 'function-too-new', text: 'admins = { Lua.os.getenv("ADMIN") }\n', line: '0.12', at: 'Lua', says: '("attempt to index a nil value (global \'Lua\')")' },
  { rule: 'function-too-new', text: 'admins = { Lua.os.getenv("ADMIN") }\n', line: '0.11', at: 'Lua', says: '("attempt to index global \'Lua\' (a nil value)")' },
  { rule: 'function-too-new', text: G('password = FileLine("/etc/prosody/pw")'), line: '0.12', at: 'FileLine', says: '("attempt to call a nil value (global \'FileLine\')")' },
  { rule: 'function-too-new', text: G('password = FileLine("/etc/prosody/pw")'), line: '0.11', at: 'FileLine', says: '("attempt to call global \'FileLine\' (a nil value)")' },
  { rule: 'function-too-new', text: '-- Lua config file\nlocal Lua = _G\nadmins = { Lua.os.getenv("ADMIN") }\n', line: '0.12', quiet: true },
  { rule: 'function-too-new', text: 'Lua = nil\n', line: '0.12', quiet: true },
  { rule: 'function-too-new', text: G('key = "a.key", password = FileLine("/etc/prosody/pw")'), line: '13.0', quiet: true },
  { rule: 'function-too-new', text: 'local function FileLine(p) return io.open(p):read() end\n' + G('key = "a.key", password = FileLine("/etc/prosody/pw")'), line: '0.12', quiet: true },
  // Above its `local`, the name is the loader's (a reviewer's lua5.4 run: "attempt to call global 'FileLine' (a nil value)").
  { rule: 'function-too-new', text: G('key = "a.key", password = FileLine("/etc/prosody/pw")') + 'local FileLine = 1\n', line: '0.12', at: 'FileLine', says: 'does not start' },
  // A local in a section above is still the file's own (Lua scopes it over the rest of the file); a tested name is guarded.
  { rule: 'function-too-new', text: 'local function FileLine(p) return "x" end\nVirtualHost "a.example"\n  ssl = { key = "k", password = FileLine("/etc/pw") }\nVirtualHost "b.example"\n  component_secret = FileLine "/etc/sec"\n', line: '0.12', quiet: true },
  { rule: 'function-too-new', text: G('key = "k", password = FileLine and FileLine("/tmp/pw") or "inline"') + 'VirtualHost "a.example"\nif Credential then component_secret = Credential("sec") end\n', line: '0.12', quiet: true },
  { rule: 'function-too-new', text: '-- password = FileLine("/etc/prosody/pw")\n' + G('key = "a.key", password = "FileLine(x)", p = util.FileContents("x")'), line: '0.12', quiet: true },
  // ---- certbot-archive-path: the numbered archive copy stays after a renewal (corpus 011)
  { rule: 'certbot-archive-path', text: G('certificate = "/etc/letsencrypt/archive/im.example/fullchain1.pem", key = "/etc/letsencrypt/archive/im.example/privkey1.pem"'), at: '"/etc/letsencrypt/archive/im.example/fullchain1.pem"', says: 'Use `/etc/letsencrypt/live/im.example/fullchain.pem`', fixed: G('certificate = "/etc/letsencrypt/live/im.example/fullchain.pem", key = "/etc/letsencrypt/archive/im.example/privkey1.pem"') },
  { rule: 'certbot-archive-path', text: 'VirtualHost "a.example"\n  https_certificate = "/etc/letsencrypt/archive/a.example/cert3.pem"\n', at: '"/etc/letsencrypt/archive/a.example/cert3.pem"', says: 'a renewal writes `cert4.pem`' },
  { rule: 'certbot-archive-path', text: G('certificate = "/etc/letsencrypt/live/im.example/fullchain.pem", key = "/srv/archive/privkey1.pem"'), quiet: true },
  // An archived cert.pem is moved to the full chain's link, not to live/cert.pem (which has no intermediate).
  { rule: 'certbot-archive-path', text: G('certificate = "/etc/letsencrypt/archive/im.example/cert2.pem"'), at: '"/etc/letsencrypt/archive/im.example/cert2.pem"', says: 'which `cert.pem` leaves out', fixed: G('certificate = "/etc/letsencrypt/live/im.example/fullchain.pem"') },
  // ---- certbot-cert-without-chain (review 141: "unable to verify the first certificate" against a real 0.12.3)
  { rule: 'certbot-cert-without-chain', text: G('certificate = "/etc/letsencrypt/live/im.example/cert.pem", key = "/etc/letsencrypt/live/im.example/privkey.pem"'), at: '"/etc/letsencrypt/live/im.example/cert.pem"', says: 'Use `/etc/letsencrypt/live/im.example/fullchain.pem`', fixed: G('certificate = "/etc/letsencrypt/live/im.example/fullchain.pem", key = "/etc/letsencrypt/live/im.example/privkey.pem"') },
  { rule: 'certbot-cert-without-chain', text: 'https_certificate = "/etc/letsencrypt/live/a.example/cert.pem"\n', at: '"/etc/letsencrypt/live/a.example/cert.pem"', says: 'without the intermediate certificate' },
  { rule: 'certbot-cert-without-chain', text: G('certificate = "/etc/letsencrypt/live/im.example/fullchain.pem", cafile = "/etc/letsencrypt/live/im.example/chain.pem"'), quiet: true },
  { rule: 'certbot-cert-without-chain', text: G('certificate = "/srv/tls/cert.pem"'), quiet: true },
  // A cafile beside it gives OpenSSL the intermediate to send (review 142: real servers sent the chain, verify code 0).
  { rule: 'certbot-cert-without-chain', text: G('certificate = "/etc/letsencrypt/live/im.example/cert.pem", key = "/etc/letsencrypt/live/im.example/privkey.pem", cafile = "/etc/letsencrypt/live/im.example/chain.pem"'), quiet: true },
  // ---- ports-not-read: portmanager reads <service>_ports only, and c2s_ssl is a table, not a service (corpus 041)
  { rule: 'ports-not-read', text: 'c2s_ssl_ports = { 5223 }\nc2s_ssl_interfaces = { "*" }\n', line: '0.12', at: 'c2s_ssl_ports', says: 'rename it to `c2s_direct_tls_ports`', fixed: 'c2s_direct_tls_ports = { 5223 }\nc2s_ssl_interfaces = { "*" }\n', fixTitle: 'Rename to c2s_direct_tls_ports' },
  { rule: 'ports-not-read', text: 'c2s_ssl_ports = { 5223 }\n', line: '0.11', at: 'c2s_ssl_ports', says: 'rename it to `legacy_ssl_ports`' },
  { rule: 'ports-not-read', text: 's2s_ssl_ports = { 5270 }\n', line: '0.11', at: 's2s_ssl_ports', says: 'Prosody 0.11 has no direct-TLS s2s service; remove it', fixed: '' },
  { rule: 'ports-not-read', text: 'c2s_direct_tls_port = 5223\n', line: '0.12', at: 'c2s_direct_tls_port', says: 'it has no default port, so it listens nowhere. Rename it to `c2s_direct_tls_ports`', fixed: 'c2s_direct_tls_ports = 5223\n' },
  { rule: 'ports-not-read', text: 'https_port = 443\nhttps_ports = { 5281 }\n', line: '0.12', at: 'https_port', says: 'this line does nothing. `https_ports` is set too, and is the one Prosody reads: remove this line.', fixed: 'https_ports = { 5281 }\n' },
  // https is TLS from the first byte itself; an old name gets today's; port options count only globally (reviewers).
  { rule: 'ports-not-read', text: 'https_ssl_ports = { 443 }\n', line: '0.12', at: 'https_ssl_ports', says: 'rename it to `https_ports`', fixed: 'https_ports = { 443 }\n', fixTitle: 'Rename to https_ports' },
  { rule: 'ports-not-read', text: 'legacy_ssl_port = 5223\n', line: '0.12', at: 'legacy_ssl_port', says: 'Rename it to `c2s_direct_tls_ports`', fixed: 'c2s_direct_tls_ports = 5223\n' },
  { rule: 'ports-not-read', text: 'legacy_ssl_port = 5223\n', line: '0.11', at: 'legacy_ssl_port', says: 'Rename it to `legacy_ssl_ports`', fixed: 'legacy_ssl_ports = 5223\n' },
  { rule: 'ports-not-read', text: 'VirtualHost "example.org"\n    c2s_direct_tls_port = 5223\n', line: '0.12', at: 'c2s_direct_tls_port', says: 'write `c2s_direct_tls_ports` above the first VirtualHost', noFix: true },
  { rule: 'ports-not-read', text: 'c2s_direct_tls_port = 5223\nVirtualHost "example.org"\n    c2s_direct_tls_ports = { 5223 }\n', line: '0.12', at: 'c2s_direct_tls_port', says: 'Rename it to `c2s_direct_tls_ports`' },
  { rule: 'ports-not-read', text: 'c2s_port = 5222\nproxy65_port = 5000\nlegacy_ssl_ports = { 5223 }\nc2s_direct_tls_ports = { 5223 }\n', line: '0.12', quiet: true },
  { rule: 'option-too-new', text: 'tls_profile = "modern"\n', line: '0.11', at: 'tls_profile', says: 'Choose `protocol` and `ciphers` in the global `ssl` table' },
  { rule: 'option-too-new', text: 'tls_server_end_point_hash = "auto"\n', line: '0.12', at: 'tls_server_end_point_hash', says: 'it came in Prosody 13.0.0, and nothing in Prosody 0.12 reads it. Earlier releases offer no `tls-server-end-point` channel binding: remove it.' },
  { rule: 'option-too-new', text: 'tls_server_end_point_hash = "auto"\n', line: '13.0', quiet: true },
  { rule: 'option-too-new', text: 'tls_profile = "modern"\n', line: '0.11', at: 'tls_profile', says: '`prosodyVersion` in a `.prosody-ssl.json` or the editor\'s settings, or the CLI\'s `--prosody-version`' },
  // With a version comment in the file, the comment is what to change (it beats every setting).
  { rule: 'option-too-new', text: '-- prosody-ssl: version=0.11\ntls_profile = "modern"\n', line: '13.0', at: 'tls_profile', says: 'change the `-- prosody-ssl: version=` comment at the top of this file' },
  { rule: 'option-too-new', text: 'VirtualHost "a"\ntls_profile = "modern"\n', line: '0.10', at: 'tls_profile', says: 'it came in Prosody 0.12.0' },
  { rule: 'option-too-new', text: 'tls_profile = "modern"\n', line: '0.12', quiet: true },
  { rule: 'option-too-new', text: 'VirtualHost "a"\nc2s_ssl = { protocol = "sslv23" }\n', line: '0.9', at: 'c2s_ssl', says: 'put these keys in the `ssl` table' },
  { rule: 'option-too-new', text: 'VirtualHost "a"\nc2s_ssl = { protocol = "tlsv1_2+" }\n', line: '0.10', quiet: true },
  { rule: 'option-too-new', text: 'certificates = "certs"\n', line: '0.9', at: 'certificates', says: 'name the files with `certificate` and `key`' },
  { rule: 'option-too-new', text: 'c2s_direct_tls_ports = { 5223 }\n', line: '0.11', at: 'c2s_direct_tls_ports', says: 'write `legacy_ssl_ports` instead', fixed: 'legacy_ssl_ports = { 5223 }\n' },
  // `= nil` sets nothing: not "already set"; a later one would unset the renamed line.
  { rule: 'option-too-new', text: 'legacy_ssl_ports = nil\nc2s_direct_tls_ports = { 5223 }\n', line: '0.11', at: 'c2s_direct_tls_ports', says: 'write `legacy_ssl_ports` instead', fixed: 'legacy_ssl_ports = nil\nlegacy_ssl_ports = { 5223 }\n' },
  { rule: 'option-too-new', text: 'c2s_direct_tls_ports = { 5223 }\nlegacy_ssl_ports = nil\n', line: '0.11', at: 'c2s_direct_tls_ports', says: 'remove the later `legacy_ssl_ports = nil`', noFix: true },
  { rule: 'deprecated-option', text: 'c2s_direct_tls_ports = nil\nlegacy_ssl_ports = { 5223 }\n', at: 'legacy_ssl_ports', says: 'Write `c2s_direct_tls_ports`', fixed: 'c2s_direct_tls_ports = nil\nc2s_direct_tls_ports = { 5223 }\n' },
  { rule: 'deprecated-option', text: 'legacy_ssl_ports = { 5223 }\nc2s_direct_tls_ports = nil\n', at: 'legacy_ssl_ports', says: 'remove the later `c2s_direct_tls_ports = nil`', noFix: true },
  // One line of the service cannot be renamed yet: none is, or the port would be split from its TLS table.
  { rule: 'deprecated-option', text: 'legacy_ssl_ports = { 5223 }\nlegacy_ssl_ssl = { certificate = "a.crt", key = "a.key" }\nc2s_direct_tls_ssl = nil\n', at: 'legacy_ssl_ports', says: 'Rename the `legacy_ssl_*` lines together', noFix: true },
  { rule: 'option-too-new', text: 'VirtualHost "a"\nc2s_direct_tls_ssl = { certificate = "a.crt" }\n', line: '0.11', at: 'c2s_direct_tls_ssl', says: 'write `legacy_ssl_ssl` in the global section instead' },
  { rule: 'option-too-new', text: 's2s_direct_tls_ports = { 5270 }\n', line: '0.11', at: 's2s_direct_tls_ports', says: 'Remove it: servers connecting to this one start TLS on the s2s port.', fixed: '' },
  { rule: 'option-too-new', text: 'admins = {}\ns2s_direct_tls_ssl = { certificate = "a.crt" }\n', line: '0.10', at: 's2s_direct_tls_ssl', says: 'Remove it', fixed: 'admins = {}\n' },
  // A certificate goes into the older service's ssl table (0.10.0's certmanager cannot find legacy_ssl by name).
  { rule: 'option-too-new', text: 'c2s_direct_tls_certificate = "certs/a.crt"\n', line: '0.9', at: 'c2s_direct_tls_certificate', says: 'in a global `legacy_ssl_ssl` table instead', noFix: true },
  { rule: 'option-too-new', text: 'c2s_direct_tls_certificate = "certs/a.crt"\n', line: '0.10', at: 'c2s_direct_tls_certificate', says: 'in a global `legacy_ssl_ssl` table instead', noFix: true },
  { rule: 'option-too-new', text: 'legacy_ssl_ports = { 5223 }\nc2s_direct_tls_ports = { 5223 }\n', line: '0.11', at: 'c2s_direct_tls_ports', says: '`legacy_ssl_ports`, which Prosody 0.11 reads instead, is already set, so remove this line', fixed: 'legacy_ssl_ports = { 5223 }\n' },
  // "legacy" asks for no preset, which is what older lines do: nothing fails to happen.
  { rule: 'option-too-new', text: 'tls_profile = "legacy"\n', line: '0.11', quiet: true },
  { rule: 'option-too-new', text: 'tls_profile = "legacyy"\n', line: '0.11', at: 'tls_profile', says: 'it came in Prosody 0.12.0' },
  { rule: 'option-too-new', text: 'c2s_direct_tls_ports = { 5223 }\n', line: '0.12', quiet: true },
  // No advice without certainty: community modules read some names on older lines (mod_websocket on 0.9).
  { rule: 'option-too-new', text: 'use_dane = true\nconsider_websocket_secure = true\n', line: '0.9', quiet: true },
  { rule: 'option-too-new', text: 'https_certificate = "certs/a.crt"\n', line: '0.9', quiet: true },

  // ---- global-option-in-host / check-says-misplaced
  { rule: 'global-option-in-host', text: 'VirtualHost "a"\ntls_profile = "modern"\n', at: 'tls_profile', says: 'Move it above the first VirtualHost' },
  { rule: 'global-option-in-host', text: 'VirtualHost "a"\nssl_compression = false\n', at: 'ssl_compression', says: 'Move it' },
  { rule: 'global-option-in-host', text: 'VirtualHost "a"\nhttps_ssl = { certificate = "a.crt" }\n', line: '0.11', at: 'https_ssl', says: 'before Prosody 0.12' },
  { rule: 'global-option-in-host', text: 'VirtualHost "a"\nhttps_ssl = { certificate = "a.crt" }\n', line: '0.12', quiet: true },
  // A service or option the line does not have: moving it would not help (option-too-new says what would).
  { rule: 'global-option-in-host', text: 'VirtualHost "a"\nc2s_direct_tls_ssl = { certificate = "a.crt" }\n', line: '0.11', quiet: true },
  { rule: 'global-option-in-host', text: 'VirtualHost "a"\ntls_profile = "modern"\n', line: '0.11', quiet: true },
  // mod_tls reads require_encryption per host (module:get_option): not misplaced there, on any line.
  { rule: 'global-option-in-host', text: 'VirtualHost "a"\nrequire_encryption = true\n', line: '0.9', quiet: true },
  // Not deprecated yet on 0.11 (deprecated-option is quiet there): a host's legacy_ssl_ports is just misplaced.
  { rule: 'global-option-in-host', text: 'VirtualHost "a"\nlegacy_ssl_ports = { 5223 }\n', line: '0.11', at: 'legacy_ssl_ports', says: 'Move it above the first VirtualHost' },
  // Too new for the line: moving it would not help, so it is not called misplaced.
  { rule: 'global-option-in-host', text: 'VirtualHost "a"\nuse_dane = true\n', line: '0.11', quiet: true },
  { rule: 'global-option-in-host', text: 'tls_profile = "modern"\nVirtualHost "a"\nssl = {}\n', quiet: true },
  { rule: 'check-says-misplaced', text: 'VirtualHost "a"\nhttps_ssl = { certificate = "a.crt" }\n', at: 'https_ssl', says: 'Keep it here if it gives this host its own certificate or ciphers on that service' },
  // mod_s2s reads the s2s certificate policy once, globally; under a host only mod_tls reads s2s_secure_auth.
  { rule: 'global-option-in-host', text: 'VirtualHost "a"\ns2s_secure_auth = true\n', at: 's2s_secure_auth', says: 'changes something only where `s2s_require_encryption = false` is in force for that host (set there or globally)' },
  { rule: 'global-option-in-host', text: 'VirtualHost "a"\ns2s_insecure_domains = { "b.example" }\n', at: 's2s_insecure_domains', says: 'has no effect' },
  { rule: 'check-says-misplaced', text: 'VirtualHost "a"\ns2s_secure_auth = true\n', quiet: true },
  // ---- sni-setting-ignored: a host's SNI context takes these from the port (a reviewer's 0.12.3 runs with openssl s_client).
  { rule: 'sni-setting-ignored', text: 'c2s_direct_tls_ports = { 5223 }\nVirtualHost "a.example"\n  c2s_direct_tls_ssl = { certificate = "a.crt", protocol = "tlsv1_3" }\n', line: '0.12', at: 'protocol', says: 'Set it there to change it for every host on those ports', fixed: 'c2s_direct_tls_ports = { 5223 }\nVirtualHost "a.example"\n  c2s_direct_tls_ssl = { certificate = "a.crt" }\n' },
  { rule: 'sni-setting-ignored', text: 'VirtualHost "a.example"\n  https_ssl = { curveslist = { "X25519" } }\n', line: '13.0', at: 'curveslist', says: 'the global `https_ssl` over the global `ssl`' },
  { rule: 'sni-setting-ignored', text: 'Component "c.example"\n  https_ssl = { options = { "no_ticket" } }\n', line: '0.12', at: 'options', says: 'Component "c.example"' },
  // What a host's context does use, a port's own table, and lines without SNI per host.
  { rule: 'sni-setting-ignored', text: 'c2s_direct_tls_ports = { 5223 }\nVirtualHost "a.example"\n  c2s_direct_tls_ssl = { certificate = "a.crt", key = "a.key", ciphers = "HIGH:!aNULL" }\n', line: '0.12', quiet: true },
  { rule: 'sni-setting-ignored', text: 'c2s_direct_tls_ports = { 5223 }\nc2s_direct_tls_ssl = { protocol = "tlsv1_3" }\nVirtualHost "a.example"\n  ssl = { protocol = "tlsv1_3" }\n  c2s_ssl = { options = { "no_ticket" } }\n', line: '13.0', quiet: true },
  { rule: 'sni-setting-ignored', text: 'VirtualHost "a.example"\n  https_ssl = { protocol = "tlsv1_3" }\n', line: '0.11', quiet: true },
  // The rules that judge what such a key does stay quiet there: it does nothing.
  { rule: 'unsafe-protocol', text: 'c2s_direct_tls_ports = { 5223 }\nVirtualHost "a.example"\n  c2s_direct_tls_ssl = { protocol = "tlsv1+" }\n', line: '0.12', quiet: true },
  { rule: 'protocol-pins-tls12', text: 'VirtualHost "a.example"\n  https_ssl = { protocol = "tlsv1_2" }\n', line: '13.0', quiet: true },
  { rule: 'unsafe-option', text: 'c2s_direct_tls_ports = { 5223 }\nVirtualHost "a.example"\n  c2s_direct_tls_ssl = { options = { "allow_unsafe_legacy_renegotiation" } }\n', line: '0.12', quiet: true },
  { rule: 'curve-ignored', text: 'c2s_direct_tls_ports = { 5223 }\nVirtualHost "a.example"\n  c2s_direct_tls_ssl = { curve = "secp384r1" }\n', line: '0.12', quiet: true },
  // Nor do its verify and depth (SSL_set_SSL_CTX leaves the verify mode and parameters of the port's context).
  { rule: 'sni-setting-ignored', text: 'c2s_direct_tls_ports = { 5223 }\nVirtualHost "a.example"\n  c2s_direct_tls_ssl = { verify = { "peer", "fail_if_no_peer_cert" }, depth = 3 }\n', line: '0.12', at: 'verify', says: 'OpenSSL keeps the `verify` of the port\'s context' },
  { rule: 'sni-setting-ignored', text: 'c2s_direct_tls_ports = { 5223 }\nVirtualHost "a.example"\n  c2s_direct_tls_ssl = { depth = 3 }\n', line: '0.12', at: 'depth', says: 'OpenSSL keeps the `depth` of the port\'s context' },
  { rule: 'sni-setting-ignored', text: 'c2s_direct_tls_ports = { 5223 }\nVirtualHost "a.example"\n  c2s_direct_tls_ssl = { cafile = "ca.pem", dhparam = "dh.pem", verifyext = { "lsec_continue" } }\n', line: '0.12', quiet: true },
  { rule: 'verify-requires-peer-cert', text: 'c2s_direct_tls_ports = { 5223 }\nVirtualHost "a.example"\n  c2s_direct_tls_ssl = { verify = { "peer", "fail_if_no_peer_cert" } }\n', line: '0.12', quiet: true },
  { rule: 'verify-none-s2s', text: 's2s_direct_tls_ports = { 5270 }\nVirtualHost "a.example"\n  s2s_direct_tls_ssl = { verify = "none" }\n', line: '13.0', quiet: true },
  { rule: 'verify-none-s2s', text: 's2s_direct_tls_ports = { 5270 }\ns2s_direct_tls_ssl = { verify = "none" }\n', line: '13.0', at: '"none"', says: 'sits above that service\'s own' },
  // 13.0 gives the host's context only the host's certificate and key (set_sni_host; a reviewer's 13.0.1 run).
  { rule: 'sni-setting-ignored', text: 'c2s_direct_tls_ports = { 5223 }\nVirtualHost "a.example"\n  c2s_direct_tls_ssl = { certificate = "a.crt", key = "a.key", ciphers = "HIGH:RC4:!aNULL", cafile = "ca.pem" }\n', line: '13.0', at: 'ciphers', says: 'Prosody 13.0 gives this host\'s context only this table\'s certificate and key' },
  { rule: 'sni-setting-ignored', text: 'c2s_direct_tls_ports = { 5223 }\nVirtualHost "a.example"\n  c2s_direct_tls_ssl = { cafile = "ca.pem" }\n', line: '13.0', at: 'cafile', says: 'everything else comes from the port\'s context' },
  { rule: 'cipher-static-rsa', text: 'c2s_direct_tls_ports = { 5223 }\nVirtualHost "a.example"\n  c2s_direct_tls_ssl = { ciphers = "HIGH:!aNULL" }\n', line: '13.0', quiet: true },
  { rule: 'cipher-static-rsa', text: 'c2s_direct_tls_ports = { 5223 }\nVirtualHost "a.example"\n  c2s_direct_tls_ssl = { ciphers = "HIGH:!aNULL" }\n', line: '0.12', at: '"HIGH:!aNULL"', says: ':!kRSA' },
  // A host's SNI context that cannot be built costs that host its certificate, not TLS (a reviewer's 0.12.3 run).
  { rule: 'cipher-selects-nothing', text: 'c2s_direct_tls_ports = { 5223 }\nVirtualHost "a.example"\n  c2s_direct_tls_ssl = { ciphers = "RC4" }\n', line: '0.12', at: '"RC4"', says: 'clients that name this host are refused (alert unrecognized_name)' },
  { rule: 'cipher-selects-nothing', text: 'c2s_direct_tls_ports = { 5223 }\nc2s_direct_tls_ssl = { ciphers = "RC4" }\n', line: '0.12', at: '"RC4"', says: 'and TLS does not work' },
  { rule: 'cipher-selects-nothing', text: 'c2s_direct_tls_ports = { 5223 }\nVirtualHost "a.example"\n  c2s_direct_tls_ssl = { ciphers = "RC4" }\n', line: '0.12', at: '"RC4"', says: 'or remove the key so that this host takes the port\'s.' },
  { rule: 'cipher-selects-nothing', text: 'c2s_direct_tls_ports = { 5223 }\nVirtualHost "a.example"\n  c2s_direct_tls_ssl = { ciphers = "RC4" }\n', line: '13.0', at: '"RC4"', says: 'Remove it: on 13.0 this host\'s context takes the port\'s ciphers anyway.' },
  // Keys LuaSec does not know are unknown-ssl-key's; a service with no port serves no host.
  { rule: 'sni-setting-ignored', text: 'c2s_direct_tls_ports = { 5223 }\nVirtualHost "a.example"\n  c2s_direct_tls_ssl = { protocl = "tlsv1_3" }\n', line: '13.0', quiet: true },
  { rule: 'sni-setting-ignored', text: 'VirtualHost "a.example"\n  c2s_direct_tls_ssl = { protocol = "tlsv1_3" }\n', line: '0.12', quiet: true },
  // A host's ignored protocol does not reopen TLS 1.2 for the TLS 1.3-only ports (a reviewer).
  { rule: 'cipher-static-rsa', text: 'tls_profile = "modern"\nc2s_direct_tls_ports = { 5223 }\nc2s_direct_tls_ssl = { ciphers = "HIGH:!aNULL" }\nVirtualHost "a.example"\n  c2s_direct_tls_ssl = { protocol = "tlsv1_2+" }\n', line: '0.12', quiet: true },
  // TLS 1.3 only where the table applies through a table layered with it (a reviewer's 0.12.3 run: the host's TLS 1.2
  // suites under a port's `protocol = "tlsv1_3"` never negotiate); judged where one of its contexts allows TLS 1.2.
  { rule: 'cipher-static-rsa', text: 'c2s_direct_tls_ports = { 5223 }\nc2s_direct_tls_ssl = { protocol = "tlsv1_3" }\nVirtualHost "a.example"\n  c2s_direct_tls_ssl = { ciphers = "AES256-SHA:ECDHE-RSA-AES128-GCM-SHA256" }\n', line: '0.12', quiet: true },
  { rule: 'cipher-static-rsa', text: 'ssl = { protocol = "tlsv1_3" }\nVirtualHost "a.example"\n  ssl = { ciphers = "AES256-SHA:ECDHE-RSA-AES128-GCM-SHA256" }\n', line: '0.12', quiet: true },
  { rule: 'cipher-static-rsa', text: 'c2s_ssl = { protocol = "tlsv1_3" }\nVirtualHost "a.example"\n  ssl = { ciphers = "AES256-SHA:ECDHE-RSA-AES128-GCM-SHA256" }\n', line: '0.12', at: '"AES256-SHA:ECDHE-RSA-AES128-GCM-SHA256"', says: ':!kRSA' },
  // The global ssl reaches every direct-TLS port, under its own table too, and outgoing HTTPS (a reviewer's 0.12.3 run).
  { rule: 'cipher-static-rsa', text: 'c2s_ssl = { protocol = "tlsv1_3" }\ns2s_ssl = { protocol = "tlsv1_3" }\nssl = { ciphers = "AES256-SHA:ECDHE-RSA-AES128-GCM-SHA256" }\n', line: '0.12', at: '"AES256-SHA:ECDHE-RSA-AES128-GCM-SHA256"', says: ':!kRSA' },
  { rule: 'cipher-static-rsa', text: 'ssl = { ciphers = "AES256-SHA:ECDHE-RSA-AES128-GCM-SHA256" }\nc2s_ssl = { protocol = "tlsv1_3" }\ns2s_ssl = { protocol = "tlsv1_3" }\nc2s_direct_tls_ports = { 5223 }\nc2s_direct_tls_ssl = { certificate = "a.crt", key = "a.key" }\n', line: '0.12', at: '"AES256-SHA:ECDHE-RSA-AES128-GCM-SHA256"', says: ':!kRSA' },
  // A host table under a computed one, which may write any protocol.
  { rule: 'cipher-static-rsa', text: 'ssl = { protocol = "tlsv1_3" }\nVirtualHost "a.example"\n  c2s_ssl = make()\n  ssl = { ciphers = "AES256-SHA:ECDHE-RSA-AES128-GCM-SHA256" }\n', line: '0.12', at: '"AES256-SHA:ECDHE-RSA-AES128-GCM-SHA256"', says: ':!kRSA' },
  { rule: 'cipher-static-rsa', text: 'c2s_ssl = { protocol = "tlsv1_3" }\ns2s_ssl = { protocol = "tlsv1_3" }\nc2s_direct_tls_ports = { 5223 }\nssl = { ciphers = "AES256-SHA:ECDHE-RSA-AES128-GCM-SHA256" }\n', line: '0.12', at: '"AES256-SHA:ECDHE-RSA-AES128-GCM-SHA256"', says: ':!kRSA' },
  // A port's table enforces its order with its own flag; a host's SNI context keeps the port's flags (0.12: its
  // ciphers apply, its options do not), so its cipher_server_preference leaves the client's order deciding.
  { rule: 'cipher-no-forward-secrecy-first', text: 'c2s_direct_tls_ports = { 5223 }\nc2s_direct_tls_ssl = { ciphers = "AES128-SHA:ECDHE-RSA-AES128-GCM-SHA256", options = { "cipher_server_preference" } }\n', line: '0.12', at: '"AES128-SHA:ECDHE-RSA-AES128-GCM-SHA256"', says: 'no forward secrecy' },
  { rule: 'cipher-no-forward-secrecy-first', text: 'c2s_direct_tls_ports = { 5223 }\nVirtualHost "a.example"\n  c2s_direct_tls_ssl = { ciphers = "AES128-SHA:ECDHE-RSA-AES128-GCM-SHA256", options = { "cipher_server_preference" } }\n', line: '0.12', quiet: true },
  { rule: 'check-says-misplaced', text: 'VirtualHost "a"\nhttps_ssl = { certificate = "a.crt" }\n', line: '13.0', at: 'https_ssl', says: '(this host\'s certificate and key on that service)' },
  // Its options are not the port's either: the global service table's are (portmanager's add_sni_host).
  { rule: 'unsafe-protocol', text: 'tls_profile = "legacy"\nc2s_direct_tls_ports = { 5223 }\nc2s_direct_tls_ssl = { protocol = "tlsv1+" }\nVirtualHost "a.example"\n  c2s_direct_tls_ssl = { options = { "no_tlsv1", "no_tlsv1_1" } }\n', line: '0.12', at: '"tlsv1+"', says: 'allows TLS 1.0 and TLS 1.1' },
  { rule: 'check-says-misplaced', text: 'VirtualHost "a"\ns2s_require_encryption = true\n', at: 's2s_require_encryption', says: 'reports it as misplaced' },
  { rule: 'check-says-misplaced', text: 'VirtualHost "a"\ns2s_require_encryption = true\n', line: '0.11', quiet: true },
  // mod_bosh/mod_websocket are global modules: a host's value never reaches them.
  { rule: 'global-option-in-host', text: 'VirtualHost "a"\nconsider_bosh_secure = true\n', at: 'consider_bosh_secure', says: 'has no effect' },
  // A host's `false` does nothing at all (mod_tls acts on true only); with a global one set, moving the host line
  // up would override the global value for every host, so the advice is to change the global one.
  { rule: 'global-option-in-host', text: 'VirtualHost "a"\ns2s_secure_auth = false\n', at: 's2s_secure_auth', says: 'has no effect: Prosody reads this option only from the global section. Move it above the first VirtualHost.' },
  { rule: 'global-option-in-host', text: 's2s_secure_auth = true\nVirtualHost "a"\ns2s_secure_auth = false\n', at: 's2s_secure_auth', says: 'has no effect: Prosody reads this option only from the global section. The global section sets it too, and only that value is read', fixed: 's2s_secure_auth = true\nVirtualHost "a"\n' },
  { rule: 'global-option-in-host', text: 's2s_secure_auth = false\nVirtualHost "a"\ns2s_secure_auth = true\n', at: 's2s_secure_auth', says: 'changes something only where `s2s_require_encryption = false` is in force for that host (set there or globally)', noFix: true },
  { rule: 'global-option-in-host', text: 'ssl_compression = false\nVirtualHost "a"\nssl_compression = true\n', at: 'ssl_compression', says: 'change it there if every host should get this one, and remove this line', fixed: 'ssl_compression = false\nVirtualHost "a"\n' },
  // Per host it only marks the STARTTLS offer; mod_s2s refuses unencrypted sessions by the global value (a reviewer's
  // 0.12.3 run): not "does apply to this host", and no advice to move a `false` up for every host.
  { rule: 'check-says-misplaced', text: 'VirtualHost "a"\ns2s_require_encryption = false\n', at: 's2s_require_encryption', says: 'only marks the STARTTLS this host offers other servers as required or not (mod_tls): whether an unencrypted server-to-server session is refused is decided by mod_s2s from the global value alone' },
  { rule: 'check-says-misplaced', text: 'VirtualHost "a"\nc2s_require_encryption = true\n', quiet: true },

  // ---- cipher-obsolete-word: its removal as a quick fix (a real-editor review: "It can be removed" offered nothing).
  { rule: 'cipher-obsolete-word', text: G('ciphers = "HIGH:RC4:!aNULL"'), at: 'RC4', says: 'It can be removed', fixed: G('ciphers = "HIGH:!aNULL"') },
  { rule: 'cipher-obsolete-word', text: G('ciphers = "HIGH RC4"'), at: 'RC4', says: 'It can be removed', fixed: G('ciphers = "HIGH"') },
  { rule: 'cipher-obsolete-word', text: G('ciphers = { "HIGH", "RC4" }'), line: '0.12', at: 'RC4', says: 'It can be removed', fixed: G('ciphers = { "HIGH" }') },
  { rule: 'cipher-obsolete-word', text: G('ciphers = "RC4"'), at: 'RC4', says: 'It can be removed', noFix: true },
  { rule: 'cipher-obsolete-word', text: G('ciphers = "HIGH:EDH+RC4"'), at: 'RC4', says: 'remove the whole term', noFix: true },
  // ---- mode-set
  { rule: 'mode-set', text: G('mode = "server"'), at: 'mode', says: 'Remove it', fixed: 'ssl = {}\n' },
  // Removing an entry takes its separator wherever it is written (a reviewer: a stray `,` left a syntax error).
  { rule: 'mode-set', text: 'ssl = {\n    mode = "server"\n  , key = "a.key"\n}\n', at: 'mode', says: 'Remove it', fixed: 'ssl = {\n    key = "a.key"\n}\n' },
  { rule: 'mode-set', text: 'ssl = { mode = "server" --[[m]], key = "a.key" }\n', at: 'mode', says: 'Remove it', fixed: 'ssl = { key = "a.key" }\n' },
  { rule: 'mode-set', text: 'ssl = {\r\n  key = "a.key",\r\n  mode = "server"\r\n}\r\n', at: 'mode', says: 'Remove it', fixed: 'ssl = {\r\n  key = "a.key"\r\n}\r\n' },
  // …but never from inside a comment on the line above (a reviewer: the `}` ended up commented out).
  { rule: 'verify-none-s2s', text: 's2s_ssl = {\n  options = { "no_ticket" }; -- see docs;\n  verify = "none" }\n', line: '0.12', at: '"none"', says: 'Remove the `verify` line', fixed: 's2s_ssl = {\n  options = { "no_ticket" }; -- see docs;\n   }\n' },
  { rule: 'noop-option', text: 'ssl = { options = { "no_sslv2" -- old\n, "no_ticket" } }\n', at: 'no_sslv2', says: 'Remove it', fixed: 'ssl = { options = { "no_ticket" } }\n' },
  // 0.9 uses a host's own ssl wholesale: a computed global one does not reach it, so the host's table is judged.
  { rule: 'unsafe-protocol', text: 'ssl = get_ssl()\nVirtualHost "a.example"\n  ssl = { certificate = "a.crt", key = "a.key", protocol = "sslv23", options = { "no_sslv3" } }\n', line: '0.9', at: '"sslv23"', says: 'TLS 1.0 and TLS 1.1' },
  // A later `ssl = nil` unsets the table: nothing from it is layered.
  { rule: 'unsafe-protocol', text: 'tls_profile = "legacy"\nssl = { options = { "no_tlsv1", "no_tlsv1_1" } }\nssl = nil\nc2s_ssl = { protocol = "sslv23" }\n', at: '"sslv23"', says: 'TLS 1.0 and TLS 1.1' },
  { rule: 'unsafe-protocol', text: 'tls_profile = "old"\nssl = { protocol = "tlsv1_2+" }\nssl = nil\n', line: '0.12', at: '"old"', says: '"intermediate"' },
  // A table both kinds of connection read is judged for each: old versions off for clients only still reach servers.
  { rule: 'unsafe-protocol', text: 'tls_profile = "legacy"\nssl = { protocol = "sslv23" }\nc2s_ssl = { options = { "no_tlsv1", "no_tlsv1_1" } }\n', at: '"sslv23"', says: 'allows TLS 1.0 and TLS 1.1 on server-to-server connections and on the direct-TLS and HTTPS ports (the `options` in force for client connections switch them off)' },
  // (Not the ports where a service table writes over the global ssl.)
  { rule: 'unsafe-protocol', text: 'tls_profile = "legacy"\nssl = { protocol = "sslv23" }\nc2s_ssl = { options = { "no_tlsv1", "no_tlsv1_1" } }\nhttps_ssl = { options = { "no_tlsv1" } }\n', at: '"sslv23"', says: 'allows TLS 1.0 and TLS 1.1 on server-to-server connections (the `options` in force for client connections switch them off)' },
  { rule: 'unsafe-protocol', text: 'ssl = { protocol = "sslv23" }\nc2s_ssl = { options = { "no_tlsv1", "no_tlsv1_1" } }\ns2s_ssl = { options = { "no_tlsv1", "no_tlsv1_1" } }\n', quiet: true },
  { rule: 'unsafe-protocol', text: 'tls_profile = "legacy"\nssl = { protocol = "sslv23" }\n', at: '"sslv23"', says: 'allows TLS 1.0 and TLS 1.1, deprecated' },
  // A protocol a higher table of the section overrides is not in force there (a reviewer's 0.12.3 run: a host's
  // `ssl` with tlsv1+ under its own c2s_ssl and s2s_ssl refused TLS 1.0 and 1.1 on both kinds), pinned or not.
  { rule: 'unsafe-protocol', text: 'VirtualHost "a.example"\n  ssl = { protocol = "tlsv1+" }\n  c2s_ssl = { protocol = "tlsv1_2+" }\n  s2s_ssl = { protocol = "tlsv1_2+" }\n', line: '0.12', quiet: true },
  { rule: 'unsafe-protocol', text: 'VirtualHost "a.example"\n  ssl = { protocol = "tlsv1" }\n  c2s_ssl = { protocol = "tlsv1_2+" }\n  s2s_ssl = { protocol = "tlsv1_2+" }\n', line: '0.12', quiet: true },
  { rule: 'unsafe-protocol', text: 'tls_profile = "legacy"\nVirtualHost "a.example"\n  ssl = { protocol = "tlsv1+" }\n  c2s_ssl = { protocol = "tlsv1_2+" }\n', line: '0.12', at: '"tlsv1+"', says: 'allows TLS 1.0 and TLS 1.1 on server-to-server connections (client connections take theirs from `c2s_ssl`)' },
  // The global `ssl` still sets the direct-TLS and HTTPS ports' protocol (portmanager layers it beneath theirs).
  { rule: 'unsafe-protocol', text: 'tls_profile = "legacy"\nssl = { protocol = "tlsv1+" }\nc2s_ssl = { protocol = "tlsv1_2+" }\ns2s_ssl = { protocol = "tlsv1_2+" }\n', line: '0.12', at: '"tlsv1+"', says: 'allows TLS 1.0 and TLS 1.1 on direct-TLS and HTTPS ports (client and server-to-server connections take theirs from `c2s_ssl` and `s2s_ssl`)' },
  { rule: 'unsafe-protocol', text: 'tls_profile = "legacy"\nssl = { protocol = "tlsv1+" }\nc2s_ssl = { protocol = "tlsv1_2+" }\ns2s_ssl = { protocol = "tlsv1_2+" }\nhttps_ssl = { protocol = "tlsv1_2+" }\n', line: '0.12', quiet: true },
  { rule: 'unsafe-protocol', text: 'tls_profile = "legacy"\nssl = { protocol = "tlsv1+" }\nc2s_ssl = { options = { "no_tlsv1", "no_tlsv1_1" } }\ns2s_ssl = { options = { "no_tlsv1", "no_tlsv1_1" } }\n', line: '0.12', at: '"tlsv1+"', says: 'allows TLS 1.0 and TLS 1.1 on direct-TLS and HTTPS ports (the `options` in force for client and server-to-server connections switch them off)' },
  { rule: 'unsafe-protocol', text: 'tls_profile = "legacy"\nssl = { protocol = "tlsv1+", options = { "no_tlsv1", "no_tlsv1_1" } }\nc2s_ssl = { protocol = "tlsv1_2+" }\n', line: '0.12', quiet: true },
  // A service table's options or ciphers over it: which port takes what is not worked out, so nothing is said.
  { rule: 'unsafe-protocol', text: 'tls_profile = "legacy"\nssl = { protocol = "tlsv1+" }\nc2s_ssl = { options = { "no_tlsv1", "no_tlsv1_1" } }\ns2s_ssl = { options = { "no_tlsv1", "no_tlsv1_1" } }\nhttps_ssl = { options = { "no_tlsv1", "no_tlsv1_1" } }\n', line: '0.12', quiet: true },
  { rule: 'unsafe-protocol', text: 'tls_profile = "legacy"\nssl = { protocol = "tlsv1+" }\nc2s_ssl = { options = { "no_tlsv1", "no_tlsv1_1" } }\ns2s_ssl = { options = { "no_tlsv1", "no_tlsv1_1" } }\nhttps_ssl = { ciphers = "ECDHE+AESGCM" }\n', line: '0.12', quiet: true },
  { rule: 'unsafe-protocol', text: 'tls_profile = "legacy"\nssl = { protocol = "tlsv1+" }\ns2s_ssl = { protocol = "tlsv1_2+" }\n', line: '0.12', at: '"tlsv1+"', says: 'on client connections and on the direct-TLS and HTTPS ports (server-to-server connections take theirs from `s2s_ssl`)' },
  // Ciphers that name TLS 1.2 suites only (0.12+'s `intermediate` preset, `ECDHE+AESGCM`) leave no TLS 1.0 or 1.1
  // handshake a suite, whatever the protocol allows (a reviewer's 0.12.3 run: "handshake failure", at security level
  // 0 too); Prosody's default ciphers before 0.12 keep CBC suites, and a host's own ciphers reach the global protocol.
  { rule: 'unsafe-protocol', text: 'ssl = { protocol = "tlsv1+" }\n', line: '0.12', quiet: true },
  { rule: 'unsafe-protocol', text: 'ssl = { protocol = "tlsv1+" }\n', line: '13.0', quiet: true },
  { rule: 'unsafe-protocol', text: 'ssl = { protocol = "tlsv1+" }\n', line: '0.11', at: '"tlsv1+"', says: 'allows TLS 1.0 and TLS 1.1' },
  { rule: 'unsafe-protocol', text: 'ssl = { protocol = "sslv23", ciphers = "ECDHE+AESGCM:ECDHE+CHACHA20" }\n', line: '0.11', quiet: true },
  { rule: 'unsafe-protocol', text: 'ssl = { protocol = "tlsv1+", ciphers = "HIGH:!aNULL" }\n', line: '0.12', at: '"tlsv1+"', says: 'allows TLS 1.0 and TLS 1.1' },
  { rule: 'unsafe-protocol', text: 'ssl = { protocol = "tlsv1+", ciphers = "ECDHE+AESGCM:RC4-SHA" }\n', line: '0.12', at: '"tlsv1+"', says: 'allows TLS 1.0 and TLS 1.1' },
  // (A second reviewer's 0.12.3 runs: a cipher string longer than 80 characters, whose rendering is cut there; an
  // excluded word OpenSSL 3 does not know; hosts' and other ports' own TLS 1.2-only ciphers; suites left for TLS 1.0
  // that are PSK ones, which Prosody never negotiates. Every TLS 1.0 and 1.1 handshake failed in each.)
  { rule: 'unsafe-protocol', text: 'ssl = { protocol = "tlsv1+"; ciphers = "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384:@SECLEVEL=0" }\n', line: '0.12', quiet: true },
  { rule: 'unsafe-protocol', text: 'ssl = { protocol = "tlsv1+"; ciphers = "ECDHE+AESGCM:ECDHE+CHACHA20:!aNULL:!MD5:!DSS:!RC4:@SECLEVEL=0" }\n', line: '0.12', quiet: true },
  { rule: 'unsafe-protocol', text: 'ssl = { protocol = "tlsv1+"; ciphers = "ECDHE+AESGCM:RC4" }\n', line: '0.12', at: '"tlsv1+"', says: 'allows TLS 1.0' },
  { rule: 'unsafe-protocol', text: 'ssl = { protocol = "tlsv1+" }\nVirtualHost "a.example"\n  ssl = { ciphers = "ECDHE+AESGCM" }\n', line: '0.12', quiet: true },
  { rule: 'unsafe-protocol', text: 'https_ssl = { protocol = "tlsv1+" }\nVirtualHost "a.example"\n  ssl = { ciphers = "DEFAULT:@SECLEVEL=0" }\n', line: '0.12', quiet: true },
  { rule: 'unsafe-protocol', text: 'ssl = { protocol = "tlsv1+"; ciphers = "HIGH:!aNULL:!SHA1:@SECLEVEL=0" }\n', line: '0.12', quiet: true },
  { rule: 'unsafe-protocol', text: 'ssl = { protocol = "tlsv1+"; ciphers = { "ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-SHA" } }\n', line: '0.12', at: '"tlsv1+"', says: 'allows TLS 1.0' },
  { rule: 'unsafe-protocol', text: 'ssl = { protocol = "tlsv1+" }\nc2s_ssl = { ciphers = "HIGH" }\n', line: '0.12', at: '"tlsv1+"', says: 'on client connections (the `ciphers` in force for server-to-server connections name TLS 1.2 suites only' },
  { rule: 'unsafe-protocol', text: 'ssl = { protocol = "tlsv1+" }\nVirtualHost "a.example"\n  ssl = { ciphers = "HIGH" }\n', line: '0.12', at: '"tlsv1+"', says: 'allows TLS 1.0' },
  { rule: 'unsafe-protocol', text: 'tls_profile = pick()\nssl = { protocol = "tlsv1+" }\n', line: '0.12', at: '"tlsv1+"', says: 'allows TLS 1.0' },
  { rule: 'unsafe-protocol', text: 'ssl = { protocol = "sslv23", options = { "no_tlsv1" } }\nVirtualHost "a.example"\n  ssl = { options = { no_tlsv1 = false } }\n', line: '0.12', quiet: true },
  // A `= false` entry of a higher table of the same section that turns a version back on is named, with a related
  // place: the protocol's own table switches it off and reads as safe (a reviewer's 0.12.3 run: c2s 1.0 accepted).
  { rule: 'unsafe-protocol', text: 'tls_profile = "legacy"\nssl = { protocol = "tlsv1+"; options = { "no_tlsv1", "no_tlsv1_1" } }\nc2s_ssl = { options = { no_tlsv1 = false } }\n', line: '0.12', at: '"tlsv1+"', says: 'allows TLS 1.0 on client connections (the `options` in force for server-to-server connections switch it off), a deprecated version with known weaknesses (RFC 8996). `no_tlsv1 = false` in `c2s_ssl` switches TLS 1.0 back on.' },
  { rule: 'unsafe-protocol', text: 'tls_profile = "legacy"\nVirtualHost "a.example"\n  ssl = { protocol = "tlsv1+"; options = { "no_tlsv1", "no_tlsv1_1" } }\n  c2s_ssl = { options = { no_tlsv1_1 = false } }\n', line: '0.12', at: '"tlsv1+"', says: '`no_tlsv1_1 = false` in `c2s_ssl` switches TLS 1.1 back on.' },
  // A port table writing no protocol that switches an old version back on over the global layers or its service's
  // table (a reviewer's 0.12.3 runs: TLS 1.0 on HTTPS, TLS 1.1 on a direct-TLS port), said on the `false` entry.
  { rule: 'unsafe-protocol', text: 'ssl = { protocol = "tlsv1+"; ciphers = "HIGH"; options = { "no_tlsv1", "no_tlsv1_1" } }\nhttps_ssl = { options = { no_tlsv1 = false } }\n', line: '0.12', at: 'no_tlsv1', says: '`no_tlsv1 = false` switches TLS 1.0 back on for connections on the ports `https_ssl` serves here', fixed: 'ssl = { protocol = "tlsv1+"; ciphers = "HIGH"; options = { "no_tlsv1", "no_tlsv1_1" } }\nhttps_ssl = { options = {} }\n' },
  { rule: 'unsafe-protocol', text: 'c2s_direct_tls_ports = { 5223 }\nc2s_direct_tls_ssl = { protocol = "tlsv1+"; ciphers = "HIGH"; options = { "no_tlsv1", "no_tlsv1_1" }; [5223] = { options = { no_tlsv1_1 = false } } }\n', line: '0.12', at: 'no_tlsv1_1', says: 'back on for connections on the ports `c2s_direct_tls_ssl[5223]` serves here, which the tables beneath switch off: `protocol = "tlsv1+"` (in `c2s_direct_tls_ssl`) then allows it' },
  // …not where the ciphers in force leave old versions no suite, or nothing beneath switched it off.
  { rule: 'unsafe-protocol', text: 'ssl = { protocol = "tlsv1+"; options = { "no_tlsv1", "no_tlsv1_1" } }\nhttps_ssl = { options = { no_tlsv1 = false } }\n', line: '0.12', quiet: true },
  { rule: 'unsafe-protocol', text: 'ssl = { protocol = "tlsv1_2+"; ciphers = "HIGH" }\nhttps_ssl = { options = { no_tlsv1 = false } }\n', line: '0.12', quiet: true },
  // A pinned version switched off by its own flag is no-protocol-left's on 13.0 (nothing is left), not a weak protocol.
  { rule: 'unsafe-protocol', text: 'ssl = { protocol = "tlsv1_1"; ciphers = "DEFAULT:@SECLEVEL=0"; options = { "no_tlsv1_1" } }\n', line: '13.0', quiet: true },
  { rule: 'no-protocol-left', text: 'ssl = { protocol = "tlsv1_1"; ciphers = "DEFAULT:@SECLEVEL=0"; options = { "no_tlsv1_1" } }\n', line: '13.0', at: '"tlsv1_1"', says: 'the one version `protocol = "tlsv1_1"` allows' },
  { rule: 'unsafe-protocol', text: 'ssl = { protocol = "tlsv1_1"; ciphers = "DEFAULT:@SECLEVEL=0"; options = { "no_tlsv1_1" } }\n', line: '0.12', at: '"tlsv1_1"', says: 'pins the connection to TLS 1.1' },
  // Kept from STARTTLS by c2s_ssl and s2s_ssl ciphers that name TLS 1.2 suites only, the ports still take the global
  // ssl's (a second reviewer's 0.12.3 run: TLS 1.0 and 1.1 on the direct-TLS and HTTPS ports, unreported).
  { rule: 'unsafe-protocol', text: 'ssl = { protocol = "tlsv1+"; ciphers = "DEFAULT:@SECLEVEL=0" }\nc2s_ssl = { ciphers = "ECDHE+AESGCM:@SECLEVEL=0" }\ns2s_ssl = { ciphers = "ECDHE+AESGCM:@SECLEVEL=0" }\n', line: '0.12', at: '"tlsv1+"', says: 'allows TLS 1.0 and TLS 1.1 on direct-TLS and HTTPS ports (the `ciphers` in force for client and server-to-server connections name TLS 1.2 suites only)' },
  // …and a preset switched off for both STARTTLS kinds still reaches them.
  { rule: 'unsafe-protocol', text: 'tls_profile = "old"\nssl = { ciphers = "DEFAULT:@SECLEVEL=0" }\nc2s_ssl = { options = { "no_tlsv1", "no_tlsv1_1" } }\ns2s_ssl = { options = { "no_tlsv1", "no_tlsv1_1" } }\n', line: '0.12', at: '"old"', says: 'leaves TLS 1.0 and TLS 1.1 enabled on the direct-TLS and HTTPS ports' },
  { rule: 'unsafe-protocol', text: 'tls_profile = "old"\nssl = { ciphers = "DEFAULT:@SECLEVEL=0" }\nc2s_ssl = { options = { "no_tlsv1", "no_tlsv1_1" } }\ns2s_ssl = { options = { "no_tlsv1", "no_tlsv1_1" } }\nhttps_ssl = { options = { "no_tlsv1", "no_tlsv1_1" } }\n', line: '0.12', quiet: true },
  // A preset that keeps old versions, switched off for clients only: still said, for server-to-server connections.
  { rule: 'unsafe-protocol', text: 'tls_profile = "old"\nc2s_ssl = { options = { "no_tlsv1", "no_tlsv1_1" } }\n', line: '0.12', at: '"old"', says: 'leaves TLS 1.0 and TLS 1.1 enabled for server-to-server connections and on the direct-TLS and HTTPS ports (protocol' },
  { rule: 'unsafe-protocol', text: 'tls_profile = "old"\nc2s_ssl = { options = { "no_tlsv1", "no_tlsv1_1" } }\nhttps_ssl = { options = { "no_tlsv1", "no_tlsv1_1" } }\n', line: '0.12', at: '"old"', says: 'leaves TLS 1.0 and TLS 1.1 enabled for server-to-server connections (protocol' },
  { rule: 'unsafe-protocol', text: 'tls_profile = "old"\nssl = { options = { "no_tlsv1", "no_tlsv1_1" } }\n', line: '0.12', quiet: true },
  // A global `[port]` table is read by the direct-TLS and HTTPS services on its port only (portmanager's
  // get_port_ssl_ctx); mod_tls hands STARTTLS the global `ssl` whole (a reviewer's 0.12.3 run: TLS 1.0 refused).
  { rule: 'unsafe-protocol', text: 'c2s_ports = { 30332 }\nssl = { [30332] = { protocol = "tlsv1+" } }\n', line: '0.12', quiet: true },
  { rule: 'unsafe-protocol', text: 'ssl = { [5222] = { protocol = "tlsv1+" } }\n', line: '0.12', quiet: true },
  { rule: 'unsafe-protocol', text: 'tls_profile = "legacy"\nssl = { [5281] = { protocol = "tlsv1+" } }\n', line: '0.12', at: '"tlsv1+"', says: 'allows TLS 1.0' },
  { rule: 'unsafe-protocol', text: 'tls_profile = "legacy"\nc2s_direct_tls_ports = { 5223 }\nssl = { [5223] = { protocol = "tlsv1+" } }\n', line: '0.12', at: '"tlsv1+"', says: 'allows TLS 1.0' },
  { rule: 'unsafe-protocol', text: 'c2s_direct_tls_ports = { 5223 }\nc2s_direct_tls_ssl = { [5222] = { protocol = "tlsv1+" } }\n', line: '0.12', quiet: true },
  // A port nothing opens yet: judged, as the service's whole table is.
  { rule: 'unsafe-protocol', text: 'tls_profile = "legacy"\nc2s_direct_tls_ssl = { [5224] = { protocol = "tlsv1+" } }\n', line: '0.12', at: '"tlsv1+"', says: 'allows TLS 1.0' },
  { rule: 'unsafe-protocol', text: 'tls_profile = "legacy"\nc2s_direct_tls_ports = ports()\nssl = { [5223] = { protocol = "tlsv1+" } }\n', line: '0.12', at: '"tlsv1+"', says: 'allows TLS 1.0' },
  // A later line inside `if` may or may not replace the table: what is in force is unknown, so nothing is concluded.
  { rule: 'unsafe-protocol', text: 'tls_profile = "old"\nssl = { protocol = "tlsv1_2+" }\nif os.getenv("DEV") then ssl = nil end\n', line: '0.12', quiet: true },
  // A private key in a table Prosody never reads still is in the file.
  { rule: 'key-material-in-path', text: 'ssl = { key = "-----BEGIN PRIVATE KEY-----\\nMIIB\\n-----END PRIVATE KEY-----" }\nssl = {}\n', at: '"-----BEGIN PRIVATE KEY-----\\nMIIB\\n-----END PRIVATE KEY-----"', says: 'in a table Prosody does not read' },
  { rule: 'key-material-in-path', text: 'ssl = { certificate = "-----BEGIN CERTIFICATE-----\\nMIIB\\n-----END CERTIFICATE-----" }\nssl = {}\n', quiet: true },
  // ---- duplicate-ssl-key: Lua keeps the last value of a key in a table constructor (a reviewer in a real editor).
  { rule: 'duplicate-ssl-key', text: 'ssl = {\n  protocol = "tlsv1+";\n  certificate = "a.crt";\n  protocol = "tlsv1_2+";\n}\n', at: 'protocol', says: 'it is set again further down, and Lua keeps the last value, so this entry is never read', fixed: 'ssl = {\n  certificate = "a.crt";\n  protocol = "tlsv1_2+";\n}\n' },
  { rule: 'duplicate-ssl-key', text: 'VirtualHost "a.example"\n  c2s_ssl = { ciphers = "HIGH", ciphers = nil }\n', at: 'ciphers', says: 'a later `ciphers = nil` removes it' },
  { rule: 'duplicate-ssl-key', text: 'ssl = { protocol = "tlsv1_2+", [5223] = { protocol = "tlsv1_3" } }\n', quiet: true },
  // ---- table-replaced: the first table is dead, and its contents are not judged (no cipher error from it).
  // A host written twice is one host to Prosody: its later table replaces the earlier one (a reviewer).
  { rule: 'table-replaced', text: 'VirtualHost "a.example" { ssl = { protocol = "tlsv1" } }\nVirtualHost "A.example"\n  ssl = { protocol = "tlsv1_3+" }\n', line: '0.12', at: 'ssl', says: 'replaced by the later `ssl`' },
  { rule: 'unsafe-protocol', text: 'VirtualHost "a.example" { ssl = { protocol = "tlsv1" } }\nVirtualHost "a.example"\n  ssl = { protocol = "tlsv1_3+" }\n', line: '0.12', quiet: true },
  { rule: 'unsafe-protocol', text: 'tls_profile = "legacy"\nVirtualHost "a.example"\n  ssl = { protocol = "tlsv1_3+" }\nVirtualHost "b.example"\nVirtualHost "a.example"\n  c2s_ssl = { protocol = "tlsv1+" }\n', line: '0.12', at: '"tlsv1+"', says: 'allows TLS 1.0' },
  { rule: 'table-replaced', text: 'ssl = { ciphers = "RC4-SHA" }\nssl = { protocol = "tlsv1_2+" }\n', at: 'ssl', says: 'replaced by the later `ssl`', fixed: 'ssl = { protocol = "tlsv1_2+" }\n' },
  { rule: 'cipher-selects-nothing', text: 'ssl = { ciphers = "RC4-SHA" }\nssl = { protocol = "tlsv1_2+" }\n', quiet: true },
  { rule: 'unsafe-protocol', text: 'VirtualHost "a.example"\n  c2s_ssl = { protocol = "tlsv1" }\n  c2s_ssl = get_tls()\n', quiet: true },
  // A later line inside `if` may not run: the first table may still be the one read.
  { rule: 'table-replaced', text: 'ssl = { protocol = "tlsv1_2+" }\nif os.getenv("X") then ssl = { protocol = "tlsv1_3" } end\n', quiet: true },
  { rule: 'table-replaced', text: 'ssl = { protocol = "tlsv1_2+" }\nVirtualHost "a.example"\n  ssl = { protocol = "tlsv1_3" }\n', quiet: true },
  { rule: 'mode-set', text: G('protocol = "tlsv1_2+"'), quiet: true },
];

test(`the rule-case table has at least 100 cases and covers every rule but syntax`, () => {
  assert.ok(cases.length >= 100, `${cases.length} cases`);
  const covered = new Set(cases.filter((c) => !('quiet' in c)).map((c) => c.rule));
  const quiet = new Set(cases.filter((c) => 'quiet' in c).map((c) => c.rule));
  for (const r of rules) {
    if (r.category === 'syntax' || r.category === 'files' || r.category === 'ciphers') continue;
    assert.ok(covered.has(r.id), `no firing case for ${r.id}`);
    assert.ok(quiet.has(r.id), `no near miss for ${r.id}`);
  }
});

for (const [i, c] of cases.entries()) {
  const line = c.line ?? '0.12';
  const label = `${c.rule} #${i} [${line}] ${'quiet' in c ? 'quiet' : 'fires'}: ${JSON.stringify(c.text)}`;
  test(label, () => {
    const { doc, diags } = validate(c.text, line);
    const mine = diags.filter((d) => d.code === c.rule).map((d) => ({ ...d, message: String(d.message) }));
    if ('quiet' in c) {
      assert.deepEqual(mine.map((d) => d.message), [], 'must stay quiet');
      return;
    }
    assert.ok(mine.length > 0, `expected ${c.rule}; got ${diags.map((d) => d.code).join(', ') || 'nothing'}`);
    // Several findings may cover the same text (one per line): the one whose message says it.
    const covering = mine.filter((x) => doc.getText(x.range) === c.at);
    const d = covering.find((x) => x.message.includes(c.says)) ?? covering[0];
    assert.ok(d, `no ${c.rule} covering ${JSON.stringify(c.at)}; ranges: ${mine.map((x) => JSON.stringify(doc.getText(x.range))).join(', ')}`);
    assert.ok(d.message.includes(c.says), `message ${JSON.stringify(d.message)} should name ${JSON.stringify(c.says)}`);
    assert.equal(d.source, 'prosody-ssl');
    assert.equal((d.codeDescription?.href ?? '').endsWith(`#rule-${c.rule}`), true);
    if (c.noFix) assert.deepEqual((d.data as { fixes?: Array<{ title: string }> } | undefined)?.fixes?.map((f) => f.title) ?? [], [], 'no fix expected');
    if (c.fixed !== undefined) {
      const fixes = (d.data as { fixes?: Array<{ title: string; edits: Array<{ range: Diagnostic['range']; newText: string }> }> } | undefined)?.fixes ?? [];
      const fix = c.fixTitle ? fixes.find((f) => f.title === c.fixTitle) : fixes[0];
      assert.ok(fix, `no fix on ${c.rule}; have ${fixes.map((f) => f.title).join(', ')}`);
      assert.equal(TextDocument.applyEdits(doc, fix.edits), c.fixed);
    }
  });
}

test('no rule other than syntax reports on a document whose current text does not parse', () => {
  const doc = TextDocument.create('file:///cases/stale/prosody.cfg.lua', 'prosody', 1, G('protocol = "sslv3"'));
  assert.ok(service.doValidation(doc, { prosodyVersion: '0.12' }).some((d) => d.code === 'invalid-protocol'));
  const broken = TextDocument.create(doc.uri, 'prosody', 2, G('protocol = "sslv3",,'));
  const diags = service.doValidation(broken, { prosodyVersion: '0.12' });
  assert.deepEqual(diags.map((d) => d.code), ['syntax-error']);
});

test('suite-skipped on 0.11 does not say OpenSSL 1.1.1 refuses a TLS 1.2 standard name in ciphersuites (review 152: 1.1.1w takes it)', () => {
  const doc = TextDocument.create(`file:///cases/${++n}/prosody.cfg.lua`, 'prosody', 1, G('ciphersuites = "TLS_AES_128_GCM_SHA256:TLS_RSA_WITH_AES_128_CBC_SHA"'));
  const d = service.doValidation(doc, { prosodyVersion: '0.11' }).find((x) => x.code === 'suite-skipped');
  assert.ok(d);
  assert.ok(String(d.message).endsWith('Remove it from `ciphersuites`.'), String(d.message));
});

test('a finding may carry its own severity (no-tls13-suite is a Warning on 0.11, where it depends on LuaSec and OpenSSL; no_ssl_mask an Error from 0.12); a level the user sets wins', () => {
  const text = G('ciphersuites = ""');
  const sev = (line: ProsodyLine, level?: 'warning' | 'error' | 'information'): number | undefined => {
    const doc = TextDocument.create(`file:///cases/${++n}/prosody.cfg.lua`, 'prosody', 1, text);
    return service.doValidation(doc, { prosodyVersion: line, ...(level ? { rules: { 'no-tls13-suite': level } } : {}) }).find((d) => d.code === 'no-tls13-suite')?.severity;
  };
  assert.equal(sev('0.12'), 1);
  assert.equal(sev('0.11'), 2);
  assert.equal(sev('0.11', 'error'), 1);
  assert.equal(sev('0.12', 'information'), 3);
  // unsafe-option's no_ssl_mask leaves no version at all: an Error where the stack surely honours it (0.12+).
  const flag = (name: string, line: ProsodyLine): number | undefined => {
    const doc = TextDocument.create(`file:///cases/${++n}/prosody.cfg.lua`, 'prosody', 1, G(`options = { "${name}" }`));
    return service.doValidation(doc, { prosodyVersion: line }).find((d) => d.code === 'unsafe-option')?.severity;
  };
  assert.deepEqual([flag('no_ssl_mask', '13.0'), flag('no_ssl_mask', '0.12'), flag('no_ssl_mask', '0.11'), flag('no_dtlsv1_2', '13.0')], [1, 1, 2, 2]);
});

test('the README rule reference has an anchor, severity and description for every rule, and splices idempotently', () => {
  const md = rulesReference();
  for (const r of rules) {
    assert.ok(md.includes(`<a id="rule-${r.id}"></a>`), `no anchor for ${r.id}`);
    assert.ok(md.includes(r.description), `no description for ${r.id}`);
  }
  const once = spliceRulesReference('# Title\n\nIntro.\n', md);
  assert.ok(once.startsWith('# Title\n\nIntro.\n\n' + RULES_START + '\n'));
  assert.ok(once.endsWith(RULES_END + '\n'));
  assert.equal(spliceRulesReference(once, md), once);
});

test('no-protocol-left says what the global layers leave empty once, on the global table, and not on hosts that only inherit it or switch a flag back', () => {
  const text = 'ssl = { protocol = "tlsv1_2+", options = { "no_tlsv1_2", "no_tlsv1_3" } }\nVirtualHost "a.example"\n  ssl = { options = { no_tlsv1_3 = false } }\nVirtualHost "b.example"\n  ssl = { certificate = "b.crt" }\n';
  const { doc, diags } = validate(text, '0.12');
  const mine = diags.filter((d) => d.code === 'no-protocol-left');
  assert.deepEqual(mine.map((d) => `${d.range.start.line}:${doc.getText(d.range)}`), ['0:"tlsv1_2+"']);
  assert.deepEqual((mine[0]!.relatedInformation ?? []).map((r) => doc.getText(r.location.range)), ['no_tlsv1_2', 'no_tlsv1_3']);
});

test('curve-ignored points at the one curveslist in force where the table applies, not at every curveslist of the section', () => {
  const related = (text: string, line: ProsodyLine = '0.12'): string[] => {
    const { doc, diags } = validate(text, line);
    const d = diags.find((x) => x.code === 'curve-ignored');
    assert.ok(d, text);
    return (d.relatedInformation ?? []).map((r) => `${r.location.range.start.line}:${doc.getText(r.location.range)}`);
  };
  // The host's c2s_ssl is above its ssl for clients; the global one is beneath it.
  assert.deepEqual(related('c2s_ssl = { curveslist = "P-256" }\nVirtualHost "a.example"\n  ssl = { curve = "secp384r1" }\n  c2s_ssl = { curveslist = "X25519" }\n'), ['3:curveslist = "X25519"']);
  // A parent domain's, for a subdomain without its own.
  assert.deepEqual(related('VirtualHost "example.com"\n\tc2s_ssl = { curveslist = "X25519" }\nVirtualHost "chat.example.com"\n\tssl = { curve = "secp384r1" }\n'), ['1:curveslist = "X25519"']);
  // Each kind of connection's, for a table both read.
  assert.deepEqual(related('s2s_ssl = { curveslist = "P-256" }\nc2s_ssl = { curveslist = "X25519" }\nssl = { curve = "secp384r1" }\n'), ['1:curveslist = "X25519"', '0:curveslist = "P-256"']);
  // A port's table: its service's global table, not the global c2s_ssl.
  assert.deepEqual(related('c2s_ssl = { curveslist = "P-256" }\nc2s_direct_tls_ports = { 5223 }\nc2s_direct_tls_ssl = { curveslist = "X25519", [5223] = { curve = "secp384r1" } }\n'), ['2:curveslist = "X25519"']);
});

test('a parent domain\'s ssl judged for its subdomains follows an edit in a subdomain (the rule reads other chunks there)', () => {
  const parent = 'VirtualHost "example.com"\n  ssl = { protocol = "tlsv1+", ciphers = "HIGH:@SECLEVEL=0" }\n  c2s_ssl = { protocol = "tlsv1_2+" }\n  s2s_ssl = { protocol = "tlsv1_2+" }\n';
  const text = `${parent}VirtualHost "sub.example.com"\n`;
  const local = createLanguageService();
  const doc = TextDocument.create('file:///cases/sub-edit/prosody.cfg.lua', 'prosody', 1, text);
  const unsafe = (d: TextDocument): number => local.doValidation(d, { prosodyVersion: '0.12' }).filter((x) => x.code === 'unsafe-protocol').length;
  assert.equal(unsafe(doc), 0);
  const end = doc.positionAt(text.length);
  const next = TextDocument.update(doc, [{ range: { start: end, end }, text: '  c2s_ssl = { depth = 3 }\n' }], 2);
  assert.equal(unsafe(next), 1);
});

test('a parent domain\'s verify = "none" judged for its subdomains follows an edit in a subdomain', () => {
  const text = 'VirtualHost "example.com"\n  ssl = { verify = "none" }\n  s2s_ssl = { verify = { "peer", "client_once" } }\nVirtualHost "sub.example.com"\n';
  const local = createLanguageService();
  const doc = TextDocument.create('file:///cases/sub-verify/prosody.cfg.lua', 'prosody', 1, text);
  const none = (d: TextDocument): number => local.doValidation(d, { prosodyVersion: '0.12' }).filter((x) => x.code === 'verify-none-s2s').length;
  assert.equal(none(doc), 0);
  const end = doc.positionAt(text.length);
  assert.equal(none(TextDocument.update(doc, [{ range: { start: end, end }, text: '  s2s_ssl = { depth = 3 }\n' }], 2)), 1);
});
