#!/usr/bin/env bash
# Prints bench/synth's figures for examples/hello, in one run:
#  - time: `gust synth --manifest` (manifest -> template.json, no build) against
#    `cdk synth` of the same app written with the CDK (bench/synth/cdk), and
#    synthesize() in process (synth_bench);
#  - lines: what the user writes (main.cpp, the CDK app) against the templates
#    (gust's JSON and YAML, the CDK's JSON and YAML).
#   bench/synth/run.sh [BUILD_DIR] [GUST_RUNS] [CDK_RUNS]
# Needs node and npm (the first run installs bench/synth/cdk/node_modules).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
build="$(cd "${1:-$root/build}" && pwd)"
gust_runs="${2:-30}"
cdk_runs="${3:-5}"
ninja -C "$build" gust_cli synth_bench hello todo >/dev/null
gust="$build/bin/gust"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
"$build/bin/hello" manifest >"$tmp/hello.manifest.json"
"$build/bin/todo" manifest >"$tmp/todo.manifest.json"

# Wall time of one command in microseconds (its output discarded).
micros() {
  local start end
  start=$(date +%s%N)
  "$@" >/dev/null 2>&1
  end=$(date +%s%N)
  echo $(((end - start) / 1000))
}
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
# Lines that are neither blank nor only a comment.
code_lines() { grep -cvE '^\s*($|//|#)' "$1"; }

echo "== time: examples/hello, manifest -> template (medians; gust $gust_runs runs, cdk $cdk_runs runs)"
"$gust" synth --manifest "$tmp/hello.manifest.json" --out "$tmp/gust" >/dev/null
"$gust" synth --manifest "$tmp/hello.manifest.json" --out "$tmp/gust" --format yaml >/dev/null
for _ in $(seq "$gust_runs"); do micros "$gust" synth --manifest "$tmp/hello.manifest.json" --out "$tmp/gust"; done >"$tmp/gust.times"
gust_us=$(median <"$tmp/gust.times")

cd "$here/cdk"
[ -d node_modules/aws-cdk-lib ] || npm ci --no-audit --no-fund --loglevel=error >&2
export CDK_DISABLE_CLI_TELEMETRY=1 CDK_DISABLE_VERSION_CHECK=1
cdk=(npx --no-install cdk synth --no-notices)
"${cdk[@]}" >"$tmp/cdk.template.yaml" 2>"$tmp/cdk.err" || { cat "$tmp/cdk.err" >&2; exit 1; }
cp cdk.out/hello-dev.template.json "$tmp/cdk.template.json"
for _ in $(seq "$cdk_runs"); do micros "${cdk[@]}" --quiet; done >"$tmp/cdk.times"
cdk_us=$(median <"$tmp/cdk.times")
cd "$root"

awk -v g="$gust_us" -v c="$cdk_us" 'BEGIN {
  printf "gust synth --manifest  %8.1f ms\n", g / 1000
  printf "cdk synth              %8.1f ms\n", c / 1000
  printf "ratio                  %8.0fx faster\n", c / g
}'
echo
echo "== synthesize() in process"
"$build/bench/synth_bench" --iterations 2000 "$tmp/hello.manifest.json" "$tmp/todo.manifest.json"

echo
echo "== lines: what the user writes (total / without blanks and comments) vs the templates"
source_row() { printf "%-40s %5d / %d\n" "$1" "$(awk 'END { print NR }' "$2")" "$(code_lines "$2")"; }
template_row() { printf "%-40s %5d\n" "$1" "$(awk 'END { print NR }' "$2")"; }
source_row "examples/hello/main.cpp" "$root/examples/hello/main.cpp"
template_row "  gust synth: template.json" "$tmp/gust/template.json"
template_row "  gust synth: template.yaml" "$tmp/gust/template.yaml"
source_row "bench/synth/cdk/app.js (the same, CDK)" "$here/cdk/app.js"
template_row "  cdk synth: template.json" "$tmp/cdk.template.json"
template_row "  cdk synth: YAML as printed" "$tmp/cdk.template.yaml"
"$gust" synth --manifest "$tmp/todo.manifest.json" --out "$tmp/todo" >/dev/null
"$gust" synth --manifest "$tmp/todo.manifest.json" --out "$tmp/todo" --format yaml >/dev/null
source_row "examples/todo/main.cpp" "$root/examples/todo/main.cpp"
template_row "  gust synth: template.json" "$tmp/todo/template.json"
template_row "  gust synth: template.yaml" "$tmp/todo/template.yaml"
