#!/usr/bin/env bash
# Installs the npm test tooling of tests/npm (the official MCP conformance
# suite and the TypeScript SDK client, pinned in its package-lock.json) with
# `npm ci`, only when node_modules is missing or was installed from another
# lockfile (a stamp file holds the lockfile's hash). Installs Node.js and npm
# from Debian first when they are missing. Test tooling only: nothing of it is
# part of cafmcp.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dir="$root/tests/npm"
stamp="$dir/node_modules/.cafmcp-lock-sha256"

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "cafmcp: installing nodejs and npm from Debian" >&2
  SUDO=
  [ "$(id -u)" -ne 0 ] && SUDO=sudo
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
fi

# undici 7 (a dependency of the conformance suite) needs Node >= 20.18.1.
if ! node -e '
  const [a, b, c] = process.versions.node.split(".").map(Number);
  process.exit(a > 20 || (a === 20 && (b > 18 || (b === 18 && c >= 1))) ? 0 : 1);'; then
  echo "cafmcp: the npm test tools need Node.js >= 20.18.1, found $(node --version)" >&2
  exit 1
fi

want=$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi
echo "cafmcp: npm ci in tests/npm" >&2
(cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
echo "$want" >"$stamp"
