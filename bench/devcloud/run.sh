#!/usr/bin/env bash
# bench/devcloud: gust dev against serverless-offline, and gust dev's edit-to-serving time.
#
#   bench/devcloud/run.sh [BUILD_DIR]        # default BUILD_DIR: build (configured here if missing)
#
# 1. throughput and latency: `gust dev examples/hello` and `serverless offline` serving the same
#    route (node/handler.js), both on 127.0.0.1, each warmed up, then `wrk -t1 -c8 -d10s --latency`
#    against each in this run. Table: requests/s, p50, p99, errors; ratios gust / serverless-offline.
# 2. reload: a copy of examples/todo with one extra route; a string literal in main.cpp is changed
#    RELOADS times; each time, from the write until an HTTP request sees the new body. Median.
#
# Environment: DURATION (10s), CONNECTIONS (8), WARMUP (3s), ROUNDS (1: measured gust/sls pairs,
# alternated), PIN (1: servers on CPU 0, wrk on CPU 1; 0: no pinning), RELOADS (3),
# ONLY (http | reload; default both), KEEP (1: keep the temp folder with the servers' logs),
# BUILD_TYPE (reload: the app's build type, e.g. RelWithDebInfo for the figure before GustDev),
# GUST (a gust binary to use as it is instead of building BUILD_DIR's).
# Everything it starts is stopped by pid on exit, error or Ctrl-C. Only loopback is used.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
build="$(realpath -m "${1:-$repo/build}")"
duration="${DURATION:-10s}"
connections="${CONNECTIONS:-8}"
warmup="${WARMUP:-3s}"
rounds="${ROUNDS:-1}"
pin="${PIN:-1}"
reloads="${RELOADS:-3}"
only="${ONLY:-}"
build_type="${BUILD_TYPE:-}"  # reload: gust dev --build-type (default: gust dev's, GustDev)

say() { echo "== $*" >&2; }
die() { echo "error: $*" >&2; exit 1; }

# ---------------------------------------------------------------- what we need
as_root=()
[ "$(id -u)" -eq 0 ] || as_root=(sudo)
apt_install() {
  say "installing Debian packages: $*"
  export DEBIAN_FRONTEND=noninteractive
  "${as_root[@]}" apt-get install -y -qq --no-install-recommends "$@" >/dev/null 2>&1 ||
    { "${as_root[@]}" apt-get update -qq && "${as_root[@]}" apt-get install -y -qq --no-install-recommends "$@" >/dev/null; }
}
missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v curl >/dev/null || missing+=(curl)
command -v taskset >/dev/null || missing+=(util-linux)
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
[ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}"
node -e 'process.exit(+process.versions.node.split(".")[0] >= 18 ? 0 : 1)' ||
  die "serverless-offline 13 needs Node.js 18 or later; found $(node --version)"

# serverless 3 + serverless-offline 13: both run offline with no account (serverless 4 needs a login).
if [ "$only" != reload ]; then
  if [ ! -f "$here/node/node_modules/.package-lock.json" ] ||
     [ "$here/node/package-lock.json" -nt "$here/node/node_modules/.package-lock.json" ]; then
    say "npm ci in bench/devcloud/node (serverless@3, serverless-offline@13)"
    (cd "$here/node" && npm ci --no-audit --no-fund --loglevel=error >&2)
  fi
fi

if [ -n "${GUST:-}" ]; then
  gust="$(realpath "$GUST")"  # a gust binary used as it is
else
  [ -f "$build/build.ninja" ] || cmake -S "$repo" -B "$build" -G Ninja >/dev/null
  # The CLI and the libraries an app links (gust build uses the package in this build tree).
  targets=()
  for t in gust_cli gust_core gust_manifest gust_http gust_runtime gust_aws gust_app gust_gust; do
    ninja -C "$build" -t query "$t" >/dev/null 2>&1 && targets+=("$t")
  done
  say "building gust in $build: ${targets[*]}"
  ninja -C "$build" "${targets[@]}" >/dev/null || die "the gust build failed: ninja -C $build ${targets[*]}"
  gust="$build/bin/gust"
fi
[ -x "$gust" ] || die "no gust binary at $gust"
# The apps run from copies so that the benchmark never writes into examples/ (.gust/ build and
# dev state there belong to whoever else runs them); hello's copy is kept for incremental builds.
work="$build/bench-devcloud"
mkdir -p "$work"

# ---------------------------------------------------------------- processes we own
tmp="$(mktemp -d /tmp/gust-bench-devcloud.XXXXXX)"
pids=()
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  for pid in "${pids[@]}"; do stop_pid "$pid"; done
  if [ "${KEEP:-0}" = 1 ]; then echo "logs kept in $tmp" >&2; else rm -rf "$tmp"; fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

