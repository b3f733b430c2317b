// The checker honours the same in-file suppression comments as the editor, and the committed
// settings file `.prosody-ssl.json` (nearest one upward, stopping at a repository root).
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { BROKEN, findingLines, hasStackTrace, runCli, treeMaker } from './run';
import { findSettingsFile, mergeSettings, parseSettingsText, SettingsFileLoader } from '../../server/src/service/settingsFile';
import * as fs from 'node:fs';
import * as path from 'node:path';

const mk = treeMaker();
const json = (o: unknown): string => JSON.stringify(o);

describe('suppression comments', () => {
  it('disable-next-line with the rule id, and with no id, silences the line below only', () => {
    const lines = BROKEN.split('\n');
    const withId = [...lines.slice(0, 3), '  -- prosody-ssl: disable-next-line syntax-error', ...lines.slice(3)].join('\n');
    const noId = [...lines.slice(0, 3), '  -- prosody-ssl: disable-next-line', ...lines.slice(3)].join('\n');
    const otherId = [...lines.slice(0, 3), '  -- prosody-ssl: disable-next-line some-other-rule', ...lines.slice(3)].join('\n');
    const d = mk({ 'id.cfg.lua': withId, 'all.cfg.lua': noId, 'other.cfg.lua': otherId });
    assert.equal(runCli(['id.cfg.lua'], { cwd: d }).code, 0);
    assert.equal(runCli(['all.cfg.lua'], { cwd: d }).code, 0);
    const other = runCli(['other.cfg.lua'], { cwd: d });
    assert.equal(other.code, 1, 'a comment for another rule does not hide this one');
    assert.equal(findingLines(other.stdout)[0]?.line, 5);
  });

  it('disable at the top covers the file; enable ends it', () => {
    const d = mk({
      'top.cfg.lua': `-- prosody-ssl: disable syntax-error\n${BROKEN}`,
      'ended.cfg.lua': `-- prosody-ssl: disable syntax-error\n-- prosody-ssl: enable syntax-error\n${BROKEN}`,
    });
    assert.equal(runCli(['top.cfg.lua'], { cwd: d }).code, 0);
    assert.equal(runCli(['ended.cfg.lua'], { cwd: d }).code, 1);
  });
});

