// The whole test suite, as CI runs it: build, type-check and compile tests, run every node:test
// suite (unit, grammar, protocol, oracle, cli, neovim), package the .vsix and check it, then the real-editor and
// UI suites in code-server. Prints one closing line "N passed, N failed".
// Stages can be chosen: node scripts/test.mjs unit grammar protocol oracle cli neovim package editor
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ALL = ['unit', 'grammar', 'protocol', 'oracle', 'cli', 'neovim', 'package', 'editor'];
const chosen = process.argv.slice(2).filter((a) => ALL.includes(a));
const stages = chosen.length ? chosen : ALL;
let passed = 0;
let failed = 0;
const problems = [];

function run(cmd, args, opts = {}) {
  console.log(`\n$ ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: opts.capture ? ['ignore', 'pipe', 'inherit'] : 'inherit', encoding: 'utf8', ...opts });
  if (opts.capture && r.stdout) process.stdout.write(r.stdout);
  return r;
}

function step(name, cmd, args) {
  const r = run(cmd, args);
  if (r.status !== 0) {
    failed++;
    problems.push(`${name} failed (exit ${r.status ?? r.signal})`);
    return false;
  }
  return true;
}

/** Runs node's test runner on folders; counts come from its TAP summary. */
function nodeTests(name, dirs) {
  const dir = mkdtempSync(join(tmpdir(), 'prosody-ssl-tap-'));
  const tap = join(dir, 'out.tap');
  const r = run(process.execPath, ['--test', '--test-reporter=spec', '--test-reporter-destination=stdout', '--test-reporter=tap', `--test-reporter-destination=${tap}`, ...dirs]);
  let text = '';
  try {
    text = readFileSync(tap, 'utf8');
  } catch {
    /* runner died before writing */
  }
  rmSync(dir, { recursive: true, force: true });
  const p = Number(/^# pass (\d+)/m.exec(text)?.[1] ?? 0);
  const f = Number(/^# fail (\d+)/m.exec(text)?.[1] ?? 0);
  passed += p;
  failed += f;
  console.log(`${name}: ${p} passed, ${f} failed`);
  if (r.status !== 0 && f === 0) {
    failed++;
    problems.push(`${name}: test runner exited ${r.status} without a failing test`);
  } else if (f) problems.push(`${name}: ${f} failed`);
  if (p + f === 0) {
    failed++;
    problems.push(`${name}: no test ran`);
  }
}

// Debian packages, the oracle and the real editor: idempotent, about a second once installed.
const needsSetup = stages.some((s) => ['oracle', 'editor', 'package', 'unit', 'neovim'].includes(s)) && process.env['PROSODY_SSL_SKIP_SETUP'] !== '1';
const setupOk = !needsSetup || step('setup (scripts/setup-test-deps.sh)', 'bash', ['scripts/setup-test-deps.sh']);

if (setupOk && step('build', process.execPath, ['scripts/build.mjs']) && step('typecheck + compile tests', 'npx', ['tsc', '-p', 'tsconfig.test.json'])) {
  const folders = { unit: 'out/test/unit', grammar: 'out/test/grammar', protocol: 'out/test/protocol', oracle: 'out/test/oracle', cli: 'out/test/cli', neovim: 'out/test/neovim' };
  const dirs = stages.filter((s) => s in folders).map((s) => folders[s]);
  if (dirs.length) nodeTests('node tests', dirs);
  if (stages.includes('package') || stages.includes('editor')) {
    if (step('package', 'npm', ['run', 'package'])) nodeTests('package', ['out/test/package']);
  }
  if (stages.includes('editor')) {
    // The UI test's screenshots go to test-results/ here; `npm run screenshots` refreshes the README's images/.
    const env = { ...process.env, PROSODY_SSL_SCREENSHOTS: process.env['PROSODY_SSL_SCREENSHOTS'] ?? 'test-results/screenshots' };
    const r = run('bash', ['scripts/e2e-run.sh'], { capture: true, env });
    const out = r.stdout ?? '';
    let counted = 0;
    for (const m of out.matchAll(/^(editor|ui): (\d+) passed, (\d+) failed$/gm)) {
      passed += Number(m[2]);
      failed += Number(m[3]);
      counted++;
      if (Number(m[3])) problems.push(`${m[1]}: ${m[3]} failed`);
    }
    if (r.status !== 0 || counted < 2) {
      if (!problems.some((p) => p.startsWith('editor') || p.startsWith('ui'))) {
        failed++;
        problems.push(`real-editor stage exited ${r.status ?? r.signal} (${counted} of 2 suites reported)`);
      }
    }
  }
}

console.log('');
for (const p of problems) console.log(`problem: ${p}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
