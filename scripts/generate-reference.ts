// Writes the settings reference (rendered from the catalog) into README.md between
// <!-- catalog:start --> and <!-- catalog:end -->. With --check, only compares and exits 1 on a difference.
// Run: node scripts/run-ts.mjs scripts/generate-reference.ts [--check]
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { renderReference, spliceReference } from '../server/src/service/catalog/reference';

export { renderReference };

function main(argv: readonly string[]): number {
  const check = argv.includes('--check');
  const readmePath = resolve(process.cwd(), 'README.md');
  const current = existsSync(readmePath) ? readFileSync(readmePath, 'utf8') : '';
  const next = spliceReference(current, renderReference());
  if (check) {
    if (next !== current) {
      console.error('README.md settings reference is out of date; run: node scripts/run-ts.mjs scripts/generate-reference.ts');
      return 1;
    }
    console.log('README.md settings reference is up to date.');
    return 0;
  }
  if (next !== current) writeFileSync(readmePath, next);
  console.log(next !== current ? 'README.md settings reference updated.' : 'README.md settings reference already up to date.');
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
