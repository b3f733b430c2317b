// Property tests over random realistic configs and random edits: every request at every offset
// never throws, answers within a bound, and returns only ranges inside the document; incremental
// sync (TextDocument.update with ranges) yields the same text and the same diagnostics as the full
// text. Fixed seed in CI; PROSODY_SSL_SOAK=1 for a long soak.
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { createLanguageService, DEFAULT_SETTINGS } from '../../../server/src/service';
import { everyRequest, timed } from '../hardening/check';
import { configText, edit, resolveEdit, runs } from './arbitraries';

/**
 * Per request at one offset (completion + hover + diagnostics + code actions), on a cached model: a bound that catches a
 * hang or a runaway, not a speed test (speed is the bench's). 250 ms failed once on a 2-core machine busy with another
 * test run beside this one; a hang takes seconds.
 */
const BOUND_MS = 1000;
let n = 0;

test('every request at every offset of a random config: no throw, bounded, ranges inside', () => {
  const service = createLanguageService();
  fc.assert(
    fc.property(configText, (text) => {
      const doc = TextDocument.create(`file:///prop/${++n}/prosody.cfg.lua`, 'prosody', 1, text);
      for (let off = 0; off <= text.length; off++) {
        const t = timed(() => everyRequest(service, doc, off));
        assert.ok(t.ms < BOUND_MS, `requests at ${off} took ${t.ms.toFixed(0)} ms`);
      }
      service.forget(doc.uri);
    }),
    runs(40),
  );
});

test('random edits: every version answers at random offsets; incremental sync equals the full text', () => {
  const service = createLanguageService();
  fc.assert(
    fc.property(configText, fc.array(edit, { minLength: 1, maxLength: 15 }), fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 3, maxLength: 6 }), (start, edits, probes) => {
      const uri = `file:///prop/${++n}/prosody.cfg.lua`;
      let doc = TextDocument.create(uri, 'prosody', 1, start);
      let full = start;
      for (const e of edits) {
        const r = resolveEdit(full, e);
        const range = { start: doc.positionAt(r.start), end: doc.positionAt(r.end) };
        doc = TextDocument.update(doc, [{ range, text: r.text }], doc.version + 1);
        full = full.slice(0, r.start) + r.text + full.slice(r.end);
        assert.equal(doc.getText(), full, 'incremental sync diverged from the full text');
        for (const p of probes) everyRequest(service, doc, Math.floor(p * (full.length + 1)));
      }
      // The service's answer for the incrementally synced version equals a fresh full-text document's. One that does
      // not parse also holds the last parsed version's findings that still fit (LastParsed; broken-keeps-findings
      // test): the fresh answer, its syntax error, is then among them.
      const fresh = TextDocument.create(uri + '#full', 'prosody', 1, full);
      const strip = (ds: ReturnType<typeof service.doValidation>): string[] => ds.map((d) => JSON.stringify([d.code, d.range, d.message]));
      const got = strip(service.doValidation(doc, DEFAULT_SETTINGS));
      const want = strip(service.doValidation(fresh, DEFAULT_SETTINGS));
      if (service.getModel(doc).configIsCurrent) assert.deepEqual(got, want);
      else assert.deepEqual(got.slice(0, want.length), want);
      service.forget(uri);
      service.forget(fresh.uri);
    }),
    runs(60),
  );
});

test('a version change is seen: the model follows the newest text, never a stale one', () => {
  const service = createLanguageService();
  fc.assert(
    fc.property(configText, edit, (text, e) => {
      const uri = `file:///prop/${++n}/prosody.cfg.lua`;
      const v1 = TextDocument.create(uri, 'prosody', 1, text);
      const m1 = service.getModel(v1);
      assert.equal(service.getModel(v1), m1, 'same version: same model (no re-parse)');
      const r = resolveEdit(text, e);
      const v2 = TextDocument.update(v1, [{ range: { start: v1.positionAt(r.start), end: v1.positionAt(r.end) }, text: r.text }], 2);
      const m2 = service.getModel(v2);
      assert.equal(m2.version, 2);
      assert.equal(m2.text, v2.getText());
      service.forget(uri);
    }),
    runs(100),
  );
});
