// A TLS table written as another option's name (`c2s_direct_tls_ssl = ssl`). The config loader of 13.0 answers an
// option read back inside the config with a proxy for `:append` (core/configmanager.lua, config_option_proxy_mt),
// not the table: none of its keys reach LuaSec, and any other key looked up in it (portmanager's
// `prefix_ssl_config[interface]`, a host's `https_ssl.certificate`) throws "Unknown config option operation" —
// a reviewer saw mod_c2s fail to load on 13.0.1 that way. Before 13.0 the same read gives nil (not modelled here).
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { deprecatedOn, getOption, lineInRange, LUA_STATE_GLOBALS } from '../catalog';
import { declaredLocals, hostDeclaresLocal, isLocalAt, type Locals } from '../model/locals';
import type { Setting } from '../model/parse';
import { settingLines } from '../model/tls';
import type { LuaValue } from '../model/values';
import { currentConfig } from './helpers';
import { sectionKey } from './optionIndexed';
import type { Finding, Rule, RuleContext } from './types';

/** The option a variable (`s`'s value) reads back, when the same host set it to a literal table before this line. */
function readBack(ctx: RuleContext, s: Setting, locals: Locals): Setting | undefined {
  const name = ctx.doc.getText().slice(s.value.range[0], s.value.range[1]);
  if (!/^[A-Za-z_]\w*$/.test(name) || isLocalAt(locals, name, s.value.range[0]) || name === 'Lua' || name.startsWith('ENV_')) return undefined;
  const config = currentConfig(ctx)!;
  // The loader reads the section in force only (rawget: a host does not see the global value).
  const before = settingLines(config, s.section, name).filter((o) => o.range[1] <= s.range[0]).at(-1);
  return before && !before.conditional && before.value.kind === 'table' ? before : undefined;
}

const SINCE = { since: '13.0.0' };

function readBackFindings(ctx: RuleContext): Finding[] {
  const config = currentConfig(ctx);
  if (!config || !lineInRange(ctx.line, SINCE)) return [];
  // Asked only once a TLS table is written as a bare name (most configs have none).
  let locals: Locals | undefined;
  const out: Finding[] = [];
  for (const s of config.settings) {
    if (s.value.kind !== 'expression' || s.value.what !== 'variable') continue;
    const opt = getOption(s.name);
    // A deprecated name (`legacy_ssl_ssl`) is deprecated-option's: often nothing reads it at all (a reviewer).
    if (opt?.kind !== 'ssl-table' || deprecatedOn(opt.deprecated, ctx.line)) continue;
    const source = readBack(ctx, s, (locals ??= declaredLocals(ctx.model)));
    if (!source) continue;
    // c2s_ssl/s2s_ssl are layered over the same section's `ssl` anyway: nothing is lost.
    if (source.name === 'ssl' && (s.name === 'c2s_ssl' || s.name === 's2s_ssl')) continue;
    // Where a port, an interface or the certificate is looked up in the table (portmanager for the global tables of
    // listening services, SNI for a host's `<service>_ssl`), the proxy throws.
    const looked = opt.perPort === true && (s.section === 0 || s.name !== 'ssl');
    out.push({
      range: s.value.range,
      message: `Prosody 13.0 hands a config option read back in the config over as a proxy (for \`${source.name}:append(…)\`), not its table: \`${s.name}\` gets none of \`${source.name}\`'s keys${looked ? `, and where Prosody looks a port, an interface or the certificate up in it, it stops with "Unknown config option operation" and the module that opens the port fails to load` : ''}. Write the table to a \`local\` (\`local tls = { … }\`) and assign that to both options.`,
      related: [{ range: source.nameRange, message: `the \`${source.name}\` read back` }],
    });
  }
  return out;
}

/**
 * Before 13.0 the loader looks every name read in the config up in Lua's globals (`rawget(_G, k)`), never in the options
 * set above: `protocol = "tlsv1_3"` then `ssl = { protocol = protocol }` hands LuaSec no protocol, and the default
 * applies (a reviewer's 0.11.9 and 0.12.3 negotiated TLS 1.2; 13.0.1, which reads options back, refused it). Judged
 * where the name was set as an option in the global section above the read (the common case, and one the engine keeps
 * with every chunk), and is neither a `local` declared above nor a global of Prosody's Lua state.
 */
