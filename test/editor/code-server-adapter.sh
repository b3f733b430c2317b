#!/bin/sh
# Executable handed to @vscode/test-electron's runTests() as vscodeExecutablePath (it spawns it without a shell).
exec node "$(dirname "$0")/code-server-adapter.mjs" "$@"
