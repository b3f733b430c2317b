// Runs the vscode-API suite (test/editor/suite) in a real editor with @vscode/test-electron.
// Where desktop VS Code can be downloaded it runs as usual. Where it cannot (no internet but npm/apt), or when
// PROSODY_SSL_CODE_SERVER is set or scripts/e2e-setup.sh has filled its cache, the "executable" is an adapter
// that runs the same suite in code-server's extension host. Prints `editor: N passed, N failed` last.
import { runTests } from '@vscode/test-electron';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

// Compiled to out/test/editor/runTest.js; sources and fixtures stay under test/editor.
const root = resolve(__dirname, '..', '..', '..');
const sourceDir = join(root, 'test', 'editor');

interface SuiteResult {
  passed: number;
  failed: number;
  report: string[];
}

function codeServerAdapter(): string | undefined {
  const cache = process.env.PROSODY_SSL_E2E_CACHE || join(homedir(), '.cache', 'prosody-ssl-e2e');
  const useIt = Boolean(process.env.PROSODY_SSL_CODE_SERVER) || existsSync(join(cache, 'current', 'bin', 'code-server'));
  return useIt ? join(sourceDir, 'code-server-adapter.sh') : undefined;
}

function readResult(file: string): SuiteResult | undefined {
  try {
    const r = JSON.parse(readFileSync(file, 'utf8')) as Partial<SuiteResult>;
    if (typeof r.passed !== 'number' || typeof r.failed !== 'number') return undefined;
    return { passed: r.passed, failed: r.failed, report: Array.isArray(r.report) ? r.report : [] };
  } catch {
    return undefined;
  }
}

async function main(): Promise<number> {
  if (!existsSync(join(root, 'dist', 'extension.js'))) {
    console.error('editor: dist/extension.js is missing; run `npm run build` first');
    console.log('editor: 0 passed, 1 failed');
    return 1;
  }
  const temp = mkdtempSync(join(tmpdir(), 'prosody-ssl-editor-'));
  // Tests edit documents; they work on a copy so the fixtures never change.
  const workspace = join(temp, 'workspace');
  cpSync(join(sourceDir, 'fixtures', 'workspace'), workspace, { recursive: true });
  const resultFile = join(temp, 'result.json');
  const adapter = codeServerAdapter();
  // `timeout` signals the whole process group: the editor (or adapter) stops itself on SIGTERM, after which
  // runTests settles and we still print the count line and remove the temp folder.
  process.on('SIGTERM', () => console.error('editor: SIGTERM, waiting for the editor to stop'));
  let exitCode = 0;
  try {
    await runTests({
      extensionDevelopmentPath: root,
      extensionTestsPath: join(__dirname, 'suite', 'index'),
      ...(adapter ? { vscodeExecutablePath: adapter } : {}),
      launchArgs: [
        workspace,
        '--disable-extensions',
        `--user-data-dir=${join(temp, 'user-data')}`,
        `--extensions-dir=${join(temp, 'extensions')}`,
      ],
      extensionTestsEnv: { PROSODY_SSL_EDITOR_RESULT: resultFile },
    });
  } catch (err) {
    console.error(`editor: ${err instanceof Error ? err.message : String(err)}`);
    exitCode = 1;
  }
  const result = readResult(resultFile);
  rmSync(temp, { recursive: true, force: true });
  if (!result) {
    // The suite never reported (editor did not start, suite crashed before running): count it as one failure.
    console.log('editor: 0 passed, 1 failed');
    return 1;
  }
  console.log(result.report.join('\n'));
  console.log(`editor: ${result.passed} passed, ${result.failed} failed`);
  return result.failed > 0 || exitCode !== 0 ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(err);
    console.log('editor: 0 passed, 1 failed');
    process.exitCode = 1;
  },
);
