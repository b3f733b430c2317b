// Pitfalls: settings that work but do not do what they seem to (facts §1, §3, §4.4, §7).

import { DiagnosticSeverity, DiagnosticTag } from 'vscode-languageserver-types';
import { compareVersions, servesClients, sniNameInstead, configOptions, curveNameOn, deprecatedOn, findValue, getOption, getProfile, getSslKey, lineInRange, NEWEST_RELEASE, netServices, PROSODY_LINES, readPerHostForSni, readsThroughFalse, SNI_CERTIFICATE_ONLY, SNI_PER_HOST, splitServiceOption, sslKeys, type ConfigOption, type NetService, type ProsodyLine, type TlsContext } from '../catalog';
import { ChunkMemo } from '../model/chunkMemo';
import { childSections, effectiveEntry, effectiveSettings, entryString, entryStrings, type LayerContext } from '../model/layering';
import { globalVerdict } from './globalVerdict';
import { findSetting, inForce, lastFirm, overriddenLater, setTrue, setUnconditionally, settingLines, tlsTables, type TlsTable } from '../model/tls';
import type { ParsedConfig, Setting } from '../model/parse';
import type { Range, TableField } from '../model/values';
import { noProtocolLeft } from './protocolLeft';
import { curveslistInForce, inheritedCurveslistRange } from './invalid';
import { noTls13SuiteIn } from './tls13Suites';
import { weakGroupFindings } from './weakGroups';
import { s2sNoContinueFindings } from './s2sContinue';
import { andList, appliedTables, clientsConnect, currentConfig, joinedList, lowerFirst, serverOnlyTable, effectiveFlags, ignoredUnder, insertAfterEdit, layerContextsOf, liveField, liveFields, markedFlagFindings, nameRefs, nextListEntry, readTables, removeEntriesFix, removeKeyFix, servicePorts, servicesOnGlobalSsl, removeSettingFix, renameSettingEdit, renameSettingFix, replaceFix, sectionTitle, sectionWord, sniContext, sniIgnored, sniServiceListens, versionHint, whyUnread } from './helpers';
import type { Finding, Fix, Related, Rule, RuleContext } from './types';

const atLeast = (ctx: RuleContext, v: string): boolean => compareVersions(NEWEST_RELEASE[ctx.line], v) >= 0;

function exactTls12(ctx: RuleContext): Finding[] {
  const config = currentConfig(ctx);
  if (!config || !atLeast(ctx, '0.10.0')) return [];
  const out: Finding[] = [];
  for (const t of appliedTables(config, ctx.line)) {
    if (ctx.globalOnly && t.section !== 0) continue; // (the engine keeps the global section's findings alone)
    const f = liveField(t, 'protocol');
    if (f?.value.kind !== 'string' || f.value.value !== 'tlsv1_2') continue;
    // Where the `ciphersuites` in force leave TLS 1.3 no suite, the pin is what keeps TLS working: "tlsv1_2+" would
    // fail every handshake (no-tls13-suite; a reviewer's fix sweep on a real 0.12.3).
    if (tls13WithoutSuite(config, t, ctx.line, f)) continue;
    out.push({
      range: f.value.range,
      message: '`"tlsv1_2"` without `+` means exactly TLS 1.2 (LuaSec 0.8+ pins both ends), so TLS 1.3 is switched off. Write `"tlsv1_2+"` for TLS 1.2 and newer.',
      fixes: [replaceFix(f.value.range, '"tlsv1_2+"', 'Change to "tlsv1_2+"')],
    });
  }
  return out;
}

/**
 * The `ciphersuites` in force where the table applies (its own, else its layering's) leave TLS 1.3 no suite; for a
 * global table, also in a host that takes its protocol but sets such `ciphersuites` in a table of its own (review
 * 140: `"tlsv1_2+"` there failed every handshake of that host on real 0.11.9, 0.12.3 and 13.0.1, "no ciphers available").
 */
function tls13WithoutSuite(config: ParsedConfig, t: TlsTable, line: ProsodyLine, protocol: TableField): boolean {
  const own = liveField(t, 'ciphersuites');
  if (own) {
    const joined = joinedList(own.value);
    return joined !== undefined && noTls13SuiteIn(joined.text) !== undefined;
  }
  const contexts = layerContextsOf(config, t).filter((c) => c !== 'port');
  const without = (section: number, c: LayerContext): boolean => {
    const e = effectiveEntry(config, section, c, line, 'ciphersuites');
    // (A string, or a list of them, which Prosody joins with `:`; a computed or rendered-short value is unknown.)
    const text = e && (entryString(e) ?? entryStrings(e)?.join(':'));
    return text !== undefined && !e!.value.endsWith('…') && noTls13SuiteIn(text) !== undefined;
  };
  if (contexts.some((c) => without(t.section, c))) return true;
  if (t.section !== 0) return false;
  const takesThis = (section: number, c: LayerContext): boolean => effectiveEntry(config, section, c, line, 'protocol')?.range?.[0] === protocol.range[0];
  // Only the hosts whose own tables (or their parent domain's) write `ciphersuites` can differ from the global verdict.
  const writing = new Set<number>();
  for (const st of config.settings) {
    if (st.section === 0 || writing.has(st.section) || st.value.kind !== 'table' || !st.value.fields.some((x) => x.key === 'ciphersuites')) continue;
    writing.add(st.section);
    for (const child of childSections(config, st.section)) writing.add(child);
  }
  return [...writing].some((i) => contexts.some((c) => takesThis(i, c) && without(i, c)));
}

function curveIgnored(ctx: RuleContext): Finding[] {
  const config = currentConfig(ctx);
  if (!config) return [];
  const out: Finding[] = [];
  for (const t of appliedTables(config, ctx.line)) {
    const c = liveField(t, 'curve');
    if (!c || (c.value.kind === 'boolean' && !c.value.value) || c.value.kind === 'expression' || c.value.kind === 'nil') continue;
    // In every layering the table takes part in (a reviewer's 0.12.3 run: under `s2s_ssl = { curveslist = false }`
    // the host's curve was the one server connections used).
    const contexts = layerContextsOf(config, t);
    if (!contexts.every((cx) => curveslistInForce(config, t, ctx.line, cx) === true)) continue;
    const own = liveField(t, 'curveslist');
    const related: Related[] = [];
    if (own) related.push({ range: own.range, message: 'This curveslist is in force, so LuaSec ignores curve.' });
    else {
      // The one in force where this table applies (a reviewer: every curveslist of the section was listed, a host's
      // direct-TLS one too, which reaches neither its STARTTLS layering nor, as a port key, its own SNI context).
      for (const cx of contexts) {
        const at = inheritedCurveslistRange(config, t, ctx.line, cx);
        if (at && !related.some((r) => r.range === at)) related.push({ range: at, message: `The curveslist in force here${contexts.length > 1 ? ` for ${cx === 'c2s' ? 'client' : 'server-to-server'} connections` : ''}, so LuaSec ignores curve.` });
      }
    }
    const bad = c.value.kind === 'string' && !findValue('curve', c.value.value);
    // `P-384` for `secp384r1`, a Brainpool curve: names LuaSec 0.6's fixed table does not hold (catalog/curves.ts).
    const refusedBy06 = bad || (c.value.kind === 'string' && !curveNameOn(c.value.value, '0.9'));
    // The name LuaSec 0.6 takes for it (`secp384r1` for `P-384`), else a curve it has.
    const canonical = c.value.kind === 'string' ? findValue('curve', c.value.value)?.name : undefined;
    const oldName = canonical !== undefined && curveNameOn(canonical, '0.9') ? canonical : 'secp384r1';
    // With no list of the user's, 0.12+ takes the one of the tls_profile preset in force (intermediate by default).
    const preset = own || related.length ? undefined : effectiveSettings(config, t.section, contexts[0]!, ctx.line).find((e) => e.key === 'curveslist')?.from;
    const source = own
      ? 'the `curveslist` in this table'
      : related.length
        ? 'a `curveslist` set elsewhere'
        : preset?.startsWith('tls_profile')
          ? `the \`curveslist\` of the \`${preset.replace('tls_profile ', 'tls_profile = ')}\` preset`
          : 'Prosody\'s own default `curveslist` (since 0.10)';
    // LuaSec 0.6 (Ubuntu 18.04 beside 0.10.0) knows no curveslist: there `curve` is the one in force, and 0.12+
    // needs a newer LuaSec anyway.
    const oldLuaSec = ctx.line === '0.10' || ctx.line === '0.11';
    const lead = oldLuaSec ? 'With LuaSec 0.7 or later, `curve` has no effect' : '`curve` has no effect';
    const unnoticed = bad ? ' (which is why its invalid name goes unnoticed)' : '';
    const luasec06 = !oldLuaSec
      ? ''
      : refusedBy06
        ? ` LuaSec 0.6 knows no \`curveslist\` and uses \`curve\`, and refuses this name ("elliptic curve not supported"): write \`"${oldName}"\` if you still run it.`
        : ' (LuaSec 0.6 knows no `curveslist` and still uses `curve`.)';
    out.push({
      range: c.keyRange,
      message: `${lead}: ${source} is in force, and LuaSec then ignores \`curve\`${unnoticed}.${luasec06} Remove it, and list groups in \`curveslist\` if you want to choose them.`,
      related,
      fixes: [removeKeyFix(ctx.doc.getText(), t, 'curve', 'Remove curve', true)],
    });
  }
  return out;
}

