// Tokenizes Prosody config snippets with the real TextMate engine (vscode-textmate + oniguruma, as VS Code does)
// and checks the scopes the grammar gives them; also checks the checked-in grammar is the generator's output
// and that every real config in the shared corpus tokenizes quickly and without errors.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import * as oniguruma from 'vscode-oniguruma';
import * as vsctm from 'vscode-textmate';
import { buildGrammar, tlsNames } from '../../scripts/generate-grammar';
import { configOptions, netServices, sslKeys } from '../../server/src/service/catalog';

const ROOT = path.resolve(__dirname, '../../..');
const GRAMMAR_FILE = path.join(ROOT, 'syntaxes/prosody.tmLanguage.json');
const CORPUS = process.env.PROSODY_CORPUS_DIR ?? path.resolve(ROOT, '../shared/corpus');

const OPTION = 'variable.other.option.tls.prosody';
const SSL_KEY = 'support.type.property-name.tls.prosody';

let grammar: vsctm.IGrammar;

async function loadGrammar(): Promise<vsctm.IGrammar> {
  const wasm = readFileSync(path.join(ROOT, 'node_modules/vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s: string) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scopeName: string) =>
      scopeName === 'source.prosody' ? vsctm.parseRawGrammar(readFileSync(GRAMMAR_FILE, 'utf8'), GRAMMAR_FILE) : null,
  });
  const g = await registry.loadGrammar('source.prosody');
  if (!g) throw new Error('grammar source.prosody did not load');
  return g;
}

interface Tok {
  readonly line: number;
  readonly start: number;
  readonly end: number;
  readonly text: string;
  readonly scopes: readonly string[];
}

function tokenize(code: string): { tokens: Tok[]; endState: vsctm.StateStack } {
  const tokens: Tok[] = [];
  let state: vsctm.StateStack = vsctm.INITIAL;
  code.split(/\r?\n/).forEach((lineText, line) => {
    const r = grammar.tokenizeLine(lineText, state);
    for (const t of r.tokens) {
      tokens.push({ line, start: t.startIndex, end: Math.min(t.endIndex, lineText.length), text: lineText.slice(t.startIndex, t.endIndex), scopes: t.scopes });
    }
    state = r.ruleStack;
  });
  return { tokens, endState: state };
}

/**
 * Where the nth occurrence of `needle` starts (line, column) and its length. A needle may mark its target
 * inside some context with «»: `'«ssl» = {'` finds the `ssl` that is followed by ` = {`.
 */
function locate(code: string, needle: string, nth = 0): { line: number; col: number; len: number } {
  const m = /^(.*)«(.+)»(.*)$/s.exec(needle);
  const [pre, target, post] = m ? [m[1]!, m[2]!, m[3]!] : ['', needle, ''];
  const context = pre + target + post;
  let idx = -1;
  for (let i = 0; i <= nth; i++) {
    idx = code.indexOf(context, idx + 1);
    if (idx < 0) throw new Error(`'${needle}' (#${nth}) not in test code`);
  }
  idx += pre.length;
  const before = code.slice(0, idx).split('\n');
  return { line: before.length - 1, col: before[before.length - 1]!.length, len: target.length };
}

/** Scopes shared by every token covering the nth occurrence of `needle`. */
function scopesOf(code: string, needle: string, nth = 0): string[] {
  const { line, col, len } = locate(code, needle, nth);
  const covering = tokenize(code).tokens.filter((t) => t.line === line && t.end > col && t.start < col + len);
  assert.ok(covering.length > 0, `no token covers '${needle}'`);
  return covering[0]!.scopes.filter((s) => covering.every((t) => t.scopes.includes(s)));
}

