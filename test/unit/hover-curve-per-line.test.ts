// The `curve` hover advises `curveslist` only where the line hands it to LuaSec (0.9 does not), and says what
// 0.10.0 set, since the 0.10 line's default shown (`false`) is that of 0.10.1 and later.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { sslKeyReadOn, sslKeys } from '../../server/src/service/catalog';
import { PROSODY_LINES } from '../../server/src/service/catalog/versions';
import { hoverText } from '../helpers/cursor';

describe('curve hover per line', () => {
  it('0.9: curve is the setting that counts, no advice to set curveslist', () => {
    const h = hoverText('ssl = { cu|rve = "secp384r1" }', '0.9') ?? '';
    assert.doesNotMatch(h, /Set `curveslist` instead/);
    assert.match(h, /Prosody 0\.9 hands LuaSec no `curveslist`/);
  });

  it('0.10 and later: set curveslist instead', () => {
    for (const line of ['0.10', '0.11', '0.12', '13.0'] as const) assert.match(hoverText('ssl = { cu|rve = "secp384r1" }', line) ?? '', /Set `curveslist` instead/, line);
  });

  it('the 0.10 default is that of 0.10.1+; the hover says 0.10.0 still set secp384r1', () => {
    const h = hoverText('ssl = { cu|rve = "secp384r1" }', '0.10') ?? '';
    assert.match(h, /Default in Prosody 0\.10: `false`/);
    assert.match(h, /0\.10\.0 set `curve = "secp384r1"`/);
  });

  it('no key hover tells the user to set a key the line does not read', () => {
    for (const line of PROSODY_LINES) {
      for (const k of sslKeys) {
        const h = hoverText(`ssl = { ${k.name.slice(0, 1)}|${k.name.slice(1)} = nil }`, line) ?? '';
        for (const m of h.matchAll(/\b[Ss]et `(\w+)` instead/g)) assert.ok(sslKeyReadOn(m[1]!, line), `${k.name} on ${line} advises ${m[1]}`);
      }
    }
  });
});

describe('keys a host\'s SNI context takes from the port', () => {
  it('say so in a host\'s direct-TLS table, per line; not in the port\'s own table', () => {
    const host = (key: string): string => `c2s_direct_tls_ports = { 5223 }\nVirtualHost "a.example"\n  c2s_direct_tls_ssl = { ${key} = "x" }\n`;
    const note = /Here this key does not change what clients get/;
    assert.match(hoverText(host('proto|col'), '0.12') ?? '', note);
    // 0.12 switches to the host's ciphers; 13.0 takes only its certificate and key.
    assert.doesNotMatch(hoverText(host('ciph|ers'), '0.12') ?? '', note);
    assert.match(hoverText(host('ciph|ers'), '13.0') ?? '', note);
    assert.doesNotMatch(hoverText(host('certi|ficate'), '13.0') ?? '', note);
    assert.doesNotMatch(hoverText('c2s_direct_tls_ssl = { proto|col = "tlsv1_3" }\n', '13.0') ?? '', note);
  });
});
