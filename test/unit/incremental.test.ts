// Chunked parsing and per-chunk diagnostics must give exactly what one parse and one rule run over the
// whole text give, after any sequence of edits: checked on random configs with random edits, on every
// real config of the corpus with line edits, and on a generated config of 1 000 lines. And the reuse
// must be real: chunks an edit did not touch keep their parsed settings and their diagnostics.
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { generateConfig, rng } from '../../bench/generate';
import { createLanguageService, DEFAULT_SETTINGS } from '../../server/src/service';
import { splitChunks } from '../../server/src/service/model/chunks';
import { configText, edit, resolveEdit, runs } from './property/arbitraries';
import { Session } from './wholeText';

const CORPUS = process.env['PROSODY_CORPUS_DIR'] ?? path.resolve(__dirname, '../../../../shared/corpus');
test('random configs and random edits: per-chunk results equal the whole-text results', () => {
  let n = 0;
  fc.assert(
    fc.property(configText, fc.array(edit, { minLength: 1, maxLength: 12 }), (start, edits) => {
      const session = new Session(`file:///inc/${++n}/prosody.cfg.lua`);
      let text = start;
      session.check(text, 'first version');
      for (const e of edits) {
        const r = resolveEdit(text, e);
        text = text.slice(0, r.start) + r.text + text.slice(r.end);
        session.check(text, `after inserting ${JSON.stringify(r.text)} at ${r.start}`);
      }
    }),
    runs(60),
  );
});

/** Line edits a user makes inside a section: each one replaces, adds or removes whole lines. */
const LINE_EDITS: ReadonlyArray<(line: string) => string> = [
  (l) => l + ' -- edited',
  () => '',
  (l) => l + '\n\tssl = { protocol = "sslv3"; options = { "no_ticket" } }',
  (l) => l.replace(/\btrue\b/, 'false').replace(/"tlsv1_2\+"/, '"tlsv1+"'),
  (l) => l + '\nVirtualHost "inserted.example"\n\tc2s_require_encryption = false',
  (l) => l + '\n\tssl = { protocol = ',
];

describe('corpus: line edits keep per-chunk results equal to the whole-text ones', () => {
  const files = readdirSync(CORPUS).filter((f) => f.endsWith('.cfg.lua')).sort();
  for (const f of files) {
    test(f, () => {
      const original = readFileSync(path.join(CORPUS, f), 'utf8');
      const session = new Session(`file:///corpus/${f}`);
      session.check(original, 'as written');
      const lines = original.split('\n');
      const r = rng(f.length * 7919);
      let text = original;
      for (let k = 0; k < 8; k++) {
        const cur = text.split('\n');
        const at = Math.floor(r() * cur.length);
        const change = LINE_EDITS[Math.floor(r() * LINE_EDITS.length)]!;
        cur[at] = change(cur[at]!);
        text = cur.join('\n');
        session.check(text, `edit ${k} at line ${at + 1}`);
      }
      session.check(lines.join('\n'), 'back to the original');
    });
  }
});

test('a generated config of 1 000 lines: host edits, host insertions and removals, a global edit', () => {
  const session = new Session('file:///inc/generated.cfg.lua');
  let text = generateConfig(1000);
  session.check(text, 'generated');
  const hostAt = (i: number): number => text.indexOf(`VirtualHost "host${i}.example.org"`);
  text = text.replace('host5.example.org.key', 'host5.example.org.pem');
  session.check(text, 'a path in a host');
  text = text.slice(0, hostAt(20)) + 'VirtualHost "new.example.org"\n\tssl = { protocol = "tlsv1" }\n' + text.slice(hostAt(20));
  session.check(text, 'a host inserted');
  text = text.slice(0, hostAt(30)) + text.slice(hostAt(31));
  session.check(text, 'a host removed');
  text = text.replace('tls_profile = "intermediate"', 'tls_profile = "old"');
  session.check(text, 'the global tls_profile');
  text = text.replace('-- Generated benchmark configuration', '-- prosody-ssl: version=0.11');
  session.check(text, 'a version directive');
  text = text.replace('VirtualHost "host40.example.org"', '-- prosody-ssl: disable unsafe-protocol\nVirtualHost "host40.example.org"');
  session.check(text, 'a suppression comment');
});

