// Writes the diagnostics reference (rendered from the rule table) into README.md between
// <!-- rules:start --> and <!-- rules:end -->, and the rule ids into the `prosodySsl.rules` setting's schema in
// package.json (so VS Code completes them and marks a misspelt one). With --check, only compares and exits 1 on a
// difference.
// Run: node scripts/run-ts.mjs scripts/generate-rules-reference.ts [--check]
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { rules } from '../server/src/service/rules';
import { rulesReference } from '../server/src/service/rules/reference';
import { updateReadmeBlock } from './lib/readmeBlock';

const COMMAND = 'node scripts/run-ts.mjs scripts/generate-rules-reference.ts';

/** package.json with the rule ids as the only property names of `prosodySsl.rules`, in the rule table's order. */
function withRuleIds(pkgText: string): string {
  const pkg = JSON.parse(pkgText) as { contributes: { configuration: { properties: Record<string, Record<string, unknown>> } } };
  const setting = pkg.contributes.configuration.properties['prosodySsl.rules']!;
  setting['propertyNames'] = { enum: rules.map((r) => r.id), markdownEnumDescriptions: rules.map((r) => r.title) };
  return `${JSON.stringify(pkg, null, 2)}\n`;
}

function updatePackageJson(argv: readonly string[]): number {
  const file = resolve(process.cwd(), 'package.json');
  const current = readFileSync(file, 'utf8');
  const next = withRuleIds(current);
  if (argv.includes('--check')) {
    if (next !== current) console.error(`package.json rule ids are out of date; run: ${COMMAND}`);
    return next !== current ? 1 : 0;
  }
  if (next !== current) writeFileSync(file, next);
  console.log(next !== current ? 'package.json rule ids updated.' : 'package.json rule ids already up to date.');
  return 0;
}

if (require.main === module) {
  const argv = process.argv.slice(2);
  process.exitCode = updateReadmeBlock('rules', 'rules reference', rulesReference(), argv, COMMAND) || updatePackageJson(argv);
}
