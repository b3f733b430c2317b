// README's settings reference must be exactly what the catalog renders.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { extractReference, renderReference, spliceReference, REFERENCE_END, REFERENCE_START } from '../../../server/src/service/catalog/reference';
import { getValueSet, sslKeys } from '../../../server/src/service/catalog';
import { REPO_ROOT } from './facts';

test('README.md holds the rendered reference between the markers', () => {
  const readme = readFileSync(resolve(REPO_ROOT, 'README.md'), 'utf8');
  assert.equal(extractReference(readme), renderReference(), 'run: node scripts/run-ts.mjs scripts/generate-reference.ts');
});

test('the reference lists every ssl key and every option flag with its notes', () => {
  const ref = renderReference();
  for (const k of sslKeys) assert.ok(ref.includes(`#### \`${k.name}\``), k.name);
  for (const v of getValueSet('options')?.values ?? []) assert.ok(ref.includes(`| \`${v.name}\` |`), v.name);
  assert.match(ref, /\| `single_dh_use` \|[^\n]*no-op/);
  assert.match(ref, /\| `no_dtlsv1_2` \|[^\n]*same bits as `no_tlsv1_2`[^\n]*unsafe/);
});

test('splicing replaces only the marked block and is idempotent', () => {
  const before = `# Title\n\nintro\n\n${REFERENCE_START}\nold\n${REFERENCE_END}\n\nafter\n`;
  const once = spliceReference(before, 'new\n');
  assert.equal(once, `# Title\n\nintro\n\n${REFERENCE_START}\nnew\n${REFERENCE_END}\n\nafter\n`);
  assert.equal(spliceReference(once, 'new\n'), once);
  assert.equal(extractReference(once), 'new\n');
  assert.equal(spliceReference('', 'x\n'), `${REFERENCE_START}\nx\n${REFERENCE_END}\n`);
});
