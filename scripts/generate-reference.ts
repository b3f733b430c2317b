// Writes the settings reference (rendered from the catalog) into README.md between
// <!-- catalog:start --> and <!-- catalog:end -->. With --check, only compares and exits 1 on a difference.
// Run: node scripts/run-ts.mjs scripts/generate-reference.ts [--check]
import { renderReference } from '../server/src/service/catalog/reference';
import { updateReadmeBlock } from './lib/readmeBlock';

export { renderReference };

if (require.main === module) {
  process.exitCode = updateReadmeBlock('catalog', 'settings reference', renderReference(), process.argv.slice(2), 'node scripts/run-ts.mjs scripts/generate-reference.ts');
}
