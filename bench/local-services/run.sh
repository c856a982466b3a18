#!/usr/bin/env bash
# Prints the local-services figures: gust's local services vs dynalite,
# s3rver and fauxqs, same client, same run, every server on its own free
# loopback port, each stopped by pid at the end.
#
#   bench/local-services/run.sh [BUILD_DIR] [OPS]     (default: build, 2000)
#   ROUNDS=N: DynamoDB rounds, the servers taking turns; medians printed (3)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
BUILD="${1:-$ROOT/build}"
OPS="${2:-2000}"
PEERS="${GUST_AWS_PEERS:-$ROOT/../shared/tools/aws-peers}"
BENCH="$BUILD/bin/local_services_bench"
SERVER="$BUILD/bin/gust-localaws"
[ -x "$BENCH" ] && [ -x "$SERVER" ] || { echo "error: build local_services_bench and gust-localaws in $BUILD first" >&2; exit 1; }

WORK=$(mktemp -d /tmp/gust-bench-local-services.XXXXXX)
export AWS_PEERS_STATE="$WORK/peers"
OURS_PID=""
cleanup() {
  [ -n "$OURS_PID" ] && kill "$OURS_PID" 2>/dev/null && wait "$OURS_PID" 2>/dev/null || true
  "$PEERS" stop bench-dynalite bench-s3rver bench-fauxqs >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

"$SERVER" --port 0 --state "$WORK/ours" >"$WORK/ours.out" 2>"$WORK/ours.err" &
OURS_PID=$!
for _ in $(seq 1 100); do grep -q "http://" "$WORK/ours.out" 2>/dev/null && break; sleep 0.05; done
OURS=$(awk '{print $2; exit}' "$WORK/ours.out")
DYNALITE=$("$PEERS" start dynalite --port 0 --name bench-dynalite --dir "$WORK/dynalite" | tail -1)
S3RVER=$("$PEERS" start s3rver --port 0 --name bench-s3rver --dir "$WORK/s3rver" | tail -1)
FAUXQS=$(FAUXQS_LOGGER=false "$PEERS" start fauxqs --port 0 --name bench-fauxqs | tail -1)

echo "# $(date -u +%Y-%m-%dT%H:%MZ) $(nproc) cores; ours=$OURS dynalite=$DYNALITE s3rver=$S3RVER fauxqs=$FAUXQS; $OPS ops per figure"
echo "# load average: $(cut -d' ' -f1-3 /proc/loadavg)"
"$BENCH" --ops "$OPS" --rounds "${ROUNDS:-3}" \
  --ddb ours="$OURS" --ddb dynalite="$DYNALITE" \
  --s3 ours="$OURS" --s3 s3rver="$S3RVER" \
  --sqs ours="$OURS" --sqs fauxqs="$FAUXQS"
