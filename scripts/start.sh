#!/usr/bin/env bash
# The README's first command: install what is missing, build, and run gust on
# the todo example: its manifest, then one local invocation of each handler.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
gust=build/bin/gust
app=examples/todo

echo "== gust manifest $app"
"$gust" manifest "$app"
echo
echo "== gust invoke: one local invocation of each handler"
# Handlers that touch a table, bucket, queue or topic need AWS or the local
# cloud; here they run with no endpoint, so their calls fail fast and the
# route answers 503 (the error goes to the log on stderr).
for handler in $("$gust" build "$app" >/dev/null && examples/todo/.gust/build/todo handlers); do
  event=$app/events/$handler.json
  echo "-- $handler"
  if [ -f "$event" ]; then
    "$gust" invoke "$app" "$handler" --event "$event" || true
  else
    "$gust" invoke "$app" "$handler" || true
  fi
done
