// Completion and hover while the file does not parse: the normal state while typing.
// Each row is a broken document (luaparse fails on it) with the cursor at `|` and what must still work.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { complete, docWithCursor, hoverText, service } from '../helpers/cursor';

interface Case {
  readonly name: string;
  readonly text: string;
  /** Labels that must be offered. */
  readonly offers?: readonly string[];
  /** Labels that must not be offered. */
  readonly notOffers?: readonly string[];
  /** Text the hover at the cursor must contain. */
  readonly hover?: string;
}

const CASES: readonly Case[] = [
  { name: 'unterminated global ssl table, cursor inside', text: 'ssl = {\n  |', offers: ['protocol', 'certificate'] },
  { name: 'unterminated table followed by more statements', text: 'ssl = {\n  |\n\nmodules_enabled = { "tls" }\n', offers: ['protocol'] },
  { name: 'half-typed key at end of file', text: 'ssl = {\n  prot|', offers: ['protocol'] },
  { name: 'half-typed key with code after the cursor', text: 'ssl = {\n  cert|\n  key = "a.key";\n}\nVirtualHost "a.example"\n', offers: ['certificate'], notOffers: ['key'] },
  { name: 'key with no value yet (string value)', text: 'ssl = {\n  protocol = "|\n}\n', offers: ['tlsv1_2+'] },
  { name: 'key with = and nothing else', text: 'ssl = {\n  protocol = |\n}\n', offers: ['tlsv1_2+'] },
  { name: 'key with = at end of file', text: 'ssl = { protocol = |', offers: ['tlsv1_3'] },
  { name: 'unterminated string at end of file', text: 'ssl = { protocol = "tls|', offers: ['tlsv1_2+'] },
  { name: 'unterminated string followed by more lines', text: 'ssl = {\n  protocol = "tl|\n  key = "x.key";\n}\n', offers: ['tlsv1_2+'] },
  { name: 'missing separator before the cursor line', text: 'ssl = {\n  key = "a.key"\n  |\n}\nmodules_enabled = {\n', offers: ['certificate'], notOffers: ['key'] },
  { name: 'missing separator between two keys elsewhere', text: 'ssl = {\n  key = "a.key"\n  certificate = "a.crt"\n  |\n}\nx = = 1\n', offers: ['protocol'], notOffers: ['certificate'] },
  { name: 'cursor at end of file in a VirtualHost table', text: 'VirtualHost "a.example"\n  ssl = {\n    key = "a.key";\n    |', offers: ['certificate'], notOffers: ['key'] },
  { name: 'options list unterminated', text: 'ssl = {\n  options = { "no_ticket", "|', offers: ['no_compression'], notOffers: ['no_ticket'] },
  { name: 'options list unterminated, no quote yet', text: 'ssl = {\n  options = { |', offers: ['no_ticket'] },
  { name: 'verify list, whole file broken later', text: 'ssl = { verify = { "|" } }\nfunction (\n', offers: ['peer'] },
  { name: 'syntax error before the table', text: 'x = = 2\nssl = {\n  |\n}\n', offers: ['protocol'] },
  { name: 'syntax error after the table', text: 'ssl = {\n  |\n}\nif then\n', offers: ['protocol'] },
  { name: 'statement start after a broken statement', text: 'modules_enabled = {\n  "tls",\n}\nc2s_req|\nfoo(', offers: ['c2s_require_encryption'] },
  { name: 'tls_profile value unterminated', text: 'tls_profile = "mo|', offers: ['modern'] },
  { name: 'tls_profile with = only, file broken', text: 'tls_profile = |\nssl = {', offers: ['intermediate'] },
  { name: 'VirtualHost section of an unterminated file is still scoped', text: 'VirtualHost "a.example"\n|\nc2s_ssl = {', offers: ['ssl'], notOffers: ['tls_profile', 'c2s_ssl'] },
  { name: 'unclosed global table then VirtualHost: scope recovers', text: 'ssl = {\n  key = "x";\nVirtualHost "b.example"\n  |', offers: ['ssl'], notOffers: ['tls_profile', 'protocol'] },
  { name: 'per-interface sub-table unterminated', text: 'https_ssl = {\n  ["127.0.0.1"] = {\n    |', offers: ['certificate'] },
  { name: 'curveslist segment, unterminated', text: 'ssl = { curveslist = "X25519:P-3|', offers: ['P-384'] },
  { name: 'map-style options, broken after', text: 'ssl = { options = { no_ticket = true, | }\n}}', offers: ['no_compression'] },
  { name: 'CRLF line ends and an unterminated table', text: 'ssl = {\r\n  protocol = "tlsv1_2+";\r\n  |\r\n', offers: ['certificate'], notOffers: ['protocol'] },
  { name: 'non-ASCII text before the cursor in a broken file', text: '-- Übersicht: TLS für ünsere Server 🚀\nssl = {\n  |', offers: ['protocol'] },
  { name: 'comment in an unterminated table offers nothing', text: 'ssl = {\n  -- pro|', notOffers: ['protocol'] },
  { name: 'hover on a key while the table is unterminated', text: 'ssl = {\n  proto|col = "tlsv1_2+";\n', hover: 'protocol' },
  { name: 'hover on a protocol value in a broken file', text: 'ssl = { protocol = "tlsv1_|2+" \nVirtualHost', hover: 'tlsv1_2+' },
  { name: 'hover on an option flag in an unterminated list', text: 'ssl = { options = { "no_tic|ket", ', hover: 'no_ticket' },
  { name: 'hover on tls_profile with a broken file after it', text: 'tls_pro|file = "modern"\nssl = {{', hover: 'tls_profile' },
  { name: 'hover on an option name in a host while the file is broken', text: 'VirtualHost "a.example"\n  s|sl = {\n', hover: 'ssl' },
  { name: 'Component chain header then an ssl table', text: 'Component "conf.example" "muc"\n  ssl = {\n    |', offers: ['certificate'] },
];

describe('broken documents: completion and hover still work', () => {
  it('has at least 30 cases, all of which really fail to parse', () => {
    assert.ok(CASES.length >= 30, `only ${CASES.length} cases`);
    for (const c of CASES) {
      const { doc } = docWithCursor(c.text);
      assert.equal(service.getModel(doc).parse.ok, false, `case parses, so it proves nothing: ${c.name}`);
    }
  });

  for (const c of CASES) {
    it(c.name, () => {
      if (c.offers || c.notOffers) {
        const got = complete(c.text).items.map((i) => i.label);
        for (const l of c.offers ?? []) assert.ok(got.includes(l), `expected ${l} in [${got.join(', ')}]`);
        for (const l of c.notOffers ?? []) assert.ok(!got.includes(l), `did not expect ${l}`);
      }
      if (c.hover) {
        const h = hoverText(c.text);
        assert.ok(h, 'expected a hover');
        assert.ok(h.includes(`**${c.hover}**`), `hover should document ${c.hover}: ${h.slice(0, 120)}`);
      }
    });
  }
});