/** The single token that is exactly `needle` (fails if the word is split or merged with its neighbours). */
function tokenExactly(code: string, needle: string, nth = 0): Tok {
  const { line, col, len } = locate(code, needle, nth);
  const tok = tokenize(code).tokens.find((t) => t.line === line && t.start === col);
  assert.ok(tok, `no token starts at '${needle}'`);
  assert.equal(tok.text.length, len, `token at '${needle}' is '${tok.text}'`);
  return tok;
}

function assertScope(code: string, needle: string, scope: string, nth = 0): void {
  const scopes = scopesOf(code, needle, nth);
  assert.ok(scopes.includes(scope), `'${needle}' should have ${scope}; has ${JSON.stringify(scopes)}`);
}

function assertNoScopeLike(code: string, needle: string, part: string, nth = 0): void {
  const { line, col, len } = locate(code, needle, nth);
  const toks = tokenize(code).tokens.filter((t) => t.line === line && t.end > col && t.start < col + len);
  for (const t of toks) {
    const bad = t.scopes.filter((s) => s.includes(part));
    assert.deepEqual(bad, [], `'${needle}' should not have a scope containing '${part}'`);
  }
}

before(async () => {
  grammar = await loadGrammar();
});

describe('generated grammar', () => {
  test('the checked-in grammar equals the generator output (run the generator when this fails)', () => {
    const onDisk: unknown = JSON.parse(readFileSync(GRAMMAR_FILE, 'utf8'));
    assert.deepEqual(onDisk, JSON.parse(JSON.stringify(buildGrammar())));
  });

  test('says at its top which script made it', () => {
    const head = readFileSync(GRAMMAR_FILE, 'utf8').slice(0, 400);
    assert.match(head, /information_for_contributors/);
    assert.match(head, /scripts\/generate-grammar\.ts/);
  });

  test('takes its TLS names from the catalog (a new catalog entry reaches the grammar)', () => {
    const base = { configOptions, netServices, sslKeys };
    const names = tlsNames(base);
    for (const o of configOptions) assert.ok(names.options.includes(o.name), o.name);
    for (const s of netServices) for (const suffix of ['_ssl', '_ports', '_interfaces', '_certificate']) assert.ok(names.options.includes(s.prefix + suffix));
    for (const k of sslKeys) assert.ok(names.sslKeys.includes(k.name), k.name);

    const extended = buildGrammar({
      configOptions: [...configOptions, { name: 'zz_made_up_tls_option', kind: 'boolean' }],
      netServices: [...netServices, { prefix: 'zz_service' }],
      sslKeys: [...sslKeys, { name: 'zz_made_up_key' }],
    });
    const text = JSON.stringify(extended);
    assert.match(text, /zz_made_up_tls_option/);
    assert.match(text, /zz_service_interfaces/);
    assert.match(text, /zz_service_ssl/);
    assert.match(text, /zz_made_up_key/);
    assert.doesNotMatch(JSON.stringify(buildGrammar(base)), /zz_/);
  });
});

