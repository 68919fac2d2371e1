#!/usr/bin/env bash
# Robustness run: generates the hostile set (scripts/make-hostile.py) from the fixture APKs and the
# real APKs, then runs `$APKWARDEN_BIN scan FILE --format json` on every file, under `timeout` and a
# virtual-memory limit. A file passes if the scanner exits 0 with valid JSON on stdout, or exits 2
# (a reported error). Any other exit code, a signal, or a timeout fails.
#
# Usage: tests/hostile/run-hostile.sh [-k] [-v]    (-k: keep the generated files, -v: list passes too)
# Env:   APKWARDEN_BIN (required)        the apkwarden binary
#        APKWARDEN_FIXTURES              built fixture APKs (default: built into a temp dir)
#        APKWARDEN_SHARED                the shared corpus (default: ../shared next to the source)
#        HOSTILE_TIMEOUT (20)            seconds per file
#        HOSTILE_VMEM_KB (4194304)       ulimit -v per scan (4 GiB); sanitizer builds need unlimited
#        HOSTILE_OK_CODES ("0 2")        exit codes that count as a pass
#        HOSTILE_MAX_INPUT_MB (0 = any)  skip real APKs bigger than this as inputs to the generator
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source_dir=${APKWARDEN_SOURCE:-$(cd "$here/../.." && pwd)}
shared=${APKWARDEN_SHARED:-$source_dir/../shared}
timeout_s=${HOSTILE_TIMEOUT:-20}
vmem_kb=${HOSTILE_VMEM_KB:-4194304}
# Sanitizer builds reserve terabytes of address space: no virtual-memory limit there.
[[ ${APKWARDEN_SANITIZED:-0} == 1 ]] && vmem_kb=unlimited
ok_codes=" ${HOSTILE_OK_CODES:-0 2} "
max_mb=${HOSTILE_MAX_INPUT_MB:-0}
python=/usr/bin/python3
keep=0 verbose=0
while getopts "kv" opt; do
  case $opt in
    k) keep=1 ;;
    v) verbose=1 ;;
    *) echo "usage: $0 [-k] [-v]" >&2; exit 2 ;;
  esac
done

if [[ -z ${APKWARDEN_BIN:-} || ! -x $APKWARDEN_BIN ]]; then
  echo "run-hostile: set APKWARDEN_BIN to the apkwarden binary" >&2
  exit 2
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/apkwarden-hostile.XXXXXX")
if [[ $keep -eq 1 ]]; then echo "run-hostile: files kept in $work" >&2; else trap 'rm -rf "$work"' EXIT; fi

fixtures=${APKWARDEN_FIXTURES:-}
if [[ -z $fixtures || ! -f $fixtures/clean.apk ]]; then
  fixtures=$work/fixtures
  "$source_dir/corpus/build-fixtures.sh" "$fixtures" >/dev/null || exit 1
fi

# Inputs: the fixtures first (clean.apk is the base of the structural cases, example.apk the
# second APK for the duplicate entries), then the real APKs.
inputs=("$fixtures/clean.apk" "$fixtures/example.apk")
for f in "$fixtures"/*.apk; do
  [[ $f == */clean.apk || $f == */example.apk ]] || inputs+=("$f")
done
for f in "$shared"/corpus/real/apk/*.apk; do
  [[ -f $f ]] || continue
  if [[ $max_mb -gt 0 && $(stat -c %s "$f") -gt $((max_mb * 1024 * 1024)) ]]; then continue; fi
  inputs+=("$f")
done
[[ -f $shared/corpus/real/apk/appium-unlock-2.0.0.apk ]] || echo "run-hostile: no real APKs under $shared, fixtures only" >&2

"$python" "$source_dir/scripts/make-hostile.py" --base "$fixtures/clean.apk" "$work/set" "${inputs[@]}" || exit 1

passed=0 failed=0
for file in "$work"/set/*.apk; do
  name=$(basename "$file")
  # The outer braces keep bash's own "Segmentation fault" job message out of the output.
  { ( ulimit -v "$vmem_kb"; exec timeout -k 5 "$timeout_s" "$APKWARDEN_BIN" scan "$file" --format json ) \
    >"$work/out.json" 2>"$work/err.txt"; } 2>/dev/null
  rc=$?
  why=""
  if [[ $rc -eq 124 || $rc -eq 137 ]]; then
    why="timeout after ${timeout_s}s"
  elif [[ $rc -gt 128 ]]; then
    why="killed by signal $((rc - 128))"
  elif [[ $ok_codes != *" $rc "* ]]; then
    why="exit code $rc"
  elif [[ $rc -eq 0 ]] && ! "$python" -m json.tool "$work/out.json" >/dev/null 2>&1; then
    why="exit 0 but stdout is not valid JSON"
  fi
  if [[ -n $why ]]; then
    failed=$((failed + 1))
    echo "FAIL $name: $why" >&2
    head -c 600 "$work/err.txt" | sed 's/^/    /' >&2
  else
    passed=$((passed + 1))
    [[ $verbose -eq 1 ]] && echo "ok   $name (exit $rc)"
  fi
done

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
