// Top-level names nothing reads. unknown-option: a name one or two letters away from a TLS option we know
// (`s2s_secure_auht = true` leaves secure auth off, silently), or an ssl key written outside its table (`protocol =
// "tlsv1_2+"` under a VirtualHost). section-assigned: `VirtualHost = "example.com"` assigns an option named VirtualHost
// instead of declaring the host (checked with Debian's 0.12.3: no host, and a later `VirtualHost "…"` line stops the
// config with "attempt to call a string value (global 'VirtualHost')").
//
// Prosody reads any name a module asks for, so a name is judged only when it is close to a TLS option and no Prosody
// release's own code reads it (catalog/prosodyOptions.ts), and never where the config reads it back as a variable
// (`ciphers = "…"` then `ssl = { ciphers = ciphers }`).

import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { configOptions, getOption, netServices, optionOnLine, serviceOnLine, splitServiceOption, sslKeys, type ProsodyLine } from '../catalog';
import { PROSODY_OPTION_NAMES } from '../catalog/prosodyOptions';
import { ChunkMemo } from '../model/chunkMemo';
import { scanSplits } from '../model/chunks';
import type { ConfigDocument } from '../model/document';
import type { ParsedConfig, Setting } from '../model/parse';
import { SECTION_WORDS, wordUses } from '../model/sectionWords';
import { currentConfig, distance, luaGlobalError, renameSettingFix, sectionTitle } from './helpers';
import { portNameJudged } from './ports';
import type { Finding, Rule, RuleContext } from './types';
import { globalVerdict } from './globalVerdict';

/** Name endings portmanager and certmanager build option names with, for any service a module provides. */
const SERVICE_SUFFIXES = ['_ports', '_interfaces', '_interface', '_ssl', '_certificate'] as const;

/** Service prefixes long enough that a name one or two letters off is a misspelling, not another service. */
const LONG_PREFIXES = netServices.map((sv) => sv.prefix).filter((p) => p.length >= 8);

let optionNames: readonly string[] | undefined;
/** Every option name the catalog knows, the service patterns spelt out. */
function tlsOptionNames(): readonly string[] {
  return (optionNames ??= [...new Set([...configOptions.map((o) => o.name), ...netServices.flatMap((sv) => SERVICE_SUFFIXES.map((x) => sv.prefix + x)).filter((n) => getOption(n))])]);
}

const SSL_KEY_NAMES: ReadonlySet<string> = new Set(sslKeys.map((k) => k.name));

/** How many letters a name may be off: none below 6 characters (too many short names are other modules'). */
const allowance = (n: string): number => (n.length >= 10 ? 2 : n.length >= 6 ? 1 : 0);

const SERVICE_PREFIXES: ReadonlySet<string> = new Set(netServices.map((sv) => sv.prefix));

function known(name: string): boolean {
  if (getOption(name) !== undefined || PROSODY_OPTION_NAMES.has(name) || SECTION_WORDS.has(name)) return true;
  // portmanager also reads `<prefix>_interface` (its pre-0.9 spelling) for every service.
  const suffix = SERVICE_SUFFIXES.find((x) => name.endsWith(x));
  return suffix !== undefined && SERVICE_PREFIXES.has(name.slice(0, -suffix.length));
}

/**
 * The one nearest candidate within the allowance; undefined when none is, or two are as near (a guess between
 * `s2s_direct_tls_ports` and `c2s_direct_tls_ports` could turn a server port into a client one: a reviewer).
 */
function nearest(name: string, candidates: Iterable<string>, limit: number): { name: string; d: number } | undefined {
  let best: { name: string; d: number } | undefined;
  let tie = false;
  const lower = name.toLowerCase();
  for (const c of candidates) {
    if (Math.abs(c.length - name.length) > limit) continue;
    const d = distance(lower, c.toLowerCase());
    if (d > limit) continue;
    if (!best || d < best.d) {
      best = { name: c, d };
      tie = false;
    } else if (d === best.d && c !== best.name) tie = true;
  }
  return tie ? undefined : best;
}

/**
 * The TLS option a misspelt name most likely means; undefined when it is none's near neighbour, or when an option
 * Prosody reads that is no TLS option is as near (`http_hosts` is `http_host`'s, not `http_ports`'s: a reviewer).
 */
function meant(name: string): string | undefined {
  // Names repeat across hosts: each is weighed once (a 50 000-line config has thousands of settings).
  let v = meantMemo.get(name);
  if (v === undefined) {
    if (meantMemo.size > 4096) meantMemo.clear();
    meantMemo.set(name, (v = guess(name) ?? null));
  }
  return v ?? undefined;
}

const meantMemo = new Map<string, string | null>();
/** The names Prosody reads that are no TLS option of the catalog's. */
let otherNames: readonly string[] | undefined;

