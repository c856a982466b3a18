#!/usr/bin/env bash
# Installs the official Node.js Runtime Interface Client (npm aws-lambda-ric)
# into a cache folder, once; prints the path of its entry point.
# GUST_NPM_CACHE overrides the cache (default ~/.cache/gust-npm).
set -euo pipefail
version=4.0.2
cache="${GUST_NPM_CACHE:-$HOME/.cache/gust-npm}/aws-lambda-ric-$version"
entry="$cache/node_modules/aws-lambda-ric/index.mjs"
if [[ ! -f "$entry" ]]; then
  command -v npm >/dev/null || { echo "setup.sh: npm is not installed (Node 20 is needed for the RIC interop test)" >&2; exit 1; }
  mkdir -p "$cache"
  [[ -f "$cache/package.json" ]] || echo '{"name":"gust-ric-cache","private":true}' > "$cache/package.json"
  # 4.0.2 installs on Node 20 with an engines warning and works; its native addon ships prebuilt.
  (cd "$cache" && npm install --no-audit --no-fund --loglevel=error "aws-lambda-ric@$version" >&2)
fi
echo "$entry"
