// The file's `-- prosody-ssl: version=…` directive names a release line as the CLI's --prosody-version
// does: a release (0.9.14, 13.0.1) or `13` means its line; a value that names no line is reported, not dropped.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { parseCliArgs } from '../../server/src/cli/args';
import { PROSODY_LINES } from '../../server/src/service/catalog/versions';
import { buildDocument } from '../../server/src/service/model/document';
import { labels } from '../helpers/cursor';

const directive = (value: string) => buildDocument('file:///d.cfg.lua', 1, `-- prosody-ssl: version=${value}\nssl = {}\n`).directive;

describe('version directive', () => {
  it('maps a release and a line to the line, as the CLI does', () => {
    for (const [value, line] of [
      ['0.9.14', '0.9'],
      ['0.10', '0.10'],
      ['0.11.2', '0.11'],
      ['0.12.4', '0.12'],
      ['13', '13.0'],
      ['13.0.1', '13.0'],
    ] as const) {
      assert.equal(directive(value)?.line, line, value);
      assert.equal(directive(value)?.problem, undefined, value);
      assert.equal(parseCliArgs(['--prosody-version', value, 'x.cfg.lua']).prosodyVersion, line, `CLI ${value}`);
    }
  });

  it('is the line completion uses', () => {
    // tls_profile exists from 0.12: a 0.9 release must hide it although the setting says 13.0.
    assert.ok(!labels('-- prosody-ssl: version=0.9.14\n|', '13.0').includes('tls_profile'));
    assert.ok(labels('-- prosody-ssl: version=0.12.4\n|', '0.9').includes('tls_profile'));
  });

  it('names the problem when the value is no line we know, and the setting then applies', () => {
    for (const value of ['0.8', '0.13.1', '14.0']) {
      const d = directive(value);
      assert.equal(d?.line, undefined, value);
      assert.ok(d?.problem?.includes(`version=${value}`), value);
      for (const line of PROSODY_LINES) assert.ok(d?.problem?.includes(line), `${value} lists ${line}`);
      assert.throws(() => parseCliArgs(['--prosody-version', value, 'x.cfg.lua']), value);
    }
    assert.ok(labels('-- prosody-ssl: version=0.8\n|', '13.0').includes('tls_profile'));
  });
});