function noopOptions(ctx: RuleContext): Finding[] {
  // 0.9 ran mostly on OpenSSL 1.0.x, where these flags still counted, and takes the table's list instead of its
  // defaults: removing one there may drop a setting that works.
  const advice = ctx.line === '0.9' ? ' Remove it if this Prosody runs on OpenSSL 1.1.0 or later; on OpenSSL 1.0.x it still counts (and 0.9 uses your `options` list instead of its defaults).' : ' Remove it.';
  const serverOnly = (name: string, t: TlsTable): string => `\`${name}\` does nothing in \`${t.option}\`: it changes only what OpenSSL does as a client, and Prosody builds server contexts alone from this table (incoming connections). Remove it.`;
  const out = markedFlagFindings(ctx, (v, t) => (v.noop ? `\`${v.name}\` does nothing on OpenSSL 1.1.0 and later (OpenSSL 3 defines it as 0).${advice}` : v.clientSide && serverOnlyTable(t.option) ? serverOnly(v.name, t) : undefined), (_name, why) => why);
  const config = currentConfig(ctx);
  for (const s of config?.settings ?? []) {
    const none = getOption(s.name)?.noEffectValue;
    // Under a host it does nothing for a plainer reason: global-option-in-host says so.
    if (!none || s.section !== 0 || s.value.kind !== 'boolean' || s.value.value !== none.value) continue;
    out.push({ range: s.value.range, message: `\`${s.name} = ${none.value}\` ${none.why}`, fixes: [removeSettingFix(ctx.doc.getText(), s)] });
  }
  return out;
}

function optionsReplaceDefaults(ctx: RuleContext): Finding[] {
  const config = currentConfig(ctx);
  if (!config || ctx.line !== '0.9') return [];
  const out: Finding[] = [];
  for (const t of readTables(config, ctx.line)) {
    const f = liveField(t, 'options');
    if (!f || f.value.kind !== 'table' || f.value.fields.length || !f.value.items.every((i) => i.kind === 'string')) continue;
    const proto = liveField(t, 'protocol');
    const protocol = proto?.value.kind === 'string' ? proto.value.value : proto ? undefined : 'sslv23';
    if (protocol !== 'sslv23' && protocol !== 'any') continue;
    const names = nameRefs(f.value).map((r) => r.name);
    if (names.includes('no_sslv3')) continue;
    const items = f.value.items;
    const last = items[items.length - 1];
    // An empty list may still hold comments (a commented-out list): insert after `{` rather than replace them.
    const [open, close] = [f.value.range[0] + 1, f.value.range[1] - 1];
    const blank = ctx.doc.getText().slice(open, close).trim() === '';
    const edit = last ? { range: [last.range[1], last.range[1]] as const, newText: `, ${nextListEntry(ctx.doc.getText(), items, '"no_sslv3"')}` } : blank ? { range: [open, close] as const, newText: ' "no_sslv3" ' } : { range: [open, open] as const, newText: ' "no_sslv3"' };
    out.push({
      range: f.keyRange,
      message: `In Prosody 0.9 this \`options\` list replaces the defaults instead of adding to them; it lacks \`no_sslv3\`, so SSL 3.0 (broken by POODLE) is allowed again where OpenSSL still has it. Add \`"no_sslv3"\`${droppedDefaults(names)}.`,
      fixes: [{ title: 'Add "no_sslv3"', preferred: true, edits: [edit] }],
    });
  }
  return out;
}

