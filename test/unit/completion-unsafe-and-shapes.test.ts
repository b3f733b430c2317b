// Completion offers only what the line would read and count, and says when a value weakens security where it is
// written: groups already in a ':'-joined string (OpenSSL refuses a group twice), separators OpenSSL does not split
// groups at, `verify = "none"` where verify-none-s2s fires, the catalog's unsafe booleans, lists and maps a line
// refuses or ignores.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { CompletionItem } from 'vscode-languageserver-types';
import { getOption } from '../../server/src/service/catalog';
import { complete, completeAndApply, labels } from '../helpers/cursor';
import type { ProsodyLine } from '../../server/src/service/catalog/versions';

function item(marked: string, label: string, line?: ProsodyLine): CompletionItem {
  const found = complete(marked, line).items.find((i) => i.label === label);
  assert.ok(found, `no '${label}' at ${marked}`);
  return found;
}

/** Sorted last among the offered items, and saying it weakens security. */
function markedUnsafe(marked: string, label: string, line?: ProsodyLine): void {
  const { items } = complete(marked, line);
  const it = items.find((i) => i.label === label);
  assert.ok(it, `no '${label}' at ${marked}`);
  assert.match(it.detail ?? '', /weakens security/, marked);
  const key = (i: CompletionItem): string => i.sortText ?? i.label;
  for (const other of items) if (other !== it) assert.ok(key(other) < key(it), `${other.label} (${key(other)}) should sort before ${label} (${key(it)}) at ${marked}`);
}

function plain(marked: string, label: string, line?: ProsodyLine): void {
  assert.doesNotMatch(item(marked, label, line).detail ?? '', /weakens security/, marked);
}

describe('groups in a ":"-joined curveslist string', () => {
  it('leaves out groups already in the string, whatever their spelling', () => {
    assert.ok(!labels('ssl = { curveslist = "X25519:|" }').includes('X25519'));
    assert.ok(!labels('ssl = { curveslist = "X25519:|" }').includes('x25519'));
    const l = labels('ssl = { curveslist = "prime256v1:|" }');
    for (const same of ['prime256v1', 'P-256', 'secp256r1']) assert.ok(!l.includes(same), same);
    assert.ok(l.includes('X25519'));
    // Names on either side of the cursor count; the one being typed does not.
    const mid = labels('ssl = { curveslist = "X25519:P-2|:secp384r1" }');
    assert.ok(mid.includes('P-256') && !mid.includes('X25519') && !mid.includes('P-384'));
    assert.equal(completeAndApply('ssl = { curveslist = "X25519:P-2|:secp384r1" }', 'P-256'), 'ssl = { curveslist = "X25519:P-256:secp384r1" }');
  });

  it('also in the list form, where an alias is already written', () => {
    const l = labels('ssl = { curveslist = { "P-256", | } }');
    for (const same of ['prime256v1', 'P-256', 'secp256r1']) assert.ok(!l.includes(same), same);
  });

  it('offers nothing after a separator OpenSSL does not split groups at', () => {
    for (const sep of [',', ';', ' ']) assert.deepEqual(labels(`ssl = { curveslist = "X25519${sep}|" }`), [], JSON.stringify(sep));
    assert.deepEqual(labels('ssl = { ciphersuites = "TLS_AES_256_GCM_SHA384,|" }'), []);
  });

  it('still completes after ":" with blanks around (OpenSSL trims them), and in an unclosed string', () => {
    assert.equal(completeAndApply('ssl = { curveslist = "X25519: |" }', 'P-256'), 'ssl = { curveslist = "X25519: P-256" }');
    assert.equal(completeAndApply('ssl = { curveslist = "X25519:P|', 'P-256'), 'ssl = { curveslist = "X25519:P-256"');
    assert.ok(!labels('ssl = { ciphersuites = "TLS_AES_256_GCM_SHA384:|" }').includes('TLS_AES_256_GCM_SHA384'));
  });

  it('leaves cipher strings alone: there `,`, `;` and blanks separate words', () => {
    assert.ok(labels('ssl = { ciphers = "HIGH,|" }').includes('ECDHE'));
    assert.ok(labels('ssl = { ciphers = "HIGH |" }').includes('ECDHE'));
  });
});

describe('verify = "none" where verify-none-s2s fires', () => {
  it('comes last, marked, in tables servers connecting here read', () => {
    markedUnsafe('s2s_ssl = { verify = "|" }', 'none');
    markedUnsafe('s2s_ssl = { verify = | }', 'none');
    markedUnsafe('s2s_ssl = { verify = { | } }', 'none');
    markedUnsafe('VirtualHost "x"\n  ssl = { verify = "|" }', 'none');
    markedUnsafe('VirtualHost "x" { ssl = { verify = "|" } }', 'none');
    for (const line of ['0.9', '0.10', '0.11', '0.12'] as const) markedUnsafe('VirtualHost "x"\n  ssl = { verify = "|" }', 'none', line);
    // Before 0.12 any table reaching s2s: the global ssl too.
    markedUnsafe('ssl = { verify = "|" }', 'none', '0.11');
    markedUnsafe('ssl = { verify = "|" }', 'none', '0.10');
  });

  it('stays plain where the rule is silent', () => {
    plain('ssl = { verify = "|" }', 'none'); // 0.12+: Prosody's own s2s layer sits above the global ssl
    plain('c2s_ssl = { verify = "|" }', 'none');
    plain('client_https_ssl = { verify = "|" }', 'none');
    plain('s2s_ssl = { verify = { "peer", | } }', 'none'); // with another flag it is not "none" alone
    plain('s2s_ssl = { verify = "|" }', 'peer');
  });
});

