// Options Prosody reads per host only from some release on are offered in a VirtualHost only on those lines
// (facts §3: https_ssl is read per host for SNI from 0.12); globally they stay offered on every line.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { PROSODY_LINES, type ProsodyLine } from '../../server/src/service/catalog/versions';
import { complete, docWithCursor, hoverText, labels, service } from '../helpers/cursor';

describe('https_ssl is offered in a VirtualHost only from Prosody 0.12', () => {
  it('not under a host on 0.9, 0.10 and 0.11; under a host on 0.12 and 13.0', () => {
    for (const line of ['0.9', '0.10', '0.11'] as const) {
      assert.ok(!labels('VirtualHost "x"\n  |\n', line).includes('https_ssl'), line);
      assert.ok(!labels('VirtualHost "x" {\n  |\n}\n', line).includes('https_ssl'), `${line} table form`);
      assert.ok(labels('VirtualHost "x"\n  |\n', line).includes('ssl'), `${line}: other host options stay`);
    }
    for (const line of ['0.12', '13.0'] as const) assert.ok(labels('VirtualHost "x"\n  |\n', line).includes('https_ssl'), line);
  });

  it('globally on every line', () => {
    for (const line of ['0.9', '0.10', '0.11', '0.12', '13.0'] as const) assert.ok(labels('|', line).includes('https_ssl'), line);
  });

  it('its documentation says from which release a host reads it', () => {
    const doc = complete('|', '0.11').items.find((i) => i.label === 'https_ssl')!.documentation as { value: string };
    assert.match(doc.value, /VirtualHost \(since 0\.12\.0\)/);
    assert.match(hoverText('https|_ssl = {}\n', '13.0') ?? '', /global, VirtualHost \(since 0\.12\.0\)/);
  });
});

describe('per-port tables are global only (portmanager reads them from the global ssl and <service>_ssl)', () => {
  it('offers ssl keys in a global [5223] table, nothing in a host one (a reviewer: LuaSec ignores it there)', () => {
    assert.ok(labels('ssl = { [5223] = { | } }\n', '0.12').includes('protocol'));
    assert.deepEqual(labels('VirtualHost "a.example"\n  ssl = { [5223] = { | } }\n', '0.12'), []);
    // 13.0 has no per-port tables (its sslconfig throws on the number key), only per-interface ones.
    assert.deepEqual(labels('ssl = { [5223] = { | } }\n', '13.0'), []);
    assert.ok(labels('ssl = { ["127.0.0.1"] = { | } }\n', '13.0').includes('protocol'));
  });
});

describe('VirtualHost "*" is the global section', () => {
  it('its table form completes and hovers like global options (a reviewer: nothing was offered)', () => {
    assert.ok(labels('VirtualHost "*" { ssl = { | } }\n', '13.0').includes('protocol'));
    assert.ok(labels('VirtualHost "*" {\n  |\n}\n', '13.0').includes('tls_profile'), 'global-only options are offered there');
    assert.match(hoverText('VirtualHost "*" { ssl = { proto|col = "tlsv1_2+" } }\n', '13.0') ?? '', /\*\*protocol\*\*/);
  });
});

describe('TLS tables under a host: offered, and filled in, exactly where the rules say the line reads them', () => {
  const tables = ['ssl', 'c2s_ssl', 's2s_ssl', 'https_ssl', 'client_https_ssl', 'c2s_direct_tls_ssl', 's2s_direct_tls_ssl', 'legacy_ssl_ssl'];
  const unread = (option: string, line: ProsodyLine): boolean => {
    const { doc } = docWithCursor(`VirtualHost "x"\n  ${option} = { protocol = "tlsv1_2+" }\n|`);
    return service.doValidation(doc, { prosodyVersion: line, checkFiles: 'off' }).some((d) => d.code === 'global-option-in-host' || d.code === 'option-too-new');
  };

  it("a host's https_ssl before 0.12 (read only globally there) gets no keys or values; from 0.12 it does", () => {
    for (const line of ['0.9', '0.10', '0.11'] as const) {
      assert.deepEqual(labels('VirtualHost "x"\n  https_ssl = { | }\n', line), [], line);
      assert.deepEqual(labels('VirtualHost "x" { https_ssl = { | } }\n', line), [], `${line} table form`);
      assert.deepEqual(labels('VirtualHost "x"\n  https_ssl = { protocol = "|" }\n', line), [], `${line} value`);
      assert.ok(labels('https_ssl = { | }\n', line).includes('protocol'), `${line}: the global one still`);
    }
    for (const line of ['0.12', '13.0'] as const) assert.ok(labels('VirtualHost "x"\n  https_ssl = { | }\n', line).includes('protocol'), line);
  });

  it('the direct-TLS tables portmanager reads per host for SNI are offered under a host from 0.12, as https_ssl is', () => {
    for (const line of ['0.12', '13.0'] as const) {
      const l = labels('VirtualHost "x"\n  |\n', line);
      for (const o of ['https_ssl', 'c2s_direct_tls_ssl', 's2s_direct_tls_ssl']) assert.ok(l.includes(o), `${o} on ${line}`);
    }
  });

  it('under a Component, which takes no clients: not the client services\' tables (review 151), the server one still', () => {
    for (const line of ['0.12', '13.0'] as const) {
      const l = labels('Component "c.example" "muc"\n  |\n', line);
      for (const o of ['c2s_ssl', 'c2s_direct_tls_ssl', 'legacy_ssl_ssl']) assert.ok(!l.includes(o), `${o} on ${line}`);
      assert.ok(l.includes('s2s_direct_tls_ssl') && l.includes('s2s_ssl'), line);
    }
  });

  for (const line of PROSODY_LINES) {
    it(`on ${line}, agree with global-option-in-host and option-too-new`, () => {
      const offered = labels('VirtualHost "x"\n  |\n', line);
      for (const o of tables) {
        const read = !unread(o, line);
        assert.equal(offered.includes(o), read, `${o} offered under a host on ${line}`);
        assert.equal(labels(`VirtualHost "x"\n  ${o} = { | }\n`, line).includes('protocol'), read, `keys inside a host's ${o} on ${line}`);
      }
    });
  }
});
