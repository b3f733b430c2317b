// Disk questions a few at a time: each waits on a thread-pool round trip, so asking them one after another adds
// up their latencies, while asking hundreds at once queues them all (and their buffers) in memory.

/**
 * Calls `ask` on each item, at most `limit` at a time, until every item is asked or one answers false (then the
 * items not yet started are left). Resolves true when none answered false.
 */
export async function askAtOnce<T>(items: Iterable<T>, limit: number, ask: (item: T) => Promise<boolean | void>): Promise<boolean> {
  const queue = items[Symbol.iterator]();
  let ok = true;
  const worker = async (): Promise<void> => {
    for (let next = queue.next(); ok && !next.done; next = queue.next()) {
      if ((await ask(next.value)) === false) ok = false;
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, limit) }, worker));
  return ok;
}
