#!/usr/bin/env bash
# apkwarden's manifest facts equal aapt's on every APK of the shared corpus and DroidBench.
exec /usr/bin/python3 "$(dirname "$0")/manifest_vs_aapt.py" "$@"
