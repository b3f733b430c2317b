// Effective TLS settings: the layers under every host are merged once per config and shared, so
// hosts must neither see each other's tables nor change what the next host is layered on.
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { generateConfig } from '../../bench/generate';
import { PROSODY_LINES } from '../../server/src/service/catalog/versions';
import { effectiveKeyFlags, effectiveSettings, type EffectiveEntry } from '../../server/src/service/model/layering';
import { parseConfig, type ParsedConfig } from '../../server/src/service/model/parse';

function parsed(text: string): ParsedConfig {
  const r = parseConfig(text);
  assert.ok(r.ok);
  return r.config;
}

const flags = (config: ParsedConfig, section: number, line: '0.9' | '0.12' = '0.12'): string[] =>
  [...(effectiveSettings(config, section, 'c2s', line).find((e) => e.key === 'options')?.flags?.keys() ?? [])].sort();

const CONFIG = [
  'ssl = { protocol = "tlsv1_2+", options = { "no_ticket" } }',
  'VirtualHost "a.example"',
  '  ssl = { options = { "cipher_server_preference" }, key = "a.key" }',
  'VirtualHost "b.example"',
  '  c2s_ssl = { ciphers = "HIGH" }',
  'VirtualHost "c.example"',
  '  enabled = true',
].join('\n');

