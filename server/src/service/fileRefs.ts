// The file paths a config names, with the role each plays and the absolute path Prosody would use:
// ssl-table keys (certificate, key, cafile, capath, dhparam), the global `certificates` directory, a host's
// `certificate` option, `<service>_certificate`, and `Include` (resolved from the including file's directory).
import { getOption, SSL_PATH_KEYS } from './catalog';
import { resolveRelativePath } from './files';
import type { DocumentPaths } from './fileEnv';
import type { ConfigDocument } from './model/document';
import type { PlacedConfig } from './model/chunkedParse';
import { sslFields, tlsTables, type TlsTable } from './model/tls';
import type { Range, StringValue } from './model/values';
import { INCLUDE_WORDS } from './model/sectionWords';
import { looksLikeKeyMaterial } from './model/secrets';
import { hasTemplatePlaceholder } from './model/templates';
import { sectionAt } from './model/structure';

export type PathRole = 'certificate' | 'key' | 'cafile' | 'capath' | 'dhparam' | 'certificates-dir' | 'host-certificate' | 'service-certificate' | 'include';

export interface PathRef {
  readonly role: PathRole;
  /** The path as written. */
  readonly value: string;
  /** The whole string literal, quotes included (in this version's text). */
  readonly range: Range;
  /** The text between the quotes. */
  readonly contentRange: Range;
  /** Index into the outline's (and, when current, the config's) sections. */
  readonly section: number;
  /** Absolute path (for a wildcard Include: the directory and pattern joined). */
  readonly resolved: string;
  /** Written relative to the config directory. */
  readonly relative: boolean;
  /** The TLS table holding an ssl key. */
  readonly tls?: TlsTable;
  /** Include with `*` or `?`. */
  readonly glob?: boolean;
  /** Include path with template placeholders: not rendered yet, so never looked up. (An ssl or option path with
   * placeholders is an unknown value in the model and makes no reference at all.) */
  readonly templated?: boolean;
  /** The string in the config the reference was read from (compare nodes, not offsets: see PlacedConfig). */
  readonly node?: StringValue;
  /** The option a path outside an ssl table is the value of (`certificates`, `certificate`, `https_certificate`). */
  readonly option?: string;
}

const WINDOWS = process.platform === 'win32';

export function isAbsolutePath(p: string): boolean {
  return WINDOWS ? /^([\\/]|.:[\\/])/.test(p) : p.startsWith('/');
}

function ref(role: PathRole, v: StringValue, section: number, base: string, extra: Partial<PathRef> = {}, shift = 0): PathRef {
  const [s, e] = v.range;
  const [cs, ce] = v.contentRange;
  return {
    role,
    value: v.value,
    range: [s + shift, e + shift],
    contentRange: [cs + shift, ce + shift],
    section,
    resolved: resolveRelativePath(base, v.value, WINDOWS),
    relative: !isAbsolutePath(v.value),
    ...extra,
  };
}

/**
 * Every path reference in the document, in text order. Ssl and option paths need a current parse (stale ranges
 * are never used); their `tls` tables and nodes belong to `model.placed`.
 */
export function collectPathRefs(model: ConfigDocument, paths: DocumentPaths): PathRef[] {
  const out: PathRef[] = [];
  const placed = model.configIsCurrent ? model.placed : undefined;
  if (placed) out.push(...configPathRefs(placed, paths.configDir));
  out.push(...includeRefs(model, paths.fileDir));
  return out.sort((a, b) => a.range[0] - b.range[0]);
}

function usable(v: StringValue): boolean {
  // Empty strings name nothing; literal PEM (13.0 dhparam) and pasted key material are not paths
  // (key-material-in-path reports the latter, without quoting it).
  return v.value.length > 0 && !looksLikeKeyMaterial(v.value) && !v.value.includes('\0');
}

