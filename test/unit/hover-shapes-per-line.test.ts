// The shapes hover and completion say a key takes are those the line in force and the table's connections accept,
// as the type rules judge a written value (ssl-value-type): not every shape the key takes on some release.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { judgedAs, shapeAllowed, sslKeys } from '../../server/src/service/catalog';
import { PROSODY_LINES, type ProsodyLine } from '../../server/src/service/catalog/versions';
import { complete, hoverText } from '../helpers/cursor';

/** The shapes in a key hover's header, `key of an \`ssl\` table (a or b)`. */
function hoverShapes(marked: string, line: ProsodyLine): string[] {
  const m = /key of an `ssl` table \(([^)]*)\)/.exec(hoverText(marked, line) ?? '');
  assert.ok(m, `no key hover at ${marked} on ${line}`);
  return m[1]!.split(' or ');
}

/** The shapes in a key completion item's detail, `a | b · default …`. */
function detailShapes(marked: string, key: string, line: ProsodyLine): string[] {
  const item = complete(marked, line).items.find((i) => i.label === key);
  assert.ok(item, `no '${key}' at ${marked} on ${line}`);
  return (item.detail ?? '').split(' · ')[0]!.split(' | ');
}

/** Both places say the same: hover on the key, completion of the key in an empty table of the same option. */
function shapesSaid(option: string, key: string, line: ProsodyLine): string[] {
  const hover = hoverShapes(`${option} = { ${key.slice(0, 1)}|${key.slice(1)} = nil }`, line);
  assert.deepEqual(detailShapes(`${option} = { | }`, key, line), hover, `${option}.${key} on ${line}: completion detail vs hover`);
  return hover;
}

describe('key shapes follow the line in force', () => {
  it('0.9 takes ciphers as a string only (a list throws there)', () => {
    assert.deepEqual(shapesSaid('ssl', 'ciphers', '0.9'), ['string']);
    assert.deepEqual(shapesSaid('ssl', 'ciphers', '0.10'), ['string', 'list']);
  });

  it('0.9 takes options and verifyext as a list or a string, not a map (0.10+)', () => {
    assert.deepEqual(shapesSaid('ssl', 'options', '0.9'), ['list', 'string']);
    assert.deepEqual(shapesSaid('ssl', 'verifyext', '0.9'), ['list', 'string']);
    assert.deepEqual(shapesSaid('ssl', 'options', '0.12'), ['list', 'map', 'string']);
  });

  it('ciphersuites as a list only from 0.12', () => {
    for (const line of ['0.10', '0.11'] as const) assert.deepEqual(shapesSaid('ssl', 'ciphersuites', line), ['string'], line);
    assert.deepEqual(shapesSaid('ssl', 'ciphersuites', '0.12'), ['string', 'list']);
  });

  it('0.9 passes a dhparam function on to LuaSec; later lines drop it', () => {
    assert.deepEqual(shapesSaid('ssl', 'dhparam', '0.9'), ['string', 'function']);
    assert.deepEqual(shapesSaid('ssl', 'dhparam', '0.12'), ['string']);
  });
});

describe('key shapes follow the connections the table reaches', () => {
  it('client_https_ssl builds client contexts, whose alpn is a string or a list', () => {
    assert.deepEqual(shapesSaid('client_https_ssl', 'alpn', '0.12'), ['string', 'list']);
    assert.deepEqual(shapesSaid('ssl', 'alpn', '0.12'), ['list', 'function']);
  });
});

describe('every key on every line', () => {
  // A written value of each shape said is accepted by the type rules; a shape the key has that is not said is not.
  const probe: Record<string, string> = { string: 'string', number: 'number', integer: 'number', boolean: 'boolean', list: 'list', map: 'map', table: 'mixed', function: 'function' };
  for (const line of PROSODY_LINES) {
    it(`hover says exactly the shapes ssl-value-type accepts on ${line}`, () => {
      for (const k of sslKeys) {
        const said = hoverShapes(`ssl = { ${k.name.slice(0, 1)}|${k.name.slice(1)} = nil }`, line);
        const judged = judgedAs(k, line, false);
        for (const s of new Set([...k.shapes, ...judged.shapes])) {
          const accepted = shapeAllowed(judged, probe[s]!, line) === 'yes';
          assert.equal(said.includes(s), accepted, `${k.name} on ${line}: shape ${s} is ${accepted ? '' : 'not '}accepted`);
        }
      }
    });
  }
});
