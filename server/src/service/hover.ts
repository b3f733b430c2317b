// Hover: documentation of the option, key, value or flag under the cursor, from the catalog; on a
// TLS table name inside a host, the effective settings of that host's connections after layering.

import type { TextDocument } from 'vscode-languageserver-textdocument';
import { MarkupKind, type Hover } from 'vscode-languageserver-types';
import { findValue, getConfigFunction, getOption, getProfile, getSslKey, getValueSet, groupPrefix, lineInRange, UNKNOWN_PROFILE, type ProsodyLine } from './catalog';
import { cipherMarkdown } from './cipherHover';
import { configFunctionMarkdown, newerGroupMarkdown, optionMarkdown, optionMarkdownParts, sslKeyMarkdown, valueMarkdown } from './docs';
import { tableContext } from './model/context';
import { declaresLocal } from './rules/newerFunctions';
import { lineInForce, type ConfigDocument } from './model/document';
import { documentProfile, effectiveSettings, opaqueLayer } from './model/layering';
import { segmentAround } from './model/segments';
import { frameAt, isOptionName, sectionAt, startsLine } from './model/structure';
import { isBracketedKey, nextSignificant, prevSignificant, tokenAt, type Token } from './model/tokenize';
import { serverOnlyTable, sniIgnoredIn } from './rules/helpers';
import { clip } from './model/clip';
import type { Range } from './model/values';
import { KEY_IN_CIPHERS, looksLikeKeyMaterial, shownName, shownString } from './model/secrets';

