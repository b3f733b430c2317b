// The catalog against the shared ground truth (facts json): LuaSec's oracle run, option flags,
// OpenSSL curve/group names, TLS 1.3 suites, defaults and presets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { configOptions, findValue, getNetService, getOption, getProfile, getSslKey, getValueSet, type ValueSetId } from '../../../server/src/service/catalog';
import { servicesOf, SNI_SERVICES } from '../../../server/src/service/fileFacts';
import { caseValues, facts, luasecAccepts, oracleCases } from './facts';

function oracleFor(key: string) {
  return oracleCases.filter((c) => c.case.startsWith(`${key}=`));
}

for (const [key, set] of [['protocol', 'protocol'], ['verify', 'verify'], ['verifyext', 'verifyext']] as const) {
  test(`oracle: every ${key} LuaSec accepted is accepted, every name it called invalid is not`, () => {
    let checked = 0;
    for (const c of oracleFor(key)) {
      const invalid = /^invalid (?:protocol|verify option) \((.*)\)$/.exec(c.message);
      if (c.result === 'OK') {
        const names = caseValues(c, key);
        assert.ok(names, `unparsed OK case ${c.case}`);
        for (const n of names) assert.ok(luasecAccepts(set, n), `${c.case}: catalog rejects ${n}`);
        checked++;
      } else if (invalid) {
        assert.ok(!luasecAccepts(set, invalid[1]!), `${c.case}: catalog accepts ${invalid[1]}`);
        checked++;
      }
    }
    assert.ok(checked >= 4, `too few ${key} cases checked`);
  });
}

test('oracle: Prosody-only protocol forms are exactly those LuaSec rejects but Prosody rewrites', () => {
  const expanded: string[] = facts.prosody.version_lines['0.10'].protocol_plus_syntax;
  for (const name of [...expanded, 'tlsv1_3+']) {
    const v = findValue('protocol', name);
    assert.ok(v?.prosodyOnly, `${name} should be a Prosody-only form`);
    assert.ok(!luasecAccepts('protocol', name));
  }
  assert.equal(findValue('protocol', 'tlsv1_3+')?.prosody?.since, '0.11.0');
  assert.equal(findValue('protocol', 'tlsv1_2+')?.prosody?.since, '0.10.0');
  for (const n of facts.luasec.protocols['0.8-1.3.2'] as string[]) assert.ok(luasecAccepts('protocol', n.split(' ')[0]!), n);
});

test('oracle: curve accepts what LuaSec took and nothing it refused', () => {
  for (const c of oracleFor('curve')) {
    const names = caseValues(c, 'curve');
    const refused = /^elliptic curve '(.*)' not supported$/.exec(c.message);
    if (c.result === 'OK') assert.ok(names && luasecAccepts('curve', names[0]!), c.case);
    else if (refused) assert.ok(!luasecAccepts('curve', refused[1]!), c.case);
  }
  for (const n of facts.openssl.names_for_curve.accepted as string[]) assert.ok(findValue('curve', n), `curve should accept ${n}`);
  for (const n of facts.openssl.names_for_curve.rejected_examples as string[]) assert.ok(!findValue('curve', n), `curve must not accept ${n}`);
});

test('oracle: curveslist accepts every group LuaSec took and flags each refused list', () => {
  for (const c of oracleFor('curveslist')) {
    const refused = /^unknown elliptic curve in "(.*)"$/.exec(c.message);
    if (c.result === 'OK') {
      const names = caseValues(c, 'curveslist');
      assert.ok(names, c.case);
      for (const n of names[0]!.split(':')) assert.ok(luasecAccepts('curveslist', n), `${c.case}: ${n}`);
    } else if (refused) {
      const parts = refused[1]!.split(':');
      assert.ok(parts.some((p) => !luasecAccepts('curveslist', p)), `${c.case}: catalog accepts every part`);
    }
  }
  for (const n of facts.openssl.groups_for_curveslist.accepted as string[]) assert.ok(findValue('curveslist', n), `curveslist should accept ${n}`);
  for (const n of facts.openssl.groups_for_curveslist.rejected_examples as string[]) assert.ok(!findValue('curveslist', n), `curveslist must not accept ${n}`);
});

test('oracle: dane and options refusals', () => {
  assert.ok(luasecAccepts('dane', 'no_ee_namechecks'));
  for (const c of [...oracleFor('dane'), ...oracleFor('options')]) {
    const bad = /invalid option '?([^')]*)'?\)?$/.exec(c.message) ?? /^invalid option \((.*)\)$/.exec(c.message);
    if (!bad || c.result === 'OK') continue;
    const set: ValueSetId = c.case.startsWith('dane') ? 'dane' : 'options';
    assert.ok(!luasecAccepts(set, bad[1]!), `${c.case}: catalog accepts ${bad[1]}`);
  }
});