describe('Lua lexical scopes', () => {
  test('line comments, block comments with and without level', () => {
    const code = 'a = 1 -- note ssl here\n--[[ block\nssl = {}\n]] b = 2\n--[==[ level ]] still\n]==] c = 3';
    assertScope(code, '-- note ssl here', 'comment.line.double-dash.prosody');
    assertNoScopeLike(code, 'ssl', 'tls');
    assertScope(code, '--[[ block', 'comment.block.prosody');
    assertScope(code, 'ssl = {}', 'comment.block.prosody');
    assertNoScopeLike(code, 'ssl = {}', 'tls');
    assertNoScopeLike(code, 'b = 2', 'comment');
    assertScope(code, 'level ]] still', 'comment.block.prosody');
    assertNoScopeLike(code, 'c = 3', 'comment');
    assertScope(code, '--', 'punctuation.definition.comment.prosody');
  });

  test('double, single and long strings with escapes', () => {
    const code = [
      'a = "dq \\"esc\\" \\n \\x41 \\065 \\u{48}"',
      "b = 'sq \\' x'",
      'c = [[long\n-- not a comment\n]]',
      'd = [=[ has ]] inside ]=]',
      'e = "bad \\q"',
    ].join('\n');
    assertScope(code, '"dq', 'string.quoted.double.prosody');
    assertScope(code, '\\"', 'constant.character.escape.prosody');
    assertScope(code, '\\n', 'constant.character.escape.prosody');
    assertScope(code, '\\x41', 'constant.character.escape.prosody');
    assertScope(code, '\\065', 'constant.character.escape.prosody');
    assertScope(code, '\\u{48}', 'constant.character.escape.prosody');
    assertScope(code, "'sq", 'string.quoted.single.prosody');
    assertScope(code, "\\'", 'constant.character.escape.prosody');
    assertScope(code, ' x', 'string.quoted.single.prosody');
    assertScope(code, '-- not a comment', 'string.quoted.other.multiline.prosody');
    assertNoScopeLike(code, '-- not a comment', 'comment');
    assertScope(code, ' has ]] inside ', 'string.quoted.other.multiline.prosody');
    assertScope(code, '\\q', 'invalid.illegal.character.escape.prosody');
    assertNoScopeLike(code, 'e =', 'string');
  });

  test('an unterminated quoted string stops at the end of its line', () => {
    const code = 'a = "open\nssl = { protocol = "tlsv1_2+" }';
    assertScope(code, 'ssl', OPTION);
    assertScope(code, 'protocol', SSL_KEY);
  });

  test('numbers: decimal, hex, float, exponent', () => {
    const code = 'a = { 5222, 0x1F, 0xA.8p1, 3.25, .5, 1e3, 2.5E-2 }';
    assertScope(code, '5222', 'constant.numeric.integer.decimal.prosody');
    assert.equal(tokenExactly(code, '0x1F').text, '0x1F');
    assertScope(code, '0x1F', 'constant.numeric.integer.hexadecimal.prosody');
    assertScope(code, '0xA.8p1', 'constant.numeric.float.hexadecimal.prosody');
    assertScope(code, '3.25', 'constant.numeric.float.decimal.prosody');
    assertScope(code, '.5', 'constant.numeric.float.decimal.prosody');
    assertScope(code, '1e3', 'constant.numeric.float.decimal.prosody');
    assertScope(code, '2.5E-2', 'constant.numeric.float.decimal.prosody');
    assertNoScopeLike('x1 = 2', 'x1', 'numeric');
  });

  test('keywords, operators and constants', () => {
    const code = 'local f = function(x) if x ~= nil and not false then return x .. "y" else return true end end';
    assertScope(code, 'local', 'storage.modifier.local.prosody');
    assertScope(code, 'function', 'storage.type.function.prosody');
    for (const kw of ['if', 'then', 'return', 'else', 'end']) assertScope(code, ` «${kw}» `, 'keyword.control.prosody');
    assertScope(code, 'and', 'keyword.operator.logical.prosody');
    assertScope(code, 'not', 'keyword.operator.logical.prosody');
    assertScope(code, '~=', 'keyword.operator.comparison.prosody');
    assertScope(code, '..', 'keyword.operator.concatenation.prosody');
    assertScope(code, 'nil', 'constant.language.nil.prosody');
    assertScope(code, 'false', 'constant.language.boolean.prosody');
    assertScope(code, 'true', 'constant.language.boolean.prosody');
    assertScope(code, '=', 'keyword.operator.assignment.prosody');
    assertNoScopeLike('endpoint = 1', 'endpoint', 'keyword');
  });
});