export function doHover(doc: TextDocument, model: ConfigDocument, offset: number, setting: ProsodyLine): Hover | null {
  const line = lineInForce(model, setting);
  const profile = documentProfile(model);
  const { tokens } = model.outline;
  const i = tokenAt(tokens, offset);
  if (i < 0) return null;
  const tok = tokens.at(i)!;
  const hover = (markdown: string, r: Range): Hover => ({
    contents: { kind: MarkupKind.Markdown, value: markdown },
    range: { start: doc.positionAt(r[0]), end: doc.positionAt(r[1]) },
  });
  const frame = frameAt(model.outline, tok.start);

  // Statement level, or the options table of `VirtualHost "x" { … }`, whose keys are options too.
  const optionLevel = !frame || frame.sectionOptions !== undefined;

  if (tok.kind === 'name') {
    const followedByEq = tokens.isSymbol(nextSignificant(tokens, i), '=');
    const fn = getConfigFunction(tok.value);
    const before = prevSignificant(tokens, i);
    // A `local` of that name is the file's own function, not the loader's (read as function-too-new reads it).
    if (fn && !declaresLocal(model, fn.name, tok.start) && !followedByEq && !tokens.isSymbol(before, '.') && !tokens.isSymbol(before, ':')) return hover(configFunctionMarkdown(fn, line), [tok.start, tok.end]);
    if (optionLevel) {
      const opt = getOption(tok.value);
      if (!isOptionName(model.outline, frame, tok.start) || !opt) return null;
      const section = modelSection(model, sectionAt(model.outline, tok.start));
      const effective = opt.kind === 'ssl-table' && model.config && section !== undefined ? effectiveSection(model, section, tok.value, line, profile) : '';
      // In a host, what this host gets is the point of hovering its table: it comes before the option's general text.
      if (effective && section! > 0) {
        const { head, rest } = optionMarkdownParts(opt, line);
        return hover(`${head}${effective}\n\n---\n\n${rest}`, [tok.start, tok.end]);
      }
      return hover(optionMarkdown(opt, line) + effective, [tok.start, tok.end]);
    }
    const table = tableContext(model.outline, frame);
    // A key being typed, its `=` not written yet (a reviewer): an ssl key after a separator or at a line start.
    const typing = !followedByEq && table?.isSslTable === true && getSslKey(tok.value) !== undefined && (startsLine(model.outline.text, tok.start) || [',', ';', '{'].some((s) => tokens.isSymbol(before, s)));
    return table && (followedByEq || typing) ? keyHover(table, tok) : null;
  }

  if (tok.kind === 'string' && !optionLevel && frame) {
    const table = tableContext(model.outline, frame);
    if (!table) return null;
    // A bracketed key (`["no_ticket"] = true`) reads like the plain name.
    if (isBracketedKey(tokens, i)) return keyHover(table, tok);
    const p = prevSignificant(tokens, i);
    const prev = tokens.at(p);
    if (table.isSslTable && prev?.value === '=') {
      const keyTok = tokens.at(prevSignificant(tokens, p));
      if (keyTok?.kind !== 'name') return null;
      return segmentHover(keyTok.value, tok, offset, table.option);
    }
    if (table.sslKey && prev && (prev.value === '{' || prev.value === ',' || prev.value === ';')) return segmentHover(table.sslKey, tok, offset, table.option);
    return null;
  }

  if (tok.kind === 'string' && optionLevel) {
    const p = prevSignificant(tokens, i);
    const nameTok = tokens.at(p)?.value === '=' ? tokens.at(prevSignificant(tokens, p)) : undefined;
    const opt = nameTok?.kind === 'name' ? getOption(nameTok.value) : undefined;
    if (!opt?.values) return null;
    const set = getValueSet(opt.values);
    const v = set && findValue(set.id, tok.value);
    return set && v ? hover(valueMarkdown(set, v, line), [tok.start, tok.end]) : null;
  }
  return null;

  /** A key in a table: an ssl key in an ssl table, a flag in a flag map (`options = { no_ticket = true }`). */
  function keyHover(table: NonNullable<ReturnType<typeof tableContext>>, key: Token): Hover | null {
    if (table.isSslTable) {
      const k = getSslKey(key.value);
      if (!k) return null;
      // A host's own direct-TLS table is its SNI context, which takes some keys from the port (sni-setting-ignored).
      const fromPort = sniIgnoredIn(model.outline, table, k.name, line);
      const note = fromPort ? `\n\n---\n\n**Here this key does not change what clients get**: in a host's \`${table.option}\` (its SNI context) Prosody ${line} uses the value of the port's context, from the global \`${table.option}\` over the global \`ssl\`.` : '';
      return hover(sslKeyMarkdown(k, line, profile, table.option ? getOption(table.option)?.contexts : undefined) + note, [key.start, key.end]);
    }
    return table.sslKey ? valueHover(table.sslKey, key.value, [key.start, key.end], table.option) : null;
  }

  /** A value of an ssl key; `option` is the TLS table it is written in, where that changes what the value does. */
  function valueHover(keyName: string, name: string, r: Range, option?: string): Hover | null {
    const setId = getSslKey(keyName)?.values;
    const set = setId && getValueSet(setId);
    const v = set && findValue(set.id, name);
    if (!set || !v) return null;
    // A flag that only changes OpenSSL's client side, in a table Prosody builds server contexts alone from (noop-option).
    const note = v.clientSide && option && serverOnlyTable(option) ? `\n\n---\n\n**Here it does nothing**: Prosody builds only server contexts from \`${option}\` (incoming connections), and this flag changes what OpenSSL does as a client.` : '';
    return hover(valueMarkdown(set, v, line) + note, r);
  }

  function cipherHover(keyName: 'ciphers' | 'ciphersuites', str: Token, at: number): Hover {
    // A pasted key or certificate: say what it is, never its words (cipher-unknown-word reports it the same way).
    if (looksLikeKeyMaterial(str.value)) return hover(KEY_IN_CIPHERS, [str.start, str.end]);
    // A list (`ciphers = { "HIGH", "!aNULL" }`) is joined by Prosody: evaluate all its items.
    const f = frameAt(model.outline, str.start);
    const inList = f && f.key === keyName && f.items.some((it) => it.start === str.start);
    const input = inList ? f.items.map((it) => it.value) : str.value;
    const part = inList ? f.items.findIndex((it) => it.start === str.start) : undefined;
    const text = model.text;
    const [s, e] = segmentAround(text, str.contentStart, str.contentEnd, at);
    const exact = text.slice(str.contentStart, str.contentEnd) === str.value;
    const word = exact && e > s ? { text: text.slice(s, e), offset: s - str.contentStart + (/^[!+-]/.test(text.slice(s, e)) ? 1 : 0), part } : undefined;
    return hover(cipherMarkdown(keyName, input, word), [str.start, str.end]);
  }

  function segmentHover(keyName: string, str: Token, at: number, option: string): Hover | null {
    if (keyName === 'ciphers' || keyName === 'ciphersuites') return cipherHover(keyName, str, at);
    // A ':'-joined list (curveslist): hover the name under the cursor. OpenSSL splits group lists at ':' only, so
    // `"X25519,P-256"` is one (unknown) name, as unknown-curve says.
    const [s, e] = segmentAround(model.text, str.contentStart, str.contentEnd, at, keyName === 'curveslist' ? /:/ : undefined);
    const whole = str.value;
    const piece = model.text.slice(s, e);
    if (keyName === 'curveslist' && piece) {
      // OpenSSL 3.3+/3.5 list syntax: the group under the cursor in a `/` tuple, without its `?`, `*` or `-`.
      let from = s;
      let sub = piece;
      for (const part of piece.split('/')) {
        if (at <= from + part.length) {
          sub = part;
          break;
        }
        from += part.length + 1;
      }
      const name = groupPrefix(sub.trim()).name;
      const newer = newerGroupMarkdown(name);
      if (newer) return hover(newer, [from, from + sub.length]);
      if (name !== piece) {
        const plain = valueHover(keyName, name, [from, from + sub.length]);
        if (plain) return plain;
      }
    }
    return valueHover(keyName, whole, [str.start, str.end], option) ?? (piece ? valueHover(keyName, piece, [s, e], option) : null);
  }
}

