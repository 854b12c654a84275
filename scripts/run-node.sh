#!/usr/bin/env bash
# Builds what the node needs (installing missing packages first) and starts
# cafmcp-node; arguments are passed to the node (see `--help`).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bash "$root/scripts/build.sh" release cafmcp-node >&2
exec "$root/build/release/app/cafmcp-node" "$@"