export function configPathRefs({ config, shift }: PlacedConfig, configDir: string): PathRef[] {
  const out: PathRef[] = [];
  const add = (role: PathRole, v: StringValue, section: number, tls?: TlsTable, option?: string): void => {
    out.push(ref(role, v, section, configDir, tls ? { tls, node: v } : { node: v, option }, shift(section)));
  };
  for (const t of tlsTables(config)) {
    for (const f of sslFields(t)) {
      if (typeof f.key !== 'string' || !SSL_PATH_KEYS.has(f.key) || f.value.kind !== 'string' || !usable(f.value)) continue;
      add(f.key as PathRole, f.value, t.section, t);
    }
  }
  for (const s of config.settings) {
    const opt = getOption(s.name);
    if (s.name === 'certificates' && s.section === 0 && s.value.kind === 'string' && usable(s.value)) {
      add('certificates-dir', s.value, 0, undefined, s.name);
    } else if (s.name === 'certificate' && s.value.kind === 'string' && usable(s.value)) {
      add('host-certificate', s.value, s.section, undefined, s.name);
    } else if (opt?.kind === 'certificate-map') {
      if (s.value.kind === 'string' && usable(s.value)) add('service-certificate', s.value, s.section, undefined, s.name);
      else if (s.value.kind === 'table') {
        for (const f of s.value.fields) if (f.value.kind === 'string' && usable(f.value)) add('service-certificate', f.value, s.section, undefined, s.name);
      }
    }
  }
  return out;
}

/** `Include "file"`, `Include("conf.d/*.cfg.lua")` and the lower-case alias, read from tokens. */
function includeRefs(model: ConfigDocument, fileDir: string): PathRef[] {
  // Most configs have none: do not tokenize the whole text to learn that.
  if (![...INCLUDE_WORDS].some((w) => model.text.includes(w))) return [];
  const { tokens, sig } = model.outline;
  const out: PathRef[] = [];
  for (let k = 0; k < sig.length; k++) {
    const i = sig[k]!;
    if (tokens.kind(i) !== 'name' || !INCLUDE_WORDS.has(tokens.raw(i))) continue;
    if (k > 0 && (tokens.isSymbol(sig[k - 1]!, '.') || tokens.isSymbol(sig[k - 1]!, ':'))) continue;
    let j = k + 1;
    if (j < sig.length && tokens.isSymbol(sig[j]!, '(')) j++;
    const s = j < sig.length ? tokens.at(sig[j]!)! : undefined;
    if (!s || s.kind !== 'string' || !s.closed || !s.value) continue;
    const t = tokens.at(i)!;
    const v: StringValue = { kind: 'string', value: s.value, range: [s.start, s.end], contentRange: [s.contentStart, s.contentEnd] };
    // Key material pasted here is no path: no link, hover or check quotes it back (a reviewer).
    if (!usable(v)) continue;
    out.push(ref('include', v, sectionAt(model.outline, t.start), fileDir, { glob: /[*?]/.test(s.value), templated: hasTemplatePlaceholder(s.value) }));
  }
  return out;
}

/** The reference whose string literal contains `offset`. */
export function pathRefAt(refs: readonly PathRef[], offset: number): PathRef | undefined {
  return refs.find((r) => offset >= r.range[0] && offset < r.range[1]);
}

const indexes = new WeakMap<readonly PathRef[], Map<PathRole, Map<unknown, PathRef>>>();

/**
 * The reference of this role read from this string node (the first, if several), through an index built once per
 * list: a lookup per key or host scanning every reference was quadratic on configs with thousands of hosts.
 */
export function refOf(refs: readonly PathRef[], role: PathRole, node: unknown): PathRef | undefined {
  let index = indexes.get(refs);
  if (!index) {
    index = new Map();
    for (const r of refs) {
      let byNode = index.get(r.role);
      if (!byNode) index.set(r.role, (byNode = new Map()));
      if (r.node !== undefined && !byNode.has(r.node)) byNode.set(r.node, r);
    }
    indexes.set(refs, index);
  }
  return node === undefined ? undefined : index.get(role)?.get(node);
}