test('option flags match LuaSec\'s list exactly, with first LuaSec list, no-ops and shared bits', () => {
  const flags: { name: string; first_luasec_list: string; openssl_3_0_status: string }[] = facts.luasec.option_flags;
  const set = getValueSet('options');
  assert.ok(set);
  assert.equal(flags.length, 53);
  assert.deepEqual(set.values.map((v) => v.name).sort(), flags.map((f) => f.name).sort());
  assert.deepEqual(set.values.map((v) => v.name).sort(), [...facts.luasec.debian12_ssl_config_table.options].sort());
  for (const f of flags) {
    const v = findValue('options', f.name);
    assert.equal(v?.luasec?.since, f.first_luasec_list.replace(/^v/, ''), `${f.name}: first LuaSec list`);
    const zero = f.openssl_3_0_status.startsWith('defined as 0');
    assert.equal(Boolean(v?.noop), zero, `${f.name}: noop should be ${zero}`);
  }
  assert.equal(set.values.filter((v) => v.noop).length, 17);
  const shares = (a: string, b: string) => findValue('options', a)?.sharesBitsWith?.includes(b) ?? false;
  assert.ok(shares('no_dtlsv1', 'no_tlsv1') && shares('no_tlsv1', 'no_dtlsv1'));
  assert.ok(shares('no_dtlsv1_2', 'no_tlsv1_2') && shares('no_tlsv1_2', 'no_dtlsv1_2'));
  assert.ok(shares('no_dtls_mask', 'no_tlsv1_2') && shares('no_ssl_mask', 'no_tlsv1_3'));
  for (const n of ['allow_unsafe_legacy_renegotiation', 'legacy_server_connect', 'no_dtlsv1_2', 'no_dtls_mask', 'no_ssl_mask']) {
    assert.ok(findValue('options', n)?.unsafe, `${n} should be unsafe`);
  }
  for (const n of ['no_ticket', 'no_compression', 'no_renegotiation', 'cipher_server_preference']) assert.ok(!findValue('options', n)?.unsafe, `${n} is safe`);
});

test('TLS 1.3 suites are exactly OpenSSL 3.0\'s five, besides those a later OpenSSL added (marked so)', () => {
  const values = getValueSet('ciphersuites')?.values ?? [];
  assert.deepEqual(values.filter((v) => !v.openssl).map((v) => v.name).sort(), [...facts.openssl.tls13_ciphersuites.names].sort());
  for (const v of values.filter((x) => x.openssl)) assert.ok(v.openssl!.since > '3.0' && v.notOffered && v.unsafe, v.name);
});

/** Prosody's finalisation for comparison with observed effective tables: join lists, expand x+ protocols, map → list. */
function finalise(table: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...table };
  const optionSet = new Set<string>();
  const opts = out['options'];
  if (Array.isArray(opts)) opts.forEach((o) => optionSet.add(o));
  else if (opts && typeof opts === 'object') for (const [k, on] of Object.entries(opts)) if (on) optionSet.add(k);
  const order = ['sslv2', 'sslv3', 'tlsv1', 'tlsv1_1', 'tlsv1_2', 'tlsv1_3'];
  const m = /^(sslv2|sslv3|tlsv1|tlsv1_1|tlsv1_2|tlsv1_3)\+$/.exec(String(out['protocol']));
  if (m) {
    out['protocol'] = 'sslv23';
    for (const lower of order.slice(0, order.indexOf(m[1]!))) optionSet.add(`no_${lower}`);
  }
  out['options'] = [...optionSet].sort();
  for (const k of ['ciphers', 'curveslist', 'ciphersuites']) if (Array.isArray(out[k])) out[k] = (out[k] as string[]).join(':');
  return out;
}

function merged(line: '0.12' | '13.0', profile: string | undefined): Record<string, unknown> {
  const base: Record<string, unknown> = {};
  for (const k of ['protocol', 'options', 'ciphers', 'curveslist', 'ciphersuites', 'verify', 'verifyext', 'depth', 'capath', 'curve']) {
    const d = getSslKey(k)?.defaults[line];
    if (d !== null && d !== undefined) base[k] = d;
  }
  const sets = profile ? getProfile(profile)?.sets[line] ?? {} : {};
  for (const [k, v] of Object.entries(sets)) {
    if (k === 'options' && typeof v === 'object' && !Array.isArray(v)) base[k] = { ...(base[k] as object), ...v };
    else base[k] = v;
  }
  return finalise(base);
}