/** The other 0.9 default flags a list leaves out, as advice: " (it also drops …: add those you want to keep)". */
function droppedDefaults(names: readonly string[]): string {
  const defaults = getSslKey('options')?.defaults['0.9'];
  const dropped = Array.isArray(defaults) ? defaults.map(String).filter((d) => d !== 'no_sslv3' && !names.includes(d)) : [];
  return dropped.length ? ` (it also drops the default ${andList(dropped.map((d) => `\`"${d}"\``))}: add those you want to keep)` : '';
}

/** What deprecated-option says instead of a rename: advice, maybe a fix, and the line that makes this one dead. */
type Verdict = { text: string; fix?: Fix; related?: Finding['related'] };

function deprecatedOptions(ctx: RuleContext): Finding[] {
  const config = currentConfig(ctx);
  if (!config) return [];
  const out: Finding[] = [];
  const text = ctx.doc.getText();
  const plans = config.settings.flatMap((s) => {
    const dep = deprecationOn(s.name, ctx.line);
    // A host's global-only option does nothing under either name: global-option-in-host says more.
    return dep?.replacement && !misplacedUnderOldName(config, s, dep.replacement) ? [{ s, dep, replacement: dep.replacement }] : [];
  });
  // Lines of a service a one-line-at-a-time rename would serve; those of one service are renamed together.
  const renames = new Map<Setting, string>();
  const advice = new Map<Setting, Verdict>();
  for (const { s, dep, replacement } of plans) {
    const service = splitServiceOption(s.name)?.service;
    const verdict = service ? serviceVerdict(config, s, service, replacement) : optionVerdict(config, s, replacement, readsThroughFalse(dep, ctx.line));
    if (verdict === 'rename') renames.set(s, replacement);
    else advice.set(s, verdict);
  }
  // A service renamed in part would split its ports from its TLS tables: while one of its lines needs something
  // else first, none is offered a rename.
  for (const [s] of renames) {
    const prefix = splitServiceOption(s.name)?.service.prefix;
    if (prefix === undefined || ![...advice.keys()].some((o) => splitServiceOption(o.name)?.service.prefix === prefix)) continue;
    renames.delete(s);
    advice.set(s, { text: `Rename the \`${prefix}_*\` lines together once the others' messages are dealt with: renaming only some of them would split the ports from their TLS settings.` });
  }
  for (const { s, dep, replacement } of plans) {
    const service = splitServiceOption(s.name)?.service;
    const given = advice.get(s);
    // A renamed service reads only its new names: the old `_ssl` tables (hosts' too) go with its ports.
    const together = service ? [...renames].filter(([o]) => o !== s && splitServiceOption(o.name)?.service === service) : [];
    const extra = s.name === 'require_encryption' ? ' (and `s2s_require_encryption` for servers)' : '';
    const others = [...new Set(together.filter(([o]) => o.name !== s.name).map(([o, r]) => `\`${o.name}\` to \`${r}\``))].concat(together.some(([o]) => o.name === s.name) ? [`the other \`${s.name}\` lines`] : []);
    const advise = given?.text ?? (together.length ? `Write \`${replacement}\`, and rename ${others.join(' and ')} with it: the renamed service reads only its new names.` : `Write \`${replacement}\`${extra}.`);
    // Named in one order whichever line offers it, so the editor shows one entry, not one per order.
    const renameAll: Fix = { title: `Rename ${[...new Set([s, ...together.map(([o]) => o)].map((o) => o.name))].sort().join(', ')} to their new names`, preferred: true, edits: [[s, replacement] as const, ...together].map(([o, r]) => renameSettingEdit(text, o, r)) };
    out.push({
      range: s.nameRange,
      message: `\`${s.name}\` is deprecated${dep.since ? ` since ${dep.since}` : ''}: ${lowerFirst(dep.reason)} ${advise}`,
      fixes: given ? (given.fix ? [given.fix] : undefined) : together.length ? [renameAll] : [renameSettingFix(text, s, replacement)],
      // The dead line's fix holds only while the line that makes it dead is there (same section, or the global one).
      ...(given?.related ? { related: given.related, dependsOn: given.related.map((r) => r.range) } : {}),
    });
  }
  return out;

  /**
   * `require_encryption` → `c2s_require_encryption`: mod_tls reads the new name first (host, then global), and
   * the old one only when the new one is set nowhere. A rename is offered only when it changes nothing Prosody
   * reads under any condition; lines inside `if` may not run, so they neither override nor take for sure.
   */
  function optionVerdict(cfg: ParsedConfig, s: Setting, replacement: string, readThroughFalse: boolean): 'rename' | Verdict {
    const unread = whyUnread(cfg, s, replacement, readThroughFalse);
    // 0.10: mod_tls reads `new or old`, mod_saslauth the new name alone when it is set. A line the new name surely
    // takes (unread) may go unless a section whose new name may be false reads through to it; a rename is safe only
    // when neither name is written anywhere else. Everything else gets advice only.
    if (readThroughFalse && unread !== 'overridden') {
      const readThrough = cfg.settings.some((o) => o.name === replacement && !setTrue(cfg, o.section, replacement) && (o.section === s.section || (s.section === 0 && !setUnconditionally(cfg, o.section, s.name))));
      const alone = !cfg.settings.some((o) => o !== s && (o.name === replacement || o.name === s.name));
      if (readThrough || (unread === undefined && !alone)) {
        return { text: `Prosody ${ctx.line} reads these two names differently (mod_tls takes \`${replacement} or ${s.name}\`, mod_saslauth \`${replacement}\` alone when it is set), so renaming or removing this line could change what a host gets: decide on one value per host, write it as \`${replacement}\` and remove the \`${s.name}\` lines.` };
      }
    }
    if (unread === 'taken-here') return { text: `\`${replacement}\` is already set here, so remove this line (keeping both can configure the same thing twice).`, fix: removeSettingFix(text, s), related: takenBy(replacement, s.section) };
    if (unread === 'taken-globally') return { text: `\`${replacement}\` is already set globally, which Prosody reads before this line, so remove this line.`, fix: removeSettingFix(text, s), related: takenBy(replacement, 0) };
    if (unread === 'overridden') return overriddenVerdict(s);
    const notes: string[] = [];
    if (cfg.settings.some((o) => o !== s && o.conditional && o.section === s.section && (o.name === s.name || o.name === replacement))) {
      notes.push(`Rename every \`${s.name}\` line of this section (those inside \`if\` too) and put them above any line here that sets \`${replacement}\`: Prosody takes \`${replacement}\` first, so renaming this line alone could change what the condition decides.`);
    }
    // A global new name inside `if` beats a host's old name only when it runs: a renamed host line needs that
    // same `if` line repeated below it to keep losing to it.
    const conditionalGlobal = cfg.settings.some((o) => o.conditional && o.section === 0 && o.name === replacement);
    const repeat = `repeat the global \`if … ${replacement} … end\` line below it`;
    if (s.section > 0 && conditionalGlobal) {
      notes.push(`A global \`${replacement}\` inside \`if\` overrides this line only when its condition holds; renamed, this line would win always, so keep the old name, or rename it and ${repeat} in this host.`);
    }
    if (s.section === 0 && cfg.settings.some((o) => o.section > 0 && o.name === s.name && !setUnconditionally(cfg, o.section, replacement))) {
      notes.push(`Rename the hosts' own \`${s.name}\` lines too, above any \`${replacement}\` line in those hosts${conditionalGlobal ? `, and ${repeat} in each of them` : ''}: a global \`${replacement}\` is read before a host's \`${s.name}\`, so renaming this line alone would override them.`);
    }
    return notes.length ? { text: notes.join(' ') } : 'rename';
  }

  /** A line a later one of the same name overrides (outside any `if`) is dead: removing it changes nothing. */
  function overriddenVerdict(s: Setting): Verdict {
    const later = lastFirm(settingLines(config!, s.section, s.name));
    return { text: `A later \`${s.name}\` in the same section overrides this line, so remove it.`, fix: removeSettingFix(text, s), ...(later ? { related: [{ range: later.nameRange, message: `the \`${s.name}\` Prosody reads` }] } : {}) };
  }

  /** The line of the new name that Prosody reads instead (`section`: this one, or the global one). */
  function takenBy(replacement: string, section: number): Finding['related'] {
    const taker = lastFirm(settingLines(config!, section, replacement));
    return taker ? [{ range: taker.nameRange, message: `the \`${replacement}\` Prosody reads` }] : undefined;
  }

  /**
   * `legacy_ssl_*` → `c2s_direct_tls_*`: in 0.12+ the two are separate listeners, each reading its own
   * `<prefix>_ports` and `<prefix>_ssl` (hosts' own tables too, for SNI), with no fallback between them.
   */
  function serviceVerdict(cfg: ParsedConfig, s: Setting, service: NetService, replacement: string): 'rename' | Verdict {
    const newPrefix = splitServiceOption(replacement)?.service.prefix;
    // A `= nil` line sets nothing, so it opens no listener of its own.
    const ofService = (prefix: string | undefined) => cfg.settings.filter((o) => o.value.kind !== 'nil' && splitServiceOption(o.name)?.service.prefix === prefix);
    if (ofService(newPrefix).length) {
      // Without a default port (the catalog's; legacy_ssl has none) or ports of its own, the old one never listens.
      if (!service.defaultPorts?.length && !cfg.settings.some((o) => o.name === `${service.prefix}_ports`)) {
        return { text: `\`${service.prefix}\` has no ports here (it has no default port), so nothing reads this line: remove it.`, fix: removeSettingFix(text, s) };
      }
      // The same port in both: mod_c2s registers c2s_direct_tls first, which binds it; legacy_ssl's listener logs
      // "Multiple services configured to listen on the same port" at every start (a reviewer's 13.0.1 run).
      const newService = splitServiceOption(replacement)?.service;
      const ports = (sv: NetService): string[] => {
        const list = servicePorts(cfg, sv);
        return list === 'unsure' ? [] : list;
      };
      const shared = s.name === `${service.prefix}_ports` && newService ? ports(service).filter((p) => ports(newService).includes(p)) : [];
      const clash = shared.length ? ` Both list port${shared.length > 1 ? 's' : ''} ${shared.join(', ')}: only \`${newPrefix}\` binds ${shared.length > 1 ? 'them' : 'it'}, and Prosody logs "Multiple services configured to listen on the same port" at every start.` : '';
      return { text: `This config also sets \`${newPrefix}_*\` options, and the two names are separate listeners in Prosody 0.12+: merge the ports and TLS tables into the \`${newPrefix}_*\` options by hand, then remove these.${clash}` };
    }
    if (overriddenLater(cfg, s)) return overriddenVerdict(s);
    if (unsetAfter(cfg, s.section, s, replacement)) return { text: `Write \`${replacement}\`, and remove the later \`${replacement} = nil\`, which would unset the renamed line.` };
    const old = ofService(service.prefix);
    if (old.some((o) => overriddenLater(cfg, o))) return { text: `Remove the overridden duplicate \`${service.prefix}_*\` lines first (renamed, the rest would bring them back into force), then rename.` };
    if (old.some((o) => o.conditional)) return { text: `Rename every \`${service.prefix}_*\` line at once (those inside \`if\` too): the old and new names are separate services, so renaming some lines only would split ports from their TLS settings.` };
    return 'rename';
  }
}

