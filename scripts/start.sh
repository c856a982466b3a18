#!/usr/bin/env bash
# The README's first command: install what is missing, build, and run the
# local cloud on the todo example (http://127.0.0.1:3000; Ctrl-C stops it).
# GUST_PORT picks another port.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
exec build/bin/gust dev examples/todo --port "${GUST_PORT:-3000}"
