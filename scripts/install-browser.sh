#!/usr/bin/env bash
# Installs what the browser test (tests/browser) needs, only when it is missing:
# Debian's chromium, and playwright-core from npm exactly as package-lock.json pins it.
# Called by scripts/test.sh before the build; nothing else downloads a browser.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

# By command, not by package: Node.js from another source (NodeSource's nodejs
# brings its own npm, which Debian's npm package conflicts with) is fine.
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  missing+=(nodejs npm)
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "cafmcp: installing missing packages: ${missing[*]}" >&2
  SUDO=
  [ "$(id -u)" -ne 0 ] && SUDO=sudo
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# npm ci only when node_modules does not match the lock file already.
dir="$root/tests/browser"
if [ ! -f "$dir/node_modules/.package-lock.json" ] ||
   ! cmp -s <(sed -n '/"node_modules\/playwright-core"/,/}/p' "$dir/package-lock.json") \
             <(sed -n '/"node_modules\/playwright-core"/,/}/p' "$dir/node_modules/.package-lock.json"); then
  (cd "$dir" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
fi
