// The file findings of a version are kept for the next while the config says the same to the checks and the disk
// and clock give the same answers (server/src/service/incrementalFileChecks.ts). Held here to a fresh run (new
// service, new file cache) after every step: edits the checks do not read, edits they do, files replaced, created
// and removed, a certificate directory gaining a certificate, the clock passing an expiry, and random edits.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic } from 'vscode-languageserver-types';
import { URI } from 'vscode-uri';
import { createLanguageService, type LanguageService } from '../../../server/src/service';
import { doFileValidation, type FileFinding } from '../../../server/src/service/fileChecks';
import type { FileEnv } from '../../../server/src/service/fileEnv';
import { FileCache, inspectCertificate, nodeFileSystem } from '../../../server/src/service/files';
import { IncrementalFileChecks } from '../../../server/src/service/incrementalFileChecks';
import { material } from '../files/material';

const SETTINGS = { prosodyVersion: '13.0' as const };

/** A config directory of its own (these tests change files in it). */
function freshDir(): { root: string; put(rel: string, materialName: string): void; file(rel: string): string } {
  const m = material();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'prosody-ssl-memo-'));
  process.on('exit', () => fs.rmSync(root, { recursive: true, force: true }));
  let tick = 0;
  const put = (rel: string, name: string): void => {
    const to = path.join(root, rel);
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.copyFileSync(m.file(name), to);
    // A distinct mtime for every write, as a real edit seconds apart would have.
    const t = new Date(Date.UTC(2026, 0, 1) + ++tick * 1000);
    fs.utimesSync(to, t, t);
    fs.utimesSync(path.dirname(to), t, t);
  };
  put('tls/good.crt', 'rsa.crt');
  put('tls/good.key', 'rsa.key');
  put('tls/expired.crt', 'expired.crt');
  put('tls/expired.key', 'expired.key');
  put('tls/wrong.crt', 'wronghost.crt');
  put('tls/other.key', 'other.key');
  put('tls/short.crt', 'short.crt');
  put('tls/short.key', 'short.key');
  fs.mkdirSync(path.join(root, 'certs'), { recursive: true });
  fs.writeFileSync(path.join(root, 'prosody.cfg.lua'), '');
  return { root, put, file: (rel) => path.join(root, rel) };
}

const CONFIG = [
  '-- global',
  'ssl = { certificate = "tls/good.crt"; key = "tls/good.key"; protocol = "tlsv1_2+" }',
  'certificates = "certs"',
  'VirtualHost "example.com"',
  '  ssl = { protocol = "tlsv1_2+"; certificate = "tls/good.crt"; key = "tls/good.key"; ciphers = "HIGH" }',
  'VirtualHost "old.example"',
  '  ssl = { certificate = "tls/expired.crt"; protocol = "tlsv1_2+"; key = "tls/expired.key" }',
  'VirtualHost "wrong.example"',
  '  ssl = { certificate = "tls/wrong.crt"; key = "tls/other.key"; options = { "no_ticket" } }',
  'VirtualHost "short.example"',
  '  c2s_ssl = { certificate = "tls/short.crt"; key = "tls/short.key" }',
  'VirtualHost "nocert.example"',
  '  s2s_ssl = { protocol = "tlsv1_2+" }',
  'Component "conference.example.com" "muc"',
  '  ssl = { certificate = "tls/missing.crt"; key = "tls/good.key"; protocol = "tlsv1_2+" }',
  '',
].join('\n');

interface Harness {
  doc: TextDocument;
  memo: IncrementalFileChecks<FileFinding>;
  /** The kept service's answer and a fresh one's, sorted for comparison. */
  check(): Promise<{ got: string; fresh: string; diagnostics: Diagnostic[] }>;
  edit(find: string, replace: string): void;
}

