#!/usr/bin/env bash
# Prints the runtime's figures: cold start, warm round trips (1 KB, 100 KB),
# memory after N invocations, and the zipped size of the static hello.
#   bench/runtime/run.sh [BUILD_DIR] [INVOCATIONS]
# Everything runs pinned to CPU 0 (server and runtime on one CPU).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build="${1:-$here/../../build}"
invocations="${2:-100000}"
ninja -C "$build" runtime_bench >/dev/null
b="$build/bench"

echo "== package size: examples/hello linked static, stripped, zipped as bootstrap"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cp "$b/runtime_hello_static" "$tmp/bootstrap"
strip "$tmp/bootstrap"
(cd "$tmp" && zip -q -9 package.zip bootstrap)
mb() { awk -v b="$(stat -c %s "$1")" 'BEGIN { printf "%.2f", b / 1048576 }'; }
echo "stripped $(mb "$tmp/bootstrap") MB, zipped $(mb "$tmp/package.zip") MB"
cp "$b/runtime_raw_loop" "$tmp/raw"; strip "$tmp/raw"
echo "raw C loop (static, stripped): $(mb "$tmp/raw") MB"

echo
echo "== runtimes against our Runtime API server (taskset -c 0, $invocations invocations for peak RSS)"
taskset -c 0 "$b/runtime_bench" --invocations "$invocations" \
  "c-raw-loop=$b/runtime_raw_loop#echo" \
  "gust-loop=$b/runtime_gust_loop#echo" \
  "gust-hello=$b/runtime_bench_app@get-hello-name#hello" \
  "gust-echo=$b/runtime_bench_app@post-echo#echo" \
  "c-raw-again=$b/runtime_raw_loop#echo"
echo "(c-raw-again repeats the baseline last: the spread between the two C rows is the noise of this machine)"
