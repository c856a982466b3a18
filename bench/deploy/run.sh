#!/usr/bin/env bash
# Prints bench/deploy's figures:
#  - package size and cold start of the packaged examples/todo against
#    examples/hello (the baseline): `gust package`'s zip, its stripped
#    bootstrap, and exec of the unpacked bootstrap to its first response
#    (bench/runtime's harness, median of 20 cold starts each);
#  - for examples/todo deployed to a local target, the wall time of a
#    no-change deploy (same code, same template: nothing is created) against
#    `gust package` of the up-to-date app, and of a code-only deploy (one
#    handler's text changes: a new zip, the functions updated) against
#    `gust package` after such a change (a deploy packages first, so package
#    time is its floor), as medians of RUNS.
#
#   bench/deploy/run.sh [BUILD_DIR] [RUNS]
#
# The target is a `gust cloud` this script starts on a free loopback port and
# stops on exit, or any endpoint speaking CloudFormation/STS/S3/Lambda given as
# GUST_DEPLOY_BENCH_ENDPOINT (e.g. moto from shared/tools/aws-peers, as
# http://localhost:PORT).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
build="$(cd "${1:-$root/build}" && pwd)"
runs="${2:-3}"
gust="$build/bin/gust"
ninja -C "$build" gust_cli runtime_bench >/dev/null

