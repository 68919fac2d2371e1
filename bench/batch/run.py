#!/usr/bin/python3
"""bench/batch: `apkwarden batch` throughput over the corpus (DroidBench + real apps) repeated
to at least 500 apps (symlinks under /tmp), at -j 1 and -j 2: apps per minute, peak RSS per
worker process (from the store: wait4's ru_maxrss of each worker) and of the whole batch (GNU
time). In the same run, androguard (Debian's python3-androguard, AnalyzeAPK: the peer most
catalog pipelines script, one process per app) over a sample of the same apps; its per-app
rate is compared with apkwarden's per-app rate at -j 1.
Usage: bench/batch/run.py [BUILD_DIR] [APPS (default 500)] [ANDROGUARD_SAMPLE (default 16)]"""
import glob
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time

root = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
build = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, "build")
target = int(sys.argv[2]) if len(sys.argv) > 2 else 500
sample_size = int(sys.argv[3]) if len(sys.argv) > 3 else 16
binary = os.path.join(build, "cli", "apkwarden")
shared = os.path.join(root, "..", "shared")
corpus = sorted(glob.glob(os.path.join(shared, "droidbench", "apk", "**", "*.apk"), recursive=True) +
                glob.glob(os.path.join(shared, "corpus", "real", "apk", "*.apk")))
if not corpus:
    sys.exit("no corpus under ../shared")

work = tempfile.mkdtemp(prefix="apkwarden-bench-batch-")
try:
    apps = os.path.join(work, "apps")
    os.makedirs(apps)
    n = 0
    while n < target:
        for apk in corpus:
            os.symlink(os.path.realpath(apk), os.path.join(apps, f"{n:05d}-{os.path.basename(apk)}"))
            n += 1
    total_mb = sum(os.path.getsize(os.path.join(apps, f)) for f in os.listdir(apps)) / 1e6
    print(f"{n} apps ({len(corpus)} distinct, {total_mb:.0f} MB) under {apps}\n")

    rows = []
    rate_j1 = None
    for jobs in (1, 2):
        store = os.path.join(work, f"j{jobs}.db")
        # --no-dedupe: every path is scanned although the repeats share their SHA-256.
        cmd = ["/usr/bin/time", "-f", "%M", binary, "batch", apps, "--store", store, "-j", str(jobs), "--no-dedupe", "-q"]
        start = time.perf_counter()
        proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        wall = time.perf_counter() - start
        if proc.returncode != 0:
            sys.exit(f"batch failed: {proc.stderr}")
        batch_rss = int(proc.stderr.strip().splitlines()[-1]) // 1024
        db = sqlite3.connect(store)
        rss = [r[0] for r in db.execute("SELECT peak_rss_kb FROM apps")]
        errors = db.execute("SELECT count(*) FROM apps WHERE status <> 'ok'").fetchone()[0]
        per_minute = n / wall * 60
        if jobs == 1:
            rate_j1 = wall / n
        rows.append((f"apkwarden batch -j {jobs}", n, f"{wall:.1f}", f"{per_minute:.0f}", f"{wall / n * 1000:.0f}",
                     f"{statistics.median(rss) / 1024:.0f} / {max(rss) / 1024:.0f}", batch_rss, errors))

    # androguard: one process per app over an evenly spread sample of the distinct apps.
    step = max(1, len(corpus) // sample_size)
    sample = corpus[::step][:sample_size]
    script = "import sys\nfrom androguard.misc import AnalyzeAPK\nAnalyzeAPK(sys.argv[1])\n"
    times, peer_rss, peer_errors = [], [], 0
    for apk in sample:
        start = time.perf_counter()
        proc = subprocess.run(["/usr/bin/time", "-f", "%M", "/usr/bin/python3", "-c", script, apk],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        times.append(time.perf_counter() - start)
        peer_errors += proc.returncode != 0
        try:
            peer_rss.append(int(proc.stderr.strip().splitlines()[-1]))
        except (ValueError, IndexError):
            pass
    peer_wall = sum(times)
    rows.append((f"androguard AnalyzeAPK (sample)", len(sample), f"{peer_wall:.1f}", f"{len(sample) / peer_wall * 60:.0f}",
                 f"{peer_wall / len(sample) * 1000:.0f}",
                 f"{statistics.median(peer_rss) / 1024:.0f} / {max(peer_rss) / 1024:.0f}" if peer_rss else "?", "-",
                 peer_errors))
    headers = ("tool", "apps", "wall s", "apps/min", "ms/app", "worker RSS MiB median / max", "batch RSS MiB", "errors")
    widths = [max(len(str(r[i])) for r in rows + [headers]) for i in range(len(headers))]
    for r in [headers, ["-" * w for w in widths]] + rows:
        print("  ".join(str(c).ljust(w) if i == 0 else str(c).rjust(w) for i, (c, w) in enumerate(zip(r, widths))))
    # Same apps, both tools: apkwarden's own per-app times for the androguard sample.
    db = sqlite3.connect(os.path.join(work, "j1.db"))
    ours = {}
    for path, ms in db.execute("SELECT path, duration_ms FROM apps"):
        ours.setdefault(os.path.realpath(path), []).append(ms)
    same = [statistics.median(ours[os.path.realpath(a)]) / 1000 for a in sample if os.path.realpath(a) in ours]
    if peer_errors:
        # A failing peer runs in milliseconds: no ratio from it.
        print(f"\nandroguard failed on {peer_errors} of {len(sample)} apps (not installed? "
              "scripts/install-deps.sh --with-peers): no comparison", file=sys.stderr)
        sys.exit(1)
    if same:
        print(f"\nsame {len(same)} apps: androguard {peer_wall / len(sample) * 1000:.0f} ms/app, "
              f"apkwarden worker {sum(same) / len(same) * 1000:.0f} ms/app "
              f"({peer_wall / sum(same):.0f}x); apkwarden -j 1 over all {n} apps: {rate_j1 * 1000:.0f} ms/app")
finally:
    shutil.rmtree(work, ignore_errors=True)
