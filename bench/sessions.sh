#!/usr/bin/env bash
# Concurrent sessions: opens N initialized sessions against a fresh
# cafmcp-bench-server per run (WebSocket, TCP: one connection each; Streamable
# HTTP: one open GET stream each, POSTs over 64 shared keep-alive connections),
# idles (then again with a trickle of echo calls), and pings every session.
# Reports server RSS per session, time to open them all, fds, and whether
# every session answered. Run it through bench/run.sh.
#
#   bench/run.sh sessions [--sessions "15000"] [--transports "ws tcp http"]
#                         [--idle 10] [--trickle 50] [--sources 8]
#
# Every session holds a socket in the server and one in the load generator, so
# N is bounded by the hard RLIMIT_NOFILE of both (raising it needs
# CAP_SYS_RESOURCE); runs above it are reported as skipped. Beyond that the
# kernel needs (see README): fs.nr_open and fs.file-max >= 2N,
# net.ipv4.ip_local_port_range wide, and N / ~28k source addresses (--sources).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
trap stop_all EXIT

counts="15000" transports="ws tcp http" idle=10 trickle=50 sources=8
while [ $# -gt 0 ]; do
  case $1 in
    --sessions) counts=$2 ;;
    --transports) transports=$2 ;;
    --idle) idle=$2 ;;
    --trickle) trickle=$2 ;;
    --sources) sources=$2 ;;
    *) echo "sessions: unknown flag $1" >&2; exit 2 ;;
  esac
  shift 2
done

build_bench
loadgen="$root/build/release/bench/loadgen"
ulimit -n "$(ulimit -Hn)"
fd_limit=$(ulimit -n)
source_list=$(seq -s, -f "127.0.0.%g" 1 "$sources")

for n in $counts; do
  for t in $transports; do
    for rate in 0 $trickle; do
      if [ "$n" -gt $((fd_limit - 200)) ]; then
        echo "{\"bench\":\"sessions\",\"target\":\"cafmcp-$t\",\"sessions\":$n,\"trickle_rps\":$rate,\"skipped\":\"fd hard limit $fd_limit < sessions + 200\"}"
        continue
      fi
      # A node sized for n sessions: pools, the session table, connections.
      per_pool=$(((n + 9) / 10 + 100))
      cat >"$work/node.json" <<JSON
{
  "supervision": { "num_pools": 10, "servers_per_pool": $per_pool },
  "limits": { "max_sessions": $((n + 1000)), "max_connections_per_transport": $((n + 1000)) },
  "admin": { "enabled": false },
  "transports": {
    "http": { "enabled": $([ "$t" = http ] && echo true || echo false), "host": "127.0.0.1", "port": 0 },
    "ws": { "enabled": $([ "$t" = ws ] && echo true || echo false), "host": "127.0.0.1", "port": 0 },
    "tcp": { "enabled": $([ "$t" = tcp ] && echo true || echo false), "host": "127.0.0.1", "port": 0 }
  }
}
JSON
      start_cafmcp --config "$work/node.json"
      sleep 1 # settle before the baseline RSS
      eval "port=\$cafmcp_port_$t"
      "$loadgen" --mode "$t" --port "$port" --sessions "$n" --idle "$idle" --trickle "$rate" \
        --open-concurrency 64 --sources "$source_list" --server-pid "$cafmcp_pid" \
        --label "cafmcp-$t"
      kill "$cafmcp_pid"
      wait "$cafmcp_pid" 2>/dev/null || true
      unset cafmcp_pid
    done
  done
done
