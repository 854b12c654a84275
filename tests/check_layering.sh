#!/usr/bin/env bash
# Fails when a layer includes a header of a layer above it (DESIGN.md §1):
#   protocol < registry < actors < transports < client < chaos < app
# and when the supervision library includes anything of MCP.
set -u
root=${1:-.}
order=(protocol registry actors transports client chaos app)
status=0
for i in "${!order[@]}"; do
  layer=${order[$i]}
  [ -d "$root/$layer" ] || continue
  for j in "${!order[@]}"; do
    [ "$j" -gt "$i" ] || continue
    higher=${order[$j]}
    hits=$(grep -rnE "#include [<\"]cafmcp/${higher}/" "$root/$layer" --include='*.hpp' --include='*.cpp' || true)
    if [ -n "$hits" ]; then
      echo "layer '$layer' includes the higher layer '$higher':"
      echo "$hits"
      status=1
    fi
  done
done
if [ -d "$root/actors/supervision" ]; then
  hits=$(grep -rnE "#include [<\"]cafmcp/(protocol|registry|transports|app)/|#include [<\"]cafmcp/actors/[^s]" "$root/actors/supervision" || true)
  if [ -n "$hits" ]; then
    echo "the supervision library must know nothing of MCP:"
    echo "$hits"
    status=1
  fi
fi
# protocol/ is pure: no actors, no sockets.
if [ -d "$root/protocol" ]; then
  hits=$(grep -rnE "#include [<\"](caf/|boost/asio|boost/beast)" "$root/protocol" || true)
  if [ -n "$hits" ]; then
    echo "protocol/ must not use CAF or Asio:"
    echo "$hits"
    status=1
  fi
fi
[ $status -eq 0 ] && echo "layering ok"
exit $status
