import { describe, it, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FileCache, FileSystem, nodeFileSystem, safeReadFile } from '../../../server/src/service/files';

let dir: string;
const p = (n: string) => path.join(dir, n);

before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prosody-ssl-read-'));
  fs.writeFileSync(p('small.pem'), 'hello\n');
  fs.writeFileSync(p('big.bin'), Buffer.alloc(1024 * 1024 + 1, 0x41));
  fs.writeFileSync(p('exact.bin'), Buffer.alloc(1024 * 1024, 0x42));
  fs.mkdirSync(p('adir'));
  execFileSync('mkfifo', [p('fifo')]);
  fs.symlinkSync(p('loop-b'), p('loop-a'));
  fs.symlinkSync(p('loop-a'), p('loop-b'));
  fs.symlinkSync(p('small.pem'), p('link.pem'));
  fs.symlinkSync(p('nowhere'), p('dangling'));
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A file system whose every call fails with the given code, to simulate what root cannot see (EACCES). */
function failing(code: string): FileSystem {
  const fail = async (): Promise<never> => {
    throw Object.assign(new Error(`${code}: simulated`), { code });
  };
  return { stat: fail, lstat: fail, readdir: fail, readBounded: fail };
}

describe('safeReadFile', () => {
  it('reads a small regular file and through a symlink', async () => {
    const r = await safeReadFile(p('small.pem'));
    assert.equal(r.kind, 'ok');
    assert.equal(r.kind === 'ok' && Buffer.from(r.bytes).toString(), 'hello\n');
    assert.equal(r.kind === 'ok' && r.mtimeMs, fs.statSync(p('small.pem')).mtimeMs);
    const l = await safeReadFile(p('link.pem'));
    assert.equal(l.kind === 'ok' && Buffer.from(l.bytes).toString(), 'hello\n');
  });

  it('refuses /dev/zero without reading it', async () => {
    assert.deepEqual(await safeReadFile('/dev/zero'), { kind: 'not-a-file', what: 'character-device' });
  });

  it('does not hang on a FIFO with no writer', async () => {
    const t0 = Date.now();
    assert.deepEqual(await safeReadFile(p('fifo'), { timeoutMs: 5000 }), { kind: 'not-a-file', what: 'fifo' });
    assert.ok(Date.now() - t0 < 1000);
  });

  it('even when the stat is bypassed, the non-blocking open reports the FIFO', async () => {
    const r = await nodeFileSystem.readBounded(p('fifo'), 10);
    assert.equal(r.stat.kind, 'fifo');
    assert.equal(r.bytes, undefined);
  });

  it('reports symlink loops, directories, missing files and dangling links', async () => {
    assert.deepEqual(await safeReadFile(p('loop-a')), { kind: 'not-a-file', what: 'symlink-loop' });
    assert.deepEqual(await safeReadFile(p('adir')), { kind: 'not-a-file', what: 'directory' });
    assert.deepEqual(await safeReadFile(p('missing.pem')), { kind: 'missing' });
    assert.deepEqual(await safeReadFile(p('small.pem/x')), { kind: 'missing' });
    assert.deepEqual(await safeReadFile(p('dangling')), { kind: 'missing' });
  });

  it('enforces the size limit (1 MiB by default)', async () => {
    assert.deepEqual(await safeReadFile(p('big.bin')), { kind: 'too-large', size: 1024 * 1024 + 1 });
    const exact = await safeReadFile(p('exact.bin'));
    assert.equal(exact.kind === 'ok' && exact.bytes.length, 1024 * 1024);
    assert.deepEqual(await safeReadFile(p('small.pem'), { maxBytes: 3 }), { kind: 'too-large', size: 6 });
  });

  it('maps permission errors to denied (simulated: tests run as root)', async () => {
    assert.deepEqual(await safeReadFile('/x', { fs: failing('EACCES') }), { kind: 'denied' });
    assert.deepEqual(await safeReadFile('/x', { fs: failing('EPERM') }), { kind: 'denied' });
    const other = await safeReadFile('/x', { fs: failing('EIO') });
    assert.equal(other.kind, 'error');
  });

  it('gives up after the timeout on a file system that never answers', async () => {
    const never = (): Promise<never> => new Promise(() => undefined);
    const hung: FileSystem = { stat: never, lstat: never, readdir: never, readBounded: never };
    const t0 = Date.now();
    const r = await safeReadFile('/hung', { fs: hung, timeoutMs: 50 });
    assert.equal(r.kind, 'error');
    assert.match(r.kind === 'error' ? r.message : '', /timed out/);
    assert.ok(Date.now() - t0 < 1000);
  });

  it('notices a file that grew or changed kind between stat and read', async () => {
    const grown: FileSystem = {
      ...nodeFileSystem,
      lstat: async () => ({ kind: 'file', size: 10, mtimeMs: 1 }),
      readBounded: async (_p, limit) => ({ stat: { kind: 'file', size: 5000, mtimeMs: 2 }, bytes: new Uint8Array(limit) }),
    };
    assert.equal((await safeReadFile('/g', { fs: grown, maxBytes: 100 })).kind, 'too-large');
    const swapped: FileSystem = {
      ...nodeFileSystem,
      lstat: async () => ({ kind: 'file', size: 10, mtimeMs: 1 }),
      readBounded: async () => ({ stat: { kind: 'fifo', size: 0, mtimeMs: 2 } }),
    };
    assert.deepEqual(await safeReadFile('/s', { fs: swapped }), { kind: 'not-a-file', what: 'fifo' });
  });

  it('rejects empty paths and paths with NUL', async () => {
    assert.equal((await safeReadFile('')).kind, 'error');
    assert.equal((await safeReadFile('a\0b')).kind, 'error');
  });
});

