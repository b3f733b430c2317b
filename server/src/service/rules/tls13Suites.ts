// TLS 1.3 allowed with no TLS 1.3 suite. OpenSSL's server refuses every handshake, TLS 1.2 ones included, when the
// highest version it allows has no suite (tls_setup_handshake: "no ciphers available"). `ciphersuites = ""` is
// accepted (OpenSSL explicitly allows an empty list), and so is a list of TLS 1.2 suites' standard names (tls13.ts),
// so LuaSec builds the context and Prosody starts; a reviewer's 0.12.3 runs failed every handshake with both.
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { compareVersions, findValue, NEWEST_RELEASE, sslKeyReadOn, type ProsodyLine } from '../catalog';
import { findTls12ByStdName } from '../ciphers';
import { effectiveEntry, entryString, type LayerContext } from '../model/layering';
import type { ParsedConfig } from '../model/parse';
import type { TlsTable } from '../model/tls';
import type { TableField } from '../model/values';
import { appliedTables, currentConfig, flagsFor, joinedList, layerContextsOf, liveField, removeKeyFix } from './helpers';
import type { Finding, Rule, RuleContext } from './types';

/** What a `ciphersuites` value leaves TLS 1.3: 'empty', 'tls12' (TLS 1.2 standard names only), or undefined (a suite, or unknown). */
function noTls13Suite(f: TableField): 'empty' | 'tls12' | undefined {
  const joined = joinedList(f.value);
  if (!joined) return undefined;
  if (joined.text === '') return 'empty';
  const names = joined.parts.map((p) => p.name.trim()).filter((n) => n !== '');
  // Only separators: OpenSSL refuses the list (wrong-suite-kind says so). An unknown name is skipped.
  if (!names.length || names.some((n) => findValue('ciphersuites', n)?.name === n)) return undefined;
  return names.some((n) => findTls12ByStdName(n)) ? 'tls12' : undefined;
}

/** Whether the protocol and options in force surely leave TLS 1.3 on for this context (unknown: false). */
function tls13SurelyOn(config: ParsedConfig, t: TlsTable, context: LayerContext, line: ProsodyLine): boolean {
  const entry = effectiveEntry(config, t.section, context, line, 'protocol');
  const protocol = entry && entryString(entry);
  if (protocol === undefined || !(protocol === 'tlsv1_3' || protocol.endsWith('+') || protocol === 'sslv23' || protocol === 'any')) return false;
  const flags = flagsFor(config, t, line, context);
  return flags !== undefined && !flags.get('no_tlsv1_3');
}

function noTls13SuiteFindings(ctx: RuleContext): Finding[] {
  const config = currentConfig(ctx);
  // From 0.12 the stack surely has TLS 1.3 (LuaSec 0.9+ on OpenSSL 1.1.1+); before, it may have none to lose.
  if (!config || compareVersions(NEWEST_RELEASE[ctx.line], '0.12.0') < 0 || !sslKeyReadOn('ciphersuites', ctx.line)) return [];
  const out: Finding[] = [];
  for (const t of appliedTables(config, ctx.line)) {
    const f = liveField(t, 'ciphersuites');
    const kind = f && noTls13Suite(f);
    if (!f || !kind) continue;
    // Judged for the STARTTLS connections whose ciphersuites in force this entry is (a port's table is left alone).
    const on = layerContextsOf(config, t).filter((c) => c !== 'port' && effectiveEntry(config, t.section, c, ctx.line, 'ciphersuites')?.range?.[0] === f.range[0] && tls13SurelyOn(config, t, c, ctx.line));
    if (!on.length) continue;
    const what = kind === 'empty' ? 'is empty' : 'names TLS 1.2 suites only (by their standard names, which OpenSSL takes here and offers to TLS 1.2 clients)';
    out.push({
      range: f.value.range,
      message: `\`ciphersuites\` ${what}, so TLS 1.3 has no suite while the protocol in force allows it: OpenSSL then refuses every handshake on these connections, TLS 1.2 ones too ("no ciphers available"), although Prosody starts. Remove \`ciphersuites\` to keep OpenSSL's TLS 1.3 suites; to switch TLS 1.3 off, write \`protocol = "tlsv1_2"\` instead.`,
      fixes: [removeKeyFix(ctx.doc.getText(), t, 'ciphersuites', 'Remove ciphersuites', true)],
    });
  }
  return out;
}

export const tls13SuiteRules: readonly Rule[] = [
  {
    id: 'no-tls13-suite', category: 'pitfall', severity: DiagnosticSeverity.Error, prosody: { since: '0.12.0' },
    title: 'TLS 1.3 allowed with no TLS 1.3 suite',
    description: 'An empty `ciphersuites`, or one that names only TLS 1.2 suites by their standard names (`TLS_RSA_WITH_AES_128_CBC_SHA`, which OpenSSL 3 takes there), leaves TLS 1.3 without a suite. Where the protocol and options in force allow TLS 1.3, OpenSSL refuses every handshake, TLS 1.2 ones included ("no ciphers available"), yet LuaSec builds the context and Prosody starts. Remove `ciphersuites` to keep the default TLS 1.3 suites, or write `protocol = "tlsv1_2"` to switch TLS 1.3 off.',
    check: noTls13SuiteFindings,
  },
];
