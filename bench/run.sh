#!/usr/bin/env bash
# Runs one benchmark, prints its JSON lines and appends them, tagged with the
# date, the machine and the git revision, to bench/results/<name>.jsonl.
#   bench/run.sh throughput [flags]   cafmcp vs TS SDK vs nginx (bench/throughput.sh)
#   bench/run.sh sessions [flags]     many concurrent sessions (bench/sessions.sh)
#   bench/run.sh supervision|routing|recovery [flags]   in-process benchmark binaries
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
name=${1:?usage: bench/run.sh NAME [flags...]}
shift
if [ -f "$root/bench/$name.sh" ]; then
  producer=(bash "$root/bench/$name.sh" "$@")
else
  bash "$root/scripts/build.sh" release "${name}_bench" >&2
  producer=("$root/build/release/bench/${name}_bench" "$@")
fi
rev=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)
if [ -n "$(git -C "$root" status --porcelain --untracked-files=no 2>/dev/null)" ]; then
  rev="$rev+dirty"
fi
machine="$(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -m)"
cpu=$(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)
when=$(date -u +%Y-%m-%dT%H:%M:%SZ)
mkdir -p "$root/bench/results"
"${producer[@]}" | while IFS= read -r line; do
  echo "$line"
  echo "{\"date\":\"$when\",\"rev\":\"$rev\",\"machine\":\"$machine\",\"cpu\":\"$cpu\",\"result\":$line}" \
    >> "$root/bench/results/${name}.jsonl"
done
