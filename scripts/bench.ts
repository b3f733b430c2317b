// Benchmark (not a test): `npm run bench` (builds dist/ first). Measures, for generated configs of
// 100 … 50 000 lines, one bare luaparse parse as the baseline and against it: building the model,
// full diagnostics, completion and hover on a cached model; then over stdio the bundled server's
// didChange → diagnostics latency and peak RSS; then the CLI against `prosodyctl check config`.
// Options: --write (rewrite the results block of README.md), BENCH_SIZES=100,1000 to pick sizes.
import { extractBlock, spliceBlock } from '../server/src/service/markedBlock';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as luaparse from 'luaparse';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import type { PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { generateConfig, rng } from '../bench/generate';
import { createLanguageService, DEFAULT_SETTINGS } from '../server/src/service';
import { FileCache } from '../server/src/service/files';
import { buildDocument } from '../server/src/service/model/document';
import { SERVER_EXEC_ARGV } from '../server/src/launchFlags';

const ROOT = process.cwd();
const SIZES = (process.env.BENCH_SIZES ?? '100,1000,10000,50000').split(',').map(Number);
const runsFor = (lines: number): number => (lines <= 1000 ? 60 : lines <= 10000 ? 20 : 9);

interface Stat {
  median: number;
  p95: number;
}

function stat(xs: number[]): Stat {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number): number => s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)]!;
  return { median: q(0.5), p95: q(0.95) };
}

/**
 * Samples run back to back, as requests do in the long-lived server, and the median is reported: a
 * garbage collection lands in some samples, as it would there. (Forcing a full collection before each
 * sample was tried: V8 then shrinks the heap and every sample pays for growing it again, the baseline
 * parse included, which measures V8's heap sizing more than this code.)
 */
function time(runs: number, fn: () => unknown): Stat {
  return timeEach(runs, () => undefined, fn);
}

/** Like `time`, with an untimed `prepare` before each sample whose result the timed part gets. */
function timeEach<T>(runs: number, prepare: () => T, fn: (x: T) => unknown): Stat {
  // Warm-up (JIT): at least 5 runs and 300 ms, at most 50 runs.
  const warm = performance.now();
  for (let i = 0; i < 50 && (i < 5 || performance.now() - warm < 300); i++) fn(prepare());
  const xs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const x = prepare();
    const t = performance.now();
    fn(x);
    xs.push(performance.now() - t);
  }
  return stat(xs);
}

const ms = (x: number): string => (x < 10 ? x.toFixed(2) : x < 100 ? x.toFixed(1) : x.toFixed(0));
const fmt = (s: Stat): string => `${ms(s.median)} / ${ms(s.p95)}`;
const ratio = (s: Stat, base: Stat): string => `${(s.median / base.median).toFixed(2)}×`;

/** Cursor offsets for completion and hover: values, keys, option names, spread over the file. */
function positions(text: string): { complete: number[]; hover: number[] } {
  const find = (needle: string, from: number, delta = needle.length): number => {
    const i = text.indexOf(needle, from);
    return i < 0 ? -1 : i + delta;
  };
  const at = (f: number): number => Math.floor(text.length * f);
  const complete = [
    find('protocol = "', 0), // value in the global ssl table
    find('protocol = "', at(0.5)),
    find('\tkey = "', at(0.9), 1), // key position (start of a key in a table)
    find('options = { "', at(0.7)), // list item
    find('\nVirtualHost', at(0.99), 1), // option name at statement start, near the end
    text.length - 1,
  ].filter((x) => x >= 0);
  const hover = [find('protocol', at(0.3), 3), find('"no_', at(0.6), 3), find('ssl = {', at(0.95), 1), find('c2s_require_encryption', 0, 2)].filter((x) => x >= 0);
  return { complete, hover };
}

interface Row {
  lines: number;
  bytes: number;
  parse: Stat;
  parseRanges: Stat;
  model: Stat;
  diagnostics: Stat;
  afterEdit: Stat;
  filesAfterEdit?: Stat;
  completionAfterEdit: Stat;
  completion: Stat;
  hover: Stat;
  reparsed: boolean;
  change?: Stat;
  open?: Stat;
  openComplete?: Stat;
  rss?: number;
  stdioCompletion?: Stat;
}

