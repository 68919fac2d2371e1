#!/usr/bin/python3
"""bench/manifest: `apkwarden scan --format json` (manifest scope) against `aapt dump badging`
over every real APK, in one run. Prints median times, peak RSS and the ratio aapt/apkwarden
(above 1 means apkwarden is faster). Usage: bench/manifest/run.py [BUILD_DIR] [RUNS]"""
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

rows, ratios = [], []
for apk in apks:
    ours, our_rss = measure([binary, "scan", apk, "--format", "json"], runs)
    peer, peer_rss = measure(["aapt", "dump", "badging", apk], runs)
    ratios.append(peer / ours)
    rows.append([os.path.basename(apk), f"{os.path.getsize(apk) / 1e6:.1f}", f"{ours * 1000:.1f}",
                 f"{peer * 1000:.1f}", f"{peer / ours:.2f}x", our_rss // 1024, peer_rss // 1024])
print(table(rows, ["apk", "MB", "apkwarden ms", "aapt ms", "aapt/apkwarden", "RSS MiB", "aapt RSS MiB"]))
print(f"\ngeometric mean speed-up over aapt dump badging: {geomean(ratios):.2f}x ({runs} runs each, median)")
