// Entry point the editor loads as extensionTestsPath: runs every *.test.js next to it with mocha.
// The spec report and the pass/fail counts also go to $PROSODY_SSL_EDITOR_RESULT (JSON), because in code-server
// the extension host's console is mixed into the workbench's log; runTest prints them and `editor: N passed, N failed`.
import Mocha from 'mocha';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'node:util';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 90_000, reporter: 'spec' });
  const report: string[] = [];
  const consoleLog = Mocha.reporters.Base.consoleLog;
  Mocha.reporters.Base.consoleLog = (...data: unknown[]) => {
    report.push(format(...data));
    consoleLog(...data);
  };
  for (const file of readdirSync(__dirname).sort()) {
    if (file.endsWith('.test.js')) mocha.addFile(join(__dirname, file));
  }
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      Mocha.reporters.Base.consoleLog = consoleLog;
      const passed = runner.stats?.passes ?? 0;
      const failed = Math.max(failures, runner.stats?.failures ?? 0);
      const out = process.env.PROSODY_SSL_EDITOR_RESULT;
      if (out) writeFileSync(out, JSON.stringify({ passed, failed, report }));
      const summary = `editor suite: ${passed} passed, ${failed} failed`;
      if (failed > 0) reject(new Error(summary));
      else if (passed === 0) reject(new Error('editor suite: no tests ran'));
      else resolve();
    });
  });
}
