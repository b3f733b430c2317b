#!/usr/bin/env bash
# Installs what the test suite needs beyond npm, once per machine (idempotent, ~1 s when done):
# Debian packages for the LuaSec/Prosody oracle, openssl (cipher and certificate tests), unzip
# (package check), neovim (second LSP client); then the real editor (chromium, Node 24, code-server).
# Installing prosody must not start a daemon: a policy-rc.d refusing service starts is put in place
# for the install only.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive
SUDO=()
[ "$(id -u)" -eq 0 ] || SUDO=(sudo)

need=()
for p in prosody lua-sec lua5.4 openssl unzip neovim; do
  [ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)" = "install ok installed" ] || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  echo "setup: apt-get install ${need[*]}"
  "${SUDO[@]}" apt-get update -qq
  added_policy=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' | "${SUDO[@]}" tee /usr/sbin/policy-rc.d >/dev/null
    "${SUDO[@]}" chmod +x /usr/sbin/policy-rc.d
    added_policy=1
  fi
  "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  if [ "$added_policy" = 1 ]; then "${SUDO[@]}" rm -f /usr/sbin/policy-rc.d; fi
fi
sh scripts/oracle-setup.sh
bash scripts/e2e-setup.sh