descendants() {  # every live descendant of $1, children first
  local child
  for child in $(ps -o pid= --ppid "$1" 2>/dev/null); do
    descendants "$child"
    echo "$child"
  done
}

# Ctrl-C first, as a developer would; SIGKILL after 10 s. Reports (and ends) any process left behind.
stop_pid() {
  local pid=$1 kids left=() k i rest=()
  for k in "${pids[@]}"; do [ "$k" = "$pid" ] || rest+=("$k"); done
  pids=("${rest[@]}")  # never signalled twice: the number could be reused
  kill -0 "$pid" 2>/dev/null || return 0
  kids="$(descendants "$pid")"
  kill -INT "$pid" 2>/dev/null || true
  for i in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then
    echo "warning: pid $pid ($(ps -o comm= -p "$pid")) ignored SIGINT for 10 s; killing it" >&2
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
  for k in $kids; do
    if kill -0 "$k" 2>/dev/null; then left+=("$k:$(ps -o comm= -p "$k")"); kill -KILL "$k" 2>/dev/null || true; fi
  done
  [ ${#left[@]} -eq 0 ] || echo "warning: pid $pid left processes behind after SIGINT: ${left[*]} (killed)" >&2
}

# wait_for_line FILE REGEX SECONDS PID: prints the first matching line; fails when PID dies or time runs out.
wait_for_line() {
  local file=$1 regex=$2 seconds=$3 pid=$4 end=$((SECONDS + $3)) line
  while [ $SECONDS -lt $end ]; do
    line="$(grep -m1 -E "$regex" "$file" 2>/dev/null || true)"
    if [ -n "$line" ]; then echo "$line"; return 0; fi
    kill -0 "$pid" 2>/dev/null || { echo "error: the process exited before printing /$regex/; its output:" >&2; tail -30 "$file" >&2; return 1; }
    sleep 0.1
  done
  echo "error: no /$regex/ within ${seconds}s; output so far:" >&2
  tail -30 "$file" >&2
  return 1
}

free_port() {
  node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

servers_cpu=()
wrk_cpu=()
if [ "$pin" = 1 ]; then servers_cpu=(taskset -c 0); wrk_cpu=(taskset -c 1); fi

# ---------------------------------------------------------------- 1. gust dev vs serverless-offline
wrk_run() {  # wrk_run URL DURATION OUT
  timeout 120 "${wrk_cpu[@]}" wrk -t1 -c"$connections" -d"$2" --timeout 5s --latency "$1" >"$3" 2>&1 ||
    { cat "$3" >&2; die "wrk failed against $1"; }
}

# One row: name, requests/s, p50 ms, p99 ms, errors (non-2xx + socket errors), requests.
wrk_row() {
  awk -v name="$1" '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /m$/) return v * 60000; if (v ~ /s$/) return v * 1000; return v }
    $1 == "50%" { p50 = ms($2) } $1 == "99%" { p99 = ms($2) }
    /requests in/ { n = $1 }
    /Requests\/sec:/ { rps = $2 }
    /Non-2xx/ { err += $NF }
    /Socket errors:/ { for (i = 3; i <= NF; i++) { gsub(",", "", $i); if ($i ~ /^[0-9]+$/) err += $i } }
    END { printf "%s %.0f %.3f %.3f %d %d\n", name, rps, p50, p99, err, n }' "$2"
}

check_body() {  # check_body URL EXPECTED
  local body
  body="$(curl -s -m 5 "$1")" || die "no answer from $1"
  [ "$body" = "$2" ] || die "$1 answered '$body', expected '$2'"
}

bench_http() {
  local gust_log="$tmp/gust-hello.log" sls_log="$tmp/sls.log" line gust_url sls_url gust_pid sls_pid
  local hello="$work/hello"
  mkdir -p "$hello"
  cp -u "$repo/examples/hello/main.cpp" "$repo/examples/hello/CMakeLists.txt" "$hello/"
  # gust configures an app's build folder once, against the gust that first built it: start over
  # when this run uses another gust.
  if [ "$(cat "$hello/.bench-gust" 2>/dev/null)" != "$gust" ]; then rm -rf "$hello/.gust"; echo "$gust" >"$hello/.bench-gust"; fi
  say "building examples/hello (copy in $hello)"
  "$gust" build "$hello" >"$tmp/hello-build.log" 2>&1 || { cat "$tmp/hello-build.log" >&2; die "gust build examples/hello failed"; }

  say "starting gust dev examples/hello --port 0 --no-watch ${servers_cpu[*]}"
  "${servers_cpu[@]}" "$gust" dev "$hello" --port 0 --no-watch >"$gust_log" 2>&1 &
  gust_pid=$!; pids+=("$gust_pid")
  line="$(wait_for_line "$gust_log" 'serving on http://127\.0\.0\.1:[0-9]+' 600 "$gust_pid")"
  gust_url="$(grep -oE 'http://127\.0\.0\.1:[0-9]+' <<<"$line" | head -1)"

  say "starting serverless offline ${servers_cpu[*]}"
  local http_port lambda_port ws_port alb_port
  http_port="$(free_port)"; lambda_port="$(free_port)"; ws_port="$(free_port)"; alb_port="$(free_port)"
  # Nothing may reach AWS or the vendor: dummy credentials, no telemetry, notifications or update checks.
  (cd "$here/node" &&
    exec env AWS_ACCESS_KEY_ID=bench-not-a-key AWS_SECRET_ACCESS_KEY=bench-not-a-secret AWS_SESSION_TOKEN= \
      AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1 AWS_PROFILE= AWS_SDK_LOAD_CONFIG=0 \
      SLS_TELEMETRY_DISABLED=1 SLS_TRACKING_DISABLED=1 SLS_NOTIFICATIONS_MODE=off SLS_DEPRECATION_DISABLE='*' \
      SLS_INTERACTIVE_SETUP_DISABLE=1 CI=1 \
      "${servers_cpu[@]}" node node_modules/serverless/bin/serverless.js offline \
        --host 127.0.0.1 --httpPort "$http_port" --lambdaPort "$lambda_port" \
        --websocketPort "$ws_port" --albPort "$alb_port" --noAuth --noPrependStageInUrl --noSponsor) \
    >"$sls_log" 2>&1 &
  sls_pid=$!; pids+=("$sls_pid")
  wait_for_line "$sls_log" 'Server ready' 120 "$sls_pid" >/dev/null
  sls_url="http://127.0.0.1:$http_port"

  check_body "$gust_url/hello/bench" "hello, bench!"
  check_body "$sls_url/hello/bench" "hello, bench!"
  curl -s -m 5 -o /dev/null -D "$tmp/gust.headers" "$gust_url/hello/bench"
  curl -s -m 5 -o /dev/null -D "$tmp/sls.headers" "$sls_url/hello/bench"

  say "warming up each for $warmup (-c$connections: every instance/worker the run will use is started)"
  wrk_run "$gust_url/hello/bench" "$warmup" "$tmp/warm-gust.txt"
  wrk_run "$sls_url/hello/bench" "$warmup" "$tmp/warm-sls.txt"

  local r rows=()
  for r in $(seq 1 "$rounds"); do
    say "round $r/$rounds: wrk -t1 -c$connections -d$duration --latency ${wrk_cpu[*]}"
    wrk_run "$gust_url/hello/bench" "$duration" "$tmp/gust-$r.txt"
    rows+=("$(wrk_row gust-dev "$tmp/gust-$r.txt")")
    wrk_run "$sls_url/hello/bench" "$duration" "$tmp/sls-$r.txt"
    rows+=("$(wrk_row serverless-offline "$tmp/sls-$r.txt")")
  done

  echo
  echo "GET /hello/{name}, wrk -t1 -c$connections -d$duration, pinning: $([ "$pin" = 1 ] && echo 'servers CPU 0, wrk CPU 1' || echo none)"
  printf '%s\n' "${rows[@]}" | awk '
    BEGIN { printf "%-20s %10s %10s %10s %8s %9s\n", "server", "req/s", "p50 ms", "p99 ms", "errors", "requests" }
    { printf "%-20s %10d %10.3f %10.3f %8d %9d\n", $1, $2, $3, $4, $5, $6
      k = $1; c[k]++; rps[k, c[k]] = $2; p50[k, c[k]] = $3; p99[k, c[k]] = $4 }
    function median(a, k, n,   i, j, t, v) {
      for (i = 1; i <= n; i++) v[i] = a[k, i]
      for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
      return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
    }
    END {
      g = "gust-dev"; s = "serverless-offline"; n = c[g]
      printf "%-20s %9.2fx %9.2fx %9.2fx\n", (n > 1 ? "gust/sls (medians)" : "gust/sls"),
        median(rps, g, n) / median(rps, s, n), median(p50, g, n) / median(p50, s, n), median(p99, g, n) / median(p99, s, n)
    }'
  echo "(ratios: throughput higher is better for gust; latency lower is better. Target (issue 6): 10x throughput, lower p99.)"
  echo "gust dev log: $(wc -l <"$gust_log") lines, $(du -h "$gust_log" | cut -f1); serverless-offline log: $(wc -l <"$sls_log") lines"

  stop_pid "$sls_pid"
  stop_pid "$gust_pid"
}

# ---------------------------------------------------------------- 2. edit-to-serving time
now_us() { echo "${EPOCHREALTIME/./}"; }

bench_reload() {
  local app="$tmp/todo" log="$tmp/gust-todo.log" pid url line t0 t1 marker='return app.run(argc, argv);'
  cp -r "$repo/examples/todo" "$app"
  rm -rf "$app/.gust"
  grep -qF "$marker" "$app/main.cpp" || die "examples/todo/main.cpp has no '$marker' line to add the bench route before"
  # One route whose body is a string literal the edits change; it needs no local AWS service.
  # Every body is one never compiled before, so ccache cannot answer, as with a real edit.
  local current="bench-0-$$-$EPOCHSECONDS"
  awk -v marker="$marker" -v body="$current" 'index($0, marker) && !done {
      print "  app.get(\"/bench/version\", [](const gust::Request&) { return gust::Response::text(\"" body "\\n\"); });"
      done = 1 }
    { print }' "$app/main.cpp" >"$app/main.cpp.new"
  mv "$app/main.cpp.new" "$app/main.cpp"

  say "starting gust dev on a copy of examples/todo ($app), unpinned: the builds use both CPUs"
  t0="$(now_us)"
  "$gust" dev "$app" --port 0 ${build_type:+--build-type "$build_type"} >"$log" 2>&1 &
  pid=$!; pids+=("$pid")
  line="$(wait_for_line "$log" 'serving on http://127\.0\.0\.1:[0-9]+' 900 "$pid")"
  url="$(grep -oE 'http://127\.0\.0\.1:[0-9]+' <<<"$line" | head -1)/bench/version"
  check_body "$url" "$current"
  t1="$(now_us)"
  local first_start_ms=$(((t1 - t0) / 1000))
  wait_for_line "$log" 'watching for changes' 30 "$pid" >/dev/null

  local i ms results=() code body deadline seen failures reported polls
  for i in $(seq 1 "$reloads"); do
    sleep 2  # the watcher and the instances idle, as between two saves
    local before; before="$(grep -c 'reloaded in' "$log" || true)"
    # The edit: one string literal on one line, written in place as an editor saves.
    local src old="\"$current\\n\"" next="bench-$i-$$-$EPOCHSECONDS" new
    new="\"$next\\n\""
    src="$(<"$app/main.cpp")"
    [[ "$src" == *"$old"* ]] || die "edit $i: $old not found in $app/main.cpp"
    t0="$(now_us)"
    printf '%s\n' "${src/"$old"/"$new"}" >"$app/main.cpp"
    seen=0; failures=0; polls=0
    deadline=$((SECONDS + 600))
    while [ $SECONDS -lt $deadline ]; do
      body="$(curl -s -m 5 -w '\n%{http_code}' "$url" || true)"
      code="${body##*$'\n'}"; body="${body%$'\n'*}"; body="${body%$'\n'}"
      polls=$((polls + 1))
      [ "$code" = 200 ] || failures=$((failures + 1))
      if [ "$body" = "$next" ]; then seen=1; break; fi
      sleep 0.01
    done
    t1="$(now_us)"
    [ "$seen" = 1 ] || { tail -30 "$log" >&2; die "edit $i: /bench/version never answered $next"; }
    current="$next"
    ms=$(((t1 - t0) / 1000))
    # The build's end: when the linker wrote the app binary (then gust copies it, reads the manifest, swaps).
    local built_ms='?' mtime
    if mtime="$(stat -c '%.6Y' "$app/.gust/dev/build/todo" 2>/dev/null)"; then built_ms=$(((${mtime/./} - t0) / 1000)); fi
    # gust's own figure (build + swap, without the watcher's quiet window) for the same reload.
    reported="$(grep 'reloaded in' "$log" | sed -n "$((before + 1))p" | grep -oE '[0-9]+ ms' || echo '? ms')"
    results+=("$ms")
    printf 'edit %d: %6d ms from the write to the new body (binary linked at %s ms; gust: reloaded in %s; %d polls, %d not 200)\n' \
      "$i" "$ms" "$built_ms" "$reported" "$polls" "$failures"
  done
  echo "first start (fresh build of the copy to serving): $first_start_ms ms"
  printf '%s\n' "${results[@]}" | sort -n | awk -v bt="${build_type:-GustDev}" '{ v[NR] = $1 } END {
    m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
    printf "edit-to-serving, one-line change in examples/todo (build type %s): median %d ms of %d (min %d, max %d)\n", bt, m, NR, v[1], v[NR] }'
  stop_pid "$pid"
}

echo "machine: $(nproc) CPUs, load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
case "$only" in
  http) bench_http ;;
  reload) bench_reload ;;
  "") bench_http; echo; bench_reload ;;
  *) die "ONLY=$only: expected http, reload or nothing" ;;
esac