test('edits that merge, split, comment out and cut chunks keep boundaries and results whole-text exact', () => {
  const session = new Session('file:///inc/boundaries.cfg.lua');
  const original = generateConfig(200);
  let text = original;
  const step = (next: string, what: string): void => {
    text = next;
    session.check(text, what);
  };
  const host = (i: number): number => text.indexOf(`VirtualHost "host${i}.example.org"`);
  step(text, 'generated');
  step(text.replace('VirtualHost "host3.example.org"', '-- VirtualHost "host3.example.org"'), 'a header commented out: two chunks become one');
  step(text.replace('-- VirtualHost "host3.example.org"', 'VirtualHost "host3.example.org"'), 'and back');
  step(text.slice(0, host(5)) + 'x = {\n' + text.slice(host(5)), 'an unclosed table: the file no longer parses');
  step(text.replace('x = {\n', 'x = {}\n'), 'closed again');
  step(text.slice(0, host(7)) + '--[[\n' + text.slice(host(7), host(9)) + ']]\n' + text.slice(host(9)), 'two hosts inside a long comment');
  step(text.replace('--[[\n', '').replace(']]\n', ''), 'the comment removed');
  const cut = text.slice(host(10), host(14));
  step(text.slice(0, host(10)) + text.slice(host(14)), 'four hosts cut');
  step(text.slice(0, host(20)) + cut + text.slice(host(20)), 'and pasted further down');
  step(text.slice(0, host(2)) + 'VirtualHost "split.example.org"\n\tc2s_require_encryption = false\n' + text.slice(host(2)), 'a header typed in the middle of a chunk');
  step(text.slice(0, 40) + text.slice(text.length - 300), 'almost everything deleted');
  step(original, 'the original pasted over it');
});

test('a subdomain host reads the tables it does not write from its parent domain: edits there re-check it', () => {
  const session = new Session('file:///inc/parents.cfg.lua');
  // Both contexts' tables, which the component (writing its own ssl) still takes from its parent.
  const parent = (options: string): string => `VirtualHost "example.com"\n\tc2s_ssl = { options = { ${options} } }\n\ts2s_ssl = { options = { ${options} } }\n`;
  const child = 'Component "conference.example.com" "muc"\n\tssl = { protocol = "tlsv1+" }\n';
  const filler = 'VirtualHost "other.example"\n\tenabled = true\n';
  // (`legacy`: the default preset's TLS 1.2-only ciphers would leave TLS 1.0 and 1.1 no suite anyway.)
  let text = `tls_profile = "legacy"\nssl = { key = "a.key" }\n${parent('"no_tlsv1"')}${filler}${child}${filler.replace('other', 'third')}`;
  const messages = (): string => session.check(text, 'current').filter((d) => d.code === 'unsafe-protocol').map((d) => String(d.message)).join(' | ');
  // Each step: the text to replace, what replaces it, and (for the component's warning) what it must say.
  const steps: ReadonlyArray<readonly [string, string, string, RegExp?]> = [
    ['', '', 'the parent switches TLS 1.0 off for the component', /allows TLS 1\.1,/],
    ['"no_tlsv1"', '"no_ticket"', 'the parent no longer does', /allows TLS 1\.0 and TLS 1\.1/],
    ['"no_ticket"', '"no_tlsv1"', 'and again'],
    ['VirtualHost "example.com"', 'VirtualHost "example.net"', 'the parent renamed: the component has no parent domain left'],
    ['VirtualHost "example.net"', 'VirtualHost "example.com"', 'named back'],
  ];
  for (const [find, replace, what, says] of steps) {
    text = text.split(find).join(replace);
    session.check(text, what);
    if (says) assert.match(messages(), says, what);
  }
});

test('rule levels and the Prosody line start the per-chunk diagnostics over', () => {
  const text = generateConfig(300);
  const session = new Session('file:///inc/levels.cfg.lua', { settings: { ...DEFAULT_SETTINGS, rules: { 'unsafe-protocol': 'off', 'noop-option': 'error' } } });
  session.check(text, 'with rule levels');
  const other = new Session('file:///inc/levels.cfg.lua', { settings: { ...DEFAULT_SETTINGS, prosodyVersion: '0.10' } });
  other.check(text, 'on 0.10');
});

