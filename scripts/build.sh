#!/usr/bin/env bash
# Configures (once) and builds gust into build/: build/bin/gust, the examples, tests and benchmarks.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${GUST_BUILD_DIR:-build}
if [ ! -f "$build_dir/build.ninja" ]; then
  cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE="${GUST_BUILD_TYPE:-RelWithDebInfo}" ${GUST_CMAKE_ARGS:-} >/dev/null
fi
jobs=${GUST_JOBS:-$(nproc)}
cmake --build "$build_dir" -j "$jobs" "$@"
