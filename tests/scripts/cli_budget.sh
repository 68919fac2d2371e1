#!/usr/bin/env bash
# The per-app budget through the binary: --max-memory and --timeout end a scan with exit 2 and a
# message naming the app; bad values are usage errors; a normal scan fits the defaults.
set -uo pipefail
bin=$APKWARDEN_BIN
app=$APKWARDEN_FIXTURES/example.apk
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail=0
expect() {  # expect NAME WANT_RC GOT_RC STDERR_FILE PATTERN
  if [[ $3 -ne $2 ]] || { [[ -n $5 ]] && ! grep -q -- "$5" "$4"; }; then
    echo "FAIL $1: exit $3 (want $2), stderr: $(head -c 300 "$4")" >&2
    fail=1
  else
    echo "ok   $1"
  fi
}

"$bin" scan "$app" --format json >"$work/out" 2>"$work/err"
expect "default budget fits a normal app" 0 $? "$work/err" ""

"$bin" scan "$app" --timeout soon 2>"$work/err"
expect "--timeout rejects a non-number" 2 $? "$work/err" "--timeout wants whole seconds"
"$bin" scan "$app" --max-memory -5 2>"$work/err"
expect "--max-memory rejects a non-number" 2 $? "$work/err" "--max-memory wants MiB"

# A FIFO nobody writes to: reading the app blocks forever, so only the watchdog can end it.
mkfifo "$work/stuck.apk"
start=$(date +%s)
timeout -k 2 20 "$bin" scan "$work/stuck.apk" --timeout 1 2>"$work/err"
rc=$?
expect "--timeout ends a stuck scan" 2 $rc "$work/err" "stuck.apk: analysis exceeded its time budget of 1 s"
[[ $(( $(date +%s) - start )) -le 5 ]] || { echo "FAIL --timeout took $(( $(date +%s) - start )) s" >&2; fail=1; }

if [[ ${APKWARDEN_SANITIZED:-0} != 1 ]]; then
  "$bin" scan "$app" --max-memory 16 --format json >/dev/null 2>"$work/err"
  expect "--max-memory ends a scan that needs more" 2 $? "$work/err" "example.apk: out of memory (the budget is 16 MiB"
fi
exit $fail
