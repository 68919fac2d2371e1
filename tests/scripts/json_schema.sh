#!/usr/bin/env bash
# Every JSON report the suite produces validates against docs/report.schema.json (JSON Schema
# 2020-12, Debian's python3-jsonschema): the golden sample, `scan --format json` of every fixture
# APK (plain, and with the gate options so suppressed findings appear), the real APKs and the
# bare dex in the shared corpus. Then mutated copies of a valid report must fail, so the schema
# is known to check what it claims.
set -uo pipefail
bin=${APKWARDEN_BIN:?set APKWARDEN_BIN}
fixtures=${APKWARDEN_FIXTURES:?set APKWARDEN_FIXTURES}
src=${APKWARDEN_SOURCE:?set APKWARDEN_SOURCE}
shared=${APKWARDEN_SHARED:-}
py=/usr/bin/python3
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

cp "$src"/tests/golden/*.json "$tmp/" 2>/dev/null
inputs=("$fixtures"/*.apk)
if [[ -n "$shared" && -d "$shared/corpus/real" ]]; then
  inputs+=("$shared"/corpus/real/apk/*.apk "$shared"/corpus/real/dex/*.dex)
fi
i=0
for app in "${inputs[@]}"; do
  [[ -f "$app" ]] || continue
  i=$((i + 1))
  name=$(basename "$app")
  "$bin" scan "$app" -f json -o "$tmp/$i-$name.json"
  rc=$?
  [[ $rc -eq 0 ]] || { echo "FAIL: scan $name exited $rc"; exit 1; }
  # With the gate: suppress every rule that fired, so reports with suppressed findings are checked too.
  rules=$("$py" -c 'import json,sys; print(" ".join(sorted({f["rule"] for f in json.load(open(sys.argv[1]))["findings"]})))' "$tmp/$i-$name.json")
  args=(--fail-on info)
  for r in $rules; do args+=(--suppress "$r"); done
  "$bin" scan "$app" -f json "${args[@]}" -o "$tmp/$i-$name.gated.json"
  rc=$?
  [[ $rc -eq 0 ]] || { echo "FAIL: gated scan $name exited $rc"; exit 1; }
done

"$py" - "$src/docs/report.schema.json" "$tmp" <<'PY'
import copy, glob, json, os, sys
import jsonschema
schema = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(schema)
v = jsonschema.Draft202012Validator(schema)
failed = False
files = sorted(glob.glob(os.path.join(sys.argv[2], "*.json")))
findings = suppressed = 0
for path in files:
    doc = json.load(open(path))
    for e in list(v.iter_errors(doc))[:5]:
        failed = True
        print(f"FAIL {os.path.basename(path)}: {e.message[:200]} at /{'/'.join(map(str, e.absolute_path))}")
    findings += len(doc["findings"])
    suppressed += sum(f["suppressed"] for f in doc["findings"])
print(f"{len(files)} JSON reports valid against docs/report.schema.json ({findings} findings, {suppressed} suppressed)")

# The schema must reject broken reports: one mutation each on the golden sample.
base = json.load(open(os.path.join(sys.argv[2], "sample.json")))
def mutated(fn):
    d = copy.deepcopy(base); fn(d); return d
mutations = {
    "missing top-level key": lambda d: d.pop("gate"),
    "bad severity": lambda d: d["findings"][0].update(severity="severe"),
    "short fingerprint": lambda d: d["findings"][0].update(fingerprint="abc"),
    "suppressed without suppression": lambda d: d["findings"][0].update(suppressed=True, suppression=None),
    "code location without method": lambda d: [f["location"].pop("method") for f in d["findings"] if f["location"]["kind"] == "code"][:1],
    "bad sha256": lambda d: d["apk"].update(sha256="XYZ"),
    "bad verdict": lambda d: d["gate"].update(verdict="maybe"),
    "flow source without data": lambda d: d["flows"][0]["source"].pop("data"),
}
for name, fn in mutations.items():
    if v.is_valid(mutated(fn)):
        failed = True
        print(f"FAIL: the schema accepts a report with {name}")
sys.exit(1 if failed else 0)
PY
