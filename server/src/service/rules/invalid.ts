// Invalid settings: what Prosody or LuaSec refuses (the TLS context is not created, or Lua throws) and what
// they silently ignore. Every fact comes from the catalog; behaviour from facts §2, §4.5–§4.6 (oracle-checked).

import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { compareVersions, CURVE_ALIAS_LUASEC, curveNameOn, DEFAULT_TLS_PROFILE, describeRange, findValue, getOption, getSslKey, getValueSet, judgedAs, lineInRange, linesBeforeOpenssl, usualOpensslBefore, LUA_ERROR_EFFECT, newerGroupSyntax, newerOpensslGroups, NEWEST_RELEASE, OPENSSL3_GROUP_NAMES, opensslTooOld, optionOnLine, optionReadIn, shapeAllowed, SSL_PATH_KEYS, sslKeyReadOn, sslKeys, UNKNOWN_PROFILE, usualOpensslSaid, WEAK_GROUPS, type ConfigOption, type ProsodyLine, type Scope, type SslKey } from '../catalog';
import { findSuite, findTls12ByStdName } from '../ciphers';
import { effectiveSettings, opaqueLayer, type LayerContext } from '../model/layering';
import type { ParsedConfig } from '../model/parse';
import { tlsTables, type TlsTable } from '../model/tls';
import { clip } from '../model/clip';
import { getField, type LuaValue, type Range, type TableField } from '../model/values';
import { isSecretName, looksLikeKeyMaterial, pemLabel } from '../model/secrets';
import {
  acceptedProtocols, andList, closest, contextOf, currentConfig, flagsHanded, impliedOff, joinedList, type JoinedPart, layerContextsOf, liveField, liveFields, luaString, nameRefs, removeFix, removeKeyFix, renameKeyFix, safeProtocol,
  portParents, readTables, replaceFix, setNames, setRanks, shapeOf, tableReadOn, valueText,
} from './helpers';
import type { Finding, Fix, Rule, RuleContext } from './types';

const KEY_NAMES = sslKeys.map((k) => k.name);

function tables(ctx: RuleContext): Array<{ config: ParsedConfig; t: TlsTable }> {
  const config = currentConfig(ctx);
  return config ? readTables(config, ctx.line).map((t) => ({ config, t })) : [];
}

function where(t: TlsTable): string {
  return t.sub !== undefined ? `${t.option}[${JSON.stringify(t.sub)}]` : t.option;
}

// ---------------------------------------------------------------- unknown keys

/** The keys a line hands to LuaSec, for messages (0.9: a fixed list). */
const keysReadOn = (line: ProsodyLine): string => andList(sslKeys.filter((k) => sslKeyReadOn(k.name, line) && k.name !== 'mode').map((k) => `\`${k.name}\``));

function unknownKeys(ctx: RuleContext): Finding[] {
  const out: Finding[] = [];
  const config = currentConfig(ctx);
  // Every key as written (the rules' views leave out keys the line does not read: reported here).
  for (const t of config ? tlsTables(config).filter((x) => tableReadOn(config, x, ctx.line)) : []) {
    // 13.0 throws on a number key (ssl-value-type says so): not "ignored" there.
    const throwsOnNumbers = numberKeysThrow(ctx.line, t);
    for (const f of liveFields(t)) {
      if (typeof f.key === 'number' && throwsOnNumbers) continue;
      if (typeof f.key === 'number') {
        const perPort = getOption(t.option)?.perPort && t.sub === undefined;
        // Under a host: Prosody reads per-port tables from the global `ssl`/`<service>_ssl` only.
        const hostPort = perPort && t.section > 0 && f.value.kind === 'table';
        const why = hostPort
          ? `\`[${f.key}] = { … }\` is a per-port table, which Prosody reads only from the global \`${t.option}\`; in a VirtualHost or Component table it goes to LuaSec as a key, which ignores it. Move it to the global \`${t.option}\`, or remove it.`
          : `\`[${f.key}]\` is not an ssl key${perPort ? ' (a per-port sub-table would hold a table)' : ''}; LuaSec ignores this entry. Remove it.`;
        out.push({ range: f.keyRange, message: why, fixes: [removeFix(ctx.doc.getText(), f.range, `Remove [${f.key}]`)] });
        continue;
      }
      const known = getSslKey(f.key);
      if (known && !sslKeyReadOn(f.key, ctx.line)) {
        out.push({
          range: f.keyRange,
          message: `\`${f.key}\` does nothing on Prosody ${ctx.line}, which hands LuaSec only ${keysReadOn(ctx.line)} (and a \`mode\` of its own); the other keys are passed on from ${known.prosody!.since}. ${known.before ?? 'Remove it.'}`,
          fixes: [removeKeyFix(ctx.doc.getText(), t, f.key, `Remove ${f.key}`, true)],
        });
        continue;
      }
      if (known) continue;
      if (ctx.line === '13.0' && f.key.startsWith('_')) continue; // 13.0 skips internal `_` keys
      const keyText: Range = f.keyRange;
      const opt = getOption(f.key);
      const suggestion = closest(f.key, KEY_NAMES.filter((k) => sslKeyReadOn(k, ctx.line)));
      // Renamed next to the key it was meant to be, it would replace that key's value (the last one wins).
      const existing = suggestion !== undefined ? getField(t.table, suggestion) : undefined;
      const service = suggestion === undefined && !opt ? serviceTable(f, ctx.line) : undefined;
      const taken = existing !== undefined;
      let message = `\`${f.key}\` is not a key LuaSec or Prosody reads in ${where(t)}, so it silently does nothing.`;
      if (opt && !suggestion) message += ` ${whereTheOptionGoes(opt, config!, t.section, ctx.line)}`;
      else if (taken) {
        message += existing.range[0] > f.range[0]
          ? ` Did you mean \`${suggestion}\`? This table sets it further on, and the later one wins: remove this line, or change that one if this value is the one you want.`
          : ` Did you mean \`${suggestion}\`? This table already sets it, so renaming this line would replace that value: remove this line, or change \`${suggestion}\` if this value is the one you want.`;
      }
      else if (suggestion) message += ` Did you mean \`${suggestion}\`?`;
      else if (service) message += ` Settings for \`${f.key}\` connections go in a table of their own, not nested: ${whereTheOptionGoes(service, config!, t.section, ctx.line)}`;
      else message += ' Remove it or use one of the documented ssl keys.';
      const fixes: Fix[] = [];
      if (taken) fixes.push(removeFix(ctx.doc.getText(), f.range, `Remove ${f.key}`, true));
      // Earlier entries of the misspelt key go too: renamed alone, the live one would bring them back (a reviewer).
      else if (suggestion) fixes.push({ ...renameKeyFix(ctx.doc.getText(), t, f, suggestion, `Rename to ${suggestion}`), preferred: acceptedAs(suggestion, f.value, ctx.line) });
      out.push({ range: keyText, message, fixes });
    }
    for (const item of throwsOnNumbers ? [] : t.table.items) {
      out.push({ range: item.range, message: `A positional value is not an ssl setting; LuaSec ignores it. Write it as \`key = value\` (e.g. inside \`options = { … }\`).`, fixes: [removeFix(ctx.doc.getText(), item.range, 'Remove the entry')] });
    }
  }
  return out;
}

/** `c2s = { … }` inside an ssl table, meant as the `c2s_ssl` option (a reviewer's find in a published config). */
function serviceTable(f: TableField, line: ProsodyLine): ConfigOption | undefined {
  if (typeof f.key !== 'string' || f.value.kind !== 'table') return undefined;
  const opt = getOption(`${f.key}_ssl`);
  return opt?.kind === 'ssl-table' && optionOnLine(opt.name, line) ? opt : undefined;
}

/** Advice for a top-level option written inside an ssl table: moved out, it must land where the line reads it. */
function whereTheOptionGoes(opt: ConfigOption, config: ParsedConfig, section: number, line: ProsodyLine): string {
  const name = `\`${opt.name}\``;
  if (!optionOnLine(opt.name, line)) return `${name} is a top-level option that Prosody ${line} does not have (it came in ${opt.prosody?.since ?? 'a later release'}): remove it.`;
  const scope: Scope = section === 0 ? 'global' : config.sections[section]?.kind === 'component' ? 'component' : 'host';
  if (!optionReadIn(opt, scope, line)) return `${name} is a top-level option Prosody ${line} reads only in the global section: write it there, above the first VirtualHost or Component.`;
  return `${name} is a top-level option: write it outside the table.`;
}

/**
 * A misspelt key is ignored; renamed, its value comes into force. The rename is the preferred fix only when that
 * value is one the key takes on this line (a fuzzer: `Protocol = "tlsv1_2+"` on 0.9 became an invalid protocol).
 */
function acceptedAs(key: string, v: LuaValue, line: ProsodyLine): boolean {
  // Values the target key's own rules refuse (a reviewer: `cipher = "TLS_AES_…"` renamed to ciphers, or a PEM block
  // under a misspelt `certificate`, broke TLS where the misspelt key was only ignored): offered, not preferred.
  if (v.kind === 'string') {
    if (SSL_PATH_KEYS.has(key) && /-----BEGIN|[\r\n]/.test(v.value)) return false; // key-material-in-path
    const suites = v.value.split(/[:,\s]+/).filter(Boolean);
    if (key === 'ciphers' && suites.some((w) => w.startsWith('TLS_'))) return false; // wrong-suite-kind
    if (key === 'ciphersuites' && !suites.every((w) => w.startsWith('TLS_'))) return false;
  }
  const set = getSslKey(key)?.values;
  if (!set || v.kind !== 'string') return true;
  const known = findValue(set, v.value);
  return known !== undefined && known.name === v.value && lineInRange(line, known.prosody) && !known.luasec?.removed;
}

// ---------------------------------------------------------------- wrong types

type Verdict = { severity: 'error' | 'dropped'; message: string; range?: Range } | undefined;

const SHAPE_TEXT: Record<string, string> = {
  string: 'a string', number: 'a number', boolean: 'a boolean', list: 'a list', map: 'a `name = true` map', mixed: 'a table',
  empty: 'an empty table', function: 'a function',
};

function expected(k: SslKey): string {
  return k.shapes.map((s) => (s === 'integer' ? 'a whole number' : s === 'list' ? 'a list of strings' : s === 'map' ? 'a `name = true` map' : `a ${s}`)).join(' or ');
}

/** Lua's tonumber() reads the string as a number. */
function luaNumber(s: string): boolean {
  return /^[-+]?(0[xX][0-9a-fA-F]+|\d+(\.\d*)?([eE][-+]?\d+)?|\.\d+([eE][-+]?\d+)?)$/.test(s.trim());
}

/** Lua's tonumber() of a string gives a whole number (LuaSec's setdepth accepts those). */
function luaInteger(s: string): boolean {
  return luaNumber(s) && Number.isInteger(Number(s.trim()));
}

