// Node flags the language server is started with, shared by the VS Code client, the tests that spawn the
// server and the benchmark, so what is measured is what ships.
//
// Why: V8's defaults suit throughput, not a long-lived editor helper. Each analysis of a large config leaves
// garbage (the parse, the diagnostics, their JSON), and by default V8 lets the young generation grow to 16 MB
// per semi-space and the old generation to several times the live heap before collecting it. With a 1 MB
// semi-space and the old generation grown by 20 % over what survives, the peak RSS of a 10 000-line config
// drops from ≈125 MB to ≈95 MB (measured when these were chosen), for more frequent collections: about 10 % more time
// per analysis at 10 000 lines, up to a third more on far larger files (README, Performance).
// Both are V8 options, accepted on Node's command line since V8 7 (2019). VS Code forks the server with its
// Electron binary run as Node, which passes V8 options through the same way (as for tsserver's
// --max-old-space-size); the editor suite checks the flags reach the real server process. `--expose-gc` lets the
// server collect once idle after analysing a large document (idleCollect.ts).
export const SERVER_EXEC_ARGV: readonly string[] = ['--max-semi-space-size=1', '--heap-growing-percent=20', '--expose-gc'];
