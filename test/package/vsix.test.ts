// The packaged .vsix: small, and holding only what the extension needs at run time.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';

const ROOT = path.resolve(__dirname, '../../..');
const VSIX = path.join(ROOT, 'prosody-ssl.vsix');

describe('packaged .vsix', () => {
  it('stays under 1 MB', () => {
    const size = statSync(VSIX).size;
    assert.ok(size < 1024 * 1024, `vsix is ${size} bytes`);
  });

  it('holds no sources, tests, maps or node_modules, and has every runtime file', () => {
    const list = execFileSync('unzip', ['-Z1', VSIX], { encoding: 'utf8' }).split('\n').filter(Boolean);
    const files = list.filter((f) => f.startsWith('extension/')).map((f) => f.slice('extension/'.length));
    for (const f of files) {
      assert.doesNotMatch(f, /(^|\/)(node_modules|src|test|scripts|out)\//, f);
      assert.doesNotMatch(f, /\.(ts|map)$/, f);
    }
    for (const need of ['package.json', 'dist/extension.js', 'dist/server.js', 'syntaxes/prosody.tmLanguage.json', 'language-configuration.json', 'images/icon.png', 'LICENSE.txt', 'readme.md']) {
      assert.ok(files.some((f) => f.toLowerCase() === need.toLowerCase()), `missing ${need} in ${files.join(', ')}`);
    }
  });
});
