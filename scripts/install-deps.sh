#!/usr/bin/env bash
# Installs the Debian packages gust needs, only those missing. Idempotent.
# Runs as root, or through sudo when not root.
set -euo pipefail

packages=(
  # toolchain
  g++ cmake ninja-build ccache make pkg-config git zip unzip ca-certificates
  # libraries (DESIGN.md: install only what is used)
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libfmt-dev libcli11-dev libpugixml-dev libzip-dev libssl-dev libsqlite3-dev libc-ares-dev
  # tests and benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev python3 python3-botocore
  # interop tests of the local AWS services (tests/integration/localaws)
  awscli
  # the local cloud as a deploy target, driven with boto3 (tests/e2e/target)
  python3-boto3
)
# Node.js (test-only peers and interop): any install that gives node 20+ and npm will do
# (nodesource's nodejs bundles npm and conflicts with Debian's npm package).
command -v node >/dev/null || packages+=(nodejs)
command -v npm >/dev/null || packages+=(npm)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

as_root=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "error: need root to install: ${missing[*]}" >&2; echo "help: run as root, or install sudo" >&2; exit 1; }
  as_root=(sudo)
fi
echo "installing: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
