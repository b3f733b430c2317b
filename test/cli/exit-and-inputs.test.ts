// The checker as a process: exit codes 0/1/2, file discovery (files, directories, globs), and
// errors that are one clear line, never a stack trace.
import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { BROKEN, BROKEN_AT, CLEAN, CLI, findingLines, hasStackTrace, ROOT, runCli, treeMaker } from './run';

const mk = treeMaker();

describe('exit codes', () => {
  it('0 and a "no problems" summary for a clean file', () => {
    const d = mk({ 'prosody.cfg.lua': CLEAN });
    const r = runCli(['prosody.cfg.lua'], { cwd: d });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^1 file checked: no problems$/m);
    assert.equal(r.stderr, '');
  });

  it('1 for an error, reported as file:line:col severity rule message (1-based)', () => {
    const d = mk({ 'prosody.cfg.lua': BROKEN });
    const r = runCli(['prosody.cfg.lua'], { cwd: d });
    assert.equal(r.code, 1);
    const f = findingLines(r.stdout);
    assert.equal(f.length, 1, r.stdout);
    assert.deepEqual({ file: f[0]!.file, line: f[0]!.line, col: f[0]!.col, severity: f[0]!.severity, rule: f[0]!.rule }, { file: 'prosody.cfg.lua', ...BROKEN_AT, severity: 'error', rule: 'syntax-error' });
    assert.match(f[0]!.message, /ciphers/);
    assert.match(r.stdout, /1 problem \(1 error\)/);
  });

  it('--max-warnings: warnings fail only when there are more than N; -1 never', () => {
    const d = mk({ 'a.cfg.lua': BROKEN, 'b.cfg.lua': BROKEN });
    const asWarning = ['--rule', 'syntax-error=warning', 'a.cfg.lua', 'b.cfg.lua'];
    const def = runCli(asWarning, { cwd: d });
    assert.equal(def.code, 1, 'default threshold is 0 warnings');
    assert.equal(findingLines(def.stdout).filter((x) => x.severity === 'warning').length, 2);
    assert.equal(runCli([...asWarning, '--max-warnings', '1'], { cwd: d }).code, 1, '2 warnings > 1');
    assert.equal(runCli([...asWarning, '--max-warnings', '2'], { cwd: d }).code, 0, '2 warnings ≤ 2');
    assert.equal(runCli([...asWarning, '--max-warnings', '-1'], { cwd: d }).code, 0);
    // Errors fail whatever the warning budget.
    assert.equal(runCli(['--max-warnings', '100', 'a.cfg.lua'], { cwd: d }).code, 1);
  });

  it('information and hints are shown but never fail; off removes the finding', () => {
    const d = mk({ 'a.cfg.lua': BROKEN });
    const info = runCli(['--rule', 'syntax-error=information', 'a.cfg.lua'], { cwd: d });
    assert.equal(info.code, 0);
    assert.equal(findingLines(info.stdout)[0]?.severity, 'information');
    const hint = runCli(['--rule', 'syntax-error=hint', 'a.cfg.lua'], { cwd: d });
    assert.equal(hint.code, 0);
    assert.equal(findingLines(hint.stdout)[0]?.severity, 'hint');
    const off = runCli(['--rule', 'syntax-error=off', 'a.cfg.lua'], { cwd: d });
    assert.equal(off.code, 0);
    assert.equal(findingLines(off.stdout).length, 0);
  });
});

