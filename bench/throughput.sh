#!/usr/bin/env bash
# Throughput/latency, cafmcp beside its peers, same load generator, same run:
#   cafmcp-bench-server over Streamable HTTP (JSON responses), WebSocket, TCP;
#   the TypeScript SDK server (stateful Streamable HTTP, JSON responses);
#   nginx serving a fixed JSON body over keep-alive (the ceiling).
# Repetitions are interleaved (every target once per round) so that noise on
# this shared machine spreads over all of them. Prints one JSON line per run,
# then a summary line with medians and ratios. Run it through bench/run.sh.
#
#   bench/run.sh throughput [--connections 64] [--duration 10] [--reps 3]
#                           [--loadgen-threads 1] [--targets "cafmcp-http ... nginx"]
#                           [--baseline PATH]
#
# --baseline PATH: a cafmcp-bench-server built from another revision (e.g. a
# `git worktree` of it, built with scripts/build.sh), run in the same rounds
# as targets baseline-http, baseline-ws and baseline-tcp: before/after
# figures from one run instead of two runs on a noisy machine.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
trap stop_all EXIT

connections=64 duration=10 reps=3 threads=1 baseline=
targets="cafmcp-http cafmcp-ws cafmcp-tcp ts-sdk nginx"
while [ $# -gt 0 ]; do
  case $1 in
    --connections) connections=$2 ;;
    --duration) duration=$2 ;;
    --reps) reps=$2 ;;
    --loadgen-threads) threads=$2 ;;
    --targets) targets=$2 ;;
    --baseline) baseline=$2 ;;
    *) echo "throughput: unknown flag $1" >&2; exit 2 ;;
  esac
  shift 2
done
if [ -n "$baseline" ]; then
  [ -x "$baseline" ] || { echo "throughput: --baseline $baseline is not an executable" >&2; exit 2; }
  case " $targets " in *" baseline-"*) ;; *) targets="$targets baseline-http baseline-ws baseline-tcp" ;; esac
fi

build_bench
loadgen="$root/build/release/bench/loadgen"
# The size of an echo answer, so nginx sends as many bytes as an MCP server.
body='{"jsonrpc":"2.0","id":123,"result":{"content":[{"type":"text","text":"c12-3456"}]}}'

for t in $targets; do
  case $t in
    cafmcp-*) [ -n "${cafmcp_pid:-}" ] || start_cafmcp --http 127.0.0.1:0 --ws 127.0.0.1:0 --tcp 127.0.0.1:0 ;;
    baseline-*)
      [ -n "$baseline" ] || { echo "throughput: $t needs --baseline PATH" >&2; exit 2; }
      if [ -z "${baseline_pid:-}" ]; then
        launch_bench_server "$baseline" "$work/baseline.log" --http 127.0.0.1:0 --ws 127.0.0.1:0 --tcp 127.0.0.1:0
        baseline_pid=$server_pid baseline_port_http=$server_port_http
        baseline_port_ws=$server_port_ws baseline_port_tcp=$server_port_tcp
      fi ;;
    ts-sdk) start_ts_sdk ;;
    nginx) start_nginx "$body" ;;
    *) echo "throughput: unknown target $t" >&2; exit 2 ;;
  esac
done

results="$work/results.jsonl"
warmup=1
common=(--connections "$connections" --duration "$duration" --warmup "$warmup" --threads "$threads")
for rep in $(seq "$reps"); do
  for t in $targets; do
    case $t in
      cafmcp-http) args=(--mode http --port "$cafmcp_port_http") pid=$cafmcp_pid ;;
      cafmcp-ws) args=(--mode ws --port "$cafmcp_port_ws") pid=$cafmcp_pid ;;
      cafmcp-tcp) args=(--mode tcp --port "$cafmcp_port_tcp") pid=$cafmcp_pid ;;
      baseline-http) args=(--mode http --port "$baseline_port_http") pid=$baseline_pid ;;
      baseline-ws) args=(--mode ws --port "$baseline_port_ws") pid=$baseline_pid ;;
      baseline-tcp) args=(--mode tcp --port "$baseline_port_tcp") pid=$baseline_pid ;;
      ts-sdk) args=(--mode http --port "$ts_port") pid=$ts_pid ;;
      nginx) args=(--mode get --port "$nginx_port" --expect-body "$body") pid=$nginx_pid ;;
    esac
    # The server's own CPU per request: on a machine where the load generator
    # and the server share the cores, rps alone mixes the two.
    ticks0=$(cpu_ticks "$pid")
    line=$("$loadgen" "${args[@]}" "${common[@]}" --label "$t" --rep "$rep")
    ticks1=$(cpu_ticks "$pid")
    with_cpu "$line" "$((ticks1 - ticks0))" "$warmup" | tee -a "$results"
  done
done

# Medians per target and the ratios the issue asks for.
node_version=$(node --version 2>/dev/null || echo none)
nginx_version=$(/usr/sbin/nginx -v 2>&1 | sed 's|.*nginx/||')
sdk_version=$(node -p 'require(process.argv[1]).version' \
  "$root/bench/peers/node_modules/@modelcontextprotocol/sdk/package.json" 2>/dev/null || echo none)
python3 - "$results" "$node_version" "$nginx_version" "$sdk_version" <<'PY'
import json, statistics, sys
runs = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
med = {}
for t in dict.fromkeys(r["target"] for r in runs):
    rs = [r for r in runs if r["target"] == t]
    med[t] = {k: statistics.median(r[k] for r in rs)
              for k in ("rps", "p50_us", "p99_us", "server_cpu_us_per_req")}
    med[t]["errors"] = sum(r["errors"] for r in rs)
out = {"bench": "throughput", "summary": True, "median": med,
       "versions": {"node": sys.argv[2], "nginx": sys.argv[3], "ts_sdk": sys.argv[4]}}
def ratio(a, b):
    if a in med and b in med and med[b]["rps"] > 0:
        out[f"{a}/{b}"] = round(med[a]["rps"] / med[b]["rps"], 3)
        # The same comparison by the servers' CPU per request (lower is better).
        if med[a]["server_cpu_us_per_req"] > 0:
            out[f"cpu {b}/{a}"] = round(
                med[b]["server_cpu_us_per_req"] / med[a]["server_cpu_us_per_req"], 3)
for a in ("cafmcp-http", "cafmcp-ws", "cafmcp-tcp"):
    ratio(a, "ts-sdk"); ratio(a, "nginx")
    ratio(a, a.replace("cafmcp-", "baseline-"))
print(json.dumps(out))
for k, v in out.items():
    if "/" in k:
        print(f"  {k}: {v}", file=sys.stderr)
PY
