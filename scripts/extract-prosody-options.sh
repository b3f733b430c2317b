#!/usr/bin/env bash
# Prints the option names Prosody's Lua source reads by a literal name, one per line, sorted: the list in
# server/src/service/catalog/prosodyOptions.ts. Usage: scripts/extract-prosody-options.sh DIR... where each DIR is a
# Prosody source tree (Debian installs one at /usr/lib/prosody; other releases: `apt-get download prosody` from
# another suite and `dpkg -x` it).
set -euo pipefail
for d in "$@"; do
  grep -rhoE '(get_option[a-z_]*|configmanager\.get|config\.get|config_get|get_global_option|module:get_option_[a-z]+)\s*\(\s*("\*"\s*,\s*|[a-z_.]+\s*,\s*)?"[A-Za-z0-9_]+"' "$d" | grep -oE '"[A-Za-z0-9_]+"$' | tr -d '"'
done | sort -u
