#!/usr/bin/env bash
# The apkwarden command line: help, version, argument errors and exit codes, output files,
# the JSON contract and the manifest command, checked through the real binary.
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

expect version 0 "$bin" --version
check version-text grep -q '^apkwarden [0-9]' "$tmp/out"
expect help 0 "$bin" --help
check help-lists-scan grep -q 'scan' "$tmp/out"
for cmd in scan manifest; do
  expect "$cmd-help" 0 "$bin" "$cmd" --help
  check "$cmd-help-usage" grep -q "usage: apkwarden $cmd" "$tmp/out"
done
expect no-command 2 "$bin"
expect unknown-command 2 "$bin" frobnicate
expect scan-no-file 2 "$bin" scan
expect scan-bad-format 2 "$bin" scan "$fixtures/clean.apk" --format yaml
check bad-format-message grep -q 'must be one of' "$tmp/err"
expect scan-unknown-option 2 "$bin" scan "$fixtures/clean.apk" --frobnicate
expect scan-missing-file 2 "$bin" scan "$tmp/does-not-exist.apk"
check missing-file-named grep -q "does-not-exist.apk" "$tmp/err"
printf 'not an apk' >"$tmp/garbage.apk"
expect scan-garbage 2 "$bin" scan "$tmp/garbage.apk" --format json
check garbage-no-stdout test ! -s "$tmp/out"
check garbage-named grep -q "garbage.apk" "$tmp/err"

expect scan-json 0 "$bin" scan "$fixtures/manifest-basic.apk" --format json
check json-valid "$py" -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["schema_version"]==1 and d["apk"]["package"]=="com.apkwarden.fixture.basic" and d["sdks"]==[] and any(f["rule"]=="manifest-debuggable" for f in d["findings"]) and d["flows"]==[]' "$tmp/out"
cp "$tmp/out" "$tmp/first.json"
expect scan-json-again 0 "$bin" scan "$fixtures/manifest-basic.apk" --format=json
check json-deterministic cmp -s "$tmp/out" "$tmp/first.json"
expect scan-output-file 0 "$bin" scan "$fixtures/manifest-basic.apk" -f json -o "$tmp/report.json"
check output-file-same cmp -s "$tmp/report.json" "$tmp/first.json"
expect scan-text 0 "$bin" scan "$fixtures/manifest-basic.apk" --format text
check text-has-package grep -q 'com.apkwarden.fixture.basic' "$tmp/out"
check text-no-color-when-piped bash -c "! grep -q $'\x1b' '$tmp/out'"
expect scan-default-json-when-piped 0 "$bin" scan "$fixtures/clean.apk"
check default-json "$py" -c 'import json,sys; json.load(open(sys.argv[1]))' "$tmp/out"

expect manifest 0 "$bin" manifest "$fixtures/manifest-basic.apk"
check manifest-xml "$py" -c '
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
A = "{http://schemas.android.com/apk/res/android}"
assert root.tag == "manifest" and root.get("package") == "com.apkwarden.fixture.basic"
app = root.find("application")
assert app.get(A + "label") == "@string/app_name", app.get(A + "label")
assert [a.get(A + "name") for a in app.findall("activity")][0] == ".MainActivity"
' "$tmp/out"
expect manifest-of-dex 2 "$bin" manifest "${APKWARDEN_SHARED:-../shared}/corpus/real/dex/appium-android-bootstrap-3.0.0-classes.dex"

# LIEF is a module beside the binary, opened on the first native library: its section facts are
# in the report; without the module the scan still completes and says what is missing.
unzip -p "$fixtures/native-libs.apk" lib/x86_64/libfixture.so >"$tmp/lib.so" 2>/dev/null
if [[ -s $tmp/lib.so ]]; then
  expect native-with-lief 0 "$bin" native "$tmp/lib.so" --format json
  check native-lief-sections grep -q '"\.dynsym"' "$tmp/out"
  expect native-without-lief 0 env APKWARDEN_LIEF_MODULE=/nonexistent/apkwarden_lief.so "$bin" native "$tmp/lib.so" --format json
  check native-lief-unavailable grep -q '"native-lief-unavailable"' "$tmp/out"
  check native-still-reads-symbols grep -q '"Java_com_apkwarden_fixture_nativelibs' "$tmp/out"
fi

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