describe('.prosody-ssl.json', () => {
  it('beside the config: its rule levels apply', () => {
    const d = mk({ 'prosody.cfg.lua': BROKEN, '.prosody-ssl.json': json({ rules: { 'syntax-error': 'off' } }) });
    const r = runCli(['prosody.cfg.lua'], { cwd: d });
    assert.equal(r.code, 0, r.stdout);
    assert.equal(r.stderr, '');
  });

  it('in a parent folder (up to the repository root) it applies; above the .git folder it does not', () => {
    const d = mk({ 'repo/etc/prosody/prosody.cfg.lua': BROKEN, 'repo/.prosody-ssl.json': json({ rules: { 'syntax-error': 'warning' } }), '.prosody-ssl.json': json({ rules: { 'syntax-error': 'off' } }) });
    // `tree` put .git at d; add one at repo/ so the search stops there.
    fs.mkdirSync(path.join(d, 'repo', '.git'));
    const r = runCli(['repo/etc/prosody/prosody.cfg.lua'], { cwd: d });
    assert.equal(findingLines(r.stdout)[0]?.severity, 'warning', 'repo/.prosody-ssl.json is the nearest');
    // Without the inner file, the search stops at repo/.git and never sees d/.prosody-ssl.json.
    fs.rmSync(path.join(d, 'repo', '.prosody-ssl.json'));
    const r2 = runCli(['repo/etc/prosody/prosody.cfg.lua'], { cwd: d });
    assert.equal(findingLines(r2.stdout)[0]?.severity, 'error');
  });

  it('a file the main config includes takes the main file\'s version comment over the settings file; --prosody-version wins over both', () => {
    const host = 'VirtualHost "a.example"\n  ssl = { verify = "peer" }\n';
    const d = mk({ 'prosody.cfg.lua': '-- prosody-ssl: version=0.12\nInclude "conf.d/*.cfg.lua"\n', 'conf.d/a.cfg.lua': host, '.prosody-ssl.json': json({ prosodyVersion: '13.0' }) });
    const version = (args: string[]): string => JSON.parse(runCli(['--format', 'json', '--check-files', 'off', ...args, 'conf.d/a.cfg.lua'], { cwd: d }).stdout).files[0].prosodyVersion;
    assert.equal(version([]), '0.12');
    assert.equal(version(['--prosody-version', '0.11']), '0.11');
  });

  it('command-line flags win over the file; --no-settings-file and --settings choose the file', () => {
    const d = mk({ 'prosody.cfg.lua': BROKEN, '.prosody-ssl.json': json({ prosodyVersion: '0.12', rules: { 'syntax-error': 'off' } }), 'other/strict.json': json({ rules: { 'syntax-error': 'hint' } }) });
    const flag = runCli(['--rule', 'syntax-error=warning', 'prosody.cfg.lua'], { cwd: d });
    assert.equal(findingLines(flag.stdout)[0]?.severity, 'warning');
    assert.equal(findingLines(runCli(['--no-settings-file', 'prosody.cfg.lua'], { cwd: d }).stdout)[0]?.severity, 'error');
    assert.equal(findingLines(runCli(['--settings', 'other/strict.json', 'prosody.cfg.lua'], { cwd: d }).stdout)[0]?.severity, 'hint');
  });

  it('prosodyVersion: the file sets it, the flag overrides it, a first-line directive beats both', () => {
    const d = mk({ 'a.cfg.lua': 'motd = "x"\n', 'b.cfg.lua': '-- prosody-ssl: version=0.10\nmotd = "x"\n', '.prosody-ssl.json': json({ prosodyVersion: '0.12' }) });
    const versions = (args: string[]): string[] => (JSON.parse(runCli(['--format', 'json', ...args, 'a.cfg.lua', 'b.cfg.lua'], { cwd: d }).stdout) as { files: Array<{ prosodyVersion: string }> }).files.map((f) => f.prosodyVersion);
    assert.deepEqual(versions([]), ['0.12', '0.10']);
    assert.deepEqual(versions(['--prosody-version', '0.9']), ['0.9', '0.10']);
    assert.deepEqual(versions(['--no-settings-file']), ['13.0', '0.10']);
  });

  it('"validate": false turns the file’s findings off', () => {
    const d = mk({ 'a.cfg.lua': BROKEN, '.prosody-ssl.json': json({ validate: false }) });
    assert.equal(runCli(['a.cfg.lua'], { cwd: d }).code, 0);
  });

  it('unknown fields and bad values are warnings on stderr (and SARIF notifications); the run goes on', () => {
    const d = mk({ 'a.cfg.lua': BROKEN, '.prosody-ssl.json': json({ prosodyVerison: '0.12', rules: { 'syntax-error': 'loud', 'not-a-rule': 'off' } }) });
    const r = runCli(['a.cfg.lua'], { cwd: d });
    assert.equal(r.code, 1, 'the bad level is dropped, so the default error stays');
    assert.match(r.stderr, /warning: \.prosody-ssl\.json: unknown field "prosodyVerison"/);
    assert.match(r.stderr, /rule "syntax-error": severity must be one of/);
    assert.match(r.stderr, /unknown rule "not-a-rule"/);
    const s = JSON.parse(runCli(['--format', 'sarif', 'a.cfg.lua'], { cwd: d }).stdout) as { runs: Array<{ invocations: Array<{ toolExecutionNotifications: Array<{ message: { text: string } }> }> }> };
    assert.ok(s.runs[0]!.invocations[0]!.toolExecutionNotifications.some((n) => /prosodyVerison/.test(n.message.text)));
  });

  it('a file that is not JSON is exit 2 with its name, and no stack trace', () => {
    const d = mk({ 'a.cfg.lua': BROKEN, '.prosody-ssl.json': '{ "rules": { ' });
    const r = runCli(['a.cfg.lua'], { cwd: d });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /\.prosody-ssl\.json: not valid JSON/);
    assert.equal(hasStackTrace(r.stderr), false);
    // The summary does not read as a pass (a reviewer: "0 files checked: no problems").
    assert.match(r.stdout, /^0 files checked: no problems; 1 input could not be checked \(its error is on standard error\)$/m);
  });
});

