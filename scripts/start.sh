#!/usr/bin/env bash
# The README's first command: install what is missing, build, and run gust on
# the todo example (its manifest, then one local invocation of each handler).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
app=build/examples/todo/todo
gust=build/bin/gust

echo "== the manifest of examples/todo (build/bin/gust manifest examples/todo)"
"$app" manifest
echo
echo "== one local invocation of each handler"
for handler in $("$app" handlers); do
  event=examples/todo/events/$handler.json
  echo "-- $handler"
  if [ -f "$event" ]; then
    "$app" invoke "$handler" "$event" || true
  else
    "$app" invoke "$handler" || true
  fi
done
