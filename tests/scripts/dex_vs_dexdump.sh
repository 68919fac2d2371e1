#!/usr/bin/env bash
# `apkwarden dex --stats` equals dexdump -d's listing on every shared APK and dex.
exec /usr/bin/python3 "$(dirname "$0")/dex_vs_dexdump.py" "$@"
