#!/usr/bin/env bash
# apkwarden batch is resumable: a batch over DroidBench + the real corpus killed with SIGKILL
# part-way and run again ends with every app in the store exactly once and the same results as
# an uninterrupted run; a third run scans nothing; --rescan scans everything again.
set -uo pipefail
bin=${APKWARDEN_BIN:?set APKWARDEN_BIN}
shared=${APKWARDEN_SHARED:?set APKWARDEN_SHARED}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0
check() { local name=$1; shift; if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL $name"; fi; }
inputs=("$shared/droidbench/apk" "$shared/corpus/real/apk")
for d in "${inputs[@]}"; do [[ -d $d ]] || { echo "missing corpus $d"; exit 1; }; done

# The stored results without what a run measures (time, memory), one line per row, sorted.
results() {
  sqlite3 -separator '|' "$1" \
    "SELECT 'app', sha256, ruleset, path, size, kind, package, version_name, version_code, min_sdk, target_sdk, status, verdict, findings, sdks, flows, payloads, diagnostics, tool_version FROM apps;
     SELECT 'sdk', * FROM sdks; SELECT 'finding', * FROM findings; SELECT 'flow', * FROM flows;
     SELECT 'error', * FROM errors; SELECT 'report', sha256, ruleset, length(json), json FROM reports;" | sort
}

# Reference: one uninterrupted run.
"$bin" batch "${inputs[@]}" --store "$tmp/full.db" -j 2 -q >"$tmp/full.out" 2>"$tmp/full.err"
check full-run-exit [ $? -eq 0 ]
total=$(sqlite3 "$tmp/full.db" 'SELECT count(*) FROM apps')
check full-run-has-apps [ "$total" -ge 100 ]

# Interrupted: kill -9 the batch once it has stored some apps (its --json lines say so).
"$bin" batch "${inputs[@]}" --store "$tmp/resumed.db" -j 2 --json -q >"$tmp/part.jsonl" 2>"$tmp/part.err" &
pid=$!
for _ in $(seq 1 600); do
  [[ $(wc -l <"$tmp/part.jsonl") -ge 15 ]] && break
  kill -0 $pid 2>/dev/null || break
  sleep 0.01
done
kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null
partial=$(sqlite3 "$tmp/resumed.db" 'SELECT count(*) FROM apps')
echo "killed after $partial of $total apps"
check killed-part-way [ "$partial" -ge 1 -a "$partial" -lt "$total" ]
sleep 0.2
check no-orphan-workers bash -c "! pgrep -f 'resumed[.]db' >/dev/null"

# Resume: only the rest is scanned.
"$bin" batch "${inputs[@]}" --store "$tmp/resumed.db" -j 2 --json -q >"$tmp/rest.jsonl" 2>"$tmp/rest.err"
check resume-exit [ $? -eq 0 ]
rest=$(wc -l <"$tmp/rest.jsonl")
check resume-scans-only-the-rest [ "$rest" -eq $((total - partial)) ]
check every-app-once [ "$(sqlite3 "$tmp/resumed.db" 'SELECT count(*), count(DISTINCT sha256) FROM apps')" = "$total|$total" ]
check reports-once [ "$(sqlite3 "$tmp/resumed.db" 'SELECT count(*) FROM reports')" = "$(sqlite3 "$tmp/full.db" 'SELECT count(*) FROM reports')" ]
results "$tmp/full.db" >"$tmp/full.txt"
results "$tmp/resumed.db" >"$tmp/resumed.txt"
check results-equal cmp -s "$tmp/full.txt" "$tmp/resumed.txt"
cmp -s "$tmp/full.txt" "$tmp/resumed.txt" || diff "$tmp/full.txt" "$tmp/resumed.txt" | head -5 | cut -c1-200

# A third run finds nothing to do; --rescan redoes everything and keeps one row per app.
"$bin" batch "${inputs[@]}" --store "$tmp/resumed.db" --json -q >"$tmp/again.jsonl" 2>/dev/null
check rerun-skips-all [ ! -s "$tmp/again.jsonl" ]
"$bin" batch "${inputs[@]}" --store "$tmp/resumed.db" --rescan -j 2 --json -q >"$tmp/rescan.jsonl" 2>/dev/null
check rescan-all [ "$(wc -l <"$tmp/rescan.jsonl")" -eq "$total" ]
results "$tmp/resumed.db" >"$tmp/rescanned.txt"
check rescan-same-results cmp -s "$tmp/full.txt" "$tmp/rescanned.txt"

# The SQLite store is in WAL mode and every app row is complete.
check wal-mode [ "$(sqlite3 "$tmp/resumed.db" 'PRAGMA journal_mode')" = wal ]
check apps-have-reports [ "$(sqlite3 "$tmp/resumed.db" "SELECT count(*) FROM apps a WHERE status = 'ok' AND NOT EXISTS (SELECT 1 FROM reports r WHERE r.sha256 = a.sha256)")" = 0 ]

echo "batch_resume: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