const THROWS = `LuaSec throws a Lua error as Prosody builds the context: ${LUA_ERROR_EFFECT}`;

function typeVerdict(k: SslKey, v: LuaValue, line: ProsodyLine): Verdict {
  const shape = shapeOf(v);
  if (!shape) return undefined;
  if (v.kind === 'boolean' && !v.value) {
    // 0.9 reads each key as `user.x or default`: false is unset there too, for the protocol as for the rest.
    if (line === '0.9') return undefined;
    if (k.name === 'protocol') return { severity: 'error', message: `\`protocol = false\` removes the protocol, which LuaSec requires: ${THROWS}. Remove the line to keep the default, or write \`"tlsv1_2+"\`.` };
    if (k.name === 'key') return { severity: 'error', message: '`key = false` removes the private key while a certificate is still set: Prosody refuses the context ("No key present"). Remove the line or give the key file\'s path.' };
    return undefined; // false reads as "unset" for every other key
  }
  if (k.name === 'depth') {
    if (v.kind === 'number' && Number.isInteger(v.value)) return undefined;
    if (v.kind === 'string' && luaInteger(v.value)) return undefined;
    // LuaSec reads it with luaL_checkinteger: Lua 5.3 and later throw on a fraction, Lua 5.1/5.2 cut it to a whole
    // number. 0.9 and 0.10 run on 5.1/5.2 only, 0.11 mostly (a reviewer); 0.12+ mostly on 5.4 (Debian's 0.12).
    if (v.kind === 'number' || (v.kind === 'string' && luaNumber(v.value))) {
      if (line === '0.9' || line === '0.10' || line === '0.11') {
        return { severity: 'dropped', message: `\`depth\` must be a whole number such as \`9\`: on Lua 5.1 or 5.2 LuaSec cuts ${renderShape(v)} to a whole number, so the depth in force is not the one written${line === '0.11' ? ' (on Lua 5.3 it throws a Lua error, and the host gets no TLS)' : ''}.` };
      }
      return { severity: 'error', message: `\`depth\` must be a whole number such as \`9\`; for ${renderShape(v)} on Lua 5.3 or later (Prosody ${line} packages run 5.4) ${THROWS}. (Lua 5.1/5.2 cut it to a whole number.)` };
    }
    return { severity: 'error', message: `\`depth\` must be a whole number such as \`9\`; for ${renderShape(v)} ${THROWS}.` };
  }
  if (!k.onWrongType) return undefined;
  const ok = shapeAllowed(k, shape, line);
  if (ok === 'yes') return listItemVerdict(k, v, line);
  if (ok === 'later') {
    if (shape === 'map') {
      // 0.9 takes the table in place of its default list (`user.options or default`): the defaults go too.
      const defaults = line === '0.9' ? k.defaults?.[line] : undefined;
      const lost = Array.isArray(defaults) && defaults.length ? ` and it replaces Prosody 0.9's default list, so ${andList(defaults.map((d) => `\`"${String(d)}"\``))} are off too` : '';
      return { severity: 'dropped', message: `A \`name = true\` map for \`${k.name}\` needs Prosody ${k.shapeSince?.map} or later; here LuaSec ignores it${lost}. Write a list${lost ? ' with every flag you want, those included' : ''}: \`{ "name", … }\`.` };
    }
    const since = k.shapeSince?.[shape === 'empty' ? 'list' : (shape as 'list')];
    return { severity: 'error', message: `Prosody joins a list for \`${k.name}\` only from ${since}; here the table reaches LuaSec as is and it throws a Lua error. Write one string joined with \`:\`.`, };
  }
  if (k.name === 'verify' && shape === 'map') {
    return { severity: 'dropped', message: 'LuaSec reads `verify` as a name or a list of names and ignores a `name = true` map, so this sets no verify flags. Write a list: `{ "peer", "client_once" }`.' };
  }
  if (line === '0.9' && k.merge === 'path' && k.name !== 'dhparam') {
    return { severity: 'error', message: `\`${k.name}\` must be a string path: Prosody 0.9 resolves ${renderShape(v, k.name)} as one and throws a Lua error as it builds the context: ${LUA_ERROR_EFFECT}. Write the path in quotes.` };
  }
  if (k.onWrongType === 'dropped') {
    return { severity: 'dropped', message: `\`${k.name}\` must be a string path; Prosody silently drops ${renderShape(v, k.name)}, so the setting does nothing. Write the path in quotes.` };
  }
  // A boolean or a table where LuaSec checks for a string is a Lua error; a number is turned into text and refused,
  // as are a wrong password or ALPN value (facts §4.6: THROWN and RETURNED rows).
  const throws = (v.kind === 'boolean' || v.kind === 'table') && k.name !== 'password' && k.name !== 'alpn';
  return { severity: 'error', message: `\`${k.name}\` takes ${expected(k)}, not ${renderShape(v, k.name)}: ${throws ? THROWS : 'LuaSec refuses it, so no TLS context is created'}. ${k.writeInstead ?? `Write ${expected(k)}.`}` };
}


/** The wrong value in words; a secret key's value (`password`) only by its type. */
function renderShape(v: LuaValue, key?: string): string {
  const hide = key !== undefined && isSecretName(key);
  if (v.kind === 'number') return hide ? 'a number' : `the number ${v.raw}`;
  if (v.kind === 'boolean') return `\`${v.value}\``;
  if (v.kind === 'string') return hide ? 'a string' : `the string ${JSON.stringify(v.value)}`;
  return SHAPE_TEXT[shapeOf(v) ?? ''] ?? 'this value';
}

/** A name each list-valued key takes, for messages. */
const LIST_EXAMPLE: Readonly<Record<string, string>> = { verify: 'peer', verifyext: 'lsec_continue', alpn: 'xmpp-client', curveslist: 'X25519', ciphers: 'HIGH', ciphersuites: 'TLS_AES_128_GCM_SHA256', dane: 'no_ee_namechecks' };

/** Entries of a list/map that LuaSec cannot take even though the table itself is fine. */
function listItemVerdict(k: SslKey, v: LuaValue, line: ProsodyLine): Verdict {
  if (v.kind !== 'table') {
    if (k.name === 'alpn' && v.kind === 'string') return undefined; // covered by the shape check (string is not allowed)
    return undefined;
  }
  if (k.name === 'alpn' && !v.items.length && !v.fields.length) return { severity: 'error', message: 'An empty `alpn` list makes LuaSec refuse the context ("invalid ALPN list (empty)"). Remove `alpn`: Prosody sets it where needed.' };
  for (const i of v.items) {
    // Prosody's set merger (0.10+) takes a `false` item as a switched-off entry; only `true` reaches LuaSec.
    if (i.kind === 'boolean' && !i.value && k.merge === 'set' && line !== '0.9') continue;
    if (i.kind === 'boolean' || i.kind === 'table') {
      return { severity: 'error', range: i.range, message: `A ${i.kind} inside \`${k.name}\` is not a name: Prosody (joining the list) or LuaSec throws a Lua error or refuses the context. Write the name as a string, e.g. \`"${LIST_EXAMPLE[k.name] ?? 'no_ticket'}"\`.` };
    }
    if (k.name === 'alpn') {
      if (i.kind === 'number') return { severity: 'error', range: i.range, message: 'ALPN names must be strings; a number makes LuaSec refuse the context. Write e.g. `"xmpp-client"`.' };
      if (i.kind === 'string' && (i.value.length === 0 || i.value.length > 255)) return { severity: 'error', range: i.range, message: `An ALPN name must have 1 to 255 characters; LuaSec refuses ${i.value.length ? 'a longer one' : 'an empty one'}. Remove it.` };
    }
  }
  if (k.merge === 'set') {
    for (const f of v.fields) {
      if (typeof f.key === 'string' && f.value.kind !== 'boolean' && f.value.kind !== 'expression') {
        // A flag's name as the value switches that flag on, which LuaSec takes (a reviewer's 0.12.3 run): not refused.
        if (f.value.kind === 'string' && k.values && findValue(k.values, f.value.value)) continue;
        return { severity: 'error', range: f.value.range, message: `In the map form of \`${k.name}\` each flag takes \`true\` or \`false\`; Prosody passes ${renderShape(f.value, k.name)} on as a flag name and LuaSec refuses it. Write \`${f.key} = true\`.` };
      }
    }
  }
  return undefined;
}

/**
 * 13.0's sslconfig skips internal keys with `field:sub(1, 1) ~= "_"`, which throws on a number key ("attempt to
 * index a number value (local 'field')"): a per-port sub-table or a positional value in any TLS table it applies
 * (checked on 13.0.1; 0.12 passes them on, and portmanager reads `[port]` tables from the global ones).
 */
function numberKeysThrow(line: ProsodyLine, t: TlsTable): boolean {
  // An interface's sub-table is applied too (portmanager hands `prefix_ssl_config[interface]` to create_context).
  return line === '13.0' && (t.sub === undefined || typeof t.sub === 'string');
}

function numberKeyFindings(ctx: RuleContext): Finding[] {
  const config = currentConfig(ctx);
  if (!config) return [];
  const out: Finding[] = [];
  // Every key as written (the rules' views and live fields leave number keys out).
  for (const t of tlsTables(config)) if (numberKeysThrow(ctx.line, t) && tableReadOn(config, t, ctx.line)) out.push(...numberKeysIn(ctx, t));
  return out;
}

/** The findings of one table where numberKeysThrow. */
function numberKeysIn(ctx: RuleContext, t: TlsTable): Finding[] {
  const text = ctx.doc.getText();
  // Per-port (and per-interface) tables are read from the global tables only (portmanager's get_port_ssl_ctx).
  const portTable = getOption(t.option)?.perPort === true && t.section === 0 && t.sub === undefined;
  const found = (range: Range, entry: Range, what: string, port: boolean): Finding => ({
    range,
    message: `${what} in \`${where(t)}\` stops Prosody 13.0: its sslconfig takes every key of an ssl table for a name and throws on a number ("attempt to index a number value (local 'field')"), so ${LUA_ERROR_EFFECT}.${port ? ' 13.0 has no per-port ssl tables; give the port its settings in `<service>_ssl` (e.g. `c2s_direct_tls_ssl`), or key the sub-table by interface (`["127.0.0.1"] = { … }`).' : ' Remove it.'}`,
    fixes: [...(port ? mergePortFix(text, t, entry) : []), removeFix(text, entry, 'Remove the entry')],
  });
  const out: Finding[] = [];
  // The last of duplicate keys is the one the table holds.
  const last = new Map<number, TableField>();
  for (const f of t.table.fields) if (typeof f.key === 'number') last.set(f.key, f);
  for (const f of last.values()) out.push(found(f.keyRange, f.range, `\`[${f.key}]\``, portTable && f.value.kind === 'table'));
  for (const item of t.table.items) out.push(found(item.range, item.range, 'A positional value', false));
  return out;
}

