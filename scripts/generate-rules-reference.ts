// Writes the diagnostics reference (rendered from the rule table) into README.md between
// <!-- rules:start --> and <!-- rules:end -->. With --check, only compares and exits 1 on a difference.
// Run: node scripts/run-ts.mjs scripts/generate-rules-reference.ts [--check]
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { rulesReference, spliceRulesReference } from '../server/src/service/rules/reference';

function main(argv: readonly string[]): number {
  const check = argv.includes('--check');
  const readmePath = resolve(process.cwd(), 'README.md');
  const current = existsSync(readmePath) ? readFileSync(readmePath, 'utf8') : '';
  const next = spliceRulesReference(current, rulesReference());
  if (check) {
    if (next !== current) {
      console.error('README.md rules reference is out of date; run: node scripts/run-ts.mjs scripts/generate-rules-reference.ts');
      return 1;
    }
    console.log('README.md rules reference is up to date.');
    return 0;
  }
  if (next !== current) writeFileSync(readmePath, next);
  console.log(next !== current ? 'README.md rules reference updated.' : 'README.md rules reference already up to date.');
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
