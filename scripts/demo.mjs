// `npm run demo`: runs the built checker on examples/ and shows its report. Findings are the point of
// the demo, so exit code 1 ("findings") still ends the demo successfully; only 2 (usage or I/O error)
// or a crash fails it.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist', 'cli.js');
if (!existsSync(cli)) {
  console.error('demo: dist/cli.js is missing; run `node scripts/build.mjs` first (npm run demo does).');
  process.exit(2);
}

const extra = process.argv.slice(2);
const args = [cli, ...(extra.length ? extra : ['examples'])];
console.log(`$ prosody-ssl-check ${args.slice(1).join(' ')}\n`);
const r = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
if (r.error) {
  console.error(`demo: could not run the checker: ${r.error.message}`);
  process.exit(2);
}
const code = r.status ?? 2;
console.log(`\nexit code ${code}: ${code === 0 ? 'no failing findings' : code === 1 ? 'findings at or above the threshold (expected for risky and broken examples)' : 'usage or I/O error'}`);
process.exit(code === 1 ? 0 : code);