function harness(root: string, env: () => FileEnv): Harness {
  const uri = URI.file(path.join(root, 'prosody.cfg.lua')).toString();
  const service: LanguageService = createLanguageService();
  const memo = new IncrementalFileChecks<FileFinding>();
  const h: Harness = {
    doc: TextDocument.create(uri, 'prosody', 1, CONFIG),
    memo,
    async check() {
      const e = env();
      const got = await doFileValidation(h.doc, service.getModel(h.doc), SETTINGS, e, memo);
      const fresh = await createLanguageService().doFileValidation(TextDocument.create(uri, 'prosody', 1, h.doc.getText()), SETTINGS, { ...e, fileCache: new FileCache() });
      const sorted = (xs: readonly unknown[]): string => JSON.stringify(xs.map((x) => JSON.stringify(x)).sort());
      return { got: sorted(got), fresh: sorted(fresh), diagnostics: got };
    },
    edit(find, replace) {
      const text = h.doc.getText();
      const at = text.indexOf(find);
      assert.ok(at >= 0, `the text holds ${JSON.stringify(find)}`);
      h.doc = TextDocument.update(h.doc, [{ range: { start: h.doc.positionAt(at), end: h.doc.positionAt(at + find.length) }, text: replace }], h.doc.version + 1);
    },
  };
  return h;
}

test('edits the file checks do not read keep the findings, moved; edits they read run the checks again', async () => {
  const dir = freshDir();
  const fileCache = new FileCache();
  const h = harness(dir.root, () => ({ fileCache, trusted: true, workspaceFolders: [] }));
  const first = await h.check();
  assert.equal(first.got, first.fresh);
  assert.equal(h.memo.last, 'ran');
  for (const rule of ['cert-expired', 'cert-host-mismatch', 'key-cert-mismatch', 'file-missing', 'cert-expiring']) {
    assert.ok(first.got.includes(rule), `the config's own findings are there (${rule}): ${first.got}`);
  }
  // [find, replace, kept?]: keystrokes in values the checks never read, above and inside the chunks with findings,
  // before and after the paths on the same line; then edits to what they read.
  const steps: ReadonlyArray<readonly [string, string, boolean]> = [
    ['protocol = "tlsv1_2+"; certificate = "tls/good.crt"', 'protocol = "tlsv1_2+x"; certificate = "tls/good.crt"', true],
    ['"tls/expired.crt"; protocol = "tlsv1_2+"', '"tls/expired.crt"; protocol = "tlsv1_1+"', true], // after the path, before the key
    // Whether the protocol leaves TLS 1.2 open is read (ciphers-need-other-key): closing it runs them again.
    ['"tls/expired.crt"; protocol = "tlsv1_1+"', '"tls/expired.crt"; protocol = "tlsv1_3"', false],
    ['-- global', '-- global\n-- two more\n-- lines', true], // every chunk moves down
    ['options = { "no_ticket" }', 'options = { "no_ticket", "no_compression" }', true],
    ['VirtualHost "wrong.example"\n', 'VirtualHost "wrong.example"\n  allow_registration = true\n', true],
    // A host's modules_enabled may load s2s again under a global switch-off (s2sOffFor): read.
    ['  allow_registration = true\n', '  modules_enabled = { "s2s" }\n', false],
    ['  modules_enabled = { "s2s" }\n', '  allow_registration = true\n', false],
    ['  s2s_ssl = { protocol = "tlsv1_2+" }', '  s2s_ssl = { protocol = "tlsv1_2+"; verify = "peer" }', true],
    // LuaSec's certificates list is a certificate in force (host-no-certificate reads it): added and removed.
    ['verify = "peer" }', 'verify = "peer"; certificates = { { certificate = "tls/good.crt", key = "tls/good.key" } } }', false],
    ['verify = "peer"; certificates = { { certificate = "tls/good.crt", key = "tls/good.key" } } }', 'verify = "peer" }', false],
    ['"tls/other.key"', '"tls/wrong.key"', false], // a path: the mismatch goes away and the file is missing
    ['"tls/wrong.key"', '"tls/other.key"', false],
    ['VirtualHost "nocert.example"', 'VirtualHost "nocert2.example"', false], // a host name
    ['ssl = { certificate = "tls/missing.crt"', 'ssl = { certificate = "tls/missing.crt"; password = "x"', false],
    ['-- global\n-- two more\n-- lines\n', '', true], // every chunk moves up
  ];
  for (const [find, replace, kept] of steps) {
    h.edit(find, replace);
    const r = await h.check();
    assert.equal(r.got, r.fresh, `after replacing ${JSON.stringify(find)}`);
    assert.equal(h.memo.last, kept ? 'kept' : 'ran', `after replacing ${JSON.stringify(find)}`);
  }
});