describe('Prosody directives', () => {
  test('VirtualHost / Host / Component and their names', () => {
    const code = 'VirtualHost "example.com"\nComponent "conference.example.com" "muc"\nHost \'other.example\'\nComponent("up.example.com")';
    assertScope(code, 'VirtualHost', 'keyword.other.section.prosody');
    assertScope(code, 'example.com', 'entity.name.section.prosody');
    assertScope(code, '"example.com"', 'string.quoted.double.prosody');
    assertScope(code, 'Component', 'keyword.other.section.prosody');
    assertScope(code, 'conference.example.com', 'entity.name.section.prosody');
    assertScope(code, 'muc', 'string.quoted.double.prosody');
    assertNoScopeLike(code, 'muc', 'entity.name');
    assertScope(code, 'Host', 'keyword.other.section.prosody', 1);
    assertScope(code, 'other.example', 'entity.name.section.prosody');
    assertScope(code, 'up.example.com', 'entity.name.section.prosody');
    assertNoScopeLike('MyVirtualHost = 1', 'MyVirtualHost', 'section');
  });

  test('Include, RunScript, FileContents, FileLine, FileLines, Credential, ENV_*', () => {
    const code = [
      'Include "conf.d/*.cfg.lua"',
      'RunScript "extra.lua"',
      'ssl = { password = FileContents("/run/pw"), key = FileLine("k") }',
      'admins = FileLines("admins.txt")',
      'component_secret = Credential("secret")',
      'local DOMAIN = Lua.assert(ENV_SNIKKET_DOMAIN, "set it")',
    ].join('\n');
    assertScope(code, 'Include', 'keyword.control.import.prosody');
    assertScope(code, 'RunScript', 'keyword.control.import.prosody');
    assertScope(code, 'FileContents', 'support.function.builtin.prosody');
    assertScope(code, 'FileLine', 'support.function.builtin.prosody');
    assert.equal(tokenExactly(code, 'FileLines').text, 'FileLines');
    assertScope(code, 'FileLines', 'support.function.builtin.prosody');
    assertScope(code, 'Credential', 'support.function.builtin.prosody');
    assert.equal(tokenExactly(code, 'ENV_SNIKKET_DOMAIN').text, 'ENV_SNIKKET_DOMAIN');
    assertScope(code, 'ENV_SNIKKET_DOMAIN', 'support.variable.environment.prosody');
    assertScope(code, 'Lua', 'support.variable.prosody');
    assertNoScopeLike('MY_ENV_X = 1', 'MY_ENV_X', 'environment');
  });
});

