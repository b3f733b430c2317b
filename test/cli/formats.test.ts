// Output formats: text (with and without colour), JSON, and SARIF 2.1.0 in the shape code scanning
// accepts. All three must agree on where a finding is.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { BROKEN, BROKEN_AT, CLEAN, findingLines, ROOT, runCli, treeMaker } from './run';

const mk = treeMaker();

const listedRules = (): string[] =>
  runCli(['--list-rules'])
    .stdout.trim()
    .split('\n')
    .map((l) => l.split('\t')[0]!);

describe('text output', () => {
  it('no colour when not a terminal; colour with FORCE_COLOR or --color; --no-color and NO_COLOR win', () => {
    const d = mk({ 'a.cfg.lua': BROKEN });
    assert.doesNotMatch(runCli(['a.cfg.lua'], { cwd: d }).stdout, /\x1b\[/);
    const forced = runCli(['a.cfg.lua'], { cwd: d, env: { FORCE_COLOR: '1' } }).stdout;
    assert.match(forced, /\x1b\[31merror\x1b\[0m/);
    assert.match(runCli(['--color', 'a.cfg.lua'], { cwd: d }).stdout, /\x1b\[/);
    assert.doesNotMatch(runCli(['--no-color', 'a.cfg.lua'], { cwd: d, env: { FORCE_COLOR: '1' } }).stdout, /\x1b\[/);
    assert.doesNotMatch(runCli(['a.cfg.lua'], { cwd: d, env: { FORCE_COLOR: '1', NO_COLOR: '1' } }).stdout, /\x1b\[/);
    // Stripped of colour, the line is the same.
    assert.deepEqual(findingLines(forced.replace(/\x1b\[[0-9;]*m/g, '')), findingLines(runCli(['a.cfg.lua'], { cwd: d }).stdout));
  });

  it('--output writes the report to a file and nothing to stdout', () => {
    const d = mk({ 'a.cfg.lua': BROKEN });
    const r = runCli(['--output', 'out/report.txt', 'a.cfg.lua'], { cwd: d });
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.equal(findingLines(fs.readFileSync(path.join(d, 'out/report.txt'), 'utf8')).length, 1);
    // Several missing levels are made.
    assert.equal(runCli(['-o', 'x/y/z/report.txt', 'a.cfg.lua'], { cwd: d }).code, 1);
    assert.ok(fs.existsSync(path.join(d, 'x/y/z/report.txt')));
  });

  it('--output where no directory can be made is a usage error, not a hang', () => {
    const d = mk({ 'a.cfg.lua': BROKEN });
    // Under /proc a directory cannot be made; Node's recursive mkdir looped there for ever.
    const r = runCli(['-o', '/proc/prosody-ssl-nothing/x/report.txt', 'a.cfg.lua'], { cwd: d, timeoutMs: 20_000 });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /cannot write \/proc\/prosody-ssl-nothing\/x\/report\.txt \(ENOENT\)/);
  });
});

describe('text output: control characters', () => {
  it('a value holding ESC or CR cannot drive the terminal or fake a report line', () => {
    const d = mk({ 'esc.cfg.lua': 'ssl = { protocol = "\\27[2J\\27]0;TITLE\\7x" }\ntls_profile = "a\\rb FAKE.cfg.lua:1:1 error fake-rule injected"\n' });
    const r = runCli(['--no-color', 'esc.cfg.lua'], { cwd: d });
    assert.equal(r.code, 1);
    assert.doesNotMatch(r.stdout, /[\x00-\x08\x0b-\x1f\x7f]/);
    assert.match(r.stdout, /\\x1b\[2J/);
    assert.match(r.stdout, /a\\x0db FAKE/);
    // Every finding still starts a line of its own.
    assert.ok(r.stdout.split('\n').filter(Boolean).every((l) => l.startsWith('esc.cfg.lua:') || /file(s)? checked/.test(l)));
  });
});

describe('json output', () => {
  it('one entry per file, 1-based positions, counts', () => {
    const d = mk({ 'a.cfg.lua': BROKEN, 'b.cfg.lua': CLEAN });
    const r = runCli(['--format', 'json', '--prosody-version', '0.11', 'a.cfg.lua', 'b.cfg.lua'], { cwd: d });
    assert.equal(r.code, 1);
    const j = JSON.parse(r.stdout) as {
      tool: { name: string; version: string };
      files: Array<{ file: string; prosodyVersion: string; diagnostics: Array<{ rule: string; severity: string; line: number; column: number; endLine: number; endColumn: number; message: string; helpUri: string }> }>;
      summary: Record<string, number>;
    };
    assert.equal(j.tool.name, 'prosody-ssl-check');
    assert.equal(j.tool.version, (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version);
    assert.deepEqual(j.files.map((f) => f.file), ['a.cfg.lua', 'b.cfg.lua']);
    assert.deepEqual(j.files.map((f) => f.prosodyVersion), ['0.11', '0.11']);
    const [diag] = j.files[0]!.diagnostics;
    assert.equal(diag?.rule, 'syntax-error');
    assert.equal(diag?.severity, 'error');
    assert.deepEqual([diag?.line, diag?.column], [BROKEN_AT.line, BROKEN_AT.col]);
    assert.ok(diag!.endLine > diag!.line || diag!.endColumn > diag!.column, 'a range, not a point');
    assert.match(diag!.helpUri, /^https:\/\/.+syntax-error$/);
    assert.deepEqual(j.files[1]!.diagnostics, []);
    assert.deepEqual(j.summary, { error: 1, warning: 0, information: 0, hint: 0 });
  });
});

describe('sarif output', () => {
  interface Sarif {
    $schema: string;
    version: string;
    runs: Array<{
      tool: { driver: { name: string; version: string; informationUri: string; rules: Array<{ id: string; helpUri: string; shortDescription: { text: string }; fullDescription: { text: string }; defaultConfiguration: { level: string } }> } };
      originalUriBaseIds: Record<string, { uri: string }>;
      columnKind: string;
      newlineSequences: string[];
      invocations: Array<{ executionSuccessful: boolean; toolExecutionNotifications: Array<{ message: { text: string } }> }>;
      results: Array<{
        ruleId: string;
        ruleIndex: number;
        level: string;
        message: { text: string };
        locations: Array<{ physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string }; region: { startLine: number; startColumn: number; endLine: number; endColumn: number } } }>;
      }>;
    }>;
  }

  it('is SARIF 2.1.0 with every rule, and results that point at 1-based regions', () => {
    const d = mk({ 'conf/a.cfg.lua': BROKEN, 'conf/b.cfg.lua': CLEAN, 'conf/c d.cfg.lua': BROKEN });
    const r = runCli(['--format', 'sarif', '--rule', 'syntax-error=warning', '--max-warnings', '-1', 'conf'], { cwd: d });
    assert.equal(r.code, 0, r.stderr);
    const s = JSON.parse(r.stdout) as Sarif;
    assert.equal(s.version, '2.1.0');
    assert.match(s.$schema, /sarif.*2\.1\.0.*\.json$/);
    assert.equal(s.runs.length, 1);
    const run = s.runs[0]!;
    assert.equal(run.tool.driver.name, 'prosody-ssl-check');
    assert.match(run.tool.driver.informationUri, /^https:\/\//);
    const ids = run.tool.driver.rules.map((x) => x.id);
    assert.deepEqual(ids, listedRules(), 'the driver lists the whole rule table, in order');
    for (const rule of run.tool.driver.rules) {
      assert.match(rule.helpUri, new RegExp(`^https://.+${rule.id}$`));
      assert.ok(rule.shortDescription.text.length > 0 && rule.fullDescription.text.length > 0, rule.id);
      assert.ok(['error', 'warning', 'note'].includes(rule.defaultConfiguration.level));
    }
    assert.equal(run.tool.driver.rules[ids.indexOf('syntax-error')]!.defaultConfiguration.level, 'error');
    assert.equal(run.results.length, 2);
    for (const res of run.results) {
      assert.equal(res.ruleId, 'syntax-error');
      assert.equal(run.tool.driver.rules[res.ruleIndex]!.id, res.ruleId, 'ruleIndex points at the rule');
      assert.equal(res.level, 'warning', 'the configured severity, not the default');
      assert.ok(res.message.text.length > 0);
      const loc = res.locations[0]!.physicalLocation;
      assert.equal(loc.artifactLocation.uriBaseId, '%SRCROOT%');
      assert.deepEqual([loc.region.startLine, loc.region.startColumn], [BROKEN_AT.line, BROKEN_AT.col]);
      assert.ok(loc.region.endLine >= loc.region.startLine);
    }
    assert.deepEqual(run.results.map((x) => x.locations[0]!.physicalLocation.artifactLocation.uri).sort(), ['conf/a.cfg.lua', 'conf/c%20d.cfg.lua']);
    assert.equal(run.originalUriBaseIds['%SRCROOT%']!.uri, `file://${d}/`);
    assert.equal(run.invocations[0]!.executionSuccessful, true);
    // Regions count as the editor does: UTF-16 columns, and a lone CR ends a line (SARIF's default would not).
    assert.equal(run.columnKind, 'utf16CodeUnits');
    assert.deepEqual([...run.newlineSequences].sort(), ['\n', '\r', '\r\n']);
  });

  it('information and hints become "note"; a file outside the working directory gets an absolute file URI', () => {
    const d = mk({ 'a.cfg.lua': BROKEN });
    const s = JSON.parse(runCli(['--format', 'sarif', '--rule', 'syntax-error=hint', path.join(d, 'a.cfg.lua')], { cwd: ROOT }).stdout) as Sarif;
    const res = s.runs[0]!.results[0]!;
    assert.equal(res.level, 'note');
    assert.equal(res.locations[0]!.physicalLocation.artifactLocation.uri, `file://${d}/a.cfg.lua`);
    assert.equal(res.locations[0]!.physicalLocation.artifactLocation.uriBaseId, undefined);
  });

  it('a clean run is still a valid log with an empty result list', () => {
    const d = mk({ 'a.cfg.lua': CLEAN });
    const r = runCli(['--format', 'sarif', 'a.cfg.lua'], { cwd: d });
    assert.equal(r.code, 0);
    const s = JSON.parse(r.stdout) as Sarif;
    assert.deepEqual(s.runs[0]!.results, []);
  });
});

describe('examples/ and the demo', () => {
  it('good is clean, broken has its syntax error, risky is valid Lua', () => {
    const good = runCli(['examples/good.cfg.lua']);
    assert.equal(good.code, 0, good.stdout + good.stderr);
    const broken = findingLines(runCli(['examples/broken.cfg.lua']).stdout);
    assert.deepEqual(broken.map((f) => [f.rule, f.line]), [['syntax-error', 7]]);
    const risky = findingLines(runCli(['--max-warnings', '-1', 'examples/risky.cfg.lua']).stdout);
    assert.equal(risky.filter((f) => f.rule === 'syntax-error').length, 0);
  });

  it('npm run demo’s script shows the report for all three and exits 0', async () => {
    const { spawnSync } = await import('node:child_process');
    const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'demo.mjs')], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /examples\/broken\.cfg\.lua:7:\d+ error syntax-error/);
    assert.match(r.stdout, /3 files checked/);
  });
});