/**
 * For the only per-port sub-table of a table: its settings written into the table itself, where none of its keys is
 * set there already (review 140: removing the entry dropped a port's `protocol = "tlsv1_2+"`, and 13.0 then served TLS
 * 1.0 on it). Not preferred: the settings then apply to every port of the service.
 */
function mergePortFix(text: string, t: TlsTable, entry: Range): Fix[] {
  // Not from the global `ssl`, which every connection reads (review 142: a port's certificate moved there was served on
  // c2s and s2s STARTTLS by a real 13.0.1): there the settings belong in the port's service table, not worked out here.
  if (t.option === 'ssl') return [];
  const ports = t.table.fields.filter((f) => typeof f.key === 'number' && f.value.kind === 'table');
  const sub = ports.length === 1 && ports[0]!.range[0] === entry[0] ? ports[0]!.value : undefined;
  if (sub?.kind !== 'table' || sub.items.length || !sub.fields.length || sub.fields.some((f) => typeof f.key !== 'string' || getField(t.table, f.key) !== undefined)) return [];
  const inner = text.slice(sub.fields[0]!.range[0], sub.fields.at(-1)!.range[1]);
  return [{ title: 'Write the port\'s settings into the table', edits: [{ range: entry, newText: inner }] }];
}

function typeFindings(ctx: RuleContext, want: 'error' | 'dropped'): Finding[] {
  const out: Finding[] = [];
  if (want === 'error') out.push(...numberKeyFindings(ctx));
  for (const { t } of tables(ctx)) {
    const clientOnly = t.contexts.length > 0 && t.contexts.every((c) => c === 'client_https');
    for (const f of liveFields(t)) {
      if (typeof f.key !== 'string' || f.key === 'curve') continue; // curve: judged by unknown-curve (it may be unused)
      const known = getSslKey(f.key);
      if (!known) continue;
      const k = judgedAs(known, ctx.line, clientOnly);
      const verdict = typeVerdict(k, f.value, ctx.line);
      if (!verdict || verdict.severity !== want) continue;
      out.push({ range: verdict.range ?? f.value.range, message: verdict.message });
    }
  }
  return out;
}

// ---------------------------------------------------------------- protocol

function protocolFindings(ctx: RuleContext): Finding[] {
  const out: Finding[] = [];
  const accepted = acceptedProtocols(ctx.line);
  const ranks = setRanks('protocol');
  for (const { t } of tables(ctx)) {
    const f = liveField(t, 'protocol');
    if (!f || f.value.kind !== 'string') continue;
    const name = f.value.value;
    if (accepted.includes(name)) continue;
    const known = findValue('protocol', name);
    let message: string;
    let suggestion: string | undefined;
    if (known && known.name === name && known.prosody && !lineInRange(ctx.line, known.prosody)) {
      message = `\`${name}\` is a Prosody ${known.prosody.since}+ spelling; Prosody ${ctx.line} hands it to LuaSec unchanged, which refuses it ("invalid protocol"), so no TLS context is created.`;
      if (name.endsWith('+') && name !== 'tlsv1_3+') {
        // Dropping the `+` would pin that one version (LuaSec 0.8+ sets both ends): no one-word fix keeps the meaning.
        const floor = name.slice(0, -1);
        // The flags the `+` form would add (0.10+), less those that do nothing today (no_sslv2).
        const flags = [...impliedOff(name)].filter((v) => !findValue('options', `no_${v}`)?.noop).map((v) => `"no_${v}"`).join(', ');
        out.push({ range: f.value.range, message: `${message} Without the \`+\`, \`"${floor}"\` would allow that version only. Write \`"sslv23"\` and switch older versions off in \`options\`${flags ? ` (${flags})` : ''}${ctx.line === '0.9' ? `; Prosody 0.9 replaces the default options with yours, so list every flag you want` : ''}.`, fixes: [] });
        continue;
      }
      suggestion = closest(name.replace(/\+$/, ''), accepted, ranks);
    } else if (known && known.name === name && known.luasec?.removed) {
      message = `\`${name}\` was removed from LuaSec (${known.luasec.removed === '0.8' ? 'SSL 3.0 support ended in 0.8' : 'no release examined accepts it'}); LuaSec refuses it ("invalid protocol") and it would be insecure anyway.`;
      suggestion = accepted.includes('tlsv1_2+') ? 'tlsv1_2+' : 'sslv23';
    } else {
      const normalised = name.trim().toLowerCase().replace(/\./g, '_').replace(/\s+/g, '');
      suggestion = accepted.includes(normalised) ? normalised : closest(normalised, accepted, ranks);
      message = `${valueText(name)} is not a protocol name LuaSec or Prosody ${ctx.line} knows (names are lower-case, e.g. \`tlsv1_2\`); LuaSec refuses it ("invalid protocol"), so no TLS context is created.`;
    }
    // "TLSv1.2" (nginx's spelling) may mean that version only or that version and newer: offer both when the `+`
    // form is accepted and safe, the `+` form preferred (the literal reading switches newer versions off:
    // protocol-pins-tls12).
    const plus = suggestion && !suggestion.endsWith('+') && accepted.includes(`${suggestion}+`) && !findValue('protocol', `${suggestion}+`)?.unsafe ? `${suggestion}+` : undefined;
    // The spelling meant may name an unsafe version ("TLSv1"): spelt right it would only trade this error for
    // unsafe-protocol, so the preferred fix is the safe choice and the literal reading comes second.
    // (0.9 has no `+` forms: there TLS 1.2 pinned is the safe choice unsafe-protocol advises too.)
    const safest = accepted.includes('tlsv1_2+') ? 'tlsv1_2+' : accepted.includes('tlsv1_2') ? 'tlsv1_2' : undefined;
    // Or one the line's usual OpenSSL lacks (`tlsv1_3` on 0.10: protocol-needs-newer-openssl would follow; review 132).
    const newer = suggestion ? opensslTooOld(findValue('protocol', suggestion), ctx.line) : undefined;
    const safer = suggestion && (findValue('protocol', suggestion)?.unsafe || newer) && safest !== suggestion ? safest : undefined;
    const why = newer ? `LuaSec knows \`"${suggestion}"\` only on OpenSSL ${newer} or later, not with ${usualOpensslSaid(ctx.line)}` : `\`"${suggestion}"\` allows versions with known weaknesses`;
    message += suggestion
      ? ` Write ${plus ? `\`"${plus}"\` (that version and newer ones) or \`"${suggestion}"\` (that version only)` : `\`"${suggestion}"\``}${safer ? `, or rather \`"${safer}"\`: ${why}` : ''}.`
      : ` Write one of ${accepted.slice(0, 3).map((a) => `\`"${a}"\``).join(', ')}.`;
    const fixes = safer ? [replaceFix(f.value.range, luaString(safer), `Change to "${safer}"`)] : [];
    if (plus) fixes.push(replaceFix(f.value.range, luaString(plus), `Change to "${plus}"`, !safer));
    if (suggestion) fixes.push(replaceFix(f.value.range, luaString(suggestion), `Change to "${suggestion}"`, !safer && !plus));
    out.push({ range: f.value.range, message, fixes });
  }
  return out;
}

// ---------------------------------------------------------------- flags (options, verify, verifyext, dane)

const FLAG_KEYS = ['options', 'verify', 'verifyext', 'dane'] as const;

function flagFindings(ctx: RuleContext): Finding[] {
  const out: Finding[] = [];
  const text = ctx.doc.getText();
  for (const { t } of tables(ctx)) {
    for (const key of FLAG_KEYS) {
      const f = liveField(t, key);
      if (!f) continue;
      if (key === 'dane' && f.value.kind !== 'table') continue; // a non-table dane only switches DANE on
      if (key === 'verify' && f.value.kind === 'table' && f.value.fields.length && !f.value.items.length) continue; // map form: ignored by LuaSec
      const set = key;
      const names = setNames(set);
      for (const ref of flagsHanded(f.value, key, ctx.line)) {
        if (key === 'dane' && ref.form !== 'item') continue;
        if (names.includes(ref.name)) continue;
        out.push(flagFinding(text, key, ref, names, f, ctx.line));
      }
    }
  }
  return out;
}

function flagFinding(text: string, key: (typeof FLAG_KEYS)[number], ref: ReturnType<typeof nameRefs>[number], names: string[], field: TableField, line: ProsodyLine): Finding {
  const noun = key === 'options' ? 'option flag' : key === 'dane' ? 'DANE flag' : `${key} flag`;
  const effect = key === 'dane' ? THROWS : `LuaSec refuses it ("invalid ${key === 'options' ? 'option' : 'verify option'}"), so no TLS context is created`;
  const fixes: Fix[] = [];
  let hint: string;
  const parts = ref.form === 'string' ? ref.name.split(/[,:;\s]+/).filter(Boolean) : [];
  const lsec = `lsec_${ref.name}`;
  let suggestion: string | undefined;
  // The flag belongs in `verifyext`: removing it is not what the message asks for, so that fix is not preferred.
  let moves = false;
  if (parts.length > 1 && parts.every((p) => names.includes(p))) {
    hint = ` Several flags go in a list: \`{ ${parts.map((p) => `"${p}"`).join(', ')} }\`.`;
    fixes.push(replaceFix(field.value.range, `{ ${parts.map(luaString).join(', ')} }`, 'Write the flags as a list'));
  } else if (key === 'verifyext' && names.includes(lsec)) {
    suggestion = lsec;
    // `continue` was a `verify` name of the pre-0.5 mw/luasec-hg fork Prosody once supported; upstream LuaSec names it so.
    hint = ` LuaSec's verifyext name for it is \`${lsec}\` (\`${ref.name}\` belonged to an old LuaSec fork).`;
  } else if (key === 'verify' && setNames('verifyext').includes(ref.name.replace(/^lsec_/, '') === ref.name ? lsec : ref.name)) {
    const flag = ref.name.startsWith('lsec_') ? ref.name : lsec;
    // 13.0 dropped verifyext from the defaults; mod_tls adds it for server connections only.
    const byDefault = getSslKey('verifyext')?.defaults[line];
    const own = ref.name === flag;
    // Prosody up to 0.11 still feeds `continue`/`ignore_purpose` to verify for the pre-0.5 mw/luasec-hg fork.
    const fork = ref.name !== flag && (line === '0.9' || line === '0.10' || line === '0.11') ? ` (Only the pre-0.5 LuaSec fork Prosody ${line} still supports takes \`${ref.name}\` in verify.)` : '';
    moves = !(Array.isArray(byDefault) && byDefault.includes(flag));
    hint = !moves
      ? ` ${own ? `\`${flag}\` is a verifyext flag` : `Its verifyext counterpart \`${flag}\` is one`} Prosody already sets there by default, so remove it from verify.${fork}`
      : ` ${own ? `\`${flag}\` is a verifyext flag` : `Its verifyext counterpart is \`${flag}\``}: move it to \`verifyext = { "${flag}" }\` (Prosody ${line} sets it by default only for server-to-server connections).${fork}`;
  } else {
    // The same flag in another case, or with its version written otherwise (`NO_SSLv2`, `no_tlsv1_0`, `no_tlsv1.0`):
    // that one, even where it does nothing today (noop-option says so then). Else the nearest name that neither does
    // nothing (`no_sslv4` is not worth turning into `no_sslv2`: removing the typo is as good) nor weakens TLS
    // (`no_sslv3_mask` → `no_ssl_mask` would switch every version off), and never one naming another protocol version:
    // a reviewer's `no_tlsv1_0` became `no_tlsv1_1`, switching TLS 1.1 off and leaving TLS 1.0 on (real 0.12.3 and 13.0.1).
    const meant = versioned(ref.name);
    suggestion =
      names.find((n) => n.toLowerCase() === ref.name.toLowerCase() || (meant && versioned(n)?.rest === meant.rest && versioned(n)?.version === meant.version)) ??
      closest(ref.name, names.filter((n) => !findValue(key, n)?.noop && !findValue(key, n)?.unsafe && (!meant || !versioned(n) || versioned(n)!.version === meant.version)));
    hint = suggestion ? ` Did you mean \`${suggestion}\`?` : ` Remove it.`;
  }
  // A map that already has the suggested key: renamed, one of the two equal keys would replace the other.
  if (suggestion && ref.form === 'key' && nameRefs(field.value).some((x) => x.form === 'key' && x.name === suggestion)) {
    hint = ` Did you mean \`${suggestion}\`? This table sets it already: remove this entry, or change that one.`;
    suggestion = undefined;
  }
  // A list that already holds it: renamed, it would be there twice (a reviewer); removing this entry is the fix.
  if (suggestion && ref.form === 'item' && nameRefs(field.value).some((x) => x.form === 'item' && x.name === suggestion)) {
    hint = ` Did you mean \`${suggestion}\`? This list has it already: remove this entry.`;
    suggestion = undefined;
  }
  if (suggestion) {
    fixes.push(replaceFix(ref.range, ref.form === 'key' && !/^[A-Za-z_]\w*$/.test(suggestion) ? luaString(suggestion) : suggestion, `Change to ${suggestion}`));
  }
  fixes.push(removeFix(text, ref.form === 'string' ? field.range : ref.entry, ref.form === 'string' ? `Remove ${key}` : `Remove ${ref.name || 'the empty name'}`, !suggestion && fixes.length === 0 && !moves));
  return { range: ref.range[1] > ref.range[0] ? ref.range : ref.entry, message: `${valueText(ref.name)} is not ${/^[aeiou]/.test(noun) ? 'an' : 'a'} ${noun} LuaSec knows; ${effect}.${hint}`, fixes };
}

