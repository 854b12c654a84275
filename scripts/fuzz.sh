#!/usr/bin/env bash
# Builds the libFuzzer targets with clang-14 in build/fuzz (only them and the
# protocol layer) and runs each for a bounded time: `scripts/fuzz.sh [seconds]`
# (default 30). New inputs go to build/fuzz/corpus, never to the committed seed
# corpus (tests/fuzz/corpus); a crash leaves its input in build/fuzz/artifacts
# and fails the script. Reproduce with: build/fuzz/tests/fuzz/fuzz_protocol FILE
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-30}

bash "$root/scripts/install-deps.sh"

export CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/ccache}
export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-5G}
export CCACHE_BASEDIR=$root
export CCACHE_NOHASHDIR=true

dir="$root/build/fuzz"
if [ ! -f "$dir/build.ninja" ]; then
  CC=clang-14 CXX=clang++-14 cmake -S "$root" -B "$dir" -G Ninja \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCAFMCP_FUZZ=ON \
    -DCAFMCP_BUILD_TESTS=OFF -DCAFMCP_BUILD_BENCH=OFF >/dev/null
fi
cmake --build "$dir" -j "$(nproc)" --target fuzz_protocol

mkdir -p "$dir/corpus/protocol" "$dir/artifacts"
echo "== cafmcp: fuzzing fuzz_protocol for ${seconds}s" >&2
# -jobs would fork more processes; one is enough for a CI smoke run on 2 cores.
"$dir/tests/fuzz/fuzz_protocol" \
  -max_total_time="$seconds" -max_len=8192 -timeout=10 -rss_limit_mb=2048 \
  -dict="$root/tests/fuzz/protocol.dict" \
  -artifact_prefix="$dir/artifacts/" -print_final_stats=1 \
  "$dir/corpus/protocol" "$root/tests/fuzz/corpus"
