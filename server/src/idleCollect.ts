// After the analysis of a large document V8 keeps its garbage (the parse, the rule runs, the diagnostics and their
// JSON) until the heap grows by its growing factor again, so each large config opened raises the heap the next one
// starts from: at 50 000 lines, five opens in a row took the server's peak RSS from ≈160 to ≈320 MB. A full collection
// once the server has been idle a moment returns it (the bench's peak: ≈245 MB). It needs `--expose-gc`
// (launchFlags.ts); without it (the server started by hand) nothing happens.

/** Documents below this many characters (≈ 8 000 lines) leave too little garbage to be worth a full collection. */
const LARGE = 256 * 1024;
const IDLE_MS = 300;

let timer: ReturnType<typeof setTimeout> | undefined;

/** Called once a document's diagnostics are published: collects when no other work follows for a moment. */
export function collectWhenIdle(textLength: number): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (textLength < LARGE || typeof gc !== 'function') return;
  clearTimeout(timer);
  timer = setTimeout(() => gc(), IDLE_MS);
  timer.unref();
}
