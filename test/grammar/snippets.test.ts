// Every snippet, expanded with its defaults (and with every alternative of its choices), must be Lua that parses,
// must contain what its name promises, and must be a safe TLS configuration for Prosody 13 by the catalog's facts.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as luaparse from 'luaparse';
import { findValue, getOption, getSslKey, type ValueSetId } from '../../server/src/service/catalog';
import { expandSnippet, readSnippets, snippetChoices, type SnippetEntry } from '../helpers/snippets';

type Expr = luaparse.Expression;

/** The value of a string literal (our snippets use plain double-quoted strings without escapes). */
function str(e: Expr | undefined): string | undefined {
  if (!e || e.type !== 'StringLiteral') return undefined;
  const q = e.raw[0];
  if ((q === '"' || q === "'") && e.raw.endsWith(q) && !e.raw.includes('\\')) return e.raw.slice(1, -1);
  throw new Error(`unexpected string form ${e.raw}`);
}

interface Assignment {
  readonly name: string;
  readonly value: Expr;
  /** The VirtualHost/Component section it sits in ('*' = global), as Prosody's config loader sees it. */
  readonly section: string;
}

interface Section {
  readonly kind: 'VirtualHost' | 'Component';
  readonly name: string;
  readonly module?: string;
}

/** Top-level assignments and section headers, in order. */
function analyse(chunk: luaparse.Chunk): { assignments: Assignment[]; sections: Section[] } {
  const assignments: Assignment[] = [];
  const sections: Section[] = [];
  let section = '*';
  for (const st of chunk.body) {
    if (st.type === 'AssignmentStatement') {
      st.variables.forEach((v, i) => {
        if (v.type === 'Identifier' && st.init[i]) assignments.push({ name: v.name, value: st.init[i]!, section });
      });
    } else if (st.type === 'CallStatement' && st.expression.type === 'StringCallExpression') {
      const call = st.expression;
      if (call.base.type === 'Identifier' && (call.base.name === 'VirtualHost' || call.base.name === 'Component')) {
        const name = str(call.argument as Expr)!;
        sections.push({ kind: call.base.name, name });
        section = name;
      } else if (call.base.type === 'StringCallExpression' && call.base.base.type === 'Identifier' && call.base.base.name === 'Component') {
        const name = str(call.base.argument as Expr)!;
        sections.push({ kind: 'Component', name, module: str(call.argument as Expr)! });
        section = name;
      }
    }
  }
  return { assignments, sections };
}

function fields(t: Expr): Map<string, Expr> {
  assert.equal(t.type, 'TableConstructorExpression');
  const m = new Map<string, Expr>();
  for (const f of (t as luaparse.TableConstructorExpression).fields) if (f.type === 'TableKeyString') m.set(f.key.name, f.value);
  return m;
}

function subTables(t: luaparse.TableConstructorExpression): luaparse.TableConstructorExpression[] {
  return t.fields.filter((f): f is luaparse.TableKey => f.type === 'TableKey').map((f) => f.value).filter((v): v is luaparse.TableConstructorExpression => v.type === 'TableConstructorExpression');
}

/** Every expansion of a body: defaults, then each alternative of each choice. */
function expansions(body: string): string[] {
  const out = [expandSnippet(body)];
  for (const { index, choices } of snippetChoices(body)) {
    for (const alt of choices) out.push(expandSnippet(body, (i, cs) => (i === index ? alt : cs[0]!)));
  }
  return [...new Set(out)];
}

const PROTOCOLS_WE_SHIP = new Set(['tlsv1_2+', 'tlsv1_3+', 'tlsv1_3']);

/** Checks one ssl-type table (and its per-port sub-tables) against the catalog; returns problems. */
function sslTableProblems(where: string, table: Expr): string[] {
  const problems: string[] = [];
  if (table.type !== 'TableConstructorExpression') return [`${where}: not a table`];
  const f = fields(table);
  if (f.has('certificate') !== f.has('key')) problems.push(`${where}: certificate and key must come as a pair`);
  const cert = str(f.get('certificate'));
  const key = str(f.get('key'));
  if (cert !== undefined && key !== undefined) {
    if (!cert.endsWith('.crt') || !key.endsWith('.key')) problems.push(`${where}: expected .crt/.key paths, got ${cert} / ${key}`);
    else if (cert.slice(0, -4) !== key.slice(0, -4)) problems.push(`${where}: certificate ${cert} and key ${key} name different files`);
  }
  for (const [name, value] of f) {
    const def = getSslKey(name);
    if (!def) {
      problems.push(`${where}: unknown ssl key ${name}`);
      continue;
    }
    if (def.unsafe || def.deprecated) problems.push(`${where}: ssl key ${name} is unsafe or deprecated`);
    const items = value.type === 'TableConstructorExpression' ? value.fields.map((x) => x.value) : [value];
    for (const item of items) {
      const s = str(item);
      if (s === undefined || !def.values) continue;
      const v = findValue(def.values as ValueSetId, s);
      if (!v) problems.push(`${where}: ${name} = "${s}" is not a known value`);
      else if (v.unsafe || v.noop || v.deprecated) problems.push(`${where}: ${name} = "${s}" is unsafe, deprecated or does nothing`);
    }
    if (name === 'protocol' && !PROTOCOLS_WE_SHIP.has(str(value) ?? '')) problems.push(`${where}: protocol ${str(value)} is not one of ${[...PROTOCOLS_WE_SHIP].join(', ')}`);
    if (name === 'verify' && str(value) === 'none') problems.push(`${where}: verify = "none"`);
  }
  for (const sub of subTables(table)) problems.push(...sslTableProblems(`${where}[…]`, sub));
  return problems;
}

