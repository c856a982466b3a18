#!/usr/bin/env bash
# The README's second command: install what is missing, build, run every test.
# Extra arguments go to ctest (e.g. -L unit, -R events).
#
# scripts/test.sh --sanitize [ctest args]: the same suite built with
# AddressSanitizer + UndefinedBehaviorSanitizer (GUST_SANITIZE=ON) in its own
# build dir (build-sanitize, or GUST_SANITIZE_BUILD_DIR): without benchmarks,
# -O1 with line tables only, so it builds fast and still names file:line.
set -euo pipefail
cd "$(dirname "$0")/.."
sanitize=0
if [ "${1:-}" = "--sanitize" ]; then
  sanitize=1
  shift
fi
scripts/install-deps.sh
if [ "$sanitize" = 1 ]; then
  export GUST_BUILD_DIR=${GUST_SANITIZE_BUILD_DIR:-build-sanitize}
  if [ ! -f "$GUST_BUILD_DIR/build.ninja" ]; then
    cmake -S . -B "$GUST_BUILD_DIR" -G Ninja -DGUST_SANITIZE=ON -DGUST_BUILD_BENCH=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g1 -DNDEBUG" "-DCMAKE_C_FLAGS_RELWITHDEBINFO=-O1 -g1 -DNDEBUG" >/dev/null
  fi
fi
scripts/build.sh
cd "${GUST_BUILD_DIR:-build}"
status=0
ctest --output-on-failure -j "${GUST_TEST_JOBS:-$(nproc)}" "$@" || status=$?
# ctest lists skipped tests without their reason; GoogleTest's GTEST_SKIP wrote it to the log.
if grep -q ': Skipped$' Testing/Temporary/LastTest.log 2>/dev/null; then
  echo "Why they were skipped:"
  grep -h -A1 ': Skipped$' Testing/Temporary/LastTest.log | grep -v -e '^--$' -e ': Skipped$' | sort -u | sed 's/^/  /'
fi
exit "$status"
