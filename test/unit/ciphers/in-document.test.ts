// The cipher engine inside the editor: rules on `ciphers`/`ciphersuites` values (with exact ranges
// and fixes), hover on the string and its words, and completion inside the string.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { complete, completeAndApply, hoverText, labels, service } from '../../helpers/cursor';

let n = 0;
function findings(text: string, line: '0.9' | '0.10' | '0.11' | '0.12' | '13.0' = '13.0') {
  const doc = TextDocument.create(`file:///ciphers/${++n}.cfg.lua`, 'prosody', 1, text);
  return service
    .doValidation(doc, { prosodyVersion: line })
    .filter((d) => String(d.code).startsWith('cipher-'))
    .map((d) => ({ code: String(d.code), text: text.slice(doc.offsetAt(d.range.start), doc.offsetAt(d.range.end)), message: typeof d.message === 'string' ? d.message : d.message.value, fixes: (d.data as { fixes?: Array<{ edits: Array<{ range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string }> }> } | undefined)?.fixes, doc }));
}

function applyFirstFix(f: ReturnType<typeof findings>[number]): string {
  return TextDocument.applyEdits(f.doc, f.fixes![0]!.edits);
}

describe('cipher rules', () => {
  it('a string selecting nothing on OpenSSL 3 is an error (LuaSec cannot create the context)', () => {
    const f = findings('ssl = { ciphers = "RC4-SHA" }');
    assert.deepEqual(f.map((x) => [x.code, x.text]), [['cipher-selects-nothing', '"RC4-SHA"'], ['cipher-obsolete-word', 'RC4-SHA']]);
    assert.match(f[0]!.message, /no cipher match/);
  });

  it('a string OpenSSL rejects for syntax is an error; a valid one is not', () => {
    assert.equal(findings('ssl = { ciphers = "HIGH:3DES*" }')[0]?.code, 'cipher-selects-nothing');
    assert.deepEqual(findings('ssl = { ciphers = "ECDHE+AESGCM:ECDHE+CHACHA20" }'), []);
  });

  it('weak suites: names them and appends the exclusions; quiet once excluded', () => {
    const f = findings('ssl = { ciphers = "HIGH:@SECLEVEL=0" }').find((x) => x.code === 'cipher-weak-suites')!;
    assert.match(f.message, /anonymous/);
    assert.equal(applyFirstFix(f), 'ssl = { ciphers = "HIGH:@SECLEVEL=0:!aNULL" }');
    assert.equal(findings('ssl = { ciphers = "HIGH:@SECLEVEL=0:!aNULL" }').filter((x) => x.code === 'cipher-weak-suites').length, 0);
  });

  it('anonymous and NULL suites a string selects are not reported at OpenSSL\'s security level (1+: never used)', () => {
    // `openssl ciphers -s HIGH` lists no ADH/AECDH suite; a handshake offering only aNULL gets "no shared cipher".
    for (const text of ['ssl = { ciphers = "HIGH" }', 'ssl = { ciphers = "HIGH:!MD5" }', 'ssl = { ciphers = "ALL:+RSA" }', 'ssl = { ciphers = "@SECLEVEL=2:ALL" }']) {
      assert.deepEqual(findings(text).filter((x) => x.code === 'cipher-weak-suites'), [], text);
    }
  });

  it('a string that selects only suites the security level refuses: TLS 1.2 handshakes fail, so it is reported', () => {
    for (const text of ['ssl = { ciphers = "eNULL" }', 'ssl = { ciphers = "aNULL" }']) {
      const f = findings(text).find((x) => x.code === 'cipher-weak-suites')!;
      assert.ok(f, text);
      assert.match(f.message, /TLS 1\.2 and older handshakes fail/);
      // TLS 1.3 may be off in this very table (`protocol = "tlsv1_2"`): the message must not promise it connects.
      assert.match(f.message, /only TLS 1\.3, where the protocol setting allows it, still connects/);
      assert.equal(applyFirstFix(f), 'ssl = { ciphers = "ECDHE+AESGCM:ECDHE+CHACHA20" }');
    }
  });

  it('weak-suite fix on a list adds an item', () => {
    const f = findings('ssl = { ciphers = { "HIGH", "!kRSA", "@SECLEVEL=0" } }').find((x) => x.code === 'cipher-weak-suites')!;
    assert.equal(applyFirstFix(f), 'ssl = { ciphers = { "HIGH", "!kRSA", "@SECLEVEL=0", "!aNULL" } }');
  });

  it('a list written with [n] = keys gets the next [n] (a reviewer: a positional entry replaced the first item)', () => {
    const f = findings('ssl = { ciphers = { [1] = "HIGH", [2] = "!aNULL" } }').find((x) => x.code === 'cipher-static-rsa')!;
    assert.equal(applyFirstFix(f), 'ssl = { ciphers = { [1] = "HIGH", [2] = "!aNULL", [3] = "!kRSA" } }');
  });

  it('static RSA is information with a !kRSA fix; no forward secrecy first is reported where the server\'s order counts', () => {
    // 0.11: the default options hold cipher_server_preference.
    assert.deepEqual(findings('ssl = { ciphers = "AES256-GCM-SHA384:ECDHE+AESGCM" }', '0.11').map((x) => x.code).sort(), ['cipher-no-forward-secrecy-first', 'cipher-static-rsa']);
    // 0.12+: the intermediate and modern presets switch it off, so the client's order decides (a reviewer).
    assert.deepEqual(findings('ssl = { ciphers = "AES256-GCM-SHA384:ECDHE+AESGCM" }').map((x) => x.code), ['cipher-static-rsa']);
    assert.deepEqual(findings('ssl = { ciphers = "AES256-GCM-SHA384:ECDHE+AESGCM", options = { cipher_server_preference = true } }').map((x) => x.code).sort(), ['cipher-no-forward-secrecy-first', 'cipher-static-rsa']);
    assert.deepEqual(findings('tls_profile = "old"\nssl = { ciphers = "AES256-GCM-SHA384:ECDHE+AESGCM" }').map((x) => x.code).sort(), ['cipher-no-forward-secrecy-first', 'cipher-static-rsa']);
    assert.deepEqual(findings('ssl = { ciphers = "AES256-GCM-SHA384:ECDHE+AESGCM", options = { cipher_server_preference = false } }', '0.11').map((x) => x.code), ['cipher-static-rsa']);
    const f = findings('ssl = { ciphers = "AES256-GCM-SHA384:ECDHE+AESGCM" }', '0.11');
    assert.equal(applyFirstFix(f.find((x) => x.code === 'cipher-static-rsa')!), 'ssl = { ciphers = "AES256-GCM-SHA384:ECDHE+AESGCM:!kRSA" }');
    assert.deepEqual(findings('ssl = { ciphers = "ECDHE+AESGCM:AES256-GCM-SHA384" }').map((x) => x.code), ['cipher-static-rsa']);
  });

  it('when every suite selected is one to exclude, no exclusion is offered (it would select nothing): forward-secret suites instead', () => {
    for (const [text, code] of [
      ['ssl = { ciphers = "AES256-GCM-SHA384:AES128-GCM-SHA256" }', 'cipher-static-rsa'],
      ['ssl = { ciphers = { "RSA+AESGCM" } }', 'cipher-static-rsa'],
      ['ssl = { ciphers = { "AES128-SHA", "AES256-SHA" } }', 'cipher-static-rsa'],
      ['ssl = { ciphers = "eNULL:@SECLEVEL=0" }', 'cipher-weak-suites'],
    ] as const) {
      const f = findings(text).find((x) => x.code === code)!;
      assert.ok(f, text);
      assert.match(f.message, /would leave none/);
      assert.equal(f.fixes?.length, 1, text);
      const fixed = applyFirstFix(f);
      assert.equal(fixed, 'ssl = { ciphers = "ECDHE+AESGCM:ECDHE+CHACHA20" }');
      assert.deepEqual(findings(fixed), [], fixed);
    }
  });

  it('the forward-secret replacement keeps a security level the string set (review 140: dropping @SECLEVEL=4 let a weaker suite in)', () => {
    for (const [text, kept] of [
      ['ssl = { ciphers = "AES256-GCM-SHA384:AES128-GCM-SHA256:@SECLEVEL=3" }', 'ECDHE+AESGCM:ECDHE+CHACHA20:@SECLEVEL=3'],
      ['ssl = { ciphers = { "@SECLEVEL=4", "RSA+AESGCM" } }', 'ECDHE+AESGCM:ECDHE+CHACHA20:@SECLEVEL=4'],
      ['ssl = { ciphers = "@SECLEVEL=3:AES256-GCM-SHA384:@SECLEVEL=1" }', 'ECDHE+AESGCM:ECDHE+CHACHA20:@SECLEVEL=1'],
    ] as const) {
      // (At level 3 the static-RSA suites are refused too: then every suite is unusable, cipher-weak-suites.)
      const f = findings(text).find((x) => x.code === 'cipher-static-rsa' || x.code === 'cipher-weak-suites')!;
      assert.ok(f, text);
      assert.equal(applyFirstFix(f), `ssl = { ciphers = "${kept}" }`, text);
    }
  });

  it('completion: keywords that select nothing on OpenSSL 3 (MEDIUM, LOW) come last and say so', () => {
    const items = complete('ssl = { ciphers = "|" }').items;
    const sorted = [...items].sort((a, b) => (a.sortText ?? a.label).localeCompare(b.sortText ?? b.label)).map((i) => i.label);
    for (const word of ['MEDIUM', 'LOW']) {
      const it = items.find((i) => i.label === word)!;
      assert.match(it.detail ?? '', /selects nothing on OpenSSL 3/);
      assert.ok(sorted.indexOf(word) > sorted.indexOf('ECDHE-RSA-AES128-GCM-SHA256'), `${word} after the suites`);
      // Written alone it is the error the detail warns of.
      assert.ok(findings(`ssl = { ciphers = "${word}" }`).some((x) => x.code === 'cipher-selects-nothing'));
    }
    assert.doesNotMatch(items.find((i) => i.label === 'HIGH')!.detail ?? '', /selects nothing/);
  });

  it('unknown words get the exact range; exclusions of removed algorithms stay quiet', () => {
    const f = findings('ssl = { ciphers = "ECDHE+AESGCM:HIHG:!RC4:!MD5" }');
    assert.deepEqual(f.map((x) => [x.code, x.text]), [['cipher-unknown-word', 'HIHG']]);
  });

  it("13.0: a host's direct-TLS ciphers are the port's (sni-setting-ignored), so a misspelt or removed word there changes nothing; 0.12 uses them", () => {
    const text = 'c2s_direct_tls_ports = { 5223 }\nVirtualHost "a.example"\n  c2s_direct_tls_ssl = { ciphers = "ECDHE+AESGCM:HIHG:RC4" }\n';
    assert.deepEqual(findings(text, '13.0').map((x) => [x.code, x.text]), []);
    assert.deepEqual(findings(text, '0.12').map((x) => [x.code, x.text]), [['cipher-unknown-word', 'HIHG'], ['cipher-obsolete-word', 'RC4']]);
    // A string that selects nothing still costs the host its own context, on every line.
    assert.deepEqual(findings(text.replace('ECDHE+AESGCM:HIHG:RC4', 'RC4'), '13.0').map((x) => x.code), ['cipher-selects-nothing']);
  });

  it('a positive obsolete word is a hint; a list item word maps into its own string', () => {
    const f = findings('ssl = { ciphers = { "ECDHE+AESGCM", "EECDH+aRSA+RC4" } }');
    assert.ok(f.some((x) => x.code === 'cipher-obsolete-word' && x.text === 'RC4'), JSON.stringify(f.map((x) => [x.code, x.text])));
  });

  it('an obsolete word inside a +-joined term says to remove the whole term', () => {
    const joined = findings('ssl = { ciphers = "ECDHE+AESGCM:EECDH+aRSA+RC4" }').find((x) => x.code === 'cipher-obsolete-word')!;
    assert.equal(joined.text, 'RC4');
    assert.match(joined.message, /The term "EECDH\+aRSA\+RC4" .* remove the whole term/);
    const alone = findings('ssl = { ciphers = "ECDHE+AESGCM:RC4" }').find((x) => x.code === 'cipher-obsolete-word')!;
    assert.match(alone.message, /It can be removed\.$/);
    const moved = findings('ssl = { ciphers = "ECDHE+AESGCM:+RC4" }').find((x) => x.code === 'cipher-obsolete-word')!;
    assert.match(moved.message, /It can be removed\.$/, 'a leading + moves a word; it joins nothing');
  });

  it('leaves ciphersuites and TLS 1.3-only ciphers to the invalid rules (no double report)', () => {
    const all = (t: string) => { const d = TextDocument.create(`file:///ciphers/${++n}.cfg.lua`, 'prosody', 1, t); return service.doValidation(d, { prosodyVersion: '13.0' }).map((x) => String(x.code)); };
    assert.deepEqual(all('ssl = { ciphersuites = "TLS_AES_128_GCM_SHA256:TLS_AES_999" }'), ['suite-skipped']);
    assert.deepEqual(all('ssl = { ciphersuites = "bogus" }'), ['wrong-suite-kind']);
    assert.deepEqual(all('ssl = { ciphers = "TLS_AES_128_GCM_SHA256" }'), ['wrong-suite-kind']);
    assert.deepEqual(all('ssl = { ciphers = "TLS_AES_128_GCM_SHA256:RC4" }').sort(), ['cipher-obsolete-word', 'cipher-selects-nothing', 'suite-skipped']);
  });

  it('does not evaluate computed values (concatenation, variables)', () => {
    assert.deepEqual(findings('local c = "RC4"\nssl = { ciphers = c .. ":HIGH" }'), []);
  });
});