function readBackNilFindings(ctx: RuleContext): Finding[] {
  const config = currentConfig(ctx);
  if (!config) return [];
  // 13.0 reads options back, but only those of the section in force (rawget_option): a host reading a global one gets
  // nil just the same (a reviewer's 13.0.1).
  const perSection = lineInRange(ctx.line, SINCE);
  const globals = new Map<string, Setting>();
  for (const s of config.settings) if (s.section === 0 && !globals.has(s.name)) globals.set(s.name, s);
  const text = ctx.doc.getText();
  let locals: Locals | undefined;
  const out: Finding[] = [];
  const judge = (v: LuaValue, section: number): void => {
    if (v.kind !== 'expression' || v.what !== 'variable' || (perSection && section === 0)) return;
    const name = text.slice(v.range[0], v.range[1]);
    const set = globals.get(name);
    if (!set || set.range[1] > v.range[0] || LUA_STATE_GLOBALS.has(name) || isLocalAt((locals ??= declaredLocals(ctx.model)), name, v.range[0])) return;
    // (By the section's name: a host written twice reads back what either part set; a reviewer's 13.0.1.)
    const key = perSection ? sectionKey(config, section) : undefined;
    if (perSection && (key === undefined || config.settings.some((x) => x.name === name && x.range[1] <= v.range[0] && sectionKey(config, x.section) === key))) return;
    const why = perSection
      ? `Prosody 13.0 hands back only what the same section set above, and this ${config.sections[section]!.kind === 'host' ? 'VirtualHost' : 'Component'} sets no \`${name}\``
      : `Prosody ${ctx.line}'s config loader never hands options back`;
    out.push({
      range: v.range,
      message: `\`${name}\` reads back the option set above, but ${why}: \`${name}\` is nil here, so this value is left out and Prosody's default applies. Declare the value as a \`local\` above (\`local ${name} = …\`) and read that.`,
      related: [{ range: set.nameRange, message: `\`${name}\` set as an option` }],
    });
  };
  for (const s of config.settings) {
    if (s.value.kind === 'expression') judge(s.value, s.section);
    else if (s.value.kind === 'table') for (const f of s.value.fields) judge(f.value, s.section);
  }
  return out;
}

export const readBackRules: readonly Rule[] = [
  {
    id: 'option-read-back', category: 'invalid', severity: DiagnosticSeverity.Error, prosody: SINCE,
    title: 'TLS table written as another option\'s name (13.0 reads it back as a proxy)',
    description: 'On 13.0 a config option read back inside the config (`c2s_direct_tls_ssl = ssl`) is a proxy for `:append`, not the table: none of its keys apply, and the direct-TLS and HTTPS listeners (and SNI for a host\'s `<service>_ssl`) throw "Unknown config option operation" when they look a port, an interface or the certificate up in it, so the module fails to load. A `local` holding the table is the way to share one.',
    // A `local` in a host reaches the lines below it, in other hosts too.
    readsOtherChunks: hostDeclaresLocal,
    check: readBackFindings,
  },
  {
    id: 'option-read-back-nil', category: 'invalid', severity: DiagnosticSeverity.Warning,
    title: 'An option read back as a variable (nil before 13.0)',
    description: 'Before 13.0 the config loader looks a name read in the config up in Lua\'s own globals, never in the options set above it: after `protocol = "tlsv1_3"`, `ssl = { protocol = protocol }` gives LuaSec no protocol, so Prosody\'s default applies (0.11.9 and 0.12.3 still negotiated TLS 1.2 there; 13.0, which reads options back, did not). 13.0 reads options back, but only those of the section in force: a VirtualHost or Component reading a global one gets nil all the same. Declare the value as a `local` and read that. Reported where the name is set in the global section above the read (on 13.0, read in a section that does not set it), and is not a `local` declared above it.',
    readsOtherChunks: hostDeclaresLocal,
    check: readBackNilFindings,
  },
];
