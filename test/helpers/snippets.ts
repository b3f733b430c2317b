// Expands VS Code snippet bodies into the plain text a user gets by accepting every default, so tests can parse
// and analyse what a snippet really inserts. Follows VS Code's snippet syntax: $1, ${1}, ${1:default} (nested),
// ${1|a,b|}, $0, variables ($NAME, ${NAME:default}) and the escapes \$ \} \\ (plus \, \| inside choices).
// Transforms (${1/re/fmt/}) are rejected rather than guessed.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

type SnippetNode =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'tabstop'; readonly index: number; readonly children?: readonly SnippetNode[]; readonly choices?: readonly string[] }
  | { readonly kind: 'variable'; readonly name: string; readonly children?: readonly SnippetNode[] };

/** Picks the text of a choice placeholder; the default takes the first option, as VS Code preselects it. */
export type ChoicePicker = (index: number, choices: readonly string[]) => string;

class SnippetSyntaxError extends Error {}

function parseNodes(src: string, start: number, inPlaceholder: boolean): { nodes: SnippetNode[]; end: number } {
  const nodes: SnippetNode[] = [];
  let text = '';
  const flush = (): void => {
    if (text) nodes.push({ kind: 'text', text });
    text = '';
  };
  let i = start;
  while (i < src.length) {
    const c = src[i]!;
    if (c === '\\' && i + 1 < src.length && '$}\\'.includes(src[i + 1]!)) {
      text += src[i + 1];
      i += 2;
    } else if (c === '}' && inPlaceholder) {
      flush();
      return { nodes, end: i + 1 };
    } else if (c === '$') {
      const simple = /^\$(\d+|[A-Za-z_][A-Za-z0-9_]*)/.exec(src.slice(i));
      if (simple) {
        flush();
        const id = simple[1]!;
        nodes.push(/^\d/.test(id) ? { kind: 'tabstop', index: Number(id) } : { kind: 'variable', name: id });
        i += simple[0].length;
      } else if (src[i + 1] === '{') {
        flush();
        const r = parseBraced(src, i + 2);
        nodes.push(r.node);
        i = r.end;
      } else {
        text += c;
        i += 1;
      }
    } else {
      text += c;
      i += 1;
    }
  }
  if (inPlaceholder) throw new SnippetSyntaxError(`unclosed \${ in snippet: ${JSON.stringify(src)}`);
  flush();
  return { nodes, end: i };
}

function parseBraced(src: string, start: number): { node: SnippetNode; end: number } {
  const head = /^(\d+|[A-Za-z_][A-Za-z0-9_]*)/.exec(src.slice(start));
  if (!head) throw new SnippetSyntaxError(`bad \${ at ${start}: ${JSON.stringify(src)}`);
  const id = head[1]!;
  const isTabstop = /^\d/.test(id);
  let i = start + id.length;
  const next = src[i];
  if (next === '}') {
    return { node: isTabstop ? { kind: 'tabstop', index: Number(id) } : { kind: 'variable', name: id }, end: i + 1 };
  }
  if (next === ':') {
    const inner = parseNodes(src, i + 1, true);
    const node: SnippetNode = isTabstop ? { kind: 'tabstop', index: Number(id), children: inner.nodes } : { kind: 'variable', name: id, children: inner.nodes };
    return { node, end: inner.end };
  }
  if (next === '|' && isTabstop) {
    const choices: string[] = [];
    let cur = '';
    i += 1;
    for (;;) {
      if (i >= src.length) throw new SnippetSyntaxError(`unclosed choice in snippet: ${JSON.stringify(src)}`);
      const c = src[i]!;
      if (c === '\\' && i + 1 < src.length && ',|\\$}'.includes(src[i + 1]!)) {
        cur += src[i + 1];
        i += 2;
      } else if (c === ',') {
        choices.push(cur);
        cur = '';
        i += 1;
      } else if (c === '|' && src[i + 1] === '}') {
        choices.push(cur);
        return { node: { kind: 'tabstop', index: Number(id), choices }, end: i + 2 };
      } else {
        cur += c;
        i += 1;
      }
    }
  }
  if (next === '/') throw new SnippetSyntaxError(`snippet transforms are not supported here: ${JSON.stringify(src)}`);
  throw new SnippetSyntaxError(`unexpected ${JSON.stringify(next)} after \${${id}: ${JSON.stringify(src)}`);
}

