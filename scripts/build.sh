#!/usr/bin/env bash
# Configures and builds one flavour of cafmcp: `release` (default) or `asan`
# (AddressSanitizer + UndefinedBehaviorSanitizer). Extra arguments are targets.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
flavour=${1:-release}
shift || true

bash "$root/scripts/install-deps.sh"

# ccache, shared by every clone on this machine: paths below the checkout are
# hashed relative to it, so a fresh clone in another folder still hits.
export CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/ccache}
export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-5G}
export CCACHE_BASEDIR=$root
export CCACHE_NOHASHDIR=true

case "$flavour" in
  release) args=(-DCMAKE_BUILD_TYPE=RelWithDebInfo) ;;
  asan)    args=(-DCMAKE_BUILD_TYPE=Debug -DCAFMCP_SANITIZE=ON -DCAFMCP_BUILD_BENCH=OFF) ;;
  *) echo "usage: build.sh [release|asan] [targets...]" >&2; exit 2 ;;
esac

dir="$root/build/$flavour"
if [ ! -f "$dir/build.ninja" ]; then
  cmake -S "$root" -B "$dir" -G Ninja "${args[@]}" >/dev/null
fi
targets=()
for t in "$@"; do targets+=(--target "$t"); done
cmake --build "$dir" -j "$(nproc)" "${targets[@]}"
