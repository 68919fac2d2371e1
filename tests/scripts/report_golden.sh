#!/usr/bin/env bash
# Reports are byte-identical on every run and at any thread count, in every format, and match
# the golden files for the fixtures listed in tests/golden/fixtures.txt.
#  - every fixture APK, every format (json, sarif, text, html), -j 1, 2 and 4, and a second -j 2
#    run: all outputs of one fixture and format are the same bytes; `-o FILE` equals stdout.
#  - tests/golden/<fixture>.<ext>: the report of `cd $APKWARDEN_FIXTURES; apkwarden scan
#    <fixture>.apk -f <format>` (relative path, so the file does not depend on the build dir).
# Regenerate the golden files after an intended change (a format, a rule, the version):
#   APKWARDEN_UPDATE_GOLDEN=1 ctest --test-dir build -R golden     (then review `git diff`)
set -uo pipefail
bin=${APKWARDEN_BIN:?set APKWARDEN_BIN}
fixtures=${APKWARDEN_FIXTURES:?set APKWARDEN_FIXTURES}
src=${APKWARDEN_SOURCE:?set APKWARDEN_SOURCE}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
formats=(json sarif text html)
ext() { case $1 in text) echo txt ;; *) echo "$1" ;; esac; }
failed=0 compared=0

cd "$fixtures" || exit 1
for apk in *.apk; do
  name=${apk%.apk}
  for f in "${formats[@]}"; do
    for run in 1 2 4 2b; do
      "$bin" scan "$apk" -f "$f" -j "${run%b}" --fail-on none >"$tmp/$name.$f.$run" 2>"$tmp/err" ||
        { echo "FAIL $name $f -j $run: exit $?"; head -3 "$tmp/err"; failed=1; }
    done
    "$bin" scan "$apk" -f "$f" -o "$tmp/$name.$f.file" || failed=1
    for run in 2 4 2b file; do
      compared=$((compared + 1))
      cmp -s "$tmp/$name.$f.1" "$tmp/$name.$f.$run" || { echo "FAIL $name $f: -j 1 and run '$run' differ"; failed=1; }
    done
  done
done
echo "determinism: $compared comparisons over $(ls *.apk | wc -l) fixtures x ${#formats[@]} formats"

while read -r name; do
  [[ -z "$name" || "$name" == \#* ]] && continue
  [[ -f "$name.apk" ]] || { echo "FAIL: golden fixture $name.apk is not built"; failed=1; continue; }
  for f in "${formats[@]}"; do
    golden=$src/tests/golden/$name.$(ext "$f")
    if [[ -n "${APKWARDEN_UPDATE_GOLDEN:-}" ]]; then
      cp "$tmp/$name.$f.1" "$golden"; echo "updated $golden"; continue
    fi
    if ! cmp -s "$golden" "$tmp/$name.$f.1"; then
      echo "FAIL golden $name.$(ext "$f") differs (APKWARDEN_UPDATE_GOLDEN=1 regenerates it):"
      diff "$golden" "$tmp/$name.$f.1" | head -10; failed=1
    fi
  done
done <"$src/tests/golden/fixtures.txt"
[[ $failed -eq 0 ]]