/**
 * The protocol version a flag name names, however written (`tlsv1`, `tlsv1_0`, `TLSv1.0` are TLS 1.0; `dtlsv1_2` is
 * DTLS 1.2), and the name without it; undefined for a name that names none.
 */
function versioned(name: string): { version: string; rest: string } | undefined {
  const lower = name.toLowerCase().replace(/[.\-]/g, '_');
  const m = /(d?tls|ssl)v?(\d)(?:_?(\d))?/.exec(lower);
  if (!m) return undefined;
  return { version: `${m[1]}${m[2]}.${m[3] ?? '0'}`, rest: lower.slice(0, m.index) + '#' + lower.slice(m.index + m[0].length) };
}

/** "`a`, `b` came with OpenSSL 3.0", from the catalog. */
function newerFlagsText(): string {
  const newer = (getValueSet('options')?.values ?? []).filter((v) => v.openssl);
  return andList([...new Set(newer.map((v) => v.openssl!.since))].map((since) => `${andList(newer.filter((v) => v.openssl!.since === since).map((v) => `\`${v.name}\``))} came with OpenSSL ${since}`));
}

/**
 * Option flags a later OpenSSL added (facts §4.4: LuaSec's list holds a flag only where the OpenSSL it is built against
 * defines it): refused on the OpenSSL the line's servers commonly ran (a reviewer's 0.11.9 on Debian 11's LuaSec 1.0
 * and OpenSSL 1.1.1w: "invalid option (ignore_unexpected_eof)"), fine on a newer one (Ubuntu 22.04 runs 0.11.12 on
 * OpenSSL 3): a warning, where unknown-flag's names are refused everywhere.
 */
function newerFlagFindings(ctx: RuleContext): Finding[] {
  const out: Finding[] = [];
  const text = ctx.doc.getText();
  for (const { t } of tables(ctx)) {
    const f = liveField(t, 'options');
    if (!f) continue;
    for (const ref of flagsHanded(f.value, 'options', ctx.line)) {
      const since = opensslTooOld(findValue('options', ref.name), ctx.line);
      if (!since) continue;
      out.push({
        range: ref.range[1] > ref.range[0] ? ref.range : ref.entry,
        message: `\`${ref.name}\` is an option flag OpenSSL ${since} added, and LuaSec knows only the flags of the OpenSSL it is built against. With ${usualOpensslSaid(ctx.line)}, LuaSec refuses it ("invalid option (${ref.name})"), so no TLS context is created; keep it only if the server's OpenSSL is ${since} or later, else remove it.`,
        fixes: [removeFix(text, ref.form === 'string' ? f.range : ref.entry, ref.form === 'string' ? 'Remove options' : `Remove ${ref.name}`)],
      });
    }
  }
  return out;
}

/**
 * A protocol a later OpenSSL brought (`tlsv1_3`: LuaSec 0.8 offers it only where the OpenSSL it is built against
 * defines TLS 1.3, 1.1.1 and later): refused on the OpenSSL the line's servers commonly ran (0.10: 1.1.0; a reviewer),
 * fine on a newer one: a warning, like newerFlagFindings.
 */
function newerProtocolFindings(ctx: RuleContext): Finding[] {
  const out: Finding[] = [];
  const instead = safeProtocol(ctx.line);
  for (const { t } of tables(ctx)) {
    const f = liveField(t, 'protocol');
    if (!f || f.value.kind !== 'string') continue;
    const name = f.value.value;
    const known = findValue('protocol', name);
    const since = known?.name === name ? opensslTooOld(known, ctx.line) : undefined;
    if (!since) continue;
    const luasec = known!.luasec?.since;
    out.push({
      range: f.value.range,
      message: `\`"${name}"\` is a protocol LuaSec${luasec ? ` (${luasec} and later)` : ''} offers only when built against OpenSSL ${since} or later. With ${usualOpensslSaid(ctx.line)}, LuaSec refuses it ("invalid protocol"), so no TLS context is created; keep it only if the server's OpenSSL is ${since} or later${luasec ? ` and its LuaSec ${luasec} or later` : ''}, else write \`"${instead}"\`${instead.endsWith('+') ? ', which negotiates TLS 1.3 wherever the server can' : ''}.`,
      fixes: [replaceFix(f.value.range, luaString(instead), `Change to "${instead}"`, false)],
    });
  }
  return out;
}

// ---------------------------------------------------------------- tls_profile

function tlsProfileFindings(ctx: RuleContext): Finding[] {
  const config = currentConfig(ctx);
  if (!config || !lineInRange(ctx.line, getOption('tls_profile')?.prosody)) return []; // not read before 0.12
  const out: Finding[] = [];
  for (const s of config.settings) {
    if (s.name !== 'tls_profile' || s.section !== 0 || s.value.kind !== 'string') continue;
    const name = s.value.value;
    if (findValue('tls_profile', name)?.name === name) continue;
    const suggestion = closest(name, setNames('tls_profile')) ?? DEFAULT_TLS_PROFILE;
    // "legacyy" → "legacy" keeps old protocol versions on (unsafe-protocol): offered, but not applied on its own.
    const unsafe = findValue('tls_profile', suggestion)?.unsafe !== undefined;
    out.push({
      range: s.value.range,
      message: `${valueText(name)} is not a TLS profile: ${ctx.line === UNKNOWN_PROFILE.lenientLine ? `Prosody ${UNKNOWN_PROFILE.refusedSince} and later refuse to create any TLS context with it (${UNKNOWN_PROFILE.lenient} silently used \`legacy\`, i.e. no preset)` : `Prosody ${ctx.line} refuses to create any TLS context with it`}. Write \`"${suggestion}"\`${unsafe ? `, or rather \`"${DEFAULT_TLS_PROFILE}"\`: \`"${suggestion}"\` keeps TLS versions with known weaknesses on` : ''} (one of ${setNames('tls_profile').map((n) => `"${n}"`).join(', ')}).`,
      fixes: [replaceFix(s.value.range, luaString(suggestion), `Change to "${suggestion}"`, !unsafe)],
    });
  }
  return out;
}

/** Hex digits in the hashes RFC 5929 can call for (SHA-224 … SHA-512). */
const END_POINT_HASH_LENGTHS = new Set([56, 64, 96, 128]);

/**
 * A certificate or key pasted where a file name belongs. Prosody and LuaSec take the text as a path, so loading
 * fails and no context is created (13.0 is the one line that takes literal PEM, for `dhparam` only). Nothing of
 * the value is quoted: it may be a private key.
 */
function keyMaterialFindings(ctx: RuleContext): Finding[] {
  const config = currentConfig(ctx);
  if (!config) return [];
  const out: Finding[] = [];
  const report = (name: string, v: LuaValue): void => {
    if (v.kind !== 'string' || !looksLikeKeyMaterial(v.value)) return;
    const pem = pemLabel(v.value);
    const literal = getSslKey(name)?.literalPem;
    // OpenSSL reads both DH parameter encodings (PKCS#3 and X9.42) from PEM.
    // (facts: the text must start with the header; anything before it makes it a path again)
    const takesLiteral = literal !== undefined && lineInRange(ctx.line, literal) && v.value.startsWith('-----BEGIN');
    if (takesLiteral && (pem === 'DH PARAMETERS' || pem === 'X9.42 DH PARAMETERS')) return;
    const secret = pem === undefined || /PRIVATE KEY/.test(pem);
    // 13.0 takes text starting with a PEM header as the DH parameters themselves: the context is created, and
    // each DHE handshake fails on parameters that are none.
    if (takesLiteral && pem !== undefined) {
      out.push({
        range: v.range,
        message: `\`${name}\` holds PEM text (${pem.toLowerCase()}), not DH parameters: Prosody ${ctx.line} uses PEM text here as the parameters themselves, so every DHE handshake fails. Write DH parameters (e.g. \`openssl dhparam 2048\`), or their file's path.${secret ? ' If this config is shared or in version control, treat the key as exposed and replace it.' : ''}`,
      });
      return;
    }
    out.push({
      range: v.range,
      message: `\`${name}\` names a file, but this is ${pem ? `PEM text (${pem.toLowerCase()})` : 'what looks like key material'}, not a path: ${name === 'dhparam' ? 'Prosody opens it as a file name, which fails ("Could not open DH parameters")' : 'Prosody hands it to LuaSec as a file name, loading fails'} and no TLS context is created. Save it in a file (readable only by Prosody) and write that file's path here.${secret ? ' If this config is shared or in version control, treat the key as exposed and replace it.' : ''}`,
    });
  };
  for (const { t } of tables(ctx)) for (const f of liveFields(t)) if (typeof f.key === 'string' && SSL_PATH_KEYS.has(f.key)) report(f.key, f.value);
  for (const s of config.settings) {
    const kind = getOption(s.name)?.kind;
    if (kind === 'path' || kind === 'certificate-map') report(s.name, s.value);
  }
  // A key in a table Prosody never reads (replaced later, or not read on this line) breaks nothing, but it is
  // still in the file and its history.
  for (const t of tlsTables(config)) {
    if (tableReadOn(config, t, ctx.line)) continue;
    for (const f of t.table.fields) {
      if (typeof f.key !== 'string' || !SSL_PATH_KEYS.has(f.key) || f.value.kind !== 'string' || !looksLikeKeyMaterial(f.value.value)) continue;
      // A private key by its PEM label; unlabelled base64 only where a key belongs.
      const pem = pemLabel(f.value.value);
      if (pem !== undefined ? !/PRIVATE KEY/.test(pem) : f.key !== 'key') continue;
      out.push({ range: f.value.range, message: `\`${f.key}\` holds what looks like a private key, in a table Prosody does not read. If this config is shared or in version control, treat the key as exposed and replace it; keep keys in files readable only by Prosody.` });
    }
  }
  return out;
}