test('chunks an edit does not touch keep their parsed settings and their diagnostics', () => {
  const service = createLanguageService();
  const text = generateConfig(1000);
  const uri = 'file:///inc/reuse.cfg.lua';
  const v1 = TextDocument.create(uri, 'prosody', 1, text);
  const d1 = service.doValidation(v1, DEFAULT_SETTINGS);
  const m1 = service.getModel(v1);
  // A keystroke inside a host near the end: everything else is reused as it was.
  const at = text.lastIndexOf('protocol = "') + 12;
  const v2 = TextDocument.create(uri, 'prosody', 2, text.slice(0, at) + 'x' + text.slice(at));
  const d2 = service.doValidation(v2, DEFAULT_SETTINGS);
  const m2 = service.getModel(v2);
  assert.ok(m1.parts && m2.parts && m1.parts.length > 100, 'the config parsed in chunks');
  assert.equal(m2.config!.settings[10], m1.config!.settings[10], 'a setting above the edit is the same object');
  const edited = m2.parts.findIndex((p) => p.start <= at && at < p.end);
  const kept = m2.parts.filter((p, k) => k !== edited && p.entry === m1.parts![k]!.entry).length;
  assert.equal(kept, m2.parts.length - 1, 'every chunk but the edited one keeps its parsed entry');
  const early = d1.find((d) => d.range.start.line > 40 && d.range.start.line < 200)!;
  assert.ok(d2.includes(early), 'a diagnostic above the edit is reused, not recomputed');
  // An edit near the start moves everything below it by one line: same findings, one line further down.
  const v3 = TextDocument.create(uri, 'prosody', 3, text.replace('VirtualHost "host1.example.org"', '\nVirtualHost "host1.example.org"'));
  const d3 = service.doValidation(v3, DEFAULT_SETTINGS);
  const moved = d1.filter((d) => d.range.start.line > 60);
  for (const d of moved.slice(0, 50)) assert.ok(d3.some((x) => x.code === d.code && x.message === d.message && x.range.start.line === d.range.start.line + 1), `${d.code} at line ${d.range.start.line} moved down one line`);
});

test('calls to newer config functions, found per chunk from the text, follow edits whole-text exact', () => {
  const session = new Session('file:///inc/functions/prosody.cfg.lua', { settings: { ...DEFAULT_SETTINGS, prosodyVersion: '0.12' } });
  const hosts = (k: number, body: string): string => `VirtualHost "h${k}.example"\n\t${body}\n`;
  let text = `admins = {}\n${hosts(1, 'c2s_require_encryption = true')}${hosts(2, 'local pw = FileLine("/etc/pw")\n\tssl = { key = "k", password = pw }')}${hosts(3, 'ssl = {}')}`;
  const count = (ds: readonly { code?: unknown }[]): number => ds.filter((d) => d.code === 'function-too-new').length;
  assert.equal(count(session.check(text, 'as written')), 1);
  text = text.replace('c2s_require_encryption = true', 'c2s_require_encryption = true\n\n');
  assert.equal(count(session.check(text, 'an edit above it moves it')), 1);
  text = text.replace('ssl = {}', 'ssl = { password = Credential("tls") }');
  assert.equal(count(session.check(text, 'a second call in another chunk')), 2);
  text = text.replace('FileLine("/etc/pw")', '"secret"');
  assert.equal(count(session.check(text, 'the first call removed')), 1);
});

test('a global protocol allowing TLS 1.0 is judged again when a host sets ciphers of its own (they reach it)', () => {
  const session = new Session('file:///inc/global-ciphers/prosody.cfg.lua', { settings: { ...DEFAULT_SETTINGS, prosodyVersion: '0.12' } });
  let text = 'ssl = { protocol = "tlsv1+" }\nVirtualHost "a.example"\n  enabled = true\nVirtualHost "b.example"\n  enabled = true\n';
  const unsafe = (ds: readonly { code?: unknown }[]): number => ds.filter((d) => d.code === 'unsafe-protocol').length;
  // Under the default preset's TLS 1.2 suites nothing older finds a suite…
  assert.equal(unsafe(session.check(text, 'preset ciphers')), 0);
  // …until a host's own ciphers, which the global protocol reaches, have some.
  text = text.replace('VirtualHost "b.example"\n  enabled = true', 'VirtualHost "b.example"\n  ssl = { ciphers = "HIGH" }');
  assert.equal(unsafe(session.check(text, 'a host sets ciphers')), 1);
  text = text.replace('ssl = { ciphers = "HIGH" }', 'enabled = true');
  assert.equal(unsafe(session.check(text, 'and takes them out')), 0);
});

