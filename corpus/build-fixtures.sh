#!/usr/bin/env bash
# Builds every fixture under corpus/fixtures/<name>/ into OUTDIR/<name>.apk (TOOLCHAIN.md §5, Recipe B).
#
# Usage: corpus/build-fixtures.sh [-v] [-j N] OUTDIR [NAME...]
#   -v      verbose: say what is built, skipped, and which native ABIs have no compiler
#   -j N    fixtures built at the same time (default 2)
#   NAME    build only these fixtures (default: all)
# Env: APKWARDEN_FIXTURE_SRC  fixture source root (default: corpus/fixtures next to this script)
#
# A fixture folder holds:
#   AndroidManifest.xml                   required (text XML; no <uses-sdk>, it comes from fixture.conf)
#   smali/ [smali_classes2/ ...]          -> classes.dex, classes2.dex, ...
#   res/, assets/                         optional, passed to aapt
#   payloads/<path>/ (smali), <path>.random  optional: code loaded at run time, added as <path>
#   native/<abi>/<x>.c                    optional, compiled to lib/<abi>/lib<x>.so if that ABI's compiler exists
#   fixture.conf                          optional `key=value` lines: min_sdk (21), target_sdk (29),
#                                         version_code, version_name (override the manifest), sign (no|yes)
#
# Output is deterministic: zip dates are fixed by aapt, smali runs single-threaded (G6), native code is
# compiled from relative paths without debug info, and signed fixtures use OUTDIR/debug.keystore (created
# once; copy it into a new OUTDIR to get identical signed bytes there too).
# Incremental: a fixture is rebuilt only if a file of its folder, or this script, is newer than its APK.
# On success it prints one summary line; on failure the fixture's name and the tool output, exit 1.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
self="$here/$(basename "${BASH_SOURCE[0]}")"
src_root=${APKWARDEN_FIXTURE_SRC:-$here/fixtures}
framework=/usr/share/android-framework-res/framework-res.apk
verbose=0
jobs=2

usage() { echo "usage: $0 [-v] [-j N] OUTDIR [NAME...]" >&2; exit 2; }
while getopts "vj:" opt; do
  case $opt in
    v) verbose=1 ;;
    j) jobs=$OPTARG ;;
    *) usage ;;
  esac
done
shift $((OPTIND - 1))
[[ $# -ge 1 ]] || usage
mkdir -p "$1"
out=$(cd "$1" && pwd)
shift
# One build per OUTDIR at a time (ctest and a manual run may overlap); then drop what an
# interrupted run left behind.
exec 9>"$out/.lock"
flock 9
rm -rf "$out"/.work-* "$out"/.logs.* "$out/debug.keystore.tmp"

note() { if [[ $verbose -eq 1 ]]; then echo "build-fixtures: $*" >&2; fi; }

# Faster JVM start for the short smali runs (java-wrappers reads JAVA_ARGS; it prints nothing extra).
export JAVA_ARGS="${JAVA_ARGS:--XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto}"
export LC_ALL=C TZ=UTC

# The C compiler for an Android ABI, or nothing if it is not installed.
abi_cc() {
  local cc
  case $1 in
    x86_64) cc=(gcc) ;;
    arm64-v8a) cc=(aarch64-linux-gnu-gcc) ;;
    armeabi-v7a) cc=(arm-linux-gnueabihf-gcc) ;;
    x86) cc=(gcc -m32) ;;
    *) return 1 ;;
  esac
  command -v "${cc[0]}" >/dev/null || return 1
  if [[ $1 == x86 ]]; then  # multilib is rarely installed: probe it once
    echo 'int f(void){return 0;}' | gcc -m32 -shared -x c -o /dev/null - 2>/dev/null || return 1
  fi
  echo "${cc[@]}"
}