/**
 * `tls_server_end_point_hash` is `"auto"` or the certificate's hash in hex (13.0 mod_saslauth: any other value
 * goes through hex decoding as the binding data). A hash *name* such as `"sha256"` decodes to garbage, so the
 * binding is offered with the wrong data and logins that use it fail.
 */
function endPointHashFindings(ctx: RuleContext): Finding[] {
  const config = currentConfig(ctx);
  if (!config || !lineInRange(ctx.line, getOption('tls_server_end_point_hash')?.prosody)) return [];
  const out: Finding[] = [];
  for (const s of config.settings) {
    if (s.name !== 'tls_server_end_point_hash' || s.value.kind !== 'string') continue;
    const v = s.value.value;
    // Prosody's hex decoding skips what is not a hex digit, so "AB:CD:…" (OpenSSL's fingerprint form) works.
    const hex = v.replace(/[^0-9a-f]/gi, '');
    // The catalog's value set holds the one named value ("auto").
    if (findValue('tls_server_end_point_hash', v) || (/^[0-9a-f:\s]*$/i.test(v) && END_POINT_HASH_LENGTHS.has(hex.length))) continue;
    const named = /^sha-?\d+$|^md5$/i.test(v);
    out.push({
      range: s.value.range,
      message: `${named ? `\`${v}\` is not a hash name here` : `\`${v}\` is not a certificate hash`}: Prosody takes any value other than \`"auto"\` as the hash of its certificate written in hex, so it offers tls-server-end-point channel binding with the wrong data and clients that use it cannot log in. Write \`"auto"\`, or (behind a TLS proxy) the hex hash of the certificate clients see (SHA-256 for most: \`openssl x509 -noout -fingerprint -sha256\`).`,
      fixes: [replaceFix(s.value.range, '"auto"', 'Change to "auto"', false)],
    });
  }
  return out;
}

// ---------------------------------------------------------------- curves

/** A written `curveslist` sets one (`false` and `nil` unset it); undefined when computed. */
export function listSet(f: TableField): boolean | undefined {
  return f.value.kind === 'expression' ? undefined : !(f.value.kind === 'boolean' && !f.value.value) && f.value.kind !== 'nil';
}

/** Whether a `curveslist` is in force where this table applies (then LuaSec ignores `curve`); undefined = unknown. */
export function curveslistInForce(config: ParsedConfig, t: TlsTable, line: ProsodyLine, context: LayerContext = contextOf(t)): boolean | undefined {
  const own = liveField(t, 'curveslist');
  return own ? listSet(own) : inheritedCurveslist(config, t, line, context).set;
}

/** Where the curveslist a table takes from its layers is written; undefined for a default's or a preset's. */
export function inheritedCurveslistRange(config: ParsedConfig, t: TlsTable, line: ProsodyLine, context: LayerContext = contextOf(t)): Range | undefined {
  return inheritedCurveslist(config, t, line, context).range;
}

/**
 * The curveslist a table's own (if any) is layered over: the nearest table portmanager puts under a port's that
 * writes one, else its layering's entry. `set` undefined when a layer is computed.
 */
function inheritedCurveslist(config: ParsedConfig, t: TlsTable, line: ProsodyLine, context: LayerContext): { set: boolean | undefined; range?: Range } {
  const parents = context === 'port' ? portParents(config, t, line) : [];
  if (!parents || opaqueLayer(config, t.section, line, context)) return { set: undefined };
  for (const p of [...parents].reverse()) {
    const cl = liveField(p, 'curveslist');
    if (cl) return { set: listSet(cl), range: cl.range };
  }
  const entry = effectiveSettings(config, t.section, context, line).find((e) => e.key === 'curveslist');
  if (!entry) return { set: false };
  return { set: entry.value.includes('(') ? undefined : entry.value !== 'false', range: entry.range };
}

function curveFindings(ctx: RuleContext): Finding[] {
  const out: Finding[] = [];
  // Suggestions: never a group OpenSSL 3 will not use (a reviewer: `P-999` → `P-192`).
  const groups = setNames('curveslist').concat(...(findAliases('curveslist'))).filter((n) => !WEAK_GROUPS.has(n));
  const curves = setNames('curve').concat(...findAliases('curve')).filter((n) => !WEAK_GROUPS.has(n));
  for (const { config, t } of tables(ctx)) {
    const cl = liveField(t, 'curveslist');
    if (cl) {
      const joined = joinedList(cl.value);
      if (joined) {
        if (joined.text === '') {
          out.push({ range: cl.value.range, message: 'An empty `curveslist` leaves no key-exchange group: LuaSec refuses the context ("unknown elliptic curve"). Remove it to keep Prosody\'s default, or list groups such as `"X25519:P-256"`.', fixes: [removeKeyFix(ctx.doc.getText(), t, 'curveslist', 'Remove curveslist')] });
        } else {
          for (const p of joined.parts) {
            if (findValue('curveslist', p.name.trim())) continue; // OpenSSL trims blanks around each name
            if (newerOpensslGroups.has(p.name.trim().toLowerCase()) || newerGroupSyntax(p.name.trim(), knownGroup) || caseVariant(p.name.trim(), ctx.line)) continue; // curve-needs-newer-openssl
            out.push(curvePart(p, joined.text, groups, cl));
          }
        }
      }
    }
    const c = liveField(t, 'curve');
    // Judged where some layering the table takes part in has no curveslist (`s2s_ssl = { curveslist = false }`).
    if (!c || !layerContextsOf(config, t).some((cx) => curveslistInForce(config, t, ctx.line, cx) === false)) continue;
    const v = c.value;
    if (v.kind === 'string') {
      const known = findValue('curve', v.value);
      if (known && !curveNameOn(v.value, ctx.line)) {
        // `P-384` for `secp384r1`, or a curve (Brainpool) the old table never had.
        const same = known.name !== v.value && curveNameOn(known.name, ctx.line);
        out.push({
          range: v.range,
          message: same
            ? `\`${v.value}\` is LuaSec's later spelling of \`${known.name}\`: the LuaSec releases Prosody ${ctx.line} ran with refuse it ("elliptic curve not supported"; ${CURVE_ALIAS_LUASEC}). Write \`"${known.name}"\`.`
            : `The LuaSec releases Prosody ${ctx.line} ran with refuse \`${v.value}\` ("elliptic curve not supported"): ${CURVE_ALIAS_LUASEC}, which does not hold it. Use e.g. \`"secp384r1"\`.`,
          fixes: same ? [replaceFix(v.contentRange, known.name, `Change to ${known.name}`)] : [],
        });
        continue;
      }
      if (known) continue;
      const group = findValue('curveslist', v.value);
      // On 0.9 a later alias (`P-384`) is no answer but its old name (`secp384r1`) is; a curve the old table lacks is none.
      const near = group ? undefined : closest(v.value, curves);
      const nearOld = near === undefined || curveNameOn(near, ctx.line) ? near : findValue('curve', near)?.name;
      const suggestion = nearOld !== undefined && curveNameOn(nearOld, ctx.line) ? nearOld : undefined;
      // 0.9 does not pass `curveslist` on: there a named curve is the only choice.
      const lists = sslKeyReadOn('curveslist', ctx.line);
      const fixes: Fix[] = [];
      // Renamed beside a `curveslist` of the table's own, one of the two keys would replace the other (a reviewer).
      const ownList = getField(t.table, 'curveslist') !== undefined;
      if (group && lists && !ownList) fixes.push(replaceFix(c.keyContentRange, 'curveslist', 'Use curveslist instead'));
      if (suggestion) fixes.push(replaceFix(v.contentRange, suggestion, `Change to ${suggestion}`));
      const advice = group
        ? lists
          ? ownList
            ? ` It is a group only \`curveslist\` takes: name it in this table's \`curveslist\` and remove \`curve\`.`
            : ' It is a group only `curveslist` takes: write `curveslist` instead.'
          : ` It is a group only \`curveslist\` takes, which Prosody ${ctx.line} does not pass on: use a named curve such as \`"secp384r1"\`.`
        : suggestion
          ? ` Did you mean \`${suggestion}\`?`
          : ` Use e.g. \`"secp384r1"\`${lists ? ', or better `curveslist`' : ''}.`;
      out.push({ range: v.range, message: `${valueText(v.value)} is not an elliptic curve \`curve\` accepts (names are case-sensitive); LuaSec refuses the context ("elliptic curve not supported").${advice}`, fixes });
    } else if (v.kind === 'number' || (v.kind === 'boolean' && v.value) || v.kind === 'table') {
      out.push({ range: v.range, message: '`curve` takes one curve name as a string; LuaSec refuses anything else (or throws a Lua error). Write e.g. `"secp384r1"`.' });
    }
  }
  return out;
}