describe('effective settings', () => {
  // `key = nil` leaves the key out of the table: util/sslconfig merges with pairs(), so the layer beneath stays in force
  // (a reviewer's instrumented 0.12.3 run: the host got the global protocol and dhparam the hover said were unset).
  it('a `key = nil` field sets nothing: the value beneath stays, and an earlier field of the same table goes', () => {
    const config = parsed('ssl = { protocol = "tlsv1+", ciphers = "HIGH", dhparam = "dh.pem" }\nVirtualHost "a.example"\n  ssl = { protocol = nil, ciphers = "AES", ciphers = nil, depth = 5 }\n');
    const got = (key: string): EffectiveEntry | undefined => effectiveSettings(config, 1, 'c2s', '0.12').find((e) => e.key === key);
    assert.equal(got('protocol')?.value, '"tlsv1+"');
    assert.equal(got('protocol')?.from, 'global ssl');
    assert.equal(got('ciphers')?.value, '"HIGH"');
    assert.equal(got('dhparam')?.value, '"dh.pem"');
    assert.equal(got('depth')?.value, '5');
  });

  it('a host without tables of its own gets exactly the global result', () => {
    const config = parsed(CONFIG);
    assert.deepEqual(effectiveSettings(config, 3, 'c2s', '0.12'), effectiveSettings(config, 0, 'c2s', '0.12'));
    assert.deepEqual(effectiveSettings(config, 3, 's2s', '0.12'), effectiveSettings(config, 0, 's2s', '0.12'));
  });

  it('hosts share the global layers without seeing each other', () => {
    const config = parsed(CONFIG);
    const a = flags(config, 1);
    assert.ok(a.includes('cipher_server_preference') && a.includes('no_ticket'), a.join());
    const b = flags(config, 2);
    assert.ok(b.includes('no_ticket') && !b.includes('cipher_server_preference'), b.join());
    assert.equal(effectiveSettings(config, 2, 'c2s', '0.12').find((e) => e.key === 'ciphers')?.from, 'host c2s_ssl');
    assert.equal(effectiveSettings(config, 2, 'c2s', '0.12').find((e) => e.key === 'key'), undefined);
    // Asked in the other order, on a fresh parse: the same answers.
    const again = parsed(CONFIG);
    assert.deepEqual(flags(again, 2), b);
    assert.deepEqual(flags(again, 1), a);
    assert.deepEqual(flags(again, 0), flags(config, 0));
  });

  it('on 0.9 a host ssl replaces the global one wholesale; others keep the global one', () => {
    const config = parsed(CONFIG);
    const a = effectiveSettings(config, 1, 'c2s', '0.9');
    assert.equal(a.find((e) => e.key === 'protocol')?.from, 'default');
    assert.equal(a.find((e) => e.key === 'key')?.from, 'host ssl');
    const c = effectiveSettings(config, 3, 'c2s', '0.9');
    assert.equal(c.find((e) => e.key === 'protocol')?.from, 'global ssl');
    assert.equal(c.find((e) => e.key === 'key'), undefined);
  });

  it('the last global tls_profile is the one in force, as Prosody reads the config', () => {
    const protocol = (text: string): string | undefined => {
      const v = effectiveSettings(parsed(text), 0, 'c2s', '0.12').find((e) => e.key === 'protocol')?.value;
      return typeof v === 'string' ? v : undefined;
    };
    assert.equal(protocol('tls_profile = "intermediate"\ntls_profile = "old"\n'), '"tlsv1+"');
    assert.equal(protocol('tls_profile = "old"\ntls_profile = "intermediate"\n'), '"tlsv1_2+"');
    // `nil` unsets it again: Prosody's own default profile.
    assert.equal(protocol('tls_profile = "old"\ntls_profile = nil\n'), '"tlsv1_2+"');
  });

  it('a subdomain host or component takes the tables it does not write from its parent domain (mod_tls)', () => {
    const config = parsed('ssl = { ciphers = "HIGH:!aNULL" }\nVirtualHost "example.com"\n  ssl = { ciphers = "HIGH", key = "e.key" }\nComponent "conference.example.com" "muc"\nVirtualHost "own.example.com"\n  ssl = { protocol = "tlsv1_2+" }\n');
    const entry = (section: number, key: string) => effectiveSettings(config, section, 'c2s', '0.12').find((e) => e.key === key);
    assert.deepEqual([entry(2, 'ciphers')?.value, entry(2, 'ciphers')?.from], ['"HIGH"', 'example.com ssl (parent domain)']);
    // A host with an ssl of its own does not read its parent's at all: not merged under its own either.
    assert.equal(entry(3, 'ciphers')?.from, 'global ssl');
    assert.equal(entry(3, 'key'), undefined);
  });

  it('the flags of one key, layered alone, are those of the full layering, for every host, context and line', () => {
    const corpus = process.env['PROSODY_CORPUS_DIR'] ?? path.resolve(__dirname, '../../../../shared/corpus');
    const texts = [CONFIG, generateConfig(400), ...readdirSync(corpus).filter((f) => f.endsWith('.cfg.lua')).map((f) => readFileSync(path.join(corpus, f), 'utf8'))];
    // Tables a rule meets: flags switched off above, computed values, 0.9's wholesale replacement.
    texts.push('ssl = { options = { "no_ticket", no_tlsv1 = true } }\nVirtualHost "a.example"\n  ssl = { options = { no_ticket = false } }\n  c2s_ssl = { options = opts }\nVirtualHost "b.example"\n  ssl = { verifyext = "lsec_continue", options = nil }\n');
    let compared = 0;
    for (const text of texts) {
      const r = parseConfig(text);
      if (!r.ok) continue;
      for (let section = 0; section < r.config.sections.length; section++) {
        for (const context of ['c2s', 's2s'] as const) {
          for (const line of PROSODY_LINES) {
            for (const key of ['options', 'verifyext'] as const) {
              const entry: EffectiveEntry | undefined = effectiveSettings(r.config, section, context, line).find((e) => e.key === key);
              const expected: ReadonlyMap<string, boolean> | undefined = entry ? entry.flags : new Map();
              assert.deepEqual(effectiveKeyFlags(r.config, section, context, line, key), expected, `${text.slice(0, 60)} section ${section} ${context} ${line} ${key}`);
              compared++;
            }
          }
        }
      }
    }
    assert.ok(compared > 1000, `compared ${compared}`);
  });
});
