#!/usr/bin/env bash
# CTest smoke test (bench.loadgen_smoke): the load generator against the bench
# server for 1 s per transport; fails unless every run got answers and no errors.
#   smoke.sh <cafmcp-bench-server> <loadgen>
set -euo pipefail
server=$1 loadgen=$2
log=$(mktemp)
"$server" --http 127.0.0.1:0 --ws 127.0.0.1:0 --tcp 127.0.0.1:0 2>"$log" &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -f "$log"' EXIT
for _ in $(seq 300); do
  grep -q "cafmcp: ready" "$log" && break
  kill -0 $pid 2>/dev/null || { cat "$log"; exit 1; }
  sleep 0.1
done
port() { sed -n "s/^cafmcp: listening $1 [^ ]*:\([0-9]*\).*/\1/p" "$log" | head -1; }
for mode in http ws tcp; do
  line=$("$loadgen" --mode $mode --port "$(port $mode)" --connections 4 --duration 1 --warmup 0.2)
  echo "$line"
  echo "$line" | python3 -c '
import json, sys
r = json.load(sys.stdin)
assert r["requests"] > 0 and r["errors"] == 0, r'
done
