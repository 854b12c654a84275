#!/usr/bin/env bash
# Builds and runs one benchmark, prints its JSON lines and appends them, tagged
# with the date, the machine and the git revision, to bench/results/<name>.jsonl.
#   bench/run.sh supervision [benchmark flags...]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
name=${1:?usage: bench/run.sh NAME [flags...]}
shift
bash "$root/scripts/build.sh" release "${name}_bench" >&2
rev=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)
machine="$(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -m)"
when=$(date -u +%Y-%m-%dT%H:%M:%SZ)
mkdir -p "$root/bench/results"
"$root/build/release/bench/${name}_bench" "$@" | while IFS= read -r line; do
  echo "$line"
  echo "{\"date\":\"$when\",\"rev\":\"$rev\",\"machine\":\"$machine\",\"result\":$line}" \
    >> "$root/bench/results/${name}.jsonl"
done