describe('inputs', () => {
  const layout = {
    'etc/prosody.cfg.lua': BROKEN,
    'etc/conf.d/a.cfg.lua': CLEAN,
    'etc/conf.d/deep/b.cfg.lua': BROKEN,
    'etc/notes.lua': BROKEN, // not *.cfg.lua: a directory search skips it
    'etc/node_modules/x.cfg.lua': BROKEN, // never searched
    'etc/.hidden/y.cfg.lua': BROKEN,
  };

  function filesOf(stdout: string): string[] {
    return (JSON.parse(stdout) as { files: Array<{ file: string }> }).files.map((f) => f.file.split(path.sep).join('/')).sort();
  }

  it('a directory is searched recursively for *.cfg.lua (not node_modules or hidden folders)', () => {
    const d = mk(layout);
    const r = runCli(['--format', 'json', 'etc'], { cwd: d });
    assert.equal(r.code, 1);
    assert.deepEqual(filesOf(r.stdout), ['etc/conf.d/a.cfg.lua', 'etc/conf.d/deep/b.cfg.lua', 'etc/prosody.cfg.lua']);
  });

  it('a file is taken whatever its name', () => {
    const d = mk(layout);
    const r = runCli(['etc/notes.lua'], { cwd: d });
    assert.equal(r.code, 1);
    assert.equal(findingLines(r.stdout)[0]?.file, path.join('etc', 'notes.lua'));
  });

  it('quoted globs: *, **, {a,b}, and [..] are expanded by the checker', () => {
    const d = mk(layout);
    assert.deepEqual(filesOf(runCli(['--format', 'json', 'etc/*.cfg.lua'], { cwd: d }).stdout), ['etc/prosody.cfg.lua']);
    assert.deepEqual(filesOf(runCli(['--format', 'json', 'etc/**/*.cfg.lua'], { cwd: d }).stdout), ['etc/conf.d/a.cfg.lua', 'etc/conf.d/deep/b.cfg.lua', 'etc/prosody.cfg.lua']);
    assert.deepEqual(filesOf(runCli(['--format', 'json', 'etc/conf.d/{a,deep/b}.cfg.lua'], { cwd: d }).stdout), ['etc/conf.d/a.cfg.lua', 'etc/conf.d/deep/b.cfg.lua']);
    assert.deepEqual(filesOf(runCli(['--format', 'json', 'etc/conf.d/[a-c].cfg.lua'], { cwd: d }).stdout), ['etc/conf.d/a.cfg.lua']);
    assert.deepEqual(filesOf(runCli(['--format', 'json', path.join(d, 'etc', '*.lua')], { cwd: '/' }).stdout).map((f) => path.basename(f)), ['notes.lua', 'prosody.cfg.lua']);
  });

  it('the same file named twice is checked once', () => {
    const d = mk(layout);
    const r = runCli(['--format', 'json', 'etc/prosody.cfg.lua', 'etc/*.cfg.lua', 'etc'], { cwd: d });
    const files = filesOf(r.stdout);
    assert.equal(files.length, new Set(files).size);
    assert.equal(files.length, 3);
  });

  it("Debian's conf.d link to a conf.avail file is one file, reported under its real path", () => {
    const d = mk({ 'etc/prosody.cfg.lua': CLEAN, 'etc/conf.avail/a.cfg.lua': BROKEN, 'etc/conf.avail/off.cfg.lua': BROKEN });
    fs.mkdirSync(path.join(d, 'etc', 'conf.d'));
    fs.symlinkSync('../conf.avail/a.cfg.lua', path.join(d, 'etc', 'conf.d', 'a.cfg.lua'));
    for (const inputs of [['etc'], ['etc/conf.d/a.cfg.lua', 'etc/conf.avail/a.cfg.lua'], ['etc/**/a.cfg.lua']]) {
      const r = runCli(['--format', 'json', ...inputs], { cwd: d });
      const files = filesOf(r.stdout).filter((f) => f.endsWith('/a.cfg.lua'));
      assert.deepEqual(files, ['etc/conf.avail/a.cfg.lua'], inputs.join(' '));
    }
    // A link alone is checked under the name given.
    assert.deepEqual(filesOf(runCli(['--format', 'json', 'etc/conf.d/a.cfg.lua'], { cwd: d }).stdout), ['etc/conf.d/a.cfg.lua']);
  });
});

