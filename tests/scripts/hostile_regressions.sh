#!/usr/bin/env bash
# Replays every file of corpus/hostile/ (inputs that once crashed, hung or blew a limit, named
# by their SHA-256) through `scan`, and dex files also through `dex --verify` and `dex --dump`.
# Each run must exit 0, 1 or 2 within the time budget.
set -uo pipefail
dir=$APKWARDEN_SOURCE/corpus/hostile
timeout_s=${HOSTILE_TIMEOUT:-30}
failed=0 runs=0
check() {
  local file=$1
  shift
  runs=$((runs + 1))
  { timeout -k 5 "$timeout_s" "$APKWARDEN_BIN" "$@" >/dev/null 2>/tmp/hostile-regression.$$; } 2>/dev/null
  local rc=$?
  if [[ $rc -gt 2 ]]; then
    failed=$((failed + 1))
    echo "FAIL $(basename "$file"): '$*' exited $rc" >&2
    head -c 400 /tmp/hostile-regression.$$ >&2
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
rm -f /tmp/hostile-regression.$$
echo "$runs runs over $(ls "$dir" | grep -vc '\.md$') files, $failed failed"
[[ $failed -eq 0 ]]
