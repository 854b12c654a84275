#!/usr/bin/env bash
# check_find_package.sh BUILD_DIR EXAMPLE_DIR [ARGS...]
# Installs the build into a scratch prefix, builds the example project against it and runs
# its executable (named like the example folder) with ARGS.
set -euo pipefail
build=$1
example=$2
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cmake --install "$build" --prefix "$scratch/prefix" >/dev/null
launcher=()
if command -v ccache >/dev/null; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi
cmake -S "$example" -B "$scratch/build" -G Ninja -DCMAKE_PREFIX_PATH="$scratch/prefix" \
  "${launcher[@]}" >/dev/null
cmake --build "$scratch/build" >/dev/null
"$scratch/build/$(basename "$example")" "${@:3}"