/**
 * How to tell the checker the server runs a newer release: where the line in force came from decides what to edit
 * (a version comment beats every setting, so naming the setting then would not help).
 */
/** True when the option came after the line in force (an option that was removed is another matter). */
function tooNewFor(ctx: RuleContext, opt: ConfigOption): boolean {
  return opt.prosody?.since !== undefined && !lineInRange(ctx.line, { since: opt.prosody.since });
}

/**
 * Options newer than the line in force: nothing reads them there, so what they ask for silently does not
 * happen (a `tls_profile = "modern"` on 0.11 leaves the old defaults in force). Only options whose catalog
 * entry says what to do instead, or a direct-TLS service whose older name does the same job.
 */
function optionsTooNew(ctx: RuleContext): Finding[] {
  const config = currentConfig(ctx);
  if (!config) return [];
  const out: Finding[] = [];
  const text = ctx.doc.getText();
  for (const s of config.settings) {
    const opt = getOption(s.name);
    if (!opt || !tooNewFor(ctx, opt) || asksForOldBehaviour(s)) continue;
    const found = tooNewAdvice(ctx, config, s, opt);
    if (!found) continue;
    const { split, advice, instead } = found;
    const what = split ? `Prosody ${ctx.line} has no ${split.service.prefix} service (it came in ${opt.prosody!.since})` : `it came in Prosody ${opt.prosody!.since}`;
    // A table nothing reads, renamed, starts to apply: not the preferred fix, and said (review 140: its protocol and
    // options then broke a direct-TLS port that worked on a real 0.11.9).
    const revives = advice?.rename !== undefined && s.value.kind === 'table' && s.value.fields.length > 0;
    const rename = advice?.rename ? { ...renameSettingFix(text, s, advice.rename), preferred: !revives } : undefined;
    out.push({
      range: s.nameRange,
      // A service the line lacks, with no older name to move to: nothing reads the line, so removing it is the fix.
      fixes: rename ? [rename] : advice?.remove || (split && !advice) ? [removeSettingFix(text, s)] : undefined,
      message: `\`${s.name}\` does nothing on Prosody ${ctx.line}: ${what}, and nothing in Prosody ${ctx.line} reads it. ${instead}${revives ? ' Renamed, the settings it holds start to apply there: check them first.' : ''} ${versionHint(ctx, opt.prosody!.since!)}`,
    });
  }
  return out;
}

/**
 * What to write instead of an option the line lacks, when that is known: the older name of its service, the
 * catalog's `before`, or (a service the line lacks is read nowhere) removing it. Undefined: say nothing.
 */
function tooNewAdvice(ctx: RuleContext, config: ParsedConfig, s: Setting, opt: ConfigOption): { split?: ReturnType<typeof splitServiceOption>; advice?: ReturnType<typeof olderServiceAdvice>; instead: string } | undefined {
  // `c2s_ssl` also splits as service + suffix; only options that are as new as their service count here.
  const split = [splitServiceOption(s.name)].find((x) => x?.service.prosody?.since === opt.prosody!.since);
  const older = split && netServices.find((o) => o.deprecated?.replacement === split.service.prefix);
  const advice = older ? olderServiceAdvice(ctx, config, s, older.prefix, split.suffix) : undefined;
  const instead = advice?.text ?? opt.before ?? (split ? 'Remove it.' : undefined);
  return instead === undefined ? undefined : { split, advice, instead };
}

/**
 * What an older line reads instead of a `<service><suffix>` option of a service it lacks: the same option of
 * the service's older name (`c2s_direct_tls_ports` → `legacy_ssl_ports`), read only from the global section.
 * A certificate goes into that service's ssl table: `<service>_certificate` needs a service name certmanager
 * matches, and 0.10.0's pattern (`%w+`) does not match `legacy_ssl`.
 */
function olderServiceAdvice(ctx: RuleContext, config: ParsedConfig, s: Setting, prefix: string, suffix: string): { text: string; rename?: string; remove?: true } | undefined {
  if (suffix === '_certificate') {
    return { text: `In Prosody ${ctx.line} the service is \`${prefix}\`: name the files with \`certificate\` and \`key\` in a global \`${prefix}_ssl\` table instead.` };
  }
  const name = prefix + suffix;
  const option = getOption(name);
  if (!option || tooNewFor(ctx, option)) return undefined;
  if (unsetAfter(config, 0, s, name)) return { text: `In Prosody ${ctx.line} the service is \`${prefix}\`: write \`${name}\` instead, and remove the later \`${name} = nil\`, which would unset it.` };
  if (inForce(config, 0, name)) return { text: `\`${name}\`, which Prosody ${ctx.line} reads instead, is already set, so remove this line.`, remove: true };
  return { text: `In Prosody ${ctx.line} the service is \`${prefix}\`: write \`${name}\`${s.section > 0 ? ' in the global section' : ''} instead.`, rename: s.section === 0 ? name : undefined };
}

/** The last `name` line of `section` is a `= nil` after `s`: it would unset `s` renamed to `name`. */
function unsetAfter(config: ParsedConfig, section: number, s: Setting, name: string): boolean {
  const last = findSetting(config, section, name);
  return last?.value.kind === 'nil' && last.range[0] > s.range[0];
}

/** `tls_profile = "legacy"` asks for no preset: what lines before 0.12 do anyway, so nothing fails to happen. */
function asksForOldBehaviour(s: Setting): boolean {
  if (s.name !== 'tls_profile' || s.value.kind !== 'string') return false;
  const profile = getProfile(s.value.value);
  return profile !== undefined && Object.values(profile.sets).every((set) => Object.keys(set ?? {}).length === 0);
}

/**
 * A deprecated global-only option under a host does nothing under either name, so global-option-in-host
 * reports it (naming the new name) rather than deprecated-option (whose rename would keep it misplaced).
 * A service's ssl table is read per host for SNI on the lines that deprecate its old name, so it is not.
 */
function misplacedUnderOldName(config: ParsedConfig, s: Setting, replacement: string): boolean {
  const opt = getOption(replacement);
  return s.section > 0 && opt?.kind !== 'ssl-table' && ignoredUnder(opt, config.sections[s.section]!.kind === 'host' ? 'host' : 'component');
}

