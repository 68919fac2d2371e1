#!/usr/bin/env bash
# Every SARIF report the suite can produce passes Microsoft's SARIF validator (SARIF Multitool,
# installed from npm by scripts/install-sarif-validator.sh) with no errors, and the strict
# SARIF 2.1.0 JSON Schema shipped with it (enums, types; the Multitool skips some of those),
# plus our own consistency checks: ruleIndex points at the ruleId, every finding is one result
# with a partialFingerprint, suppressed findings carry a suppression.
# Inputs: the golden sample (tests/golden/sample.sarif) and `scan --format sarif` of every fixture.
set -uo pipefail
bin=${APKWARDEN_BIN:?set APKWARDEN_BIN}
fixtures=${APKWARDEN_FIXTURES:?set APKWARDEN_FIXTURES}
src=${APKWARDEN_SOURCE:?set APKWARDEN_SOURCE}
py=/usr/bin/python3
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

validator=$("$src/scripts/install-sarif-validator.sh") || { echo "FAIL: cannot install the SARIF validator"; exit 1; }
schema=$(dirname "$validator")/sarif-2.1.0.json

mkdir -p "$tmp/in"
cp "$src/tests/golden/sample.sarif" "$tmp/in/golden-sample.sarif"
cp "$src/tests/golden/sample.json" "$tmp/in/golden-sample.json"
n=0
for apk in "$fixtures"/*.apk; do
  name=$(basename "$apk" .apk)
  "$bin" scan "$apk" -f sarif -o "$tmp/in/$name.sarif" || { echo "FAIL: scan $name exited $?"; exit 1; }
  "$bin" scan "$apk" -f json -o "$tmp/in/$name.json" || exit 1
  n=$((n + 1))
done
[[ $n -gt 0 ]] || { echo "FAIL: no fixture APKs in $fixtures"; exit 1; }

# The Multitool: one run over all files, its console lines "FILE(line,col): error|warning ID: text".
(cd "$tmp" && "$validator" validate in/*.sarif -o "$tmp/validation.sarif") >"$tmp/validator.txt" 2>&1
rc=$?
errors=$(grep -cE '\): error ' "$tmp/validator.txt")
warnings=$(grep -cE '\): warning ' "$tmp/validator.txt")
echo "SARIF Multitool over $((n + 1)) files: $errors errors, $warnings warnings (exit $rc)"
grep -E '\): (error|warning) ' "$tmp/validator.txt" | sed 's/^.*\/in\///' | cut -c1-220 | sort | uniq -c | sort -rn | head -20
[[ -f "$tmp/validation.sarif" ]] || { echo "FAIL: the validator wrote no log"; cat "$tmp/validator.txt" | head -20; exit 1; }

"$py" - "$schema" "$tmp/in" "$errors" <<'PY'
import glob, json, os, re, sys
import jsonschema
schema = json.load(open(sys.argv[1]))
validator = jsonschema.validators.validator_for(schema)(schema)
failed = int(sys.argv[3]) > 0
checked = 0
for path in sorted(glob.glob(os.path.join(sys.argv[2], "*.sarif"))):
    name = os.path.basename(path)
    log = json.load(open(path))
    for e in list(validator.iter_errors(log))[:5]:
        failed = True
        print(f"FAIL {name}: schema: {e.message[:160]} at {'/'.join(map(str, e.absolute_path))}")
    report = json.load(open(path[:-len(".sarif")] + ".json"))
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    ids = [r["id"] for r in rules]
    if len(set(ids)) != len(ids):
        failed = True; print(f"FAIL {name}: duplicate rule ids")
    results = run["results"]
    finding_results = [r for r in results if r["ruleId"] != "data-flow"]
    if len(finding_results) != len(report["findings"]):
        failed = True; print(f"FAIL {name}: {len(finding_results)} results for {len(report['findings'])} findings")
    for res, f in zip(finding_results, report["findings"]):
        ok = (rules[res["ruleIndex"]]["id"] == res["ruleId"] == f["rule"]
              and res["partialFingerprints"]["apkwarden/v1"] == f["fingerprint"]
              and re.fullmatch(r"[0-9a-f]{32}", f["fingerprint"])
              and ("suppressions" in res) == f["suppressed"]
              and res["locations"][0]["physicalLocation"]["region"]["startLine"] >= 1)
        if not ok:
            failed = True; print(f"FAIL {name}: result for {f['rule']} does not match its finding")
    for res in results:
        if res["ruleId"] == "data-flow" and not res.get("codeFlows"):
            failed = True; print(f"FAIL {name}: a data-flow result without codeFlows")
    art = run["artifacts"][0]
    if art["hashes"]["sha-256"] != report["apk"]["sha256"] or art["length"] != report["apk"]["size"]:
        failed = True; print(f"FAIL {name}: artifact identity differs from the JSON report")
    checked += 1
print(f"schema + consistency: {checked} SARIF files checked")
sys.exit(1 if failed else 0)
PY