describe('errors are exit 2 with one clear line, never a stack trace', () => {
  function assertUsage(r: ReturnType<typeof runCli>, pattern: RegExp): void {
    assert.equal(r.code, 2, `exit code; stderr: ${r.stderr}`);
    assert.match(r.stderr, pattern);
    assert.match(r.stderr, /^prosody-ssl-check: /m);
    assert.equal(hasStackTrace(r.stderr), false, r.stderr);
    assert.equal(hasStackTrace(r.stdout), false, r.stdout);
  }

  it('a file that does not exist', () => {
    const d = mk({});
    assertUsage(runCli(['missing.cfg.lua'], { cwd: d }), /missing\.cfg\.lua: no such file or directory/);
  });

  it('a missing file among good ones: the others are still reported, the exit is 2', () => {
    const d = mk({ 'a.cfg.lua': BROKEN });
    const r = runCli(['a.cfg.lua', 'gone.cfg.lua'], { cwd: d });
    assertUsage(r, /gone\.cfg\.lua/);
    assert.equal(findingLines(r.stdout).length, 1);
  });

  it('an empty argument (an unset "$VAR") is a usage error, not a check of the working directory', () => {
    const d = mk({ 'a.cfg.lua': BROKEN });
    const r = runCli([''], { cwd: d });
    assertUsage(r, /empty file name/);
    assert.equal(findingLines(r.stdout).length, 0, 'a.cfg.lua was not checked');
  });

  it('SARIF of a run that exits 2 says the run was not successful and the error is an error', () => {
    const d = mk({ 'a.cfg.lua': BROKEN });
    const r = runCli(['--format', 'sarif', 'a.cfg.lua', 'gone.cfg.lua'], { cwd: d });
    assert.equal(r.code, 2);
    const inv = (JSON.parse(r.stdout) as { runs: Array<{ invocations: Array<{ executionSuccessful: boolean; toolExecutionNotifications: Array<{ level: string; message: { text: string } }> }> }> }).runs[0]!.invocations[0]!;
    assert.equal(inv.executionSuccessful, false);
    assert.ok(inv.toolExecutionNotifications.some((n) => n.level === 'error' && /gone\.cfg\.lua/.test(n.message.text)));
  });

  it('a glob or a directory that yields no config', () => {
    const d = mk({ 'empty/readme.txt': 'x' });
    assertUsage(runCli(['nothing/**/*.cfg.lua'], { cwd: d }), /no files match/);
    assertUsage(runCli(['empty'], { cwd: d }), /empty: no \*\.cfg\.lua files/);
  });

  // A reviewer: a conf.d/ the user may not list (or a FIFO named *.cfg.lua) was skipped in silence. Said once on
  // standard error, as a warning: Debian's certs/ is root:prosody 0750 and holds no configs, so it fails nothing.
  it('a folder that cannot be listed, or a match that is not a file, is said once as a warning', () => {
    const d = mk({ 'prosody.cfg.lua': CLEAN, 'conf.d/x.cfg.lua': 'ssl = { protocol = "sslv3" }\n' });
    execFileSync('mkfifo', [path.join(d, 'pipe.cfg.lua')]);
    const fifo = runCli(['.'], { cwd: d });
    assert.equal(fifo.code, 1, fifo.stderr); // the sslv3 in conf.d/x.cfg.lua, still checked
    assert.match(fifo.stderr, /^prosody-ssl-check: warning: .*pipe\.cfg\.lua: not a regular file \(skipped\)$/m);
    assert.equal(findingLines(fifo.stdout).length, 1);
    fs.rmSync(path.join(d, 'pipe.cfg.lua'));
    fs.chmodSync(d, 0o755);
    fs.chmodSync(path.join(d, 'conf.d'), 0o700);
    // Root lists any folder: as root (CI) the checker runs as nobody, to whom conf.d/ is closed.
    const asRoot = process.getuid?.() === 0;
    if (!asRoot) fs.chmodSync(path.join(d, 'conf.d'), 0o000);
    for (const pattern of ['.', '**/*.cfg.lua']) {
      const [cmd, ...args] = asRoot ? ['runuser', '-u', 'nobody', '--', process.execPath, CLI, pattern] : [process.execPath, CLI, pattern];
      const denied = spawnSync(cmd!, args, { cwd: d, encoding: 'utf8' });
      assert.equal(denied.status, 0, denied.stderr); // prosody.cfg.lua is clean
      assert.equal(denied.stderr.match(/conf\.d: cannot be listed \(permission denied\), skipped/g)?.length, 1, denied.stderr);
    }
    fs.chmodSync(path.join(d, 'conf.d'), 0o755);
  });

  it('bad flags', () => {
    const d = mk({ 'a.cfg.lua': CLEAN });
    assertUsage(runCli(['--bogus', 'a.cfg.lua'], { cwd: d }), /bogus/);
    assertUsage(runCli(['--format', 'xml', 'a.cfg.lua'], { cwd: d }), /--format: expected one of text, json, sarif/);
    assertUsage(runCli(['--rule', 'syntax-error', 'a.cfg.lua'], { cwd: d }), /--rule: expected <id>=<severity>/);
    assertUsage(runCli(['--rule', 'no-such-rule=off', 'a.cfg.lua'], { cwd: d }), /unknown rule 'no-such-rule'/);
    assertUsage(runCli(['--rule', 'syntax-error=fatal', 'a.cfg.lua'], { cwd: d }), /severity must be one of/);
    assertUsage(runCli(['--max-warnings', 'many', 'a.cfg.lua'], { cwd: d }), /--max-warnings/);
    assertUsage(runCli(['--prosody-version', '0.8', 'a.cfg.lua'], { cwd: d }), /--prosody-version: expected one of/);
    assertUsage(runCli([], { cwd: d }), /no input/);
  });

  it('a binary file is refused, not parsed, and does not crash', () => {
    const bytes = Buffer.alloc(4096);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 131) % 256;
    const d = mk({ 'blob.cfg.lua': bytes, 'ok.cfg.lua': CLEAN });
    const r = runCli(['blob.cfg.lua', 'ok.cfg.lua'], { cwd: d });
    assertUsage(r, /blob\.cfg\.lua: not a text file/);
    assert.match(r.stdout, /1 file checked/);
  });

  it('a directory or a device given as a file', () => {
    const d = mk({ 'x/a.cfg.lua': CLEAN });
    // A directory is searched, not read; /dev/null is not a regular file.
    assert.equal(runCli(['x'], { cwd: d }).code, 0);
    assertUsage(runCli(['/dev/null'], { cwd: d }), /\/dev\/null: not a regular file/);
  });
});

