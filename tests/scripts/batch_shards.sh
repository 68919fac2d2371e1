#!/usr/bin/env bash
# Scale-out through the CLI: N shards (--shard K/N) scanned into their own SQLite stores and
# merged with 'apkwarden merge' export exactly what one single run exports; the shards are
# disjoint and cover every app; report and export work on the result in every format.
set -uo pipefail
bin=${APKWARDEN_BIN:?set APKWARDEN_BIN}
shared=${APKWARDEN_SHARED:?set APKWARDEN_SHARED}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0
check() { local name=$1; shift; if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL $name"; fi; }
py=/usr/bin/python3
inputs=("$shared/droidbench/apk" "$shared/corpus/real/apk")
# Inputs also through a list file and stdin.
find "$shared/corpus/real/apk" -name '*.apk' | sort >"$tmp/list.txt"

"$bin" batch "$shared/droidbench/apk" "$tmp/list.txt" --store "$tmp/single.db" -j 2 -q
check single-run [ $? -eq 0 ]
n=3
for k in 0 1 2; do
  find "${inputs[@]}" -name '*.apk' | "$bin" batch - --store "$tmp/shard$k.db" --shard "$k/$n" -j 2 -q
  check "shard-$k-run" [ $? -eq 0 ]
done
total=$(sqlite3 "$tmp/single.db" 'SELECT count(*) FROM apps')
sum=0
for k in 0 1 2; do
  c=$(sqlite3 "$tmp/shard$k.db" 'SELECT count(*) FROM apps'); sum=$((sum + c))
  check "shard-$k-nonempty" [ "$c" -gt 0 ]
done
check shards-cover-all [ "$sum" -eq "$total" ]
"$bin" merge "$tmp/merged.db" "$tmp/shard0.db" "$tmp/shard1.db" "$tmp/shard2.db" 2>"$tmp/merge.err"
check merge-exit [ $? -eq 0 ]
check merge-counts grep -q 'apps copied' "$tmp/merge.err"
"$bin" export "$tmp/single.db" -o "$tmp/single.jsonl"
"$bin" export "$tmp/merged.db" -o "$tmp/merged.jsonl"
check export-lines [ "$(wc -l <"$tmp/single.jsonl")" -eq "$total" ]
check merged-equals-single cmp -s "$tmp/single.jsonl" "$tmp/merged.jsonl"
check jsonl-valid $py -c 'import json,sys; [json.loads(l) for l in open(sys.argv[1])]' "$tmp/merged.jsonl"
"$bin" merge "$tmp/merged.db" "$tmp/shard0.db" -q
"$bin" export "$tmp/merged.db" -o "$tmp/merged2.jsonl"
check merge-idempotent cmp -s "$tmp/single.jsonl" "$tmp/merged2.jsonl"
for t in apps findings sdks flows errors; do
  "$bin" export "$tmp/merged.db" -f csv -t $t >"$tmp/$t.csv"; check "export-csv-$t" [ $? -eq 0 -a -s "$tmp/$t.csv" ]
done
check csv-apps-rows [ "$(( $(wc -l <"$tmp/apps.csv") - 1 ))" -eq "$total" ]
check csv-parses $py -c 'import csv,sys; rows=list(csv.reader(open(sys.argv[1]))); assert len({len(r) for r in rows}) == 1' "$tmp/apps.csv"

"$bin" report "$tmp/merged.db" >"$tmp/report.txt"; check report-text [ $? -eq 0 ]
check report-counts grep -q "$total apps" "$tmp/report.txt"
check report-verdicts grep -q 'Apps by verdict' "$tmp/report.txt"
"$bin" report "$tmp/merged.db" -f csv >"$tmp/report.csv"; check report-csv [ $? -eq 0 ]
check report-csv-sum $py -c '
import csv, sys
lines = open(sys.argv[1]).read().split("\n\n")[0].splitlines()[2:]
assert sum(int(r[1]) for r in csv.reader(lines)) == int(sys.argv[2])' "$tmp/report.csv" "$total"
"$bin" report "$tmp/merged.db" -f html -o "$tmp/report.html"; check report-html [ $? -eq 0 ]
check report-html-valid $py -c 'import html.parser,sys; html.parser.HTMLParser().feed(open(sys.argv[1]).read())' "$tmp/report.html"
check report-html-tables grep -q '<h2 id="sdks">' "$tmp/report.html"
"$bin" report "$tmp/none.db" 2>/dev/null; check report-missing-store-exit-2 [ $? -eq 2 ]
check missing-store-not-created [ ! -e "$tmp/none.db" ]
"$bin" export "$tmp/merged.db" -f csv -t reports 2>/dev/null; check export-bad-table-exit-2 [ $? -eq 2 ]
"$bin" merge "$tmp/merged.db" "$tmp/none.db" 2>/dev/null; check merge-missing-input-exit-2 [ $? -eq 2 ]

echo "batch_shards: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
