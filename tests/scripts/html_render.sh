#!/usr/bin/env bash
# The HTML report in a real browser (Debian's headless Chromium): it renders to a PNG, its DOM
# text holds the summary and every finding's evidence, it is self-contained (no script, no
# external resource) and a 375 px wide viewport needs no sideways scrolling. "Works without
# JavaScript" is enforced, not sampled: the page has no script and its Content-Security-Policy
# (default-src 'none') forbids the browser to run or fetch anything. (Chromium's headless
# --screenshot and --dump-dom stop working under --blink-settings=scriptEnabled=false.)
# Inputs: the golden sample (tests/golden/sample.html, checked against known text) and
# `scan --format html` of fixtures, checked against their own JSON reports.
set -uo pipefail
bin=${APKWARDEN_BIN:?set APKWARDEN_BIN}
fixtures=${APKWARDEN_FIXTURES:?set APKWARDEN_FIXTURES}
src=${APKWARDEN_SOURCE:?set APKWARDEN_SOURCE}
py=/usr/bin/python3
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
command -v chromium >/dev/null || { echo "FAIL: chromium is missing (scripts/install-deps.sh)"; exit 1; }

chrome() {  # chrome ARGS... : headless, no sandbox (root in CI), own profile, quiet
  timeout 120 chromium --headless --no-sandbox --disable-gpu --no-first-run --hide-scrollbars \
    --user-data-dir="$tmp/profile" "$@" 2>>"$tmp/chromium.log"
}

cp "$src/tests/golden/sample.html" "$tmp/sample.html"
cp "$src/tests/golden/sample.json" "$tmp/sample.json"
names=(sample)
for name in example rule-manifest-risky manifest-basic; do
  [[ -f "$fixtures/$name.apk" ]] || continue
  "$bin" scan "$fixtures/$name.apk" -f html -o "$tmp/$name.html" || { echo "FAIL: scan $name -f html"; exit 1; }
  "$bin" scan "$fixtures/$name.apk" -f json -o "$tmp/$name.json" || exit 1
  names+=("$name")
done

failed=0
for name in "${names[@]}"; do
  html=$tmp/$name.html
  # Rendered to a PNG by the browser.
  chrome --window-size=1280,2000 --screenshot="$tmp/$name.png" "file://$html" >/dev/null
  if ! head -c 8 "$tmp/$name.png" 2>/dev/null | cmp -s - <(printf '\x89PNG\r\n\x1a\n'); then
    echo "FAIL $name: no PNG rendered"; failed=1; tail -5 "$tmp/chromium.log"
  fi
  # The DOM as the browser built it (--dump-dom needs the browser's own scripting; the page's
  # Content-Security-Policy forbids any script of its own, and the check below finds none).
  chrome --dump-dom "file://$html" >"$tmp/$name.dom.html"
  # Sideways scrolling on a phone-sized viewport: measured by a probe script added to a copy
  # (without the page's CSP, which would block it).
  sed -e '/Content-Security-Policy/d' -e 's|</body>|<script>document.body.setAttribute("data-overflow", String(document.documentElement.scrollWidth > document.documentElement.clientWidth))</script></body>|' \
    "$html" >"$tmp/$name.probe.html"
  chrome --window-size=375,800 --dump-dom "file://$tmp/$name.probe.html" >"$tmp/$name.probe.dom"
  "$py" - "$name" "$html" "$tmp/$name.dom.html" "$tmp/$name.probe.dom" "$tmp/$name.json" <<'PY' || failed=1
import html.parser, json, re, sys
name, page_path, dom_path, probe_path, json_path = sys.argv[1:]
page = open(page_path, encoding="utf-8").read()
dom = open(dom_path, encoding="utf-8").read()
report = json.load(open(json_path))
problems = []

class Text(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(); self.parts = []; self.skip = 0
    def handle_starttag(self, tag, attrs):
        if tag in ("style", "script", "title"): self.skip += 1
    def handle_endtag(self, tag):
        if tag in ("style", "script", "title"): self.skip -= 1
    def handle_data(self, data):
        if not self.skip: self.parts.append(data)
t = Text(); t.feed(dom)
text = re.sub(r"\s+", " ", " ".join(t.parts))
if len(text) < 200: problems.append(f"the browser's DOM has almost no text ({len(text)} chars)")

# Self-contained: no script, no external or embedded resource reference.
for pattern, what in [(r"<script", "a script"), (r"\s(src|href)\s*=", "a src/href attribute"),
                      (r"url\(", "a CSS url()"), (r"@import", "a CSS @import"), (r"<(iframe|object|embed|link)\b", "an embedded resource")]:
    if re.search(pattern, page, re.I): problems.append(f"the page has {what}")

if 'data-overflow="false"' not in open(probe_path, encoding="utf-8").read():
    problems.append("the page scrolls sideways at 375 px")

def need(s, why):
    if re.sub(r"\s+", " ", s) not in text: problems.append(f"DOM text lacks {why}: {s[:80]!r}")

gate = report["gate"]
verdict = "Verdict: " + gate["verdict"].upper()
need(verdict, "the verdict")
if text.find(verdict) > text.find("Findings (") >= 0: problems.append("the verdict is not before the findings")
for s in ("Summary", "Findings by severity", "Findings by category", "SDK inventory", "Permissions"):
    need(s, "a summary section")
for p in report["permissions"]: need(p["name"], "a permission")
for s in report["sdks"]: need(s["id"], "an SDK id"); need(s["name"], "an SDK name")
for f in report["findings"]:
    need(f["title"], "a finding title"); need("rule " + f["rule"], "a rule id")
    for e in f["evidence"]: need(e, "evidence")
    for r in f["regulation"]: need(r, "a regulation reference")
    if f["remediation"]: need(f["remediation"], "a remediation")
    if f["suppression"]: need(f["suppression"]["reason"], "a suppression reason")
    if f["location"]["kind"] == "code": need(f["location"]["class"] + "." + f["location"]["method"], "a code location")
for fl in report["flows"]:
    need(fl["source"]["api"], "a flow source"); need(fl["sink"]["api"], "a flow sink")
    for m in fl["path"]: need(m, "a flow path step")
if name == "sample":  # the hand-built report: exact phrases, in order
    need("Verdict: FAIL — 2 unsuppressed finding(s) at or above high, 5 finding(s), 1 suppressed", "the sample verdict")
    need("owner SDK Tencent GDT (优量汇) (com.qq.e)", "the owning SDK")
    need("source device-id: android.telephony.TelephonyManager.getDeviceId()", "the chain's source")
    need("sink network: java.io.OutputStream.write(byte[]) to t.example.com", "the chain's sink")
    need('Shop <Beta> & "Friends"', "the escaped label")
    order = [text.find(s) for s in ("Device ID sent over the network", "The app is debuggable", "Splash ad without a skip button")]
    if not (0 <= order[0] < order[1] < order[2]): problems.append("findings are not most severe first")
for p in problems: print(f"FAIL {name}: {p}")
print(f"{name}: {len(text)} chars of DOM text, {len(report['findings'])} findings checked, {'ok' if not problems else 'FAILED'}")
sys.exit(1 if problems else 0)
PY
done
[[ $failed -eq 0 ]]