/** Options read only from the global section (facts §3), set under a VirtualHost or Component. */
function misplaced(ctx: RuleContext, want: 'ignored' | 'check-only'): Finding[] {
  const config = currentConfig(ctx);
  if (!config) return [];
  const out: Finding[] = [];
  const sni = lineInRange(ctx.line, SNI_PER_HOST);
  for (const s of config.settings) {
    if (s.section === 0) continue;
    const opt = getOption(s.name);
    if (!opt) continue;
    const renamed = deprecatedOn(opt.deprecated, ctx.line)?.replacement;
    if (renamed && !misplacedUnderOldName(config, s, renamed)) continue; // see deprecated-option
    if (tooNewFor(ctx, opt)) continue; // read nowhere on this line, so moving it would not help (option-too-new)
    const section = config.sections[s.section]!;
    const head = `\`${s.name}\` under ${sectionTitle(section)}`;
    // Point at the section header: users often miss that every line below it belongs to that host.
    const related = [{ range: section.range, message: `The ${sectionWord(section.kind)} section starts here; every setting below it, up to the next section, belongs to it.` }];
    if (readPerHostForSni(opt, s.name)) {
      // 0.12+ portmanager reads `<prefix>_ssl` per host when adding that host's SNI certificate; whether its ciphers
      // reach that context is the catalog's (SslKey.sni: 0.12 yes, 13.0 certificate and key only).
      const sniGives = sniIgnored({ option: s.name, section: s.section }, 'ciphers', ctx.line) ? { what: '', keep: '' } : { what: ', and its TLS 1.2 `ciphers`', keep: ' or ciphers' };
      if (sni && want === 'check-only') out.push({ range: s.nameRange, related, message: `${head} is read per host for SNI since Prosody 0.12 (this host's certificate and key${sniGives.what} on that service), but the ports' own TLS settings come only from the global one, and \`prosodyctl check config\` reports it as misplaced. Keep it here if it gives this host its own certificate${sniGives.keep} on that service; settings meant for the ports themselves belong in the global one.` });
      if (!sni && want === 'ignored') out.push({ range: s.nameRange, related, message: `${head} has no effect before Prosody 0.12: this option is only read from the global section. Move it above the first VirtualHost.` });
      continue;
    }
    const kind = section.kind === 'host' ? 'host' : 'component';
    const readHere = opt.scopes.includes(kind);
    if (ignoredUnder(opt, kind) && want === 'ignored') {
      // The per-host side effect a hostNote describes comes only from a true value (mod_tls tests truthiness).
      const sideEffect = opt.hostNote !== undefined && s.value.kind !== 'nil' && !(s.value.kind === 'boolean' && !s.value.value);
      const effect = sideEffect ? `takes effect server-wide only from the global section; ${opt.hostNote}.` : 'has no effect: Prosody reads this option only from the global section.';
      const global = findSetting(config, 0, s.name);
      if (global) {
        // Moving this line up would override the global value for every host: say which value is read instead.
        const fix = sideEffect ? undefined : [removeSettingFix(ctx.doc.getText(), s)];
        const advice = sideEffect ? 'The global section sets it too, and only that value counts server-wide: change it there to change it for every host.' : 'The global section sets it too, and only that value is read: change it there if every host should get this one, and remove this line.';
        out.push({ range: s.nameRange, related: [...related, { range: global.nameRange, message: `The global \`${s.name}\`, the one Prosody reads.` }], message: `${head} ${effect} ${advice}`, fixes: fix });
        continue;
      }
      if (renamed && findSetting(config, 0, renamed)) {
        out.push({ range: s.nameRange, related, message: `${head} ${effect} \`${renamed}\`, its new name, is already set there, so remove this line.`, fixes: [removeSettingFix(ctx.doc.getText(), s)] });
        continue;
      }
      const rename = renamed ? `, as \`${renamed}\` (its new name)` : '';
      // The table the port reads: moved up, it would give every host this one's certificate. SNI reads another name.
      const sniName = atLeast(ctx, '0.12.0') ? sniNameInstead(s.name) : undefined;
      if (sniName) {
        out.push({ range: s.nameRange, related, message: `${head} ${effect} For this host's own certificate on that service, Prosody reads \`${sniName}\` here instead (its SNI contexts go by the service's name, not the option prefix the port reads): rename it to that.`, fixes: [renameSettingFix(ctx.doc.getText(), s, sniName)] });
        continue;
      }
      out.push({ range: s.nameRange, related, message: `${head} ${effect} Move it above the first VirtualHost${rename}.` });
    } else if (readHere && opt.checkSaysGlobalOnly && want === 'check-only' && atLeast(ctx, '0.12.0')) {
      // Before 0.12 prosodyctl's own list of global options was short (pidfile, log, plugin_paths, …) and
      // matched only `_ports`/`_interfaces`/`_ssl` names; 0.12's check.lua added s2s_require_encryption & co.
      // Where only part of it applies per host (hostNote), moving a `false` up would lower it for every host.
      const message = opt.hostNote
        ? `${head} ${opt.hostNote}; \`prosodyctl check config\` also reports it as misplaced. Set it in the global section to change that for every host, and remove this line.`
        : `${head} does apply to this host, but \`prosodyctl check config\` reports it as misplaced; move it to the global section if you want a clean check.`;
      out.push({ range: s.nameRange, related, message });
    } else if (readHere && opt.hostNote && want === 'ignored' && ctx.line === '0.11') {
      // 0.11's prosodyctl check says nothing (its list of global options is short), but the split a hostNote describes
      // holds there too: mod_s2s is global and reads the global value once (0.11.9 mod_s2s.lua; a reviewer).
      out.push({ range: s.nameRange, related, message: `${head} ${opt.hostNote}. Set it in the global section to change that for every host, and remove this line.` });
    }
  }
  return out;
}

function modeSet(ctx: RuleContext): Finding[] {
  const config = currentConfig(ctx);
  if (!config) return [];
  const out: Finding[] = [];
  for (const t of appliedTables(config, ctx.line)) {
    const f = liveField(t, 'mode');
    if (!f || !getSslKey('mode')) continue;
    // Outgoing HTTPS only ever runs as a client: `mode = "client"` there is what Prosody sets anyway.
    if (t.option === 'client_https_ssl' && f.value.kind === 'string' && f.value.value === 'client') continue;
    // A table that only ever builds server contexts (`c2s_ssl`, a direct-TLS service's): `mode = "server"` is
    // Prosody's own (a reviewer's 0.12.3 run: c2s STARTTLS completed with it).
    if (serverOnlyTable(t.option) && f.value.kind === 'string' && f.value.value === 'server') continue;
    out.push({ range: f.keyRange, message: '`mode` is chosen by Prosody per connection (server for incoming, client for outgoing); setting it here overrides that and breaks one direction. Remove it.', fixes: [removeKeyFix(ctx.doc.getText(), t, 'mode', 'Remove mode', true)] });
  }
  return out;
}

/** Contexts where Prosody is the server for clients (XMPP clients, browsers): few of them present a certificate. */
const CLIENT_FACING: ReadonlySet<string> = new Set<TlsContext>(['c2s', 'c2s_direct_tls', 'legacy_ssl', 'https', 'multiplex_ssl']);

/**
 * The global `ssl` is the table of a client-facing direct-TLS service whose ports are set and which has no
 * `<service>_ssl` of its own (portmanager's layering), whatever a `c2s_ssl` says for STARTTLS.
 */
function portsWithoutTable(config: ParsedConfig, t: TlsTable, line: ProsodyLine): boolean {
  return t.option === 'ssl' && t.section === 0 && servicesOnGlobalSsl(config, line, (sv) => CLIENT_FACING.has(sv.name ?? sv.prefix)).length > 0;
}

/** The contexts a table reaches: the catalog's for named options, the service's own for `<service>_ssl`. */
function contextsOf(t: TlsTable): readonly string[] {
  const split = splitServiceOption(t.option);
  return split?.suffix === '_ssl' ? [split.service.name ?? split.service.prefix] : t.contexts;
}

/**
 * `verify` with `fail_if_no_peer_cert` where clients connect: OpenSSL then ends every handshake whose peer sends no
 * certificate, and XMPP clients and browsers normally send none (they log in after TLS). For `ssl` and `c2s_ssl`
 * only where that verify is the one in force for client connections (a `c2s_ssl` above may set its own).
 */
function requiresPeerCert(ctx: RuleContext): Finding[] {
  const config = currentConfig(ctx);
  if (!config) return [];
  const out: Finding[] = [];
  for (const t of appliedTables(config, ctx.line)) {
    const f = liveField(t, 'verify');
    // OpenSSL reads fail_if_no_peer_cert only together with peer (SSL_VERIFY_PEER); verify is replaced, not merged.
    const names = f ? nameRefs(f.value).filter((r) => r.on && r.form !== 'key').map((r) => r.name) : [];
    if (!f || !names.includes('fail_if_no_peer_cert') || !names.includes('peer')) continue;
    if (!clientsConnect(config, t)) continue;
    const starttls = t.option === 'ssl' || t.option === 'c2s_ssl';
    const reaches = starttls && t.sub === undefined
      ? effectiveSettings(config, t.section, 'c2s', ctx.line).find((e) => e.key === 'verify')?.range?.[0] === f.range[0] || portsWithoutTable(config, t, ctx.line)
      : !starttls && contextsOf(t).some((c) => CLIENT_FACING.has(c));
    if (!reaches) continue;
    out.push({
      range: f.value.range,
      message: '`fail_if_no_peer_cert` makes the server end every handshake in which the client sends no certificate, and XMPP clients and browsers normally send none (they log in after TLS is up): those connections fail. Remove it from `verify`, unless every client of this service really has a certificate.',
    });
  }
  return out;
}

/**
 * 13.0: `verify` with `peer` in force for client connections and no `lsec_continue` in the `verifyext` in force. 13.0
 * dropped that flag from the defaults (mod_tls adds it for s2s only), so a client whose certificate does not verify
 * now fails the handshake ("alert unknown ca" in two reviewers' 13.0.1 runs), where 0.12.3 let it in to log in with
 * a password. `fail_if_no_peer_cert` is verify-requires-peer-cert's.
 */
