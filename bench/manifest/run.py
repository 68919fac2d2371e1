#!/usr/bin/python3
"""bench/manifest: `apkwarden scan --no-code --format json` (manifest scope) against `aapt dump badging`
over every real APK, in one run. Prints median times, peak RSS and the ratio aapt/apkwarden
(above 1 means apkwarden is faster). apkwarden also hashes the whole file (the report's
`sha256`), which aapt does not: the last ratio compares with `aapt dump badging` plus
`openssl dgst -sha256` (the same SHA-NI code we use), the same work. Usage: bench/manifest/run.py [BUILD_DIR] [RUNS]"""
import glob
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from benchlib import geomean, measure, table  # noqa: E402

root = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
build = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, "build")
runs = int(sys.argv[2]) if len(sys.argv) > 2 else 7
binary = os.path.join(build, "cli", "apkwarden")
apks = sorted(glob.glob(os.path.join(root, "..", "shared", "corpus", "real", "apk", "*.apk")))

rows, ratios, same_work = [], [], []
for apk in apks:
    ours, our_rss = measure([binary, "scan", apk, "--no-code", "--format", "json"], runs)
    peer, peer_rss = measure(["aapt", "dump", "badging", apk], runs)
    hashing, _ = measure(["openssl", "dgst", "-sha256", apk], runs)
    ratios.append(peer / ours)
    same_work.append((peer + hashing) / ours)
    rows.append([os.path.basename(apk), f"{os.path.getsize(apk) / 1e6:.1f}", f"{ours * 1000:.1f}",
                 f"{peer * 1000:.1f}", f"{peer / ours:.2f}x", f"{(peer + hashing) / ours:.2f}x",
                 our_rss // 1024, peer_rss // 1024])
print(table(rows, ["apk", "MB", "apkwarden ms", "aapt ms", "aapt/apkwarden", "(aapt+openssl sha256)/apkwarden",
                   "RSS MiB", "aapt RSS MiB"]))
print(f"\ngeometric mean speed-up over aapt dump badging: {geomean(ratios):.2f}x; "
      f"over aapt + openssl sha256: {geomean(same_work):.2f}x ({runs} runs each, median)")