function guess(name: string): string | undefined {
  if (known(name)) return undefined;
  const suffix = SERVICE_SUFFIXES.find((x) => name.endsWith(x));
  if (suffix) {
    // `<service>_ports` of a service some module provides: only a prefix close to one of ours is a misspelling.
    // (Else another module's service, however close its name: `turn_ports`, `proxy65_ports`.)
    const prefix = name.slice(0, -suffix.length);
    const hit = nearest(prefix, LONG_PREFIXES.filter((p) => getOption(p + suffix)), allowance(prefix));
    return hit && hit.d > 0 ? hit.name + suffix : undefined;
  }
  const limit = allowance(name);
  if (!limit) return undefined;
  const tls = nearest(name, tlsOptionNames(), limit);
  if (!tls) return undefined;
  const lower = name.toLowerCase();
  const other = (otherNames ??= [...PROSODY_OPTION_NAMES].filter((n) => !getOption(n))).some((n) => Math.abs(n.length - name.length) <= tls.d && distance(lower, n.toLowerCase()) <= tls.d);
  return other ? undefined : tls.name;
}

/**
 * The text a finding on this setting may read: its own section's (a host's candidate) or the whole file (a global
 * one, whose rule then runs over every chunk: readsOtherChunks). The section's end is found in the text itself: after
 * an edit, a chunk that was not checked again keeps its headers at their old offsets (a reviewer's fuzzer: a variable
 * use cut off, or one of the next host's counted).
 */
function scope(config: ParsedConfig, s: Setting, text: string): string {
  if (s.section === 0) return text;
  const header = config.sections[s.section]!.range[0];
  const from = text.lastIndexOf('\n', header) + 1;
  let end = text.length;
  scanSplits(text, from, (at) => {
    if (at <= s.range[0]) return false;
    end = at;
    return true;
  });
  return text.slice(from, end);
}

/** The name is read somewhere as a variable: written as a word not followed by `=` (a key or an assignment). */
function readAsVariable(text: string, s: Setting): boolean {
  const word = new RegExp(`(?<![\\w.:])${s.name}\\b(?!\\s*=(?!=))`, 'g');
  return word.test(text);
}

/**
 * What unknown-option says of a setting's name, before reading the text: an ssl key outside its table, the TLS option a
 * misspelling likely means, or nothing (a name Prosody reads, or one ports-not-read says what to write for).
 */
function nameVerdict(name: string, line: ProsodyLine): { key: true } | { meant: string } | undefined {
  if (known(name) || portNameJudged(name, line)) return undefined;
  if (SSL_KEY_NAMES.has(name)) return { key: true };
  const m = meant(name);
  return m === undefined ? undefined : { meant: m };
}

/**
 * The option a misspelling means, as the line in force names it: a direct-TLS option of a service the line knows by
 * its older name (`c2s_direct_tls_ports` → `legacy_ssl_ports` before 0.12).
 */
function onLine(name: string, line: ProsodyLine): string {
  if (optionOnLine(name, line)) return name;
  const split = splitServiceOption(name);
  const older = split && serviceOnLine(split.service, line);
  const renamed = older && older.prefix + split.suffix;
  return renamed && optionOnLine(renamed, line) ? renamed : name;
}

