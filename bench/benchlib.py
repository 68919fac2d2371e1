"""Shared helpers for apkwarden's benchmarks: run a command several times, report the median
wall time and the peak RSS of the child (from wait4's rusage), and print ratio tables."""
import os
import statistics
import subprocess
import time


def measure(cmd, runs=5, warmup=1):
    """Median seconds and peak RSS (KiB) of `cmd` (a list), output discarded."""
    times, rss = [], 0
    for i in range(warmup + runs):
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if i >= warmup:
            times.append(elapsed)
            rss = max(rss, usage.ru_maxrss)
    return statistics.median(times), rss


def table(rows, headers):
    widths = [max(len(str(r[i])) for r in rows + [headers]) for i in range(len(headers))]
    line = lambda r: "  ".join(str(c).rjust(w) if i else str(c).ljust(w) for i, (c, w) in enumerate(zip(r, widths)))
    out = [line(headers), line(["-" * w for w in widths])]
    out += [line(r) for r in rows]
    return "\n".join(out)


def geomean(xs):
    xs = [x for x in xs if x > 0]
    if not xs:
        return 0.0
    prod = 1.0
    for x in xs:
        prod *= x
    return prod ** (1.0 / len(xs))
