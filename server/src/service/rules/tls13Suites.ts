// TLS 1.3 allowed with no TLS 1.3 suite. OpenSSL's server refuses every handshake, TLS 1.2 ones included, when the
// highest version it allows has no suite (tls_setup_handshake: "no ciphers available"). `ciphersuites = ""` is
// accepted (OpenSSL explicitly allows an empty list), and so is a list of TLS 1.2 suites' standard names (tls13.ts),
// so LuaSec builds the context and Prosody starts; a reviewer's 0.12.3 runs failed every handshake with both.
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { compareVersions, findValue, getSslKey, lineInRange, NEWEST_RELEASE, splitServiceOption, sslKeyReadOn, type NetService, type ProsodyLine } from '../catalog';
import { findTls12ByStdName } from '../ciphers';
import { effectiveEntry, entryString } from '../model/layering';
import type { ParsedConfig } from '../model/parse';
import type { TlsTable } from '../model/tls';
import type { TableField } from '../model/values';
import { andList, appliedTables, clientsConnect, contextOf, currentConfig, effectiveFlags, flagsFor, joinedList, liveField, portsWritten, readTables, removeKeyFix, servicesOnGlobalSsl } from './helpers';
import { allowedBy } from './protocolLeft';
import type { Finding, Rule, RuleContext } from './types';
import { globalVerdict } from './globalVerdict';

/** What a `ciphersuites` value leaves TLS 1.3: 'empty', 'tls12' (TLS 1.2 standard names only), or undefined (a suite, or unknown). */
function noTls13Suite(f: TableField): 'empty' | 'tls12' | undefined {
  const joined = joinedList(f.value);
  return joined ? noTls13SuiteIn(joined.text) : undefined;
}

/** noTls13Suite for a `ciphersuites` string as Prosody hands it to LuaSec (list items joined with `:`). */
export function noTls13SuiteIn(text: string): 'empty' | 'tls12' | undefined {
  if (text === '') return 'empty';
  const names = text.split(':').map((n) => n.trim()).filter((n) => n !== '');
  // Only separators: OpenSSL refuses the list (wrong-suite-kind says so). An unknown name is skipped.
  if (!names.length || names.some((n) => findValue('ciphersuites', n)?.name === n)) return undefined;
  return names.some((n) => findTls12ByStdName(n)) ? 'tls12' : undefined;
}

/** Whether a protocol and the options beside it surely leave TLS 1.3 on (unknown: false). */
function tls13On(protocol: string | undefined, flags: ReadonlyMap<string, boolean> | undefined, line: ProsodyLine): boolean {
  if (protocol === undefined || !allowedBy(protocol, line)?.includes('tlsv1_3')) return false;
  return flags !== undefined && !flags.get('no_tlsv1_3');
}

/** TLS 1.3 surely on for a section's STARTTLS connections of one kind, by the layering of that section. */
function startTlsOn(config: ParsedConfig, section: number, context: 'c2s' | 's2s', line: ProsodyLine): boolean {
  const entry = effectiveEntry(config, section, context, line, 'protocol');
  return tls13On(entry && entryString(entry), effectiveFlags(config, section, context, line, 'options'), line);
}

/**
 * The STARTTLS connections this entry is the `ciphersuites` of, with TLS 1.3 on: a host's table for its own
 * connections, a global one for each host (and Component) that takes it (a reviewer: a global `c2s_ssl` every host's
 * own `ssl` writes over was judged for a host that does not exist).
 */
function startTlsKinds(config: ParsedConfig, t: TlsTable, f: TableField, line: ProsodyLine): Set<'c2s' | 's2s'> {
  const kinds = new Set<'c2s' | 's2s'>();
  if (t.sub !== undefined || contextOf(t) === 'port') return kinds;
  // A file without hosts (a main config whose hosts live in conf.d/) is judged as the global section.
  const hosts = config.sections.map((_, i) => i).filter((i) => i > 0);
  const sections = t.section > 0 ? [t.section] : hosts.length ? hosts : [0];
  for (const i of sections) {
    for (const c of clientsConnect(config, { section: i }) ? (['c2s', 's2s'] as const) : (['s2s'] as const)) {
      if (!kinds.has(c) && effectiveEntry(config, i, c, line, 'ciphersuites')?.range?.[0] === f.range[0] && startTlsOn(config, i, c, line)) kinds.add(c);
    }
  }
  return kinds;
}

/**
 * The direct-TLS and HTTPS services whose ports take this entry, with TLS 1.3 on there: a service's own table when
 * its ports are set, the global `ssl` for services whose ports are set and that have no table of their own
 * (portmanager; a reviewer's 0.12.3 runs: "no ciphers available" on the direct-TLS port). Not where a `[port]` table
 * of the same option may write over it. OpenSSL checks the port's context before SNI picks a host's.
 */