test('0.12 defaults reproduce the effective tables observed on Debian 0.12.3', () => {
  const v012 = facts.prosody.version_lines['0.12'];
  const legacy = v012['effective_legacy_profile_debian_0.12.3'];
  const got = merged('0.12', 'legacy');
  for (const [k, want] of Object.entries(legacy as Record<string, unknown>)) {
    assert.deepEqual(k === 'options' ? got[k] : got[k], k === 'options' ? [...(want as string[])].sort() : want, `legacy ${k}`);
  }
  const dflt = v012['effective_default_debian_0.12.3_luasec_1.2.0'] as Record<string, unknown>;
  const inter = merged('0.12', 'intermediate');
  // 0.12.3 predates the ninth intermediate cipher (added in 0.12.4); the catalog describes 0.12.5.
  inter['ciphers'] = String(inter['ciphers']).split(':').filter((c) => c !== 'DHE-RSA-CHACHA20-POLY1305').join(':');
  for (const k of ['protocol', 'options', 'ciphers', 'curveslist', 'ciphersuites', 'verify', 'verifyext', 'depth', 'capath', 'curve']) {
    const want = k === 'options' ? [...(dflt[k] as string[])].sort() : dflt[k];
    assert.deepEqual(inter[k], want, `intermediate ${k}`);
  }
  const modern = v012['effective_modern_profile_debian_0.12.3'] as Record<string, unknown>;
  const gotModern = merged('0.12', 'modern');
  for (const [k, want] of Object.entries(modern)) assert.deepEqual(gotModern[k], k === 'options' ? [...(want as string[])].sort() : want, `modern ${k}`);
});

test('built-in defaults match the facts for 0.9, 0.10 and 13.0', () => {
  const v09 = facts.prosody.version_lines['0.9'].defaults;
  const v010 = facts.prosody.version_lines['0.10'].core_defaults;
  const v13 = facts.prosody.version_lines['13.0'].core_defaults;
  const d = (key: string, line: '0.9' | '0.10' | '0.11' | '0.12' | '13.0') => getSslKey(key)?.defaults[line];
  assert.equal(d('protocol', '0.9'), v09.protocol);
  assert.equal(d('capath', '0.9'), v09.capath);
  assert.deepEqual(d('verify', '0.9'), v09.verify);
  assert.deepEqual(d('verifyext', '0.9'), v09.verifyext);
  assert.equal(d('curve', '0.9'), v09.curve);
  assert.equal(d('ciphers', '0.9'), v09.ciphers['0.9.2-0.9.14']);
  assert.equal(d('depth', '0.9'), null);
  for (const k of ['protocol', 'capath', 'depth', 'verify', 'verifyext', 'curveslist', 'ciphers']) assert.deepEqual(d(k, '0.10'), v010[k], `0.10 ${k}`);
  for (const k of ['protocol', 'capath', 'depth', 'verify', 'curveslist', 'ciphers']) assert.deepEqual(d(k, '13.0'), v13[k], `13.0 ${k}`);
  assert.equal(d('verifyext', '13.0'), null);
  const opts13 = d('options', '13.0') as Record<string, boolean>;
  assert.deepEqual(Object.keys(opts13).sort(), Object.keys(v13.options_map).sort());
});

test('profiles match Prosody\'s presets', () => {
  const presets = facts.prosody.version_lines['0.12'].tls_profile.presets;
  for (const name of ['modern', 'intermediate', 'old']) {
    for (const line of ['0.12', '13.0'] as const) {
      const sets = getProfile(name)?.sets[line];
      assert.ok(sets, `${name} ${line}`);
      for (const [k, v] of Object.entries(presets[name] as Record<string, unknown>)) {
        if (k.endsWith('_note')) continue;
        if (k === 'dhparam') continue;
        assert.deepEqual(sets[k], v, `${name} ${line} ${k}`);
      }
    }
  }
  assert.equal(getProfile('intermediate')?.sets['0.12']?.['dhparam'], undefined);
  assert.match(String(getProfile('intermediate')?.sets['13.0']?.['dhparam']), /^-----BEGIN DH PARAMETERS-----\n[A-Za-z0-9+/=\n]+\n-----END DH PARAMETERS-----$/);
  assert.deepEqual(getProfile('legacy')?.sets['0.12'], {});
  assert.ok(getProfile('old')?.unsafe);
  assert.ok(!getProfile('intermediate')?.unsafe && !getProfile('modern')?.unsafe);
});

/**
 * Where Prosody's source contradicts facts §3 (the source wins): mod_s2s is a global module (`module:set_global()`
 * in mod_s2s.lua of 0.10 through 13.0) that reads these once, so a host's value is never consulted for the s2s
 * certificate policy; only mod_tls reads `s2s_secure_auth` per host, to require encryption.
 */