/** Parses a snippet body; throws on malformed syntax (unclosed `${`, bad choice, transforms). */
export function parseSnippet(body: string): readonly SnippetNode[] {
  return parseNodes(body, 0, false).nodes;
}

/**
 * The text a snippet inserts when every placeholder keeps its default: `${1:x}` → x, its mirrors `$1` → x,
 * `${1|a,b|}` → a (or what `choose` returns), `$0` → nothing, `${VAR:d}` → d and other variables → nothing.
 */
export function expandSnippet(body: string, choose: ChoicePicker = (_i, choices) => choices[0] ?? ''): string {
  const nodes = parseSnippet(body);
  // The first placeholder of an index that has content defines the value of all its mirrors.
  const definitions = new Map<number, SnippetNode & { kind: 'tabstop' }>();
  const collect = (list: readonly SnippetNode[]): void => {
    for (const n of list) {
      if (n.kind === 'tabstop' && (n.children || n.choices) && !definitions.has(n.index)) definitions.set(n.index, n);
      if (n.kind !== 'text' && n.children) collect(n.children);
    }
  };
  collect(nodes);

  const values = new Map<number, string>();
  const resolving = new Set<number>();
  const valueOf = (index: number): string => {
    const known = values.get(index);
    if (known !== undefined) return known;
    const def = definitions.get(index);
    if (!def || index === 0) return def?.children ? render(def.children) : '';
    if (resolving.has(index)) throw new SnippetSyntaxError(`placeholder $${index} contains itself`);
    resolving.add(index);
    const v = def.choices ? choose(index, def.choices) : render(def.children ?? []);
    resolving.delete(index);
    values.set(index, v);
    return v;
  };
  const render = (list: readonly SnippetNode[]): string =>
    list
      .map((n) => {
        switch (n.kind) {
          case 'text':
            return n.text;
          case 'tabstop':
            return valueOf(n.index);
          case 'variable':
            return n.children ? render(n.children) : '';
        }
      })
      .join('');
  return render(nodes);
}

/** Every choice placeholder of a body: its index and options. */
export function snippetChoices(body: string): { index: number; choices: readonly string[] }[] {
  const found: { index: number; choices: readonly string[] }[] = [];
  const walk = (list: readonly SnippetNode[]): void => {
    for (const n of list) {
      if (n.kind === 'tabstop' && n.choices && !found.some((f) => f.index === n.index)) found.push({ index: n.index, choices: n.choices });
      if (n.kind !== 'text' && n.children) walk(n.children);
    }
  };
  walk(parseSnippet(body));
  return found;
}

export interface SnippetEntry {
  readonly name: string;
  readonly prefixes: readonly string[];
  readonly description: string;
  /** The body lines joined with "\n", as VS Code inserts them. */
  readonly body: string;
}

/** The repository root, from out/test/helpers (compiled) or test/helpers (source). */
export const REPO_ROOT = path.resolve(__dirname, __dirname.includes(`${path.sep}out${path.sep}`) ? '../../..' : '../..');

/** Every snippet completion serves: the statements in any section, and the global-only ones. */
export function readSnippets(): SnippetEntry[] {
  return [...readSnippetFile(path.join(REPO_ROOT, 'snippets/statements.json')), ...readSnippetFile(path.join(REPO_ROOT, 'snippets/global-only.json'))];
}

/** Reads one snippet file (plain JSON, VS Code's format) into entries. */
export function readSnippetFile(file: string): SnippetEntry[] {
  const raw = JSON.parse(readFileSync(file, 'utf8')) as Record<string, { prefix: string | string[]; body: string | string[]; description?: string }>;
  return Object.entries(raw).map(([name, s]) => ({
    name,
    prefixes: Array.isArray(s.prefix) ? s.prefix : [s.prefix],
    description: s.description ?? '',
    body: Array.isArray(s.body) ? s.body.join('\n') : s.body,
  }));
}
