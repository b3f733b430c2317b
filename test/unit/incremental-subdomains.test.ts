// Incremental checking against a fresh service when a host's findings depend on other chunks: its subdomains (a
// parent domain's `ssl` judged for the subdomains that take it) and the hosts a global table is judged for. A
// reviewer's soak test found findings kept after the chunk they depended on had changed or gone.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic } from 'vscode-languageserver-types';
import { createLanguageService } from '../../server/src/service';

const SETTINGS = { prosodyVersion: '0.12' as const };
const key = (d: Diagnostic): string => JSON.stringify([d.code, d.range, d.severity, d.message]);

/** The diagnostics of one kept service fed `texts` one after the other (as one edit each), and a fresh one's. */
function replay(texts: readonly string[]): { incremental: string[]; fresh: string[] } {
  const service = createLanguageService();
  let doc = TextDocument.create('file:///inc-sub/prosody.cfg.lua', 'prosody', 1, texts[0]!);
  let got = service.doValidation(doc, SETTINGS);
  for (const text of texts.slice(1)) {
    const old = doc.getText();
    let a = 0;
    while (a < old.length && a < text.length && old[a] === text[a]) a++;
    let b = 0;
    while (b < old.length - a && b < text.length - a && old[old.length - 1 - b] === text[text.length - 1 - b]) b++;
    doc = TextDocument.update(doc, [{ range: { start: doc.positionAt(a), end: doc.positionAt(old.length - b) }, text: text.slice(a, text.length - b) }], doc.version + 1);
    got = service.doValidation(doc, SETTINGS);
  }
  const fresh = createLanguageService().doValidation(TextDocument.create('file:///inc-sub/fresh.cfg.lua', 'prosody', 1, doc.getText()), SETTINGS);
  return { incremental: got.map(key).sort(), fresh: fresh.map(key).sort() };
}

const G = 'admins = { "admin@example.com" }\n\n';
const P = 'VirtualHost "example.com"\n\ts2s_ssl = { verify = "peer" }\n\n';
const SUB = 'VirtualHost "sub.example.com"\n\tssl = { verify = "none" }\n\n';
const ASUB = 'VirtualHost "a.sub.example.com"\n\tssl = { protocol = "tlsv1_2+" }\n\n';
const BARE = 'VirtualHost "a.sub.example.com"\n\n';
const PROTO_P = 'VirtualHost "example.com"\n\tc2s_ssl = { protocol = "tlsv1_2+" }\n\ts2s_ssl = { protocol = "tlsv1_2+" }\n\n';
const PROTO_SUB = 'VirtualHost "sub.example.com"\n\tssl = { protocol = "tlsv1+", ciphers = "HIGH" }\n\n';

describe('incremental checking follows the chunks a finding depends on', () => {
  const cases: Record<string, string[]> = {
    'a subdomain gains a table of its own': [G + P + SUB + BARE, G + P + SUB + ASUB],
    'a subdomain loses it': [G + P + SUB + ASUB, G + P + SUB + BARE],
    'a parent domain pasted below': [G + SUB + ASUB, G + SUB + ASUB + P],
    'a parent domain removed': [G + P + SUB + ASUB, G + SUB + ASUB],
    'a subdomain gains a c2s_ssl (protocol)': [G + PROTO_P + PROTO_SUB + BARE, G + PROTO_P + PROTO_SUB + BARE.replace('\n\n', '\n\tc2s_ssl = { protocol = "tlsv1_2+" }\n\n')],
    'the only host overriding a global table removed': ['c2s_ssl = { ciphersuites = "" }\n\nVirtualHost "example.com"\n\tc2s_ssl = { ciphersuites = "TLS_AES_128_GCM_SHA256" }\n', 'c2s_ssl = { ciphersuites = "" }\n\n'],
    // (The soak fuzzer: a top-level `protocol` line, which no table reads, kept "some protocol opens TLS 1.2" true, so a
    // Component's table writing one under `tls_profile = "modern"` left the global ciphers' finding unsaid.)
    'a table opens TLS 1.2 under modern beside a top-level protocol line': ['tls_profile = "modern"\nprotocol = "tlsv1_2+"\nssl = { ciphers = "HIGH:!aNULL" }\n\nVirtualHost "y.org"\n', 'tls_profile = "modern"\nprotocol = "tlsv1_2+"\nssl = { ciphers = "HIGH:!aNULL" }\n\nComponent "example.com"\n\ts2s_ssl = { protocol = "tlsv1_2+" }\n\nVirtualHost "y.org"\n'],
    // (A reviewer's: commenting the Component's line out, and swapping two values between its tables, kept the count.)
    'a table opening TLS 1.2 under modern commented out': ['tls_profile = "modern"\nssl = { ciphers = "HIGH:!aNULL" }\n\nComponent "example.com"\n\ts2s_ssl = { protocol = "tlsv1_2+" }\n', 'tls_profile = "modern"\nssl = { ciphers = "HIGH:!aNULL" }\n\nComponent "example.com"\n\t-- s2s_ssl = { protocol = "tlsv1_2+" }\n'],
    'two protocol values swapped between tables': ['tls_profile = "modern"\nssl = { ciphers = "HIGH:!aNULL" }\n\nVirtualHost "example.com"\n\tc2s_ssl = { protocol = "tlsv1_3" }\n\ts2s_ssl = { protocol = "tlsv1_2+" }\n', 'tls_profile = "modern"\nssl = { ciphers = "HIGH:!aNULL" }\n\nVirtualHost "example.com"\n\tc2s_ssl = { protocol = "tlsv1_2+" }\n\ts2s_ssl = { protocol = "tlsv1_3" }\n'],
    'another host removed, the overriding one kept': ['c2s_ssl = { ciphersuites = "" }\n\nVirtualHost "example.com"\n\tc2s_ssl = { ciphersuites = "TLS_AES_128_GCM_SHA256" }\n\nVirtualHost "other.org"\n\tenabled = true\n\n', 'c2s_ssl = { ciphersuites = "" }\n\nVirtualHost "example.com"\n\tc2s_ssl = { ciphersuites = "TLS_AES_128_GCM_SHA256" }\n\n'],
  };
  for (const [name, texts] of Object.entries(cases)) {
    it(name, () => {
      const { incremental, fresh } = replay(texts);
      assert.deepEqual(incremental, fresh);
    });
  }
});
