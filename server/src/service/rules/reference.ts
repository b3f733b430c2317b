// The README rule reference: one section per rule, anchored `rule-<id>` (diagnostics link there).
import { markers, spliceBlock } from '../markedBlock';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { describeRange } from '../catalog';
import { rules } from './index';
import type { Rule } from './types';

export const { start: RULES_START, end: RULES_END } = markers('rules');

const SEVERITY: Record<DiagnosticSeverity, string> = {
  [DiagnosticSeverity.Error]: 'Error',
  [DiagnosticSeverity.Warning]: 'Warning',
  [DiagnosticSeverity.Information]: 'Information',
  [DiagnosticSeverity.Hint]: 'Hint',
};

/** A short config example for each rule: what triggers it. */
const EXAMPLES: Readonly<Record<string, string>> = {
  'syntax-error': 'ssl = {\n\tkey = "certs/example.key"\n\tcertificate = "certs/example.crt" -- missing separator above\n}',
  'unknown-ssl-key': 'ssl = { protocl = "tlsv1_2+" } -- protocol',
  'ssl-value-type': 'ssl = { depth = "nine" } -- crashes Prosody',
  'ssl-value-dropped': 'ssl = { dhparam = true } -- needs a path',
  'invalid-protocol': 'ssl = { protocol = "TLSv1.2" } -- tlsv1_2',
  'unknown-flag': 'ssl = { verifyext = { "continue" } } -- lsec_continue',
  'unknown-tls-profile': 'tls_profile = "intermdiate"',
  'key-material-in-path': 'ssl = { key = [[\n-----BEGIN PRIVATE KEY-----\n…]] } -- a path, not the key',
  'end-point-hash-invalid': 'tls_server_end_point_hash = "sha256" -- not a hash name: "auto" or the hex hash',
  'unknown-curve': 'ssl = { curveslist = "P-256,P-384" } -- use ":"',
  'wrong-suite-kind': 'ssl = { ciphers = "TLS_AES_128_GCM_SHA256" } -- a TLS 1.3 suite',
  'suite-skipped': 'ssl = { ciphersuites = "TLS_AES_128_GCM_SHA256:ECDHE-RSA-AES128-GCM-SHA256" }',
  'no-protocol-left': 'ssl = { protocol = "tlsv1_2+", options = { "no_tlsv1_2", "no_tlsv1_3" } } -- no version left',
  // (With ciphers that keep TLS 1.0 suites: under 0.12+'s default preset, TLS 1.2 suites only, it is not reported.)
  'unsafe-protocol': 'ssl = { protocol = "tlsv1+", ciphers = "HIGH:!aNULL" }',
  'verify-none-s2s': 'VirtualHost "example.com"\n\tssl = { verify = "none" }',
  'unsafe-option': 'ssl = { options = { "no_dtlsv1_2" } } -- disables TLS 1.2',
  'insecure-setting': 'c2s_require_encryption = false',
  'protocol-pins-tls12': 'ssl = { protocol = "tlsv1_2" } -- no TLS 1.3',
  'curve-ignored': 'ssl = { curve = "secp384r1" } -- curveslist wins',
  'noop-option': 'ssl = { options = { "single_dh_use" } }',
  'options-replace-defaults': '-- Prosody 0.9\nssl = { options = { "no_ticket" } } -- no_sslv3 is gone',
  'deprecated-option': 'legacy_ssl_ports = { 5223 } -- c2s_direct_tls_ports',
  'option-too-new': '-- Prosody 0.11\ntls_profile = "modern" -- 0.12+',
  'global-option-in-host': 'VirtualHost "example.com"\n\ttls_profile = "modern" -- ignored here',
  'check-says-misplaced': 'VirtualHost "example.com"\n\thttps_ssl = { certificate = "certs/example.com.crt" }',
  'sni-setting-ignored': 'VirtualHost "example.com"\n\thttps_ssl = { protocol = "tlsv1_3" } -- the port\'s protocol applies',
  'mode-set': 'ssl = { mode = "server" }',
  'no-tls13-suite': 'ssl = { ciphersuites = "" } -- every handshake fails',
  'verify-requires-peer-cert': 'ssl = { verify = { "peer", "fail_if_no_peer_cert" } } -- clients send no certificate',
};

export function ruleExample(id: string): string | undefined {
  return EXAMPLES[id];
}

function section(r: Rule): string {
  // A rule that stops applying at a release (function-too-new) applies before it: "removed" would misread as the
  // feature having gone.
  const versions = r.prosody?.removed && !r.prosody.since ? `Prosody releases before ${r.prosody.removed}` : describeRange(r.prosody) || 'all Prosody versions';
  const lines = [
    `<a id="rule-${r.id}"></a>`,
    `### \`${r.id}\` — ${r.title}`,
    '',
    `**${SEVERITY[r.severity]}** · ${r.category} · ${versions}`,
    '',
    r.description,
  ];
  const ex = EXAMPLES[r.id];
  if (ex) lines.push('', '```lua', ex, '```');
  return lines.join('\n');
}

/** Markdown for every rule, in table order. */
export function rulesReference(): string {
  return ['## Diagnostics reference', '', 'Each diagnostic links here by its code. Severities can be changed per rule in the settings. Inside a VirtualHost or Component that surely has `enabled = false` (and no subdomain that may take its tables), Prosody loads none of its TLS settings, so its findings are hints that say so; a severity set for the rule, and the findings about what stops the config loading (`syntax-error`, `function-too-new`), stay as they are.', '', ...rules.map((r) => section(r) + '\n')].join('\n').trimEnd() + '\n';
}

/** README text with the reference between the markers (appended at the end when the markers are missing). */
export function spliceRulesReference(readme: string, body: string): string {
  return spliceBlock(readme, 'rules', body);
}
