#!/usr/bin/env bash
# apkwarden batch isolates apps: a garbage file, an app whose analysis exceeds the time budget,
# an app whose worker crashes and one that exceeds the memory budget are each stored as an
# error row, and every other app of the batch still completes.
set -uo pipefail
bin=${APKWARDEN_BIN:?set APKWARDEN_BIN}
fixtures=${APKWARDEN_FIXTURES:?set APKWARDEN_FIXTURES}
shared=${APKWARDEN_SHARED:?set APKWARDEN_SHARED}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0
check() { local name=$1; shift; if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL $name"; fi; }
q() { sqlite3 "$tmp/r.db" "$1"; }

mkdir -p "$tmp/in"
for a in "$fixtures"/*.apk; do cp "$a" "$tmp/in/"; done
head -c 5000 /dev/urandom >"$tmp/in/garbage.apk"
printf 'PK\003\004 not really a zip' >"$tmp/in/truncated.apk"
# Distinct contents, so the store keys them apart: the name triggers the test hooks.
cp "$fixtures/clean.apk" "$tmp/in/hang-me.apk"; printf 'x' >>"$tmp/in/hang-me.apk"
cp "$fixtures/clean.apk" "$tmp/in/crash-me.apk"; printf 'yy' >>"$tmp/in/crash-me.apk"
n=$(ls "$tmp/in" | wc -l)

start=$(date +%s)
APKWARDEN_TEST_WORKER_SLEEP_ON=hang-me APKWARDEN_TEST_WORKER_CRASH_ON=crash-me \
  "$bin" batch "$tmp/in" --store "$tmp/r.db" -j 2 --timeout 3 --json >"$tmp/out.jsonl" 2>"$tmp/err"
rc=$?
elapsed=$(( $(date +%s) - start ))
check batch-completes [ $rc -eq 0 ]
check bounded-by-timeout [ "$elapsed" -lt 60 ]
check every-app-has-a-row [ "$(q 'SELECT count(*) FROM apps')" -eq "$n" ]
check json-line-per-app [ "$(wc -l <"$tmp/out.jsonl")" -eq "$n" ]
check timeout-row [ "$(q "SELECT e.kind FROM errors e JOIN apps a USING (sha256) WHERE a.path LIKE '%hang-me.apk'")" = timeout ]
check crash-row [ "$(q "SELECT e.kind FROM errors e JOIN apps a USING (sha256) WHERE a.path LIKE '%crash-me.apk'")" = crash ]
# A sanitizer build's SEGV handler reports the fault and aborts (abort_on_error=1): SIGABRT.
crash_signal='signal 11'
[[ ${APKWARDEN_SANITIZED:-0} == 1 ]] && crash_signal='signal (11|6)'
check crash-names-signal grep -Eq "$crash_signal" <(q "SELECT message FROM errors WHERE kind = 'crash'")
check garbage-row [ "$(q "SELECT e.kind FROM errors e JOIN apps a USING (sha256) WHERE a.path LIKE '%garbage.apk'")" = unreadable ]
check truncated-row [ "$(q "SELECT status FROM apps WHERE path LIKE '%truncated.apk'")" = error ]
check others-ok [ "$(q "SELECT count(*) FROM apps WHERE status = 'ok'")" -eq $((n - 4)) ]
check errors-have-messages [ "$(q "SELECT count(*) FROM errors WHERE message = ''")" -eq 0 ]
check verdict-error [ "$(q "SELECT count(*) FROM apps WHERE verdict = 'error'")" -eq 4 ]

# Memory budget: a worker that keeps allocating is stopped by its address-space budget
# (RLIMIT_AS) or, in sanitizer builds, by the parent's watch on its resident set, and recorded as
# memory-limit; the real apps beside it complete under the same budget.
# Sanitizer builds need about 3x the memory (shadow, redzones, quarantine): 720 MiB RSS for the
# largest real app against 110 MiB in Release.
memory_mib=512
[[ ${APKWARDEN_SANITIZED:-0} == 1 ]] && memory_mib=2048
cp "$fixtures/clean.apk" "$tmp/bloat-me.apk"; printf 'zzz' >>"$tmp/bloat-me.apk"
APKWARDEN_TEST_WORKER_BLOAT_ON=bloat-me \
  "$bin" batch "$tmp/bloat-me.apk" "$shared/corpus/real/apk" --store "$tmp/m.db" --memory "$memory_mib" -j 2 -q
check memory-batch-completes [ $? -eq 0 ]
check memory-limit-row [ "$(sqlite3 "$tmp/m.db" "SELECT e.kind FROM errors e JOIN apps a USING (sha256) WHERE a.path LIKE '%bloat-me.apk'")" = memory-limit ]
check memory-limit-message grep -q "$memory_mib MiB" <(sqlite3 "$tmp/m.db" "SELECT message FROM errors")
check real-apps-fine [ "$(sqlite3 "$tmp/m.db" "SELECT count(*) FROM apps WHERE status = 'ok'")" -eq "$(ls "$shared"/corpus/real/apk/*.apk | wc -l)" ]

# Bad arguments.
"$bin" batch "$tmp/in" 2>/dev/null; check no-store-exit-2 [ $? -eq 2 ]
"$bin" batch "$tmp/in" --store "$tmp/x.db" --shard 3/3 2>/dev/null; check bad-shard-exit-2 [ $? -eq 2 ]
"$bin" batch "$tmp/in" --store "$tmp/in" 2>/dev/null; check unusable-store-exit-2 [ $? -eq 2 ]

echo "batch_isolation: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
