# Helpers shared by the bench scripts (sourced). Servers started here are
# stopped by stop_all, which the scripts run on EXIT.
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work=$(mktemp -d /tmp/cafmcp-bench.XXXXXX)
started_pids=()

stop_all() {
  for pid in "${started_pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${started_pids[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
  rm -rf "$work"
}

# A TCP port nobody listens on right now.
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# Waits until `file` has a line matching `pattern` (or the process dies).
wait_for_line() {
  local file=$1 pattern=$2 pid=$3
  for _ in $(seq 600); do
    grep -q -- "$pattern" "$file" 2>/dev/null && return 0
    kill -0 "$pid" 2>/dev/null || { echo "bench: process $pid died:" >&2; cat "$file" >&2; return 1; }
    sleep 0.1
  done
  echo "bench: timed out waiting for '$pattern' in $file" >&2
  return 1
}

wait_for_port() {
  local port=$1
  for _ in $(seq 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
    sleep 0.1
  done
  echo "bench: nothing listens on port $port" >&2
  return 1
}

# CPU time in clock ticks (user + system) a process and its children have
# used so far: nginx's workers are children of its master.
cpu_ticks() {
  local total=0 p
  for p in "$1" $(pgrep -P "$1" 2>/dev/null); do
    [ -r "/proc/$p/stat" ] || continue
    # The fields after the command name, which may hold spaces: utime is 14, stime 15.
    total=$((total + $(sed 's/.*) //' "/proc/$p/stat" | awk '{print $12 + $13}')))
  done
  echo "$total"
}

# A loadgen result line plus the server's CPU per request over the run (the
# warm-up included, at the measured rate).
with_cpu() {
  local line=$1 ticks=$2 warmup=$3
  python3 - "$line" "$ticks" "$warmup" "$(getconf CLK_TCK)" <<'PY'
import json, sys
r = json.loads(sys.argv[1])
ticks, warmup, hz = int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
served = r["rps"] * (r["duration_s"] + warmup)
r["server_cpu_s"] = round(ticks / hz, 2)
r["server_cpu_us_per_req"] = round(ticks / hz * 1e6 / served, 1) if served > 0 else 0
print(json.dumps(r))
PY
}

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

build_bench() {
  bash "$root/scripts/build.sh" release loadgen cafmcp-bench-server "$@" >&2
}

# cafmcp-bench-server with the given flags; sets cafmcp_pid and, per
# transport, cafmcp_port_http / _ws / _tcp.
start_cafmcp() {
  launch_bench_server "$root/build/release/bench/cafmcp-bench-server" "$work/cafmcp.log" "$@"
  cafmcp_pid=$server_pid
  cafmcp_port_http=$server_port_http cafmcp_port_ws=$server_port_ws cafmcp_port_tcp=$server_port_tcp
}

# A cafmcp-bench-server binary (this checkout's, or one built from another
# revision) with the given flags, its stderr in `log`; sets server_pid and
# server_port_http / _ws / _tcp.
launch_bench_server() {
  local bin=$1 log=$2
  shift 2
  "$bin" "$@" 2>"$log" &
  server_pid=$!
  started_pids+=("$server_pid")
  wait_for_line "$log" "cafmcp: ready" "$server_pid"
  server_port_http=$(sed -n 's/^cafmcp: listening http [^ ]*:\([0-9]*\).*/\1/p' "$log" | head -1)
  server_port_ws=$(sed -n 's/^cafmcp: listening ws [^ ]*:\([0-9]*\).*/\1/p' "$log" | head -1)
  server_port_tcp=$(sed -n 's/^cafmcp: listening tcp [^ ]*:\([0-9]*\).*/\1/p' "$log" | head -1)
}

# The TypeScript SDK server (bench/peers, pinned by its package-lock.json).
start_ts_sdk() {
  local peers="$root/bench/peers"
  if [ ! -d "$peers/node_modules/@modelcontextprotocol/sdk" ]; then
    (cd "$peers" && npm ci --no-audit --no-fund --loglevel=error) >&2
  fi
  local log="$work/ts.log"
  node "$peers/ts_server.mjs" 0 2>"$log" &
  ts_pid=$!
  started_pids+=("$ts_pid")
  wait_for_line "$log" "^listening" "$ts_pid"
  ts_port=$(sed -n 's/^listening \([0-9]*\)/\1/p' "$log" | head -1)
}

# Debian's nginx (installed if missing) on a free loopback port, serving
# `body`; its own prefix, pid file and logs under $work/nginx.
start_nginx() {
  local body=$1
  if ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then
    echo "bench: installing nginx (Debian)" >&2
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx >&2
  fi
  local prefix="$work/nginx"
  mkdir -p "$prefix"
  nginx_port=$(free_port)
  sed -e "s|@PREFIX@|$prefix|g" -e "s|@PORT@|$nginx_port|g" -e "s|@BODY@|$body|g" \
    "$root/bench/nginx.conf.in" >"$prefix/nginx.conf"
  # Started directly (not through a function), so that $! is nginx's master.
  if [ "$(id -u)" -eq 0 ]; then
    /usr/sbin/nginx -p "$prefix" -c "$prefix/nginx.conf" -e "$prefix/error.log" 2>"$prefix/stderr" &
  else
    sudo /usr/sbin/nginx -p "$prefix" -c "$prefix/nginx.conf" -e "$prefix/error.log" 2>"$prefix/stderr" &
  fi
  nginx_pid=$!
  started_pids+=("$nginx_pid")
  wait_for_port "$nginx_port"
}
