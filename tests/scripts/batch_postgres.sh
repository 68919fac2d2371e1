#!/usr/bin/env bash
# The batch store on PostgreSQL: starts a throwaway server (Debian's postgresql package: initdb
# and pg_ctl on a cluster under /tmp, Unix socket only, as the postgres user when run as root),
# runs the store test suite against it, then the CLI: a batch killed with SIGKILL and resumed,
# two shards writing to the server at once, export/report/merge, compared with a SQLite run.
set -uo pipefail
bin=${APKWARDEN_BIN:?set APKWARDEN_BIN}
shared=${APKWARDEN_SHARED:?set APKWARDEN_SHARED}
test_batch=$(dirname "$bin")/../tests/test_batch
passed=0 failed=0
check() { local name=$1; shift; if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL $name"; fi; }

pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [[ -z $pgbin || ! -x $pgbin/initdb ]]; then
  echo "SKIP: no PostgreSQL server binaries (Debian package 'postgresql'; scripts/install-deps.sh installs it)"
  exit 0
fi
tmp=$(mktemp -d /tmp/apkwarden-pg.XXXXXX)
chmod 755 "$tmp"
as_pg=()
if [[ $(id -u) -eq 0 ]]; then  # initdb refuses to run as root
  as_pg=(runuser -u postgres --)
  chown postgres "$tmp"
fi
pg() { "${as_pg[@]}" "$@"; }
port=$((20000 + RANDOM % 20000))
cleanup() {
  pg "$pgbin/pg_ctl" -D "$tmp/data" stop -m immediate >/dev/null 2>&1
  rm -rf "$tmp"
}
trap cleanup EXIT
if ! pg "$pgbin/initdb" -D "$tmp/data" -A trust -U apkwarden --no-sync >"$tmp/initdb.log" 2>&1 ||
   ! pg "$pgbin/pg_ctl" -D "$tmp/data" -l "$tmp/server.log" -w -t 60 \
        -o "-k $tmp -c listen_addresses= -p $port -c fsync=off -c synchronous_commit=off" start >/dev/null 2>&1; then
  echo "SKIP: the PostgreSQL server cannot start here:"; tail -5 "$tmp/initdb.log" "$tmp/server.log" 2>/dev/null
  exit 0
fi
url="postgresql://apkwarden@/postgres?host=$tmp&port=$port"
pg "$pgbin/createdb" -h "$tmp" -p "$port" -U apkwarden cli >/dev/null
pg "$pgbin/createdb" -h "$tmp" -p "$port" -U apkwarden shards >/dev/null
cli_url="postgresql://apkwarden@/cli?host=$tmp&port=$port"
shards_url="postgresql://apkwarden@/shards?host=$tmp&port=$port"
work=$(mktemp -d); trap 'cleanup; rm -rf "$work"' EXIT

# 1. The store tests (save/replace, summary, export, merge) against the server.
APKWARDEN_TEST_STORE=$url "$test_batch" --test-case='batch store*,batch summary*,batch export*,batch merge*' >"$work/doctest.log" 2>&1
check store-tests-on-postgres [ $? -eq 0 ]
grep -q 'test cases: *4 | *4 passed' "$work/doctest.log" || { check store-tests-ran false; tail -20 "$work/doctest.log"; }

# 2. A batch killed part-way and resumed on PostgreSQL equals one SQLite run.
inputs=("$shared/droidbench/apk" "$shared/corpus/real/apk")
"$bin" batch "${inputs[@]}" --store "$work/ref.db" -j 2 -q
"$bin" export "$work/ref.db" -o "$work/ref.jsonl"
total=$(wc -l <"$work/ref.jsonl")
"$bin" batch "${inputs[@]}" --store "$cli_url" -j 2 --json -q >"$work/part.jsonl" 2>"$work/part.err" &
pid=$!
for _ in $(seq 1 600); do
  [[ $(wc -l <"$work/part.jsonl") -ge 10 ]] && break
  kill -0 $pid 2>/dev/null || break
  sleep 0.01
done
kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null
partial=$(wc -l <"$work/part.jsonl")
check killed-part-way [ "$partial" -lt "$total" ]
"$bin" batch "${inputs[@]}" --store "$cli_url" -j 2 -q
check resume-exit [ $? -eq 0 ]
"$bin" export "$cli_url" -o "$work/pg.jsonl"
check postgres-equals-sqlite cmp -s "$work/ref.jsonl" "$work/pg.jsonl"
"$bin" report "$cli_url" >"$work/report.txt"
check report-on-postgres grep -q "$total apps" "$work/report.txt"

# 3. Two shards writing to one server at the same time, then merged back into SQLite.
"$bin" batch "${inputs[@]}" --store "$shards_url" --shard 0/2 -j 1 -q & p0=$!
"$bin" batch "${inputs[@]}" --store "$shards_url" --shard 1/2 -j 1 -q & p1=$!
wait $p0; r0=$?; wait $p1; r1=$?
check concurrent-shards [ $r0 -eq 0 -a $r1 -eq 0 ]
"$bin" export "$shards_url" -o "$work/shards.jsonl"
check shards-equal-single cmp -s "$work/ref.jsonl" "$work/shards.jsonl"
"$bin" merge "$work/back.db" "$shards_url" -q
"$bin" export "$work/back.db" -o "$work/back.jsonl"
check merge-postgres-to-sqlite cmp -s "$work/ref.jsonl" "$work/back.jsonl"

"$bin" batch "${inputs[@]}" --store "postgresql://apkwarden@/nosuchdb?host=$tmp&port=$port" -q 2>"$work/bad.err"
check unreachable-db-exit-2 [ $? -eq 2 ]
check unreachable-db-message grep -q 'cannot connect to PostgreSQL' "$work/bad.err"

echo "batch_postgres: $passed passed, $failed failed (PostgreSQL $("$pgbin/postgres" --version | awk '{print $3}'))"
[[ $failed -eq 0 ]]