/** Each table's `curveslist` or `ciphersuites` that is literal text or a list of it, read as OpenSSL joins it. */
function joinedFields(ctx: RuleContext, key: 'curveslist' | 'ciphersuites'): Array<{ t: TlsTable; field: TableField; joined: NonNullable<ReturnType<typeof joinedList>> }> {
  const out: Array<{ t: TlsTable; field: TableField; joined: NonNullable<ReturnType<typeof joinedList>> }> = [];
  for (const { t } of tables(ctx)) {
    const field = liveField(t, key);
    const joined = field && joinedList(field.value);
    if (field && joined) out.push({ t, field, joined });
  }
  return out;
}

/**
 * A group named twice in `curveslist`, aliases included (`P-256` is `prime256v1`): OpenSSL 3.0 refuses the whole
 * list (checked with LuaSec 1.2.0: "unknown elliptic curve in …"). A warning, not an error: that refusal is
 * OpenSSL's, and releases with the newer group-list syntax may read it otherwise; dropping the repeat is right
 * either way.
 */
function duplicateCurveFindings(ctx: RuleContext): Finding[] {
  const out: Finding[] = [];
  for (const { field: cl, joined } of joinedFields(ctx, 'curveslist')) {
    const first = new Map<string, string>();
    const kept: string[] = [];
    const repeats: Array<{ p: JoinedPart; group: string }> = [];
    for (const p of joined.parts.map(trimPart)) {
      const group = findValue('curveslist', p.name)?.name;
      if (group !== undefined && first.has(group)) {
        repeats.push({ p, group });
        continue;
      }
      if (group !== undefined) first.set(group, p.name);
      kept.push(p.name);
    }
    // The fix rewrites the whole value: one copy, on the first repeat. On every repeat it made the diagnostics grow
    // with repeats × list length (a 16 000-name list overflowed the JSON the server publishes and it exited).
    const fix = cl.value.kind === 'string' && repeats.length ? [replaceFix(cl.value.range, luaString(kept.join(':')), repeats.length > 1 ? 'Remove the repeated groups' : 'Remove the repeated group')] : [];
    const quoted = capped(joined.text);
    repeats.forEach(({ p, group }, i) => {
      const earlier = first.get(group)!;
      out.push({
        range: p.range[1] > p.range[0] ? p.range : cl.value.range,
        message: `\`${p.name}\` is already in this list${earlier === p.name ? '' : ` as \`${earlier}\` (the same group${group === p.name || group === earlier ? '' : `, \`${group}\``})`}. OpenSSL 3.0 (Debian 12's) refuses a list that names a group twice ("unknown elliptic curve in \\"${quoted}\\""), so no TLS context is created there; 3.5 (Debian 13's) accepts it. Remove the repeat.`,
        fixes: i === 0 ? fix : [],
      });
    });
  }
  return out;
}

/**
 * Groups a later OpenSSL added (TLS 1.3 Brainpool in 3.2, ML-KEM in 3.5): refused (with the whole list) by the
 * OpenSSL 3.0 many servers still run (Debian 12), fine on a new enough one. Which one the server has is not known
 * here, so a warning, not unknown-curve's error.
 */

function newerGroupFindings(ctx: RuleContext): Finding[] {
  const out: Finding[] = [];
  const refused = 'With an older OpenSSL (Debian 12 ships 3.0) LuaSec refuses the whole list ("unknown elliptic curve"), so no TLS context is created there;';
  for (const { field: cl, joined } of joinedFields(ctx, 'curveslist')) {
    for (const p of joined.parts.map(trimPart)) {
      const range = p.range[1] > p.range[0] ? p.range : cl.value.range;
      const g = newerOpensslGroups.get(p.name.toLowerCase());
      if (g) {
        out.push({ range, message: `\`${p.name}\` is a group OpenSSL ${g.since} added: ${g.summary} ${refused} keep it only if the server runs OpenSSL ${g.since} or later.` });
        continue;
      }
      // Names OpenSSL 3.0 added (its lowercase aliases, the RFC 7919 groups): before 0.12 servers mostly ran 1.1.1 (a
      // reviewer's 0.11.9 run on Debian 11's LuaSec 1.0 and OpenSSL 1.1.1w: "unknown elliptic curve in "x25519:secp384r1"").
      if (usualOpensslBefore(ctx.line, '3.0') && OPENSSL3_GROUP_NAMES.has(p.name)) {
        const older = OPENSSL3_GROUP_NAMES.get(p.name);
        const group = older !== undefined ? findValue('curveslist', older)?.name : undefined;
        const twice = group !== undefined && joined.parts.some((q) => trimPart(q).range[0] !== p.range[0] && findValue('curveslist', q.name.trim())?.name === group);
        out.push({
          range,
          message: `\`${p.name}\` is ${older ? `a spelling OpenSSL 3.0 added (older releases know only \`${older}\`)` : 'a finite-field group OpenSSL 3.0 added to TLS'}. With ${usualOpensslSaid(ctx.line)}, LuaSec refuses the whole list ("unknown elliptic curve"), so no TLS context is created; ${older ? (twice ? 'the list names that group already: remove this entry.' : `write \`${older}\`, which every release knows.`) : 'keep it only if the server runs OpenSSL 3.0 or later.'}`,
          ...(older && !twice && p.exact && p.range[1] > p.range[0] ? { fixes: [replaceFix(range, older, `Change to ${older}`)] } : {}),
        });
        continue;
      }
      // OpenSSL 3.5 matches group names in any case; 3.0 refuses `p-256` (a reviewer's s_server -groups runs, and 13.0.1 on
      // Debian 13's 3.5.9 negotiated prime256v1 with it).
      const canonical = caseVariant(p.name, ctx.line);
      if (canonical) {
        // Already in the list under OpenSSL's name: changed, it would be named twice (duplicate-curve; a reviewer).
        const group = findValue('curveslist', canonical)?.name;
        const twice = joined.parts.some((q) => q !== p && findValue('curveslist', q.name.trim())?.name === group);
        out.push({
          range,
          message: `\`${p.name}\` is written in another case than OpenSSL's name, \`${canonical}\`. OpenSSL 3.5 (Debian 13's) matches group names in any case, but older releases (Debian 12 ships 3.0) do not: there LuaSec refuses the whole list ("unknown elliptic curve"), so no TLS context is created. ${twice ? 'The list names that group already: remove this entry.' : `Write \`${canonical}\`.`}`,
          ...(!twice && p.exact && p.range[1] > p.range[0] ? { fixes: [replaceFix(range, canonical, `Change to ${canonical}`)] } : {}),
        });
        continue;
      }
      const syntax = newerGroupSyntax(p.name, knownGroup);
      if (syntax) {
        out.push({ range, message: `\`${p.name}\` uses group-list syntax OpenSSL ${syntax.since} added (${syntax.uses}). ${refused} keep it only if the server runs OpenSSL ${syntax.since} or later, else write plain group names separated by \`:\`.` });
      }
    }
  }
  return out;
}

/**
 * The catalog's spelling (OpenSSL 3.0's, aliases included) of a group name written in another case; else undefined.
 * Only from 0.12: older lines ran OpenSSL 3.0 or earlier, where such a name is simply unknown (unknown-curve).
 */
function caseVariant(name: string, line: ProsodyLine): string | undefined {
  if (!name || compareVersions(NEWEST_RELEASE[line], '0.12.0') < 0 || findValue('curveslist', name)) return undefined;
  return inCatalogCase(name);
}

/** A group name in the catalog's spelling, whatever the case it is written in; undefined when the catalog has none. */
function inCatalogCase(name: string): string | undefined {
  // (One map of the lowercased names: built per question it made this rule five times slower.)
  byLower ??= new Map(setNames('curveslist').concat(...findAliases('curveslist')).map((n) => [n.toLowerCase(), n]));
  return byLower.get(name.toLowerCase());
}

let byLower: Map<string, string> | undefined;

/** A group name some OpenSSL release knows: the catalog's (OpenSSL 3.0) or a later one's. */
function knownGroup(name: string): boolean {
  return findValue('curveslist', name) !== undefined || newerOpensslGroups.has(name.toLowerCase());
}

function findAliases(id: 'curve' | 'curveslist'): string[][] {
  const set = setNames(id).map((n) => findValue(id, n)?.aliases ?? []);
  return set.map((a) => [...a]);
}