function safetyProblems(text: string): string[] {
  const { assignments } = analyse(luaparse.parse(text, { luaVersion: '5.3' }));
  const problems: string[] = [];
  for (const a of assignments) {
    const option = getOption(a.name);
    if (!option) problems.push(`${a.name} is not an option the catalog knows`);
    else if (option.deprecated || option.unsafe) problems.push(`${a.name} is deprecated or unsafe`);
    if (/^(?:.+_)?ssl$/.test(a.name)) problems.push(...sslTableProblems(a.name, a.value));
    if (/_require_encryption$|^s2s_secure_auth$/.test(a.name) && a.value.type !== 'BooleanLiteral') problems.push(`${a.name} is not a boolean`);
    if (/_require_encryption$|^s2s_secure_auth$/.test(a.name) && a.value.type === 'BooleanLiteral' && !a.value.value) problems.push(`${a.name} = false`);
    if (a.name === 'ssl_compression' && a.value.type === 'BooleanLiteral' && a.value.value) problems.push('ssl_compression = true');
    if (a.name === 'tls_profile') {
      const p = str(a.value) ?? '';
      const v = findValue('tls_profile', p);
      if (!v || v.unsafe || !['modern', 'intermediate'].includes(p)) problems.push(`tls_profile = "${p}" is not modern/intermediate`);
    }
  }
  return problems;
}

const snippets = readSnippets();

function byPrefix(prefix: string): SnippetEntry {
  const s = snippets.find((x) => x.prefixes.includes(prefix));
  assert.ok(s, `no snippet with prefix ${prefix}`);
  return s;
}

function parsed(prefix: string): ReturnType<typeof analyse> & { text: string } {
  const text = expandSnippet(byPrefix(prefix).body);
  return { ...analyse(luaparse.parse(text, { luaVersion: '5.3' })), text };
}

function only(assignments: Assignment[], name: string): Assignment {
  const found = assignments.filter((a) => a.name === name);
  assert.equal(found.length, 1, `expected one assignment to ${name}`);
  return found[0]!;
}