test('a host written twice is one host: an edit in one of its sections re-checks the other, whole-text exact', () => {
  const session = new Session('file:///inc/twice/prosody.cfg.lua', { settings: { ...DEFAULT_SETTINGS, prosodyVersion: '0.12' } });
  let text = 'VirtualHost "a.example"\n  ssl = { protocol = "tlsv1+", ciphers = "HIGH" }\nVirtualHost "b.example"\n  ssl = {}\nVirtualHost "A.example"\n  c2s_require_encryption = true\n';
  const unsafe = (ds: readonly { code?: unknown }[]): number => ds.filter((d) => d.code === 'unsafe-protocol').length;
  assert.equal(unsafe(session.check(text, 'as written')), 1);
  text = text.replace('c2s_require_encryption = true', 'ssl = { protocol = "tlsv1_2+" }');
  assert.equal(unsafe(session.check(text, 'the later section replaces the table')), 0);
  text = text.replace('ssl = { protocol = "tlsv1_2+" }', 'c2s_require_encryption = true');
  assert.equal(unsafe(session.check(text, 'and gives it back')), 1);
});

test('the chunk splitter: headers at line starts outside brackets and blocks, nothing else', () => {
  const starts = (t: string): number[] => splitChunks(t).map((c) => c.start);
  assert.deepEqual(starts('a = 1\nVirtualHost "x"\nComponent "y" "muc"\n'), [0, 6, 22]);
  assert.deepEqual(starts('x = {\nVirtualHost "x"\n}\n'), [0], 'inside a table');
  assert.deepEqual(starts('if a then\nVirtualHost "x"\nend\n'), [0], 'inside a block');
  assert.deepEqual(starts('s = [[\nVirtualHost "x"\n]]\n'), [0], 'inside a long string');
  assert.deepEqual(starts('--[[\nVirtualHost "x"\n]]\n'), [0], 'inside a long comment');
  assert.deepEqual(starts('a = 1 VirtualHost "x"\n'), [0], 'not at a line start');
  assert.deepEqual(starts('t.\nVirtualHost = 1\nVirtualHost = 2\n'), [0], 'a field and an assignment');
  assert.deepEqual(starts('a = 1\r\n  VirtualHost "x"\r\n'), [0, 7], 'CRLF and indentation');
  assert.deepEqual(starts('function f()\nend\nVirtualHost "x"\n'), [0, 17], 'after a closed block');
});

test('a global finding judges global settings only, so an edit in a host keeps it and its fixes whole-text exact (a reviewer)', () => {
  const session = new Session('file:///inc/profile/prosody.cfg.lua', { settings: { ...DEFAULT_SETTINGS, prosodyVersion: '13.0' } });
  const text = 'tls_profile = "old"\nVirtualHost "a.org"\n\tenabled = true\nVirtualHost "b.org"\n\tssl = { protocol = "tlsv1" }\n';
  session.check(text, 'first version');
  const edited = text.replace('\tenabled = true\n', '\tenabled = true\n\tmotd_text = "hi"\n');
  const diags = session.check(edited, 'after a line in a.org');
  const doc = TextDocument.create('file:///inc/profile/prosody.cfg.lua', 'prosody', 99, edited);
  const titles = session.service.doCodeActions(doc, diags).map((a) => a.title);
  assert.ok(titles.includes('Change to "intermediate"') && titles.includes('Change to "tlsv1_2+"'), titles.join(' | '));
});