function curvePart(p: JoinedPart, whole: string, groups: string[], field: TableField): Finding {
  const pieces = p.name.split(/[,\s]+/).filter(Boolean);
  const fixes: Fix[] = [];
  let hint: string;
  if (!p.name) {
    hint = ' Remove the stray `:`.';
  } else if (pieces.length > 1 && pieces.every((x) => inCatalogCase(x))) {
    // Known names in another case are written in OpenSSL's (review 140: "X25519,P-256,p-384" got no fix at all).
    const named = pieces.map((x) => (findValue('curveslist', x) ? x : inCatalogCase(x)!));
    const recased = named.filter((x, k) => x !== pieces[k]);
    hint = ` Only \`:\` separates groups (or write a Lua list)${recased.length ? `, and group names are written in OpenSSL's case (${recased.map((x) => `\`${x}\``).join(', ')})` : ''}.`;
    if (p.exact) fixes.push(replaceFix(p.range, named.join(':'), recased.length ? `Separate with ":" and write ${recased.join(', ')}` : 'Separate with ":"'));
  } else {
    const s = closest(p.name, groups);
    hint = s ? ` Did you mean \`${s}\`?` : ' Remove it; OpenSSL 3.0 does not know it.';
    if (s && p.exact) fixes.push(replaceFix(p.range, s, `Change to ${s}`));
  }
  const range = p.range[1] > p.range[0] ? p.range : field.value.range;
  return { range, message: `${p.name ? `\`${p.name}\` is not a group OpenSSL accepts in \`curveslist\`` : 'An empty name in `curveslist`'}; one bad name makes LuaSec refuse the whole list ("unknown elliptic curve in \\"${capped(whole)}\\""), so no TLS context is created.${hint}`, fixes };
}

// ---------------------------------------------------------------- TLS 1.3 vs TLS ≤1.2 suite names

interface SuiteWord { name: string; range: Range }

/** Words of a cipher string (OpenSSL separates by `:`, `,` or space) with their source ranges. */
function cipherWords(v: LuaValue): SuiteWord[] | undefined {
  // OpenSSL separates cipher words with ':', ',' and blanks; empty pieces are no words.
  return joinedList(v, /[:,\s]/)?.parts.filter((p) => p.name !== '');
}

/**
 * Renames `ciphers` to `ciphersuites`. Only `:` separates TLS 1.3 suites, and before 0.12 Prosody hands a list
 * to LuaSec as it is, so any other spelling of the value is rewritten as one `:`-joined string.
 */
function renameToSuites(text: string, t: TlsTable, field: TableField, words: readonly SuiteWord[]): Fix {
  const joined = words.map((w) => w.name).join(':');
  const same = field.value.kind === 'string' && field.value.value === joined;
  return renameKeyFix(text, t, field, 'ciphersuites', 'Rename to ciphersuites', same ? undefined : luaString(joined));
}

/** A list quoted in a message, cut short (120 characters and the ellipsis): one finding per entry must not each repeat a huge list. */
const capped = (text: string): string => clip(text, 121);

/** A part without the blanks around it, its range narrowed to match when the range is its own. */
function trimPart(p: JoinedPart): JoinedPart {
  const lead = p.name.length - p.name.trimStart().length;
  const name = p.name.trim();
  return { ...p, name, range: p.exact ? [p.range[0] + lead, p.range[0] + lead + name.length] : p.range };
}

const isTls13 = (n: string): boolean => findValue('ciphersuites', n)?.name === n;
const isTls12 = (n: string): boolean => !isTls13(n) && findSuite(n) !== undefined;

function suiteFindings(ctx: RuleContext, want: 'error' | 'partial'): Finding[] {
  const out: Finding[] = [];
  const text = ctx.doc.getText();
  for (const { t } of tables(ctx)) {
    const c = liveField(t, 'ciphers');
    const words = c && cipherWords(c.value);
    if (c && words && words.length) {
      const bad = words.filter((w) => isTls13(w.name));
      const all = bad.length === words.length;
      if (bad.length && all && want === 'error') {
        const hasSuites = liveField(t, 'ciphersuites') !== undefined;
        // Prosody 0.9 hands LuaSec no `ciphersuites`: a rename would do nothing there.
        const suitesRead = sslKeyReadOn('ciphersuites', ctx.line);
        const advice = !suitesRead
          ? `Prosody ${ctx.line} does not pass \`ciphersuites\` to LuaSec, so remove \`ciphers\` to keep Prosody's default.`
          : hasSuites
            ? 'Remove them from `ciphers`; TLS 1.3 suites belong in `ciphersuites`.'
            : 'Rename the key to `ciphersuites`.';
        out.push({
          range: c.value.range,
          message: `\`ciphers\` chooses TLS 1.2-and-older suites; ${bad.length > 1 ? 'these are TLS 1.3 suite names' : `\`${bad[0]!.name}\` is a TLS 1.3 suite name`}, so nothing matches and LuaSec refuses the context ("no cipher match"). ${advice}`,
          fixes: hasSuites || !suitesRead ? [removeKeyFix(text, t, 'ciphers', 'Remove ciphers')] : [renameToSuites(text, t, c, words)],
        });
      } else if (bad.length && !all && want === 'partial') {
        // Before 0.10 Prosody hands LuaSec no `ciphersuites`: there OpenSSL's own TLS 1.3 suites apply anyway.
        const instead = sslKeyReadOn('ciphersuites', ctx.line) ? 'Put it in `ciphersuites` and remove it here.' : `Remove it here: Prosody ${ctx.line} does not pass \`ciphersuites\` to LuaSec, and OpenSSL's default TLS 1.3 suites apply.`;
        for (const w of bad) out.push({ range: w.range, message: `\`${w.name}\` is a TLS 1.3 suite name; \`ciphers\` only chooses TLS 1.2-and-older suites, so OpenSSL skips it. ${instead}` });
      }
    }
    const s = liveField(t, 'ciphersuites');
    const joined = s && joinedList(s.value);
    if (!s || !joined || joined.text === '') continue;
    // OpenSSL trims blanks around each suite name and skips empty ones.
    const parts = joined.parts.map(trimPart).filter((p) => p.name !== '');
    if (!parts.length) {
      if (want === 'error') out.push({ range: s.value.range, message: '`ciphersuites` names no suite, only separators and blanks: LuaSec refuses the context ("no cipher match"). Remove it to keep the default, or list TLS 1.3 suites such as `"TLS_AES_128_GCM_SHA256:TLS_CHACHA20_POLY1305_SHA256"`.', fixes: [removeKeyFix(text, t, 'ciphersuites', 'Remove ciphersuites')] });
      continue;
    }
    // A TLS 1.2 suite's standard name is not skipped: OpenSSL 3 takes it and offers it to TLS 1.2 clients ahead of
    // the `ciphers` list (a reviewer's 0.12.3 run negotiated AES128-SHA from one), and so does 1.1.1w (review 152: no
    // "no cipher match" there). Where nothing else is a TLS 1.3 suite, no-tls13-suite says what that leaves.
    const std12 = parts.filter((p) => !isTls13(p.name) && findTls12ByStdName(p.name));
    if (want === 'partial') {
      for (const p of std12) {
        out.push({ range: p.range, message: `\`${p.name}\` is a TLS 1.2 suite's standard name (\`${findTls12ByStdName(p.name)!.name}\` in \`ciphers\`): OpenSSL takes it here anyway and offers it to TLS 1.2 clients ahead of the \`ciphers\` list, even where \`ciphers\` leaves it out. Remove it from \`ciphersuites\`.` });
      }
    }
    const bad = parts.filter((p) => !isTls13(p.name) && !std12.includes(p));
    if (!bad.length) continue;
    if (bad.length === parts.length && want === 'error') {
      const tls12 = bad.every((p) => isTls12(p.name));
      // Suites joined by `,`, `;` or blanks (a reviewer: the names were right, only the separator was not).
      const commas = /[,;\s]/.test(joined.text.trim()) && joined.text.split(/[,;:\s]+/).filter(Boolean).every((x) => isTls13(x));
      const upper = joined.text.toUpperCase();
      const cased = upper !== joined.text && upper.split(':').map((x) => x.trim()).filter((x) => x !== '').every(isTls13);
      const fixes: Fix[] = [];
      let hint: string;
      if (commas) {
        hint = 'Only `:` separates TLS 1.3 suites.';
        // (Without the suites that do not encrypt: the fix must not make them work; suite-without-encryption says why.)
        // The title says so when a suite is left out (review 140: the title hid the removal).
        const words = joined.text.split(/[,;:\s]+/).filter(Boolean);
        const kept = words.filter((x) => !findValue('ciphersuites', x)?.unsafe);
        const dropped = words.filter((x) => !kept.includes(x));
        if (s.value.kind === 'string') fixes.push(replaceFix(s.value.range, luaString(kept.join(':')), dropped.length ? `Separate with ":" and leave out ${dropped.join(', ')}` : 'Separate with ":"'));
      } else if (cased) {
        hint = 'Suite names are case-sensitive.';
        if (s.value.kind === 'string') fixes.push(replaceFix(s.value.range, luaString(upper), 'Write in upper case'));
      } else if (tls12) {
        const hasCiphers = c !== undefined;
        hint = hasCiphers ? 'TLS 1.2 suites belong in `ciphers`; remove them here.' : 'TLS 1.2 suites belong in `ciphers`: rename the key.';
        fixes.push(hasCiphers ? removeKeyFix(text, t, 'ciphersuites', 'Remove ciphersuites') : renameKeyFix(text, t, s, 'ciphers', 'Rename to ciphers'));
      } else {
        hint = 'Use TLS 1.3 names such as `TLS_AES_128_GCM_SHA256`, or remove the key to keep the default.';
        fixes.push(removeKeyFix(text, t, 'ciphersuites', 'Remove ciphersuites'));
      }
      const lead = commas ? 'The names here are TLS 1.3 suites, but OpenSSL reads what another separator than `:` joins as one unknown name: none matches, so LuaSec refuses the context ("no cipher match").' : '`ciphersuites` takes TLS 1.3 suite names only; none here is one, so LuaSec refuses the context ("no cipher match").';
      out.push({ range: s.value.range, message: `${lead} ${hint}`, fixes });
    } else if (bad.length < parts.length && want === 'partial') {
      for (const p of bad) {
        const joinedNames = p.name.split(/[,;\s]+/).filter(Boolean);
        if (joinedNames.length > 1 && joinedNames.every(isTls13)) {
          out.push({ range: p.range, message: `\`${p.name}\` is ${joinedNames.length} TLS 1.3 suites joined by another separator than \`:\`, which OpenSSL reads as one unknown name: ${skipped(ctx.line)}. Only \`:\` separates TLS 1.3 suites.`, ...(p.exact ? { fixes: [replaceFix(p.range, joinedNames.join(':'), 'Separate with ":"')] } : {}) });
          continue;
        }
        out.push({ range: p.range, message: `\`${p.name}\` is not a TLS 1.3 suite${isTls12(p.name) ? ' (it is a TLS 1.2 suite; those belong in `ciphers`)' : ''}: ${skipped(ctx.line)}. Remove it from \`ciphersuites\`.` });
      }
    }
  }
  return out;
}

/**
 * OpenSSL 1.1.1 refuses a whole `ciphersuites` list for one name it does not take (Debian 11's 1.1.1w: "no cipher
 * match", a reviewer's 0.11.9 logged it for c2s, s2sin and s2sout); OpenSSL 3 skips such a name. The lines whose servers
 * commonly ran 1.1.1 (1.1.0 has no TLS 1.3, so no list at all).
 */
function refusesUnknown(line: ProsodyLine): boolean {
  return !usualOpensslBefore(line, '1.1.1') && usualOpensslBefore(line, '3.0');
}

/** What becomes of one name OpenSSL does not take in `ciphersuites`, on the line's usual OpenSSL. */
function skipped(line: ProsodyLine): string {
  return refusesUnknown(line) ? `OpenSSL 3 skips it, but ${usualOpensslSaid(line)}, refuses the whole list ("no cipher match"), so no TLS context is created there` : 'OpenSSL skips it';
}


/**
 * A TLS 1.3 suite without encryption in `ciphersuites` (RFC 9150's `TLS_SHA256_SHA256`, `TLS_SHA384_SHA384`): OpenSSL 3.0
 * skips it as unknown (and refuses a list of nothing else), 3.5 negotiates it where the security level is 0 (a
 * reviewer's 13.0.1 on Debian 13: "New, TLSv1.3, Cipher is TLS_SHA256_SHA256" under `ciphers = "HIGH:@SECLEVEL=0"`).
 */
function unencryptedSuiteFindings(ctx: RuleContext): Finding[] {
  const out: Finding[] = [];
  const text = ctx.doc.getText();
  for (const { t } of tables(ctx)) {
    const s = liveField(t, 'ciphersuites');
    const joined = s && joinedList(s.value);
    if (!s || !joined) continue;
    const parts = joined.parts.map(trimPart).filter((p) => p.name !== '');
    for (const p of parts) {
      const v = findValue('ciphersuites', p.name);
      if (!v?.unsafe || !v.openssl || v.name !== p.name) continue;
      const alone = parts.every((q) => findValue('ciphersuites', q.name)?.unsafe);
      out.push({
        range: p.range,
        message: `\`${p.name}\` is a TLS 1.3 suite without encryption (RFC 9150: it only authenticates the records). OpenSSL ${v.openssl.since} and later know it and negotiate it where the security level is 0 (\`@SECLEVEL=0\` in the ciphers), and then anyone on the path reads the stream, passwords included; older releases ${refusesUnknown(ctx.line) ? `refuse it, and with it the whole list ("no cipher match": ${usualOpensslSaid(ctx.line)}, does so)` : `skip it as unknown${alone ? ' and, as it is all this list names, refuse the context ("no cipher match")' : ''}`}.${alone ? ' On OpenSSL 3.5, at the default security level, no TLS 1.3 handshake finds a suite.' : ''} Remove it${alone ? ', or the key, to keep the default suites' : ''}.`,
        fixes: alone ? [removeKeyFix(text, t, 'ciphersuites', 'Remove ciphersuites')] : s.value.kind === 'string' ? [replaceFix(s.value.range, luaString(parts.filter((q) => !findValue('ciphersuites', q.name)?.unsafe).map((q) => q.name).join(':')), 'Remove the suites without encryption')] : [],
      });
    }
  }
  return out;
}