function portServices(config: ParsedConfig, t: TlsTable, line: ProsodyLine): NetService[] {
  if (t.section !== 0 || t.sub !== undefined || readTables(config, line).some((o) => o.option === t.option && o.sub !== undefined)) return [];
  const own = splitServiceOption(t.option);
  const services = t.option === 'ssl'
    ? servicesOnGlobalSsl(config, line, (sv) => sv.encrypted === true)
    : own?.suffix === '_ssl' && own.service.encrypted && lineInRange(line, own.service.prosody) && portsWritten(config, own.service.prefix) ? [own.service] : [];
  if (!services.length) return [];
  const written = liveField(t, 'protocol');
  const entry = written ? undefined : effectiveEntry(config, 0, 'port', line, 'protocol');
  const protocol = written ? (written.value.kind === 'string' ? written.value.value : undefined) : entry && entryString(entry);
  return tls13On(protocol, flagsFor(config, t, line, 'port'), line) ? services : [];
}

function noTls13SuiteFindings(ctx: RuleContext): Finding[] {
  const config = currentConfig(ctx);
  // From 0.12 the stack surely has TLS 1.3 (LuaSec 0.9+ on OpenSSL 1.1.1+). 0.11 commonly ran on OpenSSL 1.1.1 with
  // LuaSec 0.8 or 1.0, which pass `ciphersuites` on (real 0.11.9 with LuaSec 1.0 / OpenSSL 1.1.1w and 1.2 / 3.0: alert
  // 40 for TLS 1.3 and 1.2 alike): a Warning there, as an older LuaSec or OpenSSL has no TLS 1.3 to lose. 0.10's
  // usual OpenSSL (1.1.0) had none.
  if (!config || compareVersions(NEWEST_RELEASE[ctx.line], '0.11.0') < 0 || !sslKeyReadOn('ciphersuites', ctx.line)) return [];
  const surely = compareVersions(NEWEST_RELEASE[ctx.line], '0.12.0') >= 0;
  const out: Finding[] = [];
  for (const t of appliedTables(config, ctx.line)) {
    const f = liveField(t, 'ciphersuites');
    const kind = f && noTls13Suite(f);
    if (!f || !kind) continue;
    const kinds = startTlsKinds(config, t, f, ctx.line);
    const ports = portServices(config, t, ctx.line);
    const where = [
      ...(kinds.size ? [`${andList([...kinds].map((c) => (c === 'c2s' ? 'client' : 'server-to-server')))} connections`] : []),
      ...(ports.length ? [`the ports of ${andList(ports.map((sv) => `\`${sv.name ?? sv.prefix}\``))}`] : []),
    ];
    if (!where.length) continue;
    const what = kind === 'empty' ? 'is empty' : 'names TLS 1.2 suites only (by their standard names, which OpenSSL takes here and offers to TLS 1.2 clients)';
    out.push({
      range: f.value.range,
      message: `\`ciphersuites\` ${what}, so TLS 1.3 has no suite while the protocol in force allows it: ${surely ? '' : `with OpenSSL 1.1.1 or later and LuaSec ${getSslKey('ciphersuites')?.luasec?.since} or later (Debian 11 ships both with Prosody ${ctx.line}), `}OpenSSL then refuses every handshake on ${andList(where)}, TLS 1.2 ones too ("no ciphers available"), although Prosody starts. Remove \`ciphersuites\` to keep OpenSSL's TLS 1.3 suites; to switch TLS 1.3 off, write \`protocol = "tlsv1_2"\` instead.`,
      fixes: [removeKeyFix(ctx.doc.getText(), t, 'ciphersuites', 'Remove ciphersuites', true)],
      ...(surely ? {} : { severity: DiagnosticSeverity.Warning }),
    });
  }
  return out;
}

export const tls13SuiteRules: readonly Rule[] = [
  {
    id: 'no-tls13-suite', category: 'pitfall', severity: DiagnosticSeverity.Error, prosody: { since: '0.11.0' },
    // A global table's verdict reads every host's layering.
    readsOtherChunks: globalVerdict((global) => global.settings.some((o) => o.value.kind === 'table' && o.value.fields.some((x) => x.key === 'ciphersuites'))),
    title: 'TLS 1.3 allowed with no TLS 1.3 suite',
    description: 'An empty `ciphersuites`, or one that names only TLS 1.2 suites by their standard names (`TLS_RSA_WITH_AES_128_CBC_SHA`, which OpenSSL 3 takes there), leaves TLS 1.3 without a suite. Where the protocol and options in force allow TLS 1.3, OpenSSL refuses every handshake, TLS 1.2 ones included ("no ciphers available"), yet LuaSec builds the context and Prosody starts. A global table is judged for each host that takes it, and for the direct-TLS and HTTPS ports that take it where their ports are set. On 0.11 a Warning: there it holds where LuaSec is 0.8 or later and OpenSSL 1.1.1 or later, as on Debian 11 (checked on its 0.11.9, LuaSec 1.0 and OpenSSL 1.1.1). Remove `ciphersuites` to keep the default TLS 1.3 suites, or write `protocol = "tlsv1_2"` to switch TLS 1.3 off.',
    check: noTls13SuiteFindings,
  },
];