describe('snippet file', () => {
  test('no snippet prefix is also an option name (the server already completes those)', () => {
    const names = new Set(['ssl', 'c2s_ssl', 's2s_ssl', 'tls_profile', 'c2s_direct_tls_ssl', 'c2s_direct_tls', 'certificate', 'protocol']);
    for (const s of snippets) for (const p of s.prefixes) assert.ok(!names.has(p) && !p.includes('_'), `${s.name}: prefix ${p} collides with an option name`);
  });

  test('every snippet has prefixes, a description and a unique prefix', () => {
    assert.ok(snippets.length >= 7);
    const seen = new Set<string>();
    for (const s of snippets) {
      assert.ok(s.prefixes.length > 0 && s.prefixes.every((p) => /^[\w-]+$/.test(p)), `${s.name}: prefixes must be single words`);
      assert.ok(s.description.length > 20, `${s.name}: description`);
      for (const p of s.prefixes) {
        assert.ok(!seen.has(p), `prefix ${p} used twice`);
        seen.add(p);
      }
    }
  });

  test('every body, with defaults and with each choice, parses as Lua 5.3', () => {
    for (const s of snippets) {
      const all = expansions(s.body);
      assert.ok(all.length >= 1);
      for (const text of all) {
        assert.doesNotMatch(text, /\$\{|\$\d/, `${s.name}: placeholder left over`);
        assert.doesNotThrow(() => luaparse.parse(text, { luaVersion: '5.3' }), `${s.name} does not parse:\n${text}`);
      }
    }
  });

  test('every expansion is a safe TLS configuration for Prosody 13', () => {
    for (const s of snippets) for (const text of expansions(s.body)) assert.deepEqual(safetyProblems(text), [], `${s.name}:\n${text}`);
  });
});

describe('snippets contain what they promise', () => {
  test('ssl: a global ssl table with a certificate/key pair', () => {
    const { assignments, sections } = parsed('ssl-global');
    assert.equal(sections.length, 0);
    const ssl = only(assignments, 'ssl');
    assert.equal(ssl.section, '*');
    const f = fields(ssl.value);
    assert.equal(str(f.get('certificate')), '/etc/prosody/certs/example.com.crt');
    assert.equal(str(f.get('key')), '/etc/prosody/certs/example.com.key');
  });

  test('virtualhost-tls: a VirtualHost whose own ssl table names its certificate', () => {
    const { assignments, sections } = parsed('virtualhost-tls');
    assert.deepEqual(sections, [{ kind: 'VirtualHost', name: 'example.com' }]);
    const ssl = only(assignments, 'ssl');
    assert.equal(ssl.section, 'example.com');
    assert.equal(str(fields(ssl.value).get('certificate')), '/etc/prosody/certs/example.com.crt');
    assert.equal(str(fields(ssl.value).get('key')), '/etc/prosody/certs/example.com.key');
  });

  test('component-tls: a Component with a module and its own certificate, for each module choice', () => {
    const body = byPrefix('component-tls').body;
    const modules = snippetChoices(body).flatMap((c) => c.choices);
    assert.ok(modules.includes('muc'));
    for (const module of modules) {
      const text = expandSnippet(body, (_i, cs) => (cs.includes(module) ? module : cs[0]!));
      const { assignments, sections } = analyse(luaparse.parse(text, { luaVersion: '5.3' }));
      assert.deepEqual(sections, [{ kind: 'Component', name: 'conference.example.com', module }]);
      const ssl = only(assignments, 'ssl');
      assert.equal(ssl.section, 'conference.example.com');
      assert.equal(str(fields(ssl.value).get('certificate')), '/etc/prosody/certs/conference.example.com.crt');
    }
  });

  for (const name of ['c2s_ssl', 's2s_ssl']) {
    test(`${name}: a global ${name} table whose protocol defaults to tlsv1_2+`, () => {
      const { assignments } = parsed(name === 'c2s_ssl' ? 'c2s-tls' : 's2s-tls');
      const t = only(assignments, name);
      assert.equal(t.section, '*');
      assert.equal(str(fields(t.value).get('protocol')), 'tlsv1_2+');
    });
  }

  test('c2s_direct_tls: port 5223 and a direct-TLS ssl table, both global', () => {
    const { assignments, text } = parsed('direct-tls');
    const ports = only(assignments, 'c2s_direct_tls_ports');
    assert.equal(ports.section, '*');
    assert.equal(ports.value.type, 'TableConstructorExpression');
    const items = (ports.value as luaparse.TableConstructorExpression).fields.map((f) => f.value);
    assert.deepEqual(items.map((v) => (v.type === 'NumericLiteral' ? v.value : NaN)), [5223]);
    assert.match(text, /c2s_direct_tls_ports = \{ 5223 \}/);
    const ssl = only(assignments, 'c2s_direct_tls_ssl');
    assert.equal(ssl.section, '*');
    assert.ok(fields(ssl.value).has('certificate') && fields(ssl.value).has('key'));
  });

  test('tls-hardened: a profile choice plus required encryption and authenticated s2s', () => {
    const body = byPrefix('tls-hardened').body;
    assert.deepEqual(snippetChoices(body).map((c) => [...c.choices].sort()), [['intermediate', 'modern']]);
    const { assignments } = parsed('tls-hardened');
    assert.equal(str(only(assignments, 'tls_profile').value), 'intermediate');
    for (const name of ['c2s_require_encryption', 's2s_require_encryption', 's2s_secure_auth']) {
      const a = only(assignments, name);
      assert.equal(a.section, '*');
      assert.ok(a.value.type === 'BooleanLiteral' && a.value.value === true, `${name} = true`);
    }
  });
});

describe('expandSnippet', () => {
  test('defaults, mirrors, nested placeholders, choices, variables and escapes', () => {
    assert.equal(expandSnippet('a ${1:x} $1 ${2:p/${3:q}} $3 $0'), 'a x x p/q q ');
    assert.equal(expandSnippet('$1 then ${1:late}'), 'late then late');
    assert.equal(expandSnippet('${1|b,c|}-$1'), 'b-b');
    assert.equal(expandSnippet('${1|b,c|}', (_i, cs) => cs[1]!), 'c');
    assert.equal(expandSnippet('${1|a\\,b,c|}'), 'a,b');
    assert.equal(expandSnippet('\\$1 \\} \\\\ ${TM_FILENAME:cfg} $UNKNOWN.'), '$1 } \\ cfg .');
    assert.equal(expandSnippet('cost: $ 5'), 'cost: $ 5');
  });

  test('rejects malformed bodies and transforms', () => {
    assert.throws(() => expandSnippet('${1:open'));
    assert.throws(() => expandSnippet('${1|a,b'));
    assert.throws(() => expandSnippet('${1/x/y/}'));
    assert.throws(() => expandSnippet('${:x}'));
  });
});