/**
 * Keystrokes in hosts: a character typed into a string value at a different place each time. The
 * document is updated incrementally, as the server keeps it (TextDocument.update changes it in place).
 */
function typist(doc: TextDocument): () => TextDocument {
  const r = rng(7);
  return () => {
    const text = doc.getText();
    const needle = 'protocol = "';
    const from = text.indexOf(needle, Math.floor(r() * text.length));
    const pos = doc.positionAt((from < 0 ? text.indexOf(needle) : from) + needle.length);
    return TextDocument.update(doc, [{ range: { start: pos, end: pos }, text: 'x' }], doc.version + 1);
  };
}

function benchService(lines: number): Row {
  const text = generateConfig(lines);
  const runs = runsFor(lines);
  const uri = 'file:///bench.cfg.lua';
  // Baseline: a bare luaparse parse (its defaults) of the same text.
  const parse = time(runs, () => luaparse.parse(text));
  const parseRanges = time(runs, () => luaparse.parse(text, { ranges: true, luaVersion: '5.3', comments: false, scope: false, locations: false }));
  // A document seen for the first time: nothing to reuse.
  const model = time(runs, () => buildDocument(uri, 1, text));
  const diagnostics = time(runs, () => createLanguageService().doValidation(TextDocument.create(uri, 'prosody', 1, text), DEFAULT_SETTINGS));
  // What the server does on each change while the user types: a new version, one host edited.
  let v = 0;
  const svc = createLanguageService();
  const first = TextDocument.create(uri, 'prosody', ++v, text);
  svc.doValidation(first, DEFAULT_SETTINGS);
  const type = typist(first);
  // Keystrokes before timing warm the JIT, as a few minutes of typing would (the server is a long-lived process).
  for (let i = 0; i < 200; i++) svc.doValidation(type(), DEFAULT_SETTINGS);
  const afterEdit = timeEach(runs, type, (d) => svc.doValidation(d, DEFAULT_SETTINGS));
  // The first completion on a new version builds its outline (tokens for the cursor context).
  const completionAfterEdit = timeEach(runs, type, (d) => {
    const t = d.getText();
    svc.doComplete(d, d.positionAt(t.indexOf('protocol = "', t.length >> 1) + 12), DEFAULT_SETTINGS);
  });
  v = first.version;
  // Requests on an existing model (the server validates each version right after the change).
  const doc = TextDocument.create(uri, 'prosody', ++v, text);
  const modelObj = svc.getModel(doc);
  const { complete, hover } = positions(text);
  const cx: number[] = [];
  const hx: number[] = [];
  for (let r = 0; r < 30; r++) {
    for (const o of complete) {
      const t = performance.now();
      svc.doComplete(doc, doc.positionAt(o), DEFAULT_SETTINGS);
      cx.push(performance.now() - t);
    }
    for (const o of hover) {
      const t = performance.now();
      svc.doHover(doc, doc.positionAt(o), DEFAULT_SETTINGS);
      hx.push(performance.now() - t);
    }
  }
  const reparsed = svc.getModel(doc) !== modelObj;
  // The first request builds the outline (tokens for the cursor context) once; later ones reuse it.
  return { lines, bytes: Buffer.byteLength(text), parse, parseRanges, model, diagnostics, afterEdit, completionAfterEdit, completion: stat(cx.slice(complete.length)), hover: stat(hx.slice(hover.length)), reparsed };
}

/**
 * The checks of the files the config names, after each keystroke, as the server runs them beside the rules:
 * the same file cache throughout (the generated paths are not on this machine, so these are failed lookups,
 * answered from memory for two seconds and then looked up again).
 */
async function benchFileChecks(row: Row): Promise<void> {
  const svc = createLanguageService();
  const fileCache = new FileCache();
  const env = () => ({ fileCache, trusted: true, workspaceFolders: [], checkFiles: 'auto' as const, now: new Date() });
  const first = TextDocument.create('file:///bench/prosody.cfg.lua', 'prosody', 1, generateConfig(row.lines));
  const type = typist(first);
  const xs: number[] = [];
  // Warmed like the rules above (a few minutes of typing), fewer keystrokes on the largest config.
  const warm = row.lines <= 10000 ? 200 : 30;
  for (let i = 0; i < warm + runsFor(row.lines); i++) {
    const d = type();
    svc.doValidation(d, DEFAULT_SETTINGS);
    const t = performance.now();
    await svc.doFileValidation(d, DEFAULT_SETTINGS, env());
    if (i >= warm) xs.push(performance.now() - t);
  }
  row.filesAfterEdit = stat(xs);
}