describe('large and odd text', () => {
  it('a 1 MB line is checked without crashing, in reasonable time', () => {
    const long = 'x'.repeat(1024 * 1024);
    const d = mk({ 'long.cfg.lua': `motd = "${long}"\n`, 'long-broken.cfg.lua': `ssl = { protocol = "${long}" ciphers = "x" }\n` });
    const t0 = Date.now();
    const ok = runCli(['long.cfg.lua'], { cwd: d, timeoutMs: 60_000 });
    assert.equal(ok.code, 0, ok.stderr);
    const bad = runCli(['long-broken.cfg.lua'], { cwd: d, timeoutMs: 60_000 });
    assert.equal(bad.code, 1, bad.stderr);
    const f = findingLines(bad.stdout);
    assert.equal(f[0]?.rule, 'syntax-error');
    assert.equal(f[0]?.col, 'ssl = { protocol = "'.length + long.length + 3, 'column counts the whole long string');
    assert.ok(Date.now() - t0 < 60_000);
  });

  it('a BOM, CRLF line ends and invalid UTF-8 keep positions right', () => {
    const d = mk({ 'crlf.cfg.lua': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(BROKEN.replace(/\n/g, '\r\n'))]), 'latin1.cfg.lua': Buffer.from('motd = "caf\xe9"\n', 'latin1') });
    const r = runCli(['crlf.cfg.lua'], { cwd: d });
    const f = findingLines(r.stdout);
    // The BOM itself is an error (Prosody's load() refuses it; editors hide it, the CLI reads the file as saved).
    assert.deepEqual([f[0]?.line, f[0]?.col, f[0]?.rule], [1, 1, 'syntax-error']);
    assert.match(r.stdout, /byte-order mark/);
    assert.deepEqual([f[1]?.line, f[1]?.col], [4, 3]);
    // Columns on the first line count as the editor's do: without the BOM.
    const d2 = mk({ 'bom.cfg.lua': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('ssl = { protocol = "sslv3" }\n')]) });
    const g = findingLines(runCli(['--prosody-version', '0.12', 'bom.cfg.lua'], { cwd: d2 }).stdout);
    assert.deepEqual(g.map((x) => [x.rule, x.line, x.col]), [['syntax-error', 1, 1], ['invalid-protocol', 1, 'ssl = { protocol = '.length + 1]]);
    assert.equal(runCli(['latin1.cfg.lua'], { cwd: d }).code, 0);
    assert.ok(fs.existsSync(path.join(d, 'latin1.cfg.lua')));
  });
});

describe('real configs by other people', () => {
  it('the whole corpus: every file reported, no I/O or internal errors, SARIF and text agree', () => {
    const corpus = process.env.PROSODY_CORPUS_DIR ?? path.resolve(ROOT, '../shared/corpus');
    assert.ok(fs.existsSync(corpus), `corpus not found at ${corpus} (set PROSODY_CORPUS_DIR)`);
    const expected = fs.readdirSync(corpus).filter((f) => f.endsWith('.cfg.lua'));
    assert.ok(expected.length > 10);
    const json = runCli(['--format', 'json', '--max-warnings', '-1', corpus], { timeoutMs: 120_000 });
    assert.ok(json.code === 0 || json.code === 1, `exit ${json.code}: ${json.stderr}`);
    assert.equal(json.stderr, '');
    const report = JSON.parse(json.stdout) as { files: Array<{ file: string; diagnostics: Array<{ line: number; column: number; rule: string }> }> };
    assert.deepEqual(report.files.map((f) => path.basename(f.file)).sort(), expected.sort());
    const sarif = JSON.parse(runCli(['--format', 'sarif', corpus], { timeoutMs: 120_000 }).stdout) as { runs: Array<{ results: Array<{ ruleId: string; locations: Array<{ physicalLocation: { region: { startLine: number; startColumn: number } } }> }> }> };
    const fromJson = report.files.flatMap((f) => f.diagnostics.map((d) => `${d.rule}@${d.line}:${d.column}`)).sort();
    const fromSarif = sarif.runs[0]!.results.map((r) => `${r.ruleId}@${r.locations[0]!.physicalLocation.region.startLine}:${r.locations[0]!.physicalLocation.region.startColumn}`).sort();
    assert.deepEqual(fromSarif, fromJson);
  });
});
