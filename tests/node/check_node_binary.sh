#!/usr/bin/env bash
# check_node_binary.sh CAFMCP_NODE
set -euo pipefail
node=$1
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
fail() { echo "FAIL: $*"; cat "$scratch/err" 2>/dev/null || true; exit 1; }

# Configuration errors name the key or flag and exit 2.
set +e
"$node" --num-pools 0 2>"$scratch/err"; rc=$?
set -e
[ "$rc" -eq 2 ] || fail "--num-pools 0 exited $rc, not 2"
grep -q -- "--num-pools" "$scratch/err" || fail "the error does not name --num-pools"
echo '{"supervision": {"num_pool": 3}}' >"$scratch/bad.json"
set +e
"$node" --config "$scratch/bad.json" 2>"$scratch/err"; rc=$?
set -e
[ "$rc" -eq 2 ] || fail "an unknown key exited $rc, not 2"
grep -q "supervision.num_pool" "$scratch/err" || fail "the error does not name supervision.num_pool"

# The default tree (ports 0 so that a busy machine cannot interfere).
"$node" --http 127.0.0.1:0 --admin 127.0.0.1:0 --print-tree 2>"$scratch/err" >"$scratch/out" &
pid=$!
for _ in $(seq 1 200); do
  grep -q "pools_printed\|transport_sup" "$scratch/err" 2>/dev/null && break
  sleep 0.05
done
grep -q "cafmcp: listening http 127.0.0.1:[0-9]*/mcp" "$scratch/err" || fail "no http listener line"
grep -q "cafmcp: listening admin 127.0.0.1:[0-9]* token=" "$scratch/err" || fail "no admin line"
grep -q "cafmcp: ready" "$scratch/err" || fail "never ready"
for n in $(seq 0 9); do
  grep -q "pool_$n " "$scratch/err" || fail "pool_$n missing from the tree"
done
for d in core_sup monitoring_sup config_sup connection_pool_sup transport_sup registry session_manager; do
  grep -q "$d" "$scratch/err" || fail "$d missing from the tree"
done
kill -TERM "$pid"
set +e
wait "$pid"; rc=$?
set -e
[ "$rc" -eq 0 ] || fail "SIGTERM: exit $rc, not 0"
grep -q "cafmcp: stopped" "$scratch/err" || fail "no clean stop"
[ ! -s "$scratch/out" ] || fail "the node wrote to stdout"
# --stdio: answers what it read, then ends at EOF with exit 0.
printf '%s\n%s\n%s\n' \
  '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}' \
  '{"jsonrpc":"2.0","method":"notifications/initialized"}' \
  '{"jsonrpc":"2.0","id":2,"method":"ping"}' |
  timeout 30 "$node" --stdio >"$scratch/stdio.out" 2>"$scratch/err" || fail "--stdio did not end at EOF with exit 0"
grep -q '"id":1,"result":{.*"protocolVersion":"2025-11-25"' "$scratch/stdio.out" || fail "no initialize result on stdout"
grep -q '"id":2,"result":{}' "$scratch/stdio.out" || fail "no ping result on stdout"
[ "$(wc -l <"$scratch/stdio.out")" -eq 2 ] || fail "stdout holds more than the two answers"

echo "node binary ok"
