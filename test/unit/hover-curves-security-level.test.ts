// Groups under 112 bits (secp160r1, P-192, K-163, …): OpenSSL 3 at its default security level never uses them, so
// no rule reports them. Hover and completion say that, and mark nothing "weakens security" that no rule reports.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { getValueSet } from '../../server/src/service/catalog';
import { complete, hoverText, service } from '../helpers/cursor';

let n = 0;
function findingsOn(text: string, name: string): string[] {
  const doc = TextDocument.create(`file:///curves-level/${++n}/prosody.cfg.lua`, 'prosody', 1, text);
  return service
    .doValidation(doc, { prosodyVersion: '13.0', checkFiles: 'off' })
    .filter((d) => doc.getText(d.range).includes(name))
    .map((d) => String(d.code));
}

describe('curves below the default security level', () => {
  it('hover says OpenSSL never uses them at the default level, with no Security line promising a finding', () => {
    for (const marked of ['ssl = { curveslist = "X25519:secp1|60r1" }', 'ssl = { curveslist = { "X25519", "P-1|92" } }', 'ssl = { curveslist = "K-1|63" }']) {
      const h = hoverText(marked, '13.0') ?? '';
      assert.match(h, /default security level/, marked);
      assert.match(h, /@SECLEVEL=1/, marked);
      assert.doesNotMatch(h, /\*\*Security:\*\*/, marked);
    }
  });

  it('completion still offers them last, without "weakens security"', () => {
    const { items } = complete('ssl = { curveslist = "X25519:|" }', '13.0');
    const weak = items.find((i) => i.label === 'secp160r1');
    const good = items.find((i) => i.label === 'P-256');
    assert.ok(weak && good);
    assert.doesNotMatch(weak.detail ?? '', /weakens security/);
    assert.ok((good.sortText ?? '') < (weak.sortText ?? ''));
    assert.match(JSON.stringify(weak.documentation), /default security level/);
  });

  it('every curve completion marks as weakening security is one a rule reports', () => {
    for (const [key, set] of [['curveslist', getValueSet('curveslist')!], ['curve', getValueSet('curve')!]] as const) {
      const { items } = complete(`ssl = { ${key} = "|" }`, '13.0');
      for (const v of set.values) {
        const item = items.find((i) => i.label === v.name);
        if (!item || !/weakens security/.test(item.detail ?? '')) continue;
        const text = key === 'curve' ? `ssl = { curveslist = false, curve = "${v.name}" }` : `ssl = { curveslist = "X25519:${v.name}" }`;
        assert.notDeepEqual(findingsOn(text, v.name), [], `${key} ${v.name} is marked as weakening security, but no rule reports ${text}`);
      }
    }
  });
});