function verifyPeerNoContinue(ctx: RuleContext): Finding[] {
  if (ctx.line !== '13.0') return [];
  const config = currentConfig(ctx);
  if (!config) return [];
  const out: Finding[] = [];
  const list = readTables(config, ctx.line);
  for (const t of list) {
    const port = directClientPort(config, t, list);
    if (!port && (t.sub !== undefined || (t.option !== 'ssl' && t.option !== 'c2s_ssl') || !clientsConnect(config, t))) continue;
    const f = liveField(t, 'verify');
    const names = f ? nameRefs(f.value).filter((r) => r.on && r.form !== 'key').map((r) => r.name) : [];
    if (!f || !names.includes('peer') || names.includes('fail_if_no_peer_cert')) continue;
    // The verify in force for the section's client connections is this one (a `c2s_ssl` above may set its own); a
    // port's table sits over the global layers, and its own `verifyext` over theirs.
    if (!port && effectiveSettings(config, t.section, 'c2s', ctx.line).find((e) => e.key === 'verify')?.range?.[0] !== f.range[0]) continue;
    // (util/sslconfig merges `verifyext` sets: the port table's own entries go over the global layers'.)
    const ownExt = port ? liveField(t, 'verifyext') : undefined;
    if (ownExt?.value.kind === 'expression') continue;
    const own = ownExt ? nameRefs(ownExt.value).filter((r) => r.name === 'lsec_continue') : [];
    if (own.some((r) => r.on)) continue;
    const ext = effectiveFlags(config, t.section, port ? 'port' : 'c2s', ctx.line, 'verifyext');
    if (!ext || (ext.get('lsec_continue') && !own.length)) continue; // computed layers: not judged
    const fix = lsecContinueEdit(ctx.doc.getText(), t, f);
    out.push({
      range: f.value.range,
      message: `On Prosody 13.0 \`"peer"\` here makes a client that presents a certificate which does not verify (self-signed, from an unknown CA, expired) fail the TLS handshake${port ? ` on the ${port} port` : ''} ("unknown ca"): 13.0 no longer puts \`lsec_continue\` in the default \`verifyext\`, as 0.12 did to let such a client in and log in with its password (Prosody now adds it for server-to-server connections only). To keep that, write \`verifyext = { "lsec_continue" }\` in this table; if refusing those clients is what you want, turn this rule off.`,
      fixes: fix ? [{ title: 'Add lsec_continue to verifyext', preferred: false, edits: [fix] }] : [],
    });
  }
  return out;
}

/**
 * The client-facing direct-TLS service whose listening ports a global table sets up (`c2s_direct_tls_ssl`,
 * `legacy_ssl_ssl`), where no `[port]` table of it writes a `verify`: 13.0's c2s_direct_tls service brings no
 * `ssl_config` of its own, so its verifyext is the global layers' (a reviewer's 13.0.1 run: "unknown ca" on the
 * direct-TLS port for a self-signed client certificate). Undefined for any other table.
 */
function directClientPort(config: ParsedConfig, t: TlsTable, list: readonly TlsTable[]): string | undefined {
  if (t.section !== 0 || t.sub !== undefined) return undefined;
  const own = splitServiceOption(t.option);
  if (!own || own.suffix !== '_ssl' || !servesClients(own.service)) return undefined;
  const ports = servicePorts(config, own.service);
  if (ports === 'unsure' || !ports.length) return undefined;
  if (list.some((o) => o.option === t.option && o.sub !== undefined && liveField(o, 'verify'))) return undefined;
  return own.service.prefix;
}

/**
 * The edit that lets clients with a certificate that does not verify in again: `"lsec_continue"` added to the table's
 * own `verifyext` list, or a `verifyext` written after `verify`. None for a `verifyext` of another shape (a map that
 * may set the flag false, a string): the message says what to write.
 */
function lsecContinueEdit(text: string, t: TlsTable, verify: TableField): { range: Range; newText: string } | undefined {
  const own = liveField(t, 'verifyext');
  if (!own) return insertAfterEdit(text, verify, 'verifyext = { "lsec_continue" }');
  const v = own.value;
  if (v.kind !== 'table' || v.fields.length || v.items.some((i) => i.kind !== 'string')) return undefined;
  const last = v.items[v.items.length - 1];
  return last ? { range: [last.range[1], last.range[1]], newText: `, ${nextListEntry(text, v.items, '"lsec_continue"')}` } : { range: v.range, newText: '{ "lsec_continue" }' };
}

/**
 * A key written twice in one TLS table: Lua keeps the last value of a table constructor, so the earlier entry is never
 * read (a reviewer in a real editor: two `protocol` lines, the first silently dropped). Said on each earlier entry.
 */
function duplicateKeys(ctx: RuleContext): Finding[] {
  const config = currentConfig(ctx);
  if (!config) return [];
  const text = ctx.doc.getText();
  const out: Finding[] = [];
  for (const t of appliedTables(config, ctx.line)) {
    const last = new Map<string | number, TableField>();
    for (const f of t.table.fields) last.set(f.key, f);
    if (last.size === t.table.fields.length) continue;
    for (const f of t.table.fields) {
      const later = last.get(f.key)!;
      if (later === f) continue;
      // (No line number in the text: a kept finding is moved with its chunk, its message is not rewritten.)
      const name = typeof f.key === 'string' ? `\`${f.key}\`` : `\`[${f.key}]\``;
      const gone = later.value.kind === 'nil' ? `a later \`${typeof f.key === 'string' ? f.key : `[${f.key}]`} = nil\` removes it` : 'it is set again further down, and Lua keeps the last value';
      out.push({
        range: f.keyRange,
        message: `${name} appears twice in this table: ${gone}, so this entry is never read. Remove it, or the later one if this value is the one you want.`,
        related: [{ range: later.keyRange, message: 'the entry Prosody reads' }],
        fixes: [removeEntriesFix(text, [f.range], `Remove this ${typeof f.key === 'string' ? f.key : 'entry'}`)],
      });
    }
  }
  return out;
}

/**
 * A TLS table a later line of the same name replaces in its section (Lua keeps the last value): what it
 * holds is never read, so its contents are not judged either (tableReadOn) - one hint says so instead.
 */
function tableReplaced(ctx: RuleContext): Finding[] {
  const config = currentConfig(ctx);
  if (!config) return [];
  const out: Finding[] = [];
  const text = ctx.doc.getText();
  for (const t of tlsTables(config)) {
    if (t.sub !== undefined || !overriddenLater(config, t.setting)) continue;
    const later = lastFirm(settingLines(config, t.section, t.setting.name))!;
    out.push({
      range: t.setting.nameRange,
      message: `This \`${t.setting.name}\` table is replaced by the later \`${t.setting.name}\` in the same section, so Prosody never reads anything in it (a later assignment replaces the whole table; nothing is merged). Move what you need into that one and remove this.`,
      related: [{ range: later.nameRange, message: `the \`${t.setting.name}\` Prosody reads` }],
      fixes: [removeSettingFix(text, t.setting)],
    });
  }
  return out;
}


/**
 * Keys of a host's own service table that its SNI context (0.12+) does not take (catalog SslKey.sni): reviewers'
 * `openssl s_client` runs against 0.12.3 (the host's certificate and `ciphers` applied, its protocol, options and
 * groups did not) and 13.0.1 (only its certificate and key). A service with no ports serves no host: not reported.
 */