# Reads fixture.conf into conf_<key> variables; rejects unknown keys and malformed lines.
read_conf() {
  conf_min_sdk=21 conf_target_sdk=29 conf_version_code="" conf_version_name="" conf_sign=no
  local file=$1/fixture.conf line key value n=0
  [[ -f $file ]] || return 0
  while IFS= read -r line || [[ -n $line ]]; do
    n=$((n + 1))
    [[ $line =~ ^[[:space:]]*(#.*)?$ ]] && continue
    if [[ ! $line =~ ^[[:space:]]*([a-z_]+)[[:space:]]*=[[:space:]]*(.*[^[:space:]])?[[:space:]]*$ ]]; then
      echo "$file:$n: expected key=value" >&2; return 1
    fi
    key=${BASH_REMATCH[1]} value=${BASH_REMATCH[2]:-}
    case $key in
      min_sdk|target_sdk|version_code)
        [[ $value =~ ^[0-9]+$ ]] || { echo "$file:$n: $key must be a number" >&2; return 1; } ;;
      version_name) ;;
      sign) [[ $value == yes || $value == no ]] || { echo "$file:$n: sign must be yes or no" >&2; return 1; } ;;
      *) echo "$file:$n: unknown key '$key'" >&2; return 1 ;;
    esac
    printf -v "conf_$key" '%s' "$value"
  done <"$file"
}

# Runs a tool; fails if it fails, prints anything on stderr (smali exits 0 on errors, G5), or if the
# file named by $expect was not produced.
run_tool() {
  local expect=$1; shift
  local err
  if ! err=$("$@" 2>&1 >/dev/null); then
    echo "failed: $*"; [[ -n $err ]] && echo "$err"; return 1
  fi
  if [[ -n $err ]]; then echo "output on stderr from: $*"; echo "$err"; return 1; fi
  if [[ -n $expect && ! -s $expect ]]; then echo "no output $expect from: $*"; return 1; fi
}

# The keystore is generated in the background while the first fixtures build (keytool's JVM takes
# ~1.4 s); a fixture that signs waits here until it exists or keytool has failed.
wait_for_keystore() {
  local i
  for ((i = 0; i < 1200; i++)); do
    [[ -f $out/debug.keystore ]] && return 0
    [[ -f $logs/keytool.failed ]] && { echo "no keystore: keytool failed"; return 1; }
    sleep 0.05
  done
  echo "no keystore after 60 s"; return 1
}