test('a file replaced, removed or created, a certificate directory that gains a certificate: the checks run again', async () => {
  const dir = freshDir();
  let clock = Date.now();
  // Failed reads are remembered for a moment; the clock of the cache is moved past that before each check.
  const fileCache = new FileCache({ now: () => clock });
  const h = harness(dir.root, () => ({ fileCache, trusted: true, workspaceFolders: [] }));
  await h.check();
  let typed = 0;
  const step = async (what: string, change: () => void, expectRun: boolean): Promise<void> => {
    change();
    clock += 5000;
    // A keystroke the checks do not read, so only the disk tells.
    h.edit(`protocol = "tlsv1_2+${'x'.repeat(typed)}"; certificate = "tls/good.crt"`, `protocol = "tlsv1_2+${'x'.repeat(++typed)}"; certificate = "tls/good.crt"`);
    const r = await h.check();
    assert.equal(r.got, r.fresh, what);
    assert.equal(h.memo.last, expectRun ? 'ran' : 'kept', what);
  };
  await step('nothing changed', () => undefined, false);
  await step('good.crt replaced by an expired certificate', () => dir.put('tls/good.crt', 'expired.crt'), true);
  const afterReplace = (await h.check()).diagnostics;
  assert.ok(afterReplace.some((d) => d.code === 'cert-expired'), 'the replaced certificate is reported');
  await step('good.crt restored', () => dir.put('tls/good.crt', 'rsa.crt'), true);
  await step('expired.key removed', () => fs.rmSync(dir.file('tls/expired.key')), true);
  await step('the missing certificate created', () => dir.put('tls/missing.crt', 'rsa.crt'), true);
  const created = (await h.check()).diagnostics;
  assert.ok(!created.some((d) => d.code === 'file-missing' && String(d.message).includes('missing.crt')), 'the created file is no longer missing');
  await step('the certificates directory gains one for nocert.example', () => {
    dir.put('certs/nocert.example.crt', 'rsa.crt');
    dir.put('certs/nocert.example.key', 'rsa.key');
  }, true);
  await step('nothing changed again', () => undefined, false);
});

test('the clock passing an expiry runs the checks again; a minute that crosses nothing does not', async () => {
  const dir = freshDir();
  const fileCache = new FileCache();
  const short = inspectCertificate(fs.readFileSync(dir.file('tls/short.crt')));
  assert.ok(short.ok);
  const validTo = Date.parse(short.validTo);
  let now = validTo - 3 * 60 * 60 * 1000;
  const h = harness(dir.root, () => ({ fileCache, trusted: true, workspaceFolders: [], now: new Date(now) }));
  const expired = (r: { diagnostics: Diagnostic[] }): number => r.diagnostics.filter((d) => d.code === 'cert-expired').length;
  assert.equal(expired(await h.check()), 1, 'only the expired certificate has expired at first');
  let typed = 0;
  const keystroke = (): void => h.edit(`protocol = "tlsv1_2+${'x'.repeat(typed)}"; certificate`, `protocol = "tlsv1_2+${'x'.repeat(++typed)}"; certificate`);
  now += 60_000;
  keystroke();
  let r = await h.check();
  assert.equal(r.got, r.fresh);
  assert.equal(h.memo.last, 'kept');
  now = validTo + 60_000;
  keystroke();
  r = await h.check();
  assert.equal(r.got, r.fresh);
  assert.equal(h.memo.last, 'ran');
  assert.equal(expired(r), 2, 'the short certificate has expired too');
});