function sniSettingIgnored(ctx: RuleContext): Finding[] {
  const config = currentConfig(ctx);
  if (!config) return [];
  const text = ctx.doc.getText();
  const out: Finding[] = [];
  const certificateOnly = lineInRange(ctx.line, SNI_CERTIFICATE_ONLY);
  for (const t of readTables(config, ctx.line)) {
    if (!sniContext(t) || !sniServiceListens(config, t)) continue;
    // The same literal shared through a `local` with a global table, where its keys do count: removing them would
    // change that one (a reviewer's instrumented run: the port's context took the shared options).
    const literal = t.setting.value.range[0];
    if (config.settings.some((o) => o.section === 0 && o !== t.setting && o.value.kind === 'table' && o.value.range[0] === literal)) continue;
    const section = config.sections[t.section]!;
    const where = sectionTitle(section);
    for (const f of liveFields(t)) {
      if (typeof f.key !== 'string' || !sniIgnored(t, f.key, ctx.line)) continue;
      out.push({
        range: f.keyRange,
        message: `\`${f.key}\` in the \`${t.option}\` of ${where} does not change what clients naming this host (SNI) get: ${certificateOnly ? `Prosody ${ctx.line} gives this host's context only this table's certificate and key, and everything else comes from the port's context` : `LuaSec switches to this table's context for its certificate, key, \`ciphers\`, CA file and DH parameters, but OpenSSL keeps the \`${f.key}\` of the port's context, set when the connection was accepted`} (the global \`${t.option}\` over the global \`ssl\`). ${f.key === 'mode' ? 'Remove it: Prosody sets the mode of each connection itself (mode-set).' : 'Set it there to change it for every host on those ports, or remove it here (a value LuaSec refuses still costs this host its own context).'}`,
        fixes: [removeKeyFix(text, t, f.key, `Remove ${f.key}`)],
      });
    }
  }
  return out;
}

const E = DiagnosticSeverity.Error;
const W = DiagnosticSeverity.Warning;
const I = DiagnosticSeverity.Information;
const H = DiagnosticSeverity.Hint;

// Whether a name is deprecated on some line, asked of every setting on every keystroke: remembered per name (the
// catalog builds service options such as `legacy_ssl_ssl` on each lookup). Names typed letter by letter add up: capped.
const deprecatedNames = new Map<string, boolean>();
function deprecatedName(name: string): boolean {
  let d = deprecatedNames.get(name);
  if (d === undefined) {
    if (deprecatedNames.size >= 10_000) deprecatedNames.clear();
    deprecatedNames.set(name, (d = getOption(name)?.deprecated !== undefined));
  }
  return d;
}

/** The deprecation of a setting's name on this line (deprecatedOn), the catalog asked only for names that have one. */
function deprecationOn(name: string, line: ProsodyLine): ConfigOption['deprecated'] {
  return deprecatedName(name) ? deprecatedOn(getOption(name)?.deprecated, line) : undefined;
}

/** The Prosody lines on which one of these settings has a deprecated name with a replacement. */
function deprecatedLines(settings: readonly Setting[]): readonly ProsodyLine[] {
  return PROSODY_LINES.filter((line) => settings.some((s) => deprecationOn(s.name, line)?.replacement !== undefined));
}

/** A global table pinning `"tlsv1_2"` (protocol-pins-tls12's global findings read the hosts), per global chunk. */
const globalPin = globalVerdict((global) => global.settings.some((s) => s.value.kind === 'table' && s.value.fields.some((f) => f.key === 'protocol' && f.value.kind === 'string' && f.value.value === 'tlsv1_2')));
/** A chunk that writes `ciphersuites` somewhere (a text test: a comment mentioning it only costs a wider run). */
const hostSuites = new ChunkMemo((text) => text.includes('ciphersuites'));

// Per parsed chunk: its settings where it was last parsed (names are all this reads; `p.config` would move the chunk).
const deprecatedIn = new ChunkMemo((_text, p) => deprecatedLines(p.entry.parsed.settings));