# Builds one fixture into $out/<name>.apk via a private work dir; prints tool output on failure.
build_one() {
  local name=$1 dir=$src_root/$1
  local work
  work=$(mktemp -d "$out/.work-$name.XXXXXX")
  trap 'rm -rf "$work"' RETURN
  read_conf "$dir" || return 1
  [[ -f $dir/AndroidManifest.xml ]] || { echo "missing AndroidManifest.xml"; return 1; }
  [[ -d $dir/smali ]] || { echo "missing smali/"; return 1; }

  # Dex files: smali/ -> classes.dex, smali_classesN/ -> classesN.dex.
  local dexes=(classes.dex) d n
  run_tool "$work/classes.dex" smali assemble -j 1 -a "$conf_min_sdk" -o "$work/classes.dex" "$dir/smali" || return 1
  for d in "$dir"/smali_classes*; do
    [[ -d $d ]] || continue
    n=${d##*/smali_classes}
    [[ $n =~ ^[0-9]+$ && $n -ge 2 ]] || { echo "bad dex folder name: ${d##*/}"; return 1; }
    run_tool "$work/classes$n.dex" smali assemble -j 1 -a "$conf_min_sdk" -o "$work/classes$n.dex" "$d" || return 1
    dexes+=("classes$n.dex")
  done

  local aapt_args=(package -f -M "$dir/AndroidManifest.xml" -I "$framework"
    --min-sdk-version "$conf_min_sdk" --target-sdk-version "$conf_target_sdk" -F "$work/unaligned.apk")
  [[ -d $dir/res ]] && aapt_args+=(-S "$dir/res")
  [[ -d $dir/assets ]] && aapt_args+=(-A "$dir/assets")
  [[ -n $conf_version_code ]] && aapt_args+=(--version-code "$conf_version_code" --replace-version)
  [[ -n $conf_version_name ]] && aapt_args+=(--version-name "$conf_version_name" --replace-version)
  run_tool "$work/unaligned.apk" aapt "${aapt_args[@]}" || return 1
  # Entry names are the paths as given (G10), so add from inside the work dir; sorted for a stable order.
  mapfile -t dexes < <(printf '%s\n' "${dexes[@]}" | sort -V)
  (cd "$work" && run_tool "" aapt add unaligned.apk "${dexes[@]}") || return 1

  # Payloads (code the app loads at run time): payloads/<path>/ holding smali becomes <path> in the
  # APK — a dex when <path> ends in .dex, a zip with classes.dex for .jar/.zip/.apk;
  # payloads/<path>.random (a byte count) becomes <path> with deterministic pseudo-random bytes.
  if [[ -d $dir/payloads ]]; then
    local payload_files=() p rel
    while IFS= read -r -d '' p; do
      rel=${p#"$dir/payloads/"}
      mkdir -p "$work/$(dirname "$rel")"
      case $rel in
        *.dex)
          run_tool "$work/$rel" smali assemble -j 1 -a "$conf_min_sdk" -o "$work/$rel" "$p" || return 1 ;;
        *)
          mkdir -p "$work/.zip/$rel"
          run_tool "$work/.zip/$rel/classes.dex" smali assemble -j 1 -a "$conf_min_sdk" \
            -o "$work/.zip/$rel/classes.dex" "$p" || return 1
          touch -d @315532800 "$work/.zip/$rel/classes.dex"
          (cd "$work/.zip/$rel" && TZ=UTC run_tool "$work/$rel" zip -q -X -D "$work/$rel" classes.dex) || return 1 ;;
      esac
      payload_files+=("$rel")
    done < <(find "$dir/payloads" -mindepth 1 -type d \( -name '*.dex' -o -name '*.jar' -o -name '*.zip' -o -name '*.apk' \) \
               -prune -print0 | sort -z)
    while IFS= read -r -d '' p; do
      rel=${p#"$dir/payloads/"}
      rel=${rel%.random}
      mkdir -p "$work/$(dirname "$rel")"
      /usr/bin/python3 -c 'import random, sys
n = int(open(sys.argv[3]).read().split()[0])
open(sys.argv[1], "wb").write(random.Random(sys.argv[2]).randbytes(n))' "$work/$rel" "$rel" "$p" || return 1
      payload_files+=("$rel")
    done < <(find "$dir/payloads" -type f -name '*.random' -print0 | sort -z)
    (cd "$work" && run_tool "" aapt add unaligned.apk "${payload_files[@]}") || return 1
  fi

  # Native code: native/<abi>/<x>.c -> lib/<abi>/lib<x>.so.
  local abi c base cc libs=()
  for abi in "$dir"/native/*/; do
    [[ -d $abi ]] || continue
    abi=$(basename "$abi")
    if ! cc=$(abi_cc "$abi"); then note "$name: no compiler for $abi, skipped"; continue; fi
    mkdir -p "$work/lib/$abi"
    for c in "$dir/native/$abi"/*.c; do
      [[ -f $c ]] || continue
      base=$(basename "$c" .c)
      # Relative source path and no -g: the path of the checkout never reaches the .so.
      # shellcheck disable=SC2086
      (cd "$dir/native/$abi" && run_tool "$work/lib/$abi/lib$base.so" $cc -shared -fPIC -O2 -Wall \
        -fvisibility=hidden -Wl,--build-id=sha1 -Wl,-soname,"lib$base.so" \
        -o "$work/lib/$abi/lib$base.so" "$base.c") || return 1
      libs+=("lib/$abi/lib$base.so")
    done
  done
  if [[ ${#libs[@]} -gt 0 ]]; then
    (cd "$work" && run_tool "" aapt add unaligned.apk "${libs[@]}") || return 1
  fi

  run_tool "$work/aligned.apk" zipalign -p -f 4 "$work/unaligned.apk" "$work/aligned.apk" || return 1
  if [[ $conf_sign == yes ]]; then
    wait_for_keystore || return 1
    run_tool "$work/signed.apk" apksigner sign --ks "$out/debug.keystore" --ks-pass pass:android \
      --key-pass pass:android --ks-key-alias androiddebugkey --v4-signing-enabled false \
      --out "$work/signed.apk" "$work/aligned.apk" || return 1
    rm -f "$work/signed.apk.idsig"
    mv "$work/signed.apk" "$out/$name.apk"
  else
    mv "$work/aligned.apk" "$out/$name.apk"
  fi
}

# True if $out/<name>.apk exists and is newer than every input (fixture files, this script, keystore).
up_to_date() {
  local name=$1 apk=$out/$1.apk
  [[ -f $apk ]] || return 1
  [[ $self -nt $apk ]] && return 1
  [[ -n $(find "$src_root/$name" -newer "$apk" -print -quit) ]] && return 1
  read_conf "$src_root/$name" 2>/dev/null || return 1
  [[ $conf_sign == yes && $out/debug.keystore -nt $apk ]] && return 1
  return 0
}

start=$EPOCHREALTIME
if [[ $# -gt 0 ]]; then
  names=("$@")
else
  names=()
  for d in "$src_root"/*/; do [[ -f $d/AndroidManifest.xml ]] && names+=("$(basename "$d")"); done
fi
[[ ${#names[@]} -gt 0 ]] || { echo "build-fixtures: no fixtures under $src_root" >&2; exit 1; }

# Which fixtures need building, and whether one of them signs (the keystore is created once).
# Signing fixtures go last, so that the keystore is ready by the time they need it.
todo=() signing=() need_key=0
for name in "${names[@]}"; do
  [[ -d $src_root/$name ]] || { echo "build-fixtures: no fixture '$name' in $src_root" >&2; exit 1; }
  if up_to_date "$name"; then note "$name: up to date"; continue; fi
  if read_conf "$src_root/$name" 2>/dev/null && [[ $conf_sign == yes ]]; then
    need_key=1 signing+=("$name")
  else
    todo+=("$name")
  fi
done
todo+=("${signing[@]}")
logs=$(mktemp -d "$out/.logs.XXXXXX")
trap 'rm -rf "$logs"' EXIT
if [[ $need_key -eq 1 && ! -f $out/debug.keystore ]]; then
  ( if keytool -genkeypair -keystore "$out/debug.keystore.tmp" -storepass android -keypass android \
        -alias androiddebugkey -keyalg RSA -keysize 2048 -validity 10000 \
        -dname "CN=Android Debug,O=Android,C=US" -noprompt >"$logs/keytool.log" 2>&1; then
      mv "$out/debug.keystore.tmp" "$out/debug.keystore"
    else
      rm -f "$out/debug.keystore.tmp"; touch "$logs/keytool.failed"
    fi ) &
fi

# Build in parallel, each fixture's output captured in its own log.
for name in "${todo[@]}"; do
  while [[ $(jobs -rp | wc -l) -ge $jobs ]]; do wait -n || true; done
  note "$name: building"
  ( build_one "$name" >"$logs/$name.log" 2>&1 || { rm -f "$out/$name.apk"; touch "$logs/$name.failed"; } ) &
done
wait

failed=0
if [[ -f $logs/keytool.failed ]]; then
  failed=1
  { echo "build-fixtures: keytool failed:"; sed 's/^/  /' "$logs/keytool.log"; } >&2
fi
for name in "${todo[@]}"; do
  if [[ -f $logs/$name.failed ]]; then
    failed=$((failed + 1))
    { echo "build-fixtures: fixture '$name' failed:"; sed 's/^/  /' "$logs/$name.log"; } >&2
  fi
done
elapsed=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')
if [[ $failed -gt 0 ]]; then
  echo "build-fixtures: build failed ($failed problem(s) among ${#todo[@]} fixtures)" >&2
  exit 1
fi
echo "build-fixtures: ${#names[@]} fixtures in $out ($(( ${#todo[@]} )) built, $(( ${#names[@]} - ${#todo[@]} )) up to date) in ${elapsed}s"
