#!/usr/bin/python3
"""bench/dex: parse every dex and decode every instruction (`apkwarden dex --stats`) against
`dexdump -d > /dev/null` and androguard's AnalyzeAPK (Debian's androguard, /usr/bin/python3), in
one run, over the real APKs and the bare dex. Prints medians, ratios (peer time / apkwarden
time: above 1 means apkwarden is faster) and apkwarden's peak RSS against the app's dex bytes.

Usage: bench/dex/run.py [--build DIR] [--runs N] [--androguard-runs N] [--no-androguard] [FILES...]
"""
import argparse
import glob
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from benchlib import geomean, measure, table  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
ANDROGUARD = "import sys\nfrom androguard.misc import AnalyzeAPK, AnalyzeDex\n" \
             "(AnalyzeDex if sys.argv[1].endswith('.dex') else AnalyzeAPK)(sys.argv[1])\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--androguard-runs", type=int, default=1)
    ap.add_argument("--no-androguard", action="store_true")
    ap.add_argument("files", nargs="*")
    args = ap.parse_args()
    shared = os.path.join(ROOT, "..", "shared", "corpus", "real")
    files = args.files or sorted(glob.glob(os.path.join(shared, "apk", "*.apk")) + glob.glob(os.path.join(shared, "dex", "*.dex")))
    binary = os.path.join(args.build, "cli", "apkwarden")

    rows, vs_dexdump, vs_androguard = [], [], []
    for f in files:
        stats = json.loads(subprocess.run([binary, "dex", f, "--stats", "--format", "json"],
                                          capture_output=True, text=True, check=True).stdout)
        dex_mb = stats["dex_bytes"] / 2**20
        ours, rss = measure([binary, "dex", f, "--stats", "--format", "json"], args.runs)
        dd, _ = measure(["dexdump", "-d", f], args.runs)
        vs_dexdump.append(dd / ours)
        row = [os.path.basename(f), f"{dex_mb:.1f}", stats["dex_files"], stats["instructions"],
               f"{ours * 1000:.0f}", f"{dd * 1000:.0f}", f"{dd / ours:.1f}x"]
        if args.no_androguard:
            row += ["-", "-"]
        else:
            ag, ag_rss = measure(["/usr/bin/python3", "-c", ANDROGUARD, f], args.androguard_runs, warmup=0)
            vs_androguard.append(ag / ours)
            row += [f"{ag:.2f}", f"{ag / ours:.0f}x"]
        row += [f"{rss / 1024:.0f}", f"{rss / 1024 / max(dex_mb, 1e-9):.2f}"]
        rows.append(row)
        print("  measured", os.path.basename(f), file=sys.stderr)
    print(table(rows, ["file", "dex MiB", "dex files", "instructions", "apkwarden ms", "dexdump -d ms",
                       "vs dexdump", "androguard s", "vs androguard", "RSS MiB", "RSS / dex bytes"]))
    print(f"\ngeometric mean speed-up: {geomean(vs_dexdump):.1f}x over dexdump -d"
          + (f", {geomean(vs_androguard):.0f}x over androguard AnalyzeAPK" if vs_androguard else "")
          + f" (median of {args.runs} runs; androguard {args.androguard_runs})")


if __name__ == "__main__":
    main()
