// carryOver: the file diagnostics of an older text shown on a newer one while the files are checked again.
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import type { Diagnostic } from 'vscode-languageserver-types';
import { carryOver } from '../../../server/src/service/carryOver';

const at = (line: number, code: string): Diagnostic => ({ range: { start: { line, character: 2 }, end: { line, character: 9 } }, message: code, code });
const lines = (ds: Diagnostic[]): Array<[string, number]> => ds.map((d) => [String(d.code), d.range.start.line]);

describe('carryOver', () => {
  const old = ['a', 'b', 'c', 'd', 'e'].join('\n');
  const diags = [at(0, 'A'), at(2, 'C'), at(4, 'E')];

  it('keeps diagnostics above an edit, moves those below it, drops those on changed lines', () => {
    // Line c replaced by two lines: A stays, C is dropped (its line changed), E moves down one.
    assert.deepEqual(lines(carryOver(old, ['a', 'b', 'c1', 'c2', 'd', 'e'].join('\n'), diags)), [['A', 0], ['E', 5]]);
    // A line removed above everything: all move up.
    assert.deepEqual(lines(carryOver(old, ['b', 'c', 'd', 'e'].join('\n'), [at(2, 'C'), at(4, 'E')])), [['C', 1], ['E', 3]]);
    // The same text: all kept as they were.
    assert.deepEqual(carryOver(old, old, diags), diags);
  });

  it('counts lines as LSP does: a lone CR ends one too', () => {
    const cr = ['a', 'b', 'c', 'd', 'e'].join('\r');
    assert.deepEqual(lines(carryOver(cr, 'top\r' + cr, diags)), [['A', 1], ['C', 3], ['E', 5]]);
    assert.deepEqual(lines(carryOver(old.replace(/\n/g, '\r\n'), 'top\r\n' + old.replace(/\n/g, '\r\n'), diags)), [['A', 1], ['C', 3], ['E', 5]]);
  });

  it('moves related places with their diagnostic, and drops a diagnostic whose related place was edited', () => {
    const withRelated = (line: number, related: number): Diagnostic => ({ ...at(line, `at${line}`), relatedInformation: [{ location: { uri: 'file:///x', range: at(related, '').range }, message: 'the certificate' }] });
    const [moved] = carryOver(old, 'new\n' + old, [withRelated(4, 3)]);
    assert.equal(moved!.range.start.line, 5);
    assert.equal(moved!.relatedInformation![0]!.location.range.start.line, 4);
    // Line c (2) edited: E's related place was there.
    assert.deepEqual(carryOver(old, ['a', 'b', 'cc', 'd', 'e'].join('\n'), [withRelated(4, 2), withRelated(4, 3)]).map((d) => d.relatedInformation![0]!.location.range.start.line), [3]);
  });

  it('moves quick fixes with their diagnostic, and drops a diagnostic whose fix edits an edited line', () => {
    const withFix = (line: number, edit: number): Diagnostic => ({ ...at(line, `at${line}`), data: { fixes: [{ title: 'Remove', edits: [{ range: at(edit, '').range, newText: '' }] }], span: { range: at(line, '').range, hash: 1 } } });
    const [moved] = carryOver(old, 'new\n' + old, [withFix(4, 3)]);
    const data = moved!.data as { fixes: Array<{ edits: Array<{ range: Diagnostic['range'] }> }>; span: { range: Diagnostic['range'] } };
    assert.deepEqual([data.fixes[0]!.edits[0]!.range.start.line, data.span.range.start.line], [4, 5]);
    // Line c (2) edited: the first diagnostic's fix removes it.
    assert.deepEqual(lines(carryOver(old, ['a', 'b', 'cc', 'd', 'e'].join('\n'), [withFix(4, 2), withFix(4, 3)])), [['at4', 4]]);
  });

  it('keeps the character positions and the rest of each diagnostic', () => {
    const [moved] = carryOver(old, 'new\n' + old, [at(3, 'D')]);
    assert.deepEqual(moved, { ...at(4, 'D') });
  });
});
