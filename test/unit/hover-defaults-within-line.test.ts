// A line's default is its newest release's; where it changed within the line, the hover says how earlier releases
// differ (review 151: with `version=0.11.4` the hover showed 0.11.9's `no_renegotiation` as a default).
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { hoverText } from '../helpers/cursor';

test('options and ciphers: the earlier releases of the line are named beside the default', () => {
  assert.match(hoverText('ssl = { opt|ions = {} }', '0.11') ?? '', /Default in Prosody 0\.11: `\{[^`]*no_renegotiation = true[^`]*\}` \(0\.11\.0–0\.11\.8 without `no_renegotiation`\)/);
  assert.match(hoverText('ssl = { ciph|ers = "HIGH" }', '0.11') ?? '', /\(0\.11\.0–0\.11\.5: `HIGH\+kEDH` before `HIGH\+kEECDH`\)/);
  assert.match(hoverText('ssl = { opt|ions = {} }', '0.9') ?? '', /0\.9\.0–0\.9\.5 without `no_sslv3`/);
  // Lines whose default did not change within them say nothing of the kind.
  assert.doesNotMatch(hoverText('ssl = { opt|ions = {} }', '0.10') ?? '', /without `no_renegotiation`/);
});

test('the effective-settings table names the earlier releases beside a built-in default that changed within the line', () => {
  const md = hoverText('VirtualHost "a.example"\n  s|sl = { certificate = "a.crt" }', '0.11') ?? '';
  assert.match(md, /\| `options` \| `[^`]*no_renegotiation[^`]*` \| default \(0\.11\.0–0\.11\.8 without `no_renegotiation`\) \|/);
  assert.doesNotMatch(hoverText('VirtualHost "a.example"\n  s|sl = { certificate = "a.crt" }', '0.10') ?? '', /without `no_renegotiation`/);
});
