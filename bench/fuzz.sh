#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan+UBSan), seeds each corpus from the fixture and real
# apps, and runs every target for SECONDS (default 60). Prints one line per target: executions,
# executions per second, coverage (edges), features, corpus size, and whether it found anything.
# Crashes, leaks and timeouts are copied to OUT/findings/<target>/; minimise them with
#   build-fuzz/tests/fuzz/<target> -minimize_crash=1 -runs=10000 FILE
# and add them to corpus/hostile/ named by their SHA-256 (tests replay that folder).
#
# Usage: bench/fuzz.sh [SECONDS] [TARGET...]
#        targets: fuzz_zip fuzz_axml fuzz_arsc fuzz_dex fuzz_elf fuzz_rules fuzz_scan (default: all)
#        env: OUT (default /tmp/apkwarden-fuzz), PARALLEL (targets run at once, default 1)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
targets=("$@")
[[ ${#targets[@]} -gt 0 ]] || targets=(fuzz_zip fuzz_axml fuzz_arsc fuzz_dex fuzz_elf fuzz_rules fuzz_scan)
out=${OUT:-/tmp/apkwarden-fuzz}
shared=${APKWARDEN_SHARED:-$PWD/../shared}
build=build-fuzz

scripts/install-deps.sh --with-fuzz
CC=clang-14 CXX=clang++-14 cmake -S . -B "$build" -DAPKWARDEN_FUZZ=ON -DAPKWARDEN_TESTS=OFF \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j "$(nproc)" >/dev/null

# Seeds: whole apps (small ones: libFuzzer's cost grows with input size), and their parts.
seeds=$out/seeds
if [[ ! -f $seeds/.complete ]]; then
  mkdir -p "$seeds"/{apk,axml,arsc,dex,elf,rules} "$out/fixtures"
  corpus/build-fixtures.sh "$out/fixtures" >/dev/null
  apps=("$out"/fixtures/*.apk)
  for f in "$shared"/corpus/real/apk/*.apk; do
    [[ $(stat -c %s "$f") -le 2000000 ]] && apps+=("$f")
  done
  for app in "${apps[@]}"; do
    stem=$(basename "$app" .apk)
    cp "$app" "$seeds/apk/$stem.apk"
    unzip -p "$app" AndroidManifest.xml > "$seeds/axml/$stem.xml" 2>/dev/null || rm -f "$seeds/axml/$stem.xml"
    unzip -p "$app" resources.arsc > "$seeds/arsc/$stem.arsc" 2>/dev/null || rm -f "$seeds/arsc/$stem.arsc"
    unzip -p "$app" classes.dex > "$seeds/dex/$stem.dex" 2>/dev/null || rm -f "$seeds/dex/$stem.dex"
  done
  # ELF: the shared native libraries and the apps' lib/<abi>/*.so, small ones only.
  for f in "$shared"/corpus/real/native/*; do [[ -f $f ]] && cp "$f" "$seeds/elf/"; done
  for app in "${apps[@]}"; do
    stem=$(basename "$app" .apk)
    for lib in $(unzip -Z1 "$app" 'lib/*.so' 2>/dev/null | head -4); do
      unzip -p "$app" "$lib" > "$seeds/elf/$stem-$(basename "$lib")" 2>/dev/null
    done
  done
  find "$seeds"/elf -size +1M -delete
  # Rules: each builtin rule file, and one with the start of an Exodus list after a NUL byte.
  for x in signatures/rules/*.xml; do cp "$x" "$seeds/rules/"; done
  if [[ -f $shared/reference/exodus_trackers.json ]]; then
    { cat signatures/rules/$(ls signatures/rules | head -1); printf '\0'; head -c 8000 "$shared/reference/exodus_trackers.json"; } \
      > "$seeds/rules/with-exodus.bin"
  fi
  find "$seeds" -size 0 -delete
  touch "$seeds/.complete"
  find "$seeds"/dex -size +256k -delete  # big dex seeds make each run slow; mutations grow them
fi

seed_dir() {
  case $1 in
    fuzz_zip|fuzz_scan) echo apk ;;
    fuzz_axml) echo axml ;;
    fuzz_arsc) echo arsc ;;
    fuzz_dex) echo dex ;;
    fuzz_elf) echo elf ;;
    fuzz_rules) echo rules ;;
  esac
}
dict_of() {
  case $1 in
    fuzz_zip|fuzz_scan) echo tests/fuzz/dict/zip.dict ;;
    fuzz_axml) echo tests/fuzz/dict/axml.dict ;;
    fuzz_arsc) echo tests/fuzz/dict/arsc.dict ;;
    fuzz_dex) echo tests/fuzz/dict/dex.dict ;;
    fuzz_elf) echo tests/fuzz/dict/elf.dict ;;
    fuzz_rules) echo tests/fuzz/dict/rules.dict ;;
  esac
}

max_len_of() {
  case $1 in
    fuzz_zip|fuzz_scan) echo 2000000 ;;
    fuzz_dex) echo 262144 ;;
    fuzz_elf) echo 1048576 ;;
    fuzz_rules) echo 65536 ;;
    *) echo 1000000 ;;
  esac
}

# Seconds one input may take before libFuzzer calls it a hang: the whole-scan target runs every
# analysis of an app (up to 2.5 s for the larger seeds under ASan on an idle machine), the
# parsers take milliseconds.
timeout_of() {
  case $1 in
    fuzz_scan) echo 60 ;;
    *) echo 20 ;;
  esac
}

run_target() {
  local t=$1 corpus=$out/corpus/$1 findings=$out/findings/$1 log=$out/$1.log rc=0
  mkdir -p "$corpus" "$findings"
  "$build/tests/fuzz/$t" "$corpus" "$seeds/$(seed_dir "$t")" -dict="$(dict_of "$t")" \
    -max_total_time="$seconds" -timeout="$(timeout_of "$t")" -rss_limit_mb=2560 -max_len="$(max_len_of "$t")" \
    -artifact_prefix="$findings/" -print_final_stats=1 >"$log" 2>&1 || rc=$?
  local last execs rate cov ft files result=clean
  last=$(grep -E '^#[0-9]+' "$log" | tail -1)
  execs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' || echo 0)
  rate=$(grep -oE 'stat::average_exec_per_sec: *[0-9]+' "$log" | grep -oE '[0-9]+$' || echo 0)
  cov=$(grep -oE 'cov: [0-9]+' <<<"$last" | grep -oE '[0-9]+' || echo 0)
  ft=$(grep -oE 'ft: [0-9]+' <<<"$last" | grep -oE '[0-9]+' || echo 0)
  files=$(find "$corpus" -type f | wc -l)
  # Crashes, leaks, timeouts and OOMs are findings; slow units (over 10 s, kept for a look) are not.
  local slow
  slow=$(find "$findings" -name 'slow-unit-*' | wc -l)
  [[ $slow -gt 0 ]] && result="clean ($slow slow units)"
  if [[ $rc -ne 0 ]] || find "$findings" -type f ! -name 'slow-unit-*' | grep -q .; then result="FOUND (see $log)"; fi
  printf '%-10s %10s %8s %8s %8s %8s %s\n' "$t" "$execs" "$rate" "$cov" "$ft" "$files" "$result" >"$out/$t.result"
}

printf '%-10s %10s %8s %8s %8s %8s %s\n' target execs exec/s cov ft corpus result
parallel=${PARALLEL:-1}
for t in "${targets[@]}"; do
  while [[ $(jobs -rp | wc -l) -ge $parallel ]]; do wait -n || true; done
  rm -f "$out/$t.result"
  run_target "$t" &
done
wait
status=0
for t in "${targets[@]}"; do
  cat "$out/$t.result"
  grep -q FOUND "$out/$t.result" && status=1
done
exit $status
