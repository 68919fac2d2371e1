#!/usr/bin/env bash
# The knowledge-base commands through the real binary: rules list/show/check, sdks list,
# --rules (a user's rule directory) and --trackers (an Exodus list) on scan.
set -uo pipefail
bin=${APKWARDEN_BIN:?set APKWARDEN_BIN}
fixtures=${APKWARDEN_FIXTURES:?set APKWARDEN_FIXTURES}
shared=${APKWARDEN_SHARED:-/work/shared}
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

expect rules-list 0 "$bin" rules list
check rules-list-has-overlay grep -q '^overlay-window  *high  *overlay' "$tmp/out"
expect rules-list-json 0 "$bin" rules list --format json
check rules-list-json-valid "$py" -c 'import json,sys; d=json.load(open(sys.argv[1])); assert len(d)>=20 and all({"id","title","category","severity","confidence"}<=set(r) for r in d)' "$tmp/out"
expect rules-show 0 "$bin" rules show self-start-boot-receiver
check rules-show-text grep -q 'BOOT_COMPLETED' "$tmp/out"
expect rules-show-json 0 "$bin" rules show packer-detected --format json
check rules-show-json-valid "$py" -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["id"]=="packer-detected" and d["fixtures"]["positive"] and d["match"]["kind"]=="all"' "$tmp/out"
expect rules-show-unknown 2 "$bin" rules show no-such-rule
expect rules-unknown-action 2 "$bin" rules frobnicate

# A user's rule: valid, then broken at a known line.
mkdir -p "$tmp/rules"
cat >"$tmp/rules/mine.xml" <<'XML'
<?xml version="1.0"?>
<rules>
  <rule id="my-webview-js" title="Enables JavaScript in a WebView" category="insecure-config" severity="low" confidence="high">
    <match><invoke class="android.webkit.WebSettings" method="setJavaScriptEnabled"/></match>
  </rule>
</rules>
XML
expect rules-check-valid 0 "$bin" rules check "$tmp/rules/mine.xml"
check rules-check-valid-count grep -q '1 rule(s), valid' "$tmp/out"
sed 's/<invoke class/<invoke klass/' "$tmp/rules/mine.xml" >"$tmp/bad.xml"
expect rules-check-invalid 1 "$bin" rules check "$tmp/bad.xml"
check rules-check-file-line grep -q "bad.xml:4: unknown attribute 'klass' on <invoke>" "$tmp/err"
expect rules-check-missing 1 "$bin" rules check "$tmp/none.xml"

expect scan-user-rules 0 "$bin" scan "$fixtures/example.apk" --format json --rules "$tmp/rules"
check scan-user-rule-finding "$py" -c 'import json,sys; d=json.load(open(sys.argv[1])); f=[x for x in d["findings"] if x["rule"]=="my-webview-js"]; assert len(f)==1 and f[0]["location"]["class"]=="com.apkwarden.example.news.MainActivity", f' "$tmp/out"
expect scan-bad-rules 2 "$bin" scan "$fixtures/example.apk" --rules "$tmp/bad.xml"
check scan-bad-rules-line grep -q "bad.xml:4" "$tmp/err"

expect sdks-list 0 "$bin" sdks list --format json
check sdks-list-json "$py" -c '
import json,sys; d=json.load(open(sys.argv[1]))
assert len(d)>=250, len(d)
assert sum(1 for s in d if s["country"]=="CN")>=80
assert all(set(s)=={"id","name","vendor","country","category"} for s in d)
ids={s["id"] for s in d}; assert {"tencent-gdt","pangle-csj"}<=ids' "$tmp/out"
trackers=$shared/reference/exodus_trackers.json
if [[ -f $trackers ]]; then
  expect sdks-list-trackers 0 "$bin" sdks list --format json --trackers "$trackers"
  check sdks-list-trackers-more "$py" -c 'import json,sys; d=json.load(open(sys.argv[1])); assert sum(1 for s in d if s["id"].startswith("exodus-"))>=300' "$tmp/out"
  expect scan-trackers 0 "$bin" scan "$fixtures/example.apk" --format json --trackers "$trackers"
  check scan-trackers-gdt "$py" -c 'import json,sys; d=json.load(open(sys.argv[1])); assert [s["id"] for s in d["sdks"]]==["tencent-gdt"]' "$tmp/out"
fi
printf '{"trackers": ' >"$tmp/broken.json"
expect scan-broken-trackers 2 "$bin" scan "$fixtures/example.apk" --trackers "$tmp/broken.json"

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