describe('TLS names', () => {
  const config = [
    'tls_profile = "intermediate"',
    'c2s_direct_tls_ports = { 5223 }',
    'legacy_ssl_ports = { 5223 }',
    'modules_enabled = { "tls", "sql" }',
    'sql = { driver = "SQLite3", key = "k", protocol = "x" }',
    'ssl = {',
    '  protocol = "tlsv1_2+";',
    '  ciphers = "HIGH:!aNULL";',
    '  options = { "no_ticket", cipher_server_preference = false };',
    '  [5223] = { certificate = "a.crt", key = "a.key" };',
    '}',
    'c2s_ssl =',
    '  {',
    '    key = "c2s.key", certificate = "c2s.crt",',
    '  }',
    'VirtualHost "example.com"',
    '  c2s_direct_tls_ssl = { key = "d.key"; certificate = "d.crt" }',
    '  other = ssl',
    'local t = { ssl_thing = 1, protocol = 2 }',
  ].join('\n');

  test('top-level TLS options get the option scope, as whole words', () => {
    for (const name of ['tls_profile', 'c2s_direct_tls_ports', 'legacy_ssl_ports', 'c2s_direct_tls_ssl', 'c2s_ssl']) {
      assert.equal(tokenExactly(config, name).text, name);
      assertScope(config, name, OPTION);
    }
    assertScope(config, '\n«ssl» = {', OPTION);
    assertScope(config, '«ssl»\nlocal', OPTION);
  });

  test('keys of ssl tables get the key scope, also in sub-tables and when { is on the next line', () => {
    assertScope(config, '«protocol» = "tlsv1_2+"', SSL_KEY);
    assertScope(config, '«ciphers» =', SSL_KEY);
    assertScope(config, '«options» =', SSL_KEY);
    assertScope(config, '«certificate» = "a.crt"', SSL_KEY);
    assertScope(config, '«key» = "a.key"', SSL_KEY);
    assertScope(config, '«key» = "c2s.key"', SSL_KEY);
    assertScope(config, '«certificate» = "c2s.crt"', SSL_KEY);
    assertScope(config, '«key» = "d.key"', SSL_KEY);
    assertScope(config, '«certificate» = "d.crt"', SSL_KEY);
    assertScope(config, '"no_ticket"', 'string.quoted.double.prosody');
    assertScope(config, '"tlsv1_2+"', 'meta.table.ssl.prosody');
  });

  test('non-TLS words and keys of other tables do not get TLS scopes', () => {
    assertNoScopeLike(config, 'modules_enabled', 'tls');
    assertNoScopeLike(config, '«sql» = {', 'tls');
    assertNoScopeLike(config, '"sql"', 'tls');
    assertNoScopeLike(config, 'key = "k"', '.tls.');
    assertNoScopeLike(config, 'protocol = "x"', '.tls.');
    assertNoScopeLike(config, 'cipher_server_preference', '.tls.');
    assertNoScopeLike(config, 'ssl_thing', 'tls');
    assertNoScopeLike(config, 'protocol = 2', '.tls.');
    assertNoScopeLike(config, 'other', 'tls');
    assertNoScopeLike('x.ssl = 1', 'ssl', 'tls');
  });

  test('ssl tables end at their closing brace', () => {
    const code = 'ssl = { key = "k" } key = 1\nc2s_ssl = nil\nprotocol = 3';
    assertScope(code, '«key» = "k"', SSL_KEY);
    assertNoScopeLike(code, 'key = 1', '.tls.');
    assertScope(code, 'c2s_ssl', OPTION);
    assertNoScopeLike(code, 'protocol', '.tls.');
    assertNoScopeLike(code, 'nil', 'meta.table');
  });
});

describe('real configs from the shared corpus', () => {
  const MAX_MS_PER_LINE = 50;

  test('every corpus file tokenizes without throwing and no line is slow', () => {
    assert.ok(existsSync(CORPUS), `corpus not found at ${CORPUS} (set PROSODY_CORPUS_DIR)`);
    const files = readdirSync(CORPUS).filter((f) => f.endsWith('.lua'));
    assert.ok(files.length > 0, 'no .lua files in the corpus');
    tokenize('ssl = { protocol = "tlsv1_2+" }'); // compile the regexes before timing
    for (const file of files) {
      const lines = readFileSync(path.join(CORPUS, file), 'utf8').split(/\r?\n/);
      let state: vsctm.StateStack = vsctm.INITIAL;
      lines.forEach((line, i) => {
        const timed = (): { r: vsctm.ITokenizeLineResult; ms: number } => {
          const t0 = performance.now();
          const r = grammar.tokenizeLine(line, state);
          return { r, ms: performance.now() - t0 };
        };
        let { r, ms } = timed();
        // A busy machine or a GC pause can stall any line once; slow regexes are slow every time.
        for (let retry = 0; retry < 3 && ms >= MAX_MS_PER_LINE; retry++) ({ r, ms } = timed());
        assert.ok(!r.stoppedEarly, `${file}:${i + 1} stopped early`);
        assert.ok(ms < MAX_MS_PER_LINE, `${file}:${i + 1} took ${ms.toFixed(1)} ms`);
        assert.ok(r.tokens.length > 0);
        state = r.ruleStack;
      });
    }
  });

  test('plain corpus files that Lua parses end with every string, comment and table closed', () => {
    const tsv = readFileSync(path.join(CORPUS, 'SOURCES.tsv'), 'utf8').trim().split('\n');
    const header = tsv[0]!.split('\t');
    const fileCol = header.indexOf('file');
    const parsesCol = header.indexOf('lua_parses');
    assert.ok(fileCol >= 0 && parsesCol >= 0, 'SOURCES.tsv lacks file / lua_parses columns');
    const parsing = tsv.slice(1).map((l) => l.split('\t')).filter((c) => c[parsesCol] === 'ok').map((c) => c[fileCol]!);
    assert.ok(parsing.length > 10, 'expected many parsing corpus files');
    for (const file of parsing) {
      const { endState } = tokenize(readFileSync(path.join(CORPUS, file), 'utf8'));
      assert.equal(endState.depth, 1, `${file}: grammar ends inside a construct`);
    }
  });

  test('the corpus TLS settings get TLS scopes (Prosody\'s own TLS test config)', () => {
    const file = path.join(CORPUS, '005-prosody-spec-tls-config3.cfg.lua');
    const code = readFileSync(file, 'utf8');
    const { tokens } = tokenize(code);
    const keyTokens = tokens.filter((t) => t.scopes.includes(SSL_KEY)).map((t) => t.text);
    assert.ok(keyTokens.includes('certificate') && keyTokens.includes('key'), `keys found: ${keyTokens.join(',')}`);
    const optionTokens = tokens.filter((t) => t.scopes.includes(OPTION)).map((t) => t.text);
    assert.ok(optionTokens.includes('c2s_direct_tls_ports'), `options found: ${optionTokens.join(',')}`);
  });
});