/**
 * The parsed model's section for an outline section. The two count headers apart (a header inside a
 * function body, or a model from the last version that parsed), so they are matched by the header's
 * offset, or in a stale model by kind, name and occurrence; undefined when no section matches.
 */
function modelSection(model: ConfigDocument, outlineIndex: number): number | undefined {
  const config = model.config;
  const sec = model.outline.sections[outlineIndex];
  if (outlineIndex === 0 || !config || !sec) return outlineIndex === 0 ? 0 : undefined;
  if (model.configIsCurrent) {
    for (let i = 1; i < config.sections.length; i++) if (config.sections[i]!.range[0] === sec.start) return i;
    return undefined;
  }
  const same = (s: { kind: string; name?: string }): boolean => s.kind === sec.kind && s.name === sec.name;
  const nth = model.outline.sections.slice(1, outlineIndex).filter(same).length;
  let seen = 0;
  for (let i = 1; i < config.sections.length; i++) if (same(config.sections[i]!) && seen++ === nth) return i;
  return undefined;
}

function effectiveSection(model: ConfigDocument, section: number, option: string, line: ProsodyLine, profile: string): string {
  // The STARTTLS contexts the table reaches (from the catalog); layering is modelled for those.
  if (!model.config) return '';
  const sec = model.config.sections[section];
  // A Component serves no clients: Prosody loads mod_c2s on hosts only (core/modulemanager.lua, component_inheritable_modules).
  const contexts = (getOption(option)?.contexts ?? []).filter((c): c is 'c2s' | 's2s' => c === 's2s' || (c === 'c2s' && sec?.kind !== 'component'));
  if (!contexts.length) return '';
  // A name is the user's text: key material pasted as one is not shown (a reviewer).
  const where = section === 0 ? 'global defaults' : `${sec?.kind === 'component' ? 'Component' : 'VirtualHost'} ${sec?.name === undefined ? '"?"' : shownString(sec.name)}`;
  // An unknown profile: from UNKNOWN_PROFILE.refusedSince (the newest 0.12 release, and 13.0) there is no context to describe.
  let md = '';
  if (lineInRange(line, getOption('tls_profile')?.prosody) && !getProfile(profile)) {
    const shown = clip(shownString(profile), 80);
    if (line !== UNKNOWN_PROFILE.lenientLine) return `\n\n---\n\n**No effective settings**: with \`tls_profile = ${shown}\` Prosody ${line} creates no TLS context (it refuses an unknown profile), so every encrypted connection fails.`;
    // The lenient releases (Debian 12 ships 0.12.3) apply no preset, as for `legacy`; the tables below are theirs.
    md += `\n\n---\n\n**With \`tls_profile = ${shown}\`** Prosody ${UNKNOWN_PROFILE.refusedSince} and later create no TLS context, so every encrypted connection fails; ${UNKNOWN_PROFILE.lenient} apply no preset (as \`legacy\`), which the tables below show.`;
  }
  for (const c of contexts) {
    const entries = effectiveSettings(model.config, section, c, line);
    if (!entries.length) continue;
    md += `\n\n---\n\n**Effective ${c} settings** (${where}, Prosody ${line}${model.configIsCurrent ? '' : ', from the last version that parsed'}):\n\n`;
    if (opaqueLayer(model.config, section, line, c)) md += 'A TLS table in force here is computed when Prosody runs (a variable or a call, not a table written out), so it may replace any of these values.\n\n';
    md += '| key | value | from |\n|---|---|---|\n';
    for (const e of entries) {
      // A built-in default that changed within the line (the catalog's `defaultsEarlier`): the earlier releases' too.
      const earlier = e.from === 'default' ? getSslKey(e.key)?.defaultsEarlier?.[line] : undefined;
      md += `| \`${shownName(e.key)}\` | \`${cell(e.value)}\` | ${e.from}${earlier ? ` (${cell(earlier)})` : ''} |\n`;
    }
  }
  return md;
}

/** A table cell: pipes escaped, long values (a 26-suite cipher list) shortened. */
function cell(value: string, max = 160): string {
  const v = value.length > max ? value.slice(0, max - 1) + '…' : value;
  return v.replace(/\|/g, '\\|');
}
