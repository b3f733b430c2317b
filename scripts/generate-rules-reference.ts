// Writes the diagnostics reference (rendered from the rule table) into README.md between
// <!-- rules:start --> and <!-- rules:end -->. With --check, only compares and exits 1 on a difference.
// Run: node scripts/run-ts.mjs scripts/generate-rules-reference.ts [--check]
import { rulesReference } from '../server/src/service/rules/reference';
import { updateReadmeBlock } from './lib/readmeBlock';

if (require.main === module) {
  process.exitCode = updateReadmeBlock('rules', 'rules reference', rulesReference(), process.argv.slice(2), 'node scripts/run-ts.mjs scripts/generate-rules-reference.ts');
}