describe('booleans the catalog marks unsafe (insecure-setting)', () => {
  it('come last and say why', () => {
    for (const name of ['c2s_require_encryption', 's2s_require_encryption', 'allow_unencrypted_plain_auth']) {
      const bad = getOption(name)?.unsafeValue;
      assert.ok(bad, name);
      markedUnsafe(`${name} = |`, String(bad.value));
      plain(`${name} = |`, String(!bad.value));
      assert.match(JSON.stringify(item(`${name} = |`, String(bad.value)).documentation), new RegExp(bad.why.slice(0, 20).replace(/[.*+?^${}()|[\]\\`]/g, '\\$&')));
    }
    markedUnsafe('VirtualHost "x" { c2s_require_encryption = | }', 'false');
  });

  it('other booleans are not marked, their default comes second (a reviewer: `false` sorted first)', () => {
    const { items } = complete('s2s_secure_auth = |');
    assert.deepEqual(items.map((i) => i.label), ['true', 'false']);
    assert.ok(items.every((i) => i.detail !== 'weakens security' && i.documentation === undefined));
    assert.ok(items[0]!.sortText! < items[1]!.sortText!);
  });
});

describe('list items only where the line reads the list', () => {
  it('no ciphersuites list before 0.12, which joins it only from then', () => {
    for (const line of ['0.10', '0.11'] as const) {
      assert.deepEqual(labels('ssl = { ciphersuites = { | } }', line), [], line);
      assert.deepEqual(labels('ssl = { ciphersuites = { "|" } }', line), [], line);
    }
    assert.ok(labels('ssl = { ciphersuites = { | } }', '0.12').includes('TLS_AES_256_GCM_SHA384'));
  });

  it('no curveslist, alpn or dane list on 0.9, which never hands those keys to LuaSec', () => {
    for (const marked of ['ssl = { curveslist = { | } }', 'ssl = { curveslist = { "|" } }', 'ssl = { alpn = { | } }', 'ssl = { dane = { | } }']) {
      assert.deepEqual(labels(marked, '0.9'), [], marked);
    }
    assert.ok(labels('ssl = { curveslist = { | } }', '0.10').includes('X25519'));
    assert.ok(labels('ssl = { alpn = { | } }', '0.10').includes('xmpp-client'));
  });

  it('no cipher words inside a ciphers list string on 0.9 either', () => {
    assert.deepEqual(labels('ssl = { ciphers = { "HIGH", "EC|" } }', '0.9'), []);
  });
});

describe('flag maps on 0.9, where LuaSec reads only a list', () => {
  it('offers list strings, not `x = true` entries', () => {
    for (const key of ['options', 'verifyext']) {
      const { items } = complete(`ssl = { ${key} = { ${key === 'options' ? 'no_ticket' : 'lsec_continue'} = true, | } }`, '0.9');
      assert.ok(items.length > 0, key);
      for (const it of items) assert.match((it.textEdit as { newText: string }).newText, /^"[^"]+"$/, `${key}: ${it.label}`);
    }
    assert.equal(completeAndApply('ssl = { options = { no_ticket = true, | } }', 'no_compression', '0.9'), 'ssl = { options = { no_ticket = true, "no_compression" } }');
    // From 0.10 the map goes on as a map.
    assert.equal(completeAndApply('ssl = { options = { no_ticket = true, | } }', 'no_compression', '0.10'), 'ssl = { options = { no_ticket = true, no_compression = true } }');
  });

  it('offers no boolean for an entry, nor a name in a `["x"] = …` key', () => {
    assert.deepEqual(labels('ssl = { options = { no_ticket = | } }', '0.9'), []);
    assert.deepEqual(labels('ssl = { options = { ["no_t|"] = true } }', '0.9'), []);
    assert.deepEqual(labels('ssl = { options = { no_ticket = | } }', '0.10'), ['true', 'false']);
    assert.ok(labels('ssl = { options = { ["no_t|"] = true } }', '0.10').includes('no_ticket'));
  });
});

describe('verify values', () => {
  it('fail_if_no_peer_cert comes after peer, client_once and none (a reviewer: offered high, then warned about)', () => {
    const items = complete('c2s_ssl = { verify = { "peer", "|" } }\n', '0.12').items.sort((a, b) => ((a.sortText ?? '') < (b.sortText ?? '') ? -1 : 1)).map((i) => i.label);
    assert.equal(items.at(-1), 'fail_if_no_peer_cert');
  });
});

describe('flags that switch a modern TLS version off', () => {
  it('sort after the flags an admin usually wants, and after the no-op ones (a real-editor review found them among the first)', () => {
    for (const text of ['ssl = { options = { "|" } }\n', 'ssl = { options = { | } }\n']) {
      const sort = new Map(complete(text, '13.0').items.map((i) => [i.label, i.sortText ?? i.label]));
      for (const off of ['no_tlsv1_2', 'no_tlsv1_3']) {
        for (const before of ['no_ticket', 'no_tlsv1', 'no_tlsv1_1', 'prioritize_chacha', 'single_dh_use']) {
          assert.ok(sort.get(off)! > sort.get(before)!, `${off} (${sort.get(off)}) should sort after ${before} (${sort.get(before)}) in ${text}`);
        }
      }
    }
  });
});