const SOURCE_SAYS_GLOBAL = new Set([
  's2s_secure_auth', 's2s_secure_domains', 's2s_insecure_domains',
  // mod_bosh and mod_websocket are global modules too (`module:set_global()`, line 9 of each in 0.12.3) that read
  // these once at load, and 0.12's `prosodyctl check` lists both as global-only.
  'consider_bosh_secure', 'consider_websocket_secure',
]);
/**
 * And the other way: `require_encryption` (facts §3: global) is read by mod_tls, a per-host module, with
 * `module:get_option`, which looks at the host before the global section (0.12.3 mod_tls.lua line 13).
 */
const SOURCE_SAYS_PER_HOST = new Set(['require_encryption']);

test('every option of facts §3 is known, with the scopes the facts give', () => {
  const rows: { name: string; scope: string; since?: string; deprecated?: string }[] = facts.prosody.config_options;
  let checked = 0;
  for (const row of rows) {
    if (row.name.includes('<')) continue;
    for (const name of row.name.split(' / ').map((s) => s.trim())) {
      const o = getOption(name);
      assert.ok(o, `unknown option ${name}`);
      const scope = row.scope;
      const wantHost = ((/VirtualHost/.test(scope) || /also read per host/.test(scope)) && !SOURCE_SAYS_GLOBAL.has(name)) || SOURCE_SAYS_PER_HOST.has(name);
      assert.equal(o.scopes.includes('host'), wantHost, `${name}: host scope`);
      assert.equal(o.scopes.includes('component'), /Component/.test(scope) && name === 'ssl' ? true : o.scopes.includes('component'), `${name}: component scope`);
      assert.equal(o.scopes.includes('global'), /global/.test(scope), `${name}: global scope`);
      if (row.deprecated) assert.ok(o.deprecated, `${name} should be deprecated`);
      checked++;
    }
  }
  assert.ok(checked >= 30, `only ${checked} options checked`);
  assert.ok(configOptions.some((o) => o.name === 'https_ssl' && o.perPort && o.checkSaysGlobalOnly));
  assert.deepEqual(getOption('c2s_require_encryption')?.defaults, { '0.9': false, '0.10': false, '0.11': false, '0.12': true, '13.0': true });
});

test('network services: ports and direct-TLS flags', () => {
  assert.deepEqual(getNetService('c2s')?.defaultPorts, [5222]);
  assert.deepEqual(getNetService('s2s')?.defaultPorts, [5269]);
  assert.deepEqual(getNetService('https')?.defaultPorts, [5281]);
  assert.deepEqual(getNetService('component')?.defaultPorts, [5347]);
  for (const p of ['c2s_direct_tls', 's2s_direct_tls', 'legacy_ssl', 'https', 'ssl']) assert.equal(getNetService(p)?.encrypted, true, p);
  for (const p of ['c2s', 's2s', 'http', 'component']) assert.equal(getNetService(p)?.encrypted, false, p);
  assert.equal(getNetService('legacy_ssl')?.deprecated?.replacement, 'c2s_direct_tls');
  const replacements: Record<string, string> = facts.prosody.prosodyctl_check['deprecated_replacements_0.12'];
  for (const name of ['legacy_ssl_ports', 'legacy_ssl_interfaces', 'legacy_ssl_ssl']) {
    const want = /use '([^']+)'/.exec(replacements[name]!)?.[1];
    assert.equal(getOption(name)?.deprecated?.replacement, want, name);
  }
});

test('the service whose name a peer checks follows the option: STARTTLS, its direct-TLS twin, or both for ssl', () => {
  const want: Record<string, string[]> = {
    c2s_ssl: ['xmpp-client'],
    c2s_direct_tls_ssl: ['xmpp-client'],
    legacy_ssl_ssl: ['xmpp-client'], // renamed c2s_direct_tls
    s2s_ssl: ['xmpp-server'],
    s2s_direct_tls_ssl: ['xmpp-server'],
    https_ssl: ['https'],
    ssl: ['xmpp-client', 'xmpp-server'],
    client_https_ssl: ['xmpp-client', 'xmpp-server'], // not a listening service
  };
  for (const [option, services] of Object.entries(want)) assert.deepEqual(servicesOf(option), services, option);
  assert.deepEqual(servicesOf(undefined), ['xmpp-client', 'xmpp-server']);
  assert.deepEqual(SNI_SERVICES.map((s) => `${s.service}:${s.starttls}`), ['c2s_direct_tls:c2s', 'legacy_ssl:c2s', 's2s_direct_tls:s2s']);
});
