#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine (as root), builds apkwarden and runs the whole test suite
# through CTest: first the Release build (build/), then the same suite built with
# AddressSanitizer + UndefinedBehaviorSanitizer (build-asan/). `.ci/run` calls exactly this.
#   scripts/test.sh              both
#   scripts/test.sh --release    the Release build only (quick local runs)
#   scripts/test.sh --asan       the sanitizer build only
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh

jobs=$(nproc)
run_suite() {  # run_suite BUILD_DIR CMAKE_ARGS...
  local build=$1
  shift
  cmake -S . -B "$build" "$@" >/dev/null
  cmake --build "$build" -j "$jobs"
  ctest --test-dir "$build" -j "$jobs" --output-on-failure
}

mode=${1:-all}
case $mode in
  all|--release|--asan) ;;
  *) echo "usage: scripts/test.sh [--release|--asan]" >&2; exit 2 ;;
esac
if [[ $mode != --asan ]]; then
  run_suite build -DCMAKE_BUILD_TYPE=Release
fi
if [[ $mode != --release ]]; then
  echo "== the same suite under AddressSanitizer + UndefinedBehaviorSanitizer (build-asan/)"
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    run_suite build-asan -DAPKWARDEN_SANITIZE=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo
fi