test('random edits: the kept findings always equal a fresh run', async () => {
  const dir = freshDir();
  const fileCache = new FileCache();
  const h = harness(dir.root, () => ({ fileCache, trusted: true, workspaceFolders: [] }));
  await h.check();
  let seed = 20261126;
  const rnd = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return Math.floor((seed / 2 ** 31) * n); // the high bits: the low ones of this generator repeat with short periods
  };
  const pieces = ['x', '"', '{', '}', ';', ' ', '\n', '-- c\n', 'tls/', 'key', 'certificate = "tls/good.crt"; ', 'password = "p"; ', 'enabled = false\n', 'VirtualHost "n.example"\n', ''];
  let kept = 0;
  let ran = 0;
  for (let i = 0; i < 400; i++) {
    // Edits pile up from the config, which now and then comes back whole (every chunk parsed again).
    if (rnd(2) === 0) h.doc = TextDocument.update(h.doc, [{ text: CONFIG }], h.doc.version + 1);
    const text = h.doc.getText();
    // Half the time where people type most: inside a value the checks do not read, or anywhere on its line.
    const anchors = [...text.matchAll(/protocol = "|ciphers = "|-- /g)].map((m) => m.index! + m[0].length);
    const at = rnd(2) === 0 && anchors.length ? anchors[rnd(anchors.length)]! + rnd(3) : rnd(text.length + 1);
    const del = rnd(4) === 0 ? rnd(6) : 0;
    const ins = pieces[rnd(pieces.length)]!;
    h.doc = TextDocument.update(h.doc, [{ range: { start: h.doc.positionAt(at), end: h.doc.positionAt(Math.min(text.length, at + del)) }, text: ins }], h.doc.version + 1);
    h.memo.last = 'ran-uncached'; // what a version that is not checked (it does not parse) leaves
    const r = await h.check();
    assert.equal(r.got, r.fresh, `step ${i}: ${JSON.stringify(h.doc.getText())}`);
    const last: string = h.memo.last;
    if (last === 'kept') kept++;
    else if (last === 'ran') ran++;
  }
  // Both paths really ran (a guard against a test that only ever compared full runs).
  assert.ok(kept >= 30 && ran >= 30, `kept ${kept}, ran ${ran}`);
});

test('the automatic lookup asks after each absent candidate once, not on every keystroke', async () => {
  const dir = freshDir();
  const certs = path.join(dir.root, 'certs');
  fs.rmSync(certs, { recursive: true, force: true });
  const stats = new Map<string, number>();
  const counting = { ...nodeFileSystem, stat: (p: string) => (stats.set(p, (stats.get(p) ?? 0) + 1), nodeFileSystem.stat(p)) };
  const fileCache = new FileCache({ fs: counting });
  const h = harness(dir.root, () => ({ fileCache, fs: counting, trusted: true, workspaceFolders: [] }));
  h.edit('ssl = { certificate = "tls/good.crt"; key = "tls/good.key"; protocol = "tlsv1_2+" }\n', ''); // no global certificate
  h.edit('VirtualHost "nocert.example"', 'VirtualHost "nocert.example"\n-- typed');
  const first = await h.check();
  assert.equal(first.got, first.fresh);
  assert.ok(first.diagnostics.some((d) => d.code === 'host-no-certificate'), 'nocert.example is looked up');
  // (short.example's certificate is only in c2s_ssl: its s2s lookup may come first.)
  const tried = [...stats.keys()].filter((p) => p.startsWith(certs + path.sep));
  // The first candidate finds certs/ absent; the directory then answers for the other candidates in it.
  assert.ok(tried.length >= 1, `candidates tried: ${tried.join(', ')}`);
  for (let i = 0; i < 5; i++) {
    h.edit('-- typed', '-- typed!');
    const r = await h.check();
    assert.equal(r.got, r.fresh);
  }
  for (const p of tried) assert.equal(stats.get(p), 1, `${p} was stat'ed once`);
});

test('a finding with a fix (a stray ";" in a path) is moved with its fix, or the checks run again', async () => {
  const dir = freshDir();
  const fileCache = new FileCache();
  const h = harness(dir.root, () => ({ fileCache, trusted: true, workspaceFolders: [] }));
  h.doc = TextDocument.update(h.doc, [{ text: `${CONFIG}VirtualHost "stray.example"\n  ssl = { certificate = "tls/good.crt;"; key = "tls/good.key"; protocol = "tlsv1_2+" }\n` }], h.doc.version + 1);
  const fixAt = (ds: Diagnostic[]): string => {
    const d = ds.find((x) => x.code === 'file-missing' && (x.data as { fixes?: unknown[] } | undefined)?.fixes)!;
    assert.ok(d, 'the stray path has a fix');
    return TextDocument.applyEdits(h.doc, (d.data as { fixes: Array<{ edits: Array<{ range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string }> }> }).fixes[0]!.edits);
  };
  for (const [find, replace] of [['-- global', '-- global\n-- more'], ['"tlsv1_2+"; key = "tls/expired.key"', '"tlsv1_3"; key = "tls/expired.key"'], ['"tlsv1_2+" }\n', '"tlsv1_3" }\n']] as const) {
    h.edit(find, replace);
    const r = await h.check();
    assert.equal(r.got, r.fresh, `after ${replace}`);
    assert.equal(fixAt(r.diagnostics), h.doc.getText().replace('good.crt;"', 'good.crt"'));
  }
});
