// Completion inside a `ciphers` string: after `:`, `!`, `-` or `+`, the cipher-string keywords
// OpenSSL 3 knows (with their meaning) and every suite name (with its key exchange and cipher).

import type { TextDocument } from 'vscode-languageserver-textdocument';
import { CompletionItemKind, MarkupKind, TextEdit, type CompletionItem } from 'vscode-languageserver-types';
import { ALIASES, classify, RECOGNIZED_ALIASES, SPECIAL_WORDS, SUITES } from './ciphers';
import { evaluateCipherString } from './ciphers/evaluate';
import { segmentAround } from './model/segments';
import type { Range } from './model/values';

/** Keywords most configs are built from come first. */
const COMMON = ['ECDHE', 'DHE', 'AESGCM', 'CHACHA20', 'HIGH', 'aNULL', 'eNULL', 'kRSA', 'AES256', 'AES128', 'SHA256', 'SHA384', 'ECDSA', 'aRSA', 'PSK', 'SRP', 'TLSv1.2'];

let empty: ReadonlySet<string> | undefined;
/**
 * Keywords that select no suite on OpenSSL 3 (`MEDIUM`, `LOW`): written alone they make LuaSec refuse the
 * context, so they come last, saying so (after `!` they are harmless). Evaluated once, by the engine.
 */
function selectsNothing(): ReadonlySet<string> {
  return (empty ??= new Set(ALIASES.filter((a) => evaluateCipherString(a.name).suites.length === 0).map((a) => a.name)));
}

let weak: ReadonlySet<string> | undefined;
/**
 * Keywords that select only weak or non-forward-secret suites (`aNULL`, `eNULL`, `kRSA`): words to exclude with
 * `!`, never to add. Written bare they weaken the string (cipher-weak-suites, cipher-static-rsa say so).
 */
function weakAlone(): ReadonlySet<string> {
  return (weak ??= new Set(
    ALIASES.filter((a) => {
      const { suites } = evaluateCipherString(a.name);
      return suites.length > 0 && suites.every((x) => classify(x).weak.length > 0 || !classify(x).forwardSecrecy);
    }).map((a) => a.name),
  ));
}

/** The word at the cursor inside cipher-string content [cs, ce): after a separator and an optional prefix. */
export function cipherWordRange(text: string, cs: number, ce: number, offset: number): Range {
  const [s, e] = segmentAround(text, cs, ce, offset, /[:,; +!]/);
  // A leading '-' is the "remove" prefix, not part of a suite name.
  return text[s] === '-' && s < offset ? [s + 1, e] : [s, e];
}

/**
 * `outside`: the word stands outside a string (`ciphers = |`, an item of a `ciphers` list), so each item is
 * inserted as a string, followed by `after`; `skip`: words not to offer (items already in the list).
 */
export function cipherItems(doc: TextDocument, word: Range, atStart: boolean, outside?: { readonly quoted: true; readonly skip?: ReadonlySet<string>; readonly after?: string }): CompletionItem[] {
  const range = { start: doc.positionAt(word[0]), end: doc.positionAt(word[1]) };
  const recognized = new Set(RECOGNIZED_ALIASES);
  // After `!` or `-` a word is taken out: the weak keywords are what belongs there. Anywhere else they would add
  // weak suites, so they come after the suites worth adding, saying so.
  const before = doc.getText().slice(word[0] - 1, word[0]);
  const excluding = !outside && (before === '!' || before === '-');
  const items: CompletionItem[] = [];
  for (const a of ALIASES) {
    if (!recognized.has(a.name)) continue;
    const rank = COMMON.indexOf(a.name);
    const none = selectsNothing().has(a.name);
    const weakens = weakAlone().has(a.name);
    const common = `${rank >= 0 ? `0${String(rank).padStart(2, '0')}` : '1'}_${a.name}`;
    items.push({
      label: a.name,
      kind: CompletionItemKind.Keyword,
      detail: none ? 'cipher keyword · selects nothing on OpenSSL 3' : weakens && !excluding ? 'cipher keyword · weak suites: write it after ! to exclude them' : 'cipher keyword',
      documentation: { kind: MarkupKind.Markdown, value: `**${a.name}** — ${a.doc}` },
      sortText: none ? `5_${a.name}` : weakens ? (excluding ? `00${common}` : `4_${a.name}`) : common,
      textEdit: TextEdit.replace(range, a.name),
    });
  }
  for (const [name, doc_] of Object.entries(SPECIAL_WORDS)) {
    if (name === 'DEFAULT' && !atStart) continue; // only meaningful as the first word
    if (name.startsWith('SUITEB')) continue;
    const insert = name === '@SECLEVEL' ? '@SECLEVEL=2' : name;
    items.push({ label: insert, kind: CompletionItemKind.Keyword, detail: 'cipher command', documentation: { kind: MarkupKind.Markdown, value: `**${name}** — ${doc_}` }, sortText: `2_${name}`, textEdit: TextEdit.replace(range, insert) });
  }
  for (const s of SUITES) {
    const c = classify(s);
    const notes = [c.forwardSecrecy ? '' : 'no forward secrecy', c.weak.length ? `weak: ${c.weak.join(', ')}` : ''].filter(Boolean).join('; ');
    items.push({
      label: s.name,
      kind: CompletionItemKind.EnumMember,
      detail: `${s.kx}/${s.au} ${s.enc} ${s.encBits}${notes ? ` · ${notes}` : ''}`,
      documentation: { kind: MarkupKind.Markdown, value: `**${s.name}** (\`${s.stdName}\`)\n\n${s.protocol}+, key exchange ${s.kx}, authentication ${s.au}, ${s.enc} ${s.encBits} bits, MAC ${s.mac}.${notes ? `\n\n⚠ ${notes}.` : ''}` },
      sortText: `${c.forwardSecrecy && !c.weak.length ? '3' : '4'}_${s.name}`,
      textEdit: TextEdit.replace(range, s.name),
    });
  }
  if (!outside) return items;
  return items
    .filter((it) => !outside.skip?.has(it.label))
    .map((it) => ({ ...it, filterText: it.label, textEdit: TextEdit.replace(range, JSON.stringify(it.label) + (outside.after ?? '')) }));
}
