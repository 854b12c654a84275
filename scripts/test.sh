#!/usr/bin/env bash
# Builds and runs the whole test suite: the release build, then the same suite
# under AddressSanitizer + UndefinedBehaviorSanitizer. Exits non-zero on any failure.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
jobs=$(nproc)
# Chromium and playwright-core for the dashboard's browser test, when missing.
bash "$root/scripts/install-browser.sh"

for flavour in release asan; do
  echo "== cafmcp: $flavour build" >&2
  bash "$root/scripts/build.sh" "$flavour"
  echo "== cafmcp: $flavour tests" >&2
  ctest --test-dir "$root/build/$flavour" --output-on-failure -j "$jobs"
done
