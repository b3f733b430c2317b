// Hover and completion documentation end with a link labelled by what it opens: a reader clicking
// "Prosody documentation" must land on prosody.im, not on an OpenSSL man page or the LuaSec wiki.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { configOptions, sslKeys, valueSets } from '../../server/src/service/catalog';
import { linkLabel, optionMarkdown, sslKeyMarkdown, valueMarkdown } from '../../server/src/service/docs';
import { hoverText } from '../helpers/cursor';

const LINK = /\[([^\]]+)\]\((https?:[^)\s]+)\)/g;

describe('documentation link labels', () => {
  it('hover on keys documented elsewhere names OpenSSL or LuaSec', () => {
    for (const [text, label] of [
      ['ssl = { curves|list = "X25519" }', 'OpenSSL manual: SSL_CTX_set1_curves'],
      ['ssl = { ciphersu|ites = "x" }', 'OpenSSL manual: SSL_CTX_set_cipher_list'],
      ['ssl = { certifica|tes = {} }', 'LuaSec wiki'],
      ['ssl = { al|pn = "xmpp-client" }', 'LuaSec wiki'],
      ['ssl = { mo|de = "server" }', 'LuaSec wiki'],
      ['ssl = { p|sk = "x" }', 'LuaSec wiki'],
    ] as const) {
      const md = hoverText(text) ?? '';
      const links = [...md.matchAll(LINK)];
      assert.ok(links.length > 0, text);
      assert.ok(links.some((m) => m[1] === label), `${text}: ${links.map((m) => m[1]).join(', ')}`);
      assert.ok(!md.includes('[Prosody documentation]'), text);
    }
  });

  it('every catalog link is labelled by its site', () => {
    const mds = [
      ...sslKeys.map((k) => sslKeyMarkdown(k, '13.0')),
      ...configOptions.map((o) => optionMarkdown(o, '13.0')),
      ...valueSets.flatMap((s) => s.values.map((v) => valueMarkdown(s, v, '13.0'))),
    ];
    let seen = 0;
    for (const md of mds) {
      for (const [, label, url] of md.matchAll(LINK)) {
        seen++;
        const host = new URL(url!).hostname;
        if (label === 'Prosody documentation') assert.equal(host, 'prosody.im', url);
        if (label!.startsWith('OpenSSL')) assert.equal(host, 'docs.openssl.org', url);
        if (label!.startsWith('LuaSec')) assert.match(url!, /github\.com\/lunarmodules\/luasec/);
        assert.notEqual(label, 'Documentation', `${url} gets a label of its own`);
      }
    }
    assert.ok(seen > 50, `links seen: ${seen}`);
  });

  it('labels the sites the catalog links to', () => {
    assert.equal(linkLabel('https://prosody.im/doc/certificates'), 'Prosody documentation');
    assert.equal(linkLabel('https://docs.openssl.org/3.0/man3/SSL_CTX_set_options/'), 'OpenSSL manual: SSL_CTX_set_options');
    assert.equal(linkLabel('https://github.com/lunarmodules/luasec/wiki'), 'LuaSec wiki');
    assert.equal(linkLabel('https://xmpp.org/extensions/xep-0368.html'), 'XEP-0368');
    assert.equal(linkLabel('https://www.iana.org/assignments/tls-extensiontype-values/tls-extensiontype-values.xhtml#alpn-protocol-ids'), 'IANA registry');
    assert.equal(linkLabel('https://www.rfc-editor.org/rfc/rfc8996'), 'RFC 8996');
    assert.equal(linkLabel('https://example.org/x'), 'Documentation');
  });
});
