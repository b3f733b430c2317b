// unsafe-protocol on a global `ssl` that writes no protocol (0.10/0.11: the default "tlsv1+") is said only where the
// layers up to that table leave TLS 1.0 or 1.1 on; a host entry switching one back on is reported on that entry alone.
// A reviewer's Prosody 0.11.9 (LuaSec 1.0, OpenSSL 1.1.1w) with the configs below: TLS 1.0 only for the host that
// switched it back on, and TLS 1.1 on c2s only where a host's c2s_ssl did.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { createLanguageService } from '../../../server/src/service';

const KEYS = 'key = "k.pem"; certificate = "c.pem";';
const GLOBAL = `ssl = { ${KEYS} options = { "no_tlsv1", "no_tlsv1_1" }; }\n`;

function protocolFindings(text: string, line: '0.10' | '0.11'): string[] {
  const doc = TextDocument.create('file:///t/prosody.cfg.lua', 'prosody', 1, text);
  return createLanguageService()
    .doValidation(doc, { prosodyVersion: line })
    .filter((d) => d.code === 'unsafe-protocol')
    .map((d) => doc.getText(d.range));
}

for (const line of ['0.10', '0.11'] as const) {
  test(`${line}: a host switching TLS 1.0 back on is reported there, not on the global ssl that switches it off`, () => {
    assert.deepEqual(protocolFindings(`${GLOBAL}VirtualHost "a.example"\n  ssl = { ${KEYS} options = { no_tlsv1 = false }; }\n`, line), ['no_tlsv1']);
    assert.deepEqual(protocolFindings(`${GLOBAL}VirtualHost "a.example"\n  ssl = { ${KEYS} options = { no_tlsv1 = false }; }\nVirtualHost "b.example"\n`, line), ['no_tlsv1']);
    assert.deepEqual(protocolFindings(`${GLOBAL}VirtualHost "a.example"\n  c2s_ssl = { options = { no_tlsv1_1 = false } }\n`, line), ['no_tlsv1_1']);
    // The same version both ways (review 132, real 0.11.9: TLS 1.0 through the host's entry alone, TLS 1.1 off).
    assert.deepEqual(protocolFindings(`ssl = { ${KEYS} options = { "no_tlsv1" }; }\nVirtualHost "a.example"\n  ssl = { ${KEYS} options = { no_tlsv1 = false, "no_tlsv1_1" }; }\n`, line), ['no_tlsv1']);
  });

  test(`${line}: the global ssl's finding names only the old versions left on where it reaches`, () => {
    const text = `ssl = { ${KEYS} options = { "no_tlsv1", "no_tlsv1_1" }; }\nc2s_ssl = { options = { no_tlsv1 = false } }\nVirtualHost "a.example"\n`;
    const doc = TextDocument.create('file:///t/prosody.cfg.lua', 'prosody', 1, text);
    const found = createLanguageService().doValidation(doc, { prosodyVersion: line }).filter((d) => d.code === 'unsafe-protocol' && doc.getText(d.range) === 'ssl');
    assert.equal(found.length, 1);
    assert.match(String(found[0]!.message), /for client connections, which allows TLS 1\.0, a deprecated version/);
  });

  test(`${line}: the global ssl is still reported where a host takes the default with old versions on`, () => {
    assert.deepEqual(protocolFindings(`ssl = { ${KEYS} }\nVirtualHost "a.example"\n`, line), ['ssl']);
    assert.deepEqual(protocolFindings(`ssl = { ${KEYS} options = { "no_tlsv1" }; }\nVirtualHost "a.example"\n`, line), ['ssl']);
  });
}
