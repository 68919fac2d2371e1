#!/usr/bin/env bash
# The CI gate through the real binary: --fail-on, --baseline/--write-baseline, --suppress and
# suppression files, and their exit codes (0 pass, 1 findings at/above the threshold, 2 errors,
# errors win). Fixtures with findings come from the rules engine; when none of the fixtures
# listed in $finding_fixtures produces a finding yet, the finding-dependent checks say so.
set -uo pipefail
bin=${APKWARDEN_BIN:?set APKWARDEN_BIN}
fixtures=${APKWARDEN_FIXTURES:?set APKWARDEN_FIXTURES}
py=/usr/bin/python3
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0

expect() {  # expect NAME WANT_RC CMD...
  local name=$1 want=$2; shift 2
  "$@" >"$tmp/out" 2>"$tmp/err"
  local rc=$?
  if [[ $rc -eq $want ]]; then passed=$((passed + 1)); else
    failed=$((failed + 1)); echo "FAIL $name: exit $rc, wanted $want"; head -5 "$tmp/err"; fi
}
check() {  # check NAME CONDITION-COMMAND...
  local name=$1; shift
  if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL $name"; fi
}
json() {  # json FILE PYTHON-EXPRESSION-OVER-d
  "$py" -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if eval(sys.argv[2]) else 1)' "$1" "$2"
}

clean=$fixtures/clean.apk
# Argument and file errors: exit 2, a message naming the file, no report.
expect bad-fail-on 2 "$bin" scan "$clean" --fail-on severe
expect missing-baseline 2 "$bin" scan "$clean" --baseline "$tmp/nope.txt"
check missing-baseline-named grep -q "nope.txt" "$tmp/err"
check missing-baseline-no-report test ! -s "$tmp/out"
printf 'rule manifest-debuggable\n' >"$tmp/noreason.txt"
expect suppression-without-reason 2 "$bin" scan "$clean" --suppressions "$tmp/noreason.txt"
check no-reason-message grep -q "noreason.txt:1: no reason given" "$tmp/err"
printf 'zzz not-a-fingerprint\n' >"$tmp/bad-baseline.txt"
expect bad-baseline 2 "$bin" scan "$clean" --baseline "$tmp/bad-baseline.txt"
# Errors win over findings: an unreadable app with --fail-on is still 2.
printf 'not an apk' >"$tmp/garbage.apk"
expect errors-win 2 "$bin" scan "$tmp/garbage.apk" --fail-on info

# The gate section of the JSON report.
expect clean-gate 0 "$bin" scan "$clean" -f json --fail-on info -o "$tmp/clean.json"
check clean-gate-json json "$tmp/clean.json" 'd["gate"]["fail_on"]=="info" and d["gate"]["verdict"]==("fail" if d["findings"] else "pass")'
expect write-baseline-clean 0 "$bin" scan "$clean" -f json --write-baseline "$tmp/clean-baseline.txt"
check baseline-header grep -q '^# apkwarden baseline v1$' "$tmp/clean-baseline.txt"

# With findings: the first fixture (in this order) whose report has a finding at medium or above.
finding_fixtures=(rule-manifest-risky manifest-oldsdk manifest-basic example)
app=""
for name in "${finding_fixtures[@]}"; do
  [[ -f "$fixtures/$name.apk" ]] || continue
  "$bin" scan "$fixtures/$name.apk" -f json -o "$tmp/probe.json" 2>/dev/null || continue
  if json "$tmp/probe.json" 'any(f["severity"] in ("medium","high","critical") for f in d["findings"])'; then
    app=$fixtures/$name.apk; break
  fi
done
if [[ -z "$app" ]]; then
  echo "NOTE: no fixture produces a finding at medium or above yet; finding-dependent gate checks skipped"