// A reviewer's differential run found rules whose findings in one chunk read another host's: each sequence here
// failed the whole-text comparison before those rules were run whole while they read across (Rule.readsOtherChunks).
describe('rules reading across chunks follow host edits whole-text exact', () => {
  const cases: Array<{ what: string; line: '0.10' | '0.11' | '0.12' | '13.0'; v1: string; edits: Array<[string, string]>; code: string }> = [
    { what: 'a global s2s_require_encryption = false and a host\'s s2s_secure_auth', line: '0.12', code: 'insecure-setting', v1: 's2s_require_encryption = false\ns2s_secure_auth = true\nVirtualHost "a.org"\n\tenabled = true\nVirtualHost "b.org"\n\tenabled = true\n', edits: [['VirtualHost "b.org"\n\tenabled = true', 'VirtualHost "b.org"\n\ts2s_secure_auth = false'], ['\ts2s_secure_auth = false', '\ts2s_insecure_domains = { "x.org" }'], ['\ts2s_insecure_domains = { "x.org" }', '\tenabled = true']] },
    { what: 'a global require_encryption and a host\'s', line: '0.12', code: 'deprecated-option', v1: 'require_encryption = true\nVirtualHost "a.org"\n\tenabled = true\nVirtualHost "b.org"\n\tenabled = true\n', edits: [['VirtualHost "b.org"\n\tenabled = true', 'VirtualHost "b.org"\n\trequire_encryption = false'], ['\trequire_encryption = false', '\tenabled = true']] },
    { what: 'legacy_ssl_ports and a host\'s legacy_ssl_ssl, host to host', line: '0.12', code: 'deprecated-option', v1: 'x = 1\nVirtualHost "a.org"\n\tlegacy_ssl_ssl = { certificate = "/c" }\nVirtualHost "b.org"\n\tenabled = true\n', edits: [['\tenabled = true', '\tlegacy_ssl_ssl = { certificate = "/d" }'], ['VirtualHost "a.org"\n', 'VirtualHost "a.org"\n\t-- one\n\t-- two\n'], ['\tlegacy_ssl_ssl = { certificate = "/d" }', '\tc2s_direct_tls_ssl = { certificate = "/d" }']] },
    { what: 'a global pinned TLS 1.0 and a host\'s ciphers', line: '0.12', code: 'unsafe-protocol', v1: 'tls_profile = "old"\ns2s_ssl = { protocol = "tlsv1" }\nVirtualHost "a.org"\n\tenabled = true\nVirtualHost "b.org"\n\tenabled = true\n', edits: [['VirtualHost "b.org"\n\tenabled = true', 'VirtualHost "b.org"\n\tssl = { ciphers = "HIGH" }'], ['ssl = { ciphers = "HIGH" }', 'enabled = true']] },
    { what: 'a local declared in a host, above and below a call', line: '0.12', code: 'function-too-new', v1: 'ssl = { key = "/k", password = FileLine("/p") }\nVirtualHost "a.org"\n\tenabled = true\nVirtualHost "b.org"\n\tpassword = FileLine("/q")\nVirtualHost "c.org"\n\tenabled = true\n', edits: [['VirtualHost "a.org"\n\tenabled = true', 'VirtualHost "a.org"\n\tlocal FileLine = 1'], ['\tlocal FileLine = 1', '\tenabled = true'], ['VirtualHost "c.org"\n\tenabled = true', 'VirtualHost "c.org"\n\tx = FileLine and 1'], ['\tx = FileLine and 1', '\tenabled = true']] },
    { what: 'a local named like the option read back, in a host', line: '13.0', code: 'option-read-back', v1: 'x = 1\nVirtualHost "a.org"\n\tenabled = true\nVirtualHost "b.org"\n\tssl = { certificate = "/b" }\n\thttps_ssl = ssl\n', edits: [['VirtualHost "a.org"\n\tenabled = true', 'VirtualHost "a.org"\n\tlocal ssl = 1'], ['\tlocal ssl = 1', '\tenabled = true']] },
  ];
  for (const c of cases) {
    test(`${c.code}: ${c.what}`, () => {
      const session = new Session(`file:///inc/crossing/${c.code}/prosody.cfg.lua`, { settings: { ...DEFAULT_SETTINGS, prosodyVersion: c.line } });
      let text = c.v1;
      const seen = new Set<string>();
      const note = (ds: readonly { code?: unknown; message: unknown }[]): void => void seen.add(JSON.stringify(ds.filter((d) => d.code === c.code).map((d) => d.message)));
      note(session.check(text, 'v1'));
      for (const [find, replace] of c.edits) {
        assert.ok(text.includes(find), find);
        text = text.replace(find, replace);
        note(session.check(text, `after ${JSON.stringify(replace)}`));
      }
      // The sequence moves the rule's findings (a guard against a case that never exercised it).
      assert.ok(seen.size > 1, `${c.code} said the same throughout: ${[...seen].join(' | ')}`);
    });
  }
});

test('a global finding that reads hosts follows a host edit whole-text exact (allow_unencrypted_plain_auth moot only where every host requires encryption)', () => {
  const session = new Session('file:///inc/plain/prosody.cfg.lua', { settings: { ...DEFAULT_SETTINGS, prosodyVersion: '0.12' } });
  const v1 = 'allow_unencrypted_plain_auth = true\nc2s_require_encryption = true\nVirtualHost "a.org"\n\tenabled = true\nVirtualHost "b.org"\n\tenabled = true\n';
  const quiet = (ds: readonly { code?: unknown; range: { start: { line: number } } }[]): boolean => !ds.some((d) => d.code === 'insecure-setting' && d.range.start.line === 0);
  assert.ok(quiet(session.check(v1, 'every host requires encryption')));
  const v2 = v1.replace('VirtualHost "b.org"\n\tenabled = true', 'VirtualHost "b.org"\n\tc2s_require_encryption = false');
  assert.ok(!quiet(session.check(v2, 'b.org no longer does')));
  assert.ok(quiet(session.check(v1, 'and back')));
});
