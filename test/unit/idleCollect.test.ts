// The server collects garbage once idle after a large document's analysis (server/src/idleCollect.ts), and only then.
import { strict as assert } from 'node:assert';
import { afterEach, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { collectWhenIdle } from '../../server/src/idleCollect';

const g = globalThis as { gc?: () => void };

describe('collectWhenIdle', () => {
  const had = g.gc;
  afterEach(() => {
    g.gc = had;
  });

  it('collects once, after the last of several large analyses in a row', async () => {
    let calls = 0;
    g.gc = () => calls++;
    collectWhenIdle(400_000);
    await sleep(100);
    collectWhenIdle(400_000); // more work came: the collection waits for it to end
    await sleep(250);
    assert.equal(calls, 0);
    await sleep(200);
    assert.equal(calls, 1);
  });

  it('leaves small documents to V8', async () => {
    let calls = 0;
    g.gc = () => calls++;
    collectWhenIdle(30_000);
    await sleep(450);
    assert.equal(calls, 0);
  });

  it('does nothing where the process has no gc (started without --expose-gc)', async () => {
    g.gc = undefined;
    assert.doesNotThrow(() => collectWhenIdle(400_000));
    await sleep(400);
  });
});
