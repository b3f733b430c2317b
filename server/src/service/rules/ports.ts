// Port options nothing reads (core/portmanager.lua, every release examined): it reads `<prefix>_ports` and
// `<prefix>_interfaces` (and, for old configs, `<prefix>_interface`) of each registered service, never a
// singular `<prefix>_port`; and `c2s_ssl_ports` names no service at all (`c2s_ssl` is a TLS table, the
// direct-TLS service is `c2s_direct_tls`). Either way the port the admin meant is never opened. Only
// TLS services are judged here: other names may belong to a community module's service.
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { deprecatedOn, getNetService, lineInRange, serviceOnLine, type NetService, type ProsodyLine } from '../catalog';
import type { Setting } from '../model/parse';
import { currentConfig, lowerFirst, removeSettingFix, renameSettingFix } from './helpers';
import type { Finding, Fix, Rule, RuleContext } from './types';

const SINGULAR_PORT = /^(.+)_port$/;
const TABLE_AS_SERVICE = /^(.+)_ssl_(ports?|interfaces?)$/;


/**
 * What this rule judges a name as: a singular `<TLS service>_port` the line has (with that service), or a
 * `<service>_ssl_ports`-like name (with the base service and the suffix); undefined for any other name.
 */
export function portNameJudged(name: string, line: ProsodyLine): { single: NetService } | { base: NetService; service: string; suffix: string } | undefined {
  const single = SINGULAR_PORT.exec(name);
  const named = single ? getNetService(single[1]!) : undefined;
  if (named?.encrypted && lineInRange(line, named.prosody)) return { single: named };
  const table = TABLE_AS_SERVICE.exec(name);
  const base = table && !getNetService(`${table[1]}_ssl`) ? getNetService(table[1]!) : undefined;
  return base ? { base, service: table![1]!, suffix: table![2]! } : undefined;
}

function portsNotRead(ctx: RuleContext): Finding[] {
  const config = currentConfig(ctx);
  if (!config) return [];
  const text = ctx.doc.getText();
  // Port options are read globally only (config.get("*", …)): what a host section sets counts for nothing.
  const global = new Set(config.settings.filter((s) => s.section === 0).map((s) => s.name));
  const out: Finding[] = [];
  const advise = (s: Setting, to: string, preferred: boolean): { text: string; fixes: Fix[] } => {
    if (s.section > 0) return { text: `Port options are read only globally: write \`${to}\` above the first VirtualHost.`, fixes: [] };
    if (global.has(to)) return { text: `\`${to}\` is set too, and is the one Prosody reads: remove this line.`, fixes: [removeSettingFix(text, s)] };
    return { text: `Rename it to \`${to}\`.`, fixes: [{ ...renameSettingFix(text, s, to), preferred }] };
  };
  for (const s of config.settings) {
    const judged = portNameJudged(s.name, ctx.line);
    if (!judged) continue;
    if ('single' in judged) {
      const named = judged.single;
      // An old name gets today's (legacy_ssl_port → c2s_direct_tls_ports on 0.12+).
      const service = (deprecatedOn(named.deprecated, ctx.line) && getNetService(named.deprecated!.replacement)) || named;
      const plural = `${service.prefix}_ports`;
      const listens = named.defaultPorts?.length ? `it listens on its default port${named.defaultPorts.length > 1 ? 's' : ''} (${named.defaultPorts.join(', ')}) instead` : 'it has no default port, so it listens nowhere';
      const { text: instead, fixes } = advise(s, plural, true);
      out.push({ range: s.nameRange, message: `Prosody reads \`${named.prefix}_ports\` (one port or a list), never \`${s.name}\`: ${global.has(plural) && s.section === 0 ? 'this line does nothing.' : `${listens}.`} ${instead}`, fixes });
      continue;
    }
    const { base, service: written } = judged;
    // https_ssl_ports: https is itself TLS from the first byte; c2s_ssl_ports meant the direct-TLS c2s service.
    const counterpart = base.encrypted ? base : base.directTls !== undefined ? getNetService(base.directTls) : undefined;
    const meant = counterpart && serviceOnLine(counterpart, ctx.line);
    const suffix = judged.suffix.startsWith('port') ? 'ports' : 'interfaces';
    const to = meant ? `${meant.prefix}_${suffix}` : undefined;
    const head = `There is no \`${written}_ssl\` service (\`${written}_ssl\` is a TLS table), so nothing reads \`${s.name}\`${suffix === 'ports' ? ' and no port opens for it' : ''}.`;
    if (!to) {
      out.push({ range: s.nameRange, message: `${head} Prosody ${ctx.line} has no direct-TLS ${written} service; remove it.`, fixes: [removeSettingFix(text, s)] });
      continue;
    }
    const { text: instead, fixes } = advise(s, to, false);
    out.push({ range: s.nameRange, message: `${head} For TLS from the first byte: ${lowerFirst(instead)}`, fixes });
  }
  return out;
}

export const portRules: readonly Rule[] = [
  {
    id: 'ports-not-read', category: 'pitfall', severity: DiagnosticSeverity.Warning,
    title: 'Port option that nothing reads',
    description: 'Prosody\'s port manager reads `<service>_ports` and `<service>_interfaces` of each service. A singular `c2s_direct_tls_port` or `https_port` is read by nothing, and `c2s_ssl_ports` names no service (`c2s_ssl` is a TLS table; the direct-TLS service is `c2s_direct_tls`, `legacy_ssl` before 0.12): the port meant never opens. Only TLS services are judged; other names may be a community module\'s.',
    check: portsNotRead,
  },
];
