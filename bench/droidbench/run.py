#!/usr/bin/env python3
"""Score `apkwarden scan` flows on DroidBench against groundtruth.tsv.

Per app: TP = min(found, expected), FP = max(0, found - expected), FN = max(0, expected - found);
summed over apps, overall and per category. Rows whose two counts disagree (agree=NO) are also
scored with weight 0.5 in the "weighted" line, as the benchmark's README says they count for less.

usage: run.py [--bin build/cli/apkwarden] [--droidbench ../shared/droidbench] [--jobs 2]
              [--only CATEGORY] [--verbose] [--json OUT]
"""
import argparse
import collections
import concurrent.futures
import csv
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
UNCOUNTED_SINK_KINDS = {"prefs"}
ROOT = os.path.dirname(os.path.dirname(HERE))


def count_flows(binary, apk):
    proc = subprocess.run([binary, "scan", apk, "--format", "json"], capture_output=True, text=True, timeout=120)
    if proc.returncode not in (0, 1):
        return None, proc.stderr.strip()[:200]
    try:
        report = json.loads(proc.stdout)
    except json.JSONDecodeError as e:
        return None, f"bad JSON: {e}"
    # DroidBench counts data leaving the app's control; app-private storage (SharedPreferences,
    # sink kind "prefs") is where apkwarden's insecure-storage rule looks, not a leak there.
    return [f for f in report.get("flows", []) if f["sink"]["kind"] not in UNCOUNTED_SINK_KINDS], ""


def prf(tp, fp, fn):
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", default=os.path.join(ROOT, "build", "cli", "apkwarden"))
    ap.add_argument("--droidbench", default=os.environ.get("APKWARDEN_SHARED", "/work/shared") + "/droidbench")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--only", default="")
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--json", default="")
    args = ap.parse_args()

    with open(os.path.join(args.droidbench, "groundtruth.tsv"), newline="") as f:
        # Rows without an expected count (no source for it) cannot be scored.
        rows = [r for r in csv.DictReader(f, delimiter="\t") if r["expected_leaks"].strip()]
    if args.only:
        rows = [r for r in rows if r["apk"].split("/")[0] == args.only]

    def work(row):
        flows, err = count_flows(args.bin, os.path.join(args.droidbench, "apk", row["apk"]))
        return row, flows, err

    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as ex:
        results = list(ex.map(work, rows))

    cats = collections.OrderedDict()
    total = [0.0, 0.0, 0.0]
    weighted = [0.0, 0.0, 0.0]
    per_app = []
    errors = 0
    for row, flows, err in sorted(results, key=lambda x: x[0]["apk"]):
        expected = int(row["expected_leaks"])
        if flows is None:
            errors += 1
            found = 0
        else:
            found = len(flows)
        tp, fp, fn = min(found, expected), max(0, found - expected), max(0, expected - found)
        cat = row["apk"].split("/")[0]
        c = cats.setdefault(cat, [0, 0, 0, 0])
        c[0] += tp; c[1] += fp; c[2] += fn; c[3] += 1
        total[0] += tp; total[1] += fp; total[2] += fn
        w = 0.5 if row.get("agree", "") == "NO" else 1.0
        weighted[0] += w * tp; weighted[1] += w * fp; weighted[2] += w * fn
        per_app.append({"apk": row["apk"], "expected": expected, "found": found, "error": err})
        if args.verbose and (found != expected or err):
            print(f"  {row['apk']:<55} expected {expected} found {found} {err}")

    print(f"{'category':<28} {'apps':>4} {'TP':>4} {'FP':>4} {'FN':>4} {'prec':>6} {'recall':>6} {'F1':>6}")
    for cat, (tp, fp, fn, n) in sorted(cats.items()):
        p, r, f1 = prf(tp, fp, fn)
        print(f"{cat:<28} {n:>4} {tp:>4} {fp:>4} {fn:>4} {p:>6.2f} {r:>6.2f} {f1:>6.2f}")
    p, r, f1 = prf(*total)
    print(f"{'overall':<28} {len(rows):>4} {int(total[0]):>4} {int(total[1]):>4} {int(total[2]):>4} {p:>6.2f} {r:>6.2f} {f1:>6.2f}")
    wp, wr, wf = prf(*weighted)
    print(f"{'weighted (agree=NO x0.5)':<28} {'':>4} {'':>4} {'':>4} {'':>4} {wp:>6.2f} {wr:>6.2f} {wf:>6.2f}")
    if errors:
        print(f"{errors} app(s) could not be scanned")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"precision": p, "recall": r, "f1": f1, "apps": per_app}, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
