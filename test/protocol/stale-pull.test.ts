// A pull for a version the client has already left must not be answered with that version's diagnostics: the
// client then shows errors about text that is gone (a reviewer typing in a real editor). Here the change is written
// right behind the request, in the same write, and reaches the server while it validates (the global line changes, so a few thousand
// lines are checked again); the server must see it before it answers. (A change that arrives after the answer was
// sent is the client's to sort out: no server can see it in time.)
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { generateConfig } from '../../bench/generate';
import { startServer } from '../helpers/lspServer';

const CAPABILITIES = { textDocument: { diagnostic: {} } };
// A document with no file behind it: its file checks answer without a turn of the event loop.
const URI_ = 'untitled:Untitled-1';
// The line the user fixes, and back (a host of the generated config does not require encryption: it is reported).
const TYPO = 'allow_unencrypted_plain_auth = true';
const FIXED = 'allow_unencrypted_plain_auth = false';

describe('pull diagnostics and a change right behind the request', () => {
  it('the pull for the left version is cancelled for a retrigger, never answered with its findings', async () => {
    const server = await startServer({ prosodyVersion: '13.0' }, CAPABILITIES);
    try {
      const text = `${TYPO}\n${generateConfig(4000)}`;
      await server.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: URI_, languageId: 'prosody', version: 1, text } });
      const firstLine = (to: string, version: number) => ({ textDocument: { uri: URI_, version }, contentChanges: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: (to === TYPO ? FIXED : TYPO).length } }, text: to }] });
      const typo = (items: Array<{ code: string; range: { start: { line: number } } }>): boolean => items.some((d) => d.code === 'insecure-setting' && d.range.start.line === 0);
      let stale = 0;
      const staleAt: number[] = [];
      let retriggered = 0;
      for (let v = 2; v < 22; v += 2) {
        // The request and the change reach the server in one write: written one after the other, a loaded machine
        // could run the whole validation between them, and the change then came after the answer (two of ten pulls
        // in one clean-clone run while other work loaded the machine).
        server.hold();
        const pull = server.conn.sendRequest<{ items: Array<{ code: string; range: { start: { line: number } } }> }>('textDocument/diagnostic', { textDocument: { uri: URI_ } }).then(
          (r) => (typo(r.items) ? 'stale' : 'current'),
          (e: { code?: number; data?: { retriggerRequest?: boolean } }) => (e.code === -32802 && e.data?.retriggerRequest ? 'retrigger' : `error ${e.code}`),
        );
        await server.conn.sendNotification('textDocument/didChange', firstLine(FIXED, v));
        server.release();
        const got = await pull;
        if (got === 'stale') {
          stale++;
          staleAt.push(v);
        }
        else if (got === 'retrigger') retriggered++;
        else assert.equal(got, 'current');
        // Back to the typo for the next round.
        await server.conn.sendNotification('textDocument/didChange', firstLine(TYPO, v + 1));
      }
      // Without the server's wait for messages already received, all ten are.
      assert.ok(stale === 0, `${stale} of 10 pulls (versions ${staleAt.join(', ')}) answered with the findings of a version the client had left`);
      assert.ok(retriggered > 0, 'no pull was in flight when the change came: the test would not test it');
      // The current version's pull is answered.
      const now = await server.conn.sendRequest<{ items: Array<{ code: string; range: { start: { line: number } } }> }>('textDocument/diagnostic', { textDocument: { uri: URI_ } });
      assert.ok(typo(now.items));
      assert.equal(server.exited(), false, server.stderr());
    } finally {
      await server.stop();
    }
  });
});
