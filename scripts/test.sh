#!/usr/bin/env bash
# Builds and runs the whole test suite: the release build, then the same suite
# under AddressSanitizer + UndefinedBehaviorSanitizer. Exits non-zero on any failure.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
jobs=$(nproc)
# Chromium and playwright-core for the dashboard's browser test, when missing.
bash "$root/scripts/install-browser.sh"

# The npm test tooling (conformance suite, TypeScript SDK) before configuring:
# the CMake files register those tests only where `node` exists.
bash "$root/scripts/install-test-tools.sh"

for flavour in release asan; do
  echo "== cafmcp: $flavour build" >&2
  bash "$root/scripts/build.sh" "$flavour"
  echo "== cafmcp: $flavour tests" >&2
  ctest --test-dir "$root/build/$flavour" --output-on-failure -j "$jobs"
done

# A short, bounded libFuzzer run over the protocol layer's readers (clang-14).
echo "== cafmcp: fuzz" >&2
bash "$root/scripts/fuzz.sh" "${CAFMCP_FUZZ_SECONDS:-30}"
