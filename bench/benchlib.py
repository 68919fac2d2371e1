"""Shared helpers for apkwarden's benchmarks: run a command several times, report the median
wall time and the peak RSS of the child (from wait4's rusage), and print ratio tables."""
import statistics
import subprocess
import time


def peak_rss_kib(cmd):
    """Peak RSS of `cmd` alone, via GNU time: a child forked from Python reports Python's own
    pre-exec pages in ru_maxrss, which would inflate small programs' numbers."""
    proc = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True)
    return int(proc.stderr.strip().splitlines()[-1])


def measure(cmd, runs=5, warmup=1):
    """Median seconds and peak RSS (KiB) of `cmd` (a list), output discarded."""
    times = []
    for i in range(warmup + runs):
        start = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        elapsed = time.perf_counter() - start
        if i >= warmup:
            times.append(elapsed)
    return statistics.median(times), peak_rss_kib(cmd)


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