describe('settingsFile library', () => {
  it('parses fields, keeps unknown rule ids (for newer releases) and drops bad values', () => {
    const r = parseSettingsText(json({ $schema: 'x', prosodyVersion: '0.11', rules: { 'syntax-error': 'hint', later: 'off', bad: 3 }, validate: true, extra: 1 }), 'f');
    assert.ok(r.ok);
    assert.deepEqual(r.settings, { prosodyVersion: '0.11', rules: { 'syntax-error': 'hint', later: 'off' }, validate: true });
    assert.equal(r.warnings.length, 3, r.warnings.join('\n'));
    const notObject = parseSettingsText('[1]', 'f');
    assert.equal(notObject.ok, false);
    const badVersion = parseSettingsText(json({ prosodyVersion: '1.0' }), 'f');
    assert.ok(badVersion.ok);
    assert.deepEqual(badVersion.settings, {});
    assert.match(badVersion.warnings[0]!, /prosodyVersion/);
  });

  it('merges layers field by field, rules per id, later layers winning', () => {
    const base = { prosodyVersion: '13.0' as const, rules: { a: 'warning' as const, b: 'error' as const }, validate: true };
    const m = mergeSettings(base, { rules: { b: 'off' } }, undefined, { prosodyVersion: '0.12', validate: false }, { rules: { c: 'hint' } });
    assert.deepEqual(m, { prosodyVersion: '0.12', rules: { a: 'warning', b: 'off', c: 'hint' }, validate: false });
    assert.deepEqual(base.rules, { a: 'warning', b: 'error' }, 'the base is not changed');
  });

  it('finds the nearest file and caches folders it walked', () => {
    const d = mk({ 'x/y/z/p.cfg.lua': '', 'x/.prosody-ssl.json': '{}' });
    const cache = new Map<string, string | null>();
    assert.equal(findSettingsFile(path.join(d, 'x/y/z/p.cfg.lua'), cache), path.join(d, 'x/.prosody-ssl.json'));
    assert.equal(cache.get(path.join(d, 'x/y')), path.join(d, 'x/.prosody-ssl.json'));
    assert.equal(findSettingsFile(path.join(d, 'p.cfg.lua')), undefined, 'stops at the .git root above which nothing applies');
  });
});

describe('file checks (certificates and keys the config names)', () => {
  const CONFIG = 'ssl = {\n  certificate = "certs/missing.crt";\n  key = "certs/missing.key";\n}\n';

  it('run by default, like in the editor: a missing relative certificate is reported', () => {
    const d = mk({ 'prosody.cfg.lua': CONFIG });
    const r = runCli(['prosody.cfg.lua'], { cwd: d });
    const missing = findingLines(r.stdout).filter((f) => f.rule === 'file-missing');
    assert.deepEqual(missing.map((f) => f.line).sort(), [2, 3], r.stdout);
    assert.equal(r.code, 1);
  });

  it('--check-files off, or "checkFiles": "off" in the settings file, reads no files', () => {
    const d = mk({ 'prosody.cfg.lua': CONFIG });
    assert.equal(findingLines(runCli(['--check-files', 'off', 'prosody.cfg.lua'], { cwd: d }).stdout).filter((f) => f.rule.startsWith('file-')).length, 0);
    fs.writeFileSync(path.join(d, '.prosody-ssl.json'), json({ checkFiles: 'off' }));
    assert.equal(findingLines(runCli(['prosody.cfg.lua'], { cwd: d }).stdout).filter((f) => f.rule.startsWith('file-')).length, 0);
    assert.equal(runCli(['--check-files', 'sometimes', 'prosody.cfg.lua'], { cwd: d }).code, 2);
  });
});

describe('SettingsFileLoader (for the language server)', () => {
  it('re-reads a changed file, and sees a new file after clear()', () => {
    const d = mk({ 'etc/p.cfg.lua': '' });
    const loader = new SettingsFileLoader();
    const cfg = path.join(d, 'etc/p.cfg.lua');
    assert.equal(loader.forConfig(cfg), undefined);
    fs.writeFileSync(path.join(d, '.prosody-ssl.json'), json({ prosodyVersion: '0.11' }));
    assert.equal(loader.forConfig(cfg), undefined, 'the upward search is cached until clear()');
    loader.clear();
    const first = loader.forConfig(cfg);
    assert.ok(first?.ok);
    assert.equal(first.settings.prosodyVersion, '0.11');
    fs.writeFileSync(path.join(d, '.prosody-ssl.json'), json({ prosodyVersion: '0.12', extra: true }));
    const second = loader.forConfig(cfg);
    assert.ok(second?.ok);
    assert.equal(second.settings.prosodyVersion, '0.12');
    assert.equal(second.warnings.length, 1);
  });
});
