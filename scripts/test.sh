#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine (as root), builds apkwarden and runs the whole test suite
# through CTest. `.ci/run` calls exactly this.
#   scripts/test.sh            Release build in build/
#   scripts/test.sh --asan     the same under AddressSanitizer + UndefinedBehaviorSanitizer, in build-asan/
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh

build=build
extra=()
if [[ "${1:-}" == "--asan" ]]; then
  build=build-asan
  extra=(-DAPKWARDEN_SANITIZE=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo)
fi
jobs=$(nproc)
cmake -S . -B "$build" "${extra[@]}" >/dev/null
cmake --build "$build" -j "$jobs"
ctest --test-dir "$build" -j "$jobs" --output-on-failure
