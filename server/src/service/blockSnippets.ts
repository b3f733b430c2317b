// Snippets for whole blocks, served by completion at statement level (never inside a table: VS Code's own snippets
// are offered everywhere, and a reviewer in a real editor got `c2s_ssl = { … }` written inside an `ssl` table, and a
// VirtualHost inside the global one, a syntax error). global-only.json holds the blocks for the top of a config (a
// global ssl table, direct TLS, the hardened defaults): outside any section only. statements.json holds the
// rest (a host or component with its certificate, `c2s_ssl`, `s2s_ssl`): in any section that reads what they write.
// Each only where the Prosody line in force has every option it writes (the catalog says which).
import { CompletionItemKind, InsertTextFormat, MarkupKind, TextEdit, type CompletionItem, type Range } from 'vscode-languageserver-types';
import { getOption, optionReadIn, type ProsodyLine, type Scope } from './catalog';
import globalOnly from '../../../snippets/global-only.json';
import anywhere from '../../../snippets/statements.json';

interface Snippet {
  readonly name: string;
  /** Outside any section only (global-only.json), or in any section that reads its options. */
  readonly globalOnly: boolean;
  readonly prefixes: readonly string[];
  readonly description: string;
  readonly body: string;
  /** The options the body assigns at statement level. */
  readonly options: readonly string[];
}

type SnippetFile = Record<string, { prefix: string[]; description: string; body: string[] }>;
const read = (file: SnippetFile, only: boolean): Snippet[] =>
  Object.entries(file).map(([name, s]) => {
    const body = s.body.join('\n');
    return { name, globalOnly: only, prefixes: s.prefix, description: s.description, body, options: [...body.matchAll(/^([A-Za-z_]\w*)\s*=/gm)].map((m) => m[1]!) };
  });
const snippets: readonly Snippet[] = [...read(globalOnly as SnippetFile, true), ...read(anywhere as SnippetFile, false)];

/** True when the snippet belongs in this section and every option it writes is one the section reads on this line. */
function fits(s: Snippet, scope: Scope, line: ProsodyLine): boolean {
  if (s.globalOnly && scope !== 'global') return false;
  return s.options.every((name) => {
    const opt = getOption(name);
    return opt !== undefined && optionReadIn(opt, scope, line);
  });
}

/** The body as accepting every default gives it: `${1:x}` and `${1|x,y|}` are `x`, and so is each later `$1`. */
function expanded(body: string): string {
  const defaults = new Map<string, string>();
  for (const m of body.matchAll(/\$\{(\d+)(?::([^}]*)|\|([^,|]*)[^}]*)\}/g)) if (!defaults.has(m[1]!)) defaults.set(m[1]!, m[2] ?? m[3] ?? '');
  return body.replace(/\$\{(\d+)(?::[^}]*|\|[^}]*)\}|\$(\d+)/g, (_m, a: string | undefined, b: string | undefined) => defaults.get((a ?? b)!) ?? '');
}

/**
 * Completion items for the block snippets that fit a statement in `scope` on `line`, replacing `range` (the word
 * typed so far). None that writes an option the section has `assigned` already: a second `ssl = { … }` would replace
 * the first table whole (a reviewer in a real editor lost a table's settings so).
 */
export function blockSnippetItems(line: ProsodyLine, scope: Scope, range: Range, assigned: ReadonlySet<string>, after = '', valueOf: (name: string) => string | undefined = () => undefined): CompletionItem[] {
  const items: CompletionItem[] = [];
  for (const s of snippets) {
    if (!fits(s, scope, line)) continue;
    const body = withoutAssigned(s.body, assigned, valueOf);
    if (body === undefined) continue;
    const left = s.options.filter((name) => assigned.has(name));
    const note = left.length ? `\n\nLeaves out ${left.map((n) => `\`${n}\``).join(', ')}, which this config sets already.` : '';
    for (const prefix of s.prefixes) {
      items.push({
        label: prefix,
        kind: CompletionItemKind.Snippet,
        detail: s.name,
        documentation: { kind: MarkupKind.Markdown, value: `${s.description}${note}\n\n\`\`\`lua\n${expanded(body)}\n\`\`\`` },
        sortText: `~${prefix}`,
        insertTextFormat: InsertTextFormat.Snippet,
        textEdit: TextEdit.replace(range, body + after),
      });
    }
  }
  return items;
}

/**
 * The body without the one-line statements of options the section sets already to a value the snippet would write (a
 * reviewer: Prosody's sample config sets two of tls-hardened's options, so it was never offered). Undefined where such
 * an option is set to another value (the sample's `s2s_secure_auth = false`: left out, a "hardened" block would keep
 * it; written again, the file would say it twice), where its statement spans lines (a table: a second one would
 * replace the first whole), or where nothing would be left.
 */
function withoutAssigned(body: string, assigned: ReadonlySet<string>, valueOf: (name: string) => string | undefined): string | undefined {
  const lines = body.split('\n');
  const kept: string[] = [];
  let dropped = 0;
  for (const l of lines) {
    const m = /^([A-Za-z_]\w*)\s*=\s*(.*)$/.exec(l);
    const name = m?.[1];
    if (name === undefined || !assigned.has(name)) {
      kept.push(l);
      continue;
    }
    if ((l.match(/\{/g)?.length ?? 0) !== (l.match(/\}/g)?.length ?? 0)) return undefined;
    // The values the line may write: its default, or any of a choice's (`"${1|intermediate,modern|}"`).
    const written = m![2]!.trim();
    const choices = /^"\$\{\d+\|([^|}]*)\|\}"$/.exec(written)?.[1]?.split(',').map((c) => `"${c}"`) ?? [expanded(written)];
    const current = valueOf(name);
    if (current === undefined || !choices.includes(current)) return undefined;
    dropped++;
  }
  if (!dropped) return body;
  return kept.some((l) => /^[A-Za-z_]\w*\s*=/.test(l)) ? kept.join('\n') : undefined;
}
