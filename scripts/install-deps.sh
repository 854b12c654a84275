#!/usr/bin/env bash
# Installs the Debian 12 packages cafmcp builds and tests with, only when one is missing.
# Everything comes from Debian's archive; nothing is downloaded from elsewhere.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config
  libcaf-dev
  libboost-dev libboost-system-dev
  nlohmann-json3-dev doctest-dev
  libvalijson-dev libcli11-dev libspdlog-dev libfmt-dev libssl-dev
  clang-14 libclang-rt-14-dev
  prometheus # for /usr/bin/promtool: the observability test checks /metrics with it
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "cafmcp: installing missing packages: ${missing[*]}" >&2
if [ "$(id -u)" -ne 0 ]; then
  SUDO=sudo
else
  SUDO=
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
