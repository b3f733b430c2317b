// The token scan of a new version reuses the old version's tokens around an edit (scanTokens with
// `previous`); the result must be exactly what a scan of the whole new text gives, whatever the edit.
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { scanTokens, type TokenList } from '../../server/src/service/model/tokenize';
import { configText, edit, resolveEdit, runs } from './property/arbitraries';

function sameTokens(actual: TokenList, expected: TokenList, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: token count`);
  const a = actual.columns();
  const e = expected.columns();
  for (const k of ['kinds', 'starts', 'ends', 'contentStarts', 'contentEnds'] as const) {
    assert.deepEqual([...a[k]], [...e[k]], `${what}: ${k}`);
  }
}

function checkEdits(start: string, edits: Array<{ at: number; del: number; text: string }>): void {
  let text = start;
  let tokens = scanTokens(text);
  for (const e of edits) {
    const r = resolveEdit(text, e);
    text = text.slice(0, r.start) + r.text + text.slice(r.end);
    const next = scanTokens(text, tokens);
    sameTokens(next, scanTokens(text), `after ${JSON.stringify(r)}`);
    tokens = next;
  }
}

test('random configs and edits: rescanning from the last version equals a whole scan', () => {
  fc.assert(fc.property(configText, fc.array(edit, { minLength: 1, maxLength: 10 }), checkEdits), runs(150));
});

test('random Lua-ish text (brackets, comments, numbers, quotes) and edits: the same', () => {
  const piece = fc.constantFrom('[', '[[', ']]', '[=[', ']=]', '==', '--', '--[[', '"', "'", '\\', '\n', '\r', ' ', '1e', '+', '5', '.', '..', 'x', '0x1p', '=', '{', '}', '\uD83D', '\uDE00');
  const luaish = fc.array(piece, { maxLength: 40 }).map((xs) => xs.join(''));
  const luaEdit = fc.record({ at: fc.double({ min: 0, max: 1, noNaN: true }), del: fc.nat({ max: 4 }), text: fc.array(piece, { maxLength: 3 }).map((xs) => xs.join('')) });
  fc.assert(fc.property(luaish, fc.array(luaEdit, { minLength: 1, maxLength: 8 }), checkEdits), runs(300));
});

test('edits that change what far-away text means', () => {
  const base = 'a = 1\nssl = { protocol = "tlsv1_2+" }\n-- note\nVirtualHost "x"\n  ssl = { ciphers = "HIGH" }\n';
  const cases: Array<[string, string]> = [
    [base, '--[[' + base], // opens a long comment over everything
    ['--[[' + base, base], // and closes it again
    [base, base.replace('"tlsv1_2+"', '"tlsv1_2+')], // an unclosed string up to the line end
    [base, base.replace('a = 1', 'a = 1e')], // a number's exponent left half-written
    [base, base.replace('a = 1', 'a = 1e+')],
    [base, base + '[['], // an unclosed long string at the end
    [base, base.replace('\n', '\r\n')],
    ['x = [===', 'x = [===[abc'], // `[` and any number of `=` open a long bracket once the second `[` comes
    ['x = [=== [abc]===]', 'x = [===[abc]===]'],
  ];
  for (const [from, to] of cases) sameTokens(scanTokens(to, scanTokens(from)), scanTokens(to), JSON.stringify(to.slice(0, 30)));
  const same = scanTokens(base);
  assert.equal(scanTokens(base, same), same, 'an unchanged text keeps its tokens');
});
