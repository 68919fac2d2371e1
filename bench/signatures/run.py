#!/usr/bin/python3
"""bench/signatures: what the signature pass (code index, SDK detection with the full knowledge
base plus the Exodus import, all behaviour rules) adds to a scan. Runs `apkwarden scan` with
--no-signatures and with --trackers EXODUS.json, alternating, and prints the median wall time and
CPU time (user+sys of the child) of each and their difference. Default input: the largest real
APK of ../shared/corpus/real/apk. Target (issue #4): under 100 ms added wall time.

Usage: bench/signatures/run.py [--build DIR] [--runs N] [--trackers FILE] [APK...]
"""
import argparse
import glob
import json
import os
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from benchlib import peak_rss_kib, table  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SHARED = os.path.join(ROOT, "..", "shared")
TARGET_MS = 100.0


def run_once(cmd):
    """Wall seconds and child CPU seconds (user + sys) of one run."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        sys.exit(f"failed: {' '.join(cmd)}")
    return wall, usage.ru_utime + usage.ru_stime


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--runs", type=int, default=9)
    ap.add_argument("--trackers", default=os.path.join(SHARED, "reference", "exodus_trackers.json"))
    ap.add_argument("files", nargs="*")
    args = ap.parse_args()
    binary = os.path.join(args.build, "cli", "apkwarden")
    files = args.files or sorted(glob.glob(os.path.join(SHARED, "corpus", "real", "apk", "*.apk")),
                                 key=os.path.getsize, reverse=True)[:1]
    rows, worst = [], 0.0
    for f in files:
        base = [binary, "scan", f, "--format", "json", "-o", os.devnull]
        without = base + ["--no-signatures"]
        with_kb = base + ["--trackers", args.trackers]
        report = json.loads(subprocess.run([binary, "scan", f, "--format", "json", "--trackers", args.trackers],
                                           capture_output=True, text=True).stdout)
        samples = {"without": [], "with": []}
        run_once(without), run_once(with_kb)  # warm the page cache
        for _ in range(args.runs):
            samples["without"].append(run_once(without))
            samples["with"].append(run_once(with_kb))
        med = {k: (statistics.median(w for w, _ in v), statistics.median(c for _, c in v)) for k, v in samples.items()}
        added_wall = (med["with"][0] - med["without"][0]) * 1000
        added_cpu = (med["with"][1] - med["without"][1]) * 1000
        worst = max(worst, added_wall)
        rss_without, rss_with = peak_rss_kib(without), peak_rss_kib(with_kb)
        rows.append([os.path.basename(f), f"{os.path.getsize(f) / 2**20:.1f}", len(report["sdks"]), len(report["findings"]),
                     f"{med['without'][0] * 1000:.0f}", f"{med['with'][0] * 1000:.0f}", f"{added_wall:.0f}",
                     f"{added_cpu:.0f}", f"{(rss_with - rss_without) / 1024:.0f}"])
        print("  measured", os.path.basename(f), file=sys.stderr)
    print(table(rows, ["file", "MiB", "sdks", "findings", "scan ms (no signatures)", "scan ms (KB + Exodus)",
                       "added ms", "added CPU ms", "added RSS MiB"]))
    print(f"\nmedian of {args.runs} alternating runs; target: under {TARGET_MS:.0f} ms added -> "
          + ("met" if worst < TARGET_MS else "NOT met") + f" (worst {worst:.0f} ms)")


if __name__ == "__main__":
    main()