describe('cipher hover', () => {
  it('lists what the string selects, and explains the word under the cursor', () => {
    const md = hoverText('ssl = { ciphers = "ECDHE+AESGCM:!aN|ULL" }')!;
    assert.match(md, /^\*\*aNULL\*\* — /);
    assert.match(md, /\*\*Cipher string\*\* — selects 4 TLS 1\.2-and-older suites on OpenSSL 3\.0/);
    assert.match(md, /\| 1 \| `ECDHE-ECDSA-AES256-GCM-SHA384` \| TLSv1\.2 \|/);
    assert.match(md, /`ciphersuites` key sets them/);
  });

  it('counts as weak what cipher-weak-suites reports: suites the security level never uses are said to be unused (a reviewer)', () => {
    // HIGH selects the anonymous ADH/AECDH suites, which OpenSSL's default security level never uses.
    const md = hoverText('ssl = { ciphers = "HI|GH" }')!;
    assert.doesNotMatch(md, /⚠ \d+ weak/);
    const unused = Number(/(\d+) that OpenSSL's security level never uses/.exec(md)?.[1]);
    assert.ok(unused > 0, md);
    assert.match(md, /anonymous: never used at this security level/);
    assert.doesNotMatch(md, /⚠ anonymous/);
    // With @SECLEVEL=0 they are usable, and weak.
    const zero = hoverText('ssl = { ciphers = "HI|GH:@SECLEVEL=0" }')!;
    assert.equal(Number(/⚠ (\d+) weak\./.exec(zero)?.[1]), unused);
    assert.match(zero, /⚠ anonymous/);
  });

  it('explains an A+B word by every part, and ends a long list of suites with how many more (a reviewer)', () => {
    const md = hoverText('ssl = { ciphers = "HIG|H+kEDH:HIGH" }')!;
    assert.match(md, /^\*\*HIGH\+kEDH\*\* — the suites that match every part: `HIGH` \(high strength.*\); `kEDH` \(ephemeral finite-field Diffie-Hellman/);
    assert.match(md, /Here it added \d+ suites: (`[^`]+`, ){5}`[^`]+` and \d+ more\./);
    assert.doesNotMatch(md, /…\./);
  });

  it('says when nothing is selected', () => {
    assert.match(hoverText('ssl = { ciphers = "RC|4" }')!, /selects no suite/);
  });

  it('says a TLS 1.3 suite name in ciphers belongs in ciphersuites', () => {
    assert.match(hoverText('ssl = { ciphers = "HIGH:TLS_AES_128_GCM|_SHA256" }')!, /A TLS 1\.3 suite: `ciphers` never selects it/);
    assert.doesNotMatch(hoverText('ssl = { ciphers = "ECDHE-RSA-AES128-GCM|-SHA256" }')!, /A TLS 1\.3 suite/);
  });

  it('shows the TLS 1.3 suites of ciphersuites', () => {
    assert.match(hoverText('ssl = { ciphersuites = "TLS_AES_256_GCM_SHA3|84:TLS_AES_128_GCM_SHA256" }')!, /2 offered/);
  });

  // A reviewer's runs on OpenSSL 3.0.22: a TLS 1.2 standard name is taken for TLS 1.2; an empty list leaves TLS 1.3 none.
  it('lists a TLS 1.2 suite named in ciphersuites apart, and says when TLS 1.3 has no suite', () => {
    const mixed = hoverText('ssl = { ciphersuites = "TLS_AES_256_GCM_SHA3|84:TLS_RSA_WITH_AES_128_CBC_SHA" }')!;
    assert.match(mixed, /1 offered/);
    assert.match(mixed, /offers to TLS 1\.2 clients ahead of the `ciphers` list: `TLS_RSA_WITH_AES_128_CBC_SHA` \(`AES128-SHA`\)/);
    assert.match(hoverText('ssl = { ciphersuites = "TLS_RSA_WITH_AES_128_CBC_SH|A" }')!, /TLS 1\.3 suites\*\* — none/);
  });

  it('gives the reason OpenSSL gives for a string it rejects', () => {
    assert.match(hoverText('ssl = { ciphers = "HIGH:AES_|X" }')!, /error setting cipher list \(invalid command\)/);
    assert.match(hoverText('ssl = { ciphers = "RC|4" }')!, /error setting cipher list \(no cipher match\)/);
  });
});

describe('cipher completion', () => {
  it('offers keywords after ! and replaces just the word', () => {
    assert.equal(completeAndApply('ssl = { ciphers = "HIGH:!a|" }', 'aNULL'), 'ssl = { ciphers = "HIGH:!aNULL" }');
  });
  it('keeps the - prefix and the rest of the string', () => {
    assert.equal(completeAndApply('ssl = { ciphers = "HIGH:-AES|:!aNULL" }', 'AESGCM'), 'ssl = { ciphers = "HIGH:-AESGCM:!aNULL" }');
  });
  it('completes after + and offers suite names', () => {
    assert.equal(completeAndApply('ssl = { ciphers = "ECDHE+|" }', 'CHACHA20'), 'ssl = { ciphers = "ECDHE+CHACHA20" }');
    assert.ok(labels('ssl = { ciphers = "|" }').includes('ECDHE-RSA-AES128-GCM-SHA256'));
  });
  it('offers DEFAULT only as the first word', () => {
    assert.ok(labels('ssl = { ciphers = "|" }').includes('DEFAULT'));
    assert.ok(!labels('ssl = { ciphers = "HIGH:|" }').includes('DEFAULT'));
  });
});

describe('advice that is itself clean', () => {
  it('the cipher string cipher-selects-nothing suggests draws no cipher finding on any line', () => {
    for (const bad of ['HIGH:!aNULL:!(', 'NOTHING_MATCHES_THIS']) {
      const [f] = findings(`ssl = { ciphers = "${bad}" }\n`).filter((x) => x.code === 'cipher-selects-nothing');
      assert.ok(f, bad);
      const example = /e\.g\. "([^"]+)"/.exec(f.message)?.[1];
      assert.ok(example, f.message);
      for (const line of ['0.9', '0.12', '13.0'] as const) assert.deepEqual(findings(`ssl = { ciphers = "${example}" }\n`, line).map((x) => x.code), [], `${example} on ${line}`);
    }
  });
});