describe('FileCache', () => {
  function counting(): { fs: FileSystem; reads: () => number } {
    let n = 0;
    return {
      fs: { ...nodeFileSystem, readBounded: (q, l) => (n++, nodeFileSystem.readBounded(q, l)) },
      reads: () => n,
    };
  }

  it('serves unchanged files from memory and re-reads after a change', async () => {
    const f = p('cached.pem');
    fs.writeFileSync(f, 'one');
    const c = counting();
    const cache = new FileCache({ fs: c.fs });
    await cache.read(f);
    const again = await cache.read(f);
    assert.equal(c.reads(), 1);
    assert.equal(again.kind === 'ok' && Buffer.from(again.bytes).toString(), 'one');
    fs.writeFileSync(f, 'three');
    fs.utimesSync(f, new Date(), new Date(Date.now() + 5000));
    const changed = await cache.read(f);
    assert.equal(c.reads(), 2);
    assert.equal(changed.kind === 'ok' && Buffer.from(changed.bytes).toString(), 'three');
  });

  it('invalidate forces a re-read even when mtime and size are unchanged', async () => {
    const f = p('inv.pem');
    fs.writeFileSync(f, 'aaa');
    const c = counting();
    const cache = new FileCache({ fs: c.fs });
    await cache.read(f);
    cache.invalidate(f);
    await cache.read(f);
    assert.equal(c.reads(), 2);
  });

  it('memoises derived values per file version and keeps no entry for a failure', async () => {
    const f = p('derive.pem');
    fs.writeFileSync(f, 'xyz');
    const cache = new FileCache();
    let computed = 0;
    const len = (b: Uint8Array) => (computed++, b.length);
    assert.equal((await cache.derive(f, 'len', len)).value, 3);
    assert.equal((await cache.derive(f, 'len', len)).value, 3);
    assert.equal(computed, 1);
    const miss = await cache.derive(p('nope.pem'), 'len', len);
    assert.deepEqual(miss, { read: { kind: 'missing' } });
    assert.equal(cache.size, 1);
  });

  it('answers a failed read from memory for failureTtlMs, then looks again; invalidate forgets it at once', async () => {
    const f = p('appears-later.pem');
    let lstats = 0;
    let clock = 1000;
    const fsys: FileSystem = { ...nodeFileSystem, lstat: (q) => (lstats++, nodeFileSystem.lstat(q)) };
    const cache = new FileCache({ fs: fsys, failureTtlMs: 2000, now: () => clock });
    assert.deepEqual(await cache.read(f), { kind: 'missing' });
    fs.writeFileSync(f, 'now here');
    clock += 1999;
    assert.deepEqual(await cache.read(f), { kind: 'missing' }, 'within the TTL the failure is remembered');
    assert.equal(lstats, 1, 'and the disk is not asked again');
    assert.deepEqual(cache.recentFailure(f), { kind: 'missing' }, 'recentFailure answers the same without a read');
    assert.equal(cache.recentFailure(p('never-read.pem')), undefined, 'a path never read has no remembered failure');
    clock += 1;
    assert.equal(cache.recentFailure(f), undefined, 'past the TTL recentFailure forgets it');
    assert.equal((await cache.read(f)).kind, 'ok', 'after the TTL the file is found');
    fs.rmSync(f);
    await cache.read(p('gone-too.pem'));
    fs.writeFileSync(p('gone-too.pem'), 'x');
    cache.invalidate(p('gone-too.pem'));
    assert.equal((await cache.read(p('gone-too.pem'))).kind, 'ok', 'a watcher event ends the TTL');
  });

  it('answers a stat that found nothing from memory for failureTtlMs, and only that; invalidate forgets it', async () => {
    const d = p('dir-later');
    let stats = 0;
    let clock = 1000;
    // Its directory is asked too (see the next test): only the stats of d count here.
    const fsys: FileSystem = { ...nodeFileSystem, stat: (q) => (q === d && stats++, nodeFileSystem.stat(q)) };
    const cache = new FileCache({ fs: fsys, failureTtlMs: 2000, now: () => clock });
    const code = (e: unknown): unknown => (e as { code?: unknown }).code;
    let first: unknown;
    await assert.rejects(cache.stat(d), (e) => ((first = e), code(e) === 'ENOENT'));
    fs.mkdirSync(d);
    clock += 1999;
    // Not the error itself: a Node error keeps the functions of its stack alive (and the whole check run behind them).
    await assert.rejects(cache.stat(d), (e) => code(e) === 'ENOENT' && e !== first && !(e instanceof Error), 'within the TTL the absence is remembered, and only that');
    assert.equal(cache.knownMissing(d), true, 'asked without a promise, memory says the same');
    assert.equal(stats, 1, 'and the disk is not asked again');
    clock += 1;
    assert.equal(cache.knownMissing(d), false, 'past the TTL memory says nothing');
    assert.equal((await cache.stat(d)).kind, 'directory', 'after the TTL the directory is found');
    assert.equal((await cache.stat(d)).kind, 'directory');
    assert.equal(stats, 3, 'a stat that found something is not remembered');
    fs.rmdirSync(d);
    await assert.rejects(cache.stat(d));
    fs.mkdirSync(d);
    cache.invalidate(d);
    assert.equal((await cache.stat(d)).kind, 'directory', 'a watcher event ends the TTL');
    fs.rmdirSync(d);
  });

  it('lets one absent directory, or the listing of a present one, answer for the missing paths in it', async () => {
    const calls: string[] = [];
    const fsys: FileSystem = {
      stat: (q) => (calls.push(`stat ${q}`), nodeFileSystem.stat(q)),
      lstat: (q) => (calls.push(`lstat ${q}`), nodeFileSystem.lstat(q)),
      readdir: (q) => (calls.push(`readdir ${q}`), nodeFileSystem.readdir(q)),
      readBounded: (q, l) => nodeFileSystem.readBounded(q, l),
    };
    let clock = 1000;
    const cache = new FileCache({ fs: fsys, failureTtlMs: 2000, now: () => clock });
    // Let's Encrypt's live/<host>/ under a directory this machine lacks: asked up to what exists, then no more.
    const gone = p('no-such-dir');
    for (let i = 0; i < 50; i++) {
      assert.deepEqual(await cache.read(path.join(gone, 'live', `h${i}.example`, 'fullchain.pem')), { kind: 'missing' });
      await assert.rejects(cache.stat(path.join(gone, 'live', `h${i}.example`, 'cert.pem')));
    }
    assert.ok(calls.length <= 8, calls.join('\n'));
    // A present directory, unchanged for a while: listed once, and its listing answers for names it lacks.
    const certs = p('listed');
    fs.mkdirSync(certs);
    fs.writeFileSync(path.join(certs, 'Here.crt'), 'x');
    const old = new Date(Date.now() - 60_000);
    fs.utimesSync(certs, old, old);
    calls.length = 0;
    for (let i = 0; i < 50; i++) assert.deepEqual(await cache.read(path.join(certs, `h${i}.crt`)), { kind: 'missing' });
    assert.deepEqual(calls.filter((c) => c.startsWith('readdir')), [`readdir ${certs}`]);
    assert.ok(calls.length <= 3, calls.join('\n'));
    // A name the listing holds in another case is asked (a case-insensitive file system may find it).
    calls.length = 0;
    await cache.read(path.join(certs, 'here.crt'));
    assert.ok(calls.includes(`lstat ${path.join(certs, 'here.crt')}`), calls.join('\n'));
    // A file added later is found once the memory expires: the directory's mtime moved, so it is listed again.
    fs.writeFileSync(path.join(certs, 'h7.crt'), 'y');
    clock += 1999;
    assert.deepEqual(await cache.read(path.join(certs, 'h7.crt')), { kind: 'missing' }, 'within the TTL the answer stands');
    clock += 1;
    assert.equal((await cache.read(path.join(certs, 'h7.crt'))).kind, 'ok');
    // A directory created meanwhile: within the TTL its absence answers, a watcher event ends that at once.
    const later = p('later-dir');
    assert.deepEqual(await cache.read(path.join(later, 'a.pem')), { kind: 'missing' });
    fs.mkdirSync(later);
    fs.writeFileSync(path.join(later, 'b.pem'), 'z');
    assert.deepEqual(await cache.read(path.join(later, 'b.pem')), { kind: 'missing' }, 'within the TTL the absent directory answers');
    cache.invalidate(path.join(later, 'b.pem'));
    assert.equal((await cache.read(path.join(later, 'b.pem'))).kind, 'ok', 'a watcher event ends it');
  });

  // A reviewer: `certificates = "."` was "not on this machine" (no listing holds `.`); a file created under a new
  // folder stayed missing after its watcher event (the grandparent's memory still answered); and a path first asked
  // late in a listing's life was remembered missing for a whole TTL more.
  it('a directory\'s memory never answers for `.`/`..`, ends with a watcher event below it, and lends no extra time', async () => {
    let clock = 1000;
    const cache = new FileCache({ failureTtlMs: 2000, now: () => clock });
    const here = p('dots');
    fs.mkdirSync(here);
    const old = new Date(Date.now() - 60_000);
    fs.utimesSync(here, old, old);
    assert.deepEqual(await cache.read(path.join(here, 'nope.pem')), { kind: 'missing' }); // lists dots/
    assert.equal((await cache.stat(path.join(here, '.'))).kind, 'directory');
    assert.equal((await cache.stat(path.join(here, '..'))).kind, 'directory');
    // A file in a folder two levels down that did not exist: invalidating the file clears every folder above it.
    const deep = p('new-root');
    assert.deepEqual(await cache.read(path.join(deep, 'live', 'a.example', 'cert.pem')), { kind: 'missing' });
    fs.mkdirSync(path.join(deep, 'live', 'a.example'), { recursive: true });
    fs.writeFileSync(path.join(deep, 'live', 'a.example', 'cert.pem'), 'x');
    cache.invalidate(path.join(deep, 'live', 'a.example', 'cert.pem'));
    assert.equal((await cache.read(path.join(deep, 'live', 'a.example', 'cert.pem'))).kind, 'ok');
    // Answered from a memory 1.5 s old, a new path is remembered only for what is left of it.
    const later = p('late-dir');
    assert.deepEqual(await cache.read(path.join(later, 'a.pem')), { kind: 'missing' });
    clock += 1500;
    assert.deepEqual(await cache.read(path.join(later, 'b.pem')), { kind: 'missing' });
    fs.mkdirSync(later);
    fs.writeFileSync(path.join(later, 'b.pem'), 'y');
    clock += 500;
    assert.equal((await cache.read(path.join(later, 'b.pem'))).kind, 'ok', 'the answer went with the memory it came from');
  });

  it('forgets failures past their time when new ones come, so paths typed letter by letter do not pile up', async () => {
    let clock = 10_000;
    const cache = new FileCache({ failureTtlMs: 2000, now: () => clock });
    const failures = (): number => (cache as unknown as { failures: Map<string, unknown> }).failures.size;
    const missing = (): number => (cache as unknown as { missingStats: Map<string, unknown> }).missingStats.size;
    for (const n of ['/nonexistent/a', '/nonexistent/ab', '/nonexistent/abc']) {
      await cache.read(n);
      await cache.stat(n).catch(() => undefined);
    }
    assert.equal(failures(), 3);
    assert.equal(missing(), 3);
    clock += 2000;
    await cache.read('/nonexistent/abcd');
    await cache.stat('/nonexistent/abcd').catch(() => undefined);
    assert.equal(failures(), 1, 'the expired read failures are gone');
    assert.equal(missing(), 1, 'the expired missing stats are gone');
  });

  it('keeps at most maxEntries files', async () => {
    const cache = new FileCache({ maxEntries: 2 });
    for (const n of ['e1', 'e2', 'e3']) {
      fs.writeFileSync(p(n), n);
      await cache.read(p(n));
    }
    assert.equal(cache.size, 2);
  });

  it('keeps at most maxBytes of contents, the newest file at least; invalidate gives its bytes back', async () => {
    const cache = new FileCache({ maxBytes: 10 });
    for (const n of ['b1', 'b2', 'b3']) {
      fs.writeFileSync(p(n), '123456');
      await cache.read(p(n));
    }
    assert.equal(cache.size, 1);
    cache.invalidate(p('b3'));
    fs.writeFileSync(p('b4'), '1234');
    for (const n of ['b1', 'b4']) await cache.read(p(n));
    assert.equal(cache.size, 2, 'b3 no longer counts');
  });

  it('by default keeps every file of a config with hundreds of TLS hosts (a reviewer: at 64 each run emptied it)', async () => {
    const reads: string[] = [];
    const fsys = { ...nodeFileSystem, readBounded: (f: string, n: number) => (reads.push(f), nodeFileSystem.readBounded(f, n)) };
    const cache = new FileCache({ fs: fsys });
    const names = Array.from({ length: 600 }, (_, i) => `h${i}`);
    for (const n of names) fs.writeFileSync(p(n), n);
    for (let run = 0; run < 2; run++) for (const n of names) await cache.read(p(n));
    assert.equal(reads.length, 600, 'the second run is answered from the cache');
  });
});
