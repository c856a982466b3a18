#!/usr/bin/env bash
# The README's second command: install what is missing, build, run every test.
# Extra arguments go to ctest (e.g. -L unit, -R events).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
cd "${GUST_BUILD_DIR:-build}"
ctest --output-on-failure -j "${GUST_TEST_JOBS:-$(nproc)}" "$@"
