// Internal consistency of the catalog: references resolve, names are unique, docs are complete.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  configOptions,
  getOption,
  getValueSet,
  netServices,
  PROSODY_LINES,
  sslKeys,
  tlsProfiles,
  valueSets,
  type Doc,
} from '../../../server/src/service/catalog';

function allDocs(): { where: string; doc: Doc }[] {
  const out: { where: string; doc: Doc }[] = [];
  for (const k of sslKeys) out.push({ where: `ssl key ${k.name}`, doc: k.doc });
  for (const o of configOptions) out.push({ where: `option ${o.name}`, doc: o.doc });
  for (const s of netServices) out.push({ where: `service ${s.prefix}`, doc: s.doc });
  for (const p of tlsProfiles) out.push({ where: `profile ${p.name}`, doc: p.doc });
  for (const set of valueSets) for (const v of set.values) out.push({ where: `${set.id} value ${v.name}`, doc: v.doc });
  return out;
}

function assertUnique(names: readonly string[], what: string): void {
  const seen = new Set<string>();
  for (const n of names) {
    assert.ok(!seen.has(n), `duplicate ${what}: ${n}`);
    seen.add(n);
  }
}

test('every referenced value set exists', () => {
  for (const k of sslKeys) if (k.values) assert.ok(getValueSet(k.values), `ssl key ${k.name} → ${k.values}`);
  for (const o of configOptions) if (o.values) assert.ok(getValueSet(o.values), `option ${o.name} → ${o.values}`);
});

test('names are unique everywhere, aliases included', () => {
  assertUnique(sslKeys.map((k) => k.name), 'ssl key');
  assertUnique(configOptions.map((o) => o.name), 'option');
  assertUnique(netServices.map((s) => s.prefix), 'service prefix');
  assertUnique(tlsProfiles.map((p) => p.name), 'profile');
  assertUnique(valueSets.map((s) => s.id), 'value set');
  for (const set of valueSets) assertUnique(set.values.flatMap((v) => [v.name, ...(v.aliases ?? [])]), `${set.id} value or alias`);
});

test('every doc has a one-sentence summary and an https link', () => {
  for (const { where, doc } of allDocs()) {
    assert.ok(doc.summary.trim().length > 10, `${where}: summary too short`);
    assert.ok(!doc.summary.includes('\n'), `${where}: summary must be one line`);
    assert.ok(doc.link, `${where}: no link`);
    assert.match(doc.link, /^https:\/\/[^\s]+$/, `${where}: link must be https`);
  }
});

test('ssl keys: shapes, defaults per line and snippets are well formed', () => {
  for (const k of sslKeys) {
    assert.ok(k.shapes.length > 0, `${k.name}: no shapes`);
    for (const s of Object.keys(k.shapeSince ?? {})) assert.ok((k.shapes as string[]).includes(s), `${k.name}: shapeSince names unknown shape ${s}`);
    for (const line of PROSODY_LINES) assert.ok(line in k.defaults, `${k.name}: no default recorded for ${line}`);
    assert.ok(k.snippet.length > 0, `${k.name}: empty snippet`);
    if (k.stringPattern) assert.doesNotThrow(() => new RegExp(k.stringPattern!), `${k.name}: bad pattern`);
  }
});

test('every ssl-table option names the contexts it reaches; service options resolve by pattern', () => {
  for (const o of configOptions) if (o.kind === 'ssl-table') assert.ok(o.contexts && o.contexts.length > 0, `${o.name}: no contexts`);
  for (const s of netServices) {
    assert.equal(getOption(`${s.prefix}_ports`)?.kind, 'ports', `${s.prefix}_ports`);
    if (s.encrypted) assert.equal(getOption(`${s.prefix}_ssl`)?.kind, 'ssl-table', `${s.prefix}_ssl`);
    // certmanager looks a service's certificate up by the service's name, which is not always the prefix.
    if (s.encrypted) assert.equal(getOption(`${s.name ?? s.prefix}_certificate`)?.kind, 'certificate-map', `${s.name ?? s.prefix}_certificate`);
  }
  assert.equal(getOption('multiplex_ssl_certificate')?.kind, 'certificate-map');
  // Nothing reads these: STARTTLS and plain services get no per-port context.
  for (const name of ['c2s_certificate', 's2s_certificate', 'http_ssl', 'http_certificate', 'component_ssl']) assert.equal(getOption(name), undefined, name);
  assert.equal(getOption('ssl_certificate'), undefined, 'mod_net_multiplex\'s service is multiplex_ssl; nothing reads ssl_certificate');
});

test('depth pattern accepts numeric strings only', () => {
  const depth = sslKeys.find((k) => k.name === 'depth');
  assert.ok(depth?.stringPattern);
  const re = new RegExp(depth.stringPattern);
  assert.ok(re.test('9') && re.test('-1'));
  assert.ok(!re.test('nine') && !re.test('1.5'));
});

test('profiles: every preset value is a known ssl key; unsafe ones rank low', () => {
  for (const p of tlsProfiles) {
    for (const [line, sets] of Object.entries(p.sets)) {
      for (const key of Object.keys(sets ?? {})) assert.ok(sslKeys.some((k) => k.name === key), `${p.name} ${line}: unknown key ${key}`);
    }
    if (p.unsafe) assert.ok((p.rank ?? 50) > 50, `${p.name}: unsafe profile should rank low`);
  }
  const profileSet = getValueSet('tls_profile');
  assert.deepEqual(new Set(profileSet?.values.map((v) => v.name)), new Set(tlsProfiles.map((p) => p.name)));
});

test('protocol: tlsv1_2+ is the top choice and every protocol allowing TLS < 1.2 is unsafe', () => {
  const set = getValueSet('protocol');
  assert.ok(set);
  const best = [...set.values].sort((a, b) => (a.rank ?? 50) - (b.rank ?? 50))[0];
  assert.equal(best?.name, 'tlsv1_2+');
  assert.equal(best?.rank, 0);
  for (const name of ['any', 'sslv23', 'tlsv1', 'tlsv1_1', 'sslv3', 'sslv2+', 'sslv3+', 'tlsv1+', 'tlsv1_1+']) {
    assert.ok(set.values.find((v) => v.name === name)?.unsafe, `${name} should be marked unsafe`);
  }
  for (const name of ['tlsv1_2+', 'tlsv1_3+', 'tlsv1_2', 'tlsv1_3']) assert.ok(!set.values.find((v) => v.name === name)?.unsafe, `${name} is not unsafe`);
});
