#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine (as root), builds apkwarden, builds the bundled example app
# from its text sources (corpus/fixtures/example) and scans it.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build >/dev/null
cmake --build build -j "$(nproc)"
corpus/build-fixtures.sh build/fixtures >/dev/null
exec build/cli/apkwarden scan build/fixtures/example.apk "$@"
