#!/usr/bin/env bash
# Mutation sweep at CI size: 300 seeded mutants (truncations, bit flips, zeroed ranges, AXML chunk
# sizes, DEX indices, duplicated and reordered entries) of the fixtures and the smaller real apps.
# Every scan must exit 0 (valid JSON), 1 or 2 within its budget. The full size (>= 10,000 mutants
# over the whole shared corpus) is bench/hostile/sweep.sh.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
inputs=("$APKWARDEN_FIXTURES")
[[ -d $APKWARDEN_SHARED/corpus/real/apk ]] && inputs+=("$APKWARDEN_SHARED/corpus/real/apk")
vmem=4096
[[ ${APKWARDEN_SANITIZED:-0} == 1 ]] && vmem=0  # ASan reserves terabytes of address space
exec /usr/bin/python3 "$here/../hostile/sweep.py" --bin "$APKWARDEN_BIN" --count "${SWEEP_COUNT:-300}" \
  --seed "${SWEEP_SEED:-20261128}" --jobs "$(nproc)" --max-input-mb 4 --vmem-mb "$vmem" "${inputs[@]}"
