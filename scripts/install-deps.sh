#!/usr/bin/env bash
# Installs every Debian package that apkwarden's build, tests and fixture pipeline need.
# Idempotent: when everything is present it prints nothing and does not touch apt.
# Usage: scripts/install-deps.sh [--with-peers] [--with-fuzz]
#   peers: androguard and GNU time, for benchmarks; fuzz: clang and libFuzzer (bench/fuzz.sh)
set -euo pipefail

build_pkgs=(build-essential cmake pkg-config
  libcapstone-dev liblief-dev libzip-dev zipcmp zipmerge ziptool libtinyxml2-dev libre2-dev
  doctest-dev zlib1g-dev libssl-dev libsqlite3-dev libpq-dev nlohmann-json3-dev)
fixture_pkgs=(openjdk-17-jdk-headless libsmali-java aapt zipalign apksigner
  android-framework-res dexdump apktool unzip zip
  gcc-aarch64-linux-gnu gcc-arm-linux-gnueabihf libc6-dev-arm64-cross libc6-dev-armhf-cross
  sqlite3 postgresql slurm-wlm munge)  # batch tests: a throwaway PostgreSQL server, a one-node Slurm cluster
# Report tests: SARIF validator (npm, scripts/install-sarif-validator.sh), HTML rendered in a
# headless browser, JSON Schema validation (Debian's python, /usr/bin/python3).
report_pkgs=(nodejs chromium python3-jsonschema)
peer_pkgs=(androguard time)
fuzz_pkgs=(clang-14 libclang-rt-14-dev)

want=("${build_pkgs[@]}" "${fixture_pkgs[@]}" "${report_pkgs[@]}")
for arg in "$@"; do
  case $arg in
    --with-peers) want+=("${peer_pkgs[@]}") ;;
    --with-fuzz) want+=("${fuzz_pkgs[@]}") ;;
    *) echo "usage: scripts/install-deps.sh [--with-peers] [--with-fuzz]" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# npm ships inside some nodejs builds (NodeSource) and as Debian's own package otherwise.
command -v npm >/dev/null || missing+=(npm)
[[ ${#missing[@]} -eq 0 ]] && exit 0

if [[ $(id -u) -ne 0 ]]; then
  echo "install-deps: missing packages: ${missing[*]} (run as root, or install them)" >&2
  exit 1
fi
echo "install-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
# Several builds may set up at once (parallel CI jobs, worktrees): one apt at a time.
exec 9>/var/lock/apkwarden-install-deps.lock
flock 9
apt_opts=(-qq -o DPkg::Lock::Timeout=600)
apt-get "${apt_opts[@]}" update >/dev/null
apt-get "${apt_opts[@]}" install -y --no-install-recommends "${missing[@]}" >/dev/null
