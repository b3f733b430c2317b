import { describe, it, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  candidateCertPaths,
  certificatesDir,
  classifyDhparam,
  findHostCert,
  findInIndex,
  indexCertificates,
  mainConfigDir,
  matchingKeyPath,
  nodeFileSystem,
  parentChain,
  resolveRelativePath,
} from '../../../server/src/service/files';
import { Material, material } from './material';
import { includeCalls } from '../../../server/src/service/model/sectionWords';

let m: Material;
let root: string;

before(() => {
  m = material();
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'prosody-ssl-paths-'));
});
after(() => fs.rmSync(root, { recursive: true, force: true }));

/** Builds a config directory: files map relative path → material file name (or literal text with "text:"). */
function tree(name: string, files: Record<string, string>): string {
  const dir = path.join(root, name);
  for (const [rel, src] of Object.entries(files)) {
    const full = path.join(dir, rel);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    if (src.startsWith('text:')) fs.writeFileSync(full, src.slice(5));
    else fs.copyFileSync(m.file(src), full);
  }
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

describe('resolveRelativePath (Prosody util/paths)', () => {
  it('joins relative paths, keeps absolute ones, strips one leading ./ and trailing slashes of the base', () => {
    assert.equal(resolveRelativePath('/etc/prosody', 'certs/a.crt'), '/etc/prosody/certs/a.crt');
    assert.equal(resolveRelativePath('/etc/prosody/', './certs'), '/etc/prosody/certs');
    assert.equal(resolveRelativePath('/etc/prosody', '/srv/x.pem'), '/srv/x.pem');
    assert.equal(resolveRelativePath('/etc/prosody', '../ssl/x.pem'), '/etc/prosody/../ssl/x.pem');
    assert.equal(resolveRelativePath('C:\\prosody', 'C:/certs', true), 'C:/certs');
    assert.equal(resolveRelativePath('C:\\prosody\\', 'certs', true), 'C:\\prosody\\certs');
  });

  it('places the certificates directory under the config dir, default "certs"', () => {
    assert.equal(certificatesDir('/etc/prosody'), '/etc/prosody/certs');
    assert.equal(certificatesDir('/etc/prosody', '/etc/letsencrypt/live'), '/etc/letsencrypt/live');
    assert.equal(certificatesDir('/etc/prosody', 42), '/etc/prosody/certs');
  });
});

describe('mainConfigDir', () => {
  it('uses the parent of conf.d/ or conf.avail/ when it holds prosody.cfg.lua, else the file’s own folder', async () => {
    const withMain = tree('main', { 'prosody.cfg.lua': 'text:', 'conf.d/a.cfg.lua': 'text:', 'conf.avail/b.cfg.lua': 'text:' });
    assert.equal(await mainConfigDir(path.join(withMain, 'conf.d/a.cfg.lua'), nodeFileSystem), withMain);
    assert.equal(await mainConfigDir(path.join(withMain, 'conf.avail/b.cfg.lua'), nodeFileSystem), withMain);
    assert.equal(await mainConfigDir(path.join(withMain, 'prosody.cfg.lua'), nodeFileSystem), withMain);
    const orphan = tree('orphan', { 'conf.d/a.cfg.lua': 'text:' });
    assert.equal(await mainConfigDir(path.join(orphan, 'conf.d/a.cfg.lua'), nodeFileSystem), path.join(orphan, 'conf.d'));
    // Any other folder is a config of its own (run with --config from there), whatever lies above it (a reviewer).
    const staging = tree('staging', { 'prosody.cfg.lua': 'text:', 'staging/staging.cfg.lua': 'text:' });
    assert.equal(await mainConfigDir(path.join(staging, 'staging/staging.cfg.lua'), nodeFileSystem), path.join(staging, 'staging'));
  });

  // configmanager resolves an Include against the including file's folder, and certmanager every path against the
  // main config's (a reviewer's 0.12.3 run: a sites/ file's keys/ paths were found, which we called missing).
  it('uses the parent folder for a file its prosody.cfg.lua includes by name or glob, not for one it does not', async () => {
    const sites = tree('sites', { 'prosody.cfg.lua': 'text:admins = {}\nInclude "sites/*.cfg.lua"\n-- Include "old/*.cfg.lua"\nInclude(\'one/x.cfg.lua\')\n', 'sites/a.cfg.lua': 'text:', 'sites/.hidden.cfg.lua': 'text:', 'old/b.cfg.lua': 'text:', 'one/x.cfg.lua': 'text:', 'one/y.cfg.lua': 'text:' });
    assert.equal(await mainConfigDir(path.join(sites, 'sites/a.cfg.lua'), nodeFileSystem), sites);
    assert.equal(await mainConfigDir(path.join(sites, 'one/x.cfg.lua'), nodeFileSystem), sites);
    assert.equal(await mainConfigDir(path.join(sites, 'one/y.cfg.lua'), nodeFileSystem), path.join(sites, 'one'));
    assert.equal(await mainConfigDir(path.join(sites, 'old/b.cfg.lua'), nodeFileSystem), path.join(sites, 'old'));
    assert.equal(await mainConfigDir(path.join(sites, 'sites/.hidden.cfg.lua'), nodeFileSystem), path.join(sites, 'sites'));
  });

  // Review 141: `Include "conf.d/vhosts/*.cfg.lua"`; a real 0.12.3 resolved the file's relative paths against the main
  // config's folder, two levels up.
  it('finds a main config a few folders up whose Include names the file', async () => {
    const deep = tree('deep', { 'prosody.cfg.lua': 'text:Include "conf.d/vhosts/*.cfg.lua"\n', 'conf.d/vhosts/y.cfg.lua': 'text:', 'conf.d/other/z.cfg.lua': 'text:', 'a/b/c/d/w.cfg.lua': 'text:' });
    assert.equal(await mainConfigDir(path.join(deep, 'conf.d/vhosts/y.cfg.lua'), nodeFileSystem), deep);
    assert.equal(await mainConfigDir(path.join(deep, 'conf.d/other/z.cfg.lua'), nodeFileSystem), path.join(deep, 'conf.d/other'));
    assert.equal(await mainConfigDir(path.join(deep, 'a/b/c/d/w.cfg.lua'), nodeFileSystem), path.join(deep, 'a/b/c/d'));
  });
});

describe('includeCalls', () => {
  it('finds Include calls with their literal paths (null: computed), leaving aside comments, strings and fields', () => {
    const text = [
      'Include "a/*.cfg.lua"',
      "include('b.cfg.lua')",
      'Include [[c.cfg.lua]]',
      '-- Include "line-comment.cfg.lua"',
      '--[[',
      'Include "block-comment.cfg.lua"',
      ']]',
      'motd = "Include \\"in-a-string.cfg.lua\\""',
      'x.Include "field.cfg.lua"',
      'Include (base .. "/computed.cfg.lua")',
      'Include "unclosed',
    ].join('\n');
    assert.deepEqual(includeCalls(text), ['a/*.cfg.lua', 'b.cfg.lua', 'c.cfg.lua', null, null]);
  });
});

describe('candidateCertPaths (find_cert order)', () => {
  it('lists the four patterns for the host, then for each parent domain', () => {
    const c = candidateCertPaths('conference.example.com', { configDir: '/etc/prosody', version: '13.0' });
    assert.deepEqual(parentChain('conference.example.com'), ['conference.example.com', 'example.com', 'com']);
    assert.equal(c.length, 12);
    assert.deepEqual(
      c.slice(0, 4).map((x) => [x.certificate, x.key]),
      [
        ['/etc/prosody/certs', '/etc/prosody/certs'],
        ['/etc/prosody/certs/conference.example.com.crt', '/etc/prosody/certs/conference.example.com.key'],
        ['/etc/prosody/certs/conference.example.com/fullchain.pem', '/etc/prosody/certs/conference.example.com/privkey.pem'],
        ['/etc/prosody/certs/conference.example.com.pem', '/etc/prosody/certs/conference.example.com.pem'],
      ],
    );
    assert.equal(c[5].certificate, '/etc/prosody/certs/example.com.crt');
    assert.equal(c[5].name, 'example.com');
  });

  it('uses a host’s `certificate` option as the base, pairing .crt → .key and fullchain.pem → privkey.pem', () => {
    const opts = (v: unknown) => ({ configDir: '/etc/prosody', version: '0.12' as const, certificateFor: (n: string) => (n === 'a.example' ? v : undefined) });
    const crt = candidateCertPaths('a.example', opts('/srv/tls/a.crt'))[0];
    assert.deepEqual([crt.certificate, crt.key, crt.base], ['/srv/tls/a.crt', '/srv/tls/a.key', 'certificate-option']);
    const le = candidateCertPaths('a.example', opts('/etc/letsencrypt/live/a.example/fullchain.pem'))[0];
    assert.equal(le.key, '/etc/letsencrypt/live/a.example/privkey.pem');
    const combined = candidateCertPaths('a.example', opts('tls/both.pem'))[0];
    assert.deepEqual([combined.certificate, combined.key], ['/etc/prosody/tls/both.pem', '/etc/prosody/tls/both.pem']);
    const dir = candidateCertPaths('a.example', opts('/srv/tls'));
    assert.equal(dir[1].certificate, '/srv/tls/a.example.crt');
    // The parent ("example") has no option of its own, so it falls back to the certificates dir.
    assert.equal(dir[4].certificate, '/etc/prosody/certs');
  });

  it('honours the global `certificates` option and has no lookup in 0.9', () => {
    const c = candidateCertPaths('x.org', { configDir: '/etc/prosody', version: '0.10', certificates: 'tls' });
    assert.equal(c[1].certificate, '/etc/prosody/tls/x.org.crt');
    assert.deepEqual(candidateCertPaths('x.org', { configDir: '/etc/prosody', version: '0.9' }), []);
  });

  it('derives keys like find_matching_key', () => {
    assert.equal(matchingKeyPath('/c/a.example.crt'), '/c/a.example.key');
    assert.equal(matchingKeyPath('/c/fullchain/fullchain.pem'), '/c/privkey/privkey.pem');
  });
});

describe('findHostCert against real files', () => {
  it('0.11: finds <host>.crt + .key in certs/, walking up to the parent domain', async () => {
    const dir = tree('p011', { 'certs/example.com.crt': 'rsa.crt', 'certs/example.com.key': 'rsa.key' });
    const r = await findHostCert('conference.example.com', { configDir: dir, version: '0.11' });
    assert.equal(r.index, undefined);
    assert.deepEqual(r.found, { certificate: `${dir}/certs/example.com.crt`, key: `${dir}/certs/example.com.key`, via: 'path', name: 'example.com' });
    assert.equal(r.tried.length, 6);
    assert.equal(r.tried[5].keyIsFile, true);
  });

  it('requires both files: a certificate without its key is passed over', async () => {
    const dir = tree('nokey', { 'certs/a.example.crt': 'rsa.crt', 'certs/a.example/fullchain.pem': 'rsa.crt', 'certs/a.example/privkey.pem': 'rsa.key' });
    const r = await findHostCert('a.example', { configDir: dir, version: '0.10' });
    assert.equal(r.found?.certificate, `${dir}/certs/a.example/fullchain.pem`);
    assert.equal(r.tried[1].certificateIsFile, true);
    assert.equal(r.tried[1].keyIsFile, false);
  });

  it('reports nothing found when no pattern exists', async () => {
    const dir = tree('empty', { 'certs/unrelated.crt': 'rsa.crt' });
    const r = await findHostCert('b.example', { configDir: dir, version: '0.11' });
    assert.equal(r.found, undefined);
    assert.equal(r.tried.length, 8);
  });

  it('13.0: the index finds a certificate by the names inside it, whatever its file name', async () => {
    const dir = tree('idx', {
      'certs/whatever.crt': 'rsa.crt', // SANs example.com, conference.example.com
      'certs/whatever.key': 'rsa.key',
      'certs/example.com.crt': 'wronghost.crt', // path lookup alone would pick this one
      'certs/example.com.key': 'wronghost.key',
    });
    const r = await findHostCert('conference.example.com', { configDir: dir, version: '13.0' });
    assert.equal(r.found?.via, 'index');
    assert.equal(r.found?.certificate, `${dir}/certs/whatever.crt`);
    assert.equal(r.found?.key, `${dir}/certs/whatever.key`);
    const old = await findHostCert('conference.example.com', { configDir: dir, version: '0.11' });
    assert.equal(old.found?.certificate, `${dir}/certs/example.com.crt`);
  });

  it('index: wildcard names, Let’s Encrypt layout in a sub-folder, expired and key-less files skipped', async () => {
    const dir = tree('idx2', {
      'certs/live/chain.example/fullchain.pem': 'fullchain.pem',
      'certs/live/chain.example/privkey.pem': 'leaf.key',
      'certs/wild.crt': 'wildcard.crt',
      'certs/wild.key': 'wildcard.key',
      'certs/old.crt': 'expired.crt',
      'certs/old.key': 'expired.key',
      'certs/lonely.crt': 'ec.crt',
      'certs/.hidden/h.crt': 'cnonly.crt',
      'certs/.hidden/h.key': 'cnonly.key',
      'certs/a/b/c/deep.crt': 'ed.crt', // depth 4: beyond Prosody's limit of 3 levels
      'certs/a/b/c/deep.key': 'ed.key',
      'certs/crlf.crt': 'text:-----BEGIN CERTIFICATE-----\r\nAAAA\r\n-----END CERTIFICATE-----\r\n',
      'certs/crlf.key': 'ec.key',
    });
    const idx = await indexCertificates(path.join(dir, 'certs'));
    const files = idx.certs.map((c) => path.relative(dir, c.file)).sort();
    assert.deepEqual(files, ['certs/live/chain.example/fullchain.pem', 'certs/wild.crt']);
    const reasons = Object.fromEntries(idx.skipped.map((s) => [path.relative(dir, s.file), s.reason]));
    assert.equal(reasons['certs/old.crt'], 'expired');
    assert.match(reasons['certs/lonely.crt'], /no key file/);
    assert.match(reasons['certs/crlf.crt'], /first line/);
    assert.equal(findInIndex(idx, 'chat.example.net')?.matchedName, '*.example.net');
    assert.equal(findInIndex(idx, 'example.net'), undefined);
    assert.equal(findInIndex(idx, 'chain.example')?.key, `${dir}/certs/live/chain.example/privkey.pem`);
    assert.equal(findInIndex(idx, 'old.example'), undefined);
    assert.equal(findInIndex(idx, 'cnonly.example'), undefined);
    assert.equal(findInIndex(idx, 'ed.example'), undefined);
    // With a clock in 2020 the expired certificate is indexed again.
    const then = await indexCertificates(path.join(dir, 'certs'), { now: new Date('2020-01-15T00:00:00Z') });
    assert.equal(findInIndex(then, 'old.example')?.certificate, `${dir}/certs/old.crt`);
  });

  it('index: XMPP-only names are indexed but not used for a host (Prosody needs service "*")', async () => {
    const dir = tree('idx3', { 'certs/x.crt': 'xmpp.crt', 'certs/x.key': 'xmpp.key' });
    const idx = await indexCertificates(path.join(dir, 'certs'));
    assert.deepEqual(idx.certs[0].names['chat.xmpp.example'], ['xmpp-client']);
    assert.deepEqual(idx.certs[0].names['xmpp.example'], ['*', 'xmpp-client', 'xmpp-server']);
    assert.equal(findInIndex(idx, 'chat.xmpp.example'), undefined);
    assert.equal(findInIndex(idx, 'xmpp.example')?.certificate, `${dir}/certs/x.crt`);
  });

  it('index: a missing certificates directory gives an error and an empty index', async () => {
    const idx = await indexCertificates(path.join(root, 'does-not-exist'));
    assert.ok(idx.error);
    assert.equal(idx.certs.length, 0);
  });
});

describe('classifyDhparam', () => {
  it('treats strings as paths, literal PEM only in 13.0, and drops non-strings', () => {
    assert.deepEqual(classifyDhparam('dh.pem', '/etc/prosody', '0.12'), { kind: 'path', path: '/etc/prosody/dh.pem' });
    const pem = '-----BEGIN DH PARAMETERS-----\nMIIB\n-----END DH PARAMETERS-----\n';
    assert.equal(classifyDhparam(pem, '/etc/prosody', '13.0').kind, 'pem');
    assert.equal(classifyDhparam(pem, '/etc/prosody', '0.12').kind, 'path');
    assert.equal(classifyDhparam(2048, '/etc/prosody', '13.0').kind, 'ignored');
  });
});
