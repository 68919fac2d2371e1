#!/usr/bin/env bash
# Checks the fixture pipeline (corpus/build-fixtures.sh): every fixture APK exists and is aligned,
# aapt reads the expected package and manifest facts from each, dexdump lists the classes of each
# dex of `multidex`, a second build gives the same bytes, a no-op rebuild builds nothing, a touched
# input rebuilds only its fixture, and a broken fixture fails the build with its name.
set -uo pipefail

src=${APKWARDEN_SOURCE:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
builder=$src/corpus/build-fixtures.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fixtures=${APKWARDEN_FIXTURES:-}
if [[ -z $fixtures || ! -d $fixtures ]]; then
  fixtures=$tmp/first
  "$builder" "$fixtures" >/dev/null || { echo "FAIL: initial build"; exit 1; }
fi

failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
# expect_line TEXT REGEX WHAT: TEXT must have a line matching the extended REGEX.
expect_line() { grep -Eq -- "$2" <<<"$1" || fail "$3: no line matching /$2/"; }
expect_no_line() { if grep -Eq -- "$2" <<<"$1"; then fail "$3: unexpected line matching /$2/"; fi; }
# Entry names of an APK (no `unzip | grep -q` pipes: with pipefail an early grep exit fails them).
entries() { unzip -Z1 "$1" 2>/dev/null; }

# The package each fixture must declare; a fixture missing here fails the test (add it).
declare -A package=(
  [clean]=com.apkwarden.fixture.clean
  [sdk-mix]=com.apkwarden.fixture.sdkmix
  [rule-manifest-risky]=com.apkwarden.fixture.risky
  [rule-ads]=com.apkwarden.fixture.ads
  [rule-ads-negative]=com.apkwarden.fixture.adsneg
  [rule-overlay]=com.apkwarden.fixture.overlay
  [rule-overlay-negative]=com.apkwarden.fixture.overlayneg
  [rule-assoc]=com.apkwarden.fixture.assoc
  [rule-assoc-negative]=com.apkwarden.fixture.assocneg
  [rule-links]=com.apkwarden.fixture.links
  [rule-links-negative]=com.apkwarden.fixture.linksneg
  [rule-packer]=com.apkwarden.fixture.packer
  [example]=com.apkwarden.example.news
  [manifest-basic]=com.apkwarden.fixture.basic
  [manifest-oldsdk]=com.apkwarden.fixture.oldsdk
  [multidex]=com.apkwarden.fixture.multidex
  [native-libs]=com.apkwarden.fixture.nativelibs
  [native-collect]=com.apkwarden.fixture.nativecollect
  [native-taint]=com.apkwarden.fixture.nativetaint
  [resources]=com.apkwarden.fixture.resources
  [payload-dexloader]=com.apkwarden.fixture.dexloader
  [payload-adjar]=com.apkwarden.fixture.adjar
  [payload-encrypted]=com.apkwarden.fixture.encrypted
  [payload-download]=com.apkwarden.fixture.download
  [flow-sources]=com.apkwarden.fixture.flowsources
  [flow-sinks]=com.apkwarden.fixture.flowsinks
  [flow-propagation]=com.apkwarden.fixture.flowprop
  [flow-consent-positive]=com.apkwarden.fixture.consentpositive
  [flow-consent-negative]=com.apkwarden.fixture.consentnegative
  [flow-android]=com.apkwarden.fixture.flowandroid
  [flow-dispatch]=com.apkwarden.fixture.flowdispatch
  [flow-inapp]=com.apkwarden.fixture.flowinapp
  [flow-rewritten]=com.apkwarden.fixture.flowrewritten
  [ir-handlers]=com.apkwarden.fixture.irhandlers
  [flow-listeners]=com.apkwarden.fixture.flowlisteners
  [flow-precision]=com.apkwarden.fixture.flowprecision
  [flow-reflection]=com.apkwarden.fixture.flowrefl
)

names=()
for d in "$src"/corpus/fixtures/*/; do names+=("$(basename "$d")"); done
[[ ${#names[@]} -ge 7 ]] || fail "expected at least 7 fixtures, found ${#names[@]}"

declare -A badging
for name in "${names[@]}"; do
  apk=$fixtures/$name.apk
  [[ -f $apk ]] || { fail "$name: $apk missing"; continue; }
  [[ -n ${package[$name]:-} ]] || fail "$name: no expected package in this test"
  zipalign -c -p 4 "$apk" >/dev/null 2>&1 || fail "$name: not 4-byte aligned"
  badging[$name]=$(aapt dump badging "$apk" 2>&1) || fail "$name: aapt dump badging failed"
  expect_line "${badging[$name]}" "^package: name='${package[$name]:-?}' " "$name"
  expect_line "$(entries "$apk")" '^classes\.dex$' "$name"
done

# Manifest facts that other suites rely on.
b=${badging[manifest-basic]:-}
expect_line "$b" "versionCode='7' versionName='1\.2\.3'" manifest-basic
expect_line "$b" "^targetSdkVersion:'29'" manifest-basic
expect_line "$b" "^application-debuggable" manifest-basic
expect_line "$b" "^uses-permission: name='android.permission.WRITE_EXTERNAL_STORAGE' maxSdkVersion='28'" manifest-basic
expect_line "$b" "^uses-permission: name='com.apkwarden.fixture.basic.permission.SYNC'" manifest-basic
expect_line "$b" "^application-label:'Basic Fixture'" manifest-basic
expect_line "${badging[manifest-oldsdk]:-}" "^targetSdkVersion:'16'" manifest-oldsdk
expect_line "${badging[manifest-oldsdk]:-}" "^sdkVersion:'9'" manifest-oldsdk
b=${badging[resources]:-}
expect_line "$b" "versionCode='30' versionName='3\.0-res'" "resources (fixture.conf override)"
expect_line "$b" "^application-label-zh-CN:'资源测试'" resources
expect_line "$b" "^launchable-activity: name='com.apkwarden.fixture.resources.MainActivity'  label='Main screen'" resources
res=$(aapt dump resources "$fixtures/resources.apk" 2>&1)
# MainActivity.smali uses these IDs as constants.
expect_line "$res" "spec resource 0x7f020000 com.apkwarden.fixture.resources:layout/activity_main" resources
expect_line "$res" "spec resource 0x7f030003 com.apkwarden.fixture.resources:string/privacy_url" resources
expect_line "$(entries "$fixtures/resources.apk")" '^assets/config/endpoints\.json$' resources
b=${badging[example]:-}
expect_line "$b" "^launchable-activity: name='com.apkwarden.example.news.SplashActivity'" example
for p in READ_PHONE_STATE ACCESS_FINE_LOCATION INTERNET SYSTEM_ALERT_WINDOW; do
  expect_line "$b" "^uses-permission: name='android.permission.$p'" example
done
apksigner verify "$fixtures/example.apk" >/dev/null 2>&1 || fail "example: apksigner verify failed"
expect_no_line "${badging[clean]:-}" "^uses-permission" clean
expect_no_line "$(entries "$fixtures/clean.apk")" '^META-INF/' "clean (unsigned by fixture.conf)"
dex_example=$(dexdump -d "$fixtures/example.apk" 2>&1)
expect_line "$dex_example" "Landroid/telephony/TelephonyManager;.getDeviceId:\(\)Ljava/lang/String;" example
expect_line "$dex_example" "Lcom/qq/e/ads/splash/SplashAD;.fetchAndShowIn:\(Landroid/view/ViewGroup;\)V" example

# Native code: one lib per ABI whose compiler is installed.
libs=$(entries "$fixtures/native-libs.apk")
if command -v gcc >/dev/null; then expect_line "$libs" '^lib/x86_64/libfixture\.so$' native-libs; fi
if command -v aarch64-linux-gnu-gcc >/dev/null; then expect_line "$libs" '^lib/arm64-v8a/libfixture\.so$' native-libs; fi
if grep -q '^lib/arm64-v8a/libfixture\.so$' <<<"$libs"; then
  unzip -p "$fixtures/native-libs.apk" lib/arm64-v8a/libfixture.so >"$tmp/lib.so"
  expect_line "$(file "$tmp/lib.so")" 'ARM aarch64' "native-libs (arm64-v8a ELF machine)"
  grep -aq 'Java_com_apkwarden_fixture_nativelibs_NativeBridge_add' "$tmp/lib.so" || fail "native-libs: JNI export missing"
fi

# multidex: each dex defines its own classes.
declare -A dex_classes=(
  [classes.dex]="Lcom/apkwarden/fixture/multidex/MainActivity; Lcom/apkwarden/fixture/multidex/Listener;"
  [classes2.dex]="Lcom/apkwarden/fixture/multidex/core/Repository; Lcom/apkwarden/fixture/multidex/core/Item; Lcom/apkwarden/fixture/multidex/core/CachedListener;"
  [classes3.dex]="Lcom/apkwarden/fixture/multidex/net/ApiClient; Lcom/apkwarden/fixture/multidex/net/BaseClient;"
)
for dex in classes.dex classes2.dex classes3.dex; do
  unzip -p "$fixtures/multidex.apk" "$dex" >"$tmp/$dex" 2>/dev/null
  listing=$(dexdump "$tmp/$dex" 2>&1) || fail "multidex: dexdump $dex failed"
  defined=$(grep -o "Class descriptor  : '[^']*'" <<<"$listing" | sed "s/.*'\(.*\)'/\1/" | sort | tr '\n' ' ')
  want=$(tr ' ' '\n' <<<"${dex_classes[$dex]}" | grep . | sort | tr '\n' ' ')
  [[ $defined == "$want" ]] || fail "multidex: $dex defines [$defined], expected [$want]"
done
# Cross-dex references: classes.dex calls into classes2.dex, which calls into classes3.dex.
expect_line "$(dexdump -d "$tmp/classes.dex" 2>&1)" "Lcom/apkwarden/fixture/multidex/core/Repository;.load:" multidex
expect_line "$(dexdump -d "$tmp/classes2.dex" 2>&1)" "Lcom/apkwarden/fixture/multidex/net/ApiClient;.fetch:" multidex

# Determinism: a second build (same keystore) gives byte-identical APKs.
mkdir -p "$tmp/second"
[[ -f $fixtures/debug.keystore ]] && cp "$fixtures/debug.keystore" "$tmp/second/"
"$builder" "$tmp/second" >/dev/null || fail "second build failed"
for name in "${names[@]}"; do
  a=$(sha256sum <"$fixtures/$name.apk" 2>/dev/null) b=$(sha256sum <"$tmp/second/$name.apk" 2>/dev/null)
  [[ -n $a && $a == "$b" ]] || fail "$name: second build differs (${a:0:16} vs ${b:0:16})"
done

# Incremental: on a copy of the sources, a rebuild with nothing changed builds nothing; touching
# one input rebuilds that fixture only.
cp -r "$src/corpus/fixtures" "$tmp/src"
export APKWARDEN_FIXTURE_SRC=$tmp/src
"$builder" "$tmp/inc" clean multidex >/dev/null || fail "incremental: first build failed"
summary=$("$builder" "$tmp/inc" clean multidex) || fail "incremental: no-op build failed"
[[ $summary == *"(0 built, 2 up to date)"* ]] || fail "incremental: no-op rebuild said: $summary"
touch -d '+1 minute' "$tmp/src/multidex/smali_classes2/com/apkwarden/fixture/multidex/core/Item.smali"
summary=$("$builder" "$tmp/inc" clean multidex) || fail "incremental: rebuild failed"
[[ $summary == *"(1 built, 1 up to date)"* ]] || fail "incremental: after touching one file: $summary"

# A smali syntax error (smali itself exits 0 on it, G5) fails the build and names the fixture.
sed -i 's/invoke-direct {p0}, Landroid\/app\/Activity;-><init>()V/invoke-direkt {p0}/' \
  "$tmp/src/clean/smali/com/apkwarden/fixture/clean/MainActivity.smali"
if "$builder" "$tmp/broken" clean >"$tmp/out.txt" 2>"$tmp/err.txt"; then
  fail "broken smali: build succeeded"
else
  grep -q "fixture 'clean' failed" "$tmp/err.txt" || fail "broken smali: error does not name the fixture"
  grep -q "invoke-direkt" "$tmp/err.txt" || fail "broken smali: smali's message not shown"
  [[ ! -f $tmp/broken/clean.apk ]] || fail "broken smali: an APK was still written"
fi
# An unknown fixture.conf key fails too.
echo "sdk_min=21" >"$tmp/src/multidex/fixture.conf"
"$builder" "$tmp/broken" multidex >/dev/null 2>"$tmp/err.txt" && fail "bad fixture.conf accepted"
grep -q "unknown key 'sdk_min'" "$tmp/err.txt" || fail "bad fixture.conf: no line-numbered message"

if [[ $failures -gt 0 ]]; then echo "$failures check(s) failed"; exit 1; fi
echo "fixtures_build: all checks passed (${#names[@]} fixtures)"