// ---------------------------------------------------------------- the rows

const E = DiagnosticSeverity.Error;
const W = DiagnosticSeverity.Warning;

export const invalidRules: readonly Rule[] = [
  {
    id: 'unknown-ssl-key', category: 'invalid', severity: W,
    title: 'Unknown key in a TLS table',
    description: `LuaSec ignores keys it does not know and Prosody passes them on untouched, so a misspelt key (\`protocl\`, \`cipher_suites\`) silently does nothing and \`prosodyctl check\` never mentions it. The quick fix renames it to the closest real key. Prosody 0.9 passes on a fixed set of keys, so there ${andList(sslKeys.filter((k) => !sslKeyReadOn(k.name, '0.9')).map((k) => `\`${k.name}\``))} do nothing either.`,
    check: unknownKeys,
  },
  {
    id: 'ssl-value-type', category: 'invalid', severity: E,
    title: 'Value of the wrong type for an ssl key',
    description: `Some wrong types make LuaSec refuse the context, others make it throw a Lua error, and then ${LUA_ERROR_EFFECT}: a \`depth\` that is not a whole number, a boolean inside \`options\` or \`verify\`, a list for \`ciphers\` on 0.9 or for \`ciphersuites\` before 0.12, an empty \`alpn\` list.`,
    check: (ctx) => typeFindings(ctx, 'error'),
  },
  {
    id: 'ssl-value-dropped', category: 'invalid', severity: W,
    title: 'Value Prosody silently drops',
    description: 'Prosody only keeps string paths for `key`, `certificate`, `cafile`, `capath` and `dhparam`; any other value is dropped without a message (0.9 throws a Lua error on it instead, reported as \`ssl-value-type\`). Before 0.10 a `name = true` map for `options`/`verifyext` is ignored the same way; on the Lua 5.1/5.2 that Prosody up to 0.11 runs on, a `depth` with a fraction is cut to a whole number.',
    check: (ctx) => typeFindings(ctx, 'dropped'),
  },
  {
    id: 'invalid-protocol', category: 'invalid', severity: E,
    title: 'Protocol not accepted by this Prosody version',
    description: 'LuaSec knows `any`, `sslv23`, `tlsv1`, `tlsv1_1`, `tlsv1_2` and `tlsv1_3`; Prosody adds the `+` forms (from 0.10, `tlsv1_3+` from 0.11). Anything else — `sslv3` (gone since LuaSec 0.8), `TLSv1.2`, a `+` form on 0.9 — makes LuaSec refuse the context.',
    check: protocolFindings,
  },
  {
    id: 'unknown-flag', category: 'invalid', severity: E,
    title: 'Unknown option, verify, verifyext or DANE flag',
    description: 'Flag names are checked by LuaSec when the context is created; an unknown name (`NO_TICKET`, `continue` instead of `lsec_continue`) makes it refuse the context, and an unknown DANE flag throws a Lua error.',
    check: flagFindings,
  },
  {
    id: 'flag-needs-newer-openssl', category: 'invalid', severity: W, prosody: { removed: '0.12.0' },
    title: 'Option flag that only a newer OpenSSL knows',
    description: `LuaSec builds its list of option flags from the OpenSSL headers it is compiled against, so a flag a later OpenSSL added is unknown to a LuaSec built against an older one, which refuses it and with it the TLS context. ${newerFlagsText()}. Each line is judged against the oldest OpenSSL its servers commonly ran: ${andList(linesBeforeOpenssl('3.0').map((l) => `${l.openssl} for ${l.line}`))}; whether a server's OpenSSL is new enough cannot be seen from the config, so this warns instead of reporting \`unknown-flag\`.`,
    check: newerFlagFindings,
  },
  {
    id: 'protocol-needs-newer-openssl', category: 'invalid', severity: W, prosody: { removed: '0.11.0' },
    title: 'Protocol that only a newer OpenSSL knows',
    description: `LuaSec offers \`"tlsv1_3"\` (from 0.8) only where the OpenSSL it is built against has TLS 1.3, 1.1.1 and later; built against an older one it refuses the name ("invalid protocol") and with it the TLS context. Judged against the oldest OpenSSL each line's servers commonly ran: ${andList(linesBeforeOpenssl('1.1.1').map((l) => `${l.openssl} for ${l.line}`))}; whether a server's OpenSSL is new enough cannot be seen from the config, so this warns. \`"tlsv1_2+"\` (0.10) negotiates TLS 1.3 wherever the server can.`,
    check: newerProtocolFindings,
  },
  {
    id: 'unknown-tls-profile', category: 'invalid', severity: E, prosody: { since: '0.12.0' },
    title: 'Unknown tls_profile',
    description: `From ${UNKNOWN_PROFILE.refusedSince} Prosody refuses to create TLS contexts when \`tls_profile\` is not one of \`intermediate\`, \`modern\`, \`old\`, \`legacy\`; ${UNKNOWN_PROFILE.lenient} silently applied no preset (as \`legacy\`).`,
    check: tlsProfileFindings,
  },
  {
    id: 'key-material-in-path', category: 'invalid', severity: E,
    title: 'Certificate or key text where a file path belongs',
    description: `${andList([...SSL_PATH_KEYS].map((k) => `\`${k}\``))} take file paths; pasted PEM text is taken as a file name and fails to load (${sslKeys.filter((k) => k.literalPem).map((k) => `\`${k.name}\` also takes literal PEM ${describeRange(k.literalPem)}`).join('; ')}). The value is never quoted back.`,
    check: keyMaterialFindings,
  },
  {
    id: 'end-point-hash-invalid', category: 'invalid', severity: W, prosody: { since: '13.0.0' },
    title: 'tls_server_end_point_hash is neither "auto" nor a certificate hash',
    description: 'Prosody 13 uses any value other than `"auto"` as the certificate hash (hex) for tls-server-end-point channel binding; a hash name such as `"sha256"` makes logins that use that binding fail.',
    check: endPointHashFindings,
  },
  {
    id: 'unknown-curve', category: 'invalid', severity: E,
    title: 'Curve or group name not accepted',
    description: '`curveslist` takes OpenSSL group names separated by `:`; one unknown name (or a comma) makes LuaSec refuse the whole list. `curve` takes one classic EC curve and refuses `X25519` — but only matters where no `curveslist` is in force.',
    check: curveFindings,
  },
  {
    id: 'duplicate-curve', category: 'invalid', severity: W,
    title: 'Group named twice in curveslist',
    description: 'A `curveslist` that names the same group twice, directly or by an alias (`P-256` and `prime256v1`), is refused whole by OpenSSL 3.0, so no TLS context is created where it applies; OpenSSL 3.5 accepts it (a reviewer\'s run of 13.0.1 on Debian 13).',
    check: duplicateCurveFindings,
  },
  {
    id: 'curve-needs-newer-openssl', category: 'invalid', severity: W,
    title: 'Group or list syntax that only a newer OpenSSL knows in curveslist',
    description: `Later OpenSSL releases added groups: ${andList([...new Set([...newerOpensslGroups.values()].map((g) => g.since))].sort().map((since) => `${[...newerOpensslGroups.values()].filter((g) => g.since === since).map((g) => `\`${g.name}\``).join(', ')} in ${since}`))}. Later releases also added syntax for the list: \`?name\` (3.3: skip a group this OpenSSL does not know), and in 3.5 \`*name\` (send its key share at once), \`-name\` (take a group out, as in \`DEFAULT:-X448\`), \`/\` between tuples (preference levels; \`:\` lists the groups of one tuple) and \`DEFAULT\`. Older OpenSSL refuses a \`curveslist\` naming such a group or written in that syntax, and with it the whole TLS context; whether the server's OpenSSL is new enough cannot be seen from the config, so this warns instead of reporting \`unknown-curve\`. From 0.12 a known group written in another case (\`p-256\`) is reported here too: OpenSSL 3.5 matches names in any case, 3.0 does not (on older lines it is unknown-curve's). On 0.10 and 0.11, whose servers mostly ran OpenSSL 1.1.1, what OpenSSL 3.0 added is reported the same way: the RFC 7919 groups (\`ffdhe2048\` …) and the spellings ${andList([...OPENSSL3_GROUP_NAMES].filter(([, older]) => older).map(([name, older]) => `\`${name}\` (for \`${older}\`)`))}.`,
    check: newerGroupFindings,
  },
  {
    id: 'wrong-suite-kind', category: 'invalid', severity: E,
    title: 'TLS 1.3 suites in ciphers, or no TLS 1.3 suite in ciphersuites',
    description: '`ciphers` chooses TLS 1.2-and-older suites and `ciphersuites` TLS 1.3 suites; a value that only names suites of the other kind matches nothing and LuaSec refuses the context ("no cipher match").',
    check: (ctx) => suiteFindings(ctx, 'error'),
  },
  {
    id: 'suite-without-encryption', category: 'unsafe', severity: W,
    title: 'TLS 1.3 suite without encryption in ciphersuites',
    description: '`TLS_SHA256_SHA256` and `TLS_SHA384_SHA384` (RFC 9150) authenticate TLS 1.3 records without encrypting them. OpenSSL 3.5 added them and negotiates one where it is listed and the security level is 0, leaving the stream readable; OpenSSL 3.0 skips them as unknown, and refuses a `ciphersuites` that names nothing else. Remove them.',
    check: unencryptedSuiteFindings,
  },
  {
    id: 'suite-skipped', category: 'invalid', severity: W,
    title: 'Suite name skipped in ciphers or ciphersuites',
    description: 'OpenSSL skips names that do not belong in the list as long as another name matches, so the setting works but does not say what it seems to. A TLS 1.2 suite\'s standard name in `ciphersuites` (`TLS_RSA_WITH_AES_128_CBC_SHA`) is reported too: it is not skipped, OpenSSL 3 offers that suite to TLS 1.2 clients ahead of the `ciphers` list.',
    check: (ctx) => suiteFindings(ctx, 'partial'),
  },
];
