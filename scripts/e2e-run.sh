#!/usr/bin/env bash
# Real-editor stage: the vscode-API suite (test/editor, through @vscode/test-electron's runTests and, here,
# code-server) and the UI smoke test against the packaged .vsix (test/ui). Builds nothing: expects
# `npm run build`, `npm run package` and the compiled tests (out/test/editor) to exist.
# Installs the editor (scripts/e2e-setup.sh) only when its cache is missing.
# stdout carries exactly two lines, `editor: N passed, N failed` and `ui: N passed, N failed` (the orchestrator
# sums them); the stages' own output and progress go to stderr. Exits non-zero if either failed.
# Env: PROSODY_SSL_E2E_TIMEOUT (seconds per stage, default 300), plus those of e2e-setup.sh and the tests.
set -uo pipefail
cd "$(dirname "$0")/.."

STAGE_TIMEOUT="${PROSODY_SSL_E2E_TIMEOUT:-300}"
CACHE="${PROSODY_SSL_E2E_CACHE:-$HOME/.cache/prosody-ssl-e2e}"
editor_line='editor: 0 passed, 1 failed'
ui_line='ui: 0 passed, 1 failed'
status=0

finish() {
  echo "$editor_line"
  echo "$ui_line"
  exit "$status"
}

if [ -z "${PROSODY_SSL_CODE_SERVER:-}" ] && [ ! -x "$CACHE/current/bin/code-server" ]; then
  echo "e2e: editor cache missing, running scripts/e2e-setup.sh (about 4 min once)" >&2
  if ! timeout -k 10 900 bash scripts/e2e-setup.sh >/dev/null; then
    echo "e2e: setup failed" >&2
    status=1
    finish
  fi
fi

for f in dist/extension.js prosody-ssl.vsix out/test/editor/runTest.js out/test/editor/suite/index.js; do
  if [ ! -e "$f" ]; then
    echo "e2e: $f is missing (run npm run build, npm run package and npm run compile-tests first)" >&2
    status=1
    finish
  fi
done

# Runs one stage under a time limit and keeps the last count line it printed.
# timeout sends SIGTERM first: the tests stop their browser and code-server on it, SIGKILL follows 20 s later.
run_stage() {
  local name="$1"
  shift
  local log
  log="$(mktemp)"
  local started=$SECONDS
  timeout -k 20 "$STAGE_TIMEOUT" "$@" 2>&1 | tee "$log" >&2
  local rc=${PIPESTATUS[0]}
  local line
  line="$(grep -E "^$name: [0-9]+ passed, [0-9]+ failed$" "$log" | tail -n1)"
  rm -f "$log"
  [ "$rc" -eq 124 ] && echo "e2e: $name stage timed out after ${STAGE_TIMEOUT}s" >&2
  echo "e2e: $name stage took $((SECONDS - started))s (exit $rc)" >&2
  if [ -z "$line" ]; then line="$name: 0 passed, 1 failed"; fi
  # A non-zero exit with a clean count line still fails the stage.
  if [ "$rc" -ne 0 ]; then
    status=1
    case "$line" in *" 0 failed") line="${line% 0 failed} 1 failed" ;; esac
  fi
  printf -v "${name}_line" '%s' "$line"
}

run_stage editor node out/test/editor/runTest.js
run_stage ui node test/ui/ui.test.mjs
finish