export const pitfallRules: readonly Rule[] = [
  {
    id: 'curveslist-weak-only', category: 'pitfall', severity: W, prosody: { since: '0.10.0' },
    title: 'Every group in curveslist is below 112 bits',
    description: 'Groups such as `secp160r1`, `sect163k1` or `prime192v1` give less than 112 bits of security. TLS 1.3 may use none of them (RFC 8446 keeps X25519, X448, the NIST P curves and the ffdhe groups), and OpenSSL builds at security level 2 (Debian\'s and Ubuntu\'s, and OpenSSL\'s own default from 3.2) skip them for TLS 1.2 too. A `curveslist` naming only such groups leaves no ECDHE key exchange: LuaSec builds the context and Prosody starts, but TLS 1.3 handshakes fail ("no suitable key share") and so do TLS 1.2 ones with ECDHE suites (checked with LuaSec 1.2 on OpenSSL 3.0). Next to a usable group such names are skipped; their hover says so. Write `"X25519:P-256:P-384"`, or remove `curveslist` to keep the default.',
    check: weakGroupFindings,
  },
  {
    id: 's2s-verify-no-continue', category: 'pitfall', severity: W, prosody: { removed: '13.0.0' },
    title: 'lsec_continue taken out of the verifyext server connections use (0.9–0.12)',
    description: 'Server-to-server connections ask the remote server for its certificate, and Prosody\'s default `verifyext` holds `lsec_continue`, which lets one that does not verify through so that Prosody can fall back to dialback. `lsec_continue = false` (or, on 0.9, a `verifyext` list without it, which replaces the default) in a table those connections read makes such a handshake fail ("certificate verify failed"): servers with a self-signed or expired certificate can no longer federate. Checked with LuaSec 1.2 on OpenSSL 3.0. 13.0 adds the flag for server connections itself. Remove `lsec_continue = false`, or list `"lsec_continue"`.',
    check: s2sNoContinueFindings,
  },
  // A pitfall, not an invalid value: LuaSec builds the context and Prosody starts (the invalid category is held to
  // "LuaSec refuses the context" by the oracle test); the connections then fail.
  {
    id: 'no-protocol-left', category: 'pitfall', severity: E,
    title: 'Options switch off every TLS version the protocol allows',
    description: 'The `no_…` flags in the `options` in force (merged over every layer: host and global `ssl`, `c2s_ssl`/`s2s_ssl`, the defaults and the `tls_profile` preset) switch off every version the `protocol` in force allows: `"tlsv1_2"` with `no_tlsv1_2` (or `no_dtlsv1_2`, which shares its bit), `"tlsv1_2+"` with `no_tlsv1_2` and `no_tlsv1_3`, `"sslv23"` with a flag for every version. LuaSec still builds the context and Prosody starts, but every TLS handshake fails ("no protocols available"). Nothing is said where TLS 1.3 may be left, or where a flag or a layer is computed. A pinned `"tlsv1"`, `"tlsv1_1"` or `"tlsv1_2"` with its own flag fails this way on LuaSec 0.8 or later with OpenSSL 1.1.0 or later, which 13.0 needs; older LuaSec releases, and LuaSec on OpenSSL 1.0.x, pin with a method that ignores the `no_` flags, so on 0.10 to 0.12 the message says it depends on that (the flag is wrong either way), and on 0.9 nothing is said. Before 13.0 `sslv23`/`any` also need `no_sslv2` to be left with nothing (OpenSSL 1.0.x may have SSL 2.0). `no_ssl_mask` is reported by `unsafe-option`. The quick fix removes the flags that switch TLS 1.2 and 1.3 off.',
    check: noProtocolLeft,
  },
  {
    id: 'protocol-pins-tls12', category: 'pitfall', severity: I, prosody: { since: '0.10.0' },
    // A global pin's finding reads the hosts: one whose own `ciphersuites` leave TLS 1.3 no suite keeps it quiet. Only
    // while some host chunk writes `ciphersuites` (else every keystroke re-judged a global pin over every host: the
    // bench's 10 000 lines went from 2 to 60 ms after an edit); the engine also runs it once more after the last goes.
    readsOtherChunks: (model, line) => globalPin(model, line) !== false && (!model.parts || hostSuites.some(model.parts, model.text, (x) => x, 1)) && 'global',
    title: 'protocol = "tlsv1_2" switches TLS 1.3 off',
    description: 'Without `+`, LuaSec 0.8+ allows exactly the named version. `"tlsv1_2+"` means TLS 1.2 and newer. Not said where the `ciphersuites` in force leave TLS 1.3 no suite (in the table\'s own layering, or, for a global table, in a host that takes its protocol): there the pin is what keeps handshakes working.',
    check: exactTls12,
  },
  {
    id: 'curve-ignored', category: 'pitfall', severity: H, tags: [DiagnosticTag.Unnecessary],
    title: 'curve has no effect while a curveslist is in force',
    description: 'Since 0.10.1 Prosody sets a default `curveslist` whenever LuaSec supports it, and LuaSec then ignores `curve` entirely — even an invalid name passes. Choose groups with `curveslist`.',
    check: curveIgnored,
  },
  {
    id: 'noop-option', category: 'pitfall', severity: H, tags: [DiagnosticTag.Unnecessary],
    title: 'Option flag or setting that does nothing on current OpenSSL',
    description: `Seventeen flag names (e.g. \`single_dh_use\`, \`no_sslv2\`, \`microsoft_sess_id_bug\`) are defined as 0 since OpenSSL 1.1.0; LuaSec accepts them, but they change nothing. So does ${andList(configOptions.filter((o) => o.noEffectValue).map((o) => `\`${o.name} = ${o.noEffectValue!.value}\``))}: OpenSSL keeps TLS compression off by itself. A flag that changes only what OpenSSL does as a client (\`legacy_server_connect\`) does nothing in a table Prosody builds server contexts alone from: \`c2s_ssl\`, or a direct-TLS or HTTPS service's table.`,
    check: noopOptions,
  },
  {
    id: 'options-replace-defaults', category: 'pitfall', severity: I, prosody: { removed: '0.10.0' },
    title: 'Prosody 0.9: an options list replaces the defaults',
    description: 'Prosody 0.9 does not merge `options`: a list in an ssl table replaces the built-in one, so leaving out `no_sslv3` re-enables SSL 3.0 with the default `sslv23` protocol.',
    check: optionsReplaceDefaults,
  },
  {
    id: 'deprecated-option', category: 'pitfall', severity: H, tags: [DiagnosticTag.Deprecated],
    // The advice for a deprecated line weighs every line of its names and their replacements, hosts' too.
    readsOtherChunks: (model, line) =>
      model.parts ? deprecatedIn.some(model.parts, model.text, (lines) => lines.includes(line)) : deprecatedLines(model.config?.settings ?? []).includes(line),
    title: 'Deprecated option name',
    description: '`require_encryption` gave way to `c2s_require_encryption` (0.10) and the `legacy_ssl_*` options to `c2s_direct_tls_*` (0.12); `prosodyctl check` asks for the new names.',
    check: deprecatedOptions,
  },
  {
    id: 'option-too-new', category: 'pitfall', severity: W,
    title: 'Option the Prosody line in force does not have',
    description: 'Options such as `tls_profile` (0.12), `c2s_direct_tls_ssl` (0.12), `c2s_ssl`, `s2s_ssl` and `certificates` (0.10) are read nowhere on older lines, so the settings they hold silently do not apply. The message says what that line reads instead.',
    check: optionsTooNew,
  },
  {
    id: 'global-option-in-host', category: 'pitfall', severity: I,
    title: 'Global-only option under a VirtualHost or Component',
    description: 'Options such as `tls_profile`, `ssl_compression`, `use_dane`, `certificates`, the `<service>_ports` options and the s2s certificate policy (`s2s_secure_auth`, `s2s_secure_domains`, `s2s_insecure_domains`, read once by the global mod_s2s) are only read from the global section; below a VirtualHost line they silently do nothing (a host\'s `s2s_secure_auth = true` only marks that host\'s STARTTLS offer to other servers as required where it sets `s2s_require_encryption = false`). (Before 0.12 this also holds for `https_ssl` and the other `<service>_ssl` tables.) On 0.11 a host\'s `s2s_require_encryption` is said here too, since that line\'s `prosodyctl check` does not call it misplaced: it only marks the host\'s STARTTLS offer, and mod_s2s decides from the global value.',
    check: (ctx) => misplaced(ctx, 'ignored'),
  },
  {
    id: 'check-says-misplaced', category: 'pitfall', severity: H,
    title: 'Read per host, but prosodyctl check calls it misplaced',
    description: 'Since 0.12 Prosody reads `https_ssl` and the other `<service>_ssl` tables per host for SNI, and `s2s_require_encryption` applies per host (mod_tls); `prosodyctl check config` still reports them as misplaced there.',
    check: (ctx) => misplaced(ctx, 'check-only'),
  },
  {
    id: 'sni-setting-ignored', category: 'pitfall', severity: I, tags: [DiagnosticTag.Unnecessary], prosody: { since: '0.12.0' },
    title: 'Key that a host\'s SNI context takes from the port instead',
    description: `A host's own \`https_ssl\`, \`c2s_direct_tls_ssl\` or other direct-TLS table builds the context LuaSec switches to when a client names that host (SNI). On 0.12 the switch brings the host's certificate, key, TLS 1.2 \`ciphers\`, CA file and DH parameters, but OpenSSL keeps what the port's context set when the connection was accepted for the rest, so the host's ${andList(sslKeys.filter((k) => k.sni === 'port').map((k) => `\`${k.name}\``))} change nothing. 13.0 takes only the host's certificate and key. (Checked with \`openssl s_client\` against Prosody 0.12.3 and 13.0.1.) Set the others in the global table of the service (\`mode\` nowhere: Prosody sets it per connection). A value LuaSec refuses still matters: Prosody then builds no context for the host, and the port's SNI is strict: a client that names the host is refused (alert unrecognized_name; checked against 13.0.1).`,
    check: sniSettingIgnored,
  },
  {
    id: 'duplicate-ssl-key', category: 'pitfall', severity: W, tags: [DiagnosticTag.Unnecessary],
    title: 'Key written twice in one TLS table',
    description: 'Lua keeps the last value a table constructor gives a key, so in `ssl = { protocol = "tlsv1+", …, protocol = "tlsv1_2+" }` the first `protocol` is never read, whichever one you meant. Reported on each earlier entry, with the one Prosody reads; the quick fix removes the earlier entry. Rules judge the entry in force only.',
    check: duplicateKeys,
  },
  {
    id: 'table-replaced', category: 'pitfall', severity: I, tags: [DiagnosticTag.Unnecessary],
    title: 'TLS table replaced by a later one',
    description: 'A second `ssl = { … }` (or `c2s_ssl`, …) in the same section replaces the first one whole: Lua keeps the last value and nothing is merged, so the first table is never read. Its contents are not checked. Information, not a hint, so that it is listed in the Problems panel (VS Code lists no hints there): a whole table of settings that never apply is worth seeing.',
    check: tableReplaced,
  },
  {
    id: 'verify-requires-peer-cert', category: 'pitfall', severity: W,
    title: 'verify = { …, "fail_if_no_peer_cert" } where clients connect',
    description: 'With `fail_if_no_peer_cert` OpenSSL ends the handshake of any peer that sends no certificate. XMPP clients and web browsers normally send none, since they authenticate after TLS, so in a table in force for client connections (the c2s STARTTLS layering, or a direct-TLS or HTTPS service) they cannot connect. Server-to-server tables are not reported: servers present certificates.',
    check: requiresPeerCert,
  },
  {
    id: 'verify-peer-no-continue', category: 'pitfall', severity: I, prosody: { since: '13.0.0' },
    title: 'verify = "peer" for clients without lsec_continue (13.0)',
    description: 'Prosody 13.0 removed `lsec_continue` from the default `verifyext` (it adds it for server-to-server connections only). With `verify` asking clients for a certificate (`"peer"`), a client that presents one which does not verify now fails the handshake; 0.12 let it through to log in with a password. Judged in `ssl` and `c2s_ssl` where clients connect, and in the global `c2s_direct_tls_ssl` or `legacy_ssl_ssl` where that service has ports (it brings no `verifyext` of its own either). Write `verifyext = { "lsec_continue" }` next to `verify` to keep the old behaviour, or turn the rule off if refusing such clients is intended.',
    check: verifyPeerNoContinue,
  },
  {
    id: 'mode-set', category: 'pitfall', severity: I,
    title: 'mode set in a TLS table',
    description: 'Prosody picks `server` or `client` for each connection before applying your tables; a `mode` written in the config overrides it, and LuaSec does not even report an invalid mode until a connection fails.',
    check: modeSet,
  },
];