describe('language configuration', () => {
  interface LangConfig {
    comments: { lineComment: string; blockComment: [string, string] };
    brackets: [string, string][];
    autoClosingPairs: { open: string; close: string; notIn?: string[] }[];
    surroundingPairs: [string, string][];
    wordPattern: string;
    indentationRules: { increaseIndentPattern: string; decreaseIndentPattern: string };
  }
  const cfg = JSON.parse(readFileSync(path.join(ROOT, 'language-configuration.json'), 'utf8')) as LangConfig;

  test('Lua comments and brackets', () => {
    assert.equal(cfg.comments.lineComment, '--');
    assert.deepEqual(cfg.comments.blockComment, ['--[[', ']]']);
    assert.deepEqual(cfg.brackets.map((b) => b.join('')).sort(), ['()', '[]', '{}']);
  });

  test('quotes auto-close outside strings and comments; [[ closes with ]]', () => {
    for (const q of ['"', "'"]) {
      const pair = cfg.autoClosingPairs.find((p) => p.open === q);
      assert.ok(pair && pair.close === q && pair.notIn?.includes('string') && pair.notIn.includes('comment'), q);
      assert.ok(cfg.surroundingPairs.some(([a, b]) => a === q && b === q));
    }
    assert.ok(cfg.autoClosingPairs.some((p) => p.open === '[[' && p.close === ']]'));
  });

  test('words keep _ and + (protocol names, option names) but stop at a comment', () => {
    const words = (s: string): string[] => s.match(new RegExp(cfg.wordPattern, 'g')) ?? [];
    assert.deepEqual(words('protocol = "tlsv1_2+";'), ['protocol', 'tlsv1_2+']);
    assert.deepEqual(words('c2s_require_encryption = true'), ['c2s_require_encryption', 'true']);
    assert.deepEqual(words('curve = "P-256"--note'), ['curve', 'P-256', 'note']);
  });

  test('indentation follows braces and Lua blocks', () => {
    const inc = new RegExp(cfg.indentationRules.increaseIndentPattern);
    const dec = new RegExp(cfg.indentationRules.decreaseIndentPattern);
    assert.ok(inc.test('ssl = {'));
    assert.ok(inc.test('if x then'));
    assert.ok(!inc.test('ssl = { key = "k" }'));
    assert.ok(!inc.test('-- ssl = {'));
    assert.ok(dec.test('  }'));
    assert.ok(dec.test('end'));
    assert.ok(!dec.test('  key = "k";'));
  });
});
