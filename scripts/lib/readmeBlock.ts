// Shared by the generators that write a block of README.md: write it, or with --check only compare
// and exit 1 when the README is out of date.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { spliceBlock } from '../../server/src/service/markedBlock';

export function updateReadmeBlock(block: string, what: string, body: string, argv: readonly string[], command: string): number {
  const readmePath = resolve(process.cwd(), 'README.md');
  const current = existsSync(readmePath) ? readFileSync(readmePath, 'utf8') : '';
  const next = spliceBlock(current, block, body);
  if (argv.includes('--check')) {
    if (next !== current) {
      console.error(`README.md ${what} is out of date; run: ${command}`);
      return 1;
    }
    console.log(`README.md ${what} is up to date.`);
    return 0;
  }
  if (next !== current) writeFileSync(readmePath, next);
  console.log(next !== current ? `README.md ${what} updated.` : `README.md ${what} already up to date.`);
  return 0;
}
