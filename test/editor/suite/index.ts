// Entry point the editor loads as extensionTestsPath: runs every *.test.js next to it with mocha and
// writes the pass/fail counts to $PROSODY_SSL_EDITOR_RESULT so runTest can print `editor: N passed, N failed`.
import Mocha from 'mocha';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 90_000, reporter: 'spec' });
  for (const file of readdirSync(__dirname).sort()) {
    if (file.endsWith('.test.js')) mocha.addFile(join(__dirname, file));
  }
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const passed = runner.stats?.passes ?? 0;
      const failed = Math.max(failures, runner.stats?.failures ?? 0);
      const summary = `editor suite: ${passed} passed, ${failed} failed`;
      console.log(summary);
      const out = process.env.PROSODY_SSL_EDITOR_RESULT;
      if (out) writeFileSync(out, JSON.stringify({ passed, failed }));
      if (failed > 0) reject(new Error(summary));
      else if (passed === 0) reject(new Error('editor suite: no tests ran'));
      else resolve();
    });
  });
}
