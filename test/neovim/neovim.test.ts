// A real second LSP client: Debian's Neovim, headless, runs test/neovim/client.lua, which starts our
// server with --stdio, opens a config, and records the diagnostics and completion it receives.
// Needs `nvim` on PATH (.ci/run installs Debian's neovim); a missing nvim fails the test.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';

const ROOT = path.resolve(__dirname, '../../..');
const SERVER = path.join(ROOT, 'dist', 'server.js');
const CLIENT = path.join(ROOT, 'test', 'neovim', 'client.lua');

// Line 2 (0-based) holds a protocol LuaSec refuses; line 4 has the cursor inside `c2s_ssl = {  }`.
const CONFIG = ['-- prosody-ssl: version=13.0', 'ssl = {', '  protocol = "sslv3";', '}', 'c2s_ssl = {  }', ''].join('\n');
const COMPLETE_AT = { line: 4, character: 'c2s_ssl = { '.length };
const HOVER_AT = { line: 2, character: '  proto'.length };

interface NvimResult {
  nvim: string;
  error?: string;
  initialized?: boolean;
  server_name?: string;
  got_diagnostics?: boolean;
  diagnostics?: Array<{ lnum: number; col: number; severity: number; message: string; source: string; code: string }>;
  completion?: string[];
  completion_error?: string;
  hover?: string;
  stopped?: boolean;
}

describe('Neovim (headless) as an LSP client', () => {
  let dir: string;
  let result: NvimResult;

  before(() => {
    assert.ok(fs.existsSync(SERVER), 'dist/server.js is built');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prosody-ssl-nvim-'));
    const config = path.join(dir, 'prosody.cfg.lua');
    fs.writeFileSync(config, CONFIG);
    const out = path.join(dir, 'result.json');
    const r = spawnSync('nvim', ['--headless', '-u', 'NONE', '-i', 'NONE', '-n', '-S', CLIENT], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 90_000,
      env: {
        ...process.env,
        PROSODY_SSL_NODE: process.execPath,
        PROSODY_SSL_SERVER: SERVER,
        PROSODY_SSL_CONFIG: config,
        PROSODY_SSL_OUT: out,
        PROSODY_SSL_COMPLETE_AT: `${COMPLETE_AT.line}:${COMPLETE_AT.character}`,
        PROSODY_SSL_HOVER_AT: `${HOVER_AT.line}:${HOVER_AT.character}`,
        XDG_STATE_HOME: dir,
        XDG_DATA_HOME: dir,
        XDG_CACHE_HOME: dir,
      },
    });
    if (r.error) throw new Error(`could not run nvim (is Debian's neovim installed?): ${r.error.message}`);
    assert.ok(fs.existsSync(out), `nvim wrote no result (exit ${r.status}); stderr: ${r.stderr}; stdout: ${r.stdout}`);
    result = JSON.parse(fs.readFileSync(out, 'utf8')) as NvimResult;
    assert.equal(result.error, undefined, `client script failed: ${result.error}`);
  });

  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('runs Debian’s Neovim and the server initializes with completion support', () => {
    assert.match(result.nvim, /^0\.\d+\.\d+$|^\d+\.\d+\.\d+$/);
    assert.equal(result.initialized, true);
    assert.equal(result.server_name, 'has-completion');
  });

  it('receives our diagnostics (pushed by the server) for the opened file', () => {
    assert.equal(result.got_diagnostics, true, 'no diagnostics arrived in 15 s');
    const ours = result.diagnostics!.filter((d) => d.source === 'prosody-ssl');
    assert.ok(ours.length > 0, JSON.stringify(result.diagnostics));
    const protocol = ours.find((d) => d.lnum === 2);
    assert.ok(protocol, `a diagnostic on the sslv3 line; got ${JSON.stringify(ours)}`);
    assert.equal(protocol.severity, 1, 'an error (vim.diagnostic.severity.ERROR)');
    assert.equal(protocol.col, '  protocol = '.length, 'on the value');
    assert.match(protocol.message, /sslv3/);
    assert.equal(typeof protocol.code, 'string');
  });

  it('gets a completion list of ssl keys inside `c2s_ssl = { | }`', () => {
    assert.equal(result.completion_error, undefined);
    const labels = result.completion!;
    for (const key of ['protocol', 'ciphers', 'certificate', 'key']) assert.ok(labels.includes(key), `${key} in ${labels.join(', ')}`);
    assert.ok(!labels.includes('c2s_ssl'), 'top-level options are not offered inside a table');
  });

  it('gets hover text for a key, and the server shuts down cleanly', () => {
    assert.match(result.hover ?? '', /protocol/i);
    assert.equal(result.stopped, true);
  });
});
