#!/usr/bin/env bash
# Prints bench/deploy's figures for examples/todo: the wall time of
#  - a no-change deploy (same code, same template: nothing is created),
#  - a code-only deploy (one handler's text changes: a new zip, the functions updated),
# each against the baseline of `gust package` alone in the same run (a
# deploy packages first, so package time is its floor), as medians.
#
#   bench/deploy/run.sh [BUILD_DIR] [RUNS]
#
# The target is moto (shared/tools/aws-peers) on a free loopback port, or any
# endpoint speaking CloudFormation/STS/S3/Lambda given as
# GUST_DEPLOY_BENCH_ENDPOINT (our local cloud as a deploy target).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
build="$(cd "${1:-$root/build}" && pwd)"
runs="${2:-3}"
gust="$build/bin/gust"
peers="${GUST_SHARED_DIR:-$root/../shared}/tools/aws-peers"

tmp="$(mktemp -d)"
export AWS_PEERS_STATE="$tmp/peers"
cleanup() {
  [ -z "${GUST_DEPLOY_BENCH_ENDPOINT:-}" ] && "$peers" stop bench-moto >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT

if [ -n "${GUST_DEPLOY_BENCH_ENDPOINT:-}" ]; then
  endpoint="$GUST_DEPLOY_BENCH_ENDPOINT"
  target="endpoint $endpoint"
else
  url="$("$peers" start moto --port 0 --name bench-moto | tail -1)"
  # moto reads a path-style TemplateURL only on host "localhost".
  endpoint="${url/127.0.0.1/localhost}"
  target="moto (aws-peers)"
fi
export AWS_ENDPOINT_URL="$endpoint" AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION=us-east-1
export AWS_CONFIG_FILE="$tmp/none" AWS_SHARED_CREDENTIALS_FILE="$tmp/none" NO_COLOR=1
unset AWS_PROFILE GUST_STAGE

app="$tmp/todo"
cp -r "$root/examples/todo" "$app"
rm -rf "$app/.gust"

# Wall time of one command in milliseconds; its output goes to $tmp/last.log.
millis() {
  local start end
  start=$(date +%s%N)
  "$@" >"$tmp/last.log" 2>&1 || { cat "$tmp/last.log" >&2; return 1; }
  end=$(date +%s%N)
  echo $(((end - start) / 1000000))
}
median() { tr ' ' '\n' | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : int((a[NR/2] + a[NR/2+1]) / 2)}'; }

"$gust" bootstrap >/dev/null
first=$(millis "$gust" deploy "$app" --stage bench)
package_times=() unchanged_times=() code_times=()
for i in $(seq "$runs"); do
  package_times+=("$(millis "$gust" package "$app")")
  unchanged_times+=("$(millis "$gust" deploy "$app" --stage bench)")
  grep -q "no changes" "$tmp/last.log" || { echo "an unchanged deploy changed something:" >&2; cat "$tmp/last.log" >&2; exit 1; }
  sed -i "s/title: must not be empty[^\"]*/title: must not be empty ($i)/" "$app/main.cpp"
  code_times+=("$(millis "$gust" deploy "$app" --stage bench)")
  grep -q "UPDATE_COMPLETE" "$tmp/last.log" || { echo "a code-only deploy did not update:" >&2; cat "$tmp/last.log" >&2; exit 1; }
done
"$gust" remove "$app" --stage bench >/dev/null

package_ms=$(echo "${package_times[@]}" | median)
unchanged_ms=$(echo "${unchanged_times[@]}" | median)
code_ms=$(echo "${code_times[@]}" | median)
echo "gust deploy examples/todo against $target, median of $runs ($(nproc) cores):"
printf '  first deploy (create, 77 resources)  %6d ms\n' "$first"
printf '  gust package alone (baseline)        %6d ms\n' "$package_ms"
printf '  no-change deploy                     %6d ms  (%.2fx package; +%d ms for STS, S3 HeadObject, GetTemplate)\n' \
  "$unchanged_ms" "$(echo "$unchanged_ms / $package_ms" | bc -l)" $((unchanged_ms - package_ms))
printf '  code-only deploy                     %6d ms  (%.2fx package; includes the rebuild)\n' \
  "$code_ms" "$(echo "$code_ms / $package_ms" | bc -l)"
