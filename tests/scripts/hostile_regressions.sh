#!/usr/bin/env bash
# Replays every file of corpus/hostile/ (inputs that once crashed, hung or blew a limit, named
# by their SHA-256) through `scan`, and dex files also through `dex --verify` and `dex --dump`.
# Each run must exit 0, 1 or 2 within the time budget and peak under kMaxPeakMiB of resident
# memory (Release builds only: sanitizer builds need several times more), and no run may say it
# exceeded a budget.
set -uo pipefail
dir=$APKWARDEN_SOURCE/corpus/hostile
timeout_s=${HOSTILE_TIMEOUT:-30}
kMaxPeakMiB=256
failed=0 runs=0
err=$(mktemp); trap 'rm -f "$err"' EXIT
# Runs the command; prints "EXIT_CODE PEAK_RSS_KIB".
run_measured() {
  /usr/bin/python3 - "$@" <<'PY'
import resource, subprocess, sys
try:
    rc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode
except Exception:
    rc = 127
print(rc if rc >= 0 else 128 - rc, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
PY
}
fail() {
  failed=$((failed + 1))
  echo "FAIL $1" >&2
  head -c 400 "$err" >&2
}
check() {
  local file=$1
  shift
  runs=$((runs + 1))
  local rc peak
  read -r rc peak < <(run_measured timeout -k 5 "$timeout_s" "$APKWARDEN_BIN" "$@" 2>"$err")
  if [[ $rc -gt 2 ]]; then
    fail "$(basename "$file"): '$*' exited $rc"
  elif grep -q 'budget' "$err"; then
    fail "$(basename "$file"): '$*' exceeded a budget"
  elif [[ ${APKWARDEN_SANITIZED:-0} != 1 && $peak -gt $((kMaxPeakMiB * 1024)) ]]; then
    fail "$(basename "$file"): '$*' peaked at $((peak / 1024)) MiB (limit $kMaxPeakMiB MiB)"
  fi
}
shopt -s nullglob
for f in "$dir"/*; do
  [[ $f == *.md ]] && continue
  check "$f" scan "$f" --format json
  if [[ $(head -c 3 "$f") == dex ]]; then
    check "$f" dex "$f" --verify
    check "$f" dex "$f" --dump
  fi
done
echo "$runs runs over $(ls "$dir" | grep -vc '\.md$') files, $failed failed"
[[ $failed -eq 0 ]]