tmp="$(mktemp -d)"
cloud_pid=""
cleanup() {
  if [ -n "$cloud_pid" ]; then
    kill -TERM "$cloud_pid" 2>/dev/null || true
    for _ in $(seq 300); do kill -0 "$cloud_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$cloud_pid" 2>/dev/null || true
    wait "$cloud_pid" 2>/dev/null || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT

export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION=us-east-1
export AWS_CONFIG_FILE="$tmp/none" AWS_SHARED_CREDENTIALS_FILE="$tmp/none" NO_COLOR=1
unset AWS_PROFILE GUST_STAGE

# Wall time of one command in milliseconds; its output goes to $tmp/last.log.
millis() {
  local start end
  start=$(date +%s%N)
  "$@" >"$tmp/last.log" 2>&1 || { cat "$tmp/last.log" >&2; return 1; }
  end=$(date +%s%N)
  echo $(((end - start) / 1000000))
}
median() { tr ' ' '\n' | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : int((a[NR/2] + a[NR/2+1]) / 2)}'; }
mb() { awk -v b="$(stat -c %s "$1")" 'BEGIN { printf "%.2f", b / 1000000 }'; }  # MB as gust package prints them
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

# Package both apps from fresh copies and unpack each zip into an empty root.
for name in hello todo; do
  cp -r "$root/examples/$name" "$tmp/$name"
  rm -rf "$tmp/$name/.gust"
  "$gust" package "$tmp/$name" --out "$tmp/package-$name" >/dev/null
  mkdir "$tmp/root-$name"
  (cd "$tmp/root-$name" && unzip -q "$tmp/package-$name/$name.zip")
done

# The function's environment as the package's manifest names it (table,
# queue, bucket and topic names); the measured route touches none of them.
function_env=()
while read -r line; do function_env+=("$line"); done < <(
  "$tmp/root-todo/bootstrap" manifest | python3 -c '
import json, sys
for r in json.load(sys.stdin)["resources"]:
    if r.get("env"):
        print(r["env"] + "=bench-" + r["id"])')
[ ${#function_env[@]} -gt 0 ] || { echo "the todo package's manifest names no resources" >&2; exit 1; }
env "${function_env[@]}" taskset -c 0 "$build/bench/runtime_bench" --cold-only \
  "hello=$tmp/root-hello/bootstrap@get-hello-name#hello" \
  "todo=$tmp/root-todo/bootstrap@post-lists-list-todos#todo" >"$tmp/cold.txt"
cold_next() { awk -v l="$1" '$1 == l { print $2 }' "$tmp/cold.txt"; }
cold_resp() { awk -v l="$1" '$1 == l { print $3 }' "$tmp/cold.txt"; }

if [ -n "${GUST_DEPLOY_BENCH_ENDPOINT:-}" ]; then
  endpoint="$GUST_DEPLOY_BENCH_ENDPOINT"
  target="endpoint $endpoint"
else
  "$gust" cloud --port 0 --state "$tmp/cloud" --quiet >"$tmp/cloud.log" 2>&1 &
  cloud_pid=$!
  endpoint=""
  for _ in $(seq 600); do
    endpoint="$(sed -n 's/.*serving on \(http:[^ ]*\).*/\1/p' "$tmp/cloud.log" | head -1)"
    [ -n "$endpoint" ] && break
    kill -0 "$cloud_pid" 2>/dev/null || break
    sleep 0.1
  done
  [ -n "$endpoint" ] || { echo "gust cloud did not start:" >&2; cat "$tmp/cloud.log" >&2; exit 1; }
  target="gust cloud ($endpoint)"
fi
export AWS_ENDPOINT_URL="$endpoint"

app="$tmp/todo"
"$gust" bootstrap >/dev/null
first=$(millis "$gust" deploy "$app" --stage bench)
resources=$(sed -n 's/^ *\([0-9][0-9]*\) to add,.*/\1/p' "$tmp/last.log" | head -1)
package_times=() unchanged_times=() code_times=() rebuild_times=() prebuilt_times=()
for i in $(seq "$runs"); do
  package_times+=("$(millis "$gust" package "$app")")
  unchanged_times+=("$(millis "$gust" deploy "$app" --stage bench)")
  grep -q "no changes" "$tmp/last.log" || { echo "an unchanged deploy changed something:" >&2; cat "$tmp/last.log" >&2; exit 1; }
  # A text never compiled before (the time stamp): a cached object would hide the rebuild.
  sed -i "s/title: must not be empty[^\"]*/title: must not be empty ($(date +%s%N))/" "$app/main.cpp"
  code_times+=("$(millis "$gust" deploy "$app" --stage bench)")
  grep -q "UPDATE_COMPLETE" "$tmp/last.log" || { echo "a code-only deploy did not update:" >&2; cat "$tmp/last.log" >&2; exit 1; }
  # The same with the rebuild done first: the deploy's own part.
  sed -i "s/title: must not be empty[^\"]*/title: must not be empty ($(date +%s%N))/" "$app/main.cpp"
  rebuild_times+=("$(millis "$gust" package "$app")")
  prebuilt_times+=("$(millis "$gust" deploy "$app" --stage bench)")
  grep -q "UPDATE_COMPLETE" "$tmp/last.log" || { echo "a code-only deploy did not update:" >&2; cat "$tmp/last.log" >&2; exit 1; }
  modified=$(sed -n 's/.* \([0-9][0-9]*\) to modify.*/\1/p' "$tmp/last.log" | head -1)
done
"$gust" remove "$app" --stage bench >/dev/null

package_ms=$(echo "${package_times[@]}" | median)
unchanged_ms=$(echo "${unchanged_times[@]}" | median)
code_ms=$(echo "${code_times[@]}" | median)
rebuild_ms=$(echo "${rebuild_times[@]}" | median)
prebuilt_ms=$(echo "${prebuilt_times[@]}" | median)
echo "package (gust package) and cold start (exec of the unpacked bootstrap to first response, median of 20, taskset -c 0):"
printf '  %-6s zip %5s MB  bootstrap %5s MB  cold start %s ms to first /next, %s ms to first response\n' \
  hello "$(mb "$tmp/package-hello/hello.zip")" "$(mb "$tmp/root-hello/bootstrap")" "$(cold_next hello)" "$(cold_resp hello)"
printf '  %-6s zip %5s MB  bootstrap %5s MB  cold start %s ms to first /next, %s ms to first response\n' \
  todo "$(mb "$tmp/package-todo/todo.zip")" "$(mb "$tmp/root-todo/bootstrap")" "$(cold_next todo)" "$(cold_resp todo)"
printf '  todo / hello: zip %sx, cold start to first response %sx\n' \
  "$(ratio "$(stat -c %s "$tmp/package-todo/todo.zip")" "$(stat -c %s "$tmp/package-hello/hello.zip")")" \
  "$(ratio "$(cold_resp todo)" "$(cold_resp hello)")"
echo
echo "gust deploy examples/todo against $target, median of $runs ($(nproc) cores):"
printf '  first deploy (create, %s resources)  %6d ms  (package already built)\n' "${resources:-?}" "$first"
printf '  gust package alone (baseline)        %6d ms  (app up to date: a build check, the last zip stands)\n' "$package_ms"
printf '  no-change deploy                     %6d ms  (%sx package, %+d ms: STS, S3 HeadObject, GetTemplate; no change set)\n' \
  "$unchanged_ms" "$(ratio "$unchanged_ms" "$package_ms")" $((unchanged_ms - package_ms))
printf '  code-only deploy                     %6d ms  (%sx the rebuild below)\n' "$code_ms" "$(ratio "$code_ms" "$rebuild_ms")"
echo "  the same change in two steps:"
printf '    gust package after the change      %6d ms  (rebuild, static relink, strip, zip: the baseline)\n' "$rebuild_ms"
printf '    then gust deploy (package current) %6d ms  (upload, change set, %s resources modified)\n' "$prebuilt_ms" "$modified"
