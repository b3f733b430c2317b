// Flag maps (`options = { no_ticket = true }`) may spell their keys `["no_ticket"] = true`: Lua reads both
// the same, so completion must too (no flag offered twice, new flags inserted in map form).
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { completeAndApply, labels } from '../helpers/cursor';

describe('completion in a flag map with bracketed keys', () => {
  it('does not offer a flag already set as ["x"] = …', () => {
    const l = labels('ssl = { options = { ["no_ticket"] = true, | } }');
    assert.ok(l.includes('no_compression'));
    assert.ok(!l.includes('no_ticket'));
  });

  it('inserts map entries, not list items', () => {
    assert.equal(completeAndApply('ssl = { options = { ["no_ticket"] = true, | } }', 'no_compression'), 'ssl = { options = { ["no_ticket"] = true, no_compression = true } }');
    assert.equal(completeAndApply("ssl = { verifyext = { ['lsec_continue'] = true; | } }", 'lsec_ignore_purpose'), "ssl = { verifyext = { ['lsec_continue'] = true; lsec_ignore_purpose = true } }");
  });

  it('keeps list form when the table holds list items', () => {
    assert.equal(completeAndApply('ssl = { options = { "no_ticket", | } }', 'no_compression'), 'ssl = { options = { "no_ticket", "no_compression" } }');
  });

  it('still offers the flag whose bracketed key is being typed', () => {
    assert.ok(labels('ssl = { options = { ["no_tic|"] = true } }').includes('no_ticket'));
  });

  it('offers flags in a bracketed key before its `= …` is typed, and not in an index', () => {
    assert.equal(completeAndApply('ssl = { options = { ["no_tic|"] } }', 'no_ticket'), 'ssl = { options = { ["no_ticket"] } }');
    assert.ok(labels('ssl = { options = { "no_sslv3", ["|"] } }').includes('no_compression'));
    assert.ok(labels('ssl = { options = { ["|"]').includes('no_compression'), 'unclosed');
    assert.deepEqual(labels('ssl = { options = { x["|"] } }'), []);
    // 0.9's LuaSec reads no flag map: a key there counts for nothing, so nothing is offered.
    assert.deepEqual(labels('ssl = { options = { ["|"] } }', '0.9'), []);
  });

  it('looks only at the keys of this table, not of a nested or sibling one', () => {
    assert.ok(labels('ssl = { verifyext = { ["no_ticket"] = true }, options = { | } }').includes('no_ticket'));
  });

  it('separates a new entry from a field after the cursor', () => {
    assert.equal(completeAndApply('ssl = { options = { |["no_ticket"] = true } }', 'no_compression'), 'ssl = { options = { no_compression = true; ["no_ticket"] = true } }');
    assert.equal(completeAndApply('ssl = { options = { |"no_ticket" } }', 'no_compression'), 'ssl = { options = { "no_compression"; "no_ticket" } }');
  });
});
