#!/bin/sh
# Installs the real Prosody + LuaSec + Lua 5.4 + OpenSSL that test/oracle/ asks whether an `ssl` table works.
# Idempotent: installs nothing when everything is present; runs `apt-get update` only when a package is missing.
# Debian 12 provides prosody 0.12.3 (on Lua 5.4) and lua-sec 1.2.0.
set -eu

PACKAGES="prosody lua-sec lua5.4 openssl"

missing=""
for pkg in $PACKAGES; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing $pkg"
  fi
done

if [ -n "$missing" ]; then
  SUDO=""
  if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
  echo "oracle-setup: installing$missing"
  $SUDO apt-get update -qq
  # Recommends (lua-event, lua-unbound, ...) are not needed: the probe only loads util.sslconfig and core.certmanager.
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends $missing
else
  echo "oracle-setup: prosody, lua-sec, lua5.4 and openssl already installed"
fi

# Prove the pieces the probe needs can actually be loaded.
lua5.4 -e 'local ssl = require "ssl"; io.write("oracle-setup: LuaSec ", ssl._VERSION, "\n")'
test -f /usr/lib/prosody/util/sslconfig.lua || { echo "oracle-setup: /usr/lib/prosody/util/sslconfig.lua not found" >&2; exit 1; }
test -f /usr/lib/prosody/core/certmanager.lua || { echo "oracle-setup: /usr/lib/prosody/core/certmanager.lua not found" >&2; exit 1; }
echo "oracle-setup: prosody $(cat /usr/lib/prosody/prosody.version 2>/dev/null || echo '?'), $(openssl version)"
