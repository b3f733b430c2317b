// carryOver: the file diagnostics of an older text shown on a newer one while the files are checked again.
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import type { Diagnostic } from 'vscode-languageserver-types';
import { carryOver } from '../../../server/src/server';

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

  it('keeps the character positions and the rest of each diagnostic', () => {
    const [moved] = carryOver(old, 'new\n' + old, [at(3, 'D')]);
    assert.deepEqual(moved, { ...at(4, 'D') });
  });
});
