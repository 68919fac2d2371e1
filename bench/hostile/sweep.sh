#!/usr/bin/env bash
# The mutation sweep at full size: COUNT (default 10,000) mutants of every fixture and every app
# of the shared corpus, scanned with a 30 s / 4 GiB budget each; failures are kept (by SHA-256)
# in OUT (default /tmp/apkwarden-sweep-failures) for minimising into corpus/hostile/.
# Usage: bench/hostile/sweep.sh [COUNT] [SEED]      (after a build in build/)
set -euo pipefail
cd "$(dirname "$0")/../.."
count=${1:-10000}
seed=${2:-1}
shared=${APKWARDEN_SHARED:-$PWD/../shared}
fixtures=build/fixtures
[[ -f $fixtures/clean.apk ]] || corpus/build-fixtures.sh "$fixtures" >/dev/null
exec /usr/bin/python3 tests/hostile/sweep.py --bin build/cli/apkwarden --count "$count" --seed "$seed" \
  --jobs "$(nproc)" --keep-failures "${OUT:-/tmp/apkwarden-sweep-failures}" \
  "$fixtures" "$shared/corpus/real/apk" "$shared/droidbench/apk"