/** didOpen/didChange → publishDiagnostics latency and peak RSS of `node dist/server.js --stdio`, started as VS Code starts it. */
async function benchServer(row: Row): Promise<void> {
  const server = path.join(ROOT, 'dist', 'server.js');
  const proc = spawn(process.execPath, [...SERVER_EXEC_ARGV, server, '--stdio'], { stdio: ['pipe', 'pipe', 'ignore'] });
  const conn = createMessageConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
  const waiting = new Map<number, (p: PublishDiagnosticsParams) => void>();
  // Per opened document: called with each publication's diagnostics count.
  const opening = new Map<string, (count: number) => void>();
  conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
    if (opening.has(p.uri)) {
      opening.get(p.uri)!(p.diagnostics.length);
    } else if (p.version !== undefined) waiting.get(p.version)?.(p);
  });
  conn.listen();
  await conn.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {}, initializationOptions: { prosodyVersion: '13.0' } });
  await conn.sendNotification('initialized', {});
  const uri = 'file:///bench/prosody.cfg.lua';
  const text = generateConfig(row.lines);
  const published = (version: number): Promise<number> =>
    new Promise((resolve, reject) => {
      const t = performance.now();
      const timer = setTimeout(() => reject(new Error(`no diagnostics for v${version}`)), 60_000);
      waiting.set(version, () => {
        clearTimeout(timer);
        waiting.delete(version);
        resolve(performance.now() - t);
      });
    });
  // Opens of the same text under other names: didOpen → the first diagnostics, file checks included (the
  // certificate paths the generated config names are not on this machine).
  // The first publication may hold the rule diagnostics only: when the file checks take over 300 ms the server
  // publishes those at once and the complete set when the files are checked. The complete set is known here from
  // the same analysis run in-process (same text, same settings, same missing files).
  const expected = await (async () => {
    const svc = createLanguageService();
    const doc = TextDocument.create('file:///bench/open-x/prosody.cfg.lua', 'prosody', 1, text);
    const settings = { ...DEFAULT_SETTINGS, prosodyVersion: '13.0' as const };
    return svc.doValidation(doc, settings).length + (await svc.doFileValidation(doc, settings, { fileCache: new FileCache(), trusted: true, workspaceFolders: [] })).length;
  })();
  const opens: number[] = [];
  const completes: number[] = [];
  for (let i = 0; i < 5; i++) {
    const other = `file:///bench/open-${i}/prosody.cfg.lua`;
    const t = performance.now();
    let first: number | undefined;
    const done = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no complete diagnostics for ${other}`)), 120_000);
      opening.set(other, (count) => {
        first ??= performance.now() - t;
        if (count !== expected) return;
        clearTimeout(timer);
        completes.push(performance.now() - t);
        resolve();
      });
    });
    await conn.sendNotification('textDocument/didOpen', { textDocument: { uri: other, languageId: 'prosody', version: 1, text } });
    await done;
    opening.delete(other);
    opens.push(first!);
    await conn.sendNotification('textDocument/didClose', { textDocument: { uri: other } });
  }
  row.openComplete = stat(completes);
  row.open = stat(opens);
  let version = 1;
  const opened = published(version);
  await conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'prosody', version, text } });
  await opened;
  // Typing inside a string value near the middle: one character per change.
  const doc = TextDocument.create(uri, 'prosody', 1, text);
  const at = doc.positionAt(text.indexOf('protocol = "', Math.floor(text.length / 2)) + 12);
  const lat: number[] = [];
  for (let i = 0; i < 12; i++) {
    version++;
    const p = published(version);
    await conn.sendNotification('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: [{ range: { start: at, end: at }, text: 'x' }],
    });
    lat.push(await p);
  }
  row.change = stat(lat.slice(2));
  const cl: number[] = [];
  for (let i = 0; i < 20; i++) {
    const t = performance.now();
    await conn.sendRequest('textDocument/completion', { textDocument: { uri }, position: at });
    cl.push(performance.now() - t);
  }
  row.stdioCompletion = stat(cl.slice(2));
  const status = readFileSync(`/proc/${proc.pid}/status`, 'utf8');
  row.rss = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
  await conn.sendRequest('shutdown');
  await conn.sendNotification('exit');
  conn.dispose();
  proc.kill();
}

interface CliRow {
  what: string;
  file: string;
  median: number;
  note: string;
}

function timeCommand(cmd: string, args: string[], runs = 7): { median: number; status: number | null } {
  const xs: number[] = [];
  let status: number | null = null;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    const r = spawnSync(cmd, args, { stdio: 'ignore', timeout: 60_000 });
    xs.push(performance.now() - t);
    status = r.status;
  }
  return { median: stat(xs).median, status };
}

function benchCli(): CliRow[] {
  const rows: CliRow[] = [];
  const corpus = process.env.PROSODY_SSL_CORPUS ?? path.resolve(ROOT, '../shared/corpus');
  const real = path.join(corpus, '015-jjj333-p.cfg.lua');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'prosody-ssl-bench-'));
  const gen = path.join(dir, 'gen-10000.cfg.lua');
  writeFileSync(gen, generateConfig(10000));
  const files = [existsSync(real) ? real : undefined, gen].filter((f): f is string => !!f);
  const cli = path.join(ROOT, 'dist', 'cli.js');
  for (const file of files) {
    const label = path.basename(file);
    if (spawnSync('prosodyctl', ['--help'], { stdio: 'ignore' }).error === undefined) {
      const r = timeCommand('prosodyctl', ['--config', file, 'check', 'config']);
      rows.push({ what: '`prosodyctl --config FILE check config` (Debian 0.12.3)', file: label, median: r.median, note: `exit ${r.status}` });
    }
    const r = timeCommand(process.execPath, [cli, file]);
    rows.push({ what: '`node dist/cli.js FILE`', file: label, median: r.median, note: `exit ${r.status}` });
  }
  rmSync(dir, { recursive: true, force: true });
  return rows;
}

/** What the extension host loads on activation: dist/extension.js size and its require time (vscode stubbed). */
function benchActivation(): { bytes: number; requireMs: number; hasAnalysis: boolean } {
  const file = path.join(ROOT, 'dist', 'extension.js');
  const src = readFileSync(file, 'utf8');
  const script = `const M=require('module');const o=M._load;M._load=function(r,...a){return r==='vscode'?new Proxy({}, {get:()=>function(){}}):o.call(this,r,...a)};const t=process.hrtime.bigint();require(${JSON.stringify(file)});process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6));`;
  const xs: number[] = [];
  for (let i = 0; i < 5; i++) xs.push(Number(spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' }).stdout));
  return { bytes: statSync(file).size, requireMs: stat(xs).median, hasAnalysis: /luaparse|ssl_ciph|sslKeys/.test(src) };
}

function machine(): string {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  return `${cpu.trim()}, ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, ${os.type()} ${os.release()}, Node ${process.version}`;
}

async function main(): Promise<void> {
  if (!existsSync(path.join(ROOT, 'dist', 'server.js'))) throw new Error('dist/server.js missing: run `npm run build` first');
  const rows: Row[] = [];
  for (const lines of SIZES) {
    process.stderr.write(`bench: ${lines} lines…\n`);
    const row = benchService(lines);
    await benchFileChecks(row);
    await benchServer(row);
    rows.push(row);
  }
  process.stderr.write('bench: CLI and activation…\n');
  const cli = benchCli();
  const act = benchActivation();

  const out: string[] = [];
  out.push(`Machine: ${machine()}. Date: ${new Date().toISOString().slice(0, 10)}.`, '');
  out.push('Times in ms as median / p95. Ratios are medians against the baseline: one bare `luaparse.parse(text)` (its default options) of the same text.', '');
  out.push('| lines | bytes | baseline parse | parse with ranges | model, first open | rule diagnostics, first open | rule diagnostics after an edit | file checks after an edit | completion after an edit | completion (cached model) | hover (cached model) | didOpen → first diagnostics over stdio | didOpen → complete diagnostics over stdio | didChange → diagnostics over stdio | completion over stdio | server peak RSS |');
  out.push('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of rows) {
    out.push(
      `| ${r.lines} | ${r.bytes} | ${fmt(r.parse)} | ${fmt(r.parseRanges)} (${ratio(r.parseRanges, r.parse)}) | ${fmt(r.model)} (${ratio(r.model, r.parse)}) | ${fmt(r.diagnostics)} (${ratio(r.diagnostics, r.parse)}) | ${fmt(r.afterEdit)} (${ratio(r.afterEdit, r.parse)}) | ${r.filesAfterEdit ? `${fmt(r.filesAfterEdit)} (${ratio(r.filesAfterEdit, r.parse)})` : '–'} | ${fmt(r.completionAfterEdit)} | ${fmt(r.completion)} | ${fmt(r.hover)} | ${r.open ? fmt(r.open) : '–'} | ${r.openComplete ? fmt(r.openComplete) : '–'} | ${r.change ? fmt(r.change) : '–'} | ${r.stdioCompletion ? fmt(r.stdioCompletion) : '–'} | ${r.rss ? r.rss.toFixed(0) + ' MB' : '–'} |`,
    );
  }
  out.push('', 'didOpen → first diagnostics is the first publication for a newly opened document (when the checks of the certificate files it names take over 300 ms, it holds the rule diagnostics only), → complete diagnostics the one with those checks included (five opens, the first pays for the JIT warming up); didChange → diagnostics (the first publication for the new version) includes the server\'s 200 ms debounce. The rules run again only over the hosts an edit touched. The file checks keep their findings while the edit changed nothing they read (a `protocol`, a comment), but ask the disk and the clock again every time: each file read, stat and certificate-directory index of the last run, answered from the file cache where it can be; they are timed apart.', '');
  out.push('| command | config | median ms | note |', '|---|---|---:|---|');
  for (const c of cli) out.push(`| ${c.what} | ${c.file} | ${ms(c.median)} | ${c.note} |`);
  out.push('', `Activation: dist/extension.js (the development build the benchmark makes; the packaged one is minified, about half the size) is ${(act.bytes / 1024).toFixed(0)} KiB and loads in ${ms(act.requireMs)} ms (vscode stubbed); it ${act.hasAnalysis ? 'CONTAINS' : 'contains no'} analysis code (luaparse, catalog) — that lives in the server process.`, '');

  const big = rows.find((r) => r.lines === 10000);
  const huge = rows.find((r) => r.lines === 50000);
  const checks: Array<[string, boolean | undefined]> = [
    ['completion p95 < 5 ms at 10k lines', big && big.completion.p95 < 5],
    ['hover p95 < 5 ms at 10k lines', big && big.hover.p95 < 5],
    ['completion and hover never re-parse an unchanged document', rows.every((r) => !r.reparsed)],
    ['rule diagnostics after an edit ≤ 2× the parse (every size ≥ 1000 lines)', rows.filter((r) => r.lines >= 1000).every((r) => r.afterEdit.median <= 2 * r.parse.median)],
    ['file checks after an edit ≤ 2× the parse (every size ≥ 1000 lines)', rows.filter((r) => r.lines >= 1000).every((r) => r.filesAfterEdit !== undefined && r.filesAfterEdit.median <= 2 * r.parse.median)],
    ['rule diagnostics of a first open ≤ 2× the parse (every size ≥ 1000 lines)', rows.filter((r) => r.lines >= 1000).every((r) => r.diagnostics.median <= 2 * r.parse.median)],
    ['server peak RSS < 100 MB at 50k lines', huge?.rss !== undefined ? huge.rss < 100 : undefined],
    ['no analysis code loaded at activation', !act.hasAnalysis],
  ];
  out.push('| target | result |', '|---|---|');
  for (const [name, ok] of checks) out.push(`| ${name} | ${ok === undefined ? 'not measured' : ok ? 'met' : 'MISSED'} |`);
  const table = out.join('\n');
  console.log(table);

  if (process.argv.includes('--write')) {
    // The results live in the README, between markers; the prose around them is hand-written.
    const file = path.join(ROOT, 'README.md');
    const readme = readFileSync(file, 'utf8');
    if (extractBlock(readme, 'bench') === undefined) throw new Error('README.md has no bench:start … bench:end block');
    writeFileSync(file, spliceBlock(readme, 'bench', table + '\n'));
    process.stderr.write(`bench: wrote the results into ${path.relative(ROOT, file)}\n`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
