#!/usr/bin/env bash
# Prints the AWS clients' figures:
#   1. SigV4 signing throughput (ours; botocore's through sigv4-oracle in the same run)
#   2. DynamoDB PutItem/GetItem round trips against dynalite on 127.0.0.1: gust
#      vs the AWS SDK for JavaScript v3, interleaved gust, sdk, gust (p50/p99 us)
#   3. cold start: the first GetItem of a fresh process vs the next one
#   4. package size: examples/todo vs examples/hello, static, stripped, zipped
#   bench/aws/run.sh [BUILD_DIR] [ROUND_TRIPS]
# The first run installs @aws-sdk/client-dynamodb (pinned in package.json)
# into ~/.cache/gust-bench-aws with npm.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$here/../.."
build="${1:-$root/build}"
n="${2:-2000}"
shared="$root/../shared"
ninja -C "$build" aws_bench >/dev/null
b="$build/bench"

echo "== SigV4 signing (one core)"
"$b/aws_bench" sign 50000
python3 - "$shared/tools/sigv4-oracle" <<'PY'
import importlib.machinery, importlib.util, sys, time
loader = importlib.machinery.SourceFileLoader("o", sys.argv[1])
spec = importlib.util.spec_from_loader("o", loader); o = importlib.util.module_from_spec(spec); loader.exec_module(o)
h = [("Content-Type", "application/x-amz-json-1.0"), ("X-Amz-Target", "DynamoDB_20120810.PutItem")]
body = b'{"TableName":"todos","Item":{"id":{"S":"42"},"title":{"S":"write the bench"}}}'
when = o.parse_date("20150830T123600Z"); n = 5000; t0 = time.perf_counter()
for _ in range(n):
    o.sign("POST", "https://dynamodb.us-east-1.amazonaws.com/", h, body, when, "AKIDEXAMPLE", "secret", None, "us-east-1", "dynamodb")
dt = time.perf_counter() - t0
print(f"sign  botocore SigV4Auth (same request, includes its canonical-request bookkeeping): {n/dt:.0f} /s ({dt/n*1e6:.1f} us each)")
PY

echo
echo "== DynamoDB round trips against dynalite ($n PutItem + $n GetItem each)"
state="$(mktemp -d)"
cache="${XDG_CACHE_HOME:-$HOME/.cache}/gust-bench-aws"
cleanup() { AWS_PEERS_STATE="$state" "$shared/tools/aws-peers" stop bench-dynalite >/dev/null 2>&1 || true; rm -rf "$state"; }
trap cleanup EXIT
if [ ! -f "$cache/.complete" ] || ! cmp -s "$here/package.json" "$cache/package.json"; then
  mkdir -p "$cache" && cp "$here/package.json" "$cache/"
  (cd "$cache" && npm install --omit=dev --no-audit --no-fund --loglevel=error >/dev/null) && touch "$cache/.complete"
fi
cp "$here/sdk_bench.mjs" "$cache/"
AWS_PEERS_STATE="$state" "$shared/tools/aws-peers" start dynalite --port 0 --name bench-dynalite -- --createTableMs 0 >/dev/null 2>&1
eval "$(AWS_PEERS_STATE="$state" "$shared/tools/aws-peers" env bench-dynalite)"
export AWS_CONFIG_FILE=/dev/null/none AWS_SHARED_CREDENTIALS_FILE=/dev/null/none
"$b/aws_bench" setup
"$b/aws_bench" ddb "$n"
node "$cache/sdk_bench.mjs" "$n"
"$b/aws_bench" ddb "$n"
echo "(gust runs twice around the SDK: the spread between its two rows is this machine's noise; dynalite's own time is in every row)"

echo
echo "== cold start: first GetItem of a fresh process (region, credential chain, endpoint, TCP connect) vs the next (us)"
firsts=(); seconds=()
for i in $(seq 1 15); do read -r f s < <("$b/aws_bench" cold); firsts+=("$f"); seconds+=("$s"); done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
f=$(median "${firsts[@]}"); s=$(median "${seconds[@]}")
echo "first $f us, next $s us (medians of 15 processes): the clients' first-call setup costs $((f - s)) us"
setups=(); signs=()
for i in $(seq 1 15); do read -r a c < <("$b/aws_bench" cold-parts); setups+=("$a"); signs+=("$c"); done
ctxs=(); dirs=(); files=()
for i in $(seq 1 9); do read -r c d f < <("$b/aws_bench" trust); ctxs+=("$c"); dirs+=("$d"); files+=("$f"); done
echo "TLS (https endpoints, not in the rows above): SSL_CTX_new $(median "${ctxs[@]}") us; trust store: hashed directory $(median "${dirs[@]}") us (used), whole bundle file $(median "${files[@]}") us (avoided)"
echo "of which without network: configuration + credential chain $(median "${setups[@]}") us, first signature (OpenSSL init) $(median "${signs[@]}") us"

echo
echo "== package size: examples static, stripped, zipped as bootstrap"
ninja -C "$build" runtime_hello_static aws_bench_todo_static >/dev/null
tmp="$(mktemp -d)"
mb() { awk -v b="$(stat -c %s "$1")" 'BEGIN { printf "%.2f", b / 1048576 }'; }
for app in runtime_hello_static aws_bench_todo_static; do
  mkdir -p "$tmp/$app" && cp "$b/$app" "$tmp/$app/bootstrap" && strip "$tmp/$app/bootstrap"
  (cd "$tmp/$app" && zip -q -9 package.zip bootstrap)
  echo "$app: stripped $(mb "$tmp/$app/bootstrap") MB, zipped $(mb "$tmp/$app/package.zip") MB"
done
rm -rf "$tmp"