else
  echo "gate checks on $(basename "$app")"
  expect fail-on-none 0 "$bin" scan "$app" -f json --fail-on none
  expect no-fail-on 0 "$bin" scan "$app" -f json
  expect fail-on-info 1 "$bin" scan "$app" -f json --fail-on info -o "$tmp/r.json"
  check report-written-when-failing test -s "$tmp/r.json"
  check fail-json json "$tmp/r.json" 'd["gate"]["verdict"]=="fail" and d["gate"]["failing"]==len(d["findings"]) and all(len(f["fingerprint"])==32 and f["suppressed"] is False and f["suppression"] is None for f in d["findings"])'
  top=$("$py" -c 'import json,sys; d=json.load(open(sys.argv[1])); o=["info","low","medium","high","critical"]; print(max((f["severity"] for f in d["findings"]), key=o.index))' "$tmp/r.json")
  above=$("$py" -c 'import sys; o=["info","low","medium","high","critical"]; i=o.index(sys.argv[1]); print(o[i+1] if i+1<len(o) else "")' "$top")
  expect fail-on-top 1 "$bin" scan "$app" -f json --fail-on "$top"
  [[ -n "$above" ]] && expect fail-on-above-top 0 "$bin" scan "$app" -f json --fail-on "$above"

  # A baseline of today's findings: the same app then passes, every finding marked suppressed.
  expect write-baseline 1 "$bin" scan "$app" -f json --fail-on info --write-baseline "$tmp/baseline.txt"
  check baseline-lists-all bash -c "[[ \$(grep -vc '^#' '$tmp/baseline.txt') -eq \$('$py' -c 'import json; print(len(json.load(open(\"$tmp/r.json\"))[\"findings\"]))') ]]"
  expect baseline-passes 0 "$bin" scan "$app" -f json --fail-on info --baseline "$tmp/baseline.txt" -o "$tmp/b.json"
  check baseline-marked json "$tmp/b.json" 'd["findings"] and all(f["suppressed"] and f["suppression"]["kind"]=="baseline" for f in d["findings"]) and d["gate"]["suppressed"]==len(d["findings"])'
  # Dropping one line from the baseline makes exactly that finding fail again.
  grep -v '^#' "$tmp/baseline.txt" | tail -n +2 >"$tmp/partial.txt"
  expect partial-baseline-fails 1 "$bin" scan "$app" -f json --fail-on info --baseline "$tmp/partial.txt" -o "$tmp/p.json"
  check partial-one-failing json "$tmp/p.json" 'd["gate"]["failing"]==1'
  # Fingerprints do not depend on the thread count.
  expect baseline-threads 0 "$bin" scan "$app" -f json --fail-on info -j 1 --baseline "$tmp/baseline.txt"

  # --suppress by rule id, and a suppression file with reasons.
  mapfile -t rules < <("$py" -c 'import json,sys; print("\n".join(sorted({f["rule"] for f in json.load(open(sys.argv[1]))["findings"]})))' "$tmp/r.json")
  args=(); for r in "${rules[@]}"; do args+=(--suppress "$r"); done
  expect suppress-all-rules 0 "$bin" scan "$app" -f json --fail-on info "${args[@]}" -o "$tmp/s.json"
  check suppress-marked json "$tmp/s.json" 'all(f["suppression"]["kind"]=="rule" and f["suppression"]["reason"].startswith("--suppress ") for f in d["findings"])'
  if [[ ${#rules[@]} -gt 1 ]]; then
    expect suppress-one-rule 1 "$bin" scan "$app" -f json --fail-on info --suppress "${rules[0]}"
  fi
  { echo "# accepted risks"; for r in "${rules[@]}"; do echo "rule $r  accepted by security review SEC-1"; done; } >"$tmp/supp.txt"
  expect suppression-file 0 "$bin" scan "$app" -f json --fail-on info --suppressions "$tmp/supp.txt" -o "$tmp/f.json"
  check suppression-reason json "$tmp/f.json" 'all(f["suppression"]["reason"]=="accepted by security review SEC-1" for f in d["findings"])'
  expect suppressed-visible-text 0 "$bin" scan "$app" -f text --fail-on info --suppressions "$tmp/supp.txt"
  check text-marks-suppressed grep -qi 'suppressed' "$tmp/out"
  # Colour on a terminal only: a pseudo-terminal (script(1)) gets ANSI colour, a pipe, -o,
  # --no-color and NO_COLOR do not.
  if command -v script >/dev/null; then
    script -qec "'$bin' scan '$app' -f text" /dev/null >"$tmp/tty.txt" 2>&1
    check tty-colour grep -q $'\x1b\[' "$tmp/tty.txt"
    script -qec "'$bin' scan '$app' -f text --no-color" /dev/null >"$tmp/tty-nc.txt" 2>&1
    check tty-no-color bash -c "! grep -q $'\x1b\\[' '$tmp/tty-nc.txt'"
    NO_COLOR=1 script -qec "'$bin' scan '$app' -f text" /dev/null >"$tmp/tty-env.txt" 2>&1
    check tty-NO_COLOR bash -c "! grep -q $'\x1b\\[' '$tmp/tty-env.txt'"
    script -qec "'$bin' scan '$app' -f text -o '$tmp/tty-file.txt'" /dev/null >/dev/null 2>&1
    check file-no-colour bash -c "! grep -q $'\x1b' '$tmp/tty-file.txt'"
  fi
  expect piped-text 0 "$bin" scan "$app" -f text
  check piped-no-colour bash -c "! grep -q $'\x1b' '$tmp/out'"
fi

echo "gate_cli: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