function unknownOptionFindings(ctx: RuleContext): Finding[] {
  const config = currentConfig(ctx);
  if (!config) return [];
  const text = ctx.doc.getText();
  const out: Finding[] = [];
  for (const s of config.settings) {
    const verdict = nameVerdict(s.name, ctx.line);
    if (!verdict || readAsVariable(scope(config, s, text), s)) continue;
    if ('key' in verdict) {
      const where = s.section === 0 ? 'at the top level' : `under ${sectionTitle(config.sections[s.section]!)}`;
      out.push({ range: s.nameRange, message: `\`${s.name}\` is a key of a TLS table, not an option: written ${where}, nothing reads it. Put it inside the \`ssl = { … }\` table (or \`c2s_ssl\`/\`s2s_ssl\` for client or server connections only).` });
      continue;
    }
    const guess = onLine(verdict.meant, ctx.line);
    // A name the line in force does not have: said, and not renamed to on its own (review 140: each such rename drew
    // option-too-new at once).
    const since = optionOnLine(guess, ctx.line) ? undefined : getOption(guess)?.prosody?.since;
    // Renamed, the line would write the option twice in its section: the later one would win.
    const taken = config.settings.some((o) => o !== s && o.section === s.section && o.name === guess);
    out.push({
      range: s.nameRange,
      message: `No Prosody release reads an option named \`${s.name}\`, so this line changes nothing. Did you mean \`${guess}\`?${since ? ` (It came in Prosody ${since}: on ${ctx.line} it does nothing either.)` : ''}${taken ? ` This section sets \`${guess}\` too: remove this line, or change that one.` : ''}`,
      ...(taken ? {} : { fixes: [{ ...renameSettingFix(text, s, guess), preferred: since === undefined }] }),
    });
  }
  return out;
}

function sectionAssignedFindings(ctx: RuleContext): Finding[] {
  const config = currentConfig(ctx);
  if (!config) return [];
  const text = ctx.doc.getText();
  const out: Finding[] = [];
  for (const s of config.settings) {
    if (!SECTION_WORDS.has(s.name) || s.conditional) continue;
    const kind = SECTION_WORDS.get(s.name) === 'host' ? 'host' : 'component';
    const shown = s.value.kind === 'string' ? ` ${JSON.stringify(s.value.value)}` : '';
    // The word now holds that value for the rest of the file: a later section line (not one in a comment or a
    // string: a reviewer) calls it.
    const effect = callsLater(text, s)
      ? `the \`${s.name} "…"\` line below then calls that value, and Prosody stops reading the config ("${luaGlobalError(ctx.line, 'call', s.name, s.value.kind === 'string' ? 'string' : s.value.kind === 'table' ? 'table' : 'nil')}"), so it does not start`
      : `no ${kind}${shown} exists for Prosody`;
    const between: [number, number] = [s.nameRange[1], s.value.range[0]];
    out.push({
      range: s.nameRange,
      message: `\`${s.name} =\` assigns an option named \`${s.name}\` instead of declaring a ${kind}: ${effect}. Write \`${s.name}${shown || ' "…"'}\`, without the \`=\` (the lines below it up to the next section then belong to that ${kind}).`,
      ...(s.value.kind === 'string' ? { fixes: [{ title: `Declare ${s.name}${shown}`, preferred: true, edits: [{ range: between, newText: ' ' }] }] } : {}),
    });
  }
  return out;
}

/** A call of the section word after this assignment: its name, then a string, table or `(`, outside comments. */
function callsLater(text: string, s: Setting): boolean {
  return wordUses(text.slice(s.range[1]), new Set([s.name])).some(({ next }) => next !== undefined && (next.kind === 'string' || (next.kind === 'symbol' && (next.value === '(' || next.value === '{'))));
}

/** A global candidate's verdict reads other chunks (a variable use). */
const globalReadsOthers = globalVerdict((global, line) => global.settings.some((s) => nameVerdict(s.name, line) !== undefined));

const assignsSection = (settings: readonly Setting[]): boolean => settings.some((s) => SECTION_WORDS.has(s.name));

// Per parsed chunk: whether it assigns a section word (asked on every keystroke, so once per chunk).
const assignsSectionIn = new ChunkMemo((_text, p) => assignsSection(p.entry.parsed.settings));

/** A `VirtualHost = …` anywhere: its verdict reads the lines after it, in later chunks. */
function sectionWordAssigned(model: ConfigDocument): boolean {
  return model.parts ? assignsSectionIn.some(model.parts, model.text, (v) => v) : assignsSection(model.config?.settings ?? []);
}

export const unknownOptionRules: readonly Rule[] = [
  {
    id: 'unknown-option', category: 'invalid', severity: DiagnosticSeverity.Warning,
    readsOtherChunks: globalReadsOthers,
    title: 'Option name nothing reads: a misspelt TLS option, or an ssl key outside its table',
    description: 'Prosody reads any option a module asks for, so a misspelt name (`s2s_secure_auht = true`, `c2s_require_encrytion`) is silently ignored and the setting keeps its default. A name one letter away from a TLS option we know (two from 10 characters on) that no Prosody release\'s own code reads is reported with the name it likely means and a rename; so is a key of the TLS tables (`protocol`, `ciphers`, `verify`, …) written as a top-level option, outside `ssl = { … }`. Not where the config reads the name back as a variable (`ciphers = "…"` then `ssl = { ciphers = ciphers }`), nor names shorter than 6 characters, nor `<service>_ports`-style names of services other modules provide.',
    check: unknownOptionFindings,
  },
  {
    id: 'section-assigned', category: 'invalid', severity: DiagnosticSeverity.Error,
    readsOtherChunks: sectionWordAssigned,
    title: 'VirtualHost or Component assigned with `=` instead of declared',
    description: '`VirtualHost = "example.com"` (or `Component = …`) assigns an option of that name: it declares no host, and the word now holds a string, so a later `VirtualHost "…"` line stops the config loader ("attempt to call a string value (global \'VirtualHost\')") and Prosody does not start (checked with Debian\'s 0.12.3). The fix removes the `=`.',
    check: sectionAssignedFindings,
  },
];
